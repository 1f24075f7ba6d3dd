//! CIFAR-10 binary batches (`data_batch_1.bin` … `test_batch.bin`), raw or
//! gzipped: records of 3073 bytes, a label from 0 to 9 and then one 32x32
//! image as 1024 red, 1024 green and 1024 blue bytes, each row by row.

use std::borrow::Cow;

use super::dataset::Dataset;
use super::idx::hex;
use super::input::{InputFile, MAX_DATASET_BYTES, SNIFF_LEN, bytes_text, looks_like_text};
use crate::error::{Error, Result};

/// Bytes of one record: the label, then 3 × 32 × 32 pixel bytes.
pub const RECORD_BYTES: usize = 3073;
/// Bytes of one CIFAR-100 record, which carries two labels.
const CIFAR100_RECORD_BYTES: usize = 3074;
const SIDE: usize = 32;
const CLASSES: usize = 10;

/// Reads one or more CIFAR-10 batches into a dataset named `dataset`, in
/// the order given: 3 channels of 32x32, pixels scaled to `[0, 1]`.
pub fn parse_cifar(dataset: &str, batches: &[InputFile]) -> Result<Dataset> {
    read_batches(dataset, batches, false)
}

/// `parse_cifar` for files that were not recognised as IDX: with `idx_too`
/// the messages say that the files are neither.
pub(super) fn read_batches(dataset: &str, batches: &[InputFile], idx_too: bool) -> Result<Dataset> {
    if batches.is_empty() {
        return Err(Error::Data {
            name: dataset.to_string(),
            detail: "no file was given; choose one or more CIFAR-10 batches (data_batch_1.bin …)"
                .into(),
        });
    }
    let mut contents = Vec::with_capacity(batches.len());
    let mut left = MAX_DATASET_BYTES;
    for file in batches {
        let content = read_batch(dataset, file, left, idx_too)?;
        left -= content.len();
        contents.push(content);
    }

    let records: usize = contents.iter().map(|c| c.len() / RECORD_BYTES).sum();
    let mut pixels = Vec::with_capacity(records * (RECORD_BYTES - 1));
    let mut labels = Vec::with_capacity(records);
    for record in contents.iter().flat_map(|c| c.chunks_exact(RECORD_BYTES)) {
        labels.push(record[0]);
        pixels.extend(record[1..].iter().map(|&b| b as f32 / 255.0));
    }
    Dataset::new(dataset, (3, SIDE, CLASSES), pixels, labels)
}

