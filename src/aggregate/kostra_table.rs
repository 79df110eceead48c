//! One table of the KOSTRA mapping folder (`data/kostra/*.csv` built in, or a report's own
//! copy that overrides it file by file): read, its header line checked against the columns
//! the program knows. `;`-separated, `#` starts a comment, names matched exactly.
//!
//! The program defines these tables' columns, so a column it does not know (a misspelt
//! `art_fra`, a note column) is refused like an unknown config key: its values would be
//! dropped unseen. A column twice is refused too (only one of them would be read). What each
//! column means is the reader's business (the statutory overviews, the transfer pairs, the
//! debt checks).

use std::path::{Path, PathBuf};

use crate::error::DataError;

/// The columns one KOSTRA table may have.
pub(crate) struct Columns {
    /// Every column the program knows, in the order the tables document them.
    pub(crate) known: &'static [&'static str],
    /// Those of them a table may do without (`equals`, `verified`, `note`).
    pub(crate) optional: &'static [&'static str],
    /// Whether `name_<language>` columns (a name in another language, `name_nn`) are allowed.
    pub(crate) names: bool,
}

impl Columns {
    /// The columns as the messages list them: `row;name;kind;formula (and name_<language>)`.
    fn expected(&self) -> String {
        let mut expected = self.known.join(";");
        if self.names {
            expected.push_str(&crate::msg!("statutory.name_columns"));
        }
        expected
    }

    /// Whether `header` names a column of the table.
    fn knows(&self, header: &str) -> bool {
        self.known.contains(&header)
            || (self.names
                && header.strip_prefix("name_").is_some_and(|language| {
                    !language.is_empty() && language.chars().all(|c| c.is_ascii_lowercase())
                }))
    }
}

/// A KOSTRA table, read: its header line checked, its records with the lines they stand on.
pub(crate) struct Table {
    /// The path that names the table in messages (the folder's own file, or the built-in one).
    pub(crate) path: PathBuf,
    /// The header line.
    pub(crate) headers: csv::StringRecord,
    /// Every record after the header, with its line.
    pub(crate) records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// The index of a column the header check made sure is there (one not optional).
    pub(crate) fn column(&self, name: &str) -> usize {
        self.optional(name).unwrap_or(usize::MAX)
    }

    /// The index of a column, if the table has it.
    pub(crate) fn optional(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// A KOSTRA table being read: `;`-separated, `#` starts a comment.
type TableReader = csv::Reader<std::io::Cursor<std::borrow::Cow<'static, [u8]>>>;

/// Every record of `reader` after the header with the line it stands on; the first record
/// that cannot be read is the error, worded by the catalogue's `unreadable` (with `{error}`).
fn records(
    path: &Path,
    reader: &mut TableReader,
    unreadable: &str,
) -> Result<Vec<(u64, csv::StringRecord)>, DataError> {
    let bytes = reader.get_ref().get_ref().clone();
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| line_of(&bytes, p));
                records.push((line, record));
            }
            Err(e) => {
                let line = e.position().map(|p| line_of(&bytes, p));
                let error = e.to_string();
                let message = crate::messages::text(unreadable, &[("error", &error)]);
                let problem = DataError::new(path, message);
                return Err(match line {
                    Some(line) => problem.at_line(line),
                    None => problem,
                });
            }
        }
    }
    Ok(records)
}

/// The line a record (or the header) stands on: csv's position is where it began reading,
/// before the `#` comments and empty lines it skipped.
fn line_of(bytes: &[u8], position: &csv::Position) -> u64 {
    let mut byte = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let mut line = position.line();
    loop {
        let rest = bytes.get(byte..).unwrap_or_default();
        let skipped =
            rest.first() == Some(&b'#') || rest.starts_with(b"\n") || rest.starts_with(b"\r\n");
        match rest.iter().position(|&b| b == b'\n') {
            Some(end) if skipped => {
                byte += end + 1;
                line += 1;
            }
            _ => return line,
        }
    }
}

