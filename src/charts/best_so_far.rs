//! The best accuracy a search has found after each evaluation: the curve that
//! compares search methods by how fast they find good architectures.

use plotters::prelude::{Circle, Color, Cross, DrawingBackend};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Ticks};
use super::series::{AccuracySeries, fraction_runs, skipped_note};
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"best_so_far"` chart: one series per search method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BestSoFarData {
    /// Each method's accuracies in evaluation order.
    pub series: Vec<AccuracySeries>,
}

const TITLE: &str = "Best accuracy so far";

/// Where failed candidates sit: below the zero line, apart from real accuracies.
const FAILED_Y: f64 = -0.06;

/// Draws every evaluation's accuracy as a dot and the best accuracy found so far
/// as a step line, one colour per search method.
///
/// Failed candidates (NaN) are crosses under the axis, labelled "failed", and
/// never count towards the best: a failure is information about the search, not
/// an accuracy of zero.
pub fn draw_best_so_far<DB: DrawingBackend>(
    backend: DB,
    data: &BestSoFarData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let count = data
        .series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(0);
    let out_of_range: usize = data
        .series
        .iter()
        .map(|s| {
            s.values
                .iter()
                .filter(|v| !v.is_nan() && !axis::is_fraction(**v))
                .count()
        })
        .sum();
    let notes = skipped_note(out_of_range, "accuracy outside [0, 1]");

    let area = frame::page(backend, TITLE, &notes, style)?;
    if count == 0 {
        return frame::notice(&area, "No evaluations yet — run a search", style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let (x_range, y_range) = (axis::numbered(count), FAILED_Y * 1.7..axis::unit().end);
    let corner = legend::quietest_corner(occupied(&data.series), &x_range, &y_range);
    let mut chart = axis::cartesian(&area, x_range, y_range, style)?;
    let axes = Axes {
        x_title: "evaluation",
        y_title: "validation accuracy",
        x_ticks: Ticks::Count(count as f64),
        y_ticks: Ticks::Fraction(2),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    let (radius, opacity) = if count > 300 {
        (style.px(2.0), 0.25)
    } else {
        (style.px(3.5), 0.45)
    };
    let mut failures = Vec::new();
    for (index, series) in data.series.iter().enumerate() {
        let color = palette::series_color(index);
        let dots = fraction_runs(&series.values).into_iter().flatten();
        chart.draw_series(dots.map(|p| Circle::new(p, radius, color.mix(opacity).filled())))?;
        frame::draw_line(&mut chart, &running_best(&series.values), color, style)?;
        legend::entry(
            &mut chart,
            &series.label(index),
            legend::line_icon(color, style),
        )?;
        let failed = series.values.iter().enumerate().filter(|(_, v)| v.is_nan());
        failures.extend(failed.map(|(i, _)| i as f64 + 1.0));
    }

    if !failures.is_empty() {
        let (size, stroke) = (style.px(5.0), style.stroke(palette::FAILED, 2.0));
        chart.draw_series(
            failures
                .iter()
                .map(|&x| Cross::new((x, FAILED_Y), size, stroke)),
        )?;
        legend::entry(
            &mut chart,
            "failed",
            legend::cross_icon(palette::FAILED, style),
        )?;
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// Every place the chart draws on, for keeping the legend off them: each
/// evaluation's dot or failure cross, and the running best above it.
fn occupied(series: &[AccuracySeries]) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    for series in series {
        let mut best: Option<f64> = None;
        for (index, &value) in series.values.iter().enumerate() {
            let x = index as f64 + 1.0;
            if axis::is_fraction(value) {
                points.push((x, value));
                best = Some(best.map_or(value, |b| b.max(value)));
            } else if value.is_nan() {
                points.push((x, FAILED_Y));
            }
            points.extend(best.map(|b| (x, b)));
        }
    }
    points
}

/// The best accuracy up to each evaluation, as the corners of a step line: flat
/// until an evaluation beats it, then straight up, and on to the last
/// evaluation. Failed and unplottable values are passed over.
fn running_best(values: &[f64]) -> Vec<(f64, f64)> {
    let mut corners: Vec<(f64, f64)> = Vec::new();
    let mut best: Option<f64> = None;
    for (index, &value) in values.iter().enumerate() {
        if !axis::is_fraction(value) || best.is_some_and(|b| value <= b) {
            continue;
        }
        let x = index as f64 + 1.0;
        if let Some(previous) = best {
            corners.push((x, previous));
        }
        corners.push((x, value));
        best = Some(value);
    }
    let last = values.len() as f64;
    if let Some(&(x, best)) = corners.last()
        && x < last
    {
        corners.push((last, best));
    }
    corners
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render};

    fn one_series(values: &[f64]) -> BestSoFarData {
        BestSoFarData {
            series: vec![AccuracySeries {
                name: "Random".into(),
                values: values.to_vec(),
            }],
        }
    }

    #[test]
    fn the_running_best_ignores_failures_and_never_falls() {
        let corners = running_best(&[0.6, f64::NAN, 0.5, 0.9, 0.7]);

        assert_eq!(
            corners,
            vec![(1.0, 0.6), (4.0, 0.6), (4.0, 0.9), (5.0, 0.9)]
        );
    }

    #[test]
    fn the_running_best_starts_at_the_first_real_accuracy() {
        let corners = running_best(&[f64::NAN, f64::NAN, 0.4]);

        assert_eq!(corners, vec![(3.0, 0.4)]);
        assert_eq!(running_best(&[f64::NAN]), vec![]);
    }

    #[test]
    fn a_chart_of_two_methods_has_its_title_axis_and_legend() {
        let data = BestSoFarData {
            series: vec![
                AccuracySeries {
                    name: "Random".into(),
                    values: vec![0.61, 0.55, 0.9, 0.72, 0.88, 0.93],
                },
                AccuracySeries {
                    name: "Evolution".into(),
                    values: vec![0.7, 0.91, 0.89, 0.95],
                },
            ],
        };

        let svg = render(|b| draw_best_so_far(b, &data, &ChartStyle::default())).unwrap();
        preview("best_so_far", &svg);

        for text in [
            TITLE,
            "validation accuracy",
            "evaluation",
            "Random",
            "Evolution",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
        assert!(!has_text(&svg, "failed"));
    }

    #[test]
    fn failed_candidates_are_marked_and_named_in_the_legend() {
        let data = one_series(&[0.61, f64::NAN, 0.9, f64::NAN, 0.8]);

        let svg = render(|b| draw_best_so_far(b, &data, &ChartStyle::default())).unwrap();
        preview("best_so_far_failed", &svg);

        assert!(has_text(&svg, "failed"));
        assert!(svg.contains("stroke=\"#D55E00\""), "no vermillion cross");
    }

    #[test]
    fn accuracies_outside_zero_to_one_are_left_out_and_counted() {
        let svg = render(|b| {
            draw_best_so_far(
                b,
                &one_series(&[0.5, 1.5, f64::INFINITY]),
                &ChartStyle::default(),
            )
        })
        .unwrap();

        assert!(svg.contains("2 values not shown"));
    }

    #[test]
    fn no_evaluations_show_a_message_instead_of_axes() {
        for data in [BestSoFarData::default(), one_series(&[])] {
            let svg = render(|b| draw_best_so_far(b, &data, &ChartStyle::default())).unwrap();

            assert!(svg.contains("No evaluations yet — run a search"));
            assert!(!has_text(&svg, "validation accuracy"));
        }
    }
}
