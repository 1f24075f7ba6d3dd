//! How a DARTS search moves: each op's mean softmax probability over the
//! edges, epoch by epoch; and the supernet's loss and accuracy curves.

use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, IntoDrawingArea};
use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Ticks};
use super::json::numbers_or_nan;
use super::series::AccuracySeries;
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"alpha_lines"` chart: one series per op, its mean
/// probability over all edges at epoch 0 (the start), 1, 2, …
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlphaLinesData {
    pub series: Vec<AccuracySeries>,
}

/// Data of the `"darts_curves"` chart, one value per search epoch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DartsCurvesData {
    #[serde(deserialize_with = "numbers_or_nan")]
    pub train_loss: Vec<f64>,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub valid_loss: Vec<f64>,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub train_accuracy: Vec<f64>,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub valid_accuracy: Vec<f64>,
}

/// Seven distinguishable hues, one per op of the space in canonical order.
const OP_COLORS: [RGBColor; 7] = [
    palette::BLUE,
    palette::SKY,
    palette::GREEN,
    RGBColor(0, 90, 60),
    palette::ORANGE,
    palette::PURPLE,
    palette::INK,
];

/// Draws each op's mean probability per epoch, with the uniform share
/// 1/ops as a grey line: an op above it is gaining weight.
pub fn draw_alpha_lines<DB: DrawingBackend>(
    backend: DB,
    data: &AlphaLinesData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let points = data
        .series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(0);
    let area = frame::page(backend, "Mean op weight per epoch", &[], style)?;
    if points == 0 {
        return frame::notice(&area, "No epochs yet — run DARTS", style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let finite = data.series.iter().flat_map(|s| s.values.iter().copied());
    let top = finite.filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    let y_range = 0.0..(top * 1.15).clamp(0.05, 1.0);
    let x_range = -0.3..(points as f64 - 1.0).max(1.0) + 0.3;
    let drawn = data.series.iter().flat_map(|s| epoch_points(&s.values));
    let corner = legend::quietest_corner(drawn, &x_range, &y_range);
    let mut chart = axis::cartesian(&area, x_range, y_range, style)?;
    axis::draw_axes(
        &mut chart,
        &Axes {
            x_title: "epoch (0 = start)",
            y_title: "mean probability over edges",
            x_ticks: Ticks::Count((points - 1).max(1) as f64),
            y_ticks: Ticks::Fraction(2),
        },
        style,
    )?;
    let uniform = 1.0 / data.series.len().max(1) as f64;
    let last = (points as f64 - 1.0).max(1.0);
    frame::draw_line(
        &mut chart,
        &[(0.0, uniform), (last, uniform)],
        palette::NEUTRAL,
        style,
    )?;
    legend::entry(
        &mut chart,
        &format!("uniform 1/{}", data.series.len()),
        legend::line_icon(palette::NEUTRAL, style),
    )?;
    for (index, series) in data.series.iter().enumerate() {
        let color = OP_COLORS[index % OP_COLORS.len()];
        draw_epoch_line(&mut chart, &series.values, color, style)?;
        legend::entry(
            &mut chart,
            &series.label(index),
            legend::line_icon(color, style),
        )?;
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// Loss (left) and accuracy (right) of the supernet per epoch, on the
/// training split (weights' steps) and the validation split (α's steps).
pub fn draw_darts_curves<DB: DrawingBackend>(
    backend: DB,
    data: &DartsCurvesData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let epochs = [
        &data.train_loss,
        &data.valid_loss,
        &data.train_accuracy,
        &data.valid_accuracy,
    ]
    .iter()
    .map(|v| v.len())
    .max()
    .unwrap_or(0);
    let area = frame::page(backend, "Supernet loss and accuracy", &[], style)?;
    if epochs == 0 {
        return frame::notice(&area, "No epochs yet — run DARTS", style);
    }
    let (width, _) = area.dim_in_pixel();
    let (left, right) = area.split_horizontally(width as i32 / 2);
    for (panel, title, train, valid, ticks) in [
        (
            &left,
            "cross-entropy loss",
            &data.train_loss,
            &data.valid_loss,
            Ticks::Number(2),
        ),
        (
            &right,
            "accuracy",
            &data.train_accuracy,
            &data.valid_accuracy,
            Ticks::Fraction(2),
        ),
    ] {
        draw_panel(panel, title, (train, valid), (epochs, ticks), style)?;
    }
    frame::finish(&area)
}

fn draw_panel<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    title: &str,
    (train, valid): (&[f64], &[f64]),
    (epochs, ticks): (usize, Ticks),
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (w, h) = panel.dim_in_pixel();
    if (w as i32) < style.px(150.0) || (h as i32) < style.px(110.0) {
        return frame::notice(panel, frame::TOO_SMALL, style);
    }
    let finite: Vec<f64> = train
        .iter()
        .chain(valid)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let y_range = match ticks {
        Ticks::Fraction(_) => axis::unit(),
        _ => axis::from_zero(finite.iter().copied(), 0.1).unwrap_or(0.0..1.0),
    };
    let x_range = axis::numbered(epochs);
    let mut chart = axis::cartesian(panel, x_range, y_range, style)?;
    axis::draw_axes(
        &mut chart,
        &Axes {
            x_title: "epoch",
            y_title: title,
            x_ticks: Ticks::Count(epochs as f64),
            y_ticks: ticks,
        },
        style,
    )?;
    for (name, values, color) in [
        ("train", train, palette::BLUE),
        ("validation", valid, palette::ORANGE),
    ] {
        let points: Vec<(f64, f64)> = epoch_points(values)
            .into_iter()
            .map(|(x, y)| (x + 1.0, y))
            .collect();
        frame::draw_line(&mut chart, &points, color, style)?;
        chart.draw_series(
            points
                .iter()
                .map(|&p| Circle::new(p, style.px(3.0), color.filled())),
        )?;
        legend::entry(&mut chart, name, legend::line_icon(color, style))?;
    }
    // Losses fall and accuracies rise: keep the legend in the corner they leave.
    let corner = match ticks {
        Ticks::Fraction(_) => plotters::chart::SeriesLabelPosition::LowerRight,
        _ => plotters::chart::SeriesLabelPosition::UpperRight,
    };
    legend::draw(&mut chart, corner, style)
}

/// `(epoch, value)` for the finite values, epochs counted from 0.
fn epoch_points(values: &[f64]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| (i as f64, v))
        .collect()
}

fn draw_epoch_line<DB: DrawingBackend>(
    chart: &mut axis::Chart<'_, DB>,
    values: &[f64],
    color: RGBColor,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let points = epoch_points(values);
    frame::draw_line(chart, &points, color, style)?;
    chart.draw_series(
        points
            .iter()
            .map(|&p| Circle::new(p, style.px(3.0), color.filled())),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render_json};

    #[test]
    fn op_lines_have_a_legend_and_the_uniform_share() {
        let svg = render_json(
            "alpha_lines",
            r#"{"series": [{"name": "conv3x3", "values": [0.33, 0.4, 0.5]},
                           {"name": "identity", "values": [0.33, 0.3, null]},
                           {"name": "max_pool3x3", "values": [0.34, 0.3, 0.25]}]}"#,
        )
        .unwrap();
        preview("alpha_lines", &svg);
        for text in ["conv3x3", "identity", "uniform 1/3", "epoch (0 = start)"] {
            assert!(has_text(&svg, text), "missing {text}");
        }
    }

    #[test]
    fn curves_draw_both_panels_and_survive_nan() {
        let svg = render_json(
            "darts_curves",
            r#"{"train_loss": [2.2, 1.5, null], "valid_loss": [2.0, 1.2, 0.9],
                "train_accuracy": [0.3, 0.6, 0.8], "valid_accuracy": [0.5, 0.7, 0.85]}"#,
        )
        .unwrap();
        preview("darts_curves", &svg);
        for text in ["cross-entropy loss", "accuracy", "train", "validation"] {
            assert!(has_text(&svg, text), "missing {text}");
        }
    }

    #[test]
    fn nothing_yet_says_what_to_do() {
        let lines = render_json("alpha_lines", r#"{"series": []}"#).unwrap();
        assert!(has_text(&lines, "No epochs yet — run DARTS"));
        let curves = render_json(
            "darts_curves",
            r#"{"train_loss": [], "valid_loss": [], "train_accuracy": [], "valid_accuracy": []}"#,
        )
        .unwrap();
        assert!(has_text(&curves, "No epochs yet — run DARTS"));
        let single = render_json(
            "alpha_lines",
            r#"{"series": [{"name": "a", "values": [1.0]}]}"#,
        );
        assert!(single.is_ok());
    }
}
