//! The built `nasplay` binary on the commands that need no training: look-up
//! searches over NAS-Bench-201 and the Pareto front of their output.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn nasplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nasplay"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed and print one JSON document.
fn json_of(args: &[&str]) -> Value {
    let output = nasplay(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

/// Runs a command that must exit 2 and returns its message.
fn bad_argument(args: &[&str]) -> String {
    let output = nasplay(args);
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file in the temp folder, unique to this test process and `name`.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("nasplay-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("the temp folder is writable");
    path
}

const RANDOM_NB201: [&str; 9] = [
    "search",
    "random",
    "--space",
    "nb201",
    "--candidates",
    "40",
    "--seed",
    "3",
    "--json",
];

#[test]
fn a_random_nb201_search_prints_its_queries_and_replays_by_seed() {
    let first = json_of(&RANDOM_NB201);

    assert_eq!(first["space"], "nb201");
    assert_eq!(first["evaluations"].as_array().unwrap().len(), 40);
    assert_eq!(first["optimum"]["idx"], 6111);
    let best = first["best"]["accuracy"].as_f64().unwrap();
    assert_eq!(
        first["evaluations"][39]["best_so_far"].as_f64().unwrap(),
        best
    );
    assert_eq!(first, json_of(&RANDOM_NB201));
}

#[test]
fn pareto_reads_a_search_document_and_reports_front_and_hypervolume() {
    let search = json_of(&RANDOM_NB201);
    let file = temp_file("search.json", &search.to_string());

    let report = json_of(&["pareto", file.to_str().unwrap(), "--json"]);

    let points = report["points"].as_array().unwrap();
    assert!(!points.is_empty());
    assert_eq!(report["results"], 40);
    assert_eq!(report["excluded"], 0);
    assert_eq!(report["hypervolume"]["reference_source"], "default");
    assert!(report["hypervolume"]["value"].as_f64().unwrap() > 0.0);
    let first = &points[0]["values"]["accuracy"];
    assert_eq!(first.as_f64(), search["best"]["accuracy"].as_f64());
}

#[test]
fn pareto_groups_duplicates_and_counts_failed_results_in_a_bare_list() {
    let list = r#"[
        {"index": 1, "arch": "a", "status": "ok", "accuracy": 0.9, "latency_ms": 2.0},
        {"index": 2, "arch": "b", "status": "failed", "accuracy": null, "latency_ms": 1.0},
        {"index": 3, "arch": "a", "status": "ok", "accuracy": 0.9, "latency_ms": 2.0},
        {"index": 4, "arch": "c", "status": "ok", "accuracy": 0.5, "latency_ms": 1.0},
        {"index": 5, "arch": "d", "status": "ok", "accuracy": 0.4, "latency_ms": 1.5}
    ]"#;
    let file = temp_file("list.json", list);

    let path = file.to_str().unwrap();
    let report = json_of(&["pareto", path, "--reference", "0,4", "--json"]);

    let members: Vec<Vec<i64>> = report["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["index"].as_i64().unwrap())
        })
        .map(Iterator::collect)
        .collect();
    assert_eq!(members, [vec![1, 3], vec![4]]);
    assert_eq!(report["excluded"], 1);
    assert_eq!(report["excluded_results"][0]["reason"], "failed");
    // Reference (0, 4 ms): 0.9 × (4 − 2) + 0.5 × (2 − 1) = 1.8 + 0.5 = 2.3.
    let volume = report["hypervolume"]["value"].as_f64().unwrap();
    assert!((volume - 2.3).abs() < 1e-12, "{volume}");
}

#[test]
fn evolution_over_seeds_reports_the_median_final_best() {
    let args = [
        "search",
        "evolution",
        "--space",
        "nb201",
        "--queries",
        "100",
        "--seeds",
        "5",
        "--json",
    ];

    let report = json_of(&args);

    assert_eq!(report["strategy"], "regularized");
    assert_eq!(report["seeds"].as_array().unwrap().len(), 5);
    assert_eq!(
        report["summary"]["median_best"].as_array().unwrap().len(),
        100
    );
    let median = report["summary"]["median_final_best"].as_f64().unwrap();
    assert!(median > 0.9 && median <= 0.94373, "{median}");
}

#[test]
fn bad_arguments_exit_2_and_name_the_argument() {
    let err = bad_argument(&["search", "random", "--space", "nb201", "--epochs", "3"]);
    assert!(
        err.contains("--epochs does not apply to --space nb201"),
        "{err}"
    );

    let err = bad_argument(&["search", "random", "--seeds", "3"]);
    assert!(
        err.contains("--seeds applies to --space nb201 only"),
        "{err}"
    );

    let err = bad_argument(&[
        "search",
        "evolution",
        "--space",
        "nb201",
        "--tournament",
        "50",
    ]);
    assert!(
        err.contains("--tournament: sample must be between 1 and 20, got 50"),
        "{err}"
    );

    let err = bad_argument(&["search", "random", "--space", "nb201", "--device", "tpu"]);
    assert!(err.contains("--device") && err.contains("\"tpu\""), "{err}");

    let err = bad_argument(&["pareto", "/nonexistent/results.json"]);
    assert!(
        err.contains("FILE: cannot read /nonexistent/results.json"),
        "{err}"
    );

    let file = temp_file("bad-objectives.json", "[]");
    let err = bad_argument(&[
        "pareto",
        file.to_str().unwrap(),
        "--objectives",
        "accuracy,speed",
    ]);
    assert!(
        err.contains("--objectives") && err.contains("\"speed\""),
        "{err}"
    );

    let err = bad_argument(&["pareto", file.to_str().unwrap(), "--reference", "0,x"]);
    assert!(err.contains("--reference: \"x\" is not a number"), "{err}");
}
