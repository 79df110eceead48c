//! Guessing a mapping profile from an export (`budsjett profile EXPORT`): reads the export
//! with the importer's own dialect detection and amount parser, looks at every column's
//! values and header, and writes a profile in which every guess carries a comment saying why
//! and how sure it is. The guess is only a first draft: `check` then reads the export through
//! it, exactly as `render` would.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use rust_decimal::Decimal;

use crate::amount::{self, DecimalMark};
use crate::load::dialect;
use crate::load::profile::wide_header;
use crate::model::Role;
use crate::model::ledger::Encoding;
use crate::msg;

/// An export's header and rows as text, with how its bytes were read.
pub struct Table {
    pub(crate) headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// CSV only: the detected encoding, whether it had a byte-order mark, the delimiter.
    pub(crate) dialect: Option<(Encoding, bool, u8)>,
}

/// Reads a CSV export (any dialect the importer reads) or a workbook sheet, whose first row
/// must be the header (the importer reads it there).
pub(crate) fn read_table(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    let table = read_rows(path, sheet)?;
    header_first(&table)?;
    Ok(table)
}

/// Refuses a table whose first row is a title above the real header: the importer reads the
/// header from the first row, so every column name would be wrong.
fn header_first(table: &Table) -> Result<(), String> {
    if let Some((index, cell)) = crate::load::export::data_in_header(&table.headers) {
        let cell = format!("{cell:?}");
        return Err(msg!("guess.data_in_header", column = index + 1, cell));
    }
    let filled = |row: &[String]| row.iter().filter(|c| !c.trim().is_empty()).count();
    let header = filled(&table.headers);
    let widest = table
        .rows
        .iter()
        .take(50)
        .map(|r| filled(r))
        .max()
        .unwrap_or(0);
    if header * 2 < widest {
        let at = table
            .rows
            .iter()
            .position(|r| filled(r) == widest)
            .unwrap_or(0);
        return Err(msg!("guess.title_rows", header, widest, row = at + 2));
    }
    Ok(())
}

fn read_rows(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    if is_workbook(path) {
        let crate::load::xlsx::Sheet {
            headers,
            rows: cells,
            ..
        } = crate::load::xlsx::read(path, sheet)?;
        let rows = cells
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| crate::load::xlsx::cell_text(c).trim().to_string())
                    .collect()
            })
            .collect();
        return Ok(Table {
            headers,
            rows,
            dialect: None,
        });
    }
    if sheet.is_some() {
        return Err(msg!("guess.sheet_not_workbook"));
    }
    let bytes = crate::input::read(path)
        .map_err(|e| msg!("guess.unreadable", error = crate::messages::io_error(&e)))?;
    let decoded = dialect::decode(&bytes, None).map_err(|e| match (e.line, e.column) {
        // not a message: a location, line:column, before the message
        (Some(line), Some(column)) => format!("{line}:{column}: {}", e.message),
        _ => e.message,
    })?;
    let delimiter = dialect::detect_delimiter(&decoded.text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| msg!("guess.header_unreadable", error = e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| msg!("guess.row_unreadable", error = e))?;
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    if headers.iter().all(String::is_empty) || rows.is_empty() {
        return Err(msg!("guess.no_rows"));
    }
    Ok(Table {
        headers,
        rows,
        dialect: Some((decoded.encoding, decoded.bom, delimiter)),
    })
}

fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "xlsx" | "xlsm" | "xls" | "ods"
        )
    })
}

/// What the values of one column look like.
#[derive(Default)]
struct Column {
    header: String,
    filled: usize,
    amounts: usize,
    negatives: usize,
    /// Cells written with digit groups or decimals (`3 484 248`, `810 000,00`).
    formatted: usize,
    ambiguous: usize,
    comma_decimals: usize,
    point_decimals: usize,
    /// Cells like `01A`, `24410`, `BUD343`: short, no spaces, with a digit.
    codes: usize,
    /// Cells shaped like a code but without a digit (`EMOD` among project numbers).
    code_shaped: usize,
    /// Cells with letters that are not codes.
    texts: usize,
    distinct: HashSet<String>,
}

impl Column {
    fn all(&self, count: usize) -> bool {
        self.filled > 0 && count == self.filled
    }
    /// Every cell shaped like a code, nearly all with a digit, and none a negative number:
    /// a second amount column (`-2700`) is never a dimension's codes.
    fn is_code(&self) -> bool {
        self.all(self.codes + self.code_shaped)
            && self.codes * 10 >= self.filled * 9
            && self.negatives == 0
    }
    fn is_text(&self) -> bool {
        self.filled > 0
            && (self.texts + self.code_shaped) * 10 >= self.filled * 9
            && !self.is_code()
    }
}

fn is_code_shaped(cell: &str) -> bool {
    cell.chars().count() <= 15
        && cell
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '/'))
}

