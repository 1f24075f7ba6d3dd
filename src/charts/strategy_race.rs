//! Search strategies raced on a tabular benchmark over many seeds: for each,
//! the median best-so-far accuracy per query with the middle half of the seeds
//! shaded around it, and the benchmark's best as the finish line.

use std::ops::Range;

use plotters::prelude::{Color, DashedLineSeries, DrawingBackend, Polygon, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Ticks};
use super::json::numbers_or_nan;
use super::series::{count_unplottable, fraction_runs, skipped_note};
use super::style::LEGEND_FONT;
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"strategy_race"` chart: one entry per strategy, each curve with
/// one value per query (entry `q` after `q + 1` queries).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StrategyRaceData {
    pub strategies: Vec<RaceCurves>,
    /// The best accuracy in the table, drawn as a dashed line; none when left
    /// out or `null`.
    #[serde(default)]
    pub optimum: Option<f64>,
    /// How many seeds each curve summarises, named in the note; 0 when unsaid.
    #[serde(default)]
    pub seeds: usize,
}

/// One strategy's best-so-far accuracies over seeds, fractions in [0, 1].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RaceCurves {
    /// The strategy, shown in the legend; may be left out.
    #[serde(default)]
    pub name: String,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub median: Vec<f64>,
    /// The 25th and 75th percentiles, shaded as a band where both are known;
    /// may be left out.
    #[serde(default, deserialize_with = "numbers_or_nan")]
    pub lower: Vec<f64>,
    #[serde(default, deserialize_with = "numbers_or_nan")]
    pub upper: Vec<f64>,
}

impl RaceCurves {
    fn label(&self, index: usize) -> String {
        if self.name.trim().is_empty() {
            format!("strategy {}", index + 1)
        } else {
            self.name.clone()
        }
    }
}

const TITLE: &str = "Best accuracy found, median over seeds";
const NO_RACE: &str = "No race yet — run the race";

/// The narrowest accuracy span the y axis shows, so equal curves stay readable.
const MIN_SPAN: f64 = 0.01;

/// Draws each strategy's median best-so-far as a line over its interquartile
/// band, and the best accuracy in the table as a dashed line. The y axis spans
/// only the accuracies drawn: strategies differ by tenths of a percent there.
///
/// Values that are not fractions in [0, 1] (NaN, infinite) are left out and
/// counted in a note; a line breaks where its median is missing.
pub fn draw_strategy_race<DB: DrawingBackend>(
    backend: DB,
    data: &StrategyRaceData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let curves = || {
        data.strategies
            .iter()
            .flat_map(|s| [&s.median, &s.lower, &s.upper])
    };
    let count = curves().map(Vec::len).max().unwrap_or(0);
    let optimum = data.optimum.filter(|&v| axis::is_fraction(v));
    let skipped = curves().map(|c| count_unplottable(c)).sum::<usize>()
        + usize::from(data.optimum.is_some() && optimum.is_none());
    let mut notes = skipped_note(skipped, "not a number in [0, 1]");
    if count > 0 {
        notes.push(match data.seeds {
            0 => "lines: medians; bands: middle half of the seeds".to_string(),
            seeds => {
                format!("lines: median of {seeds} seeds; bands: middle half (25th–75th percentile)")
            }
        });
    }

    let area = frame::page(backend, TITLE, &notes, style)?;
    if count == 0 {
        return frame::notice(&area, NO_RACE, style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let drawn = curves().flat_map(|c| fraction_runs(c).into_iter().flatten());
    let finish_line = optimum.map(|y| (1..=20).map(move |k| (count as f64 * k as f64 / 20.0, y)));
    let occupied: Vec<(f64, f64)> = drawn.chain(finish_line.into_iter().flatten()).collect();
    let (x_range, y_range) = (axis::numbered(count), zoomed(occupied.iter().map(|p| p.1)));
    let corner = legend::quietest_corner(occupied.iter().copied(), &x_range, &y_range);
    let mut chart = axis::cartesian(&area, x_range.clone(), y_range.clone(), style)?;
    let axes = Axes {
        x_title: "queries (table look-ups)",
        y_title: "best accuracy so far",
        x_ticks: Ticks::Count(count as f64),
        y_ticks: Ticks::Fraction(axis::decimals_for(y_range.end - y_range.start)),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    for (index, strategy) in data.strategies.iter().enumerate() {
        let fill = palette::series_color(index).mix(0.18).filled();
        for band in bands(&strategy.lower, &strategy.upper) {
            chart.draw_series(std::iter::once(Polygon::new(band, fill)))?;
        }
    }
    if let Some(best) = optimum {
        let (dash, gap) = (style.upx(6.0), style.upx(4.0));
        chart.draw_series(DashedLineSeries::new(
            [(x_range.start, best), (x_range.end, best)],
            dash,
            gap,
            style.stroke(palette::INK, 1.5),
        ))?;
        let font = style
            .font_in(LEGEND_FONT, palette::MUTED)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        chart.draw_series(std::iter::once(Text::new(
            format!("table best {}", axis::fraction_to(best, 5)),
            (count as f64, best),
            font,
        )))?;
    }
    for (index, strategy) in data.strategies.iter().enumerate() {
        let color = palette::series_color(index);
        frame::draw_fractions(&mut chart, &strategy.median, color, style)?;
        legend::entry(
            &mut chart,
            &strategy.label(index),
            legend::line_icon(color, style),
        )?;
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// A y range around `values` (fractions) with a little room above and below,
/// at least [`MIN_SPAN`] tall and never far outside [0, 1]; the whole unit
/// range when there are none.
fn zoomed(values: impl Iterator<Item = f64>) -> Range<f64> {
    let Some((lo, hi)) = values.fold(None, |span: Option<(f64, f64)>, v| {
        Some(span.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
    }) else {
        return axis::unit();
    };
    let widen = (MIN_SPAN - (hi - lo)).max(0.0) / 2.0;
    let (lo, hi) = (lo - widen, hi + widen);
    let pad = (hi - lo) * 0.08;
    let unit = axis::unit();
    (lo - pad).max(unit.start)..(hi + pad).min(unit.end)
}

/// Outlines of the band between `lower` and `upper`: one polygon for each run
/// of at least two queries where both are known, out along the upper curve
/// and back along the lower.
fn bands(lower: &[f64], upper: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let both_known: Vec<f64> = upper
        .iter()
        .zip(lower)
        .map(|(&u, &l)| if axis::is_fraction(l) { u } else { f64::NAN })
        .collect();
    fraction_runs(&both_known)
        .into_iter()
        .filter(|run| run.len() > 1)
        .map(|run| {
            let back_along_lower = run.iter().rev().map(|&(x, _)| (x, lower[x as usize - 1]));
            run.iter().copied().chain(back_along_lower).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render};

    fn race(median: &[f64], optimum: Option<f64>) -> StrategyRaceData {
        StrategyRaceData {
            strategies: vec![RaceCurves {
                name: "Random".into(),
                median: median.to_vec(),
                lower: median.iter().map(|v| v - 0.002).collect(),
                upper: median.iter().map(|v| v + 0.002).collect(),
            }],
            optimum,
            seeds: 5,
        }
    }

    fn draw(data: &StrategyRaceData) -> String {
        render(|b| draw_strategy_race(b, data, &ChartStyle::default())).unwrap()
    }

    /// Rising best-so-far curves that level off below `top`.
    fn rising(queries: usize, top: f64, speed: f64) -> Vec<f64> {
        (1..=queries)
            .map(|q| top - 0.04 * (-(q as f64) / speed).exp())
            .collect()
    }

    #[test]
    fn two_strategies_show_lines_bands_legend_and_the_finish_line() {
        let curves = |name: &str, top: f64, speed: f64| RaceCurves {
            name: name.into(),
            median: rising(300, top, speed),
            lower: rising(300, top - 0.003, speed),
            upper: rising(300, top + 0.001, speed),
        };
        let data = StrategyRaceData {
            strategies: vec![
                curves("Random", 0.940, 60.0),
                curves("Regularized evolution", 0.9437, 30.0),
            ],
            optimum: Some(0.94373),
            seeds: 20,
        };

        let svg = draw(&data);
        preview("strategy_race", &svg);

        for text in [
            TITLE,
            "Random",
            "Regularized evolution",
            "queries (table look-ups)",
            "best accuracy so far",
            "table best 0.94373",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
        assert!(svg.contains("median of 20 seeds"));
        assert_eq!(svg.matches("<polygon").count(), 2, "one band per strategy");
    }

    #[test]
    fn no_strategies_or_empty_curves_show_a_message() {
        let empty = StrategyRaceData::default();

        for data in [empty, race(&[], Some(0.94))] {
            let svg = draw(&data);

            assert!(svg.contains(NO_RACE), "{svg}");
            assert!(!has_text(&svg, "best accuracy so far"));
        }
    }

    #[test]
    fn a_single_query_is_drawn_as_a_dot_without_a_band() {
        let svg = draw(&race(&[0.91], None));

        assert!(svg.contains("<circle"), "the lone median is a dot");
        assert!(!svg.contains("<polygon"), "a band needs two queries");
        assert!(!svg.contains("table best"));
    }

    #[test]
    fn nan_values_and_a_nan_optimum_are_left_out_and_counted() {
        let mut data = race(&[0.9, f64::NAN, 0.93], Some(f64::NAN));
        data.strategies[0].upper[2] = f64::INFINITY;

        let svg = draw(&data);

        // The median's NaN, the band's NaN on both sides, the infinity, the optimum.
        assert!(svg.contains("5 values not shown"), "{svg}");
        assert!(!svg.contains("table best"));
    }

    #[test]
    fn data_from_json_with_nulls_reads_back_as_nan() {
        let json = r#"{"strategies":[{"name":"R","median":[0.5,null]}],"optimum":null}"#;

        let data: StrategyRaceData = serde_json::from_str(json).unwrap();

        assert!(data.strategies[0].median[1].is_nan());
        assert!(data.strategies[0].lower.is_empty());
        assert_eq!((data.optimum, data.seeds), (None, 0));
    }

    #[test]
    fn the_y_axis_zooms_onto_the_curves_but_stays_near_zero_to_one() {
        let near_top = zoomed([0.93, 0.944].into_iter());
        let equal = zoomed([0.5, 0.5].into_iter());
        let full = zoomed([0.0, 1.0].into_iter());

        assert!(near_top.start > 0.92 && near_top.end < 0.95, "{near_top:?}");
        assert!(equal.end - equal.start >= MIN_SPAN, "{equal:?}");
        assert_eq!(full, axis::unit());
        assert_eq!(zoomed(std::iter::empty()), axis::unit());
    }

    #[test]
    fn the_band_goes_out_along_the_upper_curve_and_back_along_the_lower() {
        let band = bands(&[0.5, 0.6, f64::NAN, 0.7, 0.8], &[0.6, 0.7, 0.8, 0.9, 0.9]);

        assert_eq!(
            band,
            vec![
                vec![(1.0, 0.6), (2.0, 0.7), (2.0, 0.6), (1.0, 0.5)],
                vec![(4.0, 0.9), (5.0, 0.9), (5.0, 0.8), (4.0, 0.7)],
            ]
        );
    }
}
