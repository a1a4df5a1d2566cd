//! `truce._truce`, the native module of the `truce` Python package: checks configs as the command
//! line does, runs replications with the interpreter lock released, and hands records back as the
//! bytes of a `runs.parquet` written by `truce-records`, the writer of `truce run`.
//!
//! The Python side (`python/truce/__init__.py`) reads files, builds polars frames and shows progress;
//! this module knows nothing of polars.

mod config;
mod points;

use config::{Changes, Failure, Input};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use rayon::prelude::*;
use std::path::Path;
use truce_sim::sweep::{Replications, Sweep, Tally};
use truce_sim::{Record, Scenario};

/// A single scenario is point 0 of its own sweep, as in `truce run`.
const POINT: u64 = 0;

/// Replications run between two looks at progress and Ctrl-C.
const BLOCK: usize = 256;

/// `truce.ConfigError` carrying every problem of `failure`.
fn config_error(py: Python<'_>, failure: Failure) -> PyErr {
    let class = match py.import("truce").and_then(|m| m.getattr("ConfigError")) {
        Ok(class) => class,
        Err(e) => return e,
    };
    match class.call1((failure.report, failure.problems)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

/// The config given from Python: `None` is the built-in baseline, a `str` is TOML text, a `dict` a table.
fn input(config: Option<&Bound<'_, PyAny>>) -> PyResult<Input> {
    match config {
        None => Ok(Input::Text(config::BASELINE.to_string())),
        Some(c) => {
            if let Ok(dict) = c.cast::<PyDict>() {
                Ok(Input::Table(config::to_table(dict, "")?))
            } else {
                Ok(Input::Text(c.extract()?))
            }
        }
    }
}

fn changes(
    replications: Option<u64>,
    seed: Option<u64>,
    overrides: Option<&Bound<'_, PyDict>>,
) -> PyResult<Changes> {
    let mut list = Vec::new();
    if let Some(dict) = overrides {
        for (k, v) in dict.iter() {
            let key: String = k.extract().map_err(|_| {
                PyValueError::new_err(format!(
                    "overrides: keys are dotted key paths (str), got {k}"
                ))
            })?;
            let value = config::to_toml(&v, &key)?;
            list.push((key, value));
        }
    }
    Ok(Changes {
        replications,
        seed,
        overrides: list,
    })
}

/// The worker threads: `threads` of them, or rayon's global pool.
struct Pool(Option<rayon::ThreadPool>);

impl Pool {
    fn new(threads: Option<usize>) -> PyResult<Self> {
        match threads {
            None => Ok(Pool(None)),
            Some(0) => Err(PyValueError::new_err("threads: must be at least 1 (got 0)")),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(|p| Pool(Some(p)))
                .map_err(|e| {
                    PyRuntimeError::new_err(format!("cannot start the worker threads: {e}"))
                }),
        }
    }

    /// Computes `one(i)` for `i` in `0..count`, in parallel, in order, in blocks with the
    /// interpreter lock released; between blocks, calls `progress(done, total)` with the
    /// replications just done and the most there will be, and stops on Ctrl-C.
    fn run(
        &self,
        py: Python<'_>,
        count: usize,
        total: u64,
        progress: Option<&Bound<'_, PyAny>>,
        one: &(dyn Fn(usize) -> Record + Sync),
    ) -> PyResult<Vec<Record>> {
        let mut records = Vec::with_capacity(count);
        let mut start = 0;
        while start < count {
            let end = (start + BLOCK).min(count);
            let block: Vec<Record> = py.detach(|| {
                let work = || {
                    (start..end)
                        .into_par_iter()
                        .with_max_len(truce_sim::REPLICATIONS_PER_TASK)
                        .map(one)
                        .collect()
                };
                match &self.0 {
                    Some(pool) => pool.install(work),
                    None => work(),
                }
            });
            records.extend(block);
            if let Some(p) = progress {
                p.call1((end - start, total))?;
            }
            // Ctrl-C raises KeyboardInterrupt here, between blocks.
            py.check_signals()?;
            start = end;
        }
        Ok(records)
    }
}

/// The records as the bytes of a `runs.parquet`.
fn parquet<'py>(
    py: Python<'py>,
    scenario: &Scenario,
    records: &[Record],
    base_seed: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = truce_records::to_bytes(
        scenario,
        records,
        vec![
            ("truce.scenario".into(), scenario.name().into()),
            ("truce.base_seed".into(), base_seed.to_string()),
            ("truce.version".into(), env!("CARGO_PKG_VERSION").into()),
        ],
    )
    .map_err(|e| PyRuntimeError::new_err(format!("cannot write the records: {e:#}")))?;
    Ok(PyBytes::new(py, &bytes))
}

/// Runs replications `0..n` of a scenario (point 0), as `truce run` does, and returns the bytes of
/// their `runs.parquet`.
#[pyfunction]
#[pyo3(signature = (config, origin, replications=None, seed=None, threads=None, overrides=None, progress=None))]
#[allow(
    clippy::too_many_arguments,
    reason = "the keyword arguments of truce.run"
)]
fn run<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyAny>>,
    origin: &str,
    replications: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    overrides: Option<&Bound<'py, PyDict>>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let input = input(config)?;
    let changes = changes(replications, seed, overrides)?;
    if config::is_sweep(&input) {
        return Err(config_error(
            py,
            Failure::one(
                origin,
                "sweep",
                "has a [sweep] table: run it with truce.sweep",
                None,
            ),
        ));
    }
    let scenario = config::scenario(&input, origin, &changes).map_err(|f| config_error(py, f))?;
    let count = usize::try_from(scenario.config.replications)
        .map_err(|_| PyValueError::new_err("replications: too many for this machine"))?;
    let base_seed = scenario.config.seed;
    let pool = Pool::new(threads)?;
    let records = pool.run(py, count, count as u64, progress, &|i| {
        truce_sim::run_replication(&scenario, base_seed, POINT, i as u64)
    })?;
    parquet(py, &scenario, &records, base_seed)
}

