//! MNIST-format IDX files, raw or gzipped: an images file (magic 2051, then
//! count × rows × columns bytes; or magic 2052 with a fourth dimension of 1 or
//! 3 channels, stored pixel by pixel) and a labels file (magic 2049, one byte
//! a label). All header fields are big-endian. What the header promises is
//! checked against the file before the pixels are allocated.

use std::borrow::Cow;

use super::dataset::Dataset;
use super::input::{InputFile, MAX_DATASET_BYTES, SNIFF_LEN, bytes_text, looks_like_text};
use crate::error::{Error, Result};

/// Magic number of a grayscale images file: unsigned bytes, 3 dimensions.
pub(super) const IMAGES_MAGIC: u32 = 0x0803;
/// Magic number of an images file with channels last: unsigned bytes, 4 dimensions.
pub(super) const CHANNEL_IMAGES_MAGIC: u32 = 0x0804;
/// Magic number of a labels file: unsigned bytes, 1 dimension.
pub(super) const LABELS_MAGIC: u32 = 0x0801;

/// The sides an image may have, in pixels.
const SIDES: (usize, usize) = (2, 256);

/// The IDX type code of unsigned bytes, the only element type read.
const UNSIGNED_BYTE: u8 = 0x08;

/// Which file of the pair is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Images,
    Labels,
}

impl Role {
    fn noun(self) -> &'static str {
        match self {
            Role::Images => "images file",
            Role::Labels => "labels file",
        }
    }

    fn magic(self) -> u32 {
        match self {
            Role::Images => IMAGES_MAGIC,
            Role::Labels => LABELS_MAGIC,
        }
    }
}

/// What a header says: its own length and the size of each dimension.
#[derive(Debug)]
struct Header {
    len: usize,
    dims: Vec<usize>,
}

/// The images an images header promises.
#[derive(Debug, Clone, Copy)]
struct Shape {
    count: usize,
    side: usize,
    channels: usize,
    /// Whether channels are stored last (magic 2052), pixel by pixel.
    interleaved: bool,
}

impl Shape {
    fn image_bytes(&self) -> u64 {
        (self.side * self.side * self.channels) as u64
    }

    fn describe(&self) -> String {
        let channels = match self.channels {
            1 => String::new(),
            c => format!("x{c}"),
        };
        format!(
            "{} images of {}x{}{channels}",
            self.count, self.side, self.side
        )
    }
}

/// Reads an IDX pair into a dataset named `dataset`: pixels scaled to
/// `[0, 1]`, one class per label value from 0 to the largest label.
pub fn parse_idx(dataset: &str, images: InputFile, labels: InputFile) -> Result<Dataset> {
    let image_header = read_header(dataset, &images, Role::Images)?;
    let label_header = read_header(dataset, &labels, Role::Labels)?;
    let shape = image_shape(dataset, &images, &image_header)?;
    let label_count = label_header.dims[0];
    if label_count != shape.count {
        return Err(Error::Data {
            name: dataset.to_string(),
            detail: format!(
                "labels file has {label_count} items, images file has {} ({} and {}); \
                 give the labels file that belongs to these images",
                shape.count, labels.name, images.name
            ),
        });
    }

    let image_data = read_body(
        dataset,
        &images,
        &image_header,
        shape.image_bytes(),
        &shape.describe(),
        MAX_DATASET_BYTES,
    )?;
    let left = MAX_DATASET_BYTES - image_data.len();
    let label_data = read_body(
        dataset,
        &labels,
        &label_header,
        1,
        &format!("{label_count} labels"),
        left,
    )?;
    let labels_read = label_data[label_header.len..].to_vec();
    let classes = class_count(dataset, &labels, &labels_read)?;
    let pixels = to_pixels(&image_data[image_header.len..], shape);
    Dataset::new(
        dataset,
        (shape.channels, shape.side, classes),
        pixels,
        labels_read,
    )
}

/// The magic number `head` starts with when it is one of the IDX files read
/// here (images or labels of unsigned bytes).
pub(super) fn known_magic(head: &[u8]) -> Option<u32> {
    let magic = u32::from_be_bytes(*head.first_chunk::<4>()?);
    [IMAGES_MAGIC, CHANNEL_IMAGES_MAGIC, LABELS_MAGIC]
        .contains(&magic)
        .then_some(magic)
}

