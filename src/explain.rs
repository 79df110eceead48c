//! `budsjett explain`: where a printed figure comes from. For a group (and detail) in a year
//! and version, or a row of a statutory overview, it lists the source lines that make the
//! figure (file, line, the cells that matter, the amount), their exact sum, the rounding that
//! was applied and the figure as the report prints it. For a statutory row it names the
//! mapping line (KOSTRA codes) each line was placed by.
//!
//! The report is read through the one pipeline (`pipeline::read_budget`): the figure
//! called printed is the cell of the view `render` prints, and the answer is worded from the
//! report's words catalogue (`[explain]`), so a nynorsk report answers in nynorsk.

use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;

use crate::aggregate::statutory::{Roles, Target, kostra_codes};
use crate::config::BudgetSection;
use crate::format::{Footing, Rule, exact};
use crate::model::Role;
use crate::model::ledger::{BudgetLine, Ledger, NONE};
use crate::pipeline::{self, Error};
use crate::present::budget::PartView;
use crate::present::budget::key_figures::{KeyFiguresView, Row, Value};
use crate::present::table::{PrintedTable, label};
use crate::summed_budget::{self, SummedBudget, SummedPart};
use crate::words::Words;

/// What to explain.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// A group value (code or name), e.g. "18A".
    pub group: Option<String>,
    /// A detail value inside the group (code or name).
    pub detail: Option<String>,
    /// A row of a statutory overview, with its paragraph ("5-4", "5-5", "5-6").
    pub row: Option<(String, u32)>,
    /// A key figure of the key figures page, by its name in `[[budget.rules]]`
    /// (`netto_driftsresultat`; `-` for `_` is taken too).
    pub key_figure: Option<String>,
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

/// The explanation as text for a terminal, in the report's language; `templates` is the
/// folder `render` reads (its words catalogue and the template the view is checked with).
pub fn explain(config_path: &Path, templates: &Path, query: &Query) -> Result<String, Error> {
    let usage = |message: String| Error::Config {
        path: config_path.to_path_buf(),
        message,
    };
    let no_budget = || usage(crate::msg!("explain.no_budget"));
    let config = crate::config::Config::load(config_path)?;
    let report = pipeline::read_budget(config, templates)?.ok_or_else(no_budget)?;
    let (config, budget, view) = (&report.config, &report.budget, &report.view);
    let section = config.budget.as_ref().ok_or_else(no_budget)?;
    let asked = Asked {
        words: &config.words,
        budget,
        query,
        year: query.year.unwrap_or(config.plan.first),
        version: wanted_version(&budget.ledger, query).map_err(usage)?,
    };
    let mut out = String::new();
    if let Some((paragraph, row)) = &query.row {
        explain_row(&mut out, &asked, &view.parts, paragraph, *row).map_err(usage)?;
        return Ok(out);
    }
    if let Some(name) = &query.key_figure {
        let page = view.key_figures.as_ref();
        explain_key_figure(&mut out, &config.words, page, name, asked.year).map_err(usage)?;
        return Ok(out);
    }
    let Some(group) = &query.group else {
        return Err(usage(crate::msg!("explain.no_figure")));
    };
    for (part, part_view) in budget.parts.iter().zip(&view.parts) {
        if query.part.as_deref().is_some_and(|p| p != part_view.part) {
            continue;
        }
        if explain_group(&mut out, &asked, section, part, part_view, group).map_err(usage)? {
            return Ok(out);
        }
    }
    let group = format!("{group:?}");
    Err(usage(match query.part.as_deref() {
        Some(part) => crate::msg!("explain.no_group_in_part", group, part),
        None => crate::msg!("explain.no_group", group),
    }))
}

/// What every step of an explanation reads: the report's words, its budget, the query, the
/// year asked for (or the first plan year; a compared side without --year is in its own year)
/// and the version asked for (none: the one each part's tables show).
struct Asked<'a> {
    /// The report's words catalogue: the answer's words.
    words: &'a Words,
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
                let (name, versions) = (format!("{name:?}"), ledger.versions.join(", "));
                crate::msg!("explain.no_version", name, versions)
            }),
    }
}

