//! Turning a chart into SVG markup, PNG bytes or a file, the same way for every chart type.

use std::io::Write;
use std::path::Path;

use image::ImageEncoder;
use image::codecs::png::PngEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::theme::Theme;
use crate::{ChartOptions, Error, Format, Result, Size, font};

/// What every chart type implements: checking its data, then drawing it on any backend. Each
/// chart module implements only this; [`Render`] turns any `Chart` into markup, bytes or a file.
///
/// Public in name only: the module is private, so no other crate can implement it (and so
/// [`Render`]) or call its methods.
pub trait Chart {
    /// Checks the data before anything is drawn, so bad input gives a clear error and no output.
    fn check(&self) -> Result<()>;

    /// Draws the chart on `root`, which covers the whole image and is already filled white.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()>;
}

fn check_size(size: Size) -> Result<()> {
    let fits = |value: u32, min: u32| (min..=Size::MAX_SIDE).contains(&value);
    if fits(size.width, Size::MIN.width) && fits(size.height, Size::MIN.height) {
        Ok(())
    } else {
        Err(Error::InvalidSize {
            width: size.width,
            height: size.height,
        })
    }
}

fn prepare(chart: &impl Chart, options: &ChartOptions) -> Result<()> {
    check_size(options.size)?;
    chart.check()?;
    font::ensure_registered()
}

/// PNGs up to this many pixels are drawn at twice their size and scaled down: plotters' raster
/// lines have no anti-aliasing, and this gives them smooth edges. Larger ones are drawn as they
/// are, to bound memory.
const SUPERSAMPLE_UP_TO: u64 = 4000 * 4000;

/// Drawing a chart as SVG markup, as PNG bytes, or into a file, the same way for every chart:
/// implemented by the data struct of each one (`HeatmapData`, `SurvivalData`, …).
pub trait Render: Chart + Sized {
    /// Writes the chart to `path`, as PNG or SVG by its extension (`.png` or `.svg`). The file is
    /// written to a temporary file in the same folder and renamed into place, so an error never
    /// leaves a partial file behind.
    fn render(&self, options: &ChartOptions, path: &Path) -> Result<()> {
        render(self, options, path)
    }

    /// The chart as SVG markup; the same input gives the same bytes.
    fn svg(&self, options: &ChartOptions) -> Result<String> {
        svg(self, options)
    }

    /// The chart as an encoded PNG (8-bit RGB).
    fn png(&self, options: &ChartOptions) -> Result<Vec<u8>> {
        png(self, options)
    }
}

impl<T: Chart> Render for T {}

/// The chart as SVG markup.
fn svg(chart: &impl Chart, options: &ChartOptions) -> Result<String> {
    prepare(chart, options)?;
    let size = options.size;
    let theme = Theme::new(size, 1.0);
    let mut markup = String::new();
    {
        let root =
            SVGBackend::with_string(&mut markup, (size.width, size.height)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root, &theme)?;
        root.present()?;
    }
    Ok(markup)
}

/// The chart as an encoded PNG (8-bit RGB).
fn png(chart: &impl Chart, options: &ChartOptions) -> Result<Vec<u8>> {
    prepare(chart, options)?;
    let size = options.size;
    let factor: u32 = if u64::from(size.width) * u64::from(size.height) <= SUPERSAMPLE_UP_TO {
        2
    } else {
        1
    };
    let (width, height) = (size.width * factor, size.height * factor);
    let theme = Theme::new(size, f64::from(factor));
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root, &theme)?;
        root.present()?;
    }
    let pixels = if factor == 2 {
        halve(&pixels, width, height)
    } else {
        pixels
    };
    let mut encoded = Vec::new();
    PngEncoder::new(&mut encoded)
        .write_image(&pixels, size.width, size.height, image::ColorType::Rgb8)
        .map_err(|e| Error::Encode(e.to_string()))?;
    Ok(encoded)
}

/// An RGB image of `width` × `height` (both even) scaled to half size, each pixel the mean of
/// the 2 × 2 block it replaces.
fn halve(pixels: &[u8], width: u32, height: u32) -> Vec<u8> {
    let (width, height) = (width as usize, height as usize);
    let (half_width, half_height) = (width / 2, height / 2);
    let mut out = vec![0u8; half_width * half_height * 3];
    for y in 0..half_height {
        for x in 0..half_width {
            for channel in 0..3 {
                let at = |dx: usize, dy: usize| {
                    u16::from(pixels[((2 * y + dy) * width + 2 * x + dx) * 3 + channel])
                };
                let sum = at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1);
                out[(y * half_width + x) * 3 + channel] = ((sum + 2) / 4) as u8;
            }
        }
    }
    out
}

/// Writes the chart to `path`, in the format its extension names.
fn render(chart: &impl Chart, options: &ChartOptions, path: &Path) -> Result<()> {
    let format = Format::from_path(path)?;
    let bytes = match format {
        Format::Png => png(chart, options)?,
        Format::Svg => svg(chart, options)?.into_bytes(),
    };
    write_atomically(path, &bytes)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it to `path`.
///
/// A failure at any step removes the temporary file, so no partial output is left behind.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let failed = |error: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        error,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".truce-plot-").suffix(".tmp");
    // A temporary file is private by default; a chart should get the usual permissions (umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(folder).map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}
