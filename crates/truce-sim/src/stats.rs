//! Small numerical helpers: the normal and lognormal CDFs the model needs, and the Wilson interval
//! of a proportion, shared by the summary, the precision rule, solve, calibrate and the analysis.

/// The complementary error function, with fractional error below 1.2e-7 everywhere
/// (Chebyshev fit of Press et al., *Numerical Recipes*, 3rd ed., section 6.2).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 2.0 / (2.0 + z);
    let ty = 4.0 * t - 2.0;
    const COF: [f64; 28] = [
        -1.3026537197817094,
        6.419_697_923_564_902e-1,
        1.9476473204185836e-2,
        -9.561_514_786_808_63e-3,
        -9.46595344482036e-4,
        3.66839497852761e-4,
        4.2523324806907e-5,
        -2.0278578112534e-5,
        -1.624290004647e-6,
        1.303655835580e-6,
        1.5626441722e-8,
        -8.5238095915e-8,
        6.529054439e-9,
        5.059343495e-9,
        -9.91364156e-10,
        -2.27365122e-10,
        9.6467911e-11,
        2.394038e-12,
        -6.886027e-12,
        8.94487e-13,
        3.13092e-13,
        -1.12708e-13,
        3.81e-16,
        7.106e-15,
        -1.523e-15,
        -9.4e-17,
        1.21e-16,
        -2.8e-17,
    ];
    let (mut d, mut dd) = (0.0, 0.0);
    for &c in COF[1..].iter().rev() {
        let tmp = d;
        d = ty * d - dd + c;
        dd = tmp;
    }
    let r = t * (-z * z + 0.5 * (COF[0] + ty * d) - dd).exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// The standard normal CDF.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// P(X ≤ x) for a lognormal X with the given median and σ of its logarithm.
pub fn lognormal_cdf(x: f64, median: f64, sigma: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if sigma == 0.0 {
        return if x >= median { 1.0 } else { 0.0 };
    }
    normal_cdf((x / median).ln() / sigma)
}

/// The centre and the half-width of the Wilson score interval of a proportion of `hits` in `n` at
/// normal quantile `z`, before any clipping (Wilson 1927; Agresti and Coull 1998, eq. 2; method 3 of
/// Newcombe 1998); `None` when n = 0. Every Wilson interval of truce is computed here.
pub fn wilson_score(hits: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = hits as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some((centre, half))
}

/// The Wilson score interval of `hits` in `n` at normal quantile `z`, in [0, 1], its bounds exactly
/// 0 at no hits and 1 at `n` hits (rounding would leave them a hair off); `None` when n = 0.
pub fn wilson_interval(hits: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    let (centre, half) = wilson_score(hits, n, z)?;
    let low = if hits == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if hits >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((low, high))
}

/// The 95% Wilson score interval of `hits` in `n`, its bounds only clipped to [0, 1] (solve and
/// calibrate report these); (0, 1) when n = 0.
pub fn wilson(hits: u64, n: u64) -> (f64, f64) {
    match wilson_score(hits, n, Z95) {
        None => (0.0, 1.0),
        Some((centre, half)) => ((centre - half).max(0.0), (centre + half).min(1.0)),
    }
}

/// Half-width of the 95% Wilson interval of `hits` out of `n` (before clipping to [0, 1]);
/// infinite when n = 0.
pub fn wilson_half_width(hits: u64, n: u64) -> f64 {
    wilson_score(hits, n, Z95).map_or(f64::INFINITY, |(_, half)| half)
}

/// The 97.5% quantile of the standard normal, for two-sided 95% intervals.
pub const Z95: f64 = 1.959_963_984_540_054;
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_tables() {
        for (z, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_543),
            (1.959_963_984_540_054, 0.975),
            (-2.326_347_874_040_841, 0.01),
            (3.0, 0.998_650_101_968_370),
        ] {
            assert!(
                (normal_cdf(z) - p).abs() < 1e-9,
                "z {z}: {} vs {p}",
                normal_cdf(z)
            );
        }
    }

    #[test]
    fn lognormal_median_is_half() {
        assert!((lognormal_cdf(14.0, 14.0, 0.5) - 0.5).abs() < 1e-12);
        assert_eq!(lognormal_cdf(0.0, 14.0, 0.5), 0.0);
    }

    #[test]
    fn wilson_matches_a_published_interval() {
        // Agresti and Coull (1998), 81 of 263: 0.2553 to 0.3662.
        let (low, high) = wilson(81, 263);
        assert!((low - 0.2553).abs() < 1e-4 && (high - 0.3662).abs() < 1e-4);
        assert_eq!(wilson(0, 0), (0.0, 1.0));
        assert_eq!(wilson_interval(0, 10, Z95).unwrap().0, 0.0);
        assert_eq!(wilson_interval(10, 10, Z95).unwrap().1, 1.0);
        assert_eq!(wilson_interval(0, 0, Z95), None);
    }
}
