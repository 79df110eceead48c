//! The view of a whole budget read from real exports, with every table already rounded to the
//! report's unit and made consistent (see [`super::rounding`]): totals per year and version;
//! per group (e.g. tjenesteområde) the net of each plan year with the change over the period;
//! expenses, income and net per group for each year; the details (e.g. tjenester) of each
//! group; the statutory overviews § 5-4 and § 5-5; and the exact balance per year.
//!
//! Rounding is top-down: a group's printed figure is fixed first (its column foots to the
//! printed total), and the details of the group are then rounded to add up to exactly that
//! figure, so the same quantity never prints differently in two tables.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::table::{
    GroupTable, PrintedRow, PrintedTable, change_percent, column, dimension_label, group_key,
    label, name_of, notes, order_key, words,
};
use crate::aggregate::ledger::{Flow, LedgerTotals};
use crate::aggregate::statutory::{Overview, OverviewTotals, Statement};
use crate::aggregate::transfers;
use crate::config::{BudgetSection, Config};
use crate::fonts;
use crate::format;
use crate::format::{Footing, Rule, Unit};
use crate::load::export::short_name;
use crate::model::Part;
use crate::model::Role;
use crate::model::budget::{Ledger, NONE};
use crate::words::Words;

/// What the budget view is built from.
pub struct BudgetInput<'a> {
    pub ledger: &'a Ledger,
    pub section: &'a BudgetSection,
    /// One per part the sources cover, drift first.
    pub parts: Vec<PartInput<'a>>,
    /// The transfers between drift and investering.
    pub transfers: &'a transfers::Status,
    /// § 5-7, when the report names a debt file.
    pub debt: Option<&'a crate::aggregate::debt::DebtOverview>,
    /// Fixed prices: the base year and each plan year's price index.
    pub prices: Option<&'a (i32, BTreeMap<i32, Decimal>)>,
    /// Inhabitants per year.
    pub population: Option<&'a BTreeMap<i32, Decimal>>,
}

/// One part of the budget (drift or investering): its own sums, overview and bridge.
pub struct PartInput<'a> {
    pub part: Part,
    pub totals: &'a LedgerTotals,
    /// The statutory overviews of this part, computed, with their row definitions.
    pub statutory: Vec<(&'a Overview, &'a OverviewTotals)>,
    /// The change bridge: change group → year → net.
    pub bridge: Option<&'a BTreeMap<u32, BTreeMap<i32, Decimal>>>,
    /// The sources whose lines are this part's, and the version its tables show.
    pub sources: &'a [u16],
    pub version: u16,
    /// The two sides of a comparison, when the report asks for one.
    pub comparison: Vec<super::compare::CompareInput<'a>>,
}

/// The whole budget: one view per part, never a figure added across parts, and the
/// transfers between them.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub parts: Vec<PartView>,
    /// When the report has both parts: their balances side by side and the transfers.
    pub transfers: Option<TransfersView>,
    /// § 5-7 Oversikt over gjeld og andre vesentlige forpliktelser, when the report has it;
    /// the texts of the obligations are its notes.
    pub debt: Option<PrintedTable>,
    /// The cross-checks of § 5-7 against the loan rows: which were made, which not.
    pub debt_checks: Vec<DebtCheckView>,
    pub sources: Vec<SourceView>,
    /// Set when this view is one sector of the budget (`render --each`), never for the whole.
    pub sector: Option<super::sector::SectorView>,
}

/// One part's budget, with everything a template needs to print it as a budget of its own.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    /// "drift" or "investering".
    pub part: &'static str,
    pub group_label: String,
    pub detail_label: String,
    pub version: String,
    pub years: Vec<i32>,
    /// "Beløp i 1 000 kr" and the like.
    pub unit: String,
    /// The rounding rule used: "half_away_from_zero" or "half_even" (the template words it).
    pub rounding_rule: &'static str,
    /// How many groups were left out because every line of theirs is zero.
    pub hidden_groups: usize,
    pub overview: PrintedTable,
    pub net_by_group: PrintedTable,
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
    pub comparison: Option<super::compare::ComparisonView>,
}

/// One cross-check of § 5-7 against rows of § 5-4/§ 5-5, for the template to word.
#[derive(Debug, Clone, Serialize)]
pub struct DebtCheckView {
    /// Debt kinds as the debt file names them ("investering", "videreutlan", "andre").
    pub kinds: Vec<String>,
    /// "borrowing" or "repayment".
    pub flow: &'static str,
    /// Rows as (paragraph, row).
    pub rows: Vec<(&'static str, u32)>,
    /// Whether the report has the overviews the check needs, and so made it (a check that
    /// failed stops the report, so a made check agreed).
    pub made: bool,
}

/// The opening summary of a report with both parts: each part's balance per year, exact, and
/// each transfer between them per year.
#[derive(Debug, Clone, Serialize)]
pub struct TransfersView {
    /// Per year: drift's and investering's balance (sum of all lines), exact kroner.
    pub balances: Vec<PartBalances>,
    /// The same as printed tables, exact kroner: balances per year, and (when checked) each
    /// transfer per year.
    pub balance_table: PrintedTable,
    pub transfer_table: Option<PrintedTable>,
    /// Whether some transfer differs (only possible when the report accepts it).
    pub differs: bool,
    /// Whether the transfers could be checked, and if not, why: "no_mapping" (no KOSTRA
    /// folder) or "no_kostra_art" (a profile without KOSTRA art).
    pub checked: bool,
    pub not_checked: &'static str,
    pub rows: Vec<TransferRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartBalances {
    pub year: i32,
    pub drift: Decimal,
    pub investering: Decimal,
}

/// One transfer in one year: what drift sends, what investering receives (both as positive
/// amounts), and the difference (zero when they agree).
#[derive(Debug, Clone, Serialize)]
pub struct TransferRow {
    pub name: String,
    pub year: i32,
    pub drift_art: String,
    pub investering_art: String,
    pub sent: Decimal,
    pub received: Decimal,
    pub difference: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearTable {
    pub year: i32,
    pub table: PrintedTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatutoryView {
    /// "drift" or "investering".
    pub part: &'static str,
    /// The paragraph of the regulation: "5-4", "5-5" or "5-6".
    pub paragraph: &'static str,
    pub title: String,
    pub table: PrintedTable,
    /// § 5-4 annet ledd: row 6 per group.
    pub by_group: Option<PrintedTable>,
    /// From the net per group to row 6 per group: what lies outside row 6.
    pub reconciliation: Option<PrintedTable>,
    /// Lines left out on purpose and lines not placed (when the report accepts them).
    pub residue: Option<PrintedTable>,
    /// How many lines could not be placed (only when the report accepts them) and how many
    /// were left out on purpose.
    pub unmapped: usize,
    pub excluded: usize,
    /// The number of the bottom row.
    pub bottom: u32,
    /// The KOSTRA year whose chart placed the lines (before 2020: the chart of the old
    /// budget regulation, shown in today's layout).
    pub chart_year: i32,
}

/// The lines of one group, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct ListingGroup {
    pub code: String,
    pub name: String,
    /// The dimensions shown per line (labels), then year and amount.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per row, the widest of its labels (the columns before year and amount), in thousandths
    /// of an em: an upper estimate, so the template can give rows that fit a fixed height.
    pub label_widths: Vec<u32>,
}

/// From the adopted budget of the current year to the proposal, by change group.
#[derive(Debug, Clone, Serialize)]
pub struct BridgeView {
    pub year: i32,
    pub table: PrintedTable,
    /// The waterfall chart: one step per row of the table, positions in percent of the axis.
    pub steps: Vec<BridgeStep>,
    pub ticks: Vec<super::Tick>,
    /// The chart's unit, e.g. "mill. kr", and where its axis starts when not at zero.
    pub chart_unit: String,
    pub axis_start: Option<String>,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BridgeStep {
    pub label: String,
    pub value: String,
    /// "total", "up" or "down".
    pub kind: &'static str,
    pub bottom: Decimal,
    pub height: Decimal,
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

/// What every table of the budget view shares: the ledger and its sums, the unit, the years,
/// the groups shown and their printed net figures (fixed once, so that every table prints a
/// group's net the same).
struct Context<'a> {
    words: &'a Words,
    ledger: &'a Ledger,
    totals: &'a LedgerTotals,
    unit: Unit,
    footing: Footing,
    years: Vec<i32>,
    span: String,
    version: String,
    unit_caption: String,
    group_role: usize,
    group_label: String,
    prices: Option<&'a (i32, BTreeMap<i32, Decimal>)>,
    /// The groups shown, in the organisation's order.
    group_ids: Vec<u32>,
    hide_zero_rows: bool,
    group_order: &'a crate::config::GroupOrder,
    /// The printed net of each (group, year), and of each year's total.
    group_shown: BTreeMap<(u32, i32), Decimal>,
    net_total_shown: Vec<Decimal>,
    net_note: bool,
}

impl Context<'_> {
    /// Current kroner of `year` in the report's price basis.
    fn priced(&self, year: i32, kroner: Decimal) -> Decimal {
        match self.prices {
            Some((_, index)) => index
                .get(&year)
                .map_or(kroner, |i| crate::aggregate::prices::to_fixed(kroner, *i)),
            None => kroner,
        }
    }

