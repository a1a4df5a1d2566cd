//! Reading and checking a scenario config: every problem at once, each with its key path and place.
//!
//! [`read`] reads a file once into a TOML document, checks it against the schema of its kind in
//! one walk ([`crate::document`], [`crate::schema`]), then checks the ranges of what fits, and
//! reports every syntax error, unknown key, wrong type and range problem, each at its line and
//! column, in file order; [`schema_problems`] does the first two steps for any kind of file.
//! [`parse`] is the older reader, which stops at the first error of the first two kinds; the range
//! checks are [`check`], which looks at every value of a parsed config and returns every problem.
//!
//! Submodules, by concern: `messages` says the TOML reader's and serde's errors in the words of a
//! config file; `check` holds the range rules; [`limits`] the upper bounds on every size.

mod check;
pub mod limits;
mod messages;

pub use check::check;
pub(crate) use messages::{deepest_line, syntax_problem};
pub use messages::{syntax_error, toml_error};

use crate::config::ScenarioConfig;
use crate::document::{Document, Located, file_order};
use crate::schema::{self, FileKind};
use messages::schema_problem;
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
    /// Every problem, one per line, each prefixed with `origin` (usually the file's path)
    /// and, for parse errors, the line: `configs/x.toml:12: key: message`.
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

    /// The problems, whatever the kind of error.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ConfigError::Parse { problem, .. } => vec![problem.clone()],
            ConfigError::Invalid(problems) => problems.clone(),
        }
    }
}

/// Every problem of a file, each with its place when known, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|p| p.report("config")).collect::<Vec<_>>().join("\n"))]
pub struct FileError(pub Vec<Located>);

impl FileError {
    /// One problem per line, `<origin>:<line>:<column>: <key>: <message>`.
    pub fn report(&self, origin: &str) -> String {
        self.0
            .iter()
            .map(|p| p.report(origin))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The problems without their places.
    pub fn problems(&self) -> Vec<Problem> {
        self.0.iter().map(|p| p.problem.clone()).collect()
    }
}

/// Reads a scenario file: syntax, keys and types against the schema, then, after `adjust` has
/// changed the config (the command line's `--replications` and `--seed`), every range and the
/// supports of the `[[uncertain]]` parameters; every problem of these, located, in file order. Keys that do not fit are left at their defaults
/// for the range checks, so that one bad value hides no other problem.
pub fn read(
    text: &str,
    adjust: impl FnOnce(&mut ScenarioConfig),
) -> Result<ScenarioConfig, FileError> {
    let doc = Document::parse(text).map_err(FileError)?;
    let (table, mut problems) = doc.check(schema::of(FileKind::Scenario));
    // A file that fits the schema is read by serde from its text, as `parse` reads it (whole
    // numbers beyond 64-bit signed included); one that does not, from what fits.
    let parsed = if problems.is_empty() {
        parse(text)
    } else {
        from_value(toml::Value::Table(table))
    };
    let mut config = match parsed {
        Ok(config) => config,
        // Something the schema let through: the serde layer's problem, then nothing more to check.
        Err(e) => {
            let line = match &e {
                ConfigError::Parse { line, .. } => *line,
                ConfigError::Invalid(_) => None,
            };
            for problem in e.problems() {
                let at = doc
                    .locate(&problem.key)
                    .or(line.map(|line| crate::document::Position { line, column: 1 }));
                problems.push(Located { problem, at });
            }
            file_order(&mut problems);
            return Err(FileError(problems));
        }
    };
    adjust(&mut config);
    // `check` checks the uncertain parameters' supports too, once every other range is right.
    let ranges = check(&config);
    for problem in ranges {
        let at = doc.locate(&problem.key);
        problems.push(Located { problem, at });
    }
    file_order(&mut problems);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(FileError(problems))
    }
}

/// The syntax and schema problems of a file of `kind` (no range checks), located, in file order.
pub fn schema_problems(text: &str, kind: FileKind) -> Vec<Located> {
    match Document::parse(text) {
        Err(problems) => problems,
        Ok(doc) => doc.check(schema::of(kind)).1,
    }
}

/// Parses TOML text into the raw config, naming the key path and line of the first error.
pub fn parse(text: &str) -> Result<ScenarioConfig, ConfigError> {
    let de = toml::Deserializer::parse(text).map_err(|e| syntax_error(text, &e))?;
    serde_path_to_error::deserialize(de)
        .map_err(|e| toml_error(text, &path_key(e.path()), e.inner()))
}

/// Parses a TOML value tree (for example a scenario with sweep values set) into the raw config.
pub fn from_value(value: toml::Value) -> Result<ScenarioConfig, ConfigError> {
    serde_path_to_error::deserialize(value).map_err(|e| ConfigError::Parse {
        problem: schema_problem(path_key(e.path()), e.inner().message().trim(), None),
        line: None,
    })
}

fn path_key(path: &serde_path_to_error::Path) -> String {
    let key = path.to_string();
    if key == "." { String::new() } else { key }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_key_the_rule_and_the_line() {
        let err = parse("[guarantors.air_cover]\nlevel = \"full\"\n").unwrap_err();
        assert_eq!(
            err.report("x.toml"),
            "x.toml:2: guarantors.air_cover.level: unknown value \"full\"; valid values are \"none\", \"isr\", \"air_defence\", \"on_call\", \"no_fly_zone\""
        );
        let err = parse("[aggressor]\npower = \"big\"\n").unwrap_err();
        assert_eq!(
            err.report("x.toml"),
            "x.toml:2: aggressor.power: must be a number (got \"big\")"
        );
        let err = parse("[guarantors.reassurance]\ntheta = { harassment = 0.1, hit = 0.8 }\n")
            .unwrap_err();
        assert_eq!(
            err.report("x.toml"),
            "x.toml:2: guarantors.reassurance.theta.hit: unknown key; valid keys in [guarantors.reassurance.theta] are harassment, land_grab, strike, offensive"
        );
        let err = parse("[[ladder]]\nname = \"a\"\nkind = 3\n").unwrap_err();
        assert_eq!(
            err.report("x.toml"),
            "x.toml:3: ladder[0].kind: must be one of \"harassment\", \"land_grab\", \"strike\", \"offensive\" (got 3)"
        );
        let err = parse("[[ladder]]\nname = \"a\"\nkind = \"strike\"\n").unwrap_err();
        assert_eq!(
            err.problems()[0].key,
            "ladder[0].gain",
            "{}",
            err.report("x.toml")
        );
    }

    #[test]
    fn value_trees_get_the_same_messages() {
        let value: toml::Value = toml::from_str("[geography]\nsectors = -2\n").unwrap();
        let err = from_value(value).unwrap_err();
        assert_eq!(
            err.report("sweep"),
            "sweep: geography.sectors: must be a whole number >= 1 (got -2)"
        );
    }
}
