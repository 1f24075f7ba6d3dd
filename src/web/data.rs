//! Datasets in the worker: the files the page fetched (MNIST and
//! Fashion-MNIST, which the wasm does not embed) or the user chose, parsed
//! once by the engine's readers and kept for the runs that name them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::json;
use wasm_bindgen::prelude::*;

use super::{js_error, to_json};
use crate::data::{
    Dataset, InputFile, MAX_DATASET_BYTES, UPLOAD, check_dataset, load_digits, parse_files,
};
use crate::error::{Error, Result};

thread_local! {
    /// Parsed datasets by name. The user's files live under `upload`, and
    /// each new choice replaces them.
    static LOADED: RefCell<HashMap<String, Arc<Dataset>>> = RefCell::new(HashMap::new());
}

/// The most bytes a dataset's files may hold, all together after
/// decompression, so that the page can refuse larger files before reading them.
#[wasm_bindgen]
pub fn max_dataset_bytes() -> usize {
    MAX_DATASET_BYTES
}

/// Parses the files of dataset `name` and keeps it for the runs that name
/// it: `mnist` or `fashion` as the page fetched them, `upload` for the
/// user's own files (an IDX pair in either order, or CIFAR-10 batches), or
/// `digits`, which takes no file. `names[i]` names `files[i]` in messages.
/// Returns the summary as JSON `{name, files, images, size, channels,
/// classes, class_counts}`; throws an Error that says what is wrong with
/// which file.
#[wasm_bindgen]
pub fn load_dataset(
    name: &str,
    names: Vec<String>,
    files: Vec<js_sys::Uint8Array>,
) -> std::result::Result<String, JsError> {
    let dataset = parse(name, &names, &files).map_err(js_error)?;
    let summary = json!({
        "name": name,
        "files": names,
        "images": dataset.len(),
        "size": dataset.size,
        "channels": dataset.channels,
        "classes": dataset.classes,
        "class_counts": dataset.class_counts(),
    });
    LOADED.with(|cell| cell.borrow_mut().insert(name.to_string(), dataset));
    Ok(to_json(&summary))
}

fn parse(name: &str, names: &[String], files: &[js_sys::Uint8Array]) -> Result<Arc<Dataset>> {
    check_dataset(name)?;
    let data_error = |detail: String| Error::Data {
        name: name.to_string(),
        detail,
    };
    if names.len() != files.len() {
        return Err(data_error(format!(
            "{} file names were given for {} files",
            names.len(),
            files.len()
        )));
    }
    if name == "digits" {
        return match files.is_empty() {
            true => digits(),
            false => Err(data_error(
                "the digits are built in and take no file".into(),
            )),
        };
    }
    let total: usize = files.iter().map(|file| file.length() as usize).sum();
    if total > MAX_DATASET_BYTES {
        return Err(data_error(format!(
            "the files hold {total} bytes, more than the {} MiB a dataset may hold here \
             (all its files together, after decompression): choose fewer or smaller files",
            MAX_DATASET_BYTES >> 20
        )));
    }
    let bytes: Vec<Vec<u8>> = files.iter().map(js_sys::Uint8Array::to_vec).collect();
    let inputs: Vec<InputFile> = names
        .iter()
        .zip(&bytes)
        .map(|(file, bytes)| InputFile::new(file, bytes))
        .collect();
    Ok(Arc::new(parse_files(name, &inputs)?))
}

/// The embedded digits, decoded once.
fn digits() -> Result<Arc<Dataset>> {
    if let Some(loaded) = LOADED.with(|cell| cell.borrow().get("digits").cloned()) {
        return Ok(loaded);
    }
    let digits = Arc::new(load_digits()?);
    LOADED.with(|cell| cell.borrow_mut().insert("digits".into(), digits.clone()));
    Ok(digits)
}

/// What a run with `seed` trains on: the dataset `name` as loaded (the
/// digits are always there), then at most `limit` of its images, a
/// class-stratified sample drawn from the seed. Every search binding
/// builds its run from this.
pub(super) fn dataset_for(name: &str, limit: usize, seed: u64) -> Result<Arc<Dataset>> {
    check_dataset(name)?;
    let loaded = match name {
        "digits" => digits()?,
        _ => LOADED
            .with(|cell| cell.borrow().get(name).cloned())
            .ok_or_else(|| not_loaded(name))?,
    };
    Ok(loaded.sample(limit, seed))
}

fn not_loaded(name: &str) -> Error {
    const NO_FILES: &str = "no files are loaded yet: choose an IDX images file and its labels \
        file, or CIFAR-10 batches, under Dataset";
    const ON_THE_WAY: &str = "its files have not reached the engine yet: wait until the \
        Dataset summary shows it, then run again";
    Error::Data {
        name: name.to_string(),
        detail: if name == UPLOAD { NO_FILES } else { ON_THE_WAY }.into(),
    }
}
