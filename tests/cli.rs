//! The built `nasplay` binary on the commands that need no training: look-up
//! searches over NAS-Bench-201 and the Pareto front of their output; and one
//! tiny training on a small sample of the bundled MNIST.

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

#[test]
fn train_on_a_small_mnist_sample_builds_the_net_for_28x28_images() {
    let args = [
        "train",
        "conv3x3",
        "--dataset",
        "mnist",
        "--limit",
        "1000",
        "--epochs",
        "1",
        "--width",
        "8",
        "--json",
    ];

    let report = json_of(&args);
    let cost = json_of(&[
        "params",
        "conv3x3",
        "--width",
        "8",
        "--input-size",
        "28",
        "--json",
    ]);

    assert_eq!(report["config"]["dataset"], "mnist");
    assert_eq!(report["config"]["limit"], 1000);
    let evaluation = &report["evaluations"][0];
    assert_eq!(evaluation["status"], "ok", "{evaluation}");
    // 800 training images, one epoch: above the 0.1 of chance, far from good.
    let accuracy = evaluation["accuracy"].as_f64().unwrap();
    assert!(accuracy > 0.1 && accuracy <= 1.0, "{accuracy}");
    assert_eq!(evaluation["flops"], cost["flops"], "FLOPs of a 28x28 input");
}

#[test]
fn an_unknown_dataset_or_a_tiny_limit_exits_2_and_names_it() {
    let err = bad_argument(&["train", "conv3x3", "--dataset", "cifar"]);
    assert!(
        err.contains("dataset: \"cifar\" is not a dataset; choose digits, mnist or fashion"),
        "{err}"
    );

    let err = bad_argument(&["train", "conv3x3", "--dataset", "mnist", "--limit", "10"]);
    assert!(
        err.contains("limit must be between 50 and 100000, got 10"),
        "{err}"
    );

    let err = bad_argument(&["train", "conv3x3", "--dataset", "upload"]);
    assert!(
        err.contains("dataset upload: your own files can be chosen in the page"),
        "{err}"
    );
}

#[test]
fn export_prints_a_pytorch_file_or_the_architecture_as_json() {
    let arch = "conv3x3,max_pool3x3,conv5x5,identity";
    let output = nasplay(&["export", arch, "--in-channels", "3"]);
    let source = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(source.contains("class NasplayNet(nn.Module):"));
    // DESIGN §4: PyTorch counts 36,298 parameters for this net with 3 channels.
    assert!(source.contains("EXPECTED_PARAMETERS = 36298\n"), "{source}");

    let document = json_of(&["export", arch, "--in-channels", "3", "--json"]);
    assert_eq!(document["format"], "nasplay-architecture");
    assert_eq!(document["params"], 36_298);

    let cell = json_of(&["export", "n1 = conv3x3(n0) | n2 = identity(n1)", "--json"]);
    assert_eq!(cell["kind"], "cell");
    assert_eq!(cell["nodes"], 3);
}

#[test]
fn export_of_a_bad_architecture_or_shape_exits_2_and_names_it() {
    let err = bad_argument(&["export", "conv3x3,conv7x7"]);
    assert!(
        err.contains("ARCH: unknown op \"conv7x7\" at item 2"),
        "{err}"
    );

    let err = bad_argument(&["export", "conv3x3", "--classes", "0"]);
    assert!(
        err.contains("classes must be between 1 and 4096, got 0"),
        "{err}"
    );
}

#[test]
fn search_darts_prints_the_alpha_history_the_cell_and_its_retrained_accuracy() {
    let out = json_of(&[
        "search",
        "darts",
        "--epochs",
        "2",
        "--nodes",
        "3",
        "--width",
        "4",
        "--retrain-epochs",
        "3",
        "--ops",
        "conv3x3,identity",
        "--seed",
        "5",
        "--json",
    ]);
    assert_eq!(out["seed"], 5);
    assert_eq!(out["ops"], serde_json::json!(["conv3x3", "identity"]));
    assert_eq!(out["edges"], serde_json::json!(["0→1", "0→2", "1→2"]));
    let epochs = out["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 2);
    for epoch in epochs {
        let rows = epoch["probabilities"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        for row in rows {
            let sum: f64 = row
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_f64().unwrap())
                .sum();
            assert!(
                (sum - 1.0).abs() < 1e-5,
                "a softmax row sums to 1, got {sum}"
            );
        }
    }
    let genotype = out["derivation"]["genotype"].as_str().unwrap();
    assert!(
        genotype.starts_with("n1 = ") && genotype.contains(" | n2 = "),
        "{genotype}"
    );
    assert_eq!(out["retrained"]["arch"], genotype);
    assert_eq!(out["retrained"]["status"], "ok");
    assert!(out["retrained"]["accuracy"].as_f64().unwrap() > 0.1);
    assert!(out["stopped"].is_null());
}

#[test]
fn search_darts_names_a_bad_setting() {
    let message = bad_argument(&["search", "darts", "--nodes", "9"]);
    assert!(
        message.contains("nodes must be between 2 and 6, got 9"),
        "{message}"
    );
    let message = bad_argument(&["search", "darts", "--ops", "conv3x3,conv7x7"]);
    assert!(message.contains("conv7x7"), "{message}");
}

#[test]
fn a_chain_predictor_search_prints_its_guesses_and_their_rank_quality() {
    let args = [
        "search",
        "predictor",
        "--budget",
        "5",
        "--epochs",
        "1",
        "--depth",
        "2",
        "--width",
        "8",
        "--seed",
        "4",
        "--json",
    ];

    let document = json_of(&args);

    let evaluations = document["evaluations"].as_array().unwrap();
    assert_eq!(evaluations.len(), 5);
    assert_eq!(document["config"]["strategy"], "predictor");
    assert!(evaluations[..4].iter().all(|e| e["guess"].is_null()));
    assert_eq!(evaluations[4]["guess"]["round"], 1);
    assert!(
        evaluations
            .iter()
            .all(|e| e["zero_cost"].as_f64().is_some())
    );
    let successes = evaluations.iter().filter(|e| e["status"] == "ok").count();
    assert_eq!(document["quality"]["proxy"]["n"], successes);
    assert!(document["quality"]["rounds"].is_array());
}
