//! Bad inputs to models, metrics and saved files (issue 12): each case asserts the specific
//! error variant or the documented result.

use dualgrad::Scalar;
use dualgrad::data::Dataset;
use dualgrad::model::{
    BinaryCrossEntropy, L2Penalty, LinearRegression, LogisticRegression, MeanSquaredError, Model,
    ModelError, NO_CLASS, SoftmaxCrossEntropy, SoftmaxRegression, Supervised, accuracy,
    binary_accuracy, predicted_class, r_squared,
};
use nalgebra::SVector;
use rand::Rng;

/// y = a·x + c.
struct Line;
impl Model<1, 1, 2> for Line {
    type Params<T: Scalar> = SVector<T, 2>;
    fn forward<T: Scalar>(&self, p: &SVector<T, 2>, x: &SVector<f64, 1>) -> SVector<T, 1> {
        SVector::from([p[0] * x[0] + p[1]])
    }
    fn init_with<G: Rng + ?Sized>(&self, _rng: &mut G) -> SVector<f64, 2> {
        SVector::zeros()
    }
}

/// y = a·x² + c: the same shape as `Line` (1 input, 1 output, 2 parameters), another model.
struct Parabola;
impl Model<1, 1, 2> for Parabola {
    type Params<T: Scalar> = SVector<T, 2>;
    fn forward<T: Scalar>(&self, p: &SVector<T, 2>, x: &SVector<f64, 1>) -> SVector<T, 1> {
        SVector::from([p[0] * (x[0] * x[0]) + p[1]])
    }
    fn init_with<G: Rng + ?Sized>(&self, _rng: &mut G) -> SVector<f64, 2> {
        SVector::zeros()
    }
}

#[test]
fn default_names_tell_user_models_apart() {
    assert_ne!(Line.name(), Parabola.name());
    assert!(Line.name().ends_with("Line"), "{}", Line.name());
    assert!(Parabola.name().ends_with("Parabola"), "{}", Parabola.name());
}

#[cfg(feature = "serde")]
#[test]
fn user_models_with_default_names_do_not_load_each_other() {
    let json = dualgrad::model::save_json(&Line, &SVector::from([2.0, 1.0])).unwrap();
    assert!(matches!(
        dualgrad::model::load_json(&Parabola, &json),
        Err(ModelError::Shape { .. })
    ));
    assert_eq!(
        dualgrad::model::load_json(&Line, &json).unwrap(),
        SVector::from([2.0, 1.0])
    );
}

#[cfg(feature = "serde")]
#[test]
fn saving_a_non_finite_parameter_names_it() {
    let e = dualgrad::model::save_json(&Line, &SVector::from([f64::NAN, 1.0])).unwrap_err();
    assert!(matches!(e, ModelError::NonFiniteParameter { value, .. } if value.is_nan()));
}

#[test]
fn predicted_class_of_nan_logits_is_no_class() {
    assert_eq!(predicted_class(&SVector::from([f64::NAN])), NO_CLASS);
    assert_eq!(
        predicted_class(&SVector::from([f64::NAN, 1.0, 2.0])),
        NO_CLASS
    );
    assert_eq!(
        predicted_class(&SVector::from([0.0, 1.0, f64::NAN])),
        NO_CLASS
    );
}

#[test]
fn predicted_class_ties_and_infinities() {
    assert_eq!(predicted_class(&SVector::from([1.0, 1.0, 0.0])), 0); // the first on a tie
    assert_eq!(predicted_class(&SVector::from([0.0])), 1); // logit 0: probability ½ → class 1
    assert_eq!(predicted_class(&SVector::from([-0.0])), 1); // −0.0 ≥ 0 as well
    assert_eq!(predicted_class(&SVector::from([0.0, f64::INFINITY])), 1);
    assert_eq!(predicted_class(&SVector::from([f64::NEG_INFINITY; 3])), 0);
    assert_eq!(predicted_class(&SVector::from([f64::NEG_INFINITY])), 0);
}

