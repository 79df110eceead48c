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
    let w = setting.words;
    let what = w.get(if deviation {
        "compare.deviation"
    } else {
        "compare.comparison"
    });
    let cmp = Compare {
        setting,
        first,
        second,
        deviation,
        what,
    };
    let groups = cmp.groups();
    let side_column = |side: &CompareInput<'_>| {
        let values: Vec<Decimal> = groups.iter().map(|&g| net(side, g)).collect();
        column(&values, &setting.unit, setting.footing, None)
    };
    let first_column = side_column(first);
    let second_column = side_column(second);
    let by_group = cmp.by_group(&groups, &first_column, &second_column);
    let (first_shown, second_shown) = (&first_column.0, &second_column.0);

    // Details, footed to their group's printed figure on each side.
    let mut printed_details: Vec<PrintedDetail> = Vec::new();
    let details = match setting.detail {
        None => Vec::new(),
        Some(detail) => groups
            .iter()
            .enumerate()
            .map(|(gi, &g)| {
                let shown = (first_shown[gi], second_shown[gi]);
                cmp.detail_table(g, detail, shown, &mut printed_details)
            })
            .collect(),
    };
    let largest = setting
        .detail
        .and_then(|detail| cmp.largest(detail, &printed_details));
    Some(ComparisonView {
        kind: if deviation { "deviation" } else { "versions" },
        first: first.label.to_string(),
        second: second.label.to_string(),
        sides: [
            (first.version.to_string(), first.year),
            (second.version.to_string(), second.year),
        ],
        bars: cmp.bars(&groups, first_shown, second_shown),
        alt: cmp.alt(),
        by_group,
        details,
        largest,
        unit: setting.unit_caption.to_string(),
    })
}

/// What the parts of a comparison share: the setting, the two sides in print order, whether
/// it is a deviation report and what the captions call it.
struct Compare<'a> {
    setting: &'a Setting<'a>,
    first: &'a CompareInput<'a>,
    second: &'a CompareInput<'a>,
    deviation: bool,
    what: &'a str,
}

/// A side's net figure for a group in its year.
fn net(side: &CompareInput<'_>, group: u32) -> Decimal {
    side.totals
        .by_group
        .get(&group)
        .and_then(|m| m.get(&side.year))
        .map_or(Decimal::ZERO, |f| f.net)
}

/// A side's net figure for a detail of a group in its year.
fn detail_net(side: &CompareInput<'_>, group: u32, detail: u32) -> Decimal {
    side.totals
        .by_detail
        .get(&(group, detail))
        .and_then(|m| m.get(&side.year))
        .map_or(Decimal::ZERO, |f| f.net)
}

