//! nasplay: a neural architecture search playground whose candidates are real
//! convnets, trained with Burn on the CPU or on WebGPU.
//!
//! The engine (everything but `web`) knows nothing of the browser: it builds and
//! tests natively, and the `web` module wraps it for a Web Worker.

pub mod backend;
pub mod bench;
pub mod charts;
pub mod darts;
pub mod data;
pub mod error;
pub mod export;
pub mod hardware;
pub mod model;
pub mod nb201;
pub mod pareto;
pub mod predictor;
pub mod search;
pub mod space;
pub mod train;

#[cfg(target_arch = "wasm32")]
mod web;

pub use error::{Error, Result};
