//! A sweep folder: its files, its manifest, and how chunks get into it and out of it.
//!
//! Layout:
//! - `sweep.toml`: the resolved sweep, enough to resume, replay or merge without the original files;
//! - `points.parquet`: one row per point ([`super::points`]);
//! - `chunks/<chunk file name>`: the records of one chunk, in the schema of `runs.parquet`;
//! - `manifest.json`: [`SweepManifest`], rewritten after each chunk;
//! - `runs.parquet`: when the sweep is complete (and not a shard), every chunk's records in plan
//!   order, one row group per chunk.
//!
//! Every file is written under a temporary name and renamed into place ([`super::TempFile`]), so a
//! file with its final name is whole: a chunk file that exists is a chunk that is done.

use super::check::{ChunkCheck, FileCheck};
use super::manifest::sha256_hex;
use super::points::{self, Order};
use super::runs::{self, RunsWriter};
use super::{TempFile, is_temporary, write_atomically};
use crate::error::user;
use anyhow::{Context, Result, anyhow};
use arrow_array::{Array, BooleanArray, UInt64Array};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use truce_sim::sweep::{Chunk, Replications, Sweep, Tally};
use truce_sim::{Record, Scenario};

pub use truce_formats::folder::{CHUNKS, MANIFEST, POINTS, RUNS, SWEEP_TOML};

/// Rows per batch when chunk files are read back.
const READ_BATCH: usize = 65_536;

/// Whether a sweep is still running (or was interrupted) or has every chunk it plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Running,
    Complete,
}

/// Shard `index` (from 0) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RngInfo {
    pub algorithm: String,
    pub seed_derivation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GitInfo {
    pub revision: Option<String>,
    pub dirty: Option<bool>,
}

/// `manifest.json` of a sweep folder, written with its keys in this order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    pub truce_version: String,
    /// Always `sweep`: tells a sweep folder from a run folder.
    pub kind: String,
    /// The scenario's name.
    pub sweep: String,
    /// The sweep file as given; `null` for a merged folder.
    pub sweep_file: Option<String>,
    /// SHA-256 of `sweep.toml`'s bytes, in hex.
    pub sweep_sha256: String,
    pub seed: u64,
    pub rng: RngInfo,
    pub crates: BTreeMap<String, String>,
    pub git: GitInfo,
    pub command_line: Vec<String>,
    /// UTC start time, RFC 3339.
    pub started_utc: String,
    /// UTC start times of each `--resume`.
    #[serde(default)]
    pub resumed_utc: Vec<String>,
    /// Wall time of every invocation that worked on the folder, added up.
    pub wall_seconds: f64,
    /// Worker threads of the latest invocation.
    pub threads: usize,
    pub design: String,
    /// The parameters' keys, in the order of the points' values.
    pub parameters: Vec<String>,
    pub points: u64,
    /// A count per point, or the precision target.
    pub replications: serde_json::Value,
    pub crn: bool,
    /// What `crn` means, in a sentence.
    pub crn_meaning: String,
    pub chunk_replications: u64,
    pub chunk_points: u64,
    /// The point comparisons are made against (`sweep.reference`, by default 0).
    #[serde(default)]
    pub reference: Option<u64>,
    pub shard: Option<Shard>,
    pub status: Status,
    /// File names under `chunks/`, in the order they were completed.
    pub chunks_completed: Vec<String>,
    /// Row count, (point, replication) range and SHA-256 of each chunk file, by file name,
    /// recorded as it is written and checked before a resume or a merge uses the file.
    #[serde(default)]
    pub chunk_files: BTreeMap<String, ChunkCheck>,
    /// Row count and SHA-256 of `runs.parquet`, once it is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<FileCheck>,
    /// For a merged folder: the shard folders it was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Vec<String>>,
}

