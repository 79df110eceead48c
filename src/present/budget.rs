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

use super::rounding::{self, Footing, Unit};
use crate::aggregate::ledger::{Flow, LedgerTotals};
use crate::aggregate::statutory::{Overview, OverviewTotals, Part};
use crate::config::{BudgetSection, Config};
use crate::fonts;
use crate::format;
use crate::load::export::{Ledger, NONE, short_name};
use crate::load::profile::ROLES;

/// What the budget view is built from.
pub struct BudgetInput<'a> {
    pub ledger: &'a Ledger,
    pub totals: &'a LedgerTotals,
    pub section: &'a BudgetSection,
    /// The statutory overviews, computed, with their row definitions.
    pub statutory: Vec<(&'a Overview, &'a OverviewTotals)>,
    /// Fixed prices: the base year and each plan year's price index.
    pub prices: Option<&'a (i32, BTreeMap<i32, Decimal>)>,
    /// Inhabitants per year.
    pub population: Option<&'a BTreeMap<i32, Decimal>>,
    /// The change bridge: change group → year → net.
    pub bridge: Option<&'a BTreeMap<u32, BTreeMap<i32, Decimal>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub group_label: String,
    pub detail_label: String,
    pub version: String,
    pub years: Vec<i32>,
    /// "Beløp i 1 000 kr" and the like.
    pub unit: String,
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
    pub sources: Vec<SourceView>,
}

