//! Training and scoring one candidate within a budget.

mod budget;
mod design;
mod evaluation;
mod latency;
mod trainer;

pub use budget::Budget;
pub use design::Design;
#[cfg(test)]
pub(crate) use evaluation::fake_evaluation;
pub use evaluation::{Evaluation, RoundGuess, Status, best};
pub use latency::{measure_latency, median};
pub use trainer::{Split, Step, Trainer};
pub(crate) use trainer::{batch_tensors, read_floats};
