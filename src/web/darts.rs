//! The DARTS step machine for the Web Worker.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::search::COMPUTE;
use super::{js_error, to_json};
use crate::darts::{DartsConfig, DartsRun};

/// One DARTS run, stepped by the worker.
#[wasm_bindgen(js_name = DartsRun)]
pub struct WebDartsRun {
    run: Rc<RefCell<DartsRun>>,
}

#[wasm_bindgen(js_class = DartsRun)]
impl WebDartsRun {
    /// Validates the JSON settings and builds the supernet; throws an Error
    /// naming a bad setting. With `checkpoint` (bytes from `checkpoint()`
    /// of a run with the same settings) it continues that run at the epoch
    /// after it, or throws saying why it cannot.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, checkpoint: Option<Vec<u8>>) -> Result<WebDartsRun, JsError> {
        let config = DartsConfig::from_json(config_json).map_err(js_error)?;
        let compute = COMPUTE
            .with(|cell| cell.borrow().clone())
            .ok_or_else(|| JsError::new("no backend yet: call init_backend first"))?;
        let dataset = super::data::dataset_for(&config.dataset, config.limit, config.seed)
            .map_err(js_error)?;
        let run = DartsRun::with_dataset(config, compute, dataset);
        let run = match checkpoint {
            Some(bytes) => run.with_checkpoint(&bytes).map_err(js_error)?,
            None => run,
        };
        Ok(Self {
            run: Rc::new(RefCell::new(run)),
        })
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

    /// The whole run so far (α history, genotype, retrained result) as JSON.
    pub fn summary(&self) -> Result<String, JsError> {
        let run = self
            .run
            .try_borrow()
            .map_err(|_| JsError::new("a step is running; ask for the summary between steps"))?;
        Ok(to_json(&run.summary()))
    }

    /// Resolves the run's state after its last closed search epoch (a
    /// Uint8Array) for a later `new DartsRun(config, checkpoint)`, or
    /// undefined when no epoch has just closed.
    pub fn checkpoint(&self) -> js_sys::Promise {
        let run = self.run.clone();
        future_to_promise(async move {
            let run = run.try_borrow().map_err(|_| {
                JsValue::from_str("a step is running; ask for the checkpoint between steps")
            })?;
            match run
                .checkpoint()
                .await
                .map_err(|e| JsValue::from(js_error(e)))?
            {
                Some(bytes) => Ok(js_sys::Uint8Array::from(bytes.as_slice()).into()),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}
