//! Simulation time: whole minutes since the ceasefire took effect.

/// A point in simulated time or a duration, in whole minutes.
pub type Minutes = u64;

pub const MINUTES_PER_HOUR: f64 = 60.0;
pub const MINUTES_PER_DAY: f64 = 1440.0;

/// Rounds a non-negative duration in minutes to the nearest minute, at least 1 when it was positive (docs/model.md section 2).
pub fn round_minutes(m: f64) -> Minutes {
    if m.is_nan() || m <= 0.0 {
        return 0;
    }
    (m.round() as Minutes).max(1)
}

/// A duration in hours, rounded to minutes.
pub fn hours(h: f64) -> Minutes {
    round_minutes(h * MINUTES_PER_HOUR)
}

/// A duration in days, rounded to minutes.
pub fn days(d: f64) -> Minutes {
    round_minutes(d * MINUTES_PER_DAY)
}

/// A time in days, as recorded.
pub fn to_days(t: Minutes) -> f64 {
    t as f64 / MINUTES_PER_DAY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_positive_durations_at_least_one_minute() {
        assert_eq!(round_minutes(0.2), 1);
        assert_eq!(round_minutes(0.0), 0);
        assert_eq!(round_minutes(-3.0), 0);
        assert_eq!(round_minutes(2.5), 3);
        assert_eq!(hours(48.0), 2880);
        assert_eq!(days(730.0), 1_051_200);
    }
}
