//! Networks declared with `network!`: the per-layer gradient against an independent
//! hand-written backward pass (`model_support.rs`), against the generic path and against
//! `Mlp1`/`Mlp2` of the same shapes (the same networks by another name); names and layout;
//! training on two moons; deep and wide networks in a small stack; saving and loading (feature
//! `serde`).

use crate::model_support;
#[path = "../../examples/common/moons.rs"]
mod moons;

use dualgrad::data::Dataset;
use dualgrad::model::{
    BinaryCrossEntropy, Loss, MeanSquaredError, Mlp1, Mlp2, Model, Relu, Sigmoid,
    SoftmaxCrossEntropy, Supervised, Tanh, accuracy,
};
use dualgrad::network;
use dualgrad::optim::{Adam, AdamConfig};
use dualgrad::params::ParamVector;
use dualgrad::train::{TrainConfig, train};
use model_support::{Act, LossKind, Net, assert_close, finite_diff, uniform};
use nalgebra::SVector;

network!(type MoonsNet = 2 => 8 Tanh => 6 Relu => 2);
network!(type TanhTanh = 2 => 8 Tanh => 6 Tanh => 2);
network!(type Iris = 4 => 8 Tanh => 3);
network!(type Deep = 3 => 5 Sigmoid => 4 Relu => 3 Tanh => 1);
network!(type NoHidden = 3 => 2);

/// Features uniform in [−2, 2].
fn features<const I: usize>(n: usize, seed: u64) -> Vec<SVector<f64, I>> {
    let u = uniform(seed, n * I, -2.0, 2.0);
    (0..n)
        .map(|k| SVector::from_fn(|i, _| u[k * I + i]))
        .collect()
}

/// Fast path, generic path and the independent backward pass agree; the fast path also
/// agrees with central differences. `ys` are the targets as `f64` for the backward pass.
fn check<M, L, Y, const I: usize, const O: usize, const P: usize>(
    model: M,
    loss: L,
    data: &Dataset<I, Y>,
    ys: &[f64],
    net: &Net,
    kind: LossKind,
    seed: u64,
) where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
    Y: Sync,
{
    assert_eq!(net.len(), P, "the reference network has another size");
    let obj = Supervised::new(model, loss, data).unwrap();
    let names: Vec<String> = (0..P).map(|i| obj.model().param_name(i)).collect();
    let p = SVector::<f64, P>::from_vec(uniform(seed, P, -1.0, 1.0));
    let xs: Vec<Vec<f64>> = data
        .features()
        .iter()
        .map(|x| x.as_slice().to_vec())
        .collect();
    let (v_fast, g_fast) = obj.full_loss_and_gradient(&p);
    let (v_gen, g_gen) = obj.generic_loss_and_gradient(&p, obj.all_indices());
    let (v_hand, g_hand) = net.backprop(p.as_slice(), &xs, ys, kind, 0.0);
    for (what, v) in [("generic", v_gen), ("hand", v_hand)] {
        assert!(
            (v_fast - v).abs() <= 1e-13 * v_fast.abs().max(1.0),
            "value: fast {v_fast} vs {what} {v}"
        );
    }
    // to rounding: the two AD paths sum the same products in other orders
    assert_close(
        "fast vs generic",
        g_fast.as_slice(),
        g_gen.as_slice(),
        1e-12,
        1e-14,
        &names,
    );
    assert_close(
        "fast vs hand",
        g_fast.as_slice(),
        g_hand.as_slice(),
        1e-11,
        1e-13,
        &names,
    );
    let g_fd = finite_diff(
        |q| obj.loss(&SVector::<f64, P>::from_column_slice(q), obj.all_indices()),
        p.as_slice(),
    );
    assert_close(
        "fast vs central differences",
        g_fast.as_slice(),
        &g_fd,
        1e-5,
        1e-7,
        &names,
    );
}

#[test]
fn moons_network_gradient_is_exact() {
    let xs = features::<2>(40, 1);
    let ys: Vec<usize> = (0..40).map(|i| i % 2).collect();
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let net = Net {
        sizes: vec![2, 8, 6, 2],
        acts: vec![Act::Tanh, Act::Relu, Act::Identity],
    };
    let yf: Vec<f64> = ys.iter().map(|&y| y as f64).collect();
    for seed in [3, 4, 5] {
        check(
            MoonsNet::new(),
            SoftmaxCrossEntropy,
            &data,
            &yf,
            &net,
            LossKind::Sce,
            seed,
        );
    }
}

