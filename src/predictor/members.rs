//! Every member of the ensemble in one Burn module: each weight tensor has a
//! leading member axis, so one batched matmul runs all members at once and one
//! optimizer step trains them all. The nets are tiny (a few thousand weights),
//! so a step costs what Burn's per-op overhead costs; batching the members
//! divides that overhead by their number.

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::activation::relu;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// One dense layer per member.
#[derive(Module, Debug)]
struct BatchedLinear {
    /// `[members, inputs, outputs]`
    weight: Param<Tensor<3>>,
    /// `[members, 1, outputs]`
    bias: Param<Tensor<3>>,
}

impl BatchedLinear {
    /// PyTorch's default init: weights and biases uniform in ±1/sqrt(inputs),
    /// each member drawn from its own generator so that members differ.
    fn new(rngs: &mut [StdRng], inputs: usize, outputs: usize, device: &Device) -> Self {
        let bound = 1.0 / (inputs as f32).sqrt();
        let members = rngs.len();
        let mut draw = |len: usize| -> Vec<f32> {
            rngs.iter_mut()
                .flat_map(|rng| {
                    (0..len)
                        .map(|_| rng.random_range(-bound..bound))
                        .collect::<Vec<f32>>()
                })
                .collect()
        };
        let weight = draw(inputs * outputs);
        let bias = draw(outputs);
        Self {
            weight: param(weight, [members, inputs, outputs], device),
            bias: param(bias, [members, 1, outputs], device),
        }
    }

    /// # Shapes
    /// `[members, rows, inputs]` → `[members, rows, outputs]`
    fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        x.matmul(self.weight.val()) + self.bias.val()
    }
}

fn param(values: Vec<f32>, shape: [usize; 3], device: &Device) -> Param<Tensor<3>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// All members' MLPs: inputs → hidden → hidden → 1, ReLU between layers.
#[derive(Module, Debug)]
pub(super) struct Members {
    layers: Vec<BatchedLinear>,
}

impl Members {
    /// `member_seeds.len()` members; member `m`'s weights come from
    /// `member_seeds[m]` alone, so a member does not change when others are
    /// added.
    pub(super) fn new(member_seeds: &[u64], inputs: usize, hidden: usize, device: &Device) -> Self {
        let mut rngs: Vec<StdRng> = member_seeds
            .iter()
            .map(|&s| StdRng::seed_from_u64(s))
            .collect();
        let widths = [inputs, hidden, hidden, 1];
        let layers = widths
            .windows(2)
            .map(|w| BatchedLinear::new(&mut rngs, w[0], w[1], device))
            .collect();
        Self { layers }
    }

    /// Every member's output for every row.
    ///
    /// # Shapes
    /// `[members, rows, inputs]` → `[members, rows]`
    pub(super) fn forward(&self, x: Tensor<3>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        let mut x = x;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if i < last {
                x = relu(x);
            }
        }
        x.squeeze_dim::<2>(2)
    }
}
