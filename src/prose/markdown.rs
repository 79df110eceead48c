//! CommonMark to Typst markup. Structure (paragraphs, headings, lists, emphasis, links,
//! tables, quotes, code) becomes Typst functions; every character of the text goes through
//! [`escape_markup`] or into a string literal, so no text can become Typst or template code.
//! Raw HTML and images are refused, not printed: a tag on paper helps no reader, and an
//! image would be a file outside the report's inputs.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use super::placeholder::Printed;
use crate::error::DataError;
use crate::msg;
use crate::template::{escape_markup, string_literal};

/// One file's markup: as the whole report prints it and as the group's extract prints it.
pub(super) struct Markup {
    pub(super) whole: String,
    pub(super) extract: String,
}

/// What a placeholder prints, from the text between its braces, or a message saying what
/// is wrong with it: each report's prose has its own vocabulary.
pub(super) type Resolve<'a> = dyn Fn(&str) -> Result<Printed, String> + 'a;

/// What the converter has written so far, and the problems found.
struct Writer<'a> {
    path: &'a Path,
    source: &'a str,
    resolve: &'a Resolve<'a>,
    out: Markup,
    problems: Vec<DataError>,
}

impl Writer<'_> {
    fn push(&mut self, markup: &str) {
        self.out.whole.push_str(markup);
        self.out.extract.push_str(markup);
    }

    /// A problem at byte `at` of the file.
    fn problem(&mut self, at: usize, message: String) {
        let before = &self.source[..at.min(self.source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count();
        self.problems.push(
            DataError::new(self.path, message)
                .at_line(line as u64)
                .at_column(column, ""),
        );
    }

    /// Text: escaped, its placeholders resolved, its characters checked like a data cell's.
    fn text(&mut self, text: &str, at: usize) {
        if let Some((offset, message)) = first_unprintable(text) {
            self.problem(at + offset, message);
        }
        let mut rest = text;
        let mut offset = 0;
        while let Some(open) = rest.find("{{") {
            self.push(&escape_markup(&rest[..open]));
            let Some(close) = rest[open..].find("}}") else {
                let found = &rest[open..];
                self.problem(at + offset + open, msg!("prose.unclosed", found));
                return;
            };
            let inner = &rest[open + 2..open + close];
            match (self.resolve)(inner) {
                Ok(printed) => {
                    self.out.whole.push_str(&printed.whole);
                    self.out.extract.push_str(&printed.extract);
                }
                Err(message) => self.problem(at + offset + open, message),
            }
            offset += open + close + 2;
            rest = &rest[open + close + 2..];
        }
        self.push(&escape_markup(rest));
    }

    fn start(&mut self, tag: Tag<'_>, at: usize) {
        match tag {
            Tag::Paragraph | Tag::TableRow => {}
            Tag::Heading { level, .. } => {
                self.push(&format!("{} ", "=".repeat(level as usize)));
            }
            Tag::BlockQuote(_) => self.push("#quote(block: true)["),
            Tag::List(None) => self.push("#list("),
            Tag::List(Some(first)) => self.push(&format!("#enum(start: {first}, ")),
            Tag::Item | Tag::TableCell => self.push("["),
            Tag::Table(aligns) => {
                // The report's style sets tables tight for figures; prose tables get room
                // and a thin rule under each row.
                self.push(&format!(
                    "#table(columns: {}, inset: (x: 4pt, y: 4pt), stroke: (bottom: 0.4pt + luma(160)), ",
                    aligns.len().max(1)
                ));
            }
            Tag::TableHead => self.push("table.header("),
            Tag::Emphasis => self.push("#emph["),
            Tag::Strong => self.push("#strong["),
            Tag::Strikethrough => self.push("#strike["),
            // A link with no destination (`[text]()`) is its text: Typst links need a URL.
            Tag::Link { dest_url, .. } if dest_url.trim().is_empty() => self.push("#["),
            Tag::Link { dest_url, .. } => {
                self.push(&format!("#link({})[", string_literal(&dest_url)));
            }
            Tag::Image { dest_url, .. } => {
                let url = dest_url.to_string();
                self.problem(at, msg!("prose.image", url));
            }
            Tag::HtmlBlock => self.problem(at, msg!("prose.html")),
            _ => self.problem(at, msg!("prose.unsupported")),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.push("\n\n"),
            TagEnd::BlockQuote(_) | TagEnd::Emphasis | TagEnd::Strong => self.push("]"),
            TagEnd::Strikethrough | TagEnd::Link => self.push("]"),
            TagEnd::CodeBlock => self.push(")\n\n"),
            TagEnd::List(_) | TagEnd::Table => self.push(")\n\n"),
            TagEnd::Item | TagEnd::TableCell => self.push("], "),
            TagEnd::TableHead => self.push("), "),
            _ => {}
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>, code: &mut Option<String>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                self.push("#raw(block: true, ");
                *code = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                let text = code.take().unwrap_or_default();
                self.push(&string_literal(&text));
                self.end(TagEnd::CodeBlock);
            }
            Event::Text(text) if code.is_some() => {
                if let Some(code) = code.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::Start(tag) => self.start(tag, range.start),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text, range.start),
            Event::Code(text) => self.push(&format!("#raw({})", string_literal(&text))),
            Event::Html(_) | Event::InlineHtml(_) => self.problem(range.start, msg!("prose.html")),
            Event::SoftBreak => self.push(" "),
            Event::HardBreak => self.push("#linebreak()"),
            // not a message: Typst markup
            Event::Rule => self.push("#line(length: 100%)\n\n"),
            _ => self.problem(range.start, msg!("prose.unsupported")),
        }
    }
}

/// The byte offset and message of the first character of `text` the report cannot print,
/// checked as a data cell is. A paragraph is no cell and may be longer than one, so it is
/// checked in pieces of a cell's length.
fn first_unprintable(text: &str) -> Option<(usize, String)> {
    let mut start = 0;
    while start < text.len() {
        let piece = &text[start..];
        let end = piece
            .char_indices()
            .nth(crate::text::MAX_TEXT_CHARS / 2)
            .map_or(text.len(), |(i, _)| start + i);
        if let Err(bad) = crate::text::check_printable(&text[start..end]) {
            let offset = piece.char_indices().nth(bad.at - 1).map_or(0, |(i, _)| i);
            return Some((start + offset, bad.message()));
        }
        start = end;
    }
    None
}

/// Converts the Markdown `text` of `path` to Typst markup, its placeholders printed by
/// `resolve`, or every problem found in it.
pub(super) fn convert(
    path: &Path,
    text: &str,
    resolve: &Resolve<'_>,
) -> Result<Markup, Vec<DataError>> {
    // A byte order mark is what Windows editors put first; it is not text.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut writer = Writer {
        path,
        source: body,
        resolve,
        out: Markup {
            whole: String::new(),
            extract: String::new(),
        },
        problems: Vec::new(),
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut code = None;
    for (event, range) in
        TextMergeWithOffset::new(Parser::new_ext(body, options).into_offset_iter())
    {
        writer.event(event, range, &mut code);
    }
    if writer.problems.is_empty() {
        Ok(writer.out)
    } else {
        Err(writer.problems)
    }
}
