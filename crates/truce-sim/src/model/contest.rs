//! Contests (docs/model.md sections 4, 7 and 10): land grabs at their objective time, strike salvos,
//! and the offensive's Lanchester phase.
//!
//! Handlers: [`on_objective`] schedules nothing; [`on_offensive_step`] schedules the next step.
//! [`launch_offensive`] collapses the ceasefire and schedules responses and the first step.

use super::decision::Hits;
use super::draws::poisson;
use super::{Event, Offensive, Sim, response};
use crate::config::Roe;
use crate::record::{Actor, CollapseCause, OffensiveOutcome};
use crate::time;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand_distr::Binomial;

/// Ratio-form contest success function (Hirshleifer 1989): P(A wins) = F_A^γ / (F_A^γ + F_D^γ).
pub fn csf(attack: f64, defence: f64, gamma: f64) -> f64 {
    if attack <= 0.0 {
        return 0.0;
    }
    if defence <= 0.0 {
        return 1.0;
    }
    // (F_D / F_A)^γ keeps the computation finite for large forces; γ = 2 is the hot default.
    let ratio = defence / attack;
    let odds = if gamma == 2.0 {
        ratio * ratio
    } else {
        ratio.powf(gamma)
    };
    1.0 / (1.0 + odds)
}

/// Leakers of a salvo of `n` munitions, each intercepted independently with probability `p_intercept`:
/// Binomial(n, 1 − p_intercept).
pub fn leakers(rng: &mut ChaCha8Rng, n: u64, p_intercept: f64) -> u64 {
    match Binomial::new(n, (1.0 - p_intercept).clamp(0.0, 1.0)) {
        Ok(dist) => rng.sample(dist),
        Err(_) => 0,
    }
}

/// Draws a deep strike's salvo size (A's stream) and its leakers (contest stream).
pub fn salvo(sim: &mut Sim) -> (u64, u64) {
    let sc = sim.sc;
    let size: f64 = sim.rng.aggressor.sample(sc.salvo);
    let n = (size.round() as u64).max(1);
    (n, leakers(&mut sim.rng.contests, n, sc.p_intercept))
}

/// R casualties of an offensive, which reaches every sector and, in the end, the rear: each
/// contingent's, in list order, counted into `hits`. Returns the locations hit, as (contingent,
/// sector index or, for the rear, the number of sectors).
pub fn offensive_casualties(sim: &mut Sim, class: usize, hits: &mut Hits) -> Vec<(usize, usize)> {
    let sc = sim.sc;
    let rate = sc.classes[class].casualty_rate;
    let re = &sc.reassurance;
    let mut hit = Vec::new();
    for (n, k) in sc.contingents.iter().enumerate() {
        for s in 0..k.troops.len() {
            let x = poisson(&mut sim.rng.contests, k.sector_casualties(rate, s));
            if x > 0 {
                hit.push((n, s));
                sim.record.sectors[s].r_casualties += x;
            }
            hits.add(&mut sim.record, n, x, true);
        }
        let rear = poisson(
            &mut sim.rng.contests,
            k.rear_casualties(rate, re.rear_exposure_offensive),
        );
        if rear > 0 {
            hit.push((n, sc.sectors.len()));
        }
        hits.add(&mut sim.record, n, rear, true);
    }
    hit
}

