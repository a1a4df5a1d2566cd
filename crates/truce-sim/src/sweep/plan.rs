//! The plan of work: replication blocks times point groups, each a chunk, run replication-major;
//! shards of it for a cluster.

use super::{Replications, Sweep, SweepError};
use std::ops::Range;

/// Records per chunk aimed at when the sweep does not set `chunk_replications`.
const CHUNK_RECORDS: u64 = 10_000;

/// Most chunk files a sweep's plan may have.
pub const MAX_CHUNKS: u64 = 1_000_000;

/// Replications per chunk and points per chunk for a design of `points` points and at most
/// `max_reps` replications per point: `chunk_replications` as the sweep sets it, else about
/// [`CHUNK_RECORDS`] records a chunk; refused when the plan would have more than [`MAX_CHUNKS`] files.
pub(super) fn chunk_sizes(
    chunk_replications: Option<u64>,
    points: usize,
    max_reps: u64,
) -> Result<(u64, usize), SweepError> {
    let chunk_replications = chunk_replications
        .unwrap_or_else(|| (CHUNK_RECORDS / points as u64).clamp(100, 10_000))
        .min(max_reps)
        .max(1);
    let chunk_points = ((CHUNK_RECORDS / chunk_replications) as usize).clamp(1, points);
    let chunk_files = max_reps
        .div_ceil(chunk_replications)
        .saturating_mul((points as u64).div_ceil(chunk_points as u64));
    if chunk_files > MAX_CHUNKS {
        return Err(SweepError::one(
            "sweep.chunk_replications",
            format!(
                "the plan would have {chunk_files} chunk files, more than {MAX_CHUNKS}; \
                     raise chunk_replications (it is {chunk_replications})"
            ),
        ));
    }
    Ok((chunk_replications, chunk_points))
}

impl Sweep {
    /// The most replications any point can get.
    pub fn max_replications(&self) -> u64 {
        match &self.replications {
            Replications::Fixed(n) => *n,
            Replications::Precision(p) => p.max_replications,
        }
    }

    /// Replication blocks: `[first, first + count)` for each block, in order.
    pub fn blocks(&self) -> Vec<Range<u64>> {
        let total = self.max_replications();
        (0..total.div_ceil(self.chunk_replications))
            .map(|b| {
                let start = b * self.chunk_replications;
                start..(start + self.chunk_replications).min(total)
            })
            .collect()
    }

    /// Point groups: `[first, first + count)` of point ids for each group, in order.
    pub fn groups(&self) -> Vec<Range<u64>> {
        let n = self.points.len() as u64;
        let size = self.chunk_points as u64;
        (0..n.div_ceil(size))
            .map(|g| g * size..((g + 1) * size).min(n))
            .collect()
    }

    /// Every chunk of a fixed-replication sweep, replication-major: all groups of block 0, then of
    /// block 1, and so on, so that partial results cover every point evenly.
    pub fn chunks(&self) -> Vec<Chunk> {
        let groups = self.groups();
        let mut out = Vec::new();
        for (b, block) in self.blocks().into_iter().enumerate() {
            for (g, points) in groups.iter().enumerate() {
                out.push(Chunk {
                    index: out.len(),
                    block: b,
                    group: g,
                    replications: block.clone(),
                    points: points.clone(),
                });
            }
        }
        out
    }

    /// Whether chunk `c` belongs to shard `index` of `count`: chunks are dealt round-robin; with a
    /// precision target, whole point groups are dealt, since a group's rounds depend on its own results.
    pub fn in_shard(&self, c: &Chunk, index: u64, count: u64) -> bool {
        let key = match self.replications {
            Replications::Fixed(_) => c.index as u64,
            Replications::Precision(_) => c.group as u64,
        };
        key % count == index
    }
}

/// A piece of work: some replications of some points, written to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub index: usize,
    pub block: usize,
    pub group: usize,
    pub replications: Range<u64>,
    pub points: Range<u64>,
}
