//! Benchmarks of whole replications: one 730-day replication of the built-in baseline and of the
//! no-guarantees scenario, one 15-year (5,479-day) baseline replication, and a batch of 200 baseline
//! replications on one thread, to read replications per second per core.
//! Run with `cargo bench --workspace --bench replication`.
//!
//! The single-replication benchmarks cycle through the same replication indices 0..200 as the batch,
//! so that all of them measure the same work (the batch reports events per second: divide by the
//! events per replication it prints to read replications per second).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use truce_sim::{Scenario, ScenarioConfig, run_replication};

/// Replication indices 0..BATCH are the work of every benchmark here.
const BATCH: u64 = 200;

fn baseline() -> Scenario {
    Scenario::from_toml_str(include_str!("../configs/baseline.toml"))
        .expect("baseline config is valid")
}

fn no_guarantees() -> Scenario {
    Scenario::from_toml_str(include_str!("../configs/no_guarantees.toml"))
        .expect("no_guarantees config is valid")
}

/// The baseline with a 15-year horizon.
fn fifteen_years() -> Scenario {
    let mut config = truce_sim::validate::parse(include_str!("../configs/baseline.toml"))
        .expect("baseline config is valid");
    config.horizon_days = 5479.0;
    Scenario::from_config(config).expect("a 15-year baseline is valid")
}

fn replications(c: &mut Criterion) {
    let sc = baseline();
    assert_eq!(
        sc.config.horizon_days,
        ScenarioConfig::default().horizon_days
    );
    let mut group = c.benchmark_group("replication");
    group.throughput(Throughput::Elements(1));
    for (name, scenario) in [
        ("baseline_730_days", &sc),
        ("no_guarantees_730_days", &no_guarantees()),
        ("baseline_5479_days", &fifteen_years()),
    ] {
        let mut rep = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                rep = (rep + 1) % BATCH;
                black_box(run_replication(scenario, 1, 0, rep))
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("events");
    let events: u64 = (0..BATCH)
        .map(|r| run_replication(&sc, 1, 0, r).events)
        .sum();
    eprintln!(
        "baseline: {:.1} events per replication over replications 0..{BATCH}",
        events as f64 / BATCH as f64
    );
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.bench_function("baseline_200_replications", |b| {
        b.iter(|| {
            for r in 0..BATCH {
                black_box(run_replication(&sc, 1, 0, r));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, replications);
criterion_main!(benches);
