//! The `[sweep]` table of a sweep file, as written, and the split of a sweep file into that table
//! and its scenario keys.

use super::SweepError;
use crate::validate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `[sweep]` table, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepConfig {
    /// A base scenario file, relative to the sweep file; the sweep file's own scenario keys override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// `grid`, `random`, `lhs`, `saltelli` or `morris`.
    pub design: DesignKind,
    /// Points of a random or LHS design; base rows N of a Saltelli design; trajectories of a Morris design.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Saltelli: also the BA matrices for second-order indices.
    #[serde(default)]
    pub second_order: bool,
    /// Morris: levels of the grid (even).
    #[serde(default = "default_levels")]
    pub levels: usize,
    /// Replications per point; defaults to the scenario's `replications`. Ignored with `precision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<u64>,
    /// Common random numbers: replication r of every point uses the same streams.
    #[serde(default = "yes")]
    pub crn: bool,
    /// A design with more points needs `--yes`.
    #[serde(default = "default_max_points")]
    pub max_points: usize,
    /// Replications per chunk (and per round with `precision`); by default about 10,000 records a chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_replications: Option<u64>,
    /// The point that comparisons are made against (analysis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<u64>,
    /// Run in rounds until a precision target is met at every point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionConfig>,
    pub parameters: Vec<ParameterConfig>,
}

pub(super) fn default_levels() -> usize {
    4
}

fn yes() -> bool {
    true
}

pub(super) fn default_max_points() -> usize {
    10_000
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DesignKind {
    Grid,
    Random,
    Lhs,
    Saltelli,
    Morris,
}

/// Replicate until the 95% Wilson interval of a binary outcome is narrow enough at every point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrecisionConfig {
    /// A binary outcome of the record: one of [`BINARY_OUTCOMES`].
    pub outcome: String,
    /// Target half-width of the interval.
    pub half_width: f64,
    pub min_replications: u64,
    pub max_replications: u64,
}

/// One swept parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParameterConfig {
    /// Dotted key path in the scenario, e.g. `guarantors.air_cover.level` or `ladder[2].p_detect`.
    pub key: String,
    /// Explicit values (numbers, strings or booleans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<serde_json::Value>>")]
    pub values: Option<Vec<toml::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Grid: this many evenly spaced values from min to max.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<usize>,
    /// Sampled designs: `uniform` (default), `log_uniform` or `integer` between min and max.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    Uniform,
    LogUniform,
    Integer,
}

/// Splits a sweep file into its `[sweep]` table and its scenario keys; `None` when it has no `[sweep]`.
pub fn split(text: &str) -> Result<Option<(SweepConfig, toml::Table)>, SweepError> {
    let mut table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| SweepError::Config(validate::syntax_error(text, &e)))?;
    let Some(sweep) = table.remove("sweep") else {
        return Ok(None);
    };
    let config: SweepConfig = serde_path_to_error::deserialize(sweep).map_err(|e| {
        let path = e.path().to_string();
        SweepError::one(
            if path == "." {
                "sweep".to_string()
            } else {
                format!("sweep.{path}")
            },
            e.inner().to_string(),
        )
    })?;
    Ok(Some((config, table)))
}
