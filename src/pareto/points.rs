//! Candidates turned into cost vectors (every objective "smaller is better"),
//! with those that cannot be compared set aside and identical vectors grouped.
//! Fronts, ranks and hypervolume all start here, so they agree on what counts.

use std::cmp::Ordering;

use serde::Serialize;

use super::objective::{Direction, Objective, Scored, check_list};
use crate::error::Result;

/// Why a candidate was left out of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "objective")]
pub enum Exclusion {
    /// The candidate failed (e.g. its loss became NaN).
    Failed,
    /// This objective's value is NaN or infinite.
    NotFinite(Objective),
}

/// A candidate left out, by its position in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub index: usize,
    #[serde(flatten)]
    pub reason: Exclusion,
}

/// Identical cost vectors, kept as one point with all their candidates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub cost: Vec<f64>,
    /// Input positions, ascending.
    pub members: Vec<usize>,
}

/// The candidates that can be compared, grouped, in canonical (lexicographic
/// cost) order, and the ones that cannot.
pub(crate) struct Points {
    pub groups: Vec<Group>,
    pub excluded: Vec<Excluded>,
}

impl Points {
    pub fn new<T: Scored>(items: &[T], objectives: &[Objective]) -> Result<Self> {
        check_list(objectives)?;
        let mut usable = Vec::with_capacity(items.len());
        let mut excluded = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match cost_of(item, objectives) {
                Ok(cost) => usable.push((cost, index)),
                Err(reason) => excluded.push(Excluded { index, reason }),
            }
        }
        Ok(Self {
            groups: group(usable),
            excluded,
        })
    }
}

/// The cost vector of one candidate: maximized objectives negated. Adding
/// 0.0 turns -0.0 into 0.0, so that zero compares equal to itself bit for bit.
fn cost_of<T: Scored>(
    item: &T,
    objectives: &[Objective],
) -> std::result::Result<Vec<f64>, Exclusion> {
    if !item.succeeded() {
        return Err(Exclusion::Failed);
    }
    objectives
        .iter()
        .map(|&objective| {
            let value = item.value(objective);
            match value.is_finite() {
                true => Ok(to_cost(objective, value)),
                false => Err(Exclusion::NotFinite(objective)),
            }
        })
        .collect()
}

/// A natural value as a cost (smaller is better).
pub(crate) fn to_cost(objective: Objective, value: f64) -> f64 {
    match objective.direction() {
        Direction::Maximize => -value + 0.0,
        Direction::Minimize => value + 0.0,
    }
}

/// A cost back in the objective's natural units.
pub(crate) fn from_cost(objective: Objective, cost: f64) -> f64 {
    to_cost(objective, cost)
}

/// Sorts by cost, then position, and merges equal costs into one group each.
fn group(mut usable: Vec<(Vec<f64>, usize)>) -> Vec<Group> {
    usable.sort_by(|a, b| lexicographic(&a.0, &b.0).then(a.1.cmp(&b.1)));
    let mut groups: Vec<Group> = Vec::new();
    for (cost, index) in usable {
        match groups.last_mut() {
            Some(last) if last.cost == cost => last.members.push(index),
            _ => groups.push(Group {
                cost,
                members: vec![index],
            }),
        }
    }
    groups
}

/// Total order on finite cost vectors of one length.
pub(crate) fn lexicographic(a: &[f64], b: &[f64]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.total_cmp(y))
        .find(|order| order.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// `a` dominates `b`: no worse anywhere and better somewhere (costs).
pub(crate) fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominance_needs_one_strict_improvement() {
        assert!(dominates(&[1.0, 2.0], &[1.0, 3.0]));
        assert!(!dominates(&[1.0, 2.0], &[1.0, 2.0]));
        assert!(!dominates(&[1.0, 3.0], &[2.0, 2.0]));
    }

    #[test]
    fn zero_accuracy_becomes_a_positive_zero_cost() {
        let cost = to_cost(Objective::Accuracy, 0.0);
        assert!(cost == 0.0 && cost.is_sign_positive());
        assert!(from_cost(Objective::Accuracy, cost).is_sign_positive());
    }

    #[test]
    fn equal_costs_form_one_group_with_members_in_input_order() {
        let groups = group(vec![(vec![1.0], 2), (vec![0.5], 1), (vec![1.0], 0)]);
        let members: Vec<_> = groups.iter().map(|g| g.members.clone()).collect();
        assert_eq!(members, [vec![1], vec![0, 2]]);
    }
}
