//! Sensitivity charts: Sobol first-order (S1) and total (ST) indices as grouped bars with interval
//! whiskers, one row per parameter; or a Morris screening plot, μ* against σ, each point labelled
//! with its parameter.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axis::{Axis, Frame, cartesian, nice_bounds, plot_rect, probability_bounds, tick_count};
use crate::dot_whisker::row_font;
use crate::legend::{Corner, Entry, Legend, Swatch};
use crate::marker::{self, Shape};
use crate::output::Chart;
use crate::theme::{AXIS, TEXT, Theme, draw_title, line_height, series_color, text_size};
use crate::validate::{self, finite, invalid, non_empty};
use crate::{Estimate, Result};

/// Either sensitivity chart.
#[derive(Debug, Clone, PartialEq)]
pub enum SensitivityData {
    Sobol(SobolData),
    Morris(MorrisData),
}

/// Sobol indices, one row per parameter, drawn top to bottom in this order.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolData {
    pub title: String,
    /// Defaults to "Sobol index (share of output variance)".
    pub x_label: String,
    /// Defaults to "parameter".
    pub y_label: String,
    pub parameters: Vec<SobolIndices>,
}

impl SobolData {
    pub fn new(title: impl Into<String>, parameters: Vec<SobolIndices>) -> SobolData {
        SobolData {
            title: title.into(),
            x_label: "Sobol index (share of output variance)".to_string(),
            y_label: "parameter".to_string(),
            parameters,
        }
    }
}

/// One parameter's first-order and total Sobol indices, with their intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    pub parameter: String,
    pub first_order: Estimate,
    pub total: Estimate,
}

/// Morris elementary-effects statistics, one point per parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisData {
    pub title: String,
    /// Defaults to "μ* (mean absolute elementary effect)"; add the output's unit if it has one.
    pub x_label: String,
    /// Defaults to "σ (standard deviation of elementary effects)".
    pub y_label: String,
    pub parameters: Vec<MorrisPoint>,
}

impl MorrisData {
    pub fn new(title: impl Into<String>, parameters: Vec<MorrisPoint>) -> MorrisData {
        MorrisData {
            title: title.into(),
            x_label: "μ* (mean absolute elementary effect)".to_string(),
            y_label: "σ (standard deviation of elementary effects)".to_string(),
            parameters,
        }
    }
}

/// One parameter's μ* and σ.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisPoint {
    pub parameter: String,
    pub mu_star: f64,
    pub sigma: f64,
}

