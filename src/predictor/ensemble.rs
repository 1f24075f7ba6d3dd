//! A small ensemble of MLPs that learns (feature vector → accuracy) from the
//! architectures evaluated so far. The members' mean is the guess and their
//! spread the uncertainty, which the search trades off against the guess.
//!
//! It always trains on the CPU (flex, with autodiff), whatever device the rest
//! of a run uses: the nets are so small that a GPU would spend its time on
//! launches and read-backs. Members differ by their initial weights and by a
//! Bayesian bootstrap (per-member random weights on the rows), both drawn from
//! the seed, so the same seed and data give the same guesses.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use serde::{Deserialize, Serialize};

use super::members::Members;
use super::scaling::Scaling;
use crate::error::{Error, Result};

/// The most members, hidden units and training steps the settings accept.
pub const MAX_MEMBERS: usize = 64;
pub const MAX_HIDDEN: usize = 1024;
pub const MAX_EPOCHS: usize = 100_000;

/// How the ensemble is built and trained. Every step is full-batch (a search
/// has at most a few hundred rows), so an epoch is one optimizer step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnsembleSettings {
    pub members: usize,
    /// Units in each of the two hidden layers.
    pub hidden: usize,
    /// Steps of the first fit, from the initial weights.
    pub epochs_first: usize,
    /// Steps of every later fit, which starts from the weights it left.
    pub epochs_warm: usize,
    /// Adam's step size, for standardised targets.
    pub learning_rate: f64,
    /// Drives the members' initial weights and their bootstrap weights.
    pub seed: u64,
}

impl Default for EnsembleSettings {
    /// Sized for speed as much as for fit: a step costs mostly the small
    /// matmuls (rows × hidden²), and on NAS-Bench-201 these settings find the
    /// table's best cell by 100 queries in the median of 20 seeds, as 32
    /// hidden units and twice the steps do, in a third of the time.
    fn default() -> Self {
        Self {
            members: 5,
            hidden: 16,
            epochs_first: 100,
            epochs_warm: 30,
            learning_rate: 0.02,
            seed: 0,
        }
    }
}

impl EnsembleSettings {
    /// At least two members, or there is no spread to measure.
    pub fn validate(&self) -> Result<()> {
        if !(2..=MAX_MEMBERS).contains(&self.members) {
            return Err(Error::out_of_range("members", 2, MAX_MEMBERS, self.members));
        }
        if !(1..=MAX_HIDDEN).contains(&self.hidden) {
            return Err(Error::out_of_range("hidden", 1, MAX_HIDDEN, self.hidden));
        }
        for (field, epochs) in [
            ("epochs_first", self.epochs_first),
            ("epochs_warm", self.epochs_warm),
        ] {
            if !(1..=MAX_EPOCHS).contains(&epochs) {
                return Err(Error::out_of_range(field, 1, MAX_EPOCHS, epochs));
            }
        }
        if !(self.learning_rate > 0.0 && self.learning_rate <= 1.0) {
            return Err(Error::out_of_range(
                "learning_rate",
                "above 0",
                1,
                self.learning_rate,
            ));
        }
        Ok(())
    }
}

/// The ensemble's guess for one architecture: the members' mean accuracy (a
/// fraction) and their standard deviation, the uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    pub mean: f64,
    pub spread: f64,
}

/// The acquisition score: the guess plus `kappa` spreads. `kappa` 0 picks
/// the best guess; larger values favour architectures the ensemble is unsure
/// of, which is how the search keeps exploring.
pub fn upper_confidence(guess: Guess, kappa: f64) -> f64 {
    guess.mean + kappa * guess.spread
}

/// The members, their optimizer (kept between fits for the warm start) and
/// the scaling of the data they were last fitted on.
pub struct Ensemble {
    inputs: usize,
    settings: EnsembleSettings,
    device: Device,
    model: Option<Members>,
    optimizer: ModuleOptimizer,
    scaling: Scaling,
    fits: usize,
}

