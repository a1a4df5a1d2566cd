//! From what Python gives (TOML text or a dict, dotted-key overrides) to a validated scenario or
//! sweep, with every problem kept with its key path for `truce.ConfigError`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::path::Path;
use truce_sim::schema::FileKind;
use truce_sim::suggest::with_suggestion;
use truce_sim::sweep::{self, Sweep, SweepError};
use truce_sim::{ConfigError, FileError, Problem, Scenario, ScenarioConfig, validate};

/// The baseline scenario, the config of `truce run` with no file.
pub const BASELINE: &str = include_str!("../../../configs/baseline.toml");

/// A config as Python gave it.
#[derive(Debug, Clone)]
pub enum Input {
    /// TOML text (read from a file by the Python side, or given as a string).
    Text(String),
    /// A dict, turned into a TOML table.
    Table(toml::Table),
}

impl Input {
    /// The config's TOML table (text that is not TOML is reported by the scenario parser, with its line).
    fn table(&self, origin: &str) -> Result<toml::Table, Failure> {
        match self {
            Input::Table(t) => Ok(t.clone()),
            Input::Text(text) => text.parse().map_err(|_| match validate::parse(text) {
                Err(e) => Failure::config(&e, origin),
                Ok(_) => Failure::one(origin, "", "not valid TOML", None),
            }),
        }
    }
}

/// One problem as Python gets it: `(key, message, line)`.
pub type PyProblem = (String, String, Option<usize>);

/// Bad input: every problem with its key path, and the text the command line prints for it.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `(key, message, line)` of each problem.
    pub problems: Vec<PyProblem>,
    /// The message `truce` prints after `error: `.
    pub report: String,
}

impl Failure {
    fn new(problems: Vec<PyProblem>, report: String, origin: &str) -> Self {
        let report = match report.lines().count() {
            0 | 1 => report,
            n => format!("{origin}: {n} problems\n{report}"),
        };
        Self { problems, report }
    }

    /// One problem.
    pub fn one(origin: &str, key: &str, message: &str, line: Option<usize>) -> Self {
        let problem = Problem {
            key: key.into(),
            message: message.into(),
        };
        let report = match line {
            Some(l) => format!("{origin}:{l}: {problem}"),
            None => format!("{origin}: {problem}"),
        };
        Self::new(vec![(key.into(), message.into(), line)], report, origin)
    }

    /// A scenario's problems, as `truce run` and `truce validate` report them.
    pub fn config(err: &ConfigError, origin: &str) -> Self {
        let line = match err {
            ConfigError::Parse { line, .. } => *line,
            ConfigError::Invalid(_) => None,
        };
        let problems = err
            .problems()
            .into_iter()
            .map(|p| (p.key, p.message, line))
            .collect();
        Self::new(problems, err.report(origin), origin)
    }

    /// Every problem of a file, each with its line, as `truce run` and `truce validate` report them.
    pub fn file(err: &FileError, origin: &str) -> Self {
        let problems = err
            .0
            .iter()
            .map(|p| {
                let line = p.at.map(|at| at.line);
                (p.problem.key.clone(), p.problem.message.clone(), line)
            })
            .collect();
        Self::new(problems, err.report(origin), origin)
    }

    /// A sweep's problems, as `truce sweep` reports them.
    pub fn sweep(err: &SweepError, origin: &str) -> Self {
        match err {
            SweepError::Config(e) => Self::config(e, origin),
            SweepError::Invalid(problems) => Self::new(
                problems
                    .iter()
                    .map(|p| (p.key.clone(), p.message.clone(), None))
                    .collect(),
                with_suggestion(&err.report(origin)),
                origin,
            ),
        }
    }
}

/// The replications, seed and overrides given beside a config.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub replications: Option<u64>,
    pub seed: Option<u64>,
    /// Dotted key paths and their values, in the order given.
    pub overrides: Vec<(String, toml::Value)>,
}

/// Parses and checks a scenario with its changes, as `truce run` does: parse errors name their line,
/// then every override is checked against the scenario's keys, then every range problem is reported.
pub fn scenario(input: &Input, origin: &str, changes: &Changes) -> Result<Scenario, Failure> {
    if let (Input::Text(text), true) = (input, changes.overrides.is_empty()) {
        // A file as `truce run` reads it: every problem at once, each at its line and column.
        let config = validate::read(text, |config| {
            if let Some(n) = changes.replications {
                config.replications = n;
            }
            if let Some(seed) = changes.seed {
                config.seed = seed;
            }
        })
        .map_err(|e| Failure::file(&e, origin))?;
        return Scenario::from_config(config).map_err(|e| Failure::config(&e, origin));
    }
    let mut config = match input {
        Input::Text(text) => validate::parse(text),
        Input::Table(table) => validate::from_value(toml::Value::Table(table.clone())),
    }
    .map_err(|e| Failure::config(&e, origin))?;
    if !changes.overrides.is_empty() {
        let mut table = input.table(origin)?;
        apply(&mut table, &config, &changes.overrides, origin)?;
        config = validate::from_value(toml::Value::Table(table))
            .map_err(|e| Failure::config(&e, origin))?;
    }
    if let Some(n) = changes.replications {
        config.replications = n;
    }
    if let Some(seed) = changes.seed {
        config.seed = seed;
    }
    Scenario::from_config(config).map_err(|e| Failure::config(&e, origin))
}