impl Compare<'_> {
    /// Every group either side has, in the organisation's order.
    fn groups(&self) -> Vec<u32> {
        let (setting, first, second) = (self.setting, self.first, self.second);
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
        groups.sort_by_cached_key(|&g| {
            group_key(
                setting.words,
                setting.group_order,
                setting.ledger,
                setting.group_role,
                g,
            )
        });
        groups
    }

    /// A row's cells: both sides as printed, the difference of the printed figures and a
    /// percentage of the exact ones (none on the sum row).
    fn row_cells(
        &self,
        f_shown: Decimal,
        s_shown: Decimal,
        f_exact: Decimal,
        s_exact: Decimal,
        total: bool,
    ) -> Vec<String> {
        let unit = &self.setting.unit;
        let percent = if total {
            "–".to_string()
        } else if self.deviation {
            // Forbruk: accounts in percent of the budget.
            percent_of(unit, s_exact, f_exact)
        } else {
            change_percent(unit, f_exact, s_exact)
        };
        // Avvik: budget − accounts, so a positive figure is spent less than budgeted.
        let difference = if self.deviation {
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
    }

    /// The cells of a detail's row: its printed figures, its exact ones.
    fn detail_cells(&self, g: u32, d: u32, f_shown: Decimal, s_shown: Decimal) -> Vec<String> {
        self.row_cells(
            f_shown,
            s_shown,
            detail_net(self.first, g, d),
            detail_net(self.second, g, d),
            false,
        )
    }

    /// A table's column heads: the label, both sides, the difference and the percentage.
    fn head(&self, label: &str) -> Vec<String> {
        let w = self.setting.words;
        let mut columns = vec![
            label.to_string(),
            self.first.label.to_string(),
            self.second.label.to_string(),
        ];
        let [difference, percent] = if self.deviation {
            ["table.deviation", "compare.use_percent"]
        } else {
            ["table.change", "table.change_percent"]
        };
        columns.extend([w.get(difference).to_string(), w.get(percent).to_string()]);
        columns
    }

    /// The table per group with its sum row; each side's column is given as `column` prints
    /// it (figures, total, whether footing changed one). Its last note says what the
    /// percentage is of.
    fn by_group(
        &self,
        groups: &[u32],
        (first_shown, first_total, n1): &(Vec<Decimal>, Decimal, bool),
        (second_shown, second_total, n2): &(Vec<Decimal>, Decimal, bool),
    ) -> PrintedTable {
        let (setting, first, second) = (self.setting, self.first, self.second);
        let w = setting.words;
        let rows = groups
            .iter()
            .enumerate()
            .map(|(i, &g)| {
                let (code, name) = name_of(w, setting.ledger, setting.group_role, g);
                let cells = self.row_cells(
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
        let first_exact_total: Decimal = groups.iter().map(|&g| net(first, g)).sum();
        let second_exact_total: Decimal = groups.iter().map(|&g| net(second, g)).sum();
        let total_cells = self.row_cells(
            *first_total,
            *second_total,
            first_exact_total,
            second_exact_total,
            true,
        );
        let mut table_notes = notes(w, setting.footing, *n1 || *n2);
        table_notes.push(
            w.get(if self.deviation {
                words::DEVIATION
            } else {
                words::PERCENT_BASE
            })
            .to_string(),
        );
        PrintedTable {
            caption: w.fill(
                "compare.caption",
                &[
                    ("what", self.what),
                    ("group", &setting.group_label.to_lowercase()),
                    ("first", first.label),
                    ("second", second.label),
                    ("unit", setting.unit_caption),
                ],
            ),
            columns: self.head(setting.group_label),
            rows,
            total: Some(PrintedRow {
                label: w.get("table.sum").into(),
                cells: total_cells,
                strong: true,
            }),
            notes: table_notes,
        }
    }

    /// A group's table of details, footed to the group's printed figure on each side
    /// (`shown`); the details' printed figures are added to `printed`.
    fn detail_table(
        &self,
        g: u32,
        (detail_role, detail_label): (usize, &str),
        shown: (Decimal, Decimal),
        printed: &mut Vec<PrintedDetail>,
    ) -> GroupTable {
        let (setting, first, second) = (self.setting, self.first, self.second);
        let w = setting.words;
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
        ids.sort_by_cached_key(|&d| order_key(w, setting.ledger, detail_role, d));
        let footed = |side: &CompareInput<'_>, target: Decimal| {
            let values: Vec<Decimal> = ids.iter().map(|&d| detail_net(side, g, d)).collect();
            column(&values, &setting.unit, setting.footing, Some(target))
        };
        let (f, _, n1) = footed(first, shown.0);
        let (s, _, n2) = footed(second, shown.1);
        let rows = ids
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                printed.push(PrintedDetail {
                    group: g,
                    detail: d,
                    first: f[i],
                    second: s[i],
                });
                let (code, name) = name_of(w, setting.ledger, detail_role, d);
                PrintedRow {
                    label: label(&code, &name),
                    cells: self.detail_cells(g, d, f[i], s[i]),
                    strong: false,
                }
            })
            .collect();
        let (code, name) = name_of(w, setting.ledger, setting.group_role, g);
        let total = self.row_cells(shown.0, shown.1, net(first, g), net(second, g), false);
        // What the difference and the percentage are was said once, under the table per
        // group where this kind of table begins: not again under every group's table.
        let group_notes = notes(w, setting.footing, n1 || n2);
        GroupTable {
            code: code.clone(),
            name: name.clone(),
            table: PrintedTable {
                caption: w.fill(
                    "compare.detail_caption",
                    &[
                        ("what", self.what),
                        ("detail", &detail_label.to_lowercase()),
                        ("group", &name),
                        ("first", first.label),
                        ("second", second.label),
                        ("unit", setting.unit_caption),
                    ],
                ),
                columns: self.head(detail_label),
                rows,
                total: Some(PrintedRow {
                    label: super::table::sum_of(w, &name),
                    cells: total,
                    strong: true,
                }),
                notes: group_notes,
            },
        }
    }

    /// The details that changed most (five up, five down), with the figures their tables
    /// print; none when nothing changed.
    fn largest(
        &self,
        (detail_role, detail_label): (usize, &str),
        printed_details: &[PrintedDetail],
    ) -> Option<PrintedTable> {
        let (setting, first, second) = (self.setting, self.first, self.second);
        let w = setting.words;
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
                let (gcode, gname) = name_of(w, setting.ledger, setting.group_role, g);
                let (dcode, dname) = name_of(w, setting.ledger, detail_role, d);
                PrintedRow {
                    label: format!("{} / {}", label(&gcode, &gname), label(&dcode, &dname)),
                    cells: self.detail_cells(g, d, f, s),
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
            columns: self.head(&format!("{} / {}", setting.group_label, detail_label)),
            rows,
            total: None,
            notes: vec![w.get(words::LARGEST).to_string()],
        })
    }

    /// Bars of the printed differences per group, in percent of the largest.
    fn bars(
        &self,
        groups: &[u32],
        first_shown: &[Decimal],
        second_shown: &[Decimal],
    ) -> Vec<DifferenceBar> {
        let setting = self.setting;
        let differences: Vec<Decimal> = first_shown
            .iter()
            .zip(second_shown)
            .map(|(f, s)| if self.deviation { *f - *s } else { *s - *f })
            .collect();
        let mut drawn: Vec<(String, Decimal)> = groups
            .iter()
            .zip(&differences)
            .map(|(&g, d)| {
                let (code, name) = name_of(setting.words, setting.ledger, setting.group_role, g);
                (label(&code, &name), *d)
            })
            .collect();
        if drawn.len() > MOST_BARS {
            drawn = largest_and_the_rest(drawn, setting.words);
        }
        let largest_difference = drawn.iter().fold(Decimal::ZERO, |m, (_, d)| m.max(d.abs()));
        drawn
            .into_iter()
            .map(|(label, d)| DifferenceBar {
                label,
                value: setting.unit.print(d),
                kind: if d >= Decimal::ZERO { "up" } else { "down" },
                length: if largest_difference.is_zero() {
                    Decimal::ZERO
                } else {
                    super::charts::percent_of(d.abs(), largest_difference)
                },
            })
            .collect()
    }

    /// The chart's alternative text.
    fn alt(&self) -> String {
        let setting = self.setting;
        let w = setting.words;
        w.fill(
            "compare.alt",
            &[
                (
                    "what",
                    w.get(if self.deviation {
                        "compare.alt_deviation"
                    } else {
                        "compare.alt_change"
                    }),
                ),
                ("group", &setting.group_label.to_lowercase()),
                ("first", self.first.label),
                ("second", self.second.label),
                ("unit", setting.unit_caption),
            ],
        )
    }
}

