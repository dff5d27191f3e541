//! For every model and loss: the exact gradient (the fast pre-activation path and the generic
//! path) agrees with a hand-written backward pass (`model_support.rs`) and with central finite
//! differences, at random parameters.
//!
//! The crate's gradient checker is being written in parallel; until it merges, these tests
//! compare component-wise with the tolerance helper `assert_close`.

use crate::model_support;

use dualgrad::ScalarFn;
use dualgrad::data::{CsvLoader, Dataset, Standardizer};
use dualgrad::model::{
    BinaryCrossEntropy, Dense, LinearRegression, LogisticRegression, Loss, MeanSquaredError, Mlp1,
    Mlp2, Model, Relu, Sigmoid, SoftmaxCrossEntropy, SoftmaxRegression, Supervised, Tanh,
};
use dualgrad::objective::{FullBatch, Objective};
use model_support::{Act, LossKind, Net, assert_close, finite_diff, uniform};
use nalgebra::SVector;
use quickcheck::{QuickCheck, TestResult};

/// Features uniform in [−2, 2].
fn features<const I: usize>(n: usize, seed: u64) -> Vec<SVector<f64, I>> {
    let u = uniform(seed, n * I, -2.0, 2.0);
    (0..n)
        .map(|k| SVector::from_fn(|i, _| u[k * I + i]))
        .collect()
}

/// Which comparisons to run.
struct Case {
    net: Net,
    loss: LossKind,
    lambda: f64,
    param_seed: u64,
    param_scale: f64,
}

/// The whole comparison for one model, loss and data set; returns the largest relative
/// difference between the fast and the generic paths.
fn check<M, L, Y, const I: usize, const O: usize, const P: usize>(
    model: M,
    loss: L,
    data: &Dataset<I, Y>,
    ys: &[f64],
    case: &Case,
) -> f64
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
    Y: Sync + Clone,
{
    assert_eq!(case.net.len(), P, "the test network has the wrong size");
    let obj = Supervised::new(model, loss, data)
        .unwrap()
        .with_l2(case.lambda)
        .unwrap();
    let names: Vec<String> = (0..P).map(|i| obj.model().param_name(i)).collect();
    let p = SVector::<f64, P>::from_vec(uniform(
        case.param_seed,
        P,
        -case.param_scale,
        case.param_scale,
    ));
    let ps = p.as_slice();
    let xs: Vec<Vec<f64>> = data
        .features()
        .iter()
        .map(|x| x.as_slice().to_vec())
        .collect();

    let (v_fast, g_fast) = obj.full_loss_and_gradient(&p);
    let (v_gen, g_gen) = obj.generic_loss_and_gradient(&p, obj.all_indices());
    let full = FullBatch::new(&obj);
    let (v_fn, g_fn) = full.gradient(&p); // ScalarFn over the whole data set
    let (v_hand, g_hand) = case.net.backprop(ps, &xs, ys, case.loss, case.lambda);
    let g_fd = finite_diff(|q| full.value(&SVector::<f64, P>::from_column_slice(q)), ps);

    // values
    for (what, v) in [("generic", v_gen), ("ScalarFn", v_fn), ("hand", v_hand)] {
        assert!(
            (v_fast - v).abs() <= 1e-13 * v_fast.abs().max(1.0),
            "value fast {v_fast} vs {what} {v}"
        );
    }
    // fast vs generic paths: the same derivatives, summed in different orders
    let scale = g_fast.amax().max(1e-300);
    let rel = (g_fast - g_gen).amax() / scale;
    assert!(
        rel <= 1e-14 * 8.0,
        "fast vs generic: relative difference {rel:e}"
    );
    assert_close(
        "fast vs ScalarFn",
        g_fast.as_slice(),
        g_fn.as_slice(),
        1e-13,
        1e-14 * scale,
        &names,
    );
    // against the hand-written backward pass and finite differences
    assert_close(
        "fast vs hand backprop",
        g_fast.as_slice(),
        &g_hand,
        1e-12,
        1e-13 * scale,
        &names,
    );
    assert_close(
        "fast vs finite differences",
        g_fast.as_slice(),
        &g_fd,
        1e-6,
        1e-7 * scale.max(1.0),
        &names,
    );
    // the Objective on a mini-batch equals the hand backward pass on that subset
    let batch = [2usize, 0, 3];
    let (vb, gb) = obj.loss_and_gradient(&p, &batch);
    let bx: Vec<Vec<f64>> = batch.iter().map(|&i| xs[i].clone()).collect();
    let by: Vec<f64> = batch.iter().map(|&i| ys[i]).collect();
    let (vh, gh) = case.net.backprop(ps, &bx, &by, case.loss, case.lambda);
    assert!((vb - vh).abs() <= 1e-13 * vh.abs().max(1.0));
    assert_close(
        "mini-batch vs hand",
        gb.as_slice(),
        &gh,
        1e-12,
        1e-13 * scale,
        &names,
    );
    rel
}

