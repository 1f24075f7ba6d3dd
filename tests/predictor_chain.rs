//! A predictor-based search over the chain space, trained for real on the
//! bundled digits: it spends exactly its budget, guesses every candidate after
//! the random start, scores every candidate with the zero-cost proxy, and the
//! same seed gives the same run. (Its own test binary, so no other test shares
//! the device's random generator.)

use std::collections::HashSet;

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::predictor::chain_quality;
use nasplay::search::{SearchConfig, SearchRun, StrategyKind};
use nasplay::train::Evaluation;
use web_time::Instant;

/// Eight candidates of two ops at width 16, two epochs each: seconds in all,
/// and enough training for most candidates to learn.
fn tiny(seed: u64) -> SearchConfig {
    SearchConfig {
        strategy: StrategyKind::Predictor,
        seed,
        candidates: 8,
        initial_candidates: 4,
        picks_per_round: 2,
        pool_size: 50,
        epochs: 2,
        batch_size: 32,
        depth: 2,
        width: 16,
        ..SearchConfig::default()
    }
}

fn run(config: SearchConfig) -> Vec<Evaluation> {
    let started = Instant::now();
    let mut run = SearchRun::new(config, Compute::cpu()).unwrap();
    loop {
        let report = block_on(run.step()).unwrap();
        assert_eq!(report.error, None);
        if report.done {
            break;
        }
    }
    eprintln!(
        "{} candidates in {:.1} s",
        run.evaluations().len(),
        started.elapsed().as_secs_f64()
    );
    run.evaluations().to_vec()
}

/// What must repeat under the same seed: all but the measured times (the
/// numbers as bits: architecture, accuracy, zero-cost score, guess).
type Outcome = (String, u64, Option<u64>, Option<(usize, u64, u64)>);

fn outcome(e: &Evaluation) -> Outcome {
    (
        e.arch.to_string(),
        e.accuracy.to_bits(),
        e.zero_cost.map(f64::to_bits),
        e.guess
            .map(|g| (g.round, g.mean.to_bits(), g.spread.to_bits())),
    )
}

#[test]
fn a_tiny_predictor_search_trains_its_budget_guesses_and_repeats_under_its_seed() {
    let evaluations = run(tiny(3));

    let distinct: HashSet<_> = evaluations.iter().map(|e| &e.arch).collect();
    assert_eq!((evaluations.len(), distinct.len()), (8, 8));
    assert!(evaluations.iter().all(|e| !e.cached));
    assert!(
        evaluations.iter().any(Evaluation::is_ok),
        "some candidate learns"
    );
    assert!(evaluations[..4].iter().all(|e| e.guess.is_none()));
    let rounds: Vec<usize> = evaluations[4..]
        .iter()
        .map(|e| e.guess.expect("guessed before training").round)
        .collect();
    assert_eq!(rounds, [1, 1, 2, 2]);
    assert!(
        evaluations
            .iter()
            .all(|e| e.zero_cost.is_some_and(|z| z > 0.0)),
        "every candidate has a zero-cost score"
    );

    let quality = chain_quality(&evaluations);
    let judged: Vec<usize> = quality.rounds.iter().map(|r| r.round).collect();
    assert_eq!(judged, [1, 2]);
    assert_eq!(quality.rounds[1].up_to_round.n, 4);
    assert_eq!(
        quality.proxy.n,
        evaluations.iter().filter(|e| e.is_ok()).count()
    );

    let again = run(tiny(3));
    let outcomes = |list: &[Evaluation]| list.iter().map(outcome).collect::<Vec<_>>();
    assert_eq!(outcomes(&again), outcomes(&evaluations));
}
