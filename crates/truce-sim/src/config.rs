//! The raw scenario config: what a TOML file says, with the defaults of the model specification.
//!
//! This is the first of two layers.
//! Serde reads a file into [`ScenarioConfig`], rejecting unknown keys and wrong types;
//! [`crate::scenario::Scenario::from_config`] then checks every range and builds the distributions.
//! Every default of the model lives in this file, in the `Default` impls below: it is the one place to read them.

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScenarioConfig {
    /// Name of the scenario; results are written under `results/<name>/`.
    pub name: String,
    /// What question the scenario answers, in a sentence.
    pub description: String,
    /// Horizon of each replication, in days.
    pub horizon_days: f64,
    /// Monte Carlo replications (overridden by `--replications`).
    pub replications: u64,
    /// Base seed of every random stream (overridden by `--seed`).
    pub seed: u64,
    pub geography: GeographyConfig,
    /// The escalation ladder, in ascending order of escalation.
    pub ladder: Vec<ClassConfig>,
    pub aggressor: AggressorConfig,
    pub strike: StrikeConfig,
    pub guarantors: GuarantorsConfig,
    pub defender: DefenderConfig,
    pub punishment: PunishmentConfig,
    pub contest: ContestConfig,
    pub beliefs: BeliefsConfig,
    pub background: BackgroundConfig,
    pub negotiation: NegotiationConfig,
    pub collapse: CollapseConfig,
    pub offensive: OffensiveConfig,
    /// Parameters drawn once per replication (`[[uncertain]]`, `uncertain.rs`); none by default.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<UncertainConfig>,
}

/// One `[[uncertain]]` table: a scenario key and the distribution its value is drawn from in
/// each replication. Which fields a distribution takes is checked in `uncertain.rs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UncertainConfig {
    /// A key of the scenario, written as in sweeps (`aggressor.resolve_sigma`, `ladder[2].gain`).
    pub key: String,
    /// `uniform` and `log_uniform` (`min`, `max`), `beta` (`mean`, `strength` = α + β),
    /// `lognormal` (`median`, `sigma`) or `categorical` (`values`, `weights` summing to 1).
    pub distribution: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
    /// The categories of `categorical`: values of the key, of its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Vec<serde_json::Value>>")]
    pub values: Option<Vec<toml::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        Self {
            name: "baseline".into(),
            description: String::new(),
            horizon_days: 730.0,
            replications: 1000,
            seed: 20_251_126,
            geography: GeographyConfig::default(),
            ladder: default_ladder(),
            aggressor: AggressorConfig::default(),
            strike: StrikeConfig::default(),
            guarantors: GuarantorsConfig::default(),
            defender: DefenderConfig::default(),
            punishment: PunishmentConfig::default(),
            contest: ContestConfig::default(),
            beliefs: BeliefsConfig::default(),
            background: BackgroundConfig::default(),
            negotiation: NegotiationConfig::default(),
            collapse: CollapseConfig::default(),
            offensive: OffensiveConfig::default(),
            uncertain: Vec::new(),
        }
    }
}

/// The line of contact (docs/model.md section 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GeographyConfig {
    pub sectors: usize,
    /// Value to A of taking ground in each sector, in utility units.
    pub value: PerSector,
    /// D's local combat power in each sector.
    pub defence: PerSector,
    /// Factor applied to a sector's value after each successful land grab there.
    pub grab_value_factor: f64,
}

impl Default for GeographyConfig {
    fn default() -> Self {
        Self {
            sectors: 6,
            value: PerSector::All(1.0),
            defence: PerSector::All(15.0),
            grab_value_factor: 0.5,
        }
    }
}

/// The mechanics a ladder class follows (docs/model.md section 4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Harassment,
    LandGrab,
    Strike,
    Offensive,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Harassment,
        Kind::LandGrab,
        Kind::Strike,
        Kind::Offensive,
    ];

    /// Position in per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Harassment => "harassment",
            Kind::LandGrab => "land_grab",
            Kind::Strike => "strike",
            Kind::Offensive => "offensive",
        }
    }

    /// Land grabs, deep strikes and offensives are serious; harassment is the noise of a frozen line.
    pub fn is_serious(self) -> bool {
        self != Kind::Harassment
    }

    /// Whether an option of this kind happens in one sector.
    pub fn has_sector(self) -> bool {
        matches!(self, Kind::Harassment | Kind::LandGrab)
    }
}

