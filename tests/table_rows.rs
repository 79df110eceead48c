//! Fixed-height table rows: the view model's label widths never fall short of what typst
//! typesets, and a label too wide for its column still wraps onto a row tall enough for it.

mod common;

use std::path::Path;

use budsjett::config::Date;
use budsjett::fonts::text_width;
use typst::layout::{Abs, Frame, FrameItem, Point};

const DATE: Date = Date {
    year: 2024,
    month: 12,
    day: 1,
};

fn typeset(source: String) -> typst_layout::PagedDocument {
    budsjett::typeset::compile(
        source,
        &Path::new(common::REPO).join("templates"),
        "test",
        DATE,
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .document
}

/// A Typst string literal.
fn literal(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Every text run on a page with the position of its baseline start.
fn texts(frame: &Frame, offset: Point, out: &mut Vec<(Point, String)>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => texts(&group.frame, at, out),
            FrameItem::Text(text) => out.push((at, text.text.to_string())),
            _ => {}
        }
    }
}

#[test]
fn estimated_widths_are_never_narrower_than_the_typeset_text() {
    let labels = [
        "Sum",
        "Sum (balanse)",
        "20000 Tjeneste 1.1 skole",
        "Tilrettelagte tjenester for personer med funksjonsnedsettelse",
        "Pleie, rehabilitering og omsorg – hjemmebaserte tjenester",
        "WWWWWWWW MMMMMMMM",
        "iiiiiiiiiiiiiiii",
        "Æøå ÆØÅ «sitat» “quote” ‘x’ — § 5-4 ½ %",
        "office affine fjord ffl",
        "1111111111 0000000000",
        "−1 234 567,8",
    ];
    // Each label is typeset as table text (8 pt, tabular figures), regular and bold, and typst
    // itself checks the estimate: the document fails to compile if a label is wider.
    let mut checks = String::new();
    for label in labels {
        for bold in [false, true] {
            let weight = if bold { "\"bold\"" } else { "\"regular\"" };
            checks.push_str(&format!(
                "#context {{ let w = measure(text(weight: {weight}, {l})).width; \
                 assert(w <= {estimate} / 1000 * 8pt, message: {l} + \": \" + repr(w)) }}\n",
                l = literal(label),
                estimate = text_width(label, bold),
            ));
        }
    }
    let source = format!(
        "#set text(font: {}, size: 8pt, number-width: \"tabular\", hyphenate: false)\n{checks}",
        literal(budsjett::fonts::TABLE_FAMILY)
    );
    typeset(source);
}

#[test]
fn a_label_too_wide_for_its_column_wraps_onto_a_taller_row() {
    let long = "Tilrettelagte tjenester for personer med funksjonsnedsettelse og andre";
    let rows = ["Kort", long, "Neste"];
    let widths: Vec<String> = rows
        .iter()
        .map(|l| text_width(l, false).to_string())
        .collect();
    // A 3 cm label column: the long label needs two or three lines; the others fit on one.
    let source = format!(
        "#import \"style.typ\": *\n#show: setup.with(title: \"T\", author: \"K\", running-title: [T])\n\
         #figures-table(columns: (3cm, 2cm), label-widths: ({}), table.header([Navn], [Beløp]),\n{})\n",
        widths.iter().map(|w| format!("{w}, ")).collect::<String>(),
        rows.iter()
            .map(|l| format!("[{l}], [1 000],\n"))
            .collect::<String>(),
    );
    let document = typeset(source);
    let mut found = Vec::new();
    texts(&document.pages()[0].frame, Point::zero(), &mut found);
    let y_of = |word: &str| {
        found
            .iter()
            .find(|(_, t)| t.contains(word))
            .map(|(p, _)| p.y)
            .unwrap_or_else(|| panic!("{word:?} not on the page: {found:?}"))
    };
    let (kort, first_line, last_line, neste) = (
        y_of("Kort"),
        y_of("Tilrettelagte"),
        y_of("andre"),
        y_of("Neste"),
    );
    // One-line rows are 0.66 em + 7.2 pt = 12.48 pt apart (baseline to baseline).
    let row = Abs::pt(0.66 * 8.0 + 7.2);
    assert!(
        (first_line - kort - row).abs() < Abs::pt(0.1),
        "{kort:?} {first_line:?}"
    );
    assert!(last_line > first_line, "the long label wraps: {found:?}");
    // The row after the wrapped label starts a whole row below its last line, not on it.
    assert!(
        (neste - last_line - row).abs() < Abs::pt(0.1),
        "{last_line:?} {neste:?}"
    );
}
