//! A whole search as a step machine: the strategy proposes, a cache answers
//! repeats, a `Trainer` trains new candidates one batch per `step`. A resumed
//! search first answers from the evaluations its interrupted run saved.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use serde::Serialize;

use super::config::{SearchConfig, StrategyKind};
use super::evolution::{Evolution, EvolutionSettings};
use super::fixed::FixedList;
use super::predictor::{PredictorSearch, PredictorSettings};
use super::random::RandomSearch;
use super::regularized::RegularizedEvolution;
use super::strategy::{GenerationStats, Proposal, Strategy};
use crate::backend::{BackendKind, Compute};
use crate::data::{Dataset, VALIDATION_FRACTION, load_for_run};
use crate::error::{Error, Result};
use crate::space::{Architecture, NetShape, network_cost};
use crate::train::{Evaluation, Split, Status, Step, Trainer};

/// What one `step` produced, for progress bars and live charts.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub done: bool,
    /// Share of the planned work done, in `[0, 1]`.
    pub fraction: f64,
    pub status: String,
    /// Set when a candidate was just evaluated (trained or taken from the cache).
    pub evaluation: Option<Evaluation>,
    /// Set when a generation just closed.
    pub generation: Option<GenerationStats>,
    /// Set when the search stopped early; says why and what to do.
    pub error: Option<String>,
}

pub struct SearchRun {
    config: SearchConfig,
    compute: Compute,
    split: Split,
    strategy: Box<dyn Strategy>,
    cache: HashMap<Architecture, Evaluation>,
    trainer: Option<Trainer>,
    evaluations: Vec<Evaluation>,
    /// Saved evaluations of an interrupted run still to replay, in order.
    history: VecDeque<Evaluation>,
    /// Why the candidate after the history could not finish (its GPU device
    /// was lost): it is recorded as failed with this reason, not trained.
    lost: Option<String>,
    finished: bool,
}

impl SearchRun {
    /// Validates the settings, loads the dataset they name, samples and splits it.
    pub fn new(config: SearchConfig, compute: Compute) -> Result<Self> {
        config.validate()?;
        let dataset = load_for_run(&config.dataset, config.limit, config.seed)?;
        Ok(Self::with_dataset(config, compute, dataset))
    }

    /// Trains exactly `arch` (the CLI's `train`), through the same machinery.
    pub fn single(arch: Architecture, config: SearchConfig, compute: Compute) -> Result<Self> {
        let mut run = Self::new(config, compute)?;
        run.strategy = Box::new(FixedList::new(vec![arch]));
        Ok(run)
    }

    /// Makes this search, not yet stepped, resume an interrupted one:
    /// `history` holds the evaluations that a run of the same settings
    /// produced before it stopped, in order. The strategy proposes again from
    /// the start; each proposal is answered by the next saved evaluation
    /// (marked `restored`) instead of training, and once they are used up the
    /// search goes on as the interrupted run would have, since strategies are
    /// deterministic given the settings. A saved evaluation that does not
    /// match the proposal stops the search with a message, as a failed
    /// generation does.
    pub fn with_history(mut self, history: Vec<Evaluation>) -> Result<Self> {
        let planned = self.config.planned_evaluations();
        if history.len() > planned {
            return Err(Error::bad_setting(
                "history",
                format!(
                    "the saved run has {} evaluations, but its settings plan {planned}; \
                     it belongs to other settings",
                    history.len()
                ),
            ));
        }
        self.history = history.into();
        Ok(self)
    }

    /// Makes the first candidate after the history (see `with_history`) a
    /// failure with `reason` instead of training it: the GPU device it was
    /// training on was lost, and the search goes on with the next one, on
    /// this run's backend, as if that candidate had diverged.
    pub fn with_lost_candidate(mut self, reason: String) -> Self {
        self.lost = Some(reason);
        self
    }

    /// A search over a given dataset (settings already validated).
    pub fn with_dataset(config: SearchConfig, compute: Compute, dataset: Arc<Dataset>) -> Self {
        let (train, valid) = dataset.split(VALIDATION_FRACTION, config.seed);
        let split = Split { train, valid };
        Self {
            strategy: make_strategy(&config, split.shape(config.width)),
            split,
            config,
            compute,
            cache: HashMap::new(),
            trainer: None,
            evaluations: Vec::new(),
            history: VecDeque::new(),
            lost: None,
            finished: false,
        }
    }

