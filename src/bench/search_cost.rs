//! What a whole search costs in wall time, run through the same step machine
//! the page and the CLI use.

use serde::Serialize;
use web_time::Instant;

use crate::backend::Compute;
use crate::error::Result;
use crate::search::{SearchConfig, SearchRun};
use crate::train::best;

/// Wall time and outcome of one search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchCost {
    pub seconds: f64,
    /// Candidates evaluated, cache hits included.
    pub evaluations: usize,
    /// Candidates actually trained (cache hits cost nearly nothing).
    pub trained: usize,
    pub best_accuracy: Option<f64>,
    /// Why the search stopped early, if it did (a whole generation failed).
    pub stopped: Option<String>,
}

/// Runs the search `config` describes to its end, from loading the data to
/// the last candidate's latency measurement.
pub async fn time_search(config: SearchConfig, compute: Compute) -> Result<SearchCost> {
    let start = Instant::now();
    let mut run = SearchRun::new(config, compute)?;
    let stopped = loop {
        let report = run.step().await?;
        if report.done {
            break report.error;
        }
    };
    let evaluations = run.evaluations();
    Ok(SearchCost {
        seconds: start.elapsed().as_secs_f64(),
        evaluations: evaluations.len(),
        trained: evaluations.iter().filter(|e| !e.cached).count(),
        best_accuracy: best(evaluations).map(|e| e.accuracy),
        stopped,
    })
}