    fn flow(&self, per_year: Option<&BTreeMap<i32, Flow>>, year: i32) -> Flow {
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

    fn print(&self, shown: Decimal) -> String {
        self.unit.print(shown)
    }

    fn group_row_label(&self, g: u32) -> String {
        let (code, name) = name_of(self.words, self.ledger, self.group_role, g);
        label(&code, &name)
    }

    /// A change from `before` to `after` (exact) in percent of |before|; a dash when
    /// `before` is less than one printed unit, where a percentage would describe a residue.
    fn change_percent(&self, before: Decimal, after: Decimal) -> String {
        change_percent(&self.unit, before, after)
    }

    /// Whether every line of these sums is zero in every plan year.
    fn all_zero(&self, per_year: Option<&BTreeMap<i32, Flow>>) -> bool {
        self.years.iter().all(|&y| {
            let f = per_year
                .and_then(|m| m.get(&y))
                .copied()
                .unwrap_or_default();
            f.expense.is_zero() && f.income.is_zero()
        })
    }
}

pub fn present(input: BudgetInput<'_>, config: &Config) -> BudgetView {
    let parts: Vec<PartView> = input
        .parts
        .iter()
        .map(|part| present_part(&input, part, config))
        .collect();
    let transfers = match input.transfers {
        transfers::Status::OnePart => None,
        status => Some(transfers_view(&input, status, config)),
    };
    BudgetView {
        parts,
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
        sources: source_views(input.ledger, None),
        sector: None,
    }
}

/// § 5-7: per debt kind the opening, borrowing, repayment and year-end debt of each plan year,
/// rounded top-down (the year-end debt once, its parts footed to it), then the sum of debt and
/// the other obligations.
fn debt_table(
    debt: &crate::aggregate::debt::DebtOverview,
    presentation: &crate::config::Presentation,
    config: &Config,
) -> PrintedTable {
    let w = &config.words;
    let unit = presentation.unit;
    let years: Vec<i32> = config.plan.years().collect();
    let mut rows = Vec::new();
    let mut note = false;
    let mut total_shown = vec![Decimal::ZERO; years.len()];
    for kind in crate::aggregate::debt::DEBT_KINDS {
        note |= debt_kind_rows(
            debt,
            kind,
            &years,
            presentation,
            w,
            &mut rows,
            &mut total_shown,
        );
    }
    rows.push(PrintedRow {
        label: w.get("debt.total").into(),
        cells: total_shown.iter().map(|v| unit.print(*v)).collect(),
        strong: true,
    });
    let mut notes = notes(w, presentation.footing, note);
    obligation_rows(debt, &years, &unit, w, &mut rows, &mut notes);
    PrintedTable {
        caption: w.fill(
            "debt.caption",
            &[
                (
                    "period",
                    &format::years(w, Some(config.plan.first), Some(config.plan.last)),
                ),
                ("unit", &unit.caption(w)),
            ],
        ),
        columns: std::iter::once(String::new())
            .chain(years.iter().map(i32::to_string))
            .collect(),
        rows,
        total: None,
        notes,
    }
}

/// One debt kind's four rows (opening, borrowing, repayment, year-end), none when no plan
/// year has it; each year-end figure is added to `total_shown`. Returns whether footing
/// changed a figure.
fn debt_kind_rows(
    debt: &crate::aggregate::debt::DebtOverview,
    kind: &str,
    years: &[i32],
    presentation: &crate::config::Presentation,
    w: &Words,
    rows: &mut Vec<PrintedRow>,
    total_shown: &mut [Decimal],
) -> bool {
    let unit = presentation.unit;
    let mut note = false;
    let of_year = |y: i32| debt.debts.iter().find(|d| d.kind == kind && d.year == y);
    if years.iter().all(|y| of_year(*y).is_none()) {
        return false;
    }
    let mut cells: [Vec<String>; 4] = Default::default();
    for (i, &year) in years.iter().enumerate() {
        let Some(d) = of_year(year) else {
            for c in &mut cells {
                c.push("–".into());
            }
            continue;
        };
        let closing = unit.round(d.closing);
        let (parts, _, n) = column(
            &[d.opening, d.borrowing, -d.repayment],
            &unit,
            presentation.footing,
            Some(closing),
        );
        note |= n;
        cells[0].push(unit.print(parts[0]));
        cells[1].push(unit.print(parts[1]));
        cells[2].push(unit.print(-parts[2]));
        cells[3].push(unit.print(closing));
        total_shown[i] = total_shown[i].saturating_add(closing);
    }
    let name = w.get(words::debt_kind(kind));
    let [opening, borrowing, repayment, closing] = cells;
    for (label, cells, strong) in [
        (w.fill("debt.opening", &[("kind", name)]), opening, false),
        (format!("  {}", w.get("debt.borrowing")), borrowing, false),
        (format!("  {}", w.get("debt.repayment")), repayment, false),
        (w.fill("debt.closing", &[("kind", name)]), closing, true),
    ] {
        rows.push(PrintedRow {
            label,
            cells,
            strong,
        });
    }
    note
}

/// A row per obligation kind (garanti, leie, annen) the file has, and a note per obligation
/// with a text.
fn obligation_rows(
    debt: &crate::aggregate::debt::DebtOverview,
    years: &[i32],
    unit: &Unit,
    w: &Words,
    rows: &mut Vec<PrintedRow>,
    notes: &mut Vec<String>,
) {
    for kind in crate::aggregate::debt::OBLIGATION_KINDS {
        let of_kind: Vec<_> = debt
            .obligations
            .iter()
            .filter(|o| o.kind == *kind)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        rows.push(PrintedRow {
            label: w.get(words::obligation_kind(kind)).to_string(),
            cells: years
                .iter()
                .map(|y| {
                    of_kind
                        .iter()
                        .find(|o| o.year == *y)
                        .map_or("–".to_string(), |o| unit.print(unit.round(o.amount)))
                })
                .collect(),
            strong: false,
        });
        for o in of_kind.iter().filter(|o| !o.text.is_empty()) {
            notes.push(format!(
                "{} {}: {}",
                w.get(words::obligation_kind(kind)),
                o.year,
                o.text
            ));
        }
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

/// The opening summary of a report with both parts.
fn transfers_view(
    input: &BudgetInput<'_>,
    status: &transfers::Status,
    config: &Config,
) -> TransfersView {
    let balance = |part: Part, year: i32| {
        input
            .parts
            .iter()
            .find(|p| p.part == part)
            .and_then(|p| p.totals.by_year.get(&year))
            .map(|f| f.net)
            .unwrap_or_default()
    };
    let balances: Vec<PartBalances> = config
        .plan
        .years()
        .map(|year| PartBalances {
            year,
            drift: balance(Part::Drift, year),
            investering: balance(Part::Investering, year),
        })
        .collect();
    let (checked, not_checked, rows) = transfer_rows(status);
    let w = &config.words;
    let differs = rows.iter().any(|r: &TransferRow| !r.difference.is_zero());
    TransfersView {
        balance_table: balance_table(&balances, w),
        transfer_table: transfer_table(&rows, w),
        balances,
        differs,
        checked,
        not_checked,
        rows,
    }
}

/// Whether the transfers were checked, why not ("no_mapping", "no_kostra_art"), and a row
/// per transfer and year with what drift sends and investering receives.
fn transfer_rows(status: &transfers::Status) -> (bool, &'static str, Vec<TransferRow>) {
    match status {
        transfers::Status::Checked(list) => (
            true,
            "",
            list.iter()
                .flat_map(|t| {
                    t.by_year
                        .iter()
                        .map(|(&year, &(sent, received))| TransferRow {
                            name: t.pair.name.clone(),
                            year,
                            drift_art: format!("{:03}", t.pair.drift_art),
                            investering_art: format!("{:03}", t.pair.investering_art),
                            sent,
                            received: -received,
                            difference: t.difference(year),
                        })
                })
                .collect(),
        ),
        transfers::Status::NotChecked(why) => (
            false,
            match why {
                transfers::NotChecked::NoMapping => "no_mapping",
                transfers::NotChecked::NoKostraArt(_) => "no_kostra_art",
            },
            Vec::new(),
        ),
        transfers::Status::OnePart => (true, "", Vec::new()),
    }
}

/// Exact kroner, as the balance is printed elsewhere.
fn exact(v: Decimal) -> String {
    format::number(v, v.normalize().scale().min(2))
}

/// The two parts' balances side by side, per year.
fn balance_table(balances: &[PartBalances], w: &Words) -> PrintedTable {
    PrintedTable {
        caption: w.get("transfers.balance_caption").into(),
        columns: vec![
            w.get("table.year").into(),
            w.get("transfers.drift").into(),
            w.get("transfers.investering").into(),
        ],
        rows: balances
            .iter()
            .map(|b: &PartBalances| PrintedRow {
                label: b.year.to_string(),
                cells: vec![exact(b.drift), exact(b.investering)],
                strong: false,
            })
            .collect(),
        total: None,
        notes: Vec::new(),
    }
}

/// The transfers as sent and received and their difference; none when there are none.
fn transfer_table(rows: &[TransferRow], w: &Words) -> Option<PrintedTable> {
    (!rows.is_empty()).then(|| PrintedTable {
        caption: w.get("transfers.caption").into(),
        columns: vec![
            w.get("transfers.transfer").into(),
            w.get("transfers.sent").into(),
            w.get("transfers.received").into(),
            w.get("table.deviation").into(),
        ],
        rows: rows
            .iter()
            .map(|r| PrintedRow {
                label: w.fill(
                    "transfers.row",
                    &[
                        ("name", &r.name),
                        ("year", &r.year.to_string()),
                        ("drift_art", &r.drift_art),
                        ("investering_art", &r.investering_art),
                    ],
                ),
                cells: vec![exact(r.sent), exact(r.received), exact(r.difference)],
                strong: false,
            })
            .collect(),
        total: None,
        notes: Vec::new(),
    })
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

    let detail_label = detail_role
        .and_then(|i| dimension_label(w, ledger, i))
        .unwrap_or_default();
    let statutory = part
        .statutory
        .iter()
        .map(|(overview, computed)| statutory_view(&ctx, overview, computed))
        .collect();
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
        years: ctx.years.clone(),
        unit: ctx.unit_caption.clone(),
        rounding_rule: match unit.rule {
            Rule::HalfAwayFromZero => "half_away_from_zero",
            Rule::HalfEven => "half_even",
        },
        hidden_groups,
        overview: overview_table(&ctx),
        net_by_group: net_by_group(&ctx),
        change_by_group: change_by_group(&ctx),
        per_year: per_year_tables(&ctx),
        groups: detail_role
            .map(|d| group_tables(&ctx, d, &detail_label))
            .unwrap_or_default(),
        statutory,
        per_inhabitant: population.map(|p| per_inhabitant(&ctx, p)),
        bridge: bridges(&ctx, part, section),
        listing,
        balance: balance_views(&ctx),
        sources: source_views(ledger, Some(part.sources)),
        comparison: part_comparison(&ctx, part, section, detail_role, &detail_label),
    }
}

/// What every table of a part reads: its words, sums, unit, years and groups (in the
/// organisation's order; with hide_zero_rows, none whose every line is zero), with the
/// groups' printed figures fixed. Also returns how many groups were hidden.
fn part_context<'a>(
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
        Some((base, _)) => w.fill(
            "unit.fixed_prices",
            &[("unit", &unit.caption(w)), ("year", &base.to_string())],
        ),
        None => w.fill("unit.current_prices", &[("unit", &unit.caption(w))]),
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
        group_label: dimension_label(w, ledger, group_role)
            .unwrap_or_else(|| w.get("table.group").into()),
        prices,
        group_ids: Vec::new(),
        hide_zero_rows: section.hide_zero_rows,
        group_order: &section.group_order,
        group_shown: BTreeMap::new(),
        net_total_shown: Vec::new(),
        net_note: false,
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

/// The change bridge of each plan year, when the part has change groups and the report a
/// bridge_start.
fn bridges(ctx: &Context<'_>, part: &PartInput<'_>, section: &BudgetSection) -> Vec<BridgeView> {
    match (part.bridge, &section.bridge) {
        (Some(sums), Some((start, _))) => ctx
            .years
            .iter()
            .map(|&year| bridge_view(ctx, sums, start, year))
            .collect(),
        _ => Vec::new(),
    }
}

/// Each plan year's balance, printed exactly, in current kroner, whatever the price basis.
fn balance_views(ctx: &Context<'_>) -> Vec<BalanceView> {
    ctx.years
        .iter()
        .map(|&year| {
            let amount = ctx
                .totals
                .by_year
                .get(&year)
                .map(|f| f.net)
                .unwrap_or_default();
            BalanceView {
                year,
                amount,
                balanced: amount.is_zero(),
            }
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
            unit_caption: &w.fill("unit.current_prices", &[("unit", &unit.caption(w))]),
        },
        &part.comparison,
    )
}

/// Fixes the printed net of every group and year: each year's column foots to its rounded
/// total. Every table that shows a group's net prints these figures.
fn fix_group_figures(ctx: &mut Context<'_>) {
    for &year in &ctx.years {
        let values: Vec<Decimal> = ctx
            .group_ids
            .iter()
            .map(|g| ctx.flow(ctx.totals.by_group.get(g), year).net)
            .collect();
        let (shown, total, note) = column(&values, &ctx.unit, ctx.footing, None);
        ctx.net_note |= note;
        for (g, s) in ctx.group_ids.iter().zip(shown) {
            ctx.group_shown.insert((*g, year), s);
        }
        ctx.net_total_shown.push(total);
    }
}

/// Net per group for each plan year, with the change over the period.
fn net_by_group(ctx: &Context<'_>) -> PrintedTable {
    let with_change = ctx.years.len() > 1;
    let (first, last) = (ctx.years[0], ctx.years[ctx.years.len() - 1]);
    let mut columns = vec![ctx.group_label.clone()];
    columns.extend(ctx.years.iter().map(i32::to_string));
    if with_change {
        columns.push(
            ctx.words
                .fill("table.change_over", &[("period", &ctx.span)]),
        );
        columns.push(ctx.words.get("table.change_percent").into());
    }
    let rows = ctx
        .group_ids
        .iter()
        .map(|&g| {
            let mut cells: Vec<String> = ctx
                .years
                .iter()
                .map(|y| ctx.print(ctx.group_shown[&(g, *y)]))
                .collect();
            if with_change {
                let per_year = ctx.totals.by_group.get(&g);
                cells.push(ctx.print(
                    ctx.group_shown[&(g, last)].saturating_sub(ctx.group_shown[&(g, first)]),
                ));
                cells.push(
                    ctx.change_percent(ctx.flow(per_year, first).net, ctx.flow(per_year, last).net),
                );
            }
            PrintedRow {
                label: ctx.group_row_label(g),
                cells,
                strong: false,
            }
        })
        .collect();
    let mut total_cells: Vec<String> = ctx.net_total_shown.iter().map(|v| ctx.print(*v)).collect();
    let mut notes = notes(ctx.words, ctx.footing, ctx.net_note);
    if with_change {
        // The balance's change is a change of a residue: no percentage.
        total_cells.push(
            ctx.print(
                ctx.net_total_shown[ctx.net_total_shown.len() - 1]
                    .saturating_sub(ctx.net_total_shown[0]),
            ),
        );
        total_cells.push("–".into());
        notes.push(ctx.words.get(words::PERCENT_BASE).into());
    }
    PrintedTable {
        caption: ctx.words.fill(
            "budget.net_caption",
            &[
                ("group", &ctx.group_label.to_lowercase()),
                ("version", &ctx.version),
                ("period", &ctx.span),
                ("unit", &ctx.unit_caption),
            ],
        ),
        columns,
        rows,
        total: Some(PrintedRow {
            label: ctx.words.get("table.sum_balance").into(),
            cells: total_cells,
            strong: true,
        }),
        notes,
    }
}

/// Change from the year before: the difference of printed figures (so it agrees with the net
/// table) and the percentage of the exact figures.
fn change_by_group(ctx: &Context<'_>) -> Option<PrintedTable> {
    if ctx.years.len() < 2 {
        return None;
    }
    let mut columns = vec![ctx.group_label.clone()];
    for pair in ctx.years.windows(2) {
        columns.push(format!("{}–{}", pair[0], pair[1]));
        columns.push("%".into());
    }
    let rows = ctx
        .group_ids
        .iter()
        .map(|&g| {
            let per_year = ctx.totals.by_group.get(&g);
            let cells = ctx
                .years
                .windows(2)
                .flat_map(|pair| {
                    let (before, now) = (pair[0], pair[1]);
                    [
                        ctx.print(
                            ctx.group_shown[&(g, now)]
                                .saturating_sub(ctx.group_shown[&(g, before)]),
                        ),
                        ctx.change_percent(
                            ctx.flow(per_year, before).net,
                            ctx.flow(per_year, now).net,
                        ),
                    ]
                })
                .collect();
            PrintedRow {
                label: ctx.group_row_label(g),
                cells,
                strong: false,
            }
        })
        .collect();
    let total_cells = ctx
        .net_total_shown
        .windows(2)
        .flat_map(|pair| [ctx.print(pair[1].saturating_sub(pair[0])), "–".to_string()])
        .collect();
    let mut notes = notes(ctx.words, ctx.footing, ctx.net_note);
    notes.push(ctx.words.get(words::PERCENT_BASE).into());
    Some(PrintedTable {
        caption: ctx.words.fill(
            "budget.change_caption",
            &[
                ("group", &ctx.group_label.to_lowercase()),
                ("version", &ctx.version),
                ("unit", &ctx.unit_caption),
            ],
        ),
        columns,
        rows,
        total: Some(PrintedRow {
            label: ctx.words.get("table.sum").into(),
            cells: total_cells,
            strong: true,
        }),
        notes,
    })
}

/// Expenses, income and net per group for each year. Each column is rounded by the footing
/// rule on its own (the net is the group's figure of the net table), so a figure with no
/// remainder prints as itself; a row's expenses and income may then differ from its net by a
/// unit, which a note says.
fn per_year_tables(ctx: &Context<'_>) -> Vec<YearTable> {
    ctx.years
        .iter()
        .enumerate()
        .map(|(index, &year)| {
            let flows: Vec<Flow> = ctx
                .group_ids
                .iter()
                .map(|g| ctx.flow(ctx.totals.by_group.get(g), year))
                .collect();
            let expenses: Vec<Decimal> = flows.iter().map(|f| f.expense).collect();
            let incomes: Vec<Decimal> = flows.iter().map(|f| f.income).collect();
            let (expense_shown, expense_total, expense_note) =
                column(&expenses, &ctx.unit, ctx.footing, None);
            let (income_shown, income_total, income_note) =
                column(&incomes, &ctx.unit, ctx.footing, None);
            let net_total = ctx.net_total_shown[index];
            let mut across = expense_total.saturating_add(income_total) != net_total;
            let rows = ctx
                .group_ids
                .iter()
                .enumerate()
                .map(|(i, &g)| {
                    let net = ctx.group_shown[&(g, year)];
                    across |= expense_shown[i].saturating_add(income_shown[i]) != net;
                    PrintedRow {
                        label: ctx.group_row_label(g),
                        cells: vec![
                            ctx.print(expense_shown[i]),
                            ctx.print(income_shown[i]),
                            ctx.print(net),
                        ],
                        strong: false,
                    }
                })
                .collect();
            let mut table_notes = notes(
                ctx.words,
                ctx.footing,
                expense_note || income_note || ctx.net_note,
            );
            if across {
                table_notes.push(ctx.words.get(words::ACROSS).into());
            }
            YearTable {
                year,
                table: PrintedTable {
                    caption: ctx.words.fill(
                        "budget.year_caption",
                        &[
                            ("group", &ctx.group_label.to_lowercase()),
                            ("year", &year.to_string()),
                            ("version", &ctx.version),
                            ("unit", &ctx.unit_caption),
                        ],
                    ),
                    columns: vec![
                        ctx.group_label.clone(),
                        ctx.words.get("table.expenses").into(),
                        ctx.words.get("table.income").into(),
                        ctx.words.get("table.net").into(),
                    ],
                    rows,
                    total: Some(PrintedRow {
                        label: ctx.words.get("table.sum").into(),
                        cells: vec![
                            ctx.print(expense_total),
                            ctx.print(income_total),
                            ctx.print(net_total),
                        ],
                        strong: true,
                    }),
                    notes: table_notes,
                },
            }
        })
        .collect()
}

/// The details of each group, rounded to add up to the group's printed figure.
fn group_tables(ctx: &Context<'_>, detail_role: usize, detail_label: &str) -> Vec<GroupTable> {
    ctx.group_ids
        .iter()
        .map(|&g| {
            let (code, name) = name_of(ctx.words, ctx.ledger, ctx.group_role, g);
            let mut detail_ids: Vec<u32> = ctx
                .totals
                .by_detail
                .range((g, 0)..=(g, u32::MAX))
                .filter(|(_, per_year)| !ctx.hide_zero_rows || !ctx.all_zero(Some(per_year)))
                .map(|(&(_, d), _)| d)
                .collect();
            detail_ids.sort_by_cached_key(|&d| order_key(ctx.words, ctx.ledger, detail_role, d));
            let mut shown_by_year = Vec::new();
            let mut note = false;
            for &year in &ctx.years {
                let values: Vec<Decimal> = detail_ids
                    .iter()
                    .map(|&d| ctx.flow(ctx.totals.by_detail.get(&(g, d)), year).net)
                    .collect();
                let (shown, _, n) = column(
                    &values,
                    &ctx.unit,
                    ctx.footing,
                    Some(ctx.group_shown[&(g, year)]),
                );
                note |= n;
                shown_by_year.push(shown);
            }
            let rows = detail_ids
                .iter()
                .enumerate()
                .map(|(i, &d)| {
                    let (dcode, dname) = name_of(ctx.words, ctx.ledger, detail_role, d);
                    PrintedRow {
                        label: label(&dcode, &dname),
                        cells: shown_by_year.iter().map(|col| ctx.print(col[i])).collect(),
                        strong: false,
                    }
                })
                .collect();
            GroupTable {
                code: code.clone(),
                name: name.clone(),
                table: PrintedTable {
                    caption: ctx.words.fill(
                        "budget.detail_caption",
                        &[
                            ("detail", &detail_label.to_lowercase()),
                            ("group", &name),
                            ("version", &ctx.version),
                            ("period", &ctx.span),
                            ("unit", &ctx.unit_caption),
                        ],
                    ),
                    columns: std::iter::once(detail_label.to_string())
                        .chain(ctx.years.iter().map(i32::to_string))
                        .collect(),
                    rows,
                    total: Some(PrintedRow {
                        label: super::table::sum_of(ctx.words, &name),
                        cells: ctx
                            .years
                            .iter()
                            .map(|y| ctx.print(ctx.group_shown[&(g, *y)]))
                            .collect(),
                        strong: true,
                    }),
                    notes: notes(ctx.words, ctx.footing, note),
                },
            }
        })
        .collect()
}

/// Every year and version that has amounts: expenses, income and net, each rounded once.
fn overview_table(ctx: &Context<'_>) -> PrintedTable {
    let unit = &ctx.unit;
    let mut across = false;
    let mut hidden = false;
    let rows = ctx
        .totals
        .by_year_version
        .iter()
        .filter(|(_, flow)| {
            let empty = flow.expense.is_zero() && flow.income.is_zero();
            hidden |= empty;
            !empty
        })
        .map(|(&(year, v), flow)| {
            let [expense, income, net] =
                [flow.expense, flow.income, flow.net].map(|x| unit.round(x));
            across |= expense.saturating_add(income) != net;
            PrintedRow {
                label: format!("{year} {}", ctx.ledger.versions[usize::from(v)]),
                cells: vec![unit.print(expense), unit.print(income), unit.print(net)],
                strong: false,
            }
        })
        .collect();
    let w = ctx.words;
    let mut notes = Vec::new();
    if across {
        notes.push(w.get(words::ACROSS).to_string());
    }
    if hidden {
        notes.push(w.get(words::HIDDEN_YEARS).to_string());
    }
    PrintedTable {
        caption: w.fill(
            "budget.overview_caption",
            &[(
                "unit",
                &w.fill("unit.current_prices", &[("unit", &unit.caption(w))]),
            )],
        ),
        columns: vec![
            w.get("budget.year_and_version").into(),
            w.get("table.expenses").into(),
            w.get("table.income").into(),
            w.get("table.net_balance").into(),
        ],
        rows,
        total: None,
        notes,
    }
}

/// Net per group per inhabitant, in whole kroner, footing to the total per inhabitant.
fn per_inhabitant(ctx: &Context<'_>, population: &BTreeMap<i32, Decimal>) -> PrintedTable {
    let per_head = Unit {
        scale: format::Scale::Kroner,
        decimals: 0,
        rule: ctx.unit.rule,
    };
    let mut columns_shown = Vec::new();
    let mut totals_shown = Vec::new();
    let mut note = false;
    for &year in &ctx.years {
        let people = population.get(&year).copied().unwrap_or(Decimal::ONE);
        let values: Vec<Decimal> = ctx
            .group_ids
            .iter()
            .map(|g| {
                ctx.flow(ctx.totals.by_group.get(g), year)
                    .net
                    .checked_div(people)
                    .unwrap_or_default()
            })
            .collect();
        let (shown, total, n) = column(&values, &per_head, ctx.footing, None);
        note |= n;
        columns_shown.push(shown);
        totals_shown.push(total);
    }
    PrintedTable {
        caption: ctx.words.fill(
            "budget.per_inhabitant_caption",
            &[
                ("group", &ctx.group_label.to_lowercase()),
                ("version", &ctx.version),
                ("period", &ctx.span),
                (
                    "prices",
                    &match ctx.prices {
                        Some((base, _)) => ctx
                            .words
                            .fill("prices.fixed", &[("year", &base.to_string())]),
                        None => ctx.words.get("prices.current").to_string(),
                    },
                ),
            ],
        ),
        columns: std::iter::once(ctx.group_label.clone())
            .chain(ctx.years.iter().map(i32::to_string))
            .collect(),
        rows: ctx
            .group_ids
            .iter()
            .enumerate()
            .map(|(i, &g)| PrintedRow {
                label: ctx.group_row_label(g),
                cells: columns_shown.iter().map(|c| per_head.print(c[i])).collect(),
                strong: false,
            })
            .collect(),
        total: Some(PrintedRow {
            label: ctx.words.get("table.sum").into(),
            cells: totals_shown.iter().map(|v| per_head.print(*v)).collect(),
            strong: true,
        }),
        notes: notes(ctx.words, ctx.footing, note),
    }
}

/// The printed figures of an overview's rows, top-down: the bottom row is rounded once, and
/// each sum row's parts are rounded by the footing rule to add up to the sum as printed. With
/// `Footing::Note` every figure is rounded on its own. Returns the figures and whether a note
/// is needed.
fn statutory_figures(
    ctx: &Context<'_>,
    overview: &Overview,
    computed: &OverviewTotals,
) -> (BTreeMap<(u32, i32), Decimal>, bool) {
    let unit = &ctx.unit;
    let mut shown = BTreeMap::new();
    let mut note = false;
    for &year in &ctx.years {
        match ctx.footing {
            Footing::Note => {
                for spec in &overview.rows {
                    shown.insert(
                        (spec.number, year),
                        unit.round(computed.row(spec.number, year)),
                    );
                }
                for spec in &overview.rows {
                    if let Some(formula) = &spec.formula {
                        let printed: Decimal = formula.iter().map(|r| shown[&(*r, year)]).sum();
                        note |= printed != shown[&(spec.number, year)];
                    }
                }
            }
            Footing::LargestRemainder => {
                let bottom = overview.bottom;
                shown.insert((bottom, year), unit.round(computed.row(bottom, year)));
                let mut stack = vec![bottom];
                while let Some(row) = stack.pop() {
                    let Some(children) = overview.children(row) else {
                        continue;
                    };
                    let values: Vec<Decimal> =
                        children.iter().map(|r| computed.row(*r, year)).collect();
                    let (parts, _, adjusted) = column(
                        &values,
                        unit,
                        Footing::LargestRemainder,
                        Some(shown[&(row, year)]),
                    );
                    note |= adjusted;
                    for (r, v) in children.iter().zip(parts) {
                        shown.insert((*r, year), v);
                        stack.push(*r);
                    }
                }
            }
        }
    }
    (shown, note)
}

fn statutory_view(
    ctx: &Context<'_>,
    overview: &Overview,
    computed: &OverviewTotals,
) -> StatutoryView {
    let unit = &ctx.unit;
    let years = &ctx.years;
    let (shown, note) = statutory_figures(ctx, overview, computed);
    let rows = overview
        .rows
        .iter()
        .map(|spec| PrintedRow {
            label: format!("{}. {}", spec.number, spec.name),
            cells: years
                .iter()
                .map(|&y| unit.print(shown[&(spec.number, y)]))
                .collect(),
            strong: spec.formula.is_some(),
        })
        .collect();
    let w = ctx.words;
    let (part, title, paragraph) = match overview.statement {
        Statement::AppropriationsDrift => (
            "drift",
            w.get("statutory.title_5_4"),
            w.get("statutory.paragraph_5_4"),
        ),
        Statement::AppropriationsInvestering => (
            "investering",
            w.get("statutory.title_5_5"),
            w.get("statutory.paragraph_5_5"),
        ),
        Statement::DriftByArt => (
            "drift",
            w.get("statutory.title_5_6"),
            w.get("statutory.paragraph_5_6"),
        ),
    };
    let by_group = overview
        .statement
        .split_row()
        .map(|row| split_by_group(ctx, computed, row, &shown));
    let reconciliation = match (&by_group, overview.statement.split_row(), ctx.prices) {
        (Some((_, part_two)), Some(row), None) => Some(reconciliation(ctx, row, part_two, &shown)),
        _ => None,
    };
    StatutoryView {
        part,
        paragraph: overview.statement.paragraph(),
        title: title.into(),
        table: PrintedTable {
            caption: w.fill(
                "statutory.caption",
                &[
                    ("title", title),
                    ("period", &ctx.span),
                    ("paragraph", paragraph),
                    ("unit", &unit.caption(w)),
                ],
            ),
            columns: std::iter::once(w.get("statutory.line").to_string())
                .chain(years.iter().map(i32::to_string))
                .collect(),
            rows,
            total: None,
            notes: notes(w, ctx.footing, note),
        },
        by_group: by_group.map(|(table, _)| table),
        reconciliation,
        residue: residue(ctx, computed),
        unmapped: computed.unmapped.iter().map(|u| u.count).sum(),
        excluded: computed.excluded.iter().map(|e| e.count).sum(),
        bottom: overview.bottom,
        chart_year: computed.chart_year,
    }
}

/// § 5-4 annet ledd: the split row per group. A group whose lines all lie in the split row
/// prints its figure of the net table (the same quantity prints the same); the others are
/// rounded by the footing rule to add up to the split row as printed in part one.
fn split_by_group(
    ctx: &Context<'_>,
    computed: &OverviewTotals,
    row: u32,
    shown: &BTreeMap<(u32, i32), Decimal>,
) -> (PrintedTable, BTreeMap<(u32, i32), Decimal>) {
    let mut ids: Vec<u32> = computed
        .by_group
        .iter()
        .filter(|(_, per_year)| !ctx.hide_zero_rows || per_year.values().any(|v| !v.is_zero()))
        .map(|(g, _)| *g)
        .collect();
    ids.sort_by_cached_key(|&g| {
        group_key(ctx.words, ctx.group_order, ctx.ledger, ctx.group_role, g)
    });
    let mut printed: BTreeMap<(u32, i32), Decimal> = BTreeMap::new();
    let mut note = false;
    for &year in &ctx.years {
        let target = shown[&(row, year)];
        note |= split_year(ctx, computed, &ids, year, target, &mut printed);
    }
    let table = split_table(ctx, &ids, &printed, row, shown, note);
    (table, printed)
}

/// A group's exact figure in the split row in a year.
fn split_exact(computed: &OverviewTotals, g: u32, y: i32) -> Decimal {
    computed
        .by_group
        .get(&g)
        .and_then(|m| m.get(&y))
        .copied()
        .unwrap_or_default()
}

/// One year of the split row per group, into `printed`: a group whose net in the net table
/// is this very quantity keeps that figure (fixed); the others are footed to the split row
/// as printed (`target`) less the fixed ones. Returns whether a figure was moved or the
/// column does not add up to the target.
fn split_year(
    ctx: &Context<'_>,
    computed: &OverviewTotals,
    ids: &[u32],
    year: i32,
    target: Decimal,
    printed: &mut BTreeMap<(u32, i32), Decimal>,
) -> bool {
    let exact = |g: u32, y: i32| split_exact(computed, g, y);
    // Fixed: the group's net in the net table is this very quantity.
    let fixed = |g: u32| {
        (ctx.prices.is_none())
            .then(|| ctx.group_shown.get(&(g, year)).copied())
            .flatten()
            .filter(|_| {
                ctx.totals
                    .by_group
                    .get(&g)
                    .and_then(|m| m.get(&year))
                    .is_some_and(|f| f.net == exact(g, year))
            })
    };
    let free: Vec<u32> = ids
        .iter()
        .copied()
        .filter(|&g| fixed(g).is_none())
        .collect();
    let fixed_sum = ids
        .iter()
        .filter_map(|&g| fixed(g))
        .fold(Decimal::ZERO, |a, v| a.saturating_add(v));
    let values: Vec<Decimal> = free.iter().map(|&g| exact(g, year)).collect();
    let (parts, _, note) = column(
        &values,
        &ctx.unit,
        ctx.footing,
        Some(target.saturating_sub(fixed_sum)),
    );
    for (g, v) in free.iter().zip(parts) {
        printed.insert((*g, year), v);
    }
    for &g in ids {
        if let Some(v) = fixed(g) {
            printed.insert((g, year), v);
        }
    }
    let sum = ids
        .iter()
        .fold(Decimal::ZERO, |a, g| a.saturating_add(printed[&(*g, year)]));
    note || sum != target
}

/// The table of the split row per group, its sum row the split row as printed in part one.
fn split_table(
    ctx: &Context<'_>,
    ids: &[u32],
    printed: &BTreeMap<(u32, i32), Decimal>,
    row: u32,
    shown: &BTreeMap<(u32, i32), Decimal>,
    note: bool,
) -> PrintedTable {
    let unit = &ctx.unit;
    let rows = ids
        .iter()
        .map(|&g| PrintedRow {
            label: ctx.group_row_label(g),
            cells: ctx
                .years
                .iter()
                .map(|y| unit.print(printed[&(g, *y)]))
                .collect(),
            strong: false,
        })
        .collect();
    PrintedTable {
        caption: ctx.words.fill(
            "statutory.by_group_caption",
            &[
                ("group", &ctx.group_label.to_lowercase()),
                ("period", &ctx.span),
                ("row", &row.to_string()),
                ("unit", &unit.caption(ctx.words)),
            ],
        ),
        columns: std::iter::once(ctx.group_label.clone())
            .chain(ctx.years.iter().map(i32::to_string))
            .collect(),
        rows,
        total: Some(PrintedRow {
            label: ctx
                .words
                .fill("statutory.sum_row", &[("row", &row.to_string())]),
            cells: ctx
                .years
                .iter()
                .map(|&y| unit.print(shown[&(row, y)]))
                .collect(),
            strong: true,
        }),
        notes: notes(ctx.words, ctx.footing, note),
    }
}

/// From the net per group (the net table) to the split row per group: what each group has
/// outside the split row, as the difference of the two printed figures, so the three tables
/// reconcile on the page.
fn reconciliation(
    ctx: &Context<'_>,
    row: u32,
    part_two: &BTreeMap<(u32, i32), Decimal>,
    shown: &BTreeMap<(u32, i32), Decimal>,
) -> PrintedTable {
    let unit = &ctx.unit;
    let mut ids: Vec<u32> = ctx
        .group_ids
        .iter()
        .chain(part_two.keys().map(|(g, _)| g))
        .copied()
        .collect();
    ids.sort_by_cached_key(|&g| {
        group_key(ctx.words, ctx.group_order, ctx.ledger, ctx.group_role, g)
    });
    ids.dedup();
    let difference = |g: u32, y: i32| {
        let net = ctx.group_shown.get(&(g, y)).copied().unwrap_or_default();
        net.saturating_sub(part_two.get(&(g, y)).copied().unwrap_or_default())
    };
    let rows = ids
        .iter()
        .filter(|&&g| ctx.years.iter().any(|&y| !difference(g, y).is_zero()))
        .map(|&g| PrintedRow {
            label: ctx.group_row_label(g),
            cells: ctx
                .years
                .iter()
                .map(|&y| unit.print(difference(g, y)))
                .collect(),
            strong: false,
        })
        .collect();
    PrintedTable {
        caption: ctx.words.fill(
            "statutory.reconciliation_caption",
            &[
                ("group", &ctx.group_label.to_lowercase()),
                ("row", &row.to_string()),
                ("period", &ctx.span),
                ("unit", &unit.caption(ctx.words)),
            ],
        ),
        columns: std::iter::once(ctx.group_label.clone())
            .chain(ctx.years.iter().map(i32::to_string))
            .collect(),
        rows,
        total: Some(PrintedRow {
            label: ctx.words.get("table.sum").into(),
            cells: ctx
                .years
                .iter()
                .enumerate()
                .map(|(i, &y)| unit.print(ctx.net_total_shown[i].saturating_sub(shown[&(row, y)])))
                .collect(),
            strong: true,
        }),
        notes: Vec::new(),
    }
}

/// The lines an overview leaves out on purpose and, when the report accepts them, the lines
/// it could not place: what they are, how many, and their sums.
fn residue(ctx: &Context<'_>, computed: &OverviewTotals) -> Option<PrintedTable> {
    if computed.unmapped.is_empty() && computed.excluded.is_empty() {
        return None;
    }
    let unit = &ctx.unit;
    let cells = |by_year: &BTreeMap<i32, Decimal>| {
        let mut cells = vec![];
        for y in &ctx.years {
            cells.push(unit.print(unit.round(by_year.get(y).copied().unwrap_or_default())));
        }
        cells
    };
    let rows = computed
        .excluded
        .iter()
        .map(|e| PrintedRow {
            label: ctx.words.fill(
                "statutory.excluded",
                &[
                    ("codes", &excluded_codes(ctx.words, e)),
                    ("count", &e.count.to_string()),
                ],
            ),
            cells: cells(&e.by_year),
            strong: false,
        })
        .chain(computed.unmapped.iter().map(|u| PrintedRow {
            label: ctx.words.fill(
                "statutory.unmapped",
                &[("art", &u.art), ("count", &u.count.to_string())],
            ),
            cells: cells(&u.by_year),
            strong: false,
        }))
        .collect();
    Some(PrintedTable {
        caption: ctx.words.fill(
            "statutory.residue_caption",
            &[("period", &ctx.span), ("unit", &unit.caption(ctx.words))],
        ),
        columns: std::iter::once(ctx.words.get("statutory.lines").to_string())
            .chain(ctx.years.iter().map(i32::to_string))
            .collect(),
        rows,
        total: None,
        notes: Vec::new(),
    })
}

/// The change bridge of one year: the adopted budget, each change group (`sums`, from the
/// group whose code is `start`), the proposal.
fn bridge_view(
    ctx: &Context<'_>,
    sums: &BTreeMap<u32, BTreeMap<i32, Decimal>>,
    start: &str,
    year: i32,
) -> BridgeView {
    let (ledger, unit, footing, w) = (ctx.ledger, &ctx.unit, ctx.footing, ctx.words);
    let unit_caption = ctx.unit_caption.as_str();
    let change_role = Role::ChangeGroup.index();
    let priced = |y: i32, kroner: Decimal| ctx.priced(y, kroner);
    let mut ids: Vec<u32> = sums.keys().copied().collect();
    ids.sort_by_key(|&c| {
        let (code, name) = name_of(w, ledger, change_role, c);
        (code != start, code, name)
    });
    let values: Vec<Decimal> = ids
        .iter()
        .map(|c| priced(year, sums[c].get(&year).copied().unwrap_or_default()))
        .collect();
    let footed = column(&values, unit, footing, None);
    let (shown, total) = (&footed.0, footed.1);
    let labels: Vec<String> = ids
        .iter()
        .map(|&c| {
            let (code, name) = name_of(w, ledger, change_role, c);
            label(&code, &name)
        })
        .collect();
    let waterfall = Waterfall::new(shown, unit, bridge_chart_unit(&values, unit));
    let alt = w.fill(
        "bridge.alt",
        &[
            ("year", &year.to_string()),
            ("start", &labels.first().cloned().unwrap_or_default()),
            (
                "start_amount",
                &unit.print(shown.first().copied().unwrap_or_default()),
            ),
            ("count", &labels.len().saturating_sub(1).to_string()),
            ("total", &unit.print(total)),
            ("unit", unit_caption),
        ],
    );
    let chart_unit = waterfall.chart.scale.unit();
    let axis_start = (!waterfall.axis_min.is_zero())
        .then(|| format!("{} {chart_unit}", waterfall.label(waterfall.axis_min)));
    BridgeView {
        year,
        chart_unit,
        axis_start,
        table: bridge_table(&labels, &footed, year, unit, footing, unit_caption, w),
        steps: waterfall.steps(&labels, total, year, w),
        ticks: waterfall.ticks(),
        alt,
    }
}

/// A change bridge drawn as a waterfall: the first step and the last are totals standing on
/// the axis; the others float from the running total. The axis starts at a round figure below
/// the lowest total and leaves room above the highest bar for its value label.
struct Waterfall<'a> {
    /// The printed figures, in the table's unit.
    shown: &'a [Decimal],
    /// Where each step starts: the sum of the steps before it.
    running: Vec<Decimal>,
    axis_min: Decimal,
    axis_max: Decimal,
    step: Decimal,
    /// The table's unit, and the unit that keeps the bars' labels short.
    unit: &'a Unit,
    chart: Unit,
}

/// Labels in a unit that keeps them short (the table beside has the figures to print): sized
/// by the changes, not the totals, so that the changes do not all print as 0,0.
fn bridge_chart_unit(values: &[Decimal], unit: &Unit) -> Unit {
    Unit {
        scale: super::scale_for(
            values
                .iter()
                .skip(1)
                .copied()
                .fold(Decimal::ZERO, |a, v| a.max(v.abs())),
        ),
        decimals: 1,
        rule: unit.rule,
    }
}

impl<'a> Waterfall<'a> {
    fn new(shown: &'a [Decimal], unit: &'a Unit, chart: Unit) -> Self {
        let mut running = Vec::new();
        let mut level = Decimal::ZERO;
        for value in shown {
            running.push(level);
            level = level.saturating_add(*value);
        }
        let lowest = running
            .iter()
            .skip(1)
            .chain([&level])
            .copied()
            .fold(level, Decimal::min)
            .min(shown.first().copied().unwrap_or_default());
        let highest = running
            .iter()
            .chain([&level])
            .copied()
            .fold(level, Decimal::max)
            .max(shown.first().copied().unwrap_or_default());
        let span = highest.saturating_sub(lowest).max(Decimal::ONE);
        let step = super::tick_step(span);
        let round_to_step = |v: Decimal, up: bool| {
            v.checked_div(step)
                .map(|q| if up { q.ceil() } else { q.floor() })
                .and_then(|q| q.checked_mul(step))
                .unwrap_or(v)
        };
        let axis_min = round_to_step(lowest.saturating_sub(span / Decimal::TEN), false);
        let axis_min = if lowest >= Decimal::ZERO && axis_min < Decimal::ZERO {
            Decimal::ZERO
        } else {
            axis_min
        };
        let axis_max = round_to_step(highest, true);
        // Room above the highest bar for its value label.
        let axis_max = if (axis_max - highest) * Decimal::TEN < span {
            axis_max.saturating_add(step)
        } else {
            axis_max
        };
        Waterfall {
            shown,
            running,
            axis_min,
            axis_max,
            step,
            unit,
            chart,
        }
    }

