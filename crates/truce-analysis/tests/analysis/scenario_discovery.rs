//! PRIM finds planted boxes.

use crate::assert_close;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use truce_analysis::prim::{Dimension, Limit, Options, Values, prim};

fn uniform(n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    (0..n).map(|_| rng.random::<f64>()).collect()
}

/// 2000 uniform points in [0, 1]³, of interest exactly when x0 ∈ [0.2, 0.6] and x1 ≥ 0.5
/// (10% of the points): PRIM restricts x0 and x1 to about those ranges and leaves x2 free.
#[test]
fn prim_finds_a_planted_box() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let n = 2000;
    let x: Vec<Vec<f64>> = (0..3).map(|_| uniform(n, &mut rng)).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| {
            let inside = (0.2..=0.6).contains(&x[0][i]) && x[1][i] >= 0.5;
            f64::from(u8::from(inside))
        })
        .collect();
    let dimensions: Vec<Dimension> = x
        .iter()
        .enumerate()
        .map(|(i, v)| Dimension {
            name: format!("x{i}"),
            values: Values::Numeric(v.clone()),
        })
        .collect();
    let p = prim(&dimensions, &y, &Options::default()).unwrap();
    let b = &p.pasted;
    assert_eq!(b.restricted, [true, true, false], "{b:?}");
    let Limit::Range { lower, upper } = b.limits[0] else {
        panic!("x0 is numeric")
    };
    assert_close(lower, 0.2, 0.03);
    assert_close(upper, 0.6, 0.03);
    let Limit::Range { lower, upper } = b.limits[1] else {
        panic!("x1 is numeric")
    };
    assert_close(lower, 0.5, 0.03);
    assert!(upper > 0.99);
    assert!(b.density > 0.95 && b.coverage > 0.9, "{b:?}");
    // The trajectory starts from the whole space and peels toward the box.
    assert_eq!(p.trajectory[0].points, n);
    assert_close(p.trajectory[0].coverage, 1.0, 1e-12);
    assert!(p.trajectory.windows(2).all(|w| w[1].points < w[0].points));
}

/// A categorical parameter: the box keeps only the category that matters.
#[test]
fn prim_restricts_a_categorical_parameter() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let n = 1500;
    let levels = ["none", "isr", "on_call"];
    let level: Vec<String> = (0..n)
        .map(|_| levels[rng.random_range(0..3)].to_owned())
        .collect();
    let troops = uniform(n, &mut rng);
    let y: Vec<f64> = (0..n)
        .map(|i| f64::from(u8::from(level[i] == "none" && troops[i] < 0.5)))
        .collect();
    let dimensions = vec![
        Dimension {
            name: "level".into(),
            values: Values::Categorical(level),
        },
        Dimension {
            name: "troops".into(),
            values: Values::Numeric(troops),
        },
    ];
    let p = prim(&dimensions, &y, &Options::default()).unwrap();
    let b = &p.pasted;
    assert_eq!(
        b.limits[0],
        Limit::Categories(["none".to_owned()].into_iter().collect())
    );
    let Limit::Range { upper, .. } = b.limits[1] else {
        panic!("troops is numeric")
    };
    assert_close(upper, 0.5, 0.03);
    assert!(b.density > 0.95, "{b:?}");
}

/// Nothing to find: a constant output is an error.
#[test]
fn prim_refuses_a_constant_output() {
    let dimensions = vec![Dimension {
        name: "x".into(),
        values: Values::Numeric(vec![0.0, 1.0, 2.0]),
    }];
    assert!(prim(&dimensions, &[1.0, 1.0, 1.0], &Options::default()).is_err());
}
