//! `truce sweep`: runs the chunks of a sweep in plan order into a folder that can be resumed at any
//! moment, joining them into `runs.parquet` as they are committed; `--resume` finishes an
//! interrupted sweep and `--shard` runs one part of it (whose chunks `truce merge` joins).
//!
//! Determinism: a chunk's (point, replication) pairs run on a rayon parallel iterator in a fixed
//! order (point-major) and are collected in that order, and chunks run one after the other in plan
//! order, so the records, and the bytes of every file written, do not depend on the number of
//! threads, on interruptions, or on how the chunks were shared between shards.
//! Memory holds at most two chunks' records at a time: the chunk running, and the one before it
//! while another thread writes it to disk (chunks are still committed to the manifest in plan
//! order).
//!
//! With a precision target the plan is run block by block (`chunk_replications` replications of
//! every point of a group), and a block's chunk holds only the points that still need more
//! replications given the blocks before it ([`sweep::needs_more`]). On resume, the tallies come back
//! from the chunk files.

use super::in_pool;
use crate::args::SweepArgs;
use crate::error::{print_stdout, user};
use crate::output::check::{self, Expected, FileCheck, Verdict};
use crate::output::lock::FolderLock;
use crate::output::manifest::sha256_hex;
use crate::output::sweep::{
    CHUNKS, Joiner, MANIFEST, POINTS, RUNS, SWEEP_TOML, Shard, Status, SweepManifest, add_tallies,
    chunk_file_name, chunk_path, metadata, remove_temporaries, schema_scenario, write_chunk,
    write_points, write_runs,
};
use crate::output::{
    DEFAULT_OUT, Destination, Staging, TempFile, committing, install_signal_handler,
    set_interrupt_note,
};
use crate::progress;
use crate::sweep_input::{self, Overrides};
use anyhow::{Context, Result, anyhow};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use truce_sim::sweep::{self, Chunk, PrecisionConfig, Replications, Sweep, Tally};
use truce_sim::{Record, Scenario};

pub fn sweep(args: &SweepArgs) -> Result<()> {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();
    install_signal_handler();
    let mut job = match &args.resume {
        Some(dir) => Job::resume(dir, started, args.quiet)?,
        None => Job::start(args, started)?,
    };
    set_interrupt_note(format!(
        "the finished chunks are kept in {0}; resume with: truce sweep --resume {0}",
        job.folder.display()
    ));
    let report = in_pool(args.threads, || job.run(args.quiet, clock))??;
    let mut text = report.render();
    if report.shard.is_none() {
        text.push_str(&outcome_summary(&job.folder)?);
    }
    print_stdout(&text)?;
    if args.report {
        let path = super::report::write(&job.folder, None, &super::plot::ChartArgs::defaults())?;
        print_stdout(&format!("report: {}\n", path.display()))?;
    }
    Ok(())
}

/// A sweep folder being worked on.
#[derive(Debug)]
struct Job {
    folder: PathBuf,
    sweep: Sweep,
    sha256: String,
    manifest: SweepManifest,
    /// Wall time of earlier invocations (before a resume).
    wall_before: f64,
    /// Held for the whole run: no other process works on the folder meanwhile.
    _lock: FolderLock,
}

