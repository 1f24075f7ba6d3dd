//! Regularized (aging) evolution: a queue of `population` members; each cycle
//! a tournament picks a parent, its mutated child joins, the oldest leaves.
//! Age, not fitness, decides who dies, which keeps the search exploring.

use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::evolution::{EvolutionSettings, select_parents};
use super::strategy::{GenerationStats, Proposal, Strategy, all_failed_message, summarize};
use crate::space::{Architecture, Op};
use crate::train::Evaluation;

pub struct RegularizedEvolution {
    settings: EvolutionSettings,
    rng: StdRng,
    alive: VecDeque<Evaluation>,
    proposed: usize,
    recorded: usize,
    stopped: Option<String>,
}

impl RegularizedEvolution {
    pub fn new(settings: EvolutionSettings) -> Self {
        let rng = StdRng::seed_from_u64(settings.seed);
        Self {
            settings,
            rng,
            alive: VecDeque::new(),
            proposed: 0,
            recorded: 0,
            stopped: None,
        }
    }

    fn total(&self) -> usize {
        self.settings.population * self.settings.generations
    }

    /// A mutated copy of a tournament winner that differs in at least one
    /// position when the op set allows it.
    fn child(&mut self) -> Architecture {
        let members: Vec<Evaluation> = self.alive.iter().cloned().collect();
        let parent = select_parents(
            &members,
            1,
            self.settings.tournament,
            (self.settings.selection, self.settings.latency_target_ms),
            &mut self.rng,
        )
        .pop()
        .unwrap_or_else(|| {
            Architecture::random(self.settings.depth, &self.settings.ops, &mut self.rng)
        });
        let child = parent.mutate(
            self.settings.mutation_prob,
            &self.settings.ops,
            &mut self.rng,
        );
        match child != parent || self.settings.ops.len() < 2 {
            true => child,
            false => change_one(&parent, &self.settings.ops, &mut self.rng),
        }
    }
}

/// `parent` with one position set to another op.
///
/// # Panics
/// If `ops` has fewer than two ops: callers check first.
pub(super) fn change_one(parent: &Architecture, ops: &[Op], rng: &mut impl Rng) -> Architecture {
    use rand::RngExt;
    use rand::seq::IndexedRandom;
    let position = rng.random_range(0..parent.len());
    let current = parent.ops()[position];
    let others: Vec<Op> = ops.iter().copied().filter(|&op| op != current).collect();
    let mut new_ops = parent.ops().to_vec();
    new_ops[position] = *others.choose(rng).expect("at least two ops");
    Architecture::new(new_ops).expect("same length as the parent")
}

impl Strategy for RegularizedEvolution {
    fn propose(&mut self) -> Proposal {
        if let Some(message) = &self.stopped {
            return Proposal::Stop(message.clone());
        }
        if self.proposed >= self.total() {
            return Proposal::Done;
        }
        self.proposed += 1;
        let arch = match self.proposed <= self.settings.population {
            true => Architecture::random(self.settings.depth, &self.settings.ops, &mut self.rng),
            false => self.child(),
        };
        Proposal::Evaluate(arch)
    }

    fn record(&mut self, evaluation: &Evaluation) -> Option<GenerationStats> {
        self.alive.push_back(evaluation.clone());
        if self.alive.len() > self.settings.population {
            self.alive.pop_front();
        }
        self.recorded += 1;
        if !self.recorded.is_multiple_of(self.settings.population) {
            return None;
        }
        let members: Vec<Evaluation> = self.alive.iter().cloned().collect();
        let generation = self.recorded / self.settings.population;
        let stats = summarize(generation, &members, 0);
        if stats.failed == members.len() {
            self.stopped = Some(all_failed_message(generation, &members));
        }
        Some(stats)
    }

    fn generation(&self) -> Option<usize> {
        Some(self.recorded / self.settings.population + 1)
    }
}
