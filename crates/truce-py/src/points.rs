//! The points of a design as columns, named and typed as `truce design` writes them: `point`, one
//! column per parameter, `role`, `unit_<i>`, then `base` (Saltelli) or `trajectory`, `step`,
//! `factor` and `delta` (Morris).

use pyo3::prelude::*;
use pyo3::types::PyList;
use truce_sim::design::{Point, Role};

/// One column: its name, its type (`u64`, `f64`, `bool` or `str`) and its values (`None` for null).
pub type Column<'py> = (String, &'static str, Bound<'py, PyList>);

/// The columns of `points`, whose values follow `names` (the parameters' keys).
pub fn columns<'py>(
    py: Python<'py>,
    names: &[String],
    points: &[Point],
) -> PyResult<Vec<Column<'py>>> {
    let mut out = Vec::new();
    let ids: Vec<u64> = points.iter().map(|p| p.id).collect();
    out.push(("point".into(), "u64", PyList::new(py, ids)?));
    for (i, name) in names.iter().enumerate() {
        let (kind, list) = parameter(py, points, i)?;
        out.push((name.clone(), kind, list));
    }
    let roles: Vec<String> = points.iter().map(|p| p.role.label()).collect();
    out.push(("role".into(), "str", PyList::new(py, roles)?));
    for i in 0..names.len() {
        let units: Vec<Option<f64>> = points.iter().map(|p| p.unit.get(i).copied()).collect();
        out.push((format!("unit_{i}"), "f64", PyList::new(py, units)?));
    }
    if points
        .iter()
        .any(|p| matches!(p.role, Role::Saltelli { .. }))
    {
        let base: Vec<Option<u64>> = points
            .iter()
            .map(|p| match p.role {
                Role::Saltelli { base, .. } => Some(base as u64),
                _ => None,
            })
            .collect();
        out.push(("base".into(), "u64", PyList::new(py, base)?));
    }
    if points.iter().any(|p| matches!(p.role, Role::Morris { .. })) {
        let morris = |f: fn(&Role) -> Option<u64>| -> Vec<Option<u64>> {
            points.iter().map(|p| f(&p.role)).collect()
        };
        let trajectory = morris(|r| match r {
            Role::Morris { trajectory, .. } => Some(*trajectory as u64),
            _ => None,
        });
        let step = morris(|r| match r {
            Role::Morris { step, .. } => Some(*step as u64),
            _ => None,
        });
        let factor = morris(|r| match r {
            Role::Morris { factor, .. } => factor.map(|f| f as u64),
            _ => None,
        });
        let delta: Vec<Option<f64>> = points
            .iter()
            .map(|p| match p.role {
                Role::Morris { delta, .. } => Some(delta),
                _ => None,
            })
            .collect();
        out.push(("trajectory".into(), "u64", PyList::new(py, trajectory)?));
        out.push(("step".into(), "u64", PyList::new(py, step)?));
        out.push(("factor".into(), "u64", PyList::new(py, factor)?));
        out.push(("delta".into(), "f64", PyList::new(py, delta)?));
    }
    Ok(out)
}

/// The values of parameter `i`: floats when every value is a number, booleans when every one is a
/// boolean, else text (the rule of `points.parquet`).
fn parameter<'py>(
    py: Python<'py>,
    points: &[Point],
    i: usize,
) -> PyResult<(&'static str, Bound<'py, PyList>)> {
    let values: Vec<Option<&toml::Value>> = points.iter().map(|p| p.values.get(i)).collect();
    let all = |f: fn(&toml::Value) -> bool| values.iter().flatten().all(|v| f(v));
    if all(|v| matches!(v, toml::Value::Float(_) | toml::Value::Integer(_))) {
        let numbers: Vec<Option<f64>> = values
            .iter()
            .map(|v| match v {
                Some(toml::Value::Float(x)) => Some(*x),
                Some(toml::Value::Integer(n)) => Some(*n as f64),
                _ => None,
            })
            .collect();
        Ok(("f64", PyList::new(py, numbers)?))
    } else if all(toml::Value::is_bool) {
        let flags: Vec<Option<bool>> = values.iter().map(|v| v.and_then(|v| v.as_bool())).collect();
        Ok(("bool", PyList::new(py, flags)?))
    } else {
        let text: Vec<Option<String>> = values
            .iter()
            .map(|v| {
                v.map(|v| match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            })
            .collect();
        Ok(("str", PyList::new(py, text)?))
    }
}
