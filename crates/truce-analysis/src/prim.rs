//! Scenario discovery with PRIM, the patient rule induction method of Friedman and Fisher (1999),
//! "Bump hunting in high-dimensional data", Statistics and Computing 9(2), 123–143, as used for
//! scenario discovery by Bryant and Lempert (2010), "Thinking inside the box", Technological
//! Forecasting and Social Change 77(1), 34–49.
//!
//! The box starts as the whole design. Each peeling step tries, for every parameter, removing the
//! `alpha` share of the box's points with the lowest values and the share with the highest (for a
//! categorical parameter: removing one category), and keeps the candidate that leaves the highest
//! mean output in the box; peeling stops when the next box would hold less than `min_mass` of all
//! points. With tied values a numeric peel removes the whole lowest (or highest) value.
//!
//! The box chosen from the peeling trajectory is the one with the highest density (mean output)
//! among the boxes whose coverage (share of all the output inside the box) is at least
//! `min_coverage`; ties go to the larger coverage. It is then pasted: each step tries widening
//! one bound by the `alpha` share of the box's points (or adding one category back) and keeps
//! the widening with the highest mean, as long as the mean does not fall.
//!
//! For a binary output (1 for points "of interest"), density is the share of points of interest
//! in the box, coverage the share of all points of interest that the box holds, and mass the share
//! of all points inside it.

use std::collections::BTreeSet;

/// The values of one parameter at every point.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Numeric(Vec<f64>),
    Categorical(Vec<String>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Numeric(v) => v.len(),
            Values::Categorical(v) => v.len(),
        }
    }
}

/// One input dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub name: String,
    pub values: Values,
}

/// Tuning of the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Share of the box peeled (or pasted) at each step.
    pub alpha: f64,
    /// Smallest share of all points a box may hold.
    pub min_mass: f64,
    /// Smallest coverage of the chosen box.
    pub min_coverage: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            alpha: 0.05,
            min_mass: 0.05,
            min_coverage: 0.5,
        }
    }
}

/// The limit a box puts on one parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// Values in `[lower, upper]`.
    Range { lower: f64, upper: f64 },
    /// One of these categories.
    Categories(BTreeSet<String>),
}

/// A box and how it scores.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// One limit per dimension, in dimension order.
    pub limits: Vec<Limit>,
    /// Whether each limit is narrower than the data's own range.
    pub restricted: Vec<bool>,
    pub points: usize,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
}

/// The peeling trajectory, the box chosen on it and that box after pasting.
#[derive(Debug, Clone, PartialEq)]
pub struct Prim {
    pub trajectory: Vec<BoxStats>,
    /// Index of the chosen box in the trajectory.
    pub chosen: usize,
    pub pasted: BoxStats,
}

/// Why PRIM cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrimError {
    #[error("PRIM needs at least one parameter")]
    NoDimensions,
    #[error("PRIM: {name} has {got} values for {expected} points")]
    Length {
        name: String,
        got: usize,
        expected: usize,
    },
    #[error("PRIM: the output is not a finite number at {count} points")]
    NotFinite { count: usize },
    #[error(
        "PRIM: the output has no variance (every point's value is {value}): there is nothing to find"
    )]
    NoVariance { value: f64 },
    #[error("PRIM: the output sums to {total}; it must be >= 0 with a positive total")]
    BadTotal { total: f64 },
}

/// Runs PRIM on the output `y` (one value per point, >= 0; usually 0 or 1) over `dimensions`.
pub fn prim(dimensions: &[Dimension], y: &[f64], options: &Options) -> Result<Prim, PrimError> {
    if dimensions.is_empty() {
        return Err(PrimError::NoDimensions);
    }
    for d in dimensions {
        if d.values.len() != y.len() {
            return Err(PrimError::Length {
                name: d.name.clone(),
                got: d.values.len(),
                expected: y.len(),
            });
        }
    }
    let bad = y.iter().filter(|v| !v.is_finite()).count()
        + dimensions
            .iter()
            .map(|d| match &d.values {
                Values::Numeric(v) => v.iter().filter(|x| !x.is_finite()).count(),
                Values::Categorical(_) => 0,
            })
            .sum::<usize>();
    if bad > 0 {
        return Err(PrimError::NotFinite { count: bad });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(PrimError::NoVariance { value: y[0] });
    }
    let total: f64 = y.iter().sum();
    if total <= 0.0 || y.iter().any(|&v| v < 0.0) {
        return Err(PrimError::BadTotal { total });
    }
    let search = Search {
        dimensions,
        y,
        total,
        options,
    };
    let full = search.full_box();
    let mut boxes = vec![full.clone()];
    let mut current = full;
    while let Some(next) = search.peel(&current) {
        boxes.push(next.clone());
        current = next;
    }
    let trajectory: Vec<BoxStats> = boxes.iter().map(|b| search.stats(b)).collect();
    let chosen = (0..trajectory.len())
        .filter(|&i| trajectory[i].coverage >= options.min_coverage)
        .max_by(|&i, &j| {
            trajectory[i]
                .density
                .total_cmp(&trajectory[j].density)
                .then(trajectory[i].coverage.total_cmp(&trajectory[j].coverage))
                .then(j.cmp(&i))
        })
        .unwrap_or(0);
    let pasted = search.stats(&search.paste(boxes[chosen].clone()));
    Ok(Prim {
        trajectory,
        chosen,
        pasted,
    })
}

