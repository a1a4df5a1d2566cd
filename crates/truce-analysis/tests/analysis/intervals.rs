//! Interval estimates against published values.

use crate::assert_close;
use truce_analysis::stats::{mean_interval, newcombe_difference, wilson};

/// Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
/// seven methods", Statistics in Medicine 17, 857–872, table I, method 3 (Wilson score without
/// continuity correction), to the four decimals printed.
#[test]
fn wilson_intervals_match_newcombe_1998() {
    for (hits, n, lower, upper) in [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 10, 0.0, 0.2775),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ] {
        let w = wilson(hits, n).unwrap();
        assert_close(w.lower, lower, 5e-5);
        assert_close(w.upper, upper, 5e-5);
        assert_close(w.estimate, hits as f64 / n as f64, 1e-15);
    }
    assert_eq!(wilson(0, 0), None);
}

/// Newcombe (1998), "Interval estimation for the difference between independent proportions:
/// comparison of eleven methods", Statistics in Medicine 17, 873–890, table II, method 10
/// (hybrid score interval).
#[test]
fn differences_match_newcombe_1998_method_10() {
    for (a, n1, b, n2, lower, upper) in [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
    ] {
        let d = newcombe_difference(a, n1, b, n2).unwrap();
        assert_close(d.lower, lower, 5e-5);
        assert_close(d.upper, upper, 5e-5);
    }
}

/// The t interval of the mean of 2, 4, 4, 4, 5, 5, 7, 9: mean 5, s = √(32/7) = 2.13809,
/// t(0.975, 7) = 2.364624, half-width 2.364624 × 2.13809 / √8 = 1.787488.
#[test]
fn mean_intervals_use_student_t() {
    let i = mean_interval(8, 5.0, (32.0f64 / 7.0).sqrt()).unwrap();
    assert_close(i.lower, 5.0 - 1.787_488, 1e-5);
    assert_close(i.upper, 5.0 + 1.787_488, 1e-5);
    assert_eq!(mean_interval(1, 5.0, f64::NAN), None);
}
