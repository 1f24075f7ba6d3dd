//! The Pareto front: the candidates no other candidate beats on every
//! objective at once. Exact under ties and duplicates, and the same whatever
//! order the candidates come in.

use serde::Serialize;

use super::objective::{Objective, Scored};
use super::points::{Excluded, Group, Points, dominates, from_cost};
use crate::error::Result;

/// One point of the front: a vector of objective values and every candidate
/// that has exactly those values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontPoint {
    /// Values in natural units, in the order of `Front::objectives`.
    pub values: Vec<f64>,
    /// Positions of the candidates in the input, ascending.
    pub members: Vec<usize>,
}

/// The non-dominated points of a set of candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Front {
    pub objectives: Vec<Objective>,
    /// Best first on the first objective, then on the second, and so on; this
    /// canonical order does not depend on the order of the input.
    pub points: Vec<FrontPoint>,
    /// Failed candidates and those with a NaN or infinite value, which no
    /// comparison can place.
    pub excluded: Vec<Excluded>,
}

impl Front {
    /// Number of distinct points (duplicates count once).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Number of candidates on the front, duplicates included.
    pub fn member_count(&self) -> usize {
        self.points.iter().map(|p| p.members.len()).sum()
    }

    /// Whether the candidate at input position `index` is on the front.
    pub fn contains(&self, index: usize) -> bool {
        self.points.iter().any(|p| p.members.contains(&index))
    }
}

/// The Pareto front of `items` on `objectives`.
///
/// Candidates with identical objective vectors make one point listing all of
/// them. Failed candidates and non-finite values are left out and reported in
/// `excluded`. An empty or repeating objective list is an error.
pub fn front<T: Scored>(items: &[T], objectives: &[Objective]) -> Result<Front> {
    let points = Points::new(items, objectives)?;
    let groups = non_dominated(&points.groups);
    Ok(Front {
        objectives: objectives.to_vec(),
        points: groups.into_iter().map(|g| natural(g, objectives)).collect(),
        excluded: points.excluded,
    })
}

/// The groups no other group dominates, in their (lexicographic) order.
///
/// A dominating vector is lexicographically smaller than the one it
/// dominates, so scanning in that order and checking only the front found so
/// far is enough: anything a dropped group dominates, its dominator does too.
pub(crate) fn non_dominated(groups: &[Group]) -> Vec<&Group> {
    let mut front: Vec<&Group> = Vec::new();
    for group in groups {
        if !front.iter().any(|kept| dominates(&kept.cost, &group.cost)) {
            front.push(group);
        }
    }
    front
}

fn natural(group: &Group, objectives: &[Objective]) -> FrontPoint {
    FrontPoint {
        values: objectives
            .iter()
            .zip(&group.cost)
            .map(|(&o, &c)| from_cost(o, c))
            .collect(),
        members: group.members.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pareto::points::Exclusion;
    use crate::pareto::testing::{ACCURACY_LATENCY, Candidate, permutations, point};

    fn values(front: &Front) -> Vec<Vec<f64>> {
        front.points.iter().map(|p| p.values.clone()).collect()
    }

    #[test]
    fn dominated_candidates_are_not_on_the_front() {
        let items = [
            point(0.9, 8.0),
            point(0.8, 4.0),
            point(0.7, 5.0),
            point(0.5, 2.0),
        ];

        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        assert_eq!(
            values(&front),
            [vec![0.9, 8.0], vec![0.8, 4.0], vec![0.5, 2.0]]
        );
        assert!(!front.contains(2));
    }

    #[test]
    fn duplicates_form_one_point_that_lists_every_copy() {
        let items = [
            point(0.8, 4.0),
            point(0.9, 8.0),
            point(0.8, 4.0),
            point(0.8, 4.0),
        ];

        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        assert_eq!(front.len(), 2);
        assert_eq!(front.points[1].members, [0, 2, 3]);
        assert_eq!(front.member_count(), 4);
    }

    #[test]
    fn a_tie_on_one_objective_keeps_only_the_better_on_the_other() {
        let items = [point(0.8, 5.0), point(0.8, 4.0), point(0.6, 4.0)];

        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        assert_eq!(values(&front), [vec![0.8, 4.0]]);
        assert_eq!(front.points[0].members, [1]);
    }

    #[test]
    fn nan_values_and_failed_candidates_are_left_out_and_counted() {
        let failed = Candidate {
            failed: true,
            ..point(0.99, 0.1)
        };
        let items = [
            point(f64::NAN, 1.0),
            point(0.7, 3.0),
            failed,
            point(0.6, f64::INFINITY),
        ];

        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        assert_eq!(values(&front), [vec![0.7, 3.0]]);
        let reasons: Vec<_> = front.excluded.iter().map(|e| (e.index, e.reason)).collect();
        assert_eq!(
            reasons,
            [
                (0, Exclusion::NotFinite(Objective::Accuracy)),
                (2, Exclusion::Failed),
                (3, Exclusion::NotFinite(Objective::LatencyMs)),
            ]
        );
    }

    #[test]
    fn every_order_of_five_candidates_gives_the_same_front() {
        // Ties (0.8 twice, latency 4 twice), a duplicate and a dominated point.
        let items = [
            point(0.8, 4.0),
            point(0.9, 6.0),
            point(0.8, 4.0),
            point(0.7, 4.0),
        ];
        let items: Vec<(usize, Candidate)> = items
            .into_iter()
            .chain([point(0.95, 9.0)])
            .enumerate()
            .collect();
        let orders = permutations(&items);
        assert_eq!(orders.len(), 120);

        let canonical = |order: &[(usize, Candidate)]| {
            let candidates: Vec<Candidate> = order.iter().map(|(_, c)| *c).collect();
            let front = front(&candidates, &ACCURACY_LATENCY).unwrap();
            let ids = |p: &FrontPoint| {
                let mut ids: Vec<usize> = p.members.iter().map(|&m| order[m].0).collect();
                ids.sort();
                ids
            };
            front
                .points
                .iter()
                .map(|p| (p.values.clone(), ids(p)))
                .collect::<Vec<_>>()
        };

        let expected = vec![
            (vec![0.95, 9.0], vec![4]),
            (vec![0.9, 6.0], vec![1]),
            (vec![0.8, 4.0], vec![0, 2]),
        ];
        for order in &orders {
            assert_eq!(canonical(order), expected);
        }
    }

    #[test]
    fn the_front_of_nothing_is_empty_and_no_objectives_is_an_error() {
        let none: [Candidate; 0] = [];
        assert!(front(&none, &ACCURACY_LATENCY).unwrap().is_empty());
        assert!(front(&[point(0.5, 1.0)], &[]).is_err());
    }

    #[test]
    fn the_front_serializes_with_named_exclusions() {
        let items = [point(0.5, 1.0), point(f64::NAN, 1.0)];

        let json = serde_json::to_value(front(&items, &ACCURACY_LATENCY).unwrap()).unwrap();

        assert_eq!(
            json["objectives"],
            serde_json::json!(["accuracy", "latency_ms"])
        );
        assert_eq!(
            json["excluded"],
            serde_json::json!([{"index": 1, "reason": "not_finite", "objective": "accuracy"}])
        );
    }
}
