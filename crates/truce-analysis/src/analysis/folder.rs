//! The analysis of a results folder: what it computes, from which records, and which files it
//! writes. Its printed report is `folder_text.rs`'s.

use super::outputs::Outputs;
use crate::causes::{self, Causes};
use crate::compare::{self, Comparison};
use crate::curves::{self, GroupCurve};
use crate::error::{AnalysisError, name_list};
use crate::folder::ResultsFolder;
use crate::indices::{self, IndexOptions, PrimReport, Sensitivity, short};
use crate::outcomes::{self, Outcome};
use crate::summary::{self, Summary, f64s, u64s};
use crate::table;
use crate::uncertainty::{self, Uncertainty};
use polars::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Fewest points PRIM runs on.
pub const PRIM_MIN_POINTS: usize = 20;

/// Settings of a results-folder analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The point comparisons are made against [default: the sweep's `reference`, else 0].
    pub reference: Option<u64>,
    /// The outcome of the sensitivity analysis and PRIM [default: `collapsed`]; any boolean or
    /// numeric record column, or a derived outcome such as `collapse_cause=spiral`.
    pub outcome: Option<String>,
    /// PRIM looks for points whose outcome exceeds this [default: 0.5 for a proportion].
    pub threshold: Option<f64>,
    /// Times (days) at which survival is reported.
    pub checkpoints: Vec<f64>,
    /// Thin survival tables to one row per this many days; 0 keeps every event time.
    pub survival_step: f64,
    pub indices: IndexOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reference: None,
            outcome: None,
            threshold: None,
            checkpoints: curves::CHECKPOINTS.to_vec(),
            survival_step: 0.0,
            indices: IndexOptions::default(),
        }
    }
}

/// The analysis of a results folder.
#[derive(Debug, Clone)]
pub struct FolderAnalysis {
    pub folder: ResultsFolder,
    pub summary: Summary,
    pub curves: Vec<GroupCurve>,
    /// The causes of collapse and settlements, with their cumulative incidences.
    pub causes: Causes,
    /// The outcomes split by the draws of the scenario's uncertain parameters (none without them).
    pub uncertainty: Uncertainty,
    /// The reference point, when there is more than one point.
    pub reference: Option<u64>,
    pub comparisons: Vec<Comparison>,
    pub sensitivity: Option<Sensitivity>,
    pub prim: Option<PrimReport>,
    /// What was skipped, and why.
    pub notes: Vec<String>,
    pub options: Options,
}

