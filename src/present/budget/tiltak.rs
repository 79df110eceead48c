//! The tiltak view (issue 27): per group (sector), the table of its named changes from the
//! adopted budget, one row per tiltak and a column per plan year, each year's column rounded
//! and footed by the report's rule to the printed sum; and each tiltak's printed figure per
//! year, which a live figure in prose (`{{tiltak <id> 2025}}`) prints.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use super::input::BudgetInput;
use super::part_context;
use crate::config::{BudgetSection, Config};
use crate::load::tiltak::{Tiltak, TiltakFile};
use crate::model::Part;
use crate::present::table::{PrintedRow, PrintedTable, footed, group_heading, notes};
use crate::summed_budget::SummedBudget;
use crate::words::{Fill, Phrase};

/// The tiltak of a report, per group.
#[derive(Debug, Clone, Serialize)]
pub struct TiltakView {
    /// The part whose groups the tiltak belong to: `drift` or `investering`.
    pub part: &'static str,
    /// The table of each group that has tiltak, by the group's code.
    pub sectors: BTreeMap<String, PrintedTable>,
    /// Each tiltak's printed figure per plan year, in the unit, by its id.
    #[serde(skip)]
    pub(crate) figures: BTreeMap<String, BTreeMap<i32, Decimal>>,
}

/// The view of the budget's tiltak; `None` when the report names no tiltak file.
pub(crate) fn tiltak_view(
    budget: &SummedBudget,
    section: &BudgetSection,
    config: &Config,
) -> Option<TiltakView> {
    let file = budget.tiltak.as_ref()?;
    let input = BudgetInput::new(budget, section);
    let part = input
        .parts
        .iter()
        .find(|p| p.part == Part::Drift)
        .or(input.parts.first())?;
    let (ctx, _) = part_context(&input, part, config);
    let mut view = TiltakView {
        part: match part.part {
            Part::Drift => "drift",
            Part::Investering => "investering",
        },
        sectors: BTreeMap::new(),
        figures: BTreeMap::new(),
    };
    for sector in sectors(file) {
        let of_sector: Vec<&Tiltak> = file.tiltak.iter().filter(|t| t.sector == sector).collect();
        let table = sector_table(&ctx, &sector, &of_sector, &mut view.figures);
        view.sectors.insert(sector, table);
    }
    Some(view)
}

/// The sectors that have tiltak, each once, in the order of their first tiltak.
fn sectors(file: &TiltakFile) -> Vec<String> {
    let mut sectors: Vec<String> = Vec::new();
    for t in &file.tiltak {
        if !sectors.contains(&t.sector) {
            sectors.push(t.sector.clone());
        }
    }
    sectors
}

/// One sector's table: a row per tiltak in the file's order, a column per plan year rounded
/// and footed to its printed sum; each tiltak's printed figures go into `figures`.
fn sector_table(
    ctx: &Context<'_>,
    sector: &str,
    tiltak: &[&Tiltak],
    figures: &mut BTreeMap<String, BTreeMap<i32, Decimal>>,
) -> PrintedTable {
    let w = ctx.words;
    let columns: Vec<Vec<Decimal>> = ctx
        .years
        .iter()
        .map(|&year| {
            tiltak
                .iter()
                .map(|t| ctx.priced(year, t.amounts.get(&year).copied().unwrap_or_default()))
                .collect()
        })
        .collect();
    let footed = footed(&columns, tiltak.len(), &ctx.unit, ctx.footing);
    for (&year, shown) in ctx.years.iter().zip(&footed.shown) {
        for (t, figure) in tiltak.iter().zip(shown) {
            figures
                .entry(t.id.clone())
                .or_default()
                .insert(year, *figure);
        }
    }
    let rows = tiltak
        .iter()
        .zip(footed.cells)
        .map(|(t, cells)| PrintedRow {
            label: w.fill(
                "tiltak.row",
                &[("name", &t.name), ("kind", w.get(kind_key(t.kind)))],
            ),
            cells,
            strong: false,
        })
        .collect();
    let mut notes = notes(ctx.footing, footed.note);
    notes.extend(tiltak.iter().filter_map(|t| {
        t.text.as_ref().map(|text| {
            Phrase::new("tiltak.text_note")
                .with("name", t.name.clone())
                .with("text", text.clone())
        })
    }));
    let heading = group_heading(ctx.ledger, ctx.group_role, sector, w);
    PrintedTable {
        caption: Phrase::new("tiltak.caption")
            .with("group", heading)
            .with("unit", ctx.unit_caption.clone()),
        columns: std::iter::once(Fill::from(Phrase::new("tiltak.column")))
            .chain(ctx.years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows,
        total: Some(PrintedRow {
            label: w.get("tiltak.total").to_string(),
            cells: footed.totals,
            strong: true,
        }),
        notes,
    }
}

/// The catalogue key of a tiltak kind, as printed.
fn kind_key(kind: &str) -> &'static str {
    match kind {
        "innsparing" => "tiltak.kind_innsparing",
        "nytt tiltak" => "tiltak.kind_nytt_tiltak",
        "demografi" => "tiltak.kind_demografi",
        "prisjustering" => "tiltak.kind_prisjustering",
        _ => "tiltak.kind_teknisk",
    }
}
