//! The fixed batches a throughput benchmark trains on: every timed step sees
//! the same images, so runs differ only in timing.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::data::{VALIDATION_FRACTION, load_digits};
use crate::error::{Error, Result};

/// Which images a throughput benchmark trains on; `digits` and `synthetic28`
/// in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BenchInput {
    /// The embedded 8x8 digits: the first images of the seed's training split.
    Digits,
    /// Uniform random pixels in `[0, 1)` of MNIST's shape (1×28×28), drawn
    /// from the seed: there is no IDX reader yet, so no real MNIST images.
    Synthetic28,
}

impl BenchInput {
    pub const ALL: [BenchInput; 2] = [BenchInput::Digits, BenchInput::Synthetic28];

    /// The label printed beside figures; it says plainly what the images are.
    pub fn label(self) -> &'static str {
        match self {
            BenchInput::Digits => "digits 8x8 (embedded)",
            BenchInput::Synthetic28 => "28x28 synthetic (MNIST-shaped)",
        }
    }

    /// Height and width of the images.
    pub fn size(self) -> usize {
        match self {
            BenchInput::Digits => 8,
            BenchInput::Synthetic28 => 28,
        }
    }

    /// `batch` images with labels, the same for the same seed.
    pub fn batch(self, batch: usize, seed: u64) -> Result<FixedBatch> {
        match self {
            BenchInput::Digits => digits_batch(batch, seed),
            BenchInput::Synthetic28 => Ok(synthetic_batch(batch, self.size(), seed)),
        }
    }
}

/// One batch of single-channel images and their class labels (10 classes).
#[derive(Debug, Clone, PartialEq)]
pub struct FixedBatch {
    /// `len × size × size` values, image by image.
    pub pixels: Vec<f32>,
    pub labels: Vec<i64>,
    pub size: usize,
}

impl FixedBatch {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

fn digits_batch(batch: usize, seed: u64) -> Result<FixedBatch> {
    let dataset = std::sync::Arc::new(load_digits()?);
    let (train, _) = dataset.split(VALIDATION_FRACTION, seed);
    if batch == 0 || batch > train.len() {
        return Err(Error::out_of_range("batch", 1, train.len(), batch));
    }
    let positions: Vec<usize> = (0..batch).collect();
    let (pixels, labels) = train.gather(&positions);
    Ok(FixedBatch {
        pixels,
        labels,
        size: dataset.size,
    })
}

fn synthetic_batch(batch: usize, size: usize, seed: u64) -> FixedBatch {
    let mut rng = StdRng::seed_from_u64(seed);
    let pixels = (0..batch * size * size)
        .map(|_| rng.random::<f32>())
        .collect();
    let labels = (0..batch).map(|_| rng.random_range(0..10i64)).collect();
    FixedBatch {
        pixels,
        labels,
        size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_batch_has_mnists_shape_and_depends_only_on_the_seed() {
        let a = BenchInput::Synthetic28.batch(64, 7).unwrap();
        assert_eq!((a.len(), a.size, a.pixels.len()), (64, 28, 64 * 28 * 28));
        assert!(a.pixels.iter().all(|p| (0.0..1.0).contains(p)));
        assert!(a.labels.iter().all(|l| (0..10).contains(l)));
        assert_eq!(a, BenchInput::Synthetic28.batch(64, 7).unwrap());
        assert_ne!(a, BenchInput::Synthetic28.batch(64, 8).unwrap());
    }

    #[test]
    fn digits_batch_is_real_8x8_digits() {
        let batch = BenchInput::Digits.batch(64, 1).unwrap();
        assert_eq!(
            (batch.len(), batch.size, batch.pixels.len()),
            (64, 8, 64 * 64)
        );
        assert!(batch.pixels.iter().all(|p| (0.0..=1.0).contains(p)));
    }

    #[test]
    fn inputs_have_one_lowercase_name_in_json() {
        let names = serde_json::to_string(&BenchInput::ALL).unwrap();
        assert_eq!(names, r#"["digits","synthetic28"]"#);
        assert_eq!(
            serde_json::from_str::<Vec<BenchInput>>(&names).unwrap(),
            BenchInput::ALL
        );
    }

    #[test]
    fn a_digits_batch_larger_than_the_split_is_named() {
        let err = BenchInput::Digits
            .batch(100_000, 1)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("batch must be between 1 and"), "{err}");
    }
}
