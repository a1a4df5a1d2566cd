//! Records grouped by point without sorting the table: a counting sort of the point ids gives
//! each record a slot in its point's segment, and each column is scattered into those segments.

use crate::error::{AnalysisError, TableContext};
use crate::table;
use polars::prelude::*;
use std::collections::HashMap;

/// Where each record goes when the records are grouped by point.
pub(crate) struct PointIndex {
    /// Point ids, ascending.
    pub(crate) ids: Vec<u64>,
    /// Records of point `i` occupy `offsets[i]..offsets[i + 1]` of a grouped column.
    pub(crate) offsets: Vec<usize>,
    /// The position of each record in a grouped column.
    pub(crate) slot: Vec<u32>,
}

impl PointIndex {
    /// Reads the point ids of `runs` and sorts them into segments.
    pub(crate) fn read(runs: &LazyFrame, what: &str) -> Result<PointIndex, AnalysisError> {
        let frame = table::collect(
            runs.clone()
                .select([col("point").strict_cast(DataType::UInt64)]),
            &format!("the point ids of {what}"),
        )
        .map_err(|e| AnalysisError::input(format!("{what}: column `point`: {e}")))?;
        let points = frame
            .column("point")
            .and_then(|c| c.u64())
            .table(|| "point".into())?;
        if points.null_count() > 0 {
            return Err(AnalysisError::input(format!(
                "{what}: {} records have no point id",
                points.null_count()
            )));
        }
        if points.len() > u32::MAX as usize {
            return Err(AnalysisError::input(format!(
                "{what}: more than {} records; split the folder",
                u32::MAX
            )));
        }
        let mut ids: Vec<u64> = Vec::new();
        let mut dense_of: HashMap<u64, u32> = HashMap::new();
        let mut dense: Vec<u32> = Vec::with_capacity(points.len());
        for p in points.into_no_null_iter() {
            let next = dense_of.len() as u32;
            let d = *dense_of.entry(p).or_insert_with(|| {
                ids.push(p);
                next
            });
            dense.push(d);
        }
        // Renumber in ascending order of id.
        let mut by_id: Vec<u32> = (0..ids.len() as u32).collect();
        by_id.sort_by_key(|&d| ids[d as usize]);
        let mut rank = vec![0u32; ids.len()];
        for (r, &d) in by_id.iter().enumerate() {
            rank[d as usize] = r as u32;
        }
        let ids: Vec<u64> = by_id.iter().map(|&d| ids[d as usize]).collect();
        let mut offsets = vec![0usize; ids.len() + 1];
        for d in &mut dense {
            *d = rank[*d as usize];
            offsets[*d as usize + 1] += 1;
        }
        for i in 0..ids.len() {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let slot = dense
            .iter()
            .map(|&d| {
                let s = next[d as usize];
                next[d as usize] += 1;
                s as u32
            })
            .collect();
        Ok(PointIndex { ids, offsets, slot })
    }

    /// Records of the point at position `point`.
    pub(crate) fn records(&self, point: usize) -> u64 {
        (self.offsets[point + 1] - self.offsets[point]) as u64
    }

    /// Scatters a column's values (NaN for null) into `grouped`, segment by segment.
    pub(crate) fn scatter(&self, values: &Float64Chunked, grouped: &mut [f64]) {
        let mut row = 0;
        for array in values.downcast_iter() {
            let slots = &self.slot[row..row + array.len()];
            if array.validity().is_none_or(|v| v.unset_bits() == 0) {
                for (s, v) in slots.iter().zip(array.values().iter()) {
                    grouped[*s as usize] = *v;
                }
            } else {
                for (s, v) in slots.iter().zip(array.iter()) {
                    grouped[*s as usize] = v.copied().unwrap_or(f64::NAN);
                }
            }
            row += array.len();
        }
    }
}
