//! The projects file (issue 27): the investment projects with their cost frames, one line per
//! project and plan year (`project;name;sector;frame;before;year;vat;grants;sales;borrowing;
//! drift;reserves`), in the unit of the report's tables (`[budget] unit`): the kostnadsramme
//! and what was approved before the plan period (the same on every line of a project), and
//! the year's financing by source. The plan years' amounts come from the investment export
//! (joined by project code, [`crate::aggregate::projects`]). This module reads the file and
//! refuses what the file alone shows to be wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::DataError;
use crate::format;
use crate::model::{Money, Text, Year};

/// The sources of financing, as the file's columns name them, and the rows of § 5-5 each is
/// (bevilgningsoversikt investering, budsjett- og regnskapsforskriften § 5-5 første ledd):
/// kompensasjon for merverdiavgift (7), tilskudd fra andre (8), salg av varige driftsmidler
/// (9), bruk av lån (13), overføring fra drift (20), and bruk av bundne and ubundne
/// investeringsfond (21 and 22).
pub(crate) const SOURCES: &[(&str, &[u32])] = &[
    ("vat", &[7]),
    ("grants", &[8]),
    ("sales", &[9]),
    ("borrowing", &[13]),
    ("drift", &[20]),
    ("reserves", &[21, 22]),
];

#[derive(Debug, Clone, Deserialize)]
struct ProjectRow {
    project: Text,
    name: Text,
    sector: Text,
    frame: Money,
    before: Money,
    year: Year,
    vat: Money,
    grants: Money,
    sales: Money,
    borrowing: Money,
    drift: Money,
    reserves: Money,
}

impl ProjectRow {
    /// The financing of the line, in the order of [`SOURCES`].
    fn financing(&self) -> [Decimal; 6] {
        [
            self.vat.0,
            self.grants.0,
            self.sales.0,
            self.borrowing.0,
            self.drift.0,
            self.reserves.0,
        ]
    }
}

/// One investment project, its amounts in kroner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The first line of the project in the file.
    pub line: u64,
    /// Its code, as the investment export's project dimension writes it.
    pub code: String,
    pub name: String,
    /// The code of its group (tjenesteområde) in the budget.
    pub sector: String,
    /// Kostnadsramme: what the whole project may cost.
    pub frame: Decimal,
    /// Tidligere bevilget: what was approved before the plan period.
    pub before: Decimal,
    /// Per plan year, the financing by source (in the order of [`SOURCES`]).
    pub financing: BTreeMap<i32, [Decimal; 6]>,
}

/// The projects file, read and checked on its own.
#[derive(Debug, Clone, Default)]
pub struct ProjectsFile {
    pub file: PathBuf,
    /// The lines read (for the colophon).
    pub rows: usize,
    /// In the file's order.
    pub projects: Vec<Project>,
}

/// Reads and checks the projects file for the plan `years`, its amounts in units of `unit`
/// kroner. Every problem is returned, located at its line.
pub(crate) fn load(
    path: &Path,
    years: &[i32],
    unit: Decimal,
) -> Result<ProjectsFile, Vec<DataError>> {
    let mut problems = Vec::new();
    let table: crate::model::Table<ProjectRow> = crate::load::read_table(path, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    if table.rows.is_empty() {
        return Err(vec![
            DataError::new(path, crate::msg!("projects.only_header")).at_line(1),
        ]);
    }
    let mut file = ProjectsFile {
        file: path.to_path_buf(),
        rows: table.rows.len(),
        projects: Vec::new(),
    };
    for row in &table.rows {
        if let Err(message) = line(&row.record, row.line, years, unit, &mut file.projects) {
            problems.push(DataError::new(path, message).at_line(row.line));
        }
    }
    for p in &file.projects {
        let missing: Vec<String> = years
            .iter()
            .filter(|y| !p.financing.contains_key(y))
            .map(i32::to_string)
            .collect();
        if !missing.is_empty() {
            let (project, missing) = (p.code.clone(), missing.join(", "));
            let message = crate::msg!("projects.year_missing", project, missing);
            problems.push(DataError::new(path, message).at_line(p.line));
        }
    }
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// An amount of the file in kroner.
fn kroner(amount: Decimal, unit: Decimal) -> Result<Decimal, String> {
    amount
        .checked_mul(unit)
        .ok_or_else(|| crate::msg!("projects.too_large", amount = format::plain(amount)))
}

/// One line: a year of a new project, or of one read before (which it must agree with).
fn line(
    r: &ProjectRow,
    at: u64,
    years: &[i32],
    unit: Decimal,
    projects: &mut Vec<Project>,
) -> Result<(), String> {
    let (code, year) = (r.project.0.clone(), r.year.0);
    if !years.contains(&year) {
        let plan = format::years(
            &crate::words::Words::default(),
            years.first().copied(),
            years.last().copied(),
        );
        return Err(crate::msg!("projects.year_outside_plan", year, plan));
    }
    for (column, value) in [("frame", r.frame.0), ("before", r.before.0)] {
        if value.is_sign_negative() && !value.is_zero() {
            let amount = format::plain(value);
            return Err(crate::msg!("projects.negative", column, amount));
        }
    }
    let mut financing = [Decimal::ZERO; 6];
    for (slot, value) in financing.iter_mut().zip(r.financing()) {
        *slot = kroner(value, unit)?;
    }
    let (frame, before) = (kroner(r.frame.0, unit)?, kroner(r.before.0, unit)?);
    let Some(known) = projects.iter_mut().find(|p| p.code == code) else {
        projects.push(Project {
            line: at,
            code,
            name: r.name.0.clone(),
            sector: r.sector.0.clone(),
            frame,
            before,
            financing: BTreeMap::from([(year, financing)]),
        });
        return Ok(());
    };
    if let Some(first) = known.financing.contains_key(&year).then_some(known.line) {
        return Err(crate::msg!(
            "projects.second_line",
            project = code,
            year,
            first
        ));
    }
    let texts = [
        ("name", &known.name, &r.name.0),
        ("sector", &known.sector, &r.sector.0),
    ];
    let amounts = [
        ("frame", known.frame, frame),
        ("before", known.before, before),
    ];
    let differs = texts
        .iter()
        .find(|(_, first, here)| first != here)
        .map(|(column, first, here)| (*column, format!("{first:?}"), format!("{here:?}")))
        .or_else(|| {
            amounts
                .iter()
                .find(|(_, first, here)| first != here)
                .map(|(column, first, here)| (*column, format::plain(*first), format::plain(*here)))
        });
    if let Some((column, first, here)) = differs {
        let line = known.line;
        return Err(crate::msg!(
            "projects.disagrees",
            project = code,
            column,
            here,
            first,
            line
        ));
    }
    known.financing.insert(year, financing);
    Ok(())
}
