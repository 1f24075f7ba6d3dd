//! The candidates of the Pareto charts as the page sends them, which of them
//! can be drawn against a cost, and their front.

use serde::{Deserialize, Serialize};

use super::json::number_or_nan;
use super::{ChartError, axis, frame};
use crate::pareto::{Objective, Scored, front};
use crate::train::Status;

pub(super) const KIND: &str = "pareto_scatter";

/// One evaluated candidate, as the page records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoPoint {
    /// The search method that found it ("random search", "DARTS"): decides its
    /// colour and its legend entry.
    pub group: String,
    /// Short text written beside the point when it is on the front, such as its
    /// number in the page's table; may be empty.
    #[serde(default)]
    pub label: String,
    /// Failed candidates are counted in a note, never drawn.
    pub status: Status,
    /// Validation accuracy in `[0, 1]`.
    #[serde(deserialize_with = "number_or_nan")]
    pub accuracy: f64,
    /// Milliseconds per image; missing or `null` reads as NaN.
    #[serde(default = "not_measured", deserialize_with = "number_or_nan")]
    pub latency_ms: f64,
    /// Trainable parameters; missing or `null` reads as NaN.
    #[serde(default = "not_measured", deserialize_with = "number_or_nan")]
    pub params: f64,
    /// Multiply-adds per image; missing or `null` reads as NaN.
    #[serde(default = "not_measured", deserialize_with = "number_or_nan")]
    pub flops: f64,
}

fn not_measured() -> f64 {
    f64::NAN
}

impl Scored for ParetoPoint {
    fn value(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Accuracy => self.accuracy,
            Objective::LatencyMs => self.latency_ms,
            Objective::Params => self.params,
            Objective::Flops => self.flops,
        }
    }

    fn succeeded(&self) -> bool {
        self.status == Status::Ok
    }
}

/// Data of the `"pareto_scatter"` chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoScatterData {
    /// The cost along the x axis: `latency_ms`, `params` or `flops`.
    pub x: Objective,
    /// Every candidate, in the page's order; positions refer to this order.
    pub points: Vec<ParetoPoint>,
}

/// The candidates of a chart sorted out for drawing.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SortedPoints {
    /// Positions of the candidates that can be drawn, in input order.
    pub shown: Vec<usize>,
    /// The note about those left out; empty when none is.
    pub notes: Vec<String>,
    /// The front of the shown candidates as groups of identical ones
    /// (positions), cheapest first, so accuracies rise along the list.
    pub front: Vec<Vec<usize>>,
}

/// Why a candidate is not drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeftOut {
    Failed,
    NoValue,
    OutOfRange,
}

impl ParetoScatterData {
    /// Where candidate `index` is drawn: (cost, accuracy).
    pub(super) fn at(&self, index: usize) -> (f64, f64) {
        let point = &self.points[index];
        (point.value(self.x), point.accuracy)
    }

    /// Which candidates can be drawn, what the note says of the others, and
    /// the front, computed with [`crate::pareto::front`] over the drawable
    /// ones: exact under ties and duplicates, whatever the input order.
    ///
    /// # Errors
    /// [`ChartError::BadData`] when `x` is accuracy, which is not a cost.
    pub(super) fn sort_out(&self) -> Result<SortedPoints, ChartError> {
        let bad = |detail: String| ChartError::BadData {
            kind: KIND.into(),
            detail,
        };
        if self.x == Objective::Accuracy {
            return Err(bad(
                "the x axis must be a cost (latency_ms, params or flops), got accuracy".into(),
            ));
        }
        let mut shown = Vec::new();
        let mut left_out = Vec::new();
        for (index, point) in self.points.iter().enumerate() {
            match self.left_out(point) {
                None => shown.push(index),
                Some(reason) => left_out.push(reason),
            }
        }

        let candidates: Vec<&ParetoPoint> = shown.iter().map(|&i| &self.points[i]).collect();
        let front =
            front(&candidates, &[Objective::Accuracy, self.x]).map_err(|e| bad(e.to_string()))?;
        // The front comes most accurate first, which on two objectives is the
        // most costly first.
        let front = front
            .points
            .iter()
            .rev()
            .map(|p| p.members.iter().map(|&m| shown[m]).collect())
            .collect();
        Ok(SortedPoints {
            notes: self.left_out_note(&left_out),
            shown,
            front,
        })
    }