impl SweepManifest {
    /// The manifest of a sweep that has not run a chunk yet.
    pub fn new(sweep: &Sweep, sweep_sha256: String, shard: Option<Shard>) -> Self {
        let provenance = super::blocks::Provenance::current();
        Self {
            truce_version: provenance.truce_version,
            kind: "sweep".into(),
            sweep: sweep.base_config.name.clone(),
            sweep_file: None,
            sweep_sha256,
            seed: sweep.seed,
            rng: provenance.rng,
            crates: provenance.crates,
            git: provenance.git,
            command_line: provenance.command_line,
            started_utc: String::new(),
            resumed_utc: Vec::new(),
            wall_seconds: 0.0,
            threads: 0,
            design: sweep.design.name().into(),
            parameters: sweep.parameters.iter().map(|p| p.name.clone()).collect(),
            points: sweep.points.len() as u64,
            replications: match &sweep.replications {
                Replications::Fixed(n) => serde_json::json!(n),
                Replications::Precision(p) => serde_json::json!({
                    "outcome": p.outcome,
                    "half_width": p.half_width,
                    "min_replications": p.min_replications,
                    "max_replications": p.max_replications,
                }),
            },
            crn: sweep.crn,
            crn_meaning: crn_meaning(sweep.crn).into(),
            chunk_replications: sweep.chunk_replications,
            chunk_points: sweep.chunk_points as u64,
            // Point 0 unless the sweep names another, as the documentation says.
            reference: Some(sweep.config.reference.unwrap_or(0)),
            shard,
            status: Status::Running,
            chunks_completed: Vec::new(),
            chunk_files: BTreeMap::new(),
            runs: None,
            merged_from: None,
        }
    }

    /// Reads `DIR/manifest.json`; a missing or foreign file is bad input.
    pub fn read(dir: &Path) -> Result<Self> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| user(format!("{}: cannot read it: {e}", path.display())))?;
        let manifest: Self = serde_json::from_str(&text).map_err(|e| {
            user(format!(
                "{}: not the manifest of a sweep folder ({e})",
                path.display()
            ))
        })?;
        if manifest.kind != "sweep" {
            return Err(user(format!(
                "{}: not the manifest of a sweep folder (kind \"{}\")",
                path.display(),
                manifest.kind
            )));
        }
        Ok(manifest)
    }

    /// Writes `DIR/manifest.json` atomically.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut json =
            serde_json::to_string_pretty(self).context("cannot serialise the manifest")?;
        json.push('\n');
        write_atomically(&dir.join(MANIFEST), json.as_bytes())
    }
}

/// What common random numbers mean, for the manifest.
pub fn crn_meaning(crn: bool) -> &'static str {
    if crn {
        "Common random numbers: replication r of every point is seeded from (seed, 0, r), so every \
         source of randomness draws the same numbers at every point and differences between points \
         are not blurred by sampling noise; points are therefore not independent samples."
    } else {
        "Independent streams: replication r of point p is seeded from (seed, p, r), so the points \
         are statistically independent samples."
    }
}

/// Checks that `dir` holds a sweep written by this truce; returns its manifest and `sweep.toml`.
/// `what` names the command-line argument that named the folder, for messages.
pub fn open(dir: &Path, what: &str) -> Result<(SweepManifest, String)> {
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(user(format!("{what} {shown}: no such folder")));
    }
    let missing: Vec<&str> = [SWEEP_TOML, MANIFEST]
        .into_iter()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(user(format!(
            "{what} {shown}: not a sweep folder: {} {} missing",
            missing.join(" and "),
            if missing.len() == 1 { "is" } else { "are" }
        )));
    }
    let manifest = SweepManifest::read(dir)?;
    let version = env!("CARGO_PKG_VERSION");
    if manifest.truce_version != version {
        return Err(user(format!(
            "{what} {shown}: written by truce {}, but this is truce {version}; \
             use truce {} with this folder, or start the sweep again",
            manifest.truce_version, manifest.truce_version
        )));
    }
    let toml_path = dir.join(SWEEP_TOML);
    let text = std::fs::read_to_string(&toml_path)
        .map_err(|e| user(format!("{}: cannot read it: {e}", toml_path.display())))?;
    if sha256_hex(text.as_bytes()) != manifest.sweep_sha256 {
        return Err(user(format!(
            "{}: changed since the sweep started (its SHA-256 is not the manifest's sweep_sha256); \
             restore it, or start a new sweep",
            toml_path.display()
        )));
    }
    Ok((manifest, text))
}

/// Key-value pairs in the footer of chunk files and `runs.parquet`.
pub fn metadata(sweep: &Sweep, sweep_sha256: &str) -> Vec<(String, String)> {
    vec![
        ("truce.sweep".into(), sweep.base_config.name.clone()),
        ("truce.sweep_sha256".into(), sweep_sha256.into()),
        ("truce.seed".into(), sweep.seed.to_string()),
        ("truce.version".into(), env!("CARGO_PKG_VERSION").into()),
    ]
}