/// A group's (or detail's) figure in one part: its lines, their sum, the rounding and the
/// printed figure. False when the part has no such group.
fn explain_group(
    out: &mut String,
    asked: &Asked<'_>,
    section: &BudgetSection,
    part: &summed_budget::SummedPart,
    part_view: &PartView,
    group: &str,
) -> Result<bool, String> {
    let (budget, query) = (asked.budget, asked.query);
    let (group_by, detail_by) = section.grouping(part.part == crate::model::Part::Investering);
    let version = asked.version.unwrap_or(part.version);
    let history = history_column(asked, part, part_view, version);
    let compared = compared_side(asked, part, part_view, version).filter(|_| history.is_none());
    let year = match (history, compared) {
        (Some(i), _) => part_view.history[i].year,
        (None, Some((_, year))) => year,
        (None, None) => asked.year,
    };
    let group_role = group_by.index();
    let Some(g) = find_value(&budget.ledger, group_role, group) else {
        return Ok(false);
    };
    let detail = match (&query.detail, detail_by) {
        (Some(wanted), Some(detail_by)) => {
            match find_value(&budget.ledger, detail_by.index(), wanted) {
                Some(d) => Some((detail_by.index(), d)),
                None => {
                    let wanted = format!("{wanted:?}");
                    return Err(crate::msg!("explain.no_detail", detail_by, wanted));
                }
            }
        }
        (Some(_), None) => {
            return Err(crate::msg!("explain.no_details"));
        }
        (None, _) => None,
    };
    let figure = Figure {
        group_role,
        group: g,
        detail,
        compared: compared.map(|(column, _)| column),
        history,
        own_version: version == part.version,
        year,
        value: budget.ledger.dimensions[group_role].values[g as usize].display(),
    };
    let lines = figure_lines(budget, part, version, query.flow, &figure);
    // Named as the version asked for names it (a value of the same code, for a comparison).
    let named = |role: usize, id: u32| {
        let id = lines.first().map_or(id, |l| l.dims[role]);
        budget.ledger.dimensions[role].values[id as usize].display()
    };
    let what = match detail {
        Some((r, d)) => format!("{} / {}", named(group_role, g), named(r, d)),
        None => named(group_role, g),
    };
    say(
        out,
        asked.words,
        "",
        "explain.figure",
        &[
            ("what", &what),
            ("year", &year.to_string()),
            ("version", &budget.ledger.versions[usize::from(version)]),
            ("part", part_view.part),
        ],
    );
    if query.year.is_none() {
        say_compared_years(out, asked.words, part_view);
    }
    let sum = list_lines(out, asked.words, &budget.ledger, &lines, query.all);
    let found = printed_figure(asked, part_view, figure)?;
    let rounded = rounding(out, asked.words, section, sum);
    say_printed(out, asked.words, section, found, &rounded);
    Ok(true)
}

/// The figure as the page prints it, found by [`printed_figure`]. Largest remainder may move
/// a figure by one unit so that its column foots: that is said, so that the rounded and the
/// printed figure never seem to disagree.
fn say_printed(
    out: &mut String,
    words: &Words,
    section: &BudgetSection,
    found: Found<'_>,
    rounded: &str,
) {
    let printed = match found {
        (Some(table), label, Some(column)) => printed(out, words, table, &label, column),
        _ => {
            say(out, words, "  ", "explain.not_printed", &[]);
            None
        }
    };
    if section.presentation.footing == Footing::LargestRemainder
        && printed.is_some_and(|p| p != rounded)
    {
        say(out, words, "  ", "explain.footing_moved", &[]);
    }
}

/// The figure a group query names: the group (role and value id), the detail, the column of
/// the comparison it is read from (none: the part's own tables), its year, and the group's
/// value as its rows are labelled.
struct Figure {
    group_role: usize,
    group: u32,
    detail: Option<(usize, u32)>,
    compared: Option<usize>,
    /// The history column it is read from (issue 26), if any.
    history: Option<usize>,
    /// Whether the version is the one the part's own tables show.
    own_version: bool,
    year: i32,
    value: String,
}

/// The lines of `version` that make the figure: of the part, the year, the group (and detail)
/// and, with `flow`, the expenses or the income only. The comparison keys its rows by code, so
/// its figure takes every value with the code.
fn figure_lines<'b>(
    budget: &'b SummedBudget,
    part: &SummedPart,
    version: u16,
    flow: Option<Flow>,
    figure: &Figure,
) -> Vec<&'b BudgetLine> {
    // A comparison and the history columns key their rows by code.
    let keyed = figure.compared.is_some() || figure.history.is_some();
    let ledger = &budget.ledger;
    let groups = same_row(ledger, figure.group_role, figure.group, keyed);
    let details = figure
        .detail
        .map(|(r, d)| (r, same_row(ledger, r, d, keyed)));
    ledger
        .lines
        .iter()
        .filter(|l| {
            part.sources.contains(&l.source)
                && l.version == version
                && l.year == figure.year
                && groups.contains(&l.dims[figure.group_role])
                && details
                    .as_ref()
                    .is_none_or(|(r, d)| d.contains(&l.dims[*r]))
                && match flow {
                    None => true,
                    Some(Flow::Expenses) => !l.amount.is_sign_negative(),
                    Some(Flow::Income) => l.amount.is_sign_negative(),
                }
        })
        .collect()
}

