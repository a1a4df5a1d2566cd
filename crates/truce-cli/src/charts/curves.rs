//! Curves over time per point: Kaplan–Meier survival and the stacked cumulative incidences of
//! how ceasefires ended.

use super::names::{id_list, label_key};
use super::plan::{Built, Context, Missing};
use super::{Chart, Data};
use truce_analysis::curves::Group;
use truce_plot::incidence::{IncidenceData, IncidenceLayer};
use truce_plot::survival::{SurvivalData, SurvivalSeries};

/// Most points drawn on one survival chart when none are chosen.
const DEFAULT_CURVES: usize = 6;
/// Most steps drawn per survival curve; longer curves are thinned to the last step of each of this
/// many equal spans of days (exact at each kept step).
const MAX_STEPS: usize = 1500;

impl Context<'_> {
    pub(super) fn survival(&self) -> Built {
        let shown = self.survival_points();
        let mut charts = Vec::new();
        for (curve, what) in [
            ("violation", "first serious violation"),
            ("collapse", "collapse"),
        ] {
            let mut series = Vec::new();
            let mut horizon: f64 = 0.0;
            for &id in &shown {
                let Some(c) = self
                    .analysis
                    .curves
                    .iter()
                    .find(|c| c.curve == curve && c.group == Group::Point(id))
                else {
                    continue;
                };
                horizon = horizon.max(c.km.max_time);
                series.push(survival_series(self.label(id), &c.km));
            }
            if series.is_empty() {
                continue;
            }
            let mut data = SurvivalData::new(format!("Time to {what}"), series);
            data.y_label = format!("probability of no {what} yet");
            data.horizon = (horizon > 0.0).then_some(horizon);
            let which = if shown.len() == self.analysis.summary.points.len() {
                String::new()
            } else {
                format!(
                    " Points shown: {} of {}{}.",
                    id_list(&shown),
                    self.analysis.summary.points.len(),
                    if self.chosen {
                        ""
                    } else {
                        " (the reference and the extremes of P(collapse); choose others with --points)"
                    }
                )
            };
            charts.push(Chart {
                name: format!("survival_{curve}"),
                caption: format!(
                    "Kaplan–Meier estimate of the probability that no {what} has happened by each \
                     day, runs censored at their end, with Greenwood 95% bands. Curves are \
                     labelled by {}.{which}",
                    label_key(self.analysis)
                ),
                data: Data::Survival(data),
            });
        }
        if charts.is_empty() {
            return Err(Missing(
                "the records have no time-to-event columns: run the scenario again with this version of `truce run`".into(),
            ));
        }
        Ok(charts)
    }

    /// One stacked chart of the cumulative incidences per point shown (as for survival).
    pub(super) fn incidence(&self) -> Built {
        let causes = &self.analysis.causes;
        let shown = self.survival_points();
        let single = self.analysis.summary.points.len() == 1;
        let mut charts = Vec::new();
        for id in shown {
            let Some(p) = causes.point(id) else { continue };
            let horizon = p.incidence.first().map_or(0.0, |f| f.max_time);
            let layers = causes
                .kinds
                .iter()
                .zip(&p.incidence)
                .map(|(name, f)| {
                    let width = if f.steps.len() > MAX_STEPS {
                        f.max_time / MAX_STEPS as f64
                    } else {
                        0.0
                    };
                    let steps = f.thinned(width);
                    IncidenceLayer {
                        name: name.replace('_', " "),
                        days: steps.iter().map(|s| s.time.max(0.0)).collect(),
                        incidence: steps.iter().map(|s| s.incidence).collect(),
                    }
                })
                .collect();
            let mut data = IncidenceData::new(
                if single {
                    format!("How ceasefires ended: {}", self.scenario)
                } else {
                    format!("How ceasefires ended: {}", self.label(id))
                },
                layers,
            );
            data.horizon = (horizon > 0.0 && horizon.is_finite()).then_some(horizon);
            charts.push(Chart {
                name: if single {
                    "incidence".into()
                } else {
                    format!("incidence_point_{id}")
                },
                caption: format!(
                    "Aalen–Johansen cumulative incidence of each cause of collapse and of \
                     settlement{}, stacked: each band is the probability of having ended that way \
                     by each day, the top edge the probability of having ended at all. Settlement \
                     competes with collapse (no run is censored by it); 95% bands are in \
                     causes.csv.",
                    if single {
                        String::new()
                    } else {
                        format!(" at {}", self.label(id))
                    }
                ),
                data: Data::Incidence(data),
            });
        }
        if charts.is_empty() {
            return Err(Missing("the folder holds no records".into()));
        }
        Ok(charts)
    }

    /// The points on a survival chart: those chosen, all when few, else the reference and the
    /// points of lowest, median and highest P(collapse).
    fn survival_points(&self) -> Vec<u64> {
        if self.chosen || self.points.len() <= DEFAULT_CURVES {
            return self.points.clone();
        }
        let mut ids = Vec::new();
        ids.extend(self.analysis.reference);
        if let Some(collapse) = self.analysis.summary.index("collapsed") {
            let mut by: Vec<(f64, u64)> = self
                .points
                .iter()
                .filter_map(|&id| Some((self.estimate(id, collapse)?.value, id)))
                .collect();
            by.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if let (Some(first), Some(last)) = (by.first(), by.last()) {
                ids.extend([first.1, by[by.len() / 2].1, last.1]);
            }
        }
        if ids.is_empty() {
            ids.extend(self.points.iter().take(DEFAULT_CURVES));
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A Kaplan–Meier curve as a chart series, thinned to about [`MAX_STEPS`] steps (exact at each
/// kept step: see [`truce_analysis::survival::Curve::thinned`]).
fn survival_series(name: String, km: &truce_analysis::survival::Curve) -> SurvivalSeries {
    let width = if km.steps.len() > MAX_STEPS {
        km.max_time / MAX_STEPS as f64
    } else {
        0.0
    };
    let steps = km.thinned(width);
    let mut series = SurvivalSeries {
        name,
        days: vec![0.0],
        survival: vec![1.0],
        lower: vec![1.0],
        upper: vec![1.0],
    };
    for step in steps {
        if step.time <= 0.0 {
            series.days.clear();
            series.survival.clear();
            series.lower.clear();
            series.upper.clear();
        }
        series.days.push(step.time.max(0.0));
        series.survival.push(step.survival);
        series.lower.push(step.lower.unwrap_or(0.0));
        series.upper.push(step.upper.unwrap_or(step.survival));
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_curves_are_thinned_exactly_at_kept_steps() {
        use truce_analysis::survival::{Curve, Step};
        let steps: Vec<Step> = (1..=5000)
            .map(|i| Step {
                time: f64::from(i) / 10.0,
                at_risk: 5001 - i as u64,
                events: 1,
                survival: 1.0 - f64::from(i) / 5001.0,
                lower: None,
                upper: None,
            })
            .collect();
        let km = Curve {
            n: 5000,
            events: 5000,
            max_time: 500.0,
            steps,
        };
        let s = survival_series("a".into(), &km);
        assert!(s.days.len() <= MAX_STEPS + 2);
        assert_eq!(s.days[0], 0.0);
        assert_eq!(
            *s.survival.last().unwrap(),
            km.steps.last().unwrap().survival
        );
        for (d, v) in s.days.iter().zip(&s.survival).skip(1) {
            let step = km.steps.iter().find(|st| st.time == *d).unwrap();
            assert_eq!(step.survival, *v);
        }
    }
}
