//! A search interrupted after k candidates and resumed from the evaluations it
//! saved ends exactly as the same search run without a break: the saved ones
//! are replayed, not retrained, and the rest train as they would have. (Its own
//! test binary, so no other test shares the device's random generator.)

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::search::{GenerationStats, SearchConfig, SearchRun, StrategyKind};
use nasplay::train::Evaluation;

/// Settings under which each candidate trains in well under a second.
fn tiny(strategy: StrategyKind) -> SearchConfig {
    SearchConfig {
        strategy,
        seed: 5,
        epochs: 1,
        batch_size: 64,
        depth: 2,
        width: 8,
        candidates: 3,
        population: 3,
        generations: 2,
        tournament: 2,
        ..SearchConfig::default()
    }
}

/// Steps `run` until it is done, or until it has `stop_after` evaluations.
fn drive(run: &mut SearchRun, stop_after: usize) -> Vec<GenerationStats> {
    let mut stats = Vec::new();
    while run.evaluations().len() < stop_after {
        let report = block_on(run.step()).expect("step");
        assert_eq!(report.error, None);
        stats.extend(report.generation);
        if report.done {
            break;
        }
    }
    stats
}

/// What must agree between two runs: everything but the measured times (the
/// numbers as bits, so that a failed candidate's NaN equals itself).
type Outcome = (usize, String, u64, u64, usize, u64, bool, Option<usize>);

fn outcome(e: &Evaluation) -> Outcome {
    (
        e.index,
        e.arch.to_string(),
        e.accuracy.to_bits(),
        e.final_loss.to_bits(),
        e.params,
        e.seed,
        e.cached,
        e.generation,
    )
}

fn check_resume(config: SearchConfig, interrupt_after: usize) {
    let mut whole = SearchRun::new(config.clone(), Compute::cpu()).unwrap();
    let whole_stats = drive(&mut whole, usize::MAX);

    let mut interrupted = SearchRun::new(config.clone(), Compute::cpu()).unwrap();
    drive(&mut interrupted, interrupt_after);
    let saved = interrupted.evaluations().to_vec();
    drop(interrupted);
    let resumed = SearchRun::new(config, Compute::cpu()).unwrap();
    let mut resumed = resumed.with_history(saved).unwrap();
    let resumed_stats = drive(&mut resumed, usize::MAX);

    let (expected, got) = (whole.evaluations(), resumed.evaluations());
    assert!(
        expected.iter().any(Evaluation::is_ok),
        "some candidate learns"
    );
    assert_eq!(got.len(), expected.len());
    for (e, g) in expected.iter().zip(got) {
        assert_eq!(outcome(g), outcome(e));
        assert_eq!((g.zero_cost, g.guess), (e.zero_cost, e.guess));
        assert_eq!(
            g.restored,
            g.index <= interrupt_after,
            "candidate {}",
            g.index
        );
    }
    assert_eq!(resumed_stats, whole_stats);
}

#[test]
fn interrupted_searches_resume_to_the_same_evaluations_as_uninterrupted_ones() {
    check_resume(tiny(StrategyKind::Random), 1);
    check_resume(tiny(StrategyKind::Evolution), 4);
    check_resume(tiny(StrategyKind::Regularized), 2);
    check_resume(predictor(), 3);
}

/// A predictor search interrupted within its first round of guesses: the
/// resumed run must refit the predictor on the replayed candidates to guess
/// the same. (In the one test above: tests running at once would share the
/// device's generator.)
fn predictor() -> SearchConfig {
    SearchConfig {
        candidates: 6,
        initial_candidates: 2,
        picks_per_round: 2,
        pool_size: 30,
        ..tiny(StrategyKind::Predictor)
    }
}
