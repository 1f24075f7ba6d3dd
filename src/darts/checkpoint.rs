//! A DARTS run's state after a closed search epoch, as bytes a page can keep
//! in IndexedDB and hand back to continue the run exactly.
//!
//! The layout is a magic tag, a version, a checksum over the rest, then five
//! length-prefixed sections: a JSON header (settings, split sizes, the epoch
//! records, elapsed time) and four tensor sections (the supernet, α, and the
//! moments of the two Adam optimizers, see `snapshot` and `adam`). The data
//! order is not stored: the run rebuilds its seeded generator and replays the
//! shuffles of the epochs done, which is exact and keeps an uninterrupted run
//! drawing as it always did.

use serde::{Deserialize, Serialize};

use super::config::DartsConfig;
use super::run::EpochRecord;
use crate::error::{Error, Result};

/// Opens every checkpoint, so that any other file is refused at once.
const MAGIC: &[u8; 8] = b"NASDARTS";
/// Bumped whenever the layout or the state it holds changes.
const VERSION: u32 = 2;
/// Magic, version and checksum.
const PREAMBLE: usize = 8 + 4 + 8;

/// What a checkpoint holds besides the tensors. Floats that must come back
/// bit for bit are kept as their bits, and the settings as the JSON text they
/// were written as: `serde_json` does not parse every float back exactly.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Header {
    /// The run's `DartsConfig` as JSON.
    config: String,
    /// Split sizes: the same settings on a different dataset file differ here.
    train_images: usize,
    valid_images: usize,
    epochs: Vec<SavedEpoch>,
    /// Wall time of the run up to the checkpoint.
    pub elapsed_ms: f64,
}

impl Header {
    pub fn new(
        config: &DartsConfig,
        (train_images, valid_images): (usize, usize),
        epochs: &[EpochRecord],
        elapsed_ms: f64,
    ) -> Self {
        Self {
            config: serde_json::to_string(config).expect("DARTS settings serialize"),
            train_images,
            valid_images,
            epochs: epochs.iter().map(SavedEpoch::from).collect(),
            elapsed_ms,
        }
    }

    /// The epoch records, exactly as they were.
    pub fn epochs(&self) -> Vec<EpochRecord> {
        self.epochs.iter().map(EpochRecord::from).collect()
    }
}

/// An `EpochRecord` with its floats as bits.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedEpoch {
    epoch: usize,
    /// Train loss, train accuracy, validation loss, validation accuracy, elapsed ms.
    values: [u64; 5],
    probabilities: Vec<Vec<u64>>,
}

impl From<&EpochRecord> for SavedEpoch {
    fn from(r: &EpochRecord) -> Self {
        let values = [
            r.train_loss,
            r.train_accuracy,
            r.valid_loss,
            r.valid_accuracy,
            r.elapsed_ms,
        ];
        Self {
            epoch: r.epoch,
            values: values.map(f64::to_bits),
            probabilities: (r.probabilities.iter())
                .map(|row| row.iter().map(|p| p.to_bits()).collect())
                .collect(),
        }
    }
}

impl From<&SavedEpoch> for EpochRecord {
    fn from(saved: &SavedEpoch) -> Self {
        let [
            train_loss,
            train_accuracy,
            valid_loss,
            valid_accuracy,
            elapsed_ms,
        ] = saved.values.map(f64::from_bits);
        Self {
            epoch: saved.epoch,
            train_loss,
            train_accuracy,
            valid_loss,
            valid_accuracy,
            probabilities: (saved.probabilities.iter())
                .map(|row| row.iter().map(|&p| f64::from_bits(p)).collect())
                .collect(),
            elapsed_ms,
        }
    }
}

/// A decoded checkpoint; the tensor sections are still encoded.
pub(super) struct Checkpoint {
    pub header: Header,
    pub net: Vec<u8>,
    pub alphas: Vec<u8>,
    pub weight_optimizer: Vec<u8>,
    pub alpha_optimizer: Vec<u8>,
}

