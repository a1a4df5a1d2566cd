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

mod design_file;
mod file;
mod keys;
mod parameters;
mod plan;
mod precision;

pub use design_file::{DESIGN_KEYS, DesignConfig, design_of, free_parameters};
pub use file::{DesignKind, Distribution, ParameterConfig, PrecisionConfig, SweepConfig, split};
pub use keys::{get, integer_key, merge, set, suggestions};
pub use plan::{Chunk, MAX_CHUNKS};
pub use precision::{BINARY_OUTCOMES, Tally, binary_outcome, needs_more, wilson_half_width};

use crate::config::ScenarioConfig;
use crate::design::{self, Design, DesignError, Parameter, Point};
use crate::scenario::Scenario;
use crate::validate::{self, ConfigError, Problem, limits};
use keys::coerce;

/// Top-level keys that are not model parameters and so cannot be swept.
const NOT_SWEPT: [&str; 3] = ["name", "seed", "replications"];

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
            match parameters::parameter(p, config.design, &full) {
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
        let design = match design_of(&config.design_table()) {
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
                problems.extend(precision::check_precision(p));
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
        let (chunk_replications, chunk_points) =
            plan::chunk_sizes(config.chunk_replications, points.len(), max_reps)?;
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
}