/// A land grab reaches its objective time: the local contest decides it with the forces there now.
pub fn on_objective(sim: &mut Sim, v: usize) {
    let sc = sim.sc;
    let violation = &sim.violations[v];
    let s = violation.sector.unwrap_or(0);
    let class = violation.class;
    let hits = violation.hits;
    let air =
        violation.executed[super::Responder::AirCover as usize].is_some_and(|t| t <= sim.now());
    let strength = sim.strength();
    let attack = sc.aggressor.land_grab_power * strength.power_factor();
    let mut defence = sc.sectors[s].defence * strength.defence_factor + sim.r_power_local(s, hits);
    if air {
        defence += sc.air_cover.air_power_local;
    }
    let p = csf(attack, defence, sc.contest.gamma);
    let u: f64 = sim.rng.contests.random();
    let success = u < p;
    if success {
        sim.value[s] *= sc.contest.grab_value_factor;
        super::decision::sector_runs(sc, &sim.value, &mut sim.sector_runs);
        sim.lost[s] = true;
        sim.record.grabs_succeeded += 1;
        sim.record.sectors[s].grabs_succeeded += 1;
    } else {
        sim.record.grabs_failed += 1;
    }
    sim.log("objective", Actor::Aggressor, Some(s), Some(class), || {
        format!(
            "{} (attack {attack:.1} against {defence:.1}{}, P = {p:.3})",
            if success { "taken" } else { "repulsed" },
            if air { " with air power" } else { "" },
        )
    });
}

/// A launches a major offensive: the ceasefire collapses now, and the Lanchester phase begins
/// with D's pool, each contingent where its rules or the coalition's war bring it in, and U once
/// its denial executes. At war, each contingent but the one whose government fought joins with
/// probability `solidarity` (a draw each, on the tripwire stream, when it is below 1), with all
/// its troops in the country; staged troops of those that join arrive after their deployment
/// delay (section 15).
pub fn launch_offensive(sim: &mut Sim, v: usize, hit_locations: &[(usize, usize)]) {
    let sc = sim.sc;
    sim.collapse(CollapseCause::Offensive);
    let re = &sc.reassurance;
    let at_war = sim.record.coalition_at_war;
    let (mut r_troops, mut r_power) = (0.0, 0.0);
    let mut deployments = Vec::new();
    for (n, k) in sc.contingents.iter().enumerate() {
        let joins = at_war
            && (sim.tripwire[n] == Some(true)
                || re.solidarity >= 1.0
                || sim.rng.tripwire.random::<f64>() < re.solidarity);
        let troops = if joins {
            k.in_country
        } else {
            match k.roe {
                Roe::Combat => k.in_country,
                Roe::DefendSector => k.line,
                Roe::SelfDefence => hit_locations
                    .iter()
                    .filter(|&&(m, _)| m == n)
                    .map(|&(_, l)| k.troops.get(l).copied().unwrap_or(k.troops_rear))
                    .sum(),
            }
        };
        r_troops += troops;
        r_power += troops * k.power_per_kilotroop;
        if joins && k.staged > 0.0 {
            let hours: f64 = sim.rng.tripwire.sample(k.deploy.dist);
            deployments.push((n, hours));
        }
    }
    let strength = sim.strength();
    let a0 = sc.aggressor.power * strength.power_factor();
    let d0 = sc.defence_total * strength.defence_factor + r_power;
    sim.offensive = Some(Offensive {
        launch: sim.now(),
        a0,
        d0,
        a: a0,
        d: d0,
    });
    sim.log("offensive_launch", Actor::Aggressor, None, None, || {
        format!("A {a0:.1} against D {d0:.1} (R {r_troops:.1} thousand troops)")
    });
    for (n, hours) in deployments {
        let delay = time::hours(hours).max(1);
        sim.queue
            .schedule_in(delay, Event::Deployment { contingent: n });
    }
    if sim.violations[v].detected {
        response::respond(sim, v);
    }
    let step = sc.offensive.step;
    sim.queue.schedule_in(step, Event::OffensiveStep);
}

/// A staged contingent's troops reach the offensive: their power joins D's pool (as U's air
/// power does, the breakthrough threshold stays that of the launch).
pub fn on_deployment(sim: &mut Sim, n: usize) {
    let k = &sim.sc.contingents[n];
    let power = k.staged * k.power_per_kilotroop;
    if let Some(offensive) = sim.offensive.as_mut() {
        offensive.d += power;
    }
    sim.log("deployment", Actor::Reassurance, None, None, || {
        format!(
            "{}: {:.1} thousand staged troops join the defence",
            k.nation, k.staged
        )
    });
}