/// The most bars a chart of differences draws, so that it fits its page: with more groups it
/// draws the largest differences and one bar for the rest.
const MOST_BARS: usize = 25;

/// The `MOST_BARS - 1` largest differences (by size; the earlier of equals), in the table's
/// order, and one bar that sums the rest and says how many groups it holds. The rest's figure
/// is the sum of the printed figures it replaces, so the bars add up as the table does.
fn largest_and_the_rest(bars: Vec<(String, Decimal)>, words: &Words) -> Vec<(String, Decimal)> {
    let mut by_size: Vec<usize> = (0..bars.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(bars[i].1.abs()));
    let kept: BTreeSet<usize> = by_size.into_iter().take(MOST_BARS - 1).collect();
    let (count, rest) = bars
        .iter()
        .enumerate()
        .filter(|(i, _)| !kept.contains(i))
        .fold((0usize, Decimal::ZERO), |(n, sum), (_, (_, d))| {
            (n + 1, sum + d)
        });
    let mut drawn: Vec<(String, Decimal)> = bars
        .into_iter()
        .enumerate()
        .filter(|(i, _)| kept.contains(i))
        .map(|(_, bar)| bar)
        .collect();
    let label = words.fill("compare.bars_rest", &[("count", &count.to_string())]);
    drawn.push((label, rest));
    drawn
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
