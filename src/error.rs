//! The errors a user's files can cause — in data, in the report configuration, in writing the
//! output — and how they read to a person. The stage-wide [`crate::Error`] wraps them at the top.
//!
//! Every error a user can cause names the file (and, for data, the line and column), what was
//! found and what was expected. Errors are values here; only `main` decides how to print them.

use std::fmt;
use std::path::PathBuf;

/// A report configuration that cannot be used: the file and what is wrong with it (with the
/// key's line where it has one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// An output that cannot be written: the file and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    pub message: String,
}

/// How long a problem's message may be; longer ones quote too much of a cell.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// One problem in one data file, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: PathBuf,
    /// 1-based line number in the file, when the problem belongs to a line.
    pub line: Option<u64>,
    /// 1-based column number and the column's header name (empty when the column is a
    /// character position in the line, not a field).
    pub column: Option<(usize, String)>,
    /// What was found and what was expected, in plain words.
    pub message: String,
}

impl DataError {
    /// A problem in `file`; a message longer than [`MAX_MESSAGE_CHARS`] (one that quotes a
    /// huge cell) is cut there, with "…".
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if let Some((end, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
            message.truncate(end);
            message.push('…');
        }
        Self {
            file: file.into(),
            line: None,
            column: None,
            message,
        }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, index: usize, name: impl Into<String>) -> Self {
        self.column = Some((index + 1, name.into()));
        self
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some((column, _)) = &self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some((_, name)) = self.column.as_ref().filter(|(_, name)| !name.is_empty()) {
            write!(f, "column \"{name}\": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// All problems found in the data, in file and line order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataErrors(pub Vec<DataError>);

impl std::error::Error for DataErrors {}

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl From<DataError> for DataErrors {
    fn from(error: DataError) -> Self {
        Self(vec![error])
    }
}