/// The side of the part's comparison a group query names: its column and its year. A version
/// other than the one the part's tables show, or a year they do not show, is printed only by
/// the comparison; without --year, a compared version's year is the year its side is in.
/// None when the part's own tables print the figure (or --flow asks for them).
fn compared_side(
    asked: &Asked<'_>,
    part: &SummedPart,
    part_view: &PartView,
    version: u16,
) -> Option<(usize, i32)> {
    let comparison = part_view.comparison.as_ref()?;
    let year = asked.query.year;
    let own_tables = version == part.version && year.is_none_or(|y| part_view.years.contains(&y));
    if own_tables || asked.query.flow.is_some() {
        return None;
    }
    let name = &asked.budget.ledger.versions[usize::from(version)];
    let column = comparison
        .sides
        .iter()
        .position(|(v, y)| v == name && year.is_none_or(|wanted| wanted == *y))?;
    Some((column, comparison.sides[column].1))
}

/// The history column (issue 26) a group query names: the version asked for is a history
/// side's, in the year asked for (without --year, the side's own year). None when the part's
/// own tables print the figure, or --flow asks for them.
fn history_column(
    asked: &Asked<'_>,
    part: &SummedPart,
    part_view: &PartView,
    version: u16,
) -> Option<usize> {
    let year = asked.query.year;
    let own_tables = version == part.version && year.is_none_or(|y| part_view.years.contains(&y));
    if own_tables || asked.query.flow.is_some() {
        return None;
    }
    let name = &asked.budget.ledger.versions[usize::from(version)];
    part_view
        .history
        .iter()
        .position(|h| h.version == *name && year.is_none_or(|wanted| wanted == h.year))
}

/// The value ids that make one row with value `id` of dimension `role`: with `by_code`, every
/// value that shares its code (as a comparison keys its rows), else the value alone.
fn same_row(ledger: &Ledger, role: usize, id: u32, by_code: bool) -> Vec<u32> {
    let values = &ledger.dimensions[role].values;
    let code = values.get(id as usize).map_or("", |v| v.code.as_str());
    if !by_code || code.is_empty() {
        return vec![id];
    }
    (0..values.len())
        .filter(|&i| values[i].code == code)
        .filter_map(|i| u32::try_from(i).ok())
        .collect()
}

/// Which year each side of the part's comparison is in, said when --year was not given.
fn say_compared_years(out: &mut String, words: &Words, part_view: &PartView) {
    let Some(comparison) = &part_view.comparison else {
        return;
    };
    let [(first_version, first_year), (second_version, second_year)] = &comparison.sides;
    say(
        out,
        words,
        "  ",
        "explain.compared_years",
        &[
            ("first", &comparison.first),
            ("first_version", first_version),
            ("first_year", &first_year.to_string()),
            ("second", &comparison.second),
            ("second_version", second_version),
            ("second_year", &second_year.to_string()),
        ],
    );
}

/// The label of the row a comparison table prints for `value` of dimension `role`: the row
/// with its code (named as the newer side names it), else the value as the ledger names it.
fn compared_label(ledger: &Ledger, role: usize, id: u32, table: Option<&PrintedTable>) -> String {
    let value = &ledger.dimensions[role].values[id as usize];
    let code = value.code.as_str();
    let by_code = table.filter(|_| !code.is_empty()).and_then(|t| {
        t.rows
            .iter()
            .find(|r| r.label == code || r.label.starts_with(&format!("{code} ")))
    });
    by_code.map_or_else(|| value.display(), |r| r.label.clone())
}

/// Where the page prints a figure: the table, the row's label and the column, if anywhere.
type Found<'v> = (Option<&'v PrintedTable>, String, Option<usize>);

