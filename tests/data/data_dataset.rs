//! Data sets: seeded shuffles and splits (the same seed gives the same result), mini-batches,
//! standardisation fitted on the training part, and errors for bad requests.

use dualgrad::data::{CsvLoader, DataError, Dataset, Standardizer, permutation};
use nalgebra::SVector;
use quickcheck::quickcheck;

fn numbered(n: usize) -> Dataset<1, usize> {
    Dataset::new(
        (0..n).map(|i| SVector::from([i as f64])).collect(),
        (0..n).collect(),
    )
    .unwrap()
}

fn iris() -> Dataset<4, usize> {
    CsvLoader::new(
        ["sepal_length", "sepal_width", "petal_length", "petal_width"],
        "species",
    )
    .classes_from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv"))
    .unwrap()
    .0
}

quickcheck! {
    fn permutations_are_permutations(n: u8, seed: u64) -> bool {
        let mut p = permutation(usize::from(n), seed);
        p.sort_unstable();
        p == (0..usize::from(n)).collect::<Vec<_>>()
    }

    fn shuffles_keep_pairs_and_repeat_per_seed(n: u8, seed: u64) -> bool {
        let d = numbered(usize::from(n));
        let (a, b) = (d.shuffled(seed), d.shuffled(seed));
        a == b && a.iter().all(|(x, &y)| x[0] == y as f64)
    }
}

#[test]
fn same_seed_same_shuffle_and_split_across_runs() {
    let d = iris();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            (
                d.shuffled(7),
                d.split(0.8, 7).unwrap(),
                d.stratified_split(0.8, 7).unwrap(),
            )
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_ne!(d.shuffled(7), d.shuffled(8));
    assert_ne!(d.shuffled(7), d); // a shuffle of 150 samples that is the identity would be a bug
}

#[test]
fn shuffles_are_uniform() {
    // all 6 orders of 3 items, over 6000 seeds: each about 1000 (σ ≈ 29)
    let mut counts = std::collections::HashMap::new();
    for seed in 0..6000 {
        *counts.entry(permutation(3, seed)).or_insert(0) += 1;
    }
    assert_eq!(counts.len(), 6);
    assert!(
        counts.values().all(|&c| (880..=1120).contains(&c)),
        "{counts:?}"
    );
}

#[test]
fn split_sizes_and_disjointness() {
    let d = numbered(10);
    let (train, test) = d.split(0.7, 1).unwrap();
    assert_eq!((train.len(), test.len()), (7, 3));
    let mut all: Vec<usize> = train
        .targets()
        .iter()
        .chain(test.targets())
        .copied()
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..10).collect::<Vec<_>>());
}

#[test]
fn split_fraction_outside_the_open_interval_is_an_error() {
    let d = numbered(10);
    for f in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        let e = d.split(f, 1).unwrap_err();
        assert!(matches!(e, DataError::Fraction { .. }), "{f}: {e}");
        assert!(d.stratified_split(f, 1).is_err());
    }
    assert_eq!(
        d.split(1.5, 1).unwrap_err().to_string(),
        "split fraction 1.5 is outside the open interval (0, 1)"
    );
    // rounding that leaves a part empty
    assert_eq!(
        d.split(0.01, 1).unwrap_err(),
        DataError::EmptyPart {
            fraction: 0.01,
            len: 10
        }
    );
    assert_eq!(
        d.split(0.99, 1).unwrap_err(),
        DataError::EmptyPart {
            fraction: 0.99,
            len: 10
        }
    );
}

