//! A search whose GPU device was lost mid-candidate goes on, on another
//! backend, from the evaluations it kept: the lost candidate is recorded as
//! failed with the reason, and every later one trains as it would have. (Its
//! own test binary, so no other test shares the device's random generator.)

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::search::{SearchConfig, SearchRun, StrategyKind};
use nasplay::space::Op;
use nasplay::train::{Evaluation, Status};

const REASON: &str = "the GPU device was lost (destroyed)";

fn tiny(strategy: StrategyKind) -> SearchConfig {
    SearchConfig {
        strategy,
        seed: 3,
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

/// Steps `run` to its end, or until it has `stop_after` evaluations.
fn drive(run: &mut SearchRun, stop_after: usize) {
    while run.evaluations().len() < stop_after {
        let report = block_on(run.step()).expect("step");
        assert_eq!(report.error, None);
        if report.done {
            break;
        }
    }
}

/// Runs `config` whole, then again lost after `kept` candidates and resumed.
fn whole_and_lost(config: SearchConfig, kept: usize) -> (Vec<Evaluation>, Vec<Evaluation>) {
    let mut whole = SearchRun::new(config.clone(), Compute::cpu()).unwrap();
    drive(&mut whole, usize::MAX);

    let mut interrupted = SearchRun::new(config.clone(), Compute::cpu()).unwrap();
    drive(&mut interrupted, kept);
    let saved = interrupted.evaluations().to_vec();
    drop(interrupted);
    let mut resumed = SearchRun::new(config, Compute::cpu())
        .unwrap()
        .with_history(saved)
        .unwrap()
        .with_lost_candidate(REASON.into());
    drive(&mut resumed, usize::MAX);
    (whole.evaluations().to_vec(), resumed.evaluations().to_vec())
}

#[test]
fn the_lost_candidate_fails_with_its_reason_and_the_search_goes_on() {
    // Random search: later proposals do not depend on results, so every
    // candidate but the lost one ends as in the uninterrupted run.
    let (whole, resumed) = whole_and_lost(tiny(StrategyKind::Random), 1);

    assert_eq!(resumed.len(), whole.len());
    let lost = &resumed[1];
    assert_eq!(lost.arch, whole[1].arch);
    assert_eq!(lost.status, Status::Failed);
    assert_eq!(lost.reason.as_deref(), Some(REASON));
    assert!(lost.accuracy.is_nan() && !lost.is_ok());
    assert_eq!((lost.params, lost.flops), (whole[1].params, whole[1].flops));
    assert_eq!(lost.backend, "webgpu");
    assert!(resumed[0].restored && !lost.restored && !resumed[2].restored);
    for index in [0, 2] {
        assert_eq!(resumed[index].arch, whole[index].arch);
        assert_eq!(
            resumed[index].accuracy.to_bits(),
            whole[index].accuracy.to_bits()
        );
    }

    // Evolution: the lost member counts as failed in its generation, and the
    // search still spends its whole budget.
    let (whole, resumed) = whole_and_lost(tiny(StrategyKind::Evolution), 2);
    assert_eq!(resumed.len(), whole.len());
    assert_eq!(resumed[2].reason.as_deref(), Some(REASON));
    assert_eq!(
        resumed
            .iter()
            .filter(|e| e.status == Status::Failed)
            .count(),
        1 + whole.iter().filter(|e| e.status == Status::Failed).count()
    );

    // A space of two architectures, so the lost one comes up again: it must
    // train then, not answer with the lost device's failure from the cache.
    let two = SearchConfig {
        depth: 1,
        ops: vec![Op::Identity, Op::AvgPool3x3],
        candidates: 4,
        ..tiny(StrategyKind::Random)
    };
    let (_, resumed) = whole_and_lost(two, 0);
    let lost = &resumed[0];
    assert_eq!(lost.reason.as_deref(), Some(REASON));
    let again = resumed[1..]
        .iter()
        .find(|e| e.arch == lost.arch)
        .expect("with two architectures and four draws the lost one recurs for seed 3");
    assert!(!again.cached && again.reason.as_deref() != Some(REASON));
    assert_eq!(again.backend, "cpu");
}
