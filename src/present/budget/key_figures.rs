//! The key figures page (*hovedtall*, issue 26): per plan year netto driftsresultat in kroner
//! and in percent of driftsinntekter, the disposisjonsfond, netto lånegjeld (and per
//! inhabitant), and the share of investments financed by borrowing.
//!
//! Each figure is taken from what the report prints elsewhere: netto driftsresultat is § 5-4
//! row 17 as that overview prints it (with the sign turned, a surplus positive), netto
//! lånegjeld the sum of the year-end debts § 5-7 prints; percentages are of the exact figures.
//! A figure whose inputs the report lacks is "not known", with a note saying which input is
//! missing; it is never 0. Every figure keeps its inputs ([`Trace`]) for `explain`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::{Context, part_context};
use super::financial_rules::{RuleChart, rules_table_and_charts};
use super::fund::{FUND_KAPITTEL, Opening, SideChange, fund_through};
use super::history::History;
use super::input::{BudgetInput, PartInput};
pub(crate) use super::key_figure_rows::{Figures, Row, Value, percent_text};
use super::statutory::{Tied, side_figures, statutory_figures};
use crate::aggregate::statutory::{OverviewTotals, Statement};
use crate::config::Config;
use crate::format::{self, Rule};
use crate::model::Part;
use crate::present::table::{PrintedRow, PrintedTable};
use crate::words::{Fill, Phrase, Words};

/// The key figures page: the figures per plan year, the rules judged on them, their charts.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFiguresView {
    pub table: PrintedTable,
    /// The municipality's rules per plan year, when the report states any.
    pub rules: Option<PrintedTable>,
    pub(crate) rule_charts: Vec<RuleChart>,
    /// The percentages over the plan years, when more than one year is known.
    pub(crate) development: Option<super::financial_rules::LineChart>,
    /// What each printed figure was made from, for `explain --key-figure`.
    #[serde(skip)]
    pub(crate) traces: Vec<Trace>,
}

/// What one printed figure was made from: its inputs, exact, and the formula.
#[derive(Debug, Clone)]
pub(crate) struct Trace {
    pub(crate) row: Row,
    pub(crate) year: i32,
    /// The formula, worded.
    pub(crate) formula: String,
    /// Each input, worded, and its exact amount (kroner, or inhabitants).
    pub(crate) inputs: Vec<(String, Decimal)>,
    pub(crate) value: Value,
}

/// What the key figures are computed from: the statutory overviews of each part, exact and
/// as printed, the balance sheet, debt and population.
struct Sources<'a> {
    words: &'a Words,
    years: Vec<i32>,
    unit: format::Unit,
    /// § 5-4: its printed figures (in the unit) and its exact sums.
    appropriations: Option<Tied<'a>>,
    /// § 5-6 row 9, sum driftsinntekter, exact.
    by_art: Option<&'a OverviewTotals>,
    /// § 5-5, exact.
    investering: Option<&'a OverviewTotals>,
    /// The fund at the end of the year before the plan: a balance file of that year, or of
    /// an earlier one rolled forward through the history columns.
    balance: Result<Opening<'a>, Phrase>,
    debt: Option<&'a crate::aggregate::debt::DebtOverview>,
    population: Option<&'a BTreeMap<i32, Decimal>>,
    /// The drift part's history columns (issue 26), printed before the plan years.
    history: Vec<HistoryColumn<'a>>,
}

/// A history column of the key figures: netto driftsresultat (§ 5-4 row 17 as the side's
/// overview prints it, and exact), sum driftsinntekter (§ 5-6 row 9, exact) and the
/// disposisjonsfond from a balance file of the side's own year; the rest is not known there.
struct HistoryColumn<'a> {
    label: String,
    result: Option<(Decimal, Decimal)>,
    income: Option<Decimal>,
    fund: Result<Opening<'a>, Phrase>,
}

