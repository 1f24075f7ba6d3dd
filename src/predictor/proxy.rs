//! A zero-cost proxy: a score of an untrained network that costs one forward
//! and one backward pass, to see whether it ranks architectures as training
//! does, without training any of them.
//!
//! The score is the gradient norm of Abdelfattah et al., "Zero-Cost Proxies
//! for Lightweight NAS" (ICLR 2021): the sum, over all trainable parameters,
//! of the L2 norm of the cross-entropy loss's gradient on one batch.

use burn::module::{ModuleVisitor, Param};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use burn::tensor::Gradients;

use crate::error::Result;
use crate::model::Classifier;
use crate::train::read_floats;

/// The gradient norm of `model`, which must live on an autodiff device, on one
/// batch; `None` when it is not finite (a network whose loss overflows at
/// initialisation has no score worth ranking by).
///
/// The forward pass runs in training mode, so batch norm updates its running
/// statistics: score a network built for the purpose, not the one that is
/// trained next, or the trained one would differ from a run without scores.
///
/// # Shapes
/// images `[batch, channels, size, size]`, labels `[batch]`
pub async fn grad_norm<M: Classifier>(
    model: &M,
    images: Tensor<4>,
    labels: Tensor<1, Int>,
) -> Result<Option<f64>> {
    let loss = CrossEntropyLossConfig::new()
        .init(&images.device())
        .forward(model.forward(images), labels);
    let mut norms = NormSum {
        grads: loss.backward(),
        sum: None,
    };
    model.visit(&mut norms);

    let Some(sum) = norms.sum else {
        return Ok(None);
    };
    let value = read_floats(sum).await?.first().copied().unwrap_or(f32::NAN) as f64;
    Ok(value.is_finite().then_some(value))
}

/// Adds up, on the device, the L2 norm of each trainable parameter's gradient,
/// so that the score is read back once, not once per parameter.
struct NormSum {
    grads: Gradients,
    sum: Option<Tensor<1>>,
}

impl ModuleVisitor for NormSum {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if !param.is_require_grad() {
            return;
        }
        let Some(grad) = param.val().grad(&self.grads) else {
            return;
        };
        let norm = grad.square().sum().sqrt();
        self.sum = Some(match self.sum.take() {
            Some(sum) => sum + norm,
            None => norm,
        });
    }
}

#[cfg(test)]
mod tests {
    use futures_lite::future::block_on;

    use super::*;
    use crate::model::ChainNet;
    use crate::space::{Architecture, NetShape};

    /// The scores of `text` on a fixed batch of 8 patterned digits-sized
    /// images, twice on the same network. (The device's generator is shared
    /// by the tests running at once, so weights seeded here are not
    /// reproducible; the integration tests check seeded runs.)
    fn score_twice(text: &str) -> (Option<f64>, Option<f64>) {
        let device = Device::flex().autodiff();
        let arch: Architecture = text.parse().unwrap();
        let net = ChainNet::new(&arch, &NetShape::DIGITS, &device);
        let pixels: Vec<f32> = (0..8 * 64).map(|i| ((i * 7) % 17) as f32 / 16.0).collect();
        let labels: Vec<i64> = (0..8).map(|i| i % 10).collect();
        let score = || {
            let images =
                Tensor::<4>::from_data(TensorData::new(pixels.clone(), [8, 1, 8, 8]), &device);
            let labels = Tensor::<1, Int>::from_data(TensorData::new(labels.clone(), [8]), &device);
            block_on(grad_norm(&net, images, labels)).unwrap()
        };
        (score(), score())
    }

    #[test]
    fn grad_norm_is_finite_positive_and_repeats_on_the_same_network_and_batch() {
        let (first, again) = score_twice("conv3x3,max_pool3x3");

        let first = first.unwrap();
        assert!(first.is_finite() && first > 0.0, "{first}");
        assert_eq!(again, Some(first));
    }

    #[test]
    fn grad_norm_tells_architectures_apart() {
        let conv = score_twice("conv3x3,conv5x5").0.unwrap();
        let skip = score_twice("identity,identity").0.unwrap();

        assert_ne!(conv, skip);
    }
}
