//! The network of a derived DARTS cell: stem, the genotype's kept edges (one
//! op each), global average pooling and a linear head.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

use super::blocks::{ConvBlock, OpBlock};
use super::classifier::Classifier;
use super::supernet::classify;
use crate::space::{Genotype, NetShape};

#[derive(Module, Debug)]
pub struct CellNet {
    stem: ConvBlock,
    ops: Vec<OpBlock>,
    /// `(from, to)` of each op, in the genotype's order.
    links: Vec<(usize, usize)>,
    head: Linear,
    nodes: usize,
}

impl CellNet {
    pub fn new(genotype: &Genotype, shape: &NetShape, device: &Device) -> Self {
        let width = shape.width;
        let nodes = genotype.nodes();
        Self {
            stem: ConvBlock::new(shape.in_channels, width, 3, device),
            ops: genotype
                .edges()
                .iter()
                .map(|e| OpBlock::new(e.op, width, device))
                .collect(),
            links: genotype.edges().iter().map(|e| (e.from, e.to)).collect(),
            head: LinearConfig::new(width * (nodes - 1), shape.classes).init(device),
            nodes,
        }
    }
}

impl Classifier for CellNet {
    fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        let mut states = vec![self.stem.forward(images)];
        for to in 1..self.nodes {
            let sum = self
                .links
                .iter()
                .zip(&self.ops)
                .filter(|((_, target), _)| *target == to)
                .map(|(&(from, _), op)| op.forward(states[from].clone()))
                .reduce(|a, b| a + b)
                .expect("a genotype gives every node an input");
            states.push(sum);
        }
        classify(&self.head, states.split_off(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trainable_params;
    use crate::space::{CellEdge, Op};

    #[test]
    fn parameter_count_agrees_with_the_genotype_cost() {
        let edges = [
            (0, 1, Op::Conv3x3),
            (0, 2, Op::DwConv5x5),
            (1, 2, Op::MaxPool3x3),
            (0, 3, Op::Conv5x5),
            (2, 3, Op::Identity),
        ]
        .map(|(from, to, op)| CellEdge { from, to, op });
        let genotype = Genotype::new(4, edges.to_vec()).unwrap();
        let shape = NetShape {
            width: 6,
            in_channels: 3,
            ..NetShape::DIGITS
        };
        let device = Device::flex().autodiff();
        let net = CellNet::new(&genotype, &shape, &device);
        assert_eq!(trainable_params(&net), genotype.cost(&shape).params);
        let logits = net.forward(Tensor::zeros([2, 3, 8, 8], &device));
        assert_eq!(logits.dims(), [2, 10]);
    }
}