/// The problems of a config (a scenario, or a sweep and every point of it): `None` when valid,
/// else `(report, [(key, message, line)])`.
#[pyfunction]
#[pyo3(signature = (config, origin, dir, overrides=None))]
fn validate<'py>(
    config: Option<&Bound<'py, PyAny>>,
    origin: &str,
    dir: &str,
    overrides: Option<&Bound<'py, PyDict>>,
) -> PyResult<Option<(String, Vec<config::PyProblem>)>> {
    let input = input(config)?;
    let changes = changes(None, None, overrides)?;
    Ok(config::problems(&input, origin, Path::new(dir), &changes).map(|f| (f.report, f.problems)))
}

/// The event trace of one replication (point 0), as columns `(name, type, values)`.
#[pyfunction]
#[pyo3(signature = (config, origin, replication, seed=None, overrides=None))]
fn trace<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyAny>>,
    origin: &str,
    replication: u64,
    seed: Option<u64>,
    overrides: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<points::Column<'py>>> {
    let input = input(config)?;
    let changes = changes(None, seed, overrides)?;
    let scenario = config::scenario(&input, origin, &changes).map_err(|f| config_error(py, f))?;
    let (_, rows) = py.detach(|| {
        truce_sim::trace_replication(&scenario, scenario.config.seed, POINT, replication)
    });
    let class = |i: usize| match scenario.classes.get(i) {
        Some(class) => class.name.clone(),
        None => i.to_string(),
    };
    let time: Vec<u64> = rows.iter().map(|r| r.time).collect();
    let day: Vec<f64> = rows
        .iter()
        .map(|r| truce_sim::time::to_days(r.time))
        .collect();
    let event: Vec<&str> = rows.iter().map(|r| r.event).collect();
    let actor: Vec<&str> = rows.iter().map(|r| r.actor.name()).collect();
    let sector: Vec<Option<u64>> = rows.iter().map(|r| r.sector.map(|s| s as u64)).collect();
    let classes: Vec<Option<String>> = rows.iter().map(|r| r.class.map(class)).collect();
    let outcome: Vec<&str> = rows.iter().map(|r| r.outcome.as_str()).collect();
    let count: Vec<Option<u64>> = rows.iter().map(|r| r.figures.count).collect();
    let covers_day: Vec<Option<u64>> = rows.iter().map(|r| r.figures.covers_day).collect();
    let mean: Vec<Option<f64>> = rows.iter().map(|r| r.figures.mean).collect();
    let recommitment: Vec<Option<bool>> = rows.iter().map(|r| r.figures.recommitment).collect();
    Ok(vec![
        ("time_minutes".into(), "u64", PyList::new(py, time)?),
        ("day".into(), "f64", PyList::new(py, day)?),
        ("event".into(), "str", PyList::new(py, event)?),
        ("actor".into(), "str", PyList::new(py, actor)?),
        ("sector".into(), "u64", PyList::new(py, sector)?),
        ("class".into(), "str", PyList::new(py, classes)?),
        ("outcome".into(), "str", PyList::new(py, outcome)?),
        ("count".into(), "u64", PyList::new(py, count)?),
        ("covers_day".into(), "u64", PyList::new(py, covers_day)?),
        ("mean".into(), "f64", PyList::new(py, mean)?),
        (
            "recommitment".into(),
            "bool",
            PyList::new(py, recommitment)?,
        ),
    ])
}