/// Sets each override in `table`; a key the scenario does not have is refused with the nearest
/// keys, as a sweep parameter's key is.
fn apply(
    table: &mut toml::Table,
    config: &ScenarioConfig,
    overrides: &[(String, toml::Value)],
    origin: &str,
) -> Result<(), Failure> {
    let mut full = toml::Table::try_from(config).map_err(|e| {
        Failure::one(
            origin,
            "",
            &format!("cannot write the scenario out: {e}"),
            None,
        )
    })?;
    sweep::merge(&mut full, table.clone());
    let mut problems = Vec::new();
    for (key, value) in overrides {
        let Some(current) = sweep::get(&full, key) else {
            let near = sweep::suggestions(key, &full)
                .iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(Problem {
                key: key.clone(),
                message: format!("\"{key}\" is not a key of the scenario; did you mean {near}?"),
            });
            continue;
        };
        let value = coerce(value.clone(), current);
        if let Err(message) = sweep::set(table, key, value) {
            problems.push(Problem {
                key: key.clone(),
                message,
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::config(&ConfigError::Invalid(problems), origin))
    }
}

/// Gives a value the type the scenario has at that key: an integral float for an integer key, an
/// integer for a float key (the rule of sweep parameters).
fn coerce(value: toml::Value, like: &toml::Value) -> toml::Value {
    match (value, like) {
        (toml::Value::Float(x), toml::Value::Integer(_))
            if x.fract() == 0.0 && x.abs() < 9.0e15 =>
        {
            toml::Value::Integer(x as i64)
        }
        (toml::Value::Integer(i), toml::Value::Float(_)) => toml::Value::Float(i as f64),
        (value, _) => value,
    }
}

/// Whether a config holds a `[sweep]` table.
pub fn is_sweep(input: &Input) -> bool {
    match input {
        Input::Table(t) => t.contains_key("sweep"),
        Input::Text(text) => text
            .parse::<toml::Table>()
            .is_ok_and(|t| t.contains_key("sweep")),
    }
}

/// Reads and checks a sweep as `truce sweep` does; `sweep.base` is relative to `dir` (the sweep
/// file's folder, or the working folder for a dict or a string).
pub fn sweep(
    input: &Input,
    origin: &str,
    dir: &Path,
    changes: &Changes,
    yes: bool,
) -> Result<Sweep, Failure> {
    if let Input::Text(text) = input
        && text
            .parse::<toml::Table>()
            .ok()
            .is_none_or(|t| t.contains_key("sweep"))
    {
        // As `truce sweep` reads a file: every syntax, key and type problem at once.
        let problems = validate::schema_problems(text, FileKind::Sweep);
        if !problems.is_empty() {
            return Err(Failure::file(&FileError(problems), origin));
        }
    }
    let (mut config, overlay) = match input {
        Input::Text(text) => sweep::split(text).map_err(|e| Failure::sweep(&e, origin))?,
        Input::Table(t) => {
            let text = toml::to_string(t)
                .map_err(|e| Failure::one(origin, "", &e.to_string(), None))?;
            sweep::split(&text).map_err(|e| Failure::sweep(&e, origin))?
        }
    }
    .ok_or_else(|| {
        Failure::one(
            origin,
            "sweep",
            "has no [sweep] table; a sweep is a scenario with a [sweep] table (see configs/sweeps/), \
             and truce.run runs a single scenario",
            None,
        )
    })?;
    let mut table = match config.base.clone() {
        None => overlay,
        Some(relative) => {
            let mut base = read_base(dir, &relative, origin)?;
            sweep::merge(&mut base, overlay);
            base
        }
    };
    let mut problems: Option<Failure> = None;
    if !changes.overrides.is_empty() {
        let parsed = validate::from_value(toml::Value::Table(table.clone()))
            .map_err(|e| Failure::config(&e, origin))?;
        if let Err(f) = apply(&mut table, &parsed, &changes.overrides, origin) {
            problems = Some(f);
        }
    }
    if let Some(n) = changes.replications {
        if config.precision.is_some() {
            return Err(Failure::one(
                origin,
                "sweep.precision",
                &format!(
                    "replications={n}: the sweep has a precision target, which decides the replications \
                     of each point; change its min_replications and max_replications instead"
                ),
                None,
            ));
        }
        config.replications = Some(n);
    }
    if let Some(f) = problems {
        return Err(f);
    }
    check_size(&config, origin, yes)?;
    let sweep = Sweep::new(config, table, changes.seed).map_err(|e| Failure::sweep(&e, origin))?;
    for (i, p) in sweep.parameters.iter().enumerate() {
        if p.name.starts_with("ladder[") && p.name.ends_with("].name") {
            return Err(Failure::one(
                origin,
                &format!("sweep.parameters[{i}] ({})", p.name),
                "the ladder's class names name the columns of the records, so every point must keep \
                 them; sweep another key of the class",
                None,
            ));
        }
    }
    Ok(sweep)
}

/// The base scenario named by `sweep.base`, as a table.
fn read_base(dir: &Path, relative: &str, origin: &str) -> Result<toml::Table, Failure> {
    let path = dir.join(relative);
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::one(
            origin,
            "sweep.base",
            &format!(
                "cannot read the base scenario {shown} (paths are relative to the sweep file): {e}"
            ),
            None,
        )
    })?;
    let table: toml::Table = Input::Text(text.clone()).table(&shown)?;
    if table.contains_key("sweep") {
        return Err(Failure::one(
            origin,
            "sweep.base",
            &format!("{shown} is itself a sweep file; name a scenario file"),
            None,
        ));
    }
    let problems = validate::schema_problems(&text, FileKind::Scenario);
    if !problems.is_empty() {
        return Err(Failure::file(&FileError(problems), &shown));
    }
    Ok(table)
}