impl Chart for SensitivityData {
    fn check(&self) -> Result<()> {
        match self {
            SensitivityData::Sobol(data) => check_sobol(data),
            SensitivityData::Morris(data) => check_morris(data),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        match self {
            SensitivityData::Sobol(data) => draw_sobol(data, root, theme),
            SensitivityData::Morris(data) => draw_morris(data, root, theme),
        }
    }
}

const SOBOL: &str = "Sobol indices";
const MORRIS: &str = "Morris screening";

fn check_sobol(data: &SobolData) -> Result<()> {
    non_empty(SOBOL, "parameters", data.parameters.len())?;
    for (i, p) in data.parameters.iter().enumerate() {
        validate::estimate(
            SOBOL,
            &format!("parameters[{i}] (\"{}\").first_order", p.parameter),
            &p.first_order,
        )?;
        validate::estimate(
            SOBOL,
            &format!("parameters[{i}] (\"{}\").total", p.parameter),
            &p.total,
        )?;
    }
    Ok(())
}

fn check_morris(data: &MorrisData) -> Result<()> {
    non_empty(MORRIS, "parameters", data.parameters.len())?;
    for (i, p) in data.parameters.iter().enumerate() {
        let name = &p.parameter;
        finite(
            MORRIS,
            || format!("parameters[{i}] (\"{name}\").mu_star"),
            p.mu_star,
        )?;
        finite(
            MORRIS,
            || format!("parameters[{i}] (\"{name}\").sigma"),
            p.sigma,
        )?;
        if p.mu_star < 0.0 || p.sigma < 0.0 {
            return Err(invalid(
                MORRIS,
                format!("parameters[{i}] (\"{name}\")"),
                format!(
                    "μ* and σ cannot be negative (got μ* = {}, σ = {})",
                    p.mu_star, p.sigma
                ),
            ));
        }
    }
    Ok(())
}

/// The half-height of a bar, and the offset of each bar from its row's centre, in rows.
const BAR_HALF: f64 = 0.17;
const BAR_OFFSET: f64 = 0.19;

fn draw_sobol<DB: DrawingBackend>(
    data: &SobolData,
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> Result<()> {
    let body = draw_title(root, &data.title, None, theme)?;
    let (width, height) = body.dim_in_pixel();
    let rows = &data.parameters;
    let min = rows
        .iter()
        .flat_map(|p| [p.first_order.lower, p.total.lower])
        .fold(0.0, f64::min);
    let max = rows
        .iter()
        .flat_map(|p| [p.first_order.upper, p.total.upper])
        .fold(0.0, f64::max);
    let ticks = tick_count(width * 3 / 4, 100.0, theme);
    let (lo, hi) = probability_bounds(min, max, ticks);
    let x = Axis::numeric(lo, hi, &data.x_label, ticks);
    let labels: Vec<String> = rows.iter().map(|p| p.parameter.clone()).collect();
    let mut y = Axis::categories(&labels, &data.y_label, true);
    y.tick_font = Some(row_font(height, rows.len(), theme));
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
    let plot = chart.plotting_area();

    let (_, top, _, bottom) = plot_rect(&chart);
    let row_px = (bottom - top) / rows.len() as i32;
    let cap = ((f64::from(row_px) * 0.08) as i32).clamp(2, theme.marker);
    let bars = [
        (series_color(0), BAR_OFFSET),
        (series_color(1), -BAR_OFFSET),
    ];
    for (i, p) in rows.iter().enumerate() {
        let centre = Axis::category_centre(rows.len(), i, true);
        for (estimate, (color, offset)) in [p.first_order, p.total].iter().zip(bars) {
            let y = centre + offset;
            let value = estimate.value.clamp(lo, hi);
            plot.draw(&Rectangle::new(
                [(0.0, y - BAR_HALF), (value, y + BAR_HALF)],
                color.filled(),
            ))?;
            let (x0, py) = chart.backend_coord(&(estimate.lower.clamp(lo, hi), y));
            let (x1, _) = chart.backend_coord(&(estimate.upper.clamp(lo, hi), y));
            marker::whisker(root, (x0, x1), py, cap, TEXT.stroke_width(theme.whisker))?;
        }
    }
    if lo < 0.0 {
        let (zero, _) = chart.backend_coord(&(0.0, 0.0));
        root.draw(&PathElement::new(
            vec![(zero, top), (zero, bottom)],
            AXIS.stroke_width(theme.hairline),
        ))?;
    }

    let legend = Legend::new(
        vec![
            Entry::new("first order (S1)", Swatch::Bar { color: bars[0].0 }),
            Entry::new("total (ST)", Swatch::Bar { color: bars[1].0 }),
        ],
        theme,
    );
    // The bars start at the left, so the right side is usually free.
    let bar_ends: Vec<(i32, i32)> = rows
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let centre = Axis::category_centre(rows.len(), i, true);
            [
                (p.first_order.upper, centre + BAR_OFFSET),
                (p.total.upper, centre - BAR_OFFSET),
            ]
        })
        .flat_map(|(upper, y)| {
            let (x1, py) = chart.backend_coord(&(upper.clamp(lo, hi), y));
            let (x0, _) = chart.backend_coord(&(lo, y));
            (0..=20).map(move |k| (x0 + (x1 - x0) * k / 20, py))
        })
        .collect();
    let preference = [
        Corner::BottomRight,
        Corner::TopRight,
        Corner::BottomLeft,
        Corner::TopLeft,
    ];
    let at = legend.place(plot_rect(&chart), &bar_ends, &preference, theme);
    legend.draw(root, at, theme)
}

