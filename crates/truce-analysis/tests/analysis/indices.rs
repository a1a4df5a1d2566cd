//! Sensitivity indices against analytic values: Sobol' indices of the Ishigami function, Morris
//! measures of functions with a known ranking, regression coefficients of a linear function.

use crate::{assert_close, design_frame, design_of, unit_parameters, write_csv};
use polars::prelude::*;
use std::collections::HashMap;
use std::f64::consts::PI;
use truce_analysis::design::Design;
use truce_analysis::indices::{IndexOptions, sensitivity};
use truce_analysis::sensitivity::src;
use truce_sim::design::{Design as Plan, Parameter, Point, Space, expand};

fn values(p: &Point) -> Vec<f64> {
    p.values.iter().map(|v| v.as_float().unwrap()).collect()
}

/// Outputs keyed by point id, then put in the design's row order by id.
fn outputs(points: &[Point], design: &Design, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    let by_id: HashMap<u64, f64> = points.iter().map(|p| (p.id, f(&values(p)))).collect();
    design.outputs_by_row(&by_id, "test outputs").unwrap()
}

fn ishigami(x: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

/// Ishigami and Homma (1990) with a = 7, b = 0.1 on [−π, π]³. Analytic indices (Sobol' and
/// Levitan 1999; Saltelli et al. 2008, section 4.2): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 13.8446,
/// S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
#[test]
fn sobol_indices_of_the_ishigami_function() {
    let parameters: Vec<Parameter> = (0..3)
        .map(|i| Parameter::new(format!("x{i}"), Space::Continuous { min: -PI, max: PI }))
        .collect();
    let plan = Plan::Saltelli {
        base: 4096,
        second_order: false,
    };
    let points = expand(&plan, &parameters, 1).unwrap();
    let design = design_of(&parameters, &points);
    assert!(design.is_saltelli() && !design.is_morris());
    let y = outputs(&points, &design, ishigami);
    let options = IndexOptions {
        bootstrap: 500,
        ..IndexOptions::default()
    };
    let s = sensitivity(&design, &y, "ishigami", &options).unwrap();
    let first = s.measure("sobol", "S1");
    let total = s.measure("sobol", "ST");
    for (row, truth) in first.iter().zip([0.3139, 0.4424, 0.0]) {
        assert!(row.std_error > 0.0 && row.std_error < 0.05, "{row:?}");
        assert_close(row.estimate, truth, 4.0 * row.std_error);
        assert!(row.lower <= row.estimate && row.estimate <= row.upper);
        assert_eq!(row.n, 4096);
    }
    for (row, truth) in total.iter().zip([0.5576, 0.4424, 0.2437]) {
        assert!(row.std_error > 0.0 && row.std_error < 0.05, "{row:?}");
        assert_close(row.estimate, truth, 4.0 * row.std_error);
    }

    // Rows in another order, matched by id: the same indices.
    let reversed =
        Design::from_frame(design_frame(&parameters, &points).reverse(), "reversed").unwrap();
    let y_reversed = outputs(&points, &reversed, ishigami);
    let again = sensitivity(&reversed, &y_reversed, "ishigami", &options).unwrap();
    assert_eq!(again.measure("sobol", "S1"), first);
    assert_eq!(again.measure("sobol", "ST"), total);
    for (a, b) in again
        .measure("src", "src")
        .iter()
        .zip(s.measure("src", "src"))
    {
        assert_close(a.estimate, b.estimate, 1e-12);
    }
}

/// Morris measures of 5 x0 + 2 x1 + 0.1 x2 (x3 inert): every elementary effect of x_i is its
/// coefficient, so μ* = μ = (5, 2, 0.1, 0) and σ = 0.
#[test]
fn morris_measures_of_a_linear_function_are_its_coefficients() {
    let parameters = unit_parameters(4);
    let plan = Plan::Morris {
        trajectories: 20,
        levels: 4,
    };
    let points = expand(&plan, &parameters, 7).unwrap();
    let design = design_of(&parameters, &points);
    assert!(design.is_morris() && !design.is_saltelli());
    let y = outputs(&points, &design, |x| 5.0 * x[0] + 2.0 * x[1] + 0.1 * x[2]);
    let s = sensitivity(&design, &y, "y", &IndexOptions::default()).unwrap();
    let mu_star = s.measure("morris", "mu_star");
    let mu = s.measure("morris", "mu");
    let sigma = s.measure("morris", "sigma");
    for (i, c) in [5.0, 2.0, 0.1, 0.0].into_iter().enumerate() {
        assert_close(mu_star[i].estimate, c, 1e-9);
        assert_close(mu[i].estimate, c, 1e-9);
        assert_close(sigma[i].estimate, 0.0, 1e-9);
        assert_eq!(mu_star[i].n, 20, "one effect per trajectory");
    }
}

/// Morris on 10 x0² + 3 x1 + x2 x3: μ* ranks x0 first, then x1, then x2 and x3; x0's and the
/// interacting parameters' effects vary (σ > 0), x1's do not.
#[test]
fn morris_ranks_a_non_linear_function() {
    let parameters = unit_parameters(4);
    let plan = Plan::Morris {
        trajectories: 30,
        levels: 4,
    };
    let points = expand(&plan, &parameters, 11).unwrap();
    let design = design_of(&parameters, &points);
    let y = outputs(&points, &design, |x| {
        10.0 * x[0] * x[0] + 3.0 * x[1] + x[2] * x[3]
    });
    let s = sensitivity(&design, &y, "y", &IndexOptions::default()).unwrap();
    let mu_star: Vec<f64> = s
        .measure("morris", "mu_star")
        .iter()
        .map(|r| r.estimate)
        .collect();
    let sigma: Vec<f64> = s
        .measure("morris", "sigma")
        .iter()
        .map(|r| r.estimate)
        .collect();
    assert!(mu_star[0] > mu_star[1], "{mu_star:?}");
    assert!(mu_star[1] > mu_star[2].max(mu_star[3]), "{mu_star:?}");
    assert_close(mu_star[1], 3.0, 1e-9);
    assert!(
        sigma[0] > 1.0 && sigma[2] > 0.0 && sigma[3] > 0.0,
        "{sigma:?}"
    );
    assert_close(sigma[1], 0.0, 1e-9);
}

/// y = 3 x0 − 2 x1 + 0 x2 on a random sample: least squares recovers the coefficients exactly,
/// so SRC_i = β_i sd(x_i) / sd(y) and R² = 1.
#[test]
fn regression_coefficients_of_a_linear_function() {
    let parameters = unit_parameters(3);
    let points = expand(&Plan::Random { samples: 500 }, &parameters, 3).unwrap();
    let design = design_of(&parameters, &points);
    let f = |x: &[f64]| 3.0 * x[0] - 2.0 * x[1] + 1.0;
    let y = outputs(&points, &design, f);
    let s = sensitivity(&design, &y, "y", &IndexOptions::default()).unwrap();
    assert!(s.measure("sobol", "S1").is_empty() && s.measure("morris", "mu").is_empty());
    let sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    };
    let units = design.units.as_ref().unwrap();
    let src_rows = s.measure("src", "src");
    for (i, beta) in [3.0, -2.0, 0.0].into_iter().enumerate() {
        assert_close(src_rows[i].estimate, beta * sd(&units[i]) / sd(&y), 1e-9);
    }
    let r2 = s.measure("src", "r_squared");
    assert_close(r2[0].estimate, 1.0, 1e-9);
    assert!(src_rows[0].estimate > 0.7 && src_rows[1].estimate < -0.45);

    // Directly: a noisy linear model ranks by |SRC|.
    let x0: Vec<f64> = units[0].clone();
    let x1: Vec<f64> = units[1].clone();
    let noisy: Vec<f64> = y
        .iter()
        .enumerate()
        .map(|(i, v)| v + 0.05 * ((i * 7919 % 101) as f64 / 101.0 - 0.5))
        .collect();
    let r = src(&[x0, x1], &noisy).unwrap();
    assert!(r.r_squared > 0.99 && r.r_squared < 1.0);
}

