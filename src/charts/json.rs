//! Drawing a chart named by a string from data given as JSON: the form in which
//! the page asks for charts.
//!
//! JSON has no NaN or infinity; `serde_json` and the browser's `JSON.stringify`
//! both write them as `null`. Numeric fields therefore read `null` back as NaN,
//! which every chart shows as a failed or skipped value.

use plotters::prelude::DrawingBackend;
use serde::{Deserialize, Deserializer};

use super::{
    ChartError, ChartStyle, PointPosition, draw_accuracy_histogram, draw_alpha_heatmap,
    draw_alpha_lines, draw_arch_graph, draw_best_so_far, draw_cell_graph, draw_darts_curves,
    draw_diversity, draw_evolution_progress, draw_latency_bars, draw_op_frequency,
    draw_op_positions, draw_ops_scatter, draw_pareto_scatter, draw_predicted_vs_true,
    draw_rank_quality, draw_strategy_race,
};

/// The names [`draw_json`] knows, in the order the page shows them.
pub const CHART_KINDS: [&str; 17] = [
    "ops_scatter",
    "arch_graph",
    "best_so_far",
    "evolution_progress",
    "diversity",
    "accuracy_histogram",
    "alpha_heatmap",
    "alpha_lines",
    "darts_curves",
    "cell_graph",
    "latency_bars",
    "pareto_scatter",
    "op_frequency",
    "op_positions",
    "strategy_race",
    "predicted_vs_true",
    "rank_quality",
];

/// Draws the chart named `kind` from `data_json` onto `backend`.
///
/// # Errors
/// [`ChartError::UnknownKind`] for a name not in [`CHART_KINDS`],
/// [`ChartError::BadData`] when the JSON does not parse into that chart's data,
/// [`ChartError::Draw`] when the backend fails.
pub fn draw_json<DB: DrawingBackend>(
    backend: DB,
    kind: &str,
    data_json: &str,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    match kind {
        "ops_scatter" => draw_ops_scatter(backend, &parse(kind, data_json)?, style),
        "arch_graph" => draw_arch_graph(backend, &parse(kind, data_json)?, style),
        "best_so_far" => draw_best_so_far(backend, &parse(kind, data_json)?, style),
        "evolution_progress" => draw_evolution_progress(backend, &parse(kind, data_json)?, style),
        "diversity" => draw_diversity(backend, &parse(kind, data_json)?, style),
        "accuracy_histogram" => draw_accuracy_histogram(backend, &parse(kind, data_json)?, style),
        "alpha_heatmap" => draw_alpha_heatmap(backend, &parse(kind, data_json)?, style),
        "alpha_lines" => draw_alpha_lines(backend, &parse(kind, data_json)?, style),
        "darts_curves" => draw_darts_curves(backend, &parse(kind, data_json)?, style),
        "cell_graph" => draw_cell_graph(backend, &parse(kind, data_json)?, style),
        "latency_bars" => draw_latency_bars(backend, &parse(kind, data_json)?, style),
        "pareto_scatter" => draw_pareto_scatter(backend, &parse(kind, data_json)?, style).map(drop),
        "op_frequency" => draw_op_frequency(backend, &parse(kind, data_json)?, style),
        "op_positions" => draw_op_positions(backend, &parse(kind, data_json)?, style),
        "strategy_race" => draw_strategy_race(backend, &parse(kind, data_json)?, style),
        "predicted_vs_true" => draw_predicted_vs_true(backend, &parse(kind, data_json)?, style),
        "rank_quality" => draw_rank_quality(backend, &parse(kind, data_json)?, style),
        _ => Err(ChartError::UnknownKind(
            kind.to_string(),
            CHART_KINDS.join(", "),
        )),
    }
}

