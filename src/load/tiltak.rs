//! The tiltak file (issue 27): the named changes from the adopted budget, one line per tiltak
//! and plan year (`id;sector;change_group;name;kind;year;amount;text`), in the unit of the
//! report's tables (`[budget] unit`). This module reads the file and refuses what the file
//! alone shows to be wrong: an unknown kind, a year outside the plan, a tiltak missing a plan
//! year or given one twice, lines of one tiltak that disagree, a name used twice in a sector.
//! Whether the tiltak name sectors and change groups of the budget, and sum to the change
//! bridge, is checked against the budget ([`crate::validate::tiltak`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::DataError;
use crate::format;
use crate::model::{Id, Money, Text, Year};

/// The kinds of tiltak, as the file writes them (case and spaces do not matter): a saving, a
/// new measure, demography (more or fewer users), price and wage adjustment, and a technical
/// change (a move between sectors, a correction).
pub(crate) const KINDS: &[&str] = &[
    "innsparing",
    "nytt tiltak",
    "demografi",
    "prisjustering",
    "teknisk",
];

#[derive(Debug, Clone, Deserialize)]
struct TiltakRow {
    id: Id,
    sector: Text,
    change_group: Text,
    name: Text,
    kind: String,
    year: Year,
    amount: Money,
    text: Option<String>,
}

/// One named change, with its amount in each plan year (exact kroner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiltak {
    /// The first line of the tiltak in the file.
    pub line: u64,
    /// What prose cites it by: `{{tiltak <id> 2025}}`.
    pub id: String,
    /// The code of its group (tjenesteområde) in the budget.
    pub sector: String,
    /// The code of its change group in the budget's change bridge.
    pub change_group: String,
    pub name: String,
    /// One of [`KINDS`].
    pub kind: &'static str,
    /// Printed under the sector's table of tiltak, when given.
    pub text: Option<String>,
    /// Per plan year, in kroner (the file's amount times the unit).
    pub amounts: BTreeMap<i32, Decimal>,
}

/// The tiltak file, read and checked on its own.
#[derive(Debug, Clone, Default)]
pub struct TiltakFile {
    pub file: PathBuf,
    /// The lines read (for the colophon).
    pub rows: usize,
    /// In the file's order.
    pub tiltak: Vec<Tiltak>,
}

/// The kind as [`KINDS`] spells it, whatever the case and spacing; `None` for another word.
fn kind_of(text: &str) -> Option<&'static str> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = words.to_lowercase();
    KINDS.iter().copied().find(|k| *k == words)
}

