//! Interval estimates: proportions (Wilson), differences of proportions (Newcombe), means (Student t).
//!
//! Every interval here is a two-sided 95% interval unless a confidence level is passed.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The 97.5% quantile of the standard normal distribution, for 95% intervals.
pub use truce_sim::stats::Z95;

/// An estimate with the bounds of its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The `1 − (1 − level) / 2` quantile of the standard normal distribution: 1.96 for `level = 0.95`.
pub fn normal_quantile(level: f64) -> f64 {
    if level == 0.95 {
        return Z95;
    }
    // The standard normal always builds.
    Normal::standard().inverse_cdf(1.0 - (1.0 - level) / 2.0)
}

/// The `1 − (1 − level) / 2` quantile of Student's t distribution with `df` degrees of freedom;
/// the normal quantile when `df` is not a positive finite number.
pub fn t_quantile(level: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) if df.is_finite() => t.inverse_cdf(1.0 - (1.0 - level) / 2.0),
        _ => normal_quantile(level),
    }
}

/// The Wilson score interval of a proportion of `hits` out of `n`, at 95%.
///
/// Wilson (1927), "Probable inference, the law of succession, and statistical inference", JASA
/// 22(158), 209–212; method 3 of Newcombe (1998), "Two-sided confidence intervals for the single
/// proportion: comparison of seven methods", Statistics in Medicine 17(8), 857–872.
/// `None` when `n = 0`.
pub fn wilson(hits: u64, n: u64) -> Option<Interval> {
    wilson_at(hits, n, 0.95)
}

/// [`wilson`] at another confidence level.
pub fn wilson_at(hits: u64, n: u64, level: f64) -> Option<Interval> {
    let hits = hits.min(n);
    let (lower, upper) = truce_sim::stats::wilson_interval(hits, n, normal_quantile(level))?;
    Some(Interval {
        estimate: hits as f64 / n as f64,
        lower,
        upper,
    })
}

/// The difference `p1 − p2` of two independent proportions with Newcombe's hybrid score interval
/// (method 10 of Newcombe 1998, "Interval estimation for the difference between independent
/// proportions: comparison of eleven methods", Statistics in Medicine 17(8), 873–890), built from
/// the two Wilson intervals. `None` when either sample is empty.
pub fn newcombe_difference(hits1: u64, n1: u64, hits2: u64, n2: u64) -> Option<Interval> {
    let a = wilson(hits1, n1)?;
    let b = wilson(hits2, n2)?;
    let d = a.estimate - b.estimate;
    Some(Interval {
        estimate: d,
        lower: d - ((a.estimate - a.lower).powi(2) + (b.upper - b.estimate).powi(2)).sqrt(),
        upper: d + ((a.upper - a.estimate).powi(2) + (b.estimate - b.lower).powi(2)).sqrt(),
    })
}

/// The mean of a sample with its Student t interval at 95%, from its size, mean and standard
/// deviation (with `n − 1` in the denominator). The interval is `None` below two observations.
pub fn mean_interval(n: u64, mean: f64, sd: f64) -> Option<Interval> {
    if n < 2 || !mean.is_finite() || !sd.is_finite() {
        return None;
    }
    let half = t_quantile(0.95, (n - 1) as f64) * sd / (n as f64).sqrt();
    Some(Interval {
        estimate: mean,
        lower: mean - half,
        upper: mean + half,
    })
}

/// Running sums for a mean and a variance, by Welford's method (stable for long sums).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds one observation.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The mean; NaN with no observation.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// The sample variance (denominator `n − 1`); NaN below two observations.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }

    /// The sample standard deviation.
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Moments::default();
        for x in iter {
            m.push(x);
        }
        m
    }
}

/// The `q` quantile of sorted data by linear interpolation between order statistics (type 7 of
/// Hyndman and Fan 1996, the default of R and NumPy); `None` for empty data.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let below = h.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    Some(sorted[below] + (h - below as f64) * (sorted[above] - sorted[below]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_match_the_two_pass_formulas() {
        let m: Moments = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .into_iter()
            .collect();
        assert_eq!(m.mean(), 5.0);
        assert!((m.variance() - 32.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn quantiles_interpolate_like_r_type_7() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&x, 0.5), Some(2.5));
        assert!((quantile_sorted(&x, 0.1).unwrap() - 1.3).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn t_quantiles_are_the_tabulated_ones() {
        assert!((t_quantile(0.95, 10.0) - 2.228_138_852).abs() < 1e-6);
        assert!((t_quantile(0.95, f64::INFINITY) - Z95).abs() < 1e-12);
    }
}