#[test]
fn deeper_and_shallower_networks_have_exact_gradients() {
    let xs = features::<3>(25, 2);
    let ys: Vec<f64> = (0..25)
        .map(|i| if i % 3 == 0 { 1.0 } else { 0.0 })
        .collect();
    let data = Dataset::new(xs, ys.clone()).unwrap();
    let deep = Net {
        sizes: vec![3, 5, 4, 3, 1],
        acts: vec![Act::Sigmoid, Act::Relu, Act::Tanh, Act::Identity],
    };
    check(
        Deep::new(),
        BinaryCrossEntropy,
        &data,
        &ys,
        &deep,
        LossKind::Bce,
        6,
    );
    check(
        Deep::new(),
        MeanSquaredError,
        &data,
        &ys,
        &deep,
        LossKind::Mse,
        7,
    );

    let ys2: Vec<usize> = (0..25).map(|i| i % 2).collect();
    let data2 = Dataset::new(features::<3>(25, 3), ys2.clone()).unwrap();
    let shallow = Net {
        sizes: vec![3, 2],
        acts: vec![Act::Identity],
    };
    let yf: Vec<f64> = ys2.iter().map(|&y| y as f64).collect();
    check(
        NoHidden::new(),
        SoftmaxCrossEntropy,
        &data2,
        &yf,
        &shallow,
        LossKind::Sce,
        8,
    );
}

/// `Mlp1` and `Mlp2` are these networks: identical bits, initialisation and names.
#[test]
fn tanh_networks_are_the_builtin_mlps_bit_for_bit() {
    let xs = features::<2>(30, 4);
    let ys: Vec<usize> = (0..30).map(|i| (i / 3) % 2).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let p = SVector::<f64, 92>::from_vec(uniform(9, 92, -1.5, 1.5));
    let a = Supervised::new(TanhTanh::new(), SoftmaxCrossEntropy, &data).unwrap();
    let b = Supervised::new(
        Mlp2::<Tanh, 2, 8, 6, 2, 92>::new(),
        SoftmaxCrossEntropy,
        &data,
    )
    .unwrap();
    assert_eq!(a.full_loss_and_gradient(&p), b.full_loss_and_gradient(&p));
    for x in data.features() {
        assert_eq!(a.model().predict(&p, x), b.model().predict(&p, x));
    }
    assert_eq!(
        TanhTanh::new().init(5),
        Mlp2::<Tanh, 2, 8, 6, 2, 92>::new().init(5)
    );
    for i in 0..92 {
        assert_eq!(a.model().param_name(i), b.model().param_name(i));
    }

    let xs = features::<4>(20, 5);
    let ys: Vec<usize> = (0..20).map(|i| i % 3).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let p = SVector::<f64, 67>::from_vec(uniform(10, 67, -1.0, 1.0));
    let a = Supervised::new(Iris::new(), SoftmaxCrossEntropy, &data).unwrap();
    let b = Supervised::new(Mlp1::<Tanh, 4, 8, 3, 67>::new(), SoftmaxCrossEntropy, &data).unwrap();
    assert_eq!(a.full_loss_and_gradient(&p), b.full_loss_and_gradient(&p));
}

/// `Mlp1` and `Mlp2` are names of network types, with their counts, names and sizes.
#[test]
fn the_mlps_are_network_types() {
    let _: Iris = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let _: TanhTanh = Mlp2::<Tanh, 2, 8, 6, 2, 92>::new();
    assert_eq!(Mlp1::<Tanh, 4, 8, 3, 67>::LEN, 8 * 4 + 8 + 3 * 8 + 3);
    assert_eq!(Mlp2::<Tanh, 4, 8, 8, 3, 139>::LEN, 40 + 72 + 27);
    let m = Mlp1::<Sigmoid, 3, 5, 2, 32>::new();
    assert_eq!(
        (m.name(), m.layer_sizes()),
        ("network-sigmoid".into(), vec![3, 5, 2])
    );
    let m = Mlp2::<Relu, 3, 5, 4, 2, 54>::new();
    assert_eq!(m.name(), "network-relu-relu");
    assert_eq!(m.layer_sizes(), [3, 5, 4, 2]);
}

