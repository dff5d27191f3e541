//! Bad and extreme inputs to data loading, data sets and standardisation (issue 12): each case
//! asserts the specific error variant (naming the value and where it came from) or the
//! documented result.

use dualgrad::data::{CsvLoader, DataError, Dataset, Standardizer};
use nalgebra::SVector;
use quickcheck::{QuickCheck, TestResult};

fn reg<const F: usize>(loader: CsvLoader<F>, text: &str) -> Result<Dataset<F, f64>, DataError> {
    loader.regression_from_reader(text.as_bytes())
}

// ------------------------------------------------------------------------------------------
// CSV: column selection
// ------------------------------------------------------------------------------------------

#[test]
fn duplicate_header_name_selected_as_feature_is_ambiguous() {
    let e = reg(CsvLoader::new(["a"], "y"), "a,a,y\n1,2,3\n").unwrap_err();
    assert_eq!(
        e,
        DataError::AmbiguousColumn {
            name: "a".into(),
            columns: vec![1, 2]
        }
    );
    assert_eq!(
        e.to_string(),
        "column name \"a\" is ambiguous: the header has it in columns 1, 2"
    );
}

#[test]
fn duplicate_header_name_selected_as_label_is_ambiguous() {
    let e = reg(CsvLoader::new(["x"], "y"), "x,y,z,y\n1,2,3,4\n").unwrap_err();
    assert_eq!(
        e,
        DataError::AmbiguousColumn {
            name: "y".into(),
            columns: vec![2, 4]
        }
    );
}

#[test]
fn duplicate_header_name_not_selected_is_fine() {
    let d = reg(CsvLoader::new(["x"], "y"), "x,q,q,y\n1,0,0,2\n").unwrap();
    assert_eq!((d.features()[0][0], d.targets()[0]), (1.0, 2.0));
}

#[test]
fn duplicate_name_selected_by_index_is_fine() {
    let d = reg(CsvLoader::new([1usize], 2usize), "a,a,y\n1,2,3\n").unwrap();
    assert_eq!((d.features()[0][0], d.targets()[0]), (2.0, 3.0));
}

#[test]
fn label_selected_as_feature_by_name_is_an_error() {
    let e = reg(CsvLoader::new(["x", "y"], "y"), "x,y\n1,2\n").unwrap_err();
    assert_eq!(
        e,
        DataError::ColumnUsedTwice {
            column: 2,
            name: Some("y".into()),
            uses: ["feature 2".into(), "the label".into()]
        }
    );
    assert_eq!(
        e.to_string(),
        "column 2 (y) is used twice: as feature 2 and as the label"
    );
}

#[test]
fn label_selected_as_feature_by_index_is_an_error() {
    let loader = CsvLoader::new([0usize, 1], 1usize).has_header(false);
    let e = loader.classes_from_reader("1,a\n".as_bytes()).unwrap_err();
    assert_eq!(
        e,
        DataError::ColumnUsedTwice {
            column: 2,
            name: None,
            uses: ["feature 2".into(), "the label".into()]
        }
    );
}

#[test]
fn label_selected_by_name_and_feature_by_index_is_an_error() {
    let e = reg(CsvLoader::new([2usize], "y"), "x,z,y\n1,2,3\n").unwrap_err();
    assert!(
        matches!(e, DataError::ColumnUsedTwice { column: 3, .. }),
        "{e}"
    );
}

#[test]
fn the_same_feature_twice_is_an_error() {
    let e = reg(CsvLoader::new(["x", "x"], "y"), "x,y\n1,2\n").unwrap_err();
    assert_eq!(
        e,
        DataError::ColumnUsedTwice {
            column: 1,
            name: Some("x".into()),
            uses: ["feature 1".into(), "feature 2".into()]
        }
    );
}

#[test]
fn unknown_column_lists_the_header() {
    let e = reg(CsvLoader::new(["q"], "y"), "x,y\n1,2\n").unwrap_err();
    assert_eq!(
        e,
        DataError::UnknownColumn {
            name: "q".into(),
            header: vec!["x".into(), "y".into()]
        }
    );
}

#[test]
fn column_index_out_of_range() {
    let e = reg(CsvLoader::new([5usize], 0usize), "x,y\n1,2\n").unwrap_err();
    assert_eq!(
        e,
        DataError::ColumnOutOfRange {
            index: 5,
            columns: 2
        }
    );
}

#[test]
fn named_column_without_header() {
    let e = reg(CsvLoader::new(["x"], 1usize).has_header(false), "1,2\n").unwrap_err();
    assert_eq!(e, DataError::NamedColumnWithoutHeader { name: "x".into() });
}

