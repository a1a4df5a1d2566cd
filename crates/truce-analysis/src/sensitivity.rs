//! Sensitivity indices of a scalar output over the parameters of a design: Sobol' first-order and
//! total indices, Morris elementary effects, standardised regression coefficients.
//!
//! These functions take the outputs already matched to the design's rows; [`crate::design`]
//! does the matching by point id.

use crate::stats::{Interval, Moments, quantile_sorted};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Why indices cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    #[error(
        "the output has no variance across the design (every value is {value}): no parameter explains anything"
    )]
    NoVariance { value: f64 },
    #[error("{what}: need at least {needed}, got {got}")]
    TooFew {
        what: &'static str,
        needed: usize,
        got: usize,
    },
    #[error("the output is not a finite number at {count} design rows")]
    NotFinite { count: usize },
}

/// An index with its bootstrap standard error and 95% percentile interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub estimate: f64,
    pub std_error: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Outputs of a Saltelli design arranged by base row: `a[j]`, `b[j]` and `ab[i][j]` are the
/// outputs at rows `A_j`, `B_j` and `A_B^(i)_j` (A with column `i` taken from B).
#[derive(Debug, Clone, PartialEq)]
pub struct SaltelliOutputs {
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub ab: Vec<Vec<f64>>,
}

/// First-order and total Sobol' indices, one per parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    pub first: Vec<Estimate>,
    pub total: Vec<Estimate>,
    /// Base rows N.
    pub base_rows: usize,
    /// Variance of the output over the A and B rows.
    pub variance: f64,
}

/// Sobol' indices from a Saltelli design.
///
/// With `V` the variance of the outputs of A and B together (denominator `2N`, as in SALib):
/// - first order (Saltelli et al. 2010, "Variance based sensitivity analysis of model output.
///   Design and estimator for the total sensitivity index", Computer Physics Communications
///   181(2), 259–270, table 2 (b)): `S_i = mean_j f(B)_j (f(A_B^i)_j − f(A)_j) / V`;
/// - total (Jansen 1999, "Analysis of variance designs for model output", Computer Physics
///   Communications 117(1–2), 35–43; table 2 (f) of Saltelli et al. 2010):
///   `S_Ti = mean_j (f(A)_j − f(A_B^i)_j)² / (2V)`.
///
/// Intervals: `bootstrap` resamples of the base rows with replacement, drawn from ChaCha8 seeded
/// with `seed`; the standard error is the bootstrap standard deviation and the interval the 2.5%
/// and 97.5% bootstrap percentiles.
pub fn sobol(
    outputs: &SaltelliOutputs,
    bootstrap: usize,
    seed: u64,
) -> Result<SobolIndices, SensitivityError> {
    let n = outputs.a.len();
    if n < 2 {
        return Err(SensitivityError::TooFew {
            what: "Sobol' indices: base rows",
            needed: 2,
            got: n,
        });
    }
    let all = || {
        outputs
            .a
            .iter()
            .chain(&outputs.b)
            .chain(outputs.ab.iter().flatten())
    };
    let bad = all().filter(|y| !y.is_finite()).count();
    if bad > 0 {
        return Err(SensitivityError::NotFinite { count: bad });
    }
    let rows: Vec<usize> = (0..n).collect();
    let (first, total, variance) = indices(outputs, &rows);
    if variance <= 0.0 {
        return Err(SensitivityError::NoVariance {
            value: outputs.a[0],
        });
    }
    let k = outputs.ab.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut boot_first = vec![Vec::with_capacity(bootstrap); k];
    let mut boot_total = vec![Vec::with_capacity(bootstrap); k];
    let mut sample = vec![0; n];
    for _ in 0..bootstrap {
        for s in &mut sample {
            *s = rng.random_range(0..n);
        }
        let (f, t, v) = indices(outputs, &sample);
        if v > 0.0 {
            for i in 0..k {
                boot_first[i].push(f[i]);
                boot_total[i].push(t[i]);
            }
        }
    }
    Ok(SobolIndices {
        first: first
            .iter()
            .zip(&mut boot_first)
            .map(|(&e, b)| with_bootstrap(e, b))
            .collect(),
        total: total
            .iter()
            .zip(&mut boot_total)
            .map(|(&e, b)| with_bootstrap(e, b))
            .collect(),
        base_rows: n,
        variance,
    })
}

