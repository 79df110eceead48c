//! SSB's KOSTRA accounts files, read as they are, without a profile: the fixed-width records
//! every municipality reports its accounts to SSB in ("Filbeskrivelse: Regnskap",
//! statisticsnorway/kostra-kontrollprogram). A record is 48 positions: skjema 1–2, årgang 3–6,
//! kvartal 7, region 8–13, orgnr and foretaksnr 14–31 (not read), kontoklasse 32, funksjon or
//! kapittel 33–36, art or sektor 37–39, beløp 40–48 in 1 000 kr, right-aligned, income (and in
//! a balance, debt and equity) negative.
//!
//! A source of a report is such a file when its first line starts like a record (`0A2024…`);
//! see [`is_kostra_file`]. An accounts file's records become budget lines of version
//! `regnskap` of its year (`regnskap 3. kvartal` for a quarterly file, which holds the
//! accounts to the end of that quarter only), in drift or investering by kontoklasse, with the
//! art and funksjon as KOSTRA codes (the statutory overviews place them with no mapping) and
//! the amount in kroner. A balance file becomes a [`BalanceSheet`]. Every wrong record is a
//! problem located at its line and positions; a file with any problem gives nothing.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::export::MAX_PROBLEMS;
use crate::error::DataError;
use crate::model::kostra::{BalanceLine, BalanceSheet, KostraHeader, Skjema};
use crate::model::ledger::{BudgetLine, Ledger, NONE, SourceInfo};
use crate::model::{Part, Role, Year};
use crate::msg;

/// The positions of a record.
const RECORD: usize = 48;

/// Kroner per unit of *beløp*.
const UNIT: i64 = 1000;

/// The version of an accounts file's lines (a quarterly file's adds the quarter).
const VERSION: &str = "regnskap";

/// A field of the record: its name in SSB's description and its 1-based positions.
#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    first: usize,
    last: usize,
}

const SKJEMA: Field = Field::new("skjema", 1, 2);
const AARGANG: Field = Field::new("årgang", 3, 6);
const KVARTAL: Field = Field::new("kvartal", 7, 7);
const REGION: Field = Field::new("region", 8, 13);
const KONTOKLASSE: Field = Field::new("kontoklasse", 32, 32);
const FUNKSJON: Field = Field::new("funksjon", 33, 36);
const KAPITTEL: Field = Field::new("kapittel", 33, 36);
const ART: Field = Field::new("art", 37, 39);
const SEKTOR: Field = Field::new("sektor", 37, 39);
const BELOP: Field = Field::new("beløp", 40, 48);

impl Field {
    const fn new(name: &'static str, first: usize, last: usize) -> Field {
        Field { name, first, last }
    }

    /// The field's bytes in a record at least [`RECORD`] long.
    fn of(self, record: &[u8]) -> &[u8] {
        &record[self.first - 1..self.last]
    }

    /// "positions 40–48" or "position 7", in the user's language.
    fn positions(self) -> String {
        if self.first == self.last {
            msg!("kostra_file.position", first = self.first)
        } else {
            msg!(
                "kostra_file.positions",
                first = self.first,
                last = self.last
            )
        }
    }
}

/// A KOSTRA file read whole: where it is, what its records repeat, and what they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostraFile {
    pub path: PathBuf,
    pub header: KostraHeader,
    pub content: Content,
}

/// The records of an accounts file, or of a balance file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Accounts(Vec<AccountsLine>),
    Balance(Vec<BalanceLine>),
}

/// One record of an accounts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsLine {
    /// The 1-based line of the file.
    pub line: u32,
    pub part: Part,
    /// Three digits.
    pub funksjon: String,
    /// Three digits.
    pub art: String,
    /// Kroner; income negative.
    pub amount: Decimal,
}

