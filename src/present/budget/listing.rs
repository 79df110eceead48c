//! The listing: every line of the chosen version in the plan years, per group, with the
//! group's sum per year.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use crate::fonts;
use crate::model::Role;
use crate::model::ledger::{BudgetLine, NONE};
use crate::present::table::{column, notes, sum_of};
use crate::words::Phrase;

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
    pub(crate) label_widths: Vec<u32>,
    /// The group's sum per year, after its lines.
    pub totals: Vec<ListingTotal>,
    pub notes: Vec<Phrase>,
}

/// A group's sum in one year, as the listing prints it under the group's lines.
#[derive(Debug, Clone, Serialize)]
pub struct ListingTotal {
    pub label: String,
    pub year: i32,
    pub amount: String,
}

/// Every line of the chosen version in the plan years, per group in group order, each line's
/// other dimensions (those any source has), year and amount in the report's unit.
pub(super) fn listing(ctx: &Context<'_>, sources: &[u16], version: u16) -> Vec<ListingGroup> {
    let (ledger, group_role, w) = (ctx.ledger, ctx.group_role, ctx.words);
    let (group_ids, years) = (ctx.group_ids.as_slice(), ctx.years.as_slice());
    let shown_roles: Vec<usize> = (0..Role::COUNT)
        .filter(|&r| r != group_role && !ledger.dimensions[r].values.is_empty())
        .collect();
    let mut by_group: BTreeMap<u32, Vec<&BudgetLine>> = BTreeMap::new();
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
        .map(|&r| ledger.dimension_label(r, w).unwrap_or_default())
        .chain([
            w.get("table.year").to_string(),
            w.get("table.amount").to_string(),
        ])
        .collect();
    let labels = Labels::of(ctx, &shown_roles, by_group.values().flatten().copied());
    group_ids
        .iter()
        .filter_map(|g| by_group.get(g).map(|lines| (g, lines)))
        .map(|(&g, lines)| group_listing(ctx, g, lines, &labels, &columns))
        .collect()
}

/// A listed dimension value as its cell prints it, and how wide (`fonts::text_width`).
struct Label {
    text: String,
    width: u32,
}

/// The labels of the listed dimensions' values, each printed and measured once: a listing's
/// lines share a few hundred values, and making each line's labels anew was most of the
/// detail report's presenting (issue 29).
struct Labels {
    /// The dimensions shown per line, in column order.
    roles: Vec<usize>,
    /// Per shown dimension, per value id, the value's label; `NONE` is an empty cell.
    by_id: Vec<Vec<Option<Label>>>,
    none: Label,
}

impl Labels {
    fn of<'l>(
        ctx: &Context<'_>,
        roles: &[usize],
        lines: impl Iterator<Item = &'l BudgetLine>,
    ) -> Self {
        let dimensions = &ctx.ledger.dimensions;
        let mut by_id: Vec<Vec<Option<Label>>> = roles
            .iter()
            .map(|&r| (0..dimensions[r].values.len()).map(|_| None).collect())
            .collect();
        for line in lines {
            for (column, &role) in roles.iter().enumerate() {
                let id = line.dims[role];
                if id == NONE {
                    continue;
                }
                by_id[column][id as usize].get_or_insert_with(|| {
                    let text = dimensions[role].values[id as usize].display();
                    let width = fonts::text_width(&text, false);
                    Label { text, width }
                });
            }
        }
        Labels {
            roles: roles.to_vec(),
            by_id,
            none: Label {
                text: String::new(),
                width: fonts::text_width("", false),
            },
        }
    }

    /// The labels of `line`, one per shown dimension.
    fn of_line<'a>(&'a self, line: &'a BudgetLine) -> impl Iterator<Item = &'a Label> + 'a {
        self.roles.iter().zip(&self.by_id).map(|(&role, by_id)| {
            let id = line.dims[role];
            match by_id.get(id as usize) {
                Some(Some(label)) if id != NONE => label,
                _ => &self.none,
            }
        })
    }
}

/// One group's lines, sorted by year and labels, and its total per year. Each year's amounts
/// are footed to the group's net as every other table prints it (in current prices, where a
/// price basis would make the net another quantity, to their own rounded sum).
fn group_listing(
    ctx: &Context<'_>,
    g: u32,
    lines: &[&BudgetLine],
    labels: &Labels,
    columns: &[String],
) -> ListingGroup {
    let (ledger, unit, w) = (ctx.ledger, &ctx.unit, ctx.words);
    let (code, name) = ledger.name_of(ctx.group_role, g, w);
    let shown = labels.roles.len();
    // Sorted by year, then labels, then the amount as printed (in that order of keys).
    let mut lines: Vec<(&BudgetLine, String)> = lines
        .iter()
        .map(|&line| (line, unit.print(unit.round(line.amount))))
        .collect();
    lines.sort_by(|(a, a_printed), (b, b_printed)| {
        a.year
            .cmp(&b.year)
            .then_with(|| {
                labels
                    .of_line(a)
                    .map(|l| &l.text)
                    .cmp(labels.of_line(b).map(|l| &l.text))
            })
            .then_with(|| a_printed.cmp(b_printed))
    });
    let (mut rows, mut label_widths, mut totals, mut note) =
        (Vec::new(), Vec::new(), Vec::new(), false);
    for year in ctx.years.iter().copied() {
        let in_year: Vec<&BudgetLine> = lines
            .iter()
            .map(|(line, _)| *line)
            .filter(|l| l.year == year)
            .collect();
        if in_year.is_empty() {
            continue;
        }
        let values: Vec<Decimal> = in_year.iter().map(|l| l.amount).collect();
        let (shown_amounts, total, needed) =
            column(&values, unit, ctx.footing, net_shown(ctx, g, year, &values));
        note |= needed;
        let year_text = year.to_string();
        for (line, amount) in in_year.into_iter().zip(shown_amounts) {
            let mut row = Vec::with_capacity(shown + 2);
            row.extend(labels.of_line(line).map(|l| l.text.clone()));
            row.extend([year_text.clone(), unit.print(amount)]);
            rows.push(row);
            label_widths.push(labels.of_line(line).map(|l| l.width).max().unwrap_or(0));
        }
        totals.push(ListingTotal {
            label: sum_of(w, &name),
            year,
            amount: unit.print(total),
        });
    }
    ListingGroup {
        code,
        name,
        columns: columns.to_vec(),
        rows,
        label_widths,
        totals,
        notes: notes(ctx.footing, note),
    }
}

/// The group's net in `year` as every table prints it, for its lines to foot to: none where a
/// price basis makes the printed net another quantity than the lines' sum, or where it is
/// further from their rounded sum than one printed unit (then they foot to their own sum).
fn net_shown(ctx: &Context<'_>, g: u32, year: i32, values: &[Decimal]) -> Option<Decimal> {
    if ctx.prices.is_some() {
        return None;
    }
    let shown = *ctx.group_shown.get(&(g, year))?;
    let one_unit = Decimal::new(1, ctx.unit.decimals).saturating_mul(ctx.unit.scale.divisor());
    let own = ctx.unit.round(values.iter().copied().sum());
    ((shown - own).abs() <= one_unit).then_some(shown)
}
