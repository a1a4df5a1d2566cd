//! Cumulative incidence functions under competing risks (the Aalen–Johansen estimator), with
//! delta-method variances and log-log 95% bands.
//!
//! Aalen and Johansen (1978), "An empirical transition matrix for non-homogeneous Markov chains
//! based on censored observations", Scand. J. Statist. 5(3), 141–150; for competing risks
//! (Kalbfleisch and Prentice 2002, section 8.2): at each distinct time `t_j` with `n_j` at risk,
//! `d_j` events of any kind and `d_kj` of kind `k`, with `S` the Kaplan–Meier estimate of being
//! free of every kind of event,
//! `F_k(t) = Σ_{t_j ≤ t} S(t_{j−1}) d_kj / n_j`.
//! The kinds' incidences and `S` sum to 1. An observation censored at `t_j` is at risk at `t_j`.
//!
//! The variance is the Greenwood-type delta-method estimate of Collett (2015), *Modelling
//! Survival Data in Medical Research*, 3rd ed., section 12.2.2, as in lifelines'
//! `AalenJohansenFitter`:
//!
//! ```text
//! Var F_k(t) = Σ_{t_j ≤ t} [ (F_k(t) − F_k(t_j))² d_j / (n_j (n_j − d_j))
//!                            + S(t_{j−1})² d_kj (n_j − d_kj) / n_j³
//!                            − 2 (F_k(t) − F_k(t_j)) S(t_{j−1}) d_kj / n_j² ]
//! ```
//!
//! The band is `exp(−exp(ln(−ln F) ± 1.96 se / (F |ln F|)))`, inside [0, 1]; it is undefined
//! where `F` is 0 or 1 or the variance is not finite (both bounds are then `None`).
//! The sums are accumulated once, so a curve costs time linear in the number of event times.

use crate::stats::Z95;

/// The incidence of one kind of event just after the events at `time`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub time: f64,
    /// Observations with time `>= time`.
    pub at_risk: u64,
    /// Events of this kind at `time`.
    pub events: u64,
    /// The probability that an event of this kind has happened by `time`, before any other.
    pub incidence: f64,
    /// Bounds of the 95% band; `None` where undefined.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The cumulative incidence function of one kind of event.
#[derive(Debug, Clone, PartialEq)]
pub struct Incidence {
    /// Observations.
    pub n: u64,
    /// Events of this kind among them.
    pub events: u64,
    /// The largest time observed; the function is not defined beyond it unless `complete`.
    pub max_time: f64,
    /// Every observation ended in an event of some kind by `max_time` (the probability of none
    /// has reached 0), so the function stays at its last value for ever after.
    pub complete: bool,
    /// One step per distinct time with events of this kind, in time order.
    pub steps: Vec<Step>,
}