/// Advances the square-law Lanchester equations dA/dt = −a·D, dD/dt = −d·A exactly over `dt` days
/// with both pools fixed in between, which conserves d·A² − a·D². Neither side goes below 0.
pub fn lanchester(a_force: f64, d_force: f64, a: f64, d: f64, dt: f64) -> (f64, f64) {
    let k = (a * d).sqrt();
    let (na, nd) = if k == 0.0 {
        (a_force - a * d_force * dt, d_force - d * a_force * dt)
    } else {
        let (c, s) = ((k * dt).cosh(), (k * dt).sinh());
        (
            a_force * c - (a / d).sqrt() * d_force * s,
            d_force * c - (d / a).sqrt() * a_force * s,
        )
    };
    (na.max(0.0), nd.max(0.0))
}

/// One step of the offensive: attrition, then the halt and breakthrough tests; a stalemate when
/// the phase's days run out. A halt is tested before a breakthrough.
pub fn on_offensive_step(sim: &mut Sim) {
    let sc = sim.sc;
    let cfg = &sc.offensive;
    let Some(o) = sim.offensive.as_mut() else {
        return;
    };
    let dt = cfg.step_days;
    (o.a, o.d) = lanchester(o.a, o.d, cfg.a_per_day, cfg.d_per_day, dt);
    let (a, d, a0, d0, launch) = (o.a, o.d, o.a0, o.d0, o.launch);
    sim.log("offensive_step", Actor::Aggressor, None, None, || {
        format!("A {a:.1}, D {d:.1}")
    });
    let elapsed = sim.now() - launch;
    if a < cfg.halt_fraction * a0 {
        sim.end_offensive(OffensiveOutcome::Halted);
    } else if d < cfg.breakthrough_fraction * d0 {
        sim.end_offensive(OffensiveOutcome::Breakthrough);
    } else if elapsed >= cfg.length {
        sim.end_offensive(OffensiveOutcome::Stalemate);
    } else {
        sim.queue.schedule_in(cfg.step, Event::OffensiveStep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The square law conserves d·A² − a·D² (docs/model.md section 13).
    #[test]
    fn lanchester_conserves_the_square_law_invariant() {
        for (a, d) in [(0.05, 0.05), (0.03, 0.08), (0.1, 0.02)] {
            let (mut x, mut y) = (100.0, 90.0);
            let invariant = d * x * x - a * y * y;
            for _ in 0..40 {
                (x, y) = lanchester(x, y, a, d, 0.25);
                if x == 0.0 || y == 0.0 {
                    break;
                }
                let now = d * x * x - a * y * y;
                assert!((now - invariant).abs() < 1e-9 * invariant.abs().max(1.0));
            }
        }
    }

    #[test]
    fn lanchester_rates_match_the_equations_for_a_short_step() {
        let (x, y) = lanchester(100.0, 90.0, 0.05, 0.05, 1e-6);
        assert!(((100.0 - x) / 1e-6 - 0.05 * 90.0).abs() < 1e-3);
        assert!(((90.0 - y) / 1e-6 - 0.05 * 100.0).abs() < 1e-3);
    }

    /// Leakers of a salvo of n with intercept probability p are Binomial(n, 1 − p) (section 13):
    /// mean n(1 − p), variance n p (1 − p), within five standard errors.
    #[test]
    fn leakers_are_binomial() {
        let mut rng = crate::seed::stream(7, crate::seed::Source::Contests);
        let (n, p, draws) = (110u64, 0.75, 20_000);
        let xs: Vec<f64> = (0..draws).map(|_| leakers(&mut rng, n, p) as f64).collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        let (m, v) = (n as f64 * (1.0 - p), n as f64 * p * (1.0 - p));
        assert!(
            (mean - m).abs() < 5.0 * (v / draws as f64).sqrt(),
            "mean {mean} vs {m}"
        );
        // The variance of a sample variance is about 2σ⁴/(N − 1) for a near-normal count.
        let se_var = (2.0 * v * v / (draws - 1) as f64).sqrt();
        assert!((var - v).abs() < 5.0 * se_var, "variance {var} vs {v}");
    }
}
