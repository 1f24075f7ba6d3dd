//! Exports for the page's download buttons: an architecture as PyTorch source
//! and as JSON, for the shape its run was trained on.

use wasm_bindgen::prelude::*;

use super::{js_error, to_json};
use crate::export::{self, Network, check_shape};
use crate::space::NetShape;

/// Reads the design (chain or cell text form) and checks the shape.
fn parse(
    arch: &str,
    in_channels: usize,
    classes: usize,
    width: usize,
    input_size: usize,
) -> Result<(Network, NetShape), JsError> {
    let network: Network = arch.parse().map_err(js_error)?;
    let shape = NetShape {
        in_channels,
        classes,
        width,
        input_size,
    };
    check_shape(&shape).map_err(js_error)?;
    Ok((network, shape))
}

/// A self-contained Python file whose `NasplayNet` builds the same network;
/// throws an Error naming a bad op or dimension.
#[wasm_bindgen]
pub fn pytorch_source(
    arch: &str,
    in_channels: usize,
    classes: usize,
    width: usize,
    input_size: usize,
) -> Result<String, JsError> {
    let (network, shape) = parse(arch, in_channels, classes, width, input_size)?;
    Ok(export::pytorch_source(&network, &shape))
}

/// The architecture's JSON document: kind, layout, shape, parameters, FLOPs.
#[wasm_bindgen]
pub fn architecture_json(
    arch: &str,
    in_channels: usize,
    classes: usize,
    width: usize,
    input_size: usize,
) -> Result<String, JsError> {
    let (network, shape) = parse(arch, in_channels, classes, width, input_size)?;
    Ok(to_json(&export::architecture_json(&network, &shape)))
}