/// The key figures page, when the report has a drift part with § 5-4, or states rules.
pub(super) fn key_figures(input: &BudgetInput<'_>, config: &Config) -> Option<KeyFiguresView> {
    let drift = input.parts.iter().find(|p| p.part == Part::Drift);
    let context = drift.map(|p| {
        let ctx = part_context(input, p, config).0;
        let history = History::of(&ctx, p.history);
        (ctx, history)
    });
    let sources = sources(input, drift, context.as_ref().map(|(c, h)| (c, h)), config);
    if sources.appropriations.is_none() && input.section.rules.is_empty() {
        return None;
    }
    let mut traces = Vec::new();
    for row in Row::ALL {
        for &year in &sources.years {
            traces.push(trace(&sources, row, year));
        }
    }
    let figures: Figures = traces
        .iter()
        .map(|t| ((t.row, t.year), t.value.clone()))
        .collect();
    let table = key_table(&sources, &figures, config);
    let (rules, rule_charts, development) =
        rules_table_and_charts(&input.section.rules, &figures, &sources.years, config);
    Some(KeyFiguresView {
        table,
        rules,
        rule_charts,
        development,
        traces,
    })
}

/// Gathers what the figures are made from; § 5-4 is printed as `present_part` prints it.
fn sources<'a>(
    input: &BudgetInput<'a>,
    drift: Option<&PartInput<'a>>,
    ctx: Option<(&Context<'_>, &History<'a>)>,
    config: &'a Config,
) -> Sources<'a> {
    let overview = |part: Option<&PartInput<'a>>, statement: Statement| {
        part.and_then(|p| {
            p.statutory
                .iter()
                .find(|(o, _)| o.statement == statement)
                .copied()
        })
    };
    let appropriations = overview(drift, Statement::AppropriationsDrift)
        .zip(ctx)
        .map(|((o, c), (ctx, _))| (statutory_figures(ctx, o, c, None).0, c));
    let investering = input.parts.iter().find(|p| p.part == Part::Investering);
    let before = config.plan.first - 1;
    let changes = drift
        .zip(ctx)
        .map(|(p, (_, history))| side_changes(p, history))
        .unwrap_or_default();
    Sources {
        words: &config.words,
        years: config.plan.years().collect(),
        unit: input.section.presentation.unit,
        appropriations,
        by_art: overview(drift, Statement::DriftByArt).map(|(_, c)| c),
        investering: overview(investering, Statement::AppropriationsInvestering).map(|(_, c)| c),
        balance: fund_through(&input.ledger.balance_sheets, &changes, before),
        debt: input.debt,
        population: input.population,
        history: drift
            .zip(ctx)
            .map(|(p, ctx)| history_columns(input, p, ctx, &changes))
            .unwrap_or_default(),
    }
}

/// § 5-4 row 20 of each drift history column that has § 5-4, to roll a balance forward.
fn side_changes(drift: &PartInput<'_>, history: &History<'_>) -> Vec<SideChange> {
    let Some(index) = drift
        .statutory
        .iter()
        .position(|(o, _)| o.statement == Statement::AppropriationsDrift)
    else {
        return Vec::new();
    };
    history
        .sides
        .iter()
        .filter_map(|side| {
            let totals = side.statutory.get(index)?;
            Some(SideChange {
                year: side.year,
                label: side.label.to_string(),
                change: totals.row(20, side.year),
            })
        })
        .collect()
}

/// The key figures of the drift part's history columns.
fn history_columns<'a>(
    input: &BudgetInput<'a>,
    drift: &PartInput<'a>,
    ctx: (&Context<'_>, &History<'a>),
    changes: &[SideChange],
) -> Vec<HistoryColumn<'a>> {
    let index = |statement: Statement| {
        drift
            .statutory
            .iter()
            .position(|(o, _)| o.statement == statement)
    };
    let appropriations = index(Statement::AppropriationsDrift)
        .map(|i| side_figures(ctx, &drift.statutory, i))
        .unwrap_or_default();
    let by_art = index(Statement::DriftByArt);
    ctx.1
        .sides
        .iter()
        .enumerate()
        .map(|(i, side)| HistoryColumn {
            label: side.label.to_string(),
            result: appropriations
                .get(i)
                .and_then(|f| f.row(17, side.year))
                .map(|(shown, exact)| (-shown, -exact)),
            income: by_art
                .and_then(|b| side.statutory.get(b))
                .map(|t| -t.row(9, side.year)),
            fund: fund_through(&input.ledger.balance_sheets, changes, side.year),
        })
        .collect()
}

