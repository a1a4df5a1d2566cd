//! End-to-end tests of the sensitivity analysis of `truce analyze` and `truce report`: warnings on
//! imprecise Sobol' indices and rare outcomes, per-level effects of an enumerated parameter, and
//! PRIM skipped with a note when a threshold separates nothing.

mod support;

use std::fs;

use support::{csv_rows, ok, stdout, sweep, workspace};

/// A Saltelli design with N = 8 base rows over two continuous parameters: far too few for
/// Sobol' indices, and collapse is rare in 120 days.
fn small_saltelli() -> String {
    format!(
        r#"name = "screening"
horizon_days = 120

[sweep]
base = "{}"
design = "saltelli"
samples = 8
replications = 20

[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
min = 0
max = 30

[[sweep.parameters]]
key = "guarantors.air_cover.auth_median_hours"
min = 1
max = 72
"#,
        workspace().join("configs/no_guarantees.toml").display()
    )
}

/// A grid over three air-cover postures and two forces in the rear.
fn posture_grid() -> String {
    format!(
        r#"name = "grid"
horizon_days = 180

[sweep]
base = "{}"
design = "grid"
replications = 60

[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call", "no_fly_zone"]

[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
values = [0.0, 15.0]
"#,
        workspace().join("configs/no_guarantees.toml").display()
    )
}

#[test]
fn sobol_indices_from_a_small_design_and_a_rare_outcome_are_flagged_not_clipped() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &small_saltelli());
    let printed = stdout(&ok(dir.path(), &["analyze", "out"]));
    for text in [
        "warning: Sobol' indices from N = 8 base rows are imprecise",
        "base rows (",
        "would narrow every interval to ±0.05",
        "warning: collapsed is rare: its mean over the points is",
        "replications per point (now 20)",
        "wider than the index's range [0, 1]",
    ] {
        assert!(printed.contains(text), "{text:?} not in\n{printed}");
    }
    // The marked estimates are in the table, and the CSV keeps them as they are with the reason.
    assert!(printed.contains(" !"), "{printed}");
    let rows = csv_rows(&out.join("analysis/sensitivity.csv"));
    let flagged: Vec<_> = rows
        .iter()
        .filter(|r| r["method"] == "sobol" && !r["warning"].is_empty())
        .collect();
    assert!(!flagged.is_empty(), "{rows:?}");
    for r in &flagged {
        let (e, lo, hi): (f64, f64, f64) = (
            r["estimate"].parse().unwrap(),
            r["lower"].parse().unwrap(),
            r["upper"].parse().unwrap(),
        );
        assert!(
            !(0.0..=1.0).contains(&e) || hi - lo > 1.0,
            "flagged without cause: {r:?}"
        );
    }
    assert!(
        rows.iter()
            .any(|r| r["method"] == "sobol" && r["estimate"].parse::<f64>().unwrap() > 1.0),
        "an index above 1 is kept as it is: {rows:?}"
    );
    // The report carries the warnings too.
    ok(dir.path(), &["report", "out"]);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Warnings on the sensitivity"), "no warnings");
    assert!(
        html.contains("Read them with care: see the warnings under the sensitivity table."),
        "no warning in the chart's caption"
    );
    assert!(
        html.contains("base rows are imprecise"),
        "no precision warning"
    );
}

#[test]
fn an_enumerated_parameter_gets_effects_per_level_not_a_regression_coefficient() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &posture_grid());
    let printed = stdout(&ok(dir.path(), &["analyze", "out"]));
    for text in [
        "effect against the reference level",
        "guarantors.air_cover.level = on_call (against none)",
        "guarantors.air_cover.level = no_fly_zone (against none)",
    ] {
        assert!(printed.contains(text), "{text:?} not in\n{printed}");
    }
    let rows = csv_rows(&out.join("analysis/sensitivity.csv"));
    let src: Vec<&str> = rows
        .iter()
        .filter(|r| r["method"] == "src" && r["measure"] == "src")
        .map(|r| r["parameter"].as_str())
        .collect();
    assert_eq!(src, ["guarantors.reassurance.troops_rear"], "{rows:?}");
    // In a balanced grid the effect of a level, the other parameter held fixed, is the
    // difference between the mean outcome at that level and at the reference.
    let summary = csv_rows(&out.join("analysis/summary.csv"));
    let mean_at = |level: &str| {
        let v: Vec<f64> = summary
            .iter()
            .filter(|r| {
                r["outcome"] == "collapsed"
                    && r["statistic"] == "proportion"
                    && r["guarantors.air_cover.level"] == level
            })
            .map(|r| r["estimate"].parse::<f64>().unwrap())
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    for level in ["on_call", "no_fly_zone"] {
        let row = rows
            .iter()
            .find(|r| r["method"] == "level" && r["level"] == level)
            .unwrap_or_else(|| panic!("no {level} row in {rows:?}"));
        assert_eq!(row["reference"], "none");
        assert_eq!(row["parameter"], "guarantors.air_cover.level");
        let effect: f64 = row["estimate"].parse().unwrap();
        let expected = mean_at(level) - mean_at("none");
        assert!(
            (effect - expected).abs() < 1e-9,
            "{level}: {effect} vs {expected}"
        );
    }
}

#[test]
fn a_threshold_that_separates_nothing_skips_prim_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let out = sweep(dir.path(), &small_saltelli());
    let printed = stdout(&ok(dir.path(), &["analyze", "out", "--threshold", "0.99"]));
    assert!(
        printed.contains("note: PRIM skipped: 0 of 32 points have collapsed > 0.99: nothing to separate; choose a threshold between the lowest and the highest value"),
        "{printed}"
    );
    // Everything else is written.
    for name in ["summary.csv", "sensitivity.csv", "report.txt"] {
        assert!(out.join("analysis").join(name).is_file(), "{name}");
    }
    assert!(!out.join("analysis/prim.csv").exists());
}

#[test]
fn outputs_computed_elsewhere_skip_prim_when_the_threshold_separates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let design = workspace().join("configs/designs/ishigami.toml");
    ok(
        dir.path(),
        &["design", design.to_str().unwrap(), "--out", "design.csv"],
    );
    let points = csv_rows(&dir.path().join("design.csv")).len();
    let mut text = String::from("point,y\n");
    for i in 0..points {
        text.push_str(&format!("{i},{}\n", (i % 7) as f64 / 7.0));
    }
    fs::write(dir.path().join("y.csv"), text).unwrap();
    let printed = stdout(&ok(
        dir.path(),
        &[
            "analyze",
            "sobol",
            "--design",
            "design.csv",
            "--outputs",
            "y.csv",
            "--column",
            "y",
            "--threshold",
            "2",
            "--out",
            "analysis",
        ],
    ));
    assert!(
        printed.contains("skipped: PRIM: 0 of the")
            && printed.contains(
                "points have y > 2: nothing to separate; choose a threshold between 0 and 0.8571"
            ),
        "{printed}"
    );
    assert!(dir.path().join("analysis/sensitivity.csv").is_file());
    assert!(!dir.path().join("analysis/prim.csv").exists());
}
