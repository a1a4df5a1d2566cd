//! End-to-end tests of `truce validate` and `truce config --schema`: every problem of a file in one
//! run, in file order, each with its line and column; every bundled file valid; the schema for
//! editors valid JSON Schema that takes every bundled file.

use std::fs;
use std::path::{Path, PathBuf};
use support::{assert_exit, ok, stderr, stdout, truce, workspace};

mod support;

/// `file:line:column:` at the start of a problem's line, as numbers.
fn place(line: &str, file: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix(file)?.strip_prefix(':')?;
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

/// Runs `truce validate FILE` in the workspace and returns its problems' lines.
fn problems(file: &str) -> Vec<String> {
    let output = truce(&workspace(), &["validate", file]);
    assert_exit(&output, 2);
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    err.lines()
        .filter(|l| l.starts_with(file))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_mistake_of_a_scenario_is_reported_at_once_in_file_order() {
    let file = "tests/validate/many_mistakes.toml";
    let found = problems(file);
    let expected = [
        (3, "name: must be usable as a folder name"),
        (4, "horizon_dayz: unknown key; valid top-level keys are"),
        (5, "replications: must be a whole number >= 1 (got 1000.5)"),
        (9, "geography.defence[2]: must be a number (got \"high\")"),
        (
            10,
            "geography.value: has 2 values but geography.sectors is 6",
        ),
        (13, "aggressor.power: must be a number (got \"big\")"),
        (
            14,
            "aggressor.probing: unknown value \"random\"; valid values are \"mean\", \"thompson\"",
        ),
        (15, "aggressor.resolve_sigma: must be >= 0 (got -0.5)"),
        (
            19,
            "guarantors.air_cover.auth_hours: unknown key; valid keys in [guarantors.air_cover] are",
        ),
        (
            20,
            "guarantors.air_cover.p_u: must be a probability in [0, 1] (got 1.5)",
        ),
        (
            23,
            "guarantors.reassurance.theta.hit: unknown key; valid keys in [guarantors.reassurance.theta] are harassment, land_grab, offensive, strike",
        ),
        (
            24,
            "guarantors.reassurance.p_tripwire: must be a probability in [0, 1] (got 50)",
        ),
        (
            27,
            "collapse.exogenous: must be true or false (got \"yes\")",
        ),
        (
            28,
            "collapse.hazard_survival_1y: must be strictly between 0 and 1 (got 1)",
        ),
        (30, "offensiv: unknown key; valid top-level keys are"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    let mut last = (0, 0);
    for (line, (want_line, text)) in found.iter().zip(expected) {
        let at = place(line, file).unwrap_or_else(|| panic!("no line:column in {line}"));
        assert_eq!(at.0, want_line, "{line}");
        assert!(at > last, "not in file order: {found:#?}");
        last = at;
        assert!(line.contains(text), "expected {text:?} in\n{line}");
    }
    assert!(
        found[1].ends_with("did you mean `horizon_days`?"),
        "{}",
        found[1]
    );
    assert!(
        found[8].ends_with("did you mean `auth_median_hours`?"),
        "{}",
        found[8]
    );
    assert!(
        found[14].ends_with("did you mean `offensive`?"),
        "{}",
        found[14]
    );
    // The column is the key's for an unknown key, the value's for a wrong type.
    assert_eq!(place(&found[1], file), Some((4, 1)));
    assert_eq!(place(&found[3], file), Some((9, 24)));

    // `truce run` reports the same problems and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("tests/validate")).unwrap();
    fs::copy(workspace().join(file), dir.path().join(file)).unwrap();
    let output = truce(dir.path(), &["run", file]);
    assert_exit(&output, 2);
    let err = stderr(&output);
    assert!(
        err.starts_with(&format!("error: {file}: 15 problems\n")),
        "{err}"
    );
    for line in &found {
        assert!(err.contains(line.as_str()), "{line}\nnot in\n{err}");
    }
    assert_eq!(support::listing(dir.path()), ["tests"]);
}

#[test]
fn every_key_and_type_mistake_of_a_sweep_is_reported_at_once() {
    let file = "tests/validate/many_mistakes_sweep.toml";
    let found = problems(file);
    let at: Vec<(usize, usize)> = found.iter().filter_map(|l| place(l, file)).collect();
    assert_eq!(at, [(3, 16), (6, 1), (7, 16), (11, 1)], "{found:#?}");
    assert!(found[0].contains("horizon_days: must be a number (got \"long\")"));
    assert!(
        found[1].contains("sweep.desing: unknown key")
            && found[1].ends_with("did you mean `design`?")
    );
    assert!(found[2].contains("sweep.replications: must be a whole number >= 0 (got -3)"));
    assert!(
        found[3].contains("sweep.parameters[0].valuse: unknown key")
            && found[3].ends_with("did you mean `values`?")
    );
}

/// Every bundled scenario, sweep, solve, calibrate and design file.
fn bundled() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "configs",
        "configs/sweeps",
        "configs/solve",
        "configs/calibration",
        "configs/designs",
    ] {
        for entry in fs::read_dir(workspace().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path.strip_prefix(workspace()).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_bundled_file_validates() {
    let files = bundled();
    assert!(files.len() >= 18, "{files:?}");
    let mut args = vec!["validate".to_string()];
    args.extend(files.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = ok(&workspace(), &args);
    let out = stdout(&output);
    assert_eq!(out.lines().count(), files.len(), "{out}");
    assert!(
        out.contains("ok: configs/designs/ishigami.toml (design, saltelli design of 3 parameters, 1280 points)"),
        "{out}"
    );
}

#[test]
fn the_schema_is_json_schema_that_takes_every_bundled_file() {
    let output = ok(Path::new("."), &["config", "--schema"]);
    let schema: serde_json::Value =
        serde_json::from_str(&stdout(&output)).expect("the schema is JSON");
    assert!(
        jsonschema::meta::is_valid(&schema),
        "not a valid JSON Schema"
    );
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for file in bundled() {
        let text = fs::read_to_string(workspace().join(&file)).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let value = serde_json::to_value(&table).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
    // And refuses what `truce validate` refuses for its keys and types.
    let bad: toml::Table = "horizon_dayz = 3\n[aggressor]\npower = \"big\"\n"
        .parse()
        .unwrap();
    let errors = validator
        .iter_errors(&serde_json::to_value(&bad).unwrap())
        .count();
    assert_eq!(errors, 2);
}