/// One rung of the escalation ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassConfig {
    pub name: String,
    pub kind: Kind,
    /// Value to A if it succeeds; for a land grab, multiplied by the sector's value.
    pub gain: f64,
    /// A's own cost of doing it.
    pub cost: f64,
    pub p_detect: f64,
    /// Chance that a detected violation is not clearly attributed to A.
    pub ambiguity: f64,
    /// Expected R casualties per thousand troops at distance 0.
    pub casualty_rate: f64,
}

fn class(name: &str, kind: Kind, v: [f64; 5]) -> ClassConfig {
    ClassConfig {
        name: name.into(),
        kind,
        gain: v[0],
        cost: v[1],
        p_detect: v[2],
        ambiguity: v[3],
        casualty_rate: v[4],
    }
}

/// The five classes of docs/model.md section 4.
pub fn default_ladder() -> Vec<ClassConfig> {
    vec![
        class("harassment", Kind::Harassment, [0.05, 0.01, 0.6, 0.7, 0.02]),
        class("shelling", Kind::Harassment, [0.2, 0.05, 0.8, 0.4, 0.1]),
        class("land_grab", Kind::LandGrab, [2.0, 1.5, 0.98, 0.1, 0.5]),
        class("deep_strike", Kind::Strike, [4.0, 2.0, 1.0, 0.05, 0.2]),
        class(
            "major_offensive",
            Kind::Offensive,
            [60.0, 45.0, 1.0, 0.0, 2.0],
        ),
    ]
}

/// How A turns expected utilities into choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Probing {
    /// Use the means of A's beliefs.
    Mean,
    /// Draw from A's beliefs at each epoch (Thompson sampling).
    Thompson,
}

/// The aggressor A (docs/model.md sections 5 and 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AggressorConfig {
    pub decision_interval_days: f64,
    pub decision_jitter_days: f64,
    pub resolve_sigma: f64,
    pub rationality: f64,
    pub probing: Probing,
    pub power: f64,
    pub land_grab_power: f64,
    pub regen_per_year: f64,
    pub regen_cap: f64,
    pub war_cost: f64,
    pub time_to_objective_median_hours: f64,
    pub time_to_objective_sigma: f64,
    /// e_A: A's combat power at signing, as a share of full strength (section 14); 1 is off.
    pub power_at_signing: f64,
    /// τ_A: the time constant of A's recovery towards full strength, in days (section 14).
    pub recovery_days: f64,
}

impl Default for AggressorConfig {
    fn default() -> Self {
        Self {
            decision_interval_days: 1.0,
            decision_jitter_days: 0.0,
            resolve_sigma: 0.5,
            rationality: 1.0,
            probing: Probing::Mean,
            power: 100.0,
            land_grab_power: 20.0,
            regen_per_year: 0.15,
            regen_cap: 0.5,
            war_cost: 100.0,
            time_to_objective_median_hours: 48.0,
            time_to_objective_sigma: 0.5,
            power_at_signing: 0.4,
            recovery_days: 45.0,
        }
    }
}

/// Deep-strike salvos (docs/model.md section 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct StrikeConfig {
    pub salvo_median: f64,
    pub salvo_p90: f64,
    /// D's own chance of intercepting each munition.
    pub p_d: f64,
}

