//! Losses at extreme logits, metrics, Hessians (Newton's method) and objective errors.

use dualgrad::data::Dataset;
use dualgrad::model::{
    BinaryCrossEntropy, LinearRegression, LogisticRegression, Loss, MeanSquaredError, Mlp1,
    ModelError, SoftmaxCrossEntropy, SoftmaxRegression, Supervised, Tanh, accuracy,
    binary_accuracy, predicted_class, r_squared,
};
use dualgrad::objective::{FullBatch, Objective};
use dualgrad::{ScalarFn, gradient};
use nalgebra::{SMatrix, SVector};

#[test]
fn losses_stay_finite_for_logits_of_800() {
    for z in [800.0, -800.0] {
        for y in [0.0, 1.0] {
            let (l, g) = gradient(|o| BinaryCrossEntropy.loss(o, &y), &SVector::from([z]));
            // softplus(z) − y z and σ(z) − y, with softplus(±800) = max(z, 0) in f64
            assert_eq!(l, f64::max(z, 0.0) - y * z);
            assert_eq!(g[0], if z > 0.0 { 1.0 } else { 0.0 } - y);
        }
    }
    let z = SVector::from([800.0, -800.0, 0.0]);
    for class in 0..3 {
        let (l, g) = gradient(|o| SoftmaxCrossEntropy.loss(o, &class), &z);
        // logsumexp = 800 (the other terms vanish in f64); gradient softmax − e_class
        assert_eq!(l, 800.0 - z[class]);
        let mut expected = SVector::from([1.0, 0.0, 0.0]);
        expected[class] -= 1.0;
        assert_eq!(g, expected);
    }
}

#[test]
fn objectives_stay_finite_for_huge_logits() {
    // logistic regression with logits ±800 on every sample
    let data = Dataset::new(
        vec![SVector::from([1.0]), SVector::from([-1.0])],
        vec![0.0, 1.0],
    )
    .unwrap();
    let obj =
        Supervised::new(LogisticRegression::<1, 2>::new(), BinaryCrossEntropy, &data).unwrap();
    let p = SVector::from([800.0, 0.0]); // logits 800 and −800, both wrong
    let (l, g) = obj.full_loss_and_gradient(&p);
    assert_eq!(l, 800.0); // mean of 800 and 800
    // mean of (σ(z) − y)·(x, 1): ((1)(1) + (−1)(−1)) / 2 = 1, (1 − 1) / 2 = 0
    assert_eq!(g, SVector::from([1.0, 0.0]));
    let (lg, gg) = obj.generic_loss_and_gradient(&p, &[0, 1]);
    assert_eq!((lg, gg), (l, g));

    let data = Dataset::new(vec![SVector::from([1.0])], vec![2usize]).unwrap();
    let obj = Supervised::new(
        SoftmaxRegression::<1, 3, 6>::new(),
        SoftmaxCrossEntropy,
        &data,
    )
    .unwrap();
    let p = SVector::from([800.0, -800.0, 0.0, 0.0, 0.0, 0.0]);
    let (l, g) = obj.full_loss_and_gradient(&p);
    assert_eq!(l, 800.0);
    assert!(g.iter().all(|v| v.is_finite()));
}

#[test]
fn mse_value_and_gradient() {
    let data = Dataset::new(
        vec![SVector::from([1.0]), SVector::from([3.0])],
        vec![1.0, 2.0],
    )
    .unwrap();
    let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data).unwrap();
    // ŷ = 2x − 1: predictions (1, 5), residuals (0, 3): MSE 9/2, gradient (2/n) Σ r (x, 1) = (9, 3)
    let (l, g) = obj.full_loss_and_gradient(&SVector::from([2.0, -1.0]));
    assert_eq!((l, g), (4.5, SVector::from([9.0, 3.0])));
}

