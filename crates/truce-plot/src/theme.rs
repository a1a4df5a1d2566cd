//! The look shared by every chart: font sizes, colours, line widths, and the title block.
//!
//! Sizes are tuned for a 1000 × 700 chart and scale with the smaller ratio of the actual size to
//! it, so a larger figure keeps its proportions instead of getting tiny text.
//! Font sizes are in plotters' units: the em square is `size / 1.24` pixels.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::font::FAMILY;
use crate::{Result, Size};

/// Text colour: a near-black that prints crisply.
pub(crate) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, notes).
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Axis lines and tick marks.
pub(crate) const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);
/// Grid lines: visible on screen and paper without competing with the data.
pub(crate) const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
/// Cells and markers for missing data.
pub(crate) const MISSING: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);
/// The collapse of a ceasefire, wherever it is marked.
pub(crate) const COLLAPSE: RGBColor = RGBColor(0xc0, 0x1c, 0x28);

/// The Okabe–Ito palette (Okabe and Ito 2008), distinguishable with the common colour-vision
/// deficiencies; yellow comes last as it is faint on white.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xb2), // blue
    RGBColor(0xd5, 0x5e, 0x00), // vermillion
    RGBColor(0x00, 0x9e, 0x73), // bluish green
    RGBColor(0xcc, 0x79, 0xa7), // reddish purple
    RGBColor(0xe6, 0x9f, 0x00), // orange
    RGBColor(0x56, 0xb4, 0xe9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xf0, 0xe4, 0x42), // yellow
];

/// The `index`-th series colour, cycling through [`PALETTE`].
pub(crate) fn series_color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Sizes for one chart, derived from its pixel size.
///
/// Public in name only, as it appears in [`crate::output::Chart`]; the module is private.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The scale factor relative to 1000 × 700.
    pub scale: f64,
    pub title: f64,
    pub subtitle: f64,
    /// Axis descriptions ("days since ceasefire").
    pub axis: f64,
    pub tick: f64,
    pub legend: f64,
    /// Cell annotations and labels inside the plot.
    pub note: f64,
    /// The smallest font size that stays legible.
    pub min_font: f64,
    /// The basic spacing unit, in pixels.
    pub gap: i32,
    pub tick_length: i32,
    pub line: u32,
    pub thin: u32,
    /// Axes, grid lines, outlines: one pixel at the reference size.
    pub hairline: u32,
    /// Interval whiskers.
    pub whisker: u32,
    /// Marker radius, in pixels.
    pub marker: i32,
}

impl Theme {
    /// The theme of a chart of `size` pixels, drawn at `pixel_ratio` device pixels per pixel
    /// (2 when a PNG is drawn at twice its size and then scaled down, for smooth edges).
    pub(crate) fn new(size: Size, pixel_ratio: f64) -> Theme {
        let ratio = (f64::from(size.width) / 1000.0)
            .min(f64::from(size.height) / 700.0)
            .clamp(0.3, 8.0);
        // Text shrinks more slowly than the chart below the reference size, so small charts
        // stay readable; above it, everything grows together.
        let text_ratio = if ratio < 1.0 { ratio.powf(0.6) } else { ratio };
        let scale = ratio * pixel_ratio;
        let text = text_ratio * pixel_ratio;
        let px = |value: f64| (value * scale).round().max(1.0);
        Theme {
            scale,
            title: 30.0 * text,
            subtitle: 20.0 * text,
            axis: 23.0 * text,
            tick: 19.0 * text,
            legend: 19.0 * text,
            note: 18.0 * text,
            min_font: 11.0 * pixel_ratio,
            gap: px(10.0) as i32,
            tick_length: px(6.0) as i32,
            line: px(2.5) as u32,
            thin: px(1.2) as u32,
            hairline: px(1.0) as u32,
            whisker: px(1.8) as u32,
            marker: px(6.0) as i32,
        }
    }

    /// A text style of the crate's font family, in the text colour.
    pub(crate) fn font(&self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FAMILY, size).into_font()).color(&TEXT)
    }
}

