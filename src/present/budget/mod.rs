//! The view of a whole budget read from real exports, with every table already rounded to the
//! report's unit and made consistent (see [`super::rounding`]): totals per year and version;
//! per group (e.g. tjenesteområde) the net of each plan year with the change over the period;
//! expenses, income and net per group for each year; the details (e.g. tjenester) of each
//! group; the statutory overviews § 5-4 and § 5-5; and the exact balance per year.
//!
//! Rounding is top-down: a group's printed figure is fixed first (its column foots to the
//! printed total), and the details of the group are then rounded to add up to exactly that
//! figure, so the same quantity never prints differently in two tables.
//!
//! One room per kind of table, all built from one `context` that fixes every printed figure
//! once: the ordinary tables (`tables`), the statutory overviews (`statutory`), the change
//! bridge (`bridge`), debt (`debt`), the transfers between the parts (`transfers`) and the
//! listing of lines (`listing`); `input` borrows what they read from the summed budget.
//! `history` fixes the figures of the history columns (issue 26) from the context, a
//! `History` of one `Side` each, which the net per group, the details, the statutory
//! overviews and the key figures print before the plan years (the context knows nothing of
//! them). This module holds the view's root and builds a part from the rooms.

use serde::Serialize;

use super::table::{GroupTable, PrintedTable};
use crate::aggregate;
use crate::aggregate::statutory::Statement;
use crate::config::{BudgetSection, Config};
use crate::format::Rule;
use crate::load::export::short_name;
use crate::model::Part;
use crate::model::Role;
use crate::model::ledger::Ledger;
use crate::summed_budget::SummedBudget;
use crate::words::Phrase;

mod bridge;
mod context;
mod debt;
mod figures;
mod financial_rules;
mod front_chart;
mod fund;
mod history;
mod input;
mod key_figure_rows;
pub(crate) mod key_figures;
mod listing;
mod projects;
mod prose;
mod resolution;
mod statutory;
mod tables;
mod tiltak;
mod transfers;

pub use bridge::{BridgeStep, BridgeView};
pub use debt::DebtCheckView;
pub(crate) use figures::{GroupFigures, WholeFigures, group_figures, whole_figures};
pub use front_chart::FrontChart;
pub use history::HistoryColumn;
pub(crate) use history::one_sided_groups as history_one_sided_groups;
pub(crate) use input::SectorTotals;
pub use key_figures::KeyFiguresView;
pub use listing::ListingGroup;
pub use projects::{AcceptedProject, ProjectsView};
pub use prose::{ProseView, SectorProse};
pub use resolution::ResolutionView;
pub use statutory::StatutoryView;
pub use tables::{BalanceView, YearTable};
pub use tiltak::TiltakView;
pub use transfers::{PartBalances, TransferRow, TransfersView};

use bridge::bridges;
use context::{Context, part_context};
use debt::debt_table;
use input::{BudgetInput, PartInput};
use listing::listing;
use statutory::{Tied, side_figures, statutory_figures, statutory_view};
use tables::{
    balance_views, change_by_group, group_tables, net_by_group, overview_table, per_inhabitant,
    per_year_tables,
};
use transfers::transfers_view;

/// The whole budget: one view per part, never a figure added across parts, and the
/// transfers between them.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub parts: Vec<PartView>,
    /// Whether every part shows the accounts: the report is worded as accounts throughout.
    pub accounts: bool,
    /// When the report has both parts: their balances side by side and the transfers.
    pub(crate) transfers: Option<TransfersView>,
    /// § 5-7 Oversikt over gjeld og andre vesentlige forpliktelser, when the report has it;
    /// the texts of the obligations are its notes.
    pub debt: Option<PrintedTable>,
    /// The cross-checks of § 5-7 against the loan rows: which were made, which not.
    pub(crate) debt_checks: Vec<DebtCheckView>,
    /// The key figures and the municipality's financial rules (issue 26), when the report
    /// has § 5-4 or states rules (a sector's extract does not print it).
    pub key_figures: Option<KeyFiguresView>,
    pub sources: Vec<SourceView>,
    /// Set when this view is one sector of the budget (`render --each`), never for the whole.
    pub sector: Option<super::sector::SectorView>,
    /// The sectors' prose and the opening chapter, when the report names a prose folder
    /// (issue 27; [`crate::prose`]).
    pub prose: Option<ProseView>,
    /// The proposed resolution, when the report asks for one (`[resolution]`).
    pub resolution: Option<ResolutionView>,
    /// The named changes per group, when the report names a tiltak file (issue 27).
    pub tiltak: Option<TiltakView>,
    /// The investment projects per group, when the report names a projects file (issue 27).
    pub projects: Option<ProjectsView>,
}

