//! Golden hashes of `runs.parquet`: every bundled scenario run by `truce run` (300 replications at
//! its own horizon) and every bundled sweep run by `truce sweep` (a year, few replications), so
//! that a change not meant to move the model's numbers, or the file's bytes, is caught.
//!
//! The expected SHA-256 of each file is in `tests/golden/runs_sha256.txt`. After a deliberate
//! change, run `TRUCE_BLESS=1 cargo test --workspace --release --test golden`, review the diff and
//! say why in the commit.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use support::{ok, workspace};

mod support;

fn sha256(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Sha256::digest(&bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn tomls(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bundled_scenario_and_sweep_writes_its_golden_runs_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let configs = workspace().join("configs");
    let mut actual = String::new();
    for path in tomls(&configs) {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let out = format!("run-{name}");
        ok(
            dir.path(),
            &[
                "run",
                &path.display().to_string(),
                "-n",
                "300",
                "--out",
                &out,
                "-q",
            ],
        );
        let hash = sha256(&dir.path().join(&out).join("runs.parquet"));
        writeln!(actual, "run {name} {hash}").unwrap();
    }
    for path in tomls(&configs.join("sweeps")) {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        // A year, few replications; the base stays where the file says, relative to it.
        let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
        table.insert("horizon_days".into(), toml::Value::Integer(365));
        let sweep = table.get_mut("sweep").unwrap().as_table_mut().unwrap();
        if let Some(base) = sweep.get("base").and_then(|b| b.as_str()) {
            let base = configs.join("sweeps").join(base);
            sweep.insert("base".into(), base.display().to_string().into());
        }
        let precision = sweep
            .get_mut("precision")
            .and_then(|p| p.as_table_mut())
            .map(|p| {
                p.insert("min_replications".into(), toml::Value::Integer(20));
                p.insert("max_replications".into(), toml::Value::Integer(40));
            })
            .is_some();
        if precision {
            sweep.insert("chunk_replications".into(), toml::Value::Integer(20));
        }
        let file = dir.path().join(format!("{name}.toml"));
        fs::write(&file, toml::to_string(&table).unwrap()).unwrap();
        let out = format!("sweep-{name}");
        let mut args = vec![
            "sweep".to_string(),
            file.display().to_string(),
            "--out".into(),
            out.clone(),
            "-q".into(),
        ];
        if !precision {
            args.extend(["--replications".into(), "8".into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(dir.path(), &args);
        let hash = sha256(&dir.path().join(&out).join("runs.parquet"));
        writeln!(actual, "sweep {name} {hash}").unwrap();
    }
    let golden = workspace().join("tests/golden/runs_sha256.txt");
    if std::env::var_os("TRUCE_BLESS").is_some() {
        fs::create_dir_all(golden.parent().unwrap()).unwrap();
        fs::write(&golden, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "runs.parquet moved: if on purpose, rerun with TRUCE_BLESS=1 and say why in the commit"
    );
}
