//! Datasets: the embedded digits, the bundled MNIST sets, readers for IDX and
//! CIFAR-10 files, in-memory images, their samples and their splits.

mod cifar;
mod dataset;
mod digits;
mod files;
mod idx;
mod input;
mod named;

pub use cifar::parse_cifar;
pub use dataset::{Dataset, Subset};
pub use digits::{load_digits, parse_digits_csv};
pub use files::parse_files;
pub use idx::parse_idx;
pub use input::{InputFile, MAX_DATASET_BYTES};
pub use named::{BUNDLED, DEFAULT_LIMIT, UPLOAD, check_dataset, load_for_run, load_named};

/// Share of each class held out for validation.
pub const VALIDATION_FRACTION: f64 = 0.2;
