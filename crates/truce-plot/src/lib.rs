//! Charts of truce results, as PNG or SVG, and a self-contained HTML report that embeds them.
//!
//! The crate takes plain data, in its own documented structs, and draws it; it reads no file and
//! knows nothing of the simulation or of how the numbers were computed.
//!
//! Every chart's data struct implements [`Render`], one trait with the same three methods for
//! all (each chart module only says how its data is checked and drawn):
//!
//! - `data.render(&ChartOptions, path)` writes a PNG or an SVG file, chosen by the path's
//!   extension (`.png` or `.svg`). The file is written to a temporary file in the same folder and
//!   renamed into place, so an error never leaves a partial file behind.
//! - `data.svg(&ChartOptions) -> Result<String>` returns the SVG markup, for embedding in a
//!   [`report`].
//! - `data.png(&ChartOptions) -> Result<Vec<u8>>` returns the encoded PNG.
//!
//! The charts:
//!
//! | module | chart |
//! |---|---|
//! | [`heatmap`] | an outcome over two parameters, one annotated cell per pair, with a colour scale |
//! | [`survival`] | survival curves (step functions) with translucent confidence bands |
//! | [`incidence`] | cumulative incidences of competing ends (causes of collapse, settlement), stacked |
//! | [`dot_whisker`] | P(serious violation) and P(collapse) with intervals, one row per scenario point |
//! | [`forest`] | differences from a reference point with intervals, around a zero line |
//! | [`sensitivity`] | Sobol S1 and ST bars with whiskers, or a Morris μ* against σ scatter |
//! | [`timeline`] | the events of one traced replication, by actor, with the collapse marked |
//! | [`background`] | background violations per day of one traced replication |
//! | [`solve`] | an estimated probability against a solved parameter, with the target and the roots; and the frontier of roots (`CurveData` and `FrontierData`) |
//!
//! Text: PNG output uses DejaVu Sans, embedded in the crate, so a PNG looks the same on a machine
//! with no fonts installed. SVG output names the font family `sans-serif` and leaves the choice of
//! face to the viewer. SVG output is deterministic: the same input gives the same bytes.

pub mod background;
pub mod dot_whisker;
mod error;
pub mod forest;
pub mod heatmap;
pub mod incidence;
pub mod report;
pub mod sensitivity;
pub mod solve;
pub mod survival;
pub mod timeline;

mod axis;
mod font;
mod legend;
mod marker;
mod output;
mod theme;
mod validate;

use std::path::Path;

pub use error::{Error, Result};
pub use output::Render;

/// The file format of a rendered chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A raster image, drawn with the embedded font.
    Png,
    /// A vector image; its text is drawn by the viewer in a sans-serif face.
    Svg,
}

impl Format {
    /// The format named by a path's extension (`png` or `svg`, in any case).
    pub fn from_path(path: &Path) -> Result<Format> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            _ => Err(Error::UnknownFormat {
                path: path.to_path_buf(),
            }),
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// A chart's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    /// The smallest size a chart is laid out for.
    pub const MIN: Size = Size {
        width: 320,
        height: 240,
    };
    /// The largest size accepted, in each dimension.
    pub const MAX_SIDE: u32 = 8000;

    pub fn new(width: u32, height: u32) -> Size {
        Size { width, height }
    }
}

/// 1000 × 700 pixels.
impl Default for Size {
    fn default() -> Self {
        Size::new(1000, 700)
    }
}

/// How a chart is drawn, apart from its data.
///
/// Font sizes, line widths and margins follow the size: they are tuned for 1000 × 700 and scale
/// with the smaller of the two ratios to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartOptions {
    pub size: Size,
}

impl ChartOptions {
    /// Options for a chart of `width` × `height` pixels.
    pub fn with_size(width: u32, height: u32) -> ChartOptions {
        ChartOptions {
            size: Size::new(width, height),
        }
    }
}

/// A point estimate with its interval, e.g. a probability and its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Estimate {
    pub fn new(value: f64, lower: f64, upper: f64) -> Estimate {
        Estimate {
            value,
            lower,
            upper,
        }
    }
}
