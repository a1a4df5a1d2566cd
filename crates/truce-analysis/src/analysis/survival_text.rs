//! The printed report of a time-to-event table.

use super::table_survival::TableSurvival;
use crate::curves;
use crate::indices::short;
use crate::report::{TextTable, estimate_with_interval};

impl TableSurvival {
    /// Per group: observations, events, median with interval, and S(t) with its band.
    pub fn report(&self) -> String {
        let scale = if self.spec.scale == 1.0 {
            String::new()
        } else {
            format!(" × {}", self.spec.scale)
        };
        let mut text = format!(
            "{}: time `{}`{scale}, event `{}`{}\nKaplan–Meier with Greenwood log-log 95% bands\n",
            self.input.display(),
            self.spec.time,
            self.spec.event,
            self.spec
                .by
                .as_ref()
                .map_or(String::new(), |b| format!(", by `{b}`"))
        );
        if self.dropped > 0 {
            text.push_str(&format!(
                "{} rows without a time or an event were left out\n",
                self.dropped
            ));
        }
        let mut header = vec![
            self.group_name().to_owned(),
            "events".into(),
            "median [95% CI]".into(),
        ];
        header.extend(self.checkpoints.iter().map(|t| format!("S({t}) [95% CI]")));
        let mut right = vec![false, true, false];
        right.extend(self.checkpoints.iter().map(|_| false));
        let mut t = TextTable::new(header, right);
        for c in &self.curves {
            let m = c.km.median();
            let mut row = vec![
                match &c.group {
                    curves::Group::Value(v) => v.clone(),
                    curves::Group::Point(p) => p.to_string(),
                },
                format!("{}/{}", c.km.events, c.km.n),
                match m.estimate {
                    None => "not reached".into(),
                    Some(e) => format!(
                        "{} [{}, {}]",
                        short(e),
                        m.lower.map_or("-".into(), short),
                        m.upper.map_or("-".into(), short)
                    ),
                },
            ];
            for &t in &self.checkpoints {
                row.push(c.km.at(t).map_or("-".into(), |s| {
                    estimate_with_interval(
                        s.survival,
                        s.lower.unwrap_or(f64::NAN),
                        s.upper.unwrap_or(f64::NAN),
                        3,
                    )
                }));
            }
            t.push(row);
        }
        text.push_str(&t.render());
        text
    }
}

#[cfg(test)]
mod tests {
    use crate::curves::{Group, GroupCurve, TableSpec};
    use crate::survival::{Curve, Step};
    use std::path::PathBuf;

    use super::*;

    fn table(by: Option<&str>, scale: f64, dropped: usize) -> TableSurvival {
        let curve = |group: Group, survival: f64| GroupCurve {
            group,
            curve: "event".into(),
            km: Curve {
                n: 10,
                events: 4,
                max_time: 8.0,
                steps: vec![Step {
                    time: 2.5,
                    at_risk: 10,
                    events: 4,
                    survival,
                    lower: Some(survival - 0.2),
                    upper: None,
                }],
            },
        };
        TableSurvival {
            input: PathBuf::from("data/wars.csv"),
            spec: TableSpec {
                time: "years".into(),
                event: "ended".into(),
                by: by.map(str::to_owned),
                scale,
            },
            curves: vec![
                curve(Group::Value("civil".into()), 0.6),
                curve(Group::Value("interstate".into()), 0.4),
            ],
            dropped,
            checkpoints: vec![1.0, 5.0, 10.0],
            step: 0.0,
        }
    }

    #[test]
    fn the_report_names_the_columns_and_gives_each_group_a_row() {
        assert_eq!(
            table(Some("kind"), 365.24, 2).report(),
            concat!(
                "data/wars.csv: time `years` × 365.24, event `ended`, by `kind`\n",
                "Kaplan–Meier with Greenwood log-log 95% bands\n",
                "2 rows without a time or an event were left out\n",
                "  kind        events  median [95% CI]  S(1) [95% CI]         S(5) [95% CI]  S(10) [95% CI]\n",
                "  civil         4/10  not reached      1.000 [1.000, 1.000]  0.600          -\n",
                "  interstate    4/10  2.5 [2.5, 2.5]   1.000 [1.000, 1.000]  0.400          -\n",
            )
        );
    }

    #[test]
    fn without_a_scale_or_dropped_rows_their_lines_are_left_out() {
        let report = table(None, 1.0, 0).report();
        assert!(
            report.starts_with(
                "data/wars.csv: time `years`, event `ended`\nKaplan–Meier with Greenwood log-log 95% bands\n  group "
            ),
            "{report}"
        );
    }
}
