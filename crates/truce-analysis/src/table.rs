//! Reading CSV and Parquet tables lazily, checking their columns, and writing outputs atomically.

use crate::error::{AnalysisError, TableContext, name_list};
use polars::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// A lazy scan of a CSV or Parquet file, chosen by its extension (`.csv`; `.parquet` or `.pq`).
pub fn scan(path: &Path) -> Result<LazyFrame, AnalysisError> {
    if !path.is_file() {
        return Err(AnalysisError::input(format!(
            "{}: no such file",
            path.display()
        )));
    }
    let pl_path = PlRefPath::try_from_path(path).bad_input(|| path.display().to_string())?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => LazyCsvReader::new(pl_path)
            .with_has_header(true)
            .with_infer_schema_length(Some(100_000))
            .finish()
            .bad_input(|| format!("{}: cannot read as CSV", path.display())),
        Some("parquet" | "pq") => LazyFrame::scan_parquet(pl_path, ScanArgsParquet::default())
            .bad_input(|| format!("{}: cannot read as Parquet", path.display())),
        _ => Err(AnalysisError::input(format!(
            "{}: unknown table format: give a .csv or .parquet file",
            path.display()
        ))),
    }
}

/// A lazy scan of several Parquet files with the same columns, one after the other.
pub fn scan_parquet_files(paths: &[PathBuf]) -> Result<LazyFrame, AnalysisError> {
    let paths: Vec<PlRefPath> = paths
        .iter()
        .map(|p| PlRefPath::try_from_path(p).bad_input(|| p.display().to_string()))
        .collect::<Result<_, _>>()?;
    LazyFrame::scan_parquet_files(paths.into(), ScanArgsParquet::default())
        .bad_input(|| "cannot read the record chunks".to_string())
}

/// The columns of a lazy table; `what` names it in errors.
pub fn schema(frame: &mut LazyFrame, what: &str) -> Result<SchemaRef, AnalysisError> {
    frame
        .collect_schema()
        .bad_input(|| format!("{what}: cannot read its columns"))
}

/// Checks that every column in `names` exists; the error names the missing ones and lists those
/// the table has.
pub fn require(schema: &Schema, names: &[&str], what: &str) -> Result<(), AnalysisError> {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| schema.get(n).is_none())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(AnalysisError::input(format!(
        "{what}: no column {} (its columns: {})",
        missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", "),
        column_list(schema)
    )))
}

/// The column names of a table, for error messages.
pub fn column_list(schema: &Schema) -> String {
    let names: Vec<&str> = schema.iter_names().map(|n| n.as_str()).collect();
    name_list(&names, 60)
}

/// Runs a query; `what` says what for errors.
pub fn collect(frame: LazyFrame, what: &str) -> Result<DataFrame, AnalysisError> {
    frame.collect().table(|| format!("cannot compute {what}"))
}

/// Runs a query on the streaming engine, which reads its input in batches.
pub fn collect_streaming(frame: LazyFrame, what: &str) -> Result<DataFrame, AnalysisError> {
    // A query with one sink (as every query here) returns one table.
    Ok(frame
        .collect_with_engine(Engine::Streaming)
        .table(|| format!("cannot compute {what}"))?
        .unwrap_single())
}

/// Files written into a hidden folder beside the target, then moved into place together, so that
/// an error never leaves a half-written output. The hidden folder is removed if not committed.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    temporary: PathBuf,
    files: Vec<String>,
    committed: bool,
}

impl Staging {
    /// Prepares to write into the folder `target` (created if needed; files of the same names in it
    /// are replaced).
    pub fn new(target: &Path) -> Result<Self, AnalysisError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "analysis".into());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .map_err(|e| AnalysisError::io(format!("cannot create {}", parent.display()), e))?;
        if target.exists() && !target.is_dir() {
            return Err(AnalysisError::input(format!(
                "{}: exists and is not a folder: choose another output folder",
                target.display()
            )));
        }
        let temporary = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temporary.exists() {
            fs::remove_dir_all(&temporary).map_err(|e| {
                AnalysisError::io(format!("cannot remove {}", temporary.display()), e)
            })?;
        }
        fs::create_dir(&temporary)
            .map_err(|e| AnalysisError::io(format!("cannot create {}", temporary.display()), e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            temporary,
            files: Vec::new(),
            committed: false,
        })
    }

    fn create(&mut self, name: &str) -> Result<(fs::File, PathBuf), AnalysisError> {
        let path = self.temporary.join(name);
        let file = fs::File::create(&path)
            .map_err(|e| AnalysisError::io(format!("cannot create {}", path.display()), e))?;
        self.files.push(name.to_owned());
        Ok((file, path))
    }

    /// Writes a table as zstd-compressed Parquet.
    pub fn parquet(&mut self, name: &str, frame: &mut DataFrame) -> Result<(), AnalysisError> {
        let (file, path) = self.create(name)?;
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(frame)
            .table(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// Writes a table as CSV with a header.
    pub fn csv(&mut self, name: &str, frame: &mut DataFrame) -> Result<(), AnalysisError> {
        let (mut file, path) = self.create(name)?;
        CsvWriter::new(&mut file)
            .include_header(true)
            .finish(frame)
            .table(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// Writes text.
    pub fn text(&mut self, name: &str, text: &str) -> Result<(), AnalysisError> {
        let (_, path) = self.create(name)?;
        fs::write(&path, text)
            .map_err(|e| AnalysisError::io(format!("cannot write {}", path.display()), e))
    }

    /// Moves the files into the target folder, removing from it any file named in `stale` that
    /// this analysis did not write (so that the folder never mixes two analyses).
    /// Returns the paths written.
    pub fn commit(mut self, stale: &[&str]) -> Result<Vec<PathBuf>, AnalysisError> {
        let written: Vec<PathBuf> = self.files.iter().map(|f| self.target.join(f)).collect();
        if !self.target.exists() {
            fs::rename(&self.temporary, &self.target).map_err(|e| {
                AnalysisError::io(format!("cannot create {}", self.target.display()), e)
            })?;
            self.committed = true;
            return Ok(written);
        }
        for old in stale {
            let path = self.target.join(old);
            if !self.files.iter().any(|f| f == old) && path.is_file() {
                fs::remove_file(&path).map_err(|e| {
                    AnalysisError::io(format!("cannot remove {}", path.display()), e)
                })?;
            }
        }
        for f in &self.files {
            let to = self.target.join(f);
            fs::rename(self.temporary.join(f), &to)
                .map_err(|e| AnalysisError::io(format!("cannot write {}", to.display()), e))?;
        }
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a leftover hidden folder is harmless and named after the process.
            let _ = fs::remove_dir_all(&self.temporary);
        }
    }
}