/// Refuses a design larger than `sweep.max_points` unless `yes`, as `truce sweep` does without `--yes`.
fn check_size(config: &sweep::SweepConfig, origin: &str, yes: bool) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    let table = config.design_table();
    let (Ok(design), Ok(parameters)) = (sweep::design_of(&table), sweep::free_parameters(&table))
    else {
        return Ok(());
    };
    let Ok(size) = truce_sim::design::size(&design, &parameters) else {
        return Ok(());
    };
    if size > config.max_points {
        return Err(Failure::one(
            origin,
            "sweep.max_points",
            &format!(
                "the {} design has {size} points, more than sweep.max_points = {}; pass yes=True \
                 to go ahead anyway, or raise sweep.max_points",
                design.name(),
                config.max_points
            ),
            None,
        ));
    }
    Ok(())
}

/// Every problem of a config (a scenario, or a sweep with all its points), none when it is valid.
pub fn problems(input: &Input, origin: &str, dir: &Path, changes: &Changes) -> Option<Failure> {
    if is_sweep(input) {
        sweep(input, origin, dir, changes, true).err()
    } else {
        scenario(input, origin, changes).err()
    }
}

/// A Python value as a TOML value: `str`, `bool`, `int`, `float`, lists and dicts of them.
pub fn to_toml(value: &Bound<'_, PyAny>, key: &str) -> PyResult<toml::Value> {
    if value.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(toml::Value::Integer(value.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "{key}: the integer {value} does not fit in 64 bits"
            ))
        })?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(value.extract()?));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(toml::Value::String(value.extract()?));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return Ok(toml::Value::Table(to_table(dict, key)?));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            items.push(to_toml(&item?, &format!("{key}[{i}]"))?);
        }
        return Ok(toml::Value::Array(items));
    }
    // numpy scalars and other numbers: through float or int.
    if let Ok(i) = value
        .call_method0("__index__")
        .and_then(|v| v.extract::<i64>())
    {
        return Ok(toml::Value::Integer(i));
    }
    if let Ok(x) = value
        .call_method0("__float__")
        .and_then(|v| v.extract::<f64>())
    {
        return Ok(toml::Value::Float(x));
    }
    Err(PyTypeError::new_err(format!(
        "{key}: a {} cannot be a config value; give a str, bool, int, float, list or dict",
        value.get_type().name()?
    )))
}

/// A Python dict as a TOML table; its keys must be strings.
pub fn to_table(dict: &Bound<'_, PyDict>, prefix: &str) -> PyResult<toml::Table> {
    let mut table = toml::Table::new();
    for (k, v) in dict.iter() {
        let name: String = k.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "{prefix}: the dict's keys must be strings, got {k}"
            ))
        })?;
        if v.is_none() {
            continue;
        }
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        table.insert(name, to_toml(&v, &key)?);
    }
    Ok(table)
}
