//! Whole analyses of results folders written in the layouts of `truce run` and `truce sweep`.

use crate::{assert_close, design_frame, names, unit_parameters, write_parquet};
use polars::prelude::*;
use std::fs;
use std::path::Path;
use truce_analysis::{Options, analyze_folder};
use truce_sim::design::{Design as Plan, expand};

/// One record, reduced to what the tests set.
struct Rec {
    point: u64,
    replication: u64,
    violation_day: Option<f64>,
    collapse: Option<(f64, &'static str)>,
}

/// A `runs.parquet` table with the record's main columns (the rest are optional to the analysis).
fn runs_frame(records: &[Rec]) -> DataFrame {
    let n = records.len();
    let end: Vec<f64> = records
        .iter()
        .map(|r| r.collapse.map_or(730.0, |c| c.0))
        .collect();
    df!(
        "point" => records.iter().map(|r| r.point).collect::<Vec<_>>(),
        "replication" => records.iter().map(|r| r.replication).collect::<Vec<_>>(),
        "seed" => records.iter().map(|r| r.replication * 31).collect::<Vec<_>>(),
        "resolve" => vec![0.5; n],
        "violated" => records.iter().map(|r| r.violation_day.is_some()).collect::<Vec<_>>(),
        "first_violation_day" => records.iter().map(|r| r.violation_day).collect::<Vec<_>>(),
        "committed_land_grab" => records.iter().map(|r| u32::from(r.violation_day.is_some()) * 2).collect::<Vec<_>>(),
        "collapsed" => records.iter().map(|r| r.collapse.is_some()).collect::<Vec<_>>(),
        "collapse_day" => records.iter().map(|r| r.collapse.map(|c| c.0)).collect::<Vec<_>>(),
        "collapse_cause" => records.iter().map(|r| r.collapse.map(|c| c.1)).collect::<Vec<_>>(),
        "settled" => vec![false; n],
        "settled_day" => vec![None::<f64>; n],
        "end_day" => end,
        "tripwire_fired" => vec![false; n],
        "offensive_outcome" => records.iter().map(|r| if r.collapse.is_some_and(|c| c.1 == "offensive") { "breakthrough" } else { "none" }).collect::<Vec<_>>(),
        "grabs_succeeded" => vec![1u32; n],
        "events" => vec![100u64; n],
    )
    .unwrap()
}

fn run_folder(dir: &Path, records: &[Rec]) {
    fs::create_dir_all(dir).unwrap();
    write_parquet(&dir.join("runs.parquet"), &mut runs_frame(records));
    fs::write(
        dir.join("manifest.json"),
        r#"{"scenario": "test", "config": {"horizon_days": 730.0}}"#,
    )
    .unwrap();
}

fn sweep_folder(dir: &Path, records: &[Rec], points: &mut DataFrame, sweep: &str, status: &str) {
    run_folder(dir, records);
    write_parquet(&dir.join("points.parquet"), points);
    fs::write(dir.join("sweep.toml"), sweep).unwrap();
    fs::write(
        dir.join("manifest.json"),
        format!(r#"{{"status": "{status}", "crn": true, "config": {{"horizon_days": 730.0}}}}"#),
    )
    .unwrap();
}

/// Point 0 of a run: ten replications, violations on days 10, 20 and 30, one collapse (spiral)
/// on day 100.
fn one_point() -> Vec<Rec> {
    (0..10)
        .map(|r| Rec {
            point: 0,
            replication: r,
            violation_day: (r < 3).then(|| 10.0 * (r + 1) as f64),
            collapse: (r == 9).then_some((100.0, "spiral")),
        })
        .collect()
}

fn value(frame: &DataFrame, outcome: &str, column: &str) -> Option<f64> {
    let rows = frame
        .clone()
        .lazy()
        .filter(col("outcome").eq(lit(outcome)))
        .select([col(column).cast(DataType::Float64)])
        .collect()
        .unwrap();
    rows.column(column).unwrap().f64().unwrap().get(0)
}

/// By hand: P(violation) = 3/10, Wilson [0.1078, 0.6032]; the violation days 10, 20, 30 have
/// mean 20, s = 10, t(0.975, 2) = 4.302653, so the interval is 20 ± 24.8414, median 20, p10 = 12,
/// p90 = 28; P(collapse_cause = spiral) = 1/10. Kaplan–Meier of violation: 0.9, 0.8, 0.7 at days
/// 10, 20, 30, then no more events: S(30) = 0.7, S(730) = 0.7 (the others are censored at 730,
/// or at 100 for the one that collapsed).
#[test]
fn a_run_folder_is_summarised_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("run");
    run_folder(&results, &one_point());
    let analysis = analyze_folder(&results, &Options::default()).unwrap();
    assert_eq!(analysis.reference, None);
    assert!(analysis.comparisons.is_empty() && analysis.sensitivity.is_none());
    let outputs = analysis.outputs().unwrap();
    let summary = outputs.get("summary.parquet").unwrap();
    assert_close(value(summary, "violated", "estimate").unwrap(), 0.3, 1e-12);
    assert_close(value(summary, "violated", "lower").unwrap(), 0.1078, 5e-5);
    assert_close(value(summary, "violated", "upper").unwrap(), 0.6032, 5e-5);
    assert_close(
        value(summary, "collapse_cause=spiral", "estimate").unwrap(),
        0.1,
        1e-12,
    );
    assert_close(
        value(summary, "collapse_cause=offensive", "estimate").unwrap(),
        0.0,
        1e-12,
    );
    assert_close(
        value(summary, "first_violation_day", "estimate").unwrap(),
        20.0,
        1e-12,
    );
    assert_close(
        value(summary, "first_violation_day", "n").unwrap(),
        3.0,
        0.0,
    );
    assert_close(
        value(summary, "first_violation_day", "lower").unwrap(),
        20.0 - 24.8414,
        1e-4,
    );
    assert_close(
        value(summary, "first_violation_day", "median").unwrap(),
        20.0,
        1e-12,
    );
    assert_close(
        value(summary, "first_violation_day", "p10").unwrap(),
        12.0,
        1e-12,
    );
    assert_close(
        value(summary, "first_violation_day", "p90").unwrap(),
        28.0,
        1e-12,
    );
    assert_close(
        value(summary, "committed_land_grab", "estimate").unwrap(),
        0.6,
        1e-12,
    );

    let violation = analysis
        .curves
        .iter()
        .find(|c| c.curve == "violation")
        .unwrap();
    let s: Vec<f64> = violation.km.steps.iter().map(|s| s.survival).collect();
    assert_eq!(s.len(), 3);
    for (a, b) in s.iter().zip([0.9, 0.8, 0.7]) {
        assert_close(*a, b, 1e-12);
    }
    assert_close(violation.km.at(730.0).unwrap().survival, 0.7, 1e-12);
    let survival = outputs.get("survival.parquet").unwrap();
    assert_eq!(
        names(survival),
        [
            "point", "curve", "time", "at_risk", "events", "survival", "lower", "upper"
        ]
    );
    assert_eq!(
        survival.height(),
        1 + 3 + 1 + 1,
        "time 0 and the events of both curves"
    );

    let out = dir.path().join("analysis");
    let written = outputs.write(&out).unwrap();
    for name in [
        "summary.parquet",
        "summary.csv",
        "survival.parquet",
        "survival_summary.csv",
        "report.txt",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    assert!(written.iter().all(|p| p.is_file()));
    assert!(analysis.report().contains("0.300 [0.108, 0.603]"));
    // No staging folder is left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());

    // Written again over an older analysis: a file it no longer writes is removed.
    fs::write(out.join("prim.json"), "{}").unwrap();
    analysis.outputs().unwrap().write(&out).unwrap();
    assert!(!out.join("prim.json").exists());
}

/// Two points with common random numbers, reference point 1 (from sweep.toml).
/// Point 0 violates in replications 0–2 and collapses once (day 100); point 1 violates in 0–4
/// and collapses twice (days 50 and 60).
///
/// Paired difference in P(violation): per replication 0 − 1 = −1 in replications 3 and 4, else 0:
/// mean −0.2, s = √(1.6 / 9) = 0.421637, t(0.975, 9) = 2.262157, half-width 2.262157 × 0.421637 / √10 = 0.301621.
/// Hazard ratio: exposure 9 × 730 + 100 = 6670 days with 1 collapse against 8 × 730 + 110 = 5950
/// with 2: HR = (1 / 6670) / (2 / 5950) = 0.446027, se(ln HR) = √(1 + 1/2) = 1.224745,
/// interval 0.446027 × exp(∓1.959964 × 1.224745) = 0.446027 × (0.090677, 11.028202)
/// = [0.040444, 4.918876].
#[test]
fn a_sweep_is_compared_with_its_reference_by_replication() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("sweep");
    let mut records = Vec::new();
    for r in 0..10 {
        records.push(Rec {
            point: 0,
            replication: r,
            violation_day: (r < 3).then_some(5.0),
            collapse: (r == 9).then_some((100.0, "clash")),
        });
        records.push(Rec {
            point: 1,
            replication: r,
            violation_day: (r < 5).then_some(5.0),
            collapse: match r {
                8 => Some((50.0, "offensive")),
                9 => Some((60.0, "offensive")),
                _ => None,
            },
        });
    }
    let mut points = df!(
        "point" => [0u64, 1],
        "role" => ["grid", "grid"],
        "guarantors.reassurance.troops" => [0.0, 2.0],
        "unit_0" => [0.0, 1.0],
    )
    .unwrap();
    let sweep = "name = \"x\"\n[sweep]\ndesign = \"grid\"\nreference = 1\n";
    sweep_folder(&results, &records, &mut points, sweep, "complete");
    let analysis = analyze_folder(&results, &Options::default()).unwrap();
    assert_eq!(analysis.reference, Some(1));
    let find = |outcome: &str, measure: &str| {
        analysis
            .comparisons
            .iter()
            .find(|c| c.point == 0 && c.outcome == outcome && c.measure == measure)
            .unwrap()
            .clone()
    };
    let d = find("violated", "difference");
    assert_eq!(d.method, "paired_t");
    assert_eq!(d.n, 10);
    assert_close(d.estimate, -0.2, 1e-12);
    assert_close(d.lower, -0.2 - 0.301_621, 1e-6);
    assert_close(d.upper, -0.2 + 0.301_621, 1e-6);
    let hr = find("collapsed", "hazard_ratio");
    assert_close(hr.estimate, 0.446_027, 1e-6);
    assert_close(hr.lower, 0.040_444, 1e-6);
    assert_close(hr.upper, 4.918_876, 1e-5);

    let outputs = analysis.outputs().unwrap();
    let comparisons = outputs.get("comparisons.csv").unwrap();
    assert_eq!(
        names(comparisons)[..3],
        ["point", "guarantors.reassurance.troops", "reference"]
    );
    let summary = outputs.get("summary.csv").unwrap();
    assert_eq!(
        names(summary)[..3],
        ["point", "guarantors.reassurance.troops", "outcome"]
    );
    assert!(
        analysis.sensitivity.is_some(),
        "two grid points still get a regression"
    );

    // --reference overrides the sweep's; an unknown reference is named.
    let options = Options {
        reference: Some(0),
        ..Options::default()
    };
    let a = analyze_folder(&results, &options).unwrap();
    assert!(
        a.comparisons
            .iter()
            .all(|c| c.point == 1 && c.reference == 0)
    );
    let options = Options {
        reference: Some(5),
        ..Options::default()
    };
    let err = analyze_folder(&results, &options).unwrap_err();
    assert!(
        err.is_input() && err.to_string().contains("reference point 5"),
        "{err}"
    );
}

/// A Saltelli sweep of 64 points: the per-point P(collapse) rises with x0 only, so x0 gets the
/// indices and PRIM's box restricts x0 alone.
#[test]
fn a_saltelli_sweep_gets_sobol_indices_and_a_prim_box() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("saltelli");
    let parameters = unit_parameters(2);
    let plan = Plan::Saltelli {
        base: 32,
        second_order: false,
    };
    let points = expand(&plan, &parameters, 1).unwrap();
    let replications = 40;
    let mut records = Vec::new();
    for p in &points {
        for r in 0..replications {
            // Collapse in the share x0 of the replications, so P(collapse) = floor(40 x0) / 40.
            let collapsed = (r as f64) < p.unit[0] * replications as f64;
            records.push(Rec {
                point: p.id,
                replication: r,
                violation_day: collapsed.then_some(3.0),
                collapse: collapsed.then_some((10.0, "offensive")),
            });
        }
    }
    let sweep = "[sweep]\ndesign = \"saltelli\"\nsamples = 32\n";
    sweep_folder(
        &results,
        &records,
        &mut design_frame(&parameters, &points),
        sweep,
        "complete",
    );
    let analysis = analyze_folder(&results, &Options::default()).unwrap();
    let s = analysis.sensitivity.as_ref().unwrap();
    let first = s.measure("sobol", "S1");
    assert!(
        first[0].estimate > 0.8 && first[1].estimate.abs() < 0.05,
        "{first:?}"
    );
    let total = s.measure("sobol", "ST");
    assert_close(total[1].estimate, 0.0, 1e-12);
    let prim = analysis.prim.as_ref().unwrap();
    assert_eq!(prim.result.pasted.restricted, [true, false]);
    let outputs = analysis.outputs().unwrap();
    assert!(outputs.get("sensitivity.csv").is_some() && outputs.get("prim.csv").is_some());
    assert!(analysis.report().contains("PRIM box for collapsed > 0.5"));
    let out = dir.path().join("out");
    outputs.write(&out).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("prim.json")).unwrap()).unwrap();
    assert_eq!(json["box"]["limits"][0]["parameter"], "x0");
}

