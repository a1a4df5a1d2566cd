//! `truce validate CONFIG...`: checks each config, reports every problem of every file, runs nothing.

use crate::args::ValidateArgs;
use crate::error::{print_stdout, user};
use crate::input::Source;
use anyhow::Result;

/// Prints `ok: <path> (<name>)` for each valid config; each invalid one's problems go to standard error.
/// Fails with a bad-input error when any config is invalid.
pub fn validate(args: &ValidateArgs) -> Result<()> {
    let mut invalid = 0;
    for path in &args.configs {
        let source = Source::from_arg(Some(path));
        match source.load() {
            Ok(scenario) => {
                print_stdout(&format!("ok: {} ({})\n", source.origin(), scenario.name()))?
            }
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