/// A figure of a history column, as the page prints it.
fn history_cell(s: &Sources<'_>, column: &HistoryColumn<'_>, row: Row) -> String {
    let fund = column.fund.as_ref().ok().map(Opening::amount);
    let percent_of_income = |part: Option<Decimal>| {
        part.zip(column.income)
            .and_then(|(part, income)| percent(part, income))
    };
    let value = match row {
        Row::Result => column
            .result
            .map(|(shown, exact)| Value::Known { exact, shown }),
        Row::ResultPercent => percent_of_income(column.result.map(|(_, exact)| exact)),
        Row::Fund => fund.map(|f| Value::Known {
            exact: f,
            shown: s.unit.round(f),
        }),
        Row::FundPercent => percent_of_income(fund),
        _ => None,
    };
    match value {
        Some(value) => printed(s.words, &s.unit, row, &value),
        None => s.words.get("key_figures.not_known").to_string(),
    }
}

/// One figure in one year, with its inputs.
fn trace(s: &Sources<'_>, row: Row, year: i32) -> Trace {
    let w = s.words;
    let mut inputs = Vec::new();
    let value = match row {
        Row::Result => result(s, year, &mut inputs),
        Row::Fund => fund(s, year, &mut inputs),
        Row::Debt => debt(s, year, &mut inputs),
        Row::ResultPercent | Row::FundPercent | Row::DebtPercent => {
            let of = match row {
                Row::ResultPercent => result(s, year, &mut inputs),
                Row::FundPercent => fund(s, year, &mut inputs),
                _ => debt(s, year, &mut inputs),
            };
            percent_of_income(s, year, of, &mut inputs)
        }
        Row::DebtPerInhabitant => per_inhabitant(s, year, &mut inputs),
        Row::Loans => loans(s, year, &mut inputs),
    };
    Trace {
        row,
        year,
        formula: w.get(row.formula_key()).to_string(),
        inputs,
        value,
    }
}

/// An input of a statutory row, worded for `explain`.
fn row_input(w: &Words, paragraph: &str, row: u32, amount: Decimal) -> (String, Decimal) {
    let label = w.fill(
        "key_figures.input_row",
        &[("paragraph", paragraph), ("row", &row.to_string())],
    );
    (label, amount)
}

/// Netto driftsresultat: § 5-4 row 17 as printed there, the sign turned (a surplus positive).
fn result(s: &Sources<'_>, year: i32, inputs: &mut Vec<(String, Decimal)>) -> Value {
    let Some((printed, exact)) = &s.appropriations else {
        return Value::Missing(Phrase::new("key_figures.missing_5_4"));
    };
    let row = exact.row(17, year);
    inputs.push(row_input(s.words, "5-4", 17, row));
    Value::Known {
        exact: -row,
        shown: -printed.get(&(17, year)).copied().unwrap_or_default(),
    }
}

/// The disposisjonsfond at 31.12.: the balance at the end of the year before the plan (from
/// a balance file, rolled forward through history columns where need be), plus § 5-4 row 20
/// (net allocations to and use of it) of each plan year up to this one.
fn fund(s: &Sources<'_>, year: i32, inputs: &mut Vec<(String, Decimal)>) -> Value {
    let (sheet, balance, rolled) = match &s.balance {
        Ok(found) => (found.sheet, found.balance, &found.rolled),
        Err(missing) => return Value::Missing(missing.clone()),
    };
    let Some((_, exact)) = &s.appropriations else {
        return Value::Missing(Phrase::new("key_figures.missing_5_4"));
    };
    let file = crate::load::export::short_name(&sheet.file);
    let label = s.words.fill(
        "key_figures.input_balance",
        &[
            ("file", &file),
            ("kapittel", FUND_KAPITTEL),
            ("year", &sheet.header.year.to_string()),
        ],
    );
    inputs.push((label, balance));
    let mut fund = balance;
    for side in rolled {
        let label = s.words.fill(
            "key_figures.input_row_side",
            &[("paragraph", "5-4"), ("row", "20"), ("label", &side.label)],
        );
        inputs.push((label, side.change));
        fund = fund.saturating_add(side.change);
    }
    for y in s.years.iter().copied().filter(|y| *y <= year) {
        let change = exact.row(20, y);
        let label = s.words.fill(
            "key_figures.input_row_year",
            &[
                ("paragraph", "5-4"),
                ("row", "20"),
                ("year", &y.to_string()),
            ],
        );
        inputs.push((label, change));
        fund = fund.saturating_add(change);
    }
    Value::Known {
        exact: fund,
        shown: s.unit.round(fund),
    }
}

