//! Investment projects (issue 27): the projects file joined with the investment part by
//! project code. Each project's plan-year amounts are the net of its lines in the investment
//! export (the part's version, exact kroner); its remainder after the plan period is its
//! frame less what was approved before and the plan years.
//!
//! What must hold, unless the report accepts a project with a reason (`accept_projects`): a
//! project of the file has lines in the export, a project code of the export has a row in the
//! file, and no project's plan years with what was approved before exceed its frame. An
//! acceptance that accepts nothing is refused, so that none outlives its reason. And what must
//! hold always: per plan year and source, the projects' financing is the § 5-5 row(s) of that
//! source (`SOURCES`), so the two overviews cannot tell two stories.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::statutory::OverviewTotals;
use crate::error::DataError;
use crate::format;
use crate::load::projects::{ProjectsFile, SOURCES};
use crate::model::Role;
use crate::model::ledger::Ledger;

/// The projects, joined with the investment export.
#[derive(Debug, Clone, Default)]
pub struct Projects {
    pub file: ProjectsFile,
    /// Each project code's net per plan year in the investment export, exact kroner.
    pub amounts: BTreeMap<String, BTreeMap<i32, Decimal>>,
    /// The projects accepted with a reason (code, reason), in the configuration's order.
    pub accepted: Vec<(String, String)>,
}

impl Projects {
    /// The project's amount in a plan year (0 where the export has no line).
    pub fn amount(&self, code: &str, year: i32) -> Decimal {
        self.amounts
            .get(code)
            .and_then(|a| a.get(&year))
            .copied()
            .unwrap_or_default()
    }
}

/// Where the investment part's lines are, and what the report says of them.
pub(crate) struct Investment<'a> {
    pub(crate) ledger: &'a Ledger,
    pub(crate) sources: &'a [u16],
    pub(crate) version: u16,
    /// The dimension whose codes are the projects' sectors (the report's groups).
    pub(crate) group_role: Role,
    /// § 5-5, computed.
    pub(crate) overview: &'a OverviewTotals,
    /// The report configuration, where a problem of the export or of an acceptance is told.
    pub(crate) config: &'a Path,
}

/// Joins the projects file with the investment lines and checks the join; every problem.
pub(crate) fn join(
    file: ProjectsFile,
    investment: &Investment<'_>,
    accepted: &[(String, String)],
    years: &[i32],
) -> Result<Projects, Vec<DataError>> {
    let amounts = export_amounts(investment, years)?;
    let mut problems = sectors(&file, investment);
    let mut used = vec![false; accepted.len()];
    let mut accept = |code: &str| match accepted.iter().position(|(c, _)| c == code) {
        Some(i) => {
            used[i] = true;
            true
        }
        None => false,
    };
    let (path, config) = (&file.file, investment.config);
    for p in &file.projects {
        let at = |message: String| DataError::new(path, message).at_line(p.line);
        let project = p.code.clone();
        if !amounts.contains_key(&p.code) {
            if !accept(&p.code) {
                problems.push(at(crate::msg!("projects.no_lines", project)));
            }
            continue;
        }
        let plan = years.iter().fold(Decimal::ZERO, |a, y| {
            a.saturating_add(amounts[&p.code].get(y).copied().unwrap_or_default())
        });
        let excess = p.before.saturating_add(plan).saturating_sub(p.frame);
        if excess > Decimal::ZERO && !accept(&p.code) {
            problems.push(at(crate::msg!(
                "projects.exceeds_frame",
                project,
                frame = format::plain(p.frame),
                before = format::plain(p.before),
                plan = format::plain(plan),
                excess = format::plain(excess)
            )));
        }
    }
    for code in amounts.keys() {
        if !file.projects.iter().any(|p| &p.code == code) && !accept(code) {
            let message = crate::msg!("projects.no_row", project = code);
            problems.push(DataError::new(path, message));
        }
    }
    for ((code, _), used) in accepted.iter().zip(used) {
        if !used {
            let message = crate::msg!("projects.accepts_nothing", project = code);
            problems.push(DataError::new(config, message));
        }
    }
    problems.extend(financing(&file, investment.overview, years));
    if problems.is_empty() {
        Ok(Projects {
            file,
            amounts,
            accepted: accepted.to_vec(),
        })
    } else {
        Err(problems)
    }
}

/// Each project code's net per plan year in the investment part's lines of its version.
fn export_amounts(
    investment: &Investment<'_>,
    years: &[i32],
) -> Result<BTreeMap<String, BTreeMap<i32, Decimal>>, Vec<DataError>> {
    let ledger = investment.ledger;
    let role = Role::Project.index();
    let dimension = &ledger.dimensions[role];
    if dimension.label.is_empty() {
        let message = crate::msg!("projects.no_project_dimension");
        return Err(vec![DataError::new(investment.config, message)]);
    }
    let mut amounts: BTreeMap<String, BTreeMap<i32, Decimal>> = BTreeMap::new();
    for line in ledger.lines.iter().filter(|l| {
        l.version == investment.version
            && investment.sources.contains(&l.source)
            && years.contains(&l.year)
    }) {
        let code = dimension
            .values
            .get(line.dims[role] as usize)
            .map(|v| v.code.as_str())
            .unwrap_or_default();
        if code.is_empty() {
            // Lines of no project: the investment budget's own financing and the like.
            continue;
        }
        let cell = amounts
            .entry(code.to_string())
            .or_default()
            .entry(line.year)
            .or_default();
        *cell = cell.saturating_add(line.amount);
    }
    Ok(amounts)
}

/// Each project's sector is a group of the budget.
fn sectors(file: &ProjectsFile, investment: &Investment<'_>) -> Vec<DataError> {
    let mut known: Vec<&str> = investment.ledger.dimensions[investment.group_role.index()]
        .values
        .iter()
        .map(|v| v.code.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    known.sort_unstable();
    known.dedup();
    file.projects
        .iter()
        .filter(|p| !known.contains(&p.sector.as_str()))
        .map(|p| {
            let (sector, known) = (format!("{:?}", p.sector), known.join(", "));
            DataError::new(
                &file.file,
                crate::msg!("projects.unknown_sector", sector, known),
            )
            .at_line(p.line)
        })
        .collect()
}

/// Per plan year and source, the projects' financing must be the § 5-5 row(s) of the source
/// (ledger sign: financing is income, so the rows are minus the file's amounts).
fn financing(file: &ProjectsFile, overview: &OverviewTotals, years: &[i32]) -> Vec<DataError> {
    let mut problems = Vec::new();
    for (i, (source, rows)) in SOURCES.iter().enumerate() {
        for &year in years {
            let projects = file.projects.iter().fold(Decimal::ZERO, |a, p| {
                a.saturating_add(p.financing.get(&year).map_or(Decimal::ZERO, |f| f[i]))
            });
            let budget = rows.iter().fold(Decimal::ZERO, |a, r| {
                a.saturating_add(overview.row(*r, year))
            });
            if projects == -budget {
                continue;
            }
            let rows = rows
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" + ");
            problems.push(DataError::new(
                &file.file,
                crate::msg!(
                    "projects.financing_differs",
                    source,
                    year,
                    projects = format::plain(projects),
                    rows,
                    budget = format::plain(budget),
                    difference = format::plain(projects + budget)
                ),
            ));
        }
    }
    problems
}
