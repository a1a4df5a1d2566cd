//! Benchmarks of the analysis of a large results folder: the per-point summary and the survival
//! curves of a synthetic `runs.parquet` with the record's columns.
//!
//! `TRUCE_BENCH_ROWS` sets the number of records (default 10,000,000) and `TRUCE_BENCH_POINTS`
//! the number of points they are spread over (default 1,000). The file is written once, into a
//! temporary folder, before the measurements.
//!
//! Run with `cargo bench --workspace --bench analysis`.

use criterion::{Criterion, criterion_group, criterion_main};
use polars::prelude::*;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;
use truce_analysis::{curves, summary, table};

const CLASSES: [&str; 5] = [
    "harassment",
    "shelling",
    "land_grab",
    "deep_strike",
    "major_offensive",
];

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// A uniform number in [0, 1) from a row index and a column salt (SplitMix64).
fn unit(row: u64, salt: u64) -> f64 {
    let mut z = row
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Replications per chunk, as a sweep of 1,000 points plans them (about 10,000 records a chunk,
/// at least 100 replications).
const CHUNK_REPLICATIONS: u64 = 100;

/// The point of record `row`: a sweep writes its records chunk by chunk, each chunk holding a
/// block of replications of every point, point by point.
fn point_of(row: u64, points: u64) -> u64 {
    row % (points * CHUNK_REPLICATIONS) / CHUNK_REPLICATIONS
}

fn replication_of(row: u64, points: u64) -> u64 {
    row / (points * CHUNK_REPLICATIONS) * CHUNK_REPLICATIONS + row % CHUNK_REPLICATIONS
}

/// Records `first..first + n` of `points` points, in the order a sweep writes them.
fn batch(first: u64, n: usize, points: u64) -> DataFrame {
    let rows: Vec<u64> = (first..first + n as u64).collect();
    let f = |salt: u64, g: &dyn Fn(f64) -> f64| -> Vec<f64> {
        rows.iter().map(|&r| g(unit(r, salt))).collect()
    };
    let violation_day: Vec<Option<f64>> = rows
        .iter()
        .map(|&r| (unit(r, 1) < 0.9).then(|| 730.0 * unit(r, 2)))
        .collect();
    let collapse_day: Vec<Option<f64>> = rows
        .iter()
        .map(|&r| {
            (unit(r, 3) < 0.1 + 0.2 * (point_of(r, points) as f64 / points as f64))
                .then(|| 730.0 * unit(r, 4))
        })
        .collect();
    let causes = ["offensive", "clash", "tripwire_war", "spiral", "exogenous"];
    let mut columns = vec![
        Column::new(
            "point".into(),
            rows.iter()
                .map(|&r| point_of(r, points))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "replication".into(),
            rows.iter()
                .map(|&r| replication_of(r, points))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "seed".into(),
            rows.iter()
                .map(|r| r.wrapping_mul(0x9E37_79B9))
                .collect::<Vec<_>>(),
        ),
        Column::new("resolve".into(), f(5, &|u| u)),
        Column::new(
            "violated".into(),
            violation_day
                .iter()
                .map(Option::is_some)
                .collect::<Vec<_>>(),
        ),
        Column::new("first_violation_day".into(), violation_day.clone()),
        Column::new(
            "first_detected_day".into(),
            violation_day
                .iter()
                .map(|d| d.map(|d| d + 1.0))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "first_harassment_day".into(),
            f(6, &|u| 10.0 * u)
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>(),
        ),
    ];
    for (k, prefix) in ["committed", "detected", "attributed"].iter().enumerate() {
        for (c, class) in CLASSES.iter().enumerate() {
            let salt = 10 + 5 * k as u64 + c as u64;
            columns.push(Column::new(
                format!("{prefix}_{class}").into(),
                rows.iter()
                    .map(|&r| Some((unit(r, salt) * 8.0) as u32))
                    .collect::<Vec<_>>(),
            ));
        }
    }
    let end_day: Vec<f64> = collapse_day.iter().map(|d| d.unwrap_or(730.0)).collect();
    columns.extend([
        Column::new(
            "background_total".into(),
            rows.iter()
                .map(|&r| (unit(r, 30) * 5000.0) as u64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "background_first_30".into(),
            rows.iter()
                .map(|&r| (unit(r, 31) * 300.0) as u64)
                .collect::<Vec<_>>(),
        ),
        Column::new("background_days".into(), vec![730u32; n]),
        Column::new("background_days_first_30".into(), vec![30u32; n]),
        Column::new(
            "background_mean_first_30".into(),
            f(32, &|u| 10.0 * u)
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "background_mean".into(),
            f(33, &|u| 7.0 * u)
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "collapsed".into(),
            collapse_day.iter().map(Option::is_some).collect::<Vec<_>>(),
        ),
        Column::new("collapse_day".into(), collapse_day.clone()),
        Column::new(
            "collapse_cause".into(),
            rows.iter()
                .zip(&collapse_day)
                .map(|(&r, d)| d.map(|_| causes[(unit(r, 34) * 5.0) as usize]))
                .collect::<Vec<_>>(),
        ),
        Column::new("settled".into(), vec![false; n]),
        Column::new("settled_day".into(), vec![None::<f64>; n]),
        Column::new("end_day".into(), end_day),
        Column::new("max_class".into(), vec!["land_grab"; n]),
        Column::new(
            "r_casualties_harassment".into(),
            rows.iter()
                .map(|&r| (unit(r, 35) * 3.0) as u64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "r_casualties_serious".into(),
            rows.iter()
                .map(|&r| (unit(r, 36) * 2.0) as u64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "tripwire_triggered".into(),
            f(37, &|u| u).iter().map(|&u| u < 0.05).collect::<Vec<_>>(),
        ),
        Column::new(
            "tripwire_fired".into(),
            f(38, &|u| u).iter().map(|&u| u < 0.02).collect::<Vec<_>>(),
        ),
        Column::new(
            "coalition_at_war".into(),
            f(39, &|u| u).iter().map(|&u| u < 0.01).collect::<Vec<_>>(),
        ),
    ]);
    for (i, name) in ["d_responses", "r_responses", "u_responses"]
        .iter()
        .enumerate()
    {
        columns.push(Column::new(
            (*name).into(),
            rows.iter()
                .map(|&r| (unit(r, 40 + i as u64) * 20.0) as u32)
                .collect::<Vec<_>>(),
        ));
    }
    columns.push(Column::new(
        "direct_clash".into(),
        f(43, &|u| u).iter().map(|&u| u < 0.01).collect::<Vec<_>>(),
    ));
    for (i, name) in [
        "nfz_incidents",
        "credibility_shocks",
        "negotiation_rounds",
        "successful_rounds",
    ]
    .iter()
    .enumerate()
    {
        columns.push(Column::new(
            (*name).into(),
            rows.iter()
                .map(|&r| (unit(r, 44 + i as u64) * 6.0) as u32)
                .collect::<Vec<_>>(),
        ));
    }
    let outcomes = ["none", "halted", "breakthrough", "stalemate"];
    columns.push(Column::new(
        "offensive_outcome".into(),
        rows.iter()
            .map(|&r| outcomes[(unit(r, 48) * 4.0) as usize])
            .collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "offensive_length_days".into(),
        rows.iter()
            .map(|&r| (unit(r, 49) < 0.1).then(|| 30.0 * unit(r, 50)))
            .collect::<Vec<_>>(),
    ));
    for (i, name) in ["grabs_succeeded", "grabs_failed", "sectors_lost"]
        .iter()
        .enumerate()
    {
        columns.push(Column::new(
            (*name).into(),
            rows.iter()
                .map(|&r| (unit(r, 51 + i as u64) * 4.0) as u32)
                .collect::<Vec<_>>(),
        ));
    }
    let mut salt = 60;
    for responder in ["defender", "reassurance", "air_cover"] {
        for class in CLASSES {
            columns.push(Column::new(
                format!("belief_{responder}_{class}").into(),
                f(salt, &|u| u).into_iter().map(Some).collect::<Vec<_>>(),
            ));
            salt += 1;
        }
    }
    columns.push(Column::new(
        "belief_reassurance_hit".into(),
        f(80, &|u| u).into_iter().map(Some).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "belief_tripwire".into(),
        f(81, &|u| u).into_iter().map(Some).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "events".into(),
        rows.iter()
            .map(|&r| 1000 + (unit(r, 82) * 1000.0) as u64)
            .collect::<Vec<_>>(),
    ));
    DataFrame::new(n, columns).expect("columns of equal length")
}

/// Writes `rows` records over `points` points to `path`, in row groups of 65,536.
fn write_runs(path: &Path, rows: usize, points: u64) {
    const GROUP: usize = 65_536;
    let file = std::fs::File::create(path).expect("temporary file");
    let schema = batch(0, 1, points).schema().clone();
    let mut writer = ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .with_row_group_size(Some(GROUP))
        .batched(&schema)
        .expect("Parquet writer");
    let mut first = 0;
    while first < rows {
        let n = GROUP.min(rows - first);
        writer
            .write_batch(&batch(first as u64, n, points))
            .expect("row group");
        first += n;
    }
    writer.finish().expect("Parquet footer");
}

fn analysis(c: &mut Criterion) {
    let rows = env_count("TRUCE_BENCH_ROWS", 10_000_000);
    let points = env_count("TRUCE_BENCH_POINTS", 1_000) as u64;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("runs.parquet");
    let start = Instant::now();
    write_runs(&path, rows, points);
    eprintln!(
        "wrote {rows} records over {points} points ({:.0} MB) in {:.1} s",
        std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6),
        start.elapsed().as_secs_f64()
    );
    let mut scan = table::scan(&path).expect("scan");
    let schema = table::schema(&mut scan, "runs").expect("schema");

    let mut group = c.benchmark_group(format!("analysis_{rows}_records"));
    group.sample_size(10);
    group.bench_function("summary", |b| {
        b.iter(|| black_box(summary::summarise(scan.clone(), &schema, "runs").expect("summary")))
    });
    group.bench_function("survival", |b| {
        b.iter(|| black_box(curves::record_curves(&scan, &schema, "runs").expect("survival")))
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
