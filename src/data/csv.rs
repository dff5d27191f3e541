//! Loading a data set from CSV: columns to features, a label column to classes or targets.

use super::{DataError, Dataset};
use nalgebra::SVector;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// A CSV column, by header name or by 0-based index.
///
/// ```
/// use dualgrad::data::Column;
/// assert_eq!(Column::from("species"), Column::Name("species".into()));
/// assert_eq!(Column::from(4), Column::Index(4));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// The column with this name in the header.
    Name(String),
    /// The column at this 0-based position.
    Index(usize),
}

impl From<&str> for Column {
    fn from(name: &str) -> Self {
        Column::Name(name.to_owned())
    }
}

impl From<String> for Column {
    fn from(name: String) -> Self {
        Column::Name(name)
    }
}

impl From<usize> for Column {
    fn from(index: usize) -> Self {
        Column::Index(index)
    }
}

/// Reads a CSV file into a [`Dataset`]: `F` columns become the features (parsed as finite
/// `f64`) and one column the target, either a class label ([`classes_from_reader`]) or a
/// number ([`regression_from_reader`]).
///
/// By default the first line is a header and the delimiter is a comma; fields are trimmed.
/// Every row must have as many fields as the header (or, without a header, as the first row).
/// Errors name the line (1-based, the header is line 1) and the column (1-based).
///
/// [`classes_from_reader`]: CsvLoader::classes_from_reader
/// [`regression_from_reader`]: CsvLoader::regression_from_reader
///
/// ```
/// use dualgrad::data::{CsvLoader, DataError};
/// let text = "a,b,kind\n1.0,2.0,cat\n3.0,4.0,dog\n5.0,6.0,cat\n";
/// let (data, classes) = CsvLoader::new(["a", "b"], "kind").classes_from_reader(text.as_bytes())?;
/// assert_eq!(classes, ["cat", "dog"]); // in order of first appearance
/// assert_eq!(data.targets(), [0, 1, 0]);
/// assert_eq!(data.features()[1][0], 3.0);
///
/// let bad = "a,b,kind\n1.0,2.0,cat\n3.0,x,dog\n";
/// let e = CsvLoader::new(["a", "b"], "kind").classes_from_reader(bad.as_bytes()).unwrap_err();
/// assert_eq!(e.to_string(), "line 3, column 2 (b): \"x\" is not a finite number");
/// # Ok::<(), DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CsvLoader<const F: usize> {
    features: [Column; F],
    label: Column,
    has_header: bool,
    delimiter: u8,
    classes: Option<Vec<String>>,
}

