//! A's Beta beliefs about its adversaries' responses and the tripwire (docs/model.md section 8).
//!
//! Handler: [`on_observation`], which schedules nothing.

use super::{RESPONDERS, Responder, Sim};
use crate::scenario::Scenario;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// A Beta(α, β) prior: where a belief of [`Beliefs`] starts and what it decays toward.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beta {
    pub alpha: f64,
    pub beta: f64,
}

impl Beta {
    /// A prior with the given mean and strength α + β.
    pub fn with_mean(mean: f64, strength: f64) -> Self {
        Self {
            alpha: mean * strength,
            beta: (1.0 - mean) * strength,
        }
    }
}

/// The mean α / (α + β) of a Beta belief; 0 while α is 0. Written as a select of the quotient,
/// computed whatever α is, so that a loop over many beliefs needs no branch.
#[inline(always)]
fn mean_of(alpha: f64, beta: f64) -> f64 {
    let total = alpha + beta;
    let mean = alpha / total;
    if alpha <= 0.0 || total <= 0.0 {
        0.0
    } else {
        mean
    }
}

/// One parameter α or β decayed toward its prior: α₀ + ρ(α − α₀).
#[inline(always)]
fn decayed(prior: f64, x: f64, memory: f64) -> f64 {
    prior + memory * (x - prior)
}

/// A draw from Beta(α, β) of mean `mean`; 0 while α is 0, 1 while β is 0.
fn draw(alpha: f64, beta: f64, mean: f64, rng: &mut ChaCha8Rng) -> f64 {
    if alpha <= 0.0 {
        return 0.0;
    }
    if beta <= 0.0 {
        return 1.0;
    }
    match rand_distr::Beta::new(alpha, beta) {
        Ok(dist) => rng.sample(dist),
        Err(_) => mean,
    }
}

/// All of A's beliefs, in one list in the order of [`Scenario::belief_columns`]: responder j's
/// response to a violation of each class (j by j, class by class), R's response to a violation
/// that hit it, each contingent's government's (that serious casualties of its troops make it
/// fight) and, with the backstop (section 16), U's response to a violation that hit R.
///
/// Kept as one array per parameter, so that the decay of every belief at every epoch is one
/// loop without branches.
#[derive(Debug, Clone)]
pub struct Beliefs {
    alpha: Vec<f64>,
    beta: Vec<f64>,
    prior_alpha: Vec<f64>,
    prior_beta: Vec<f64>,
    mean: Vec<f64>,
    classes: usize,
    contingents: usize,
}

impl Beliefs {
    pub fn new(sc: &Scenario) -> Self {
        let b = &sc.beliefs;
        let mut all = Vec::with_capacity(3 * sc.classes.len() + 2 + sc.contingents.len());
        for r in &sc.responses {
            all.extend(
                (sc.classes.iter())
                    .map(|c| Beta::with_mean(r.declared[c.kind.index()], r.prior_strength)),
            );
        }
        all.push(Beta::with_mean(
            sc.r_declared_hit,
            sc.response(Responder::Reassurance).prior_strength,
        ));
        all.extend(
            (sc.contingents.iter())
                .map(|k| Beta::with_mean(k.tripwire_prior_mean, b.tripwire_prior_strength)),
        );
        if let Some(mean) = sc.u_declared_hit {
            all.push(Beta::with_mean(
                mean,
                sc.response(Responder::AirCover).prior_strength,
            ));
        }
        Self::from_priors(&all, sc.classes.len(), sc.contingents.len())
    }

    /// Beliefs at their priors, in the order of [`Beliefs`].
    fn from_priors(priors: &[Beta], classes: usize, contingents: usize) -> Self {
        let alpha: Vec<f64> = priors.iter().map(|b| b.alpha).collect();
        let beta: Vec<f64> = priors.iter().map(|b| b.beta).collect();
        let mean = alpha
            .iter()
            .zip(&beta)
            .map(|(&a, &b)| mean_of(a, b))
            .collect();
        Self {
            prior_alpha: alpha.clone(),
            prior_beta: beta.clone(),
            alpha,
            beta,
            mean,
            classes,
            contingents,
        }
    }

    /// α and β of belief `i`.
    pub fn parameters(&self, i: usize) -> (f64, f64) {
        (self.alpha[i], self.beta[i])
    }

    /// The mean of every belief, in the order of [`Beliefs`].
    pub fn means(&self) -> &[f64] {
        &self.mean
    }

    /// A draw from belief `i` (Thompson sampling); 0 while α is 0, 1 while β is 0.
    pub fn draw(&self, i: usize, rng: &mut ChaCha8Rng) -> f64 {
        draw(self.alpha[i], self.beta[i], self.mean[i], rng)
    }

    /// An observation of belief `i` with weight w: a response adds w to α, its absence w to β.
    pub fn observe(&mut self, i: usize, responded: bool, weight: f64) {
        if responded {
            self.alpha[i] += weight;
        } else {
            self.beta[i] += weight;
        }
        self.mean[i] = mean_of(self.alpha[i], self.beta[i]);
    }

