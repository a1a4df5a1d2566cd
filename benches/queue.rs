//! Benchmark of the future-event list: a hold model (pop one, schedule one) at a steady queue size.
//! Run with `cargo bench --workspace --bench queue`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use truce_sim::queue::EventQueue;

fn hold(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue_hold");
    for size in [16u64, 1024] {
        group.throughput(Throughput::Elements(10_000));
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, &size| {
            b.iter(|| {
                let mut q = EventQueue::new();
                for i in 0..size {
                    q.schedule(i * 7 % 1000, i);
                }
                // A fixed, cheap pseudo-random delay sequence (no generator in the loop).
                let mut x = 12345u64;
                for _ in 0..10_000 {
                    let (_, e) = q.pop().expect("queue never empties");
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    q.schedule_in(1 + (x >> 54), black_box(e));
                }
                q.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, hold);
criterion_main!(benches);