fn describe(table: &Table) -> Vec<Column> {
    let mut columns: Vec<Column> = table
        .headers
        .iter()
        .map(|h| Column {
            header: h.clone(),
            ..Column::default()
        })
        .collect();
    for row in &table.rows {
        for (column, cell) in columns.iter_mut().zip(row) {
            if cell.is_empty() {
                continue;
            }
            column.filled += 1;
            if column.distinct.len() < 10_000 {
                column.distinct.insert(cell.clone());
            }
            match amount::parse(cell) {
                Ok(value) => {
                    column.amounts += 1;
                    if value.is_sign_negative() && !value.is_zero() {
                        column.negatives += 1;
                    }
                    if cell.contains([' ', '\u{a0}', '.', ',']) {
                        column.formatted += 1;
                    }
                    let tail = |mark: char| {
                        cell.rsplit_once(mark)
                            .is_some_and(|(_, t)| (1..=2).contains(&t.len()))
                    };
                    if tail(',') {
                        column.comma_decimals += 1;
                    }
                    if tail('.') {
                        column.point_decimals += 1;
                    }
                }
                Err(e) if e.ambiguous => column.ambiguous += 1,
                Err(_) => {}
            }
            if is_code_shaped(cell) && cell.chars().any(|c| c.is_ascii_digit()) {
                column.codes += 1;
            } else if is_code_shaped(cell) && !cell.chars().any(char::is_lowercase) {
                column.code_shaped += 1;
            } else if cell.chars().any(char::is_alphabetic) {
                column.texts += 1;
            }
        }
    }
    columns
}

/// A header's words, lower case, with æ, ø, å written ae, o, aa.
fn words(header: &str) -> Vec<String> {
    let lower = header
        .to_lowercase()
        .replace('æ', "ae")
        .replace('ø', "o")
        .replace('å', "aa");
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The dimension a header word names, in bokmål or nynorsk.
fn role_of_word(word: &str) -> Option<Role> {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| word.starts_with(p));
    let is = |names: &[&str]| names.contains(&word);
    if starts(&[
        "tjenesteomr",
        "tenesteomr",
        "virksomhetsomr",
        "verksemdsomr",
        "rammeomr",
        "bevilgningsomr",
        "sektor",
    ]) || is(&["tjomr", "omraade", "omr"])
    {
        Some(Role::Area)
    } else if is(&[
        "tjeneste",
        "teneste",
        "tjenester",
        "tenester",
        "funksjon",
        "tjenestenr",
        "tenestenr",
        "funk",
    ]) {
        Some(Role::Service)
    } else if is(&["art", "kontoart", "artsgruppe", "arter", "artnr"]) {
        Some(Role::Art)
    } else if is(&["ansvar", "ansvarssted", "ansvarsnr", "ansvarsstad"]) {
        Some(Role::Responsibility)
    } else if is(&["prosjekt", "prosjektnr", "prosj"]) {
        Some(Role::Project)
    } else if starts(&["endringsgr", "endrgr", "endringsgruppe"]) {
        Some(Role::ChangeGroup)
    } else if is(&["avdeling", "avd", "avdelingsnr"]) {
        Some(Role::Department)
    } else if is(&["program"]) {
        Some(Role::Programme)
    } else {
        None
    }
}

fn role_of(headers: &[&str]) -> Option<Role> {
    headers
        .iter()
        .flat_map(|h| words(h))
        .find_map(|w| role_of_word(&w))
}

fn is_amount_word(header: &str) -> bool {
    words(header).iter().any(|w| {
        matches!(
            w.as_str(),
            "beloep"
                | "belop"
                | "belaup"
                | "amount"
                | "sum"
                | "kroner"
                | "kr"
                | "verdi"
                | "budsjett"
                | "regnskap"
                | "rekneskap"
                | "budsjettbelop"
                | "regnskapsbelop"
        )
    })
}

fn is_year_word(header: &str) -> bool {
    words(header).iter().any(|w| {
        matches!(
            w.as_str(),
            "aar"
                | "ar"
                | "year"
                | "budsjettaar"
                | "regnskapsaar"
                | "rekneskapsaar"
                | "aarstall"
                | "periode"
        )
    })
}

fn is_version_word(header: &str) -> bool {
    words(header)
        .iter()
        .any(|w| w.starts_with("versjon") || w.starts_with("version") || w == "budsjettversjon")
}

fn year_value(cell: &str) -> Option<i32> {
    let year: i32 = cell.trim().parse().ok()?;
    (cell.trim().len() == 4 && (1900..=2200).contains(&year)).then_some(year)
}

/// A row's amounts with their (year, version).
type RowAmounts<'a> = dyn Fn(&[String]) -> Vec<((i32, String), Decimal)> + 'a;

/// One guessed dimension.
struct Dim {
    role: Role,
    label: String,
    code: Option<usize>,
    text: Option<usize>,
    why: String,
    chart: Option<String>,
}

/// How a row's year and version are found, and where its amounts are.
enum Shape {
    Long {
        amount: usize,
        year: Result<usize, i32>,
        version: Result<usize, String>,
    },
    Wide {
        columns: Vec<(usize, i32, String)>,
        version: Option<usize>,
    },
}

/// What goes under `[sign]`.
enum SignGuess {
    IncomeNegative,
    Column { column: usize, income: Vec<String> },
}

/// Options of `budsjett profile`.
pub struct Request<'a> {
    pub export: &'a Path,
    pub sheet: Option<&'a str>,
    /// Where the profile will be written (the export's path is made relative to its folder).
    pub output: &'a Path,
    /// The year of a long export without a year column, when neither header nor file name
    /// says it.
    pub year: Option<i32>,
}

/// A guessed profile and what a report configuration needs from it.
pub(crate) struct Guessed {
    /// The profile's TOML text, every guess commented.
    pub text: String,
    /// The dimensions found, in the order of [`Role::ALL`].
    pub(crate) roles: Vec<Role>,
    /// Per year and version: the sum of the positive and of the negative amounts read.
    pub totals: BTreeMap<(i32, String), (Decimal, Decimal)>,
    /// The profile's `part`: "drift" or "investering".
    pub part: &'static str,
}

