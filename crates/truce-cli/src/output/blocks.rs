//! What the folders of `truce solve` and `truce calibrate` share: blocks of replications at values
//! chosen as the search goes, each written as a chunk file and listed in the manifest at once, so
//! that an interrupted search resumes from them; and the provenance their manifests carry.

use super::manifest;
use super::runs::RunsWriter;
use super::sweep::{GitInfo, RngInfo};
use super::{TempFile, committing, write_atomically};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use truce_sim::{Record, Scenario};

/// What made a folder: versions, generator, build and command line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub truce_version: String,
    pub rng: RngInfo,
    pub crates: BTreeMap<String, String>,
    pub git: GitInfo,
    pub command_line: Vec<String>,
}

impl Provenance {
    /// The provenance of this process.
    pub fn current() -> Self {
        let rng = manifest::Rng::current();
        let git = manifest::Git::at_build();
        Provenance {
            truce_version: env!("CARGO_PKG_VERSION").into(),
            rng: RngInfo {
                algorithm: rng.algorithm.into(),
                seed_derivation: rng.seed_derivation.into(),
            },
            crates: manifest::crate_versions()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            git: GitInfo {
                revision: git.revision.map(str::to_string),
                dirty: git.dirty,
            },
            command_line: std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
        }
    }
}

/// Writes `records` to `dir/chunks/<file>` under a temporary name, then renames it into place and
/// runs `record` (which rewrites the manifest) with the signal handler held off, so that a
/// finished block is either both on disk and in the manifest, or neither.
pub fn write_block(
    dir: &Path,
    file: &str,
    scenario: &Scenario,
    records: &[Record],
    metadata: Vec<(String, String)>,
    record: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let path = dir.join(super::sweep::CHUNKS).join(file);
    let temp = TempFile::new(&path);
    let mut writer = RunsWriter::create(temp.path(), scenario, metadata, None)?;
    writer.write_records(records)?;
    writer.finish()?;
    committing(|| -> Result<()> {
        temp.persist()?;
        record()
    })
}

/// Writes a manifest (any serialisable value) to `dir/manifest.json` atomically.
pub fn write_manifest(dir: &Path, manifest: &impl Serialize) -> Result<()> {
    let mut json =
        serde_json::to_string_pretty(manifest).context("cannot serialise the manifest")?;
    json.push('\n');
    write_atomically(&dir.join(super::sweep::MANIFEST), json.as_bytes())
}

/// Reads `dir/manifest.json` as the manifest of a folder of `kind`; anything else is bad input.
pub fn read_manifest<T: for<'de> Deserialize<'de>>(dir: &Path, kind: &str) -> Result<T> {
    let path = dir.join(super::sweep::MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::error::user(format!("{}: cannot read it: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| crate::error::user(format!("{}: not valid JSON ({e})", path.display())))?;
    if value.get("kind").and_then(|k| k.as_str()) != Some(kind) {
        return Err(crate::error::user(format!(
            "{}: not the manifest of a {kind} folder (kind {})",
            path.display(),
            value
                .get("kind")
                .map_or("missing".into(), |k| k.to_string())
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        crate::error::user(format!(
            "{}: not the manifest of a {kind} folder ({e})",
            path.display()
        ))
    })
}