/// The width and height in pixels of `text` at font `size`.
pub(crate) fn text_size(text: &str, size: f64) -> (i32, i32) {
    match (FAMILY, size).into_font().box_size(text) {
        Ok((w, h)) => (w as i32, h as i32),
        // Only reachable if the font is missing, which `font::ensure_registered` rules out.
        Err(_) => (
            (text.chars().count() as f64 * size * 0.5) as i32,
            size as i32,
        ),
    }
}

/// The widest of `texts` at font `size`, in pixels.
pub(crate) fn max_text_width<'a>(texts: impl IntoIterator<Item = &'a str>, size: f64) -> i32 {
    texts
        .into_iter()
        .map(|t| text_size(t, size).0)
        .max()
        .unwrap_or(0)
}

/// The line height of font `size`, in pixels.
pub(crate) fn line_height(size: f64) -> i32 {
    text_size("Ag", size).1.max(1)
}

/// The largest font size not above `size` (and not below `min`) at which `text` fits `width`.
pub(crate) fn fit_font(text: &str, size: f64, min: f64, width: i32) -> f64 {
    let (w, _) = text_size(text, size);
    if w <= width || w == 0 {
        return size;
    }
    (size * f64::from(width) / f64::from(w)).floor().max(min)
}

/// `text`, shortened with an ellipsis if needed to fit `width` pixels at font `size`.
pub(crate) fn truncate_to_width(text: &str, size: f64, width: i32) -> String {
    if text_size(text, size).0 <= width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 1 {
        keep -= 1;
        let candidate: String = chars[..keep].iter().collect::<String>() + "…";
        if text_size(&candidate, size).0 <= width {
            return candidate;
        }
    }
    "…".to_string()
}

/// Draws the title (and an optional subtitle under it) centred at the top of `root`, and returns
/// the area below them, with the chart's outer margin applied.
pub(crate) fn draw_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
    theme: &Theme,
) -> Result<DrawingArea<DB, Shift>> {
    let (width, _) = root.dim_in_pixel();
    let usable = width as i32 - 4 * theme.gap;
    let centre = width as i32 / 2;
    let mut y = theme.gap + theme.gap / 2;
    let title_size = fit_font(title, theme.title, theme.min_font, usable);
    let title_text = truncate_to_width(title, title_size, usable);
    root.draw_text(
        &title_text,
        &theme
            .font(title_size)
            .pos(Pos::new(HPos::Center, VPos::Top)),
        (centre, y),
    )?;
    y += line_height(title_size);
    if let Some(subtitle) = subtitle.filter(|s| !s.is_empty()) {
        y += theme.gap / 2;
        let size = fit_font(subtitle, theme.subtitle, theme.min_font, usable);
        let text = truncate_to_width(subtitle, size, usable);
        root.draw_text(
            &text,
            &theme
                .font(size)
                .color(&MUTED)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (centre, y),
        )?;
        y += line_height(size);
    }
    y += theme.gap;
    Ok(root.margin(y, theme.gap, theme.gap, theme.gap))
}

/// The colour for text drawn on `background`: black or white, whichever contrasts more
/// (WCAG 2 relative luminance and contrast ratio).
pub(crate) fn contrasting_text(background: RGBColor) -> RGBColor {
    let luminance = relative_luminance(background);
    let on_black = (luminance + 0.05) / 0.05;
    let on_white = 1.05 / (luminance + 0.05);
    if on_black >= on_white {
        RGBColor(0, 0, 0)
    } else {
        RGBColor(255, 255, 255)
    }
}

fn relative_luminance(color: RGBColor) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.0) + 0.7152 * linear(color.1) + 0.0722 * linear(color.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_dark_cells_is_white_and_on_light_cells_black() {
        assert_eq!(
            contrasting_text(RGBColor(68, 1, 84)),
            RGBColor(255, 255, 255)
        );
        assert_eq!(contrasting_text(RGBColor(254, 232, 37)), RGBColor(0, 0, 0));
        assert_eq!(contrasting_text(RGBColor(255, 255, 255)), RGBColor(0, 0, 0));
    }

    #[test]
    fn sizes_scale_with_the_smaller_ratio() {
        let small = Theme::new(Size::new(1000, 700), 1.0);
        let large = Theme::new(Size::new(2000, 2100), 1.0);
        assert!((large.scale - 2.0).abs() < 1e-12);
        assert!((large.title - 2.0 * small.title).abs() < 1e-9);
    }
}
