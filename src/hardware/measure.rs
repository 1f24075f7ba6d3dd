//! Timing each op, and the rest of the network, on the device at hand.

use std::collections::BTreeMap;

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use serde::Serialize;
use web_time::Instant;

use super::table::{LatencyTable, TableKind};
use crate::backend::Compute;
use crate::error::{Error, Result};
use crate::model::{ConvBlock, OpBlock};
use crate::space::Op;

/// Untimed passes that let the backend compile and cache its kernels.
const WARMUP: usize = 3;
/// Timed samples; the median is reported.
const SAMPLES: usize = 9;
/// Forward passes per sample, waited for together: a browser coarsens its
/// clock (to 0.1 ms without cross-origin isolation), so one pass of a cheap
/// op would often time as zero.
const PASSES: usize = 20;

/// One op's measured latency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpTiming {
    pub op: Op,
    /// Median milliseconds of one forward pass on one image.
    pub ms: f64,
    /// The op was faster than the clock could tell: `ms` is the smallest
    /// time the clock can show, an upper bound, not a measurement.
    pub below_resolution: bool,
}

/// Times `ops` one by one at `width` channels on a `input_size`² map (batch
/// of one, inference), and the network's fixed part (stem from
/// `in_channels`, global pooling, head to `classes`); returns them as a
/// measured latency table named `device`.
pub async fn measure_ops(
    ops: &[Op],
    (in_channels, width, input_size, classes): (usize, usize, usize, usize),
    device_name: &str,
    compute: &Compute,
) -> Result<(LatencyTable, Vec<OpTiming>)> {
    let device = &compute.device;
    let mut timings = Vec::with_capacity(ops.len());
    for &op in ops {
        let block = OpBlock::new(op, width, device);
        let input = Tensor::<4>::zeros([1, width, input_size, input_size], device);
        let ms = time_passes(|| block.forward(input.clone()).sum()).await?;
        timings.push(timing(op, ms));
    }
    let stem = ConvBlock::new(in_channels, width, 3, device);
    let head: Linear = LinearConfig::new(width, classes).init(device);
    let image = Tensor::<4>::zeros([1, in_channels, input_size, input_size], device);
    let base_ms = time_passes(|| {
        let x = stem.forward(image.clone());
        head.forward(x.mean_dim(3).mean_dim(2).flatten::<2>(1, 3))
            .sum()
    })
    .await?
    .max(resolution_ms());
    let table = LatencyTable {
        device: device_name.to_string(),
        kind: TableKind::Measured {
            backend: compute.kind.name().to_string(),
            width,
            input_size,
        },
        ops: timings
            .iter()
            .map(|t| (t.op, t.ms))
            .collect::<BTreeMap<_, _>>(),
        base_ms,
    };
    Ok((table, timings))
}

fn timing(op: Op, ms: f64) -> OpTiming {
    let floor = resolution_ms();
    OpTiming {
        op,
        ms: ms.max(floor),
        below_resolution: ms < floor,
    }
}

/// The smallest time one sample can resolve per pass: a 0.1 ms clock step
/// spread over the passes of a sample.
fn resolution_ms() -> f64 {
    0.1 / PASSES as f64
}

/// Median milliseconds per pass of `pass`, each sample of [`PASSES`] passes
/// ended by reading their results back.
async fn time_passes(pass: impl Fn() -> Tensor<1>) -> Result<f64> {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..WARMUP + SAMPLES {
        let start = Instant::now();
        let total = (0..PASSES)
            .map(|_| pass())
            .reduce(|a, b| a + b)
            .expect("at least one pass");
        total
            .into_data_async()
            .await
            .map_err(|e| Error::Backend(format!("reading a timed pass back failed: {e:?}")))?;
        if i >= WARMUP {
            samples.push(start.elapsed().as_secs_f64() * 1000.0 / PASSES as f64);
        }
    }
    Ok(crate::train::median(&mut samples))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardware::estimate_latency;
    use crate::space::Architecture;
    use futures_lite::future::block_on;

    #[test]
    fn every_op_gets_a_positive_time_and_the_table_estimates_a_network() {
        let (table, timings) = block_on(measure_ops(
            &Op::ALL,
            (1, 8, 8, 10),
            "this device",
            &Compute::cpu(),
        ))
        .unwrap();
        assert_eq!(timings.len(), 7);
        assert!(timings.iter().all(|t| t.ms > 0.0 && t.ms.is_finite()));
        assert!(table.base_ms > 0.0);
        let arch: Architecture = "conv3x3,identity".parse().unwrap();
        let estimate = estimate_latency(&arch, &table).unwrap();
        assert!(estimate > table.base_ms, "{estimate}");
    }
}
