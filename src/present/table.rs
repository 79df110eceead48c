//! Printed tables: the shape every table of the whole-budget report takes (rows of formatted
//! figures that foot, a total, notes), and the small rules all of them share: how a group is
//! ordered and a row labelled, how a column is rounded by the report's footing, and when a
//! percentage is worth printing. [`super::budget`] and [`super::compare`] build tables with it.

use rust_decimal::Decimal;
use serde::Serialize;

use super::rounding;
use crate::config::GroupOrder;
use crate::fonts;
use crate::format::{self, Footing, Unit};
use crate::model::ledger::Ledger;
use crate::words::{Fill, Phrase, Words};

/// A table ready to print: every figure formatted, rows that foot. Its caption and notes
/// are phrases, worded by the template (`{{ t.caption | say }}`).
#[derive(Debug, Clone, Serialize)]
pub struct PrintedTable {
    pub caption: Phrase,
    /// The column heads: text from the data (a dimension's label, a year) or phrases.
    pub columns: Vec<Fill>,
    pub rows: Vec<PrintedRow>,
    pub total: Option<PrintedRow>,
    pub notes: Vec<Phrase>,
}

#[derive(Debug, Clone)]
pub struct PrintedRow {
    pub label: String,
    pub cells: Vec<String>,
    /// Sum rows of the statutory overviews are set in bold.
    pub(crate) strong: bool,
}

/// A row is printed with its label's width (`label_width`, thousandths of an em, an upper
/// estimate), so that the template can give rows that surely fit on one line a fixed height.
impl Serialize for PrintedRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = serializer.serialize_struct("PrintedRow", 4)?;
        row.serialize_field("label", &self.label)?;
        row.serialize_field("cells", &self.cells)?;
        row.serialize_field("strong", &self.strong)?;
        row.serialize_field("label_width", &fonts::text_width(&self.label, self.strong))?;
        row.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupTable {
    pub code: String,
    pub name: String,
    pub table: PrintedTable,
}

/// Orders groups as the report asks (`budget.group_order`): listed ones first in the listed
/// order, then by code or by first appearance in the exports.
pub(crate) fn group_key(
    words: &Words,
    order: &GroupOrder,
    ledger: &Ledger,
    role: usize,
    id: u32,
) -> (usize, u64, String, String) {
    match order {
        GroupOrder::Source => (0, u64::from(id), String::new(), String::new()),
        GroupOrder::Code => {
            let (number, rest, name) = ledger.order_key(role, id, words);
            (0, number, rest, name)
        }
        GroupOrder::Listed(list) => {
            let (code, name) = ledger.name_of(role, id, words);
            let place = list
                .iter()
                .position(|w| {
                    let w = w.trim().to_lowercase();
                    w == code.to_lowercase()
                        || w == name.to_lowercase()
                        || w == label(&code, &name).to_lowercase()
                })
                .unwrap_or(list.len());
            let (number, rest, name) = ledger.order_key(role, id, words);
            (place, number, rest, name)
        }
    }
}

