//! The statutory overviews of budsjett- og regnskapsforskriften (FOR-2019-06-07-714):
//! § 5-4 Bevilgningsoversikt drift and § 5-5 Bevilgningsoversikt investering, computed from
//! budget lines coded by KOSTRA art and funksjon.
//!
//! Which art (and funksjon) goes to which row is data, not code: `data/kostra/*.csv`, which
//! cite their sources and say which lines are verified. The first three digits of a line's art
//! code and of its service code (funksjon/tjeneste) are the KOSTRA codes. In drift, a line no
//! row takes goes to row 6 (the net of the bevilgningsområder), except funksjon 899 (year-end
//! result postings), which is left out and listed. In investering, a line no row takes is
//! listed as unmapped, never dropped silently. Sum rows follow the regulation's arithmetic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::AggregateError;
use crate::error::DataError;
use crate::load::export::{Ledger, NONE};

/// Which overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Drift,
    Investering,
}

impl Part {
    pub(crate) fn files(self) -> (&'static str, &'static str) {
        match self {
            Part::Drift => ("drift-rows.csv", "drift-mapping.csv"),
            Part::Investering => ("investering-rows.csv", "investering-mapping.csv"),
        }
    }
}

/// One row of an overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSpec {
    pub number: u32,
    pub name: String,
    /// For sum rows: the rows added.
    pub formula: Option<Vec<u32>>,
}

/// One mapping line: arts (and funksjoner) that go to a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingLine {
    pub row: u32,
    pub art: (u16, u16),
    pub funksjon: Option<(u16, u16)>,
}

/// An overview's rows and mapping, as read from the data files.
#[derive(Debug, Clone)]
pub struct Overview {
    pub part: Part,
    pub rows: Vec<RowSpec>,
    pub mapping: Vec<MappingLine>,
}

/// The computed overview for some years.
#[derive(Debug, Clone, Default)]
pub struct OverviewTotals {
    /// Row number → year → amount.
    pub rows: BTreeMap<u32, BTreeMap<i32, Decimal>>,
    /// § 5-4 part 2: the lines of row 6 per group value → year → amount.
    pub by_group: BTreeMap<u32, BTreeMap<i32, Decimal>>,
    /// Lines no row takes (investering), and lines left out (funksjon 899), as
    /// (source, line, reason).
    pub unmapped: Vec<(u16, u32, String)>,
    pub excluded: usize,
}

/// The three-digit KOSTRA code standing at `start` in a code.
fn code3(text: &str, start: usize) -> Option<u16> {
    let digits: String = text.chars().skip(start).take(3).collect();
    if digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Reads the rows and mapping of one overview from `folder`.
pub fn load(folder: &Path, part: Part) -> Result<Overview, DataError> {
    let (rows_file, mapping_file) = part.files();
    let read = |name: &str| -> Result<(PathBuf, Vec<(u64, csv::StringRecord)>), DataError> {
        let path = folder.join(name);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_path(&path)
            .map_err(|e| DataError::new(&path, format!("cannot read the statutory table: {e}")))?;
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let error =
                    DataError::new(&path, format!("the statutory table cannot be read: {e}"));
                match e.position() {
                    Some(p) => error.at_line(p.line()),
                    None => error,
                }
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            records.push((line, record));
        }
        Ok((path, records))
    };
    let (path, records) = read(rows_file)?;
    let mut rows = Vec::new();
    for (line, r) in records {
        let bad = |what: &str| DataError::new(&path, what.to_string()).at_line(line);
        let number = r
            .get(0)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad("row: expected a number"))?;
        let formula = match r.get(2) {
            Some("sum") => Some(
                r.get(3)
                    .unwrap_or_default()
                    .split('+')
                    .map(|n| n.trim().parse::<u32>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| bad("formula: expected row numbers joined by +"))?,
            ),
            Some("mapped") => None,
            _ => return Err(bad("kind: expected mapped or sum")),
        };
        rows.push(RowSpec {
            number,
            name: r.get(1).unwrap_or_default().to_string(),
            formula,
        });
    }
    let (path, records) = read(mapping_file)?;
    let mut mapping = Vec::new();
    for (line, r) in records {
        let bad = |what: &str| DataError::new(&path, what.to_string()).at_line(line);
        let num = |i: usize| r.get(i).filter(|s| !s.is_empty()).map(|s| s.parse::<u16>());
        let row = r
            .get(0)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| bad("row: expected a number"))?;
        let art = match (num(1), num(2)) {
            (Some(Ok(a)), Some(Ok(b))) => (a, b),
            _ => return Err(bad("art_from/art_to: expected three-digit art codes")),
        };
        let funksjon = match (num(3), num(4)) {
            (None, None) => None,
            (Some(Ok(a)), Some(Ok(b))) => Some((a, b)),
            _ => {
                return Err(bad(
                    "funksjon_from/funksjon_to: expected three-digit funksjon codes or both empty",
                ));
            }
        };
        if !rows
            .iter()
            .any(|s: &RowSpec| s.number == row && s.formula.is_none())
        {
            return Err(bad("row: not a mapped row of the overview"));
        }
        mapping.push(MappingLine { row, art, funksjon });
    }
    Ok(Overview {
        part,
        rows,
        mapping,
    })
}

