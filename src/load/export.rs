//! Reading municipal exports (CSV or an XLSX sheet) through their profiles into budget lines.
//!
//! Each source is decoded (see [`super::dialect`]), its profile's columns are found in the
//! header (with a hint when a header is almost the name the profile gives), and every row
//! becomes one budget line per amount column: year, version, exact amount in kroner (income
//! negative) and the row's dimension values, interned. Problems are collected per file, up
//! to [`MAX_PROBLEMS`], each located at file, line and column. A CSV file's records are read
//! by [`super::records`], on several threads when the file is large.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::amount::{self, AmountError, DecimalMark};
use super::dialect::{self, Encoding};
use super::profile::{Field, Layout, Profile, ROLES, Sign};
use crate::error::DataError;

/// How many problems one source may report before the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// Marks a dimension a line does not have.
pub const NONE: u32 = u32::MAX;

/// All budget lines of a report's sources.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Per role (in [`ROLES`] order): its label and its distinct values.
    pub dimensions: Vec<DimensionValues>,
    pub versions: Vec<String>,
    pub lines: Vec<BudgetLine>,
    pub sources: Vec<SourceInfo>,
}

impl Ledger {
    /// An empty ledger with every dimension of [`ROLES`] and no lines.
    pub fn new() -> Ledger {
        Ledger {
            dimensions: ROLES
                .iter()
                .map(|(role, _)| DimensionValues {
                    role,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }
}

/// The values one dimension takes, in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct DimensionValues {
    pub role: &'static str,
    /// What the report calls it; empty when no source has the dimension.
    pub label: String,
    pub values: Vec<DimensionValue>,
    /// "code\u{1f}text" → id; looked up through `scratch` so that a known value costs no
    /// allocation.
    index: FxHashMap<String, u32>,
    scratch: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DimensionValue {
    pub code: String,
    pub text: String,
}

impl DimensionValue {
    /// "02 Barnevern", "Barnevern" or "02".
    pub fn display(&self) -> String {
        match (self.code.is_empty(), self.text.is_empty()) {
            (false, false) => format!("{} {}", self.code, self.text),
            (true, _) => self.text.clone(),
            (false, true) => self.code.clone(),
        }
    }
}

impl DimensionValues {
    /// The id of a value (or of a raw cell pair that cleans to it) already known.
    fn find(&mut self, code: &str, text: &str) -> Option<u32> {
        self.scratch.clear();
        self.scratch.push_str(code);
        self.scratch.push('\u{1f}');
        self.scratch.push_str(text);
        self.index.get(self.scratch.as_str()).copied()
    }

    /// Makes a raw cell pair find the id of the value it cleans to.
    fn alias(&mut self, code: &str, text: &str, id: u32) {
        self.index.insert(format!("{code}\u{1f}{text}"), id);
    }

    pub(super) fn intern(&mut self, code: &str, text: &str) -> u32 {
        self.scratch.clear();
        self.scratch.push_str(code);
        self.scratch.push('\u{1f}');
        self.scratch.push_str(text);
        if let Some(&id) = self.index.get(self.scratch.as_str()) {
            return id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(NONE - 1);
        self.values.push(DimensionValue {
            code: code.to_string(),
            text: text.to_string(),
        });
        self.index.insert(self.scratch.clone(), id);
        id
    }
}

/// One amount for one year and version, from one row of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub source: u16,
    pub line: u32,
    pub year: i32,
    pub version: u16,
    /// Kroner; income negative.
    pub amount: Decimal,
    /// Value id per role in [`ROLES`] order, or [`NONE`].
    pub dims: [u32; ROLES.len()],
}

/// What was read from one source.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub profile: PathBuf,
    pub file: PathBuf,
    /// Data rows in the file (after the header).
    pub rows: usize,
    /// Rows left out by the profile's filters.
    pub filtered: usize,
    /// Amount cells left empty (no line made).
    pub empty_amounts: usize,
    /// Rows with more fields than the header line (the extra, unnamed fields are ignored),
    /// and the first such line.
    pub long_rows: usize,
    pub first_long_row: Option<u64>,
    pub encoding: Option<Encoding>,
    pub bom: bool,
    pub delimiter: Option<u8>,
    pub layout: &'static str,
    /// Operating or investment budget.
    pub part: crate::model::Part,
    /// Per role: where in the code the three-digit KOSTRA code stands (0-based start), for
    /// the dimensions whose chart the profile says is KOSTRA's.
    pub kostra_start: [Option<usize>; ROLES.len()],
}

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
            if let Some(d) = ledger.dimensions.iter_mut().find(|d| d.role == role) {
                if d.label.is_empty() {
                    d.label = dimension
                        .label
                        .clone()
                        .unwrap_or_else(|| default_label(role));
                }
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
/// `present::table::dimension_label`).
fn default_label(role: &str) -> String {
    role.to_string()
}

/// A row of a source, whichever kind of file it came from.
pub(super) enum RowCells<'a> {
    Csv(&'a csv::StringRecord),
    Sheet(&'a [calamine::Data]),
}

impl RowCells<'_> {
    fn text(&self, index: usize) -> Cow<'_, str> {
        match self {
            RowCells::Csv(record) => Cow::Borrowed(record.get(index).unwrap_or_default().trim()),
            RowCells::Sheet(cells) => Cow::Owned(
                cells
                    .get(index)
                    .map(super::xlsx::cell_text)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ),
        }
    }

    /// The cell as the report prints it (see [`super::text::clean`]), or the character that
    /// cannot be printed.
    fn printable(&self, index: usize) -> Result<Cow<'_, str>, super::text::BadChar> {
        match self.text(index) {
            Cow::Borrowed(text) => super::text::clean(text),
            Cow::Owned(text) => super::text::clean(&text).map(|c| Cow::Owned(c.into_owned())),
        }
    }

    fn is_empty(&self, index: usize) -> bool {
        match self {
            RowCells::Csv(record) => record.get(index).is_none_or(|c| c.trim().is_empty()),
            RowCells::Sheet(cells) => cells.get(index).is_none_or(super::xlsx::is_empty),
        }
    }

    fn amount(&self, index: usize, mark: DecimalMark) -> Result<Decimal, AmountError> {
        match self {
            RowCells::Csv(record) => {
                amount::parse_with(record.get(index).unwrap_or_default(), mark)
            }
            RowCells::Sheet(cells) => match cells.get(index) {
                Some(cell) => super::xlsx::cell_amount(cell, mark),
                None => amount::parse_with("", mark),
            },
        }
    }
}

/// The profile's columns, found in the header.
pub(super) struct Columns {
    /// (role index, code column, text column)
    dimensions: Vec<(usize, Option<usize>, Option<usize>)>,
    /// (column, year, version id)
    amounts: Vec<(usize, Option<i32>, Option<u16>)>,
    year: Option<usize>,
    version: Option<usize>,
    sign: Option<(usize, Vec<String>, Vec<String>)>,
    filters: Vec<(usize, Vec<String>, Vec<String>)>,
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
            let mut starts = [None; ROLES.len()];
            for (role, dimension) in &profile.dimensions {
                if let Some(i) = ROLES.iter().position(|(r, _)| r == role) {
                    starts[i] = dimension.kostra_start();
                }
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
                profile,
                source,
                line,
                &RowCells::Sheet(row),
                &columns,
                &headers,
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
    let decoded = match dialect::decode(bytes, profile.encoding) {
        Ok(decoded) => decoded,
        Err(error) => {
            let mut problem = DataError::new(file, error.message);
            problem.line = error.line;
            problem.column = error.column.map(|c| (c as usize, String::new()));
            problems.push(problem);
            return;
        }
    };
    if decoded.text.trim().is_empty() {
        problems.push(DataError::new(
            file,
            "found an empty file, expected a header line and rows of budget lines (was the \
             export saved completely?)",
        ));
        return;
    }
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

/// Finds every column the profile names; reports each one missing, with a hint.
fn find_columns(
    profile: &Profile,
    headers: &[String],
    ledger: &mut Ledger,
    problems: &mut Vec<DataError>,
) -> Option<Columns> {
    let before = problems.len();
    let mut find = |what: &str, name: &str| -> Option<usize> {
        let wanted = name.trim();
        let exact: Vec<usize> = (0..headers.len())
            .filter(|&i| headers[i] == wanted)
            .collect();
        let loose: Vec<usize> = (0..headers.len())
            .filter(|&i| headers[i].to_lowercase() == wanted.to_lowercase())
            .collect();
        match (exact.as_slice(), loose.as_slice()) {
            ([i], _) | ([], [i]) => return Some(*i),
            ([], []) => {}
            _ => {
                problems.push(
                    DataError::new(
                        &profile.file,
                        format!(
                            "the profile's {what} column {wanted:?} matches {} columns of the \
                             header line, expected one; rename the others",
                            if exact.len() > 1 {
                                exact.len()
                            } else {
                                loose.len()
                            }
                        ),
                    )
                    .at_line(1),
                );
                return None;
            }
        }
        // The hint comes before the list of headers, which a long message may cut.
        let mut message =
            format!("the profile's {what} column {wanted:?} is not in the header line");
        if let Some(near) = nearest(wanted, headers) {
            message.push_str(&format!(" (hint: did you mean {near:?}?)"));
        }
        message.push_str(&format!(
            "; the header has {}",
            headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        problems.push(DataError::new(&profile.file, message).at_line(1));
        None
    };

    let mut dimensions = Vec::new();
    for (role, dimension) in &profile.dimensions {
        let role_index = ROLES.iter().position(|(r, _)| r == role).unwrap_or(0);
        let code = dimension
            .code
            .as_deref()
            .and_then(|c| find(&format!("{role} code"), c));
        let text = dimension
            .text
            .as_deref()
            .and_then(|c| find(&format!("{role} text"), c));
        dimensions.push((role_index, code, text));
    }
    let mut amounts = Vec::new();
    let (mut year, mut version) = (None, None);
    let mut no_year_columns = false;
    match &profile.layout {
        Layout::Long {
            amount,
            year: year_field,
            version: version_field,
        } => {
            let column = find("amount", amount);
            let fixed_year = match year_field {
                Field::Column(name) => {
                    year = find("year", name);
                    None
                }
                Field::Fixed(y) => Some(*y),
            };
            let fixed_version = match version_field {
                Field::Column(name) => {
                    version = find("version", name);
                    None
                }
                Field::Fixed(v) => Some(version_id(ledger, v)),
            };
            if let Some(column) = column {
                amounts.push((column, fixed_year, fixed_version));
            }
        }
        Layout::Wide {
            columns,
            auto,
            version_column,
        } => {
            if let Some(name) = version_column {
                version = find("version", name);
            }
            let by_row = version_column.is_some();
            for wide in columns {
                if let Some(column) = find("amount", &wide.column) {
                    let v = (!by_row).then(|| version_id(ledger, &wide.version));
                    amounts.push((column, Some(wide.year), v));
                }
            }
            if *auto {
                for (i, header) in headers.iter().enumerate() {
                    if amounts.iter().any(|(c, _, _)| *c == i) {
                        continue;
                    }
                    if let Some((y, v)) = super::profile::wide_header(header) {
                        let v = (!by_row).then(|| version_id(ledger, &v));
                        amounts.push((i, Some(y), v));
                    }
                }
                no_year_columns = amounts.is_empty();
            }
        }
    }
    let sign = match &profile.sign {
        Sign::IncomeNegative => None,
        Sign::Column {
            column,
            income,
            expense,
        } => find("sign", column).map(|c| (c, income.clone(), expense.clone())),
    };
    let filters = profile
        .filters
        .iter()
        .filter_map(|f| find("filter", &f.column).map(|c| (c, f.keep.clone(), f.drop.clone())))
        .collect();
    if no_year_columns {
        problems.push(
            DataError::new(
                &profile.file,
                "the layout is wide with auto = true, but no header looks like a year column \
                 (2013, budsjett_2013, rekneskap_2011)",
            )
            .at_line(1),
        );
    }
    (problems.len() == before).then_some(Columns {
        dimensions,
        amounts,
        year,
        version,
        sign,
        filters,
    })
}

pub(super) fn version_id(ledger: &mut Ledger, version: &str) -> u16 {
    match ledger.versions.iter().position(|v| v == version) {
        Some(i) => i as u16,
        None => {
            ledger.versions.push(version.to_string());
            (ledger.versions.len() - 1) as u16
        }
    }
}

/// The header closest to `wanted`, if it is close enough to be a likely typo.
fn nearest(wanted: &str, headers: &[String]) -> Option<String> {
    let simplify = |s: &str| -> String {
        s.to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let target = simplify(wanted);
    headers
        .iter()
        .map(|h| (distance(&simplify(h), &target), h))
        .filter(|(d, h)| *d <= 2.max(target.chars().count() / 5) && !h.is_empty())
        .min_by_key(|(d, _)| *d)
        .map(|(_, h)| h.clone())
}

/// Levenshtein distance between two short strings.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[allow(clippy::too_many_arguments)]
pub(super) fn read_row(
    profile: &Profile,
    source: u16,
    line: u64,
    row: &RowCells<'_>,
    columns: &Columns,
    headers: &[String],
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) {
    let at = |column: usize, message: String| {
        DataError::new(&profile.file, message)
            .at_line(line)
            .at_column(column, headers[column].clone())
    };
    // Every text the row contributes, cleaned, or the first character that cannot print.
    let text = |column: usize| {
        row.printable(column)
            .map_err(|bad| at(column, bad.message()))
    };
    for (column, keep, drop) in &columns.filters {
        let value = match text(*column) {
            Ok(value) => value,
            Err(problem) => return problems.push(problem),
        };
        let listed = |list: &[String]| list.iter().any(|v| *v == value);
        if (!keep.is_empty() && !listed(keep)) || listed(drop) {
            info.filtered += 1;
            return;
        }
    }
    let mut factor = Decimal::ONE;
    if let Some((column, income, expense)) = &columns.sign {
        let value = match text(*column) {
            Ok(value) => value,
            Err(problem) => return problems.push(problem),
        };
        if income.iter().any(|v| *v == value) {
            factor = Decimal::NEGATIVE_ONE;
        } else if !expense.iter().any(|v| *v == value) {
            problems.push(at(
                *column,
                format!(
                    "found {value:?}, expected one of {} (income) or {} (expense), as the \
                     profile's sign section says",
                    income.join(", "),
                    expense.join(", ")
                ),
            ));
            return;
        }
    }
    factor *= Decimal::from(profile.unit_factor);
    let year_from_column = match columns.year {
        Some(column) => {
            let text = row.text(column);
            match text.parse::<i32>() {
                Ok(y) if (1900..=2200).contains(&y) => Some(y),
                _ => {
                    problems.push(at(
                        column,
                        format!("found {text:?}, expected a year such as 2016"),
                    ));
                    return;
                }
            }
        }
        None => None,
    };
    let version_from_column = match columns.version.map(text).transpose() {
        Ok(version) => {
            version.map(|v| version_id(ledger, if v.is_empty() { "budsjett" } else { &v }))
        }
        Err(problem) => return problems.push(problem),
    };

    let mut dims = [NONE; ROLES.len()];
    for (role, code_column, text_column) in &columns.dimensions {
        let raw_code = code_column.map(|c| row.text(c)).unwrap_or_default();
        let raw_name = text_column.map(|c| row.text(c)).unwrap_or_default();
        if raw_code.is_empty() && raw_name.is_empty() {
            continue;
        }
        let values = &mut ledger.dimensions[*role];
        // A value seen before was cleaned then; only a new one is looked at character by
        // character.
        if let Some(id) = values.find(&raw_code, &raw_name) {
            dims[*role] = id;
            continue;
        }
        let (code, name) = match (
            code_column.map(text).transpose(),
            text_column.map(text).transpose(),
        ) {
            (Ok(code), Ok(name)) => (code.unwrap_or_default(), name.unwrap_or_default()),
            (Err(problem), _) | (_, Err(problem)) => return problems.push(problem),
        };
        if code.is_empty() && name.is_empty() {
            continue;
        }
        let id = values.intern(&code, &name);
        if (code.as_ref(), name.as_ref()) != (raw_code.as_ref(), raw_name.as_ref()) {
            values.alias(&raw_code, &raw_name, id);
        }
        dims[*role] = id;
    }

    for (column, year, version) in &columns.amounts {
        if row.is_empty(*column) {
            info.empty_amounts += 1;
            continue;
        }
        let value = match row.amount(*column, profile.decimal_mark) {
            Ok(value) => value,
            Err(error) => {
                let mut message = error.to_string();
                if error.ambiguous {
                    message.push_str(" (hint: add decimal_mark = \",\" or \".\" under [source])");
                }
                problems.push(at(*column, message));
                continue;
            }
        };
        let Some(amount) = value.checked_mul(factor) else {
            problems.push(at(
                *column,
                "the amount is too large to convert to kroner".into(),
            ));
            continue;
        };
        let (Some(year), Some(version)) =
            (year.or(year_from_column), version.or(version_from_column))
        else {
            continue;
        };
        ledger.lines.push(BudgetLine {
            source,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            year,
            version,
            amount,
            dims,
        });
    }
}

/// The file name a person would recognise, for summaries.
pub fn short_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
