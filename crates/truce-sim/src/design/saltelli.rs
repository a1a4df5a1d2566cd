//! Saltelli's cross-sampled design on a Sobol' sequence (Saltelli 2002; Saltelli et al. 2010).

use super::{Role, SaltelliMatrix};
use sobol::Sobol;
use sobol::params::JoeKuoD6;

/// The dimensions for which `JoeKuoD6::standard` has direction numbers.
pub(super) const MAX_DIMENSIONS: usize = 1000;

/// The unit coordinates and roles of the design on `base` rows for `k` parameters
/// (`k <= MAX_DIMENSIONS / 2`), in SALib's order: for each row `j`, `A_j`, the `AB_j^(i)`, the
/// `BA_j^(i)` if `second_order`, then `B_j`.
pub(super) fn units(base: usize, k: usize, second_order: bool) -> Vec<(Vec<f64>, Role)> {
    let per_row = if second_order { 2 * k + 2 } else { k + 2 };
    let mut out = Vec::with_capacity(base * per_row);
    for (row, ab) in sobol_points(2 * k)
        .skip(skipped(base))
        .take(base)
        .enumerate()
    {
        let (a, b) = ab.split_at(k);
        let role = |matrix| Role::Saltelli { matrix, base: row };
        out.push((a.to_vec(), role(SaltelliMatrix::A)));
        for i in 0..k {
            let mut point = a.to_vec();
            point[i] = b[i];
            out.push((point, role(SaltelliMatrix::AB(i))));
        }
        if second_order {
            for i in 0..k {
                let mut point = b.to_vec();
                point[i] = a[i];
                out.push((point, role(SaltelliMatrix::BA(i))));
            }
        }
        out.push((b.to_vec(), role(SaltelliMatrix::B)));
    }
    out
}

/// How many points of the sequence come before base row 0: the smallest power of two at or above
/// `base`, and at least 2, as SALib does. Point 0 is all zeros (every parameter at its minimum) and
/// point 1 all one half (so that `A_0 = B_0`); skipping a power of two keeps the rows balanced.
pub(super) fn skipped(base: usize) -> usize {
    base.next_power_of_two().max(2)
}

/// The Sobol' sequence in `dimensions` dimensions (at most `MAX_DIMENSIONS`), from its first point,
/// with the `new-joe-kuo-6` direction numbers, in the Gray-code order of Antonov and Saleev (1979,
/// "An economic method of computing LPτ-sequences", USSR Computational Mathematics and Mathematical
/// Physics 19(1), 252–256) used by Joe and Kuo's generator and by SALib.
fn sobol_points(dimensions: usize) -> Sobol<f64> {
    debug_assert!((1..=MAX_DIMENSIONS).contains(&dimensions));
    Sobol::<f64>::new(dimensions, &JoeKuoD6::standard())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::unit;
    use super::super::{Design, Point, expand};
    use super::*;

    fn design(base: usize, second_order: bool) -> Design {
        Design::Saltelli { base, second_order }
    }

    #[test]
    fn the_table_has_the_dimensions_claimed() {
        assert_eq!(JoeKuoD6::standard().max_dims, MAX_DIMENSIONS);
    }

    /// The first points of the sequence, as published by Joe and Kuo and given by SALib and
    /// `scipy.stats.qmc.Sobol(scramble=False)`.
    #[test]
    fn first_points_of_the_sequence_are_pinned() {
        let points: Vec<Vec<f64>> = sobol_points(3).take(6).collect();
        assert_eq!(
            points,
            [
                [0.0, 0.0, 0.0],
                [0.5, 0.5, 0.5],
                [0.75, 0.25, 0.25],
                [0.25, 0.75, 0.75],
                [0.375, 0.375, 0.625],
                [0.875, 0.875, 0.125],
            ]
        );
        let points = expand(&design(2, false), &unit(1), 0).unwrap();
        let units: Vec<Vec<f64>> = points.iter().map(|p| p.unit.clone()).collect();
        // With 2 base rows, 2 points are skipped: rows 0 and 1 of [A | B] are points 2 and 3 of the
        // sequence, (0.75, 0.25) and (0.25, 0.75).
        assert_eq!(skipped(2), 2);
        assert_eq!((skipped(1), skipped(3), skipped(64)), (2, 4, 64));
        assert_eq!(
            units,
            [[0.75], [0.25], [0.25], [0.25], [0.75], [0.75]].map(|u| u.to_vec())
        );
    }

    /// Checks the matrices' structure in `points`, for `k` parameters.
    fn check_structure(points: &[Point], base: usize, k: usize, second_order: bool) {
        let per_row = if second_order { 2 * k + 2 } else { k + 2 };
        assert_eq!(points.len(), base * per_row);
        for (row, chunk) in points.chunks(per_row).enumerate() {
            let roles: Vec<Role> = chunk.iter().map(|p| p.role).collect();
            let mut expected = vec![SaltelliMatrix::A];
            expected.extend((0..k).map(SaltelliMatrix::AB));
            if second_order {
                expected.extend((0..k).map(SaltelliMatrix::BA));
            }
            expected.push(SaltelliMatrix::B);
            let expected: Vec<Role> = expected
                .into_iter()
                .map(|matrix| Role::Saltelli { matrix, base: row })
                .collect();
            assert_eq!(roles, expected);
            let a = &chunk[0].unit;
            let b = &chunk[per_row - 1].unit;
            if row == 0 {
                // The all-one-half point is skipped: base row 0 is not wasted.
                assert_ne!(a, b, "row 0: A and B coincide");
            }
            for point in &chunk[1..per_row - 1] {
                let (i, from, other) = match point.role {
                    Role::Saltelli {
                        matrix: SaltelliMatrix::AB(i),
                        ..
                    } => (i, a, b),
                    Role::Saltelli {
                        matrix: SaltelliMatrix::BA(i),
                        ..
                    } => (i, b, a),
                    role => panic!("unexpected {role:?}"),
                };
                for j in 0..k {
                    let source = if j == i { other } else { from };
                    assert_eq!(point.unit[j], source[j], "row {row}, {:?}", point.role);
                    assert_eq!(point.values[j], toml::Value::Float(source[j]));
                }
            }
        }
    }

    #[test]
    fn matrices_are_cross_sampled() {
        for k in [1, 2, 5] {
            for second_order in [false, true] {
                let points = expand(&design(16, second_order), &unit(k), 0).unwrap();
                check_structure(&points, 16, k, second_order);
            }
        }
    }

    #[test]
    fn the_largest_design_has_its_rows() {
        let k = MAX_DIMENSIONS / 2;
        let points = expand(&design(3, false), &unit(k), 0).unwrap();
        check_structure(&points, 3, k, false);
    }

    #[test]
    fn base_rows_are_distinct_points_of_the_unit_cube() {
        let points = expand(&design(64, false), &unit(3), 0).unwrap();
        let rows: Vec<&Vec<f64>> = points.iter().step_by(5).map(|p| &p.unit).collect();
        assert_eq!(rows.len(), 64);
        for (i, a) in rows.iter().enumerate() {
            assert!(a.iter().all(|u| (0.0..1.0).contains(u)));
            assert!(rows[..i].iter().all(|b| b != a));
        }
    }
}
