//! The one error type of the engine. Every message says what was wrong, what was
//! expected, what was found and, where it helps, what to do.

use thiserror::Error;

/// Everything that can go wrong in the engine, grouped by area.
#[derive(Debug, Error)]
pub enum Error {
    /// An architecture text names an op that is not in the search space.
    #[error("unknown op \"{name}\" at item {position}; known ops: {known}")]
    UnknownOp {
        name: String,
        position: usize,
        known: String,
    },

    /// An architecture text has an empty item (two commas in a row, a trailing comma).
    #[error("item {position} of the architecture is empty; write ops separated by single commas")]
    EmptyItem { position: usize },

    /// An architecture with no ops at all.
    #[error("the architecture is empty; give at least one op, e.g. conv3x3,identity")]
    EmptyArchitecture,

    /// A numeric setting outside its accepted range.
    #[error("{field} must be between {min} and {max}, got {got}")]
    OutOfRange {
        field: String,
        min: String,
        max: String,
        got: String,
    },

    /// A setting that cannot be read at all (not a number, unknown name, bad JSON).
    #[error("{field}: {detail}")]
    BadSetting { field: String, detail: String },

    /// A dataset file or embedded table that does not have the expected shape.
    #[error("dataset {name}: {detail}")]
    Data { name: String, detail: String },

    /// The compute device could not be set up or failed during work.
    #[error("backend: {0}")]
    Backend(String),

    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] crate::charts::ChartError),
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A setting outside `[min, max]`, with the values formatted for the message.
    pub fn out_of_range(
        field: &str,
        min: impl ToString,
        max: impl ToString,
        got: impl ToString,
    ) -> Self {
        Error::OutOfRange {
            field: field.to_string(),
            min: min.to_string(),
            max: max.to_string(),
            got: got.to_string(),
        }
    }

    /// A setting that could not be read.
    pub fn bad_setting(field: &str, detail: impl ToString) -> Self {
        Error::BadSetting {
            field: field.to_string(),
            detail: detail.to_string(),
        }
    }
}
