//! The projects view (issue 27): per group (sector), the table of its investment projects
//! with their kostnadsramme, what was approved before the plan period, the plan years (from
//! the investment export) and the remainder after the plan period, each column rounded and
//! footed by the report's rule; and the projects accepted with a reason.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::projects::Projects;
use crate::config::{BudgetSection, Config};
use crate::load::projects::Project;
use crate::model::ledger::Ledger;
use crate::present::table::{PrintedRow, PrintedTable, footed, group_heading, label, notes};
use crate::summed_budget::SummedBudget;
use crate::words::{Fill, Phrase};

/// The investment projects of a report, per group.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectsView {
    /// The table of each group that has projects, by the group's code.
    pub sectors: BTreeMap<String, PrintedTable>,
    /// The projects accepted with a reason, in the configuration's order.
    pub accepted: Vec<AcceptedProject>,
}

/// A project accepted as it is, and why.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptedProject {
    pub project: String,
    pub reason: String,
    /// The code of its group, when the projects file has a row for it.
    pub sector: Option<String>,
}

/// The view of the budget's projects; `None` when the report names no projects file.
pub(crate) fn projects_view(
    budget: &SummedBudget,
    section: &BudgetSection,
    config: &Config,
) -> Option<ProjectsView> {
    let projects = budget.projects.as_ref()?;
    let mut sectors: Vec<&str> = Vec::new();
    for p in &projects.file.projects {
        if !sectors.contains(&p.sector.as_str()) {
            sectors.push(&p.sector);
        }
    }
    let setting = Setting {
        ledger: &budget.ledger,
        group_role: section.group_by.index(),
        presentation: &section.presentation,
        config,
    };
    let tables = sectors
        .into_iter()
        .map(|sector| {
            let of_sector: Vec<&Project> = projects
                .file
                .projects
                .iter()
                .filter(|p| p.sector == sector)
                .collect();
            (
                sector.to_string(),
                sector_table(&setting, projects, sector, &of_sector),
            )
        })
        .collect();
    Some(ProjectsView {
        sectors: tables,
        accepted: projects
            .accepted
            .iter()
            .map(|(project, reason)| AcceptedProject {
                project: project.clone(),
                reason: reason.clone(),
                sector: projects
                    .file
                    .projects
                    .iter()
                    .find(|p| p.code == *project)
                    .map(|p| p.sector.clone()),
            })
            .collect(),
    })
}

/// What a sector's table is printed with.
struct Setting<'a> {
    ledger: &'a Ledger,
    group_role: usize,
    presentation: &'a crate::config::Presentation,
    config: &'a Config,
}

/// One sector's table: a row per project in the file's order; columns kostnadsramme,
/// tidligere bevilget, each plan year and the remainder, each rounded and footed on its own.
fn sector_table(
    setting: &Setting<'_>,
    projects: &Projects,
    sector: &str,
    of_sector: &[&Project],
) -> PrintedTable {
    let (w, config) = (&setting.config.words, setting.config);
    let (unit, footing) = (setting.presentation.unit, setting.presentation.footing);
    let years: Vec<i32> = config.plan.years().collect();
    let plan = |p: &Project| {
        years.iter().fold(Decimal::ZERO, |a, y| {
            a.saturating_add(projects.amount(&p.code, *y))
        })
    };
    let mut columns_exact: Vec<Vec<Decimal>> = vec![
        of_sector.iter().map(|p| p.frame).collect(),
        of_sector.iter().map(|p| p.before).collect(),
    ];
    for &year in &years {
        columns_exact.push(
            of_sector
                .iter()
                .map(|p| projects.amount(&p.code, year))
                .collect(),
        );
    }
    columns_exact.push(
        of_sector
            .iter()
            .map(|p| p.frame.saturating_sub(p.before).saturating_sub(plan(p)))
            .collect(),
    );
    let footed = footed(&columns_exact, of_sector.len(), &unit, footing);
    let rows = of_sector
        .iter()
        .zip(footed.cells)
        .map(|(p, cells)| PrintedRow {
            label: label(&p.code, &p.name),
            cells,
            strong: false,
        })
        .collect();
    let last = years.last().copied().unwrap_or_default();
    let mut heads = vec![
        Fill::from(Phrase::new("projects.column")),
        Fill::from(Phrase::new("projects.frame")),
        Fill::from(Phrase::new("projects.before")),
    ];
    heads.extend(years.iter().map(|y| Fill::from(y.to_string())));
    heads.push(Fill::from(
        Phrase::new("projects.remainder").with("year", last.to_string()),
    ));
    PrintedTable {
        caption: Phrase::new("projects.caption")
            .with(
                "group",
                group_heading(setting.ledger, setting.group_role, sector, w),
            )
            .with(
                "unit",
                Phrase::new("unit.current_prices").with("unit", unit.phrase()),
            ),
        columns: heads,
        rows,
        total: Some(PrintedRow {
            label: w.get("table.sum").to_string(),
            cells: footed.totals,
            strong: true,
        }),
        notes: notes(footing, footed.note),
    }
}
