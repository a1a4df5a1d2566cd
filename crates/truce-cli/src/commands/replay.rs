//! `truce replay DIR POINT REP`: reruns one replication of one point of a sweep from its
//! `sweep.toml`, writes its event trace, prints its record and compares it with the stored one.

use crate::args::ReplayArgs;
use crate::error::{print_stdout, user};
use crate::output::sweep::{SWEEP_TOML, chunk_path, open, schema_scenario};
use crate::output::{runs, trace};
use crate::sweep_input;
use anyhow::{Result, anyhow, bail};
use arrow_array::{Array, RecordBatch, UInt64Array};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use truce_sim::Record;
use truce_sim::sweep;

pub fn replay(args: &ReplayArgs) -> Result<()> {
    let dir = &args.dir;
    let (_, text) = open(dir, "replay")?;
    let sweep = sweep_input::from_resolved(&text, &dir.join(SWEEP_TOML).display().to_string())?;
    let (point, rep) = (args.point, args.replication);
    let points = sweep.points.len() as u64;
    if point >= points {
        return Err(user(format!(
            "POINT {point}: the sweep has points 0 to {}",
            points - 1
        )));
    }
    let max = sweep.max_replications();
    if rep >= max {
        return Err(user(format!(
            "REP {rep}: the points of this sweep have at most {max} replications, numbered 0 to {}",
            max - 1
        )));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("trace_point{point}_rep{rep}.csv")));
    if out.exists() && !args.force {
        return Err(user(format!(
            "{}: already exists: choose another file with --out, or pass --force to overwrite it",
            out.display()
        )));
    }
    let scenario = sweep
        .scenario(point)
        .map_err(|e| anyhow!("point {point} no longer builds a scenario: {e}"))?;
    let (mut record, rows) =
        truce_sim::trace_replication(&scenario, sweep.seed, sweep.seed_point(point), rep);
    record.point = point;
    trace::write(&out, &scenario, &rows)?;

    let chunk = sweep
        .chunks()
        .into_iter()
        .find(|c| c.points.contains(&point) && c.replications.contains(&rep))
        .ok_or_else(|| anyhow!("no chunk of the plan holds point {point}, replication {rep}"))?;
    let path = chunk_path(dir, &chunk);
    let fresh = runs::records_batch(&schema_scenario(&sweep)?, std::slice::from_ref(&record))?;
    let comparison = if path.is_file() {
        match stored_row(&path, point, rep)? {
            Some(stored) => Comparison::Stored(path.clone(), differences(&stored, &fresh)),
            None => Comparison::NotRun(path.clone()),
        }
    } else {
        Comparison::NoFile(path.clone())
    };

    let mut s = render(
        &sweep,
        &record,
        scenario.classes.iter().map(|c| c.name.as_str()).collect(),
    );
    let _ = writeln!(s, "trace         {} ({} rows)", out.display(), rows.len());
    let stored = match &comparison {
        Comparison::Stored(path, differences) if differences.is_empty() => {
            format!("identical to the record stored in {}", path.display())
        }
        Comparison::Stored(path, differences) => format!(
            "DIFFERS from the record stored in {} in {}",
            path.display(),
            differences.join(", ")
        ),
        Comparison::NotRun(path) => format!(
            "not stored: {} does not hold it (the point met its precision target before)",
            path.display()
        ),
        Comparison::NoFile(path) => format!(
            "not stored yet: {} has not been written (resume the sweep to run it)",
            path.display()
        ),
    };
    let _ = writeln!(s, "stored        {stored}");
    print_stdout(&s)?;
    if let Comparison::Stored(path, differences) = comparison
        && !differences.is_empty()
    {
        bail!(
            "the replayed record of point {point}, replication {rep} differs from the one in {} \
             (columns {}): this build does not reproduce the sweep",
            path.display(),
            differences.join(", ")
        );
    }
    Ok(())
}

/// How the replayed record compares with the sweep's files.
enum Comparison {
    /// Found in this chunk file; the columns that differ.
    Stored(PathBuf, Vec<String>),
    /// The chunk file exists but does not hold the record.
    NotRun(PathBuf),
    /// The chunk file does not exist yet.
    NoFile(PathBuf),
}

/// The row of `point`, `replication` in a chunk file, as a one-row batch.
fn stored_row(path: &Path, point: u64, replication: u64) -> Result<Option<RecordBatch>> {
    for batch in runs::read_batches(path, 65_536)? {
        let batch = batch?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_any().downcast_ref::<UInt64Array>().cloned())
                .ok_or_else(|| anyhow!("{}: no integer column {name}", path.display()))
        };
        let (points, reps) = (column("point")?, column("replication")?);
        if let Some(i) = (0..batch.num_rows())
            .find(|&i| points.value(i) == point && reps.value(i) == replication)
        {
            return Ok(Some(batch.slice(i, 1)));
        }
    }
    Ok(None)
}

/// The names of the columns whose values differ between two one-row batches.
fn differences(stored: &RecordBatch, fresh: &RecordBatch) -> Vec<String> {
    fresh
        .schema()
        .fields()
        .iter()
        .enumerate()
        .filter(|(i, field)| match stored.column_by_name(field.name()) {
            Some(column) => column.to_data() != fresh.column(*i).to_data(),
            None => true,
        })
        .map(|(_, field)| field.name().clone())
        .collect()
}

/// The record's main fields.
fn render(sweep: &sweep::Sweep, r: &Record, classes: Vec<&str>) -> String {
    let point = &sweep.points[r.point as usize];
    let day = |d: Option<f64>| d.map(|d| format!(", day {d:.2}")).unwrap_or_default();
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "point         {} ({}; {})",
        r.point,
        point.role.label(),
        sweep::describe(sweep, point)
    );
    let _ = writeln!(s, "replication   {}", r.replication);
    let _ = writeln!(
        s,
        "seed          {} (from base seed {}, {})",
        r.seed,
        sweep.seed,
        if sweep.crn {
            "common random numbers"
        } else {
            "independent streams"
        }
    );
    let _ = writeln!(s, "resolve       {:.4}", r.resolve);
    let _ = writeln!(
        s,
        "violated      {}{}",
        yes_no(r.violated),
        day(r.first_violation_day)
    );
    let _ = writeln!(
        s,
        "collapsed     {}{}{}",
        yes_no(r.collapsed),
        day(r.collapse_day),
        r.collapse_cause
            .map(|c| format!(" ({})", c.name()))
            .unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "settled       {}{}",
        yes_no(r.settled),
        day(r.settled_day)
    );
    let _ = writeln!(
        s,
        "max class     {}",
        r.max_class
            .and_then(|i| classes.get(i).copied())
            .unwrap_or("none")
    );
    let _ = writeln!(
        s,
        "tripwire      {} triggered, {} fired; coalition at war: {}; direct clash: {}",
        yes_no(r.tripwire_triggered),
        yes_no(r.tripwire_fired),
        yes_no(r.coalition_at_war),
        yes_no(r.direct_clash)
    );
    let _ = writeln!(
        s,
        "responses     D {}, R {}, U {}",
        r.d_responses, r.r_responses, r.u_responses
    );
    let _ = writeln!(s, "end day       {:.2}", r.end_day);
    let _ = writeln!(s, "events        {}", r.events);
    s
}
