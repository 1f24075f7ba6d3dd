//! Random search: independent uniform samples from the space.

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::strategy::{GenerationStats, Proposal, Strategy};
use crate::space::{Architecture, Op};
use crate::train::Evaluation;

pub struct RandomSearch {
    rng: StdRng,
    depth: usize,
    ops: Vec<Op>,
    remaining: usize,
}

impl RandomSearch {
    pub fn new(candidates: usize, depth: usize, ops: Vec<Op>, seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            depth,
            ops,
            remaining: candidates,
        }
    }
}

impl Strategy for RandomSearch {
    fn propose(&mut self) -> Proposal {
        if self.remaining == 0 {
            return Proposal::Done;
        }
        self.remaining -= 1;
        Proposal::Evaluate(Architecture::random(self.depth, &self.ops, &mut self.rng))
    }

    fn record(&mut self, _evaluation: &Evaluation) -> Option<GenerationStats> {
        None
    }

    fn generation(&self) -> Option<usize> {
        None
    }
}
