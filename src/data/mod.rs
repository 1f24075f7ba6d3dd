//! Datasets: the embedded digits, in-memory images and their splits.

mod dataset;
mod digits;

pub use dataset::{Dataset, Subset};
pub use digits::{load_digits, parse_digits_csv};

/// Share of each class held out for validation.
pub const VALIDATION_FRACTION: f64 = 0.2;
