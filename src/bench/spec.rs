//! Benchmark figures described by serde-able specs, measured one at a time on
//! any backend. The browser's bench page asks the engine for them as JSON, one
//! figure per call, so that it can show progress between figures.

use serde::{Deserialize, Serialize};

use super::flops::{gflops_per_second, matmul_flops, training_step_flops};
use super::inputs::BenchInput;
use super::matmul::time_matmul;
use super::memory::train_candidates;
use super::throughput::{TrainingBench, time_training};
use crate::backend::Compute;
use crate::error::{Error, Result};
use crate::search::{check, check_float, limits};
use crate::space::{Architecture, network_cost};
use crate::train::{Budget, median};

/// Most timed runs, and most steps in one, that a spec may ask for.
const RUNS: (usize, usize) = (1, 100);
const STEPS: (usize, usize) = (1, 1000);
const WARMUP_STEPS: (usize, usize) = (0, 100);
/// Side of the matrices: 4096² f32 is 64 MiB a matrix, within wasm's memory.
const MATMUL_SIZE: (usize, usize) = (16, 4096);
const MEMORY_CANDIDATES: (usize, usize) = (1, 1000);

/// Parses a spec from JSON, naming the spec on a bad key or value.
fn from_json<'a, T: Deserialize<'a>>(what: &str, json: &'a str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::bad_setting(what, e))
}

/// `amount / seconds` for every run, through `rate`.
fn rates(seconds: &[f64], amount: f64, rate: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    seconds.iter().map(|&s| rate(amount, s)).collect()
}

/// Training throughput of one architecture on a fixed batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSpec {
    pub input: BenchInput,
    pub arch: Architecture,
    pub batch: usize,
    pub width: usize,
    pub learning_rate: f64,
    pub warmup_steps: usize,
    pub steps: usize,
    pub runs: usize,
    pub seed: u64,
}

/// What a [`TrainingSpec`] measured: per-run times and rates, their medians,
/// and the arithmetic rate that makes (a step counted as 3 forward passes).
#[derive(Debug, Clone, Serialize)]
pub struct TrainingFigure {
    #[serde(flatten)]
    pub spec: TrainingSpec,
    pub input_label: &'static str,
    pub seconds: Vec<f64>,
    pub images_per_second: f64,
    pub runs_images_per_second: Vec<f64>,
    pub forward_macs_per_image: usize,
    pub step_gflop: f64,
    pub achieved_gflops: f64,
}

impl TrainingSpec {
    /// Parses and checks a spec; unknown keys and bad values are named.
    pub fn from_json(json: &str) -> Result<Self> {
        let spec: Self = from_json("training benchmark", json)?;
        check("batch", spec.batch, limits::BATCH_SIZE)?;
        check("width", spec.width, limits::WIDTH)?;
        check_float("learning_rate", spec.learning_rate, limits::LEARNING_RATE)?;
        check("warmup_steps", spec.warmup_steps, WARMUP_STEPS)?;
        check("steps", spec.steps, STEPS)?;
        check("runs", spec.runs, RUNS)?;
        Ok(spec)
    }

    /// Trains `runs` timed runs of `steps` steps on `compute`.
    pub async fn measure(&self, compute: &Compute) -> Result<TrainingFigure> {
        let batch = self.input.batch(self.batch, self.seed)?;
        let bench = TrainingBench {
            arch: self.arch.clone(),
            width: self.width,
            learning_rate: self.learning_rate,
            warmup_steps: self.warmup_steps,
            steps: self.steps,
            runs: self.runs,
            seed: self.seed,
        };

        let seconds = time_training(&bench, &batch, compute, || {}).await?;

        let images = (self.steps * batch.len()) as f64;
        let runs_images_per_second = rates(&seconds, images, |n, s| n / s);
        let macs = network_cost(&self.arch, &bench.shape(&batch)).flops;
        let step_flops = training_step_flops(macs, batch.len());
        let work = self.steps as f64 * step_flops;
        Ok(TrainingFigure {
            spec: self.clone(),
            input_label: self.input.label(),
            images_per_second: median(&mut runs_images_per_second.clone()),
            achieved_gflops: median(&mut rates(&seconds, work, gflops_per_second)),
            runs_images_per_second,
            seconds,
            forward_macs_per_image: macs,
            step_gflop: step_flops / 1e9,
        })
    }
}