#[test]
fn stratified_iris_split_is_80_20_in_every_class() {
    let d = iris();
    let (train, test) = d.stratified_split(0.8, 42).unwrap();
    assert_eq!((train.len(), test.len()), (120, 30));
    for c in 0..3 {
        assert_eq!(train.targets().iter().filter(|&&t| t == c).count(), 40);
        assert_eq!(test.targets().iter().filter(|&&t| t == c).count(), 10);
    }
    // together the parts are the data set (compared as multisets: one row of iris is repeated)
    let key = |x: &SVector<f64, 4>| {
        x.iter()
            .map(|v| (v * 10.0).round() as i64)
            .collect::<Vec<_>>()
    };
    let mut both: Vec<_> = train
        .features()
        .iter()
        .chain(test.features())
        .map(key)
        .collect();
    let mut orig: Vec<_> = d.features().iter().map(key).collect();
    both.sort();
    orig.sort();
    assert_eq!(both, orig);
    // the parts are shuffled, not sorted by class
    assert!(train.targets().windows(2).any(|w| w[0] > w[1]));
}

#[test]
fn batches_cover_the_data_and_refuse_impossible_sizes() {
    let d = numbered(10);
    let b = d.batches(4).unwrap();
    let sizes: Vec<usize> = b.iter().map(<[usize]>::len).collect();
    assert_eq!(sizes, [4, 4, 2]);
    let sb = d.shuffled_batches(3, 9).unwrap();
    assert_eq!(sb, d.shuffled_batches(3, 9).unwrap());
    let mut seen: Vec<usize> = sb.iter().flatten().copied().collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..10).collect::<Vec<_>>());

    let e = d.batches(11).unwrap_err();
    assert_eq!(
        e,
        DataError::BatchSize {
            batch_size: 11,
            len: 10
        }
    );
    assert_eq!(
        e.to_string(),
        "batch size 11 is larger than the data set (10 samples)"
    );
    assert!(
        d.shuffled_batches(0, 1)
            .unwrap_err()
            .to_string()
            .contains("batch size 0")
    );
    let empty = Dataset::<1, f64>::new(vec![], vec![]).unwrap();
    assert!(empty.batches(1).is_err());
}

#[test]
fn standardiser_is_fitted_on_the_training_part_only() {
    let d = iris();
    let (train, test) = d.stratified_split(0.8, 1).unwrap();
    let s = Standardizer::fit(&train).unwrap();
    let z = s.transform(&train).unwrap();
    // the training part is standardised: mean 0, population std 1 per feature
    for j in 0..4 {
        let col: Vec<f64> = z.features().iter().map(|x| x[j]).collect();
        let mean = col.iter().sum::<f64>() / col.len() as f64;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / col.len() as f64;
        assert!(
            mean.abs() < 1e-14 && (var - 1.0).abs() < 1e-13,
            "feature {j}: {mean} {var}"
        );
    }
    // the test part uses the training statistics, computed here independently
    let n = train.len() as f64;
    let m0 = train.features().iter().map(|x| x[0]).sum::<f64>() / n;
    let s0 = (train
        .features()
        .iter()
        .map(|x| (x[0] - m0).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let zt = s.transform(&test).unwrap();
    assert!((zt.features()[0][0] - (test.features()[0][0] - m0) / s0).abs() < 1e-14);
    // and so its mean is not exactly 0
    let test_mean: f64 = zt.features().iter().map(|x| x[0]).sum::<f64>() / zt.len() as f64;
    assert!(test_mean.abs() > 1e-6);
    // inverse transform undoes it
    let back = s.inverse_transform_sample(&zt.features()[3]);
    assert!((back - test.features()[3]).amax() < 1e-14);
}

#[test]
fn dataset_construction_errors() {
    let e = Dataset::new(vec![SVector::from([1.0, 2.0])], vec![0.0, 1.0]).unwrap_err();
    assert_eq!(e.to_string(), "1 feature vectors but 2 targets");
    let e = Dataset::new(
        vec![
            SVector::from([1.0, 2.0]),
            SVector::from([1.0, f64::INFINITY]),
        ],
        vec![0.0, 1.0],
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "sample 1, feature 1: inf is not finite");
    let empty = Dataset::<2, f64>::new(vec![], vec![]).unwrap();
    assert_eq!(
        Standardizer::fit(&empty).unwrap_err(),
        DataError::EmptyDataset
    );
}
