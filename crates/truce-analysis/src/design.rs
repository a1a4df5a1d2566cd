//! A design table (a sweep's `points.parquet`, or a file written by `truce design`): one row per
//! point, with its id, its parameter values, its role in the design and its unit coordinates.
//!
//! Columns: `point` (the id); one column per parameter named by its key path, in parameter
//! order; `role` (`grid`, `sample`, `A`, `B`, `AB_<i>`, `BA_<i>` or `morris`); `unit_<i>`, the
//! unit-hypercube coordinate of parameter `i`; for Saltelli designs `base`, the base row; for
//! Morris designs `trajectory`, `step`, `factor` (the parameter changed at that step) and `delta`
//! (its signed change in unit coordinates). Outputs are matched to rows by point id, never by
//! row order.

use crate::error::{AnalysisError, TableContext, name_list};
use crate::prim::{Dimension, Values};
use crate::sensitivity::SaltelliOutputs;
use crate::table;
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use truce_formats::points::{self as columns, RESERVED};

/// A design table, read into memory (designs are small: one row per point).
#[derive(Debug, Clone)]
pub struct Design {
    /// Where it came from, for messages.
    pub origin: String,
    /// Point ids, in table order.
    pub ids: Vec<u64>,
    /// Parameter names, in parameter order.
    pub parameters: Vec<String>,
    /// Each parameter's values, one per row.
    pub values: Vec<Values>,
    /// Each row's role, when the table has a `role` column.
    pub roles: Option<Vec<String>>,
    /// Unit coordinates `units[i][row]`, when the table has every `unit_<i>` column.
    pub units: Option<Vec<Vec<f64>>>,
    /// The point id and parameter columns, for joining onto per-point outputs.
    pub frame: DataFrame,
    base: Option<Vec<Option<u64>>>,
    morris: Option<MorrisColumns>,
    row_of: HashMap<u64, usize>,
}

/// An enumerated parameter's levels as regression inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    /// The parameter's index.
    pub parameter: usize,
    /// The level the others are compared with.
    pub reference: String,
    /// Each other level, in order of first appearance, with its indicator column.
    pub indicators: Vec<(String, Vec<f64>)>,
}

#[derive(Debug, Clone)]
struct MorrisColumns {
    trajectory: Vec<Option<u64>>,
    step: Vec<Option<u64>>,
    factor: Vec<Option<u64>>,
    delta: Vec<Option<f64>>,
}

impl Design {
    /// Reads a design from a CSV or Parquet file.
    pub fn read(path: &Path) -> Result<Design, AnalysisError> {
        let origin = path.display().to_string();
        let frame = table::collect(table::scan(path)?, &origin).map_err(|e| match e {
            AnalysisError::Table { source, .. } => {
                AnalysisError::input(format!("{origin}: cannot read: {source}"))
            }
            other => other,
        })?;
        Design::from_frame(frame, &origin)
    }

