//! The disposisjonsfond at the end of a year for the key figures (issue 26): the balance of
//! kapittel 51 in a KOSTRA balance file of that year, or of an earlier year rolled forward
//! through the drift part's history columns of the years between (each side's § 5-4 row 20,
//! net allocations to and use of the fund, the row the plan years add). A year between with
//! no history column is a gap the budget cannot fill: the fund is then not known.

use rust_decimal::Decimal;

use crate::model::kostra::BalanceSheet;
use crate::words::Phrase;

/// The kapittel of the disposisjonsfond in a KOSTRA balance file (skjema 0B, 0D; SSB's list
/// of kapitler, statisticsnorway/kostra-kontrollprogram).
pub(super) const FUND_KAPITTEL: &str = "51";

/// § 5-4 row 20 of a drift history column: its year, its label and the exact sum.
#[derive(Clone)]
pub(super) struct SideChange {
    pub(super) year: i32,
    pub(super) label: String,
    pub(super) change: Decimal,
}

/// The fund at the end of a year: the balance file's figure and the history columns' changes
/// that bring it to the year (none when the file is of the year itself).
pub(super) struct Opening<'a> {
    pub(super) sheet: &'a BalanceSheet,
    /// Kapittel 51 at the end of the sheet's year, positive.
    pub(super) balance: Decimal,
    /// The history columns rolled through, in year order.
    pub(super) rolled: Vec<SideChange>,
}

impl Opening<'_> {
    /// The fund at the end of the year: the balance plus every change rolled through.
    pub(super) fn amount(&self) -> Decimal {
        self.rolled
            .iter()
            .fold(self.balance, |fund, side| fund.saturating_add(side.change))
    }
}

/// The fund at the end of `year`: from a balance file of that year, or else from the latest
/// earlier one rolled forward when a history column (the first listed of its year) covers
/// every year between; otherwise why it is not known.
pub(super) fn fund_through<'a>(
    sheets: &'a [BalanceSheet],
    sides: &[SideChange],
    year: i32,
) -> Result<Opening<'a>, Phrase> {
    let missing = match fund_at(sheets, year) {
        Ok((sheet, balance)) => {
            let rolled = Vec::new();
            return Ok(Opening {
                sheet,
                balance,
                rolled,
            });
        }
        Err(missing) => missing,
    };
    // The latest earlier balance the fund can be read from (a quarter's or another skjema's
    // balance does not stop the roll-forward from an earlier year's end).
    let earlier = sheets
        .iter()
        .filter(|s| is_year_end_balance(s))
        .map(|s| s.header.year)
        .filter(|y| *y < year)
        .max()
        .ok_or_else(|| missing.clone())?;
    let Ok((sheet, balance)) = fund_at(sheets, earlier) else {
        return Err(missing);
    };
    let rolled: Option<Vec<SideChange>> = (earlier + 1..=year)
        .map(|y| sides.iter().find(|s| s.year == y).cloned())
        .collect();
    match rolled {
        Some(rolled) => Ok(Opening {
            sheet,
            balance,
            rolled,
        }),
        None => Err(missing),
    }
}

/// A balance file the fund is read from: the municipality's own (0B, 0D) at a year's end,
/// not a quarter's.
fn is_year_end_balance(sheet: &BalanceSheet) -> bool {
    matches!(sheet.header.skjema.code, "0B" | "0D") && sheet.header.quarter.is_none()
}

/// The disposisjonsfond at the end of `year` (positive: SSB has funds negative) from the
/// balance file of the kommunekasse or fylkeskasse (0B, 0D) for that year.
fn fund_at(sheets: &[BalanceSheet], year: i32) -> Result<(&BalanceSheet, Decimal), Phrase> {
    let of_kommunekasse = |s: &&BalanceSheet| is_year_end_balance(s);
    let Some(sheet) = sheets
        .iter()
        .filter(of_kommunekasse)
        .find(|s| s.header.year == year)
    else {
        // A balance of another year is not rolled forward: the years between are not in
        // the budget.
        return Err(match sheets.iter().find(of_kommunekasse) {
            Some(other) => Phrase::new("key_figures.missing_balance_year")
                .with("file", crate::load::export::short_name(&other.file))
                .with("found", other.header.year.to_string())
                .with("year", year.to_string()),
            None => Phrase::new("key_figures.missing_balance").with("year", year.to_string()),
        });
    };
    let sums = sheet.by_kapittel();
    let fund = sums.get(FUND_KAPITTEL).ok_or_else(|| {
        Phrase::new("key_figures.missing_kapittel")
            .with("file", crate::load::export::short_name(&sheet.file))
            .with("year", year.to_string())
            .with("kapittel", FUND_KAPITTEL)
    })?;
    Ok((sheet, -*fund))
}
