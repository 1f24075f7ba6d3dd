//! Random cells, mutation and crossover for the NAS-Bench-201 space, all
//! driven by a seeded generator so a search can be replayed.

use rand::seq::IndexedRandom;
use rand::{Rng, RngExt};

use super::cell::{Cell, EDGE_COUNT};
use super::op::EdgeOp;

/// What a mutation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mutation {
    pub child: Cell,
    /// The edge that changed (0-based, in the order of `EDGES`).
    pub edge: usize,
    pub from: EdgeOp,
    pub to: EdgeOp,
}

/// What a one-point crossover produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellCrossover {
    pub child: Cell,
    /// Edges before `point` come from the first parent, the rest from the
    /// second; in `1..EDGE_COUNT`, so both parents always contribute.
    pub point: usize,
}

impl Cell {
    /// A cell with every edge's op drawn uniformly: every cell equally likely.
    pub fn random(rng: &mut impl Rng) -> Self {
        let edges = std::array::from_fn(|_| *EdgeOp::ALL.choose(rng).expect("five ops"));
        Self::new(edges)
    }

    /// One edge, chosen uniformly, gets one of the four other ops, chosen
    /// uniformly: the child always differs from the parent in exactly one edge
    /// (the mutation of regularized evolution on NAS-Bench-201).
    pub fn mutate(&self, rng: &mut impl Rng) -> Mutation {
        let edge = rng.random_range(0..EDGE_COUNT);
        let from = self.edges()[edge];
        let others: Vec<EdgeOp> = EdgeOp::ALL.into_iter().filter(|&op| op != from).collect();
        let to = *others.choose(rng).expect("four other ops");
        Mutation {
            child: self.with_edge(edge, to),
            edge,
            from,
            to,
        }
    }

    /// One-point crossover: the first `point` edges of `self`, then the rest
    /// of `other`.
    pub fn crossover(&self, other: &Cell, rng: &mut impl Rng) -> CellCrossover {
        let point = rng.random_range(1..EDGE_COUNT);
        let edges = std::array::from_fn(|i| match i < point {
            true => self.edges()[i],
            false => other.edges()[i],
        });
        CellCrossover {
            child: Cell::new(edges),
            point,
        }
    }

    /// Uniform crossover: each edge from either parent with probability 1/2.
    pub fn uniform_crossover(&self, other: &Cell, rng: &mut impl Rng) -> Cell {
        let edges = std::array::from_fn(|i| match rng.random_bool(0.5) {
            true => self.edges()[i],
            false => other.edges()[i],
        });
        Cell::new(edges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn differing_edges(a: &Cell, b: &Cell) -> usize {
        a.edges()
            .iter()
            .zip(b.edges())
            .filter(|(x, y)| x != y)
            .count()
    }

    #[test]
    fn mutation_changes_exactly_one_edge() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut cell = Cell::random(&mut rng);
        for _ in 0..500 {
            let mutation = cell.mutate(&mut rng);

            assert_eq!(differing_edges(&cell, &mutation.child), 1);
            assert_eq!(mutation.child.edges()[mutation.edge], mutation.to);
            assert_eq!(cell.edges()[mutation.edge], mutation.from);
            cell = mutation.child;
        }
    }

    #[test]
    fn mutation_reaches_every_edge_and_every_op() {
        let mut rng = StdRng::seed_from_u64(6);
        let parent = Cell::new([EdgeOp::None; EDGE_COUNT]);
        let mutations: Vec<Mutation> = (0..400).map(|_| parent.mutate(&mut rng)).collect();

        assert!((0..EDGE_COUNT).all(|e| mutations.iter().any(|m| m.edge == e)));
        assert!(
            EdgeOp::ALL[1..]
                .iter()
                .all(|&op| mutations.iter().any(|m| m.to == op))
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_variations() {
        let run = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            let (a, b) = (Cell::random(&mut rng), Cell::random(&mut rng));
            (
                a.mutate(&mut rng),
                a.crossover(&b, &mut rng),
                a.uniform_crossover(&b, &mut rng),
            )
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
    }

    #[test]
    fn crossover_takes_the_head_of_the_first_and_the_tail_of_the_second() {
        let a = Cell::new([EdgeOp::NorConv3x3; EDGE_COUNT]);
        let b = Cell::new([EdgeOp::SkipConnect; EDGE_COUNT]);
        for seed in 0..30 {
            let cross = a.crossover(&b, &mut StdRng::seed_from_u64(seed));

            assert!((1..EDGE_COUNT).contains(&cross.point));
            assert_eq!(cross.child.count(EdgeOp::NorConv3x3), cross.point);
            assert!(
                cross.child.edges()[cross.point..]
                    .iter()
                    .all(|&op| op == EdgeOp::SkipConnect)
            );
        }
    }

    #[test]
    fn uniform_crossover_takes_each_edge_from_one_of_the_parents() {
        let a = Cell::new([EdgeOp::NorConv1x1; EDGE_COUNT]);
        let b = Cell::new([EdgeOp::AvgPool3x3; EDGE_COUNT]);
        let mut rng = StdRng::seed_from_u64(8);
        let children: Vec<Cell> = (0..50).map(|_| a.uniform_crossover(&b, &mut rng)).collect();

        for child in &children {
            assert_eq!(
                child.count(EdgeOp::NorConv1x1) + child.count(EdgeOp::AvgPool3x3),
                6
            );
        }
        assert!(children.iter().any(|c| c.count(EdgeOp::NorConv1x1) == 3));
    }
}
