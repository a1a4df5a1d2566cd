//! Benchmarks of whole replications: one 730-day replication of the built-in baseline and of the
//! no-guarantees scenario, one 15-year (5,479-day) baseline replication, and a batch of 200 baseline
//! replications on one thread, to read replications per second per core.
//! Run with `cargo bench --workspace --bench replication`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use truce_sim::{Scenario, ScenarioConfig, run_replication};

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
    let mut rep = 0;
    group.bench_function("baseline_730_days", |b| {
        b.iter(|| {
            rep += 1;
            black_box(run_replication(&sc, 1, 0, rep))
        })
    });
    let ng = no_guarantees();
    group.bench_function("no_guarantees_730_days", |b| {
        b.iter(|| {
            rep += 1;
            black_box(run_replication(&ng, 1, 0, rep))
        })
    });
    let long = fifteen_years();
    group.bench_function("baseline_5479_days", |b| {
        b.iter(|| {
            rep += 1;
            black_box(run_replication(&long, 1, 0, rep))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("events");
    let events: u64 = (0..200).map(|r| run_replication(&sc, 1, 0, r).events).sum();
    group.throughput(Throughput::Elements(events));
    group.sample_size(10);
    group.bench_function("baseline_200_replications", |b| {
        b.iter(|| {
            for r in 0..200 {
                black_box(run_replication(&sc, 1, 0, r));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, replications);
criterion_main!(benches);
