//! `truce compare`: runs whole scenario files under common random numbers and compares them with
//! the first.
//!
//! File `i` is point `i` of a folder laid out like a sweep's (`runs.parquet`, `points.parquet`
//! with a `scenario` column, `compare.toml`, `manifest.json`), so `truce analyze`, `plot` and
//! `report` read it as they read a sweep. Replication `r` of every file draws the streams of
//! `seed::replication_seed(seed, 0, r)`, as a sweep's points do under common random numbers: the
//! records of a file equal those of the same scenario as a point of a sweep with the same seed.
//! Every file runs with the first file's seed and number of replications (or `--seed` and
//! `--replications`), and with its own horizon and every other key.

use super::analyze::lift;
use super::in_pool;
use crate::error::{print_stdout, user};
use crate::input::Source;
use crate::output::table::{Table, Values};
use crate::output::{DEFAULT_OUT, Destination, Staging, manifest, runs};
use crate::progress;
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Instant;
use truce_sim::Scenario;

/// The resolved file of a compare folder.
pub use truce_formats::folder::COMPARE_TOML;
use truce_formats::manifest::{COMPLETE, CRN, REFERENCE, STATUS};

pub const HELP: &str = "\
Examples:
  truce compare configs/no_guarantees.toml configs/air_cover_only.toml configs/baseline.toml
  truce compare A.toml B.toml -n 5000 --seed 7 --out results/a_vs_b --report

Every file runs with the same replications and seed (the first file's, or -n and --seed), under
common random numbers: replication r of every file draws the same random streams. The files are
the points of the folder (0 is the first, the reference), so `truce analyze`, `plot` and `report`
read it like a sweep's. Printed, and written to DIR/analysis: every binary outcome at each file,
its paired difference from the first with a 95% interval, the hazard ratio of collapse, the
survival curves side by side and the causes of collapse.";

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files (TOML) to compare; the first is the reference.
    #[arg(required = true, num_args = 2.., value_name = "CONFIG")]
    pub configs: Vec<PathBuf>,

    /// Replications of every file [default: the first file's `replications`].
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: Option<u64>,

    /// Base seed of every file [default: the first file's `seed`].
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,

    /// Write into exactly this folder, which must not exist yet or be empty
    /// [default: results/compare/<UTC start time>].
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Worker threads [default: one per core, or RAYON_NUM_THREADS].
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,

    /// At the end, also write report.html (as `truce report`).
    #[arg(long)]
    pub report: bool,
}

