//! The responders D, R and U, and the tripwire (docs/model.md section 6).
//!
//! [`respond`] schedules `ResponseExecuted` events; its handler [`on_executed`] schedules nothing,
//! but U's denial may join an offensive in progress.

use super::{Event, RESPONDERS, Responder, Sim};
use crate::config::{AirCoverLevel, Kind};
use crate::record::Actor;
use crate::scenario::Scenario;
use crate::time;
use rand::RngExt;
use rand_distr::StandardNormal;

/// The true probability that responder j responds to violation v now.
fn response_probability(sim: &Sim, v: usize, j: Responder) -> f64 {
    let sc = sim.sc;
    let violation = &sim.violations[v];
    let k = violation.kind.index();
    let at_war = sim.record.coalition_at_war;
    let p_engaged = sc.reassurance.p_engaged;
    match j {
        Responder::Defender => sc.response(j).theta[k],
        Responder::Reassurance if at_war => p_engaged,
        Responder::Reassurance if violation.casualties > 0 => sc.r_theta_hit,
        Responder::Reassurance => sc.response(j).theta[k],
        Responder::AirCover if at_war => p_engaged,
        Responder::AirCover => {
            // The backstop answers violations that hit R (section 16).
            let theta = match sc.u_theta_hit {
                Some(theta_hit) if violation.casualties > 0 => theta_hit,
                _ => sc.response(j).theta[k],
            };
            if sim.shocked() {
                theta * sc.air_cover.shock_factor
            } else {
                theta
            }
        }
    }
}

/// Each present responder decides whether to respond to the detected violation v, and when.
/// Each responder draws from its own stream, always in this order and number: one uniform, then
/// its latencies; a latency's hours are computed only for a response.
pub fn respond(sim: &mut Sim, v: usize) {
    let sc = sim.sc;
    let kind = sim.violations[v].kind;
    for j in RESPONDERS {
        if !sc.present(j) {
            continue;
        }
        let p = response_probability(sim, v, j);
        let u: f64 = sim.rng.responders[j as usize].random();
        let draws = draw_latency(sim, j, kind);
        let responds = u < p;
        let latency = if responds {
            draws.hours(sc, j, kind)
        } else {
            f64::NAN
        };
        sim.log(
            "response_decision",
            j.actor(),
            sim.violations[v].sector,
            Some(sim.violations[v].class),
            || {
                if responds {
                    format!("responds in {latency:.1} h")
                } else {
                    "does not respond".into()
                }
            },
        );
        if responds {
            sim.schedule_for_violation(
                v,
                time::hours(latency).max(1),
                Event::ResponseExecuted {
                    violation: v,
                    responder: j,
                },
            );
        }
    }
}

/// The draws behind a responder's latency: the standard normal scores of its lognormal
/// latencies (for U, authorisation then execution) and whether U's denial skips authorisation.
struct LatencyDraws {
    z: f64,
    z_exec: f64,
    skip_auth: bool,
}

impl LatencyDraws {
    /// The latency in hours, exp(μ + σz) of each lognormal, as its `sample` would give.
    fn hours(&self, sc: &Scenario, j: Responder, kind: Kind) -> f64 {
        match j {
            Responder::Defender => sc.d_latency[kind.index()].dist.from_zscore(self.z),
            Responder::Reassurance => sc.r_latency.dist.from_zscore(self.z),
            Responder::AirCover => {
                let exec = sc.u_exec.dist.from_zscore(self.z_exec);
                if self.skip_auth {
                    exec
                } else {
                    sc.u_auth.dist.from_zscore(self.z) + exec
                }
            }
        }
    }
}

/// Draws responder j's latency for a violation of `kind`.
/// U's denial (land grabs, offensives) needs authorisation and execution, but under a no-fly zone,
/// with probability `on_station`, execution only; U's punishment always needs both.
fn draw_latency(sim: &mut Sim, j: Responder, kind: Kind) -> LatencyDraws {
    let sc = sim.sc;
    let rng = &mut sim.rng.responders[j as usize];
    match j {
        Responder::Defender | Responder::Reassurance => LatencyDraws {
            z: rng.sample(StandardNormal),
            z_exec: 0.0,
            skip_auth: false,
        },
        Responder::AirCover => {
            let on_station: f64 = rng.random();
            let z = rng.sample(StandardNormal);
            let z_exec = rng.sample(StandardNormal);
            let denial = matches!(kind, Kind::LandGrab | Kind::Offensive);
            let skip_auth = denial
                && sc.level == AirCoverLevel::NoFlyZone
                && on_station < sc.air_cover.on_station;
            LatencyDraws {
                z,
                z_exec,
                skip_auth,
            }
        }
    }
}

/// A response executes: recorded, and U's denial joins an offensive in progress.
pub fn on_executed(sim: &mut Sim, v: usize, j: Responder) {
    let now = sim.now();
    sim.violations[v].executed[j as usize] = Some(now);
    match j {
        Responder::Defender => sim.record.d_responses += 1,
        Responder::Reassurance => sim.record.r_responses += 1,
        Responder::AirCover => sim.record.u_responses += 1,
    }
    let joins = j == Responder::AirCover && sim.violations[v].kind == Kind::Offensive;
    if joins && let Some(offensive) = sim.offensive.as_mut() {
        offensive.d += sim.sc.air_cover.air_power;
    }
    sim.log(
        "response",
        j.actor(),
        sim.violations[v].sector,
        Some(sim.violations[v].class),
        || {
            if joins {
                "executed; air power joins the defence".into()
            } else {
                "executed".into()
            }
        },
    );
}

/// Serious-class casualties of the contingents in `hits` (bits of their index) put the question
/// to each of their governments that has not been asked, in list order, once per replication
/// (section 15): one uniform each, on the tripwire stream. A government that fights brings the
/// coalition to war and no other is asked; one that stands aside is a failure of its tripwire
/// to A, with weight 1. Returns true when the coalition goes to war now.
pub fn tripwire(sim: &mut Sim, hits: u32) -> bool {
    if sim.record.coalition_at_war {
        return false;
    }
    let sc = sim.sc;
    for (n, k) in sc.contingents.iter().enumerate() {
        if hits >> n & 1 == 0 || sim.tripwire[n].is_some() {
            continue;
        }
        let u: f64 = sim.rng.tripwire.random();
        let fight = u < k.p_tripwire;
        sim.tripwire[n] = Some(fight);
        sim.record.tripwire_triggered = true;
        sim.record.nations[n].tripwire_triggered = true;
        if !fight {
            let belief = sim.beliefs.tripwire_index(n);
            sim.beliefs.observe(belief, false, 1.0);
        }
        sim.log("tripwire", Actor::Coalition, None, None, || {
            let answer = if fight { "fights" } else { "stands aside" };
            if sc.shorthand {
                answer.into()
            } else {
                format!("{} {answer}", k.nation)
            }
        });
        if fight {
            sim.record.tripwire_fired = true;
            sim.record.nations[n].tripwire_fired = true;
            sim.record.coalition_at_war = true;
            return true;
        }
    }
    false
}
