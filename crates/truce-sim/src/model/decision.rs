//! A's decisions (docs/model.md section 5) and the violations they commit (sections 4 and 6).
//!
//! Handler: [`on_decision`], which schedules the next `Decision` and, through [`commit`],
//! `ResponseExecuted`, `Observation` and `Objective` events, or starts an offensive or a collapse.

use super::beliefs::Beliefs;
use super::contest::{self, csf};
use super::{RESPONDERS, Responder, Scratch, Sim, Violation, draws, response};
use crate::config::Kind;
use crate::record::{Actor, CollapseCause, Record};
use crate::scenario::{Class, Exposure, Scenario};
use crate::time;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

/// What A expects of its adversaries at one epoch: belief means or Thompson draws.
#[derive(Debug, Clone, Default)]
pub struct Outlook {
    /// r · d · (1 + π T / 15): resolve times peace dividend, times provocation (section 17).
    pub drive: f64,
    /// One expectation per belief of A, in the order of [`Beliefs`]: that responder j responds
    /// to each class (0 for an absent responder), that R responds to a violation that hit it,
    /// that each contingent's government fights when its troops are hit, and the backstop.
    pub b: Vec<f64>,
    /// Number of classes, to index `b`.
    pub classes: usize,
    /// Number of contingents.
    pub contingents: usize,
    /// A's power as a multiple of full strength ([`Strength::power_factor`](crate::scenario::Strength::power_factor)).
    pub power_factor: f64,
    /// f_A, which scales a deep strike's expected gain ([`Strength::recovery`](crate::scenario::Strength::recovery)).
    pub recovery: f64,
    pub defence_factor: f64,
}

impl Outlook {
    /// A's expectation that responder j responds to `class`.
    #[inline(always)]
    pub fn about(&self, j: Responder, class: usize) -> f64 {
        self.b[j as usize * self.classes + class]
    }

    /// A's expectations that D, R and U respond to each class, class by class.
    #[inline(always)]
    pub fn about_classes(&self) -> [&[f64]; 3] {
        let (d, rest) = self.b.split_at(self.classes);
        let (r, rest) = rest.split_at(self.classes);
        [d, r, &rest[..self.classes]]
    }

    /// A's expectation that R responds to a violation that hit it.
    #[inline(always)]
    pub fn b_hit(&self) -> f64 {
        self.b[3 * self.classes]
    }

    /// A's expectation that each contingent's government fights when its troops are hit.
    #[inline(always)]
    pub fn b_tripwire(&self) -> &[f64] {
        let first = 3 * self.classes + 1;
        &self.b[first..first + self.contingents]
    }

    /// A's expectation of the backstop (section 16); `None` where A holds no belief about it
    /// (then the class's own `about(AirCover, class)` counts).
    #[inline(always)]
    pub fn b_u_hit(&self) -> Option<f64> {
        self.b.get(3 * self.classes + 1 + self.contingents).copied()
    }

    /// Decays every belief of A toward its prior, as once per epoch (section 8), and fills in A's
    /// outlook now, reusing the buffers of the previous epoch; with Thompson probing, draws one
    /// value per present responder and class, then for R's and the governments' beliefs (when R
    /// is present) and the backstop's. `now` holds the outlook's terms that do not come from beliefs.
    pub fn update(
        &mut self,
        sc: &Scenario,
        beliefs: &mut Beliefs,
        rng: &mut ChaCha8Rng,
        now: &Conditions,
    ) {
        let memory = sc.beliefs.memory;
        if memory != 1.0 {
            beliefs.decay(memory);
        }
        let thompson = sc.aggressor.thompson;
        let classes = sc.classes.len();
        self.classes = classes;
        self.contingents = sc.contingents.len();
        self.b.clear();
        self.b.extend_from_slice(beliefs.means());
        if thompson {
            // Draws in the order of the beliefs, each responder's classes only when it is
            // present; R's and the governments' only when R is present.
            for j in RESPONDERS {
                if sc.present(j) {
                    for class in 0..classes {
                        let i = beliefs.about_index(j, class);
                        self.b[i] = beliefs.draw(i, rng);
                    }
                }
            }
            let r_hit = beliefs.r_hit_index();
            if sc.r_present {
                for i in r_hit..r_hit + 1 + self.contingents {
                    self.b[i] = beliefs.draw(i, rng);
                }
            }
            if let Some(i) = beliefs.u_hit_index() {
                self.b[i] = beliefs.draw(i, rng);
            }
        }
        for j in RESPONDERS {
            if !sc.present(j) {
                self.b[j as usize * classes..][..classes].fill(0.0);
            }
        }
        if now.shocked {
            let shock = sc.air_cover.shock_factor;
            let air = Responder::AirCover as usize * classes;
            self.b[air..air + classes]
                .iter_mut()
                .for_each(|x| *x *= shock);
            let u_hit = 3 * classes + 1 + self.contingents;
            if let Some(x) = self.b.get_mut(u_hit) {
                *x *= shock;
            }
        }
        self.drive = now.drive;
        self.power_factor = now.power_factor;
        self.recovery = now.recovery;
        self.defence_factor = now.defence_factor;
    }
}

