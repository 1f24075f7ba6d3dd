//! Backend set-up and the search step machine for the Web Worker.

use std::cell::RefCell;
use std::rc::Rc;

use burn::prelude::Device;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::data::dataset_for;
use super::{js_error, to_json};
use crate::backend::{BackendKind, Compute};
use crate::search::{SearchConfig, SearchRun};
use crate::train::Evaluation;

thread_local! {
    /// The backend chosen for this worker. The GPU runtime can be set up only
    /// once per page, so it is kept for the worker's lifetime.
    pub(super) static COMPUTE: RefCell<Option<Compute>> = const { RefCell::new(None) };
}

/// Sets up `"webgpu"` or `"cpu"`; resolves `{backend, detail}`, rejects when
/// WebGPU cannot be initialised (the caller then falls back to the CPU).
#[wasm_bindgen]
pub async fn init_backend(preference: String) -> Result<String, JsError> {
    let compute = match preference.as_str() {
        "cpu" => Compute::cpu(),
        "webgpu" => match current(BackendKind::WebGpu) {
            Some(existing) => existing,
            None => {
                let device = Device::wgpu_options()
                    .init_async()
                    .await
                    .map_err(|e| JsError::new(&format!("WebGPU could not be initialised: {e}")))?;
                Compute {
                    device,
                    kind: BackendKind::WebGpu,
                }
            }
        },
        other => {
            return Err(JsError::new(&format!(
                "unknown backend \"{other}\"; use webgpu or cpu"
            )));
        }
    };
    let kind = compute.kind;
    COMPUTE.with(|cell| *cell.borrow_mut() = Some(compute));
    Ok(to_json(
        &json!({"backend": kind, "detail": format!("{kind:?}")}),
    ))
}

fn current(kind: BackendKind) -> Option<Compute> {
    COMPUTE.with(|cell| cell.borrow().clone().filter(|c| c.kind == kind))
}

/// One search, stepped by the worker.
#[wasm_bindgen(js_name = SearchRun)]
pub struct WebSearchRun {
    run: Rc<RefCell<SearchRun>>,
}

#[wasm_bindgen(js_class = SearchRun)]
impl WebSearchRun {
    /// Validates the JSON settings; throws an Error naming a bad setting.
    /// `history_json`, when given, is the JSON list of evaluations that an
    /// interrupted run of these settings saved: the search resumes from them.
    /// `lost`, when given, is why the candidate after them could not finish
    /// (its GPU device was lost): it is recorded as failed with that reason.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config_json: &str,
        history_json: Option<String>,
        lost: Option<String>,
    ) -> Result<WebSearchRun, JsError> {
        let config = SearchConfig::from_json(config_json).map_err(js_error)?;
        let compute = COMPUTE
            .with(|cell| cell.borrow().clone())
            .ok_or_else(|| JsError::new("no backend yet: call init_backend first"))?;
        let history: Option<Vec<Evaluation>> = history_json
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| JsError::new(&format!("the saved run cannot be read: {e}")))?;
        let mut run = dataset_for(&config.dataset, config.limit, config.seed)
            .map(|dataset| SearchRun::with_dataset(config, compute, dataset))
            .map_err(js_error)?;
        if let Some(history) = history {
            run = run.with_history(history).map_err(js_error)?;
        }
        if let Some(reason) = lost {
            run = run.with_lost_candidate(reason);
        }
        Ok(Self {
            run: Rc::new(RefCell::new(run)),
        })
    }

    /// The shape of the networks it builds, as JSON
    /// `{in_channels, classes, width, input_size}`.
    pub fn shape(&self) -> Result<String, JsError> {
        let run = self
            .run
            .try_borrow()
            .map_err(|_| JsError::new("a step is running; ask for the shape between steps"))?;
        Ok(to_json(&run.shape()))
    }

    /// One unit of work; resolves the step report as JSON.
    pub fn step(&self) -> js_sys::Promise {
        let run = self.run.clone();
        future_to_promise(async move {
            // The worker awaits each step before the next, so the borrow is never shared.
            let mut run = run
                .try_borrow_mut()
                .map_err(|_| JsValue::from_str("a step is already running"))?;
            let report = run.step().await.map_err(|e| JsValue::from(js_error(e)))?;
            Ok(JsValue::from_str(&to_json(&report)))
        })
    }
}
