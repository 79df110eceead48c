//! Comparisons of two versions of one part of the budget: what changed between, say, the
//! adopted budget and the proposal, or how the accounts deviate from the budget (an
//! avviksrapport). Per group and per detail, in the organisation's order, with the largest
//! changes listed and drawn.
//!
//! Each side's column is rounded by the report's footing rule (details to their group's
//! printed figure, as everywhere); a difference is the difference of the printed figures, so a
//! row reads consistently; a percentage is of the exact figures, with the dash rules of the
//! other tables.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::table::{
    GroupTable, PrintedRow, PrintedTable, change_percent, column, group_key, label, name_of, notes,
    order_key, words,
};
use crate::aggregate::ledger::LedgerTotals;
use crate::format;
use crate::format::{Footing, Unit};
use crate::model::budget::Ledger;
use crate::words::Words;

/// One side of a comparison: what the report calls it, whether it is the accounts, its year,
/// and the sums of its version (per group and detail, over this part's lines).
pub struct CompareInput<'a> {
    pub label: &'a str,
    /// The version as the exports name it.
    pub version: &'a str,
    pub accounts: bool,
    pub year: i32,
    pub totals: &'a LedgerTotals,
}

/// A comparison as printed.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonView {
    /// "versions" (A against B) or "deviation" (budget against accounts).
    pub kind: &'static str,
    /// What the two sides are called (for a deviation: the budget, then the accounts).
    pub first: String,
    pub second: String,
    /// The two sides' versions (as the exports name them) and years, in the same order.
    pub sides: [(String, i32); 2],
    pub by_group: PrintedTable,
    pub details: Vec<GroupTable>,
    /// The details that changed most, up and down, with their printed figures.
    pub largest: Option<PrintedTable>,
    /// Bars of the difference per group, in percent of the largest.
    pub bars: Vec<DifferenceBar>,
    pub alt: String,
    /// "Beløp i 1 000 kr, løpende priser" and the like.
    pub unit: String,
}

/// One group's bar in the chart of differences.
#[derive(Debug, Clone, Serialize)]
pub struct DifferenceBar {
    pub label: String,
    pub value: String,
    /// "up" or "down".
    pub kind: &'static str,
    /// Length in percent of the largest difference (0–100).
    pub length: Decimal,
}

/// A detail's figures as its table prints them.
#[derive(Clone, Copy)]
struct PrintedDetail {
    group: u32,
    detail: u32,
    first: Decimal,
    second: Decimal,
}

/// What a comparison needs from the part's view.
pub struct Setting<'a> {
    pub words: &'a Words,
    pub ledger: &'a Ledger,
    pub unit: Unit,
    pub footing: Footing,
    pub group_role: usize,
    pub group_label: &'a str,
    pub detail: Option<(usize, &'a str)>,
    pub hide_zero_rows: bool,
    pub group_order: &'a crate::config::GroupOrder,
    pub unit_caption: &'a str,
}

