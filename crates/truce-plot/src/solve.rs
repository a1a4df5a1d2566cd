//! Charts of `truce solve`: the estimated probability against the solved parameter, with its
//! intervals, the target and each root with its interval band ([`CurveData`]); and the frontier,
//! the root at each combination of the other parameters with its interval ([`FrontierData`]).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Result;
use crate::axis::{Axis, Frame, cartesian, nice_bounds, plot_rect, probability_bounds, tick_count};
use crate::legend::{Entry, Legend, Swatch};
use crate::marker::{self, Shape};
use crate::output::Chart;
use crate::theme::{AXIS, Theme, draw_title, series_color};
use crate::validate::{finite, invalid, non_empty};

const CURVE: &str = "solve curve";
const FRONTIER: &str = "frontier";

/// One estimate at a value of the parameter: the probability and its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub x: f64,
    pub p: f64,
    pub lower: f64,
    pub upper: f64,
}

/// A root and its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Root {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// One estimated curve (one combination of the other parameters).
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSeries {
    pub name: String,
    /// The values tried, in any order.
    pub points: Vec<CurvePoint>,
    pub root: Option<Root>,
}

/// Estimated curves against the solved parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveData {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// The range searched.
    pub x_range: (f64, f64),
    /// The target probability, drawn as a dashed line.
    pub target: f64,
    pub series: Vec<CurveSeries>,
}

/// The root at one combination of the other parameters; `None` when there is no root in the
/// range, with `note` saying why.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    pub label: String,
    pub root: Option<Root>,
    pub note: String,
}

/// The root against the other parameters' combinations.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierData {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// The range searched, the y axis.
    pub y_range: (f64, f64),
    pub points: Vec<FrontierPoint>,
}

fn check_root(chart: &'static str, at: &str, root: &Root) -> Result<()> {
    for (name, v) in [
        ("value", root.value),
        ("lower", root.lower),
        ("upper", root.upper),
    ] {
        finite(chart, || format!("{at}.root.{name}"), v)?;
    }
    if !(root.lower <= root.value && root.value <= root.upper) {
        return Err(invalid(
            chart,
            format!("{at}.root"),
            "the value must lie inside its interval",
        ));
    }
    Ok(())
}

impl Chart for CurveData {
    fn check(&self) -> Result<()> {
        non_empty(CURVE, "series", self.series.len())?;
        let (lo, hi) = self.x_range;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(invalid(CURVE, "x_range", "must be finite with min < max"));
        }
        for (i, s) in self.series.iter().enumerate() {
            for (j, p) in s.points.iter().enumerate() {
                for v in [p.x, p.p, p.lower, p.upper] {
                    finite(CURVE, || format!("series[{i}].points[{j}]"), v)?;
                }
            }
            if let Some(root) = &s.root {
                check_root(CURVE, &format!("series[{i}]"), root)?;
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let titled = draw_title(root, &self.title, None, theme)?;
        let mut entries: Vec<Entry> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Entry::new(
                    &s.name,
                    Swatch::MarkerWithWhisker {
                        shape: Shape::Circle,
                        color: series_color(i),
                    },
                )
            })
            .collect();
        entries.push(Entry::new(
            format!("target {}", self.target),
            Swatch::Line {
                color: AXIS,
                dashed: true,
            },
        ));
        let legend = Legend::new(entries, theme);
        let legend_width = titled.dim_in_pixel().0 as i32;
        let legend_height = legend.row_height_within(legend_width, theme);
        legend.draw_rows(root, titled.get_base_pixel(), legend_width, theme)?;
        let body = titled.margin(legend_height + theme.gap, 0, 0, 0);
        let (width, height) = body.dim_in_pixel();
        let top = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.upper))
            .fold(self.target, f64::max);
        let y_ticks = tick_count(height * 3 / 4, 60.0, theme);
        let (y_lo, y_hi) = probability_bounds(0.0, (top * 1.1).min(1.0), y_ticks);
        let x = Axis::numeric(
            self.x_range.0,
            self.x_range.1,
            &self.x_label,
            tick_count(width * 3 / 4, 100.0, theme),
        );
        let y = Axis::numeric(y_lo, y_hi, &self.y_label, y_ticks);
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
        let plot = chart.plotting_area();
        let (left, top_px, right, bottom) = plot_rect(&chart);
        // Root bands first, under everything.
        for (i, s) in self.series.iter().enumerate() {
            if let Some(r) = &s.root {
                let color = series_color(i);
                plot.draw(&Rectangle::new(
                    [(r.lower, y_lo), (r.upper, y_hi)],
                    color.mix(0.15).filled(),
                ))?;
                let (px, _) = chart.backend_coord(&(r.value, 0.0));
                root.draw(&PathElement::new(
                    vec![(px, top_px), (px, bottom)],
                    color.stroke_width(theme.line),
                ))?;
            }
        }
        let (_, target_px) = chart.backend_coord(&(self.x_range.0, self.target));
        let dash = (7.0 * theme.scale) as i32;
        marker::dashed_line(
            root,
            (left, target_px),
            (right, target_px),
            (dash, dash / 2 + 1),
            AXIS.stroke_width(theme.line),
        )?;
        for (i, s) in self.series.iter().enumerate() {
            let color = series_color(i);
            let mut points = s.points.clone();
            points.sort_by(|a, b| a.x.total_cmp(&b.x));
            let line: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.p)).collect();
            plot.draw(&PathElement::new(line, color.stroke_width(theme.hairline)))?;
            let cap = (theme.marker / 2).max(2);
            for p in &points {
                let (px, lo) = chart.backend_coord(&(p.x, p.lower));
                let (_, hi) = chart.backend_coord(&(p.x, p.upper));
                root.draw(&PathElement::new(
                    vec![(px, lo), (px, hi)],
                    color.stroke_width(theme.hairline),
                ))?;
                for y in [lo, hi] {
                    root.draw(&PathElement::new(
                        vec![(px - cap, y), (px + cap, y)],
                        color.stroke_width(theme.hairline),
                    ))?;
                }
                let at = chart.backend_coord(&(p.x, p.p));
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
        Ok(())
    }
}

