//! Estimates with their 95% intervals, one row each: P(serious violation) and P(collapse) at
//! every point, land grabs by sector, and differences from the reference point (forest).

use super::names::{file_part, label_key, outcome_label};
use super::plan::{Built, Context, Missing};
use super::{Chart, Data};
use truce_plot::Estimate;
use truce_plot::dot_whisker::{DotWhiskerData, DotWhiskerPoint, SortBy};
use truce_plot::forest::{ForestData, ForestRow};

/// Most rows of a dot-and-whisker or forest chart.
const MAX_ROWS: usize = 80;
/// Most points given a chart of land grabs by sector each.
const MAX_SECTOR_CHARTS: usize = 4;

impl Context<'_> {
    /// Per point drawn (at most [`MAX_SECTOR_CHARTS`]), the mean land grabs committed and taken
    /// in each sector per run, with their 95% t intervals: where the aggressor grabs.
    pub(super) fn sectors(&self) -> Built {
        let summary = &self.analysis.summary;
        let column = |what: &str, s: usize| summary.index(&format!("grabs_{what}_sector_{s}"));
        let sectors = (0..)
            .take_while(|&s| column("committed", s).is_some())
            .count();
        if sectors == 0 {
            return Err(Missing(
                "the records have no per-sector columns: run the scenario again with this version of `truce run`".into(),
            ));
        }
        if sectors > MAX_ROWS {
            return Err(Missing(format!(
                "{sectors} sectors are too many for one readable chart (at most {MAX_ROWS})"
            )));
        }
        if self.points.len() > MAX_SECTOR_CHARTS {
            return Err(Missing(format!(
                "one chart per point, and {} points are too many: choose at most {MAX_SECTOR_CHARTS} with --points",
                self.points.len()
            )));
        }
        let mut charts = Vec::new();
        for &id in &self.points {
            let rows: Vec<DotWhiskerPoint> = (0..sectors)
                .filter_map(|s| {
                    Some(DotWhiskerPoint {
                        label: format!("sector {s}"),
                        violation: self.estimate(id, column("committed", s)?)?,
                        collapse: self.estimate(id, column("succeeded", s)?)?,
                    })
                })
                .collect();
            let top = rows
                .iter()
                .map(|r| r.violation.upper.max(r.collapse.upper))
                .fold(0.0, f64::max);
            let mut data = DotWhiskerData::new(
                format!("Land grabs by sector: {}", self.label(id)),
                rows,
                SortBy::Input,
            );
            data.x_label = "land grabs per run (mean, 95% t interval)".into();
            data.y_label = "sector".into();
            data.violation_label = "committed".into();
            data.collapse_label = "taken".into();
            data.x_range = Some((0.0, if top > 0.0 { top * 1.05 } else { 1.0 }));
            charts.push(Chart {
                name: if self.points.len() == 1 {
                    "sectors".into()
                } else {
                    format!("sectors_point_{id}")
                },
                caption: format!(
                    "Where the aggressor grabs ({}): the mean number of land grabs committed and \
                     taken in each sector per run, with 95% t intervals; per-sector R casualties \
                     are in summary.csv.",
                    self.label(id)
                ),
                data: Data::Points(data),
            });
        }
        Ok(charts)
    }

    pub(super) fn points(&self) -> Built {
        let summary = &self.analysis.summary;
        let (Some(violated), Some(collapsed)) =
            (summary.index("violated"), summary.index("collapsed"))
        else {
            return Err(Missing(
                "the records have no `violated` and `collapsed` columns: run the scenario again with this version of `truce run`".into(),
            ));
        };
        if self.points.len() > MAX_ROWS {
            return Err(Missing(format!(
                "{} points are too many for one readable chart: choose at most {MAX_ROWS} with --points",
                self.points.len()
            )));
        }
        let rows: Vec<DotWhiskerPoint> = self
            .points
            .iter()
            .filter_map(|&id| {
                Some(DotWhiskerPoint {
                    label: self.label(id),
                    violation: self.estimate(id, violated)?,
                    collapse: self.estimate(id, collapsed)?,
                })
            })
            .collect();
        let mut data = DotWhiskerData::new(
            if rows.len() == 1 {
                format!("P(serious violation) and P(collapse): {}", self.scenario)
            } else {
                "P(serious violation) and P(collapse) by point".to_owned()
            },
            rows,
            SortBy::Collapse,
        );
        data.x_label = "probability (95% Wilson interval)".into();
        data.y_label = label_key(self.analysis);
        Ok(vec![Chart {
            name: "points".into(),
            caption:
                "The proportion of replications with a serious violation and with a collapse, \
                      with 95% Wilson intervals, sorted by P(collapse)."
                    .into(),
            data: Data::Points(data),
        }])
    }

    pub(super) fn forest(&self) -> Built {
        let Some(reference) = self.analysis.reference else {
            return Err(Missing(
                "a forest plot compares points with a reference point, and this folder holds one: \
                 run a sweep with `truce sweep`"
                    .into(),
            ));
        };
        let mut charts = Vec::new();
        let mut outcomes = vec![self.selection.outcome.as_str()];
        if !outcomes.contains(&"violated") {
            outcomes.push("violated");
        }
        for outcome in outcomes {
            let rows: Vec<ForestRow> = self
                .analysis
                .comparisons
                .iter()
                .filter(|c| {
                    c.outcome == outcome
                        && c.measure == "difference"
                        && c.point != reference
                        && self.points.contains(&c.point)
                })
                .map(|c| ForestRow {
                    label: self.label(c.point),
                    estimate: Estimate::new(c.estimate, c.lower, c.upper),
                })
                .filter(|r| r.estimate.value.is_finite())
                .collect();
            if rows.is_empty() {
                continue;
            }
            if rows.len() > MAX_ROWS {
                return Err(Missing(format!(
                    "{} points are too many for one readable chart: choose at most {MAX_ROWS} with --points",
                    rows.len()
                )));
            }
            let label = outcome_label(outcome, true);
            let paired = self.analysis.folder.crn;
            charts.push(Chart {
                name: format!("forest_{}", file_part(outcome)),
                caption: format!(
                    "The difference in {label} between each point and the reference point, with 95% \
                     intervals ({}).",
                    if paired {
                        "paired by replication: common random numbers"
                    } else {
                        "unpaired"
                    }
                ),
                data: Data::Forest(ForestData {
                    title: format!("Difference in {label} from the reference"),
                    x_label: format!("difference in {label} (point minus reference)"),
                    y_label: label_key(self.analysis),
                    reference: Some(self.label(reference)),
                    rows,
                }),
            });
        }
        if charts.is_empty() {
            return Err(Missing(format!(
                "the comparisons hold no difference in {}: name a binary outcome with --outcome",
                self.selection.outcome
            )));
        }
        Ok(charts)
    }
}
