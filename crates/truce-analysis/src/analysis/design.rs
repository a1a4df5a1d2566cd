//! Sensitivity (and PRIM) of outputs computed elsewhere on a design written by `truce design`.
//! Its printed report is `sensitivity_text.rs`'s.

use super::outputs::Outputs;
use crate::design::Design;
use crate::error::{AnalysisError, TableContext, name_list};
use crate::indices::{self, IndexOptions, PrimReport, Sensitivity, short};
use crate::table;
use polars::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Sensitivity (and optionally PRIM) of an output column computed elsewhere on a design.
#[derive(Debug, Clone)]
pub struct DesignAnalysis {
    pub design: Design,
    pub sensitivity: Sensitivity,
    pub prim: Option<PrimReport>,
}

/// Reads a design written by `truce design` and a table of outputs with a `point` column, matches
/// them by point id, and computes the sensitivity indices the design supports for `column`;
/// with a threshold, also PRIM for `column > threshold`.
pub fn analyze_design(
    design_path: &Path,
    outputs_path: &Path,
    column: &str,
    threshold: Option<f64>,
    options: &IndexOptions,
) -> Result<DesignAnalysis, AnalysisError> {
    let design = Design::read(design_path)?;
    let outputs = read_outputs(outputs_path, column)?;
    let origin = outputs_path.display().to_string();
    let extra: Vec<String> = outputs
        .keys()
        .filter(|id| design.row(**id).is_none())
        .map(u64::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !extra.is_empty() {
        return Err(AnalysisError::input(format!(
            "{origin} has points that {} does not list: {}; were the outputs computed on another design?",
            design.origin,
            name_list(&extra, 20)
        )));
    }
    let y = design.outputs_by_row(&outputs, &origin)?;
    let mut sensitivity = indices::sensitivity(&design, &y, column, options)?;
    let prim = match threshold {
        Some(t) if y.iter().all(|&v| v > t) || y.iter().all(|&v| v <= t) => {
            let above = y.iter().filter(|&&v| v > t).count();
            sensitivity.skipped.push(format!(
                "PRIM: {above} of the {} points have {column} > {}: nothing to separate; choose a threshold between {} and {}",
                y.len(),
                short(t),
                short(y.iter().copied().fold(f64::INFINITY, f64::min)),
                short(y.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
            ));
            None
        }
        Some(t) => Some(indices::prim_search(&design, &y, column, t, &options.prim)?),
        None => None,
    };
    Ok(DesignAnalysis {
        design,
        sensitivity,
        prim,
    })
}

/// The outputs of a table: `point` → `column`; ids must be unique and values present.
fn read_outputs(path: &Path, column: &str) -> Result<HashMap<u64, f64>, AnalysisError> {
    let origin = path.display().to_string();
    let mut scan = table::scan(path)?;
    let schema = table::schema(&mut scan, &origin)?;
    table::require(&schema, &["point", column], &origin)?;
    let t = schema.get(column).cloned().unwrap_or(DataType::Null);
    if !(t.is_primitive_numeric() || t == DataType::Boolean) {
        return Err(AnalysisError::input(format!(
            "{origin}: column `{column}` holds {t}: the output must be numbers or true/false"
        )));
    }
    let frame = table::collect(
        scan.select([col("point"), col(column).cast(DataType::Float64).alias("y")]),
        &origin,
    )
    .map_err(|e| AnalysisError::input(format!("{origin}: {e}")))?;
    let ids = crate::design::u64_column(&frame, "point", &origin)?;
    let y = frame
        .column("y")
        .and_then(|c| c.f64())
        .table(|| "y".into())?;
    let mut out = HashMap::with_capacity(ids.len());
    let mut missing = Vec::new();
    for (row, (id, v)) in ids.iter().zip(y.iter()).enumerate() {
        let Some(id) = id else {
            return Err(AnalysisError::input(format!(
                "{origin}: row {} has no point id",
                row + 1
            )));
        };
        match v {
            Some(v) if v.is_finite() => {
                if out.insert(*id, v).is_some() {
                    return Err(AnalysisError::input(format!(
                        "{origin}: point {id} appears twice: give one output per point"
                    )));
                }
            }
            _ => missing.push(id.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(AnalysisError::input(format!(
            "{origin}: `{column}` is missing or not a finite number at points {}",
            name_list(&missing, 20)
        )));
    }
    Ok(out)
}

impl DesignAnalysis {
    /// `sensitivity.parquet`, `sensitivity.csv`, and with PRIM `prim.csv` and `prim.json`.
    pub fn outputs(&self) -> Result<Outputs, AnalysisError> {
        let mut out = Outputs::default();
        out.sensitivity(&self.sensitivity, self.prim.as_ref())?;
        out.text("report.txt", self.report());
        Ok(out)
    }
}
