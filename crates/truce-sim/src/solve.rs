//! Questions in reverse: the value of one parameter at which a binary outcome's probability crosses
//! a target (`truce solve`), found by sample-average approximation under common random numbers.
//!
//! The method. Under common random numbers, replication r faces the same random streams at every
//! value x of the parameter, so the estimated curve p̂_n(x) (the share of replications 0..n with the
//! outcome) is one deterministic, nearly smooth function of x for a fixed n. Its crossing of the
//! target is found by bisection on that fixed sample: the sample-average approximation of a
//! stochastic root (Robinson 1996, "Analysis of sample-path optimization", *Mathematics of
//! Operations Research* 21; Shapiro, Dentcheva and Ruszczyński 2009, *Lectures on Stochastic
//! Programming*, ch. 5). Its 95% interval inverts the pointwise Wilson test (Casella and Berger
//! 2002, section 9.2): it holds every x at which the Wilson interval of p̂_n(x) contains the target,
//! so it covers the true root whenever the interval at the true root covers the target. The two
//! ends of the interval are found by bisection too. While the interval is wider than the precision
//! asked for, n doubles (up to a budget), reusing every replication already run.
//!
//! The finder assumes that the probability is monotone in the parameter on `[min, max]`. The target
//! reads "at most `target`": the root is the boundary of the values that meet it. When both ends
//! meet it, or neither does, there is no crossing in the range, and the result says so with the
//! estimates at both ends instead of a root.
//!
//! The finder itself runs nothing: it asks an evaluator for the outcome count of replications
//! `first..first + count` at a value, always in blocks `[0, n₀)`, `[n₀, 2n₀)`, `[2n₀, 4n₀)`, … so
//! that an interrupted solve can answer from the blocks it wrote and resume to the same result.

use crate::record::Record;
use crate::stats::wilson;
use crate::sweep::{BINARY_OUTCOMES, ParameterConfig, binary_outcome};
use crate::validate::Problem;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// The `[solve]` table of a solve file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveConfig {
    /// A base scenario file, relative to the solve file; the solve file's own scenario keys override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The dotted key path of the numeric parameter to solve for.
    pub key: String,
    pub min: f64,
    pub max: f64,
    /// A binary outcome of the record (`collapsed`, `violated`, …).
    pub outcome: String,
    /// Count the outcome only if it happened by this day (outcomes with a day: `collapsed`,
    /// `violated`, `settled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<f64>,
    /// The probability to reach: the root is where P(outcome) crosses it.
    pub target: f64,
    /// Stop once the 95% interval of the root is at most this wide on each side (in the key's units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_width: Option<f64>,
    /// Bisection stops when the bracket is this narrow [default: a quarter of `half_width`, or
    /// 1/1024 of the range; at least 1 for an integer key].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Replications per value at the first round.
    #[serde(default = "default_initial")]
    pub initial_replications: u64,
    /// The budget: at most this many replications at any value tried.
    #[serde(default = "default_max")]
    pub max_replications: u64,
    /// Parameters to solve at every combination of (a grid, as in sweeps): the frontier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub over: Vec<ParameterConfig>,
}

fn default_initial() -> u64 {
    250
}

fn default_max() -> u64 {
    16_000
}

/// Outcomes whose day is recorded, so that `within_days` can apply.
pub const DATED_OUTCOMES: [&str; 3] = ["collapsed", "violated", "settled"];

