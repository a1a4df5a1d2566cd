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

/// Collapse causes, as written in `collapse_cause`.
pub const COLLAPSE_CAUSES: [&str; 5] =
    ["offensive", "clash", "tripwire_war", "spiral", "exogenous"];

/// Offensive outcomes other than `none`, as written in `offensive_outcome`.
pub const OFFENSIVE_OUTCOMES: [&str; 3] = ["halted", "breakthrough", "stalemate"];

/// Boolean columns summarised as proportions, in output order (causes and offensive outcomes are
/// inserted after `collapsed` and `settled`).
const BOOLEAN_COLUMNS: [&str; 7] = [
    "violated",
    "collapsed",
    "tripwire_triggered",
    "tripwire_fired",
    "coalition_at_war",
    "direct_clash",
    "settled",
];

/// Day columns, with the event that makes them non-null.
const DAY_COLUMNS: [(&str, &str); 7] = [
    ("first_violation_day", "violated"),
    ("first_detected_day", "detected"),
    ("first_harassment_day", "harassed"),
    ("collapse_day", "collapsed"),
    ("settled_day", "settled"),
    ("offensive_length_days", "offensive"),
    ("end_day", "all"),
];

/// Count and mean columns, in output order; per-class and belief columns follow.
const COUNT_COLUMNS: [&str; 18] = [
    "background_total",
    "background_mean_first_30",
    "background_mean",
    "r_casualties_harassment",
    "r_casualties_serious",
    "d_responses",
    "r_responses",
    "u_responses",
    "nfz_incidents",
    "credibility_shocks",
    "negotiation_rounds",
    "successful_rounds",
    "grabs_succeeded",
    "grabs_failed",
    "grabs_pending",
    "sectors_lost",
    "resolve",
    "events",
];

/// The nation of the one contingent of the shorthand force (`truce_sim::config::SHORTHAND_NATION`).
pub const SHORTHAND_NATION: &str = "coalition";

/// The per-contingent flags of a record (MODEL.md section 15), each followed by the nation.
pub const NATION_FLAGS: [&str; 2] = ["tripwire_triggered_", "tripwire_fired_"];

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
    for name in BOOLEAN_COLUMNS {
        if schema.get(name).is_none() {
            continue;
        }
        if name == "settled" && schema.get("offensive_outcome").is_some() {
            for o in OFFENSIVE_OUTCOMES {
                out.push(binary(
                    format!("offensive_outcome={o}"),
                    col("offensive_outcome").eq(lit(o)).fill_null(lit(false)),
                ));
            }
        }
        out.push(binary(name, col(name)));
        if name == "tripwire_fired" {
            for prefix in NATION_FLAGS {
                for nation in nations(schema) {
                    let column = format!("{prefix}{nation}");
                    out.push(binary(column.clone(), col(column.as_str())));
                }
            }
        }
        if name == "collapsed" && schema.get("collapse_cause").is_some() {
            for cause in COLLAPSE_CAUSES {
                out.push(binary(
                    format!("collapse_cause={cause}"),
                    col("collapse_cause").eq(lit(cause)).fill_null(lit(false)),
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
    for name in COUNT_COLUMNS {
        if numeric(name) {
            out.push(mean(name, None));
        }
    }
    for prefix in [
        "r_casualties_harassment_",
        "r_casualties_serious_",
        "grabs_committed_sector_",
        "grabs_succeeded_sector_",
        "r_casualties_sector_",
        "committed_",
        "detected_",
        "attributed_",
        "belief_",
    ] {
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
