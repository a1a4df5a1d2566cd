//! The scenario's parameters by topic, as the model's handlers read them: resolved once from the
//! config (durations in minutes, rates per day, switches as flags), so that no handler reads the
//! raw config.

use crate::config::{Probing, ScenarioConfig, Settlement};
use crate::time::{self, Minutes};

/// What a responder's response means to A and to the model, per violation kind (sections 6 and 8).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTerms {
    /// True response probability per kind.
    pub theta: [f64; 4],
    /// Declared response probability per kind: the mean of A's prior.
    pub declared: [f64; 4],
    /// Cost to A of a response, per kind.
    pub punishment: [f64; 4],
    /// A's prior strength α + β about this responder.
    pub prior_strength: f64,
}

/// A's parameters (sections 5, 7 and 14).
#[derive(Debug, Clone, PartialEq)]
pub struct AggressorTerms {
    /// The fixed part of the interval between decision epochs.
    pub(crate) decision_interval: Minutes,
    /// Mean of the exponential jitter added to each interval, in days (0: none).
    pub(crate) decision_jitter_days: f64,
    /// λ of the logit choice.
    pub(crate) rationality: f64,
    /// Thompson probing: A acts on draws from its beliefs, not their means.
    pub(crate) thompson: bool,
    pub(crate) war_cost: f64,
    /// Total combat power at full strength, for an offensive.
    pub(crate) power: f64,
    /// Combat power of a land grab at full strength.
    pub(crate) land_grab_power: f64,
    pub(crate) regen_per_year: f64,
    pub(crate) regen_cap: f64,
    /// e_A and τ_A of its recovery from exhaustion (section 14).
    pub(crate) power_at_signing: f64,
    pub(crate) recovery_days: f64,
}

/// D's parameters besides its responses (sections 7 and 14).
#[derive(Debug, Clone, PartialEq)]
pub struct DefenderTerms {
    pub(crate) rearm_per_year: f64,
    /// e_D and τ_D of its recovery from exhaustion.
    pub(crate) power_at_signing: f64,
    pub(crate) recovery_days: f64,
}

/// R's parameters besides its responses and contingents (sections 6 and 15).
#[derive(Debug, Clone, PartialEq)]
pub struct ReassuranceTerms {
    /// R's and U's response probability once the coalition is at war.
    pub(crate) p_engaged: f64,
    /// Chance that a contingent whose government did not fight joins a war the others fight.
    pub(crate) solidarity: f64,
    /// Share of the rear's troops exposed to a strike's leakers and to an offensive.
    pub(crate) rear_exposure_strike: f64,
    pub(crate) rear_exposure_offensive: f64,
}

/// U's parameters besides its responses (section 6).
#[derive(Debug, Clone, PartialEq)]
pub struct AirCoverTerms {
    /// The factor of U's resolve, and of A's beliefs about it, during a credibility shock.
    pub(crate) shock_factor: f64,
    pub(crate) shock_duration: Minutes,
    /// Credibility shocks per day.
    pub(crate) shock_rate_per_day: f64,
    /// U's air power in an offensive, and in a land grab's sector.
    pub(crate) air_power: f64,
    pub(crate) air_power_local: f64,
    /// Under a no-fly zone: the chance that aircraft on station skip authorisation, air
    /// incidents per day and the chance that one becomes a direct clash.
    pub(crate) on_station: f64,
    pub(crate) incident_rate_per_day: f64,
    pub(crate) p_incident_clash: f64,
}

/// How A learns (section 8), besides the priors of [`ResponseTerms`].
#[derive(Debug, Clone, PartialEq)]
pub struct BeliefTerms {
    /// ρ, the decay toward the prior at each epoch (1: none).
    pub(crate) memory: f64,
    /// A's observation window after a detected violation.
    pub(crate) observation: Minutes,
    /// The weight of an observation of a violation that was not attributed.
    pub(crate) ambiguous_weight: f64,
    pub(crate) tripwire_prior_strength: f64,
}

/// Background violations (section 9).
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundTerms {
    pub(crate) rate: f64,
    pub(crate) dispersion: f64,
    pub(crate) recommit_multiplier: f64,
    pub(crate) recommit_erosion_days: f64,
}

/// Negotiation rounds and the peace dividend (section 9).
#[derive(Debug, Clone, PartialEq)]
pub struct NegotiationTerms {
    pub(crate) rate_per_day: f64,
    pub(crate) p_round_success: f64,
    pub(crate) rounds_to_settle: u32,
    pub(crate) peace_dividend: f64,
    pub(crate) dividend_floor: f64,
    /// A settlement ends the run (`settlement = "absorbing"`), or only lowers A's gains for good.
    pub(crate) absorbing: bool,
    pub(crate) settlement_dividend: f64,
}

