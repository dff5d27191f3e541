//! The errors of building objectives and of saving and loading models.

use std::fmt;

/// Something wrong with a model's inputs, its hyperparameters or a saved file.
///
/// ```
/// use dualgrad::model::ModelError;
/// let e = ModelError::Shape { expected: "network-tanh [4, 8, 3]".into(), found: "network-tanh [4, 5, 3]".into() };
/// assert_eq!(e.to_string(), "saved model has shape network-tanh [4, 5, 3], expected network-tanh [4, 8, 3]");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum ModelError {
    /// An objective over a data set with no samples.
    EmptyData,
    /// A target the loss cannot take (a class index out of range, a probability outside
    /// `[0, 1]`, a non-finite value).
    Target {
        /// The sample (0-based).
        index: usize,
        /// What is wrong, naming the value.
        message: String,
    },
    /// An L2 strength that is negative or not finite.
    Penalty {
        /// The strength asked for.
        lambda: f64,
    },
    /// A saved model that is not valid JSON of the expected form (feature `serde`).
    Json {
        /// The parser's message.
        message: String,
    },
    /// A saved model whose kind or layer sizes differ from the model loading it (feature
    /// `serde`).
    Shape {
        /// The loading model's kind and layer sizes.
        expected: String,
        /// The saved kind and layer sizes.
        found: String,
    },
    /// A parameter that JSON cannot represent (NaN or infinite), named (feature `serde`).
    NonFiniteParameter {
        /// The parameter's name, e.g. `W1[2,0]`.
        name: String,
        /// Its value.
        value: f64,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::EmptyData => write!(f, "the data set has no samples"),
            ModelError::Target { index, message } => write!(f, "sample {index}: {message}"),
            ModelError::Penalty { lambda } => {
                write!(f, "L2 strength {lambda} must be finite and non-negative")
            }
            ModelError::Json { message } => write!(f, "invalid saved model: {message}"),
            ModelError::Shape { expected, found } => {
                write!(f, "saved model has shape {found}, expected {expected}")
            }
            ModelError::NonFiniteParameter { name, value } => write!(
                f,
                "parameter {name} = {value} cannot be saved (JSON holds finite numbers only)"
            ),
        }
    }
}

impl std::error::Error for ModelError {}