/// Guesses a profile for the export and returns its TOML text, every guess commented.
pub fn guess(request: &Request) -> Result<String, String> {
    guess_profile(request).map(|g| g.text)
}

/// Guesses a profile for the export, with what was found.
pub(crate) fn guess_profile(request: &Request) -> Result<Guessed, String> {
    let table = read_table(request.export, request.sheet)?;
    let columns = describe(&table);
    let name = request
        .export
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut draft = Draft {
        request,
        table: &table,
        columns: &columns,
        name,
        used: HashSet::new(),
        out: String::new(),
    };
    draft.write_heading();
    let mark = decimal_mark(&columns);
    let investering = draft.write_source(mark.as_ref());
    let version_column = draft.version_column();
    if let Some(v) = version_column {
        draft.used.insert(v);
    }
    let wide = wide_columns(&columns);
    draft.out.push_str("\n[layout]\n");
    let shape = if !wide.is_empty() {
        draft.write_wide(wide, version_column)
    } else {
        draft.write_long(version_column)?
    };
    let mark = mark.as_ref().map_or(DecimalMark::Auto, |m| m.0);
    // Per row: (year, version) → amount, for the sign and the chart evidence.
    let row_amounts = |row: &[String]| shape.amounts(row, mark);
    let totals = totals(&table, &row_amounts);
    let sign = draft.write_sign(&totals);
    let signed = |row: &[String], value: Decimal| sign.signed(row, value);
    let (mut dims, unused) = draft.dimensions();
    // The chart of art and service codes: KOSTRA only on strong evidence.
    let mut art_kostra = false;
    if let Some(art) = dims.iter_mut().find(|d| d.role == Role::Art)
        && let Some(code) = art.code
    {
        art_kostra = art_chart(&table, &columns[code], code, art, &row_amounts, &signed);
    }
    if let Some(service) = dims.iter_mut().find(|d| d.role == Role::Service)
        && let Some(code) = service.code
    {
        service_chart(&columns[code], service, art_kostra);
    }
    dims.sort_by_key(|d| d.role);
    draft.write_dimensions(&dims, &unused);
    Ok(Guessed {
        text: draft.out,
        roles: dims.iter().map(|d| d.role).collect(),
        totals,
        part: if investering { "investering" } else { "drift" },
    })
}

/// What the steps of a guess share: the export read as text, its columns described, the
/// columns already given a role, and the profile written so far.
struct Draft<'a> {
    request: &'a Request<'a>,
    table: &'a Table,
    columns: &'a [Column],
    /// The export's file name.
    name: String,
    /// Columns already read as amount, year, version or sign: not dimensions.
    used: HashSet<usize>,
    /// The profile's TOML text so far.
    out: String,
}

/// The decimal mark the cells show, with why; none when no cell shows one.
fn decimal_mark(columns: &[Column]) -> Option<(DecimalMark, String)> {
    let ambiguous: usize = columns.iter().map(|c| c.ambiguous).sum();
    let commas: usize = columns.iter().map(|c| c.comma_decimals).sum();
    let points: usize = columns.iter().map(|c| c.point_decimals).sum();
    if commas > 0 && points == 0 {
        Some((DecimalMark::Comma, msg!("guess.decimal_comma", n = commas)))
    } else if points > 0 && commas == 0 {
        Some((DecimalMark::Point, msg!("guess.decimal_point", n = points)))
    } else if ambiguous > 0 {
        Some((
            DecimalMark::Comma,
            msg!("guess.decimal_assumed", n = ambiguous),
        ))
    } else {
        None
    }
}

/// The columns whose header names a year and whose cells are amounts (a wide layout), with
/// the year and version the header names.
fn wide_columns(columns: &[Column]) -> Vec<(usize, i32, String)> {
    let wide: Vec<(usize, i32, String)> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.filled == 0 || c.amounts + c.ambiguous == c.filled)
        .filter_map(|(i, c)| wide_header(&c.header).map(|(y, v)| (i, y, v)))
        .collect();
    // Two columns of one year and version (`Oppr. budsjett 2023`, `Rev. budsjett 2023`) would
    // be added together: such columns keep their header's words as the version.
    wide.iter()
        .map(|(i, year, version)| {
            let twins = wide
                .iter()
                .filter(|(_, y, v)| y == year && v == version)
                .count();
            if twins > 1 {
                let words: Vec<&str> = columns[*i]
                    .header
                    .split([' ', '_', '-'])
                    .filter(|w| !w.is_empty() && *w != year.to_string())
                    .collect();
                (*i, *year, words.join(" ").to_lowercase())
            } else {
                (*i, *year, version.clone())
            }
        })
        .collect()
}

/// Per year and version: the sum of the positive and of the negative amounts read.
fn totals(table: &Table, row_amounts: &RowAmounts) -> BTreeMap<(i32, String), (Decimal, Decimal)> {
    let mut totals: BTreeMap<(i32, String), (Decimal, Decimal)> = BTreeMap::new();
    for row in &table.rows {
        for (key, value) in row_amounts(row) {
            let entry = totals.entry(key).or_default();
            if value > Decimal::ZERO {
                entry.0 = entry.0.saturating_add(value);
            } else {
                entry.1 = entry.1.saturating_add(value);
            }
        }
    }
    totals
}

