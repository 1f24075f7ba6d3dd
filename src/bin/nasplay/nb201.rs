//! `search random|evolution --space nb201`: searches that look NAS-Bench-201
//! cells up in the bundled table instead of training them.

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, ValueEnum};
use serde_json::{Value, json};

use nasplay::Error;
use nasplay::nb201::{
    LookupRun, LookupSettings, LookupStrategy, Nb201Device, Row, SeedSummary, Table, over_seeds,
    run_lookup,
};

use super::nb201_predictor::round_lines;
use super::{Failure, print_json};

/// Which search space a search runs in.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Space {
    /// The chain of ops, each candidate trained on the dataset.
    Chain,
    /// NAS-Bench-201 cells, each looked up in the bundled table (CIFAR-10).
    Nb201,
}

/// Options of the search commands that choose and shape the space.
#[derive(Args, Clone)]
pub struct SpaceArgs {
    /// Search space: the chain (trained) or NAS-Bench-201 cells (looked up).
    #[arg(long, value_enum, default_value_t = Space::Chain)]
    pub space: Space,
    /// nb201: run this many seeds, from --seed on, and report median and mean curves.
    #[arg(long)]
    pub seeds: Option<usize>,
    /// nb201: the device whose latency each query reports as latency_ms
    /// (raspi4, pixel3, eyeriss, fpga).
    #[arg(long, default_value = "pixel3")]
    pub device: Nb201Device,
}

impl SpaceArgs {
    pub fn is_nb201(&self) -> bool {
        self.space == Space::Nb201
    }
}

/// Options that only train (chain) and options that only look up (nb201).
const CHAIN_ONLY: [&str; 10] = [
    "dataset",
    "epochs",
    "batch_size",
    "lr",
    "depth",
    "width",
    "ops",
    "backend",
    "generations",
    "mutation_prob",
];
const NB201_ONLY: [&str; 3] = ["seeds", "device", "queries"];

/// Exit 2 naming any option typed on the command line that the chosen space
/// would otherwise ignore in silence.
pub fn check_options(matches: &ArgMatches) -> Result<(), Failure> {
    let Some((_, search)) = matches
        .subcommand_matches("search")
        .and_then(ArgMatches::subcommand)
    else {
        return Ok(());
    };
    let Ok(Some(&space)) = search.try_get_one::<Space>("space") else {
        return Ok(());
    };
    let typed = |id: &&str| {
        search.try_contains_id(id).unwrap_or(false)
            && search.value_source(id) == Some(ValueSource::CommandLine)
    };
    let flag = |id: &str| format!("--{}", id.replace('_', "-"));
    let misplaced = match space {
        Space::Nb201 => CHAIN_ONLY.into_iter().find(typed).map(|id| {
            format!(
                "{} does not apply to --space nb201: its candidates are looked up in the \
                 NAS-Bench-201 table (CIFAR-10, 200 epochs), not trained; drop it",
                flag(id)
            )
        }),
        Space::Chain => NB201_ONLY.into_iter().find(typed).map(|id| {
            format!(
                "{} applies to --space nb201 only; add --space nb201 or drop it",
                flag(id)
            )
        }),
    };
    misplaced.map_or(Ok(()), |message| Err(Failure(2, message)))
}

/// Random search's settings: `--candidates` queries (default 300).
pub fn random_settings(candidates: Option<usize>, seed: u64) -> LookupSettings {
    let defaults = LookupSettings {
        strategy: LookupStrategy::Random,
        seed,
        ..Default::default()
    };
    LookupSettings {
        queries: candidates.unwrap_or(defaults.queries),
        ..defaults
    }
}

/// Regularized evolution's settings; `--tournament` is the sample size.
pub fn evolution_settings(
    population: Option<usize>,
    tournament: Option<usize>,
    queries: Option<usize>,
    seed: u64,
) -> LookupSettings {
    let defaults = LookupSettings::default();
    LookupSettings {
        strategy: LookupStrategy::Regularized,
        queries: queries.unwrap_or(defaults.queries),
        population: population.unwrap_or(defaults.population),
        sample: tournament.unwrap_or(defaults.sample),
        seed,
        ..defaults
    }
}

/// Runs one look-up search, or `--seeds` of them, and prints the outcome.
pub fn search(settings: LookupSettings, args: &SpaceArgs, json: bool) -> Result<(), Failure> {
    settings
        .validate()
        .map_err(|e| Failure(2, format!("{}: {e}", flag_of(&e, &settings))))?;
    let table = Table::bundled().map_err(|e| Failure(1, e.to_string()))?;
    match args.seeds {
        Some(seeds) => {
            let summary = over_seeds(table, settings, seeds)
                .map_err(|e| Failure(2, format!("--seeds: {e}")))?;
            print_summary(table, &summary, json);
        }
        None => {
            let run = run_lookup(table, settings).map_err(|e| Failure(2, e.to_string()))?;
            print_run(table, &run, args.device, json);
        }
    }
    Ok(())
}

