//! The shared context of a part's tables: the ledger and its sums, the unit, the years, the
//! groups shown in the organisation's order, and the one place a printed figure is fixed: each
//! group's net per year, footed to the printed total, which every table that shows a group's
//! net prints. The plan years only: the history columns are fixed from this context, above it
//! ([`super::history`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{BudgetInput, PartInput};
use crate::aggregate::ledger::{Flow, LedgerTotals};
use crate::config::Config;
use crate::format;
use crate::format::{Footing, Unit};
use crate::model::Part;
use crate::model::ledger::Ledger;
use crate::present::table::{change_percent, column, group_key, label};
use crate::words::{Phrase, Words};

/// What every table of the budget view shares: the ledger and its sums, the unit, the years,
/// the groups shown and their printed net figures (fixed once, so that every table prints a
/// group's net the same).
pub(super) struct Context<'a> {
    pub(super) words: &'a Words,
    pub(super) ledger: &'a Ledger,
    pub(super) totals: &'a LedgerTotals,
    pub(super) unit: Unit,
    pub(super) footing: Footing,
    pub(super) years: Vec<i32>,
    pub(super) span: String,
    pub(super) version: String,
    /// The unit sentence of the captions: the unit and the price basis.
    pub(super) unit_caption: Phrase,
    pub(super) group_role: usize,
    pub(super) group_label: String,
    pub(super) prices: Option<&'a (i32, BTreeMap<i32, Decimal>)>,
    /// The groups shown, in the organisation's order.
    pub(super) group_ids: Vec<u32>,
    pub(super) hide_zero_rows: bool,
    pub(super) group_order: &'a crate::config::GroupOrder,
    /// The printed net of each (group, year), and of each year's total.
    pub(super) group_shown: BTreeMap<(u32, i32), Decimal>,
    pub(super) net_total_shown: Vec<Decimal>,
    pub(super) net_note: bool,
    /// A sector's report: the whole report's printed figures for the sector in this part,
    /// which the columns foot to (else each column foots to its rounded exact total).
    pub(super) sector: Option<&'a super::input::PartTotals>,
}

impl Context<'_> {
    /// Current kroner of `year` in the report's price basis.
    pub(super) fn priced(&self, year: i32, kroner: Decimal) -> Decimal {
        match self.prices {
            Some((_, index)) => index
                .get(&year)
                .map_or(kroner, |i| crate::aggregate::prices::to_fixed(kroner, *i)),
            None => kroner,
        }
    }

    pub(super) fn flow(&self, per_year: Option<&BTreeMap<i32, Flow>>, year: i32) -> Flow {
        let f = per_year
            .and_then(|m| m.get(&year))
            .copied()
            .unwrap_or_default();
        Flow {
            expense: self.priced(year, f.expense),
            income: self.priced(year, f.income),
            net: self.priced(year, f.net),
        }
    }

    /// The printed net of a group in a plan year (0 for a row only the history has).
    pub(super) fn shown(&self, group: u32, year: i32) -> Decimal {
        self.group_shown
            .get(&(group, year))
            .copied()
            .unwrap_or_default()
    }

    pub(super) fn print(&self, shown: Decimal) -> String {
        self.unit.print(shown)
    }

    pub(super) fn group_row_label(&self, g: u32) -> String {
        let (code, name) = self.ledger.name_of(self.group_role, g, self.words);
        label(&code, &name)
    }

    /// A change from `before` to `after` (exact) in percent of |before|; a dash when
    /// `before` is less than one printed unit, where a percentage would describe a residue.
    pub(super) fn change_percent(&self, before: Decimal, after: Decimal) -> String {
        change_percent(&self.unit, before, after)
    }

    /// Whether every line of these sums is zero in every plan year.
    pub(super) fn all_zero(&self, per_year: Option<&BTreeMap<i32, Flow>>) -> bool {
        self.years.iter().all(|&y| {
            let f = per_year
                .and_then(|m| m.get(&y))
                .copied()
                .unwrap_or_default();
            f.expense.is_zero() && f.income.is_zero()
        })
    }
}

/// What every table of a part reads: its words, sums, unit, years and groups (in the
/// organisation's order; with hide_zero_rows, none whose every line is zero), with the
/// groups' printed figures fixed. Also returns how many groups were hidden.
pub(super) fn part_context<'a>(
    input: &BudgetInput<'a>,
    part: &PartInput<'a>,
    config: &'a Config,
) -> (Context<'a>, usize) {
    let BudgetInput {
        ledger,
        section,
        prices,
        ..
    } = *input;
    let totals = part.totals;
    let presentation = section.presentation;
    let (group_by, _) = section.grouping(part.part == Part::Investering);
    let group_role = group_by.index();
    let w = &config.words;
    let unit = presentation.unit;
    let unit_caption = match prices {
        Some((base, _)) => Phrase::new("unit.fixed_prices")
            .with("unit", unit.phrase())
            .with("year", base.to_string()),
        None => Phrase::new("unit.current_prices").with("unit", unit.phrase()),
    };
    let mut ctx = Context {
        words: w,
        ledger,
        totals,
        unit,
        footing: presentation.footing,
        years: config.plan.years().collect(),
        span: format::years(w, Some(config.plan.first), Some(config.plan.last)),
        version: section
            .version_of(part.part == Part::Investering)
            .to_string(),
        unit_caption,
        group_role,
        group_label: ledger
            .dimension_label(group_role, w)
            .unwrap_or_else(|| w.get("table.group").into()),
        prices,
        group_ids: Vec::new(),
        hide_zero_rows: section.hide_zero_rows,
        group_order: &section.group_order,
        group_shown: BTreeMap::new(),
        net_total_shown: Vec::new(),
        net_note: false,
        sector: input.sector.and_then(|s| s.of(part.part)),
    };
    // Groups in code order; with hide_zero_rows, none whose every line is zero.
    let mut group_ids: Vec<u32> = totals
        .by_group
        .iter()
        .filter(|(_, per_year)| !ctx.hide_zero_rows || !ctx.all_zero(Some(per_year)))
        .map(|(g, _)| *g)
        .collect();
    group_ids.sort_by_cached_key(|&g| group_key(w, &section.group_order, ledger, group_role, g));
    let hidden_groups = totals.by_group.len() - group_ids.len();
    ctx.group_ids = group_ids;
    fix_group_figures(&mut ctx);
    (ctx, hidden_groups)
}

/// Fixes the printed net of every group and year: each year's column foots to its rounded
/// total (a sector's to the whole report's figure for it). Every table that shows a group's
/// net prints these figures.
fn fix_group_figures(ctx: &mut Context<'_>) {
    for &year in &ctx.years {
        let values: Vec<Decimal> = ctx
            .group_ids
            .iter()
            .map(|g| ctx.flow(ctx.totals.by_group.get(g), year).net)
            .collect();
        let target = ctx.sector.and_then(|s| s.plan.get(&year).copied());
        let (shown, total, note) = column(&values, &ctx.unit, ctx.footing, target);
        ctx.net_note |= note;
        for (g, s) in ctx.group_ids.iter().zip(shown) {
            ctx.group_shown.insert((*g, year), s);
        }
        ctx.net_total_shown.push(total);
    }
}