/// Reads and checks the header of the `role` file: what it is, its element
/// type, its magic number and its dimensions.
fn read_header(dataset: &str, file: &InputFile, role: Role) -> Result<Header> {
    let head = file.head(dataset, SNIFF_LEN)?;
    file.reject_foreign(dataset, &head, "an IDX file")?;
    let expected = hex(&role.magic().to_be_bytes());
    let Some(&[0, 0, code, dims]) = head.first_chunk::<4>() else {
        let detail = match looks_like_text(&head) {
            true => format!("is a text file, not an IDX {}", role.noun()),
            false => format!(
                "does not start like an IDX file: its first bytes are {}, \
                 an IDX {} starts with {expected}",
                hex(&head[..head.len().min(4)]),
                role.noun()
            ),
        };
        return Err(file.error(dataset, detail));
    };
    if code != UNSIGNED_BYTE {
        return Err(file.error(
            dataset,
            format!(
                "holds {} (IDX type 0x{code:02x}); only unsigned bytes (type 0x08, as in MNIST) \
                 can be read: convert the file first",
                type_name(code)
            ),
        ));
    }
    let magic = u32::from_be_bytes([0, 0, code, dims]);
    match (role, magic) {
        (Role::Images, IMAGES_MAGIC | CHANNEL_IMAGES_MAGIC) | (Role::Labels, LABELS_MAGIC) => {}
        (Role::Images, LABELS_MAGIC) => {
            return Err(file.error(
                dataset,
                "is an IDX labels file (magic 2049), not an images file: give it as the labels",
            ));
        }
        (Role::Labels, IMAGES_MAGIC | CHANNEL_IMAGES_MAGIC) => {
            return Err(file.error(
                dataset,
                format!(
                    "is an IDX images file (magic {magic}), not a labels file: \
                     give it as the images"
                ),
            ));
        }
        _ => {
            return Err(file.error(
                dataset,
                format!(
                    "has {dims} dimensions (magic {magic}); an images file has 3 \
                     (count, rows, columns; magic 2051) or 4 with channels last \
                     (magic 2052), a labels file 1 (magic 2049)"
                ),
            ));
        }
    }

    let len = 4 + 4 * dims as usize;
    if head.len() < len {
        return Err(file.error(
            dataset,
            format!(
                "holds only {}, less than its {len}-byte IDX header: the file is cut short; \
                 download it again",
                bytes_text(head.len() as u64)
            ),
        ));
    }
    let dims = head[4..len]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    Ok(Header { len, dims })
}

/// Checks what an images header promises: some images, square, of a sane
/// side, with 1 or 3 channels.
fn image_shape(dataset: &str, file: &InputFile, header: &Header) -> Result<Shape> {
    let mut dims = [1usize; 4];
    dims[..header.dims.len()].copy_from_slice(&header.dims);
    let [count, rows, cols, channels] = dims;
    let (min, max) = SIDES;
    let problem = if count == 0 {
        Some("its header says it holds 0 images: choose a file with images in it".to_string())
    } else if !(min..=max).contains(&rows) || !(min..=max).contains(&cols) {
        Some(format!(
            "its images are {rows}x{cols} pixels; each side must be from {min} to {max} pixels"
        ))
    } else if rows != cols {
        let side = rows.max(cols);
        Some(format!(
            "its images are {rows}x{cols} pixels, but the networks here take square images: \
             crop or pad them to {side}x{side} first"
        ))
    } else if channels != 1 && channels != 3 {
        Some(format!(
            "its images have {channels} channels; only 1 (grayscale) or 3 (RGB) can be read"
        ))
    } else {
        None
    };
    match problem {
        Some(detail) => Err(file.error(dataset, detail)),
        None => Ok(Shape {
            count,
            side: rows,
            channels,
            interleaved: header.dims.len() == 4,
        }),
    }
}