impl Default for StrikeConfig {
    fn default() -> Self {
        Self {
            salvo_median: 110.0,
            salvo_p90: 360.0,
            p_d: 0.5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct GuarantorsConfig {
    pub reassurance: ReassuranceConfig,
    pub air_cover: AirCoverConfig,
}

/// R's rules of engagement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Roe {
    SelfDefence,
    DefendSector,
    Combat,
}

/// The reassurance force R (docs/model.md sections 6 and 15).
///
/// The force is a list of national contingents (`contingents`), or one contingent named
/// `coalition` given by the shorthand keys `troops_rear`, `troops`, `distance_km`, `roe`,
/// `power_per_kilotroop` and `p_tripwire` (the force of version 1.1). A file that gives the list
/// may set none of the shorthand keys: they are `None` when the file leaves them out, and
/// [`ReassuranceConfig::fill_shorthand`] gives them their defaults when there is no list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReassuranceConfig {
    /// Thousands of troops in the rear (shorthand for one contingent).
    #[serde(default)]
    pub troops_rear: Option<f64>,
    /// Thousands of troops in each sector (shorthand for one contingent).
    #[serde(default)]
    pub troops: Option<PerSector>,
    /// Distance of the troops in each sector from the line (shorthand for one contingent).
    #[serde(default)]
    pub distance_km: Option<PerSector>,
    /// Rules of engagement (shorthand for one contingent).
    #[serde(default)]
    pub roe: Option<Roe>,
    /// Combat power per thousand troops (shorthand for one contingent).
    #[serde(default)]
    pub power_per_kilotroop: Option<f64>,
    pub distance_scale_km: f64,
    pub rear_exposure_strike: f64,
    pub rear_exposure_offensive: f64,
    /// Probability that the government fights when its troops suffer serious-class casualties
    /// (shorthand for one contingent).
    #[serde(default)]
    pub p_tripwire: Option<f64>,
    pub p_engaged: f64,
    pub theta_hit: f64,
    pub theta: PerKind,
    /// Declared response probability when hit; defaults to `theta_hit`.
    pub declared_hit: Option<f64>,
    /// Declared response probabilities; default to `theta`.
    pub declared: PerKind,
    pub latency_median_hours: f64,
    pub latency_sigma: f64,
    /// The national contingents (section 15); none: the shorthand keys describe one contingent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contingents: Vec<ContingentConfig>,
    /// Probability that each other contingent joins (under combat rules) once a government's
    /// tripwire has brought the coalition to war (section 15).
    pub solidarity: f64,
    /// π: A's drive is multiplied by 1 + π · T / 15, T the thousands of troops in the country
    /// (section 17); 0 is off.
    pub provocation: f64,
}

/// The shorthand keys of [`ReassuranceConfig`] that a file giving `contingents` may not set.
pub const SHORTHAND_KEYS: [&str; 6] = [
    "troops_rear",
    "troops",
    "distance_km",
    "roe",
    "power_per_kilotroop",
    "p_tripwire",
];

impl Default for ReassuranceConfig {
    fn default() -> Self {
        Self {
            troops_rear: Some(15.0),
            troops: Some(PerSector::All(0.0)),
            distance_km: Some(PerSector::All(0.0)),
            roe: Some(Roe::SelfDefence),
            power_per_kilotroop: Some(1.0),
            distance_scale_km: 25.0,
            rear_exposure_strike: 0.05,
            rear_exposure_offensive: 0.3,
            p_tripwire: Some(0.5),
            p_engaged: 0.95,
            theta_hit: 0.8,
            theta: PerKind::all(0.05),
            declared_hit: None,
            declared: PerKind::default(),
            latency_median_hours: 6.0,
            latency_sigma: 0.5,
            contingents: Vec::new(),
            solidarity: 1.0,
            provocation: 0.0,
        }
    }
}

impl ReassuranceConfig {
    /// The shorthand keys this config sets, in [`SHORTHAND_KEYS`] order.
    pub fn shorthand_set(&self) -> Vec<&'static str> {
        let set = [
            self.troops_rear.is_some(),
            self.troops.is_some(),
            self.distance_km.is_some(),
            self.roe.is_some(),
            self.power_per_kilotroop.is_some(),
            self.p_tripwire.is_some(),
        ];
        SHORTHAND_KEYS
            .iter()
            .zip(set)
            .filter_map(|(k, s)| s.then_some(*k))
            .collect()
    }