/// Reads and checks the tiltak file for the plan `years`, its amounts in units of `unit`
/// kroner. Every problem is returned, located at its line (and column, where the cell is
/// the problem).
pub(crate) fn load(
    path: &Path,
    years: &[i32],
    unit: Decimal,
) -> Result<TiltakFile, Vec<DataError>> {
    let mut problems = Vec::new();
    let table: crate::model::Table<TiltakRow> = crate::load::read_table(path, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    if table.rows.is_empty() {
        // Printed, a file without lines would say that nothing changes.
        return Err(vec![
            DataError::new(path, crate::msg!("tiltak.only_header")).at_line(1),
        ]);
    }
    let mut file = TiltakFile {
        file: path.to_path_buf(),
        rows: table.rows.len(),
        tiltak: Vec::new(),
    };
    let mut seen: BTreeMap<(String, i32), u64> = BTreeMap::new();
    for row in &table.rows {
        let at = |message: String| DataError::new(path, message).at_line(row.line);
        match line(
            &row.record,
            row.line,
            years,
            unit,
            &mut seen,
            &mut file.tiltak,
        ) {
            Ok(()) => {}
            Err(message) => problems.push(at(message)),
        }
    }
    problems.extend(missing_years(path, &file, years));
    problems.extend(names_twice(path, &file));
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// One line: a year of a new tiltak, or of one read before (which it must agree with).
fn line(
    r: &TiltakRow,
    at: u64,
    years: &[i32],
    unit: Decimal,
    seen: &mut BTreeMap<(String, i32), u64>,
    tiltak: &mut Vec<Tiltak>,
) -> Result<(), String> {
    let (id, year) = (r.id.0.clone(), r.year.0);
    let Some(kind) = kind_of(&r.kind) else {
        let found = format!("{:?}", r.kind.trim());
        return Err(crate::msg!(
            "tiltak.unknown_kind",
            found,
            kinds = KINDS.join(", ")
        ));
    };
    if !years.contains(&year) {
        let plan = format::years(
            &crate::words::Words::default(),
            years.first().copied(),
            years.last().copied(),
        );
        return Err(crate::msg!("tiltak.year_outside_plan", year, plan));
    }
    if let Some(first) = seen.insert((id.clone(), year), at) {
        return Err(crate::msg!("tiltak.second_line", id, year, first));
    }
    let amount = r
        .amount
        .0
        .checked_mul(unit)
        .ok_or_else(|| crate::msg!("tiltak.too_large", amount = format::plain(r.amount.0)))?;
    let text = r.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let Some(known) = tiltak.iter_mut().find(|t| t.id == id) else {
        tiltak.push(Tiltak {
            line: at,
            id,
            sector: r.sector.0.clone(),
            change_group: r.change_group.0.clone(),
            name: r.name.0.clone(),
            kind,
            text: text.map(str::to_string),
            amounts: BTreeMap::from([(year, amount)]),
        });
        return Ok(());
    };
    agrees(known, r, kind)?;
    match (&known.text, text) {
        (Some(first), Some(here)) if first != here => {
            let line = known.line;
            return Err(crate::msg!("tiltak.second_text", id, line));
        }
        (None, Some(here)) => known.text = Some(here.to_string()),
        _ => {}
    }
    known.amounts.insert(year, amount);
    Ok(())
}

/// A later line of a tiltak names the sector, change group, name and kind of its first.
fn agrees(known: &Tiltak, r: &TiltakRow, kind: &str) -> Result<(), String> {
    let columns = [
        ("sector", known.sector.as_str(), r.sector.0.as_str()),
        ("change_group", &known.change_group, &r.change_group.0),
        ("name", &known.name, &r.name.0),
        ("kind", known.kind, kind),
    ];
    for (column, first, here) in columns {
        if first != here {
            let (first, here) = (format!("{first:?}"), format!("{here:?}"));
            let (id, line) = (known.id.clone(), known.line);
            return Err(crate::msg!(
                "tiltak.disagrees",
                id,
                column,
                here,
                first,
                line
            ));
        }
    }
    Ok(())
}

/// Every tiltak has a line for every plan year: a year left out would print as no change.
fn missing_years(path: &Path, file: &TiltakFile, years: &[i32]) -> Vec<DataError> {
    file.tiltak
        .iter()
        .filter_map(|t| {
            let missing: Vec<String> = years
                .iter()
                .filter(|y| !t.amounts.contains_key(y))
                .map(i32::to_string)
                .collect();
            (!missing.is_empty()).then(|| {
                let (id, missing) = (t.id.clone(), missing.join(", "));
                DataError::new(path, crate::msg!("tiltak.year_missing", id, missing))
                    .at_line(t.line)
            })
        })
        .collect()
}

/// Two tiltak of one sector with one name would print as two rows no reader can tell apart.
fn names_twice(path: &Path, file: &TiltakFile) -> Vec<DataError> {
    let mut problems = Vec::new();
    for (i, t) in file.tiltak.iter().enumerate() {
        if let Some(first) = file.tiltak[..i]
            .iter()
            .find(|o| o.sector == t.sector && o.name.to_lowercase() == t.name.to_lowercase())
        {
            let (name, sector, line) = (format!("{:?}", t.name), t.sector.clone(), first.line);
            problems.push(
                DataError::new(path, crate::msg!("tiltak.name_twice", name, sector, line))
                    .at_line(t.line),
            );
        }
    }
    problems
}