struct Search<'a> {
    dimensions: &'a [Dimension],
    y: &'a [f64],
    total: f64,
    options: &'a Options,
}

impl Search<'_> {
    fn full_box(&self) -> Vec<Limit> {
        self.dimensions
            .iter()
            .map(|d| match &d.values {
                Values::Numeric(v) => Limit::Range {
                    lower: v.iter().copied().fold(f64::INFINITY, f64::min),
                    upper: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                },
                Values::Categorical(v) => Limit::Categories(v.iter().cloned().collect()),
            })
            .collect()
    }

    fn inside_dim(&self, d: usize, point: usize, limit: &Limit) -> bool {
        match (&self.dimensions[d].values, limit) {
            (Values::Numeric(v), Limit::Range { lower, upper }) => {
                *lower <= v[point] && v[point] <= *upper
            }
            (Values::Categorical(v), Limit::Categories(set)) => set.contains(&v[point]),
            _ => false,
        }
    }

    fn inside(&self, limits: &[Limit], point: usize) -> bool {
        limits
            .iter()
            .enumerate()
            .all(|(d, l)| self.inside_dim(d, point, l))
    }

    /// Points inside the box, and the sum of their outputs.
    fn members(&self, limits: &[Limit]) -> (Vec<usize>, f64) {
        let points: Vec<usize> = (0..self.y.len())
            .filter(|&p| self.inside(limits, p))
            .collect();
        let sum = points.iter().map(|&p| self.y[p]).sum();
        (points, sum)
    }

    fn stats(&self, limits: &[Limit]) -> BoxStats {
        let (points, sum) = self.members(limits);
        let full = self.full_box();
        BoxStats {
            restricted: limits.iter().zip(&full).map(|(l, f)| l != f).collect(),
            limits: limits.to_vec(),
            points: points.len(),
            coverage: sum / self.total,
            density: if points.is_empty() {
                0.0
            } else {
                sum / points.len() as f64
            },
            mass: points.len() as f64 / self.y.len() as f64,
        }
    }

    /// The candidate boxes one peel away from `limits`.
    fn peels(&self, limits: &[Limit], members: &[usize]) -> Vec<Vec<Limit>> {
        let mut out = Vec::new();
        let count = ((self.options.alpha * members.len() as f64).ceil() as usize).max(1);
        for (d, dim) in self.dimensions.iter().enumerate() {
            match &dim.values {
                Values::Numeric(v) => {
                    let mut x: Vec<f64> = members.iter().map(|&p| v[p]).collect();
                    x.sort_by(f64::total_cmp);
                    let (min, max) = (x[0], x[x.len() - 1]);
                    if min == max {
                        continue;
                    }
                    // Lowest `count` values go: the new lower bound is the smallest value left,
                    // or the next distinct value when ties would leave none out.
                    let threshold = x[count.min(x.len() - 1)];
                    let lower = if threshold > min {
                        threshold
                    } else {
                        x.iter().copied().find(|&t| t > min).unwrap_or(max)
                    };
                    let threshold = x[x.len() - 1 - count.min(x.len() - 1)];
                    let upper = if threshold < max {
                        threshold
                    } else {
                        x.iter().rev().copied().find(|&t| t < max).unwrap_or(min)
                    };
                    if let Limit::Range { upper: u, .. } = limits[d] {
                        let mut b = limits.to_vec();
                        b[d] = Limit::Range { lower, upper: u };
                        out.push(b);
                    }
                    if let Limit::Range { lower: l, .. } = limits[d] {
                        let mut b = limits.to_vec();
                        b[d] = Limit::Range { lower: l, upper };
                        out.push(b);
                    }
                }
                Values::Categorical(v) => {
                    let present: BTreeSet<&String> = members.iter().map(|&p| &v[p]).collect();
                    if present.len() < 2 {
                        continue;
                    }
                    if let Limit::Categories(set) = &limits[d] {
                        for c in present {
                            let mut b = limits.to_vec();
                            let mut s = set.clone();
                            s.remove(c);
                            b[d] = Limit::Categories(s);
                            out.push(b);
                        }
                    }
                }
            }
        }
        out
    }

    fn peel(&self, limits: &[Limit]) -> Option<Vec<Limit>> {
        let (members, _) = self.members(limits);
        let min_points = self.options.min_mass * self.y.len() as f64;
        let mut best: Option<(f64, usize, Vec<Limit>)> = None;
        for candidate in self.peels(limits, &members) {
            let (inside, sum) = self.members(&candidate);
            if inside.is_empty() || (inside.len() as f64) < min_points {
                continue;
            }
            let mean = sum / inside.len() as f64;
            let better = match &best {
                None => true,
                Some((m, n, _)) => mean > *m || (mean == *m && inside.len() > *n),
            };
            if better {
                best = Some((mean, inside.len(), candidate));
            }
        }
        best.map(|(_, _, b)| b)
    }

    /// Widens the box while its mean does not fall.
    fn paste(&self, mut limits: Vec<Limit>) -> Vec<Limit> {
        loop {
            let (members, sum) = self.members(&limits);
            let mean = sum / members.len().max(1) as f64;
            let count = ((self.options.alpha * members.len() as f64).ceil() as usize).max(1);
            let mut best: Option<(f64, usize, Vec<Limit>)> = None;
            for d in 0..self.dimensions.len() {
                for candidate in self.pastes(&limits, d, count) {
                    let (inside, s) = self.members(&candidate);
                    if inside.len() <= members.len() {
                        continue;
                    }
                    let m = s / inside.len() as f64;
                    let better = match &best {
                        None => true,
                        Some((bm, bn, _)) => m > *bm || (m == *bm && inside.len() > *bn),
                    };
                    if better {
                        best = Some((m, inside.len(), candidate));
                    }
                }
            }
            match best {
                Some((m, _, b)) if m >= mean - 1e-12 * mean.abs().max(1.0) => limits = b,
                _ => return limits,
            }
        }
    }

    /// Boxes that widen dimension `d` of `limits` by about `count` points.
    fn pastes(&self, limits: &[Limit], d: usize, count: usize) -> Vec<Vec<Limit>> {
        // Points outside the box on dimension d only.
        let outside: Vec<usize> = (0..self.y.len())
            .filter(|&p| {
                !self.inside_dim(d, p, &limits[d])
                    && limits
                        .iter()
                        .enumerate()
                        .all(|(e, l)| e == d || self.inside_dim(e, p, l))
            })
            .collect();
        let mut out = Vec::new();
        match (&self.dimensions[d].values, &limits[d]) {
            (Values::Numeric(v), &Limit::Range { lower, upper }) => {
                let mut below: Vec<f64> = outside
                    .iter()
                    .map(|&p| v[p])
                    .filter(|&x| x < lower)
                    .collect();
                below.sort_by(|a, b| b.total_cmp(a));
                if let Some(&new) = below.get(count.min(below.len()).saturating_sub(1)) {
                    let mut b = limits.to_vec();
                    b[d] = Limit::Range { lower: new, upper };
                    out.push(b);
                }
                let mut above: Vec<f64> = outside
                    .iter()
                    .map(|&p| v[p])
                    .filter(|&x| x > upper)
                    .collect();
                above.sort_by(f64::total_cmp);
                if let Some(&new) = above.get(count.min(above.len()).saturating_sub(1)) {
                    let mut b = limits.to_vec();
                    b[d] = Limit::Range { lower, upper: new };
                    out.push(b);
                }
            }
            (Values::Categorical(v), Limit::Categories(set)) => {
                let missing: BTreeSet<&String> = outside.iter().map(|&p| &v[p]).collect();
                for c in missing {
                    let mut b = limits.to_vec();
                    let mut s = set.clone();
                    s.insert(c.clone());
                    b[d] = Limit::Categories(s);
                    out.push(b);
                }
            }
            _ => {}
        }
        out
    }
}