    /// Without a list of contingents, gives every shorthand key left out its default, so that
    /// the resolved config states the one contingent in full.
    pub fn fill_shorthand(&mut self) {
        if !self.contingents.is_empty() {
            return;
        }
        let d = Self::default();
        self.troops_rear = self.troops_rear.or(d.troops_rear);
        self.troops = self.troops.take().or(d.troops);
        self.distance_km = self.distance_km.take().or(d.distance_km);
        self.roe = self.roe.or(d.roe);
        self.power_per_kilotroop = self.power_per_kilotroop.or(d.power_per_kilotroop);
        self.p_tripwire = self.p_tripwire.or(d.p_tripwire);
    }

    /// The contingents of the force: the list, or the one contingent `coalition` of the
    /// shorthand keys (defaults for those left out).
    pub fn contingents(&self) -> Vec<ContingentConfig> {
        if !self.contingents.is_empty() {
            return self.contingents.clone();
        }
        let mut f = self.clone();
        f.fill_shorthand();
        let d = ContingentConfig::default();
        vec![ContingentConfig {
            nation: SHORTHAND_NATION.into(),
            troops_rear: f.troops_rear.unwrap_or(d.troops_rear),
            troops: f.troops.unwrap_or(d.troops),
            distance_km: f.distance_km.unwrap_or(d.distance_km),
            roe: f.roe.unwrap_or(d.roe),
            power_per_kilotroop: f.power_per_kilotroop.unwrap_or(d.power_per_kilotroop),
            p_tripwire: f.p_tripwire.unwrap_or(d.p_tripwire),
            ..d
        }]
    }
}

/// The name of the one contingent of the shorthand keys.
pub const SHORTHAND_NATION: &str = "coalition";

/// One national contingent of the reassurance force (docs/model.md section 15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ContingentConfig {
    /// The nation, unique in the list: it names output columns (lowercase letters, digits, '_').
    pub nation: String,
    /// Thousands of troops in the rear.
    pub troops_rear: f64,
    /// Thousands of troops in each sector.
    pub troops: PerSector,
    /// Distance of the troops in each sector from the line, in km.
    pub distance_km: PerSector,
    /// Thousands of troops kept outside the country: never exposed, they fight only in an
    /// offensive once the coalition is at war, after their deployment delay.
    pub staged: f64,
    /// Median deployment delay of staged troops, in days (lognormal).
    pub deploy_days: f64,
    /// σ of the log of the deployment delay.
    pub deploy_sigma: f64,
    pub roe: Roe,
    pub power_per_kilotroop: f64,
    /// Probability that this government fights when its troops suffer serious-class casualties.
    pub p_tripwire: f64,
    /// Mean of A's prior belief that this government fights; defaults to
    /// `beliefs.tripwire_prior_mean`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tripwire_prior_mean: Option<f64>,
}

impl Default for ContingentConfig {
    fn default() -> Self {
        Self {
            nation: String::new(),
            troops_rear: 0.0,
            troops: PerSector::All(0.0),
            distance_km: PerSector::All(0.0),
            staged: 0.0,
            deploy_days: 7.0,
            deploy_sigma: 0.5,
            roe: Roe::SelfDefence,
            power_per_kilotroop: 1.0,
            p_tripwire: 0.5,
            tripwire_prior_mean: None,
        }
    }
}

/// U's air-cover posture; each level includes those before it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AirCoverLevel {
    None,
    Isr,
    AirDefence,
    OnCall,
    NoFlyZone,
}

impl AirCoverLevel {
    pub fn name(self) -> &'static str {
        match self {
            AirCoverLevel::None => "none",
            AirCoverLevel::Isr => "isr",
            AirCoverLevel::AirDefence => "air_defence",
            AirCoverLevel::OnCall => "on_call",
            AirCoverLevel::NoFlyZone => "no_fly_zone",
        }
    }
}

