//! The datasets a run can name: the embedded digits, the bundled MNIST and
//! Fashion-MNIST test sets, and, in the page, the user's own files.

use std::sync::Arc;

use super::dataset::Dataset;
use super::digits::load_digits;
use super::idx::parse_idx;
use super::input::InputFile;
use crate::error::{Error, Result};

/// The bundled datasets, in the order the page offers them.
pub const BUNDLED: [&str; 3] = ["digits", "mnist", "fashion"];

/// The name under which the page keeps the user's own files.
pub const UPLOAD: &str = "upload";

/// Images a run uses unless told otherwise: a class-stratified sample of
/// this many. The digits (1,797 images) are used whole; of MNIST and
/// Fashion-MNIST (10,000 each) a fifth. A 28x28 image costs about twelve
/// times an 8x8 one, so even this sample makes a candidate of the default
/// budget take one to two minutes on two CPU cores (README has the figures).
pub const DEFAULT_LIMIT: usize = 2000;

/// Accepts a bundled dataset's name or `upload`: the one dataset check that
/// every run's settings share.
pub fn check_dataset(name: &str) -> Result<()> {
    match BUNDLED.contains(&name) || name == UPLOAD {
        true => Ok(()),
        false => Err(Error::bad_setting(
            "dataset",
            format!(
                "\"{name}\" is not a dataset; choose digits, mnist or fashion \
                 (or, in the page, upload for your own files)"
            ),
        )),
    }
}

/// Loads a bundled dataset, whole. Natively MNIST and Fashion-MNIST are
/// built into the program, so this works from any directory. The browser
/// engine carries only the digits, to stay small: there the page fetches
/// the other sets' files and hands them to `parse_files`.
pub fn load_named(name: &str) -> Result<Dataset> {
    check_dataset(name)?;
    if name == "digits" {
        return load_digits();
    }
    match bundled_files(name) {
        Some([images, labels]) => parse_idx(name, images, labels),
        None => Err(Error::Data {
            name: name.to_string(),
            detail: match name == UPLOAD {
                true => {
                    "your own files can be chosen in the page; here choose digits, \
                         mnist or fashion"
                }
                false => {
                    "is not built into the browser engine; the page fetches its files \
                          and passes them in"
                }
            }
            .into(),
        }),
    }
}

/// What a run with `seed` trains on: the dataset `name`, then at most
/// `limit` of its images (see `Dataset::sample`).
pub fn load_for_run(name: &str, limit: usize, seed: u64) -> Result<Arc<Dataset>> {
    Ok(Arc::new(load_named(name)?).sample(limit, seed))
}

/// The images and labels files of a bundled IDX set.
#[cfg(not(target_arch = "wasm32"))]
fn bundled_files(name: &str) -> Option<[InputFile<'static>; 2]> {
    macro_rules! data_file {
        ($file:literal) => {
            InputFile::new($file, include_bytes!(concat!("../../data/", $file)))
        };
    }
    match name {
        "mnist" => Some([
            data_file!("mnist-t10k-images-idx3-ubyte.gz"),
            data_file!("mnist-t10k-labels-idx1-ubyte.gz"),
        ]),
        "fashion" => Some([
            data_file!("fashion-mnist-test10k-images-idx3-ubyte.gz"),
            data_file!("fashion-mnist-test10k-labels-idx1-ubyte.gz"),
        ]),
        _ => None,
    }
}

/// The browser engine embeds no IDX set.
#[cfg(target_arch = "wasm32")]
fn bundled_files(_name: &str) -> Option<[InputFile<'static>; 2]> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_names_and_upload_pass_the_check_and_others_are_named() {
        for name in BUNDLED.into_iter().chain([UPLOAD]) {
            check_dataset(name).unwrap();
        }
        let err = check_dataset("cifar").unwrap_err().to_string();
        assert!(
            err.starts_with("dataset: \"cifar\" is not a dataset; choose digits"),
            "{err}"
        );
    }

    #[test]
    fn upload_cannot_be_loaded_outside_the_page() {
        let err = load_named(UPLOAD).unwrap_err().to_string();
        assert!(err.contains("can be chosen in the page"), "{err}");
    }

    #[test]
    fn a_run_on_the_digits_uses_them_whole_by_default() {
        let data = load_for_run("digits", DEFAULT_LIMIT, 3).unwrap();
        assert_eq!(data.len(), 1797);
    }
}