/// Where the report prints the figure: the table, the row's label and the column. The
/// group's row of the net table, the detail's row of the group's table, the year's table of
/// expenses and income with --flow, or a compared version's column of the comparison.
fn printed_figure<'v>(
    asked: &Asked<'_>,
    part_view: &'v PartView,
    figure: Figure,
) -> Result<Found<'v>, String> {
    let budget = asked.budget;
    let Figure {
        group_role,
        group: g,
        detail,
        compared,
        history,
        own_version,
        year,
        value,
    } = figure;
    if let Some(column) = history {
        return Ok(history_figure(
            asked,
            part_view,
            (group_role, g),
            detail,
            column,
        ));
    }
    if !own_version && compared.is_none() {
        // Another version in a year (or flow) no table prints for it: the part's own tables
        // print their version's figure, never this one.
        return Ok((None, value, None));
    }
    let ledger = &budget.ledger;
    let comparison = part_view.comparison.as_ref();
    // The part's own tables print the history columns first.
    let mut column = part_view
        .years
        .iter()
        .position(|y| *y == year)
        .map(|c| c + part_view.history.len());
    let (table, label): (Option<&PrintedTable>, String) = match (detail, asked.query.flow) {
        (None, Some(flow)) => {
            // The year's table of expenses, income and net (no history columns): 0 and 1.
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
            return Err(crate::msg!("explain.flow_of_detail"));
        }
        // A compared side: its column of the comparison's table of groups, or of the
        // group's table of details.
        (None, None) if compared.is_some() => {
            column = compared;
            let table = comparison.map(|c| &c.by_group);
            (table, compared_label(ledger, group_role, g, table))
        }
        (Some((r, d)), None) if compared.is_some() => {
            column = compared;
            let group = compared_label(ledger, group_role, g, comparison.map(|c| &c.by_group));
            let table = comparison.and_then(|c| {
                c.details
                    .iter()
                    .find(|t| label(&t.code, &t.name) == group)
                    .map(|t| &t.table)
            });
            (table, compared_label(ledger, r, d, table))
        }
        (None, None) => (Some(&part_view.net_by_group), value),
        (Some((r, d)), None) => (
            part_view
                .groups
                .iter()
                .find(|t| {
                    let (code, name) = ledger.name_of(group_role, g, asked.words);
                    t.code == code && t.name == name
                })
                .map(|t| &t.table),
            ledger.dimensions[r].values[d as usize].display(),
        ),
    };
    Ok((table, label, column))
}

/// Where the page prints a history column's figure: the group's row of the net table, or the
/// detail's row of its group's table, found by code as the history keys its rows.
fn history_figure<'v>(
    asked: &Asked<'_>,
    part_view: &'v PartView,
    (group_role, g): (usize, u32),
    detail: Option<(usize, u32)>,
    column: usize,
) -> Found<'v> {
    let ledger = &asked.budget.ledger;
    let net = &part_view.net_by_group;
    let group = compared_label(ledger, group_role, g, Some(net));
    match detail {
        None => (Some(net), group, Some(column)),
        Some((r, d)) => {
            let table = part_view
                .groups
                .iter()
                .find(|t| label(&t.code, &t.name) == group)
                .map(|t| &t.table);
            (table, compared_label(ledger, r, d, table), Some(column))
        }
    }
}

/// Lines one by one (up to [`LISTED`]) and their exact sum.
fn list_lines(
    out: &mut String,
    words: &Words,
    ledger: &Ledger,
    lines: &[&BudgetLine],
    all: bool,
) -> Decimal {
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
            say(
                out,
                words,
                "  ",
                "explain.line",
                &[
                    ("file", &file),
                    ("line", &line.line.to_string()),
                    ("cells", &cells.join(" | ")),
                    ("amount", &exact(line.amount)),
                ],
            );
        }
    }
    if lines.len() > listed {
        let more = (lines.len() - listed).to_string();
        say(out, words, "  ", "explain.more_lines", &[("count", &more)]);
    }
    let (count, amount) = (lines.len().to_string(), exact(sum));
    let key = if lines.len() == 1 {
        "explain.sum_one"
    } else {
        "explain.sum"
    };
    say(
        out,
        words,
        "  ",
        key,
        &[("count", &count), ("amount", &amount)],
    );
    sum
}

