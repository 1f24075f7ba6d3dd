//! Strategy behaviour with made-up accuracies: no training, so these run fast
//! and can check many generations. A resumed run is checked the same way: its
//! saved evaluations answer every proposal, so nothing trains.

use futures_lite::future::block_on;

use super::*;
use crate::backend::Compute;
use crate::space::{Architecture, NetShape, Op};
use crate::train::{Evaluation, fake_evaluation};

/// Accuracy that rewards conv3x3: the share of conv3x3 ops.
fn score(arch: &Architecture) -> f64 {
    arch.ops().iter().filter(|&&op| op == Op::Conv3x3).count() as f64 / arch.len() as f64
}

fn settings(population: usize, generations: usize) -> EvolutionSettings {
    EvolutionSettings {
        population,
        generations,
        depth: 4,
        ops: Op::ALL.to_vec(),
        mutation_prob: 0.2,
        tournament: 3,
        selection: Selection::Accuracy,
        latency_target_ms: 1.0,
        seed: 11,
    }
}

/// Drives a strategy with `evaluate` until it is done or stops.
fn drive(
    strategy: &mut dyn Strategy,
    evaluate: impl Fn(&Architecture) -> f64,
) -> (usize, Vec<GenerationStats>, Option<String>) {
    let (mut proposals, mut stats) = (0, Vec::new());
    loop {
        match strategy.propose() {
            Proposal::Evaluate(arch) => {
                proposals += 1;
                stats.extend(strategy.record(&fake_evaluation(&arch, evaluate(&arch))));
            }
            Proposal::Done => return (proposals, stats, None),
            Proposal::Stop(message) => return (proposals, stats, Some(message)),
        }
    }
}

