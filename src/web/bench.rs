//! Benchmark figures for the bench page's worker, on the worker's backend.
//! Each call measures one figure from a JSON spec and resolves it as JSON.

use wasm_bindgen::prelude::*;

use super::search::COMPUTE;
use super::{js_error, to_json};
use crate::backend::Compute;
use crate::bench::{MatmulSpec, MemorySpec, TrainingSpec};

/// Bytes in one page of wasm linear memory.
const WASM_PAGE_BYTES: u64 = 65_536;

fn compute() -> Result<Compute, JsError> {
    COMPUTE
        .with(|cell| cell.borrow().clone())
        .ok_or_else(|| JsError::new("no backend yet: call init_backend first"))
}

/// Training throughput (`crate::bench::TrainingSpec` as JSON); resolves the
/// `TrainingFigure` as JSON, rejects with a message naming a bad setting.
#[wasm_bindgen]
pub async fn bench_training(spec_json: String) -> Result<String, JsError> {
    let spec = TrainingSpec::from_json(&spec_json).map_err(js_error)?;
    let figure = spec.measure(&compute()?).await.map_err(js_error)?;
    Ok(to_json(&figure))
}

/// The matrix-multiply ceiling (`MatmulSpec` as JSON); resolves the
/// `MatmulFigure` as JSON.
#[wasm_bindgen]
pub async fn bench_matmul(spec_json: String) -> Result<String, JsError> {
    let spec = MatmulSpec::from_json(&spec_json).map_err(js_error)?;
    let figure = spec.measure(&compute()?).await.map_err(js_error)?;
    Ok(to_json(&figure))
}

/// Wasm linear memory over a long run (`MemorySpec` as JSON); resolves the
/// `MemoryFigure` as JSON. Linear memory only grows, so each reading is also
/// the peak so far. `on_candidate(number)` is called as each candidate
/// finishes, for progress.
#[wasm_bindgen]
pub async fn bench_memory(
    spec_json: String,
    on_candidate: js_sys::Function,
) -> Result<String, JsError> {
    let spec = MemorySpec::from_json(&spec_json).map_err(js_error)?;
    let read_bytes = || core::arch::wasm32::memory_size::<0>() as u64 * WASM_PAGE_BYTES;
    let report = |number: usize| {
        // Progress only: a callback that throws must not end the measurement.
        let _ = on_candidate.call1(&JsValue::NULL, &JsValue::from(number as u32));
    };
    let figure = spec
        .measure(&compute()?, read_bytes, report)
        .await
        .map_err(js_error)?;
    Ok(to_json(&figure))
}
