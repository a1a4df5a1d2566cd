//! `truce calibrate`: the parameter values that make the model reproduce observed probabilities
//! (survival of real ceasefires, or any binary outcome by a day), by the simulated method of moments
//! of [`truce_sim::calibrate`], into a results folder that `truce analyze`, `plot` and `report` read
//! like a sweep's.
//!
//! The search: the Latin hypercube of the calibrate file's sweep (`explore` candidates), then
//! Nelder–Mead from the best of them (`refine` candidates). Every candidate runs replications
//! 0..`replications` under common random numbers, so the criterion is a deterministic function of
//! the parameters and the whole search is reproducible to the bit from the file and seed, at any
//! number of threads. Each candidate's records are a chunk file and an entry of the manifest,
//! written atomically: `--resume DIR` reruns the search and answers it from them.
//!
//! The folder: `calibrate.toml`, `points.parquet` (every candidate, in the order tried),
//! `runs.parquet`, `calibration.json`, `charts/fit.png` and `.svg` (the simulated survival at the
//! best candidate over the data's Kaplan–Meier curve, both with 95% bands), `manifest.json`.

use super::in_pool;
use super::search::{SearchArgs, read_resolved, write_chart_files};
use crate::calibrate_input::{self, Calibration};
use crate::error::{print_stdout, user};
use crate::output::blocks::{Provenance, read_manifest, write_block, write_manifest};
use crate::output::lock::FolderLock;
use crate::output::manifest::sha256_hex;
use crate::output::sweep::{CHUNKS, MANIFEST, remove_temporaries, write_points, write_runs};
use crate::output::{
    Staging, committing, install_signal_handler, set_interrupt_note, write_atomically,
};
use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;
use truce_sim::calibrate::{Target, chi2_95, criterion, nelder_mead};
use truce_sim::design::{Point, Role};
use truce_sim::solve::hit;
use truce_sim::stats::wilson;
use truce_sim::{Record, Scenario};

pub const HELP: &str = "\
Examples:
  truce calibrate configs/calibration/fortna_no_peacekeepers.toml
  truce calibrate my-calibration.toml --out results/my-calibration --threads 2
  truce calibrate --resume results/fortna_no_peacekeepers/2026-12-01T10-00-00Z

A calibrate file is a scenario file (with `base` as in sweeps) and a [calibrate] table: the
parameters with their bounds ([[calibrate.parameters]] key, min, max), the targets (a data file
of durations under [calibrate.data], whose Kaplan-Meier survival at the given days is the target,
or [[calibrate.targets]] given directly), the replications per candidate and the budget (explore,
refine). See docs/solve.md.

Output: results/<name>/<UTC start time>/ (or --out DIR) with calibration.json (the best values and
their 95% confidence set, the targets beside the simulated values, the goodness of fit),
charts/fit.png and .svg, calibrate.toml, points.parquet, runs.parquet and manifest.json.";

/// The resolved calibrate file in a calibration folder.
pub use truce_formats::folder::CALIBRATE_TOML;
/// The result.
pub const CALIBRATION_JSON: &str = "calibration.json";

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Calibrate file (TOML): a scenario with a [calibrate] table.
    #[arg(
        value_name = "CALIBRATE_FILE",
        required_unless_present = "resume",
        conflicts_with = "resume"
    )]
    pub calibrate: Option<PathBuf>,

    #[command(flatten)]
    pub search: SearchArgs,
}

pub fn calibrate(args: &CalibrateArgs) -> Result<()> {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();
    install_signal_handler();
    let mut job = match &args.search.resume {
        Some(dir) => Job::resume(dir, started, args.search.quiet)?,
        None => Job::start(args, started)?,
    };
    set_interrupt_note(format!(
        "the finished candidates are kept in {0}; resume with: truce calibrate --resume {0}",
        job.folder.display()
    ));
    let text = in_pool(args.search.threads, || job.run(args.search.quiet, clock))??;
    print_stdout(&text)?;
    print_stdout(&format!("results: {}\n", job.folder.display()))?;
    Ok(())
}