/// Netto lånegjeld at 31.12.: the year-end debt of § 5-7 for investments and other long-term
/// loans (loans for videreutlån left out), printed as the sum of the figures § 5-7 prints.
fn debt(s: &Sources<'_>, year: i32, inputs: &mut Vec<(String, Decimal)>) -> Value {
    let Some(debt) = s.debt else {
        return Value::Missing(Phrase::new("key_figures.missing_debt"));
    };
    let file = crate::load::export::short_name(&debt.file);
    let (mut exact, mut shown, mut found) = (Decimal::ZERO, Decimal::ZERO, false);
    for d in debt
        .debts
        .iter()
        .filter(|d| d.year == year && d.kind != "videreutlan")
    {
        let kind = s
            .words
            .get(crate::present::table::words::debt_kind(&d.kind));
        let label = s.words.fill(
            "key_figures.input_debt",
            &[
                ("kind", kind),
                ("file", &file),
                ("line", &d.line.to_string()),
            ],
        );
        inputs.push((label, d.closing));
        exact = exact.saturating_add(d.closing);
        shown = shown.saturating_add(s.unit.round(d.closing));
        found = true;
    }
    if !found {
        return Value::Missing(Phrase::new("key_figures.missing_debt"));
    }
    Value::Known { exact, shown }
}

/// A figure in percent of driftsinntekter (§ 5-6 row 9, income: negative), one decimal.
fn percent_of_income(
    s: &Sources<'_>,
    year: i32,
    of: Value,
    inputs: &mut Vec<(String, Decimal)>,
) -> Value {
    let Value::Known { exact, .. } = of else {
        return of;
    };
    let Some(by_art) = s.by_art else {
        return Value::Missing(Phrase::new("key_figures.missing_5_6"));
    };
    let income = -by_art.row(9, year);
    inputs.push(row_input(s.words, "5-6", 9, by_art.row(9, year)));
    percent(exact, income)
        .unwrap_or_else(|| Value::Missing(Phrase::new("key_figures.missing_income")))
}

/// `part` in percent of `whole` (> 0), exact and printed with one decimal.
fn percent(part: Decimal, whole: Decimal) -> Option<Value> {
    if whole <= Decimal::ZERO {
        return None;
    }
    let exact = part.checked_div(whole)?.checked_mul(Decimal::ONE_HUNDRED)?;
    Some(Value::Known {
        exact,
        shown: Rule::HalfAwayFromZero.round(exact, 1),
    })
}

/// Netto lånegjeld per inhabitant, in whole kroner.
fn per_inhabitant(s: &Sources<'_>, year: i32, inputs: &mut Vec<(String, Decimal)>) -> Value {
    let debt = debt(s, year, inputs);
    let Value::Known { exact, .. } = debt else {
        return debt;
    };
    let Some(people) = s.population.and_then(|p| p.get(&year)) else {
        return Value::Missing(Phrase::new("key_figures.missing_population"));
    };
    let label = s.words.fill(
        "key_figures.input_population",
        &[("year", &year.to_string())],
    );
    inputs.push((label, *people));
    match exact.checked_div(*people) {
        Some(each) => Value::Known {
            exact: each,
            shown: s.unit.rule.round(each, 0),
        },
        None => Value::Missing(Phrase::new("key_figures.missing_population")),
    }
}

