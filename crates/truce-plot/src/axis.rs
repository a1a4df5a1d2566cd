//! Axes: "nice" numeric ticks, category axes, and the Cartesian frame every x–y chart is built on.
//!
//! Every axis is an `f64` range with explicit key points, so the crate decides where ticks go and
//! how they read ("0.25", never "0.25000000000000006"), and can measure the labels before layout.
//! A category axis puts category `i` on the unit interval `[i, i + 1]`, labelled at its centre.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;

use crate::Result;
use crate::theme::{
    AXIS, GRID, Theme, fit_font, line_height, max_text_width, text_size, truncate_to_width,
};

/// The coordinate system of every x–y chart.
pub(crate) type Coord = Cartesian2d<Keyed, Keyed>;

/// A linear `f64` coordinate whose ticks (and grid lines) are exactly the given key points.
#[derive(Debug, Clone)]
pub(crate) struct Keyed {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Keyed {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        // As plotters' own f64 coordinate maps, so elements line up with the mesh.
        let fraction = (value - self.lo) / (self.hi - self.lo);
        let length = limit.1 - limit.0;
        if length == 0 {
            return limit.1;
        }
        limit.0 + (f64::from(length) * fraction + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// One axis: its range, where its ticks go and what they read, and its description.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    pub labels: Vec<String>,
    pub desc: String,
    /// The tick label font size, if it must differ from the theme's (dense category axes).
    pub tick_font: Option<f64>,
}

impl Axis {
    /// A numeric axis over `[lo, hi]` with at most about `max_ticks` round-numbered ticks.
    pub(crate) fn numeric(lo: f64, hi: f64, desc: &str, max_ticks: usize) -> Axis {
        let (ticks, decimals) = nice_ticks(lo, hi, max_ticks);
        let labels = ticks.iter().map(|&t| format_tick(t, decimals)).collect();
        Axis {
            lo,
            hi,
            ticks,
            labels,
            desc: desc.to_string(),
            tick_font: None,
        }
    }

    /// A category axis: category `i` spans `[i, i + 1]`, or `[n - 1 - i, n - i]` when
    /// `first_at_end` is set (on a y axis: the first category at the top).
    pub(crate) fn categories(labels: &[String], desc: &str, first_at_end: bool) -> Axis {
        let n = labels.len();
        let position = |i: usize| if first_at_end { n - 1 - i } else { i };
        let mut pairs: Vec<(f64, String)> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| (position(i) as f64 + 0.5, label.clone()))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        Axis {
            lo: 0.0,
            hi: n as f64,
            ticks: pairs.iter().map(|p| p.0).collect(),
            labels: pairs.into_iter().map(|p| p.1).collect(),
            desc: desc.to_string(),
            tick_font: None,
        }
    }

    /// The centre of category `index` on an axis made by [`Axis::categories`].
    pub(crate) fn category_centre(count: usize, index: usize, first_at_end: bool) -> f64 {
        if first_at_end {
            (count - 1 - index) as f64 + 0.5
        } else {
            index as f64 + 0.5
        }
    }

    fn label_at(&self, value: f64) -> String {
        self.ticks
            .iter()
            .position(|&t| (t - value).abs() <= 1e-9 * (self.hi - self.lo).abs().max(1e-300))
            .map(|i| self.labels[i].clone())
            .unwrap_or_default()
    }

    fn tick_font(&self, theme: &Theme) -> f64 {
        self.tick_font.unwrap_or(theme.tick)
    }

