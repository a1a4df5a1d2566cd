//! The layout of a results folder, written by the `truce` binary and read by the analysis: the
//! names of its files and the columns of `points.parquet`. One definition for the writer and the
//! readers, so that they cannot drift apart. It depends on nothing.
//!
//! The columns of `runs.parquet` are `truce-records`' (one per field of a record).

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