/// How the exact sum is rounded once to the report's unit, and the footing rule; returns
/// the rounded figure as printed.
fn rounding(out: &mut String, words: &Words, section: &BudgetSection, sum: Decimal) -> String {
    let unit = section.presentation.unit;
    let rule = match unit.rule {
        Rule::HalfAwayFromZero => "rounding.half_away_from_zero",
        Rule::HalfEven => "rounding.half_even",
    };
    let rounded = unit.print(unit.round(sum));
    say(
        out,
        words,
        "  ",
        "explain.rounded",
        &[
            ("unit", &unit.scale.unit()),
            ("decimals", &unit.decimals.to_string()),
            ("rule", words.get(rule)),
            ("figure", &rounded),
        ],
    );
    let key = match section.presentation.footing {
        Footing::LargestRemainder => "explain.footing_largest_remainder",
        Footing::Note => "explain.footing_note",
    };
    say(out, words, "  ", key, &[]);
    rounded
}

/// The row labelled `label` of `table`: its figure in `column` (0-based, after the label),
/// said and returned as the page prints it.
fn printed<'t>(
    out: &mut String,
    words: &Words,
    table: &'t PrintedTable,
    label: &str,
    column: usize,
) -> Option<&'t str> {
    let row = table
        .rows
        .iter()
        .chain(&table.total)
        .find(|r| r.label == label || r.label.ends_with(label));
    let cell = row.and_then(|r| r.cells.get(column));
    let caption = words.say(&table.caption);
    match cell {
        Some(cell) => say(
            out,
            words,
            "  ",
            "explain.printed",
            &[("figure", cell), ("caption", &caption)],
        ),
        None => say(
            out,
            words,
            "  ",
            "explain.printed_no_row",
            &[("row", label), ("caption", &caption)],
        ),
    }
    cell.map(String::as_str)
}

/// One line of the answer: the catalogue's words of `key` with its placeholders filled,
/// after `indent`, as a terminal shows them.
fn say(out: &mut String, words: &Words, indent: &str, key: &str, values: &[(&str, &str)]) {
    let _ = writeln!(out, "{indent}{}", terminal(&words.fill(key, values)));
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
    let budget = asked.budget;
    let Some((overview, totals)) = budget
        .statutory
        .iter()
        .find(|(o, _)| o.statement.paragraph() == paragraph)
    else {
        return Err(if paragraph == "5-7" {
            crate::msg!("explain.row_of_debt")
        } else {
            crate::msg!("explain.no_overview", paragraph)
        });
    };
    // A history column's row: the side's own overview, in its year.
    let side = history_overview(asked, overview);
    let (totals, year) = side.map_or((totals, asked.year), |(_, t, y)| (t, y));
    let Some(spec) = overview.rows.iter().find(|r| r.number == row) else {
        return Err(crate::msg!("explain.no_row", paragraph, row));
    };
    let words = asked.words;
    say(
        out,
        words,
        "",
        "explain.row",
        &[
            ("paragraph", paragraph),
            ("row", &row.to_string()),
            ("name", spec.name_in(&words.language)),
            ("year", &year.to_string()),
        ],
    );
    if let Some(formula) = &spec.formula {
        for r in formula {
            let name = overview
                .rows
                .iter()
                .find(|s| s.number == *r)
                .map_or("", |s| s.name_in(&words.language));
            let amount = exact(totals.row(*r, year));
            let r = r.to_string();
            let values = [("row", r.as_str()), ("name", name), ("amount", &amount)];
            say(out, words, "  ", "explain.formula_row", &values);
        }
        let amount = exact(totals.row(row, year));
        say(
            out,
            words,
            "  ",
            "explain.formula_sum",
            &[("amount", &amount)],
        );
    } else {
        explain_mapped_row(out, asked, overview, (totals, year), row)?;
    }
    let view = parts
        .iter()
        .flat_map(|p| p.statutory.iter().map(move |s| (p, s)))
        .find(|(_, s)| s.paragraph == paragraph);
    if let Some((part_view, view)) = view {
        // The history columns come first.
        let column = match side {
            Some((i, ..)) => Some(i),
            None => part_view
                .years
                .iter()
                .position(|y| *y == year)
                .map(|c| c + part_view.history.len()),
        };
        if let Some(c) = column {
            let label = format!("{row}. {}", spec.name_in(&words.language));
            printed(out, words, &view.table, &label, c);
        }
    }
    Ok(())
}