/// The share of investments financed by borrowing: bruk av lån (§ 5-5 row 13, income) in
/// percent of sum investeringsutgifter (row 6).
fn loans(s: &Sources<'_>, year: i32, inputs: &mut Vec<(String, Decimal)>) -> Value {
    let Some(inv) = s.investering else {
        return Value::Missing(Phrase::new("key_figures.missing_5_5"));
    };
    let (borrowed, spent) = (inv.row(13, year), inv.row(6, year));
    inputs.push(row_input(s.words, "5-5", 13, borrowed));
    inputs.push(row_input(s.words, "5-5", 6, spent));
    percent(-borrowed, spent)
        .unwrap_or_else(|| Value::Missing(Phrase::new("key_figures.no_investments")))
}

/// A figure as the page prints it: in the unit, in kroner, in percent, or "not known".
pub(super) fn printed(w: &Words, unit: &format::Unit, row: Row, value: &Value) -> String {
    match value {
        Value::Known { shown, .. } if row.is_percent() => percent_text(*shown),
        Value::Known { shown, .. } if row == Row::DebtPerInhabitant => format::number(*shown, 0),
        Value::Known { shown, .. } => unit.print(*shown),
        Value::Missing(_) => w.get("key_figures.not_known").to_string(),
    }
}

/// The table of key figures, with a note per input that is missing and on how each figure
/// is made.
fn key_table(s: &Sources<'_>, figures: &Figures, config: &Config) -> PrintedTable {
    let w = s.words;
    let rows = Row::ALL
        .iter()
        .map(|&row| PrintedRow {
            label: w.get(row.label_key()).to_string(),
            cells: s
                .history
                .iter()
                .map(|c| history_cell(s, c, row))
                .chain(
                    s.years
                        .iter()
                        .map(|y| printed(w, &s.unit, row, &figures[&(row, *y)])),
                )
                .collect(),
            strong: matches!(row, Row::Result | Row::Fund | Row::Debt),
        })
        .collect();
    PrintedTable {
        caption: Phrase::new("key_figures.caption")
            .with(
                "period",
                format::years(w, Some(config.plan.first), Some(config.plan.last)),
            )
            .with("unit", s.unit.phrase()),
        columns: std::iter::once(Fill::from(Phrase::new("key_figures.column")))
            .chain(s.history.iter().map(|c| Fill::from(&c.label)))
            .chain(s.years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows,
        total: None,
        notes: key_notes(s, figures),
    }
}

/// The notes under the key figures: how each known figure is made, and each reason a figure
/// is not known (once).
fn key_notes(s: &Sources<'_>, figures: &Figures) -> Vec<Phrase> {
    let known = |row: Row| {
        figures
            .iter()
            .any(|((r, _), v)| *r == row && matches!(v, Value::Known { .. }))
    };
    let mut notes = Vec::new();
    if !s.history.is_empty() {
        notes.push(Phrase::new("key_figures.note_history"));
    }
    if known(Row::Result) {
        notes.push(Phrase::new("key_figures.note_result"));
    }
    if known(Row::ResultPercent) {
        notes.push(Phrase::new("key_figures.note_percent"));
    }
    if let (true, Ok(opening)) = (known(Row::Fund), &s.balance) {
        let file = crate::load::export::short_name(&opening.sheet.file);
        let year = opening.sheet.header.year.to_string();
        notes.push(
            Phrase::new("key_figures.note_fund")
                .with("file", file.clone())
                .with("kapittel", FUND_KAPITTEL)
                .with("year", year.clone()),
        );
        if let Some(last) = opening.rolled.last() {
            let sides: Vec<&str> = opening.rolled.iter().map(|r| r.label.as_str()).collect();
            notes.push(
                Phrase::new("key_figures.note_fund_rolled")
                    .with("file", file)
                    .with("year", year)
                    .with("to", last.year.to_string())
                    .with("sides", sides.join(", ")),
            );
        }
    }
    if known(Row::Debt) {
        notes.push(Phrase::new("key_figures.note_debt"));
    }
    if known(Row::Loans) {
        notes.push(Phrase::new("key_figures.note_loans"));
    }
    for value in figures.values() {
        if let Value::Missing(reason) = value
            && !notes.contains(reason)
        {
            notes.push(reason.clone());
        }
    }
    notes
}
