//! Inference latency measured on the device that trained the model.

use burn::prelude::*;
use web_time::Instant;

use crate::error::{Error, Result};
use crate::model::Classifier;

/// Untimed passes that let the backend compile and cache its kernels.
const WARMUP: usize = 3;
/// Timed passes; the median is reported.
const REPEATS: usize = 11;

/// Median wall time in milliseconds of one forward pass of a single image,
/// each pass waited for by reading its output back.
pub async fn measure_latency<M: Classifier>(
    model: &M,
    input_shape: [usize; 4],
    device: &Device,
) -> Result<f64> {
    let input = Tensor::<4>::zeros(input_shape, device);
    let mut times = Vec::with_capacity(REPEATS);
    for i in 0..WARMUP + REPEATS {
        let start = Instant::now();
        model
            .forward(input.clone())
            .into_data_async()
            .await
            .map_err(|e| Error::Backend(format!("reading a forward pass back failed: {e:?}")))?;
        if i >= WARMUP {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(median(&mut times))
}

/// Median of a non-empty list (mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_lists() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }
}
