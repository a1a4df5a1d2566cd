//! Heatmap of an outcome over two swept parameters: one cell per pair of values, coloured on the
//! viridis scale and annotated with its value, with a colour bar.
//!
//! The figure the tool exists to draw: P(collapse) over air cover (x) and troop presence (y).
//!
//! ```no_run
//! use truce_plot::{ChartOptions, Render, heatmap::HeatmapData};
//!
//! let data = HeatmapData {
//!     title: "P(collapse) within a year".into(),
//!     x_label: "air cover (sorties per day)".into(),
//!     y_label: "troops (thousands)".into(),
//!     value_label: "P(collapse)".into(),
//!     x_categories: vec!["0".into(), "10".into()],
//!     y_categories: vec!["0".into(), "5".into()],
//!     values: vec![vec![Some(0.62), Some(0.41)], vec![Some(0.35), None]],
//!     range: Some((0.0, 1.0)),
//! };
//! data.render(&ChartOptions::default(), "collapse.png".as_ref())?;
//! # Ok::<(), truce_plot::Error>(())
//! ```

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Result;
use crate::axis::{Axis, Frame, cartesian, format_tick, nice_ticks, plot_rect};
use crate::output::Chart;
use crate::theme::{
    AXIS, MISSING, MUTED, Theme, contrasting_text, draw_title, fit_font, line_height,
    max_text_width,
};
use crate::validate::{finite, invalid, non_empty, range, same_length};

const CHART: &str = "heatmap";

/// The text of a cell without a value.
pub const MISSING_TEXT: &str = "n/a";

/// A heatmap's data: a value (or none) for every pair of an x category and a y category.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapData {
    pub title: String,
    /// The x parameter, with its unit, e.g. "air cover (sorties per day)".
    pub x_label: String,
    /// The y parameter, with its unit.
    pub y_label: String,
    /// What the colour shows, e.g. "P(collapse)"; written along the colour bar.
    pub value_label: String,
    /// The x values as they should read, left to right.
    pub x_categories: Vec<String>,
    /// The y values as they should read, bottom to top.
    pub y_categories: Vec<String>,
    /// `values[j][i]` is the cell of `y_categories[j]` and `x_categories[i]`; `None` where there
    /// is no value (drawn grey and annotated "n/a").
    pub values: Vec<Vec<Option<f64>>>,
    /// The values at the two ends of the colour scale; `None` spans the data. Values outside it
    /// take the colour of the nearer end. For probabilities, `Some((0.0, 1.0))` keeps figures
    /// comparable.
    pub range: Option<(f64, f64)>,
}

/// How a cell's value is written in the cell: two decimals, or "n/a".
pub fn cell_text(value: Option<f64>) -> String {
    match value {
        Some(v) => format_tick(v, 2),
        None => MISSING_TEXT.to_string(),
    }
}

impl HeatmapData {
    /// The colour scale's ends: the given range, or the data's, widened if all values are equal.
    fn scale(&self) -> (f64, f64) {
        if let Some(range) = self.range {
            return range;
        }
        let values = self.values.iter().flatten().flatten().copied();
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if lo == hi {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        }
    }
}

/// The viridis colour of `value` on the scale `[lo, hi]`, clamped to its ends.
fn color_of(value: f64, (lo, hi): (f64, f64)) -> RGBColor {
    let t = ((value - lo) / (hi - lo)).clamp(0.0, 1.0);
    ViridisRGB::get_color(t as f32)
}

