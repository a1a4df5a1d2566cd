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
  130  interrupted (Ctrl-C); no results folder is left behind";

const MAIN_HELP: &str = "\
Examples:
  truce run                                     run the built-in baseline
  truce run configs/my-scenario.toml -n 2000    run a scenario with 2000 replications
  truce validate configs/*.toml                 check configs without running them
  truce config --print-default > my.toml        start a new scenario from the baseline";

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
}

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

    /// Also write the full event trace of replication REP (counted from 0) to trace_<REP>.csv.
    #[arg(long, value_name = "REP")]
    pub trace: Option<u64>,

    /// Worker threads [default: one per core, or RAYON_NUM_THREADS].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar (it is shown only when standard error is a terminal anyway).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Config files to check; `-` reads standard input.
    #[arg(required = true, value_name = "CONFIG")]
    pub configs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Write the built-in baseline config (TOML) to standard output.
    #[arg(long, required = true)]
    pub print_default: bool,
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
}
