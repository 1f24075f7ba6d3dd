//! An in-memory image classification dataset and its seeded, stratified split.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::sync::Arc;

use crate::error::{Error, Result};

/// Images as `f32` in `[0, 1]`, stored image by image in `[channels, size, size]`
/// order, with one class label each.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub channels: usize,
    /// Height and width of every (square) image.
    pub size: usize,
    pub classes: usize,
    pixels: Vec<f32>,
    labels: Vec<u8>,
}

impl Dataset {
    /// Checks that pixels and labels agree in count and that labels are below `classes`.
    pub fn new(
        name: &str,
        (channels, size, classes): (usize, usize, usize),
        pixels: Vec<f32>,
        labels: Vec<u8>,
    ) -> Result<Self> {
        let per_image = channels * size * size;
        let data_error = |detail: String| Error::Data {
            name: name.to_string(),
            detail,
        };
        if per_image == 0 || pixels.len() != labels.len() * per_image {
            return Err(data_error(format!(
                "{} pixel values do not make {} images of {channels}x{size}x{size}",
                pixels.len(),
                labels.len()
            )));
        }
        if let Some(bad) = labels.iter().find(|&&l| l as usize >= classes) {
            return Err(data_error(format!(
                "label {bad} is not below {classes} classes"
            )));
        }
        Ok(Self {
            name: name.to_string(),
            channels,
            size,
            classes,
            pixels,
            labels,
        })
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// Values per image.
    pub fn image_len(&self) -> usize {
        self.channels * self.size * self.size
    }

    /// The pixels of image `index`.
    pub fn image(&self, index: usize) -> &[f32] {
        let n = self.image_len();
        &self.pixels[index * n..(index + 1) * n]
    }

    /// Images of each class, by class.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes];
        for &label in &self.labels {
            counts[label as usize] += 1;
        }
        counts
    }

    /// At most `limit` images, drawn from `seed` so that every class keeps
    /// its share (the largest remainders get the odd images); the images keep
    /// their order. A dataset of no more than `limit` images is itself.
    pub fn sample(self: &Arc<Self>, limit: usize, seed: u64) -> Arc<Self> {
        if self.len() <= limit {
            return self.clone();
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let mut chosen = Vec::with_capacity(limit);
        for (class, quota) in quotas(&self.class_counts(), limit).into_iter().enumerate() {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&i| self.labels[i] as usize == class)
                .collect();
            members.shuffle(&mut rng);
            chosen.extend_from_slice(&members[..quota]);
        }
        chosen.sort_unstable();

        let mut pixels = Vec::with_capacity(chosen.len() * self.image_len());
        for &index in &chosen {
            pixels.extend_from_slice(self.image(index));
        }
        Arc::new(Self {
            name: self.name.clone(),
            channels: self.channels,
            size: self.size,
            classes: self.classes,
            pixels,
            labels: chosen.iter().map(|&i| self.labels[i]).collect(),
        })
    }

    /// Splits into (train, validation) so that every class keeps the same
    /// share in both, deterministically from `seed`.
    pub fn split(self: &Arc<Self>, validation_fraction: f64, seed: u64) -> (Subset, Subset) {
        let mut rng = StdRng::seed_from_u64(seed);
        let (mut train, mut valid) = (Vec::new(), Vec::new());
        for class in 0..self.classes {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&i| self.labels[i] as usize == class)
                .collect();
            members.shuffle(&mut rng);
            let cut = (members.len() as f64 * validation_fraction).round() as usize;
            valid.extend_from_slice(&members[..cut]);
            train.extend_from_slice(&members[cut..]);
        }
        train.sort_unstable();
        valid.sort_unstable();
        (
            Subset::new(self.clone(), train),
            Subset::new(self.clone(), valid),
        )
    }
}

/// How many of each class's `counts` images a sample of `limit` takes:
/// `limit` in all, shares rounded down, then one more for the classes with
/// the largest remainders (the lower class first on ties).
fn quotas(counts: &[usize], limit: usize) -> Vec<usize> {
    let total: u64 = counts.iter().map(|&c| c as u64).sum();
    let exact = |c: usize| c as u64 * limit as u64;
    let mut quotas: Vec<usize> = counts
        .iter()
        .map(|&c| (exact(c) / total) as usize)
        .collect();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&class| std::cmp::Reverse(exact(counts[class]) % total));
    let short = limit - quotas.iter().sum::<usize>();
    for &class in &order[..short] {
        quotas[class] += 1;
    }
    quotas
}

