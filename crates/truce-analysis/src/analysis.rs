//! The analyses as a whole: a results folder (summary, survival, comparisons, sensitivity and
//! PRIM as its design allows), a time-to-event table, and a design with outputs computed elsewhere.
//!
//! Each analysis is computed in full before anything is written; [`Outputs::write`] then stages
//! every file and moves them into place together.

use crate::causes::{self, Causes};
use crate::compare::{self, Comparison};
use crate::curves::{self, GroupCurve, TableSpec};
use crate::design::Design;
use crate::error::{AnalysisError, TableContext, name_list};
use crate::folder::ResultsFolder;
use crate::indices::{self, IndexOptions, PrimReport, Sensitivity, short};
use crate::outcomes::{self, Outcome};
use crate::prim::Values;
use crate::report::{TextTable, estimate_with_interval, number};
use crate::summary::{self, Summary, f64s, u64s};
use crate::table::{self, Staging};
use crate::uncertainty::{self, Uncertainty};
use polars::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Fewest points PRIM runs on.
pub const PRIM_MIN_POINTS: usize = 20;

/// Points shown in the printed tables; the files hold them all.
const SHOWN_POINTS: usize = 40;

/// Every file an analysis may write, so that a new analysis in the same folder removes the files
/// of an older one it does not replace.
pub const OUTPUT_FILES: [&str; 18] = [
    "summary.parquet",
    "summary.csv",
    "survival.parquet",
    "survival.csv",
    "survival_summary.parquet",
    "survival_summary.csv",
    "causes.parquet",
    "causes.csv",
    "incidence.parquet",
    "uncertainty.csv",
    "uncertainty_effects.csv",
    "comparisons.parquet",
    "comparisons.csv",
    "sensitivity.parquet",
    "sensitivity.csv",
    "prim.csv",
    "prim.json",
    "report.txt",
];

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
        let by_point = point_means(&runs, &outcome)?;
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

/// The mean of an outcome at each point (a proportion for a binary outcome).
pub fn point_means(
    runs: &LazyFrame,
    outcome: &Outcome,
) -> Result<HashMap<u64, f64>, AnalysisError> {
    let query = runs
        .clone()
        .group_by([col("point")])
        .agg([outcome.expr.clone().mean().alias("y")]);
    let frame = table::collect_streaming(query, &format!("the mean of {}", outcome.name))?;
    let points = u64s(&frame, "point")?;
    let y = f64s(&frame, "y")?;
    Ok(points
        .into_iter()
        .zip(y)
        .filter_map(|(p, v)| Some((p?, v.unwrap_or(f64::NAN))))
        .collect())
}

/// Tables and texts ready to be written.
#[derive(Debug, Default)]
pub struct Outputs {
    tables: Vec<(String, DataFrame)>,
    texts: Vec<(String, String)>,
}

impl Outputs {
    fn table(&mut self, name: &str, frame: DataFrame) {
        self.tables.push((name.to_owned(), frame));
    }

    fn text(&mut self, name: &str, text: String) {
        self.texts.push((name.to_owned(), text));
    }

