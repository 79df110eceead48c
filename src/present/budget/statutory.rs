//! The statutory overviews of a part (§ 5-4, § 5-5, § 5-6) as printed: rounded top-down from
//! the bottom row, § 5-4 annet ledd per group, its reconciliation with the net per group, and
//! the lines an overview leaves out.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use super::history::History;
use crate::aggregate::statutory::{Overview, OverviewTotals, Statement};
use crate::format::Footing;
use crate::present::table::{PrintedRow, PrintedTable, column, group_key, notes, words};
use crate::words::{Fill, Phrase, Words};

#[derive(Debug, Clone, Serialize)]
pub struct StatutoryView {
    /// "drift" or "investering".
    pub part: &'static str,
    /// The paragraph of the regulation: "5-4", "5-5" or "5-6".
    pub paragraph: &'static str,
    pub title: Phrase,
    pub table: PrintedTable,
    /// § 5-4 annet ledd: row 6 per group.
    pub by_group: Option<PrintedTable>,
    /// From the net per group to row 6 per group: what lies outside row 6.
    pub reconciliation: Option<PrintedTable>,
    /// Lines left out on purpose and lines not placed (when the report accepts them).
    pub(crate) residue: Option<PrintedTable>,
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

/// The printed figures of an overview's rows, top-down: the bottom row is rounded once, and
/// each sum row's parts are rounded by the footing rule to add up to the sum as printed. With
/// `Footing::Note` every figure is rounded on its own. Returns the figures and whether a note
/// is needed.
pub(super) fn statutory_figures(
    ctx: &Context<'_>,
    overview: &Overview,
    computed: &OverviewTotals,
    tied: Option<&Tied<'_>>,
) -> (BTreeMap<(u32, i32), Decimal>, bool) {
    let mut shown = BTreeMap::new();
    let mut note = false;
    for &year in &ctx.years {
        note |= year_figures(ctx, (overview, computed), tied, year, &mut shown);
    }
    (shown, note)
}

/// One year's printed figures of an overview's rows, into `shown` (see
/// [`statutory_figures`]); returns whether a note is needed.
fn year_figures(
    ctx: &Context<'_>,
    (overview, computed): (&Overview, &OverviewTotals),
    tied: Option<&Tied<'_>>,
    year: i32,
    shown: &mut BTreeMap<(u32, i32), Decimal>,
) -> bool {
    let unit = &ctx.unit;
    let mut note = false;
    // A row tied by `equals` to a row of § 5-4 that holds the same amount prints its figure.
    let tie = |row: u32, year: i32| {
        let (figures, appropriations) = tied?;
        let spec = overview.rows.iter().find(|s| s.number == row)?;
        let other = spec.equals?;
        (appropriations.row(other, year) == computed.row(row, year))
            .then(|| figures.get(&(other, year)).copied())
            .flatten()
    };
    {
        match ctx.footing {
            Footing::Note => {
                for spec in &overview.rows {
                    shown.insert(
                        (spec.number, year),
                        tie(spec.number, year)
                            .unwrap_or_else(|| unit.round(computed.row(spec.number, year))),
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
                let bottom_shown =
                    tie(bottom, year).unwrap_or_else(|| unit.round(computed.row(bottom, year)));
                shown.insert((bottom, year), bottom_shown);
                let mut stack = vec![bottom];
                while let Some(row) = stack.pop() {
                    let Some(children) = overview.children(row) else {
                        continue;
                    };
                    // Tied children keep their figure; the others foot to what is left.
                    let (fixed, free): (Vec<u32>, Vec<u32>) =
                        children.iter().partition(|r| tie(**r, year).is_some());
                    let fixed_sum = fixed
                        .iter()
                        .filter_map(|r| tie(*r, year))
                        .fold(Decimal::ZERO, |a, v| a.saturating_add(v));
                    let target = shown[&(row, year)].saturating_sub(fixed_sum);
                    let values: Vec<Decimal> =
                        free.iter().map(|r| computed.row(*r, year)).collect();
                    let (parts, _, adjusted) =
                        column(&values, unit, Footing::LargestRemainder, Some(target));
                    note |= adjusted || (free.is_empty() && !target.is_zero());
                    for r in &fixed {
                        shown.insert((*r, year), tie(*r, year).unwrap_or_default());
                    }
                    for (r, v) in free.iter().zip(parts) {
                        shown.insert((*r, year), v);
                    }
                    stack.extend(children.iter().copied());
                }
            }
        }
    }
    note
}

/// The printed figures of a history column (issue 26) in an overview: per side, its rows in
/// its year, rounded top-down as the plan years' are (a § 5-6 row tied to § 5-4 prints the
/// side's own § 5-4 figure), and whether a note is needed. `overviews` are the part's, in the
/// order of each side's; `index` is the overview's place among them.
pub(super) fn side_figures<'a>(
    (ctx, history): (&Context<'_>, &History<'a>),
    overviews: &[(&Overview, &OverviewTotals)],
    index: usize,
) -> Vec<SideFigures<'a>> {
    let overview = overviews[index].0;
    let appropriations = overviews
        .iter()
        .position(|(o, _)| o.statement == Statement::AppropriationsDrift)
        .filter(|_| overview.statement == Statement::DriftByArt);
    history
        .sides
        .iter()
        .map(|side| {
            let mut shown = BTreeMap::new();
            let Some(computed) = side.statutory.get(index) else {
                return SideFigures {
                    computed: None,
                    shown,
                    note: false,
                };
            };
            let tied: Option<Tied<'_>> = appropriations.and_then(|a| {
                let totals = side.statutory.get(a)?;
                let mut figures = BTreeMap::new();
                year_figures(ctx, (overviews[a].0, totals), None, side.year, &mut figures);
                Some((figures, totals))
            });
            let note = year_figures(
                ctx,
                (overview, computed),
                tied.as_ref(),
                side.year,
                &mut shown,
            );
            SideFigures {
                computed: Some(computed),
                shown,
                note,
            }
        })
        .collect()
}

