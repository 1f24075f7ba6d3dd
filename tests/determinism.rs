//! One seed decides sampling, the split and weight init: the same search twice
//! gives the same architectures and accuracies. (Its own test binary, so no
//! other test shares the device's random generator meanwhile.)

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::search::{SearchConfig, SearchRun, StrategyKind};

fn outcomes(seed: u64) -> Vec<(String, f64)> {
    let config = SearchConfig {
        strategy: StrategyKind::Random,
        seed,
        candidates: 2,
        epochs: 1,
        depth: 2,
        width: 8,
        ..SearchConfig::default()
    };
    let mut run = SearchRun::new(config, Compute::cpu()).unwrap();
    while !block_on(run.step()).unwrap().done {}
    run.evaluations()
        .iter()
        .map(|e| (e.arch.to_string(), e.accuracy))
        .collect()
}

#[test]
fn the_same_seed_reproduces_architectures_and_accuracies() {
    let first = outcomes(7);
    assert_eq!(first, outcomes(7));
    assert_ne!(
        first.iter().map(|o| &o.0).collect::<Vec<_>>(),
        outcomes(8).iter().map(|o| &o.0).collect::<Vec<_>>()
    );
}
