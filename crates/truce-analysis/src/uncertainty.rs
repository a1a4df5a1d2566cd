//! Outcomes by the draws of uncertain parameters: how each point's outcome depends on the values
//! its replications drew (`[[uncertain]]` in the scenario; one record column per key, named by
//! the key).
//!
//! A point's proportions in the summary are already integrated over the uncertainty. Here they
//! are split by the draws: for a choice among values (a text column, or a numeric column with at
//! most [`MAX_LEVELS`] distinct values), P(outcome) at each value; for a continuous draw,
//! P(outcome) in each quarter of its draws (cut at the quartiles of all records' draws), and the
//! difference between the top and the bottom quarter with Newcombe's interval for a difference of
//! two independent proportions (Newcombe 1998, "Interval estimation for the difference between
//! independent proportions", Statistics in Medicine 17(8), method 10, from Wilson intervals).
//! Parameters are ranked by the size of that difference: the sensitivity of the outcome to what
//! nobody knows.

use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::report::TextTable;
use crate::stats::{Interval, wilson};
use crate::summary::with_parameters;
use crate::table;
use polars::prelude::*;

/// The outcomes split by the draws.
pub const OUTCOMES: [&str; 2] = ["violated", "collapsed"];

/// A numeric draw with at most this many distinct values is a choice among them.
pub const MAX_LEVELS: usize = 12;

/// P(outcome) among the replications of one point whose draw of one parameter fell in one level.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub point: u64,
    pub parameter: String,
    pub outcome: String,
    /// The value drawn, or the quarter (`q1` to `q4`) with its range.
    pub level: String,
    pub n: u64,
    pub hits: u64,
    pub p: Interval,
}

/// P(outcome) in the top quarter of a continuous draw minus that in the bottom quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub point: u64,
    pub parameter: String,
    pub outcome: String,
    pub difference: Interval,
}

/// The outcomes of a results folder split by its uncertain parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Uncertainty {
    /// The record columns that hold draws, in record order.
    pub parameters: Vec<String>,
    pub levels: Vec<Level>,
    pub effects: Vec<Effect>,
}

/// Whether a record column holds the draws of an uncertain parameter: its name is a key path
/// (`guarantors.air_cover.level`, `ladder[2].gain`); the record's own columns never are.
pub fn is_draw_column(name: &str) -> bool {
    name.contains('.') || name.contains('[')
}

/// Splits the outcomes of `runs` by every draw column.
pub fn record_uncertainty(
    runs: &LazyFrame,
    schema: &Schema,
    what: &str,
) -> Result<Uncertainty, AnalysisError> {
    let parameters: Vec<String> = schema
        .iter_names()
        .filter(|n| is_draw_column(n))
        .map(|n| n.to_string())
        .collect();
    let mut out = Uncertainty {
        parameters: parameters.clone(),
        ..Uncertainty::default()
    };
    let outcomes: Vec<&str> = OUTCOMES
        .into_iter()
        .filter(|o| schema.get(o).is_some())
        .collect();
    for parameter in &parameters {
        let numeric = schema
            .get(parameter.as_str())
            .is_some_and(|t| t.is_primitive_numeric());
        let distinct = table::collect(
            runs.clone()
                .select([col(parameter.as_str()).n_unique().alias("distinct")]),
            what,
        )?;
        let distinct = distinct
            .column("distinct")
            .and_then(|c| c.cast(&DataType::UInt64))
            .table(|| parameter.clone())?
            .u64()
            .table(|| parameter.clone())?
            .get(0)
            .unwrap_or(0) as usize;
        let continuous = numeric && distinct > MAX_LEVELS;
        let (level, cuts) = if continuous {
            let cuts = quartiles(runs, parameter, what)?;
            let x = col(parameter.as_str());
            let level = when(x.clone().lt_eq(lit(cuts[1])))
                .then(lit(0u32))
                .when(x.clone().lt_eq(lit(cuts[2])))
                .then(lit(1u32))
                .when(x.lt_eq(lit(cuts[3])))
                .then(lit(2u32))
                .otherwise(lit(3u32))
                .cast(DataType::String);
            (level, Some(cuts))
        } else {
            (col(parameter.as_str()).cast(DataType::String), None)
        };
        for outcome in &outcomes {
            let grouped = table::collect(
                runs.clone()
                    .filter(col(parameter.as_str()).is_not_null())
                    .select([
                        col("point").cast(DataType::UInt64),
                        level.clone().alias("level"),
                        col(*outcome).cast(DataType::UInt64).alias("hit"),
                    ])
                    .group_by([col("point"), col("level")])
                    .agg([
                        len().cast(DataType::UInt64).alias("n"),
                        col("hit").sum().alias("hits"),
                    ])
                    .sort(["point", "level"], SortMultipleOptions::default()),
                what,
            )?;
            let points = grouped.column("point").and_then(|c| c.u64().cloned());
            let levels = grouped.column("level").and_then(|c| c.str().cloned());
            let ns = grouped.column("n").and_then(|c| c.u64().cloned());
            let hits = grouped
                .column("hits")
                .and_then(|c| c.cast(&DataType::UInt64))
                .and_then(|c| c.u64().cloned());
            let (points, levels, ns, hits) = (
                points.table(|| "point".into())?,
                levels.table(|| parameter.clone())?,
                ns.table(|| "n".into())?,
                hits.table(|| (*outcome).into())?,
            );
            let mut rows = Vec::new();
            for i in 0..grouped.height() {
                let (Some(point), Some(n)) = (points.get(i), ns.get(i)) else {
                    continue;
                };
                let hits = hits.get(i).unwrap_or(0);
                let raw = levels.get(i).unwrap_or("").to_owned();
                let level = match &cuts {
                    Some(c) => {
                        let q: usize = raw.parse().unwrap_or(0);
                        format!("q{} ({:.4} to {:.4})", q + 1, c[q], c[q + 1])
                    }
                    None => raw,
                };
                let Some(p) = wilson(hits, n) else { continue };
                rows.push(Level {
                    point,
                    parameter: parameter.clone(),
                    outcome: (*outcome).into(),
                    level,
                    n,
                    hits,
                    p,
                });
            }
            if continuous {
                out.effects.extend(effects(&rows));
            }
            out.levels.extend(rows);
        }
    }
    Ok(out)
}

