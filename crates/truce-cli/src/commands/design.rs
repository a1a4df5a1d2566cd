//! `truce design FILE --out OUT`: writes the points of a design as CSV or Parquet, running nothing.
//!
//! FILE is a sweep file, checked exactly as `truce sweep` checks it, or a design-only file: a
//! `[design]` table with the fields of `[sweep]` that describe a design, an optional `seed`, and
//! parameters whose keys are free names, checked only as parameter spaces.

use crate::args::DesignArgs;
use crate::error::{print_stdout, user};
use crate::output::points::{self, Order};
use crate::output::{TempFile, install_signal_handler};
use crate::sweep_input::{self, Overrides, check_size, with_suggestion};
use anyhow::Result;
use std::path::Path;
use truce_sim::ScenarioConfig;
use truce_sim::design::{self, Point};
use truce_sim::schema::{DESIGN_KEYS, FileKind};
use truce_sim::suggest;
use truce_sim::sweep::{self, DesignConfig};

/// Output formats, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Parquet,
}

pub fn design(args: &DesignArgs) -> Result<()> {
    let format = match args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Format::Csv,
        Some("parquet") => Format::Parquet,
        _ => {
            return Err(user(format!(
                "--out {}: end the file name with .csv or .parquet to choose the format",
                args.out.display()
            )));
        }
    };
    install_signal_handler();
    let origin = args.file.display().to_string();
    let text = sweep_input::read(&args.file, "design file")?;
    let table: Option<toml::Table> = text.parse().ok();
    let designed = match table {
        Some(t) if !t.contains_key("sweep") && t.contains_key("design") => {
            crate::input::check_schema(&text, &origin, FileKind::Design)?;
            design_only(t, &origin, args.seed, args.yes)?
        }
        Some(t) if !t.contains_key("sweep") => {
            return Err(user(format!(
                "{origin}: has neither a [sweep] table (a sweep file) nor a [design] table (a design-only file)"
            )));
        }
        // A sweep file, or text that is not TOML: the sweep reader reports it with its line.
        _ => {
            let loaded = sweep_input::load(
                &args.file,
                Overrides {
                    replications: None,
                    seed: args.seed,
                    yes: args.yes,
                },
            )?;
            Designed {
                name: loaded.sweep.design.name(),
                names: loaded
                    .sweep
                    .parameters
                    .iter()
                    .map(|p| p.name.clone())
                    .collect(),
                points: loaded.sweep.points,
            }
        }
    };
    let table = points::table(&designed.names, &designed.points, Order::ParametersFirst);
    write(&args.out, format, &table)?;
    print_stdout(&format!(
        "{}: {} points of the {} design over {} parameters\n",
        args.out.display(),
        designed.points.len(),
        designed.name,
        designed.names.len()
    ))
}

/// A design's points and its parameters' names.
pub(crate) struct Designed {
    pub(crate) name: &'static str,
    pub(crate) names: Vec<String>,
    pub(crate) points: Vec<Point>,
}

/// Writes whole or not at all.
fn write(out: &Path, format: Format, table: &crate::output::table::Table) -> Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(user(format!(
            "--out {}: the folder {} does not exist",
            out.display(),
            parent.display()
        )));
    }
    let temp = TempFile::new(out);
    match format {
        Format::Csv => table.write_csv(temp.path())?,
        Format::Parquet => table.write_parquet(temp.path(), Vec::new())?,
    }
    temp.persist()
}

/// Expands a design-only file: a `[design]` table alone.
pub(crate) fn design_only(
    mut table: toml::Table,
    origin: &str,
    seed_override: Option<u64>,
    yes: bool,
) -> Result<Designed> {
    let Some(value) = table.remove("design") else {
        unreachable!("checked by the caller")
    };
    if !table.is_empty() {
        let keys: Vec<&str> = table.keys().map(String::as_str).collect();
        return Err(user(format!(
            "{origin}: a design-only file holds only a [design] table, but it also sets {}; \
             to check parameters against a scenario, write a sweep file with a [sweep] table",
            keys.join(", ")
        )));
    }
    let toml::Value::Table(fields) = value else {
        return Err(user(format!(
            "{origin}: design: must be a table ([design]), got {}",
            value.type_str()
        )));
    };
    // Checked before the table is read, for a message that says what a seed is.
    if let Some(other) = fields
        .get("seed")
        .filter(|v| !matches!(v, toml::Value::Integer(n) if *n >= 0))
    {
        return Err(user(format!(
            "{origin}: design.seed: must be a whole number >= 0 (got {other})"
        )));
    }
    let mut problems = Vec::new();
    for key in fields.keys() {
        if !DESIGN_KEYS.contains(&key.as_str()) {
            let near = suggest::ranked(key, DESIGN_KEYS.map(String::from));
            problems.push(format!(
                "{origin}: design.{key}: not a key of a [design] table (it takes {}){}",
                DESIGN_KEYS.join(", "),
                near.first()
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(user(problems.join("\n")));
    }
    let config =
        DesignConfig::from_table(fields).map_err(|e| user(with_suggestion(&e.report(origin))))?;
    let seed = seed_override
        .or(config.seed)
        .unwrap_or(ScenarioConfig::default().seed);
    check_size(&config, origin, "design", yes)?;
    let design = sweep::design_of(&config).map_err(|p| user(format!("{origin}: design.{p}")))?;
    let parameters = sweep::free_parameters(&config).map_err(|e| user(e.report(origin)))?;
    let points = design::expand(&design, &parameters, seed)
        .map_err(|e| user(format!("{origin}: design: {e}")))?;
    Ok(Designed {
        name: design.name(),
        names: config.parameters.iter().map(|p| p.key.clone()).collect(),
        points,
    })
}
