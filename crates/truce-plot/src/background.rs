//! Background violations per day across one traced replication, as bars or a line, with the days
//! of recommitment (and the collapse, if any) marked by vertical lines.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Result;
use crate::axis::{Axis, Frame, cartesian, nice_bounds, plot_rect, tick_count};
use crate::legend::{Entry, Legend, Swatch};
use crate::marker::{self, Shape};
use crate::output::Chart;
use crate::theme::{COLLAPSE, Theme, draw_title, series_color};
use crate::validate::{finite, non_empty};

const CHART: &str = "background violations";

/// How the daily counts are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackgroundStyle {
    /// One bar per day.
    #[default]
    Bars,
    /// A line through the daily counts (with markers when there are few days).
    Line,
}

/// The daily counts of one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundData {
    pub title: String,
    /// Defaults to "days since ceasefire".
    pub x_label: String,
    /// Defaults to "background violations per day".
    pub y_label: String,
    /// `counts[d]` is the number of background violations on day `d` (from day `d` to `d + 1`).
    pub counts: Vec<u64>,
    /// Days on which the parties recommitted to the ceasefire, each marked by a dashed line.
    pub recommitments: Vec<f64>,
    /// The legend label of the recommitment lines; defaults to "recommitment".
    pub recommitment_label: String,
    /// The day the ceasefire collapsed, if it did, marked by a solid line.
    pub collapse: Option<f64>,
    pub style: BackgroundStyle,
}

impl BackgroundData {
    /// Bars of `counts`, with the default labels and no marked days.
    pub fn new(title: impl Into<String>, counts: Vec<u64>) -> BackgroundData {
        BackgroundData {
            title: title.into(),
            x_label: crate::survival::DAYS_LABEL.to_string(),
            y_label: "background violations per day".to_string(),
            counts,
            recommitments: Vec::new(),
            recommitment_label: "recommitment".to_string(),
            collapse: None,
            style: BackgroundStyle::Bars,
        }
    }
}

/// Up to this many days, the line gets a marker per day.
const LINE_MARKERS_UP_TO: usize = 60;

impl Chart for BackgroundData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "counts", self.counts.len())?;
        for (i, day) in self.recommitments.iter().enumerate() {
            finite(CHART, || format!("recommitments[{i}]"), *day)?;
        }
        if let Some(day) = self.collapse {
            finite(CHART, || "collapse".to_string(), day)?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let titled = draw_title(root, &self.title, None, theme)?;
        let color = series_color(0);
        let recommit = series_color(2);
        let collapse = self
            .collapse
            .filter(|d| (0.0..=self.counts.len() as f64).contains(d));

        // The legend sits in a row between the title and the plot: a daily series fills the
        // whole width, so there is no empty corner to put it in.
        let mut entries = vec![Entry::new(
            "violations per day",
            match self.style {
                BackgroundStyle::Bars => Swatch::Bar { color },
                BackgroundStyle::Line => Swatch::Line {
                    color,
                    dashed: false,
                },
            },
        )];
        if !self.recommitments.is_empty() {
            entries.push(Entry::new(
                &self.recommitment_label,
                Swatch::Line {
                    color: recommit,
                    dashed: true,
                },
            ));
        }
        if collapse.is_some() {
            entries.push(Entry::new(
                "collapse",
                Swatch::Line {
                    color: COLLAPSE,
                    dashed: false,
                },
            ));
        }
        let legend = Legend::new(entries, theme);
        let legend_width = titled.dim_in_pixel().0 as i32;
        let legend_height = legend.row_height_within(legend_width, theme);
        legend.draw_rows(root, titled.get_base_pixel(), legend_width, theme)?;
        let body = titled.margin(legend_height + theme.gap, 0, 0, 0);
        let (width, height) = body.dim_in_pixel();
        let days = self.counts.len() as f64;
        let max = self.counts.iter().copied().max().unwrap_or(0) as f64;
        let y_ticks = tick_count(height * 3 / 4, 60.0, theme).min(max.max(1.0) as usize + 1);
        let (_, y_hi) = nice_bounds(0.0, (max * 1.08).max(1.0), y_ticks);
        let x = Axis::numeric(
            0.0,
            days,
            &self.x_label,
            tick_count(width * 3 / 4, 100.0, theme),
        );
        let y = Axis::numeric(0.0, y_hi, &self.y_label, y_ticks);
        let chart = cartesian(
            &body,
            &x,
            &y,
            theme,
            Frame {
                x_grid: false,
                y_grid: true,
                right: 0,
            },
        )?;
        let plot = chart.plotting_area();
        let (left, top, right, bottom) = plot_rect(&chart);

        match self.style {
            BackgroundStyle::Bars => {
                let day_px = f64::from(right - left) / days;
                for (d, &count) in self.counts.iter().enumerate() {
                    if count == 0 {
                        continue;
                    }
                    let (d, count) = (d as f64, count as f64);
                    plot.draw(&Rectangle::new(
                        [(d, 0.0), (d + 1.0, count)],
                        color.filled(),
                    ))?;
                    if day_px >= 5.0 {
                        plot.draw(&Rectangle::new(
                            [(d, 0.0), (d + 1.0, count)],
                            WHITE.stroke_width(theme.hairline),
                        ))?;
                    }
                }
            }
            BackgroundStyle::Line => {
                let points: Vec<(f64, f64)> = self
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(d, &c)| (d as f64 + 0.5, c as f64))
                    .collect();
                let pixels: Vec<(i32, i32)> =
                    points.iter().map(|p| chart.backend_coord(p)).collect();
                plot.draw(&PathElement::new(points, color.stroke_width(theme.line)))?;
                if self.counts.len() <= LINE_MARKERS_UP_TO {
                    for &at in &pixels {
                        marker::draw(
                            root,
                            at,
                            Shape::Circle,
                            color,
                            (theme.marker * 2 / 3).max(2),
                            theme.hairline,
                        )?;
                    }
                }
            }
        }

        let dash = (7.0 * theme.scale) as i32;
        for &day in self
            .recommitments
            .iter()
            .filter(|d| (0.0..=days).contains(*d))
        {
            let (px, _) = chart.backend_coord(&(day, 0.0));
            marker::dashed_line(
                root,
                (px, top),
                (px, bottom),
                (dash, dash / 2 + 1),
                recommit.stroke_width(theme.line),
            )?;
        }
        if let Some(day) = collapse {
            let (px, _) = chart.backend_coord(&(day, 0.0));
            root.draw(&PathElement::new(
                vec![(px, top), (px, bottom)],
                COLLAPSE.stroke_width(theme.line),
            ))?;
        }

        Ok(())
    }
}
