//! Exact sums over the budget lines of real exports: per year and version, and per group
//! (e.g. tjenesteområde) and detail (e.g. tjeneste) for one version.
//!
//! Expenses are the sum of positive lines and income the sum of negative lines (income is
//! negative in the ledger); net is their sum. The net of all lines of a year is the budget's
//! balance, which kommuneloven § 14-4 wants to be zero; it is kept exact, never rounded.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::AggregateError;
use rustc_hash::FxHashMap;

use crate::model::ledger::{Ledger, NONE};

/// Expenses, income (negative) and net of a set of lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    pub expense: Decimal,
    pub income: Decimal,
    pub net: Decimal,
}

impl Flow {
    fn merge(&mut self, other: &Flow) -> Option<()> {
        self.expense = self.expense.checked_add(other.expense)?;
        self.income = self.income.checked_add(other.income)?;
        self.net = self.net.checked_add(other.net)?;
        Some(())
    }

    fn add(&mut self, amount: Decimal) -> Option<()> {
        if amount.is_sign_negative() {
            self.income = self.income.checked_add(amount)?;
        } else {
            self.expense = self.expense.checked_add(amount)?;
        }
        self.net = self.net.checked_add(amount)?;
        Some(())
    }
}

/// Sums of a ledger.
#[derive(Debug, Clone, Default)]
pub struct LedgerTotals {
    /// Every year and version in the data.
    pub by_year_version: BTreeMap<(i32, u16), Flow>,
    /// Per source, every year and version (for `check`).
    pub(crate) by_source: BTreeMap<(u16, i32, u16), Flow>,
    /// For the chosen version: per group value and year. Lines a source gave no value for
    /// are kept under [`crate::model::ledger::NONE`], so nothing is dropped.
    pub by_group: BTreeMap<u32, BTreeMap<i32, Flow>>,
    /// For the chosen version: per (group value, detail value) and year.
    pub(crate) by_detail: BTreeMap<(u32, u32), BTreeMap<i32, Flow>>,
    /// For the chosen version: all lines per year.
    pub by_year: BTreeMap<i32, Flow>,
}

/// Sums `ledger`; `group` and `detail` are role indices, `version` the version id for the
/// grouped sums (none: only the per-year-and-version sums).
pub fn aggregate(
    ledger: &Ledger,
    group: Option<usize>,
    detail: Option<usize>,
    version: Option<u16>,
) -> Result<LedgerTotals, AggregateError> {
    aggregate_sources(ledger, group, detail, version, None)
}

/// Sums the lines of some sources only (e.g. those of the operating budget), as
/// [`aggregate`] does; `None` sums every source.
pub(crate) fn aggregate_sources(
    ledger: &Ledger,
    group: Option<usize>,
    detail: Option<usize>,
    version: Option<u16>,
    sources: Option<&[u16]>,
) -> Result<LedgerTotals, AggregateError> {
    // One hash lookup per line into the finest cells needed (source, year, version, group,
    // detail); the few thousand cells are then folded into the ordered totals.
    let mut cells: FxHashMap<(u16, i32, u16, u32, u32), Flow> = FxHashMap::default();
    for line in ledger
        .lines
        .iter()
        .filter(|l| sources.is_none_or(|s| s.contains(&l.source)))
    {
        let g = group.map_or(NONE, |g| line.dims[g]);
        let d = detail.map_or(NONE, |d| line.dims[d]);
        let cell = cells
            .entry((line.source, line.year, line.version, g, d))
            .or_default();
        cell.add(line.amount)
            .ok_or_else(|| overflow(ledger, line.source, line.line))?;
    }
    let mut keys: Vec<_> = cells.keys().copied().collect();
    keys.sort_unstable();
    let mut totals = LedgerTotals::default();
    for key in keys {
        let (source, year, line_version, g, d) = key;
        let flow = cells[&key];
        let merge = |into: &mut Flow| into.merge(&flow).ok_or_else(|| overflow(ledger, source, 0));
        merge(
            totals
                .by_year_version
                .entry((year, line_version))
                .or_default(),
        )?;
        merge(
            totals
                .by_source
                .entry((source, year, line_version))
                .or_default(),
        )?;
        if Some(line_version) != version {
            continue;
        }
        merge(totals.by_year.entry(year).or_default())?;
        if group.is_some() {
            merge(
                totals
                    .by_group
                    .entry(g)
                    .or_default()
                    .entry(year)
                    .or_default(),
            )?;
            if detail.is_some() {
                merge(
                    totals
                        .by_detail
                        .entry((g, d))
                        .or_default()
                        .entry(year)
                        .or_default(),
                )?;
            }
        }
    }
    Ok(totals)
}

fn overflow(ledger: &Ledger, source: u16, line: u32) -> AggregateError {
    let file = ledger
        .sources
        .get(usize::from(source))
        .map_or_else(String::new, |s| s.file.display().to_string());
    AggregateError {
        what: if line > 0 {
            format!("{file}:{line}")
        } else {
            file
        },
    }
}

/// The change bridge: per change group, per year, the net of the lines of `sources` in `version` whose
/// group code is not in `exclude` (e.g. financing "under the line").
pub fn bridge(
    ledger: &Ledger,
    sources: &[u16],
    version: u16,
    change_role: usize,
    group_role: usize,
    exclude: &[String],
) -> Result<BTreeMap<u32, BTreeMap<i32, Decimal>>, AggregateError> {
    let mut sums: BTreeMap<u32, BTreeMap<i32, Decimal>> = BTreeMap::new();
    for line in ledger
        .lines
        .iter()
        .filter(|l| l.version == version && sources.contains(&l.source))
    {
        let group = line.dims[group_role];
        let code = ledger.dimensions[group_role]
            .values
            .get(group as usize)
            .map(|v| v.code.as_str());
        if code.is_some_and(|c| exclude.iter().any(|e| e == c)) {
            continue;
        }
        let cell = sums
            .entry(line.dims[change_role])
            .or_default()
            .entry(line.year)
            .or_default();
        *cell = cell
            .checked_add(line.amount)
            .ok_or_else(|| AggregateError {
                what: crate::msg!("aggregate.in_bridge", line = line.line),
            })?;
    }
    Ok(sums)
}
