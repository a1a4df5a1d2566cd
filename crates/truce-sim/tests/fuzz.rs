//! A structured, seeded mutation fuzzer of the config, sweep and design readers, in process.
//!
//! Each case takes a bundled file (`configs/`, `configs/sweeps/`, `configs/designs/`) and applies
//! one to three mutations: lines and tables deleted or duplicated, values swapped between keys,
//! huge, tiny, infinite and not-a-number values, long strings, deep nesting, random bytes. It
//! then asserts that:
//! - nothing panics;
//! - nothing allocates more than [`MEMORY_LIMIT`] (the test's allocator refuses, and the process
//!   aborts with "memory allocation failed");
//! - every refusal names a key or a line;
//! - every config that validates builds a `Scenario` and runs one short replication, and every
//!   sweep that validates builds its first point and runs one short replication of it.
//!
//! Length: `TRUCE_FUZZ_CASES` cases (default [`CI_CASES`], about a minute in release), from seed
//! `TRUCE_FUZZ_SEED` (default 1); each case is a pure function of (seed, case index), so
//! `TRUCE_FUZZ_FIRST=N TRUCE_FUZZ_CASES=1` replays case N. Failures are written to
//! `TRUCE_FUZZ_FINDINGS` (default the system's temporary folder), to be added to the regression
//! corpus `tests/fuzz_corpus/`, whose every file is checked by the same oracle on every run.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use truce_sim::design;
use truce_sim::sweep::{self, Sweep, SweepError};
use truce_sim::{ConfigError, Scenario, validate};

/// Refuses every allocation that would take the test's memory above this.
const MEMORY_LIMIT: usize = 2 << 30;

#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, MEMORY_LIMIT);

/// Cases run by default, as CI does.
const CI_CASES: u64 = 20_000;

/// Designs larger than this are counted but not built (each point builds a scenario).
const BUILD_POINTS: usize = 2_000;

/// Cases refused with a message, and cases that validated and ran a replication.
static REFUSED: AtomicU64 = AtomicU64::new(0);
static RAN: AtomicU64 = AtomicU64::new(0);

/// Horizon of the one replication a valid case runs, in days.
const SHORT_HORIZON_DAYS: f64 = 20.0;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: the fuzzer's own small generator.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, case: u64) -> Self {
        let mut r = Rng(seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What kind of file a text is, by its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Config,
    Sweep,
    Design,
}

/// A bundled file to mutate.
struct Seed {
    name: String,
    kind: Kind,
    text: String,
}

fn kind_of(text: &str) -> Kind {
    let opens = |table: &str| {
        text.lines().any(|l| {
            let l = l.trim_start().trim_start_matches('[').trim_start();
            l.starts_with(&format!("{table}]")) || l.starts_with(&format!("{table}."))
        })
    };
    if opens("sweep") {
        Kind::Sweep
    } else if opens("design") {
        Kind::Design
    } else {
        Kind::Config
    }
}

fn seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    for folder in ["configs", "configs/sweeps", "configs/designs"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(workspace().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(Seed {
                name: format!("{folder}/{}", path.file_name().unwrap().to_string_lossy()),
                kind: kind_of(&text),
                text,
            });
        }
    }
    out
}

