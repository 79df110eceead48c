//! Typeset: compiles the generated Typst source into a PDF with the embedded `typst` crate.
//!
//! Owns the [`World`] typst compiles in: the templates folder is the sandbox root, with the
//! built-in templates serving every file it does not have ([`crate::builtin`]; nothing
//! outside it can be read; a symbolic link inside it could still point out, so the folder is
//! trusted), the generated main file lives in memory, fonts are the ones embedded in the
//! binary (no system fonts), `datetime.today()` is the configured document date, and package
//! imports are refused because nothing may come from the network. Same input, same bytes.

use std::fmt;
use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::files::{FileLoader, FileStore, FsRoot};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::Date;
use crate::fonts;

mod edit;

/// Where the generated main file appears inside the templates folder.
const MAIN_PATH: &str = "/main.typ";

/// What the PDF must conform to.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    pub standards: Vec<PdfStandard>,
    pub tagged: bool,
}

impl Default for PdfSettings {
    fn default() -> Self {
        Self {
            standards: vec![PdfStandard::A_2a, PdfStandard::Ua_1],
            tagged: true,
        }
    }
}

/// A compile or export failure, with each diagnostic located in its file.
#[derive(Debug, Clone)]
pub struct TypesetError {
    pub template: String,
    pub(crate) diagnostics: Vec<String>,
}

/// How many diagnostics an error shows; one mistake in a loop can repeat hundreds of times.
const SHOWN_DIAGNOSTICS: usize = 10;

impl fmt::Display for TypesetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let template = &self.template;
        write!(f, "{}", crate::msg!("typeset.failed", template))?;
        for diagnostic in self.diagnostics.iter().take(SHOWN_DIAGNOSTICS) {
            write!(f, "\n  {diagnostic}")?;
        }
        if self.diagnostics.len() > SHOWN_DIAGNOSTICS {
            let count = self.diagnostics.len() - SHOWN_DIAGNOSTICS;
            write!(f, "\n  {}", crate::msg!("typeset.and_more", count))?;
        }
        Ok(())
    }
}

impl std::error::Error for TypesetError {}

/// A typeset document, ready for export.
pub struct Typeset {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
}

/// Compiles `source` (the rendered template `template`) with `templates` as its root.
pub fn compile(
    source: String,
    templates: &Path,
    template: &str,
    date: Date,
) -> Result<Typeset, TypesetError> {
    Session::default().compile(source, templates, template, date)
}

/// A typst world kept between compiles (for `watch`): the generated main file is brought up
/// to date in place ([`edit::MainSource::update`]: spans kept where they can be) and the
/// template files are re-read, so that typst's incremental compilation (comemo) reuses
/// everything an edit did not touch.
#[derive(Default)]
pub(crate) struct Session {
    world: Option<ReportWorld>,
    /// Nothing is compiled again in this process (`render`): the world and what typst
    /// memoized are released as soon as the document is laid out, before PDF export, which
    /// lowers the peak.
    once: bool,
}

impl Session {
    /// A session for one compile in a process that compiles nothing else.
    pub(crate) fn once() -> Session {
        Session {
            world: None,
            once: true,
        }
    }

    /// Compiles like [`compile`], in the kept world when it has the same templates folder.
    pub(crate) fn compile(
        &mut self,
        source: String,
        templates: &Path,
        template: &str,
        date: Date,
    ) -> Result<Typeset, TypesetError> {
        let world = match self.world.take() {
            Some(mut world) if world.root == templates => {
                world.main_source.update(source);
                world.today = Datetime::from_ymd(date.year, date.month, date.day);
                // Every other file is read again on its next use; sources are edited in place.
                world.files.reset();
                world
            }
            _ => ReportWorld::new(source, templates, date),
        };
        let world = self.world.insert(world);
        // Nothing reuses a once-session's table cells after this compile: without caching
        // each cell's layout, the 10 000-line listing's peak RSS is 24 % lower for about 5 %
        // more CPU (patches/README.md). The output is the same either way.
        let cells = self.once.then(UncachedCells::begin);
        let compiled = compile_in(world, template);
        drop(cells);
        if self.once {
            // The laid-out document holds all that PDF export needs. The world (with the
            // generated source's syntax tree) and the memoized layout of earlier iterations
            // are dead weight: the peak heap of a 200-page listing drops from 464 MB (during
            // PDF export) to 392 MB (at the end of layout; heaptrack). Freeing them takes a
            // while, done beside the export rather than before it. The export's own large
            // blocks get pages of their own from here on.
            let world = self.world.take();
            crate::memory::map_large_blocks();
            std::thread::spawn(move || {
                drop(world);
                typst::comemo::evict(0);
                crate::memory::release_freed_memory();
            });
        }
        compiled
    }
}

