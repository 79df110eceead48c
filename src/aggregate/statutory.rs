//! The statutory overviews of budsjett- og regnskapsforskriften (FOR-2019-06-07-714):
//! § 5-4 Bevilgningsoversikt drift and § 5-5 Bevilgningsoversikt investering, computed from
//! budget lines coded by KOSTRA art and funksjon.
//!
//! Which art (and funksjon) goes to which row is data, not code: `data/kostra/*.csv`, which
//! cite their sources, say which lines are verified and for which KOSTRA years each line holds.
//! Mapping lines are tried in order and the first that matches wins; a line may also send
//! codes to `excluded` (left out on purpose, with its reason, e.g. funksjon 899).
//!
//! Completeness is checked, never hoped for: every line of the part lands in exactly one row
//! or in a named exclusion. A line no mapping line takes is *unmapped*; the unmapped lines are
//! returned per art with their count and sums, and the caller decides (a problem unless the
//! report accepts them). The sum rows must form one tree whose root is the last row, so that
//! the bottom row is the part's balance less what was left out; that identity is checked
//! against the ledger for every year.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::AggregateError;
use super::kostra_table::{self, Columns, Table};
use crate::error::DataError;
use crate::load::kostra::code3;
use crate::model::Part;
use crate::model::ledger::{BudgetLine, Ledger, NONE};

/// Which statutory overview: the regulation's paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Statement {
    /// § 5-4 Bevilgningsoversikt drift.
    AppropriationsDrift,
    /// § 5-5 Bevilgningsoversikt investering.
    AppropriationsInvestering,
    /// § 5-6 Økonomisk oversikt etter art – drift.
    DriftByArt,
}

impl Statement {
    /// The statements of a part, in the order the report prints them.
    pub fn of(part: Part) -> &'static [Statement] {
        match part {
            Part::Drift => &[Statement::AppropriationsDrift, Statement::DriftByArt],
            Part::Investering => &[Statement::AppropriationsInvestering],
        }
    }

    /// The part whose lines the statement shows.
    pub fn part(self) -> Part {
        match self {
            Statement::AppropriationsDrift | Statement::DriftByArt => Part::Drift,
            Statement::AppropriationsInvestering => Part::Investering,
        }
    }

    /// The rows file and the mapping file in the KOSTRA folder.
    pub fn files(self) -> (&'static str, &'static str) {
        match self {
            Statement::AppropriationsDrift => ("drift-rows.csv", "drift-mapping.csv"),
            Statement::AppropriationsInvestering => {
                ("investering-rows.csv", "investering-mapping.csv")
            }
            Statement::DriftByArt => ("drift-art-rows.csv", "drift-art-mapping.csv"),
        }
    }

    /// The row that § 5-4 annet ledd splits per bevilgningsområde, if the statement has one.
    pub(crate) fn split_row(self) -> Option<u32> {
        match self {
            Statement::AppropriationsDrift => Some(6),
            _ => None,
        }
    }

    /// The paragraph, as the regulation numbers it: "5-4".
    pub fn paragraph(self) -> &'static str {
        match self {
            Statement::AppropriationsDrift => "5-4",
            Statement::AppropriationsInvestering => "5-5",
            Statement::DriftByArt => "5-6",
        }
    }
}

/// One row of an overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSpec {
    pub number: u32,
    /// The row's name in bokmål, as the rows file's `name` column has it.
    pub name: String,
    /// The row's name in other languages: the rows file's `name_<language>` columns
    /// (`name_nn`), by language code; an empty cell is no name.
    pub names: BTreeMap<String, String>,
    /// For sum rows: the rows added.
    pub(crate) formula: Option<Vec<u32>>,
    /// A row of § 5-4 that must hold the same amount (a cross-check between overviews).
    pub equals: Option<u32>,
}

impl RowSpec {
    /// The row's name in `language`: its own column for that language where the rows file
    /// has one, otherwise the `name` column.
    pub(crate) fn name_in(&self, language: &str) -> &str {
        self.names.get(language).map_or(&self.name, String::as_str)
    }
}

/// Where a mapping line sends the lines it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Row(u32),
    /// Left out of the overview on purpose; the mapping line's note says why.
    Excluded,
}

