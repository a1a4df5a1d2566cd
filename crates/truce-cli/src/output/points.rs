//! The points of a design as a table: `points.parquet` of a sweep folder and `truce design`'s output.
//!
//! Columns: `point` (the id, from 0), `role` (`grid`, `sample`, `A`, `B`, `AB_<i>`, `BA_<i>` or
//! `morris`), one column per parameter named by its key (float64 for numbers, utf8 for strings,
//! boolean for booleans, utf8 for a parameter mixing kinds), the unit-hypercube coordinates
//! `unit_<i>` in parameter order; then `base` (the row of A and B it was built from) for a Saltelli
//! design, or `trajectory`, `step`, `factor` (the index of the parameter changed, empty at step 0)
//! and `delta` (the signed change of its unit coordinate) for a Morris design.

use super::table::{Table, Values};
use truce_formats::points as columns;
use truce_sim::design::{Point, Role};

/// Where the role column goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `point, role, <parameters>, unit_<i>, ...`: `points.parquet`.
    RoleFirst,
    /// `point, <parameters>, role, unit_<i>, ...`: `truce design`.
    ParametersFirst,
}

/// The table of `points`, whose values follow `names` (the parameters' keys).
pub fn table(names: &[String], points: &[Point], order: Order) -> Table {
    let mut t = Table::default();
    t.push(
        columns::POINT,
        Values::U64(points.iter().map(|p| Some(p.id)).collect()),
    );
    let role = Values::Text(points.iter().map(|p| Some(p.role.label())).collect());
    if order == Order::RoleFirst {
        t.push(columns::ROLE, role.clone());
    }
    for (i, name) in names.iter().enumerate() {
        t.push(name.clone(), parameter_values(points, i));
    }
    if order == Order::ParametersFirst {
        t.push(columns::ROLE, role);
    }
    for i in 0..names.len() {
        t.push(
            columns::unit(i),
            Values::F64(points.iter().map(|p| p.unit.get(i).copied()).collect()),
        );
    }
    if points
        .iter()
        .any(|p| matches!(p.role, Role::Saltelli { .. }))
    {
        t.push(
            columns::BASE,
            Values::U64(
                points
                    .iter()
                    .map(|p| match p.role {
                        Role::Saltelli { base, .. } => Some(base as u64),
                        _ => None,
                    })
                    .collect(),
            ),
        );
    }
    if points.iter().any(|p| matches!(p.role, Role::Morris { .. })) {
        let morris =
            |f: fn(&Role) -> Option<u64>| Values::U64(points.iter().map(|p| f(&p.role)).collect());
        t.push(
            columns::TRAJECTORY,
            morris(|r| match r {
                Role::Morris { trajectory, .. } => Some(*trajectory as u64),
                _ => None,
            }),
        );
        t.push(
            columns::STEP,
            morris(|r| match r {
                Role::Morris { step, .. } => Some(*step as u64),
                _ => None,
            }),
        );
        t.push(
            columns::FACTOR,
            morris(|r| match r {
                Role::Morris { factor, .. } => factor.map(|f| f as u64),
                _ => None,
            }),
        );
        t.push(
            columns::DELTA,
            Values::F64(
                points
                    .iter()
                    .map(|p| match p.role {
                        Role::Morris { delta, .. } => Some(delta),
                        _ => None,
                    })
                    .collect(),
            ),
        );
    }
    t
}

/// The values of parameter `i` at every point, in the column type their kind calls for.
fn parameter_values(points: &[Point], i: usize) -> Values {
    let values: Vec<Option<&toml::Value>> = points.iter().map(|p| p.values.get(i)).collect();
    let all = |f: fn(&toml::Value) -> bool| values.iter().flatten().all(|v| f(v));
    if all(|v| matches!(v, toml::Value::Float(_) | toml::Value::Integer(_))) {
        Values::F64(
            values
                .iter()
                .map(|v| match v {
                    Some(toml::Value::Float(x)) => Some(*x),
                    Some(toml::Value::Integer(n)) => Some(*n as f64),
                    _ => None,
                })
                .collect(),
        )
    } else if all(toml::Value::is_bool) {
        Values::Bool(values.iter().map(|v| v.and_then(|v| v.as_bool())).collect())
    } else {
        Values::Text(
            values
                .iter()
                .map(|v| {
                    v.map(|v| match v {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_sim::design::{Design, Parameter, Space, expand};

    fn names(t: &Table) -> Vec<&str> {
        t.columns.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn grid_columns_follow_the_order_asked() {
        let parameters = [
            Parameter::new("level", Space::Values(vec!["none".into(), "isr".into()])),
            Parameter::new(
                "troops",
                Space::Steps {
                    min: 0.0,
                    max: 30.0,
                    steps: 4,
                },
            ),
        ];
        let points = expand(&Design::Grid, &parameters, 0).unwrap();
        let keys = vec!["level".to_string(), "troops".to_string()];
        let t = table(&keys, &points, Order::RoleFirst);
        assert_eq!(
            names(&t),
            ["point", "role", "level", "troops", "unit_0", "unit_1"]
        );
        assert_eq!(t.rows(), 8);
        assert!(matches!(t.columns[2].1, Values::Text(_)));
        assert_eq!(
            t.columns[3].1,
            Values::F64(
                [0.0, 10.0, 20.0, 30.0, 0.0, 10.0, 20.0, 30.0]
                    .map(Some)
                    .to_vec()
            )
        );
        let t = table(&keys, &points, Order::ParametersFirst);
        assert_eq!(
            names(&t),
            ["point", "level", "troops", "role", "unit_0", "unit_1"]
        );
    }

    #[test]
    fn saltelli_and_morris_add_their_columns() {
        let parameters = [
            Parameter::new("a", Space::Continuous { min: 0.0, max: 1.0 }),
            Parameter::new("b", Space::Integer { min: 1, max: 4 }),
        ];
        let keys = vec!["a".to_string(), "b".to_string()];
        let saltelli = Design::Saltelli {
            base: 4,
            second_order: false,
        };
        let t = table(
            &keys,
            &expand(&saltelli, &parameters, 0).unwrap(),
            Order::RoleFirst,
        );
        assert_eq!(t.rows(), 4 * 4);
        assert_eq!(names(&t).last(), Some(&"base"));
        let morris = Design::Morris {
            trajectories: 3,
            levels: 4,
        };
        let t = table(
            &keys,
            &expand(&morris, &parameters, 0).unwrap(),
            Order::RoleFirst,
        );
        assert_eq!(t.rows(), 3 * 3);
        assert_eq!(&names(&t)[6..], ["trajectory", "step", "factor", "delta"]);
        let Values::U64(factor) = &t.columns[8].1 else {
            panic!("factor is an integer column")
        };
        assert_eq!(factor[0], None);
        assert!(factor[1].is_some());
    }
}
