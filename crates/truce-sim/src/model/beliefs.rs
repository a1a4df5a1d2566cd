//! A's Beta beliefs about its adversaries' responses and the tripwire (MODEL.md section 8).
//!
//! Handler: [`on_observation`], which schedules nothing.

use super::{RESPONDERS, Responder, Sim};
use crate::scenario::Scenario;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// A Beta(α, β) belief with the prior it decays toward.
///
/// α and β change only through [`Beta::decay`] and [`Beta::observe`], which keep the mean up to
/// date; a belief at its prior is a fixed point of the decay and is left alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beta {
    alpha: f64,
    beta: f64,
    prior_alpha: f64,
    prior_beta: f64,
    /// α / (α + β), or 0 while α is 0, as of the last change.
    mean: f64,
    /// α and β equal their prior.
    at_prior: bool,
}

impl Beta {
    /// A prior with the given mean and strength α + β.
    pub fn with_mean(mean: f64, strength: f64) -> Self {
        let alpha = mean * strength;
        let beta = (1.0 - mean) * strength;
        Self {
            alpha,
            beta,
            prior_alpha: alpha,
            prior_beta: beta,
            mean: mean_of(alpha, beta),
            at_prior: true,
        }
    }

    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// The mean α / (α + β); 0 while α is 0.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// A draw from the belief (Thompson sampling); 0 while α is 0, 1 while β is 0.
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> f64 {
        if self.alpha <= 0.0 {
            return 0.0;
        }
        if self.beta <= 0.0 {
            return 1.0;
        }
        match rand_distr::Beta::new(self.alpha, self.beta) {
            Ok(dist) => rng.sample(dist),
            Err(_) => self.mean(),
        }
    }

    /// Decay toward the prior: α ← α₀ + ρ(α − α₀), likewise β.
    /// A parameter at its prior is a fixed point (α₀ + ρ · 0 = α₀ exactly) and is left alone.
    pub fn decay(&mut self, memory: f64) {
        if self.at_prior {
            return;
        }
        if self.alpha != self.prior_alpha {
            self.alpha = self.prior_alpha + memory * (self.alpha - self.prior_alpha);
        }
        if self.beta != self.prior_beta {
            self.beta = self.prior_beta + memory * (self.beta - self.prior_beta);
        }
        self.changed();
    }

    /// An observation with weight w: a response adds w to α, its absence w to β.
    pub fn observe(&mut self, responded: bool, weight: f64) {
        if responded {
            self.alpha += weight;
        } else {
            self.beta += weight;
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.mean = mean_of(self.alpha, self.beta);
        self.at_prior = self.alpha == self.prior_alpha && self.beta == self.prior_beta;
    }
}

/// The mean α / (α + β) of a Beta belief; 0 while α is 0.
fn mean_of(alpha: f64, beta: f64) -> f64 {
    let total = alpha + beta;
    if alpha <= 0.0 || total <= 0.0 {
        0.0
    } else {
        alpha / total
    }
}

/// All of A's beliefs.
#[derive(Debug, Clone)]
pub struct Beliefs {
    /// `about[j][class]`: responder j's response to a violation of that class.
    pub about: [Vec<Beta>; 3],
    /// R's response to a violation that hit it.
    pub r_hit: Beta,
    /// Per contingent: that serious casualties of its troops make its government fight.
    pub tripwire: Vec<Beta>,
    /// U's response to a violation that hit R (the backstop, section 16); `None` when A holds
    /// no belief of its own about it.
    pub u_hit: Option<Beta>,
}

impl Beliefs {
    pub fn new(sc: &Scenario) -> Self {
        let responder = |r: &crate::scenario::Responder| {
            sc.classes
                .iter()
                .map(|c| Beta::with_mean(r.declared[c.kind.index()], r.prior_strength))
                .collect::<Vec<_>>()
        };
        let b = &sc.config.beliefs;
        Self {
            about: [
                responder(&sc.defender),
                responder(&sc.reassurance),
                responder(&sc.air_cover),
            ],
            r_hit: Beta::with_mean(sc.r_declared_hit, sc.reassurance.prior_strength),
            tripwire: sc
                .contingents
                .iter()
                .map(|k| Beta::with_mean(k.tripwire_prior_mean, b.tripwire_prior_strength))
                .collect(),
            u_hit: sc
                .u_declared_hit
                .map(|mean| Beta::with_mean(mean, sc.air_cover.prior_strength)),
        }
    }