/// Whether the file at `path` is a KOSTRA file rather than a profile: its first line that is
/// not blank starts as a record does (`0`, a letter, a four-digit year) and has no `=` or
/// `[`, which every TOML profile's first line of content has. A misspelt skjema (`0a`, `0X`)
/// is thus refused as a KOSTRA record, at its positions. A file that cannot be read is no
/// KOSTRA file here (reading it as a profile says why).
pub fn is_kostra_file(path: &Path) -> bool {
    let mut start = Vec::with_capacity(256);
    // Through `input`, which opens regular files only: a FIFO named as a source never blocks.
    let read = crate::input::open(path)
        .and_then(|file| file.take(256).read_to_end(&mut start))
        .is_ok();
    read && starts_like_a_record(&start)
}

fn starts_like_a_record(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let Some(first) = bytes
        .split(|&b| b == b'\n')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace))
    else {
        return false;
    };
    first.len() >= 6
        && first[0] == b'0'
        && first[1].is_ascii_alphabetic()
        && first[2..6].iter().all(u8::is_ascii_digit)
        && !first.iter().any(|&b| b == b'=' || b == b'[')
}

/// Reads and checks a KOSTRA file: the whole file, or every problem found in it.
pub fn read(path: &Path) -> Result<KostraFile, Vec<DataError>> {
    let bytes = crate::input::read(path)
        .map_err(|e| vec![DataError::new(path, crate::messages::io_error(&e))])?;
    parse(path, &bytes)
}

/// Checks the records of a KOSTRA file read as `bytes` (from `path`, for messages).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<KostraFile, Vec<DataError>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut problems = Vec::new();
    let mut more = 0usize;
    let mut first: Option<(u32, KostraHeader)> = None;
    let mut accounts = Vec::new();
    let mut balance = Vec::new();
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let record = raw.strip_suffix(b"\r").unwrap_or(raw);
        if record.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let at = Place { path, line: number };
        let read = header(at, record).and_then(|h| {
            if let Some((line, expected)) = &first {
                same_header(at, record, &h, *line, expected)?;
            }
            body(at, record, h.skjema).map(|b| (h, b))
        });
        match read {
            Ok((h, body)) => {
                first.get_or_insert((number, h));
                match body {
                    Body::Accounts(line) => accounts.push(line),
                    Body::Balance(line) => balance.push(line),
                }
            }
            Err(problem) if problems.len() < MAX_PROBLEMS => problems.push(problem),
            Err(_) => more += 1,
        }
    }
    if more > 0 {
        problems.push(DataError::new(
            path,
            msg!("kostra_file.more_problems", n = more),
        ));
    }
    match first {
        _ if !problems.is_empty() => Err(problems),
        None => Err(vec![DataError::new(path, msg!("kostra_file.empty"))]),
        Some((_, header)) => Ok(KostraFile {
            path: path.to_path_buf(),
            content: if header.skjema.is_balance() {
                Content::Balance(balance)
            } else {
                Content::Accounts(accounts)
            },
            header,
        }),
    }
}

/// Where a record stands, for its problems.
#[derive(Clone, Copy)]
struct Place<'a> {
    path: &'a Path,
    line: u32,
}

impl Place<'_> {
    /// A problem with `field`: what was found there and what was expected.
    fn field(self, field: Field, record: &[u8], expected: String) -> DataError {
        let found = quoted(field.of(record));
        self.at(
            field.first,
            msg!(
                "kostra_file.field",
                positions = field.positions(),
                field = field.name,
                found,
                expected
            ),
        )
    }

    fn at(self, position: usize, message: String) -> DataError {
        DataError::new(self.path, message)
            .at_line(u64::from(self.line))
            .at_column(position - 1, "")
    }
}

