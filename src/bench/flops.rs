//! Floating-point work of the benchmarked computations, to set measured times
//! against the machine's arithmetic rate.

/// Floating-point operations of one training step (forward, backward and the
/// optimizer step) of a batch.
///
/// `forward_macs_per_image` is what `network_cost` reports: multiply-adds per
/// image (pooling counted as one operation per window element). A multiply-add
/// is two floating-point operations, as in the `2·n³` of a matrix product, and
/// the backward pass costs about twice the forward (one product for the input
/// gradient, one for the weight gradient), so a step is about
/// `3 · 2 · macs · batch`. Adam's update and batch norm are left out: they are
/// linear in the parameters and activations, small beside the convolutions.
pub fn training_step_flops(forward_macs_per_image: usize, batch: usize) -> f64 {
    6.0 * forward_macs_per_image as f64 * batch as f64
}

/// Floating-point operations of an `n × n` by `n × n` matrix product: `2·n³`.
pub fn matmul_flops(n: usize) -> f64 {
    2.0 * (n as f64).powi(3)
}

/// Rate in GFLOP/s of `flops` done in `seconds` (NaN for a non-positive time).
pub fn gflops_per_second(flops: f64, seconds: f64) -> f64 {
    match seconds > 0.0 {
        true => flops / seconds / 1e9,
        false => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::{NetShape, network_cost};

    #[test]
    fn a_training_step_is_three_forward_passes_of_two_flops_per_multiply_add() {
        // `identity` on digits: 20,800 multiply-adds per image (pinned in space::cost).
        let arch = "identity".parse().unwrap();
        let macs = network_cost(&arch, &NetShape::DIGITS).flops;
        assert_eq!(training_step_flops(macs, 64), 3.0 * 2.0 * 20_800.0 * 64.0);
    }

    #[test]
    fn a_square_matrix_product_costs_two_n_cubed() {
        assert_eq!(matmul_flops(1024), 2_147_483_648.0);
    }

    #[test]
    fn rate_is_flops_over_seconds_in_billions() {
        assert_eq!(gflops_per_second(4e9, 2.0), 2.0);
        assert!(gflops_per_second(1.0, 0.0).is_nan());
    }
}
