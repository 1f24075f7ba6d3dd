//! Unseen candidates for a predictor to guess: mutations of the best trained
//! so far, which exploit what worked, alternating with uniform samples, which
//! keep the guesses honest about the rest of the space.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::regularized::change_one;
use crate::space::{Architecture, Op};

/// Draws per wanted candidate before giving up: a nearly exhausted space
/// yields few unseen architectures, and the search must not spin on it.
const TRIES_PER_CANDIDATE: usize = 20;

/// What a pool is drawn from.
pub(super) struct PoolSpace<'a> {
    pub depth: usize,
    pub ops: &'a [Op],
    pub mutation_prob: f64,
}

impl PoolSpace<'_> {
    /// Up to `size` distinct architectures outside `seen`, in the order drawn;
    /// fewer (maybe none) when the space has few unseen ones left. With no
    /// `parents` every draw is uniform.
    pub fn draw(
        &self,
        size: usize,
        parents: &[Architecture],
        seen: &HashSet<Architecture>,
        rng: &mut impl Rng,
    ) -> Vec<Architecture> {
        let mut pool = Vec::with_capacity(size);
        let mut taken = HashSet::new();
        for attempt in 0..size * TRIES_PER_CANDIDATE {
            if pool.len() == size {
                break;
            }
            let candidate = match parents.choose(rng) {
                Some(parent) if attempt % 2 == 0 => self.mutant(parent, rng),
                _ => Architecture::random(self.depth, self.ops, rng),
            };
            if !seen.contains(&candidate) && taken.insert(candidate.clone()) {
                pool.push(candidate);
            }
        }
        pool
    }

    /// A mutation of `parent` that differs from it when the ops allow.
    fn mutant(&self, parent: &Architecture, rng: &mut impl Rng) -> Architecture {
        let child = parent.mutate(self.mutation_prob, self.ops, rng);
        match child != *parent || self.ops.len() < 2 {
            true => child,
            false => change_one(parent, self.ops, rng),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn a_pool_holds_distinct_unseen_architectures_of_the_space() {
        let ops = [Op::Conv3x3, Op::Identity, Op::MaxPool3x3];
        let space = PoolSpace {
            depth: 3,
            ops: &ops,
            mutation_prob: 0.2,
        };
        let parent: Architecture = "conv3x3,conv3x3,conv3x3".parse().unwrap();
        let seen = HashSet::from([parent.clone()]);
        let mut rng = StdRng::seed_from_u64(4);

        let pool = space.draw(10, &[parent], &seen, &mut rng);

        let distinct: HashSet<_> = pool.iter().collect();
        assert_eq!((pool.len(), distinct.len()), (10, 10));
        assert!(pool.iter().all(|a| !seen.contains(a) && a.len() == 3));
    }

    #[test]
    fn an_exhausted_space_gives_what_is_left() {
        let ops = [Op::Conv3x3, Op::Identity];
        let space = PoolSpace {
            depth: 1,
            ops: &ops,
            mutation_prob: 0.5,
        };
        let seen = HashSet::from(["identity".parse().unwrap()]);
        let mut rng = StdRng::seed_from_u64(4);

        let pool = space.draw(5, &[], &seen, &mut rng);

        assert_eq!(pool, vec!["conv3x3".parse::<Architecture>().unwrap()]);
    }
}