impl Overview {
    /// The row a line with these KOSTRA codes goes to, if any.
    pub fn row_for(&self, art: u16, funksjon: Option<u16>) -> Option<u32> {
        self.mapping
            .iter()
            .find(|m| {
                (m.art.0..=m.art.1).contains(&art)
                    && m.funksjon
                        .is_none_or(|(a, b)| funksjon.is_some_and(|f| (a..=b).contains(&f)))
            })
            .map(|m| m.row)
    }

    /// Computes the overview for the lines of `sources` (those of this part) in `version`.
    pub fn compute(
        &self,
        ledger: &Ledger,
        sources: &[u16],
        version: u16,
        years: &[i32],
        art_role: usize,
        funksjon_role: usize,
        group_role: usize,
    ) -> Result<OverviewTotals, AggregateError> {
        let overflow = || AggregateError {
            what: format!("{:?} overview", self.part),
        };
        let mut totals = OverviewTotals::default();
        for line in ledger.lines.iter().filter(|l| {
            sources.contains(&l.source) && l.version == version && years.contains(&l.year)
        }) {
            let start = ledger
                .sources
                .get(usize::from(line.source))
                .map(|s| s.kostra_start);
            let code = |role: usize| {
                let id = line.dims[role];
                let at = start.map_or(0, |s| s[role]);
                (id != NONE)
                    .then(|| code3(&ledger.dimensions[role].values[id as usize].code, at))
                    .flatten()
            };

            let funksjon = code(funksjon_role);
            let Some(art) = code(art_role) else {
                totals
                    .unmapped
                    .push((line.source, line.line, "no three-digit KOSTRA art".into()));
                continue;
            };
            let row = match (self.row_for(art, funksjon), self.part) {
                (Some(row), _) => row,
                (None, Part::Drift) if funksjon == Some(899) => {
                    totals.excluded += 1;
                    continue;
                }
                (None, Part::Drift) => 6,
                (None, Part::Investering) => {
                    totals.unmapped.push((
                        line.source,
                        line.line,
                        format!("art {art:03} maps to no row of § 5-5"),
                    ));
                    continue;
                }
            };
            let cell = totals
                .rows
                .entry(row)
                .or_default()
                .entry(line.year)
                .or_default();
            *cell = cell.checked_add(line.amount).ok_or_else(overflow)?;
            if row == 6 && self.part == Part::Drift {
                let cell = totals
                    .by_group
                    .entry(line.dims[group_role])
                    .or_default()
                    .entry(line.year)
                    .or_default();
                *cell = cell.checked_add(line.amount).ok_or_else(overflow)?;
            }
        }
        for spec in &self.rows {
            if let Some(formula) = &spec.formula {
                for &year in years {
                    let mut sum = Decimal::ZERO;
                    for r in formula {
                        let value = totals
                            .rows
                            .get(r)
                            .and_then(|y| y.get(&year))
                            .copied()
                            .unwrap_or_default();
                        sum = sum.checked_add(value).ok_or_else(overflow)?;
                    }
                    totals
                        .rows
                        .entry(spec.number)
                        .or_default()
                        .insert(year, sum);
                }
            }
        }
        Ok(totals)
    }
}
