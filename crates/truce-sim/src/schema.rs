//! JSON Schemas of truce's files, derived from the config types (`schemars` derives on the serde
//! structs, so that a key added to a struct is in its schema, with its doc comment and default).
//!
//! [`of`] gives the schema a kind of file is checked against ([`crate::document`] walks a file
//! beside it); [`editor`] the one schema for editors (Taplo, Even Better TOML), which takes every
//! kind of file: a scenario's keys, and the `[sweep]`, `[solve]`, `[calibrate]` or `[design]` table.
//! Range rules stay in [`crate::validate::check`], their one source; the schemas give types, keys
//! and defaults.

use crate::ScenarioConfig;
use crate::calibrate::CalibrateConfig;
use crate::solve::SolveConfig;
use crate::sweep::{DesignConfig, SweepConfig};
use schemars::generate::SchemaSettings;
use serde_json::{Value as Json, json};
use std::sync::OnceLock;

pub use crate::sweep::DESIGN_KEYS;

/// The kinds of file truce reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A scenario.
    Scenario,
    /// A scenario with a `[sweep]` table.
    Sweep,
    /// A scenario with a `[solve]` table.
    Solve,
    /// A scenario with a `[calibrate]` table.
    Calibrate,
    /// A `[design]` table alone.
    Design,
}

impl FileKind {
    /// The table that makes a file of this kind, if any.
    pub fn table(self) -> Option<&'static str> {
        match self {
            FileKind::Scenario => None,
            FileKind::Sweep => Some("sweep"),
            FileKind::Solve => Some("solve"),
            FileKind::Calibrate => Some("calibrate"),
            FileKind::Design => Some("design"),
        }
    }
}

/// The schema a file of `kind` is checked against (built once).
pub fn of(kind: FileKind) -> &'static Json {
    static SCHEMAS: OnceLock<[Json; 5]> = OnceLock::new();
    let all = SCHEMAS.get_or_init(|| {
        [
            FileKind::Scenario,
            FileKind::Sweep,
            FileKind::Solve,
            FileKind::Calibrate,
            FileKind::Design,
        ]
        .map(build)
    });
    &all[kind as usize]
}

/// The schema for editors: any of truce's files.
pub fn editor() -> Json {
    let mut schema = build(FileKind::Scenario);
    for kind in [
        FileKind::Sweep,
        FileKind::Solve,
        FileKind::Calibrate,
        FileKind::Design,
    ] {
        let mut one = build(kind);
        let table = kind.table().expect("every kind but a scenario has a table");
        let definitions = one["definitions"].take();
        if let (Some(to), Some(from)) = (
            schema["definitions"].as_object_mut(),
            definitions.as_object(),
        ) {
            to.extend(from.clone());
        }
        schema["properties"][table] = one["properties"][table].take();
    }
    schema["title"] = json!("truce config");
    schema["description"] = json!(
        "A truce scenario, sweep, solve, calibrate or design file: see configs/baseline.toml for every scenario key."
    );
    schema
}

fn build(kind: FileKind) -> Json {
    let mut generator = SchemaSettings::draft07().into_generator();
    let table = match kind {
        FileKind::Scenario | FileKind::Design => None,
        FileKind::Sweep => Some(generator.subschema_for::<SweepConfig>()),
        FileKind::Solve => Some(generator.subschema_for::<SolveConfig>()),
        FileKind::Calibrate => Some(generator.subschema_for::<CalibrateConfig>()),
    };
    let design = (kind == FileKind::Design).then(|| design_table(&mut generator));
    let mut schema = generator
        .into_root_schema_for::<ScenarioConfig>()
        .to_value();
    if kind == FileKind::Design {
        // A design-only file has no scenario: its parameter keys are free names.
        schema["properties"] = json!({});
        schema["title"] = json!("truce design file");
    }
    if let (Some(name), Some(sub)) = (kind.table(), table.map(|t| t.to_value()).or(design)) {
        schema["properties"][name] = sub;
        schema["required"] = json!([name]);
    }
    schema
}

/// The `[design]` table, from its own struct, written in place rather than as a reference.
fn design_table(generator: &mut schemars::SchemaGenerator) -> Json {
    let reference = generator.subschema_for::<DesignConfig>().to_value();
    generator
        .definitions_mut()
        .remove("DesignConfig")
        .unwrap_or(reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scenario_schema_has_every_key_with_its_default() {
        let schema = of(FileKind::Scenario);
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(
            schema["properties"]["horizon_days"]["default"],
            json!(730.0)
        );
        let air = &schema["definitions"]["AirCoverConfig"];
        assert_eq!(
            air["properties"]["auth_median_hours"]["default"],
            json!(12.0)
        );
    }

    #[test]
    fn each_kind_requires_its_table() {
        for kind in [
            FileKind::Sweep,
            FileKind::Solve,
            FileKind::Calibrate,
            FileKind::Design,
        ] {
            let table = kind.table().unwrap();
            assert_eq!(of(kind)["required"], json!([table]), "{kind:?}");
        }
        let design = &of(FileKind::Design)["properties"]["design"]["properties"];
        let mut keys: Vec<&str> = design
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut expected = DESIGN_KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }

    #[test]
    fn the_editor_schema_takes_every_table() {
        let schema = editor();
        for table in ["sweep", "solve", "calibrate", "design", "guarantors"] {
            assert!(schema["properties"][table].is_object(), "{table}");
        }
        assert!(schema["required"].is_null() || schema["required"] == json!([]));
    }
}
