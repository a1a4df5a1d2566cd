//! The charts of a results folder: built from its analysis (`truce-analysis`) and its event
//! traces, drawn by `truce-plot`. Used by `truce plot` and `truce report`.
//!
//! [`plan`] decides which charts the folder supports. A chart asked for by name that the folder
//! cannot support is an error that says what is missing and which command makes it; without
//! names, every supported chart is drawn and the others are listed with the reason.
//!
//! This module holds what a chart is ([`Kind`], [`Selection`], [`Chart`]); `plan.rs` the plan
//! and the context every builder reads; one module per family of builders: `heatmap.rs`,
//! `curves.rs` (survival and incidence), `intervals.rs` (points, sectors and forest),
//! `sensitivity.rs` and `traced.rs` (timeline and background); `names.rs` how points,
//! outcomes and keys read in titles and captions.

mod curves;
mod heatmap;
mod intervals;
pub mod labels;
mod names;
mod plan;
mod sensitivity;
mod trace;
mod traced;

use std::path::{Path, PathBuf};
use truce_plot::background::BackgroundData;
use truce_plot::dot_whisker::DotWhiskerData;
use truce_plot::forest::ForestData;
use truce_plot::heatmap::HeatmapData;
use truce_plot::incidence::IncidenceData;
use truce_plot::sensitivity::SensitivityData;
use truce_plot::survival::SurvivalData;
use truce_plot::timeline::TimelineData;
use truce_plot::{ChartOptions, Format, Render};

pub use names::name_of;
pub use plan::{Plan, plan};

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
            Data::Heatmap(d) => d.svg(options),
            Data::Survival(d) => d.svg(options),
            Data::Incidence(d) => d.svg(options),
            Data::Points(d) => d.svg(options),
            Data::Forest(d) => d.svg(options),
            Data::Sensitivity(d) => d.svg(options),
            Data::Timeline(d) => d.svg(options),
            Data::Background(d) => d.svg(options),
        }
    }

    /// The chart as an encoded PNG.
    pub fn png(&self, options: &ChartOptions) -> truce_plot::Result<Vec<u8>> {
        match &self.data {
            Data::Heatmap(d) => d.png(options),
            Data::Survival(d) => d.png(options),
            Data::Incidence(d) => d.png(options),
            Data::Points(d) => d.png(options),
            Data::Forest(d) => d.png(options),
            Data::Sensitivity(d) => d.png(options),
            Data::Timeline(d) => d.png(options),
            Data::Background(d) => d.png(options),
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

/// Where a chart of `name` goes in `dir`.
pub fn chart_path(dir: &Path, name: &str, format: Format) -> PathBuf {
    dir.join(format!("{name}.{}", format.extension()))
}
