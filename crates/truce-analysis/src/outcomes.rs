//! The outcomes of a record that the analysis summarises, as polars expressions on `runs.parquet`.
//!
//! Binary outcomes are proportions: `violated`, `collapsed`, `collapse_cause=<cause>` for each
//! cause, `tripwire_triggered`, `tripwire_fired` (then `tripwire_triggered_<nation>` and
//! `tripwire_fired_<nation>` for each contingent), `coalition_at_war`, `direct_clash`, `settled`
//! and `offensive_outcome=<outcome>`. Numeric outcomes are means: days (conditional on the event:
//! a day column is null when its event did not happen) and counts, per contingent too.

use crate::error::AnalysisError;
use crate::table;
use polars::prelude::*;
use truce_formats::runs::{
    self, BOOLEAN, COLLAPSE_CAUSE, COLLAPSED, COUNTS, OFFENSIVE_OUTCOME, SETTLED, TRIPWIRE_FIRED,
};

pub use truce_formats::runs::NATION_FLAGS;

/// Collapse causes, as written in `collapse_cause`.
pub const COLLAPSE_CAUSES: [&str; 5] =
    ["offensive", "clash", "tripwire_war", "spiral", "exogenous"];

/// Offensive outcomes other than `none`, as written in `offensive_outcome`.
pub const OFFENSIVE_OUTCOMES: [&str; 3] = ["halted", "breakthrough", "stalemate"];

/// Day columns, with the event that makes them non-null (`all`: never null).
const DAY_COLUMNS: [(&str, &str); 7] = [
    (runs::FIRST_VIOLATION_DAY, "violated"),
    (runs::FIRST_DETECTED_DAY, "detected"),
    (runs::FIRST_HARASSMENT_DAY, "harassed"),
    (runs::COLLAPSE_DAY, "collapsed"),
    (runs::SETTLED_DAY, "settled"),
    (runs::OFFENSIVE_LENGTH_DAYS, "offensive"),
    (runs::END_DAY, "all"),
];

/// The nation of the one contingent of the shorthand force (`truce_sim::config::SHORTHAND_NATION`).
pub const SHORTHAND_NATION: &str = "coalition";

/// The nations of the contingents whose columns the records have, in column order.
pub fn nations(schema: &Schema) -> Vec<String> {
    schema
        .iter()
        .filter(|(_, t)| **t == DataType::Boolean)
        .filter_map(|(name, _)| name.strip_prefix(NATION_FLAGS[0]))
        .map(str::to_owned)
        .collect()
}

/// One outcome: its name, how it is computed, and whether it is a proportion.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    /// The value per record as `f64` (0/1 for a binary outcome); null where undefined.
    pub expr: Expr,
    pub binary: bool,
    /// The records it is defined on, for conditional means (`violated`, `collapsed`, …);
    /// `None` when it is defined on all.
    pub among: Option<String>,
}

fn binary(name: impl Into<String>, expr: Expr) -> Outcome {
    Outcome {
        name: name.into(),
        expr: expr.cast(DataType::Float64),
        binary: true,
        among: None,
    }
}

/// The binary outcomes whose columns the records have.
pub fn binary_outcomes(schema: &Schema) -> Vec<Outcome> {
    let mut out = Vec::new();
    // The causes follow `collapsed`; the offensive outcomes come just before `settled`.
    for name in BOOLEAN {
        if schema.get(name).is_none() {
            continue;
        }
        if name == SETTLED && schema.get(OFFENSIVE_OUTCOME).is_some() {
            for o in OFFENSIVE_OUTCOMES {
                out.push(binary(
                    format!("{OFFENSIVE_OUTCOME}={o}"),
                    col(OFFENSIVE_OUTCOME).eq(lit(o)).fill_null(lit(false)),
                ));
            }
        }
        out.push(binary(name, col(name)));
        if name == TRIPWIRE_FIRED {
            for prefix in NATION_FLAGS {
                for nation in nations(schema) {
                    let column = format!("{prefix}{nation}");
                    out.push(binary(column.clone(), col(column.as_str())));
                }
            }
        }
        if name == COLLAPSED && schema.get(COLLAPSE_CAUSE).is_some() {
            for cause in COLLAPSE_CAUSES {
                out.push(binary(
                    format!("{COLLAPSE_CAUSE}={cause}"),
                    col(COLLAPSE_CAUSE).eq(lit(cause)).fill_null(lit(false)),
                ));
            }
        }
    }
    out
}

/// The numeric outcomes whose columns the records have: days, counts, then per-class counts and
/// final beliefs in the records' column order.
pub fn numeric_outcomes(schema: &Schema) -> Vec<Outcome> {
    let numeric = |name: &str| schema.get(name).is_some_and(|t| t.is_primitive_numeric());
    let mean = |name: &str, among: Option<&str>| Outcome {
        name: name.to_owned(),
        expr: col(name).cast(DataType::Float64),
        binary: false,
        among: among.map(str::to_owned),
    };
    let mut out = Vec::new();
    for (name, among) in DAY_COLUMNS {
        if numeric(name) {
            out.push(mean(name, (among != "all").then_some(among)));
        }
    }
    for name in COUNTS {
        if numeric(name) {
            out.push(mean(name, None));
        }
    }
    let prefixes = runs::NATION_CASUALTIES
        .iter()
        .chain(&runs::SECTOR_COUNTS)
        .chain(&runs::CLASS_COUNTS)
        .chain([&runs::BELIEF]);
    for prefix in prefixes {
        for name in schema.iter_names() {
            if name.starts_with(prefix) && numeric(name) {
                out.push(mean(name, None));
            }
        }
    }
    out
}

/// The outcome named `name`: a derived binary outcome, or any boolean or numeric column.
/// The error lists what can be named.
pub fn outcome(schema: &Schema, name: &str, what: &str) -> Result<Outcome, AnalysisError> {
    if let Some(o) = binary_outcomes(schema).into_iter().find(|o| o.name == name) {
        return Ok(o);
    }
    match schema.get(name) {
        Some(DataType::Boolean) => Ok(binary(name, col(name))),
        Some(t) if t.is_primitive_numeric() => Ok(Outcome {
            name: name.to_owned(),
            expr: col(name).cast(DataType::Float64),
            binary: false,
            among: None,
        }),
        Some(t) => Err(AnalysisError::input(format!(
            "{what}: column `{name}` holds {t}, not numbers or true/false; name a derived outcome such as `collapse_cause=spiral` instead"
        ))),
        None => {
            let derived: Vec<String> = binary_outcomes(schema)
                .into_iter()
                .map(|o| o.name)
                .filter(|n| n.contains('='))
                .collect();
            Err(AnalysisError::input(format!(
                "{what}: no outcome `{name}`: name a column ({}) or a derived outcome ({})",
                table::column_list(schema),
                derived.join(", ")
            )))
        }
    }
}