/// The terms of A's outlook that come from the state of the world, not from its beliefs.
#[derive(Debug, Clone, Copy)]
pub struct Conditions {
    pub shocked: bool,
    /// r · d · (1 + π T / 15).
    pub drive: f64,
    pub power_factor: f64,
    pub recovery: f64,
    pub defence_factor: f64,
}

impl Conditions {
    pub fn now(sim: &Sim) -> Self {
        let strength = sim.strength();
        Self {
            shocked: sim.shocked(),
            drive: sim.resolve * sim.dividend() * sim.sc.provocation,
            power_factor: strength.power_factor(),
            recovery: strength.recovery,
            defence_factor: strength.defence_factor,
        }
    }
}

/// What A's expected utility reads of the replication besides its outlook.
#[derive(Debug, Clone, Copy)]
pub struct Stakes<'a> {
    pub sc: &'a Scenario,
    /// Current value of each sector to A.
    pub value: &'a [f64],
    /// Each government's question: `None` while open ([`Sim::tripwire`]).
    pub tripwire: &'a [Option<bool>],
    /// Some question is open and the coalition is not at war ([`Sim::tripwire_open`]).
    pub tripwire_open: bool,
}

/// A's expected utility of `class` in `sector` (section 5).
pub fn expected_utility(st: Stakes, o: &Outlook, class: usize, sector: Option<usize>) -> f64 {
    utility(
        &st.sc.classes[class],
        o,
        utility_terms(st, o, class, sector),
    )
}

/// The terms of an expected utility: EU = r·d · gain · P_succ − cost − P(detect, attribute) ·
/// punishment − war.
#[derive(Debug, Clone, Copy)]
pub struct UtilityTerms {
    pub gain: f64,
    pub p_success: f64,
    pub punishment: f64,
    pub war: f64,
}

/// What A expects of D, R and U about one class at this epoch, whatever the sector.
#[derive(Debug, Clone, Copy)]
pub struct ClassOutlook {
    /// That D, R and U respond to the class (0 for an absent responder).
    pub b: [f64; 3],
    /// q: that U's denial arrives in time ([`q_air`]).
    pub q: f64,
}

impl ClassOutlook {
    /// From A's expectations that D, R and U respond to the class.
    #[inline(always)]
    pub fn new(sc: &Scenario, b: [f64; 3]) -> Self {
        Self {
            b,
            q: q_air(sc, b[Responder::AirCover as usize]),
        }
    }
}

fn utility_terms(st: Stakes, o: &Outlook, class: usize, sector: Option<usize>) -> UtilityTerms {
    let view = ClassOutlook::new(st.sc, RESPONDERS.map(|j| o.about(j, class)));
    let c = &st.sc.classes[class];
    class_terms(
        st,
        o,
        &view,
        c,
        class,
        st.sc.exposure(class, sector.unwrap_or(0)),
        sector,
    )
}

/// The terms of the expected utility of class `c` (index `class`) in `sector`, with A's outlook
/// on the class and what the option puts at stake for R there.
#[inline(always)]
fn class_terms(
    st: Stakes,
    o: &Outlook,
    view: &ClassOutlook,
    c: &Class,
    class: usize,
    exposure: &Exposure,
    sector: Option<usize>,
) -> UtilityTerms {
    let sc = st.sc;
    let p_hit = exposure.p_hit;
    let [b_d, b_r, b_u] = view.b;
    let (gain, p_success) = match c.kind {
        Kind::Harassment => (c.gain, 1.0),
        Kind::Strike => (c.gain * o.recovery, 1.0 - sc.p_intercept),
        Kind::LandGrab => {
            let s = sector.unwrap_or(0);
            (
                c.gain * st.value[s],
                expected_grab_success(sc, o, view.q, s, &exposure.r_power),
            )
        }
        Kind::Offensive => (c.gain, expected_offensive_success(sc, o, view.q, class)),
    };
    let e_r = p_hit * o.b_hit() + (1.0 - p_hit) * b_r;
    let e_u = match o.b_u_hit() {
        Some(b_u_hit) => p_hit * b_u_hit + (1.0 - p_hit) * b_u,
        None => b_u,
    };
    let [p_d, p_r, p_u] = c.punishment;
    let punishment = b_d * p_d + e_r * p_r + e_u * p_u;
    let war = if c.war && st.tripwire_open {
        p_war(st, o, &exposure.p_hit_each) * sc.aggressor.war_cost
    } else {
        0.0
    };
    UtilityTerms {
        gain,
        p_success,
        punishment,
        war,
    }
}

#[inline(always)]
fn utility(c: &Class, o: &Outlook, t: UtilityTerms) -> f64 {
    o.drive * t.gain * t.p_success - c.cost - c.p_detect_attr * t.punishment - t.war
}

