//! A hand-made candidate for the tests of this module: accuracy and latency
//! only, with an optional failure.

use super::objective::{Objective, Scored};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub accuracy: f64,
    pub latency_ms: f64,
    pub failed: bool,
}

/// A successful candidate.
pub(crate) fn point(accuracy: f64, latency_ms: f64) -> Candidate {
    Candidate {
        accuracy,
        latency_ms,
        failed: false,
    }
}

impl Scored for Candidate {
    fn value(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Accuracy => self.accuracy,
            Objective::LatencyMs => self.latency_ms,
            Objective::Params | Objective::Flops => f64::NAN,
        }
    }

    fn succeeded(&self) -> bool {
        !self.failed
    }
}

pub(crate) const ACCURACY_LATENCY: [Objective; 2] = [Objective::Accuracy, Objective::LatencyMs];

/// Every ordering of `items`, by Heap's algorithm.
pub(crate) fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    fn heap<T: Clone>(k: usize, items: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
        if k <= 1 {
            out.push(items.clone());
            return;
        }
        heap(k - 1, items, out);
        for i in 0..k - 1 {
            let j = if k.is_multiple_of(2) { i } else { 0 };
            items.swap(j, k - 1);
            heap(k - 1, items, out);
        }
    }
    let mut out = Vec::new();
    heap(items.len(), &mut items.to_vec(), &mut out);
    out
}
