//! The opening summary of a report with both parts: each part's balance per year, exact, and
//! each transfer between drift and investering per year, as sent and received.

use rust_decimal::Decimal;
use serde::Serialize;

use super::BudgetInput;
use crate::aggregate::transfers;
use crate::config::Config;
use crate::format;
use crate::model::Part;
use crate::present::table::{PrintedRow, PrintedTable};
use crate::words::{Phrase, Words};

/// The opening summary of a report with both parts: each part's balance per year, exact, and
/// each transfer between them per year.
#[derive(Debug, Clone, Serialize)]
pub struct TransfersView {
    /// Per year: drift's and investering's balance (sum of all lines), exact kroner.
    pub(crate) balances: Vec<PartBalances>,
    /// The same as printed tables, exact kroner: balances per year, and (when checked) each
    /// transfer per year.
    pub(crate) balance_table: PrintedTable,
    pub(crate) transfer_table: Option<PrintedTable>,
    /// Whether some transfer differs (only possible when the report accepts it).
    pub(crate) differs: bool,
    /// Whether the transfers could be checked, and if not, why: "no_mapping" (no KOSTRA
    /// folder) or "no_kostra_art" (a profile without KOSTRA art).
    pub checked: bool,
    pub(crate) not_checked: &'static str,
    pub rows: Vec<TransferRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartBalances {
    pub year: i32,
    pub drift: Decimal,
    pub investering: Decimal,
}

/// One transfer in one year: what drift sends, what investering receives (both as positive
/// amounts), and the difference (zero when they agree).
#[derive(Debug, Clone, Serialize)]
pub struct TransferRow {
    pub name: String,
    pub year: i32,
    pub(crate) drift_art: String,
    pub(crate) investering_art: String,
    pub(crate) sent: Decimal,
    pub(crate) received: Decimal,
    pub(crate) difference: Decimal,
}

/// The opening summary of a report with both parts.
pub(super) fn transfers_view(
    input: &BudgetInput<'_>,
    status: &transfers::Status,
    config: &Config,
) -> TransfersView {
    let balance = |part: Part, year: i32| {
        input
            .parts
            .iter()
            .find(|p| p.part == part)
            .and_then(|p| p.totals.by_year.get(&year))
            .map(|f| f.net)
            .unwrap_or_default()
    };
    let balances: Vec<PartBalances> = config
        .plan
        .years()
        .map(|year| PartBalances {
            year,
            drift: balance(Part::Drift, year),
            investering: balance(Part::Investering, year),
        })
        .collect();
    let (checked, not_checked, rows) = transfer_rows(status, &config.words.language);
    let w = &config.words;
    let differs = rows.iter().any(|r: &TransferRow| !r.difference.is_zero());
    TransfersView {
        balance_table: balance_table(&balances),
        transfer_table: transfer_table(&rows, w),
        balances,
        differs,
        checked,
        not_checked,
        rows,
    }
}

/// Whether the transfers were checked, why not ("no_mapping", "no_kostra_art"), and a row
/// per transfer and year (named in the report's language) with what drift sends and
/// investering receives.
fn transfer_rows(
    status: &transfers::Status,
    language: &str,
) -> (bool, &'static str, Vec<TransferRow>) {
    match status {
        transfers::Status::Checked(list) => (
            true,
            "",
            list.iter()
                .flat_map(|t| {
                    t.by_year
                        .iter()
                        .map(|(&year, &(sent, received))| TransferRow {
                            name: t.pair.name_in(language).to_string(),
                            year,
                            drift_art: format!("{:03}", t.pair.drift_art),
                            investering_art: format!("{:03}", t.pair.investering_art),
                            sent,
                            received: -received,
                            difference: t.difference(year),
                        })
                })
                .collect(),
        ),
        transfers::Status::NotChecked(why) => (
            false,
            match why {
                transfers::NotChecked::NoMapping => "no_mapping",
                transfers::NotChecked::NoKostraArt(_) => "no_kostra_art",
            },
            Vec::new(),
        ),
        transfers::Status::OnePart => (true, "", Vec::new()),
    }
}

/// Exact kroner, as the balance is printed elsewhere.
fn exact(v: Decimal) -> String {
    format::number(v, v.normalize().scale().min(2))
}

/// The two parts' balances side by side, per year.
fn balance_table(balances: &[PartBalances]) -> PrintedTable {
    PrintedTable {
        caption: Phrase::new("transfers.balance_caption"),
        columns: vec![
            Phrase::new("table.year").into(),
            Phrase::new("transfers.drift").into(),
            Phrase::new("transfers.investering").into(),
        ],
        rows: balances
            .iter()
            .map(|b: &PartBalances| PrintedRow {
                label: b.year.to_string(),
                cells: vec![exact(b.drift), exact(b.investering)],
                strong: false,
            })
            .collect(),
        total: None,
        notes: Vec::new(),
    }
}

/// The transfers as sent and received and their difference; none when there are none.
fn transfer_table(rows: &[TransferRow], w: &Words) -> Option<PrintedTable> {
    (!rows.is_empty()).then(|| PrintedTable {
        caption: Phrase::new("transfers.caption"),
        columns: vec![
            Phrase::new("transfers.transfer").into(),
            Phrase::new("transfers.sent").into(),
            Phrase::new("transfers.received").into(),
            Phrase::new("table.deviation").into(),
        ],
        rows: rows
            .iter()
            .map(|r| PrintedRow {
                label: w.fill(
                    "transfers.row",
                    &[
                        ("name", &r.name),
                        ("year", &r.year.to_string()),
                        ("drift_art", &r.drift_art),
                        ("investering_art", &r.investering_art),
                    ],
                ),
                cells: vec![exact(r.sent), exact(r.received), exact(r.difference)],
                strong: false,
            })
            .collect(),
        total: None,
        notes: Vec::new(),
    })
}
