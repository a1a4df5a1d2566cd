//! Cumulative incidences under competing risks, stacked: day by day, the probability that the
//! ceasefire has ended in each way (each cause of collapse, settlement), one filled band per
//! way on top of the ones before, so that the top edge is the probability that it has ended at
//! all.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Result;
use crate::axis::{Axis, Frame, cartesian, plot_rect, tick_count};
use crate::legend::{Corner, Entry, Legend, Swatch};
use crate::output::Chart;
use crate::survival::DAYS_LABEL;
use crate::theme::{Theme, draw_title, series_color};
use crate::validate::{finite, invalid, non_empty, same_length};

const CHART: &str = "incidence";

/// The default y axis label.
pub const ENDED_LABEL: &str = "probability the ceasefire has ended so";

/// Cumulative incidences to stack on one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidenceData {
    pub title: String,
    /// Defaults to [`DAYS_LABEL`].
    pub x_label: String,
    /// Defaults to [`ENDED_LABEL`].
    pub y_label: String,
    /// Stacked from the bottom up, in this order.
    pub layers: Vec<IncidenceLayer>,
    /// The last day shown; `None` shows up to the last day of any layer.
    pub horizon: Option<f64>,
}

impl IncidenceData {
    /// Layers with the default axis labels and no horizon.
    pub fn new(title: impl Into<String>, layers: Vec<IncidenceLayer>) -> IncidenceData {
        IncidenceData {
            title: title.into(),
            x_label: DAYS_LABEL.to_string(),
            y_label: ENDED_LABEL.to_string(),
            layers,
            horizon: None,
        }
    }
}

/// One cumulative incidence as a step function: from `days[i]` until `days[i + 1]` it is at
/// `incidence[i]`, and 0 before `days[0]`. The days must not decrease; the values lie in [0, 1].
/// A layer may be empty (the way never happened): it is listed in the legend and draws nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidenceLayer {
    /// The legend label.
    pub name: String,
    pub days: Vec<f64>,
    pub incidence: Vec<f64>,
}

impl IncidenceLayer {
    /// The value at `day`: the last step at or before it, 0 before the first.
    fn at(&self, day: f64) -> f64 {
        match self.days.partition_point(|&d| d <= day) {
            0 => 0.0,
            i => self.incidence[i - 1],
        }
    }
}

impl IncidenceData {
    fn end(&self) -> f64 {
        let last = self
            .layers
            .iter()
            .filter_map(|l| l.days.last().copied())
            .fold(0.0, f64::max);
        let end = self.horizon.unwrap_or(last);
        if end > 0.0 { end } else { 1.0 }
    }

    /// The days at which some layer steps, up to `end`, after day 0.
    fn grid(&self, end: f64) -> Vec<f64> {
        let mut days: Vec<f64> = std::iter::once(0.0)
            .chain(self.layers.iter().flat_map(|l| l.days.iter().copied()))
            .filter(|&d| (0.0..=end).contains(&d))
            .collect();
        days.sort_by(f64::total_cmp);
        days.dedup();
        days
    }

    /// The top edge of each layer's band at each day of `grid`: the running sums.
    fn stacked(&self, grid: &[f64]) -> Vec<Vec<f64>> {
        let mut below = vec![0.0; grid.len()];
        self.layers
            .iter()
            .map(|layer| {
                for (b, &d) in below.iter_mut().zip(grid) {
                    *b += layer.at(d);
                }
                below.iter().map(|v| v.min(1.0)).collect()
            })
            .collect()
    }
}

/// The vertices of the step function through `(grid[i], level[i])`, ending at `end`.
fn staircase(grid: &[f64], level: &[f64], end: f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(grid.len() * 2 + 1);
    for (k, (&d, &v)) in grid.iter().zip(level).enumerate() {
        if k > 0 {
            points.push((d, level[k - 1]));
        }
        points.push((d, v));
    }
    if let Some(&v) = level.last() {
        points.push((end, v));
    }
    points
}