    /// A design from a table in memory; `origin` names it in messages.
    pub fn from_frame(frame: DataFrame, origin: &str) -> Result<Design, AnalysisError> {
        let schema = frame.schema().clone();
        table::require(&schema, &["point"], origin)?;
        let ids = u64_column(&frame, "point", origin)?;
        let ids: Vec<u64> = ids
            .into_iter()
            .enumerate()
            .map(|(row, id)| {
                id.ok_or_else(|| {
                    AnalysisError::input(format!("{origin}: row {row} has no point id"))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut row_of = HashMap::with_capacity(ids.len());
        for (row, &id) in ids.iter().enumerate() {
            if row_of.insert(id, row).is_some() {
                return Err(AnalysisError::input(format!(
                    "{origin}: point {id} appears twice: point ids must be unique"
                )));
            }
        }
        let parameters: Vec<String> = schema
            .iter_names()
            .map(|n| n.to_string())
            .filter(|n| !RESERVED.contains(&n.as_str()) && !n.starts_with(columns::UNIT_PREFIX))
            .collect();
        let mut values = Vec::with_capacity(parameters.len());
        for name in &parameters {
            values.push(parameter_values(&frame, name, origin)?);
        }
        let roles = match schema.get(columns::ROLE) {
            Some(_) => Some(
                frame
                    .column(columns::ROLE)
                    .and_then(|c| c.cast(&DataType::String))
                    .bad_input(|| format!("{origin}: column `role`"))?
                    .str()
                    .bad_input(|| format!("{origin}: column `role`"))?
                    .iter()
                    .map(|r| r.unwrap_or_default().to_owned())
                    .collect(),
            ),
            None => None,
        };
        let unit_names: Vec<String> = (0..parameters.len()).map(columns::unit).collect();
        let units = if !parameters.is_empty()
            && unit_names.iter().all(|n| schema.get(n.as_str()).is_some())
        {
            let mut units = Vec::with_capacity(parameters.len());
            for n in &unit_names {
                units.push(
                    f64_column(&frame, n, origin)?
                        .into_iter()
                        .map(|v| v.unwrap_or(f64::NAN))
                        .collect(),
                );
            }
            Some(units)
        } else {
            None
        };
        let base = match schema.get(columns::BASE) {
            Some(_) => Some(u64_column(&frame, columns::BASE, origin)?),
            None => None,
        };
        let morris = if columns::MORRIS.iter().all(|n| schema.get(n).is_some()) {
            Some(MorrisColumns {
                trajectory: u64_column(&frame, "trajectory", origin)?,
                step: u64_column(&frame, "step", origin)?,
                factor: u64_column(&frame, "factor", origin)?,
                delta: f64_column(&frame, "delta", origin)?,
            })
        } else {
            None
        };
        let mut keep = vec!["point".to_owned()];
        keep.extend(parameters.iter().cloned());
        let frame = frame
            .select(keep)
            .table(|| format!("{origin}: parameter columns"))?;
        let frame = frame
            .lazy()
            .with_column(col("point").cast(DataType::UInt64))
            .collect()
            .table(|| format!("{origin}: point ids"))?;
        Ok(Design {
            origin: origin.to_owned(),
            ids,
            parameters,
            values,
            roles,
            units,
            frame,
            base,
            morris,
            row_of,
        })
    }

    /// The row of point `id`.
    pub fn row(&self, id: u64) -> Option<usize> {
        self.row_of.get(&id).copied()
    }

    /// Whether any row has a role starting with `prefix`.
    fn has_role(&self, role: &str) -> bool {
        self.roles
            .as_ref()
            .is_some_and(|r| r.iter().any(|x| x == role))
    }

    /// Whether the design is a Saltelli design (rows A and B with base rows).
    pub fn is_saltelli(&self) -> bool {
        self.base.is_some() && self.has_role("A") && self.has_role("B")
    }

    /// Whether the design holds Morris trajectories.
    pub fn is_morris(&self) -> bool {
        self.morris.is_some() && self.has_role("morris")
    }

    /// Each row's output, from outputs keyed by point id; the error names the ids without one.
    pub fn outputs_by_row(
        &self,
        outputs: &HashMap<u64, f64>,
        what: &str,
    ) -> Result<Vec<f64>, AnalysisError> {
        let missing: Vec<String> = self
            .ids
            .iter()
            .filter(|id| !outputs.contains_key(id))
            .map(u64::to_string)
            .collect();
        if !missing.is_empty() {
            return Err(AnalysisError::input(format!(
                "{what} has no value for {} of the {} points of {}: points {}",
                missing.len(),
                self.ids.len(),
                self.origin,
                name_list(&missing, 20)
            )));
        }
        Ok(self.ids.iter().map(|id| outputs[id]).collect())
    }

    /// The outputs of a Saltelli design arranged by base row. `y` holds one output per row.
    pub fn saltelli_outputs(&self, y: &[f64]) -> Result<SaltelliOutputs, AnalysisError> {
        let (Some(roles), Some(base)) = (&self.roles, &self.base) else {
            return Err(AnalysisError::input(format!(
                "{}: not a Saltelli design: it needs `role` and `base` columns",
                self.origin
            )));
        };
        let k = self.parameters.len();
        // slot 0: A, 1: B, 2 + i: AB_i
        let mut rows: BTreeMap<u64, Vec<Option<usize>>> = BTreeMap::new();
        for (row, role) in roles.iter().enumerate() {
            let slot = match role.as_str() {
                "A" => 0,
                "B" => 1,
                r => match r.strip_prefix("AB_").and_then(|i| i.parse::<usize>().ok()) {
                    Some(i) if i < k => 2 + i,
                    Some(_) => {
                        return Err(AnalysisError::input(format!(
                            "{}: point {} has role {role}, but the design has only {k} parameters",
                            self.origin, self.ids[row]
                        )));
                    }
                    None => continue,
                },
            };
            let Some(j) = base[row] else {
                return Err(AnalysisError::input(format!(
                    "{}: point {} (role {role}) has no base row",
                    self.origin, self.ids[row]
                )));
            };
            let entry = rows.entry(j).or_insert_with(|| vec![None; k + 2]);
            if entry[slot].replace(row).is_some() {
                return Err(AnalysisError::input(format!(
                    "{}: base row {j} has two {role} points",
                    self.origin
                )));
            }
        }
        let mut incomplete = Vec::new();
        for (j, slots) in &rows {
            if slots.iter().any(Option::is_none) {
                incomplete.push(j.to_string());
            }
        }
        if !incomplete.is_empty() {
            return Err(AnalysisError::input(format!(
                "{}: not a complete Saltelli design: base rows {} lack some of A, B and AB_0 to AB_{}",
                self.origin,
                name_list(&incomplete, 10),
                k.saturating_sub(1)
            )));
        }
        let column = |slot: usize| -> Vec<f64> {
            rows.values()
                .map(|s| s[slot].map_or(f64::NAN, |row| y[row]))
                .collect()
        };
        Ok(SaltelliOutputs {
            a: column(0),
            b: column(1),
            ab: (0..k).map(|i| column(2 + i)).collect(),
        })
    }

    /// The elementary effects `(parameter, (y(x + Δ e_i) − y(x)) / Δ)` of consecutive steps of each
    /// Morris trajectory. `y` holds one output per row.
    pub fn morris_effects(&self, y: &[f64]) -> Result<Vec<(usize, f64)>, AnalysisError> {
        let (Some(m), Some(roles)) = (&self.morris, &self.roles) else {
            return Err(AnalysisError::input(format!(
                "{}: not a Morris design: it needs `role`, `trajectory`, `step`, `factor` and `delta` columns",
                self.origin
            )));
        };
        let mut trajectories: BTreeMap<u64, BTreeMap<u64, usize>> = BTreeMap::new();
        for (row, role) in roles.iter().enumerate() {
            if role != "morris" {
                continue;
            }
            let (Some(t), Some(s)) = (m.trajectory[row], m.step[row]) else {
                return Err(AnalysisError::input(format!(
                    "{}: Morris point {} has no trajectory or step",
                    self.origin, self.ids[row]
                )));
            };
            if trajectories.entry(t).or_default().insert(s, row).is_some() {
                return Err(AnalysisError::input(format!(
                    "{}: trajectory {t} has step {s} twice",
                    self.origin
                )));
            }
        }
        let k = self.parameters.len();
        let mut effects = Vec::new();
        for (t, steps) in &trajectories {
            let rows: Vec<(u64, usize)> = steps.iter().map(|(&s, &r)| (s, r)).collect();
            for pair in rows.windows(2) {
                let ((s0, before), (s1, after)) = (pair[0], pair[1]);
                if s1 != s0 + 1 {
                    return Err(AnalysisError::input(format!(
                        "{}: trajectory {t} jumps from step {s0} to step {s1}",
                        self.origin
                    )));
                }
                let (Some(factor), Some(delta)) = (m.factor[after], m.delta[after]) else {
                    return Err(AnalysisError::input(format!(
                        "{}: point {} (trajectory {t}, step {s1}) has no factor or delta",
                        self.origin, self.ids[after]
                    )));
                };
                let factor = factor as usize;
                if factor >= k || delta == 0.0 {
                    return Err(AnalysisError::input(format!(
                        "{}: point {} has factor {factor} and delta {delta}: need a factor below {k} and a non-zero delta",
                        self.origin, self.ids[after]
                    )));
                }
                effects.push((factor, (y[after] - y[before]) / delta));
            }
        }
        Ok(effects)
    }

    /// The regression inputs of the numeric parameters: their unit coordinates when the table has
    /// them, otherwise their values. Returns the parameter index and column of each input. An
    /// enumerated parameter has no scale, so it is not among them: see [`Design::level_inputs`].
    pub fn regression_inputs(&self) -> Vec<(usize, Vec<f64>)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match (v, &self.units) {
                (Values::Numeric(_), Some(units)) => Some((i, units[i].clone())),
                (Values::Numeric(x), None) => Some((i, x.clone())),
                (Values::Categorical(_), _) => None,
            })
            .collect()
    }

    /// Each enumerated parameter's levels as indicator columns (1 at the rows at that level),
    /// one per level other than its reference, the level of the design's first row.
    pub fn level_inputs(&self) -> Vec<Levels> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let Values::Categorical(x) = v else {
                    return None;
                };
                let reference = x.first()?.clone();
                let mut levels: Vec<&String> = Vec::new();
                for level in x {
                    if *level != reference && !levels.contains(&level) {
                        levels.push(level);
                    }
                }
                let indicators = levels
                    .into_iter()
                    .map(|level| {
                        let column = x.iter().map(|v| f64::from(u8::from(v == level))).collect();
                        (level.clone(), column)
                    })
                    .collect();
                Some(Levels {
                    parameter: i,
                    reference,
                    indicators,
                })
            })
            .collect()
    }

    /// The parameters as PRIM dimensions (numeric or categorical by column type).
    pub fn dimensions(&self) -> Vec<Dimension> {
        self.parameters
            .iter()
            .zip(&self.values)
            .map(|(name, values)| Dimension {
                name: name.clone(),
                values: values.clone(),
            })
            .collect()
    }
}