/// An output with the same value everywhere has no indices: a clear error, not NaNs.
#[test]
fn an_output_without_variance_is_refused() {
    let parameters = unit_parameters(2);
    let points = expand(
        &Plan::Saltelli {
            base: 8,
            second_order: false,
        },
        &parameters,
        1,
    )
    .unwrap();
    let design = design_of(&parameters, &points);
    let y = vec![0.25; points.len()];
    let err = sensitivity(&design, &y, "collapsed", &IndexOptions::default()).unwrap_err();
    assert!(err.is_input());
    assert!(err.to_string().contains("no variance"), "{err}");
}

/// A design and outputs that do not match by id: the missing and the extra ids are named.
#[test]
fn outputs_that_do_not_match_the_design_name_the_ids() {
    let dir = tempfile::tempdir().unwrap();
    let parameters = unit_parameters(2);
    let points = expand(
        &Plan::Saltelli {
            base: 4,
            second_order: false,
        },
        &parameters,
        1,
    )
    .unwrap();
    let design_path = dir.path().join("design.csv");
    write_csv(&design_path, &mut design_frame(&parameters, &points));
    let outputs_path = dir.path().join("outputs.csv");
    // Points 3 and 7 lack an output.
    let ids: Vec<u64> = (0..points.len() as u64)
        .filter(|&i| i != 3 && i != 7)
        .collect();
    let y: Vec<f64> = ids.iter().map(|&i| i as f64).collect();
    write_csv(&outputs_path, &mut df!("point" => &ids, "y" => &y).unwrap());
    let options = IndexOptions::default();
    let err = truce_analysis::analyze_design(&design_path, &outputs_path, "y", None, &options)
        .unwrap_err();
    assert!(err.is_input());
    assert!(err.to_string().contains("points 3, 7"), "{err}");

    // An id the design does not have.
    let ids: Vec<u64> = (0..points.len() as u64 + 1).collect();
    let y: Vec<f64> = ids.iter().map(|&i| i as f64).collect();
    write_csv(&outputs_path, &mut df!("point" => &ids, "y" => &y).unwrap());
    let err = truce_analysis::analyze_design(&design_path, &outputs_path, "y", None, &options)
        .unwrap_err();
    assert!(err.to_string().contains("does not list: 16"), "{err}");

    // An unknown output column lists the columns.
    let err = truce_analysis::analyze_design(&design_path, &outputs_path, "z", None, &options)
        .unwrap_err();
    assert!(err.to_string().contains("no column `z`"), "{err}");

    // And a good one runs from files.
    let y: Vec<f64> = points.iter().map(|p| p.unit[0] * 2.0 + p.unit[1]).collect();
    let ids: Vec<u64> = points.iter().map(|p| p.id).collect();
    write_csv(&outputs_path, &mut df!("point" => &ids, "y" => &y).unwrap());
    let a =
        truce_analysis::analyze_design(&design_path, &outputs_path, "y", None, &options).unwrap();
    assert_eq!(a.sensitivity.measure("sobol", "S1").len(), 2);
}
