//! Why ceasefires ended, point by point: the count of each cause of collapse and of settlements,
//! and the cumulative incidence of each ([`incidence`], Aalen–Johansen) with settlement as a
//! competing event.
//!
//! Kaplan–Meier of time to collapse censors settled ceasefires, as if they could still collapse
//! later: at long horizons, where many settle, `1 − S(t)` then overstates the probability of
//! having collapsed. The cumulative incidences do not: a settled ceasefire leaves the risk set
//! for good, and the incidences of the causes and of settlement add up, with the probability of
//! neither, to one.
//!
//! A replication that collapsed ends at `collapse_day` with its `collapse_cause`, one whose run a
//! settlement ended (absorbing settlements) at `settled_day`; any other is censored at `end_day`.
//! A settlement that ends nothing (`negotiation.settlement = "recommitment"`, the default) is no
//! end: the ceasefire stays at risk.

use crate::curves::checkpoint_label;
use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::grouping::PointIndex;
use crate::incidence::{self, Incidence};
use crate::summary::{finite, with_parameters};
use crate::table;
use polars::prelude::*;

/// The competing event of the causes of collapse.
pub const SETTLEMENT: &str = "settlement";

/// The causes of collapse of the model, in the order they are shown, each shown even where no
/// ceasefire collapsed so; other causes found in the records follow in alphabetical order.
pub const KNOWN_CAUSES: [&str; 5] = ["offensive", "clash", "tripwire_war", "spiral", "exogenous"];

/// The name of a collapse whose record gives no cause.
pub const UNKNOWN: &str = "unknown";

/// The ends of the ceasefires of every point.
#[derive(Debug, Clone, PartialEq)]
pub struct Causes {
    /// The causes of collapse ([`KNOWN_CAUSES`], then any other found in the records), then
    /// [`SETTLEMENT`].
    pub kinds: Vec<String>,
    pub points: Vec<PointCauses>,
}

/// The ends of the ceasefires of one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointCauses {
    pub point: u64,
    pub records: u64,
    /// One cumulative incidence per kind, in the order of [`Causes::kinds`]; its `events` is the
    /// number of ceasefires that ended so.
    pub incidence: Vec<Incidence>,
}

impl Causes {
    /// The kinds that are causes of collapse (all but settlement).
    pub fn causes(&self) -> &[String] {
        &self.kinds[..self.kinds.len() - 1]
    }

    pub fn point(&self, point: u64) -> Option<&PointCauses> {
        self.points.iter().find(|p| p.point == point)
    }
}

impl PointCauses {
    /// Collapses, of every cause.
    pub fn collapses(&self) -> u64 {
        self.incidence[..self.incidence.len() - 1]
            .iter()
            .map(|f| f.events)
            .sum()
    }
}

/// The causes and their cumulative incidences at every point of the records `runs`.
pub fn record_causes(
    runs: &LazyFrame,
    schema: &Schema,
    what: &str,
) -> Result<Causes, AnalysisError> {
    table::require(
        schema,
        &[
            "point",
            "collapsed",
            "collapse_day",
            "collapse_cause",
            "settled",
            "settled_day",
            "end_day",
        ],
        what,
    )?;
    let cause = col("collapse_cause")
        .cast(DataType::String)
        .fill_null(lit(UNKNOWN));
    let collapsed = col("collapsed").and(col("collapse_day").is_not_null());
    // A settlement ends a ceasefire only where it ended its run (`negotiation.settlement =
    // "absorbing"`); one that ends nothing (the default, "recommitment") leaves the ceasefire at
    // risk, and the run ends later, in collapse or at the horizon.
    let settled = col("settled")
        .and(col("settled_day").is_not_null())
        .and(col("settled_day").eq(col("end_day")));
    let found = table::collect(
        runs.clone()
            .filter(collapsed.clone())
            .select([cause.clone().unique().alias("cause")]),
        "the causes of collapse",
    )?;
    let mut names: Vec<String> = found
        .column("cause")
        .and_then(|c| c.str())
        .table(|| "collapse_cause".into())?
        .iter()
        .flatten()
        .filter(|n| !KNOWN_CAUSES.contains(n))
        .map(str::to_owned)
        .collect();
    names.extend(KNOWN_CAUSES.iter().map(|&n| n.to_owned()));
    names.sort_by_key(|n| {
        (
            KNOWN_CAUSES
                .iter()
                .position(|k| k == n)
                .unwrap_or(KNOWN_CAUSES.len()),
            n.clone(),
        )
    });
    let mut kind = lit(f64::NAN);
    for (k, name) in names.iter().enumerate().rev() {
        kind = when(collapsed.clone().and(cause.clone().eq(lit(name.as_str()))))
            .then(lit(k as f64))
            .otherwise(kind);
    }
    let settlement = names.len();
    let kind = when(settled.clone().and(collapsed.clone().not()))
        .then(lit(settlement as f64))
        .otherwise(kind);
    let time = when(collapsed)
        .then(col("collapse_day"))
        .when(settled)
        .then(col("settled_day"))
        .otherwise(col("end_day"))
        .cast(DataType::Float64);
    let frame = table::collect(
        runs.clone()
            .select([time.alias("time"), kind.alias("kind")]),
        "the ends of the ceasefires",
    )?;
    let index = PointIndex::read(runs, what)?;
    let column = |name: &str| {
        frame
            .column(name)
            .and_then(|c| c.f64())
            .table(|| format!("the column {name} of the ends"))
    };
    let mut times = vec![f64::NAN; index.slot.len()];
    let mut kinds = vec![f64::NAN; index.slot.len()];
    index.scatter(column("time")?, &mut times);
    index.scatter(column("kind")?, &mut kinds);
    let mut points = Vec::with_capacity(index.ids.len());
    for (p, &point) in index.ids.iter().enumerate() {
        let range = index.offsets[p]..index.offsets[p + 1];
        let mut observations: Vec<(f64, Option<usize>)> = times[range.clone()]
            .iter()
            .zip(&kinds[range])
            .filter(|(t, _)| !t.is_nan())
            .map(|(&t, &k)| (t, (!k.is_nan()).then_some(k as usize)))
            .collect();
        observations.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let n = observations.len();
        points.push(PointCauses {
            point,
            records: index.records(p),
            incidence: incidence::aalen_johansen(observations.into_iter(), n, settlement + 1),
        });
    }
    names.push(SETTLEMENT.to_owned());
    Ok(Causes {
        kinds: names,
        points,
    })
}

