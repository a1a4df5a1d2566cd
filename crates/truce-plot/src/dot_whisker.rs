//! Dot-and-whisker chart: for every scenario point, P(serious violation) and P(collapse) with their
//! intervals, one row per point, sorted by a chosen measure.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::axis::{Axis, Frame, cartesian, plot_rect, probability_bounds, tick_count};
use crate::legend::{Corner, Entry, Legend, Swatch, sample_polyline};
use crate::marker::{self, Shape};
use crate::output::Chart;
use crate::theme::{Theme, draw_title, line_height, series_color};
use crate::validate::{self, non_empty, range};
use crate::{Estimate, Result};

const CHART: &str = "dot-and-whisker";

/// How the rows are ordered, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// As given.
    #[default]
    Input,
    /// By label, alphabetically.
    Label,
    /// By P(serious violation), highest first (ties keep their input order).
    Violation,
    /// By P(collapse), highest first (ties keep their input order).
    Collapse,
}

/// The rows of a dot-and-whisker chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DotWhiskerData {
    pub title: String,
    /// Defaults to "probability".
    pub x_label: String,
    /// Defaults to "scenario point".
    pub y_label: String,
    /// The legend label of the first measure; defaults to "P(serious violation)".
    pub violation_label: String,
    /// The legend label of the second measure; defaults to "P(collapse)".
    pub collapse_label: String,
    pub points: Vec<DotWhiskerPoint>,
    pub sort_by: SortBy,
    /// The x axis range; `None` runs from 0 to a round number above the largest upper end
    /// (at most 1 for probabilities).
    pub x_range: Option<(f64, f64)>,
}

impl DotWhiskerData {
    /// Rows with the default labels and an automatic x range.
    pub fn new(
        title: impl Into<String>,
        points: Vec<DotWhiskerPoint>,
        sort_by: SortBy,
    ) -> DotWhiskerData {
        DotWhiskerData {
            title: title.into(),
            x_label: "probability".to_string(),
            y_label: "scenario point".to_string(),
            violation_label: "P(serious violation)".to_string(),
            collapse_label: "P(collapse)".to_string(),
            points,
            sort_by,
            x_range: None,
        }
    }
}

/// One row: a scenario point and its two estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct DotWhiskerPoint {
    /// The row label, e.g. "air_cover=8, troops=2".
    pub label: String,
    pub violation: Estimate,
    pub collapse: Estimate,
}

impl DotWhiskerData {
    /// The points in row order, top first.
    fn sorted(&self) -> Vec<&DotWhiskerPoint> {
        let mut points: Vec<&DotWhiskerPoint> = self.points.iter().collect();
        match self.sort_by {
            SortBy::Input => {}
            SortBy::Label => points.sort_by(|a, b| a.label.cmp(&b.label)),
            SortBy::Violation => {
                points.sort_by(|a, b| b.violation.value.total_cmp(&a.violation.value))
            }
            SortBy::Collapse => {
                points.sort_by(|a, b| b.collapse.value.total_cmp(&a.collapse.value))
            }
        }
        points
    }
}

/// The vertical offset of each measure from its row's centre, in rows.
const OFFSET: f64 = 0.17;

impl Chart for DotWhiskerData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "points", self.points.len())?;
        for (i, point) in self.points.iter().enumerate() {
            validate::estimate(
                CHART,
                &format!("points[{i}] (\"{}\").violation", point.label),
                &point.violation,
            )?;
            validate::estimate(
                CHART,
                &format!("points[{i}] (\"{}\").collapse", point.label),
                &point.collapse,
            )?;
        }
        range(CHART, "x_range", self.x_range)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let body = draw_title(root, &self.title, None, theme)?;
        let (width, height) = body.dim_in_pixel();
        let rows = self.sorted();
        let labels: Vec<String> = rows.iter().map(|p| p.label.clone()).collect();

        let lows = rows
            .iter()
            .flat_map(|p| [p.violation.lower, p.collapse.lower]);
        let highs = rows
            .iter()
            .flat_map(|p| [p.violation.upper, p.collapse.upper]);
        let min = lows.fold(f64::INFINITY, f64::min);
        let max = highs.fold(f64::NEG_INFINITY, f64::max);
        let ticks = tick_count(width * 3 / 4, 100.0, theme);
        let (lo, hi) = self
            .x_range
            .unwrap_or_else(|| probability_bounds(min, max, ticks));
        let x = Axis::numeric(lo, hi, &self.x_label, ticks);
        let mut y = Axis::categories(&labels, &self.y_label, true);
        y.tick_font = Some(row_font(height, rows.len(), theme));
        let chart = cartesian(
            &body,
            &x,
            &y,
            theme,
            Frame {
                x_grid: true,
                y_grid: true,
                right: 0,
            },
        )?;

        let (_, top, _, bottom) = plot_rect(&chart);
        let row_px = (bottom - top) / rows.len() as i32;
        let cap = ((f64::from(row_px) * 0.09) as i32).clamp(2, theme.marker);
        let radius = ((f64::from(row_px) * 0.16) as i32).clamp(3, theme.marker);
        let measures = [
            (Shape::Circle, series_color(0), OFFSET),
            (Shape::Diamond, series_color(1), -OFFSET),
        ];
        let mut obstacles = Vec::new();
        for (i, point) in rows.iter().enumerate() {
            let centre = (rows.len() - 1 - i) as f64 + 0.5;
            for (estimate, (shape, color, offset)) in
                [point.violation, point.collapse].iter().zip(measures)
            {
                let y = centre + offset;
                let (x0, py) = chart.backend_coord(&(estimate.lower.clamp(lo, hi), y));
                let (x1, _) = chart.backend_coord(&(estimate.upper.clamp(lo, hi), y));
                let (px, _) = chart.backend_coord(&(estimate.value.clamp(lo, hi), y));
                marker::whisker(root, (x0, x1), py, cap, color.stroke_width(theme.whisker))?;
                marker::draw(root, (px, py), shape, color, radius, theme.hairline)?;
                sample_polyline(&[(x0, py), (x1, py)], &mut obstacles);
            }
        }

        let legend = Legend::new(
            vec![
                Entry::new(
                    &self.violation_label,
                    Swatch::MarkerWithWhisker {
                        shape: measures[0].0,
                        color: measures[0].1,
                    },
                ),
                Entry::new(
                    &self.collapse_label,
                    Swatch::MarkerWithWhisker {
                        shape: measures[1].0,
                        color: measures[1].1,
                    },
                ),
            ],
            theme,
        );
        let preference = [
            Corner::BottomRight,
            Corner::TopRight,
            Corner::BottomLeft,
            Corner::TopLeft,
        ];
        let at = legend.place(plot_rect(&chart), &obstacles, &preference, theme);
        legend.draw(root, at, theme)
    }
}

/// The tick font of a category axis with `rows` rows: the theme's, or smaller so rows do not
/// run into each other.
pub(crate) fn row_font(height: u32, rows: usize, theme: &Theme) -> f64 {
    let row_px = f64::from(height) * 0.8 / rows as f64;
    let mut size = theme.tick;
    while size > theme.min_font && f64::from(line_height(size)) > row_px * 0.85 {
        size -= 0.5;
    }
    size
}
