//! End-to-end tests that a sweep folder never passes on a wrong number: damaged, copied and
//! foreign chunks and a damaged `runs.parquet` are caught on resume and merge, and two processes
//! never work on one folder at once.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use support::{assert_exit, command, ok, refused, stderr, truce, workdir};

mod support;

/// A 2 x 3 grid over 60 days: 6 points, 12 replications in chunks of 5, 5 and 2 replications.
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

const FIRST: &str = "chunks/chunk-b000000-g000000.parquet";
const SECOND: &str = "chunks/chunk-b000001-g000000.parquet";

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Marks a complete sweep folder as interrupted before its end: no `runs.parquet`, still running.
fn unfinish(folder: &Path) {
    fs::remove_file(folder.join("runs.parquet")).unwrap();
    let mut m = manifest(folder);
    m["status"] = "running".into();
    fs::write(folder.join("manifest.json"), m.to_string()).unwrap();
}

/// Flips a few bytes in the middle of a file.
fn damage(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4] {
        *b ^= 0x5a;
    }
    fs::write(path, bytes).unwrap();
}

fn same_bytes(a: &Path, b: &Path) -> bool {
    fs::read(a).unwrap() == fs::read(b).unwrap()
}

/// A finished sweep in `whole` and a copy of it in `cut`.
fn two_sweeps() -> tempfile::TempDir {
    let dir = workdir("grid.toml", GRID);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "whole", "-q"]);
    ok(dir.path(), &["sweep", "grid.toml", "--out", "cut", "-q"]);
    dir
}

#[test]
fn the_manifest_records_every_chunk_and_runs_parquet() {
    let dir = two_sweeps();
    let m = manifest(&dir.path().join("whole"));
    let first = &m["chunk_files"]["chunk-b000000-g000000.parquet"];
    assert_eq!(first["rows"], 30);
    assert_eq!(first["points"], serde_json::json!([0, 6]));
    assert_eq!(first["replications"], serde_json::json!([0, 5]));
    assert_eq!(first["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        m["chunk_files"]["chunk-b000002-g000000.parquet"]["rows"],
        12
    );
    assert_eq!(m["runs"]["rows"], 72);
}

#[test]
fn a_damaged_chunk_is_run_again_on_resume() {
    let dir = two_sweeps();
    let cut = dir.path().join("cut");
    unfinish(&cut);
    damage(&cut.join(FIRST));
    let output = ok(dir.path(), &["sweep", "--resume", "cut", "-q"]);
    let err = stderr(&output);
    assert!(
        err.contains("chunk-b000000-g000000.parquet") && err.contains("running it again"),
        "{err}"
    );
    assert!(same_bytes(
        &dir.path().join("whole").join(FIRST),
        &cut.join(FIRST)
    ));
    assert!(same_bytes(
        &dir.path().join("whole/runs.parquet"),
        &cut.join("runs.parquet")
    ));
}

#[test]
fn a_chunk_copied_over_another_is_refused() {
    let dir = two_sweeps();
    let cut = dir.path().join("cut");
    unfinish(&cut);
    fs::copy(cut.join(FIRST), cut.join(SECOND)).unwrap();
    refused(
        dir.path(),
        &["sweep", "--resume", "cut", "-q"],
        &[
            "chunk-b000001-g000000.parquet",
            "copy of another chunk",
            "truce sweep --resume cut",
        ],
    );
    assert!(!cut.join("runs.parquet").exists());
}

#[test]
fn a_chunk_of_another_sweep_is_refused() {
    let dir = two_sweeps();
    ok(
        dir.path(),
        &["sweep", "grid.toml", "--out", "other", "--seed", "9", "-q"],
    );
    let cut = dir.path().join("cut");
    unfinish(&cut);
    fs::copy(dir.path().join("other").join(SECOND), cut.join(SECOND)).unwrap();
    refused(
        dir.path(),
        &["sweep", "--resume", "cut", "-q"],
        &["chunk-b000001-g000000.parquet", "another sweep"],
    );
}

#[test]
fn a_truncated_runs_parquet_of_a_complete_sweep_is_rebuilt() {
    let dir = two_sweeps();
    let cut = dir.path().join("cut");
    let runs = cut.join("runs.parquet");
    let bytes = fs::read(&runs).unwrap();
    fs::write(&runs, &bytes[..bytes.len() / 2]).unwrap();
    let output = ok(dir.path(), &["sweep", "--resume", "cut", "-q"]);
    assert!(
        stderr(&output).contains("rebuilding it"),
        "{}",
        stderr(&output)
    );
    assert!(same_bytes(&dir.path().join("whole/runs.parquet"), &runs));
}

#[test]
fn merge_refuses_a_damaged_shard_chunk_and_names_the_shards_file() {
    let dir = workdir("grid.toml", GRID);
    for i in ["0", "1"] {
        let spec = format!("{i}/2");
        let out = format!("s{i}");
        ok(
            dir.path(),
            &["sweep", "grid.toml", "--shard", &spec, "--out", &out, "-q"],
        );
    }
    let chunk = fs::read_dir(dir.path().join("s0/chunks"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    damage(&chunk);
    let name = chunk.file_name().unwrap().to_string_lossy().into_owned();
    let err = refused(
        dir.path(),
        &["merge", "s0", "s1", "--out", "merged"],
        &[&format!("s0/chunks/{name}"), "truce sweep --resume s0"],
    );
    assert!(!err.contains(".partial-"), "{err}");
    assert!(!dir.path().join("merged").exists());
    // Resuming the shard runs the damaged chunk again, and the merge then goes through.
    ok(dir.path(), &["sweep", "--resume", "s0", "-q"]);
    ok(dir.path(), &["merge", "s0", "s1", "--out", "merged"]);
}

#[test]
fn a_second_process_on_one_folder_is_refused_with_the_first_ones_pid() {
    // Long enough (a year, many replications) to still be running when the second one starts.
    let text = GRID
        .replace("horizon_days = 60", "horizon_days = 365")
        .replace("replications = 12", "replications = 4000")
        .replace("chunk_replications = 5", "chunk_replications = 50");
    let dir = workdir("grid.toml", &text);
    let mut first = command(
        dir.path(),
        &[
            "sweep",
            "grid.toml",
            "--out",
            "busy",
            "-q",
            "--threads",
            "1",
        ],
    )
    .spawn()
    .unwrap();
    let lock = dir.path().join("busy/.truce-lock");
    let waited = Instant::now();
    while !lock.exists() && waited.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = truce(dir.path(), &["sweep", "--resume", "busy", "-q"]);
    let still_running = first.try_wait().unwrap().is_none();
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(
        still_running,
        "the first sweep ended before the second started"
    );
    assert_exit(&output, 2);
    let err = stderr(&output);
    assert!(
        err.contains("another truce process") && err.contains(&first.id().to_string()),
        "{err}"
    );
}