/// `manifest.json` of a calibration folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CalibrateManifest {
    kind: String,
    calibration: String,
    calibrate_file: Option<String>,
    calibrate_sha256: String,
    seed: u64,
    #[serde(flatten)]
    provenance: Provenance,
    started_utc: String,
    resumed_utc: Vec<String>,
    wall_seconds: f64,
    threads: usize,
    /// Always true: every candidate runs the same replications 0..n.
    crn: bool,
    replications: u64,
    /// The targets as used (computed from the data at the start).
    targets: Vec<Target>,
    status: String,
    /// Every candidate run, in the order run.
    candidates: Vec<Candidate>,
}

/// One candidate: its values, the simulated probability of each target, and the criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Candidate {
    point: u64,
    /// `explore` (the Latin hypercube) or `refine` (Nelder–Mead).
    stage: String,
    /// Coordinates in the unit cube of the bounds.
    unit: Vec<f64>,
    values: Vec<f64>,
    /// Replications with each target's outcome, of `replications`: a resume recomputes the
    /// simulated probabilities and the criterion from these integers, exactly.
    hits: Vec<u64>,
    simulated: Vec<f64>,
    criterion: f64,
    file: String,
}

#[derive(Debug)]
struct Job {
    folder: PathBuf,
    /// Held while the folder is worked on: a second process is refused.
    _lock: FolderLock,
    calibration: Calibration,
    manifest: CalibrateManifest,
    wall_before: f64,
}

impl Job {
    fn start(args: &CalibrateArgs, started: jiff::Timestamp) -> Result<Self> {
        let path = args
            .calibrate
            .as_deref()
            .ok_or_else(|| user("give a calibrate file, or --resume DIR"))?;
        let calibration = calibrate_input::load(path, args.search.seed)?;
        let destination =
            args.search
                .destination("calibrate", &calibration.sweep.base_config.name, started)?;
        let manifest = CalibrateManifest {
            kind: "calibrate".into(),
            calibration: calibration.sweep.base_config.name.clone(),
            calibrate_file: Some(path.display().to_string()),
            calibrate_sha256: sha256_hex(calibration.resolved.as_bytes()),
            seed: calibration.sweep.seed,
            provenance: Provenance::current(),
            started_utc: started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            resumed_utc: Vec::new(),
            wall_seconds: 0.0,
            threads: 0,
            crn: true,
            replications: calibration.config.replications,
            targets: calibration.targets.clone(),
            status: "running".into(),
            candidates: Vec::new(),
        };
        let staging = Staging::create(destination)?;
        let dir = staging.path();
        let mut lock = FolderLock::acquire(dir, "--out")?;
        std::fs::write(dir.join(CALIBRATE_TOML), &calibration.resolved)
            .with_context(|| format!("cannot write {}", dir.join(CALIBRATE_TOML).display()))?;
        std::fs::create_dir(dir.join(CHUNKS))
            .with_context(|| format!("cannot create {}", dir.join(CHUNKS).display()))?;
        write_manifest(dir, &manifest)?;
        let folder = staging.commit()?;
        lock.moved_to(&folder);
        if !args.search.quiet {
            eprintln!(
                "calibrate {}: {} parameters, {} targets, {} + {} candidates of {} replications; writing {}",
                manifest.calibration,
                calibration.config.parameters.len(),
                calibration.targets.len(),
                calibration.config.explore,
                calibration.config.refine,
                calibration.config.replications,
                folder.display()
            );
        }
        Ok(Job {
            _lock: lock,
            folder,
            calibration,
            manifest,
            wall_before: 0.0,
        })
    }

