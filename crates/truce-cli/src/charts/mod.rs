//! The charts of a results folder: built from its analysis (`truce-analysis`) and its event
//! traces, drawn by `truce-plot`. Used by `truce plot` and `truce report`.
//!
//! [`plan`] decides which charts the folder supports. A chart asked for by name that the folder
//! cannot support is an error that says what is missing and which command makes it; without
//! names, every supported chart is drawn and the others are listed with the reason.

pub mod labels;
mod trace;

use crate::error::user;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use truce_analysis::FolderAnalysis;
use truce_analysis::curves::Group;
use truce_analysis::indices::short as number;
use truce_analysis::prim::Values;
use truce_plot::background::BackgroundData;
use truce_plot::dot_whisker::{DotWhiskerData, DotWhiskerPoint, SortBy};
use truce_plot::forest::{ForestData, ForestRow};
use truce_plot::heatmap::HeatmapData;
use truce_plot::incidence::{IncidenceData, IncidenceLayer};
use truce_plot::sensitivity::{MorrisData, MorrisPoint, SensitivityData, SobolData, SobolIndices};
use truce_plot::survival::{SurvivalData, SurvivalSeries};
use truce_plot::timeline::TimelineData;
use truce_plot::{ChartOptions, Estimate, Format};

pub use trace::find_traces;

/// Most points drawn on one survival chart when none are chosen.
const DEFAULT_CURVES: usize = 6;
/// Most rows of a dot-and-whisker or forest chart.
const MAX_ROWS: usize = 80;
/// Most points given a chart of land grabs by sector each.
const MAX_SECTOR_CHARTS: usize = 4;
/// Most distinct values of a heatmap axis.
const MAX_CATEGORIES: usize = 30;
/// Most steps drawn per survival curve; longer curves are thinned to the last step of each of this
/// many equal spans of days (exact at each kept step).
const MAX_STEPS: usize = 1500;

/// The kinds of chart, in the order they are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Kind {
    /// An outcome over two swept parameters.
    Heatmap,
    /// Kaplan–Meier curves of time to first violation and to collapse, with 95% bands.
    Survival,
    /// Cumulative incidence of each cause of collapse and of settlement, stacked.
    Incidence,
    /// P(serious violation) and P(collapse) with 95% intervals at every point.
    Points,
    /// Land grabs committed and taken in each sector, with 95% intervals, at each point drawn.
    Sectors,
    /// Differences from the reference point with 95% intervals.
    Forest,
    /// Sobol' S1 and ST, or Morris μ* against σ.
    Sensitivity,
    /// The events of a traced replication by actor.
    Timeline,
    /// Background violations per day of a traced replication.
    Background,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Heatmap,
        Kind::Survival,
        Kind::Incidence,
        Kind::Points,
        Kind::Sectors,
        Kind::Forest,
        Kind::Sensitivity,
        Kind::Timeline,
        Kind::Background,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Heatmap => "heatmap",
            Kind::Survival => "survival",
            Kind::Incidence => "incidence",
            Kind::Points => "points",
            Kind::Sectors => "sectors",
            Kind::Forest => "forest",
            Kind::Sensitivity => "sensitivity",
            Kind::Timeline => "timeline",
            Kind::Background => "background",
        }
    }
}

/// What to draw, beyond the folder itself.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The outcome of the heatmap and the forest plot (the analysis's outcome).
    pub outcome: String,
    /// The heatmap's x and y parameters [default: the first two swept].
    pub x: Option<String>,
    pub y: Option<String>,
    /// The ends of the heatmap's colour scale [default: the data's lowest and highest values].
    pub scale: Option<(f64, f64)>,
    /// The points of the survival, points and forest charts [default: all, or a few for survival].
    pub points: Option<Vec<u64>>,
    /// Trace files for the timeline and background charts [default: the folder's `trace_*.csv`].
    pub traces: Vec<PathBuf>,
}

