//! Golden hashes of the records of every bundled scenario: a change that is not meant to move the
//! model's numbers must leave every record, and the trace of one replication, bit-identical.
//!
//! Each scenario of `configs/`, and a few variants that reach code the bundled files do not (Thompson
//! probing, jittered epochs, combat rules, a 15-year horizon), runs 400 replications at its own
//! horizon, single-threaded; the hash is
//! 64-bit FNV-1a over the `Debug` text of every record (Rust prints each `f64` so that it reads back
//! to the same bits, so equal text means equal bits), and over the trace of replication 0.
//! The expected hashes are in `tests/golden/records.txt`, and in `records_v1_1.txt` for the same
//! scenarios with the mechanisms of version 1.2 off, which must give the records of version 1.1. After a deliberate change of the numbers,
//! run `TRUCE_BLESS=1 cargo test --release -p truce-sim --test golden`, review the diff and say why
//! in the commit. The end-to-end hashes of `runs.parquet` are in `tests/golden.rs` of the workspace.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use truce_sim::{Scenario, TraceRow};

const REPLICATIONS: u64 = 400;

/// A variant of a bundled scenario: (name, file, [(key, TOML value as `v = ...`)]).
type Variant = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const VARIANTS: &[Variant] = &[
    (
        "variant_thompson",
        "baseline.toml",
        &[("aggressor.probing", "v = \"thompson\"")],
    ),
    (
        "variant_jitter",
        "baseline.toml",
        &[("aggressor.decision_jitter_days", "v = 0.5")],
    ),
    (
        "variant_combat",
        "tripwire_on_the_line.toml",
        &[
            ("guarantors.reassurance.roe", "v = \"combat\""),
            ("aggressor.rationality", "v = 3.0"),
        ],
    ),
    (
        "variant_fifteen_years",
        "no_fly_zone.toml",
        &[("horizon_days", "v = 5479")],
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// 64-bit FNV-1a, fed incrementally.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The `Debug` text of a record without the fields added after its hashes were taken: the
/// per-contingent counts of version 1.2 (`nations`, the last field), whose totals are the
/// coalition's fields before them.
fn without_added_fields(text: &str) -> String {
    match text.find(", nations: [") {
        Some(at) => format!("{} }}", &text[..at]),
        None => text.to_string(),
    }
}

/// The hash of one scenario's records and of the trace of its replication 0.
fn scenario_hash(scenario: &Scenario) -> String {
    let mut records = Fnv::new();
    let mut text = String::new();
    for rep in 0..REPLICATIONS {
        let record = truce_sim::run_replication(scenario, scenario.config.seed, 0, rep);
        text.clear();
        write!(text, "{record:?}").unwrap();
        records.feed(without_added_fields(&text).as_bytes());
    }
    let mut trace = Fnv::new();
    let (_, rows) = truce_sim::trace_replication(scenario, scenario.config.seed, 0, 0);
    for row in &rows {
        text.clear();
        // Each row as `TraceRow`'s derived `Debug` wrote it before rows carried their figures:
        // those repeat numbers of the outcome's text (tests/charts.rs checks that they agree), so
        // the hash still pins every event and every word of the trace.
        let TraceRow {
            time,
            event,
            actor,
            sector,
            class,
            outcome,
            figures: _,
        } = row;
        write!(
            text,
            "TraceRow {{ time: {time:?}, event: {event:?}, actor: {actor:?}, sector: {sector:?}, class: {class:?}, outcome: {outcome:?} }}"
        )
        .unwrap();
        trace.feed(text.as_bytes());
    }
    format!("{:016x} {:016x}", records.0, trace.0)
}

/// The version 1.2 mechanisms off (docs/model.md, opening and section 14): every bundled scenario
/// must then give exactly the records of version 1.1.
const VERSION_1_1: &[(&str, &str)] = &[
    ("aggressor.power_at_signing", "v = 1.0"),
    ("defender.power_at_signing", "v = 1.0"),
    ("negotiation.settlement", "v = \"absorbing\""),
];

/// A bundled scenario file with overrides applied.
fn scenario(file: &Path, overrides: &[(&str, &str)]) -> Scenario {
    let text = fs::read_to_string(file).unwrap();
    let mut table: toml::Table = text.parse().unwrap();
    for (key, value) in overrides {
        let value: toml::Value = value.parse::<toml::Table>().unwrap()["v"].clone();
        truce_sim::sweep::set(&mut table, key, value).unwrap();
    }
    Scenario::from_toml_str(&toml::to_string(&table).unwrap())
        .unwrap_or_else(|e| panic!("{}", e.report(&file.display().to_string())))
}

/// The hashes of every bundled scenario and variant, each with `common` overrides too; with
/// `only`, of those whose name starts a line of it.
fn every_hash(common: &[(&str, &str)], only: Option<&str>) -> String {
    let wanted =
        |name: &str| only.is_none_or(|o| o.lines().any(|l| l.starts_with(&format!("{name} "))));
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("configs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut actual = String::new();
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy();
        if !wanted(&name) {
            continue;
        }
        writeln!(actual, "{name} {}", scenario_hash(&scenario(path, common))).unwrap();
    }
    for (name, file, overrides) in VARIANTS {
        if !wanted(name) {
            continue;
        }
        let overrides: Vec<_> = overrides.iter().chain(common).copied().collect();
        let sc = scenario(&root().join("configs").join(file), &overrides);
        writeln!(actual, "{name} {}", scenario_hash(&sc)).unwrap();
    }
    actual
}

/// Compares with (or, under `TRUCE_BLESS`, writes) `tests/golden/{file}`.
fn check_golden(actual: &str, file: &str) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(file);
    if std::env::var_os("TRUCE_BLESS").is_some() {
        fs::create_dir_all(golden.parent().unwrap()).unwrap();
        fs::write(&golden, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "records moved ({file}): if on purpose, rerun with TRUCE_BLESS=1 and say why in the commit"
    );
}

#[test]
fn every_bundled_scenario_gives_its_golden_records() {
    check_golden(&every_hash(&[], None), "records.txt");
}

/// With e_A = e_D = 1 and absorbing settlements, version 1.2 gives the records of version 1.1,
/// hashed before the version 1.2 mechanisms were written. Never re-bless this file for a change
/// of the new mechanisms; only a change of the version 1.1 model itself may move it.
#[test]
fn with_the_new_mechanisms_off_records_are_those_of_version_1_1() {
    // Only the scenarios that version 1.1 had; those added since have no version 1.1 records.
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/records_v1_1.txt");
    let v1_1 = fs::read_to_string(golden).unwrap();
    check_golden(&every_hash(VERSION_1_1, Some(&v1_1)), "records_v1_1.txt");
}
