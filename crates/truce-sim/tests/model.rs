//! The checks of docs/model.md section 13 that need whole replications, and reproducibility across threads.
//! Statistical assertions allow a fixed number of Monte Carlo standard errors; seeds are fixed.

use truce_sim::config::{AirCoverLevel, ClassConfig, Kind, Probing, ScenarioConfig};
use truce_sim::{Record, Scenario, run_replications, trace_replication};

/// How many standard errors a statistical assertion allows.
const Z: f64 = 4.0;

fn build(config: ScenarioConfig) -> Scenario {
    Scenario::from_config(config).unwrap_or_else(|e| panic!("{}", e.report("test config")))
}

fn run(sc: &Scenario, n: usize) -> Vec<Record> {
    run_replications(sc, sc.config.seed, 0, 0, n, &|| {})
}

/// A proportion's standard error at probability p.
fn se(p: f64, n: usize) -> f64 {
    (p * (1.0 - p) / n as f64).sqrt()
}

fn assert_proportion(label: &str, hits: usize, n: usize, p: f64) {
    let got = hits as f64 / n as f64;
    let tolerance = Z * se(p, n).max(1e-3);
    assert!(
        (got - p).abs() <= tolerance,
        "{label}: {got:.4} vs expected {p:.4} (tolerance {tolerance:.4}, n {n})"
    );
}

/// No guarantors, no negotiations, no spiral: only A's choices matter.
fn quiet_world() -> ScenarioConfig {
    let mut c = ScenarioConfig::default();
    c.guarantors.reassurance.troops_rear = Some(0.0);
    c.guarantors.air_cover.level = AirCoverLevel::None;
    c.negotiation.rate_per_month = 0.0;
    c.collapse.spiral_threshold = u32::MAX;
    c
}

fn class(name: &str, kind: Kind, gain: f64, cost: f64, p_detect: f64) -> ClassConfig {
    ClassConfig {
        name: name.into(),
        kind,
        gain,
        cost,
        p_detect,
        ambiguity: 0.5,
        casualty_rate: 0.0,
    }
}

/// With λ = 0, choices are uniform over comply and the classes, then over the sectors.
#[test]
fn zero_rationality_chooses_uniformly() {
    let mut c = quiet_world();
    c.aggressor.rationality = 0.0;
    c.horizon_days = 200.0;
    c.ladder = vec![
        class("harassment", Kind::Harassment, 0.05, 0.01, 0.6),
        class("shelling", Kind::Harassment, 0.2, 0.05, 0.8),
        class("land_grab", Kind::LandGrab, 2.0, 1.5, 0.98),
    ];
    let sc = build(c);
    let reps = 40;
    let mut by_class = [0usize; 3];
    let mut by_sector = vec![0usize; sc.sectors.len()];
    let mut epochs = 0;
    for rep in 0..reps {
        let (record, trace) = trace_replication(&sc, 11, 0, rep);
        assert!(!record.collapsed);
        epochs += 199; // decisions at days 1 to 199: the one at day 200 meets the horizon first
        for (i, counts) in record.classes.iter().enumerate() {
            by_class[i] += counts.committed as usize;
        }
        for row in trace.iter().filter(|r| r.event == "violation") {
            by_sector[row.sector.expect("these classes have sectors")] += 1;
        }
    }
    for (i, &hits) in by_class.iter().enumerate() {
        assert_proportion(&format!("class {i}"), hits, epochs, 0.25);
    }
    let violations: usize = by_class.iter().sum();
    for (s, &hits) in by_sector.iter().enumerate() {
        assert_proportion(&format!("sector {s}"), hits, violations, 1.0 / 6.0);
    }
}

/// With only harassment chosen with a fixed probability p at each daily epoch and no collapse,
/// the first violation day is geometric: P(no violation in n days) = (1 − p)^n.
#[test]
fn first_harassment_day_is_geometric() {
    let mut c = quiet_world();
    c.horizon_days = 40.0;
    c.aggressor.resolve_sigma = 0.0;
    // Undetectable harassment with gain 0 and cost ln 9: EU = −ln 9 at every epoch, so P = 1/10.
    c.ladder = vec![class("harassment", Kind::Harassment, 0.0, 9f64.ln(), 0.0)];
    let sc = build(c);
    let n = 4000;
    let records = run(&sc, n);
    for days in [1.0, 3.0, 10.0, 25.0] {
        let none_yet = records
            .iter()
            .filter(|r| r.first_harassment_day.is_none_or(|d| d > days))
            .count();
        assert_proportion(&format!("S({days})"), none_yet, n, 0.9f64.powf(days));
    }
}

