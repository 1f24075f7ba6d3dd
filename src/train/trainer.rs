//! Budgeted training of one candidate as a step machine: each `step` trains one
//! batch, so a browser worker can report progress and honour Stop in between.

use burn::module::{ModuleVisitor, Param};
use burn::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use web_time::Instant;

use super::budget::Budget;
use super::design::Design;
use super::evaluation::{Evaluation, Status};
use super::latency::measure_latency;
use crate::backend::Compute;
use crate::data::Subset;
use crate::error::{Error, Result};
use crate::model::Classifier;
use crate::predictor::grad_norm;
use crate::space::{Architecture, NetShape};

/// Images per forward pass when scoring the validation split.
const EVAL_BATCH: usize = 256;

/// The train and validation images a candidate learns from and is scored on.
#[derive(Debug, Clone)]
pub struct Split {
    pub train: Subset,
    pub valid: Subset,
}

impl Split {
    /// The network shape for this data at `width` channels.
    pub fn shape(&self, width: usize) -> NetShape {
        let data = &self.train.dataset;
        NetShape {
            in_channels: data.channels,
            classes: data.classes,
            width,
            input_size: data.size,
        }
    }
}

/// What one `step` did.
#[derive(Debug)]
pub enum Step<D = Architecture> {
    /// A batch was trained; more follow.
    Trained,
    /// Training ended (budget spent or loss diverged); here is the record.
    Finished(Box<Evaluation<D>>),
}

/// Trains one design (a chain architecture by default) batch by batch with
/// Adam and cross-entropy.
pub struct Trainer<D: Design = Architecture> {
    arch: D,
    shape: NetShape,
    model: Option<D::Net>,
    /// A twin of the model, with the same initial weights, for the zero-cost
    /// score; dropped once scored.
    probe: Option<D::Net>,
    zero_cost: Option<f64>,
    optimizer: ModuleOptimizer,
    loss: CrossEntropyLoss,
    split: Split,
    budget: Budget,
    device: Device,
    backend: &'static str,
    rng: StdRng,
    seed: u64,
    order: Vec<usize>,
    epoch: usize,
    cursor: usize,
    loss_sum: Option<Tensor<1>>,
    batches_this_epoch: usize,
    last_epoch_loss: f64,
    started: Instant,
}

impl<D: Design> Trainer<D> {
    /// A fresh model for `arch`, its weights seeded by `seed`, on the compute
    /// backend (autodiff is switched on here).
    pub fn new(
        arch: D,
        split: Split,
        width: usize,
        budget: Budget,
        seed: u64,
        compute: &Compute,
    ) -> Self {
        let device = compute.device.clone().autodiff();
        let shape = split.shape(width);
        device.seed(seed);
        let model = initialised(arch.build(&shape, &device));
        device.seed(seed);
        let probe = initialised(arch.build(&shape, &device));
        Self {
            arch,
            shape,
            model: Some(model),
            probe: Some(probe),
            zero_cost: None,
            optimizer: AdamConfig::new().init(),
            loss: CrossEntropyLossConfig::new().init(&device),
            order: Vec::new(),
            split,
            budget,
            device,
            backend: compute.kind.name(),
            rng: StdRng::seed_from_u64(seed),
            seed,
            epoch: 0,
            cursor: 0,
            loss_sum: None,
            batches_this_epoch: 0,
            last_epoch_loss: f64::NAN,
            started: Instant::now(),
        }
    }

    pub fn arch(&self) -> &D {
        &self.arch
    }

    /// Batches in one epoch.
    pub fn batches_per_epoch(&self) -> usize {
        self.split
            .train
            .len()
            .div_ceil(self.budget.batch_size.max(1))
    }

    /// Fraction of this candidate's batches done, in `[0, 1]`.
    pub fn progress(&self) -> f64 {
        let per_epoch = self.batches_per_epoch().max(1);
        let done = self.epoch * per_epoch + self.cursor.div_ceil(self.budget.batch_size.max(1));
        (done as f64 / (per_epoch * self.budget.epochs).max(1) as f64).min(1.0)
    }

