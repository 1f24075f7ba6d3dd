//! The record of one trained (or failed) candidate.

use serde::{Deserialize, Deserializer, Serialize};

use crate::space::Architecture;

/// Whether a candidate trained to the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Training stopped early; the reason says why (e.g. the loss became NaN).
    Failed,
}

/// What training and measuring one architecture gave. Failed candidates keep
/// `accuracy` as NaN (null in JSON) and are left out of bests and means; a
/// measure that is `null` in JSON reads back as NaN.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluation<A = Architecture> {
    /// 1-based order in which the search evaluated it.
    pub index: usize,
    /// What was trained: a chain architecture, or a DARTS cell's genotype.
    pub arch: A,
    pub status: Status,
    pub reason: Option<String>,
    /// Validation accuracy in `[0, 1]`.
    #[serde(deserialize_with = "number_or_nan")]
    pub accuracy: f64,
    /// Mean training loss of the last epoch trained.
    #[serde(deserialize_with = "number_or_nan")]
    pub final_loss: f64,
    pub params: usize,
    pub flops: usize,
    /// Wall time of training and evaluation, in milliseconds.
    #[serde(deserialize_with = "number_or_nan")]
    pub train_ms: f64,
    /// Median time of one single-image forward pass on the device, in milliseconds.
    #[serde(deserialize_with = "number_or_nan")]
    pub latency_ms: f64,
    /// Which backend trained it ("cpu" or "webgpu").
    pub backend: String,
    /// The seed that initialised its weights.
    pub seed: u64,
    /// True when the result was reused from an earlier identical architecture.
    pub cached: bool,
    /// True when the result was read back from a saved, interrupted run that
    /// this one resumes, not trained by this run.
    #[serde(default)]
    pub restored: bool,
    /// Generation of an evolutionary search (1-based); absent for random search.
    pub generation: Option<usize>,
    /// A training-free score of the freshly initialised network: the summed
    /// L2 norms of the loss gradients on its first training batch. Absent in
    /// runs saved before it existed, and when the score was not finite.
    #[serde(default)]
    pub zero_cost: Option<f64>,
    /// What the predictor guessed before this candidate was trained; absent
    /// for candidates no predictor proposed.
    #[serde(default)]
    pub guess: Option<RoundGuess>,
}

/// A predictor's guess of a candidate's accuracy, made in `round` before the
/// candidate was trained, kept with it so that guesses can be judged later.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoundGuess {
    /// 1-based round of the predictor search that proposed the candidate.
    pub round: usize,
    /// Mean guessed validation accuracy over the ensemble.
    pub mean: f64,
    /// Spread of the members' guesses: the predictor's uncertainty.
    pub spread: f64,
}

impl<A> Evaluation<A> {
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok && self.accuracy.is_finite()
    }
}

/// Reads a number that may be `null`: JSON's form of a NaN or infinity.
fn number_or_nan<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

/// The best successful evaluation; NaN and failed ones never win.
pub fn best<A>(evaluations: &[Evaluation<A>]) -> Option<&Evaluation<A>> {
    evaluations
        .iter()
        .filter(|e| e.is_ok())
        .max_by(|a, b| a.accuracy.total_cmp(&b.accuracy))
}

/// A made-up record for strategy tests, which need accuracies but no training.
#[cfg(test)]
pub(crate) fn fake_evaluation(arch: &Architecture, accuracy: f64) -> Evaluation {
    Evaluation {
        index: 0,
        arch: arch.clone(),
        status: if accuracy.is_nan() {
            Status::Failed
        } else {
            Status::Ok
        },
        reason: accuracy.is_nan().then(|| "loss became NaN".to_string()),
        accuracy,
        final_loss: 0.5,
        params: 0,
        flops: 0,
        train_ms: 1.0,
        latency_ms: 0.1,
        backend: "cpu".into(),
        seed: 0,
        cached: false,
        restored: false,
        generation: None,
        zero_cost: None,
        guess: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_ignores_nan_and_failed_results() {
        let arch: Architecture = "identity".parse().unwrap();
        let results = [
            fake_evaluation(&arch, f64::NAN),
            fake_evaluation(&arch, 0.8),
            fake_evaluation(&arch, 0.75),
        ];
        assert_eq!(best(&results).unwrap().accuracy, 0.8);
        assert!(best(&results[..1]).is_none());
    }

    #[test]
    fn a_failed_evaluation_reads_back_from_json_with_its_nan_accuracy() {
        let arch: Architecture = "identity".parse().unwrap();
        let json = serde_json::to_string(&fake_evaluation(&arch, f64::NAN)).unwrap();
        assert!(json.contains("\"accuracy\":null"), "{json}");

        let back: Evaluation = serde_json::from_str(&json).unwrap();

        assert!(back.accuracy.is_nan() && !back.is_ok() && !back.restored);
        assert_eq!(back.reason.as_deref(), Some("loss became NaN"));
    }

    #[test]
    fn a_run_saved_before_scores_and_guesses_existed_still_reads_back() {
        let arch: Architecture = "identity".parse().unwrap();
        let mut json = serde_json::to_value(fake_evaluation(&arch, 0.5)).unwrap();
        let fields = json.as_object_mut().unwrap();
        fields.remove("zero_cost");
        fields.remove("guess");

        let back: Evaluation = serde_json::from_value(json).unwrap();

        assert_eq!((back.zero_cost, back.guess), (None, None));
    }

    #[test]
    fn a_guess_travels_with_its_evaluation_through_json() {
        let arch: Architecture = "identity".parse().unwrap();
        let guessed = Evaluation {
            zero_cost: Some(3.5),
            guess: Some(RoundGuess {
                round: 2,
                mean: 0.8,
                spread: 0.05,
            }),
            ..fake_evaluation(&arch, 0.75)
        };

        let json = serde_json::to_string(&guessed).unwrap();
        let back: Evaluation = serde_json::from_str(&json).unwrap();

        assert_eq!(
            (back.zero_cost, back.guess),
            (guessed.zero_cost, guessed.guess)
        );
    }
}
