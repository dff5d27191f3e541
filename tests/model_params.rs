//! Parameters: flattening order and names, the L2 mask, and seeded initialisation.

use dualgrad::model::{
    Dense, LinearRegression, Mlp1, Mlp2, Model, Relu, Sigmoid, SoftmaxRegression, Tanh,
};
use dualgrad::params::{DenseParams, Init, Mlp1Params, Mlp2Params, ParamVector, seeded_rng};
use nalgebra::SVector;
use quickcheck::quickcheck;
use rand::{Rng, SeedableRng};

#[test]
fn mlp1_flat_order_is_w1_rowwise_b1_w2_b2() {
    // entry k holds k: then W1[r,c] = r·I + c, b1[r] = H·I + r, ...
    let v = SVector::<f64, 67>::from_fn(|k, _| k as f64);
    let p = Mlp1Params::<f64, 4, 8, 3>::from_vector(&v);
    let (l1, l2) = (&p.layers, &p.layers.next);
    for r in 0..8 {
        for c in 0..4 {
            assert_eq!(l1.w[(r, c)], (r * 4 + c) as f64);
        }
        assert_eq!(l1.b[r], (32 + r) as f64);
    }
    for r in 0..3 {
        for c in 0..8 {
            assert_eq!(l2.w[(r, c)], (40 + r * 8 + c) as f64);
        }
        assert_eq!(l2.b[r], (64 + r) as f64);
    }
    assert_eq!(ParamVector::<f64, 67>::to_vector(&p), v);
}

#[test]
fn names_follow_the_flat_order() {
    let names: Vec<String> = <Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::names().collect();
    let expected = [
        "W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "W1[2,0]", "W1[2,1]", "b1[0]", "b1[1]",
        "b1[2]", "W2[0,0]", "W2[0,1]", "W2[0,2]", "b2[0]",
    ];
    assert_eq!(names, expected);
    let m = Mlp2::<Tanh, 2, 2, 2, 1, 15>::new();
    let names: Vec<String> = (0..15).map(|i| m.param_name(i)).collect();
    assert_eq!(names[6], "W2[0,0]");
    assert_eq!(names[11], "b2[1]");
    assert_eq!(names[14], "b3[0]");
    assert_eq!(SoftmaxRegression::<4, 3, 15>::new().param_name(13), "b[1]");
}

#[test]
#[should_panic(expected = "out of range")]
fn a_name_past_the_end_is_a_bug() {
    let _ = <DenseParams<f64, 2, 1> as ParamVector<f64, 3>>::param_name(3);
}

#[test]
fn only_weights_are_penalised() {
    let pen: Vec<bool> = (0..13)
        .map(<Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::penalised)
        .collect();
    let names: Vec<String> = <Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::names().collect();
    for (p, n) in pen.iter().zip(&names) {
        assert_eq!(*p, n.starts_with('W'), "{n}");
    }
}

quickcheck! {
    /// from_vector ∘ to_vector is the identity, for any values.
    fn flatten_round_trips(vals: Vec<f64>) -> bool {
        let v = SVector::<f64, 37>::from_fn(|k, _| vals.get(k).copied().unwrap_or(k as f64));
        let p = Mlp2Params::<f64, 2, 4, 4, 1>::from_vector(&v);
        let back: SVector<f64, 37> = p.to_vector();
        back.iter().zip(v.iter()).all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

#[test]
fn same_seed_same_parameters_across_fresh_generators() {
    let m = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let (a, b) = (m.init(2024), m.init(2024));
    assert!(
        a.iter()
            .zip(b.iter())
            .all(|(x, y)| x.to_bits() == y.to_bits())
    );
    let c = m.init_with(&mut seeded_rng(2024));
    assert_eq!(a, c);
    assert_ne!(a, m.init(2025));
}

#[test]
fn init_draws_the_documented_stream() {
    // W1 is drawn first, row-major, each entry limit·(2u − 1) with u the top 53 bits of one
    // u64 of ChaCha8 seeded by seed_from_u64 (computed here from the generator directly).
    let m = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let p = m.unpack(&m.init(99));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
    let limit = (6.0_f64 / (4.0 + 8.0)).sqrt();
    for r in 0..8 {
        for c in 0..4 {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            assert_eq!(p.layers.w[(r, c)], limit * (2.0 * u - 1.0));
        }
    }
}

#[test]
fn xavier_and_he_limits_and_zero_biases() {
    // Xavier for tanh: |w| ≤ √(6 / (fan_in + fan_out)); He for ReLU: |w| ≤ √(6 / fan_in)
    let t = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let r = Mlp1::<Relu, 4, 8, 3, 67>::new();
    for seed in 0..20 {
        let pt = t.unpack(&t.init(seed)).layers;
        let pr = r.unpack(&r.init(seed)).layers;
        assert!(pt.w.iter().all(|w| w.abs() <= (6.0_f64 / 12.0).sqrt()));
        assert!(pt.next.w.iter().all(|w| w.abs() <= (6.0_f64 / 11.0).sqrt()));
        assert!(pr.w.iter().all(|w| w.abs() <= (6.0_f64 / 4.0).sqrt()));
        assert!(pr.next.w.iter().all(|w| w.abs() <= (6.0_f64 / 11.0).sqrt())); // output: Xavier
        assert_eq!(
            pt.b.amax() + pt.next.b.amax() + pr.b.amax() + pr.next.b.amax(),
            0.0
        );
    }
    // the He limit is wider than Xavier's here: some first-layer weight must exceed it
    let wide = (0..20).any(|s| r.unpack(&r.init(s)).layers.w.amax() > (6.0_f64 / 12.0).sqrt());
    assert!(wide);
}

#[test]
fn init_is_uniform_with_the_right_variance() {
    // 400 × 100 Xavier weights: variance limit²/3 = 2 / (fan_in + fan_out) = 1/250
    let mut rng = seeded_rng(7);
    let mut sum = 0.0;
    let mut sum_sq = 0.0;
    let n = 40 * 1000;
    for _ in 0..40 {
        let w: nalgebra::SMatrix<f64, 100, 10> = Init::XavierUniform.matrix(&mut rng);
        sum += w.sum();
        sum_sq += w.iter().map(|x| x * x).sum::<f64>();
    }
    let mean = sum / n as f64;
    let var = sum_sq / n as f64 - mean * mean;
    let expected = 2.0 / 110.0;
    assert!(
        mean.abs() < 4.0 * (expected / n as f64).sqrt(),
        "mean {mean}"
    );
    assert!(
        (var / expected - 1.0).abs() < 0.03,
        "variance {var} vs {expected}"
    );
}

#[test]
fn single_layer_models_init_like_their_activation() {
    let d = Dense::<Sigmoid, 3, 2, 8>::new();
    let p = d.unpack(&d.init(1));
    assert!(p.w.iter().all(|w| w.abs() <= (6.0_f64 / 5.0).sqrt()));
    assert_eq!(p.b, SVector::<f64, 2>::zeros());
    let l = LinearRegression::<3, 4>::new();
    assert_eq!(l.init(3), l.init(3));
}
