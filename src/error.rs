//! The errors a user's files can cause — in data, in the report configuration, in writing the
//! output — and how they read to a person. The stage-wide [`crate::pipeline::Error`] wraps them at the top.
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

/// The candidate closest to `wanted`, if it is close enough to be a likely typo, for a "did
/// you mean" hint: names are compared without case and without anything but letters and
/// digits (`Change-Group` is `change_group`), at most two edits apart (a fifth of the
/// length for long names).
pub(crate) fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let simplify = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let target = simplify(wanted);
    let most = 2.max(target.chars().count() / 5);
    candidates
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|c| (strsim::levenshtein(&simplify(c), &target), c))
        .filter(|(distance, _)| *distance <= most)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// serde's message for a misspelt key or value (`unknown field `templat`, expected one of
/// `name`, `template``, also `unknown variant`) with a hint when one of the expected names is
/// close: `… (hint: did you mean `template`?)`. Other messages are returned as they are.
pub(crate) fn with_hint(message: &str) -> String {
    // not a message: serde's own words, matched
    if !(message.starts_with("unknown field `") || message.starts_with("unknown variant `")) {
        return message.to_string();
    }
    // The names stand between backticks: the unknown one first, then the expected ones.
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    match quoted.split_first() {
        Some((unknown, expected)) => match nearest(unknown, expected.iter().copied()) {
            Some(near) => crate::msg!("error.did_you_mean", message, near),
            None => message.to_string(),
        },
        None => message.to_string(),
    }
}

/// How long a problem's message may be; longer ones quote too much of a cell.
pub(crate) const MAX_MESSAGE_CHARS: usize = 1000;

/// At most `max` characters of `text` for a message, with "…" when cut: a message never
/// quotes a whole huge cell.
pub(crate) fn excerpt(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

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

    pub(crate) fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub(crate) fn at_column(mut self, index: usize, name: impl Into<String>) -> Self {
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
            write!(f, "{}: ", crate::msg!("error.column", name))?;
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

/// The line of a TOML text where the key a message starts with is set, found with the TOML
/// parser's spans: `dimensions.art.kostra: …` → the line of `kostra` inside `[dimensions]`'s
/// `art`, never a `kostra` of another table; `budget: …` → the line of `[budget]`.
pub(crate) fn key_line(message: &str, text: &str) -> Option<u64> {
    let key = message.split([':', ' ']).next().unwrap_or_default();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
    {
        return None;
    }
    let document = toml::de::DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut segments = key.split('.').peekable();
    while let Some(segment) = segments.next() {
        // `rules[2]`: the third table of an array of tables (issue 26's budget.rules).
        let (segment, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (segment, None),
        };
        let (name, value) = table.iter().find(|(name, _)| name.get_ref() == segment)?;
        let (start, value) = match (index, value.get_ref()) {
            (None, value) => (name.span().start, value),
            (Some(i), toml::de::DeValue::Array(items)) => {
                let item = items.get(i)?;
                (item.span().start, item.get_ref())
            }
            (Some(_), _) => return None,
        };
        if segments.peek().is_none() {
            let start = start.min(text.len());
            return Some(text[..start].matches('\n').count() as u64 + 1);
        }
        match value {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_name_is_suggested_and_a_far_one_is_not() {
        let roles = ["area", "service", "change_group"];
        assert_eq!(nearest("servise", roles), Some("service"));
        assert_eq!(nearest("Change-Group", roles), Some("change_group"));
        assert_eq!(nearest("omrade", roles), None);
        assert_eq!(nearest("", roles), None);
    }

    #[test]
    fn serde_messages_for_unknown_keys_get_a_hint() {
        assert_eq!(
            with_hint("unknown field `templat`, expected one of `name`, `template`, `status`"),
            "unknown field `templat`, expected one of `name`, `template`, `status` (hint: did \
             you mean `template`?)"
        );
        assert_eq!(
            with_hint("unknown variant `half_evne`, expected `half_away_from_zero` or `half_even`"),
            "unknown variant `half_evne`, expected `half_away_from_zero` or `half_even` (hint: \
             did you mean `half_even`?)"
        );
        let far = "unknown field `colour`, expected one of `name`, `template`";
        assert_eq!(with_hint(far), far);
        let other = "invalid type: string \"x\", expected an integer";
        assert_eq!(with_hint(other), other);
    }
}