/// The content of one batch, checked to be whole records with CIFAR-10
/// labels and to fit in `budget` bytes.
fn read_batch<'a>(
    dataset: &str,
    file: &InputFile<'a>,
    budget: usize,
    idx_too: bool,
) -> Result<Cow<'a, [u8]>> {
    let expected = match idx_too {
        true => "an IDX file or a CIFAR-10 batch",
        false => "a CIFAR-10 batch",
    };
    let head = file.head(dataset, SNIFF_LEN)?;
    file.reject_foreign(dataset, &head, expected)?;
    let too_big = || {
        file.error(
            dataset,
            format!(
                "with the files before it, this holds more than the {} a dataset may hold here \
                 (all its files together, after decompression): choose fewer batches",
                bytes_text(MAX_DATASET_BYTES as u64)
            ),
        )
    };
    if !file.is_gzip() && file.bytes.len() > budget {
        return Err(too_big());
    }
    let content = file.content(dataset, budget)?;
    if content.len() > budget {
        return Err(too_big());
    }

    let len = content.len();
    if len % RECORD_BYTES != 0 {
        let detail = if len % CIFAR100_RECORD_BYTES == 0 {
            "looks like a CIFAR-100 batch (3074-byte records with two labels each); \
             only CIFAR-10 batches (3073-byte records) can be read"
                .to_string()
        } else if looks_like_text(&head) {
            format!(
                "is a text file, not {expected} (CIFAR-10's batches.meta.txt only names the \
                 classes: choose the data_batch_*.bin or test_batch.bin files)"
            )
        } else if idx_too {
            format!(
                "is neither an IDX file (it starts with {}, not with 00 00 08 03 for images or \
                 00 00 08 01 for labels) nor a CIFAR-10 batch ({} is not a whole number of \
                 {RECORD_BYTES}-byte records)",
                hex(&head[..head.len().min(4)]),
                bytes_text(len as u64)
            )
        } else {
            format!(
                "holds {}, which is not a whole number of {RECORD_BYTES}-byte CIFAR-10 records \
                 ({} records and {} bytes more): it is cut short or is no CIFAR-10 batch",
                bytes_text(len as u64),
                len / RECORD_BYTES,
                len % RECORD_BYTES
            )
        };
        return Err(file.error(dataset, detail));
    }
    let bad = content
        .chunks_exact(RECORD_BYTES)
        .position(|record| record[0] as usize >= CLASSES);
    if let Some(index) = bad {
        let label = content[index * RECORD_BYTES];
        return Err(file.error(
            dataset,
            format!(
                "record {} has label {label}, but CIFAR-10 labels are 0 to 9: this is not a \
                 CIFAR-10 batch",
                index + 1
            ),
        ));
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::input::tests::gzip;

    /// A batch of records with these labels; record `r` has every red byte
    /// `r`, every green byte 100 and every blue byte 255.
    fn batch(labels: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (r, &label) in labels.iter().enumerate() {
            bytes.push(label);
            bytes.extend(std::iter::repeat_n(r as u8, 1024));
            bytes.extend(std::iter::repeat_n(100, 1024));
            bytes.extend(std::iter::repeat_n(255, 1024));
        }
        bytes
    }

    fn error(bytes: &[u8]) -> String {
        parse_cifar("test", &[InputFile::new("b.bin", bytes)])
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn batches_raw_and_gzipped_give_rgb_planes_in_order() {
        let first = batch(&[3, 9]);
        let second = gzip(&batch(&[0]));
        let files = [
            InputFile::new("1.bin", &first),
            InputFile::new("2.bin.gz", &second),
        ];

        let data = parse_cifar("test", &files).unwrap();

        assert_eq!(
            (data.len(), data.channels, data.size, data.classes),
            (3, 3, 32, 10)
        );
        assert_eq!(data.labels(), [3, 9, 0]);
        let image = data.image(1);
        assert_eq!((image[0], image[1023]), (1.0 / 255.0, 1.0 / 255.0));
        assert_eq!((image[1024], image[2048]), (100.0 / 255.0, 1.0));
    }

    #[test]
    fn a_cut_batch_names_its_records_and_leftover() {
        let bytes = batch(&[1, 2]);
        let err = error(&bytes[..bytes.len() - 1]);
        assert!(
            err.contains("holds 6145 bytes, which is not a whole number of 3073-byte"),
            "{err}"
        );
        assert!(err.contains("(1 records and 3072 bytes more)"), "{err}");
    }

    #[test]
    fn a_label_above_nine_is_refused() {
        let err = error(&batch(&[1, 12]));
        assert!(
            err.contains("record 2 has label 12, but CIFAR-10 labels are 0 to 9"),
            "{err}"
        );
    }

    #[test]
    fn cifar_100_text_and_web_pages_are_named() {
        assert!(error(&vec![0; 2 * 3074]).contains("looks like a CIFAR-100 batch"));
        assert!(
            error(b"airplane\nautomobile\nbird\n").contains("is a text file, not a CIFAR-10 batch")
        );
        let err = error(b"<!doctype html><title>404</title>");
        assert!(
            err.contains("this looks like an HTML page, not a CIFAR-10 batch"),
            "{err}"
        );
    }

    #[test]
    fn no_batch_or_batches_beyond_the_size_cap_are_refused() {
        assert!(
            parse_cifar("test", &[])
                .unwrap_err()
                .to_string()
                .contains("no file was given")
        );
        let big = gzip(&vec![0u8; MAX_DATASET_BYTES + RECORD_BYTES]);
        let err = error(&big);
        assert!(
            err.contains("holds more than the 67108864 bytes (64.0 MiB)"),
            "{err}"
        );
    }
}
