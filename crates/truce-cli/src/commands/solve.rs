//! `truce solve`: the value of one parameter at which a binary outcome's probability crosses a
//! target, at every combination of the `over` parameters (the frontier), into a results folder that
//! `truce analyze`, `plot` and `report` read like a sweep's.
//!
//! The root finder is [`truce_sim::solve`]; this module runs what it asks for. Each block of
//! replications at one value becomes a chunk file (`chunks/`) and an entry of the manifest, written
//! atomically, so an interrupted solve resumes (`--resume DIR`): the finder runs again from the
//! start, deterministically, and is answered from the manifest wherever the block was written.
//! Replications run under common random numbers (replication r of every value draws the same
//! streams), in parallel within a block and collected in order: results do not depend on the
//! number of threads or on interruptions.
//!
//! At the end the folder holds `solve.toml` (the resolved file), `points.parquet` (every value tried,
//! one point each, in the order first tried), `runs.parquet` (the chunks in the order written),
//! `solve.json` (the roots) and the manifest, marked complete.

use super::in_pool;
use super::search::{SearchArgs, read_resolved, write_chart_files};
use crate::error::{print_stdout, user};
use crate::output::blocks::{Provenance, read_manifest, write_block, write_manifest};
use crate::output::lock::FolderLock;
use crate::output::manifest::sha256_hex;
use crate::output::sweep::{CHUNKS, MANIFEST, remove_temporaries, write_points, write_runs};
use crate::output::{
    Staging, committing, install_signal_handler, set_interrupt_note, write_atomically,
};
use crate::solve_input::{self, Solve};
use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;
use truce_sim::Scenario;
use truce_sim::design::{Point, Role};
use truce_sim::solve::{Conclusion, Solution, hit};

pub const HELP: &str = "\
Examples:
  truce solve configs/solve/troops_for_ten_percent.toml
  truce solve my-solve.toml --out results/my-solve --threads 2
  truce solve --resume results/troops_for_ten_percent/2026-12-01T10-00-00Z

A solve file is a scenario file (with `base` as in sweeps) and a [solve] table: the `key` to solve
for with its `min` and `max`, the `outcome` (optionally `within_days`), the `target` probability,
the precision (`half_width` on the root, `max_replications` per value) and optional [[solve.over]]
parameters, at every combination of which a root is found. See docs/solve.md.

Output: results/<name>/<UTC start time>/ (or --out DIR) with solve.json (each root with its 95%
interval, the probability there, the replications used), solve.toml, points.parquet (every value
tried), runs.parquet (every replication), manifest.json. `truce analyze`, `plot` and `report` read it.";

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// Solve file (TOML): a scenario with a [solve] table.
    #[arg(
        value_name = "SOLVE_FILE",
        required_unless_present = "resume",
        conflicts_with = "resume"
    )]
    pub solve: Option<PathBuf>,

    #[command(flatten)]
    pub search: SearchArgs,

    /// At the end, also write report.html (as `truce report`).
    #[arg(long)]
    pub report: bool,
}

/// The resolved solve file in a solve folder.
pub use truce_formats::folder::SOLVE_TOML;
/// The roots.
pub const SOLVE_JSON: &str = "solve.json";

/// The method, as written into `solve.json`.
const METHOD: &str = "sample-average approximation under common random numbers: bisection on the \
estimated probability at a fixed set of replications, whose number doubles until the 95% interval \
(inversion of the pointwise Wilson test) is as narrow as asked or the budget is spent";

pub fn solve(args: &SolveArgs) -> Result<()> {
    let started = jiff::Timestamp::now();
    let clock = Instant::now();
    install_signal_handler();
    let mut job = match &args.search.resume {
        Some(dir) => Job::resume(dir, started, args.search.quiet)?,
        None => Job::start(args, started)?,
    };
    set_interrupt_note(format!(
        "the finished blocks are kept in {0}; resume with: truce solve --resume {0}",
        job.folder.display()
    ));
    let text = in_pool(args.search.threads, || job.run(args.search.quiet, clock))??;
    print_stdout(&text)?;
    print_stdout(&format!("results: {}\n", job.folder.display()))?;
    if args.report {
        let path = super::report::write(&job.folder, None, &super::plot::ChartArgs::defaults())?;
        print_stdout(&format!("report: {}\n", path.display()))?;
    }
    Ok(())
}