/// A field's text as the message shows it: quoted, blanks visible.
fn quoted(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

fn all_digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

/// The header of a record (positions 1–13), after checking the record's length.
fn header(at: Place, record: &[u8]) -> Result<KostraHeader, DataError> {
    if record.len() < RECORD {
        let length = record.len();
        return Err(at.at(length + 1, msg!("kostra_file.short_line", length)));
    }
    let rest = &record[RECORD..];
    if !rest.iter().all(u8::is_ascii_whitespace) {
        let found = quoted(&rest[..rest.len().min(20)]);
        return Err(at.at(RECORD + 1, msg!("kostra_file.past_end", found)));
    }
    let Some(skjema) = Skjema::from_code(SKJEMA.of(record)) else {
        let codes: Vec<&str> = Skjema::ALL.iter().map(|s| s.code).collect();
        let expected = msg!("kostra_file.expected_skjema", codes = codes.join(", "));
        return Err(at.field(SKJEMA, record, expected));
    };
    let year = std::str::from_utf8(AARGANG.of(record))
        .ok()
        .filter(|y| all_digits(y.as_bytes()))
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| Year::RANGE.contains(y))
        .ok_or_else(|| {
            let expected = msg!(
                "kostra_file.expected_year",
                first = Year::FIRST,
                last = Year::LAST
            );
            at.field(AARGANG, record, expected)
        })?;
    let quarter = match KVARTAL.of(record)[0] {
        b' ' => None,
        digit @ b'1'..=b'4' => Some(digit - b'0'),
        _ => return Err(at.field(KVARTAL, record, msg!("kostra_file.expected_quarter"))),
    };
    let region = REGION.of(record);
    if !all_digits(region) {
        return Err(at.field(REGION, record, msg!("kostra_file.expected_region")));
    }
    Ok(KostraHeader {
        skjema,
        year,
        quarter,
        region: String::from_utf8_lossy(region).into_owned(),
    })
}

/// A record whose header differs from the first record's: one file is one skjema, year,
/// quarter and region, or its figures would be summed across them.
fn same_header(
    at: Place,
    record: &[u8],
    header: &KostraHeader,
    first_line: u32,
    first: &KostraHeader,
) -> Result<(), DataError> {
    for (field, same) in [
        (SKJEMA, header.skjema == first.skjema),
        (AARGANG, header.year == first.year),
        (KVARTAL, header.quarter == first.quarter),
        (REGION, header.region == first.region),
    ] {
        if !same {
            let found = quoted(field.of(record));
            let first = match field.name {
                "skjema" => first.skjema.code.to_string(),
                "årgang" => first.year.to_string(),
                "kvartal" => first.quarter.map_or(" ".to_string(), |q| q.to_string()),
                _ => first.region.clone(),
            };
            let message = msg!(
                "kostra_file.differs",
                positions = field.positions(),
                field = field.name,
                found,
                first_line,
                first = quoted(first.as_bytes())
            );
            return Err(at.at(field.first, message));
        }
    }
    Ok(())
}

/// What a record holds after its header.
enum Body {
    Accounts(AccountsLine),
    Balance(BalanceLine),
}

/// Kontoklasse, funksjon or kapittel, art or sektor, and beløp of a record of `skjema`.
fn body(at: Place, record: &[u8], skjema: Skjema) -> Result<Body, DataError> {
    let class = KONTOKLASSE.of(record)[0];
    if !skjema.classes().contains(&class) {
        let classes: Vec<String> = skjema
            .classes()
            .iter()
            .map(|&c| (c as char).to_string())
            .collect();
        let expected = msg!(
            "kostra_file.expected_class",
            classes = classes.join(", "),
            skjema = skjema.code
        );
        return Err(at.field(KONTOKLASSE, record, expected));
    }
    let line = at.line;
    if skjema.is_balance() {
        let kapittel = KAPITTEL.of(record);
        let digits = kapittel.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(2..=4).contains(&digits) || kapittel[digits..].iter().any(|&b| b != b' ') {
            return Err(at.field(KAPITTEL, record, msg!("kostra_file.expected_kapittel")));
        }
        let sektor = code(at, record, SEKTOR)?;
        Ok(Body::Balance(BalanceLine {
            line,
            kapittel: String::from_utf8_lossy(&kapittel[..digits]).into_owned(),
            sektor,
            amount: amount(at, record)?,
        }))
    } else {
        let funksjon = FUNKSJON.of(record);
        if !all_digits(&funksjon[..3]) || funksjon[3] != b' ' {
            return Err(at.field(FUNKSJON, record, msg!("kostra_file.expected_funksjon")));
        }
        let art = code(at, record, ART)?;
        Ok(Body::Accounts(AccountsLine {
            line,
            part: skjema.part(class).unwrap_or(Part::Drift),
            funksjon: String::from_utf8_lossy(&funksjon[..3]).into_owned(),
            art,
            amount: amount(at, record)?,
        }))
    }
}

