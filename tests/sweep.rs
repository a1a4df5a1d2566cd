//! End-to-end tests of `truce sweep`, `merge`, `replay` and `design`: what a sweep folder holds,
//! that its records do not depend on threads, shards or interruptions, common random numbers,
//! precision targets, the example sweeps, and the refusal of bad input.
//! Each test works in its own temporary folder, on short horizons.

use arrow_array::{Array, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::fs;
use std::path::Path;
use std::time::Duration;
use support::{
    assert_exit, command, listing, ok, refused, stderr, stdout, truce, workdir, workspace,
};

mod support;

/// A 2 x 3 grid over 60 days: 6 points, 12 replications in blocks of 5.
const GRID: &str = r#"
name = "grid"
horizon_days = 60

[sweep]
design = "grid"
replications = 12
chunk_replications = 5

[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call"]

[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
min = 0
max = 30
steps = 3
"#;

/// Every record batch of a Parquet file.
fn batches(path: &Path) -> Vec<RecordBatch> {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

fn rows(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

fn column_names(batches: &[RecordBatch]) -> Vec<String> {
    batches[0]
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

fn u64s(batches: &[RecordBatch], name: &str) -> Vec<u64> {
    batches
        .iter()
        .flat_map(|b| {
            let column = b.column_by_name(name).unwrap_or_else(|| panic!("{name}"));
            let a = column.as_any().downcast_ref::<UInt64Array>().unwrap();
            a.values().to_vec()
        })
        .collect()
}

fn bools(batches: &[RecordBatch], name: &str) -> Vec<bool> {
    batches
        .iter()
        .flat_map(|b| {
            let column = b.column_by_name(name).unwrap_or_else(|| panic!("{name}"));
            let a = column.as_any().downcast_ref::<BooleanArray>().unwrap();
            (0..a.len()).map(|i| a.value(i)).collect::<Vec<_>>()
        })
        .collect()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// The records of two sweep folders are the same, decoded and byte for byte.
fn assert_same_runs(a: &Path, b: &Path) {
    let (ra, rb) = (a.join("runs.parquet"), b.join("runs.parquet"));
    assert_eq!(
        batches(&ra),
        batches(&rb),
        "{} vs {}",
        a.display(),
        b.display()
    );
    assert!(
        fs::read(&ra).unwrap() == fs::read(&rb).unwrap(),
        "{} and {} decode alike but differ in bytes",
        ra.display(),
        rb.display()
    );
}

/// The 95% Wilson half-width, as the precision rule computes it.
fn wilson_half_width(hits: u64, n: u64) -> f64 {
    let z: f64 = 1.959_963_984_540_054;
    let n = n as f64;
    let p = hits as f64 / n;
    z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()
}

#[test]
fn a_grid_sweep_writes_points_chunks_runs_and_a_complete_manifest() {
    let dir = workdir("grid.toml", GRID);
    let output = ok(dir.path(), &["sweep", "grid.toml", "--quiet"]);
    let runs = listing(&dir.path().join("results/grid"));
    assert_eq!(runs.len(), 1, "{runs:?}");
    let folder = dir.path().join("results/grid").join(&runs[0]);
    assert_eq!(
        listing(&folder),
        [
            "chunks",
            "manifest.json",
            "points.parquet",
            "runs.parquet",
            "sweep.toml"
        ]
    );

    let points = batches(&folder.join("points.parquet"));
    assert_eq!(rows(&points), 6);
    assert_eq!(
        column_names(&points),
        [
            "point",
            "role",
            "guarantors.air_cover.level",
            "guarantors.reassurance.troops_rear",
            "unit_0",
            "unit_1"
        ]
    );
    let schema = points[0].schema();
    assert_eq!(schema.field(0).data_type(), &DataType::UInt64);
    assert_eq!(schema.field(2).data_type(), &DataType::Utf8);
    assert_eq!(schema.field(3).data_type(), &DataType::Float64);
    assert_eq!(u64s(&points, "point"), [0, 1, 2, 3, 4, 5]);
    let level = points[0].column(2);
    let level = level.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(level.value(0), "none");
    assert_eq!(level.value(5), "on_call");
    let troops = points[0].column(3);
    let troops = troops.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!(troops.values().to_vec(), [0.0, 15.0, 30.0, 0.0, 15.0, 30.0]);

    // Blocks of 5, 5 and 2 replications of the six points.
    assert_eq!(
        listing(&folder.join("chunks")),
        [
            "chunk-b000000-g000000.parquet",
            "chunk-b000001-g000000.parquet",
            "chunk-b000002-g000000.parquet"
        ]
    );
    let first_chunk = batches(&folder.join("chunks/chunk-b000000-g000000.parquet"));
    assert_eq!(rows(&first_chunk), 30);

    let records = batches(&folder.join("runs.parquet"));
    assert_eq!(rows(&records), 6 * 12);
    // One row group per chunk.
    let file = fs::File::open(folder.join("runs.parquet")).unwrap();
    let metadata = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .metadata()
        .clone();
    let groups: Vec<i64> = metadata.row_groups().iter().map(|g| g.num_rows()).collect();
    assert_eq!(groups, [30, 30, 12]);
    assert_eq!(&column_names(&records)[..2], ["point", "replication"]);
    assert_eq!(column_names(&records), column_names(&first_chunk));
    // Chunk order, then point-major within a chunk.
    let point = u64s(&records, "point");
    let replication = u64s(&records, "replication");
    assert_eq!((point[0], replication[0]), (0, 0));
    assert_eq!((point[4], replication[4]), (0, 4));
    assert_eq!((point[5], replication[5]), (1, 0));
    assert_eq!((point[30], replication[30]), (0, 5));
    assert_eq!((point[71], replication[71]), (5, 11));
    for p in 0..6 {
        let mut reps: Vec<u64> = (0..point.len())
            .filter(|&i| point[i] == p)
            .map(|i| replication[i])
            .collect();
        reps.sort_unstable();
        assert_eq!(reps, (0..12).collect::<Vec<u64>>(), "point {p}");
    }

    let m = manifest(&folder);
    assert_eq!(m["status"], "complete");
    assert_eq!(m["sweep"], "grid");
    assert_eq!(m["design"], "grid");
    assert_eq!(m["points"], 6);
    assert_eq!(m["replications"], 12);
    assert_eq!(m["crn"], true);
    assert!(m["crn_meaning"].as_str().unwrap().contains("same"));
    assert_eq!(m["chunk_replications"], 5);
    assert_eq!(m["chunk_points"], 6);
    assert!(m["shard"].is_null());
    assert_eq!(m["chunks_completed"].as_array().unwrap().len(), 3);
    assert_eq!(m["sweep_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(m["seed"], 20_251_126);
    for key in [
        "truce_version",
        "rng",
        "crates",
        "git",
        "command_line",
        "started_utc",
        "wall_seconds",
    ] {
        assert!(m.get(key).is_some(), "manifest key {key}");
    }
    assert!(m["rng"]["seed_derivation"].is_string());

    let resolved = fs::read_to_string(folder.join("sweep.toml")).unwrap();
    assert!(!resolved.contains("base ="), "{resolved}");
    assert!(resolved.contains("replications = 12"), "{resolved}");
    let summary = stdout(&output);
    for text in ["points        6", "replications  72", "replications/s"] {
        assert!(summary.contains(text), "{text} in\n{summary}");
    }
}

#[test]
fn records_do_not_depend_on_the_thread_count() {
    let dir = workdir("grid.toml", GRID);
    ok(
        dir.path(),
        &["sweep", "grid.toml", "--out", "one", "-j", "1", "-q"],
    );
    ok(
        dir.path(),
        &["sweep", "grid.toml", "--out", "two", "-j", "2", "-q"],
    );
    assert_same_runs(&dir.path().join("one"), &dir.path().join("two"));
    for chunk in listing(&dir.path().join("one/chunks")) {
        let a = fs::read(dir.path().join("one/chunks").join(&chunk)).unwrap();
        let b = fs::read(dir.path().join("two/chunks").join(&chunk)).unwrap();
        assert!(a == b, "{chunk}");
    }
}

#[test]
fn merged_shards_equal_the_whole_sweep() {
    let dir = workdir("grid.toml", GRID);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "whole", "-q"]);
    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = format!("shard{i}");
        ok(
            dir.path(),
            &["sweep", "grid.toml", "--shard", &shard, "--out", &out, "-q"],
        );
        let folder = dir.path().join(&out);
        assert!(!folder.join("runs.parquet").exists());
        let m = manifest(&folder);
        assert_eq!(m["status"], "complete");
        assert_eq!(m["shard"]["index"], i);
        assert_eq!(m["shard"]["count"], 3);
    }
    // Given in any order.
    ok(
        dir.path(),
        &["merge", "shard2", "shard0", "shard1", "--out", "merged"],
    );
    let merged = dir.path().join("merged");
    assert_same_runs(&dir.path().join("whole"), &merged);
    assert_eq!(
        listing(&merged.join("chunks")),
        listing(&dir.path().join("whole/chunks"))
    );
    let m = manifest(&merged);
    assert_eq!(m["status"], "complete");
    assert!(m["shard"].is_null());
    assert_eq!(m["merged_from"].as_array().unwrap().len(), 3);
    assert_eq!(
        fs::read(merged.join("sweep.toml")).unwrap(),
        fs::read(dir.path().join("whole/sweep.toml")).unwrap()
    );
    assert_eq!(
        batches(&merged.join("points.parquet")),
        batches(&dir.path().join("whole/points.parquet"))
    );

    // Two shards of three are not the whole sweep; a shard twice is refused.
    refused(
        dir.path(),
        &["merge", "shard0", "shard1", "--out", "partial"],
        &["shard 2/3 is missing"],
    );
    refused(
        dir.path(),
        &["merge", "shard0", "shard1", "shard1", "--out", "partial"],
        &["given twice"],
    );
    assert!(!dir.path().join("partial").exists());
}

/// A small deterministic generator for the kill times.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[test]
fn a_sweep_killed_at_any_moment_resumes_to_the_same_records() {
    // 6 points over a year, in small chunks: long enough (about a second or two, in the profile
    // the tests are built in) to be killed mid-way several times.
    let (replications, chunk) = if cfg!(debug_assertions) {
        (40, 3)
    } else {
        (400, 10)
    };
    let text = GRID
        .replace("horizon_days = 60", "horizon_days = 365")
        .replace(
            "replications = 12",
            &format!("replications = {replications}"),
        )
        .replace(
            "chunk_replications = 5",
            &format!("chunk_replications = {chunk}"),
        );
    let dir = workdir("grid.toml", &text);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "whole", "-q"]);
    let folder = dir.path().join("killed");
    let mut random = Lcg(20_251_126);
    let mut cut_mid_way = 0;
    for _ in 0..6 {
        let resuming = folder.join("manifest.json").exists();
        let args: Vec<&str> = if resuming {
            vec!["sweep", "--resume", "killed", "-q"]
        } else {
            vec!["sweep", "grid.toml", "--out", "killed", "-q"]
        };
        let mut child = command(dir.path(), &args).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(50 + random.next(400)));
        // SIGKILL: no handler runs, whatever the sweep was doing.
        child.kill().unwrap();
        child.wait().unwrap();
        if folder.join("manifest.json").exists() && manifest(&folder)["status"] == "running" {
            cut_mid_way += 1;
        }
    }
    assert!(cut_mid_way > 0, "no kill landed while the sweep ran");
    if folder.join("manifest.json").exists() {
        ok(dir.path(), &["sweep", "--resume", "killed", "-q"]);
    } else {
        ok(dir.path(), &["sweep", "grid.toml", "--out", "killed", "-q"]);
    }
    assert_same_runs(&dir.path().join("whole"), &folder);
    assert_eq!(manifest(&folder)["status"], "complete");
    for sub in [folder.clone(), folder.join("chunks")] {
        for name in listing(&sub) {
            assert!(
                !name.starts_with('.'),
                "leftover {name} in {}",
                sub.display()
            );
        }
    }
}

#[test]
fn an_interrupted_sweep_resumes_with_its_chunks_and_leftovers_removed() {
    let dir = workdir("grid.toml", GRID);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "whole", "-q"]);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "cut", "-q"]);
    // As if killed while writing the last chunk: the chunk gone, a half-written file left behind.
    let cut = dir.path().join("cut");
    fs::remove_file(cut.join("runs.parquet")).unwrap();
    fs::remove_file(cut.join("chunks/chunk-b000002-g000000.parquet")).unwrap();
    fs::write(
        cut.join("chunks/.chunk-b000002-g000000.parquet.tmp-99999"),
        "half",
    )
    .unwrap();
    let mut m = manifest(&cut);
    m["status"] = "running".into();
    fs::write(cut.join("manifest.json"), m.to_string()).unwrap();
    let output = ok(dir.path(), &["sweep", "--resume", "cut"]);
    assert!(
        stdout(&output).contains("60 done before"),
        "{}",
        stdout(&output)
    );
    assert_same_runs(&dir.path().join("whole"), &cut);
    assert_eq!(listing(&cut.join("chunks")).len(), 3);
    assert_eq!(manifest(&cut)["status"], "complete");
    assert_eq!(manifest(&cut)["resumed_utc"].as_array().unwrap().len(), 1);
}

