//! Strategy behaviour with made-up accuracies: no training, so these run fast
//! and can check many generations.

use super::*;
use crate::space::{Architecture, Op};
use crate::train::fake_evaluation;

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
    let parents = select_parents(&results, 5, 3, &mut rng);
    assert!(parents.iter().all(|p| p == &archs[1]));
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
