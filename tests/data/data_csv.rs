//! The CSV loader: the shipped iris file, and a clear error (never a panic) for every kind of
//! bad input, naming the line and column or the value.

use dualgrad::data::{Column, CsvLoader, DataError};

const IRIS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

fn load(text: &str) -> Result<(dualgrad::data::Dataset<2, usize>, Vec<String>), DataError> {
    CsvLoader::new(["a", "b"], "label").classes_from_reader(text.as_bytes())
}

#[test]
fn iris_loads_with_its_three_species() {
    let (iris, classes) = CsvLoader::new(FEATURES, "species")
        .classes_from_path(IRIS)
        .unwrap();
    assert_eq!(iris.len(), 150);
    assert_eq!(classes, ["setosa", "versicolor", "virginica"]);
    for c in 0..3 {
        assert_eq!(iris.targets().iter().filter(|&&t| t == c).count(), 50);
    }
    // Fisher's first and last plants (Annals of Eugenics 1936, Table I)
    assert_eq!(iris.features()[0].as_slice(), [5.1, 3.5, 1.4, 0.2]);
    assert_eq!(iris.features()[149].as_slice(), [5.9, 3.0, 5.1, 1.8]);
    // the two points where the UCI copy is wrong (samples 35 and 38, 1-based)
    assert_eq!(iris.features()[34].as_slice(), [4.9, 3.1, 1.5, 0.2]);
    assert_eq!(iris.features()[37].as_slice(), [4.9, 3.6, 1.4, 0.1]);
    // the same file through column indices and declared classes
    let (by_index, _) = CsvLoader::new([0, 1, 2, 3], 4usize)
        .classes(&["setosa", "versicolor", "virginica"])
        .classes_from_path(IRIS)
        .unwrap();
    assert_eq!(by_index, iris);
}

#[test]
fn a_row_with_too_few_fields() {
    let e = load("a,b,label\n1,2,x\n3,4\n").unwrap_err();
    assert_eq!(
        e,
        DataError::FieldCount {
            line: 3,
            expected: 3,
            found: 2
        }
    );
    assert_eq!(e.to_string(), "line 3: too few fields: expected 3, found 2");
}

#[test]
fn a_row_with_too_many_fields() {
    let e = load("a,b,label\n1,2,x\n3,4,y\n5,6,z,9\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 4: too many fields: expected 3, found 4"
    );
}

#[test]
fn a_non_numeric_field() {
    let e = load("a,b,label\n1,2,x\n3,four,y\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column 2 (b): \"four\" is not a finite number"
    );
    // empty, NaN and infinite values are not finite numbers either
    for bad in ["", "NaN", "inf", "-inf", "1e999"] {
        let e = load(&format!("a,b,label\n{bad},2,x\n")).unwrap_err();
        assert_eq!(
            e,
            DataError::NotNumeric {
                line: 2,
                column: 1,
                name: Some("a".into()),
                value: bad.into()
            }
        );
    }
    // a numeric regression target is checked the same way
    let e = CsvLoader::new(["a"], "y").regression_from_reader("a,y\n1,2\n2,oops\n".as_bytes());
    assert_eq!(
        e.unwrap_err().to_string(),
        "line 3, column 2 (y): \"oops\" is not a finite number"
    );
}

#[test]
fn an_unknown_class_label() {
    let loader =
        CsvLoader::new(FEATURES, "species").classes(&["setosa", "versicolor", "virginica"]);
    let text = "sepal_length,sepal_width,petal_length,petal_width,species\n\
                5.1,3.5,1.4,0.2,setosa\n\
                6.0,2.2,5.0,1.5,virginca\n";
    let e = loader.classes_from_reader(text.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column 5: unknown class label \"virginca\" (known: setosa, versicolor, virginica)"
    );
    // without declared classes an empty label is still refused
    let e = load("a,b,label\n1,2,\n").unwrap_err();
    assert!(
        matches!(
            e,
            DataError::UnknownClass {
                line: 2,
                column: 3,
                ..
            }
        ),
        "{e}"
    );
    // a class declared twice
    let e = CsvLoader::new(["a", "b"], "label")
        .classes(&["x", "x"])
        .classes_from_reader("a,b,label\n".as_bytes());
    assert_eq!(
        e.unwrap_err(),
        DataError::DuplicateClass { name: "x".into() }
    );
}

#[test]
fn an_empty_file_and_a_header_without_rows() {
    assert_eq!(load("").unwrap_err(), DataError::EmptyFile);
    assert_eq!(load("a,b,label\n").unwrap_err(), DataError::NoRows);
    assert_eq!(load("\n\n").unwrap_err(), DataError::EmptyFile);
    let e = CsvLoader::new(["a"], "y")
        .regression_from_path("/nonexistent/dir/x.csv")
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot read /nonexistent/dir/x.csv: "),
        "{e}"
    );
}

#[test]
fn missing_and_out_of_range_columns() {
    let e = CsvLoader::new(["a", "c"], "label")
        .classes_from_reader("a,b,label\n1,2,x\n".as_bytes())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "no column named \"c\" in the header (a, b, label)"
    );
    let e = CsvLoader::new([0, 5], 2usize)
        .classes_from_reader("a,b,label\n1,2,x\n".as_bytes())
        .unwrap_err();
    assert_eq!(
        e,
        DataError::ColumnOutOfRange {
            index: 5,
            columns: 3
        }
    );
    let e = CsvLoader::new(["a", "b"], "label")
        .has_header(false)
        .classes_from_reader("1,2,x\n".as_bytes())
        .unwrap_err();
    assert_eq!(e, DataError::NamedColumnWithoutHeader { name: "a".into() });
    assert_eq!(Column::from(3), Column::Index(3));
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let bytes: &[u8] = b"a,b,label\n1,2,\xff\xfe\n";
    let e = CsvLoader::new(["a", "b"], "label")
        .classes_from_reader(bytes)
        .unwrap_err();
    assert!(matches!(e, DataError::Csv { .. }), "{e}");
}

#[test]
fn lenient_where_it_is_safe() {
    // CRLF line ends, spaces around fields, quoted fields, blank lines, a missing final newline
    let text = "a , b ,label\r\n 1.5 , -2 ,\"x\"\r\n\r\n3,4e-1,y";
    let (d, classes) = load(text).unwrap();
    assert_eq!(classes, ["x", "y"]);
    assert_eq!(d.features()[0].as_slice(), [1.5, -2.0]);
    assert_eq!(d.features()[1].as_slice(), [3.0, 0.4]);
    // other delimiters, no header
    let d = CsvLoader::new([1], 0usize)
        .has_header(false)
        .delimiter(b'\t')
        .regression_from_reader("10\t1\n20\t2\n".as_bytes())
        .unwrap();
    assert_eq!(d.targets(), [10.0, 20.0]);
    // with no header, a short later row is reported against the first row's length
    let e = CsvLoader::new([1], 0usize)
        .has_header(false)
        .regression_from_reader("10,1\n20\n".as_bytes());
    assert_eq!(
        e.unwrap_err(),
        DataError::FieldCount {
            line: 2,
            expected: 2,
            found: 1
        }
    );
}
