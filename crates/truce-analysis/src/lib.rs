//! Analysis of truce results: per-point estimates with intervals, survival curves, comparisons
//! against a reference point, sensitivity indices and scenario discovery.
//!
//! The entry points:
//! - [`analyze_folder`]: a results folder of `truce run` or `truce sweep`: the per-point summary
//!   ([`summary`]), Kaplan–Meier curves of time to violation and to collapse ([`curves`],
//!   [`survival`]), the causes of collapse with their cumulative incidences under competing
//!   risks ([`causes`], [`incidence`]), comparisons with a reference point ([`compare`]), and, when the sweep's design
//!   allows, Sobol', Morris and regression indices ([`sensitivity`], [`indices`]) and a PRIM box
//!   ([`prim`]);
//! - [`analyze_table_survival`]: Kaplan–Meier curves of any CSV or Parquet table;
//! - [`analyze_design`]: sensitivity indices of outputs computed elsewhere on a design written by
//!   `truce design`.
//!
//! Each returns its results in memory; their `outputs()` are written with [`Outputs::write`],
//! which stages every file and moves them into place only when all are written.
//! Records are read lazily with polars: queries read only the columns they use, grouped by point.
//! The crate prints nothing: reports are returned as text.
//!
//! The statistical methods, with their sources, are documented on the functions that implement
//! them: [`stats::wilson`], [`stats::newcombe_difference`], [`stats::mean_interval`],
//! [`survival`], [`incidence`], [`compare`], [`sensitivity::sobol`], [`sensitivity::morris`],
//! [`sensitivity::src`] and [`prim`].

pub mod analysis;
pub mod causes;
pub mod compare;
pub mod curves;
pub mod design;
pub mod error;
pub mod folder;
mod grouping;
pub mod incidence;
pub mod indices;
pub mod outcomes;
pub mod prim;
pub mod report;
pub mod sensitivity;
pub mod stats;
pub mod summary;
pub mod survival;
pub mod table;
pub mod uncertainty;

pub use analysis::{
    DesignAnalysis, FolderAnalysis, Options, Outputs, TableSurvival, analyze_design,
    analyze_folder, analyze_table_survival,
};
pub use curves::TableSpec;
pub use error::AnalysisError;
pub use indices::IndexOptions;