/// Reads the KOSTRA table `name` of the folder `folder`: the folder's own file, else the
/// built-in one ([`crate::builtin::Overlay`]), its header line checked against `columns`.
/// `what` names the table in an error (worded by the caller's catalogue section, e.g.
/// `statutory.table_name`), and the catalogue key `unreadable` words a record that cannot be
/// read (with `{error}`).
pub(crate) fn read(
    folder: &Path,
    name: &str,
    (what, unreadable): (&str, &str),
    columns: &Columns,
) -> Result<Table, DataError> {
    let overlay = crate::builtin::Overlay::kostra(folder);
    let path = overlay.path(name);
    let found = overlay
        .read(name)
        .map_err(|error| DataError::new(&path, crate::msg!("statutory.cannot_read", what, error)))?
        .ok_or_else(|| DataError::new(&path, crate::msg!("statutory.no_such_table", what)))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(found.bytes));
    let headers = reader
        .headers()
        .map_err(|error| DataError::new(&path, crate::msg!("load.file.header_unreadable", error)))?
        .clone();
    let line = headers
        .position()
        .map_or(1, |p| line_of(reader.get_ref().get_ref(), p));
    check_header(&path, (&headers, line), columns)?;
    let records = records(&path, &mut reader, unreadable)?;
    Ok(Table {
        path,
        headers,
        records,
    })
}

/// Refuses a header line with a column twice, a column `columns` does not know, or a
/// required column missing; each at the header's line (after the `#` comments) and, where
/// there is one, the column.
fn check_header(
    path: &Path,
    (headers, line): (&csv::StringRecord, u64),
    columns: &Columns,
) -> Result<(), DataError> {
    let at = |message: String| DataError::new(path, message).at_line(line);
    for (index, header) in headers.iter().enumerate() {
        if headers.iter().take(index).any(|h| h == header) {
            let twice = header;
            return Err(at(crate::msg!("load.table.column_twice", twice)).at_column(index, ""));
        }
        if !columns.knows(header) {
            let known = columns.known.iter().copied();
            let message = crate::load::table::unknown_column(header, known, &columns.expected());
            return Err(at(message).at_column(index, ""));
        }
    }
    match columns
        .known
        .iter()
        .filter(|name| !columns.optional.contains(name))
        .find(|name| !headers.iter().any(|h| h == **name))
    {
        Some(name) => Err(at(crate::msg!(
            "statutory.no_column",
            name = format!("{name:?}"),
            expected = columns.expected()
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: Columns = Columns {
        known: &["row", "name", "equals"],
        optional: &["equals"],
        names: true,
    };

    fn header(text: &str) -> Result<(), DataError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let line = line_of(text.as_bytes(), headers.position().unwrap());
        check_header(Path::new("t.csv"), (&headers, line), &ROWS)
    }

    #[test]
    fn a_header_is_located_after_the_comments_and_by_its_column() {
        assert!(header("# a comment\nrow;name;equals;name_nn\n").is_ok());
        assert!(header("row;name\n").is_ok());
        let error = header("# one\n# two\nrow;name;nmae_nn\n").unwrap_err();
        assert_eq!((error.line, error.column.map(|c| c.0)), (Some(3), Some(3)));
        assert!(error.message.contains("\"nmae_nn\""), "{}", error.message);
        let error = header("row;name;name\n").unwrap_err();
        assert_eq!((error.line, error.column.map(|c| c.0)), (Some(1), Some(3)));
        let error = header("row;equals\n").unwrap_err();
        assert_eq!((error.line, error.column), (Some(1), None));
        assert!(error.message.contains("\"name\""), "{}", error.message);
        // A language code is letters: `name_` alone or `name_n1` is no language.
        assert!(header("row;name;name_\n").is_err());
        assert!(header("row;name;name_n1\n").is_err());
    }

    #[test]
    fn a_record_is_on_its_own_line_past_comments_and_empty_lines() {
        let text = "# one\r\n\r\nrow;name\r\n1;a\r\n# between\n\n2;b\n";
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let header = line_of(
            text.as_bytes(),
            reader.headers().unwrap().position().unwrap(),
        );
        let lines: Vec<u64> = reader
            .records()
            .map(|r| line_of(text.as_bytes(), r.unwrap().position().unwrap()))
            .collect();
        assert_eq!((header, lines), (3, vec![4, 7]));
    }
}