impl<const F: usize> CsvLoader<F> {
    /// A loader taking the features from `features` (in that order) and the target from
    /// `label`; each column given by name or 0-based index.
    ///
    /// ```
    /// use dualgrad::data::CsvLoader;
    /// let by_index = CsvLoader::new([0, 1, 2, 3], 4usize).has_header(false);
    /// let text = "5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n";
    /// let (iris, classes) = by_index.classes_from_reader(text.as_bytes())?;
    /// assert_eq!((iris.len(), classes.len()), (2, 2));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn new<C: Into<Column>>(features: [C; F], label: impl Into<Column>) -> Self {
        Self {
            features: features.map(Into::into),
            label: label.into(),
            has_header: true,
            delimiter: b',',
            classes: None,
        }
    }

    /// Whether the first line is a header (default `true`). Without a header, columns must be
    /// given by index.
    ///
    /// ```
    /// use dualgrad::data::CsvLoader;
    /// let d = CsvLoader::new([0], 1usize).has_header(false).regression_from_reader("1,2\n3,4\n".as_bytes())?;
    /// assert_eq!(d.targets(), [2.0, 4.0]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn has_header(mut self, yes: bool) -> Self {
        self.has_header = yes;
        self
    }

    /// The field delimiter (default `b','`).
    ///
    /// ```
    /// use dualgrad::data::CsvLoader;
    /// let d = CsvLoader::new(["x"], "y").delimiter(b';').regression_from_reader("x;y\n1;2\n".as_bytes())?;
    /// assert_eq!(d.targets(), [2.0]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Declare the class names: class `i` is `names[i]`, and a label not among them is an error
    /// ([`DataError::UnknownClass`]). Without this, classes are numbered in order of first
    /// appearance.
    ///
    /// ```
    /// use dualgrad::data::{CsvLoader, DataError};
    /// let loader = CsvLoader::new(["x"], "y").classes(&["no", "yes"]);
    /// let (d, _) = loader.classes_from_reader("x,y\n1,yes\n2,no\n".as_bytes())?;
    /// assert_eq!(d.targets(), [1, 0]);
    /// let e = loader.classes_from_reader("x,y\n1,maybe\n".as_bytes()).unwrap_err();
    /// assert_eq!(e.to_string(), "line 2, column 2: unknown class label \"maybe\" (known: no, yes)");
    /// # Ok::<(), DataError>(())
    /// ```
    pub fn classes<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.classes = Some(names.iter().map(|s| s.as_ref().to_owned()).collect());
        self
    }

    /// Load a classification data set from a reader; returns the data set and the class names
    /// (class `i` is `names[i]`).
    ///
    /// # Errors
    /// Any [`DataError`] of CSV input: an empty input, a row with too few or too many fields, a
    /// non-numeric feature, an unknown or empty class label, a missing column, a column name the
    /// header has twice ([`DataError::AmbiguousColumn`]), a column used twice (as two features,
    /// or as a feature and the label, which would leak the target into the inputs:
    /// [`DataError::ColumnUsedTwice`]), a delimiter that cannot separate fields
    /// ([`DataError::InvalidDelimiter`]).
    ///
    /// ```
    /// use dualgrad::data::{CsvLoader, DataError};
    /// let e = CsvLoader::new(["x"], "y").classes_from_reader("x,y\n1,a\n2\n".as_bytes()).unwrap_err();
    /// assert_eq!(e, DataError::FieldCount { line: 3, expected: 2, found: 1 });
    /// # Ok::<(), DataError>(())
    /// ```
    pub fn classes_from_reader<R: Read>(
        &self,
        reader: R,
    ) -> Result<(Dataset<F, usize>, Vec<String>), DataError> {
        let fixed = self.classes.is_some();
        let mut names = self.classes.clone().unwrap_or_default();
        for (k, name) in names.iter().enumerate() {
            if names[..k].contains(name) {
                return Err(DataError::DuplicateClass { name: name.clone() });
            }
        }
        let data = self.read(reader, |text, site| {
            if let Some(k) = names.iter().position(|n| n == text) {
                Ok(k)
            } else if fixed || text.is_empty() {
                Err(DataError::UnknownClass {
                    line: site.line,
                    column: site.column,
                    value: text.to_owned(),
                    known: names.clone(),
                })
            } else {
                names.push(text.to_owned());
                Ok(names.len() - 1)
            }
        })?;
        Ok((data, names))
    }

    /// Load a classification data set from a file (see
    /// [`classes_from_reader`](CsvLoader::classes_from_reader)).
    ///
    /// # Errors
    /// [`DataError::Io`] naming the path if it cannot be read (also for a directory, and for a
    /// read error midway), and every error of
    /// [`classes_from_reader`](CsvLoader::classes_from_reader).
    ///
    /// ```
    /// use dualgrad::data::CsvLoader;
    /// let features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
    /// let (iris, classes) = CsvLoader::new(features, "species").classes_from_path(path)?;
    /// assert_eq!(iris.len(), 150);
    /// assert_eq!(classes, ["setosa", "versicolor", "virginica"]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn classes_from_path(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<(Dataset<F, usize>, Vec<String>), DataError> {
        let path = path.as_ref();
        self.classes_from_reader(open(path)?)
            .map_err(|e| name_path(e, path))
    }

    /// Load a regression data set (numeric targets) from a reader.
    ///
    /// # Errors
    /// Any [`DataError`] of CSV input (see
    /// [`classes_from_reader`](CsvLoader::classes_from_reader)); a non-numeric or non-finite
    /// target is [`DataError::NotNumeric`].
    ///
    /// ```
    /// use dualgrad::data::CsvLoader;
    /// // the label selected as a feature too
    /// let e = CsvLoader::new(["x", "y"], "y").regression_from_reader("x,y\n1,2\n".as_bytes()).unwrap_err();
    /// assert_eq!(e.to_string(), "column 2 (y) is used twice: as feature 2 and as the label");
    /// ```
    ///
    /// ```
    /// use dualgrad::data::CsvLoader;
    /// let d = CsvLoader::new(["x1", "x2"], "y").regression_from_reader("x1,x2,y\n1,2,3.5\n".as_bytes())?;
    /// assert_eq!((d.features()[0][1], d.targets()[0]), (2.0, 3.5));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn regression_from_reader<R: Read>(&self, reader: R) -> Result<Dataset<F, f64>, DataError> {
        self.read(reader, parse_number)
    }

    /// Load a regression data set from a file (see
    /// [`regression_from_reader`](CsvLoader::regression_from_reader)).
    ///
    /// # Errors
    /// [`DataError::Io`] naming the path if it cannot be read (also for a directory, and for a
    /// read error midway), and every error of
    /// [`regression_from_reader`](CsvLoader::regression_from_reader).
    ///
    /// ```
    /// use dualgrad::data::{CsvLoader, DataError};
    /// let e = CsvLoader::new(["x"], "y").regression_from_path("/no/such/file.csv").unwrap_err();
    /// assert!(matches!(e, DataError::Io { ref path, .. } if path == "/no/such/file.csv"));
    /// ```
    pub fn regression_from_path(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<Dataset<F, f64>, DataError> {
        let path = path.as_ref();
        self.regression_from_reader(open(path)?)
            .map_err(|e| name_path(e, path))
    }

    /// The reader proper; `label` turns the label field into a target.
    fn read<R: Read, Y: Clone>(
        &self,
        reader: R,
        mut label: impl FnMut(&str, Site<'_>) -> Result<Y, DataError>,
    ) -> Result<Dataset<F, Y>, DataError> {
        if matches!(self.delimiter, b'"' | b'\n' | b'\r') || !self.delimiter.is_ascii() {
            return Err(DataError::InvalidDelimiter {
                delimiter: self.delimiter,
            });
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .delimiter(self.delimiter)
            .from_reader(reader);
        let mut records = rdr.records();
        let first = match records.next() {
            None => return Err(DataError::EmptyFile),
            Some(r) => r.map_err(csv_error)?,
        };
        let (header, expected, mut pending) = if self.has_header {
            let names: Vec<String> = first.iter().map(str::to_owned).collect();
            (Some(names), first.len(), None)
        } else {
            (None, first.len(), Some(first))
        };
        let feature_cols = self
            .features
            .clone()
            .map(|c| resolve(&c, header.as_deref(), expected));
        let mut cols = [0usize; F];
        for (k, c) in feature_cols.into_iter().enumerate() {
            cols[k] = c?;
        }
        let label_col = resolve(&self.label, header.as_deref(), expected)?;
        let uses = cols
            .iter()
            .enumerate()
            .map(|(k, &c)| (c, format!("feature {}", k + 1)))
            .chain([(label_col, "the label".to_owned())]);
        let mut seen: Vec<(usize, String)> = Vec::with_capacity(F + 1);
        for (c, what) in uses {
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == c) {
                return Err(DataError::ColumnUsedTwice {
                    column: c + 1,
                    name: header.as_ref().map(|h| h[c].clone()),
                    uses: [first.clone(), what],
                });
            }
            seen.push((c, what));
        }
        let site = |line, c: usize| Site {
            line,
            column: c + 1,
            name: header.as_ref().map(|h| h[c].as_str()),
        };

        let (mut features, mut targets) = (Vec::new(), Vec::new());
        loop {
            let record = match pending.take() {
                Some(r) => r,
                None => match records.next() {
                    None => break,
                    Some(r) => r.map_err(csv_error)?,
                },
            };
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() != expected {
                return Err(DataError::FieldCount {
                    line,
                    expected,
                    found: record.len(),
                });
            }
            let mut x = SVector::<f64, F>::zeros();
            for (k, &c) in cols.iter().enumerate() {
                x[k] = parse_number(&record[c], site(line, c))?;
            }
            features.push(x);
            targets.push(label(&record[label_col], site(line, label_col))?);
        }
        if features.is_empty() {
            return Err(DataError::NoRows);
        }
        Dataset::new(features, targets)
    }
}

fn open(path: &Path) -> Result<File, DataError> {
    let io = |message: String| DataError::Io {
        path: path.display().to_string(),
        message,
    };
    if path.is_dir() {
        return Err(io("is a directory, not a file".into()));
    }
    File::open(path).map_err(|e| io(e.to_string()))
}

/// A read error from a file names the file, not `<reader>`.
fn name_path(e: DataError, path: &Path) -> DataError {
    match e {
        DataError::Io { message, .. } => DataError::Io {
            path: path.display().to_string(),
            message,
        },
        other => other,
    }
}

fn csv_error(e: csv::Error) -> DataError {
    if e.is_io_error() {
        DataError::Io {
            path: "<reader>".into(),
            message: e.to_string(),
        }
    } else {
        DataError::Csv {
            line: e.position().map(csv::Position::line),
            message: e.to_string(),
        }
    }
}

fn resolve(column: &Column, header: Option<&[String]>, columns: usize) -> Result<usize, DataError> {
    match (column, header) {
        (Column::Index(i), _) if *i < columns => Ok(*i),
        (Column::Index(i), _) => Err(DataError::ColumnOutOfRange { index: *i, columns }),
        (Column::Name(name), Some(header)) => {
            let columns: Vec<usize> = (0..header.len()).filter(|&k| header[k] == *name).collect();
            match columns[..] {
                [k] => Ok(k),
                [] => Err(DataError::UnknownColumn {
                    name: name.clone(),
                    header: header.to_vec(),
                }),
                _ => Err(DataError::AmbiguousColumn {
                    name: name.clone(),
                    columns: columns.iter().map(|k| k + 1).collect(),
                }),
            }
        }
        (Column::Name(name), None) => {
            Err(DataError::NamedColumnWithoutHeader { name: name.clone() })
        }
    }
}

/// Where a field is: its line, its 1-based column and the column's header name.
#[derive(Clone, Copy)]
struct Site<'a> {
    line: u64,
    column: usize,
    name: Option<&'a str>,
}

/// Parse a finite `f64`.
fn parse_number(text: &str, site: Site<'_>) -> Result<f64, DataError> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(DataError::NotNumeric {
            line: site.line,
            column: site.column,
            name: site.name.map(str::to_owned),
            value: text.to_owned(),
        }),
    }
}
