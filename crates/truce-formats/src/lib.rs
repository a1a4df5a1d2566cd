//! The layout of a results folder, written by the `truce` binary and read by the analysis: the
//! names of its files, the columns of `points.parquet`, the columns of `runs.parquet` that are
//! read by name, and the keys of the manifest and of a resolved `sweep.toml` that the analysis
//! reads. One definition for the writer and the readers, so that they cannot drift apart. It
//! depends on nothing.
//!
//! The columns of `runs.parquet` are written by `truce-records` (one per field of a record), and
//! the manifests and resolved files by the binary through serde: the binary's tests check that
//! what they write has every name defined here (`output/runs.rs`, `output/sweep.rs`,
//! `output/manifest.rs`).

/// The files and folders of a results folder.
pub mod folder {
    /// The records, one row per replication.
    pub const RUNS: &str = "runs.parquet";
    /// The manifest: the config's SHA-256, seeds, versions, chunk checks.
    pub const MANIFEST: &str = "manifest.json";
    /// A sweep's design, one row per point.
    pub const POINTS: &str = "points.parquet";
    /// A sweep's chunk files, before and beside `runs.parquet`.
    pub const CHUNKS: &str = "chunks";
    /// The resolved sweep.
    pub const SWEEP_TOML: &str = "sweep.toml";
    /// The resolved solve file of `truce solve`.
    pub const SOLVE_TOML: &str = "solve.toml";
    /// The resolved calibrate file of `truce calibrate`.
    pub const CALIBRATE_TOML: &str = "calibrate.toml";
    /// The resolved comparison of `truce compare`, whose points are whole scenario files.
    pub const COMPARE_TOML: &str = "compare.toml";
    /// The resolved files a folder laid out as a sweep's may hold, in the order they are looked
    /// for; a folder holding none is taken for a sweep's, whose `sweep.toml` is then missing.
    pub const RESOLVED_FILES: [&str; 4] = [SOLVE_TOML, CALIBRATE_TOML, COMPARE_TOML, SWEEP_TOML];
}

/// The columns of `points.parquet` (and of `truce design`'s tables) besides the parameters'.
pub mod points {
    /// The point's id.
    pub const POINT: &str = "point";
    /// The point's role in its design (`sample`, Saltelli's `A`, `B`, `AB`, Morris's steps, …).
    pub const ROLE: &str = "role";
    /// Saltelli designs: the base row a point belongs to.
    pub const BASE: &str = "base";
    /// Morris designs: the trajectory, the step in it, the factor it moved and by how much.
    pub const TRAJECTORY: &str = "trajectory";
    pub const STEP: &str = "step";
    pub const FACTOR: &str = "factor";
    pub const DELTA: &str = "delta";
    /// The Morris columns, in order.
    pub const MORRIS: [&str; 4] = [TRAJECTORY, STEP, FACTOR, DELTA];
    /// Every column that is not a parameter, except the `unit_<i>` ones.
    pub const RESERVED: [&str; 7] = [POINT, ROLE, BASE, TRAJECTORY, STEP, FACTOR, DELTA];
    /// The prefix of the columns holding a point's coordinates in the unit cube.
    pub const UNIT_PREFIX: &str = "unit_";

    /// The column of parameter `i`'s coordinate in the unit cube: `unit_<i>`.
    pub fn unit(i: usize) -> String {
        format!("{UNIT_PREFIX}{i}")
    }
}

/// The columns of `runs.parquet` that are read by name: one per field of a record, written by
/// `truce-records`; per-contingent, per-sector and per-class columns are a prefix followed by the
/// nation, the sector or the class.
pub mod runs {
    /// The point's id.
    pub const POINT: &str = "point";
    /// The replication's index within its point.
    pub const REPLICATION: &str = "replication";

    /// Whether a serious violation happened.
    pub const VIOLATED: &str = "violated";
    /// Whether the ceasefire collapsed.
    pub const COLLAPSED: &str = "collapsed";
    /// Whether the tripwire asked a government to fight, and whether one did.
    pub const TRIPWIRE_TRIGGERED: &str = "tripwire_triggered";
    pub const TRIPWIRE_FIRED: &str = "tripwire_fired";
    pub const COALITION_AT_WAR: &str = "coalition_at_war";
    pub const DIRECT_CLASH: &str = "direct_clash";
    /// Whether a negotiation settled the conflict.
    pub const SETTLED: &str = "settled";
    /// The boolean columns the analysis summarises as proportions, in output order.
    pub const BOOLEAN: [&str; 7] = [
        VIOLATED,
        COLLAPSED,
        TRIPWIRE_TRIGGERED,
        TRIPWIRE_FIRED,
        COALITION_AT_WAR,
        DIRECT_CLASH,
        SETTLED,
    ];