/// The cumulative incidence of each of `kinds` kinds of event, from observations `(time, kind)`
/// in non-decreasing order of time: `kind` is `Some(k)` (with `k < kinds`) for an event of kind
/// `k`, `None` for an observation censored at `time`.
///
/// # Panics
/// When a kind is `kinds` or more.
pub fn aalen_johansen(
    observations: impl Iterator<Item = (f64, Option<usize>)>,
    n: usize,
    kinds: usize,
) -> Vec<Incidence> {
    let mut out: Vec<Incidence> = (0..kinds)
        .map(|_| Incidence {
            n: n as u64,
            events: 0,
            max_time: f64::NAN,
            complete: false,
            steps: Vec::new(),
        })
        .collect();
    let mut sums = vec![Sums::default(); kinds];
    let mut at_risk = n as u64;
    let mut max_time = f64::NEG_INFINITY;
    let mut survival: f64 = 1.0;
    // The observations at the current time: (time, events by kind, observations).
    let mut current: Option<(f64, Vec<u64>, u64)> = None;
    let mut close = |(time, d_k, count): (f64, Vec<u64>, u64), at_risk: &mut u64| {
        let d: u64 = d_k.iter().sum();
        if d > 0 {
            let n_j = *at_risk as f64;
            let d_j = d as f64;
            let a = if d < *at_risk {
                d_j / (n_j * (n_j - d_j))
            } else {
                f64::INFINITY
            };
            for (k, &dk) in d_k.iter().enumerate() {
                let s = &mut sums[k];
                let dk = dk as f64;
                let incidence = s.incidence + survival * dk / n_j;
                s.b += survival * survival * dk * (n_j - dk) / (n_j * n_j * n_j);
                s.c += survival * dk / (n_j * n_j);
                s.fc += incidence * survival * dk / (n_j * n_j);
                s.incidence = incidence;
                if a.is_finite() {
                    s.a += a;
                    s.fa += incidence * a;
                    s.ffa += incidence * incidence * a;
                } else {
                    s.infinite = true;
                }
                if dk > 0.0 {
                    let variance = s.variance();
                    let (lower, upper) = log_log_band(incidence, variance);
                    out[k].events += dk as u64;
                    out[k].steps.push(Step {
                        time,
                        at_risk: *at_risk,
                        events: dk as u64,
                        incidence,
                        lower,
                        upper,
                    });
                }
            }
            survival *= 1.0 - d_j / n_j;
        }
        *at_risk -= count;
    };
    for (time, kind) in observations {
        if let Some(k) = kind {
            assert!(k < kinds, "kind {k} of {kinds}");
        }
        match &mut current {
            Some((t, d_k, count)) if *t == time => {
                if let Some(k) = kind {
                    d_k[k] += 1;
                }
                *count += 1;
            }
            _ => {
                if let Some(group) = current.take() {
                    close(group, &mut at_risk);
                }
                let mut d_k = vec![0; kinds];
                if let Some(k) = kind {
                    d_k[k] += 1;
                }
                current = Some((time, d_k, 1));
            }
        }
        max_time = max_time.max(time);
    }
    if let Some(group) = current.take() {
        close(group, &mut at_risk);
    }
    let complete = n > 0 && survival <= 0.0;
    for f in &mut out {
        f.max_time = if n == 0 { f64::NAN } else { max_time };
        f.complete = complete;
    }
    out
}

/// The running sums of the variance of one kind, over the event times so far.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    incidence: f64,
    /// Σ a_j, Σ F_j a_j and Σ F_j² a_j with `a_j = d_j / (n_j (n_j − d_j))`.
    a: f64,
    fa: f64,
    ffa: f64,
    /// Σ S_{j−1}² d_kj (n_j − d_kj) / n_j³.
    b: f64,
    /// Σ c_j and Σ F_j c_j with `c_j = S_{j−1} d_kj / n_j²`.
    c: f64,
    fc: f64,
    /// Some `a_j` was infinite (every observation at risk had an event).
    infinite: bool,
}

impl Sums {
    /// The variance at the current incidence `F`: the three sums of the formula, expanded in
    /// powers of `F`.
    fn variance(&self) -> f64 {
        if self.infinite {
            return f64::INFINITY;
        }
        let f = self.incidence;
        let first = f * f * self.a - 2.0 * f * self.fa + self.ffa;
        let third = f * self.c - self.fc;
        (first + self.b - 2.0 * third).max(0.0)
    }
}

/// The log-log band of an incidence `f` with variance `variance`.
fn log_log_band(f: f64, variance: f64) -> (Option<f64>, Option<f64>) {
    if f <= 0.0 || f >= 1.0 || !variance.is_finite() {
        return (None, None);
    }
    let log_f = f.ln();
    let se = variance.sqrt() / (f * log_f.abs());
    let centre = (-log_f).ln();
    (
        Some((-(centre + Z95 * se).exp()).exp()),
        Some((-(centre - Z95 * se).exp()).exp()),
    )
}

impl Incidence {
    /// `F(t)` with its band: the last step at or before `t`, or 0 before the first event;
    /// `None` for an empty sample, and beyond the largest time observed unless every
    /// observation had ended in an event by then.
    pub fn at(&self, t: f64) -> Option<Step> {
        if self.n == 0 || t.is_nan() || (t > self.max_time && !self.complete) {
            return None;
        }
        let index = self.steps.partition_point(|s| s.time <= t);
        Some(match index {
            0 => Step {
                time: t,
                at_risk: self.n,
                events: 0,
                incidence: 0.0,
                lower: Some(0.0),
                upper: Some(0.0),
            },
            i => self.steps[i - 1],
        })
    }

    /// The steps merged into bins of `width`, as [`crate::survival::Curve::thinned`] does: each
    /// bin keeps its last event time's incidence and band, which stay exact.
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
                    merged.incidence = s.incidence;
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
    use crate::survival;

