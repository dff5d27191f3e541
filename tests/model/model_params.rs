//! Parameters: flattening order and names, the L2 mask, and seeded initialisation.

use dualgrad::Jet;
use dualgrad::data::seeded_rng;
use dualgrad::model::{
    Dense, LinearRegression, Mlp1, Mlp2, Model, Relu, Sigmoid, SoftmaxRegression, Tanh,
};
use dualgrad::params::{DenseParams, Init, Mlp1Params, Mlp2Params, ParamVector};
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
fn mlp2_flat_order_is_layer_by_layer() {
    // 2 → 4 → 4 → 1: W1 (4×2) b1 (4) | W2 (4×4) b2 (4) | W3 (1×4) b3 (1): offsets 0, 8, 12, 28, 32, 36
    let v = SVector::<f64, 37>::from_fn(|k, _| k as f64);
    let p = Mlp2Params::<f64, 2, 4, 4, 1>::from_vector(&v);
    let (l1, l2, l3) = (&p.layers, &p.layers.next, &p.layers.next.next);
    for r in 0..4 {
        for c in 0..2 {
            assert_eq!(l1.w[(r, c)], (r * 2 + c) as f64);
        }
        assert_eq!(l1.b[r], (8 + r) as f64);
        for c in 0..4 {
            assert_eq!(l2.w[(r, c)], (12 + r * 4 + c) as f64);
        }
        assert_eq!(l2.b[r], (28 + r) as f64);
        assert_eq!(l3.w[(0, r)], (32 + r) as f64);
    }
    assert_eq!(l3.b[0], 36.0);
    assert_eq!(ParamVector::<f64, 37>::to_vector(&p), v);
}

#[test]
fn mlp_params_zeros_are_zero_vectors() {
    let z: SVector<f64, 67> = Mlp1Params::<f64, 4, 8, 3>::zeros().to_vector();
    assert_eq!(z, SVector::<f64, 67>::zeros());
    let z: SVector<f64, 139> = Mlp2Params::<f64, 4, 8, 8, 3>::zeros().to_vector();
    assert_eq!(z, SVector::<f64, 139>::zeros());
}

/// Dual parameters of at least 4 KiB per layer list are read by a call kept out of line (no
/// copy per level); smaller ones inline. Both must give the documented layout, tangents too.
#[test]
fn wide_and_narrow_dual_parameters_read_the_same_layout() {
    fn check<const P: usize, const I: usize, const H: usize, const O: usize>() {
        let v = SVector::<Jet<f64, P>, P>::from_fn(|k, _| Jet::variable(k as f64, k));
        let p = Mlp1Params::<Jet<f64, P>, I, H, O>::from_vector(&v);
        let flat = p
            .layers
            .w
            .transpose()
            .iter()
            .chain(p.layers.b.iter())
            .chain(p.layers.next.w.transpose().iter())
            .chain(p.layers.next.b.iter())
            .copied()
            .collect::<Vec<_>>();
        assert_eq!(flat.len(), P);
        for (k, x) in flat.iter().enumerate() {
            assert_eq!(x.re, k as f64, "entry {k}");
            assert!(
                x.eps
                    .iter()
                    .enumerate()
                    .all(|(j, &e)| e == f64::from(j == k))
            );
        }
        assert_eq!(ParamVector::<Jet<f64, P>, P>::to_vector(&p), v);
    }
    // 67 entries of 68 doubles: 36 KiB, the output layer 15 KiB (both out of line)
    check::<67, 4, 8, 3>();
    // 13 entries of 14 doubles: 1.4 KiB (inline)
    check::<13, 2, 3, 1>();
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

#[test]
fn only_weights_are_penalised_in_every_layer() {
    // 2 → 4 → 4 → 1: the biases are entries 8..12, 28..32 and 36
    type P2 = Mlp2Params<f64, 2, 4, 4, 1>;
    for i in 0..37 {
        let bias = (8..12).contains(&i) || (28..32).contains(&i) || i == 36;
        assert_eq!(
            <P2 as ParamVector<f64, 37>>::penalised(i),
            !bias,
            "entry {i}"
        );
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
