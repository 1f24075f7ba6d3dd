//! The native command line: the same engine as the page, on the CPU (flex) or
//! a native GPU through wgpu. `--json` prints one JSON document on stdout;
//! progress goes to stderr.

// The binary's own modules live in `nasplay/`: files directly in `src/bin/`
// would each become a binary of their own.
#[path = "nasplay/bench.rs"]
mod bench;
#[path = "nasplay/bench_text.rs"]
mod bench_text;
#[path = "nasplay/darts.rs"]
mod darts;
#[path = "nasplay/export.rs"]
mod export;
#[path = "nasplay/nb201.rs"]
mod nb201;
#[path = "nasplay/nb201_predictor.rs"]
mod nb201_predictor;
#[path = "nasplay/pareto.rs"]
mod pareto;

use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_json::json;

use nasplay::backend::Compute;
use nasplay::predictor::{Agreement, Quality, chain_quality};
use nasplay::search::{SearchConfig, SearchRun, Selection, StrategyKind};
use nasplay::space::{Architecture, NetShape, Op, network_cost};
use nasplay::train::{Evaluation, best};

#[derive(Parser)]
#[command(
    name = "nasplay",
    version,
    about = "Neural architecture search on real data, trained for real"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Exact parameters and FLOPs of an architecture.
    Params {
        /// Ops joined by commas, e.g. conv3x3,max_pool3x3,conv5x5,identity
        arch: String,
        #[arg(long, default_value_t = 1)]
        in_channels: usize,
        #[arg(long, default_value_t = 10)]
        classes: usize,
        #[arg(long, default_value_t = 32)]
        width: usize,
        /// Height and width of the square input image.
        #[arg(long, default_value_t = 8)]
        input_size: usize,
        #[arg(long)]
        json: bool,
    },
    /// Train one architecture and report its accuracy and latency.
    Train {
        arch: String,
        #[command(flatten)]
        common: Common,
    },
    /// Run a search.
    #[command(subcommand)]
    Search(SearchCommand),
    /// The Pareto front of the results a `search ... --json` printed.
    Pareto(pareto::ParetoArgs),
    /// Benchmarks: training throughput against the matrix-multiply rate,
    /// search cost and memory, as medians of repeated runs (figures only).
    Bench(bench::BenchArgs),
    /// An architecture (chain or cell) as a PyTorch nn.Module source file
    /// that builds the same net, or with --json as a JSON document.
    Export(export::ExportArgs),
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Sample architectures uniformly and train each (nb201: look each up).
    Random {
        /// Candidates to evaluate [default: 10; nb201: 300 queries]
        #[arg(long)]
        candidates: Option<usize>,
        #[command(flatten)]
        space: nb201::SpaceArgs,
        #[command(flatten)]
        common: Common,
    },
    /// The tutorial's generational evolution, or aging evolution with --aging
    /// (nb201: always aging, each child one edge away from its parent).
    Evolution {
        /// Population size [default: 6; nb201: 20]
        #[arg(long)]
        population: Option<usize>,
        /// Generations to run [default: 4; chain only]
        #[arg(long)]
        generations: Option<usize>,
        #[arg(long, default_value_t = 0.2)]
        mutation_prob: f64,
        /// Tournament size; for nb201 the sample whose best is mutated [default: 3; nb201: 5]
        #[arg(long)]
        tournament: Option<usize>,
        /// Regularized (aging) evolution instead of generational.
        #[arg(long)]
        aging: bool,
        /// How a tournament picks a parent: accuracy, pareto (NSGA-II rank
        /// then crowding on accuracy and latency) or reward (MnasNet's
        /// latency-aware reward) [default: accuracy; chain only]
        #[arg(long, value_parser = parse_selection)]
        selection: Option<Selection>,
        /// The latency target of --selection reward, in ms [default: 1]
        #[arg(long)]
        latency_target_ms: Option<f64>,
        /// nb201: table look-ups to spend [default: 300]
        #[arg(long)]
        queries: Option<usize>,
        #[command(flatten)]
        space: nb201::SpaceArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Predictor-based search: an ensemble of small MLPs learns accuracy from
    /// the candidates evaluated so far; each round only the unseen candidates
    /// it rates best (mean + kappa·spread) are trained (nb201: looked up).
    Predictor {
        /// Evaluations to spend: candidates trained [default: 10; nb201: 300 queries]
        #[arg(long)]
        budget: Option<usize>,
        #[command(flatten)]
        space: nb201::SpaceArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Differentiable search (first-order DARTS): train a supernet and α,
    /// derive the cell, retrain it from scratch.
    Darts(darts::DartsArgs),
}

#[derive(Args, Clone)]
struct Common {
    /// digits (8x8, 1,797 images), mnist or fashion (28x28, 10,000 each)
    #[arg(long, default_value = "digits")]
    dataset: String,
    /// Use at most N images of the dataset: a class-stratified sample drawn
    /// from the seed (the digits fit whole)
    #[arg(long, value_name = "N", default_value_t = nasplay::data::DEFAULT_LIMIT)]
    limit: usize,
    #[arg(long)]
    epochs: Option<usize>,
    #[arg(long)]
    batch_size: Option<usize>,
    #[arg(long)]
    lr: Option<f64>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 4)]
    depth: usize,
    #[arg(long, default_value_t = 32)]
    width: usize,
    /// Ops to sample from, comma-separated (default: all seven).
    #[arg(long)]
    ops: Option<String>,
    #[arg(long, value_enum, default_value_t = BackendArg::Cpu)]
    backend: BackendArg,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendArg {
    Cpu,
    Wgpu,
}