    fn coord(&self) -> Keyed {
        Keyed {
            lo: self.lo,
            hi: self.hi,
            ticks: self.ticks.clone(),
        }
    }
}

/// Round-numbered ticks (steps of 1, 2 or 5 times a power of ten) inside `[lo, hi]`: the finest
/// such step that gives at most `max_count + 1` ticks, and the number of decimals that shows them
/// exactly.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_count: usize) -> (Vec<f64>, usize) {
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return (vec![lo], 2);
    }
    let ticks_with = |step: f64| {
        let first = (lo / step - 1e-9).ceil() as i64;
        let last = (hi / step + 1e-9).floor() as i64;
        (first, last)
    };
    // Start a little below the step that gives exactly `max_count` intervals, and go up.
    let mut step = nice_step(span / max_count.max(1) as f64 / 2.5);
    // Each round at least doubles the step; the bound only matters for degenerate spans (e.g.
    // below the smallest positive f64), where it stops the search instead of looping.
    for _ in 0..64 {
        let (first, last) = ticks_with(step);
        if last - first < max_count as i64 + 1 {
            break;
        }
        step = nice_step(step * 1.01);
    }
    if !(step.is_finite() && step > 0.0) {
        return (vec![lo], 2);
    }
    let (first, last) = ticks_with(step);
    // Each tick is an integer times the step, so no rounding error accumulates; +0.0 turns -0 into 0.
    let ticks = (first..=last).map(|k| k as f64 * step + 0.0).collect();
    (ticks, decimals_for(step))
}

/// The smallest of 1, 2, 5 times a power of ten that is at least `raw`.
pub(crate) fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let normalised = raw / magnitude;
    let factor = if normalised <= 1.0 + 1e-9 {
        1.0
    } else if normalised <= 2.0 + 1e-9 {
        2.0
    } else if normalised <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    factor * magnitude
}

/// How many decimals show every multiple of `step` exactly.
fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil().max(0.0) as usize
    }
}

/// A tick value with `decimals` decimals, never showing a negative zero.
pub(crate) fn format_tick(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// `[lo, hi]` widened to whole multiples of the tick step, so the axis ends on a labelled tick.
pub(crate) fn nice_bounds(lo: f64, hi: f64, max_count: usize) -> (f64, f64) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, lo + 0.5)
    };
    let step = nice_step((hi - lo) / max_count.max(1) as f64);
    (
        (lo / step + 1e-9).floor() * step,
        (hi / step - 1e-9).ceil() * step,
    )
}

/// A probability-like range for data in `[min, max]`: from 0 (when nothing is negative) to a round
/// number above `max`, capped at 1 when nothing exceeds 1.
pub(crate) fn probability_bounds(min: f64, max: f64, max_count: usize) -> (f64, f64) {
    let lo = min.min(0.0);
    let top = if max > lo {
        max + 0.04 * (max - lo)
    } else {
        lo + 1.0
    };
    let (lo, hi) = nice_bounds(lo, top, max_count);
    let hi = if max <= 1.0 { hi.min(1.0) } else { hi };
    (lo, hi)
}

/// How many ticks fit along `pixels` when each wants about `spacing` pixels at the reference
/// size (the spacing grows with the tick labels' font).
pub(crate) fn tick_count(pixels: u32, spacing: f64, theme: &Theme) -> usize {
    let text_scale = theme.tick / 19.0;
    ((f64::from(pixels) / (spacing * text_scale)).floor() as usize).clamp(3, 10)
}

/// What the frame draws besides the axes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Frame {
    /// Vertical grid lines at the x ticks.
    pub x_grid: bool,
    /// Horizontal grid lines at the y ticks.
    pub y_grid: bool,
    /// Extra room to the right of the plot, in pixels (e.g. for a legend outside it).
    pub right: i32,
}

/// The pixel room an axis's tick labels and description need, across the axis.
fn label_band(labels_extent: i32, desc: &str, desc_size: f64, theme: &Theme) -> i32 {
    let desc_room = if desc.is_empty() {
        0
    } else {
        line_height(desc_size) + theme.gap
    };
    labels_extent + 2 * theme.tick_length + desc_room + theme.gap / 2
}