/// With only the exogenous hazard on, survival matches exp(−HR (t/scale)^shape).
#[test]
fn exogenous_hazard_survival_matches_weibull() {
    for troops_rear in [0.0, 15.0] {
        let mut c = quiet_world();
        c.guarantors.reassurance.troops_rear = Some(troops_rear);
        c.collapse.exogenous = true;
        // A never acts: its only option costs far more than it could gain.
        c.ladder = vec![class("harassment", Kind::Harassment, 0.0, 1000.0, 0.0)];
        let sc = build(c.clone());
        let n = 4000;
        let records = run(&sc, n);
        let h = &c.collapse;
        let scale = 365.0 / (-h.hazard_survival_1y.ln()).powf(1.0 / h.hazard_shape);
        let hr = if troops_rear > 0.0 {
            h.hr_presence
        } else {
            1.0
        };
        for days in [30.0, 90.0, 180.0, 365.0, 730.0] {
            let alive = records
                .iter()
                .filter(|r| r.collapse_day.is_none_or(|d| d > days))
                .count();
            let expected = (-hr * (days / scale).powf(h.hazard_shape)).exp();
            assert_proportion(&format!("S({days}) with HR {hr}"), alive, n, expected);
        }
        assert!(records.iter().all(|r| r.classes[0].committed == 0));
    }
}

/// The same seed gives the same records whatever the number of threads, with each probing rule.
#[test]
fn records_do_not_depend_on_thread_count() {
    for probing in [Probing::Mean, Probing::Thompson] {
        let mut c = ScenarioConfig::default();
        c.aggressor.probing = probing;
        c.guarantors.air_cover.level = AirCoverLevel::NoFlyZone;
        c.collapse.exogenous = true;
        let sc = build(c);
        let with = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool")
                .install(|| run_replications(&sc, 99, 3, 10, 64, &|| {}))
        };
        let one = with(1);
        assert_eq!(one, with(2));
        assert_eq!(one, with(5));
        assert_eq!(one[0].replication, 10);
        assert_eq!(one[0].point, 3);
    }
}

/// A replication is a pure function of its indices: rerunning one, or tracing it, gives the same record.
#[test]
fn a_replication_reruns_identically_with_its_trace() {
    let sc = build(ScenarioConfig::default());
    let batch = run_replications(&sc, 5, 0, 0, 20, &|| {});
    for r in [0u64, 7, 19] {
        let (record, trace) = trace_replication(&sc, 5, 0, r);
        assert_eq!(record, batch[r as usize]);
        assert!(trace.windows(2).all(|w| w[0].time <= w[1].time));
        assert!(!trace.is_empty());
    }
}

/// Bookkeeping that must hold in every record.
#[test]
fn records_are_consistent() {
    for config in [ScenarioConfig::default(), quiet_world()] {
        let sc = build(config);
        for r in run(&sc, 300) {
            assert_eq!(r.collapsed, r.collapse_cause.is_some());
            assert_eq!(r.collapsed, r.collapse_day.is_some());
            assert!(!(r.collapsed && r.settled));
            assert!(r.end_day <= sc.config.horizon_days + 1e-9);
            if let Some(d) = r.collapse_day {
                assert!((d - r.end_day).abs() < 1e-9);
            }
            for c in &r.classes {
                assert!(c.attributed <= c.detected && c.detected <= c.committed);
            }
            assert_eq!(r.violated, r.first_violation_day.is_some());
            assert!(r.grabs_succeeded + r.grabs_failed <= r.classes[2].committed);
            // Every belief column has its entry, but the backstop's without a belief about it.
            let backstop = usize::from(sc.u_declared_hit.is_none());
            assert_eq!(r.beliefs.len() + backstop, sc.belief_columns().len());
            assert!(r.tripwire_fired <= r.tripwire_triggered);
        }
    }
}

/// Per-sector counts add up to the record's totals: land grabs committed (per class) and
/// succeeded, and committed = succeeded + failed + pending; R casualties of the sectors are at
/// most the total (strikes and an offensive's rear are in no sector).
#[test]
fn per_sector_counts_add_up_to_the_totals() {
    for name in [
        "baseline",
        "troops_in_half_the_line",
        "tripwire_on_the_line",
    ] {
        let path = format!("{}/../../configs/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let sc = Scenario::from_toml_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let grab_classes: Vec<usize> = (0..sc.classes.len())
            .filter(|&c| sc.classes[c].kind == Kind::LandGrab)
            .collect();
        let mut pending = 0;
        for r in run(&sc, 400) {
            assert_eq!(r.sectors.len(), sc.sectors.len());
            let committed: u32 = grab_classes.iter().map(|&c| r.classes[c].committed).sum();
            let by_sector: u32 = r.sectors.iter().map(|s| s.grabs_committed).sum();
            assert_eq!(by_sector, committed, "{name}");
            let succeeded: u32 = r.sectors.iter().map(|s| s.grabs_succeeded).sum();
            assert_eq!(succeeded, r.grabs_succeeded, "{name}");
            assert_eq!(
                r.grabs_succeeded + r.grabs_failed + r.grabs_pending,
                committed
            );
            let casualties: u64 = r.sectors.iter().map(|s| s.r_casualties).sum();
            assert!(casualties <= r.r_casualties_harassment + r.r_casualties_serious);
            pending += r.grabs_pending;
        }
        assert!(pending > 0 || name != "troops_in_half_the_line", "{name}");
    }
}
