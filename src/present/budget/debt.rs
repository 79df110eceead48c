//! § 5-7, debt and other significant obligations: per debt kind the opening, borrowing,
//! repayment and year-end debt of each plan year, the obligations, and the cross-checks
//! against the statutory overviews for the template to word.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::config::Config;
use crate::format;
use crate::format::Unit;
use crate::present::table::{PrintedRow, PrintedTable, column, notes, words};
use crate::words::{Fill, Phrase, Words};

/// One cross-check of § 5-7 against rows of § 5-4/§ 5-5, for the template to word.
#[derive(Debug, Clone, Serialize)]
pub struct DebtCheckView {
    /// Debt kinds as the debt file names them ("investering", "videreutlan", "andre").
    pub kinds: Vec<String>,
    /// "borrowing" or "repayment".
    pub flow: &'static str,
    /// Rows as (paragraph, row).
    pub rows: Vec<(&'static str, u32)>,
    /// Whether the report has the overviews the check needs, and so made it (a check that
    /// failed stops the report, so a made check agreed).
    pub made: bool,
}

/// § 5-7: per debt kind the opening, borrowing, repayment and year-end debt of each plan year,
/// rounded top-down (the year-end debt once, its parts footed to it), then the sum of debt and
/// the other obligations.
pub(super) fn debt_table(
    debt: &crate::aggregate::debt::DebtOverview,
    presentation: &crate::config::Presentation,
    config: &Config,
) -> PrintedTable {
    let w = &config.words;
    let unit = presentation.unit;
    let years: Vec<i32> = config.plan.years().collect();
    let mut rows = Vec::new();
    let mut note = false;
    let mut total_shown = vec![Decimal::ZERO; years.len()];
    for kind in crate::aggregate::debt::DEBT_KINDS {
        note |= debt_kind_rows(
            debt,
            kind,
            &years,
            presentation,
            w,
            &mut rows,
            &mut total_shown,
        );
    }
    rows.push(PrintedRow {
        label: w.get("debt.total").into(),
        cells: total_shown.iter().map(|v| unit.print(*v)).collect(),
        strong: true,
    });
    let mut notes = notes(presentation.footing, note);
    obligation_rows(debt, &years, &unit, w, &mut rows, &mut notes);
    PrintedTable {
        caption: Phrase::new("debt.caption")
            .with(
                "period",
                format::years(w, Some(config.plan.first), Some(config.plan.last)),
            )
            .with("unit", unit.phrase()),
        columns: std::iter::once(Fill::from(Phrase::new("debt.column")))
            .chain(years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows,
        total: None,
        notes,
    }
}

/// One debt kind's four rows (opening, borrowing, repayment, year-end), none when no plan
/// year has it; each year-end figure is added to `total_shown`. Returns whether footing
/// changed a figure.
fn debt_kind_rows(
    debt: &crate::aggregate::debt::DebtOverview,
    kind: &str,
    years: &[i32],
    presentation: &crate::config::Presentation,
    w: &Words,
    rows: &mut Vec<PrintedRow>,
    total_shown: &mut [Decimal],
) -> bool {
    let unit = presentation.unit;
    let mut note = false;
    let of_year = |y: i32| debt.debts.iter().find(|d| d.kind == kind && d.year == y);
    if years.iter().all(|y| of_year(*y).is_none()) {
        return false;
    }
    let mut cells: [Vec<String>; 4] = Default::default();
    // The year before's debt at 31.12., exact and as printed.
    let mut previous: Option<(Decimal, Decimal)> = None;
    for (i, &year) in years.iter().enumerate() {
        let Some(d) = of_year(year) else {
            for c in &mut cells {
                c.push("–".into());
            }
            previous = None;
            continue;
        };
        let closing = unit.round(d.closing);
        // The debt at 1.1. is the debt at 31.12. the year before: one quantity, one figure;
        // the year's loans and avdrag are footed to what is left.
        let tied = previous.filter(|(exact, _)| *exact == d.opening);
        let (opening, [borrowing, repayment], n) = match tied {
            Some((_, opening)) => {
                let (flows, _, n) = column(
                    &[d.borrowing, -d.repayment],
                    &unit,
                    presentation.footing,
                    Some(closing.saturating_sub(opening)),
                );
                (opening, [flows[0], flows[1]], n)
            }
            None => {
                let (parts, _, n) = column(
                    &[d.opening, d.borrowing, -d.repayment],
                    &unit,
                    presentation.footing,
                    Some(closing),
                );
                (parts[0], [parts[1], parts[2]], n)
            }
        };
        note |= n;
        cells[0].push(unit.print(opening));
        cells[1].push(unit.print(borrowing));
        // Avdrag with its sign, as it subtracts: the block adds down to the year-end debt.
        cells[2].push(unit.print(if repayment.is_zero() {
            Decimal::ZERO
        } else {
            repayment
        }));
        cells[3].push(unit.print(closing));
        total_shown[i] = total_shown[i].saturating_add(closing);
        previous = Some((d.closing, closing));
    }
    let name = w.get(words::debt_kind(kind));
    let [opening, borrowing, repayment, closing] = cells;
    for (label, cells, strong) in [
        (w.fill("debt.opening", &[("kind", name)]), opening, false),
        (format!("  {}", w.get("debt.borrowing")), borrowing, false),
        (format!("  {}", w.get("debt.repayment")), repayment, false),
        (w.fill("debt.closing", &[("kind", name)]), closing, true),
    ] {
        rows.push(PrintedRow {
            label,
            cells,
            strong,
        });
    }
    note
}

/// A row per obligation kind (garanti, leie, annen) the file has, and a note per obligation
/// with a text.
fn obligation_rows(
    debt: &crate::aggregate::debt::DebtOverview,
    years: &[i32],
    unit: &Unit,
    w: &Words,
    rows: &mut Vec<PrintedRow>,
    notes: &mut Vec<Phrase>,
) {
    if debt.obligations.is_empty() {
        return;
    }
    // The obligations under a heading row of their own, apart from the debt above.
    rows.push(PrintedRow {
        label: w.get("debt.obligations").to_string(),
        cells: vec![String::new(); years.len()],
        strong: true,
    });
    for kind in crate::aggregate::debt::OBLIGATION_KINDS {
        let of_kind: Vec<_> = debt
            .obligations
            .iter()
            .filter(|o| o.kind == *kind)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        rows.push(PrintedRow {
            label: w.get(words::obligation_kind(kind)).to_string(),
            cells: years
                .iter()
                .map(|y| {
                    of_kind
                        .iter()
                        .find(|o| o.year == *y)
                        .map_or("–".to_string(), |o| unit.print(unit.round(o.amount)))
                })
                .collect(),
            strong: false,
        });
        for o in &of_kind {
            notes.push(
                Phrase::new("debt.obligation_note")
                    .with("kind", Phrase::new(words::obligation_kind(kind)))
                    .with("year", o.year.to_string())
                    .with("text", &o.text),
            );
        }
    }
}
