//! The printed figures a sector's prose cites ([`crate::prose`]): each group's net per plan
//! year exactly as the tables print it, read from the one context that fixes it (never
//! recomputed), with the unit that prints it. And the whole report's printed figures a
//! sector's report (`render --each`) foots its columns to, so that it prints them too.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::history::History;
use super::input::{BudgetInput, PartTotals, SectorTotals};
use super::part_context;
use crate::config::{BudgetSection, Config};
use crate::format::Unit;
use crate::model::Part;
use crate::summed_budget::SummedBudget;

/// The printed net of every group of the part the prose speaks of (drift when the report has
/// it, else its only part).
pub(crate) struct GroupFigures {
    /// `drift` or `investering`.
    pub(crate) part: &'static str,
    /// The unit the tables print in.
    pub(crate) unit: Unit,
    /// The plan years.
    pub(crate) years: Vec<i32>,
    /// Each shown group, in the tables' order.
    pub(crate) groups: Vec<GroupFigure>,
}

/// One group's printed figures.
pub(crate) struct GroupFigure {
    pub(crate) code: String,
    /// Its code and name as the tables' rows print them.
    pub(crate) heading: String,
    /// Its printed net per plan year, in the unit.
    pub(crate) net: BTreeMap<i32, Decimal>,
}

impl GroupFigures {
    /// The printed net of the group `code` in `year`, as the tables show it (in the unit).
    pub(crate) fn net(&self, code: &str, year: i32) -> Option<Decimal> {
        self.groups
            .iter()
            .find(|g| g.code == code)
            .and_then(|g| g.net.get(&year).copied())
    }
}

/// The printed figures of the budget's prose part; `None` when the budget has no part.
pub(crate) fn group_figures(
    budget: &SummedBudget,
    section: &BudgetSection,
    config: &Config,
) -> Option<GroupFigures> {
    let input = BudgetInput::new(budget, section);
    let part = input
        .parts
        .iter()
        .find(|p| p.part == Part::Drift)
        .or(input.parts.first())?;
    let (ctx, _) = part_context(&input, part, config);
    let groups = ctx
        .group_ids
        .iter()
        .map(|&g| {
            let (code, name) = ctx.ledger.name_of(ctx.group_role, g, ctx.words);
            let net = ctx
                .years
                .iter()
                .map(|&y| (y, ctx.group_shown[&(g, y)]))
                .collect();
            GroupFigure {
                heading: crate::present::table::label(&code, &name),
                code,
                net,
            }
        })
        .collect();
    Some(GroupFigures {
        part: match part.part {
            Part::Drift => "drift",
            Part::Investering => "investering",
        },
        unit: ctx.unit,
        years: ctx.years.clone(),
        groups,
    })
}

/// The whole report's printed net of every group, per part, in the plan years and on each
/// history side, and its expenses and income per plan year: what a sector whose lines are one
/// group's (`render --each` by the dimension that groups the tables) foots its columns to, so
/// that the sector's report prints the whole report's figures for it.
pub(crate) struct WholeFigures {
    parts: Vec<WholePart>,
}

/// One part's printed group figures.
struct WholePart {
    part: Part,
    /// The dimension that groups the part's tables.
    group_role: usize,
    /// The printed net of each (group, plan year).
    plan: BTreeMap<(u32, i32), Decimal>,
    /// The printed expenses and income of each (group, plan year).
    flows: BTreeMap<(u32, i32), (Decimal, Decimal)>,
    /// Per history side, in the report's order: the printed net of each row (a group).
    sides: Vec<BTreeMap<u32, Decimal>>,
}

/// The whole report's printed group figures of every part.
pub(crate) fn whole_figures(
    budget: &SummedBudget,
    section: &BudgetSection,
    config: &Config,
) -> WholeFigures {
    let input = BudgetInput::new(budget, section);
    let parts = input
        .parts
        .iter()
        .map(|part| {
            let (ctx, _) = part_context(&input, part, config);
            let history = History::of(&ctx, part.history);
            let sides = history
                .sides
                .iter()
                .map(|side| {
                    history
                        .rows
                        .iter()
                        .map(|&r| (r, side.net_shown(r)))
                        .collect()
                })
                .collect();
            let mut flows = BTreeMap::new();
            for &year in &ctx.years {
                let printed = super::tables::year_flows(&ctx, year);
                for (i, &g) in ctx.group_ids.iter().enumerate() {
                    flows.insert((g, year), (printed.expense.0[i], printed.income.0[i]));
                }
            }
            WholePart {
                part: part.part,
                group_role: ctx.group_role,
                plan: ctx.group_shown.clone(),
                flows,
                sides,
            }
        })
        .collect();
    WholeFigures { parts }
}

impl WholeFigures {
    /// The printed totals of the sector whose lines have the values `ids` of the dimension
    /// `role`, in each part grouped by that dimension: the sum of its groups' printed figures.
    pub(crate) fn sector(&self, role: usize, ids: &[u32]) -> SectorTotals {
        let sum = |figures: &mut dyn Iterator<Item = Decimal>| {
            figures.fold(Decimal::ZERO, |a, v| a.saturating_add(v))
        };
        let add = |map: &mut BTreeMap<i32, Decimal>, year: i32, figure: Decimal| {
            let total = map.entry(year).or_default();
            *total = total.saturating_add(figure);
        };
        let parts = self
            .parts
            .iter()
            .filter(|p| p.group_role == role)
            .map(|p| {
                let mut totals = PartTotals::default();
                for ((g, year), shown) in p.plan.iter().filter(|((g, _), _)| ids.contains(g)) {
                    add(&mut totals.plan, *year, *shown);
                    let (expense, income) = p.flows.get(&(*g, *year)).copied().unwrap_or_default();
                    add(&mut totals.expense, *year, expense);
                    add(&mut totals.income, *year, income);
                }
                totals.history = p
                    .sides
                    .iter()
                    .map(|side| sum(&mut ids.iter().filter_map(|g| side.get(g).copied())))
                    .collect();
                (p.part, totals)
            })
            .collect();
        SectorTotals::new(parts)
    }
}
