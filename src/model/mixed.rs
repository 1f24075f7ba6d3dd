//! DARTS's mixed operation: one edge runs every candidate op and blends them.

use burn::prelude::*;

use super::blocks::OpBlock;
use crate::space::Op;

/// Every enabled op on one edge, blended by given weights.
#[derive(Module, Debug)]
pub struct MixedOp {
    ops: Vec<OpBlock>,
}

impl MixedOp {
    pub fn new(ops: &[Op], channels: usize, device: &Device) -> Self {
        Self {
            ops: ops
                .iter()
                .map(|&op| OpBlock::new(op, channels, device))
                .collect(),
        }
    }

    /// `Σ_k weights[k] · op_k(x)`; `weights` has one entry per op (a softmax
    /// row of α in a search).
    ///
    /// # Shapes
    /// `x` `[batch, c, h, w]`, `weights` `[ops]` → `[batch, c, h, w]`
    pub fn forward(&self, x: Tensor<4>, weights: Tensor<1>) -> Tensor<4> {
        self.ops
            .iter()
            .enumerate()
            .map(|(k, op)| {
                let w = weights.clone().slice(k..k + 1).reshape([1, 1, 1, 1]);
                op.forward(x.clone()) * w
            })
            .reduce(|sum, term| sum + term)
            .expect("a mixed op has at least one op")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_the_hand_computed_weighted_sum() {
        // Input [[1, 2], [3, 4]]. With stride 1 and padding 1, every 3x3
        // window covers the whole 2x2 map: max pool gives 4 everywhere, and
        // average pool (zero padding counted) 10 / 9.
        let device = Device::flex();
        let mixed = MixedOp::new(&[Op::Identity, Op::MaxPool3x3, Op::AvgPool3x3], 1, &device);
        let x = Tensor::<4>::from_data(
            TensorData::new(vec![1.0f32, 2.0, 3.0, 4.0], [1, 1, 2, 2]),
            &device,
        );
        let weights = Tensor::<1>::from_data(TensorData::new(vec![0.5f32, 0.3, 0.2], [3]), &device);
        let out = mixed
            .forward(x, weights)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let constant = 0.3 * 4.0 + 0.2 * 10.0 / 9.0;
        let expected = [1.0, 2.0, 3.0, 4.0].map(|v: f32| 0.5 * v + constant);
        for (got, want) in out.iter().zip(expected) {
            assert!((got - want).abs() < 1e-5, "{out:?} vs {expected:?}");
        }
    }
}