/// A failure: exit 2 for bad arguments, 1 for failures while running.
struct Failure(u8, String);

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match nb201::check_options(&matches).and_then(|()| run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, message)) => {
            eprintln!("nasplay: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Params {
            arch,
            in_channels,
            classes,
            width,
            input_size,
            json,
        } => params(
            &arch,
            NetShape {
                in_channels,
                classes,
                width,
                input_size,
            },
            json,
        ),
        Command::Train { arch, common } => {
            let arch: Architecture = arch.parse().map_err(bad_argument("ARCH"))?;
            let config = SearchConfig {
                candidates: 1,
                depth: arch.len(),
                ..config_from(&common, StrategyKind::Random)?
            };
            search(config, &common, Some(arch))
        }
        Command::Search(SearchCommand::Random {
            candidates,
            space,
            common,
        }) if space.is_nb201() => nb201::search(
            nb201::random_settings(candidates, common.seed),
            &space,
            common.json,
        ),
        Command::Search(SearchCommand::Random {
            candidates, common, ..
        }) => {
            let candidates = candidates.unwrap_or(10);
            let config = SearchConfig {
                candidates,
                ..config_from(&common, StrategyKind::Random)?
            };
            search(config, &common, None)
        }
        Command::Search(SearchCommand::Evolution {
            population,
            tournament,
            queries,
            space,
            common,
            ..
        }) if space.is_nb201() => {
            let settings = nb201::evolution_settings(population, tournament, queries, common.seed);
            nb201::search(settings, &space, common.json)
        }
        Command::Search(SearchCommand::Evolution {
            population,
            generations,
            mutation_prob,
            tournament,
            aging,
            selection,
            latency_target_ms,
            common,
            ..
        }) => {
            let strategy = if aging {
                StrategyKind::Regularized
            } else {
                StrategyKind::Evolution
            };
            let config = SearchConfig {
                population: population.unwrap_or(6),
                generations: generations.unwrap_or(4),
                mutation_prob,
                tournament: tournament.unwrap_or(3),
                selection: selection.unwrap_or_default(),
                latency_target_ms: latency_target_ms.unwrap_or(1.0),
                ..config_from(&common, strategy)?
            };
            config.validate().map_err(|e| Failure(2, e.to_string()))?;
            search(config, &common, None)
        }
        Command::Search(SearchCommand::Predictor {
            budget,
            space,
            common,
        }) if space.is_nb201() => nb201_predictor::search(
            nb201_predictor::predictor_settings(budget, common.seed),
            &space,
            common.json,
        ),
        Command::Search(SearchCommand::Predictor { budget, common, .. }) => {
            let defaults = config_from(&common, StrategyKind::Predictor)?;
            let candidates = budget.unwrap_or(defaults.candidates);
            let config = SearchConfig {
                candidates,
                // A budget below the random start is spent on the start alone.
                initial_candidates: defaults.initial_candidates.min(candidates),
                ..defaults
            };
            config
                .validate()
                .map_err(|e| Failure(2, format!("--budget: {e}")))?;
            search(config, &common, None)
        }
        Command::Search(SearchCommand::Darts(args)) => darts::darts(&args),
        Command::Pareto(args) => pareto::pareto(&args),
        Command::Bench(args) => bench::bench(&args),
        Command::Export(args) => export::export(&args),
    }
}

fn parse_selection(text: &str) -> Result<Selection, String> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| format!("\"{text}\" is not a selection; use accuracy, pareto or reward"))
}

fn bad_argument<E: std::fmt::Display>(name: &'static str) -> impl Fn(E) -> Failure {
    move |e| Failure(2, format!("{name}: {e}"))
}

fn params(text: &str, shape: NetShape, json: bool) -> Result<(), Failure> {
    let arch: Architecture = text.parse().map_err(bad_argument("ARCH"))?;
    if shape.width == 0 || shape.classes == 0 || shape.in_channels == 0 || shape.input_size == 0 {
        return Err(Failure(
            2,
            "--width, --classes, --in-channels and --input-size must be at least 1".into(),
        ));
    }
    let cost = network_cost(&arch, &shape);
    if json {
        let per_op: Vec<_> = arch
            .ops()
            .iter()
            .map(|op| json!({"op": op.name(), "params": op.params(shape.width), "flops": op.flops(shape.width, shape.input_size)}))
            .collect();
        print_json(
            &json!({"arch": arch.to_string(), "shape": shape, "params": cost.params, "flops": cost.flops, "ops": per_op}),
        );
    } else {
        println!(
            "{arch}\nparameters: {}\nFLOPs (multiply-adds): {}",
            cost.params, cost.flops
        );
    }
    Ok(())
}

