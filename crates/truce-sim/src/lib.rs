//! truce-sim: a discrete-event simulation of deterrence after a ceasefire.
//!
//! One replication is a pure function of a [`Scenario`] and three indices
//! (base seed, scenario point, replication): [`run_replication`].
//! This crate does no I/O: it reads no file, prints nothing and never looks at the clock.
//! The model it implements is described in `docs/model.md`.

pub mod calibrate;
pub mod config;
pub mod design;
pub mod document;
pub mod model;
pub mod queue;
pub mod record;
pub mod responder;
pub mod scenario;
pub mod schema;
pub mod seed;
pub mod solve;
pub mod stats;
pub mod suggest;
pub mod sweep;
pub mod time;
pub mod uncertain;
pub mod validate;

pub use config::ScenarioConfig;
pub use record::{
    Actor, ClassCounts, CollapseCause, NationCounts, OffensiveOutcome, Record, SectorCounts,
    TraceFigures, TraceRow,
};
pub use scenario::Scenario;
pub use validate::{ConfigError, FileError, Problem};

use rayon::prelude::*;

/// The most replications one rayon task runs before the rest of its range can go to an idle
/// thread. Rayon splits a range into a few large pieces and splits a piece again only when
/// another thread steals it, so without a bound the last piece of a batch (thousands of
/// replications) can leave the other threads idle for tens of milliseconds; with it, the tail of
/// a batch is a few replications long. Results are collected in index order either way.
pub const REPLICATIONS_PER_TASK: usize = 4;

/// Runs replication `replication` of scenario point `point`.
pub fn run_replication(
    scenario: &Scenario,
    base_seed: u64,
    point: u64,
    replication: u64,
) -> Record {
    let seed = seed::replication_seed(base_seed, point, replication);
    match scenario.with_draws(seed) {
        None => model::run(scenario, point, replication, seed, None),
        Some((drawn, draws)) => Record {
            uncertain: draws,
            ..model::run(&drawn, point, replication, seed, None)
        },
    }
}

/// Runs one replication and returns its full event trace too.
pub fn trace_replication(
    scenario: &Scenario,
    base_seed: u64,
    point: u64,
    replication: u64,
) -> (Record, Vec<TraceRow>) {
    let seed = seed::replication_seed(base_seed, point, replication);
    let mut trace = Vec::new();
    let record = match scenario.with_draws(seed) {
        None => model::run(scenario, point, replication, seed, Some(&mut trace)),
        Some((drawn, draws)) => Record {
            uncertain: draws,
            ..model::run(&drawn, point, replication, seed, Some(&mut trace))
        },
    };
    (record, trace)
}

/// Runs replications `first..first + count` of one point in parallel on the current rayon pool.
/// Records come back in replication order, identical whatever the number of threads;
/// `on_done` is called once per finished replication (for progress bars).
pub fn run_replications(
    scenario: &Scenario,
    base_seed: u64,
    point: u64,
    first: u64,
    count: usize,
    on_done: &(dyn Fn() + Sync),
) -> Vec<Record> {
    (0..count)
        .into_par_iter()
        .with_max_len(REPLICATIONS_PER_TASK)
        .map(|i| {
            let record = run_replication(scenario, base_seed, point, first + i as u64);
            on_done();
            record
        })
        .collect()
}
