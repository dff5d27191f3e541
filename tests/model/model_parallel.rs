//! The parallel value-and-gradient (feature `parallel`) is bit-identical for 1, 2 and 4
//! threads, and to the serial path.

use dualgrad::data::{CsvLoader, Dataset, Standardizer, permutation};
use dualgrad::model::{Mlp1, Model, SoftmaxCrossEntropy, Supervised, Tanh};
use dualgrad::objective::Objective;
use nalgebra::SVector;

fn iris() -> Dataset<4, usize> {
    let (iris, _) = CsvLoader::new(
        ["sepal_length", "sepal_width", "petal_length", "petal_width"],
        "species",
    )
    .classes_from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv"))
    .unwrap();
    Standardizer::fit(&iris).unwrap().transform(&iris).unwrap()
}

fn bits<const P: usize>(r: &(f64, SVector<f64, P>)) -> Vec<u64> {
    std::iter::once(r.0)
        .chain(r.1.iter().copied())
        .map(f64::to_bits)
        .collect()
}

#[test]
fn bit_identical_for_1_2_and_4_threads() {
    let data = iris();
    let net = Mlp1::<Tanh, 4, 8, 3, 67>::new();
    let obj = Supervised::new(net, SoftmaxCrossEntropy, &data)
        .unwrap()
        .with_l2(1e-3)
        .unwrap()
        .parallel();
    let serial = Supervised::new(net, SoftmaxCrossEntropy, &data)
        .unwrap()
        .with_l2(1e-3)
        .unwrap();
    let shuffled = permutation(150, 3);
    for seed in 0..3 {
        let p = net.init(seed);
        for indices in [obj.all_indices(), &shuffled[..37]] {
            let reference = bits(&serial.loss_and_gradient(&p, indices));
            for threads in [1, 2, 4] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let r = pool.install(|| obj.loss_and_gradient(&p, indices));
                assert_eq!(bits(&r), reference, "{threads} threads, seed {seed}");
            }
        }
    }
    // and the blocks really are summed in a different order than one running sum would be:
    // the result still agrees with the generic path to rounding
    let p = net.init(0);
    let (v, g) = obj.full_loss_and_gradient(&p);
    let (vg, gg) = obj.generic_loss_and_gradient(&p, obj.all_indices());
    assert!((v - vg).abs() < 1e-13 && (g - gg).amax() < 1e-13 * g.amax());
}
