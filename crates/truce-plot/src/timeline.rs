//! Timeline of one traced replication: its events on a time axis in days, one row per actor, a
//! marker per class of event (markers close in time spread over lanes of their row, so none
//! hides another), credibility shocks marked by dashed lines, and the collapse by a vertical line
//! and a label naming its cause.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axis::{Axis, Frame, cartesian, plot_rect, tick_count};
use crate::dot_whisker::row_font;
use crate::legend::{Entry, Legend, Swatch};
use crate::marker::{self, SHAPES, Shape};
use crate::output::Chart;
use crate::theme::{COLLAPSE, PALETTE, Theme, draw_title, line_height, text_size};

/// The colour of the credibility shocks' lines.
const SHOCK: RGBColor = RGBColor(0x6a, 0x3d, 0x9a);
use crate::Result;
use crate::validate::{finite, invalid, non_empty};

const CHART: &str = "timeline";

/// The actors of the model, in their default row order, top to bottom.
pub const ACTORS: [&str; 8] = [
    "aggressor",
    "defender",
    "reassurance",
    "air_cover",
    "monitors",
    "coalition",
    "negotiators",
    "world",
];

/// The events of one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineData {
    pub title: String,
    /// Defaults to "days since ceasefire".
    pub x_label: String,
    /// Defaults to "actor".
    pub y_label: String,
    /// The rows, top to bottom; defaults to [`ACTORS`]. Every event's actor must be one of them.
    pub actors: Vec<String>,
    pub events: Vec<TimelineEvent>,
    /// The classes of events in legend order, which also fixes each class's marker; classes
    /// missing here are appended in order of first appearance. Empty by default.
    pub classes: Vec<String>,
    /// The day the ceasefire collapsed, if it did.
    pub collapse: Option<f64>,
    /// Days of credibility shocks, each marked by a dashed line across the rows.
    pub shocks: Vec<f64>,
    /// The label of the collapse line; the day is appended. Defaults to "collapse".
    pub collapse_label: String,
    /// The last day shown; `None` ends a little after the last event or the collapse.
    pub horizon: Option<f64>,
}

impl TimelineData {
    /// A timeline with the default labels and actor rows, and no collapse.
    pub fn new(title: impl Into<String>, events: Vec<TimelineEvent>) -> TimelineData {
        TimelineData {
            title: title.into(),
            x_label: crate::survival::DAYS_LABEL.to_string(),
            y_label: "actor".to_string(),
            actors: ACTORS.iter().map(|a| a.to_string()).collect(),
            events,
            classes: Vec::new(),
            collapse: None,
            shocks: Vec::new(),
            collapse_label: "collapse".to_string(),
            horizon: None,
        }
    }
}

/// One event: when, whose row, and its class (which picks its marker).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// Days since the ceasefire took effect (fractional).
    pub day: f64,
    /// One of the timeline's actors.
    pub actor: String,
    /// E.g. "land grab", "detection", "response".
    pub class: String,
}

/// The marker of the `index`-th class: shapes and colours cycle at different periods, so the
/// first 42 classes all look different. Yellow, faint on white, is left out.
fn class_marker(index: usize) -> (Shape, RGBColor) {
    (
        SHAPES[index % SHAPES.len()],
        PALETTE[index % (PALETTE.len() - 1)],
    )
}

impl TimelineData {
    fn classes(&self) -> Vec<&str> {
        let mut classes: Vec<&str> = self.classes.iter().map(String::as_str).collect();
        for event in &self.events {
            if !classes.contains(&event.class.as_str()) {
                classes.push(&event.class);
            }
        }
        classes
    }

    fn span(&self) -> (f64, f64) {
        let days = self.events.iter().map(|e| e.day).chain(self.collapse);
        let (first, last) = days.fold((0.0, f64::NEG_INFINITY), |(lo, hi): (f64, f64), d| {
            (lo.min(d), hi.max(d))
        });
        let start = first.min(0.0);
        match self.horizon {
            Some(horizon) if horizon > start => (start, horizon),
            _ => {
                let last = if last > start { last } else { start + 1.0 };
                (start, last + 0.03 * (last - start))
            }
        }
    }
}