/// One mapping line: arts (and funksjoner) that go to a row, in some KOSTRA years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingLine {
    pub target: Target,
    pub art: (u16, u16),
    pub funksjon: Option<(u16, u16)>,
    /// The KOSTRA years (inclusive) the line holds for; `None` is open.
    pub years: (Option<i32>, Option<i32>),
    /// The line in the mapping file.
    pub line: u64,
    pub note: String,
}

/// An overview's rows and mapping, as read from the data files.
#[derive(Debug, Clone)]
pub struct Overview {
    pub(crate) statement: Statement,
    pub part: Part,
    pub rows: Vec<RowSpec>,
    pub(crate) mapping: Vec<MappingLine>,
    pub(crate) mapping_file: PathBuf,
    /// The bottom row: the root of the sum tree.
    pub bottom: u32,
}

/// Lines of one art that no mapping line takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// The three-digit KOSTRA art, or the code as the export has it when it has none.
    pub art: String,
    /// Why: no three-digit art, or no mapping line for it in this part and year.
    pub reason: String,
    pub count: usize,
    pub by_year: BTreeMap<i32, Decimal>,
    /// The first such line: source and line number.
    pub first: (u16, u32),
    /// The funksjoner these lines carry (at most a few, for the message).
    pub(crate) funksjoner: BTreeSet<String>,
}

/// Lines left out by one `excluded` mapping line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The art codes the mapping line takes (from, to; 000–999 for any art).
    pub art: (u16, u16),
    /// The funksjon codes it takes, when it names them.
    pub funksjon: Option<(u16, u16)>,
    /// The mapping line's note: why they are left out.
    pub reason: String,
    pub count: usize,
    pub by_year: BTreeMap<i32, Decimal>,
}

/// The computed overview for some years.
#[derive(Debug, Clone, Default)]
pub struct OverviewTotals {
    /// Row number → year → amount.
    pub rows: BTreeMap<u32, BTreeMap<i32, Decimal>>,
    /// § 5-4 annet ledd: the lines of the split row per group value → year → amount.
    pub by_group: BTreeMap<u32, BTreeMap<i32, Decimal>>,
    /// Per art, the lines no mapping line takes, in order of first appearance.
    pub unmapped: Vec<Unmapped>,
    /// Per `excluded` mapping line, the lines it left out.
    pub excluded: Vec<Excluded>,
    /// Per year: the sum of every line of the part (its balance in the ledger).
    pub balance: BTreeMap<i32, Decimal>,
    /// The KOSTRA year whose chart placed the lines.
    pub chart_year: i32,
}

impl OverviewTotals {
    /// The exact amount of a row in a year (0 when no line reached it).
    pub fn row(&self, number: u32, year: i32) -> Decimal {
        self.rows
            .get(&number)
            .and_then(|m| m.get(&year))
            .copied()
            .unwrap_or_default()
    }

    /// The sum of the unmapped lines in a year.
    pub(crate) fn unmapped_sum(&self, year: i32) -> Decimal {
        self.unmapped
            .iter()
            .filter_map(|u| u.by_year.get(&year))
            .fold(Decimal::ZERO, |a, v| a.saturating_add(*v))
    }

    /// The sum of the excluded lines in a year.
    pub(crate) fn excluded_sum(&self, year: i32) -> Decimal {
        self.excluded
            .iter()
            .filter_map(|u| u.by_year.get(&year))
            .fold(Decimal::ZERO, |a, v| a.saturating_add(*v))
    }
}

/// Which roles of the ledger hold what the overview needs.
#[derive(Debug, Clone, Copy)]
pub struct Roles {
    pub art: usize,
    pub funksjon: usize,
    /// The bevilgningsområde of § 5-4 annet ledd (the report's `group_by`).
    pub group: usize,
}

/// The columns of a rows file (`*-rows.csv`).
const ROWS_COLUMNS: Columns = Columns {
    known: &["row", "name", "kind", "formula", "equals"],
    optional: &["equals"],
    names: true,
};

