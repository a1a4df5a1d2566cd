//! Runs replications of one scenario on one thread and prints how many events they handled, for
//! instruction counts under callgrind, e.g.
//! `valgrind --tool=callgrind target/release/examples/replicate configs/baseline.toml 100`.
//! Arguments: a scenario file, the number of replications (default 1), the first replication
//! index (default 0) and a horizon in days replacing the file's.

use truce_sim::{Scenario, run_replication};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "configs/baseline.toml".into());
    let mut number = |default: f64| {
        args.next()
            .map_or(Some(default), |s| s.parse::<f64>().ok())
            .unwrap_or_else(|| {
                eprintln!("usage: replicate CONFIG [COUNT] [FIRST] [HORIZON_DAYS]");
                std::process::exit(2);
            })
    };
    let count = number(1.0) as u64;
    let first = number(0.0) as u64;
    let horizon = number(f64::NAN);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let built = truce_sim::validate::parse(&text).and_then(|mut config| {
        if !horizon.is_nan() {
            config.horizon_days = horizon;
        }
        Scenario::from_config(config)
    });
    let sc = built.unwrap_or_else(|e| {
        eprintln!("{}", e.report(&path));
        std::process::exit(2);
    });
    let events: u64 = (first..first + count)
        .map(|r| run_replication(&sc, 1, 0, r).events)
        .sum();
    println!("{count} replications from {first}, {events} events");
}
