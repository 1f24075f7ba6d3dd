//! A DARTS run as a step machine: each `step` trains one weight batch and one
//! α batch (or one retraining batch), so the page stays live and Stop works.
//! Between search epochs the run can be saved as a checkpoint and resumed
//! from it exactly; a run interrupted while retraining resumes from its last
//! search checkpoint, so the cell is derived and retrained again.

use std::sync::Arc;

use burn::nn::loss::{CrossEntropyLoss, CrossEntropyLossConfig};
use burn::optim::GradientsParams;
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Serialize;
use web_time::{Duration, Instant};

use super::adam::{ModuleAdam, decode_moments, encode_moments};
use super::alphas::{Alphas, initial_alpha, softmax_rows};
use super::checkpoint::{Checkpoint, Header, refused};
use super::config::DartsConfig;
use super::derive::{Derivation, derive_genotype};
use super::snapshot::{decode_all, encode_all, read_module, write_module};
use crate::backend::Compute;
use crate::data::{Dataset, VALIDATION_FRACTION, load_for_run};
use crate::error::{Error, Result};
use crate::model::{Supernet, cell_edges};
use crate::space::{Genotype, Op};
use crate::train::{Evaluation, Split, Step, Trainer, batch_tensors, read_floats};

/// Images per forward pass when scoring the validation split.
const EVAL_BATCH: usize = 256;

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Training the supernet and α.
    Search,
    /// Training the derived cell from scratch.
    Retrain,
    Done,
}

/// What one search epoch ended with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpochRecord {
    /// 1-based.
    pub epoch: usize,
    /// Means over the epoch's weight steps (network in training mode).
    pub train_loss: f64,
    pub train_accuracy: f64,
    /// On the whole validation split after the epoch, in evaluation mode.
    pub valid_loss: f64,
    pub valid_accuracy: f64,
    /// softmax(α) per edge (`cell_edges` order) and op, after the epoch.
    pub probabilities: Vec<Vec<f64>>,
    /// Wall time since the run started.
    pub elapsed_ms: f64,
}

/// What one `step` produced.
#[derive(Debug, Clone, Serialize)]
pub struct DartsReport {
    pub done: bool,
    pub phase: Phase,
    /// Share of the planned work done, in `[0, 1]`.
    pub fraction: f64,
    pub status: String,
    /// Set when a search epoch just closed.
    pub epoch: Option<EpochRecord>,
    /// Set once, when the search ended and the cell was derived.
    pub derivation: Option<Derivation>,
    /// Set once, when the derived cell was retrained.
    pub retrained: Option<Evaluation<Genotype>>,
    /// Set when the run stopped early; says why and what to do.
    pub error: Option<String>,
    /// Set on the first report only: softmax(α) before any step.
    pub initial_probabilities: Option<Vec<Vec<f64>>>,
}

/// The whole run, for the CLI's JSON and for saving.
#[derive(Debug, Clone, Serialize)]
pub struct DartsSummary {
    pub config: DartsConfig,
    pub seed: u64,
    pub backend: &'static str,
    /// α's columns.
    pub ops: Vec<Op>,
    /// α's rows, as `from→to`.
    pub edges: Vec<String>,
    /// softmax(α) before the first step.
    pub initial_probabilities: Vec<Vec<f64>>,
    pub epochs: Vec<EpochRecord>,
    pub derivation: Option<Derivation>,
    pub retrained: Option<Evaluation<Genotype>>,
    /// Wall time of the search phase alone (up to the last epoch closed).
    pub search_ms: f64,
}

/// Running sums of one epoch's weight steps, kept on the device and read once.
#[derive(Default)]
struct EpochSums {
    loss: Option<Tensor<1>>,
    correct: Option<Tensor<1>>,
    batches: usize,
    images: usize,
}

fn add(sum: Option<Tensor<1>>, value: Tensor<1>) -> Option<Tensor<1>> {
    Some(match sum {
        Some(s) => s + value,
        None => value,
    })
}

