//! `search predictor --space nb201`: the predictor-based search on the table,
//! one seed with its rounds, or many seeds raced against random search and
//! regularized evolution.

use serde_json::json;
use web_time::Instant;

use nasplay::nb201::{
    LookupSettings, LookupStrategy, RoundQuality, SeedSummary, Table, over_seeds,
};

use super::nb201::{SpaceArgs, flag_of, print_run};
use super::{Failure, print_json};

/// The predictor's settings for `--budget` queries (default 300).
pub fn predictor_settings(budget: Option<usize>, seed: u64) -> LookupSettings {
    let defaults = LookupSettings {
        strategy: LookupStrategy::Predictor,
        seed,
        ..Default::default()
    };
    LookupSettings {
        queries: budget.unwrap_or(defaults.queries),
        ..defaults
    }
}

/// One seed: its rounds and best. With `--seeds`: all three strategies on
/// those seeds, with the medians at 100 and 300 queries (or the budget).
pub fn search(settings: LookupSettings, args: &SpaceArgs, json: bool) -> Result<(), Failure> {
    settings
        .validate()
        .map_err(|e| Failure(2, format!("{}: {e}", flag_of(&e, &settings))))?;
    let table = Table::bundled().map_err(|e| Failure(1, e.to_string()))?;
    let Some(seeds) = args.seeds else {
        let run =
            nasplay::nb201::run_lookup(table, settings).map_err(|e| Failure(1, e.to_string()))?;
        print_run(table, &run, args.device, json);
        return Ok(());
    };
    let mut raced = Vec::new();
    for strategy in LookupStrategy::ALL {
        let started = Instant::now();
        let summary = over_seeds(
            table,
            LookupSettings {
                strategy,
                ..settings
            },
            seeds,
        )
        .map_err(|e| Failure(2, format!("--seeds: {e}")))?;
        raced.push((summary, started.elapsed().as_secs_f64()));
    }
    match json {
        true => print_race_json(table, &raced),
        false => print_race(table, &raced),
    }
    Ok(())
}

/// Text lines for a run's rounds: the predictor's rank correlations.
pub fn round_lines(rounds: &[RoundQuality]) -> Vec<String> {
    let show = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:+.2}"));
    rounds
        .iter()
        .map(|r| {
            format!(
                "round {:>2} after {:>3} queries: Kendall tau on unseen cells {}, Spearman rho {}, \
                 tau of the round's picks {}",
                r.round,
                r.queries_before,
                show(r.kendall_unseen),
                show(r.spearman_unseen),
                show(r.kendall_picked)
            )
        })
        .collect()
}

fn checkpoints(queries: usize) -> Vec<usize> {
    let mut points: Vec<usize> = [100, 300].into_iter().filter(|&q| q < queries).collect();
    points.push(queries);
    points
}

fn print_race(table: &Table, raced: &[(SeedSummary, f64)]) {
    let first = &raced[0].0;
    let queries = first.settings.queries;
    println!(
        "NAS-Bench-201 · {queries} queries × {} seeds from {} · median best test accuracy \
         (table best {:.3}%)",
        first.seeds.len(),
        first.settings.seed,
        table.best().test_accuracy_percent
    );
    for (summary, seconds) in raced {
        let medians: Vec<String> = checkpoints(queries)
            .iter()
            .map(|&q| format!("{q}: {:.3}%", summary.median_best[q - 1] * 100.0))
            .collect();
        println!(
            "  {:<12} {} · table best found by {} seeds · {seconds:.1} s",
            summary.strategy.name(),
            medians.join(" · "),
            summary.found_best
        );
    }
    let rounds = raced.iter().find_map(|(s, _)| s.rounds.as_ref());
    for round in rounds.into_iter().flatten() {
        println!(
            "  predictor round {:>2} after {:>3} queries: median Kendall tau on unseen cells \
             {:+.2}, Spearman rho {:+.2}, tau of the picks {:+.2}",
            round.round,
            round.queries_before,
            round.median_kendall_unseen,
            round.median_spearman_unseen,
            round.median_kendall_picked
        );
    }
}

fn print_race_json(table: &Table, raced: &[(SeedSummary, f64)]) {
    let strategies: Vec<&SeedSummary> = raced.iter().map(|(s, _)| s).collect();
    let first = strategies[0];
    print_json(&json!({
        "space": "nb201",
        "strategy": "predictor",
        "settings": raced.last().map(|(s, _)| &s.settings),
        "seeds": first.seeds,
        "strategies": strategies,
        "seconds": raced.iter().map(|(s, t)| json!({"strategy": s.strategy, "seconds": t})).collect::<Vec<_>>(),
        "optimum": table.best(),
    }));
}