    /// Why `point` cannot be drawn against the cost, or `None` when it can.
    fn left_out(&self, point: &ParetoPoint) -> Option<LeftOut> {
        let cost = point.value(self.x);
        if !point.succeeded() {
            Some(LeftOut::Failed)
        } else if !point.accuracy.is_finite() || !cost.is_finite() {
            Some(LeftOut::NoValue)
        } else if !axis::is_fraction(point.accuracy) || cost < 0.0 {
            Some(LeftOut::OutOfRange)
        } else {
            None
        }
    }

    /// "3 candidates not shown: 2 failed, 1 with no latency", or no note.
    fn left_out_note(&self, reasons: &[LeftOut]) -> Vec<String> {
        if reasons.is_empty() {
            return Vec::new();
        }
        let missing = match self.x {
            Objective::LatencyMs => "latency",
            Objective::Params => "parameter count",
            Objective::Flops | Objective::Accuracy => "FLOP count",
        };
        let count = |reason| reasons.iter().filter(|&&r| r == reason).count();
        let parts: Vec<String> = [
            (count(LeftOut::Failed), "failed".to_string()),
            (count(LeftOut::NoValue), format!("with no {missing}")),
            (
                count(LeftOut::OutOfRange),
                "with a value out of range".into(),
            ),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
        vec![format!(
            "{} not shown: {}",
            frame::count_of(reasons.len(), "candidate"),
            parts.join(", ")
        )]
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::charts) fn point(
        group: &str,
        label: &str,
        accuracy: f64,
        latency_ms: f64,
        params: f64,
    ) -> ParetoPoint {
        ParetoPoint {
            group: group.into(),
            label: label.into(),
            status: Status::Ok,
            accuracy,
            latency_ms,
            params,
            flops: params * 64.0,
        }
    }

    /// Two searches' worth of candidates: (0.95, 2.0 ms), (0.9, 1.0 ms) and
    /// (0.7, 0.4 ms) are the latency front; #2 is beaten by #1 on both. On
    /// parameters #3 is both the most accurate and the smallest.
    pub(in crate::charts) fn searches() -> Vec<ParetoPoint> {
        vec![
            point("random", "#1", 0.9, 1.0, 20_000.0),
            point("random", "#2", 0.8, 1.5, 30_000.0),
            point("evolution", "#3", 0.95, 2.0, 9_000.0),
            point("evolution", "#4", 0.7, 0.4, 40_000.0),
        ]
    }

    fn sorted(x: Objective, points: Vec<ParetoPoint>) -> SortedPoints {
        ParetoScatterData { x, points }.sort_out().unwrap()
    }

    #[test]
    fn the_front_is_cheapest_first_and_leaves_out_the_beaten() {
        assert_eq!(
            sorted(Objective::LatencyMs, searches()).front,
            [vec![3], vec![0], vec![2]]
        );
        assert_eq!(sorted(Objective::Params, searches()).front, [vec![2]]);
    }

    #[test]
    fn identical_candidates_are_one_front_point() {
        let mut points = searches();
        points.push(point("darts", "#5", 0.9, 1.0, 1.0));

        let front = sorted(Objective::LatencyMs, points).front;

        assert_eq!(front, [vec![3], vec![0, 4], vec![2]]);
    }

    #[test]
    fn failed_unmeasured_and_impossible_candidates_are_left_out_and_counted() {
        let mut points = searches();
        points.push(ParetoPoint {
            status: Status::Failed,
            ..point("random", "#5", f64::NAN, 1.0, 1.0)
        });
        points.push(point("random", "#6", 0.99, f64::NAN, 1.0));
        points.push(point("random", "#7", 1.5, 1.0, 1.0));
        points.push(point("random", "#8", 0.5, -1.0, 1.0));

        let sorted = sorted(Objective::LatencyMs, points);

        assert_eq!(sorted.shown, [0, 1, 2, 3]);
        assert_eq!(
            sorted.notes,
            ["4 candidates not shown: 1 failed, 1 with no latency, 2 with a value out of range"]
        );
    }

    #[test]
    fn accuracy_on_the_x_axis_is_bad_data() {
        let data = ParetoScatterData {
            x: Objective::Accuracy,
            points: searches(),
        };

        let error = data.sort_out().unwrap_err();

        assert!(error.to_string().contains("must be a cost"), "{error}");
    }

    #[test]
    fn a_null_measure_in_json_reads_as_not_measured() {
        let json = r#"{"group":"random","status":"ok","accuracy":0.5,"latency_ms":null}"#;

        let point: ParetoPoint = serde_json::from_str(json).unwrap();

        assert!(point.latency_ms.is_nan() && point.params.is_nan());
        assert!(point.succeeded());
    }
}
