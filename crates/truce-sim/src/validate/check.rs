//! The range checks of a parsed config: every value against its rule, every problem at once, in
//! the order of the config's fields.

use super::{Problem, limits};
use crate::config::{Kind, PerKind, PerSector, ScenarioConfig};
use std::collections::HashMap;

/// A range rule for one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Strictly positive: durations, medians, scales, strengths.
    Positive,
    /// Zero or more: quantities, rates, costs, powers, sigmas.
    NonNegative,
    /// A probability, in [0, 1].
    Probability,
    /// A share or factor in [0, 1].
    Fraction,
    /// Strictly between 0 and 1.
    OpenUnit,
    /// In (0, 1]: a share of full strength.
    Strength,
}

impl Rule {
    fn holds(self, x: f64) -> bool {
        match self {
            Rule::Positive => x > 0.0,
            Rule::NonNegative => x >= 0.0,
            Rule::Probability | Rule::Fraction => (0.0..=1.0).contains(&x),
            Rule::OpenUnit => x > 0.0 && x < 1.0,
            Rule::Strength => x > 0.0 && x <= 1.0,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Rule::Positive => "must be > 0",
            Rule::NonNegative => "must be >= 0",
            Rule::Probability => "must be a probability in [0, 1]",
            Rule::Fraction => "must be in [0, 1]",
            Rule::OpenUnit => "must be strictly between 0 and 1",
            Rule::Strength => {
                "must be in (0, 1]: a share of full strength, 1 for full strength at signing"
            }
        }
    }
}

/// A number as a config file would spell it.
fn show(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x != 0.0 && x.is_finite() && !(1e-6..1e16).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// Collects problems in the order of the config's fields.
#[derive(Debug, Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
        });
    }

    /// Checks one number; `true` when it is finite and follows `rule`.
    fn number(&mut self, key: impl Into<String>, x: f64, rule: Rule) -> bool {
        if !x.is_finite() {
            self.push(key, format!("must be a finite number (got {})", show(x)));
            false
        } else if !rule.holds(x) {
            self.push(key, format!("{} (got {})", rule.describe(), show(x)));
            false
        } else {
            true
        }
    }

    fn at_least(&mut self, key: &str, n: u64, min: u64) {
        if n < min {
            self.push(key, format!("must be >= {min} (got {n})"));
        }
    }

    fn at_most(&mut self, key: &str, n: u64, max: u64) {
        if n > max {
            self.push(key, format!("must be at most {max} (got {n})"));
        }
    }

    /// A duration of at least one minute, the clock's tick; `minutes` is the minutes of its unit
    /// (`unit`), of which a minute is `1/minutes`.
    fn at_least_a_minute(&mut self, key: &str, value: f64, minutes: f64, unit: &str) {
        if value.is_finite() && value > 0.0 && value * minutes < 1.0 {
            self.push(
                key,
                format!(
                    "must be at least one minute (1/{minutes} {unit}), the clock's tick (got {})",
                    show(value)
                ),
            );
        }
    }

    /// `expected` events of one source in a replication, at most [`limits::EVENTS`].
    fn events(&mut self, key: &str, expected: f64, what: &str) {
        if expected.is_finite() && expected > limits::EVENTS {
            self.push(
                key,
                format!(
                    "gives about {expected:.3e} {what} in one replication, more than the {:.0e} \
                     a replication may have; lower it or shorten horizon_days",
                    limits::EVENTS
                ),
            );
        }
    }

    /// A per-sector value: a list must have one number per sector, and every number follows `rule`.
    fn per_sector(&mut self, key: &str, value: &PerSector, sectors: usize, rule: Rule) {
        match value {
            PerSector::All(x) => {
                self.number(key, *x, rule);
            }
            PerSector::Each(v) => {
                if sectors >= 1 && v.len() != sectors {
                    let values = if v.len() == 1 { "value" } else { "values" };
                    self.push(
                        key,
                        format!(
                            "has {} {values} but geography.sectors is {sectors}: give one number for all sectors or a list of {sectors}",
                            v.len()
                        ),
                    );
                }
                for (i, x) in v.iter().enumerate() {
                    self.number(format!("{key}[{i}]"), *x, rule);
                }
            }
        }
    }

    /// A per-kind value: every kind given follows `rule`. One number for all kinds is reported once.
    fn per_kind(&mut self, key: &str, value: &PerKind, rule: Rule) {
        if let [Some(a), Some(b), Some(c), Some(d)] = value.0
            && [b, c, d].iter().all(|x| x.to_bits() == a.to_bits())
        {
            self.number(key, a, rule);
            return;
        }
        for kind in Kind::ALL {
            if let Some(x) = value.0[kind.index()] {
                self.number(format!("{key}.{}", kind.name()), x, rule);
            }
        }
    }
}

