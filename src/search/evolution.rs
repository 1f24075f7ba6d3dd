//! The tutorial's generational evolution: evaluate a population, pick half of
//! it as parents by tournament, breed a new population by crossover or
//! mutation (50/50), repeat.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, RngExt, SeedableRng};

use super::selection::Selection;
use super::strategy::{GenerationStats, Proposal, Strategy, all_failed_message, summarize};
use crate::space::{Architecture, Op};
use crate::train::Evaluation;

/// Settings shared by both evolutionary strategies.
#[derive(Debug, Clone)]
pub struct EvolutionSettings {
    pub population: usize,
    pub generations: usize,
    pub depth: usize,
    pub ops: Vec<Op>,
    pub mutation_prob: f64,
    pub tournament: usize,
    /// How a tournament picks its winner.
    pub selection: Selection,
    /// The latency target of [`Selection::Reward`], in ms.
    pub latency_target_ms: f64,
    pub seed: u64,
}

pub struct Evolution {
    settings: EvolutionSettings,
    rng: StdRng,
    /// Members of the generation being evaluated.
    population: Vec<Architecture>,
    results: Vec<Evaluation>,
    next: usize,
    generation: usize,
    crossover_skips: usize,
    stopped: Option<String>,
}

impl Evolution {
    pub fn new(settings: EvolutionSettings) -> Self {
        let mut rng = StdRng::seed_from_u64(settings.seed);
        let population = (0..settings.population)
            .map(|_| Architecture::random(settings.depth, &settings.ops, &mut rng))
            .collect();
        Self {
            settings,
            rng,
            population,
            results: Vec::new(),
            next: 0,
            generation: 1,
            crossover_skips: 0,
            stopped: None,
        }
    }

    /// The next population from the evaluated one.
    fn breed(&mut self) -> Vec<Architecture> {
        let parents = select_parents(
            &self.results,
            self.settings.population / 2,
            self.settings.tournament,
            (self.settings.selection, self.settings.latency_target_ms),
            &mut self.rng,
        );
        let mut offspring = Vec::with_capacity(self.settings.population);
        while offspring.len() < self.settings.population {
            let child = match parents.len() >= 2 && self.rng.random_bool(0.5) {
                true => {
                    let pair: Vec<&Architecture> = parents.sample(&mut self.rng, 2).collect();
                    let cross = pair[0].crossover(pair[1], &mut self.rng);
                    self.crossover_skips += usize::from(cross.point.is_none());
                    cross.child
                }
                false => {
                    let parent = parents.choose(&mut self.rng).expect("at least one parent");
                    parent.mutate(
                        self.settings.mutation_prob,
                        &self.settings.ops,
                        &mut self.rng,
                    )
                }
            };
            offspring.push(child);
        }
        offspring
    }
}

impl Strategy for Evolution {
    fn propose(&mut self) -> Proposal {
        if let Some(message) = &self.stopped {
            return Proposal::Stop(message.clone());
        }
        if self.generation > self.settings.generations {
            return Proposal::Done;
        }
        let arch = self.population[self.next].clone();
        self.next += 1;
        Proposal::Evaluate(arch)
    }

    fn record(&mut self, evaluation: &Evaluation) -> Option<GenerationStats> {
        self.results.push(evaluation.clone());
        if self.results.len() < self.population.len() {
            return None;
        }
        let stats = summarize(
            self.generation,
            &self.results,
            std::mem::take(&mut self.crossover_skips),
        );
        if stats.failed == self.results.len() {
            self.stopped = Some(all_failed_message(self.generation, &self.results));
            return Some(stats);
        }
        self.generation += 1;
        if self.generation <= self.settings.generations {
            self.population = self.breed();
        }
        self.results.clear();
        self.next = 0;
        Some(stats)
    }

    fn generation(&self) -> Option<usize> {
        Some(self.generation.min(self.settings.generations))
    }
}

/// `count` parents, each the winner by `selection` of a tournament drawn
/// without replacement from the successful results (size clamped to how many
/// there are). With [`Selection::Pareto`] the ranks are those among all the
/// successful results, not just the entrants. At least one parent is returned
/// when any result succeeded.
pub fn select_parents(
    results: &[Evaluation],
    count: usize,
    tournament: usize,
    (selection, latency_target_ms): (Selection, f64),
    rng: &mut impl Rng,
) -> Vec<Architecture> {
    let ok: Vec<&Evaluation> = results.iter().filter(|e| e.is_ok()).collect();
    if ok.is_empty() {
        return Vec::new();
    }
    let size = tournament.clamp(1, ok.len());
    let judge = selection.judge(&ok, latency_target_ms);
    let positions: Vec<usize> = (0..ok.len()).collect();
    (0..count.max(1))
        .map(|_| {
            let winner = positions
                .sample(rng, size)
                .copied()
                .max_by(|&a, &b| judge(a, b))
                .expect("tournament has entrants");
            ok[winner].arch.clone()
        })
        .collect()
}