/// Analyses a results folder written by `truce run` or `truce sweep`.
pub fn analyze_folder(dir: &Path, options: &Options) -> Result<FolderAnalysis, AnalysisError> {
    let folder = ResultsFolder::open(dir)?;
    let what = folder.records_name();
    let mut runs = folder.scan()?;
    let schema = table::schema(&mut runs, &what)?;
    table::require(&schema, &["point"], &what)?;
    let outcome_name = options.outcome.as_deref().unwrap_or("collapsed");
    let outcome = outcomes::outcome(&schema, outcome_name, &what)?;
    let summary = summary::summarise(runs.clone(), &schema, &what)?;
    if summary.points.is_empty() {
        return Err(AnalysisError::input(format!("{what}: holds no records")));
    }
    let curves = curves::record_curves(&runs, &schema, &what)?;
    let causes = causes::record_causes(&runs, &schema, &what)?;
    let uncertainty = uncertainty::record_uncertainty(&runs, &schema, &what)?;
    let mut notes = Vec::new();
    let ids: Vec<u64> = summary.points.iter().map(|p| p.point).collect();
    let (reference, comparisons) = if ids.len() > 1 {
        let reference = options
            .reference
            .or(folder.reference)
            .unwrap_or(if ids.contains(&0) { 0 } else { ids[0] });
        if summary.point(reference).is_none() {
            let shown: Vec<String> = ids.iter().map(u64::to_string).collect();
            return Err(AnalysisError::input(format!(
                "reference point {reference} is not in {what}: its points are {}",
                name_list(&shown, 20)
            )));
        }
        // The points of `truce compare` are whole files: compare every binary outcome.
        let mut compared: Vec<Outcome> = if folder.is_comparison() {
            outcomes::binary_outcomes(&schema)
        } else {
            ["collapsed", "violated"]
                .iter()
                .filter_map(|n| outcomes::outcome(&schema, n, &what).ok())
                .collect()
        };
        if outcome.binary && !compared.iter().any(|o| o.name == outcome.name) {
            compared.push(outcome.clone());
        }
        let comparisons =
            compare::compare(&runs, &schema, &summary, &compared, reference, folder.crn)?;
        (Some(reference), comparisons)
    } else {
        if let Some(r) = options.reference
            && r != ids[0]
        {
            return Err(AnalysisError::input(format!(
                "reference point {r} is not in {what}: it holds point {} only",
                ids[0]
            )));
        }
        notes.push("one point: no comparisons, sensitivity indices or PRIM".into());
        (None, Vec::new())
    };
    let (mut sensitivity, mut prim) = (None, None);
    // The points of a comparison are files, not values of parameters: no sensitivity or PRIM.
    let design = folder
        .design
        .as_ref()
        .filter(|_| ids.len() > 1 && !folder.is_comparison());
    if let Some(design) = design {
        let by_point = point_means(&runs, &[&outcome])?.swap_remove(0);
        let y = design.outputs_by_row(&by_point, &what)?;
        let constant = y.iter().all(|&v| v == y[0]);
        let undefined: Vec<String> = design
            .ids
            .iter()
            .zip(&y)
            .filter(|(_, v)| !v.is_finite())
            .map(|(id, _)| id.to_string())
            .collect();
        if !undefined.is_empty() {
            // A conditional mean (a day column) has no value where its event never happened.
            notes.push(format!(
                "sensitivity and PRIM skipped: {} has no value at points {} (no replication there has one{})",
                outcome.name,
                name_list(&undefined, 20),
                outcome
                    .among
                    .as_deref()
                    .map_or(String::new(), |a| format!(": it is defined among runs that {a}"))
            ));
        } else if constant && options.outcome.is_none() {
            notes.push(format!(
                "sensitivity and PRIM skipped: {} is {} at every point; name another outcome with --outcome",
                outcome.name, y[0]
            ));
        } else {
            let mut s = indices::sensitivity(design, &y, &outcome.name, &options.indices)?;
            if outcome.binary {
                let replications: Vec<u64> = design
                    .ids
                    .iter()
                    .map(|id| summary.point(*id).map_or(0, |p| p.records))
                    .collect();
                s.warnings
                    .extend(rare_outcome(&outcome.name, &y, &replications));
            }
            sensitivity = Some(s);
            let threshold = options
                .threshold
                .or(outcome.binary.then_some(0.5))
                .filter(|_| !constant);
            match threshold {
                _ if design.parameters.is_empty() => {}
                None => notes.push(format!(
                    "PRIM skipped: {} is not a proportion; give --threshold",
                    outcome.name
                )),
                Some(_) if y.len() < PRIM_MIN_POINTS => notes.push(format!(
                    "PRIM skipped: it needs at least {PRIM_MIN_POINTS} points (the design has {})",
                    y.len()
                )),
                Some(t) => {
                    let above = y.iter().filter(|&&v| v > t).count();
                    if above == 0 || above == y.len() {
                        let fix = if options.threshold.is_some() {
                            "choose a threshold between the lowest and the highest value"
                        } else {
                            "give --threshold"
                        };
                        notes.push(format!(
                            "PRIM skipped: {above} of {} points have {} > {}: nothing to separate; {fix} ({} to {})",
                            y.len(),
                            outcome.name,
                            short(t),
                            short(y.iter().copied().fold(f64::INFINITY, f64::min)),
                            short(y.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
                        ));
                    } else {
                        prim = Some(indices::prim_search(
                            design,
                            &y,
                            &outcome.name,
                            t,
                            &options.indices.prim,
                        )?);
                    }
                }
            }
        }
    }
    Ok(FolderAnalysis {
        folder,
        summary,
        curves,
        causes,
        uncertainty,
        reference,
        comparisons,
        sensitivity,
        prim,
        notes,
        options: options.clone(),
    })
}

/// A warning when a proportion is rare over a design (its mean over the points below
/// [`indices::RARE_PROPORTION`] or above one minus it): then most of the variation between points
/// is the binomial noise of each point's replications, and the indices describe that noise. Says
/// how many replications per point would make the noise a tenth of the variance.
fn rare_outcome(name: &str, y: &[f64], replications: &[u64]) -> Option<String> {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    if (indices::RARE_PROPORTION..=1.0 - indices::RARE_PROPORTION).contains(&mean) || n < 2.0 {
        return None;
    }
    let variance = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let noise = y
        .iter()
        .zip(replications)
        .filter(|(_, r)| **r > 0)
        .map(|(p, r)| p * (1.0 - p) / *r as f64)
        .sum::<f64>()
        / n;
    let r_now = replications.iter().copied().max().unwrap_or(0);
    let signal = variance - noise;
    let advice = if signal > 0.0 && r_now > 0 {
        let needed = (r_now as f64 * 9.0 * noise / signal)
            .ceil()
            .max(r_now as f64) as u64;
        format!(
            "about {needed} replications per point (now {r_now}) would make the noise a tenth of it"
        )
    } else {
        format!(
            "the variation between points is no larger than that noise; raise the replications per point (now {r_now}) or choose a more frequent outcome"
        )
    };
    let share = if variance > 0.0 {
        (noise / variance).min(1.0)
    } else {
        1.0
    };
    Some(format!(
        "{name} is rare: its mean over the points is {mean:.3}; binomial noise is {:.0}% of the variance between points, and the indices describe it as much as the parameters; {advice}",
        100.0 * share
    ))
}

/// The mean of each of `outcomes` at each point (a proportion for a binary outcome), from one
/// streaming query over the records: one map per outcome, in their order.
pub fn point_means(
    runs: &LazyFrame,
    outcomes: &[&Outcome],
) -> Result<Vec<HashMap<u64, f64>>, AnalysisError> {
    let means: Vec<Expr> = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| o.expr.clone().mean().alias(format!("y{i}")))
        .collect();
    let query = runs.clone().group_by([col("point")]).agg(means);
    let names: Vec<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
    let frame = table::collect_streaming(query, &format!("the mean of {}", names.join(", ")))?;
    let points = u64s(&frame, "point")?;
    (0..outcomes.len())
        .map(|i| {
            let y = f64s(&frame, &format!("y{i}"))?;
            Ok(points
                .iter()
                .zip(y)
                .filter_map(|(p, v)| Some(((*p)?, v.unwrap_or(f64::NAN))))
                .collect())
        })
        .collect()
}

