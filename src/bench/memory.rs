//! Resident memory of the process, and a long sequence of trained candidates
//! to see whether it grows with the number trained (a leak would).

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;

use crate::backend::Compute;
use crate::data::{VALIDATION_FRACTION, load_digits};
use crate::error::Result;
use crate::search::candidate_seed;
use crate::space::{Architecture, Op};
use crate::train::{Budget, Split, Step, Trainer};

/// Resident set size of the process in KiB: now (`VmRSS`) and the highest it
/// has been (`VmHWM`, the "high water mark").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResidentMemory {
    pub current_kib: u64,
    pub peak_kib: u64,
}

/// Reads `/proc/self/status`; `None` where there is no such file (any system
/// but Linux, and the browser).
pub fn resident_memory() -> Option<ResidentMemory> {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|text| parse_proc_status(&text))
}

/// The `VmRSS` and `VmHWM` lines of a `/proc/PID/status` text, which the
/// kernel writes as `VmHWM:     1234 kB`; `None` if either is missing.
pub fn parse_proc_status(text: &str) -> Option<ResidentMemory> {
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .and_then(|number| number.trim().parse::<u64>().ok())
    };
    Some(ResidentMemory {
        current_kib: field("VmRSS")?,
        peak_kib: field("VmHWM")?,
    })
}

/// Trains `count` random candidates one after another on the digits, each to
/// the end of `budget`, and calls `after` with the 1-based number of each
/// candidate as it finishes. Unlike a search there is no cache: a repeated
/// architecture is trained again, so every candidate allocates a model.
///
/// With `distinct = Some(k)` the candidates cycle through the first `k`
/// random architectures. Memory only shows a leak then: after candidate `k`
/// every model has been built once, so any further growth is memory a
/// finished candidate kept. With `None` each candidate is a new architecture,
/// and a later, bigger model may raise the peak without anything leaking.
pub async fn train_candidates(
    count: usize,
    (depth, width): (usize, usize),
    distinct: Option<usize>,
    budget: Budget,
    seed: u64,
    compute: &Compute,
    mut after: impl FnMut(usize),
) -> Result<()> {
    let dataset = Arc::new(load_digits()?);
    let (train, valid) = dataset.split(VALIDATION_FRACTION, seed);
    let split = Split { train, valid };
    let archs = candidate_architectures(count, depth, distinct, seed);
    for (arch, number) in archs.into_iter().zip(1..) {
        let weights = candidate_seed(seed.wrapping_add(number as u64), &arch);
        let mut trainer = Trainer::new(arch, split.clone(), width, budget, weights, compute);
        while let Step::Trained = trainer.step().await? {}
        after(number);
    }
    Ok(())
}

/// The architectures `train_candidates` trains, in order: `count` random
/// ones from `seed`, or the first `distinct` of them in turn.
fn candidate_architectures(
    count: usize,
    depth: usize,
    distinct: Option<usize>,
    seed: u64,
) -> Vec<Architecture> {
    let mut rng = StdRng::seed_from_u64(seed);
    let drawn = distinct.unwrap_or(count).clamp(1, count.max(1));
    let fresh: Vec<Architecture> = (0..drawn)
        .map(|_| Architecture::random(depth, &Op::ALL, &mut rng))
        .collect();
    fresh.iter().cycle().take(count).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_candidates_cycle_through_the_first_random_architectures() {
        let all = candidate_architectures(6, 3, None, 7);
        let cycled = candidate_architectures(6, 3, Some(2), 7);

        assert_eq!(cycled[..2], all[..2]);
        assert_eq!(cycled[2..4], all[..2]);
        assert_eq!(cycled[4..], all[..2]);
    }

    #[test]
    fn proc_status_lines_give_current_and_peak_in_kib() {
        let text = "Name:\tnasplay\nVmPeak:\t  900 kB\nVmHWM:\t    5120 kB\nVmRSS:\t    4096 kB\n";
        assert_eq!(
            parse_proc_status(text),
            Some(ResidentMemory {
                current_kib: 4096,
                peak_kib: 5120
            })
        );
    }

    #[test]
    fn a_status_without_the_memory_lines_gives_nothing() {
        assert_eq!(parse_proc_status("Name:\tnasplay\nVmRSS:\t12 kB\n"), None);
        assert_eq!(parse_proc_status("VmRSS: lots\nVmHWM: 3 kB\n"), None);
    }

    #[test]
    fn every_trained_candidate_is_reported_in_order() {
        let budget = Budget {
            epochs: 1,
            batch_size: 256,
            learning_rate: 0.005,
        };
        let mut seen = Vec::new();
        futures_lite::future::block_on(train_candidates(
            2,
            (1, 4),
            None,
            budget,
            1,
            &Compute::cpu(),
            |n| seen.push(n),
        ))
        .unwrap();
        assert_eq!(seen, [1, 2]);
    }
}
