//! Burn modules: the op blocks, the chain network built from an architecture,
//! and DARTS's supernet and derived cell network.

mod blocks;
mod cell;
mod chain;
mod classifier;
mod mixed;
mod supernet;
mod trainable;

pub use blocks::{ConvBlock, OpBlock, SeparableBlock};
pub use cell::CellNet;
pub use chain::ChainNet;
pub use classifier::Classifier;
pub use mixed::MixedOp;
pub use supernet::{Supernet, cell_edge_count, cell_edges};
pub use trainable::trainable_params;
