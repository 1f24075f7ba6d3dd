//! `search darts`: a first-order DARTS run on the CPU (or a native GPU), its α
//! history, the derived cell and the cell's retrained accuracy.

use clap::Args;

use nasplay::darts::{DartsConfig, DartsReport, DartsRun, DartsSummary, EpochRecord};
use nasplay::space::Op;

use super::{BackendArg, Failure, compute_for, print_json};

#[derive(Args)]
pub struct DartsArgs {
    /// Search epochs [default: 6]
    #[arg(long)]
    epochs: Option<usize>,
    /// Cell nodes, the input node included [default: 4]
    #[arg(long)]
    nodes: Option<usize>,
    /// Channels of every op [default: 8]
    #[arg(long)]
    width: Option<usize>,
    /// Images per weight and α step [default: 64]
    #[arg(long)]
    batch_size: Option<usize>,
    /// Adam's learning rate for the network weights [default: 0.005]
    #[arg(long)]
    lr: Option<f64>,
    /// Adam's learning rate for α [default: 0.01]
    #[arg(long)]
    alpha_lr: Option<f64>,
    /// Keep at most this many identity edges in the derived cell.
    #[arg(long)]
    identity_cap: Option<usize>,
    /// Epochs to retrain the derived cell [default: 4]
    #[arg(long)]
    retrain_epochs: Option<usize>,
    /// Ops every edge mixes, comma-separated (default: all seven).
    #[arg(long)]
    ops: Option<String>,
    #[arg(long, default_value = "digits")]
    dataset: String,
    /// At most this many images of the dataset, a seeded sample that keeps
    /// every class's share [default: 2000]
    #[arg(long)]
    limit: Option<usize>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, value_enum, default_value_t = BackendArg::Cpu)]
    backend: BackendArg,
    #[arg(long)]
    json: bool,
}

fn config_from(args: &DartsArgs) -> Result<DartsConfig, Failure> {
    let defaults = DartsConfig::default();
    let ops = match &args.ops {
        Some(list) => Op::parse_list(list).map_err(|e| Failure(2, format!("--ops: {e}")))?,
        None => defaults.ops.clone(),
    };
    let config = DartsConfig {
        seed: args.seed,
        dataset: args.dataset.clone(),
        limit: args.limit.unwrap_or(defaults.limit),
        ops,
        nodes: args.nodes.unwrap_or(defaults.nodes),
        width: args.width.unwrap_or(defaults.width),
        epochs: args.epochs.unwrap_or(defaults.epochs),
        batch_size: args.batch_size.unwrap_or(defaults.batch_size),
        weight_lr: args.lr.unwrap_or(defaults.weight_lr),
        alpha_lr: args.alpha_lr.unwrap_or(defaults.alpha_lr),
        identity_cap: args.identity_cap,
        retrain_epochs: args.retrain_epochs.unwrap_or(defaults.retrain_epochs),
    };
    config.validate().map_err(|e| Failure(2, e.to_string()))?;
    Ok(config)
}

pub fn darts(args: &DartsArgs) -> Result<(), Failure> {
    let config = config_from(args)?;
    let compute = compute_for(args.backend)?;
    let mut run = DartsRun::new(config, compute).map_err(|e| Failure(2, e.to_string()))?;
    let stopped = loop {
        let report =
            futures_lite::future::block_on(run.step()).map_err(|e| Failure(1, e.to_string()))?;
        log_progress(&report);
        if report.done {
            break report.error;
        }
    };
    let summary = run.summary();
    if args.json {
        let mut value = serde_json::to_value(&summary).expect("summaries serialize");
        value["stopped"] = stopped.clone().into();
        print_json(&value);
    } else {
        print_text(&summary);
    }
    match stopped {
        Some(message) => Err(Failure(1, message)),
        None => Ok(()),
    }
}

fn log_progress(report: &DartsReport) {
    if let Some(epoch) = &report.epoch {
        eprintln!("{}", describe_epoch(epoch));
    }
    if let Some(derivation) = &report.derivation {
        eprintln!("derived cell: {}", derivation.genotype);
    }
    if let Some(retrained) = &report.retrained {
        eprintln!(
            "retrained: accuracy {:.3}, {} params, {:.2} ms latency, {:.1} s",
            retrained.accuracy,
            retrained.params,
            retrained.latency_ms,
            retrained.train_ms / 1000.0
        );
    }
}

fn describe_epoch(e: &EpochRecord) -> String {
    format!(
        "epoch {}: train loss {:.3} acc {:.3} · valid loss {:.3} acc {:.3} · {:.1} s",
        e.epoch,
        e.train_loss,
        e.train_accuracy,
        e.valid_loss,
        e.valid_accuracy,
        e.elapsed_ms / 1000.0
    )
}

fn print_text(summary: &DartsSummary) {
    println!(
        "seed {} · {} search epochs in {:.1} s on {}",
        summary.seed,
        summary.epochs.len(),
        summary.search_ms / 1000.0,
        summary.backend
    );
    let Some(derivation) = &summary.derivation else {
        println!("no cell was derived");
        return;
    };
    println!("derived cell: {}", derivation.genotype);
    for edge in &derivation.edges {
        println!(
            "  {}→{}  {:<12} p = {:.3}{}{}",
            edge.from,
            edge.to,
            edge.best_op.name(),
            edge.probability,
            if edge.kept { "  kept" } else { "" },
            if edge.undecided { "  (undecided)" } else { "" }
        );
    }
    for note in [&derivation.collapse_warning, &derivation.cap_note]
        .into_iter()
        .flatten()
    {
        println!("note: {note}");
    }
    if let Some(e) = &summary.retrained {
        println!(
            "retrained: validation accuracy {:.4}, {} parameters, {:.2} ms latency",
            e.accuracy, e.params, e.latency_ms
        );
    }
}
