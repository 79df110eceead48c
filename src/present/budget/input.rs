//! What the budget view is built from: the summed budget's parts, each with its own sums,
//! statutory overviews, bridge and comparison, borrowed as the tables read them. The summed
//! budget knows nothing of its view; the view takes what it needs from it here. A sector's
//! report (`render --each`) also reads the whole report's printed figures for the sector
//! ([`SectorTotals`]), which its columns foot to.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::aggregate;
use crate::aggregate::ledger::LedgerTotals;
use crate::aggregate::statutory::{Overview, OverviewTotals};
use crate::config::BudgetSection;
use crate::model::Part;
use crate::model::ledger::Ledger;
use crate::present::compare::CompareInput;
use crate::summed_budget::SummedBudget;

/// What the budget view is built from.
pub(super) struct BudgetInput<'a> {
    pub(super) ledger: &'a Ledger,
    pub(super) section: &'a BudgetSection,
    /// One per part the sources cover, drift first.
    pub(super) parts: Vec<PartInput<'a>>,
    /// The transfers between drift and investering.
    pub(super) transfers: &'a aggregate::transfers::Status,
    /// § 5-7, when the report names a debt file.
    pub(super) debt: Option<&'a crate::aggregate::debt::DebtOverview>,
    /// Fixed prices: the base year and each plan year's price index.
    pub(super) prices: Option<&'a (i32, BTreeMap<i32, Decimal>)>,
    /// Inhabitants per year.
    pub(super) population: Option<&'a BTreeMap<i32, Decimal>>,
    /// A sector's report (`render --each`): the whole report's printed figures for the
    /// sector, which its columns foot to.
    pub(super) sector: Option<&'a SectorTotals>,
}

/// One part of the budget (drift or investering): its own sums, overview and bridge.
pub(super) struct PartInput<'a> {
    pub(super) part: Part,
    pub(super) totals: &'a LedgerTotals,
    /// The statutory overviews of this part, computed, with their row definitions.
    pub(super) statutory: Vec<(&'a Overview, &'a OverviewTotals)>,
    /// The change bridge: change group → year → net.
    pub(super) bridge: Option<&'a BTreeMap<u32, BTreeMap<i32, Decimal>>>,
    /// The sources whose lines are this part's, and the version its tables show.
    pub(super) sources: &'a [u16],
    pub(super) version: u16,
    /// The two sides of a comparison, when the report asks for one.
    pub(super) comparison: Vec<CompareInput<'a>>,
    /// The history columns, when the report names them (`budget.history`).
    pub(super) history: &'a [crate::summed_budget::HistorySide],
}

impl<'a> BudgetInput<'a> {
    /// What the view of `budget` reads, as `section` asks.
    pub(super) fn new(budget: &'a SummedBudget, section: &'a BudgetSection) -> Self {
        BudgetInput {
            ledger: &budget.ledger,
            section,
            parts: budget
                .parts
                .iter()
                .map(|p| PartInput {
                    part: p.part,
                    totals: &p.totals,
                    statutory: budget
                        .statutory
                        .iter()
                        .filter(|(o, _)| o.part == p.part)
                        .map(|(o, t)| (o, t))
                        .collect(),
                    bridge: p.bridge.as_ref(),
                    sources: &p.sources,
                    version: p.version,
                    comparison: p.comparison.iter().map(CompareInput::of).collect(),
                    history: &p.history,
                })
                .collect(),
            transfers: &budget.transfers,
            debt: budget.debt.as_ref(),
            prices: budget.prices.as_ref(),
            population: budget.population.as_ref(),
            sector: None,
        }
    }
}

/// The printed totals a sector's columns foot to, per part: the whole report's figures for
/// the sector's group. Empty for a sector of another dimension (the whole report prints no
/// figure for it).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SectorTotals {
    parts: Vec<(Part, PartTotals)>,
}

/// One part's printed totals of a sector.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct PartTotals {
    /// The net per plan year.
    pub(super) plan: BTreeMap<i32, Decimal>,
    /// The expenses and the income per plan year (the tables of each year's expenses,
    /// income and net).
    pub(super) expense: BTreeMap<i32, Decimal>,
    pub(super) income: BTreeMap<i32, Decimal>,
    /// Per history side, in the report's order.
    pub(super) history: Vec<Decimal>,
}

impl SectorTotals {
    /// The totals of the parts the whole report prints the sector's figures in.
    pub(super) fn new(parts: Vec<(Part, PartTotals)>) -> Self {
        SectorTotals { parts }
    }

    /// The totals of one part, if the whole report prints the sector's figures in it.
    pub(super) fn of(&self, part: Part) -> Option<&PartTotals> {
        self.parts.iter().find(|(p, _)| *p == part).map(|(_, t)| t)
    }
}