impl Job {
    /// Checks the sweep file and the flags, then creates the folder with `sweep.toml`,
    /// `points.parquet`, `chunks/` and a manifest, all at once.
    fn start(args: &SweepArgs, started: jiff::Timestamp) -> Result<Self> {
        let path = args
            .sweep
            .as_deref()
            .ok_or_else(|| user("give a sweep file, or --resume DIR"))?;
        let loaded = sweep_input::load(
            path,
            Overrides {
                replications: args.replications,
                seed: args.seed,
                yes: args.yes,
            },
        )?;
        let shard = shard(args)?;
        let sweep = loaded.sweep;
        if let Some(s) = shard {
            check_shard_count(&sweep, s, path)?;
        }
        let sha256 = sha256_hex(loaded.resolved.as_bytes());
        let stamp = started.strftime("%Y-%m-%dT%H-%M-%SZ").to_string();
        if let Some(dir) = &args.out
            && dir.join(MANIFEST).is_file()
        {
            return Err(user(format!(
                "--out {0}: already holds a sweep; to finish it: truce sweep --resume {0}",
                dir.display()
            )));
        }
        let destination = match &args.out {
            Some(dir) => Destination::exact(dir)?,
            None => Destination::timestamped(
                Path::new(DEFAULT_OUT),
                &sweep.base_config.name,
                &match shard {
                    Some(s) => format!("{stamp}-shard-{}-of-{}", s.index, s.count),
                    None => stamp,
                },
            ),
        };
        let mut manifest = SweepManifest::new(&sweep, sha256.clone(), shard);
        manifest.sweep_file = Some(path.display().to_string());
        manifest.started_utc = started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();

        let staging = Staging::create(destination)?;
        let dir = staging.path();
        let mut lock = FolderLock::acquire(dir, "--out")?;
        std::fs::write(dir.join(SWEEP_TOML), &loaded.resolved)
            .with_context(|| format!("cannot write {}", dir.join(SWEEP_TOML).display()))?;
        write_points(dir, &sweep, &sha256)?;
        std::fs::create_dir(dir.join(CHUNKS))
            .with_context(|| format!("cannot create {}", dir.join(CHUNKS).display()))?;
        manifest.write(dir)?;
        let folder = staging.commit()?;
        lock.moved_to(&folder);
        if !args.quiet {
            eprintln!(
                "sweep {}: {} points, {}{}; writing {}",
                sweep.base_config.name,
                sweep.points.len(),
                describe_replications(&sweep),
                shard.map(|s| format!(", shard {s}")).unwrap_or_default(),
                folder.display()
            );
        }
        Ok(Self {
            folder,
            sweep,
            sha256,
            manifest,
            wall_before: 0.0,
            _lock: lock,
        })
    }

