//! The proposed resolution (*forslag til vedtak*) at the end of the whole-budget report: its
//! points built from the figures the report's tables print, and the municipality's own fixed
//! points from the configuration ([`crate::config::Resolution`]).
//!
//! Every amount is taken from a printed table, cell for cell, never computed again: the drift
//! frames per group from the drift part's net per group (the budget year's column), the
//! investment frame and the borrowing from § 5-5's rows as printed. The template cites each
//! table by the number Typst gives it (a label on the table), so a number is right after any
//! change of layout; nothing here counts tables.

use serde::Serialize;

use super::PartView;
use crate::config::Resolution;
use crate::format;
use crate::present::table::PrintedTable;
use crate::words::{Fill, Phrase};

/// The rows of § 5-5 the resolution cites: the investment frame (sum investeringsutgifter),
/// borrowing for investments (bruk av lån) and for videreutlån (bruk av lån til videreutlån).
const INVESTMENT_ROW: u32 = 6;
const BORROWING_ROW: u32 = 13;
const ONWARD_LENDING_ROW: u32 = 16;

/// What the resolution says, every amount as its table prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ResolutionView {
    /// Who adopts ("Bystyret"); none: the catalogue's word.
    pub council: Option<String>,
    /// The unit of every amount, as the tables' captions say it ("Beløp i 1 000 kr").
    pub unit: Phrase,
    /// The budget year: the first plan year.
    pub year: i32,
    /// The years of the plan after the budget year, when there are any.
    pub later_years: Option<(i32, i32)>,
    /// The drift frames per group, as the drift part's net per group prints the budget year.
    pub drift: Option<Frames>,
    /// The investment frame and the borrowing, as § 5-5 prints the budget year.
    pub investering: Option<Investment>,
    /// The fixed points, their numbers written the Norwegian way (`10,95`).
    pub tax_rate: Option<String>,
    pub property_tax_general: Option<String>,
    pub property_tax_housing: Option<String>,
    pub fees: Option<String>,
    pub points: Vec<String>,
}

/// Frames per group: each group's printed figure, and the table's sum row.
#[derive(Debug, Clone, Serialize)]
pub struct Frames {
    /// The dimension that groups them ("Tjenesteområde").
    pub group: String,
    pub rows: Vec<Frame>,
    pub total: Option<Frame>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub label: String,
    pub amount: String,
}

/// § 5-5's rows the resolution cites, as printed. Borrowing is income, printed negative in
/// the overview; the resolution says "a loan of" its figure without the minus, and only when
/// the row is a loan taken up (negative), never a figure of another sign read as a loan.
#[derive(Debug, Clone, Serialize)]
pub struct Investment {
    pub frame: String,
    pub borrowing: Option<String>,
    pub onward_lending: Option<String>,
}

/// The resolution of a budget whose parts are `parts`, with the configuration's points.
pub(super) fn resolution_view(
    resolution: &Resolution,
    parts: &[PartView],
    plan: (i32, i32),
    unit: Phrase,
) -> ResolutionView {
    let (year, last) = plan;
    let rate = |value: Option<rust_decimal::Decimal>| value.map(|v| format::number(v, decimals(v)));
    let property = resolution.property_tax.as_ref();
    ResolutionView {
        council: resolution.council.clone(),
        unit,
        year,
        later_years: (last > year).then_some((year + 1, last)),
        drift: parts
            .iter()
            .find(|p| p.part == "drift")
            .and_then(|p| frames(p, year)),
        investering: parts
            .iter()
            .find(|p| p.part == "investering")
            .and_then(|p| investment(p, year)),
        tax_rate: rate(resolution.tax_rate),
        property_tax_general: rate(property.and_then(|p| p.general)),
        property_tax_housing: rate(property.and_then(|p| p.housing)),
        fees: rate(resolution.fees),
        points: resolution.points.clone(),
    }
}

/// The decimals a rate is written with: as many as it has.
fn decimals(value: rust_decimal::Decimal) -> u32 {
    value.normalize().scale()
}

/// The index among a table's cells of the column headed `year` (the first column is the
/// rows' labels, with no cell).
fn year_cell(table: &PrintedTable, year: i32) -> Option<usize> {
    let head = year.to_string();
    let column = table
        .columns
        .iter()
        .position(|c| matches!(c, Fill::Text(t) if *t == head))?;
    column.checked_sub(1)
}

/// Each row's and the sum row's figure in the budget year's column of the part's net per
/// group, as printed; a group without lines in the plan years (one only a history column
/// has) gets no frame.
fn frames(part: &PartView, year: i32) -> Option<Frames> {
    let table = &part.net_by_group;
    let cell = year_cell(table, year)?;
    let frame = |row: &crate::present::table::PrintedRow| {
        row.cells.get(cell).map(|amount| Frame {
            label: row.label.clone(),
            amount: amount.clone(),
        })
    };
    let planned = |index: usize| part.planned_rows.get(index).copied().unwrap_or(true);
    Some(Frames {
        group: part.group_label.clone(),
        rows: table
            .rows
            .iter()
            .enumerate()
            .filter(|(index, _)| planned(*index))
            .filter_map(|(_, row)| frame(row))
            .collect(),
        total: table.total.as_ref().and_then(frame),
    })
}

/// § 5-5's cited rows in the budget year, as printed.
fn investment(part: &PartView, year: i32) -> Option<Investment> {
    let overview = part.statutory.iter().find(|s| s.paragraph == "5-5")?;
    let table = &overview.table;
    let cell = year_cell(table, year)?;
    let row = |number: u32| {
        let prefix = format!("{number}. ");
        table
            .rows
            .iter()
            .find(|r| r.label.starts_with(&prefix))
            .and_then(|r| r.cells.get(cell).cloned())
    };
    let loan = |number: u32| {
        row(number).map(|printed| {
            printed
                .strip_prefix(format::MINUS)
                .map(str::to_string)
                .filter(|figure| figure.chars().any(|c| c.is_ascii_digit() && c != '0'))
        })
    };
    Some(Investment {
        frame: row(INVESTMENT_ROW)?,
        borrowing: loan(BORROWING_ROW)?,
        onward_lending: loan(ONWARD_LENDING_ROW)?,
    })
}
