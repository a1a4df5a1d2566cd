//! End-to-end tests of `truce solve`: a root with a known answer, the frontier over a parameter,
//! identical files at any thread count and after a resume, the folder read by `truce analyze`,
//! a target out of reach, and the refusal of bad files.

use std::fs;
use std::path::Path;
use support::{ok, refused, workdir, workspace};

mod support;

/// Only the exogenous hazard can end the ceasefire: P(collapse by day 365) = 1 − s, s the one-year
/// survival, so the root of P = 0.3 in s is 0.7.
const HAZARD: &str = r#"
name = "hazard_root"
horizon_days = 365

[aggressor]
decision_interval_days = 30.0

[[ladder]]
name = "harassment"
kind = "harassment"
gain = 0.05
cost = 0.01
p_detect = 0.6
ambiguity = 0.7
casualty_rate = 0.02

[guarantors.reassurance]
troops_rear = 0.0
troops = 0.0

[guarantors.air_cover]
level = "none"

[negotiation]
rate_per_month = 0.0

[collapse]
exogenous = true

[solve]
key = "collapse.hazard_survival_1y"
min = 0.3
max = 0.95
outcome = "collapsed"
within_days = 365
target = 0.3
half_width = 0.04
initial_replications = 100
max_replications = 800
"#;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_known_root_is_found_with_an_interval_and_the_folder_is_complete() {
    let dir = workdir("hazard.toml", HAZARD);
    ok(dir.path(), &["solve", "hazard.toml", "--out", "out", "-q"]);
    let out = dir.path().join("out");
    for name in [
        "solve.json",
        "solve.toml",
        "points.parquet",
        "runs.parquet",
        "manifest.json",
    ] {
        assert!(out.join(name).is_file(), "{name} is missing");
    }
    let result = &json(&out.join("solve.json"))["results"][0];
    assert_eq!(result["status"], "root");
    let (root, low, high) = (
        result["root"].as_f64().unwrap(),
        result["low"].as_f64().unwrap(),
        result["high"].as_f64().unwrap(),
    );
    assert!(low <= root && root <= high, "{result}");
    assert!((root - 0.7).abs() < 0.1, "root {root}");
    assert_eq!(json(&out.join("manifest.json"))["status"], "complete");
    // The folder reads as a sweep of the values tried.
    let analysis = ok(dir.path(), &["analyze", "out"]);
    assert!(String::from_utf8_lossy(&analysis.stdout).contains("hazard_survival_1y"));
}

#[test]
fn files_do_not_depend_on_threads_or_on_an_interruption() {
    let dir = workdir("hazard.toml", HAZARD);
    ok(
        dir.path(),
        &["solve", "hazard.toml", "--out", "one", "-j", "1", "-q"],
    );
    ok(
        dir.path(),
        &["solve", "hazard.toml", "--out", "two", "-j", "2", "-q"],
    );
    let read = |folder: &str, name: &str| fs::read(dir.path().join(folder).join(name)).unwrap();
    for name in ["runs.parquet", "points.parquet", "solve.json", "solve.toml"] {
        assert_eq!(read("one", name), read("two", name), "{name}");
    }
    // Interrupted after its first half of blocks: the later blocks and final files are gone.
    let cut = dir.path().join("two");
    let mut manifest = json(&cut.join("manifest.json"));
    let evaluations = manifest["evaluations"].as_array().unwrap().clone();
    let keep = evaluations.len() / 2;
    for e in &evaluations[keep..] {
        fs::remove_file(cut.join("chunks").join(e["file"].as_str().unwrap())).unwrap();
    }
    manifest["evaluations"] = serde_json::Value::Array(evaluations[..keep].to_vec());
    manifest["status"] = "running".into();
    fs::write(cut.join("manifest.json"), manifest.to_string()).unwrap();
    for name in ["runs.parquet", "points.parquet", "solve.json"] {
        fs::remove_file(cut.join(name)).unwrap();
    }
    ok(dir.path(), &["solve", "--resume", "two", "-q"]);
    for name in ["runs.parquet", "points.parquet", "solve.json"] {
        assert_eq!(read("one", name), read("two", name), "{name} after resume");
    }
}

