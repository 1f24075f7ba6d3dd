//! `bench`: training throughput, the matrix-multiply ceiling, search cost and
//! memory, as medians over repeated runs on the same inputs. Figures only;
//! nothing here passes or fails on speed (DESIGN §5).

use std::cell::Cell;
use std::sync::Barrier;

use clap::Args;
use futures_lite::future::block_on;
use serde_json::{Value, json};

use nasplay::backend::Compute;
use nasplay::bench::{
    BenchInput, FixedBatch, ResidentMemory, TrainingBench, gflops_per_second, matmul_flops,
    resident_memory, time_matmul, time_search, time_training, train_candidates,
    training_step_flops,
};
use nasplay::search::{SearchConfig, StrategyKind};
use nasplay::space::{Architecture, network_cost};
use nasplay::train::{Budget, median};

use super::bench_text::print_text;
use super::{Failure, print_json};

/// The tutorial's example architecture and a compute-heavy one.
const ARCHS: [&str; 2] = [
    "conv3x3,max_pool3x3,conv5x5,identity",
    "conv5x5,conv5x5,conv5x5,conv5x5",
];
const BATCH: usize = 64;
const LEARNING_RATE: f64 = 0.005;
const WIDTH: usize = 32;
const WARMUP_STEPS: usize = 2;
/// Candidates trained for the memory figures, and after which ones to read it.
const MEMORY_CANDIDATES: usize = 50;
const MEMORY_CHECKPOINTS: [usize; 2] = [5, 50];
/// The memory candidates cycle through this many architectures, so that after
/// the fifth any growth is kept memory, not a bigger model (`train_candidates`).
const MEMORY_DISTINCT: usize = 5;

/// The options of `nasplay bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Timed runs of every measurement; medians are reported.
    #[arg(long, default_value_t = 5)]
    repeats: usize,
    /// Training steps (batches of 64) in each timed run.
    #[arg(long, default_value_t = 10)]
    steps: usize,
    /// Trainers run side by side, comma-separated (e.g. 1,2). Each is
    /// single-threaded (this build's flex has no thread pool), so N trainers
    /// show what N cores give to a search that trains candidates in parallel.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    threads: Vec<usize>,
    /// Side of the square matrices of the matrix-multiply ceiling. Not a power
    /// of two: on the machine of BENCHMARKS.md, 1024 and 2048 came out well
    /// below 2000.
    #[arg(long, default_value_t = 2000)]
    matmul_size: usize,
    /// Seeds the synthetic images, the digits split, the weights and the searches.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Leave out the searches (10 random candidates, 5x4 evolution), which take minutes.
    #[arg(long)]
    skip_search: bool,
    /// Also train 50 small candidates in a row (5 architectures in turn) and
    /// report resident memory.
    #[arg(long)]
    memory: bool,
    #[arg(long)]
    json: bool,
}

pub fn bench(args: &BenchArgs) -> Result<(), Failure> {
    check(args)?;
    let memory = args.memory.then(|| memory_figures(args.seed)).transpose()?;
    let matmul = matmul_figures(args)?;
    let training = training_figures(args, &matmul)?;
    let search = (!args.skip_search)
        .then(|| search_figures(args.seed))
        .transpose()?;

    let document = json!({
        "seed": args.seed,
        "runs": args.repeats,
        "statistic": "median",
        "backend": "cpu (flex)",
        "batch": BATCH,
        "optimizer": "adam",
        "learning_rate": LEARNING_RATE,
        "width": WIDTH,
        "warmup_steps": WARMUP_STEPS,
        "steps_per_run": args.steps,
        "matmul": matmul,
        "training": training,
        "search": search,
        "memory": memory,
    });
    match args.json {
        true => print_json(&document),
        false => print_text(&document),
    }
    Ok(())
}

fn check(args: &BenchArgs) -> Result<(), Failure> {
    let bad = |name: &str, rule: &str, got: String| {
        Err(Failure(2, format!("{name} must be {rule}, got {got}")))
    };
    if args.repeats == 0 {
        return bad("--repeats", "at least 1", args.repeats.to_string());
    }
    if args.steps == 0 {
        return bad("--steps", "at least 1", args.steps.to_string());
    }
    if args.threads.is_empty() || args.threads.iter().any(|&t| t == 0 || t > 256) {
        return bad(
            "--threads",
            "between 1 and 256",
            format!("{:?}", args.threads),
        );
    }
    if !(16..=8192).contains(&args.matmul_size) {
        return bad(
            "--matmul-size",
            "between 16 and 8192",
            args.matmul_size.to_string(),
        );
    }
    Ok(())
}

/// Runs `work` on `threads` threads at once and returns, for each of the
/// `runs` timed runs, the wall time of the slowest thread: every thread starts
/// each run together (a barrier), so that time is the run's wall time.
///
/// `work` gets the callback to make right before each run; a thread that fails
/// early still meets the others at the barrier for its missing runs.
fn side_by_side(
    threads: usize,
    runs: usize,
    work: impl Fn(&mut dyn FnMut()) -> nasplay::Result<Vec<f64>> + Sync,
) -> Result<Vec<f64>, Failure> {
    let barrier = Barrier::new(threads);
    let per_thread: Vec<nasplay::Result<Vec<f64>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let started = Cell::new(0);
                    let result = work(&mut || {
                        started.set(started.get() + 1);
                        barrier.wait();
                    });
                    for _ in started.get()..runs {
                        barrier.wait();
                    }
                    result
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a benchmark thread panicked"))
            .collect()
    });
    let mut slowest = vec![0.0f64; runs];
    for seconds in per_thread {
        let seconds = seconds.map_err(|e| Failure(1, e.to_string()))?;
        for (worst, s) in slowest.iter_mut().zip(seconds) {
            *worst = worst.max(s);
        }
    }
    Ok(slowest)
}