/// The whole content of a file whose header promises `item_bytes` for each
/// of `header.dims[0]` items (`promised` in words), checked to hold exactly
/// that and to fit in `budget` bytes. A raw file's size is compared before
/// anything is allocated; a gzipped one is decompressed no further than the
/// header says, plus one byte.
fn read_body<'a>(
    dataset: &str,
    file: &InputFile<'a>,
    header: &Header,
    item_bytes: u64,
    promised: &str,
    budget: usize,
) -> Result<Cow<'a, [u8]>> {
    let count = header.dims[0] as u64;
    let expected = count
        .saturating_mul(item_bytes)
        .saturating_add(header.len as u64);
    let mismatch = |actual: String| {
        file.error(
            dataset,
            format!(
                "its header promises {promised}, {} with the {}-byte header, but the file \
                 holds {actual}: it is cut short or its header is wrong; download it again",
                bytes_text(expected),
                header.len
            ),
        )
    };
    let whole_items = |len: usize| {
        let items = (len.saturating_sub(header.len) as u64 / item_bytes).min(count);
        let noun = match (item_bytes, items) {
            (1, 1) => "label",
            (1, _) => "labels",
            (_, 1) => "image",
            _ => "images",
        };
        format!("{} (room for {items} whole {noun})", bytes_text(len as u64))
    };
    if !file.is_gzip() && file.bytes.len() as u64 != expected {
        return Err(mismatch(whole_items(file.bytes.len())));
    }
    if expected > budget as u64 {
        return Err(file.error(
            dataset,
            format!(
                "its header promises {promised}, {}, more than the {} a dataset may hold here \
                 (all its files together, after decompression): use fewer images",
                bytes_text(expected),
                bytes_text(MAX_DATASET_BYTES as u64)
            ),
        ));
    }
    let content = file.content(dataset, expected as usize)?;
    match (content.len() as u64).cmp(&expected) {
        std::cmp::Ordering::Equal => Ok(content),
        std::cmp::Ordering::Less => Err(mismatch(format!(
            "{} once decompressed",
            whole_items(content.len())
        ))),
        std::cmp::Ordering::Greater => Err(mismatch("more than that once decompressed".into())),
    }
}

/// The number of classes the labels name: the largest label plus one, at least two.
fn class_count(dataset: &str, file: &InputFile, labels: &[u8]) -> Result<usize> {
    let largest = labels.iter().copied().max().unwrap_or(0);
    if labels.iter().all(|&label| label == largest) {
        return Err(file.error(
            dataset,
            format!("every label is {largest}: a classifier needs images of at least two classes"),
        ));
    }
    Ok(largest as usize + 1)
}

/// Bytes to `f32` in `[0, 1]`, each image as `[channels, side, side]`.
fn to_pixels(data: &[u8], shape: Shape) -> Vec<f32> {
    let scale = |byte: u8| byte as f32 / 255.0;
    if !shape.interleaved || shape.channels == 1 {
        return data.iter().map(|&b| scale(b)).collect();
    }
    let area = shape.side * shape.side;
    let channels = shape.channels;
    let mut pixels = Vec::with_capacity(data.len());
    for image in data.chunks_exact(area * channels) {
        for channel in 0..channels {
            pixels.extend((0..area).map(|p| scale(image[p * channels + channel])));
        }
    }
    pixels
}

fn type_name(code: u8) -> &'static str {
    match code {
        0x09 => "signed bytes",
        0x0b => "16-bit integers",
        0x0c => "32-bit integers",
        0x0d => "32-bit floats",
        0x0e => "64-bit floats",
        _ => "values of an unknown type",
    }
}

