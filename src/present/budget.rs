//! The view of a whole budget read from real exports: totals per year and version, and per
//! group (e.g. tjenesteområde) the expenses, income and net of each plan year, with the
//! details (e.g. tjenester) inside each group and the balance line. Amounts stay exact.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::ledger::{Flow, LedgerTotals};
use crate::config::{BudgetSection, Config};
use crate::load::export::{Ledger, NONE, short_name};
use crate::load::profile::ROLES;

/// What the budget view is built from.
pub struct BudgetInput<'a> {
    pub ledger: &'a Ledger,
    pub totals: &'a LedgerTotals,
    pub section: &'a BudgetSection,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    /// What the groups are called, e.g. "Tjenesteområde".
    pub group_label: String,
    /// What the details are called, e.g. "Tjeneste" (empty without details).
    pub detail_label: String,
    /// The version the group tables show, e.g. "budsjett".
    pub version: String,
    /// The plan years the group tables show.
    pub years: Vec<i32>,
    /// Every year and version found, with its totals.
    pub overview: Vec<OverviewRow>,
    pub groups: Vec<GroupView>,
    /// All lines of the version, per plan year.
    pub total: Vec<FlowView>,
    /// Per plan year: the sum of all lines, exact; zero when the budget balances.
    pub balance: Vec<BalanceView>,
    pub sources: Vec<SourceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverviewRow {
    pub year: i32,
    pub version: String,
    pub expense: Decimal,
    pub income: Decimal,
    pub net: Decimal,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct FlowView {
    pub expense: Decimal,
    pub income: Decimal,
    pub net: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub code: String,
    pub name: String,
    /// Per plan year.
    pub years: Vec<FlowView>,
    pub details: Vec<DetailView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DetailView {
    pub code: String,
    pub name: String,
    /// Net per plan year.
    pub years: Vec<FlowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BalanceView {
    pub year: i32,
    pub amount: Decimal,
    pub balanced: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub file: String,
    pub rows: usize,
}

fn view(flow: Option<&Flow>) -> FlowView {
    let flow = flow.copied().unwrap_or_default();
    FlowView {
        expense: flow.expense,
        income: flow.income,
        net: flow.net,
    }
}

/// Names a dimension value, or says the line had none.
fn name_of(ledger: &Ledger, role: usize, id: u32) -> (String, String) {
    if id == NONE {
        return (String::new(), "(ikke oppgitt)".to_string());
    }
    let value = &ledger.dimensions[role].values[id as usize];
    let name = if value.text.is_empty() {
        value.code.clone()
    } else {
        value.text.clone()
    };
    (value.code.clone(), name)
}

pub fn present(input: BudgetInput<'_>, config: &Config) -> BudgetView {
    let BudgetInput {
        ledger,
        totals,
        section,
    } = input;
    let role = |name: &str| ROLES.iter().position(|(r, _)| *r == name);
    let group_role = role(&section.group_by).unwrap_or(0);
    let detail_role = section.detail_by.as_deref().and_then(role);
    let years: Vec<i32> = config.plan.years().collect();

    let mut groups: Vec<GroupView> = totals
        .by_group
        .iter()
        .map(|(&group, per_year)| {
            let (code, name) = name_of(ledger, group_role, group);
            let mut details: Vec<DetailView> = totals
                .by_detail
                .range((group, 0)..=(group, u32::MAX))
                .filter(|_| detail_role.is_some())
                .map(|(&(_, detail), per_year)| {
                    let (code, name) = name_of(ledger, detail_role.unwrap_or(0), detail);
                    DetailView {
                        code,
                        name,
                        years: years.iter().map(|y| view(per_year.get(y))).collect(),
                    }
                })
                .collect();
            details.sort_by(|a, b| (&a.code, &a.name).cmp(&(&b.code, &b.name)));
            GroupView {
                code,
                name,
                years: years.iter().map(|y| view(per_year.get(y))).collect(),
                details,
            }
        })
        .collect();
    groups.sort_by(|a, b| (&a.code, &a.name).cmp(&(&b.code, &b.name)));

    let overview = totals
        .by_year_version
        .iter()
        .map(|(&(year, version), flow)| OverviewRow {
            year,
            version: ledger.versions[usize::from(version)].clone(),
            expense: flow.expense,
            income: flow.income,
            net: flow.net,
        })
        .collect();
    let total: Vec<FlowView> = years.iter().map(|y| view(totals.by_year.get(y))).collect();
    let balance = years
        .iter()
        .zip(&total)
        .map(|(&year, flow)| BalanceView {
            year,
            amount: flow.net,
            balanced: flow.net.is_zero(),
        })
        .collect();
    let label = |index: Option<usize>| {
        index
            .map(|i| ledger.dimensions[i].label.clone())
            .filter(|l| !l.is_empty())
    };
    BudgetView {
        group_label: label(Some(group_role)).unwrap_or_else(|| "Gruppe".into()),
        detail_label: label(detail_role).unwrap_or_default(),
        version: section.version.clone(),
        years,
        overview,
        groups,
        total,
        balance,
        sources: ledger
            .sources
            .iter()
            .map(|s| SourceView {
                file: short_name(&s.file),
                rows: s.rows,
            })
            .collect(),
    }
}
