//! Survival of any CSV or Parquet table, per group. Its printed report is `survival_text.rs`'s.

use super::outputs::Outputs;
use crate::curves::{self, GroupCurve, TableSpec};
use crate::error::AnalysisError;
use std::path::{Path, PathBuf};

/// Survival of any table: the curves, the rows dropped for a missing value, and the settings.
#[derive(Debug, Clone)]
pub struct TableSurvival {
    pub input: PathBuf,
    pub spec: TableSpec,
    pub curves: Vec<GroupCurve>,
    pub dropped: usize,
    pub checkpoints: Vec<f64>,
    pub step: f64,
}

/// Kaplan–Meier curves of a CSV or Parquet table, per group.
pub fn analyze_table_survival(
    input: &Path,
    spec: &TableSpec,
    checkpoints: &[f64],
    step: f64,
) -> Result<TableSurvival, AnalysisError> {
    let (curves, dropped) = curves::table_curves(input, spec)?;
    if curves.is_empty() {
        return Err(AnalysisError::input(format!(
            "{}: no row has both a time and an event",
            input.display()
        )));
    }
    Ok(TableSurvival {
        input: input.to_path_buf(),
        spec: spec.clone(),
        curves,
        dropped,
        checkpoints: checkpoints.to_vec(),
        step,
    })
}

impl TableSurvival {
    pub(super) fn group_name(&self) -> &str {
        self.spec.by.as_deref().unwrap_or("group")
    }

    /// `survival.parquet`, `survival.csv`, `survival_summary.parquet` and `survival_summary.csv`.
    pub fn outputs(&self) -> Result<Outputs, AnalysisError> {
        let mut out = Outputs::default();
        let curves = curves::curves_frame(&self.curves, self.step, self.group_name(), None)?;
        out.table("survival.parquet", curves.clone());
        out.table("survival.csv", curves);
        let s =
            curves::curves_summary_frame(&self.curves, &self.checkpoints, self.group_name(), None)?;
        out.table("survival_summary.parquet", s.clone());
        out.table("survival_summary.csv", s);
        out.text("report.txt", self.report());
        Ok(out)
    }
}