#[test]
fn generational_evolution_evaluates_population_times_generations() {
    let (proposals, stats, stop) = drive(&mut Evolution::new(settings(6, 5)), score);
    assert_eq!((proposals, stats.len(), stop), (30, 5, None));
    assert_eq!(
        stats.iter().map(|s| s.generation).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
}

#[test]
fn evolution_improves_on_a_simple_objective() {
    let (_, stats, _) = drive(&mut Evolution::new(settings(20, 15)), score);
    let (first, last) = (&stats[0], &stats[stats.len() - 1]);
    assert!(
        last.mean > first.mean,
        "mean {} -> {}",
        first.mean,
        last.mean
    );
}

#[test]
fn a_population_of_one_still_breeds_with_a_clamped_tournament() {
    let (proposals, stats, _) = drive(&mut Evolution::new(settings(1, 4)), score);
    assert_eq!((proposals, stats.len()), (4, 4));
}

#[test]
fn an_all_failed_generation_stops_the_search_with_advice() {
    let (proposals, stats, stop) = drive(&mut Evolution::new(settings(4, 3)), |_| f64::NAN);
    assert_eq!((proposals, stats.len()), (4, 1));
    assert!(stop.unwrap().contains("Lower the learning rate"));
}

#[test]
fn failed_members_are_left_out_of_best_and_mean() {
    let arch: Architecture = "identity".parse().unwrap();
    let members = [
        fake_evaluation(&arch, f64::NAN),
        fake_evaluation(&arch, 0.8),
        fake_evaluation(&arch, 0.6),
    ];
    let stats = summarize(1, &members, 0);
    assert_eq!((stats.best, stats.failed), (0.8, 1));
    assert!((stats.mean - 0.7).abs() < 1e-12);
    assert!((stats.diversity - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn tournament_picks_the_best_entrant_when_it_covers_everyone() {
    let archs: Vec<Architecture> = ["identity", "conv3x3", "conv5x5"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    let results: Vec<_> = archs
        .iter()
        .zip([0.2, 0.9, 0.5])
        .map(|(a, acc)| fake_evaluation(a, acc))
        .collect();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
    let parents = select_parents(&results, 5, 3, (Selection::Accuracy, 1.0), &mut rng);
    assert!(parents.iter().all(|p| p == &archs[1]));
}

#[test]
fn pareto_selection_also_breeds_from_the_fast_end_of_the_front() {
    // conv3x3 is accurate and slow, identity inaccurate and fast; conv5x5 is
    // beaten by conv3x3 on both. The two ends of the front tie on rank and
    // crowding, so conv3x3, the earlier, beats identity; identity beats
    // conv5x5, which is of rank 2. Tournaments of two: identity wins the
    // pairs without conv3x3, conv5x5 none.
    let measured = |text: &str, accuracy: f64, latency_ms: f64| Evaluation {
        latency_ms,
        ..fake_evaluation(&text.parse().unwrap(), accuracy)
    };
    let results = [
        measured("conv3x3", 0.9, 4.0),
        measured("identity", 0.3, 0.1),
        measured("conv5x5", 0.8, 9.0),
    ];
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);

    let parents = select_parents(&results, 60, 2, (Selection::Pareto, 1.0), &mut rng);

    let count = |arch: &Architecture| parents.iter().filter(|p| *p == arch).count();
    assert!(count(&results[1].arch) > 0, "the fast front member breeds");
    assert_eq!(count(&results[2].arch), 0, "the dominated one never wins");
    assert!(count(&results[0].arch) > 0);
}

#[test]
fn evolution_with_pareto_selection_runs_its_generations() {
    let pareto = EvolutionSettings {
        selection: Selection::Pareto,
        ..settings(6, 4)
    };

    let (proposals, stats, stop) = drive(&mut Evolution::new(pareto.clone()), score);
    let (aging, _, _) = drive(&mut RegularizedEvolution::new(pareto), score);

    assert_eq!((proposals, stats.len(), stop), (24, 4, None));
    assert_eq!(aging, 24);
}

#[test]
fn evolution_with_reward_selection_runs_its_generations() {
    let reward = EvolutionSettings {
        selection: Selection::Reward,
        latency_target_ms: 0.05,
        ..settings(6, 4)
    };

    let (proposals, stats, stop) = drive(&mut Evolution::new(reward.clone()), score);
    let (aging, _, _) = drive(&mut RegularizedEvolution::new(reward), score);

    assert_eq!((proposals, stats.len(), stop), (24, 4, None));
    assert_eq!(aging, 24);
}

#[test]
fn regularized_evolution_keeps_a_fixed_population_and_reports_per_population() {
    let (proposals, stats, stop) = drive(&mut RegularizedEvolution::new(settings(5, 6)), score);
    assert_eq!((proposals, stats.len(), stop), (30, 6, None));
    assert!(stats.last().unwrap().mean >= stats[0].mean);
}

#[test]
fn random_search_proposes_exactly_the_requested_count_from_enabled_ops() {
    let mut search = RandomSearch::new(7, 3, vec![Op::Identity, Op::AvgPool3x3], 2);
    let mut count = 0;
    while let Proposal::Evaluate(arch) = search.propose() {
        assert!(
            arch.ops()
                .iter()
                .all(|op| matches!(op, Op::Identity | Op::AvgPool3x3))
        );
        count += 1;
    }
    assert_eq!(count, 7);
}

/// The evaluations a search run records when `strategy` is answered with
/// `evaluate`: numbered from 1, with their generation, and the statistics
/// of each generation closed.
fn saved_run(
    strategy: &mut dyn Strategy,
    evaluate: impl Fn(&Architecture) -> f64,
) -> (Vec<Evaluation>, Vec<GenerationStats>) {
    let (mut saved, mut stats) = (Vec::new(), Vec::new());
    while let Proposal::Evaluate(arch) = strategy.propose() {
        let mut evaluation = fake_evaluation(&arch, evaluate(&arch));
        evaluation.index = saved.len() + 1;
        evaluation.generation = strategy.generation();
        stats.extend(strategy.record(&evaluation));
        saved.push(evaluation);
    }
    (saved, stats)
}

/// The search settings that make the strategy of `settings(population, generations)`.
fn evolution_config(population: usize, generations: usize) -> SearchConfig {
    let settings = settings(population, generations);
    SearchConfig {
        strategy: StrategyKind::Evolution,
        seed: settings.seed,
        depth: settings.depth,
        ops: settings.ops,
        mutation_prob: settings.mutation_prob,
        tournament: settings.tournament,
        population,
        generations,
        ..SearchConfig::default()
    }
}

#[test]
fn a_resumed_run_replays_its_saved_evaluations_in_order_without_training() {
    let (saved, saved_stats) = saved_run(&mut Evolution::new(settings(4, 3)), score);
    let run = SearchRun::new(evolution_config(4, 3), Compute::cpu()).unwrap();
    let mut run = run.with_history(saved.clone()).unwrap();

    let mut stats = Vec::new();
    loop {
        let report = block_on(run.step()).unwrap();
        assert!(report.evaluation.is_some() || report.done, "a step trained");
        stats.extend(report.generation);
        if report.done {
            assert_eq!(report.error, None);
            break;
        }
    }

    let replayed = run.evaluations();
    assert_eq!(replayed.len(), 12);
    for (again, before) in replayed.iter().zip(&saved) {
        assert_eq!(again.arch, before.arch);
        assert_eq!(again.accuracy, before.accuracy);
        assert_eq!(
            (again.index, again.generation),
            (before.index, before.generation)
        );
        assert!(again.restored && !before.restored);
        // The saved seed (0 here) is derived again: JavaScript may have rounded it.
        assert_eq!(again.seed, candidate_seed(11, &again.arch));
    }
    assert_eq!(stats, saved_stats);
}

#[test]
fn a_saved_run_that_its_settings_no_longer_propose_stops_with_a_message() {
    let (mut saved, _) = saved_run(&mut Evolution::new(settings(4, 3)), score);
    saved[1].arch = "identity".parse().unwrap();
    let run = SearchRun::new(evolution_config(4, 3), Compute::cpu()).unwrap();
    let mut run = run.with_history(saved).unwrap();

    let first = block_on(run.step()).unwrap();
    let second = block_on(run.step()).unwrap();

    assert!(first.evaluation.unwrap().restored);
    assert!(second.done && second.evaluation.is_none());
    let message = second.error.unwrap();
    assert!(
        message.contains("candidate 2 of the saved run is identity"),
        "{message}"
    );
    assert!(run.is_finished());
}

#[test]
fn a_saved_run_longer_than_its_settings_plan_is_rejected() {
    let (saved, _) = saved_run(&mut RandomSearch::new(3, 4, Op::ALL.to_vec(), 1), score);
    let config = SearchConfig {
        candidates: 2,
        ..SearchConfig::default()
    };

    let run = SearchRun::new(config, Compute::cpu()).unwrap();
    let error = run.with_history(saved).err().unwrap().to_string();

    assert!(
        error.contains("has 3 evaluations") && error.contains("plan 2"),
        "{error}"
    );
}

fn predictor_settings(candidates: usize) -> PredictorSettings {
    PredictorSettings {
        candidates,
        initial: 4,
        picks_per_round: 2,
        pool_size: 60,
        kappa: 0.5,
        depth: 4,
        ops: Op::ALL.to_vec(),
        mutation_prob: 0.2,
        seed: 11,
    }
}

/// The search settings that make the strategy of `predictor_settings(candidates)`.
fn predictor_config(candidates: usize) -> SearchConfig {
    let settings = predictor_settings(candidates);
    SearchConfig {
        strategy: StrategyKind::Predictor,
        seed: settings.seed,
        depth: settings.depth,
        ops: settings.ops,
        candidates,
        initial_candidates: settings.initial,
        picks_per_round: settings.picks_per_round,
        pool_size: settings.pool_size,
        kappa: settings.kappa,
        mutation_prob: settings.mutation_prob,
        ..SearchConfig::default()
    }
}

/// The saved run of a predictor search answered by `score`, each evaluation
/// carrying the guess that proposed it, as `SearchRun` records them.
fn saved_predictor_run(candidates: usize) -> Vec<Evaluation> {
    let mut search = PredictorSearch::new(predictor_settings(candidates), NetShape::DIGITS);
    let mut saved = Vec::new();
    while let Proposal::Evaluate(arch) = search.propose() {
        let mut evaluation = fake_evaluation(&arch, score(&arch));
        evaluation.index = saved.len() + 1;
        evaluation.guess = search.guess_for(&arch);
        search.record(&evaluation);
        saved.push(evaluation);
    }
    saved
}

#[test]
fn predictor_search_trains_its_budget_of_distinct_candidates_guessing_after_the_first_ones() {
    let saved = saved_predictor_run(12);

    let distinct: std::collections::HashSet<_> = saved.iter().map(|e| &e.arch).collect();
    assert_eq!((saved.len(), distinct.len()), (12, 12));
    assert!(saved[..4].iter().all(|e| e.guess.is_none()));
    let rounds: Vec<usize> = saved[4..].iter().map(|e| e.guess.unwrap().round).collect();
    assert_eq!(rounds, [1, 1, 2, 2, 3, 3, 4, 4]);
    assert!(saved[4..].iter().all(|e| e.guess.unwrap().mean.is_finite()));
}

#[test]
fn predictor_search_beats_its_random_start_on_a_simple_objective() {
    let saved = saved_predictor_run(24);

    let best = |evaluations: &[Evaluation]| {
        evaluations
            .iter()
            .map(|e| e.accuracy)
            .fold(f64::NAN, f64::max)
    };
    assert!(
        best(&saved[4..]) > best(&saved[..4]),
        "guessed best {} after a random best {}",
        best(&saved[4..]),
        best(&saved[..4])
    );
}

#[test]
fn predictor_search_stops_with_advice_when_every_initial_candidate_failed() {
    let mut search = PredictorSearch::new(predictor_settings(10), NetShape::DIGITS);

    let (proposals, _, stop) = drive(&mut search, |_| f64::NAN);

    assert_eq!(proposals, 4);
    let message = stop.unwrap();
    assert!(message.contains("nothing to learn from"), "{message}");
    assert!(message.contains("loss became NaN"), "{message}");
}

#[test]
fn predictor_search_ends_early_when_the_space_runs_out() {
    let settings = PredictorSettings {
        depth: 1,
        ops: vec![Op::Conv3x3, Op::Identity, Op::MaxPool3x3],
        initial: 2,
        ..predictor_settings(10)
    };
    let mut search = PredictorSearch::new(settings, NetShape::DIGITS);

    let (proposals, _, stop) = drive(&mut search, score);

    assert_eq!((proposals, stop), (3, None));
}

#[test]
fn a_resumed_predictor_run_replays_to_the_same_proposals_and_guesses() {
    let saved = saved_predictor_run(10);
    let run = SearchRun::new(predictor_config(10), Compute::cpu()).unwrap();
    let mut run = run.with_history(saved.clone()).unwrap();

    while !block_on(run.step()).unwrap().done {}

    let replayed = run.evaluations();
    assert_eq!(replayed.len(), 10);
    for (again, before) in replayed.iter().zip(&saved) {
        assert_eq!(again.arch, before.arch);
        assert_eq!(again.guess, before.guess);
        assert!(again.restored);
    }
}
