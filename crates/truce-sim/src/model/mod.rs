//! The model of `docs/model.md`: the state of one replication, its closed set of events and the
//! dispatch loop. Handlers are grouped by topic in the submodules:
//! [`decision`] (A's choices and the violations they commit), [`response`] (D, R and U, the tripwire),
//! [`beliefs`] (A's learning), [`contest`] (land grabs, salvos, the offensive's Lanchester phase) and
//! [`world`] (background violations, negotiations, air incidents, credibility shocks, the exogenous hazard).

pub mod beliefs;
pub mod contest;
pub mod decision;
pub mod draws;
pub mod response;
pub mod world;

use crate::config::Kind;
use crate::queue::EventQueue;
use crate::record::{Actor, CollapseCause, OffensiveOutcome, Record, TraceFigures, TraceRow};
pub use crate::responder::{RESPONDERS, Responder};
use crate::scenario::{Scenario, Strength};
use crate::seed::Streams;
use crate::time::{self, Minutes};
use beliefs::Beliefs;
use rand::RngExt;
use rand_distr::Exp1;
use std::collections::VecDeque;

/// Every event of the model. One `match` in [`Sim::dispatch`] sends each to its handler.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// End of the horizon.
    Horizon,
    /// A decision epoch of A.
    Decision,
    /// A land grab reaches its objective time: the local contest decides it.
    Objective { violation: usize },
    /// A responder's response to a violation executes.
    ResponseExecuted {
        violation: usize,
        responder: Responder,
    },
    /// A's observation window after a detected violation closes: it updates its beliefs.
    Observation { violation: usize },
    /// The monitors' tally of background violations for one day.
    BackgroundTally { day: u64 },
    /// A negotiation round.
    NegotiationRound,
    /// An air incident under a no-fly zone.
    AirIncident,
    /// An event that halves U's resolve for a while.
    CredibilityShock,
    /// The exogenous collapse time.
    ExogenousCollapse,
    /// One step of the offensive's Lanchester phase.
    OffensiveStep,
    /// A staged contingent reaches the offensive, its deployment delay over (section 15).
    Deployment { contingent: usize },
}

/// One strategic violation committed by A.
#[derive(Debug, Clone)]
pub struct Violation {
    pub class: usize,
    pub kind: Kind,
    pub sector: Option<usize>,
    pub detected: bool,
    pub attributed: bool,
    /// R casualties it caused.
    pub casualties: u64,
    /// The contingents it hit, as bits of their index in the list.
    pub hits: u32,
    /// When each responder's response executed, if it did.
    pub executed: [Option<Minutes>; 3],
    /// Pending events that name this violation, plus one while it is being committed: at 0 its
    /// place in [`Sim::violations`] is free for the next one.
    pub holds: u32,
}

/// The state of an offensive's Lanchester phase.
#[derive(Debug, Clone)]
pub struct Offensive {
    pub launch: Minutes,
    pub a0: f64,
    pub d0: f64,
    pub a: f64,
    pub d: f64,
}

/// The queue's slots ([`crate::queue::SLOTS`]) of the two processes that always have exactly one
/// event pending: A's next decision and the next background tally.
pub const DECISION_SLOT: usize = 0;
pub const TALLY_SLOT: usize = 1;

/// One replication in progress.
pub struct Sim<'a> {
    pub sc: &'a Scenario,
    pub queue: EventQueue<Event>,
    pub rng: Streams,
    pub record: Record,
    pub trace: Option<&'a mut Vec<TraceRow>>,
    /// A's resolve r.
    pub resolve: f64,
    /// Current value of each sector to A.
    pub value: Vec<f64>,
    /// Sectors where A has won a land grab.
    pub lost: Vec<bool>,
    /// For each class with a sector, its runs of consecutive sectors that look alike to A
    /// ([`decision::sector_runs`]). Kept up to date with `value`.
    pub sector_runs: Vec<Vec<decision::Run>>,
    pub beliefs: Beliefs,
    /// Per contingent: `None` until serious-class casualties of its troops put the question to
    /// its government; then whether it fights (section 15).
    pub tripwire: Vec<Option<bool>>,
    /// Successful negotiation rounds.
    pub successes: u32,
    /// Times of recommitments, latest last (the ceasefire itself at 0).
    pub recommitments: Vec<Minutes>,
    /// U's resolve is halved until then.
    pub shock_until: Minutes,
    /// Times of attributed serious violations within the spiral window.
    pub spiral: VecDeque<Minutes>,
    /// Violations that pending events still name, and free places (listed in `free_violations`)
    /// for new ones: memory stays flat in the horizon.
    pub violations: Vec<Violation>,
    pub free_violations: Vec<usize>,
    pub offensive: Option<Offensive>,
    /// The run is over: no event is handled after this.
    pub finished: bool,
    /// Buffers reused by every decision epoch.
    pub scratch: Scratch,
}

