//! Legends: a boxed list of swatches and labels, placed in the corner of the plot that hides the
//! least data, or beside the plot.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Result;
use crate::marker::{self, Shape};
use crate::theme::{AXIS, Theme, line_height, max_text_width, text_size};

/// What stands before a legend label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A line, solid or dashed.
    Line { color: RGBColor, dashed: bool },
    /// A line over a translucent band (a curve with its confidence band).
    LineOverBand { color: RGBColor },
    /// A marker on a short interval line.
    MarkerWithWhisker { shape: Shape, color: RGBColor },
    /// A marker alone.
    Marker { shape: Shape, color: RGBColor },
    /// A filled bar.
    Bar { color: RGBColor },
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub label: String,
    pub swatch: Swatch,
}

impl Entry {
    pub(crate) fn new(label: impl Into<String>, swatch: Swatch) -> Entry {
        Entry {
            label: label.into(),
            swatch,
        }
    }
}

/// A corner of the plot area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Corner {
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
}

/// A legend: its entries, laid out in one column.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    pub entries: Vec<Entry>,
    pub font: f64,
}

impl Legend {
    pub(crate) fn new(entries: Vec<Entry>, theme: &Theme) -> Legend {
        Legend {
            entries,
            font: theme.legend,
        }
    }

    fn swatch_width(&self) -> i32 {
        (line_height(self.font) as f64 * 1.9) as i32
    }

    fn row_height(&self) -> i32 {
        (line_height(self.font) as f64 * 1.45) as i32
    }

    fn padding(&self, theme: &Theme) -> i32 {
        theme.gap
    }

    /// The legend's width and height in pixels.
    pub(crate) fn size(&self, theme: &Theme) -> (i32, i32) {
        let text = max_text_width(self.entries.iter().map(|e| e.label.as_str()), self.font);
        let pad = self.padding(theme);
        let width = pad + self.swatch_width() + theme.gap + text + pad;
        let height = pad + self.row_height() * self.entries.len() as i32 + pad / 2;
        (width, height)
    }

    /// Draws the legend with its top-left corner at `at` (pixels of `root`).
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        at: (i32, i32),
        theme: &Theme,
    ) -> Result<()> {
        let (width, height) = self.size(theme);
        let (x, y) = at;
        root.draw(&Rectangle::new(
            [(x, y), (x + width, y + height)],
            WHITE.mix(0.92).filled(),
        ))?;
        root.draw(&Rectangle::new(
            [(x, y), (x + width, y + height)],
            AXIS.mix(0.6).stroke_width(theme.hairline),
        ))?;
        let pad = self.padding(theme);
        let row = self.row_height();
        for (i, entry) in self.entries.iter().enumerate() {
            let centre_y = y + pad + row * i as i32 + row / 2;
            let left = x + pad;
            let right = left + self.swatch_width();
            draw_swatch(root, entry.swatch, (left, centre_y, right), row, theme)?;
            root.draw_text(
                &entry.label,
                &theme
                    .font(self.font)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
                (right + theme.gap, centre_y),
            )?;
        }
        Ok(())
    }

    /// The positions of the entries laid out in rows across `width` pixels, each relative to
    /// the block's top-left corner, and the block's height.
    fn row_layout(&self, width: i32, theme: &Theme) -> (Vec<(i32, i32)>, i32) {
        let row = self.row_height();
        let spacing = 2 * theme.gap;
        let mut positions = Vec::with_capacity(self.entries.len());
        let (mut x, mut y) = (0, 0);
        for entry in &self.entries {
            let entry_width =
                self.swatch_width() + theme.gap + text_size(&entry.label, self.font).0;
            if x > 0 && x + entry_width > width {
                x = 0;
                y += row;
            }
            positions.push((x, y));
            x += entry_width + spacing;
        }
        (positions, y + row)
    }

    /// The height of the legend laid out in rows across `width` pixels.
    pub(crate) fn row_height_within(&self, width: i32, theme: &Theme) -> i32 {
        self.row_layout(width, theme).1
    }

    /// Draws the legend without a box, its entries in rows across `width` pixels, starting at
    /// `at` (pixels of `root`); each row is centred.
    pub(crate) fn draw_rows<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        at: (i32, i32),
        width: i32,
        theme: &Theme,
    ) -> Result<()> {
        let (positions, _) = self.row_layout(width, theme);
        let row = self.row_height();
        for (i, entry) in self.entries.iter().enumerate() {
            let (x, y) = positions[i];
            // The row's width, to centre it: from its first entry to the end of its last.
            let row_entries = positions
                .iter()
                .zip(&self.entries)
                .filter(|(p, _)| p.1 == y);
            let row_width = row_entries
                .map(|(p, e)| {
                    p.0 + self.swatch_width() + theme.gap + text_size(&e.label, self.font).0
                })
                .max()
                .unwrap_or(0);
            let offset = ((width - row_width) / 2).max(0);
            let left = at.0 + offset + x;
            let centre_y = at.1 + y + row / 2;
            let right = left + self.swatch_width();
            draw_swatch(root, entry.swatch, (left, centre_y, right), row, theme)?;
            root.draw_text(
                &entry.label,
                &theme
                    .font(self.font)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
                (right + theme.gap, centre_y),
            )?;
        }
        Ok(())
    }

    /// The top-left corner for the legend inside `plot` (`left, top, right, bottom`): the corner,
    /// in order of `preference`, whose box covers the fewest of `obstacles` (pixels of drawn data).
    pub(crate) fn place(
        &self,
        plot: (i32, i32, i32, i32),
        obstacles: &[(i32, i32)],
        preference: &[Corner],
        theme: &Theme,
    ) -> (i32, i32) {
        let (width, height) = self.size(theme);
        let inset = theme.gap;
        let (left, top, right, bottom) = plot;
        let origin = |corner: Corner| match corner {
            Corner::TopRight => (right - inset - width, top + inset),
            Corner::TopLeft => (left + inset, top + inset),
            Corner::BottomRight => (right - inset - width, bottom - inset - height),
            Corner::BottomLeft => (left + inset, bottom - inset - height),
        };
        let margin = theme.gap / 2;
        let covered = |(x, y): (i32, i32)| {
            obstacles
                .iter()
                .filter(|&&(px, py)| {
                    px >= x - margin
                        && px <= x + width + margin
                        && py >= y - margin
                        && py <= y + height + margin
                })
                .count()
        };
        let mut best = origin(preference[0]);
        let mut best_count = covered(best);
        for &corner in &preference[1..] {
            let candidate = origin(corner);
            let count = covered(candidate);
            if count < best_count {
                best = candidate;
                best_count = count;
            }
        }
        best
    }
}

