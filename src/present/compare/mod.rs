//! Comparisons of two versions of one part of the budget: what changed between, say, the
//! adopted budget and the proposal, or how the accounts deviate from the budget (an
//! avviksrapport). Per group and per detail, in the organisation's order, with the largest
//! changes listed and drawn.
//!
//! A row is a code, not a name: exports rename a service between versions and keep its code,
//! so values with one code are one row, named as the newer side names it, with a note where
//! the names differ. Values without a code are a row each.
//!
//! Each side's column is rounded by the report's footing rule (details to their group's
//! printed figure, as everywhere); a difference is the difference of the printed figures, so a
//! row reads consistently; a percentage is of the exact figures, with the dash rules of the
//! other tables.
//!
//! Budget against accounts of the same year is a deviation report (*Avvik*, *Forbruk %*).
//! Budget of one year against accounts of another is not: *mindreforbruk* and *Forbruk %*
//! hold only within one year, so such a pair is a change between the years, from the earlier
//! to the later.

mod chart;
mod tables;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use super::table::{GroupTable, PrintedTable, change_percent, column, group_key, label};
use crate::aggregate::ledger::{Flow, LedgerTotals};
use crate::format;
use crate::format::{Footing, Unit};
use crate::model::ledger::{Ledger, NONE};
use crate::words::{Fill, Phrase, Words};

pub(crate) use chart::DifferenceBar;
use tables::PrintedDetail;

/// One side of a comparison: what the report calls it, whether it is the accounts, its year,
/// and the sums of its version (per group and detail, over this part's lines).
pub(crate) struct CompareInput<'a> {
    pub label: &'a str,
    /// The version as the exports name it.
    pub version: &'a str,
    pub accounts: bool,
    pub year: i32,
    pub totals: &'a LedgerTotals,
}

impl<'a> CompareInput<'a> {
    /// What the comparison with `side` is built from.
    pub(crate) fn of(side: &'a crate::summed_budget::ComparedSide) -> Self {
        CompareInput {
            label: &side.side.label,
            version: &side.side.version,
            accounts: side.side.is_accounts(),
            year: side.year,
            totals: &side.totals,
        }
    }
}

/// A comparison as printed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComparisonView {
    /// "versions" (A against B, or two years) or "deviation" (budget against accounts of the
    /// same year).
    pub kind: &'static str,
    /// What the two sides are called (for a deviation: the budget, then the accounts; for
    /// two years: the earlier, then the later).
    pub first: String,
    pub(crate) second: String,
    /// The two sides' versions (as the exports name them) and years, in the same order.
    pub(crate) sides: [(String, i32); 2],
    /// Whether the two sides are of different years.
    pub(crate) years_differ: bool,
    pub by_group: PrintedTable,
    pub(crate) details: Vec<GroupTable>,
    /// The details that changed most: the increases (or positive deviations), then the
    /// reductions (or negative ones), each a table whose caption says which; either may be
    /// missing.
    pub(crate) largest: Vec<PrintedTable>,
    /// Bars of the difference per group, in percent of the largest.
    pub(crate) bars: Vec<DifferenceBar>,
    pub alt: Phrase,
    /// "Beløp i 1 000 kr, løpende priser" and the like.
    pub unit: Phrase,
}

/// What a comparison needs from the part's view.
pub(crate) struct Setting<'a> {
    pub words: &'a Words,
    pub ledger: &'a Ledger,
    pub unit: Unit,
    pub footing: Footing,
    pub(crate) group_role: usize,
    pub(crate) group_label: &'a str,
    pub detail: Option<(usize, &'a str)>,
    pub(crate) hide_zero_rows: bool,
    pub group_order: &'a crate::config::GroupOrder,
    pub(crate) unit_caption: &'a Phrase,
}

/// The two sides in print order: a deviation report has the budget first, a budget and
/// accounts of two different years the earlier year first, anything else the configured
/// order. Also says whether it is a deviation report.
fn in_print_order<'s, 'a>(
    a: &'s CompareInput<'a>,
    b: &'s CompareInput<'a>,
) -> (&'s CompareInput<'a>, &'s CompareInput<'a>, bool) {
    let mixed = a.accounts != b.accounts;
    let deviation = mixed && a.year == b.year;
    if (deviation && a.accounts) || (mixed && a.year > b.year) {
        (b, a, deviation)
    } else {
        (a, b, deviation)
    }
}

