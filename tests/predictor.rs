//! The predictor-based search on the bundled NAS-Bench-201 table, beside random
//! search and regularized evolution on the same seeds. Reference figures
//! (median best test accuracy over 20 seeds from 1, 300 queries): regularized
//! evolution 94.168% after 100 and 94.373% (the table's best) after 300,
//! random search 93.859% after 100 (`nasplay search random|evolution --space
//! nb201 --seeds 20`).

use std::collections::HashSet;

use nasplay::nb201::{LookupSettings, LookupStrategy, Table, compare_strategies, run_lookup};

fn table() -> &'static Table {
    Table::bundled().expect("the bundled table parses")
}

fn predictor(queries: usize, seed: u64) -> LookupSettings {
    LookupSettings {
        strategy: LookupStrategy::Predictor,
        queries,
        seed,
        ..LookupSettings::default()
    }
}

#[test]
fn a_seeded_predictor_search_reports_its_best_after_100_queries_and_replays() {
    let run = run_lookup(table(), predictor(100, 1)).unwrap();
    let again = run_lookup(table(), predictor(100, 1)).unwrap();

    eprintln!(
        "predictor, seed 1, 100 queries: best {} at {:.3}% ({} rounds; Kendall tau on unseen \
         cells by round: {:?})",
        run.best.cell,
        run.best.test_accuracy_percent,
        run.rounds.len(),
        run.rounds
            .iter()
            .map(|r| r.kendall_unseen.map(|t| (t * 100.0).round() / 100.0))
            .collect::<Vec<_>>()
    );
    assert_eq!(run.history, again.history);
    assert_eq!(run.rounds, again.rounds);
    assert_eq!(run.history.len(), 100);
    let distinct: HashSet<_> = run.history.iter().map(|q| q.cell).collect();
    assert_eq!(
        distinct.len(),
        100,
        "the predictor never looks a cell up twice"
    );
}

#[test]
fn the_predictor_guesses_every_cell_after_the_random_start() {
    let run = run_lookup(table(), predictor(60, 2)).unwrap();
    let settings = run.settings.predictor;

    let guessed = run.history.iter().filter(|q| q.predicted.is_some()).count();

    assert_eq!(guessed, 60 - settings.initial);
    assert_eq!(
        run.rounds.len(),
        (60 - settings.initial).div_ceil(settings.per_round)
    );
    for (i, round) in run.rounds.iter().enumerate() {
        assert_eq!(
            round.queries_before,
            settings.initial + i * settings.per_round
        );
        assert_eq!(round.trained_on, round.queries_before);
        let tau = round
            .kendall_unseen
            .expect("500 unseen probe cells are never constant");
        assert!((-1.0..=1.0).contains(&tau));
    }
}

#[test]
fn three_strategies_over_twenty_seeds() {
    let started = std::time::Instant::now();
    let summaries = compare_strategies(table(), predictor(300, 1), 20).unwrap();
    let elapsed = started.elapsed();

    for summary in &summaries {
        eprintln!(
            "{:<12} median best after 100: {:.3}%, after 300: {:.3}% (table best in {} of 20 seeds)",
            summary.strategy.name(),
            summary.median_best[99] * 100.0,
            summary.median_best[299] * 100.0,
            summary.found_best
        );
    }
    let rounds = summaries[2]
        .rounds
        .as_ref()
        .expect("the predictor reports its rounds");
    eprintln!(
        "predictor median Kendall tau on unseen cells by round: {:?}; all three in {elapsed:?}",
        rounds
            .iter()
            .map(|r| (
                r.queries_before,
                (r.median_kendall_unseen * 100.0).round() / 100.0
            ))
            .collect::<Vec<_>>()
    );
    for summary in &summaries {
        assert_eq!(summary.final_best.len(), 20);
        assert!(summary.median_best.windows(2).all(|w| w[0] <= w[1]));
        assert!(summary.median_final_regret >= 0.0);
    }
    assert!(summaries[0].rounds.is_none() && summaries[1].rounds.is_none());
    assert_eq!(rounds.len(), (300 - 20) / 10);

    // The figures README.md and the note report, pinned: a change to
    // a strategy that moves them must update them there too.
    let percent = |value: f64| (value * 100_000.0).round() / 1000.0;
    let reported: Vec<(f64, f64, usize)> = summaries
        .iter()
        .map(|s| {
            (
                percent(s.median_best[99]),
                percent(s.median_best[299]),
                s.found_best,
            )
        })
        .collect();
    assert_eq!(
        reported,
        [
            (93.859, 94.001, 0),
            (94.168, 94.373, 19),
            (94.373, 94.373, 18)
        ]
    );
    let late = &rounds[rounds.len() / 2..];
    assert!(
        late.iter().all(|r| r.median_kendall_unseen > 0.25),
        "the predictor still ranks unseen cells in its later rounds"
    );
}