/// The typed parameters `unpack` gives are enough for a hand-written backward pass (as in
/// examples/xor.rs), which agrees with the model's gradient.
#[test]
fn a_backward_pass_written_on_the_unpacked_layers_agrees() {
    let xs = features::<2>(12, 6);
    let ys: Vec<f64> = xs.iter().map(|x| (x[0] * x[1]).sin()).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let net = Mlp1::<Tanh, 2, 3, 1, 13>::new();
    let params = net.init(3);
    let p = net.unpack(&params);
    let (w1, b1, w2, b2) = (p.layers.w, p.layers.b, p.layers.next.w, p.layers.next.b);
    let mut g = dualgrad::params::Mlp1Params::<f64, 2, 3, 1>::zeros();
    let n = data.len() as f64;
    for (x, y) in data.iter() {
        let a = (w1 * x + b1).map(f64::tanh);
        let d2 = 2.0 * ((w2 * a + b2)[0] - y) / n;
        let d1 = (w2.transpose() * d2).component_mul(&a.map(|a| 1.0 - a * a));
        g.layers.next.w += a.transpose() * d2;
        g.layers.next.b[0] += d2;
        g.layers.w += d1 * x.transpose();
        g.layers.b += d1;
    }
    let hand: SVector<f64, 13> = g.to_vector();
    let objective = Supervised::new(net, MeanSquaredError, &data).unwrap();
    let (_, model) = objective.full_loss_and_gradient(&params);
    let names: Vec<String> = (0..13).map(|i| net.param_name(i)).collect();
    assert_close(
        "Mlp1 by hand",
        hand.as_slice(),
        model.as_slice(),
        1e-12,
        1e-14,
        &names,
    );
}

#[test]
fn names_sizes_and_flat_layout() {
    let net = MoonsNet::new();
    assert_eq!(MoonsNet::LEN, 8 * 2 + 8 + 6 * 8 + 6 + 2 * 6 + 2);
    assert_eq!(net.layer_sizes(), [2, 8, 6, 2]);
    assert_eq!(net.name(), "network-tanh-relu");
    assert_eq!(NoHidden::new().name(), "network");
    assert_eq!(Deep::new().name(), "network-sigmoid-relu-tanh");
    // names from the documented layout: per layer, W row by row, then b
    let mut expected = Vec::new();
    for (l, (i, o)) in [(2, 8), (8, 6), (6, 2)].into_iter().enumerate() {
        for r in 0..o {
            for c in 0..i {
                expected.push(format!("W{}[{r},{c}]", l + 1));
            }
        }
        for r in 0..o {
            expected.push(format!("b{}[{r}]", l + 1));
        }
    }
    let names: Vec<String> = (0..92).map(|i| net.param_name(i)).collect();
    assert_eq!(names, expected);
    type Params = <MoonsNet as Model<2, 2, 92>>::Params<f64>;
    for (i, name) in expected.iter().enumerate() {
        assert_eq!(
            <Params as ParamVector<f64, 92>>::penalised(i),
            name.starts_with('W'),
            "{name}"
        );
    }
    let v = SVector::<f64, 92>::from_fn(|i, _| i as f64);
    let p = net.unpack(&v);
    assert_eq!(p.layers.w[(7, 1)], 15.0);
    assert_eq!(p.layers.next.w[(5, 7)], (24 + 5 * 8 + 7) as f64);
    assert_eq!(p.layers.next.next.b[1], 91.0);
    assert_eq!(ParamVector::<f64, 92>::to_vector(&p), v);
}

/// Widths as braced constants, a visibility, doc comments and a trailing `;`.
#[test]
fn the_macro_takes_constants_and_attributes() {
    const HIDDEN: usize = 5;
    network! {
        /// 2 → 5 sigmoid → 1
        pub(crate) type Small = 2 => {HIDDEN} Sigmoid => 1;
    }
    assert_eq!(Small::LEN, 5 * 2 + 5 + 5 + 1);
    assert_eq!(Small::new().layer_sizes(), [2, 5, 1]);
}

#[test]
#[should_panic(expected = "parameter index 92 out of range for 92 parameters")]
fn a_name_out_of_range_panics() {
    MoonsNet::new().param_name(92);
}

/// Initial weights follow each layer's activation: He for ReLU (limit √(6/8) with 8 inputs),
/// Xavier for tanh (√(6/10)) and for the output (√(6/8)); biases zero.
#[test]
fn initialisation_follows_the_activations() {
    let net = MoonsNet::new();
    let p = net.unpack(&net.init(3));
    assert!(p.layers.w.iter().all(|w| w.abs() <= (6.0f64 / 10.0).sqrt()));
    assert!(
        p.layers
            .next
            .w
            .iter()
            .all(|w| w.abs() <= (6.0f64 / 8.0).sqrt())
    );
    assert!(
        p.layers
            .next
            .w
            .iter()
            .any(|w| w.abs() > (6.0f64 / 14.0).sqrt())
    ); // beyond Xavier
    assert!(
        p.layers
            .next
            .next
            .w
            .iter()
            .all(|w| w.abs() <= (6.0f64 / 8.0).sqrt())
    );
    assert_eq!(
        p.layers.b.sum() + p.layers.next.b.sum() + p.layers.next.next.b.sum(),
        0.0
    );
}