pub(crate) fn label(code: &str, name: &str) -> String {
    if code.is_empty() || code == name {
        name.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// The code and name of the value of dimension `role` whose code is `code`, as the tables
/// label a group ("10 Oppvekst"); the code itself when no value has it (a tiltak's or a
/// project's sector the exports do not name).
pub(crate) fn group_heading(ledger: &Ledger, role: usize, code: &str, words: &Words) -> String {
    ledger.dimensions[role]
        .values
        .iter()
        .position(|v| v.code == code)
        .map_or_else(
            || code.to_string(),
            |id| {
                let id = u32::try_from(id).unwrap_or(u32::MAX);
                let (code, name) = ledger.name_of(role, id, words);
                label(&code, &name)
            },
        )
}

/// Columns of exact figures, each rounded and footed on its own to its printed total
/// ([`column`]): the printed figures column by column, each row's printed cells, each
/// column's printed total, and whether rounding needed a note.
pub(crate) struct Footed {
    pub(crate) shown: Vec<Vec<Decimal>>,
    pub(crate) cells: Vec<Vec<String>>,
    pub(crate) totals: Vec<String>,
    pub(crate) note: bool,
}

/// Rounds and foots each of `columns` (a figure per row, `rows` rows) on its own.
pub(crate) fn footed(
    columns: &[Vec<Decimal>],
    rows: usize,
    unit: &Unit,
    footing: Footing,
) -> Footed {
    let mut footed = Footed {
        shown: Vec::with_capacity(columns.len()),
        cells: vec![Vec::with_capacity(columns.len()); rows],
        totals: Vec::with_capacity(columns.len()),
        note: false,
    };
    for values in columns {
        let (shown, total, note) = column(values, unit, footing, None);
        footed.note |= note;
        for (row, figure) in footed.cells.iter_mut().zip(&shown) {
            row.push(unit.print(*figure));
        }
        footed.totals.push(unit.print(total));
        footed.shown.push(shown);
    }
    footed
}

/// Rounds one column to `unit`, adding up to `target` when given (else to the rounded exact
/// total). Returns the printed figures, the printed total and whether rounding needed a note.
pub(crate) fn column(
    values: &[Decimal],
    unit: &Unit,
    footing: Footing,
    target: Option<Decimal>,
) -> (Vec<Decimal>, Decimal, bool) {
    match footing {
        Footing::LargestRemainder => {
            let (shown, total) = match target {
                Some(t) => rounding::largest_remainder_to(values, unit, t),
                None => rounding::largest_remainder(values, unit),
            };
            let adjusted = shown.iter().zip(values).any(|(s, v)| *s != unit.round(*v));
            (shown, total, adjusted)
        }
        Footing::Note => {
            let (shown, total, differs) = rounding::independent(values, unit);
            let total = target.unwrap_or(total);
            let printed: Decimal = shown
                .iter()
                .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
            (shown, total, differs || printed != total)
        }
    }
}

/// The rounding note of a table, when its rounding needs one.
pub(crate) fn notes(footing: Footing, needed: bool) -> Vec<Phrase> {
    if needed {
        rounding::note(footing, true)
            .map(Phrase::new)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    }
}

/// The catalogue keys of the notes this module's tables share.
pub(crate) mod words {
    pub(crate) const PERCENT_BASE: &str = "note.percent_base";
    pub(crate) const ACROSS: &str = "note.across";
    pub(crate) const HIDDEN_YEARS: &str = "note.hidden_years";
    pub(crate) const DEVIATION: &str = "note.deviation";
    pub(crate) const LARGEST: &str = "note.largest";
    pub(crate) const RECONCILIATION: &str = "note.reconciliation";

    /// The key of a debt kind of the § 5-7 file, as printed.
    pub(crate) fn debt_kind(kind: &str) -> &'static str {
        match kind {
            "investering" => "debt.kind_investering",
            "videreutlan" => "debt.kind_videreutlan",
            _ => "debt.kind_andre",
        }
    }

    /// The key of an obligation kind of the § 5-7 file, as printed.
    pub(crate) fn obligation_kind(kind: &str) -> &'static str {
        match kind {
            "garanti" => "debt.obligation_garanti",
            "leie" => "debt.obligation_leie",
            _ => "debt.obligation_annen",
        }
    }
}

/// A change from `before` to `after` (exact kroner) in percent of |before|; a dash when
/// `before` is less than one printed unit of `unit`, where a percentage would describe a
/// residue.
pub(crate) fn change_percent(unit: &Unit, before: Decimal, after: Decimal) -> String {
    let one_unit = Decimal::new(1, unit.decimals).saturating_mul(unit.scale.divisor());
    if before.abs() < one_unit {
        return "–".to_string();
    }
    match after
        .checked_sub(before)
        .and_then(|d| d.checked_div(before.abs()))
    {
        Some(ratio) => format::percent(ratio, 1),
        None => "–".to_string(),
    }
}

/// The total row of a group's table: "Sum Oppvekst"; a group already named "Sum …" is not
/// called "Sum Sum …".
pub(crate) fn sum_of(w: &Words, name: &str) -> String {
    let sum = w.get("table.sum");
    if name
        .to_lowercase()
        .starts_with(&format!("{} ", sum.to_lowercase()))
    {
        name.to_string()
    } else {
        w.fill("table.sum_of", &[("name", name)])
    }
}
