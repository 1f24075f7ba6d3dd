//! The text form of what `bench` measured: the same document `--json`
//! prints, as tables a person reads.

use serde_json::Value;

/// Prints the bench document: the settings first (runs, seed, statistic), then
/// one block per measurement.
pub fn print_text(doc: &Value) {
    println!(
        "nasplay bench · {} (single-threaded kernels) · seed {} · medians of {} timed runs",
        text(&doc["backend"]),
        doc["seed"],
        doc["runs"]
    );
    println!(
        "training: batch {}, Adam lr {}, width {}, {} steps a run after {} warm-up steps",
        doc["batch"], doc["learning_rate"], doc["width"], doc["steps_per_run"], doc["warmup_steps"]
    );
    if let Some(memory) = doc.get("memory").filter(|m| !m.is_null()) {
        print_memory(memory);
    }

    println!("\nmatrix-multiply ceiling (f32, 2·n³ flops a product):");
    for m in rows(&doc["matmul"]) {
        println!(
            "  {n}x{n}, {} thread(s): {:.1} GFLOP/s (runs {})",
            m["threads"],
            number(&m["gflops"]),
            spread(&m["runs_gflops"], 1),
            n = m["n"]
        );
    }

    println!("\ntraining throughput (a step ≈ 3 forward passes, 2 flops a multiply-add):");
    println!(
        "  {:<31} {:<37} {:>7} {:>9} {:>8} {:>8}  images/s of each run",
        "input", "arch", "threads", "images/s", "GFLOP/s", "% matmul"
    );
    for t in rows(&doc["training"]) {
        println!(
            "  {:<31} {:<37} {:>7} {:>9.0} {:>8.2} {:>7.1}%  {}",
            text(&t["input"]),
            text(&t["arch"]),
            t["threads"],
            number(&t["images_per_second"]),
            number(&t["achieved_gflops"]),
            100.0 * number(&t["share_of_matmul"]),
            spread(&t["runs_images_per_second"], 0)
        );
    }

    match doc["search"].as_array() {
        None => println!("\nsearch cost: skipped (--skip-search)"),
        Some(searches) => {
            println!("\nsearch cost (default budget, one run each):");
            for s in searches {
                let cost = &s["cost"];
                println!(
                    "  {:<42} {:>7.1} s  {} evaluated, {} trained, best accuracy {}{}",
                    text(&s["search"]),
                    number(&cost["seconds"]),
                    cost["evaluations"],
                    cost["trained"],
                    match cost["best_accuracy"].as_f64() {
                        Some(a) => format!("{a:.3}"),
                        None => "none".into(),
                    },
                    match cost["stopped"].as_str() {
                        Some(why) => format!(" (stopped: {why})"),
                        None => String::new(),
                    }
                );
            }
        }
    }
}

fn print_memory(memory: &Value) {
    let Some(before) = memory.get("before") else {
        println!("\nresident memory: {}", text(memory));
        return;
    };
    println!(
        "\nresident memory over {} candidates trained in a row, {} architectures in turn \
         (depth {}, width {}, 1 epoch):",
        memory["candidates"], memory["distinct"], memory["depth"], memory["width"]
    );
    let line = |label: String, m: &Value| match m.is_null() {
        true => println!("  {label:<22} not available"),
        false => println!(
            "  {label:<22} peak (VmHWM) {:>7.1} MiB, now (VmRSS) {:>7.1} MiB",
            number(&m["peak_kib"]) / 1024.0,
            number(&m["current_kib"]) / 1024.0
        ),
    };
    line("before".into(), before);
    for reading in rows(&memory["after"]) {
        line(
            format!("after candidate {}", reading["after_candidate"]),
            &reading["memory"],
        );
    }
}

/// Lowest–highest of the runs, so a reader sees how noisy the median is.
fn spread(runs: &Value, decimals: usize) -> String {
    let values: Vec<f64> = rows(runs).iter().map(number).collect();
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match values.is_empty() {
        true => "none".into(),
        false => format!("{low:.decimals$}–{high:.decimals$}"),
    }
}

fn rows(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}
