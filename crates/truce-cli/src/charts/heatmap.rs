//! The heatmap: an outcome over two swept parameters, one cell per pair of values.

use super::labels;
use super::names::{file_part, outcome_label, over_which, plain, runs_that};
use super::plan::{Built, Context, Missing};
use super::{Chart, Data};
use crate::error::user;
use anyhow::Result;
use truce_analysis::indices::short as number;
use truce_analysis::prim::Values;
use truce_plot::heatmap::HeatmapData;

/// Most distinct values of a heatmap axis.
const MAX_CATEGORIES: usize = 30;

impl Context<'_> {
    pub(super) fn heatmap(&self) -> Result<Built> {
        let outcome = self.outcome_index()?;
        let Some(design) = &self.analysis.folder.design else {
            return Ok(Err(Missing(
                "a heatmap needs a sweep over two parameters, and this folder holds one scenario: \
                 make one with `truce sweep` (see configs/sweeps/air_cover_vs_troops.toml)"
                    .into(),
            )));
        };
        let parameter = |given: &Option<String>,
                         flag: &str,
                         default: usize|
         -> Result<Option<usize>> {
            match given {
                Some(name) => match design.parameters.iter().position(|p| p == name) {
                    Some(i) => Ok(Some(i)),
                    None => Err(user(format!(
                        "{flag} {name}: not a parameter of this sweep: its swept parameters are {}",
                        if design.parameters.is_empty() {
                            "none".to_owned()
                        } else {
                            design.parameters.join(", ")
                        }
                    ))),
                },
                None => Ok((default < design.parameters.len()).then_some(default)),
            }
        };
        let x = parameter(&self.selection.x, "--x", 0)?;
        let y = match (x, &self.selection.y) {
            (Some(0), None) => parameter(&None, "--y", 1)?,
            (Some(_), None) => parameter(&None, "--y", 0)?,
            (_, given) => parameter(given, "--y", 1)?,
        };
        let (Some(x), Some(y)) = (x, y) else {
            return Ok(Err(Missing(format!(
                "a heatmap needs a sweep over two parameters, and this sweep has {}: \
                 add a parameter to its [sweep] table and run `truce sweep` again",
                design.parameters.len()
            ))));
        };
        if x == y {
            return Err(user(format!(
                "--x and --y both name {}: choose two different parameters",
                design.parameters[x]
            )));
        }
        let (xs, x_of) = match categories(&design.values[x]) {
            Ok(c) => c,
            Err(n) => return Ok(Err(too_many(&design.parameters[x], n))),
        };
        let (ys, y_of) = match categories(&design.values[y]) {
            Ok(c) => c,
            Err(n) => return Ok(Err(too_many(&design.parameters[y], n))),
        };
        let cells: std::collections::BTreeSet<(usize, usize)> = self
            .points
            .iter()
            .filter_map(|&id| design.row(id))
            .map(|row| (x_of[row], y_of[row]))
            .collect();
        if 2 * cells.len() < xs.len() * ys.len() {
            return Ok(Err(Missing(format!(
                "the points fill {} of the {} cells of {} by {}: a heatmap needs a grid design",
                cells.len(),
                xs.len() * ys.len(),
                design.parameters[x],
                design.parameters[y]
            ))));
        }
        let mut sums = vec![vec![(0.0, 0u32); xs.len()]; ys.len()];
        for &id in &self.points {
            let (Some(row), Some(e)) = (design.row(id), self.estimate(id, outcome)) else {
                continue;
            };
            let cell = &mut sums[y_of[row]][x_of[row]];
            cell.0 += e.value;
            cell.1 += 1;
        }
        let averaged = sums.iter().flatten().any(|&(_, n)| n > 1);
        let values = sums
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&(s, n)| (n > 0).then(|| s / f64::from(n)))
                    .collect()
            })
            .collect();
        let info = &self.analysis.summary.outcomes[outcome];
        let value_label = outcome_label(&info.name, info.binary);
        let value_label = match (&info.among, info.binary) {
            (Some(among), false) => format!("{value_label} ({})", runs_that(among)),
            _ => value_label,
        };
        let (x_name, y_name) = (&design.parameters[x], &design.parameters[y]);
        let mut caption = format!(
            "{value_label} at each pair of {} and {}, one cell per pair, {}.",
            plain(x_name),
            plain(y_name),
            if info.binary {
                "as a proportion of replications".to_owned()
            } else {
                over_which(info)
            }
        );
        let shown: Vec<f64> = values_of(&sums);
        let (lo, hi) = shown
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        match self.selection.scale {
            Some((min, max)) => caption.push_str(&format!(
                " The colour scale runs from {} to {} (--scale).",
                number(min),
                number(max)
            )),
            None if lo.is_finite() => caption.push_str(&format!(
                " The colour scale spans the values shown, {} to {}; give --scale MIN,MAX to \
                 set its ends.",
                number(lo),
                number(hi)
            )),
            None => {}
        }
        if averaged {
            caption.push_str(
                " Cells holding several points (other parameters varied too) show their average.",
            );
        }
        Ok(Ok(vec![Chart {
            name: format!("heatmap_{}", file_part(&info.name)),
            caption,
            data: Data::Heatmap(HeatmapData {
                title: format!("{value_label} by {} and {}", plain(x_name), plain(y_name)),
                x_label: labels::label(x_name),
                y_label: labels::label(y_name),
                value_label,
                x_categories: xs,
                y_categories: ys,
                values,
                range: self.selection.scale,
            }),
        }]))
    }
}

fn too_many(parameter: &str, n: usize) -> Missing {
    Missing(format!(
        "{parameter} takes {n} distinct values: a heatmap needs at most {MAX_CATEGORIES} per axis, as a grid design gives"
    ))
}

/// The distinct values of a parameter in display order, and each row's position among them;
/// `Err(count)` when there are more than [`MAX_CATEGORIES`].
fn categories(values: &Values) -> std::result::Result<(Vec<String>, Vec<usize>), usize> {
    match values {
        Values::Numeric(v) => {
            let mut distinct: Vec<f64> = v.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            if distinct.len() > MAX_CATEGORIES {
                return Err(distinct.len());
            }
            let of = v
                .iter()
                .map(|x| distinct.partition_point(|d| d.total_cmp(x).is_lt()))
                .collect();
            Ok((distinct.iter().map(|&x| number(x)).collect(), of))
        }
        Values::Categorical(v) => {
            let mut distinct: Vec<&String> = Vec::new();
            for s in v {
                if !distinct.contains(&s) {
                    distinct.push(s);
                }
            }
            if distinct.len() > MAX_CATEGORIES {
                return Err(distinct.len());
            }
            let of = v
                .iter()
                .map(|s| distinct.iter().position(|d| *d == s).unwrap_or(0))
                .collect();
            Ok((distinct.into_iter().cloned().collect(), of))
        }
    }
}

/// The cell values that are present.
fn values_of(sums: &[Vec<(f64, u32)>]) -> Vec<f64> {
    sums.iter()
        .flatten()
        .filter(|&&(_, n)| n > 0)
        .map(|&(s, n)| s / f64::from(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_categories_are_sorted_and_indexed() {
        let (names, of) = categories(&Values::Numeric(vec![2.0, 1.0, 2.0, 0.5])).unwrap();
        assert_eq!(names, ["0.5", "1", "2"]);
        assert_eq!(of, [2, 1, 2, 0]);
        let many = Values::Numeric((0..40).map(f64::from).collect());
        assert_eq!(categories(&many).unwrap_err(), 40);
    }
}