    fn sorted(mut obs: Vec<(f64, Option<usize>)>) -> Vec<(f64, Option<usize>)> {
        obs.sort_by(|a, b| a.0.total_cmp(&b.0));
        obs
    }

    /// Worked by hand: six observations, two kinds.
    /// t=1 kind 0 (n=6): F0 = 1/6, S = 5/6. t=2 censored. t=3 kind 1 (n=4): F1 = 5/6 · 1/4 = 5/24,
    /// S = 5/8. t=4 kind 0 twice (n=3): F0 = 1/6 + 5/8 · 2/3 = 7/12, S = 5/24. t=5 censored.
    #[test]
    fn a_small_sample_matches_the_hand_computation() {
        let obs = vec![
            (1.0, Some(0)),
            (2.0, None),
            (3.0, Some(1)),
            (4.0, Some(0)),
            (4.0, Some(0)),
            (5.0, None),
        ];
        let f = aalen_johansen(obs.into_iter(), 6, 2);
        let f0: Vec<f64> = f[0].steps.iter().map(|s| s.incidence).collect();
        assert_eq!(f0.len(), 2);
        assert!((f0[0] - 1.0 / 6.0).abs() < 1e-15);
        assert!((f0[1] - 7.0 / 12.0).abs() < 1e-15);
        assert_eq!(f[0].steps[1].at_risk, 3);
        assert_eq!(f[0].steps[1].events, 2);
        assert!((f[1].steps[0].incidence - 5.0 / 24.0).abs() < 1e-15);
        assert_eq!(f[0].events, 3);
        assert_eq!(f[1].at(2.5).map(|s| s.incidence), Some(0.0));
        assert_eq!(f[1].at(6.0), None);
        assert!(!f[0].complete);
        // The variance of F0 at t=1: S0² d(n−d)/n³ = 5/216 (the other terms vanish).
        let s = f[0].steps[0];
        let (lo, hi) = log_log_band(1.0 / 6.0, 5.0 / 216.0);
        assert_eq!((s.lower, s.upper), (lo, hi));
        // Without the last censoring every observation has ended: F stays at its last value.
        let ended = vec![(1.0, Some(0)), (2.0, None), (3.0, Some(1)), (4.0, Some(0))];
        let g = aalen_johansen(ended.into_iter(), 4, 2);
        assert!(g[0].complete);
        assert_eq!(g[0].at(100.0), g[0].steps.last().copied());
        assert_eq!(g[1].at(100.0).map(|s| s.incidence), Some(0.375));
    }

    /// With one kind, the incidence is one minus Kaplan–Meier.
    #[test]
    fn one_kind_is_one_minus_kaplan_meier() {
        let times = [0.5, 1.0, 1.0, 2.0, 3.5, 4.0, 4.0, 7.0, 8.0, 9.5];
        let events = [
            true, true, false, true, false, true, true, false, true, false,
        ];
        let km = survival::kaplan_meier(&times, &events);
        let obs: Vec<_> = times
            .iter()
            .zip(&events)
            .map(|(&t, &e)| (t, e.then_some(0)))
            .collect();
        let f = aalen_johansen(obs.into_iter(), times.len(), 1);
        assert_eq!(f[0].steps.len(), km.steps.len());
        for (a, b) in f[0].steps.iter().zip(&km.steps) {
            assert!((a.incidence - (1.0 - b.survival)).abs() < 1e-14);
            assert_eq!((a.at_risk, a.events), (b.at_risk, b.events));
        }
    }

    #[test]
    fn the_kinds_and_survival_sum_to_one() {
        let obs = sorted(
            (0..200)
                .map(|i| {
                    let t = ((i * 37) % 101) as f64;
                    (t, [None, Some(0), Some(1), Some(2)][(i * 7) % 4])
                })
                .collect(),
        );
        let f = aalen_johansen(obs.iter().copied(), obs.len(), 3);
        let km = survival::from_sorted(obs.iter().map(|&(t, k)| (t, k.is_some())), obs.len());
        let last = km.steps.last().unwrap();
        let total: f64 = f.iter().map(|f| f.at(last.time).unwrap().incidence).sum();
        assert!((total + last.survival - 1.0).abs() < 1e-12);
    }
}