/// Bytes as spaced hex pairs: `00 00 08 03`.
pub(super) fn hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    pairs.join(" ")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::data::input::tests::gzip;

    /// An IDX file: the magic, big-endian dimensions, then `data`.
    pub fn idx(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
        let mut bytes = magic.to_be_bytes().to_vec();
        for d in dims {
            bytes.extend_from_slice(&d.to_be_bytes());
        }
        bytes.extend_from_slice(data);
        bytes
    }

    /// Three 2x2 grayscale images (pixel values 0, 51, 102, 153, 204, 255,
    /// then again from 0) and their labels 0, 1, 0.
    pub fn tiny_pair() -> (Vec<u8>, Vec<u8>) {
        let pixels: Vec<u8> = (0..12u32).map(|i| (i * 51 % 306) as u8).collect();
        (
            idx(IMAGES_MAGIC, &[3, 2, 2], &pixels),
            idx(LABELS_MAGIC, &[3], &[0, 1, 0]),
        )
    }

    fn parse(images: &[u8], labels: &[u8]) -> Result<Dataset> {
        parse_idx(
            "test",
            InputFile::new("img", images),
            InputFile::new("lbl", labels),
        )
    }

    fn error(images: &[u8], labels: &[u8]) -> String {
        parse(images, labels).unwrap_err().to_string()
    }

    #[test]
    fn a_tiny_raw_pair_gives_its_images_and_labels() {
        let (images, labels) = tiny_pair();

        let data = parse(&images, &labels).unwrap();

        assert_eq!(
            (data.len(), data.channels, data.size, data.classes),
            (3, 1, 2, 2)
        );
        assert_eq!(data.labels(), [0, 1, 0]);
        assert_eq!(data.image(0), [0.0, 0.2, 0.4, 0.6]);
        assert_eq!(data.image(1)[1], 1.0, "255 scales to 1");
    }

    #[test]
    fn a_gzipped_pair_reads_the_same_as_the_raw_one() {
        let (images, labels) = tiny_pair();
        let raw = parse(&images, &labels).unwrap();

        let packed = parse(&gzip(&images), &gzip(&labels)).unwrap();

        assert_eq!(packed.labels(), raw.labels());
        assert_eq!(packed.image(2), raw.image(2));
    }

    #[test]
    fn rgb_images_with_channels_last_become_channel_planes() {
        // One 2x2 RGB image: pixel p has red 10p, green 10p + 1, blue 10p + 2.
        let data: Vec<u8> = (0..4u8)
            .flat_map(|p| [10 * p, 10 * p + 1, 10 * p + 2])
            .collect();
        let images = idx(
            CHANNEL_IMAGES_MAGIC,
            &[2, 2, 2, 3],
            &[data.clone(), data].concat(),
        );
        let labels = idx(LABELS_MAGIC, &[2], &[1, 0]);

        let set = parse(&images, &labels).unwrap();

        assert_eq!((set.channels, set.size), (3, 2));
        let expected: Vec<f32> = [0u8, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32]
            .iter()
            .map(|&b| b as f32 / 255.0)
            .collect();
        assert_eq!(set.image(1), expected);
    }

    #[test]
    fn an_html_page_renamed_gz_is_named_as_a_web_page() {
        let (_, labels) = tiny_pair();
        let err = error(
            b"<!DOCTYPE html>\n<html><body>Not found</body></html>",
            &labels,
        );
        assert!(
            err.starts_with("dataset test: img: this looks like an HTML page, not an IDX file; "),
            "{err}"
        );
    }

    #[test]
    fn gzip_that_fails_to_decompress_is_named_as_gzip() {
        let (images, labels) = tiny_pair();
        let mut broken = gzip(&images);
        broken[12] ^= 0xff;
        broken.truncate(broken.len() - 6);
        let err = error(&broken, &labels);
        assert!(
            err.contains("starts like a gzip file but cannot be decompressed"),
            "{err}"
        );
    }

    #[test]
    fn a_header_promising_more_images_than_the_file_holds_names_both_sizes() {
        // The case: 60000 images of 28x28 promised, 10 given.
        let images = idx(IMAGES_MAGIC, &[60000, 28, 28], &vec![0; 10 * 784]);
        let labels = idx(LABELS_MAGIC, &[60000], &vec![0; 60000]);

        let err = error(&images, &labels);

        assert!(
            err.contains("promises 60000 images of 28x28, 47040016 bytes (44.9 MiB)"),
            "{err}"
        );
        assert!(
            err.contains("holds 7856 bytes (room for 10 whole images)"),
            "{err}"
        );
    }

    #[test]
    fn a_count_of_all_ones_is_refused_before_any_allocation() {
        let images = idx(IMAGES_MAGIC, &[u32::MAX, 28, 28], &vec![0; 10 * 784]);
        let labels = idx(LABELS_MAGIC, &[u32::MAX], &[0; 10]);

        let raw = error(&images, &labels);
        let packed = error(&gzip(&images), &gzip(&labels));

        assert!(
            raw.contains("promises 4294967295 images of 28x28, 3367254359296 bytes (3.1 TiB)"),
            "{raw}"
        );
        assert!(raw.contains("holds 7856 bytes"), "{raw}");
        assert!(
            packed.contains("more than the 67108864 bytes (64.0 MiB) a dataset may hold"),
            "{packed}"
        );
    }

    #[test]
    fn a_gzipped_file_longer_than_its_header_says_is_cut_off_and_refused() {
        let (images, labels) = tiny_pair();
        let mut longer = images.clone();
        longer.extend_from_slice(&vec![0; 1 << 20]);

        let err = error(&gzip(&longer), &labels);

        assert!(
            err.contains("holds more than that once decompressed"),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_gzipped_file_names_what_it_holds() {
        let (images, labels) = tiny_pair();
        let err = error(&gzip(&images[..images.len() - 5]), &labels);
        assert!(
            err.contains("holds 23 bytes (room for 1 whole image) once decompressed"),
            "{err}"
        );
    }

    #[test]
    fn mismatched_counts_name_both_files_counts() {
        let images = idx(IMAGES_MAGIC, &[12, 2, 2], &[0; 48]);
        let labels = idx(LABELS_MAGIC, &[10], &[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
        let err = error(&images, &labels);
        assert!(
            err.contains("labels file has 10 items, images file has 12"),
            "{err}"
        );
    }

    #[test]
    fn swapped_files_are_named_for_what_they_are() {
        let (images, labels) = tiny_pair();
        let err = error(&labels, &images);
        assert!(
            err.contains("img: is an IDX labels file (magic 2049), not an images file"),
            "{err}"
        );
    }

    #[test]
    fn non_square_images_are_refused_with_the_model_s_reason() {
        let images = idx(IMAGES_MAGIC, &[1, 28, 32], &[0; 28 * 32]);
        let labels = idx(LABELS_MAGIC, &[1], &[0]);
        let err = error(&images, &labels);
        assert!(
            err.contains("its images are 28x32 pixels, but the networks here take square images"),
            "{err}"
        );
    }

    #[test]
    fn insane_dimensions_and_channels_are_refused() {
        let labels = idx(LABELS_MAGIC, &[1], &[0]);
        let huge = idx(IMAGES_MAGIC, &[1, 100_000, 100_000], &[]);
        assert!(error(&huge, &labels).contains("each side must be from 2 to 256 pixels"));
        let empty = idx(IMAGES_MAGIC, &[0, 28, 28], &[]);
        assert!(error(&empty, &idx(LABELS_MAGIC, &[0], &[])).contains("holds 0 images"));
        let four = idx(CHANNEL_IMAGES_MAGIC, &[1, 2, 2, 4], &[0; 16]);
        assert!(error(&four, &labels).contains("have 4 channels; only 1 (grayscale) or 3 (RGB)"));
    }

    #[test]
    fn other_element_types_and_shapes_are_named() {
        let (_, labels) = tiny_pair();
        let floats = idx(0x0d03, &[3, 2, 2], &[0; 48]);
        assert!(error(&floats, &labels).contains("holds 32-bit floats (IDX type 0x0d)"));
        let matrix = idx(0x0802, &[3, 4], &[0; 12]);
        assert!(error(&matrix, &labels).contains("has 2 dimensions (magic 2050)"));
    }

    #[test]
    fn text_and_other_binary_files_are_told_apart() {
        let (_, labels) = tiny_pair();
        assert!(
            error(b"0,0,0,255\n1,2,3,4\n", &labels)
                .contains("img: is a text file, not an IDX images file")
        );
        let err = error(&[1, 2, 3, 4, 5, 6, 7, 8], &labels);
        assert!(
            err.contains(
                "its first bytes are 01 02 03 04, an IDX images file starts with 00 00 08 03"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_file_shorter_than_its_header_is_cut_short() {
        let (_, labels) = tiny_pair();
        let err = error(&[0, 0, 8, 3, 0, 0, 0, 3, 0], &labels);
        assert!(
            err.contains("holds only 9 bytes, less than its 16-byte IDX header"),
            "{err}"
        );
    }

    #[test]
    fn labels_of_a_single_class_are_refused() {
        let images = idx(IMAGES_MAGIC, &[2, 2, 2], &[0; 8]);
        let labels = idx(LABELS_MAGIC, &[2], &[4, 4]);
        assert!(error(&images, &labels).contains("every label is 4: a classifier needs"));
    }
}