impl Chart for FrontierData {
    fn check(&self) -> Result<()> {
        non_empty(FRONTIER, "points", self.points.len())?;
        let (lo, hi) = self.y_range;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(invalid(
                FRONTIER,
                "y_range",
                "must be finite with min < max",
            ));
        }
        for (i, p) in self.points.iter().enumerate() {
            if let Some(root) = &p.root {
                check_root(FRONTIER, &format!("points[{i}]"), root)?;
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let titled = draw_title(root, &self.title, None, theme)?;
        let (_, height) = titled.dim_in_pixel();
        let labels: Vec<String> = self.points.iter().map(|p| p.label.clone()).collect();
        let x = Axis::categories(&labels, &self.x_label, false);
        let y_ticks = tick_count(height * 3 / 4, 60.0, theme);
        let (y_lo, y_hi) = nice_bounds(self.y_range.0, self.y_range.1, y_ticks);
        let y = Axis::numeric(y_lo, y_hi, &self.y_label, y_ticks);
        let chart = cartesian(
            &titled,
            &x,
            &y,
            theme,
            Frame {
                x_grid: false,
                y_grid: true,
                right: 0,
            },
        )?;
        let color = series_color(0);
        let cap = (theme.marker / 2).max(3);
        for (i, p) in self.points.iter().enumerate() {
            let centre = Axis::category_centre(self.points.len(), i, false);
            match &p.root {
                Some(r) => {
                    let (px, lo) = chart.backend_coord(&(centre, r.lower));
                    let (_, hi) = chart.backend_coord(&(centre, r.upper));
                    root.draw(&PathElement::new(
                        vec![(px, lo), (px, hi)],
                        color.stroke_width(theme.line),
                    ))?;
                    for y in [lo, hi] {
                        root.draw(&PathElement::new(
                            vec![(px - cap, y), (px + cap, y)],
                            color.stroke_width(theme.line),
                        ))?;
                    }
                    let at = chart.backend_coord(&(centre, r.value));
                    marker::draw(root, at, Shape::Circle, color, theme.marker, theme.hairline)?;
                }
                None => {
                    let (px, py) = chart.backend_coord(&(centre, (y_lo + y_hi) / 2.0));
                    root.draw_text(
                        &p.note,
                        &theme.font(theme.tick).color(&AXIS).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        ),
                        (px, py),
                    )?;
                }
            }
        }
        let _ = plot_rect(&chart);
        Ok(())
    }
}