/// The matrix-multiply ceiling: products of two random `n × n` f32 matrices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatmulSpec {
    pub n: usize,
    pub runs: usize,
    pub seed: u64,
}

/// What a [`MatmulSpec`] measured; `gflops` is the median of `runs_gflops`.
#[derive(Debug, Clone, Serialize)]
pub struct MatmulFigure {
    #[serde(flatten)]
    pub spec: MatmulSpec,
    pub seconds: Vec<f64>,
    pub gflops: f64,
    pub runs_gflops: Vec<f64>,
}

impl MatmulSpec {
    /// Parses and checks a spec; unknown keys and bad values are named.
    pub fn from_json(json: &str) -> Result<Self> {
        let spec: Self = from_json("matrix-multiply benchmark", json)?;
        check("n", spec.n, MATMUL_SIZE)?;
        check("runs", spec.runs, RUNS)?;
        Ok(spec)
    }

    /// Times `runs` products (after an untimed one) on `compute`.
    pub async fn measure(&self, compute: &Compute) -> Result<MatmulFigure> {
        let seconds = time_matmul(self.n, self.runs, self.seed, compute).await?;
        let runs_gflops = rates(&seconds, matmul_flops(self.n), gflops_per_second);
        Ok(MatmulFigure {
            spec: self.clone(),
            seconds,
            gflops: median(&mut runs_gflops.clone()),
            runs_gflops,
        })
    }
}

/// Memory over a long run: `candidates` random candidates trained one after
/// another on the digits (no cache), memory read after each checkpoint;
/// `distinct` makes them cycle through that many architectures (see
/// [`train_candidates`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemorySpec {
    pub candidates: usize,
    /// Candidates (1-based) after which memory is read.
    pub checkpoints: Vec<usize>,
    pub depth: usize,
    pub width: usize,
    /// Architectures the candidates cycle through; absent: all different.
    #[serde(default)]
    pub distinct: Option<usize>,
    pub budget: Budget,
    pub seed: u64,
}

/// One memory reading, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemoryReading {
    pub after_candidate: usize,
    pub bytes: u64,
}

/// What a [`MemorySpec`] measured.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryFigure {
    #[serde(flatten)]
    pub spec: MemorySpec,
    pub before_bytes: u64,
    pub after: Vec<MemoryReading>,
}

impl MemorySpec {
    /// Parses and checks a spec; unknown keys and bad values are named.
    pub fn from_json(json: &str) -> Result<Self> {
        let spec: Self = from_json("memory benchmark", json)?;
        check("candidates", spec.candidates, MEMORY_CANDIDATES)?;
        for &checkpoint in &spec.checkpoints {
            check("checkpoints", checkpoint, (1, spec.candidates))?;
        }
        check("depth", spec.depth, limits::DEPTH)?;
        check("width", spec.width, limits::WIDTH)?;
        if let Some(distinct) = spec.distinct {
            check("distinct", distinct, (1, spec.candidates))?;
        }
        check("budget.epochs", spec.budget.epochs, limits::EPOCHS)?;
        check(
            "budget.batch_size",
            spec.budget.batch_size,
            limits::BATCH_SIZE,
        )?;
        check_float(
            "budget.learning_rate",
            spec.budget.learning_rate,
            limits::LEARNING_RATE,
        )?;
        Ok(spec)
    }

    /// Trains the candidates on `compute`, reading memory with `read_bytes`
    /// before the first and after each checkpoint; `on_candidate` gets the
    /// number of every candidate as it finishes.
    pub async fn measure(
        &self,
        compute: &Compute,
        mut read_bytes: impl FnMut() -> u64,
        mut on_candidate: impl FnMut(usize),
    ) -> Result<MemoryFigure> {
        let before_bytes = read_bytes();
        let mut after = Vec::with_capacity(self.checkpoints.len());
        train_candidates(
            self.candidates,
            (self.depth, self.width),
            self.distinct,
            self.budget,
            self.seed,
            compute,
            |number| {
                if self.checkpoints.contains(&number) {
                    after.push(MemoryReading {
                        after_candidate: number,
                        bytes: read_bytes(),
                    });
                }
                on_candidate(number);
            },
        )
        .await?;
        Ok(MemoryFigure {
            spec: self.clone(),
            before_bytes,
            after,
        })
    }
}

