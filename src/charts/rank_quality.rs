//! How well a performance predictor ranks architectures, round by round: its
//! Kendall τ and Spearman ρ against the true accuracies of candidates it had
//! not seen when it guessed, and the τ of a training-free proxy beside it.

use std::ops::Range;

use plotters::prelude::{Circle, Color, DashedLineSeries, DrawingBackend, Text};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Chart, Ticks};
use super::darts_lines::{NAME_ROOM, spread};
use super::json::numbers_or_nan;
use super::series::skipped_note;
use super::style::LEGEND_FONT;
use super::{ChartError, ChartStyle, axis, frame, palette};

/// Data of the `"rank_quality"` chart: one value per round of a
/// predictor-based search (entry `r` for round `r + 1`); a value is `null`
/// (NaN) where it is undefined, as with fewer than two candidates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RankQualityData {
    /// The predictor's Kendall τ on the candidates it guessed that round.
    #[serde(default, deserialize_with = "numbers_or_nan")]
    pub kendall: Vec<f64>,
    /// The predictor's Spearman ρ on the same candidates.
    #[serde(default, deserialize_with = "numbers_or_nan")]
    pub spearman: Vec<f64>,
    /// The zero-cost proxy's Kendall τ against the accuracies trained up to
    /// that round; left out where there is no proxy (NAS-Bench-201).
    #[serde(default, deserialize_with = "numbers_or_nan")]
    pub proxy_kendall: Vec<f64>,
    /// How many seeds each value is the median of, named in the note; 0 for
    /// a single run.
    #[serde(default)]
    pub seeds: usize,
}

const TITLE: &str = "How well the guesses rank, per round";
const NO_ROUNDS: &str = "No predictor round yet — the random start comes first";
const CHANCE: &str = "0 = chance";

/// The y axis: every rank correlation, with a little room at both ends.
const Y_RANGE: Range<f64> = -1.08..1.08;

