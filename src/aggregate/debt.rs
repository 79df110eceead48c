//! § 5-7 Oversikt over gjeld og andre vesentlige forpliktelser: the municipality's debt per
//! kind and year, and its other significant obligations, from a small file the finance office
//! keeps (budget exports do not carry it).
//!
//! The file (`year;kind;opening;borrowing;repayment;closing;text`, one line per kind and plan
//! year) is checked like every other input: each debt's year-end figure is computed as
//! opening plus borrowing minus repayment and must match the file's own `closing` where it
//! gives one; a year's opening must be the year before's closing; and the borrowing and
//! repayments must be the loan rows of § 5-4 and § 5-5 (`debt-checks.csv` in the KOSTRA
//! folder says which), so the overviews cannot tell two stories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use super::kostra_table::{self, Columns};
use super::statutory::{Overview, OverviewTotals, Statement};
use crate::error::DataError;
use crate::format;
use crate::model::{Money, Year};

/// The kinds of debt: their year-end figure is opening + borrowing − repayment.
pub(crate) const DEBT_KINDS: &[&str] = &["investering", "videreutlan", "andre"];
/// The kinds of other significant obligations: an amount at year end and a text.
pub(crate) const OBLIGATION_KINDS: &[&str] = &["garanti", "leie", "annen"];

#[derive(Debug, Clone, Deserialize)]
struct DebtRow {
    year: Year,
    kind: String,
    opening: Option<Money>,
    borrowing: Option<Money>,
    repayment: Option<Money>,
    closing: Option<Money>,
    text: Option<String>,
}

/// One kind of debt in one year, exact kroner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debt {
    /// The line in the debt file.
    pub line: u64,
    pub kind: String,
    pub year: i32,
    pub opening: Decimal,
    pub borrowing: Decimal,
    pub repayment: Decimal,
    /// opening + borrowing − repayment.
    pub closing: Decimal,
}

/// One other obligation in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    pub kind: String,
    pub year: i32,
    pub amount: Decimal,
    pub text: String,
}

/// The debt file, read and checked.
#[derive(Debug, Clone, Default)]
pub struct DebtOverview {
    pub file: PathBuf,
    pub debts: Vec<Debt>,
    pub obligations: Vec<Obligation>,
    /// The cross-checks against the statutory overviews: made, or skipped because the report
    /// lacks an overview they need.
    pub checks: Vec<DebtCheck>,
}

/// One cross-check of the debt file against rows of the overviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtCheck {
    /// The debt kinds, e.g. ["investering", "andre"].
    pub kinds: Vec<String>,
    /// "borrowing" or "repayment".
    pub flow: &'static str,
    /// The rows, e.g. [("5-4", 14), ("5-5", 5)].
    pub rows: Vec<(&'static str, u32)>,
    /// Whether the report has every overview the check needs (and so made it).
    pub made: bool,
}