/// P_war(o) = 1 − Π_n (1 − P_hit,n(o) · b_trip,n) over the contingents whose government's
/// question is open (section 15); with one of them, P_hit,n · b_trip,n, the term of version 1.1.
fn p_war(st: Stakes, o: &Outlook, p_hit_each: &[f64]) -> f64 {
    let mut open = 0;
    let (mut last, mut spared) = (0.0, 1.0);
    for ((p_hit, b), question) in p_hit_each.iter().zip(o.b_tripwire()).zip(st.tripwire) {
        if question.is_none() {
            open += 1;
            last = p_hit * b;
            spared *= 1.0 - last;
        }
    }
    if open == 1 { last } else { 1.0 - spared }
}

/// q: A's belief that U's denial arrives in time, b_U,k · P(L_U < T) (section 5), from A's
/// expectation `b_u` that U responds to the class.
fn q_air(sc: &Scenario, b_u: f64) -> f64 {
    if sc.u_responder {
        b_u * sc.p_u_in_time
    } else {
        0.0
    }
}

/// P_succ of a land grab in sector s as A expects it: a mixture over U's arrival and, under
/// self-defence rules, over which contingents the grab hits (`r_power`, [`Exposure::r_power`]).
fn expected_grab_success(
    sc: &Scenario,
    o: &Outlook,
    q: f64,
    s: usize,
    r_power: &[(f64, f64)],
) -> f64 {
    let ac = &sc.air_cover;
    let gamma = sc.contest.gamma;
    let attack = sc.aggressor.land_grab_power * o.power_factor;
    let sector = &sc.sectors[s];
    let base = sector.defence * o.defence_factor;
    let with_r = |r: f64| {
        q * csf(attack, base + r + ac.air_power_local, gamma)
            + (1.0 - q) * csf(attack, base + r, gamma)
    };
    match r_power {
        [(_, r)] => with_r(*r),
        [(w, r), rest @ ..] => rest
            .iter()
            .fold(w * with_r(*r), |sum, (w, r)| sum + w * with_r(*r)),
        [] => with_r(0.0),
    }
}

/// P_succ of an offensive as A expects it, with R's power of [`Scenario::offensive_r_power`].
fn expected_offensive_success(sc: &Scenario, o: &Outlook, q: f64, class: usize) -> f64 {
    let gamma = sc.contest.gamma;
    let attack = sc.aggressor.power * o.power_factor;
    let base = sc.defence_total * o.defence_factor;
    let r = sc.offensive_r_power[class];
    let air = sc.air_cover.air_power;
    q * csf(attack, base + r + air, gamma) + (1.0 - q) * csf(attack, base + r, gamma)
}

/// Below this exponent a logit weight is under 2⁻⁵⁴ (e⁻⁴⁰ ≈ 4·10⁻¹⁸), too small to change a
/// running total of 1 or more in the last bit.
const NEGLIGIBLE_EXPONENT: f64 = -40.0;

/// Draws an index with probability proportional to exp(λ · value), from one uniform draw;
/// `weights` is a buffer for the unnormalised weights.
///
/// The index is that of [`exact_choice`], bit for bit, but found first from weights computed
/// with [`approx_exp`]: when the uniform draw falls far enough from the edges of the chosen
/// option's interval that neither the approximation nor any rounding can move it across, that
/// is the index the exact computation gives; otherwise (a few times in a million) the exact
/// computation decides.
fn logit_choice(values: &[f64], lambda: f64, u: f64, weights: &mut Vec<f64>) -> usize {
    approx_choice(values, lambda, u, weights)
        .unwrap_or_else(|| exact_choice(values, lambda, u, weights))
}

/// The choice of [`logit_choice`] from approximate weights, when it is certain; `None` when a
/// value or λ is not finite or the draw falls too close to an edge.
///
/// Each weight has a relative error of at most [`APPROX_EXP_ERROR`], or is left out below
/// [`APPROX_SKIP_EXPONENT`], so the total and every cumulative sum are within that share of the
/// total of their exact values, plus what was left out, plus n rounding errors of at most 2⁻⁵³
/// of the total each (the exact computation makes as many, and leaves out weights below
/// e⁻⁴⁰ ≤ 2⁻⁵⁴ of the total). The total is 1 or more: the best option's weight is exactly 1.
/// A margin of four times the first, twice the second and eight times the third, relative to
/// the total, covers both computations with room to spare.
fn approx_choice(values: &[f64], lambda: f64, u: f64, weights: &mut Vec<f64>) -> Option<usize> {
    // The exact computation's maximum (`f64::max` passes over NaN, but then an exponent below
    // is NaN and this gives up); only a zero's sign may differ, which changes no weight.
    let mut max = f64::NEG_INFINITY;
    for &v in values {
        if v > max {
            max = v;
        }
    }
    if !lambda.is_finite() || !max.is_finite() {
        return None;
    }
    weights.resize(values.len(), 0.0);
    let weights = &mut weights[..values.len()];
    let mut total = 0.0;
    let mut skipped = 0;
    for (out, v) in weights.iter_mut().zip(values) {
        // The same exponent as the exact computation's; only its exponential is approximate.
        let x = lambda * (v - max);
        if !x.is_finite() {
            return None;
        }
        let w = if x < APPROX_SKIP_EXPONENT {
            skipped += 1;
            0.0
        } else {
            approx_exp(x)
        };
        total += w;
        *out = w;
    }
    let target = u * total;
    let margin = (4.0 * APPROX_EXP_ERROR
        + 8.0 * values.len() as f64 * f64::EPSILON / 2.0
        + 2.0 * f64::from(skipped) * APPROX_SKIPPED_WEIGHT)
        * total;
    let mut below = 0.0;
    for (i, &w) in weights.iter().enumerate() {
        let above = below + w;
        if target < above {
            let clear = above - target > margin && (i == 0 || target - below > margin);
            return clear.then_some(i);
        }
        below = above;
    }
    None
}