    /// A figure's height on the axis, in percent.
    fn at(&self, v: Decimal) -> Decimal {
        let range = self
            .axis_max
            .saturating_sub(self.axis_min)
            .max(Decimal::ONE);
        super::percent_of(v - self.axis_min, range)
    }

    /// A printed figure as the chart labels it.
    fn label(&self, shown_value: Decimal) -> String {
        let in_kroner = shown_value.saturating_mul(self.unit.scale.divisor());
        self.chart.print(self.chart.round(in_kroner))
    }

    /// The bars: the adopted budget, each change group up or down, the proposal.
    fn steps(&self, labels: &[String], total: Decimal, year: i32, w: &Words) -> Vec<BridgeStep> {
        let mut steps = Vec::new();
        for (i, value) in self.shown.iter().enumerate() {
            let (bottom, top, kind) = if i == 0 {
                (self.axis_min, *value, "total")
            } else {
                let from = self.running[i];
                let to = from.saturating_add(*value);
                (
                    from.min(to),
                    from.max(to),
                    if *value >= Decimal::ZERO {
                        "up"
                    } else {
                        "down"
                    },
                )
            };
            steps.push(BridgeStep {
                label: labels[i].clone(),
                value: self.label(*value),
                kind,
                bottom: self.at(bottom),
                height: self.at(top) - self.at(bottom),
            });
        }
        steps.push(BridgeStep {
            label: w.fill("bridge.proposal", &[("year", &year.to_string())]),
            value: self.label(total),
            kind: "total",
            bottom: Decimal::ZERO,
            height: self.at(total),
        });
        steps
    }

