//! The page previews: after every change the page accepts, the report is laid out again in
//! the kept typst world (the page's one [`Renderer`], as `watch` keeps its own) and only the
//! pages whose look changed are drawn again.
//!
//! A page's PNG is named by a hash of what typst-render draws from it (its frame, bleed and
//! fill, at the previews' resolution): a page that looks as before has the name of a file
//! already drawn and is reused; a file no page names any more is removed. The browser asks
//! for a preview by that name, so it never shows an image of an older page under a new one's
//! address. When the report cannot be laid out, the previews of the last layout stay, marked
//! as out of date, beside the reason.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use typst::layout::{Frame, FrameItem};

use super::PREVIEWS;
use crate::pipeline::{Error, Renderer};

/// The previews' resolution: a page 794 pixels wide at 96, 397 at 48.
const PREVIEW_PPI: u32 = 48;
/// The length of a preview's name: a 128-bit hash in hexadecimal.
const NAME_LEN: usize = 32;

/// The previews of the last layout that succeeded, and how the last refresh went.
#[derive(Default)]
pub(super) struct Previews {
    /// Each page's file name (without `.png`), in page order.
    pages: Vec<String>,
    /// How many of those the last successful refresh drew (the rest it reused).
    drawn: usize,
    /// Why the last refresh could not lay the report out: the pages are older than the
    /// report's files.
    failed: Option<Failure>,
}

/// Why the report could not be laid out.
#[derive(Clone)]
pub(super) enum Failure {
    /// `check`'s problems, which the page lists anyway.
    Problems,
    /// Anything else (a template that typst refuses, a file that cannot be read), in words.
    Other(String),
}

/// What the page shows of the previews.
#[derive(serde::Serialize)]
pub(super) struct Shown {
    /// Each page's number and the name its image is asked for by (`side/<name>.png`).
    pages: Vec<(usize, String)>,
    /// One line on the state of the previews: how many pages were drawn, or why they are out
    /// of date.
    state: Option<String>,
    out_of_date: bool,
    /// The reason the report could not be laid out, when `check`'s problems do not say it.
    reason: Option<String>,
}

impl Previews {
    /// Lays the report out again in `renderer`'s kept world and draws the pages that changed;
    /// on failure the previews stay as they were, marked as out of date.
    pub(super) fn refresh(&mut self, renderer: &mut Renderer) {
        match renderer.lay_out() {
            Ok(typeset) => match draw(&typeset.document) {
                Ok((pages, drawn)) => {
                    *self = Previews {
                        pages,
                        drawn,
                        failed: None,
                    };
                }
                Err(message) => self.failed = Some(Failure::Other(message)),
            },
            Err(Error::Data(_)) => self.failed = Some(Failure::Problems),
            Err(e) => self.failed = Some(Failure::Other(e.to_string())),
        }
    }

    /// The pages' names (for the page) and a line on their state.
    pub(super) fn shown(&self) -> Shown {
        let count = self.pages.len();
        let state = match (&self.failed, count) {
            (None, 0) => None,
            (None, n) if self.drawn == n => Some(crate::msg!("serve.previews_all_drawn", n)),
            (None, n) => Some(crate::msg!("serve.previews_drawn", drawn = self.drawn, n)),
            (Some(_), 0) => Some(crate::msg!("serve.previews_none")),
            (Some(_), _) => Some(crate::msg!("serve.previews_out_of_date")),
        };
        let reason = match &self.failed {
            Some(Failure::Other(message)) => Some(message.clone()),
            _ => None,
        };
        Shown {
            pages: (1..).zip(self.pages.iter().cloned()).collect(),
            state,
            out_of_date: self.failed.is_some(),
            reason,
        }
    }
}

/// The file of the preview named `name`, when `name` is one the previews are given (never a
/// path from the browser).
pub(super) fn path_of(name: &str) -> Option<PathBuf> {
    let valid = name.len() == NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then(|| file_of(name))
}

