//! End-to-end tests of the `truce` binary: what a run writes, what validation reports,
//! and the exit codes of bad input. Each test works in its own temporary folder.

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::{assert_exit, listing, stderr, stdout, workspace};

mod support;

/// A short scenario: the model's defaults over 30 days.
const SHORT: &str = "name = \"short\"\nhorizon_days = 30\nreplications = 4\n";

/// Runs `truce` in `dir` with standard input closed.
fn truce(dir: &Path, args: &[&str]) -> Output {
    truce_with_input(dir, args, "")
}

fn truce_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the truce binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A temporary folder holding `short.toml`.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("short.toml"), SHORT).unwrap();
    dir
}

/// The column names and row count of a Parquet file.
fn parquet_columns_and_rows(path: &Path) -> (Vec<String>, i64) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap()).unwrap();
    let columns = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let rows = builder.metadata().file_metadata().num_rows();
    (columns, rows)
}

#[test]
fn run_writes_parquet_manifest_and_trace_into_a_timestamped_folder() {
    let dir = workdir();
    let output = truce(
        dir.path(),
        &[
            "run",
            "short.toml",
            "-n",
            "6",
            "--seed",
            "3",
            "--trace",
            "2",
            "--quiet",
        ],
    );
    assert_exit(&output, 0);

    let scenario_dir = dir.path().join("results/short");
    let runs = listing(&scenario_dir);
    assert_eq!(
        runs.len(),
        1,
        "one run folder and no staging leftover: {runs:?}"
    );
    let name = &runs[0];
    assert!(
        name.len() == 20 && name.ends_with('Z') && name.as_bytes()[10] == b'T',
        "UTC time folder like 2026-11-26T03-41-07Z: {name}"
    );
    let folder = scenario_dir.join(name);
    assert_eq!(
        listing(&folder),
        ["manifest.json", "runs.parquet", "trace_2.csv"]
    );

    let (columns, rows) = parquet_columns_and_rows(&folder.join("runs.parquet"));
    assert_eq!(rows, 6);
    assert_eq!(&columns[..2], ["point", "replication"]);
    for column in [
        "seed",
        "violated",
        "first_violation_day",
        "collapse_cause",
        "max_class",
        "offensive_outcome",
        "coalition_at_war",
        "belief_reassurance_hit",
        "belief_tripwire",
        "events",
    ] {
        assert!(
            columns.iter().any(|c| c == column),
            "{column} in {columns:?}"
        );
    }
    let per_class = |prefix: &str| columns.iter().filter(|c| c.starts_with(prefix)).count();
    assert!(per_class("committed_") > 0);
    assert_eq!(per_class("committed_"), per_class("detected_"));
    assert_eq!(per_class("committed_"), per_class("attributed_"));

    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(folder.join("manifest.json")).unwrap()).unwrap();
    for key in [
        "truce_version",
        "scenario",
        "config_path",
        "config_sha256",
        "base_seed",
        "replications",
        "point",
        "trace_replication",
        "trace_replications",
        "threads",
        "rng",
        "crates",
        "git",
        "command_line",
        "started_utc",
        "wall_seconds",
        "files",
        "config",
    ] {
        assert!(manifest.get(key).is_some(), "manifest key {key}");
    }
    assert_eq!(manifest["scenario"], "short");
    assert_eq!(manifest["config_path"], "short.toml");
    assert_eq!(manifest["base_seed"], 3);
    assert_eq!(manifest["replications"], 6);
    assert_eq!(manifest["config"]["horizon_days"], 30.0);
    assert_eq!(manifest["config"]["replications"], 6);
    assert_eq!(manifest["config_sha256"].as_str().unwrap().len(), 64);
    for name in ["rand", "rand_distr", "rayon", "parquet"] {
        assert!(manifest["crates"][name].is_string(), "version of {name}");
    }
    assert!(manifest["rng"]["algorithm"].is_string());
    assert!(manifest["rng"]["seed_derivation"].is_string());

    let trace = fs::read_to_string(folder.join("trace_2.csv")).unwrap();
    assert_eq!(
        trace.lines().next(),
        Some(
            "time_minutes,day,event,actor,sector,class,outcome,count,covers_day,mean,recommitment"
        )
    );

    let summary = stdout(&output);
    for text in [
        "P(serious violation)",
        "P(collapse)",
        "P(settled)",
        "collapse causes",
        "coalition went to war",
        name.as_str(),
    ] {
        assert!(summary.contains(text), "{text} in\n{summary}");
    }
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn the_same_seed_gives_the_same_records_at_any_thread_count() {
    let dir = workdir();
    let one = truce(dir.path(), &["run", "short.toml", "--out", "a", "-j", "1"]);
    let two = truce(dir.path(), &["run", "short.toml", "--out", "b", "-j", "2"]);
    assert_exit(&one, 0);
    assert_exit(&two, 0);
    let sha = |run: &str| -> serde_json::Value {
        let text = fs::read_to_string(dir.path().join(run).join("manifest.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["config_sha256"].clone()
    };
    assert_eq!(sha("a"), sha("b"));
    let read = |run: &str| {
        let file = fs::File::open(dir.path().join(run).join("runs.parquet")).unwrap();
        ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap()
            .map(|b| b.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(read("a"), read("b"));
}

#[test]
fn out_writes_exactly_into_a_new_or_empty_folder() {
    let dir = workdir();
    assert_exit(
        &truce(dir.path(), &["run", "short.toml", "--out", "deep/new"]),
        0,
    );
    assert!(dir.path().join("deep/new/runs.parquet").exists());
    fs::create_dir(dir.path().join("empty")).unwrap();
    assert_exit(
        &truce(dir.path(), &["run", "short.toml", "--out", "empty"]),
        0,
    );
    assert!(dir.path().join("empty/manifest.json").exists());
    assert_eq!(listing(dir.path()), ["deep", "empty", "short.toml"]);
}

#[test]
fn out_pointing_at_a_non_empty_folder_is_refused_and_left_untouched() {
    let dir = workdir();
    let taken = dir.path().join("taken");
    fs::create_dir(&taken).unwrap();
    fs::write(taken.join("notes.txt"), "mine").unwrap();
    let output = truce(dir.path(), &["run", "short.toml", "--out", "taken"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("--out taken: the folder is not empty"),
        "{}",
        stderr(&output)
    );
    assert_eq!(listing(&taken), ["notes.txt"]);
    assert_eq!(fs::read_to_string(taken.join("notes.txt")).unwrap(), "mine");
    assert_eq!(listing(dir.path()), ["short.toml", "taken"]);
}

#[test]
fn a_missing_config_file_exits_2_naming_the_file() {
    let dir = workdir();
    let output = truce(dir.path(), &["run", "configs/nope.toml"]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).starts_with("error: configs/nope.toml: cannot read the config file: "),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("results").exists());
    assert_exit(&truce(dir.path(), &["validate", "configs/nope.toml"]), 2);
}

#[test]
fn a_trace_beyond_the_replications_exits_2_before_running() {
    let dir = workdir();
    let output = truce(
        dir.path(),
        &["run", "short.toml", "-n", "3", "--trace", "3"],
    );
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--trace 3"), "{}", stderr(&output));
    assert!(!dir.path().join("results").exists());
}

#[test]
fn bad_flags_exit_2() {
    let dir = workdir();
    for args in [
        &["run", "short.toml", "--replications", "0"][..],
        &["run", "short.toml", "--threads", "0"],
        &["run", "short.toml", "--seed", "minus-one"],
        &["run", "--no-such-flag"],
        &["validate"],
        &["config"],
    ] {
        assert_exit(&truce(dir.path(), args), 2);
    }
    assert!(!dir.path().join("results").exists());
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let dir = workdir();
    for args in [&["--help"][..], &["run", "--help"], &["validate", "--help"]] {
        let output = truce(dir.path(), args);
        assert_exit(&output, 0);
        let text = stdout(&output);
        assert!(
            text.contains("Examples:") && text.contains("Exit codes:"),
            "{text}"
        );
    }
    let output = truce(dir.path(), &["config", "--help"]);
    assert!(stdout(&output).contains("Example:"));
}

#[test]
fn every_shipped_config_is_valid() {
    let configs = workspace().join("configs");
    let Ok(entries) = fs::read_dir(&configs) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return;
    }
    let args: Vec<String> = std::iter::once("validate".to_string())
        .chain(paths.iter().map(|p| p.display().to_string()))
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = truce(&workspace(), &args);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output)
            .lines()
            .filter(|l| l.starts_with("ok: "))
            .count(),
        paths.len()
    );
}

/// Every `tests/bad_configs/*.toml` is refused with exit code 2 and the text of its `.expected` file
/// (`x.expected` or `x.toml.expected` beside it), by `validate` and by `run`, which writes nothing.
/// The file is copied to the same relative path in a temporary folder, so that messages name it as in the repository.
#[test]
fn every_bad_config_is_refused_with_its_expected_message() {
    let bad = workspace().join("tests/bad_configs");
    let Ok(entries) = fs::read_dir(&bad) else {
        return;
    };
    let mut cases: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            cases.insert(
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            );
        }
    }
    for (name, path) in cases {
        let stem = name.trim_end_matches(".toml");
        let expected = [
            bad.join(format!("{stem}.expected")),
            bad.join(format!("{name}.expected")),
        ]
        .into_iter()
        .find_map(|p| fs::read_to_string(p).ok())
        .unwrap_or_else(|| panic!("tests/bad_configs/{name} has no .expected file"));

        let dir = tempfile::tempdir().unwrap();
        let relative = format!("tests/bad_configs/{name}");
        fs::create_dir_all(dir.path().join("tests/bad_configs")).unwrap();
        fs::copy(&path, dir.path().join(&relative)).unwrap();
        for command in ["validate", "run"] {
            let output = truce(dir.path(), &[command, &relative]);
            assert_exit(&output, 2);
            let err = stderr(&output);
            for line in expected.lines().map(str::trim).filter(|l| !l.is_empty()) {
                assert!(
                    err.contains(line),
                    "{command} {relative}: expected\n{line}\nin stderr:\n{err}"
                );
            }
            assert!(!err.contains("panicked"), "{err}");
        }
        assert_eq!(
            listing(dir.path()),
            ["tests"],
            "{name} created a results folder"
        );
    }
}

#[test]
fn validate_reports_each_config_and_fails_if_any_is_invalid() {
    let dir = workdir();
    fs::write(
        dir.path().join("typo.toml"),
        "name = \"t\"\nhorizon_dayz = 30\n",
    )
    .unwrap();
    let output = truce(dir.path(), &["validate", "short.toml", "typo.toml"]);
    assert_exit(&output, 2);
    assert!(stdout(&output).contains("ok: short.toml (short)"));
    let err = stderr(&output);
    assert!(err.contains("typo.toml:2:"), "{err}");
    assert!(err.contains("horizon_dayz"), "{err}");
}

#[test]
fn the_default_config_is_the_baseline_file_and_valid() {
    let dir = workdir();
    let output = truce(dir.path(), &["config", "--print-default"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    assert_eq!(
        text,
        fs::read_to_string(workspace().join("configs/baseline.toml")).unwrap()
    );
    let output = truce_with_input(dir.path(), &["validate", "-"], &text);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).starts_with("ok: <stdin> ("),
        "{}",
        stdout(&output)
    );
}