pub struct DartsRun {
    config: DartsConfig,
    ops: Vec<Op>,
    compute: Compute,
    split: Split,
    device: Device,
    net: Option<Supernet>,
    alphas: Option<Alphas>,
    weight_optimizer: ModuleAdam,
    alpha_optimizer: ModuleAdam,
    loss: CrossEntropyLoss,
    rng: StdRng,
    train_order: Vec<usize>,
    train_cursor: usize,
    valid_order: Vec<usize>,
    valid_cursor: usize,
    sums: EpochSums,
    initial_probabilities: Vec<Vec<f64>>,
    epochs: Vec<EpochRecord>,
    derivation: Option<Derivation>,
    retrainer: Option<Trainer<Genotype>>,
    retrained: Option<Evaluation<Genotype>>,
    phase: Phase,
    /// Whether a report has gone out (the first one carries α's start).
    reported: bool,
    started: Instant,
    search_ms: f64,
}

impl DartsRun {
    /// Validates the settings, loads and splits the dataset, builds the supernet.
    pub fn new(config: DartsConfig, compute: Compute) -> Result<Self> {
        config.validate()?;
        let dataset = load_for_run(&config.dataset, config.limit, config.seed)?;
        Ok(Self::with_dataset(config, compute, dataset))
    }

    /// The run `checkpoint` (from [`checkpoint`](Self::checkpoint)) was
    /// taken of, continuing at the epoch after it; refused with the reason
    /// when it was taken with other settings or is damaged.
    pub fn resume(config: DartsConfig, compute: Compute, checkpoint: &[u8]) -> Result<Self> {
        Self::new(config, compute)?.with_checkpoint(checkpoint)
    }

