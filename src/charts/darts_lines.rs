//! How a DARTS search moves: each op's mean softmax probability over the
//! edges, epoch by epoch; and the supernet's loss and accuracy curves.

use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, Text};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Ticks};
use super::json::numbers_or_nan;
use super::series::AccuracySeries;
use super::style::LEGEND_FONT;
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

/// Draws each op's mean probability per epoch, each line named at its end,
/// with the uniform share 1/ops as a grey line: an op above it is gaining
/// weight.
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
    let last = (points as f64 - 1.0).max(1.0);
    // Room on the right for the names at the lines' ends.
    let (width, _) = area.dim_in_pixel();
    let room = NAME_ROOM * style.factor();
    let plot = (width as f64 - style.px(100.0) as f64 - room).max(1.0);
    let x_range = -0.3..last + 0.3 + (last + 0.6) * room / plot;
    let mut chart = axis::cartesian(&area, x_range, y_range.clone(), style)?;
    axis::draw_axes(
        &mut chart,
        &Axes {
            x_title: "epoch (0 = start)",
            y_title: "mean probability over edges",
            x_ticks: Ticks::Count(last),
            y_ticks: Ticks::Fraction(2),
        },
        style,
    )?;
    let uniform = 1.0 / data.series.len().max(1) as f64;
    frame::draw_line(
        &mut chart,
        &[(0.0, uniform), (last, uniform)],
        palette::NEUTRAL,
        style,
    )?;
    let mut names = vec![(
        format!("uniform 1/{}", data.series.len()),
        uniform,
        palette::NEUTRAL,
    )];
    for (index, series) in data.series.iter().enumerate() {
        let color = OP_COLORS[index % OP_COLORS.len()];
        draw_epoch_line(&mut chart, &series.values, color, style)?;
        // A line that ended early (a diverged value) is still named in the
        // column at the right, at the height where it ended.
        if let Some(&(_, end)) = epoch_points(&series.values).last() {
            names.push((series.label(index), end, color));
        }
    }
    let (_, plot_height) = chart.plotting_area().dim_in_pixel();
    let gap = (y_range.end - y_range.start) * style.px(LEGEND_FONT + 2.0) as f64
        / plot_height.max(1) as f64;
    let font = style
        .font(LEGEND_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (name, y, color) in spread(names, gap, y_range.end) {
        chart.draw_series(std::iter::once(Text::new(
            name,
            (last + 0.15, y),
            font.clone().color(&color),
        )))?;
    }
    frame::finish(&area)
}

/// CSS pixels kept right of the last epoch for the lines' names.
pub(super) const NAME_ROOM: f64 = 110.0;

/// Moves labels `(text, y, colour)` apart so that neighbours are at least
/// `gap` apart in y, keeping them below `top`; order by y is kept.
pub(super) fn spread(
    mut labels: Vec<(String, f64, RGBColor)>,
    gap: f64,
    top: f64,
) -> Vec<(String, f64, RGBColor)> {
    labels.sort_by(|a, b| a.1.total_cmp(&b.1));
    for i in 1..labels.len() {
        let floor = labels[i - 1].1 + gap;
        if labels[i].1 < floor {
            labels[i].1 = floor;
        }
    }
    let overflow = labels.last().map_or(0.0, |l| l.1 - (top - gap / 2.0));
    if overflow > 0.0 {
        for label in &mut labels {
            label.1 -= overflow;
        }
    }
    labels
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
    fn end_labels_keep_their_order_and_a_minimum_gap() {
        let c = palette::INK;
        let labels = vec![
            ("b".into(), 0.10, c),
            ("a".into(), 0.10, c),
            ("top".into(), 0.99, c),
        ];
        let spread = spread(labels, 0.05, 1.0);
        let ys: Vec<f64> = spread.iter().map(|l| l.1).collect();
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 0.05 - 1e-12), "{ys:?}");
        assert!(*ys.last().unwrap() <= 0.975 + 1e-12, "{ys:?}");
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
