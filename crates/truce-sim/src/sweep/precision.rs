//! The precision rule: replicate a point until the 95% Wilson interval of a binary outcome is
//! narrow enough, between a least and a most number of replications.

use super::PrecisionConfig;
use crate::record::Record;
use crate::validate::{Problem, limits};

/// Binary outcomes a precision target can name.
pub const BINARY_OUTCOMES: [&str; 7] = [
    "violated",
    "collapsed",
    "settled",
    "tripwire_fired",
    "coalition_at_war",
    "direct_clash",
    "tripwire_triggered",
];

/// The value of a binary outcome of a record, by name.
pub fn binary_outcome(record: &Record, name: &str) -> Option<bool> {
    Some(match name {
        "violated" => record.violated,
        "collapsed" => record.collapsed,
        "settled" => record.settled,
        "tripwire_fired" => record.tripwire_fired,
        "coalition_at_war" => record.coalition_at_war,
        "direct_clash" => record.direct_clash,
        "tripwire_triggered" => record.tripwire_triggered,
        _ => return None,
    })
}

/// Tally of a binary outcome at one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub hits: u64,
    pub n: u64,
}

pub use crate::stats::wilson_half_width;

/// Whether a point with this tally needs more replications under a precision target.
pub fn needs_more(tally: Tally, precision: &PrecisionConfig) -> bool {
    tally.n < precision.min_replications
        || (tally.n < precision.max_replications
            && wilson_half_width(tally.hits, tally.n) > precision.half_width)
}

pub(super) fn check_precision(p: &PrecisionConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut bad = |key: &str, message: String| {
        problems.push(Problem {
            key: format!("sweep.precision.{key}"),
            message,
        })
    };
    if !BINARY_OUTCOMES.contains(&p.outcome.as_str()) {
        bad(
            "outcome",
            format!(
                "unknown outcome \"{}\"; valid outcomes are {}",
                p.outcome,
                BINARY_OUTCOMES.join(", ")
            ),
        );
    }
    if !(p.half_width > 0.0 && p.half_width < 0.5) {
        bad(
            "half_width",
            format!("must be in (0, 0.5) (got {})", p.half_width),
        );
    }
    if p.min_replications == 0 {
        bad("min_replications", "must be at least 1 (got 0)".into());
    }
    if p.max_replications > limits::REPLICATIONS {
        bad(
            "max_replications",
            format!(
                "must be at most {} (got {})",
                limits::REPLICATIONS,
                p.max_replications
            ),
        );
    }
    if p.max_replications < p.min_replications {
        bad(
            "max_replications",
            format!(
                "must be at least min_replications ({}) (got {})",
                p.min_replications, p.max_replications
            ),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_rule() {
        let p = PrecisionConfig {
            outcome: "collapsed".into(),
            half_width: 0.02,
            min_replications: 100,
            max_replications: 10_000,
        };
        assert!(needs_more(Tally { hits: 0, n: 50 }, &p));
        assert!(needs_more(Tally { hits: 500, n: 1000 }, &p));
        assert!(!needs_more(Tally { hits: 50, n: 2000 }, &p));
        assert!(!needs_more(
            Tally {
                hits: 5000,
                n: 10_000
            },
            &p
        ));
        assert!((wilson_half_width(81, 263) - (0.3662 - 0.2553) / 2.0).abs() < 1e-3);
    }
}