impl Chart for IncidenceData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "layers", self.layers.len())?;
        for (k, layer) in self.layers.iter().enumerate() {
            let name = &layer.name;
            let what = |field: &str| format!("layer {k} (\"{name}\") {field}");
            let n = layer.days.len();
            same_length(CHART, || what("incidence"), n, layer.incidence.len())?;
            for i in 0..n {
                finite(CHART, || what(&format!("days[{i}]")), layer.days[i])?;
                let v = layer.incidence[i];
                if !(0.0..=1.0).contains(&v) {
                    return Err(invalid(
                        CHART,
                        what(&format!("incidence[{i}]")),
                        format!("must lie in [0, 1] (got {v})"),
                    ));
                }
                if i > 0 && layer.days[i] < layer.days[i - 1] {
                    return Err(invalid(
                        CHART,
                        what("days"),
                        format!(
                            "days must not decrease (day {} follows day {})",
                            layer.days[i],
                            layer.days[i - 1]
                        ),
                    ));
                }
            }
        }
        if let Some(horizon) = self.horizon {
            finite(CHART, || "horizon".to_string(), horizon)?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let body = draw_title(root, &self.title, None, theme)?;
        let (width, height) = body.dim_in_pixel();
        let end = self.end();
        let x = Axis::numeric(
            0.0,
            end,
            &self.x_label,
            tick_count(width * 4 / 5, 100.0, theme),
        );
        let y = Axis::numeric(
            0.0,
            1.0,
            &self.y_label,
            tick_count(height * 3 / 4, 60.0, theme),
        );
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
        let grid = self.grid(end);
        let tops = self.stacked(&grid);
        let mut floor = vec![0.0; grid.len()];
        for (k, top) in tops.iter().enumerate() {
            if self.layers[k].days.is_empty() {
                continue;
            }
            let color = series_color(k);
            let mut outline = staircase(&grid, top, end);
            outline.extend(staircase(&grid, &floor, end).into_iter().rev());
            plot.draw(&Polygon::new(outline, color.mix(0.75).filled()))?;
            plot.draw(&PathElement::new(
                staircase(&grid, top, end),
                color.stroke_width(theme.line.max(1) / 2 + 1),
            ))?;
            floor.clone_from(top);
        }
        let entries = self
            .layers
            .iter()
            .enumerate()
            .map(|(k, l)| {
                Entry::new(
                    l.name.clone(),
                    Swatch::Bar {
                        color: series_color(k),
                    },
                )
            })
            .collect();
        let legend = Legend::new(entries, theme);
        let at = legend.place(
            plot_rect(&chart),
            &[],
            &[Corner::TopLeft, Corner::TopRight, Corner::BottomRight],
            theme,
        );
        legend.draw(root, at, theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChartOptions, Render};

    fn layer(name: &str, days: &[f64], incidence: &[f64]) -> IncidenceLayer {
        IncidenceLayer {
            name: name.into(),
            days: days.to_vec(),
            incidence: incidence.to_vec(),
        }
    }

    #[test]
    fn layers_stack_on_the_union_of_their_days() {
        let data = IncidenceData::new(
            "t",
            vec![
                layer("a", &[1.0, 3.0], &[0.1, 0.2]),
                layer("b", &[], &[]),
                layer("c", &[2.0], &[0.3]),
            ],
        );
        let grid = data.grid(4.0);
        assert_eq!(grid, vec![0.0, 1.0, 2.0, 3.0]);
        let tops = data.stacked(&grid);
        assert_eq!(tops[0], vec![0.0, 0.1, 0.1, 0.2]);
        assert_eq!(tops[1], tops[0]);
        assert!((tops[2][3] - 0.5).abs() < 1e-12);
        assert!(data.svg(&ChartOptions::default()).unwrap().contains("<svg"));
    }

    #[test]
    fn an_incidence_above_one_is_refused() {
        let data = IncidenceData::new("t", vec![layer("a", &[1.0], &[1.5])]);
        let err = data.svg(&ChartOptions::default()).unwrap_err();
        assert!(err.to_string().contains("[0, 1]"), "{err}");
    }
}
