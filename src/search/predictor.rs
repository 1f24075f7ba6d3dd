//! Predictor-based search: train a few random candidates, then in rounds fit
//! an ensemble of MLPs on every candidate trained so far, guess the accuracy
//! of a pool of unseen ones, and train only those with the highest upper
//! confidence bound (mean guess plus `kappa` spreads).
//!
//! Everything is drawn from the seed and the ensemble fits deterministically,
//! so replaying a saved run's evaluations rebuilds the same predictor and the
//! same proposals: a resumed search goes on as the interrupted one would have.

use std::collections::{HashSet, VecDeque};

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::pool::PoolSpace;
use super::strategy::{GenerationStats, Proposal, Strategy};
use crate::predictor::{ChainEncoding, Ensemble, EnsembleSettings, Guess, upper_confidence};
use crate::space::{Architecture, NetShape, Op};
use crate::train::{Evaluation, RoundGuess};

/// Trained candidates whose mutations fill half of each round's pool.
const PARENTS: usize = 3;

/// Settings of a predictor-based search over the chain space.
#[derive(Debug, Clone)]
pub struct PredictorSettings {
    /// Candidates to train in all, the initial random ones included.
    pub candidates: usize,
    pub initial: usize,
    pub picks_per_round: usize,
    pub pool_size: usize,
    pub kappa: f64,
    pub depth: usize,
    pub ops: Vec<Op>,
    pub mutation_prob: f64,
    pub seed: u64,
}

pub struct PredictorSearch {
    settings: PredictorSettings,
    encoding: ChainEncoding,
    ensemble: Ensemble,
    rng: StdRng,
    /// Every architecture proposed, so that none is trained twice.
    seen: HashSet<Architecture>,
    /// The successful candidates: their features, accuracies and architectures.
    features: Vec<Vec<f32>>,
    accuracies: Vec<f64>,
    trained: Vec<Architecture>,
    first_failure: Option<String>,
    /// This round's picks still to propose, best first.
    queue: VecDeque<(Architecture, RoundGuess)>,
    /// The guess behind the latest proposal, if a guess chose it.
    current: Option<(Architecture, RoundGuess)>,
    proposed: usize,
    round: usize,
    stopped: Option<String>,
}

impl PredictorSearch {
    /// A search over architectures of `settings.depth` ops from
    /// `settings.ops`, encoded for networks of `shape`.
    ///
    /// # Panics
    /// If `settings.depth` is 0 or `settings.ops` is empty: search settings
    /// are validated first.
    pub fn new(settings: PredictorSettings, shape: NetShape) -> Self {
        let encoding = ChainEncoding::new(settings.depth, &settings.ops, shape);
        let ensemble_settings = EnsembleSettings {
            seed: settings.seed,
            ..EnsembleSettings::default()
        };
        let ensemble = Ensemble::new(encoding.len(), ensemble_settings).unwrap_or_else(|e| {
            panic!("the default ensemble settings are valid for {encoding:?}: {e}")
        });
        Self {
            rng: StdRng::seed_from_u64(settings.seed),
            settings,
            encoding,
            ensemble,
            seen: HashSet::new(),
            features: Vec::new(),
            accuracies: Vec::new(),
            trained: Vec::new(),
            first_failure: None,
            queue: VecDeque::new(),
            current: None,
            proposed: 0,
            round: 0,
            stopped: None,
        }
    }

    /// The next initial candidate: a uniform sample not proposed before.
    fn initial(&mut self) -> Option<Architecture> {
        self.draw(1, &[]).pop()
    }

    /// Fits the ensemble on every success so far and queues the round's
    /// picks; a message when the search cannot go on.
    fn plan_round(&mut self) -> Result<(), String> {
        if self.features.is_empty() {
            return Err(self.nothing_to_learn_message());
        }
        self.ensemble
            .fit(&self.features, &self.accuracies)
            .map_err(|e| format!("the predictor could not learn: {e}"))?;
        let parents = self.best_trained();
        let pool = self.draw(self.settings.pool_size, &parents);
        let encoded: Vec<Vec<f32>> = pool.iter().map(|a| self.encoding.encode(a)).collect();
        let guesses = self.ensemble.guess(&encoded);

        self.round += 1;
        let ranked = self.rank(pool, guesses);
        if ranked.is_empty() && !encoded.is_empty() {
            return Err(format!(
                "the predictor's guesses for round {} are not finite, so its fit went wrong; \
                 run again with more initial candidates (now {}) or another seed",
                self.round, self.settings.initial
            ));
        }
        let picks = self
            .settings
            .picks_per_round
            .min(self.settings.candidates - self.proposed);
        self.queue = ranked.into_iter().take(picks).collect();
        Ok(())
    }

