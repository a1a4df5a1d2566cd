//! The files of an analysis, held in memory until they are written together.

use crate::error::AnalysisError;
use crate::table::Staging;
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

/// Every file an analysis may write, so that a new analysis in the same folder removes the files
/// of an older one it does not replace.
pub const OUTPUT_FILES: [&str; 18] = [
    "summary.parquet",
    "summary.csv",
    "survival.parquet",
    "survival.csv",
    "survival_summary.parquet",
    "survival_summary.csv",
    "causes.parquet",
    "causes.csv",
    "incidence.parquet",
    "uncertainty.csv",
    "uncertainty_effects.csv",
    "comparisons.parquet",
    "comparisons.csv",
    "sensitivity.parquet",
    "sensitivity.csv",
    "prim.csv",
    "prim.json",
    "report.txt",
];

/// Tables and texts ready to be written.
#[derive(Debug, Default)]
pub struct Outputs {
    tables: Vec<(String, DataFrame)>,
    texts: Vec<(String, String)>,
}

impl Outputs {
    pub(super) fn table(&mut self, name: &str, frame: DataFrame) {
        self.tables.push((name.to_owned(), frame));
    }

    pub(super) fn text(&mut self, name: &str, text: String) {
        self.texts.push((name.to_owned(), text));
    }

    /// `sensitivity.parquet` and `sensitivity.csv`, and with PRIM `prim.csv` and `prim.json`:
    /// the files of a sensitivity analysis, whether of a design alone or of a sweep's folder.
    pub(super) fn sensitivity(
        &mut self,
        sensitivity: &crate::indices::Sensitivity,
        prim: Option<&crate::indices::PrimReport>,
    ) -> Result<(), AnalysisError> {
        let f = sensitivity.frame()?;
        self.table("sensitivity.parquet", f.clone());
        self.table("sensitivity.csv", f);
        if let Some(p) = prim {
            self.table("prim.csv", p.frame()?);
            self.text("prim.json", p.json());
        }
        Ok(())
    }

    /// The table written as `name`.
    pub fn get(&self, name: &str) -> Option<&DataFrame> {
        self.tables.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    /// Writes every file into `dir` (created if needed): all are staged first and moved into
    /// place together; files of an earlier analysis that this one does not write are removed.
    /// Tables are written as Parquet or CSV by the extension of their name.
    pub fn write(mut self, dir: &Path) -> Result<Vec<PathBuf>, AnalysisError> {
        let mut staging = Staging::new(dir)?;
        for (name, frame) in &mut self.tables {
            if name.ends_with(".csv") {
                staging.csv(name, frame)?;
            } else {
                staging.parquet(name, frame)?;
            }
        }
        for (name, text) in &self.texts {
            staging.text(name, text)?;
        }
        staging.commit(&OUTPUT_FILES)
    }
}
