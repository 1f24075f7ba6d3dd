//! Search strategies raced on a tabular benchmark over many seeds: for each,
//! the median best-so-far accuracy per query with the middle half of the seeds
//! shaded around it, and the benchmark's best as the finish line.

use std::ops::Range;

use plotters::prelude::{Circle, Color, DashedLineSeries, DrawingBackend, Polygon, Text};
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
/// band, and the best accuracy in the table as a dashed line. The y axis starts
/// at the medians after the first tenth of the queries and ends at the top of
/// everything drawn: strategies differ by tenths of a percent up there, which
/// the steep first queries would squeeze into a sliver. What lies below the
/// axis is cut off there, and a note says so.
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
    let y_range = race_range(data, count, optimum);
    let skipped = curves().map(|c| count_unplottable(c)).sum::<usize>()
        + usize::from(data.optimum.is_some() && optimum.is_none());
    let cut = curves()
        .flatten()
        .any(|&v| axis::is_fraction(v) && v < y_range.start);
    let notes = race_notes(skipped, count > 0, data.seeds, cut);

    let area = frame::page(backend, TITLE, &notes, style)?;
    if count == 0 {
        return frame::notice(&area, NO_RACE, style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let floor = y_range.start;
    let lines: Vec<Vec<Vec<(f64, f64)>>> = data
        .strategies
        .iter()
        .map(|s| {
            let runs = fraction_runs(&s.median);
            runs.iter().flat_map(|run| above(run, floor)).collect()
        })
        .collect();
    let shaded: Vec<Vec<Vec<(f64, f64)>>> = data
        .strategies
        .iter()
        .map(|s| bands(&raised(&s.lower, floor), &raised(&s.upper, floor)))
        .collect();
    let x_range = axis::numbered(count);
    let finish_line = optimum.map(|y| (1..=20).map(move |k| (count as f64 * k as f64 / 20.0, y)));
    let occupied = lines
        .iter()
        .chain(&shaded)
        .flatten()
        .flatten()
        .copied()
        .chain(finish_line.into_iter().flatten());
    let corner = legend::quietest_corner(occupied, &x_range, &y_range);
    let mut chart = axis::cartesian(&area, x_range.clone(), y_range.clone(), style)?;
    let axes = Axes {
        x_title: "queries (table look-ups)",
        y_title: "best accuracy so far",
        x_ticks: Ticks::Count(count as f64),
        y_ticks: Ticks::Fraction(axis::decimals_for(y_range.end - y_range.start)),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    for (index, bands) in shaded.into_iter().enumerate() {
        let fill = palette::series_color(index).mix(0.18).filled();
        for band in bands {
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
    let radius = style.px(3.5);
    for (index, (strategy, parts)) in data.strategies.iter().zip(&lines).enumerate() {
        let color = palette::series_color(index);
        for part in parts {
            frame::draw_line(&mut chart, part, color, style)?;
        }
        // Few queries: a dot on each, so that a lone one shows.
        if count <= 60 {
            let dots = parts.iter().flatten().filter(|p| p.0.fract() == 0.0);
            chart.draw_series(dots.map(|&p| Circle::new(p, radius, color.filled())))?;
        }
        legend::entry(
            &mut chart,
            &strategy.label(index),
            legend::line_icon(color, style),
        )?;
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// The line of notes under the chart: what was left out, what the lines and
/// bands are (once there are any), and whether the axis cut the start off.
fn race_notes(skipped: usize, drawn: bool, seeds: usize, cut: bool) -> Vec<String> {
    let mut notes = skipped_note(skipped, "not a number in [0, 1]");
    if drawn {
        notes.push(match seeds {
            0 => "lines: medians; bands: middle half of the seeds".to_string(),
            seeds => format!("lines: median of {seeds} seeds; bands: middle half of them"),
        });
    }
    if cut {
        notes.push("the first queries start below the axis".to_string());
    }
    notes
}

/// The y range of the race: from the lowest median after the first tenth of
/// the queries (or the lowest value drawn, where there is no such median) to
/// the highest value drawn, the optimum included.
fn race_range(data: &StrategyRaceData, count: usize, optimum: Option<f64>) -> Range<f64> {
    let fractions = |values: &[f64]| -> Vec<f64> {
        values
            .iter()
            .copied()
            .filter(|&v| axis::is_fraction(v))
            .collect()
    };
    let tenth = count.saturating_sub(1) / 10;
    let settled: Vec<f64> = data
        .strategies
        .iter()
        .flat_map(|s| fractions(s.median.get(tenth..).unwrap_or_default()))
        .collect();
    let everything: Vec<f64> = data
        .strategies
        .iter()
        .flat_map(|s| [&s.median, &s.lower, &s.upper])
        .flat_map(|c| fractions(c))
        .chain(optimum)
        .collect();
    let lows = if settled.is_empty() {
        &everything
    } else {
        &settled
    };
    let lo = lows.iter().chain(&optimum).copied().reduce(f64::min);
    let hi = everything.iter().copied().reduce(f64::max);
    match lo.zip(hi) {
        Some((lo, hi)) => padded(lo, hi),
        None => axis::unit(),
    }
}

/// `lo..hi` (fractions) with a little room above and below, at least
/// [`MIN_SPAN`] tall and never far outside [0, 1].
fn padded(lo: f64, hi: f64) -> Range<f64> {
    let widen = (MIN_SPAN - (hi - lo)).max(0.0) / 2.0;
    let (lo, hi) = (lo - widen, hi + widen);
    let pad = (hi - lo) * 0.08;
    let unit = axis::unit();
    (lo - pad).max(unit.start)..(hi + pad).min(unit.end)
}

/// The parts of a line at or above `floor`: each segment that crosses it is
/// cut where it crosses, so a line leaves through the bottom of the plot
/// instead of running along it.
fn above(points: &[(f64, f64)], floor: f64) -> Vec<Vec<(f64, f64)>> {
    let mut parts = Vec::new();
    let mut current = Vec::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        if let Some(&(px, py)) = i.checked_sub(1).and_then(|j| points.get(j))
            && (py < floor) != (y < floor)
        {
            let t = (floor - py) / (y - py);
            current.push((px + t * (x - px), floor));
            if y < floor {
                parts.push(std::mem::take(&mut current));
            }
        }
        if y >= floor {
            current.push((x, y));
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// `values` with every fraction below `floor` raised to it (NaN stays NaN):
/// a band cut off at the bottom of the plot.
fn raised(values: &[f64], floor: f64) -> Vec<f64> {
    values
        .iter()
        .map(|&v| {
            if axis::is_fraction(v) {
                v.max(floor)
            } else {
                v
            }
        })
        .collect()
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
    fn a_third_strategy_gets_its_own_colour_band_and_label() {
        let curves = |name: &str, top: f64| RaceCurves {
            name: name.into(),
            median: rising(300, top, 40.0),
            lower: rising(300, top - 0.002, 40.0),
            upper: rising(300, top + 0.001, 40.0),
        };
        let data = StrategyRaceData {
            strategies: vec![
                curves("Random search", 0.938),
                curves("Regularized evolution", 0.941),
                curves("Predictor-based", 0.943),
            ],
            optimum: Some(0.94373),
            seeds: 20,
        };

        let svg = draw(&data);
        preview("strategy_race_three", &svg);

        for name in ["Random search", "Regularized evolution", "Predictor-based"] {
            assert!(has_text(&svg, name), "{name} missing");
        }
        assert_eq!(svg.matches("<polygon").count(), 3, "one band per strategy");
        let colours: Vec<String> = (0..3)
            .map(|i| {
                let c = palette::series_color(i);
                format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
            })
            .collect();
        for colour in &colours {
            assert!(svg.contains(colour.as_str()), "{colour} missing");
        }
        assert_eq!(
            colours
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            3
        );
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
    fn the_y_axis_starts_at_the_medians_after_a_tenth_of_the_queries() {
        let data = race(&rising(300, 0.94, 30.0), Some(0.94373));
        let settled = data.strategies[0].median[29];

        let range = race_range(&data, 300, data.optimum);
        let svg = draw(&data);

        assert!(
            range.start < settled && settled - range.start < 0.002,
            "{range:?}"
        );
        assert!(range.end > 0.94373 && range.end < 0.946, "{range:?}");
        assert!(svg.contains("the first queries start below the axis"));
    }

    #[test]
    fn a_narrow_or_full_range_stays_readable_and_near_zero_to_one() {
        let equal = padded(0.5, 0.5);

        assert!(equal.end - equal.start >= MIN_SPAN, "{equal:?}");
        assert_eq!(padded(0.0, 1.0), axis::unit());
        let nothing = race(&[f64::NAN], None);
        assert_eq!(race_range(&nothing, 1, None), axis::unit());
    }

    #[test]
    fn a_line_is_cut_where_it_crosses_the_bottom_of_the_plot() {
        let line = [(1.0, 0.2), (2.0, 0.6), (3.0, 0.8), (4.0, 0.2), (5.0, 0.2)];

        let parts = above(&line, 0.4);

        assert_eq!(parts.len(), 1);
        let part = &parts[0];
        assert_eq!(part.len(), 4);
        assert!(
            (part[0].0 - 1.5).abs() < 1e-12 && part[0].1 == 0.4,
            "{part:?}"
        );
        assert_eq!(&part[1..3], &[(2.0, 0.6), (3.0, 0.8)]);
        assert!((part[3].0 - 3.0 - 2.0 / 3.0).abs() < 1e-12, "{part:?}");
        assert!(above(&[(1.0, 0.1)], 0.4).is_empty());
    }

    #[test]
    fn a_band_below_the_axis_is_raised_to_it_and_nan_stays_a_gap() {
        let raised = raised(&[0.1, f64::NAN, 0.7], 0.5);

        assert_eq!(raised[0], 0.5);
        assert!(raised[1].is_nan());
        assert_eq!(raised[2], 0.7);
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
