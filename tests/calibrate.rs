//! End-to-end tests of `truce calibrate`: known parameter values recovered from data that truce
//! simulated at them, identical files at any thread count and after a resume, the bundled
//! calibration, and the refusal of bad files.

use arrow_array::{Array, BooleanArray, Float64Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use support::{ok, refused, workdir, workspace};

mod support;

/// No guarantees over one year; the resolve spread is what the calibration looks for.
const SCENARIO: &str = r#"
name = "known"
horizon_days = 365

[guarantors.reassurance]
troops_rear = 0.0
troops = 0.0

[guarantors.air_cover]
level = "none"
"#;

const CALIBRATE: &str = r#"
[calibrate]
base = "known.toml"
replications = 400
explore = 8
refine = 12

[[calibrate.parameters]]
key = "aggressor.resolve_sigma"
min = 0.2
max = 1.5

[calibrate.data]
file = "durations.csv"
time = "days"
event = "ended"
days = [30, 90, 180, 365]
"#;

/// Writes `durations.csv` (days, ended) of `truce run` of `known.toml` with these overrides.
fn simulate_data(dir: &Path, sigma: f64) {
    let scenario = format!("{SCENARIO}\n[aggressor]\nresolve_sigma = {sigma}\n");
    fs::write(
        dir.join("truth.toml"),
        scenario.replace("\"known\"", "\"truth\""),
    )
    .unwrap();
    ok(
        dir,
        &[
            "run",
            "truth.toml",
            "-n",
            "1500",
            "--seed",
            "99",
            "--out",
            "truth",
            "-q",
        ],
    );
    let file = fs::File::open(dir.join("truth/runs.parquet")).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut csv = String::from("days,ended\n");
    for batch in reader {
        let batch = batch.unwrap();
        let collapsed = batch
            .column_by_name("collapsed")
            .unwrap()
            .as_any()
            .downcast_ref::<BooleanArray>()
            .unwrap()
            .clone();
        let day = batch
            .column_by_name("collapse_day")
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .clone();
        for i in 0..batch.num_rows() {
            if collapsed.value(i) {
                writeln!(csv, "{},1", day.value(i)).unwrap();
            } else {
                writeln!(csv, "365,0").unwrap();
            }
        }
    }
    fs::write(dir.join("durations.csv"), csv).unwrap();
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_known_resolve_spread_is_recovered_within_its_confidence_set() {
    let dir = workdir("known.toml", SCENARIO);
    fs::write(dir.path().join("fit.toml"), CALIBRATE).unwrap();
    simulate_data(dir.path(), 0.7);
    let out = ok(dir.path(), &["calibrate", "fit.toml", "--out", "fit", "-q"]);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(printed.contains("S(365)"), "{printed}");
    let folder = dir.path().join("fit");
    for name in [
        "calibration.json",
        "calibrate.toml",
        "points.parquet",
        "runs.parquet",
        "manifest.json",
        "charts/fit.png",
        "charts/fit.svg",
    ] {
        assert!(folder.join(name).is_file(), "{name} is missing");
    }
    let result = json(&folder.join("calibration.json"));
    let p = &result["parameters"][0];
    let (best, low, high) = (
        p["best"].as_f64().unwrap(),
        p["low"].as_f64().unwrap(),
        p["high"].as_f64().unwrap(),
    );
    assert!(low <= best && best <= high, "{p}");
    // The set is the candidates tried within the threshold: allow one search step beyond it.
    assert!(
        low - 0.1 <= 0.7 && 0.7 <= high + 0.1,
        "0.7 outside [{low}, {high}]: {p}"
    );
    assert!((best - 0.7).abs() < 0.3, "{p}");
    assert_eq!(result["targets"].as_array().unwrap().len(), 4);
    assert_eq!(json(&folder.join("manifest.json"))["status"], "complete");
    ok(dir.path(), &["analyze", "fit"]);
    ok(dir.path(), &["report", "fit"]);
    let html = fs::read_to_string(folder.join("report.html")).unwrap();
    for text in ["The fitted survival", "calibration.json", "[calibrate]"] {
        assert!(html.contains(text), "the report lacks {text:?}");
    }
}

#[test]
fn files_do_not_depend_on_threads_or_on_an_interruption() {
    let dir = workdir("known.toml", SCENARIO);
    let quick = CALIBRATE
        .replace("replications = 400", "replications = 100")
        .replace("refine = 12", "refine = 6");
    fs::write(dir.path().join("fit.toml"), quick).unwrap();
    simulate_data(dir.path(), 0.5);
    ok(
        dir.path(),
        &["calibrate", "fit.toml", "--out", "one", "-j", "1", "-q"],
    );
    ok(
        dir.path(),
        &["calibrate", "fit.toml", "--out", "two", "-j", "2", "-q"],
    );
    let read = |folder: &str, name: &str| fs::read(dir.path().join(folder).join(name)).unwrap();
    for name in ["runs.parquet", "points.parquet", "calibration.json"] {
        assert_eq!(read("one", name), read("two", name), "{name}");
    }
    let cut = dir.path().join("two");
    let mut manifest = json(&cut.join("manifest.json"));
    let candidates = manifest["candidates"].as_array().unwrap().clone();
    let keep = candidates.len() / 2;
    for c in &candidates[keep..] {
        fs::remove_file(cut.join("chunks").join(c["file"].as_str().unwrap())).unwrap();
    }
    manifest["candidates"] = serde_json::Value::Array(candidates[..keep].to_vec());
    manifest["status"] = "running".into();
    fs::write(cut.join("manifest.json"), manifest.to_string()).unwrap();
    fs::remove_file(cut.join("runs.parquet")).unwrap();
    fs::remove_file(cut.join("calibration.json")).unwrap();
    ok(dir.path(), &["calibrate", "--resume", "two", "-q"]);
    for name in ["runs.parquet", "points.parquet", "calibration.json"] {
        assert_eq!(read("one", name), read("two", name), "{name} after resume");
    }
}

#[test]
fn bad_calibrate_files_are_refused_with_the_key_and_nothing_is_written() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "min = 0.2",
            "min = 2.0",
            &["calibrate.parameters[0]", "min must be below max"],
        ),
        (
            "time = \"days\"",
            "time = \"duration\"",
            &["calibrate.data.time", "no column `duration`", "days, ended"],
        ),
        (
            "key = \"aggressor.resolve_sigma\"",
            "key = \"aggressor.resolve_sigm\"",
            &["calibrate.parameters[0]", "resolve_sigma"],
        ),
        (
            "days = [30, 90, 180, 365]",
            "days = [30, 900]",
            &["900", "horizon_days"],
        ),
    ];
    for (from, to, texts) in cases {
        let dir = workdir("known.toml", SCENARIO);
        fs::write(
            dir.path().join("durations.csv"),
            "days,ended\n10,1\n1000,0\n",
        )
        .unwrap();
        fs::write(dir.path().join("fit.toml"), CALIBRATE.replace(from, to)).unwrap();
        refused(
            dir.path(),
            &["calibrate", "fit.toml", "--out", "out"],
            texts,
        );
        assert!(!dir.path().join("out").exists(), "{to}: wrote a folder");
    }
}