#[cfg(test)]
mod tests {
    use futures_lite::future::block_on;

    use super::*;

    const SMALL_TRAINING: &str = r#"{"input": "digits", "arch": "conv3x3,identity",
        "batch": 8, "width": 4, "learning_rate": 0.005, "warmup_steps": 1,
        "steps": 2, "runs": 3, "seed": 1}"#;

    #[test]
    fn a_training_figure_has_one_rate_per_run_and_their_median() {
        let spec = TrainingSpec::from_json(SMALL_TRAINING).unwrap();

        let figure = block_on(spec.measure(&Compute::cpu())).unwrap();

        assert_eq!(figure.seconds.len(), 3);
        let expected: Vec<f64> = figure.seconds.iter().map(|s| 16.0 / s).collect();
        assert_eq!(figure.runs_images_per_second, expected);
        assert_eq!(
            figure.images_per_second,
            median(&mut expected.clone()),
            "median of the runs"
        );
        assert_eq!(figure.input_label, "digits 8x8 (embedded)");
        assert_eq!(
            figure.step_gflop,
            training_step_flops(figure.forward_macs_per_image, 8) / 1e9
        );
    }

    #[test]
    fn a_training_spec_names_an_unknown_input_and_a_bad_count() {
        let unknown = SMALL_TRAINING.replace("\"digits\"", "\"cifar\"");
        let err = TrainingSpec::from_json(&unknown).unwrap_err().to_string();
        assert!(
            err.starts_with("training benchmark: unknown variant `cifar`"),
            "{err}"
        );

        let zero_runs = SMALL_TRAINING.replace("\"runs\": 3", "\"runs\": 0");
        let err = TrainingSpec::from_json(&zero_runs).unwrap_err().to_string();
        assert_eq!(err, "runs must be between 1 and 100, got 0");
    }

    #[test]
    fn a_matmul_figure_rates_each_run_at_two_n_cubed() {
        let spec = MatmulSpec::from_json(r#"{"n": 32, "runs": 2, "seed": 1}"#).unwrap();

        let figure = block_on(spec.measure(&Compute::cpu())).unwrap();

        let expected: Vec<f64> = figure
            .seconds
            .iter()
            .map(|&s| gflops_per_second(matmul_flops(32), s))
            .collect();
        assert_eq!(figure.runs_gflops, expected);
    }

    #[test]
    fn a_matmul_spec_refuses_matrices_too_large_for_wasm_memory() {
        let err = MatmulSpec::from_json(r#"{"n": 10000, "runs": 2, "seed": 1}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "n must be between 16 and 4096, got 10000");
    }

    #[test]
    fn memory_is_read_before_and_at_each_checkpoint_only() {
        let spec = MemorySpec::from_json(
            r#"{"candidates": 3, "checkpoints": [1, 3], "depth": 1, "width": 4,
                "budget": {"epochs": 1, "batch_size": 256, "learning_rate": 0.005},
                "seed": 1}"#,
        )
        .unwrap();
        let mut reads = 0;
        let mut finished = Vec::new();

        let figure = block_on(spec.measure(
            &Compute::cpu(),
            || {
                reads += 1;
                reads * 100
            },
            |number| finished.push(number),
        ))
        .unwrap();

        assert_eq!(figure.before_bytes, 100);
        let after: Vec<(usize, u64)> = figure
            .after
            .iter()
            .map(|r| (r.after_candidate, r.bytes))
            .collect();
        assert_eq!(after, [(1, 200), (3, 300)]);
        assert_eq!(finished, [1, 2, 3]);
    }

    #[test]
    fn a_checkpoint_past_the_last_candidate_is_named() {
        let err = MemorySpec::from_json(
            r#"{"candidates": 3, "checkpoints": [5], "depth": 1, "width": 4,
                "budget": {"epochs": 1, "batch_size": 32, "learning_rate": 0.005},
                "seed": 1}"#,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "checkpoints must be between 1 and 3, got 5");
    }
}
