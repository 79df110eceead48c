//! Issue 24, item 8: the widths of narrow tables (one or two figure columns). Tables of one
//! kind have one width in a report, whether or not they break across pages, and a narrow
//! table widens before its labels wrap while the line has room. Read back from the PDF of
//! Bergen's operating budget 2012, whose change bridge prints one two-column table per plan
//! year (four tables headed "Endringsgruppe"; two of them break across a page).

mod common;

use std::path::Path;
use std::process::Command;

use common::{pdf_text, stderr};

/// The left edge (points) of every word `word` in the PDF, as poppler reads it.
fn left_edges(pdf: &Path, word: &str) -> Vec<String> {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    let xml = String::from_utf8_lossy(&output.stdout).into_owned();
    xml.lines()
        .filter(|l| l.ends_with(&format!(">{word}</word>")))
        .filter_map(|l| {
            let at = l.find("xMin=\"")? + 6;
            Some(l[at..at + l[at..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn tables_of_one_kind_have_one_width_and_labels_do_not_wrap_while_the_line_has_room() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(common::REPO);
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(repo.join("docs/reports/bergen-2012-drift.toml"))
        .arg("--templates")
        .arg(repo.join("templates"))
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let pdf = dir.path().join("bergen-2012-drift.pdf");
    // The head of the first column starts every table at its left edge; a table that breaks
    // repeats it on the next page. Before, the tables that broke were narrower (their width
    // was a share of their caption's).
    let edges = left_edges(&pdf, "Endringsgruppe");
    assert!(edges.len() >= 4, "{edges:?}");
    assert!(edges.iter().all(|e| *e == edges[0]), "{edges:?}");
    // The longest label of the bridge, whole on one line in each year's table (it wrapped
    // after "og" in two of the four).
    let text = pdf_text(&pdf);
    let label = "N01 Generell lønns- og prisstigning og inntektskrav";
    assert_eq!(text.matches(label).count(), 4, "{text}");
}
