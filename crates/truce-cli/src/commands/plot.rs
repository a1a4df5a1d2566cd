//! `truce plot`: the charts a results folder supports, as PNG and SVG files.
//!
//! The folder is analysed in memory (as `truce analyze` does), the charts are chosen by
//! [`crate::charts::plan`], every chart is drawn in memory, and only then are the files written,
//! each atomically, so an error leaves no partial chart behind.

use crate::charts::{self, Chart, Kind, Selection};
use crate::error::{print_stdout, user};
use crate::output::{TempFile, committing, install_signal_handler, remove_stale};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use truce_analysis::{FolderAnalysis, IndexOptions, Options};
use truce_plot::{ChartOptions, Format, Size};

/// Bootstrap resamples for the intervals of sensitivity indices on charts.
const BOOTSTRAP: usize = 1000;

/// The outcome of the heatmap, forest plot and sensitivity charts unless `--outcome` names one.
const DEFAULT_OUTCOME: &str = "collapsed";

/// What a chart shows and how it is drawn: shared by `truce plot` and `truce report`.
#[derive(Debug, Clone, Args)]
pub struct ChartArgs {
    /// Outcome of the heatmap, forest plot and sensitivity charts: a record column such as
    /// `collapsed`, `violated`, `coalition_at_war`, or `collapse_cause=<cause>`.
    #[arg(long, value_name = "COL", default_value = DEFAULT_OUTCOME)]
    pub outcome: String,

    /// Compare every point with this one [default: the sweep's `reference`, else point 0].
    #[arg(long, value_name = "ID")]
    pub reference: Option<u64>,

    /// The heatmap's x parameter, a swept key [default: the first swept].
    #[arg(long, value_name = "KEY")]
    pub x: Option<String>,

    /// The heatmap's y parameter, a swept key [default: the second swept].
    #[arg(long, value_name = "KEY")]
    pub y: Option<String>,

    /// The ends of the heatmap's colour scale, e.g. `--scale 0,1` to compare charts on one scale
    /// [default: the lowest and highest value shown].
    #[arg(long, value_name = "MIN,MAX", value_parser = parse_scale)]
    pub scale: Option<(f64, f64)>,

    /// Points on the survival, points and forest charts, comma-separated [default: all; for
    /// survival, the reference and the points of lowest, median and highest P(collapse)].
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub points: Option<Vec<u64>>,

    /// Trace files for the timeline and background charts [default: DIR/trace_*.csv].
    #[arg(long = "trace", value_name = "FILE")]
    pub traces: Vec<PathBuf>,

    /// Chart width in pixels.
    #[arg(long, value_name = "PX", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(320..=8000))]
    pub width: u32,

    /// Chart height in pixels.
    #[arg(long, value_name = "PX", default_value_t = 700, value_parser = clap::value_parser!(u32).range(240..=8000))]
    pub height: u32,
}

impl ChartArgs {
    /// The defaults, as for `truce run --report`.
    pub fn defaults() -> ChartArgs {
        ChartArgs {
            outcome: DEFAULT_OUTCOME.into(),
            reference: None,
            x: None,
            y: None,
            scale: None,
            points: None,
            traces: Vec::new(),
            width: 1000,
            height: 700,
        }
    }

    pub fn selection(&self) -> Selection {
        Selection {
            outcome: self.outcome.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            scale: self.scale,
            points: self.points.clone(),
            traces: self.traces.clone(),
        }
    }

    pub fn chart_options(&self) -> ChartOptions {
        ChartOptions {
            size: Size::new(self.width, self.height),
        }
    }

    /// The folder's analysis, with this outcome and reference.
    pub fn analyse(&self, dir: &Path) -> Result<FolderAnalysis> {
        // The default outcome is left unnamed, so that an outcome without variance skips the
        // sensitivity indices with a note instead of failing (as in `truce analyze`).
        let options = Options {
            reference: self.reference,
            outcome: (self.outcome != DEFAULT_OUTCOME).then(|| self.outcome.clone()),
            indices: IndexOptions {
                bootstrap: BOOTSTRAP,
                ..IndexOptions::default()
            },
            ..Options::default()
        };
        truce_analysis::analyze_folder(dir, &options).map_err(crate::commands::analyze::lift)
    }
}

