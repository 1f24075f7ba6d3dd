//! Training and scoring one candidate within a budget.

mod budget;
mod evaluation;
mod latency;
mod trainer;

pub use budget::Budget;
#[cfg(test)]
pub(crate) use evaluation::fake_evaluation;
pub use evaluation::{Evaluation, Status, best};
pub use latency::{measure_latency, median};
pub use trainer::{Split, Step, Trainer};
