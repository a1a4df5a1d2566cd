//! Survival curves of tables: time to first serious violation and time to collapse at each point
//! of a results folder, or any time-to-event column of a CSV or Parquet file, by group.
//!
//! In the records, a replication that never violated (or never collapsed) is censored at
//! `end_day`, the day its ceasefire phase ended (collapse, settlement or the horizon).

use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::grouping::PointIndex;
use crate::summary::{f64s, finite, with_parameters};
use crate::survival::{self, Curve};
use crate::table;
use polars::prelude::*;
use std::path::Path;

/// The curves drawn from the records.
pub const CURVES: [&str; 2] = ["violation", "collapse"];

/// Default times at which `S(t)` is reported, in days.
pub const CHECKPOINTS: [f64; 5] = [30.0, 90.0, 180.0, 365.0, 730.0];

/// One Kaplan–Meier curve of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCurve {
    /// The point id, or the value of the grouping column (`all` without one).
    pub group: Group,
    /// What the curve is of: `violation`, `collapse`, or the event column's name.
    pub curve: String,
    pub km: Curve,
}

/// The group a curve belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum Group {
    Point(u64),
    Value(String),
}

/// Time to first serious violation and time to collapse at every point of the records `runs`.
pub fn record_curves(
    runs: &LazyFrame,
    schema: &Schema,
    what: &str,
) -> Result<Vec<GroupCurve>, AnalysisError> {
    table::require(
        schema,
        &[
            "point",
            "violated",
            "first_violation_day",
            "collapsed",
            "collapse_day",
            "end_day",
        ],
        what,
    )?;
    let index = PointIndex::read(runs, what)?;
    let mut columns = Vec::new();
    for (flag, day) in [
        ("violated", "first_violation_day"),
        ("collapsed", "collapse_day"),
    ] {
        let event = col(flag).and(col(day).is_not_null());
        columns.push(
            when(event.clone())
                .then(col(day))
                .otherwise(col("end_day"))
                .cast(DataType::Float64),
        );
        columns.push(event.cast(DataType::Float64));
    }
    let columns: Vec<Expr> = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| c.alias(format!("c{i}")))
        .collect();
    let frame = table::collect(runs.clone().select(columns), "the survival curves")?;
    let mut times = vec![f64::NAN; index.slot.len()];
    let mut events = vec![f64::NAN; index.slot.len()];
    let mut out = Vec::with_capacity(2 * index.ids.len());
    for (k, curve) in CURVES.iter().enumerate() {
        let column = |i: usize| {
            frame
                .column(&format!("c{i}"))
                .and_then(|c| c.f64())
                .table(|| "the survival columns".into())
        };
        index.scatter(column(2 * k)?, &mut times);
        index.scatter(column(2 * k + 1)?, &mut events);
        for (p, &point) in index.ids.iter().enumerate() {
            let range = index.offsets[p]..index.offsets[p + 1];
            let mut pairs: Vec<(f64, bool)> = times[range.clone()]
                .iter()
                .zip(&events[range])
                .filter(|(t, _)| !t.is_nan())
                .map(|(&t, &e)| (t, e == 1.0))
                .collect();
            pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            let n = pairs.len();
            out.push(GroupCurve {
                group: Group::Point(point),
                curve: (*curve).to_owned(),
                km: survival::from_sorted(pairs.into_iter(), n),
            });
        }
    }
    // Point by point, violation before collapse.
    out.sort_by_key(|c| match c.group {
        Group::Point(p) => p,
        Group::Value(_) => 0,
    });
    Ok(out)
}

/// What to read from a table for [`table_curves`].
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// Column of times (numbers >= 0).
    pub time: String,
    /// Column of event flags: true/false or 1/0 (1: the event happened; 0: censored).
    pub event: String,
    /// Optional grouping column: one curve per value.
    pub by: Option<String>,
    /// Factor applied to the times (e.g. 365.24 for years to days).
    pub scale: f64,
}

