//! Comparing two versions of a budget, and a budget against its accounts, from a small export
//! whose every figure was worked out by hand (a group present in one version only included).

mod common;

use std::path::{Path, PathBuf};

use common::pdf_text;

/// area;service;version;amount, all in 2024.
const LINES: &[(&str, &str, &str, i64)] = &[
    ("1;Oppvekst", "202;Skole", "budsjett", 1_000_000),
    ("1;Oppvekst", "201;Barnehage", "budsjett", 600_000),
    ("2;Helse", "253;Sykehjem", "budsjett", 2_000_000),
    ("3;Kultur", "370;Bibliotek", "budsjett", 100_000),
    ("9;Finans", "800;Skatt", "budsjett", -3_700_000),
    ("1;Oppvekst", "202;Skole", "regnskap", 1_100_000),
    ("1;Oppvekst", "201;Barnehage", "regnskap", 550_000),
    ("2;Helse", "253;Sykehjem", "regnskap", 2_000_400),
    ("9;Finans", "800;Skatt", "regnskap", -3_600_000),
    ("1;Oppvekst", "202;Skole", "forslag", 1_200_000),
    ("1;Oppvekst", "201;Barnehage", "forslag", 600_000),
    ("2;Helse", "253;Sykehjem", "forslag", 1_900_000),
    ("9;Finans", "800;Skatt", "forslag", -3_700_000),
];

fn render(compare: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("omr;omr_tekst;tjeneste;tjeneste_tekst;versjon;aar;belop\n");
    for (area, service, version, amount) in LINES {
        csv.push_str(&format!("{area};{service};{version};2024;{amount}\n"));
    }
    std::fs::write(dir.path().join("export.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("profile.toml"),
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = \"aar\"\nversion_column = \"versjon\"\n[dimensions]\n\
         area = { code = \"omr\", text = \"omr_tekst\" }\n\
         service = { code = \"tjeneste\", text = \"tjeneste_tekst\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        format!(
            "[report]\nname = \"sammenligning\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Budsjett 2024\"\ntitle = \"Sammenligning\"\ndate = 2024-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2024]\n[budget]\n\
             sources = [\"profile.toml\"]\nversion = \"budsjett\"\ngroup_by = \"area\"\n\
             detail_by = \"service\"\ncompare = {compare}\n"
        ),
    )
    .unwrap();
    let output = common::budsjett()
        .args(["render", "--config"])
        .arg(dir.path().join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = dir.path().join("sammenligning.pdf");
    (dir, pdf)
}

/// The cells of the first printed row that starts with `label`.
fn row(text: &str, label: &str) -> Vec<String> {
    common::table_rows(text, label)
        .into_iter()
        .next()
        .unwrap_or_default()
}

#[test]
fn two_versions_side_by_side_with_the_change() {
    let (_dir, pdf) = render(
        "[{ version = \"budsjett\", label = \"Vedtatt\" }, { version = \"forslag\", label = \"Forslag\" }]",
    );
    let text = pdf_text(&pdf);
    // Hand: Oppvekst 1 600 000 → 1 800 000 (+200 000, 12,5 %); Helse 2 000 000 → 1 900 000
    // (−100 000, −5,0 %); Kultur only in the adopted budget: 100 000 → 0 (−100 %); Finans
    // unchanged; the sums 0 → 0 have no percentage.
    assert!(text.contains("Fra Vedtatt til Forslag"), "{text}");
    assert_eq!(
        row(&text, "1 Oppvekst"),
        ["1 600 000", "1 800 000", "200 000", "12,5 %"]
    );
    assert_eq!(
        row(&text, "2 Helse"),
        ["2 000 000", "1 900 000", "−100 000", "−5,0 %"]
    );
    assert_eq!(
        row(&text, "3 Kultur"),
        ["100 000", "0", "−100 000", "−100,0 %"]
    );
    assert_eq!(
        row(&text, "9 Finans"),
        ["−3 700 000", "−3 700 000", "0", "0,0 %"]
    );
    assert_eq!(row(&text, "Sum"), ["0", "0", "0", "–"]);
    // Details, and the largest change up (Skole +200 000) listed with the same figures.
    assert_eq!(
        row(&text, "202 Skole"),
        ["1 000 000", "1 200 000", "200 000", "20,0 %"]
    );
    assert_eq!(
        row(&text, "1 Oppvekst / 202 Skole"),
        ["1 000 000", "1 200 000", "200 000", "20,0 %"]
    );
}

#[test]
fn budget_against_accounts_reads_overspending_the_municipal_way() {
    // The accounts named first: the budget is still the first column.
    let (_dir, pdf) = render("[\"regnskap\", \"budsjett\"]");
    let text = pdf_text(&pdf);
    assert!(text.contains("Budsjett og regnskap"), "{text}");
    // Hand: avvik = budget − accounts; forbruk = accounts / budget.
    // Oppvekst 1 600 000 / 1 650 000: −50 000 (merforbruk), 103,1 %.
    assert_eq!(
        row(&text, "1 Oppvekst"),
        ["1 600 000", "1 650 000", "−50 000", "103,1 %"]
    );
    // Helse 2 000 000 / 2 000 400: −400, 100,0 %.
    assert_eq!(
        row(&text, "2 Helse"),
        ["2 000 000", "2 000 400", "−400", "100,0 %"]
    );
    // Kultur has no accounts: 100 000 unspent, 0,0 %.
    assert_eq!(row(&text, "3 Kultur"), ["100 000", "0", "100 000", "0,0 %"]);
    // Finans: income −3 700 000 budgeted, −3 600 000 received: −100 000 (mindreinntekt), 97,3 %.
    assert_eq!(
        row(&text, "9 Finans"),
        ["−3 700 000", "−3 600 000", "−100 000", "97,3 %"]
    );
    assert_eq!(row(&text, "Sum"), ["0", "50 400", "−50 400", "–"]);
    // Barnehage 600 000 budgeted, 550 000 spent: 50 000 less, 91,7 %.
    assert_eq!(
        row(&text, "201 Barnehage"),
        ["600 000", "550 000", "50 000", "91,7 %"]
    );
}

#[test]
fn groups_follow_a_configured_order() {
    // Finans and Helse first as listed (by code and by name), the others after by code.
    let (_dir, pdf) = render("[\"budsjett\", \"forslag\"]\ngroup_order = [\"9\", \"Helse\"]");
    let text = pdf_text(&pdf);
    let at = |label: &str| text.find(&format!("{label}  ")).unwrap_or(usize::MAX);
    let order = [
        at("9 Finans"),
        at("2 Helse"),
        at("1 Oppvekst"),
        at("3 Kultur"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn explain_traces_a_compared_versions_figure() {
    let (dir, _pdf) = render(
        "[{ version = \"budsjett\", label = \"Vedtatt\" }, { version = \"forslag\", label = \"Forslag\" }]",
    );
    let output = common::budsjett()
        .args(["explain", "--config"])
        .arg(dir.path().join("report.toml"))
        .args(["--group", "Oppvekst", "--version", "forslag"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Hand: Skole 1 200 000 + Barnehage 600 000 in the proposal.
    assert!(out.contains("2 linjer, nøyaktig sum 1 800 000 kr"), "{out}");
    assert!(
        out.contains("skrevet ut: 1 800 000 i «Sammenligning per"),
        "{out}"
    );
}
