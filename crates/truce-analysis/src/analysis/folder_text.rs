//! The printed report of a results folder, and the text tables it is made of (which `truce
//! report` also shows).

use super::folder::FolderAnalysis;
use super::sensitivity_text::sensitivity_text;
use crate::curves;
use crate::indices::short;
use crate::prim::Values;
use crate::report::{TextTable, estimate_with_interval, number};
use crate::summary;

/// Points shown in the printed tables; the files hold them all.
const SHOWN_POINTS: usize = 40;

impl FolderAnalysis {
    /// The printed report: the per-point table of P(violation) and P(collapse), survival,
    /// comparisons, sensitivity and PRIM.
    pub fn report(&self) -> String {
        let mut text = format!(
            "{} ({} records, {} point{})\n\n",
            self.folder.dir.display(),
            self.summary.points.iter().map(|p| p.records).sum::<u64>(),
            self.summary.points.len(),
            if self.summary.points.len() == 1 {
                ""
            } else {
                "s"
            }
        );
        text.push_str(&self.points_table());
        text.push('\n');
        text.push_str(&self.survival_table());
        text.push('\n');
        text.push_str(&self.causes_table());
        text.push('\n');
        text.push_str(&self.incidence_table());
        if self.shows_nations() {
            text.push_str(&format!(
                "\nContingents (per nation: its government asked by its troops' serious casualties, and whether it fought, with 95% Wilson intervals; mean casualties per run):\n{}",
                self.nations_text_table(SHOWN_POINTS).render()
            ));
        }
        if !self.uncertainty.parameters.is_empty() {
            text.push('\n');
            text.push_str(&self.uncertainty.text(SHOWN_POINTS));
        }
        if let Some(r) = self.reference {
            text.push('\n');
            text.push_str(&self.comparisons_table(r));
            if self.folder.is_comparison() {
                text.push_str(&format!(
                    "\nEvery binary outcome against point {r} (paired by replication):\n{}",
                    self.outcome_differences_text_table(usize::MAX).render()
                ));
            }
        }
        if let Some(s) = &self.sensitivity {
            text.push('\n');
            text.push_str(&sensitivity_text(s, "its mean at each point"));
        }
        if let Some(p) = &self.prim {
            text.push('\n');
            text.push_str(&p.description());
        }
        if !self.notes.is_empty() {
            text.push('\n');
            for n in &self.notes {
                text.push_str(&format!("note: {n}\n"));
            }
        }
        text
    }

    fn points_table(&self) -> String {
        let mut text = self.points_text_table(SHOWN_POINTS).render();
        if self.summary.points.len() > SHOWN_POINTS {
            text.push_str(&format!(
                "  … {} more points in summary.csv\n",
                self.summary.points.len() - SHOWN_POINTS
            ));
        }
        text
    }

    /// P(violation) and P(collapse) with their intervals at the first `limit` points, with the
    /// points' parameter values.
    pub fn points_text_table(&self, limit: usize) -> TextTable {
        let design = self.folder.design.as_ref();
        let parameters = design.map_or(&[][..], |d| d.parameters.as_slice());
        let mut header = vec!["point".to_owned()];
        header.extend(parameters.iter().cloned());
        header.extend([
            "n".into(),
            "P(serious violation) [95% CI]".into(),
            "P(collapse) [95% CI]".into(),
        ]);
        let mut right = vec![true];
        right.extend(design.map_or(Vec::new(), |d| {
            d.values
                .iter()
                .map(|v| matches!(v, Values::Numeric(_)))
                .collect()
        }));
        right.extend([true, false, false]);
        let mut t = TextTable::new(header, right);
        let iv = self.summary.index("violated");
        let ic = self.summary.index("collapsed");
        let cell = |p: &summary::PointSummary, i: Option<usize>| {
            i.map_or("-".into(), |i| {
                let e = p.stats[i].estimate;
                estimate_with_interval(e.estimate, e.lower, e.upper, 3)
            })
        };
        for p in self.summary.points.iter().take(limit) {
            let mut row = vec![p.point.to_string()];
            if let Some(d) = design {
                let r = d.row(p.point);
                for v in &d.values {
                    row.push(match (v, r) {
                        (Values::Numeric(x), Some(r)) => short(x[r]),
                        (Values::Categorical(x), Some(r)) => x[r].clone(),
                        _ => "-".into(),
                    });
                }
            }
            row.push(p.records.to_string());
            row.push(cell(p, iv));
            row.push(cell(p, ic));
            t.push(row);
        }
        t
    }