/// The minimum, the three quartiles and the maximum of a column's draws.
fn quartiles(runs: &LazyFrame, parameter: &str, what: &str) -> Result<[f64; 5], AnalysisError> {
    let x = || col(parameter).cast(DataType::Float64);
    let q = |p: f64, name: &str| x().quantile(lit(p), QuantileMethod::Linear).alias(name);
    let frame = table::collect(
        runs.clone().select([
            x().min().alias("q0"),
            q(0.25, "q1"),
            q(0.5, "q2"),
            q(0.75, "q3"),
            x().max().alias("q4"),
        ]),
        what,
    )?;
    let mut cuts = [0.0; 5];
    for (i, cut) in cuts.iter_mut().enumerate() {
        *cut = frame
            .column(&format!("q{i}"))
            .and_then(|c| c.f64().cloned())
            .table(|| parameter.into())?
            .get(0)
            .unwrap_or(f64::NAN);
    }
    Ok(cuts)
}

/// Top quarter minus bottom quarter at each point, with Newcombe's interval.
fn effects(rows: &[Level]) -> Vec<Effect> {
    let mut out = Vec::new();
    for bottom in rows.iter().filter(|r| r.level.starts_with("q1 ")) {
        let Some(top) = rows
            .iter()
            .find(|r| r.point == bottom.point && r.level.starts_with("q4 "))
        else {
            continue;
        };
        let (p1, p2) = (&top.p, &bottom.p);
        let d = p1.estimate - p2.estimate;
        let lower =
            d - ((p1.estimate - p1.lower).powi(2) + (p2.upper - p2.estimate).powi(2)).sqrt();
        let upper =
            d + ((p1.upper - p1.estimate).powi(2) + (p2.estimate - p2.lower).powi(2)).sqrt();
        out.push(Effect {
            point: bottom.point,
            parameter: bottom.parameter.clone(),
            outcome: bottom.outcome.clone(),
            difference: Interval {
                estimate: d,
                lower,
                upper,
            },
        });
    }
    out
}

