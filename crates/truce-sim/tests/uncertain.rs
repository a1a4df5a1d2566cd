//! Uncertain parameters (`[[uncertain]]`): the draws follow their distributions, common random
//! numbers give every point the same draws, and a categorical choice of the air-cover posture
//! gives the weighted mix of the fixed postures' outcomes. Tolerances are Monte Carlo standard
//! errors.

use truce_sim::{Record, Scenario, run_replications};

/// How many standard errors a comparison allows.
const Z: f64 = 4.0;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text).unwrap_or_else(|e| panic!("{}", e.report("test")))
}

fn run(sc: &Scenario, n: usize) -> Vec<Record> {
    run_replications(sc, sc.config.seed, 0, 0, n, &|| {})
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn variance(xs: &[f64]) -> f64 {
    let m = mean(xs);
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
}

/// A short, quiet world: the draws, not the ceasefire, are under test.
const SHORT: &str = "horizon_days = 5\n";

#[test]
fn draws_follow_their_distributions() {
    let sc = scenario(&format!(
        "{SHORT}
[[uncertain]]
key = \"aggressor.resolve_sigma\"
distribution = \"uniform\"
min = 0.2
max = 0.8

[[uncertain]]
key = \"aggressor.war_cost\"
distribution = \"log_uniform\"
min = 10.0
max = 1000.0

[[uncertain]]
key = \"guarantors.reassurance.p_tripwire\"
distribution = \"beta\"
mean = 0.3
strength = 8.0

[[uncertain]]
key = \"aggressor.power\"
distribution = \"lognormal\"
median = 100.0
sigma = 0.25

[[uncertain]]
key = \"guarantors.air_cover.level\"
distribution = \"categorical\"
values = [\"isr\", \"on_call\", \"no_fly_zone\"]
weights = [0.5, 0.3, 0.2]
"
    ));
    let n = 20_000;
    let records = run(&sc, n);
    let column = |i: usize| records.iter().map(|r| r.uncertain[i]).collect::<Vec<f64>>();
    let close = |label: &str, got: f64, want: f64, se: f64| {
        assert!(
            (got - want).abs() < Z * se,
            "{label}: {got} against {want} (se {se})"
        );
    };
    let nf = n as f64;
    // Uniform on [0.2, 0.8]: mean 0.5, variance 0.36/12.
    let u = column(0);
    let var_u: f64 = 0.36 / 12.0;
    close("uniform mean", mean(&u), 0.5, (var_u / nf).sqrt());
    assert!(u.iter().all(|x| (0.2..=0.8).contains(x)));
    // Log-uniform on [10, 1000]: its log is uniform on [ln 10, ln 1000].
    let l: Vec<f64> = column(1).iter().map(|x| x.ln()).collect();
    let (a, b) = (10f64.ln(), 1000f64.ln());
    close(
        "log-uniform log-mean",
        mean(&l),
        (a + b) / 2.0,
        ((b - a).powi(2) / 12.0 / nf).sqrt(),
    );
    // Beta with mean 0.3 and strength 8: variance m(1 − m)/(s + 1).
    let beta = column(2);
    let var_b = 0.3 * 0.7 / 9.0;
    close("beta mean", mean(&beta), 0.3, (var_b / nf).sqrt());
    // The sample variance's standard error, from the fourth moment, is below 2 var /√n here.
    close(
        "beta variance",
        variance(&beta),
        var_b,
        2.0 * var_b / nf.sqrt(),
    );
    // Lognormal: the log is normal with mean ln 100 and σ 0.25.
    let ln: Vec<f64> = column(3).iter().map(|x| x.ln()).collect();
    close(
        "lognormal log-mean",
        mean(&ln),
        100f64.ln(),
        0.25 / nf.sqrt(),
    );
    close(
        "lognormal log-sd",
        variance(&ln).sqrt(),
        0.25,
        0.25 / (2.0 * nf).sqrt(),
    );
    // Categorical shares.
    let cat = column(4);
    for (i, w) in [0.5, 0.3, 0.2].into_iter().enumerate() {
        let share = cat.iter().filter(|&&x| x == i as f64).count() as f64 / nf;
        close(
            &format!("category {i}"),
            share,
            w,
            (w * (1.0 - w) / nf).sqrt(),
        );
    }
    // The replication ran on the drawn values.
    let sc0 = sc.with_draws(truce_sim::seed::replication_seed(sc.config.seed, 0, 0));
    let (drawn, draws) = sc0.expect("uncertain parameters");
    assert_eq!(draws, records[0].uncertain);
    assert_eq!(drawn.config.aggressor.resolve_sigma, draws[0]);
    assert_eq!(drawn.config.aggressor.war_cost, draws[1]);
}

/// Under common random numbers replication r of every point faces the same draws, and a
/// replication reruns identically; without uncertain parameters nothing is drawn.
#[test]
fn every_point_sees_the_same_draws() {
    let uncertain = "
[[uncertain]]
key = \"guarantors.reassurance.p_tripwire\"
distribution = \"uniform\"
min = 0.0
max = 1.0
";
    let a = scenario(&format!("{SHORT}{uncertain}"));
    let b = scenario(&format!(
        "{SHORT}[guarantors.air_cover]\nlevel = \"none\"\n{uncertain}"
    ));
    let (ra, rb) = (run(&a, 200), run(&b, 200));
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.uncertain, y.uncertain);
        assert_eq!(x.uncertain.len(), 1);
    }
    assert_eq!(ra, run(&a, 200));
    assert!(
        run(&scenario(SHORT), 5)
            .iter()
            .all(|r| r.uncertain.is_empty())
    );
}