    fn resume(dir: &Path, started: jiff::Timestamp, quiet: bool) -> Result<Self> {
        let _: CalibrateManifest = read_manifest(dir, "calibrate")?;
        // Locked before anything is read for good or removed: another process may be writing.
        let lock = FolderLock::acquire(dir, "--resume")?;
        let mut manifest: CalibrateManifest = read_manifest(dir, "calibrate")?;
        let text = read_resolved(
            dir,
            CALIBRATE_TOML,
            &manifest.calibrate_sha256,
            "calibration",
        )?;
        let path = dir.join(CALIBRATE_TOML);
        let calibration = calibrate_input::from_resolved(&text, &path.display().to_string())?;
        let same = |a: &Target, b: &Target| {
            a.label == b.label
                && a.outcome == b.outcome
                && (a.probability - b.probability).abs() <= 1e-12
                && (a.se - b.se).abs() <= 1e-12
        };
        if calibration.targets.len() != manifest.targets.len()
            || !calibration
                .targets
                .iter()
                .zip(&manifest.targets)
                .all(|(a, b)| same(a, b))
        {
            return Err(user(format!(
                "{}: the targets computed from the data file now differ from those the calibration \
                 started with: the data file changed; start a new calibration",
                dir.display()
            )));
        }
        // The targets as computed now are used, exact; the manifest's, read back, were only checked.
        manifest.targets = calibration.targets.clone();
        remove_temporaries(dir)?;
        manifest
            .resumed_utc
            .push(started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        if !quiet {
            eprintln!(
                "resuming {}: {} candidates done",
                dir.display(),
                manifest.candidates.len()
            );
        }
        Ok(Job {
            _lock: lock,
            folder: dir.to_path_buf(),
            wall_before: manifest.wall_seconds,
            calibration,
            manifest,
        })
    }

    fn run(&mut self, quiet: bool, clock: Instant) -> Result<String> {
        self.manifest.threads = rayon::current_num_threads();
        let explore: Vec<Point> = self.calibration.sweep.points.clone();
        let mut runner = Runner {
            folder: &self.folder,
            calibration: &mut self.calibration,
            manifest: &mut self.manifest,
            ids: explore.iter().map(|p| (key_of(&p.unit), p.id)).collect(),
            clock,
            wall_before: self.wall_before,
        };
        let mut best = (f64::INFINITY, Vec::new());
        for point in &explore {
            let j = runner.evaluate(&point.unit, "explore")?;
            if j < best.0 {
                best = (j, point.unit.clone());
            }
        }
        let refine = runner.calibration.config.refine;
        if refine > 0 {
            nelder_mead(&best.1, 0.1, refine, |unit| runner.evaluate(unit, "refine"))?;
        }
        let summary = summarise(&self.calibration, &self.manifest.candidates);
        if !quiet {
            eprintln!(
                "{} candidates; best criterion {:.3}",
                self.manifest.candidates.len(),
                summary.best.criterion
            );
        }
        // The best candidate's records again (deterministic), for the fitted curve.
        let best_scenario = self
            .calibration
            .sweep
            .scenario(summary.best.point)
            .map_err(|e| anyhow!("the best candidate no longer builds: {e}"))?;
        let records = truce_sim::run_replications(
            &best_scenario,
            self.calibration.sweep.seed,
            0,
            0,
            self.calibration.config.replications as usize,
            &|| {},
        );
        write_points(
            &self.folder,
            &self.calibration.sweep,
            &self.manifest.calibrate_sha256,
        )?;
        let files: Vec<PathBuf> = self
            .manifest
            .candidates
            .iter()
            .map(|c| self.folder.join(CHUNKS).join(&c.file))
            .collect();
        let schema = Scenario::from_config(self.calibration.sweep.base_config.clone())
            .map_err(|e| anyhow!("the base scenario no longer builds: {e}"))?;
        write_runs(&self.folder, &schema, &files, metadata(&self.manifest))?;
        write_chart(&self.folder, &self.calibration, &records)?;
        let json = result_json(&self.calibration, &self.manifest, &summary)?;
        write_atomically(&self.folder.join(CALIBRATION_JSON), json.as_bytes())?;
        self.manifest.status = truce_formats::manifest::COMPLETE.into();
        self.manifest.wall_seconds = self.wall_before + clock.elapsed().as_secs_f64();
        committing(|| write_manifest(&self.folder, &self.manifest))?;
        Ok(render(&self.calibration, &summary))
    }
}

/// A candidate's identity: the bits of its unit coordinates.
fn key_of(unit: &[f64]) -> Vec<u64> {
    unit.iter().map(|u| u.to_bits()).collect()
}

struct Runner<'a> {
    folder: &'a Path,
    calibration: &'a mut Calibration,
    manifest: &'a mut CalibrateManifest,
    ids: HashMap<Vec<u64>, u64>,
    clock: Instant,
    wall_before: f64,
}