/// The columns of a mapping file (`*-mapping.csv`); `verified` is the research's own mark.
const MAPPING_COLUMNS: Columns = Columns {
    known: &[
        "row",
        "art_from",
        "art_to",
        "funksjon_from",
        "funksjon_to",
        "first_year",
        "last_year",
        "verified",
        "note",
    ],
    optional: &["verified"],
    names: false,
};

/// One data file of the mapping, read: its records with their lines, looked up by header
/// name.
fn read_table(folder: &Path, name: &str, columns: &Columns) -> Result<Table, DataError> {
    let what = crate::msg!("statutory.table_name");
    kostra_table::read(folder, name, (&what, "statutory.unreadable"), columns)
}

/// Reads the rows and mapping of a part's appropriation overview (§ 5-4 or § 5-5).
pub fn load(folder: &Path, part: Part) -> Result<Overview, DataError> {
    load_statement(
        folder,
        match part {
            Part::Drift => Statement::AppropriationsDrift,
            Part::Investering => Statement::AppropriationsInvestering,
        },
    )
}

/// Reads the rows and mapping of one overview from `folder`.
pub fn load_statement(folder: &Path, statement: Statement) -> Result<Overview, DataError> {
    let part = statement.part();
    let (rows_file, mapping_file) = statement.files();
    let table = read_table(folder, rows_file, &ROWS_COLUMNS)?;
    let rows = read_rows(&table)?;
    let bottom = sum_tree_root(&rows).map_err(|what| DataError::new(&table.path, what))?;
    let table = read_table(folder, mapping_file, &MAPPING_COLUMNS)?;
    let mapping = read_mapping(&table, &rows)?;
    Ok(Overview {
        statement,
        part,
        rows,
        mapping,
        mapping_file: table.path,
        bottom,
    })
}

/// The overview's rows (`rows-*.csv`): each a number, a name, mapped or a sum of other rows,
/// and the row of § 5-4 it equals, if any.
fn read_rows(table: &Table) -> Result<Vec<RowSpec>, DataError> {
    let [c_row, c_name, c_kind, c_formula] =
        ["row", "name", "kind", "formula"].map(|name| table.column(name));
    let c_equals = table.optional("equals");
    let c_names: Vec<(usize, &str)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(c, h)| Some((c, h.strip_prefix("name_")?)))
        .collect();
    let mut rows = Vec::new();
    for (line, r) in &table.records {
        let bad =
            |key: &str| DataError::new(&table.path, crate::messages::text(key, &[])).at_line(*line);
        let number = r
            .get(c_row)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad("statutory.row_not_a_number"))?;
        let formula = match r.get(c_kind) {
            Some("sum") => Some(
                r.get(c_formula)
                    .unwrap_or_default()
                    .split('+')
                    .map(|n| n.trim().parse::<u32>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| bad("statutory.bad_formula"))?,
            ),
            Some("mapped") => None,
            _ => return Err(bad("statutory.bad_kind")),
        };
        let equals = match c_equals.and_then(|c| r.get(c)).filter(|e| !e.is_empty()) {
            None => None,
            Some(e) => Some(e.parse::<u32>().map_err(|_| bad("statutory.bad_equals"))?),
        };
        rows.push(RowSpec {
            number,
            name: r.get(c_name).unwrap_or_default().to_string(),
            names: c_names
                .iter()
                .filter_map(|&(c, language)| {
                    let name = r.get(c).filter(|n| !n.is_empty())?;
                    Some((language.to_string(), name.to_string()))
                })
                .collect(),
            formula,
            equals,
        });
    }
    Ok(rows)
}

/// The overview's mapping (`*-mapping.csv`): each line places a range of art codes (and
/// funksjon codes, and years) in a mapped row, or excludes them.
fn read_mapping(table: &Table, rows: &[RowSpec]) -> Result<Vec<MappingLine>, DataError> {
    let columns = [
        "row",
        "art_from",
        "art_to",
        "funksjon_from",
        "funksjon_to",
        "first_year",
        "last_year",
        "note",
    ]
    .map(|name| table.column(name));
    table
        .records
        .iter()
        .map(|(line, r)| {
            mapping_line(r, columns, rows, *line).map_err(|key| {
                DataError::new(&table.path, crate::messages::text(key, &[])).at_line(*line)
            })
        })
        .collect()
}

