//! Survival curves: the probability that the ceasefire still holds, day by day, as step functions
//! with translucent confidence bands, one named series per scenario or group.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Result;
use crate::axis::{Axis, Frame, cartesian, plot_rect, tick_count};
use crate::legend::{Corner, Entry, Legend, Swatch, sample_polyline};
use crate::output::Chart;
use crate::theme::{Theme, draw_title, series_color};
use crate::validate::{finite, invalid, non_empty, range, same_length};

const CHART: &str = "survival";

/// The default x axis label.
pub const DAYS_LABEL: &str = "days since ceasefire";
/// The default y axis label.
pub const HOLDS_LABEL: &str = "probability the ceasefire holds";

/// Survival curves to draw on one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalData {
    pub title: String,
    /// Defaults to [`DAYS_LABEL`].
    pub x_label: String,
    /// Defaults to [`HOLDS_LABEL`].
    pub y_label: String,
    pub series: Vec<SurvivalSeries>,
    /// The last day shown; `None` shows up to the last day of any series. Every curve is drawn
    /// flat from its last step to this day.
    pub horizon: Option<f64>,
    /// The y axis range; `None` is `(0, 1)`.
    pub y_range: Option<(f64, f64)>,
}

impl SurvivalData {
    /// Curves with the default axis labels, no horizon and the full probability range.
    pub fn new(title: impl Into<String>, series: Vec<SurvivalSeries>) -> SurvivalData {
        SurvivalData {
            title: title.into(),
            x_label: DAYS_LABEL.to_string(),
            y_label: HOLDS_LABEL.to_string(),
            series,
            horizon: None,
            y_range: None,
        }
    }
}

/// One survival curve as a step function with its band: from `days[i]` until `days[i + 1]` the
/// curve is at `survival[i]`, the band from `lower[i]` to `upper[i]` (Kaplan–Meier form).
///
/// A curve whose first day is after day 0 starts at 1 on day 0, as a Kaplan–Meier estimate does
/// before the first event. The four lists must have the same length, and the days must not
/// decrease.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalSeries {
    /// The legend label.
    pub name: String,
    pub days: Vec<f64>,
    pub survival: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// One step: from `day` on, the curve is at `value` and the band spans `lower..upper`.
#[derive(Debug, Clone, Copy)]
struct Step {
    day: f64,
    value: f64,
    lower: f64,
    upper: f64,
}

impl SurvivalSeries {
    fn steps(&self, end: f64) -> Vec<Step> {
        let mut steps = Vec::with_capacity(self.days.len() + 1);
        if self.days[0] > 0.0 {
            steps.push(Step {
                day: 0.0,
                value: 1.0,
                lower: 1.0,
                upper: 1.0,
            });
        }
        for i in 0..self.days.len() {
            if self.days[i] > end {
                break;
            }
            steps.push(Step {
                day: self.days[i],
                value: self.survival[i],
                lower: self.lower[i],
                upper: self.upper[i],
            });
        }
        steps
    }
}

/// The vertices of the step function through `(step.day, level(step))`, ending at `end`.
fn staircase(steps: &[Step], end: f64, level: impl Fn(&Step) -> f64) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(steps.len() * 2 + 1);
    for (k, step) in steps.iter().enumerate() {
        if k > 0 {
            points.push((step.day, level(&steps[k - 1])));
        }
        points.push((step.day, level(step)));
    }
    if let Some(last) = steps.last() {
        points.push((end, level(last)));
    }
    points
}

impl SurvivalData {
    fn start(&self) -> f64 {
        self.series
            .iter()
            .map(|s| s.days[0].min(0.0))
            .fold(0.0, f64::min)
    }

    fn end(&self) -> f64 {
        let last = self
            .series
            .iter()
            .filter_map(|s| s.days.last().copied())
            .fold(f64::NEG_INFINITY, f64::max);
        let end = self.horizon.unwrap_or(last);
        if end > self.start() {
            end
        } else {
            self.start() + 1.0
        }
    }
}

