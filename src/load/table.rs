//! Typed CSV tables: the strategy chapter's files, the debt file and the series are UTF-8 (a
//! byte-order mark is allowed), semicolon separated, with a header line, read into records of
//! a type. Header names are matched without regard to case or surrounding spaces; a column
//! the type does not name is refused (the program defines these files' columns). Every
//! problem in every file is collected (up to [`MAX_ERRORS`] per file) so a finance officer
//! can fix them in one pass.

use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::records;
use crate::error::{DataError, DataErrors};
use crate::model::{Row, Table};

/// Finds the 1-based line of a byte offset, moving forward through a file. (csv's own line
/// count lags by one after a CRLF line in a file that mixes line endings.)
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Self {
        Self::starting_at(text, 0, 1)
    }

    /// A counter whose first record starts at `byte`, on line `line`.
    pub(crate) fn starting_at(text: &'a [u8], byte: usize, line: u64) -> Self {
        LineCounter { text, byte, line }
    }

    /// The line a record starting at `byte` is on; offsets must not decrease.
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // A record whose reported start is the '\n' of a CRLF pair starts after it.
        while target < self.text.len() && matches!(self.text[target], b'\n' | b'\r') {
            target += 1;
        }
        if target > self.byte {
            self.line += self.text[self.byte..target]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = target;
        }
        self.line
    }
}

/// How many problems one file may report before the rest are summarised.
pub(crate) const MAX_ERRORS: usize = 50;

/// Reads one CSV file into records of `T`, adding any problems to `errors`. The file must
/// have a column for every field of `T`, named like the field, and no other.
pub(crate) fn read_table<T: DeserializeOwned>(
    path: &Path,
    errors: &mut Vec<DataError>,
) -> Table<T> {
    let required = field_names::<T>();
    let mut table = Table {
        file: path.to_path_buf(),
        headers: Vec::new(),
        rows: Vec::new(),
    };
    let bytes = match crate::input::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => crate::msg!("load.file.missing"),
                _ => crate::msg!(
                    "load.file.unreadable",
                    error = crate::messages::io_error(&e)
                ),
            };
            errors.push(DataError::new(path, what));
            return table;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let (headers, columns) = match header_columns(path, &mut reader, required) {
        Ok(found) => found,
        Err(error) => {
            errors.push(error);
            return table;
        }
    };
    table.headers = headers;

    let mut file_errors = 0;
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(&bytes);
    let errors_before = errors.len();
    let mut last_record = None;
    loop {
        let result = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
                if let Some(p) = record.position() {
                    let byte = usize::try_from(p.byte()).unwrap_or(0);
                    last_record = Some((records::skip_line_ends(&bytes, byte), line));
                }
                read_record(path, &record, &columns, line)
            }
            Err(e) => {
                if let Some(p) = e.position() {
                    let byte = usize::try_from(p.byte()).unwrap_or(0);
                    let line = lines.line_at(p.byte());
                    last_record = Some((records::skip_line_ends(&bytes, byte), line));
                }
                Err(csv_error(path, e))
            }
        };
        match result {
            Ok(row) => table.rows.push(row),
            Err(error) => {
                file_errors += 1;
                if file_errors <= MAX_ERRORS {
                    errors.push(error);
                }
            }
        }
    }
    if let Some((byte, line)) = last_record {
        unclosed_quote(path, &bytes, byte, line, errors_before, errors, &mut table);
    }
    if file_errors > MAX_ERRORS {
        errors.push(DataError::new(
            path,
            crate::msg!("load.file.more_problems", extra = file_errors - MAX_ERRORS),
        ));
    }
    table
}

