//! Reading a solve file (a scenario with a `[solve]` table, and its base) into a validated [`Solve`],
//! and the resolved `solve.toml` that a solve folder keeps so that it can be resumed alone.
//!
//! The parameters are checked through the sweep machinery: the `over` parameters and the solved key
//! (at `min` and `max`) make a grid whose every point must build a scenario, so unknown keys get the
//! same suggestions and type checks as in sweeps. Every error is bad input and names the file.

use crate::error::user;
use crate::output::sweep::seed_as_toml;
use crate::sweep_input::{problems_report, read, read_base, report, split_table};
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;
use truce_sim::solve::SolveConfig;
use truce_sim::sweep::{self, Sweep, SweepConfig};

/// A validated solve file.
#[derive(Debug, Clone)]
pub struct Solve {
    pub config: SolveConfig,
    /// The grid of `over` and the key; its `points` are replaced by the values tried as they are
    /// tried, so that `sweep.scenario(id)` builds the scenario of value `id`.
    pub sweep: Sweep,
    /// The solved key takes only whole numbers.
    pub integer: bool,
    /// One combination of the `over` parameters' values per root to find, in grid order
    /// (a single empty combination without `over`).
    pub combinations: Vec<Vec<toml::Value>>,
    /// The unit-hypercube coordinates of each combination, as in a grid sweep.
    pub units: Vec<Vec<f64>>,
    /// The text of `solve.toml`.
    pub resolved: String,
}

#[derive(Debug, Deserialize)]
struct SolveFile {
    solve: SolveConfig,
    #[serde(flatten)]
    scenario: toml::Table,
}

/// Reads a solve file and its base and validates everything; `seed` overrides the scenario's.
pub fn load(path: &Path, seed: Option<u64>) -> Result<Solve> {
    let origin = path.display().to_string();
    let text = read(path, "solve file")?;
    let (config, overlay) = split(&text, &origin)?;
    let table = match config.base.clone() {
        None => overlay,
        Some(relative) => {
            let mut base = read_base(path, &relative, "solve")?;
            sweep::merge(&mut base, overlay);
            base
        }
    };
    build(config, table, seed, &origin)
}

/// Parses a resolved `solve.toml` (from a solve folder) back into its solve.
pub fn from_resolved(text: &str, origin: &str) -> Result<Solve> {
    let (config, table) = split(text, origin)?;
    build(config, table, None, origin)
}

/// The `[solve]` table and the scenario keys of a solve file.
fn split(text: &str, origin: &str) -> Result<(SolveConfig, toml::Table)> {
    split_table(
        text,
        origin,
        "solve",
        "a solve file is a scenario file with a [solve] table naming the key, its min and max, the outcome and the target (see configs/solve/)",
        |text| toml::from_str::<SolveFile>(text).map(|f| (f.solve, f.scenario)),
    )
}