/// The incidences as a table: `point`, `kind`, then `time`, `at_risk`, `events`, `incidence`,
/// `lower`, `upper`, one row per event time of the kind after a row at time 0, thinned to one per
/// `step` of time when `step > 0`.
pub fn incidence_frame(
    causes: &Causes,
    step: f64,
    design: Option<&Design>,
) -> Result<DataFrame, AnalysisError> {
    let mut point = Vec::new();
    let mut kind = Vec::new();
    let mut steps = Vec::new();
    for p in &causes.points {
        for (name, f) in causes.kinds.iter().zip(&p.incidence) {
            let mut s = vec![incidence::Step {
                time: 0.0,
                at_risk: f.n,
                events: 0,
                incidence: 0.0,
                lower: Some(0.0),
                upper: Some(0.0),
            }];
            s.extend(f.thinned(step));
            point.extend(std::iter::repeat_n(p.point, s.len()));
            kind.extend(std::iter::repeat_n(name.as_str(), s.len()));
            steps.extend(s);
        }
    }
    let height = steps.len();
    let columns = vec![
        Column::new("point".into(), point),
        Column::new("kind".into(), kind),
        Column::new(
            "time".into(),
            steps.iter().map(|s| s.time).collect::<Vec<_>>(),
        ),
        Column::new(
            "at_risk".into(),
            steps.iter().map(|s| s.at_risk).collect::<Vec<_>>(),
        ),
        Column::new(
            "events".into(),
            steps.iter().map(|s| s.events).collect::<Vec<_>>(),
        ),
        Column::new(
            "incidence".into(),
            steps.iter().map(|s| s.incidence).collect::<Vec<_>>(),
        ),
        Column::new(
            "lower".into(),
            steps.iter().map(|s| s.lower).collect::<Vec<_>>(),
        ),
        Column::new(
            "upper".into(),
            steps.iter().map(|s| s.upper).collect::<Vec<_>>(),
        ),
    ];
    let frame =
        DataFrame::new(height, columns).table(|| "cannot build the incidence table".into())?;
    with_parameters(frame, design)
}

/// Per point and kind: records, events, their share of the records and of the collapses, and
/// `F(t)` with its band at each checkpoint (columns `f_<t>`, `f_<t>_lower`, `f_<t>_upper`; null
/// beyond the data).
pub fn causes_frame(
    causes: &Causes,
    checkpoints: &[f64],
    design: Option<&Design>,
) -> Result<DataFrame, AnalysisError> {
    let rows: Vec<(&PointCauses, usize)> = causes
        .points
        .iter()
        .flat_map(|p| (0..causes.kinds.len()).map(move |k| (p, k)))
        .collect();
    let settlement = causes.kinds.len() - 1;
    let mut columns = vec![
        Column::new(
            "point".into(),
            rows.iter().map(|(p, _)| p.point).collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            rows.iter()
                .map(|&(_, k)| causes.kinds[k].as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "n".into(),
            rows.iter().map(|(p, _)| p.records).collect::<Vec<_>>(),
        ),
        Column::new(
            "events".into(),
            rows.iter()
                .map(|&(p, k)| p.incidence[k].events)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "share_of_records".into(),
            rows.iter()
                .map(|&(p, k)| share(p.incidence[k].events, p.records))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "share_of_collapses".into(),
            rows.iter()
                .map(|&(p, k)| {
                    (k != settlement)
                        .then(|| share(p.incidence[k].events, p.collapses()))
                        .flatten()
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "max_time".into(),
            rows.iter()
                .map(|&(p, k)| finite(p.incidence[k].max_time))
                .collect::<Vec<_>>(),
        ),
    ];
    for &t in checkpoints {
        let label = checkpoint_label(t);
        let at: Vec<_> = rows.iter().map(|&(p, k)| p.incidence[k].at(t)).collect();
        columns.push(Column::new(
            format!("f_{label}").into(),
            at.iter()
                .map(|s| s.map(|s| s.incidence))
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("f_{label}_lower").into(),
            at.iter()
                .map(|s| s.and_then(|s| s.lower))
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("f_{label}_upper").into(),
            at.iter()
                .map(|s| s.and_then(|s| s.upper))
                .collect::<Vec<_>>(),
        ));
    }
    let frame =
        DataFrame::new(rows.len(), columns).table(|| "cannot build the causes table".into())?;
    with_parameters(frame, design)
}

/// `k / of`, or `None` when `of` is 0.
fn share(k: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| k as f64 / of as f64)
}
