//! `truce validate CONFIG...`: checks each config, reports every problem of every file, runs nothing.
//! A file with a `[sweep]` table is checked as a sweep: its base, its parameters against the
//! scenario, its design and every point's scenario, as `truce sweep` would; one with a `[solve]` or
//! `[calibrate]` table as `truce solve` or `truce calibrate` would, its data file included; one
//! with a `[design]` table alone as `truce design` would. Syntax, key and type problems come first,
//! all at once, each with its line and column; a scenario's range problems come with them.

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
                // `max_points` is a question for `truce sweep`: every point is still checked, up
                // to the hard limit on a design's size, which is counted before any is built.
                let overrides = Overrides {
                    yes: true,
                    ..Overrides::default()
                };
                sweep_input::load(file, overrides).map(|loaded| {
                    let points = loaded.sweep.points.len();
                    let max = loaded.sweep.config.max_points;
                    format!(
                        "{}: sweep, {} design, {points} points{}",
                        loaded.sweep.base_config.name,
                        loaded.sweep.design.name(),
                        if points > max {
                            format!(", more than sweep.max_points = {max}: truce sweep needs --yes")
                        } else {
                            String::new()
                        }
                    )
                })
            }
            Source::File(file) if has_table(file, "solve") => crate::solve_input::load(file, None)
                .map(|solve| {
                    format!(
                        "{}: solve for {}, {} combination{}",
                        solve.sweep.base_config.name,
                        solve.config.key,
                        solve.combinations.len(),
                        if solve.combinations.len() == 1 {
                            ""
                        } else {
                            "s"
                        }
                    )
                }),
            Source::File(file) if has_table(file, "design") => design_file(file),
            Source::File(file) if has_table(file, "calibrate") => {
                crate::calibrate_input::load(file, None).map(|calibration| {
                    format!(
                        "{}: calibration of {} parameters to {} targets",
                        calibration.sweep.base_config.name,
                        calibration.config.parameters.len(),
                        calibration.targets.len()
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

/// Checks a design-only file as `truce design` does, every point expanded.
fn design_file(path: &std::path::Path) -> Result<String> {
    let origin = path.display().to_string();
    let text = sweep_input::read(path, "design file")?;
    crate::input::check_schema(&text, &origin, truce_sim::schema::FileKind::Design)?;
    let table: toml::Table = text
        .parse()
        .map_err(|_| user(format!("{origin}: not valid TOML")))?;
    let designed = super::design::design_only(table, &origin, None, true)?;
    Ok(format!(
        "design, {} design of {} parameters, {} points",
        designed.name,
        designed.names.len(),
        designed.points.len()
    ))
}

/// Whether a file that is valid TOML has a table `name` at the top level (`solve`, `calibrate`).
fn has_table(path: &std::path::Path, name: &str) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| table.contains_key(name))
}

/// Whether a file has a `[sweep]` table; anything else is checked as a scenario. A file that is
/// not valid TOML counts as a sweep when a line opens a `sweep` table or sets a `sweep.` key, so
/// that its TOML error comes from the sweep reader, as `truce sweep` would report it.
pub fn is_sweep(path: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    match text.parse::<toml::Table>() {
        Ok(table) => table.contains_key("sweep"),
        Err(_) => text.lines().any(|line| {
            let line = line.trim_start();
            let bare = line.trim_start_matches('[').trim_start();
            (line.starts_with('[') && (bare.starts_with("sweep]") || bare.starts_with("sweep.")))
                || line.starts_with("sweep.")
                || line.starts_with("sweep =")
                || line.starts_with("sweep=")
        }),
    }
}
