//! What every search strategy does: propose architectures and learn from their
//! evaluations. Training happens elsewhere (`run`), so strategies stay pure and fast.

use serde::Serialize;

use crate::space::Architecture;
use crate::train::{Evaluation, RoundGuess};

/// A strategy's answer to "what next?".
#[derive(Debug, Clone, PartialEq)]
pub enum Proposal {
    /// Evaluate this architecture next.
    Evaluate(Architecture),
    /// The budget is spent.
    Done,
    /// The search cannot go on; the message says why and what to do.
    Stop(String),
}

/// Statistics of one generation (or, for aging evolution, of the population
/// after each `population` evaluations).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenerationStats {
    /// 1-based.
    pub generation: usize,
    /// Best and mean validation accuracy of the successful members.
    pub best: f64,
    pub mean: f64,
    /// Unique architectures divided by members.
    pub diversity: f64,
    /// Members that failed (not in best or mean).
    pub failed: usize,
    /// Crossovers that could not cut their parents and copied one instead.
    pub crossover_skips: usize,
}

pub trait Strategy {
    fn propose(&mut self) -> Proposal;

    /// Takes the evaluation of the last proposal; returns statistics when it
    /// closed a generation.
    fn record(&mut self, evaluation: &Evaluation) -> Option<GenerationStats>;

    /// The generation the next proposal belongs to (1-based), if generational.
    fn generation(&self) -> Option<usize>;

    /// What a predictor guessed of `arch`, the latest proposal, before it was
    /// evaluated; strategies that do not guess have nothing to say.
    fn guess_for(&self, _arch: &Architecture) -> Option<RoundGuess> {
        None
    }
}

/// Best, mean and diversity of a group of evaluations; NaN when none succeeded.
pub fn summarize(
    generation: usize,
    members: &[Evaluation],
    crossover_skips: usize,
) -> GenerationStats {
    let ok: Vec<f64> = members
        .iter()
        .filter(|e| e.is_ok())
        .map(|e| e.accuracy)
        .collect();
    let mut unique: Vec<&Architecture> = members.iter().map(|e| &e.arch).collect();
    unique.sort();
    unique.dedup();
    GenerationStats {
        generation,
        best: ok.iter().copied().fold(f64::NAN, f64::max),
        mean: match ok.len() {
            0 => f64::NAN,
            n => ok.iter().sum::<f64>() / n as f64,
        },
        diversity: unique.len() as f64 / members.len().max(1) as f64,
        failed: members.len() - ok.len(),
        crossover_skips,
    }
}

/// The message when every member of a generation failed.
pub fn all_failed_message(generation: usize, members: &[Evaluation]) -> String {
    let reason = members
        .iter()
        .find_map(|e| e.reason.clone())
        .unwrap_or_else(|| "no reason recorded".into());
    format!(
        "every candidate of generation {generation} failed (first reason: {reason}); \
         the search stopped. Lower the learning rate or enable more ops, then run again."
    )
}