    /// Where responder j's belief about `class` is.
    pub fn about_index(&self, j: Responder, class: usize) -> usize {
        j as usize * self.classes + class
    }

    /// Where R's belief about violations that hit it is.
    pub fn r_hit_index(&self) -> usize {
        3 * self.classes
    }

    /// Where contingent n's tripwire belief is.
    pub fn tripwire_index(&self, n: usize) -> usize {
        3 * self.classes + 1 + n
    }

    /// Where the backstop belief is, when A holds one.
    pub fn u_hit_index(&self) -> Option<usize> {
        let at = 3 * self.classes + 1 + self.contingents;
        (at < self.mean.len()).then_some(at)
    }

    /// Decays every belief toward its prior, as once per epoch (section 8): α ← α₀ + ρ(α − α₀),
    /// likewise β. A parameter at its prior is a fixed point (α₀ + ρ · 0 = α₀ exactly), so the
    /// pass needs no test of it.
    pub fn decay(&mut self, memory: f64) {
        for (x, prior) in self.alpha.iter_mut().zip(&self.prior_alpha) {
            *x = decayed(*prior, *x, memory);
        }
        for (x, prior) in self.beta.iter_mut().zip(&self.prior_beta) {
            *x = decayed(*prior, *x, memory);
        }
        for ((mean, alpha), beta) in self.mean.iter_mut().zip(&self.alpha).zip(&self.beta) {
            *mean = mean_of(*alpha, *beta);
        }
    }

    /// The final belief means, in the order of [`Scenario::belief_columns`]; `None` for absent responders.
    pub fn final_means(&self, sc: &Scenario) -> Vec<Option<f64>> {
        let present = [true, sc.r_present, sc.u_responder];
        let mut out = Vec::with_capacity(self.mean.len());
        for j in RESPONDERS {
            for class in 0..self.classes {
                out.push(present[j as usize].then(|| self.mean[self.about_index(j, class)]));
            }
        }
        out.push(sc.r_present.then(|| self.mean[self.r_hit_index()]));
        for n in 0..self.contingents {
            out.push(sc.r_present.then(|| self.mean[self.tripwire_index(n)]));
        }
        if let Some(u_hit) = self.u_hit_index() {
            out.push(Some(self.mean[u_hit]));
        }
        out
    }
}

/// A's observation window after a detected violation closes: for each present responder,
/// α += w if its response had executed by now, β += w if not (section 8); for a violation that
/// hit R, R's (and, with the backstop, U's) belief about violations that hit R.
pub fn on_observation(sim: &mut Sim, violation: usize) {
    let v = &sim.violations[violation];
    let b = &sim.sc.beliefs;
    let weight = if v.attributed {
        1.0
    } else {
        b.ambiguous_weight
    };
    let (class, hit, executed) = (v.class, v.casualties > 0, v.executed);
    let now = sim.now();
    let mut seen = [false; 3];
    for j in RESPONDERS {
        if !sim.sc.present(j) {
            continue;
        }
        let responded = executed[j as usize].is_some_and(|t| t <= now);
        seen[j as usize] = responded;
        let beliefs = &mut sim.beliefs;
        let belief = match (j, beliefs.u_hit_index()) {
            (Responder::Reassurance, _) if hit => beliefs.r_hit_index(),
            (Responder::AirCover, Some(u_hit)) if hit => u_hit,
            _ => beliefs.about_index(j, class),
        };
        beliefs.observe(belief, responded, weight);
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

    /// One belief with the given prior.
    fn one(mean: f64, strength: f64) -> Beliefs {
        Beliefs::from_priors(&[Beta::with_mean(mean, strength)], 0, 0)
    }

    /// With ρ = 1 and w = 1, after n observations with r responses the mean is (α₀ + r)/(α₀ + β₀ + n).
    #[test]
    fn posterior_mean_is_exact_without_decay() {
        let mut b = one(0.3, 2.0);
        let (n, r) = (17, 5);
        for i in 0..n {
            b.decay(1.0);
            b.observe(0, i < r, 1.0);
        }
        let expected = (0.6 + r as f64) / (2.0 + n as f64);
        assert!((b.means()[0] - expected).abs() < 1e-12);
    }

    #[test]
    fn decay_returns_to_the_prior() {
        let mut b = one(0.5, 2.0);
        b.observe(0, true, 10.0);
        for _ in 0..10_000 {
            b.decay(0.995);
        }
        let (alpha, beta) = b.parameters(0);
        assert!((alpha - 1.0).abs() < 1e-9 && (beta - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_declared_zero_stays_zero_until_a_response() {
        let mut b = one(0.0, 2.0);
        assert_eq!(b.means()[0], 0.0);
        let mut rng = crate::seed::stream(1, crate::seed::Source::Aggressor);
        assert_eq!(b.draw(0, &mut rng), 0.0);
        b.observe(0, false, 1.0);
        assert_eq!(b.means()[0], 0.0);
        b.observe(0, true, 1.0);
        assert!(b.means()[0] > 0.0);
    }
}