    /// Opens a sweep folder to finish it: checks it, removes what a killed process left half-written.
    fn resume(dir: &Path, started: jiff::Timestamp, quiet: bool) -> Result<Self> {
        let (_, _) = crate::output::sweep::open(dir, "--resume")?;
        // Locked before anything is read for good or removed: another process may be writing.
        let lock = FolderLock::acquire(dir, "--resume")?;
        let (mut manifest, text) = crate::output::sweep::open(dir, "--resume")?;
        let sweep = sweep_input::from_resolved(&text, &dir.join(SWEEP_TOML).display().to_string())?;
        let removed = remove_temporaries(dir)?;
        let chunks = dir.join(CHUNKS);
        if !chunks.is_dir() {
            // A folder appears whole: unlike a file, it needs no temporary name.
            std::fs::create_dir(&chunks)
                .with_context(|| format!("cannot create {}", chunks.display()))?;
        }
        let sha256 = manifest.sweep_sha256.clone();
        if !dir.join(POINTS).is_file() {
            write_points(dir, &sweep, &sha256)?;
        }
        manifest
            .resumed_utc
            .push(started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        if !quiet {
            eprintln!(
                "resuming {}: {} chunks done{}",
                dir.display(),
                manifest.chunks_completed.len(),
                match removed {
                    0 => String::new(),
                    n => format!(", {n} unfinished files removed"),
                }
            );
        }
        Ok(Self {
            folder: dir.to_path_buf(),
            sweep,
            sha256,
            wall_before: manifest.wall_seconds,
            manifest,
            _lock: lock,
        })
    }

    /// Runs every chunk of the plan (of this shard) whose file does not exist yet, then writes
    /// `runs.parquet` (unless a shard) and marks the folder complete.
    fn run(&mut self, quiet: bool, clock: Instant) -> Result<Report> {
        self.manifest.threads = rayon::current_num_threads();
        let shard = self.manifest.shard;
        let plan: Vec<Chunk> = self
            .sweep
            .chunks()
            .into_iter()
            .filter(|c| shard.is_none_or(|s| self.sweep.in_shard(c, s.index, s.count)))
            .collect();
        let precision = match &self.sweep.replications {
            Replications::Precision(p) => Some(p.clone()),
            Replications::Fixed(_) => None,
        };
        // The most replications each point can get in this shard: 0 for points of other shards.
        let mut planned = vec![0u64; self.sweep.points.len()];
        for chunk in &plan {
            for id in chunk.points.clone() {
                planned[id as usize] += chunk.replications.end - chunk.replications.start;
            }
        }
        let mut progress = Progress {
            bar: progress::sweep_bar(planned.iter().sum(), quiet),
            tallies: vec![Tally::default(); planned.len()],
            planned,
            precision: precision.clone(),
        };
        progress.update();
        let schema = schema_scenario(&self.sweep)?;
        let mut scenarios = Scenarios::new(self.sweep.points.len());
        let metadata = metadata(&self.sweep, &self.sha256);
        let mut chunk_files = Vec::new();
        let mut expected_rows = 0u64;
        let (mut ran, mut found) = (0u64, 0u64);
        let mut eta_reset = false;
        let mut completed: HashSet<String> =
            self.manifest.chunks_completed.iter().cloned().collect();
        // Unless this is a shard or a finished sweep being checked, runs.parquet is joined chunk
        // by chunk as the chunks are committed, not all at the end.
        let mut joiner = if shard.is_none() && self.manifest.status != Status::Complete {
            Some(Joiner::create(&self.folder, &schema, metadata.clone())?)
        } else {
            None
        };
        let schema = &schema;
        // A chunk's records are written to disk (and appended to runs.parquet) on another thread
        // while the next chunk runs.
        std::thread::scope(|scope| -> Result<()> {
            let mut writing: Option<Writing> = None;
            for chunk in &plan {
                let points: Vec<u64> = match &precision {
                    None => chunk.points.clone().collect(),
                    Some(p) => chunk
                        .points
                        .clone()
                        .filter(|&id| sweep::needs_more(progress.tallies[id as usize], p))
                        .collect(),
                };
                if points.is_empty() {
                    continue;
                }
                let reps = chunk.replications.end - chunk.replications.start;
                let count = points.len() as u64 * reps;
                let path = chunk_path(&self.folder, chunk);
                let name = chunk_file_name(chunk);
                let expected = Expected {
                    points: &points,
                    replications: chunk.replications.clone(),
                };
                expected_rows += expected.rows();
                let done_before =
                    path.is_file() && self.check_chunk(&path, &expected, &progress.bar)?;
                if done_before {
                    // Done by an earlier invocation.
                    self.commit_chunk(writing.take(), &mut joiner, &mut completed, clock)?;
                    if let Some(joiner) = joiner.as_mut() {
                        joiner.append(&path)?;
                    }
                    match &precision {
                        Some(p) => add_tallies(&path, &p.outcome, &mut progress.tallies)?,
                        None => {
                            for &id in &points {
                                progress.tallies[id as usize].n += reps;
                            }
                        }
                    }
                    if completed.insert(name.clone()) {
                        self.manifest.chunks_completed.push(name);
                    }
                    found += count;
                    progress.bar.inc(count);
                } else {
                    if !eta_reset {
                        progress.bar.reset_eta();
                        eta_reset = true;
                    }
                    let records = run_chunk(
                        &self.sweep,
                        scenarios.of(&self.sweep, &points)?,
                        chunk,
                        &points,
                        &progress.bar,
                    );
                    for record in &records {
                        let tally = &mut progress.tallies[record.point as usize];
                        tally.n += 1;
                        if let Some(p) = &precision {
                            tally.hits += u64::from(
                                sweep::binary_outcome(record, &p.outcome).unwrap_or(false),
                            );
                        }
                    }
                    // The chunk before this one was being written meanwhile: commit it first, so
                    // that chunks are committed in plan order.
                    self.commit_chunk(writing.take(), &mut joiner, &mut completed, clock)?;
                    let (target, metadata) = (path.clone(), metadata.clone());
                    let replications = chunk.replications.clone();
                    let mut joiner = joiner.take();
                    let handle = scope.spawn(move || {
                        let temp = write_chunk(&target, schema, &records, metadata)?;
                        drop(records);
                        let expected = Expected {
                            points: &points,
                            replications,
                        };
                        let record = expected.check(temp.path())?;
                        if let Some(joiner) = joiner.as_mut() {
                            joiner.append(temp.path())?;
                        }
                        Ok(Written {
                            temp,
                            record,
                            joiner,
                        })
                    });
                    writing = Some(Writing { name, handle });
                    ran += count;
                }
                chunk_files.push(path);
                progress.update();
            }
            self.commit_chunk(writing.take(), &mut joiner, &mut completed, clock)
        })?;
        progress.bar.finish_and_clear();

        let runs = self.folder.join(RUNS);
        let complete = self.manifest.status == Status::Complete;
        let intact = complete && check::runs_intact(&runs, self.manifest.runs.as_ref());
        let mut runs_check = self.manifest.runs.clone();
        let joined = match joiner {
            Some(joiner) => Some(joiner.finish()?),
            None if shard.is_none() && !(intact && ran == 0) => {
                if complete && ran == 0 {
                    eprintln!(
                        "{}: missing, damaged or not the file the manifest recorded; rebuilding it from the chunks",
                        runs.display()
                    );
                }
                Some(write_runs(&self.folder, schema, &chunk_files, metadata)?)
            }
            None => None,
        };
        if let Some(rows) = joined {
            if rows != expected_rows {
                return Err(anyhow!(
                    "{}: {rows} rows written, but the chunks hold {expected_rows}",
                    runs.display()
                ));
            }
            runs_check = Some(FileCheck {
                rows,
                sha256: check::sha256_file(&runs)?,
            });
        }
        let wall = clock.elapsed().as_secs_f64();
        committing(|| -> Result<()> {
            self.manifest.runs = runs_check;
            self.manifest.status = Status::Complete;
            self.manifest.wall_seconds = self.wall_before + wall;
            self.manifest.write(&self.folder)
        })?;
        Ok(Report {
            name: self.sweep.base_config.name.clone(),
            design: self.sweep.design.name(),
            points: self.sweep.points.len(),
            shard,
            shard_points: progress.planned.iter().filter(|&&n| n > 0).count(),
            counts: progress
                .planned
                .iter()
                .zip(&progress.tallies)
                .filter(|(planned, _)| **planned > 0)
                .map(|(_, t)| t.n)
                .collect(),
            precision,
            seed: self.sweep.seed,
            crn: self.sweep.crn,
            folder: self.folder.clone(),
            ran,
            found,
            wall,
        })
    }
}

/// A finished chunk whose file is being written (its checksum taken, and its records appended to
/// runs.parquet) on another thread.
struct Writing<'scope> {
    name: String,
    handle: std::thread::ScopedJoinHandle<'scope, Result<Written>>,
}

