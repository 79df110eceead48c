//! `budsjett explain`: where a printed figure comes from. For a group (and detail) in a year
//! and version, or a row of a statutory overview, it lists the source lines that make the
//! figure (file, line, the cells that matter, the amount), their exact sum, the rounding that
//! was applied and the figure as the report prints it. For a statutory row it names the
//! mapping line (KOSTRA codes) each line was placed by.

use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;

use crate::aggregate::statutory::{Roles, Target, kostra_codes};
use crate::config::Config;
use crate::error::DataErrors;
use crate::format::plain;
use crate::model::Role;
use crate::model::ledger::{BudgetLine, Ledger, NONE};
use crate::pipeline::Error;
use crate::present::budget::PartView;
use crate::present::table::PrintedTable;
use crate::summed_budget::{self, SummedBudget, SummedPart};

/// What to explain.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// A group value (code or name), e.g. "18A".
    pub group: Option<String>,
    /// A detail value inside the group (code or name).
    pub detail: Option<String>,
    /// A row of a statutory overview, with its paragraph ("5-4", "5-5", "5-6").
    pub row: Option<(String, u32)>,
    /// The year (default: the first plan year), the version (default: the one the part's
    /// tables show) and the part ("drift", "investering").
    pub year: Option<i32>,
    pub version: Option<String>,
    /// Only the expenses (positive lines) or the income (negative lines) of the figure, as
    /// the table of expenses, income and net prints them; default: the net.
    pub flow: Option<Flow>,
    pub part: Option<String>,
    /// List every line, not only the first [`LISTED`].
    pub all: bool,
}

/// Which lines of a group make the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Expenses,
    Income,
}

/// How many source lines are listed one by one (all are summed).
const LISTED: usize = 60;

/// The explanation as text for a terminal.
pub fn explain(config_path: &Path, query: &Query) -> Result<String, Error> {
    let config = Config::load(config_path)?;
    let Some(section) = &config.budget else {
        return Err(Error::Config {
            path: config_path.to_path_buf(),
            message:
                "explain: the report has no [budget] section, so no figure comes from budget lines"
                    .into(),
        });
    };
    let years: Vec<i32> = config.plan.years().collect();
    let budget = summed_budget::read(section, &years).map_err(|u| DataErrors(u.problems))?;
    let view = crate::present::budget::present(&budget, section, &config);
    let usage = |message: String| Error::Config {
        path: config_path.to_path_buf(),
        message,
    };
    let asked = Asked {
        config: &config,
        budget: &budget,
        query,
        year: query.year.unwrap_or(config.plan.first),
        version: wanted_version(&budget.ledger, query).map_err(usage)?,
    };
    let mut out = String::new();
    if let Some((paragraph, row)) = &query.row {
        explain_row(&mut out, &asked, &view.parts, paragraph, *row).map_err(usage)?;
        return Ok(out);
    }
    let Some(group) = &query.group else {
        return Err(usage(
            "explain: name a figure with --group (and --detail) or --row".into(),
        ));
    };
    for (part, part_view) in budget.parts.iter().zip(&view.parts) {
        if query.part.as_deref().is_some_and(|p| p != part_view.part) {
            continue;
        }
        if explain_group(&mut out, &asked, section, part, part_view, group).map_err(usage)? {
            return Ok(out);
        }
    }
    Err(usage(format!(
        "explain: found no group {group:?} in {}",
        query.part.as_deref().unwrap_or("the report's parts")
    )))
}

/// What every step of an explanation reads: the report, its budget, the query, the year and
/// the version asked for (none: the one each part's tables show).
struct Asked<'a> {
    config: &'a Config,
    budget: &'a SummedBudget,
    query: &'a Query,
    year: i32,
    version: Option<u16>,
}

/// The version `--version` names, as the ledger numbers it.
fn wanted_version(ledger: &Ledger, query: &Query) -> Result<Option<u16>, String> {
    match &query.version {
        None => Ok(None),
        Some(name) => ledger
            .versions
            .iter()
            .position(|v| v == name)
            .and_then(|v| u16::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "explain --version: found {name:?}, but the exports hold only {}",
                    ledger.versions.join(", ")
                )
            }),
    }
}