/// Kaplan–Meier curves of any CSV or Parquet table, per value of `spec.by`. Rows with a missing
/// time or event are dropped (the number is returned); negative times are refused.
pub fn table_curves(
    path: &Path,
    spec: &TableSpec,
) -> Result<(Vec<GroupCurve>, usize), AnalysisError> {
    let origin = path.display().to_string();
    let mut scan = table::scan(path)?;
    let schema = table::schema(&mut scan, &origin)?;
    let mut needed = vec![spec.time.as_str(), spec.event.as_str()];
    if let Some(by) = &spec.by {
        needed.push(by);
    }
    table::require(&schema, &needed, &origin)?;
    if !schema
        .get(&spec.time)
        .is_some_and(|t| t.is_primitive_numeric())
    {
        return Err(AnalysisError::input(format!(
            "{origin}: the time column `{}` must hold numbers",
            spec.time
        )));
    }
    let event_type = schema.get(&spec.event).cloned().unwrap_or(DataType::Null);
    if !(event_type == DataType::Boolean || event_type.is_primitive_numeric()) {
        return Err(AnalysisError::input(format!(
            "{origin}: the event column `{}` must hold true/false or 1/0 (it holds {event_type})",
            spec.event
        )));
    }
    let group = match &spec.by {
        Some(by) => col(by.as_str()).cast(DataType::String),
        None => lit("all"),
    };
    let frame = table::collect(
        scan.select([
            group.alias("group"),
            (col(spec.time.as_str()).cast(DataType::Float64) * lit(spec.scale)).alias("time"),
            col(spec.event.as_str())
                .cast(DataType::Float64)
                .alias("event"),
        ]),
        &origin,
    )
    .map_err(|e| AnalysisError::input(format!("{origin}: {e}")))?;
    let groups = frame
        .column("group")
        .and_then(|c| c.str())
        .table(|| "group".into())?;
    let times = f64s(&frame, "time")?;
    let events = f64s(&frame, "event")?;
    let mut by_group: std::collections::BTreeMap<String, (Vec<f64>, Vec<bool>)> =
        Default::default();
    let mut dropped = 0;
    for (row, g) in groups.iter().enumerate() {
        let (Some(t), Some(e)) = (times[row], events[row]) else {
            dropped += 1;
            continue;
        };
        if !t.is_finite() || t < 0.0 {
            return Err(AnalysisError::input(format!(
                "{origin}: row {} has time {t} in `{}`: times must be numbers >= 0",
                row + 1,
                spec.time
            )));
        }
        if e != 0.0 && e != 1.0 {
            return Err(AnalysisError::input(format!(
                "{origin}: row {} has {e} in `{}`: events must be 1 (event) or 0 (censored)",
                row + 1,
                spec.event
            )));
        }
        let entry = by_group.entry(g.unwrap_or("null").to_owned()).or_default();
        entry.0.push(t);
        entry.1.push(e == 1.0);
    }
    let curves = by_group
        .into_iter()
        .map(|(g, (t, e))| GroupCurve {
            group: Group::Value(g),
            curve: spec.event.clone(),
            km: survival::kaplan_meier(&t, &e),
        })
        .collect();
    Ok((curves, dropped))
}

/// The group column of an output table: `point` (u64) for record curves, or `group_name` (text).
fn group_column(curves: &[&GroupCurve], counts: &[usize], group_name: &str) -> Column {
    let expand = |i: usize| std::iter::repeat_n(i, counts[i]);
    match curves.first().map(|c| &c.group) {
        Some(Group::Value(_)) => {
            let v: Vec<String> = (0..curves.len())
                .flat_map(expand)
                .map(|i| match &curves[i].group {
                    Group::Value(v) => v.clone(),
                    Group::Point(p) => p.to_string(),
                })
                .collect();
            Column::new(group_name.into(), v)
        }
        _ => {
            let v: Vec<u64> = (0..curves.len())
                .flat_map(expand)
                .map(|i| match &curves[i].group {
                    Group::Point(p) => *p,
                    Group::Value(_) => 0,
                })
                .collect();
            Column::new("point".into(), v)
        }
    }
}

