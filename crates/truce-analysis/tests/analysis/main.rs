//! Tests of truce-analysis against published values, analytic results and hand computations.

mod folders;
mod incidence;
mod indices;
mod intervals;
mod scenario_discovery;
mod survival;

use polars::prelude::*;
use std::path::Path;
use truce_analysis::design::Design;
use truce_sim::design::{self, Parameter, Point, Role};

/// `|actual − expected| <= tolerance`, with the three numbers in the message.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} differs from {expected} by more than {tolerance}"
    );
}

/// A design table as `truce design` and `truce sweep` write it: `point`, parameters, `role`,
/// `unit_<i>`, and `base` or the Morris columns.
pub fn design_frame(parameters: &[Parameter], points: &[Point]) -> DataFrame {
    let mut columns = vec![Column::new(
        "point".into(),
        points.iter().map(|p| p.id).collect::<Vec<_>>(),
    )];
    for (i, p) in parameters.iter().enumerate() {
        columns.push(Column::new(
            p.name.as_str().into(),
            points
                .iter()
                .map(|x| {
                    x.values[i]
                        .as_float()
                        .or(x.values[i].as_integer().map(|v| v as f64))
                })
                .collect::<Vec<_>>(),
        ));
    }
    columns.push(Column::new(
        "role".into(),
        points.iter().map(|p| p.role.label()).collect::<Vec<_>>(),
    ));
    for i in 0..parameters.len() {
        columns.push(Column::new(
            format!("unit_{i}").into(),
            points.iter().map(|p| p.unit[i]).collect::<Vec<_>>(),
        ));
    }
    // As `truce design` writes them: `base` for a Saltelli design, the trajectory columns for a
    // Morris design.
    if points
        .iter()
        .any(|p| matches!(p.role, Role::Saltelli { .. }))
    {
        columns.push(Column::new(
            "base".into(),
            points
                .iter()
                .map(|p| match p.role {
                    Role::Saltelli { base, .. } => Some(base as u64),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ));
    }
    if points.iter().any(|p| matches!(p.role, Role::Morris { .. })) {
        let morris =
            |f: fn(&Role) -> Option<u64>| points.iter().map(|p| f(&p.role)).collect::<Vec<_>>();
        columns.push(Column::new(
            "trajectory".into(),
            morris(|r| match r {
                Role::Morris { trajectory, .. } => Some(*trajectory as u64),
                _ => None,
            }),
        ));
        columns.push(Column::new(
            "step".into(),
            morris(|r| match r {
                Role::Morris { step, .. } => Some(*step as u64),
                _ => None,
            }),
        ));
        columns.push(Column::new(
            "factor".into(),
            morris(|r| match r {
                Role::Morris { factor, .. } => factor.map(|f| f as u64),
                _ => None,
            }),
        ));
        columns.push(Column::new(
            "delta".into(),
            points
                .iter()
                .map(|p| match p.role {
                    Role::Morris { delta, .. } => Some(delta),
                    _ => None,
                })
                .collect::<Vec<_>>(),
        ));
    }
    DataFrame::new(points.len(), columns).unwrap()
}

/// A design read back from its table.
pub fn design_of(parameters: &[Parameter], points: &[Point]) -> Design {
    Design::from_frame(design_frame(parameters, points), "test design").unwrap()
}

/// Writes a table as Parquet.
pub fn write_parquet(path: &Path, frame: &mut DataFrame) {
    let file = std::fs::File::create(path).unwrap();
    ParquetWriter::new(file).finish(frame).unwrap();
}

/// Writes a table as CSV.
pub fn write_csv(path: &Path, frame: &mut DataFrame) {
    let mut file = std::fs::File::create(path).unwrap();
    CsvWriter::new(&mut file).finish(frame).unwrap();
}

/// Unit-range continuous parameters named `x0`, `x1`, ….
pub fn unit_parameters(k: usize) -> Vec<Parameter> {
    (0..k)
        .map(|i| {
            Parameter::new(
                format!("x{i}"),
                design::Space::Continuous { min: 0.0, max: 1.0 },
            )
        })
        .collect()
}

/// The column names of a table.
pub fn names(frame: &DataFrame) -> Vec<String> {
    frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect()
}