/// A bound on the relative error of [`approx_exp`] for x ≤ 0 (its Taylor remainder is below
/// 2.5·10⁻⁷ and its rounding below 10⁻¹⁵; `approx_exp_is_within_its_bound` checks it).
const APPROX_EXP_ERROR: f64 = 1e-6;

/// Below this exponent [`approx_choice`] takes a weight as 0: e⁻²⁴ < 4·10⁻¹¹ of a total of 1 or
/// more, which its margin counts for every weight left out.
const APPROX_SKIP_EXPONENT: f64 = -24.0;
const APPROX_SKIPPED_WEIGHT: f64 = 4e-11;

/// e^x for x ≤ 0, to a relative error of [`APPROX_EXP_ERROR`] (and 0 below −700, where e^x is
/// under 10⁻³⁰⁴): x = k ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 6,
/// times 2^k built from its bits.
#[inline(always)]
fn approx_exp(x: f64) -> f64 {
    // ln 2 split so that k · LN2_HI is exact for |k| < 2¹¹ (the constants of fdlibm).
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    // Adding 1.5 · 2⁵² rounds to an integer, which is then the low bits of the sum's mantissa.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    if x < -700.0 {
        return 0.0;
    }
    let shifted = x * std::f64::consts::LOG2_E + ROUND;
    let k = shifted - ROUND;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (1.0 / 2.0
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    // −1010 ≤ k ≤ 0 here, so 2^k is a normal number.
    let k_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    p * f64::from_bits(k_bits.wrapping_add(1023) << 52)
}

/// The exact logit choice: the index of summing every weight exp(λ(v − max)) in order and
/// scanning them, from `u · total`.
///
/// Cheaper than that, with the same result bit for bit: a weight of exponent 0 is 1 without
/// calling `exp`; an equal exponent next to it reuses its weight; and a weight that cannot
/// change the running total (exponent below [`NEGLIGIBLE_EXPONENT`] with a total of 1 or more)
/// is left out of the sum and computed only if the scan reaches it. Such a weight is kept as
/// its exponent, negated (a number > 0 stands for a weight; one < 0 for a weight still to compute).
fn exact_choice(values: &[f64], lambda: f64, u: f64, weights: &mut Vec<f64>) -> usize {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    weights.resize(values.len(), 0.0);
    let weights = &mut weights[..values.len()];
    let mut total = -0.0;
    let (mut last_x, mut last_w) = (f64::NAN, f64::NAN);
    for (out, v) in weights.iter_mut().zip(values) {
        let x = lambda * (v - max);
        let w = if x == last_x {
            last_w
        } else if x == 0.0 {
            1.0
        } else if x < NEGLIGIBLE_EXPONENT && total >= 1.0 {
            *out = x;
            continue;
        } else {
            x.exp()
        };
        (last_x, last_w) = (x, w);
        total += w;
        *out = w;
    }
    let mut target = u * total;
    for (i, &w) in weights.iter().enumerate() {
        let w = if w < 0.0 { w.exp() } else { w };
        if target < w {
            return i;
        }
        target -= w;
    }
    values.len() - 1
}

/// [`logit_choice`] among `n` options whose weights are all 1, with the same arithmetic: the
/// total of n ones is n exactly, and the scan subtracts 1 from t = u · n exactly at each step
/// (t ≤ n < 2⁵³), so it stops at ⌊t⌋, or at the last option. `u` is a uniform draw in [0, 1).
fn unit_choice(n: usize, u: f64) -> usize {
    // t ≥ 0, so `as` (toward zero) gives ⌊t⌋.
    ((u * n as f64) as usize).min(n - 1)
}

/// Whether sectors `s` and `t` give option `class` the same expected utility: the same stakes
/// for R, and for a land grab the same value and defence.
fn alike(sc: &Scenario, value: &[f64], class: usize, s: usize, t: usize) -> bool {
    if sc.classes[class].kind != Kind::LandGrab {
        return sc.exposure(class, s) == sc.exposure(class, t);
    }
    value[s] == value[t] && alike_but_value(sc, class, s, t)
}

