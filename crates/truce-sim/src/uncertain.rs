//! Parameters drawn once per replication (`[[uncertain]]`): policies judged against an uncertain
//! world.
//!
//! A scenario (or the base of a sweep, solve or calibration) can declare keys of the scenario
//! whose values nobody knows, each with a distribution. Replication r draws every one of them once,
//! at its start, from a stream of its own ([`Source::Uncertain`]) seeded by the replication's seed:
//! under common random numbers, replication r of every point of a sweep faces the same draws, so
//! every policy is evaluated against the same uncertain world. The draws are set into the
//! scenario's config as a sweep sets its values, the replication runs on the scenario so built,
//! and the values are recorded (`Record::uncertain`, one column per key in `runs.parquet`).
//!
//! Every distribution's support is checked at load against the key's valid range (its ends, or
//! every category), so that no draw can make an invalid scenario.

use crate::config::{ScenarioConfig, UncertainConfig};
use crate::seed::{self, Source};
use crate::sweep;
use crate::validate::{self, Problem};
use rand::RngExt;
use rand_distr::{Beta, Distribution, StandardNormal};

/// One uncertain parameter, resolved.
#[derive(Debug, Clone)]
pub struct Uncertain {
    /// The scenario key it sets, as in sweeps (`guarantors.air_cover.level`, `ladder[2].gain`).
    pub key: String,
    pub draw: Draw,
}

/// A distribution of [`Uncertain`].
#[derive(Debug, Clone)]
pub enum Draw {
    Uniform {
        min: f64,
        max: f64,
    },
    LogUniform {
        min: f64,
        max: f64,
    },
    Beta(Beta<f64>),
    /// median · exp(σ z), z standard normal cut at ±[`LOGNORMAL_CUT`].
    LogNormal {
        median: f64,
        sigma: f64,
    },
    /// A choice among values; `cumulative[i]` is the sum of the first i + 1 weights.
    Categorical {
        values: Vec<toml::Value>,
        cumulative: Vec<f64>,
    },
}

/// A lognormal draw is cut at this many standard deviations of its log (a chance of 10⁻¹⁵), so
/// that the ends of its support, checked at load, bound every draw.
pub const LOGNORMAL_CUT: f64 = 8.0;

/// How far the sum of categorical weights may be from 1.
const WEIGHT_TOLERANCE: f64 = 1e-9;

impl Uncertain {
    /// One draw: the value for a numeric distribution, the category's index for a categorical one.
    pub fn sample(&self, rng: &mut impl RngExt) -> f64 {
        match &self.draw {
            Draw::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Draw::LogUniform { min, max } => {
                (min.ln() + (max.ln() - min.ln()) * rng.random::<f64>()).exp()
            }
            Draw::Beta(d) => d.sample(rng),
            Draw::LogNormal { median, sigma } => {
                let z: f64 = rng.sample(StandardNormal);
                median * (sigma * z.clamp(-LOGNORMAL_CUT, LOGNORMAL_CUT)).exp()
            }
            Draw::Categorical { cumulative, .. } => {
                let u: f64 = rng.random();
                let total = cumulative.last().copied().unwrap_or(1.0);
                cumulative
                    .iter()
                    .position(|&c| u * total < c)
                    .unwrap_or(cumulative.len() - 1) as f64
            }
        }
    }

    /// The config value of a draw of [`Uncertain::sample`].
    pub fn value(&self, x: f64) -> toml::Value {
        match &self.draw {
            Draw::Categorical { values, .. } => values[x as usize].clone(),
            _ => toml::Value::Float(x),
        }
    }