/// A group's (or detail's) figure in one part: its lines, their sum, the rounding and the
/// printed figure. False when the part has no such group.
fn explain_group(
    out: &mut String,
    asked: &Asked<'_>,
    section: &crate::config::BudgetSection,
    part: &SummedPart,
    part_view: &PartView,
    group: &str,
) -> Result<bool, String> {
    let (budget, query, year) = (asked.budget, asked.query, asked.year);
    let (group_by, detail_by) = section.grouping(part.part == crate::model::Part::Investering);
    let version = asked.version.unwrap_or(part.version);
    let group_role = group_by.index();
    let Some(g) = find_value(&budget.ledger, group_role, group) else {
        return Ok(false);
    };
    let detail = match (&query.detail, detail_by) {
        (Some(wanted), Some(detail_by)) => {
            match find_value(&budget.ledger, detail_by.index(), wanted) {
                Some(d) => Some((detail_by.index(), d)),
                None => return Err(format!("explain: found no {detail_by} value {wanted:?}")),
            }
        }
        (Some(_), None) => {
            return Err("explain: the report lists no details (budget.detail_by)".into());
        }
        (None, _) => None,
    };
    let lines: Vec<&BudgetLine> = budget
        .ledger
        .lines
        .iter()
        .filter(|l| {
            part.sources.contains(&l.source)
                && l.version == version
                && l.year == year
                && l.dims[group_role] == g
                && detail.is_none_or(|(r, d)| l.dims[r] == d)
                && match query.flow {
                    None => true,
                    Some(Flow::Expenses) => !l.amount.is_sign_negative(),
                    Some(Flow::Income) => l.amount.is_sign_negative(),
                }
        })
        .collect();
    let value = budget.ledger.dimensions[group_role].values[g as usize].display();
    let what = match detail {
        Some((r, d)) => format!(
            "{value} / {}",
            budget.ledger.dimensions[r].values[d as usize].display()
        ),
        None => value.clone(),
    };
    let _ = writeln!(
        out,
        "{what}, {year}, version {} ({}):",
        budget.ledger.versions[usize::from(version)],
        part_view.part
    );
    let sum = list_lines(out, &budget.ledger, &lines, query.all);
    rounding(out, section, &sum);
    let figure = Figure {
        group_role,
        group: g,
        detail,
        version,
        value,
    };
    let (table, label, column) = printed_figure(asked, part, part_view, figure)?;
    match (table, column) {
        (Some(t), Some(c)) => printed(out, t, &label, c),
        _ => {
            let _ = writeln!(
                out,
                "  printed: not in the report's tables (year outside the plan, or a hidden row)"
            );
        }
    }
    Ok(true)
}

/// The figure a group query names: the group (role and value id), the detail, the version,
/// and the group's value as its rows are labelled.
struct Figure {
    group_role: usize,
    group: u32,
    detail: Option<(usize, u32)>,
    version: u16,
    value: String,
}

/// Where the report prints the figure: the table, the row's label and the column. The
/// group's row of the net table, the detail's row of the group's table, the year's table of
/// expenses and income with --flow, or a compared version's column of the comparison.
fn printed_figure<'v>(
    asked: &Asked<'_>,
    part: &SummedPart,
    part_view: &'v PartView,
    figure: Figure,
) -> Result<(Option<&'v PrintedTable>, String, Option<usize>), String> {
    let (budget, year) = (asked.budget, asked.year);
    let Figure {
        group_role,
        group: g,
        detail,
        version,
        value,
    } = figure;
    let mut column = part_view.years.iter().position(|y| *y == year);
    let (table, label): (Option<&PrintedTable>, String) = match (detail, asked.query.flow) {
        (None, Some(flow)) => {
            // The year's table of expenses, income and net: columns 0 and 1.
            column = Some(usize::from(flow == Flow::Income));
            (
                part_view
                    .per_year
                    .iter()
                    .find(|t| t.year == year)
                    .map(|t| &t.table),
                value,
            )
        }
        (Some(_), Some(_)) => {
            return Err("explain: --flow applies to a group's figure, not a detail's".into());
        }
        // A compared version: its column of the comparison table.
        (None, None) if version != part.version => {
            let name = &budget.ledger.versions[usize::from(version)];
            let comparison = part_view.comparison.as_ref();
            column =
                comparison.and_then(|c| c.sides.iter().position(|(v, y)| v == name && *y == year));
            (comparison.map(|c| &c.by_group), value)
        }
        (None, None) => (Some(&part_view.net_by_group), value),
        (Some((r, d)), None) => (
            part_view
                .groups
                .iter()
                .find(|t| {
                    let (code, name) = budget.ledger.name_of(group_role, g, &asked.config.words);
                    t.code == code && t.name == name
                })
                .map(|t| &t.table),
            budget.ledger.dimensions[r].values[d as usize].display(),
        ),
    };
    Ok((table, label, column))
}

