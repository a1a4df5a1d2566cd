//! Where a config comes from (a file, standard input or the built-in baseline), and turning it into a
//! validated [`Scenario`] with every problem reported against its file.

use crate::error::user;
use anyhow::Result;
use std::io::Read;
use std::path::{Path, PathBuf};
use truce_sim::schema::FileKind;
use truce_sim::{ConfigError, FileError, Scenario, ScenarioConfig, validate};

/// The baseline scenario, built into the binary.
pub const BASELINE: &str = include_str!("../../../configs/baseline.toml");

/// Where a config's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    BuiltIn,
    Stdin,
    File(PathBuf),
}

impl Source {
    /// The source named on the command line: `-` is standard input, nothing is the built-in baseline.
    pub fn from_arg(path: Option<&Path>) -> Self {
        match path {
            None => Source::BuiltIn,
            Some(p) if p == Path::new("-") => Source::Stdin,
            Some(p) => Source::File(p.to_path_buf()),
        }
    }

    /// How errors and reports name this source.
    pub fn origin(&self) -> String {
        match self {
            Source::BuiltIn => "<built-in baseline>".into(),
            Source::Stdin => "<stdin>".into(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// The path as written to manifests: `-` for standard input, `None` for the built-in baseline.
    pub fn manifest_path(&self) -> Option<String> {
        match self {
            Source::BuiltIn => None,
            Source::Stdin => Some("-".into()),
            Source::File(p) => Some(p.display().to_string()),
        }
    }

    /// The config's text.
    pub fn read(&self) -> Result<String> {
        let result = match self {
            Source::BuiltIn => return Ok(BASELINE.to_string()),
            Source::Stdin => {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).map(|_| text)
            }
            Source::File(p) => std::fs::read_to_string(p),
        };
        result.map_err(|e| {
            user(format!(
                "{}: cannot read the config file: {e}",
                self.origin()
            ))
        })
    }

    /// Checks a raw config and builds the scenario.
    pub fn build(&self, config: ScenarioConfig) -> Result<Scenario> {
        Scenario::from_config(config).map_err(|e| self.config_error(&e))
    }

    /// Reads, parses and builds.
    pub fn load(&self) -> Result<Scenario> {
        self.load_with(|_| {})
    }

    /// Reads the file, lets `adjust` change the config (command-line overrides), checks it and
    /// builds the scenario: every problem of the file at once, each with its line and column.
    pub fn load_with(&self, adjust: impl FnOnce(&mut ScenarioConfig)) -> Result<Scenario> {
        let text = self.read()?;
        let config = validate::read(&text, adjust).map_err(|e| file_error(&e, &self.origin()))?;
        self.build(config)
    }

    /// One problem reads `error: <origin>: <problem>`; several get a count, then one line each.
    fn config_error(&self, err: &ConfigError) -> anyhow::Error {
        let report = err.report(&self.origin());
        match report.lines().count() {
            1 => user(report),
            n => user(format!("{}: {n} problems\n{report}", self.origin())),
        }
    }
}

/// Every problem of a file, located: one reads `error: <origin>:<line>:<column>: <problem>`;
/// several get a count, then one line each.
pub fn file_error(err: &FileError, origin: &str) -> anyhow::Error {
    let report = err.report(origin);
    match err.0.len() {
        0 | 1 => user(report),
        n => user(format!("{origin}: {n} problems\n{report}")),
    }
}

/// The syntax, key and type problems of a file of `kind` (`[sweep]`, `[solve]`, … tables and
/// scenario keys alike), all at once, as one bad-input error; `Ok` when there are none.
pub fn check_schema(text: &str, origin: &str, kind: FileKind) -> Result<()> {
    let problems = validate::schema_problems(text, kind);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(file_error(&FileError(problems), origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baseline_is_valid() {
        let scenario = Source::BuiltIn
            .load()
            .expect("the built-in baseline must be valid");
        assert!(!scenario.name().is_empty());
    }

    #[test]
    fn a_bad_name_is_reported_with_its_key() {
        let err = Source::File("x.toml".into())
            .load_text("name = \"../escape\"")
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.toml:1:1: name: must be usable as a folder name"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_file_names_the_file() {
        let err = Source::File("configs/nope.toml".into()).read().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("configs/nope.toml: cannot read the config file: "),
            "{err}"
        );
        assert_eq!(crate::error::exit_code(&err), 2);
    }

    impl Source {
        fn load_text(&self, text: &str) -> Result<Scenario> {
            let config =
                validate::read(text, |_| {}).map_err(|e| file_error(&e, &self.origin()))?;
            self.build(config)
        }
    }
}
