//! End-to-end tests of uncertain parameters (`[[uncertain]]`): the draws are columns of
//! `runs.parquet`, `truce analyze` splits the outcomes by them, every point of a sweep faces the
//! same draws, `truce solve` accepts such a file, and a key both swept and drawn is refused.

use std::collections::BTreeMap;
use std::fs;
use support::{ok, refused, stdout, workdir};

mod support;

const UNCERTAIN: &str = r#"
[[uncertain]]
key = "guarantors.air_cover.level"
distribution = "categorical"
values = ["isr", "on_call", "no_fly_zone"]
weights = [0.4, 0.4, 0.2]

[[uncertain]]
key = "guarantors.reassurance.p_tripwire"
distribution = "beta"
mean = 0.5
strength = 4.0
"#;

/// Rows of `uncertainty.csv` as (point, parameter, outcome, level) → n.
fn levels(path: &std::path::Path) -> BTreeMap<(String, String, String, String), u64> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            (
                (
                    r["point"].clone(),
                    r["parameter"].clone(),
                    r["outcome"].clone(),
                    r["level"].clone(),
                ),
                r["n"].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn draws_are_recorded_and_split_the_outcomes() {
    let dir = workdir(
        "posture.toml",
        &format!("name = \"posture\"\nhorizon_days = 365\n{UNCERTAIN}"),
    );
    ok(
        dir.path(),
        &["run", "posture.toml", "-n", "300", "--out", "run", "-q"],
    );
    let batches: Vec<_> = truce_records::read_columns(
        &dir.path().join("run/runs.parquet"),
        &[
            "guarantors.air_cover.level",
            "guarantors.reassurance.p_tripwire",
        ],
    )
    .unwrap()
    .map(|b| b.unwrap())
    .collect();
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 300);
    let analysis = stdout(&ok(dir.path(), &["analyze", "run"]));
    assert!(
        analysis.contains("Outcomes by the draws of the uncertain parameters"),
        "{analysis}"
    );
    assert!(
        analysis.contains("guarantors.reassurance.p_tripwire"),
        "{analysis}"
    );
    let rows = levels(&dir.path().join("run/analysis/uncertainty.csv"));
    for parameter in [
        "guarantors.air_cover.level",
        "guarantors.reassurance.p_tripwire",
    ] {
        let n: u64 = rows
            .iter()
            .filter(|((_, p, o, _), _)| p == parameter && o == "collapsed")
            .map(|(_, n)| n)
            .sum();
        assert_eq!(n, 300, "{parameter}");
    }
    let categories: Vec<&str> = rows
        .keys()
        .filter(|(_, p, o, _)| p == "guarantors.air_cover.level" && o == "collapsed")
        .map(|(_, _, _, l)| l.as_str())
        .collect();
    assert_eq!(categories, ["isr", "no_fly_zone", "on_call"]);
    assert!(
        dir.path()
            .join("run/analysis/uncertainty_effects.csv")
            .exists()
    );
}

/// Under common random numbers every point of a sweep draws the same values in replication r:
/// the split of the replications by category is the same at every point.
#[test]
fn every_point_of_a_sweep_faces_the_same_draws() {
    let dir = workdir(
        "sweep.toml",
        &format!(
            "name = \"troops_under_uncertainty\"\nhorizon_days = 120\n{UNCERTAIN}
[sweep]
design = \"grid\"
replications = 200

[[sweep.parameters]]
key = \"guarantors.reassurance.troops_rear\"
values = [0.0, 15.0, 30.0]
"
        ),
    );
    ok(dir.path(), &["sweep", "sweep.toml", "--out", "sweep", "-q"]);
    ok(dir.path(), &["analyze", "sweep"]);
    let rows = levels(&dir.path().join("sweep/analysis/uncertainty.csv"));
    let split = |point: &str| -> Vec<(String, u64)> {
        rows.iter()
            .filter(|((p, q, o, _), _)| {
                p == point && q == "guarantors.air_cover.level" && o == "collapsed"
            })
            .map(|((_, _, _, l), n)| (l.clone(), *n))
            .collect()
    };
    assert_eq!(split("0"), split("1"));
    assert_eq!(split("0"), split("2"));
    assert_eq!(split("0").iter().map(|(_, n)| n).sum::<u64>(), 200);
}

#[test]
fn solve_accepts_uncertain_parameters() {
    let dir = workdir(
        "solve.toml",
        &format!(
            "name = \"troops_under_uncertainty\"\nhorizon_days = 365\n{UNCERTAIN}
[solve]
key = \"guarantors.reassurance.troops_rear\"
min = 0.0
max = 30.0
outcome = \"collapsed\"
target = 0.5
half_width = 10.0
initial_replications = 50
max_replications = 100
"
        ),
    );
    ok(dir.path(), &["solve", "solve.toml", "--out", "solve", "-q"]);
    // Integrated over the uncertain posture, P(collapse within a year) is below 0.5 at every
    // force: the solve says so rather than inventing a root.
    let json = fs::read_to_string(dir.path().join("solve/solve.json")).unwrap();
    assert!(json.contains("\"status\": \"met_everywhere\""), "{json}");
    ok(dir.path(), &["analyze", "solve"]);
    assert!(dir.path().join("solve/analysis/uncertainty.csv").exists());
}

#[test]
fn a_key_swept_and_drawn_is_refused() {
    let dir = workdir(
        "sweep.toml",
        &format!(
            "name = \"both\"\n{UNCERTAIN}
[sweep]
design = \"grid\"
replications = 10

[[sweep.parameters]]
key = \"guarantors.air_cover.level\"
values = [\"none\", \"on_call\"]
"
        ),
    );
    refused(
        dir.path(),
        &["sweep", "sweep.toml", "--out", "sweep"],
        &["guarantors.air_cover.level", "is uncertain too"],
    );
    assert!(!dir.path().join("sweep").exists());
}