impl Ensemble {
    /// Untrained members for feature vectors of length `inputs`. Their guesses
    /// mean nothing until the first `fit`.
    pub fn new(inputs: usize, settings: EnsembleSettings) -> Result<Self> {
        settings.validate()?;
        if inputs == 0 {
            return Err(Error::bad_setting(
                "predictor",
                "feature vectors must have at least one value; got an empty encoding",
            ));
        }
        let device = Device::flex().autodiff();
        let seeds: Vec<u64> = (0..settings.members as u64)
            .map(|m| mix(settings.seed, m))
            .collect();
        let optimizer = AdamConfig::new().init();
        Ok(Self {
            inputs,
            model: Some(Members::new(&seeds, inputs, settings.hidden, &device)),
            settings,
            device,
            optimizer,
            scaling: Scaling::identity(inputs),
            fits: 0,
        })
    }

    pub fn settings(&self) -> &EnsembleSettings {
        &self.settings
    }

    /// Trains on all pairs seen so far; warm-starts from the current weights
    /// after the first fit. Pass the pairs in the order they were found, new
    /// ones appended: row `i` keeps its bootstrap weights from fit to fit.
    pub fn fit(&mut self, features: &[Vec<f32>], accuracies: &[f64]) -> Result<()> {
        self.check(features, accuracies)?;
        self.scaling = Scaling::fit(features, accuracies);
        let (members, rows) = (self.settings.members, features.len());
        let x = self.inputs_tensor(features, &self.device);
        let targets: Vec<f32> = accuracies.iter().map(|&a| self.scaling.target(a)).collect();
        let y = Tensor::<2>::from_data(
            TensorData::new(targets.repeat(members), [members, rows]),
            &self.device,
        );
        let weights = Tensor::<2>::from_data(
            TensorData::new(
                bootstrap(self.settings.seed, members, rows),
                [members, rows],
            ),
            &self.device,
        );

        let steps = match self.fits {
            0 => self.settings.epochs_first,
            _ => self.settings.epochs_warm,
        };
        let last_loss = self.train(x, y, weights, steps);
        self.fits += 1;
        self.check_loss(last_loss)
    }

    /// `steps` full-batch Adam steps on the bootstrap-weighted squared error,
    /// summed over members (each member's gradient is its own term's);
    /// returns the loss of the last step.
    ///
    /// # Shapes
    /// x `[members, rows, inputs]`, y and weights `[members, rows]`
    fn train(
        &mut self,
        x: Tensor<3>,
        y: Tensor<2>,
        weights: Tensor<2>,
        steps: usize,
    ) -> Option<Tensor<1>> {
        let mut model = self
            .model
            .take()
            .expect("the members are present between fits");
        let mut last_loss = None;
        for _ in 0..steps {
            let error = model.forward(x.clone()) - y.clone();
            let loss = (error.clone() * error * weights.clone()).sum();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = self
                .optimizer
                .step(self.settings.learning_rate, model, grads);
            last_loss = Some(loss);
        }
        self.model = Some(model);
        last_loss
    }

    /// The ensemble's guess for each feature vector, in order. A vector of the
    /// wrong length or with a non-finite value gets a NaN guess, as does every
    /// vector when the members' outputs are not finite.
    pub fn guess(&self, features: &[Vec<f32>]) -> Vec<Guess> {
        let nan = Guess {
            mean: f64::NAN,
            spread: f64::NAN,
        };
        let valid: Vec<bool> = features.iter().map(|f| self.is_valid(f)).collect();
        let usable: Vec<Vec<f32>> = features
            .iter()
            .zip(&valid)
            .map(|(f, &ok)| {
                if ok {
                    f.clone()
                } else {
                    vec![0.0; self.inputs]
                }
            })
            .collect();
        if usable.is_empty() {
            return Vec::new();
        }
        let outputs = self.outputs(&usable);
        let rows = usable.len();
        (0..rows)
            .map(|row| match valid[row] {
                true => self.summarise(&outputs, row, rows),
                false => nan,
            })
            .collect()
    }

