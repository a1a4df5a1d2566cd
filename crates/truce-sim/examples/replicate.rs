//! Runs replications of one scenario on one thread and prints their event count, for instruction
//! counts under callgrind: `valgrind --tool=callgrind target/release/examples/replicate configs/baseline.toml 1`.
//! Arguments: a scenario file, the number of replications (default 1), and optionally a horizon in days.

use truce_sim::{Scenario, ScenarioConfig, run_replication};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "configs/baseline.toml".into());
    let count: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let horizon: Option<f64> = args.next().and_then(|s| s.parse().ok());
    let text = std::fs::read_to_string(&path).expect("readable config");
    let mut config: ScenarioConfig = match truce_sim::validate::parse(&text) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{}", e.report(&path));
            std::process::exit(2);
        }
    };
    if let Some(days) = horizon {
        config.horizon_days = days;
    }
    let sc = match Scenario::from_config(config) {
        Ok(sc) => sc,
        Err(e) => {
            eprintln!("{}", e.report(&path));
            std::process::exit(2);
        }
    };
    let events: u64 = (0..count)
        .map(|r| run_replication(&sc, 1, 0, r).events)
        .sum();
    println!("{count} replications, {events} events");
}
