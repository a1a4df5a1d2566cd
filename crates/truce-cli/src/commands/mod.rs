//! The subcommands, one module each.

pub mod config;
pub mod run;
pub mod validate;