/// Air cover U (docs/model.md section 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AirCoverConfig {
    pub level: AirCoverLevel,
    pub isr_detect_boost: f64,
    pub isr_ambiguity_factor: f64,
    pub logistics_boost: f64,
    pub p_u: f64,
    pub theta: PerKind,
    /// Declared response probabilities; default to `theta`.
    pub declared: PerKind,
    /// θ_U,hit: U's response probability to a violation of any class that hit R, the backstop
    /// (section 16); unset: θ_U,k of the violation's class, and no belief of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta_hit: Option<f64>,
    /// Declared backstop: the mean of A's prior about it; defaults to `theta_hit`. Without
    /// `theta_hit` it declares a backstop that does not exist (U answers with θ_U,k).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_hit: Option<f64>,
    pub auth_median_hours: f64,
    pub auth_sigma: f64,
    pub exec_median_hours: f64,
    pub exec_sigma: f64,
    pub air_power: f64,
    pub air_power_local: f64,
    pub on_station: f64,
    pub nfz_incident_rate_per_month: f64,
    pub p_incident_clash: f64,
    pub credibility_shock_rate_per_year: f64,
    pub shock_duration_days: f64,
    pub shock_factor: f64,
}

impl Default for AirCoverConfig {
    fn default() -> Self {
        Self {
            level: AirCoverLevel::OnCall,
            isr_detect_boost: 0.15,
            isr_ambiguity_factor: 0.5,
            logistics_boost: 0.1,
            p_u: 0.5,
            theta: PerKind::kinds(0.0, 0.6, 0.6, 0.6),
            declared: PerKind::default(),
            theta_hit: None,
            declared_hit: None,
            auth_median_hours: 12.0,
            auth_sigma: 0.5,
            exec_median_hours: 2.0,
            exec_sigma: 0.5,
            air_power: 30.0,
            air_power_local: 15.0,
            on_station: 0.8,
            nfz_incident_rate_per_month: 1.0,
            p_incident_clash: 0.002,
            credibility_shock_rate_per_year: 1.0,
            shock_duration_days: 90.0,
            shock_factor: 0.5,
        }
    }
}

/// The defender D (docs/model.md section 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DefenderConfig {
    pub theta: PerKind,
    /// Declared response probabilities; default to `theta`.
    pub declared: PerKind,
    pub latency_median_hours: PerKind,
    pub latency_sigma: f64,
    pub rearm_per_year: f64,
    /// e_D: D's defence at signing, as a share of full strength (section 14); 1 is off.
    pub power_at_signing: f64,
    /// τ_D: the time constant of D's recovery, in days (section 14).
    pub recovery_days: f64,
}

impl Default for DefenderConfig {
    fn default() -> Self {
        Self {
            theta: PerKind::kinds(0.7, 0.95, 0.9, 1.0),
            declared: PerKind::default(),
            latency_median_hours: PerKind::kinds(2.0, 2.0, 24.0, 2.0),
            latency_sigma: 0.5,
            rearm_per_year: 0.05,
            power_at_signing: 1.0,
            recovery_days: 45.0,
        }
    }
}

/// Cost to A of each responder's response, by kind (docs/model.md section 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PunishmentConfig {
    pub defender: PerKind,
    pub reassurance: PerKind,
    pub air_cover: PerKind,
}

impl Default for PunishmentConfig {
    fn default() -> Self {
        Self {
            defender: PerKind::kinds(0.3, 2.0, 3.0, 10.0),
            reassurance: PerKind::all(5.0),
            air_cover: PerKind::kinds(0.0, 3.0, 5.0, 15.0),
        }
    }
}

/// The contest success function (docs/model.md section 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ContestConfig {
    pub gamma: f64,
}

impl Default for ContestConfig {
    fn default() -> Self {
        Self { gamma: 2.0 }
    }
}

/// A's beliefs (docs/model.md section 8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BeliefsConfig {
    pub prior_strength: PriorStrengthConfig,
    pub tripwire_prior_mean: f64,
    pub tripwire_prior_strength: f64,
    pub observation_days: f64,
    pub ambiguous_weight: f64,
    pub memory: f64,
}