    /// The final belief means, in the order of [`Scenario::belief_columns`]; `None` for absent responders.
    pub fn final_means(&self, sc: &Scenario) -> Vec<Option<f64>> {
        let present = [true, sc.r_present, sc.u_responder];
        let mut out = Vec::with_capacity(3 * sc.classes.len() + 2);
        for j in RESPONDERS {
            for b in &self.about[j as usize] {
                out.push(present[j as usize].then(|| b.mean()));
            }
        }
        out.push(sc.r_present.then(|| self.r_hit.mean()));
        for tripwire in &self.tripwire {
            out.push(sc.r_present.then(|| tripwire.mean()));
        }
        if let Some(u_hit) = &self.u_hit {
            out.push(Some(u_hit.mean()));
        }
        out
    }
}

/// Whether responder j is present: a term in A's expected utility and a source of learning.
pub fn present(sc: &Scenario, j: Responder) -> bool {
    match j {
        Responder::Defender => true,
        Responder::Reassurance => sc.r_present,
        Responder::AirCover => sc.u_responder,
    }
}

/// A's observation window after a detected violation closes: for each present responder,
/// α += w if its response had executed by now, β += w if not (section 8); for a violation that
/// hit R, R's (and, with the backstop, U's) belief about violations that hit R.
pub fn on_observation(sim: &mut Sim, violation: usize) {
    let v = &sim.violations[violation];
    let b = &sim.sc.config.beliefs;
    let weight = if v.attributed {
        1.0
    } else {
        b.ambiguous_weight
    };
    let (class, hit, executed) = (v.class, v.casualties > 0, v.executed);
    let now = sim.now();
    let mut seen = [false; 3];
    for j in RESPONDERS {
        if !present(sim.sc, j) {
            continue;
        }
        let responded = executed[j as usize].is_some_and(|t| t <= now);
        seen[j as usize] = responded;
        let belief = match (j, &mut sim.beliefs.u_hit) {
            (Responder::Reassurance, _) if hit => &mut sim.beliefs.r_hit,
            (Responder::AirCover, Some(u_hit)) if hit => u_hit,
            _ => &mut sim.beliefs.about[j as usize][class],
        };
        belief.observe(responded, weight);
    }
    sim.log(
        "observation",
        super::Actor::Aggressor,
        sim.violations[violation].sector,
        Some(class),
        || {
            format!(
                "weight {weight}; responded: defender {}, reassurance {}, air_cover {}",
                seen[0], seen[1], seen[2]
            )
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With ρ = 1 and w = 1, after n observations with r responses the mean is (α₀ + r)/(α₀ + β₀ + n).
    #[test]
    fn posterior_mean_is_exact_without_decay() {
        let mut b = Beta::with_mean(0.3, 2.0);
        let (n, r) = (17, 5);
        for i in 0..n {
            b.decay(1.0);
            b.observe(i < r, 1.0);
        }
        let expected = (0.6 + r as f64) / (2.0 + n as f64);
        assert!((b.mean() - expected).abs() < 1e-12);
    }

    #[test]
    fn decay_returns_to_the_prior() {
        let mut b = Beta::with_mean(0.5, 2.0);
        b.observe(true, 10.0);
        for _ in 0..10_000 {
            b.decay(0.995);
        }
        assert!((b.alpha() - 1.0).abs() < 1e-9 && (b.beta() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_declared_zero_stays_zero_until_a_response() {
        let mut b = Beta::with_mean(0.0, 2.0);
        assert_eq!(b.mean(), 0.0);
        let mut rng = crate::seed::stream(1, crate::seed::Source::Aggressor);
        assert_eq!(b.draw(&mut rng), 0.0);
        b.observe(false, 1.0);
        assert_eq!(b.mean(), 0.0);
        b.observe(true, 1.0);
        assert!(b.mean() > 0.0);
    }
}
