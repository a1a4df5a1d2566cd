//! Reading a calibrate file (a scenario with a `[calibrate]` table, and its base) into a validated
//! [`Calibration`], its targets (given, or computed from a data file by Kaplan–Meier), and the
//! resolved `calibrate.toml` a calibration folder keeps so that it can be resumed alone.
//!
//! The parameters are checked through the sweep machinery (a Latin hypercube over their bounds,
//! which is also the search's first stage), so unknown keys get suggestions and every candidate of
//! that stage must build a scenario before anything runs. Every error is bad input naming the file.

use crate::error::user;
use crate::output::sweep::seed_as_toml;
use crate::sweep_input::{problems_report, read, read_base, report, split_table};
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::Path;
use truce_analysis::survival::kaplan_meier;
use truce_sim::calibrate::{CalibrateConfig, DataConfig, Target};
use truce_sim::sweep::{self, Sweep, SweepConfig};

/// A validated calibrate file.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub config: CalibrateConfig,
    /// The Latin hypercube of the first stage; later candidates are appended to its points as they
    /// are tried, so that `sweep.scenario(id)` builds the scenario of candidate `id`.
    pub sweep: Sweep,
    /// Whether each parameter takes whole numbers.
    pub integer: Vec<bool>,
    pub targets: Vec<Target>,
    /// The data's Kaplan–Meier curve, for the chart.
    pub data_curve: Option<DataCurve>,
    /// The text of `calibrate.toml`.
    pub resolved: String,
}

