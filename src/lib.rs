//! budsjett turns a municipality's budget and timeline data into the PDF reports its council
//! reads.
//!
//! The pipeline, one module per stage:
//! **load** ([`load`]) → **validate** ([`validate`]) → **aggregate** ([`aggregate`]) →
//! **present** ([`present`], with [`format`]) → **template** ([`template`]) →
//! **typeset** ([`typeset`]) → **write** ([`write`]). [`pipeline`] wires them together, once,
//! for every command; [`budget`] is the budget path's load → validate → aggregate. This module
//! holds only the error every stage can end in.

pub mod aggregate;
pub mod budget;
pub mod check;
pub mod config;
pub mod error;
pub mod explain;
pub mod fingerprint;
pub mod fonts;
pub mod format;
pub mod guess;
pub mod init;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod present;
pub mod template;
pub mod typeset;
pub mod validate;
pub mod write;

use std::path::PathBuf;

pub use config::Config;
pub use error::{ConfigError, DataError, DataErrors, OutputError};
pub use pipeline::{OutputFormat, Prepared, RenderOptions, Rendered, prepare, render};

/// Anything that can stop a render: the errors of every stage, wrapped at the top so that no
/// stage imports another's errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error("{0}")]
    Data(#[from] DataErrors),

    #[error("{0}")]
    Aggregate(#[from] aggregate::AggregateError),

    #[error("{0}")]
    Template(#[from] template::TemplateError),

    #[error("{0}")]
    Typeset(#[from] typeset::TypesetError),

    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },
}

impl From<DataError> for Error {
    fn from(error: DataError) -> Self {
        Self::Data(error.into())
    }
}

impl From<ConfigError> for Error {
    fn from(ConfigError { path, message }: ConfigError) -> Self {
        Self::Config { path, message }
    }
}

impl From<OutputError> for Error {
    fn from(OutputError { path, message }: OutputError) -> Self {
        Self::Output { path, message }
    }
}
pub use typeset::PdfSettings;

impl Error {
    /// This error as the problems `check` lists: data problems as they are, the others located
    /// at their file (`fallback` when they have none).
    pub fn into_problems(self, fallback: &std::path::Path) -> Vec<DataError> {
        match self {
            Error::Data(errors) => errors.0,
            Error::Config { path, message } | Error::Output { path, message } => {
                vec![DataError::new(path, message)]
            }
            Error::Aggregate(e) => vec![e.into()],
            Error::Template(e) => {
                let mut problem = DataError::new(&e.file, format!("template error: {}", e.message));
                problem.line = e.line.map(|l| l as u64);
                vec![problem]
            }
            e => vec![DataError::new(fallback, e.to_string())],
        }
    }
}
