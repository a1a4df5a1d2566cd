//! `truce run`: runs the replications of one scenario, writes its results folder and prints a summary.

use super::in_pool;
use crate::args::RunArgs;
use crate::error::{print_stdout, user};
use crate::input::Source;
use crate::output::{DEFAULT_OUT, Destination, Staging, manifest, runs, trace};
use crate::trace_selection::{self, TraceSelection};
use crate::{progress, summary};
use anyhow::Result;
use std::path::Path;
use std::time::Instant;
use truce_sim::Scenario;

/// A single scenario is point 0 of its own sweep.
const POINT: u64 = 0;

pub fn run(args: &RunArgs) -> Result<()> {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();

    // Check everything the user gave before any work or any folder is made.
    let source = Source::from_arg(args.config.as_deref());
    if let Source::File(path) = &source
        && super::validate::is_sweep(path)
    {
        return Err(user(format!(
            "{0}: has a [sweep] table: run it with `truce sweep {0}`",
            source.origin()
        )));
    }
    let scenario = source.load_with(|config| {
        if let Some(n) = args.replications {
            config.replications = n;
        }
        if let Some(seed) = args.seed {
            config.seed = seed;
        }
    })?;
    let replications = replication_count(&source, &scenario)?;
    if let Some(selection) = &args.trace {
        check_trace(selection, replications)?;
    }
    let destination = match &args.out {
        Some(dir) => Destination::exact(dir)?,
        None => Destination::timestamped(
            Path::new(DEFAULT_OUT),
            scenario.name(),
            &started.strftime("%Y-%m-%dT%H-%M-%SZ").to_string(),
        ),
    };

    let base_seed = scenario.config.seed;
    let (records, threads) = in_pool(args.threads, || {
        let bar = progress::bar(replications, args.quiet);
        let records =
            truce_sim::run_replications(&scenario, base_seed, POINT, 0, replications, &|| {
                bar.inc(1)
            });
        bar.finish_and_clear();
        (records, rayon::current_num_threads())
    })?;

    let staging = Staging::create(destination)?;
    let config_sha256 = manifest::config_sha256(&scenario.config)?;
    let mut files = vec!["runs.parquet".to_string()];
    runs::write(
        &staging.path().join("runs.parquet"),
        &scenario,
        &records,
        vec![
            ("truce.scenario".into(), scenario.name().into()),
            ("truce.config_sha256".into(), config_sha256.clone()),
            ("truce.base_seed".into(), base_seed.to_string()),
            ("truce.version".into(), env!("CARGO_PKG_VERSION").into()),
        ],
    )?;
    let traced = args
        .trace
        .as_ref()
        .map_or_else(Vec::new, |s| s.resolve(&records));
    for &rep in &traced {
        let (_, rows) = truce_sim::trace_replication(&scenario, base_seed, POINT, rep);
        let name = trace::file_name(rep);
        trace::write(&staging.path().join(&name), &scenario, &rows)?;
        files.push(name);
    }
    let manifest = manifest::Manifest {
        truce_version: env!("CARGO_PKG_VERSION"),
        scenario: scenario.name(),
        config_path: source.manifest_path(),
        config_sha256,
        base_seed,
        replications: records.len() as u64,
        point: POINT,
        trace_replication: traced.first().copied(),
        trace_replications: traced.clone(),
        threads,
        rng: manifest::Rng::current(),
        crates: manifest::crate_versions(),
        git: manifest::Git::at_build(),
        command_line: std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        started_utc: started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        wall_seconds: clock.elapsed().as_secs_f64(),
        files,
        config: &scenario.config,
    };
    manifest::write(&staging.path().join("manifest.json"), &manifest)?;
    let folder = staging.commit()?;

    print_stdout(&summary::render(
        &summary::RunInfo {
            scenario: scenario.name(),
            base_seed,
            folder: &folder,
        },
        &records,
    ))?;
    if let Some(selection) = &args.trace {
        print_stdout(&traced_text(selection, &traced, &records))?;
    }
    if args.report {
        let path = super::report::write(&folder, None, &super::plot::ChartArgs::defaults())?;
        print_stdout(&format!("report        {}\n", path.display()))?;
    }
    Ok(())
}

/// The number of replications as a count, refused when zero.
fn replication_count(source: &Source, scenario: &Scenario) -> Result<usize> {
    let n = scenario.config.replications;
    if n == 0 {
        return Err(user(format!(
            "{}: replications: must be at least 1 (got 0); set it in the config or pass --replications N",
            source.origin()
        )));
    }
    usize::try_from(n).map_err(|_| {
        user(format!(
            "{}: replications: too many for this machine (got {n})",
            source.origin()
        ))
    })
}

/// `--trace` must name replications that are run.
fn check_trace(selection: &TraceSelection, replications: usize) -> Result<()> {
    let beyond = selection.beyond(replications as u64);
    if let Some(rep) = beyond.first() {
        return Err(user(format!(
            "--trace {rep}: there are only {replications} replications, numbered 0 to {}; \
             choose among them or raise --replications",
            replications - 1
        )));
    }
    Ok(())
}

/// Which replications were traced and how each ended.
fn traced_text(
    selection: &TraceSelection,
    traced: &[u64],
    records: &[truce_sim::Record],
) -> String {
    if traced.is_empty() {
        return format!(
            "traced        none: no replication collapsed, so --trace {selection} chose none\n"
        );
    }
    let mut text = String::new();
    for (k, &rep) in traced.iter().enumerate() {
        let ending = records
            .get(rep as usize)
            .map_or_else(|| "not run".to_owned(), trace_selection::ending);
        text.push_str(&format!(
            "{}{rep:>6}  {ending}  ({})\n",
            if k == 0 { "traced  " } else { "        " },
            trace::file_name(rep)
        ));
    }
    if let TraceSelection::Collapsed(k) = selection
        && traced.len() < *k
    {
        text.push_str(&format!(
            "        only {} of the replications collapsed\n",
            traced.len()
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(scenario: &Scenario, threads: Option<u16>) -> Vec<truce_sim::Record> {
        in_pool(threads, || {
            truce_sim::run_replications(scenario, 1, POINT, 0, 8, &|| {})
        })
        .unwrap()
    }

    #[test]
    fn records_do_not_depend_on_the_thread_count() {
        let source = Source::BuiltIn;
        let scenario = source
            .load_with(|config| config.horizon_days = 30.0)
            .unwrap();
        assert_eq!(records(&scenario, Some(1)), records(&scenario, Some(3)));
    }

    #[test]
    fn trace_must_name_a_replication() {
        assert!(check_trace(&TraceSelection::List(vec![9]), 10).is_ok());
        assert!(check_trace(&TraceSelection::Collapsed(20), 10).is_ok());
        let err = check_trace(&TraceSelection::List(vec![2, 10]), 10).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2);
        assert!(err.to_string().contains("numbered 0 to 9"), "{err}");
    }
}
