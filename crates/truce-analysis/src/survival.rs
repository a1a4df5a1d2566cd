//! Kaplan–Meier survival curves with Greenwood variances and log-log 95% bands.
//!
//! Kaplan and Meier (1958), "Nonparametric estimation from incomplete observations", JASA 53(282),
//! 457–481: at each distinct event time `t_j` with `n_j` at risk and `d_j` events,
//! `S(t) = Π_{t_j ≤ t} (1 − d_j / n_j)`. An observation censored at `t_j` is still at risk at `t_j`.
//!
//! Greenwood (1926), "The natural duration of cancer", Reports on Public Health and Medical
//! Subjects 33: `Var S(t) = S(t)² Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j))`.
//!
//! Bands are pointwise 95% intervals on the log-log scale (Kalbfleisch and Prentice 1980, the
//! `conf.type = "log-log"` of R's `survfit`): with `σ² = Σ d_j / (n_j (n_j − d_j))`,
//! `θ = ln(−ln S)` has standard error `σ / |ln S|`, and the band is `S^exp(±1.96 σ / |ln S|)`.
//! It stays inside [0, 1]; it is undefined where `S = 0` (both bounds are then `None`).
//!
//! The median is the first time at which `S(t) ≤ 0.5`, and its interval runs from the first time
//! the lower band reaches 0.5 to the first time the upper band does (as in `survfit`).

use crate::stats::Z95;

/// One step of a curve: the state just after the events at `time`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub time: f64,
    /// Observations with time `>= time`.
    pub at_risk: u64,
    /// Events at `time`.
    pub events: u64,
    pub survival: f64,
    /// Lower bound of the 95% band; `None` where it is undefined (`S = 0`).
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// A Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Observations.
    pub n: u64,
    /// Events among them.
    pub events: u64,
    /// The largest time observed, event or censoring; the curve is not defined beyond it.
    pub max_time: f64,
    /// One step per distinct event time, in time order.
    pub steps: Vec<Step>,
}

/// The median survival time and its 95% interval; `None` parts were not reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Median {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The Kaplan–Meier curve of observations (`times[i]`, `events[i]`): `events[i]` is true when
/// observation `i` ended in the event, false when it was censored at `times[i]`.
/// Times must be finite; they need not be sorted.
///
/// # Panics
/// When the slices differ in length.
pub fn kaplan_meier(times: &[f64], events: &[bool]) -> Curve {
    assert_eq!(times.len(), events.len(), "one event flag per time");
    if times.is_sorted() {
        from_sorted(
            times.iter().copied().zip(events.iter().copied()),
            times.len(),
        )
    } else {
        let mut order: Vec<usize> = (0..times.len()).collect();
        order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
        from_sorted(order.iter().map(|&i| (times[i], events[i])), times.len())
    }
}

/// The curve of `n` observations given in non-decreasing order of time.
pub fn from_sorted(observations: impl Iterator<Item = (f64, bool)>, n: usize) -> Curve {
    let mut steps = Vec::new();
    let mut at_risk = n as u64;
    let mut survival = 1.0;
    let mut greenwood = 0.0;
    let mut total_events = 0;
    let mut max_time = f64::NEG_INFINITY;
    let mut current: Option<(f64, u64, u64)> = None; // (time, events, observations)
    let mut close = |(time, d, count): (f64, u64, u64), at_risk: &mut u64| {
        if d > 0 {
            let n_j = *at_risk as f64;
            let d_j = d as f64;
            survival *= 1.0 - d_j / n_j;
            greenwood += if d < *at_risk {
                d_j / (n_j * (n_j - d_j))
            } else {
                f64::INFINITY
            };
            let (lower, upper) = log_log_band(survival, greenwood);
            steps.push(Step {
                time,
                at_risk: *at_risk,
                events: d,
                survival,
                lower,
                upper,
            });
        }
        *at_risk -= count;
    };
    for (time, event) in observations {
        max_time = max_time.max(time);
        total_events += u64::from(event);
        match &mut current {
            Some((t, d, count)) if *t == time => {
                *d += u64::from(event);
                *count += 1;
            }
            _ => {
                if let Some(group) = current.take() {
                    close(group, &mut at_risk);
                }
                current = Some((time, u64::from(event), 1));
            }
        }
    }
    if let Some(group) = current.take() {
        close(group, &mut at_risk);
    }
    Curve {
        n: n as u64,
        events: total_events,
        max_time: if n == 0 { f64::NAN } else { max_time },
        steps,
    }
}