impl SolveConfig {
    /// Every problem of the table on its own (the keys are checked against the scenario elsewhere).
    pub fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut bad = |key: &str, message: String| {
            problems.push(Problem {
                key: format!("solve.{key}"),
                message,
            })
        };
        if !self.min.is_finite() || !self.max.is_finite() || self.min >= self.max {
            bad(
                "min",
                format!(
                    "must be finite and below solve.max (got min {} and max {})",
                    self.min, self.max
                ),
            );
        }
        if !BINARY_OUTCOMES.contains(&self.outcome.as_str()) {
            bad(
                "outcome",
                format!(
                    "`{}` is not a binary outcome of the record: use one of {}",
                    self.outcome,
                    BINARY_OUTCOMES.join(", ")
                ),
            );
        }
        if let Some(days) = self.within_days {
            if !(days.is_finite() && days > 0.0) {
                bad("within_days", format!("must be > 0 (got {days})"));
            } else if !DATED_OUTCOMES.contains(&self.outcome.as_str()) {
                bad(
                    "within_days",
                    format!(
                        "`{}` has no recorded day; within_days applies to {} (or shorten horizon_days instead)",
                        self.outcome,
                        DATED_OUTCOMES.join(", ")
                    ),
                );
            }
        }
        if !(self.target > 0.0 && self.target < 1.0) {
            bad(
                "target",
                format!(
                    "must be a probability strictly between 0 and 1 (got {})",
                    self.target
                ),
            );
        }
        if let Some(h) = self.half_width
            && !(h.is_finite() && h > 0.0)
        {
            bad("half_width", format!("must be > 0 (got {h})"));
        }
        if let Some(t) = self.tolerance
            && !(t.is_finite() && t > 0.0)
        {
            bad("tolerance", format!("must be > 0 (got {t})"));
        }
        if self.initial_replications < 10 {
            bad(
                "initial_replications",
                format!("must be at least 10 (got {})", self.initial_replications),
            );
        }
        if self.max_replications < self.initial_replications {
            bad(
                "max_replications",
                format!(
                    "must be at least initial_replications ({}) (got {})",
                    self.initial_replications, self.max_replications
                ),
            );
        }
        problems
    }

    /// The bisection tolerance, for a key that is `integer` or not.
    pub fn tolerance(&self, integer: bool) -> f64 {
        let t = self
            .tolerance
            .or(self.half_width.map(|h| h / 4.0))
            .unwrap_or((self.max - self.min) / 1024.0);
        if integer { t.max(1.0) } else { t }
    }

    /// The finder of this table.
    pub fn finder(&self, integer: bool) -> Finder {
        Finder {
            min: self.min,
            max: self.max,
            target: self.target,
            tolerance: self.tolerance(integer),
            integer,
            half_width: self.half_width,
            initial: self.initial_replications,
            max_replications: self.max_replications,
        }
    }
}

/// Whether `record` has the outcome, counted by day `within_days` when given.
pub fn hit(record: &Record, outcome: &str, within_days: Option<f64>) -> bool {
    let happened = binary_outcome(record, outcome).unwrap_or(false);
    let Some(limit) = within_days else {
        return happened;
    };
    let day = match outcome {
        "collapsed" => record.collapse_day,
        "violated" => record.first_violation_day,
        "settled" => record.settled_day,
        _ => None,
    };
    happened && day.is_some_and(|d| d <= limit)
}

/// The root finder's settings (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct Finder {
    pub min: f64,
    pub max: f64,
    pub target: f64,
    pub tolerance: f64,
    /// Only integer values are tried.
    pub integer: bool,
    pub half_width: Option<f64>,
    pub initial: u64,
    pub max_replications: u64,
}

/// An estimate of the probability at one value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub x: f64,
    pub replications: u64,
    pub hits: u64,
    pub p: f64,
    /// 95% Wilson interval.
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    fn new(x: f64, hits: u64, n: u64) -> Self {
        let (low, high) = wilson(hits, n);
        Estimate {
            x,
            replications: n,
            hits,
            p: hits as f64 / n as f64,
            low,
            high,
        }
    }
}

/// What the finder concluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Conclusion {
    /// The probability crosses the target inside the range.
    Root {
        root: f64,
        /// 95% interval of the root.
        low: f64,
        high: f64,
        /// The interval reaches `min` or `max`: it is cut there, and may extend beyond.
        low_at_bound: bool,
        high_at_bound: bool,
        /// The estimate at the root.
        at_root: Estimate,
    },
    /// The target is met at both ends: the boundary lies outside the range.
    MetEverywhere,
    /// The target is met at neither end.
    NotReached,
}

/// The result of one root search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    #[serde(flatten)]
    pub conclusion: Conclusion,
    pub at_min: Estimate,
    pub at_max: Estimate,
    /// Whether the probability falls as the parameter grows (judged from the two ends).
    pub decreasing: bool,
    /// Replications at each value in the last round.
    pub final_replications: u64,
    /// Replications run in all, over every value tried.
    pub replications_used: u64,
    /// Whether the precision asked for was met (always true without `half_width` once the budget
    /// is spent; false when the budget ran out first).
    pub precision_met: bool,
    /// Every value tried, with its estimate from all the replications run there, by value.
    pub curve: Vec<Estimate>,
}