    /// A run over a given dataset (settings already validated).
    pub fn with_dataset(config: DartsConfig, compute: Compute, dataset: Arc<Dataset>) -> Self {
        let (train, valid) = dataset.split(VALIDATION_FRACTION, config.seed);
        let split = Split { train, valid };
        let ops = config.canonical_ops();
        let device = compute.device.clone().autodiff();
        device.seed(config.seed);
        let net = Supernet::new(&ops, config.nodes, &split.shape(config.width), &device);
        let alpha = initial_alpha(cell_edges(config.nodes).len(), ops.len(), config.seed);
        Self {
            alphas: Some(Alphas::new(&alpha, &device)),
            initial_probabilities: softmax_rows(&alpha),
            net: Some(net),
            weight_optimizer: ModuleAdam::default(),
            alpha_optimizer: ModuleAdam::default(),
            loss: CrossEntropyLossConfig::new().init(&device),
            rng: StdRng::seed_from_u64(config.seed),
            train_order: Vec::new(),
            train_cursor: 0,
            valid_order: Vec::new(),
            valid_cursor: 0,
            sums: EpochSums::default(),
            epochs: Vec::new(),
            derivation: None,
            retrainer: None,
            retrained: None,
            phase: Phase::Search,
            reported: false,
            started: Instant::now(),
            search_ms: 0.0,
            ops,
            compute,
            split,
            device,
            config,
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The run's state after its last closed search epoch, as bytes for
    /// [`with_checkpoint`](Self::with_checkpoint): the supernet, α, both
    /// optimizers' moments and the epoch records. Only between search epochs:
    /// `None` before the first one closes, mid-epoch, and once the supernet is
    /// freed for retraining. Every tensor is read with an awaited read, so it
    /// works on WebGPU in a browser as well as on the CPU.
    pub async fn checkpoint(&self) -> Result<Option<Vec<u8>>> {
        let between_epochs = self.phase == Phase::Search && self.train_order.is_empty();
        let (Some(net), Some(alphas)) = (&self.net, &self.alphas) else {
            return Ok(None);
        };
        if !between_epochs || self.epochs.is_empty() {
            return Ok(None);
        }
        let checkpoint = Checkpoint {
            header: Header::new(
                &self.config,
                (self.split.train.len(), self.split.valid.len()),
                &self.epochs,
                self.elapsed_ms(),
            ),
            net: encode_all(&read_module(net).await?),
            alphas: encode_all(&read_module(alphas).await?),
            weight_optimizer: encode_moments(&self.weight_optimizer.read(net).await?),
            alpha_optimizer: encode_moments(&self.alpha_optimizer.read(alphas).await?),
        };
        Ok(Some(checkpoint.encode()))
    }

    /// This freshly built run, moved to where `checkpoint` left off; refused
    /// with the reason when the checkpoint was taken with other settings, on
    /// other data, or is damaged.
    pub fn with_checkpoint(mut self, checkpoint: &[u8]) -> Result<Self> {
        if !self.epochs.is_empty() || self.reported {
            return Err(refused(
                "a checkpoint can only start a run that has not stepped",
            ));
        }
        let checkpoint = Checkpoint::decode(checkpoint)?;
        let (train, valid) = (self.split.train.len(), self.split.valid.len());
        checkpoint.check_matches(&self.config, train, valid)?;
        let net = self.net.take().expect("a new run has its supernet");
        let alphas = self.alphas.take().expect("a new run has α");
        let net = write_module(net, &decode_all(&checkpoint.net, "supernet")?, "supernet")?;
        let alphas = write_module(alphas, &decode_all(&checkpoint.alphas, "α")?, "α")?;
        let inner = &self.compute.device;
        let weight_moments = decode_moments(&checkpoint.weight_optimizer, "supernet")?;
        self.weight_optimizer = ModuleAdam::restore(&net, &weight_moments, inner, "supernet")?;
        let alpha_moments = decode_moments(&checkpoint.alpha_optimizer, "α")?;
        self.alpha_optimizer = ModuleAdam::restore(&alphas, &alpha_moments, inner, "α")?;
        self.net = Some(net);
        self.alphas = Some(alphas);
        let (epochs, elapsed_ms) = (checkpoint.header.epochs(), checkpoint.header.elapsed_ms);
        self.replay_data_order(epochs.len());
        self.epochs = epochs;
        self.search_ms = elapsed_ms;
        let elapsed = Duration::from_secs_f64(elapsed_ms.max(0.0) / 1000.0);
        self.started = Instant::now()
            .checked_sub(elapsed)
            .unwrap_or_else(Instant::now);
        // Its first report is not the run's first: α's start went out before.
        self.reported = true;
        Ok(self)
    }

    /// Draws from the data-order generator exactly what `epochs` search
    /// epochs drew (one training shuffle each, then one validation batch per
    /// weight step), leaving it and the validation cursor where they were.
    fn replay_data_order(&mut self, epochs: usize) {
        let steps = self.split.train.len().div_ceil(self.config.batch_size);
        for _ in 0..epochs {
            self.train_order = (0..self.split.train.len()).collect();
            self.train_order.shuffle(&mut self.rng);
            for _ in 0..steps {
                self.next_validation_batch();
            }
        }
        self.train_order.clear();
    }

    fn elapsed_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }

    /// Everything so far, for the CLI's JSON and for saving.
    pub fn summary(&self) -> DartsSummary {
        DartsSummary {
            config: self.config.clone(),
            seed: self.config.seed,
            backend: self.compute.kind.name(),
            ops: self.ops.clone(),
            edges: cell_edges(self.config.nodes)
                .iter()
                .map(|(from, to)| format!("{from}→{to}"))
                .collect(),
            initial_probabilities: self.initial_probabilities.clone(),
            epochs: self.epochs.clone(),
            derivation: self.derivation.clone(),
            retrained: self.retrained.clone(),
            search_ms: self.search_ms,
        }
    }

    /// One unit of work: a weight step and an α step, or one retraining batch.
    pub async fn step(&mut self) -> Result<DartsReport> {
        let mut report = match self.phase {
            Phase::Search => self.search_step().await,
            Phase::Retrain => self.retrain_step().await,
            Phase::Done => Ok(self.report(None, None, None, None)),
        }?;
        if !std::mem::replace(&mut self.reported, true) {
            report.initial_probabilities = Some(self.initial_probabilities.clone());
        }
        Ok(report)
    }

    async fn search_step(&mut self) -> Result<DartsReport> {
        if self.split.train.is_empty() || self.split.valid.is_empty() {
            return Err(Error::Data {
                name: self.split.train.dataset.name.clone(),
                detail: "DARTS needs both a training and a validation split; use a larger dataset"
                    .into(),
            });
        }
        if self.epochs.len() == self.config.epochs {
            return self.end_search();
        }
        if self.train_cursor == 0 && self.train_order.is_empty() {
            self.train_order = (0..self.split.train.len()).collect();
            self.train_order.shuffle(&mut self.rng);
        }
        self.alpha_step();
        self.weight_step();
        if self.train_cursor < self.train_order.len() {
            return Ok(self.report(None, None, None, None));
        }
        self.train_order.clear();
        self.train_cursor = 0;

        let record = self.close_epoch().await?;
        self.search_ms = record.elapsed_ms;
        if let Some(message) = self.divergence(&record) {
            self.phase = Phase::Done;
            return Ok(self.report(Some(record), None, None, Some(message)));
        }
        self.epochs.push(record.clone());
        Ok(self.report(Some(record), None, None, None))
    }

    /// The step after the last search epoch closed (kept apart from it, so
    /// that a checkpoint can be taken of the last epoch too): checks that the
    /// weights learned, then derives the cell.
    fn end_search(&mut self) -> Result<DartsReport> {
        let last = self
            .epochs
            .last()
            .cloned()
            .expect("the search ran its epochs");
        if let Some(message) = self.learned_nothing(&last) {
            self.phase = Phase::Done;
            return Ok(self.report(None, None, None, Some(message)));
        }
        let derivation = self.derive(&last)?;
        Ok(self.report(None, Some(derivation), None, None))
    }

    /// First-order α step: the validation loss's gradient with respect to α
    /// alone, the network's weights held fixed. (The backward pass computes
    /// the weights' gradients too; they are dropped. Marking the weights as
    /// not requiring gradients on a clone would switch them off in the
    /// original as well, since clones share their parameters.)
    fn alpha_step(&mut self) {
        let positions = self.next_validation_batch();
        let (images, labels) = batch_tensors(&self.split.valid, &positions, &self.device);
        let alphas = self.alphas.take().expect("α is present between steps");
        let net = self.net.as_ref().expect("the supernet is present");
        let loss = self
            .loss
            .forward(net.forward(images, alphas.probabilities()), labels);
        let mut grads = loss.backward();
        let grads = GradientsParams::from_module(&mut grads, &alphas);
        self.alphas = Some(
            self.alpha_optimizer
                .step(self.config.alpha_lr, alphas, grads),
        );
    }

    /// Weight step on a training batch with α held fixed.
    fn weight_step(&mut self) {
        let end = (self.train_cursor + self.config.batch_size).min(self.train_order.len());
        let positions = &self.train_order[self.train_cursor..end];
        let (images, labels) = batch_tensors(&self.split.train, positions, &self.device);
        self.train_cursor = end;

        let net = self
            .net
            .take()
            .expect("the supernet is present between steps");
        let weights = self.alphas.as_ref().expect("α").probabilities().detach();
        let logits = net.forward(images, weights);
        let loss = self.loss.forward(logits.clone(), labels.clone());
        let correct = logits
            .detach()
            .argmax(1)
            .flatten::<1>(0, 1)
            .equal(labels)
            .int()
            .sum()
            .float();
        let grads = GradientsParams::from_grads(loss.backward(), &net);
        self.net = Some(
            self.weight_optimizer
                .step(self.config.weight_lr, net, grads),
        );

        let sums = std::mem::take(&mut self.sums);
        self.sums = EpochSums {
            loss: add(sums.loss, loss.detach()),
            correct: add(sums.correct, correct),
            batches: sums.batches + 1,
            images: sums.images + positions.len(),
        };
    }

    /// The next α batch, cycling through the validation split in a fresh
    /// seeded order each time round.
    fn next_validation_batch(&mut self) -> Vec<usize> {
        if self.valid_cursor >= self.valid_order.len() {
            self.valid_order = (0..self.split.valid.len()).collect();
            self.valid_order.shuffle(&mut self.rng);
            self.valid_cursor = 0;
        }
        let end = (self.valid_cursor + self.config.batch_size).min(self.valid_order.len());
        let batch = self.valid_order[self.valid_cursor..end].to_vec();
        self.valid_cursor = end;
        batch
    }

    /// Reads the epoch's sums, scores the validation split and reads α.
    async fn close_epoch(&mut self) -> Result<EpochRecord> {
        let sums = std::mem::take(&mut self.sums);
        let train_loss = read_scalar(sums.loss).await? / sums.batches.max(1) as f64;
        let train_accuracy = read_scalar(sums.correct).await? / sums.images.max(1) as f64;
        let (valid_loss, valid_accuracy) = self.validate().await?;
        let probabilities = self.read_probabilities().await?;
        Ok(EpochRecord {
            epoch: self.epochs.len() + 1,
            train_loss,
            train_accuracy,
            valid_loss,
            valid_accuracy,
            probabilities,
            elapsed_ms: self.elapsed_ms(),
        })
    }

    async fn validate(&self) -> Result<(f64, f64)> {
        let net = self.net.as_ref().expect("supernet").valid();
        let weights = self.alphas.as_ref().expect("α").valid().probabilities();
        let device = self.device.clone().inner();
        let valid = &self.split.valid;
        let positions: Vec<usize> = (0..valid.len()).collect();
        let (mut loss_sum, mut correct_sum) = (None, None);
        for chunk in positions.chunks(EVAL_BATCH) {
            let (images, labels) = batch_tensors(valid, chunk, &device);
            let logits = net.forward(images, weights.clone());
            let loss = self.loss.forward(logits.clone(), labels.clone()) * chunk.len() as f32;
            let correct = logits
                .argmax(1)
                .flatten::<1>(0, 1)
                .equal(labels)
                .int()
                .sum()
                .float();
            loss_sum = add(loss_sum, loss);
            correct_sum = add(correct_sum, correct);
        }
        let n = valid.len() as f64;
        Ok((
            read_scalar(loss_sum).await? / n,
            read_scalar(correct_sum).await? / n,
        ))
    }

    async fn read_probabilities(&self) -> Result<Vec<Vec<f64>>> {
        let probabilities = self.alphas.as_ref().expect("α").valid().probabilities();
        let [_, ops] = probabilities.dims();
        let flat = read_floats(probabilities.flatten::<1>(0, 1)).await?;
        Ok(flat
            .chunks(ops.max(1))
            .map(|row| row.iter().map(|&p| p as f64).collect())
            .collect())
    }

    /// Why the search cannot go on, if it cannot.
    fn divergence(&self, record: &EpochRecord) -> Option<String> {
        let finite = record.train_loss.is_finite()
            && record.probabilities.iter().flatten().all(|p| p.is_finite());
        (!finite).then(|| {
            format!(
                "the DARTS search diverged in epoch {} (training loss {}); lower the weight \
                 learning rate (now {}) or the α learning rate (now {}) and run again",
                record.epoch, record.train_loss, self.config.weight_lr, self.config.alpha_lr
            )
        })
    }

    /// Why α cannot be trusted after the last epoch, if it cannot: a mean
    /// training loss above ln(classes), the loss of a uniform guess, means
    /// the weights learned nothing, so α ranked ops on noise.
    fn learned_nothing(&self, last: &EpochRecord) -> Option<String> {
        let uniform = (self.split.train.dataset.classes as f64).ln();
        (last.train_loss > uniform).then(|| {
            format!(
                "the DARTS search learned nothing: mean training loss {:.3} in the last epoch is \
                 above {uniform:.3}, the loss of a uniform guess, so α cannot be trusted; lower \
                 the weight learning rate (now {}) or the α learning rate (now {}), or search \
                 for more epochs",
                last.train_loss, self.config.weight_lr, self.config.alpha_lr
            )
        })
    }

    /// Derives the cell from the last α and starts retraining it.
    fn derive(&mut self, last: &EpochRecord) -> Result<Derivation> {
        let derivation = derive_genotype(
            &last.probabilities,
            &self.ops,
            self.config.nodes,
            self.config.identity_cap,
        )?;
        log::info!("derived cell {}", derivation.genotype);
        // The supernet and its optimizers are no longer needed: free them
        // before the retraining allocates.
        self.net = None;
        self.weight_optimizer = ModuleAdam::default();
        self.alpha_optimizer = ModuleAdam::default();
        self.retrainer = Some(Trainer::new(
            derivation.genotype.clone(),
            self.split.clone(),
            self.config.width,
            self.config.retrain_budget(),
            self.config.seed,
            &self.compute,
        ));
        self.phase = Phase::Retrain;
        self.derivation = Some(derivation.clone());
        Ok(derivation)
    }

    async fn retrain_step(&mut self) -> Result<DartsReport> {
        let trainer = self.retrainer.as_mut().expect("retraining has started");
        match trainer.step().await? {
            Step::Trained => Ok(self.report(None, None, None, None)),
            Step::Finished(evaluation) => {
                self.retrainer = None;
                self.phase = Phase::Done;
                let error = evaluation
                    .reason
                    .clone()
                    .map(|reason| format!("retraining the derived cell failed: {reason}"));
                self.retrained = Some(*evaluation.clone());
                Ok(self.report(None, None, Some(*evaluation), error))
            }
        }
    }

    fn report(
        &self,
        epoch: Option<EpochRecord>,
        derivation: Option<Derivation>,
        retrained: Option<Evaluation<Genotype>>,
        error: Option<String>,
    ) -> DartsReport {
        DartsReport {
            done: self.phase == Phase::Done,
            phase: self.phase,
            fraction: self.fraction(),
            status: self.status_line(&error),
            epoch,
            derivation,
            retrained,
            error,
            initial_probabilities: None,
        }
    }

    /// Progress weighted by rough cost: a search batch runs every op on every
    /// edge twice (weight and α step), a retraining batch one op per kept edge.
    fn fraction(&self) -> f64 {
        if self.phase == Phase::Done {
            return 1.0;
        }
        let batches = self
            .split
            .train
            .len()
            .div_ceil(self.config.batch_size)
            .max(1) as f64;
        let edges = cell_edges(self.config.nodes).len() as f64;
        let search_cost = 2.0 * edges * self.ops.len() as f64;
        let retrain_cost = (2 * (self.config.nodes - 1) - 1) as f64;
        let search_done = self.epochs.len() as f64 * batches
            + self.train_cursor.div_ceil(self.config.batch_size) as f64;
        let retrain_done = self.retrainer.as_ref().map_or(0.0, |t| {
            t.progress() * self.config.retrain_epochs as f64 * batches
        });
        let total = batches
            * (self.config.epochs as f64 * search_cost
                + self.config.retrain_epochs as f64 * retrain_cost);
        ((search_done * search_cost + retrain_done * retrain_cost) / total).min(1.0)
    }

    fn status_line(&self, error: &Option<String>) -> String {
        let backend = self.compute.kind.name();
        if let Some(message) = error {
            return format!("stopped: {message}");
        }
        match self.phase {
            Phase::Search => format!(
                "search epoch {} of {} · {} ops on {} edges · {backend}",
                (self.epochs.len() + 1).min(self.config.epochs),
                self.config.epochs,
                self.ops.len(),
                cell_edges(self.config.nodes).len()
            ),
            Phase::Retrain => format!(
                "retraining the derived cell · epoch {} of {} · {backend}",
                self.retrainer.as_ref().map_or(0, Trainer::current_epoch),
                self.config.retrain_epochs
            ),
            Phase::Done => match &self.retrained {
                Some(e) if e.is_ok() => format!(
                    "done: derived cell retrained to validation accuracy {:.3} on {backend}",
                    e.accuracy
                ),
                _ => format!("done on {backend}"),
            },
        }
    }
}

async fn read_scalar(sum: Option<Tensor<1>>) -> Result<f64> {
    match sum {
        Some(tensor) => Ok(read_floats(tensor)
            .await?
            .first()
            .copied()
            .unwrap_or(f32::NAN) as f64),
        None => Ok(f64::NAN),
    }
}
