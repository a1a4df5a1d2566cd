//! Per-point summaries of every outcome: proportions with 95% Wilson intervals, and means with
//! 95% Student t intervals and the 10%, 50% and 90% quantiles.
//!
//! One lazy query groups the records by point: only the columns the outcomes use are read, and
//! the streaming engine reads them in batches, so ten million records never sit in memory whole.
//! Quantiles interpolate linearly between order statistics (type 7 of Hyndman and Fan 1996).

use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::outcomes::{self, Outcome};
use crate::stats::{self, Interval};
use crate::table;
use polars::prelude::*;

/// The statistics of one outcome at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeStats {
    /// Records on which the outcome is defined (not null).
    pub n: u64,
    /// Records with the outcome, for a binary outcome.
    pub hits: Option<u64>,
    /// The proportion or mean, with its 95% interval (Wilson or t); the bounds are NaN when no
    /// interval can be formed (fewer than two values for a mean).
    pub estimate: Interval,
    /// Standard deviation, 10%, 50% and 90% quantiles, for a numeric outcome.
    pub sd: Option<f64>,
    pub p10: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// All outcomes at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointSummary {
    pub point: u64,
    pub records: u64,
    /// In the order of [`Summary::outcomes`].
    pub stats: Vec<OutcomeStats>,
}

/// The per-point summary of a set of records.
#[derive(Debug, Clone)]
pub struct Summary {
    pub outcomes: Vec<Outcome>,
    /// In order of point id.
    pub points: Vec<PointSummary>,
}

/// Summarises `runs` (a scan of records with the columns of `schema`) by point.
pub fn summarise(runs: LazyFrame, schema: &Schema, what: &str) -> Result<Summary, AnalysisError> {
    table::require(schema, &["point"], what)?;
    let mut outcomes = outcomes::binary_outcomes(schema);
    outcomes.extend(outcomes::numeric_outcomes(schema));
    let mut aggs = vec![len().alias("records")];
    for (i, o) in outcomes.iter().enumerate() {
        let e = o.expr.clone();
        aggs.push(e.clone().count().alias(format!("o{i}_n")));
        if o.binary {
            aggs.push(e.sum().alias(format!("o{i}_sum")));
        } else {
            aggs.push(e.clone().mean().alias(format!("o{i}_mean")));
            aggs.push(e.clone().std(1).alias(format!("o{i}_sd")));
            for (q, label) in [(0.1, "p10"), (0.5, "p50"), (0.9, "p90")] {
                aggs.push(
                    e.clone()
                        .quantile(lit(q), QuantileMethod::Linear)
                        .alias(format!("o{i}_{label}")),
                );
            }
        }
    }
    let query = runs
        .group_by([col("point")])
        .agg(aggs)
        .sort(["point"], SortMultipleOptions::default());
    let frame = table::collect_streaming(query, "the per-point summary")?;
    let points = u64s(&frame, "point")?;
    let records = u64s(&frame, "records")?;
    let mut summaries: Vec<PointSummary> = points
        .iter()
        .zip(&records)
        .map(|(&point, &records)| PointSummary {
            point: point.unwrap_or_default(),
            records: records.unwrap_or_default(),
            stats: Vec::with_capacity(outcomes.len()),
        })
        .collect();
    for (i, o) in outcomes.iter().enumerate() {
        let n = u64s(&frame, &format!("o{i}_n"))?;
        if o.binary {
            let sums = f64s(&frame, &format!("o{i}_sum"))?;
            for (row, s) in summaries.iter_mut().enumerate() {
                let n = n[row].unwrap_or(0);
                let hits = sums[row].unwrap_or(0.0).round() as u64;
                s.stats.push(OutcomeStats {
                    n,
                    hits: Some(hits),
                    estimate: stats::wilson(hits, n).unwrap_or(Interval {
                        estimate: f64::NAN,
                        lower: f64::NAN,
                        upper: f64::NAN,
                    }),
                    sd: None,
                    p10: None,
                    median: None,
                    p90: None,
                });
            }
        } else {
            let mean = f64s(&frame, &format!("o{i}_mean"))?;
            let sd = f64s(&frame, &format!("o{i}_sd"))?;
            let p10 = f64s(&frame, &format!("o{i}_p10"))?;
            let p50 = f64s(&frame, &format!("o{i}_p50"))?;
            let p90 = f64s(&frame, &format!("o{i}_p90"))?;
            for (row, s) in summaries.iter_mut().enumerate() {
                let n = n[row].unwrap_or(0);
                let m = mean[row].unwrap_or(f64::NAN);
                let estimate =
                    stats::mean_interval(n, m, sd[row].unwrap_or(f64::NAN)).unwrap_or(Interval {
                        estimate: m,
                        lower: f64::NAN,
                        upper: f64::NAN,
                    });
                s.stats.push(OutcomeStats {
                    n,
                    hits: None,
                    estimate,
                    sd: sd[row],
                    p10: p10[row],
                    median: p50[row],
                    p90: p90[row],
                });
            }
        }
    }
    Ok(Summary {
        outcomes,
        points: summaries,
    })
}