impl Shape {
    /// A row's amounts with their (year, version), cells read with the decimal mark.
    fn amounts(&self, row: &[String], mark: DecimalMark) -> Vec<((i32, String), Decimal)> {
        let parse = |cell: &str| amount::parse_with(cell, mark).ok();
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        match self {
            Shape::Long {
                amount,
                year,
                version,
            } => {
                let Some(value) = parse(cell(*amount)) else {
                    return Vec::new();
                };
                let year = match year {
                    Ok(y) => year_value(cell(*y)).unwrap_or(0),
                    Err(y) => *y,
                };
                let version = match version {
                    Ok(v) => cell(*v).to_string(),
                    Err(v) => v.clone(),
                };
                vec![((year, version), value)]
            }
            Shape::Wide { columns, version } => columns
                .iter()
                .filter_map(|(i, year, v)| {
                    let version = version.map_or(v.clone(), |c| cell(c).to_string());
                    parse(cell(*i)).map(|value| ((*year, version), value))
                })
                .collect(),
        }
    }
}

impl SignGuess {
    /// The amount with the sign the profile will give it.
    fn signed(&self, row: &[String], value: Decimal) -> Decimal {
        match self {
            SignGuess::IncomeNegative => value,
            SignGuess::Column { column, income, .. } => {
                if row.get(*column).is_some_and(|v| income.contains(v)) {
                    -value
                } else {
                    value
                }
            }
        }
    }
}

