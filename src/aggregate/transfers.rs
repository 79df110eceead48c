//! Transfers between the operating and the investment budget, which only a report that sees
//! both can check: what drift sends (e.g. KOSTRA art 570, overføring til investering) must be
//! what investering receives (art 970, overføring fra drift), year by year.
//!
//! The pairs are data, `transfers.csv` in the KOSTRA mapping folder, like the statutory rows.
//! Amounts keep the ledger sign, so drift's expense and investering's income of one transfer
//! add up to exactly zero when the two budgets agree.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::AggregateError;
use super::kostra_table::{self, Columns};
use crate::error::DataError;
use crate::model::ledger::{Ledger, NONE};

/// One pair of arts that carry the same money out of one part and into the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TransferPair {
    /// What the report calls it, e.g. "Overføring fra drift til investering".
    pub name: String,
    /// Its name in other languages: the file's `name_<language>` columns (`name_nn`), by
    /// language code; an empty cell is no name.
    pub names: BTreeMap<String, String>,
    pub(crate) drift_art: u16,
    pub(crate) investering_art: u16,
}

impl TransferPair {
    /// The pair's name in `language`: its own column for that language where the file has
    /// one, otherwise the `name` column.
    pub(crate) fn name_in(&self, language: &str) -> &str {
        self.names.get(language).map_or(&self.name, String::as_str)
    }
}

/// A pair's sums per year on each side, and where its lines are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Transfer {
    pub(crate) pair: TransferPair,
    /// Year → (drift's sum, investering's sum), ledger sign.
    pub by_year: BTreeMap<i32, (Decimal, Decimal)>,
    /// The first line on each side: (source, line).
    pub(crate) first_drift: Option<(u16, u32)>,
    pub(crate) first_investering: Option<(u16, u32)>,
}

impl Transfer {
    /// Per year, what the two sides fail to agree by (zero when they agree).
    pub(crate) fn difference(&self, year: i32) -> Decimal {
        self.by_year
            .get(&year)
            .map_or(Decimal::ZERO, |(d, i)| d.saturating_add(*i))
    }
}

/// The transfers between the parts of a report: checked, or why they could not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    /// The report has one part only.
    OnePart,
    /// Both parts, but the transfers cannot be told apart.
    NotChecked(NotChecked),
    /// Both parts; the pairs as summed (agreeing, or accepted by the report).
    Checked(Vec<Transfer>),
}

/// Why the transfers of a report with both parts could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotChecked {
    /// The report names no KOSTRA mapping folder, so the transfer arts are not known.
    NoMapping,
    /// This profile does not say its art is a KOSTRA art.
    NoKostraArt(std::path::PathBuf),
}

/// The columns of `transfers.csv`; `verified` and `note` are the research's own marks.
const COLUMNS: Columns = Columns {
    known: &["name", "drift_art", "investering_art", "verified", "note"],
    optional: &["verified", "note"],
    names: true,
};

/// Reads the transfer pairs from `folder/transfers.csv`.
pub(crate) fn load(folder: &Path) -> Result<Vec<TransferPair>, DataError> {
    let what = crate::msg!("transfers.table_name");
    let table = kostra_table::read(
        folder,
        "transfers.csv",
        (&what, "transfers.unreadable"),
        &COLUMNS,
    )?;
    let (c_name, c_drift, c_inv) = (
        table.column("name"),
        table.column("drift_art"),
        table.column("investering_art"),
    );
    let c_names: Vec<(usize, String)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(c, h)| Some((c, h.strip_prefix("name_")?.to_string())))
        .collect();
    let path = &table.path;
    let mut pairs = Vec::new();
    for (line, record) in &table.records {
        let line = *line;
        let art = |i: usize| {
            record
                .get(i)
                .and_then(|a| a.parse::<u16>().ok())
                .filter(|a| *a <= 999)
                .ok_or_else(|| DataError::new(path, crate::msg!("transfers.bad_art")).at_line(line))
        };
        pairs.push(TransferPair {
            name: record.get(c_name).unwrap_or_default().to_string(),
            names: c_names
                .iter()
                .filter_map(|(c, language)| {
                    let name = record.get(*c).filter(|n| !n.is_empty())?;
                    Some((language.clone(), name.to_string()))
                })
                .collect(),
            drift_art: art(c_drift)?,
            investering_art: art(c_inv)?,
        });
    }
    Ok(pairs)
}

/// Sums each pair's lines: drift's art in the `drift` sources and version, investering's art
/// in the `investering` sources and version, in `years`.
pub(crate) fn compute(
    pairs: &[TransferPair],
    ledger: &Ledger,
    (drift, drift_version): (&[u16], u16),
    (investering, investering_version): (&[u16], u16),
    years: &[i32],
    art_role: usize,
) -> Result<Vec<Transfer>, AggregateError> {
    let mut transfers: Vec<Transfer> = pairs
        .iter()
        .map(|pair| Transfer {
            pair: pair.clone(),
            by_year: years
                .iter()
                .map(|y| (*y, (Decimal::ZERO, Decimal::ZERO)))
                .collect(),
            first_drift: None,
            first_investering: None,
        })
        .collect();
    for line in ledger.lines.iter().filter(|l| years.contains(&l.year)) {
        let is_drift = drift.contains(&line.source) && line.version == drift_version;
        let is_investering =
            investering.contains(&line.source) && line.version == investering_version;
        if !is_drift && !is_investering {
            continue;
        }
        let id = line.dims[art_role];
        let Some(start) = ledger
            .sources
            .get(usize::from(line.source))
            .and_then(|s| s.kostra_start[art_role])
        else {
            continue;
        };
        if id == NONE {
            continue;
        }
        let code = &ledger.dimensions[art_role].values[id as usize].code;
        let digits: String = code.chars().skip(start).take(3).collect();
        let Ok(art) = digits.parse::<u16>() else {
            continue;
        };
        for t in &mut transfers {
            let (side, first) = if is_drift && art == t.pair.drift_art {
                (0, &mut t.first_drift)
            } else if !is_drift && art == t.pair.investering_art {
                (1, &mut t.first_investering)
            } else {
                continue;
            };
            first.get_or_insert((line.source, line.line));
            let sums = t.by_year.entry(line.year).or_default();
            let cell = if side == 0 { &mut sums.0 } else { &mut sums.1 };
            *cell = cell
                .checked_add(line.amount)
                .ok_or_else(|| AggregateError {
                    what: crate::msg!("aggregate.in_transfer", name = t.pair.name),
                })?;
        }
    }
    Ok(transfers)
}