/// Rows `0..n` and `n..2n` of every column but `point` (two points of one chunk) are equal.
fn same_apart_from_point(batch: &RecordBatch, n: usize) -> bool {
    let schema = batch.schema();
    schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name() != "point")
        .all(|(i, _)| {
            let column = batch.column(i);
            column.slice(0, n).to_data() == column.slice(n, n).to_data()
        })
}

#[test]
fn common_random_numbers_give_identical_records_where_the_model_reads_nothing_new() {
    // The two points differ only in the description, which the model never reads.
    let text = r#"
name = "crn"
horizon_days = 60
[sweep]
design = "grid"
replications = 10
[[sweep.parameters]]
key = "description"
values = ["first", "second"]
"#;
    let dir = workdir("crn.toml", text);
    ok(dir.path(), &["sweep", "crn.toml", "--out", "crn", "-q"]);
    let records = batches(&dir.path().join("crn/runs.parquet"));
    assert_eq!(records.len(), 1);
    let batch = &records[0];
    assert_eq!(batch.num_rows(), 20);
    let expected: Vec<u64> = (0..20).map(|i| i / 10).collect();
    assert_eq!(u64s(&records, "point"), expected);
    assert!(same_apart_from_point(batch, 10));

    fs::write(
        dir.path().join("independent.toml"),
        text.replace("replications = 10", "replications = 10\ncrn = false"),
    )
    .unwrap();
    ok(
        dir.path(),
        &["sweep", "independent.toml", "--out", "independent", "-q"],
    );
    let records = batches(&dir.path().join("independent/runs.parquet"));
    assert!(!same_apart_from_point(&records[0], 10));
    let m = manifest(&dir.path().join("independent"));
    assert_eq!(m["crn"], false);
    assert!(m["crn_meaning"].as_str().unwrap().contains("independent"));
}