    fn survival_table(&self) -> String {
        format!(
            "Survival (Kaplan–Meier; Greenwood log-log 95% bands in survival.parquet; runs that did not end in the event, settled ones too, censored at end_day):\n{}",
            self.survival_text_table(2 * SHOWN_POINTS).render()
        )
    }

    /// Events, median and S(t) at the checkpoints of the first `limit` curves (two per point).
    pub fn survival_text_table(&self, limit: usize) -> TextTable {
        let checkpoints: Vec<f64> = self.options.checkpoints.clone();
        let mut header = vec![
            "point".into(),
            "curve".into(),
            "events".into(),
            "KM median day [95% CI]".into(),
        ];
        header.extend(checkpoints.iter().map(|t| format!("S({t})")));
        let mut right = vec![true, false, true, false];
        right.extend(checkpoints.iter().map(|_| true));
        let mut t = TextTable::new(header, right);
        for c in self.curves.iter().take(limit) {
            let m = c.km.median();
            let median = match m.estimate {
                None => "not reached".into(),
                Some(e) => format!(
                    "{e:.1} [{}, {}]",
                    number(m.lower, 1),
                    m.upper.map_or("-".into(), |u| format!("{u:.1}"))
                ),
            };
            let mut row = vec![
                match &c.group {
                    curves::Group::Point(p) => p.to_string(),
                    curves::Group::Value(v) => v.clone(),
                },
                c.curve.clone(),
                format!("{}/{}", c.km.events, c.km.n),
                median,
            ];
            row.extend(
                checkpoints
                    .iter()
                    .map(|&t| number(c.km.at(t).map(|s| s.survival), 3)),
            );
            t.push(row);
        }
        t
    }

    /// Per nation at the first `limit` points: P(its government was asked) and P(it fought),
    /// with their intervals, and its mean casualties from harassment and from serious classes.
    pub fn nations_text_table(&self, limit: usize) -> TextTable {
        let header = [
            "point",
            "nation",
            "P(asked) [95% CI]",
            "P(fought) [95% CI]",
            "casualties: harassment",
            "serious",
        ];
        let mut t = TextTable::new(
            header.iter().map(|h| h.to_string()).collect(),
            vec![true, false, false, false, true, true],
        );
        let nations = self.nations();
        for p in self.summary.points.iter().take(limit) {
            for nation in &nations {
                let stat = |prefix: &str| {
                    let i = self.summary.index(&format!("{prefix}{nation}"))?;
                    Some(p.stats[i].estimate)
                };
                let proportion = |prefix| {
                    stat(prefix).map_or("-".into(), |e| {
                        estimate_with_interval(e.estimate, e.lower, e.upper, 3)
                    })
                };
                let mean = |prefix| number(stat(prefix).map(|e| e.estimate), 2);
                t.push(vec![
                    p.point.to_string(),
                    nation.clone(),
                    proportion("tripwire_triggered_"),
                    proportion("tripwire_fired_"),
                    mean("r_casualties_harassment_"),
                    mean("r_casualties_serious_"),
                ]);
            }
        }
        t
    }

    fn causes_table(&self) -> String {
        let mut text = format!(
            "Ends of the ceasefires (collapses by cause, as a share of collapses; settlements that ended a run, as a share of runs; a settlement that ends nothing is counted in the summary's P(settled)):\n{}",
            self.causes_text_table(SHOWN_POINTS).render()
        );
        if self.causes.points.len() > SHOWN_POINTS {
            text.push_str(&format!(
                "  … {} more points in causes.csv\n",
                self.causes.points.len() - SHOWN_POINTS
            ));
        }
        text
    }