// ------------------------------------------------------------------------------------------
// CSV: sources and format
// ------------------------------------------------------------------------------------------

#[test]
fn a_directory_path_names_the_path() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let e = CsvLoader::new(["x"], "y")
        .regression_from_path(dir)
        .unwrap_err();
    match &e {
        DataError::Io { path, message } => {
            assert_eq!(path, dir);
            assert!(message.contains("directory"), "{message}");
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert!(
        e.to_string().starts_with(&format!("cannot read {dir}:")),
        "{e}"
    );
    let e = CsvLoader::new(["x"], "y")
        .classes_from_path(dir)
        .unwrap_err();
    assert!(
        matches!(e, DataError::Io { ref path, .. } if path == dir),
        "{e}"
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let e = CsvLoader::new(["x"], "y")
        .classes_from_path("/no/such/dir/data.csv")
        .unwrap_err();
    assert!(matches!(e, DataError::Io { ref path, .. } if path == "/no/such/dir/data.csv"));
}

#[test]
fn delimiters_that_cannot_separate_fields() {
    for d in [b'"', b'\n', b'\r', 0xE9] {
        let e = reg(CsvLoader::new(["x"], "y").delimiter(d), "x,y\n1,2\n").unwrap_err();
        assert_eq!(e, DataError::InvalidDelimiter { delimiter: d });
    }
    // a tab is fine
    let d = reg(CsvLoader::new(["x"], "y").delimiter(b'\t'), "x\ty\n1\t2\n").unwrap();
    assert_eq!(d.targets(), [2.0]);
}

#[test]
fn empty_input_and_header_only() {
    assert_eq!(
        reg(CsvLoader::new(["x"], "y"), "").unwrap_err(),
        DataError::EmptyFile
    );
    assert_eq!(
        reg(CsvLoader::new(["x"], "y"), "x,y\n").unwrap_err(),
        DataError::NoRows
    );
}

#[test]
fn non_finite_and_malformed_numbers_name_line_and_column() {
    for bad in [
        "inf", "-inf", "NaN", "nan", "1e400", "", "1,5", "0x10", "1.2.3", "--1",
    ] {
        let text = format!("x,y\n1,2\n\"{bad}\",3\n");
        let e = reg(CsvLoader::new(["x"], "y"), &text).unwrap_err();
        assert_eq!(
            e,
            DataError::NotNumeric {
                line: 3,
                column: 1,
                name: Some("x".into()),
                value: bad.into()
            },
            "{bad:?}"
        );
    }
}

#[test]
fn a_non_finite_regression_target_is_not_numeric() {
    let e = reg(CsvLoader::new(["x"], "y"), "x,y\n1,nan\n").unwrap_err();
    assert!(
        matches!(e, DataError::NotNumeric { line: 2, column: 2, ref value, .. } if value == "nan")
    );
}

#[test]
fn an_empty_class_label_is_unknown() {
    let e = CsvLoader::new(["x"], "y")
        .classes_from_reader("x,y\n1,a\n2,\n".as_bytes())
        .unwrap_err();
    assert_eq!(
        e,
        DataError::UnknownClass {
            line: 3,
            column: 2,
            value: String::new(),
            known: vec!["a".into()]
        }
    );
}

#[test]
fn a_class_declared_twice() {
    let e = CsvLoader::new(["x"], "y")
        .classes(&["a", "b", "a"])
        .classes_from_reader("x,y\n1,a\n".as_bytes())
        .unwrap_err();
    assert_eq!(e, DataError::DuplicateClass { name: "a".into() });
}

#[test]
fn too_many_fields() {
    let e = reg(CsvLoader::new(["x"], "y"), "x,y\n1,2,3\n").unwrap_err();
    assert_eq!(
        e,
        DataError::FieldCount {
            line: 2,
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn invalid_utf8_is_malformed_csv_with_its_line() {
    let mut bytes = b"x,y\n1,2\n".to_vec();
    bytes.extend_from_slice(&[0xff, b',', b'1', b'\n']);
    let e = CsvLoader::new(["x"], "y")
        .classes_from_reader(&bytes[..])
        .unwrap_err();
    assert!(matches!(e, DataError::Csv { line: Some(3), .. }), "{e:?}");
}

#[test]
fn fields_are_trimmed() {
    let d = reg(CsvLoader::new(["x"], "y"), " x , y \n 1.5 ,\t2 \n").unwrap();
    assert_eq!((d.features()[0][0], d.targets()[0]), (1.5, 2.0));
}

// ------------------------------------------------------------------------------------------
// Data sets
// ------------------------------------------------------------------------------------------

fn line(n: usize) -> Dataset<1, f64> {
    Dataset::new(
        (0..n).map(|i| SVector::from([i as f64])).collect(),
        vec![0.0; n],
    )
    .unwrap()
}

#[test]
fn dataset_construction_errors() {
    assert_eq!(
        Dataset::new(vec![SVector::from([1.0])], vec![1.0, 2.0]).unwrap_err(),
        DataError::LengthMismatch {
            features: 1,
            targets: 2
        }
    );
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = Dataset::new(
            vec![SVector::from([0.0, 1.0]), SVector::from([2.0, v])],
            vec![0usize, 1],
        )
        .unwrap_err();
        assert!(
            matches!(e, DataError::NonFinite { row: 1, feature: 1, value } if value.to_bits() == v.to_bits()),
            "{e:?}"
        );
    }
}

#[test]
fn batch_sizes_out_of_range() {
    let d = line(5);
    for b in [0, 6, usize::MAX] {
        assert_eq!(
            d.batches(b).unwrap_err(),
            DataError::BatchSize {
                batch_size: b,
                len: 5
            }
        );
        assert_eq!(
            d.shuffled_batches(b, 1).unwrap_err(),
            DataError::BatchSize {
                batch_size: b,
                len: 5
            }
        );
    }
    assert_eq!(
        line(0).batches(1).unwrap_err(),
        DataError::BatchSize {
            batch_size: 1,
            len: 0
        }
    );
}

#[test]
fn split_fractions_out_of_range() {
    let d = line(10);
    for f in [0.0, 1.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        let e = d.split(f, 1).unwrap_err();
        assert!(matches!(e, DataError::Fraction { fraction } if fraction.to_bits() == f.to_bits()));
    }
    // (rounding that leaves a part empty is in tests/data/data_dataset.rs)
}

#[test]
fn stratified_split_that_empties_a_part() {
    let d = Dataset::new(
        vec![SVector::from([0.0]), SVector::from([1.0])],
        vec![0usize, 1],
    )
    .unwrap();
    // each class has one sample: round(0.4 · 1) = 0 in training, both in the test part
    assert_eq!(
        d.stratified_split(0.4, 1).unwrap_err(),
        DataError::EmptyPart {
            fraction: 0.4,
            len: 2
        }
    );
}

#[test]
fn map_features_to_non_finite_is_an_error() {
    let e = line(3).map_features(|x| x / 0.0).unwrap_err();
    // 0 / 0 is NaN in sample 0
    assert!(matches!(e, DataError::NonFinite { row: 0, feature: 0, value } if value.is_nan()));
}

// ------------------------------------------------------------------------------------------
// Standardisation
// ------------------------------------------------------------------------------------------

fn column(values: &[f64]) -> Dataset<1, f64> {
    Dataset::new(
        values.iter().map(|&v| SVector::from([v])).collect(),
        vec![0.0; values.len()],
    )
    .unwrap()
}

#[test]
fn squares_that_overflow_still_give_the_standard_deviation() {
    // {−a, a}: mean 0, population standard deviation a, for a whose square overflows
    for a in [1e155, 1e200, 1e300, f64::MAX] {
        let s = Standardizer::fit(&column(&[-a, a])).unwrap();
        assert_eq!(s.mean()[0], 0.0, "{a}");
        assert_eq!(s.scale()[0], a, "{a}");
        let z = s.transform(&column(&[-a, a])).unwrap();
        assert_eq!((z.features()[0][0], z.features()[1][0]), (-1.0, 1.0));
    }
}

#[test]
fn values_at_f64_max_give_a_finite_mean() {
    let s = Standardizer::fit(&column(&[f64::MAX, f64::MAX])).unwrap();
    assert_eq!(s.mean()[0], f64::MAX);
    assert_eq!(s.scale()[0], 1.0); // constant
    // {MAX, −MAX, −MAX}: mean −MAX/3, standard deviation MAX·√8/3
    let d = column(&[f64::MAX, -f64::MAX, -f64::MAX]);
    let s = Standardizer::fit(&d).unwrap();
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    assert!(rel(s.mean()[0], -f64::MAX / 3.0) < 1e-15, "{}", s.mean()[0]);
    assert!(
        rel(s.scale()[0], f64::MAX / 3.0 * 8f64.sqrt()) < 1e-15,
        "{}",
        s.scale()[0]
    );
    let z = s.transform(&d).unwrap();
    // (MAX + MAX/3) / (MAX √8/3) = 4/√8 = √2; (−MAX + MAX/3) / (MAX √8/3) = −2/√8
    assert!(rel(z.features()[0][0], 2f64.sqrt()) < 1e-15);
    assert!(rel(z.features()[1][0], -2.0 / 8f64.sqrt()) < 1e-15);
}

#[test]
fn ordinary_data_is_unchanged_by_the_scaled_algorithm() {
    // √(((2−4)² + (6−4)²)/2) = 2, and a large offset: 1e6 ± 3 → scale 3
    let s = Standardizer::fit(&column(&[2.0, 6.0])).unwrap();
    assert_eq!((s.mean()[0], s.scale()[0]), (4.0, 2.0));
    let s = Standardizer::fit(&column(&[1e6 - 3.0, 1e6 + 3.0])).unwrap();
    assert_eq!((s.mean()[0], s.scale()[0]), (1e6, 3.0));
}

#[test]
fn a_subnormal_spread_counts_as_constant() {
    let s = Standardizer::fit(&column(&[0.0, 1e-310])).unwrap();
    assert_eq!(s.scale()[0], 1.0);
}

#[test]
fn fit_on_empty_data() {
    let e = Standardizer::fit(&column(&[])).unwrap_err();
    assert_eq!(e, DataError::EmptyDataset);
}

#[test]
fn transform_overflow_names_value_mean_and_scale() {
    let s = Standardizer::fit(&column(&[0.0, 1e-300])).unwrap(); // mean 5e-301, scale 5e-301
    let e = s.transform(&column(&[1.0, 1e300])).unwrap_err();
    match e {
        DataError::StandardizeOverflow {
            row,
            feature,
            value,
            mean,
            scale,
        } => {
            assert_eq!((row, feature, value), (1, 0, 1e300));
            assert_eq!((mean, scale), (s.mean()[0], s.scale()[0]));
        }
        other => panic!("{other:?}"),
    }
}

/// Any finite pair `{a, b}` (exponents up to the largest) standardises without inf or NaN, to
/// the closed forms mean `a/2 + b/2` and scale `|a/2 − b/2|` (or 1 when equal).
#[test]
fn any_finite_pair_standardises_to_the_closed_form() {
    fn prop(a: f64, b: f64) -> TestResult {
        if !a.is_finite() || !b.is_finite() {
            return TestResult::discard();
        }
        let s = Standardizer::fit(&column(&[a, b])).unwrap();
        let (m, sc) = (s.mean()[0], s.scale()[0]);
        let (want_m, want_s) = (a / 2.0 + b / 2.0, (a / 2.0 - b / 2.0).abs());
        let close =
            |x: f64, y: f64| (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()) + 1e-300;
        if !m.is_finite() || !sc.is_finite() || sc <= 0.0 {
            return TestResult::failed();
        }
        if !close(m, want_m) {
            return TestResult::error(format!("mean {m:e}, want {want_m:e}"));
        }
        if want_s >= f64::MIN_POSITIVE && !close(sc, want_s) {
            return TestResult::error(format!("scale {sc:e}, want {want_s:e}"));
        }
        match s.transform(&column(&[a, b])) {
            Ok(z) => TestResult::from_bool(z.features().iter().all(|x| x[0].is_finite())),
            Err(e) => TestResult::error(format!("{e}")),
        }
    }
    QuickCheck::new()
        .tests(2000)
        .min_tests_passed(1000)
        .quickcheck(prop as fn(f64, f64) -> TestResult);
}

/// Any finite column of up to 20 values standardises without inf or NaN, with the mean inside
/// the range and the scale at most half the range (for the population standard deviation).
#[test]
fn any_finite_column_standardises_without_inf_or_nan() {
    fn prop(values: Vec<f64>) -> TestResult {
        let v: Vec<f64> = values
            .into_iter()
            .filter(|x| x.is_finite())
            .take(20)
            .collect();
        if v.is_empty() {
            return TestResult::discard();
        }
        let d = column(&v);
        let s = Standardizer::fit(&d).unwrap();
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, -f64::MAX), |(l, h), &x| (l.min(x), h.max(x)));
        let (m, sc) = (s.mean()[0], s.scale()[0]);
        let slack = 1.0 + 1e-12;
        let ok = m.is_finite()
            && sc.is_finite()
            && sc > 0.0
            && m >= lo - lo.abs() * 1e-15
            && m <= hi + hi.abs() * 1e-15
            && (sc == 1.0 || sc <= (hi / 2.0 - lo / 2.0) * slack)
            && s.transform(&d).is_ok();
        TestResult::from_bool(ok)
    }
    QuickCheck::new()
        .tests(1000)
        .min_tests_passed(500)
        .quickcheck(prop as fn(Vec<f64>) -> TestResult);
}