/// The command-line flag that set the field a settings error names.
pub fn flag_of(error: &Error, settings: &LookupSettings) -> &'static str {
    let field = match error {
        Error::OutOfRange { field, .. } => field.as_str(),
        _ => "",
    };
    match (field, settings.strategy) {
        ("queries", LookupStrategy::Random) => "--candidates",
        ("queries", LookupStrategy::Predictor) => "--budget",
        ("queries", _) => "--queries",
        ("population", _) => "--population",
        ("sample", _) => "--tournament",
        _ => "settings",
    }
}

fn describe(settings: &LookupSettings) -> String {
    match settings.strategy {
        LookupStrategy::Random => "random search".to_string(),
        LookupStrategy::Regularized => format!(
            "regularized evolution (population {}, sample {})",
            settings.population, settings.sample
        ),
        LookupStrategy::Predictor => {
            let p = &settings.predictor;
            format!(
                "predictor-based search ({} MLPs; {} random cells, then {} a round, the best by \
                 upper confidence (kappa {}) of {} unseen)",
                p.ensemble.members, p.initial, p.per_round, p.kappa, p.pool
            )
        }
    }
}

pub fn print_run(table: &Table, run: &LookupRun, device: Nb201Device, json: bool) {
    let best = &run.best;
    if json {
        let evaluations: Vec<Value> = run
            .history
            .iter()
            .map(|q| {
                let row = table.lookup(&q.cell);
                let mut evaluation = json!({
                    "index": q.query,
                    "arch": q.cell,
                    "idx": q.idx,
                    "status": "ok",
                    "accuracy": q.accuracy,
                    "params": (row.params_m * 1e6).round() as u64,
                    "flops": (row.flops_m * 1e6).round() as u64,
                    "latency_ms": row.latency_ms(device),
                    "best_so_far": q.best_so_far,
                    "regret": q.regret,
                });
                if let Some(guess) = q.predicted {
                    evaluation["predicted"] = json!(guess);
                }
                evaluation
            })
            .collect();
        let mut document = json!({
            "space": "nb201",
            "strategy": run.settings.strategy,
            "settings": run.settings,
            "seed": run.settings.seed,
            "device": device,
            "evaluations": evaluations,
            "best": best,
            "optimum": table.best(),
        });
        if !run.rounds.is_empty() {
            document["rounds"] = json!(run.rounds);
        }
        print_json(&document);
        return;
    }
    let found_at = run
        .history
        .iter()
        .find(|q| q.best_so_far >= best.accuracy());
    println!(
        "NAS-Bench-201 · {} · seed {} · {} queries (looked up, nothing trained)",
        describe(&run.settings),
        run.settings.seed,
        run.history.len()
    );
    for line in round_lines(&run.rounds) {
        println!("{line}");
    }
    println!(
        "best: {} (idx {}, found at query {})",
        best.cell,
        best.idx,
        found_at.map_or(0, |q| q.query)
    );
    print_row(table, best);
}

fn print_row(table: &Table, row: &Row) {
    let optimum = table.best();
    println!(
        "  CIFAR-10 test accuracy {:.3}% (table best {:.3}%, regret {:.3} points)",
        row.test_accuracy_percent,
        optimum.test_accuracy_percent,
        optimum.test_accuracy_percent - row.test_accuracy_percent
    );
    println!(
        "  params {:.3} M · FLOPs {:.1} M",
        row.params_m, row.flops_m
    );
    for device in Nb201Device::ALL {
        println!(
            "  latency {:<8} {:>8.3} ms ({})",
            device.name(),
            row.latency_ms(device),
            device.description()
        );
    }
}

fn print_summary(table: &Table, summary: &SeedSummary, json: bool) {
    if json {
        print_json(&json!({
            "space": "nb201",
            "strategy": summary.strategy,
            "settings": summary.settings,
            "seeds": summary.seeds,
            "summary": summary,
            "optimum": table.best(),
        }));
        return;
    }
    let queries = summary.settings.queries;
    println!(
        "NAS-Bench-201 · {} · {queries} queries × {} seeds from {} (looked up, nothing trained)",
        describe(&summary.settings),
        summary.seeds.len(),
        summary.settings.seed
    );
    println!(
        "median final best {:.3}% · mean {:.3}% · table best {:.3}% reached by {} of {} seeds",
        summary.median_final_best * 100.0,
        summary.mean_final_best * 100.0,
        table.best().test_accuracy_percent,
        summary.found_best,
        summary.seeds.len()
    );
    let mut checkpoints: Vec<usize> = [10, 30, 100].into_iter().filter(|&q| q < queries).collect();
    checkpoints.push(queries);
    let curve: Vec<String> = checkpoints
        .iter()
        .map(|&q| {
            let (median, mean) = (summary.median_best[q - 1], summary.mean_best[q - 1]);
            format!("{q}: {:.3}% (mean {:.3}%)", median * 100.0, mean * 100.0)
        })
        .collect();
    println!("median best-so-far after {}", curve.join(" · "));
}
