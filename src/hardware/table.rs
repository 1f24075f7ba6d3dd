//! Per-op latency tables and the estimate of an architecture from one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::space::{Architecture, Op};

/// Where a table's numbers come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum TableKind {
    /// Hand-made numbers that only show the idea (the tutorial's tables).
    Illustrative,
    /// Timed on a device at one width and input size.
    Measured {
        backend: String,
        width: usize,
        input_size: usize,
    },
}

/// Milliseconds per op on one device, plus the fixed cost of the rest of
/// the network (stem, pooling and head) where it was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyTable {
    pub device: String,
    #[serde(flatten)]
    pub kind: TableKind,
    pub ops: BTreeMap<Op, f64>,
    /// Stem + global pooling + linear head; 0 where the table leaves it out
    /// (the tutorial's tables count the ops only).
    #[serde(default)]
    pub base_ms: f64,
}

/// The tutorial's `mobile` and `gpu` tables: made up by hand, not measured
/// anywhere, shown only as an illustration of the idea.
pub fn tutorial_tables() -> [LatencyTable; 2] {
    use Op::*;
    let table = |device: &str, values: [f64; 7]| LatencyTable {
        device: device.to_string(),
        kind: TableKind::Illustrative,
        ops: [
            Conv3x3, Conv5x5, DwConv3x3, DwConv5x5, MaxPool3x3, AvgPool3x3, Identity,
        ]
        .into_iter()
        .zip(values)
        .collect(),
        base_ms: 0.0,
    };
    [
        table("mobile", [2.0, 5.0, 1.0, 2.0, 0.5, 0.5, 0.1]),
        table("gpu", [0.5, 0.8, 0.6, 1.0, 0.2, 0.2, 0.05]),
    ]
}

/// The latency of `arch` by `table`: the base cost plus the sum of its ops.
///
/// # Errors
/// An op the table has no entry for, named with the table's device and, for
/// a measured table, the shape it was measured at; and a table whose entries
/// are not positive finite numbers (a latency is never zero).
pub fn estimate_latency(arch: &Architecture, table: &LatencyTable) -> Result<f64> {
    let mut total = table.base_ms;
    for (position, &op) in arch.ops().iter().enumerate() {
        let Some(&ms) = table.ops.get(&op) else {
            return Err(Error::bad_setting(
                "latency table",
                format!(
                    "{} has no entry for {op} (item {} of {arch}){}; measure this op on the \
                     device or choose another table",
                    table.device,
                    position + 1,
                    shape_of(table)
                ),
            ));
        };
        if !(ms.is_finite() && ms > 0.0) {
            return Err(Error::bad_setting(
                "latency table",
                format!(
                    "{} gives {op} a latency of {ms} ms{}; a latency must be a positive number",
                    table.device,
                    shape_of(table)
                ),
            ));
        }
        total += ms;
    }
    Ok(total)
}

fn shape_of(table: &LatencyTable) -> String {
    match &table.kind {
        TableKind::Illustrative => String::new(),
        TableKind::Measured {
            backend,
            width,
            input_size,
        } => format!(" at width {width} on a {input_size}x{input_size} input on {backend}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_model_sums_the_illustrative_mobile_table() {
        let arch: Architecture = "conv3x3,max_pool3x3,conv5x5,identity".parse().unwrap();
        let [mobile, gpu] = tutorial_tables();
        assert_eq!(
            estimate_latency(&arch, &mobile).unwrap(),
            2.0 + 0.5 + 5.0 + 0.1
        );
        assert!((estimate_latency(&arch, &gpu).unwrap() - 1.55).abs() < 1e-12);
        assert_eq!(mobile.kind, TableKind::Illustrative);
    }

    #[test]
    fn a_missing_op_names_op_device_and_shape() {
        let table = LatencyTable {
            device: "this device".into(),
            kind: TableKind::Measured {
                backend: "cpu".into(),
                width: 32,
                input_size: 8,
            },
            ops: [(Op::Conv3x3, 0.2)].into_iter().collect(),
            base_ms: 0.1,
        };
        let arch: Architecture = "conv3x3,identity".parse().unwrap();
        let err = estimate_latency(&arch, &table).unwrap_err().to_string();
        assert!(
            err.contains("this device has no entry for identity (item 2"),
            "{err}"
        );
        assert!(err.contains("at width 32 on a 8x8 input on cpu"), "{err}");
        let one: Architecture = "conv3x3".parse().unwrap();
        assert!((estimate_latency(&one, &table).unwrap() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn a_zero_or_nan_entry_is_refused() {
        let mut table = tutorial_tables()[0].clone();
        table.ops.insert(Op::Identity, 0.0);
        let arch: Architecture = "identity".parse().unwrap();
        assert!(estimate_latency(&arch, &table).is_err());
        table.ops.insert(Op::Identity, f64::NAN);
        assert!(estimate_latency(&arch, &table).is_err());
    }

    #[test]
    fn tables_round_trip_through_json() {
        let [mobile, _] = tutorial_tables();
        let json = serde_json::to_string(&mobile).unwrap();
        assert!(json.contains("\"kind\":\"illustrative\""), "{json}");
        assert_eq!(serde_json::from_str::<LatencyTable>(&json).unwrap(), mobile);
    }
}