impl Uncertainty {
    /// One row per point, parameter, outcome and level: `uncertainty.csv`.
    pub fn levels_frame(&self, design: Option<&Design>) -> Result<DataFrame, AnalysisError> {
        let l = &self.levels;
        let column = |name: &str, values: Vec<f64>| Column::new(name.into(), values);
        let frame = DataFrame::new(
            l.len(),
            vec![
                Column::new(
                    "point".into(),
                    l.iter().map(|r| r.point).collect::<Vec<_>>(),
                ),
                Column::new(
                    "parameter".into(),
                    l.iter().map(|r| r.parameter.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "outcome".into(),
                    l.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "level".into(),
                    l.iter().map(|r| r.level.as_str()).collect::<Vec<_>>(),
                ),
                Column::new("n".into(), l.iter().map(|r| r.n).collect::<Vec<_>>()),
                Column::new("hits".into(), l.iter().map(|r| r.hits).collect::<Vec<_>>()),
                column("p", l.iter().map(|r| r.p.estimate).collect()),
                column("lower", l.iter().map(|r| r.p.lower).collect()),
                column("upper", l.iter().map(|r| r.p.upper).collect()),
            ],
        )
        .table(|| "cannot build the uncertainty table".into())?;
        with_parameters(frame, design)
    }

    /// The effects, largest first within each point and outcome: `uncertainty_effects.csv`.
    pub fn effects_frame(&self, design: Option<&Design>) -> Result<DataFrame, AnalysisError> {
        let e = self.ranked();
        let frame = DataFrame::new(
            e.len(),
            vec![
                Column::new(
                    "point".into(),
                    e.iter().map(|r| r.point).collect::<Vec<_>>(),
                ),
                Column::new(
                    "parameter".into(),
                    e.iter().map(|r| r.parameter.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "outcome".into(),
                    e.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "top_minus_bottom_quarter".into(),
                    e.iter().map(|r| r.difference.estimate).collect::<Vec<_>>(),
                ),
                Column::new(
                    "lower".into(),
                    e.iter().map(|r| r.difference.lower).collect::<Vec<_>>(),
                ),
                Column::new(
                    "upper".into(),
                    e.iter().map(|r| r.difference.upper).collect::<Vec<_>>(),
                ),
            ],
        )
        .table(|| "cannot build the uncertainty effects table".into())?;
        with_parameters(frame, design)
    }

    /// Effects sorted by point, outcome and decreasing size.
    fn ranked(&self) -> Vec<&Effect> {
        let mut e: Vec<&Effect> = self.effects.iter().collect();
        e.sort_by(|a, b| {
            (a.point, &a.outcome).cmp(&(b.point, &b.outcome)).then(
                b.difference
                    .estimate
                    .abs()
                    .total_cmp(&a.difference.estimate.abs()),
            )
        });
        e
    }

    /// The printed tables, for at most `limit` points.
    pub fn text(&self, limit: usize) -> String {
        let points: Vec<u64> = {
            let mut p: Vec<u64> = self.levels.iter().map(|l| l.point).collect();
            p.dedup();
            p.into_iter().take(limit).collect()
        };
        let mut levels = TextTable::new(
            [
                "point",
                "parameter",
                "drawn",
                "n",
                "P(serious violation) [95% CI]",
                "P(collapse) [95% CI]",
            ]
            .map(String::from)
            .to_vec(),
            vec![true, false, false, true, false, false],
        );
        let shown = |i: &Interval| format!("{:.3} [{:.3}, {:.3}]", i.estimate, i.lower, i.upper);
        for l in self
            .levels
            .iter()
            .filter(|l| l.outcome == "violated" && points.contains(&l.point))
        {
            let collapse = self.levels.iter().find(|c| {
                c.outcome == "collapsed"
                    && c.point == l.point
                    && c.parameter == l.parameter
                    && c.level == l.level
            });
            levels.push(vec![
                l.point.to_string(),
                l.parameter.clone(),
                l.level.clone(),
                l.n.to_string(),
                shown(&l.p),
                collapse.map_or_else(|| "-".into(), |c| shown(&c.p)),
            ]);
        }
        let mut text = format!(
            "Outcomes by the draws of the uncertain parameters (each replication's own draws; quarters cut at the quartiles of all draws):\n{}",
            levels.render()
        );
        let ranked: Vec<&Effect> = self
            .ranked()
            .into_iter()
            .filter(|e| e.outcome == "collapsed" && points.contains(&e.point))
            .collect();
        if !ranked.is_empty() {
            let mut effects = TextTable::new(
                [
                    "point",
                    "parameter",
                    "ΔP(collapse), top − bottom quarter [95% CI]",
                ]
                .map(String::from)
                .to_vec(),
                vec![true, false, false],
            );
            for e in ranked {
                effects.push(vec![
                    e.point.to_string(),
                    e.parameter.clone(),
                    format!(
                        "{:+.3} [{:+.3}, {:+.3}]",
                        e.difference.estimate, e.difference.lower, e.difference.upper
                    ),
                ]);
            }
            text.push_str(&format!(
                "\nSensitivity of P(collapse) to each continuous uncertain parameter, largest first (Newcombe's interval):\n{}",
                effects.render()
            ));
        }
        text
    }
}
