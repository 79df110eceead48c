//! History columns (issue 26): versions of earlier years (the accounts two years back, last
//! year's adopted budget) printed as columns before the plan years in the net per group, the
//! details and the statutory overviews. This room fixes each side's printed figures once, as
//! [`super::context`] fixes the plan years', from that context (which knows nothing of the
//! history): every later reader of a history figure (a table, `explain`, a key-figures page)
//! takes it from a [`Side`] of the part's [`History`].
//!
//! A row is a code, as in a comparison ([`crate::present::compare::row_key`]): a KOSTRA file
//! names a funksjon by its code only, an export by code and name, and both are one row. A
//! group or detail without lines on a side prints 0 there, and a note under the table says so.
//! Each side's column foots by the report's footing rule, groups first, the details of a group
//! then to the group's printed figure on that side.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use crate::aggregate::ledger::{Flow, LedgerTotals};
use crate::aggregate::statutory::OverviewTotals;
use crate::present::compare::{plus, row_key};
use crate::present::table::{column, group_key, label};
use crate::summed_budget::HistorySide;
use crate::words::Phrase;

/// One history column of a part, with its printed figures fixed.
pub(crate) struct Side<'a> {
    /// The column's head, as the report names it.
    pub(crate) label: &'a str,
    /// The version as the sources name it, and its year.
    pub(crate) version: &'a str,
    pub(crate) year: i32,
    /// The version's sums over the part's lines, grouped as the part.
    totals: &'a LedgerTotals,
    /// The side's statutory overviews, in the order of the part's own.
    pub(crate) statutory: &'a [OverviewTotals],
    /// The side's group values → the row (a group value of the report) they are printed in.
    row_of: BTreeMap<u32, u32>,
    /// The side's exact sums per row, in its year; a row without lines has none.
    flows: BTreeMap<u32, Flow>,
    /// The printed net per row, footed to `total_shown`.
    shown: BTreeMap<u32, Decimal>,
    pub(crate) total_shown: Decimal,
    /// Whether footing moved a figure off its plain rounding.
    pub(crate) note: bool,
}

/// What the template and `explain` read of a history column: its head, version and year.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryColumn {
    pub label: String,
    pub version: String,
    pub year: i32,
}

impl Side<'_> {
    /// The printed net of a row (0 where the side has no lines).
    pub(crate) fn net_shown(&self, row: u32) -> Decimal {
        self.shown.get(&row).copied().unwrap_or_default()
    }

    /// The exact net of a row (0 where the side has no lines).
    pub(crate) fn net_exact(&self, row: u32) -> Decimal {
        self.flows.get(&row).map_or(Decimal::ZERO, |f| f.net)
    }

    /// The row a group value of the side is printed in.
    pub(super) fn row_of(&self, group: u32) -> u32 {
        self.row_of.get(&group).copied().unwrap_or(group)
    }

    /// Whether the side has lines in a row.
    pub(super) fn has(&self, row: u32) -> bool {
        self.flows.contains_key(&row)
    }

    /// The side's details of a group row in its year, keyed by their row key: the side's
    /// value (the first of the key) and the exact sums.
    pub(super) fn details(
        &self,
        ctx: &Context<'_>,
        role: usize,
        row: u32,
    ) -> BTreeMap<String, (u32, Flow)> {
        let mut details: BTreeMap<String, (u32, Flow)> = BTreeMap::new();
        for (&(g, d), per_year) in &self.totals.by_detail {
            let Some(flow) = per_year.get(&self.year) else {
                continue;
            };
            if self.row_of.get(&g) != Some(&row) {
                continue;
            }
            let entry = details
                .entry(row_key(ctx.ledger, role, d))
                .or_insert((d, Flow::default()));
            entry.1 = plus(entry.1, flow);
        }
        details
    }

    /// What the template and `explain` read of this column.
    pub(super) fn column(&self) -> HistoryColumn {
        HistoryColumn {
            label: self.label.to_string(),
            version: self.version.to_string(),
            year: self.year,
        }
    }
}

/// The history columns of a part with their figures fixed, built on the part's context (the
/// plan years' figures), and the rows of the tables that print them.
pub(crate) struct History<'a> {
    /// One per `budget.history` side, in the report's order; none without history.
    pub(crate) sides: Vec<Side<'a>>,
    /// The groups shown, and any group only a side has lines for (printed as 0 in the plan
    /// years), in the organisation's order. Without history, the groups shown.
    pub(crate) rows: Vec<u32>,
}

