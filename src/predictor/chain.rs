//! Fixed-length features of a chain architecture, for the accuracy predictor.
//!
//! For a space of `depth` positions and `k` enabled ops, the features are, in
//! order: a one-hot of the op at each position (`depth × k`), the share of
//! each op over the positions (`k`), and the network's parameters and FLOPs
//! on a log scale, mapped to `[0, 1]` between the cheapest and the dearest
//! network of the space (2). Costs come from `space::network_cost`, so they
//! are the exact counts of the network that trains.

use crate::space::{Architecture, NetShape, Op, network_cost};

/// Encodes the architectures of one chain space.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainEncoding {
    depth: usize,
    ops: Vec<Op>,
    shape: NetShape,
    /// ln of the fewest and the most parameters a network of the space has.
    log_params: (f64, f64),
    /// ln of the fewest and the most FLOPs.
    log_flops: (f64, f64),
}

impl ChainEncoding {
    /// The encoding of the space of `depth` positions, each one of `ops`,
    /// for networks of `shape`.
    ///
    /// # Panics
    /// If `depth` is 0 or `ops` is empty: search settings are validated first.
    pub fn new(depth: usize, ops: &[Op], shape: NetShape) -> Self {
        assert!(depth > 0 && !ops.is_empty(), "depth {depth}, ops {ops:?}");
        // Costs add up over the positions, so the extremes repeat one op.
        let repeat = |op: Option<Op>| {
            let arch = Architecture::new(vec![op.expect("ops is not empty"); depth])
                .expect("depth is at least 1");
            log_costs(&arch, &shape)
        };
        let by_params = |&op: &Op| op.params(shape.width);
        let by_flops = |&op: &Op| op.flops(shape.width, shape.input_size);
        Self {
            depth,
            ops: ops.to_vec(),
            shape,
            log_params: (
                repeat(ops.iter().copied().min_by_key(by_params)).0,
                repeat(ops.iter().copied().max_by_key(by_params)).0,
            ),
            log_flops: (
                repeat(ops.iter().copied().min_by_key(by_flops)).1,
                repeat(ops.iter().copied().max_by_key(by_flops)).1,
            ),
        }
    }

    /// Features per architecture.
    pub fn len(&self) -> usize {
        self.depth * self.ops.len() + self.ops.len() + 2
    }

    /// Never true: a space has at least one position and one op.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The features of `arch`. An op outside the space sets no one-hot or
    /// share, and positions past the space's depth are left out, so that a
    /// saved architecture from other settings still encodes without a panic.
    pub fn encode(&self, arch: &Architecture) -> Vec<f32> {
        let k = self.ops.len();
        let mut features = vec![0.0f32; self.len()];
        for (position, &op) in arch.ops().iter().take(self.depth).enumerate() {
            if let Some(slot) = self.slot(op) {
                features[position * k + slot] = 1.0;
                features[self.depth * k + slot] += 1.0 / self.depth as f32;
            }
        }
        let (params, flops) = log_costs(arch, &self.shape);
        let n = features.len();
        features[n - 2] = scale(params, self.log_params);
        features[n - 1] = scale(flops, self.log_flops);
        features
    }

    fn slot(&self, op: Op) -> Option<usize> {
        self.ops.iter().position(|&o| o == op)
    }
}

/// ln of the network's parameters and of its FLOPs.
fn log_costs(arch: &Architecture, shape: &NetShape) -> (f64, f64) {
    let cost = network_cost(arch, shape);
    let ln = |n: usize| (n.max(1) as f64).ln();
    (ln(cost.params), ln(cost.flops))
}

/// `value` mapped linearly from `[low, high]` to `[0, 1]`; 0 when the range
/// is a single point (every network of the space costs the same).
fn scale(value: f64, (low, high): (f64, f64)) -> f32 {
    match high > low {
        true => ((value - low) / (high - low)) as f32,
        false => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding() -> ChainEncoding {
        ChainEncoding::new(
            3,
            &[Op::Conv3x3, Op::MaxPool3x3, Op::Identity],
            NetShape::DIGITS,
        )
    }

    fn features(text: &str) -> Vec<f32> {
        encoding().encode(&text.parse().unwrap())
    }

    #[test]
    fn features_have_one_hots_shares_and_two_costs() {
        let f = features("conv3x3,identity,identity");

        assert_eq!(f.len(), 3 * 3 + 3 + 2);
        assert_eq!(&f[..9], &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
        assert_eq!(&f[9..12], &[1.0 / 3.0, 0.0, 2.0 / 3.0]);
        assert!(f[12] > 0.0 && f[12] < 1.0, "params {}", f[12]);
        assert!(f[13] > 0.0 && f[13] < 1.0, "flops {}", f[13]);
    }

    #[test]
    fn the_cheapest_and_dearest_networks_sit_at_the_ends_of_the_cost_scale() {
        let cheap = features("identity,identity,identity");
        let dear = features("conv3x3,conv3x3,conv3x3");

        assert_eq!((cheap[12], cheap[13]), (0.0, 0.0));
        assert!((dear[12] - 1.0).abs() < 1e-6 && (dear[13] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn an_op_outside_the_space_sets_no_one_hot() {
        let f = features("conv5x5,identity,identity");

        assert_eq!(&f[..3], &[0.0, 0.0, 0.0]);
        assert_eq!(f[9], 0.0);
    }

    #[test]
    fn a_space_of_one_op_has_a_flat_cost_scale() {
        let only = ChainEncoding::new(2, &[Op::Identity], NetShape::DIGITS);

        let f = only.encode(&"identity,identity".parse().unwrap());

        assert_eq!(f, vec![1.0, 1.0, 1.0, 0.0, 0.0]);
    }
}
