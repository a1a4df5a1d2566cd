//! Forest plot: each scenario point's difference from the reference point, with its interval,
//! one row per point, around a vertical line at zero (no difference).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::axis::{Axis, Frame, cartesian, plot_rect, tick_count};
use crate::dot_whisker::row_font;
use crate::marker::{self, Shape};
use crate::output::Chart;
use crate::theme::{AXIS, Theme, draw_title, series_color};
use crate::validate::{self, non_empty};
use crate::{Estimate, Result};

const CHART: &str = "forest";

/// The rows of a forest plot.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestData {
    pub title: String,
    /// What the differences measure, with the unit, e.g. "difference in P(collapse)".
    pub x_label: String,
    /// What the rows are, e.g. "scenario point".
    pub y_label: String,
    /// The reference point's name, shown under the title ("differences from …").
    pub reference: Option<String>,
    /// Drawn top to bottom in this order.
    pub rows: Vec<ForestRow>,
}

/// One row: a label and its difference from the reference, with an interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    pub label: String,
    pub estimate: Estimate,
}

impl Chart for ForestData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "rows", self.rows.len())?;
        for (i, row) in self.rows.iter().enumerate() {
            validate::estimate(
                CHART,
                &format!("rows[{i}] (\"{}\")", row.label),
                &row.estimate,
            )?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let subtitle = self
            .reference
            .as_ref()
            .map(|r| format!("differences from the reference: {r}"));
        let body = draw_title(root, &self.title, subtitle.as_deref(), theme)?;
        let (width, height) = body.dim_in_pixel();

        // Zero is always in view, with a margin on both sides.
        let min = self
            .rows
            .iter()
            .map(|r| r.estimate.lower)
            .fold(0.0, f64::min);
        let max = self
            .rows
            .iter()
            .map(|r| r.estimate.upper)
            .fold(0.0, f64::max);
        let span = if max > min { max - min } else { 1.0 };
        let (lo, hi) = (min - 0.06 * span, max + 0.06 * span);
        let x = Axis::numeric(
            lo,
            hi,
            &self.x_label,
            tick_count(width * 3 / 4, 100.0, theme),
        );
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        let mut y = Axis::categories(&labels, &self.y_label, true);
        y.tick_font = Some(row_font(height, self.rows.len(), theme));
        let chart = cartesian(
            &body,
            &x,
            &y,
            theme,
            Frame {
                x_grid: true,
                y_grid: false,
                right: 0,
            },
        )?;

        let (_, top, _, bottom) = plot_rect(&chart);
        let (zero, _) = chart.backend_coord(&(0.0, 0.0));
        let dash = (6.0 * theme.scale) as i32;
        marker::dashed_line(
            root,
            (zero, top),
            (zero, bottom),
            (dash, dash / 2 + 1),
            AXIS.stroke_width(theme.thin.max(1)),
        )?;

        let row_px = (bottom - top) / self.rows.len() as i32;
        let cap = ((f64::from(row_px) * 0.15) as i32).clamp(2, theme.marker);
        let radius = ((f64::from(row_px) * 0.22) as i32).clamp(3, theme.marker);
        let color = series_color(0);
        for (i, row) in self.rows.iter().enumerate() {
            let centre = Axis::category_centre(self.rows.len(), i, true);
            let (x0, py) = chart.backend_coord(&(row.estimate.lower, centre));
            let (x1, _) = chart.backend_coord(&(row.estimate.upper, centre));
            let (px, _) = chart.backend_coord(&(row.estimate.value, centre));
            marker::whisker(root, (x0, x1), py, cap, color.stroke_width(theme.whisker))?;
            marker::draw(root, (px, py), Shape::Square, color, radius, theme.hairline)?;
        }
        Ok(())
    }
}