/// The contingents of the reassurance force (section 15): not beside the shorthand keys, each
/// nation a unique column name, every number in range.
fn check_contingents(c: &mut Checker, r: &crate::config::ReassuranceConfig, sectors: usize) {
    use Rule::*;
    if r.contingents.is_empty() {
        return;
    }
    for key in r.shorthand_set() {
        c.push(
            format!("guarantors.reassurance.{key}"),
            format!(
                "is a key of the one-contingent shorthand, but guarantors.reassurance.contingents lists the contingents: give `{key}` in each contingent instead, or remove the list"
            ),
        );
    }
    if r.contingents.len() > limits::CONTINGENTS {
        c.push(
            "guarantors.reassurance.contingents",
            format!(
                "must have at most {} contingents (got {})",
                limits::CONTINGENTS,
                r.contingents.len()
            ),
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, k) in r.contingents.iter().enumerate() {
        let key = |field: &str| format!("guarantors.reassurance.contingents[{i}].{field}");
        unique_column_name(c, key("nation"), &k.nation, ("contingents", i), &mut seen);
        c.number(key("troops_rear"), k.troops_rear, NonNegative);
        c.per_sector(&key("troops"), &k.troops, sectors, NonNegative);
        c.per_sector(&key("distance_km"), &k.distance_km, sectors, NonNegative);
        c.number(key("staged"), k.staged, NonNegative);
        c.number(key("deploy_days"), k.deploy_days, Positive);
        c.number(key("deploy_sigma"), k.deploy_sigma, NonNegative);
        c.number(
            key("power_per_kilotroop"),
            k.power_per_kilotroop,
            NonNegative,
        );
        c.number(key("p_tripwire"), k.p_tripwire, Probability);
        if let Some(x) = k.tripwire_prior_mean {
            c.number(key("tripwire_prior_mean"), x, Probability);
        }
    }
}

/// Checks that `name`, at `key`, entry `at.1` of the list `at.0`, can name output columns and
/// is unique in its list (`seen`: the names before it, with their entries).
fn unique_column_name<'a>(
    c: &mut Checker,
    key: String,
    name: &'a str,
    at: (&str, usize),
    seen: &mut HashMap<&'a str, usize>,
) {
    let (list, i) = at;
    if let Some(problem) = column_name_problem(name) {
        c.push(key, problem);
    } else if let Some(first) = seen.get(name) {
        c.push(
            key,
            format!("must be unique, but {list}[{first}] is also named {name:?}"),
        );
    } else {
        seen.insert(name, i);
    }
}

/// Whether `name` can name output columns (a ladder class, a nation).
fn column_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("must not be empty".into())
    } else if name.chars().count() > limits::CLASS_NAME_CHARS {
        Some(format!(
            "must be at most {} characters, as it names output columns (got {})",
            limits::CLASS_NAME_CHARS,
            name.chars().count()
        ))
    } else if !name
        .chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    {
        Some(format!(
            "must be made of lowercase letters, digits and '_' only, as it names output columns (got {name:?})"
        ))
    } else {
        None
    }
}

