//! `truce config --print-default`: the built-in baseline config, as TOML on standard output.

use crate::args::ConfigArgs;
use crate::error::print_stdout;
use crate::input::BASELINE;
use anyhow::Result;

pub fn config(args: &ConfigArgs) -> Result<()> {
    if args.print_default {
        print_stdout(BASELINE)?;
    }
    Ok(())
}
