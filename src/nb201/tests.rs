//! Look-up searches on the bundled table: determinism, the bookkeeping of each
//! query, and how regularized evolution compares with random search.

use super::*;
use crate::error::Error;

fn table() -> &'static Table {
    Table::bundled().expect("the bundled table parses")
}

fn settings(strategy: LookupStrategy, seed: u64) -> LookupSettings {
    LookupSettings {
        strategy,
        seed,
        ..LookupSettings::default()
    }
}

fn cells(strategy: LookupStrategy, seed: u64) -> Vec<Cell> {
    let run = run_lookup(table(), settings(strategy, seed)).unwrap();
    run.history.iter().map(|q| q.cell).collect()
}

#[test]
fn the_same_seed_replays_each_search_and_another_seed_does_not() {
    for strategy in LookupStrategy::ALL {
        assert_eq!(cells(strategy, 4), cells(strategy, 4), "{strategy}");
        assert_ne!(cells(strategy, 4), cells(strategy, 5), "{strategy}");
    }
}

#[test]
fn evolution_starts_from_the_cells_random_search_draws_with_its_seed() {
    let population = LookupSettings::default().population;

    let random = cells(LookupStrategy::Random, 9);
    let evolution = cells(LookupStrategy::Regularized, 9);

    assert_eq!(random[..population], evolution[..population]);
    assert_ne!(random[population..], evolution[population..]);
}

#[test]
fn every_query_records_the_best_so_far_and_its_regret() {
    let table = table();
    let optimum = table.best().accuracy();

    let run = run_lookup(table, settings(LookupStrategy::Regularized, 2)).unwrap();

    assert_eq!(run.history.len(), 300);
    let mut best = 0.0_f64;
    for (i, query) in run.history.iter().enumerate() {
        best = best.max(query.accuracy);
        assert_eq!(query.query, i + 1);
        assert_eq!(table.lookup(&query.cell).idx, query.idx);
        assert_eq!(query.best_so_far, best);
        assert_eq!(query.regret, optimum - best);
    }
    assert_eq!(run.best.accuracy(), best);
}

#[test]
fn evolved_children_differ_from_some_living_member_in_one_edge() {
    let run = run_lookup(table(), settings(LookupStrategy::Regularized, 3)).unwrap();
    let population = run.settings.population;

    for (i, query) in run.history.iter().enumerate().skip(population) {
        let alive = &run.history[i - population..i];
        let one_edge_away = alive.iter().any(|member| {
            let edges = member.cell.edges().iter().zip(query.cell.edges());
            edges.filter(|(a, b)| a != b).count() == 1
        });
        assert!(
            one_edge_away,
            "query {} has no parent among the living",
            query.query
        );
    }
}

#[test]
fn settings_outside_their_ranges_are_named() {
    let table = table();
    let bad = |settings: LookupSettings| match LookupSearch::new(table, settings) {
        Err(Error::OutOfRange { field, .. }) => field,
        other => panic!("expected a range error, got {:?}", other.err()),
    };
    let base = LookupSettings::default();

    assert_eq!(bad(LookupSettings { queries: 0, ..base }), "queries");
    assert_eq!(
        bad(LookupSettings {
            population: 0,
            ..base
        }),
        "population"
    );
    assert_eq!(
        bad(LookupSettings {
            sample: base.population + 1,
            ..base
        }),
        "sample"
    );
    assert!(over_seeds(table, base, 0).is_err());
}

#[test]
fn the_median_takes_the_middle_or_the_mean_of_the_two_middles() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert!(median(&[]).is_nan());
}

#[test]
fn quartiles_interpolate_between_order_statistics_like_numpy() {
    // numpy.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75]) == [1.75, 2.5, 3.25]
    let values = [4.0, 1.0, 3.0, 2.0];

    assert_eq!(quantile(&values, 0.25), 1.75);
    assert_eq!(quantile(&values, 0.5), median(&values));
    assert_eq!(quantile(&values, 0.75), 3.25);
    assert_eq!(quantile(&[7.0], 0.25), 7.0);
    assert!(quantile(&[], 0.75).is_nan());
}

#[test]
fn regularized_evolution_beats_random_search_over_twenty_seeds() {
    let started = web_time::Instant::now();
    let base = LookupSettings {
        queries: 300,
        seed: 1,
        ..LookupSettings::default()
    };

    let random = over_seeds(
        table(),
        LookupSettings {
            strategy: LookupStrategy::Random,
            ..base
        },
        20,
    )
    .unwrap();
    let evolution = over_seeds(table(), base, 20).unwrap();
    let elapsed = started.elapsed();

    println!(
        "300 queries x 20 seeds in {elapsed:?}: median final best test accuracy \
         regularized {:.3}% (found the best in {} seeds), random {:.3}% ({} seeds)",
        evolution.median_final_best * 100.0,
        evolution.found_best,
        random.median_final_best * 100.0,
        random.found_best,
    );
    assert!(evolution.median_final_best >= random.median_final_best);
    assert!(evolution.mean_final_best > random.mean_final_best);
    assert_eq!(random.final_best.len(), 20);
    assert_eq!(evolution.median_best.len(), 300);
    assert!(evolution.median_best.windows(2).all(|w| w[0] <= w[1]));
    assert!(evolution.median_final_regret >= 0.0);
    for summary in [&random, &evolution] {
        let band = summary
            .lower_quartile_best
            .iter()
            .zip(&summary.median_best)
            .zip(&summary.upper_quartile_best);
        assert!(band.clone().all(|((lo, mid), hi)| lo <= mid && mid <= hi));
        assert_eq!(band.count(), 300);
    }
}

#[test]
fn predictor_settings_are_checked_only_when_the_predictor_runs() {
    let bad_pool = LookupSettings {
        predictor: PredictorSettings {
            pool: 5,
            ..PredictorSettings::default()
        },
        ..LookupSettings::default()
    };
    let field = |settings: LookupSettings| match settings.validate() {
        Err(Error::OutOfRange { field, .. }) => field,
        other => panic!("expected a range error, got {other:?}"),
    };

    assert!(bad_pool.validate().is_ok(), "evolution ignores the pool");
    let predictor = LookupSettings {
        strategy: LookupStrategy::Predictor,
        ..bad_pool
    };
    assert_eq!(field(predictor), "pool");
    let too_many = LookupSettings {
        strategy: LookupStrategy::Predictor,
        queries: CELL_COUNT + 1,
        ..LookupSettings::default()
    };
    assert_eq!(field(too_many), "queries");
}

#[test]
fn settings_written_before_the_predictor_still_read() {
    let json = r#"{"strategy": "random", "queries": 50, "population": 10, "sample": 3, "seed": 2}"#;

    let settings: LookupSettings = serde_json::from_str(json).unwrap();

    assert_eq!(settings.predictor, PredictorSettings::default());
    assert_eq!(
        "predictor".parse::<LookupStrategy>().unwrap(),
        LookupStrategy::Predictor
    );
}

#[test]
fn the_predictor_is_stepped_by_its_own_search_not_lookup_search() {
    let settings = settings(LookupStrategy::Predictor, 1);

    let refused = LookupSearch::new(table(), settings)
        .err()
        .unwrap()
        .to_string();
    let first: Vec<Query> = PredictorSearch::new(table(), settings)
        .unwrap()
        .take(25)
        .collect();

    assert!(refused.contains("PredictorSearch"), "{refused}");
    assert!(first[..20].iter().all(|q| q.predicted.is_none()));
    assert!(first[20..].iter().all(|q| q.predicted.is_some()));
}