/// The lines drawn, with their names at the line ends and their colours.
fn lines(data: &RankQualityData) -> [(&'static str, &[f64], RGBColor); 3] {
    [
        ("Kendall τ", &data.kendall, palette::BLUE),
        ("Spearman ρ", &data.spearman, palette::ORANGE),
        ("proxy τ", &data.proxy_kendall, palette::GREEN),
    ]
}

/// Draws Kendall τ, Spearman ρ and the proxy's τ per round on a fixed axis
/// from −1 (reversed order) to 1 (perfect order), with 0, the τ of a random
/// order, marked: a predictor worth training stays well above that line.
///
/// Lines are named at their ends rather than in a legend, which would hide
/// the rounds it covers. Values that are NaN or outside [−1, 1] break their
/// line and are counted in a note; lines of different lengths simply end at
/// different rounds.
pub fn draw_rank_quality<DB: DrawingBackend>(
    backend: DB,
    data: &RankQualityData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let rounds = lines(data).iter().map(|l| l.1.len()).max().unwrap_or(0);
    let skipped = lines(data)
        .iter()
        .flat_map(|l| l.1.iter())
        .filter(|&&v| !is_coefficient(v))
        .count();
    let mut notes = skipped_note(skipped, "undefined or outside [−1, 1]");
    if data.seeds > 1 && rounds > 0 {
        notes.push(format!("medians of {} seeds", data.seeds));
    }

    let area = frame::page(backend, TITLE, &notes, style)?;
    if rounds == 0 {
        return frame::notice(&area, NO_ROUNDS, style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let (width, _) = area.dim_in_pixel();
    let x_range = with_name_room(rounds, width as f64, style);
    let mut chart = axis::cartesian(&area, x_range, Y_RANGE, style)?;
    let axes = Axes {
        x_title: "round (the predictor retrained after each)",
        y_title: "rank correlation with true accuracy",
        x_ticks: Ticks::Upto(rounds as f64),
        y_ticks: Ticks::Number(1),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    let last = rounds as f64;
    chart.draw_series(DashedLineSeries::new(
        [(1.0, 0.0), (last, 0.0)],
        style.upx(6.0),
        style.upx(4.0),
        style.stroke(palette::NEUTRAL, 1.5),
    ))?;
    let mut names = vec![(CHANCE.to_string(), 0.0, palette::MUTED)];
    for (name, values, color) in lines(data) {
        let runs = coefficient_runs(values);
        draw_runs(&mut chart, &runs, rounds, color, style)?;
        if let Some(&(_, end)) = runs.last().and_then(|run| run.last()) {
            names.push((name.to_string(), end, color));
        }
    }
    draw_names(&mut chart, names, last, style)?;
    frame::finish(&area)
}

/// Whether `v` is a rank correlation a chart can draw: finite, in [−1, 1].
fn is_coefficient(v: f64) -> bool {
    (-1.0..=1.0).contains(&v)
}

/// The x range for `rounds` rounds, with room on the right of the last one for
/// the lines' names, in a plot about `width` device pixels wide.
fn with_name_room(rounds: usize, width: f64, style: &ChartStyle) -> Range<f64> {
    let numbered = axis::numbered(rounds);
    let room = NAME_ROOM * style.factor();
    let plot = (width - style.px(100.0) as f64 - room).max(1.0);
    let span = numbered.end - numbered.start;
    numbered.start..numbered.end + span * room / plot
}

/// Splits `values` into runs of consecutive drawable coefficients, as points
/// whose x is the round (from 1), so a line breaks where a value is missing.
fn coefficient_runs(values: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (index, &value) in values.iter().enumerate() {
        if is_coefficient(value) {
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

/// Draws each run as a line, with a dot on each round while there are few
/// enough rounds to tell apart: a lone round would otherwise be invisible.
fn draw_runs<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    runs: &[Vec<(f64, f64)>],
    rounds: usize,
    color: RGBColor,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let radius = style.px(3.5);
    for run in runs {
        frame::draw_line(chart, run, color, style)?;
        if rounds <= 60 {
            chart.draw_series(run.iter().map(|&p| Circle::new(p, radius, color.filled())))?;
        }
    }
    Ok(())
}

/// Writes each `(name, y, colour)` right of the last round, moved apart so
/// that no two overlap.
fn draw_names<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    names: Vec<(String, f64, RGBColor)>,
    last: f64,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (_, plot_height) = chart.plotting_area().dim_in_pixel();
    let span = Y_RANGE.end - Y_RANGE.start;
    let gap = span * style.px(LEGEND_FONT + 2.0) as f64 / plot_height.max(1) as f64;
    let font = style
        .font(LEGEND_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (name, y, color) in spread(names, gap, Y_RANGE.end) {
        chart.draw_series(std::iter::once(Text::new(
            name,
            (last + 0.2, y),
            font.clone().color(&color),
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, render_json, text_y};

    fn draw(data: &RankQualityData) -> String {
        render(|b| draw_rank_quality(b, data, &ChartStyle::default())).unwrap()
    }

    fn improving() -> RankQualityData {
        RankQualityData {
            kendall: vec![f64::NAN, 0.2, 0.35, 0.41, 0.5, 0.52],
            spearman: vec![f64::NAN, 0.3, 0.5, 0.58, 0.66, 0.7],
            proxy_kendall: vec![0.1, 0.15, 0.12, 0.18, 0.17, 0.2],
            seeds: 0,
        }
    }

    #[test]
    fn three_lines_are_named_at_their_ends_with_zero_marked() {
        let svg = draw(&improving());
        preview("rank_quality", &svg);

        for text in [
            TITLE,
            "Kendall τ",
            "Spearman ρ",
            "proxy τ",
            CHANCE,
            "round (the predictor retrained after each)",
            "rank correlation with true accuracy",
            "-1",
            "1",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
        // Higher on the chart is a smaller y in SVG.
        let y = |text| text_y(&svg, text).unwrap();
        assert!(y("Spearman ρ") < y("Kendall τ") && y("Kendall τ") < y("proxy τ"));
        assert!(y("proxy τ") < y(CHANCE));
        assert!(
            svg.contains("2 values not shown"),
            "the undefined first round"
        );
    }

    #[test]
    fn no_rounds_show_a_message() {
        let svg = draw(&RankQualityData::default());

        assert!(has_text(&svg, TITLE));
        assert!(svg.contains(NO_ROUNDS));
    }

    #[test]
    fn a_single_round_is_a_dot_and_all_nan_draws_only_the_chance_line() {
        let single = RankQualityData {
            kendall: vec![0.4],
            ..RankQualityData::default()
        };
        let undefined = RankQualityData {
            kendall: vec![f64::NAN; 3],
            spearman: vec![f64::NAN; 3],
            ..RankQualityData::default()
        };

        let one = draw(&single);
        let none = draw(&undefined);

        assert!(one.contains("<circle") && has_text(&one, "Kendall τ"));
        assert!(!has_text(&none, "Kendall τ") && has_text(&none, CHANCE));
        assert!(none.contains("6 values not shown"));
    }

    #[test]
    fn mismatched_lengths_end_each_line_at_its_own_round() {
        let data = RankQualityData {
            kendall: vec![0.1, 0.2, 0.3, 0.4, 0.5],
            spearman: vec![0.2],
            proxy_kendall: vec![],
            seeds: 20,
        };

        let svg = draw(&data);

        assert!(has_text(&svg, "Kendall τ") && has_text(&svg, "Spearman ρ"));
        assert!(!has_text(&svg, "proxy τ"), "an empty line is not named");
        assert!(svg.contains("medians of 20 seeds"));
    }

    #[test]
    fn values_outside_minus_one_to_one_break_the_line_and_are_counted() {
        let runs = coefficient_runs(&[0.5, 1.5, -0.2, f64::INFINITY, -1.0]);

        assert_eq!(
            runs,
            vec![vec![(1.0, 0.5)], vec![(3.0, -0.2)], vec![(5.0, -1.0)]]
        );
        let svg = render_json(
            "rank_quality",
            r#"{"kendall": [0.5, 1.5, null], "spearman": [-3]}"#,
        )
        .unwrap();
        assert!(svg.contains("3 values not shown"), "{svg}");
    }
}