/// A history column's overview (issue 26): its sums, its rows as printed (keyed by row and
/// the side's year), and whether footing moved a figure.
pub(super) struct SideFigures<'a> {
    computed: Option<&'a OverviewTotals>,
    shown: BTreeMap<(u32, i32), Decimal>,
    note: bool,
}

impl SideFigures<'_> {
    /// A row of the side's overview as printed, and exact (the key figures page reads both).
    pub(super) fn row(&self, row: u32, year: i32) -> Option<(Decimal, Decimal)> {
        let computed = self.computed?;
        Some((*self.shown.get(&(row, year))?, computed.row(row, year)))
    }
}

/// The printed figures of § 5-4 and its exact sums: what the rows of § 5-6 tied to it by
/// `equals` print.
pub(super) type Tied<'a> = (BTreeMap<(u32, i32), Decimal>, &'a OverviewTotals);

pub(super) fn statutory_view(
    (ctx, history): (&Context<'_>, &History<'_>),
    overview: &Overview,
    computed: &OverviewTotals,
    tied: Option<&Tied<'_>>,
    sides: &[SideFigures<'_>],
) -> StatutoryView {
    let unit = &ctx.unit;
    let years = &ctx.years;
    let (shown, mut note) = statutory_figures(ctx, overview, computed, tied);
    note |= sides.iter().any(|s| s.note);
    let rows = overview
        .rows
        .iter()
        .map(|spec| PrintedRow {
            label: format!("{}. {}", spec.number, spec.name_in(&ctx.words.language)),
            cells: history
                .sides
                .iter()
                .zip(sides)
                .map(|(side, figures)| figures.shown.get(&(spec.number, side.year)))
                .map(|v| v.copied().unwrap_or_default())
                .chain(years.iter().map(|&y| shown[&(spec.number, y)]))
                .map(|v| unit.print(v))
                .collect(),
            strong: spec.formula.is_some(),
        })
        .collect();
    let (part, title, paragraph) = match overview.statement {
        Statement::AppropriationsDrift => {
            ("drift", "statutory.title_5_4", "statutory.paragraph_5_4")
        }
        Statement::AppropriationsInvestering => (
            "investering",
            "statutory.title_5_5",
            "statutory.paragraph_5_5",
        ),
        Statement::DriftByArt => ("drift", "statutory.title_5_6", "statutory.paragraph_5_6"),
    };
    let by_group = overview
        .statement
        .split_row()
        .map(|row| split_by_group((ctx, history), computed, row, &shown, sides));
    let reconciliation = match (&by_group, overview.statement.split_row(), ctx.prices) {
        (Some((_, part_two)), Some(row), None) => {
            Some(reconciliation(ctx, computed, row, part_two))
        }
        _ => None,
    };
    StatutoryView {
        part,
        paragraph: overview.statement.paragraph(),
        title: Phrase::new(title),
        table: PrintedTable {
            caption: Phrase::new("statutory.caption")
                .with("title", Phrase::new(title))
                .with("period", &ctx.span)
                .with("paragraph", Phrase::new(paragraph))
                .with("unit", unit.phrase()),
            columns: std::iter::once(Fill::from(Phrase::new("statutory.line")))
                .chain(history.sides.iter().map(|s| Fill::from(s.label)))
                .chain(years.iter().map(|y| Fill::from(y.to_string())))
                .collect(),
            rows,
            total: None,
            notes: notes(ctx.footing, note),
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
    (ctx, history): (&Context<'_>, &History<'_>),
    computed: &OverviewTotals,
    row: u32,
    shown: &BTreeMap<(u32, i32), Decimal>,
    sides: &[SideFigures<'_>],
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
    let splits = side_splits((ctx, history), row, &ids, sides);
    let table = split_table((ctx, history), &printed, (row, shown), note, &splits, sides);
    (table, printed)
}

/// The split row per group on the history columns (issue 26): the rows (the plan's groups
/// and any only a side has), and per side its figures by row, rounded as the plan years'
/// are (a group whose net is this very quantity keeps its figure of the net table's history
/// column, the others footed to the side's split row as printed); and whether a figure moved
/// or a column does not add up. Without history, the plan's rows alone.
struct SideSplits {
    rows: Vec<u32>,
    columns: Vec<BTreeMap<u32, Decimal>>,
    note: bool,
}

fn side_splits(
    (ctx, history): (&Context<'_>, &History<'_>),
    row: u32,
    ids: &[u32],
    sides: &[SideFigures<'_>],
) -> SideSplits {
    let mut rows = ids.to_vec();
    if history.is_empty() {
        let (columns, note) = (Vec::new(), false);
        return SideSplits {
            rows,
            columns,
            note,
        };
    }
    // Each side's split row per report row, exact.
    let exacts: Vec<BTreeMap<u32, Decimal>> = history
        .sides
        .iter()
        .zip(sides)
        .map(|(side, figures)| {
            let mut by_row: BTreeMap<u32, Decimal> = BTreeMap::new();
            for (&g, per_year) in figures.computed.iter().flat_map(|c| &c.by_group) {
                if let Some(v) = per_year.get(&side.year) {
                    let sum = by_row.entry(side.row_of(g)).or_default();
                    *sum = sum.saturating_add(*v);
                }
            }
            by_row
        })
        .collect();
    let extra: BTreeSet<u32> = exacts
        .iter()
        .flatten()
        .filter(|(r, v)| !(ids.contains(r) || ctx.hide_zero_rows && v.is_zero()))
        .map(|(r, _)| *r)
        .collect();
    if !extra.is_empty() {
        rows.extend(extra);
        rows.sort_by_cached_key(|&g| {
            group_key(ctx.words, ctx.group_order, ctx.ledger, ctx.group_role, g)
        });
    }
    let mut note = false;
    let columns = history
        .sides
        .iter()
        .zip(sides)
        .zip(&exacts)
        .map(|((side, figures), exact)| {
            let exact = |r: u32| exact.get(&r).copied().unwrap_or_default();
            let fixed =
                |r: u32| (side.has(r) && side.net_exact(r) == exact(r)).then(|| side.net_shown(r));
            let target = figures
                .shown
                .get(&(row, side.year))
                .copied()
                .unwrap_or_default();
            let (printed, moved) = foot_split(ctx, &rows, (exact, fixed), target);
            note |= moved;
            printed
        })
        .collect();
    SideSplits {
        rows,
        columns,
        note,
    }
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
    let exact = |g: u32| split_exact(computed, g, year);
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
                    .is_some_and(|f| f.net == exact(g))
            })
    };
    let (column, note) = foot_split(ctx, ids, (exact, fixed), target);
    printed.extend(column.into_iter().map(|(g, v)| ((g, year), v)));
    note
}

/// One column of the split row per row (group): a row whose figure is `fixed` keeps it; the
/// others' `exact` figures are rounded by the footing rule to add up to `target` less the
/// fixed ones. The printed figure of every row, and whether a figure was moved or the column
/// does not add up to the target.
fn foot_split(
    ctx: &Context<'_>,
    rows: &[u32],
    (exact, fixed): (impl Fn(u32) -> Decimal, impl Fn(u32) -> Option<Decimal>),
    target: Decimal,
) -> (BTreeMap<u32, Decimal>, bool) {
    let free: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&r| fixed(r).is_none())
        .collect();
    let fixed_sum = rows
        .iter()
        .filter_map(|&r| fixed(r))
        .fold(Decimal::ZERO, |a, v| a.saturating_add(v));
    let values: Vec<Decimal> = free.iter().map(|&r| exact(r)).collect();
    let (parts, _, moved) = column(
        &values,
        &ctx.unit,
        ctx.footing,
        Some(target.saturating_sub(fixed_sum)),
    );
    let mut printed: BTreeMap<u32, Decimal> = free.iter().copied().zip(parts).collect();
    printed.extend(rows.iter().filter_map(|&r| Some((r, fixed(r)?))));
    let sum = printed
        .values()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    (printed, moved || sum != target)
}

/// The table of the split row per group, its sum row the split row as printed in part one;
/// the history columns first.
fn split_table(
    (ctx, history): (&Context<'_>, &History<'_>),
    printed: &BTreeMap<(u32, i32), Decimal>,
    (row, shown): (u32, &BTreeMap<(u32, i32), Decimal>),
    note: bool,
    splits: &SideSplits,
    sides: &[SideFigures<'_>],
) -> PrintedTable {
    let unit = &ctx.unit;
    let rows = splits
        .rows
        .iter()
        .map(|&g| PrintedRow {
            label: ctx.group_row_label(g),
            cells: splits
                .columns
                .iter()
                .map(|c| c.get(&g).copied().unwrap_or_default())
                .chain(
                    ctx.years
                        .iter()
                        .map(|y| printed.get(&(g, *y)).copied().unwrap_or_default()),
                )
                .map(|v| unit.print(v))
                .collect(),
            strong: false,
        })
        .collect();
    let side_totals = history.sides.iter().zip(sides).map(|(side, figures)| {
        figures
            .shown
            .get(&(row, side.year))
            .copied()
            .unwrap_or_default()
    });
    PrintedTable {
        caption: Phrase::new("statutory.by_group_caption")
            .with("group", ctx.group_label.to_lowercase())
            .with("period", &ctx.span)
            .with("row", row.to_string())
            .with("unit", unit.phrase()),
        columns: std::iter::once(Fill::from(&ctx.group_label))
            .chain(history.sides.iter().map(|s| Fill::from(s.label)))
            .chain(ctx.years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows,
        total: Some(PrintedRow {
            label: ctx
                .words
                .fill("statutory.sum_row", &[("row", &row.to_string())]),
            cells: side_totals
                .chain(ctx.years.iter().map(|&y| shown[&(row, y)]))
                .map(|v| unit.print(v))
                .collect(),
            strong: true,
        }),
        notes: notes(ctx.footing, note || splits.note),
    }
}

/// From the net per group (the net table) to the split row per group: what each group has
/// outside the split row. It is a quantity of its own, computed from the exact figures and
/// rounded by the footing rule, so a round figure prints as itself (an exact 324 000 kr is
/// 324 in 1 000 kr); it is not the difference of two printed columns, and a note says it may
/// differ from that by a unit.
fn reconciliation(
    ctx: &Context<'_>,
    computed: &OverviewTotals,
    row: u32,
    part_two: &BTreeMap<(u32, i32), Decimal>,
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
    // What a group has outside the split row, exact: its net less its part of the row.
    let exact = |g: u32, y: i32| {
        let net = ctx
            .totals
            .by_group
            .get(&g)
            .and_then(|m| m.get(&y))
            .map_or(Decimal::ZERO, |f| f.net);
        net.saturating_sub(split_exact(computed, g, y))
    };
    ids.retain(|&g| ctx.years.iter().any(|&y| !exact(g, y).is_zero()));
    let mut printed: BTreeMap<(u32, i32), Decimal> = BTreeMap::new();
    let mut total_shown = Vec::new();
    let mut note = false;
    for &y in &ctx.years {
        let values: Vec<Decimal> = ids.iter().map(|&g| exact(g, y)).collect();
        let (figures, total, moved) = column(&values, unit, ctx.footing, None);
        note |= moved;
        for (g, v) in ids.iter().zip(figures) {
            printed.insert((*g, y), v);
        }
        total_shown.push(total);
    }
    let rows = ids
        .iter()
        .map(|&g| PrintedRow {
            label: ctx.group_row_label(g),
            cells: ctx
                .years
                .iter()
                .map(|&y| unit.print(printed[&(g, y)]))
                .collect(),
            strong: false,
        })
        .collect();
    let mut table_notes = notes(ctx.footing, note);
    if differs_from_printed(ctx, &printed, part_two) {
        table_notes.push(Phrase::new(words::RECONCILIATION));
    }
    PrintedTable {
        caption: Phrase::new("statutory.reconciliation_caption")
            .with("group", ctx.group_label.to_lowercase())
            .with("row", row.to_string())
            .with("period", &ctx.span)
            .with("unit", unit.phrase()),
        columns: std::iter::once(Fill::from(&ctx.group_label))
            .chain(ctx.years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows,
        total: Some(PrintedRow {
            label: ctx.words.get("table.sum").into(),
            cells: total_shown.iter().map(|v| unit.print(*v)).collect(),
            strong: true,
        }),
        notes: table_notes,
    }
}

/// Whether a figure of the reconciliation differs from the difference of the two printed
/// tables it reconciles (the net per group and row 6 per group): then a note says why.
fn differs_from_printed(
    ctx: &Context<'_>,
    printed: &BTreeMap<(u32, i32), Decimal>,
    part_two: &BTreeMap<(u32, i32), Decimal>,
) -> bool {
    printed.iter().any(|(&(g, y), v)| {
        let net = ctx.group_shown.get(&(g, y)).copied().unwrap_or_default();
        let row = part_two.get(&(g, y)).copied().unwrap_or_default();
        *v != net.saturating_sub(row)
    })
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
        caption: Phrase::new("statutory.residue_caption")
            .with("period", &ctx.span)
            .with("unit", unit.phrase()),
        columns: std::iter::once(Fill::from(Phrase::new("statutory.lines")))
            .chain(ctx.years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows,
        total: None,
        notes: Vec::new(),
    })
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