#[test]
fn metrics_against_hand_counts() {
    assert_eq!(predicted_class(&SVector::from([1.0, 1.0, 0.0])), 0); // first of a tie
    assert_eq!(predicted_class(&SVector::from([0.0])), 1); // σ(0) = ½ counts as class 1
    let m = SoftmaxRegression::<2, 3, 9>::new();
    // logits (x₀, x₁, 0): class = argmax
    let p = SVector::from([1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let xs = vec![
        SVector::from([2.0, 1.0]),   // class 0
        SVector::from([1.0, 2.0]),   // class 1
        SVector::from([-1.0, -1.0]), // class 2
        SVector::from([3.0, 0.0]),   // class 0
    ];
    let data = Dataset::new(xs, vec![0usize, 1, 2, 1]).unwrap();
    assert_eq!(accuracy(&m, &p, &data), 0.75);

    let lr = LogisticRegression::<1, 2>::new();
    let data = Dataset::new(
        vec![
            SVector::from([1.0]),
            SVector::from([-2.0]),
            SVector::from([3.0]),
        ],
        vec![1.0, 0.0, 0.0],
    )
    .unwrap();
    assert_eq!(
        binary_accuracy(&lr, &SVector::from([1.0, 0.0]), &data),
        2.0 / 3.0
    );

    // R² = 1 − SS_res / SS_tot: y = (1, 2, 3, 4), ŷ = x = (1, 2, 3, 5): SS_res = 1, SS_tot = 5
    let data = Dataset::new(
        [1.0, 2.0, 3.0, 5.0]
            .iter()
            .map(|&x| SVector::from([x]))
            .collect(),
        vec![1.0, 2.0, 3.0, 4.0],
    )
    .unwrap();
    let r2 = r_squared(
        &LinearRegression::<1, 2>::new(),
        &SVector::from([1.0, 0.0]),
        &data,
    );
    assert!((r2 - 0.8).abs() < 1e-15);
}

#[test]
fn logistic_regression_hessian_matches_the_closed_form() {
    // H = (1/n) Σ σ(zᵢ)(1 − σ(zᵢ)) x̃ᵢ x̃ᵢᵀ + λ diag(1, 1, 0) with x̃ = (x, 1)
    let xs = [
        [0.5, -1.0],
        [1.5, 0.3],
        [-0.7, 0.8],
        [0.1, 0.1],
        [2.0, -0.4],
    ];
    let ys = [1.0, 0.0, 1.0, 1.0, 0.0];
    let data = Dataset::new(xs.iter().map(|&r| SVector::from(r)).collect(), ys.to_vec()).unwrap();
    let lambda = 0.1;
    let obj = Supervised::new(LogisticRegression::<2, 3>::new(), BinaryCrossEntropy, &data)
        .unwrap()
        .with_l2(lambda)
        .unwrap();
    let p = SVector::from([0.4, -0.3, 0.2]);
    let (_, g, h) = FullBatch::new(&obj).hessian(&p);
    let mut expected = SMatrix::<f64, 3, 3>::zeros();
    let mut expected_g = SVector::<f64, 3>::zeros();
    for (x, y) in xs.iter().zip(ys) {
        let xt = SVector::from([x[0], x[1], 1.0]);
        let s = 1.0 / (1.0 + (-(p.dot(&xt))).exp());
        expected += xt * xt.transpose() * (s * (1.0 - s)) / 5.0;
        expected_g += xt * (s - y) / 5.0;
    }
    expected[(0, 0)] += lambda;
    expected[(1, 1)] += lambda;
    expected_g += SVector::from([lambda * p[0], lambda * p[1], 0.0]);
    assert!((h - expected).amax() < 1e-15, "{h} vs {expected}");
    assert!((g - expected_g).amax() < 1e-15);
    assert!((obj.full_loss_and_gradient(&p).1 - expected_g).amax() < 1e-15);
}

#[test]
fn one_newton_step_solves_linear_least_squares() {
    let xs = [
        [1.0, 2.0],
        [2.0, -1.0],
        [0.5, 0.5],
        [3.0, 1.0],
        [-1.0, 0.0],
        [0.0, 2.5],
    ];
    let ys = [3.1, 0.9, 1.6, 4.2, -0.8, 2.4];
    let data = Dataset::new(xs.iter().map(|&r| SVector::from(r)).collect(), ys.to_vec()).unwrap();
    let obj = Supervised::new(LinearRegression::<2, 3>::new(), MeanSquaredError, &data).unwrap();
    let p0 = SVector::from([5.0, -3.0, 2.0]);
    let (_, g, h) = FullBatch::new(&obj).hessian(&p0);
    let p1 = p0 - h.lu().solve(&g).unwrap();
    // normal equations (X̃ᵀX̃) β = X̃ᵀy, solved independently
    let xt = SMatrix::<f64, 6, 3>::from_fn(|i, j| if j < 2 { xs[i][j] } else { 1.0 });
    let y = SVector::<f64, 6>::from(ys);
    let beta = (xt.transpose() * xt)
        .lu()
        .solve(&(xt.transpose() * y))
        .unwrap();
    assert!((p1 - beta).amax() < 1e-12, "{p1} vs {beta}");
    assert!(obj.full_loss_and_gradient(&p1).1.amax() < 1e-12);
}

#[test]
fn bad_targets_and_hyperparameters_are_errors() {
    let empty = Dataset::<1, f64>::new(vec![], vec![]).unwrap();
    let e = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &empty).err();
    assert_eq!(e, Some(ModelError::EmptyData));

    let data = Dataset::new(vec![SVector::from([1.0]); 3], vec![0.0, 1.0, 1.5]).unwrap();
    let e = Supervised::new(LogisticRegression::<1, 2>::new(), BinaryCrossEntropy, &data).err();
    assert_eq!(
        e.unwrap().to_string(),
        "sample 2: target 1.5 is outside [0, 1]"
    );

    let data = Dataset::new(vec![SVector::from([1.0]); 2], vec![0usize, 7]).unwrap();
    let e = Supervised::new(Mlp1::<Tanh, 1, 2, 3, 13>::new(), SoftmaxCrossEntropy, &data).err();
    assert_eq!(
        e.unwrap().to_string(),
        "sample 1: class 7 out of range for 3 outputs"
    );

    let data = Dataset::new(vec![SVector::from([1.0])], vec![0.0]).unwrap();
    let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data).unwrap();
    let e = obj.with_l2(f64::NAN).err().unwrap();
    assert!(e.to_string().contains("NaN"), "{e}");
}

#[test]
fn empty_batch_gives_the_penalty_alone() {
    let data = Dataset::new(vec![SVector::from([1.0])], vec![0.0]).unwrap();
    let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)
        .unwrap()
        .with_l2(1.0)
        .unwrap();
    // (1/2)·2² = 2, gradient (2, 0)
    assert_eq!(
        obj.loss_and_gradient(&SVector::from([2.0, 5.0]), &[]),
        (2.0, SVector::from([2.0, 0.0]))
    );
}