impl Runner<'_> {
    /// The criterion at the candidate with unit coordinates `unit`: from the manifest when it was
    /// run before, else by running it.
    fn evaluate(&mut self, unit: &[f64], stage: &str) -> Result<f64> {
        let id = self.point(unit);
        // Nelder–Mead may come back to a candidate, and a resumed search finds its earlier ones.
        let n = self.calibration.config.replications;
        if let Some(index) = self.manifest.candidates.iter().position(|c| c.point == id) {
            let c = &self.manifest.candidates[index];
            let chunk = self.folder.join(CHUNKS).join(&c.file);
            let same = c.unit.len() == unit.len()
                && c.unit.iter().zip(unit).all(|(a, b)| (a - b).abs() <= 1e-12)
                && c.hits.len() == self.calibration.targets.len();
            if !same || !chunk.is_file() {
                return Err(user(format!(
                    "{}: candidate {id} does not match this calibration or its file {} is missing; \
                     the folder is damaged: start a new calibration",
                    self.folder.join(MANIFEST).display(),
                    chunk.display()
                )));
            }
            // The numbers of a manifest read back are recomputed exactly, from the point and the counts.
            let simulated: Vec<f64> = c.hits.iter().map(|&h| h as f64 / n as f64).collect();
            let j = criterion(&self.calibration.targets, &simulated, n);
            let values = values_of(&self.calibration.sweep.points[id as usize]);
            let c = &mut self.manifest.candidates[index];
            c.unit = unit.to_vec();
            c.values = values;
            c.simulated = simulated;
            c.criterion = j;
            return Ok(j);
        }
        let calibration = &*self.calibration;
        let scenario = calibration.sweep.scenario(id).map_err(|e| {
            user(format!(
                "candidate {id} ({}): {}",
                values_text(calibration, &calibration.sweep.points[id as usize]),
                e.report("the scenario")
            ))
        })?;
        let mut records = truce_sim::run_replications(
            &scenario,
            calibration.sweep.seed,
            0,
            0,
            n as usize,
            &|| {},
        );
        for record in &mut records {
            record.point = id;
        }
        let hits = hits(&calibration.targets, &records);
        let simulated: Vec<f64> = hits.iter().map(|&h| h as f64 / n as f64).collect();
        let j = criterion(&calibration.targets, &simulated, n);
        let file = format!("c{id:06}.parquet");
        let values = values_of(&calibration.sweep.points[id as usize]);
        self.manifest.candidates.push(Candidate {
            point: id,
            stage: stage.into(),
            unit: unit.to_vec(),
            values,
            hits,
            simulated,
            criterion: j,
            file: file.clone(),
        });
        self.manifest.wall_seconds = self.wall_before + self.clock.elapsed().as_secs_f64();
        let metadata = metadata(self.manifest);
        let (folder, manifest) = (self.folder, &*self.manifest);
        write_block(folder, &file, &scenario, &records, metadata, || {
            write_manifest(folder, manifest)
        })?;
        Ok(j)
    }

    /// The point id of a candidate, added to the points when first tried.
    fn point(&mut self, unit: &[f64]) -> u64 {
        if let Some(&id) = self.ids.get(&key_of(unit)) {
            return id;
        }
        let calibration = &mut *self.calibration;
        let id = calibration.sweep.points.len() as u64;
        let values = calibration
            .config
            .parameters
            .iter()
            .zip(unit)
            .zip(&calibration.integer)
            .map(|((p, &u), &integer)| {
                let (min, max) = (p.min.unwrap_or(0.0), p.max.unwrap_or(1.0));
                let x = min + u * (max - min);
                if integer {
                    toml::Value::Integer(x.round() as i64)
                } else {
                    toml::Value::Float(x)
                }
            })
            .collect();
        calibration.sweep.points.push(Point {
            id,
            values,
            unit: unit.to_vec(),
            role: Role::Sample,
        });
        self.ids.insert(key_of(unit), id);
        id
    }
}

/// The number of replications among `records` with each target's outcome.
fn hits(targets: &[Target], records: &[Record]) -> Vec<u64> {
    targets
        .iter()
        .map(|t| {
            records
                .iter()
                .filter(|r| hit(r, &t.outcome, t.within_days))
                .count() as u64
        })
        .collect()
}

