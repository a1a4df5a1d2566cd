//! Comparisons of every point against a reference point.
//!
//! Differences of proportions (point minus reference):
//! - with common random numbers, paired by replication: the mean of the per-replication
//!   differences `y_p,r − y_ref,r` over the replications both points have, with the Student t
//!   interval `d̄ ± t_{n−1} s_d / √n` (the standard error of a mean of differences);
//! - otherwise, unpaired: Newcombe's hybrid score interval (Newcombe 1998, method 10).
//!
//! The hazard ratio of collapse is the ratio of collapse rates, events per day at risk, with the
//! days at risk of a replication its `end_day` (a constant-hazard, Cox-free estimate):
//! `HR = (d_p / E_p) / (d_ref / E_ref)`, with a log-normal 95% interval
//! `exp(ln HR ± 1.96 √(1/d_p + 1/d_ref))`. It is not computed when either point has no collapse.

use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::outcomes::Outcome;
use crate::stats::{self, Z95};
use crate::summary::{Summary, f64s, finite, u64s, with_parameters};
use crate::table;
use polars::prelude::*;
use std::collections::HashMap;

/// One comparison of a point with the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub point: u64,
    pub reference: u64,
    /// The outcome compared (`collapsed`, `violated`, …).
    pub outcome: String,
    /// `difference` or `hazard_ratio`.
    pub measure: &'static str,
    /// `paired_t`, `newcombe` or `rate_ratio_lognormal`.
    pub method: &'static str,
    /// Pairs (paired), or the point's records.
    pub n: u64,
    /// The reference's records (unpaired) or pairs (paired).
    pub n_reference: u64,
    /// The point's and the reference's proportion (or collapse rate per day).
    pub point_value: f64,
    pub reference_value: f64,
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Compares every point with `reference` on each binary outcome of `outcomes`, plus the hazard
/// ratio of collapse. `summary` must summarise the same records.
pub fn compare(
    runs: &LazyFrame,
    schema: &Schema,
    summary: &Summary,
    outcomes: &[Outcome],
    reference: u64,
    paired: bool,
) -> Result<Vec<Comparison>, AnalysisError> {
    let Some(reference_summary) = summary.point(reference) else {
        let ids: Vec<String> = summary.points.iter().map(|p| p.point.to_string()).collect();
        return Err(AnalysisError::input(format!(
            "reference point {reference} has no records: the points are {}",
            crate::error::name_list(&ids, 20)
        )));
    };
    let paired = paired && schema.get("replication").is_some();
    let pairs = if paired {
        paired_differences(runs, outcomes, reference)?
    } else {
        HashMap::new()
    };
    let mut out = Vec::new();
    for p in &summary.points {
        if p.point == reference {
            continue;
        }
        for (k, o) in outcomes.iter().enumerate() {
            let Some(i) = summary.index(&o.name) else {
                continue;
            };
            let (s, r) = (&p.stats[i], &reference_summary.stats[i]);
            let (Some(hits), Some(ref_hits)) = (s.hits, r.hits) else {
                continue;
            };
            let mut c = Comparison {
                point: p.point,
                reference,
                outcome: o.name.clone(),
                measure: "difference",
                method: "newcombe",
                n: s.n,
                n_reference: r.n,
                point_value: s.estimate.estimate,
                reference_value: r.estimate.estimate,
                estimate: f64::NAN,
                lower: f64::NAN,
                upper: f64::NAN,
            };
            if paired {
                if let Some(d) = pairs.get(&(p.point, k)) {
                    c.method = "paired_t";
                    c.n = d.n;
                    c.n_reference = d.n;
                    c.estimate = d.mean;
                    if let Some(iv) = stats::mean_interval(d.n, d.mean, d.sd) {
                        c.lower = iv.lower;
                        c.upper = iv.upper;
                    }
                } else {
                    c.method = "paired_t";
                    c.n = 0;
                    c.n_reference = 0;
                }
            } else if let Some(iv) = stats::newcombe_difference(hits, s.n, ref_hits, r.n) {
                c.estimate = iv.estimate;
                c.lower = iv.lower;
                c.upper = iv.upper;
            }
            out.push(c);
        }
        if let (Some(ic), Some(ie)) = (summary.index("collapsed"), summary.index("end_day")) {
            let events = p.stats[ic].hits.unwrap_or(0);
            let ref_events = reference_summary.stats[ic].hits.unwrap_or(0);
            let exposure = p.stats[ie].estimate.estimate * p.stats[ie].n as f64;
            let ref_exposure = reference_summary.stats[ie].estimate.estimate
                * reference_summary.stats[ie].n as f64;
            let rate = events as f64 / exposure;
            let ref_rate = ref_events as f64 / ref_exposure;
            let mut c = Comparison {
                point: p.point,
                reference,
                outcome: "collapsed".into(),
                measure: "hazard_ratio",
                method: "rate_ratio_lognormal",
                n: p.stats[ie].n,
                n_reference: reference_summary.stats[ie].n,
                point_value: rate,
                reference_value: ref_rate,
                estimate: f64::NAN,
                lower: f64::NAN,
                upper: f64::NAN,
            };
            if events > 0 && ref_events > 0 && exposure > 0.0 && ref_exposure > 0.0 {
                let hr = rate / ref_rate;
                let se = (1.0 / events as f64 + 1.0 / ref_events as f64).sqrt();
                c.estimate = hr;
                c.lower = hr * (-Z95 * se).exp();
                c.upper = hr * (Z95 * se).exp();
            }
            out.push(c);
        }
    }
    Ok(out)
}