/// The comparison of two sides. For a deviation report the budget comes first, whichever
/// order the configuration names them in.
pub fn comparison(setting: &Setting<'_>, sides: &[CompareInput<'_>]) -> Option<ComparisonView> {
    let [a, b] = sides else { return None };
    let deviation = a.accounts != b.accounts;
    let (first, second) = if deviation && a.accounts {
        (b, a)
    } else {
        (a, b)
    };
    let net = |side: &CompareInput<'_>, group: u32| {
        side.totals
            .by_group
            .get(&group)
            .and_then(|m| m.get(&side.year))
            .map_or(Decimal::ZERO, |f| f.net)
    };
    let detail_net = |side: &CompareInput<'_>, group: u32, detail: u32| {
        side.totals
            .by_detail
            .get(&(group, detail))
            .and_then(|m| m.get(&side.year))
            .map_or(Decimal::ZERO, |f| f.net)
    };
    let unit = &setting.unit;
    let ledger = setting.ledger;
    let w = setting.words;
    // Every group either side has, in the organisation's order.
    let mut groups: Vec<u32> = first
        .totals
        .by_group
        .keys()
        .chain(second.totals.by_group.keys())
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|&g| {
            !setting.hide_zero_rows || !net(first, g).is_zero() || !net(second, g).is_zero()
        })
        .collect();
    groups
        .sort_by_cached_key(|&g| group_key(w, setting.group_order, ledger, setting.group_role, g));

    let side_column = |side: &CompareInput<'_>| {
        let values: Vec<Decimal> = groups.iter().map(|&g| net(side, g)).collect();
        column(&values, unit, setting.footing, None)
    };
    let (first_shown, first_total, n1) = side_column(first);
    let (second_shown, second_total, n2) = side_column(second);
    let first_exact_total: Decimal = groups.iter().map(|&g| net(first, g)).sum();
    let second_exact_total: Decimal = groups.iter().map(|&g| net(second, g)).sum();

    // A row's cells: both sides as printed, the difference of the printed figures and a
    // percentage of the exact ones (none on the sum row).
    let row_cells =
        |f_shown: Decimal, s_shown: Decimal, f_exact: Decimal, s_exact: Decimal, total: bool| {
            let percent = if total {
                "–".to_string()
            } else if deviation {
                // Forbruk: accounts in percent of the budget.
                percent_of(unit, s_exact, f_exact)
            } else {
                change_percent(unit, f_exact, s_exact)
            };
            // Avvik: budget − accounts, so a positive figure is spent less than budgeted.
            let difference = if deviation {
                f_shown.saturating_sub(s_shown)
            } else {
                s_shown.saturating_sub(f_shown)
            };
            vec![
                unit.print(f_shown),
                unit.print(s_shown),
                unit.print(difference),
                percent,
            ]
        };
    let head = |label: &str| {
        let mut columns = vec![
            label.to_string(),
            first.label.to_string(),
            second.label.to_string(),
        ];
        let [difference, percent] = if deviation {
            ["table.deviation", "compare.use_percent"]
        } else {
            ["table.change", "table.change_percent"]
        };
        columns.extend([w.get(difference).to_string(), w.get(percent).to_string()]);
        columns
    };
    let rows = groups
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            let (code, name) = name_of(w, ledger, setting.group_role, g);
            let cells = row_cells(
                first_shown[i],
                second_shown[i],
                net(first, g),
                net(second, g),
                false,
            );
            PrintedRow {
                label: label(&code, &name),
                cells,
                strong: false,
            }
        })
        .collect();
    let total_cells = row_cells(
        first_total,
        second_total,
        first_exact_total,
        second_exact_total,
        true,
    );
    let mut table_notes = notes(w, setting.footing, n1 || n2);
    table_notes.push(
        w.get(if deviation {
            words::DEVIATION
        } else {
            words::PERCENT_BASE
        })
        .to_string(),
    );
    let what = w.get(if deviation {
        "compare.deviation"
    } else {
        "compare.comparison"
    });
    let by_group = PrintedTable {
        caption: w.fill(
            "compare.caption",
            &[
                ("what", what),
                ("group", &setting.group_label.to_lowercase()),
                ("first", first.label),
                ("second", second.label),
                ("unit", setting.unit_caption),
            ],
        ),
        columns: head(setting.group_label),
        rows,
        total: Some(PrintedRow {
            label: w.get("table.sum").into(),
            cells: total_cells,
            strong: true,
        }),
        notes: table_notes.clone(),
    };

    // Details, footed to their group's printed figure on each side.
    let mut printed_details: Vec<PrintedDetail> = Vec::new();
    let details = match setting.detail {
        None => Vec::new(),
        Some((detail_role, detail_label)) => groups
            .iter()
            .enumerate()
            .map(|(gi, &g)| {
                let mut ids: Vec<u32> = first
                    .totals
                    .by_detail
                    .range((g, 0)..=(g, u32::MAX))
                    .chain(second.totals.by_detail.range((g, 0)..=(g, u32::MAX)))
                    .map(|(&(_, d), _)| d)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .filter(|&d| {
                        !setting.hide_zero_rows
                            || !detail_net(first, g, d).is_zero()
                            || !detail_net(second, g, d).is_zero()
                    })
                    .collect();
                ids.sort_by_cached_key(|&d| order_key(w, ledger, detail_role, d));
                let footed = |side: &CompareInput<'_>, target: Decimal| {
                    let values: Vec<Decimal> =
                        ids.iter().map(|&d| detail_net(side, g, d)).collect();
                    column(&values, unit, setting.footing, Some(target))
                };
                let (f, _, n1) = footed(first, first_shown[gi]);
                let (s, _, n2) = footed(second, second_shown[gi]);
                let rows = ids
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| {
                        printed_details.push(PrintedDetail {
                            group: g,
                            detail: d,
                            first: f[i],
                            second: s[i],
                        });
                        let (code, name) = name_of(w, ledger, detail_role, d);
                        let cells = row_cells(
                            f[i],
                            s[i],
                            detail_net(first, g, d),
                            detail_net(second, g, d),
                            false,
                        );
                        PrintedRow {
                            label: label(&code, &name),
                            cells,
                            strong: false,
                        }
                    })
                    .collect();
                let (code, name) = name_of(w, ledger, setting.group_role, g);
                let total = row_cells(
                    first_shown[gi],
                    second_shown[gi],
                    net(first, g),
                    net(second, g),
                    false,
                );
                let mut group_notes = notes(w, setting.footing, n1 || n2);
                group_notes.push(table_notes.last().cloned().unwrap_or_default());
                GroupTable {
                    code: code.clone(),
                    name: name.clone(),
                    table: PrintedTable {
                        caption: w.fill(
                            "compare.detail_caption",
                            &[
                                ("what", what),
                                ("detail", &detail_label.to_lowercase()),
                                ("group", &name),
                                ("first", first.label),
                                ("second", second.label),
                                ("unit", setting.unit_caption),
                            ],
                        ),
                        columns: head(detail_label),
                        rows,
                        total: Some(PrintedRow {
                            label: super::table::sum_of(w, &name),
                            cells: total,
                            strong: true,
                        }),
                        notes: group_notes,
                    },
                }
            })
            .collect(),
    };

    // The details that changed most, with the figures their tables print.
    let largest = setting.detail.and_then(|(detail_role, detail_label)| {
        let mut changes: Vec<(Decimal, &PrintedDetail)> = printed_details
            .iter()
            .map(|p| {
                (
                    detail_net(second, p.group, p.detail) - detail_net(first, p.group, p.detail),
                    p,
                )
            })
            .filter(|(d, _)| !d.is_zero())
            .collect();
        if changes.is_empty() {
            return None;
        }
        changes.sort_by_key(|c| std::cmp::Reverse(c.0));
        let ups: Vec<_> = changes
            .iter()
            .filter(|c| c.0 > Decimal::ZERO)
            .take(5)
            .collect();
        let downs: Vec<_> = changes
            .iter()
            .rev()
            .filter(|c| c.0 < Decimal::ZERO)
            .take(5)
            .collect();
        let rows = ups
            .into_iter()
            .chain(downs)
            .map(|change| {
                let PrintedDetail {
                    group: g,
                    detail: d,
                    first: f,
                    second: s,
                } = *change.1;
                let (gcode, gname) = name_of(w, ledger, setting.group_role, g);
                let (dcode, dname) = name_of(w, ledger, detail_role, d);
                let cells = row_cells(
                    f,
                    s,
                    detail_net(first, g, d),
                    detail_net(second, g, d),
                    false,
                );
                PrintedRow {
                    label: format!("{} / {}", label(&gcode, &gname), label(&dcode, &dname)),
                    cells,
                    strong: false,
                }
            })
            .collect();
        Some(PrintedTable {
            caption: w.fill(
                "compare.largest_caption",
                &[
                    ("detail", &detail_label.to_lowercase()),
                    ("first", first.label),
                    ("second", second.label),
                    ("unit", setting.unit_caption),
                ],
            ),
            columns: head(&format!("{} / {}", setting.group_label, detail_label)),
            rows,
            total: None,
            notes: vec![w.get(words::LARGEST).to_string()],
        })
    });

    // Bars of the printed differences per group.
    let differences: Vec<Decimal> = first_shown
        .iter()
        .zip(&second_shown)
        .map(|(f, s)| if deviation { *f - *s } else { *s - *f })
        .collect();
    let largest_difference = differences
        .iter()
        .fold(Decimal::ZERO, |m, d| m.max(d.abs()));
    let bars = groups
        .iter()
        .zip(&differences)
        .map(|(&g, d)| {
            let (code, name) = name_of(w, ledger, setting.group_role, g);
            DifferenceBar {
                label: label(&code, &name),
                value: unit.print(*d),
                kind: if *d >= Decimal::ZERO { "up" } else { "down" },
                length: if largest_difference.is_zero() {
                    Decimal::ZERO
                } else {
                    super::percent_of(d.abs(), largest_difference)
                },
            }
        })
        .collect();
    let alt = w.fill(
        "compare.alt",
        &[
            (
                "what",
                w.get(if deviation {
                    "compare.alt_deviation"
                } else {
                    "compare.alt_change"
                }),
            ),
            ("group", &setting.group_label.to_lowercase()),
            ("first", first.label),
            ("second", second.label),
            ("unit", setting.unit_caption),
        ],
    );
    Some(ComparisonView {
        kind: if deviation { "deviation" } else { "versions" },
        first: first.label.to_string(),
        second: second.label.to_string(),
        sides: [
            (first.version.to_string(), first.year),
            (second.version.to_string(), second.year),
        ],
        by_group,
        details,
        largest,
        bars,
        alt,
        unit: setting.unit_caption.to_string(),
    })
}

/// `part` in percent of `whole` (exact), a dash when `whole` is less than one printed unit.
fn percent_of(unit: &Unit, part: Decimal, whole: Decimal) -> String {
    let one_unit = Decimal::new(1, unit.decimals).saturating_mul(unit.scale.divisor());
    if whole.abs() < one_unit {
        return "–".to_string();
    }
    part.checked_div(whole)
        .map_or_else(|| "–".to_string(), |r| format::percent(r, 1))
}