/// Each field's column and name, in field order.
type FieldColumns = Vec<(usize, &'static str)>;

/// The header line, lower-cased, and each required field's column in it.
fn header_columns<R: std::io::Read>(
    path: &Path,
    reader: &mut csv::Reader<R>,
    required: &[&'static str],
) -> Result<(Vec<String>, FieldColumns), DataError> {
    let headers = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect::<Vec<_>>();
    let columns = field_columns(path, required, &headers)?;
    Ok((headers, columns))
}

/// Each required field's column in the header line, in field order, so records can be read
/// positionally; an error when a field's column is missing or there twice.
fn field_columns(
    path: &Path,
    required: &[&'static str],
    headers: &[String],
) -> Result<FieldColumns, DataError> {
    if let Some(twice) = required
        .iter()
        .find(|name| headers.iter().filter(|h| h == name).count() > 1)
    {
        return Err(DataError::new(path, crate::msg!("load.table.column_twice", twice)).at_line(1));
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|name| !headers.iter().any(|h| h == name))
        .collect();
    if !missing.is_empty() {
        let key = if missing.len() == 1 {
            "load.table.missing_column"
        } else {
            "load.table.missing_columns"
        };
        let found = quoted(&headers.iter().map(String::as_str).collect::<Vec<_>>());
        return Err(DataError::new(
            path,
            crate::messages::text(
                key,
                &[
                    ("missing", &quoted(&missing)),
                    ("found", &found),
                    ("expected", &required.join(";")),
                ],
            ),
        )
        .at_line(1));
    }
    // The program defines these files' columns: a column it does not know (a misspelt name,
    // a note column) would be dropped unseen, so it is refused like an unknown config key.
    if let Some((index, unknown)) = headers
        .iter()
        .enumerate()
        .find(|(_, h)| !required.contains(&h.as_str()))
    {
        let expected = required.join(";");
        let message = unknown_column(unknown, required.iter().copied(), &expected);
        return Err(DataError::new(path, message)
            .at_line(1)
            .at_column(index, ""));
    }
    Ok(required
        .iter()
        .filter_map(|name| headers.iter().position(|h| h == name).map(|i| (i, *name)))
        .collect())
}

/// The message for a header column a program-defined table does not know: the column, the
/// expected names, and the nearest known name when one is close.
pub(crate) fn unknown_column<'a>(
    column: &str,
    known: impl IntoIterator<Item = &'a str>,
    expected: &str,
) -> String {
    let hint = crate::error::nearest(column, known)
        .map(|near| crate::msg!("load.table.unknown_column_near", near))
        .unwrap_or_default();
    crate::msg!(
        "load.table.unknown_column",
        column = format!("{column:?}"),
        expected,
        hint
    )
}

/// One record's fields, cleaned (the first unprintable cell is the error), read as a `T`.
fn read_record<T: DeserializeOwned>(
    path: &Path,
    record: &csv::StringRecord,
    columns: &[(usize, &str)],
    line: u64,
) -> Result<Row<T>, DataError> {
    let mut fields = csv::StringRecord::new();
    let mut unprintable = None;
    for (index, name) in columns {
        match crate::text::clean(record.get(*index).unwrap_or_default()) {
            Ok(cell) => fields.push_field(&cell),
            Err(bad) => {
                unprintable.get_or_insert_with(|| {
                    DataError::new(path, bad.message())
                        .at_line(line)
                        .at_column(*index, *name)
                });
                fields.push_field("");
            }
        }
    }
    if let Some(problem) = unprintable {
        return Err(problem);
    }
    fields
        .deserialize::<Tracked<T>>(None)
        .map(|value| Row {
            line,
            record: value.0,
        })
        .map_err(|e| field_error(path, columns, &e).at_line(line))
}

/// A quote that is never closed makes the last record (from `byte`, at `line`) swallow the
/// rest of the file: the rows and this file's errors from that line on are dropped and the
/// quote is named instead.
fn unclosed_quote<T>(
    path: &Path,
    bytes: &[u8],
    byte: usize,
    line: u64,
    errors_before: usize,
    errors: &mut Vec<DataError>,
    table: &mut Table<T>,
) {
    let Some(quote) = records::unclosed_quote(bytes, byte, b';') else {
        return;
    };
    let quote_line = line
        + bytes[byte.min(quote)..quote]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
    let mut seen = 0;
    errors.retain(|e| {
        seen += 1;
        seen <= errors_before || e.line.is_none_or(|l| l < line)
    });
    table.rows.retain(|row| row.line < line);
    errors.push(
        DataError::new(path, records::unclosed_quote_message(quote_line)).at_line(quote_line),
    );
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Turns a typed-field error into a located, plain-words problem.
fn field_error(path: &Path, columns: &[(usize, &str)], error: &csv::Error) -> DataError {
    let csv::ErrorKind::Deserialize { err, .. } = error.kind() else {
        return DataError::new(path, error.to_string());
    };
    let message = match err.kind() {
        csv::DeserializeErrorKind::Message(message) => message.clone(),
        other => other.to_string(),
    };
    let (field, message) = match message.split_once(FIELD_MARK) {
        Some((index, message)) => (index.parse::<usize>().ok(), message.to_string()),
        None => (err.field().and_then(|i| usize::try_from(i).ok()), message),
    };
    let located = DataError::new(path, message);
    match field.and_then(|i| columns.get(i)) {
        Some((index, name)) => located.at_column(*index, *name),
        None => located,
    }
}

/// Separates the failing field's index from the message inside a [`Tracked`] error.
const FIELD_MARK: char = '\u{1f}';

/// A record read field by field in declaration order, whose errors say which field failed:
/// csv only knows the column for errors it raises itself, not for our parse errors.
struct Tracked<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tracked<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_path_to_error::deserialize(deserializer)
            .map(Tracked)
            .map_err(|e| {
                let field = e.path().iter().find_map(|segment| match segment {
                    serde_path_to_error::Segment::Seq { index } => Some(*index),
                    _ => None,
                });
                let inner = e.into_inner();
                match field {
                    Some(index) => serde::de::Error::custom(format!("{index}{FIELD_MARK}{inner}")),
                    None => inner,
                }
            })
    }
}

/// The field names of a record type, in declaration order, as its `Deserialize` impl sees them.
fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Names;
    #[derive(Debug)]
    struct Found(&'static [&'static str]);
    impl std::fmt::Display for Found {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names")
        }
    }
    impl std::error::Error for Found {}
    impl serde::de::Error for Found {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Found(&[])
        }
    }
    impl<'de> serde::Deserializer<'de> for Names {
        type Error = Found;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            Err(Found(&[]))
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Found> {
            Err(Found(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    match T::deserialize(Names) {
        Err(Found(fields)) => fields,
        Ok(_) => &[],
    }
}

/// Turns a csv reader error into a located, plain-words problem.
fn csv_error(path: &Path, error: csv::Error) -> DataError {
    let line = error.position().map(csv::Position::line);
    let mut located = match error.into_kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => DataError::new(
            path,
            crate::msg!("load.table.field_count", len, expected_len),
        ),
        csv::ErrorKind::Utf8 { .. } => DataError::new(path, crate::msg!("load.file.not_utf8")),
        csv::ErrorKind::Io(e) => {
            DataError::new(path, crate::msg!("load.file.unreadable", error = e))
        }
        other => {
            let error = format!("{other:?}");
            DataError::new(path, crate::msg!("load.file.not_csv", error))
        }
    };
    located.line = line;
    located
}

/// One year of a series file (`year;value`), such as a deflator or a population.
#[derive(Debug, Clone, serde::Deserialize)]
struct SeriesRow {
    year: crate::model::Year,
    value: crate::model::Money,
}

/// What a series file's values are: a deflator's growth in percent (any number), or a
/// population (a whole number of inhabitants, above zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Series {
    Growth,
    Population,
}

/// Reads a series file with the columns `year;value` (values written the Norwegian way, so
/// `4,1` for a percentage and `255 000` for inhabitants). A year on a second line is refused:
/// one of the two values would otherwise be dropped unseen. So the series has one value per
/// line read. A population is a whole number above zero.
pub(crate) fn read_series(
    path: &Path,
    kind: Series,
) -> Result<std::collections::BTreeMap<i32, rust_decimal::Decimal>, DataErrors> {
    let mut errors = Vec::new();
    let table: Table<SeriesRow> = read_table(path, &mut errors);
    let mut series = std::collections::BTreeMap::new();
    let mut lines = std::collections::BTreeMap::new();
    for row in &table.rows {
        let (year, value) = (row.record.year.0, row.record.value.0);
        if let Some(first) = lines.insert(year, row.line) {
            errors.push(
                DataError::new(
                    path,
                    crate::msg!("load.table.series_year_twice", year, first),
                )
                .at_line(row.line),
            );
        }
        if kind == Series::Population
            && (value <= rust_decimal::Decimal::ZERO || !value.fract().is_zero())
        {
            errors.push(table.error_at(
                row,
                "value",
                crate::msg!(
                    "load.series.population",
                    value = crate::format::plain(value)
                ),
            ));
        }
        series.insert(year, value);
    }
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    Ok(series)
}
