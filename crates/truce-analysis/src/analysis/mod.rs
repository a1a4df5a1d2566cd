//! The analyses as a whole: a results folder (summary, survival, comparisons, sensitivity and
//! PRIM as its design allows), a time-to-event table, and a design with outputs computed elsewhere.
//!
//! Each analysis is computed in full before anything is written; [`Outputs::write`] then stages
//! every file and moves them into place together.
//!
//! Computing and rendering are kept apart. `folder.rs`, `table_survival.rs` and `design.rs`
//! compute the three analyses and say which files each writes; `outputs.rs` holds those files
//! until they are written. `folder_text.rs` (the report of a results folder and its tables),
//! `survival_text.rs` (the report of a time-to-event table) and `sensitivity_text.rs` (the
//! sensitivity table, its warnings, and the report of a design) turn the results into text.

mod design;
mod folder;
mod folder_text;
mod outputs;
mod sensitivity_text;
mod survival_text;
mod table_survival;

pub use design::{DesignAnalysis, analyze_design};
pub use folder::{FolderAnalysis, Options, PRIM_MIN_POINTS, analyze_folder, point_means};
pub use outputs::{OUTPUT_FILES, Outputs};
pub use sensitivity_text::{sensitivity_table, sensitivity_text, sensitivity_warnings};
pub use table_survival::{TableSurvival, analyze_table_survival};
