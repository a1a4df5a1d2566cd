//! The command line: subcommands, flags and their help texts.
//!
//! Clap checks types and ranges here; checks that need the config (a trace replication below the
//! replication count, an empty output folder) happen in the commands.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    internal error (for example a results file could not be written)
  2    bad input: unreadable or invalid config, bad flags, --out folder not empty
  130  interrupted (Ctrl-C): `run` leaves no results folder; `sweep` keeps its finished chunks
       for `truce sweep --resume DIR`";

const MAIN_HELP: &str = "\
Examples:
  truce run                                     run the built-in baseline
  truce run configs/my-scenario.toml -n 2000    run a scenario with 2000 replications
  truce validate configs/*.toml                 check configs without running them
  truce config --print-default > my.toml        start a new scenario from the baseline
  truce sweep configs/sweeps/air_cover_vs_troops.toml
                                                run every point of a parameter sweep
  truce design configs/designs/ishigami.toml --out ishigami.csv
                                                write the points of a design
  truce solve configs/solve/troops_for_ten_percent.toml
                                                the force that keeps P(collapse) at 10%
  truce calibrate configs/calibration/fortna_no_peacekeepers.toml
                                                fit parameters to real ceasefires
  truce analyze results/baseline/<time>         estimates, survival curves, comparisons
  truce plot results/baseline/<time>            charts, as PNG and SVG
  truce report results/baseline/<time>          one HTML page: charts, tables, config";

const RUN_HELP: &str = "\
Examples:
  truce run
  truce run configs/my-scenario.toml --replications 2000 --seed 7
  truce run configs/my-scenario.toml --out /scratch/my-scenario-a --trace 17 --threads 2 --quiet

Output: results/<scenario name>/<UTC start time>/ under the current folder, e.g.
results/baseline/2026-11-26T03-41-07Z/, or exactly DIR with --out DIR. It holds
  runs.parquet     one row per replication, one column per recorded quantity
  manifest.json    resolved config and its SHA-256, seeds, versions, git revision, command line
  trace_<REP>.csv  with --trace REP: every event of that replication
The folder is written under a temporary name and renamed when complete.";

const VALIDATE_HELP: &str = "\
Examples:
  truce validate configs/*.toml
  truce config --print-default | truce validate -

Prints `ok: <path> (<name>)` for each valid config and every problem of each invalid one.";

const CONFIG_HELP: &str = "\
Example:
  truce config --print-default > configs/my-scenario.toml";

/// Discrete-event simulation of deterrence after a ceasefire.
#[derive(Debug, Parser)]
#[command(name = "truce", version, after_help = format!("{MAIN_HELP}\n\n{EXIT_CODES}"))]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const SWEEP_HELP: &str = "\
Examples:
  truce sweep configs/sweeps/air_cover_vs_troops.toml
  truce sweep configs/sweeps/sobol_screening.toml --replications 50 --out results/sobol-a --yes
  truce sweep --resume results/air_cover_vs_troops/2026-11-26T03-41-07Z
  truce sweep my-sweep.toml --shard 0/4 --out /scratch/my-sweep/shard-0
  truce sweep my-sweep.toml --shard slurm --out shard-$SLURM_ARRAY_TASK_ID   # in a Slurm array job

A sweep file is a scenario file with a [sweep] table: a design over scenario keys, and how many
replications each point gets (see configs/sweeps/). `sweep.base` names a scenario file, relative to
the sweep file, that the sweep file's own keys override.

Output: results/<scenario name>/<UTC start time>/, or exactly DIR with --out DIR. It holds
  sweep.toml      the resolved sweep: every scenario key, the [sweep] table, seed and replications
  points.parquet  one row per point: its id, role, parameter values and unit coordinates
  chunks/         the records of each finished chunk of work, written whole or not at all
  manifest.json   seeds, versions, design, replications, status and the chunks completed
  runs.parquet    when complete: every record, one row group per chunk (not written by a shard)
An interrupted sweep (Ctrl-C, a crash, a killed job) keeps its finished chunks: `--resume DIR` runs
the rest and gives the same records as an uninterrupted run. Records do not depend on --threads.

Shards: --shard I/N runs only the chunks of shard I (from 0) of N into its own folder;
`truce merge` joins the N shard folders into one complete sweep folder. --shard slurm takes I and N
from SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN, when set) and SLURM_ARRAY_TASK_COUNT.";

const MERGE_HELP: &str = "\
Example:
  truce merge shards/shard-0 shards/shard-1 shards/shard-2 --out results/my-sweep/merged

The folders must be all N shards of the same sweep (same sweep.toml, seed and truce version), each
complete. The merged folder is a complete sweep folder whose runs.parquet holds the same records,
in the same order, as a run of the whole sweep on one machine.";

const REPLAY_HELP: &str = "\
Example:
  truce replay results/air_cover_vs_troops/2026-11-26T03-41-07Z 7 123 --out trace.csv

Reruns one replication of one point from the folder's sweep.toml, writes its event trace (the format
of `truce run --trace`) and prints its record. When the folder holds that record, it says whether
the rerun is identical to it.";

const DESIGN_HELP: &str = "\
Examples:
  truce design configs/sweeps/sobol_screening.toml --out sobol-points.parquet
  truce design configs/designs/ishigami.toml --out ishigami.csv

FILE is a sweep file (its parameters are checked against its scenario), or a design-only file that
holds just a [design] table with the fields of [sweep] (design, samples, second_order, levels,
max_points, [[design.parameters]]) and an optional seed; its parameter keys are free names.
The output has one row per point: point, one column per parameter, role, unit_<i> coordinates,
and base (Saltelli) or trajectory, step, factor, delta (Morris).";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run Monte Carlo replications of a scenario and write their records.
    #[command(after_help = format!("{RUN_HELP}\n\n{EXIT_CODES}"))]
    Run(RunArgs),
    /// Check configs and report every problem, without running anything.
    #[command(after_help = format!("{VALIDATE_HELP}\n\n{EXIT_CODES}"))]
    Validate(ValidateArgs),
    /// Show the built-in baseline config.
    #[command(after_help = CONFIG_HELP)]
    Config(ConfigArgs),
    /// Run every point of a parameter sweep, resumably, or one shard of it.
    #[command(after_help = format!("{SWEEP_HELP}\n\n{EXIT_CODES}"))]
    Sweep(SweepArgs),
    /// Run scenario files under common random numbers and compare them with the first.
    #[command(after_help = format!("{}\n\n{EXIT_CODES}", crate::commands::compare::HELP))]
    Compare(crate::commands::compare::CompareArgs),
    /// Join the shard folders of one sweep into a complete sweep folder.
    #[command(after_help = format!("{MERGE_HELP}\n\n{EXIT_CODES}"))]
    Merge(MergeArgs),
    /// Rerun one replication of one point of a sweep and write its event trace.
    #[command(after_help = format!("{REPLAY_HELP}\n\n{EXIT_CODES}"))]
    Replay(ReplayArgs),
    /// Write the points of a design (CSV or Parquet) without running anything.
    #[command(after_help = format!("{DESIGN_HELP}\n\n{EXIT_CODES}"))]
    Design(DesignArgs),
    /// Find the value of a parameter at which an outcome's probability crosses a target.
    #[command(after_help = format!("{}\n\n{EXIT_CODES}", crate::commands::solve::HELP))]
    Solve(crate::commands::solve::SolveArgs),
    /// Fit parameters to observed probabilities (survival of real ceasefires) by simulated moments.
    #[command(after_help = format!("{}\n\n{EXIT_CODES}", crate::commands::calibrate::HELP))]
    Calibrate(crate::commands::calibrate::CalibrateArgs),
    /// Estimates with intervals, survival curves, comparisons and sensitivity indices of results.
    Analyze(crate::commands::analyze::AnalyzeArgs),
    /// Draw the charts a results folder supports, as PNG and SVG.
    #[command(after_help = format!("{PLOT_HELP}\n\n{CHART_EXIT_CODES}"))]
    Plot(crate::commands::plot::PlotArgs),
    /// Write one self-contained HTML page of a results folder: charts, tables, config, manifest.
    #[command(after_help = format!("{REPORT_HELP}\n\n{CHART_EXIT_CODES}"))]
    Report(crate::commands::report::ReportArgs),
}

const PLOT_HELP: &str = "\
Examples:
  truce plot results/air_cover_vs_troops/2026-11-26T03-41-07Z
  truce plot DIR --chart heatmap --outcome violated --x guarantors.air_cover.level \\
      --y guarantors.reassurance.troops_rear --format svg
  truce plot DIR --chart survival --points 0,4,19 --width 1600 --height 1000

Charts (--chart), each drawn when the folder supports it:
  heatmap      an outcome over two swept parameters (a sweep)
  survival     time to first violation and to collapse, Kaplan-Meier with 95% bands
  incidence    how ceasefires ended: cumulative incidence of each cause of collapse and of
               settlement (Aalen-Johansen), stacked, one chart per point shown
  points       P(serious violation) and P(collapse) with 95% intervals at every point
  forest       differences from the reference point with 95% intervals (a sweep)
  sensitivity  Sobol' S1 and ST (a Saltelli design) or Morris mu*-sigma (a Morris design)
  timeline     the events of a traced replication (trace_*.csv: truce run --trace REP)
  background   background violations per day of a traced replication

Output: DIR/charts/<chart>.png and .svg, or in --out DIR2. The folder is analysed as
`truce analyze` does; nothing is written until every chart is drawn.";

const REPORT_HELP: &str = "\
Examples:
  truce report results/baseline/2026-11-26T03-41-07Z
  truce report DIR --out paper/figures/sweep.html --outcome violated
  truce run configs/baseline.toml --trace 0 --report     (the same, at the end of a run)

Output: DIR/report.html, or --out FILE: one HTML page with every chart the folder supports inline
as SVG, the tables of estimates, comparisons, survival and sensitivity, the scenario or sweep
config and the manifest. It loads nothing from anywhere, so it reads the same offline.";

const CHART_EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    internal error
  2    bad input: a missing or unfinished folder, a chart the folder cannot support (the message
       says what is missing and which command makes it), a parameter that was not swept, an
       unwritable output path";

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario config (TOML); `-` reads standard input. Without it, the built-in baseline runs.
    pub config: Option<PathBuf>,

    /// Number of replications [default: the config's `replications`].
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: Option<u64>,

    /// Base seed of every random stream [default: the config's `seed`].
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,

    /// Write into exactly this folder, which must not exist yet or be empty
    /// [default: results/<scenario name>/<UTC start time>].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Also write the full event trace of replications to trace_<REP>.csv: REP (counted from 0),
    /// several (3,7,12), the first that collapsed (first-collapsed) or the first K that did
    /// (collapsed:K).
    #[arg(long, value_name = "REP")]
    pub trace: Option<crate::trace_selection::TraceSelection>,

    /// Worker threads [default: one per core, or RAYON_NUM_THREADS].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar (it is shown only when standard error is a terminal anyway).
    #[arg(short, long)]
    pub quiet: bool,

    /// At the end, also write report.html: charts, tables, config and manifest (as `truce report`).
    #[arg(long)]
    pub report: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Config files to check; `-` reads standard input.
    #[arg(required = true, value_name = "CONFIG")]
    pub configs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["print_default", "schema"])))]
pub struct ConfigArgs {
    /// Write the built-in baseline config (TOML) to standard output.
    #[arg(long)]
    pub print_default: bool,
    /// Write the JSON Schema of truce's files (scenario, sweep, solve, calibrate, design) to
    /// standard output, for editors: Taplo and Even Better TOML check files against it.
    #[arg(long, conflicts_with = "print_default")]
    pub schema: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep file (TOML): a scenario with a [sweep] table.
    #[arg(
        value_name = "SWEEP_FILE",
        required_unless_present = "resume",
        conflicts_with = "resume"
    )]
    pub sweep: Option<PathBuf>,

    /// Finish the sweep in this folder: run the chunks not yet written, then write runs.parquet.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,

    /// Replications per point, replacing the sweep's [default: sweep.replications, else the
    /// scenario's `replications`]. Not for a sweep with a precision target.
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u64).range(1..),
        conflicts_with = "resume"
    )]
    pub replications: Option<u64>,

    /// Base seed of every random stream, and of sampled designs [default: the scenario's `seed`].
    #[arg(
        short,
        long,
        value_name = "S",
        value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64),
        conflicts_with = "resume"
    )]
    pub seed: Option<u64>,

    /// Write into exactly this folder, which must not exist yet or be empty
    /// [default: results/<scenario name>/<UTC start time>].
    #[arg(short, long, value_name = "DIR", conflicts_with = "resume")]
    pub out: Option<PathBuf>,

    /// Worker threads [default: one per core, or RAYON_NUM_THREADS].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar (it is shown only when standard error is a terminal anyway).
    #[arg(short, long)]
    pub quiet: bool,

    /// Run a design larger than the sweep's `max_points`.
    #[arg(short, long, conflicts_with = "resume")]
    pub yes: bool,

    /// When the sweep is complete, also write report.html: charts, tables, config and manifest
    /// (as `truce report`). Not with --shard: report on the merged folder.
    #[arg(long, conflicts_with = "shard")]
    pub report: bool,

    /// Run only shard I (counted from 0) of N: `I/N`, or `slurm` to read the Slurm array variables.
    #[arg(long, value_name = "I/N|slurm", conflicts_with = "resume")]
    pub shard: Option<String>,

    /// With --shard slurm: this task's index.
    #[arg(long, env = "SLURM_ARRAY_TASK_ID", hide = true)]
    pub slurm_array_task_id: Option<u64>,

    /// With --shard slurm: the number of tasks of the array.
    #[arg(long, env = "SLURM_ARRAY_TASK_COUNT", hide = true)]
    pub slurm_array_task_count: Option<u64>,

    /// With --shard slurm: the smallest task index of the array (subtracted from the task's index).
    #[arg(long, env = "SLURM_ARRAY_TASK_MIN", hide = true)]
    pub slurm_array_task_min: Option<u64>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard folders, all N shards of one sweep, in any order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,

    /// Write into exactly this folder, which must not exist yet or be empty
    /// [default: results/<scenario name>/<UTC start time>].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A sweep folder (finished or not), holding sweep.toml.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The point's id (the `point` column).
    #[arg(value_name = "POINT")]
    pub point: u64,

    /// The replication, counted from 0.
    #[arg(value_name = "REP")]
    pub replication: u64,

    /// Where to write the trace [default: trace_point<POINT>_rep<REP>.csv in the current folder].
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite the trace file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DesignArgs {
    /// A sweep file, or a design-only file holding a [design] table.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Output file; its extension chooses the format: .csv or .parquet.
    #[arg(short, long, value_name = "OUT", required = true)]
    pub out: PathBuf,

    /// Seed of sampled designs [default: the scenario's `seed`, or the [design] table's `seed`].
    #[arg(short, long, value_name = "S", value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    pub seed: Option<u64>,

    /// Write a design larger than its `max_points`.
    #[arg(short, long)]
    pub yes: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn zero_replications_or_threads_are_refused() {
        assert!(Cli::try_parse_from(["truce", "run", "-n", "0"]).is_err());
        assert!(Cli::try_parse_from(["truce", "run", "--threads", "0"]).is_err());
        assert!(Cli::try_parse_from(["truce", "run", "x.toml", "-n", "5", "--trace", "4"]).is_ok());
    }

    #[test]
    fn a_sweep_takes_a_file_or_resume_but_not_both() {
        assert!(Cli::try_parse_from(["truce", "sweep"]).is_err());
        assert!(Cli::try_parse_from(["truce", "sweep", "s.toml"]).is_ok());
        assert!(Cli::try_parse_from(["truce", "sweep", "--resume", "d"]).is_ok());
        assert!(Cli::try_parse_from(["truce", "sweep", "s.toml", "--resume", "d"]).is_err());
        assert!(Cli::try_parse_from(["truce", "sweep", "--resume", "d", "--out", "e"]).is_err());
        assert!(Cli::try_parse_from(["truce", "sweep", "--resume", "d", "-j", "2"]).is_ok());
    }
}