/// One line of a mapping, its cells in `columns` (row, art from and to, funksjon from and
/// to, first and last year, note); or the key of the message that says what is wrong.
fn mapping_line(
    r: &csv::StringRecord,
    [c_row, c_art0, c_art1, c_f0, c_f1, c_y0, c_y1, c_note]: [usize; 8],
    rows: &[RowSpec],
    line: u64,
) -> Result<MappingLine, &'static str> {
    let cell = |i: usize| r.get(i).filter(|s| !s.is_empty());
    let code = |i: usize| cell(i).map(|s| s.parse::<u16>().ok().filter(|c| *c <= 999));
    let year = |i: usize| cell(i).map(|s| s.parse::<i32>().ok());
    let target = match cell(c_row) {
        Some("excluded") => Target::Excluded,
        Some(n) => match n.parse::<u32>() {
            Ok(n)
                if rows
                    .iter()
                    .any(|s: &RowSpec| s.number == n && s.formula.is_none()) =>
            {
                Target::Row(n)
            }
            _ => return Err("statutory.bad_row"),
        },
        None => return Err("statutory.bad_row"),
    };
    let art = match (code(c_art0), code(c_art1)) {
        (Some(Some(a)), Some(Some(b))) if a <= b => (a, b),
        _ => return Err("statutory.bad_arts"),
    };
    let funksjon = match (code(c_f0), code(c_f1)) {
        (None, None) => None,
        (Some(Some(a)), Some(Some(b))) if a <= b => Some((a, b)),
        _ => {
            return Err("statutory.bad_funksjoner");
        }
    };
    let years = match (year(c_y0), year(c_y1)) {
        (Some(None), _) | (_, Some(None)) => {
            return Err("statutory.bad_year");
        }
        (a, b) => (a.flatten(), b.flatten()),
    };
    if let (Some(a), Some(b)) = years
        && a > b
    {
        return Err("statutory.years_reversed");
    }
    Ok(MappingLine {
        target,
        art,
        funksjon,
        years,
        line,
        note: r.get(c_note).unwrap_or_default().to_string(),
    })
}

/// The root of the rows' sum tree: every row but the root is added by exactly one sum row,
/// and the root is the last row. Otherwise the bottom row would not be the part's balance.
fn sum_tree_root(rows: &[RowSpec]) -> Result<u32, String> {
    let mut added_by: BTreeMap<u32, u32> = BTreeMap::new();
    for spec in rows {
        for &r in spec.formula.iter().flatten() {
            if !rows.iter().any(|s| s.number == r) {
                return Err(crate::msg!(
                    "statutory.adds_missing_row",
                    row = spec.number,
                    r
                ));
            }
            if let Some(other) = added_by.insert(r, spec.number) {
                return Err(crate::msg!(
                    "statutory.added_twice",
                    r,
                    other,
                    row = spec.number
                ));
            }
        }
    }
    let Some(last) = rows.last() else {
        return Err(crate::msg!("statutory.no_rows"));
    };
    for spec in rows {
        if spec.number != last.number && !added_by.contains_key(&spec.number) {
            return Err(crate::msg!(
                "statutory.not_summed",
                row = spec.number,
                bottom = last.number
            ));
        }
    }
    Ok(last.number)
}

/// Adds `amount` to `map`'s figure for `year`; the error when the sum overflows.
fn add_to(
    map: &mut BTreeMap<i32, Decimal>,
    year: i32,
    amount: Decimal,
    overflow: &dyn Fn() -> AggregateError,
) -> Result<(), AggregateError> {
    let cell = map.entry(year).or_default();
    *cell = cell.checked_add(amount).ok_or_else(overflow)?;
    Ok(())
}

/// The code a line has in a role, if any.
fn code_of<'a>(ledger: &'a Ledger, line: &BudgetLine, role: usize) -> Option<&'a str> {
    let id = line.dims[role];
    (id != NONE).then(|| ledger.dimensions[role].values[id as usize].code.as_str())
}