/// Writes `points.parquet` into `dir`.
pub fn write_points(dir: &Path, sweep: &Sweep, sweep_sha256: &str) -> Result<()> {
    let names: Vec<String> = sweep.parameters.iter().map(|p| p.name.clone()).collect();
    let table = points::table(&names, &sweep.points, Order::RoleFirst);
    let target = dir.join(POINTS);
    let temp = TempFile::new(&target);
    table.write_parquet(temp.path(), metadata(sweep, sweep_sha256))?;
    temp.persist()
}

/// `DIR/chunks/<chunk file name>`.
pub fn chunk_path(dir: &Path, chunk: &Chunk) -> PathBuf {
    dir.join(CHUNKS).join(chunk_file_name(chunk))
}

/// A chunk's file name: stable, and sorting in chunk order.
pub fn chunk_file_name(chunk: &Chunk) -> String {
    format!("chunk-b{:06}-g{:06}.parquet", chunk.block, chunk.group)
}

/// A chunk's records, written under a temporary name: persist it to make the chunk done.
pub fn write_chunk(
    path: &Path,
    scenario: &Scenario,
    records: &[Record],
    metadata: Vec<(String, String)>,
) -> Result<TempFile> {
    let temp = TempFile::new(path);
    let mut writer = RunsWriter::create(temp.path(), scenario, metadata, None)?;
    writer.write_records(records)?;
    writer.finish()?;
    Ok(temp)
}

/// Removes the temporary files a killed process left in `dir` and `dir/chunks`; returns how many.
pub fn remove_temporaries(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    for folder in [dir.to_path_buf(), dir.join(CHUNKS)] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", folder.display()))?;
            if is_temporary(&entry.file_name().to_string_lossy()) {
                std::fs::remove_file(entry.path()).with_context(|| {
                    format!("cannot remove the leftover {}", entry.path().display())
                })?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Adds the binary outcome `outcome` of every record of a chunk file to the tallies of its points.
pub fn add_tallies(path: &Path, outcome: &str, tallies: &mut [Tally]) -> Result<()> {
    for batch in runs::read_columns(path, &["point", outcome])? {
        let batch = batch?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| anyhow!("{}: no column {name}", path.display()))
        };
        let points = column("point")?;
        let points = points
            .as_any()
            .downcast_ref::<UInt64Array>()
            .ok_or_else(|| anyhow!("{}: point is not an integer column", path.display()))?;
        let hits = column(outcome)?;
        let hits = hits
            .as_any()
            .downcast_ref::<BooleanArray>()
            .ok_or_else(|| anyhow!("{}: {outcome} is not a boolean column", path.display()))?;
        for i in 0..batch.num_rows() {
            let tally = tallies.get_mut(points.value(i) as usize).ok_or_else(|| {
                anyhow!("{}: point {} out of range", path.display(), points.value(i))
            })?;
            tally.n += 1;
            tally.hits += u64::from(hits.is_valid(i) && hits.value(i));
        }
    }
    Ok(())
}

/// Writes `runs.parquet` into `dir` from the chunk files `chunks`, in order, one row group per
/// chunk, reading one batch at a time; returns the number of rows.
pub fn write_runs(
    dir: &Path,
    scenario: &Scenario,
    chunks: &[PathBuf],
    metadata: Vec<(String, String)>,
) -> Result<u64> {
    let mut joiner = Joiner::create(dir, scenario, metadata)?;
    for chunk in chunks {
        joiner.append(chunk)?;
    }
    joiner.finish()
}

/// `runs.parquet` being joined from chunk files, one chunk at a time and in plan order, into a
/// temporary file that [`Joiner::finish`] renames into place. A sweep appends each chunk as soon
/// as it is written, so that joining costs no time at the end; the bytes are those of
/// [`write_runs`] over the same chunks, whenever the chunks are appended.
#[derive(Debug)]
pub struct Joiner {
    temp: TempFile,
    writer: RunsWriter,
    rows: u64,
}

impl Joiner {
    /// Starts `runs.parquet` in `dir`.
    pub fn create(
        dir: &Path,
        scenario: &Scenario,
        metadata: Vec<(String, String)>,
    ) -> Result<Self> {
        let temp = TempFile::new(&dir.join(RUNS));
        let writer = RunsWriter::create(temp.path(), scenario, metadata, None)?;
        Ok(Self {
            temp,
            writer,
            rows: 0,
        })
    }

