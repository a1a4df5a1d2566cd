//! Reading a sweep file (with its base scenario) into a validated [`Sweep`], and the resolved
//! `sweep.toml` that a sweep folder keeps so that it can be resumed, replayed or merged alone.
//!
//! Every error is bad input and names the file it is about.

use crate::error::user;
use crate::input::check_schema;
use crate::output::sweep::seed_as_toml;
use anyhow::{Context, Result};
use std::path::Path;
use truce_sim::design;
use truce_sim::schema::FileKind;
pub use truce_sim::suggest::with_suggestion;
use truce_sim::sweep::{self, DesignConfig, Replications, Sweep, SweepError};
use truce_sim::validate;

/// Command-line changes to a sweep file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// `--replications`: replications per point of a fixed-replication sweep.
    pub replications: Option<u64>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--yes`: run a design larger than `max_points`.
    pub yes: bool,
}

/// A validated sweep and its resolved text.
#[derive(Debug)]
pub struct Loaded {
    pub sweep: Sweep,
    /// The text of `sweep.toml`.
    pub resolved: String,
}

/// Reads the text of a file, as bad input naming it when unreadable.
pub fn read(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| user(format!("{}: cannot read the {what}: {e}", path.display())))
}

/// Reads a sweep file and its base, applies the overrides and validates everything.
pub fn load(path: &Path, overrides: Overrides) -> Result<Loaded> {
    let origin = path.display().to_string();
    let text = read(path, "sweep file")?;
    if text
        .parse::<toml::Table>()
        .ok()
        .is_none_or(|t| t.contains_key("sweep"))
    {
        check_schema(&text, &origin, FileKind::Sweep)?;
    }
    let Some((mut config, overlay)) = sweep::split(&text).map_err(|e| report(&e, &origin))? else {
        return Err(user(format!(
            "{origin}: has no [sweep] table; a sweep file is a scenario file with a [sweep] table \
             (see configs/sweeps/), and `truce run` runs a single scenario"
        )));
    };
    let table = match config.base.clone() {
        None => overlay,
        Some(relative) => {
            let mut base = read_base(path, &relative, "sweep")?;
            sweep::merge(&mut base, overlay);
            base
        }
    };
    if let Some(n) = overrides.replications {
        if config.precision.is_some() {
            return Err(user(format!(
                "--replications {n}: {origin} has a precision target ([sweep.precision]), which decides \
                 the replications of each point; change its min_replications and max_replications instead"
            )));
        }
        config.replications = Some(n);
    }
    check_size(&config.design_table(), &origin, "sweep", overrides.yes)?;
    let sweep = Sweep::new(config, table, overrides.seed).map_err(|e| report(&e, &origin))?;
    check_columns(&sweep, &origin)?;
    let resolved = resolved_text(&sweep)?;
    Ok(Loaded { sweep, resolved })
}

/// Parses a resolved `sweep.toml` (from a sweep folder) back into its sweep.
pub fn from_resolved(text: &str, origin: &str) -> Result<Sweep> {
    let Some((config, table)) = sweep::split(text).map_err(|e| report(&e, origin))? else {
        return Err(user(format!("{origin}: has no [sweep] table")));
    };
    Sweep::new(config, table, None).map_err(|e| report(&e, origin))
}

/// Splits the text of a file with a `[<table>]` table (`solve`, `calibrate`) into that table and
/// its scenario keys: `parse` reads the whole text into both (through a struct with the table and
/// a flattened rest, so that errors in the table keep their line). `hint` says what such a file
/// is, for a file without the table.
pub fn split_table<T>(
    text: &str,
    origin: &str,
    table: &str,
    hint: &str,
    parse: impl FnOnce(&str) -> Result<(T, toml::Table), toml::de::Error>,
) -> Result<(T, toml::Table)> {
    let kind = match table {
        "solve" => Some(FileKind::Solve),
        "calibrate" => Some(FileKind::Calibrate),
        _ => None,
    };
    let parsed: toml::Table = match text.parse() {
        Ok(parsed) => parsed,
        Err(e) => {
            // Every syntax error, each with its line and column.
            if let Some(kind) = kind {
                check_schema(text, origin, kind)?;
            }
            let e: toml::de::Error = e;
            return Err(user(validate::toml_error(text, "", &e).report(origin)));
        }
    };
    if !parsed.contains_key(table) {
        return Err(user(format!("{origin}: has no [{table}] table; {hint}")));
    }
    // Every unknown key and wrong type of the table and of the scenario keys, at once.
    if let Some(kind) = kind {
        check_schema(text, origin, kind)?;
    }
    let (config, mut scenario) =
        parse(text).map_err(|e| user(validate::toml_error(text, table, &e).report(origin)))?;
    scenario.remove(table);
    Ok((config, scenario))
}

/// Every problem of a table's own check, as one bad-input error naming `origin`.
pub fn problems_report(problems: &[truce_sim::Problem], origin: &str) -> Result<()> {
    let lines: Vec<String> = problems.iter().map(|p| format!("{origin}: {p}")).collect();
    match lines.len() {
        0 => Ok(()),
        1 => Err(user(lines[0].clone())),
        n => Err(user(format!(
            "{origin}: {n} problems\n{}",
            lines.join("\n")
        ))),
    }
}

/// The base scenario named by `<table>.base` (`sweep` or `solve`), relative to the file that names
/// it, as a table.
pub fn read_base(sweep_path: &Path, relative: &str, table_name: &str) -> Result<toml::Table> {
    let origin = sweep_path.display();
    let path = sweep_path
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(relative);
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        user(format!(
            "{origin}: {table_name}.base: cannot read the base scenario {shown} (paths are relative to the {table_name} file): {e}"
        ))
    })?;
    let table: toml::Table = text.parse().map_err(|_| {
        // The scenario parser gives the line and the message.
        match validate::parse(&text) {
            Err(e) => user(e.report(&shown)),
            Ok(_) => user(format!("{shown}: not valid TOML")),
        }
    })?;
    for kind in ["sweep", "solve"] {
        if table.contains_key(kind) {
            return Err(user(format!(
                "{origin}: {table_name}.base: {shown} is itself a {kind} file; name a scenario file"
            )));
        }
    }
    // Problems of the base file are reported against it, all at once, with their lines.
    check_schema(&text, &shown, FileKind::Scenario)?;
    Ok(table)
}

/// Refuses a design larger than `max_points` without `--yes`, before any point is expanded.
/// `table` names the table the limit is set in (`sweep` or `design`).
pub fn check_size(config: &DesignConfig, origin: &str, table: &str, yes: bool) -> Result<()> {
    if yes {
        return Ok(());
    }
    // Problems with the design are reported by the full check that follows.
    let (Ok(design), Ok(parameters)) = (sweep::design_of(config), sweep::free_parameters(config))
    else {
        return Ok(());
    };
    let Ok(size) = design::size(&design, &parameters) else {
        return Ok(());
    };
    if size > config.max_points {
        return Err(user(format!(
            "{origin}: the {} design has {size} points, more than {table}.max_points = {}; \
             pass --yes to go ahead anyway, or raise {table}.max_points",
            design.name(),
            config.max_points
        )));
    }
    Ok(())
}

/// Refuses parameters that would change the columns of the records between points.
fn check_columns(sweep: &Sweep, origin: &str) -> Result<()> {
    for (i, p) in sweep.parameters.iter().enumerate() {
        if p.name.starts_with("ladder[") && p.name.ends_with("].name") {
            return Err(user(format!(
                "{origin}: sweep.parameters[{i}] ({}): the ladder's class names name the columns of \
                 the records, so every point must keep them; sweep another key of the class",
                p.name
            )));
        }
    }
    Ok(())
}

/// The text of `sweep.toml`: every scenario key with its value (defaults written out), the seed,
/// and the `[sweep]` table without `base` and with the replications per point written out.
pub fn resolved_text(sweep: &Sweep) -> Result<String> {
    let mut config = sweep.config.clone();
    config.base = None;
    if let Replications::Fixed(n) = sweep.replications {
        config.replications = Some(n);
    }
    let mut table = sweep.base.clone();
    table.insert("seed".into(), seed_as_toml(sweep.seed)?);
    table.insert(
        truce_formats::sweep_file::TABLE.into(),
        toml::Value::try_from(&config).context("cannot write the [sweep] table out")?,
    );
    let body = toml::to_string(&table).context("cannot write the resolved sweep out")?;
    Ok(format!(
        "# The resolved sweep \"{}\", written by truce {}: every scenario key with its value, and the\n\
         # [sweep] table as run. `truce sweep --resume`, `truce replay` and `truce merge` read this file;\n\
         # the manifest holds its SHA-256, so it must not be edited.\n\n{body}",
        sweep.base_config.name,
        env!("CARGO_PKG_VERSION")
    ))
}

/// A sweep error as bad input, every problem on its own line prefixed with `origin`; an unknown
/// field of the `[sweep]` table gets the nearest valid one suggested.
pub fn report(err: &SweepError, origin: &str) -> anyhow::Error {
    config_report(&with_suggestion(&err.report(origin)), origin)
}

/// One problem reads `<origin>: <problem>`; several get a count line first.
fn config_report(report: &str, origin: &str) -> anyhow::Error {
    match report.lines().count() {
        0 | 1 => user(report.to_string()),
        n => user(format!("{origin}: {n} problems\n{report}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resolved_text_gives_back_the_same_sweep() {
        let text = r#"
name = "t"
horizon_days = 30
[sweep]
design = "lhs"
samples = 5
[[sweep.parameters]]
key = "guarantors.air_cover.auth_median_hours"
min = 1
max = 48
"#;
        let (config, table) = sweep::split(text).unwrap().unwrap();
        let sweep = Sweep::new(config, table, Some(7)).unwrap();
        let resolved = resolved_text(&sweep).unwrap();
        let again = from_resolved(&resolved, "sweep.toml").unwrap();
        assert_eq!(again.seed, 7);
        assert_eq!(again.points, sweep.points);
        assert_eq!(again.replications, Replications::Fixed(1000));
        assert_eq!(resolved_text(&again).unwrap(), resolved);
    }

    #[test]
    fn the_resolved_text_has_the_keys_the_analysis_reads() {
        use truce_formats::sweep_file;
        let text = "name = \"t\"\nhorizon_days = 30\n[sweep]\ndesign = \"grid\"\nreplications = 3\n\
                    reference = 1\ncrn = false\n[[sweep.parameters]]\nkey = \"description\"\n\
                    values = [\"a\", \"b\"]\n";
        let (config, table) = sweep::split(text).unwrap().unwrap();
        let resolved = resolved_text(&Sweep::new(config, table, None).unwrap()).unwrap();
        let parsed: toml::Table = resolved.parse().unwrap();
        let table = parsed[sweep_file::TABLE].as_table().unwrap();
        assert_eq!(table[sweep_file::REFERENCE].as_integer(), Some(1));
        assert_eq!(table[sweep_file::CRN].as_bool(), Some(false));
    }
}
