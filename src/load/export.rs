//! Reading municipal exports (CSV or an XLSX sheet) through their profiles into budget lines.
//!
//! Each source is decoded (see [`super::dialect`]), its profile's columns are found in the
//! header (with a hint when a header is almost the name the profile gives), and every row
//! becomes one budget line per amount column: year, version, exact amount in kroner (income
//! negative) and the row's dimension values, interned. Problems are collected per file, up
//! to [`MAX_PROBLEMS`], each located at file, line and column. A CSV file's records are read
//! by [`super::records`], on several threads when the file is large; a row by [`super::row`].

use std::path::Path;

use super::dialect;
use super::profile::{Layout, Profile};
use super::row::{RowCells, RowSource, find_columns, read_row};
use crate::error::DataError;
use crate::model::Role;
use crate::model::ledger::{Ledger, SourceInfo};

/// How many problems one source may report before the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// Reads every source; returns the lines read and every problem found. A large CSV file is
/// read on up to as many threads as the machine has cores (at most 8).
pub fn import(profiles: &[Profile]) -> (Ledger, Vec<DataError>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    import_with_threads(profiles, threads)
}

/// [`import`] with the number of threads a large CSV file is read on given: the result is
/// the same for any number (tests and fuzzing compare them).
pub fn import_with_threads(profiles: &[Profile], threads: usize) -> (Ledger, Vec<DataError>) {
    let mut ledger = Ledger::new();
    let mut problems = Vec::new();
    for (index, profile) in profiles.iter().enumerate() {
        let source = u16::try_from(index).unwrap_or(u16::MAX);
        for (role, dimension) in &profile.dimensions {
            let d = &mut ledger.dimensions[role.index()];
            if d.label.is_empty() {
                d.label = dimension
                    .label
                    .clone()
                    .unwrap_or_else(|| default_label(*role));
            }
        }
        let mut file_problems = Vec::new();
        let info = read_source(profile, source, threads, &mut ledger, &mut file_problems);
        let extra = file_problems.len().saturating_sub(MAX_PROBLEMS);
        file_problems.truncate(MAX_PROBLEMS);
        problems.extend(file_problems);
        if extra > 0 {
            problems.push(DataError::new(
                &profile.file,
                format!("{extra} more problems in this file not shown"),
            ));
        }
        ledger.sources.push(info);
    }
    (ledger, problems)
}

/// A dimension the profile gives no label is labelled with its role ("area"): the report
/// names it in its own language (`dimension.area` in the words catalogue, see
/// `Ledger::dimension_label`).
fn default_label(role: Role) -> String {
    role.name().to_string()
}

/// What is known of a source before it is read.
fn read_source_info(profile: &Profile) -> SourceInfo {
    SourceInfo {
        profile: profile.path.clone(),
        file: profile.file.clone(),
        rows: 0,
        filtered: 0,
        empty_amounts: 0,
        long_rows: 0,
        first_long_row: None,
        encoding: None,
        bom: false,
        delimiter: None,
        part: profile.part,
        kostra_start: {
            let mut starts = [None; Role::COUNT];
            for (role, dimension) in &profile.dimensions {
                starts[role.index()] = dimension.kostra_start();
            }
            starts
        },
        layout: match profile.layout {
            Layout::Long { .. } => "long",
            Layout::Wide { .. } => "wide",
        },
    }
}