/// `manifest.json` of a solve folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SolveManifest {
    kind: String,
    solve: String,
    solve_file: Option<String>,
    solve_sha256: String,
    seed: u64,
    #[serde(flatten)]
    provenance: Provenance,
    started_utc: String,
    resumed_utc: Vec<String>,
    wall_seconds: f64,
    threads: usize,
    /// Always true: replication r of every value tried shares its random streams.
    crn: bool,
    key: String,
    outcome: String,
    within_days: Option<f64>,
    target: f64,
    /// `running` until every root is found, then `complete`.
    status: String,
    /// Every block of replications run, in the order run.
    evaluations: Vec<Evaluation>,
}

/// One block of replications at one value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Evaluation {
    /// The point id of the value (its row in `points.parquet`).
    point: u64,
    /// The combination of the `over` parameters, counted from 0 in grid order.
    combination: usize,
    x: f64,
    first: u64,
    count: u64,
    hits: u64,
    /// The chunk file under `chunks/`.
    file: String,
}

impl SolveManifest {
    fn new(solve: &Solve, sha256: String) -> Self {
        SolveManifest {
            kind: "solve".into(),
            solve: solve.sweep.base_config.name.clone(),
            solve_file: None,
            solve_sha256: sha256,
            seed: solve.sweep.seed,
            provenance: Provenance::current(),
            started_utc: String::new(),
            resumed_utc: Vec::new(),
            wall_seconds: 0.0,
            threads: 0,
            crn: true,
            key: solve.config.key.clone(),
            outcome: solve.config.outcome.clone(),
            within_days: solve.config.within_days,
            target: solve.config.target,
            status: "running".into(),
            evaluations: Vec::new(),
        }
    }

    fn read(dir: &Path) -> Result<Self> {
        read_manifest(dir, "solve")
    }

    fn write(&self, dir: &Path) -> Result<()> {
        write_manifest(dir, self)
    }
}

/// A solve folder being worked on.
#[derive(Debug)]
struct Job {
    folder: PathBuf,
    /// Held while the folder is worked on: a second process is refused.
    _lock: FolderLock,
    solve: Solve,
    manifest: SolveManifest,
    wall_before: f64,
}

impl Job {
    fn start(args: &SolveArgs, started: jiff::Timestamp) -> Result<Self> {
        let path = args
            .solve
            .as_deref()
            .ok_or_else(|| user("give a solve file, or --resume DIR"))?;
        let solve = solve_input::load(path, args.search.seed)?;
        let sha256 = sha256_hex(solve.resolved.as_bytes());
        let destination =
            args.search
                .destination("solve", &solve.sweep.base_config.name, started)?;
        let mut manifest = SolveManifest::new(&solve, sha256);
        manifest.solve_file = Some(path.display().to_string());
        manifest.started_utc = started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        let staging = Staging::create(destination)?;
        let dir = staging.path();
        let mut lock = FolderLock::acquire(dir, "--out")?;
        std::fs::write(dir.join(SOLVE_TOML), &solve.resolved)
            .with_context(|| format!("cannot write {}", dir.join(SOLVE_TOML).display()))?;
        std::fs::create_dir(dir.join(CHUNKS))
            .with_context(|| format!("cannot create {}", dir.join(CHUNKS).display()))?;
        manifest.write(dir)?;
        let folder = staging.commit()?;
        lock.moved_to(&folder);
        if !args.search.quiet {
            eprintln!(
                "solve {}: {} in [{}, {}] for P({}) = {}, {} combination{}; writing {}",
                solve.sweep.base_config.name,
                solve.config.key,
                solve.config.min,
                solve.config.max,
                outcome_label(&solve),
                solve.config.target,
                solve.combinations.len(),
                if solve.combinations.len() == 1 {
                    ""
                } else {
                    "s"
                },
                folder.display()
            );
        }
        Ok(Job {
            _lock: lock,
            folder,
            solve,
            manifest,
            wall_before: 0.0,
        })
    }

