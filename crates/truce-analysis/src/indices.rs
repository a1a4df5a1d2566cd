//! Sensitivity indices and PRIM boxes of one output over a design, as tables: which methods the
//! design supports, run on the outputs matched to its rows by point id.

use crate::design::Design;
use crate::error::{AnalysisError, TableContext};
use crate::prim::{self, Limit, Prim};
use crate::sensitivity::{self, SensitivityError};
use crate::summary::finite;
use polars::prelude::*;
use serde_json::json;

/// Settings of the sensitivity and PRIM computations.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexOptions {
    /// Bootstrap resamples for the intervals of Sobol' indices and Morris μ*.
    pub bootstrap: usize,
    /// Seed of the bootstrap's generator (ChaCha8).
    pub seed: u64,
    pub prim: prim::Options,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            bootstrap: 1000,
            seed: 20_251_126,
            prim: prim::Options::default(),
        }
    }
}

/// One row of the sensitivity table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    /// `sobol`, `morris` or `src`.
    pub method: &'static str,
    /// The parameter; `None` for a row about the whole model (R²).
    pub parameter: Option<String>,
    /// `S1`, `ST`, `mu_star`, `mu`, `sigma`, `src` or `r_squared`.
    pub measure: &'static str,
    pub estimate: f64,
    pub std_error: f64,
    pub lower: f64,
    pub upper: f64,
    /// Base rows (Sobol'), elementary effects (Morris) or points (regression) used.
    pub n: usize,
    /// For a level effect (`level` rows of an enumerated parameter), the level compared with the
    /// reference level.
    pub level: Option<String>,
    /// For a level effect, the reference level.
    pub reference: Option<String>,
    /// Why this estimate should not be read at face value, when it should not.
    pub warning: Option<String>,
}

/// The sensitivity of one output over a design.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub outcome: String,
    pub rows: Vec<IndexRow>,
    /// Methods the design did not support, with the reason.
    pub skipped: Vec<String>,
    /// What makes the indices unreliable as a whole (too few base rows, a rare outcome), with
    /// what would do.
    pub warnings: Vec<String>,
}

/// Sobol' indices are read as precise when every 95% interval is at most this wide.
pub const SOBOL_PRECISE_WIDTH: f64 = 0.2;
/// The half-width of the 95% intervals the suggested number of base rows aims at.
pub const SOBOL_TARGET_HALF_WIDTH: f64 = 0.05;
/// A proportion whose mean over the points is below this (or above one minus it) is rare.
pub const RARE_PROPORTION: f64 = 0.05;