/// Whether sectors `s` and `t` give option `class` the same terms of its expected utility but
/// perhaps the gain: the same stakes for R (chances of hitting each contingent, R's power that
/// fights) and the same defence.
fn alike_but_value(sc: &Scenario, class: usize, s: usize, t: usize) -> bool {
    sc.sectors[s].defence == sc.sectors[t].defence && sc.exposure(class, s) == sc.exposure(class, t)
}

/// A run of consecutive sectors that look alike to A for one option: their expected utilities
/// are equal ([`sector_runs`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    pub first: usize,
    pub len: usize,
    /// A land grab's run whose terms are the previous run's but for the gain (the same stakes
    /// and defence, another value).
    pub as_previous_but_value: bool,
}

/// Groups the sectors of every class with a sector into runs of consecutive sectors that look
/// alike to A (their expected utilities are equal): `runs[class]` lists them in sector order.
/// Called at the start and whenever a sector's value changes.
pub fn sector_runs(sc: &Scenario, value: &[f64], runs: &mut Vec<Vec<Run>>) {
    runs.resize_with(sc.classes.len(), Vec::new);
    for (c, class) in sc.classes.iter().enumerate() {
        let out = &mut runs[c];
        out.clear();
        if !class.kind.has_sector() {
            continue;
        }
        for s in 0..sc.sectors.len() {
            match out.last_mut() {
                Some(run) if alike(sc, value, c, s - 1, s) => run.len += 1,
                last => {
                    let as_previous_but_value = class.kind == Kind::LandGrab
                        && last.is_some_and(|run| alike_but_value(sc, c, run.first, s));
                    out.push(Run {
                        first: s,
                        len: 1,
                        as_previous_but_value,
                    });
                }
            }
        }
    }
}

/// A decision epoch: decay beliefs, value every option, choose in two logit stages, act.
pub fn on_decision(sim: &mut Sim) {
    let sc = sim.sc;
    let conditions = Conditions::now(sim);
    let tripwire_open = sim.tripwire_open();
    // The buffers are reused across epochs: this is the model's hot loop.
    let Scratch {
        outlook,
        class_values,
        run_values,
        sector_values,
        weights,
    } = &mut sim.scratch;
    outlook.update(sc, &mut sim.beliefs, &mut sim.rng.aggressor, &conditions);
    let stakes = Stakes {
        sc,
        value: &sim.value,
        tripwire: &sim.tripwire,
        tripwire_open,
    };
    let lambda = sc.aggressor.rationality;
    // Stage 1: comply (index 0) and each class at the EU of its best sector. Sectors of a run
    // look alike to A and have the same EU: it is computed once, at the run's first sector.
    class_values.resize(sc.classes.len() + 1, 0.0);
    class_values[0] = 0.0;
    run_values.resize_with(sc.classes.len(), Vec::new);
    let [b_d, b_r, b_u] = outlook.about_classes();
    let per_class = (sc.classes.iter().zip(&sc.exposure))
        .zip(sim.sector_runs.iter().zip(b_d.iter().zip(b_r).zip(b_u)))
        .zip(class_values[1..].iter_mut().zip(run_values.iter_mut()));
    for (c, (((class, exposure), (runs, ((&b_d, &b_r), &b_u))), (value, values))) in
        per_class.enumerate()
    {
        let view = ClassOutlook::new(sc, [b_d, b_r, b_u]);
        *value = if class.kind.has_sector() {
            let mut best = f64::NEG_INFINITY;
            // Land-grab runs that differ only in value share every term but the gain.
            let mut previous: Option<UtilityTerms> = None;
            values.resize(runs.len(), 0.0);
            for (run, eu) in runs.iter().zip(values.iter_mut()) {
                let s = run.first;
                let terms = match previous {
                    Some(terms) if run.as_previous_but_value => UtilityTerms {
                        gain: class.gain * stakes.value[s],
                        ..terms
                    },
                    _ => class_terms(stakes, outlook, &view, class, c, &exposure[s], Some(s)),
                };
                previous = Some(terms);
                *eu = utility(class, outlook, terms);
                best = best.max(*eu);
            }
            best
        } else {
            let terms = class_terms(stakes, outlook, &view, class, c, &exposure[0], None);
            utility(class, outlook, terms)
        };
    }
    let u1: f64 = sim.rng.aggressor.random();
    let u2: f64 = sim.rng.aggressor.random();
    let choice = logit_choice(class_values, lambda, u1, weights);
    // Stage 2: the sector, among the chosen class's sectors.
    let sector = (choice > 0 && sc.classes[choice - 1].kind.has_sector()).then(|| {
        let c = choice - 1;
        let runs = &sim.sector_runs[c];
        let values = &run_values[c];
        match runs[..] {
            // One run: every sector has the same EU v, so every weight is exp(λ(v − v)) = exp(0)
            // = 1 (when v and λ are finite).
            [Run { len, .. }] if values[0].is_finite() && lambda.is_finite() => {
                unit_choice(len, u2)
            }
            _ => {
                sector_values.clear();
                for (run, &eu) in runs.iter().zip(values) {
                    sector_values.extend(std::iter::repeat_n(eu, run.len));
                }
                logit_choice(sector_values, lambda, u2, weights)
            }
        }
    });
    sim.schedule_decision();
    if choice > 0 {
        commit(sim, choice - 1, sector);
    }
}