/// One part's budget, with everything a template needs to print it as a budget of its own.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    /// "drift" or "investering".
    pub part: &'static str,
    pub(crate) group_label: String,
    pub(crate) detail_label: String,
    pub version: String,
    /// Whether the version is the accounts (regnskap, rekneskap): the template words the part
    /// as accounts, not as a budget.
    pub accounts: bool,
    pub years: Vec<i32>,
    /// "Beløp i 1 000 kr" and the like.
    pub unit: Phrase,
    /// The rounding rule used: "half_away_from_zero" or "half_even" (the template words it).
    pub(crate) rounding_rule: &'static str,
    /// How many groups were left out because every line of theirs is zero.
    pub(crate) hidden_groups: usize,
    pub overview: PrintedTable,
    pub net_by_group: PrintedTable,
    /// For each row of `net_by_group`: whether its group has lines in the plan years (a group
    /// only a history side has, one closed down, prints 0 there and gets no frame in the
    /// resolution).
    #[serde(skip)]
    pub(crate) planned_rows: Vec<bool>,
    /// The change in net from the year before, per group, in the unit and in percent (when
    /// the plan has more than one year).
    pub change_by_group: Option<PrintedTable>,
    pub per_year: Vec<YearTable>,
    pub groups: Vec<GroupTable>,
    pub statutory: Vec<StatutoryView>,
    /// Net per group per inhabitant, when a population series is given.
    pub per_inhabitant: Option<PrintedTable>,
    /// The change bridge per year, when the report asks for one.
    pub bridge: Vec<BridgeView>,
    /// Every line of the version in the plan years, per group, when the report asks for it.
    pub listing: Vec<ListingGroup>,
    /// Per plan year: the sum of all lines, exact; zero when the budget balances.
    pub balance: Vec<BalanceView>,
    /// The sources of this part.
    pub sources: Vec<SourceView>,
    /// Two versions compared, when the report asks for it (`budget.compare`).
    pub(crate) comparison: Option<super::compare::ComparisonView>,
    /// The drift part's net per group as a chart for the front of the report.
    pub front_chart: Option<FrontChart>,
    /// The history columns printed before the plan years (`budget.history`), in order.
    pub history: Vec<HistoryColumn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub file: String,
    pub rows: usize,
}