    /// Every member's standardised output, member-major: `[members * rows]`.
    fn outputs(&self, features: &[Vec<f32>]) -> Vec<f32> {
        let model = self
            .model
            .as_ref()
            .expect("the members are present")
            .valid();
        let inner = self.device.clone().inner();
        let x = self.inputs_tensor(features, &inner);
        model
            .forward(x)
            .into_data()
            .try_to_vec::<f32>()
            .expect("the CPU backend reads float tensors back synchronously")
    }

    /// Mean and standard deviation over the members of one row, in accuracy units.
    fn summarise(&self, outputs: &[f32], row: usize, rows: usize) -> Guess {
        let members = self.settings.members;
        let values: Vec<f64> = (0..members)
            .map(|m| self.scaling.accuracy(outputs[m * rows + row]))
            .collect();
        let mean = values.iter().sum::<f64>() / members as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / members as f64;
        Guess {
            mean,
            spread: variance.sqrt(),
        }
    }

    /// The scaled features, repeated for every member.
    ///
    /// # Shapes
    /// `[members, rows, inputs]`
    fn inputs_tensor(&self, features: &[Vec<f32>], device: &Device) -> Tensor<3> {
        let scaled: Vec<f32> = features
            .iter()
            .flat_map(|f| self.scaling.features(f))
            .collect();
        let members = self.settings.members;
        let shape = [members, features.len(), self.inputs];
        Tensor::from_data(TensorData::new(scaled.repeat(members), shape), device)
    }

    fn is_valid(&self, features: &[f32]) -> bool {
        features.len() == self.inputs && features.iter().all(|v| v.is_finite())
    }

    fn check(&self, features: &[Vec<f32>], accuracies: &[f64]) -> Result<()> {
        let problem = |detail: String| Err(Error::bad_setting("predictor", detail));
        if features.is_empty() {
            return problem("fitting needs at least one evaluated architecture; got none".into());
        }
        if accuracies.len() != features.len() {
            return problem(format!(
                "got {} feature vectors but {} accuracies; give one accuracy per vector",
                features.len(),
                accuracies.len()
            ));
        }
        if let Some(row) = features.iter().position(|f| !self.is_valid(f)) {
            return problem(format!(
                "feature vector {row} has {} values (expected {}) or a non-finite value",
                features[row].len(),
                self.inputs
            ));
        }
        match accuracies.iter().position(|a| !a.is_finite()) {
            Some(row) => problem(format!(
                "accuracy {row} is not finite; leave failed evaluations out of the fit"
            )),
            None => Ok(()),
        }
    }

    /// A fit whose loss is not finite has ruined the weights; say so.
    fn check_loss(&self, loss: Option<Tensor<1>>) -> Result<()> {
        let Some(loss) = loss else { return Ok(()) };
        let value = loss
            .into_data()
            .try_to_vec::<f32>()
            .expect("the CPU backend reads float tensors back synchronously")[0];
        match value.is_finite() {
            true => Ok(()),
            false => Err(Error::bad_setting(
                "predictor",
                format!(
                    "the ensemble's training loss became {value}; lower its learning rate \
                     (now {})",
                    self.settings.learning_rate
                ),
            )),
        }
    }
}

/// Per-member Bayesian-bootstrap weights (exponential draws, normalised to sum
/// to 1 per member), member-major. Row `i`'s weight depends only on the seed,
/// the member and `i` before normalising, so adding rows keeps the earlier
/// rows' weights relative to each other.
fn bootstrap(seed: u64, members: usize, rows: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(members * rows);
    for m in 0..members as u64 {
        let draws: Vec<f64> = (0..rows as u64)
            .map(|i| {
                let bits = mix(mix(seed ^ 0xb007_5a4b, m), i) >> 11;
                let uniform = (bits as f64 + 1.0) / (1u64 << 53) as f64;
                -uniform.ln()
            })
            .collect();
        let total: f64 = draws.iter().sum();
        out.extend(draws.iter().map(|d| (d / total) as f32));
    }
    out
}

/// SplitMix64 of `a` and `b`: a well-spread seed for each (seed, index).
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
