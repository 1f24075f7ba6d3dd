//! The five operations an edge of a NAS-Bench-201 cell can carry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One edge operation, named exactly as NAS-Bench-201 names it. The order of
/// `ALL` is the benchmark's and gives each cell its base-5 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EdgeOp {
    /// No connection: the edge contributes zeros.
    #[serde(rename = "none")]
    None,
    /// The input passed on unchanged.
    #[serde(rename = "skip_connect")]
    SkipConnect,
    /// ReLU, 1x1 convolution, batch norm.
    #[serde(rename = "nor_conv_1x1")]
    NorConv1x1,
    /// ReLU, 3x3 convolution, batch norm.
    #[serde(rename = "nor_conv_3x3")]
    NorConv3x3,
    /// 3x3 average pooling.
    #[serde(rename = "avg_pool_3x3")]
    AvgPool3x3,
}

impl EdgeOp {
    pub const ALL: [EdgeOp; 5] = [
        EdgeOp::None,
        EdgeOp::SkipConnect,
        EdgeOp::NorConv1x1,
        EdgeOp::NorConv3x3,
        EdgeOp::AvgPool3x3,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EdgeOp::None => "none",
            EdgeOp::SkipConnect => "skip_connect",
            EdgeOp::NorConv1x1 => "nor_conv_1x1",
            EdgeOp::NorConv3x3 => "nor_conv_3x3",
            EdgeOp::AvgPool3x3 => "avg_pool_3x3",
        }
    }

    /// Position in `ALL`: the op's digit in a cell's base-5 code.
    pub fn digit(self) -> usize {
        self as usize
    }

    /// The accepted names, for error messages.
    pub fn known_names() -> String {
        EdgeOp::ALL.map(EdgeOp::name).join(", ")
    }
}

impl fmt::Display for EdgeOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EdgeOp {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        EdgeOp::ALL
            .into_iter()
            .find(|op| op.name() == text)
            .ok_or_else(|| {
                Error::bad_setting(
                    "op",
                    format!(
                        "unknown NAS-Bench-201 op \"{text}\"; known ops: {}",
                        EdgeOp::known_names()
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_json() {
        for op in EdgeOp::ALL {
            assert_eq!(op.name().parse::<EdgeOp>().unwrap(), op);
            assert_eq!(serde_json::to_string(&op).unwrap(), format!("\"{op}\""));
        }
    }

    #[test]
    fn digits_follow_the_benchmark_order() {
        let digits: Vec<usize> = EdgeOp::ALL.map(EdgeOp::digit).to_vec();
        assert_eq!(digits, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn an_unknown_op_lists_the_known_ones() {
        let err = "conv3x3".parse::<EdgeOp>().unwrap_err().to_string();
        assert!(
            err.contains("\"conv3x3\"") && err.contains("avg_pool_3x3"),
            "{err}"
        );
    }
}