    /// The axis' ticks, one a step from its start, at most twelve.
    fn ticks(&self) -> Vec<super::Tick> {
        let mut ticks = Vec::new();
        let mut tick = self.axis_min;
        while tick <= self.axis_max && ticks.len() < 12 {
            ticks.push(super::Tick {
                percent: self.at(tick),
                label: self.label(tick),
            });
            tick = tick.saturating_add(self.step);
        }
        ticks
    }
}

/// The bridge as a table: a row per change group, the proposal as its sum; the figures as
/// [`column`] footed them (printed figures, total, whether footing moved one).
fn bridge_table(
    labels: &[String],
    (shown, total, note): &(Vec<Decimal>, Decimal, bool),
    year: i32,
    unit: &Unit,
    footing: Footing,
    unit_caption: &str,
    w: &Words,
) -> PrintedTable {
    PrintedTable {
        caption: w.fill(
            "bridge.caption",
            &[("year", &year.to_string()), ("unit", unit_caption)],
        ),
        columns: vec![w.get("bridge.change_group").into(), year.to_string()],
        rows: labels
            .iter()
            .zip(shown)
            .map(|(l, v)| PrintedRow {
                label: l.clone(),
                cells: vec![unit.print(*v)],
                strong: false,
            })
            .collect(),
        total: Some(PrintedRow {
            label: w.fill("bridge.proposal", &[("year", &year.to_string())]),
            cells: vec![unit.print(*total)],
            strong: true,
        }),
        notes: notes(w, footing, *note),
    }
}

/// Every line of the chosen version in the plan years, per group in group order, each line's
/// other dimensions (those any source has), year and amount in the report's unit.
fn listing(ctx: &Context<'_>, sources: &[u16], version: u16) -> Vec<ListingGroup> {
    let (ledger, group_role, unit, w) = (ctx.ledger, ctx.group_role, &ctx.unit, ctx.words);
    let (group_ids, years) = (ctx.group_ids.as_slice(), ctx.years.as_slice());
    let shown_roles: Vec<usize> = (0..Role::COUNT)
        .filter(|&r| r != group_role && !ledger.dimensions[r].values.is_empty())
        .collect();
    let mut by_group: BTreeMap<u32, Vec<&crate::model::budget::BudgetLine>> = BTreeMap::new();
    for line in ledger
        .lines
        .iter()
        .filter(|l| l.version == version && years.contains(&l.year) && sources.contains(&l.source))
    {
        by_group
            .entry(line.dims[group_role])
            .or_default()
            .push(line);
    }
    let columns: Vec<String> = shown_roles
        .iter()
        .map(|&r| dimension_label(w, ledger, r).unwrap_or_default())
        .chain([
            w.get("table.year").to_string(),
            w.get("table.amount").to_string(),
        ])
        .collect();
    group_ids
        .iter()
        .filter_map(|g| by_group.get(g).map(|lines| (g, lines)))
        .map(|(&g, lines)| {
            let (code, name) = name_of(w, ledger, group_role, g);
            let cell = |line: &crate::model::budget::BudgetLine, role: usize| {
                let id = line.dims[role];
                if id == NONE {
                    String::new()
                } else {
                    ledger.dimensions[role].values[id as usize].display()
                }
            };
            let mut rows: Vec<(i32, Vec<String>)> = lines
                .iter()
                .map(|line| {
                    let mut row: Vec<String> = shown_roles.iter().map(|&r| cell(line, r)).collect();
                    row.push(line.year.to_string());
                    row.push(unit.print(unit.round(line.amount)));
                    (line.year, row)
                })
                .collect();
            rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
            let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
            let label_widths = rows
                .iter()
                .map(|r| {
                    let labels = &r[..r.len().saturating_sub(2)];
                    labels
                        .iter()
                        .map(|l| fonts::text_width(l, false))
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            ListingGroup {
                code,
                name,
                columns: columns.clone(),
                rows,
                label_widths,
            }
        })
        .collect()
}

/// The codes a mapping line leaves out, as the catalogue words them: "funksjon 899",
/// "art 500–599", "art 800 på funksjon 840".
fn excluded_codes(words: &Words, excluded: &crate::aggregate::statutory::Excluded) -> String {
    use crate::aggregate::statutory::code_range;
    let art = code_range(excluded.art);
    match excluded.funksjon.map(code_range) {
        Some(funksjon) if excluded.art == (0, 999) => {
            words.fill("statutory.codes_funksjon", &[("funksjon", &funksjon)])
        }
        Some(funksjon) => words.fill(
            "statutory.codes_art_funksjon",
            &[("art", &art), ("funksjon", &funksjon)],
        ),
        None => words.fill("statutory.codes_art", &[("art", &art)]),
    }
}
