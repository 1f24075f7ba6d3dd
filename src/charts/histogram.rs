//! How the accuracies of whole searches are distributed, method beside method:
//! a better method moves its mass to the right, not just its best candidate.

use plotters::prelude::{Color, DrawingBackend, Rectangle};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Ticks};
use super::series::{AccuracySeries, count_unplottable, skipped_note};
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"accuracy_histogram"` chart: one series per search method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccuracyHistogramData {
    /// Each method's accuracies; their order does not matter here.
    pub series: Vec<AccuracySeries>,
}

const TITLE: &str = "Accuracy distribution";

/// Common bins over the accuracies of all series, and each series' counts.
#[derive(Debug, PartialEq)]
struct Bins {
    start: f64,
    width: f64,
    counts: Vec<Vec<usize>>,
}

impl Bins {
    /// Bins over [min, max] of all drawable accuracies, about √n of them (5 to
    /// 20) so a small search is not all gaps and a large one shows its shape;
    /// `None` when no accuracy can be drawn.
    fn over(series: &[AccuracySeries]) -> Option<Bins> {
        let values = || {
            series
                .iter()
                .flat_map(|s| s.values.iter().copied())
                .filter(|v| axis::is_fraction(*v))
        };
        let total = values().count();
        let (mut lo, mut hi) = values().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if total == 0 {
            return None;
        }
        if hi - lo < 1e-6 {
            (lo, hi) = (lo - 0.005, hi + 0.005);
        }

        let bin_count = ((total as f64).sqrt().ceil() as usize).clamp(5, 20);
        let width = (hi - lo) / bin_count as f64;
        let counts = series
            .iter()
            .map(|s| {
                let mut counts = vec![0; bin_count];
                for v in s.values.iter().copied().filter(|v| axis::is_fraction(*v)) {
                    counts[(((v - lo) / width) as usize).min(bin_count - 1)] += 1;
                }
                counts
            })
            .collect();
        Some(Bins {
            start: lo,
            width,
            counts,
        })
    }

    fn end(&self) -> f64 {
        self.start + self.width * self.counts.first().map_or(0, Vec::len) as f64
    }

    /// Points along each non-empty bin's bars (foot, middle, top), for keeping
    /// the legend off them.
    fn bar_outlines(&self) -> Vec<(f64, f64)> {
        let mut points = Vec::new();
        for counts in &self.counts {
            for (bin, &count) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                let x = self.start + self.width * (bin as f64 + 0.5);
                let n = count as f64;
                points.extend([(x, 0.0), (x, n / 2.0), (x, n)]);
            }
        }
        points
    }

    fn tallest(&self) -> usize {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }
}

/// Draws a histogram of each method's accuracies over common bins, the methods'
/// bars side by side within each bin so none hides another.
///
/// Failed candidates (NaN) have no accuracy to bin; they are counted in a note
/// under the chart.
pub fn draw_accuracy_histogram<DB: DrawingBackend>(
    backend: DB,
    data: &AccuracyHistogramData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let skipped = data
        .series
        .iter()
        .map(|s| count_unplottable(&s.values))
        .sum();
    let notes = skipped_note(skipped, "failed, or accuracy outside [0, 1]");
    let bins = Bins::over(&data.series);

    let area = frame::page(backend, TITLE, &notes, style)?;
    let Some(bins) = bins else {
        return frame::notice(&area, "No accuracies yet — run a search", style);
    };
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let x_range = bins.start - bins.width * 0.5..bins.end() + bins.width * 0.5;
    let y_range = 0.0..(bins.tallest() as f64 * 1.15).max(1.0);
    let corner = legend::quietest_corner(bins.bar_outlines(), &x_range, &y_range);
    let mut chart = axis::cartesian(&area, x_range, y_range, style)?;
    let axes = Axes {
        x_title: "validation accuracy",
        y_title: "candidates",
        x_ticks: Ticks::Fraction(axis::decimals_for(bins.end() - bins.start)),
        y_ticks: Ticks::Count(bins.tallest() as f64),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    let bar_width = bins.width * 0.9 / data.series.len() as f64;
    for (index, (series, counts)) in data.series.iter().zip(&bins.counts).enumerate() {
        let color = palette::series_color(index);
        let bars = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(bin, &n)| {
                let left = bins.start + bins.width * (bin as f64 + 0.05) + bar_width * index as f64;
                Rectangle::new(
                    [(left, 0.0), (left + bar_width, n as f64)],
                    color.mix(0.85).filled(),
                )
            });
        chart.draw_series(bars)?;
        legend::entry(
            &mut chart,
            &series.label(index),
            legend::box_icon(color, style),
        )?;
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render};

    fn series(name: &str, values: &[f64]) -> AccuracySeries {
        AccuracySeries {
            name: name.into(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn bins_cover_every_value_from_min_to_max() {
        let bins = Bins::over(&[series("a", &[0.2, 0.5, 0.8]), series("b", &[0.8])]).unwrap();

        assert_eq!(bins.start, 0.2);
        assert!((bins.end() - 0.8).abs() < 1e-12);
        assert_eq!(bins.counts[0].iter().sum::<usize>(), 3);
        assert_eq!(bins.counts[1].last(), Some(&1));
    }

    #[test]
    fn equal_values_still_get_a_bin_of_some_width() {
        let bins = Bins::over(&[series("a", &[0.7, 0.7])]).unwrap();

        assert!(bins.width > 0.0);
        assert_eq!(bins.tallest(), 2);
    }

    #[test]
    fn two_methods_are_drawn_with_a_legend_and_axis_titles() {
        let random = [
            0.42, 0.55, 0.61, 0.58, 0.7, 0.66, 0.49, 0.73, 0.62, 0.57, 0.68, 0.52,
        ];
        let evolution = [
            0.63, 0.71, 0.78, 0.74, 0.81, 0.69, 0.76, 0.83, 0.79, 0.72, 0.8, 0.77,
        ];
        let data = AccuracyHistogramData {
            series: vec![series("Random", &random), series("Evolution", &evolution)],
        };

        let svg = render(|b| draw_accuracy_histogram(b, &data, &ChartStyle::default())).unwrap();
        preview("accuracy_histogram", &svg);

        for text in [
            TITLE,
            "Random",
            "Evolution",
            "candidates",
            "validation accuracy",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
    }

    #[test]
    fn failed_candidates_are_counted_under_the_histogram() {
        let data = AccuracyHistogramData {
            series: vec![series("Random", &[0.5, f64::NAN, 0.6])],
        };

        let svg = render(|b| draw_accuracy_histogram(b, &data, &ChartStyle::default())).unwrap();

        assert!(svg.contains("1 value not shown: failed"));
    }

    #[test]
    fn no_accuracies_show_a_message() {
        let data = AccuracyHistogramData {
            series: vec![series("Random", &[f64::NAN])],
        };

        let svg = render(|b| draw_accuracy_histogram(b, &data, &ChartStyle::default())).unwrap();

        assert!(svg.contains("No accuracies yet"));
    }
}
