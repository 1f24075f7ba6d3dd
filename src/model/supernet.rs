//! The DARTS search network: stem, one cell whose every edge is a mixed op,
//! global average pooling and a linear head.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

use super::blocks::ConvBlock;
use super::mixed::MixedOp;
use crate::space::{NetShape, Op};

/// Number of edges of a fully connected cell of `nodes` nodes: one from every
/// node to every later one.
pub fn cell_edge_count(nodes: usize) -> usize {
    nodes * nodes.saturating_sub(1) / 2
}

/// `(from, to)` of every edge, in the order the supernet and α use: by target
/// node, then by source (0→1, 0→2, 1→2, 0→3, …).
pub fn cell_edges(nodes: usize) -> Vec<(usize, usize)> {
    (1..nodes)
        .flat_map(|to| (0..to).map(move |from| (from, to)))
        .collect()
}

#[derive(Module, Debug)]
pub struct Supernet {
    stem: ConvBlock,
    edges: Vec<MixedOp>,
    head: Linear,
    nodes: usize,
}

impl Supernet {
    pub fn new(ops: &[Op], nodes: usize, shape: &NetShape, device: &Device) -> Self {
        let width = shape.width;
        Self {
            stem: ConvBlock::new(shape.in_channels, width, 3, device),
            edges: (0..cell_edge_count(nodes))
                .map(|_| MixedOp::new(ops, width, device))
                .collect(),
            head: LinearConfig::new(width * (nodes - 1), shape.classes).init(device),
            nodes,
        }
    }

    /// # Shapes
    /// `images` `[batch, in_channels, size, size]`, `weights` `[edges, ops]`
    /// (softmax of α per edge) → logits `[batch, classes]`
    pub fn forward(&self, images: Tensor<4>, weights: Tensor<2>) -> Tensor<2> {
        let ops = weights.dims()[1];
        let mut states = vec![self.stem.forward(images)];
        let mut edge = 0;
        for _ in 1..self.nodes {
            // The new node sums one mixed edge from every node before it.
            let mut sum: Option<Tensor<4>> = None;
            for state in &states {
                let row = weights.clone().slice(edge..edge + 1).reshape([ops]);
                let out = self.edges[edge].forward(state.clone(), row);
                sum = Some(match sum {
                    Some(s) => s + out,
                    None => out,
                });
                edge += 1;
            }
            states.push(sum.expect("every node after the first has an input"));
        }
        classify(&self.head, states.split_off(1))
    }
}

/// Concatenates the intermediate nodes along channels, pools them globally
/// and applies the linear head.
pub(super) fn classify(head: &Linear, intermediate: Vec<Tensor<4>>) -> Tensor<2> {
    let x = Tensor::cat(intermediate, 1);
    let pooled = x.mean_dim(3).mean_dim(2).flatten::<2>(1, 3);
    head.forward(pooled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_go_by_target_then_source() {
        assert_eq!(
            cell_edges(4),
            [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]
        );
        assert_eq!(cell_edge_count(4), 6);
        assert_eq!(cell_edge_count(2), 1);
    }

    #[test]
    fn forward_gives_one_logit_per_class() {
        let device = Device::flex();
        let shape = NetShape {
            width: 4,
            ..NetShape::DIGITS
        };
        let net = Supernet::new(&Op::ALL, 4, &shape, &device);
        let weights = Tensor::<2>::ones([6, 7], &device) / 7.0;
        let logits = net.forward(Tensor::zeros([3, 1, 8, 8], &device), weights);
        assert_eq!(logits.dims(), [3, 10]);
    }
}
