//! The summary printed after a run: the headline probabilities with 95% Wilson intervals,
//! the timing of first violations, and why ceasefires collapsed.

use std::fmt::Write;
use std::path::Path;
use truce_sim::stats::{Z95, wilson_interval};
use truce_sim::{CollapseCause, Record};

/// What the summary needs besides the records.
#[derive(Debug)]
pub struct RunInfo<'a> {
    pub scenario: &'a str,
    pub base_seed: u64,
    pub folder: &'a Path,
}

/// The summary text of a run.
pub fn render(info: &RunInfo<'_>, records: &[Record]) -> String {
    let n = records.len() as u64;
    let count = |f: fn(&Record) -> bool| records.iter().filter(|r| f(r)).count() as u64;
    let violated = count(|r| r.violated);
    let collapsed = count(|r| r.collapsed);
    let at_war = count(|r| r.coalition_at_war);
    let settled = count(|r| r.settled);

    let mut s = String::new();
    let _ = writeln!(s, "scenario      {}", info.scenario);
    let _ = writeln!(s, "replications  {n}");
    let _ = writeln!(s, "seed          {}", info.base_seed);
    let _ = writeln!(s, "output        {}", info.folder.display());
    let _ = writeln!(s);
    let _ = writeln!(s, "                        estimate   95% Wilson interval");
    let _ = writeln!(
        s,
        "{}",
        probability_line("P(serious violation)", violated, n)
    );
    let _ = writeln!(s, "{}", probability_line("P(collapse)", collapsed, n));
    let _ = writeln!(s, "{}", probability_line("P(settled)", settled, n));
    let _ = writeln!(s);

    let mut days: Vec<f64> = records
        .iter()
        .filter(|r| r.violated)
        .filter_map(|r| r.first_violation_day)
        .collect();
    match median(&mut days) {
        Some(m) => {
            let _ = writeln!(
                s,
                "first serious violation: median day {m:.1} among the {} runs that violated \
                 (`truce analyze` gives the Kaplan–Meier median over all runs)",
                days.len()
            );
        }
        None => {
            let _ = writeln!(s, "first serious violation: no run violated");
        }
    }

    let _ = writeln!(s, "collapse causes ({collapsed} collapses):");
    for cause in CollapseCause::ALL {
        let k = records
            .iter()
            .filter(|r| r.collapse_cause == Some(cause))
            .count() as u64;
        let _ = writeln!(s, "  {:<14}{k:>8}  {}", cause.name(), share(k, collapsed));
    }
    let _ = writeln!(
        s,
        "coalition went to war: {} of runs ({at_war} of {n})",
        share(at_war, n)
    );
    s
}

/// `label  0.312   [0.284, 0.341]  (312 of 1000)`.
fn probability_line(label: &str, k: u64, n: u64) -> String {
    match wilson_interval(k, n, Z95) {
        Some((lo, hi)) => format!(
            "{label:<24}{:<11.3}[{lo:.3}, {hi:.3}]  ({k} of {n})",
            k as f64 / n as f64
        ),
        None => format!("{label:<24}no runs"),
    }
}

/// A percentage with one decimal, or a dash when there is nothing to share.
fn share(k: u64, of: u64) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * k as f64 / of as f64)
    }
}

/// The median (the mean of the two middle values for an even count); sorts `values`.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 81 of 263, the first worked example of Newcombe (1998), "Two-sided confidence intervals for
    /// the single proportion", Statistics in Medicine 17: the 95% Wilson interval is (0.2553, 0.3662).
    #[test]
    fn wilson_matches_the_published_interval() {
        let (lo, hi) = wilson_interval(81, 263, Z95).unwrap();
        assert!((lo - 0.2553).abs() < 5e-5, "{lo}");
        assert!((hi - 0.3662).abs() < 5e-5, "{hi}");
    }

    #[test]
    fn wilson_at_the_edges_stays_in_the_unit_interval() {
        let (lo, hi) = wilson_interval(0, 10, Z95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 1e-4, "{hi}");
        let (lo, hi) = wilson_interval(10, 10, Z95).unwrap();
        assert!((lo - 0.7225).abs() < 1e-4, "{lo}");
        assert_eq!(hi, 1.0);
        assert_eq!(wilson_interval(0, 0, Z95), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn the_summary_counts_what_it_says() {
        let violated = |day: f64| Record {
            violated: true,
            first_violation_day: Some(day),
            ..Record::default()
        };
        let collapsed = Record {
            collapsed: true,
            collapse_cause: Some(CollapseCause::Clash),
            coalition_at_war: true,
            ..violated(10.0)
        };
        let records = vec![Record::default(), violated(4.0), collapsed, violated(20.0)];
        let text = render(
            &RunInfo {
                scenario: "test",
                base_seed: 7,
                folder: Path::new("results/test/x"),
            },
            &records,
        );
        assert!(text.contains("P(serious violation)    0.750"), "{text}");
        assert!(text.contains("P(collapse)             0.250"), "{text}");
        assert!(
            text.contains("median day 10.0 among the 3 runs that violated"),
            "{text}"
        );
        assert!(text.contains("  clash                1  100.0%"), "{text}");
        assert!(text.contains("  offensive            0  0.0%"), "{text}");
        assert!(
            text.contains("coalition went to war: 25.0% of runs (1 of 4)"),
            "{text}"
        );
        assert!(text.contains("output        results/test/x"), "{text}");
    }
}