pub fn compare(args: &CompareArgs) -> Result<()> {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();
    let mut scenarios: Vec<(Source, Scenario)> = Vec::new();
    for path in &args.configs {
        let source = Source::File(path.clone());
        if super::validate::is_sweep(path) {
            return Err(user(format!(
                "{}: has a [sweep] table: `truce compare` takes scenario files; run a sweep with `truce sweep`",
                source.origin()
            )));
        }
        let scenario = source.load()?;
        scenarios.push((source, scenario));
    }
    let first = &scenarios[0].1.config;
    let seed = args.seed.unwrap_or(first.seed);
    let replications = args.replications.unwrap_or(first.replications);
    if replications == 0 {
        return Err(user(format!(
            "{}: replications: must be at least 1 (got 0); set it in the config or pass --replications N",
            scenarios[0].0.origin()
        )));
    }
    let schema = truce_records::schema(&scenarios[0].1)?;
    for (source, scenario) in &scenarios[1..] {
        if truce_records::schema(scenario)? != schema {
            return Err(user(format!(
                "{} and {}: their records have different columns (the ladder's classes or the \
                 contingents' nations differ): compare files with the same ladder and the same \
                 nations (a nation can be given zero troops)",
                scenarios[0].0.origin(),
                source.origin()
            )));
        }
    }
    let count = usize::try_from(replications).context("too many replications")?;
    let destination = match &args.out {
        Some(dir) => Destination::exact(dir)?,
        None => Destination::timestamped(
            Path::new(DEFAULT_OUT),
            "compare",
            &started.strftime("%Y-%m-%dT%H-%M-%SZ").to_string(),
        ),
    };

    let (records, threads) = in_pool(args.threads, || {
        let bar = progress::bar(count * scenarios.len(), args.quiet);
        let mut all = Vec::with_capacity(count * scenarios.len());
        for (point, (_, scenario)) in scenarios.iter().enumerate() {
            let records = truce_sim::run_replications(scenario, seed, 0, 0, count, &|| bar.inc(1));
            all.extend(records.into_iter().map(|mut r| {
                r.point = point as u64;
                r
            }));
        }
        bar.finish_and_clear();
        (all, rayon::current_num_threads())
    })?;

    let labels = labels(&args.configs);
    let staging = Staging::create(destination)?;
    let metadata = vec![
        ("truce.compare".into(), labels.join(", ")),
        ("truce.seed".into(), seed.to_string()),
        ("truce.version".into(), env!("CARGO_PKG_VERSION").into()),
    ];
    runs::write(
        &staging.path().join("runs.parquet"),
        &scenarios[0].1,
        &records,
        metadata.clone(),
    )?;
    let mut points = Table::default();
    points.push(
        "point",
        Values::U64((0..scenarios.len() as u64).map(Some).collect()),
    );
    points.push(
        "scenario",
        Values::Text(labels.iter().cloned().map(Some).collect()),
    );
    points.write_parquet(&staging.path().join("points.parquet"), metadata)?;
    let mut files = Vec::new();
    for (label, (source, scenario)) in labels.iter().zip(&scenarios) {
        files.push(serde_json::json!({
            "point": files.len(),
            "label": label,
            "path": source.origin(),
            "scenario": scenario.name(),
            "config_sha256": manifest::config_sha256(&scenario.config)?,
        }));
    }
    std::fs::write(
        staging.path().join(COMPARE_TOML),
        compare_toml(&labels, &args.configs, seed, replications),
    )
    .context("cannot write compare.toml")?;
    let manifest = serde_json::json!({
        "truce_version": env!("CARGO_PKG_VERSION"),
        "command": "compare",
        STATUS: COMPLETE,
        CRN: true,
        REFERENCE: 0,
        "seed": seed,
        "replications": replications,
        "points": files,
        "threads": threads,
        "rng": manifest::Rng::current(),
        "crates": manifest::crate_versions(),
        "git": manifest::Git::at_build(),
        "command_line": std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>(),
        "started_utc": started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "wall_seconds": clock.elapsed().as_secs_f64(),
        "files": ["runs.parquet", "points.parquet", COMPARE_TOML],
    });
    std::fs::write(
        staging.path().join("manifest.json"),
        serde_json::to_string_pretty(&manifest).context("cannot format the manifest")?,
    )
    .context("cannot write manifest.json")?;
    let folder = staging.commit()?;

    let analysis = truce_analysis::analyze_folder(&folder, &truce_analysis::Options::default())
        .map_err(lift)?;
    analysis
        .outputs()
        .map_err(lift)?
        .write(&folder.join("analysis"))
        .map_err(lift)?;
    let mut text = analysis.report();
    text.push_str(&format!(
        "\nwrote {0} (analysis in {0}/analysis; `truce plot {0}` draws its charts)\n",
        folder.display()
    ));
    print_stdout(&text)?;
    if args.report {
        let path = super::report::write(&folder, None, &super::plot::ChartArgs::defaults())?;
        print_stdout(&format!("report: {}\n", path.display()))?;
    }
    Ok(())
}

/// Each file's label: its file name without `.toml`, or its path as given where two names agree.
fn labels(paths: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| {
        p.file_stem()
            .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into())
    };
    let stems: Vec<String> = paths.iter().map(stem).collect();
    paths
        .iter()
        .zip(&stems)
        .map(|(p, s)| {
            if stems.iter().filter(|t| *t == s).count() > 1 {
                p.display().to_string()
            } else {
                s.clone()
            }
        })
        .collect()
}

/// The folder's resolved file: the files compared, the seed and the replications.
fn compare_toml(labels: &[String], paths: &[PathBuf], seed: u64, replications: u64) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut text = format!(
        "# truce compare: point i is file i, run under common random numbers; point 0 is the reference.\n\
         [compare]\nseed = {seed}\nreplications = {replications}\n"
    );
    text.push_str(&format!(
        "files = [{}]\nlabels = [{}]\n",
        paths
            .iter()
            .map(|p| quote(&p.display().to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        labels
            .iter()
            .map(|l| quote(l))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_file_names_unless_two_agree() {
        let paths: Vec<PathBuf> = ["a/x.toml", "b/x.toml", "y.toml"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(labels(&paths), ["a/x.toml", "b/x.toml", "y"]);
        let text = compare_toml(&labels(&paths), &paths, 7, 10);
        let table: toml::Table = text.parse().unwrap();
        assert_eq!(table["compare"]["seed"].as_integer(), Some(7));
    }
}
