//! The listing: every line of the chosen version in the plan years, per group.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::Context;
use crate::fonts;
use crate::model::Role;
use crate::model::budget::NONE;
use crate::present::table::{dimension_label, name_of};

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

/// Every line of the chosen version in the plan years, per group in group order, each line's
/// other dimensions (those any source has), year and amount in the report's unit.
pub(super) fn listing(ctx: &Context<'_>, sources: &[u16], version: u16) -> Vec<ListingGroup> {
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
