//! The 2-D hypervolume of a front: the area it dominates up to a reference
//! point. One number that grows when the front moves toward better values or
//! spreads wider, so two searches can be compared on one trade-off.
//!
//! # Reference point convention
//! The reference is given in the objectives' natural units, one value per
//! objective, in the front's objective order: e.g. `[0.0, 50.0]` for
//! accuracy (max) and latency in ms (min). It should be worse than every
//! point that ought to count: a point adds area only when it is strictly
//! better than the reference on both objectives (accuracy above 0.0 and
//! latency below 50 ms); others add nothing. Hypervolumes are comparable only
//! against the same reference, so report it beside the number.

use super::front::Front;
use super::objective::{Direction, Objective};
use super::points::to_cost;
use crate::error::{Error, Result};

/// Area dominated by `front` and bounded by `reference`, in the product of
/// the two objectives' units (e.g. accuracy × ms).
pub fn hypervolume(front: &Front, reference: &[f64]) -> Result<f64> {
    let [first, second] = two_objectives(&front.objectives)?;
    check_reference(&front.objectives, reference)?;
    let limit = (to_cost(first, reference[0]), to_cost(second, reference[1]));

    // Front points in cost space come sorted by the first cost ascending, so
    // the second descends: the area is a staircase of disjoint rectangles.
    let costs: Vec<(f64, f64)> = front
        .points
        .iter()
        .map(|p| (to_cost(first, p.values[0]), to_cost(second, p.values[1])))
        .filter(|&(x, y)| x < limit.0 && y < limit.1)
        .collect();
    let area = costs
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            let next_x = costs.get(i + 1).map_or(limit.0, |next| next.0);
            (next_x - x) * (limit.1 - y)
        })
        .sum();
    Ok(area)
}

/// The reference used when none is given: 0 for accuracy (the worst it can
/// be) and, for an objective to minimize, 1.1 × the largest value on the
/// front (1.0 when that is not positive), so that every point counts.
pub fn default_reference(front: &Front) -> Vec<f64> {
    front
        .objectives
        .iter()
        .enumerate()
        .map(|(j, &objective)| match objective {
            Objective::Accuracy => 0.0,
            _ => {
                let worst = front
                    .points
                    .iter()
                    .map(|p| p.values[j])
                    .fold(f64::MIN, f64::max);
                if worst > 0.0 { 1.1 * worst } else { 1.0 }
            }
        })
        .collect()
}

fn two_objectives(objectives: &[Objective]) -> Result<[Objective; 2]> {
    <[Objective; 2]>::try_from(objectives).map_err(|_| {
        let names: Vec<&str> = objectives.iter().map(|o| o.name()).collect();
        Error::bad_setting(
            "objectives",
            format!(
                "the hypervolume is computed for exactly 2 objectives, got {} ({}); \
                 choose two, e.g. accuracy,latency_ms",
                objectives.len(),
                names.join(", ")
            ),
        )
    })
}

fn check_reference(objectives: &[Objective], reference: &[f64]) -> Result<()> {
    if reference.len() != objectives.len() {
        return Err(Error::bad_setting(
            "reference",
            format!(
                "expected {} values, one per objective, got {}",
                objectives.len(),
                reference.len()
            ),
        ));
    }
    if let Some((objective, value)) = objectives
        .iter()
        .zip(reference)
        .find(|(_, value)| !value.is_finite())
    {
        let side = match objective.direction() {
            Direction::Maximize => "below",
            Direction::Minimize => "above",
        };
        return Err(Error::bad_setting(
            "reference",
            format!("the {objective} value is {value}; give a finite number {side} the front"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pareto::front::front;
    use crate::pareto::testing::{ACCURACY_LATENCY, point};

    #[test]
    fn hypervolume_of_a_hand_computed_staircase() {
        // Front (0.9, 8), (0.8, 4), (0.5, 2); (0.4, 6) is dominated.
        // Reference: accuracy 0, latency 10 ms. By latency strips:
        //   2..4 ms up to 0.5 -> 2 × 0.5 = 1.0
        //   4..8 ms up to 0.8 -> 4 × 0.8 = 3.2
        //   8..10 ms up to 0.9 -> 2 × 0.9 = 1.8      total 6.0
        let items = [
            point(0.9, 8.0),
            point(0.4, 6.0),
            point(0.8, 4.0),
            point(0.5, 2.0),
        ];
        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        let area = hypervolume(&front, &[0.0, 10.0]).unwrap();

        assert!((area - 6.0).abs() < 1e-12, "{area}");
    }

    #[test]
    fn points_not_strictly_better_than_the_reference_add_nothing() {
        // Only (0.8, 4) lies inside a reference of (0.5, 9): 0.3 × 5 = 1.5.
        let items = [point(0.9, 9.0), point(0.8, 4.0), point(0.5, 2.0)];
        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        let area = hypervolume(&front, &[0.5, 9.0]).unwrap();

        assert!((area - 1.5).abs() < 1e-12, "{area}");
    }

    #[test]
    fn the_default_reference_is_zero_accuracy_and_a_tenth_beyond_the_slowest() {
        let items = [point(0.9, 8.0), point(0.5, 2.0)];
        let front = front(&items, &ACCURACY_LATENCY).unwrap();

        let reference = default_reference(&front);

        assert_eq!(reference[0], 0.0);
        assert!((reference[1] - 8.8).abs() < 1e-12);
    }

    #[test]
    fn three_objectives_or_a_bad_reference_are_errors_that_say_why() {
        let items = [point(0.9, 8.0)];
        let two = front(&items, &ACCURACY_LATENCY).unwrap();
        let three = Front {
            objectives: vec![Objective::Accuracy; 3],
            ..two.clone()
        };

        let err = hypervolume(&three, &[0.0, 1.0, 2.0])
            .unwrap_err()
            .to_string();
        assert!(err.contains("exactly 2 objectives, got 3"), "{err}");
        let err = hypervolume(&two, &[0.0]).unwrap_err().to_string();
        assert!(err.contains("expected 2 values"), "{err}");
        let err = hypervolume(&two, &[0.0, f64::NAN]).unwrap_err().to_string();
        assert!(err.contains("latency_ms value is NaN"), "{err}");
    }
}