/// One chart, ready to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The file name without its extension, e.g. `survival_collapse`.
    pub name: String,
    /// One sentence saying what the chart shows, for the report.
    pub caption: String,
    pub data: Data,
}

/// The data of a chart, for the `truce-plot` module that draws it.
#[derive(Debug, Clone)]
pub enum Data {
    Heatmap(HeatmapData),
    Survival(SurvivalData),
    Incidence(IncidenceData),
    Points(DotWhiskerData),
    Forest(ForestData),
    Sensitivity(SensitivityData),
    Timeline(TimelineData),
    Background(BackgroundData),
}

impl Chart {
    /// The chart as SVG markup.
    pub fn svg(&self, options: &ChartOptions) -> truce_plot::Result<String> {
        match &self.data {
            Data::Heatmap(d) => truce_plot::heatmap::svg(d, options),
            Data::Survival(d) => truce_plot::survival::svg(d, options),
            Data::Incidence(d) => truce_plot::incidence::svg(d, options),
            Data::Points(d) => truce_plot::dot_whisker::svg(d, options),
            Data::Forest(d) => truce_plot::forest::svg(d, options),
            Data::Sensitivity(d) => truce_plot::sensitivity::svg(d, options),
            Data::Timeline(d) => truce_plot::timeline::svg(d, options),
            Data::Background(d) => truce_plot::background::svg(d, options),
        }
    }

    /// The chart as an encoded PNG.
    pub fn png(&self, options: &ChartOptions) -> truce_plot::Result<Vec<u8>> {
        match &self.data {
            Data::Heatmap(d) => truce_plot::heatmap::png(d, options),
            Data::Survival(d) => truce_plot::survival::png(d, options),
            Data::Incidence(d) => truce_plot::incidence::png(d, options),
            Data::Points(d) => truce_plot::dot_whisker::png(d, options),
            Data::Forest(d) => truce_plot::forest::png(d, options),
            Data::Sensitivity(d) => truce_plot::sensitivity::png(d, options),
            Data::Timeline(d) => truce_plot::timeline::png(d, options),
            Data::Background(d) => truce_plot::background::png(d, options),
        }
    }

    /// The chart encoded in `format`.
    pub fn encode(&self, format: Format, options: &ChartOptions) -> truce_plot::Result<Vec<u8>> {
        match format {
            Format::Png => self.png(options),
            Format::Svg => self.svg(options).map(String::into_bytes),
        }
    }
}

/// The charts to draw, and the charts left out with the reason.
#[derive(Debug, Default)]
pub struct Plan {
    pub charts: Vec<Chart>,
    pub skipped: Vec<(Kind, String)>,
}

/// Why a chart cannot be drawn from this folder: what is missing and which command makes it.
struct Missing(String);

