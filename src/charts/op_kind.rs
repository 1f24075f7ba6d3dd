//! The three families of search-space ops, which the charts tell apart by colour.

use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

use super::palette;

/// The family an op belongs to: it decides the op's colour in every chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// Convolutions, plain or depthwise-separable.
    Conv,
    /// Max and average pooling.
    Pool,
    /// The identity (skip) connection.
    Skip,
}

impl OpKind {
    /// All kinds, in legend order.
    pub const ALL: [OpKind; 3] = [OpKind::Conv, OpKind::Pool, OpKind::Skip];

    /// The kind of a search-space op, from its name (`conv5x5`, `avg_pool3x3`,
    /// `identity`), or `None` for a name that fits no family.
    ///
    /// The charts take op names as plain strings so they need not depend on the
    /// search space; this is the one place that reads a family from a name.
    pub fn of_op(name: &str) -> Option<OpKind> {
        let name = name.to_ascii_lowercase();
        if name.contains("pool") {
            Some(OpKind::Pool)
        } else if name.contains("conv") {
            Some(OpKind::Conv)
        } else if name == "identity" || name == "skip" || name.contains("skip") {
            Some(OpKind::Skip)
        } else {
            None
        }
    }

    /// The word shown in legends.
    pub fn label(self) -> &'static str {
        match self {
            OpKind::Conv => "conv",
            OpKind::Pool => "pool",
            OpKind::Skip => "skip",
        }
    }

    pub(super) fn color(self) -> RGBColor {
        match self {
            OpKind::Conv => palette::BLUE,
            OpKind::Pool => palette::GREEN,
            OpKind::Skip => palette::VERMILLION,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_search_space_op_has_a_kind() {
        let ops = [
            ("conv3x3", OpKind::Conv),
            ("conv5x5", OpKind::Conv),
            ("dw_conv3x3", OpKind::Conv),
            ("dw_conv5x5", OpKind::Conv),
            ("max_pool3x3", OpKind::Pool),
            ("avg_pool3x3", OpKind::Pool),
            ("identity", OpKind::Skip),
        ];

        for (name, kind) in ops {
            assert_eq!(OpKind::of_op(name), Some(kind), "op {name}");
        }
    }

    #[test]
    fn a_name_of_no_family_has_no_kind() {
        assert_eq!(OpKind::of_op("attention"), None);
        assert_eq!(OpKind::of_op(""), None);
    }
}
