//! Sensitivity indices: Sobol' S1 and ST with their intervals, or Morris μ* against σ.

use super::labels;
use super::names::outcome_label;
use super::plan::{Built, Context, Missing};
use super::{Chart, Data};
use truce_plot::Estimate;
use truce_plot::sensitivity::{MorrisData, MorrisPoint, SensitivityData, SobolData, SobolIndices};

impl Context<'_> {
    pub(super) fn sensitivity(&self) -> Built {
        let design = self.analysis.folder.design.as_ref();
        let Some(s) = &self.analysis.sensitivity else {
            return Err(Missing(match design {
                None => "sensitivity indices need a sweep with a Saltelli or Morris design: run one with `truce sweep` (see configs/sweeps/sobol_screening.toml)".into(),
                Some(_) => format!(
                    "this sweep has no sensitivity indices of {}: {}",
                    self.selection.outcome,
                    if self.analysis.notes.is_empty() {
                        "it needs more than one point".to_owned()
                    } else {
                        self.analysis.notes.join("; ")
                    }
                ),
            }));
        };
        let find = |method: &str, measure: &str, parameter: &str| {
            s.rows.iter().find(|r| {
                r.method == method
                    && r.measure == measure
                    && r.parameter.as_deref() == Some(parameter)
            })
        };
        let parameters = design.map(|d| d.parameters.clone()).unwrap_or_default();
        let label = outcome_label(
            &s.outcome,
            self.analysis
                .summary
                .index(&s.outcome)
                .is_some_and(|i| self.analysis.summary.outcomes[i].binary),
        );
        let estimate = |r: &truce_analysis::indices::IndexRow| {
            let (lower, upper) = if r.lower.is_finite() && r.upper.is_finite() {
                (r.lower, r.upper)
            } else {
                (r.estimate, r.estimate)
            };
            Estimate::new(r.estimate, lower, upper)
        };
        let mut charts = Vec::new();
        let sobol: Vec<SobolIndices> = parameters
            .iter()
            .filter_map(|p| {
                Some(SobolIndices {
                    parameter: labels::label(p),
                    first_order: estimate(find("sobol", "S1", p)?),
                    total: estimate(find("sobol", "ST", p)?),
                })
            })
            .filter(|i| i.first_order.value.is_finite() && i.total.value.is_finite())
            .collect();
        if !sobol.is_empty() {
            charts.push(Chart {
                name: "sensitivity_sobol".into(),
                caption: format!(
                    "Sobol' first-order (S1) and total (ST) indices of {label} over the design's \
                     points (Saltelli 2010 and Jansen estimators), with bootstrap 95% intervals, \
                     drawn as estimated, not clipped to [0, 1].{}",
                    if truce_analysis::analysis::sensitivity_warnings(s).is_empty() {
                        String::new()
                    } else {
                        " Read them with care: see the warnings under the sensitivity table."
                            .to_owned()
                    }
                ),
                data: Data::Sensitivity(SensitivityData::Sobol(SobolData::new(
                    format!("Sobol' indices of {label}"),
                    sobol,
                ))),
            });
        }
        let morris: Vec<MorrisPoint> = parameters
            .iter()
            .filter_map(|p| {
                Some(MorrisPoint {
                    parameter: labels::label(p),
                    mu_star: find("morris", "mu_star", p)?.estimate,
                    sigma: find("morris", "sigma", p)?.estimate,
                })
            })
            .filter(|m| m.mu_star.is_finite() && m.sigma.is_finite())
            .collect();
        if !morris.is_empty() {
            charts.push(Chart {
                name: "sensitivity_morris".into(),
                caption: format!(
                    "Morris elementary effects of {label}: mean absolute effect μ* against their \
                     standard deviation σ, one point per parameter."
                ),
                data: Data::Sensitivity(SensitivityData::Morris(MorrisData::new(
                    format!("Morris screening of {label}"),
                    morris,
                ))),
            });
        }
        if charts.is_empty() {
            return Err(Missing(
                "Sobol' and Morris charts need a Saltelli or Morris design; this sweep's design \
                 gives regression coefficients only (see sensitivity.csv of `truce analyze`)"
                    .into(),
            ));
        }
        Ok(charts)
    }
}