impl Chart for HeatmapData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "x_categories", self.x_categories.len())?;
        non_empty(CHART, "y_categories", self.y_categories.len())?;
        same_length(
            CHART,
            || "values (one row per y category)".to_string(),
            self.y_categories.len(),
            self.values.len(),
        )?;
        for (j, row) in self.values.iter().enumerate() {
            same_length(
                CHART,
                || format!("values[{j}] (one cell per x category)"),
                self.x_categories.len(),
                row.len(),
            )?;
            for (i, value) in row.iter().enumerate() {
                if let Some(v) = value {
                    finite(CHART, || format!("values[{j}][{i}]"), *v)?;
                }
            }
        }
        range(CHART, "range", self.range)?;
        if self.values.iter().flatten().all(Option::is_none) {
            return Err(invalid(CHART, "values", "every cell is missing"));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let body = draw_title(root, &self.title, None, theme)?;
        let scale = self.scale();
        let (width, height) = body.dim_in_pixel();

        // The colour bar's ticks and width come first: the heatmap takes what is left.
        let bar_ticks = colour_bar_ticks(scale, height, theme);
        let tick_width = max_text_width(bar_ticks.iter().map(|t| t.1.as_str()), theme.tick);
        let bar_width = (24.0 * theme.scale) as i32;
        let value_size = fit_font(
            &self.value_label,
            theme.axis,
            theme.min_font,
            height as i32 * 3 / 4,
        );
        let bar_area = 2 * theme.gap
            + bar_width
            + 2 * theme.tick_length
            + tick_width
            + theme.gap
            + line_height(value_size);
        let (main, _) = body.split_horizontally(width as i32 - bar_area);

        let mut x = Axis::categories(&self.x_categories, &self.x_label, false);
        let mut y = Axis::categories(&self.y_categories, &self.y_label, false);
        fit_category_labels(&mut x, &mut y, main.dim_in_pixel(), theme);
        let chart = cartesian(&main, &x, &y, theme, Frame::default())?;

        // Cells, with a white seam between them; then their values, sized to fit the cells.
        let plot = chart.plotting_area();
        let seam = WHITE.stroke_width((theme.scale * 1.5).round().max(1.0) as u32);
        for (j, row) in self.values.iter().enumerate() {
            for (i, value) in row.iter().enumerate() {
                let color = value.map_or(MISSING, |v| color_of(v, scale));
                let corners = [(i as f64, j as f64), (i as f64 + 1.0, j as f64 + 1.0)];
                plot.draw(&Rectangle::new(corners, color.filled()))?;
                plot.draw(&Rectangle::new(corners, seam))?;
            }
        }
        let (left, top, right, bottom) = plot_rect(&chart);
        let cell_width = (right - left) / self.x_categories.len() as i32;
        let cell_height = (bottom - top) / self.y_categories.len() as i32;
        let widest = self
            .values
            .iter()
            .flatten()
            .map(|v| cell_text(*v))
            .max_by_key(|t| t.chars().count())
            .unwrap_or_default();
        let by_width = fit_font(
            &widest,
            theme.note * 1.15,
            theme.min_font * 0.55,
            cell_width * 4 / 5,
        );
        let by_height = f64::from(cell_height) * 0.5;
        let note_size = by_width.min(by_height).max(theme.min_font * 0.55);
        for (j, row) in self.values.iter().enumerate() {
            for (i, value) in row.iter().enumerate() {
                let text_color = value.map_or(MUTED, |v| contrasting_text(color_of(v, scale)));
                let style = theme
                    .font(note_size)
                    .color(&text_color)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                plot.draw(&Text::new(
                    cell_text(*value),
                    (i as f64 + 0.5, j as f64 + 0.5),
                    style,
                ))?;
            }
        }

        let bar = ColourBar {
            scale,
            ticks: &bar_ticks,
            label: &self.value_label,
            label_size: value_size,
            left: right + 2 * theme.gap,
            width: bar_width,
            top,
            bottom,
        };
        bar.draw(root, theme)
    }
}