struct PairStats {
    n: u64,
    mean: f64,
    sd: f64,
}

/// Per point and outcome, the mean and standard deviation of the differences with the reference
/// over the replications both have.
fn paired_differences(
    runs: &LazyFrame,
    outcomes: &[Outcome],
    reference: u64,
) -> Result<HashMap<(u64, usize), PairStats>, AnalysisError> {
    let mut reference_columns = vec![col("replication")];
    let mut point_columns = vec![col("point").cast(DataType::UInt64), col("replication")];
    let mut aggs = Vec::new();
    for (k, o) in outcomes.iter().enumerate() {
        reference_columns.push(o.expr.clone().alias(format!("r{k}")));
        point_columns.push(o.expr.clone().alias(format!("y{k}")));
        let d = col(format!("y{k}")) - col(format!("r{k}"));
        aggs.push(d.clone().count().alias(format!("n{k}")));
        aggs.push(d.clone().mean().alias(format!("m{k}")));
        aggs.push(d.std(1).alias(format!("s{k}")));
    }
    let reference_runs = runs
        .clone()
        .filter(col("point").cast(DataType::UInt64).eq(lit(reference)))
        .select(reference_columns);
    let query = runs
        .clone()
        .select(point_columns)
        .join(
            reference_runs,
            [col("replication")],
            [col("replication")],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col("point")])
        .agg(aggs);
    let frame = table::collect(query, "the paired comparisons")?;
    let points = u64s(&frame, "point")?;
    let mut out = HashMap::new();
    for k in 0..outcomes.len() {
        let n = u64s(&frame, &format!("n{k}"))?;
        let m = f64s(&frame, &format!("m{k}"))?;
        let s = f64s(&frame, &format!("s{k}"))?;
        for row in 0..frame.height() {
            if let (Some(p), Some(n), Some(m)) = (points[row], n[row], m[row]) {
                out.insert(
                    (p, k),
                    PairStats {
                        n,
                        mean: m,
                        sd: s[row].unwrap_or(f64::NAN),
                    },
                );
            }
        }
    }
    Ok(out)
}

/// The comparisons as a table, with each point's parameters after `point`.
pub fn comparisons_frame(
    comparisons: &[Comparison],
    design: Option<&Design>,
) -> Result<DataFrame, AnalysisError> {
    let v =
        |f: fn(&Comparison) -> f64| comparisons.iter().map(|c| finite(f(c))).collect::<Vec<_>>();
    let columns = vec![
        Column::new(
            "point".into(),
            comparisons.iter().map(|c| c.point).collect::<Vec<_>>(),
        ),
        Column::new(
            "reference".into(),
            comparisons.iter().map(|c| c.reference).collect::<Vec<_>>(),
        ),
        Column::new(
            "outcome".into(),
            comparisons
                .iter()
                .map(|c| c.outcome.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "measure".into(),
            comparisons.iter().map(|c| c.measure).collect::<Vec<_>>(),
        ),
        Column::new(
            "method".into(),
            comparisons.iter().map(|c| c.method).collect::<Vec<_>>(),
        ),
        Column::new(
            "n".into(),
            comparisons.iter().map(|c| c.n).collect::<Vec<_>>(),
        ),
        Column::new(
            "n_reference".into(),
            comparisons
                .iter()
                .map(|c| c.n_reference)
                .collect::<Vec<_>>(),
        ),
        Column::new("point_value".into(), v(|c| c.point_value)),
        Column::new("reference_value".into(), v(|c| c.reference_value)),
        Column::new("estimate".into(), v(|c| c.estimate)),
        Column::new("lower".into(), v(|c| c.lower)),
        Column::new("upper".into(), v(|c| c.upper)),
    ];
    let frame = DataFrame::new(comparisons.len(), columns)
        .table(|| "cannot build the comparisons table".into())?;
    with_parameters(frame, design)
}