/// Lines one by one (up to [`LISTED`]) and their exact sum.
fn list_lines(out: &mut String, ledger: &Ledger, lines: &[&BudgetLine], all: bool) -> Decimal {
    let listed = if all { usize::MAX } else { LISTED };
    let mut sum = Decimal::ZERO;
    for (i, line) in lines.iter().enumerate() {
        sum += line.amount;
        if i < listed {
            let file = ledger
                .sources
                .get(usize::from(line.source))
                .map(|s| s.file.display().to_string())
                .unwrap_or_default();
            let cells: Vec<String> = line
                .dims
                .iter()
                .enumerate()
                .filter(|(_, id)| **id != NONE)
                .map(|(role, id)| ledger.dimensions[role].values[*id as usize].display())
                .collect();
            let _ = writeln!(
                out,
                "  {file}:{}: {} | {} kr",
                line.line,
                cells.join(" | "),
                plain(line.amount)
            );
        }
    }
    if lines.len() > listed {
        let _ = writeln!(
            out,
            "  … and {} more lines, all in the sum (--all lists them)",
            lines.len() - listed
        );
    }
    let _ = writeln!(out, "  {} lines, exact sum {} kr", lines.len(), plain(sum));
    sum
}

fn rounding(out: &mut String, section: &crate::config::BudgetSection, sum: &Decimal) {
    let unit = section.presentation.unit;
    let rule = match unit.rule {
        crate::format::Rule::HalfAwayFromZero => "halves away from zero",
        crate::format::Rule::HalfEven => "halves to even",
    };
    let footing = match section.presentation.footing {
        crate::format::Footing::LargestRemainder => {
            "largest remainder: the figure may move by one unit so its column adds up to its total"
        }
        crate::format::Footing::Note => "each figure on its own",
    };
    let _ = writeln!(
        out,
        "  rounded once to {} with {} decimals, {rule}: {}; footing {footing}",
        terminal(&unit.caption(&crate::words::Words::default())),
        unit.decimals,
        terminal(&unit.print(unit.round(*sum)))
    );
}

/// The row labelled `label` of `table`, its figure in `column` (0-based, after the label).
fn printed(out: &mut String, table: &PrintedTable, label: &str, column: usize) {
    let row = table
        .rows
        .iter()
        .chain(&table.total)
        .find(|r| r.label == label || r.label.ends_with(label));
    match row.and_then(|r| r.cells.get(column)) {
        Some(cell) => {
            let _ = writeln!(
                out,
                "  printed: {} in \"{}\"",
                terminal(cell),
                terminal(&table.caption)
            );
        }
        None => {
            let _ = writeln!(out, "  printed: no row {label:?} in \"{}\"", table.caption);
        }
    }
}

fn find_value(ledger: &Ledger, role: usize, wanted: &str) -> Option<u32> {
    let values = &ledger.dimensions[role].values;
    let wanted = wanted.trim().to_lowercase();
    values
        .iter()
        .position(|v| v.code.to_lowercase() == wanted)
        .or_else(|| {
            values.iter().position(|v| {
                v.text.to_lowercase() == wanted || v.display().to_lowercase() == wanted
            })
        })
        .and_then(|i| u32::try_from(i).ok())
}