/// A Kaplan–Meier curve of the data with its 95% band, step by step, and its legend label.
#[derive(Debug, Clone, PartialEq)]
pub struct DataCurve {
    pub label: String,
    pub days: Vec<f64>,
    pub survival: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

#[derive(Debug, Deserialize)]
struct CalibrateFile {
    calibrate: CalibrateConfig,
    #[serde(flatten)]
    scenario: toml::Table,
}

/// Reads a calibrate file, its base and its data, and validates everything.
pub fn load(path: &Path, seed: Option<u64>) -> Result<Calibration> {
    let origin = path.display().to_string();
    let text = read(path, "calibrate file")?;
    let (mut config, overlay) = split(&text, &origin)?;
    let table = match config.base.clone() {
        None => overlay,
        Some(relative) => {
            let mut base = read_base(path, &relative, "calibrate")?;
            sweep::merge(&mut base, overlay);
            base
        }
    };
    // The data file is read now, relative to the calibrate file, and kept as absolute.
    if let Some(data) = &mut config.data {
        let file = path.parent().unwrap_or(Path::new("")).join(&data.file);
        data.file = std::path::absolute(&file)
            .unwrap_or(file)
            .display()
            .to_string();
    }
    build(config, table, seed, &origin)
}

/// Parses a resolved `calibrate.toml` (from a calibration folder) back.
pub fn from_resolved(text: &str, origin: &str) -> Result<Calibration> {
    let (config, table) = split(text, origin)?;
    build(config, table, None, origin)
}

fn split(text: &str, origin: &str) -> Result<(CalibrateConfig, toml::Table)> {
    split_table(
        text,
        origin,
        "calibrate",
        "a calibrate file is a scenario file with a [calibrate] table naming the parameters and the targets (see configs/calibration/)",
        |text| toml::from_str::<CalibrateFile>(text).map(|f| (f.calibrate, f.scenario)),
    )
}

fn build(
    config: CalibrateConfig,
    table: toml::Table,
    seed: Option<u64>,
    origin: &str,
) -> Result<Calibration> {
    problems_report(&config.check(), origin)?;
    let mut sweep_table = toml::toml! {
        design = "lhs"
    };
    sweep_table.insert(
        "samples".into(),
        toml::Value::Integer(config.explore as i64),
    );
    sweep_table.insert(
        "replications".into(),
        toml::Value::Integer(config.replications as i64),
    );
    sweep_table.insert(
        "parameters".into(),
        toml::Value::try_from(&config.parameters).context("cannot write the parameters out")?,
    );
    let sweep_config: SweepConfig = toml::Value::Table(sweep_table)
        .try_into()
        .context("cannot build the first stage of the calibration")?;
    let sweep = Sweep::new(sweep_config, table, seed).map_err(|e| {
        user(
            report(&e, origin)
                .to_string()
                .replace("sweep.parameters", "calibrate.parameters"),
        )
    })?;
    let integer = config
        .parameters
        .iter()
        .map(|p| sweep::integer_key(&sweep.base_config, &p.key))
        .collect();
    let mut targets = config.direct_targets();
    let mut data_curve = None;
    if let Some(data) = &config.data {
        let (data_targets, curve) = data_targets(data, origin)?;
        targets.extend(data_targets);
        data_curve = Some(curve);
    }
    let horizon = sweep.base_config.horizon_days;
    if let Some(t) = targets
        .iter()
        .find(|t| t.within_days.is_some_and(|d| d > horizon))
    {
        return Err(user(format!(
            "{origin}: target {} lies beyond the scenario's horizon_days ({horizon}): \
             set horizon_days to at least its day",
            t.label
        )));
    }
    if targets.len() < config.parameters.len() {
        return Err(user(format!(
            "{origin}: {} targets for {} parameters: give at least as many targets as parameters",
            targets.len(),
            config.parameters.len()
        )));
    }
    let resolved = resolved_text(&config, &sweep)?;
    Ok(Calibration {
        config,
        sweep,
        integer,
        targets,
        data_curve,
        resolved,
    })
}

/// S(t) at each day of `data.days`, by Kaplan–Meier with Greenwood standard errors, from the rows
/// of the CSV file that pass the filter; and the curve itself, for the chart.
fn data_targets(data: &DataConfig, origin: &str) -> Result<(Vec<Target>, DataCurve)> {
    let shown = &data.file;
    let mut reader = csv::Reader::from_path(shown).map_err(|e| {
        user(format!(
            "{origin}: calibrate.data.file: cannot read {shown}: {e} (paths are relative to the calibrate file)"
        ))
    })?;
    let headers = reader
        .headers()
        .map_err(|e| user(format!("{shown}: not a CSV file with a header: {e}")))?
        .clone();
    let column = |name: &str, key: &str| -> Result<usize> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            user(format!(
                "{origin}: calibrate.data.{key}: {shown} has no column `{name}`; its columns are {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            ))
        })
    };
    let time = column(&data.time, "time")?;
    let event = column(&data.event, "event")?;
    let mut filters = Vec::new();
    for (name, value) in &data.filter {
        let wanted = match value {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        filters.push((column(name, &format!("filter.{name}"))?, wanted));
    }
    let (mut times, mut events) = (Vec::new(), Vec::new());
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| user(format!("{shown}: row {}: {e}", row + 2)))?;
        if !filters
            .iter()
            .all(|(i, wanted)| record.get(*i).is_some_and(|v| v.trim() == wanted))
        {
            continue;
        }
        let t: f64 = record
            .get(time)
            .and_then(|v| v.trim().parse().ok())
            .filter(|t: &f64| t.is_finite() && *t >= 0.0)
            .ok_or_else(|| {
                user(format!(
                    "{shown}: row {}: column `{}` is not a duration >= 0",
                    row + 2,
                    data.time
                ))
            })?;
        let e = match record.get(event).map(str::trim) {
            Some("1" | "true" | "TRUE" | "True") => true,
            Some("0" | "false" | "FALSE" | "False") => false,
            _ => {
                return Err(user(format!(
                    "{shown}: row {}: column `{}` must be 1/0 or true/false",
                    row + 2,
                    data.event
                )));
            }
        };
        times.push(t * data.time_scale);
        events.push(e);
    }
    if times.is_empty() {
        return Err(user(format!(
            "{origin}: calibrate.data.filter: no row of {shown} passes the filter"
        )));
    }
    let curve = kaplan_meier(&times, &events);
    let mut targets = Vec::new();
    for &day in &data.days {
        if day > curve.max_time {
            return Err(user(format!(
                "{origin}: calibrate.data.days: day {day} lies beyond the data's last time ({:.0} days)",
                curve.max_time
            )));
        }
        // S(t) and Greenwood's variance, from the steps up to day t.
        let (mut survival, mut sum) = (1.0, 0.0);
        for step in curve.steps.iter().take_while(|s| s.time <= day) {
            let (n, d) = (step.at_risk as f64, step.events as f64);
            survival = step.survival;
            if n > d {
                sum += d / (n * (n - d));
            }
        }
        // With no event yet, Greenwood's variance is 0: bound it by one event in n (rule of three).
        let se = (survival * sum.sqrt()).max(1.0 / curve.n as f64);
        targets.push(Target::survival(day, survival, se));
    }
    let label = format!(
        "data ({} ceasefires{})",
        curve.n,
        if data.filter.is_empty() {
            String::new()
        } else {
            format!(
                ", {}",
                data.filter
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let steps = &curve.steps;
    let data_curve = DataCurve {
        label,
        days: steps.iter().map(|s| s.time).collect(),
        survival: steps.iter().map(|s| s.survival).collect(),
        lower: steps
            .iter()
            .map(|s| s.lower.unwrap_or(s.survival))
            .collect(),
        upper: steps
            .iter()
            .map(|s| s.upper.unwrap_or(s.survival))
            .collect(),
    };
    Ok((targets, data_curve))
}

fn resolved_text(config: &CalibrateConfig, sweep: &Sweep) -> Result<String> {
    let mut config = config.clone();
    config.base = None;
    let mut table = sweep.base.clone();
    table.insert("seed".into(), seed_as_toml(sweep.seed)?);
    table.insert(
        "calibrate".into(),
        toml::Value::try_from(&config).context("cannot write the [calibrate] table out")?,
    );
    let body = toml::to_string(&table).context("cannot write the resolved calibration out")?;
    Ok(format!(
        "# The resolved calibration \"{}\", written by truce {}: every scenario key with its value, and\n\
         # the [calibrate] table as run. `truce calibrate --resume` reads this file; the manifest holds\n\
         # its SHA-256, so it must not be edited.\n\n{body}",
        sweep.base_config.name,
        env!("CARGO_PKG_VERSION")
    ))
}
