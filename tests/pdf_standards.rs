//! The PDF is one a municipality may publish and archive, as real PDF tools see it:
//! qpdf finds no errors, every font is embedded, the file is tagged and claims PDF/A-2a and
//! PDF/UA-1 in its XMP metadata, charts carry alternative text, table headers are tagged.

mod common;

use std::process::Command;

use common::{Scratch, stderr};

fn tool(name: &str, args: &[&str], pdf: &std::path::Path) -> String {
    let output = Command::new(name)
        .args(args)
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("{name} must be installed (.ci/run installs it): {e}"));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        stderr(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn rendered() -> Scratch {
    let scratch = Scratch::new();
    scratch.render_ok();
    scratch
}

/// The sample report and a whole-budget report (Bergen's operating budget), both rendered.
fn both_reports() -> (Scratch, Vec<std::path::PathBuf>) {
    let scratch = rendered();
    let repo = std::path::Path::new(common::REPO);
    let output = scratch.dir.path().join("budget");
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(repo.join("docs/reports/bergen-2012-drift.toml"))
        .arg("--templates")
        .arg(repo.join("templates"))
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let pdfs = vec![scratch.pdf(), output.join("bergen-2012-drift.pdf")];
    (scratch, pdfs)
}

#[test]
fn qpdf_finds_no_errors() {
    let scratch = rendered();
    let report = tool("qpdf", &["--check"], &scratch.pdf());
    assert!(
        report.contains("No syntax or stream encoding errors found"),
        "{report}"
    );
}

#[test]
fn every_font_is_embedded_and_subset() {
    let (_scratch, pdfs) = both_reports();
    for pdf in pdfs {
        fonts_embedded(&pdf);
    }
}

fn fonts_embedded(pdf: &std::path::Path) {
    let fonts = tool("pdffonts", &[], pdf);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{fonts}");
    for row in rows {
        // Columns: name type encoding emb sub uni object ID — read from the right.
        let columns: Vec<&str> = row.split_whitespace().collect();
        let n = columns.len();
        assert_eq!(
            &columns[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "font not embedded/subset: {row}"
        );
    }
}

#[test]
fn tagged_titled_and_claims_pdf_a_2a_and_pdf_ua_1() {
    let scratch = rendered();
    let info = tool("pdfinfo", &[], &scratch.pdf());
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("PDF version:     1.7"), "{info}");
    assert!(
        info.contains(
            "Title:           Strategier og tiltak – Handlings- og økonomiplan 2023–2026"
        )
    );
    assert!(info.contains("Author:          Trondheim kommune"));
    // The document date from the configuration, not the clock.
    assert!(
        info.contains("CreationDate:    Tue Nov  1 00:00:00 2022 UTC"),
        "{info}"
    );

    let (_both, pdfs) = both_reports();
    for pdf in pdfs {
        let info = tool("pdfinfo", &[], &pdf);
        assert!(info.contains("Tagged:          yes"), "{info}");
        let xmp = tool("pdfinfo", &["-meta"], &pdf);
        assert!(
            xmp.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>")
        );
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(
            xmp.contains("<dc:language><rdf:Bag><rdf:li>nb-NO</rdf:li></rdf:Bag></dc:language>")
        );
    }
}

/// Decodes the PDF text strings (`<feff…>` hex, UTF-16BE) that follow `key` in a PDF whose
/// objects qpdf has uncompressed.
fn text_strings(pdf: &[u8], key: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices(&format!("{key} <"))
        .filter_map(|(at, m)| {
            let hex = &text[at + m.len()..];
            let hex = &hex[..hex.find('>')?];
            let bytes: Vec<u8> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
                .collect();
            let units: Vec<u16> = bytes
                .chunks(2)
                .skip(1)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        })
        .collect()
}

#[test]
fn charts_have_alternative_text_from_the_data_and_tables_have_header_cells() {
    let scratch = rendered();
    let plain = scratch.dir.path().join("plain.pdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(scratch.pdf())
        .arg(&plain)
        .status()
        .expect("qpdf");
    assert!(status.success());
    let bytes = std::fs::read(&plain).unwrap();
    let alts = text_strings(&bytes, "/Alt");
    assert!(
        alts.iter()
            .any(|a| a.starts_with("Tidslinje 2018–2031 for 11 programmer")
                && a.contains("Lademoen: forprosjekt 2021–2022, gjennomføring 2023–2031")),
        "{alts:?}"
    );
    // The bar chart would repeat the table exactly (one programme, 20 mill. kr each year): it
    // is left out, and so is its alternative text.
    assert!(
        !alts.iter().any(|a| a.starts_with("Søylediagram")),
        "{alts:?}"
    );
    let text = String::from_utf8_lossy(&bytes);
    // Three tables (two of money, the colophon's list of files), each with a header row of
    // header cells for its columns: 6 + 4 + 3. (Typst groups rows into THead and TBody only
    // in a table without row headers.)
    assert_eq!(text.matches("/S /Table").count(), 3);
    assert_eq!(text.matches("/Scope /Column").count(), 13);
    // Row labels are row headers: one body row and the total of table 1, one row of table 2.
    assert_eq!(text.matches("/Scope /Row").count(), 3);
}

/// Issue 24: the tags say what the page shows. The title is the document's title, not a
/// paragraph; every box of facts (the title page's and the sample's eleven programmes') is a
/// list of labelled items, not loose spans; the code snippets of the colophon (`sha256sum`,
/// `budsjett check`) carry the report's language, not English.
#[test]
fn the_title_fact_boxes_and_code_are_tagged_for_what_they_are() {
    let (scratch, pdfs) = both_reports();
    for (i, pdf) in pdfs.iter().enumerate() {
        let plain = scratch.dir.path().join(format!("plain-{i}.pdf"));
        let status = Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(pdf)
            .arg(&plain)
            .status()
            .expect("qpdf");
        assert!(status.success());
        let text = String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).into_owned();
        assert_eq!(text.matches("/S /Title").count(), 1, "{}", pdf.display());
        assert!(text.matches("/S /Code").count() >= 3, "{}", pdf.display());
        assert!(!text.contains("/Lang (en"), "{}", pdf.display());
        assert!(!text.contains("/Lang(en"), "{}", pdf.display());
    }
    let text =
        String::from_utf8_lossy(&std::fs::read(scratch.dir.path().join("plain-0.pdf")).unwrap())
            .into_owned();
    // Hand: the title page's facts, one box for each of the eleven programmes, and the one
    // bulleted list of the sample's prose: 13 lists; every fact a labelled item.
    assert_eq!(
        text.matches("/S /L\n").count() + text.matches("/S /L\r").count(),
        13
    );
}

#[test]
fn png_previews_of_chosen_pages() {
    let scratch = Scratch::new();
    let output = scratch.render(&["--format", "png", "--pages", "1,3-4"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(scratch.output())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "strategier-og-tiltak-1.png",
            "strategier-og-tiltak-3.png",
            "strategier-og-tiltak-4.png"
        ]
    );
    let png = std::fs::read(scratch.output().join("strategier-og-tiltak-1.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn an_impossible_standard_combination_is_a_clear_error() {
    let scratch = Scratch::new();
    let output = scratch.render(&["--pdf-standard", "a-4,ua-1"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("cannot be combined"), "{message}");
    assert!(!scratch.pdf().exists());
}