/// A row of a statutory overview: the rows a sum row adds, or the lines a mapped row takes,
/// grouped by the mapping line that placed them; then the figure as printed.
fn explain_row(
    out: &mut String,
    asked: &Asked<'_>,
    parts: &[PartView],
    paragraph: &str,
    row: u32,
) -> Result<(), String> {
    let (budget, year) = (asked.budget, asked.year);
    let Some((overview, totals)) = budget
        .statutory
        .iter()
        .find(|(o, _)| o.statement.paragraph() == paragraph)
    else {
        return Err(if paragraph == "5-7" {
            "explain: § 5-7 comes from the debt file line by line (budget.debt); --row explains \
             rows of § 5-4, § 5-5 and § 5-6"
                .to_string()
        } else {
            format!("explain: the report has no § {paragraph} overview")
        });
    };
    let Some(spec) = overview.rows.iter().find(|r| r.number == row) else {
        return Err(format!("explain: § {paragraph} has no row {row}"));
    };
    let _ = writeln!(out, "§ {paragraph} row {row} ({}), {year}:", spec.name);
    if let Some(formula) = &spec.formula {
        for r in formula {
            let name = overview
                .rows
                .iter()
                .find(|s| s.number == *r)
                .map_or("", |s| s.name.as_str());
            let _ = writeln!(
                out,
                "  row {r} ({name}): {} kr",
                plain(totals.row(*r, year))
            );
        }
        let _ = writeln!(
            out,
            "  sum: {} kr (explain each row with --row)",
            plain(totals.row(row, year))
        );
    } else {
        explain_mapped_row(out, asked, overview, totals, row)?;
    }
    let view = parts
        .iter()
        .flat_map(|p| &p.statutory)
        .find(|s| s.paragraph == paragraph);
    if let Some(view) = view {
        let column = parts
            .first()
            .and_then(|p| p.years.iter().position(|y| *y == year));
        if let Some(c) = column {
            printed(out, &view.table, &format!("{row}. {}", spec.name), c);
        }
    }
    Ok(())
}

/// The lines a mapped row of a statutory overview takes, grouped by the mapping line that
/// placed them, and their exact sum.
fn explain_mapped_row(
    out: &mut String,
    asked: &Asked<'_>,
    overview: &crate::aggregate::statutory::Overview,
    totals: &crate::aggregate::statutory::OverviewTotals,
    row: u32,
) -> Result<(), String> {
    let (budget, year) = (asked.budget, asked.year);
    let roles = Roles {
        art: Role::Art.index(),
        funksjon: Role::Service.index(),
        group: 0,
    };
    let Some(part) = budget.parts.iter().find(|p| p.part == overview.part) else {
        return Err("explain: the part has no lines".into());
    };
    let version = asked.version.unwrap_or(part.version);
    let mut by_mapping: Vec<(u64, String, Vec<&BudgetLine>)> = Vec::new();
    for line in budget
        .ledger
        .lines
        .iter()
        .filter(|l| part.sources.contains(&l.source) && l.version == version && l.year == year)
    {
        let (art, funksjon) = kostra_codes(&budget.ledger, line, roles);
        let Some(m) = art.and_then(|a| overview.line_for(a, funksjon, totals.chart_year)) else {
            continue;
        };
        if m.target != Target::Row(row) {
            continue;
        }
        match by_mapping.iter_mut().find(|(l, _, _)| *l == m.line) {
            Some(entry) => entry.2.push(line),
            None => by_mapping.push((m.line, m.codes(), vec![line])),
        }
    }
    let mut total = Decimal::ZERO;
    for (mapping_line, codes, lines) in &by_mapping {
        let _ = writeln!(
            out,
            "{}:{mapping_line}: {codes} (KOSTRA chart of {}):",
            overview.mapping_file.display(),
            totals.chart_year
        );
        total += list_lines(out, &budget.ledger, lines, asked.query.all);
    }
    let _ = writeln!(out, "  row {row}: exact sum {} kr", plain(total));
    Ok(())
}

/// Printed text for a terminal: plain spaces and a hyphen-minus.
fn terminal(text: &str) -> String {
    text.replace(crate::format::NBSP, " ")
        .replace(crate::format::MINUS, "-")
}
