//! Design-only files: a `[design]` table alone, whose parameter keys are free names, and the design
//! a `[sweep]` or `[design]` table asks for.

use super::parameters::space;
use super::{DesignKind, ParameterConfig, SweepConfig, SweepError};
use crate::design::{Design, Parameter};
use crate::validate::Problem;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A design alone: the points of the unit cube mapped to parameter values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignConfig {
    /// `grid`, `random`, `lhs`, `saltelli` or `morris`.
    pub design: DesignKind,
    /// Points of a random or LHS design; base rows N of a Saltelli design; trajectories of a Morris design.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Saltelli: also the BA matrices for second-order indices.
    #[serde(default)]
    pub second_order: bool,
    /// Morris: levels of the grid (even).
    #[serde(default = "super::file::default_levels")]
    pub levels: usize,
    /// A design with more points needs `--yes`.
    #[serde(default = "super::file::default_max_points")]
    pub max_points: usize,
    pub parameters: Vec<ParameterConfig>,
    /// Seed of random, lhs and morris designs (overridden by --seed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64")]
    pub seed: Option<u64>,
}

/// The keys a `[design]` table takes: the fields of `[sweep]` that describe a design, and a seed.
pub const DESIGN_KEYS: [&str; 7] = [
    "design",
    "samples",
    "second_order",
    "levels",
    "max_points",
    "seed",
    "parameters",
];

impl DesignConfig {
    /// Reads the fields of a `[design]` table; a problem's key starts with `design`.
    pub fn from_table(fields: toml::Table) -> Result<Self, SweepError> {
        serde_path_to_error::deserialize(toml::Value::Table(fields)).map_err(|e| {
            let path = e.path().to_string();
            SweepError::one(
                if path == "." {
                    "design".to_string()
                } else {
                    format!("design.{path}")
                },
                e.inner().to_string(),
            )
        })
    }
}

impl SweepConfig {
    /// The fields of the `[sweep]` table that describe its design, as a `[design]` table.
    pub fn design_table(&self) -> DesignConfig {
        DesignConfig {
            design: self.design,
            samples: self.samples,
            second_order: self.second_order,
            levels: self.levels,
            max_points: self.max_points,
            parameters: self.parameters.clone(),
            seed: None,
        }
    }
}

/// The design a `[sweep]` (or `[design]`) table asks for.
pub fn design_of(config: &DesignConfig) -> Result<Design, Problem> {
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

/// The parameters of a design-only file, whose keys are free names rather than scenario keys; a
/// problem's key starts with `design`.
pub fn free_parameters(config: &DesignConfig) -> Result<Vec<Parameter>, SweepError> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (i, p) in config.parameters.iter().enumerate() {
        match space(p, config.design) {
            Ok(space) => out.push(Parameter::new(p.key.clone(), space)),
            Err(message) => problems.push(Problem {
                key: format!("design.parameters[{i}] ({})", p.key),
                message,
            }),
        }
    }
    if config.parameters.is_empty() {
        problems.push(Problem {
            key: "design.parameters".into(),
            message: "is empty: add at least one [[design.parameters]] table".into(),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(SweepError::Invalid(problems))
    }
}
