//! A data file as the user gave it: a name for messages and its bytes,
//! gunzipped when they start with gzip's magic, never read beyond a size cap,
//! and named for what it is when it is plainly no data file (a web page, an
//! image, an archive).

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Read;

use flate2::read::MultiGzDecoder;

use crate::error::{Error, Result};

/// The most bytes one dataset may hold after decompression, all its files
/// together: room for the 60,000 MNIST training images (47 MB) or two
/// CIFAR-10 batches (61 MB). Once converted to `f32` the pixels take four
/// times as much memory.
pub const MAX_DATASET_BYTES: usize = 64 << 20;

/// The first two bytes of every gzip file.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Bytes read to recognise a file: enough to reach a tar header's `ustar` mark.
pub(super) const SNIFF_LEN: usize = 264;

/// One file of a dataset: its name (for messages only) and its bytes as
/// given, raw or gzipped.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

impl<'a> InputFile<'a> {
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Self {
        Self { name, bytes }
    }

    /// Whether the bytes start with gzip's magic number.
    pub fn is_gzip(&self) -> bool {
        self.bytes.starts_with(&GZIP_MAGIC)
    }

    /// An `Error::Data` of `dataset` whose detail starts with this file's name.
    pub(super) fn error(&self, dataset: &str, detail: impl Display) -> Error {
        Error::Data {
            name: dataset.to_string(),
            detail: format!("{}: {detail}", self.name),
        }
    }

    /// At most the first `n` bytes of the content (decompressed for gzip).
    pub(super) fn head(&self, dataset: &str, n: usize) -> Result<Cow<'a, [u8]>> {
        if !self.is_gzip() {
            return Ok(Cow::Borrowed(&self.bytes[..n.min(self.bytes.len())]));
        }
        self.gunzip(dataset, n).map(Cow::Owned)
    }

    /// The whole content, decompressed for gzip but never more than
    /// `limit + 1` bytes of it: a result longer than `limit` means the content
    /// is longer. `limit` must already be checked against the cap.
    pub(super) fn content(&self, dataset: &str, limit: usize) -> Result<Cow<'a, [u8]>> {
        if !self.is_gzip() {
            return Ok(Cow::Borrowed(self.bytes));
        }
        self.gunzip(dataset, limit.saturating_add(1))
            .map(Cow::Owned)
    }

    /// Decompresses at most `n` bytes. The decoder's output is bounded, so a
    /// small file that would inflate to gigabytes (a gzip bomb) costs no more.
    /// The buffer starts at the size gzip's trailer notes, never above `n`,
    /// and grows only with what is really decompressed.
    fn gunzip(&self, dataset: &str, n: usize) -> Result<Vec<u8>> {
        let noted = self
            .bytes
            .last_chunk::<4>()
            .map_or(0, |b| u32::from_le_bytes(*b));
        let mut out = Vec::with_capacity((noted as usize).saturating_add(1).min(n));
        MultiGzDecoder::new(self.bytes)
            .take(n as u64)
            .read_to_end(&mut out)
            .map_err(|e| {
                self.error(
                    dataset,
                    format!(
                        "starts like a gzip file but cannot be decompressed ({e}); \
                         the download is probably incomplete: download it again"
                    ),
                )
            })?;
        Ok(out)
    }

    /// Rejects an empty file, and one whose first bytes show it is a web
    /// page, an image, an archive or a document rather than `expected`
    /// (e.g. "an IDX file").
    pub(super) fn reject_foreign(&self, dataset: &str, head: &[u8], expected: &str) -> Result<()> {
        if head.is_empty() {
            let what = if self.is_gzip() {
                "holds nothing once decompressed"
            } else {
                "is empty"
            };
            return Err(self.error(dataset, format!("{what}; choose {expected}")));
        }
        match foreign(head) {
            Some((what, advice)) => Err(self.error(
                dataset,
                format!("this looks like {what}, not {expected}; {advice}"),
            )),
            None => Ok(()),
        }
    }
}

