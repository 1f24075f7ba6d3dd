//! The hardware whose latency the NAS-Bench-201 table records, via
//! HW-NAS-Bench: two real devices, measured, and two accelerators, simulated.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A device with a latency column in the table. The string form (`raspi4`,
/// `pixel3`, `eyeriss`, `fpga`) is the one used on the command line, in JSON
/// and in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nb201Device {
    Raspi4,
    Pixel3,
    Eyeriss,
    Fpga,
}

impl Nb201Device {
    /// In the order of the table's columns.
    pub const ALL: [Nb201Device; 4] = [
        Nb201Device::Raspi4,
        Nb201Device::Pixel3,
        Nb201Device::Eyeriss,
        Nb201Device::Fpga,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Nb201Device::Raspi4 => "raspi4",
            Nb201Device::Pixel3 => "pixel3",
            Nb201Device::Eyeriss => "eyeriss",
            Nb201Device::Fpga => "fpga",
        }
    }

    /// What the device is and how its latency was obtained, for labels: the
    /// page must say which numbers were measured and which simulated.
    pub fn description(self) -> &'static str {
        match self {
            Nb201Device::Raspi4 => "Raspberry Pi 4, measured",
            Nb201Device::Pixel3 => "Pixel 3 phone, measured",
            Nb201Device::Eyeriss => "Eyeriss ASIC, simulated",
            Nb201Device::Fpga => "FPGA, simulated",
        }
    }

    /// True for the two devices the latency was measured on.
    pub fn is_measured(self) -> bool {
        matches!(self, Nb201Device::Raspi4 | Nb201Device::Pixel3)
    }

    /// The table's column for this device.
    pub fn column(self) -> &'static str {
        match self {
            Nb201Device::Raspi4 => "raspi4_ms",
            Nb201Device::Pixel3 => "pixel3_ms",
            Nb201Device::Eyeriss => "eyeriss_ms",
            Nb201Device::Fpga => "fpga_ms",
        }
    }

    /// Position in `ALL`.
    pub fn position(self) -> usize {
        self as usize
    }

    pub fn known_names() -> String {
        Nb201Device::ALL.map(Nb201Device::name).join(", ")
    }
}

impl fmt::Display for Nb201Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Nb201Device {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Nb201Device::ALL
            .into_iter()
            .find(|device| device.name() == text)
            .ok_or_else(|| {
                Error::bad_setting(
                    "device",
                    format!(
                        "unknown NAS-Bench-201 device \"{text}\"; known devices: {}",
                        Nb201Device::known_names()
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_device_round_trips_through_its_name_and_json() {
        for device in Nb201Device::ALL {
            assert_eq!(device.name().parse::<Nb201Device>().unwrap(), device);
            assert_eq!(
                serde_json::to_string(&device).unwrap(),
                format!("\"{device}\"")
            );
            assert_eq!(Nb201Device::ALL[device.position()], device);
        }
    }

    #[test]
    fn an_unknown_device_lists_the_known_ones() {
        let err = "jetson".parse::<Nb201Device>().unwrap_err().to_string();
        assert!(
            err.contains("\"jetson\"") && err.contains("raspi4, pixel3"),
            "{err}"
        );
    }
}
