//! The embedded 8x8 handwritten digits (UCI optdigits test portion, as shipped
//! by scikit-learn): 1,797 images, values 0..=16, ten classes.

use flate2::read::GzDecoder;
use std::io::Read;

use super::dataset::Dataset;
use crate::error::{Error, Result};

/// The gzipped CSV, embedded so that the default dataset needs no download.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits8x8.csv.gz");

const NAME: &str = "digits";
const PIXELS: usize = 64;
const MAX_VALUE: u32 = 16;

/// Decodes the embedded digits set, pixels scaled to `[0, 1]` by /16.
pub fn load_digits() -> Result<Dataset> {
    let mut text = String::new();
    GzDecoder::new(DIGITS_CSV_GZ)
        .read_to_string(&mut text)
        .map_err(|e| data_error(format!("cannot decompress the embedded file: {e}")))?;
    parse_digits_csv(&text)
}

/// Parses rows of 64 pixel counts (0..=16) and a label (0..=9).
pub fn parse_digits_csv(text: &str) -> Result<Dataset> {
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for (row, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let values = parse_row(line, row + 1)?;
        pixels.extend(
            values[..PIXELS]
                .iter()
                .map(|&v| v as f32 / MAX_VALUE as f32),
        );
        labels.push(values[PIXELS] as u8);
    }
    if labels.is_empty() {
        return Err(data_error("the file has no rows".into()));
    }
    Dataset::new(NAME, (1, 8, 10), pixels, labels)
}

fn parse_row(line: &str, row: usize) -> Result<Vec<u32>> {
    let values = line
        .split(',')
        .enumerate()
        .map(|(col, item)| {
            item.trim().parse::<u32>().map_err(|_| {
                data_error(format!(
                    "row {row}, column {}: \"{item}\" is not a whole number",
                    col + 1
                ))
            })
        })
        .collect::<Result<Vec<u32>>>()?;
    if values.len() != PIXELS + 1 {
        return Err(data_error(format!(
            "row {row} has {} values, expected {} (64 pixels and a label)",
            values.len(),
            PIXELS + 1
        )));
    }
    if let Some(col) = values[..PIXELS].iter().position(|&v| v > MAX_VALUE) {
        return Err(data_error(format!(
            "row {row}, column {}: pixel value {} is outside 0..=16",
            col + 1,
            values[col]
        )));
    }
    if values[PIXELS] > 9 {
        return Err(data_error(format!(
            "row {row}: label {} is not a digit 0-9",
            values[PIXELS]
        )));
    }
    Ok(values)
}

fn data_error(detail: String) -> Error {
    Error::Data {
        name: NAME.to_string(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_digits_have_the_documented_counts() {
        let data = load_digits().unwrap();
        assert_eq!(
            (data.len(), data.channels, data.size, data.classes),
            (1797, 1, 8, 10)
        );
        let zeros = data.labels().iter().filter(|&&l| l == 0).count();
        assert_eq!(zeros, 178); // data/README: class 0 has 178 images
    }

    #[test]
    fn pixels_are_scaled_into_the_unit_interval() {
        let data = load_digits().unwrap();
        let all: Vec<f32> = (0..data.len())
            .flat_map(|i| data.image(i).to_vec())
            .collect();
        assert!(all.iter().all(|&v| (0.0..=1.0).contains(&v)));
        assert!(all.contains(&1.0));
    }

    #[test]
    fn pixel_above_sixteen_is_rejected_with_its_place() {
        let mut row = vec!["0"; 64];
        row[5] = "17";
        let line = format!("{},3", row.join(","));
        let err = parse_digits_csv(&line).unwrap_err().to_string();
        assert!(
            err.contains("row 1, column 6") && err.contains("17"),
            "{err}"
        );
    }

    #[test]
    fn negative_or_non_numeric_values_are_rejected() {
        let line = format!("-1,{},3", vec!["0"; 63].join(","));
        assert!(
            parse_digits_csv(&line)
                .unwrap_err()
                .to_string()
                .contains("\"-1\"")
        );
    }

    #[test]
    fn short_row_is_rejected() {
        let err = parse_digits_csv("1,2,3").unwrap_err().to_string();
        assert!(err.contains("has 3 values"), "{err}");
    }
}