/// The curves as a table: `point` (or the group column), `curve`, then `time`, `at_risk`,
/// `events`, `survival`, `lower`, `upper`, one row per distinct event time after a row at time 0.
/// With `step > 0` the rows are thinned to one per `step` of time ([`Curve::thinned`]).
pub fn curves_frame(
    curves: &[GroupCurve],
    step: f64,
    group_name: &str,
    design: Option<&Design>,
) -> Result<DataFrame, AnalysisError> {
    let steps: Vec<Vec<survival::Step>> = curves
        .iter()
        .map(|c| {
            let mut s = vec![survival::Step {
                time: 0.0,
                at_risk: c.km.n,
                events: 0,
                survival: 1.0,
                lower: Some(1.0),
                upper: Some(1.0),
            }];
            s.extend(c.km.thinned(step));
            s
        })
        .collect();
    let counts: Vec<usize> = steps.iter().map(Vec::len).collect();
    let refs: Vec<&GroupCurve> = curves.iter().collect();
    let all = steps.iter().flatten();
    let curve: Vec<&str> = curves
        .iter()
        .zip(&counts)
        .flat_map(|(c, &n)| std::iter::repeat_n(c.curve.as_str(), n))
        .collect();
    let columns = vec![
        group_column(&refs, &counts, group_name),
        Column::new("curve".into(), curve),
        Column::new(
            "time".into(),
            all.clone().map(|s| s.time).collect::<Vec<_>>(),
        ),
        Column::new(
            "at_risk".into(),
            all.clone().map(|s| s.at_risk).collect::<Vec<_>>(),
        ),
        Column::new(
            "events".into(),
            all.clone().map(|s| s.events).collect::<Vec<_>>(),
        ),
        Column::new(
            "survival".into(),
            all.clone().map(|s| s.survival).collect::<Vec<_>>(),
        ),
        Column::new(
            "lower".into(),
            all.clone().map(|s| s.lower).collect::<Vec<_>>(),
        ),
        Column::new("upper".into(), all.map(|s| s.upper).collect::<Vec<_>>()),
    ];
    let height = counts.iter().sum();
    let frame =
        DataFrame::new(height, columns).table(|| "cannot build the survival table".into())?;
    with_parameters(frame, design)
}

/// Per curve: observations, events, median survival with its interval, and `S(t)` with its band
/// at each checkpoint (columns `s_<t>`, `s_<t>_lower`, `s_<t>_upper`; null beyond the data).
pub fn curves_summary_frame(
    curves: &[GroupCurve],
    checkpoints: &[f64],
    group_name: &str,
    design: Option<&Design>,
) -> Result<DataFrame, AnalysisError> {
    let refs: Vec<&GroupCurve> = curves.iter().collect();
    let ones = vec![1; curves.len()];
    let medians: Vec<_> = curves.iter().map(|c| c.km.median()).collect();
    let mut columns = vec![
        group_column(&refs, &ones, group_name),
        Column::new(
            "curve".into(),
            curves.iter().map(|c| c.curve.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "n".into(),
            curves.iter().map(|c| c.km.n).collect::<Vec<_>>(),
        ),
        Column::new(
            "events".into(),
            curves.iter().map(|c| c.km.events).collect::<Vec<_>>(),
        ),
        Column::new(
            "max_time".into(),
            curves
                .iter()
                .map(|c| finite(c.km.max_time))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "median".into(),
            medians.iter().map(|m| m.estimate).collect::<Vec<_>>(),
        ),
        Column::new(
            "median_lower".into(),
            medians.iter().map(|m| m.lower).collect::<Vec<_>>(),
        ),
        Column::new(
            "median_upper".into(),
            medians.iter().map(|m| m.upper).collect::<Vec<_>>(),
        ),
    ];
    for &t in checkpoints {
        let label = checkpoint_label(t);
        let at: Vec<_> = curves.iter().map(|c| c.km.at(t)).collect();
        columns.push(Column::new(
            format!("s_{label}").into(),
            at.iter().map(|s| s.map(|s| s.survival)).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("s_{label}_lower").into(),
            at.iter()
                .map(|s| s.and_then(|s| s.lower))
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("s_{label}_upper").into(),
            at.iter()
                .map(|s| s.and_then(|s| s.upper))
                .collect::<Vec<_>>(),
        ));
    }
    let frame = DataFrame::new(curves.len(), columns)
        .table(|| "cannot build the survival summary".into())?;
    with_parameters(frame, design)
}

/// A checkpoint time as a column-name fragment: `365`, or `1826.2` → `1826_2`.
pub fn checkpoint_label(t: f64) -> String {
    if t.fract() == 0.0 {
        format!("{t:.0}")
    } else {
        format!("{t}").replace('.', "_")
    }
}
