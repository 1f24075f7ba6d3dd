//! Training throughput: timed training steps of one architecture on a fixed
//! batch, as the trainer does them (forward, cross-entropy, backward, Adam).

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use web_time::Instant;

use super::inputs::FixedBatch;
use crate::backend::Compute;
use crate::error::{Error, Result};
use crate::model::ChainNet;
use crate::space::{Architecture, NetShape};

/// What one throughput measurement trains, and how long each timed run is.
#[derive(Debug, Clone)]
pub struct TrainingBench {
    pub arch: Architecture,
    /// Channels of the stem and of every op.
    pub width: usize,
    pub learning_rate: f64,
    /// Untimed steps first, so allocations and caches settle.
    pub warmup_steps: usize,
    /// Training steps in each timed run.
    pub steps: usize,
    /// Timed runs; the caller reports their median.
    pub runs: usize,
    /// Seeds the weights (the same initial model for every measurement).
    pub seed: u64,
}

impl TrainingBench {
    /// The network shape for `batch` at this width (one channel, ten classes).
    pub fn shape(&self, batch: &FixedBatch) -> NetShape {
        NetShape {
            in_channels: 1,
            classes: 10,
            width: self.width,
            input_size: batch.size,
        }
    }
}

/// Wall time in seconds of each timed run of `bench.steps` training steps on
/// `batch`. `before_run` is called right before each run starts, so that
/// callers timing several trainers at once can line their runs up.
///
/// Each run ends by reading its summed loss back, which waits for every step
/// of the run; a non-finite loss is an error, as a benchmark of a diverged
/// model would time something else.
pub async fn time_training(
    bench: &TrainingBench,
    batch: &FixedBatch,
    compute: &Compute,
    mut before_run: impl FnMut(),
) -> Result<Vec<f64>> {
    let device = compute.device.clone().autodiff();
    device.seed(bench.seed);
    let shape = bench.shape(batch);
    let n = batch.len();
    let images = Tensor::<4>::from_data(
        TensorData::new(batch.pixels.clone(), [n, 1, batch.size, batch.size]),
        &device,
    );
    let labels = Tensor::<1, Int>::from_data(TensorData::new(batch.labels.clone(), [n]), &device);
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let mut optimizer = AdamConfig::new().init();
    let mut model = ChainNet::new(&bench.arch, &shape, &device);

    let mut step = |model: ChainNet| {
        let loss = loss_fn.forward(model.forward(images.clone()), labels.clone());
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        (
            optimizer.step(bench.learning_rate, model, grads),
            loss.detach(),
        )
    };
    let mut loss_sum = None;
    for _ in 0..bench.warmup_steps {
        let (next, loss) = step(model);
        model = next;
        loss_sum = Some(loss);
    }
    if let Some(sum) = loss_sum.take() {
        read_loss(sum).await?;
    }

    let mut seconds = Vec::with_capacity(bench.runs);
    for _ in 0..bench.runs {
        before_run();
        let start = Instant::now();
        let mut sum: Option<Tensor<1>> = None;
        for _ in 0..bench.steps {
            let (next, loss) = step(model);
            model = next;
            sum = Some(match sum {
                Some(total) => total + loss,
                None => loss,
            });
        }
        if let Some(total) = sum {
            read_loss(total).await?;
        }
        seconds.push(start.elapsed().as_secs_f64());
    }
    Ok(seconds)
}

/// Reads a loss back, which waits for the work that produced it.
async fn read_loss(loss: Tensor<1>) -> Result<f32> {
    let data = loss
        .into_data_async()
        .await
        .map_err(|e| Error::Backend(format!("reading the loss back failed: {e:?}")))?;
    let value = data
        .try_to_vec_as::<f32>()
        .map_err(|e| Error::Backend(format!("unexpected loss data: {e:?}")))?
        .first()
        .copied()
        .unwrap_or(f32::NAN);
    match value.is_finite() {
        true => Ok(value),
        false => Err(Error::Backend(format!(
            "the benchmark's training loss became {value}; its timing would not be of training"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::BenchInput;

    #[test]
    fn one_timed_run_per_requested_run_with_every_callback_made() {
        let bench = TrainingBench {
            arch: "conv3x3,max_pool3x3".parse().unwrap(),
            width: 8,
            learning_rate: 0.005,
            warmup_steps: 1,
            steps: 2,
            runs: 3,
            seed: 1,
        };
        let batch = BenchInput::Digits.batch(16, 1).unwrap();
        let mut calls = 0;
        let seconds =
            futures_lite::future::block_on(time_training(&bench, &batch, &Compute::cpu(), || {
                calls += 1
            }))
            .unwrap();
        assert_eq!((seconds.len(), calls), (3, 3));
        assert!(seconds.iter().all(|s| *s >= 0.0));
    }
}