fn draw_morris<DB: DrawingBackend>(
    data: &MorrisData,
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> Result<()> {
    let body = draw_title(root, &data.title, None, theme)?;
    let (width, height) = body.dim_in_pixel();
    let points = &data.parameters;
    let max_mu = points.iter().map(|p| p.mu_star).fold(0.0, f64::max);
    let max_sigma = points.iter().map(|p| p.sigma).fold(0.0, f64::max);
    let x_ticks = tick_count(width * 3 / 4, 100.0, theme);
    let y_ticks = tick_count(height * 3 / 4, 60.0, theme);
    // Room above the largest values for their labels.
    let (_, x_hi) = nice_bounds(0.0, if max_mu > 0.0 { max_mu * 1.08 } else { 1.0 }, x_ticks);
    let (_, y_hi) = nice_bounds(
        0.0,
        if max_sigma > 0.0 {
            max_sigma * 1.1
        } else {
            1.0
        },
        y_ticks,
    );
    let x = Axis::numeric(0.0, x_hi, &data.x_label, x_ticks);
    let y = Axis::numeric(0.0, y_hi, &data.y_label, y_ticks);
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

    let color = series_color(0);
    let pixels: Vec<(i32, i32)> = points
        .iter()
        .map(|p| chart.backend_coord(&(p.mu_star, p.sigma)))
        .collect();
    for &at in &pixels {
        marker::draw(root, at, Shape::Circle, color, theme.marker, theme.hairline)?;
    }
    let labels: Vec<&str> = points.iter().map(|p| p.parameter.as_str()).collect();
    let placed = place_labels(&pixels, &labels, plot_rect(&chart), theme);
    for (label, (x, y)) in labels.iter().zip(placed) {
        root.draw_text(
            label,
            &theme.font(theme.note).pos(Pos::new(HPos::Left, VPos::Top)),
            (x, y),
        )?;
    }
    Ok(())
}

/// Top-left corners for point labels: beside each point, on the first side where the label
/// overlaps no other label or point and stays in the plot, or the side that overlaps least.
fn place_labels(
    points: &[(i32, i32)],
    labels: &[&str],
    plot: (i32, i32, i32, i32),
    theme: &Theme,
) -> Vec<(i32, i32)> {
    let (left, top, right, bottom) = plot;
    let gap = theme.marker + theme.gap / 2;
    let mut taken: Vec<(i32, i32, i32, i32)> = points
        .iter()
        .map(|&(x, y)| {
            (
                x - theme.marker,
                y - theme.marker,
                x + theme.marker,
                y + theme.marker,
            )
        })
        .collect();
    let mut placed = Vec::with_capacity(points.len());
    for (&(x, y), label) in points.iter().zip(labels) {
        let (w, _) = text_size(label, theme.note);
        let h = line_height(theme.note);
        let candidates = [
            (x + gap, y - h / 2),
            (x - gap - w, y - h / 2),
            (x - w / 2, y - gap - h),
            (x - w / 2, y + gap),
            (x + gap, y - gap - h),
            (x + gap, y + gap),
            (x - gap - w, y - gap - h),
            (x - gap - w, y + gap),
        ];
        let cost = |&(cx, cy): &(i32, i32)| {
            let rect = (cx, cy, cx + w, cy + h);
            let outside = (left - rect.0).max(0)
                + (rect.2 - right).max(0)
                + (top - rect.1).max(0)
                + (rect.3 - bottom).max(0);
            let overlap: i32 = taken.iter().map(|t| overlap_area(rect, *t)).sum();
            i64::from(overlap) + i64::from(outside) * i64::from(h) * 4
        };
        let best = candidates
            .iter()
            .enumerate()
            .min_by_key(|(k, c)| (cost(c), *k))
            .map(|(_, c)| *c)
            .unwrap_or((x + gap, y));
        taken.push((best.0, best.1, best.0 + w, best.1 + h));
        placed.push(best);
    }
    placed
}

fn overlap_area(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> i32 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
    w * h
}