/// Builds the Cartesian frame of an x–y chart in `area`: label areas sized to the measured tick
/// labels and descriptions, the axes, ticks, labels and the requested grid lines.
pub(crate) fn cartesian<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: &Axis,
    y: &Axis,
    theme: &Theme,
    frame: Frame,
) -> Result<ChartContext<'a, DB, Coord>> {
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let x_font = x.tick_font(theme);
    let y_font = y.tick_font(theme);

    // Long category labels on the y axis are shortened so the plot keeps most of the width.
    let y_labels: Vec<String> = y
        .labels
        .iter()
        .map(|l| truncate_to_width(l, y_font, (width as f64 * 0.35) as i32))
        .collect();
    let y_label_width = max_text_width(y_labels.iter().map(String::as_str), y_font);
    let x_label_height = if x.labels.is_empty() {
        0
    } else {
        line_height(x_font)
    };

    let y_desc_size = fit_font(&y.desc, theme.axis, theme.min_font, height * 3 / 4);
    let left = label_band(y_label_width, &y.desc, y_desc_size, theme);
    let plot_width_guess = width - left - 2 * theme.gap - frame.right;
    let x_desc_size = fit_font(&x.desc, theme.axis, theme.min_font, plot_width_guess);
    let bottom = label_band(x_label_height, &x.desc, x_desc_size, theme);

    let last_x_label = x.labels.last().map(|l| text_size(l, x_font).0).unwrap_or(0);
    let right = (last_x_label / 2 + theme.gap / 2).max(theme.gap) + frame.right;
    let top = (line_height(y_font) / 2 + 2).max(theme.gap / 2);

    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(right)
        .x_label_area_size(bottom)
        .y_label_area_size(left)
        .build_cartesian_2d(x.coord(), y.coord())?;

    let x_format = |v: &f64| x.label_at(*v);
    let y_format = |v: &f64| {
        let label = y.label_at(*v);
        truncate_to_width(&label, y_font, (width as f64 * 0.35) as i32)
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .x_label_style(theme.font(x_font))
        .y_label_style(theme.font(y_font))
        .bold_line_style(GRID.stroke_width(theme.hairline))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(theme.hairline))
        .set_all_tick_mark_size(theme.tick_length);
    if !x.desc.is_empty() {
        mesh.x_desc(x.desc.clone());
    }
    if !y.desc.is_empty() {
        mesh.y_desc(y.desc.clone());
    }
    // One style serves both descriptions; use the smaller fitted size so neither overflows.
    mesh.axis_desc_style(theme.font(x_desc_size.min(y_desc_size)));
    if !frame.x_grid {
        mesh.disable_x_mesh();
    }
    if !frame.y_grid {
        mesh.disable_y_mesh();
    }
    mesh.draw()?;
    Ok(chart)
}

/// The plot rectangle of a chart in backend pixels: `(left, top, right, bottom)`.
pub(crate) fn plot_rect<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Coord>,
) -> (i32, i32, i32, i32) {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    (xs.start, ys.start, xs.end, ys.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_read_exactly() {
        let (ticks, decimals) = nice_ticks(0.0, 1.0, 5);
        assert_eq!(ticks, vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        let labels: Vec<String> = ticks.iter().map(|&t| format_tick(t, decimals)).collect();
        assert_eq!(labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    }

    #[test]
    fn ticks_of_large_ranges_have_no_decimals() {
        let (ticks, decimals) = nice_ticks(0.0, 365.0, 8);
        assert_eq!(decimals, 0);
        assert_eq!(ticks.first(), Some(&0.0));
        assert_eq!(ticks.last(), Some(&350.0));
    }

    #[test]
    fn degenerate_spans_give_one_tick() {
        assert_eq!(nice_ticks(1.0, 1.0, 5).0, vec![1.0]);
        assert_eq!(nice_ticks(0.0, f64::INFINITY, 5).0, vec![0.0]);
        assert!(!nice_ticks(0.0, 1e-320, 5).0.is_empty());
    }

    #[test]
    fn negative_zero_reads_as_zero() {
        assert_eq!(format_tick(-0.0, 2), "0.00");
        assert_eq!(format_tick(-0.001, 2), "0.00");
        assert_eq!(format_tick(-0.5, 1), "-0.5");
    }

    #[test]
    fn probability_bounds_stop_at_one() {
        assert_eq!(probability_bounds(0.1, 0.98, 5), (0.0, 1.0));
        let (lo, hi) = probability_bounds(0.0, 0.031, 5);
        assert_eq!(lo, 0.0);
        assert!((0.031..=0.05).contains(&hi), "{hi}");
    }

    #[test]
    fn category_axes_label_centres() {
        let labels = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let top_down = Axis::categories(&labels, "", true);
        assert_eq!(top_down.ticks, vec![0.5, 1.5, 2.5]);
        assert_eq!(top_down.labels, ["c", "b", "a"]);
        assert_eq!(Axis::category_centre(3, 0, true), 2.5);
    }
}
