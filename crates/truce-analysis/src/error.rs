//! The analysis error type: bad input (a missing file, column or id, an outcome without variance)
//! is kept apart from failures of the machine (a file that cannot be written, a query that fails).

use crate::prim::PrimError;
use crate::sensitivity::SensitivityError;
use polars::prelude::PolarsError;

/// Why an analysis failed.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The input is at fault; the message names the file, the column or the id, and the fix.
    #[error("{0}")]
    Input(String),
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// A table query failed.
    #[error("{context}: {source}")]
    Table {
        context: String,
        #[source]
        source: PolarsError,
    },
}

impl AnalysisError {
    /// True when the input is at fault (exit code 2 on the command line).
    pub fn is_input(&self) -> bool {
        matches!(self, AnalysisError::Input(_))
    }

    pub(crate) fn input(message: impl Into<String>) -> Self {
        AnalysisError::Input(message.into())
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        AnalysisError::Io {
            context: context.into(),
            source,
        }
    }
}

/// Adds what was being done to a polars error.
pub(crate) trait TableContext<T> {
    fn table(self, context: impl FnOnce() -> String) -> Result<T, AnalysisError>;
    /// The failure is the input's: a file that does not parse, a column of the wrong type.
    fn bad_input(self, context: impl FnOnce() -> String) -> Result<T, AnalysisError>;
}

impl<T> TableContext<T> for Result<T, PolarsError> {
    fn table(self, context: impl FnOnce() -> String) -> Result<T, AnalysisError> {
        self.map_err(|source| AnalysisError::Table {
            context: context(),
            source,
        })
    }

    fn bad_input(self, context: impl FnOnce() -> String) -> Result<T, AnalysisError> {
        self.map_err(|e| AnalysisError::Input(format!("{}: {e}", context())))
    }
}

impl From<SensitivityError> for AnalysisError {
    fn from(e: SensitivityError) -> Self {
        AnalysisError::Input(e.to_string())
    }
}

impl From<PrimError> for AnalysisError {
    fn from(e: PrimError) -> Self {
        AnalysisError::Input(e.to_string())
    }
}

/// A list of names for an error message: `a, b, c`, cut after `max` with the number left.
pub fn name_list<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(AsRef::as_ref).collect();
    let mut text = shown.join(", ");
    if names.len() > max {
        text.push_str(&format!(" and {} more", names.len() - max));
    }
    text
}