/// Like [`draw_json`], and returns where the chart's clickable points landed:
/// every drawn point of a `"pareto_scatter"`; the other charts have none.
///
/// # Errors
/// As [`draw_json`].
pub fn draw_json_points<DB: DrawingBackend>(
    backend: DB,
    kind: &str,
    data_json: &str,
    style: &ChartStyle,
) -> Result<Vec<PointPosition>, ChartError> {
    match kind {
        "pareto_scatter" => draw_pareto_scatter(backend, &parse(kind, data_json)?, style),
        _ => draw_json(backend, kind, data_json, style).map(|()| Vec::new()),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(kind: &str, data_json: &str) -> Result<T, ChartError> {
    serde_json::from_str(data_json).map_err(|error| ChartError::BadData {
        kind: kind.to_string(),
        detail: error.to_string(),
    })
}

/// Reads a number that may be `null` (a NaN or infinity on the writing side).
pub(super) fn number_or_nan<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

/// Reads a list of numbers in which `null` stands for NaN.
pub(super) fn numbers_or_nan<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<f64>, D::Error> {
    let numbers = Vec::<Option<f64>>::deserialize(deserializer)?;
    Ok(numbers.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{render, render_json};
    use crate::charts::{AccuracySeries, BestSoFarData};

    #[test]
    fn malformed_json_is_bad_data_naming_the_chart() {
        let error = render_json("best_so_far", "{\"series\": [").unwrap_err();

        assert!(
            matches!(&error, ChartError::BadData { kind, .. } if kind == "best_so_far"),
            "{error:?}"
        );
        assert!(error.to_string().contains("\"best_so_far\""));
    }

    #[test]
    fn json_of_the_wrong_shape_is_bad_data() {
        let error = render_json("ops_scatter", r#"{"ops": []}"#).unwrap_err();

        assert!(matches!(error, ChartError::BadData { .. }), "{error:?}");
    }

    #[test]
    fn an_unknown_chart_lists_the_known_ones() {
        let error = render_json("pie", "{}").unwrap_err();

        let ChartError::UnknownKind(kind, known) = &error else {
            panic!("expected UnknownKind, got {error:?}");
        };
        assert_eq!(kind, "pie");
        for name in CHART_KINDS {
            assert!(known.contains(name), "{name} missing from {known}");
        }
    }

    #[test]
    fn every_known_chart_is_drawn_from_json() {
        let samples = [
            r#"[{"op":"conv3x3","kind":"conv","params":9248,"flops":2359296}]"#,
            r#"{"ops":["conv3x3"]}"#,
            r#"{"series":[{"name":"Random","values":[0.5]}]}"#,
            r#"{"best":[0.5],"mean":[0.4]}"#,
            r#"{"values":[1.0]}"#,
            r#"{"series":[{"name":"Random","values":[0.5]}]}"#,
            r#"{"edges":["0→1"],"ops":["conv3x3"],"probabilities":[[1.0]]}"#,
            r#"{"series":[{"name":"conv3x3","values":[0.5,0.6]}]}"#,
            r#"{"train_loss":[1.0],"valid_loss":[0.9],"train_accuracy":[0.5],"valid_accuracy":[0.6]}"#,
            r#"{"nodes":2,"edges":[{"from":0,"to":1,"op":"conv3x3"}]}"#,
            r#"{"groups":["1"],"series":[{"name":"a","values":[1.0]}]}"#,
            r##"{"x":"latency_ms","points":[{"group":"random","label":"#1","status":"ok",
                "accuracy":0.5,"latency_ms":0.2,"params":900,"flops":null}]}"##,
            r#"{"ops":["conv3x3"],"architectures":[["conv3x3","identity"]]}"#,
            r#"{"architectures":[["conv3x3","identity"]]}"#,
            r#"{"strategies":[{"name":"Random","median":[0.9],"lower":[0.89],"upper":[0.91]}]}"#,
            r#"{"predicted":[0.8],"actual":[0.85],"spread":[0.02],"round":[1],"kendall":null}"#,
            r#"{"kendall":[null,0.4],"spearman":[null,0.5],"proxy_kendall":[0.1,0.2]}"#,
        ];

        for (kind, json) in CHART_KINDS.iter().zip(samples) {
            let svg = render_json(kind, json).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert!(svg.contains("<svg"), "{kind}");
        }
    }

    #[test]
    fn only_the_pareto_scatter_reports_point_positions() {
        let scatter = r#"{"x":"params","points":[
            {"group":"random","status":"ok","accuracy":0.5,"latency_ms":0.2,"params":900},
            {"group":"random","status":"failed","accuracy":null,"latency_ms":null,"params":900}
        ]}"#;
        let draw = |kind: &str, json: &str| {
            let mut positions = Vec::new();
            render(|b| {
                positions = draw_json_points(b, kind, json, &ChartStyle::default())?;
                Ok(())
            })
            .unwrap();
            positions
        };

        let positions = draw("pareto_scatter", scatter);

        assert_eq!(positions.len(), 1, "the failed candidate is not drawn");
        assert_eq!(positions[0].index, 0);
        assert!(draw("diversity", r#"{"values":[0.5]}"#).is_empty());
    }

    #[test]
    fn data_written_with_nan_reads_back_with_nan() {
        let data = BestSoFarData {
            series: vec![AccuracySeries {
                name: "Random".into(),
                values: vec![0.5, f64::NAN],
            }],
        };

        let json = serde_json::to_string(&data).unwrap();
        let back: BestSoFarData = parse("best_so_far", &json).unwrap();

        assert!(json.contains("null"), "{json}");
        assert_eq!(back.series[0].values[0], 0.5);
        assert!(back.series[0].values[1].is_nan());
    }

    #[test]
    fn null_in_the_data_reads_as_a_failed_value() {
        let svg = render_json(
            "best_so_far",
            r#"{"series":[{"name":"R","values":[0.5,null]}]}"#,
        )
        .unwrap();

        assert!(svg.contains("failed"));
    }
}
