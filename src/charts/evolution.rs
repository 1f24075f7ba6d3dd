//! How an evolutionary search advances generation by generation: the best and
//! mean accuracy of the population, and how diverse the population stays.

use plotters::prelude::{Color, DrawingBackend, Polygon};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Ticks};
use super::json::numbers_or_nan;
use super::series::{count_unplottable, fraction_runs, skipped_note};
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"evolution_progress"` chart: per generation, the best and the
/// mean validation accuracy of the population.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvolutionProgressData {
    /// The best accuracy in each generation, in [0, 1].
    #[serde(deserialize_with = "numbers_or_nan")]
    pub best: Vec<f64>,
    /// The mean accuracy of each generation's population, in [0, 1].
    #[serde(deserialize_with = "numbers_or_nan")]
    pub mean: Vec<f64>,
}

/// Data of the `"diversity"` chart: per generation, the fraction of the
/// population's architectures that are unique.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiversityData {
    /// Unique architectures over population size, in [0, 1].
    #[serde(deserialize_with = "numbers_or_nan")]
    pub values: Vec<f64>,
}

const PROGRESS_TITLE: &str = "Accuracy per generation";
const DIVERSITY_TITLE: &str = "Population diversity";
const NO_GENERATIONS: &str = "No generations yet — run an evolution search";
const UNPLOTTABLE: &str = "not a number in [0, 1]";

/// Draws the best and mean accuracy of each generation with the band between
/// them shaded: a wide band is a population still spread out, a narrowing one a
/// population converging.
pub fn draw_evolution_progress<DB: DrawingBackend>(
    backend: DB,
    data: &EvolutionProgressData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let count = data.best.len().max(data.mean.len());
    let skipped = count_unplottable(&data.best) + count_unplottable(&data.mean);
    let notes = skipped_note(skipped, UNPLOTTABLE);

    let area = frame::page(backend, PROGRESS_TITLE, &notes, style)?;
    if count == 0 {
        return frame::notice(&area, NO_GENERATIONS, style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let (x_range, y_range) = (axis::numbered(count), axis::unit());
    let drawn = fraction_runs(&data.best)
        .into_iter()
        .chain(fraction_runs(&data.mean));
    let corner = legend::quietest_corner(drawn.flatten(), &x_range, &y_range);
    let mut chart = axis::cartesian(&area, x_range, y_range, style)?;
    let axes = Axes {
        x_title: "generation",
        y_title: "validation accuracy",
        x_ticks: Ticks::Count(count as f64),
        y_ticks: Ticks::Fraction(2),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    for band in bands(&data.best, &data.mean) {
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            palette::BLUE.mix(0.15).filled(),
        )))?;
    }
    for (name, values, color) in [
        ("Best", &data.best, palette::BLUE),
        ("Mean", &data.mean, palette::ORANGE),
    ] {
        frame::draw_fractions(&mut chart, values, color, style)?;
        legend::entry(&mut chart, name, legend::line_icon(color, style))?;
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// The outlines of the shaded band between `best` and `mean`: one polygon for
/// each run of generations where both are known, along the best and back along
/// the mean.
fn bands(best: &[f64], mean: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let both_known: Vec<f64> = best
        .iter()
        .zip(mean)
        .map(|(&b, &m)| if axis::is_fraction(m) { b } else { f64::NAN })
        .collect();
    fraction_runs(&both_known)
        .into_iter()
        .filter(|run| run.len() > 1)
        .map(|run| {
            let back_along_mean = run.iter().rev().map(|&(x, _)| (x, mean[x as usize - 1]));
            run.iter().copied().chain(back_along_mean).collect()
        })
        .collect()
}

/// Draws the fraction of unique architectures in each generation: when it falls
/// towards zero the population has collapsed onto a few architectures and
/// crossover has little left to combine.
pub fn draw_diversity<DB: DrawingBackend>(
    backend: DB,
    data: &DiversityData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let notes = skipped_note(count_unplottable(&data.values), UNPLOTTABLE);

    let area = frame::page(backend, DIVERSITY_TITLE, &notes, style)?;
    if data.values.is_empty() {
        return frame::notice(&area, NO_GENERATIONS, style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let count = data.values.len();
    let mut chart = axis::cartesian(&area, axis::numbered(count), axis::unit(), style)?;
    let axes = Axes {
        x_title: "generation",
        y_title: "unique architectures (fraction)",
        x_ticks: Ticks::Count(count as f64),
        y_ticks: Ticks::Fraction(2),
    };
    axis::draw_axes(&mut chart, &axes, style)?;

    for run in fraction_runs(&data.values)
        .into_iter()
        .filter(|run| run.len() > 1)
    {
        let floor = [(run[run.len() - 1].0, 0.0), (run[0].0, 0.0)];
        let filled: Vec<(f64, f64)> = run.iter().copied().chain(floor).collect();
        chart.draw_series(std::iter::once(Polygon::new(
            filled,
            palette::GREEN.mix(0.12).filled(),
        )))?;
    }
    frame::draw_fractions(&mut chart, &data.values, palette::GREEN, style)?;
    frame::finish(&area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render};

    #[test]
    fn progress_shows_best_and_mean_with_a_legend() {
        let data = EvolutionProgressData {
            best: vec![0.62, 0.7, 0.74, 0.81, 0.81, 0.86, 0.9, 0.9],
            mean: vec![0.35, 0.44, 0.52, 0.6, 0.66, 0.7, 0.75, 0.79],
        };

        let svg = render(|b| draw_evolution_progress(b, &data, &ChartStyle::default())).unwrap();
        preview("evolution_progress", &svg);

        for text in [
            PROGRESS_TITLE,
            "Best",
            "Mean",
            "generation",
            "validation accuracy",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
        assert!(svg.contains("<polygon"), "band missing");
    }

    #[test]
    fn the_band_follows_best_out_and_mean_back() {
        let band = bands(&[0.8, 0.9], &[0.5, 0.6]);

        assert_eq!(
            band,
            vec![vec![(1.0, 0.8), (2.0, 0.9), (2.0, 0.6), (1.0, 0.5)]]
        );
    }

    #[test]
    fn the_band_breaks_where_a_mean_is_missing() {
        let band = bands(
            &[0.8, 0.9, 0.9, 0.95, 0.97],
            &[0.5, 0.6, f64::NAN, 0.7, 0.8],
        );

        assert_eq!(band.len(), 2);
    }

    #[test]
    fn missing_values_in_progress_are_counted_under_the_chart() {
        let data = EvolutionProgressData {
            best: vec![0.5, f64::NAN],
            mean: vec![0.4, f64::INFINITY],
        };

        let svg = render(|b| draw_evolution_progress(b, &data, &ChartStyle::default())).unwrap();

        assert!(svg.contains("2 values not shown"));
    }

    #[test]
    fn diversity_is_drawn_as_a_fraction_per_generation() {
        let data = DiversityData {
            values: vec![1.0, 0.95, 0.85, 0.7, 0.6, 0.45, 0.4, 0.35],
        };

        let svg = render(|b| draw_diversity(b, &data, &ChartStyle::default())).unwrap();
        preview("diversity", &svg);

        for text in [
            DIVERSITY_TITLE,
            "unique architectures (fraction)",
            "generation",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
    }

    #[test]
    fn no_generations_show_a_message() {
        let progress = render(|b| {
            draw_evolution_progress(b, &EvolutionProgressData::default(), &ChartStyle::default())
        });
        let diversity =
            render(|b| draw_diversity(b, &DiversityData::default(), &ChartStyle::default()));

        assert!(progress.unwrap().contains(NO_GENERATIONS));
        assert!(diversity.unwrap().contains(NO_GENERATIONS));
    }
}