fn net(sizes: &[usize], acts: &[Act]) -> Net {
    Net {
        sizes: sizes.to_vec(),
        acts: acts.to_vec(),
    }
}

fn case(net: Net, loss: LossKind, lambda: f64, param_seed: u64) -> Case {
    Case {
        net,
        loss,
        lambda,
        param_seed,
        param_scale: 1.0,
    }
}

#[test]
fn linear_regression_mse() {
    let xs = features::<3>(9, 1);
    let ys = uniform(2, 9, -3.0, 3.0);
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let c = case(net(&[3, 1], &[Act::Identity]), LossKind::Mse, 0.1, 3);
    check(
        LinearRegression::<3, 4>::new(),
        MeanSquaredError,
        &data,
        &ys,
        &c,
    );
}

#[test]
fn logistic_regression_bce() {
    let xs = features::<3>(9, 4);
    // hard 0/1 labels and soft targets
    let ys: Vec<f64> = uniform(5, 9, 0.0, 1.0)
        .iter()
        .enumerate()
        .map(|(k, &u)| if k % 3 == 0 { u } else { u.round() })
        .collect();
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let c = case(net(&[3, 1], &[Act::Identity]), LossKind::Bce, 0.0, 6);
    check(
        LogisticRegression::<3, 4>::new(),
        BinaryCrossEntropy,
        &data,
        &ys,
        &c,
    );
}

#[test]
fn softmax_regression_sce() {
    let xs = features::<3>(10, 7);
    let classes: Vec<usize> = (0..10).map(|k| (k * 7) % 4).collect();
    let ys: Vec<f64> = classes.iter().map(|&c| c as f64).collect();
    let data = Dataset::new(xs, classes).unwrap();
    let c = case(net(&[3, 4], &[Act::Identity]), LossKind::Sce, 0.05, 8);
    check(
        SoftmaxRegression::<3, 4, 16>::new(),
        SoftmaxCrossEntropy,
        &data,
        &ys,
        &c,
    );
}

#[test]
fn dense_layers_with_each_activation() {
    let xs = features::<3>(8, 9);
    let ys = uniform(10, 8, -1.0, 1.0);
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let c = case(net(&[3, 1], &[Act::Sigmoid]), LossKind::Mse, 0.0, 11);
    check(
        Dense::<Sigmoid, 3, 1, 4>::new(),
        MeanSquaredError,
        &data,
        &ys,
        &c,
    );
    let c = case(net(&[3, 1], &[Act::Tanh]), LossKind::Mse, 0.2, 12);
    check(
        Dense::<Tanh, 3, 1, 4>::new(),
        MeanSquaredError,
        &data,
        &ys,
        &c,
    );
    let c = case(net(&[3, 1], &[Act::Relu]), LossKind::Mse, 0.0, 13);
    check(
        Dense::<Relu, 3, 1, 4>::new(),
        MeanSquaredError,
        &data,
        &ys,
        &c,
    );
    // a dense layer with a tanh output under softmax cross-entropy
    let classes: Vec<usize> = (0..8).map(|k| k % 2).collect();
    let yc: Vec<f64> = classes.iter().map(|&c| c as f64).collect();
    let data = Dataset::new(features::<3>(8, 14), classes).unwrap();
    let c = case(net(&[3, 2], &[Act::Tanh]), LossKind::Sce, 0.0, 15);
    check(
        Dense::<Tanh, 3, 2, 8>::new(),
        SoftmaxCrossEntropy,
        &data,
        &yc,
        &c,
    );
}

#[test]
fn xor_mlp_sigmoid_bce() {
    let xs: Vec<SVector<f64, 2>> = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
        .iter()
        .map(|&r| SVector::from(r))
        .collect();
    let ys = vec![0.0, 1.0, 1.0, 0.0];
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let c = case(
        net(&[2, 3, 1], &[Act::Sigmoid, Act::Identity]),
        LossKind::Bce,
        0.0,
        16,
    );
    check(
        Mlp1::<Sigmoid, 2, 3, 1, 13>::new(),
        BinaryCrossEntropy,
        &data,
        &ys,
        &c,
    );
    let c = case(
        net(&[2, 3, 1], &[Act::Tanh, Act::Identity]),
        LossKind::Bce,
        0.01,
        17,
    );
    check(
        Mlp1::<Tanh, 2, 3, 1, 13>::new(),
        BinaryCrossEntropy,
        &data,
        &ys,
        &c,
    );
}

#[test]
fn relu_mlp_mse_with_penalty() {
    let xs = features::<3>(12, 18);
    let ys = uniform(19, 12, -2.0, 2.0);
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let c = case(
        net(&[3, 5, 1], &[Act::Relu, Act::Identity]),
        LossKind::Mse,
        0.3,
        20,
    );
    check(
        Mlp1::<Relu, 3, 5, 1, 26>::new(),
        MeanSquaredError,
        &data,
        &ys,
        &c,
    );
}

