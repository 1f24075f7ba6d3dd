//! Sequences of accuracies or fractions as the search charts receive them, and
//! the checks that decide which values can be drawn.

use serde::{Deserialize, Serialize};

use super::json::numbers_or_nan;
use super::{axis, frame};

/// One search method's accuracies, one per evaluated candidate, in evaluation
/// order. A NaN (`null` in JSON) is a candidate that failed to train.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccuracySeries {
    /// The method, shown in the legend ("Random", "Evolution"); may be left out.
    #[serde(default)]
    pub name: String,
    /// Validation accuracies in [0, 1].
    #[serde(deserialize_with = "numbers_or_nan")]
    pub values: Vec<f64>,
}

impl AccuracySeries {
    /// The legend text: the name, or the series' position when it has none.
    pub(super) fn label(&self, index: usize) -> String {
        if self.name.trim().is_empty() {
            format!("series {}", index + 1)
        } else {
            self.name.clone()
        }
    }
}

/// Splits `values` into runs of consecutive drawable fractions, as points whose x
/// counts from 1, so a line breaks where a value is missing instead of bridging
/// the gap with a value that was never measured.
pub(super) fn fraction_runs(values: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (index, &value) in values.iter().enumerate() {
        if axis::is_fraction(value) {
            current.push((index as f64 + 1.0, value));
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// How many of `values` are not fractions in [0, 1] (NaN, infinite, out of range).
pub(super) fn count_unplottable(values: &[f64]) -> usize {
    values.iter().filter(|v| !axis::is_fraction(**v)).count()
}

/// The note under a chart that left out `count` values, or none when it left out
/// nothing.
pub(super) fn skipped_note(count: usize, reason: &str) -> Vec<String> {
    if count == 0 {
        Vec::new()
    } else {
        vec![format!(
            "{} not shown: {reason}",
            frame::count_of(count, "value")
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_values_that_cannot_be_drawn() {
        let runs = fraction_runs(&[0.1, 0.2, f64::NAN, 0.4, 1.5, f64::INFINITY, 0.7]);

        assert_eq!(
            runs,
            vec![
                vec![(1.0, 0.1), (2.0, 0.2)],
                vec![(4.0, 0.4)],
                vec![(7.0, 0.7)],
            ]
        );
    }

    #[test]
    fn a_series_without_a_name_is_labelled_by_position() {
        let series = AccuracySeries {
            name: " ".into(),
            values: vec![],
        };

        assert_eq!(series.label(1), "series 2");
    }
}