/// A table ready to print: every figure formatted, rows that foot.
#[derive(Debug, Clone, Serialize)]
pub struct PrintedTable {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<PrintedRow>,
    pub total: Option<PrintedRow>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PrintedRow {
    pub label: String,
    pub cells: Vec<String>,
    /// Sum rows of the statutory overviews are set in bold.
    pub strong: bool,
}

/// A row is printed with its label's width (`label_width`, thousandths of an em, an upper
/// estimate), so that the template can give rows that surely fit on one line a fixed height.
impl Serialize for PrintedRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut row = serializer.serialize_struct("PrintedRow", 4)?;
        row.serialize_field("label", &self.label)?;
        row.serialize_field("cells", &self.cells)?;
        row.serialize_field("strong", &self.strong)?;
        row.serialize_field("label_width", &fonts::text_width(&self.label, self.strong))?;
        row.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct YearTable {
    pub year: i32,
    pub table: PrintedTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupTable {
    pub code: String,
    pub name: String,
    pub table: PrintedTable,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatutoryView {
    /// "drift" or "investering".
    pub part: &'static str,
    pub title: String,
    pub table: PrintedTable,
    /// § 5-4 part 2: row 6 per group.
    pub by_group: Option<PrintedTable>,
    pub unmapped: usize,
    pub excluded: usize,
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

/// Orders values by code the way people read codes: 6 before 16, 01A before 01B before 02.
fn order_key(ledger: &Ledger, role: usize, id: u32) -> (u64, String, String) {
    let (code, name) = name_of(ledger, role, id);
    let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
    let number = if digits.is_empty() {
        u64::MAX
    } else {
        digits.parse().unwrap_or(u64::MAX)
    };
    (number, code[digits.len()..].to_string(), name)
}

fn label(code: &str, name: &str) -> String {
    if code.is_empty() || code == name {
        name.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// Rounds one column to `unit`, adding up to `target` when given (else to the rounded exact
/// total). Returns the printed figures, the printed total and whether rounding needed a note.
fn column(
    values: &[Decimal],
    unit: &Unit,
    footing: Footing,
    target: Option<Decimal>,
) -> (Vec<Decimal>, Decimal, bool) {
    match footing {
        Footing::LargestRemainder => {
            let (shown, total) = match target {
                Some(t) => rounding::largest_remainder_to(values, unit, t),
                None => rounding::largest_remainder(values, unit),
            };
            let adjusted = shown.iter().zip(values).any(|(s, v)| *s != unit.round(*v));
            (shown, total, adjusted)
        }
        Footing::Note => {
            let (shown, total, differs) = rounding::independent(values, unit);
            let total = target.unwrap_or(total);
            let printed: Decimal = shown
                .iter()
                .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
            (shown, total, differs || printed != total)
        }
    }
}

fn notes(footing: Footing, needed: bool) -> Vec<String> {
    if needed {
        rounding::note(footing, true)
            .map(str::to_string)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    }
}

/// A change from `first` to `last` in percent of `first`; a dash when `first` is zero.
fn change_percent(first: Decimal, last: Decimal) -> String {
    match last
        .checked_sub(first)
        .and_then(|d| d.checked_div(first.abs()))
    {
        Some(ratio) if !first.is_zero() => format::percent(ratio, 1),
        _ => "–".to_string(),
    }
}

pub fn present(input: BudgetInput<'_>, config: &Config) -> BudgetView {
    let BudgetInput {
        ledger,
        totals,
        section,
        statutory,
        prices,
        population,
        bridge,
    } = input;
    let presentation = section.presentation;
    let unit = presentation.unit;
    let footing = presentation.footing;
    let role = |name: &str| ROLES.iter().position(|(r, _)| *r == name);
    let group_role = role(&section.group_by).unwrap_or(0);
    let detail_role = section.detail_by.as_deref().and_then(role);
    let years: Vec<i32> = config.plan.years().collect();
    let span = format::years(Some(config.plan.first), Some(config.plan.last));
    let dimension_label = |index: Option<usize>| {
        index
            .map(|i| ledger.dimensions[i].label.clone())
            .filter(|l| !l.is_empty())
    };
    let group_label = dimension_label(Some(group_role)).unwrap_or_else(|| "Gruppe".into());
    let detail_label = dimension_label(detail_role).unwrap_or_default();
    let version = section.version.clone();
    let unit_caption = match prices {
        Some((base, _)) => format!("{}, faste {base}-kroner", unit.caption()),
        None => format!("{}, løpende priser", unit.caption()),
    };
    // Current kroner of `year` in the report's price basis.
    let priced = |year: i32, kroner: Decimal| match prices {
        Some((_, index)) => index
            .get(&year)
            .map_or(kroner, |i| crate::aggregate::prices::to_fixed(kroner, *i)),
        None => kroner,
    };
    let print = |v: Decimal| unit.print(v);

    // Groups in code order, with their exact flows per plan year.
    let mut group_ids: Vec<u32> = totals.by_group.keys().copied().collect();
    group_ids.sort_by_cached_key(|&g| order_key(ledger, group_role, g));
    let flow = |per_year: Option<&BTreeMap<i32, Flow>>, year: i32| {
        let f = per_year
            .and_then(|m| m.get(&year))
            .copied()
            .unwrap_or_default();
        Flow {
            expense: priced(year, f.expense),
            income: priced(year, f.income),
            net: priced(year, f.net),
        }
    };

    // Net per group × year: each year's column foots to its rounded total.
    let mut group_shown: BTreeMap<(u32, i32), Decimal> = BTreeMap::new();
    let mut net_total_shown = Vec::new();
    let mut net_note = false;
    for &year in &years {
        let values: Vec<Decimal> = group_ids
            .iter()
            .map(|g| flow(totals.by_group.get(g), year).net)
            .collect();
        let (shown, total, note) = column(&values, &unit, footing, None);
        net_note |= note;
        for (g, s) in group_ids.iter().zip(shown) {
            group_shown.insert((*g, year), s);
        }
        net_total_shown.push(total);
    }
    let with_change = years.len() > 1;
    let (first, last) = (config.plan.first, config.plan.last);
    let change_cells =
        |shown_first: Decimal, shown_last: Decimal, exact_first: Decimal, exact_last: Decimal| {
            vec![
                print(shown_last.saturating_sub(shown_first)),
                change_percent(exact_first, exact_last),
            ]
        };
    let mut net_columns = vec![group_label.clone()];
    net_columns.extend(years.iter().map(i32::to_string));
    if with_change {
        net_columns.push(format!("Endring {span}"));
        net_columns.push("Endring %".into());
    }
    let net_rows = group_ids
        .iter()
        .map(|&g| {
            let (code, name) = name_of(ledger, group_role, g);
            let mut cells: Vec<String> =
                years.iter().map(|y| print(group_shown[&(g, *y)])).collect();
            if with_change {
                let per_year = totals.by_group.get(&g);
                cells.extend(change_cells(
                    group_shown[&(g, first)],
                    group_shown[&(g, last)],
                    flow(per_year, first).net,
                    flow(per_year, last).net,
                ));
            }
            PrintedRow {
                label: label(&code, &name),
                cells,
                strong: false,
            }
        })
        .collect();
    let exact_year = |year: i32| flow(Some(&totals.by_year), year);
    let mut total_cells: Vec<String> = net_total_shown.iter().map(|v| print(*v)).collect();
    if with_change {
        total_cells.extend(change_cells(
            net_total_shown[0],
            net_total_shown[net_total_shown.len() - 1],
            exact_year(first).net,
            exact_year(last).net,
        ));
    }
    // Change from the year before: the difference of printed figures (so it agrees with the
    // table above) and the percentage of the exact figures.
    let change_by_group = (years.len() > 1).then(|| {
        let cells_for = |shown: &dyn Fn(i32) -> Decimal, exact: &dyn Fn(i32) -> Decimal| {
            years
                .windows(2)
                .flat_map(|pair| {
                    let (before, now) = (pair[0], pair[1]);
                    [
                        print(shown(now).saturating_sub(shown(before))),
                        change_percent(exact(before), exact(now)),
                    ]
                })
                .collect::<Vec<_>>()
        };
        let mut columns = vec![group_label.clone()];
        for pair in years.windows(2) {
            columns.push(format!("{}–{}", pair[0], pair[1]));
            columns.push("%".into());
        }
        PrintedTable {
            caption: format!(
                "Endring i netto fra året før per {}, {version}. {unit_caption}.",
                group_label.to_lowercase()
            ),
            columns,
            rows: group_ids
                .iter()
                .map(|&g| {
                    let (code, name) = name_of(ledger, group_role, g);
                    let per_year = totals.by_group.get(&g);
                    PrintedRow {
                        label: label(&code, &name),
                        cells: cells_for(&|y| group_shown[&(g, y)], &|y| flow(per_year, y).net),
                        strong: false,
                    }
                })
                .collect(),
            total: Some(PrintedRow {
                label: "Sum".into(),
                cells: cells_for(
                    &|y| net_total_shown[years.iter().position(|x| *x == y).unwrap_or(0)],
                    &|y| flow(Some(&totals.by_year), y).net,
                ),
                strong: true,
            }),
            notes: notes(footing, net_note),
        }
    });
    let net_by_group = PrintedTable {
        caption: format!(
            "Netto per {}, {version} {span}. {unit_caption}.",
            group_label.to_lowercase()
        ),
        columns: net_columns,
        rows: net_rows,
        total: Some(PrintedRow {
            label: "Sum (balanse)".into(),
            cells: total_cells,
            strong: true,
        }),
        notes: notes(footing, net_note),
    };

    // Expenses, income and net per group for each year. The net is the group's figure from
    // the table above; expenses foot to their rounded total; income is net minus expenses.
    let per_year = years
        .iter()
        .enumerate()
        .map(|(index, &year)| {
            let expenses: Vec<Decimal> =
                group_ids.iter().map(|g| flow(totals.by_group.get(g), year).expense).collect();
            let (expense_shown, expense_total, note) = column(&expenses, &unit, footing, None);
            let net_total = net_total_shown[index];
            let rows = group_ids
                .iter()
                .zip(&expense_shown)
                .map(|(&g, &expense)| {
                    let (code, name) = name_of(ledger, group_role, g);
                    let net = group_shown[&(g, year)];
                    PrintedRow {
                        label: label(&code, &name),
                        cells: vec![print(expense), print(net.saturating_sub(expense)), print(net)],
                        strong: false,
                    }
                })
                .collect();
            let income_total = net_total.saturating_sub(expense_total);
            let exact_income = unit.round(exact_year(year).income);
            let mut table_notes = notes(footing, note || net_note);
            if income_total != exact_income && footing == Footing::LargestRemainder {
                table_notes.push(format!(
                    "Inntektene er netto minus utgifter etter avrunding; avrundet hver for seg er sum inntekter {}.",
                    print(exact_income)
                ));
            }
            YearTable {
                year,
                table: PrintedTable {
                    caption: format!(
                        "Utgifter, inntekter og netto per {} i {year} ({version}). {unit_caption}.",
                        group_label.to_lowercase()
                    ),
                    columns: vec![group_label.clone(), "Utgifter".into(), "Inntekter".into(), "Netto".into()],
                    rows,
                    total: Some(PrintedRow {
                        label: "Sum".into(),
                        cells: vec![print(expense_total), print(income_total), print(net_total)],
                        strong: true,
                    }),
                    notes: table_notes,
                },
            }
        })
        .collect();

    // The details of each group, rounded to add up to the group's printed figure.
    let groups = match detail_role {
        None => Vec::new(),
        Some(detail_role) => group_ids
            .iter()
            .map(|&g| {
                let (code, name) = name_of(ledger, group_role, g);
                let mut detail_ids: Vec<u32> = totals
                    .by_detail
                    .range((g, 0)..=(g, u32::MAX))
                    .map(|(&(_, d), _)| d)
                    .collect();
                detail_ids.sort_by_cached_key(|&d| order_key(ledger, detail_role, d));
                let mut shown_by_year = Vec::new();
                let mut note = false;
                for &year in &years {
                    let values: Vec<Decimal> = detail_ids
                        .iter()
                        .map(|&d| flow(totals.by_detail.get(&(g, d)), year).net)
                        .collect();
                    let (shown, _, n) =
                        column(&values, &unit, footing, Some(group_shown[&(g, year)]));
                    note |= n;
                    shown_by_year.push(shown);
                }
                let rows = detail_ids
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| {
                        let (dcode, dname) = name_of(ledger, detail_role, d);
                        PrintedRow {
                            label: label(&dcode, &dname),
                            cells: shown_by_year.iter().map(|col| print(col[i])).collect(),
                            strong: false,
                        }
                    })
                    .collect();
                GroupTable {
                    code: code.clone(),
                    name: name.clone(),
                    table: PrintedTable {
                        caption: format!(
                            "Netto per {}, {name}, {version} {span}. {unit_caption}.",
                            detail_label.to_lowercase()
                        ),
                        columns: std::iter::once(detail_label.clone())
                            .chain(years.iter().map(i32::to_string))
                            .collect(),
                        rows,
                        total: Some(PrintedRow {
                            // A group already named "Sum …" is not called "Sum Sum …".
                            label: if name.to_lowercase().starts_with("sum ") {
                                name.clone()
                            } else {
                                format!("Sum {name}")
                            },
                            cells: years.iter().map(|y| print(group_shown[&(g, *y)])).collect(),
                            strong: true,
                        }),
                        notes: notes(footing, note),
                    },
                }
            })
            .collect(),
    };

    // Every year and version: expenses and income rounded so that they add up to the net.
    let mut overview_note = false;
    let overview_rows = totals
        .by_year_version
        .iter()
        .map(|(&(year, v), flow)| {
            let net = unit.round(flow.net);
            let (parts, _, note) = column(&[flow.expense, flow.income], &unit, footing, Some(net));
            overview_note |= note;
            PrintedRow {
                label: format!("{year} {}", ledger.versions[usize::from(v)]),
                cells: vec![print(parts[0]), print(parts[1]), print(net)],
                strong: false,
            }
        })
        .collect();
    let overview = PrintedTable {
        caption: format!("Sum per år og versjon. {unit_caption}."),
        columns: vec![
            "År og versjon".into(),
            "Utgifter".into(),
            "Inntekter".into(),
            "Netto (balanse)".into(),
        ],
        rows: overview_rows,
        total: None,
        notes: notes(footing, overview_note),
    };

    let statutory = statutory
        .into_iter()
        .map(|(overview, computed)| {
            statutory_view(
                overview,
                computed,
                ledger,
                group_role,
                &group_label,
                &years,
                &unit,
                &span,
            )
        })
        .collect();

    let balance = years
        .iter()
        .map(|&year| {
            // The balance is printed exactly, in current kroner, whatever the price basis.
            let amount = totals.by_year.get(&year).map(|f| f.net).unwrap_or_default();
            BalanceView {
                year,
                amount,
                balanced: amount.is_zero(),
            }
        })
        .collect();

    // Net per group per inhabitant, in whole kroner, footing to the total per inhabitant.
    let per_inhabitant = population.map(|population| {
        let per_head = Unit {
            scale: format::Scale::Kroner,
            decimals: 0,
            rule: unit.rule,
        };
        let mut columns_shown = Vec::new();
        let mut totals_shown = Vec::new();
        let mut note = false;
        for &year in &years {
            let people = population.get(&year).copied().unwrap_or(Decimal::ONE);
            let values: Vec<Decimal> = group_ids
                .iter()
                .map(|g| {
                    flow(totals.by_group.get(g), year)
                        .net
                        .checked_div(people)
                        .unwrap_or_default()
                })
                .collect();
            let (shown, total, n) = column(&values, &per_head, footing, None);
            note |= n;
            columns_shown.push(shown);
            totals_shown.push(total);
        }
        PrintedTable {
            caption: format!(
                "Netto per innbygger per {}, {version} {span}. Kroner per innbygger, {}.",
                group_label.to_lowercase(),
                match prices {
                    Some((base, _)) => format!("faste {base}-kroner"),
                    None => "løpende priser".to_string(),
                }
            ),
            columns: std::iter::once(group_label.clone())
                .chain(years.iter().map(i32::to_string))
                .collect(),
            rows: group_ids
                .iter()
                .enumerate()
                .map(|(i, &g)| {
                    let (code, name) = name_of(ledger, group_role, g);
                    PrintedRow {
                        label: label(&code, &name),
                        cells: columns_shown.iter().map(|c| per_head.print(c[i])).collect(),
                        strong: false,
                    }
                })
                .collect(),
            total: Some(PrintedRow {
                label: "Sum".into(),
                cells: totals_shown.iter().map(|v| per_head.print(*v)).collect(),
                strong: true,
            }),
            notes: notes(footing, note),
        }
    });

    let bridge = match (bridge, &section.bridge, role("change_group")) {
        (Some(sums), Some((start, _)), Some(change_role)) => years
            .iter()
            .map(|&year| {
                bridge_view(
                    ledger,
                    sums,
                    start,
                    change_role,
                    year,
                    &unit,
                    footing,
                    &unit_caption,
                    &priced,
                )
            })
            .collect(),
        _ => Vec::new(),
    };

    let listing = if section.listing {
        listing(ledger, section, group_role, &group_ids, &years, &unit)
    } else {
        Vec::new()
    };

    BudgetView {
        listing,
        group_label,
        detail_label,
        version,
        years,
        unit: unit_caption,
        per_inhabitant,
        change_by_group,
        bridge,
        overview,
        net_by_group,
        per_year,
        groups,
        statutory,
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

#[allow(clippy::too_many_arguments)]
fn statutory_view(
    overview: &Overview,
    computed: &OverviewTotals,
    ledger: &Ledger,
    group_role: usize,
    group_label: &str,
    years: &[i32],
    unit: &Unit,
    span: &str,
) -> StatutoryView {
    let value = |row: u32, year: i32| {
        computed
            .rows
            .get(&row)
            .and_then(|m| m.get(&year))
            .copied()
            .unwrap_or_default()
    };
    // Each figure is rounded on its own; a sum row is the sum of exact amounts, so after
    // rounding it can differ from the printed rows above it by a unit: say so when it does.
    let mut differs = false;
    let shown = |row: u32, year: i32| unit.round(value(row, year));
    for spec in &overview.rows {
        if let Some(formula) = &spec.formula {
            for &year in years {
                let printed: Decimal = formula.iter().map(|r| shown(*r, year)).sum();
                differs |= printed != shown(spec.number, year);
            }
        }
    }
    let rows = overview
        .rows
        .iter()
        .map(|spec| PrintedRow {
            label: format!("{}. {}", spec.number, spec.name),
            cells: years
                .iter()
                .map(|&y| unit.print(shown(spec.number, y)))
                .collect(),
            strong: spec.formula.is_some(),
        })
        .collect();
    let (part, title, paragraph) = match overview.part {
        Part::Drift => ("drift", "Bevilgningsoversikt drift", "§ 5-4 første ledd"),
        Part::Investering => (
            "investering",
            "Bevilgningsoversikt investering",
            "§ 5-5 første ledd",
        ),
    };
    let mut notes = Vec::new();
    if differs {
        notes.push("Summene kan avvike på grunn av avrunding.".to_string());
    }
    // Part two's rows, each rounded on its own, against line 6 as printed above.
    let part_two_differs = years.iter().any(|&y| {
        let printed: Decimal = computed
            .by_group
            .values()
            .map(|per_year| unit.round(per_year.get(&y).copied().unwrap_or_default()))
            .fold(Decimal::ZERO, |a, v| a.saturating_add(v));
        printed != shown(6, y)
    });
    let by_group = (overview.part == Part::Drift).then(|| {
        let mut ids: Vec<u32> = computed.by_group.keys().copied().collect();
        ids.sort_by_cached_key(|&g| order_key(ledger, group_role, g));
        let rows = ids
            .iter()
            .map(|&g| {
                let (code, name) = name_of(ledger, group_role, g);
                PrintedRow {
                    label: label(&code, &name),
                    cells: years
                        .iter()
                        .map(|y| unit.print(unit.round(computed.by_group[&g].get(y).copied().unwrap_or_default())))
                        .collect(),
                    strong: false,
                }
            })
            .collect();
        PrintedTable {
            caption: format!(
                "Bevilgningsoversikt drift, § 5-4 annet ledd: netto bevilgning per {} {span} (linje 6). {}.",
                group_label.to_lowercase(),
                unit.caption()
            ),
            columns: std::iter::once(group_label.to_string()).chain(years.iter().map(i32::to_string)).collect(),
            rows,
            total: Some(PrintedRow {
                label: "Sum (linje 6)".into(),
                cells: years.iter().map(|&y| unit.print(shown(6, y))).collect(),
                strong: true,
            }),
            notes: if part_two_differs {
                vec!["Summene kan avvike på grunn av avrunding.".to_string()]
            } else {
                Vec::new()
            },
        }
    });
    StatutoryView {
        part,
        title: title.into(),
        table: PrintedTable {
            caption: format!(
                "{title} {span}, budsjett- og regnskapsforskriften {paragraph}. {}.",
                unit.caption()
            ),
            columns: std::iter::once(String::new())
                .chain(years.iter().map(i32::to_string))
                .collect(),
            rows,
            total: None,
            notes,
        },
        by_group,
        unmapped: computed.unmapped.len(),
        excluded: computed.excluded,
    }
}

/// The change bridge of one year: the adopted budget, each change group, the proposal.
#[allow(clippy::too_many_arguments)]
fn bridge_view(
    ledger: &Ledger,
    sums: &BTreeMap<u32, BTreeMap<i32, Decimal>>,
    start: &str,
    change_role: usize,
    year: i32,
    unit: &Unit,
    footing: Footing,
    unit_caption: &str,
    priced: &dyn Fn(i32, Decimal) -> Decimal,
) -> BridgeView {
    let mut ids: Vec<u32> = sums.keys().copied().collect();
    ids.sort_by_key(|&c| {
        let (code, name) = name_of(ledger, change_role, c);
        (code != start, code, name)
    });
    let values: Vec<Decimal> = ids
        .iter()
        .map(|c| priced(year, sums[c].get(&year).copied().unwrap_or_default()))
        .collect();
    let (shown, total, note) = column(&values, unit, footing, None);
    let labels: Vec<String> = ids
        .iter()
        .map(|&c| {
            let (code, name) = name_of(ledger, change_role, c);
            label(&code, &name)
        })
        .collect();

    // Waterfall: the first step and the last are totals standing on the axis; the others float
    // from the running total. The axis starts at a round figure below the lowest total.
    let mut running = Vec::new();
    let mut level = Decimal::ZERO;
    for value in &shown {
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
    let range = axis_max.saturating_sub(axis_min).max(Decimal::ONE);
    let at = |v: Decimal| super::percent_of(v - axis_min, range);
    // Labels in a unit that keeps them short; the table beside has the figures to print.
    let chart = Unit {
        // Sized by the changes, not the totals, so that the changes do not all print as 0,0.
        scale: super::scale_for(
            values
                .iter()
                .skip(1)
                .copied()
                .fold(Decimal::ZERO, |a, v| a.max(v.abs())),
        ),
        decimals: 1,
        rule: unit.rule,
    };
    let in_kroner = |shown_value: Decimal| shown_value.saturating_mul(unit.scale.divisor());
    let label_of = |shown_value: Decimal| chart.print(chart.round(in_kroner(shown_value)));
    let mut steps = Vec::new();
    for (i, value) in shown.iter().enumerate() {
        let (bottom, top, kind) = if i == 0 {
            (axis_min, *value, "total")
        } else {
            let from = running[i];
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
            value: label_of(*value),
            kind,
            bottom: at(bottom),
            height: at(top) - at(bottom),
        });
    }
    steps.push(BridgeStep {
        label: format!("Forslag {year}"),
        value: label_of(total),
        kind: "total",
        bottom: Decimal::ZERO,
        height: at(total),
    });
    let mut ticks = Vec::new();
    let mut tick = axis_min;
    while tick <= axis_max && ticks.len() < 12 {
        ticks.push(super::Tick {
            percent: at(tick),
            label: label_of(tick),
        });
        tick = tick.saturating_add(step);
    }
    let alt = format!(
        "Fossefallsdiagram for {year}: fra {} ({}) via {} endringsgrupper til {} ({unit_caption}).",
        labels.first().cloned().unwrap_or_default(),
        unit.print(shown.first().copied().unwrap_or_default()),
        labels.len().saturating_sub(1),
        unit.print(total)
    );
    let chart_unit = chart.scale.unit();
    let axis_start = (!axis_min.is_zero()).then(|| format!("{} {chart_unit}", label_of(axis_min)));
    BridgeView {
        year,
        chart_unit,
        axis_start,
        table: PrintedTable {
            caption: format!(
                "Fra vedtatt budsjett til forslag {year}, per endringsgruppe. {unit_caption}."
            ),
            columns: vec!["Endringsgruppe".into(), year.to_string()],
            rows: labels
                .iter()
                .zip(&shown)
                .map(|(l, v)| PrintedRow {
                    label: l.clone(),
                    cells: vec![unit.print(*v)],
                    strong: false,
                })
                .collect(),
            total: Some(PrintedRow {
                label: format!("Forslag {year}"),
                cells: vec![unit.print(total)],
                strong: true,
            }),
            notes: notes(footing, note),
        },
        steps,
        ticks,
        alt,
    }
}

/// Every line of the chosen version in the plan years, per group in group order, each line's
/// other dimensions (those any source has), year and amount in the report's unit.
fn listing(
    ledger: &Ledger,
    section: &BudgetSection,
    group_role: usize,
    group_ids: &[u32],
    years: &[i32],
    unit: &Unit,
) -> Vec<ListingGroup> {
    let Some(version) = ledger.versions.iter().position(|v| *v == section.version) else {
        return Vec::new();
    };
    let shown_roles: Vec<usize> = (0..ROLES.len())
        .filter(|&r| r != group_role && !ledger.dimensions[r].values.is_empty())
        .collect();
    let mut by_group: BTreeMap<u32, Vec<&crate::load::export::BudgetLine>> = BTreeMap::new();
    for line in ledger
        .lines
        .iter()
        .filter(|l| usize::from(l.version) == version && years.contains(&l.year))
    {
        by_group
            .entry(line.dims[group_role])
            .or_default()
            .push(line);
    }
    let columns: Vec<String> = shown_roles
        .iter()
        .map(|&r| ledger.dimensions[r].label.clone())
        .chain(["År".to_string(), "Beløp".to_string()])
        .collect();
    group_ids
        .iter()
        .filter_map(|g| by_group.get(g).map(|lines| (g, lines)))
        .map(|(&g, lines)| {
            let (code, name) = name_of(ledger, group_role, g);
            let cell = |line: &crate::load::export::BudgetLine, role: usize| {
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
