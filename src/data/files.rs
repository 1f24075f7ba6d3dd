//! Files recognised by their content, whatever their names: an IDX images
//! file and its labels file in either order, or CIFAR-10 batches. The page
//! hands both the user's own files and the bundled sets it fetched to this.

use super::cifar::read_batches;
use super::dataset::Dataset;
use super::idx::{LABELS_MAGIC, known_magic, parse_idx};
use super::input::InputFile;
use crate::error::{Error, Result};

/// Reads the files into a dataset named `dataset`: an IDX pair (images and
/// labels, each raw or gzipped, told apart by their magic numbers) or one
/// or more CIFAR-10 batches. A file that is neither is named with what it
/// looks like.
pub fn parse_files(dataset: &str, files: &[InputFile]) -> Result<Dataset> {
    if files.is_empty() {
        return Err(pairing(dataset, "no file was given".into()));
    }
    let (mut images, mut labels, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for file in files {
        match known_magic(&file.head(dataset, 4)?) {
            Some(LABELS_MAGIC) => labels.push(*file),
            Some(_) => images.push(*file),
            None => others.push(*file),
        }
    }
    if images.is_empty() && labels.is_empty() {
        return read_batches(dataset, files, true);
    }
    match (images.as_slice(), labels.as_slice(), others.as_slice()) {
        (&[images], &[labels], &[]) => parse_idx(dataset, images, labels),
        // The file that is no IDX file is read in the missing role, so that
        // its own problem is named (a web page, a cut header …).
        (&[images], &[], &[other]) => parse_idx(dataset, images, other),
        (&[], &[labels], &[other]) => parse_idx(dataset, other, labels),
        (&[images], &[], &[]) => Err(pairing(
            dataset,
            format!(
                "{} is an IDX images file without its labels file",
                images.name
            ),
        )),
        (&[], &[labels], &[]) => Err(pairing(
            dataset,
            format!(
                "{} is an IDX labels file without its images file",
                labels.name
            ),
        )),
        _ => Err(pairing(
            dataset,
            format!(
                "got {} IDX images files, {} IDX labels files and {} other files ({})",
                images.len(),
                labels.len(),
                others.len(),
                names(files)
            ),
        )),
    }
}

/// An error about which files were given, with what to give instead.
fn pairing(dataset: &str, found: String) -> Error {
    Error::Data {
        name: dataset.to_string(),
        detail: format!(
            "{found}; choose one IDX images file and its labels file (raw or .gz), \
             or one or more CIFAR-10 batches (.bin)"
        ),
    }
}

fn names(files: &[InputFile]) -> String {
    let names: Vec<&str> = files.iter().map(|file| file.name).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::idx::tests::tiny_pair;
    use crate::data::input::tests::gzip;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    fn parse(files: &[(&str, &[u8])]) -> Result<Dataset> {
        let files: Vec<InputFile> = files.iter().map(|&(n, b)| InputFile::new(n, b)).collect();
        parse_files("upload", &files)
    }

    #[test]
    fn an_idx_pair_is_read_in_either_order_raw_or_gzipped() {
        let (images, labels) = tiny_pair();
        let packed = gzip(&labels);

        let given = parse(&[("a", &images), ("b.gz", &packed)]).unwrap();
        let swapped = parse(&[("b.gz", &packed), ("a", &images)]).unwrap();

        assert_eq!(given.labels(), [0, 1, 0]);
        assert_eq!(swapped.labels(), given.labels());
        assert_eq!(swapped.image(1), given.image(1));
    }

    #[test]
    fn a_web_page_in_place_of_the_labels_is_named() {
        let (images, _) = tiny_pair();
        let page = b"<!DOCTYPE html><html><body>Sign in</body></html>";

        let err = parse(&[("page.gz", page), ("img", &images)])
            .unwrap_err()
            .to_string();

        assert!(
            err.starts_with(
                "dataset upload: page.gz: this looks like an HTML page, not an IDX file"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_lone_web_page_is_named_as_neither_format() {
        let err = parse(&[("x.gz", b"<html></html>")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.gz: this looks like an HTML page, not an IDX file or a CIFAR-10 batch"),
            "{err}"
        );
    }

    #[test]
    fn a_half_pair_or_too_many_files_say_what_to_choose() {
        let (images, labels) = tiny_pair();
        let half = parse(&[("img", &images)]).unwrap_err().to_string();
        assert!(
            half.contains("img is an IDX images file without its labels file; choose one"),
            "{half}"
        );
        let only = parse(&[("lbl", &labels)]).unwrap_err().to_string();
        assert!(only.contains("without its images file"), "{only}");
        let many = parse(&[("a", &images), ("b", &images), ("c", &labels)]).unwrap_err();
        assert!(
            many.to_string()
                .contains("got 2 IDX images files, 1 IDX labels files"),
            "{many}"
        );
        assert!(
            parse(&[])
                .unwrap_err()
                .to_string()
                .contains("no file was given")
        );
    }

    #[test]
    fn files_that_are_neither_format_show_their_first_bytes() {
        let err = parse(&[("x", &[1, 2, 3, 4, 5])]).unwrap_err().to_string();
        assert!(
            err.contains("is neither an IDX file (it starts with 01 02 03 04"),
            "{err}"
        );
    }

    /// `bytes` with a few random bytes changed, and sometimes cut or lengthened.
    fn damaged(bytes: &[u8], rng: &mut StdRng) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..out.len());
            out[at] = rng.random();
        }
        match rng.random_range(0..4) {
            0 => out.truncate(rng.random_range(0..=out.len())),
            1 => out.extend((0..rng.random_range(1..64)).map(|_| rng.random::<u8>())),
            _ => {}
        }
        out
    }

    #[test]
    fn random_bytes_and_damaged_files_never_panic() {
        let (images, labels) = tiny_pair();
        let (packed_images, packed_labels) = (gzip(&images), gzip(&labels));
        let mut record = vec![3u8];
        record.extend(std::iter::repeat_n(9, 3072));
        let mut rng = StdRng::seed_from_u64(11);
        let mut read = 0;

        for _ in 0..100_000 {
            let files: Vec<Vec<u8>> = match rng.random_range(0..5) {
                0 => vec![(0..rng.random_range(0..80)).map(|_| rng.random()).collect()],
                1 => vec![damaged(&images, &mut rng), labels.clone()],
                2 => vec![packed_images.clone(), damaged(&packed_labels, &mut rng)],
                3 => vec![
                    damaged(&packed_images, &mut rng),
                    damaged(&labels, &mut rng),
                ],
                _ => vec![damaged(&record, &mut rng)],
            };
            let inputs: Vec<InputFile> = files.iter().map(|b| InputFile::new("f", b)).collect();
            read += parse_files("fuzz", &inputs).is_ok() as usize;
        }

        // Some damage misses what is checked (a pixel byte), so some files still read.
        assert!(read > 0 && read < 100_000, "{read}");
    }

    #[test]
    fn a_cifar_batch_is_recognised_by_its_size() {
        let mut record = vec![7u8];
        record.extend(std::iter::repeat_n(0, 3072));
        let data = parse(&[("data_batch_1.bin", &record)]).unwrap();
        assert_eq!((data.len(), data.channels, data.size), (1, 3, 32));
    }
}
