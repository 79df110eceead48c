//! The worked example in `docs/reports/eksempel-okonomiplan.toml`: an invented municipality's
//! whole budget (drift and investering by KOSTRA art and funksjon, § 5-7's debt file with a
//! population, SSB's KOSTRA files of the accounts two years before the plan). `check` finds no
//! problem, and the rendered PDF prints the figures recomputed here from the raw exports with
//! separate, simple code (split on ';', drop the spaces, add whole kroner).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{pdf_text, stderr, stdout, table_rows};

const PLAN: [i32; 4] = [2027, 2028, 2029, 2030];

fn example() -> PathBuf {
    Path::new(common::REPO).join("docs/reports/eksempel-okonomiplan.toml")
}

fn folder() -> PathBuf {
    Path::new(common::REPO).join("docs/reports/eksempel-okonomiplan")
}

/// Renders the worked example into `output` and returns its text.
fn render(output: &Path) -> String {
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(example())
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    pdf_text(&output.join("eksempel-okonomiplan.pdf"))
}

/// Per tjenesteområde ("1 Oppvekst og utdanning") the net of each plan year in kroner, from
/// an export of the example (`tjomr;tjomr_tekst;art;art_tekst;funksjon;funksjon_tekst;aar;belop`).
fn net_per_area(export: &str) -> BTreeMap<String, [i64; 4]> {
    let text = std::fs::read_to_string(folder().join(export)).unwrap();
    let mut areas: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        let year: i32 = cells[6].parse().unwrap();
        let amount: i64 = cells[7].replace(' ', "").parse().unwrap();
        let index = PLAN.iter().position(|&y| y == year).unwrap();
        areas
            .entry(format!("{} {}", cells[0], cells[1]))
            .or_default()[index] += amount;
    }
    areas
}

/// A printed whole figure: digit groups with spaces, U+2212 for minus.
fn figure(cell: &str) -> i64 {
    cell.replace(' ', "")
        .replace('\u{2212}', "-")
        .parse()
        .unwrap_or_else(|_| panic!("not a figure: {cell:?}"))
}

/// Kroner in 1 000 kr, halves away from zero.
fn thousands(kroner: i64) -> i64 {
    kroner.signum() * ((kroner.abs() + 500) / 1000)
}

#[test]
fn the_worked_example_checks_clean() {
    let output = common::budsjett()
        .args(["check", "--config"])
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("No problems found."), "{out}");
    // Both parts balance in every plan year, and SSB's two files are read as KOSTRA files.
    for part in ["drift", "investering"] {
        assert!(
            out.contains(&format!(
                "{part}: balance 2027: 0 kr, 2028: 0 kr, 2029: 0 kr, 2030: 0 kr"
            )),
            "{out}"
        );
    }
    assert!(
        out.contains("(KOSTRA skjema 0A, 2025, region 469900"),
        "{out}"
    );
    assert!(
        out.contains("(KOSTRA skjema 0B, 2025, region 469900"),
        "{out}"
    );
}

#[test]
fn the_worked_example_prints_the_net_per_area_of_its_exports() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    for (export, caption) in [
        (
            "drift.csv",
            "Drift: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
        (
            "investering.csv",
            "Investering: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
    ] {
        // The table under its caption, to its sum row.
        let start = text.find(caption).unwrap_or_else(|| panic!("{caption}"));
        let end = start + text[start..].find("Sum (balanse)").unwrap();
        let table = &text[start..end];
        let areas = net_per_area(export);
        let mut sums = [0i64; 4];
        for (area, nets) in &areas {
            // The net table of the part: the four years, the change and its percent. Footing
            // by largest remainder moves a figure by at most one unit.
            let row = table_rows(table, area)
                .into_iter()
                .find(|r| r.len() == 6)
                .unwrap_or_else(|| panic!("{export}: no net row for {area}"));
            for (i, net) in nets.iter().enumerate() {
                let printed = figure(&row[i]);
                assert!(
                    (printed - thousands(*net)).abs() <= 1,
                    "{export}: {area} {}: {row:?}, {net}",
                    PLAN[i]
                );
                sums[i] += printed;
            }
        }
        // A balanced budget: each year's printed column foots to 0.
        assert_eq!(sums, [0; 4], "{export}");
    }
    // The drift's 2027 figures worked out by hand from drift.csv: Kultur og samfunn is
    // 4 577 850 + 6 103 800 + 5 086 500 = 15 768 150 kr, printed 15 768.
    let kultur = table_rows(&text, "4 Kultur og samfunn");
    assert!(kultur.iter().any(|r| r[0] == "15 768"), "{kultur:?}");
}