/// A chunk's file written but not yet renamed into place, and the runs.parquet it was appended to.
struct Written {
    temp: TempFile,
    record: check::ChunkCheck,
    joiner: Option<Joiner>,
}

impl Job {
    /// Waits for the chunk being written, if any, takes back the runs.parquet being joined into
    /// `joiner`, then renames the chunk's file into place and records it in the manifest, as one
    /// commit.
    fn commit_chunk(
        &mut self,
        writing: Option<Writing<'_>>,
        joiner: &mut Option<Joiner>,
        completed: &mut HashSet<String>,
        clock: Instant,
    ) -> Result<()> {
        let Some(Writing { name, handle }) = writing else {
            return Ok(());
        };
        let Written {
            temp,
            record,
            joiner: returned,
        } = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        if returned.is_some() {
            *joiner = returned;
        }
        committing(|| -> Result<()> {
            temp.persist()?;
            self.manifest.chunk_files.insert(name.clone(), record);
            if completed.insert(name.clone()) {
                self.manifest.chunks_completed.push(name);
            }
            self.manifest.wall_seconds = self.wall_before + clock.elapsed().as_secs_f64();
            self.manifest.write(&self.folder)
        })
    }

    /// Checks a chunk file found in the folder: `true` when it is the file the manifest recorded;
    /// `false` when it is damaged (it is removed, to be run again); bad input when it comes from
    /// another sweep or holds another chunk's records.
    fn check_chunk(&self, path: &Path, expected: &Expected, bar: &ProgressBar) -> Result<bool> {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match check::verify_chunk(
            path,
            self.manifest.chunk_files.get(name.as_ref()),
            expected,
            &self.sha256,
        ) {
            Verdict::Good => Ok(true),
            Verdict::Damaged(why) => {
                bar.suspend(|| eprintln!("{}: {why}; running it again", path.display()));
                std::fs::remove_file(path)
                    .with_context(|| format!("cannot remove the damaged {}", path.display()))?;
                Ok(false)
            }
            Verdict::Foreign(why) => Err(user(format!(
                "{}: {why}; nothing was changed. Remove the file (the chunk is then run again) \
                 and resume: truce sweep --resume {}",
                path.display(),
                self.folder.display()
            ))),
        }
    }
}

