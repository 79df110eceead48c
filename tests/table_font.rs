//! The font tables print in is the font their label widths are measured in.
//!
//! `templates/style.typ`'s `figures-table` sets `table-font`; `src/fonts.rs` measures labels
//! in `TABLE_FAMILY` to decide which rows surely fit on one line. This test typesets a table
//! with the real style and the real typesetter, in a document whose own font is another,
//! and reads the fonts the PDF embeds back with `pdffonts`: each must be a face of the
//! measured family.

use std::path::Path;
use std::process::Command;

use budsjett::config::Date;
use budsjett::fonts;
use budsjett::typeset::{self, PdfSettings};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The PostScript family of a font name as pdffonts prints it:
/// `IAOJTF+LibertinusSerif-Regular-Identity-H` → `LibertinusSerif`.
fn family(name: &str) -> &str {
    let name = name.split_once('+').map_or(name, |(_, rest)| rest);
    name.split('-').next().unwrap_or(name)
}

#[test]
fn a_typeset_table_prints_in_the_family_its_labels_are_measured_in() {
    let measured = fonts::measured_faces();
    assert_eq!(
        measured.len(),
        2,
        "src/fonts.rs: TABLE_FAMILY {:?} has no regular and bold face among the embedded fonts",
        fonts::TABLE_FAMILY
    );
    let measured_family = family(&measured[0]).to_string();

    // Only a table, in a document set in another font: what the PDF embeds is what the
    // table prints in, regular and bold.
    let source = r#"#import "style.typ": *
#set text(font: "DejaVu Sans Mono")
#figures-table(
  columns: (1fr, auto),
  [Helse og omsorg], [1 234],
  [Oppvekst og kunnskap], [−567],
  strong[Sum], strong[667],
)
"#
    .to_string();
    let templates = Path::new(REPO).join("templates");
    let date = Date {
        year: 2024,
        month: 1,
        day: 1,
    };
    let typeset = typeset::compile(source, &templates, "table.typ", date).unwrap();
    let settings = PdfSettings {
        standards: Vec::new(),
        tagged: true,
    };
    let pdf = typeset::export_pdf(&typeset, &settings, "table", date, "table.typ").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("table.pdf");
    std::fs::write(&file, pdf).unwrap();

    let output = Command::new("pdffonts")
        .arg(&file)
        .output()
        .expect("pdffonts (poppler-utils) must be installed: .ci/run installs it");
    assert!(output.status.success());
    let listing = String::from_utf8(output.stdout).unwrap();
    let used: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        used.len() >= 2,
        "the table should print regular and bold text:\n{listing}"
    );
    for name in &used {
        assert_eq!(
            family(name),
            measured_family,
            "a table prints in {name}, but src/fonts.rs measures its labels in {:?} ({}): \
             change TABLE_FAMILY in src/fonts.rs to the family that `table-font` in \
             templates/style.typ names, or set table-font back to {:?}\n{listing}",
            fonts::TABLE_FAMILY,
            measured.join(", "),
            fonts::TABLE_FAMILY,
        );
    }
}
