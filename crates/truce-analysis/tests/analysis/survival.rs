//! Kaplan–Meier and Greenwood against a hand computation; survival of an external table.

use crate::{assert_close, write_csv};
use polars::prelude::*;
use truce_analysis::survival::kaplan_meier;
use truce_analysis::{TableSpec, analyze_table_survival};

/// Six subjects: events at 1, 3, 3 and 5; censored at 2 and 4 (given out of order).
///
/// By hand, with z = 1.959964 and σ² the Greenwood sum Σ d / (n (n − d)):
///
/// | t | n at risk | d | S(t)                    | σ²                         | Var S = S² σ² |
/// |---|-----------|---|-------------------------|----------------------------|---------------|
/// | 1 | 6         | 1 | 5/6 = 0.833333          | 1/(6·5) = 0.033333         | 0.023148      |
/// | 3 | 4         | 2 | 5/6 · 2/4 = 0.416667    | 0.033333 + 2/(4·2) = 0.283333 | 0.049190   |
/// | 5 | 1         | 1 | 0                       | infinite                   | undefined     |
///
/// (The subject censored at 2 leaves the risk set before t = 3, the one censored at 4 before 5.)
///
/// Log-log band: se = σ / |ln S|, bounds S^exp(±z se).
/// - t = 1: ln S = −0.182322, se = 0.182574 / 0.182322 = 1.001386, exp(z se) = 7.118377,
///   exp(−z se) = 0.140481: lower = 0.833333^7.118377 = 0.273123, upper = 0.833333^0.140481 = 0.974712.
/// - t = 3: ln S = −0.875469, se = 0.532291 / 0.875469 = 0.608006, exp(z se) = 3.292578,
///   exp(−z se) = 0.303713: lower = 0.416667^3.292578 = 0.055992, upper = 0.416667^0.303713 = 0.766522.
/// - t = 5: S = 0, no band.
///
/// Median: S first falls to 0.5 or below at t = 3; the lower band does at t = 1 (0.273), the upper
/// band never does before S = 0 at t = 5, so the interval is [1, 5].
#[test]
fn kaplan_meier_and_greenwood_match_the_hand_computation() {
    let times = [3.0, 1.0, 4.0, 2.0, 5.0, 3.0];
    let events = [true, true, false, false, true, true];
    let c = kaplan_meier(&times, &events);
    assert_eq!(c.n, 6);
    assert_eq!(c.events, 4);
    assert_eq!(c.steps.len(), 3);
    let expected = [
        (1.0, 6, 1, 5.0 / 6.0, Some(0.273_123), Some(0.974_712)),
        (3.0, 4, 2, 5.0 / 12.0, Some(0.055_992), Some(0.766_522)),
        (5.0, 1, 1, 0.0, None, None),
    ];
    for (step, (t, n, d, s, lower, upper)) in c.steps.iter().zip(expected) {
        assert_eq!(step.time, t);
        assert_eq!(step.at_risk, n);
        assert_eq!(step.events, d);
        assert_close(step.survival, s, 1e-12);
        match (step.lower, lower) {
            (Some(a), Some(b)) => assert_close(a, b, 1e-6),
            (a, b) => assert_eq!(a, b),
        }
        match (step.upper, upper) {
            (Some(a), Some(b)) => assert_close(a, b, 1e-6),
            (a, b) => assert_eq!(a, b),
        }
    }
    let greenwood_variance_at_3 = (5.0f64 / 12.0).powi(2) * (1.0 / 30.0 + 2.0 / 8.0);
    assert_close(greenwood_variance_at_3, 0.049_190, 1e-6);
    let m = c.median();
    assert_eq!(
        (m.estimate, m.lower, m.upper),
        (Some(3.0), Some(1.0), Some(5.0))
    );
    assert_eq!(c.at(0.5).unwrap().survival, 1.0);
    assert_close(c.at(2.5).unwrap().survival, 5.0 / 6.0, 1e-12);
    assert_eq!(c.at(5.0).unwrap().survival, 0.0);
    assert_eq!(
        c.at(5.5).unwrap().survival,
        0.0,
        "0 stays 0 beyond the data"
    );
    let censored_last = kaplan_meier(&[1.0, 2.0], &[true, false]);
    assert_eq!(
        censored_last.at(2.5),
        None,
        "unknown beyond the last observation"
    );
}

/// A subject censored at an event time is still at risk at that time.
#[test]
fn censoring_at_an_event_time_counts_in_the_risk_set() {
    let c = kaplan_meier(&[2.0, 2.0, 3.0], &[true, false, true]);
    assert_eq!(c.steps[0].at_risk, 3);
    assert_close(c.steps[0].survival, 2.0 / 3.0, 1e-12);
    assert_eq!(c.steps[1].at_risk, 1);
}

/// The Fortna ceasefires: counts per group, years scaled to days, and the curve falls.
#[test]
fn survival_of_the_fortna_table_by_peacekeepers() {
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/fortna_civil_ceasefires.csv"
    );
    let spec = TableSpec {
        time: "years".into(),
        event: "war_resumed".into(),
        by: Some("peacekeepers".into()),
        scale: 365.24,
    };
    let s = analyze_table_survival(data.as_ref(), &spec, &[365.0, 730.0], 0.0).unwrap();
    assert_eq!(s.dropped, 0);
    let counts: Vec<(u64, u64)> = s.curves.iter().map(|c| (c.km.n, c.km.events)).collect();
    assert_eq!(counts, [(62, 41), (34, 15)], "groups 0 then 1");
    for c in &s.curves {
        assert!(
            c.km.steps
                .windows(2)
                .all(|w| w[1].survival <= w[0].survival)
        );
        assert!(c.km.max_time > 365.24 * 7.0, "times are in days");
    }
    let with = s.curves[1].km.at(730.0).unwrap().survival;
    let without = s.curves[0].km.at(730.0).unwrap().survival;
    assert!(
        with > without,
        "peacekeeping ceasefires last longer in these data"
    );
    let outputs = s.outputs().unwrap();
    let table = outputs.get("survival_summary.csv").unwrap();
    assert_eq!(table.height(), 2);
    assert!(table.column("s_730_lower").is_ok());
}

/// A missing column is named, with the columns the table has.
#[test]
fn an_unknown_column_lists_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    let mut frame = df!("t" => [1.0, 2.0], "e" => [1, 0]).unwrap();
    write_csv(&path, &mut frame);
    let spec = TableSpec {
        time: "time".into(),
        event: "e".into(),
        by: None,
        scale: 1.0,
    };
    let err = analyze_table_survival(&path, &spec, &[1.0], 0.0).unwrap_err();
    assert!(err.is_input());
    let message = err.to_string();
    assert!(message.contains("no column `time`"), "{message}");
    assert!(message.contains("its columns: t, e"), "{message}");
}