/// A candidate's parameter values as numbers.
fn values_of(point: &Point) -> Vec<f64> {
    point
        .values
        .iter()
        .map(|v| {
            v.as_float()
                .or(v.as_integer().map(|i| i as f64))
                .unwrap_or(f64::NAN)
        })
        .collect()
}

fn metadata(manifest: &CalibrateManifest) -> Vec<(String, String)> {
    vec![
        ("truce.calibration".into(), manifest.calibration.clone()),
        (
            "truce.calibrate_sha256".into(),
            manifest.calibrate_sha256.clone(),
        ),
        ("truce.seed".into(), manifest.seed.to_string()),
        ("truce.version".into(), env!("CARGO_PKG_VERSION").into()),
    ]
}

fn values_text(calibration: &Calibration, point: &Point) -> String {
    calibration
        .config
        .parameters
        .iter()
        .zip(&point.values)
        .map(|(p, v)| format!("{} = {v}", p.key))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The result: the best candidate, the confidence set and the fit.
#[derive(Debug)]
struct Summary {
    best: Candidate,
    /// Per parameter: the range of its values over the 95% confidence set.
    intervals: Vec<(f64, f64)>,
    /// Candidates in the confidence set.
    in_set: usize,
    /// χ²_p(0.95), the set's threshold above the best criterion.
    threshold: f64,
    /// Degrees of freedom of the fit test (targets − parameters) and its p-value.
    df: usize,
    p_value: Option<f64>,
}

fn summarise(calibration: &Calibration, candidates: &[Candidate]) -> Summary {
    let best = candidates
        .iter()
        .min_by(|a, b| a.criterion.total_cmp(&b.criterion))
        .cloned()
        .unwrap_or_else(|| unreachable!("the search runs at least two candidates"));
    let p = calibration.config.parameters.len();
    let threshold = chi2_95(p);
    let set: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.criterion - best.criterion <= threshold)
        .collect();
    let intervals = (0..p)
        .map(|i| {
            let values = set.iter().map(|c| c.values[i]);
            (
                values.clone().fold(f64::INFINITY, f64::min),
                values.fold(f64::NEG_INFINITY, f64::max),
            )
        })
        .collect();
    let df = calibration.targets.len().saturating_sub(p);
    let p_value = (df >= 1)
        .then(|| ChiSquared::new(df as f64).ok())
        .flatten()
        .map(|chi| 1.0 - chi.cdf(best.criterion));
    Summary {
        best,
        intervals,
        in_set: set.len(),
        threshold,
        df,
        p_value,
    }
}

fn result_json(
    calibration: &Calibration,
    manifest: &CalibrateManifest,
    summary: &Summary,
) -> Result<String> {
    let n = calibration.config.replications;
    let parameters: Vec<serde_json::Value> = calibration
        .config
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "key": p.key,
                "min": p.min,
                "max": p.max,
                "best": summary.best.values[i],
                "low": summary.intervals[i].0,
                "high": summary.intervals[i].1,
            })
        })
        .collect();
    let targets: Vec<serde_json::Value> = calibration
        .targets
        .iter()
        .zip(summary.best.simulated.iter().zip(&summary.best.hits))
        .map(|(t, (&m, &hits))| {
            let (low, high) = shown_interval(t, hits, n);
            serde_json::json!({
                "target": t.label,
                "observed": t.shown(t.probability),
                "se": t.se,
                "simulated": t.shown(m),
                "simulated_low": low,
                "simulated_high": high,
            })
        })
        .collect();
    let json = serde_json::json!({
        "calibration": manifest.calibration,
        "method": "simulated method of moments under common random numbers: criterion J = sum over targets of (simulated - observed)^2 / (se^2 + m(1-m)/n), minimised over a Latin hypercube then Nelder-Mead; 95% confidence set: candidates with J - J_min <= chi2_p(0.95); fit: J_min against chi2 with (targets - parameters) degrees of freedom",
        "seed": manifest.seed,
        "replications": n,
        "candidates": manifest.candidates.len(),
        "best_point": summary.best.point,
        "criterion": summary.best.criterion,
        "confidence_set_threshold": summary.threshold,
        "candidates_in_confidence_set": summary.in_set,
        "fit_degrees_of_freedom": summary.df,
        "fit_p_value": summary.p_value,
        "parameters": parameters,
        "targets": targets,
    });
    let mut text = serde_json::to_string_pretty(&json).context("cannot write calibration.json")?;
    text.push('\n');
    Ok(text)
}

