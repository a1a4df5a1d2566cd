//! The crate's error type: what was wrong with the data, the size or the output path.

use std::path::PathBuf;

use plotters::drawing::DrawingAreaErrorKind;

/// Why a chart could not be drawn or written.
///
/// Data errors name the chart and the offending field (with its index), so the message can be
/// shown to a person as it is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// There is nothing to draw.
    #[error("{chart}: no data to draw: {what} is empty")]
    Empty { chart: &'static str, what: String },

    /// Two lists that go together have different lengths.
    #[error("{chart}: {what} has {found} entries, expected {expected}")]
    LengthMismatch {
        chart: &'static str,
        what: String,
        expected: usize,
        found: usize,
    },

    /// A number is NaN or infinite.
    #[error("{chart}: {what} must be a finite number (got {value})")]
    NonFinite {
        chart: &'static str,
        what: String,
        value: f64,
    },

    /// Any other problem with the data, e.g. an interval whose lower end is above its upper end.
    #[error("{chart}: {what}: {problem}")]
    Invalid {
        chart: &'static str,
        what: String,
        problem: String,
    },

    /// The requested size is too small to lay a chart out, or too large.
    #[error(
        "chart size {width}x{height} px is not supported: the width must be {} to {max} px and the height {} to {max} px",
        crate::Size::MIN.width,
        crate::Size::MIN.height,
        max = crate::Size::MAX_SIDE
    )]
    InvalidSize { width: u32, height: u32 },

    /// The output path's extension names no known format.
    #[error("{}: cannot tell the chart format: the file name must end in .png or .svg", path.display())]
    UnknownFormat { path: PathBuf },

    /// The output file could not be written.
    #[error("cannot write {}: {error}", path.display())]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },

    /// The drawing library failed (a bug rather than bad input).
    #[error("drawing the chart failed: {0}")]
    Draw(String),

    /// The PNG encoder failed.
    #[error("encoding the PNG failed: {0}")]
    Encode(String),

    /// The embedded font could not be loaded (a bug rather than bad input).
    #[error("the embedded DejaVu Sans font could not be loaded")]
    Font,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for Error {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        Error::Draw(error.to_string())
    }
}
