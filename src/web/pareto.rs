//! Pareto fronts of the candidates the page evaluated, for its tables.

use wasm_bindgen::prelude::*;

use super::{js_error, to_json};
use crate::charts::ParetoPoint;
use crate::error::Error;
use crate::pareto::{Objective, front};

/// The Pareto front of `points_json` (a JSON list of the page's candidates,
/// as the `"pareto_scatter"` chart takes them) on `objectives` (such as
/// `accuracy,latency_ms`): `{objectives, points: [{values, members}],
/// excluded: [{index, reason, objective?}]}`, members and indices being
/// positions in the list. Throws on bad JSON or objectives.
#[wasm_bindgen]
pub fn pareto_front(points_json: &str, objectives: &str) -> Result<String, JsError> {
    let points: Vec<ParetoPoint> = serde_json::from_str(points_json)
        .map_err(|e| js_error(Error::bad_setting("candidates", e)))?;
    let objectives = Objective::parse_list(objectives).map_err(js_error)?;
    let front = front(&points, &objectives).map_err(js_error)?;
    Ok(to_json(&front))
}