/// The 95% Wilson interval of a target's simulated value from `hits` of `n`, on the scale the
/// target is given in (a survival S(t) is 1 − P(collapsed by t)).
fn shown_interval(target: &Target, hits: u64, n: u64) -> (f64, f64) {
    let (low, high) = wilson(hits, n);
    if target.survival {
        (1.0 - high, 1.0 - low)
    } else {
        (low, high)
    }
}

fn render(calibration: &Calibration, summary: &Summary) -> String {
    let n = calibration.config.replications;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "calibrate {}: best of {} candidates, criterion J = {:.3}",
        calibration.sweep.base_config.name,
        calibration.sweep.points.len(),
        summary.best.criterion
    );
    let _ = writeln!(
        out,
        "{:<40} {:>10}  95% confidence set ({} candidates with J - J_min <= {:.2})",
        "parameter", "best", summary.in_set, summary.threshold
    );
    for (i, p) in calibration.config.parameters.iter().enumerate() {
        let (low, high) = summary.intervals[i];
        let _ = writeln!(
            out,
            "{:<40} {:>10.4}  [{low:.4}, {high:.4}]{}",
            p.key,
            summary.best.values[i],
            if summary.in_set == 1 {
                "  (one candidate: narrower than the search resolution)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        out,
        "{:<22} {:>10} {:>8}  {:<28}",
        "target", "observed", "se", "simulated [95%]"
    );
    let best = &summary.best;
    for (t, (&m, &hits)) in calibration
        .targets
        .iter()
        .zip(best.simulated.iter().zip(&best.hits))
    {
        let (low, high) = shown_interval(t, hits, n);
        let _ = writeln!(
            out,
            "{:<22} {:>10.3} {:>8.3}  {:.3} [{low:.3}, {high:.3}]",
            t.label,
            t.shown(t.probability),
            t.se,
            t.shown(m)
        );
    }
    match summary.p_value {
        Some(p) => {
            let _ = writeln!(
                out,
                "fit: J = {:.3} on {} degrees of freedom, p = {p:.3}",
                summary.best.criterion, summary.df
            );
        }
        None => {
            let _ = writeln!(
                out,
                "fit: as many parameters as targets, no degrees of freedom left to test the fit"
            );
        }
    }
    out
}

/// `charts/fit.png` and `charts/fit.svg`: the simulated survival at the best candidate over the
/// data's Kaplan–Meier curve, each with its 95% band.
fn write_chart(folder: &Path, calibration: &Calibration, records: &[Record]) -> Result<()> {
    use truce_plot::survival::{SurvivalData, SurvivalSeries};
    let horizon = calibration.sweep.base_config.horizon_days;
    let times: Vec<f64> = records
        .iter()
        .map(|r| r.collapse_day.unwrap_or(horizon))
        .collect();
    let events: Vec<bool> = records.iter().map(|r| r.collapsed).collect();
    let curve = truce_analysis::survival::kaplan_meier(&times, &events);
    let steps = &curve.steps;
    let mut series = vec![SurvivalSeries {
        name: format!(
            "simulated at the best values ({} replications)",
            records.len()
        ),
        days: steps.iter().map(|s| s.time).collect(),
        survival: steps.iter().map(|s| s.survival).collect(),
        lower: steps
            .iter()
            .map(|s| s.lower.unwrap_or(s.survival))
            .collect(),
        upper: steps
            .iter()
            .map(|s| s.upper.unwrap_or(s.survival))
            .collect(),
    }];
    if let Some(data) = &calibration.data_curve {
        let keep = data.days.iter().take_while(|&&d| d <= horizon).count();
        series.push(SurvivalSeries {
            name: data.label.clone(),
            days: data.days[..keep].to_vec(),
            survival: data.survival[..keep].to_vec(),
            lower: data.lower[..keep].to_vec(),
            upper: data.upper[..keep].to_vec(),
        });
    }
    let mut data = SurvivalData::new(
        format!(
            "{}: fitted survival against the data",
            calibration.sweep.base_config.name
        ),
        series,
    );
    data.horizon = Some(horizon);
    write_chart_files(folder, "fit", &data)
}
