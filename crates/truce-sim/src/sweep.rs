//! Parameter sweeps: a base scenario, parameters addressed by key path, a design, and the plan of
//! work (chunks of replications) that runs it. Pure functions: the command line reads the files.
//!
//! A sweep is a scenario file with a `[sweep]` table. The file's other keys are the scenario; with
//! `sweep.base = "path"` they are laid over a base scenario file (relative to the sweep file).
//! Each point of the design sets its parameters' keys in that scenario.
//!
//! Seeds: replication r of point p uses `seed::replication_seed(seed, p, r)`, or, with common random
//! numbers (`crn = true`, the default), `seed::replication_seed(seed, 0, r)` for every point, so
//! that replication r of every point sees the same draws of every source.

use crate::config::ScenarioConfig;
use crate::design::{self, Design, DesignError, Parameter, Point, Space};
use crate::record::Record;
use crate::scenario::Scenario;
use crate::validate::{self, ConfigError, Problem, limits};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Records per chunk aimed at when the sweep does not set `chunk_replications`.
const CHUNK_RECORDS: u64 = 10_000;

/// Most chunk files a sweep's plan may have.
pub const MAX_CHUNKS: u64 = 1_000_000;

/// Top-level keys that are not model parameters and so cannot be swept.
const NOT_SWEPT: [&str; 3] = ["name", "seed", "replications"];

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

fn default_levels() -> usize {
    4
}

fn yes() -> bool {
    true
}

fn default_max_points() -> usize {
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

/// Binary outcomes a precision target can name.
pub const BINARY_OUTCOMES: [&str; 7] = [
    "violated",
    "collapsed",
    "settled",
    "tripwire_fired",
    "coalition_at_war",
    "direct_clash",
    "tripwire_triggered",
];

/// The value of a binary outcome of a record, by name.
pub fn binary_outcome(record: &Record, name: &str) -> Option<bool> {
    Some(match name {
        "violated" => record.violated,
        "collapsed" => record.collapsed,
        "settled" => record.settled,
        "tripwire_fired" => record.tripwire_fired,
        "coalition_at_war" => record.coalition_at_war,
        "direct_clash" => record.direct_clash,
        "tripwire_triggered" => record.tripwire_triggered,
        _ => return None,
    })
}

/// How many replications each point gets.
#[derive(Debug, Clone, PartialEq)]
pub enum Replications {
    Fixed(u64),
    Precision(PrecisionConfig),
}

/// A validated sweep, its points expanded.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The sweep as written (the `[sweep]` table).
    pub config: SweepConfig,
    /// The scenario every point starts from, as a TOML table (base file and overrides merged).
    pub base: toml::Table,
    /// The same, parsed.
    pub base_config: ScenarioConfig,
    pub design: Design,
    pub parameters: Vec<Parameter>,
    pub points: Vec<Point>,
    pub replications: Replications,
    pub seed: u64,
    pub crn: bool,
    /// Replications per chunk.
    pub chunk_replications: u64,
    /// Points per chunk.
    pub chunk_points: usize,
}

/// Why a sweep file cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    Config(ConfigError),
}

impl SweepError {
    fn one(key: impl Into<String>, message: impl Into<String>) -> Self {
        SweepError::Invalid(vec![Problem {
            key: key.into(),
            message: message.into(),
        }])
    }