fn build(
    config: SolveConfig,
    table: toml::Table,
    seed: Option<u64>,
    origin: &str,
) -> Result<Solve> {
    problems_report(&config.check(), origin)?;
    // A scenario that does not parse is reported by the sweep's own checks below.
    let integer = truce_sim::validate::from_value(toml::Value::Table(table.clone()))
        .is_ok_and(|scenario| sweep::integer_key(&scenario, &config.key));
    if integer && (config.min.fract() != 0.0 || config.max.fract() != 0.0) {
        return Err(user(format!(
            "{origin}: solve.min: {} takes whole numbers: give whole min and max (got {} and {})",
            config.key, config.min, config.max
        )));
    }
    let ends = if integer {
        vec![
            toml::Value::Integer(config.min as i64),
            toml::Value::Integer(config.max as i64),
        ]
    } else {
        vec![
            toml::Value::Float(config.min),
            toml::Value::Float(config.max),
        ]
    };
    let mut parameters = config.over.clone();
    if parameters.iter().any(|p| p.key == config.key) {
        return Err(user(format!(
            "{origin}: solve.over: {} is the key being solved for; it cannot also be in over",
            config.key
        )));
    }
    parameters.push(sweep::ParameterConfig {
        key: config.key.clone(),
        values: Some(ends),
        min: None,
        max: None,
        steps: None,
        distribution: None,
    });
    let sweep_table = toml::toml! {
        design = "grid"
        replications = 1
        max_points = 1_000_000
    };
    let mut sweep_table = sweep_table;
    sweep_table.insert(
        "parameters".into(),
        toml::Value::try_from(&parameters).context("cannot write the parameters out")?,
    );
    let sweep_config: SweepConfig = toml::Value::Table(sweep_table)
        .try_into()
        .context("cannot build the grid of the solve")?;
    let over = config.over.len();
    let sweep = Sweep::new(sweep_config, table, seed).map_err(|e| {
        let text = report(&e, origin).to_string();
        user(rename_keys(&text, over, &config.key))
    })?;
    let combinations: Vec<Vec<toml::Value>> = sweep
        .points
        .chunks(2)
        .map(|pair| pair[0].values[..over].to_vec())
        .collect();
    let units: Vec<Vec<f64>> = sweep
        .points
        .chunks(2)
        .map(|pair| pair[0].unit[..over].to_vec())
        .collect();
    let resolved = resolved_text(&config, &sweep)?;
    let mut sweep = sweep;
    sweep.points.clear();
    Ok(Solve {
        config,
        sweep,
        integer,
        combinations,
        units,
        resolved,
    })
}

/// Sweep messages speak of `sweep.parameters[i]`: name the solve file's keys instead.
fn rename_keys(text: &str, over: usize, key: &str) -> String {
    let mut text = text.replace(
        &format!("sweep.parameters[{over}] ({key})"),
        &format!("solve.key ({key})"),
    );
    for i in 0..over {
        text = text.replace(
            &format!("sweep.parameters[{i}]"),
            &format!("solve.over[{i}]"),
        );
    }
    text
}

/// The text of `solve.toml`: every scenario key with its value, the seed, and the `[solve]` table
/// without `base`.
fn resolved_text(config: &SolveConfig, sweep: &Sweep) -> Result<String> {
    let mut config = config.clone();
    config.base = None;
    let mut table = sweep.base.clone();
    table.insert("seed".into(), seed_as_toml(sweep.seed)?);
    table.insert(
        "solve".into(),
        toml::Value::try_from(&config).context("cannot write the [solve] table out")?,
    );
    let body = toml::to_string(&table).context("cannot write the resolved solve out")?;
    Ok(format!(
        "# The resolved solve \"{}\", written by truce {}: every scenario key with its value, and the\n\
         # [solve] table as run. `truce solve --resume` reads this file; the manifest holds its SHA-256,\n\
         # so it must not be edited.\n\n{body}",
        sweep.base_config.name,
        env!("CARGO_PKG_VERSION")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
name = "s"
horizon_days = 30

[solve]
key = "guarantors.reassurance.troops_rear"
min = 0
max = 30
outcome = "collapsed"
target = 0.1

[[solve.over]]
key = "guarantors.air_cover.level"
values = ["none", "on_call"]
"#;

    #[test]
    fn a_solve_file_gives_one_combination_per_over_value_and_reads_back() {
        let (config, table) = split(FILE, "f.toml").unwrap();
        let solve = build(config, table, None, "f.toml").unwrap();
        assert_eq!(solve.combinations.len(), 2);
        assert!(!solve.integer);
        assert!(solve.sweep.points.is_empty());
        let again = from_resolved(&solve.resolved, "solve.toml").unwrap();
        assert_eq!(again.config, solve.config);
        assert_eq!(again.combinations, solve.combinations);
        assert_eq!(again.resolved, solve.resolved);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let bad = FILE.replace(
            "guarantors.reassurance.troops_rear",
            "guarantors.reassurance.troops_raer",
        );
        let (config, table) = split(&bad, "f.toml").unwrap();
        let err = build(config, table, None, "f.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("solve.key"), "{err}");
        assert!(err.contains("troops_rear"), "{err}");
        let err = split(
            &FILE.replace("target = 0.1", "target = 0.1\ntarget_p = 2"),
            "f.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("f.toml:") && err.contains("target_p"), "{err}");
    }
}
