//! The machine's dense arithmetic rate as Burn reaches it: a large square f32
//! matrix product on the same device the models train on. It is the ceiling
//! that training throughput is set against.

use burn::prelude::*;
use burn::tensor::Distribution;
use web_time::Instant;

use crate::backend::Compute;
use crate::error::{Error, Result};

/// Wall time in seconds of each of `runs` products of two random `n × n`
/// matrices (after one untimed product), each waited for by reading the
/// result back. The read-back copies `n²` values, small beside the `2·n³`
/// operations for the sizes this is meant for (512 and up).
pub async fn time_matmul(n: usize, runs: usize, seed: u64, compute: &Compute) -> Result<Vec<f64>> {
    let device = &compute.device;
    device.seed(seed);
    let a = Tensor::<2>::random([n, n], Distribution::Uniform(-1.0, 1.0), device);
    let b = Tensor::<2>::random([n, n], Distribution::Uniform(-1.0, 1.0), device);

    let mut seconds = Vec::with_capacity(runs);
    for i in 0..=runs {
        let start = Instant::now();
        a.clone()
            .matmul(b.clone())
            .into_data_async()
            .await
            .map_err(|e| Error::Backend(format!("reading a matrix product back failed: {e:?}")))?;
        if i > 0 {
            seconds.push(start.elapsed().as_secs_f64());
        }
    }
    Ok(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_requested_run_is_timed_after_the_untimed_one() {
        let seconds =
            futures_lite::future::block_on(time_matmul(32, 2, 1, &Compute::cpu())).unwrap();
        assert_eq!(seconds.len(), 2);
    }
}