/// A line's three-digit KOSTRA art and funksjon, where its source says they stand.
pub(crate) fn kostra_codes(
    ledger: &Ledger,
    line: &BudgetLine,
    roles: Roles,
) -> (Option<u16>, Option<u16>) {
    let starts = ledger
        .sources
        .get(usize::from(line.source))
        .map(|s| s.kostra_start);
    let code = |role: usize| {
        let at = starts.and_then(|s| s[role])?;
        code3(code_of(ledger, line, role)?, at)
    };
    (code(roles.art), code(roles.funksjon))
}

impl MappingLine {
    /// The codes this line takes, for messages: "funksjon 899", "art 500–599",
    /// "art 800, funksjon 840" (the report words theirs through the catalogue).
    pub fn codes(&self) -> String {
        codes(self.art, self.funksjon)
    }
}

/// Codes for messages: "funksjon 899", "art 500–599", "art 800, funksjon 840".
pub fn codes(art: (u16, u16), funksjon: Option<(u16, u16)>) -> String {
    match funksjon {
        Some(f) if art == (0, 999) => format!("funksjon {}", code_range(f)),
        Some(f) => format!("art {}, funksjon {}", code_range(art), code_range(f)),
        None => format!("art {}", code_range(art)),
    }
}

/// A range of three-digit codes as people write it: "899", "500–599".
pub(crate) fn code_range((from, to): (u16, u16)) -> String {
    if from == to {
        format!("{from:03}")
    } else {
        format!("{from:03}–{to:03}")
    }
}

impl Overview {
    /// The mapping line that takes a line with these KOSTRA codes in `year`'s chart, if any.
    pub fn line_for(&self, art: u16, funksjon: Option<u16>, year: i32) -> Option<&MappingLine> {
        self.mapping.iter().find(|m| {
            (m.art.0..=m.art.1).contains(&art)
                && m.funksjon
                    .is_none_or(|(a, b)| funksjon.is_some_and(|f| (a..=b).contains(&f)))
                && m.years.0.is_none_or(|y| y <= year)
                && m.years.1.is_none_or(|y| year <= y)
        })
    }

    /// The rows a sum row adds, if it is one.
    pub(crate) fn children(&self, row: u32) -> Option<&[u32]> {
        self.rows
            .iter()
            .find(|s| s.number == row)
            .and_then(|s| s.formula.as_deref())
    }

    /// Computes the overview for the lines of `sources` (those of this part) in `version`,
    /// mapping codes through the KOSTRA chart of `chart_year`. `kostra_start` gives, per
    /// source, where the three-digit art and funksjon stand in their codes.
    pub fn compute(
        &self,
        ledger: &Ledger,
        sources: &[u16],
        version: u16,
        years: &[i32],
        chart_year: i32,
        roles: Roles,
    ) -> Result<OverviewTotals, AggregateError> {
        let overflow = || AggregateError {
            what: crate::msg!(
                "aggregate.in_overview",
                paragraph = self.statement.paragraph()
            ),
        };
        let add = |map: &mut BTreeMap<i32, Decimal>, year: i32, amount: Decimal| {
            add_to(map, year, amount, &overflow)
        };
        let mut totals = OverviewTotals {
            chart_year,
            ..OverviewTotals::default()
        };
        let mut unmapped_index: BTreeMap<String, usize> = BTreeMap::new();
        let mut excluded_index: BTreeMap<u64, usize> = BTreeMap::new();
        for line in ledger.lines.iter().filter(|l| {
            sources.contains(&l.source) && l.version == version && years.contains(&l.year)
        }) {
            add(&mut totals.balance, line.year, line.amount)?;
            let (art, funksjon) = kostra_codes(ledger, line, roles);
            let found = art.and_then(|art| self.line_for(art, funksjon, chart_year));
            match found.map(|m| (&m.target, m)) {
                Some((Target::Row(row), _)) => {
                    add(totals.rows.entry(*row).or_default(), line.year, line.amount)?;
                    if self.statement.split_row() == Some(*row) {
                        let group = totals.by_group.entry(line.dims[roles.group]).or_default();
                        add(group, line.year, line.amount)?;
                    }
                }
                Some((Target::Excluded, m)) => {
                    let i = *excluded_index.entry(m.line).or_insert_with(|| {
                        totals.excluded.push(Excluded {
                            art: m.art,
                            funksjon: m.funksjon,
                            reason: m.note.clone(),
                            count: 0,
                            by_year: BTreeMap::new(),
                        });
                        totals.excluded.len() - 1
                    });
                    let e = &mut totals.excluded[i];
                    e.count += 1;
                    add(&mut e.by_year, line.year, line.amount)?;
                }
                None => {
                    let (key, reason) = self.unmapped_reason(ledger, line, art, roles, chart_year);
                    let i = *unmapped_index.entry(key.clone()).or_insert_with(|| {
                        totals.unmapped.push(Unmapped {
                            art: key,
                            reason,
                            count: 0,
                            by_year: BTreeMap::new(),
                            first: (line.source, line.line),
                            funksjoner: BTreeSet::new(),
                        });
                        totals.unmapped.len() - 1
                    });
                    let u = &mut totals.unmapped[i];
                    u.count += 1;
                    add(&mut u.by_year, line.year, line.amount)?;
                    if u.funksjoner.len() < 5
                        && let Some(f) = code_of(ledger, line, roles.funksjon)
                    {
                        u.funksjoner.insert(f.to_string());
                    }
                }
            }
        }
        self.sum_rows(&mut totals, years, &overflow)?;
        Ok(totals)
    }

