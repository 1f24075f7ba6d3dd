//! The chain network of the tutorial's `NASModel`: stem, the architecture's ops,
//! global average pooling and a linear classifier.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

use super::blocks::{ConvBlock, OpBlock};
use crate::space::{Architecture, NetShape};

#[derive(Module, Debug)]
pub struct ChainNet {
    stem: ConvBlock,
    ops: Vec<OpBlock>,
    head: Linear,
}

impl ChainNet {
    /// Builds the net for `arch` with fresh weights from the device's RNG.
    pub fn new(arch: &Architecture, shape: &NetShape, device: &Device) -> Self {
        let width = shape.width;
        Self {
            stem: ConvBlock::new(shape.in_channels, width, 3, device),
            ops: arch
                .ops()
                .iter()
                .map(|&op| OpBlock::new(op, width, device))
                .collect(),
            head: LinearConfig::new(width, shape.classes).init(device),
        }
    }

    /// # Shapes
    /// `[batch, in_channels, size, size]` → logits `[batch, classes]`
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let x = self
            .ops
            .iter()
            .fold(self.stem.forward(images), |x, op| op.forward(x));
        let pooled = x.mean_dim(3).mean_dim(2).flatten::<2>(1, 3);
        self.head.forward(pooled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trainable_params;
    use crate::space::network_cost;

    fn count(text: &str, shape: NetShape) -> (usize, usize) {
        let arch: Architecture = text.parse().unwrap();
        let net = ChainNet::new(&arch, &shape, &Device::flex().autodiff());
        (trainable_params(&net), network_cost(&arch, &shape).params)
    }

    #[test]
    fn tutorial_model_has_pytorchs_parameter_count() {
        let shape = NetShape {
            in_channels: 3,
            ..NetShape::DIGITS
        };
        let (model, space) = count("conv3x3,max_pool3x3,conv5x5,identity", shape);
        assert_eq!((model, space), (36_298, 36_298));
    }

    #[test]
    fn every_op_agrees_with_the_space_count() {
        // Hand count for dw_conv5x5,avg_pool3x3 at width 16, 1 channel, 10 classes:
        // stem 1*16*9 + 16 + 32 = 192; dw: 16*25 + 16 + 32 = 448, pw: 256 + 16 + 32 = 304;
        // head 16*10 + 10 = 170.  Total 192 + 752 + 170 = 1114.
        let shape = NetShape {
            width: 16,
            ..NetShape::DIGITS
        };
        assert_eq!(count("dw_conv5x5,avg_pool3x3", shape), (1114, 1114));
        for op in crate::space::Op::ALL {
            let (model, space) = count(op.name(), NetShape::DIGITS);
            assert_eq!(model, space, "{op}");
        }
    }

    #[test]
    fn forward_keeps_batch_and_gives_one_logit_per_class() {
        let arch: Architecture = "conv5x5,max_pool3x3,dw_conv3x3,avg_pool3x3,identity"
            .parse()
            .unwrap();
        let device = Device::flex();
        let net = ChainNet::new(&arch, &NetShape::DIGITS, &device);
        let logits = net.forward(Tensor::zeros([5, 1, 8, 8], &device));
        assert_eq!(logits.dims(), [5, 10]);
    }
}
