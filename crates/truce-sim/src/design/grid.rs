//! The full-factorial grid, and the expansion of steps by index.

use super::{Axis, Point, Role};

/// Step `index` of `steps` evenly spaced values from `min` to `max`.
///
/// Computed from the index as `min + index (max − min) / (steps − 1)`, never by adding a step to the
/// previous value, so that no rounding error accumulates; the last step is `max` itself, and no step
/// exceeds it.
pub(super) fn step(min: f64, max: f64, steps: usize, index: usize) -> f64 {
    if steps <= 1 || index == 0 {
        min
    } else if index + 1 >= steps {
        max
    } else {
        (min + index as f64 * (max - min) / (steps - 1) as f64).min(max)
    }
}

/// The `count` points of the grid of `axes` (all finite), the last axis varying fastest.
pub(super) fn expand(axes: &[Axis], count: usize) -> Vec<Point> {
    let lengths: Vec<usize> = axes.iter().map(|a| a.len().unwrap_or(1)).collect();
    (0..count)
        .map(|id| {
            let mut indices = vec![0; axes.len()];
            let mut rest = id;
            for (index, &len) in indices.iter_mut().zip(&lengths).rev() {
                *index = rest % len;
                rest /= len;
            }
            Point {
                id: id as u64,
                values: axes.iter().zip(&indices).map(|(a, &i)| a.item(i)).collect(),
                unit: indices
                    .iter()
                    .zip(&lengths)
                    .map(|(&i, &len)| {
                        if len > 1 {
                            i as f64 / (len - 1) as f64
                        } else {
                            0.0
                        }
                    })
                    .collect(),
                role: Role::Grid,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Design, Parameter, Space, expand as expand_design};
    use super::*;

    fn values(points: &[Point]) -> Vec<Vec<toml::Value>> {
        points.iter().map(|p| p.values.clone()).collect()
    }

    #[test]
    fn last_parameter_varies_fastest() {
        let a = [1, 2].map(toml::Value::Integer).to_vec();
        let b = ["x", "y", "z"]
            .map(|s| toml::Value::String(s.into()))
            .to_vec();
        let parameters = [
            Parameter::new("a", Space::Values(a.clone())),
            Parameter::new("b", Space::Choice(b.clone())),
        ];
        let points = expand_design(&Design::Grid, &parameters, 0).unwrap();
        let expected: Vec<Vec<toml::Value>> = a
            .iter()
            .flat_map(|x| b.iter().map(move |y| vec![x.clone(), y.clone()]))
            .collect();
        assert_eq!(values(&points), expected);
        let units: Vec<Vec<f64>> = points.iter().map(|p| p.unit.clone()).collect();
        assert_eq!(
            units,
            [
                [0.0, 0.0],
                [0.0, 0.5],
                [0.0, 1.0],
                [1.0, 0.0],
                [1.0, 0.5],
                [1.0, 1.0]
            ]
        );
        for (i, point) in points.iter().enumerate() {
            assert_eq!(point.id, i as u64);
            assert_eq!(point.role, Role::Grid);
        }
    }

    #[test]
    fn steps_are_expanded_by_index() {
        let parameters = [Parameter::new(
            "x",
            Space::Steps {
                min: 0.0,
                max: 1.0,
                steps: 11,
            },
        )];
        let points = expand_design(&Design::Grid, &parameters, 0).unwrap();
        assert_eq!(points.len(), 11);
        for (i, point) in points.iter().enumerate() {
            let toml::Value::Float(x) = point.values[0] else {
                panic!("float expected")
            };
            assert_eq!(x.to_bits(), (i as f64 * (1.0 - 0.0) / 10.0).to_bits());
        }
        let toml::Value::Float(third) = points[3].values[0] else {
            panic!("float expected")
        };
        assert_eq!(third.to_bits(), (3.0f64 / 10.0).to_bits());
        // Adding 0.1 three times would give 0.30000000000000004.
        assert_ne!(third.to_bits(), (0.1f64 + 0.1 + 0.1).to_bits());
        assert_eq!(points[10].values[0], toml::Value::Float(1.0));
    }

    #[test]
    fn steps_end_at_max_and_one_step_is_min() {
        assert_eq!(step(0.1, 0.7, 7, 6), 0.7);
        assert_eq!(step(0.1, 0.7, 7, 0), 0.1);
        assert_eq!(step(-3.0, 5.0, 1, 0), -3.0);
        assert_eq!(step(2.0, 2.0, 4, 2), 2.0);
        for steps in 2..50 {
            for index in 0..steps {
                let x = step(0.1, 0.7, steps, index);
                assert!((0.1..=0.7).contains(&x));
            }
        }
    }

    #[test]
    fn a_single_value_has_unit_zero() {
        let parameters = [
            Parameter::new("a", Space::Values(vec![toml::Value::Boolean(true)])),
            Parameter::new(
                "b",
                Space::Steps {
                    min: 1.0,
                    max: 3.0,
                    steps: 3,
                },
            ),
        ];
        let points = expand_design(&Design::Grid, &parameters, 0).unwrap();
        assert_eq!(
            values(&points),
            [1.0, 2.0, 3.0].map(|x| vec![toml::Value::Boolean(true), toml::Value::Float(x)])
        );
        assert!(points.iter().all(|p| p.unit[0] == 0.0));
    }
}
