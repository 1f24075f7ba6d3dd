//! Standardisation of the ensemble's data. Features may be one-hots beside
//! parameter counts in the millions, and accuracies differ by fractions of a
//! percent near the top: centred, unit-variance numbers train with one
//! learning rate whatever the encoding.

/// Means and scales of the features and of the target, from one fit's data.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scaling {
    feature_mean: Vec<f32>,
    feature_scale: Vec<f32>,
    target_mean: f64,
    target_scale: f64,
}

impl Scaling {
    /// No change: what an ensemble uses before its first fit.
    pub(super) fn identity(inputs: usize) -> Self {
        Self {
            feature_mean: vec![0.0; inputs],
            feature_scale: vec![1.0; inputs],
            target_mean: 0.0,
            target_scale: 1.0,
        }
    }

    /// The scaling that standardises this data. A constant column keeps scale
    /// 1 (it is only centred), so it cannot divide by zero.
    pub(super) fn fit(features: &[Vec<f32>], targets: &[f64]) -> Self {
        let inputs = features.first().map_or(0, Vec::len);
        let (feature_mean, feature_scale) = (0..inputs)
            .map(|j| {
                let column: Vec<f64> = features.iter().map(|f| f[j] as f64).collect();
                let (mean, scale) = mean_and_scale(&column);
                (mean as f32, scale as f32)
            })
            .unzip();
        let (target_mean, target_scale) = mean_and_scale(targets);
        Self {
            feature_mean,
            feature_scale,
            target_mean,
            target_scale,
        }
    }

    /// One feature vector, standardised.
    pub(super) fn features<'a>(&'a self, raw: &'a [f32]) -> impl Iterator<Item = f32> + 'a {
        raw.iter()
            .zip(self.feature_mean.iter().zip(&self.feature_scale))
            .map(|(v, (mean, scale))| (v - mean) / scale)
    }

    /// An accuracy as the standardised target the members learn.
    pub(super) fn target(&self, accuracy: f64) -> f32 {
        ((accuracy - self.target_mean) / self.target_scale) as f32
    }

    /// A member's standardised output back in accuracy units.
    pub(super) fn accuracy(&self, output: f32) -> f64 {
        output as f64 * self.target_scale + self.target_mean
    }
}

/// Mean and population standard deviation; scale 1 when the values do not vary.
fn mean_and_scale(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    (mean, if std > 1e-12 { std } else { 1.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_standardised_and_restored() {
        let features = vec![vec![0.0, 5.0], vec![2.0, 5.0]];
        let scaling = Scaling::fit(&features, &[0.9, 0.8]);

        assert!((scaling.target(0.9) - 1.0).abs() < 1e-6);
        assert!((scaling.accuracy(-1.0) - 0.8).abs() < 1e-9);
        let scaled: Vec<f32> = scaling.features(&features[0]).collect();
        assert_eq!(scaled, vec![-1.0, 0.0], "a constant column is only centred");
    }
}
