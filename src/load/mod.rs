//! Load: reads the report's CSV files into typed records.
//!
//! Files are UTF-8 (a byte-order mark is allowed), semicolon separated, with a header line.
//! Header names are matched without regard to case or surrounding spaces; extra columns are
//! ignored. Every problem in every file is collected (up to [`MAX_ERRORS`] per file) so a
//! finance officer can fix them in one pass.

pub mod amount;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::error::{DataError, DataErrors};
use crate::model::{Dataset, Row, Table};

/// How many problems one file may report before the rest are summarised.
pub const MAX_ERRORS: usize = 50;

/// Reads every data file named in the configuration.
pub fn load(config: &Config) -> Result<Dataset, DataErrors> {
    let mut errors = Vec::new();
    let files = &config.data;
    let areas = read_table(&files.areas, &["id", "name"], &mut errors);
    let programmes = read_table(&files.programmes, &["id", "name", "area"], &mut errors);
    let phases = read_table(
        &files.phases,
        &["programme", "label", "first_year", "last_year"],
        &mut errors,
    );
    let mut amounts: Table<crate::model::Amount> = read_table(
        &files.amounts,
        &[
            "programme",
            "first_year",
            "last_year",
            "basis",
            "kind",
            "source",
            "amount",
        ],
        &mut errors,
    );
    let milestones = read_table(
        &files.milestones,
        &["programme", "date", "label"],
        &mut errors,
    );
    let key_figures = read_table(
        &files.key_figures,
        &["id", "programme", "label", "value", "unit", "year"],
        &mut errors,
    );

    if config.unit_factor != 1 {
        let factor = rust_decimal::Decimal::from(config.unit_factor);
        for row in &mut amounts.rows {
            match row.record.amount.0.checked_mul(factor) {
                Some(kroner) => row.record.amount.0 = kroner,
                None => errors.push(
                    DataError::new(
                        &amounts.file,
                        "the amount is too large to convert to kroner",
                    )
                    .at_line(row.line),
                ),
            }
        }
    }

    if errors.is_empty() {
        Ok(Dataset {
            areas,
            programmes,
            phases,
            amounts,
            milestones,
            key_figures,
        })
    } else {
        Err(DataErrors(errors))
    }
}

/// Reads one CSV file into records of `T`, adding any problems to `errors`.
pub fn read_table<T: DeserializeOwned>(
    path: &Path,
    required: &[&str],
    errors: &mut Vec<DataError>,
) -> Table<T> {
    let mut table = Table {
        file: path.to_path_buf(),
        headers: Vec::new(),
        rows: Vec::new(),
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
                _ => format!("the file cannot be read: {e}"),
            };
            errors.push(DataError::new(path, what));
            return table;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());

    let headers = match reader.headers() {
        Ok(headers) => headers
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect::<Vec<_>>(),
        Err(e) => {
            errors.push(csv_error(path, e));
            return table;
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|name| !headers.iter().any(|h| h == name))
        .collect();
    if !missing.is_empty() {
        let plural = if missing.len() == 1 {
            "column"
        } else {
            "columns"
        };
        errors.push(
            DataError::new(
                path,
                format!(
                    "missing {plural} {}; the header line has {}; expected the columns {}",
                    quoted(&missing),
                    quoted(&headers.iter().map(String::as_str).collect::<Vec<_>>()),
                    required.join(";"),
                ),
            )
            .at_line(1),
        );
        return table;
    }
    let header_record = csv::StringRecord::from(headers.clone());
    table.headers = headers;

    let mut file_errors = 0;
    let mut record = csv::StringRecord::new();
    loop {
        let result = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, csv::Position::line);
                record
                    .deserialize::<T>(Some(&header_record))
                    .map(|value| Row {
                        line,
                        record: value,
                    })
                    .map_err(|e| {
                        let mut error = match e.kind() {
                            csv::ErrorKind::Deserialize { err, .. } => {
                                deserialize_error(path, &table.headers, err)
                            }
                            _ => csv_error(path, e),
                        };
                        error.line = Some(line);
                        error
                    })
            }
            Err(e) => Err(csv_error(path, e)),
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
    if file_errors > MAX_ERRORS {
        errors.push(DataError::new(
            path,
            format!(
                "{} more problems in this file not shown",
                file_errors - MAX_ERRORS
            ),
        ));
    }
    table
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Turns a typed-field error into a located, plain-words problem.
fn deserialize_error(path: &Path, headers: &[String], error: &csv::DeserializeError) -> DataError {
    let message = match error.kind() {
        csv::DeserializeErrorKind::Message(message) => message.clone(),
        other => other.to_string(),
    };
    let located = DataError::new(path, message);
    match error.field().and_then(|i| usize::try_from(i).ok()) {
        Some(index) if index < headers.len() => located.at_column(index, headers[index].clone()),
        _ => located,
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
            format!(
                "found {len} fields, expected {expected_len} like the header line \
                 (is a ';' missing or one too many?)"
            ),
        ),
        csv::ErrorKind::Utf8 { .. } => DataError::new(
            path,
            "found text that is not UTF-8, expected a file saved as UTF-8 \
             (in Excel: \"CSV UTF-8 (kommadelt)\")",
        ),
        csv::ErrorKind::Io(e) => DataError::new(path, format!("the file cannot be read: {e}")),
        other => DataError::new(path, format!("the file cannot be read as CSV: {other:?}")),
    };
    located.line = line;
    located
}