impl Summary {
    /// The position of outcome `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.outcomes.iter().position(|o| o.name == name)
    }

    /// The summary at point `id`.
    pub fn point(&self, id: u64) -> Option<&PointSummary> {
        self.points
            .binary_search_by_key(&id, |p| p.point)
            .ok()
            .map(|i| &self.points[i])
    }

    /// The long table: one row per point per outcome, with the point's parameters after `point`
    /// when a design is given.
    pub fn frame(&self, design: Option<&Design>) -> Result<DataFrame, AnalysisError> {
        let rows = self.points.len() * self.outcomes.len();
        let mut point = Vec::with_capacity(rows);
        let mut outcome = Vec::with_capacity(rows);
        let mut statistic = Vec::with_capacity(rows);
        let mut among: Vec<Option<&str>> = Vec::with_capacity(rows);
        let mut records = Vec::with_capacity(rows);
        let mut n = Vec::with_capacity(rows);
        let mut hits = Vec::with_capacity(rows);
        let mut estimate = Vec::with_capacity(rows);
        let mut lower = Vec::with_capacity(rows);
        let mut upper = Vec::with_capacity(rows);
        let mut interval = Vec::with_capacity(rows);
        let mut sd = Vec::with_capacity(rows);
        let mut p10 = Vec::with_capacity(rows);
        let mut median = Vec::with_capacity(rows);
        let mut p90 = Vec::with_capacity(rows);
        for p in &self.points {
            for (o, s) in self.outcomes.iter().zip(&p.stats) {
                point.push(p.point);
                outcome.push(o.name.as_str());
                statistic.push(if o.binary { "proportion" } else { "mean" });
                among.push(o.among.as_deref());
                records.push(p.records);
                n.push(s.n);
                hits.push(s.hits);
                estimate.push(finite(s.estimate.estimate));
                lower.push(finite(s.estimate.lower));
                upper.push(finite(s.estimate.upper));
                interval.push(match (o.binary, s.estimate.lower.is_finite()) {
                    (_, false) => None,
                    (true, true) => Some("wilson_95"),
                    (false, true) => Some("t_95"),
                });
                sd.push(s.sd.and_then(finite));
                p10.push(s.p10);
                median.push(s.median);
                p90.push(s.p90);
            }
        }
        let columns = vec![
            Column::new("point".into(), point),
            Column::new("outcome".into(), outcome),
            Column::new("statistic".into(), statistic),
            Column::new("among".into(), among),
            Column::new("records".into(), records),
            Column::new("n".into(), n),
            Column::new("hits".into(), hits),
            Column::new("estimate".into(), estimate),
            Column::new("lower".into(), lower),
            Column::new("upper".into(), upper),
            Column::new("interval".into(), interval),
            Column::new("sd".into(), sd),
            Column::new("p10".into(), p10),
            Column::new("median".into(), median),
            Column::new("p90".into(), p90),
        ];
        let frame =
            DataFrame::new(rows, columns).table(|| "cannot build the summary table".into())?;
        with_parameters(frame, design)
    }
}

/// `Some(x)` for a finite `x`.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Inserts the design's parameter columns after `point`, matched by point id. Every point of
/// `frame` must be in the design.
pub fn with_parameters(
    frame: DataFrame,
    design: Option<&Design>,
) -> Result<DataFrame, AnalysisError> {
    let Some(design) = design else {
        return Ok(frame);
    };
    if design.parameters.is_empty() {
        return Ok(frame);
    }
    let ids = u64s(&frame, "point")?;
    let mut rows = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for id in ids.iter().flatten() {
        match design.row(*id) {
            Some(r) => rows.push(r as IdxSize),
            None => {
                if missing.last() != Some(id) {
                    missing.push(*id);
                }
            }
        }
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().map(u64::to_string).collect();
        return Err(AnalysisError::input(format!(
            "the records have points that {} does not list: {}",
            design.origin,
            crate::error::name_list(&shown, 20)
        )));
    }
    let parameters = design
        .frame
        .select(design.parameters.iter().map(String::as_str))
        .and_then(|f| f.take(&IdxCa::from_vec("row".into(), rows)))
        .table(|| "cannot join the parameters".into())?;
    let mut columns: Vec<Column> = Vec::with_capacity(frame.width() + parameters.width());
    let mut rest = frame.columns().iter();
    if let Some(first) = rest.next() {
        columns.push(first.clone());
    }
    columns.extend(parameters.columns().iter().cloned());
    columns.extend(rest.cloned());
    DataFrame::new(frame.height(), columns).table(|| "cannot join the parameters".into())
}

/// A column as `u64` values.
pub(crate) fn u64s(frame: &DataFrame, name: &str) -> Result<Vec<Option<u64>>, AnalysisError> {
    let c = frame
        .column(name)
        .and_then(|c| c.cast(&DataType::UInt64))
        .table(|| format!("column {name}"))?;
    Ok(c.u64().table(|| format!("column {name}"))?.iter().collect())
}

/// A column as `f64` values.
pub(crate) fn f64s(frame: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, AnalysisError> {
    let c = frame
        .column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .table(|| format!("column {name}"))?;
    Ok(c.f64().table(|| format!("column {name}"))?.iter().collect())
}
