//! Real training on the embedded digits with a tiny budget: candidates must
//! learn (accuracy well above the 10% of chance), be measured, and fail
//! cleanly when the loss diverges.

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::search::{SearchConfig, SearchRun, StepReport, StrategyKind};
use nasplay::space::Architecture;
use nasplay::train::{Evaluation, Status};

fn run_to_end(mut run: SearchRun) -> (Vec<Evaluation>, StepReport) {
    loop {
        let report = block_on(run.step()).expect("step");
        if report.done {
            return (run.evaluations().to_vec(), report);
        }
    }
}

fn tiny(strategy: StrategyKind) -> SearchConfig {
    SearchConfig {
        strategy,
        epochs: 2,
        depth: 2,
        width: 16,
        ..SearchConfig::default()
    }
}

#[test]
fn a_trained_candidate_scores_well_above_chance() {
    let arch: Architecture = "conv3x3,max_pool3x3".parse().unwrap();
    let run = SearchRun::single(arch.clone(), tiny(StrategyKind::Random), Compute::cpu()).unwrap();
    let (evaluations, report) = run_to_end(run);

    let e = &evaluations[0];
    assert_eq!(
        (evaluations.len(), &e.arch, &e.status),
        (1, &arch, &Status::Ok)
    );
    assert!(e.accuracy >= 0.5, "accuracy {}", e.accuracy);
    assert!(e.final_loss.is_finite() && e.final_loss > 0.0);
    assert!(e.latency_ms > 0.0 && e.train_ms > 0.0);
    assert_eq!(e.backend, "cpu");
    assert!(
        report.status.contains("1 candidates evaluated"),
        "{}",
        report.status
    );
}

#[test]
fn random_search_evaluates_the_requested_number_of_candidates() {
    let config = SearchConfig {
        candidates: 3,
        ..tiny(StrategyKind::Random)
    };
    let (evaluations, report) = run_to_end(SearchRun::new(config, Compute::cpu()).unwrap());

    assert_eq!(evaluations.len(), 3);
    assert_eq!(report.fraction, 1.0);
    let best = nasplay::train::best(&evaluations).unwrap();
    assert!(best.accuracy >= 0.5, "best {}", best.accuracy);
    assert!(
        evaluations
            .iter()
            .enumerate()
            .all(|(i, e)| e.index == i + 1)
    );
}

#[test]
fn evolution_reports_every_generation() {
    let config = SearchConfig {
        population: 3,
        generations: 2,
        epochs: 1,
        ..tiny(StrategyKind::Evolution)
    };
    let mut run = SearchRun::new(config, Compute::cpu()).unwrap();
    let mut generations = Vec::new();
    loop {
        let report = block_on(run.step()).unwrap();
        generations.extend(report.generation);
        if report.done {
            break;
        }
    }

    assert_eq!(run.evaluations().len(), 6);
    assert_eq!(
        generations.iter().map(|g| g.generation).collect::<Vec<_>>(),
        [1, 2]
    );
    for g in &generations {
        assert!(g.best >= g.mean && g.mean > 0.1, "{g:?}");
        assert!((0.0..=1.0).contains(&g.diversity));
    }
}

#[test]
fn a_huge_learning_rate_fails_every_candidate_and_stops_the_search_with_advice() {
    // Adam at learning rate 10 leaves some losses finite but far above the
    // uniform-guess loss ln 10; those candidates failed too.
    let config = SearchConfig {
        population: 4,
        generations: 3,
        epochs: 1,
        learning_rate: 10.0,
        ..tiny(StrategyKind::Evolution)
    };
    let (evaluations, report) = run_to_end(SearchRun::new(config, Compute::cpu()).unwrap());

    assert_eq!(evaluations.len(), 4, "stops after the first generation");
    for e in &evaluations {
        assert!(e.status == Status::Failed && e.accuracy.is_nan(), "{e:?}");
        assert!(
            e.reason.as_deref().unwrap().contains("lower learning rate"),
            "{e:?}"
        );
    }
    let message = report.error.expect("a stop message");
    assert!(message.contains("Lower the learning rate"), "{message}");
}
