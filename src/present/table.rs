//! Printed tables: the shape every table of the whole-budget report takes (rows of formatted
//! figures that foot, a total, notes), and the small rules all of them share: how a group or
//! detail is named and ordered, how a column is rounded by the report's footing, and when a
//! percentage is worth printing. [`super::budget`] and [`super::compare`] build tables with it.

use rust_decimal::Decimal;
use serde::Serialize;

use super::rounding;
use crate::config::GroupOrder;
use crate::fonts;
use crate::format::{self, Footing, Unit};
use crate::model::budget::{Ledger, NONE};

/// A table ready to print: every figure formatted, rows that foot.
#[derive(Debug, Clone, Serialize)]
pub struct PrintedTable {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<PrintedRow>,
    pub total: Option<PrintedRow>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PrintedRow {
    pub label: String,
    pub cells: Vec<String>,
    /// Sum rows of the statutory overviews are set in bold.
    pub strong: bool,
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

/// Names a dimension value, or says the line had none.
pub fn name_of(ledger: &Ledger, role: usize, id: u32) -> (String, String) {
    if id == NONE {
        return (String::new(), "(ikke oppgitt)".to_string());
    }
    let value = &ledger.dimensions[role].values[id as usize];
    let name = if value.text.is_empty() {
        value.code.clone()
    } else {
        value.text.clone()
    };
    (value.code.clone(), name)
}

/// Orders values by code the way people read codes: 6 before 16, 01A before 01B before 02.
pub fn order_key(ledger: &Ledger, role: usize, id: u32) -> (u64, String, String) {
    let (code, name) = name_of(ledger, role, id);
    let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
    let number = if digits.is_empty() {
        u64::MAX
    } else {
        digits.parse().unwrap_or(u64::MAX)
    };
    (number, code[digits.len()..].to_string(), name)
}

/// Orders groups as the report asks (`budget.group_order`): listed ones first in the listed
/// order, then by code or by first appearance in the exports.
pub fn group_key(
    order: &GroupOrder,
    ledger: &Ledger,
    role: usize,
    id: u32,
) -> (usize, u64, String, String) {
    match order {
        GroupOrder::Source => (0, u64::from(id), String::new(), String::new()),
        GroupOrder::Code => {
            let (number, rest, name) = order_key(ledger, role, id);
            (0, number, rest, name)
        }
        GroupOrder::Listed(list) => {
            let (code, name) = name_of(ledger, role, id);
            let place = list
                .iter()
                .position(|w| {
                    let w = w.trim().to_lowercase();
                    w == code.to_lowercase()
                        || w == name.to_lowercase()
                        || w == label(&code, &name).to_lowercase()
                })
                .unwrap_or(list.len());
            let (number, rest, name) = order_key(ledger, role, id);
            (place, number, rest, name)
        }
    }
}

pub fn label(code: &str, name: &str) -> String {
    if code.is_empty() || code == name {
        name.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// Rounds one column to `unit`, adding up to `target` when given (else to the rounded exact
/// total). Returns the printed figures, the printed total and whether rounding needed a note.
pub fn column(
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

pub fn notes(footing: Footing, needed: bool) -> Vec<String> {
    if needed {
        rounding::note(footing, true)
            .map(str::to_string)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    }
}

/// The words of the notes this module adds under tables.
pub mod words {
    pub const PERCENT_BASE: &str = "Endring i prosent er regnet av de nøyaktige beløpene, i \
        prosent av tallverdien av beløpet det endres fra; prosenten har samme fortegn som \
        endringen i kroner (en inntekt, som står med minus, som øker, får negativ endring). \
        En strek betyr at prosenten ikke sier noe: på sumlinjer, og der beløpet det endres fra \
        er mindre enn én enhet i tabellen.";
    pub const ACROSS: &str = "Utgifter, inntekter og netto er avrundet hver for seg; \
        utgifter pluss inntekter kan derfor avvike med én enhet fra netto.";
    pub const HIDDEN_YEARS: &str = "År og versjoner der alle beløp er null, er ikke vist.";
    pub const DEVIATION: &str = "Avvik er budsjett minus regnskap: et positivt tall betyr at \
        regnskapet er lavere enn budsjettet (mindreforbruk, eller merinntekt der beløpene er \
        inntekter), et negativt tall det motsatte. Forbruk er regnskapet i prosent av \
        budsjettet; en strek betyr at budsjettet er mindre enn én enhet i tabellen.";
    pub const LARGEST: &str = "Tallene er de samme som i tabellene per gruppe; listen er \
        ordnet etter den nøyaktige endringen.";

    /// A debt kind of the § 5-7 file, as printed.
    pub fn debt_kind(kind: &str) -> &'static str {
        match kind {
            "investering" => "Lån til investeringer",
            "videreutlan" => "Lån til videreutlån (startlån)",
            _ => "Andre langsiktige lån",
        }
    }

    /// An obligation kind of the § 5-7 file, as printed.
    pub fn obligation_kind(kind: &str) -> &'static str {
        match kind {
            "garanti" => "Garantier",
            "leie" => "Leieavtaler",
            _ => "Andre vesentlige forpliktelser",
        }
    }
}

/// A change from `before` to `after` (exact kroner) in percent of |before|; a dash when
/// `before` is less than one printed unit of `unit`, where a percentage would describe a
/// residue.
pub fn change_percent(unit: &Unit, before: Decimal, after: Decimal) -> String {
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