    /// Collapses by cause and settlements at the first `limit` points.
    pub fn causes_text_table(&self, limit: usize) -> TextTable {
        let causes = &self.causes;
        let mut header = vec!["point".to_owned(), "n".into(), "collapses".into()];
        header.extend(causes.causes().iter().cloned());
        header.push("ended settled".into());
        let right = vec![true; header.len()];
        let mut t = TextTable::new(header, right);
        let cell = |k: u64, of: u64| {
            if of == 0 {
                format!("{k}")
            } else {
                format!("{k} ({:.1}%)", 100.0 * k as f64 / of as f64)
            }
        };
        for p in causes.points.iter().take(limit) {
            let collapses = p.collapses();
            let mut row = vec![
                p.point.to_string(),
                p.records.to_string(),
                collapses.to_string(),
            ];
            let (last, by_cause) = p.incidence.split_last().expect("settlement is a kind");
            row.extend(by_cause.iter().map(|f| cell(f.events, collapses)));
            row.push(cell(last.events, p.records));
            t.push(row);
        }
        t
    }

    fn incidence_table(&self) -> String {
        format!(
            "Cumulative incidence F(t) = P(ended so by day t) (Aalen–Johansen: the causes and settlement \
             compete, no run is censored by a settlement; 95% log-log bands in causes.csv):\n{}",
            self.incidence_text_table(SHOWN_POINTS * self.causes.kinds.len())
                .render()
        )
    }

    /// Events and `F(t)` at the checkpoints of the first `limit` incidences (one per kind and point).
    pub fn incidence_text_table(&self, limit: usize) -> TextTable {
        let checkpoints = &self.options.checkpoints;
        let mut header = vec!["point".to_owned(), "kind".into(), "events".into()];
        header.extend(checkpoints.iter().map(|t| format!("F({t})")));
        let mut right = vec![true, false, true];
        right.extend(checkpoints.iter().map(|_| true));
        let mut t = TextTable::new(header, right);
        let rows = self.causes.points.iter().flat_map(|p| {
            self.causes
                .kinds
                .iter()
                .zip(&p.incidence)
                .map(move |(k, f)| (p.point, k, f))
        });
        for (point, kind, f) in rows.take(limit) {
            let mut row = vec![point.to_string(), kind.clone(), f.events.to_string()];
            row.extend(
                checkpoints
                    .iter()
                    .map(|&t| number(f.at(t).map(|s| s.incidence), 3)),
            );
            t.push(row);
        }
        t
    }

    fn comparisons_table(&self, reference: u64) -> String {
        let paired = self.comparisons.iter().any(|c| c.method == "paired_t");
        let mut table = self.comparisons_text_table(SHOWN_POINTS).render();
        let mut points: Vec<u64> = self.comparisons.iter().map(|c| c.point).collect();
        points.dedup();
        if points.len() > SHOWN_POINTS {
            table.push_str(&format!(
                "  … {} more points in comparisons.csv\n",
                points.len() - SHOWN_POINTS
            ));
        }
        format!(
            "Against point {reference} ({}; hazard ratio = ratio of collapses per day at risk, log-normal interval):\n{}",
            if paired {
                "differences paired by replication, common random numbers"
            } else {
                "unpaired differences, Newcombe intervals"
            },
            table
        )
    }

    /// Every binary outcome's difference from the reference, one row per point and outcome, for the
    /// first `limit` rows.
    pub fn outcome_differences_text_table(&self, limit: usize) -> TextTable {
        let reference = self.reference.unwrap_or(0);
        let mut t = TextTable::new(
            vec![
                "point".into(),
                "outcome".into(),
                format!("P at {reference}"),
                "P".into(),
                "difference [95% CI]".into(),
            ],
            vec![true, false, true, true, false],
        );
        for c in self
            .comparisons
            .iter()
            .filter(|c| c.measure == "difference")
            .take(limit)
        {
            t.push(vec![
                c.point.to_string(),
                c.outcome.clone(),
                format!("{:.3}", c.reference_value),
                format!("{:.3}", c.point_value),
                estimate_with_interval(c.estimate, c.lower, c.upper, 3),
            ]);
        }
        t
    }

