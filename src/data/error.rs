//! The errors of data loading, splitting and batching.

use std::fmt;

/// Something wrong with a data set or its source. Each variant names the offending value and,
/// for CSV input, the line (1-based, counting the header) and column (1-based).
///
/// ```
/// use dualgrad::data::DataError;
/// let e = DataError::NotNumeric { line: 7, column: 3, name: Some("petal_length".into()), value: "abc".into() };
/// assert_eq!(e.to_string(), "line 7, column 3 (petal_length): \"abc\" is not a finite number");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    /// The file could not be opened or read.
    Io {
        /// The path, or `<reader>` for a reader.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The input is not well-formed CSV (e.g. invalid UTF-8).
    Csv {
        /// The line, when known.
        line: Option<u64>,
        /// The CSV parser's message.
        message: String,
    },
    /// The input has no header and no rows.
    EmptyFile,
    /// The input has a header but no data rows.
    NoRows,
    /// A row has more or fewer fields than the header (or the first row).
    FieldCount {
        /// The line of the row.
        line: u64,
        /// The number of fields expected.
        expected: usize,
        /// The number of fields found.
        found: usize,
    },
    /// A field that should be a finite number is not.
    NotNumeric {
        /// The line of the row.
        line: u64,
        /// The column, 1-based.
        column: usize,
        /// The column's header name, if the input has a header.
        name: Option<String>,
        /// The offending text.
        value: String,
    },
    /// A label that is not one of the declared classes.
    UnknownClass {
        /// The line of the row.
        line: u64,
        /// The column, 1-based.
        column: usize,
        /// The offending label.
        value: String,
        /// The declared classes.
        known: Vec<String>,
    },
    /// A column name that is not in the header.
    UnknownColumn {
        /// The name asked for.
        name: String,
        /// The header's names.
        header: Vec<String>,
    },
    /// A column index past the last field (indices are 0-based).
    ColumnOutOfRange {
        /// The index asked for.
        index: usize,
        /// The number of fields per row.
        columns: usize,
    },
    /// A column was named but the input is read without a header.
    NamedColumnWithoutHeader {
        /// The name asked for.
        name: String,
    },
    /// A column name that appears more than once in the header, so which column it means is
    /// ambiguous.
    AmbiguousColumn {
        /// The name asked for.
        name: String,
        /// The 1-based columns that carry it.
        columns: Vec<usize>,
    },
    /// The same column is used twice: as two features, or as a feature and the label (the
    /// target would leak into the inputs).
    ColumnUsedTwice {
        /// The column, 1-based.
        column: usize,
        /// Its header name, if the input has a header.
        name: Option<String>,
        /// The two uses, e.g. `"feature 2"` and `"the label"`.
        uses: [String; 2],
    },
    /// A delimiter the CSV format cannot use (a quote, a line break or a non-ASCII byte).
    InvalidDelimiter {
        /// The delimiter byte given.
        delimiter: u8,
    },
    /// The same class name was declared twice.
    DuplicateClass {
        /// The repeated name.
        name: String,
    },
    /// Features and targets of different lengths.
    LengthMismatch {
        /// The number of feature vectors.
        features: usize,
        /// The number of targets.
        targets: usize,
    },
    /// A feature value that is NaN or infinite.
    NonFinite {
        /// The sample (0-based).
        row: usize,
        /// The feature (0-based).
        feature: usize,
        /// The value.
        value: f64,
    },
    /// A standardised feature that is not representable (a value far outside the training
    /// range, divided by a tiny scale).
    StandardizeOverflow {
        /// The sample (0-based).
        row: usize,
        /// The feature (0-based).
        feature: usize,
        /// The raw value.
        value: f64,
        /// The fitted mean of the feature.
        mean: f64,
        /// The fitted scale of the feature.
        scale: f64,
    },
    /// An operation that needs at least one sample got none.
    EmptyDataset,
    /// A batch size of zero or larger than the data set.
    BatchSize {
        /// The batch size asked for.
        batch_size: usize,
        /// The number of samples.
        len: usize,
    },
    /// A split fraction outside the open interval (0, 1), or NaN.
    Fraction {
        /// The fraction asked for.
        fraction: f64,
    },
    /// A split that would leave the training or the test part empty.
    EmptyPart {
        /// The fraction asked for.
        fraction: f64,
        /// The number of samples (or of samples in the smallest class, for a stratified split).
        len: usize,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Io { path, message } => write!(f, "cannot read {path}: {message}"),
            DataError::Csv {
                line: Some(line),
                message,
            } => write!(f, "line {line}: malformed CSV: {message}"),
            DataError::Csv {
                line: None,
                message,
            } => write!(f, "malformed CSV: {message}"),
            DataError::EmptyFile => write!(f, "the CSV input is empty (no header, no rows)"),
            DataError::NoRows => write!(f, "the CSV input has a header but no data rows"),
            DataError::FieldCount {
                line,
                expected,
                found,
            } => {
                let what = if found < expected {
                    "too few"
                } else {
                    "too many"
                };
                write!(
                    f,
                    "line {line}: {what} fields: expected {expected}, found {found}"
                )
            }
            DataError::NotNumeric {
                line,
                column,
                name,
                value,
            } => {
                write!(f, "line {line}, column {column}")?;
                if let Some(name) = name {
                    write!(f, " ({name})")?;
                }
                write!(f, ": {value:?} is not a finite number")
            }
            DataError::UnknownClass {
                line,
                column,
                value,
                known,
            } => write!(
                f,
                "line {line}, column {column}: unknown class label {value:?} (known: {})",
                known.join(", ")
            ),
            DataError::UnknownColumn { name, header } => write!(
                f,
                "no column named {name:?} in the header ({})",
                header.join(", ")
            ),
            DataError::ColumnOutOfRange { index, columns } => write!(
                f,
                "column index {index} out of range: rows have {columns} fields (indices 0..{columns})"
            ),
            DataError::NamedColumnWithoutHeader { name } => write!(
                f,
                "column {name:?} is given by name, but the input is read without a header"
            ),
            DataError::AmbiguousColumn { name, columns } => {
                let cols: Vec<String> = columns.iter().map(usize::to_string).collect();
                write!(
                    f,
                    "column name {name:?} is ambiguous: the header has it in columns {}",
                    cols.join(", ")
                )
            }
            DataError::ColumnUsedTwice { column, name, uses } => {
                write!(f, "column {column}")?;
                if let Some(name) = name {
                    write!(f, " ({name})")?;
                }
                write!(f, " is used twice: as {} and as {}", uses[0], uses[1])
            }
            DataError::InvalidDelimiter { delimiter } => write!(
                f,
                "delimiter {:?} cannot separate CSV fields (a quote, a line break or a non-ASCII byte)",
                char::from(*delimiter)
            ),
            DataError::DuplicateClass { name } => {
                write!(f, "class {name:?} is declared more than once")
            }
            DataError::LengthMismatch { features, targets } => {
                write!(f, "{features} feature vectors but {targets} targets")
            }
            DataError::NonFinite {
                row,
                feature,
                value,
            } => write!(f, "sample {row}, feature {feature}: {value} is not finite"),
            DataError::StandardizeOverflow {
                row,
                feature,
                value,
                mean,
                scale,
            } => write!(
                f,
                "sample {row}, feature {feature}: standardising {value} with mean {mean} and scale {scale} overflows"
            ),
            DataError::EmptyDataset => write!(f, "the data set is empty"),
            DataError::BatchSize { batch_size, len } => {
                if *batch_size == 0 {
                    write!(f, "batch size 0: a batch needs at least one sample")
                } else {
                    write!(
                        f,
                        "batch size {batch_size} is larger than the data set ({len} samples)"
                    )
                }
            }
            DataError::Fraction { fraction } => write!(
                f,
                "split fraction {fraction} is outside the open interval (0, 1)"
            ),
            DataError::EmptyPart { fraction, len } => write!(
                f,
                "split fraction {fraction} of {len} samples leaves one part empty"
            ),
        }
    }
}

impl std::error::Error for DataError {}
