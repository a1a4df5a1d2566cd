//! Aalen–Johansen cumulative incidences against lifelines' `AalenJohansenFitter` on a small
//! competing-risks table (`tests/data/aalen_johansen.py` made the committed values), and the
//! causes of collapse read from a results folder.

use crate::assert_close;
use truce_analysis::incidence::aalen_johansen;

/// `(time, kind)` rows of a CSV file beside this test, header skipped.
fn rows(name: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn aalen_johansen_matches_lifelines() {
    let table: Vec<(f64, Option<usize>)> = rows("aalen_johansen_input.csv")
        .iter()
        .map(|r| {
            let kind: usize = r[1].parse().unwrap();
            (r[0].parse().unwrap(), kind.checked_sub(1))
        })
        .collect();
    assert!(table.is_sorted_by(|a, b| a.0 <= b.0));
    let f = aalen_johansen(table.iter().copied(), table.len(), 3);
    let expected = rows("aalen_johansen_lifelines.csv");
    assert_eq!(expected.len(), 3 * 27);
    let mut bands = 0;
    for r in &expected {
        let kind: usize = r[0].parse().unwrap();
        let time: f64 = r[1].parse().unwrap();
        let step = f[kind - 1].at(time).unwrap();
        assert_close(step.incidence, r[2].parse().unwrap(), 1e-12);
        if !r[4].is_empty() {
            assert_close(step.lower.unwrap(), r[4].parse().unwrap(), 1e-9);
            assert_close(step.upper.unwrap(), r[5].parse().unwrap(), 1e-9);
            bands += 1;
        }
    }
    assert!(bands > 60, "{bands} bands compared");
    // 6 offensives, 5 clashes, 6 settlements.
    let events: Vec<u64> = f.iter().map(|f| f.events).collect();
    assert_eq!(events, [6, 5, 6]);
}