/// The view of a summed budget, as the report's `[budget]` section asks.
pub(crate) fn present(
    budget: &SummedBudget,
    section: &BudgetSection,
    config: &Config,
    sector: Option<&SectorTotals>,
) -> BudgetView {
    let mut input = BudgetInput::new(budget, section);
    input.sector = sector;
    let mut parts: Vec<PartView> = input
        .parts
        .iter()
        .map(|part| present_part(&input, part, config))
        .collect();
    if parts.len() > 1 {
        for part in &mut parts {
            name_the_part(part);
        }
    }
    let accounts = !parts.is_empty() && parts.iter().all(|p| p.accounts);
    let resolution = config.resolution.as_ref().map(|r| {
        let unit = input.section.presentation.unit.phrase();
        resolution::resolution_view(r, &parts, (config.plan.first, config.plan.last), unit)
    });
    let transfers = match input.transfers {
        aggregate::transfers::Status::OnePart => None,
        status => Some(transfers_view(&input, status, config)),
    };
    BudgetView {
        parts,
        accounts,
        transfers,
        debt: input
            .debt
            .map(|d| debt_table(d, &input.section.presentation, config)),
        debt_checks: input
            .debt
            .map(|d| {
                d.checks
                    .iter()
                    .map(|c| DebtCheckView {
                        kinds: c.kinds.clone(),
                        flow: c.flow,
                        rows: c.rows.clone(),
                        made: c.made,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        key_figures: key_figures::key_figures(&input, config),
        sources: source_views(input.ledger, None),
        sector: None,
        prose: None,
        resolution,
        tiltak: tiltak::tiltak_view(budget, section, config),
        projects: projects::projects_view(budget, section, config),
    }
}

/// In a report with both parts, every table's caption names its part, so that "printed in
/// <caption>" points at one table (the statutory overviews name theirs already).
fn name_the_part(view: &mut PartView) {
    let part = if view.part == "drift" {
        "budsjett.caption_drift"
    } else {
        "budsjett.caption_investering"
    };
    let mut tables: Vec<&mut PrintedTable> = vec![&mut view.overview, &mut view.net_by_group];
    tables.extend(view.change_by_group.as_mut());
    tables.extend(view.per_year.iter_mut().map(|y| &mut y.table));
    tables.extend(view.groups.iter_mut().map(|g| &mut g.table));
    tables.extend(view.per_inhabitant.as_mut());
    tables.extend(view.bridge.iter_mut().map(|b| &mut b.table));
    if let Some(c) = view.comparison.as_mut() {
        tables.push(&mut c.by_group);
        tables.extend(c.details.iter_mut().map(|g| &mut g.table));
        tables.extend(c.largest.iter_mut());
    }
    for table in tables {
        table.caption = Phrase::new("budsjett.part_caption")
            .with("part", Phrase::new(part))
            .with("caption", table.caption.clone());
    }
}

fn source_views(ledger: &Ledger, only: Option<&[u16]>) -> Vec<SourceView> {
    ledger
        .sources
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|o| o.iter().any(|s| usize::from(*s) == *i)))
        .map(|(_, s)| SourceView {
            file: short_name(&s.file),
            rows: s.rows,
        })
        .collect()
}

/// The view of one part of the budget, as a budget of its own.
fn present_part(input: &BudgetInput<'_>, part: &PartInput<'_>, config: &Config) -> PartView {
    let BudgetInput {
        ledger,
        section,
        population,
        ..
    } = *input;
    let (_, detail_by) = section.grouping(part.part == Part::Investering);
    let detail_role = detail_by.map(Role::index);
    let w = &config.words;
    let unit = section.presentation.unit;
    let (ctx, hidden_groups) = part_context(input, part, config);
    let history = history::History::of(&ctx, part.history);

    let detail_label = detail_role
        .and_then(|i| ledger.dimension_label(i, w))
        .unwrap_or_default();
    let statutory = statutory_views((&ctx, &history), part);
    let listing = if section.listing {
        listing(&ctx, part.sources, part.version)
    } else {
        Vec::new()
    };
    PartView {
        part: match part.part {
            Part::Drift => "drift",
            Part::Investering => "investering",
        },
        group_label: ctx.group_label.clone(),
        detail_label: detail_label.clone(),
        version: ctx.version.clone(),
        accounts: crate::model::ledger::is_accounts(&ctx.version),
        years: ctx.years.clone(),
        unit: ctx.unit_caption.clone(),
        rounding_rule: match unit.rule {
            Rule::HalfAwayFromZero => "half_away_from_zero",
            Rule::HalfEven => "half_even",
        },
        hidden_groups,
        overview: overview_table(&ctx),
        net_by_group: net_by_group(&ctx, &history),
        planned_rows: history
            .rows
            .iter()
            .map(|g| ctx.group_ids.contains(g))
            .collect(),
        change_by_group: change_by_group(&ctx),
        per_year: per_year_tables(&ctx),
        groups: detail_role
            .map(|d| group_tables(&ctx, &history, d, &detail_label))
            .unwrap_or_default(),
        statutory,
        // Net per inhabitant is a measure of running costs; for investments it means nothing
        // to a reader.
        per_inhabitant: population
            .filter(|_| part.part == Part::Drift)
            .map(|p| per_inhabitant(&ctx, p)),
        bridge: bridges(&ctx, part, section),
        listing,
        balance: balance_views(&ctx),
        sources: source_views(ledger, Some(part.sources)),
        comparison: part_comparison(&ctx, part, section, detail_role, &detail_label),
        front_chart: (part.part == Part::Drift && section.front_chart)
            .then(|| front_chart::front_chart(&ctx))
            .flatten(),
        history: history.sides.iter().map(history::Side::column).collect(),
    }
}

/// The part's statutory overviews, with their history columns.
fn statutory_views(
    (ctx, history): (&Context<'_>, &history::History<'_>),
    part: &PartInput<'_>,
) -> Vec<StatutoryView> {
    // The rows of § 5-6 tied to § 5-4 print § 5-4's figures.
    let appropriations: Option<Tied<'_>> = part
        .statutory
        .iter()
        .find(|(o, _)| o.statement == Statement::AppropriationsDrift)
        .map(|(o, c)| (statutory_figures(ctx, o, c, None).0, *c));
    part.statutory
        .iter()
        .enumerate()
        .map(|(index, (overview, computed))| {
            let tied = appropriations
                .as_ref()
                .filter(|_| overview.statement == Statement::DriftByArt);
            let sides = side_figures((ctx, history), &part.statutory, index);
            statutory_view((ctx, history), overview, computed, tied, &sides)
        })
        .collect()
}

/// The comparison of the part's two sides, when the report asks for one.
fn part_comparison(
    ctx: &Context<'_>,
    part: &PartInput<'_>,
    section: &BudgetSection,
    detail_role: Option<usize>,
    detail_label: &str,
) -> Option<super::compare::ComparisonView> {
    let (w, unit) = (ctx.words, section.presentation.unit);
    super::compare::comparison(
        &super::compare::Setting {
            words: w,
            ledger: ctx.ledger,
            unit,
            footing: section.presentation.footing,
            group_role: ctx.group_role,
            group_label: &ctx.group_label,
            detail: detail_role.map(|d| (d, detail_label)),
            hide_zero_rows: section.hide_zero_rows,
            group_order: &section.group_order,
            // Versions are compared in the kroner of their own years.
            unit_caption: &Phrase::new("unit.current_prices").with("unit", unit.phrase()),
        },
        &part.comparison,
    )
}