/// Buffers of the decision epoch, kept between epochs to avoid allocating in the hot loop.
#[derive(Debug, Default)]
pub struct Scratch {
    pub outlook: decision::Outlook,
    pub class_values: Vec<f64>,
    /// EU of each run of alike sectors ([`Sim::sector_runs`]), class by class (empty for a
    /// class without a sector).
    pub run_values: Vec<Vec<f64>>,
    /// EU of the chosen class in each sector.
    pub sector_values: Vec<f64>,
    /// Unnormalised logit weights.
    pub weights: Vec<f64>,
}

impl std::fmt::Debug for Sim<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("now", &self.queue.now())
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}

/// Runs one replication; pushes its events to `trace` when given.
pub fn run(
    scenario: &Scenario,
    point: u64,
    replication: u64,
    seed: u64,
    trace: Option<&mut Vec<TraceRow>>,
) -> Record {
    let mut sim = Sim::new(scenario, point, replication, seed, trace);
    sim.start();
    while let Some((_, event)) = sim.queue.pop() {
        sim.record.events += 1;
        sim.dispatch(event);
        if sim.finished {
            break;
        }
    }
    sim.finish()
}

impl<'a> Sim<'a> {
    fn new(
        sc: &'a Scenario,
        point: u64,
        replication: u64,
        seed: u64,
        trace: Option<&'a mut Vec<TraceRow>>,
    ) -> Self {
        let mut rng = Streams::new(seed);
        // A's resolve is the first draw of its stream.
        let resolve = rng.aggressor.sample(sc.resolve);
        let record = Record {
            point,
            replication,
            seed,
            resolve,
            classes: vec![Default::default(); sc.classes.len()],
            nations: vec![Default::default(); sc.contingents.len()],
            sectors: vec![Default::default(); sc.sectors.len()],
            ..Record::default()
        };
        let value: Vec<f64> = sc.sectors.iter().map(|s| s.value).collect();
        let mut sector_runs = Vec::new();
        decision::sector_runs(sc, &value, &mut sector_runs);
        Self {
            sc,
            queue: EventQueue::new(),
            rng,
            record,
            trace,
            resolve,
            value,
            lost: vec![false; sc.sectors.len()],
            sector_runs,
            beliefs: Beliefs::new(sc),
            tripwire: vec![None; sc.contingents.len()],
            successes: 0,
            recommitments: vec![0],
            shock_until: 0,
            spiral: VecDeque::new(),
            violations: Vec::new(),
            free_violations: Vec::new(),
            offensive: None,
            finished: false,
            scratch: Scratch::default(),
        }
    }