/// A three-digit code (art or sektor).
fn code(at: Place, record: &[u8], field: Field) -> Result<String, DataError> {
    let code = field.of(record);
    if all_digits(code) {
        Ok(String::from_utf8_lossy(code).into_owned())
    } else {
        Err(at.field(
            field,
            record,
            msg!("kostra_file.expected_code", field = field.name),
        ))
    }
}

/// Beløp in kroner: blanks, an optional minus and at least one digit, as SSB's control 014
/// reads it; the field's nine positions hold at most 999 999 999 thousand kroner.
fn amount(at: Place, record: &[u8]) -> Result<Decimal, DataError> {
    let field = BELOP.of(record);
    let text = &field[field.iter().take_while(|&&b| b == b' ').count()..];
    let (negative, digits) = match text.strip_prefix(b"-") {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let value = std::str::from_utf8(digits)
        .ok()
        .filter(|d| all_digits(d.as_bytes()))
        .and_then(|d| d.parse::<i64>().ok())
        .ok_or_else(|| at.field(BELOP, record, msg!("kostra_file.expected_amount")))?;
    let kroner = Decimal::from(value) * Decimal::from(UNIT);
    Ok(if negative { -kroner } else { kroner })
}

/// The version an accounts file's lines have: `regnskap`, or for a quarterly file
/// `regnskap 3. kvartal`, so that the accounts to a quarter's end are never taken for a year's.
pub fn version(header: &KostraHeader) -> String {
    match header.quarter {
        None => VERSION.to_string(),
        Some(quarter) => format!("{VERSION} {quarter}. kvartal"), // not a message: a version name
    }
}

/// Reads the KOSTRA files among a report's sources into `ledger`: an accounts file's records
/// as budget lines (one source per part it has), a balance file as a balance sheet. Returns
/// every problem; a file with problems adds nothing, and a file named twice is refused.
pub fn import(paths: &[&PathBuf], ledger: &mut Ledger) -> Vec<DataError> {
    let mut problems = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        if let Some(earlier) = paths[..i].iter().find(|e| crate::input::same_file(e, path)) {
            let earlier = earlier.display();
            let message = msg!("kostra_file.twice", earlier);
            problems.push(DataError::new(path.as_path(), message));
            continue;
        }
        match read(path) {
            Ok(file) => add(file, ledger),
            Err(file_problems) => problems.extend(file_problems),
        }
    }
    problems
}

/// Adds a checked file to the ledger.
fn add(file: KostraFile, ledger: &mut Ledger) {
    let lines = match file.content {
        Content::Balance(lines) => {
            ledger.balance_sheets.push(BalanceSheet {
                file: file.path,
                header: file.header,
                lines,
            });
            return;
        }
        Content::Accounts(lines) => lines,
    };
    let version = super::row::version_id(ledger, &version(&file.header));
    for (role, dimension) in [(Role::Art, "art"), (Role::Service, "service")] {
        let d = &mut ledger.dimensions[role.index()];
        if d.label.is_empty() {
            d.label = dimension.to_string();
        }
    }
    for part in [Part::Drift, Part::Investering] {
        let of_part: Vec<&AccountsLine> = lines.iter().filter(|l| l.part == part).collect();
        if of_part.is_empty() {
            continue;
        }
        let source = u16::try_from(ledger.sources.len()).unwrap_or(u16::MAX);
        for line in &of_part {
            let mut dims = [NONE; Role::COUNT];
            dims[Role::Art.index()] = ledger.dimensions[Role::Art.index()].intern(&line.art, "");
            dims[Role::Service.index()] =
                ledger.dimensions[Role::Service.index()].intern(&line.funksjon, "");
            ledger.lines.push(BudgetLine {
                source,
                line: line.line,
                year: file.header.year,
                version,
                amount: line.amount,
                dims,
            });
        }
        ledger
            .sources
            .push(source_info(&file.path, &file.header, part, of_part.len()));
    }
}

