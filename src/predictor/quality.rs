//! How well a chain search's guesses ranked the candidates they were made
//! for, judged after those candidates trained; and how well the zero-cost
//! proxy ranks the trained candidates without any training.
//!
//! Only guesses made before a candidate trained are judged, so the figures
//! say how the predictor does on architectures it has not seen: the measure
//! a search depends on. Failed candidates and cache hits (repeats of a
//! candidate already counted) are left out.

use serde::{Deserialize, Serialize};

use super::rank::{kendall_tau, spearman_rho};
use crate::train::Evaluation;

/// Rank agreement of some guesses (or scores) with trained accuracies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Candidates compared.
    pub n: usize,
    /// `None` with fewer than two candidates or when one side is constant.
    pub kendall_tau: Option<f64>,
    pub spearman_rho: Option<f64>,
}

/// The predictor's rank quality for one round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoundQuality {
    /// 1-based round that made the guesses.
    pub round: usize,
    /// The candidates guessed in this round.
    pub this_round: Agreement,
    /// The candidates guessed in this round and every earlier one.
    pub up_to_round: Agreement,
}

/// Rank quality over a whole run: per round of guesses, and of the proxy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// In round order; rounds without a judged candidate are absent.
    pub rounds: Vec<RoundQuality>,
    /// The zero-cost proxy against trained accuracy, over every successful
    /// candidate that has a score, whichever strategy proposed it.
    pub proxy: Agreement,
}

/// The rank quality of the guesses and zero-cost scores in `evaluations`.
pub fn chain_quality<A>(evaluations: &[Evaluation<A>]) -> Quality {
    let judged: Vec<&Evaluation<A>> = evaluations
        .iter()
        .filter(|e| e.is_ok() && !e.cached)
        .collect();
    let guessed: Vec<(usize, f64, f64)> = judged
        .iter()
        .filter_map(|e| e.guess.map(|g| (g.round, g.mean, e.accuracy)))
        .collect();
    let scored: Vec<(f64, f64)> = judged
        .iter()
        .filter_map(|e| e.zero_cost.map(|z| (z, e.accuracy)))
        .collect();
    Quality {
        rounds: per_round(&guessed),
        proxy: agreement(&scored),
    }
}

/// One entry per round that has guesses, from (round, guess, accuracy).
fn per_round(guessed: &[(usize, f64, f64)]) -> Vec<RoundQuality> {
    let mut rounds: Vec<usize> = guessed.iter().map(|g| g.0).collect();
    rounds.sort_unstable();
    rounds.dedup();
    let pairs = |keep: &dyn Fn(usize) -> bool| -> Vec<(f64, f64)> {
        guessed
            .iter()
            .filter(|g| keep(g.0))
            .map(|g| (g.1, g.2))
            .collect()
    };
    rounds
        .into_iter()
        .map(|round| RoundQuality {
            round,
            this_round: agreement(&pairs(&|r| r == round)),
            up_to_round: agreement(&pairs(&|r| r <= round)),
        })
        .collect()
}

fn agreement(pairs: &[(f64, f64)]) -> Agreement {
    let (guesses, truths): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    Agreement {
        n: pairs.len(),
        kendall_tau: kendall_tau(&guesses, &truths),
        spearman_rho: spearman_rho(&guesses, &truths),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::Architecture;
    use crate::train::{RoundGuess, fake_evaluation};

    /// A trained candidate with a guess from `round` (0: no guess) and a
    /// zero-cost score.
    fn evaluation(round: usize, mean: f64, accuracy: f64, zero_cost: f64) -> Evaluation {
        let arch: Architecture = "identity".parse().unwrap();
        Evaluation {
            guess: (round > 0).then_some(RoundGuess {
                round,
                mean,
                spread: 0.01,
            }),
            zero_cost: Some(zero_cost),
            ..fake_evaluation(&arch, accuracy)
        }
    }

    fn close(value: Option<f64>, expected: f64) -> bool {
        value.is_some_and(|v| (v - expected).abs() < 1e-12)
    }

    #[test]
    fn rounds_are_judged_alone_and_together_with_the_earlier_ones() {
        let evaluations = [
            evaluation(0, 0.0, 0.30, 1.0),
            evaluation(0, 0.0, 0.40, 2.0),
            evaluation(1, 0.50, 0.50, 3.0),
            evaluation(1, 0.60, 0.60, 4.0),
            evaluation(2, 0.90, 0.70, 5.0),
            evaluation(2, 0.80, 0.80, 6.0),
        ];

        let quality = chain_quality(&evaluations);

        let [first, second] = quality.rounds[..] else {
            panic!("two rounds, got {:?}", quality.rounds);
        };
        assert_eq!((first.round, first.this_round.n), (1, 2));
        assert!(close(first.this_round.kendall_tau, 1.0));
        assert!(close(second.this_round.kendall_tau, -1.0));
        assert!(close(second.this_round.spearman_rho, -1.0));
        // Up to round 2: guesses .5 .6 .9 .8 against .5 .6 .7 .8, one
        // discordant pair of six, so tau = (5 - 1) / 6; rho = 1 - 6·2/60.
        assert_eq!(second.up_to_round.n, 4);
        assert!(close(second.up_to_round.kendall_tau, 4.0 / 6.0));
        assert!(close(second.up_to_round.spearman_rho, 0.8));
        assert_eq!(quality.proxy.n, 6);
        assert!(close(quality.proxy.kendall_tau, 1.0));
    }

    #[test]
    fn failed_and_cached_candidates_are_left_out() {
        let cached = Evaluation {
            cached: true,
            ..evaluation(1, 0.9, 0.1, 9.0)
        };
        let evaluations = [
            evaluation(1, 0.2, 0.2, 1.0),
            evaluation(1, 0.9, f64::NAN, 5.0),
            evaluation(1, 0.3, 0.3, 2.0),
            cached,
        ];

        let quality = chain_quality(&evaluations);

        assert_eq!(quality.rounds[0].this_round.n, 2);
        assert!(close(quality.rounds[0].this_round.kendall_tau, 1.0));
        assert_eq!(quality.proxy.n, 2);
    }

    #[test]
    fn a_run_without_guesses_has_no_rounds_and_one_candidate_no_tau() {
        let quality = chain_quality(&[evaluation(0, 0.0, 0.5, 1.0)]);

        assert!(quality.rounds.is_empty());
        assert_eq!(quality.proxy.n, 1);
        assert_eq!(quality.proxy.kendall_tau, None);
        let json = serde_json::to_value(&quality).unwrap();
        assert_eq!(json["proxy"]["kendall_tau"], serde_json::Value::Null);
    }
}