/// The comparison of two sides. For a deviation report the budget comes first, whichever
/// order the configuration names them in.
pub(crate) fn comparison(
    setting: &Setting<'_>,
    sides: &[CompareInput<'_>],
) -> Option<ComparisonView> {
    let [a, b] = sides else { return None };
    let (first, second, deviation) = in_print_order(a, b);
    let what = if deviation {
        "compare.deviation"
    } else {
        "compare.comparison"
    };
    let cmp = Compare {
        setting,
        sides: [first, second],
        // The newer side names a row; on a tie (one year), the second.
        newer: usize::from(first.year <= second.year),
        deviation,
        what,
    };
    let groups = cmp.groups();
    let side_column = |side: usize| {
        let values: Vec<Decimal> = groups.iter().map(|g| cmp.group_flow(side, g).net).collect();
        column(&values, &setting.unit, setting.footing, None)
    };
    let first_column = side_column(0);
    let second_column = side_column(1);
    let by_group = cmp.by_group(&groups, &first_column, &second_column);
    let (first_shown, second_shown) = (&first_column.0, &second_column.0);

    // Details, footed to their group's printed figure on each side.
    let mut printed_details: Vec<PrintedDetail> = Vec::new();
    let details = match setting.detail {
        None => Vec::new(),
        Some(detail) => groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let shown = (first_shown[gi], second_shown[gi]);
                cmp.detail_table(g, detail, shown, &mut printed_details)
            })
            .collect(),
    };
    let largest = setting
        .detail
        .map(|detail| cmp.largest(detail, printed_details))
        .unwrap_or_default();
    Some(ComparisonView {
        kind: if deviation { "deviation" } else { "versions" },
        first: first.label.to_string(),
        second: second.label.to_string(),
        sides: [
            (first.version.to_string(), first.year),
            (second.version.to_string(), second.year),
        ],
        years_differ: first.year != second.year,
        bars: cmp.bars(&groups, first_shown, second_shown),
        alt: cmp.alt(),
        by_group,
        details,
        largest,
        unit: setting.unit_caption.clone(),
    })
}

/// One row of a comparison: the values of one dimension that share a code on either side,
/// named as the newer side names it.
struct Keyed {
    /// Per side, in print order: the value ids that make the row.
    ids: [Vec<u32>; 2],
    /// The id whose name the row prints.
    shown: u32,
    /// Another name the row has on either side, when it has one.
    renamed_from: Option<String>,
}

/// The key of the row value `id` of dimension `role` is printed in: its code; a value
/// without a code, and the lines without a value, a row each. Versions, and the sources of one
/// version (a KOSTRA file names a funksjon by its code only), name one value differently.
pub(crate) fn row_key(ledger: &Ledger, role: usize, id: u32) -> String {
    match ledger.dimensions[role].values.get(id as usize) {
        _ if id == NONE => "\u{0}".to_string(),
        Some(v) if !v.code.is_empty() => format!("\u{1}{}", v.code),
        Some(v) => format!("\u{2}{}", v.text),
        None => format!("\u{3}{id}"),
    }
}

/// Rows of the values `ids` (per side) of dimension `role`: one per code; a value without a
/// code, and the lines without a value, are a row each. `named` says whether a side's value
/// has lines in the compared year (a name from that year is preferred).
fn keyed(
    setting: &Setting<'_>,
    role: usize,
    ids: [BTreeSet<u32>; 2],
    newer: usize,
    named: impl Fn(usize, u32) -> bool,
) -> Vec<Keyed> {
    let mut rows: BTreeMap<String, Keyed> = BTreeMap::new();
    for (side, side_ids) in ids.iter().enumerate() {
        for &id in side_ids {
            let key = row_key(setting.ledger, role, id);
            let row = rows.entry(key).or_insert_with(|| Keyed {
                ids: [Vec::new(), Vec::new()],
                shown: id,
                renamed_from: None,
            });
            row.ids[side].push(id);
        }
    }
    let name = |id: u32| setting.ledger.name_of(role, id, setting.words).1;
    rows.into_values()
        .map(|mut row| {
            let printed = if row.ids[newer].is_empty() {
                1 - newer
            } else {
                newer
            };
            let on_printed = &row.ids[printed];
            row.shown = on_printed
                .iter()
                .copied()
                .find(|&id| named(printed, id))
                .unwrap_or(on_printed[0]);
            let shown_name = name(row.shown);
            row.renamed_from = row.ids[0]
                .iter()
                .chain(&row.ids[1])
                .map(|&id| name(id))
                .find(|n| *n != shown_name);
            row
        })
        .collect()
}