impl Chart for TimelineData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "actors", self.actors.len())?;
        for (i, event) in self.events.iter().enumerate() {
            finite(CHART, || format!("events[{i}].day"), event.day)?;
            if !self.actors.contains(&event.actor) {
                return Err(invalid(
                    CHART,
                    format!("events[{i}].actor"),
                    format!(
                        "\"{}\" is not one of the rows ({})",
                        event.actor,
                        self.actors.join(", ")
                    ),
                ));
            }
        }
        if let Some(day) = self.collapse {
            finite(CHART, || "collapse".to_string(), day)?;
        }
        if let Some(day) = self.horizon {
            finite(CHART, || "horizon".to_string(), day)?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let body = draw_title(root, &self.title, None, theme)?;
        let (width, height) = body.dim_in_pixel();
        let classes = self.classes();

        // The legend stands beside the plot, so it never hides an event.
        let mut entries: Vec<Entry> = classes
            .iter()
            .enumerate()
            .map(|(k, class)| {
                let (shape, color) = class_marker(k);
                Entry::new(*class, Swatch::Marker { shape, color })
            })
            .collect();
        if !self.shocks.is_empty() {
            entries.push(Entry::new(
                "credibility shock",
                Swatch::Line {
                    color: SHOCK,
                    dashed: true,
                },
            ));
        }
        let mut legend = Legend::new(entries, theme);
        while legend.font > theme.min_font && legend.size(theme).1 > height as i32 * 4 / 5 {
            legend.font -= 0.5;
        }
        let (legend_width, _) = if classes.is_empty() && self.shocks.is_empty() {
            (0, 0)
        } else {
            legend.size(theme)
        };

        let (start, end) = self.span();
        let x = Axis::numeric(
            start,
            end,
            &self.x_label,
            tick_count((width as i32 - legend_width) as u32 * 3 / 4, 100.0, theme),
        );
        let mut y = Axis::categories(&self.actors, &self.y_label, true);
        y.tick_font = Some(row_font(height, self.actors.len(), theme));
        let frame = Frame {
            x_grid: true,
            y_grid: true,
            right: if legend_width > 0 {
                legend_width + theme.gap
            } else {
                0
            },
        };
        let chart = cartesian(&body, &x, &y, theme, frame)?;
        let (left, top, right, bottom) = plot_rect(&chart);

        for &day in self.shocks.iter().filter(|d| (start..=end).contains(*d)) {
            let (px, _) = chart.backend_coord(&(day, 0.0));
            marker::dashed_line(
                root,
                (px, top),
                (px, bottom),
                (6, 4),
                SHOCK.stroke_width(theme.hairline),
            )?;
        }

        // Events close in time share a row: each takes the first lane (the row's centre, then
        // alternately above and below it) where it does not cover the marker before it, so no
        // marker hides another unless a row holds more events at once than it has lanes.
        let size = theme.marker * 5 / 4;
        let row_height = (bottom - top) / self.actors.len().max(1) as i32;
        let lanes = (row_height * 4 / 5 / size.max(1)).clamp(1, 9) as usize;
        let mut last_x: Vec<Vec<Option<i32>>> = vec![vec![None; lanes]; self.actors.len()];
        let mut placed = Vec::with_capacity(self.events.len());
        let mut order: Vec<&TimelineEvent> = self.events.iter().collect();
        order.sort_by(|a, b| a.day.total_cmp(&b.day));
        for event in order {
            if !(start..=end).contains(&event.day) {
                continue;
            }
            let row = self
                .actors
                .iter()
                .position(|a| *a == event.actor)
                .unwrap_or(0);
            let centre = Axis::category_centre(self.actors.len(), row, true);
            let class = classes.iter().position(|c| *c == event.class).unwrap_or(0);
            let (shape, color) = class_marker(class);
            let (px, py) = chart.backend_coord(&(event.day, centre));
            let taken = &mut last_x[row];
            let lane = taken
                .iter()
                .position(|x| x.is_none_or(|x| px - x >= size))
                .unwrap_or_else(|| {
                    // Every lane is covered: the one whose last marker is furthest back.
                    (0..lanes).min_by_key(|&l| taken[l]).unwrap_or(0)
                });
            taken[lane] = Some(px);
            let step = i32::try_from(lane.div_ceil(2)).unwrap_or(0) * size;
            let offset = if lane % 2 == 1 { -step } else { step };
            placed.push((class, (px, py + offset), shape, color));
        }
        // The most frequent classes are drawn first, so the rare ones (a land grab among daily
        // harassment) lie on top.
        let mut frequency = vec![0usize; classes.len().max(1)];
        for &(class, ..) in &placed {
            frequency[class] += 1;
        }
        placed.sort_by_key(|&(class, ..)| std::cmp::Reverse(frequency[class]));
        for (_, at, shape, color) in placed {
            marker::draw(root, at, shape, color, size, theme.hairline)?;
        }

        // The collapse line and its label go over the markers, so they stay legible.
        if let Some(day) = self.collapse.filter(|d| (start..=end).contains(d)) {
            let (px, _) = chart.backend_coord(&(day, 0.0));
            root.draw(&PathElement::new(
                vec![(px, top), (px, bottom)],
                COLLAPSE.stroke_width(theme.line),
            ))?;
            let text = format!("{} (day {day:.1})", self.collapse_label);
            let (w, _) = text_size(&text, theme.note);
            let h = line_height(theme.note);
            let pad = theme.gap / 2;
            // Right of the line if it fits, else left of it.
            let x0 = if px + pad + w + pad <= right {
                px + pad
            } else {
                (px - pad - w).max(left)
            };
            let y0 = top + pad;
            root.draw(&Rectangle::new(
                [(x0 - 2, y0 - 2), (x0 + w + 2, y0 + h + 4)],
                WHITE.mix(0.85).filled(),
            ))?;
            root.draw_text(
                &text,
                &theme
                    .font(theme.note)
                    .color(&COLLAPSE)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
                (x0, y0),
            )?;
        }

        if legend_width > 0 {
            legend.draw(root, (right + theme.gap + theme.gap / 2, top), theme)?;
        }
        Ok(())
    }
}