fn read_source(
    profile: &Profile,
    source: u16,
    threads: usize,
    ledger: &mut Ledger,
    problems: &mut Vec<DataError>,
) -> SourceInfo {
    let mut info = read_source_info(profile);
    let file = &profile.file;
    let is_sheet = file.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "xlsx" | "xlsm" | "xls" | "ods"
        )
    });
    if is_sheet {
        let (headers, rows) = match super::xlsx::read(file, profile.sheet.as_deref()) {
            Ok(sheet) => sheet,
            Err(message) => {
                problems.push(DataError::new(file, message));
                return info;
            }
        };
        let Some(columns) = find_columns(profile, &headers, ledger, problems) else {
            return info;
        };
        for (row_index, row) in rows.iter().enumerate() {
            info.rows += 1;
            // Row 1 is the header.
            let line = row_index as u64 + 2;
            read_row(
                RowSource {
                    profile,
                    source,
                    columns: &columns,
                    headers: &headers,
                },
                line,
                &RowCells::Sheet(row),
                ledger,
                &mut info,
                problems,
            );
        }
        return info;
    }

    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
                _ => format!("the file cannot be read: {e}"),
            };
            problems.push(DataError::new(file, what));
            return info;
        }
    };
    read_csv(
        profile,
        source,
        &bytes,
        (threads, super::records::PARALLEL_MIN_BYTES),
        ledger,
        &mut info,
        problems,
    );
    info
}

/// Reads the CSV export in `bytes` through `profile`, with every problem found: what
/// [`import_with_threads`] does for one CSV source, on bytes in memory. `split` is the number
/// of threads and the size from which a file is read in parts, so that tests and fuzzing can
/// compare one part with many on small inputs.
pub fn import_csv_bytes(
    profile: &Profile,
    bytes: &[u8],
    split: (usize, usize),
) -> (Ledger, Vec<DataError>) {
    let mut ledger = Ledger::new();
    let mut problems = Vec::new();
    let mut info = read_source_info(profile);
    read_csv(
        profile,
        0,
        bytes,
        split,
        &mut ledger,
        &mut info,
        &mut problems,
    );
    ledger.sources.push(info);
    (ledger, problems)
}

fn read_csv(
    profile: &Profile,
    source: u16,
    bytes: &[u8],
    (threads, min_bytes): (usize, usize),
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) {
    let file = &profile.file;
    let decoded = match decode(profile, bytes) {
        Ok(decoded) => decoded,
        Err(problem) => return problems.push(problem),
    };
    info.encoding = Some(decoded.encoding);
    info.bom = decoded.bom;
    let delimiter = profile
        .delimiter
        .unwrap_or_else(|| dialect::detect_delimiter(&decoded.text));
    info.delimiter = Some(delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => {
            problems.push(DataError::new(
                file,
                format!("the header line cannot be read: {e}"),
            ));
            return;
        }
    };
    let Some(columns) = find_columns(profile, &headers, ledger, problems) else {
        return;
    };
    // Where the records start: after the header line and its line end (the reader may stop
    // between the '\r' and the '\n' of a CRLF).
    let text = decoded.text.as_bytes();
    let mut start =
        usize::try_from(reader.position().byte()).map_or(text.len(), |b| b.min(text.len()));
    while start < text.len() && matches!(text[start], b'\r' | b'\n') {
        start += 1;
    }
    let source = super::records::Source {
        profile,
        source,
        columns: &columns,
        headers: &headers,
        delimiter,
        text: &decoded.text,
        threads,
        min_bytes,
    };
    let before = problems.len();
    super::records::read(&source, start, ledger, info, problems);
    if info.rows == 0 && problems.len() == before {
        problems.push(
            DataError::new(
                file,
                "found only the header line, expected rows of budget lines after it (was the \
                 export saved completely?)",
            )
            .at_line(1),
        );
    }
}

/// The export's text, in its encoding (the profile's, or detected); a problem when it cannot
/// be decoded or is empty.
fn decode<'a>(profile: &Profile, bytes: &'a [u8]) -> Result<dialect::Decoded<'a>, DataError> {
    let file = &profile.file;
    let decoded = match dialect::decode(bytes, profile.encoding) {
        Ok(decoded) => decoded,
        Err(error) => {
            let mut problem = DataError::new(file, error.message);
            problem.line = error.line;
            problem.column = error.column.map(|c| (c as usize, String::new()));
            return Err(problem);
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(DataError::new(
            file,
            "found an empty file, expected a header line and rows of budget lines (was the \
             export saved completely?)",
        ));
    }
    Ok(decoded)
}

/// The file name a person would recognise, for summaries.
pub fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