    /// Why a line is not placed, and the key its kind is listed under: its art (no mapping
    /// line maps it) or its raw code (no three-digit KOSTRA art where the profile says).
    fn unmapped_reason(
        &self,
        ledger: &Ledger,
        line: &BudgetLine,
        art: Option<u16>,
        roles: Roles,
        chart_year: i32,
    ) -> (String, String) {
        match art {
            Some(art) => (
                format!("{art:03}"),
                crate::msg!(
                    "statutory.art_not_mapped",
                    file = self.mapping_file.display(),
                    art = format!("{art:03}"),
                    chart_year
                ),
            ),
            None => {
                let raw = code_of(ledger, line, roles.art).unwrap_or("").to_string();
                (
                    raw.clone(),
                    crate::msg!("statutory.no_kostra_art", raw = format!("{raw:?}")),
                )
            }
        }
    }

    /// Sum rows in an order where every row's parts come first: the tree, leaves up.
    fn sum_rows(
        &self,
        totals: &mut OverviewTotals,
        years: &[i32],
        overflow: &dyn Fn() -> AggregateError,
    ) -> Result<(), AggregateError> {
        let mut pending: Vec<&RowSpec> = self.rows.iter().filter(|s| s.formula.is_some()).collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut i = 0;
            while i < pending.len() {
                let spec = pending[i];
                let formula = spec.formula.as_deref().unwrap_or_default();
                if formula
                    .iter()
                    .any(|r| pending.iter().any(|p| p.number == *r))
                {
                    i += 1;
                    continue;
                }
                for &year in years {
                    let mut sum = Decimal::ZERO;
                    for &r in formula {
                        sum = sum.checked_add(totals.row(r, year)).ok_or_else(overflow)?;
                    }
                    totals
                        .rows
                        .entry(spec.number)
                        .or_default()
                        .insert(year, sum);
                }
                pending.remove(i);
            }
            if pending.len() == before {
                // A circle of sum rows: the tree check at load refuses it, so this cannot
                // happen with a loaded overview; stop rather than loop.
                break;
            }
        }
        Ok(())
    }

    /// Per year where the bottom row is not the part's balance less the lines left out and
    /// the lines not placed: the bottom row and what the ledger says it should be. Empty
    /// when the overview accounts for every krone.
    pub fn bottom_differences(&self, totals: &OverviewTotals) -> Vec<(i32, Decimal, Decimal)> {
        totals
            .balance
            .iter()
            .filter_map(|(&year, &balance)| {
                let expected = balance
                    .checked_sub(totals.excluded_sum(year))?
                    .checked_sub(totals.unmapped_sum(year))?;
                let bottom = totals.row(self.bottom, year);
                (bottom != expected).then_some((year, bottom, expected))
            })
            .collect()
    }
}
