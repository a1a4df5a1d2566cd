//! The validated scenario: the second config layer, with every range checked and every distribution built.
//!
//! [`Scenario::from_toml_str`] is the one way in from text: parse ([`crate::config`]), check
//! ([`crate::validate`]), then derive what the model reads in its hot loop.

mod terms;

pub use terms::{
    AggressorTerms, AirCoverTerms, BackgroundTerms, BeliefTerms, CollapseTerms, ContestTerms,
    DefenderTerms, NegotiationTerms, OffensiveTerms, ReassuranceTerms, ResponseTerms,
};

use crate::config::{AirCoverLevel, ClassConfig, ContingentConfig, Kind, Roe, ScenarioConfig};
use crate::responder::Responder;
use crate::time::{self, Minutes};
use crate::validate::{self, ConfigError, Problem};
use rand_distr::LogNormal;

/// One sector of the line of contact, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Sector {
    pub value: f64,
    pub defence: f64,
    /// R's troops here, every contingent's, in thousands.
    pub troops: f64,
}

/// One national contingent of R, resolved (section 15).
#[derive(Debug, Clone, PartialEq)]
pub struct Contingent {
    pub nation: String,
    pub troops_rear: f64,
    /// Thousands of troops in each sector.
    pub troops: Vec<f64>,
    /// exp(−distance / distance_scale) in each sector: how much of a violation there reaches them.
    pub exposure: Vec<f64>,
    /// Thousands of troops staged outside the country.
    pub staged: f64,
    /// The deployment delay of staged troops, in hours.
    pub deploy: Latency,
    pub roe: Roe,
    pub power_per_kilotroop: f64,
    pub p_tripwire: f64,
    /// Mean of A's prior that this government fights when its troops are hit.
    pub tripwire_prior_mean: f64,
    /// Thousands of troops in the country: the rear and every sector.
    pub in_country: f64,
    /// Troops on the line: every sector.
    pub line: f64,
    /// Its combat power that fights in a land grab in each sector under its rules of
    /// engagement: `[if the grab missed it, if it hit it]` (section 7).
    pub r_power: Vec<[f64; 2]>,
}

impl Contingent {
    /// Mean casualties of its troops in sector `s` from a violation there of casualty rate
    /// `rate` (section 15): the rate times its troops there times their exposure.
    pub fn sector_casualties(&self, rate: f64, s: usize) -> f64 {
        rate * self.troops[s] * self.exposure[s]
    }

    /// Mean casualties of its troops in the rear from a strike of casualty rate `rate` whose
    /// munitions leaked in the share `leaked`, with the rear's exposure to strikes.
    pub fn strike_casualties(&self, rate: f64, leaked: f64, rear_exposure: f64) -> f64 {
        rate * self.troops_rear * leaked * rear_exposure
    }

    /// Mean casualties of its troops in the rear from an offensive of casualty rate `rate`.
    pub fn rear_casualties(&self, rate: f64, rear_exposure: f64) -> f64 {
        rate * self.troops_rear * rear_exposure
    }
}

/// What an option puts at stake for R (sections 5 and 15), per (class, sector).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exposure {
    /// P_R_hit: 1 − exp(−expected casualties of every contingent); 0 without R.
    pub p_hit: f64,
    /// P_hit,n of each contingent.
    pub p_hit_each: Vec<f64>,
    /// For a land grab, the distribution of R's combat power that fights, as A sees it:
    /// (probability, power) over which contingents under self-defence rules the grab hits, in
    /// a fixed order. One entry of probability 1 when no contingent's power depends on it.
    pub r_power: Vec<(f64, f64)>,
}

/// One ladder class, with air cover's intelligence effects applied to detection and ambiguity.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: String,
    pub kind: Kind,
    pub gain: f64,
    pub cost: f64,
    pub p_detect: f64,
    pub ambiguity: f64,
    pub casualty_rate: f64,
    /// p_detect · (1 − ambiguity): the chance that a violation is detected and attributed.
    pub p_detect_attr: f64,
    /// The punishment of D, R and U for a violation of its kind ([`ResponseTerms::punishment`]).
    pub punishment: [f64; 3],
    /// A's expected utility counts a war term: its kind is serious and R is present (section 15).
    pub war: bool,
}

