//! Reading the table's CSV: a fixed header and one row per cell. Every field
//! is checked, and a problem is reported with its row and column, so a
//! damaged or edited file says exactly where it went wrong.

use super::cell::{CELL_COUNT, Cell};
use super::table::{Row, Table};

/// The header the file must start with.
pub(crate) const COLUMNS: [&str; 9] = [
    "idx",
    "arch",
    "c10_test_acc",
    "params_m",
    "flops_m",
    "raspi4_ms",
    "pixel3_ms",
    "eyeriss_ms",
    "fpga_ms",
];

/// Parses the whole table; the error is the detail for `Error::Data`.
pub(crate) fn parse_table(text: &str) -> Result<Table, String> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    if header.trim_end() != COLUMNS.join(",") {
        return Err(format!(
            "the header is \"{header}\", expected \"{}\"; is this the NAS-Bench-201 table?",
            COLUMNS.join(",")
        ));
    }

    let mut slots: Vec<Option<Row>> = vec![None; CELL_COUNT];
    let mut cells = vec![None; CELL_COUNT];
    let mut count = 0;
    for (i, line) in lines.enumerate() {
        let number = i + 1;
        let row = parse_row(line.trim_end_matches('\r'), number)?;
        if slots[row.idx].is_some() {
            return Err(at(
                number,
                "idx",
                &format!("index {} appears a second time", row.idx),
            ));
        }
        if let Some(earlier) = cells[row.cell.code()].replace(row.idx) {
            let detail = format!("cell {} already appeared with idx {earlier}", row.cell);
            return Err(at(number, "arch", &detail));
        }
        slots[row.idx] = Some(row);
        count += 1;
    }
    if count != CELL_COUNT {
        return Err(format!(
            "found {count} rows, expected {CELL_COUNT} (one per cell); the file is incomplete"
        ));
    }
    Ok(Table::from_rows(slots.into_iter().flatten().collect()))
}

/// One data row (`number` is 1-based, counting from the first after the header).
fn parse_row(line: &str, number: usize) -> Result<Row, String> {
    let fields: Vec<&str> = line.split(',').collect();
    if fields.len() != COLUMNS.len() {
        return Err(format!(
            "row {number}: found {} fields, expected {} ({})",
            fields.len(),
            COLUMNS.len(),
            COLUMNS.join(",")
        ));
    }
    let idx = fields[0]
        .parse::<usize>()
        .ok()
        .filter(|&idx| idx < CELL_COUNT)
        .ok_or_else(|| {
            let detail = format!("expected an index from 0 to {}", CELL_COUNT - 1);
            at(number, "idx", &found(&detail, fields[0]))
        })?;
    let cell = fields[1]
        .parse::<Cell>()
        .map_err(|e| at(number, "arch", &e.to_string()))?;
    let number_in = |column: usize, max: f64| measure(fields[column], max, number, column);
    let test_accuracy_percent = number_in(2, 100.0)?;
    // Shifting the decimal point in the text keeps the fraction exact; a text
    // with an exponent of its own cannot be shifted so and is divided instead.
    let accuracy = format!("{}e-2", fields[2])
        .parse::<f64>()
        .unwrap_or(test_accuracy_percent / 100.0);
    Ok(Row {
        idx,
        cell,
        test_accuracy_percent,
        accuracy,
        params_m: number_in(3, f64::MAX)?,
        flops_m: number_in(4, f64::MAX)?,
        latency_ms: [
            number_in(5, f64::MAX)?,
            number_in(6, f64::MAX)?,
            number_in(7, f64::MAX)?,
            number_in(8, f64::MAX)?,
        ],
    })
}

/// A finite, non-negative number no larger than `max`.
fn measure(text: &str, max: f64, number: usize, column: usize) -> Result<f64, String> {
    let value = text
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=max).contains(v));
    value.ok_or_else(|| {
        let expected = match max < f64::MAX {
            true => format!("expected a number from 0 to {max}"),
            false => "expected a finite number of at least 0".to_string(),
        };
        at(number, COLUMNS[column], &found(&expected, text))
    })
}

fn found(expected: &str, text: &str) -> String {
    format!("{expected}, found \"{text}\"")
}

fn at(number: usize, column: &str, detail: &str) -> String {
    format!(
        "row {number} (line {}), column {column}: {detail}",
        number + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: &str = concat!(
        "|avg_pool_3x3~0|",
        "+|nor_conv_1x1~0|skip_connect~1|",
        "+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
    );

    fn header() -> String {
        COLUMNS.join(",")
    }

    fn parse_one(row: &str) -> String {
        parse_table(&format!("{}\n{row}\n", header())).unwrap_err()
    }

    #[test]
    fn a_wrong_header_is_named() {
        let err = parse_table("idx,cell\n").unwrap_err();
        assert!(err.contains("the header is \"idx,cell\""), "{err}");
    }

    #[test]
    fn a_bad_number_names_its_row_and_column() {
        let err = parse_one(&format!("0,{CELL},85.8,0.12,abc,1,1,1,1"));
        assert_eq!(
            err,
            "row 1 (line 2), column flops_m: expected a finite number of at least 0, found \"abc\""
        );
        let err = parse_one(&format!("0,{CELL},185.8,0.12,15,1,1,1,1"));
        assert!(
            err.contains("column c10_test_acc: expected a number from 0 to 100"),
            "{err}"
        );
        let err = parse_one(&format!("0,{CELL},85.8,0.12,15,1,NaN,1,1"));
        assert!(err.contains("column pixel3_ms"), "{err}");
    }

    #[test]
    fn a_bad_index_cell_or_field_count_names_its_row() {
        let err = parse_one(&format!("15625,{CELL},85.8,0.12,15,1,1,1,1"));
        assert!(
            err.contains("row 1 (line 2), column idx: expected an index"),
            "{err}"
        );
        let err = parse_one("0,|none~0|,85.8,0.12,15,1,1,1,1");
        assert!(
            err.contains("row 1 (line 2), column arch: cell: found 1 node groups"),
            "{err}"
        );
        let err = parse_one(&format!("0,{CELL},85.8"));
        assert!(err.contains("row 1: found 3 fields, expected 9"), "{err}");
    }

    #[test]
    fn repeated_indices_or_cells_and_missing_rows_are_errors() {
        let row = |idx: usize| format!("{idx},{CELL},85.8,0.12,15,1,1,1,1");
        let err = parse_table(&format!("{}\n{}\n{}\n", header(), row(0), row(0))).unwrap_err();
        assert!(err.contains("row 2 (line 3), column idx: index 0 appears a second time"));
        let err = parse_table(&format!("{}\n{}\n{}\n", header(), row(0), row(1))).unwrap_err();
        assert!(err.contains("row 2 (line 3), column arch: cell"), "{err}");
        assert!(err.contains("already appeared with idx 0"), "{err}");
        let err = parse_table(&format!("{}\n{}\n", header(), row(0))).unwrap_err();
        assert!(err.contains("found 1 rows, expected 15625"), "{err}");
    }
}
