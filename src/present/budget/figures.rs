//! The printed figures a sector's prose cites ([`crate::prose`]): each group's net per plan
//! year exactly as the tables print it, read from the one context that fixes it (never
//! recomputed), with the unit that prints it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::input::BudgetInput;
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
    /// The printed total net of the part per year (the sum row of its net table).
    pub(crate) totals: BTreeMap<i32, Decimal>,
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
        totals: ctx
            .years
            .iter()
            .copied()
            .zip(ctx.net_total_shown.iter().copied())
            .collect(),
    })
}