/// Each point's scenario, built the first time a chunk of the point runs and kept for its later
/// chunks: a point's scenario is built once per process, however many chunks it has.
struct Scenarios(Vec<Option<Scenario>>);

impl Scenarios {
    fn new(points: usize) -> Self {
        Scenarios(vec![None; points])
    }

    /// The scenarios of `points`, in their order.
    fn of(&mut self, sweep: &Sweep, points: &[u64]) -> Result<Vec<&Scenario>> {
        for &id in points {
            let slot = &mut self.0[id as usize];
            if slot.is_none() {
                let scenario = sweep
                    .scenario(id)
                    .map_err(|e| anyhow!("point {id} no longer builds a scenario: {e}"))?;
                *slot = Some(scenario);
            }
        }
        Ok(points
            .iter()
            .filter_map(|&id| self.0[id as usize].as_ref())
            .collect())
    }
}

/// Runs the replications `chunk.replications` of `points` (whose scenarios are `scenarios`),
/// point-major, in parallel, in order.
fn run_chunk(
    sweep: &Sweep,
    scenarios: Vec<&Scenario>,
    chunk: &Chunk,
    points: &[u64],
    bar: &ProgressBar,
) -> Vec<Record> {
    let first = chunk.replications.start;
    let per_point = (chunk.replications.end - first) as usize;
    (0..per_point * points.len())
        .into_par_iter()
        .with_max_len(truce_sim::REPLICATIONS_PER_TASK)
        .map(|i| {
            let (k, r) = (i / per_point, (i % per_point) as u64);
            let id = points[k];
            let mut record = truce_sim::run_replication(
                scenarios[k],
                sweep.seed,
                sweep.seed_point(id),
                first + r,
            );
            record.point = id;
            bar.inc(1);
            record
        })
        .collect()
}

/// The progress bar and what it counts.
struct Progress {
    bar: ProgressBar,
    /// Replications (and hits of the precision outcome) done at each point.
    tallies: Vec<Tally>,
    /// The most replications each point gets in this shard.
    planned: Vec<u64>,
    precision: Option<PrecisionConfig>,
}

impl Progress {
    /// Shows the points done and, with a precision target, the most replications still to run.
    fn update(&self) {
        let mut done = 0;
        let mut remaining = 0;
        let mut points = 0;
        for (t, &planned) in self.tallies.iter().zip(&self.planned) {
            if planned == 0 {
                continue;
            }
            points += 1;
            let more = match &self.precision {
                Some(p) => sweep::needs_more(*t, p),
                None => t.n < planned,
            };
            if more {
                remaining += planned.saturating_sub(t.n);
            } else {
                done += 1;
            }
        }
        if self.precision.is_some() {
            self.bar.set_length(self.bar.position() + remaining);
        }
        self.bar.set_message(format!("{done}/{points} points done"));
    }
}

/// What the end of a sweep prints.
#[derive(Debug)]
struct Report {
    name: String,
    design: &'static str,
    points: usize,
    shard: Option<Shard>,
    shard_points: usize,
    /// Replications of each point of this shard.
    counts: Vec<u64>,
    precision: Option<PrecisionConfig>,
    seed: u64,
    crn: bool,
    folder: PathBuf,
    ran: u64,
    found: u64,
    wall: f64,
}