impl FolderAnalysis {
    /// The output files: summary, survival and survival summary, comparisons, sensitivity,
    /// PRIM and the printed report.
    pub fn outputs(&self) -> Result<Outputs, AnalysisError> {
        let design = self.folder.design.as_ref();
        let mut out = Outputs::default();
        let summary = self.summary.frame(design)?;
        out.table("summary.parquet", summary.clone());
        out.table("summary.csv", summary);
        out.table(
            "survival.parquet",
            curves::curves_frame(&self.curves, self.options.survival_step, "point", design)?,
        );
        let survival_summary =
            curves::curves_summary_frame(&self.curves, &self.options.checkpoints, "point", design)?;
        out.table("survival_summary.parquet", survival_summary.clone());
        out.table("survival_summary.csv", survival_summary);
        let c = causes::causes_frame(&self.causes, &self.options.checkpoints, design)?;
        out.table("causes.parquet", c.clone());
        out.table("causes.csv", c);
        out.table(
            "incidence.parquet",
            causes::incidence_frame(&self.causes, self.options.survival_step, design)?,
        );
        if !self.uncertainty.parameters.is_empty() {
            out.table("uncertainty.csv", self.uncertainty.levels_frame(design)?);
            out.table(
                "uncertainty_effects.csv",
                self.uncertainty.effects_frame(design)?,
            );
        }
        if self.reference.is_some() {
            let c = compare::comparisons_frame(&self.comparisons, design)?;
            out.table("comparisons.parquet", c.clone());
            out.table("comparisons.csv", c);
        }
        if let Some(s) = &self.sensitivity {
            out.sensitivity(s, self.prim.as_ref())?;
        }
        out.text("report.txt", self.report());
        Ok(out)
    }

    /// The nations of the records' contingents, in column order (`coalition` alone for the
    /// one-contingent shorthand).
    pub fn nations(&self) -> Vec<String> {
        let prefix = outcomes::NATION_FLAGS[0];
        self.summary
            .outcomes
            .iter()
            .filter_map(|o| o.name.strip_prefix(prefix))
            .map(str::to_owned)
            .collect()
    }

    /// Whether the records have contingents other than the shorthand's one, `coalition`.
    pub fn shows_nations(&self) -> bool {
        let nations = self.nations();
        !nations.is_empty() && nations != [outcomes::SHORTHAND_NATION]
    }
}