/// Table cells laid out without typst's cache of each, until dropped (then as before, also
/// when the compile panics). The switch is process-wide (`typst_layout::memoize_cells`): one-shot
/// compiles take turns through [`ONE_SHOT`], and a kept session compiling meanwhile makes the
/// same PDF either way, only without reusing those cells later. Only `render` compiles once.
struct UncachedCells {
    previous: bool,
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// Held by a one-shot compile while the cells' cache is off.
static ONE_SHOT: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl UncachedCells {
    fn begin() -> UncachedCells {
        let turn = ONE_SHOT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        UncachedCells {
            previous: typst_layout::memoize_cells(false),
            _turn: turn,
        }
    }
}

impl Drop for UncachedCells {
    fn drop(&mut self) {
        typst_layout::memoize_cells(self.previous);
    }
}

fn compile_in(world: &ReportWorld, template: &str) -> Result<Typeset, TypesetError> {
    let warned = typst::compile::<PagedDocument>(world);
    let warnings = warned
        .warnings
        .iter()
        .map(|d| world.describe(d, template))
        .collect();
    match warned.output {
        Ok(document) => Ok(Typeset { document, warnings }),
        Err(errors) => Err(TypesetError {
            template: template.to_string(),
            diagnostics: errors.iter().map(|d| world.describe(d, template)).collect(),
        }),
    }
}

/// Exports a typeset document to PDF bytes.
pub fn export_pdf(
    typeset: &Typeset,
    settings: &PdfSettings,
    name: &str,
    date: Date,
    template: &str,
) -> Result<Vec<u8>, TypesetError> {
    let fail = |diagnostics: Vec<String>| TypesetError {
        template: template.to_string(),
        diagnostics,
    };
    let standards = PdfStandards::new(&settings.standards).map_err(|e| {
        fail(vec![crate::msg!(
            "typeset.standards_clash",
            why = e.message()
        )])
    })?;
    let timestamp = Datetime::from_ymd(date.year, date.month, date.day).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(name.to_string()),
        creator: Smart::Custom(Some(format!("budsjett {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        standards,
        tagged: settings.tagged,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&typeset.document, &options).map_err(|errors| {
        fail(
            errors
                .iter()
                .map(|d| crate::msg!("typeset.pdf_export", message = d.message, hints = hints(d)))
                .collect(),
        )
    })
}

fn hints(diagnostic: &SourceDiagnostic) -> String {
    diagnostic
        .hints
        .iter()
        .map(|h| {
            // typst's command line has a `--root` flag; budsjett has none: its sandbox is the
            // templates folder.
            let hint = if h.v.contains("--root") {
                crate::msg!("typeset.root_hint")
            } else {
                h.v.to_string()
            };
            format!(" ({})", crate::msg!("typeset.hint", hint))
        })
        .collect()
}

/// The longest alternative text a chart keeps, in characters: a PDF string may have at most
/// 32 767 bytes, and a character takes at most 4 of them.
pub(crate) const MAX_ALT_CHARS: usize = 8000;

/// Shortens every alternative text (`alt: "…"` in the generated source) longer than
/// [`MAX_ALT_CHARS`] to that length with "…", so that PDF export cannot fail on it after the
/// whole report is typeset; returns a note for each one shortened.
pub(crate) fn cap_alt_texts(source: &mut String) -> Vec<String> {
    const KEY: &str = "alt: \"";
    let mut notes = Vec::new();
    let mut from = 0;
    while let Some(found) = source[from..].find(KEY) {
        let open = from + found + KEY.len();
        // Walk the string literal: escapes (`\"`, `\\`, `\u{…}`) count as one character.
        let bytes = source.as_bytes();
        let (mut at, mut chars, mut cut) = (open, 0usize, None);
        while at < bytes.len() && bytes[at] != b'"' {
            if chars == MAX_ALT_CHARS - 1 {
                cut = Some(at);
            }
            let width = if bytes[at] == b'\\' {
                // A template may hold a malformed escape; step over whole characters anyway.
                match source[at + 1..].chars().next() {
                    Some('u') => source[at..].find('}').map_or(2, |end| end + 1),
                    Some(c) => 1 + c.len_utf8(),
                    None => 1,
                }
            } else {
                source[at..].chars().next().map_or(1, char::len_utf8)
            };
            at += width;
            chars += 1;
        }
        match cut {
            Some(cut) if chars > MAX_ALT_CHARS => {
                notes.push(crate::msg!(
                    "typeset.alt_text_shortened",
                    chars,
                    most = MAX_ALT_CHARS
                ));
                source.replace_range(cut..at, "…");
                from = cut;
            }
            _ => from = at.min(source.len()),
        }
    }
    notes
}

impl PdfSettings {
    /// Why these settings cannot make a PDF, found before any typesetting: standards that
    /// cannot be combined, or `--no-tags` with a standard that requires tags.
    pub fn problem(&self) -> Option<String> {
        if let Err(e) = PdfStandards::new(&self.standards) {
            return Some(crate::msg!("typeset.pdf_standard_clash", why = e.message()));
        }
        if !self.tagged {
            let needs_tags: Vec<&str> = self
                .standards
                .iter()
                .filter_map(|s| match s {
                    PdfStandard::A_1a => Some("a-1a"),
                    PdfStandard::A_2a => Some("a-2a"),
                    PdfStandard::A_3a => Some("a-3a"),
                    PdfStandard::Ua_1 => Some("ua-1"),
                    _ => None,
                })
                .collect();
            if !needs_tags.is_empty() {
                let standards = needs_tags.join(", ");
                return Some(crate::msg!("typeset.tags_required", standards));
            }
        }
        None
    }
}

/// Starts building, on a thread of its own, what every compile needs and no report changes: the
/// embedded fonts parsed into typst's font book ([`fonts::store`], which the width estimates of
/// the stages before typesetting also read) and typst's standard library; then the messages'
/// catalogue, which a render reads only for what it prints (warnings, "wrote …"). The caller
/// reads, checks and presents the report meanwhile, on the other core; whoever needs one of
/// them first waits for it (they are `OnceLock`s). typst-cli builds the same two before it
/// compiles, in turn (issue 29).
pub fn warm_up() {
    std::thread::spawn(|| {
        fonts::store();
        library();
        crate::messages::catalogue(crate::messages::language());
    });
}

/// Typst's standard library, built once per process (and so hashed once) and shared by every
/// world: `a11y-extras` for `pdf.header-cell`, row labels tagged as row headers.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: std::sync::OnceLock<LazyHash<Library>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| {
        LazyHash::new(
            Library::builder()
                .with_inputs(Dict::new())
                .with_features([typst::Feature::A11yExtras].into_iter().collect())
                .build(),
        )
    })
}