    pub fn config(&self) -> &SearchConfig {
        &self.config
    }

    pub fn evaluations(&self) -> &[Evaluation] {
        &self.evaluations
    }

    /// The shape of the networks this search builds (from its data and width).
    pub fn shape(&self) -> NetShape {
        self.split.shape(self.config.width)
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Does one unit of work: trains one batch, or closes a candidate, or
    /// starts the next one. Saved evaluations being replayed and cache hits
    /// are answered without training.
    pub async fn step(&mut self) -> Result<StepReport> {
        if self.finished {
            return Ok(self.report(true, None, None, None));
        }
        if let Some(trainer) = self.trainer.as_mut() {
            return match trainer.step().await? {
                Step::Trained => Ok(self.report(false, None, None, None)),
                Step::Finished(evaluation) => {
                    self.trainer = None;
                    Ok(self.conclude(*evaluation))
                }
            };
        }
        match self.strategy.propose() {
            Proposal::Done => {
                self.finished = true;
                Ok(self.report(true, None, None, None))
            }
            Proposal::Stop(message) => {
                self.finished = true;
                Ok(self.report(true, None, None, Some(message)))
            }
            Proposal::Evaluate(arch) if !self.history.is_empty() => match self.replay(&arch) {
                Ok(saved) => Ok(self.conclude(saved)),
                Err(message) => {
                    self.finished = true;
                    Ok(self.report(true, None, None, Some(message)))
                }
            },
            Proposal::Evaluate(arch) if self.lost.is_some() => {
                let reason = self.lost.take().expect("checked by the guard");
                let lost = self.lost_evaluation(arch, reason);
                // Not cached: the failure belongs to the lost device, not to
                // the architecture, which trains if it is proposed again.
                Ok(self.conclude_uncached(lost))
            }
            Proposal::Evaluate(arch) => match self.cache.get(&arch) {
                Some(hit) => {
                    let mut evaluation = hit.clone();
                    evaluation.cached = true;
                    evaluation.restored = false;
                    Ok(self.conclude(evaluation))
                }
                None => {
                    self.start(arch);
                    Ok(self.report(false, None, None, None))
                }
            },
        }
    }

    /// The next saved evaluation, which must be of `arch`, the proposal; a
    /// message saying why the search cannot resume otherwise.
    fn replay(&mut self, arch: &Architecture) -> std::result::Result<Evaluation, String> {
        let mut saved = self.history.pop_front().expect("called with history left");
        if &saved.arch != arch {
            return Err(format!(
                "candidate {} of the saved run is {}, but its settings now propose {arch}; \
                 it was saved by another version of nasplay or with other settings, \
                 so it cannot be resumed: run the search afresh",
                self.evaluations.len() + 1,
                saved.arch
            ));
        }
        saved.restored = true;
        // A function of the settings and the architecture; the page's
        // JavaScript numbers round seeds above 2^53, so it is derived again.
        saved.seed = candidate_seed(self.config.seed, arch);
        Ok(saved)
    }

    /// The record of a candidate whose GPU device was lost while it trained:
    /// failed, sized from its architecture, nothing measured.
    fn lost_evaluation(&self, arch: Architecture, reason: String) -> Evaluation {
        let cost = network_cost(&arch, &self.shape());
        Evaluation {
            index: 0,
            seed: candidate_seed(self.config.seed, &arch),
            arch,
            status: Status::Failed,
            reason: Some(reason),
            accuracy: f64::NAN,
            final_loss: f64::NAN,
            params: cost.params,
            flops: cost.flops,
            train_ms: f64::NAN,
            latency_ms: f64::NAN,
            // Only a GPU device can be lost.
            backend: BackendKind::WebGpu.name().to_string(),
            cached: false,
            restored: false,
            generation: None,
            zero_cost: None,
            guess: None,
        }
    }

    fn start(&mut self, arch: Architecture) {
        let seed = candidate_seed(self.config.seed, &arch);
        log::info!("training {arch} (seed {seed})");
        let split = self.split.clone();
        self.trainer = Some(Trainer::new(
            arch,
            split,
            self.config.width,
            self.config.budget(),
            seed,
            &self.compute,
        ));
    }

    fn conclude(&mut self, evaluation: Evaluation) -> StepReport {
        if !evaluation.cached {
            self.cache
                .insert(evaluation.arch.clone(), evaluation.clone());
        }
        self.conclude_uncached(evaluation)
    }

    /// Files `evaluation` as the next one and tells the strategy, leaving
    /// the cache as it is.
    fn conclude_uncached(&mut self, mut evaluation: Evaluation) -> StepReport {
        evaluation.index = self.evaluations.len() + 1;
        evaluation.generation = self.strategy.generation();
        // Derived again for saved runs too, like the seed: the strategy
        // replays to the same guess, which JSON may have rounded.
        evaluation.guess = self.strategy.guess_for(&evaluation.arch);
        let stats = self.strategy.record(&evaluation);
        self.evaluations.push(evaluation.clone());
        self.report(false, Some(evaluation), stats, None)
    }

    fn report(
        &self,
        done: bool,
        evaluation: Option<Evaluation>,
        generation: Option<GenerationStats>,
        error: Option<String>,
    ) -> StepReport {
        let planned = self.config.planned_evaluations().max(1);
        let partial = self.trainer.as_ref().map_or(0.0, Trainer::progress);
        let fraction = match done {
            true => 1.0,
            false => ((self.evaluations.len() as f64 + partial) / planned as f64).min(1.0),
        };
        StepReport {
            done,
            fraction,
            status: self.status_line(done, &error),
            evaluation,
            generation,
            error,
        }
    }

    fn status_line(&self, done: bool, error: &Option<String>) -> String {
        let planned = self.config.planned_evaluations();
        if let Some(message) = error {
            return format!(
                "stopped after {} of {planned} candidates: {message}",
                self.evaluations.len()
            );
        }
        if done {
            return format!(
                "done: {} candidates evaluated on {}",
                self.evaluations.len(),
                self.compute.kind.name()
            );
        }
        match &self.trainer {
            Some(trainer) => format!(
                "candidate {} of {planned} · {} · epoch {}/{} · {}",
                self.evaluations.len() + 1,
                trainer.arch(),
                trainer.current_epoch(),
                self.config.epochs,
                self.compute.kind.name()
            ),
            None => format!(
                "{} of {planned} candidates evaluated",
                self.evaluations.len()
            ),
        }
    }
}

fn make_strategy(config: &SearchConfig, shape: NetShape) -> Box<dyn Strategy> {
    let settings = EvolutionSettings {
        population: config.population,
        generations: config.generations,
        depth: config.depth,
        ops: config.ops.clone(),
        mutation_prob: config.mutation_prob,
        tournament: config.tournament,
        selection: config.selection,
        latency_target_ms: config.latency_target_ms,
        seed: config.seed,
    };
    match config.strategy {
        StrategyKind::Random => Box::new(RandomSearch::new(
            config.candidates,
            config.depth,
            config.ops.clone(),
            config.seed,
        )),
        StrategyKind::Evolution => Box::new(Evolution::new(settings)),
        StrategyKind::Regularized => Box::new(RegularizedEvolution::new(settings)),
        StrategyKind::Predictor => Box::new(PredictorSearch::new(
            PredictorSettings {
                candidates: config.candidates,
                initial: config.initial_candidates,
                picks_per_round: config.picks_per_round,
                pool_size: config.pool_size,
                kappa: config.kappa,
                depth: config.depth,
                ops: config.ops.clone(),
                mutation_prob: config.mutation_prob,
                seed: config.seed,
            },
            shape,
        )),
    }
}

/// The weight-init seed of a candidate: a function of the search seed and the
/// architecture only, so an architecture trains identically whichever
/// strategy proposes it and in whichever order.
pub fn candidate_seed(seed: u64, arch: &Architecture) -> u64 {
    // FNV-1a over the text form, mixed with the seed by SplitMix64's finaliser.
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for byte in arch.to_string().bytes() {
        hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = hash ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_seed_depends_on_seed_and_architecture_only() {
        let a: Architecture = "conv3x3,identity".parse().unwrap();
        let b: Architecture = "identity,conv3x3".parse().unwrap();
        assert_eq!(candidate_seed(1, &a), candidate_seed(1, &a));
        assert_ne!(candidate_seed(1, &a), candidate_seed(2, &a));
        assert_ne!(candidate_seed(1, &a), candidate_seed(1, &b));
    }
}
