//! The table's cells seen from its devices: the most accurate ones, and the
//! most accurate one within a latency budget on one device.

use super::device::Nb201Device;
use super::table::{Row, Table};

/// The `n` most accurate cells, best first; equal accuracies by index.
pub fn most_accurate(table: &Table, n: usize) -> Vec<&Row> {
    let mut rows: Vec<&Row> = table.rows().iter().collect();
    rows.sort_by(|a, b| {
        b.accuracy()
            .total_cmp(&a.accuracy())
            .then(a.idx.cmp(&b.idx))
    });
    rows.truncate(n);
    rows
}

/// The most accurate cell whose latency on `device` is at most `target_ms`,
/// and how many cells meet the target: the optimum a latency-constrained
/// search on that device aims at, found by looking every cell up. `None`
/// when no cell is that fast.
pub fn best_within(table: &Table, device: Nb201Device, target_ms: f64) -> (Option<&Row>, usize) {
    let within: Vec<&Row> = table
        .rows()
        .iter()
        .filter(|row| row.latency_ms(device) <= target_ms)
        .collect();
    let best = within.iter().copied().max_by(|a, b| {
        a.accuracy()
            .total_cmp(&b.accuracy())
            .then(b.idx.cmp(&a.idx))
    });
    (best, within.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static Table {
        Table::bundled().expect("the bundled table parses")
    }

    #[test]
    fn the_most_accurate_come_first_and_start_with_the_tables_best() {
        let top = most_accurate(table(), 5);
        assert_eq!(top.len(), 5);
        assert_eq!(top[0].idx, table().best().idx);
        assert!(top.windows(2).all(|w| w[0].accuracy() >= w[1].accuracy()));
    }

    #[test]
    fn best_within_a_budget_is_the_most_accurate_of_the_cells_that_meet_it() {
        for device in Nb201Device::ALL {
            let (loose, all) = best_within(table(), device, f64::INFINITY);
            assert_eq!(
                (loose.unwrap().accuracy(), all),
                (table().best().accuracy(), table().len())
            );

            let median = {
                let mut latencies: Vec<f64> = table()
                    .rows()
                    .iter()
                    .map(|r| r.latency_ms(device))
                    .collect();
                latencies.sort_by(f64::total_cmp);
                latencies[latencies.len() / 2]
            };
            let (best, count) = best_within(table(), device, median);
            let best = best.unwrap();
            assert!(best.latency_ms(device) <= median);
            assert!(count >= table().len() / 2);
            let beaten = table()
                .rows()
                .iter()
                .any(|r| r.latency_ms(device) <= median && r.accuracy() > best.accuracy());
            assert!(
                !beaten,
                "{device}: a faster-than-budget cell is more accurate"
            );
            assert_eq!(best_within(table(), device, 0.0), (None, 0));
        }
    }
}