/// `--scale MIN,MAX`: two finite numbers, the first below the second.
fn parse_scale(text: &str) -> std::result::Result<(f64, f64), String> {
    let fix = "give two numbers, the lowest first, such as --scale 0,0.5";
    let Some((min, max)) = text.split_once(',') else {
        return Err(format!("{text:?} is not MIN,MAX: {fix}"));
    };
    let number = |t: &str| {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{t:?} is not a number: {fix}"))
    };
    let (min, max) = (number(min)?, number(max)?);
    if min >= max {
        return Err(format!("{min} is not below {max}: {fix}"));
    }
    Ok((min, max))
}

/// Which files each chart is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Formats {
    Png,
    Svg,
    Both,
}

impl Formats {
    fn list(self) -> &'static [Format] {
        match self {
            Formats::Png => &[Format::Png],
            Formats::Svg => &[Format::Svg],
            Formats::Both => &[Format::Png, Format::Svg],
        }
    }
}

/// Arguments of `truce plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// Results folder written by `truce run` or `truce sweep`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Charts to draw, comma-separated [default: every chart the folder supports].
    #[arg(long = "chart", value_name = "CHART", value_delimiter = ',')]
    pub charts: Vec<Kind>,

    /// File format.
    #[arg(long, value_enum, default_value_t = Formats::Both)]
    pub format: Formats,

    /// Output folder [default: DIR/charts].
    #[arg(short, long, value_name = "DIR2")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub chart: ChartArgs,
}

/// Runs `truce plot`.
pub fn plot(args: &PlotArgs) -> Result<()> {
    let analysis = args.chart.analyse(&args.dir)?;
    let plan = charts::plan(&analysis, &args.chart.selection(), &args.charts)?;
    if plan.charts.is_empty() {
        return Err(user(format!(
            "{}: no chart can be drawn: {}",
            args.dir.display(),
            skipped_text(&plan.skipped)
        )));
    }
    let options = args.chart.chart_options();
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("charts"));
    let files = draw(&plan.charts, args.format.list(), &options, &out)?;
    write_all(&out, &files)?;
    let mut text = String::new();
    for (path, _) in &files {
        let _ = writeln!(text, "wrote {}", path.display());
    }
    for (kind, why) in &plan.skipped {
        let _ = writeln!(text, "no {} chart: {why}", kind.name());
    }
    print_stdout(&text)
}

/// Every chart encoded in every format, in memory, with the path it goes to.
fn draw(
    charts: &[Chart],
    formats: &[Format],
    options: &ChartOptions,
    out: &Path,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for chart in charts {
        for &format in formats {
            let bytes = chart
                .encode(format, options)
                .with_context(|| format!("cannot draw the {} chart", chart.name))?;
            files.push((charts::chart_path(out, &chart.name, format), bytes));
        }
    }
    Ok(files)
}

/// Creates `out` and writes the files into it, all of them or none: each is written under a
/// temporary name first, and only when every one is whole are they renamed into place (which
/// Ctrl-C waits for). Temporary files that killed processes left in `out` are removed first.
/// A full or read-only disk is an internal error (exit 1), not bad input.
pub fn write_all(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    install_signal_handler();
    if let Some(file) = out.ancestors().find(|a| a.is_file()) {
        return Err(user(format!(
            "{}: cannot create the output folder, as {} is a file: choose another with --out",
            out.display(),
            file.display()
        )));
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    remove_stale(out);
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let temp = TempFile::new(path);
        std::fs::write(temp.path(), bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(temp);
    }
    committing(|| written.into_iter().try_for_each(TempFile::persist))
}

/// The charts left out, with the reasons, as one line.
pub fn skipped_text(skipped: &[(Kind, String)]) -> String {
    skipped
        .iter()
        .map(|(kind, why)| format!("{}: {why}", kind.name()))
        .collect::<Vec<_>>()
        .join("; ")
}