/// Bad folders: each error names what is wrong and how to fix it.
#[test]
fn incomplete_folders_and_unknown_outcomes_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();

    let err = analyze_folder(&dir.path().join("nothing"), &Options::default()).unwrap_err();
    assert!(
        err.is_input() && err.to_string().contains("no such folder"),
        "{err}"
    );

    let run = dir.path().join("run");
    run_folder(&run, &one_point());
    fs::remove_file(run.join("runs.parquet")).unwrap();
    let err = analyze_folder(&run, &Options::default()).unwrap_err();
    assert!(
        err.is_input() && err.to_string().contains("runs.parquet is missing"),
        "{err}"
    );

    let sweep = dir.path().join("sweep");
    let mut points = df!("point" => [0u64], "role" => ["grid"], "a" => [1.0]).unwrap();
    sweep_folder(&sweep, &one_point(), &mut points, "[sweep]\n", "running");
    let err = analyze_folder(&sweep, &Options::default()).unwrap_err();
    let message = err.to_string();
    assert!(err.is_input(), "{message}");
    assert!(
        message.contains("incomplete (status: running)"),
        "{message}"
    );
    assert!(message.contains("truce sweep --resume"), "{message}");

    let run = dir.path().join("run2");
    run_folder(&run, &one_point());
    let options = Options {
        outcome: Some("colapsed".into()),
        ..Options::default()
    };
    let err = analyze_folder(&run, &options).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("no outcome `colapsed`"), "{message}");
    assert!(message.contains("collapsed, collapse_day"), "{message}");
    assert!(message.contains("collapse_cause=spiral"), "{message}");
}

/// The bundled comparison with the Fortna ceasefires is a valid four-point sweep, and each
/// point's scenario runs at a short horizon.
#[test]
fn the_fortna_comparison_config_is_a_valid_sweep() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../configs/sweeps/fortna_comparison.toml"
    );
    let text = fs::read_to_string(path).unwrap();
    let (config, overlay) = truce_sim::sweep::split(&text).unwrap().unwrap();
    let base_path = Path::new(path)
        .parent()
        .unwrap()
        .join(config.base.as_deref().unwrap());
    let mut base: toml::Table = fs::read_to_string(base_path).unwrap().parse().unwrap();
    truce_sim::sweep::merge(&mut base, overlay);
    let sweep = truce_sim::sweep::Sweep::new(config, base, None).unwrap();
    assert_eq!(sweep.points.len(), 4);
    for point in &sweep.points {
        let scenario = sweep.scenario(point.id).unwrap();
        let records = truce_sim::run_replications(&scenario, 1, point.id, 0, 5, &|| {});
        assert_eq!(records.len(), 5);
    }
}