/// Outcome counts per value: (replications run, hits), keyed by the value's bits.
#[derive(Debug, Default)]
struct Cache(BTreeMap<u64, (f64, u64, u64)>);

impl Finder {
    /// Finds the root, asking `evaluate(x, replications)` for the number of replications with the
    /// outcome among `replications` at value x.
    pub fn solve<E>(
        &self,
        mut evaluate: impl FnMut(f64, Range<u64>) -> Result<u64, E>,
    ) -> Result<Solution, E> {
        let mut cache = Cache::default();
        let mut n = self.initial.min(self.max_replications);
        loop {
            let mut p = |x: f64| -> Result<Estimate, E> {
                let entry = cache.0.entry(x.to_bits()).or_insert((x, 0, 0));
                // Blocks double: [0, n0), [n0, 2 n0), [2 n0, 4 n0), …
                while entry.1 < n {
                    let next = if entry.1 == 0 {
                        self.initial.min(n)
                    } else {
                        (entry.1 * 2).min(n)
                    };
                    entry.2 += evaluate(x, entry.1..next)?;
                    entry.1 = next;
                }
                // n only grows, so every value holds exactly replications 0..n now.
                Ok(Estimate::new(x, entry.2, n))
            };
            let at_min = p(self.min)?;
            let at_max = p(self.max)?;
            let decreasing = at_min.p >= at_max.p;
            let meets = |e: &Estimate| e.p <= self.target;
            let conclusion = match (meets(&at_min), meets(&at_max)) {
                (true, true) => Some(Conclusion::MetEverywhere),
                (false, false) => Some(Conclusion::NotReached),
                _ => None,
            };
            let done_budget = n >= self.max_replications;
            let Some(conclusion) = (match conclusion {
                Some(c) => {
                    // Near the target, more replications may still bring a crossing.
                    let decided = [at_min, at_max]
                        .iter()
                        .all(|e| e.low > self.target || e.high <= self.target);
                    (decided || done_budget).then_some(c)
                }
                None => {
                    let target = self.target;
                    let root = if decreasing {
                        self.boundary(|x| Ok(p(x)?.p > target))?.1
                    } else {
                        self.boundary(|x| Ok(p(x)?.p <= target))?.0
                    };
                    let (low, low_at_bound, high, high_at_bound) = if decreasing {
                        let (low, low_at) = if p(self.min)?.low > target {
                            (self.boundary(|x| Ok(p(x)?.low > target))?.0, false)
                        } else {
                            (self.min, true)
                        };
                        let (high, high_at) = if p(self.max)?.high > target {
                            (self.max, true)
                        } else {
                            (self.boundary(|x| Ok(p(x)?.high > target))?.1, false)
                        };
                        (low, low_at, high, high_at)
                    } else {
                        let (low, low_at) = if p(self.min)?.high <= target {
                            (self.boundary(|x| Ok(p(x)?.high <= target))?.0, false)
                        } else {
                            (self.min, true)
                        };
                        let (high, high_at) = if p(self.max)?.low <= target {
                            (self.max, true)
                        } else {
                            (self.boundary(|x| Ok(p(x)?.low <= target))?.1, false)
                        };
                        (low, low_at, high, high_at)
                    };
                    let at_root = p(root)?;
                    (self.precise(low, high) || done_budget).then_some(Conclusion::Root {
                        root,
                        low,
                        high,
                        low_at_bound,
                        high_at_bound,
                        at_root,
                    })
                }
            }) else {
                n = (n * 2).min(self.max_replications);
                continue;
            };
            let precision_met = match conclusion {
                Conclusion::Root { low, high, .. } => {
                    self.half_width.is_none() || self.precise(low, high)
                }
                _ => true,
            };
            let mut curve: Vec<Estimate> = cache
                .0
                .values()
                .map(|&(x, reps, hits)| Estimate::new(x, hits, reps))
                .collect();
            curve.sort_by(|a, b| a.x.total_cmp(&b.x));
            return Ok(Solution {
                conclusion,
                at_min,
                at_max,
                decreasing,
                final_replications: n,
                replications_used: cache.0.values().map(|e| e.1).sum(),
                precision_met,
                curve,
            });
        }
    }

