//! Key paths into a scenario table (`guarantors.air_cover.level`, `ladder[2].p_detect`): reading,
//! setting and merging values, the nearest valid keys to a wrong one, and the type a key takes.

use crate::config::ScenarioConfig;

/// Lays `overlay` over `base`, table by table.
pub fn merge(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// One segment of a key path: a table key, optionally indexing an array.
fn segments(key: &str) -> Option<Vec<(String, Option<usize>)>> {
    key.split('.')
        .map(|part| match part.split_once('[') {
            None if !part.is_empty() => Some((part.to_string(), None)),
            None => None,
            Some((name, rest)) => {
                let index = rest.strip_suffix(']')?.parse().ok()?;
                Some((name.to_string(), Some(index)))
            }
        })
        .collect()
}

/// The value at a key path, if there is one.
pub fn get<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let segments = segments(key)?;
    let mut current: Option<&toml::Value> = None;
    let mut here = table;
    for (i, (name, index)) in segments.iter().enumerate() {
        let mut value = here.get(name)?;
        if let Some(ix) = index {
            value = value.as_array()?.get(*ix)?;
        }
        if i + 1 < segments.len() {
            here = value.as_table()?;
        }
        current = Some(value);
    }
    current
}

/// Sets the value at a key path, creating tables on the way; array elements must exist.
pub fn set(table: &mut toml::Table, key: &str, value: toml::Value) -> Result<(), String> {
    let segments =
        segments(key).ok_or_else(|| "is not a key path such as a.b.c or a[2].b".to_string())?;
    let mut here = table;
    let last = segments.len() - 1;
    for (i, (name, index)) in segments.into_iter().enumerate() {
        let slot: &mut toml::Value = match index {
            None if i == last => {
                here.insert(name, value);
                return Ok(());
            }
            None => here
                .entry(name)
                .or_insert_with(|| toml::Value::Table(toml::Table::new())),
            Some(ix) => {
                let array = here
                    .get_mut(&name)
                    .and_then(toml::Value::as_array_mut)
                    .ok_or_else(|| {
                        format!(
                            "{name} is not a list in the scenario: write it out as a list first"
                        )
                    })?;
                let len = array.len();
                let element = array.get_mut(ix).ok_or_else(|| {
                    format!("{name} has {len} elements, so [{ix}] does not exist")
                })?;
                if i == last {
                    *element = value;
                    return Ok(());
                }
                element
            }
        };
        here = slot
            .as_table_mut()
            .ok_or_else(|| "goes through a value that is not a table".to_string())?;
    }
    Ok(())
}

/// Every leaf key path of a table, for suggestions.
fn leaf_keys(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => leaf_keys(t, &path, out),
            toml::Value::Array(items)
                if items.iter().all(toml::Value::is_table) && !items.is_empty() =>
            {
                for (i, item) in items.iter().enumerate() {
                    if let toml::Value::Table(t) = item {
                        leaf_keys(t, &format!("{path}[{i}]"), out);
                    }
                }
            }
            _ => out.push(path),
        }
    }
}

/// The nearest valid keys to `key`, best first.
pub fn suggestions(key: &str, base: &toml::Table) -> Vec<String> {
    let mut keys = Vec::new();
    leaf_keys(base, "", &mut keys);
    crate::suggest::ranked(key, keys)
}

/// Gives a value the type the scenario has at that key: an integral float for an integer key, an
/// integer for a float key.
pub(crate) fn coerce(value: toml::Value, like: Option<&toml::Value>) -> toml::Value {
    match (value, like) {
        (toml::Value::Float(x), Some(toml::Value::Integer(_)))
            if x.fract() == 0.0 && x.abs() < 9.0e15 =>
        {
            toml::Value::Integer(x as i64)
        }
        (toml::Value::Integer(i), Some(toml::Value::Float(_))) => toml::Value::Float(i as f64),
        (value, _) => value,
    }
}

/// Whether the scenario's field at `key` takes whole numbers, by its type in the config (not by how
/// a file happens to write it: `troops_rear = 15` is still a float).
pub fn integer_key(config: &ScenarioConfig, key: &str) -> bool {
    toml::Table::try_from(config)
        .is_ok_and(|typed| matches!(get(&typed, key), Some(toml::Value::Integer(_))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    #[test]
    fn integer_keys_are_known_by_their_type_not_by_how_a_file_writes_them() {
        let config =
            validate::parse("name = \"k\"\n[guarantors.reassurance]\ntroops_rear = 15\n").unwrap();
        assert!(!integer_key(&config, "guarantors.reassurance.troops_rear"));
        assert!(integer_key(&config, "geography.sectors"));
        assert!(!integer_key(&config, "no.such.key"));
    }
}
