//! The sensitivity of an outcome as text: the table of indices, its warnings, and the report of
//! a design analysed with outputs computed elsewhere.

use super::design::DesignAnalysis;
use crate::indices::Sensitivity;
use crate::report::{TextTable, estimate_with_interval};

/// The sensitivity table as text.
pub fn sensitivity_text(s: &Sensitivity, of_what: &str) -> String {
    let mut text = format!("Sensitivity of {} ({of_what}):\n", s.outcome);
    text.push_str(&sensitivity_table(s).render());
    if let Some(r2) = s.rows.iter().find(|r| r.measure == "r_squared") {
        text.push_str(&format!(
            "  regression (numeric parameters on unit coordinates, enumerated ones by level): R² = {:.3} ({} points)\n",
            r2.estimate, r2.n
        ));
    }
    for k in &s.skipped {
        text.push_str(&format!("  skipped: {k}\n"));
    }
    for w in sensitivity_warnings(s) {
        text.push_str(&format!("  warning: {w}\n"));
    }
    text
}

/// The warnings of a sensitivity analysis: the whole analysis's, then each marked estimate's
/// (marked `!` in [`sensitivity_table`]).
pub fn sensitivity_warnings(s: &Sensitivity) -> Vec<String> {
    let mut out = s.warnings.clone();
    for r in &s.rows {
        if let Some(w) = &r.warning {
            let what = match (&r.parameter, &r.level) {
                (Some(p), Some(l)) => format!("{p} = {l}"),
                (Some(p), None) => format!("{} of {p}", measure_name(r.measure)),
                (None, _) => measure_name(r.measure).to_owned(),
            };
            out.push(format!("{what}: {w}"));
        }
    }
    out
}

fn measure_name(measure: &str) -> &str {
    match measure {
        "mu_star" => "μ*",
        "mu" => "μ",
        "sigma" => "σ",
        "src" => "SRC",
        "r_squared" => "R²",
        other => other,
    }
}

/// One row per parameter: Sobol' S1 and ST, Morris μ*, μ and σ, and standardised regression
/// coefficients, as the design gives them.
pub fn sensitivity_table(s: &Sensitivity) -> TextTable {
    let parameters: Vec<&str> = {
        let mut seen: Vec<&str> = Vec::new();
        for r in &s.rows {
            if let Some(p) = r.parameter.as_deref()
                && r.method != "level"
                && !seen.contains(&p)
            {
                seen.push(p);
            }
        }
        seen
    };
    let has = |m: &str| s.rows.iter().any(|r| r.method == m);
    let mut header = vec!["parameter".to_owned()];
    let mut columns: Vec<(&str, &str)> = Vec::new();
    if has("sobol") {
        columns.extend([("sobol", "S1"), ("sobol", "ST")]);
    }
    if has("morris") {
        columns.extend([("morris", "mu_star"), ("morris", "mu"), ("morris", "sigma")]);
    }
    if has("src") {
        columns.push(("src", "src"));
    }
    for (m, k) in &columns {
        header.push(match (*m, *k) {
            ("sobol", "S1") => "S1 [95% CI]".into(),
            ("sobol", "ST") => "ST [95% CI]".into(),
            ("morris", "mu_star") => "μ* [95% CI]".into(),
            ("morris", "mu") => "μ".into(),
            ("morris", "sigma") => "σ".into(),
            _ => "SRC".into(),
        });
    }
    let has_levels = has("level");
    if has_levels {
        header.push("effect against the reference level".into());
    }
    let mut right = vec![false];
    right.extend(
        columns
            .iter()
            .map(|(_, k)| matches!(*k, "mu" | "sigma" | "src")),
    );
    if has_levels {
        right.push(true);
    }
    let mut t = TextTable::new(header, right);
    for p in &parameters {
        let mut row = vec![(*p).to_owned()];
        for (m, k) in &columns {
            let cell = s
                .rows
                .iter()
                .find(|r| r.method == *m && r.measure == *k && r.parameter.as_deref() == Some(p))
                .map_or("-".into(), |r| {
                    let mark = if r.warning.is_some() { " !" } else { "" };
                    estimate_with_interval(r.estimate, r.lower, r.upper, 3) + mark
                });
            row.push(cell);
        }
        if has_levels {
            row.push("-".into());
        }
        t.push(row);
    }
    // An enumerated parameter: one row per level other than the reference, its effect on the
    // outcome (in the outcome's units) with the other parameters held fixed.
    for r in s.rows.iter().filter(|r| r.method == "level") {
        let mut row = vec![format!(
            "{} = {} (against {})",
            r.parameter.as_deref().unwrap_or_default(),
            r.level.as_deref().unwrap_or_default(),
            r.reference.as_deref().unwrap_or_default()
        )];
        row.extend(columns.iter().map(|_| "-".to_owned()));
        let mark = if r.warning.is_some() { " !" } else { "" };
        row.push(format!("{:+.3}{mark}", r.estimate));
        t.push(row);
    }
    t
}

