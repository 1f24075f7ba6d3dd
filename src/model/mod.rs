//! Burn modules: the op blocks and the chain network built from an architecture.

mod blocks;
mod chain;
mod trainable;

pub use blocks::{ConvBlock, OpBlock, SeparableBlock};
pub use chain::ChainNet;
pub use trainable::trainable_params;
