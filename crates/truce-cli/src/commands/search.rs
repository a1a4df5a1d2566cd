//! What `truce solve` and `truce calibrate` share: their flags, where their folder goes, the
//! check that a folder's resolved file is the one its manifest names, and how their charts are
//! written.

use crate::error::user;
use crate::output::manifest::sha256_hex;
use crate::output::sweep::MANIFEST;
use crate::output::{DEFAULT_OUT, Destination, write_atomically};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use truce_plot::{ChartOptions, Format, Render};

/// The flags of a search command besides its file.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Finish the search in this folder, reusing every block of replications already written.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,

    /// Base seed of every random stream [default: the scenario's `seed`].
    #[arg(
        short,
        long,
        value_name = "S",
        value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64),
        conflicts_with = "resume"
    )]
    pub seed: Option<u64>,

    /// Write into exactly this folder, which must not exist yet or be empty
    /// [default: results/<name>/<UTC start time>].
    #[arg(short, long, value_name = "DIR", conflicts_with = "resume")]
    pub out: Option<PathBuf>,

    /// Worker threads [default: one per core, or RAYON_NUM_THREADS].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress lines.
    #[arg(short, long)]
    pub quiet: bool,
}

impl SearchArgs {
    /// Where a new search's folder goes: `--out DIR`, refused when it already holds results, or
    /// `results/<name>/<UTC start time>`. `command` names the command, for the message.
    pub fn destination(
        &self,
        command: &str,
        name: &str,
        started: jiff::Timestamp,
    ) -> Result<Destination> {
        match &self.out {
            Some(dir) if dir.join(MANIFEST).is_file() => Err(user(format!(
                "--out {0}: already holds results; to finish it: truce {command} --resume {0}",
                dir.display()
            ))),
            Some(dir) => Destination::exact(dir),
            None => Ok(Destination::timestamped(
                Path::new(DEFAULT_OUT),
                name,
                &started.strftime("%Y-%m-%dT%H-%M-%SZ").to_string(),
            )),
        }
    }
}

/// The text of `dir/name`, refused unless its SHA-256 is `sha256`, the manifest's.
pub fn read_resolved(dir: &Path, name: &str, sha256: &str, command: &str) -> Result<String> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| user(format!("{}: cannot read it: {e}", path.display())))?;
    if sha256_hex(text.as_bytes()) != sha256 {
        return Err(user(format!(
            "{}: does not match the SHA-256 in the manifest: the file was edited; \
             start a new {command} from its file instead",
            path.display()
        )));
    }
    Ok(text)
}

/// Writes `chart` as `charts/<name>.png` and `charts/<name>.svg` in `folder`, 900 × 600, each
/// drawn in full and then written through a temporary file renamed into place.
pub fn write_chart_files(folder: &Path, name: &str, chart: &impl Render) -> Result<()> {
    let charts = folder.join("charts");
    // A folder appears whole: unlike a file, it needs no temporary name.
    std::fs::create_dir_all(&charts)
        .with_context(|| format!("cannot create {}", charts.display()))?;
    let options = ChartOptions::with_size(900, 600);
    for format in [Format::Png, Format::Svg] {
        let file = format!("{name}.{}", format.extension());
        let bytes = match format {
            Format::Png => chart.png(&options),
            Format::Svg => chart.svg(&options).map(String::into_bytes),
        }
        .with_context(|| format!("cannot draw charts/{file}"))?;
        write_atomically(&charts.join(&file), &bytes)?;
    }
    Ok(())
}
