//! Sector chapters' prose (issue 27): the folder `[budget] prose` names holds one Markdown
//! file per group of the budget (`<code>.md`, a tjenesteområde's goals and priorities) and
//! `innledning.md`, the report's opening chapter. This module reads the folder, refuses what
//! does not belong there, and turns each file into Typst markup ([`markdown`]) in which every
//! character of the text is escaped and every live figure is the tables' printed figure.
//!
//! Live figures are placeholders in double braces, which ordinary Norwegian prose never
//! writes: `{{netto 2025}}` (the group's net in a plan year), `{{endring 2025 2026}}` (its
//! change between two plan years), `{{tabell}}` (a reference to the group's table, printed as
//! "Tabell 7"); in `innledning.md`, or to cite another group, the group's code comes first:
//! `{{netto 310 2025}}`; `{{tiltak <id> 2025}}` is a tiltak's amount in a plan year (its
//! row of the group's table of tiltak). Figures print in the report's unit, exactly as the tables print them.
//! This module reads files; it never sums: the figures come from
//! [`crate::present::budget::group_figures`]. The strategy chapter's own text (`[data]
//! prose`, one file per area and programme) is read by [`chapter`] through the same
//! converter, with its own placeholders ([`chapter_placeholder`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::DataError;
use crate::load::prose::files;
use crate::msg;
use crate::present::budget::{GroupFigures, ProseView, SectorProse};
use crate::words::Words;

pub(crate) mod chapter;
mod chapter_placeholder;
mod markdown;
mod placeholder;

/// The file name of the report's opening chapter in the prose folder.
pub(crate) const OPENING: &str = "innledning.md";

/// What a prose file is converted against.
pub(crate) struct Setting<'a> {
    pub(crate) figures: &'a GroupFigures,
    pub(crate) words: &'a Words,
    /// Whether the whole-budget report prints a table per group (`detail_by`), which
    /// `{{tabell}}` refers to.
    pub(crate) group_tables: bool,
    /// The tiltak the report prints, for `{{tiltak <id> <year>}}`; `None` without a tiltak
    /// file.
    pub(crate) tiltak: Option<&'a crate::present::budget::TiltakView>,
}

/// The label of the group `code`'s table: letters and hex digits only, so that it is a valid
/// Typst label whatever the code holds, and distinct for distinct codes.
pub(crate) fn table_label(code: &str) -> String {
    let mut label = String::from("prose");
    for byte in code.bytes() {
        label.push_str(&format!("{byte:02x}"));
    }
    label
}

/// Reads and converts every file of the prose folder: the view the templates print, or every
/// problem found (at `file:line:column` where the problem has a place).
pub(crate) fn read(folder: &Path, setting: &Setting<'_>) -> Result<ProseView, Vec<DataError>> {
    let mut view = ProseView {
        part: setting.figures.part,
        opening: None,
        sectors: BTreeMap::new(),
        labels: setting
            .figures
            .groups
            .iter()
            .map(|g| (g.code.clone(), table_label(&g.code)))
            .collect(),
    };
    let (files, mut problems) = files(folder);
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let code = name.strip_suffix(".md").unwrap_or(&name).to_string();
        let sector = (name != OPENING).then_some(code.as_str());
        if let Some(code) = sector
            && !setting.figures.groups.iter().any(|g| g.code == code)
        {
            problems.push(DataError::new(
                &path,
                msg!("prose.no_group", code, groups = group_list(setting.figures)),
            ));
            continue;
        }
        let text = match crate::input::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                let reason = crate::messages::io_error(&e);
                problems.push(DataError::new(&path, msg!("prose.unreadable", reason)));
                continue;
            }
        };
        let resolve = |inner: &str| placeholder::resolve(inner, sector, setting);
        match markdown::convert(&path, &text, &resolve) {
            Ok(markup) => match sector {
                None => view.opening = Some(markup.whole),
                Some(code) => {
                    let heading = setting
                        .figures
                        .groups
                        .iter()
                        .find(|g| g.code == code)
                        .map(|g| g.heading.clone())
                        .unwrap_or_default();
                    let (whole, extract) = (markup.whole, markup.extract);
                    let prose = SectorProse {
                        whole,
                        extract,
                        heading,
                    };
                    view.sectors.insert(code.to_string(), prose);
                }
            },
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(view)
    } else {
        Err(problems)
    }
}