/// Points every few pixels along a polyline, for [`Legend::place`] to count.
pub(crate) fn sample_polyline(points: &[(i32, i32)], out: &mut Vec<(i32, i32)>) {
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let length = (a.0 - b.0).abs().max((a.1 - b.1).abs());
        let steps = (length / 3).max(1);
        for s in 0..=steps {
            let t = f64::from(s) / f64::from(steps);
            out.push((
                a.0 + (f64::from(b.0 - a.0) * t).round() as i32,
                a.1 + (f64::from(b.1 - a.1) * t).round() as i32,
            ));
        }
    }
    if points.len() == 1 {
        out.push(points[0]);
    }
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (left, y, right): (i32, i32, i32),
    row: i32,
    theme: &Theme,
) -> Result<()> {
    let centre = (left + right) / 2;
    match swatch {
        Swatch::Line { color, dashed } => {
            let style = color.stroke_width(theme.line);
            if dashed {
                let dash = (right - left) / 5;
                for k in [0, 2, 4] {
                    let x0 = left + k * dash;
                    root.draw(&PathElement::new(vec![(x0, y), (x0 + dash, y)], style))?;
                }
            } else {
                root.draw(&PathElement::new(vec![(left, y), (right, y)], style))?;
            }
        }
        Swatch::LineOverBand { color } => {
            let half = row / 3;
            root.draw(&Rectangle::new(
                [(left, y - half), (right, y + half)],
                color.mix(0.2).filled(),
            ))?;
            root.draw(&PathElement::new(
                vec![(left, y), (right, y)],
                color.stroke_width(theme.line),
            ))?;
        }
        Swatch::MarkerWithWhisker { shape, color } => {
            root.draw(&PathElement::new(
                vec![(left, y), (right, y)],
                color.stroke_width(theme.whisker),
            ))?;
            marker::draw(
                root,
                (centre, y),
                shape,
                color,
                theme.marker,
                theme.hairline,
            )?;
        }
        Swatch::Marker { shape, color } => {
            marker::draw(
                root,
                (centre, y),
                shape,
                color,
                theme.marker,
                theme.hairline,
            )?;
        }
        Swatch::Bar { color } => {
            let half = row / 3;
            root.draw(&Rectangle::new(
                [(left, y - half), (right, y + half)],
                color.filled(),
            ))?;
        }
    }
    Ok(())
}
