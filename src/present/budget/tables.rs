//! The ordinary tables of a part: the overview per year and version, the net per group with
//! the change over the period, the change from year to year, expenses, income and net per
//! group for each year, the details of each group, the net per inhabitant, and each year's
//! exact balance.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use super::history::{self, History};
use super::input::PartTotals;
use crate::aggregate::ledger::Flow;
use crate::format;
use crate::format::Unit;
use crate::present::table::{GroupTable, PrintedRow, PrintedTable, column, label, notes, words};
use crate::words::{Fill, Phrase};

#[derive(Debug, Clone, Serialize)]
pub struct YearTable {
    pub year: i32,
    pub table: PrintedTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct BalanceView {
    pub year: i32,
    pub amount: Decimal,
    pub(crate) balanced: bool,
}

/// Each plan year's balance, printed exactly, in current kroner, whatever the price basis.
pub(super) fn balance_views(ctx: &Context<'_>) -> Vec<BalanceView> {
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

/// Net per group for each plan year, with the change over the period; the history columns
/// first, when the report has them.
pub(super) fn net_by_group(ctx: &Context<'_>, history: &History<'_>) -> PrintedTable {
    let with_change = ctx.years.len() > 1;
    let (first, last) = (ctx.years[0], ctx.years[ctx.years.len() - 1]);
    let mut columns: Vec<Fill> = vec![ctx.group_label.clone().into()];
    columns.extend(history.sides.iter().map(|s| Fill::from(s.label)));
    columns.extend(ctx.years.iter().map(|y| Fill::from(y.to_string())));
    if with_change {
        columns.push(
            Phrase::new("table.change_over")
                .with("period", &ctx.span)
                .into(),
        );
        columns.push(Phrase::new("table.change_percent").into());
    }
    let rows = history
        .rows
        .iter()
        .map(|&g| {
            let mut cells: Vec<String> = history
                .sides
                .iter()
                .map(|s| s.net_shown(g))
                .chain(ctx.years.iter().map(|y| ctx.shown(g, *y)))
                .map(|v| ctx.print(v))
                .collect();
            if with_change {
                let per_year = ctx.totals.by_group.get(&g);
                cells.push(ctx.print(ctx.shown(g, last).saturating_sub(ctx.shown(g, first))));
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
    let mut total_cells: Vec<String> = history
        .sides
        .iter()
        .map(|s| s.total_shown)
        .chain(ctx.net_total_shown.iter().copied())
        .map(|v| ctx.print(v))
        .collect();
    let history_note = history.sides.iter().any(|s| s.note);
    let mut notes = notes(ctx.footing, ctx.net_note || history_note);
    notes.extend(history::missing_notes(
        &history.sides,
        &group_presence(ctx, history),
    ));
    if with_change {
        // The balance's change is a change of a residue: no percentage.
        total_cells.push(
            ctx.print(
                ctx.net_total_shown[ctx.net_total_shown.len() - 1]
                    .saturating_sub(ctx.net_total_shown[0]),
            ),
        );
        total_cells.push("–".into());
        notes.push(Phrase::new(words::PERCENT_BASE));
    }
    PrintedTable {
        caption: Phrase::new("budsjett.net_caption")
            .with("group", ctx.group_label.to_lowercase())
            .with("version", &ctx.version)
            .with("period", &ctx.span)
            .with("unit", ctx.unit_caption.clone()),
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
pub(super) fn change_by_group(ctx: &Context<'_>) -> Option<PrintedTable> {
    if ctx.years.len() < 2 {
        return None;
    }
    let mut columns: Vec<Fill> = vec![ctx.group_label.clone().into()];
    for pair in ctx.years.windows(2) {
        columns.push(format!("{}–{}", pair[0], pair[1]).into());
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
    let mut notes = notes(ctx.footing, ctx.net_note);
    notes.push(Phrase::new(words::PERCENT_BASE));
    Some(PrintedTable {
        caption: Phrase::new("budsjett.change_caption")
            .with("group", ctx.group_label.to_lowercase())
            .with("version", &ctx.version)
            .with("unit", ctx.unit_caption.clone()),
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

/// One year's printed expenses and income per group (in the order of `ctx.group_ids`), each
/// column footed by the footing rule on its own (a sector's to the whole report's figures for
/// it), their printed totals, and whether footing moved a figure.
pub(super) struct YearFlows {
    pub(super) expense: (Vec<Decimal>, Decimal),
    pub(super) income: (Vec<Decimal>, Decimal),
    pub(super) note: bool,
}

/// The printed expenses and income per group of `year`.
pub(super) fn year_flows(ctx: &Context<'_>, year: i32) -> YearFlows {
    let flows: Vec<Flow> = ctx
        .group_ids
        .iter()
        .map(|g| ctx.flow(ctx.totals.by_group.get(g), year))
        .collect();
    let expenses: Vec<Decimal> = flows.iter().map(|f| f.expense).collect();
    let incomes: Vec<Decimal> = flows.iter().map(|f| f.income).collect();
    let target = |of: fn(&PartTotals) -> &BTreeMap<i32, Decimal>| {
        ctx.sector.and_then(|s| of(s).get(&year).copied())
    };
    let (expense, expense_total, expense_note) =
        column(&expenses, &ctx.unit, ctx.footing, target(|s| &s.expense));
    let (income, income_total, income_note) =
        column(&incomes, &ctx.unit, ctx.footing, target(|s| &s.income));
    YearFlows {
        expense: (expense, expense_total),
        income: (income, income_total),
        note: expense_note || income_note,
    }
}

/// Expenses, income and net per group for each year. Each column is rounded by the footing
/// rule on its own (the net is the group's figure of the net table), so a figure with no
/// remainder prints as itself; a row's expenses and income may then differ from its net by a
/// unit, which a note says.
pub(super) fn per_year_tables(ctx: &Context<'_>) -> Vec<YearTable> {
    ctx.years
        .iter()
        .enumerate()
        .map(|(index, &year)| {
            let YearFlows {
                expense: (expense_shown, expense_total),
                income: (income_shown, income_total),
                note: flow_note,
            } = year_flows(ctx, year);
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
            let mut table_notes = notes(ctx.footing, flow_note || ctx.net_note);
            if across {
                table_notes.push(Phrase::new(words::ACROSS));
            }
            YearTable {
                year,
                table: PrintedTable {
                    caption: Phrase::new("budsjett.year_caption")
                        .with("group", ctx.group_label.to_lowercase())
                        .with("year", year.to_string())
                        .with("version", &ctx.version)
                        .with("unit", ctx.unit_caption.clone()),
                    columns: vec![
                        ctx.group_label.clone().into(),
                        Phrase::new("table.expenses").into(),
                        Phrase::new("table.income").into(),
                        Phrase::new("table.net").into(),
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

/// The details of each group, rounded to add up to the group's printed figure (on a history
/// side, to the group's figure in that side's column).
pub(super) fn group_tables(
    ctx: &Context<'_>,
    history: &History<'_>,
    detail_role: usize,
    detail_label: &str,
) -> Vec<GroupTable> {
    history
        .rows
        .iter()
        .map(|&g| group_table((ctx, history), detail_role, detail_label, g))
        .collect()
}

/// The details of one group: its plan years' columns footed to the group's printed figures,
/// and the history's columns each to the group's figure on its side.
fn group_table(
    (ctx, history): (&Context<'_>, &History<'_>),
    detail_role: usize,
    detail_label: &str,
    g: u32,
) -> GroupTable {
    let (code, name) = ctx.ledger.name_of(ctx.group_role, g, ctx.words);
    let mut detail_ids: Vec<u32> = ctx
        .totals
        .by_detail
        .range((g, 0)..=(g, u32::MAX))
        .filter(|(_, per_year)| !ctx.hide_zero_rows || !ctx.all_zero(Some(per_year)))
        .map(|(&(_, d), _)| d)
        .collect();
    detail_ids.sort_by_cached_key(|&d| ctx.ledger.order_key(detail_role, d, ctx.words));
    let mut shown_by_year = Vec::new();
    let mut note = false;
    for &year in &ctx.years {
        let values: Vec<Decimal> = detail_ids
            .iter()
            .map(|&d| ctx.flow(ctx.totals.by_detail.get(&(g, d)), year).net)
            .collect();
        let (shown, _, n) = column(&values, &ctx.unit, ctx.footing, Some(ctx.shown(g, year)));
        note |= n;
        shown_by_year.push(shown);
    }
    let details = history::detail_columns(ctx, history, detail_role, g, &detail_ids);
    note |= details.note;
    let rows = details
        .rows
        .iter()
        .map(|&(d, plan_index)| {
            let (dcode, dname) = ctx.ledger.name_of(detail_role, d, ctx.words);
            let plan = shown_by_year
                .iter()
                .map(|col| plan_index.map_or(Decimal::ZERO, |i| col[i]));
            let sides = details.columns.iter().map(|col| col[&d]);
            PrintedRow {
                label: label(&dcode, &dname),
                cells: sides.chain(plan).map(|v| ctx.print(v)).collect(),
                strong: false,
            }
        })
        .collect();
    let mut table_notes = notes(ctx.footing, note);
    table_notes.extend(history::missing_notes(&history.sides, &details.presence));
    GroupTable {
        code: code.clone(),
        name: name.clone(),
        table: PrintedTable {
            caption: Phrase::new("budsjett.detail_caption")
                .with("detail", detail_label.to_lowercase())
                .with("group", &name)
                .with("version", &ctx.version)
                .with("period", &ctx.span)
                .with("unit", ctx.unit_caption.clone()),
            columns: std::iter::once(Fill::from(detail_label))
                .chain(history.sides.iter().map(|s| Fill::from(s.label)))
                .chain(ctx.years.iter().map(|y| Fill::from(y.to_string())))
                .collect(),
            rows,
            total: Some(PrintedRow {
                label: crate::present::table::sum_of(ctx.words, &name),
                cells: history
                    .sides
                    .iter()
                    .map(|s| s.net_shown(g))
                    .chain(ctx.years.iter().map(|y| ctx.shown(g, *y)))
                    .map(|v| ctx.print(v))
                    .collect(),
                strong: true,
            }),
            notes: table_notes,
        },
    }
}

/// Every year and version that has amounts: expenses, income and net, each rounded once.
pub(super) fn overview_table(ctx: &Context<'_>) -> PrintedTable {
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
    let mut notes = Vec::new();
    if across {
        notes.push(Phrase::new(words::ACROSS));
    }
    if hidden {
        notes.push(Phrase::new(words::HIDDEN_YEARS));
    }
    PrintedTable {
        caption: Phrase::new("budsjett.overview_caption").with(
            "unit",
            Phrase::new("unit.current_prices").with("unit", unit.phrase()),
        ),
        columns: vec![
            Phrase::new("budsjett.year_and_version").into(),
            Phrase::new("table.expenses").into(),
            Phrase::new("table.income").into(),
            Phrase::new("table.net_balance").into(),
        ],
        rows,
        total: None,
        notes,
    }
}

/// Net per group per inhabitant, in whole kroner, footing to the total per inhabitant.
pub(super) fn per_inhabitant(
    ctx: &Context<'_>,
    population: &BTreeMap<i32, Decimal>,
) -> PrintedTable {
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
        caption: Phrase::new("budsjett.per_inhabitant_caption")
            .with("group", ctx.group_label.to_lowercase())
            .with("version", &ctx.version)
            .with("period", &ctx.span)
            .with(
                "prices",
                match ctx.prices {
                    Some((base, _)) => Phrase::new("prices.fixed").with("year", base.to_string()),
                    None => Phrase::new("prices.current"),
                },
            ),
        columns: std::iter::once(Fill::from(&ctx.group_label))
            .chain(ctx.years.iter().map(|y| Fill::from(y.to_string())))
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
        notes: notes(ctx.footing, note),
    }
}

/// Per row of the tables with history columns: its label, whether each side has lines for
/// it, and whether the plan years have (for the notes on rows printed as 0).
fn group_presence(ctx: &Context<'_>, history: &History<'_>) -> Vec<(String, Vec<bool>, bool)> {
    if history.is_empty() {
        return Vec::new();
    }
    history
        .rows
        .iter()
        .map(|&g| {
            let in_plan = ctx
                .totals
                .by_group
                .get(&g)
                .is_some_and(|m| ctx.years.iter().any(|y| m.contains_key(y)));
            let on_sides = history.sides.iter().map(|s| s.has(g)).collect();
            (ctx.group_row_label(g), on_sides, in_plan)
        })
        .collect()
}