    /// Every problem, one per line, each prefixed with `origin`.
    pub fn report(&self, origin: &str) -> String {
        match self {
            SweepError::Config(e) => e.report(origin),
            SweepError::Invalid(problems) => problems
                .iter()
                .map(|p| format!("{origin}: {p}"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
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

/// Levenshtein distance, for "did you mean".
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The nearest valid keys to `key`, best first.
pub fn suggestions(key: &str, base: &toml::Table) -> Vec<String> {
    let mut keys = Vec::new();
    leaf_keys(base, "", &mut keys);
    keys.sort_by_key(|k| (distance(key, k), k.clone()));
    keys.dedup();
    keys.truncate(3);
    keys
}

/// Gives a value the type the scenario has at that key: an integral float for an integer key, an
/// integer for a float key.
fn coerce(value: toml::Value, like: Option<&toml::Value>) -> toml::Value {
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

/// The base scenario with every default written out, so that every scenario key has a value to find.
fn full_base(base: &toml::Table) -> Result<toml::Table, SweepError> {
    let config =
        validate::from_value(toml::Value::Table(base.clone())).map_err(SweepError::Config)?;
    let mut full = toml::Table::try_from(&config)
        .map_err(|e| SweepError::one("", format!("cannot write the scenario out: {e}")))?;
    merge(&mut full, base.clone());
    Ok(full)
}

impl Sweep {
    /// Validates a sweep: its table, its parameters against the scenario, its design, and every
    /// point's scenario. `base` is the scenario table (base file and overrides already merged).
    pub fn new(
        config: SweepConfig,
        base: toml::Table,
        seed_override: Option<u64>,
    ) -> Result<Self, SweepError> {
        let full = full_base(&base)?;
        let base_config =
            validate::from_value(toml::Value::Table(full.clone())).map_err(SweepError::Config)?;
        let mut problems = Vec::new();
        let mut parameters = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for (i, p) in config.parameters.iter().enumerate() {
            let at = format!("sweep.parameters[{i}]");
            if let Some(first) = seen.insert(p.key.as_str(), i) {
                problems.push(Problem {
                    key: format!("{at} ({})", p.key),
                    message: format!(
                        "is swept twice: sweep.parameters[{first}] sweeps it too; give each key once"
                    ),
                });
                continue;
            }
            if let Some(u) = base_config.uncertain.iter().position(|u| u.key == p.key) {
                problems.push(Problem {
                    key: format!("{at} ({})", p.key),
                    message: format!(
                        "is uncertain too (uncertain[{u}] draws it in every replication): sweep \
                         it or draw it, not both"
                    ),
                });
                continue;
            }
            if NOT_SWEPT.contains(&p.key.as_str()) {
                problems.push(Problem {
                    key: format!("{at} ({})", p.key),
                    message: format!(
                        "cannot be swept: only the scenario's model parameters can ({} are the \
                         same at every point; run one sweep per value instead)",
                        NOT_SWEPT.join(", ")
                    ),
                });
                continue;
            }
            match parameter(p, config.design, &full) {
                Ok(param) => parameters.push(param),
                Err(message) => problems.push(Problem {
                    key: format!("{at} ({})", p.key),
                    message,
                }),
            }
        }
        if config.parameters.is_empty() {
            problems.push(Problem {
                key: "sweep.parameters".into(),
                message: "is empty: add at least one [[sweep.parameters]] table with a key".into(),
            });
        }
        let design = match design_of(&config) {
            Ok(d) => Some(d),
            Err(p) => {
                problems.push(Problem {
                    key: format!("sweep.{}", p.key),
                    message: p.message,
                });
                None
            }
        };
        let replications = match &config.precision {
            None => {
                let n = config.replications.unwrap_or(base_config.replications);
                if n == 0 {
                    problems.push(Problem {
                        key: "sweep.replications".into(),
                        message: "must be at least 1 (got 0)".into(),
                    });
                }
                if n > limits::REPLICATIONS {
                    problems.push(Problem {
                        key: "sweep.replications".into(),
                        message: format!("must be at most {} (got {n})", limits::REPLICATIONS),
                    });
                }
                Replications::Fixed(n)
            }
            Some(p) => {
                problems.extend(check_precision(p));
                Replications::Precision(p.clone())
            }
        };
        if config.chunk_replications == Some(0) {
            problems.push(Problem {
                key: "sweep.chunk_replications".into(),
                message: "must be at least 1 (got 0)".into(),
            });
        }
        let (Some(design), true) = (design, problems.is_empty()) else {
            return Err(SweepError::Invalid(problems));
        };
        // Counted before anything is expanded: a design too large for memory is refused here.
        design::size(&design, &parameters).map_err(design_error)?;
        let seed = seed_override.unwrap_or(base_config.seed);
        let points = design::expand(&design, &parameters, seed).map_err(design_error)?;
        if let Some(r) = config.reference
            && r >= points.len() as u64
        {
            return Err(SweepError::one(
                "sweep.reference",
                format!(
                    "point {r} does not exist: the design has points 0 to {}",
                    points.len() - 1
                ),
            ));
        }
        let max_reps = match &replications {
            Replications::Fixed(n) => *n,
            Replications::Precision(p) => p.max_replications,
        };
        let chunk_replications = config
            .chunk_replications
            .unwrap_or_else(|| (CHUNK_RECORDS / points.len() as u64).clamp(100, 10_000))
            .min(max_reps)
            .max(1);
        let chunk_points = ((CHUNK_RECORDS / chunk_replications) as usize).clamp(1, points.len());
        let chunk_files = max_reps
            .div_ceil(chunk_replications)
            .saturating_mul((points.len() as u64).div_ceil(chunk_points as u64));
        if chunk_files > MAX_CHUNKS {
            return Err(SweepError::one(
                "sweep.chunk_replications",
                format!(
                    "the plan would have {chunk_files} chunk files, more than {MAX_CHUNKS}; \
                     raise chunk_replications (it is {chunk_replications})"
                ),
            ));
        }
        let sweep = Sweep {
            crn: config.crn,
            config,
            base: full,
            base_config,
            design,
            parameters,
            points,
            replications,
            seed,
            chunk_replications,
            chunk_points,
        };
        // Every point must make a valid scenario: check them all before anything runs.
        let mut problems = Vec::new();
        for point in &sweep.points {
            if let Err(e) = sweep.scenario(point.id) {
                for p in e.problems() {
                    problems.push(Problem {
                        key: format!("point {}: {}", point.id, p.key),
                        message: format!("{} ({})", p.message, describe(&sweep, point)),
                    });
                }
                if problems.len() >= 10 {
                    break;
                }
            }
        }
        if problems.is_empty() {
            Ok(sweep)
        } else {
            Err(SweepError::Invalid(problems))
        }
    }

    /// The scenario of point `id`.
    pub fn scenario(&self, id: u64) -> Result<Scenario, ConfigError> {
        let point = &self.points[id as usize];
        let mut table = self.base.clone();
        for (param, value) in self.parameters.iter().zip(&point.values) {
            let value = coerce(value.clone(), get(&self.base, &param.name));
            set(&mut table, &param.name, value).map_err(|message| {
                ConfigError::Invalid(vec![Problem {
                    key: param.name.clone(),
                    message,
                }])
            })?;
        }
        let mut config = validate::from_value(toml::Value::Table(table))?;
        config.seed = self.seed;
        Scenario::from_config(config)
    }

    /// The seed-derivation point of point `id`: 0 for every point with common random numbers.
    pub fn seed_point(&self, id: u64) -> u64 {
        if self.crn { 0 } else { id }
    }

    /// The most replications any point can get.
    pub fn max_replications(&self) -> u64 {
        match &self.replications {
            Replications::Fixed(n) => *n,
            Replications::Precision(p) => p.max_replications,
        }
    }

    /// Replication blocks: `[first, first + count)` for each block, in order.
    pub fn blocks(&self) -> Vec<Range<u64>> {
        let total = self.max_replications();
        (0..total.div_ceil(self.chunk_replications))
            .map(|b| {
                let start = b * self.chunk_replications;
                start..(start + self.chunk_replications).min(total)
            })
            .collect()
    }

    /// Point groups: `[first, first + count)` of point ids for each group, in order.
    pub fn groups(&self) -> Vec<Range<u64>> {
        let n = self.points.len() as u64;
        let size = self.chunk_points as u64;
        (0..n.div_ceil(size))
            .map(|g| g * size..((g + 1) * size).min(n))
            .collect()
    }

    /// Every chunk of a fixed-replication sweep, replication-major: all groups of block 0, then of
    /// block 1, and so on, so that partial results cover every point evenly.
    pub fn chunks(&self) -> Vec<Chunk> {
        let groups = self.groups();
        let mut out = Vec::new();
        for (b, block) in self.blocks().into_iter().enumerate() {
            for (g, points) in groups.iter().enumerate() {
                out.push(Chunk {
                    index: out.len(),
                    block: b,
                    group: g,
                    replications: block.clone(),
                    points: points.clone(),
                });
            }
        }
        out
    }

    /// Whether chunk `c` belongs to shard `index` of `count`: chunks are dealt round-robin; with a
    /// precision target, whole point groups are dealt, since a group's rounds depend on its own results.
    pub fn in_shard(&self, c: &Chunk, index: u64, count: u64) -> bool {
        let key = match self.replications {
            Replications::Fixed(_) => c.index as u64,
            Replications::Precision(_) => c.group as u64,
        };
        key % count == index
    }
}

/// A piece of work: some replications of some points, written to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub index: usize,
    pub block: usize,
    pub group: usize,
    pub replications: Range<u64>,
    pub points: Range<u64>,
}

impl Chunk {
    /// The chunk's file name: stable, and sorting in chunk order.
    pub fn file_name(&self) -> String {
        format!("chunk-b{:06}-g{:06}.parquet", self.block, self.group)
    }
}

/// Tally of a binary outcome at one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub hits: u64,
    pub n: u64,
}

pub use crate::stats::wilson_half_width;

/// Whether the scenario's field at `key` takes whole numbers, by its type in the config (not by how
/// a file happens to write it: `troops_rear = 15` is still a float).
pub fn integer_key(config: &ScenarioConfig, key: &str) -> bool {
    toml::Table::try_from(config)
        .is_ok_and(|typed| matches!(get(&typed, key), Some(toml::Value::Integer(_))))
}

/// Whether a point with this tally needs more replications under a precision target.
pub fn needs_more(tally: Tally, precision: &PrecisionConfig) -> bool {
    tally.n < precision.min_replications
        || (tally.n < precision.max_replications
            && wilson_half_width(tally.hits, tally.n) > precision.half_width)
}

fn check_precision(p: &PrecisionConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut bad = |key: &str, message: String| {
        problems.push(Problem {
            key: format!("sweep.precision.{key}"),
            message,
        })
    };
    if !BINARY_OUTCOMES.contains(&p.outcome.as_str()) {
        bad(
            "outcome",
            format!(
                "unknown outcome \"{}\"; valid outcomes are {}",
                p.outcome,
                BINARY_OUTCOMES.join(", ")
            ),
        );
    }
    if !(p.half_width > 0.0 && p.half_width < 0.5) {
        bad(
            "half_width",
            format!("must be in (0, 0.5) (got {})", p.half_width),
        );
    }
    if p.min_replications == 0 {
        bad("min_replications", "must be at least 1 (got 0)".into());
    }
    if p.max_replications > limits::REPLICATIONS {
        bad(
            "max_replications",
            format!(
                "must be at most {} (got {})",
                limits::REPLICATIONS,
                p.max_replications
            ),
        );
    }
    if p.max_replications < p.min_replications {
        bad(
            "max_replications",
            format!(
                "must be at least min_replications ({}) (got {})",
                p.min_replications, p.max_replications
            ),
        );
    }
    problems
}

fn design_error(e: DesignError) -> SweepError {
    SweepError::one("sweep", e.to_string())
}

/// `key = value, ...` of a point, for messages.
pub fn describe(sweep: &Sweep, point: &Point) -> String {
    sweep
        .parameters
        .iter()
        .zip(&point.values)
        .map(|(p, v)| format!("{} = {v}", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The design a `[sweep]` (or `[design]`) table asks for.
pub fn design_of(config: &SweepConfig) -> Result<Design, Problem> {
    let samples = |what: &str| {
        config.samples.ok_or_else(|| Problem {
            key: "samples".into(),
            message: format!("is needed by a {what} design"),
        })
    };
    match config.design {
        DesignKind::Grid => Ok(Design::Grid),
        DesignKind::Random => samples("random").map(|samples| Design::Random { samples }),
        DesignKind::Lhs => samples("lhs").map(|samples| Design::Lhs { samples }),
        DesignKind::Saltelli => samples("saltelli").map(|base| Design::Saltelli {
            base,
            second_order: config.second_order,
        }),
        DesignKind::Morris => samples("morris").map(|trajectories| Design::Morris {
            trajectories,
            levels: config.levels,
        }),
    }
}

/// The parameters of a design-only file, whose keys are free names rather than scenario keys.
pub fn free_parameters(config: &SweepConfig) -> Result<Vec<Parameter>, SweepError> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (i, p) in config.parameters.iter().enumerate() {
        match space(p, config.design) {
            Ok(space) => out.push(Parameter::new(p.key.clone(), space)),
            Err(message) => problems.push(Problem {
                key: format!("parameters[{i}] ({})", p.key),
                message,
            }),
        }
    }
    if config.parameters.is_empty() {
        problems.push(Problem {
            key: "parameters".into(),
            message: "is empty: add at least one [[design.parameters]] table".into(),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(SweepError::Invalid(problems))
    }
}

/// Checks one parameter against the scenario and turns it into a design parameter.
fn parameter(
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
fn space(p: &ParameterConfig, design: DesignKind) -> Result<Space, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(text: &str) -> Result<Sweep, SweepError> {
        let (config, base) = split(text)?.expect("a [sweep] table");
        Sweep::new(config, base, None)
    }

    const GRID: &str = r#"
name = "grid_test"
horizon_days = 30
[sweep]
design = "grid"
replications = 250
[[sweep.parameters]]
key = "guarantors.air_cover.level"
values = ["none", "on_call"]
[[sweep.parameters]]
key = "guarantors.reassurance.troops_rear"
min = 0
max = 30
steps = 4
"#;

    #[test]
    fn integer_keys_are_known_by_their_type_not_by_how_a_file_writes_them() {
        let config =
            validate::parse("name = \"k\"\n[guarantors.reassurance]\ntroops_rear = 15\n").unwrap();
        assert!(!integer_key(&config, "guarantors.reassurance.troops_rear"));
        assert!(integer_key(&config, "geography.sectors"));
        assert!(!integer_key(&config, "no.such.key"));
    }

    #[test]
    fn keys_that_are_unset_by_default_can_be_swept() {
        // Declared responses default to the true ones and are absent from the written-out base.
        let text = r#"
name = "declared"
horizon_days = 30
[sweep]
design = "grid"
replications = 2
[[sweep.parameters]]
key = "guarantors.air_cover.declared.land_grab"
values = [0.2, 0.8]
[[sweep.parameters]]
key = "guarantors.reassurance.declared_hit"
min = 0.1
max = 0.9
steps = 2
"#;
        let s = sweep(text).unwrap();
        assert_eq!(s.points.len(), 4);
        let sc = s.scenario(3).unwrap();
        assert_eq!(sc.config.guarantors.air_cover.declared.0[1], Some(0.8));
        assert_eq!(sc.config.guarantors.reassurance.declared_hit, Some(0.9));
        // A key the scenario does not have is still refused, with suggestions.
        let bad = text.replace("declared.land_grab", "declared.land_grabs");
        let err = sweep(&bad).unwrap_err().to_string();
        assert!(err.contains("is not a key of the scenario"), "{err}");
    }

    #[test]
    fn a_grid_sweep_expands_and_builds_every_point() {
        let s = sweep(GRID).unwrap();
        assert_eq!(s.points.len(), 8);
        let sc = s.scenario(7).unwrap();
        assert_eq!(sc.config.guarantors.reassurance.troops_rear, Some(30.0));
        assert_eq!(sc.level, crate::config::AirCoverLevel::OnCall);
        assert_eq!(sc.config.horizon_days, 30.0);
        assert!(s.crn);
        assert_eq!(s.seed_point(5), 0);
    }

    #[test]
    fn chunks_are_replication_major_and_cover_everything_once() {
        let mut s = sweep(GRID).unwrap();
        s.chunk_replications = 100;
        s.chunk_points = 3;
        let chunks = s.chunks();
        assert_eq!(s.blocks(), vec![0..100, 100..200, 200..250]);
        assert_eq!(chunks.len(), 3 * 3);
        assert_eq!((chunks[0].block, chunks[0].group), (0, 0));
        assert_eq!((chunks[3].block, chunks[3].group), (1, 0));
        let cells: u64 = chunks
            .iter()
            .map(|c| (c.replications.end - c.replications.start) * (c.points.end - c.points.start))
            .sum();
        assert_eq!(cells, 8 * 250);
        for n in 1..5 {
            let covered: usize = (0..n)
                .map(|i| chunks.iter().filter(|c| s.in_shard(c, i, n)).count())
                .sum();
            assert_eq!(covered, chunks.len());
        }
    }

    #[test]
    fn an_unknown_key_suggests_the_nearest() {
        let text = GRID.replace("guarantors.air_cover.level", "guarantors.air_cover.levle");
        let err = sweep(&text).unwrap_err().to_string();
        assert!(err.contains("\"guarantors.air_cover.level\""), "{err}");
    }

    #[test]
    fn wrong_types_and_invalid_values_are_refused() {
        let text = GRID.replace(r#"values = ["none", "on_call"]"#, "values = [1, 2]");
        let err = sweep(&text).unwrap_err().to_string();
        assert!(
            err.contains("value 1 is an integer but the scenario's value there is a string"),
            "{err}"
        );
        let text = GRID.replace(
            r#"values = ["none", "on_call"]"#,
            r#"values = ["none", "full"]"#,
        );
        let err = sweep(&text).unwrap_err().to_string();
        assert!(err.contains("point 4") && err.contains("full"), "{err}");
        let text = GRID.replace("max = 30", "max = -5");
        assert!(sweep(&text).is_err());
    }

    #[test]
    fn integer_keys_take_integral_floats() {
        let text = GRID
            .replace(
                "guarantors.reassurance.troops_rear",
                "collapse.spiral_threshold",
            )
            .replace("min = 0", "min = 3");
        let s = sweep(&text).unwrap();
        assert_eq!(s.scenario(1).unwrap().config.collapse.spiral_threshold, 12);
    }

    #[test]
    fn keys_reach_into_lists() {
        let text = GRID
            .replace("guarantors.reassurance.troops_rear", "ladder[2].p_detect")
            .replace("max = 30", "max = 0.9");
        let s = sweep(&text).unwrap();
        assert!((s.scenario(3).unwrap().classes[2].p_detect - 0.9).abs() < 1e-12);
    }

    #[test]
    fn precision_rule() {
        let p = PrecisionConfig {
            outcome: "collapsed".into(),
            half_width: 0.02,
            min_replications: 100,
            max_replications: 10_000,
        };
        assert!(needs_more(Tally { hits: 0, n: 50 }, &p));
        assert!(needs_more(Tally { hits: 500, n: 1000 }, &p));
        assert!(!needs_more(Tally { hits: 50, n: 2000 }, &p));
        assert!(!needs_more(
            Tally {
                hits: 5000,
                n: 10_000
            },
            &p
        ));
        assert!((wilson_half_width(81, 263) - (0.3662 - 0.2553) / 2.0).abs() < 1e-3);
    }
}