/// First-order and total indices, and the variance, over the base rows `rows` (with repeats).
fn indices(outputs: &SaltelliOutputs, rows: &[usize]) -> (Vec<f64>, Vec<f64>, f64) {
    let variance = population_variance(
        rows.iter()
            .map(|&j| outputs.a[j])
            .chain(rows.iter().map(|&j| outputs.b[j])),
    );
    let n = rows.len() as f64;
    let mut first = Vec::with_capacity(outputs.ab.len());
    let mut total = Vec::with_capacity(outputs.ab.len());
    for ab in &outputs.ab {
        let mut s1 = 0.0;
        let mut st = 0.0;
        for &j in rows {
            s1 += outputs.b[j] * (ab[j] - outputs.a[j]);
            st += (outputs.a[j] - ab[j]).powi(2);
        }
        first.push(s1 / n / variance);
        total.push(st / n / (2.0 * variance));
    }
    (first, total, variance)
}

fn population_variance(values: impl Iterator<Item = f64>) -> f64 {
    let m: Moments = values.collect();
    if m.n < 2 {
        0.0
    } else {
        m.variance() * (m.n - 1) as f64 / m.n as f64
    }
}

/// The estimate with the standard deviation and percentile interval of its bootstrap replicates.
fn with_bootstrap(estimate: f64, replicates: &mut [f64]) -> Estimate {
    replicates.sort_by(f64::total_cmp);
    let m: Moments = replicates.iter().copied().collect();
    Estimate {
        estimate,
        std_error: m.sd(),
        lower: quantile_sorted(replicates, 0.025).unwrap_or(f64::NAN),
        upper: quantile_sorted(replicates, 0.975).unwrap_or(f64::NAN),
    }
}

/// Morris measures of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Elementary effects found for the parameter (one per trajectory).
    pub effects: usize,
    /// Mean of the absolute effects (Campolongo, Cariboni and Saltelli 2007), with a bootstrap
    /// interval (resampling the parameter's effects).
    pub mu_star: Estimate,
    /// Mean of the effects (Morris 1991).
    pub mu: f64,
    /// Standard deviation of the effects (denominator `r − 1`): interactions and non-linearity.
    pub sigma: f64,
}

/// Morris measures from elementary effects `(parameter index, effect)` of `k` parameters.
///
/// An elementary effect is `(y(x + Δ e_i) − y(x)) / Δ` between consecutive points of a trajectory
/// (Morris 1991, "Factorial sampling plans for preliminary computational experiments",
/// Technometrics 33(2), 161–174), with `Δ` signed and in unit coordinates.
/// A parameter without effects gets NaN measures.
pub fn morris(
    effects: &[(usize, f64)],
    k: usize,
    bootstrap: usize,
    seed: u64,
) -> Result<Vec<MorrisIndex>, SensitivityError> {
    let bad = effects.iter().filter(|(_, e)| !e.is_finite()).count();
    if bad > 0 {
        return Err(SensitivityError::NotFinite { count: bad });
    }
    if effects.iter().all(|&(_, e)| e == 0.0) {
        return Err(SensitivityError::NoVariance { value: f64::NAN });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(k);
    for i in 0..k {
        let ee: Vec<f64> = effects
            .iter()
            .filter(|(f, _)| *f == i)
            .map(|&(_, e)| e)
            .collect();
        let plain: Moments = ee.iter().copied().collect();
        let absolute: Moments = ee.iter().map(|e| e.abs()).collect();
        let mut replicates = Vec::with_capacity(bootstrap);
        if !ee.is_empty() {
            for _ in 0..bootstrap {
                let m: Moments = (0..ee.len())
                    .map(|_| ee[rng.random_range(0..ee.len())].abs())
                    .collect();
                replicates.push(m.mean());
            }
        }
        out.push(MorrisIndex {
            effects: ee.len(),
            mu_star: with_bootstrap(absolute.mean(), &mut replicates),
            mu: plain.mean(),
            sigma: plain.sd(),
        });
    }
    Ok(out)
}

/// A linear regression on standardised variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    /// Standardised regression coefficients `β_i sd(x_i) / sd(y)`, one per input column;
    /// `None` for a constant column or one collinear with earlier columns.
    pub coefficients: Vec<Option<f64>>,
    /// Share of the output's variance the linear model explains.
    pub r_squared: f64,
    /// Observations used.
    pub n: usize,
}