    /// Appends the records of the chunk file `chunk` as one row group, one batch at a time.
    pub fn append(&mut self, chunk: &Path) -> Result<()> {
        for batch in runs::read_batches(chunk, READ_BATCH)? {
            let batch = batch?;
            self.rows += batch.num_rows() as u64;
            self.writer.write_batch(&batch)?;
        }
        self.writer.end_row_group()
    }

    /// Writes the footer and renames the file into place; returns the number of rows.
    pub fn finish(self) -> Result<u64> {
        self.writer.finish()?;
        super::committing(|| self.temp.persist())?;
        Ok(self.rows)
    }
}

/// The scenario whose ladder names the record columns: every point shares it.
pub fn schema_scenario(sweep: &Sweep) -> Result<Scenario> {
    sweep
        .scenario(0)
        .map_err(|e| anyhow!("point 0 no longer builds a scenario: {e}"))
}

/// `seed` as written to `sweep.toml` (TOML integers are signed 64-bit).
pub fn seed_as_toml(value: u64) -> Result<toml::Value> {
    i64::try_from(value)
        .map(toml::Value::Integer)
        .map_err(|_| user(format!("seed {value}: must be at most {}", i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep() -> Sweep {
        let text = "name = \"t\"\nhorizon_days = 10\n[sweep]\ndesign = \"grid\"\nreplications = 3\n\
                    [[sweep.parameters]]\nkey = \"description\"\nvalues = [\"a\", \"b\"]\n";
        let (config, table) = truce_sim::sweep::split(text).unwrap().unwrap();
        Sweep::new(config, table, None).unwrap()
    }

    #[test]
    fn the_manifest_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = SweepManifest::new(
            &sweep(),
            "ab".repeat(32),
            Some(Shard { index: 1, count: 2 }),
        );
        manifest
            .chunks_completed
            .push("chunk-b000000-g000000.parquet".into());
        manifest.write(dir.path()).unwrap();
        assert_eq!(SweepManifest::read(dir.path()).unwrap(), manifest);
        assert_eq!(manifest.replications, serde_json::json!(3));
        assert!(!manifest.crn_meaning.is_empty());
    }

    #[test]
    fn the_manifest_has_the_keys_the_analysis_reads() {
        use truce_formats::manifest as keys;
        let mut manifest = SweepManifest::new(&sweep(), "ab".repeat(32), None);
        manifest.reference = Some(1);
        manifest.status = Status::Complete;
        let json = serde_json::to_value(&manifest).unwrap();
        assert_eq!(json[keys::SWEEP], "t");
        assert_eq!(json[keys::STATUS], keys::COMPLETE);
        assert_eq!(json[keys::CRN], true);
        assert_eq!(json[keys::REFERENCE], 1);
        manifest.shard = Some(Shard { index: 1, count: 2 });
        let json = serde_json::to_value(&manifest).unwrap();
        assert_eq!(json[keys::SHARD][keys::SHARD_INDEX], 1);
        assert_eq!(json[keys::SHARD][keys::SHARD_COUNT], 2);
    }

    #[test]
    fn leftovers_of_a_killed_process_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(CHUNKS)).unwrap();
        for name in [
            "chunks/.chunk-b000000-g000000.parquet.tmp-123",
            "chunks/chunk-b000001-g000000.parquet",
            ".manifest.json.tmp-9",
            "manifest.json",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(remove_temporaries(dir.path()).unwrap(), 2);
        assert!(
            dir.path()
                .join("chunks/chunk-b000001-g000000.parquet")
                .exists()
        );
        assert!(dir.path().join("manifest.json").exists());
        assert_eq!(
            std::fs::read_dir(dir.path().join(CHUNKS)).unwrap().count(),
            1
        );
    }

    #[test]
    fn tallies_come_back_from_a_chunk_file() {
        let sweep = sweep();
        let scenario = schema_scenario(&sweep).unwrap();
        let records: Vec<Record> = (0..4)
            .map(|i| Record {
                point: i % 2,
                replication: i / 2,
                violated: i != 1,
                ..Record::default()
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chunk.parquet");
        write_chunk(&path, &scenario, &records, Vec::new())
            .unwrap()
            .persist()
            .unwrap();
        let mut tallies = vec![Tally::default(); 2];
        add_tallies(&path, "violated", &mut tallies).unwrap();
        assert_eq!(tallies[0], Tally { hits: 2, n: 2 });
        assert_eq!(tallies[1], Tally { hits: 1, n: 2 });
    }
}