impl DesignAnalysis {
    /// The design, then the sensitivity of its outputs and the PRIM box when there is one.
    pub fn report(&self) -> String {
        let mut text = format!(
            "{} ({} points, {} parameters)\n",
            self.design.origin,
            self.design.ids.len(),
            self.design.parameters.len()
        );
        text.push_str(&sensitivity_text(&self.sensitivity, "one value per point"));
        if let Some(p) = &self.prim {
            text.push('\n');
            text.push_str(&p.description());
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indices::IndexRow;

    fn row(
        method: &'static str,
        parameter: &str,
        measure: &'static str,
        (estimate, lower, upper): (f64, f64, f64),
    ) -> IndexRow {
        IndexRow {
            method,
            parameter: Some(parameter.to_owned()),
            measure,
            estimate,
            std_error: 0.05,
            lower,
            upper,
            n: 64,
            level: None,
            reference: None,
            warning: None,
        }
    }

    /// Sobol' indices of two parameters, one of them marked, and R² of the regression.
    fn sobol() -> Sensitivity {
        let mut wide = row("sobol", "troops", "ST", (0.3, -0.25, 1.1));
        wide.warning = Some("its 95% interval is wider than [0, 1]".into());
        let r_squared = IndexRow {
            parameter: None,
            n: 128,
            ..row("src", "", "r_squared", (0.8123, f64::NAN, f64::NAN))
        };
        Sensitivity {
            outcome: "collapsed".into(),
            rows: vec![
                row("sobol", "air_cover", "S1", (0.5, 0.41, 0.6)),
                row("sobol", "air_cover", "ST", (0.62, 0.5, 0.74)),
                row("sobol", "troops", "S1", (0.1, 0.0, 0.2)),
                wide,
                row("src", "air_cover", "src", (-0.7, -0.8, -0.6)),
                row("src", "troops", "src", (0.2, 0.1, 0.3)),
                r_squared,
            ],
            skipped: vec!["Morris: the design is not a Morris design".into()],
            warnings: vec!["only 64 base rows".into()],
        }
    }

    #[test]
    fn the_table_has_a_row_per_parameter_and_marks_warned_estimates() {
        assert_eq!(
            sensitivity_table(&sobol()).render(),
            concat!(
                "  parameter  S1 [95% CI]           ST [95% CI]                                  SRC\n",
                "  air_cover  0.500 [0.410, 0.600]  0.620 [0.500, 0.740]     -0.700 [-0.800, -0.600]\n",
                "  troops     0.100 [0.000, 0.200]  0.300 [-0.250, 1.100] !     0.200 [0.100, 0.300]\n",
            )
        );
    }

    #[test]
    fn warnings_come_whole_analysis_first_then_each_estimate_by_name() {
        let mut s = sobol();
        s.rows.push(IndexRow {
            warning: Some("few effects".into()),
            ..row("morris", "troops", "mu_star", (0.2, 0.1, 0.3))
        });
        assert_eq!(
            sensitivity_warnings(&s),
            [
                "only 64 base rows",
                "ST of troops: its 95% interval is wider than [0, 1]",
                "μ* of troops: few effects",
            ]
        );
    }

    #[test]
    fn the_text_adds_the_regression_fit_what_was_skipped_and_the_warnings() {
        let text = sensitivity_text(&sobol(), "its mean at each point");
        assert_eq!(
            text,
            concat!(
                "Sensitivity of collapsed (its mean at each point):\n",
                "  parameter  S1 [95% CI]           ST [95% CI]                                  SRC\n",
                "  air_cover  0.500 [0.410, 0.600]  0.620 [0.500, 0.740]     -0.700 [-0.800, -0.600]\n",
                "  troops     0.100 [0.000, 0.200]  0.300 [-0.250, 1.100] !     0.200 [0.100, 0.300]\n",
                "  regression (numeric parameters on unit coordinates, enumerated ones by level): R² = 0.812 (128 points)\n",
                "  skipped: Morris: the design is not a Morris design\n",
                "  warning: only 64 base rows\n",
                "  warning: ST of troops: its 95% interval is wider than [0, 1]\n",
            )
        );
    }

    #[test]
    fn levels_of_an_enumerated_parameter_are_rows_against_the_reference_level() {
        let level = |name: &str, estimate: f64| IndexRow {
            level: Some(name.to_owned()),
            reference: Some("none".to_owned()),
            ..row(
                "level",
                "air_cover.level",
                "effect",
                (estimate, f64::NAN, f64::NAN),
            )
        };
        let mut marked = level("on_call", -0.25);
        marked.warning = Some("few points at this level".into());
        let s = Sensitivity {
            outcome: "violated".into(),
            rows: vec![
                row("src", "troops", "src", (0.2, 0.1, 0.3)),
                level("standing", 0.125),
                marked,
            ],
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        assert_eq!(
            sensitivity_table(&s).render(),
            concat!(
                "  parameter                                                   SRC  effect against the reference level\n",
                "  troops                                     0.200 [0.100, 0.300]                                   -\n",
                "  air_cover.level = standing (against none)                     -                              +0.125\n",
                "  air_cover.level = on_call (against none)                      -                            -0.250 !\n",
            )
        );
        assert_eq!(
            sensitivity_warnings(&s),
            ["air_cover.level = on_call: few points at this level"]
        );
    }
}