/// Serves the files of the templates folder (the world serves the generated main file).
struct TemplateFiles {
    root: FsRoot,
}

impl FileLoader for TemplateFiles {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        match id.root() {
            // The folder's own files win (only a regular file is read: a named pipe would
            // wait forever); the built-in templates serve the rest.
            VirtualRoot::Project => {
                if let Ok(path) = self.root.resolve(id.vpath())
                    && let Err(e) = crate::input::ensure_file(&path)
                    && e.kind() != std::io::ErrorKind::NotFound
                {
                    return Err(FileError::Other(Some(
                        format!("{}: {e}", path.display()).into(),
                    )));
                }
                match self.root.load(id.vpath()) {
                    Err(FileError::NotFound(path)) => crate::builtin::TEMPLATES
                        .get(id.vpath().get_without_slash())
                        .map(Bytes::new)
                        .ok_or(FileError::NotFound(path)),
                    loaded => loaded,
                }
            }
            VirtualRoot::Package(spec) => Err(FileError::Other(Some(
                crate::msg!("typeset.no_packages", spec).into(),
            ))),
        }
    }
}

struct ReportWorld {
    main: FileId,
    /// The generated main file, parsed, kept between compiles and edited.
    main_source: edit::MainSource,
    files: FileStore<TemplateFiles>,
    root: PathBuf,
    today: Option<Datetime>,
}

impl ReportWorld {
    fn new(source: String, templates: &Path, date: Date) -> Self {
        let main = RootedPath::new(
            VirtualRoot::Project,
            // not a message: a constant path cannot fail
            VirtualPath::new(MAIN_PATH).expect("a constant, valid virtual path"),
        )
        .intern();
        let loader = TemplateFiles {
            root: FsRoot::new(templates.to_path_buf()),
        };
        ReportWorld {
            main,
            main_source: edit::MainSource::new(main, source),
            files: FileStore::new(loader),
            root: templates.to_path_buf(),
            today: Datetime::from_ymd(date.year, date.month, date.day),
        }
    }

