//! `truce config --print-default`: the built-in baseline config, as TOML on standard output;
//! `truce config --schema`: the JSON Schema of truce's files, for editors.

use crate::args::ConfigArgs;
use crate::error::print_stdout;
use crate::input::BASELINE;
use anyhow::{Context, Result};

pub fn config(args: &ConfigArgs) -> Result<()> {
    if args.print_default {
        print_stdout(BASELINE)?;
    }
    if args.schema {
        let text = serde_json::to_string_pretty(&truce_sim::schema::editor())
            .context("cannot write the schema out")?;
        print_stdout(&format!("{text}\n"))?;
    }
    Ok(())
}