/// Whether `name` can be a folder name on every common system.
fn folder_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("must not be empty: results are written under results/<name>/".into());
    }
    let chars = name.chars().count();
    if chars > limits::NAME_CHARS {
        return Some(format!(
            "must be at most {} characters, as it names a folder (got {chars})",
            limits::NAME_CHARS
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if !name.chars().all(allowed) || name == "." || name == ".." {
        return Some(format!(
            "must be usable as a folder name: letters, digits, '_', '-' and '.' only (got {name:?})"
        ));
    }
    None
}

/// Every range problem of a parsed config, in the order of its fields; empty when it is valid.
///
/// A config that passes can be built into a [`crate::Scenario`] without error.
pub fn check(config: &ScenarioConfig) -> Vec<Problem> {
    use Rule::*;
    let mut c = Checker::default();
    if let Some(message) = folder_name_problem(&config.name) {
        c.push("name", message);
    }
    let horizon = config.horizon_days;
    if c.number("horizon_days", horizon, Positive) && horizon > limits::HORIZON_DAYS {
        c.push(
            "horizon_days",
            format!(
                "must be at most {} (100 years; got {})",
                limits::HORIZON_DAYS,
                show(horizon)
            ),
        );
    }
    c.at_least_a_minute("horizon_days", horizon, 1440.0, "day");
    // Rates below are checked against this horizon only when it is usable.
    let horizon = if horizon.is_finite() && horizon > 0.0 {
        horizon.min(limits::HORIZON_DAYS)
    } else {
        0.0
    };
    c.at_least("replications", config.replications, 1);
    c.at_most("replications", config.replications, limits::REPLICATIONS);

    let g = &config.geography;
    let n = g.sectors;
    c.at_least("geography.sectors", n as u64, 1);
    c.at_most("geography.sectors", n as u64, limits::SECTORS as u64);
    // Lists are checked against the number of sectors only when it is within bounds.
    let n = if n > limits::SECTORS { 0 } else { n };
    c.per_sector("geography.value", &g.value, n, NonNegative);
    c.per_sector("geography.defence", &g.defence, n, NonNegative);
    c.number("geography.grab_value_factor", g.grab_value_factor, Fraction);

    if config.ladder.len() > limits::LADDER_CLASSES {
        c.push(
            "ladder",
            format!(
                "must have at most {} classes (got {})",
                limits::LADDER_CLASSES,
                config.ladder.len()
            ),
        );
    }
    if config.ladder.is_empty() {
        c.push(
            "ladder",
            "must not be empty: give at least one [[ladder]] class (leave `ladder` out for the five default classes)",
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, class) in config.ladder.iter().enumerate() {
        let key = |field: &str| format!("ladder[{i}].{field}");
        unique_column_name(&mut c, key("name"), &class.name, ("ladder", i), &mut seen);
        c.number(key("gain"), class.gain, NonNegative);
        c.number(key("cost"), class.cost, NonNegative);
        c.number(key("p_detect"), class.p_detect, Probability);
        c.number(key("ambiguity"), class.ambiguity, Probability);
        c.number(key("casualty_rate"), class.casualty_rate, NonNegative);
    }

    let a = &config.aggressor;
    if c.number(
        "aggressor.decision_interval_days",
        a.decision_interval_days,
        Positive,
    ) {
        c.at_least_a_minute(
            "aggressor.decision_interval_days",
            a.decision_interval_days,
            1440.0,
            "day",
        );
        c.events(
            "aggressor.decision_interval_days",
            horizon / a.decision_interval_days.max(limits::MIN_DURATION_DAYS),
            "decisions",
        );
    }
    c.number(
        "aggressor.decision_jitter_days",
        a.decision_jitter_days,
        NonNegative,
    );
    c.number("aggressor.resolve_sigma", a.resolve_sigma, NonNegative);
    c.number("aggressor.rationality", a.rationality, NonNegative);
    c.number("aggressor.power", a.power, NonNegative);
    c.number("aggressor.land_grab_power", a.land_grab_power, NonNegative);
    c.number("aggressor.regen_per_year", a.regen_per_year, NonNegative);
    c.number("aggressor.regen_cap", a.regen_cap, NonNegative);
    c.number("aggressor.war_cost", a.war_cost, NonNegative);
    c.number("aggressor.power_at_signing", a.power_at_signing, Strength);
    c.number("aggressor.recovery_days", a.recovery_days, Positive);
    c.number(
        "aggressor.time_to_objective_median_hours",
        a.time_to_objective_median_hours,
        Positive,
    );
    c.number(
        "aggressor.time_to_objective_sigma",
        a.time_to_objective_sigma,
        NonNegative,
    );

    let s = &config.strike;
    let median_ok = c.number("strike.salvo_median", s.salvo_median, Positive);
    if c.number("strike.salvo_p90", s.salvo_p90, Positive) && median_ok {
        let spread = (s.salvo_p90 / s.salvo_median).ln();
        if s.salvo_p90 <= s.salvo_median {
            c.push(
                "strike.salvo_p90",
                format!(
                    "must be > strike.salvo_median, which is {} (got {})",
                    show(s.salvo_median),
                    show(s.salvo_p90)
                ),
            );
        } else if !spread.is_finite() {
            c.push(
                "strike.salvo_p90",
                format!(
                    "is too far from strike.salvo_median ({}) to fit a lognormal (got {})",
                    show(s.salvo_median),
                    show(s.salvo_p90)
                ),
            );
        }
    }
    c.number("strike.p_d", s.p_d, Probability);

    let r = &config.guarantors.reassurance;
    let rk = |field: &str| format!("guarantors.reassurance.{field}");
    if let Some(x) = r.troops_rear {
        c.number(rk("troops_rear"), x, NonNegative);
    }
    if let Some(troops) = &r.troops {
        c.per_sector(&rk("troops"), troops, n, NonNegative);
    }
    if let Some(distance) = &r.distance_km {
        c.per_sector(&rk("distance_km"), distance, n, NonNegative);
    }
    if let Some(x) = r.power_per_kilotroop {
        c.number(rk("power_per_kilotroop"), x, NonNegative);
    }
    if let Some(x) = r.p_tripwire {
        c.number(rk("p_tripwire"), x, Probability);
    }
    check_contingents(&mut c, r, n);
    c.number(rk("solidarity"), r.solidarity, Probability);
    c.number(rk("provocation"), r.provocation, NonNegative);
    c.number(rk("distance_scale_km"), r.distance_scale_km, Positive);
    c.number(rk("rear_exposure_strike"), r.rear_exposure_strike, Fraction);
    c.number(
        rk("rear_exposure_offensive"),
        r.rear_exposure_offensive,
        Fraction,
    );
    c.number(rk("p_engaged"), r.p_engaged, Probability);
    c.number(rk("theta_hit"), r.theta_hit, Probability);
    c.per_kind(&rk("theta"), &r.theta, Probability);
    if let Some(x) = r.declared_hit {
        c.number(rk("declared_hit"), x, Probability);
    }
    c.per_kind(&rk("declared"), &r.declared, Probability);
    c.number(rk("latency_median_hours"), r.latency_median_hours, Positive);
    c.number(rk("latency_sigma"), r.latency_sigma, NonNegative);

    let u = &config.guarantors.air_cover;
    let uk = |field: &str| format!("guarantors.air_cover.{field}");
    c.number(uk("isr_detect_boost"), u.isr_detect_boost, Fraction);
    c.number(uk("isr_ambiguity_factor"), u.isr_ambiguity_factor, Fraction);
    c.number(uk("logistics_boost"), u.logistics_boost, NonNegative);
    c.number(uk("p_u"), u.p_u, Probability);
    c.per_kind(&uk("theta"), &u.theta, Probability);
    if let Some(x) = u.theta_hit {
        c.number(uk("theta_hit"), x, Probability);
    }
    if let Some(x) = u.declared_hit {
        c.number(uk("declared_hit"), x, Probability);
    }
    c.per_kind(&uk("declared"), &u.declared, Probability);
    c.number(uk("auth_median_hours"), u.auth_median_hours, Positive);
    c.number(uk("auth_sigma"), u.auth_sigma, NonNegative);
    c.number(uk("exec_median_hours"), u.exec_median_hours, Positive);
    c.number(uk("exec_sigma"), u.exec_sigma, NonNegative);
    c.number(uk("air_power"), u.air_power, NonNegative);
    c.number(uk("air_power_local"), u.air_power_local, NonNegative);
    c.number(uk("on_station"), u.on_station, Probability);
    c.number(
        uk("nfz_incident_rate_per_month"),
        u.nfz_incident_rate_per_month,
        NonNegative,
    );
    c.events(
        &uk("nfz_incident_rate_per_month"),
        u.nfz_incident_rate_per_month * horizon / 30.0,
        "air incidents",
    );
    c.number(uk("p_incident_clash"), u.p_incident_clash, Probability);
    c.number(
        uk("credibility_shock_rate_per_year"),
        u.credibility_shock_rate_per_year,
        NonNegative,
    );
    c.events(
        &uk("credibility_shock_rate_per_year"),
        u.credibility_shock_rate_per_year * horizon / 365.0,
        "credibility shocks",
    );
    c.number(uk("shock_duration_days"), u.shock_duration_days, Positive);
    c.number(uk("shock_factor"), u.shock_factor, OpenUnit);

    let d = &config.defender;
    c.per_kind("defender.theta", &d.theta, Probability);
    c.per_kind("defender.declared", &d.declared, Probability);
    c.per_kind(
        "defender.latency_median_hours",
        &d.latency_median_hours,
        Positive,
    );
    c.number("defender.latency_sigma", d.latency_sigma, NonNegative);
    c.number("defender.rearm_per_year", d.rearm_per_year, NonNegative);
    c.number("defender.power_at_signing", d.power_at_signing, Strength);
    c.number("defender.recovery_days", d.recovery_days, Positive);

    let p = &config.punishment;
    c.per_kind("punishment.defender", &p.defender, NonNegative);
    c.per_kind("punishment.reassurance", &p.reassurance, NonNegative);
    c.per_kind("punishment.air_cover", &p.air_cover, NonNegative);

    c.number("contest.gamma", config.contest.gamma, Positive);

    let b = &config.beliefs;
    let ps = &b.prior_strength;
    c.number("beliefs.prior_strength.defender", ps.defender, Positive);
    c.number(
        "beliefs.prior_strength.reassurance",
        ps.reassurance,
        Positive,
    );
    c.number("beliefs.prior_strength.air_cover", ps.air_cover, Positive);
    c.number(
        "beliefs.tripwire_prior_mean",
        b.tripwire_prior_mean,
        Probability,
    );
    c.number(
        "beliefs.tripwire_prior_strength",
        b.tripwire_prior_strength,
        Positive,
    );
    c.number("beliefs.observation_days", b.observation_days, Positive);
    c.number("beliefs.ambiguous_weight", b.ambiguous_weight, Fraction);
    c.number("beliefs.memory", b.memory, Fraction);

    let bg = &config.background;
    c.number("background.rate", bg.rate, NonNegative);
    c.number("background.dispersion", bg.dispersion, Positive);
    c.number(
        "background.recommit_multiplier",
        bg.recommit_multiplier,
        Fraction,
    );
    c.number(
        "background.recommit_erosion_days",
        bg.recommit_erosion_days,
        Positive,
    );

    let ng = &config.negotiation;
    c.number("negotiation.rate_per_month", ng.rate_per_month, NonNegative);
    c.events(
        "negotiation.rate_per_month",
        ng.rate_per_month * horizon / 30.0,
        "negotiation rounds",
    );
    c.number(
        "negotiation.p_round_success",
        ng.p_round_success,
        Probability,
    );
    c.number("negotiation.peace_dividend", ng.peace_dividend, NonNegative);
    c.number("negotiation.dividend_floor", ng.dividend_floor, Fraction);
    c.number(
        "negotiation.settlement_dividend",
        ng.settlement_dividend,
        Fraction,
    );
    c.at_least(
        "negotiation.rounds_to_settle",
        u64::from(ng.rounds_to_settle),
        1,
    );

    let cl = &config.collapse;
    c.at_least(
        "collapse.spiral_threshold",
        u64::from(cl.spiral_threshold),
        1,
    );
    c.number(
        "collapse.spiral_window_days",
        cl.spiral_window_days,
        Positive,
    );
    c.number("collapse.hazard_shape", cl.hazard_shape, Positive);
    c.number(
        "collapse.hazard_survival_1y",
        cl.hazard_survival_1y,
        OpenUnit,
    );
    c.number("collapse.hr_presence", cl.hr_presence, Positive);
    c.number("collapse.hr_air", cl.hr_air, Positive);

    let o = &config.offensive;
    c.number("offensive.days", o.days, Positive);
    if c.number("offensive.step_hours", o.step_hours, Positive) {
        c.at_least_a_minute("offensive.step_hours", o.step_hours, 60.0, "hour");
        if o.days.is_finite() && o.days > 0.0 {
            c.events(
                "offensive.step_hours",
                o.days * 24.0 / o.step_hours.max(1.0 / 60.0),
                "attrition steps of an offensive",
            );
        }
    }
    c.number("offensive.a_per_day", o.a_per_day, NonNegative);
    c.number("offensive.d_per_day", o.d_per_day, NonNegative);
    c.number("offensive.halt_fraction", o.halt_fraction, OpenUnit);
    c.number(
        "offensive.breakthrough_fraction",
        o.breakthrough_fraction,
        OpenUnit,
    );

    // Uncertain parameters are checked against the scenario they are drawn into, so only once
    // the rest of it is valid.
    if c.problems.is_empty()
        && !config.uncertain.is_empty()
        && let Err(problems) = crate::uncertain::resolve(config)
    {
        c.problems.extend(problems);
    }
    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(check(&ScenarioConfig::default()), vec![]);
    }

    #[test]
    fn nan_and_infinity_are_rejected_whatever_the_rule() {
        let mut c = ScenarioConfig {
            horizon_days: f64::NAN,
            ..ScenarioConfig::default()
        };
        c.aggressor.decision_jitter_days = f64::INFINITY;
        c.strike.p_d = f64::NEG_INFINITY;
        let problems = check(&c);
        assert_eq!(
            problems,
            vec![
                Problem {
                    key: "horizon_days".into(),
                    message: "must be a finite number (got nan)".into()
                },
                Problem {
                    key: "aggressor.decision_jitter_days".into(),
                    message: "must be a finite number (got inf)".into()
                },
                Problem {
                    key: "strike.p_d".into(),
                    message: "must be a finite number (got -inf)".into()
                },
            ]
        );
    }

    #[test]
    fn per_kind_entries_are_checked_one_by_one() {
        let mut c = ScenarioConfig::default();
        c.defender.theta = PerKind([Some(0.5), None, Some(1.5), Some(-0.1)]);
        c.guarantors.air_cover.declared = PerKind([None, Some(f64::NAN), None, None]);
        let problems = check(&c);
        assert_eq!(
            keys(&problems),
            vec![
                "guarantors.air_cover.declared.land_grab",
                "defender.theta.strike",
                "defender.theta.offensive",
            ]
        );
        assert_eq!(
            problems[1].message,
            "must be a probability in [0, 1] (got 1.5)"
        );
    }

    #[test]
    fn one_number_for_every_kind_is_reported_once() {
        let mut c = ScenarioConfig::default();
        c.punishment.reassurance = PerKind::all(-5.0);
        assert_eq!(
            check(&c),
            vec![Problem {
                key: "punishment.reassurance".into(),
                message: "must be >= 0 (got -5)".into()
            }]
        );
    }

    #[test]
    fn per_sector_lists_are_checked_for_length_and_entries() {
        let mut c = ScenarioConfig::default();
        c.guarantors.reassurance.troops = Some(PerSector::Each(vec![1.0, 2.0, 3.0, -4.0]));
        let problems = check(&c);
        assert_eq!(
            problems,
            vec![
                Problem {
                    key: "guarantors.reassurance.troops".into(),
                    message: "has 4 values but geography.sectors is 6: give one number for all sectors or a list of 6".into()
                },
                Problem {
                    key: "guarantors.reassurance.troops[3]".into(),
                    message: "must be >= 0 (got -4)".into()
                },
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut c = ScenarioConfig {
            replications: 0,
            ..ScenarioConfig::default()
        };
        c.ladder[2].p_detect = 1.2;
        c.guarantors.air_cover.auth_median_hours = 0.0;
        c.collapse.hazard_survival_1y = 1.0;
        c.offensive.halt_fraction = 0.0;
        let problems = check(&c);
        assert_eq!(
            problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![
                "replications: must be >= 1 (got 0)",
                "ladder[2].p_detect: must be a probability in [0, 1] (got 1.2)",
                "guarantors.air_cover.auth_median_hours: must be > 0 (got 0)",
                "collapse.hazard_survival_1y: must be strictly between 0 and 1 (got 1)",
                "offensive.halt_fraction: must be strictly between 0 and 1 (got 0)",
            ]
        );
    }

    #[test]
    fn ladder_names_must_be_unique_column_names() {
        let mut c = ScenarioConfig::default();
        c.ladder[1].name = "harassment".into();
        c.ladder[3].name = "Deep strike".into();
        c.ladder[4].name = String::new();
        let problems = check(&c);
        assert_eq!(
            keys(&problems),
            vec!["ladder[1].name", "ladder[3].name", "ladder[4].name"]
        );
        assert_eq!(
            problems[0].message,
            "must be unique, but ladder[0] is also named \"harassment\""
        );
        c.ladder.clear();
        assert_eq!(keys(&check(&c)), vec!["ladder"]);
    }

    #[test]
    fn names_must_be_folder_names() {
        let mut c = ScenarioConfig::default();
        for bad in ["", "a/b", "..", "two words", "a\\b"] {
            c.name = bad.into();
            assert_eq!(keys(&check(&c)), vec!["name"], "{bad:?}");
        }
        for good in ["baseline", "no-fly_zone.v2", "A1"] {
            c.name = good.into();
            assert_eq!(check(&c), vec![], "{good:?}");
        }
    }

    #[test]
    fn salvo_p90_must_exceed_the_median() {
        let mut c = ScenarioConfig::default();
        c.strike.salvo_p90 = 110.0;
        assert_eq!(
            check(&c)[0].to_string(),
            "strike.salvo_p90: must be > strike.salvo_median, which is 110 (got 110)"
        );
    }

    #[test]
    fn a_declared_hit_probability_is_checked_when_given() {
        let mut c = ScenarioConfig::default();
        c.guarantors.reassurance.declared_hit = Some(2.0);
        assert_eq!(
            keys(&check(&c)),
            vec!["guarantors.reassurance.declared_hit"]
        );
    }
}