    fn resume(dir: &Path, started: jiff::Timestamp, quiet: bool) -> Result<Self> {
        SolveManifest::read(dir)?;
        // Locked before anything is read for good or removed: another process may be writing.
        let lock = FolderLock::acquire(dir, "--resume")?;
        let mut manifest = SolveManifest::read(dir)?;
        let text = read_resolved(dir, SOLVE_TOML, &manifest.solve_sha256, "solve")?;
        let path = dir.join(SOLVE_TOML);
        let solve = solve_input::from_resolved(&text, &path.display().to_string())?;
        remove_temporaries(dir)?;
        let chunks = dir.join(CHUNKS);
        if !chunks.is_dir() {
            // A folder appears whole: unlike a file, it needs no temporary name.
            std::fs::create_dir(&chunks)
                .with_context(|| format!("cannot create {}", chunks.display()))?;
        }
        manifest
            .resumed_utc
            .push(started.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        if !quiet {
            eprintln!(
                "resuming {}: {} blocks done",
                dir.display(),
                manifest.evaluations.len()
            );
        }
        Ok(Job {
            _lock: lock,
            folder: dir.to_path_buf(),
            wall_before: manifest.wall_seconds,
            solve,
            manifest,
        })
    }

    /// Finds every root, then writes the folder's final files; returns the printed table.
    fn run(&mut self, quiet: bool, clock: Instant) -> Result<String> {
        self.manifest.threads = rayon::current_num_threads();
        let schema = Scenario::from_config(self.solve.sweep.base_config.clone())
            .map_err(|e| anyhow!("the base scenario no longer builds: {e}"))?;
        let done: HashMap<(u64, u64), Evaluation> = self
            .manifest
            .evaluations
            .iter()
            .map(|e| ((e.point, e.first), e.clone()))
            .collect();
        let mut runner = Runner {
            folder: &self.folder,
            solve: &mut self.solve,
            manifest: &mut self.manifest,
            done,
            ids: HashMap::new(),
            scenarios: HashMap::new(),
            clock,
            wall_before: self.wall_before,
        };
        let mut solutions = Vec::new();
        let combinations = runner.solve.combinations.clone();
        for (c, combination) in combinations.iter().enumerate() {
            let finder = runner.solve.config.finder(runner.solve.integer);
            let solution = finder.solve(|x, reps| runner.evaluate(c, x, reps))?;
            if !quiet {
                eprintln!(
                    "  {}: {}",
                    combination_label(runner.solve, combination),
                    conclusion_text(&solution)
                );
            }
            solutions.push(solution);
        }
        // The folder's final files: the values tried, the records, the roots, then the status.
        let sha256 = self.manifest.solve_sha256.clone();
        write_points(&self.folder, &self.solve.sweep, &sha256)?;
        let files: Vec<PathBuf> = self
            .manifest
            .evaluations
            .iter()
            .map(|e| self.folder.join(CHUNKS).join(&e.file))
            .collect();
        write_runs(&self.folder, &schema, &files, metadata(&self.manifest))?;
        write_charts(&self.folder, &self.solve, &solutions)?;
        let json = results_json(&self.solve, &self.manifest, &solutions)?;
        write_atomically(&self.folder.join(SOLVE_JSON), json.as_bytes())?;
        self.manifest.status = truce_formats::manifest::COMPLETE.into();
        self.manifest.wall_seconds = self.wall_before + clock.elapsed().as_secs_f64();
        committing(|| self.manifest.write(&self.folder))?;
        Ok(render(&self.solve, &solutions))
    }
}

/// Answers the finder: from the manifest where a block was written, else by running it.
struct Runner<'a> {
    folder: &'a Path,
    solve: &'a mut Solve,
    manifest: &'a mut SolveManifest,
    done: HashMap<(u64, u64), Evaluation>,
    /// Point id of (combination, value bits).
    ids: HashMap<(usize, u64), u64>,
    scenarios: HashMap<u64, Scenario>,
    clock: Instant,
    wall_before: f64,
}

impl Runner<'_> {
    fn evaluate(&mut self, combination: usize, x: f64, reps: Range<u64>) -> Result<u64> {
        let id = self.point(combination, x);
        let count = reps.end - reps.start;
        if let Some(e) = self.done.get(&(id, reps.start)) {
            if e.count != count
                || e.combination != combination
                || (e.x - x).abs() > 1e-12 * x.abs().max(1.0)
            {
                return Err(user(format!(
                    "{}: block {} of the manifest does not match this solve; the folder is damaged: \
                     start a new solve from the solve file",
                    self.folder.join(MANIFEST).display(),
                    e.file
                )));
            }
            if !self.folder.join(CHUNKS).join(&e.file).is_file() {
                return Err(user(format!(
                    "{}: is missing though the manifest lists it; the folder is damaged: \
                     start a new solve from the solve file",
                    self.folder.join(CHUNKS).join(&e.file).display()
                )));
            }
            return Ok(e.hits);
        }
        if !self.scenarios.contains_key(&id) {
            let scenario = self.solve.sweep.scenario(id).map_err(|e| {
                user(format!(
                    "{} = {x}: {}",
                    self.solve.config.key,
                    e.report("the scenario")
                ))
            })?;
            self.scenarios.insert(id, scenario);
        }
        let scenario = &self.scenarios[&id];
        let mut records = truce_sim::run_replications(
            scenario,
            self.solve.sweep.seed,
            0,
            reps.start,
            count as usize,
            &|| {},
        );
        for record in &mut records {
            record.point = id;
        }
        let config = &self.solve.config;
        let hits = records
            .iter()
            .filter(|r| hit(r, &config.outcome, config.within_days))
            .count() as u64;
        let file = format!("p{id:06}_r{:09}.parquet", reps.start);
        let metadata = metadata(self.manifest);
        self.manifest.evaluations.push(Evaluation {
            point: id,
            combination,
            x,
            first: reps.start,
            count,
            hits,
            file: file.clone(),
        });
        self.manifest.wall_seconds = self.wall_before + self.clock.elapsed().as_secs_f64();
        let (folder, manifest) = (self.folder, &*self.manifest);
        write_block(folder, &file, scenario, &records, metadata, || {
            manifest.write(folder)
        })?;
        Ok(hits)
    }

    /// The point id of a value of a combination, added to the points when first tried.
    fn point(&mut self, combination: usize, x: f64) -> u64 {
        if let Some(&id) = self.ids.get(&(combination, x.to_bits())) {
            return id;
        }
        let sweep = &mut self.solve.sweep;
        let id = sweep.points.len() as u64;
        let mut values = self.solve.combinations[combination].clone();
        values.push(if self.solve.integer {
            toml::Value::Integer(x as i64)
        } else {
            toml::Value::Float(x)
        });
        let config = &self.solve.config;
        let mut unit = self.solve.units[combination].clone();
        unit.push((x - config.min) / (config.max - config.min));
        sweep.points.push(Point {
            id,
            values,
            unit,
            role: Role::Grid,
        });
        self.ids.insert((combination, x.to_bits()), id);
        id
    }
}