fn config_from(common: &Common, strategy: StrategyKind) -> Result<SearchConfig, Failure> {
    let defaults = SearchConfig::default();
    let ops = match &common.ops {
        Some(list) => Op::parse_list(list).map_err(bad_argument("--ops"))?,
        None => defaults.ops.clone(),
    };
    let config = SearchConfig {
        strategy,
        seed: common.seed,
        dataset: common.dataset.clone(),
        limit: common.limit,
        depth: common.depth,
        width: common.width,
        ops,
        epochs: common.epochs.unwrap_or(defaults.epochs),
        batch_size: common.batch_size.unwrap_or(defaults.batch_size),
        learning_rate: common.lr.unwrap_or(defaults.learning_rate),
        ..defaults
    };
    config.validate().map_err(|e| Failure(2, e.to_string()))?;
    Ok(config)
}

fn search(
    config: SearchConfig,
    common: &Common,
    fixed: Option<Architecture>,
) -> Result<(), Failure> {
    let compute = compute_for(common.backend)?;
    let mut run = match &fixed {
        Some(arch) => SearchRun::single(arch.clone(), config.clone(), compute),
        None => SearchRun::new(config.clone(), compute),
    }
    .map_err(|e| Failure(2, e.to_string()))?;

    let mut generations = Vec::new();
    let stopped = loop {
        let report =
            futures_lite::future::block_on(run.step()).map_err(|e| Failure(1, e.to_string()))?;
        if let Some(evaluation) = &report.evaluation {
            eprintln!("{}", describe(evaluation));
        }
        if let Some(stats) = report.generation {
            eprintln!(
                "generation {}: best {:.3}, mean {:.3}, diversity {:.2}",
                stats.generation, stats.best, stats.mean, stats.diversity
            );
            generations.push(stats);
        }
        if report.done {
            break report.error;
        }
    };
    print_results(
        &config,
        run.evaluations(),
        &generations,
        stopped.as_deref(),
        common.json,
    );
    match stopped {
        Some(message) => Err(Failure(1, message)),
        None => Ok(()),
    }
}

fn compute_for(backend: BackendArg) -> Result<Compute, Failure> {
    match backend {
        BackendArg::Cpu => Ok(Compute::cpu()),
        BackendArg::Wgpu => Compute::native_gpu().map_err(|e| Failure(1, e.to_string())),
    }
}

fn describe(e: &Evaluation) -> String {
    match e.is_ok() {
        true => format!(
            "#{:<3} {:<48} acc {:.3}  loss {:.3}  {} params  {:.2} ms  trained in {:.1} s{}",
            e.index,
            e.arch.to_string(),
            e.accuracy,
            e.final_loss,
            e.params,
            e.latency_ms,
            e.train_ms / 1000.0,
            if e.cached { "  (cached)" } else { "" }
        ),
        false => format!(
            "#{:<3} {:<48} failed: {}",
            e.index,
            e.arch.to_string(),
            e.reason.as_deref().unwrap_or("")
        ),
    }
}

fn print_results(
    config: &SearchConfig,
    evaluations: &[Evaluation],
    generations: &[nasplay::search::GenerationStats],
    stopped: Option<&str>,
    json: bool,
) {
    let top = best(evaluations);
    let quality = (config.strategy == StrategyKind::Predictor).then(|| chain_quality(evaluations));
    if json {
        let mut document = json!({
            "config": config,
            "seed": config.seed,
            "backend": evaluations.first().map(|e| e.backend.clone()),
            "evaluations": evaluations,
            "generations": generations,
            "best": top,
            "stopped": stopped,
        });
        if let Some(quality) = &quality {
            document["quality"] = json!(quality);
        }
        print_json(&document);
        return;
    }
    println!(
        "seed {} · {} candidates evaluated",
        config.seed,
        evaluations.len()
    );
    match top {
        Some(e) => println!(
            "best: {} with validation accuracy {:.4}",
            e.arch, e.accuracy
        ),
        None => println!("no candidate trained successfully"),
    }
    for line in quality.iter().flat_map(chain_quality_lines) {
        println!("{line}");
    }
}

/// The chain predictor's rank quality: per round, then the zero-cost proxy.
fn chain_quality_lines(quality: &Quality) -> Vec<String> {
    let show = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:+.2}"));
    let agreement = |a: &Agreement| {
        format!(
            "Kendall tau {}, Spearman rho {} over {}",
            show(a.kendall_tau),
            show(a.spearman_rho),
            a.n
        )
    };
    let mut lines: Vec<String> = quality
        .rounds
        .iter()
        .map(|r| {
            format!(
                "predictor round {:>2}: {} (up to it: {})",
                r.round,
                agreement(&r.this_round),
                agreement(&r.up_to_round)
            )
        })
        .collect();
    lines.push(format!(
        "zero-cost proxy (gradient norm) against trained accuracy: {}",
        agreement(&quality.proxy)
    ));
    lines
}

fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values always serialize")
    );
}
