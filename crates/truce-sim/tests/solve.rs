//! The root finder of `truce solve` against a case with an analytic answer: with only the exogenous
//! hazard able to end the ceasefire, P(collapse by day T) = 1 − s^(HR · (T/365)^k), s the one-year
//! survival `collapse.hazard_survival_1y`, HR the hazard ratio, k the shape (docs/model.md §10).
//! At T = 365 the root of P = p in s is (1 − p)^(1/HR), and in HR (`collapse.hr_presence`, with R
//! present) ln(1 − p) / ln(s).

use std::ops::Range;
use truce_sim::Scenario;
use truce_sim::solve::{Conclusion, Finder, Solution, hit};
use truce_sim::sweep;

/// Only harassment, no negotiations, no guarantees: only the exogenous hazard collapses it.
const HAZARD_ONLY: &str = r#"
name = "hazard_only"
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
"#;

const TARGET: f64 = 0.3;

/// Solves for `key` in [min, max] with base seed `seed`, on `table`.
fn solve(table: &toml::Table, key: &str, min: f64, max: f64, seed: u64) -> Solution {
    let finder = Finder {
        min,
        max,
        target: TARGET,
        tolerance: 0.005,
        integer: false,
        half_width: Some(0.03),
        initial: 200,
        max_replications: 1600,
    };
    finder
        .solve(|x, reps: Range<u64>| -> Result<u64, String> {
            let mut table = table.clone();
            sweep::set(&mut table, key, toml::Value::Float(x))?;
            let text = toml::to_string(&table).map_err(|e| e.to_string())?;
            let scenario = Scenario::from_toml_str(&text).map_err(|e| e.report("scenario"))?;
            let count = (reps.end - reps.start) as usize;
            let records =
                truce_sim::run_replications(&scenario, seed, 0, reps.start, count, &|| {});
            Ok(records
                .iter()
                .filter(|r| hit(r, "collapsed", Some(365.0)))
                .count() as u64)
        })
        .unwrap()
}

fn root(solution: &Solution) -> (f64, f64, f64) {
    match solution.conclusion {
        Conclusion::Root {
            root, low, high, ..
        } => (root, low, high),
        ref other => panic!("no root: {other:?}"),
    }
}

#[test]
fn the_root_in_one_year_survival_is_found_and_its_interval_covers_the_truth() {
    let table: toml::Table = HAZARD_ONLY.parse().unwrap();
    let truth = 1.0 - TARGET;
    let seeds = 40;
    let mut covered = 0;
    for seed in 0..seeds {
        let solution = solve(&table, "collapse.hazard_survival_1y", 0.3, 0.95, seed);
        let (x, low, high) = root(&solution);
        assert!(
            low <= x && x <= high,
            "seed {seed}: {x} outside [{low}, {high}]"
        );
        assert!(solution.decreasing);
        // Each interval is at most about 2 × 0.03 wide, so a root off by 0.08 is a real miss.
        assert!(
            (x - truth).abs() < 0.08,
            "seed {seed}: root {x}, truth {truth}"
        );
        if low <= truth && truth <= high {
            covered += 1;
        }
    }
    // Nominal 95%; at least 90% of 40, as a check of the interval's construction.
    eprintln!("the interval covered the truth for {covered} of {seeds} seeds");
    assert!(covered >= 36, "covered {covered} of {seeds}");
}

#[test]
fn the_root_in_a_hazard_ratio_rises_with_the_ratio() {
    let mut table: toml::Table = HAZARD_ONLY.parse().unwrap();
    // A force present, so that hr_presence applies (harassment cannot set off the tripwire).
    sweep::set(
        &mut table,
        "guarantors.reassurance.troops_rear",
        toml::Value::Float(1.0),
    )
    .unwrap();
    let truth = (1.0 - TARGET).ln() / 0.61f64.ln();
    let solution = solve(&table, "collapse.hr_presence", 0.2, 2.0, 7);
    let (x, low, high) = root(&solution);
    assert!(!solution.decreasing);
    assert!(low <= x && x <= high);
    assert!((x - truth).abs() < 0.15, "root {x}, truth {truth}");
}

#[test]
fn a_target_out_of_reach_is_reported_with_both_ends() {
    let table: toml::Table = HAZARD_ONLY.parse().unwrap();
    // P(collapse) runs from 0.05 to 0.25 over s in [0.75, 0.95]: 0.3 is out of reach.
    let solution = solve(&table, "collapse.hazard_survival_1y", 0.75, 0.95, 1);
    assert_eq!(solution.conclusion, Conclusion::MetEverywhere);
    assert!(solution.at_min.p < TARGET && solution.at_max.p < TARGET);
}
