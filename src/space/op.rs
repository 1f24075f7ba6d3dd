//! The seven primitive operations of the chain search space and their exact costs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// One candidate layer. Every op keeps the channel count and the spatial size
/// (stride 1, same padding), so any sequence of them is a valid network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    #[serde(rename = "conv3x3")]
    Conv3x3,
    #[serde(rename = "conv5x5")]
    Conv5x5,
    #[serde(rename = "dw_conv3x3")]
    DwConv3x3,
    #[serde(rename = "dw_conv5x5")]
    DwConv5x5,
    #[serde(rename = "max_pool3x3")]
    MaxPool3x3,
    #[serde(rename = "avg_pool3x3")]
    AvgPool3x3,
    #[serde(rename = "identity")]
    Identity,
}

/// The family an op belongs to, used to colour charts and to spot
/// parameter-free choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    Conv,
    Pool,
    Skip,
}

impl Op {
    /// All ops in canonical order (the order of the tutorial's `PRIMITIVES`).
    pub const ALL: [Op; 7] = [
        Op::Conv3x3,
        Op::Conv5x5,
        Op::DwConv3x3,
        Op::DwConv5x5,
        Op::MaxPool3x3,
        Op::AvgPool3x3,
        Op::Identity,
    ];

    /// The op's one string form, shared by the UI, the URL, JSON and logs.
    pub fn name(self) -> &'static str {
        match self {
            Op::Conv3x3 => "conv3x3",
            Op::Conv5x5 => "conv5x5",
            Op::DwConv3x3 => "dw_conv3x3",
            Op::DwConv5x5 => "dw_conv5x5",
            Op::MaxPool3x3 => "max_pool3x3",
            Op::AvgPool3x3 => "avg_pool3x3",
            Op::Identity => "identity",
        }
    }

    pub fn kind(self) -> OpKind {
        match self {
            Op::Conv3x3 | Op::Conv5x5 | Op::DwConv3x3 | Op::DwConv5x5 => OpKind::Conv,
            Op::MaxPool3x3 | Op::AvgPool3x3 => OpKind::Pool,
            Op::Identity => OpKind::Skip,
        }
    }

    /// Spatial kernel size of the op's main convolution or pooling window.
    pub fn kernel(self) -> usize {
        match self {
            Op::Conv5x5 | Op::DwConv5x5 => 5,
            Op::Identity => 1,
            _ => 3,
        }
    }

    /// Trainable parameters of the op at `width` channels, counted as PyTorch
    /// counts them: conv weights and biases, and batch-norm scale and shift
    /// (running statistics are buffers, not parameters).
    pub fn params(self, width: usize) -> usize {
        let (c, k) = (width, self.kernel());
        match self {
            Op::Conv3x3 | Op::Conv5x5 => c * c * k * k + c + 2 * c,
            Op::DwConv3x3 | Op::DwConv5x5 => (c * k * k + c + 2 * c) + (c * c + c + 2 * c),
            Op::MaxPool3x3 | Op::AvgPool3x3 | Op::Identity => 0,
        }
    }

    /// Operations of the op on a `size`×`size` map at `width` channels:
    /// multiply-adds of its convolutions, and one operation per window element
    /// for pooling. Batch norm and ReLU are not counted.
    pub fn flops(self, width: usize, size: usize) -> usize {
        let (c, k, hw) = (width, self.kernel(), size * size);
        match self {
            Op::Conv3x3 | Op::Conv5x5 => hw * c * c * k * k,
            Op::DwConv3x3 | Op::DwConv5x5 => hw * c * k * k + hw * c * c,
            Op::MaxPool3x3 | Op::AvgPool3x3 => hw * c * k * k,
            Op::Identity => 0,
        }
    }

    /// The known op names, comma-separated, for error messages.
    pub fn known_names() -> String {
        Op::ALL.map(Op::name).join(", ")
    }

    /// Parses `item`, the `position`-th (1-based) entry of a comma-separated
    /// list, so that an error names the entry where it is.
    pub fn parse_item(item: &str, position: usize) -> Result<Op, Error> {
        if item.is_empty() {
            return Err(Error::EmptyItem { position });
        }
        Op::ALL
            .into_iter()
            .find(|op| op.name() == item)
            .ok_or_else(|| Error::UnknownOp {
                name: item.to_string(),
                position,
                known: Op::known_names(),
            })
    }

    /// Parses a comma-separated list of op names, such as the ops a search
    /// may use; spaces around names are allowed.
    pub fn parse_list(text: &str) -> Result<Vec<Op>, Error> {
        text.split(',')
            .enumerate()
            .map(|(i, item)| Op::parse_item(item.trim(), i + 1))
            .collect()
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Op {
    type Err = Error;

    /// Parses one op name (as the first item of a list, for error messages).
    fn from_str(s: &str) -> Result<Self, Error> {
        Op::parse_item(s, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_names_the_position_of_its_bad_item() {
        assert_eq!(
            Op::parse_list("conv3x3, identity").unwrap(),
            [Op::Conv3x3, Op::Identity]
        );
        let unknown = Op::parse_list("conv3x3,bogus").unwrap_err().to_string();
        assert!(
            unknown.starts_with("unknown op \"bogus\" at item 2"),
            "{unknown}"
        );
        let empty = Op::parse_list("conv3x3,,identity").unwrap_err().to_string();
        assert!(empty.starts_with("item 2 "), "{empty}");
    }

    #[test]
    fn names_round_trip_through_parsing() {
        for op in Op::ALL {
            assert_eq!(op.name().parse::<Op>().unwrap(), op);
        }
    }

    #[test]
    fn conv3x3_at_32_channels_has_the_pytorch_count() {
        // Conv2d(32, 32, 3): 32*32*9 weights + 32 biases = 9248; BatchNorm2d(32): 64.
        assert_eq!(Op::Conv3x3.params(32), 9248 + 64);
    }

    #[test]
    fn depthwise_separable_5x5_counts_both_convs_and_both_norms() {
        // depthwise Conv2d(16,16,5,groups=16): 16*25 + 16 = 416; BN 32;
        // pointwise Conv2d(16,16,1): 256 + 16 = 272; BN 32. Total 752.
        assert_eq!(Op::DwConv5x5.params(16), 752);
    }

    #[test]
    fn parameter_free_ops_have_no_params() {
        for op in [Op::MaxPool3x3, Op::AvgPool3x3, Op::Identity] {
            assert_eq!(op.params(64), 0);
        }
    }

    #[test]
    fn conv_flops_are_multiply_adds_per_output_pixel() {
        // 8x8 map, 32 -> 32 channels, 3x3 kernel: 64 * 32 * 32 * 9.
        assert_eq!(Op::Conv3x3.flops(32, 8), 589_824);
        assert_eq!(Op::Identity.flops(32, 8), 0);
    }

    #[test]
    fn unknown_name_lists_the_known_ops() {
        let err = "conv7x7".parse::<Op>().unwrap_err().to_string();
        assert!(
            err.contains("conv7x7") && err.contains("dw_conv5x5"),
            "{err}"
        );
    }
}
