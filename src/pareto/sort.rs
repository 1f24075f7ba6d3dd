//! Non-dominated sorting into ranks and NSGA-II crowding distance: what a
//! multi-objective evolution needs to choose survivors (lower rank first, then
//! the less crowded).

use std::cmp::Ordering;

use serde::Serialize;

use super::objective::{Objective, Scored};
use super::points::{Excluded, Group, Points, dominates};
use crate::error::Result;

/// Each candidate's standing, by its position in the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// 1 for the Pareto front, 2 for the front of the rest, and so on; `None`
    /// for excluded candidates.
    pub ranks: Vec<Option<usize>>,
    /// Crowding distance within the candidate's rank: infinite at the ends
    /// of a front, larger where neighbours are farther; 0 when excluded.
    pub crowding: Vec<f64>,
    pub excluded: Vec<Excluded>,
}

impl Ranking {
    /// Number of ranks (0 when every candidate was excluded).
    pub fn rank_count(&self) -> usize {
        self.ranks.iter().flatten().copied().max().unwrap_or(0)
    }

    /// Input positions best first by NSGA-II's crowded comparison: lower rank,
    /// then larger crowding distance, then earlier position; excluded last.
    pub fn crowded_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.ranks.len()).collect();
        order.sort_by(|&a, &b| {
            let rank = |i: usize| self.ranks[i].unwrap_or(usize::MAX);
            rank(a)
                .cmp(&rank(b))
                .then(self.crowding[b].total_cmp(&self.crowding[a]))
                .then(a.cmp(&b))
        });
        order
    }
}

/// Ranks and crowding distances of `items` on `objectives`.
///
/// Identical objective vectors share one rank and one crowding distance, so
/// that duplicates neither crowd each other out nor depend on input order.
/// Where two points tie on the objective being sorted, the rest of their
/// vectors decides their order, which again does not depend on the input.
pub fn rank<T: Scored>(items: &[T], objectives: &[Objective]) -> Result<Ranking> {
    let points = Points::new(items, objectives)?;
    let group_ranks = sort_groups(&points.groups);
    let group_crowding = crowding(&points.groups, &group_ranks);

    let mut ranks = vec![None; items.len()];
    let mut distances = vec![0.0; items.len()];
    for (g, group) in points.groups.iter().enumerate() {
        for &member in &group.members {
            ranks[member] = Some(group_ranks[g]);
            distances[member] = group_crowding[g];
        }
    }
    Ok(Ranking {
        ranks,
        crowding: distances,
        excluded: points.excluded,
    })
}

/// Deb's fast non-dominated sort over distinct cost vectors; 1-based ranks.
fn sort_groups(groups: &[Group]) -> Vec<usize> {
    let n = groups.len();
    let mut beaten_by = vec![0usize; n];
    let mut beats: Vec<Vec<usize>> = vec![Vec::new(); n];
    for a in 0..n {
        for b in 0..n {
            if dominates(&groups[a].cost, &groups[b].cost) {
                beats[a].push(b);
                beaten_by[b] += 1;
            }
        }
    }

    let mut ranks = vec![0; n];
    let mut current: Vec<usize> = (0..n).filter(|&g| beaten_by[g] == 0).collect();
    let mut rank = 1;
    while !current.is_empty() {
        let mut next = Vec::new();
        for &a in &current {
            ranks[a] = rank;
            for &b in &beats[a] {
                beaten_by[b] -= 1;
                if beaten_by[b] == 0 {
                    next.push(b);
                }
            }
        }
        current = next;
        rank += 1;
    }
    ranks
}

/// NSGA-II crowding distance of each group within its rank. Objectives on
/// which the whole rank is equal spread nothing and add nothing.
fn crowding(groups: &[Group], ranks: &[usize]) -> Vec<f64> {
    let mut distance = vec![0.0; groups.len()];
    let objectives = groups.first().map_or(0, |g| g.cost.len());
    let rank_count = ranks.iter().copied().max().unwrap_or(0);
    for rank in 1..=rank_count {
        let members: Vec<usize> = (0..groups.len()).filter(|&g| ranks[g] == rank).collect();
        if members.len() <= 2 {
            members.iter().for_each(|&g| distance[g] = f64::INFINITY);
            continue;
        }
        for j in 0..objectives {
            let mut sorted = members.clone();
            sorted.sort_by(|&a, &b| by_objective(&groups[a], &groups[b], j));
            let cost = |g: usize| groups[g].cost[j];
            let (low, high) = (cost(sorted[0]), cost(sorted[sorted.len() - 1]));
            if high <= low {
                continue;
            }
            distance[sorted[0]] = f64::INFINITY;
            distance[sorted[sorted.len() - 1]] = f64::INFINITY;
            for k in 1..sorted.len() - 1 {
                distance[sorted[k]] += (cost(sorted[k + 1]) - cost(sorted[k - 1])) / (high - low);
            }
        }
    }
    distance
}