type Built = std::result::Result<Vec<Chart>, Missing>;

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
struct Context<'a> {
    analysis: &'a FolderAnalysis,
    selection: &'a Selection,
    /// The points drawn, in id order.
    points: Vec<u64>,
    /// Whether the points were chosen with `--points`.
    chosen: bool,
    /// The label of each point.
    labels: BTreeMap<u64, String>,
    scenario: String,
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

    fn label(&self, id: u64) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("point {id}"))
    }

    /// The estimate of a proportion or mean at a point.
    fn estimate(&self, id: u64, outcome: usize) -> Option<Estimate> {
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

    fn outcome_index(&self) -> Result<usize> {
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

    fn heatmap(&self) -> Result<Built> {
        let outcome = self.outcome_index()?;
        let Some(design) = &self.analysis.folder.design else {
            return Ok(Err(Missing(
                "a heatmap needs a sweep over two parameters, and this folder holds one scenario: \
                 make one with `truce sweep` (see configs/sweeps/air_cover_vs_troops.toml)"
                    .into(),
            )));
        };
        let parameter = |given: &Option<String>,
                         flag: &str,
                         default: usize|
         -> Result<Option<usize>> {
            match given {
                Some(name) => match design.parameters.iter().position(|p| p == name) {
                    Some(i) => Ok(Some(i)),
                    None => Err(user(format!(
                        "{flag} {name}: not a parameter of this sweep: its swept parameters are {}",
                        if design.parameters.is_empty() {
                            "none".to_owned()
                        } else {
                            design.parameters.join(", ")
                        }
                    ))),
                },
                None => Ok((default < design.parameters.len()).then_some(default)),
            }
        };
        let x = parameter(&self.selection.x, "--x", 0)?;
        let y = match (x, &self.selection.y) {
            (Some(0), None) => parameter(&None, "--y", 1)?,
            (Some(_), None) => parameter(&None, "--y", 0)?,
            (_, given) => parameter(given, "--y", 1)?,
        };
        let (Some(x), Some(y)) = (x, y) else {
            return Ok(Err(Missing(format!(
                "a heatmap needs a sweep over two parameters, and this sweep has {}: \
                 add a parameter to its [sweep] table and run `truce sweep` again",
                design.parameters.len()
            ))));
        };
        if x == y {
            return Err(user(format!(
                "--x and --y both name {}: choose two different parameters",
                design.parameters[x]
            )));
        }
        let (xs, x_of) = match categories(&design.values[x]) {
            Ok(c) => c,
            Err(n) => return Ok(Err(too_many(&design.parameters[x], n))),
        };
        let (ys, y_of) = match categories(&design.values[y]) {
            Ok(c) => c,
            Err(n) => return Ok(Err(too_many(&design.parameters[y], n))),
        };
        let cells: std::collections::BTreeSet<(usize, usize)> = self
            .points
            .iter()
            .filter_map(|&id| design.row(id))
            .map(|row| (x_of[row], y_of[row]))
            .collect();
        if 2 * cells.len() < xs.len() * ys.len() {
            return Ok(Err(Missing(format!(
                "the points fill {} of the {} cells of {} by {}: a heatmap needs a grid design",
                cells.len(),
                xs.len() * ys.len(),
                design.parameters[x],
                design.parameters[y]
            ))));
        }
        let mut sums = vec![vec![(0.0, 0u32); xs.len()]; ys.len()];
        for &id in &self.points {
            let (Some(row), Some(e)) = (design.row(id), self.estimate(id, outcome)) else {
                continue;
            };
            let cell = &mut sums[y_of[row]][x_of[row]];
            cell.0 += e.value;
            cell.1 += 1;
        }
        let averaged = sums.iter().flatten().any(|&(_, n)| n > 1);
        let values = sums
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&(s, n)| (n > 0).then(|| s / f64::from(n)))
                    .collect()
            })
            .collect();
        let info = &self.analysis.summary.outcomes[outcome];
        let value_label = outcome_label(&info.name, info.binary);
        let value_label = match (&info.among, info.binary) {
            (Some(among), false) => format!("{value_label} ({})", runs_that(among)),
            _ => value_label,
        };
        let (x_name, y_name) = (&design.parameters[x], &design.parameters[y]);
        let mut caption = format!(
            "{value_label} at each pair of {} and {}, one cell per pair, {}.",
            plain(x_name),
            plain(y_name),
            if info.binary {
                "as a proportion of replications".to_owned()
            } else {
                over_which(info)
            }
        );
        let shown: Vec<f64> = values_of(&sums);
        let (lo, hi) = shown
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        match self.selection.scale {
            Some((min, max)) => caption.push_str(&format!(
                " The colour scale runs from {} to {} (--scale).",
                number(min),
                number(max)
            )),
            None if lo.is_finite() => caption.push_str(&format!(
                " The colour scale spans the values shown, {} to {}; give --scale MIN,MAX to \
                 set its ends.",
                number(lo),
                number(hi)
            )),
            None => {}
        }
        if averaged {
            caption.push_str(
                " Cells holding several points (other parameters varied too) show their average.",
            );
        }
        Ok(Ok(vec![Chart {
            name: format!("heatmap_{}", file_part(&info.name)),
            caption,
            data: Data::Heatmap(HeatmapData {
                title: format!("{value_label} by {} and {}", plain(x_name), plain(y_name)),
                x_label: labels::label(x_name),
                y_label: labels::label(y_name),
                value_label,
                x_categories: xs,
                y_categories: ys,
                values,
                range: self.selection.scale,
            }),
        }]))
    }

    fn survival(&self) -> Built {
        let shown = self.survival_points();
        let mut charts = Vec::new();
        for (curve, what) in [
            ("violation", "first serious violation"),
            ("collapse", "collapse"),
        ] {
            let mut series = Vec::new();
            let mut horizon: f64 = 0.0;
            for &id in &shown {
                let Some(c) = self
                    .analysis
                    .curves
                    .iter()
                    .find(|c| c.curve == curve && c.group == Group::Point(id))
                else {
                    continue;
                };
                horizon = horizon.max(c.km.max_time);
                series.push(survival_series(self.label(id), &c.km));
            }
            if series.is_empty() {
                continue;
            }
            let mut data = SurvivalData::new(format!("Time to {what}"), series);
            data.y_label = format!("probability of no {what} yet");
            data.horizon = (horizon > 0.0).then_some(horizon);
            let which = if shown.len() == self.analysis.summary.points.len() {
                String::new()
            } else {
                format!(
                    " Points shown: {} of {}{}.",
                    id_list(&shown),
                    self.analysis.summary.points.len(),
                    if self.chosen {
                        ""
                    } else {
                        " (the reference and the extremes of P(collapse); choose others with --points)"
                    }
                )
            };
            charts.push(Chart {
                name: format!("survival_{curve}"),
                caption: format!(
                    "Kaplan–Meier estimate of the probability that no {what} has happened by each \
                     day, runs censored at their end, with Greenwood 95% bands. Curves are \
                     labelled by {}.{which}",
                    label_key(self.analysis)
                ),
                data: Data::Survival(data),
            });
        }
        if charts.is_empty() {
            return Err(Missing(
                "the records have no time-to-event columns: run the scenario again with this version of `truce run`".into(),
            ));
        }
        Ok(charts)
    }

    /// One stacked chart of the cumulative incidences per point shown (as for survival).
    fn incidence(&self) -> Built {
        let causes = &self.analysis.causes;
        let shown = self.survival_points();
        let single = self.analysis.summary.points.len() == 1;
        let mut charts = Vec::new();
        for id in shown {
            let Some(p) = causes.point(id) else { continue };
            let horizon = p.incidence.first().map_or(0.0, |f| f.max_time);
            let layers = causes
                .kinds
                .iter()
                .zip(&p.incidence)
                .map(|(name, f)| {
                    let width = if f.steps.len() > MAX_STEPS {
                        f.max_time / MAX_STEPS as f64
                    } else {
                        0.0
                    };
                    let steps = f.thinned(width);
                    IncidenceLayer {
                        name: name.replace('_', " "),
                        days: steps.iter().map(|s| s.time.max(0.0)).collect(),
                        incidence: steps.iter().map(|s| s.incidence).collect(),
                    }
                })
                .collect();
            let mut data = IncidenceData::new(
                if single {
                    format!("How ceasefires ended: {}", self.scenario)
                } else {
                    format!("How ceasefires ended: {}", self.label(id))
                },
                layers,
            );
            data.horizon = (horizon > 0.0 && horizon.is_finite()).then_some(horizon);
            charts.push(Chart {
                name: if single {
                    "incidence".into()
                } else {
                    format!("incidence_point_{id}")
                },
                caption: format!(
                    "Aalen–Johansen cumulative incidence of each cause of collapse and of \
                     settlement{}, stacked: each band is the probability of having ended that way \
                     by each day, the top edge the probability of having ended at all. Settlement \
                     competes with collapse (no run is censored by it); 95% bands are in \
                     causes.csv.",
                    if single {
                        String::new()
                    } else {
                        format!(" at {}", self.label(id))
                    }
                ),
                data: Data::Incidence(data),
            });
        }
        if charts.is_empty() {
            return Err(Missing("the folder holds no records".into()));
        }
        Ok(charts)
    }

    /// The points on a survival chart: those chosen, all when few, else the reference and the
    /// points of lowest, median and highest P(collapse).
    fn survival_points(&self) -> Vec<u64> {
        if self.chosen || self.points.len() <= DEFAULT_CURVES {
            return self.points.clone();
        }
        let mut ids = Vec::new();
        ids.extend(self.analysis.reference);
        if let Some(collapse) = self.analysis.summary.index("collapsed") {
            let mut by: Vec<(f64, u64)> = self
                .points
                .iter()
                .filter_map(|&id| Some((self.estimate(id, collapse)?.value, id)))
                .collect();
            by.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if let (Some(first), Some(last)) = (by.first(), by.last()) {
                ids.extend([first.1, by[by.len() / 2].1, last.1]);
            }
        }
        if ids.is_empty() {
            ids.extend(self.points.iter().take(DEFAULT_CURVES));
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Per point drawn (at most [`MAX_SECTOR_CHARTS`]), the mean land grabs committed and taken
    /// in each sector per run, with their 95% t intervals: where the aggressor grabs.
    fn sectors(&self) -> Built {
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

    fn points(&self) -> Built {
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

    fn forest(&self) -> Built {
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

    fn sensitivity(&self) -> Built {
        let design = self.analysis.folder.design.as_ref();
        let Some(s) = &self.analysis.sensitivity else {
            return Err(Missing(match design {
                None => "sensitivity indices need a sweep with a Saltelli or Morris design: run one with `truce sweep` (see configs/sweeps/sobol_screening.toml)".into(),
                Some(_) => format!(
                    "this sweep has no sensitivity indices of {}: {}",
                    self.selection.outcome,
                    if self.analysis.notes.is_empty() {
                        "it needs more than one point".to_owned()
                    } else {
                        self.analysis.notes.join("; ")
                    }
                ),
            }));
        };
        let find = |method: &str, measure: &str, parameter: &str| {
            s.rows.iter().find(|r| {
                r.method == method
                    && r.measure == measure
                    && r.parameter.as_deref() == Some(parameter)
            })
        };
        let parameters = design.map(|d| d.parameters.clone()).unwrap_or_default();
        let label = outcome_label(
            &s.outcome,
            self.analysis
                .summary
                .index(&s.outcome)
                .is_some_and(|i| self.analysis.summary.outcomes[i].binary),
        );
        let estimate = |r: &truce_analysis::indices::IndexRow| {
            let (lower, upper) = if r.lower.is_finite() && r.upper.is_finite() {
                (r.lower, r.upper)
            } else {
                (r.estimate, r.estimate)
            };
            Estimate::new(r.estimate, lower, upper)
        };
        let mut charts = Vec::new();
        let sobol: Vec<SobolIndices> = parameters
            .iter()
            .filter_map(|p| {
                Some(SobolIndices {
                    parameter: labels::label(p),
                    first_order: estimate(find("sobol", "S1", p)?),
                    total: estimate(find("sobol", "ST", p)?),
                })
            })
            .filter(|i| i.first_order.value.is_finite() && i.total.value.is_finite())
            .collect();
        if !sobol.is_empty() {
            charts.push(Chart {
                name: "sensitivity_sobol".into(),
                caption: format!(
                    "Sobol' first-order (S1) and total (ST) indices of {label} over the design's \
                     points (Saltelli 2010 and Jansen estimators), with bootstrap 95% intervals, \
                     drawn as estimated, not clipped to [0, 1].{}",
                    if truce_analysis::analysis::sensitivity_warnings(s).is_empty() {
                        String::new()
                    } else {
                        " Read them with care: see the warnings under the sensitivity table."
                            .to_owned()
                    }
                ),
                data: Data::Sensitivity(SensitivityData::Sobol(SobolData::new(
                    format!("Sobol' indices of {label}"),
                    sobol,
                ))),
            });
        }
        let morris: Vec<MorrisPoint> = parameters
            .iter()
            .filter_map(|p| {
                Some(MorrisPoint {
                    parameter: labels::label(p),
                    mu_star: find("morris", "mu_star", p)?.estimate,
                    sigma: find("morris", "sigma", p)?.estimate,
                })
            })
            .filter(|m| m.mu_star.is_finite() && m.sigma.is_finite())
            .collect();
        if !morris.is_empty() {
            charts.push(Chart {
                name: "sensitivity_morris".into(),
                caption: format!(
                    "Morris elementary effects of {label}: mean absolute effect μ* against their \
                     standard deviation σ, one point per parameter."
                ),
                data: Data::Sensitivity(SensitivityData::Morris(MorrisData::new(
                    format!("Morris screening of {label}"),
                    morris,
                ))),
            });
        }
        if charts.is_empty() {
            return Err(Missing(
                "Sobol' and Morris charts need a Saltelli or Morris design; this sweep's design \
                 gives regression coefficients only (see sensitivity.csv of `truce analyze`)"
                    .into(),
            ));
        }
        Ok(charts)
    }

    fn traced(&self, kind: Kind) -> Result<Built> {
        let traces = if self.selection.traces.is_empty() {
            find_traces(&self.analysis.folder.dir)?
        } else {
            self.selection.traces.clone()
        };
        if traces.is_empty() {
            return Ok(Err(Missing(format!(
                "it draws a traced replication, and {} holds no trace_*.csv: make one with \
                 `truce run CONFIG --trace REP`, or `truce replay DIR POINT REP --out DIR/trace_pointPOINT_repREP.csv` for a sweep, or name one with --trace FILE",
                self.analysis.folder.dir.display()
            ))));
        }
        let mut charts = Vec::new();
        let mut missing = Vec::new();
        for path in &traces {
            let t = trace::Trace::read(path)?;
            let title = t.title(&self.scenario);
            let stem = trace::stem(path);
            match kind {
                Kind::Timeline => charts.push(Chart {
                    name: format!("timeline_{stem}"),
                    caption: format!(
                        "Every event of {title} ({}), by actor and kind, with the collapse marked. Background tallies are in the background chart.",
                        path.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    data: Data::Timeline(t.timeline(&title)),
                }),
                _ => match t.background(&title) {
                    Some(data) => charts.push(Chart {
                        name: format!("background_{stem}"),
                        caption: format!(
                            "Background violations per day of {title}, with the days of recommitment after successful negotiation rounds marked."
                        ),
                        data: Data::Background(data),
                    }),
                    None => missing.push(path.display().to_string()),
                },
            }
        }
        if charts.is_empty() {
            return Ok(Err(Missing(format!(
                "{} records no background violations: the scenario has none (background.rate_per_day = 0)",
                missing.join(", ")
            ))));
        }
        Ok(Ok(charts))
    }
}

fn too_many(parameter: &str, n: usize) -> Missing {
    Missing(format!(
        "{parameter} takes {n} distinct values: a heatmap needs at most {MAX_CATEGORIES} per axis, as a grid design gives"
    ))
}

/// The distinct values of a parameter in display order, and each row's position among them;
/// `Err(count)` when there are more than [`MAX_CATEGORIES`].
fn categories(values: &Values) -> std::result::Result<(Vec<String>, Vec<usize>), usize> {
    match values {
        Values::Numeric(v) => {
            let mut distinct: Vec<f64> = v.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            if distinct.len() > MAX_CATEGORIES {
                return Err(distinct.len());
            }
            let of = v
                .iter()
                .map(|x| distinct.partition_point(|d| d.total_cmp(x).is_lt()))
                .collect();
            Ok((distinct.iter().map(|&x| number(x)).collect(), of))
        }
        Values::Categorical(v) => {
            let mut distinct: Vec<&String> = Vec::new();
            for s in v {
                if !distinct.contains(&s) {
                    distinct.push(s);
                }
            }
            if distinct.len() > MAX_CATEGORIES {
                return Err(distinct.len());
            }
            let of = v
                .iter()
                .map(|s| distinct.iter().position(|d| *d == s).unwrap_or(0))
                .collect();
            Ok((distinct.into_iter().cloned().collect(), of))
        }
    }
}

/// A Kaplan–Meier curve as a chart series, thinned to about [`MAX_STEPS`] steps (exact at each
/// kept step: see [`truce_analysis::survival::Curve::thinned`]).
fn survival_series(name: String, km: &truce_analysis::survival::Curve) -> SurvivalSeries {
    let width = if km.steps.len() > MAX_STEPS {
        km.max_time / MAX_STEPS as f64
    } else {
        0.0
    };
    let steps = km.thinned(width);
    let mut series = SurvivalSeries {
        name,
        days: vec![0.0],
        survival: vec![1.0],
        lower: vec![1.0],
        upper: vec![1.0],
    };
    for step in steps {
        if step.time <= 0.0 {
            series.days.clear();
            series.survival.clear();
            series.lower.clear();
            series.upper.clear();
        }
        series.days.push(step.time.max(0.0));
        series.survival.push(step.survival);
        series.lower.push(step.lower.unwrap_or(0.0));
        series.upper.push(step.upper.unwrap_or(step.survival));
    }
    series
}

/// A point's label: its id and parameter values (`7: on_call, 15`; see [`label_key`]) for a
/// sweep of up to three parameters, its id for a larger one, the scenario's name for a run.
fn point_label(analysis: &FolderAnalysis, id: u64, scenario: &str) -> String {
    let Some(design) = &analysis.folder.design else {
        return scenario.to_owned();
    };
    let Some(row) = design.row(id) else {
        return format!("point {id}");
    };
    let values: Vec<String> = design
        .values
        .iter()
        .map(|v| match v {
            Values::Numeric(v) => number(v[row]),
            Values::Categorical(v) => v[row].clone(),
        })
        .collect();
    if values.is_empty() || values.len() > 3 {
        format!("point {id}")
    } else {
        format!("{id}: {}", values.join(", "))
    }
}

/// The name of a results folder's scenario (a run) or sweep, from its manifest.
pub fn name_of(analysis: &FolderAnalysis) -> String {
    let manifest = &analysis.folder.manifest;
    ["scenario", "sweep"]
        .iter()
        .find_map(|key| manifest.get(*key).and_then(|v| v.as_str()))
        .unwrap_or("results")
        .to_owned()
}

/// What a point's label holds: `point: level, troops_rear` for a sweep, `scenario` for a run.
fn label_key(analysis: &FolderAnalysis) -> String {
    match &analysis.folder.design {
        Some(d) if !d.parameters.is_empty() && d.parameters.len() <= 3 => format!(
            "point: {}",
            d.parameters
                .iter()
                .map(|p| plain(p))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(_) => "point".into(),
        None => "scenario".into(),
    }
}

/// How an outcome reads on a chart: `P(collapse)` for `collapsed`, `mean X` for a number.
pub fn outcome_label(name: &str, binary: bool) -> String {
    match (name, binary) {
        ("collapsed", _) => "P(collapse)".into(),
        ("violated", _) => "P(serious violation)".into(),
        (_, true) => format!("P({name})"),
        (_, false) => format!("mean {name}"),
    }
}

/// A key's label without its unit, as it reads inside a sentence or title: "troops in the rear".
fn plain(key: &str) -> String {
    let label = labels::label(key);
    let text = match label.rfind(" (") {
        Some(i) if label.ends_with(')') => &label[..i],
        _ => &label,
    };
    let mut chars = text.chars();
    match chars.next() {
        // Keep a key (lower case already) and an initialism as they are.
        Some(c) if c.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) => c
            .to_lowercase()
            .chain(text[c.len_utf8()..].chars())
            .collect(),
        _ => text.to_owned(),
    }
}

/// The cell values that are present.
fn values_of(sums: &[Vec<(f64, u32)>]) -> Vec<f64> {
    sums.iter()
        .flatten()
        .filter(|&&(_, n)| n > 0)
        .map(|&(s, n)| s / f64::from(n))
        .collect()
}

/// Over which runs the mean of a numeric outcome is taken: a day column is empty when its event
/// did not happen, so its mean is over the runs in which it did.
fn over_which(info: &truce_analysis::outcomes::Outcome) -> String {
    match info.among.as_deref() {
        Some(among) => format!(
            "as a mean over the {} (it has no value in the others)",
            runs_that(among)
        ),
        None => "as a mean over all replications".to_owned(),
    }
}

/// The runs on which a conditional mean is taken, in words: `collapsed` → "runs that collapsed".
fn runs_that(among: &str) -> String {
    match among {
        "violated" => "runs with a serious violation".into(),
        "detected" => "runs with a detected violation".into(),
        "harassed" => "runs with harassment".into(),
        "collapsed" => "runs that collapsed".into(),
        "settled" => "runs that settled".into(),
        "offensive" => "runs with an offensive".into(),
        other => format!("runs where {other}"),
    }
}

/// An outcome name as part of a file name.
fn file_part(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Point ids for a message, as the analysis lists names: the first 20, then how many more.
fn id_list(ids: &[u64]) -> String {
    let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
    truce_analysis::error::name_list(&ids, 20)
}

/// Where a chart of `name` goes in `dir`.
pub fn chart_path(dir: &Path, name: &str, format: Format) -> PathBuf {
    dir.join(format!("{name}.{}", format.extension()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_words_inside_titles() {
        assert_eq!(
            plain("guarantors.reassurance.troops_rear"),
            "troops in the rear"
        );
        assert_eq!(plain("guarantors.air_cover.level"), "air-cover posture");
        assert_eq!(plain("aggressor.rationality"), "aggressor's rationality");
        assert_eq!(plain("some.unknown_key"), "some.unknown_key");
    }

    #[test]
    fn numeric_categories_are_sorted_and_indexed() {
        let (names, of) = categories(&Values::Numeric(vec![2.0, 1.0, 2.0, 0.5])).unwrap();
        assert_eq!(names, ["0.5", "1", "2"]);
        assert_eq!(of, [2, 1, 2, 0]);
        let many = Values::Numeric((0..40).map(f64::from).collect());
        assert_eq!(categories(&many).unwrap_err(), 40);
    }

    #[test]
    fn long_curves_are_thinned_exactly_at_kept_steps() {
        use truce_analysis::survival::{Curve, Step};
        let steps: Vec<Step> = (1..=5000)
            .map(|i| Step {
                time: f64::from(i) / 10.0,
                at_risk: 5001 - i as u64,
                events: 1,
                survival: 1.0 - f64::from(i) / 5001.0,
                lower: None,
                upper: None,
            })
            .collect();
        let km = Curve {
            n: 5000,
            events: 5000,
            max_time: 500.0,
            steps,
        };
        let s = survival_series("a".into(), &km);
        assert!(s.days.len() <= MAX_STEPS + 2);
        assert_eq!(s.days[0], 0.0);
        assert_eq!(
            *s.survival.last().unwrap(),
            km.steps.last().unwrap().survival
        );
        for (d, v) in s.days.iter().zip(&s.survival).skip(1) {
            let step = km.steps.iter().find(|st| st.time == *d).unwrap();
            assert_eq!(step.survival, *v);
        }
    }
}