/// Names every page of `document` by what it looks like, draws (in parallel) those whose
/// file is not there yet and removes the files no page names any more; returns the names in
/// page order and how many were drawn.
fn draw(document: &typst_layout::PagedDocument) -> Result<(Vec<String>, usize), String> {
    let pages = document.pages();
    let names: Vec<String> = pages.iter().map(name).collect();
    let mut wanted = HashSet::new();
    let missing: Vec<(usize, &String)> = names
        .iter()
        .enumerate()
        .filter(|(_, name)| wanted.insert(name.as_str()))
        .filter(|(_, name)| !file_of(name).is_file())
        .collect();
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(PREVIEW_PPI.into()) / 72.0,
        ..Default::default()
    };
    let drawn: Vec<(PathBuf, Vec<u8>)> = missing
        .par_iter()
        .map(|(index, name)| {
            let number = index + 1;
            let png = typst_render::render(&pages[*index], &options)
                .encode_png()
                .map_err(|e| crate::msg!("typeset.cannot_encode_png", number, e))?;
            Ok((file_of(name), png))
        })
        .collect::<Result<_, String>>()?;
    let set: Vec<(PathBuf, &[u8])> = drawn.iter().map(|(p, b)| (p.clone(), &b[..])).collect();
    crate::write::write_set(&set, &unused(&wanted)).map_err(|e| e.to_string())?;
    Ok((names, drawn.len()))
}

/// A page's name: the hash of what typst-render draws of it, at the previews' resolution.
fn name(page: &typst_layout::Page) -> String {
    let drawn = (Drawn(&page.frame), &page.bleed, &page.fill, PREVIEW_PPI);
    format!("{:032x}", typst::utils::hash128(&drawn))
}

/// A frame hashed by what typst-render draws of it. A frame's own hash also covers what is
/// not drawn and changes on every page after any edit: the source spans of glyphs and
/// shapes (the generated main file is numbered anew), the tags and links of the document's
/// structure; with them no page would ever be reused.
struct Drawn<'a>(&'a Frame);

impl Hash for Drawn<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let frame = self.0;
        (frame.size(), frame.kind()).hash(state);
        for (point, item) in frame.items() {
            match item {
                FrameItem::Group(group) => {
                    (0u8, point, &group.transform, &group.clip).hash(state);
                    Drawn(&group.frame).hash(state);
                }
                FrameItem::Text(text) => {
                    (1u8, point, &text.font, text.size, &text.fill, &text.stroke).hash(state);
                    for glyph in &text.glyphs {
                        let placed = (glyph.x_advance, glyph.x_offset, glyph.y_offset);
                        (glyph.id, placed, glyph.y_advance).hash(state);
                    }
                }
                FrameItem::Shape(shape, _span) => (2u8, point, shape).hash(state),
                FrameItem::Image(image, size, _span) => (3u8, point, image, size).hash(state),
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
    }
}

/// The file of a preview's name.
fn file_of(name: &str) -> PathBuf {
    Path::new(PREVIEWS).join(format!("{name}.png"))
}

/// The previews in the folder that no page of the latest layout names.
fn unused(used: &HashSet<&str>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(PREVIEWS) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            let file = entry.file_name();
            file.to_str()
                .and_then(|f| f.strip_suffix(".png"))
                .is_some_and(|name| path_of(name).is_some() && !used.contains(name))
        })
        .map(|entry| entry.path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_name_the_previews_are_given_reaches_a_file() {
        let name = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            path_of(name),
            Some(Path::new(PREVIEWS).join(format!("{name}.png")))
        );
        for refused in [
            "",
            "1",
            "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef0123456789abcdeg",
            "0123456789abcdef0123456789abcdef0",
            "../../../../../../etc/passwd.....",
            "0123456789abcdef/123456789abcdef",
        ] {
            assert_eq!(path_of(refused), None, "{refused}");
        }
    }
}