#[test]
fn iris_mlp_tanh_sce() {
    let (iris, _) = CsvLoader::new(
        ["sepal_length", "sepal_width", "petal_length", "petal_width"],
        "species",
    )
    .classes_from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv"))
    .unwrap();
    let iris = Standardizer::fit(&iris).unwrap().transform(&iris).unwrap();
    let ys: Vec<f64> = iris.targets().iter().map(|&c| c as f64).collect();
    let c = case(
        net(&[4, 8, 3], &[Act::Tanh, Act::Identity]),
        LossKind::Sce,
        1e-3,
        21,
    );
    check(
        Mlp1::<Tanh, 4, 8, 3, 67>::new(),
        SoftmaxCrossEntropy,
        &iris,
        &ys,
        &c,
    );
}

#[test]
fn two_hidden_layer_mlps() {
    let xs = features::<3>(10, 22);
    let classes: Vec<usize> = (0..10).map(|k| (k * 3) % 2).collect();
    let yc: Vec<f64> = classes.iter().map(|&c| c as f64).collect();
    let data = Dataset::new(xs, classes).unwrap();
    let acts = [Act::Tanh, Act::Tanh, Act::Identity];
    let c = case(net(&[3, 4, 3, 2], &acts), LossKind::Sce, 0.0, 23);
    check(
        Mlp2::<Tanh, 3, 4, 3, 2, 39>::new(),
        SoftmaxCrossEntropy,
        &data,
        &yc,
        &c,
    );

    let xs = features::<2>(10, 24);
    let ys: Vec<f64> = uniform(25, 10, 0.0, 1.0)
        .iter()
        .map(|u| u.round())
        .collect();
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let acts = [Act::Relu, Act::Relu, Act::Identity];
    let c = case(net(&[2, 4, 4, 1], &acts), LossKind::Bce, 0.05, 26);
    check(
        Mlp2::<Relu, 2, 4, 4, 1, 37>::new(),
        BinaryCrossEntropy,
        &data,
        &ys,
        &c,
    );

    let acts = [Act::Sigmoid, Act::Sigmoid, Act::Identity];
    let c = case(net(&[2, 4, 4, 1], &acts), LossKind::Mse, 0.0, 27);
    check(
        Mlp2::<Sigmoid, 2, 4, 4, 1, 37>::new(),
        MeanSquaredError,
        &data,
        &ys,
        &c,
    );
}

/// Above `GENERIC_SINGLE_PASS_MAX` parameters the generic path works in chunks: check it too.
#[test]
fn large_mlp_takes_the_chunked_generic_path() {
    const { assert!(139 > dualgrad::diff::size::GRADIENT_ONE_PASS_MAX) };
    let xs = features::<4>(5, 28);
    let classes: Vec<usize> = (0..5).map(|k| k % 3).collect();
    let yc: Vec<f64> = classes.iter().map(|&c| c as f64).collect();
    let data = Dataset::new(xs, classes).unwrap();
    let acts = [Act::Tanh, Act::Tanh, Act::Identity];
    let c = case(net(&[4, 8, 8, 3], &acts), LossKind::Sce, 0.01, 29);
    check(
        Mlp2::<Tanh, 4, 8, 8, 3, 139>::new(),
        SoftmaxCrossEntropy,
        &data,
        &yc,
        &c,
    );
}

/// Property: at random parameters (scale up to 3) and random data, the fast gradient of a
/// tanh MLP under softmax cross-entropy matches the hand-written backward pass.
#[test]
fn random_mlps_match_backprop() {
    fn prop(seed: u64, scale: u8) -> TestResult {
        let scale = 0.1 + f64::from(scale % 30) / 10.0;
        let xs = features::<3>(6, seed);
        let classes: Vec<usize> = uniform(seed ^ 1, 6, 0.0, 3.0)
            .iter()
            .map(|u| *u as usize)
            .collect();
        let yc: Vec<f64> = classes.iter().map(|&c| c as f64).collect();
        let data = Dataset::new(xs, classes).unwrap();
        let obj =
            Supervised::new(Mlp1::<Tanh, 3, 4, 3, 31>::new(), SoftmaxCrossEntropy, &data).unwrap();
        let p = SVector::<f64, 31>::from_vec(uniform(seed ^ 2, 31, -scale, scale));
        let (v, g) = obj.full_loss_and_gradient(&p);
        let xv: Vec<Vec<f64>> = data
            .features()
            .iter()
            .map(|x| x.as_slice().to_vec())
            .collect();
        let n = net(&[3, 4, 3], &[Act::Tanh, Act::Identity]);
        let (vh, gh) = n.backprop(p.as_slice(), &xv, &yc, LossKind::Sce, 0.0);
        let scale = g.amax().max(1e-300);
        let ok = (v - vh).abs() <= 1e-13 * vh.abs().max(1.0)
            && g.iter()
                .zip(&gh)
                .all(|(a, b)| (a - b).abs() <= 1e-12 * scale);
        TestResult::from_bool(ok)
    }
    let tests = if cfg!(debug_assertions) { 50 } else { 500 };
    QuickCheck::new()
        .tests(tests)
        .quickcheck(prop as fn(u64, u8) -> TestResult);
}
