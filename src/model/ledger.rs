//! The budget data model: the lines read from a report's exports, the dimension values they
//! refer to, and what was read from each source, with the rules every reader names them by (a
//! value's name, the order of codes, a dimension's label). `load` produces it, `aggregate`,
//! `present`, `check`, `each` and `explain` consume it.

use std::fmt;
use std::path::PathBuf;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{Part, Role};
use crate::words::Words;

/// Marks a dimension a line does not have.
pub const NONE: u32 = u32::MAX;

/// All budget lines of a report's sources.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Per role, indexed by [`Role::index`]: its label and its distinct values.
    pub dimensions: Vec<DimensionValues>,
    pub versions: Vec<String>,
    pub lines: Vec<BudgetLine>,
    pub sources: Vec<SourceInfo>,
    /// The KOSTRA balance files among the sources: not budget lines, but fund balances and
    /// debt by kapittel.
    pub balance_sheets: Vec<super::kostra::BalanceSheet>,
}

impl Ledger {
    /// An empty ledger with every dimension of [`Role::ALL`] and no lines.
    pub fn new() -> Ledger {
        Ledger {
            dimensions: Role::ALL
                .into_iter()
                .map(|role| DimensionValues {
                    role,
                    label: String::new(),
                    values: Vec::new(),
                    index: FxHashMap::default(),
                    scratch: String::new(),
                })
                .collect(),
            ..Default::default()
        }
    }

    /// The code and name of a dimension value (its code where the exports give no text), or
    /// for a line without a value, no code and the catalogue's `table.not_given`.
    pub(crate) fn name_of(&self, role: usize, id: u32, words: &Words) -> (String, String) {
        if id == NONE {
            return (String::new(), words.get("table.not_given").to_string());
        }
        let value = &self.dimensions[role].values[id as usize];
        let name = if value.text.is_empty() {
            value.code.clone()
        } else {
            value.text.clone()
        };
        (value.code.clone(), name)
    }

    /// What the report calls a dimension: the profile's label, or, where the profile gives
    /// none (the label is the role), the catalogue's `dimension.<role>`; `None` when no source
    /// has the dimension.
    pub(crate) fn dimension_label(&self, role: usize, words: &Words) -> Option<String> {
        let dimension = self.dimensions.get(role)?;
        if dimension.label.is_empty() {
            None
        } else if dimension.label == dimension.role.name() {
            Some(
                words
                    .get(&format!("dimension.{}", dimension.role))
                    .to_string(),
            )
        } else {
            Some(dimension.label.clone())
        }
    }

    /// Orders values by code the way people read codes: 6 before 16, 01A before 01B before
    /// 02; then by name.
    pub(crate) fn order_key(&self, role: usize, id: u32, words: &Words) -> (u64, String, String) {
        let (code, name) = self.name_of(role, id, words);
        let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
        let number = if digits.is_empty() {
            u64::MAX
        } else {
            digits.parse().unwrap_or(u64::MAX)
        };
        (number, code[digits.len()..].to_string(), name)
    }
}

/// The values one dimension takes, in order of first appearance.
#[derive(Debug, Clone)]
pub struct DimensionValues {
    pub role: Role,
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
    pub(crate) fn find(&mut self, code: &str, text: &str) -> Option<u32> {
        self.scratch.clear();
        self.scratch.push_str(code);
        self.scratch.push('\u{1f}');
        self.scratch.push_str(text);
        self.index.get(self.scratch.as_str()).copied()
    }

    /// Makes a raw cell pair find the id of the value it cleans to.
    pub(crate) fn alias(&mut self, code: &str, text: &str, id: u32) {
        self.index.insert(format!("{code}\u{1f}{text}"), id);
    }

    pub(crate) fn intern(&mut self, code: &str, text: &str) -> u32 {
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

/// Whether a version, as the exports name it, is the accounts (regnskap, nynorsk rekneskap)
/// rather than a budget.
pub(crate) fn is_accounts(version: &str) -> bool {
    let version = version.to_lowercase();
    version.contains("regnskap") || version.contains("rekneskap")
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
    /// Value id per role, indexed by [`Role::index`], or [`NONE`].
    pub dims: [u32; Role::COUNT],
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
    /// Per `[[filter]]` of the profile, the values its column held (a listed value that no
    /// row holds keeps or drops nothing, and is refused).
    pub filter_values: Vec<std::collections::BTreeSet<String>>,
    /// Blank cells given the value of the row above (the profile's `fill_down`).
    pub filled: usize,
    /// With a sign column: the non-zero amounts it calls income, and how many of them the
    /// export wrote negative already (all of them: the sign would be turned twice).
    pub income_amounts: usize,
    pub income_written_negative: usize,
    /// A CSV file whose last row has no line end after it: the file may have been cut short
    /// (a last amount cut mid-number reads as a smaller amount), so `check` says so.
    pub unterminated: bool,
    pub encoding: Option<Encoding>,
    pub bom: bool,
    pub delimiter: Option<u8>,
    pub layout: &'static str,
    /// Operating or investment budget.
    pub part: Part,
    /// Per role: where in the code the three-digit KOSTRA code stands (0-based start), for
    /// the dimensions whose chart the profile says is KOSTRA's.
    pub kostra_start: [Option<usize>; Role::COUNT],
    /// For a KOSTRA accounts file: its skjema, year, quarter and region.
    pub kostra: Option<super::kostra::KostraHeader>,
}

/// A text encoding an export may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
    /// Excel's "Unicode text" (always with a byte-order mark).
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// Reads a profile's `encoding` value.
    pub(crate) fn from_name(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "iso-8859-1" | "latin1" | "latin-1" | "ansi" => {
                Some(Encoding::Windows1252)
            }
            "utf-16" | "utf-16le" | "utf-16 le" => Some(Encoding::Utf16Le),
            // not a message: an encoding's names, as a profile may spell them
            "utf-16be" | "utf-16 be" => Some(Encoding::Utf16Be),
            _ => None,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Utf16Le => "UTF-16 LE",
            // not a message: the encoding's standard name
            Encoding::Utf16Be => "UTF-16 BE",
        })
    }
}
