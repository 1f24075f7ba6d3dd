//! What the trainer needs of a network, whatever its topology.

use burn::prelude::*;

use super::ChainNet;

/// An image classifier built from some design (a chain architecture, a cell).
pub trait Classifier: Module {
    /// # Shapes
    /// `[batch, in_channels, size, size]` → logits `[batch, classes]`
    fn forward(&self, images: Tensor<4>) -> Tensor<2>;
}

impl Classifier for ChainNet {
    fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        ChainNet::forward(self, images)
    }
}