/// A lognormal latency or duration, kept with its median and σ so that A can reason about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    pub median_hours: f64,
    pub sigma: f64,
    pub dist: LogNormal<f64>,
}

impl Latency {
    pub fn new(median_hours: f64, sigma: f64) -> Result<Self, String> {
        let dist = LogNormal::new(median_hours.ln(), sigma)
            .map_err(|e| format!("median {median_hours} h, sigma {sigma}: {e}"))?;
        Ok(Self {
            median_hours,
            sigma,
            dist,
        })
    }
}

/// A scenario ready to run.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The resolved config it was built from (written to the manifest).
    pub config: ScenarioConfig,
    pub horizon: Minutes,
    pub sectors: Vec<Sector>,
    pub classes: Vec<Class>,
    /// What each responder's response means, indexed by [`Responder`].
    pub responses: [ResponseTerms; 3],
    pub aggressor: AggressorTerms,
    pub defender: DefenderTerms,
    pub reassurance: ReassuranceTerms,
    pub air_cover: AirCoverTerms,
    pub beliefs: BeliefTerms,
    pub background: BackgroundTerms,
    pub negotiation: NegotiationTerms,
    pub collapse: CollapseTerms,
    pub offensive: OffensiveTerms,
    pub contest: ContestTerms,
    pub horizon_days: f64,
    /// R's θ and declared response probability when a violation hit it.
    pub r_theta_hit: f64,
    pub r_declared_hit: f64,
    /// R has troops in the country (in a sector or in the rear): it is a responder and can be hit.
    pub r_present: bool,
    /// U is a responder (on call or no-fly zone).
    pub u_responder: bool,
    pub level: AirCoverLevel,
    /// D's combat power multiplier from U's logistics (1 below `isr`).
    pub logistics: f64,
    /// U's interception probability against strikes (0 below `air_defence`).
    pub p_u: f64,
    pub d_latency: [Latency; 4],
    pub r_latency: Latency,
    pub u_auth: Latency,
    pub u_exec: Latency,
    pub time_to_objective: Latency,
    pub resolve: LogNormal<f64>,
    pub salvo: LogNormal<f64>,
    /// Probability that each strike munition is intercepted: 1 − (1 − p_D)(1 − p_U).
    pub p_intercept: f64,
    /// The contingents of R, in list order (one, `coalition`, for the shorthand keys).
    pub contingents: Vec<Contingent>,
    /// The force is given by the shorthand keys of version 1.1.
    pub shorthand: bool,
    /// `exposure[class][sector]`: what the option puts at stake for R (section 5); for a class
    /// without a sector, every entry is the same.
    pub exposure: Vec<Vec<Exposure>>,
    /// A's expected R combat power in an offensive of each class (0 for other classes):
    /// each contingent's troops under its rules of engagement.
    pub offensive_r_power: Vec<f64>,
    /// U's true response probability to a violation that hit R (the backstop, section 16).
    pub u_theta_hit: Option<f64>,
    /// The mean of A's prior about the backstop; `None`: A has no belief of its own about it.
    pub u_declared_hit: Option<f64>,
    /// 1 + π · T / 15 (section 17): the factor of A's drive.
    pub provocation: f64,
    /// A's estimate of P(U's denial latency < its median time to objective), section 5.
    pub p_u_in_time: f64,
    /// Scale of the exogenous Weibull collapse time, in days, hazard ratios applied.
    pub hazard_scale_days: f64,
    /// The sum over the sectors of D's defence, for the offensive.
    pub defence_total: f64,
    /// The parameters drawn once per replication, and the config they are set into (`uncertain.rs`).
    pub uncertain: Vec<crate::uncertain::Uncertain>,
    uncertain_table: toml::Table,
    /// [`Scenario::strength_on`] each whole day from day 0, as far as it needs an `exp`; empty
    /// for a scenario built for one replication.
    strength_table: Vec<Strength>,
}

