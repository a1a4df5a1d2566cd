//! `truce validate CONFIG...`: checks each config, reports every problem of every file, runs nothing.
//! A file with a `[sweep]` table is checked as a sweep: its base, its parameters against the
//! scenario, its design and every point's scenario, as `truce sweep` would.

use crate::args::ValidateArgs;
use crate::error::{print_stdout, user};
use crate::input::Source;
use crate::sweep_input::{self, Overrides};
use anyhow::Result;

/// Prints `ok: <path> (<name>)` for each valid config; each invalid one's problems go to standard error.
/// Fails with a bad-input error when any config is invalid.
pub fn validate(args: &ValidateArgs) -> Result<()> {
    let mut invalid = 0;
    for path in &args.configs {
        let source = Source::from_arg(Some(path));
        let checked = match &source {
            Source::File(file) if is_sweep(file) => {
                // The size limit is a question for `truce sweep`: every point is still checked.
                let overrides = Overrides {
                    yes: true,
                    ..Overrides::default()
                };
                sweep_input::load(file, overrides).map(|loaded| {
                    format!(
                        "{}: sweep, {} design, {} points",
                        loaded.sweep.base_config.name,
                        loaded.sweep.design.name(),
                        loaded.sweep.points.len()
                    )
                })
            }
            _ => source.load().map(|scenario| scenario.name().to_string()),
        };
        match checked {
            Ok(what) => print_stdout(&format!("ok: {} ({what})\n", source.origin()))?,
            Err(err) => {
                crate::error::print(&err);
                invalid += 1;
            }
        }
    }
    match invalid {
        0 => Ok(()),
        _ => Err(user(format!(
            "invalid configs: {invalid} of {}",
            args.configs.len()
        ))),
    }
}

/// Whether a file is TOML with a `[sweep]` table; anything else is checked as a scenario.
pub fn is_sweep(path: &std::path::Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key("sweep"))
}