/// Runs a sweep as `truce sweep` does (the same chunks in the same order, and with a precision
/// target the same points stopped after the same blocks), and returns the bytes of its
/// `runs.parquet` and the columns of its points.
#[pyfunction]
#[pyo3(signature = (config, origin, dir, replications=None, seed=None, threads=None, yes=false, overrides=None, progress=None))]
#[allow(
    clippy::too_many_arguments,
    reason = "the keyword arguments of truce.sweep"
)]
fn sweep<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyAny>>,
    origin: &str,
    dir: &str,
    replications: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    yes: bool,
    overrides: Option<&Bound<'py, PyDict>>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyBytes>, Vec<points::Column<'py>>)> {
    let input = input(config)?;
    let changes = changes(replications, seed, overrides)?;
    let sweep = config::sweep(&input, origin, Path::new(dir), &changes, yes)
        .map_err(|f| config_error(py, f))?;
    let scenarios = (0..sweep.points.len() as u64)
        .map(|id| sweep.scenario(id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| config_error(py, Failure::config(&e, origin)))?;
    let pool = Pool::new(threads)?;
    let records = run_sweep(py, &sweep, &scenarios, &pool, progress)?;
    let names: Vec<String> = sweep.parameters.iter().map(|p| p.name.clone()).collect();
    Ok((
        parquet(py, &scenarios[0], &records, sweep.seed)?,
        points::columns(py, &names, &sweep.points)?,
    ))
}

/// Every chunk of the sweep's plan in order; within a chunk, its points' replications point-major.
fn run_sweep(
    py: Python<'_>,
    sweep: &Sweep,
    scenarios: &[Scenario],
    pool: &Pool,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Record>> {
    let mut tallies = vec![Tally::default(); sweep.points.len()];
    let total = sweep.points.len() as u64 * sweep.max_replications();
    let mut records = Vec::new();
    for chunk in sweep.chunks() {
        let ids: Vec<u64> = match &sweep.replications {
            Replications::Fixed(_) => chunk.points.clone().collect(),
            Replications::Precision(p) => chunk
                .points
                .clone()
                .filter(|&id| truce_sim::sweep::needs_more(tallies[id as usize], p))
                .collect(),
        };
        let first = chunk.replications.start;
        let per_point = (chunk.replications.end - first) as usize;
        let done = pool.run(py, per_point * ids.len(), total, progress, &|i| {
            let (k, r) = (i / per_point, (i % per_point) as u64);
            let id = ids[k];
            let mut record = truce_sim::run_replication(
                &scenarios[id as usize],
                sweep.seed,
                sweep.seed_point(id),
                first + r,
            );
            record.point = id;
            record
        })?;
        for record in &done {
            let tally = &mut tallies[record.point as usize];
            tally.n += 1;
            if let Replications::Precision(p) = &sweep.replications {
                tally.hits += u64::from(
                    truce_sim::sweep::binary_outcome(record, &p.outcome).unwrap_or(false),
                );
            }
        }
        records.extend(done);
    }
    Ok(records)
}

/// The points of a sweep's design, checked as `truce sweep` checks it, as columns.
#[pyfunction]
#[pyo3(signature = (config, origin, dir, seed=None, yes=false))]
fn design<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyAny>>,
    origin: &str,
    dir: &str,
    seed: Option<u64>,
    yes: bool,
) -> PyResult<Vec<points::Column<'py>>> {
    let input = input(config)?;
    let changes = changes(None, seed, None)?;
    let sweep = config::sweep(&input, origin, Path::new(dir), &changes, yes)
        .map_err(|f| config_error(py, f))?;
    let names: Vec<String> = sweep.parameters.iter().map(|p| p.name.clone()).collect();
    points::columns(py, &names, &sweep.points)
}

/// The native module.
#[pymodule]
fn _truce(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("BASELINE", config::BASELINE)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(trace, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(design, m)?)?;
    Ok(())
}