const PRECISION: &str = r#"
name = "precise"
horizon_days = 90
[sweep]
design = "grid"
chunk_replications = 20
[sweep.precision]
outcome = "violated"
half_width = 0.1
min_replications = 40
max_replications = 200
[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call"]
[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
values = [0, 30]
[[sweep.parameters]]
key = "aggressor.resolve_sigma"
values = [0.0, 1.0]
"#;

#[test]
fn a_precision_target_stops_each_point_as_soon_as_it_is_met() {
    let dir = workdir("precise.toml", PRECISION);
    ok(dir.path(), &["sweep", "precise.toml", "--out", "p", "-q"]);
    let records = batches(&dir.path().join("p/runs.parquet"));
    let point = u64s(&records, "point");
    let replication = u64s(&records, "replication");
    let violated = bools(&records, "violated");
    let mut stopped_early = 0;
    for p in 0..8 {
        let mine: Vec<usize> = (0..point.len()).filter(|&i| point[i] == p).collect();
        let n = mine.len() as u64;
        assert!((40..=200).contains(&n), "point {p}: {n} replications");
        assert_eq!(n % 20, 0, "point {p}: whole blocks");
        let reps: Vec<u64> = mine.iter().map(|&i| replication[i]).collect();
        assert_eq!(
            reps.iter().max(),
            Some(&(n - 1)),
            "point {p}: replications 0 to n - 1"
        );
        let hits = |below: u64| {
            mine.iter()
                .filter(|&&i| replication[i] < below && violated[i])
                .count() as u64
        };
        if n < 200 {
            stopped_early += 1;
            assert!(
                wilson_half_width(hits(n), n) <= 0.1,
                "point {p} stopped at {n} without meeting the target"
            );
        }
        if n > 40 {
            assert!(
                wilson_half_width(hits(n - 20), n - 20) > 0.1,
                "point {p} ran a block more than it needed"
            );
        }
    }
    assert!(stopped_early > 0, "every point ran to the maximum");
    let m = manifest(&dir.path().join("p"));
    assert_eq!(m["replications"]["outcome"], "violated");
    assert_eq!(m["replications"]["max_replications"], 200);

    // Cut short and resumed: the tallies come back from the chunk files.
    ok(dir.path(), &["sweep", "precise.toml", "--out", "cut", "-q"]);
    let cut = dir.path().join("cut");
    let mut chunks = listing(&cut.join("chunks"));
    chunks.sort();
    for name in &chunks[2..] {
        fs::remove_file(cut.join("chunks").join(name)).unwrap();
    }
    fs::remove_file(cut.join("runs.parquet")).unwrap();
    ok(dir.path(), &["sweep", "--resume", "cut", "-q"]);
    assert_same_runs(&dir.path().join("p"), &cut);

    // Shards of a precision sweep share out whole point groups; here there is one group, so a
    // second shard would have nothing to do and is refused, with the count of groups; one shard
    // merged equals the whole sweep.
    refused(
        dir.path(),
        &[
            "sweep",
            "precise.toml",
            "--shard",
            "1/2",
            "--out",
            "shard1",
            "-q",
        ],
        &["only 1 point groups", "at most 1 shards"],
    );
    assert!(!dir.path().join("shard1").exists());
    ok(
        dir.path(),
        &[
            "sweep",
            "precise.toml",
            "--shard",
            "0/1",
            "--out",
            "shard0",
            "-q",
        ],
    );
    ok(dir.path(), &["merge", "shard0", "--out", "merged"]);
    assert_same_runs(&dir.path().join("p"), &dir.path().join("merged"));
    refused(
        dir.path(),
        &["sweep", "precise.toml", "--replications", "5"],
        &["precision target"],
    );
}

#[test]
fn replay_reproduces_a_stored_record_and_writes_its_trace() {
    let dir = workdir("grid.toml", GRID);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "s", "-q"]);
    let output = ok(dir.path(), &["replay", "s", "4", "7", "--out", "trace.csv"]);
    let text = stdout(&output);
    for expected in [
        "point         4",
        "replication   7",
        "guarantors.air_cover.level = \"on_call\"",
        "identical to the record stored in",
        "chunk-b000001-g000000.parquet",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    let trace = fs::read_to_string(dir.path().join("trace.csv")).unwrap();
    assert_eq!(
        trace.lines().next(),
        Some(
            "time_minutes,day,event,actor,sector,class,outcome,count,covers_day,mean,recommitment"
        )
    );
    assert!(trace.lines().count() > 1);
    // A default name in the current folder.
    ok(dir.path(), &["replay", "s", "0", "0"]);
    assert!(dir.path().join("trace_point0_rep0.csv").exists());
    refused(
        dir.path(),
        &["replay", "s", "6", "0"],
        &["POINT 6", "0 to 5"],
    );
    refused(dir.path(), &["replay", "s", "0", "12"], &["REP 12"]);
}

#[test]
fn design_writes_csv_and_parquet_with_the_expected_rows() {
    let text = r#"
name = "sobol"
[sweep]
design = "saltelli"
samples = 8
[[sweep.parameters]]
key = "guarantors.air_cover.auth_median_hours"
min = 1
max = 48
[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
min = 0
max = 30
[[sweep.parameters]]
key = "guarantors.reassurance.p_tripwire"
min = 0
max = 1
"#;
    let dir = workdir("sobol.toml", text);
    ok(dir.path(), &["design", "sobol.toml", "--out", "points.csv"]);
    let csv = fs::read_to_string(dir.path().join("points.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "point,guarantors.air_cover.auth_median_hours,guarantors.reassurance.troops_rear,\
             guarantors.reassurance.p_tripwire,role,unit_0,unit_1,unit_2,base"
        )
    );
    assert_eq!(lines.count(), 8 * (3 + 2));
    ok(
        dir.path(),
        &["design", "sobol.toml", "--out", "points.parquet"],
    );
    let points = batches(&dir.path().join("points.parquet"));
    assert_eq!(rows(&points), 8 * (3 + 2));
    assert_eq!(column_names(&points)[4], "role");

    let ishigami = workspace().join("configs/designs/ishigami.toml");
    let ishigami = ishigami.to_str().unwrap();
    let output = ok(
        dir.path(),
        &["design", ishigami, "--out", "ishigami.parquet"],
    );
    assert!(
        stdout(&output).contains("1280 points"),
        "{}",
        stdout(&output)
    );
    let points = batches(&dir.path().join("ishigami.parquet"));
    assert_eq!(rows(&points), 256 * (3 + 2));
    assert_eq!(
        column_names(&points),
        [
            "point", "x1", "x2", "x3", "role", "unit_0", "unit_1", "unit_2", "base"
        ]
    );
    let x1 = points[0].column(1);
    let x1 = x1.as_any().downcast_ref::<Float64Array>().unwrap();
    assert!(x1.values().iter().all(|x| x.abs() <= std::f64::consts::PI));

    refused(
        dir.path(),
        &["design", "sobol.toml", "--out", "points.txt"],
        &[".csv or .parquet"],
    );
    fs::write(
        dir.path().join("free.toml"),
        "[design]\ndesign = \"lhs\"\nsamples = 4\nsampels = 3\n[[design.parameters]]\nkey = \"a\"\nmin = 0\nmax = 1\n",
    )
    .unwrap();
    refused(
        dir.path(),
        &["design", "free.toml", "--out", "free.csv"],
        &["design.sampels", "did you mean `samples`"],
    );
    assert!(!dir.path().join("free.csv").exists());
}

/// Copies `configs/` into `dir/configs`, each example sweep shortened to 30 days and, with a
/// precision target, to a few replications.
fn shortened_examples(dir: &Path) -> Vec<String> {
    let configs = workspace().join("configs");
    fs::create_dir_all(dir.join("configs/sweeps")).unwrap();
    fs::create_dir_all(dir.join("configs/designs")).unwrap();
    for entry in fs::read_dir(&configs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            fs::copy(&path, dir.join("configs").join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut names = Vec::new();
    for entry in fs::read_dir(configs.join("sweeps")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
        table.insert("horizon_days".into(), toml::Value::Integer(30));
        let sweep = table.get_mut("sweep").unwrap().as_table_mut().unwrap();
        if let Some(precision) = sweep.get_mut("precision").and_then(|p| p.as_table_mut()) {
            precision.insert("min_replications".into(), toml::Value::Integer(2));
            precision.insert("max_replications".into(), toml::Value::Integer(4));
            sweep.insert("chunk_replications".into(), toml::Value::Integer(2));
        }
        fs::write(
            dir.join("configs/sweeps").join(&name),
            toml::to_string(&table).unwrap(),
        )
        .unwrap();
        names.push(name);
    }
    names.sort();
    names
}

#[test]
fn every_example_sweep_runs() {
    let dir = tempfile::tempdir().unwrap();
    let names = shortened_examples(dir.path());
    for required in [
        "air_cover_vs_troops.toml",
        "credibility_vs_latency.toml",
        "morris_screening.toml",
        "precision_collapse.toml",
        "sobol_screening.toml",
    ] {
        assert!(names.iter().any(|n| n == required), "{required} is missing");
    }
    for name in &names {
        let file = format!("configs/sweeps/{name}");
        let out = format!("out-{name}");
        let original = fs::read_to_string(workspace().join(&file)).unwrap();
        assert!(
            original.starts_with("# "),
            "{file} begins with its question"
        );
        let precision = original.contains("[sweep.precision]");
        let mut args = vec!["sweep", file.as_str(), "--out", out.as_str(), "-q"];
        if !precision {
            args.extend(["--replications", "2"]);
        }
        ok(dir.path(), &args);
        let folder = dir.path().join(&out);
        assert_eq!(manifest(&folder)["status"], "complete", "{name}");
        let points = rows(&batches(&folder.join("points.parquet")));
        let records = rows(&batches(&folder.join("runs.parquet")));
        if precision {
            assert!(records >= 2 * points && records <= 4 * points, "{name}");
        } else {
            assert_eq!(records, 2 * points, "{name}");
        }
        // The design command agrees on the points.
        let csv = format!("{out}.csv");
        ok(dir.path(), &["design", &file, "--out", &csv]);
        let lines = fs::read_to_string(dir.path().join(&csv))
            .unwrap()
            .lines()
            .count();
        assert_eq!(lines, points + 1, "{name}");
    }
    // validate checks sweep files as sweeps; run points to the sweep command.
    let mut args = vec!["validate".to_string()];
    args.extend(names.iter().map(|n| format!("configs/sweeps/{n}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = ok(dir.path(), &args);
    assert_eq!(stdout(&output).matches("ok: ").count(), names.len());
    refused(
        dir.path(),
        &["run", "configs/sweeps/air_cover_vs_troops.toml"],
        &["truce sweep configs/sweeps/air_cover_vs_troops.toml"],
    );
    let sizes: Vec<usize> = ["air_cover_vs_troops", "sobol_screening", "morris_screening"]
        .iter()
        .map(|n| {
            rows(&batches(
                &dir.path().join(format!("out-{n}.toml/points.parquet")),
            ))
        })
        .collect();
    assert_eq!(sizes, [20, 16 * (4 + 2), 10 * (6 + 1)]);
}

/// Bad input exits with 2, says what is wrong, and creates nothing.
#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "unknown parameter key",
            GRID.replace("guarantors.air_cover.level", "guarantors.air_cover.levle"),
            vec![
                "s.toml: sweep.parameters[0]",
                "\"guarantors.air_cover.level\"",
            ],
        ),
        (
            "unknown sweep field",
            GRID.replace(
                "design = \"grid\"",
                "design = \"grid\"\nchunk_replication = 4",
            ),
            vec![
                "sweep.chunk_replication: unknown key; valid keys in [sweep] are",
                "did you mean `chunk_replications`?",
            ],
        ),
        (
            "empty values",
            GRID.replace(r#"values = ["none", "on_call"]"#, "values = []"),
            vec!["s.toml: sweep.parameters[0]", "empty"],
        ),
        (
            "empty range",
            GRID.replace("design = \"grid\"", "design = \"lhs\"\nsamples = 4")
                .replace("min = 0\nmax = 30\nsteps = 3", "min = 5\nmax = 5"),
            vec!["s.toml: sweep", "min must be < max (got min = 5, max = 5)"],
        ),
        (
            "zero steps",
            GRID.replace("steps = 3", "steps = 0"),
            vec!["s.toml: sweep", "steps must be >= 1"],
        ),
        (
            "wrong value type",
            GRID.replace(r#"values = ["none", "on_call"]"#, "values = [1, 2]"),
            vec!["s.toml: sweep.parameters[0]", "string"],
        ),
        (
            "value outside the valid range",
            GRID.replace(
                "guarantors.reassurance.troops_rear",
                "guarantors.reassurance.p_tripwire",
            )
            .replace("max = 30", "max = 1.5"),
            vec!["s.toml: point 2: guarantors.reassurance.p_tripwire", "1.5"],
        ),
        (
            "too many points",
            GRID.replace("design = \"grid\"", "design = \"grid\"\nmax_points = 4"),
            vec![
                "s.toml: the grid design has 6 points",
                "max_points = 4",
                "--yes",
            ],
        ),
        (
            "no sweep table",
            "name = \"plain\"\n".to_string(),
            vec!["s.toml: has no [sweep] table"],
        ),
        (
            "missing base",
            GRID.replace(
                "design = \"grid\"",
                "design = \"grid\"\nbase = \"nope.toml\"",
            ),
            vec!["s.toml: sweep.base", "nope.toml"],
        ),
    ];
    for (case, text, expected) in cases {
        let dir = workdir("s.toml", &text);
        let output = truce(dir.path(), &["sweep", "s.toml", "--out", "out", "-q"]);
        assert_exit(&output, 2);
        let err = stderr(&output);
        for e in &expected {
            assert!(err.contains(e), "{case}: expected {e:?} in\n{err}");
        }
        assert_eq!(
            listing(dir.path()),
            ["s.toml"],
            "{case}: something was written"
        );
        // The design command checks the same way.
        let output = truce(dir.path(), &["design", "s.toml", "--out", "d.csv"]);
        assert_exit(&output, 2);
        assert_eq!(
            listing(dir.path()),
            ["s.toml"],
            "{case}: design wrote something"
        );
    }
    // --yes lets the large design run.
    let dir = workdir(
        "s.toml",
        &GRID.replace("design = \"grid\"", "design = \"grid\"\nmax_points = 4"),
    );
    ok(
        dir.path(),
        &["sweep", "s.toml", "--out", "out", "--yes", "-q"],
    );
}

#[test]
fn bad_flags_and_folders_are_refused() {
    let dir = workdir("grid.toml", GRID);
    refused(
        dir.path(),
        &["sweep", "grid.toml", "--shard", "3/3", "--out", "x"],
        &["--shard 3/3", "0 to 2"],
    );
    refused(
        dir.path(),
        &["sweep", "grid.toml", "--shard", "slurm", "--out", "x"],
        &["SLURM_ARRAY_TASK_ID"],
    );
    assert_eq!(listing(dir.path()), ["grid.toml"]);
    let output = command(
        dir.path(),
        &[
            "sweep",
            "grid.toml",
            "--shard",
            "slurm",
            "--out",
            "slurm1",
            "-q",
        ],
    )
    .env("SLURM_ARRAY_TASK_ID", "1")
    .env("SLURM_ARRAY_TASK_COUNT", "3")
    .output()
    .unwrap();
    assert_exit(&output, 0);
    assert_eq!(manifest(&dir.path().join("slurm1"))["shard"]["index"], 1);

    // --resume on a folder that is not a sweep, or from another version.
    fs::create_dir(dir.path().join("plain")).unwrap();
    fs::write(dir.path().join("plain/notes.txt"), "mine").unwrap();
    refused(
        dir.path(),
        &["sweep", "--resume", "plain"],
        &[
            "--resume plain: not a sweep folder",
            "sweep.toml and manifest.json are missing",
        ],
    );
    assert_eq!(listing(&dir.path().join("plain")), ["notes.txt"]);
    refused(
        dir.path(),
        &["sweep", "--resume", "nowhere"],
        &["no such folder"],
    );
    ok(dir.path(), &["sweep", "grid.toml", "--out", "old", "-q"]);
    let mut m = manifest(&dir.path().join("old"));
    m["truce_version"] = "0.0.1".into();
    fs::write(dir.path().join("old/manifest.json"), m.to_string()).unwrap();
    refused(
        dir.path(),
        &["sweep", "--resume", "old"],
        &["written by truce 0.0.1"],
    );
    let mut m = manifest(&dir.path().join("old"));
    m["truce_version"] = env!("CARGO_PKG_VERSION").into();
    fs::write(dir.path().join("old/manifest.json"), m.to_string()).unwrap();
    let resolved = fs::read_to_string(dir.path().join("old/sweep.toml")).unwrap();
    fs::write(
        dir.path().join("old/sweep.toml"),
        resolved.replace("replications = 12", "replications = 13"),
    )
    .unwrap();
    refused(
        dir.path(),
        &["sweep", "--resume", "old"],
        &["sweep.toml: changed since the sweep started"],
    );

    // Shards of different sweeps.
    ok(
        dir.path(),
        &["sweep", "grid.toml", "--shard", "0/2", "--out", "a0", "-q"],
    );
    ok(
        dir.path(),
        &[
            "sweep",
            "grid.toml",
            "--shard",
            "1/2",
            "--seed",
            "5",
            "--out",
            "b1",
            "-q",
        ],
    );
    refused(
        dir.path(),
        &["merge", "a0", "b1", "--out", "m"],
        &["not shards of one sweep", "a0", "b1"],
    );
    assert!(!dir.path().join("m").exists());
    // --out must be new or empty; a sweep folder there is pointed to --resume.
    refused(
        dir.path(),
        &["sweep", "grid.toml", "--out", "a0"],
        &["already holds a sweep", "--resume a0"],
    );
    refused(
        dir.path(),
        &["sweep", "grid.toml", "--out", "plain"],
        &["not empty"],
    );
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["sweep", "merge", "replay", "design"] {
        let output = ok(dir.path(), &[command, "--help"]);
        let text = stdout(&output);
        assert!(
            text.contains("Example") && text.contains("Exit codes:"),
            "{command}: {text}"
        );
    }
}
