//! The strategy chapter's own text (issue 27): the folder `[data] prose` names holds one
//! Markdown file per area and programme of the chapter, `<id>.md` by the ids of `areas.csv`
//! and `programmes.csv`. This module reads the folder, refuses a file that names no area or
//! programme, and converts each file to Typst markup ([`super::markdown`]: every character of
//! the text escaped) whose live figures are the chapter's data
//! ([`super::chapter_placeholder`]). It reads files and sets each section's text in the
//! chapter's view; it never sums and changes no figure.

use std::path::Path;

use super::chapter_placeholder::{self, Section, Setting};
use super::markdown;
use crate::error::DataError;
use crate::load::prose::{Wording, files_worded};
use crate::msg;
use crate::present::chapter::Chapter;
use crate::words::Words;

/// How the chapter's folder words its problems (`data.prose`, ids of areas and programmes).
const WORDING: Wording = Wording {
    folder: |reason| msg!("chapter_prose.folder", reason),
    not_markdown: || msg!("chapter_prose.not_markdown"),
};

/// Which section a file is the text of.
enum Target {
    Area(usize),
    Programme(usize, usize),
}

/// The section the file `id.md` is the text of, or a problem naming the ids there are.
fn target(chapter: &Chapter, path: &Path, id: &str) -> Result<Target, DataError> {
    let area = chapter.areas.iter().position(|a| a.id == id);
    let programme = chapter.areas.iter().enumerate().find_map(|(a, area)| {
        let p = area.programmes.iter().position(|p| p.id == id)?;
        Some((a, p))
    });
    match (area, programme) {
        (Some(a), None) => Ok(Target::Area(a)),
        (None, Some((a, p))) => Ok(Target::Programme(a, p)),
        (Some(_), Some(_)) => Err(DataError::new(path, msg!("chapter_prose.ambiguous", id))),
        (None, None) => {
            let areas = chapter.areas.iter().map(|a| a.id.as_str());
            let programmes = chapter.areas.iter().flat_map(|a| &a.programmes);
            let ids: Vec<&str> = areas.chain(programmes.map(|p| p.id.as_str())).collect();
            let ids = ids.join(", ");
            Err(DataError::new(
                path,
                msg!("chapter_prose.no_section", id, ids),
            ))
        }
    }
}

/// Reads and converts every file of `folder` and sets it as its area's or programme's text in
/// `chapter`; every problem found otherwise (at `file:line:column` where it has a place). A
/// section without a file keeps no text (the template prints the catalogue's sentence).
pub(crate) fn fill(
    folder: &Path,
    chapter: &mut Chapter,
    words: &Words,
) -> Result<(), Vec<DataError>> {
    let (files, mut problems) = files_worded(folder, &WORDING);
    let mut texts = Vec::new();
    let setting = Setting {
        chapter: &*chapter,
        words,
    };
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = name.strip_suffix(".md").unwrap_or(&name);
        let target = match target(setting.chapter, &path, id) {
            Ok(target) => target,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let text = match crate::input::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                let reason = crate::messages::io_error(&e);
                problems.push(DataError::new(&path, msg!("prose.unreadable", reason)));
                continue;
            }
        };
        let section = match target {
            Target::Area(a) => Section::Area(&setting.chapter.areas[a]),
            Target::Programme(a, p) => Section::Programme(&setting.chapter.areas[a].programmes[p]),
        };
        let resolve = |inner: &str| chapter_placeholder::resolve(inner, section, &setting);
        match markdown::convert(&path, &text, &resolve) {
            Ok(markup) => texts.push((target, markup.whole)),
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (target, text) in texts {
        match target {
            Target::Area(a) => chapter.areas[a].prose = Some(text),
            Target::Programme(a, p) => chapter.areas[a].programmes[p].prose = Some(text),
        }
    }
    Ok(())
}

/// The templates that held the chapter's own text before it was Markdown (`areas/<id>.typ.j2`,
/// `programmes/<id>.typ.j2`, a language's under `nn/` and the like), found among a templates
/// folder's `local` files: the built-in `strategier.typ.j2` reads none of them, so a report
/// made with it would lose their words without a word. Each is refused, saying where its text
/// goes now. A folder with its own `strategier.typ.j2` may still include them, and is left
/// alone.
pub(crate) fn old_templates(
    templates: &Path,
    local: &[crate::builtin::LocalFile],
    config: &crate::config::Config,
) -> Vec<DataError> {
    let built_in_report = config.report.template == "strategier.typ.j2"
        && !local.iter().any(|f| f.name == config.report.template);
    if config.data.is_none() || !built_in_report {
        return Vec::new();
    }
    local
        .iter()
        .filter(|f| f.name.starts_with("areas/") || f.name.starts_with("programmes/"))
        .filter(|f| !f.name.ends_with("/_default.typ.j2"))
        .filter_map(|f| {
            let id = f.name.rsplit('/').next()?.strip_suffix(".typ.j2")?;
            let file = format!("{id}.md");
            let path = templates.join(&f.name);
            Some(DataError::new(
                &path,
                msg!("chapter_prose.old_template", file),
            ))
        })
        .collect()
}
