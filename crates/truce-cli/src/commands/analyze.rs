//! `truce analyze`: estimates with intervals, survival curves, comparisons, sensitivity indices and
//! PRIM boxes of a results folder; Kaplan–Meier curves of any table; sensitivity indices of outputs
//! computed elsewhere on a design. The computations are in `truce-analysis`; this is the glue.

use crate::error::{print_stdout, user};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use truce_analysis::{AnalysisError, IndexOptions, Options, Outputs, TableSpec};

const ANALYZE_HELP: &str = "\
Examples:
  truce analyze results/baseline/2026-11-26T03-41-07Z
  truce analyze results/air_cover_vs_troops/2026-11-26T04-00-00Z --reference 3 --outcome violated
  truce analyze survival --input data/fortna_civil_ceasefires.csv --time years --time-scale 365.24 \\
      --event war_resumed --by peacekeepers
  truce analyze sobol --design points.csv --outputs outputs.csv --column y --out sobol/

Output (DIR/analysis/ unless --out DIR2), written together when every file is ready:
  summary.parquet, summary.csv    every outcome at every point: proportions with 95% Wilson
                                  intervals, means with 95% t intervals and quantiles
  survival.parquet                Kaplan–Meier time to violation and to collapse per point
                                  (censored at end_day), Greenwood log-log 95% bands
  survival_summary.parquet, .csv  medians and S(t) at the --at days, with bands
  causes.parquet, .csv            collapses by cause and settlements per point, and their
                                  cumulative incidence F(t) at the --at days (Aalen–Johansen,
                                  settlement competing), with log-log 95% bands
  incidence.parquet               the cumulative incidence curves, one row per event time
  comparisons.parquet, .csv       differences against the reference point (paired by replication
                                  under common random numbers), collapse hazard ratios
  sensitivity.parquet, .csv       Sobol' (Saltelli designs), Morris (Morris designs) and
                                  standardised regression coefficients (any design)
  prim.csv, prim.json             PRIM peeling trajectory and box (designs of 20 points or more)
  report.txt                      what is printed";

const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    internal error (for example an output file could not be written)
  2    bad input: a missing or unfinished folder, an unknown column, outputs that do not match the design";

/// Arguments of `truce analyze`.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = format!("{ANALYZE_HELP}\n\n{EXIT_CODES}")
)]
pub struct AnalyzeArgs {
    #[command(subcommand)]
    pub command: Option<AnalyzeCommand>,

    /// Results folder written by `truce run` or `truce sweep`.
    #[arg(value_name = "DIR", required = true)]
    pub dir: Option<PathBuf>,

    /// Compare every point with this one [default: the sweep's `reference`, else point 0].
    #[arg(long, value_name = "ID")]
    pub reference: Option<u64>,

    /// Outcome of the sensitivity indices and PRIM: a record column, or `collapse_cause=<cause>`,
    /// `offensive_outcome=<outcome>` [default: collapsed].
    #[arg(long, value_name = "COL")]
    pub outcome: Option<String>,

    /// PRIM looks for the points whose outcome exceeds this [default: 0.5 for a proportion].
    #[arg(long, value_name = "X")]
    pub threshold: Option<f64>,

    /// Days at which survival S(t) is reported, comma-separated.
    #[arg(
        long,
        value_name = "DAYS",
        value_delimiter = ',',
        default_value = "30,90,180,365,730"
    )]
    pub at: Vec<f64>,

    /// Thin survival.parquet to one row per this many days (survival stays exact at each row);
    /// 0 keeps every event time.
    #[arg(long, value_name = "DAYS", default_value_t = 0.0)]
    pub survival_step: f64,

    /// Bootstrap resamples for the intervals of sensitivity indices.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: usize,

    /// Output folder [default: DIR/analysis].
    #[arg(short, long, value_name = "DIR2")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AnalyzeCommand {
    /// Kaplan–Meier curves with Greenwood bands of any CSV or Parquet table, per group.
    Survival(SurvivalArgs),
    /// Sensitivity indices of outputs computed elsewhere on a design written by `truce design`.
    Sobol(SobolArgs),
}

/// Arguments of `truce analyze survival`.
#[derive(Debug, Args)]
pub struct SurvivalArgs {
    /// CSV or Parquet table, one row per subject.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,

    /// Column of times to the event or to censoring (numbers >= 0).
    #[arg(long, value_name = "COL")]
    pub time: String,

    /// Column of event flags: 1 or true when the event happened, 0 or false when censored.
    #[arg(long, value_name = "COL")]
    pub event: String,

    /// One curve per value of this column.
    #[arg(long, value_name = "COL")]
    pub by: Option<String>,

    /// Multiply times by this (365.24 turns years into days).
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub time_scale: f64,

    /// Times (after scaling) at which S(t) is reported, comma-separated.
    #[arg(
        long,
        value_name = "T",
        value_delimiter = ',',
        default_value = "30,90,180,365,730"
    )]
    pub at: Vec<f64>,

    /// Thin survival tables to one row per this much time; 0 keeps every event time.
    #[arg(long, value_name = "T", default_value_t = 0.0)]
    pub step: f64,

    /// Also write survival.parquet/.csv, survival_summary.parquet/.csv and report.txt here.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Arguments of `truce analyze sobol`.