    /// The categories' labels as the record's column shows them, for a categorical parameter of
    /// strings; `None` for a numeric column.
    pub fn labels(&self) -> Option<Vec<String>> {
        match &self.draw {
            Draw::Categorical { values, .. } if values.iter().any(|v| !is_number(v)) => Some(
                values
                    .iter()
                    .map(|v| match v {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The number a record column holds for a draw: the value itself, or a numeric category's
    /// value (a categorical of strings is shown by [`Uncertain::labels`] instead).
    pub fn number(&self, x: f64) -> f64 {
        match &self.draw {
            Draw::Categorical { values, .. } => match &values[x as usize] {
                toml::Value::Float(f) => *f,
                toml::Value::Integer(i) => *i as f64,
                toml::Value::Boolean(b) => f64::from(u8::from(*b)),
                _ => x,
            },
            _ => x,
        }
    }
}

fn is_number(v: &toml::Value) -> bool {
    matches!(
        v,
        toml::Value::Float(_) | toml::Value::Integer(_) | toml::Value::Boolean(_)
    )
}

/// The scenario's uncertain parameters and the config table they are set into, checked; every
/// problem of every parameter at once.
pub fn resolve(config: &ScenarioConfig) -> Result<(Vec<Uncertain>, toml::Table), Vec<Problem>> {
    let mut base = config.clone();
    base.uncertain.clear();
    let table = toml::Table::try_from(&base).map_err(|e| {
        vec![Problem {
            key: "uncertain".into(),
            message: format!("cannot be set into the scenario: {e}"),
        }]
    })?;
    let mut problems = Vec::new();
    let mut resolved = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, u) in config.uncertain.iter().enumerate() {
        let at = format!("uncertain[{i}]");
        if let Some(first) = seen.insert(u.key.as_str(), i) {
            problems.push(Problem {
                key: format!("{at}.key"),
                message: format!(
                    "`{}` is uncertain twice: uncertain[{first}] draws it too; give each key once",
                    u.key
                ),
            });
            continue;
        }
        match resolve_one(u, &table, &base) {
            Ok(r) => resolved.push(r),
            Err((field, message)) => problems.push(Problem {
                key: format!("{at}.{field}"),
                message,
            }),
        }
    }
    if problems.is_empty() {
        check_together(&resolved, &table)?;
        Ok((resolved, table))
    } else {
        Err(problems)
    }
}

/// At most this many combinations of the parameters' probe values are checked together.
const MAX_COMBINATIONS: usize = 4096;

/// The parameters, each checked alone by [`resolve_one`], at every combination of the ends of
/// their ranges (every category of a categorical): rules that tie keys together (a salvo's p90
/// above its median, the events a horizon allows at a decision interval) hold for every draw.
fn check_together(resolved: &[Uncertain], table: &toml::Table) -> Result<(), Vec<Problem>> {
    if resolved.len() < 2 {
        return Ok(());
    }
    let probes: Vec<Vec<f64>> = resolved.iter().map(probe_values).collect();
    let combinations = probes
        .iter()
        .try_fold(1usize, |n, p| n.checked_mul(p.len()))
        .filter(|&n| n <= MAX_COMBINATIONS);
    let Some(combinations) = combinations else {
        return Err(vec![Problem {
            key: "uncertain".into(),
            message: format!(
                "has more than {MAX_COMBINATIONS} combinations of range ends and categories to                  check: declare fewer uncertain parameters or fewer categories"
            ),
        }]);
    };
    for mut index in 0..combinations {
        let mut t = table.clone();
        let mut chosen = Vec::with_capacity(resolved.len());
        for (u, p) in resolved.iter().zip(&probes) {
            let x = p[index % p.len()];
            index /= p.len();
            sweep::set(&mut t, &u.key, u.value(x)).expect("set alone at load");
            chosen.push(format!("{} = {}", u.key, u.value(x)));
        }
        let problem = match validate::from_value(toml::Value::Table(t)) {
            Err(e) => Some(brief(&e)),
            Ok(config) => validate::check(&config)
                .into_iter()
                .next()
                .map(|p| format!("{}: {}", p.key, p.message)),
        };
        if let Some(problem) = problem {
            return Err(vec![Problem {
                key: "uncertain".into(),
                message: format!(
                    "can draw together {}, where {problem}: narrow their ranges",
                    chosen.join(", ")
                ),
            }]);
        }
    }
    Ok(())
}

/// The values of a parameter that bound what it can draw: the ends of its support, or its
/// categories' indices.
fn probe_values(u: &Uncertain) -> Vec<f64> {
    match &u.draw {
        Draw::Uniform { min, max } | Draw::LogUniform { min, max } => vec![*min, *max],
        Draw::Beta(_) => vec![0.0, 1.0],
        Draw::LogNormal { median, sigma } => {
            let end = (sigma * LOGNORMAL_CUT).exp();
            vec![median / end, median * end]
        }
        Draw::Categorical { values, .. } => (0..values.len()).map(|i| i as f64).collect(),
    }
}

/// Fields a distribution takes, by name.
fn fields(d: &str) -> &'static [&'static str] {
    match d {
        "uniform" | "log_uniform" => &["min", "max"],
        "beta" => &["mean", "strength"],
        "lognormal" => &["median", "sigma"],
        "categorical" => &["values", "weights"],
        _ => &[],
    }
}

type Located = (&'static str, String);

fn resolve_one(
    u: &UncertainConfig,
    table: &toml::Table,
    base: &ScenarioConfig,
) -> Result<Uncertain, Located> {
    const DISTRIBUTIONS: &str =
        "\"uniform\", \"log_uniform\", \"beta\", \"lognormal\", \"categorical\"";
    let d = u.distribution.as_str();
    let wanted = fields(d);
    if wanted.is_empty() {
        return Err((
            "distribution",
            format!("unknown distribution \"{d}\"; valid values are {DISTRIBUTIONS}"),
        ));
    }
    let given = [
        ("min", u.min.is_some()),
        ("max", u.max.is_some()),
        ("mean", u.mean.is_some()),
        ("strength", u.strength.is_some()),
        ("median", u.median.is_some()),
        ("sigma", u.sigma.is_some()),
        ("values", u.values.is_some()),
        ("weights", u.weights.is_some()),
    ];
    for (name, present) in given {
        if present && !wanted.contains(&name) {
            return Err((
                name,
                format!(
                    "is not a parameter of a {d} distribution, which takes {}",
                    wanted.join(" and ")
                ),
            ));
        }
    }
    let need = |name: &'static str, v: Option<f64>| {
        v.filter(|x| x.is_finite()).ok_or((
            name,
            format!("is required by a {d} distribution: give a finite number"),
        ))
    };
    if sweep::get(table, &u.key).is_none() {
        let suggestions = sweep::suggestions(&u.key, table);
        let hint = if suggestions.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", suggestions.join(", "))
        };
        return Err((
            "key",
            format!("`{}` is not a key of the scenario{hint}", u.key),
        ));
    }
    let integer = sweep::integer_key(base, &u.key);
    let draw = match d {
        "uniform" | "log_uniform" => {
            let (min, max) = (need("min", u.min)?, need("max", u.max)?);
            if min >= max {
                return Err(("max", format!("must be above min ({min}); got {max}")));
            }
            if d == "log_uniform" && min <= 0.0 {
                return Err((
                    "min",
                    format!("must be > 0 for a log-uniform distribution (got {min})"),
                ));
            }
            if d == "uniform" {
                Draw::Uniform { min, max }
            } else {
                Draw::LogUniform { min, max }
            }
        }
        "beta" => {
            let (mean, strength) = (need("mean", u.mean)?, need("strength", u.strength)?);
            if !(mean > 0.0 && mean < 1.0) {
                return Err((
                    "mean",
                    format!("must be strictly between 0 and 1 (got {mean})"),
                ));
            }
            if strength <= 0.0 {
                return Err((
                    "strength",
                    format!("must be > 0: alpha + beta (got {strength})"),
                ));
            }
            let beta = Beta::new(mean * strength, (1.0 - mean) * strength)
                .map_err(|e| ("strength", format!("gives no Beta distribution: {e}")))?;
            Draw::Beta(beta)
        }
        "lognormal" => {
            let (median, sigma) = (need("median", u.median)?, need("sigma", u.sigma)?);
            if median <= 0.0 {
                return Err(("median", format!("must be > 0 (got {median})")));
            }
            if sigma < 0.0 {
                return Err(("sigma", format!("must be >= 0 (got {sigma})")));
            }
            let top = median * (sigma * LOGNORMAL_CUT).exp();
            if !top.is_finite() || top == 0.0 {
                return Err((
                    "sigma",
                    format!("is too wide for median {median}: draws would not be finite numbers"),
                ));
            }
            Draw::LogNormal { median, sigma }
        }
        _ => {
            let values = u.values.clone().unwrap_or_default();
            let weights = u.weights.clone().ok_or((
                "weights",
                "is required by a categorical distribution: one weight per value, summing to 1"
                    .to_string(),
            ))?;
            if values.is_empty() {
                return Err(("values", "must list at least one value".into()));
            }
            if weights.len() != values.len() {
                return Err((
                    "weights",
                    format!(
                        "must have one weight per value: {} values, {} weights",
                        values.len(),
                        weights.len()
                    ),
                ));
            }
            if let Some(w) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
                return Err(("weights", format!("must all be >= 0 (got {w})")));
            }
            let total: f64 = weights.iter().sum();
            if (total - 1.0).abs() > WEIGHT_TOLERANCE {
                let shown = (total * 1e9).round() / 1e9;
                return Err(("weights", format!("must sum to 1 (they sum to {shown})")));
            }
            let cumulative = weights
                .iter()
                .scan(0.0, |acc, w| {
                    *acc += w;
                    Some(*acc)
                })
                .collect();
            Draw::Categorical { values, cumulative }
        }
    };
    let resolved = Uncertain {
        key: u.key.clone(),
        draw,
    };
    if integer && !matches!(resolved.draw, Draw::Categorical { .. }) {
        return Err((
            "distribution",
            format!(
                "`{}` takes whole numbers: give it a categorical distribution of integer values",
                u.key
            ),
        ));
    }
    // Every value a draw can take must make a valid scenario: the ends of the support (the
    // model's ranges are intervals), or every category.
    let probes: Vec<(f64, String)> = probe_values(&resolved)
        .into_iter()
        .map(|x| {
            let what = match &resolved.draw {
                Draw::Categorical { values, .. } => format!("the value {}", values[x as usize]),
                Draw::LogNormal { .. } => format!("{x} (8 standard deviations of its log away)"),
                Draw::Beta(_) => format!("values near {x}"),
                _ => format!("{x}"),
            };
            (x, what)
        })
        .collect();
    for (x, what) in probes {
        let mut t = table.clone();
        sweep::set(&mut t, &u.key, resolved.value(x)).map_err(|e| ("key", e))?;
        let config = validate::from_value(toml::Value::Table(t)).map_err(|e| {
            (
                "values",
                format!("{what} does not fit `{}`: {}", u.key, brief(&e)),
            )
        })?;
        if let Some(p) = validate::check(&config).into_iter().next() {
            let field = if matches!(resolved.draw, Draw::Categorical { .. }) {
                "values"
            } else {
                "distribution"
            };
            return Err((
                field,
                format!("can draw {what}, where {}: {}", p.key, p.message),
            ));
        }
    }
    Ok(resolved)
}

fn brief(e: &validate::ConfigError) -> String {
    e.problems()
        .first()
        .map_or_else(|| e.report(""), |p| format!("{}: {}", p.key, p.message))
}

/// Draws every uncertain parameter of a replication from its own stream, in declaration order,
/// and sets them into a copy of `table`.
pub fn draw(
    uncertain: &[Uncertain],
    table: &toml::Table,
    replication_seed: u64,
) -> (toml::Table, Vec<f64>) {
    let mut rng = seed::stream(replication_seed, Source::Uncertain);
    let mut table = table.clone();
    let draws: Vec<f64> = uncertain.iter().map(|u| u.sample(&mut rng)).collect();
    for (u, &x) in uncertain.iter().zip(&draws) {
        // The key was set at load with every value the draw can take.
        sweep::set(&mut table, &u.key, u.value(x)).expect("checked at load");
    }
    (table, draws)
}
