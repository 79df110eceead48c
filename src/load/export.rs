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
use crate::input::same_file;
use crate::model::Role;
use crate::model::ledger::{Ledger, SourceInfo};

/// How many problems one source may report before the rest are counted.
pub(crate) const MAX_PROBLEMS: usize = 100;

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
    let mut problems = read_twice(profiles);
    if !problems.is_empty() {
        return (ledger, problems);
    }
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
        if file_problems.is_empty() {
            file_problems.extend(unmatched_filter_values(profile, &info));
            file_problems.extend(sign_turned_twice(profile, &info));
        }
        if file_problems.is_empty()
            && info.rows > 0
            && !ledger.lines.iter().any(|l| l.source == source)
        {
            file_problems.push(no_lines(&info));
        }
        if file_problems.is_empty() && profile.part == crate::model::Part::Drift {
            file_problems.extend(investering_in_drift(&ledger, source, &info));
        }
        let extra = file_problems.len().saturating_sub(MAX_PROBLEMS);
        file_problems.truncate(MAX_PROBLEMS);
        problems.extend(file_problems);
        if extra > 0 {
            problems.push(DataError::new(
                &profile.file,
                crate::msg!("load.file.more_problems", extra),
            ));
        }
        ledger.sources.push(info);
    }
    (ledger, problems)
}

/// Sources that would read one file twice, so that each of its figures would be summed twice:
/// one profile listed twice (however its path is spelt: `./p.toml`, a link), or two profiles
/// naming one export. An export may be split between profiles (e.g. by part) when each has a
/// `filter` and their filters differ; what they keep is then the user's stated choice.
fn read_twice(profiles: &[Profile]) -> Vec<DataError> {
    let mut problems = Vec::new();
    for (i, later) in profiles.iter().enumerate() {
        for earlier in &profiles[..i] {
            if same_file(&later.path, &earlier.path) {
                problems.push(DataError::new(
                    &later.path,
                    crate::msg!(
                        "load.export.profile_twice",
                        earlier = earlier.path.display()
                    ),
                ));
                break;
            }
            if same_file(&later.file, &earlier.file) && !split(earlier, later) {
                problems.push(DataError::new(
                    &later.file,
                    crate::msg!(
                        "load.export.read_twice",
                        earlier = earlier.path.display(),
                        later = later.path.display()
                    ),
                ));
                break;
            }
        }
    }
    problems
}

/// An export whose rows all were filtered out or had empty amounts: named here, instead of
/// a report that finds no lines in its exports.
fn no_lines(info: &SourceInfo) -> DataError {
    DataError::new(
        &info.file,
        crate::msg!(
            "load.export.no_lines",
            rows = info.rows,
            filtered = info.filtered,
            empty = info.empty_amounts
        ),
    )
}

/// A value a `[[filter]]` lists that no row of the export holds: a `keep` value that keeps
/// nothing (its lines silently left out) or a `drop` value that drops nothing (lines meant to
/// go summed), most often a misspelling; with a hint when a value the column holds is close.
fn unmatched_filter_values(profile: &Profile, info: &SourceInfo) -> Vec<DataError> {
    let mut problems = Vec::new();
    for (filter, seen) in profile.filters.iter().zip(&info.filter_values) {
        for (keep, values) in [(true, &filter.keep), (false, &filter.drop)] {
            for value in values.iter().filter(|v| !seen.contains(v.as_str())) {
                let column = format!("{:?}", filter.column);
                let file = short_name(&profile.file);
                let quoted = format!("{value:?}");
                let message = if keep {
                    crate::msg!("load.filter.keeps_nothing", column, value = quoted, file)
                } else {
                    crate::msg!("load.filter.drops_nothing", column, value = quoted, file)
                };
                let message = match crate::error::nearest(value, seen.iter().map(String::as_str)) {
                    Some(near) => {
                        crate::msg!("load.filter.near", message, near = format!("{near:?}"))
                    }
                    None => message,
                };
                problems.push(DataError::new(&profile.path, message));
            }
        }
    }
    problems
}

/// A sign column (`convention = "column"`) over amounts that carry their sign already: every
/// amount it calls income is written negative, so turning income negative would make each
/// of them an expense.
fn sign_turned_twice(profile: &Profile, info: &SourceInfo) -> Option<DataError> {
    let all = info.income_amounts;
    (all > 0 && info.income_written_negative == all).then(|| {
        DataError::new(
            &profile.path,
            crate::msg!("load.sign.turned_twice", count = all),
        )
    })
}

/// Drift lines with arts SSB allows only in investering: an export that mixes the two
/// budgets, read as drift (the default without `part`), would sum its investment lines as
/// drift. Checked where the profile says where the KOSTRA art stands in the art code.
fn investering_in_drift(ledger: &Ledger, source: u16, info: &SourceInfo) -> Option<DataError> {
    let role = Role::Art.index();
    let start = info.kostra_start[role]?;
    let values = &ledger.dimensions[role].values;
    let mut arts: Vec<u16> = Vec::new();
    let (mut count, mut first) = (0usize, u32::MAX);
    for line in ledger.lines.iter().filter(|l| l.source == source) {
        let Some(value) = values.get(line.dims[role] as usize) else {
            continue;
        };
        let Some(art) = super::kostra::code3(&value.code, start) else {
            continue;
        };
        if super::kostra::investering_only(art, line.year) {
            count += 1;
            first = first.min(line.line);
            if !arts.contains(&art) {
                arts.push(art);
            }
        }
    }
    if count == 0 {
        return None;
    }
    arts.sort_unstable();
    let arts: Vec<String> = arts.iter().map(|a| format!("{a:03}")).collect();
    Some(
        DataError::new(
            &info.file,
            crate::msg!(
                "load.export.investering_in_drift",
                count,
                arts = arts.join(", ")
            ),
        )
        .at_line(u64::from(first)),
    )
}

