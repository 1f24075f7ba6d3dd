//! Exact parameter and FLOP counts of a whole chain network, from the op costs.

use serde::Serialize;

use super::architecture::Architecture;

/// The shape of the problem a network is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NetShape {
    pub in_channels: usize,
    pub classes: usize,
    /// Channels of the stem and of every op.
    pub width: usize,
    /// Height and width of the (square) input image.
    pub input_size: usize,
}

impl NetShape {
    /// The digits 8x8 shape at the default width.
    pub const DIGITS: NetShape = NetShape {
        in_channels: 1,
        classes: 10,
        width: 32,
        input_size: 8,
    };
}

/// Parameter and FLOP totals of one network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cost {
    pub params: usize,
    pub flops: usize,
}

/// Costs of stem + ops + global pool + linear head, as the model builds them.
pub fn network_cost(arch: &Architecture, shape: &NetShape) -> Cost {
    let NetShape {
        in_channels,
        classes,
        width,
        input_size,
    } = *shape;
    let hw = input_size * input_size;

    // Stem: Conv2d(in, width, 3) with bias + BatchNorm2d(width).
    let stem_params = in_channels * width * 9 + width + 2 * width;
    let stem_flops = hw * in_channels * width * 9;
    // Head: global average pool (one add per value), Linear(width, classes).
    let head_params = width * classes + classes;
    let head_flops = hw * width + width * classes;

    let ops = arch.ops();
    Cost {
        params: stem_params + head_params + ops.iter().map(|op| op.params(width)).sum::<usize>(),
        flops: stem_flops
            + head_flops
            + ops
                .iter()
                .map(|op| op.flops(width, input_size))
                .sum::<usize>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tutorial_model_has_the_reference_parameter_count() {
        // DESIGN §4: PyTorch counts 36,298 for this net with 3 input channels, 10 classes.
        let arch = "conv3x3,max_pool3x3,conv5x5,identity".parse().unwrap();
        let shape = NetShape {
            in_channels: 3,
            ..NetShape::DIGITS
        };
        assert_eq!(network_cost(&arch, &shape).params, 36_298);
    }

    #[test]
    fn depthwise_net_on_digits_matches_a_hand_count() {
        // stem Conv2d(1,32,3): 288 + 32 = 320, BN 64            -> 384
        // dw_conv3x3: dw 32*9+32 = 320, BN 64, pw 32*32+32 = 1056, BN 64 -> 1504
        // identity: 0; Linear(32,10): 330.  Total 384 + 1504 + 330 = 2218.
        let arch = "dw_conv3x3,identity".parse().unwrap();
        assert_eq!(network_cost(&arch, &NetShape::DIGITS).params, 2218);
    }

    #[test]
    fn flops_add_up_stem_ops_and_head() {
        // 8x8, 1 -> 32 stem: 64*32*9 = 18,432; identity 0;
        // pool 64*32 = 2,048; linear 320.  Total 20,800.
        let arch = "identity".parse().unwrap();
        assert_eq!(network_cost(&arch, &NetShape::DIGITS).flops, 20_800);
    }
}