/// A parameter column: numbers as [`Values::Numeric`], anything else as text categories.
fn parameter_values(frame: &DataFrame, name: &str, origin: &str) -> Result<Values, AnalysisError> {
    let column = frame
        .column(name)
        .bad_input(|| format!("{origin}: column `{name}`"))?;
    if column.dtype().is_primitive_numeric() {
        let v = f64_column(frame, name, origin)?;
        if v.iter().all(Option::is_some) {
            return Ok(Values::Numeric(v.into_iter().flatten().collect()));
        }
    }
    let text = column
        .cast(&DataType::String)
        .bad_input(|| format!("{origin}: column `{name}`"))?;
    let text = text
        .str()
        .bad_input(|| format!("{origin}: column `{name}`"))?;
    Ok(Values::Categorical(
        text.iter()
            .map(|v| v.unwrap_or("null").to_owned())
            .collect(),
    ))
}

/// A column as `f64` values (null where missing).
pub(crate) fn f64_column(
    frame: &DataFrame,
    name: &str,
    origin: &str,
) -> Result<Vec<Option<f64>>, AnalysisError> {
    let context = || format!("{origin}: column `{name}` must hold numbers");
    let column = frame.column(name).bad_input(context)?;
    if column.null_count() == column.len() {
        return Ok(vec![None; column.len()]);
    }
    let cast = column.cast(&DataType::Float64).bad_input(context)?;
    Ok(cast.f64().bad_input(context)?.iter().collect())
}

/// A column as `u64` values (null where missing).
pub(crate) fn u64_column(
    frame: &DataFrame,
    name: &str,
    origin: &str,
) -> Result<Vec<Option<u64>>, AnalysisError> {
    let context = || format!("{origin}: column `{name}` must hold whole numbers >= 0");
    let column = frame.column(name).bad_input(context)?;
    // An empty column of a CSV file reads as text.
    if column.null_count() == column.len() {
        return Ok(vec![None; column.len()]);
    }
    if !column.dtype().is_integer() {
        return Err(AnalysisError::input(format!(
            "{} (it holds {})",
            context(),
            column.dtype()
        )));
    }
    let cast = column.strict_cast(&DataType::UInt64).bad_input(context)?;
    Ok(cast.u64().bad_input(context)?.iter().collect())
}