    /// The table written as `name`.
    pub fn get(&self, name: &str) -> Option<&DataFrame> {
        self.tables.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    /// Writes every file into `dir` (created if needed): all are staged first and moved into
    /// place together; files of an earlier analysis that this one does not write are removed.
    /// Tables are written as Parquet or CSV by the extension of their name.
    pub fn write(mut self, dir: &Path) -> Result<Vec<PathBuf>, AnalysisError> {
        let mut staging = Staging::new(dir)?;
        for (name, frame) in &mut self.tables {
            if name.ends_with(".csv") {
                staging.csv(name, frame)?;
            } else {
                staging.parquet(name, frame)?;
            }
        }
        for (name, text) in &self.texts {
            staging.text(name, text)?;
        }
        staging.commit(&OUTPUT_FILES)
    }
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
            let f = s.frame()?;
            out.table("sensitivity.parquet", f.clone());
            out.table("sensitivity.csv", f);
        }
        if let Some(p) = &self.prim {
            out.table("prim.csv", p.frame()?);
            out.text("prim.json", p.json());
        }
        out.text("report.txt", self.report());
        Ok(out)
    }

    /// The printed report: the per-point table of P(violation) and P(collapse), survival,
    /// comparisons, sensitivity and PRIM.
    pub fn report(&self) -> String {
        let mut text = format!(
            "{} ({} records, {} point{})\n\n",
            self.folder.dir.display(),
            self.summary.points.iter().map(|p| p.records).sum::<u64>(),
            self.summary.points.len(),
            if self.summary.points.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        text.push_str(&self.points_table());
        text.push('\n');
        text.push_str(&self.survival_table());
        text.push('\n');
        text.push_str(&self.causes_table());
        text.push('\n');
        text.push_str(&self.incidence_table());
        if self.shows_nations() {
            text.push_str(&format!(
                "\nContingents (per nation: its government asked by its troops' serious casualties, and whether it fought, with 95% Wilson intervals; mean casualties per run):\n{}",
                self.nations_text_table(SHOWN_POINTS).render()
            ));
        }
        if !self.uncertainty.parameters.is_empty() {
            text.push('\n');
            text.push_str(&self.uncertainty.text(SHOWN_POINTS));
        }
        if let Some(r) = self.reference {
            text.push('\n');
            text.push_str(&self.comparisons_table(r));
            if self.folder.is_comparison() {
                text.push_str(&format!(
                    "\nEvery binary outcome against point {r} (paired by replication):\n{}",
                    self.outcome_differences_text_table(usize::MAX).render()
                ));
            }
        }
        if let Some(s) = &self.sensitivity {
            text.push('\n');
            text.push_str(&sensitivity_text(s, "its mean at each point"));
        }
        if let Some(p) = &self.prim {
            text.push('\n');
            text.push_str(&p.description());
        }
        if !self.notes.is_empty() {
            text.push('\n');
            for n in &self.notes {
                text.push_str(&format!("note: {n}\n"));
            }
        }
        text
    }

    fn points_table(&self) -> String {
        let mut text = self.points_text_table(SHOWN_POINTS).render();
        if self.summary.points.len() > SHOWN_POINTS {
            text.push_str(&format!(
                "  … {} more points in summary.csv\n",
                self.summary.points.len() - SHOWN_POINTS
            ));
        }
        text
    }

    /// P(violation) and P(collapse) with their intervals at the first `limit` points, with the
    /// points' parameter values.
    pub fn points_text_table(&self, limit: usize) -> TextTable {
        let design = self.folder.design.as_ref();
        let parameters = design.map_or(&[][..], |d| d.parameters.as_slice());
        let mut header = vec!["point".to_owned()];
        header.extend(parameters.iter().cloned());
        header.extend([
            "n".into(),
            "P(serious violation) [95% CI]".into(),
            "P(collapse) [95% CI]".into(),
        ]);
        let mut right = vec![true];
        right.extend(design.map_or(Vec::new(), |d| {
            d.values
                .iter()
                .map(|v| matches!(v, Values::Numeric(_)))
                .collect()
        }));
        right.extend([true, false, false]);
        let mut t = TextTable::new(header, right);
        let iv = self.summary.index("violated");
        let ic = self.summary.index("collapsed");
        let cell = |p: &summary::PointSummary, i: Option<usize>| {
            i.map_or("-".into(), |i| {
                let e = p.stats[i].estimate;
                estimate_with_interval(e.estimate, e.lower, e.upper, 3)
            })
        };
        for p in self.summary.points.iter().take(limit) {
            let mut row = vec![p.point.to_string()];
            if let Some(d) = design {
                let r = d.row(p.point);
                for v in &d.values {
                    row.push(match (v, r) {
                        (Values::Numeric(x), Some(r)) => short(x[r]),
                        (Values::Categorical(x), Some(r)) => x[r].clone(),
                        _ => "-".into(),
                    });
                }
            }
            row.push(p.records.to_string());
            row.push(cell(p, iv));
            row.push(cell(p, ic));
            t.push(row);
        }
        t
    }

    fn survival_table(&self) -> String {
        format!(
            "Survival (Kaplan–Meier; Greenwood log-log 95% bands in survival.parquet; runs that did not end in the event, settled ones too, censored at end_day):\n{}",
            self.survival_text_table(2 * SHOWN_POINTS).render()
        )
    }

    /// Events, median and S(t) at the checkpoints of the first `limit` curves (two per point).
    pub fn survival_text_table(&self, limit: usize) -> TextTable {
        let checkpoints: Vec<f64> = self.options.checkpoints.clone();
        let mut header = vec![
            "point".into(),
            "curve".into(),
            "events".into(),
            "KM median day [95% CI]".into(),
        ];
        header.extend(checkpoints.iter().map(|t| format!("S({t})")));
        let mut right = vec![true, false, true, false];
        right.extend(checkpoints.iter().map(|_| true));
        let mut t = TextTable::new(header, right);
        for c in self.curves.iter().take(limit) {
            let m = c.km.median();
            let median = match m.estimate {
                None => "not reached".into(),
                Some(e) => format!(
                    "{e:.1} [{}, {}]",
                    number(m.lower, 1),
                    m.upper.map_or("-".into(), |u| format!("{u:.1}"))
                ),
            };
            let mut row = vec![
                match &c.group {
                    curves::Group::Point(p) => p.to_string(),
                    curves::Group::Value(v) => v.clone(),
                },
                c.curve.clone(),
                format!("{}/{}", c.km.events, c.km.n),
                median,
            ];
            row.extend(
                checkpoints
                    .iter()
                    .map(|&t| number(c.km.at(t).map(|s| s.survival), 3)),
            );
            t.push(row);
        }
        t
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

    /// Per nation at the first `limit` points: P(its government was asked) and P(it fought),
    /// with their intervals, and its mean casualties from harassment and from serious classes.
    pub fn nations_text_table(&self, limit: usize) -> TextTable {
        let header = [
            "point",
            "nation",
            "P(asked) [95% CI]",
            "P(fought) [95% CI]",
            "casualties: harassment",
            "serious",
        ];
        let mut t = TextTable::new(
            header.iter().map(|h| h.to_string()).collect(),
            vec![true, false, false, false, true, true],
        );
        let nations = self.nations();
        for p in self.summary.points.iter().take(limit) {
            for nation in &nations {
                let stat = |prefix: &str| {
                    let i = self.summary.index(&format!("{prefix}{nation}"))?;
                    Some(p.stats[i].estimate)
                };
                let proportion = |prefix| {
                    stat(prefix).map_or("-".into(), |e| {
                        estimate_with_interval(e.estimate, e.lower, e.upper, 3)
                    })
                };
                let mean = |prefix| number(stat(prefix).map(|e| e.estimate), 2);
                t.push(vec![
                    p.point.to_string(),
                    nation.clone(),
                    proportion("tripwire_triggered_"),
                    proportion("tripwire_fired_"),
                    mean("r_casualties_harassment_"),
                    mean("r_casualties_serious_"),
                ]);
            }
        }
        t
    }

    fn causes_table(&self) -> String {
        let mut text = format!(
            "Ends of the ceasefires (collapses by cause, as a share of collapses; settlements that ended a run, as a share of runs; a settlement that ends nothing is counted in the summary's P(settled)):\n{}",
            self.causes_text_table(SHOWN_POINTS).render()
        );
        if self.causes.points.len() > SHOWN_POINTS {
            text.push_str(&format!(
                "  … {} more points in causes.csv\n",
                self.causes.points.len() - SHOWN_POINTS
            ));
        }
        text
    }

    /// Collapses by cause and settlements at the first `limit` points.
    pub fn causes_text_table(&self, limit: usize) -> TextTable {
        let causes = &self.causes;
        let mut header = vec!["point".to_owned(), "n".into(), "collapses".into()];
        header.extend(causes.causes().iter().cloned());
        header.push("ended settled".into());
        let right = vec![true; header.len()];
        let mut t = TextTable::new(header, right);
        let cell = |k: u64, of: u64| {
            if of == 0 {
                format!("{k}")
            } else {
                format!("{k} ({:.1}%)", 100.0 * k as f64 / of as f64)
            }
        };
        for p in causes.points.iter().take(limit) {
            let collapses = p.collapses();
            let mut row = vec![
                p.point.to_string(),
                p.records.to_string(),
                collapses.to_string(),
            ];
            let (last, by_cause) = p.incidence.split_last().expect("settlement is a kind");
            row.extend(by_cause.iter().map(|f| cell(f.events, collapses)));
            row.push(cell(last.events, p.records));
            t.push(row);
        }
        t
    }

    fn incidence_table(&self) -> String {
        format!(
            "Cumulative incidence F(t) = P(ended so by day t) (Aalen–Johansen: the causes and settlement \
             compete, no run is censored by a settlement; 95% log-log bands in causes.csv):\n{}",
            self.incidence_text_table(SHOWN_POINTS * self.causes.kinds.len())
                .render()
        )
    }

    /// Events and `F(t)` at the checkpoints of the first `limit` incidences (one per kind and point).
    pub fn incidence_text_table(&self, limit: usize) -> TextTable {
        let checkpoints = &self.options.checkpoints;
        let mut header = vec!["point".to_owned(), "kind".into(), "events".into()];
        header.extend(checkpoints.iter().map(|t| format!("F({t})")));
        let mut right = vec![true, false, true];
        right.extend(checkpoints.iter().map(|_| true));
        let mut t = TextTable::new(header, right);
        let rows = self.causes.points.iter().flat_map(|p| {
            self.causes
                .kinds
                .iter()
                .zip(&p.incidence)
                .map(move |(k, f)| (p.point, k, f))
        });
        for (point, kind, f) in rows.take(limit) {
            let mut row = vec![point.to_string(), kind.clone(), f.events.to_string()];
            row.extend(
                checkpoints
                    .iter()
                    .map(|&t| number(f.at(t).map(|s| s.incidence), 3)),
            );
            t.push(row);
        }
        t
    }

    fn comparisons_table(&self, reference: u64) -> String {
        let paired = self.comparisons.iter().any(|c| c.method == "paired_t");
        let mut table = self.comparisons_text_table(SHOWN_POINTS).render();
        let mut points: Vec<u64> = self.comparisons.iter().map(|c| c.point).collect();
        points.dedup();
        if points.len() > SHOWN_POINTS {
            table.push_str(&format!(
                "  … {} more points in comparisons.csv\n",
                points.len() - SHOWN_POINTS
            ));
        }
        format!(
            "Against point {reference} ({}; hazard ratio = ratio of collapses per day at risk, log-normal interval):\n{}",
            if paired {
                "differences paired by replication, common random numbers"
            } else {
                "unpaired differences, Newcombe intervals"
            },
            table
        )
    }

    /// The differences in P(violation) and P(collapse) from the reference, and the collapse
    /// hazard ratio, of the first `limit` points compared.
    /// Every binary outcome's difference from the reference, one row per point and outcome, for the
    /// first `limit` rows.
    pub fn outcome_differences_text_table(&self, limit: usize) -> TextTable {
        let reference = self.reference.unwrap_or(0);
        let mut t = TextTable::new(
            vec![
                "point".into(),
                "outcome".into(),
                format!("P at {reference}"),
                "P".into(),
                "difference [95% CI]".into(),
            ],
            vec![true, false, true, true, false],
        );
        for c in self
            .comparisons
            .iter()
            .filter(|c| c.measure == "difference")
            .take(limit)
        {
            t.push(vec![
                c.point.to_string(),
                c.outcome.clone(),
                format!("{:.3}", c.reference_value),
                format!("{:.3}", c.point_value),
                estimate_with_interval(c.estimate, c.lower, c.upper, 3),
            ]);
        }
        t
    }

    pub fn comparisons_text_table(&self, limit: usize) -> TextTable {
        let mut t = TextTable::new(
            vec![
                "point".into(),
                "ΔP(serious violation) [95% CI]".into(),
                "ΔP(collapse) [95% CI]".into(),
                "collapse hazard ratio [95% CI]".into(),
            ],
            vec![true, false, false, false],
        );
        let mut points: Vec<u64> = self.comparisons.iter().map(|c| c.point).collect();
        points.dedup();
        for p in points.iter().take(limit) {
            let find = |outcome: &str, measure: &str| {
                self.comparisons
                    .iter()
                    .find(|c| c.point == *p && c.outcome == outcome && c.measure == measure)
                    .map_or("-".into(), |c| {
                        estimate_with_interval(c.estimate, c.lower, c.upper, 3)
                    })
            };
            t.push(vec![
                p.to_string(),
                find("violated", "difference"),
                find("collapsed", "difference"),
                find("collapsed", "hazard_ratio"),
            ]);
        }
        t
    }
}

/// The sensitivity table as text.
pub fn sensitivity_text(s: &Sensitivity, of_what: &str) -> String {
    let mut text = format!("Sensitivity of {} ({of_what}):\n", s.outcome);
    text.push_str(&sensitivity_table(s).render());
    if let Some(r2) = s.rows.iter().find(|r| r.measure == "r_squared") {
        text.push_str(&format!(
            "  regression (numeric parameters on unit coordinates, enumerated ones by level): R² = {:.3} ({} points)\n",
            r2.estimate, r2.n
        ));
    }
    for k in &s.skipped {
        text.push_str(&format!("  skipped: {k}\n"));
    }
    for w in sensitivity_warnings(s) {
        text.push_str(&format!("  warning: {w}\n"));
    }
    text
}

/// The warnings of a sensitivity analysis: the whole analysis's, then each marked estimate's
/// (marked `!` in [`sensitivity_table`]).
pub fn sensitivity_warnings(s: &Sensitivity) -> Vec<String> {
    let mut out = s.warnings.clone();
    for r in &s.rows {
        if let Some(w) = &r.warning {
            let what = match (&r.parameter, &r.level) {
                (Some(p), Some(l)) => format!("{p} = {l}"),
                (Some(p), None) => format!("{} of {p}", measure_name(r.measure)),
                (None, _) => measure_name(r.measure).to_owned(),
            };
            out.push(format!("{what}: {w}"));
        }
    }
    out
}

fn measure_name(measure: &str) -> &str {
    match measure {
        "mu_star" => "μ*",
        "mu" => "μ",
        "sigma" => "σ",
        "src" => "SRC",
        "r_squared" => "R²",
        other => other,
    }
}

/// One row per parameter: Sobol' S1 and ST, Morris μ*, μ and σ, and standardised regression
/// coefficients, as the design gives them.
pub fn sensitivity_table(s: &Sensitivity) -> TextTable {
    let parameters: Vec<&str> = {
        let mut seen: Vec<&str> = Vec::new();
        for r in &s.rows {
            if let Some(p) = r.parameter.as_deref()
                && r.method != "level"
                && !seen.contains(&p)
            {
                seen.push(p);
            }
        }
        seen
    };
    let has = |m: &str| s.rows.iter().any(|r| r.method == m);
    let mut header = vec!["parameter".to_owned()];
    let mut columns: Vec<(&str, &str)> = Vec::new();
    if has("sobol") {
        columns.extend([("sobol", "S1"), ("sobol", "ST")]);
    }
    if has("morris") {
        columns.extend([("morris", "mu_star"), ("morris", "mu"), ("morris", "sigma")]);
    }
    if has("src") {
        columns.push(("src", "src"));
    }
    for (m, k) in &columns {
        header.push(match (*m, *k) {
            ("sobol", "S1") => "S1 [95% CI]".into(),
            ("sobol", "ST") => "ST [95% CI]".into(),
            ("morris", "mu_star") => "μ* [95% CI]".into(),
            ("morris", "mu") => "μ".into(),
            ("morris", "sigma") => "σ".into(),
            _ => "SRC".into(),
        });
    }
    let has_levels = has("level");
    if has_levels {
        header.push("effect against the reference level".into());
    }
    let mut right = vec![false];
    right.extend(
        columns
            .iter()
            .map(|(_, k)| matches!(*k, "mu" | "sigma" | "src")),
    );
    if has_levels {
        right.push(true);
    }
    let mut t = TextTable::new(header, right);
    for p in &parameters {
        let mut row = vec![(*p).to_owned()];
        for (m, k) in &columns {
            let cell = s
                .rows
                .iter()
                .find(|r| r.method == *m && r.measure == *k && r.parameter.as_deref() == Some(p))
                .map_or("-".into(), |r| {
                    let mark = if r.warning.is_some() { " !" } else { "" };
                    estimate_with_interval(r.estimate, r.lower, r.upper, 3) + mark
                });
            row.push(cell);
        }
        if has_levels {
            row.push("-".into());
        }
        t.push(row);
    }
    // An enumerated parameter: one row per level other than the reference, its effect on the
    // outcome (in the outcome's units) with the other parameters held fixed.
    for r in s.rows.iter().filter(|r| r.method == "level") {
        let mut row = vec![format!(
            "{} = {} (against {})",
            r.parameter.as_deref().unwrap_or_default(),
            r.level.as_deref().unwrap_or_default(),
            r.reference.as_deref().unwrap_or_default()
        )];
        row.extend(columns.iter().map(|_| "-".to_owned()));
        let mark = if r.warning.is_some() { " !" } else { "" };
        row.push(format!("{:+.3}{mark}", r.estimate));
        t.push(row);
    }
    t
}

/// Survival of any table: the curves, the rows dropped for a missing value, and the settings.
#[derive(Debug, Clone)]
pub struct TableSurvival {
    pub input: PathBuf,
    pub spec: TableSpec,
    pub curves: Vec<GroupCurve>,
    pub dropped: usize,
    pub checkpoints: Vec<f64>,
    pub step: f64,
}

/// Kaplan–Meier curves of a CSV or Parquet table, per group.
pub fn analyze_table_survival(
    input: &Path,
    spec: &TableSpec,
    checkpoints: &[f64],
    step: f64,
) -> Result<TableSurvival, AnalysisError> {
    let (curves, dropped) = curves::table_curves(input, spec)?;
    if curves.is_empty() {
        return Err(AnalysisError::input(format!(
            "{}: no row has both a time and an event",
            input.display()
        )));
    }
    Ok(TableSurvival {
        input: input.to_path_buf(),
        spec: spec.clone(),
        curves,
        dropped,
        checkpoints: checkpoints.to_vec(),
        step,
    })
}

impl TableSurvival {
    fn group_name(&self) -> &str {
        self.spec.by.as_deref().unwrap_or("group")
    }

    /// `survival.parquet`, `survival.csv`, `survival_summary.parquet` and `survival_summary.csv`.
    pub fn outputs(&self) -> Result<Outputs, AnalysisError> {
        let mut out = Outputs::default();
        let curves = curves::curves_frame(&self.curves, self.step, self.group_name(), None)?;
        out.table("survival.parquet", curves.clone());
        out.table("survival.csv", curves);
        let s =
            curves::curves_summary_frame(&self.curves, &self.checkpoints, self.group_name(), None)?;
        out.table("survival_summary.parquet", s.clone());
        out.table("survival_summary.csv", s);
        out.text("report.txt", self.report());
        Ok(out)
    }

    /// Per group: observations, events, median with interval, and S(t) with its band.
    pub fn report(&self) -> String {
        let scale = if self.spec.scale == 1.0 {
            String::new()
        } else {
            format!(" × {}", self.spec.scale)
        };
        let mut text = format!(
            "{}: time `{}`{scale}, event `{}`{}\nKaplan–Meier with Greenwood log-log 95% bands\n",
            self.input.display(),
            self.spec.time,
            self.spec.event,
            self.spec
                .by
                .as_ref()
                .map_or(String::new(), |b| format!(", by `{b}`"))
        );
        if self.dropped > 0 {
            text.push_str(&format!(
                "{} rows without a time or an event were left out\n",
                self.dropped
            ));
        }
        let mut header = vec![
            self.group_name().to_owned(),
            "events".into(),
            "median [95% CI]".into(),
        ];
        header.extend(self.checkpoints.iter().map(|t| format!("S({t}) [95% CI]")));
        let mut right = vec![false, true, false];
        right.extend(self.checkpoints.iter().map(|_| false));
        let mut t = TextTable::new(header, right);
        for c in &self.curves {
            let m = c.km.median();
            let mut row = vec![
                match &c.group {
                    curves::Group::Value(v) => v.clone(),
                    curves::Group::Point(p) => p.to_string(),
                },
                format!("{}/{}", c.km.events, c.km.n),
                match m.estimate {
                    None => "not reached".into(),
                    Some(e) => format!(
                        "{} [{}, {}]",
                        short(e),
                        m.lower.map_or("-".into(), short),
                        m.upper.map_or("-".into(), short)
                    ),
                },
            ];
            for &t in &self.checkpoints {
                row.push(c.km.at(t).map_or("-".into(), |s| {
                    estimate_with_interval(
                        s.survival,
                        s.lower.unwrap_or(f64::NAN),
                        s.upper.unwrap_or(f64::NAN),
                        3,
                    )
                }));
            }
            t.push(row);
        }
        text.push_str(&t.render());
        text
    }
}

/// Sensitivity (and optionally PRIM) of an output column computed elsewhere on a design.
#[derive(Debug, Clone)]
pub struct DesignAnalysis {
    pub design: Design,
    pub sensitivity: Sensitivity,
    pub prim: Option<PrimReport>,
}

/// Reads a design written by `truce design` and a table of outputs with a `point` column, matches
/// them by point id, and computes the sensitivity indices the design supports for `column`;
/// with a threshold, also PRIM for `column > threshold`.
pub fn analyze_design(
    design_path: &Path,
    outputs_path: &Path,
    column: &str,
    threshold: Option<f64>,
    options: &IndexOptions,
) -> Result<DesignAnalysis, AnalysisError> {
    let design = Design::read(design_path)?;
    let outputs = read_outputs(outputs_path, column)?;
    let origin = outputs_path.display().to_string();
    let extra: Vec<String> = outputs
        .keys()
        .filter(|id| design.row(**id).is_none())
        .map(u64::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !extra.is_empty() {
        return Err(AnalysisError::input(format!(
            "{origin} has points that {} does not list: {}; were the outputs computed on another design?",
            design.origin,
            name_list(&extra, 20)
        )));
    }
    let y = design.outputs_by_row(&outputs, &origin)?;
    let mut sensitivity = indices::sensitivity(&design, &y, column, options)?;
    let prim = match threshold {
        Some(t) if y.iter().all(|&v| v > t) || y.iter().all(|&v| v <= t) => {
            let above = y.iter().filter(|&&v| v > t).count();
            sensitivity.skipped.push(format!(
                "PRIM: {above} of the {} points have {column} > {}: nothing to separate; choose a threshold between {} and {}",
                y.len(),
                short(t),
                short(y.iter().copied().fold(f64::INFINITY, f64::min)),
                short(y.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
            ));
            None
        }
        Some(t) => Some(indices::prim_search(&design, &y, column, t, &options.prim)?),
        None => None,
    };
    Ok(DesignAnalysis {
        design,
        sensitivity,
        prim,
    })
}

/// The outputs of a table: `point` → `column`; ids must be unique and values present.
fn read_outputs(path: &Path, column: &str) -> Result<HashMap<u64, f64>, AnalysisError> {
    let origin = path.display().to_string();
    let mut scan = table::scan(path)?;
    let schema = table::schema(&mut scan, &origin)?;
    table::require(&schema, &["point", column], &origin)?;
    let t = schema.get(column).cloned().unwrap_or(DataType::Null);
    if !(t.is_primitive_numeric() || t == DataType::Boolean) {
        return Err(AnalysisError::input(format!(
            "{origin}: column `{column}` holds {t}: the output must be numbers or true/false"
        )));
    }
    let frame = table::collect(
        scan.select([col("point"), col(column).cast(DataType::Float64).alias("y")]),
        &origin,
    )
    .map_err(|e| AnalysisError::input(format!("{origin}: {e}")))?;
    let ids = crate::design::u64_column(&frame, "point", &origin)?;
    let y = frame
        .column("y")
        .and_then(|c| c.f64())
        .table(|| "y".into())?;
    let mut out = HashMap::with_capacity(ids.len());
    let mut missing = Vec::new();
    for (row, (id, v)) in ids.iter().zip(y.iter()).enumerate() {
        let Some(id) = id else {
            return Err(AnalysisError::input(format!(
                "{origin}: row {} has no point id",
                row + 1
            )));
        };
        match v {
            Some(v) if v.is_finite() => {
                if out.insert(*id, v).is_some() {
                    return Err(AnalysisError::input(format!(
                        "{origin}: point {id} appears twice: give one output per point"
                    )));
                }
            }
            _ => missing.push(id.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(AnalysisError::input(format!(
            "{origin}: `{column}` is missing or not a finite number at points {}",
            name_list(&missing, 20)
        )));
    }
    Ok(out)
}

impl DesignAnalysis {
    /// `sensitivity.parquet`, `sensitivity.csv`, and with PRIM `prim.csv` and `prim.json`.
    pub fn outputs(&self) -> Result<Outputs, AnalysisError> {
        let mut out = Outputs::default();
        let f = self.sensitivity.frame()?;
        out.table("sensitivity.parquet", f.clone());
        out.table("sensitivity.csv", f);
        if let Some(p) = &self.prim {
            out.table("prim.csv", p.frame()?);
            out.text("prim.json", p.json());
        }
        out.text("report.txt", self.report());
        Ok(out)
    }

    pub fn report(&self) -> String {
        let mut text = format!(
            "{} ({} points, {} parameters)\n",
            self.design.origin,
            self.design.ids.len(),
            self.design.parameters.len()
        );
        text.push_str(&sensitivity_text(&self.sensitivity, "one value per point"));
        if let Some(p) = &self.prim {
            text.push('\n');
            text.push_str(&p.description());
        }
        text
    }
}
