//! Upper bounds on the sizes a config can ask for, so that no config exhausts memory or runs
//! without end. Each is far above any scenario of the model; `configs/baseline.toml` states them.

/// Longest scenario name: it names a folder.
pub const NAME_CHARS: usize = 100;
/// Longest ladder class or nation name: it names output columns.
pub const CLASS_NAME_CHARS: usize = 64;
/// Most contingents of the reassurance force: A's view of a land grab weighs every
/// combination of the contingents it may hit in a sector (2^n of them).
pub const CONTINGENTS: usize = 12;
/// Most sectors of the line.
pub const SECTORS: usize = 1_000;
/// Most classes of the escalation ladder.
pub const LADDER_CLASSES: usize = 100;
/// Longest horizon, in days (100 years).
pub const HORIZON_DAYS: f64 = 36_525.0;
/// Shortest horizon and decision interval, in days: one minute, the clock's tick.
pub const MIN_DURATION_DAYS: f64 = 1.0 / 1440.0;
/// Most points of a sweep's design, whatever `max_points` and `--yes` say.
pub const POINTS: usize = 1_000_000;
/// Most replications of a scenario, or of each point of a sweep.
pub const REPLICATIONS: u64 = 100_000_000;
/// Most events a Poisson or periodic source may expect in one replication.
pub const EVENTS: f64 = 10_000_000.0;