/// Shrinks the tick labels of a category axis whose labels are wider than their cells.
fn fit_category_labels(x: &mut Axis, y: &mut Axis, (width, height): (u32, u32), theme: &Theme) {
    let cell_width = (width as f64 * 0.8 / x.labels.len() as f64) as i32;
    let widest = max_text_width(x.labels.iter().map(String::as_str), theme.tick);
    let size = (theme.tick * f64::from(cell_width * 9 / 10) / f64::from(widest.max(1)))
        .floor()
        .clamp(theme.min_font, theme.tick);
    if size < theme.tick {
        x.tick_font = Some(size);
    }
    // Still too wide at the smallest size: label every k-th column only.
    let widest = max_text_width(x.labels.iter().map(String::as_str), size);
    let every = ((widest + theme.gap) / cell_width.max(1) + 1).max(1) as usize;
    if every > 1 {
        for (i, label) in x.labels.iter_mut().enumerate() {
            if i % every != 0 {
                label.clear();
            }
        }
    }

    let cell_height = (height as f64 * 0.8 / y.labels.len() as f64) as i32;
    let size = (f64::from(cell_height) * 0.8)
        .min(theme.tick)
        .max(theme.min_font);
    if size < theme.tick {
        y.tick_font = Some(size);
    }
    let every = ((line_height(size) + theme.gap / 2) / cell_height.max(1) + 1).max(1) as usize;
    if every > 1 {
        for (j, label) in y.labels.iter_mut().enumerate() {
            if j % every != 0 {
                label.clear();
            }
        }
    }
}

/// Round-numbered ticks inside the colour scale, with their labels.
fn colour_bar_ticks((lo, hi): (f64, f64), height: u32, theme: &Theme) -> Vec<(f64, String)> {
    let count = crate::axis::tick_count(height * 3 / 4, 70.0, theme);
    let (ticks, decimals) = nice_ticks(lo, hi, count);
    ticks
        .into_iter()
        .map(|t| (t, format_tick(t, decimals)))
        .collect()
}

/// The colour bar beside the heatmap: the scale from bottom (low) to top (high), its ticks and
/// its label, drawn in the pixels of the whole image.
struct ColourBar<'a> {
    scale: (f64, f64),
    ticks: &'a [(f64, String)],
    label: &'a str,
    label_size: f64,
    left: i32,
    width: i32,
    top: i32,
    bottom: i32,
}

impl ColourBar<'_> {
    /// Bands of the gradient; enough that no step shows.
    const BANDS: i32 = 128;

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let (lo, hi) = self.scale;
        let (left, right) = (self.left, self.left + self.width);
        let span = f64::from(self.bottom - self.top);
        let y_of = |value: f64| self.bottom - ((value - lo) / (hi - lo) * span).round() as i32;
        for band in 0..Self::BANDS {
            let t0 = f64::from(band) / f64::from(Self::BANDS);
            let t1 = f64::from(band + 1) / f64::from(Self::BANDS);
            let color = ViridisRGB::get_color(((t0 + t1) / 2.0) as f32);
            // Each band reaches one pixel into the next, so no seam shows when the SVG is scaled.
            let (y0, y1) = (
                (self.bottom - (t1 * span).round() as i32 - 1).max(self.top),
                self.bottom - (t0 * span).round() as i32,
            );
            root.draw(&Rectangle::new([(left, y0), (right, y1)], color.filled()))?;
        }
        root.draw(&Rectangle::new(
            [(left, self.top), (right, self.bottom)],
            AXIS.stroke_width(theme.hairline),
        ))?;
        for (value, text) in self.ticks {
            let y = y_of(*value);
            root.draw(&PathElement::new(
                vec![(right, y), (right + theme.tick_length, y)],
                AXIS.stroke_width(theme.hairline),
            ))?;
            root.draw_text(
                text,
                &theme
                    .font(theme.tick)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
                (right + 2 * theme.tick_length, y),
            )?;
        }
        let tick_width = max_text_width(self.ticks.iter().map(|t| t.1.as_str()), theme.tick);
        let label_x = right + 2 * theme.tick_length + tick_width + theme.gap;
        root.draw_text(
            self.label,
            &theme
                .font(self.label_size)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (label_x, (self.top + self.bottom) / 2),
        )?;
        Ok(())
    }
}
