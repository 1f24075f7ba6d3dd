//! The NAS-Bench-201 table: for each of the 15,625 cells, its CIFAR-10 test
//! accuracy after 200 epochs, size, and latency on four devices. Searches
//! look results up here instead of training, so they finish in microseconds.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::cell::{CELL_COUNT, Cell};
use super::device::Nb201Device;
use super::parse::parse_table;
use crate::error::{Error, Result};
use crate::pareto::{Objective, Scored};

/// The bundled file's name, for messages.
pub const TABLE_NAME: &str = "nb201_cifar10.csv";

/// The bundled table, embedded in native builds so nothing is read at run
/// time. The browser build leaves it out (2.4 MB): the page fetches the file
/// from its own origin and hands the text to [`Table::parse`].
#[cfg(not(target_arch = "wasm32"))]
const BUNDLED_CSV: &str = include_str!("../../data/nb201_cifar10.csv");

/// One cell's results, as the table gives them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// The benchmark's architecture index, 0 to 15,624.
    pub idx: usize,
    pub cell: Cell,
    /// CIFAR-10 test accuracy in percent, exactly as in the table (so 94.373
    /// stays 94.373); `accuracy()` gives the fraction the rest of nasplay uses.
    pub test_accuracy_percent: f64,
    /// The same accuracy as a fraction, read from the table's decimal text
    /// (`94.373e-2`) so that it prints as 0.94373, not 0.9437300000000001.
    pub(crate) accuracy: f64,
    /// Parameters in millions.
    pub params_m: f64,
    /// Multiply-adds of one forward pass, in millions.
    pub flops_m: f64,
    /// Latency per device in ms, in the order of `Nb201Device::ALL`.
    pub(crate) latency_ms: [f64; 4],
}

impl Row {
    /// Test accuracy as a fraction in `[0, 1]`, like `Evaluation::accuracy`.
    pub fn accuracy(&self) -> f64 {
        self.accuracy
    }

    /// Latency of one forward pass on `device`, in milliseconds.
    pub fn latency_ms(&self, device: Nb201Device) -> f64 {
        self.latency_ms[device.position()]
    }

    /// This row with `device`'s latency as its `latency_ms` objective.
    pub fn on(&self, device: Nb201Device) -> RowOnDevice<'_> {
        RowOnDevice { row: self, device }
    }
}

impl Serialize for Row {
    /// Accuracy both as the table's percent and as a fraction, params and
    /// FLOPs in millions, and one `<device>_ms` field per device.
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Row", 10)?;
        out.serialize_field("idx", &self.idx)?;
        out.serialize_field("cell", &self.cell)?;
        out.serialize_field("accuracy", &self.accuracy())?;
        out.serialize_field("test_accuracy_percent", &self.test_accuracy_percent)?;
        out.serialize_field("params_m", &self.params_m)?;
        out.serialize_field("flops_m", &self.flops_m)?;
        for device in Nb201Device::ALL {
            out.serialize_field(device.column(), &self.latency_ms(device))?;
        }
        out.end()
    }
}

/// A row seen from one device, for Pareto fronts: accuracy as a fraction,
/// latency on that device, params and FLOPs as counts (not millions), so
/// units match those of trained candidates.
#[derive(Debug, Clone, Copy)]
pub struct RowOnDevice<'a> {
    pub row: &'a Row,
    pub device: Nb201Device,
}

impl Scored for RowOnDevice<'_> {
    fn value(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Accuracy => self.row.accuracy(),
            Objective::LatencyMs => self.row.latency_ms(self.device),
            Objective::Params => self.row.params_m * 1e6,
            Objective::Flops => self.row.flops_m * 1e6,
        }
    }
}

/// Every cell's row, findable by benchmark index and by cell.
#[derive(Debug, Clone)]
pub struct Table {
    /// Ordered by `idx`: `rows[i].idx == i`.
    rows: Vec<Row>,
    /// Row position for each `Cell::code`.
    by_code: Vec<u16>,
    /// Position of the most accurate row (the lowest idx among equals).
    best: usize,
}

impl Table {
    /// Reads a table in the bundled file's CSV form. Errors name the row
    /// (1-based, after the header) and the column that is wrong.
    pub fn parse(name: &str, text: &str) -> Result<Self> {
        parse_table(text).map_err(|detail| Error::Data {
            name: name.to_string(),
            detail,
        })
    }

    /// The bundled table, parsed on first use and kept for the program's life.
    /// Native builds only; in the browser the page parses the file it fetched.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn bundled() -> Result<&'static Table> {
        use std::sync::OnceLock;

        static TABLE: OnceLock<std::result::Result<Table, String>> = OnceLock::new();
        TABLE
            .get_or_init(|| parse_table(BUNDLED_CSV))
            .as_ref()
            .map_err(|detail| Error::Data {
                name: TABLE_NAME.to_string(),
                detail: detail.clone(),
            })
    }

    /// Builds the lookups from rows already checked to hold every index in
    /// `0..CELL_COUNT` and every cell exactly once, ordered by index.
    pub(crate) fn from_rows(rows: Vec<Row>) -> Self {
        assert_eq!(rows.len(), CELL_COUNT, "a table holds every cell once");
        let mut by_code = vec![0u16; CELL_COUNT];
        for (position, row) in rows.iter().enumerate() {
            assert_eq!(row.idx, position, "rows are ordered by idx");
            by_code[row.cell.code()] = u16::try_from(position).expect("15,625 fits in u16");
        }
        let best = rows
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| {
                a.test_accuracy_percent
                    .total_cmp(&b.test_accuracy_percent)
                    .then(j.cmp(i))
            })
            .map(|(i, _)| i)
            .expect("the table has rows");
        Self {
            rows,
            by_code,
            best,
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Always false: a table holds all 15,625 cells.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row with benchmark index `idx`, if there is one.
    pub fn row(&self, idx: usize) -> Option<&Row> {
        self.rows.get(idx)
    }

    /// The row of `cell`: every cell has one.
    pub fn lookup(&self, cell: &Cell) -> &Row {
        &self.rows[usize::from(self.by_code[cell.code()])]
    }

    /// The most accurate cell. Two cells share the top accuracy (idx 6111
    /// and 13714, 94.373%); the lower index wins, as in the data's README.
    pub fn best(&self) -> &Row {
        &self.rows[self.best]
    }
}
