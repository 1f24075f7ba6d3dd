//! A performance predictor's guesses against the truth: each candidate the
//! predictor scored before it was trained (or looked up), at (predicted, true)
//! accuracy, coloured by the round of the guess, with the ensemble's spread as
//! an error bar and the line of perfect guesses.

use std::ops::Range;

use plotters::chart::SeriesLabelPosition;
use plotters::prelude::{Circle, Color, DashedLineSeries, DrawingBackend, PathElement, Text};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Chart, Ticks};
use super::json::numbers_or_nan;
use super::style::LEGEND_FONT;
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"predicted_vs_true"` chart: parallel lists, one entry per
/// guessed candidate. Accuracies are fractions; `null` reads as NaN.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PredictedVsTrueData {
    /// The predictor's mean guess of each candidate's accuracy.
    #[serde(deserialize_with = "numbers_or_nan")]
    pub predicted: Vec<f64>,
    /// Its accuracy once trained or looked up.
    #[serde(deserialize_with = "numbers_or_nan")]
    pub actual: Vec<f64>,
    /// The ensemble's spread (one standard deviation) of each guess, drawn
    /// as a horizontal bar; may be shorter or left out, and NaN or negative
    /// spreads draw no bar.
    #[serde(default, deserialize_with = "numbers_or_nan")]
    pub spread: Vec<f64>,
    /// The round (from 1) in which each guess was made; may be shorter or
    /// left out, and candidates without one are grey.
    #[serde(default)]
    pub round: Vec<usize>,
    /// Kendall τ and Spearman ρ of the guesses against the truth, as the
    /// engine computed them over these candidates; named in the caption.
    #[serde(default)]
    pub kendall: Option<f64>,
    #[serde(default)]
    pub spearman: Option<f64>,
}

/// One candidate that can be drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Guess {
    predicted: f64,
    actual: f64,
    /// Half the bar's width; 0 for no bar.
    spread: f64,
    /// 0 when unknown.
    round: usize,
}

const TITLE: &str = "Predicted against true accuracy";
const NO_GUESSES: &str = "No guesses checked yet — run a predictor-based search";
const PERFECT: &str = "y = x: a perfect guess";

/// The narrowest accuracy span an axis shows, so close points stay apart.
const MIN_SPAN: f64 = 0.02;
/// Rounds named in the legend at most; more are sampled evenly.
const LEGEND_ROUNDS: usize = 5;
/// Early and late rounds: a light and a dark blue, so order reads as depth.
const EARLY: RGBColor = RGBColor(150, 200, 230);
const LATE: RGBColor = RGBColor(8, 48, 107);

/// Draws each checked guess at (predicted, true), its spread as a bar, the
/// y = x line, and a caption with Kendall τ, Spearman ρ and the count shown.
/// Points above the line were underrated, points below it overrated.
///
/// Both axes share one range so that the y = x line is the diagonal of the
/// data. Candidates whose accuracies are not fractions in [0, 1], and the
/// unpaired tail of the longer list when `predicted` and `actual` differ in
/// length, are left out and counted in a note.
pub fn draw_predicted_vs_true<DB: DrawingBackend>(
    backend: DB,
    data: &PredictedVsTrueData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let guesses = drawable(data);
    let notes = notes(data, guesses.len());

    let area = frame::page(backend, TITLE, &notes, style)?;
    if guesses.is_empty() {
        return frame::notice(&area, NO_GUESSES, style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let range = shared_range(&guesses);
    let decimals = axis::decimals_for(range.end - range.start);
    let mut chart = axis::cartesian(&area, range.clone(), range.clone(), style)?;
    let axes = Axes {
        x_title: "predicted accuracy (before training)",
        y_title: "true accuracy",
        x_ticks: Ticks::Fraction(decimals),
        y_ticks: Ticks::Fraction(decimals),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    draw_diagonal(&mut chart, &range, style)?;
    let last_round = guesses.iter().map(|g| g.round).max().unwrap_or(0);
    draw_guesses(&mut chart, &guesses, last_round, style)?;
    for round in legend_rounds(&guesses) {
        let label = match round {
            0 => "round unknown".to_string(),
            r => format!("round {r}"),
        };
        let color = round_color(round, last_round);
        legend::entry(&mut chart, &label, legend::dot_icon(color, style))?;
    }
    let points = guesses.iter().map(|g| (g.predicted, g.actual));
    let corner = match legend::quietest_corner(points, &range, &range) {
        // Up-left and down-right of the diagonal are where guesses are
        // worst; the legend prefers those corners to the diagonal's ends.
        SeriesLabelPosition::UpperRight => SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::LowerLeft => SeriesLabelPosition::LowerRight,
        other => other,
    };
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// The candidates that can be drawn, paired by position.
fn drawable(data: &PredictedVsTrueData) -> Vec<Guess> {
    data.predicted
        .iter()
        .zip(&data.actual)
        .enumerate()
        .filter(|(_, (p, a))| axis::is_fraction(**p) && axis::is_fraction(**a))
        .map(|(i, (&predicted, &actual))| {
            let spread = data.spread.get(i).copied().unwrap_or(0.0);
            Guess {
                predicted,
                actual,
                spread: if spread.is_finite() && spread > 0.0 {
                    spread
                } else {
                    0.0
                },
                round: data.round.get(i).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// The caption (τ, ρ, n) and what was left out, for the line under the chart.
fn notes(data: &PredictedVsTrueData, shown: usize) -> Vec<String> {
    let paired = data.predicted.len().min(data.actual.len());
    let unpaired = data.predicted.len().max(data.actual.len()) - paired;
    let mut notes = Vec::new();
    if shown > 0 {
        let coefficient = |v: Option<f64>| match v {
            Some(v) if v.is_finite() => format!("{v:.2}"),
            _ => "undefined".to_string(),
        };
        notes.push(format!(
            "Kendall τ {}, Spearman ρ {}, n = {shown}",
            coefficient(data.kendall),
            coefficient(data.spearman)
        ));
    }
    if paired > shown {
        let count = frame::count_of(paired - shown, "candidate");
        notes.push(format!("{count} not shown: accuracy not in [0, 1]"));
    }
    if unpaired > 0 {
        let count = frame::count_of(unpaired, "value");
        notes.push(format!("{count} without a partner not shown"));
    }
    notes
}

/// One range for both axes around every point and bar, at least
/// [`MIN_SPAN`] wide and never far outside [0, 1].
fn shared_range(guesses: &[Guess]) -> Range<f64> {
    let values = guesses.iter().flat_map(|g| {
        [
            g.actual,
            (g.predicted - g.spread).max(0.0),
            (g.predicted + g.spread).min(1.0),
        ]
    });
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let widen = (MIN_SPAN - (hi - lo)).max(0.0) / 2.0;
    let (lo, hi) = (lo - widen, hi + widen);
    let pad = (hi - lo) * 0.08;
    let unit = axis::unit();
    (lo - pad).max(unit.start)..(hi + pad).min(unit.end)
}

/// The dashed y = x line across the plot, named near its upper end.
fn draw_diagonal<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    range: &Range<f64>,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    chart.draw_series(DashedLineSeries::new(
        [(range.start, range.start), (range.end, range.end)],
        style.upx(6.0),
        style.upx(4.0),
        style.stroke(palette::NEUTRAL, 1.5),
    ))?;
    let near_top = range.end - (range.end - range.start) * 0.04;
    let font = style
        .font_in(LEGEND_FONT, palette::MUTED)
        .pos(Pos::new(HPos::Right, VPos::Top));
    chart.draw_series(std::iter::once(Text::new(
        PERFECT,
        (near_top, near_top),
        font,
    )))?;
    Ok(())
}

/// The bars first, then the points over them, each in its round's colour.
fn draw_guesses<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    guesses: &[Guess],
    last_round: usize,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let bar = |g: &Guess| {
        let color = round_color(g.round, last_round).mix(0.6);
        PathElement::new(
            vec![
                ((g.predicted - g.spread).max(0.0), g.actual),
                ((g.predicted + g.spread).min(1.0), g.actual),
            ],
            color.stroke_width(style.upx(1.5).max(1)),
        )
    };
    chart.draw_series(guesses.iter().filter(|g| g.spread > 0.0).map(bar))?;
    let radius = style.px(if guesses.len() > 200 { 3.0 } else { 4.5 });
    let outline = style.stroke(palette::PAPER, 1.0);
    for g in guesses {
        let color = round_color(g.round, last_round);
        let at = (g.predicted, g.actual);
        chart.draw_series([
            Circle::new(at, radius, color.filled()),
            Circle::new(at, radius, outline),
        ])?;
    }
    Ok(())
}

/// The colour of `round` out of `last` rounds: from light (early) to dark
/// (late); grey for an unknown round.
fn round_color(round: usize, last: usize) -> RGBColor {
    if round == 0 {
        return palette::NEUTRAL;
    }
    let t = if last <= 1 {
        1.0
    } else {
        (round - 1) as f64 / (last - 1) as f64
    };
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(
        mix(EARLY.0, LATE.0),
        mix(EARLY.1, LATE.1),
        mix(EARLY.2, LATE.2),
    )
}

/// The rounds the legend names: all of them when few, else the first, the
/// last and evenly spaced ones between; an unknown round last.
fn legend_rounds(guesses: &[Guess]) -> Vec<usize> {
    let mut rounds: Vec<usize> = guesses.iter().map(|g| g.round).filter(|&r| r > 0).collect();
    rounds.sort_unstable();
    rounds.dedup();
    let mut named: Vec<usize> = if rounds.len() <= LEGEND_ROUNDS {
        rounds.clone()
    } else {
        let steps = LEGEND_ROUNDS - 1;
        let mut picked: Vec<usize> = (0..=steps)
            .map(|k| rounds[k * (rounds.len() - 1) / steps])
            .collect();
        picked.dedup();
        picked
    };
    if guesses.iter().any(|g| g.round == 0) {
        named.push(0);
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, render_json};

    fn draw(data: &PredictedVsTrueData) -> String {
        render(|b| draw_predicted_vs_true(b, data, &ChartStyle::default())).unwrap()
    }

    /// Three rounds of four guesses each, roughly right and growing surer.
    fn three_rounds() -> PredictedVsTrueData {
        let actual = [
            0.82, 0.9, 0.78, 0.86, 0.91, 0.88, 0.84, 0.93, 0.92, 0.95, 0.89, 0.94,
        ];
        PredictedVsTrueData {
            predicted: actual
                .iter()
                .enumerate()
                .map(|(i, a)| a + [0.03, -0.02, 0.01][i % 3])
                .collect(),
            actual: actual.to_vec(),
            spread: (0..12).map(|i| 0.03 - 0.002 * i as f64).collect(),
            round: (0..12).map(|i| i / 4 + 1).collect(),
            kendall: Some(0.515),
            spearman: Some(0.68),
        }
    }

    #[test]
    fn guesses_show_rounds_bars_the_diagonal_and_the_caption() {
        let svg = draw(&three_rounds());
        preview("predicted_vs_true", &svg);

        for text in [
            TITLE,
            "round 1",
            "round 2",
            "round 3",
            PERFECT,
            "predicted accuracy (before training)",
            "true accuracy",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
        assert!(
            svg.contains("Kendall τ 0.52, Spearman ρ 0.68, n = 12"),
            "{svg}"
        );
        // Twelve points, each a fill and an outline, and the legend's three dots.
        assert_eq!(svg.matches("<circle").count(), 12 * 2 + 3);
    }

    #[test]
    fn no_guesses_show_a_message() {
        for data in [
            PredictedVsTrueData::default(),
            PredictedVsTrueData {
                predicted: vec![f64::NAN],
                actual: vec![0.5],
                ..PredictedVsTrueData::default()
            },
        ] {
            let svg = draw(&data);

            assert!(has_text(&svg, TITLE));
            assert!(svg.contains(NO_GUESSES));
        }
    }

    #[test]
    fn nan_and_out_of_range_accuracies_are_left_out_and_counted() {
        let json = r#"{"predicted": [0.8, null, 1.2, 0.7], "actual": [0.82, 0.9, 0.9, null],
            "spread": [null, 0.1, -1, 0.02], "kendall": null}"#;

        let svg = render_json("predicted_vs_true", json).unwrap();

        assert!(
            svg.contains("3 candidates not shown: accuracy not in [0, 1]"),
            "{svg}"
        );
        assert!(svg.contains("Kendall τ undefined, Spearman ρ undefined, n = 1"));
        assert!(svg.contains("round unknown"));
    }

    #[test]
    fn lists_of_different_lengths_pair_what_they_can() {
        let data = PredictedVsTrueData {
            predicted: vec![0.8, 0.85, 0.9],
            actual: vec![0.81],
            spread: vec![0.01, 0.02, 0.03, 0.04],
            round: vec![2],
            kendall: Some(f64::NAN),
            spearman: None,
        };

        let svg = draw(&data);

        assert!(
            svg.contains("2 values without a partner not shown"),
            "{svg}"
        );
        assert!(svg.contains("n = 1"));
        assert!(has_text(&svg, "round 2"));
    }

    #[test]
    fn many_rounds_name_five_in_the_legend_and_shade_early_to_late() {
        let guesses: Vec<Guess> = (1..=12)
            .map(|round| Guess {
                predicted: 0.5,
                actual: 0.5,
                spread: 0.0,
                round,
            })
            .collect();

        assert_eq!(legend_rounds(&guesses), vec![1, 3, 6, 9, 12]);
        assert_eq!(round_color(1, 12), EARLY);
        assert_eq!(round_color(12, 12), LATE);
        assert_eq!(round_color(0, 12), palette::NEUTRAL);
    }

    #[test]
    fn both_axes_share_a_range_that_holds_points_and_bars() {
        let guesses = [
            Guess {
                predicted: 0.9,
                actual: 0.7,
                spread: 0.05,
                round: 1,
            },
            Guess {
                predicted: 0.92,
                actual: 0.92,
                spread: 0.2,
                round: 1,
            },
        ];

        let range = shared_range(&guesses);

        assert!(
            range.start < 0.7 && range.end > 1.0 && range.end <= 1.04,
            "{range:?}"
        );
        let equal = shared_range(
            &guesses[..1]
                .iter()
                .map(|g| Guess {
                    spread: 0.0,
                    actual: 0.9,
                    ..*g
                })
                .collect::<Vec<_>>(),
        );
        assert!(equal.end - equal.start >= MIN_SPAN, "{equal:?}");
    }
}