/// What a file's first bytes say it is when that is no dataset file: a
/// phrase naming it and advice on what to do.
fn foreign(head: &[u8]) -> Option<(&'static str, &'static str)> {
    const DOWNLOAD_AGAIN: &str = "the download saved a web page (perhaps an error or sign-in \
        page) instead of the file: download the file itself again";
    const UNPACK: &str = "unpack it and choose the files inside";
    let text = trim_text_start(head);
    if text.first() == Some(&b'<')
        && text
            .get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'!' || *c == b'?')
    {
        return Some(("an HTML page", DOWNLOAD_AGAIN));
    }
    let signatures: [(&[u8], &str, &str); 10] = [
        (
            b"\x89PNG",
            "a PNG image",
            "images must be packed into IDX files first",
        ),
        (
            b"\xff\xd8\xff",
            "a JPEG image",
            "images must be packed into IDX files first",
        ),
        (
            b"GIF8",
            "a GIF image",
            "images must be packed into IDX files first",
        ),
        (
            b"%PDF",
            "a PDF document",
            "choose the data files themselves",
        ),
        (b"PK\x03\x04", "a ZIP archive", UNPACK),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", UNPACK),
        (
            b"BZh",
            "a bzip2 file",
            "decompress it first (only gzip is read)",
        ),
        (
            b"\xfd7zXZ\x00",
            "an xz file",
            "decompress it first (only gzip is read)",
        ),
        (
            b"\x28\xb5\x2f\xfd",
            "a Zstandard file",
            "decompress it first (only gzip is read)",
        ),
        (
            &GZIP_MAGIC,
            "a gzip file inside a gzip file",
            "decompress it once first",
        ),
    ];
    if let Some((_, what, advice)) = signatures
        .iter()
        .find(|(magic, ..)| head.starts_with(magic))
    {
        return Some((what, advice));
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some((
            "a tar archive (such as cifar-10-binary.tar.gz)",
            "unpack it and choose the data files inside (for CIFAR-10, the data_batch_*.bin files)",
        ));
    }
    None
}

/// `head` without a UTF-8 byte-order mark and leading ASCII whitespace.
fn trim_text_start(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[start..]
}

/// Whether `head` reads as text: printable ASCII, whitespace and UTF-8.
pub(super) fn looks_like_text(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // A multi-byte character cut at the end of the head is still text.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || c.is_ascii_whitespace())
}

/// A byte count for messages: `47040016 bytes (44.9 MiB)`.
pub(super) fn bytes_text(count: u64) -> String {
    let units = [(40, "TiB"), (30, "GiB"), (20, "MiB")];
    match units.iter().find(|(shift, _)| count >= 1 << shift) {
        Some((shift, unit)) => {
            let size = count as f64 / (1u64 << shift) as f64;
            format!("{count} bytes ({size:.1} {unit})")
        }
        None => format!("{count} bytes"),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    /// `bytes` gzipped, as a test fixture.
    pub fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn rejection(name: &str, bytes: &[u8]) -> String {
        let file = InputFile::new(name, bytes);
        let head = file.head("test", SNIFF_LEN).unwrap();
        file.reject_foreign("test", &head, "an IDX file")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn an_html_page_is_named_as_such_even_with_leading_space_and_bom() {
        let err = rejection("page.gz", b"\xef\xbb\xbf\n  <!DOCTYPE html><html></html>");
        assert!(
            err.starts_with(
                "dataset test: page.gz: this looks like an HTML page, not an IDX file; "
            ),
            "{err}"
        );
        assert!(rejection("p", b"<html lang=en>").contains("HTML page"));
    }

    #[test]
    fn images_archives_and_tar_files_are_named() {
        assert!(rejection("a.png", b"\x89PNG\r\n\x1a\n....").contains("a PNG image"));
        assert!(
            rejection("a.zip", b"PK\x03\x04rest")
                .contains("a ZIP archive, not an IDX file; unpack it")
        );
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        let err = rejection("cifar-10-binary.tar.gz", &gzip(&tar));
        assert!(err.contains("a tar archive"), "{err}");
    }

    #[test]
    fn an_empty_file_is_named_empty() {
        assert!(rejection("e", b"").contains("e: is empty"));
        assert!(rejection("e.gz", &gzip(b"")).contains("holds nothing once decompressed"));
    }

    #[test]
    fn a_cut_gzip_file_is_named_as_gzip_that_cannot_be_decompressed() {
        let packed = gzip(&[7u8; 5000]);
        let file = InputFile::new("cut.gz", &packed[..packed.len() / 2]);

        let err = file.content("test", 10_000).unwrap_err().to_string();

        assert!(
            err.contains("cut.gz: starts like a gzip file but cannot be decompressed"),
            "{err}"
        );
    }

    #[test]
    fn decompression_stops_one_byte_past_the_limit() {
        // 16 MiB of zeros packs into about 16 kB: a gzip bomb in miniature.
        let bomb = gzip(&vec![0u8; 16 << 20]);
        let file = InputFile::new("bomb.gz", &bomb);

        let content = file.content("test", 1000).unwrap();

        assert!(bomb.len() < 100_000, "{}", bomb.len());
        assert_eq!(content.len(), 1001);
    }

    #[test]
    fn text_is_told_from_binary() {
        assert!(looks_like_text(b"airplane\nautomobile\n"));
        assert!(looks_like_text("été\n".as_bytes()));
        assert!(!looks_like_text(&[0, 0, 8, 3]));
        assert!(!looks_like_text(b""));
    }
}