/// Sobol' indices (Saltelli designs), Morris measures (Morris designs) and standardised
/// regression coefficients (any design with at least k + 2 points) of the output `y`, one value
/// per design row. An output without variance is an error.
pub fn sensitivity(
    design: &Design,
    y: &[f64],
    outcome: &str,
    options: &IndexOptions,
) -> Result<Sensitivity, AnalysisError> {
    if let Some(&first) = y.first()
        && y.iter().all(|&v| v == first)
    {
        return Err(AnalysisError::input(format!(
            "{outcome}: no variance across the {} points of {} (every value is {first}): sensitivity indices are undefined; choose another outcome",
            y.len(),
            design.origin
        )));
    }
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    let none = |method, measure, parameter: &str, e: f64, n| IndexRow {
        method,
        parameter: Some(parameter.to_owned()),
        measure,
        estimate: e,
        std_error: f64::NAN,
        lower: f64::NAN,
        upper: f64::NAN,
        n,
        level: None,
        reference: None,
        warning: None,
    };
    if design.is_saltelli() {
        let outputs = design.saltelli_outputs(y)?;
        let s = sensitivity::sobol(&outputs, options.bootstrap, options.seed)?;
        for (i, name) in design.parameters.iter().enumerate() {
            for (measure, e) in [("S1", s.first[i]), ("ST", s.total[i])] {
                rows.push(IndexRow {
                    method: "sobol",
                    parameter: Some(name.clone()),
                    measure,
                    estimate: e.estimate,
                    std_error: e.std_error,
                    lower: e.lower,
                    upper: e.upper,
                    n: s.base_rows,
                    level: None,
                    reference: None,
                    warning: sobol_warning(&e),
                });
            }
        }
        warnings.extend(sobol_precision(&s, &design.parameters));
    }
    if design.is_morris() {
        let effects = design.morris_effects(y)?;
        let m = sensitivity::morris(
            &effects,
            design.parameters.len(),
            options.bootstrap,
            options.seed,
        )?;
        for (name, index) in design.parameters.iter().zip(&m) {
            rows.push(IndexRow {
                method: "morris",
                parameter: Some(name.clone()),
                measure: "mu_star",
                estimate: index.mu_star.estimate,
                std_error: index.mu_star.std_error,
                lower: index.mu_star.lower,
                upper: index.mu_star.upper,
                n: index.effects,
                level: None,
                reference: None,
                warning: None,
            });
            rows.push(none("morris", "mu", name, index.mu, index.effects));
            rows.push(none("morris", "sigma", name, index.sigma, index.effects));
        }
    }
    // Numeric parameters enter the regression as they are; an enumerated one as one indicator
    // per level other than its reference, whose coefficient, scaled back to the output's units,
    // is the effect of that level against the reference with the other parameters held fixed.
    let inputs = design.regression_inputs();
    let levels = design.level_inputs();
    let mut columns: Vec<Vec<f64>> = inputs.iter().map(|(_, c)| c.clone()).collect();
    for l in &levels {
        columns.extend(l.indicators.iter().map(|(_, c)| c.clone()));
    }
    match sensitivity::src(&columns, y) {
        Ok(r) => {
            for ((i, _), c) in inputs.iter().zip(&r.coefficients) {
                rows.push(none(
                    "src",
                    "src",
                    &design.parameters[*i],
                    c.unwrap_or(f64::NAN),
                    r.n,
                ));
            }
            let sd_y = sample_sd(y);
            let mut c = r.coefficients[inputs.len()..].iter();
            for l in &levels {
                for (level, indicator) in &l.indicators {
                    let beta = c.next().copied().flatten();
                    let sd_x = sample_sd(indicator);
                    rows.push(IndexRow {
                        level: Some(level.clone()),
                        reference: Some(l.reference.clone()),
                        warning: beta.is_none().then(|| {
                            "not estimable: the level is collinear with other inputs".to_owned()
                        }),
                        ..none(
                            "level",
                            "effect",
                            &design.parameters[l.parameter],
                            beta.map_or(f64::NAN, |b| b * sd_y / sd_x),
                            r.n,
                        )
                    });
                }
            }
            rows.push(IndexRow {
                parameter: None,
                ..none("src", "r_squared", "", r.r_squared, r.n)
            });
        }
        Err(e @ SensitivityError::TooFew { .. }) => skipped.push(format!("regression: {e}")),
        Err(e) => return Err(e.into()),
    }
    Ok(Sensitivity {
        outcome: outcome.to_owned(),
        rows,
        skipped,
        warnings,
    })
}