impl Report {
    fn render(&self) -> String {
        let mut s = String::new();
        let total: u64 = self.counts.iter().sum();
        let _ = writeln!(s, "sweep         {}", self.name);
        let _ = writeln!(s, "points        {} ({} design)", self.points, self.design);
        if let Some(shard) = self.shard {
            let _ = writeln!(
                s,
                "shard         {shard}: {} of the points, in part or whole; join the shards with truce merge",
                self.shard_points
            );
        }
        match &self.precision {
            None => {
                let per_point = self.counts.iter().max().copied().unwrap_or(0);
                let _ = writeln!(s, "replications  {total} ({per_point} per point)");
            }
            Some(p) => {
                let low = self.counts.iter().min().copied().unwrap_or(0);
                let high = self.counts.iter().max().copied().unwrap_or(0);
                let at_max = self
                    .counts
                    .iter()
                    .filter(|&&n| n >= p.max_replications)
                    .count();
                let _ = writeln!(
                    s,
                    "replications  {total} ({low} to {high} per point, until the 95% interval of {} is ±{}; \
                     {at_max} points stopped at the maximum of {})",
                    p.outcome, p.half_width, p.max_replications
                );
            }
        }
        let _ = writeln!(
            s,
            "seed          {}{}",
            self.seed,
            if self.crn {
                ", common random numbers"
            } else {
                ", independent streams"
            }
        );
        let _ = writeln!(s, "output        {}", self.folder.display());
        let rate = if self.wall > 0.0 {
            self.ran as f64 / self.wall
        } else {
            0.0
        };
        let _ = writeln!(
            s,
            "wall time {:.1} s, {rate:.0} replications/s ({} run now{})",
            self.wall,
            self.ran,
            match self.found {
                0 => String::new(),
                n => format!(", {n} done before"),
            }
        );
        s
    }
}

/// The replications of a sweep, for the opening line.
fn describe_replications(sweep: &Sweep) -> String {
    match &sweep.replications {
        Replications::Fixed(n) => format!("{n} replications each"),
        Replications::Precision(p) => format!(
            "{} to {} replications each until {} is known to ±{}",
            p.min_replications, p.max_replications, p.outcome, p.half_width
        ),
    }
}

/// The spread of P(violation) and P(collapse) over the points of a finished sweep, and where to
/// find their intervals. Both proportions come from one streaming query (a group-by over
/// runs.parquet read in batches), so memory does not grow with the number of replications.
fn outcome_summary(folder: &Path) -> Result<String> {
    use super::analyze::lift;
    let opened = truce_analysis::folder::ResultsFolder::open(folder).map_err(lift)?;
    let what = opened.records_name();
    let mut runs = opened.scan().map_err(lift)?;
    let schema = truce_analysis::table::schema(&mut runs, &what).map_err(lift)?;
    let outcomes = truce_analysis::outcomes::binary_outcomes(&schema);
    let shown: Vec<(&str, _)> = [
        ("P(serious violation)", "violated"),
        ("P(collapse)", "collapsed"),
    ]
    .into_iter()
    .filter_map(|(label, name)| Some((label, outcomes.iter().find(|o| o.name == name)?)))
    .collect();
    let chosen: Vec<_> = shown.iter().map(|&(_, outcome)| outcome).collect();
    let means = if chosen.is_empty() {
        Vec::new()
    } else {
        truce_analysis::analysis::point_means(&runs, &chosen).map_err(lift)?
    };
    let mut s = String::new();
    for ((label, _), means) in shown.iter().zip(means) {
        let mut by: Vec<(f64, u64)> = means
            .into_iter()
            .map(|(point, p)| (p, point))
            .filter(|(v, _)| v.is_finite())
            .collect();
        by.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if let (Some(low), Some(high)) = (by.first(), by.last()) {
            let _ = writeln!(
                s,
                "{label:<22}{:.3} (point {}) to {:.3} (point {})",
                low.0, low.1, high.0, high.1
            );
        }
    }
    let _ = writeln!(
        s,
        "intervals, survival, causes and comparisons: truce analyze {}",
        folder.display()
    );
    Ok(s)
}