/// The log-log band of a survival estimate with Greenwood sum `sigma2`.
fn log_log_band(survival: f64, sigma2: f64) -> (Option<f64>, Option<f64>) {
    if survival <= 0.0 || !sigma2.is_finite() {
        return (None, None);
    }
    if survival >= 1.0 {
        return (Some(1.0), Some(1.0));
    }
    let log_s = survival.ln();
    let se = sigma2.sqrt() / log_s.abs();
    (
        Some(survival.powf((Z95 * se).exp())),
        Some(survival.powf((-Z95 * se).exp())),
    )
}

impl Curve {
    /// `S(t)` with its band: the last step at or before `t`, or 1 before the first event;
    /// `None` for an empty curve, and beyond the largest time observed unless the curve has
    /// already reached 0.
    pub fn at(&self, t: f64) -> Option<Step> {
        if self.n == 0 || t.is_nan() {
            return None;
        }
        if t > self.max_time {
            return self.steps.last().filter(|s| s.survival == 0.0).copied();
        }
        let index = self.steps.partition_point(|s| s.time <= t);
        Some(match index {
            0 => Step {
                time: t,
                at_risk: self.n,
                events: 0,
                survival: 1.0,
                lower: Some(1.0),
                upper: Some(1.0),
            },
            i => self.steps[i - 1],
        })
    }

    /// The median survival time and its interval.
    pub fn median(&self) -> Median {
        let first = |f: &dyn Fn(&Step) -> bool| self.steps.iter().find(|s| f(s)).map(|s| s.time);
        Median {
            estimate: first(&|s| s.survival <= 0.5),
            // Where a band is undefined, S = 0 and both bounds count as reached.
            lower: first(&|s| s.lower.is_none_or(|l| l <= 0.5)),
            upper: first(&|s| s.upper.is_none_or(|u| u <= 0.5)),
        }
    }

    /// The steps merged into bins of `width` (in the unit of time): each bin `((k − 1) w, k w]`
    /// with events becomes one step at its last event time, with the number at risk at its first
    /// event time, the events summed, and the survival and band of its last event time, which stay
    /// exact. A width of 0 or less returns the steps unchanged.
    pub fn thinned(&self, width: f64) -> Vec<Step> {
        if width <= 0.0 || !width.is_finite() {
            return self.steps.clone();
        }
        let mut out: Vec<Step> = Vec::new();
        let mut last_bin = None;
        for s in &self.steps {
            let bin = (s.time / width).ceil() as i64;
            match out.last_mut() {
                Some(merged) if last_bin == Some(bin) => {
                    merged.events += s.events;
                    merged.time = s.time;
                    merged.survival = s.survival;
                    merged.lower = s.lower;
                    merged.upper = s.upper;
                }
                _ => out.push(*s),
            }
            last_bin = Some(bin);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_sample_has_no_curve() {
        let c = kaplan_meier(&[], &[]);
        assert_eq!(c.steps.len(), 0);
        assert_eq!(c.at(1.0), None);
        assert_eq!(c.median().estimate, None);
    }

    #[test]
    fn censoring_only_keeps_survival_at_one() {
        let c = kaplan_meier(&[3.0, 1.0, 2.0], &[false, false, false]);
        assert!(c.steps.is_empty());
        assert_eq!(c.at(2.5).map(|s| s.survival), Some(1.0));
        assert_eq!(c.at(3.5), None);
    }

    #[test]
    fn thinning_keeps_survival_exact_at_the_end_of_each_bin() {
        let times = [0.2, 0.4, 0.6, 1.5, 1.7, 2.5];
        let c = kaplan_meier(&times, &[true; 6]);
        let t = c.thinned(1.0);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].events, 3);
        assert_eq!(t[0].at_risk, 6);
        assert_eq!(t[0].time, 0.6);
        assert!((t[0].survival - 0.5).abs() < 1e-12);
        assert_eq!(t[2].survival, 0.0);
    }
}