    /// `file:line:column: message`, naming the template for the generated main file.
    fn describe(&self, diagnostic: &SourceDiagnostic, template: &str) -> String {
        let severity = match diagnostic.severity {
            Severity::Error => crate::msg!("typeset.error"),
            Severity::Warning => crate::msg!("typeset.warning"),
        };
        let place = diagnostic.span.id().and_then(|id| {
            let source = self.source(id).ok()?;
            let range = self.range(diagnostic.span)?;
            let (line, column) = source.lines().byte_to_line_column(range.start)?;
            let text = source
                .text()
                .lines()
                .nth(line)
                .unwrap_or_default()
                .trim()
                .to_string();
            let file = if id == self.main {
                // The generated file exists only in memory; `render --keep-source` writes it
                // with a finished report.
                let template = self.root.join(template);
                crate::msg!("typeset.generated_main", template = template.display())
            } else {
                self.root
                    .join(id.vpath().get_without_slash())
                    .display()
                    .to_string()
            };
            Some((format!("{file}:{}:{}", line + 1, column + 1), text))
        });
        match place {
            Some((place, text)) => {
                format!(
                    "{place}: {severity}: {}{}\n    | {text}",
                    diagnostic.message,
                    hints(diagnostic)
                )
            }
            None => format!("{severity}: {}{}", diagnostic.message, hints(diagnostic)),
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        fonts::store().book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            return Ok(self.main_source.source().clone());
        }
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            let text = self.main_source.source().text();
            return Ok(Bytes::from_string(text.to_string()));
        }
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts::store().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Renders the chosen pages (1-based inclusive ranges; all when empty) to PNG images.
pub(crate) fn export_png(
    typeset: &Typeset,
    ppi: u32,
    ranges: &[(usize, usize)],
) -> Vec<(usize, Result<Vec<u8>, String>)> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppi.into()) / 72.0,
        ..Default::default()
    };
    typeset
        .document
        .pages()
        .iter()
        .enumerate()
        .map(|(index, page)| (index + 1, page))
        .filter(|(number, _)| {
            ranges.is_empty()
                || ranges
                    .iter()
                    .any(|(from, to)| (from..=to).contains(&number))
        })
        .map(|(number, page)| {
            let png = typst_render::render(page, &options)
                .encode_png()
                .map_err(|e| crate::msg!("typeset.cannot_encode_png", number, e));
            (number, png)
        })
        .collect()
}

#[cfg(test)]
mod alt_tests {
    use super::*;

    #[test]
    fn long_alternative_texts_are_shortened_and_short_ones_kept() {
        let long = "å\\\\\\\"".repeat(MAX_ALT_CHARS); // å, \\ and \": 3 characters
        let mut source = format!("#chart(alt: \"kort\")\n#chart(alt: \"{long}\", x: 1)\n");
        let notes = cap_alt_texts(&mut source);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(source.starts_with("#chart(alt: \"kort\")\n#chart(alt: \""));
        assert!(
            source.ends_with("…\", x: 1)\n"),
            "{}",
            &source[source.len() - 20..]
        );
        let kept = source.split("alt: \"").nth(2).unwrap();
        // MAX_ALT_CHARS − 1 characters and "…": "å", "\\", "\"" repeated, cut after a whole one.
        assert_eq!(kept.matches('å').count(), MAX_ALT_CHARS.div_ceil(3));
        assert!(cap_alt_texts(&mut source).is_empty());
        // A malformed escape or an unclosed literal in a template does not panic.
        for odd in ["alt: \"\\é", "alt: \"\\", "alt: \"abc", "alt: \"\\u{41"] {
            let mut source = odd.to_string();
            assert!(cap_alt_texts(&mut source).is_empty(), "{odd}");
        }
    }
}

#[cfg(test)]
mod once_tests {
    use super::*;

    /// A once-session lays table cells out without typst's cache of each cell
    /// (`typst_layout::memoize_cells`); the PDF must be the one a kept session makes.
    #[test]
    fn a_one_shot_compile_makes_the_same_pdf_as_a_kept_session() {
        let source = r#"#set page(height: 10cm)
#grid(columns: 2, [Rutenett], [to celler])
#table(
  columns: 3,
  table.header([Konto], [Tekst], [Beløp]),
  table.cell(rowspan: 2)[Samlet], [Første], [1 000],
  [Andre], [2 000],
  ..range(90).map(i => ([#(1000 + i)], [Linje #i], [#(i * 1250)])).flatten(),
)
"#;
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let date = Date {
            year: 2024,
            month: 1,
            day: 1,
        };
        let settings = PdfSettings {
            standards: Vec::new(),
            tagged: true,
        };
        let pdf = |mut session: Session| {
            let typeset = session
                .compile(source.to_string(), &templates, "main.typ", date)
                .unwrap();
            let pages = typeset.document.pages().len();
            let pdf = export_pdf(&typeset, &settings, "cells", date, "main.typ").unwrap();
            (pages, pdf)
        };
        // The kept session first and the cache emptied after it, so that the one-shot
        // compile reuses nothing of it and lays every cell out itself.
        // No one-shot compile of another test turns the cache off meanwhile.
        let turn = ONE_SHOT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (kept_pages, kept) = pdf(Session::default());
        drop(turn);
        typst::comemo::evict(0);
        let (once_pages, once) = pdf(Session::once());
        // 93 rows of about 0.65 cm on pages with 8 cm for text: the header repeats on each.
        assert!(once_pages >= 5, "{once_pages} pages");
        assert_eq!(once_pages, kept_pages);
        assert!(once == kept, "the one-shot compile's PDF differs");
    }
}