#[derive(Debug, Args)]
pub struct SobolArgs {
    /// Design written by `truce design` (CSV or Parquet).
    #[arg(long, value_name = "FILE")]
    pub design: PathBuf,

    /// Outputs computed on the design (CSV or Parquet), with a `point` column.
    #[arg(long, value_name = "FILE")]
    pub outputs: PathBuf,

    /// The output column to analyse.
    #[arg(long, value_name = "COL")]
    pub column: String,

    /// Also run PRIM for the points whose output exceeds this.
    #[arg(long, value_name = "X")]
    pub threshold: Option<f64>,

    /// Bootstrap resamples for the intervals.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub bootstrap: usize,

    /// Also write sensitivity.parquet/.csv (and prim.csv/.json) and report.txt here.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `truce analyze`.
pub fn analyze(args: &AnalyzeArgs) -> Result<()> {
    match &args.command {
        Some(AnalyzeCommand::Survival(s)) => survival(s),
        Some(AnalyzeCommand::Sobol(s)) => sobol(s),
        None => {
            let Some(dir) = &args.dir else {
                return Err(user(
                    "give a results folder: truce analyze DIR (or a subcommand: survival, sobol)",
                ));
            };
            folder(dir, args)
        }
    }
}

fn folder(dir: &Path, args: &AnalyzeArgs) -> Result<()> {
    check_times("--at", &args.at)?;
    check_non_negative("--survival-step", args.survival_step)?;
    if let Some(t) = args.threshold {
        check_finite("--threshold", t)?;
    }
    let options = Options {
        reference: args.reference,
        outcome: args.outcome.clone(),
        threshold: args.threshold,
        checkpoints: args.at.clone(),
        survival_step: args.survival_step,
        indices: IndexOptions {
            bootstrap: args.bootstrap,
            ..IndexOptions::default()
        },
    };
    let analysis = truce_analysis::analyze_folder(dir, &options).map_err(lift)?;
    let out = args.out.clone().unwrap_or_else(|| dir.join("analysis"));
    let outputs = analysis.outputs().map_err(lift)?;
    let written = write_outputs(outputs, &out)?;
    print_stdout(&analysis.report())?;
    print_written(&out, &written)
}

fn survival(args: &SurvivalArgs) -> Result<()> {
    check_times("--at", &args.at)?;
    check_non_negative("--step", args.step)?;
    if !(args.time_scale.is_finite() && args.time_scale > 0.0) {
        return Err(user(format!(
            "--time-scale must be a number > 0 (got {})",
            args.time_scale
        )));
    }
    let spec = TableSpec {
        time: args.time.clone(),
        event: args.event.clone(),
        by: args.by.clone(),
        scale: args.time_scale,
    };
    let result = truce_analysis::analyze_table_survival(&args.input, &spec, &args.at, args.step)
        .map_err(lift)?;
    let outputs = result.outputs().map_err(lift)?;
    write_if_asked(args.out.as_deref(), outputs, &result.report())
}

fn sobol(args: &SobolArgs) -> Result<()> {
    if let Some(t) = args.threshold {
        check_finite("--threshold", t)?;
    }
    let options = IndexOptions {
        bootstrap: args.bootstrap,
        ..IndexOptions::default()
    };
    let result = truce_analysis::analyze_design(
        &args.design,
        &args.outputs,
        &args.column,
        args.threshold,
        &options,
    )
    .map_err(lift)?;
    let outputs = result.outputs().map_err(lift)?;
    write_if_asked(args.out.as_deref(), outputs, &result.report())
}

fn write_if_asked(out: Option<&Path>, outputs: Outputs, report: &str) -> Result<()> {
    match out {
        Some(out) => {
            let written = write_outputs(outputs, out)?;
            print_stdout(report)?;
            print_written(out, &written)
        }
        None => print_stdout(report),
    }
}

/// Writes the outputs into `out` (staged beside it and moved in together): what killed processes
/// left beside it is removed first, and Ctrl-C waits until the files are in place.
fn write_outputs(outputs: Outputs, out: &Path) -> Result<Vec<PathBuf>> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    crate::output::guard_folder(&parent);
    crate::output::committing(|| outputs.write(out)).map_err(lift)
}

fn print_written(out: &Path, written: &[PathBuf]) -> Result<()> {
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    print_stdout(&format!(
        "\nwrote {}: {}\n",
        out.display(),
        names.join(", ")
    ))
}

/// An analysis error as a command error: bad input exits with 2.
pub fn lift(e: AnalysisError) -> anyhow::Error {
    if e.is_input() {
        user(e.to_string())
    } else {
        anyhow::Error::new(e)
    }
}

fn check_times(flag: &str, times: &[f64]) -> Result<()> {
    for &t in times {
        check_non_negative(flag, t)?;
    }
    Ok(())
}

fn check_non_negative(flag: &str, x: f64) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(user(format!("{flag} must be a number >= 0 (got {x})")))
    }
}

fn check_finite(flag: &str, x: f64) -> Result<()> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(user(format!("{flag} must be a finite number (got {x})")))
    }
}