/// The first cell of a header line that looks like data, with its index: an export saved
/// without its header, whose first row was taken for one. A cell reads as data when it is an
/// amount or a code (a number) that is not a year (wide exports name their columns by year).
pub(crate) fn data_in_header(headers: &[String]) -> Option<(usize, &String)> {
    headers.iter().enumerate().find(|(_, cell)| {
        let year = cell.len() == 4
            && cell
                .parse::<i32>()
                .is_ok_and(|y| (1900..=2100).contains(&y));
        !cell.trim().is_empty() && !year && crate::amount::parse(cell).is_ok()
    })
}

/// [`data_in_header`] as a problem at line 1.
fn header_is_data(file: &Path, headers: &[String]) -> Option<DataError> {
    let (index, cell) = data_in_header(headers)?;
    Some(
        DataError::new(
            file,
            crate::msg!("load.export.header_is_data", cell = format!("{cell:?}")),
        )
        .at_line(1)
        .at_column(index, cell.clone()),
    )
}

/// A comma-separated export with rows longer than its header: most often an amount with a
/// decimal comma that is not quoted (`1 234,50` read as `1 234` and a stray `50`), so the
/// amounts read would be wrong.
fn split_amounts(file: &Path, delimiter: u8, info: &SourceInfo) -> Option<DataError> {
    let first = info.first_long_row.filter(|_| delimiter == b',')?;
    Some(
        DataError::new(
            file,
            crate::msg!("load.export.split_amounts", rows = info.long_rows),
        )
        .at_line(first),
    )
}

/// Whether two profiles of one export read different lines of it: both filter, differently.
fn split(a: &Profile, b: &Profile) -> bool {
    let same = a.filters.len() == b.filters.len()
        && a.filters
            .iter()
            .zip(&b.filters)
            .all(|(x, y)| x.column == y.column && x.keep == y.keep && x.drop == y.drop);
    !a.filters.is_empty() && !b.filters.is_empty() && !same
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
        filter_values: vec![Default::default(); profile.filters.len()],
        filled: 0,
        income_amounts: 0,
        income_written_negative: 0,
        unterminated: false,
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
        kostra: None,
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
        let super::xlsx::Sheet {
            headers,
            rows,
            merged,
        } = match super::xlsx::read(file, profile.sheet.as_deref()) {
            Ok(sheet) => sheet,
            Err(message) => {
                problems.push(DataError::new(file, message));
                return info;
            }
        };
        if let Some(problem) = header_is_data(file, &headers) {
            problems.push(problem);
            return info;
        }
        let Some(columns) = find_columns(profile, &headers, ledger, problems) else {
            return info;
        };
        if let Some(&(column, line)) = merged.iter().find(|(c, _)| columns.is_amount(*c)) {
            problems.push(
                DataError::new(file, crate::msg!("load.sheet.merged_amount"))
                    .at_line(line)
                    .at_column(column, headers[column].clone()),
            );
            return info;
        }
        let mut carried = Vec::new();
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
                &mut carried,
                ledger,
                &mut info,
                problems,
            );
        }
        return info;
    }

    let bytes = match crate::input::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => crate::msg!("load.file.missing"),
                _ => crate::msg!(
                    "load.file.unreadable",
                    error = crate::messages::io_error(&e)
                ),
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
    info.unterminated = !decoded.text.ends_with(['\n', '\r']);
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
                crate::msg!("load.file.header_unreadable", error = e),
            ));
            return;
        }
    };
    if let Some(problem) = header_is_data(file, &headers) {
        return problems.push(problem);
    }
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
    problems.extend(split_amounts(file, delimiter, info));
    if info.rows == 0 && problems.len() == before {
        problems.push(DataError::new(file, crate::msg!("load.export.only_header")).at_line(1));
    }
}

/// The export's text, in its encoding (the profile's, or detected); a problem when it cannot
/// be decoded or is empty.
fn decode<'a>(profile: &Profile, bytes: &'a [u8]) -> Result<dialect::Decoded<'a>, DataError> {
    let file = &profile.file;
    // A workbook saved under a CSV name: its bytes would be read as text in a strange
    // encoding. `PK` starts a zip (.xlsx, .ods), D0 CF 11 E0 an old .xls.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(DataError::new(
            file,
            crate::msg!("load.encoding.workbook_as_csv"),
        ));
    }
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
        return Err(DataError::new(file, crate::msg!("load.export.empty_file")));
    }
    Ok(decoded)
}

/// The file name a person would recognise, for summaries.
pub(crate) fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