#[test]
fn accuracy_counts_nan_outputs_as_wrong() {
    let m = SoftmaxRegression::<1, 2, 4>::new();
    let data = Dataset::new(
        vec![SVector::from([1.0]), SVector::from([2.0])],
        vec![0usize, 0],
    )
    .unwrap();
    // NaN weights: every output NaN; the old behaviour predicted class 0 for both (accuracy 1)
    let p = SVector::from([f64::NAN, 0.0, 0.0, 0.0]);
    assert_eq!(accuracy(&m, &p, &data), 0.0);
}

#[test]
fn binary_accuracy_counts_nan_logits_as_wrong() {
    let m = LogisticRegression::<1, 2>::new();
    let data = Dataset::new(
        vec![SVector::from([1.0]), SVector::from([-1.0])],
        vec![0.0, 0.0],
    )
    .unwrap();
    let p = SVector::from([f64::NAN, 0.0]);
    // class 0 targets: a NaN logit compared as "not ≥ 0" used to count as right
    assert_eq!(binary_accuracy(&m, &p, &data), 0.0);
}

#[test]
fn metrics_on_empty_data_are_nan() {
    let m = LinearRegression::<1, 2>::new();
    let empty = Dataset::<1, f64>::new(vec![], vec![]).unwrap();
    assert!(r_squared(&m, &SVector::zeros(), &empty).is_nan());
    let c = Dataset::<1, usize>::new(vec![], vec![]).unwrap();
    assert!(accuracy(&SoftmaxRegression::<1, 2, 4>::new(), &SVector::zeros(), &c).is_nan());
}

#[test]
fn r_squared_of_constant_targets_is_nan() {
    let m = LinearRegression::<1, 2>::new();
    let d = Dataset::new(
        vec![SVector::from([1.0]), SVector::from([2.0])],
        vec![3.0, 3.0],
    )
    .unwrap();
    assert!(r_squared(&m, &SVector::from([0.0, 3.0]), &d).is_nan());
}

#[test]
fn objectives_reject_targets_the_loss_cannot_take() {
    let x = vec![SVector::from([1.0]); 3];
    let d = Dataset::new(x.clone(), vec![0.0, f64::NAN, 1.0]).unwrap();
    let e = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &d)
        .err()
        .unwrap();
    assert!(matches!(e, ModelError::Target { index: 1, .. }), "{e}");
    let d = Dataset::new(x.clone(), vec![0.0, 1.5, 1.0]).unwrap();
    let e = Supervised::new(LogisticRegression::<1, 2>::new(), BinaryCrossEntropy, &d)
        .err()
        .unwrap();
    assert_eq!(e.to_string(), "sample 1: target 1.5 is outside [0, 1]");
    let d = Dataset::new(x, vec![0usize, 1, 2]).unwrap();
    let e = Supervised::new(SoftmaxRegression::<1, 2, 4>::new(), SoftmaxCrossEntropy, &d)
        .err()
        .unwrap();
    assert_eq!(
        e.to_string(),
        "sample 2: class 2 out of range for 2 outputs"
    );
    let empty = Dataset::<1, f64>::new(vec![], vec![]).unwrap();
    let e = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &empty)
        .err()
        .unwrap();
    assert_eq!(e, ModelError::EmptyData);
}

#[test]
fn penalties_must_be_finite_and_non_negative() {
    let d = Dataset::new(vec![SVector::from([1.0])], vec![1.0]).unwrap();
    for lambda in [-1.0, f64::NAN, f64::INFINITY] {
        let o = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &d).unwrap();
        let e = o.with_l2(lambda).err().unwrap();
        assert!(matches!(e, ModelError::Penalty { lambda: l } if l.to_bits() == lambda.to_bits()));
    }
    for lambda in [-0.5, f64::NAN] {
        assert!(matches!(
            L2Penalty::new(lambda),
            Err(ModelError::Penalty { .. })
        ));
    }
}