/// The spiral rule and the exogenous hazard (section 10).
#[derive(Debug, Clone, PartialEq)]
pub struct CollapseTerms {
    pub(crate) spiral_threshold: usize,
    pub(crate) spiral_window: Minutes,
    pub(crate) exogenous: bool,
    pub(crate) hazard_shape: f64,
}

/// The offensive's Lanchester phase (section 10).
#[derive(Debug, Clone, PartialEq)]
pub struct OffensiveTerms {
    /// Longest phase.
    pub(crate) length: Minutes,
    /// One step, and its length in days for the attrition.
    pub(crate) step: Minutes,
    pub(crate) step_days: f64,
    pub(crate) a_per_day: f64,
    pub(crate) d_per_day: f64,
    pub(crate) halt_fraction: f64,
    pub(crate) breakthrough_fraction: f64,
}

/// The local contest of a land grab (section 7).
#[derive(Debug, Clone, PartialEq)]
pub struct ContestTerms {
    /// γ of the contest success function.
    pub(crate) gamma: f64,
    /// The factor of a sector's value to A once A has taken it.
    pub(crate) grab_value_factor: f64,
}

/// Every topic's terms, from a checked config.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Terms {
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
}

impl Terms {
    pub fn new(c: &ScenarioConfig) -> Self {
        let (a, d) = (&c.aggressor, &c.defender);
        let (re, ac) = (&c.guarantors.reassurance, &c.guarantors.air_cover);
        let (b, o) = (&c.beliefs, &c.offensive);
        Self {
            aggressor: AggressorTerms {
                decision_interval: time::days(a.decision_interval_days),
                decision_jitter_days: a.decision_jitter_days,
                rationality: a.rationality,
                thompson: a.probing == Probing::Thompson,
                war_cost: a.war_cost,
                power: a.power,
                land_grab_power: a.land_grab_power,
                regen_per_year: a.regen_per_year,
                regen_cap: a.regen_cap,
                power_at_signing: a.power_at_signing,
                recovery_days: a.recovery_days,
            },
            defender: DefenderTerms {
                rearm_per_year: d.rearm_per_year,
                power_at_signing: d.power_at_signing,
                recovery_days: d.recovery_days,
            },
            reassurance: ReassuranceTerms {
                p_engaged: re.p_engaged,
                solidarity: re.solidarity,
                rear_exposure_strike: re.rear_exposure_strike,
                rear_exposure_offensive: re.rear_exposure_offensive,
            },
            air_cover: AirCoverTerms {
                shock_factor: ac.shock_factor,
                shock_duration: time::days(ac.shock_duration_days),
                shock_rate_per_day: ac.credibility_shock_rate_per_year / 365.0,
                air_power: ac.air_power,
                air_power_local: ac.air_power_local,
                on_station: ac.on_station,
                incident_rate_per_day: ac.nfz_incident_rate_per_month / 30.0,
                p_incident_clash: ac.p_incident_clash,
            },
            beliefs: BeliefTerms {
                memory: b.memory,
                observation: time::days(b.observation_days),
                ambiguous_weight: b.ambiguous_weight,
                tripwire_prior_strength: b.tripwire_prior_strength,
            },
            background: BackgroundTerms {
                rate: c.background.rate,
                dispersion: c.background.dispersion,
                recommit_multiplier: c.background.recommit_multiplier,
                recommit_erosion_days: c.background.recommit_erosion_days,
            },
            negotiation: NegotiationTerms {
                rate_per_day: c.negotiation.rate_per_month / 30.0,
                p_round_success: c.negotiation.p_round_success,
                rounds_to_settle: c.negotiation.rounds_to_settle,
                peace_dividend: c.negotiation.peace_dividend,
                dividend_floor: c.negotiation.dividend_floor,
                absorbing: c.negotiation.settlement == Settlement::Absorbing,
                settlement_dividend: c.negotiation.settlement_dividend,
            },
            collapse: CollapseTerms {
                spiral_threshold: c.collapse.spiral_threshold as usize,
                spiral_window: time::days(c.collapse.spiral_window_days),
                exogenous: c.collapse.exogenous,
                hazard_shape: c.collapse.hazard_shape,
            },
            offensive: OffensiveTerms {
                length: time::days(o.days),
                step: time::hours(o.step_hours).max(1),
                step_days: o.step_hours / 24.0,
                a_per_day: o.a_per_day,
                d_per_day: o.d_per_day,
                halt_fraction: o.halt_fraction,
                breakthrough_fraction: o.breakthrough_fraction,
            },
            contest: ContestTerms {
                gamma: c.contest.gamma,
                grab_value_factor: c.geography.grab_value_factor,
            },
        }
    }
}
