//! Fitting parameters to data (`truce calibrate`): the simulated method of moments under common
//! random numbers, its criterion, the Nelder–Mead search that minimises it, and the confidence set.
//!
//! Targets are probabilities of binary outcomes by a day (a survival S(t) is 1 − P(collapsed by t)),
//! each with a standard error. At a candidate θ, every target's simulated probability m_k(θ) comes
//! from the same replications 0..n (common random numbers, so the criterion is one deterministic
//! function of θ), and the criterion is
//!
//! J(θ) = Σ_k (m_k(θ) − m̂_k)² / (se_k² + m_k(θ)(1 − m_k(θ)) / n),
//!
//! the simulated method of moments with the diagonal of the efficient weight (McFadden 1989,
//! "A method of simulated moments for estimation of discrete response models without numerical
//! integration", *Econometrica* 57(5); Gouriéroux and Monfort 1996, *Simulation-Based Econometric
//! Methods*, ch. 2), the simulation's own variance added to the data's. At the minimum θ̂,
//! J(θ̂) is approximately χ² with K − p degrees of freedom when the model fits (K targets, p
//! parameters): the goodness-of-fit test. The 95% confidence set holds every candidate evaluated
//! with J(θ) − J(θ̂) ≤ χ²_p(0.95) (the criterion-difference test of Newey and West 1987,
//! "Hypothesis testing with efficient method of moments estimation", *International Economic
//! Review* 28(3)); each parameter's interval is the range of its values over the set.
//!
//! The search: a Latin hypercube of candidates over the bounds, then Nelder–Mead (Nelder and Mead
//! 1965; the standard coefficients 1, 2, 1/2, 1/2) from the best of them, in coordinates scaled to
//! the unit cube and kept inside it.

use crate::sweep::{BINARY_OUTCOMES, ParameterConfig};
use crate::validate::Problem;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `[calibrate]` table of a calibrate file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalibrateConfig {
    /// A base scenario file, relative to the calibrate file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Replications at every candidate (the same ones: common random numbers).
    #[serde(default = "default_replications")]
    pub replications: u64,
    /// Candidates of the Latin hypercube that starts the search.
    #[serde(default = "default_explore")]
    pub explore: usize,
    /// Candidates of the Nelder–Mead refinement after it.
    #[serde(default = "default_refine")]
    pub refine: usize,
    /// The parameters, each with `key`, `min` and `max`.
    pub parameters: Vec<ParameterConfig>,
    /// Targets computed from a data file of durations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataConfig>,
    /// Targets given directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetConfig>,
}

fn default_replications() -> u64 {
    1000
}

fn default_explore() -> usize {
    24
}

fn default_refine() -> usize {
    40
}

/// Survival targets from a table of durations, by Kaplan–Meier with Greenwood standard errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// A CSV or Parquet file, relative to the calibrate file.
    pub file: String,
    /// Column of durations.
    pub time: String,
    /// Column of event flags (1 or true: the ceasefire ended; 0: censored).
    pub event: String,
    /// Days per unit of `time` (365.24 for years).
    #[serde(default = "one")]
    pub time_scale: f64,
    /// Keep only rows whose column equals the value, for every column given.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub filter: toml::Table,
    /// The days t at which S(t) is a target.
    pub days: Vec<f64>,
}

fn one() -> f64 {
    1.0
}

/// One target given directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    /// A survival target: S(day), the share not collapsed by this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survival_day: Option<f64>,
    /// Or a binary outcome (`collapsed`, `violated`, …), by `within_days` when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<f64>,
    /// The value to reproduce: S(day), or P(outcome).
    pub value: f64,
    /// Its standard error.
    pub se: f64,
}

/// A target as the calibration uses it: P(outcome by day) = `probability` ± `se`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// How it is printed: `S(30)` or `P(violated by 365)`.
    pub label: String,
    pub outcome: String,
    pub within_days: Option<f64>,
    /// A survival target: its value is 1 − `probability`.
    pub survival: bool,
    pub probability: f64,
    pub se: f64,
}

impl Target {
    /// A survival target S(day) = value ± se.
    pub fn survival(day: f64, value: f64, se: f64) -> Self {
        Target {
            label: format!("S({day})"),
            outcome: "collapsed".into(),
            within_days: Some(day),
            survival: true,
            probability: 1.0 - value,
            se,
        }
    }

    /// The value as given (S(t), or P).
    pub fn shown(&self, probability: f64) -> f64 {
        if self.survival {
            1.0 - probability
        } else {
            probability
        }
    }
}

