//! Search-space helpers and chart drawing for the page's main thread.

use plotters_canvas::CanvasBackend;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::{js_error, to_json};
use crate::charts::{ChartStyle, draw_json_points};
use crate::error::Error;
use crate::space::{Architecture, NetShape, Op, network_cost};

/// `[{op, kind, params, flops}]` for the seven ops at `width` channels on a
/// `input_size`² map.
#[wasm_bindgen]
pub fn ops_table(width: usize, input_size: usize) -> String {
    let rows: Vec<_> = Op::ALL
        .iter()
        .map(|op| json!({"op": op.name(), "kind": op.kind(), "params": op.params(width), "flops": op.flops(width, input_size)}))
        .collect();
    to_json(&rows)
}

/// `{ops, params, flops}` of an architecture text; throws on bad text.
#[wasm_bindgen]
pub fn arch_info(
    text: &str,
    in_channels: usize,
    classes: usize,
    width: usize,
    input_size: usize,
) -> Result<String, JsError> {
    let arch: Architecture = text.parse().map_err(js_error)?;
    let cost = network_cost(
        &arch,
        &NetShape {
            in_channels,
            classes,
            width,
            input_size,
        },
    );
    Ok(to_json(
        &json!({"ops": arch.ops(), "params": cost.params, "flops": cost.flops}),
    ))
}

/// `depth` ops drawn from the enabled ops (comma-separated), seeded.
#[wasm_bindgen]
pub fn random_arch(depth: usize, seed: u32, enabled_ops: &str) -> Result<String, JsError> {
    if depth == 0 {
        return Err(js_error(Error::out_of_range("depth", 1, 12, 0)));
    }
    let ops = parse_ops(enabled_ops)?;
    Ok(Architecture::random(depth, &ops, &mut StdRng::seed_from_u64(seed.into())).to_string())
}

/// The architecture with each op redrawn with probability `prob`, seeded.
#[wasm_bindgen]
pub fn mutate_arch(text: &str, prob: f64, seed: u32, enabled_ops: &str) -> Result<String, JsError> {
    let arch: Architecture = text.parse().map_err(js_error)?;
    let ops = parse_ops(enabled_ops)?;
    Ok(arch
        .mutate(prob, &ops, &mut StdRng::seed_from_u64(seed.into()))
        .to_string())
}

/// `{child, skipped, point}` of a one-point crossover, seeded.
#[wasm_bindgen]
pub fn crossover_arch(first: &str, second: &str, seed: u32) -> Result<String, JsError> {
    let a: Architecture = first.parse().map_err(js_error)?;
    let b: Architecture = second.parse().map_err(js_error)?;
    let cross = a.crossover(&b, &mut StdRng::seed_from_u64(seed.into()));
    Ok(to_json(
        &json!({"child": cross.child.to_string(), "skipped": cross.point.is_none(), "point": cross.point}),
    ))
}

/// Draws chart `kind` from JSON data on a canvas whose pixel size is already
/// its CSS size × `scale` (devicePixelRatio). Returns where its clickable
/// points landed, `[{index, x, y}]` in canvas pixels (`[]` for most charts).
#[wasm_bindgen]
pub fn draw_chart(
    canvas: HtmlCanvasElement,
    kind: &str,
    data_json: &str,
    scale: f64,
) -> Result<String, JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
    let style = ChartStyle {
        scale: if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        },
    };
    let positions = draw_json_points(backend, kind, data_json, &style).map_err(js_error)?;
    Ok(to_json(&positions))
}

fn parse_ops(list: &str) -> Result<Vec<Op>, JsError> {
    if list.trim().is_empty() {
        return Err(js_error(Error::bad_setting(
            "ops",
            "enable at least one op",
        )));
    }
    Op::parse_list(list).map_err(js_error)
}
