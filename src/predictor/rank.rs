//! Rank correlations: how well a predictor orders architectures, which is what
//! a search needs from it (the absolute accuracies matter less than the order).
//!
//! Both measures take paired samples and skip every pair in which either side
//! is not finite (NaN or infinite), so a failed evaluation does not poison
//! the whole figure. They give
//! `None` when fewer than two pairs remain, when the lengths differ, or when
//! one side is constant (no order to compare against).

/// Kendall's tau-b: (concordant − discordant) pairs over the geometric mean of
/// the pairs not tied on each side, so ties on one side lower the maximum
/// instead of counting as agreement. In `[-1, 1]`. O(n²), fine for the few
/// hundred points a search round scores.
pub fn kendall_tau(a: &[f64], b: &[f64]) -> Option<f64> {
    let (a, b) = finite_pairs(a, b)?;
    let n = a.len();
    let (mut concordant, mut discordant) = (0u64, 0u64);
    let (mut tied_a, mut tied_b) = (0u64, 0u64);
    for i in 0..n {
        for j in i + 1..n {
            let (da, db) = (a[i] - a[j], b[i] - b[j]);
            match (da == 0.0, db == 0.0) {
                (true, true) => {
                    tied_a += 1;
                    tied_b += 1;
                }
                (true, false) => tied_a += 1,
                (false, true) => tied_b += 1,
                (false, false) if (da > 0.0) == (db > 0.0) => concordant += 1,
                (false, false) => discordant += 1,
            }
        }
    }
    let pairs = (n * (n - 1) / 2) as u64;
    let denominator = (((pairs - tied_a) * (pairs - tied_b)) as f64).sqrt();
    (denominator > 0.0).then(|| (concordant as f64 - discordant as f64) / denominator)
}

/// Spearman's rho: Pearson's correlation of the ranks, tied values sharing
/// the average of the ranks they span. In `[-1, 1]`.
pub fn spearman_rho(a: &[f64], b: &[f64]) -> Option<f64> {
    let (a, b) = finite_pairs(a, b)?;
    pearson(&average_ranks(&a), &average_ranks(&b))
}

/// The pairs where both sides are finite (a NaN or an infinity has no rank
/// to compare: inf − inf is NaN); `None` for unequal lengths or fewer than
/// two such pairs.
fn finite_pairs(a: &[f64], b: &[f64]) -> Option<(Vec<f64>, Vec<f64>)> {
    if a.len() != b.len() {
        return None;
    }
    let (a, b): (Vec<f64>, Vec<f64>) = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(&x, &y)| (x, y))
        .unzip();
    (a.len() >= 2).then_some((a, b))
}

/// 1-based ranks; a run of equal values gets the mean of its ranks.
fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let shared = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = shared;
        }
        start = end;
    }
    ranks
}

/// Pearson's correlation; `None` when either side has no variance.
fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (mean_a, mean_b) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut cov, mut var_a, mut var_b) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - mean_a, y - mean_b);
        cov += dx * dy;
        var_a += dx * dx;
        var_b += dy * dy;
    }
    (var_a > 0.0 && var_b > 0.0).then(|| cov / (var_a * var_b).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: Option<f64>, want: f64) -> bool {
        got.is_some_and(|g| (g - want).abs() < 1e-9)
    }

    #[test]
    fn the_same_order_scores_one_and_the_reverse_minus_one() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let scaled = [10.0, 20.0, 35.0, 41.0, 90.0];
        let reversed = [5.0, 4.0, 3.0, 2.0, 1.0];

        assert!(close(kendall_tau(&a, &scaled), 1.0));
        assert!(close(spearman_rho(&a, &scaled), 1.0));
        assert!(close(kendall_tau(&a, &reversed), -1.0));
        assert!(close(spearman_rho(&a, &reversed), -1.0));
    }

    #[test]
    fn ties_give_tau_b_as_computed_by_hand() {
        // Pairs of [1, 2, 2, 3] vs [1, 3, 2, 4]: five concordant, none
        // discordant, one tied in a only: 5 / sqrt((6 - 1) * (6 - 0)).
        let tau = kendall_tau(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]);
        assert!(close(tau, 5.0 / 30f64.sqrt()), "{tau:?}");

        // [1..5] vs [1, 1, 2, 4, 3]: eight concordant, one discordant, one
        // tied in b: 7 / sqrt(10 * 9).
        let tau = kendall_tau(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 1.0, 2.0, 4.0, 3.0]);
        assert!(close(tau, 7.0 / 90f64.sqrt()), "{tau:?}");
    }

    #[test]
    fn tied_values_share_their_average_rank() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0]),
            vec![3.5, 1.0, 3.5, 2.0]
        );
        // Ranks [1, 2.5, 2.5, 4] against [1, 3, 2, 4]: Pearson 4.5 / sqrt(4.5 * 5).
        let rho = spearman_rho(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]);
        assert!(close(rho, 4.5 / 22.5f64.sqrt()), "{rho:?}");
    }

    #[test]
    fn a_constant_side_too_few_pairs_or_unequal_lengths_give_none() {
        let a = [1.0, 2.0, 3.0];

        assert_eq!(kendall_tau(&a, &[7.0, 7.0, 7.0]), None);
        assert_eq!(spearman_rho(&[7.0, 7.0, 7.0], &a), None);
        assert_eq!(kendall_tau(&[1.0], &[2.0]), None);
        assert_eq!(spearman_rho(&a, &[1.0, 2.0]), None);
    }

    #[test]
    fn pairs_with_a_nan_are_skipped() {
        let a = [1.0, f64::NAN, 2.0, 3.0];
        let b = [1.0, 9.0, 2.0, f64::NAN];

        assert!(close(kendall_tau(&a, &b), 1.0));
        assert_eq!(kendall_tau(&[f64::NAN, 1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn pairs_with_an_infinity_are_skipped() {
        // With the infinities kept, inf − inf would decide two pairs by chance.
        let a = [1.0, f64::INFINITY, 2.0, 3.0, f64::INFINITY];
        let b = [1.0, 0.0, 2.0, 3.0, f64::NEG_INFINITY];

        assert!(close(kendall_tau(&a, &b), 1.0));
        assert!(close(spearman_rho(&a, &b), 1.0));
    }
}