/// Key-value pairs in the footer of chunk files and `runs.parquet`.
fn metadata(manifest: &SolveManifest) -> Vec<(String, String)> {
    vec![
        ("truce.solve".into(), manifest.solve.clone()),
        ("truce.solve_sha256".into(), manifest.solve_sha256.clone()),
        ("truce.seed".into(), manifest.seed.to_string()),
        ("truce.version".into(), env!("CARGO_PKG_VERSION").into()),
    ]
}

/// "collapsed by day 730", or the outcome alone.
fn outcome_label(solve: &Solve) -> String {
    match solve.config.within_days {
        Some(d) => format!("{} by day {d}", solve.config.outcome),
        None => solve.config.outcome.clone(),
    }
}

fn combination_label(solve: &Solve, combination: &[toml::Value]) -> String {
    if combination.is_empty() {
        return "(all)".into();
    }
    solve
        .config
        .over
        .iter()
        .zip(combination)
        .map(|(p, v)| format!("{} = {}", short_key(&p.key), value_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn short_key(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn conclusion_text(solution: &Solution) -> String {
    match &solution.conclusion {
        Conclusion::Root {
            root, low, high, ..
        } => format!(
            "{root:.3} [{low:.3}, {high:.3}] ({} replications)",
            solution.replications_used
        ),
        Conclusion::MetEverywhere => format!(
            "target met over the whole range (P = {:.3} at min, {:.3} at max)",
            solution.at_min.p, solution.at_max.p
        ),
        Conclusion::NotReached => format!(
            "target not reached in the range (P = {:.3} at min, {:.3} at max)",
            solution.at_min.p, solution.at_max.p
        ),
    }
}

/// `solve.json`: the question, the method, and one result per combination.
fn results_json(solve: &Solve, manifest: &SolveManifest, solutions: &[Solution]) -> Result<String> {
    let results: Vec<serde_json::Value> = solve
        .combinations
        .iter()
        .zip(solutions)
        .map(|(combination, solution)| {
            let over: serde_json::Map<String, serde_json::Value> = solve
                .config
                .over
                .iter()
                .zip(combination)
                .map(|(p, v)| (p.key.clone(), toml_to_json(v)))
                .collect();
            let mut value = serde_json::to_value(solution).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.insert("over".into(), serde_json::Value::Object(over));
            }
            value
        })
        .collect();
    let json = serde_json::json!({
        "solve": manifest.solve,
        "key": solve.config.key,
        "min": solve.config.min,
        "max": solve.config.max,
        "outcome": solve.config.outcome,
        "within_days": solve.config.within_days,
        "target": solve.config.target,
        "target_reads": "P(outcome) at most target: the root is the boundary of the values that meet it",
        "half_width": solve.config.half_width,
        "tolerance": solve.config.tolerance(solve.integer),
        "initial_replications": solve.config.initial_replications,
        "max_replications": solve.config.max_replications,
        "seed": manifest.seed,
        "method": METHOD,
        "interval": "95%",
        "results": results,
    });
    let mut text = serde_json::to_string_pretty(&json).context("cannot write solve.json")?;
    text.push('\n');
    Ok(text)
}

fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::json!(s),
        toml::Value::Integer(i) => serde_json::json!(i),
        toml::Value::Float(f) => serde_json::json!(f),
        toml::Value::Boolean(b) => serde_json::json!(b),
        other => serde_json::json!(other.to_string()),
    }
}

/// The printed table: one row per combination.
fn render(solve: &Solve, solutions: &[Solution]) -> String {
    let config = &solve.config;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "solve {}: {} in [{}, {}] so that P({}) <= {}",
        solve.sweep.base_config.name,
        config.key,
        config.min,
        config.max,
        outcome_label(solve),
        config.target
    );
    let _ = writeln!(
        out,
        "{:<28} {:>10}  {:<22} {:<24} {:>12}",
        if config.over.is_empty() {
            String::new()
        } else {
            config
                .over
                .iter()
                .map(|p| short_key(&p.key).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        },
        "root",
        "95% interval",
        "P at root [95%]",
        "replications"
    );
    for (combination, solution) in solve.combinations.iter().zip(solutions) {
        let label = combination_label(solve, combination);
        match &solution.conclusion {
            Conclusion::Root {
                root,
                low,
                high,
                low_at_bound,
                high_at_bound,
                at_root,
            } => {
                let interval = format!("[{low:.2}, {high:.2}]");
                let cut = match (low_at_bound, high_at_bound) {
                    (false, false) => "",
                    (true, false) => "  (interval cut at min)",
                    (false, true) => "  (interval cut at max)",
                    (true, true) => "  (interval cut at min and max)",
                };
                let p = format!("{:.3} [{:.3}, {:.3}]", at_root.p, at_root.low, at_root.high);
                let _ = writeln!(
                    out,
                    "{label:<28} {root:>10.2}  {interval:<22} {p:<24} {:>12}{cut}{}",
                    solution.replications_used,
                    if solution.precision_met {
                        ""
                    } else {
                        "  (budget spent before the precision asked)"
                    }
                );
            }
            _ => {
                let _ = writeln!(out, "{label:<28} {}", conclusion_text(solution));
            }
        }
    }
    out
}

/// `charts/curve.png` and `.svg`: the estimated probability at every value tried, with the target
/// and each root's interval band; with `over`, `charts/frontier.png` and `.svg`: the roots.
fn write_charts(folder: &Path, solve: &Solve, solutions: &[Solution]) -> Result<()> {
    use truce_plot::solve::{
        CurveData, CurvePoint, CurveSeries, FrontierData, FrontierPoint, Root,
    };
    let config = &solve.config;
    let root_of = |s: &Solution| match s.conclusion {
        Conclusion::Root {
            root, low, high, ..
        } => Some(Root {
            value: root,
            lower: low,
            upper: high,
        }),
        _ => None,
    };
    let series = solve
        .combinations
        .iter()
        .zip(solutions)
        .map(|(combination, s)| CurveSeries {
            name: combination_label(solve, combination),
            points: s
                .curve
                .iter()
                .map(|e| CurvePoint {
                    x: e.x,
                    p: e.p,
                    lower: e.low,
                    upper: e.high,
                })
                .collect(),
            root: root_of(s),
        })
        .collect();
    let y_label = format!("P({})", outcome_label(solve));
    let curve = CurveData {
        title: format!(
            "{}: {} against {}",
            solve.sweep.base_config.name, y_label, config.key
        ),
        x_label: config.key.clone(),
        y_label: y_label.clone(),
        x_range: (config.min, config.max),
        target: config.target,
        series,
    };
    write_chart_files(folder, "curve", &curve)?;
    if config.over.is_empty() {
        return Ok(());
    }
    let frontier = FrontierData {
        title: format!(
            "{}: the {} at which {} = {}",
            solve.sweep.base_config.name,
            short_key(&config.key),
            y_label,
            config.target
        ),
        x_label: config
            .over
            .iter()
            .map(|p| p.key.clone())
            .collect::<Vec<_>>()
            .join(", "),
        y_label: config.key.clone(),
        y_range: (config.min, config.max),
        points: solve
            .combinations
            .iter()
            .zip(solutions)
            .map(|(combination, s)| FrontierPoint {
                label: combination
                    .iter()
                    .map(value_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                root: root_of(s),
                note: match s.conclusion {
                    Conclusion::NotReached => "not reached".into(),
                    Conclusion::MetEverywhere => "met everywhere".into(),
                    Conclusion::Root { .. } => String::new(),
                },
            })
            .collect(),
    };
    write_chart_files(folder, "frontier", &frontier)
}
