//! An architecture of the chain space: the ordered list of ops between the stem
//! and the classifier head, with its text form, mutation and crossover.

use rand::seq::IndexedRandom;
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::op::Op;
use crate::error::{Error, Result};

/// Ops in order, as in the tutorial's `Architecture(layers)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Architecture {
    ops: Vec<Op>,
}

/// What a one-point crossover produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crossover {
    pub child: Architecture,
    /// Where the child switches from the first parent to the second; `None`
    /// when the parents could not be cut (a parent of one op, or parents of
    /// different lengths) and the child is a copy of the first parent.
    pub point: Option<usize>,
}

impl Architecture {
    /// An architecture from its ops; an empty list is an error.
    pub fn new(ops: Vec<Op>) -> Result<Self> {
        if ops.is_empty() {
            return Err(Error::EmptyArchitecture);
        }
        Ok(Self { ops })
    }

    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Always false: an architecture has at least one op.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// `depth` ops drawn uniformly from `choices`.
    ///
    /// # Panics
    /// If `choices` is empty or `depth` is 0: callers validate settings first.
    pub fn random(depth: usize, choices: &[Op], rng: &mut impl Rng) -> Self {
        assert!(
            depth > 0 && !choices.is_empty(),
            "depth {depth}, choices {choices:?}"
        );
        let ops = (0..depth)
            .map(|_| *choices.choose(rng).expect("choices"))
            .collect();
        Self { ops }
    }

    /// Each position is redrawn from `choices` with probability `prob`, as the
    /// tutorial's `mutate` does (a redraw may pick the same op again).
    pub fn mutate(&self, prob: f64, choices: &[Op], rng: &mut impl Rng) -> Self {
        let prob = prob.clamp(0.0, 1.0);
        let ops = self
            .ops
            .iter()
            .map(|&op| match rng.random_bool(prob) {
                true => *choices.choose(rng).unwrap_or(&op),
                false => op,
            })
            .collect();
        Self { ops }
    }

    /// One-point crossover: the head of `self` up to a random point in
    /// `1..len`, then the tail of `other`.
    pub fn crossover(&self, other: &Architecture, rng: &mut impl Rng) -> Crossover {
        if self.len() < 2 || self.len() != other.len() {
            return Crossover {
                child: self.clone(),
                point: None,
            };
        }
        let point = rng.random_range(1..self.len());
        let ops = self.ops[..point]
            .iter()
            .chain(&other.ops[point..])
            .copied()
            .collect();
        Crossover {
            child: Self { ops },
            point: Some(point),
        }
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.ops.iter().map(|op| op.name()).collect();
        f.write_str(&names.join(","))
    }
}

impl FromStr for Architecture {
    type Err = Error;

    /// Parses `conv3x3,max_pool3x3,...`; spaces around items are allowed.
    /// Errors name the 1-based position of the bad item.
    fn from_str(text: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Err(Error::EmptyArchitecture);
        }
        let ops = text
            .split(',')
            .enumerate()
            .map(|(i, item)| Op::parse_item(item.trim(), i + 1))
            .collect::<Result<Vec<_>>>()?;
        Self::new(ops)
    }
}

impl TryFrom<String> for Architecture {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

impl From<Architecture> for String {
    fn from(arch: Architecture) -> String {
        arch.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn arch(text: &str) -> Architecture {
        text.parse().unwrap()
    }

    #[test]
    fn text_form_round_trips() {
        let text = "conv3x3,max_pool3x3,conv5x5,identity";
        assert_eq!(arch(text).to_string(), text);
        assert_eq!(arch(" conv3x3 , identity ").to_string(), "conv3x3,identity");
    }

    #[test]
    fn empty_item_is_named_by_position() {
        let err = "conv3x3,,identity".parse::<Architecture>().unwrap_err();
        assert!(matches!(err, Error::EmptyItem { position: 2 }), "{err}");
        let err = "conv3x3,".parse::<Architecture>().unwrap_err();
        assert!(matches!(err, Error::EmptyItem { position: 2 }), "{err}");
    }

    #[test]
    fn unknown_op_is_named_with_its_position() {
        let err = "identity,conv7x7"
            .parse::<Architecture>()
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"conv7x7\" at item 2"), "{err}");
    }

    #[test]
    fn empty_text_is_an_error() {
        assert!(matches!(
            "  ".parse::<Architecture>(),
            Err(Error::EmptyArchitecture)
        ));
    }

    #[test]
    fn mutation_with_probability_zero_changes_nothing_and_one_uses_choices() {
        let mut rng = StdRng::seed_from_u64(3);
        let parent = arch("conv3x3,conv5x5,identity");
        assert_eq!(parent.mutate(0.0, &Op::ALL, &mut rng), parent);
        let child = parent.mutate(1.0, &[Op::AvgPool3x3], &mut rng);
        assert_eq!(child.to_string(), "avg_pool3x3,avg_pool3x3,avg_pool3x3");
    }

    #[test]
    fn mutation_is_reproducible_from_the_seed() {
        let parent = arch("conv3x3,conv5x5,identity,max_pool3x3");
        let a = parent.mutate(0.5, &Op::ALL, &mut StdRng::seed_from_u64(9));
        let b = parent.mutate(0.5, &Op::ALL, &mut StdRng::seed_from_u64(9));
        assert_eq!(a, b);
    }

    #[test]
    fn crossover_takes_head_of_first_and_tail_of_second() {
        let a = arch("conv3x3,conv3x3,conv3x3,conv3x3");
        let b = arch("identity,identity,identity,identity");
        for seed in 0..20 {
            let cross = a.crossover(&b, &mut StdRng::seed_from_u64(seed));
            let point = cross.point.unwrap();
            assert!((1..4).contains(&point));
            assert!(
                cross.child.ops()[..point]
                    .iter()
                    .all(|&op| op == Op::Conv3x3)
            );
            assert!(
                cross.child.ops()[point..]
                    .iter()
                    .all(|&op| op == Op::Identity)
            );
        }
    }

    #[test]
    fn crossover_of_single_layer_parents_copies_the_first() {
        let cross = arch("conv3x3").crossover(&arch("identity"), &mut StdRng::seed_from_u64(1));
        assert_eq!((cross.child, cross.point), (arch("conv3x3"), None));
    }

    #[test]
    fn crossover_of_parents_of_different_lengths_copies_the_first() {
        let a = arch("conv3x3,identity");
        let cross = a.crossover(
            &arch("identity,conv5x5,conv5x5"),
            &mut StdRng::seed_from_u64(1),
        );
        assert_eq!((cross.child, cross.point), (a, None));
    }

    #[test]
    fn serde_uses_the_text_form() {
        let json = serde_json::to_string(&arch("conv3x3,identity")).unwrap();
        assert_eq!(json, "\"conv3x3,identity\"");
        assert!(serde_json::from_str::<Architecture>("\"conv3x3,,x\"").is_err());
    }
}
