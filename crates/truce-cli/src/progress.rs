//! The progress bars of a run and of a sweep: on standard error, only when it is a terminal and `--quiet` was not given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar counting `replications`, or a hidden one that draws nothing.
pub fn bar(replications: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} replications, ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    ProgressBar::with_draw_target(Some(replications as u64), ProgressDrawTarget::stderr())
        .with_style(style)
}

/// A bar counting the replications of a sweep, with the points done as its message; hidden unless
/// standard error is a terminal and `--quiet` was not given.
pub fn sweep_bar(replications: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} replications, {msg}, ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    ProgressBar::with_draw_target(Some(replications), ProgressDrawTarget::stderr())
        .with_style(style)
}
