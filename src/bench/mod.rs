//! Benchmarks of the engine: training throughput, the machine's matrix-multiply
//! rate, what a search costs in wall time and how much memory a long run keeps.
//!
//! They report figures and never judge them (DESIGN §5): there is no pass or
//! fail on speed, and the unit tests only pin the arithmetic. Timing uses
//! `web_time` and every timed run ends with a read-back, so the work counted
//! was really done; the functions are async so that the same code could run on
//! WebGPU, where synchronous reads panic.

mod flops;
mod inputs;
mod matmul;
mod memory;
mod search_cost;
mod spec;
mod throughput;

pub use flops::{gflops_per_second, matmul_flops, training_step_flops};
pub use inputs::{BenchInput, FixedBatch};
pub use matmul::time_matmul;
pub use memory::{ResidentMemory, parse_proc_status, resident_memory, train_candidates};
pub use search_cost::{SearchCost, time_search};
pub use spec::{
    MatmulFigure, MatmulSpec, MemoryFigure, MemoryReading, MemorySpec, TrainingFigure, TrainingSpec,
};
pub use throughput::{TrainingBench, time_training};
