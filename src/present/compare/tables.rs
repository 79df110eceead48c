//! The tables of a comparison: per group with its sum, per detail inside each group, and the
//! details that changed most, each list a table whose caption says its direction.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{Compare, Keyed, keyed};
use crate::present::table::{GroupTable, PrintedRow, PrintedTable, column, notes, words};
use crate::words::Phrase;

/// A detail's row as its table prints it, for the lists of the largest changes.
pub(super) struct PrintedDetail {
    label: String,
    cells: Vec<String>,
    /// The difference column as printed, and exactly.
    printed: Decimal,
    exact: Decimal,
}

impl Compare<'_> {
    /// The table per group with its sum row; each side's column is given as `column` prints
    /// it (figures, total, whether footing changed one). Its last note says what the
    /// percentage is of.
    pub(super) fn by_group(
        &self,
        groups: &[Keyed],
        (first_shown, first_total, n1): &(Vec<Decimal>, Decimal, bool),
        (second_shown, second_total, n2): &(Vec<Decimal>, Decimal, bool),
    ) -> PrintedTable {
        let setting = self.setting;
        let w = setting.words;
        let exact: Vec<[Decimal; 2]> = groups
            .iter()
            .map(|g| [0, 1].map(|side| self.group_flow(side, g).net))
            .collect();
        let rows = groups
            .iter()
            .enumerate()
            .map(|(i, g)| PrintedRow {
                label: self.label(setting.group_role, g),
                cells: self.row_cells(
                    first_shown[i],
                    second_shown[i],
                    exact[i][0],
                    exact[i][1],
                    false,
                ),
                strong: false,
            })
            .collect();
        let exact_total = |side: usize| exact.iter().map(|e| e[side]).sum::<Decimal>();
        let total_cells = self.row_cells(
            *first_total,
            *second_total,
            exact_total(0),
            exact_total(1),
            true,
        );
        let mut table_notes = notes(setting.footing, *n1 || *n2);
        let all: Vec<&Keyed> = groups.iter().collect();
        table_notes.extend(self.renamed_note(setting.group_role, &all));
        table_notes.push(Phrase::new(if self.deviation {
            words::DEVIATION
        } else {
            words::PERCENT_BASE
        }));
        PrintedTable {
            caption: Phrase::new("compare.caption")
                .with("what", Phrase::new(self.what))
                .with("group", setting.group_label.to_lowercase())
                .with("first", self.sides[0].label)
                .with("second", self.sides[1].label)
                .with("unit", setting.unit_caption.clone()),
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

    /// A group's details, one row per code, in code order; none whose every line is zero on
    /// both sides (with `hide_zero_rows`).
    fn detail_rows(&self, g: &Keyed, detail_role: usize) -> Vec<Keyed> {
        let setting = self.setting;
        let ids = [0, 1].map(|side| {
            let by_detail = &self.sides[side].totals.by_detail;
            g.ids[side]
                .iter()
                .flat_map(|&gid| by_detail.range((gid, 0)..=(gid, u32::MAX)))
                .map(|(&(_, d), _)| d)
                .collect::<BTreeSet<u32>>()
        });
        let has_lines = |side: usize, d: u32| {
            let s = self.sides[side];
            g.ids[side].iter().any(|&gid| {
                s.totals
                    .by_detail
                    .get(&(gid, d))
                    .is_some_and(|m| m.contains_key(&s.year))
            })
        };
        let mut rows: Vec<Keyed> = keyed(setting, detail_role, ids, self.newer, has_lines)
            .into_iter()
            .filter(|d| !self.hidden([self.detail_flow(0, g, d), self.detail_flow(1, g, d)]))
            .collect();
        rows.sort_by_cached_key(|d| {
            setting
                .ledger
                .order_key(detail_role, d.shown, setting.words)
        });
        rows
    }

    /// A group's table of details, footed to the group's printed figure on each side
    /// (`shown`); the details' printed rows are added to `printed`.
    pub(super) fn detail_table(
        &self,
        g: &Keyed,
        (detail_role, detail_label): (usize, &str),
        shown: (Decimal, Decimal),
        printed: &mut Vec<PrintedDetail>,
    ) -> GroupTable {
        let setting = self.setting;
        let w = setting.words;
        let rows = self.detail_rows(g, detail_role);
        let exact: Vec<[Decimal; 2]> = rows
            .iter()
            .map(|d| [0, 1].map(|side| self.detail_flow(side, g, d).net))
            .collect();
        let footed = |side: usize, target: Decimal| {
            let values: Vec<Decimal> = exact.iter().map(|e| e[side]).collect();
            column(&values, &setting.unit, setting.footing, Some(target))
        };
        let (f, _, n1) = footed(0, shown.0);
        let (s, _, n2) = footed(1, shown.1);
        let group_label = self.label(setting.group_role, g);
        let printed_rows = rows
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let label = self.label(detail_role, d);
                let cells = self.row_cells(f[i], s[i], exact[i][0], exact[i][1], false);
                printed.push(PrintedDetail {
                    label: format!("{group_label} / {label}"),
                    cells: cells.clone(),
                    printed: self.difference(f[i], s[i]),
                    exact: self.difference(exact[i][0], exact[i][1]),
                });
                PrintedRow {
                    label,
                    cells,
                    strong: false,
                }
            })
            .collect();
        let (code, name) = setting.ledger.name_of(setting.group_role, g.shown, w);
        let group_exact = [0, 1].map(|side| self.group_flow(side, g).net);
        let total = self.row_cells(shown.0, shown.1, group_exact[0], group_exact[1], false);
        let mut group_notes = notes(setting.footing, n1 || n2);
        let all: Vec<&Keyed> = rows.iter().collect();
        group_notes.extend(self.renamed_note(detail_role, &all));
        GroupTable {
            code: code.clone(),
            name: name.clone(),
            table: PrintedTable {
                caption: Phrase::new("compare.detail_caption")
                    .with("what", Phrase::new(self.what))
                    .with("detail", detail_label.to_lowercase())
                    .with("group", &name)
                    .with("first", self.sides[0].label)
                    .with("second", self.sides[1].label)
                    .with("unit", setting.unit_caption.clone()),
                columns: self.head(detail_label),
                rows: printed_rows,
                total: Some(PrintedRow {
                    label: crate::present::table::sum_of(w, &name),
                    cells: total,
                    strong: true,
                }),
                notes: group_notes,
            },
        }
    }

    /// The details that changed most, as their tables print them: up to five whose printed
    /// difference is largest above zero, and up to five largest below, each list a table
    /// whose caption says its direction. Ordered by the printed difference (the column the
    /// reader sees), then by the exact one; a detail whose printed difference is 0 is in
    /// neither.
    pub(super) fn largest(
        &self,
        (_, detail_label): (usize, &str),
        mut printed: Vec<PrintedDetail>,
    ) -> Vec<PrintedTable> {
        let setting = self.setting;
        printed.retain(|p| !p.printed.is_zero());
        printed.sort_by(|a, b| b.printed.cmp(&a.printed).then(b.exact.cmp(&a.exact)));
        let ups: Vec<&PrintedDetail> = printed
            .iter()
            .filter(|p| p.printed > Decimal::ZERO)
            .take(5)
            .collect();
        let downs: Vec<&PrintedDetail> = printed
            .iter()
            .rev()
            .filter(|p| p.printed < Decimal::ZERO)
            .take(5)
            .collect();
        let [up_key, down_key] = if self.deviation {
            ["compare.largest_positive", "compare.largest_negative"]
        } else {
            ["compare.largest_up", "compare.largest_down"]
        };
        [(up_key, ups), (down_key, downs)]
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(key, list)| PrintedTable {
                caption: Phrase::new(key)
                    .with("detail", detail_label.to_lowercase())
                    .with("first", self.sides[0].label)
                    .with("second", self.sides[1].label)
                    .with("unit", setting.unit_caption.clone()),
                columns: self.head(&format!("{} / {}", setting.group_label, detail_label)),
                rows: list
                    .into_iter()
                    .map(|p| PrintedRow {
                        label: p.label.clone(),
                        cells: p.cells.clone(),
                        strong: false,
                    })
                    .collect(),
                total: None,
                notes: vec![Phrase::new(words::LARGEST)],
            })
            .collect()
    }
}