#[test]
fn the_bundled_calibration_runs_at_a_small_size() {
    let dir = tempfile::tempdir().unwrap();
    let configs = workspace().join("configs");
    let path = configs.join("calibration/fortna_no_peacekeepers.toml");
    let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
    let calibrate = table["calibrate"].as_table_mut().unwrap();
    calibrate.insert("replications".into(), toml::Value::Integer(20));
    calibrate.insert("explore".into(), toml::Value::Integer(3));
    calibrate.insert("refine".into(), toml::Value::Integer(3));
    calibrate.insert(
        "base".into(),
        configs
            .join("no_guarantees.toml")
            .display()
            .to_string()
            .into(),
    );
    let data = calibrate["data"].as_table_mut().unwrap();
    data.insert(
        "file".into(),
        workspace()
            .join("data/fortna_civil_ceasefires.csv")
            .display()
            .to_string()
            .into(),
    );
    fs::write(dir.path().join("c.toml"), toml::to_string(&table).unwrap()).unwrap();
    ok(dir.path(), &["calibrate", "c.toml", "--out", "out", "-q"]);
    let result = json(&dir.path().join("out/calibration.json"));
    // S(30) of the real ceasefires without peacekeepers is 0.97 (Kaplan-Meier of 62).
    let observed = result["targets"][0]["observed"].as_f64().unwrap();
    assert!((observed - 0.968).abs() < 0.01, "{observed}");
}
