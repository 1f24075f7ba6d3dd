//! A real DARTS run on the embedded digits with a tiny budget: α must move,
//! the validation loss must fall, the derived cell must have the right edges
//! and, retrained on its own, score well above chance.

use futures_lite::future::block_on;
use nasplay::backend::Compute;
use nasplay::darts::{DartsConfig, DartsReport, DartsRun, DartsSummary, EDGES_PER_NODE};

fn run_to_end(config: DartsConfig) -> (DartsSummary, Vec<DartsReport>) {
    let mut run = DartsRun::new(config, Compute::cpu()).expect("valid settings");
    let mut reports = Vec::new();
    loop {
        let report = block_on(run.step()).expect("step");
        let done = report.done;
        reports.push(report);
        if done {
            return (run.summary(), reports);
        }
    }
}

#[test]
fn darts_moves_alpha_learns_and_derives_a_cell_that_trains() {
    let config = DartsConfig {
        epochs: 3,
        retrain_epochs: 2,
        ..DartsConfig::default()
    };
    let nodes = config.nodes;
    let (summary, reports) = run_to_end(config);
    assert!(
        reports.iter().all(|r| r.error.is_none()),
        "no error expected"
    );
    assert!(reports.windows(2).all(|w| w[0].fraction <= w[1].fraction));
    assert_eq!(reports.last().unwrap().fraction, 1.0);
    let starts = reports.iter().filter(|r| r.initial_probabilities.is_some());
    assert_eq!(starts.count(), 1, "only the first report carries α's start");
    assert!(reports[0].initial_probabilities.is_some());

    let first = &summary.epochs[0];
    let last = summary.epochs.last().unwrap();
    assert_eq!(summary.epochs.len(), 3);
    let moved = summary
        .initial_probabilities
        .iter()
        .flatten()
        .zip(last.probabilities.iter().flatten())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(moved > 1e-2, "α barely moved: largest change {moved}");
    assert!(
        last.valid_loss < first.valid_loss,
        "validation loss {} → {}",
        first.valid_loss,
        last.valid_loss
    );

    let derivation = summary.derivation.expect("a cell is derived");
    let expected_edges = 1 + (nodes - 2) * EDGES_PER_NODE;
    assert_eq!(derivation.genotype.edges().len(), expected_edges);
    assert_eq!(
        derivation.edges.iter().filter(|e| e.kept).count(),
        expected_edges
    );

    let retrained = summary.retrained.expect("the cell is retrained");
    assert!(retrained.is_ok(), "{:?}", retrained.reason);
    assert!(retrained.accuracy > 0.5, "accuracy {}", retrained.accuracy);
    assert_eq!(retrained.arch, derivation.genotype);
    assert!(retrained.latency_ms > 0.0);
}

#[test]
fn the_seed_decides_the_whole_run() {
    let config = DartsConfig {
        epochs: 1,
        retrain_epochs: 1,
        width: 4,
        nodes: 3,
        ..DartsConfig::default()
    };
    let (a, _) = run_to_end(config.clone());
    let (b, _) = run_to_end(config);
    assert_eq!(a.epochs[0].probabilities, b.epochs[0].probabilities);
    assert_eq!(a.derivation, b.derivation);
    let (ra, rb) = (a.retrained.unwrap(), b.retrained.unwrap());
    assert_eq!(ra.accuracy, rb.accuracy);
}

#[test]
fn a_diverging_search_stops_with_advice() {
    let config = DartsConfig {
        epochs: 2,
        width: 4,
        nodes: 3,
        weight_lr: 10.0,
        alpha_lr: 10.0,
        ..DartsConfig::default()
    };
    let (summary, reports) = run_to_end(config);
    let message = reports
        .last()
        .unwrap()
        .error
        .as_deref()
        .expect("the run stops");
    assert!(
        message.contains("lower the weight learning rate (now 10)"),
        "{message}"
    );
    assert!(summary.derivation.is_none() && summary.retrained.is_none());
}