impl DebtOverview {
    /// The sum of one flow of some kinds in a year.
    fn flow(&self, kinds: &[String], year: i32, flow: Flow) -> Decimal {
        self.debts
            .iter()
            .filter(|d| d.year == year && kinds.contains(&d.kind))
            .map(|d| match flow {
                Flow::Borrowing => d.borrowing,
                Flow::Repayment => d.repayment,
            })
            .fold(Decimal::ZERO, |a, v| a.saturating_add(v))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Borrowing,
    Repayment,
}

/// Reads and checks the debt file for the plan `years`. Every problem is returned, located.
pub fn load(path: &Path, years: &[i32]) -> Result<DebtOverview, Vec<DataError>> {
    let mut problems = Vec::new();
    let table: crate::model::Table<DebtRow> = crate::load::read_table(path, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    if table.rows.is_empty() {
        // Printed, a file without lines would say the municipality has no debt.
        return Err(vec![
            DataError::new(path, crate::msg!("debt.only_header")).at_line(1),
        ]);
    }
    let mut overview = DebtOverview {
        file: path.to_path_buf(),
        ..DebtOverview::default()
    };
    let mut seen: BTreeMap<(String, i32), u64> = BTreeMap::new();
    for row in &table.rows {
        let r = &row.record;
        let at = |message: String| DataError::new(path, message).at_line(row.line);
        let kind = r.kind.trim().to_lowercase();
        let (quoted, year) = (format!("{kind:?}"), r.year.0);
        if let Some(first) = seen.insert((kind.clone(), year), row.line) {
            problems.push(at(crate::msg!(
                "debt.second_line",
                kind = quoted,
                year,
                first
            )));
            continue;
        }
        if !years.contains(&year) {
            let plan = format::years(
                &crate::words::Words::default(),
                years.first().copied(),
                years.last().copied(),
            );
            problems.push(at(crate::msg!("debt.year_outside_plan", year, plan)));
            continue;
        }
        let obligation = OBLIGATION_KINDS.contains(&kind.as_str());
        if obligation && r.text.as_deref().is_none_or(|t| t.trim().is_empty()) {
            // The table would print the amount with no note saying what it is.
            let message = crate::msg!("debt.obligation_without_text", kind = quoted);
            problems.push(table.error_at(row, "text", message));
            continue;
        }
        let read = if DEBT_KINDS.contains(&kind.as_str()) {
            debt_line(r, kind, row.line).map(|d| overview.debts.push(d))
        } else if obligation {
            obligation_line(r, kind).map(|o| overview.obligations.push(o))
        } else {
            Err(crate::msg!(
                "debt.unknown_kind",
                kind = quoted,
                debts = DEBT_KINDS.join(", "),
                obligations = OBLIGATION_KINDS.join(", ")
            ))
        };
        if let Err(message) = read {
            problems.push(at(message));
        }
    }
    check_openings(path, &overview, &seen, &mut problems);
    check_years(path, &seen, years, &mut problems);
    if problems.is_empty() {
        Ok(overview)
    } else {
        Err(problems)
    }
}

/// A debt's line: opening, borrowing and repayment given (the last two not negative), the
/// closing they make, which must match a stated one and not be negative.
fn debt_line(r: &DebtRow, kind: String, line: u64) -> Result<Debt, String> {
    let (Some(opening), Some(borrowing), Some(repayment)) = (r.opening, r.borrowing, r.repayment)
    else {
        return Err(crate::msg!(
            "debt.debt_incomplete",
            kind = format!("{kind:?}")
        ));
    };
    if r.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        return Err(crate::msg!("debt.debt_text", kind = format!("{kind:?}")));
    }
    if opening.0.is_sign_negative() {
        return Err(crate::msg!(
            "debt.negative_opening",
            amount = format::plain(opening.0)
        ));
    }
    for (column, value) in [("borrowing", borrowing.0), ("repayment", repayment.0)] {
        if value.is_sign_negative() {
            return Err(crate::msg!(
                "debt.negative_flow",
                column,
                amount = format::plain(value)
            ));
        }
    }
    let closing = opening.0 + borrowing.0 - repayment.0;
    if let Some(stated) = r.closing
        && stated.0 != closing
    {
        return Err(crate::msg!(
            "debt.closing_differs",
            stated = format::plain(stated.0),
            closing = format::plain(closing),
            difference = format::plain(stated.0 - closing)
        ));
    }
    if closing.is_sign_negative() {
        return Err(crate::msg!(
            "debt.negative_closing",
            kind,
            year = r.year.0,
            closing = format::plain(closing)
        ));
    }
    Ok(Debt {
        line,
        kind,
        year: r.year.0,
        opening: opening.0,
        borrowing: borrowing.0,
        repayment: repayment.0,
        closing,
    })
}

/// An obligation's line: its amount in `closing`, not negative.
fn obligation_line(r: &DebtRow, kind: String) -> Result<Obligation, String> {
    let given = [
        ("opening", r.opening),
        ("borrowing", r.borrowing),
        ("repayment", r.repayment),
    ];
    if let Some((column, _)) = given.iter().find(|(_, value)| value.is_some()) {
        // The report prints an obligation's amount only: a value here would be dropped.
        return Err(crate::msg!(
            "debt.obligation_flow",
            column,
            kind = format!("{kind:?}")
        ));
    }
    let Some(amount) = r.closing else {
        return Err(crate::msg!(
            "debt.obligation_without_amount",
            kind = format!("{kind:?}")
        ));
    };
    if amount.0.is_sign_negative() {
        return Err(crate::msg!(
            "debt.negative_obligation",
            amount = format::plain(amount.0)
        ));
    }
    Ok(Obligation {
        kind,
        year: r.year.0,
        amount: amount.0,
        text: r.text.clone().unwrap_or_default(),
    })
}

/// A year's opening is the year before's closing; a problem at the line of each that is not.
fn check_openings(
    path: &Path,
    overview: &DebtOverview,
    seen: &BTreeMap<(String, i32), u64>,
    problems: &mut Vec<DataError>,
) {
    for d in &overview.debts {
        if let Some(before) = overview
            .debts
            .iter()
            .find(|b| b.kind == d.kind && b.year + 1 == d.year)
            && before.closing != d.opening
        {
            let line = seen.get(&(d.kind.clone(), d.year)).copied().unwrap_or(0);
            problems.push(
                DataError::new(
                    path,
                    crate::msg!(
                        "debt.opening_differs",
                        kind = d.kind,
                        year = d.year,
                        opening = format::plain(d.opening),
                        before = before.year,
                        closing = format::plain(before.closing)
                    ),
                )
                .at_line(line),
            );
        }
    }
}

/// Every plan year has a line of each debt in the file, and of each obligation from its first
/// year on: a missing line would drop the kind from that year's sum while every check agrees.
fn check_years(
    path: &Path,
    seen: &BTreeMap<(String, i32), u64>,
    years: &[i32],
    problems: &mut Vec<DataError>,
) {
    let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
    for ((kind, _), line) in seen {
        let first = kinds.entry(kind.as_str()).or_insert(*line);
        *first = (*first).min(*line);
    }
    for (kind, line) in kinds {
        let debt = DEBT_KINDS.contains(&kind);
        if !debt && !OBLIGATION_KINDS.contains(&kind) {
            continue;
        }
        let first_year = years
            .iter()
            .position(|y| seen.contains_key(&(kind.to_string(), *y)));
        let from = if debt { 0 } else { first_year.unwrap_or(0) };
        let missing: Vec<String> = years[from..]
            .iter()
            .filter(|y| !seen.contains_key(&(kind.to_string(), **y)))
            .map(i32::to_string)
            .collect();
        if !missing.is_empty() {
            let (kind, missing) = (format!("{kind:?}"), missing.join(", "));
            let message = if debt {
                crate::msg!("debt.debt_year_missing", kind, missing)
            } else {
                crate::msg!("debt.obligation_year_missing", kind, missing)
            };
            problems.push(DataError::new(path, message).at_line(line));
        }
    }
}

/// The columns of `debt-checks.csv`, found by name.
const CHECK_COLUMNS: Columns = Columns {
    known: &["kinds", "flow", "rows"],
    optional: &[],
    names: false,
};

/// Cross-checks the debt file against the statutory overviews, as `debt-checks.csv` in the
/// KOSTRA folder lists them (`kinds;flow;rows`: e.g. `investering;borrowing;5-5:13`): per
/// year, the rows' sum (ledger sign) must be minus the borrowing, or the repayment. A check
/// whose overviews the report does not have is skipped.
pub(crate) fn cross_check(
    debt: &mut DebtOverview,
    folder: &Path,
    overviews: &[(Overview, OverviewTotals)],
    years: &[i32],
) -> Vec<DataError> {
    let mut problems = Vec::new();
    let what = crate::msg!("debt.checks_name");
    let unreadable = "debt.unreadable";
    let table = match kostra_table::read(
        folder,
        "debt-checks.csv",
        (&what, unreadable),
        &CHECK_COLUMNS,
    ) {
        Ok(table) => table,
        Err(problem) => return vec![problem],
    };
    let [c_kinds, c_flow, c_rows] = ["kinds", "flow", "rows"].map(|name| table.column(name));
    let path = &table.path;
    for (line, record) in &table.records {
        let line = *line;
        let bad = |key: &str| DataError::new(path, crate::messages::text(key, &[])).at_line(line);
        let kinds: Vec<String> = record
            .get(c_kinds)
            .unwrap_or_default()
            .split('+')
            .map(|k| k.trim().to_string())
            .collect();
        let flow = match record.get(c_flow) {
            Some("borrowing") => Flow::Borrowing,
            Some("repayment") => Flow::Repayment,
            _ => {
                problems.push(bad("debt.bad_flow"));
                continue;
            }
        };
        let mut rows = Vec::new();
        for term in record.get(c_rows).unwrap_or_default().split('+') {
            match statement_row(term) {
                Some(s) => rows.push(s),
                None => problems.push(bad("debt.bad_rows")),
            }
        }
        let totals: Option<Vec<(&OverviewTotals, u32, &str)>> = rows
            .iter()
            .map(|(statement, row)| {
                overviews
                    .iter()
                    .find(|(o, _)| o.statement == *statement)
                    .map(|(o, t)| (t, *row, o.statement.paragraph()))
            })
            .collect();
        debt.checks.push(DebtCheck {
            kinds: kinds.clone(),
            flow: match flow {
                Flow::Borrowing => "borrowing",
                Flow::Repayment => "repayment",
            },
            rows: rows.iter().map(|(s, r)| (s.paragraph(), *r)).collect(),
            made: totals.is_some(),
        });
        let Some(totals) = totals else { continue };
        for &year in years {
            problems.extend(check_year(debt, &kinds, flow, &totals, year));
        }
    }
    problems
}

/// A term of a check's rows (`5-4:14`, `5-5:5`): the statement and the row.
fn statement_row(term: &str) -> Option<(Statement, u32)> {
    match term.trim().split_once(':') {
        Some(("5-4", row)) => row
            .parse::<u32>()
            .ok()
            .map(|r| (Statement::AppropriationsDrift, r)),
        Some(("5-5", row)) => row
            .parse::<u32>()
            .ok()
            .map(|r| (Statement::AppropriationsInvestering, r)),
        _ => None,
    }
}

/// One check in one year: the rows' sum must be minus the debt kinds' borrowing, or their
/// repayment; a problem at the debt's line when not.
fn check_year(
    debt: &DebtOverview,
    kinds: &[String],
    flow: Flow,
    totals: &[(&OverviewTotals, u32, &str)],
    year: i32,
) -> Option<DataError> {
    let from_rows = totals.iter().fold(Decimal::ZERO, |a, (t, r, _)| {
        a.saturating_add(t.row(*r, year))
    });
    let from_debt = debt.flow(kinds, year, flow);
    let expected = match flow {
        Flow::Borrowing => -from_debt,
        Flow::Repayment => from_debt,
    };
    if from_rows == expected {
        return None;
    }
    let rows: Vec<String> = totals
        .iter()
        .map(|(_, row, paragraph)| crate::msg!("debt.statement_row", paragraph, row))
        .collect();
    let line = debt
        .debts
        .iter()
        .find(|d| d.year == year && kinds.contains(&d.kind))
        .map(|d| d.line);
    let mut problem = DataError::new(&debt.file, {
        let kinds = kinds.join(&crate::msg!("debt.kinds_joiner"));
        let (debt, rows) = (format::plain(from_debt), rows.join(" + "));
        let budget = format::plain(from_rows);
        match flow {
            Flow::Borrowing => {
                crate::msg!("debt.borrowing_differs", year, kinds, debt, rows, budget)
            }
            Flow::Repayment => {
                crate::msg!("debt.repayment_differs", year, kinds, debt, rows, budget)
            }
        }
    });
    if let Some(line) = line {
        problem = problem.at_line(line);
    }
    Some(problem)
}
