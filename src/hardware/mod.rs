//! Latency per op: the tutorial's hand-made tables, kept as labelled
//! illustrations, and tables measured on the device the page runs on; and
//! the latency of a whole architecture estimated from either.

mod measure;
mod table;

pub use measure::{OpTiming, measure_ops};
pub use table::{LatencyTable, TableKind, estimate_latency, tutorial_tables};