    /// 1-based epoch being trained, for status lines.
    pub fn current_epoch(&self) -> usize {
        (self.epoch + 1).min(self.budget.epochs)
    }

    /// Trains one batch; at the end of an epoch reads the mean loss back and
    /// stops with a failed record if it is not finite; after the last epoch
    /// scores the model and measures its latency.
    pub async fn step(&mut self) -> Result<Step<D>> {
        if self.split.train.is_empty() {
            return Err(Error::Data {
                name: self.split.train.dataset.name.clone(),
                detail: "the training split is empty; use a larger dataset".into(),
            });
        }
        if self.cursor == 0 && self.order.is_empty() {
            self.order = (0..self.split.train.len()).collect();
            self.order.shuffle(&mut self.rng);
        }
        if self.probe.is_some() {
            self.score_zero_cost().await?;
        }
        self.train_batch();
        if self.cursor < self.order.len() {
            return Ok(Step::Trained);
        }

        let epoch_loss = self.read_epoch_loss().await?;
        self.last_epoch_loss = epoch_loss;
        self.epoch += 1;
        self.cursor = 0;
        self.order.clear();
        if !epoch_loss.is_finite() {
            let reason = format!(
                "training loss became {epoch_loss} in epoch {}; try a lower learning rate (now {})",
                self.epoch, self.budget.learning_rate
            );
            return Ok(Step::Finished(Box::new(self.record(
                Status::Failed,
                Some(reason),
                f64::NAN,
                f64::NAN,
            ))));
        }
        if self.epoch < self.budget.epochs {
            return Ok(Step::Trained);
        }
        if let Some(reason) = self.learned_nothing(epoch_loss) {
            let record = self.record(Status::Failed, Some(reason), f64::NAN, f64::NAN);
            return Ok(Step::Finished(Box::new(record)));
        }
        self.finish().await.map(|e| Step::Finished(Box::new(e)))
    }

    /// Why a fully trained candidate counts as failed, if it does: a last
    /// epoch whose mean loss is above ln(classes), the loss of guessing every
    /// class equally, means training went wrong (a learning rate so high that
    /// the weights blew up without reaching infinity, typically), and its
    /// accuracy would be noise, not a measurement of the architecture.
    fn learned_nothing(&self, last_epoch_loss: f64) -> Option<String> {
        let uniform = (self.shape.classes as f64).ln();
        (last_epoch_loss > uniform).then(|| {
            format!(
                "did not learn: mean training loss {last_epoch_loss:.3} in the last epoch is above \
                 {uniform:.3} (ln {}), the loss of a uniform guess; try a lower learning rate \
                 (now {}) or more epochs",
                self.shape.classes, self.budget.learning_rate
            )
        })
    }

    /// Scores the untrained twin on the first training batch. It is a twin,
    /// not the model itself, because the forward pass moves batch norm's
    /// running statistics and the trained model must not depend on scoring.
    async fn score_zero_cost(&mut self) -> Result<()> {
        let probe = self.probe.take().expect("scored once, while present");
        let end = self.budget.batch_size.min(self.order.len());
        let (images, labels) = self.batch(&self.split.train, &self.order[..end]);
        self.zero_cost = grad_norm(&probe, images, labels).await?;
        Ok(())
    }

    fn train_batch(&mut self) {
        let end = (self.cursor + self.budget.batch_size).min(self.order.len());
        let (images, labels) = self.batch(&self.split.train, &self.order[self.cursor..end]);
        self.cursor = end;

        let model = self
            .model
            .take()
            .expect("the model is present between steps");
        let loss = self.loss.forward(model.forward(images), labels);
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        self.model = Some(self.optimizer.step(self.budget.learning_rate, model, grads));

        let detached = loss.detach();
        self.loss_sum = Some(match self.loss_sum.take() {
            Some(sum) => sum + detached,
            None => detached,
        });
        self.batches_this_epoch += 1;
    }

    async fn read_epoch_loss(&mut self) -> Result<f64> {
        let batches = std::mem::take(&mut self.batches_this_epoch).max(1);
        let Some(sum) = self.loss_sum.take() else {
            return Ok(f64::NAN);
        };
        let values = read_floats(sum).await?;
        Ok(values.first().copied().unwrap_or(f32::NAN) as f64 / batches as f64)
    }

