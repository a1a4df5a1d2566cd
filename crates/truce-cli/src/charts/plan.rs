//! Which charts a folder supports ([`plan`]), and the [`Context`] every builder reads: the
//! analysis, the selection, the points drawn and their labels.

use super::names::{id_list, name_of, point_label};
use super::{Chart, Kind, Selection};
use crate::error::user;
use anyhow::Result;
use std::collections::BTreeMap;
use truce_analysis::FolderAnalysis;
use truce_plot::Estimate;

/// The charts to draw, and the charts left out with the reason.
#[derive(Debug, Default)]
pub struct Plan {
    pub charts: Vec<Chart>,
    pub skipped: Vec<(Kind, String)>,
}

/// Why a chart cannot be drawn from this folder: what is missing and which command makes it.
pub(super) struct Missing(pub(super) String);

pub(super) type Built = std::result::Result<Vec<Chart>, Missing>;

/// The charts of `kinds` (every kind when empty) for the analysed folder.
///
/// A kind named in `kinds` that the folder cannot support is an error; so is a selection that
/// names a parameter, point or outcome the folder does not have.
pub fn plan(analysis: &FolderAnalysis, selection: &Selection, kinds: &[Kind]) -> Result<Plan> {
    let context = Context::new(analysis, selection)?;
    let asked = !kinds.is_empty();
    let mut kinds: Vec<Kind> = if asked {
        kinds.to_vec()
    } else {
        Kind::ALL.to_vec()
    };
    kinds.sort();
    kinds.dedup();
    let mut plan = Plan::default();
    for kind in kinds {
        let built = match kind {
            Kind::Heatmap => context.heatmap()?,
            Kind::Survival => context.survival(),
            Kind::Incidence => context.incidence(),
            Kind::Points => context.points(),
            Kind::Sectors => context.sectors(),
            Kind::Forest => context.forest(),
            Kind::Sensitivity => context.sensitivity(),
            Kind::Timeline => context.traced(Kind::Timeline)?,
            Kind::Background => context.traced(Kind::Background)?,
        };
        match built {
            Ok(charts) => plan.charts.extend(charts),
            Err(Missing(why)) if asked => {
                return Err(user(format!(
                    "{}: cannot draw the {} chart: {why}",
                    analysis.folder.dir.display(),
                    kind.name()
                )));
            }
            Err(Missing(why)) => plan.skipped.push((kind, why)),
        }
    }
    Ok(plan)
}

/// The analysis and selection, with what every chart needs from them.
pub(super) struct Context<'a> {
    pub(super) analysis: &'a FolderAnalysis,
    pub(super) selection: &'a Selection,
    /// The points drawn, in id order.
    pub(super) points: Vec<u64>,
    /// Whether the points were chosen with `--points`.
    pub(super) chosen: bool,
    /// The label of each point.
    pub(super) labels: BTreeMap<u64, String>,
    pub(super) scenario: String,
}

impl<'a> Context<'a> {
    fn new(analysis: &'a FolderAnalysis, selection: &'a Selection) -> Result<Self> {
        let all: Vec<u64> = analysis.summary.points.iter().map(|p| p.point).collect();
        let points = match &selection.points {
            Some(chosen) => {
                for id in chosen {
                    if !all.contains(id) {
                        return Err(user(format!(
                            "--points: point {id} is not in {}: its points are {}",
                            analysis.folder.dir.display(),
                            id_list(&all)
                        )));
                    }
                }
                let mut chosen = chosen.clone();
                chosen.sort_unstable();
                chosen.dedup();
                chosen
            }
            None => all.clone(),
        };
        let scenario = name_of(analysis);
        let labels = all
            .iter()
            .map(|&id| (id, point_label(analysis, id, &scenario)))
            .collect();
        Ok(Context {
            analysis,
            selection,
            points,
            chosen: selection.points.is_some(),
            labels,
            scenario,
        })
    }

    pub(super) fn label(&self, id: u64) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("point {id}"))
    }

    /// The estimate of a proportion or mean at a point.
    pub(super) fn estimate(&self, id: u64, outcome: usize) -> Option<Estimate> {
        let stats = &self.analysis.summary.point(id)?.stats[outcome];
        let e = stats.estimate;
        e.estimate.is_finite().then(|| {
            let (lower, upper) = if e.lower.is_finite() && e.upper.is_finite() {
                (e.lower, e.upper)
            } else {
                (e.estimate, e.estimate)
            };
            Estimate::new(e.estimate, lower, upper)
        })
    }

    pub(super) fn outcome_index(&self) -> Result<usize> {
        let summary = &self.analysis.summary;
        let name = &self.selection.outcome;
        summary.index(name).ok_or_else(|| {
            let names: Vec<&str> = summary.outcomes.iter().map(|o| o.name.as_str()).collect();
            user(format!(
                "--outcome {name}: not an outcome of {}: its outcomes are {}",
                self.analysis.folder.dir.display(),
                names.join(", ")
            ))
        })
    }
}