fn by_objective(a: &Group, b: &Group, j: usize) -> Ordering {
    a.cost[j]
        .total_cmp(&b.cost[j])
        .then_with(|| super::points::lexicographic(&a.cost, &b.cost))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pareto::testing::{ACCURACY_LATENCY, Candidate, permutations, point};

    #[test]
    fn ranks_peel_fronts_off_one_after_another() {
        // Front 1: (0.9, 8), (0.8, 4); front 2: (0.8, 6), (0.6, 4);
        // front 3: (0.5, 7); the NaN one is excluded.
        let items = [
            point(0.5, 7.0),
            point(0.8, 6.0),
            point(0.9, 8.0),
            point(f64::NAN, 1.0),
            point(0.6, 4.0),
            point(0.8, 4.0),
        ];

        let ranking = rank(&items, &ACCURACY_LATENCY).unwrap();

        assert_eq!(
            ranking.ranks,
            [Some(3), Some(2), Some(1), None, Some(2), Some(1)]
        );
        assert_eq!(ranking.rank_count(), 3);
        assert_eq!(ranking.excluded.len(), 1);
    }

    #[test]
    fn crowding_is_infinite_at_the_ends_and_sums_normalised_gaps_inside() {
        // One front; accuracy spans 0.5..0.9 (range 0.4), latency 2..8 (range 6).
        // (0.8, 4): accuracy neighbours 0.9, 0.6 -> 0.3 / 0.4 = 0.75;
        //           latency neighbours 3, 8 -> 5 / 6; sum 1.5833.
        // (0.6, 3): accuracy neighbours 0.8, 0.5 -> 0.75;
        //           latency neighbours 2, 4 -> 2 / 6; sum 1.0833.
        let items = [
            point(0.5, 2.0),
            point(0.6, 3.0),
            point(0.8, 4.0),
            point(0.9, 8.0),
        ];

        let ranking = rank(&items, &ACCURACY_LATENCY).unwrap();

        assert_eq!(ranking.ranks, [Some(1); 4]);
        assert!(ranking.crowding[0].is_infinite() && ranking.crowding[3].is_infinite());
        assert!((ranking.crowding[1] - (0.75 + 2.0 / 6.0)).abs() < 1e-12);
        assert!((ranking.crowding[2] - (0.75 + 5.0 / 6.0)).abs() < 1e-12);
    }

    #[test]
    fn duplicates_share_rank_and_crowding_whatever_the_order() {
        let items = [
            point(0.9, 8.0),
            point(0.7, 5.0),
            point(0.7, 5.0),
            point(0.5, 2.0),
        ];
        let expected = rank(&items, &ACCURACY_LATENCY).unwrap();
        assert_eq!(expected.crowding[1], expected.crowding[2]);

        let indexed: Vec<(usize, Candidate)> = items.into_iter().enumerate().collect();
        for order in permutations(&indexed) {
            let candidates: Vec<Candidate> = order.iter().map(|(_, c)| *c).collect();
            let ranking = rank(&candidates, &ACCURACY_LATENCY).unwrap();
            for (position, (id, _)) in order.iter().enumerate() {
                assert_eq!(ranking.ranks[position], expected.ranks[*id]);
                assert_eq!(ranking.crowding[position], expected.crowding[*id]);
            }
        }
    }

    #[test]
    fn crowded_order_puts_lower_ranks_then_lonelier_points_first() {
        let failed = Candidate {
            failed: true,
            ..point(1.0, 0.0)
        };
        let items = [
            point(0.5, 7.0),
            point(0.8, 5.0),
            point(0.9, 8.0),
            point(0.85, 6.0),
            failed,
            point(0.5, 2.0),
        ];

        let order = rank(&items, &ACCURACY_LATENCY).unwrap().crowded_order();

        // Front: (0.9, 8) and (0.5, 2) at the ends, by position; then
        // (0.8, 5) with 0.35 / 0.4 + 4 / 6 = 1.54 before (0.85, 6) with
        // 0.1 / 0.4 + 3 / 6 = 0.75; then (0.5, 7) of rank 2; the failed last.
        assert_eq!(order, [2, 5, 1, 3, 0, 4]);
    }
}
