//! `runs.parquet`: its columns and writer live in the `truce-records` crate, shared with the Python package.

pub use truce_records::*;