impl<'a> History<'a> {
    /// The part's history columns with their figures fixed.
    pub(super) fn of(ctx: &Context<'_>, history: &'a [HistorySide]) -> History<'a> {
        let (sides, rows) = sides(ctx, history);
        History { sides, rows }
    }

    /// Whether the report names no history column.
    pub(super) fn is_empty(&self) -> bool {
        self.sides.is_empty()
    }
}

/// The sides of [`History`] and its rows.
fn sides<'a>(ctx: &Context<'_>, history: &'a [HistorySide]) -> (Vec<Side<'a>>, Vec<u32>) {
    if history.is_empty() {
        return (Vec::new(), ctx.group_ids.clone());
    }
    let role = ctx.group_role;
    // A row per key: the report's groups first (those shown, then the hidden ones).
    let mut row_by_key: BTreeMap<String, u32> = BTreeMap::new();
    for &g in ctx.group_ids.iter().chain(ctx.totals.by_group.keys()) {
        row_by_key.entry(row_key(ctx.ledger, role, g)).or_insert(g);
    }
    let mut sides: Vec<Side<'a>> = history
        .iter()
        .map(|h| {
            let (year, totals) = (h.sums.year, &h.sums.totals);
            let mut row_of = BTreeMap::new();
            let mut flows: BTreeMap<u32, Flow> = BTreeMap::new();
            for (&g, per_year) in &totals.by_group {
                let row = *row_by_key.entry(row_key(ctx.ledger, role, g)).or_insert(g);
                row_of.insert(g, row);
                if let Some(flow) = per_year.get(&year) {
                    let sum = flows.entry(row).or_default();
                    *sum = plus(*sum, flow);
                }
            }
            Side {
                label: &h.sums.side.label,
                version: &h.sums.side.version,
                year,
                totals,
                statutory: &h.statutory,
                row_of,
                flows,
                shown: BTreeMap::new(),
                total_shown: Decimal::ZERO,
                note: false,
            }
        })
        .collect();
    let shown: BTreeSet<u32> = ctx.group_ids.iter().copied().collect();
    let zero = |f: &Flow| f.expense.is_zero() && f.income.is_zero();
    let mut rows = ctx.group_ids.clone();
    let extra: BTreeSet<u32> = sides
        .iter()
        .flat_map(|s| s.flows.iter())
        .filter(|(row, flow)| !(shown.contains(row) || ctx.hide_zero_rows && zero(flow)))
        .map(|(row, _)| *row)
        .collect();
    if !extra.is_empty() {
        rows.extend(extra);
        rows.sort_by_cached_key(|&g| group_key(ctx.words, ctx.group_order, ctx.ledger, role, g));
    }
    for (index, side) in sides.iter_mut().enumerate() {
        let values: Vec<Decimal> = rows.iter().map(|&r| side.net_exact(r)).collect();
        // A sector's column foots to the whole report's figure for the sector on this side.
        let target = ctx.sector.and_then(|s| s.history.get(index).copied());
        let (figures, total, note) = column(&values, &ctx.unit, ctx.footing, target);
        side.shown = rows.iter().copied().zip(figures).collect();
        side.total_shown = total;
        side.note = note;
    }
    (sides, rows)
}