impl CalibrateConfig {
    /// Every problem of the table on its own (keys are checked against the scenario elsewhere).
    pub fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut bad = |key: String, message: String| {
            problems.push(Problem {
                key: format!("calibrate.{key}"),
                message,
            })
        };
        if self.replications < 10 {
            bad(
                "replications".into(),
                format!("must be at least 10 (got {})", self.replications),
            );
        }
        if self.explore < 2 {
            bad(
                "explore".into(),
                format!("must be at least 2 (got {})", self.explore),
            );
        }
        if self.parameters.is_empty() {
            bad(
                "parameters".into(),
                "is empty: add [[calibrate.parameters]] tables with key, min and max".into(),
            );
        }
        for (i, p) in self.parameters.iter().enumerate() {
            match (p.min, p.max) {
                (Some(a), Some(b)) if a.is_finite() && b.is_finite() && a < b => {}
                (Some(a), Some(b)) => bad(
                    format!("parameters[{i}] ({})", p.key),
                    format!("min must be below max (got {a} and {b})"),
                ),
                _ => bad(
                    format!("parameters[{i}] ({})", p.key),
                    "give min and max".into(),
                ),
            }
            if p.values.is_some() || p.steps.is_some() {
                bad(
                    format!("parameters[{i}] ({})", p.key),
                    "takes only key, min and max (and distribution)".into(),
                );
            }
        }
        if self.data.is_none() && self.targets.is_empty() {
            bad(
                "targets".into(),
                "no targets: give [calibrate.data] or [[calibrate.targets]]".into(),
            );
        }
        if let Some(d) = &self.data {
            if d.days.is_empty() {
                bad(
                    "data.days".into(),
                    "is empty: give the days t of S(t)".into(),
                );
            }
            for (i, t) in d.days.iter().enumerate() {
                if !(t.is_finite() && *t > 0.0) {
                    bad(format!("data.days[{i}]"), format!("must be > 0 (got {t})"));
                }
            }
            if !(d.time_scale.is_finite() && d.time_scale > 0.0) {
                bad(
                    "data.time_scale".into(),
                    format!("must be > 0 (got {})", d.time_scale),
                );
            }
        }
        for (i, t) in self.targets.iter().enumerate() {
            let at = format!("targets[{i}]");
            match (&t.survival_day, &t.outcome) {
                (Some(day), None) => {
                    if !(day.is_finite() && *day > 0.0) {
                        bad(
                            format!("{at}.survival_day"),
                            format!("must be > 0 (got {day})"),
                        );
                    }
                }
                (None, Some(outcome)) => {
                    if !BINARY_OUTCOMES.contains(&outcome.as_str()) {
                        bad(
                            format!("{at}.outcome"),
                            format!(
                                "`{outcome}` is not a binary outcome of the record: use one of {}",
                                BINARY_OUTCOMES.join(", ")
                            ),
                        );
                    }
                }
                _ => bad(at.clone(), "give either survival_day or outcome".into()),
            }
            if !(0.0..=1.0).contains(&t.value) {
                bad(
                    format!("{at}.value"),
                    format!("must be a probability in [0, 1] (got {})", t.value),
                );
            }
            if !(t.se.is_finite() && t.se > 0.0) {
                bad(format!("{at}.se"), format!("must be > 0 (got {})", t.se));
            }
        }
        problems
    }

    /// The targets given directly.
    pub fn direct_targets(&self) -> Vec<Target> {
        self.targets
            .iter()
            .map(|t| match (&t.survival_day, &t.outcome) {
                (Some(day), _) => Target::survival(*day, t.value, t.se),
                (None, outcome) => {
                    let outcome = outcome.clone().unwrap_or_default();
                    Target {
                        label: match t.within_days {
                            Some(d) => format!("P({outcome} by {d})"),
                            None => format!("P({outcome})"),
                        },
                        outcome,
                        within_days: t.within_days,
                        survival: false,
                        probability: t.value,
                        se: t.se,
                    }
                }
            })
            .collect()
    }
}

/// The criterion J at simulated probabilities `simulated` (one per target) from `n` replications.
pub fn criterion(targets: &[Target], simulated: &[f64], n: u64) -> f64 {
    targets
        .iter()
        .zip(simulated)
        .map(|(t, &m)| {
            let variance = t.se * t.se + m * (1.0 - m) / n as f64;
            (m - t.probability).powi(2) / variance
        })
        .sum()
}