impl Default for BeliefsConfig {
    fn default() -> Self {
        Self {
            prior_strength: PriorStrengthConfig::default(),
            tripwire_prior_mean: 0.3,
            tripwire_prior_strength: 2.0,
            observation_days: 3.0,
            ambiguous_weight: 0.3,
            memory: 0.995,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PriorStrengthConfig {
    pub defender: f64,
    pub reassurance: f64,
    pub air_cover: f64,
}

impl Default for PriorStrengthConfig {
    fn default() -> Self {
        Self {
            defender: 20.0,
            reassurance: 2.0,
            air_cover: 2.0,
        }
    }
}

/// Background violations (docs/model.md section 9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BackgroundConfig {
    /// Mean daily count far from any recommitment.
    pub rate: f64,
    /// Negative binomial dispersion k: variance r + r²/k.
    pub dispersion: f64,
    pub recommit_multiplier: f64,
    pub recommit_erosion_days: f64,
}

impl Default for BackgroundConfig {
    fn default() -> Self {
        Self {
            rate: 800.0,
            dispersion: 2.0,
            recommit_multiplier: 0.01,
            recommit_erosion_days: 30.0,
        }
    }
}

/// Negotiation rounds (docs/model.md section 9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct NegotiationConfig {
    pub rate_per_month: f64,
    pub p_round_success: f64,
    pub peace_dividend: f64,
    pub dividend_floor: f64,
    pub rounds_to_settle: u32,
    /// What `rounds_to_settle` successful rounds do (section 9 and docs/model.md).
    pub settlement: Settlement,
    /// Under `recommitment`, the peace dividend d from the settlement on, for good.
    pub settlement_dividend: f64,
}

/// What a settlement is: the end of the conflict, or a deep recommitment that ends nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    /// The conflict ends: an absorbing event (version 1.1).
    Absorbing,
    /// A recommitment that lowers A's gains for good (d falls to `settlement_dividend`) and
    /// ends nothing: negotiations go on, and the ceasefire can still collapse.
    Recommitment,
}

impl Default for NegotiationConfig {
    fn default() -> Self {
        Self {
            rate_per_month: 1.0,
            p_round_success: 0.3,
            peace_dividend: 0.02,
            dividend_floor: 0.5,
            rounds_to_settle: 12,
            settlement: Settlement::Recommitment,
            settlement_dividend: 0.5,
        }
    }
}

/// Collapse rules (docs/model.md section 10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CollapseConfig {
    pub spiral_threshold: u32,
    pub spiral_window_days: f64,
    pub exogenous: bool,
    pub hazard_shape: f64,
    pub hazard_survival_1y: f64,
    pub hr_presence: f64,
    pub hr_air: f64,
}

impl Default for CollapseConfig {
    fn default() -> Self {
        Self {
            spiral_threshold: 6,
            spiral_window_days: 30.0,
            exogenous: false,
            hazard_shape: 0.5,
            hazard_survival_1y: 0.61,
            hr_presence: 0.5,
            hr_air: 1.0,
        }
    }
}

/// The offensive's Lanchester phase (docs/model.md section 10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct OffensiveConfig {
    pub days: f64,
    pub step_hours: f64,
    pub a_per_day: f64,
    pub d_per_day: f64,
    pub halt_fraction: f64,
    pub breakthrough_fraction: f64,
}

impl Default for OffensiveConfig {
    fn default() -> Self {
        Self {
            days: 30.0,
            step_hours: 6.0,
            a_per_day: 0.05,
            d_per_day: 0.05,
            halt_fraction: 0.6,
            breakthrough_fraction: 0.5,
        }
    }
}

/// A per-sector parameter: one number for every sector, or a list with one per sector.
#[derive(Debug, Clone, PartialEq)]
pub enum PerSector {
    All(f64),
    Each(Vec<f64>),
}

impl PerSector {
    /// The values for `sectors` sectors, or `None` when a list has the wrong length.
    pub fn resolve(&self, sectors: usize) -> Option<Vec<f64>> {
        match self {
            PerSector::All(x) => Some(vec![*x; sectors]),
            PerSector::Each(v) if v.len() == sectors => Some(v.clone()),
            PerSector::Each(_) => None,
        }
    }