/// Values that stress a reader: extremes, non-numbers, wrong types, long and odd strings.
const VALUES: [&str; 30] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "5e-324",
    "1e-9",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "100000000",
    "4294967296",
    "inf",
    "-inf",
    "nan",
    "\"inf\"",
    "\"nan\"",
    "\"\"",
    "true",
    "[]",
    "{}",
    "[1, 2, 3]",
    "[1e308, -1, nan]",
    "{ harassment = 2.0 }",
    "\"none\"",
    "\"../../etc/passwd\"",
    "\"no_fly_zone\"",
    "0.5",
    "1000",
    "65536",
    "1e6",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let assignments = |lines: &[String]| -> Vec<usize> {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start();
                !t.starts_with('#') && !t.starts_with('[') && t.contains('=')
            })
            .map(|(i, _)| i)
            .collect()
    };
    let headers = |lines: &[String]| -> Vec<usize> {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with('['))
            .map(|(i, _)| i)
            .collect()
    };
    let table_end = |lines: &[String], start: usize| {
        (start + 1..lines.len())
            .find(|&i| lines[i].trim_start().starts_with('['))
            .unwrap_or(lines.len())
    };
    for _ in 0..1 + rng.below(3) {
        let n = lines.len().max(1);
        match rng.below(12) {
            0 if !lines.is_empty() => {
                lines.remove(rng.below(lines.len()));
            }
            1 if !lines.is_empty() => {
                let i = rng.below(lines.len());
                let line = lines[i].clone();
                lines.insert(rng.below(n), line);
            }
            2 => {
                let h = headers(&lines);
                if !h.is_empty() {
                    let start = *rng.pick(&h);
                    let end = table_end(&lines, start);
                    lines.drain(start..end);
                }
            }
            3 => {
                let h = headers(&lines);
                if !h.is_empty() {
                    let start = *rng.pick(&h);
                    let end = table_end(&lines, start);
                    let table: Vec<String> = lines[start..end].to_vec();
                    lines.extend(table);
                }
            }
            4 => {
                // Swap the values of two keys.
                let a = assignments(&lines);
                if a.len() >= 2 {
                    let (i, j) = (*rng.pick(&a), *rng.pick(&a));
                    let (ki, vi) = lines[i].split_once('=').unwrap();
                    let (kj, vj) = lines[j].split_once('=').unwrap();
                    let (ki, vi, kj, vj) = (
                        ki.to_string(),
                        vi.to_string(),
                        kj.to_string(),
                        vj.to_string(),
                    );
                    lines[i] = format!("{ki}={vj}");
                    lines[j] = format!("{kj}={vi}");
                }
            }
            5..=7 => {
                let a = assignments(&lines);
                if !a.is_empty() {
                    let i = *rng.pick(&a);
                    let key = lines[i].split_once('=').unwrap().0.to_string();
                    lines[i] = format!("{key}= {}", rng.pick(&VALUES));
                }
            }
            8 => {
                let a = assignments(&lines);
                if !a.is_empty() {
                    let i = *rng.pick(&a);
                    let key = lines[i].split_once('=').unwrap().0.to_string();
                    let long = "x".repeat(1 + rng.below(5000));
                    lines[i] = format!("{key}= \"{long}\"");
                }
            }
            9 => {
                // Deep nesting, in keys or in values.
                let depth = 1 + rng.below(400);
                let line = if rng.below(2) == 0 {
                    format!("{} = 1", vec!["a"; depth].join("."))
                } else {
                    format!("x = {}1{}", "[".repeat(depth), "]".repeat(depth))
                };
                lines.insert(rng.below(n), line);
            }
            10 => {
                // Random bytes (as text) at a random place of a line.
                let i = rng.below(n);
                let bytes: String = (0..1 + rng.below(8))
                    .map(|_| char::from(rng.below(128) as u8))
                    .collect();
                if let Some(line) = lines.get_mut(i) {
                    let at = rng.below(line.len() + 1);
                    let at = (0..=at)
                        .rev()
                        .find(|&k| line.is_char_boundary(k))
                        .unwrap_or(0);
                    line.insert_str(at, &bytes);
                } else {
                    lines.push(bytes);
                }
            }
            _ => {
                // A size key set out of proportion.
                let key = rng.pick(&[
                    "geography.sectors",
                    "replications",
                    "horizon_days",
                    "aggressor.decision_interval_days",
                    "offensive.step_hours",
                    "negotiation.rate_per_month",
                ]);
                let value = rng.pick(&VALUES);
                lines.insert(0, format!("{key} = {value}"));
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Every refusal must say where: a key or a line.
fn names_a_place(e: &ConfigError) -> Result<(), String> {
    REFUSED.fetch_add(1, Ordering::Relaxed);
    match e {
        ConfigError::Parse { problem, line } => {
            if problem.key.is_empty() && line.is_none() {
                return Err(format!("a parse error with neither key nor line: {e}"));
            }
        }
        ConfigError::Invalid(problems) => {
            for p in problems {
                if p.key.is_empty() {
                    return Err(format!("a problem without a key: {p}"));
                }
            }
        }
    }
    Ok(())
}

fn sweep_names_a_place(e: &SweepError) -> Result<(), String> {
    match e {
        SweepError::Config(c) => names_a_place(c),
        SweepError::Invalid(problems) => {
            REFUSED.fetch_add(1, Ordering::Relaxed);
            for p in problems {
                if p.key.is_empty() {
                    return Err(format!("a sweep problem without a key: {p}"));
                }
            }
            Ok(())
        }
    }
}

/// Builds a scenario on a short horizon and runs one replication of it.
fn run_short(mut config: truce_sim::ScenarioConfig) -> Result<(), String> {
    config.horizon_days = config.horizon_days.min(SHORT_HORIZON_DAYS);
    let scenario =
        Scenario::from_config(config).map_err(|e| format!("a valid config does not build: {e}"))?;
    truce_sim::run_replication(&scenario, 1, 0, 0);
    RAN.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

fn check_config(text: &str) -> Result<(), String> {
    let config = match validate::parse(text) {
        Ok(c) => c,
        Err(e) => return names_a_place(&e),
    };
    let problems = validate::check(&config);
    if !problems.is_empty() {
        return names_a_place(&ConfigError::Invalid(problems));
    }
    run_short(config)
}

/// The base scenario a sweep file names, read as `truce sweep` reads it (relative to the file).
fn base_table(config: &sweep::SweepConfig, dir: &Path) -> Option<toml::Table> {
    let relative = config.base.as_ref()?;
    let text = std::fs::read_to_string(dir.join(relative)).ok()?;
    let table: toml::Table = text.parse().ok()?;
    (!table.contains_key("sweep")).then_some(table)
}

fn check_sweep(text: &str, dir: &Path) -> Result<(), String> {
    let (config, overlay) = match sweep::split(text) {
        Ok(Some(split)) => split,
        Ok(None) => return check_config(text),
        Err(e) => return sweep_names_a_place(&e),
    };
    let table = match &config.base {
        None => overlay,
        Some(_) => {
            // A base that cannot be read is the command line's refusal, not the reader's.
            let Some(mut base) = base_table(&config, dir) else {
                return Ok(());
            };
            sweep::merge(&mut base, overlay);
            base
        }
    };
    let design_table = config.design_table();
    if let (Ok(d), Ok(p)) = (
        sweep::design_of(&design_table),
        sweep::free_parameters(&design_table),
    ) && design::size(&d, &p).is_ok_and(|n| n > BUILD_POINTS)
    {
        return Ok(());
    }
    match Sweep::new(config, table, None) {
        Err(e) => sweep_names_a_place(&e),
        Ok(sweep) => {
            let scenario = sweep
                .scenario(0)
                .map_err(|e| format!("point 0 of a valid sweep does not build: {e}"))?;
            run_short(scenario.config)
        }
    }
}

fn check_design(text: &str) -> Result<(), String> {
    let Ok(mut table) = text.parse::<toml::Table>() else {
        // Not TOML: the sweep reader reports it with its line.
        return match sweep::split(text) {
            Err(e) => sweep_names_a_place(&e),
            Ok(_) => Err("text that is not TOML was read".into()),
        };
    };
    let Some(toml::Value::Table(fields)) = table.remove("design") else {
        return Ok(());
    };
    if fields
        .get("seed")
        .is_some_and(|v| !matches!(v, toml::Value::Integer(n) if *n >= 0))
    {
        // Refused by the command line with its own message.
        return Ok(());
    }
    let config = match sweep::DesignConfig::from_table(fields) {
        Ok(config) => config,
        Err(e) => return sweep_names_a_place(&e),
    };
    let (Ok(d), Ok(p)) = (sweep::design_of(&config), sweep::free_parameters(&config)) else {
        return Ok(());
    };
    match design::size(&d, &p) {
        Ok(n) if n <= 100 * BUILD_POINTS => {
            let points =
                design::expand(&d, &p, 1).map_err(|e| format!("size but no expand: {e}"))?;
            if points.len() != n {
                return Err(format!("size {n} but {} points", points.len()));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The oracle: runs one text through its reader, catching panics.
fn check(kind: Kind, text: &str) -> Result<(), String> {
    let sweeps = workspace().join("configs/sweeps");
    match catch_unwind(AssertUnwindSafe(|| match kind {
        Kind::Config => check_config(text),
        Kind::Sweep => check_sweep(text, &sweeps),
        Kind::Design => check_design(text),
    })) {
        Ok(result) => result,
        Err(payload) => Err(format!(
            "panicked: {}",
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

#[test]
fn the_regression_corpus_passes() {
    let corpus = workspace().join("tests/fuzz_corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} is empty", corpus.display());
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if let Err(why) = check(kind_of(&text), &text) {
            failures.push(format!("{}: {why}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mutated_bundled_files_are_read_without_panic_or_silence() {
    let cases = env_u64("TRUCE_FUZZ_CASES", CI_CASES);
    let seed = env_u64("TRUCE_FUZZ_SEED", 1);
    let first = env_u64("TRUCE_FUZZ_FIRST", 0);
    let findings = std::env::var_os("TRUCE_FUZZ_FINDINGS")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let seeds = seeds();
    // Caught panics are reported as findings; their default message would flood the output.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let started = std::time::Instant::now();
    for case in first..first + cases {
        let mut rng = Rng::new(seed, case);
        let origin = rng.pick(&seeds);
        let text = mutate(&origin.text, &mut rng);
        if let Err(why) = check(origin.kind, &text) {
            let file = findings.join(format!("fuzz-{seed}-{case}.toml"));
            let _ = std::fs::write(&file, &text);
            failures.push(format!(
                "case {case} (from {}): {why}\n  written to {}",
                origin.name,
                file.display()
            ));
            if failures.len() >= 20 {
                break;
            }
        }
        if case > first && (case - first).is_multiple_of(10_000) {
            eprintln!("fuzz: {} cases, {:?}", case - first, started.elapsed());
        }
    }
    std::panic::set_hook(hook);
    eprintln!(
        "fuzz: {cases} cases from seed {seed} in {:.1} s: {} refused with a message, {} ran a \
         replication, {} findings",
        started.elapsed().as_secs_f64(),
        REFUSED.load(Ordering::Relaxed),
        RAN.load(Ordering::Relaxed),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
