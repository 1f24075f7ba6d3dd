//! Latency tables for the hardware section: measuring ops in the worker, the
//! tutorial's illustrative tables and estimates on the main thread.

use serde::Deserialize;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::search::COMPUTE;
use super::{js_error, to_json};
use crate::error::Error;
use crate::hardware::{LatencyTable, estimate_latency, measure_ops, tutorial_tables};
use crate::space::{Architecture, Op};

/// What to measure: the ops at one network shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureSpec {
    ops: Vec<Op>,
    in_channels: usize,
    width: usize,
    input_size: usize,
    classes: usize,
}

/// Times every op of `spec_json` on the worker's backend; resolves
/// `{table, timings}` as JSON.
#[wasm_bindgen]
pub fn measure_op_latency(spec_json: String) -> js_sys::Promise {
    future_to_promise(async move {
        let spec: MeasureSpec = serde_json::from_str(&spec_json)
            .map_err(|e| JsValue::from(js_error(Error::bad_setting("measurement", e))))?;
        if spec.ops.is_empty() || spec.width == 0 || spec.input_size == 0 || spec.classes == 0 {
            return Err(JsValue::from(js_error(Error::bad_setting(
                "measurement",
                "needs at least one op and a width, input size and class count of at least 1",
            ))));
        }
        let compute = COMPUTE
            .with(|cell| cell.borrow().clone())
            .ok_or_else(|| JsValue::from_str("no backend yet: call init_backend first"))?;
        let shape = (spec.in_channels, spec.width, spec.input_size, spec.classes);
        let (table, timings) = measure_ops(&spec.ops, shape, "this device", &compute)
            .await
            .map_err(|e| JsValue::from(js_error(e)))?;
        Ok(JsValue::from_str(&to_json(
            &json!({"table": table, "timings": timings}),
        )))
    })
}

/// The tutorial's `mobile` and `gpu` tables, labelled illustrative.
#[wasm_bindgen]
pub fn illustrative_latency_tables() -> String {
    to_json(&tutorial_tables())
}

/// For each architecture text in `archs_json`, its latency by each table in
/// `tables_json`: `[{arch, latencies: [{device, ms, error}]}]`, `ms` null and
/// `error` set where the estimate is impossible (a bad text, an op missing).
#[wasm_bindgen]
pub fn estimate_latencies(archs_json: &str, tables_json: &str) -> Result<String, JsError> {
    let archs: Vec<String> = serde_json::from_str(archs_json)
        .map_err(|e| js_error(Error::bad_setting("architectures", e)))?;
    let tables: Vec<LatencyTable> = serde_json::from_str(tables_json)
        .map_err(|e| js_error(Error::bad_setting("latency tables", e)))?;
    let rows: Vec<_> = archs
        .iter()
        .map(|text| {
            let parsed = text.parse::<Architecture>();
            let latencies: Vec<_> = tables
                .iter()
                .map(|table| {
                    let estimate = parsed
                        .as_ref()
                        .map_err(|e| e.to_string())
                        .and_then(|arch| estimate_latency(arch, table).map_err(|e| e.to_string()));
                    match estimate {
                        Ok(ms) => json!({"device": table.device, "ms": ms, "error": null}),
                        Err(error) => json!({"device": table.device, "ms": null, "error": error}),
                    }
                })
                .collect();
            json!({"arch": text, "latencies": latencies})
        })
        .collect();
    Ok(to_json(&rows))
}
