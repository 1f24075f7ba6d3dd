//! Burn modules for the seven ops, built as the tutorial's PyTorch modules are
//! so that parameter counts agree.

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Identity, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;

use crate::space::Op;

/// Conv (with bias) → batch norm → ReLU, keeping the spatial size.
#[derive(Module, Debug)]
pub struct ConvBlock {
    conv: Conv2d,
    norm: BatchNorm,
}

impl ConvBlock {
    pub fn new(channels_in: usize, channels_out: usize, kernel: usize, device: &Device) -> Self {
        let conv = Conv2dConfig::new([channels_in, channels_out], [kernel, kernel])
            .with_padding(same_padding(kernel))
            .init(device);
        Self {
            conv,
            norm: BatchNormConfig::new(channels_out).init(device),
        }
    }

    /// # Shapes
    /// `[batch, channels_in, h, w]` → `[batch, channels_out, h, w]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        relu(self.norm.forward(self.conv.forward(x)))
    }
}

/// Depthwise conv → BN → ReLU, then pointwise 1x1 conv → BN → ReLU.
#[derive(Module, Debug)]
pub struct SeparableBlock {
    depthwise: Conv2d,
    norm_depthwise: BatchNorm,
    pointwise: Conv2d,
    norm_pointwise: BatchNorm,
}

impl SeparableBlock {
    pub fn new(channels: usize, kernel: usize, device: &Device) -> Self {
        let depthwise = Conv2dConfig::new([channels, channels], [kernel, kernel])
            .with_groups(channels)
            .with_padding(same_padding(kernel))
            .init(device);
        Self {
            depthwise,
            norm_depthwise: BatchNormConfig::new(channels).init(device),
            pointwise: Conv2dConfig::new([channels, channels], [1, 1]).init(device),
            norm_pointwise: BatchNormConfig::new(channels).init(device),
        }
    }

    /// # Shapes
    /// `[batch, c, h, w]` → `[batch, c, h, w]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let x = relu(self.norm_depthwise.forward(self.depthwise.forward(x)));
        relu(self.norm_pointwise.forward(self.pointwise.forward(x)))
    }
}

/// One op of the chain as a module.
#[derive(Module, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum OpBlock {
    Conv(ConvBlock),
    Separable(SeparableBlock),
    MaxPool(MaxPool2d),
    AvgPool(AvgPool2d),
    Identity(Identity),
}

impl OpBlock {
    /// The module for `op` at `channels` channels.
    pub fn new(op: Op, channels: usize, device: &Device) -> Self {
        let k = op.kernel();
        match op {
            Op::Conv3x3 | Op::Conv5x5 => {
                OpBlock::Conv(ConvBlock::new(channels, channels, k, device))
            }
            Op::DwConv3x3 | Op::DwConv5x5 => {
                OpBlock::Separable(SeparableBlock::new(channels, k, device))
            }
            // PyTorch's MaxPool2d(3, 1, 1) / AvgPool2d(3, 1, 1); the average
            // counts the zero padding, as PyTorch's default does.
            Op::MaxPool3x3 => OpBlock::MaxPool(
                MaxPool2dConfig::new([3, 3])
                    .with_strides([1, 1])
                    .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                    .init(),
            ),
            Op::AvgPool3x3 => OpBlock::AvgPool(
                AvgPool2dConfig::new([3, 3])
                    .with_strides([1, 1])
                    .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                    .with_count_include_pad(true)
                    .init(),
            ),
            Op::Identity => OpBlock::Identity(Identity::new()),
        }
    }

    /// # Shapes
    /// `[batch, c, h, w]` → `[batch, c, h, w]`
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        match self {
            OpBlock::Conv(block) => block.forward(x),
            OpBlock::Separable(block) => block.forward(x),
            OpBlock::MaxPool(pool) => pool.forward(x),
            OpBlock::AvgPool(pool) => pool.forward(x),
            OpBlock::Identity(_) => x,
        }
    }
}

/// Symmetric padding that keeps the size for an odd kernel (PyTorch's `k // 2`).
fn same_padding(kernel: usize) -> PaddingConfig2d {
    let p = kernel / 2;
    PaddingConfig2d::Explicit(p, p, p, p)
}