/// The most days [`Scenario::strength_table`] covers (about 98 KB).
const STRENGTH_TABLE_DAYS: usize = 4096;

/// A's and D's strength on one day (sections 7 and 14), as A's outlook and the contests read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    /// A's regeneration factor (section 7).
    pub regen: f64,
    /// f_A, A's recovery from exhaustion at signing (section 14); it also scales the expected
    /// gain of a deep strike (A's missile and drone stocks).
    pub recovery: f64,
    /// D's defence factor: rearmament (section 7), U's logistics (section 6) and D's recovery
    /// from exhaustion f_D (section 14), in that order.
    pub defence_factor: f64,
}

impl Strength {
    /// A's power as a multiple of its full strength at signing: its regeneration times its
    /// recovery. Multiplies both its total power and its land-grab power.
    pub fn power_factor(&self) -> f64 {
        self.regen * self.recovery
    }
}

/// Time constants after which a recovery is exactly 1: beyond them (1 − e) exp(−x) < 2⁻⁵⁴,
/// and 1 minus it rounds to 1.
const RECOVERED: f64 = 38.0;

/// f(t) = 1 − (1 − e) · exp(−t / τ): the share of full strength of a side that signed at a
/// share `e` of it and recovers with time constant `tau_days`, `day` days after signing
/// (section 14). Exactly 1 when `e` is 1, so that the mechanism off changes no number.
pub fn recovery(e: f64, tau_days: f64, day: f64) -> f64 {
    let x = day / tau_days;
    if e == 1.0 || x > RECOVERED {
        1.0
    } else {
        1.0 - (1.0 - e) * (-x).exp()
    }
}

