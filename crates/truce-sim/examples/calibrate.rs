//! Prints the figures behind the calibration targets of docs/model.md section 12 for scenario files
//! given on the command line: `cargo run --release -p truce-sim --example calibrate -- configs/*.toml`.

use truce_sim::{CollapseCause, Scenario, run_replications};

fn main() {
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("readable config");
        let sc = match Scenario::from_toml_str(&text) {
            Ok(sc) => sc,
            Err(e) => {
                eprintln!("{}", e.report(&path));
                continue;
            }
        };
        let start = std::time::Instant::now();
        let records = run_replications(&sc, sc.config.seed, 0, 0, reps, &|| {});
        let secs = start.elapsed().as_secs_f64();
        let n = records.len() as f64;
        let by = |d: f64| {
            records
                .iter()
                .filter(|r| r.collapse_day.is_some_and(|c| c <= d))
                .count() as f64
                / n
        };
        let collapses = records.iter().filter(|r| r.collapsed).count() as f64;
        let cause = |c: CollapseCause| {
            records
                .iter()
                .filter(|r| r.collapse_cause == Some(c))
                .count() as f64
                / collapses.max(1.0)
        };
        let mean = |f: &dyn Fn(&truce_sim::Record) -> f64| records.iter().map(f).sum::<f64>() / n;
        println!("{} ({reps} reps, {:.0} reps/s)", sc.name(), n / secs);
        // Daily hazard over (a, b]: −ln(S(b)/S(a))/(b − a), S the share not collapsed (target 11).
        let hazard = |a: f64, b: f64| -((1.0 - by(b)) / (1.0 - by(a))).ln() / (b - a);
        println!(
            "  daily hazard (0,30] {:.5} (30,90] {:.5} (365,730] {:.5}",
            hazard(0.0, 30.0),
            hazard(30.0, 90.0),
            hazard(365.0, 730.0),
        );
        println!(
            "  P(collapse) by 30/90/180/365/730: {:.3} {:.3} {:.3} {:.3} {:.3}; P(violated) {:.3}; settled {:.3}",
            by(30.0),
            by(90.0),
            by(180.0),
            by(365.0),
            by(730.0),
            mean(&|r| f64::from(u8::from(r.violated))),
            mean(&|r| f64::from(u8::from(r.settled))),
        );
        println!(
            "  causes: offensive {:.2} clash {:.2} tripwire {:.2} spiral {:.2} exogenous {:.2}",
            cause(CollapseCause::Offensive),
            cause(CollapseCause::Clash),
            cause(CollapseCause::TripwireWar),
            cause(CollapseCause::Spiral),
            cause(CollapseCause::Exogenous),
        );
        for (i, c) in sc.classes.iter().enumerate() {
            println!(
                "  {:<16} committed {:8.2} per run",
                c.name,
                mean(&|r| f64::from(r.classes[i].committed))
            );
        }
        println!(
            "  grabs won {:.2}; R casualties harassment {:.2} serious {:.2}; tripwire fired {:.3}; events {:.0}",
            mean(&|r| f64::from(r.grabs_succeeded)),
            mean(&|r| r.r_casualties_harassment as f64),
            mean(&|r| r.r_casualties_serious as f64),
            mean(&|r| f64::from(u8::from(r.tripwire_fired))),
            mean(&|r| r.events as f64),
        );
    }
}
