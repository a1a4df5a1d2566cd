//! The subcommands, one module each.

pub mod analyze;
pub mod calibrate;
pub mod compare;
pub mod config;
pub mod design;
pub mod merge;
pub mod plot;
pub mod replay;
pub mod report;
pub mod run;
pub mod search;
pub mod solve;
pub mod sweep;
pub mod validate;

use anyhow::{Context, Result};

/// Runs `work` on a pool of `threads` threads when given, else on rayon's global pool.
pub fn in_pool<T: Send>(threads: Option<u16>, work: impl FnOnce() -> T + Send) -> Result<T> {
    match threads {
        None => Ok(work()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(usize::from(n))
                .build()
                .context("cannot start the worker threads")?;
            Ok(pool.install(work))
        }
    }
}
