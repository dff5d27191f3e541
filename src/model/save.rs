//! Saving and loading a model's parameters as JSON (feature `serde`).

use super::{Model, ModelError};
use nalgebra::SVector;
use serde::{Deserialize, Serialize};

/// The file format: the model's kind, its layer sizes, and the flat parameter vector in the
/// documented order of the model's parameter struct.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    model: String,
    layer_sizes: Vec<usize>,
    parameters: Vec<f64>,
}

fn shape(name: &str, sizes: &[usize], n: usize) -> String {
    format!("{name} {sizes:?} ({n} parameters)")
}

/// Write a model's parameters as JSON: `{"model": kind, "layer_sizes": [...], "parameters":
/// [...]}`, the parameters in flat order. Numbers are written in their shortest round-trip
/// form, so [`load_json`] reads back the same bits.
///
/// # Errors
/// [`ModelError::NonFiniteParameter`] naming the first NaN or infinite parameter (JSON has no
/// such numbers).
///
/// ```
/// use dualgrad::model::{LogisticRegression, save_json};
/// use nalgebra::SVector;
/// let json = save_json(&LogisticRegression::<2, 3>::new(), &SVector::from([0.5, -1.0, 0.25]))?;
/// assert!(json.contains("\"logistic-regression\""));
/// # Ok::<(), dualgrad::model::ModelError>(())
/// ```
pub fn save_json<M, const I: usize, const O: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
) -> Result<String, ModelError>
where
    M: Model<I, O, P>,
{
    if let Some(i) = params.iter().position(|v| !v.is_finite()) {
        return Err(ModelError::NonFiniteParameter {
            name: model.param_name(i),
            value: params[i],
        });
    }
    let saved = Saved {
        model: model.name(),
        layer_sizes: model.layer_sizes(),
        parameters: params.iter().copied().collect(),
    };
    serde_json::to_string_pretty(&saved).map_err(|e| ModelError::Json {
        message: e.to_string(),
    })
}

/// Read parameters written by [`save_json`], checking that the saved kind, layer sizes and
/// parameter count are those of `model`.
///
/// # Errors
/// [`ModelError::Json`] for malformed input; [`ModelError::Shape`] naming both shapes when the
/// saved model differs from `model`.
///
/// ```
/// use dualgrad::model::{Mlp1, Model, Tanh, load_json, save_json};
/// let net = Mlp1::<Tanh, 4, 8, 3, 67>::new();
/// let p = net.init(1);
/// let json = save_json(&net, &p)?;
/// assert_eq!(load_json(&net, &json)?, p); // bit for bit
///
/// let other = Mlp1::<Tanh, 4, 5, 3, 43>::new();
/// let e = load_json(&other, &json).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "saved model has shape network-tanh [4, 8, 3] (67 parameters), \
///      expected network-tanh [4, 5, 3] (43 parameters)"
/// );
/// # Ok::<(), dualgrad::model::ModelError>(())
/// ```
pub fn load_json<M, const I: usize, const O: usize, const P: usize>(
    model: &M,
    json: &str,
) -> Result<SVector<f64, P>, ModelError>
where
    M: Model<I, O, P>,
{
    let saved: Saved = serde_json::from_str(json).map_err(|e| ModelError::Json {
        message: e.to_string(),
    })?;
    let (name, sizes) = (model.name(), model.layer_sizes());
    if saved.model != name || saved.layer_sizes != sizes || saved.parameters.len() != P {
        return Err(ModelError::Shape {
            expected: shape(&name, &sizes, P),
            found: shape(&saved.model, &saved.layer_sizes, saved.parameters.len()),
        });
    }
    Ok(SVector::from_iterator(saved.parameters))
}
