//! Saving and loading parameters as JSON (feature `serde`): bit-identical round trips, shape
//! checks on load.

use dualgrad::model::{
    LogisticRegression, Mlp1, Mlp2, Model, ModelError, Relu, Tanh, load_json, save_json,
};
use nalgebra::SVector;
use quickcheck::{QuickCheck, TestResult};

#[test]
fn trained_parameters_round_trip_bit_for_bit() {
    let net = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let mut p = net.init(11);
    // awkward values: subnormal, negative zero, extremes, many digits
    p[0] = f64::MIN_POSITIVE / 3.0;
    p[1] = -0.0;
    p[2] = f64::MAX;
    p[3] = -f64::MIN_POSITIVE;
    p[4] = 0.1 + 0.2;
    let json = save_json(&net, &p).unwrap();
    let q = load_json(&net, &json).unwrap();
    for i in 0..67 {
        assert_eq!(p[i].to_bits(), q[i].to_bits(), "{}", net.param_name(i));
    }
}

#[test]
fn random_values_round_trip() {
    fn prop(vals: Vec<f64>) -> TestResult {
        if vals.len() < 3 || vals.iter().take(3).any(|v| !v.is_finite()) {
            return TestResult::discard();
        }
        let m = LogisticRegression::<2, 3>::new();
        let p = SVector::from([vals[0], vals[1], vals[2]]);
        let q = load_json(&m, &save_json(&m, &p).unwrap()).unwrap();
        TestResult::from_bool(
            p.iter()
                .zip(q.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits()),
        )
    }
    QuickCheck::new()
        .tests(300)
        .quickcheck(prop as fn(Vec<f64>) -> TestResult);
}

#[test]
fn a_shape_mismatch_names_both_shapes() {
    let small = Mlp1::<Tanh, 4, 5, 3, 43>::new();
    let json = save_json(&small, &small.init(1)).unwrap();
    let big = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let e = load_json(&big, &json).unwrap_err();
    assert_eq!(
        e,
        ModelError::Shape {
            expected: "network-tanh [4, 8, 3] (67 parameters)".into(),
            found: "network-tanh [4, 5, 3] (43 parameters)".into(),
        }
    );
    // another activation is another model
    let relu = Mlp1::<Relu, 4, 5, 3, 43>::new();
    let e = load_json(&relu, &json).unwrap_err().to_string();
    assert!(
        e.contains("network-relu") && e.contains("network-tanh"),
        "{e}"
    );
    // another depth
    let deep = Mlp2::<Tanh, 4, 5, 5, 3, 73>::new();
    assert!(matches!(
        load_json(&deep, &json),
        Err(ModelError::Shape { .. })
    ));
}

#[test]
fn bad_files_are_errors() {
    let m = LogisticRegression::<2, 3>::new();
    assert!(matches!(
        load_json(&m, "not json"),
        Err(ModelError::Json { .. })
    ));
    // hand-edited: one parameter too few
    let edited =
        r#"{"model": "logistic-regression", "layer_sizes": [2, 1], "parameters": [1.0, 2.0]}"#;
    let e = load_json(&m, edited).unwrap_err().to_string();
    assert!(
        e.contains("(2 parameters)") && e.contains("(3 parameters)"),
        "{e}"
    );
    let p = SVector::from([1.0, f64::NAN, 0.0]);
    let e = save_json(&m, &p).unwrap_err();
    assert!(
        matches!(&e, ModelError::NonFiniteParameter { name, value } if name == "W[0,1]" && value.is_nan())
    );
    assert!(e.to_string().starts_with("parameter W[0,1] = NaN"), "{e}");
}
