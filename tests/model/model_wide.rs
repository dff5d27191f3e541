//! The models' gradient runs code compiled for AVX2 where the processor has it
//! (`dualgrad::jet::wide_vectors`): both paths must give the same bits. On a processor without
//! AVX2 both runs take the default path and the comparison is trivial; the test prints which.
//! In a debug build little is inlined into the AVX2 copy; `cargo test --release` compares the
//! two fully compiled paths.

use dualgrad::data::Dataset;
use dualgrad::jet::{set_wide_vectors, wide_vectors};
use dualgrad::model::{
    BinaryCrossEntropy, LogisticRegression, Loss, MeanSquaredError, Mlp1, Model, Relu,
    SoftmaxCrossEntropy, Supervised, Tanh,
};
use dualgrad::network;
use dualgrad::objective::Objective;
use nalgebra::SVector;

network!(type TanhRelu = 4 => 8 Tanh => 6 Relu => 3);
network!(type TanhReluOne = 4 => 8 Tanh => 6 Relu => 1);

fn bits<const P: usize>(r: &(f64, SVector<f64, P>)) -> Vec<u64> {
    std::iter::once(r.0)
        .chain(r.1.iter().copied())
        .map(f64::to_bits)
        .collect()
}

fn features(n: usize) -> Vec<SVector<f64, 4>> {
    (0..n)
        .map(|k| SVector::from_fn(|f, _| ((k * 4 + f) as f64 * 0.77).sin() * 2.0))
        .collect()
}

/// The per-layer gradient at `p` with the wide path on and off.
fn both_paths<M, L, Y, const O: usize, const P: usize>(model: M, loss: L, data: &Dataset<4, Y>)
where
    M: Model<4, O, P>,
    L: Loss<O, Y>,
    Y: Clone + Sync,
{
    let obj = Supervised::new(model, loss, data).unwrap();
    let p = SVector::<f64, P>::from_fn(|i, _| 0.6 * (0.9 * i as f64 + 0.2).cos());
    let wide = set_wide_vectors(true);
    let a = bits(&obj.loss_and_gradient(&p, obj.all_indices()));
    set_wide_vectors(false);
    let b = bits(&obj.loss_and_gradient(&p, obj.all_indices()));
    set_wide_vectors(true);
    assert_eq!(a, b, "{}: wide path taken: {wide}", obj.model().name());
    assert!(b.iter().all(|&v| f64::from_bits(v).is_finite()));
}

#[test]
fn model_gradients_are_bit_identical_on_both_paths() {
    println!("wide vectors (AVX2) on this machine: {}", wide_vectors());
    let classes = Dataset::new(features(40), (0..40).map(|k| (k * 7) % 3).collect()).unwrap();
    both_paths(
        Mlp1::<Tanh, 4, 8, 3, 67>::new(),
        SoftmaxCrossEntropy,
        &classes,
    );
    both_paths(TanhRelu::new(), SoftmaxCrossEntropy, &classes);
    let values: Vec<f64> = (0..40).map(|k| (k as f64 * 0.3).cos()).collect();
    let regression = Dataset::new(features(40), values).unwrap();
    both_paths(TanhReluOne::new(), MeanSquaredError, &regression);
    let labels = Dataset::new(
        features(40),
        (0..40).map(|k| f64::from(k % 2 == 0)).collect(),
    )
    .unwrap();
    both_paths(
        LogisticRegression::<4, 5>::new(),
        BinaryCrossEntropy,
        &labels,
    );
}
