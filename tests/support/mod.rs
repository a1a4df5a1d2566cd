//! Helpers shared by the end-to-end tests of the `truce` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root, where `configs/` is.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `truce` command, run in `dir` with standard input closed and no Slurm variables.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_truce"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .env_remove("SLURM_ARRAY_TASK_MIN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `truce` in `dir`.
pub fn truce(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("the truce binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Runs `truce` and expects success.
pub fn ok(dir: &Path, args: &[&str]) -> Output {
    let output = truce(dir, args);
    assert_exit(&output, 0);
    output
}

/// Runs `truce`, expects exit code 2 and an error containing every one of `texts`.
pub fn refused(dir: &Path, args: &[&str], texts: &[&str]) -> String {
    let output = truce(dir, args);
    assert_exit(&output, 2);
    let err = stderr(&output);
    for text in texts {
        assert!(err.contains(text), "{args:?}: expected {text:?} in\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A temporary folder holding `name` with `text`.
pub fn workdir(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), text).unwrap();
    dir
}

/// Names in a folder, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Rows of a CSV file as maps from column to cell.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// Runs the sweep `text` into `dir/out` and returns that folder.
pub fn sweep(dir: &Path, text: &str) -> PathBuf {
    fs::write(dir.join("sweep.toml"), text).unwrap();
    ok(
        dir,
        &["sweep", "sweep.toml", "--out", "out", "--quiet", "--yes"],
    );
    dir.join("out")
}