impl Scenario {
    /// Parses and validates a scenario from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        let config = validate::parse(text)?;
        Self::from_config(config)
    }

    /// Validates a parsed config and builds the scenario.
    pub fn from_config(config: ScenarioConfig) -> Result<Self, ConfigError> {
        let problems = validate::check(&config);
        if !problems.is_empty() {
            return Err(ConfigError::Invalid(problems));
        }
        let (uncertain, uncertain_table) = if config.uncertain.is_empty() {
            (Vec::new(), toml::Table::new())
        } else {
            crate::uncertain::resolve(&config).map_err(ConfigError::Invalid)?
        };
        let mut scenario = Self::build(config).map_err(|p| ConfigError::Invalid(vec![p]))?;
        if uncertain.is_empty() {
            // Shared by all its replications. A scenario with uncertain parameters runs none
            // itself: each replication builds its own (`with_draws`), for which the table
            // would cost about what it saves.
            scenario = scenario.with_strength_table();
        }
        scenario.uncertain = uncertain;
        scenario.uncertain_table = uncertain_table;
        Ok(scenario)
    }

    /// With uncertain parameters, the scenario of a replication whose seed is `replication_seed`
    /// and its draws (in declaration order); `None` without.
    pub fn with_draws(&self, replication_seed: u64) -> Option<(Scenario, Vec<f64>)> {
        if self.uncertain.is_empty() {
            return None;
        }
        let (table, draws) =
            crate::uncertain::draw(&self.uncertain, &self.uncertain_table, replication_seed);
        // Every value a draw can take, alone and with the others at the ends of their ranges,
        // was checked at load (`uncertain::resolve`).
        let config = validate::from_value(toml::Value::Table(table)).expect("checked at load");
        let scenario = Self::build(config).expect("checked at load");
        Some((scenario, draws))
    }

    /// Derives the scenario from a checked config. The checks leave no error here but for
    /// combinations they do not foresee; each names its key.
    fn build(mut config: ScenarioConfig) -> Result<Self, Problem> {
        // The resolved config states the shorthand force in full (written to the manifest).
        config.guarantors.reassurance.fill_shorthand();
        let c = &config;
        let n = c.geography.sectors;
        let ac = &c.guarantors.air_cover;
        let re = &c.guarantors.reassurance;
        let level = ac.level;
        let isr = level >= AirCoverLevel::Isr;
        let resolve_sector = |p: &crate::config::PerSector, key: &str| {
            p.resolve(n)
                .ok_or_else(|| problem(key, format!("needs {n} values")))
        };
        let value = resolve_sector(&c.geography.value, "geography.value")?;
        let defence = resolve_sector(&c.geography.defence, "geography.defence")?;
        let contingents = re
            .contingents()
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let shorthand = re.contingents.is_empty();
                let prior = c.beliefs.tripwire_prior_mean;
                contingent(k, i, shorthand, n, re.distance_scale_km, prior)
            })
            .collect::<Result<Vec<_>, Problem>>()?;
        let troops_total = contingents.iter().map(|k| k.in_country).sum::<f64>();
        let sectors = (0..n)
            .map(|s| Sector {
                value: value[s],
                defence: defence[s],
                troops: contingents.iter().map(|k| k.troops[s]).sum(),
            })
            .collect::<Vec<_>>();
        let mut classes: Vec<Class> = c
            .ladder
            .iter()
            .map(|k: &ClassConfig| {
                let p_detect = if isr {
                    k.p_detect + ac.isr_detect_boost * (1.0 - k.p_detect)
                } else {
                    k.p_detect
                };
                let ambiguity = if isr {
                    k.ambiguity * ac.isr_ambiguity_factor
                } else {
                    k.ambiguity
                };
                Class {
                    name: k.name.clone(),
                    kind: k.kind,
                    gain: k.gain,
                    cost: k.cost,
                    p_detect,
                    ambiguity,
                    casualty_rate: k.casualty_rate,
                    p_detect_attr: p_detect * (1.0 - ambiguity),
                    // Set below, once the responses and R's presence are known.
                    punishment: [0.0; 3],
                    war: false,
                }
            })
            .collect();
        // A partial per-kind table falls back, kind by kind, to the defaults of config.rs.
        let defaults = ScenarioConfig::default();
        let (dd, dr, du) = (
            &defaults.defender,
            &defaults.guarantors.reassurance,
            &defaults.guarantors.air_cover,
        );
        let d_theta = c.defender.theta.or_from(&dd.theta);
        let r_theta = re.theta.or_from(&dr.theta);
        let u_theta = ac.theta.or_from(&du.theta);
        let ps = &c.beliefs.prior_strength;
        let defender = ResponseTerms {
            theta: d_theta,
            declared: c.defender.declared.or(d_theta),
            punishment: c.punishment.defender.or_from(&defaults.punishment.defender),
            prior_strength: ps.defender,
        };
        let reassurance = ResponseTerms {
            theta: r_theta,
            declared: re.declared.or(r_theta),
            punishment: c
                .punishment
                .reassurance
                .or_from(&defaults.punishment.reassurance),
            prior_strength: ps.reassurance,
        };
        let air_cover = ResponseTerms {
            theta: u_theta,
            declared: ac.declared.or(u_theta),
            punishment: c
                .punishment
                .air_cover
                .or_from(&defaults.punishment.air_cover),
            prior_strength: ps.air_cover,
        };
        let d_median = c
            .defender
            .latency_median_hours
            .or_from(&dd.latency_median_hours);
        let d_key = "defender.latency_median_hours";
        let d_latency = [
            Latency::new(d_median[0], c.defender.latency_sigma).map_err(at(d_key))?,
            Latency::new(d_median[1], c.defender.latency_sigma).map_err(at(d_key))?,
            Latency::new(d_median[2], c.defender.latency_sigma).map_err(at(d_key))?,
            Latency::new(d_median[3], c.defender.latency_sigma).map_err(at(d_key))?,
        ];
        let u_auth = Latency::new(ac.auth_median_hours, ac.auth_sigma)
            .map_err(at("guarantors.air_cover.auth_median_hours"))?;
        let u_exec = Latency::new(ac.exec_median_hours, ac.exec_sigma)
            .map_err(at("guarantors.air_cover.exec_median_hours"))?;
        let time_to_objective = Latency::new(
            c.aggressor.time_to_objective_median_hours,
            c.aggressor.time_to_objective_sigma,
        )
        .map_err(at("aggressor.time_to_objective_median_hours"))?;
        let u_responder = level >= AirCoverLevel::OnCall;
        let p_u_in_time = u_in_time(&u_auth, &u_exec, &time_to_objective, level, ac.on_station);
        let r_present = troops_total > 0.0;
        let p_u = if level >= AirCoverLevel::AirDefence {
            ac.p_u
        } else {
            0.0
        };
        let p_intercept = 1.0 - (1.0 - c.strike.p_d) * (1.0 - p_u);
        let responses = [defender, reassurance, air_cover];
        for class in &mut classes {
            class.punishment = responses
                .each_ref()
                .map(|r| r.punishment[class.kind.index()]);
            class.war = class.kind.is_serious() && r_present;
        }
        let p_hit_of = |mean: f64| if r_present { 1.0 - (-mean).exp() } else { 0.0 };
        let exposure_of = |class: &Class, sector: Option<usize>| {
            let means: Vec<f64> = contingents
                .iter()
                .map(|k| expected_casualties(class, sector, k, re, p_intercept))
                .collect();
            let p_hit_each: Vec<f64> = means.iter().map(|&m| p_hit_of(m)).collect();
            let r_power = match (class.kind, sector) {
                (Kind::LandGrab, Some(s)) => grab_r_power(&contingents, &p_hit_each, s),
                _ => Vec::new(),
            };
            Exposure {
                p_hit: p_hit_of(means.iter().sum()),
                p_hit_each,
                r_power,
            }
        };
        let exposure = classes
            .iter()
            .map(|class: &Class| {
                if class.kind.has_sector() {
                    (0..n).map(|s| exposure_of(class, Some(s))).collect()
                } else {
                    // The same for every sector (an offensive sums over all of them): once, so
                    // that building a scenario stays linear in the number of sectors.
                    vec![exposure_of(class, None); n]
                }
            })
            .collect::<Vec<Vec<Exposure>>>();
        let offensive_r_power = exposure
            .iter()
            .zip(&classes)
            .map(|(e, class)| {
                if class.kind != Kind::Offensive {
                    return 0.0;
                }
                let p_hit_each = e.first().map_or(&[][..], |e| &e.p_hit_each[..]);
                contingents
                    .iter()
                    .zip(p_hit_each)
                    .map(|(k, &p_hit)| {
                        let r = match k.roe {
                            Roe::Combat => k.in_country,
                            Roe::DefendSector => k.line,
                            Roe::SelfDefence => p_hit * k.in_country,
                        };
                        r * k.power_per_kilotroop
                    })
                    .sum()
            })
            .collect();
        let u_theta_hit = u_responder.then_some(ac.theta_hit).flatten();
        let u_declared_hit = if u_responder {
            ac.declared_hit.or(ac.theta_hit)
        } else {
            None
        };
        let salvo_sigma = (c.strike.salvo_p90 / c.strike.salvo_median).ln() / Z90;
        let hazard = &c.collapse;
        let base_scale = 365.0 / (-hazard.hazard_survival_1y.ln()).powf(1.0 / hazard.hazard_shape);
        let mut hazard_ratio = 1.0;
        if r_present {
            hazard_ratio *= hazard.hr_presence;
        }
        if u_responder {
            hazard_ratio *= hazard.hr_air;
        }
        // S(t) = exp(−HR (t/λ)^k) = exp(−(t / (λ HR^(−1/k)))^k).
        let hazard_scale_days = base_scale * hazard_ratio.powf(-1.0 / hazard.hazard_shape);
        let defence_total = sectors.iter().map(|s| s.defence).sum::<f64>();
        let terms = terms::Terms::new(c);
        Ok(Self {
            horizon: time::days(c.horizon_days),
            sectors,
            classes,
            responses,
            aggressor: terms.aggressor,
            defender: terms.defender,
            reassurance: terms.reassurance,
            air_cover: terms.air_cover,
            beliefs: terms.beliefs,
            background: terms.background,
            negotiation: terms.negotiation,
            collapse: terms.collapse,
            offensive: terms.offensive,
            contest: terms.contest,
            horizon_days: c.horizon_days,
            r_theta_hit: re.theta_hit,
            r_declared_hit: re.declared_hit.unwrap_or(re.theta_hit),
            r_present,
            u_responder,
            level,
            logistics: if isr { 1.0 + ac.logistics_boost } else { 1.0 },
            p_u,
            p_intercept,
            shorthand: re.contingents.is_empty(),
            provocation: 1.0 + re.provocation * troops_total / 15.0,
            contingents,
            exposure,
            offensive_r_power,
            u_theta_hit,
            u_declared_hit,
            d_latency,
            r_latency: Latency::new(re.latency_median_hours, re.latency_sigma)
                .map_err(at("guarantors.reassurance.latency_median_hours"))?,
            u_auth,
            u_exec,
            time_to_objective,
            resolve: LogNormal::new(0.0, c.aggressor.resolve_sigma)
                .map_err(|e| problem("aggressor.resolve_sigma", e.to_string()))?,
            salvo: LogNormal::new(c.strike.salvo_median.ln(), salvo_sigma)
                .map_err(|e| problem("strike.salvo_p90", e.to_string()))?,
            p_u_in_time,
            hazard_scale_days,
            defence_total,
            uncertain: Vec::new(),
            uncertain_table: toml::Table::new(),
            strength_table: Vec::new(),
            config,
        })
    }

    /// The scenario with [`Scenario::strength_table`] filled in: one entry per whole day from
    /// day 0, up to the horizon, to the day after which both recoveries are exactly 1 (from then
    /// on only regeneration and rearmament change, without an `exp`), or to
    /// [`STRENGTH_TABLE_DAYS`], whichever comes first.
    fn with_strength_table(mut self) -> Self {
        let (a, d) = (&self.aggressor, &self.defender);
        let recovering = |e: f64, tau: f64| if e == 1.0 { 0.0 } else { RECOVERED * tau };
        let last = (recovering(a.power_at_signing, a.recovery_days))
            .max(recovering(d.power_at_signing, d.recovery_days))
            .min(self.horizon_days)
            .min(STRENGTH_TABLE_DAYS as f64);
        // `last` is finite and below 2¹² here, so the cast is exact after `ceil`.
        let days = last.ceil() as usize + 1;
        self.strength_table = (0..days).map(|d| self.strength_on(d as f64)).collect();
        self
    }

    /// A's and D's strength `day` days after signing (sections 7 and 14).
    pub fn strength_on(&self, day: f64) -> Strength {
        let (a, d) = (&self.aggressor, &self.defender);
        let rearmed = self.logistics * (1.0 + d.rearm_per_year * day / 365.0);
        Strength {
            regen: 1.0 + (a.regen_per_year * day / 365.0).min(a.regen_cap),
            recovery: recovery(a.power_at_signing, a.recovery_days, day),
            defence_factor: rearmed * recovery(d.power_at_signing, d.recovery_days, day),
        }
    }

    /// A's and D's strength at `now` (sections 7 and 14): [`Scenario::strength_on`] its day,
    /// looked up for a whole day within the table.
    #[inline]
    pub fn strength(&self, now: Minutes) -> Strength {
        const DAY: Minutes = time::MINUTES_PER_DAY as Minutes;
        // A whole day d has d · 1440 minutes, and `to_days` gives back d exactly.
        match self.strength_table.get((now / DAY) as usize) {
            Some(s) if now.is_multiple_of(DAY) => *s,
            _ => self.strength_on(time::to_days(now)),
        }
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// Names of the belief columns of a record, in the order of [`crate::Record::beliefs`]:
    /// each responder (defender, reassurance, air_cover) about each class, then R when hit, then
    /// the tripwire (`belief_tripwire` for the shorthand force, one per nation for a list), then
    /// the backstop (null where A holds no belief about it).
    pub fn belief_columns(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(3 * self.classes.len() + 2);
        for responder in crate::responder::RESPONDERS {
            for class in &self.classes {
                names.push(format!("belief_{}_{}", responder.name(), class.name));
            }
        }
        names.push("belief_reassurance_hit".into());
        if self.shorthand {
            names.push("belief_tripwire".into());
        } else {
            for k in &self.contingents {
                names.push(format!("belief_tripwire_{}", k.nation));
            }
        }
        // Always named, so that scenarios with and without a backstop have the same columns;
        // null in records without a belief about it ([`crate::Record::beliefs`] is shorter).
        names.push("belief_air_cover_hit".into());
        names
    }

    /// What option `class` in `sector` puts at stake for R (`sector` 0 for a class without one).
    pub fn exposure(&self, class: usize, sector: usize) -> &Exposure {
        &self.exposure[class][sector]
    }

    /// What responder j's response means.
    pub fn response(&self, j: Responder) -> &ResponseTerms {
        &self.responses[j as usize]
    }

    /// Whether responder j is present: a term in A's expected utility and a source of learning.
    pub fn present(&self, j: Responder) -> bool {
        match j {
            Responder::Defender => true,
            Responder::Reassurance => self.r_present,
            Responder::AirCover => self.u_responder,
        }
    }
}