impl Draft<'_> {
    /// The comment at the top: where the profile comes from and what to do with it.
    fn write_heading(&mut self) {
        let heading = msg!(
            "guess.heading",
            file = self.name,
            rows = self.table.rows.len(),
            columns = self.table.headers.len()
        );
        for line in heading.lines() {
            let _ = writeln!(self.out, "# {line}");
        }
        self.out.push('\n');
    }

    /// The `[source]` section: file, sheet, dialect, decimal mark, unit and part. Returns
    /// whether the part is investering.
    fn write_source(&mut self, mark: Option<&(DecimalMark, String)>) -> bool {
        let (request, table, out) = (self.request, self.table, &mut self.out);
        out.push_str("[source]\n");
        let file = relative_to(
            request.export,
            request.output.parent().unwrap_or(Path::new(".")),
        );
        let _ = writeln!(out, "file = {}", quote(&file.to_string_lossy()));
        if let Some(sheet) = request.sheet {
            let _ = writeln!(out, "sheet = {}", quote(sheet));
        }
        if let Some((encoding, bom, delimiter)) = table.dialect {
            let delimiter = dialect::delimiter_name(delimiter);
            let detected = if bom {
                msg!("guess.dialect_with_bom", encoding, delimiter)
            } else {
                msg!("guess.dialect", encoding, delimiter)
            };
            let _ = writeln!(out, "# {detected}");
        }
        if let Some((mark, why)) = mark {
            let _ = writeln!(
                out,
                "decimal_mark = {}   # {why}",
                quote(if *mark == DecimalMark::Comma {
                    ","
                } else {
                    "."
                })
            );
        }
        let thousands = table.headers.iter().find(|h| {
            let lower = h.to_lowercase();
            lower.contains("1000") || lower.contains("1 000") || lower.contains("tusen")
        });
        match thousands {
            Some(header) => {
                let header = format!("{header:?}");
                let why = msg!("guess.unit_thousands", header);
                let _ = writeln!(out, "unit = \"1000 kr\"   # {why}");
            }
            None => {
                let why = msg!("guess.unit_assumed");
                let _ = writeln!(out, "unit = \"kr\"   # {why}");
            }
        }
        let investering = words(&self.name).iter().any(|w| w.starts_with("invest"))
            || table
                .headers
                .iter()
                .any(|h| words(h).iter().any(|w| w.starts_with("invest")));
        if investering {
            let why = msg!("guess.part_investering");
            let _ = writeln!(out, "part = \"investering\"   # {why}");
        } else {
            let why = msg!("guess.part_drift");
            let _ = writeln!(out, "part = \"drift\"   # {why}");
        }
        investering
    }

    /// A version column: named so, or one whose few values all name versions (`Budsjett`,
    /// `Regnskap`, `Revidert budsjett`): reading it as one version would add them together.
    fn version_column(&self) -> Option<usize> {
        let names_versions = |c: &Column| {
            c.filled == self.table.rows.len()
                && (2..=8).contains(&c.distinct.len())
                && c.distinct.iter().all(|v| {
                    let lower = v.to_lowercase();
                    [
                        "budsjett",
                        "regnskap",
                        "rekneskap",
                        "økonomiplan",
                        "okonomiplan",
                        "forslag",
                        "vedtatt",
                        "revidert",
                    ]
                    .iter()
                    .any(|w| lower.contains(w))
                })
        };
        self.columns
            .iter()
            .position(|c| is_version_word(&c.header) && c.filled > 0)
            .or_else(|| self.columns.iter().position(names_versions))
    }

    /// The `[layout]` keys of a wide export: one column per year (and version).
    fn write_wide(
        &mut self,
        wide: Vec<(usize, i32, String)>,
        version_column: Option<usize>,
    ) -> Shape {
        let (columns, out) = (self.columns, &mut self.out);
        let why = msg!("guess.wide", count = wide.len());
        let _ = writeln!(out, "kind = \"wide\"   # {why}");
        if let Some(v) = version_column {
            let why = msg!(
                "guess.version_column_wide",
                count = columns[v].distinct.len(),
                values = sample(&columns[v].distinct)
            );
            let _ = writeln!(
                out,
                // not a message: the profile's TOML, its comment worded above
                "version_column = {}   # {why}",
                quote(&columns[v].header)
            );
        }
        out.push_str("columns = [\n");
        for (i, year, version) in &wide {
            self.used.insert(*i);
            if version_column.is_some() {
                let why = msg!("guess.version_from_column");
                let _ = writeln!(
                    out,
                    // not a message: the profile's TOML, its comment worded above
                    "  {{ column = {}, year = {year} }},   # {why}",
                    quote(&columns[*i].header)
                );
            } else {
                let _ = writeln!(
                    out,
                    // not a message: the profile's TOML, its comment worded above
                    "  {{ column = {}, year = {year}, version = {} }},",
                    quote(&columns[*i].header),
                    quote(version)
                );
            }
        }
        out.push_str("]\n");
        Shape::Wide {
            columns: wide,
            version: version_column,
        }
    }

    /// The `[layout]` keys of a long export: the amount column, the year and the version.
    fn write_long(&mut self, version_column: Option<usize>) -> Result<Shape, String> {
        let why = msg!("guess.long");
        let _ = writeln!(self.out, "kind = \"long\"   # {why}");
        let year_column = self.columns.iter().position(|c| {
            c.filled > 0
                && is_year_word(&c.header)
                && c.distinct.iter().all(|v| year_value(v).is_some())
        });
        let amount = self.write_amount(year_column, version_column)?;
        let year = self.write_year(year_column)?;
        let version = self.write_version(version_column, amount);
        Ok(Shape::Long {
            amount,
            year,
            version,
        })
    }

    /// The amount column of a long export: every cell an amount; a header word, negative or
    /// formatted cells make it likelier; codes beside a text column are not amounts.
    fn write_amount(
        &mut self,
        year_column: Option<usize>,
        version_column: Option<usize>,
    ) -> Result<usize, String> {
        let columns = self.columns;
        let mut candidates: Vec<(i32, usize, String)> = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.filled > 0
                    && c.amounts + c.ambiguous == c.filled
                    && Some(*i) != year_column
                    && Some(*i) != version_column
            })
            .map(|(i, c)| {
                let mut score = 0;
                let mut why = Vec::new();
                if is_amount_word(&c.header) {
                    score += 3;
                    why.push(msg!("guess.amount_header"));
                }
                if c.negatives > 0 {
                    score += 2;
                    why.push(msg!("guess.amount_negative", n = c.negatives));
                }
                if c.formatted > 0 {
                    score += 1;
                    why.push(msg!("guess.amount_formatted", n = c.formatted));
                }
                if columns.get(i + 1).is_some_and(Column::is_text) {
                    score -= 2;
                    why.push(msg!("guess.amount_before_text"));
                }
                (score, i, why.join(", "))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let Some((score, amount, why)) = candidates.first().cloned() else {
            return Err(msg!("guess.no_amount_column"));
        };
        if score <= 0 {
            let header = format!("{:?}", columns[amount].header);
            return Err(msg!("guess.no_clear_amount", header));
        }
        let tie = candidates.get(1).is_some_and(|c| c.0 == score);
        self.used.insert(amount);
        let why = if tie {
            msg!("guess.amount_tie", why)
        } else if score >= 3 {
            msg!("guess.amount_sure", why)
        } else {
            msg!("guess.amount_likely", why)
        };
        let _ = writeln!(
            self.out,
            "amount = {}   # {why}",
            quote(&columns[amount].header)
        );
        Ok(amount)
    }

    /// The year of a long export: its year column, else `--year`, else the file name's year.
    fn write_year(&mut self, year_column: Option<usize>) -> Result<Result<usize, i32>, String> {
        let request = self.request;
        match year_column {
            Some(y) => {
                self.used.insert(y);
                let why = msg!(
                    "guess.year_column",
                    values = sample(&self.columns[y].distinct)
                );
                let _ = writeln!(
                    self.out,
                    "year = {}   # {why}",
                    quote(&self.columns[y].header)
                );
                Ok(Ok(y))
            }
            None => {
                let from_name = words(&self.name).iter().find_map(|w| year_value(w));
                match request.year.or(from_name) {
                    Some(year) => {
                        let why = if request.year.is_some() {
                            msg!("guess.year_given")
                        } else {
                            msg!("guess.year_from_name")
                        };
                        let _ = writeln!(self.out, "year = {year}   # {why}");
                        Ok(Err(year))
                    }
                    None => Err(msg!("guess.no_year")),
                }
            }
        }
    }

    /// The version of a long export: its version column, else regnskap when the file name or
    /// the amount's header says so, else budsjett.
    fn write_version(
        &mut self,
        version_column: Option<usize>,
        amount: usize,
    ) -> Result<usize, String> {
        let columns = self.columns;
        match version_column {
            Some(v) => {
                let why = msg!(
                    "guess.version_column_long",
                    values = sample(&columns[v].distinct)
                );
                let _ = writeln!(
                    self.out,
                    // not a message: the profile's TOML, its comment worded above
                    "version_column = {}   # {why}",
                    quote(&columns[v].header)
                );
                Ok(v)
            }
            None => {
                let lower = format!("{} {}", self.name, columns[amount].header).to_lowercase();
                // The export's own word for the accounts (nynorsk rekneskap stays rekneskap).
                let version = if lower.contains("rekneskap") {
                    "rekneskap"
                } else if lower.contains("regnskap") {
                    "regnskap"
                } else {
                    "budsjett"
                };
                let why = if version != "budsjett" {
                    msg!("guess.version_accounts")
                } else {
                    msg!("guess.version_budget")
                };
                let _ = writeln!(self.out, "version = {}   # {why}", quote(version));
                Err(version.to_string())
            }
        }
    }

    /// A column not yet used whose two to six values each say income (`inntekt`) or expense
    /// (`utgift`), with its income and expense values sorted.
    fn sign_column(&self) -> Option<(usize, Vec<String>, Vec<String>)> {
        self.columns.iter().enumerate().find_map(|(i, c)| {
            if self.used.contains(&i) || c.distinct.len() < 2 || c.distinct.len() > 6 {
                return None;
            }
            let mut income = Vec::new();
            let mut expense = Vec::new();
            for value in &c.distinct {
                let lower = value.to_lowercase();
                if lower.contains("inntekt") {
                    income.push(value.clone());
                } else if lower.contains("utgift") {
                    expense.push(value.clone());
                } else {
                    return None;
                }
            }
            income.sort();
            expense.sort();
            (!income.is_empty() && !expense.is_empty()).then_some((i, income, expense))
        })
    }

    /// The `[sign]` section: income negative when each year and version balances, else a
    /// column saying income or expense when no amount is negative.
    fn write_sign(&mut self, totals: &BTreeMap<(i32, String), (Decimal, Decimal)>) -> SignGuess {
        let columns = self.columns;
        let cancel = |(pos, neg): &(Decimal, Decimal)| {
            let larger = (*pos).max(-*neg);
            larger.is_zero() || (*pos + *neg).abs() / larger <= Decimal::new(1, 2)
        };
        let nonzero = totals
            .values()
            .filter(|t| !t.0.is_zero() || !t.1.is_zero())
            .count();
        let cancelling = totals
            .values()
            .filter(|t| (!t.0.is_zero() || !t.1.is_zero()) && cancel(t))
            .count();
        let sign_column = self.sign_column();
        let any_negative = totals.values().any(|t| t.1 < Decimal::ZERO);
        if nonzero > 0 && cancelling == nonzero {
            let why = match &sign_column {
                Some((i, ..)) => {
                    let column = format!("{:?}", columns[*i].header);
                    msg!("guess.sign_balanced_column", n = nonzero, column)
                }
                None => msg!("guess.sign_balanced", n = nonzero),
            };
            let _ = writeln!(
                self.out,
                "\n[sign]\nconvention = \"income_negative\"   # {why}"
            );
            SignGuess::IncomeNegative
        } else if let (Some((column, income, expense)), false) = (&sign_column, any_negative) {
            self.used.insert(*column);
            let why = msg!("guess.sign_column");
            let _ = writeln!(
                self.out,
                // not a message: the profile's TOML, its comment worded above
                "\n[sign]\nconvention = \"column\"   # {why}\ncolumn = {}\nincome = [{}]\nexpense = [{}]",
                quote(&columns[*column].header),
                income
                    .iter()
                    .map(|v| quote(v))
                    .collect::<Vec<_>>()
                    .join(", "),
                expense
                    .iter()
                    .map(|v| quote(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            SignGuess::Column {
                column: *column,
                income: income.clone(),
            }
        } else {
            let why = if any_negative {
                msg!("guess.sign_unsure", balanced = cancelling, years = nonzero)
            } else {
                msg!(
                    "guess.sign_unsure_positive",
                    balanced = cancelling,
                    years = nonzero
                )
            };
            let _ = writeln!(
                self.out,
                "\n[sign]\nconvention = \"income_negative\"   # {why}"
            );
            SignGuess::IncomeNegative
        }
    }

    /// The code and text columns of the dimension starting at column `i`: a code beside its
    /// names, a name before its code when the headers say so, or a lone code or text column;
    /// none when the column is neither.
    fn code_and_text(&self, i: usize) -> Option<(Option<usize>, Option<usize>)> {
        let columns = self.columns;
        let pair = columns[i].is_code()
            && !self.used.contains(&(i + 1))
            && columns.get(i + 1).is_some_and(Column::is_text);
        // A name before its code (`Ansvarsnavn;Ansvar`) only when the headers say so.
        let reversed = !pair
            && columns[i].is_text()
            && !self.used.contains(&(i + 1))
            && columns.get(i + 1).is_some_and(|c| {
                c.is_code()
                    && words(&c.header).first().is_some_and(|code_word| {
                        code_word.len() >= 3
                            && words(&columns[i].header)
                                .first()
                                .and_then(|w| w.strip_prefix(code_word.as_str()))
                                .is_some_and(|rest| {
                                    matches!(
                                        rest,
                                        "navn" | "snavn" | "namn" | "snamn" | "tekst" | "stekst"
                                    )
                                })
                    })
            });
        if pair {
            Some((Some(i), Some(i + 1)))
        } else if reversed {
            Some((Some(i + 1), Some(i)))
        } else if columns[i].is_code() {
            Some((Some(i), None))
        } else if columns[i].is_text() {
            Some((None, Some(i)))
        } else {
            None
        }
    }

    /// Dimensions: code/text pairs by their values, then single columns; and the columns
    /// left unused, as the profile's closing comment lists them.
    fn dimensions(&self) -> (Vec<Dim>, Vec<String>) {
        let columns = self.columns;
        let mut dims: Vec<Dim> = Vec::new();
        let mut unused: Vec<String> = Vec::new();
        let mut i = 0;
        while i < columns.len() {
            if self.used.contains(&i) || columns[i].filled == 0 {
                if columns[i].filled == 0 && !self.used.contains(&i) {
                    let column = format!("{:?}", columns[i].header);
                    unused.push(msg!("guess.unused_empty", column));
                }
                i += 1;
                continue;
            }
            let Some((code, text)) = self.code_and_text(i) else {
                unused.push(format!("{:?}", columns[i].header));
                i += 1;
                continue;
            };
            let pair = code.is_some() && text.is_some();
            i += if pair { 2 } else { 1 };
            let headers: Vec<&str> = [code, text]
                .iter()
                .flatten()
                .map(|c| columns[*c].header.as_str())
                .collect();
            let together = if pair {
                let fd = functional(self.table, code.unwrap_or(0), text.unwrap_or(0));
                msg!(
                    "guess.codes_and_names",
                    codes = columns[code.unwrap_or(0)].distinct.len(),
                    share = fd
                )
            } else if code.is_some() {
                msg!("guess.codes_only")
            } else {
                msg!("guess.names_only")
            };
            let role = role_of(&headers)
                .map(|r| (r, msg!("guess.role_by_header")))
                .or_else(|| code.and_then(|c| role_by_shape(&columns[c])));
            let label = label_of(&headers);
            match role {
                Some((role, how)) if !dims.iter().any(|d| d.role == role) => dims.push(Dim {
                    role,
                    label,
                    code,
                    text,
                    why: format!("{how}; {together}"),
                    chart: None,
                }),
                Some((role, _)) => {
                    let columns = headers
                        .iter()
                        .map(|h| format!("{h:?}"))
                        .collect::<Vec<_>>()
                        .join(" + ");
                    unused.push(msg!("guess.unused_another", columns, role));
                }
                None => unused.push(
                    headers
                        .iter()
                        .map(|h| format!("{h:?}"))
                        .collect::<Vec<_>>()
                        .join(" + "),
                ),
            }
        }
        (dims, unused)
    }

    /// The `[dimensions]` section, each with why, and the columns not used.
    fn write_dimensions(&mut self, dims: &[Dim], unused: &[String]) {
        let (columns, out) = (self.columns, &mut self.out);
        out.push_str("\n[dimensions]\n");
        for dim in dims {
            let mut keys = vec![format!("label = {}", quote(&dim.label))];
            if let Some(c) = dim.code {
                keys.push(format!("code = {}", quote(&columns[c].header)));
            }
            if let Some(t) = dim.text {
                keys.push(format!("text = {}", quote(&columns[t].header)));
            }
            if let Some(chart) = &dim.chart {
                keys.push(chart.clone());
            }
            let _ = writeln!(out, "# {}: {}", dim.role, dim.why);
            let _ = writeln!(out, "{} = {{ {} }}", dim.role, keys.join(", "));
        }
        if !unused.is_empty() {
            let _ = writeln!(out, "# {}\n#   {}", msg!("guess.unused"), unused.join(", "));
        }
    }
}

/// A dimension no header word names, by its codes' shape: three digits a KOSTRA funksjon,
/// five an art with a KOSTRA art inside.
fn role_by_shape(code: &Column) -> Option<(Role, String)> {
    let lengths: HashSet<usize> = code.distinct.iter().map(|v| v.len()).collect();
    let digits = code
        .distinct
        .iter()
        .all(|v| v.chars().all(|ch| ch.is_ascii_digit()));
    if digits && lengths == HashSet::from([3]) {
        Some((Role::Service, msg!("guess.service_by_shape")))
    } else if digits && lengths == HashSet::from([5]) {
        Some((Role::Art, msg!("guess.art_by_shape")))
    } else {
        None
    }
}

/// The art's chart: KOSTRA (at the characters where the money's signs follow it best), art
/// groups, or none; says why on the art. Returns whether it is KOSTRA.
fn art_chart(
    table: &Table,
    column: &Column,
    code: usize,
    art: &mut Dim,
    row_amounts: &RowAmounts,
    signed: &dyn Fn(&[String], Decimal) -> Decimal,
) -> bool {
    let lengths: HashSet<usize> = column.distinct.iter().map(|v| v.len()).collect();
    let digits = column
        .distinct
        .iter()
        .all(|v| v.chars().all(|ch| ch.is_ascii_digit()));
    let windows: &[usize] = if !digits {
        &[]
    } else if lengths == HashSet::from([3]) {
        &[0]
    } else if lengths.iter().all(|l| *l >= 4) {
        &[1, 0]
    } else {
        &[]
    };
    // Strong evidence: the money's signs follow KOSTRA's chart (arts 010–590
    // expenses, 600–990 income) for at least 90 % of the money, with both expenses
    // and income arts carrying at least 5 % of it; the best window wins.
    let mut verdict = None;
    for &start in windows {
        let (agree, total, income) = kostra_agreement(table, code, start, row_amounts, signed);
        let strong = !total.is_zero()
            && agree / total >= Decimal::new(90, 2)
            && income / total >= Decimal::new(5, 2)
            && (total - income) / total >= Decimal::new(5, 2);
        if strong && verdict.is_none_or(|(_, best, _)| agree > best) {
            verdict = Some((start, agree, total));
        }
    }
    match verdict {
        Some((start, agree, total)) => {
            let share = (agree / total * Decimal::from(100)).round_dp(1);
            art.chart = Some(format!(
                "chart = \"kostra\", kostra = [{}, {}]",
                start + 1,
                start + 3
            ));
            art.why.push_str("; ");
            art.why.push_str(&msg!(
                "guess.art_kostra",
                first = start + 1,
                last = start + 3,
                share
            ));
            true
        }
        None if digits && lengths.iter().all(|l| *l == 3) => {
            art.chart = Some("chart = \"artsgruppe\"".into());
            art.why.push_str("; ");
            art.why.push_str(&msg!("guess.art_groups"));
            false
        }
        None => {
            art.why.push_str("; ");
            art.why.push_str(&msg!("guess.art_no_chart"));
            false
        }
    }
}

/// The service's chart: KOSTRA when every code starts with a funksjon 100–899 and the art is
/// KOSTRA's; a hint when only the first holds.
fn service_chart(column: &Column, service: &mut Dim, art_kostra: bool) {
    let funksjon = column.distinct.iter().all(|v| {
        v.len() >= 3
            && v.chars().all(|ch| ch.is_ascii_digit())
            && v[..3]
                .parse::<u32>()
                .is_ok_and(|f| (100..=899).contains(&f))
    });
    if funksjon && art_kostra {
        service.chart = Some("chart = \"kostra\"".into());
        service.why.push_str("; ");
        service.why.push_str(&msg!("guess.service_kostra"));
    } else if funksjon {
        service.why.push_str("; ");
        service.why.push_str(&msg!("guess.service_maybe_kostra"));
    }
}

/// In how many percent of its codes a code column has exactly one text.
fn functional(table: &Table, code: usize, text: usize) -> u32 {
    let mut names: HashMap<&str, HashSet<&str>> = HashMap::new();
    for row in &table.rows {
        if let (Some(c), Some(t)) = (row.get(code), row.get(text))
            && !c.is_empty()
        {
            names.entry(c).or_default().insert(t);
        }
    }
    let one = names.values().filter(|n| n.len() == 1).count();
    u32::try_from(one * 100 / names.len().max(1)).unwrap_or(0)
}

/// The money (after the sign convention) whose sign agrees with KOSTRA's chart when the art
/// is read at `start`, all the money, and the money on income arts (600–990).
fn kostra_agreement(
    table: &Table,
    code: usize,
    start: usize,
    row_amounts: &RowAmounts,
    signed: &dyn Fn(&[String], Decimal) -> Decimal,
) -> (Decimal, Decimal, Decimal) {
    let mut agree = Decimal::ZERO;
    let mut total = Decimal::ZERO;
    let mut income = Decimal::ZERO;
    for row in &table.rows {
        let Some(first) = row
            .get(code)
            .and_then(|c| c.as_bytes().get(start))
            .filter(|b| b.is_ascii_digit())
        else {
            continue;
        };
        let income_art = *first >= b'6';
        for (_, value) in row_amounts(row) {
            let value = signed(row, value);
            total = total.saturating_add(value.abs());
            if income_art {
                income = income.saturating_add(value.abs());
            }
            if (value < Decimal::ZERO) == income_art || value.is_zero() {
                agree = agree.saturating_add(value.abs());
            }
        }
    }
    (agree, total, income)
}

/// A label for a dimension from its headers: the longest, without `-tekst`, with å restored.
fn label_of(headers: &[&str]) -> String {
    let cleaned = headers.iter().map(|h| {
        let mut text = h.trim().to_string();
        for suffix in [
            "-tekst", "_tekst", " tekst", "-text", "_text", "(T)", "_navn", "-navn", "_nr", "-nr",
        ] {
            if let Some(stripped) = text.strip_suffix(suffix) {
                text = stripped.to_string();
            }
        }
        text.replace(['_', '-'], " ")
            .replace("omraade", "område")
            .trim()
            .to_string()
    });
    let longest = cleaned
        .max_by_key(|h| h.chars().count())
        .unwrap_or_default();
    let mut chars = longest.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => longest,
    }
}

fn sample(values: &HashSet<String>) -> String {
    let mut sorted: Vec<&String> = values.iter().collect();
    sorted.sort();
    let shown: Vec<String> = sorted.iter().take(6).map(|v| (*v).clone()).collect();
    if sorted.len() > 6 {
        format!("{}, …", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `path` as seen from the folder `base` (relative when both can be resolved).
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let absolute = |p: &Path| {
        if p.is_absolute() {
            Some(p.to_path_buf())
        } else {
            std::env::current_dir().ok().map(|d| d.join(p))
        }
    };
    let (Some(path_abs), Some(base_abs)) = (
        path.canonicalize().ok().or_else(|| absolute(path)),
        base.canonicalize().ok().or_else(|| absolute(base)),
    ) else {
        return path.to_path_buf();
    };
    let target: Vec<Component> = path_abs.components().collect();
    let from: Vec<Component> = base_abs.components().collect();
    let common = target.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for part in &target[common..] {
        relative.push(part);
    }
    relative
}

/// Writes `text` to `path` only if no file is there (never overwrites a profile).
pub fn write_new(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            msg!(
                "guess.folder_failed",
                folder = parent.display(),
                error = crate::messages::io_error(&e)
            )
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                msg!("guess.profile_exists", file = path.display())
            } else {
                msg!(
                    "guess.create_failed",
                    file = path.display(),
                    error = crate::messages::io_error(&e)
                )
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        msg!(
            "guess.write_failed",
            file = path.display(),
            error = crate::messages::io_error(&e)
        )
    })
}
