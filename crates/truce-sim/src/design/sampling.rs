//! Random and Latin hypercube samples of the unit hypercube, and the shuffle the designs share.

use super::Role;
use rand::{Rng, RngExt};

/// `samples` points of `k` independent uniform coordinates in `[0, 1)`, drawn point by point.
pub(super) fn random<R: Rng>(samples: usize, k: usize, rng: &mut R) -> Vec<(Vec<f64>, Role)> {
    (0..samples)
        .map(|_| ((0..k).map(|_| rng.random::<f64>()).collect(), Role::Sample))
        .collect()
}

/// A Latin hypercube of `samples` points in `k` dimensions (McKay, Beckman and Conover 1979).
///
/// For each dimension in turn: a random permutation `perm` of the strata, then for each point `j` a
/// uniform position within stratum `perm[j]`, the interval `[perm[j] / n, (perm[j] + 1) / n)`.
pub(super) fn latin_hypercube<R: Rng>(
    samples: usize,
    k: usize,
    rng: &mut R,
) -> Vec<(Vec<f64>, Role)> {
    let n = samples as f64;
    let mut units = vec![vec![0.0; k]; samples];
    for dimension in 0..k {
        let mut strata: Vec<usize> = (0..samples).collect();
        shuffle(&mut strata, rng);
        for (point, &stratum) in units.iter_mut().zip(&strata) {
            let low = stratum as f64 / n;
            let high = (stratum + 1) as f64 / n;
            let jitter: f64 = rng.random();
            // Rounding must not carry the point into the next stratum.
            point[dimension] = (low + jitter * (high - low)).min(high.next_down());
        }
    }
    units.into_iter().map(|u| (u, Role::Sample)).collect()
}

/// Shuffles `items` in place by Fisher–Yates (Durstenfeld's version): for `i` from the last index
/// down to 1, swap item `i` with an item drawn uniformly from `0..=i`.
/// Written out rather than taken from `rand` so that the order of draws is fixed here.
pub(super) fn shuffle<T, R: Rng>(items: &mut [T], rng: &mut R) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::unit;
    use super::super::{Design, expand};
    use super::*;
    use crate::seed::{Source, stream};

    #[test]
    fn each_stratum_is_hit_once_in_each_dimension() {
        for (samples, k) in [(1, 1), (2, 3), (10, 4), (97, 2), (1000, 3)] {
            let points = expand(&Design::Lhs { samples }, &unit(k), 7).unwrap();
            assert_eq!(points.len(), samples);
            for dimension in 0..k {
                let mut hits = vec![0; samples];
                for point in &points {
                    let u = point.unit[dimension];
                    let stratum = (0..samples)
                        .find(|&s| {
                            s as f64 / samples as f64 <= u && u < (s + 1) as f64 / samples as f64
                        })
                        .expect("a unit coordinate in [0, 1)");
                    hits[stratum] += 1;
                    assert_eq!(point.values[dimension], toml::Value::Float(u));
                    assert_eq!(point.role, Role::Sample);
                }
                assert!(hits.iter().all(|&h| h == 1), "{samples} x {k}: {hits:?}");
            }
        }
    }

    #[test]
    fn random_coordinates_are_uniform_in_the_unit_interval() {
        let points = expand(&Design::Random { samples: 2000 }, &unit(2), 3).unwrap();
        let mean: f64 = points.iter().map(|p| p.unit[0]).sum::<f64>() / 2000.0;
        // The standard error of the mean is 1 / sqrt(12 * 2000), about 0.0065.
        assert!((mean - 0.5).abs() < 0.03, "{mean}");
        assert!(
            points
                .iter()
                .flat_map(|p| &p.unit)
                .all(|u| (0.0..1.0).contains(u))
        );
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = stream(1, Source::Design);
        let mut items: Vec<usize> = (0..50).collect();
        shuffle(&mut items, &mut rng);
        assert_ne!(items, (0..50).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<_>>());
        let mut one = [7];
        shuffle(&mut one, &mut rng);
        assert_eq!(one, [7]);
        let mut none: [u8; 0] = [];
        shuffle(&mut none, &mut rng);
    }
}