fn sample_sd(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// What is wrong with one Sobol' index, if anything: an estimate outside [0, 1] (kept as it is,
/// not clipped) or an interval wider than that range.
fn sobol_warning(e: &sensitivity::Estimate) -> Option<String> {
    let mut why = Vec::new();
    if !(0.0..=1.0).contains(&e.estimate) {
        why.push("estimate outside [0, 1] (not clipped)".to_owned());
    }
    if e.upper - e.lower > 1.0 {
        why.push(format!(
            "interval {:.2} wide, wider than the index's range [0, 1]",
            e.upper - e.lower
        ));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// A warning when some Sobol' interval is wider than [`SOBOL_PRECISE_WIDTH`], with the number of
/// base rows that would narrow every interval to ±[`SOBOL_TARGET_HALF_WIDTH`]: bootstrap standard
/// errors shrink as one over the square root of N.
fn sobol_precision(s: &sensitivity::SobolIndices, parameters: &[String]) -> Option<String> {
    let mut widest: Option<(f64, &str, &str)> = None;
    let mut se_max: f64 = 0.0;
    for (i, name) in parameters.iter().enumerate() {
        for (measure, e) in [("S1", &s.first[i]), ("ST", &s.total[i])] {
            let width = e.upper - e.lower;
            if width.is_finite() && widest.is_none_or(|(w, _, _)| width > w) {
                widest = Some((width, name, measure));
            }
            if e.std_error.is_finite() {
                se_max = se_max.max(e.std_error);
            }
        }
    }
    let (width, name, measure) = widest?;
    if width <= SOBOL_PRECISE_WIDTH {
        return None;
    }
    let n = s.base_rows as f64;
    let target_se = SOBOL_TARGET_HALF_WIDTH / 1.96;
    let needed = (n * (se_max / target_se).powi(2)).ceil().max(n + 1.0) as u64;
    let needed = needed.checked_next_power_of_two().unwrap_or(needed);
    let k = parameters.len() as u64;
    Some(format!(
        "Sobol' indices from N = {} base rows are imprecise: the widest 95% interval ({measure} of {name}) is {width:.2} wide; from the bootstrap, about N = {needed} base rows ({} points) would narrow every interval to ±{SOBOL_TARGET_HALF_WIDTH}; estimates outside [0, 1] are noise, not clipped",
        s.base_rows,
        needed.saturating_mul(k + 2),
    ))
}

impl Sensitivity {
    /// The table: `outcome`, `method`, `parameter`, `measure`, `estimate`, `std_error`, `lower`,
    /// `upper`, `n`, `level` and `reference` (of a `level` effect: the level and the one it is
    /// compared with) and `warning` (why a row should not
    /// be read at face value).
    pub fn frame(&self) -> Result<DataFrame, AnalysisError> {
        let r = &self.rows;
        let f = |g: fn(&IndexRow) -> f64| r.iter().map(|x| finite(g(x))).collect::<Vec<_>>();
        let columns = vec![
            Column::new("outcome".into(), vec![self.outcome.as_str(); r.len()]),
            Column::new(
                "method".into(),
                r.iter().map(|x| x.method).collect::<Vec<_>>(),
            ),
            Column::new(
                "parameter".into(),
                r.iter().map(|x| x.parameter.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "measure".into(),
                r.iter().map(|x| x.measure).collect::<Vec<_>>(),
            ),
            Column::new("estimate".into(), f(|x| x.estimate)),
            Column::new("std_error".into(), f(|x| x.std_error)),
            Column::new("lower".into(), f(|x| x.lower)),
            Column::new("upper".into(), f(|x| x.upper)),
            Column::new("n".into(), r.iter().map(|x| x.n as u64).collect::<Vec<_>>()),
            Column::new(
                "level".into(),
                r.iter().map(|x| x.level.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "reference".into(),
                r.iter().map(|x| x.reference.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "warning".into(),
                r.iter().map(|x| x.warning.as_deref()).collect::<Vec<_>>(),
            ),
        ];
        DataFrame::new(r.len(), columns).table(|| "cannot build the sensitivity table".into())
    }

    /// The rows of one method and measure, in parameter order.
    pub fn measure(&self, method: &str, measure: &str) -> Vec<&IndexRow> {
        self.rows
            .iter()
            .filter(|r| r.method == method && r.measure == measure)
            .collect()
    }
}

/// A PRIM search for the points where an output exceeds a threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimReport {
    pub outcome: String,
    /// Points count as "of interest" when their output is above this.
    pub threshold: f64,
    pub parameters: Vec<String>,
    pub points: usize,
    pub of_interest: usize,
    pub options: prim::Options,
    pub result: Prim,
}

/// Runs PRIM on the design's parameters for `y > threshold` (one value per design row).
pub fn prim_search(
    design: &Design,
    y: &[f64],
    outcome: &str,
    threshold: f64,
    options: &prim::Options,
) -> Result<PrimReport, AnalysisError> {
    let flags: Vec<f64> = y
        .iter()
        .map(|&v| if v > threshold { 1.0 } else { 0.0 })
        .collect();
    let of_interest = flags.iter().filter(|&&f| f == 1.0).count();
    if of_interest == 0 || of_interest == flags.len() {
        return Err(AnalysisError::input(format!(
            "PRIM: {} of the {} points have {outcome} > {threshold}: nothing to separate; choose another threshold",
            of_interest,
            flags.len()
        )));
    }
    let result = prim::prim(&design.dimensions(), &flags, options)?;
    Ok(PrimReport {
        outcome: outcome.to_owned(),
        threshold,
        parameters: design.parameters.clone(),
        points: flags.len(),
        of_interest,
        options: *options,
        result,
    })
}

fn limit_text(limit: &Limit) -> String {
    match limit {
        Limit::Range { lower, upper } => format!("[{}, {}]", short(*lower), short(*upper)),
        Limit::Categories(set) => {
            format!("{{{}}}", set.iter().cloned().collect::<Vec<_>>().join(", "))
        }
    }
}

/// A number in at most four significant digits, without trailing zeros: how parameter values read.
pub fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 6) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

impl PrimReport {
    /// The peeling trajectory and the pasted box as a table: `step` (`pasted` for the last row),
    /// `chosen`, `points`, `coverage`, `density`, `mass`, `restricted`, then `<parameter>` limits
    /// as text.
    pub fn frame(&self) -> Result<DataFrame, AnalysisError> {
        let p = &self.result;
        let boxes: Vec<&prim::BoxStats> = p
            .trajectory
            .iter()
            .chain(std::iter::once(&p.pasted))
            .collect();
        let n = boxes.len();
        let mut columns = vec![
            Column::new(
                "step".into(),
                (0..n)
                    .map(|i| {
                        if i + 1 == n {
                            "pasted".to_owned()
                        } else {
                            i.to_string()
                        }
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "chosen".into(),
                (0..n).map(|i| i == p.chosen).collect::<Vec<_>>(),
            ),
            Column::new(
                "points".into(),
                boxes.iter().map(|b| b.points as u64).collect::<Vec<_>>(),
            ),
            Column::new(
                "coverage".into(),
                boxes.iter().map(|b| b.coverage).collect::<Vec<_>>(),
            ),
            Column::new(
                "density".into(),
                boxes.iter().map(|b| b.density).collect::<Vec<_>>(),
            ),
            Column::new(
                "mass".into(),
                boxes.iter().map(|b| b.mass).collect::<Vec<_>>(),
            ),
            Column::new(
                "restricted".into(),
                boxes
                    .iter()
                    .map(|b| b.restricted.iter().filter(|&&r| r).count() as u64)
                    .collect::<Vec<_>>(),
            ),
        ];
        for (d, name) in self.parameters.iter().enumerate() {
            columns.push(Column::new(
                name.as_str().into(),
                boxes
                    .iter()
                    .map(|b| limit_text(&b.limits[d]))
                    .collect::<Vec<_>>(),
            ));
        }
        DataFrame::new(n, columns).table(|| "cannot build the PRIM table".into())
    }

    /// The whole search as JSON: settings, trajectory, and the chosen box after pasting with its
    /// restricted parameters.
    pub fn json(&self) -> String {
        let box_json = |b: &prim::BoxStats| {
            json!({
                "points": b.points,
                "coverage": b.coverage,
                "density": b.density,
                "mass": b.mass,
                "limits": self.parameters.iter().zip(&b.limits).zip(&b.restricted).map(|((name, l), r)| {
                    let mut v = match l {
                        Limit::Range { lower, upper } => json!({"parameter": name, "lower": lower, "upper": upper}),
                        Limit::Categories(s) => json!({"parameter": name, "values": s}),
                    };
                    v["restricted"] = json!(r);
                    v
                }).collect::<Vec<_>>(),
            })
        };
        let value = json!({
            "method": "PRIM (Friedman and Fisher 1999): peeling, then pasting of the chosen box",
            "outcome": self.outcome,
            "threshold": self.threshold,
            "points": self.points,
            "points_of_interest": self.of_interest,
            "alpha": self.options.alpha,
            "min_mass": self.options.min_mass,
            "min_coverage": self.options.min_coverage,
            "chosen_step": self.result.chosen,
            "trajectory": self.result.trajectory.iter().map(box_json).collect::<Vec<_>>(),
            "box": box_json(&self.result.pasted),
        });
        // Serialising a JSON value cannot fail.
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    /// A few lines describing the chosen box.
    pub fn description(&self) -> String {
        let b = &self.result.pasted;
        let mut text = format!(
            "PRIM box for {} > {} ({} of {} points): coverage {:.2}, density {:.2}, {} points ({:.0}% of all), peeling step {} of {}, then pasted\n",
            self.outcome,
            short(self.threshold),
            self.of_interest,
            self.points,
            b.coverage,
            b.density,
            b.points,
            100.0 * b.mass,
            self.result.chosen,
            self.result.trajectory.len() - 1
        );
        let restricted: Vec<String> = self
            .parameters
            .iter()
            .zip(&b.limits)
            .zip(&b.restricted)
            .filter(|(_, r)| **r)
            .map(|((name, l), _)| format!("  {name} in {}", limit_text(l)))
            .collect();
        if restricted.is_empty() {
            text.push_str("  no parameter is restricted\n");
        } else {
            for line in restricted {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    }
}
