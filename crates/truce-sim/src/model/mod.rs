//! The model of `docs/model.md`: the state of one replication and its event handlers.

use crate::record::{Record, TraceRow};
use crate::scenario::Scenario;

/// Runs one replication; pushes its events to `trace` when given.
pub fn run(
    scenario: &Scenario,
    point: u64,
    replication: u64,
    seed: u64,
    trace: Option<&mut Vec<TraceRow>>,
) -> Record {
    let _ = (scenario, trace);
    Record {
        point,
        replication,
        seed,
        ..Record::default()
    }
}
