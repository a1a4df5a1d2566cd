//! `truce merge SHARD_DIR...`: joins the shard folders of one sweep into one complete sweep folder.
//!
//! The shards must share `sweep.toml` (by SHA-256), seed and truce version, and be exactly shards
//! 0 to N-1 of one N, each complete. The merged folder is written under a temporary name and renamed
//! into place whole; its `runs.parquet` is built from the chunk files in plan order, exactly as a
//! single-machine run builds it, so the two hold the same records in the same order.

use crate::args::MergeArgs;
use crate::error::{print_stdout, user};
use crate::output::check::{self, FileCheck};
use crate::output::lock::FolderLock;
use crate::output::sweep::{
    CHUNKS, SWEEP_TOML, Shard, Status, SweepManifest, chunk_file_name, chunk_path, metadata, open,
    schema_scenario, write_points, write_runs,
};
use crate::output::{DEFAULT_OUT, Destination, Staging};
use crate::sweep_input;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use truce_sim::sweep::Replications;

/// One shard folder, opened.
struct Opened<'a> {
    dir: &'a Path,
    manifest: SweepManifest,
    text: String,
}

pub fn merge(args: &MergeArgs) -> Result<()> {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();
    let opened = args
        .shards
        .iter()
        .map(|dir| {
            open(dir, "merge").map(|(manifest, text)| Opened {
                dir: dir.as_path(),
                manifest,
                text,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // No shard may be resumed while it is merged. A shard on read-only storage cannot be locked,
    // and cannot be resumed there either: it is merged unlocked.
    let mut locks = Vec::new();
    let mut locked = std::collections::HashSet::new();
    for o in &opened {
        // A folder given twice is locked once (and then refused by check_shards).
        if !locked.insert(std::fs::canonicalize(o.dir).unwrap_or_else(|_| o.dir.to_path_buf())) {
            continue;
        }
        match FolderLock::acquire(o.dir, "merge") {
            Ok(lock) => locks.push(lock),
            Err(e) if crate::error::exit_code(&e) == 2 => return Err(e),
            Err(_) => {}
        }
    }
    check_same_sweep(&opened)?;
    let count = check_shards(&opened)?;
    let first = &opened[0];
    let sweep = sweep_input::from_resolved(
        &first.text,
        &first.dir.join(SWEEP_TOML).display().to_string(),
    )?;

    // Every chunk of the plan, from the shard that ran it.
    let by_index: BTreeMap<u64, &Opened> = opened
        .iter()
        .filter_map(|o| o.manifest.shard.map(|s| (s.index, o)))
        .collect();
    let mut sources = Vec::new();
    let mut missing = Vec::new();
    for chunk in sweep.chunks() {
        let Some(owner) = (0..count)
            .find(|&i| sweep.in_shard(&chunk, i, count))
            .and_then(|i| by_index.get(&i))
        else {
            continue;
        };
        let path = chunk_path(owner.dir, &chunk);
        if path.is_file() {
            sources.push((chunk_file_name(&chunk), path, *owner));
        } else if matches!(sweep.replications, Replications::Fixed(_)) {
            missing.push(path.display().to_string());
        }
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(5).cloned().collect();
        return Err(user(format!(
            "merge: {} chunk files are missing, though their shards say they are complete: {}{}; \
             run the shard again, or resume it after restoring the files",
            missing.len(),
            shown.join(", "),
            if missing.len() > 5 { ", ..." } else { "" }
        )));
    }

    let sha256 = first.manifest.sweep_sha256.clone();
    let destination = match &args.out {
        Some(dir) => Destination::exact(dir)?,
        None => Destination::timestamped(
            Path::new(DEFAULT_OUT),
            &sweep.base_config.name,
            &started.strftime("%Y-%m-%dT%H-%M-%SZ").to_string(),
        ),
    };
    let staging = Staging::create(destination)?;
    let dir = staging.path();
    std::fs::write(dir.join(SWEEP_TOML), &first.text)
        .with_context(|| format!("cannot write {}", dir.join(SWEEP_TOML).display()))?;
    write_points(dir, &sweep, &sha256)?;
    std::fs::create_dir(dir.join(CHUNKS))
        .with_context(|| format!("cannot create {}", dir.join(CHUNKS).display()))?;
    let mut copies: Vec<PathBuf> = Vec::with_capacity(sources.len());
    let mut chunk_files = BTreeMap::new();
    for (name, source, owner) in &sources {
        let copy = dir.join(CHUNKS).join(name);
        std::fs::copy(source, &copy)
            .with_context(|| format!("cannot copy {} to {}", source.display(), copy.display()))?;
        // The copy is checked, so that what is merged is what its shard recorded.
        let recorded = owner.manifest.chunk_files.get(name);
        let sha256 = check::sha256_file(&copy)?;
        match recorded {
            Some(r) if r.sha256 == sha256 => {
                chunk_files.insert(name.clone(), r.clone());
            }
            _ => {
                return Err(user(format!(
                    "merge: {}: {}; nothing was merged. Run it again with: truce sweep --resume {}, \
                     then merge again",
                    source.display(),
                    match recorded {
                        Some(_) =>
                            "damaged or replaced: its SHA-256 is not the one its shard's manifest recorded",
                        None => "its shard's manifest has no record of it",
                    },
                    owner.dir.display()
                )));
            }
        }
        copies.push(copy);
    }
    let expected_rows: u64 = chunk_files.values().map(|c| c.rows).sum();
    let rows = write_runs(
        dir,
        &schema_scenario(&sweep)?,
        &copies,
        metadata(&sweep, &sha256),
    )?;
    if rows != expected_rows {
        anyhow::bail!("merge: {rows} rows written, but the shards' chunks hold {expected_rows}");
    }
    let mut manifest = SweepManifest::new(&sweep, sha256, None);
    manifest.runs = Some(FileCheck {
        rows,
        sha256: check::sha256_file(&dir.join(crate::output::sweep::RUNS))?,
    });
    manifest.chunk_files = chunk_files;
    manifest.started_utc = started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    manifest.threads = 1;
    manifest.status = Status::Complete;
    manifest.chunks_completed = sources.into_iter().map(|(name, _, _)| name).collect();
    let mut shards: Vec<&Opened> = by_index.values().copied().collect();
    shards.sort_by_key(|o| o.manifest.shard.map(|s| s.index));
    manifest.merged_from = Some(shards.iter().map(|o| o.dir.display().to_string()).collect());
    manifest.wall_seconds =
        shards.iter().map(|o| o.manifest.wall_seconds).sum::<f64>() + clock.elapsed().as_secs_f64();
    manifest.write(dir)?;
    let folder = staging.commit()?;

    let mut s = String::new();
    let _ = writeln!(s, "sweep         {}", sweep.base_config.name);
    let _ = writeln!(s, "merged        {count} shards");
    let _ = writeln!(
        s,
        "points        {} ({} design)",
        sweep.points.len(),
        sweep.design.name()
    );
    let _ = writeln!(s, "replications  {rows}");
    let _ = writeln!(s, "output        {}", folder.display());
    print_stdout(&s)
}

/// The folders must come from one sweep: same `sweep.toml`, seed and truce version.
fn check_same_sweep(opened: &[Opened]) -> Result<()> {
    let mut groups: BTreeMap<(String, u64, String), Vec<String>> = BTreeMap::new();
    for o in opened {
        groups
            .entry((
                o.manifest.sweep_sha256.clone(),
                o.manifest.seed,
                o.manifest.truce_version.clone(),
            ))
            .or_default()
            .push(o.dir.display().to_string());
    }
    if groups.len() == 1 {
        return Ok(());
    }
    let lines: Vec<String> = groups
        .iter()
        .map(|((sha, seed, version), dirs)| {
            format!(
                "  {}: sweep.toml SHA-256 {}…, seed {seed}, truce {version}",
                dirs.join(", "),
                &sha[..sha.len().min(12)]
            )
        })
        .collect();
    Err(user(format!(
        "merge: the folders are not shards of one sweep (their sweep.toml, seed or truce version differ):\n{}",
        lines.join("\n")
    )))
}

/// The folders must be shards 0 to N-1 of one N, each once and complete; returns N.
fn check_shards(opened: &[Opened]) -> Result<u64> {
    let mut count = None;
    let mut seen: BTreeMap<u64, &Path> = BTreeMap::new();
    for o in opened {
        let shown = o.dir.display();
        let Some(Shard { index, count: n }) = o.manifest.shard else {
            return Err(user(format!(
                "merge: {shown} is not a shard (it was run without --shard): it is a whole sweep already"
            )));
        };
        match count {
            None => count = Some((n, o.dir)),
            Some((m, other)) if m != n => {
                return Err(user(format!(
                    "merge: {} is one of {m} shards but {shown} is one of {n}: give the shards of one split",
                    other.display()
                )));
            }
            Some(_) => {}
        }
        if let Some(other) = seen.insert(index, o.dir) {
            return Err(user(format!(
                "merge: shard {index}/{n} is given twice: {} and {shown}",
                other.display()
            )));
        }
        if o.manifest.status != Status::Complete {
            return Err(user(format!(
                "merge: shard {index}/{n} ({shown}) is not complete ({} chunks done); finish it with: \
                 truce sweep --resume {shown}",
                o.manifest.chunks_completed.len()
            )));
        }
    }
    let (n, _) = count.ok_or_else(|| user("merge: give the shard folders"))?;
    let missing: Vec<String> = (0..n)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(user(format!(
            "merge: shard{} {} {} missing: give all {n} shards",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        )));
    }
    Ok(n)
}