impl Checkpoint {
    /// The bytes of this checkpoint.
    pub fn encode(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("DARTS headers serialize");
        let mut body = Vec::new();
        for section in [
            &header,
            &self.net,
            &self.alphas,
            &self.weight_optimizer,
            &self.alpha_optimizer,
        ] {
            body.extend_from_slice(&(section.len() as u64).to_le_bytes());
            body.extend_from_slice(section);
        }
        let mut bytes = Vec::with_capacity(PREAMBLE + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&fnv1a(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        bytes
    }

    /// Reads checkpoint bytes; anything else, a newer layout or a damaged
    /// copy is an error saying which.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < PREAMBLE || &bytes[..8] != MAGIC {
            return Err(refused("these bytes are not a nasplay DARTS checkpoint"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != VERSION {
            return Err(refused(format!(
                "it has layout version {version}, this page reads version {VERSION}; \
                 run DARTS again"
            )));
        }
        let checksum = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
        let body = &bytes[PREAMBLE..];
        if fnv1a(body) != checksum {
            return Err(damaged("its checksum does not match its contents"));
        }
        let mut sections = Sections { rest: body };
        let header = serde_json::from_slice(sections.next()?)
            .map_err(|e| damaged(format!("its header cannot be read ({e})")))?;
        let checkpoint = Self {
            header,
            net: sections.next()?.to_vec(),
            alphas: sections.next()?.to_vec(),
            weight_optimizer: sections.next()?.to_vec(),
            alpha_optimizer: sections.next()?.to_vec(),
        };
        if !sections.rest.is_empty() {
            return Err(damaged("it has bytes after its last section"));
        }
        Ok(checkpoint)
    }

    /// Refuses a checkpoint taken with other settings or on other data than
    /// `config` with `train_images`/`valid_images`, naming what differs.
    pub fn check_matches(
        &self,
        config: &DartsConfig,
        train_images: usize,
        valid_images: usize,
    ) -> Result<()> {
        let header = &self.header;
        let given = serde_json::to_string(config).expect("DARTS settings serialize");
        if header.config != given {
            let differences = setting_differences(&header.config, &given);
            return Err(refused(format!(
                "it was taken with other settings ({differences}); resume with the settings it was \
                 started with, or run DARTS again"
            )));
        }
        if (header.train_images, header.valid_images) != (train_images, valid_images) {
            return Err(refused(format!(
                "it was taken on {} training and {} validation images, this dataset gives \
                 {train_images} and {valid_images}; load the dataset it ran on",
                header.train_images, header.valid_images
            )));
        }
        let done = header.epochs.len();
        if done == 0 || done > config.epochs {
            return Err(damaged(format!(
                "it holds {done} search epochs, expected 1 to {}",
                config.epochs
            )));
        }
        Ok(())
    }
}

/// Each setting that differs between two settings texts, as
/// `name: saved in the checkpoint, given now`; the whole texts when the
/// saved one is not settings at all.
fn setting_differences(saved: &str, given: &str) -> String {
    let parse = |text| serde_json::from_str::<serde_json::Map<_, _>>(text);
    let (Ok(saved_map), Ok(given_map)) = (parse(saved), parse(given)) else {
        return format!("{saved} in the checkpoint, {given} now");
    };
    let differences: Vec<String> = saved_map
        .iter()
        .filter(|(key, value)| given_map.get(*key) != Some(value))
        .map(|(key, value)| {
            let now = given_map.get(key).unwrap_or(&serde_json::Value::Null);
            format!("{key}: {value} in the checkpoint, {now} now")
        })
        .collect();
    if differences.is_empty() {
        format!("{saved} in the checkpoint, {given} now")
    } else {
        differences.join(", ")
    }
}

/// Walks the length-prefixed sections of a checkpoint body.
struct Sections<'a> {
    rest: &'a [u8],
}

impl<'a> Sections<'a> {
    fn next(&mut self) -> Result<&'a [u8]> {
        let Some((length, rest)) = self.rest.split_first_chunk::<8>() else {
            return Err(damaged("it ends before its last section"));
        };
        let length = usize::try_from(u64::from_le_bytes(*length)).unwrap_or(usize::MAX);
        if length > rest.len() {
            return Err(damaged(format!(
                "a section claims {length} bytes, only {} remain",
                rest.len()
            )));
        }
        let (section, rest) = rest.split_at(length);
        self.rest = rest;
        Ok(section)
    }
}

/// The refusal of a checkpoint that cannot continue this run.
pub(super) fn refused(detail: impl std::fmt::Display) -> Error {
    Error::bad_setting("DARTS checkpoint", format!("cannot resume: {detail}"))
}

/// The refusal of a checkpoint whose bytes are broken.
pub(super) fn damaged(detail: impl std::fmt::Display) -> Error {
    refused(format!("it is damaged ({detail}); run DARTS again"))
}

/// 64-bit FNV-1a: enough to catch a truncated or altered copy (it is no
/// defence against deliberate tampering, which a page's own storage does
/// not need).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checkpoint {
        Checkpoint {
            header: Header::new(&DartsConfig::default(), (80, 20), &[], 12.5),
            net: vec![1, 2, 3],
            alphas: vec![4],
            weight_optimizer: Vec::new(),
            alpha_optimizer: vec![5, 6],
        }
    }

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let bytes = sample().encode();
        let back = Checkpoint::decode(&bytes).unwrap();
        assert_eq!(back.encode(), bytes);
        assert_eq!(
            (back.net, back.alpha_optimizer),
            (vec![1, 2, 3], vec![5, 6])
        );
    }

    #[test]
    fn damaged_and_foreign_bytes_are_refused_with_the_reason() {
        let mut bytes = sample().encode();
        let err = Checkpoint::decode(&bytes[..bytes.len() - 1]).err().unwrap();
        assert!(err.to_string().contains("checksum does not match"), "{err}");
        *bytes.last_mut().unwrap() ^= 1;
        assert!(Checkpoint::decode(&bytes).is_err());
        let err = Checkpoint::decode(b"{\"not\": \"a checkpoint\"}")
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("not a nasplay DARTS checkpoint"),
            "{err}"
        );
    }

    #[test]
    fn other_settings_are_named() {
        let checkpoint = sample();
        let given = DartsConfig {
            width: 16,
            ..DartsConfig::default()
        };
        let err = checkpoint.check_matches(&given, 80, 20).unwrap_err();
        assert!(
            err.to_string()
                .contains("width: 8 in the checkpoint, 16 now"),
            "{err}"
        );
        let err = checkpoint
            .check_matches(&DartsConfig::default(), 81, 20)
            .unwrap_err();
        assert!(err.to_string().contains("81 and 20"), "{err}");
    }
}
