//! Morris's random one-factor-at-a-time trajectories (Morris 1991).

use super::Role;
use super::sampling::shuffle;
use rand::{Rng, RngExt};

/// `trajectories` trajectories of `k + 1` points on the grid `{0, 1/(p−1), …, 1}` of `p = levels`
/// levels (`p` even), with the jump `Δ = p / (2 (p − 1))`, that is `p / 2` levels.
///
/// Each trajectory is Morris's `B* = (J x* + (Δ/2) [(2B − J) D* + J]) P*`: a base point `x*` drawn
/// from the levels `x` with `x + Δ <= 1`, a sign `D*_i = ±1` for each factor, and a random order
/// `P*` of the factors. Factor `i` starts at `x*_i` if its sign is `+` and at `x*_i + Δ` if it is
/// `−`; at its turn it moves by `D*_i Δ`. Every point therefore stays on the grid in `[0, 1]`, and
/// each factor changes exactly once. Levels are handled as integers, so the unit coordinates are
/// exact multiples of `1/(p−1)`, with 0 and 1 exact.
pub(super) fn units<R: Rng>(
    trajectories: usize,
    levels: usize,
    k: usize,
    rng: &mut R,
) -> Vec<(Vec<f64>, Role)> {
    let jump = levels / 2;
    let delta = levels as f64 / (2 * (levels - 1)) as f64;
    let unit = |level: usize| level as f64 / (levels - 1) as f64;
    let mut out = Vec::with_capacity(trajectories * (k + 1));
    for trajectory in 0..trajectories {
        let base: Vec<usize> = (0..k).map(|_| rng.random_range(0..jump)).collect();
        let up: Vec<bool> = (0..k).map(|_| rng.random()).collect();
        let mut order: Vec<usize> = (0..k).collect();
        shuffle(&mut order, rng);
        let mut current: Vec<usize> = base
            .iter()
            .zip(&up)
            .map(|(&x, &up)| if up { x } else { x + jump })
            .collect();
        out.push((
            current.iter().map(|&l| unit(l)).collect(),
            Role::Morris {
                trajectory,
                step: 0,
                factor: None,
                delta: 0.0,
            },
        ));
        for (step, &factor) in order.iter().enumerate() {
            let signed = if up[factor] {
                current[factor] += jump;
                delta
            } else {
                current[factor] -= jump;
                -delta
            };
            out.push((
                current.iter().map(|&l| unit(l)).collect(),
                Role::Morris {
                    trajectory,
                    step: step + 1,
                    factor: Some(factor),
                    delta: signed,
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{mixed, unit};
    use super::super::{Design, Point, expand};
    use super::*;

    fn design(trajectories: usize, levels: usize) -> Design {
        Design::Morris {
            trajectories,
            levels,
        }
    }

    /// The level of a unit coordinate on a grid of `levels` levels, checking that it is on the grid.
    fn level(u: f64, levels: usize) -> usize {
        let scaled = u * (levels - 1) as f64;
        let level = scaled.round();
        assert!((scaled - level).abs() < 1e-9, "{u} is off the grid");
        level as usize
    }

    fn check_trajectories(points: &[Point], trajectories: usize, levels: usize, k: usize) {
        let delta = levels as f64 / (2 * (levels - 1)) as f64;
        assert_eq!(points.len(), trajectories * (k + 1));
        for (t, chunk) in points.chunks(k + 1).enumerate() {
            assert_eq!(
                chunk[0].role,
                Role::Morris {
                    trajectory: t,
                    step: 0,
                    factor: None,
                    delta: 0.0
                }
            );
            assert!(chunk[0].unit.iter().all(|u| (0.0..=1.0).contains(u)));
            let mut changed = vec![0; k];
            for (step, pair) in chunk.windows(2).enumerate() {
                let (before, after) = (&pair[0], &pair[1]);
                let Role::Morris {
                    trajectory,
                    step: s,
                    factor: Some(factor),
                    delta: d,
                } = after.role
                else {
                    panic!("unexpected {:?}", after.role)
                };
                assert_eq!((trajectory, s), (t, step + 1));
                assert!(d == delta || d == -delta, "{d}");
                changed[factor] += 1;
                for (j, (&u0, &u1)) in before.unit.iter().zip(&after.unit).enumerate() {
                    assert!((0.0..=1.0).contains(&u1));
                    let (l0, l1) = (level(u0, levels), level(u1, levels));
                    if j == factor {
                        assert!((u1 - u0 - d).abs() < 1e-12, "{u0} -> {u1} by {d}");
                        let expected = if d > 0.0 {
                            l0 + levels / 2
                        } else {
                            l0 - levels / 2
                        };
                        assert_eq!(l1, expected);
                    } else {
                        assert_eq!(u0, u1);
                    }
                }
            }
            assert!(changed.iter().all(|&c| c == 1), "{changed:?}");
        }
    }

    #[test]
    fn each_step_moves_one_factor_by_delta() {
        for (trajectories, levels, k) in [(10, 4, 3), (4, 2, 5), (6, 6, 1), (20, 8, 6)] {
            let points = expand(&design(trajectories, levels), &unit(k), 9).unwrap();
            check_trajectories(&points, trajectories, levels, k);
        }
        let points = expand(&design(8, 4), &mixed(), 9).unwrap();
        check_trajectories(&points, 8, 4, mixed().len());
    }

    #[test]
    fn both_signs_and_every_level_occur() {
        let levels = 4;
        let points = expand(&design(50, levels), &unit(3), 2).unwrap();
        let mut seen_levels = vec![false; levels];
        let (mut up, mut down) = (false, false);
        for point in &points {
            for &u in &point.unit {
                seen_levels[level(u, levels)] = true;
            }
            if let Role::Morris { delta, .. } = point.role {
                up |= delta > 0.0;
                down |= delta < 0.0;
            }
        }
        assert!(up && down);
        assert!(seen_levels.iter().all(|&s| s), "{seen_levels:?}");
    }

    #[test]
    fn the_top_level_maps_to_max() {
        let parameters = [super::super::Parameter::new(
            "x",
            super::super::Space::Continuous { min: 0.1, max: 0.7 },
        )];
        let points = expand(&design(30, 2), &parameters, 4).unwrap();
        for point in &points {
            let expected = if point.unit[0] == 1.0 { 0.7 } else { 0.1 };
            assert_eq!(point.values[0], toml::Value::Float(expected));
        }
    }
}