/// Expected casualties of contingent `k` from a violation of `class` in `sector` (sections 6
/// and 15): Poisson means of the sector's exposure, of the rear to a strike's leakers, or of the
/// whole line and the rear to an offensive.
pub fn expected_casualties(
    class: &Class,
    sector: Option<usize>,
    k: &Contingent,
    re: &crate::config::ReassuranceConfig,
    p_intercept: f64,
) -> f64 {
    match (class.kind, sector) {
        (Kind::Harassment | Kind::LandGrab, Some(s)) => k.sector_casualties(class.casualty_rate, s),
        (Kind::Strike, _) => k.strike_casualties(
            class.casualty_rate,
            1.0 - p_intercept,
            re.rear_exposure_strike,
        ),
        (Kind::Offensive, _) => {
            let line: f64 = k.troops.iter().zip(&k.exposure).map(|(t, e)| t * e).sum();
            class.casualty_rate * (line + k.troops_rear * re.rear_exposure_offensive)
        }
        _ => 0.0,
    }
}

/// Resolves contingent `i` of the list (`shorthand`: the one of the shorthand keys).
fn contingent(
    k: &ContingentConfig,
    i: usize,
    shorthand: bool,
    sectors: usize,
    distance_scale_km: f64,
    tripwire_prior_mean: f64,
) -> Result<Contingent, Problem> {
    let key = |field: &str| {
        if shorthand {
            format!("guarantors.reassurance.{field}")
        } else {
            format!("guarantors.reassurance.contingents[{i}].{field}")
        }
    };
    let troops = k
        .troops
        .resolve(sectors)
        .ok_or_else(|| problem(key("troops"), format!("needs {sectors} values")))?;
    let distance = k
        .distance_km
        .resolve(sectors)
        .ok_or_else(|| problem(key("distance_km"), format!("needs {sectors} values")))?;
    let line = troops.iter().sum::<f64>();
    let in_country = k.troops_rear + line;
    let r_power = (0..sectors)
        .map(|s| {
            let local = |hit: bool| {
                let fighting = match k.roe {
                    Roe::Combat => in_country,
                    Roe::DefendSector => troops[s],
                    Roe::SelfDefence if hit => troops[s],
                    Roe::SelfDefence => 0.0,
                };
                fighting * k.power_per_kilotroop
            };
            [local(false), local(true)]
        })
        .collect();
    Ok(Contingent {
        nation: k.nation.clone(),
        troops_rear: k.troops_rear,
        exposure: distance
            .iter()
            .map(|d| (-d / distance_scale_km).exp())
            .collect(),
        troops,
        staged: k.staged,
        deploy: Latency::new(k.deploy_days * 24.0, k.deploy_sigma)
            .map_err(|e| problem(key("deploy_days"), e))?,
        roe: k.roe,
        power_per_kilotroop: k.power_per_kilotroop,
        p_tripwire: k.p_tripwire,
        tripwire_prior_mean: k.tripwire_prior_mean.unwrap_or(tripwire_prior_mean),
        in_country,
        line,
        r_power,
    })
}

