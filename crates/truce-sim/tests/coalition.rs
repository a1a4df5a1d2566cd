//! The coalition of docs/model.md sections 15 to 17: national contingents and their tripwires, the
//! backstop, provocation. Seeds are fixed; the statistical assertion allows two Monte Carlo
//! standard errors of a paired difference whose size is many of them.

use truce_sim::config::{AirCoverLevel, ContingentConfig, PerSector, ScenarioConfig};
use truce_sim::{Record, Scenario, run_replications, trace_replication, validate};

fn build(config: ScenarioConfig) -> Scenario {
    Scenario::from_config(config).unwrap_or_else(|e| panic!("{}", e.report("test config")))
}

fn run(sc: &Scenario, n: usize) -> Vec<Record> {
    run_replications(sc, sc.config.seed, 0, 0, n, &|| {})
}

fn bundled(name: &str) -> ScenarioConfig {
    let path = format!("{}/../../configs/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    validate::parse(&text).unwrap_or_else(|e| panic!("{}", e.report(&path)))
}

fn contingent(nation: &str) -> ContingentConfig {
    ContingentConfig {
        nation: nation.into(),
        ..ContingentConfig::default()
    }
}

/// A force of the given contingents, in place of the shorthand's.
fn with_contingents(mut c: ScenarioConfig, contingents: Vec<ContingentConfig>) -> ScenarioConfig {
    let r = &mut c.guarantors.reassurance;
    (r.troops_rear, r.troops, r.distance_km) = (None, None, None);
    (r.roe, r.power_per_kilotroop, r.p_tripwire) = (None, None, None);
    r.contingents = contingents;
    c
}

/// Section 15: the one contingent of the shorthand, written as a list of one with the same
/// values, gives the same records, in every bundled scenario with troops.
#[test]
fn a_list_of_one_contingent_gives_the_records_of_the_shorthand() {
    for name in [
        "baseline",
        "tripwire_on_the_line",
        "troops_in_half_the_line",
        "clear_commitment",
        "no_fly_zone",
    ] {
        let mut c = bundled(name);
        c.horizon_days = 365.0;
        let shorthand = build(c.clone());
        let one = c.guarantors.reassurance.contingents();
        let list = build(with_contingents(c, one));
        assert!(!list.shorthand);
        assert_eq!(run(&shorthand, 300), run(&list, 300), "{name}");
    }
}

/// Section 16 and 17 off: θ_U,hit unset and π = 0, written out, change nothing.
#[test]
fn the_backstop_unset_and_no_provocation_change_nothing() {
    let mut c = bundled("baseline");
    c.horizon_days = 365.0;
    let before = run(&build(c.clone()), 300);
    c.guarantors.reassurance.provocation = 0.0;
    c.guarantors.reassurance.solidarity = 1.0;
    c.guarantors.air_cover.theta_hit = None;
    assert_eq!(run(&build(c), 300), before);
}

/// Two contingents on the line of a 365-day baseline: `exposed` in the first two sectors at
/// distance 0; the second as given. War costs A little and it expects little of the tripwires
/// (prior mean 0.1), so that it grabs where the troops are.
fn two_nations(second: ContingentConfig) -> ScenarioConfig {
    let mut c = bundled("baseline");
    c.horizon_days = 365.0;
    c.aggressor.war_cost = 5.0;
    c.beliefs.tripwire_prior_mean = 0.1;
    let exposed = ContingentConfig {
        troops: PerSector::Each(vec![4.0, 4.0, 0.0, 0.0, 0.0, 0.0]),
        ..contingent("exposed")
    };
    with_contingents(c, vec![exposed, second])
}

/// Section 15: staged troops are exposed to nothing, so their government is never asked.
#[test]
fn a_staged_contingent_is_never_hit() {
    let staged = ContingentConfig {
        staged: 6.0,
        ..contingent("staged")
    };
    let records = run(&build(two_nations(staged)), 1_000);
    let asked = records.iter().filter(|r| r.nations[0].tripwire_triggered);
    assert!(asked.count() > 50, "the exposed contingent is hit");
    for r in &records {
        let s = r.nations[1];
        assert_eq!((s.r_casualties_harassment, s.r_casualties_serious), (0, 0));
        assert!(!s.tripwire_triggered && !s.tripwire_fired);
        let exposed = r.nations[0];
        assert_eq!(r.r_casualties_serious, exposed.r_casualties_serious);
        assert_eq!(r.r_casualties_harassment, exposed.r_casualties_harassment);
    }
}

/// Section 15: with two contingents and only one exposed (the other in a rear that no strike
/// or offensive reaches), only the exposed one's government is ever asked.
#[test]
fn only_the_exposed_nation_is_asked() {
    let rear = ContingentConfig {
        troops_rear: 8.0,
        ..contingent("rear")
    };
    let mut c = two_nations(rear);
    c.guarantors.reassurance.rear_exposure_strike = 0.0;
    c.guarantors.reassurance.rear_exposure_offensive = 0.0;
    let records = run(&build(c), 1_000);
    let asked = records
        .iter()
        .filter(|r| r.nations[0].tripwire_triggered)
        .count();
    assert!(asked > 50, "{asked} replications asked the exposed nation");
    for r in &records {
        assert!(!r.nations[1].tripwire_triggered);
        assert_eq!(r.tripwire_triggered, r.nations[0].tripwire_triggered);
        assert_eq!(r.tripwire_fired, r.nations[0].tripwire_fired);
    }
}

/// Section 15: with p_tripwire,n = 0 for every nation, no government fights, and A's belief
/// about each only falls: without decay (ρ = 1), a nation asked ends at α₀ / (α₀ + β₀ + 1), one
/// never asked at its prior; with the default decay, never above its prior.
#[test]
fn tripwires_that_never_fire_only_lower_the_beliefs() {
    for memory in [1.0, 0.995] {
        let second = ContingentConfig {
            troops: PerSector::Each(vec![0.0, 0.0, 2.0, 2.0, 0.0, 0.0]),
            tripwire_prior_mean: Some(0.6),
            p_tripwire: 0.0,
            ..contingent("second")
        };
        let mut c = two_nations(second);
        c.guarantors.reassurance.contingents[0].p_tripwire = 0.0;
        c.beliefs.memory = memory;
        let sc = build(c);
        let columns = sc.belief_columns();
        let at = |name: &str| columns.iter().position(|c| c == name).unwrap();
        let strength = sc.config.beliefs.tripwire_prior_strength;
        let mut asked = [0; 2];
        for r in run(&sc, 600) {
            assert!(!r.tripwire_fired && !r.coalition_at_war);
            for (n, (nation, prior)) in [("exposed", 0.1), ("second", 0.6)].iter().enumerate() {
                let mean = r.beliefs[at(&format!("belief_tripwire_{nation}"))].unwrap();
                let triggered = r.nations[n].tripwire_triggered;
                asked[n] += usize::from(triggered);
                if memory == 1.0 {
                    let alpha = prior * strength;
                    let expected = if triggered {
                        alpha / (strength + 1.0)
                    } else {
                        *prior
                    };
                    assert!((mean - expected).abs() < 1e-12, "{nation}: {mean}");
                } else {
                    assert!(mean <= prior + 1e-12, "{nation}: {mean} above {prior}");
                }
            }
        }
        assert!(asked[0] > 30 && asked[1] > 10, "asked {asked:?}");
    }
}

/// Section 16: a backstop with θ_U,hit = 1 and a short latency answers every detected
/// violation that hit R, harassment included, and its response executes.
#[test]
fn a_sure_backstop_answers_every_detected_violation_that_hit_r() {
    let mut c = bundled("tripwire_on_the_line");
    c.horizon_days = 120.0;
    let u = &mut c.guarantors.air_cover;
    u.level = AirCoverLevel::OnCall;
    u.theta_hit = Some(1.0);
    (u.auth_median_hours, u.exec_median_hours) = (0.05, 0.05);
    u.credibility_shock_rate_per_year = 0.0;
    c.guarantors.reassurance.p_tripwire = Some(0.0);
    c.collapse.spiral_threshold = u32::MAX;
    let sc = build(c);
    let (mut hits, mut harassment) = (0, 0);
    for rep in 0..40 {
        let (_, rows) = trace_replication(&sc, sc.config.seed, 0, rep);
        for (i, row) in rows.iter().enumerate() {
            let hit = row.event == "violation"
                && row.outcome.starts_with("detected")
                && !row.outcome.ends_with("; 0 R casualties");
            if !hit {
                continue;
            }
            hits += 1;
            harassment += usize::from(sc.classes[row.class.unwrap()].name == "harassment");
            let decision = rows[i..]
                .iter()
                .find(|r| r.event == "response_decision" && r.actor.name() == "air_cover")
                .expect("U decides");
            assert!(decision.outcome.starts_with("responds"), "{decision:?}");
            let executed = rows[i..]
                .iter()
                .any(|r| r.event == "response" && r.actor.name() == "air_cover");
            let ended = rows[i..].iter().any(|r| r.event == "collapse");
            assert!(executed || ended, "replication {rep}, {row:?}");
        }
    }
    assert!(
        hits > 20 && harassment > 0,
        "{hits} hits, {harassment} harassment"
    );
}

/// Section 17: provocation raises A's serious violations, monotonically in π, paired under
/// common random numbers (the same replications at every π).
#[test]
fn provocation_raises_serious_violations_monotonically() {
    let serious = |r: &Record, sc: &Scenario| -> f64 {
        sc.classes
            .iter()
            .zip(&r.classes)
            .filter(|(class, _)| class.kind.is_serious())
            .map(|(_, counts)| f64::from(counts.committed))
            .sum()
    };
    let n = 1_500;
    let mut previous: Option<Vec<f64>> = None;
    for pi in [0.0, 0.25, 0.5, 1.0] {
        let mut c = bundled("baseline");
        c.horizon_days = 365.0;
        c.guarantors.reassurance.provocation = pi;
        let sc = build(c);
        let counts: Vec<f64> = run(&sc, n).iter().map(|r| serious(r, &sc)).collect();
        if let Some(before) = &previous {
            let d: Vec<f64> = counts.iter().zip(before).map(|(a, b)| a - b).collect();
            let mean = d.iter().sum::<f64>() / n as f64;
            let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (var / n as f64).sqrt();
            assert!(
                mean > 2.0 * se,
                "π {pi}: paired difference {mean} (SE {se})"
            );
        }
        previous = Some(counts);
    }
}