/// `a + b`, each part saturating.
pub(crate) fn plus(a: Flow, b: &Flow) -> Flow {
    Flow {
        expense: a.expense.saturating_add(b.expense),
        income: a.income.saturating_add(b.income),
        net: a.net.saturating_add(b.net),
    }
}

/// Whether a flow has no line other than zero.
fn all_zero(flow: &Flow) -> bool {
    flow.expense.is_zero() && flow.income.is_zero()
}

/// What the parts of a comparison share: the setting, the two sides in print order, which of
/// them names the rows, whether it is a deviation report and what the captions call it.
struct Compare<'a> {
    setting: &'a Setting<'a>,
    sides: [&'a CompareInput<'a>; 2],
    newer: usize,
    deviation: bool,
    what: &'static str,
}

impl Compare<'_> {
    /// A side's sums for a group row in its year.
    fn group_flow(&self, side: usize, group: &Keyed) -> Flow {
        let s = self.sides[side];
        group.ids[side]
            .iter()
            .filter_map(|g| s.totals.by_group.get(g)?.get(&s.year))
            .fold(Flow::default(), plus)
    }

    /// A side's sums for a detail row of a group row in its year.
    fn detail_flow(&self, side: usize, group: &Keyed, detail: &Keyed) -> Flow {
        let s = self.sides[side];
        let mut flow = Flow::default();
        for &g in &group.ids[side] {
            for &d in &detail.ids[side] {
                if let Some(f) = s.totals.by_detail.get(&(g, d)).and_then(|m| m.get(&s.year)) {
                    flow = plus(flow, f);
                }
            }
        }
        flow
    }

    /// Whether a row is left out: with `hide_zero_rows`, one whose every line is zero on
    /// both sides (the rule of the report's other tables).
    fn hidden(&self, flows: [Flow; 2]) -> bool {
        self.setting.hide_zero_rows && flows.iter().all(all_zero)
    }

    /// Every group either side has, one row per code, in the organisation's order.
    fn groups(&self) -> Vec<Keyed> {
        let setting = self.setting;
        let ids = self
            .sides
            .map(|s| s.totals.by_group.keys().copied().collect());
        let has_lines = |side: usize, g: u32| {
            let s = self.sides[side];
            s.totals
                .by_group
                .get(&g)
                .is_some_and(|m| m.contains_key(&s.year))
        };
        let mut groups: Vec<Keyed> = keyed(setting, setting.group_role, ids, self.newer, has_lines)
            .into_iter()
            .filter(|g| !self.hidden([self.group_flow(0, g), self.group_flow(1, g)]))
            .collect();
        groups.sort_by_cached_key(|g| {
            group_key(
                setting.words,
                setting.group_order,
                setting.ledger,
                setting.group_role,
                g.shown,
            )
        });
        groups
    }

    /// The label of a row, as `role` names its printed value.
    fn label(&self, role: usize, row: &Keyed) -> String {
        let (code, name) = self
            .setting
            .ledger
            .name_of(role, row.shown, self.setting.words);
        label(&code, &name)
    }

    /// The note under a table whose rows have other names on a side, listing them; none when
    /// every row has one name.
    fn renamed_note(&self, role: usize, rows: &[&Keyed]) -> Option<Phrase> {
        let renamed: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                let other = row.renamed_from.as_ref()?;
                Some(format!("{} ({other})", self.label(role, row)))
            })
            .collect();
        if renamed.is_empty() {
            return None;
        }
        Some(
            Phrase::new("compare.renamed")
                .with("newer", self.sides[self.newer].label)
                .with("list", renamed.join("; ")),
        )
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
            use_percent(unit, s_exact, f_exact)
        } else {
            change_percent(unit, f_exact, s_exact)
        };
        vec![
            unit.print(f_shown),
            unit.print(s_shown),
            unit.print(self.difference(f_shown, s_shown)),
            percent,
        ]
    }

    /// The difference column: budget − accounts in a deviation report (positive: spent less
    /// than budgeted), else second − first.
    fn difference(&self, first: Decimal, second: Decimal) -> Decimal {
        if self.deviation {
            first.saturating_sub(second)
        } else {
            second.saturating_sub(first)
        }
    }

    /// A table's column heads: the label, both sides, the difference and the percentage.
    fn head(&self, label: &str) -> Vec<Fill> {
        let mut columns: Vec<Fill> = vec![
            label.into(),
            self.sides[0].label.into(),
            self.sides[1].label.into(),
        ];
        let [difference, percent] = if self.deviation {
            ["table.deviation", "compare.use_percent"]
        } else {
            ["table.change", "table.change_percent"]
        };
        columns.extend([Phrase::new(difference).into(), Phrase::new(percent).into()]);
        columns
    }
}

