//! `truce`: runs ceasefire-deterrence scenarios from TOML configs and writes their records.
//!
//! The pipeline of `truce run`: read and validate the config, run the replications in parallel,
//! write `runs.parquet`, the optional trace and `manifest.json` into a staging folder,
//! rename it into place, then print a summary.
//! `truce sweep` runs the points of a design in chunks into a resumable folder (`commands::sweep`);
//! `merge`, `replay` and `design` work on sweep folders and design files.
//! `analyze` computes estimates with `truce-analysis`; `plot` and `report` draw them with
//! `truce-plot` (`charts` chooses and builds the charts).
//! Exit codes: 0 success, 1 internal error, 2 bad input, 130 interrupted ([`error`]).

mod args;
mod calibrate_input;
mod charts;
mod commands;
mod error;
mod input;
mod output;
mod progress;
mod solve_input;
mod summary;
mod sweep_input;
mod trace_selection;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Clap prints its own usage errors and exits with code 2.
    let cli = args::Cli::parse();
    let result = match &cli.command {
        args::Command::Run(run) => commands::run::run(run),
        args::Command::Validate(validate) => commands::validate::validate(validate),
        args::Command::Config(config) => commands::config::config(config),
        args::Command::Sweep(sweep) => commands::sweep::sweep(sweep),
        args::Command::Compare(compare) => commands::compare::compare(compare),
        args::Command::Merge(merge) => commands::merge::merge(merge),
        args::Command::Replay(replay) => commands::replay::replay(replay),
        args::Command::Design(design) => commands::design::design(design),
        args::Command::Solve(solve) => commands::solve::solve(solve),
        args::Command::Calibrate(calibrate) => commands::calibrate::calibrate(calibrate),
        args::Command::Analyze(analyze) => commands::analyze::analyze(analyze),
        args::Command::Plot(plot) => commands::plot::plot(plot),
        args::Command::Report(report) => commands::report::report(report),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => error::report(&err),
    }
}
