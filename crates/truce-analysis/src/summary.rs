//! Per-point summaries of every outcome: proportions with 95% Wilson intervals, and means with
//! 95% Student t intervals, standard deviations and the 10%, 50% and 90% quantiles.
//!
//! Quantiles interpolate linearly between order statistics (type 7 of Hyndman and Fan 1996, the
//! default of R and NumPy). Null values (a day whose event did not happen) are left out, so a day
//! column is summarised among the records that had the event.
//!
//! Ten million records are never loaded whole: the point ids are read once and sorted into
//! per-point segments (a counting sort), then each outcome's column is read on its own, a few
//! columns at a time, scattered into the segments and summarised there (quantiles by selection,
//! not sorting). A second thread reads the next columns while the current ones are summarised;
//! memory holds the point index and a few columns, whatever the number of outcomes.

use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::grouping::PointIndex;
use crate::outcomes::{self, Outcome};
use crate::stats::{self, Interval, quantile_sorted};
use crate::table;
use polars::prelude::*;
use std::sync::mpsc;

/// Outcome columns read per query.
const COLUMNS_PER_READ: usize = 4;

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
    let index = PointIndex::read(&runs, what)?;
    let mut summaries: Vec<PointSummary> = index
        .ids
        .iter()
        .enumerate()
        .map(|(i, &point)| PointSummary {
            point,
            records: index.records(i),
            stats: Vec::with_capacity(outcomes.len()),
        })
        .collect();
    let mut grouped = vec![f64::NAN; index.slot.len()];
    std::thread::scope(|scope| -> Result<(), AnalysisError> {
        // The reader sends a few columns at a time; the bound of one message keeps at most two
        // reads in memory.
        let (send, receive) = mpsc::sync_channel::<Result<DataFrame, AnalysisError>>(1);
        let reader = scope.spawn(|| {
            let send = send;
            for (c, chunk) in outcomes.chunks(COLUMNS_PER_READ).enumerate() {
                let columns: Vec<Expr> = chunk
                    .iter()
                    .enumerate()
                    .map(|(j, o)| {
                        o.expr
                            .clone()
                            .alias(format!("c{}", c * COLUMNS_PER_READ + j))
                    })
                    .collect();
                let frame = table::collect(
                    runs.clone().select(columns),
                    &format!("the summary of {what}"),
                );
                let failed = frame.is_err();
                if send.send(frame).is_err() || failed {
                    return;
                }
            }
        });
        let mut done = 0;
        while done < outcomes.len() {
            let Ok(frame) = receive.recv() else { break };
            let frame = frame?;
            for column in frame.columns() {
                let values = column.f64().table(|| "an outcome column".into())?;
                index.scatter(values, &mut grouped);
                let binary = outcomes[done].binary;
                for (p, summary) in summaries.iter_mut().enumerate() {
                    let segment = &mut grouped[index.offsets[p]..index.offsets[p + 1]];
                    summary.stats.push(segment_stats(segment, binary));
                }
                done += 1;
            }
        }
        drop(receive);
        // The reader only stops early after sending an error, which was returned above.
        let _ = reader.join();
        if done < outcomes.len() {
            return Err(AnalysisError::Table {
                context: format!("the summary of {what}"),
                source: PolarsError::ComputeError("the column reader stopped early".into()),
            });
        }
        Ok(())
    })?;
    Ok(Summary {
        outcomes,
        points: summaries,
    })
}

/// The statistics of one point's values of one outcome (NaN marks a missing value); reorders
/// the segment.
fn segment_stats(segment: &mut [f64], binary: bool) -> OutcomeStats {
    // Move the values present to the front.
    let mut n = 0;
    for i in 0..segment.len() {
        if !segment[i].is_nan() {
            segment.swap(n, i);
            n += 1;
        }
    }
    let values = &mut segment[..n];
    let nan = Interval {
        estimate: f64::NAN,
        lower: f64::NAN,
        upper: f64::NAN,
    };
    if binary {
        let hits = values.iter().filter(|&&v| v != 0.0).count() as u64;
        return OutcomeStats {
            n: n as u64,
            hits: Some(hits),
            estimate: stats::wilson(hits, n as u64).unwrap_or(nan),
            sd: None,
            p10: None,
            median: None,
            p90: None,
        };
    }
    if n == 0 {
        return OutcomeStats {
            n: 0,
            hits: None,
            estimate: nan,
            sd: None,
            p10: None,
            median: None,
            p90: None,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (n > 1)
        .then(|| (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt());
    let [p10, median, p90] = quantiles(values, [0.1, 0.5, 0.9]);
    OutcomeStats {
        n: n as u64,
        hits: None,
        estimate: stats::mean_interval(n as u64, mean, sd.unwrap_or(f64::NAN)).unwrap_or(
            Interval {
                estimate: mean,
                ..nan
            },
        ),
        sd,
        p10: Some(p10),
        median: Some(median),
        p90: Some(p90),
    }
}

/// Type-7 quantiles of `values` (no NaN, not empty) at increasing probabilities, by successive
/// selection: after selecting the k-th order statistic, everything before it is no larger and
/// everything after no smaller, so the next selection only searches what follows.
fn quantiles<const N: usize>(values: &mut [f64], probabilities: [f64; N]) -> [f64; N] {
    let n = values.len();
    if n <= 64 {
        values.sort_unstable_by(f64::total_cmp);
        return probabilities.map(|q| quantile_sorted(values, q).unwrap_or(f64::NAN));
    }
    let mut from = 0;
    probabilities.map(|q| {
        let h = (n - 1) as f64 * q;
        let k = h.floor() as usize;
        if k >= from {
            values[from..].select_nth_unstable_by(k - from, f64::total_cmp);
            from = k + 1;
        }
        let low = values[k];
        let fraction = h - k as f64;
        if fraction > 0.0 && k + 1 < n {
            let high = values[k + 1..]
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            low + fraction * (high - low)
        } else {
            low
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_quantiles_equal_sorted_ones() {
        // A deterministic sequence with many ties, above and below the sorting cut-off.
        for n in [1, 2, 5, 64, 65, 100, 1001] {
            let data: Vec<f64> = (0..n).map(|i| ((i * 7919) % 37) as f64 * 0.5).collect();
            let mut sorted = data.clone();
            sorted.sort_by(f64::total_cmp);
            let mut work = data.clone();
            let got = quantiles(&mut work, [0.1, 0.5, 0.9]);
            for (g, q) in got.iter().zip([0.1, 0.5, 0.9]) {
                assert_eq!(*g, quantile_sorted(&sorted, q).unwrap(), "n = {n}, q = {q}");
            }
        }
    }

    #[test]
    fn missing_values_are_left_out() {
        let mut segment = [1.0, f64::NAN, 3.0, f64::NAN];
        let s = segment_stats(&mut segment, false);
        assert_eq!(s.n, 2);
        assert_eq!(s.estimate.estimate, 2.0);
        assert_eq!(s.median, Some(2.0));
        let mut flags = [1.0, 0.0, f64::NAN, 1.0];
        let b = segment_stats(&mut flags, true);
        assert_eq!((b.n, b.hits), (3, Some(2)));
    }
}
