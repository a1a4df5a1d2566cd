//! Checks of the files of a sweep folder: each chunk's row count, (point, replication) range and
//! SHA-256 are recorded in the manifest when it is written, and every chunk is checked against
//! them before a resume or a merge uses it, so a damaged, copied or foreign chunk never reaches
//! `runs.parquet`.

use super::runs;
use anyhow::{Context, Result, anyhow};
use arrow_array::{Array, UInt64Array};
use parquet::file::reader::{FileReader, SerializedFileReader};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// What the manifest records of one chunk file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkCheck {
    pub rows: u64,
    /// The chunk's points, `[first, end)`.
    pub points: [u64; 2],
    /// The chunk's replications, `[first, end)`.
    pub replications: [u64; 2],
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
}

/// What the manifest records of `runs.parquet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    pub rows: u64,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
}

/// SHA-256 of a file's bytes, in hex, read in blocks.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Whether a file's bytes are the ones recorded.
pub fn matches(path: &Path, sha256: &str) -> bool {
    sha256_file(path).is_ok_and(|s| s == sha256)
}

/// What a chunk file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its bytes are the ones the manifest recorded.
    Good,
    /// Unreadable, unrecorded or changed, but of this sweep and in its place: run it again.
    Damaged(String),
    /// From another sweep, or holding another chunk's records: the user must look at it.
    Foreign(String),
}

/// The (point, replication) pairs a chunk holds, in order: `points` point-major, each with
/// `replications`.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub points: &'a [u64],
    pub replications: std::ops::Range<u64>,
}

impl Expected<'_> {
    pub fn rows(&self) -> u64 {
        self.points.len() as u64 * (self.replications.end - self.replications.start)
    }

    /// The record of a chunk with these pairs and this file.
    pub fn check(&self, path: &Path) -> Result<ChunkCheck> {
        let first = self.points.first().copied().unwrap_or(0);
        let end = self.points.last().map_or(0, |p| p + 1);
        Ok(ChunkCheck {
            rows: self.rows(),
            points: [first, end],
            replications: [self.replications.start, self.replications.end],
            sha256: sha256_file(path)?,
        })
    }
}

/// Checks a chunk file against its record (if any), then, when that fails, looks inside it to
/// tell a damaged chunk of this sweep from a foreign or copied one.
pub fn verify_chunk(
    path: &Path,
    recorded: Option<&ChunkCheck>,
    expected: &Expected,
    sweep_sha256: &str,
) -> Verdict {
    let why = match recorded {
        Some(r) if r.rows == expected.rows() && matches(path, &r.sha256) => return Verdict::Good,
        Some(r) if r.rows != expected.rows() => format!(
            "the manifest records {} rows for it but the plan has {}",
            r.rows,
            expected.rows()
        ),
        Some(_) => "its SHA-256 is not the one the manifest recorded when it was written".into(),
        None => {
            "the manifest has no record of it (the process was stopped as it finished it)".into()
        }
    };
    match footer_sweep(path) {
        Err(e) => return Verdict::Damaged(format!("{why}, and it is unreadable ({e:#})")),
        Ok(Some(other)) if other != sweep_sha256 => {
            return Verdict::Foreign(format!(
                "comes from another sweep: its truce.sweep_sha256 is {}…, this sweep's is {}…",
                short(&other),
                short(sweep_sha256)
            ));
        }
        Ok(_) => {}
    }
    match pairs_match(path, expected) {
        Err(e) => Verdict::Damaged(format!("{why}, and it is unreadable ({e:#})")),
        Ok(Some(found)) => Verdict::Foreign(format!(
            "holds the records of other (point, replication) pairs than its name says ({found}; \
             it should hold points {}..{}, replications {}..{}): it is a copy of another chunk",
            expected.points.first().copied().unwrap_or(0),
            expected.points.last().map_or(0, |p| p + 1),
            expected.replications.start,
            expected.replications.end
        )),
        Ok(None) => Verdict::Damaged(why),
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// The `truce.sweep_sha256` of a Parquet file's footer, if it has one.
fn footer_sweep(path: &Path) -> Result<Option<String>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = SerializedFileReader::new(file).map_err(|e| anyhow!("{e}"))?;
    Ok(reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| {
            kv.iter()
                .find(|e| e.key == "truce.sweep_sha256")
                .and_then(|e| e.value.clone())
        }))
}

/// `None` when the file holds exactly the expected pairs in order; otherwise what it holds.
fn pairs_match(path: &Path, expected: &Expected) -> Result<Option<String>> {
    let per_point = expected.replications.end - expected.replications.start;
    let mut i = 0u64;
    let mut first: Option<(u64, u64)> = None;
    let mut wrong = false;
    for batch in runs::read_columns(path, &["point", "replication"])? {
        let batch = batch?;
        let column = |name: &str| -> Result<UInt64Array> {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_any().downcast_ref::<UInt64Array>().cloned())
                .ok_or_else(|| anyhow!("no integer column {name}"))
        };
        let (points, reps) = (column("point")?, column("replication")?);
        for j in 0..batch.num_rows() {
            let pair = (points.value(j), reps.value(j));
            first.get_or_insert(pair);
            let want = (i / per_point.max(1)) as usize;
            let ok = expected.points.get(want).is_some_and(|&p| p == pair.0)
                && expected.replications.start + i % per_point.max(1) == pair.1;
            wrong |= !ok;
            i += 1;
        }
    }
    if i != expected.rows() || wrong {
        let (p, r) = first.unwrap_or((0, 0));
        return Ok(Some(format!(
            "{i} rows, the first of point {p}, replication {r}"
        )));
    }
    Ok(None)
}

/// Checks `runs.parquet` against its record.
pub fn runs_intact(path: &Path, recorded: Option<&FileCheck>) -> bool {
    recorded.is_some_and(|r| path.is_file() && matches(path, &r.sha256))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::sha256_hex as digest;

    #[test]
    fn a_files_digest_is_its_bytes_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(sha256_file(&path).unwrap(), digest(&bytes));
        assert!(matches(&path, &digest(&bytes)));
        assert!(!matches(&path, &digest(b"other")));
    }

    #[test]
    fn an_unreadable_unrecorded_chunk_is_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chunk.parquet");
        std::fs::write(&path, "not parquet").unwrap();
        let expected = Expected {
            points: &[0, 1],
            replications: 0..5,
        };
        assert!(matches!(
            verify_chunk(&path, None, &expected, "ab"),
            Verdict::Damaged(_)
        ));
    }
}