/// A commits a violation of `class` in `sector` now: detection, casualties, the tripwire,
/// the spiral rule, then responses, A's observation and, for a land grab, its objective.
pub fn commit(sim: &mut Sim, class: usize, sector: Option<usize>) {
    let v = commit_violation(sim, class, sector);
    sim.release_violation(v);
}

/// [`commit`], which returns the violation's index, still held.
fn commit_violation(sim: &mut Sim, class: usize, sector: Option<usize>) -> usize {
    let sc = sim.sc;
    let c = &sc.classes[class];
    let kind = c.kind;
    let now = sim.now();
    let day = sim.day();
    let rec = &mut sim.record;
    rec.classes[class].committed += 1;
    rec.max_class = Some(rec.max_class.map_or(class, |m| m.max(class)));
    if kind == Kind::Harassment {
        rec.first_harassment_day.get_or_insert(day);
    } else {
        rec.violated = true;
        rec.first_violation_day.get_or_insert(day);
    }
    // Monitoring: two draws per violation, always, so the stream stays aligned.
    let (u_detect, u_attr): (f64, f64) = (sim.rng.monitoring.random(), sim.rng.monitoring.random());
    let detected = u_detect < c.p_detect;
    let attributed = detected && u_attr >= c.ambiguity;
    if detected {
        rec.classes[class].detected += 1;
        rec.first_detected_day.get_or_insert(day);
    }
    if attributed {
        rec.classes[class].attributed += 1;
    }
    // Exposure of R, contingent by contingent (section 15): one Poisson count each.
    let serious = kind.is_serious();
    let mut hit_locations = Vec::new();
    let mut hits = Hits::default();
    match kind {
        Kind::Harassment | Kind::LandGrab => {
            let s = sector.unwrap_or(0);
            if kind == Kind::LandGrab {
                sim.record.sectors[s].grabs_committed += 1;
            }
            for (n, k) in sc.contingents.iter().enumerate() {
                let mean = k.sector_casualties(c.casualty_rate, s);
                let x = draws::poisson(&mut sim.rng.contests, mean);
                hits.add(&mut sim.record, n, x, serious);
                sim.record.sectors[s].r_casualties += x;
            }
        }
        Kind::Strike => {
            let (salvo, leakers) = contest::salvo(sim);
            let share = leakers as f64 / salvo as f64;
            let re = &sc.reassurance;
            for (n, k) in sc.contingents.iter().enumerate() {
                let mean = k.strike_casualties(c.casualty_rate, share, re.rear_exposure_strike);
                let x = draws::poisson(&mut sim.rng.contests, mean);
                hits.add(&mut sim.record, n, x, serious);
            }
            sim.log("salvo", Actor::Aggressor, None, Some(class), || {
                format!("{salvo} munitions, {leakers} leaked")
            });
        }
        Kind::Offensive => {
            hit_locations = contest::offensive_casualties(sim, class, &mut hits);
        }
    };
    let Hits {
        total: casualties,
        nations: hit_nations,
    } = hits;
    let v = sim.add_violation(Violation {
        class,
        kind,
        sector,
        detected,
        attributed,
        casualties,
        hits: hit_nations,
        executed: [None; 3],
        holds: 0,
    });
    sim.log("violation", Actor::Aggressor, sector, Some(class), || {
        format!(
            "{}; {}; {casualties} R casualties",
            if detected { "detected" } else { "undetected" },
            if attributed {
                "attributed"
            } else {
                "not attributed"
            },
        )
    });
    let war = serious && casualties > 0 && response::tripwire(sim, hit_nations);
    if kind == Kind::Offensive {
        contest::launch_offensive(sim, v, &hit_locations);
        return v;
    }
    if war {
        sim.collapse(CollapseCause::TripwireWar);
        return v;
    }
    if kind.is_serious() && attributed {
        let window = sc.collapse.spiral_window;
        sim.spiral.push_back(now);
        while sim.spiral.front().is_some_and(|&t| t + window <= now) {
            sim.spiral.pop_front();
        }
        if sim.spiral.len() >= sc.collapse.spiral_threshold {
            sim.collapse(CollapseCause::Spiral);
            return v;
        }
    }
    if detected {
        response::respond(sim, v);
        let delay = sc.beliefs.observation;
        sim.schedule_for_violation(v, delay, super::Event::Observation { violation: v });
    }
    if kind == Kind::LandGrab {
        let hours: f64 = sim.rng.aggressor.sample(sc.time_to_objective.dist);
        sim.schedule_for_violation(
            v,
            time::hours(hours).max(1),
            super::Event::Objective { violation: v },
        );
    }
    v
}

/// The R casualties of one violation as they are drawn, contingent by contingent.
#[derive(Debug, Default)]
pub struct Hits {
    pub total: u64,
    /// The contingents hit, as bits of their index.
    pub nations: u32,
}

