//! Golden hashes of `runs.parquet`: every bundled scenario run by `truce run` (300 replications at
//! its own horizon) and every bundled sweep run by `truce sweep` (a year, few replications), so
//! that a change not meant to move the model's numbers, or the file's bytes, is caught.
//!
//! The expected SHA-256 of each file is in `tests/golden/runs_sha256.txt`, and in
//! `runs_records_sha256_v1_1.txt` for the records of the same files with the mechanisms of
//! version 1.2 off. After a deliberate
//! change, run `TRUCE_BLESS=1 cargo test --workspace --release --test golden`, review the diff and
//! say why in the commit.

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use support::{ok, workspace};

mod support;

fn sha256(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    hex(&Sha256::digest(&bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Columns added to `runs.parquet` since the records of `runs_records_sha256*.txt` were hashed,
/// by prefix: per nation, per sector and the backstop's belief. They are left out of
/// [`records_sha256`], so that those hashes still say that every column of before holds the
/// same values.
const ADDED_COLUMNS: &[&str] = &[
    "r_casualties_harassment_",
    "r_casualties_serious_",
    "tripwire_triggered_",
    "tripwire_fired_",
    "belief_tripwire_",
    "belief_air_cover_hit",
    "grabs_committed_sector_",
    "grabs_succeeded_sector_",
    "r_casualties_sector_",
    "grabs_pending",
];

/// SHA-256 of the records of a `runs.parquet` alone, but for [`ADDED_COLUMNS`]: its batches
/// written again with no footer metadata (which holds, among others, the hash of the resolved
/// config, and so changes whenever the config gains a key, even one that changes no number).
fn records_sha256(path: &Path) -> String {
    let mut writer: Option<parquet::arrow::ArrowWriter<Vec<u8>>> = None;
    for batch in truce_records::read_batches(path, 1 << 20).unwrap() {
        let batch = batch.unwrap();
        let kept: Vec<usize> = (0..batch.num_columns())
            .filter(|&i| {
                let name = batch.schema().field(i).name().clone();
                !ADDED_COLUMNS.iter().any(|p| name.starts_with(p))
            })
            .collect();
        let batch = batch.project(&kept).unwrap();
        let schema = Arc::new(Schema::new(batch.schema().fields().clone()));
        let batch = RecordBatch::try_new(schema.clone(), batch.columns().to_vec()).unwrap();
        if writer.is_none() {
            writer = Some(parquet::arrow::ArrowWriter::try_new(Vec::new(), schema, None).unwrap());
        }
        writer.as_mut().unwrap().write(&batch).unwrap();
    }
    let bytes = writer.expect("a batch").into_inner().unwrap();
    hex(&Sha256::digest(&bytes))
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

/// The version 1.2 mechanisms off: every bundled scenario and sweep must then write the
/// `runs.parquet` of version 1.1.
fn version_1_1() -> Vec<(&'static str, toml::Value)> {
    vec![
        ("aggressor.power_at_signing", toml::Value::Float(1.0)),
        ("defender.power_at_signing", toml::Value::Float(1.0)),
        (
            "negotiation.settlement",
            toml::Value::String("absorbing".into()),
        ),
    ]
}

/// The hash of `runs.parquet` of every bundled scenario and sweep, each with `common` keys set;
/// with `only`, of those whose line (`run NAME` or `sweep NAME`) it lists.
fn every_hash(
    common: &[(&str, toml::Value)],
    only: Option<&str>,
    hash: fn(&Path) -> String,
) -> String {
    let wanted =
        |line: &str| only.is_none_or(|o| o.lines().any(|l| l.starts_with(&format!("{line} "))));
    let dir = tempfile::tempdir().unwrap();
    let configs = workspace().join("configs");
    let mut actual = String::new();
    for path in tomls(&configs) {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !wanted(&format!("run {name}")) {
            continue;
        }
        let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
        for (key, value) in common {
            truce_sim::sweep::set(&mut table, key, value.clone()).unwrap();
        }
        let file = dir.path().join(format!("scenario-{name}.toml"));
        fs::write(&file, toml::to_string(&table).unwrap()).unwrap();
        let out = format!("run-{name}");
        ok(
            dir.path(),
            &[
                "run",
                &file.display().to_string(),
                "-n",
                "300",
                "--out",
                &out,
                "-q",
            ],
        );
        let hash = hash(&dir.path().join(&out).join("runs.parquet"));
        writeln!(actual, "run {name} {hash}").unwrap();
    }
    for path in tomls(&configs.join("sweeps")) {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !wanted(&format!("sweep {name}")) {
            continue;
        }
        // A year, few replications; the base stays where the file says, relative to it.
        let mut table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
        table.insert("horizon_days".into(), toml::Value::Integer(365));
        for (key, value) in common {
            truce_sim::sweep::set(&mut table, key, value.clone()).unwrap();
        }
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
        let hash = hash(&dir.path().join(&out).join("runs.parquet"));
        writeln!(actual, "sweep {name} {hash}").unwrap();
    }
    actual
}

/// Compares with (or, under `TRUCE_BLESS`, writes) `tests/golden/{file}`.
fn check_golden(actual: &str, file: &str) {
    let golden = workspace().join("tests/golden").join(file);
    if std::env::var_os("TRUCE_BLESS").is_some() {
        fs::create_dir_all(golden.parent().unwrap()).unwrap();
        fs::write(&golden, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "runs.parquet moved ({file}): if on purpose, rerun with TRUCE_BLESS=1 and say why in the commit"
    );
}

#[test]
fn every_bundled_scenario_and_sweep_writes_its_golden_runs_parquet() {
    check_golden(&every_hash(&[], None, sha256), "runs_sha256.txt");
}

/// The records (their data, without the footer's metadata, and but for [`ADDED_COLUMNS`]) of
/// every bundled scenario and sweep that existed before the coalition's contingents, the
/// backstop and provocation (docs/model.md sections 15 to 17) were written, hashed with the binary of
/// before: the one-contingent shorthand, no backstop and no provocation must give them. Re-bless
/// only for a change of the model that is meant to move numbers.
#[test]
fn the_shorthand_force_writes_the_records_of_before_the_contingents() {
    let before =
        fs::read_to_string(workspace().join("tests/golden/runs_records_sha256.txt")).unwrap();
    // Written once, for every file of the time; files added since have no records of before.
    let only = Some(before.as_str()).filter(|b| !b.is_empty());
    check_golden(
        &every_hash(&[], only, records_sha256),
        "runs_records_sha256.txt",
    );
}

/// With e_A = e_D = 1 and absorbing settlements, the records of version 1.1 (their data, without
/// the footer's metadata), hashed with the binary of before the version 1.2 mechanisms were
/// written. Never re-bless this file for a change of the new mechanisms; only a change of the
/// version 1.1 model or of the columns may move it.
#[test]
fn with_the_new_mechanisms_off_runs_parquet_is_that_of_version_1_1() {
    // Only the files that version 1.1 had; scenarios added since have no version 1.1 records.
    let v1_1 =
        fs::read_to_string(workspace().join("tests/golden/runs_records_sha256_v1_1.txt")).unwrap();
    check_golden(
        &every_hash(&version_1_1(), Some(&v1_1), records_sha256),
        "runs_records_sha256_v1_1.txt",
    );
}
