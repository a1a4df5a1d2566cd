//! End-to-end tests of `truce validate` and `truce config --schema`: every problem of a file in one
//! run, in file order, each with its line and column; every bundled file valid; the schema for
//! editors a closed draft-07 schema that takes every bundled file, checked by a small walk.

use serde_json::Value as Json;
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

/// The type names of a JSON Schema node (`type` may be one name or a list).
fn types(schema: &Json) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a TOML value is of a JSON Schema type name.
fn of_type(value: &toml::Value, name: &str) -> bool {
    matches!(
        (name, value),
        ("number", toml::Value::Float(_) | toml::Value::Integer(_))
            | ("integer", toml::Value::Integer(_))
            | ("string", toml::Value::String(_))
            | ("boolean", toml::Value::Boolean(_))
            | ("array", toml::Value::Array(_))
            | ("object", toml::Value::Table(_))
    )
}

/// A small walk of a TOML value beside the schema: `$ref`s, `allOf`, `anyOf`/`oneOf`, `type`, `enum`,
/// `const`, the `properties` of closed tables (`additionalProperties: false`) and `items`. Every
/// key or type that does not fit is pushed to `problems` as `path: what`.
fn walk(root: &Json, schema: &Json, value: &toml::Value, path: &str, problems: &mut Vec<String>) {
    let mut schema = schema;
    while let Some(r) = schema.get("$ref").and_then(Json::as_str) {
        let name = r.strip_prefix("#/definitions/").expect("a local $ref");
        schema = &root["definitions"][name];
    }
    if let Some(all) = schema.get("allOf").and_then(Json::as_array) {
        for branch in all {
            walk(root, branch, value, path, problems);
        }
        return;
    }
    if let Some(branches) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Json::as_array)
    {
        let fits = branches.iter().any(|b| {
            let mut inner = Vec::new();
            walk(root, b, value, path, &mut inner);
            inner.is_empty()
        });
        if !fits {
            problems.push(format!("{path}: fits no branch of {schema}"));
        }
        return;
    }
    let names = types(schema);
    if !names.is_empty() && !names.iter().any(|t| of_type(value, t)) {
        problems.push(format!("{path}: {value} is not of type {names:?}"));
        return;
    }
    let as_json = serde_json::to_value(value).unwrap();
    if let Some(allowed) = schema.get("enum").and_then(Json::as_array)
        && !allowed.contains(&as_json)
    {
        problems.push(format!("{path}: {value} is not one of {allowed:?}"));
    }
    if let Some(c) = schema.get("const")
        && *c != as_json
    {
        problems.push(format!("{path}: {value} is not {c}"));
    }
    match value {
        toml::Value::Table(table) => {
            let properties = schema.get("properties").and_then(Json::as_object);
            let closed = schema.get("additionalProperties") == Some(&Json::Bool(false));
            for (key, v) in table {
                let at = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match properties.and_then(|p| p.get(key)) {
                    Some(s) => walk(root, s, v, &at, problems),
                    None if closed => problems.push(format!("{at}: not a key of the schema")),
                    None => {}
                }
            }
        }
        toml::Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    walk(root, item, v, &format!("{path}[{i}]"), problems);
                }
            }
        }
        _ => {}
    }
}

/// The problems of a TOML table against the editors' schema.
fn schema_problems(schema: &Json, table: toml::Table) -> Vec<String> {
    let mut problems = Vec::new();
    walk(
        schema,
        schema,
        &toml::Value::Table(table),
        "",
        &mut problems,
    );
    problems
}

#[test]
fn the_schema_is_draft_07_closed_and_takes_every_bundled_file() {
    let output = ok(Path::new("."), &["config", "--schema"]);
    let schema: Json = serde_json::from_str(&stdout(&output)).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"], "http://json-schema.org/draft-07/schema#",
        "a draft-07 schema, as Taplo reads"
    );

    // Every section of a scenario, and the tables of the other kinds of file, are properties.
    let properties = schema["properties"].as_object().expect("properties");
    let default = toml::Table::try_from(truce_sim::ScenarioConfig::default()).unwrap();
    let mut sections: Vec<&str> = default.keys().map(String::as_str).collect();
    sections.extend(["uncertain", "sweep", "solve", "calibrate", "design"]);
    for section in sections {
        assert!(
            properties.contains_key(section),
            "no `{section}` in the schema"
        );
    }

    // Every table of the config types denies unknown fields: so does its schema.
    assert_eq!(
        schema["additionalProperties"], false,
        "the file's top level"
    );
    let definitions = schema["definitions"].as_object().expect("definitions");
    for (name, definition) in definitions {
        if definition.get("properties").is_some() {
            assert_eq!(
                definition["additionalProperties"], false,
                "{name} takes unknown keys"
            );
        }
    }
    for name in [
        "UncertainConfig",
        "SweepConfig",
        "SolveConfig",
        "CalibrateConfig",
    ] {
        assert!(definitions.contains_key(name), "no {name} in the schema");
    }

    // The whole default config and every bundled file fit it, key by key and type by type.
    assert_eq!(schema_problems(&schema, default), Vec::<String>::new());
    for file in bundled() {
        let text = fs::read_to_string(workspace().join(&file)).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let problems = schema_problems(&schema, table);
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }

    // And it refuses what `truce validate` refuses for its keys and types.
    let bad: toml::Table = "horizon_dayz = 3\n[aggressor]\npower = \"big\"\n\
                            [negotiation]\nsettlement = \"permanent\"\n\
                            [[uncertain]]\nkey = \"seed\"\ndistribution = \"uniform\"\nmean = \"x\"\n"
        .parse()
        .unwrap();
    let problems = schema_problems(&schema, bad);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    for key in [
        "horizon_dayz",
        "aggressor.power",
        "negotiation.settlement",
        "uncertain[0].mean",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(&format!("{key}:"))),
            "{key} not refused: {problems:#?}"
        );
    }
}
