//! Draws of the model's counting distributions, shared by the handlers that need them.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Gamma, Poisson};

/// A Poisson count with the given mean (0 for a mean of 0).
pub fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0;
    }
    match Poisson::new(mean) {
        Ok(dist) => {
            let x: f64 = rng.sample(dist);
            x as u64
        }
        Err(_) => 0,
    }
}

/// A negative binomial count with mean `mean` and dispersion `k`, as a Gamma–Poisson mixture:
/// variance mean + mean²/k.
pub fn negative_binomial(rng: &mut ChaCha8Rng, mean: f64, k: f64) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    let lambda: f64 = match Gamma::new(k, mean / k) {
        Ok(g) => rng.sample(g),
        Err(_) => mean,
    };
    poisson(rng, lambda)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Background counts have mean r and variance r + r²/k (docs/model.md section 13).
    #[test]
    fn negative_binomial_moments() {
        let mut rng = crate::seed::stream(3, crate::seed::Source::Background);
        let (r, k, n) = (800.0, 2.0, 40_000);
        let xs: Vec<f64> = (0..n)
            .map(|_| negative_binomial(&mut rng, r, k) as f64)
            .collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let v = r + r * r / k;
        assert!(
            (mean - r).abs() < 5.0 * (v / n as f64).sqrt(),
            "mean {mean}"
        );
        // Var of the sample variance: (μ4 − σ⁴(n−3)/(n−1))/n; for a Gamma–Poisson mixture with
        // shape 2 the excess kurtosis is about 6/k = 3, so μ4 ≈ 6σ⁴ and the SE is about √(5/n)·σ².
        let se_var = (5.0 / n as f64).sqrt() * v;
        assert!((var - v).abs() < 5.0 * se_var, "variance {var} vs {v}");
    }
}