/// Minimises `f` over the unit cube by Nelder–Mead from `start`, with an initial simplex of
/// `step` along each axis (kept inside the cube), for at most `evaluations` calls of `f`.
/// Returns every point evaluated with its value, in the order evaluated.
pub fn nelder_mead<E>(
    start: &[f64],
    step: f64,
    evaluations: usize,
    mut f: impl FnMut(&[f64]) -> Result<f64, E>,
) -> Result<Vec<(Vec<f64>, f64)>, E> {
    let clamp = |x: Vec<f64>| -> Vec<f64> { x.into_iter().map(|v| v.clamp(0.0, 1.0)).collect() };
    let mut log: Vec<(Vec<f64>, f64)> = Vec::new();
    let mut eval = |x: Vec<f64>, log: &mut Vec<(Vec<f64>, f64)>| -> Result<Option<f64>, E> {
        if log.len() >= evaluations {
            return Ok(None);
        }
        let value = f(&x)?;
        log.push((x, value));
        Ok(Some(value))
    };
    let dim = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(dim + 1);
    let Some(v) = eval(start.to_vec(), &mut log)? else {
        return Ok(log);
    };
    simplex.push((start.to_vec(), v));
    for i in 0..dim {
        let mut x = start.to_vec();
        // Step inward from a face of the cube.
        x[i] = if x[i] + step <= 1.0 {
            x[i] + step
        } else {
            x[i] - step
        };
        let x = clamp(x);
        let Some(v) = eval(x.clone(), &mut log)? else {
            return Ok(log);
        };
        simplex.push((x, v));
    }
    loop {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let worst = simplex[dim].clone();
        let centroid: Vec<f64> = (0..dim)
            .map(|j| simplex[..dim].iter().map(|(x, _)| x[j]).sum::<f64>() / dim as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            clamp(
                centroid
                    .iter()
                    .zip(&worst.0)
                    .map(|(c, w)| c + t * (c - w))
                    .collect(),
            )
        };
        let reflected = along(1.0);
        let Some(fr) = eval(reflected.clone(), &mut log)? else {
            return Ok(log);
        };
        if fr < simplex[0].1 {
            let expanded = along(2.0);
            let Some(fe) = eval(expanded.clone(), &mut log)? else {
                return Ok(log);
            };
            simplex[dim] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[dim - 1].1 {
            simplex[dim] = (reflected, fr);
        } else {
            let (contracted, outside) = if fr < worst.1 {
                (along(0.5), true)
            } else {
                (along(-0.5), false)
            };
            let Some(fc) = eval(contracted.clone(), &mut log)? else {
                return Ok(log);
            };
            if (outside && fc <= fr) || (!outside && fc < worst.1) {
                simplex[dim] = (contracted, fc);
            } else {
                // Shrink toward the best point.
                let best = simplex[0].0.clone();
                for vertex in simplex.iter_mut().skip(1) {
                    let x: Vec<f64> = best
                        .iter()
                        .zip(&vertex.0)
                        .map(|(b, v)| b + 0.5 * (v - b))
                        .collect();
                    let Some(v) = eval(x.clone(), &mut log)? else {
                        return Ok(log);
                    };
                    *vertex = (x, v);
                }
            }
        }
        // A simplex collapsed to a point has nothing left to search.
        let spread = simplex
            .iter()
            .map(|(x, _)| {
                x.iter()
                    .zip(&simplex[0].0)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if spread < 1e-6 {
            return Ok(log);
        }
    }
}

/// The 95% quantile of χ² with `df` degrees of freedom (Wilson–Hilferty, exact to about 1% for
/// df ≥ 1; the table for df ≤ 10).
pub fn chi2_95(df: usize) -> f64 {
    const TABLE: [f64; 10] = [
        3.841, 5.991, 7.815, 9.488, 11.070, 12.592, 14.067, 15.507, 16.919, 18.307,
    ];
    if (1..=10).contains(&df) {
        return TABLE[df - 1];
    }
    let k = df as f64;
    let z = 1.644_853_626_951_472_2;
    k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_bowl_inside_the_cube() {
        let log = nelder_mead(&[0.9, 0.1], 0.2, 200, |x| -> Result<f64, ()> {
            Ok((x[0] - 0.3).powi(2) + 3.0 * (x[1] - 0.6).powi(2))
        })
        .unwrap();
        let best = log.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert!(
            (best.0[0] - 0.3).abs() < 1e-3 && (best.0[1] - 0.6).abs() < 1e-3,
            "{best:?}"
        );
        assert!(log.len() <= 200);
        assert!(
            log.iter()
                .all(|(x, _)| x.iter().all(|v| (0.0..=1.0).contains(v)))
        );
    }

    #[test]
    fn nelder_mead_stays_in_the_cube_for_a_minimum_on_its_face() {
        let log = nelder_mead(&[0.5], 0.25, 60, |x| -> Result<f64, ()> { Ok(-x[0]) }).unwrap();
        let best = log.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(best.0[0], 1.0);
    }

    #[test]
    fn the_criterion_weighs_by_both_variances() {
        let t = [Target::survival(30.0, 0.9, 0.03)];
        // m = 0.2 against 0.1: (0.1)² / (0.0009 + 0.16 / 100).
        let j = criterion(&t, &[0.2], 100);
        assert!((j - 0.01 / (0.0009 + 0.0016)).abs() < 1e-12);
        assert!(criterion(&t, &[0.1], 100) < 1e-20);
    }

    #[test]
    fn chi2_quantiles_match_tables() {
        assert_eq!(chi2_95(1), 3.841);
        // 20 degrees of freedom: 31.410.
        assert!((chi2_95(20) - 31.410).abs() < 0.1);
    }
}