/// Standardised regression coefficients of `y` on the input columns `x` (each as long as `y`),
/// by least squares with an intercept (Saltelli et al. 2008, *Global Sensitivity Analysis. The
/// Primer*, section 1.2.5). Their squares sum to R² when the inputs are uncorrelated.
pub fn src(x: &[Vec<f64>], y: &[f64]) -> Result<Regression, SensitivityError> {
    let n = y.len();
    let bad = y
        .iter()
        .chain(x.iter().flatten())
        .filter(|v| !v.is_finite());
    let bad = bad.count();
    if bad > 0 {
        return Err(SensitivityError::NotFinite { count: bad });
    }
    if n < x.len() + 2 {
        return Err(SensitivityError::TooFew {
            what: "regression: design points (parameters + 2)",
            needed: x.len() + 2,
            got: n,
        });
    }
    let y_stats: Moments = y.iter().copied().collect();
    let y_sd = y_stats.sd();
    if y_sd.is_nan() || y_sd <= 0.0 {
        return Err(SensitivityError::NoVariance { value: y[0] });
    }
    let standardise = |v: &[f64]| -> Option<Vec<f64>> {
        let m: Moments = v.iter().copied().collect();
        let sd = m.sd();
        (sd > 0.0).then(|| v.iter().map(|x| (x - m.mean()) / sd).collect())
    };
    let ys = standardise(y).unwrap_or_default();
    let columns: Vec<Option<Vec<f64>>> = x.iter().map(|c| standardise(c)).collect();
    let used: Vec<usize> = (0..x.len()).filter(|&i| columns[i].is_some()).collect();
    let p = used.len();
    // Normal equations on standardised data: (Z'Z) β = Z'y, solved by Gaussian elimination with
    // partial pivoting; a pivot near zero marks a collinear column.
    let mut a = vec![vec![0.0; p + 1]; p];
    for (r, &i) in used.iter().enumerate() {
        let zi = columns[i].as_deref().unwrap_or_default();
        for (c, &j) in used.iter().enumerate() {
            let zj = columns[j].as_deref().unwrap_or_default();
            a[r][c] = zi.iter().zip(zj).map(|(u, v)| u * v).sum();
        }
        a[r][p] = zi.iter().zip(&ys).map(|(u, v)| u * v).sum();
    }
    let solution = solve(&mut a, (n - 1) as f64 * 1e-10);
    let mut coefficients = vec![None; x.len()];
    for (r, &i) in used.iter().enumerate() {
        coefficients[i] = solution[r];
    }
    let fitted_ss: f64 = ys
        .iter()
        .enumerate()
        .map(|(row, &yv)| {
            let fit: f64 = used
                .iter()
                .enumerate()
                .filter_map(|(r, &i)| Some(solution[r]? * columns[i].as_deref()?[row]))
                .sum();
            (yv - fit).powi(2)
        })
        .sum();
    Ok(Regression {
        coefficients,
        r_squared: 1.0 - fitted_ss / (n - 1) as f64,
        n,
    })
}

/// Solves the augmented system `a` in place; unknowns whose pivot falls below `tolerance` are
/// set to zero and reported as `None`.
fn solve(a: &mut [Vec<f64>], tolerance: f64) -> Vec<Option<f64>> {
    let p = a.len();
    let mut pivot_of = vec![None; p];
    let mut row = 0;
    for col in 0..p {
        let best = (row..p).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()));
        let Some(best) = best.filter(|&b| a[b][col].abs() > tolerance) else {
            continue;
        };
        a.swap(row, best);
        let pivot = a[row].clone();
        for (r, line) in a.iter_mut().enumerate() {
            let f = line[col] / pivot[col];
            if r != row && f != 0.0 {
                for (x, y) in line[col..].iter_mut().zip(&pivot[col..]) {
                    *x -= f * y;
                }
            }
        }
        pivot_of[col] = Some(row);
        row += 1;
    }
    pivot_of
        .iter()
        .enumerate()
        .map(|(col, r)| r.map(|r| a[r][p] / a[r][col]))
        .collect()
}

/// An [`Estimate`] as an [`Interval`].
impl From<Estimate> for Interval {
    fn from(e: Estimate) -> Self {
        Interval {
            estimate: e.estimate,
            lower: e.lower,
            upper: e.upper,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collinear_columns_are_left_out() {
        let x1: Vec<f64> = (0..20).map(f64::from).collect();
        let x2 = x1.clone();
        let y: Vec<f64> = x1.iter().map(|v| 3.0 * v + 1.0).collect();
        let r = src(&[x1, x2], &y).unwrap();
        assert!((r.coefficients[0].unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(r.coefficients[1], None);
        assert!((r.r_squared - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let x: Vec<f64> = (0..10).map(f64::from).collect();
        assert!(matches!(
            src(&[x], &[2.0; 10]),
            Err(SensitivityError::NoVariance { .. })
        ));
    }
}