/// What the ledger knows of one part of an accounts file.
fn source_info(path: &Path, header: &KostraHeader, part: Part, rows: usize) -> SourceInfo {
    let mut kostra_start = [None; Role::COUNT];
    kostra_start[Role::Art.index()] = Some(0);
    kostra_start[Role::Service.index()] = Some(0);
    SourceInfo {
        profile: path.to_path_buf(),
        file: path.to_path_buf(),
        rows,
        filtered: 0,
        empty_amounts: 0,
        long_rows: 0,
        first_long_row: None,
        // No profile, so no filters, fill-down or sign column.
        filter_values: Vec::new(),
        filled: 0,
        income_amounts: 0,
        income_written_negative: 0,
        // A record cut short is refused by its positions, wherever the file ends.
        unterminated: false,
        encoding: None,
        bom: false,
        delimiter: None,
        layout: "kostra",
        part,
        kostra_start,
        kostra: Some(header.clone()),
    }
}

/// The parts of the budget a KOSTRA file has lines of (none for a balance file or a file
/// that cannot be read).
pub fn parts_of(path: &Path) -> Vec<Part> {
    let mut parts = Vec::new();
    if let Ok(KostraFile {
        content: Content::Accounts(lines),
        ..
    }) = read(path)
    {
        for part in [Part::Drift, Part::Investering] {
            if lines.iter().any(|l| l.part == part) {
                parts.push(part);
            }
        }
    }
    parts
}

/// How `check` names one part (drift or investering) of a KOSTRA accounts file.
pub fn describe_part(header: &KostraHeader, part: Part) -> String {
    let part = match part {
        Part::Drift => "drift",
        Part::Investering => "investering",
    };
    msg!("kostra_file.part", file = describe(header), part)
}

/// How `check` names a KOSTRA file: its skjema, year, region and whether it holds a year's
/// accounts or a quarter's.
pub fn describe(header: &KostraHeader) -> String {
    let period = match header.quarter {
        None => msg!("kostra_file.yearly"),
        Some(quarter) => msg!("kostra_file.quarterly", quarter),
    };
    msg!(
        "kostra_file.listed",
        skjema = header.skjema.code,
        year = header.year,
        region = header.region,
        period
    )
}

/// What `check` lists of a balance file: the file, its header, and the sum of each kapittel
/// in kroner.
pub fn describe_balance(sheet: &BalanceSheet) -> String {
    let mut text = format!("{} ({})\n", sheet.file.display(), describe(&sheet.header));
    text.push_str(&msg!("kostra_file.balance_lines", n = sheet.lines.len()));
    text.push('\n');
    for (kapittel, sum) in sheet.by_kapittel() {
        let amount = crate::format::plain(sum);
        text.push_str(&msg!("kostra_file.kapittel", kapittel, amount));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_recognised_by_its_start_and_a_profile_is_not() {
        assert!(starts_like_a_record(b"0A2024 030100"));
        assert!(starts_like_a_record(b"\xef\xbb\xbf\r\n0B2023"));
        assert!(!starts_like_a_record(b"[source]\nfile = \"x.csv\""));
        assert!(!starts_like_a_record(b"0A2024 = 1"));
        assert!(starts_like_a_record(b"0a2024"));
        assert!(!starts_like_a_record(b"0-2024"));
        assert!(!starts_like_a_record(b""));
    }
}