    /// Schedules the first event of every process.
    fn start(&mut self) {
        self.queue.schedule(self.sc.horizon, Event::Horizon);
        // The day's tally comes before a decision at the same minute, so that day 0 is always counted.
        self.queue.schedule_slot(
            TALLY_SLOT,
            time::days(1.0),
            Event::BackgroundTally { day: 0 },
        );
        self.schedule_decision();
        world::start(self);
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Horizon => self.on_horizon(),
            Event::Decision => decision::on_decision(self),
            Event::Objective { violation } => {
                contest::on_objective(self, violation);
                self.release_violation(violation);
            }
            Event::ResponseExecuted {
                violation,
                responder,
            } => {
                response::on_executed(self, violation, responder);
                self.release_violation(violation);
            }
            Event::Observation { violation } => {
                beliefs::on_observation(self, violation);
                self.release_violation(violation);
            }
            Event::BackgroundTally { day } => world::on_background_tally(self, day),
            Event::NegotiationRound => world::on_negotiation_round(self),
            Event::AirIncident => world::on_air_incident(self),
            Event::CredibilityShock => world::on_credibility_shock(self),
            Event::ExogenousCollapse => self.collapse(CollapseCause::Exogenous),
            Event::OffensiveStep => contest::on_offensive_step(self),
            Event::Deployment { contingent } => contest::on_deployment(self, contingent),
        }
    }

    /// Stores a new violation, held once by its commit, and returns its index.
    pub fn add_violation(&mut self, violation: Violation) -> usize {
        let violation = Violation {
            holds: 1,
            ..violation
        };
        match self.free_violations.pop() {
            Some(v) => {
                self.violations[v] = violation;
                v
            }
            None => {
                self.violations.push(violation);
                self.violations.len() - 1
            }
        }
    }

    /// Schedules `event`, which names violation `v`, `delay` minutes from now: `v` is kept until
    /// the event has run.
    pub fn schedule_for_violation(&mut self, v: usize, delay: Minutes, event: Event) {
        self.violations[v].holds += 1;
        self.queue.schedule_in(delay, event);
    }

    /// Drops one hold on violation `v`; without holds its place is free.
    pub fn release_violation(&mut self, v: usize) {
        let violation = &mut self.violations[v];
        violation.holds -= 1;
        if violation.holds == 0 {
            self.free_violations.push(v);
        }
    }

    /// Current time in minutes.
    pub fn now(&self) -> Minutes {
        self.queue.now()
    }

    /// Current time in days.
    pub fn day(&self) -> f64 {
        time::to_days(self.now())
    }

    /// A draw from the standard exponential distribution on the given stream, scaled to `mean_days`.
    pub fn exp_days(rng: &mut rand::rngs::ChaCha8Rng, mean_days: f64) -> Minutes {
        let e: f64 = rng.sample(Exp1);
        time::days(e * mean_days)
    }

    /// Schedules A's next decision epoch (docs/model.md section 5).
    pub fn schedule_decision(&mut self) {
        let a = &self.sc.aggressor;
        let mut delay = a.decision_interval;
        if a.decision_jitter_days > 0.0 {
            delay += Self::exp_days(&mut self.rng.aggressor, a.decision_jitter_days);
        }
        self.queue
            .schedule_slot_in(DECISION_SLOT, delay.max(1), Event::Decision);
    }

    /// A's and D's strength now (sections 7 and 14).
    pub fn strength(&self) -> Strength {
        self.sc.strength(self.now())
    }

    /// The peace dividend d (section 9).
    pub fn dividend(&self) -> f64 {
        let n = &self.sc.negotiation;
        let d = (1.0 - n.peace_dividend * self.successes as f64).max(n.dividend_floor);
        // A settlement that ends nothing lowers A's gains for good (docs/model.md, section 9).
        if self.record.settled {
            d.min(n.settlement_dividend)
        } else {
            d
        }
    }

    /// U's resolve is halved now by a credibility shock.
    pub fn shocked(&self) -> bool {
        self.now() < self.shock_until
    }

    /// R's combat power that fights in a land grab in `sector` (section 7): each contingent's
    /// under its rules of engagement, given whether the grab hit it (bits of `hits`).
    pub fn r_power_local(&self, sector: usize, hits: u32) -> f64 {
        self.sc
            .contingents
            .iter()
            .enumerate()
            .map(|(n, k)| k.r_power[sector][usize::from(hits >> n & 1 == 1)])
            .sum()
    }

    /// Some government's question is still open and the coalition is not at war: A's war term
    /// counts (section 15).
    pub fn tripwire_open(&self) -> bool {
        !self.record.coalition_at_war && self.tripwire.iter().any(Option::is_none)
    }

    /// Appends a line to the trace, when one is kept.
    pub fn log(
        &mut self,
        event: &'static str,
        actor: Actor,
        sector: Option<usize>,
        class: Option<usize>,
        outcome: impl FnOnce() -> String,
    ) {
        self.log_figures(
            event,
            actor,
            sector,
            class,
            TraceFigures::default(),
            outcome,
        );
    }

    /// Appends a line with its numbers to the trace, when one is kept.
    pub fn log_figures(
        &mut self,
        event: &'static str,
        actor: Actor,
        sector: Option<usize>,
        class: Option<usize>,
        figures: TraceFigures,
        outcome: impl FnOnce() -> String,
    ) {
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.push(TraceRow {
                time: self.queue.now(),
                event,
                actor,
                sector,
                class,
                outcome: outcome(),
                figures,
            });
        }
    }

    fn on_horizon(&mut self) {
        self.log("horizon", Actor::World, None, None, || "held".into());
        self.end_ceasefire_phase();
        self.finished = true;
    }

    /// The ceasefire phase ends now: record the day and drop every pending event.
    fn end_ceasefire_phase(&mut self) {
        self.record.end_day = self.day();
        self.queue.cancel_all();
    }

    /// The ceasefire collapses now, for `cause` (section 10). An offensive goes on to its Lanchester phase.
    pub fn collapse(&mut self, cause: CollapseCause) {
        let day = self.day();
        self.record.collapsed = true;
        self.record.collapse_day = Some(day);
        self.record.collapse_cause = Some(cause);
        self.log("collapse", Actor::World, None, None, || cause.name().into());
        self.end_ceasefire_phase();
        if cause != CollapseCause::Offensive {
            self.finished = true;
        }
    }

    /// The conflict settles now (section 9): an absorbing event, or, under
    /// `settlement = "recommitment"`, a deep recommitment that lowers A's gains for good
    /// ([`Sim::dividend`]) and ends nothing.
    pub fn settle(&mut self) {
        self.record.settled = true;
        self.record.settled_day = Some(self.day());
        let absorbing = self.sc.negotiation.absorbing;
        let dividend = self.dividend();
        self.log("settlement", Actor::Negotiators, None, None, || {
            if absorbing {
                "settled".into()
            } else {
                format!("settled: peace dividend {dividend} for good")
            }
        });
        if absorbing {
            self.end_ceasefire_phase();
            self.finished = true;
        }
    }

    /// Ends an offensive with its outcome.
    pub fn end_offensive(&mut self, outcome: OffensiveOutcome) {
        let launch = self.offensive.as_ref().map_or(0, |o| o.launch);
        self.record.offensive_outcome = outcome;
        self.record.offensive_length_days = Some(time::to_days(self.now() - launch));
        self.log("offensive_end", Actor::Aggressor, None, None, || {
            outcome.name().into()
        });
        self.queue.cancel_all();
        self.finished = true;
    }

    fn finish(mut self) -> Record {
        if !self.record.collapsed && !self.record.settled && self.record.end_day == 0.0 {
            self.record.end_day = self.day();
        }
        self.record.sectors_lost = self.lost.iter().filter(|&&l| l).count() as u32;
        let committed: u32 = (self.sc.classes.iter().zip(&self.record.classes))
            .filter(|(class, _)| class.kind == Kind::LandGrab)
            .map(|(_, counts)| counts.committed)
            .sum();
        let decided = self.record.grabs_succeeded + self.record.grabs_failed;
        self.record.grabs_pending = committed.saturating_sub(decided);
        world::finish_background(&mut self);
        self.record.beliefs = self.beliefs.final_means(self.sc);
        self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Memory is flat in the horizon: a violation's place is reused once no pending event names
    /// it, so a 15-year replication with thousands of violations keeps only a handful.
    #[test]
    fn violations_are_recycled_over_a_long_horizon() {
        let mut config = crate::validate::parse(include_str!("../../../../configs/baseline.toml"))
            .expect("baseline config is valid");
        config.horizon_days = 5479.0;
        config.negotiation.rate_per_month = 0.0;
        config.collapse.spiral_threshold = 1_000_000;
        let sc = Scenario::from_config(config).expect("valid scenario");
        let mut longest = (0, 0);
        for replication in 0..5 {
            let seed = crate::seed::replication_seed(1, 0, replication);
            let mut sim = Sim::new(&sc, 0, replication, seed, None);
            sim.start();
            while let Some((_, event)) = sim.queue.pop() {
                sim.dispatch(event);
                if sim.finished {
                    break;
                }
            }
            let committed: u32 = sim.record.classes.iter().map(|c| c.committed).sum();
            longest = longest.max((committed, sim.violations.len()));
        }
        let (committed, kept) = longest;
        assert!(committed > 1_000, "{committed} violations committed");
        assert!(
            kept <= 32,
            "{kept} violations kept for {committed} committed"
        );
    }
}