/// A view of some images of a shared dataset, by index.
#[derive(Debug, Clone)]
pub struct Subset {
    pub dataset: Arc<Dataset>,
    pub indices: Vec<usize>,
}

impl Subset {
    fn new(dataset: Arc<Dataset>, indices: Vec<usize>) -> Self {
        Self { dataset, indices }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// Pixels and labels of the images at `positions` (positions in this subset),
    /// ready to become a batch tensor.
    pub fn gather(&self, positions: &[usize]) -> (Vec<f32>, Vec<i64>) {
        let mut pixels = Vec::with_capacity(positions.len() * self.dataset.image_len());
        let mut labels = Vec::with_capacity(positions.len());
        for &p in positions {
            let index = self.indices[p];
            pixels.extend_from_slice(self.dataset.image(index));
            labels.push(self.dataset.labels[index] as i64);
        }
        (pixels, labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy(n_per_class: usize) -> Arc<Dataset> {
        let labels: Vec<u8> = (0..3).flat_map(|c| vec![c; n_per_class]).collect();
        let pixels = labels.iter().map(|&l| l as f32 / 2.0).collect();
        Arc::new(Dataset::new("toy", (1, 1, 3), pixels, labels).unwrap())
    }

    #[test]
    fn split_keeps_class_shares_and_loses_nothing() {
        let data = toy(10);
        let (train, valid) = data.split(0.2, 5);
        assert_eq!((train.len(), valid.len()), (24, 6));
        for class in 0..3u8 {
            let in_valid = valid
                .indices
                .iter()
                .filter(|&&i| data.labels()[i] == class)
                .count();
            assert_eq!(in_valid, 2);
        }
        let mut all: Vec<usize> = train
            .indices
            .iter()
            .chain(&valid.indices)
            .copied()
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..30).collect::<Vec<_>>());
    }

    #[test]
    fn split_is_decided_by_the_seed() {
        let data = toy(10);
        assert_eq!(data.split(0.2, 5).1.indices, data.split(0.2, 5).1.indices);
        assert_ne!(data.split(0.2, 5).1.indices, data.split(0.2, 6).1.indices);
    }

    #[test]
    fn a_sample_keeps_class_shares_and_is_decided_by_the_seed() {
        // 20, 10 and 10 images of classes 0, 1, 2; 9 of 40 → 4.5, 2.25, 2.25.
        let labels: Vec<u8> = [0u8; 20]
            .into_iter()
            .chain([1; 10])
            .chain([2; 10])
            .collect();
        let pixels = (0..40).map(|i| i as f32).collect();
        let data = Arc::new(Dataset::new("toy", (1, 1, 3), pixels, labels).unwrap());

        let sample = data.sample(9, 1);

        assert_eq!(sample.class_counts(), [5, 2, 2]);
        let values: Vec<f32> = (0..9).map(|i| sample.image(i)[0]).collect();
        assert!(
            values.windows(2).all(|w| w[0] < w[1]),
            "order kept: {values:?}"
        );
        assert_eq!(data.sample(9, 1).labels(), sample.labels());
        let other: Vec<f32> = (0..9).map(|i| data.sample(9, 2).image(i)[0]).collect();
        assert_ne!(other, values);
    }

    #[test]
    fn a_sample_as_large_as_the_data_is_the_data() {
        let data = toy(4);
        assert!(Arc::ptr_eq(&data.sample(12, 1), &data));
        assert_eq!(data.sample(11, 1).len(), 11);
    }

    #[test]
    fn mismatched_pixel_count_is_rejected() {
        let err = Dataset::new("bad", (1, 2, 2), vec![0.0; 7], vec![0, 1]).unwrap_err();
        assert!(err.to_string().contains("7 pixel values"), "{err}");
    }

    #[test]
    fn label_beyond_the_classes_is_rejected() {
        let err = Dataset::new("bad", (1, 1, 2), vec![0.0; 2], vec![0, 2]).unwrap_err();
        assert!(err.to_string().contains("label 2"), "{err}");
    }
}