/// The distribution of R's combat power in a land grab in sector `s` as A sees it (section 5):
/// contingents whose power there does not depend on being hit add it always; for the others,
/// every combination of hit and missed, the first of them outermost, hit before missed.
/// With one such contingent: `[(P_hit, power if hit), (1 − P_hit, power if missed)]`.
fn grab_r_power(contingents: &[Contingent], p_hit_each: &[f64], s: usize) -> Vec<(f64, f64)> {
    let mut fixed = 0.0;
    let mut varying = Vec::new();
    for (k, &p) in contingents.iter().zip(p_hit_each) {
        let [miss, hit] = k.r_power[s];
        if miss == hit || p == 0.0 {
            fixed += miss;
        } else {
            varying.push((p, miss, hit));
        }
    }
    let mut out = vec![(1.0, fixed)];
    // With one such contingent, 1 · P_hit and 0 + power are exact: the terms of version 1.1.
    for &(p, miss, hit) in &varying {
        out = out
            .iter()
            .flat_map(|&(w, power)| [(w * p, power + hit), (w * (1.0 - p), power + miss)])
            .collect();
    }
    out
}

/// The 90% quantile of the standard normal.
const Z90: f64 = 1.281_551_565_545;

/// A's estimate of the chance that U's denial arrives before A's median time to objective (section 5):
/// a lognormal whose median is the sum of the components' medians and whose σ is the largest;
/// under a no-fly zone, with probability `on_station`, only the execution part counts.
fn u_in_time(
    auth: &Latency,
    exec: &Latency,
    objective: &Latency,
    level: AirCoverLevel,
    on_station: f64,
) -> f64 {
    let t = objective.median_hours;
    let full = crate::stats::lognormal_cdf(
        t,
        auth.median_hours + exec.median_hours,
        auth.sigma.max(exec.sigma),
    );
    if level == AirCoverLevel::NoFlyZone {
        let quick = crate::stats::lognormal_cdf(t, exec.median_hours, exec.sigma);
        on_station * quick + (1.0 - on_station) * full
    } else {
        full
    }
}

