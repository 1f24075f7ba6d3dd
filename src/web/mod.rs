//! The browser boundary: the only code that knows wasm-bindgen and web-sys.
//! Functions take and return JSON strings; errors become JS `Error`s whose
//! message is the engine's user-facing sentence.

mod bench;
mod darts;
mod data;
mod export;
mod hardware;
mod nb201;
mod pareto;
mod predictor;
mod search;
mod space;

use std::fmt::Display;

use wasm_bindgen::prelude::*;

unsafe extern "C" {
    /// The module's static constructors. A dependency of Burn's GPU compiler
    /// registers some, and without this explicit call the linker re-runs them
    /// on every JS→wasm call, which made WebGPU training about 15× slower.
    fn __wasm_call_ctors();
}

#[wasm_bindgen(start)]
pub fn start() {
    // SAFETY: called once, when the module is instantiated, before any other export.
    unsafe { __wasm_call_ctors() };
    console_error_panic_hook::set_once();
    let _ = console_log::init_with_level(log::Level::Warn);
}

/// A JS `Error` carrying the message of an engine error.
fn js_error(error: impl Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Serializes a value for JS; our types always serialize.
fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("engine values always serialize")
}