/// The notes under a table with history columns whose rows lack lines somewhere: per side,
/// the rows it has no lines for (printed as 0 in its column), and the rows only the history
/// has (printed as 0 in the plan years). `rows` are (label, lines per side, lines in the
/// plan years).
pub(super) fn missing_notes(sides: &[Side<'_>], rows: &[(String, Vec<bool>, bool)]) -> Vec<Phrase> {
    let mut notes = Vec::new();
    for (i, side) in sides.iter().enumerate() {
        let missing: Vec<&str> = rows
            .iter()
            .filter(|(_, on_side, _)| !on_side[i])
            .map(|(l, ..)| l.as_str())
            .collect();
        if !missing.is_empty() {
            notes.push(
                Phrase::new("history.missing_note")
                    .with("label", side.label)
                    .with("list", missing.join("; ")),
            );
        }
    }
    let only: Vec<&str> = rows
        .iter()
        .filter(|(_, _, in_plan)| !in_plan)
        .map(|(l, ..)| l.as_str())
        .collect();
    if !only.is_empty() {
        notes.push(Phrase::new("history.only_note").with("list", only.join("; ")));
    }
    notes
}

/// The groups a side has no lines for, and those only it has, as `check` warns of them: per
/// side, its label, the groups it lacks and the groups only it has (by their labels).
pub(crate) fn one_sided_groups(
    words: &crate::words::Words,
    ledger: &crate::model::ledger::Ledger,
    group_role: usize,
    plan: &LedgerTotals,
    years: &[i32],
    history: &[HistorySide],
) -> Vec<(String, Vec<String>, Vec<String>)> {
    let keys = |totals: &LedgerTotals, in_years: &dyn Fn(&BTreeMap<i32, Flow>) -> bool| {
        totals
            .by_group
            .iter()
            .filter(|(_, per_year)| in_years(per_year))
            .map(|(&g, _)| {
                let (code, name) = ledger.name_of(group_role, g, words);
                (row_key(ledger, group_role, g), label(&code, &name))
            })
            .collect::<BTreeMap<String, String>>()
    };
    let planned = keys(plan, &|m| years.iter().any(|y| m.contains_key(y)));
    history
        .iter()
        .map(|h| {
            let side = keys(&h.sums.totals, &|m| m.contains_key(&h.sums.year));
            let only = |this: &BTreeMap<String, String>, other: &BTreeMap<String, String>| {
                this.iter()
                    .filter(|(k, _)| !other.contains_key(*k))
                    .map(|(_, l)| l.clone())
                    .collect::<Vec<_>>()
            };
            (
                h.sums.side.label.clone(),
                only(&planned, &side),
                only(&side, &planned),
            )
        })
        .collect()
}

/// The details of a group row with history columns: the rows (each detail's value and its
/// index among the plan's details, none for a detail only the history has), each side's
/// printed column (footed to the group's figure on that side), whether footing moved a
/// figure, and what the notes on rows printed as 0 read.
pub(super) struct DetailColumns {
    pub(super) rows: Vec<(u32, Option<usize>)>,
    pub(super) columns: Vec<BTreeMap<u32, Decimal>>,
    pub(super) note: bool,
    pub(super) presence: Vec<(String, Vec<bool>, bool)>,
}

/// The details of group row `g`: the plan's (`planned`, in order) and those only a side
/// has, keyed by code; without history, the plan's alone.
pub(super) fn detail_columns(
    ctx: &Context<'_>,
    history: &History<'_>,
    role: usize,
    g: u32,
    planned: &[u32],
) -> DetailColumns {
    let mut rows: Vec<(u32, Option<usize>)> = planned
        .iter()
        .enumerate()
        .map(|(i, &d)| (d, Some(i)))
        .collect();
    if history.is_empty() {
        let (columns, presence) = (Vec::new(), Vec::new());
        return DetailColumns {
            rows,
            columns,
            note: false,
            presence,
        };
    }
    let on_sides: Vec<BTreeMap<String, (u32, Flow)>> = history
        .sides
        .iter()
        .map(|s| s.details(ctx, role, g))
        .collect();
    let mut keys: BTreeSet<String> = planned
        .iter()
        .map(|&d| row_key(ctx.ledger, role, d))
        .collect();
    let zero = |f: &Flow| f.expense.is_zero() && f.income.is_zero();
    for side in &on_sides {
        for (key, (d, flow)) in side {
            if !(ctx.hide_zero_rows && zero(flow)) && keys.insert(key.clone()) {
                rows.push((*d, None));
            }
        }
    }
    rows.sort_by_cached_key(|&(d, _)| ctx.ledger.order_key(role, d, ctx.words));
    let mut note = false;
    let columns = history
        .sides
        .iter()
        .zip(&on_sides)
        .map(|(side, details)| {
            let exact = |d: u32| {
                details
                    .get(&row_key(ctx.ledger, role, d))
                    .map_or(Decimal::ZERO, |(_, f)| f.net)
            };
            let values: Vec<Decimal> = rows.iter().map(|&(d, _)| exact(d)).collect();
            let target = Some(side.net_shown(g));
            let (figures, _, moved) = column(&values, &ctx.unit, ctx.footing, target);
            note |= moved;
            rows.iter().map(|&(d, _)| d).zip(figures).collect()
        })
        .collect();
    let presence = rows
        .iter()
        .map(|&(d, plan_index)| {
            let key = row_key(ctx.ledger, role, d);
            let (code, name) = ctx.ledger.name_of(role, d, ctx.words);
            let in_plan = plan_index.is_some_and(|_| {
                ctx.totals
                    .by_detail
                    .get(&(g, d))
                    .is_some_and(|m| ctx.years.iter().any(|y| m.contains_key(y)))
            });
            let on_side = on_sides.iter().map(|s| s.contains_key(&key)).collect();
            (label(&code, &name), on_side, in_plan)
        })
        .collect();
    DetailColumns {
        rows,
        columns,
        note,
        presence,
    }
}