#[test]
fn a_frontier_over_a_parameter_and_a_target_out_of_reach() {
    // Over the hazard ratio of on-call air cover: with HR the root in s is 0.7^(1/HR).
    let text = format!(
        "{}\n[[solve.over]]\nkey = \"collapse.hr_air\"\nvalues = [0.5, 1.0]\n",
        HAZARD
            .replace("level = \"none\"", "level = \"on_call\"")
            .replace("min = 0.3", "min = 0.6")
    );
    let dir = workdir("frontier.toml", &text);
    ok(
        dir.path(),
        &["solve", "frontier.toml", "--out", "out", "-q"],
    );
    let results = json(&dir.path().join("out/solve.json"))["results"].clone();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["over"]["collapse.hr_air"], 0.5);
    // HR 0.5: the root is 0.49, below min = 0.6: the target is met over the whole range.
    assert_eq!(results[0]["status"], "met_everywhere", "{}", results[0]);
    assert!(results[0]["at_min"]["p"].as_f64().unwrap() < 0.3);
    assert_eq!(results[1]["status"], "root");
    let root = results[1]["root"].as_f64().unwrap();
    assert!((root - 0.7).abs() < 0.1, "root {root}");
    // The curve and the frontier, as PNG and SVG; the frontier says where no root was found.
    let charts = dir.path().join("out/charts");
    for name in ["curve.png", "curve.svg", "frontier.png", "frontier.svg"] {
        assert!(charts.join(name).is_file(), "{name} is missing");
    }
    let frontier = fs::read_to_string(charts.join("frontier.svg")).unwrap();
    assert!(frontier.contains("met everywhere"), "{frontier}");
    // The report embeds them, the roots and the resolved solve file.
    ok(dir.path(), &["report", "out"]);
    let html = fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    for text in [
        "the target",
        "The root at each combination",
        "solve.json",
        "[solve]",
    ] {
        assert!(html.contains(text), "the report lacks {text:?}");
    }
}

#[test]
fn bad_solve_files_are_refused_with_the_key_and_nothing_is_written() {
    let cases: [(&str, &str, &[&str]); 5] = [
        ("min = 0.3", "min = 0.99", &["solve.min", "below solve.max"]),
        (
            "key = \"collapse.hazard_survival_1y\"",
            "key = \"collapse.hazard_survival\"",
            &["solve.key", "hazard_survival_1y"],
        ),
        (
            "target = 0.3",
            "target = 1.5",
            &["solve.target", "between 0 and 1"],
        ),
        (
            "outcome = \"collapsed\"",
            "outcome = \"collapse_day\"",
            &["solve.outcome", "not a binary outcome"],
        ),
        (
            "target = 0.3",
            "target = 0.3\ntargte = 2",
            &["targte", "hazard.toml:"],
        ),
    ];
    for (from, to, texts) in cases {
        let dir = workdir("hazard.toml", &HAZARD.replace(from, to));
        refused(dir.path(), &["solve", "hazard.toml", "--out", "out"], texts);
        assert!(!dir.path().join("out").exists(), "{to}: wrote a folder");
        assert!(!dir.path().join("results").exists(), "{to}: wrote results/");
    }
}

#[test]
fn validate_checks_solve_and_calibrate_files_as_the_commands_would() {
    let configs = workspace().join("configs");
    let solve = configs.join("solve/troops_for_ten_percent.toml");
    let calibrate = configs.join("calibration/fortna_no_peacekeepers.toml");
    let out = ok(
        &workspace(),
        &[
            "validate",
            &solve.display().to_string(),
            &calibrate.display().to_string(),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("solve for guarantors.reassurance.troops_rear, 5 combinations"),
        "{text}"
    );
    assert!(
        text.contains("calibration of 2 parameters to 4 targets"),
        "{text}"
    );
    let dir = workdir(
        "hazard.toml",
        &HAZARD.replace("target = 0.3", "target = 1.5"),
    );
    refused(dir.path(), &["validate", "hazard.toml"], &["solve.target"]);
}

#[test]
fn the_bundled_solve_files_are_valid() {
    let dir = tempfile::tempdir().unwrap();
    let configs = workspace().join("configs");
    let mut files: Vec<_> = fs::read_dir(configs.join("solve"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        // A tiny version of each: a short horizon and a small budget.
        let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
        table.insert("horizon_days".into(), toml::Value::Integer(30));
        let solve = table["solve"].as_table_mut().unwrap();
        solve.insert("initial_replications".into(), toml::Value::Integer(20));
        solve.insert("max_replications".into(), toml::Value::Integer(40));
        solve.insert("within_days".into(), toml::Value::Float(30.0));
        if let Some(base) = solve.get("base").and_then(|b| b.as_str()) {
            let base = configs.join("solve").join(base);
            solve.insert("base".into(), base.display().to_string().into());
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        fs::write(dir.path().join(&name), toml::to_string(&table).unwrap()).unwrap();
        let out = format!("out-{name}");
        ok(dir.path(), &["solve", &name, "--out", &out, "-q"]);
        assert!(dir.path().join(&out).join("solve.json").is_file());
    }
}