/// Refuses more shards than there are pieces of work to deal (chunks, or point groups with a
/// precision target): a shard with nothing to do would write an empty folder and exit 0.
fn check_shard_count(sweep: &Sweep, shard: Shard, path: &Path) -> Result<()> {
    let (pieces, what) = match sweep.replications {
        Replications::Fixed(_) => (sweep.chunks().len() as u64, "chunks"),
        Replications::Precision(_) => (sweep.groups().len() as u64, "point groups"),
    };
    if shard.count > pieces {
        return Err(user(format!(
            "--shard {shard}: {} has only {pieces} {what} to share out, so {} of the {} shards \
             would have nothing to do: use at most {pieces} shards{}",
            path.display(),
            shard.count - pieces,
            shard.count,
            match sweep.replications {
                Replications::Fixed(_) => ", or lower sweep.chunk_replications to make more chunks",
                Replications::Precision(_) => "",
            }
        )));
    }
    Ok(())
}

/// `--shard I/N` or `--shard slurm`, checked.
fn shard(args: &SweepArgs) -> Result<Option<Shard>> {
    let Some(text) = args.shard.as_deref() else {
        return Ok(None);
    };
    let (index, count) = if text == "slurm" {
        let id = args.slurm_array_task_id.ok_or_else(|| {
            user(
                "--shard slurm: SLURM_ARRAY_TASK_ID is not set; run inside a Slurm array job \
                 (sbatch --array=0-3 ...), or give --shard I/N",
            )
        })?;
        let count = args.slurm_array_task_count.ok_or_else(|| {
            user(
                "--shard slurm: SLURM_ARRAY_TASK_COUNT is not set; run inside a Slurm array job \
                 (sbatch --array=0-3 ...), or give --shard I/N",
            )
        })?;
        let min = args.slurm_array_task_min.unwrap_or(0);
        let index = id.checked_sub(min).ok_or_else(|| {
            user(format!(
                "--shard slurm: SLURM_ARRAY_TASK_ID ({id}) is below SLURM_ARRAY_TASK_MIN ({min})"
            ))
        })?;
        (index, count)
    } else {
        text.split_once('/')
            .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)))
            .ok_or_else(|| {
                user(format!(
                    "--shard {text}: expected I/N with whole numbers, such as 0/4, or slurm"
                ))
            })?
    };
    if count == 0 {
        return Err(user(format!(
            "--shard {index}/{count}: the number of shards must be at least 1"
        )));
    }
    if index >= count {
        return Err(user(format!(
            "--shard {index}/{count}: shards are numbered from 0 to {}",
            count - 1
        )));
    }
    Ok(Some(Shard { index, count }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> SweepArgs {
        let mut all = vec!["truce", "sweep", "s.toml"];
        all.extend_from_slice(args);
        match crate::args::Cli::try_parse_from(all).unwrap().command {
            crate::args::Command::Sweep(s) => s,
            _ => unreachable!(),
        }
    }

    #[test]
    fn shards_are_checked() {
        assert_eq!(shard(&parse(&[])).unwrap(), None);
        assert_eq!(
            shard(&parse(&["--shard", "1/3"])).unwrap(),
            Some(Shard { index: 1, count: 3 })
        );
        for bad in ["3/3", "0/0", "x/2", "1", "1/-2"] {
            let err = shard(&parse(&["--shard", bad])).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 2, "{bad}");
        }
        let mut slurm = parse(&["--shard", "slurm"]);
        slurm.slurm_array_task_id = Some(5);
        slurm.slurm_array_task_count = Some(4);
        slurm.slurm_array_task_min = Some(2);
        assert_eq!(shard(&slurm).unwrap(), Some(Shard { index: 3, count: 4 }));
        slurm.slurm_array_task_count = None;
        let err = shard(&slurm).unwrap_err().to_string();
        assert!(err.contains("SLURM_ARRAY_TASK_COUNT"), "{err}");
    }
}