/// The history column (issue 26) a row query names with --version (and --year, else the
/// side's own year): its place among the part's history columns, its overview and its year.
fn history_overview<'b>(
    asked: &Asked<'b>,
    overview: &crate::aggregate::statutory::Overview,
) -> Option<(usize, &'b crate::aggregate::statutory::OverviewTotals, i32)> {
    let budget = asked.budget;
    let name = &budget.ledger.versions[usize::from(asked.version?)];
    let part = budget.parts.iter().find(|p| p.part == overview.part)?;
    let i = part.history.iter().position(|h| {
        h.sums.side.version == *name && asked.query.year.is_none_or(|y| y == h.sums.year)
    })?;
    let index = budget
        .statutory
        .iter()
        .filter(|(o, _)| o.part == overview.part)
        .position(|(o, _)| o.statement == overview.statement)?;
    let side = &part.history[i];
    Some((i, side.statutory.get(index)?, side.sums.year))
}

/// The lines a mapped row of a statutory overview takes, grouped by the mapping line that
/// placed them, and their exact sum.
fn explain_mapped_row(
    out: &mut String,
    asked: &Asked<'_>,
    overview: &crate::aggregate::statutory::Overview,
    (totals, year): (&crate::aggregate::statutory::OverviewTotals, i32),
    row: u32,
) -> Result<(), String> {
    let budget = asked.budget;
    let roles = Roles {
        art: Role::Art.index(),
        funksjon: Role::Service.index(),
        group: 0,
    };
    let Some(part) = budget.parts.iter().find(|p| p.part == overview.part) else {
        return Err(crate::msg!("explain.part_without_lines"));
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
    let (words, mut total) = (asked.words, Decimal::ZERO);
    for (mapping_line, codes, lines) in &by_mapping {
        say(
            out,
            words,
            "",
            "explain.mapping",
            &[
                ("file", &overview.mapping_file.display().to_string()),
                ("line", &mapping_line.to_string()),
                ("codes", codes),
                ("year", &totals.chart_year.to_string()),
            ],
        );
        total += list_lines(out, words, &budget.ledger, lines, asked.query.all);
    }
    let (row, amount) = (row.to_string(), exact(total));
    say(
        out,
        words,
        "  ",
        "explain.row_sum",
        &[("row", &row), ("amount", &amount)],
    );
    Ok(())
}

/// Printed text for a terminal: plain spaces and a hyphen-minus.
fn terminal(text: &str) -> String {
    text.replace(crate::format::NBSP, " ")
        .replace(crate::format::MINUS, "-")
}

/// A key figure of the key figures page in a year: per printed row, how it is made, its
/// inputs (exact), its exact value or why it is not known, and the figure as printed.
fn explain_key_figure(
    out: &mut String,
    words: &Words,
    page: Option<&KeyFiguresView>,
    name: &str,
    year: i32,
) -> Result<(), String> {
    use crate::financial_rules::KeyFigure;
    let Some(figure) = KeyFigure::from_name(name) else {
        let found = format!("{name:?}");
        let known = KeyFigure::ALL.map(KeyFigure::name).join(", ");
        return Err(crate::msg!("key_figures.unknown", found, known));
    };
    let page = page.ok_or_else(|| crate::msg!("key_figures.no_page"))?;
    let column = page
        .table
        .columns
        .iter()
        .skip(1)
        .position(|c| matches!(c, crate::words::Fill::Text(t) if *t == year.to_string()));
    if !page.traces.iter().any(|t| t.year == year) {
        // The page has the plan years only.
        say(out, words, "", "explain.not_printed", &[]);
        return Ok(());
    }
    for trace in page
        .traces
        .iter()
        .filter(|t| t.year == year && Row::of_figure(figure).contains(&t.row))
    {
        let label = words.get(trace.row.label_key());
        let year = year.to_string();
        say(
            out,
            words,
            "",
            "key_figures.explain_figure",
            &[("figure", label), ("year", &year)],
        );
        let _ = writeln!(out, "  {}", terminal(&trace.formula));
        for (input, amount) in &trace.inputs {
            let amount = exact(*amount);
            say(
                out,
                words,
                "  ",
                "key_figures.explain_input",
                &[("input", input), ("amount", &amount)],
            );
        }
        match &trace.value {
            Value::Known { exact: value, .. } => {
                let amount = exact(*value);
                say(
                    out,
                    words,
                    "  ",
                    "key_figures.explain_exact",
                    &[("amount", &amount)],
                );
            }
            Value::Missing(reason) => {
                let reason = words.say(reason);
                say(
                    out,
                    words,
                    "  ",
                    "key_figures.explain_missing",
                    &[("reason", &reason)],
                );
            }
        }
        match column {
            Some(c) => {
                printed(out, words, &page.table, label, c);
            }
            None => say(out, words, "  ", "explain.not_printed", &[]),
        }
    }
    Ok(())
}