    /// Why the ceasefire collapsed (null when it did not).
    pub const COLLAPSE_CAUSE: &str = "collapse_cause";
    /// How an offensive ended (`none` without one).
    pub const OFFENSIVE_OUTCOME: &str = "offensive_outcome";

    /// Days, null when their event did not happen (`end_day` never is).
    pub const FIRST_VIOLATION_DAY: &str = "first_violation_day";
    pub const FIRST_DETECTED_DAY: &str = "first_detected_day";
    pub const FIRST_HARASSMENT_DAY: &str = "first_harassment_day";
    pub const COLLAPSE_DAY: &str = "collapse_day";
    pub const SETTLED_DAY: &str = "settled_day";
    pub const OFFENSIVE_LENGTH_DAYS: &str = "offensive_length_days";
    pub const END_DAY: &str = "end_day";
    /// The day columns, in output order.
    pub const DAYS: [&str; 7] = [
        FIRST_VIOLATION_DAY,
        FIRST_DETECTED_DAY,
        FIRST_HARASSMENT_DAY,
        COLLAPSE_DAY,
        SETTLED_DAY,
        OFFENSIVE_LENGTH_DAYS,
        END_DAY,
    ];

    /// The count and mean columns the analysis summarises as means, in output order.
    pub const COUNTS: [&str; 18] = [
        "background_total",
        "background_mean_first_30",
        "background_mean",
        "r_casualties_harassment",
        "r_casualties_serious",
        "d_responses",
        "r_responses",
        "u_responses",
        "nfz_incidents",
        "credibility_shocks",
        "negotiation_rounds",
        "successful_rounds",
        "grabs_succeeded",
        "grabs_failed",
        "grabs_pending",
        "sectors_lost",
        "resolve",
        "events",
    ];

    /// The per-contingent flags, each followed by the nation: whether its government was asked,
    /// and whether it fought.
    pub const NATION_FLAGS: [&str; 2] = ["tripwire_triggered_", "tripwire_fired_"];
    /// The per-contingent casualties, each followed by the nation.
    pub const NATION_CASUALTIES: [&str; 2] = ["r_casualties_harassment_", "r_casualties_serious_"];
    /// The per-sector counts, each followed by the sector's index.
    pub const SECTOR_COUNTS: [&str; 3] = [
        "grabs_committed_sector_",
        "grabs_succeeded_sector_",
        "r_casualties_sector_",
    ];
    /// The per-class counts, each followed by the ladder class's name.
    pub const CLASS_COUNTS: [&str; 3] = ["committed_", "detected_", "attributed_"];
    /// The final beliefs, each followed by what the belief is about.
    pub const BELIEF: &str = "belief_";
}

/// The keys of `manifest.json` that the analysis reads.
pub mod manifest {
    /// The scenario's name, in a run's manifest.
    pub const SCENARIO: &str = "scenario";
    /// The scenario's name, in the manifest of a folder laid out as a sweep's.
    pub const SWEEP: &str = "sweep";
    /// Whether a sweep is still running or has every chunk it plans; only a sweep's manifest has it.
    pub const STATUS: &str = "status";
    /// The status of a finished sweep.
    pub const COMPLETE: &str = "complete";
    /// Whether replication r of every point shares its random streams.
    pub const CRN: &str = "crn";
    /// The point comparisons are made against.
    pub const REFERENCE: &str = "reference";
    /// For one part of a sharded sweep: its `index` (from 0) of `count`.
    pub const SHARD: &str = "shard";
    pub const SHARD_INDEX: &str = "index";
    pub const SHARD_COUNT: &str = "count";
}

/// The keys of a resolved `sweep.toml` that the analysis reads, in its `[sweep]` table.
pub mod sweep_file {
    /// The table of the sweep's own keys.
    pub const TABLE: &str = "sweep";
    /// The point comparisons are made against.
    pub const REFERENCE: &str = "reference";
    /// Whether the points share random streams.
    pub const CRN: &str = "crn";
}