impl Hits {
    /// Contingent `n` suffered `x` casualties: counted in its record and the coalition's.
    pub fn add(&mut self, record: &mut Record, n: usize, x: u64, serious: bool) {
        if x == 0 {
            return;
        }
        self.total += x;
        self.nations |= 1 << n;
        let nation = &mut record.nations[n];
        if serious {
            record.r_casualties_serious += x;
            nation.r_casualties_serious += x;
        } else {
            record.r_casualties_harassment += x;
            nation.r_casualties_harassment += x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Section 14: f_A(τ_A) = 1 − (1 − e_A)/e; and with only recovery changing A's power (no
    /// regeneration, no rearmament, no guarantors), the offensive's expected success at day t is
    /// the contest of A's power × f_A(t) against D's, and a deep strike's expected gain is scaled
    /// by f_A(t).
    #[test]
    fn recovery_sets_the_offensive_expected_success() {
        let mut config =
            crate::validate::parse(include_str!("../../../../configs/no_guarantees.toml"))
                .expect("bundled config");
        config.aggressor.power_at_signing = 0.4;
        config.aggressor.recovery_days = 45.0;
        config.aggressor.regen_per_year = 0.0;
        config.defender.rearm_per_year = 0.0;
        let sc = Scenario::from_config(config).expect("valid scenario");
        let offensive = sc
            .classes
            .iter()
            .position(|c| c.kind == Kind::Offensive)
            .unwrap();
        let strike = sc
            .classes
            .iter()
            .position(|c| c.kind == Kind::Strike)
            .unwrap();
        let mut sim = Sim::new(&sc, 0, 0, 1, None);
        for day in [0.0, 10.0, 45.0, 90.0, 365.0] {
            // Move the clock to the day: schedule an event there and take it.
            sim.queue
                .schedule(time::days(day), super::super::Event::Horizon);
            sim.queue.pop();
            let f = 1.0 - 0.6 * (-day / 45.0).exp();
            assert!((sim.strength().recovery - f).abs() < 1e-12, "day {day}");
            if day == 45.0 {
                assert!((f - (1.0 - 0.6 / std::f64::consts::E)).abs() < 1e-12);
            }
            let mut outlook = Outlook::default();
            let mut rng = crate::seed::Streams::new(1).aggressor;
            let now = Conditions::now(&sim);
            outlook.update(&sc, &mut sim.beliefs, &mut rng, &now);
            let stakes = Stakes {
                sc: &sc,
                value: &sim.value,
                tripwire: &sim.tripwire,
                tripwire_open: true,
            };
            let terms = utility_terms(stakes, &outlook, offensive, None);
            let expected = csf(100.0 * f, sc.defence_total, 2.0);
            assert!((terms.p_success - expected).abs() < 1e-12, "day {day}");
            let terms = utility_terms(stakes, &outlook, strike, None);
            assert!(
                (terms.gain - sc.classes[strike].gain * f).abs() < 1e-12,
                "day {day}"
            );
        }
    }

    /// Section 15: P_war(o) = 1 − Π (1 − P_hit,n · b_trip,n) over the open questions is the
    /// probability that some contingent is hit and its government fights, against a direct
    /// Monte Carlo of that event (within four standard errors); a closed question counts for
    /// nothing, and with one open question P_war is P_hit · b_trip exactly.
    #[test]
    fn p_war_is_the_chance_that_some_hit_government_fights() {
        let sc = Scenario::from_config(crate::config::ScenarioConfig::default()).unwrap();
        let p_hit = [0.2, 0.5, 0.7, 0.4];
        let tripwire = [None, None, Some(false), None];
        let outlook = Outlook {
            b: vec![0.0, 0.0, 0.0, 0.0, 0.3, 0.6, 0.9, 0.1],
            classes: 1,
            contingents: 4,
            ..Outlook::default()
        };
        let stakes = |tripwire| Stakes {
            sc: &sc,
            value: &[],
            tripwire,
            tripwire_open: true,
        };
        let formula = p_war(stakes(&tripwire), &outlook, &p_hit);
        let mut rng = crate::seed::stream(5, crate::seed::Source::Tripwire);
        let trials = 200_000;
        let wars = (0..trials)
            .filter(|_| {
                let mut war = false;
                for n in 0..4 {
                    let (hit, fights): (f64, f64) = (rng.random(), rng.random());
                    let open = tripwire[n].is_none();
                    war |= open && hit < p_hit[n] && fights < outlook.b_tripwire()[n];
                }
                war
            })
            .count();
        let share = wars as f64 / trials as f64;
        let se = (formula * (1.0 - formula) / trials as f64).sqrt();
        assert!((share - formula).abs() < 4.0 * se, "{share} vs {formula}");
        let one_open = [Some(true), None, Some(false), Some(false)];
        assert_eq!(p_war(stakes(&one_open), &outlook, &p_hit), 0.5 * 0.6);
    }

    #[test]
    fn csf_is_symmetric_and_decisive() {
        assert!((csf(10.0, 10.0, 2.0) - 0.5).abs() < 1e-12);
        assert!((csf(20.0, 15.0, 2.0) - 400.0 / 625.0).abs() < 1e-12);
        assert_eq!(csf(0.0, 1.0, 2.0), 0.0);
        assert_eq!(csf(1.0, 0.0, 2.0), 1.0);
    }

    #[test]
    fn logit_with_zero_precision_is_uniform() {
        let values = [0.0, 5.0, -3.0, 1.0];
        for (i, u) in [0.1, 0.3, 0.6, 0.9].iter().enumerate() {
            assert_eq!(logit_choice(&values, 0.0, *u, &mut Vec::new()), i);
        }
    }

    /// The shortcuts of `logit_choice` (its approximate weights), `exact_choice` and
    /// `unit_choice` give the index of the plain algorithm: every weight exp(λ(v − max)) summed
    /// in order, then scanned.
    #[test]
    fn logit_shortcuts_match_the_plain_algorithm() {
        fn plain(values: &[f64], lambda: f64, u: f64) -> usize {
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let weights: Vec<f64> = values.iter().map(|v| (lambda * (v - max)).exp()).collect();
            let mut target = u * weights.iter().sum::<f64>();
            for (i, w) in weights.iter().enumerate() {
                if target < *w {
                    return i;
                }
                target -= w;
            }
            values.len() - 1
        }
        let cases: [&[f64]; 5] = [
            &[0.0, -1.0, -1.0, -1.0, -70.0, -3.5],
            &[-80.0, -90.0, 0.0, 0.0, -45.0, -41.0],
            &[2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
            &[-60.0, -50.0, -0.5, -80.0, 1e-17, 0.0],
            &[0.0, -40.0, -40.000001, -39.999, -1e3, -1e300],
        ];
        let mut rng = crate::seed::stream(11, crate::seed::Source::Aggressor);
        for values in cases {
            for lambda in [0.0, 0.5, 1.0, 3.0, 40.0] {
                for _ in 0..2_000 {
                    let u: f64 = rng.random();
                    let got = logit_choice(values, lambda, u, &mut Vec::new());
                    let exact = exact_choice(values, lambda, u, &mut Vec::new());
                    assert_eq!(
                        (got, exact),
                        (plain(values, lambda, u), got),
                        "{values:?}, λ {lambda}, u {u}"
                    );
                }
            }
        }
        for n in 1..12 {
            for _ in 0..2_000 {
                let u: f64 = rng.random();
                assert_eq!(unit_choice(n, u), plain(&vec![0.3; n], 1.0, u));
            }
            assert_eq!(unit_choice(n, 1.0 - f64::EPSILON / 2.0), n - 1);
        }
    }

    /// Over the whole range where it is used, `approx_exp` is within `APPROX_EXP_ERROR` of e^x,
    /// relative, and exact at 0.
    #[test]
    fn approx_exp_is_within_its_bound() {
        assert_eq!(approx_exp(0.0), 1.0);
        let mut worst: f64 = 0.0;
        let steps = 2_000_000;
        for i in 0..=steps {
            let x = -700.0 * f64::from(i) / f64::from(steps);
            let exact = x.exp();
            worst = worst.max((approx_exp(x) - exact).abs() / exact);
        }
        for x in [
            -1e-300_f64,
            -1e-17,
            -0.5,
            -0.346_573_590_279_972_6,
            -699.999,
        ] {
            let exact: f64 = x.exp();
            worst = worst.max((approx_exp(x) - exact).abs() / exact);
        }
        assert!(worst < APPROX_EXP_ERROR / 4.0, "relative error {worst:e}");
        assert_eq!(approx_exp(-700.5), 0.0);
    }

    /// When the draw falls on (or within a hair of) the edge between two options, the
    /// approximate weights cannot decide and the exact computation does: the choice is still
    /// the exact one.
    #[test]
    fn a_draw_on_an_edge_is_decided_exactly() {
        let values: [f64; 5] = [0.0, -0.3, -1.7, 0.2, -5.0];
        let lambda: f64 = 1.3;
        let max: f64 = 0.2;
        let weights: Vec<f64> = values.iter().map(|v| (lambda * (v - max)).exp()).collect();
        let total: f64 = weights.iter().sum();
        let mut edge: f64 = 0.0;
        for w in &weights {
            edge += w;
            for nudge in [-1e-9, -1e-15, 0.0, 1e-15, 1e-9] {
                let u = (edge / total + nudge).clamp(0.0, 1.0 - f64::EPSILON);
                let mut buffer = Vec::new();
                assert_eq!(
                    logit_choice(&values, lambda, u, &mut buffer),
                    exact_choice(&values, lambda, u, &mut buffer),
                    "u {u}"
                );
            }
            let u = edge / total;
            if u < 1.0 {
                assert_eq!(approx_choice(&values, lambda, u, &mut Vec::new()), None);
            }
        }
    }

    #[test]
    fn logit_with_high_precision_maximises() {
        assert_eq!(
            logit_choice(&[0.0, 5.0, -3.0, 1.0], 1e6, 0.99, &mut Vec::new()),
            1
        );
    }
}
