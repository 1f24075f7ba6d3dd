//! How evolution judges candidates when a tournament picks a parent: by
//! accuracy alone, as in the tutorial, or multi-objective: by NSGA-II's Pareto
//! rank then crowding distance on accuracy and latency, or by MnasNet's
//! latency-aware reward.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::pareto::{Objective, rank};
use crate::train::Evaluation;

/// The objectives of [`Selection::Pareto`]: accuracy up, latency down.
const PARETO_OBJECTIVES: [Objective; 2] = [Objective::Accuracy, Objective::LatencyMs];

/// MnasNet's exponent over the target: twice the target costs about 5% of
/// the reward.
pub const REWARD_EXPONENT: f64 = -0.07;

/// MnasNet's reward, accuracy × (latency / target)^w, with w = 0 within the
/// target and [`REWARD_EXPONENT`] above it: a network under the target is
/// judged by accuracy alone, one over it pays for every extra millisecond.
/// NaN without a latency.
pub fn latency_reward(accuracy: f64, latency_ms: f64, target_ms: f64) -> f64 {
    let ratio = latency_ms / target_ms;
    let exponent = if ratio <= 1.0 { 0.0 } else { REWARD_EXPONENT };
    if ratio.is_nan() {
        return f64::NAN;
    }
    accuracy * ratio.powf(exponent)
}

/// Which entrant of a tournament becomes a parent. The string form
/// (`accuracy`, `pareto`, `reward`) is the one of the URL, the JSON config and the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// The most accurate entrant.
    #[default]
    Accuracy,
    /// NSGA-II's crowded comparison on accuracy (max) and measured latency
    /// (min): the entrant of lowest Pareto rank among the candidates, and
    /// among those the one with the larger crowding distance, so parents
    /// spread along the front instead of crowding at its accurate end. A
    /// candidate without a latency ranks last.
    Pareto,
    /// MnasNet's reward [`latency_reward`] against the configured latency
    /// target: one number that trades accuracy for measured latency. A
    /// candidate without a latency ranks last.
    Reward,
}

impl Selection {
    pub fn name(self) -> &'static str {
        match self {
            Selection::Accuracy => "accuracy",
            Selection::Pareto => "pareto",
            Selection::Reward => "reward",
        }
    }

    /// A judge over `candidates` (successful evaluations): `judge(a, b)` is
    /// `Greater` when the candidate at position `a` is preferred to the one at
    /// `b`. `latency_target_ms` is the target of [`Selection::Reward`].
    pub(super) fn judge(
        self,
        candidates: &[&Evaluation],
        latency_target_ms: f64,
    ) -> impl Fn(usize, usize) -> Ordering + use<> {
        let standing: Vec<usize> = match self {
            Selection::Accuracy | Selection::Reward => Vec::new(),
            Selection::Pareto => {
                let order = rank(candidates, &PARETO_OBJECTIVES)
                    .expect("two distinct objectives always rank")
                    .crowded_order();
                let mut standing = vec![0; candidates.len()];
                for (place, &candidate) in order.iter().enumerate() {
                    standing[candidate] = place;
                }
                standing
            }
        };
        let accuracies: Vec<f64> = candidates.iter().map(|e| e.accuracy).collect();
        let rewards: Vec<f64> = candidates
            .iter()
            .map(|e| latency_reward(e.accuracy, e.latency_ms, latency_target_ms))
            .map(|r| if r.is_finite() { r } else { f64::NEG_INFINITY })
            .collect();
        move |a, b| match self {
            Selection::Accuracy => accuracies[a].total_cmp(&accuracies[b]),
            Selection::Pareto => standing[b].cmp(&standing[a]),
            Selection::Reward => rewards[a].total_cmp(&rewards[b]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::Architecture;
    use crate::train::fake_evaluation;

    fn measured(arch: &str, accuracy: f64, latency_ms: f64) -> Evaluation {
        let arch: Architecture = arch.parse().unwrap();
        Evaluation {
            latency_ms,
            ..fake_evaluation(&arch, accuracy)
        }
    }

    #[test]
    fn accuracy_prefers_the_more_accurate_whatever_the_latency() {
        let fast = measured("identity", 0.6, 0.1);
        let slow = measured("conv5x5", 0.9, 9.0);

        let judge = Selection::Accuracy.judge(&[&fast, &slow], 1.0);

        assert_eq!(judge(1, 0), Ordering::Greater);
    }

    #[test]
    fn pareto_prefers_the_front_to_a_more_accurate_dominated_candidate() {
        // (0.9, 1 ms) and (0.6, 0.1 ms) are the front; (0.8, 5 ms) is beaten
        // by the first on both objectives, though more accurate than the second.
        let evaluations = [
            measured("conv3x3", 0.9, 1.0),
            measured("identity", 0.6, 0.1),
            measured("conv5x5", 0.8, 5.0),
        ];
        let candidates: Vec<&Evaluation> = evaluations.iter().collect();

        let judge = Selection::Pareto.judge(&candidates, 1.0);

        assert_eq!(judge(1, 2), Ordering::Greater, "fast front member wins");
        assert_eq!(judge(0, 2), Ordering::Greater);
        assert_eq!(
            Selection::Accuracy.judge(&candidates, 1.0)(1, 2),
            Ordering::Less
        );
    }

    #[test]
    fn pareto_ranks_a_candidate_without_latency_last() {
        let evaluations = [
            measured("conv3x3", 0.99, f64::NAN),
            measured("identity", 0.2, 3.0),
        ];
        let candidates: Vec<&Evaluation> = evaluations.iter().collect();

        let judge = Selection::Pareto.judge(&candidates, 1.0);

        assert_eq!(judge(1, 0), Ordering::Greater);
    }

    #[test]
    fn reward_trades_accuracy_for_latency_against_the_target() {
        // Target 1 ms: 0.90 at 8 ms earns 0.90 × 8^-0.07 = 0.778; 0.85 at
        // 0.5 ms is within the target and earns its accuracy, 0.85.
        let slow = measured("conv5x5", 0.90, 8.0);
        let fast = measured("identity", 0.85, 0.5);
        let unmeasured = measured("conv3x3", 0.99, f64::NAN);
        let candidates = [&slow, &fast, &unmeasured];
        let judge = Selection::Reward.judge(&candidates, 1.0);
        assert_eq!(judge(1, 0), Ordering::Greater);
        assert_eq!(judge(0, 2), Ordering::Greater, "no latency ranks last");
        assert!((latency_reward(0.90, 8.0, 1.0) - 0.778).abs() < 1e-3);
        assert_eq!(latency_reward(0.85, 0.5, 1.0), 0.85);
        assert!(latency_reward(0.85, f64::NAN, 1.0).is_nan());
        // With a loose target of 100 ms the accurate one wins.
        assert_eq!(
            Selection::Reward.judge(&candidates, 100.0)(0, 1),
            Ordering::Greater
        );
    }

    #[test]
    fn the_names_are_the_json_forms() {
        for selection in [Selection::Accuracy, Selection::Pareto, Selection::Reward] {
            let json = serde_json::to_string(&selection).unwrap();
            assert_eq!(json, format!("\"{}\"", selection.name()));
        }
        assert_eq!(Selection::default(), Selection::Accuracy);
    }
}