impl Chart for SurvivalData {
    fn check(&self) -> Result<()> {
        non_empty(CHART, "series", self.series.len())?;
        for (k, series) in self.series.iter().enumerate() {
            let name = &series.name;
            let what = |field: &str| format!("series {k} (\"{name}\") {field}");
            non_empty(CHART, &what("days"), series.days.len())?;
            let n = series.days.len();
            same_length(CHART, || what("survival"), n, series.survival.len())?;
            same_length(CHART, || what("lower"), n, series.lower.len())?;
            same_length(CHART, || what("upper"), n, series.upper.len())?;
            for i in 0..n {
                finite(CHART, || what(&format!("days[{i}]")), series.days[i])?;
                finite(
                    CHART,
                    || what(&format!("survival[{i}]")),
                    series.survival[i],
                )?;
                finite(CHART, || what(&format!("lower[{i}]")), series.lower[i])?;
                finite(CHART, || what(&format!("upper[{i}]")), series.upper[i])?;
                if i > 0 && series.days[i] < series.days[i - 1] {
                    return Err(invalid(
                        CHART,
                        what("days"),
                        format!(
                            "days must not decrease (day {} follows day {})",
                            series.days[i],
                            series.days[i - 1]
                        ),
                    ));
                }
                if series.lower[i] > series.upper[i] {
                    return Err(invalid(
                        CHART,
                        what(&format!("band at index {i}")),
                        format!(
                            "lower {} is above upper {}",
                            series.lower[i], series.upper[i]
                        ),
                    ));
                }
            }
        }
        if let Some(horizon) = self.horizon {
            finite(CHART, || "horizon".to_string(), horizon)?;
        }
        range(CHART, "y_range", self.y_range)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, theme: &Theme) -> Result<()> {
        let body = draw_title(root, &self.title, None, theme)?;
        let (width, height) = body.dim_in_pixel();
        let (start, end) = (self.start(), self.end());
        let (y_lo, y_hi) = self.y_range.unwrap_or((0.0, 1.0));
        let x = Axis::numeric(
            start,
            end,
            &self.x_label,
            tick_count(width * 4 / 5, 100.0, theme),
        );
        let y = Axis::numeric(
            y_lo,
            y_hi,
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

        // A curve that starts after the last day shown has no steps, and draws nothing.
        let curves: Vec<Vec<Step>> = self.series.iter().map(|s| s.steps(end)).collect();
        let clamp = |v: f64| v.clamp(y_lo, y_hi);
        for (k, steps) in curves.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            let color = series_color(k);
            let mut outline = staircase(steps, end, |s| clamp(s.upper));
            let lower = staircase(steps, end, |s| clamp(s.lower));
            outline.extend(lower.into_iter().rev());
            plot.draw(&Polygon::new(outline, color.mix(0.18).filled()))?;
        }
        let mut obstacles = Vec::new();
        for (k, steps) in curves.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            let line = staircase(steps, end, |s| clamp(s.value));
            let pixels: Vec<(i32, i32)> = line.iter().map(|p| chart.backend_coord(p)).collect();
            sample_polyline(&pixels, &mut obstacles);
            plot.draw(&PathElement::new(
                line,
                series_color(k).stroke_width(theme.line),
            ))?;
        }

        let entries = self
            .series
            .iter()
            .enumerate()
            .map(|(k, s)| {
                Entry::new(
                    s.name.clone(),
                    Swatch::LineOverBand {
                        color: series_color(k),
                    },
                )
            })
            .collect();
        let legend = Legend::new(entries, theme);
        let preference = [
            Corner::BottomLeft,
            Corner::TopRight,
            Corner::BottomRight,
            Corner::TopLeft,
        ];
        let at = legend.place(plot_rect(&chart), &obstacles, &preference, theme);
        legend.draw(root, at, theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_start_at_one_before_the_first_event() {
        let series = SurvivalSeries {
            name: "a".into(),
            days: vec![10.0, 20.0],
            survival: vec![0.9, 0.8],
            lower: vec![0.85, 0.7],
            upper: vec![0.95, 0.9],
        };
        let steps = series.steps(30.0);
        let line = staircase(&steps, 30.0, |s| s.value);
        assert_eq!(
            line,
            vec![
                (0.0, 1.0),
                (10.0, 1.0),
                (10.0, 0.9),
                (20.0, 0.9),
                (20.0, 0.8),
                (30.0, 0.8)
            ]
        );
    }
}
