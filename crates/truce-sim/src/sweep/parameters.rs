//! A swept parameter's table, checked against the scenario it sets, turned into a design parameter.

use super::keys::{get, set, suggestions};
use super::{DesignKind, Distribution, ParameterConfig};
use crate::design::{Parameter, Space};
use crate::validate;

/// Checks one parameter against the scenario and turns it into a design parameter.
pub(super) fn parameter(
    p: &ParameterConfig,
    design: DesignKind,
    full: &toml::Table,
) -> Result<Parameter, String> {
    let probe;
    let current = match get(full, &p.key) {
        Some(current) => current,
        None => match unset_key_probe(p, full) {
            Some(value) => {
                probe = value;
                &probe
            }
            None => return Err(not_a_key(p, full)),
        },
    };
    if current.is_table() || current.is_array() && !p.key.ends_with(']') {
        let what = if current.is_table() {
            "a table"
        } else {
            "a list"
        };
        return Err(format!(
            "is {what} in the scenario; sweep one of its entries, e.g. \"{}{}\"",
            p.key,
            if current.is_table() {
                ".<entry>"
            } else {
                "[0]"
            }
        ));
    }
    if let Some(values) = &p.values {
        for v in values {
            check_type(v, current)?;
        }
    } else if !matches!(current, toml::Value::Float(_) | toml::Value::Integer(_)) {
        return Err(format!(
            "min and max need a numeric key, but it holds {current}; give values instead"
        ));
    }
    let space = space(p, design)?;
    Ok(Parameter::new(p.key.clone(), space))
}

/// The message for a key the scenario does not have, with the nearest keys it does.
fn not_a_key(p: &ParameterConfig, full: &toml::Table) -> String {
    let near = suggestions(&p.key, full);
    format!(
        "\"{}\" is not a key of the scenario; did you mean {}?",
        p.key,
        near.iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// For a key the scenario accepts but leaves unset by default (a declared response probability,
/// `declared_hit`), the parameter's first value, if setting it there gives a scenario that parses;
/// `None` for a key the scenario does not have.
fn unset_key_probe(p: &ParameterConfig, full: &toml::Table) -> Option<toml::Value> {
    let value = match &p.values {
        Some(values) => values.first()?.clone(),
        None => toml::Value::Float(p.min?),
    };
    let mut table = full.clone();
    set(&mut table, &p.key, value.clone()).ok()?;
    validate::from_value(toml::Value::Table(table))
        .ok()
        .map(|_| value)
}

/// The values a parameter takes, from its table.
pub(super) fn space(p: &ParameterConfig, design: DesignKind) -> Result<Space, String> {
    let space = match (&p.values, p.min, p.max, p.steps) {
        (Some(values), None, None, None) => {
            if values.is_empty() {
                return Err("values: is empty; give at least one value".into());
            }
            if design == DesignKind::Grid {
                Space::Values(values.clone())
            } else {
                Space::Choice(values.clone())
            }
        }
        (None, Some(min), Some(max), steps) => match (design, steps, p.distribution) {
            (DesignKind::Grid, Some(steps), _) => Space::Steps { min, max, steps },
            (DesignKind::Grid, None, _) => {
                return Err("a grid needs steps (or values) for min and max".into());
            }
            (_, Some(_), _) => {
                return Err(
                    "steps is for grid designs; sampled designs draw between min and max".into(),
                );
            }
            (_, None, None | Some(Distribution::Uniform)) => Space::Continuous { min, max },
            (_, None, Some(Distribution::LogUniform)) => Space::LogUniform { min, max },
            (_, None, Some(Distribution::Integer)) => Space::Integer {
                min: min.ceil() as i64,
                max: max.floor() as i64,
            },
        },
        _ => {
            return Err("give either values = [...] or min and max (with steps for a grid)".into());
        }
    };
    Ok(space)
}

/// A swept value must have the type of the scenario's value at that key (numbers mix freely).
fn check_type(value: &toml::Value, current: &toml::Value) -> Result<(), String> {
    use toml::Value::{Boolean, Float, Integer, String as Str};
    let ok = matches!(
        (value, current),
        (Float(_) | Integer(_), Float(_) | Integer(_))
            | (Str(_), Str(_))
            | (Boolean(_), Boolean(_))
    );
    if ok {
        Ok(())
    } else {
        Err(format!(
            "value {value} is {} but the scenario's value there is {} ({current})",
            with_article(value.type_str()),
            with_article(current.type_str())
        ))
    }
}

/// "an integer", "a float".
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}