    /// Validation accuracy and latency of the trained model.
    async fn finish(&mut self) -> Result<Evaluation<D>> {
        let model = self.model.as_ref().expect("model").valid();
        let device = self.device.clone().inner();
        let accuracy = self.accuracy(&model, &device).await?;
        let latency = measure_latency(
            &model,
            [
                1,
                self.shape.in_channels,
                self.shape.input_size,
                self.shape.input_size,
            ],
            &device,
        )
        .await?;
        Ok(self.record(Status::Ok, None, accuracy, latency))
    }

    async fn accuracy(&self, model: &D::Net, device: &Device) -> Result<f64> {
        let valid = &self.split.valid;
        if valid.is_empty() {
            return Err(Error::Data {
                name: valid.dataset.name.clone(),
                detail: "the validation split is empty; use a larger dataset".into(),
            });
        }
        let positions: Vec<usize> = (0..valid.len()).collect();
        let mut correct = 0.0;
        for chunk in positions.chunks(EVAL_BATCH) {
            let (images, labels) = batch_tensors(valid, chunk, device);
            let predicted = model.forward(images).argmax(1).flatten::<1>(0, 1);
            let hits = predicted.equal(labels).int().sum().float();
            correct += read_floats(hits).await?.first().copied().unwrap_or(0.0) as f64;
        }
        Ok(correct / valid.len() as f64)
    }

    fn batch(&self, subset: &Subset, positions: &[usize]) -> (Tensor<4>, Tensor<1, Int>) {
        batch_tensors(subset, positions, &self.device)
    }

    fn record(
        &self,
        status: Status,
        reason: Option<String>,
        accuracy: f64,
        latency_ms: f64,
    ) -> Evaluation<D> {
        let cost = self.arch.cost(&self.shape);
        Evaluation {
            index: 0,
            arch: self.arch.clone(),
            status,
            reason,
            accuracy,
            final_loss: self.last_epoch_loss,
            params: cost.params,
            flops: cost.flops,
            train_ms: self.started.elapsed().as_secs_f64() * 1000.0,
            latency_ms,
            backend: self.backend.to_string(),
            seed: self.seed,
            cached: false,
            restored: false,
            generation: None,
            zero_cost: self.zero_cost,
            guess: None,
        }
    }
}

/// `net` with every parameter drawn now. Burn draws a parameter's initial
/// values when it is first used, so a net used later draws them from whatever
/// state the device's generator has reached by then; drawn here, right after
/// seeding, the model and its zero-cost twin get the same weights. The draws
/// follow the order of the fields; in the chain net that is the order its
/// forward pass first uses them in, so a chain candidate trains from the
/// weights it had before it had a twin.
fn initialised<N: Module>(net: N) -> N {
    struct Draw;
    impl ModuleVisitor for Draw {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            param.val();
        }
    }
    net.visit(&mut Draw);
    net
}

/// Image and label tensors for some positions of a subset.
///
/// # Shapes
/// images `[n, channels, size, size]`, labels `[n]`
pub(crate) fn batch_tensors(
    subset: &Subset,
    positions: &[usize],
    device: &Device,
) -> (Tensor<4>, Tensor<1, Int>) {
    let data = &subset.dataset;
    let (pixels, labels) = subset.gather(positions);
    let n = positions.len();
    let images = Tensor::<4>::from_data(
        TensorData::new(pixels, [n, data.channels, data.size, data.size]),
        device,
    );
    let labels = Tensor::<1, Int>::from_data(TensorData::new(labels, [n]), device);
    (images, labels)
}

/// Reads a float tensor back without blocking (synchronous reads panic on WebGPU).
pub(crate) async fn read_floats(tensor: Tensor<1>) -> Result<Vec<f32>> {
    let data = tensor.into_data_async().await.map_err(|e| {
        Error::Backend(format!(
            "reading a result back from the device failed: {e:?}"
        ))
    })?;
    data.try_to_vec_as::<f32>()
        .map_err(|e| Error::Backend(format!("unexpected tensor data: {e:?}")))
}