    /// Every value given, for range checks.
    pub fn values(&self) -> &[f64] {
        match self {
            PerSector::All(x) => std::slice::from_ref(x),
            PerSector::Each(v) => v,
        }
    }
}

impl Serialize for PerSector {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PerSector::All(x) => s.serialize_f64(*x),
            PerSector::Each(v) => v.serialize(s),
        }
    }
}

impl JsonSchema for PerSector {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PerSector".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One number for all sectors, or a list with one number per sector.",
            "anyOf": [
                { "type": "number" },
                { "type": "array", "items": { "type": "number" } }
            ]
        })
    }
}

/// Hand-written rather than `#[serde(untagged)]`: an untagged enum answers any wrong value with
/// "data did not match any variant", where this visitor's `expecting` names both accepted forms,
/// and the located message of `validate` quotes it.
impl<'de> Deserialize<'de> for PerSector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PerSector;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one number for all sectors, or a list with one number per sector")
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<PerSector, E> {
                Ok(PerSector::All(x))
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> Result<PerSector, E> {
                Ok(PerSector::All(x as f64))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> Result<PerSector, E> {
                Ok(PerSector::All(x as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PerSector, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<f64>()? {
                    v.push(x);
                }
                Ok(PerSector::Each(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A per-kind parameter: one number for every kind, or a table keyed by kind
/// (`harassment`, `land_grab`, `strike`, `offensive`) in which missing kinds keep their default.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PerKind(pub [Option<f64>; 4]);

impl PerKind {
    pub fn all(x: f64) -> Self {
        PerKind([Some(x); 4])
    }

    pub fn kinds(harassment: f64, land_grab: f64, strike: f64, offensive: f64) -> Self {
        PerKind([
            Some(harassment),
            Some(land_grab),
            Some(strike),
            Some(offensive),
        ])
    }

    /// Each kind's value, falling back to `default`'s where this one is unset (and to 0 where both are).
    pub fn or_from(&self, default: &PerKind) -> [f64; 4] {
        self.or(default.0.map(|x| x.unwrap_or(0.0)))
    }

    /// Each kind's value, falling back to `default` where this one is unset.
    pub fn or(&self, default: [f64; 4]) -> [f64; 4] {
        std::array::from_fn(|i| self.0[i].unwrap_or(default[i]))
    }
}

impl Serialize for PerKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for kind in Kind::ALL {
            if let Some(x) = self.0[kind.index()] {
                m.serialize_entry(kind.name(), &x)?;
            }
        }
        m.end()
    }
}

impl JsonSchema for PerKind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PerKind".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One number for every kind, or a table keyed by kind in which missing kinds keep their default.",
            "anyOf": [
                { "type": "number" },
                {
                    "type": "object",
                    "properties": {
                        "harassment": { "type": "number" },
                        "land_grab": { "type": "number" },
                        "strike": { "type": "number" },
                        "offensive": { "type": "number" }
                    },
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// Hand-written for the same reason as [`PerSector`]'s, and so that a misspelt kind is refused as
/// an unknown field with the four kinds listed, while a missing one keeps its default.
impl<'de> Deserialize<'de> for PerKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PerKind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "one number for all kinds, or a table with keys harassment, land_grab, strike, offensive",
                )
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<PerKind, E> {
                Ok(PerKind::all(x))
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> Result<PerKind, E> {
                Ok(PerKind::all(x as f64))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> Result<PerKind, E> {
                Ok(PerKind::all(x as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerKind, A::Error> {
                const NAMES: &[&str] = &["harassment", "land_grab", "strike", "offensive"];
                let mut out = PerKind::default();
                while let Some(key) = map.next_key::<String>()? {
                    let Some(i) = NAMES.iter().position(|n| *n == key) else {
                        return Err(de::Error::unknown_field(&key, NAMES));
                    };
                    out.0[i] = Some(map.next_value::<f64>()?);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}
