//! A "strategy" that evaluates a given list of architectures in order: used
//! to train one architecture (`nasplay train`) through the same step machine.

use std::collections::VecDeque;

use super::strategy::{GenerationStats, Proposal, Strategy};
use crate::space::Architecture;
use crate::train::Evaluation;

pub struct FixedList {
    queue: VecDeque<Architecture>,
}

impl FixedList {
    pub fn new(archs: Vec<Architecture>) -> Self {
        Self {
            queue: archs.into(),
        }
    }
}

impl Strategy for FixedList {
    fn propose(&mut self) -> Proposal {
        match self.queue.pop_front() {
            Some(arch) => Proposal::Evaluate(arch),
            None => Proposal::Done,
        }
    }

    fn record(&mut self, _evaluation: &Evaluation) -> Option<GenerationStats> {
        None
    }

    fn generation(&self) -> Option<usize> {
        None
    }
}
