//! NAS-Bench-201 cells as fixed-length feature vectors for the predictor.

use crate::nb201::{Cell, EDGE_COUNT, EdgeOp};

/// Values in a cell's encoding: a one-hot op per edge, then the op counts.
pub const CELL_FEATURES: usize = EDGE_COUNT * EdgeOp::ALL.len() + EdgeOp::ALL.len();

/// A one-hot op for each edge (6 × 5 = 30 values, edges in the order of
/// `EDGES`, ops in the order of `EdgeOp::ALL`), then how many edges carry each
/// op, divided by the edge count so that every value lies in [0, 1]. The
/// counts repeat what the one-hots hold, but as one value per op, which a
/// small net trained on a few dozen cells picks up much sooner (how many
/// convolutions a cell has explains much of its accuracy).
pub fn encode_cell(cell: &Cell) -> Vec<f32> {
    let ops = EdgeOp::ALL.len();
    let mut features = vec![0.0; CELL_FEATURES];
    for (edge, op) in cell.edges().iter().enumerate() {
        features[edge * ops + op.digit()] = 1.0;
    }
    for op in EdgeOp::ALL {
        features[EDGE_COUNT * ops + op.digit()] = cell.count(op) as f32 / EDGE_COUNT as f32;
    }
    features
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_edge_has_one_hot_and_the_counts_sum_to_one() {
        let cell: Cell = "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_3x3~0|nor_conv_1x1~1|avg_pool_3x3~2|"
            .parse()
            .unwrap();

        let features = encode_cell(&cell);

        assert_eq!(features.len(), 35);
        for edge in features[..30].chunks(5) {
            assert_eq!(edge.iter().sum::<f32>(), 1.0);
        }
        assert_eq!(&features[..5], &[0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(features[30 + EdgeOp::NorConv3x3.digit()], 2.0 / 6.0);
        assert!((features[30..].iter().sum::<f32>() - 1.0).abs() < 1e-6);
    }
}