/// P(collapse) with the air-cover posture drawn from {isr 0.4, on_call 0.4, no_fly_zone 0.2}
/// equals the weighted mix of the three fixed postures' P(collapse), within Monte Carlo error
/// (the standard error of the difference taken as if the runs were independent: common random
/// numbers only make it smaller).
#[test]
fn a_categorical_posture_gives_the_weighted_mix_of_fixed_postures() {
    let n = 3000;
    let collapse = |records: &[Record]| {
        records.iter().filter(|r| r.collapsed).count() as f64 / records.len() as f64
    };
    let mixed = run(
        &scenario(
            "[[uncertain]]
key = \"guarantors.air_cover.level\"
distribution = \"categorical\"
values = [\"isr\", \"on_call\", \"no_fly_zone\"]
weights = [0.4, 0.4, 0.2]
",
        ),
        n,
    );
    let p_mix = collapse(&mixed);
    let mut p_weighted = 0.0;
    let mut var = p_mix * (1.0 - p_mix) / n as f64;
    for (level, w) in [("isr", 0.4), ("on_call", 0.4), ("no_fly_zone", 0.2)] {
        let p = collapse(&run(
            &scenario(&format!("[guarantors.air_cover]\nlevel = \"{level}\"\n")),
            n,
        ));
        p_weighted += w * p;
        var += w * w * p * (1.0 - p) / n as f64;
    }
    assert!(
        (p_mix - p_weighted).abs() < Z * var.sqrt(),
        "mixed {p_mix:.4} against weighted {p_weighted:.4} (se {:.4})",
        var.sqrt()
    );
}

/// Bad declarations are refused with the field that is wrong and what would be valid.
#[test]
fn bad_declarations_are_located() {
    let refused = |body: &str, key: &str, words: &str| {
        let text = format!("[[uncertain]]\n{body}");
        let report = match Scenario::from_toml_str(&text) {
            Ok(_) => panic!("accepted: {body}"),
            Err(e) => e.report("f.toml"),
        };
        assert!(
            report.contains(key) && report.contains(words),
            "{body}\n=> {report}"
        );
    };
    refused(
        "key = \"guarantors.air_cover.level\"\ndistribution = \"categorical\"\nvalues = [\"isr\", \"on_call\"]\nweights = [0.5, 0.6]",
        "uncertain[0].weights",
        "must sum to 1",
    );
    refused(
        "key = \"aggressor.resolv_sigma\"\ndistribution = \"uniform\"\nmin = 0.1\nmax = 0.9",
        "uncertain[0].key",
        "did you mean aggressor.resolve_sigma",
    );
    refused(
        "key = \"aggressor.resolve_sigma\"\ndistribution = \"uniform\"\nmin = 0.9\nmax = 0.1",
        "uncertain[0].max",
        "must be above min",
    );
    refused(
        "key = \"guarantors.reassurance.p_tripwire\"\ndistribution = \"lognormal\"\nmedian = 0.5\nsigma = 0.3",
        "uncertain[0].distribution",
        "must be a probability",
    );
    refused(
        "key = \"geography.sectors\"\ndistribution = \"uniform\"\nmin = 2\nmax = 8",
        "uncertain[0].distribution",
        "whole numbers",
    );
    refused(
        "key = \"aggressor.resolve_sigma\"\ndistribution = \"normal\"\nmin = 0.1\nmax = 0.9",
        "uncertain[0].distribution",
        "unknown distribution",
    );
    refused(
        "key = \"aggressor.resolve_sigma\"\ndistribution = \"beta\"\nmean = 0.5\nstrength = 2\nmin = 0.1",
        "uncertain[0].min",
        "not a parameter of a beta",
    );
    // Two keys tied by a rule: a salvo's p90 must stay above its median for every draw.
    let text = "[[uncertain]]\nkey = \"strike.salvo_median\"\ndistribution = \"uniform\"\nmin = 50.0\nmax = 300.0\n\
                [[uncertain]]\nkey = \"strike.salvo_p90\"\ndistribution = \"uniform\"\nmin = 200.0\nmax = 400.0\n";
    let report = Scenario::from_toml_str(text).unwrap_err().report("f.toml");
    assert!(report.contains("can draw together"), "{report}");
}