/// A problem with the value at `key`.
fn problem(key: impl Into<String>, message: String) -> Problem {
    Problem {
        key: key.into(),
        message,
    }
}

/// Turns an error message into a problem with the value at `key`.
fn at(key: &str) -> impl Fn(String) -> Problem + '_ {
    move |message| problem(key, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The strength looked up in the table is bit for bit the strength computed, on whole days
    /// within the table, between them and beyond it; and the table stops where both
    /// recoveries are exactly 1.
    #[test]
    fn the_strength_table_gives_the_computed_strength() {
        let mut config = ScenarioConfig {
            horizon_days: 5479.0,
            ..ScenarioConfig::default()
        };
        config.defender.power_at_signing = 0.7;
        config.defender.recovery_days = 60.0;
        let sc = Scenario::from_config(config).expect("valid scenario");
        assert_eq!(sc.strength_table.len(), 38 * 60 + 1);
        // D's recovery, the slower, is exactly 1 from the first day after the table.
        assert_eq!(recovery(0.7, 60.0, 38.0 * 60.0 + 1.0), 1.0);
        const DAY: Minutes = 1440;
        for now in [
            0,
            1,
            DAY - 1,
            DAY,
            45 * DAY,
            45 * DAY + 720,
            2280 * DAY,
            2281 * DAY,
            5479 * DAY,
        ] {
            assert_eq!(
                sc.strength(now),
                sc.strength_on(time::to_days(now)),
                "minute {now}"
            );
        }
    }
}
