//! What nobody in the model decides: background violations, negotiation rounds and recommitments
//! (docs/model.md section 9), no-fly-zone air incidents and credibility shocks (section 6), and the
//! exogenous collapse hazard (section 10).
//!
//! Handlers: [`on_background_tally`] schedules the next tally; [`on_negotiation_round`],
//! [`on_air_incident`] and [`on_credibility_shock`] schedule their process's next event.

use super::{Event, Sim};
use crate::config::AirCoverLevel;
use crate::record::{Actor, CollapseCause};
use crate::time::{self, MINUTES_PER_DAY, Minutes};
use rand::RngExt;

/// Schedules the first event of each exogenous process.
pub fn start(sim: &mut Sim) {
    let sc = sim.sc;
    // The hazard's collapse time is always drawn, so its stream does not depend on the switch.
    let u: f64 = sim.rng.hazard.random();
    let hazard_days = sc.hazard_scale_days * (-(1.0 - u).ln()).powf(1.0 / sc.collapse.hazard_shape);
    if sc.collapse.exogenous && hazard_days < sc.horizon_days {
        sim.queue
            .schedule(time::days(hazard_days), Event::ExogenousCollapse);
    }
    schedule_next(sim, Process::Negotiation);
    if sc.level == AirCoverLevel::NoFlyZone {
        schedule_next(sim, Process::AirIncident);
    }
    if sc.u_responder {
        schedule_next(sim, Process::CredibilityShock);
    }
}

/// Which exogenous process, for [`schedule_next`].
#[derive(Debug, Clone, Copy)]
enum Process {
    Negotiation,
    AirIncident,
    CredibilityShock,
}

/// Schedules the next event of a Poisson process, drawn from its own stream; none when the rate is 0
/// or the event would fall after the horizon.
fn schedule_next(sim: &mut Sim, process: Process) {
    let sc = sim.sc;
    let (rate_per_day, rng, event) = match process {
        Process::Negotiation => (
            sc.negotiation.rate_per_day,
            &mut sim.rng.negotiation,
            Event::NegotiationRound,
        ),
        Process::AirIncident => (
            sc.air_cover.incident_rate_per_day,
            &mut sim.rng.incidents,
            Event::AirIncident,
        ),
        Process::CredibilityShock => (
            sc.air_cover.shock_rate_per_day,
            &mut sim.rng.shocks,
            Event::CredibilityShock,
        ),
    };
    if rate_per_day <= 0.0 {
        return;
    }
    let delay = Sim::exp_days(rng, 1.0 / rate_per_day).max(1);
    let at = sim.now().saturating_add(delay);
    if at < sim.sc.horizon {
        sim.queue.schedule(at, event);
    }
}

/// The mean background rate r(t) at time t (section 9):
/// rate · (1 − (1 − m) · exp(−(t − t_rc)/τ)), t_rc the latest recommitment at or before t.
pub fn background_rate(sim: &Sim, t: Minutes) -> f64 {
    let b = &sim.sc.background;
    let t_rc = sim
        .recommitments
        .iter()
        .rev()
        .find(|&&r| r <= t)
        .copied()
        .unwrap_or(0);
    let since_days = (t - t_rc) as f64 / MINUTES_PER_DAY;
    b.rate * (1.0 - (1.0 - b.recommit_multiplier) * (-since_days / b.recommit_erosion_days).exp())
}

/// The monitors' tally of background violations for `day`, using r at mid-day.
pub fn on_background_tally(sim: &mut Sim, day: u64) {
    let mid = day * MINUTES_PER_DAY as u64 + MINUTES_PER_DAY as u64 / 2;
    let rate = background_rate(sim, mid);
    let k = sim.sc.background.dispersion;
    let count = super::draws::negative_binomial(&mut sim.rng.background, rate, k);
    let rec = &mut sim.record;
    rec.background_total += count;
    rec.background_days += 1;
    if day < 30 {
        rec.background_first_30 += count;
        rec.background_days_first_30 += 1;
    }
    let figures = crate::record::TraceFigures {
        count: Some(count),
        covers_day: Some(day),
        mean: Some(rate),
        recommitment: None,
    };
    sim.log_figures(
        "background_tally",
        Actor::Monitors,
        None,
        None,
        figures,
        || format!("{count} (day {day}, mean {rate:.1})"),
    );
    sim.queue.schedule_slot(
        super::TALLY_SLOT,
        (day + 2) * MINUTES_PER_DAY as u64,
        Event::BackgroundTally { day: day + 1 },
    );
}

/// Fills the record's background means from its tallies.
pub fn finish_background(sim: &mut Sim) {
    let rec = &mut sim.record;
    rec.background_mean =
        (rec.background_days > 0).then(|| rec.background_total as f64 / rec.background_days as f64);
    rec.background_mean_first_30 = (rec.background_days_first_30 > 0)
        .then(|| rec.background_first_30 as f64 / rec.background_days_first_30 as f64);
}

/// A negotiation round: success recommits both sides and raises the peace dividend;
/// enough successes settle the conflict.
pub fn on_negotiation_round(sim: &mut Sim) {
    let n = &sim.sc.negotiation;
    sim.record.negotiation_rounds += 1;
    let u: f64 = sim.rng.negotiation.random();
    let success = u < n.p_round_success;
    if success {
        sim.successes += 1;
        sim.record.successful_rounds += 1;
        let now = sim.now();
        sim.recommitments.push(now);
    }
    let successes = sim.successes;
    let figures = crate::record::TraceFigures {
        count: Some(u64::from(successes)),
        recommitment: Some(success),
        ..Default::default()
    };
    sim.log_figures(
        "negotiation_round",
        Actor::Negotiators,
        None,
        None,
        figures,
        || {
            if success {
                format!("success {successes}: recommitment")
            } else {
                "failure".into()
            }
        },
    );
    if successes >= n.rounds_to_settle && !sim.record.settled {
        sim.settle();
    }
    if !sim.finished {
        schedule_next(sim, Process::Negotiation);
    }
}

/// An air incident under a no-fly zone, which may escalate into a direct clash.
pub fn on_air_incident(sim: &mut Sim) {
    sim.record.nfz_incidents += 1;
    let u: f64 = sim.rng.incidents.random();
    let clash = u < sim.sc.air_cover.p_incident_clash;
    sim.log("air_incident", Actor::AirCover, None, None, || {
        if clash {
            "direct clash"
        } else {
            "no escalation"
        }
        .into()
    });
    if clash {
        sim.record.direct_clash = true;
        sim.collapse(CollapseCause::Clash);
    } else {
        schedule_next(sim, Process::AirIncident);
    }
}

/// A credibility shock halves U's resolve, and A's beliefs about it, for a while;
/// a shock during another extends it to `shock_duration_days` after the latest.
pub fn on_credibility_shock(sim: &mut Sim) {
    sim.record.credibility_shocks += 1;
    let duration = sim.sc.air_cover.shock_duration;
    sim.shock_until = sim.now() + duration;
    let until = time::to_days(sim.shock_until);
    sim.log("credibility_shock", Actor::AirCover, None, None, || {
        format!("resolve reduced until day {until:.1}")
    });
    schedule_next(sim, Process::CredibilityShock);
}