/// The budget's group codes, for a message: "10, 20, 30".
fn group_list(figures: &GroupFigures) -> String {
    figures
        .groups
        .iter()
        .map(|g| g.code.as_str())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The prose of a budget report whose `[budget]` names a prose folder: `Ok(None)` when it
/// names none, every problem of the folder and its files otherwise.
pub(crate) fn for_budget(
    budget: &crate::summed_budget::SummedBudget,
    section: &crate::config::BudgetSection,
    config: &crate::config::Config,
    tiltak: Option<&crate::present::budget::TiltakView>,
) -> Result<Option<ProseView>, Vec<DataError>> {
    let Some(folder) = &section.prose else {
        return Ok(None);
    };
    let Some(figures) = crate::present::budget::group_figures(budget, section, config) else {
        return Ok(None);
    };
    let setting = Setting {
        figures: &figures,
        words: &config.words,
        group_tables: section.detail_by.is_some(),
        tiltak,
    };
    read(folder, &setting).map(Some)
}

/// The prose of one sector's extract (`render --each`, the sectors being the report's
/// groups): its own file converted again, with the whole report's figures (the extract's
/// tables foot to the whole report's figure for the sector, so its own net is the same).
/// `Ok(None)` when the report names no prose folder or the sector has no file.
pub(crate) fn for_sector(
    whole: (
        &crate::summed_budget::SummedBudget,
        &crate::config::BudgetSection,
    ),
    code: &str,
    config: &crate::config::Config,
    tiltak: Option<&crate::present::budget::TiltakView>,
) -> Result<Option<String>, Vec<DataError>> {
    let path = match &whole.1.prose {
        Some(folder) => folder.join(format!("{code}.md")),
        None => return Ok(None),
    };
    let Some(figures) = crate::present::budget::group_figures(whole.0, whole.1, config) else {
        return Ok(None);
    };
    if code.is_empty() || !path.is_file() {
        return Ok(None);
    }
    let setting = Setting {
        figures: &figures,
        words: &config.words,
        group_tables: whole.1.detail_by.is_some(),
        tiltak,
    };
    let text = crate::input::read_to_string(&path).map_err(|e| {
        let reason = crate::messages::io_error(&e);
        vec![DataError::new(&path, msg!("prose.unreadable", reason))]
    })?;
    let resolve = |inner: &str| placeholder::resolve(inner, Some(code), &setting);
    markdown::convert(&path, &text, &resolve).map(|m| Some(m.extract))
}

/// Whether `code` can be a file's name on Windows and elsewhere as it is: no separator or
/// character Windows forbids, not hidden, not ending in a dot or space.
fn file_name_safe(code: &str) -> bool {
    let forbidden = |c: char| c.is_control() || "/\\:*?\"<>|".contains(c);
    !code.is_empty()
        && !code.starts_with('.')
        && !code.ends_with(['.', ' '])
        && !code.chars().any(forbidden)
}

/// The start of a group's prose that `init` writes (a heading and a line with a live figure);
/// `@navn@` is the group's name, `@år@` the first plan year.
const SEED: &str = include_str!("../init/prose.md");

/// `init`: one Markdown file per group of the report's budget, in the prose folder the report
/// names, to start from. Writes nothing when the report names no folder or its budget cannot
/// be summed (`check` then says why); never overwrites a file. A group whose code is no safe
/// file name (`a/b`) gets no file.
pub(crate) fn seed(config_path: &Path) -> Result<Vec<PathBuf>, String> {
    let mut config = crate::config::Config::load(config_path).map_err(|e| e.to_string())?;
    config.words = Words::default();
    let Some(section) = config.budget.as_ref() else {
        return Ok(Vec::new());
    };
    let Some(folder) = &section.prose else {
        return Ok(Vec::new());
    };
    let years: Vec<i32> = config.plan.years().collect();
    let Ok(budget) = crate::summed_budget::read(section, &years) else {
        return Ok(Vec::new());
    };
    let Some(figures) = crate::present::budget::group_figures(&budget, section, &config) else {
        return Ok(Vec::new());
    };
    // The folder exists even when no group gets a file, so that the report checks at once.
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("{}: {}", folder.display(), crate::messages::io_error(&e)))?;
    let first = years.first().copied().unwrap_or_default().to_string();
    let mut written = Vec::new();
    for group in figures.groups.iter().filter(|g| file_name_safe(&g.code)) {
        let path = folder.join(format!("{}.md", group.code));
        let text = SEED
            .replace("@navn@", &group.heading)
            .replace("@år@", &first);
        crate::guess::write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}