    /// Whether a root's interval [low, high] is as narrow as `half_width` asks (false without it).
    fn precise(&self, low: f64, high: f64) -> bool {
        self.half_width
            .is_some_and(|h| (high - low) / 2.0 <= h + 1e-12 * (self.max - self.min))
    }

    /// Bisection for the boundary of `inside`, which holds at `min` and fails at `max`: returns the
    /// last value found inside and the first found outside, at most `tolerance` apart.
    fn boundary<E>(&self, mut inside: impl FnMut(f64) -> Result<bool, E>) -> Result<(f64, f64), E> {
        let (mut a, mut b) = (self.min, self.max);
        while b - a > self.tolerance {
            let mid = if self.integer {
                ((a + b) / 2.0).floor()
            } else {
                a + (b - a) / 2.0
            };
            if mid <= a || mid >= b {
                break;
            }
            if inside(mid)? {
                a = mid;
            } else {
                b = mid;
            }
        }
        Ok((a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake model: replication r at value x has the outcome when u_r < p(x), u_r fixed per r
    /// (common random numbers), p decreasing and linear.
    fn linear(x: f64) -> f64 {
        (0.5 - 0.01 * x).clamp(0.0, 1.0)
    }

    fn uniform(r: u64) -> f64 {
        // A fixed, well-spread sequence in (0, 1): the golden-ratio sequence.
        ((r as f64 + 1.0) * 0.618_033_988_749_894_9).fract()
    }

    fn evaluate(curve: fn(f64) -> f64) -> impl FnMut(f64, Range<u64>) -> Result<u64, ()> {
        move |x, reps| Ok(reps.filter(|&r| uniform(r) < curve(x)).count() as u64)
    }

    fn finder() -> Finder {
        Finder {
            min: 0.0,
            max: 40.0,
            target: 0.2,
            tolerance: 0.05,
            integer: false,
            half_width: Some(1.0),
            initial: 250,
            max_replications: 64_000,
        }
    }

    #[test]
    fn finds_the_root_of_a_known_curve_with_an_interval_around_it() {
        let solution = finder().solve(evaluate(linear)).unwrap();
        let Conclusion::Root {
            root, low, high, ..
        } = solution.conclusion
        else {
            panic!("{solution:?}");
        };
        assert!((root - 30.0).abs() < 1.0, "{root}");
        assert!(low <= 30.0 && 30.0 <= high, "[{low}, {high}]");
        assert!((high - low) / 2.0 <= 1.0 + 1e-9);
        assert!(solution.precision_met);
        assert!(solution.decreasing);
    }

    #[test]
    fn increasing_curves_and_integer_keys() {
        let mut f = finder();
        f.integer = true;
        f.tolerance = 1.0;
        let solution = f.solve(evaluate(|x| 0.01 * x)).unwrap();
        let Conclusion::Root { root, .. } = solution.conclusion else {
            panic!("{solution:?}");
        };
        assert_eq!(root.fract(), 0.0);
        assert!((root - 20.0).abs() <= 1.0, "{root}");
        assert!(!solution.decreasing);
        assert!(solution.curve.iter().all(|e| e.x.fract() == 0.0));
    }

    #[test]
    fn a_target_outside_the_range_is_reported_not_solved() {
        let mut f = finder();
        f.target = 0.7;
        let solution = f.solve(evaluate(linear)).unwrap();
        assert_eq!(solution.conclusion, Conclusion::MetEverywhere);
        f.target = 0.05;
        f.max = 10.0;
        let solution = f.solve(evaluate(linear)).unwrap();
        assert_eq!(solution.conclusion, Conclusion::NotReached);
        assert!(solution.at_max.p > 0.05);
    }

    #[test]
    fn evaluations_come_in_doubling_blocks_and_stop_at_the_budget() {
        let mut f = finder();
        f.half_width = Some(1e-6);
        f.max_replications = 1000;
        let mut blocks = Vec::new();
        let mut inner = evaluate(linear);
        let solution = f
            .solve(|x, reps: Range<u64>| {
                blocks.push(reps.clone());
                inner(x, reps)
            })
            .unwrap();
        assert!(!solution.precision_met);
        assert_eq!(solution.final_replications, 1000);
        for b in &blocks {
            assert!(
                [0..250, 250..500, 500..1000].contains(b),
                "unexpected block {b:?}"
            );
        }
    }
}