fn matmul_figures(args: &BenchArgs) -> Result<Vec<Value>, Failure> {
    let n = args.matmul_size;
    args.threads
        .iter()
        .map(|&threads| {
            eprintln!("timing {n}x{n} matrix products on {threads} thread(s)…");
            let seconds = side_by_side(threads, args.repeats, |_| {
                block_on(time_matmul(n, args.repeats, args.seed, &Compute::cpu()))
            })?;
            let rates = rates(
                &seconds,
                threads as f64 * matmul_flops(n),
                gflops_per_second,
            );
            Ok(json!({
                "n": n,
                "threads": threads,
                "gflops": median(&mut rates.clone()),
                "runs_gflops": rates,
            }))
        })
        .collect()
}

fn training_figures(args: &BenchArgs, matmul: &[Value]) -> Result<Vec<Value>, Failure> {
    let mut figures = Vec::new();
    for input in BenchInput::ALL {
        let batch = input
            .batch(BATCH, args.seed)
            .map_err(|e| Failure(1, e.to_string()))?;
        for text in ARCHS {
            let arch: Architecture = text.parse().expect("the benchmark architectures parse");
            for (&threads, ceiling) in args.threads.iter().zip(matmul) {
                eprintln!(
                    "training {text} on {} with {threads} trainer(s)…",
                    input.label()
                );
                figures.push(training_figure(
                    args, input, &batch, &arch, threads, ceiling,
                )?);
            }
        }
    }
    Ok(figures)
}

fn training_figure(
    args: &BenchArgs,
    input: BenchInput,
    batch: &FixedBatch,
    arch: &Architecture,
    threads: usize,
    ceiling: &Value,
) -> Result<Value, Failure> {
    let bench = TrainingBench {
        arch: arch.clone(),
        width: WIDTH,
        learning_rate: LEARNING_RATE,
        warmup_steps: WARMUP_STEPS,
        steps: args.steps,
        runs: args.repeats,
        seed: args.seed,
    };
    let seconds = side_by_side(threads, args.repeats, |before_run| {
        block_on(time_training(&bench, batch, &Compute::cpu(), before_run))
    })?;

    let images = (threads * args.steps * batch.len()) as f64;
    let images_per_second = rates(&seconds, images, |n, s| n / s);
    let macs = network_cost(arch, &bench.shape(batch)).flops;
    let step_flops = training_step_flops(macs, batch.len());
    let work = (threads * args.steps) as f64 * step_flops;
    let achieved = median(&mut rates(&seconds, work, gflops_per_second));
    let matmul_gflops = ceiling["gflops"].as_f64().unwrap_or(f64::NAN);
    Ok(json!({
        "input": input.label(),
        "arch": arch.to_string(),
        "threads": threads,
        "images_per_second": median(&mut images_per_second.clone()),
        "runs_images_per_second": images_per_second,
        "forward_macs_per_image": macs,
        "step_gflop": step_flops / 1e9,
        "achieved_gflops": achieved,
        "matmul_gflops": matmul_gflops,
        "share_of_matmul": achieved / matmul_gflops,
    }))
}

/// `amount / seconds` for every run, through `rate`.
fn rates(seconds: &[f64], amount: f64, rate: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    seconds.iter().map(|&s| rate(amount, s)).collect()
}

fn search_figures(seed: u64) -> Result<Vec<Value>, Failure> {
    let random = SearchConfig {
        candidates: 10,
        seed,
        ..SearchConfig::default()
    };
    let evolution = SearchConfig {
        strategy: StrategyKind::Evolution,
        population: 5,
        generations: 4,
        seed,
        ..SearchConfig::default()
    };
    [
        ("random, 10 candidates", random),
        ("evolution, population 5 x 4 generations", evolution),
    ]
    .into_iter()
    .map(|(name, config)| {
        eprintln!("running the {name} search (one run; minutes)…");
        let budget = config.budget();
        let cost =
            block_on(time_search(config, Compute::cpu())).map_err(|e| Failure(1, e.to_string()))?;
        Ok(json!({"search": name, "runs": 1, "budget": budget, "cost": cost}))
    })
    .collect()
}

fn memory_figures(seed: u64) -> Result<Value, Failure> {
    let Some(before) = resident_memory() else {
        return Ok(json!("not available (no /proc/self/status on this system)"));
    };
    let budget = Budget {
        epochs: 1,
        ..Budget::default()
    };
    let (depth, width) = (2, 16);
    eprintln!("training {MEMORY_CANDIDATES} candidates in a row for the memory figures…");
    let mut readings: Vec<(usize, Option<ResidentMemory>)> = Vec::new();
    block_on(train_candidates(
        MEMORY_CANDIDATES,
        (depth, width),
        Some(MEMORY_DISTINCT),
        budget,
        seed,
        &Compute::cpu(),
        |number| {
            if MEMORY_CHECKPOINTS.contains(&number) {
                readings.push((number, resident_memory()));
            }
        },
    ))
    .map_err(|e| Failure(1, e.to_string()))?;
    let after: Vec<Value> = readings
        .into_iter()
        .map(|(candidate, memory)| json!({"after_candidate": candidate, "memory": memory}))
        .collect();
    Ok(json!({
        "candidates": MEMORY_CANDIDATES,
        "depth": depth,
        "width": width,
        "distinct": MEMORY_DISTINCT,
        "budget": budget,
        "before": before,
        "after": after,
    }))
}