    /// The pool with this round's guesses, best upper confidence bound first;
    /// equal scores keep the order they were drawn in, non-finite ones are
    /// left out.
    fn rank(
        &self,
        pool: Vec<Architecture>,
        guesses: Vec<Guess>,
    ) -> Vec<(Architecture, RoundGuess)> {
        let mut scored: Vec<(f64, Architecture, RoundGuess)> = pool
            .into_iter()
            .zip(guesses)
            .map(|(arch, guess)| {
                let round_guess = RoundGuess {
                    round: self.round,
                    mean: guess.mean,
                    spread: guess.spread,
                };
                (
                    upper_confidence(guess, self.settings.kappa),
                    arch,
                    round_guess,
                )
            })
            .filter(|(score, _, _)| score.is_finite())
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .map(|(_, arch, guess)| (arch, guess))
            .collect()
    }

    /// The most accurate successful candidates, the earlier first on ties.
    fn best_trained(&self) -> Vec<Architecture> {
        let mut order: Vec<usize> = (0..self.trained.len()).collect();
        order.sort_by(|&a, &b| self.accuracies[b].total_cmp(&self.accuracies[a]));
        order
            .into_iter()
            .take(PARENTS)
            .map(|i| self.trained[i].clone())
            .collect()
    }

    /// Up to `size` unseen architectures, half of them mutations of `parents`.
    fn draw(&mut self, size: usize, parents: &[Architecture]) -> Vec<Architecture> {
        let space = PoolSpace {
            depth: self.settings.depth,
            ops: &self.settings.ops,
            mutation_prob: self.settings.mutation_prob,
        };
        space.draw(size, parents, &self.seen, &mut self.rng)
    }

    fn nothing_to_learn_message(&self) -> String {
        let reason = self
            .first_failure
            .as_deref()
            .unwrap_or("no reason recorded");
        format!(
            "every one of the {} candidates trained so far failed (first reason: {reason}), \
             so the predictor has nothing to learn from; the search stopped. Lower the \
             learning rate or enable more ops, then run again.",
            self.proposed
        )
    }

    fn next_proposal(&mut self) -> Result<Option<(Architecture, Option<RoundGuess>)>, String> {
        if self.proposed < self.settings.initial {
            return Ok(self.initial().map(|arch| (arch, None)));
        }
        if self.queue.is_empty() {
            self.plan_round()?;
        }
        Ok(self
            .queue
            .pop_front()
            .map(|(arch, guess)| (arch, Some(guess))))
    }
}

impl Strategy for PredictorSearch {
    fn propose(&mut self) -> Proposal {
        if let Some(message) = &self.stopped {
            return Proposal::Stop(message.clone());
        }
        if self.proposed >= self.settings.candidates {
            return Proposal::Done;
        }
        match self.next_proposal() {
            Ok(Some((arch, guess))) => {
                self.proposed += 1;
                self.seen.insert(arch.clone());
                self.current = guess.map(|g| (arch.clone(), g));
                Proposal::Evaluate(arch)
            }
            Ok(None) => {
                log::info!(
                    "every architecture of the space has been proposed; \
                     the search ends after {} candidates",
                    self.proposed
                );
                Proposal::Done
            }
            Err(message) => {
                self.stopped = Some(message.clone());
                Proposal::Stop(message)
            }
        }
    }

    fn record(&mut self, evaluation: &Evaluation) -> Option<GenerationStats> {
        self.seen.insert(evaluation.arch.clone());
        match evaluation.is_ok() {
            true => {
                self.features.push(self.encoding.encode(&evaluation.arch));
                self.accuracies.push(evaluation.accuracy);
                self.trained.push(evaluation.arch.clone());
            }
            false if self.first_failure.is_none() => {
                self.first_failure = evaluation.reason.clone();
            }
            false => {}
        }
        None
    }

    fn generation(&self) -> Option<usize> {
        None
    }

    fn guess_for(&self, arch: &Architecture) -> Option<RoundGuess> {
        self.current
            .as_ref()
            .filter(|(proposed, _)| proposed == arch)
            .map(|(_, guess)| *guess)
    }
}
