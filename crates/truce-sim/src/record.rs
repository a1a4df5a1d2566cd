//! What one replication records (docs/model.md section 11), and its optional event trace.

use crate::time::Minutes;

/// Why a ceasefire collapsed (docs/model.md section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollapseCause {
    Offensive,
    Clash,
    TripwireWar,
    Spiral,
    Exogenous,
}

impl CollapseCause {
    pub const ALL: [CollapseCause; 5] = [
        CollapseCause::Offensive,
        CollapseCause::Clash,
        CollapseCause::TripwireWar,
        CollapseCause::Spiral,
        CollapseCause::Exogenous,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CollapseCause::Offensive => "offensive",
            CollapseCause::Clash => "clash",
            CollapseCause::TripwireWar => "tripwire_war",
            CollapseCause::Spiral => "spiral",
            CollapseCause::Exogenous => "exogenous",
        }
    }
}

/// How a major offensive ended (docs/model.md section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OffensiveOutcome {
    #[default]
    None,
    Halted,
    Breakthrough,
    Stalemate,
}

impl OffensiveOutcome {
    pub fn name(self) -> &'static str {
        match self {
            OffensiveOutcome::None => "none",
            OffensiveOutcome::Halted => "halted",
            OffensiveOutcome::Breakthrough => "breakthrough",
            OffensiveOutcome::Stalemate => "stalemate",
        }
    }
}

/// Per-class counts of A's strategic violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassCounts {
    pub committed: u32,
    pub detected: u32,
    pub attributed: u32,
}

/// Per-contingent counts of a replication (docs/model.md section 15), in list order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NationCounts {
    pub r_casualties_harassment: u64,
    pub r_casualties_serious: u64,
    /// Its troops' serious-class casualties put the question to its government.
    pub tripwire_triggered: bool,
    /// Its government decided to fight.
    pub tripwire_fired: bool,
}

/// Per-sector counts of a replication, in sector order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SectorCounts {
    /// Land grabs A committed there.
    pub grabs_committed: u32,
    /// Land grabs there that took their objective.
    pub grabs_succeeded: u32,
    /// R casualties of violations there: harassment, land grabs and an offensive's share of the
    /// sector (a deep strike's and an offensive's in the rear are in no sector).
    pub r_casualties: u64,
}

/// One replication's record. Days are fractional days since the ceasefire took effect.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// Scenario point (0 for a single scenario).
    pub point: u64,
    pub replication: u64,
    /// The replication's seed, derived from (base seed, point, replication).
    pub seed: u64,
    /// A's private resolve r.
    pub resolve: f64,
    /// A serious violation (land grab, deep strike or offensive) happened.
    pub violated: bool,
    pub first_violation_day: Option<f64>,
    /// The first strategic violation of any class that the monitors detected.
    pub first_detected_day: Option<f64>,
    pub first_harassment_day: Option<f64>,
    /// Counts per ladder class, in ladder order.
    pub classes: Vec<ClassCounts>,
    /// Background violations tallied over the run.
    pub background_total: u64,
    /// Background violations tallied over days 0 to 29.
    pub background_first_30: u64,
    /// Full days tallied (a day cut short by the end of the ceasefire phase is not tallied).
    pub background_days: u32,
    pub background_days_first_30: u32,
    /// Daily mean over the first 30 days; `None` when no day was tallied.
    pub background_mean_first_30: Option<f64>,
    /// Daily mean over the run; `None` when no day was tallied.
    pub background_mean: Option<f64>,
    pub collapsed: bool,
    pub collapse_day: Option<f64>,
    pub collapse_cause: Option<CollapseCause>,
    pub settled: bool,
    pub settled_day: Option<f64>,
    /// The day the ceasefire phase ended: collapse, settlement or the horizon.
    pub end_day: f64,
    /// Highest ladder index A chose.
    pub max_class: Option<usize>,
    pub r_casualties_harassment: u64,
    pub r_casualties_serious: u64,
    /// Serious-class R casualties put the tripwire decision to the coalition.
    pub tripwire_triggered: bool,
    /// The coalition decided to fight.
    pub tripwire_fired: bool,
    pub coalition_at_war: bool,
    pub d_responses: u32,
    pub r_responses: u32,
    pub u_responses: u32,
    pub direct_clash: bool,
    pub nfz_incidents: u32,
    pub credibility_shocks: u32,
    pub negotiation_rounds: u32,
    pub successful_rounds: u32,
    pub offensive_outcome: OffensiveOutcome,
    pub offensive_length_days: Option<f64>,
    pub grabs_succeeded: u32,
    pub grabs_failed: u32,
    pub sectors_lost: u32,
    /// A's final belief means, in the order of [`crate::Scenario::belief_columns`]; `None` for absent responders.
    pub beliefs: Vec<Option<f64>>,
    /// Events processed by the kernel.
    pub events: u64,
    /// The draws of the scenario's uncertain parameters, in declaration order: a value, or a
    /// categorical parameter's index into its values (`uncertain.rs`). Empty without them.
    pub uncertain: Vec<f64>,
    /// Per contingent, in list order (one, `coalition`, for the shorthand force); the coalition
    /// totals are the fields above. Added in version 1.2, after every field of version 1.1.
    pub nations: Vec<NationCounts>,
    /// Per sector, in sector order.
    pub sectors: Vec<SectorCounts>,
    /// Land grabs still under way when the run ended (their objective time not reached):
    /// committed land grabs = `grabs_succeeded` + `grabs_failed` + `grabs_pending`.
    pub grabs_pending: u32,
}

/// Who an event concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Aggressor,
    Defender,
    Reassurance,
    AirCover,
    Monitors,
    Coalition,
    Negotiators,
    World,
}

impl Actor {
    pub fn name(self) -> &'static str {
        match self {
            Actor::Aggressor => "aggressor",
            Actor::Defender => "defender",
            Actor::Reassurance => "reassurance",
            Actor::AirCover => "air_cover",
            Actor::Monitors => "monitors",
            Actor::Coalition => "coalition",
            Actor::Negotiators => "negotiators",
            Actor::World => "world",
        }
    }
}

/// One line of a replication's event trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow {
    pub time: Minutes,
    pub event: &'static str,
    pub actor: Actor,
    pub sector: Option<usize>,
    /// Ladder index of the class concerned.
    pub class: Option<usize>,
    pub outcome: String,
    /// The numbers the outcome's text gives, as numbers.
    pub figures: TraceFigures,
}

/// The numbers of a trace line, for readers that should not parse its text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TraceFigures {
    /// A background tally's count of violations; a negotiation round's successful rounds so far.
    pub count: Option<u64>,
    /// The day a background tally covers (day 0 is the first day of the ceasefire).
    pub covers_day: Option<u64>,
    /// A background tally's expected count (the mean of its negative binomial draw).
    pub mean: Option<f64>,
    /// Whether a negotiation round recommits the aggressor (it does when it succeeds); `None` for
    /// other events.
    pub recommitment: Option<bool>,
}