/// At all-zero parameters every ReLU pre-activation is exactly 0, where relu' is taken as 0;
/// at large parameters tanh saturates. Both paths agree at either point, and stay finite.
#[test]
fn kinks_and_saturation() {
    let xs = features::<2>(10, 6);
    let ys: Vec<usize> = (0..10).map(|i| i % 2).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let obj = Supervised::new(MoonsNet::new(), SoftmaxCrossEntropy, &data).unwrap();
    for p in [
        SVector::<f64, 92>::zeros(),
        SVector::<f64, 92>::from_vec(uniform(11, 92, -1e3, 1e3)),
    ] {
        let (v, g) = obj.full_loss_and_gradient(&p);
        let (vg, gg) = obj.generic_loss_and_gradient(&p, obj.all_indices());
        assert!(v.is_finite() && g.iter().all(|x| x.is_finite()));
        assert!((v - vg).abs() <= 1e-12 * v.abs().max(1.0));
        for i in 0..92 {
            assert!(
                (g[i] - gg[i]).abs() <= 1e-12 * (1.0 + gg[i].abs()),
                "entry {i}"
            );
        }
    }
    // zero parameters: the logits are 0, the loss ln 2, and only the output bias moves
    let (v, g) = obj.full_loss_and_gradient(&SVector::zeros());
    assert!((v - 2f64.ln()).abs() < 1e-15);
    assert!(g.iter().take(90).all(|&x| x == 0.0));
}

/// A deep, wide network (1 996 parameters): the per-layer path runs in a 2 MiB thread (debug
/// build; its largest values are 24-tangent vectors). The generic path holds the parameters as
/// 32-tangent duals, twice 1 996 × 33 × 8 bytes ≈ 1.1 MB, so it gets a 64 MiB thread here.
#[test]
fn deep_and_wide_network_in_a_small_stack() {
    network!(type Wide = 3 => 24 Tanh => 24 Sigmoid => 24 Relu => 24 Tanh => 4);
    assert_eq!(Wide::LEN, 4 * 24 + 3 * (24 * 24 + 24) + 4 * 24 + 4);
    let xs = features::<3>(2, 7);
    let data = Dataset::new(xs, vec![0usize, 3]).unwrap();
    let run = |stack: usize, generic: bool| {
        let data = data.clone();
        std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let obj = Supervised::new(Wide::new(), SoftmaxCrossEntropy, &data).unwrap();
                let p = Wide::new().init(1);
                if generic {
                    obj.generic_loss_and_gradient(&p, obj.all_indices())
                } else {
                    obj.full_loss_and_gradient(&p)
                }
            })
            .unwrap()
            .join()
            .unwrap()
    };
    let (v, g) = run(2 << 20, false);
    let (vg, gg) = run(64 << 20, true);
    assert!((v - vg).abs() <= 1e-12 * v);
    assert!((g - gg).amax() <= 1e-12 * gg.amax(), "{}", (g - gg).amax());
}

/// The acceptance: 2 → 8 tanh → 6 relu → 2 on two moons, at least 97 % on held-out
/// points (a smaller run than the example's, for the debug build).
#[test]
fn trains_on_two_moons() {
    let train_set = moons::two_moons(200, 0.1, 21);
    let test_set = moons::two_moons(400, 0.1, 22);
    let net = MoonsNet::new();
    let obj = Supervised::new(net, SoftmaxCrossEntropy, &train_set).unwrap();
    let mut adam: Adam<92> = AdamConfig::default().with_lr(0.02).build().unwrap();
    let config = TrainConfig::default()
        .with_epochs(80)
        .with_batch_size(20)
        .without_grad_tol();
    let report = train(&obj, net.init(21), &mut adam, &config, |_| {}).unwrap();
    let acc = accuracy(&net, &report.params, &test_set);
    assert!(acc >= 0.97, "test accuracy {acc}");
}

#[cfg(feature = "serde")]
#[test]
fn saves_and_loads() {
    use dualgrad::model::{ModelError, load_json, save_json};
    let net = MoonsNet::new();
    let p = net.init(4);
    let json = save_json(&net, &p).unwrap();
    assert!(json.contains("\"network-tanh-relu\""));
    let q = load_json(&net, &json).unwrap();
    assert!(
        p.iter()
            .zip(q.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    // same sizes, other activations: refused, naming both
    match load_json(&TanhTanh::new(), &json) {
        Err(ModelError::Shape { expected, found }) => {
            assert_eq!(expected, "network-tanh-tanh [2, 8, 6, 2] (92 parameters)");
            assert_eq!(found, "network-tanh-relu [2, 8, 6, 2] (92 parameters)");
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    // a non-finite parameter is named
    let mut bad = p;
    bad[30] = f64::NAN;
    match save_json(&net, &bad) {
        Err(ModelError::NonFiniteParameter { name, .. }) => assert_eq!(name, "W2[0,6]"),
        other => panic!("expected a non-finite error, got {other:?}"),
    }
}