    /// The differences in P(violation) and P(collapse) from the reference, and the collapse
    /// hazard ratio, of the first `limit` points compared.
    pub fn comparisons_text_table(&self, limit: usize) -> TextTable {
        let mut t = TextTable::new(
            vec![
                "point".into(),
                "ΔP(serious violation) [95% CI]".into(),
                "ΔP(collapse) [95% CI]".into(),
                "collapse hazard ratio [95% CI]".into(),
            ],
            vec![true, false, false, false],
        );
        let mut points: Vec<u64> = self.comparisons.iter().map(|c| c.point).collect();
        points.dedup();
        for p in points.iter().take(limit) {
            let find = |outcome: &str, measure: &str| {
                self.comparisons
                    .iter()
                    .find(|c| c.point == *p && c.outcome == outcome && c.measure == measure)
                    .map_or("-".into(), |c| {
                        estimate_with_interval(c.estimate, c.lower, c.upper, 3)
                    })
            };
            t.push(vec![
                p.to_string(),
                find("violated", "difference"),
                find("collapsed", "difference"),
                find("collapsed", "hazard_ratio"),
            ]);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::super::folder::Options;
    use super::*;
    use crate::causes::{Causes, PointCauses};
    use crate::compare::Comparison;
    use crate::curves::{Group, GroupCurve};
    use crate::folder::{FolderKind, ResultsFolder};
    use crate::incidence::{self, Incidence};
    use crate::outcomes::Outcome;
    use crate::stats::Interval;
    use crate::summary::{OutcomeStats, PointSummary, Summary};
    use crate::survival::{self, Curve};
    use crate::uncertainty::Uncertainty;
    use polars::prelude::lit;
    use std::path::PathBuf;

    fn proportion(hits: u64, n: u64, lower: f64, upper: f64) -> OutcomeStats {
        OutcomeStats {
            n,
            hits: Some(hits),
            estimate: Interval {
                estimate: hits as f64 / n as f64,
                lower,
                upper,
            },
            sd: None,
            p10: None,
            median: None,
            p90: None,
        }
    }

    fn binary(name: &str) -> Outcome {
        Outcome {
            name: name.to_owned(),
            expr: lit(0.0),
            binary: true,
            among: None,
        }
    }

    fn step(time: f64, at_risk: u64, events: u64, survival: f64) -> survival::Step {
        survival::Step {
            time,
            at_risk,
            events,
            survival,
            lower: Some(survival - 0.1),
            upper: Some(survival + 0.05),
        }
    }

    fn curve(point: u64, what: &str, steps: Vec<survival::Step>) -> GroupCurve {
        GroupCurve {
            group: Group::Point(point),
            curve: what.to_owned(),
            km: Curve {
                n: 100,
                events: steps.iter().map(|s| s.events).sum(),
                max_time: 730.0,
                steps,
            },
        }
    }

    fn incidence(events: u64, at: f64, value: f64) -> Incidence {
        Incidence {
            n: 100,
            events,
            max_time: 730.0,
            complete: false,
            steps: vec![incidence::Step {
                time: at,
                at_risk: 90,
                events,
                incidence: value,
                lower: None,
                upper: None,
            }],
        }
    }

    fn comparison(outcome: &str, measure: &'static str, estimate: f64) -> Comparison {
        Comparison {
            point: 1,
            reference: 0,
            outcome: outcome.to_owned(),
            measure,
            method: if measure == "difference" {
                "paired_t"
            } else {
                "rate_ratio_lognormal"
            },
            n: 100,
            n_reference: 100,
            point_value: 0.3,
            reference_value: 0.4,
            estimate,
            lower: estimate - 0.05,
            upper: estimate + 0.05,
        }
    }

    /// Two points of 100 runs each, no design: point 1 collapses less often than point 0.
    fn analysis() -> FolderAnalysis {
        let point = |point, violated, collapsed: (u64, f64, f64)| PointSummary {
            point,
            records: 100,
            stats: vec![
                proportion(violated, 100, 0.5, 0.7),
                proportion(collapsed.0, 100, collapsed.1, collapsed.2),
            ],
        };
        FolderAnalysis {
            folder: ResultsFolder {
                dir: PathBuf::from("results/sweep"),
                kind: FolderKind::Sweep,
                records: Vec::new(),
                design: None,
                crn: true,
                reference: None,
                manifest: serde_json::Value::Null,
                config_file: None,
            },
            summary: Summary {
                outcomes: vec![binary("violated"), binary("collapsed")],
                points: vec![point(0, 60, (40, 0.31, 0.5)), point(1, 55, (30, 0.22, 0.4))],
            },
            curves: vec![
                curve(0, "violation", vec![step(12.5, 100, 60, 0.4)]),
                curve(
                    0,
                    "collapse",
                    vec![step(100.0, 100, 20, 0.8), step(400.0, 80, 20, 0.6)],
                ),
            ],
            causes: Causes {
                kinds: vec!["offensive".into(), "spiral".into(), "settlement".into()],
                points: vec![PointCauses {
                    point: 0,
                    records: 100,
                    incidence: vec![
                        incidence(30, 100.0, 0.3),
                        incidence(10, 400.0, 0.1),
                        incidence(0, 730.0, 0.0),
                    ],
                }],
            },
            uncertainty: Uncertainty::default(),
            reference: Some(0),
            comparisons: vec![
                comparison("violated", "difference", -0.05),
                comparison("collapsed", "difference", -0.1),
                comparison("collapsed", "hazard_ratio", 0.7),
            ],
            sensitivity: None,
            prim: None,
            notes: vec!["one note".into()],
            options: Options {
                checkpoints: vec![30.0, 365.0],
                ..Options::default()
            },
        }
    }

    #[test]
    fn points_show_both_proportions_with_their_intervals() {
        assert_eq!(
            analysis().points_text_table(40).render(),
            concat!(
                "  point    n  P(serious violation) [95% CI]  P(collapse) [95% CI]\n",
                "      0  100  0.600 [0.500, 0.700]           0.400 [0.310, 0.500]\n",
                "      1  100  0.550 [0.500, 0.700]           0.300 [0.220, 0.400]\n",
            )
        );
        assert_eq!(analysis().points_text_table(1).len(), 1);
    }

    #[test]
    fn survival_shows_the_median_and_the_checkpoints() {
        assert_eq!(
            analysis().survival_text_table(10).render(),
            concat!(
                "  point  curve      events  KM median day [95% CI]  S(30)  S(365)\n",
                "      0  violation  60/100  12.5 [12.5, 12.5]       0.400   0.400\n",
                "      0  collapse   40/100  not reached             1.000   0.800\n",
            )
        );
    }

    #[test]
    fn causes_are_shares_of_collapses_and_settlements_shares_of_runs() {
        assert_eq!(
            analysis().causes_text_table(10).render(),
            concat!(
                "  point    n  collapses   offensive      spiral  ended settled\n",
                "      0  100         40  30 (75.0%)  10 (25.0%)       0 (0.0%)\n",
            )
        );
    }

    #[test]
    fn incidences_are_read_at_the_checkpoints() {
        assert_eq!(
            analysis().incidence_text_table(10).render(),
            concat!(
                "  point  kind        events  F(30)  F(365)\n",
                "      0  offensive       30  0.000   0.300\n",
                "      0  spiral          10  0.000   0.000\n",
                "      0  settlement       0  0.000   0.000\n",
            )
        );
    }

    #[test]
    fn comparisons_give_differences_and_the_hazard_ratio() {
        assert_eq!(
            analysis().comparisons_text_table(10).render(),
            concat!(
                "  point  ΔP(serious violation) [95% CI]  ΔP(collapse) [95% CI]    collapse hazard ratio [95% CI]\n",
                "      1  -0.050 [-0.100, 0.000]          -0.100 [-0.150, -0.050]  0.700 [0.650, 0.750]\n",
            )
        );
        assert_eq!(
            analysis().outcome_differences_text_table(10).render(),
            concat!(
                "  point  outcome    P at 0      P  difference [95% CI]\n",
                "      1  violated    0.400  0.300  -0.050 [-0.100, 0.000]\n",
                "      1  collapsed   0.400  0.300  -0.100 [-0.150, -0.050]\n",
            )
        );
    }

    #[test]
    fn the_report_puts_the_tables_in_order_and_ends_with_the_notes() {
        let report = analysis().report();
        assert!(
            report.starts_with("results/sweep (200 records, 2 points)\n\n  point    n  P(serious"),
            "{report}"
        );
        let at = |fragment: &str| {
            report
                .find(fragment)
                .unwrap_or_else(|| panic!("no {fragment:?} in {report}"))
        };
        let order = [
            at("Survival (Kaplan–Meier"),
            at("Ends of the ceasefires"),
            at("Cumulative incidence F(t)"),
            at("Against point 0 (differences paired by replication"),
        ];
        assert!(order.is_sorted(), "{report}");
        assert!(!report.contains("Contingents"), "{report}");
        assert!(!report.contains("Every binary outcome"), "{report}");
        assert!(report.ends_with("\nnote: one note\n"), "{report}");
    }
}