/// *Forbruk %*: the accounts in percent of the budget (exact), for an expense. A dash where
/// the budget is less than one printed unit, where it is income (negative: consumption of an
/// income means nothing, and a ratio of two incomes or of an income and an expense would read
/// as a consumption), and where the accounts are income against an expense budget.
fn use_percent(unit: &Unit, accounts: Decimal, budget: Decimal) -> String {
    let one_unit = Decimal::new(1, unit.decimals).saturating_mul(unit.scale.divisor());
    if budget < one_unit || accounts.is_sign_negative() && !accounts.is_zero() {
        return "–".to_string();
    }
    accounts
        .checked_div(budget)
        .map_or_else(|| "–".to_string(), |r| format::percent(r, 1))
}

/// The groups of a comparison that have lines in one side's year only, by code (a value
/// without a code by name), as `check` lists them: per side in print order, its label and the
/// labels of the groups only it has.
pub(crate) fn one_sided_groups(
    words: &Words,
    ledger: &Ledger,
    group_role: usize,
    sides: &[CompareInput<'_>],
) -> Vec<(String, Vec<String>)> {
    let [a, b] = sides else {
        return Vec::new();
    };
    let (first, second, _) = in_print_order(a, b);
    let keys = |side: &CompareInput<'_>| -> BTreeMap<String, String> {
        side.totals
            .by_group
            .iter()
            .filter(|(_, per_year)| per_year.contains_key(&side.year))
            .map(|(&g, _)| {
                let (code, name) = ledger.name_of(group_role, g, words);
                let key = if code.is_empty() {
                    name.clone()
                } else {
                    code.clone()
                };
                (key, label(&code, &name))
            })
            .collect()
    };
    let (f, s) = (keys(first), keys(second));
    let only = |this: &BTreeMap<String, String>, other: &BTreeMap<String, String>| {
        this.iter()
            .filter(|(k, _)| !other.contains_key(*k))
            .map(|(_, l)| l.clone())
            .collect()
    };
    vec![
        (first.label.to_string(), only(&f, &s)),
        (second.label.to_string(), only(&s, &f)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Rule, Scale};

    const THOUSANDS: Unit = Unit {
        scale: Scale::Thousands,
        decimals: 0,
        rule: Rule::HalfAwayFromZero,
    };

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn use_percent_is_of_an_expense_budget_only() {
        // 1 100 000 spent of 1 000 000 budgeted: 110,0 %.
        assert_eq!(
            use_percent(&THOUSANDS, d("1100000"), d("1000000")),
            "110,0\u{a0}%"
        );
        // Nothing spent: 0,0 %.
        assert_eq!(use_percent(&THOUSANDS, d("0"), d("1000000")), "0,0\u{a0}%");
        // An income budget (−100 000) against accounts +822 200 or −2 588 770: a dash, not
        // −822,2 % or 2 588,8 %.
        assert_eq!(use_percent(&THOUSANDS, d("822200"), d("-100000")), "–");
        assert_eq!(use_percent(&THOUSANDS, d("-2588770"), d("-100000")), "–");
        // An expense budget whose accounts ended as income: a dash.
        assert_eq!(use_percent(&THOUSANDS, d("-50000"), d("100000")), "–");
        // A budget under one printed unit (999 kr in 1 000 kr): a dash.
        assert_eq!(use_percent(&THOUSANDS, d("5000"), d("999")), "–");
    }
}
