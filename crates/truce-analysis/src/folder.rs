//! Results folders: what `truce run` and `truce sweep` write, opened and checked before any query.
//!
//! A run folder holds `runs.parquet` and `manifest.json`, and one point.
//! A sweep folder also holds `sweep.toml` and `points.parquet`, and its manifest's `status` is
//! `complete` once every chunk is in; its records are `runs.parquet`, or the files of `chunks/`.

use crate::design::Design;
use crate::error::AnalysisError;
use crate::table;
use polars::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use truce_formats::folder::{
    CHUNKS, COMPARE_TOML, MANIFEST, POINTS, RESOLVED_FILES, RUNS, SWEEP_TOML,
};
use truce_formats::manifest as keys;
use truce_formats::sweep_file;

/// What wrote the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderKind {
    Run,
    Sweep,
}

/// An opened results folder.
#[derive(Debug, Clone)]
pub struct ResultsFolder {
    pub dir: PathBuf,
    pub kind: FolderKind,
    /// The record files: `runs.parquet`, or the chunk files.
    pub records: Vec<PathBuf>,
    /// The sweep's design (`points.parquet`), for a sweep.
    pub design: Option<Design>,
    /// Whether replication r of every point shares its random streams (always true of a run's
    /// single point; a sweep's `crn`, true unless its manifest or `sweep.toml` says otherwise).
    pub crn: bool,
    /// The sweep's `reference` point, if it names one.
    pub reference: Option<u64>,
    /// The manifest, as written.
    pub manifest: serde_json::Value,
    /// The resolved file of a sweep, solve or calibration folder (`sweep.toml`, `solve.toml`,
    /// `calibrate.toml`); `None` for a run.
    pub config_file: Option<&'static str>,
}

impl ResultsFolder {
    /// Whether the folder is one of `truce compare`, whose points are whole scenario files.
    pub fn is_comparison(&self) -> bool {
        self.config_file == Some(COMPARE_TOML)
    }

    /// Opens and checks a results folder: its manifest, its records and, for a sweep, its status
    /// and design.
    pub fn open(dir: &Path) -> Result<ResultsFolder, AnalysisError> {
        let shown = dir.display();
        if !dir.is_dir() {
            return Err(AnalysisError::input(format!(
                "{shown}: no such folder: give a results folder written by `truce run` or `truce sweep`"
            )));
        }
        let manifest_path = dir.join(MANIFEST);
        if !manifest_path.is_file() {
            return Err(AnalysisError::input(format!(
                "{shown}: manifest.json is missing: this is not a results folder of `truce run` or `truce sweep`, or it was not finished"
            )));
        }
        let text = fs::read_to_string(&manifest_path).map_err(|e| {
            AnalysisError::io(format!("cannot read {}", manifest_path.display()), e)
        })?;
        let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            AnalysisError::input(format!(
                "{}: not valid JSON ({e}): the folder is damaged",
                manifest_path.display()
            ))
        })?;
        // Solve and calibration folders are laid out like a sweep's, with their own resolved file
        // in place of `sweep.toml`.
        let config_name = RESOLVED_FILES
            .into_iter()
            .find(|name| dir.join(name).is_file())
            .unwrap_or(SWEEP_TOML);
        let is_sweep = dir.join(config_name).exists()
            || dir.join(POINTS).exists()
            || manifest.get(keys::STATUS).is_some();
        if !is_sweep {
            let runs = dir.join(RUNS);
            if !runs.is_file() {
                return Err(AnalysisError::input(format!(
                    "{shown}: runs.parquet is missing: the run did not finish; run it again"
                )));
            }
            return Ok(ResultsFolder {
                dir: dir.to_path_buf(),
                kind: FolderKind::Run,
                records: vec![runs],
                design: None,
                crn: true,
                reference: None,
                manifest,
                config_file: None,
            });
        }
        let status = manifest.get(keys::STATUS).and_then(|s| s.as_str());
        if status != Some(keys::COMPLETE) {
            return Err(AnalysisError::input(format!(
                "{shown}: the sweep is incomplete (status: {}): resume it with `truce sweep --resume {shown}`, then analyse it",
                status.unwrap_or("not recorded")
            )));
        }
        for name in [config_name, POINTS] {
            if !dir.join(name).is_file() {
                return Err(AnalysisError::input(format!(
                    "{shown}: {name} is missing: the sweep folder is incomplete"
                )));
            }
        }
        let sweep_text = fs::read_to_string(dir.join(config_name))
            .map_err(|e| AnalysisError::io(format!("cannot read {shown}/{config_name}"), e))?;
        let sweep: toml::Table = sweep_text.parse().map_err(|e: toml::de::Error| {
            AnalysisError::input(format!(
                "{shown}/{config_name}: not valid TOML ({}): the folder is damaged",
                e.message().trim()
            ))
        })?;
        let table = sweep.get(sweep_file::TABLE).and_then(|s| s.as_table());
        let reference = table
            .and_then(|t| t.get(sweep_file::REFERENCE))
            .and_then(|r| r.as_integer())
            .and_then(|r| u64::try_from(r).ok())
            .or_else(|| manifest.get(keys::REFERENCE).and_then(|r| r.as_u64()));
        let crn = manifest
            .get(keys::CRN)
            .and_then(|c| c.as_bool())
            .or_else(|| {
                table
                    .and_then(|t| t.get(sweep_file::CRN))
                    .and_then(|c| c.as_bool())
            })
            .unwrap_or(true);
        let runs = dir.join(RUNS);
        let records = if runs.is_file() {
            vec![runs]
        } else {
            let shard = manifest.get(keys::SHARD).filter(|s| !s.is_null());
            if let Some(shard) = shard {
                let part = match (shard.get(keys::SHARD_INDEX), shard.get(keys::SHARD_COUNT)) {
                    (Some(i), Some(n)) => format!("shard {i} of {n}"),
                    _ => format!("shard {shard}"),
                };
                return Err(AnalysisError::input(format!(
                    "{shown}: runs.parquet is missing and this folder is one part of a sweep ({part}): merge the shards with `truce merge SHARD_DIR... --out DIR` and analyse the merged folder"
                )));
            }
            let chunks = chunk_files(&dir.join(CHUNKS));
            if chunks.is_empty() {
                return Err(AnalysisError::input(format!(
                    "{shown}: runs.parquet is missing and chunks/ holds no records: the sweep folder is incomplete"
                )));
            }
            chunks
        };
        let design = Design::read(&dir.join(POINTS))?;
        Ok(ResultsFolder {
            dir: dir.to_path_buf(),
            kind: FolderKind::Sweep,
            records,
            design: Some(design),
            crn,
            reference,
            manifest,
            config_file: Some(config_name),
        })
    }

    /// A lazy scan of every record; queries read only the columns they use.
    pub fn scan(&self) -> Result<LazyFrame, AnalysisError> {
        match self.records.as_slice() {
            [one] => table::scan(one),
            many => table::scan_parquet_files(many),
        }
    }

    /// The name of the record files, for messages.
    pub fn records_name(&self) -> String {
        match self.records.as_slice() {
            [one] => one.display().to_string(),
            _ => format!("{}/chunks/*.parquet", self.dir.display()),
        }
    }
}

/// The Parquet files of a chunk folder, sorted by name.
fn chunk_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    files
}
