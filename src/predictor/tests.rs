//! The ensemble on a toy function whose answer is known: it must fit it, rank
//! unseen points, be less sure far from its data, and replay for a seed.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::*;

/// A smooth "accuracy" of six features in [0, 1]: three matter, three do not.
fn toy(x: &[f32]) -> f64 {
    0.5 + 0.1 * (x[0] as f64 + 0.5 * x[1] as f64 + 0.25 * x[2] as f64)
}

fn points(count: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|_| (0..6).map(|_| rng.random_range(0.0..1.0)).collect())
        .collect()
}

fn fitted(seed: u64) -> Ensemble {
    let settings = EnsembleSettings {
        seed,
        ..EnsembleSettings::default()
    };
    let mut ensemble = Ensemble::new(6, settings).unwrap();
    let train = points(80, 1);
    let truth: Vec<f64> = train.iter().map(|x| toy(x)).collect();
    ensemble.fit(&train, &truth).unwrap();
    ensemble.fit(&train, &truth).unwrap();
    ensemble
}

#[test]
fn the_ensemble_fits_a_toy_function_and_ranks_unseen_points() {
    let ensemble = fitted(3);
    let held_out = points(50, 2);
    let truth: Vec<f64> = held_out.iter().map(|x| toy(x)).collect();

    let guesses = ensemble.guess(&held_out);

    let means: Vec<f64> = guesses.iter().map(|g| g.mean).collect();
    let error = means
        .iter()
        .zip(&truth)
        .map(|(g, t)| (g - t).abs())
        .sum::<f64>()
        / 50.0;
    let tau = kendall_tau(&means, &truth).unwrap();
    assert!(
        error < 0.01,
        "mean absolute error {error} on a 0.5–0.675 range"
    );
    assert!(tau > 0.8, "Kendall tau {tau} on held-out points");
    assert!(guesses.iter().all(|g| g.spread > 0.0));
}

#[test]
fn the_ensemble_is_less_sure_far_from_its_data() {
    let ensemble = fitted(4);
    let near = ensemble.guess(&points(50, 5));
    let far = ensemble.guess(&[vec![6.0, -5.0, 6.0, -4.0, 6.0, 5.0]]);

    let near_spread = near.iter().map(|g| g.spread).sum::<f64>() / 50.0;
    assert!(
        far[0].spread > 2.0 * near_spread,
        "far {} vs near {near_spread}",
        far[0].spread
    );
}

#[test]
fn the_same_seed_gives_the_same_guesses_and_another_seed_does_not() {
    let probe = points(10, 6);

    let first = fitted(7).guess(&probe);

    assert_eq!(first, fitted(7).guess(&probe));
    assert_ne!(first, fitted(8).guess(&probe));
}

#[test]
fn bad_data_is_refused_with_what_was_wrong() {
    let mut ensemble = Ensemble::new(2, EnsembleSettings::default()).unwrap();

    let short = ensemble.fit(&[vec![1.0]], &[0.5]).unwrap_err().to_string();
    let unpaired = ensemble
        .fit(&[vec![1.0, 2.0]], &[])
        .unwrap_err()
        .to_string();
    let nan = ensemble
        .fit(&[vec![1.0, 2.0]], &[f64::NAN])
        .unwrap_err()
        .to_string();

    assert!(short.contains("has 1 values (expected 2)"), "{short}");
    assert!(
        unpaired.contains("1 feature vectors but 0 accuracies"),
        "{unpaired}"
    );
    assert!(nan.contains("accuracy 0 is not finite"), "{nan}");
    assert!(ensemble.guess(&[vec![1.0]])[0].mean.is_nan());
}

#[test]
fn settings_out_of_range_name_the_field() {
    let bad = |settings: EnsembleSettings| match settings.validate() {
        Err(crate::Error::OutOfRange { field, .. }) => field,
        other => panic!("expected an out-of-range error, got {other:?}"),
    };
    let base = EnsembleSettings::default();

    assert_eq!(bad(EnsembleSettings { members: 1, ..base }), "members");
    assert_eq!(
        bad(EnsembleSettings {
            epochs_warm: 0,
            ..base
        }),
        "epochs_warm"
    );
    assert_eq!(
        bad(EnsembleSettings {
            learning_rate: f64::NAN,
            ..base
        }),
        "learning_rate"
    );
}
