//! A nynorsk report is nynorsk: every nynorsk PDF the project makes (the sample chapter, a
//! budget report of two parts with § 5-4 to § 5-7, and its sector extracts) is read back out
//! of the PDF and holds none of a list of common bokmål word forms as a whole word. The
//! fixtures' own data words are neutral or nynorsk, so every word checked comes from the
//! project: the catalogue, the templates, the chapter's text and the statutory tables' names.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Scratch, files_in, pdf_text, stderr};

/// Bokmål forms whose nynorsk form differs (nynorsk in brackets where it helps the reader).
/// Left out on purpose: "mellom" and "gjennom", which are nynorsk as well as bokmål.
const BOKMAL: &[&str] = &[
    "ikke",          // ikkje
    "fra",           // frå
    "mer",           // meir
    "en",            // ein
    "et",            // eit
    "de",            // dei
    "noen",          // nokon
    "noe",           // noko
    "mye",           // mykje
    "hjem",          // heim
    "hjemmet",       // heimen
    "hva",           // kva
    "hvor",          // kvar
    "hvordan",       // korleis
    "hvis",          // viss
    "hver",          // kvar
    "hvert",         // kvart
    "hvilke",        // kva for
    "disse",         // desse
    "deres",         // deira
    "dem",           // dei
    "selv",          // sjølv
    "uten",          // utan
    "bare",          // berre
    "hele",          // heile
    "ble",           // vart, blei
    "vært",          // vore
    "være",          // vere
    "bedre",         // betre
    "sammen",        // saman
    "mens",          // medan
    "tjeneste",      // teneste
    "tjenester",     // tenester
    "tjenestene",    // tenestene
    "tilskudd",      // tilskot
    "avskrivninger", // avskrivingar
    "avsetninger",   // avsetjingar
    "overføringer",  // overføringar
    "bevilgninger",  // løyvingar
    "tidligere",     // tidlegare
    "senere",        // seinare
    "fremført",      // framført
    "merforbruk",    // meirforbruk
    "regnskap",      // rekneskap
    "foreslått",     // føreslått
    "innhold",       // innhald
    "summene",       // summane
    "tallene",       // tala
    "tall",          // tal
    "innbyggere",    // innbyggjarar
    "kommunens",     // til kommunen
    "skoler",        // skular
];

/// The bokmål forms in `text`, each with how often it occurs as a whole word (any case); a
/// word broken at a line end by a hyphen is joined first.
fn bokmal_forms(text: &str) -> BTreeMap<&'static str, usize> {
    let mut joined = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("-\n") {
        let (before, after) = rest.split_at(at);
        joined.push_str(before);
        let after = after[2..].trim_start_matches(' ');
        if !after.starts_with(char::is_lowercase) {
            joined.push_str("-\n");
        }
        rest = after;
    }
    joined.push_str(rest);
    let mut found = BTreeMap::new();
    for word in joined.split(|c: char| !c.is_alphanumeric()) {
        let word = word.to_lowercase();
        if let Some(form) = BOKMAL.iter().find(|f| **f == word) {
            *found.entry(*form).or_default() += 1;
        }
    }
    found
}

fn assert_nynorsk(pdf: &Path) {
    let found = bokmal_forms(&pdf_text(pdf));
    assert!(
        found.is_empty(),
        "bokmål forms in {}: {found:?}",
        pdf.display()
    );
}

#[test]
fn the_check_finds_bokmal_forms_as_whole_words_only() {
    let found = bokmal_forms("Ikke en fra-\nsetning; tjenester, tje-\nnester. Ein heim, Fram.");
    assert_eq!(
        found,
        BTreeMap::from([("en", 1), ("ikke", 1), ("tjenester", 2)])
    );
}

#[test]
fn the_nynorsk_sample_chapter_is_nynorsk() {
    let scratch = Scratch::new();
    let output = common::budsjett()
        .args(["render", "--quiet", "--config"])
        .arg(scratch.data("report-nn.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(scratch.output())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = scratch.output().join("strategiar-og-tiltak.pdf");
    let text = common::flat(&pdf_text(&pdf));
    // The chapter's own text is the nynorsk one, not the bokmål fallback.
    assert!(text.contains("Berekraftsmål nummer 11 frå FN"), "{text}");
    assert_nynorsk(&pdf);
}

/// A balanced drift budget (2024–2025) with a transfer of 150 000 kr to investering and an
/// avdrag of 100 000 kr a year, an investment budget paid by loans and that transfer, and a
/// debt file: every statutory overview (§ 5-4 to § 5-7) and the transfer check print.
const DRIFT: &[(&str, &str, &str, i32, i64)] = &[
    ("1;Oppvekst", "10100", "202", 2024, 1_234_400),
    ("1;Oppvekst", "17000", "202", 2024, -200_000),
    ("2;Helse", "10100", "254", 2024, 2_345_600),
    ("2;Helse", "16000", "254", 2024, -345_000),
    ("2;Helse", "15900", "254", 2024, 100_000),
    ("9;Finans", "18000", "840", 2024, -2_500_000),
    ("9;Finans", "18700", "800", 2024, -1_000_000),
    ("9;Finans", "19900", "860", 2024, -100_000),
    ("9;Finans", "15000", "870", 2024, 65_000),
    ("9;Finans", "15400", "880", 2024, 150_000),
    ("9;Finans", "15700", "880", 2024, 150_000),
    ("9;Finans", "15100", "870", 2024, 100_000),
    ("1;Oppvekst", "10100", "202", 2025, 1_300_000),
    ("1;Oppvekst", "17000", "202", 2025, -200_000),
    ("2;Helse", "10100", "254", 2025, 2_400_000),
    ("2;Helse", "16000", "254", 2025, -350_000),
    ("2;Helse", "15900", "254", 2025, 100_000),
    ("9;Finans", "18000", "840", 2025, -2_600_000),
    ("9;Finans", "18700", "800", 2025, -1_050_000),
    ("9;Finans", "19900", "860", 2025, -100_000),
    ("9;Finans", "15000", "870", 2025, 70_000),
    ("9;Finans", "15400", "880", 2025, 180_000),
    ("9;Finans", "15700", "880", 2025, 150_000),
    ("9;Finans", "15100", "870", 2025, 100_000),
];

const INVESTERING: &[(&str, &str, &str, i32, i64)] = &[
    ("1;Oppvekst", "30100", "222", 2024, 1_000_000),
    ("9;Finans", "39100", "870", 2024, -850_000),
    ("9;Finans", "39700", "880", 2024, -150_000),
    ("1;Oppvekst", "30100", "222", 2025, 1_000_000),
    ("9;Finans", "39100", "870", 2025, -850_000),
    ("9;Finans", "39700", "880", 2025, -150_000),
];

const DEBT: &str = "year;kind;opening;borrowing;repayment;closing;text
2024;investering;5 000 000;850 000;100 000;5 750 000;
2025;investering;5 750 000;850 000;100 000;;
2024;videreutlan;300 000;0;0;;
2025;videreutlan;300 000;0;0;300 000;
2025;garanti;;;;2 000 000;Sjølvskuldnargaranti for Prøve hamn KF
";

/// Writes the nynorsk budget report with its two exports, profiles and debt file into `dir`.
fn write_budget_report(dir: &Path) {
    for (part, lines) in [("drift", DRIFT), ("investering", INVESTERING)] {
        std::fs::write(
            dir.join(format!("{part}.csv")),
            common::kostra_export(lines),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("{part}.toml")),
            common::kostra_profile(&format!("{part}.csv"), part),
        )
        .unwrap();
    }
    std::fs::write(dir.join("gjeld.csv"), DEBT).unwrap();
    let kostra = Path::new(common::REPO).join("data/kostra");
    std::fs::write(
        dir.join("report.toml"),
        format!(
            "[report]\nname = \"budsjett\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Budsjett 2024\"\ntitle = \"Budsjett\"\ndate = 2024-01-01\n\
             template = \"budsjett.typ.j2\"\nlanguage = \"nn\"\n[period]\nplan = [2024, 2025]\n\
             [budget]\nsources = [\"drift.toml\", \"investering.toml\"]\n\
             version = \"budsjett\"\ngroup_by = \"area\"\nstatutory = {:?}\n\
             debt = \"gjeld.csv\"\n",
            kostra.display().to_string()
        ),
    )
    .unwrap();
}

fn render(dir: &Path, output: &Path, extra: &[&str]) {
    let result = common::budsjett()
        .args(["render", "--quiet", "--config"])
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
}

#[test]
fn a_nynorsk_budget_report_with_every_statutory_overview_is_nynorsk() {
    let dir = tempfile::tempdir().unwrap();
    write_budget_report(dir.path());
    let output = dir.path().join("output");
    render(dir.path(), &output, &[]);
    let pdf = output.join("budsjett.pdf");
    let text = common::flat(&pdf_text(&pdf));
    // The statutory rows by their nynorsk names, each part's, and the debt table printed.
    for row in [
        "7. Avskrivingar",
        "23. Framført til inndekning i seinare år (meirforbruk)",
        "5. Andre overføringar og tilskot frå staten",
        "20. Overføring frå drift",
        "25. Framført til inndekning i seinare år (udekt beløp)",
        "Sjølvskuldnargaranti for Prøve hamn KF",
    ] {
        assert!(text.contains(row), "no {row:?} in {text}");
    }
    assert_nynorsk(&pdf);
}

#[test]
fn a_nynorsk_detail_listing_is_nynorsk() {
    let dir = tempfile::tempdir().unwrap();
    write_budget_report(dir.path());
    let config = dir.path().join("report.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("budsjett.typ.j2", "linjer.typ.j2")).unwrap();
    let output = dir.path().join("output");
    render(dir.path(), &output, &[]);
    assert_nynorsk(&output.join("budsjett.pdf"));
}

#[test]
fn nynorsk_sector_extracts_are_nynorsk() {
    let dir = tempfile::tempdir().unwrap();
    write_budget_report(dir.path());
    let output = dir.path().join("output");
    render(dir.path(), &output, &["--each", "area"]);
    let pdfs: Vec<String> = files_in(&output)
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    assert!(pdfs.len() >= 3, "one PDF per area, found {pdfs:?}");
    for pdf in pdfs {
        assert_nynorsk(&output.join(pdf));
    }
}

/// The nynorsk sample's data (`data/*-nn.csv`) holds the bokmål files' facts: the same rows in
/// the same order with the same ids, years, dates and amounts; only the texts are translated.
#[test]
fn the_nynorsk_samples_data_has_the_same_facts_as_the_bokmal() {
    let data = Path::new(common::REPO).join("data");
    let texts = ["name", "label", "unit", "source"];
    for file in [
        "areas",
        "programmes",
        "phases",
        "amounts",
        "milestones",
        "key_figures",
    ] {
        let read = |name: String| std::fs::read_to_string(data.join(name)).unwrap();
        let (nb, nn) = (read(format!("{file}.csv")), read(format!("{file}-nn.csv")));
        let header: Vec<&str> = nb.lines().next().unwrap().split(';').collect();
        assert_eq!(nn.lines().next(), nb.lines().next(), "{file}: header");
        assert_eq!(nn.lines().count(), nb.lines().count(), "{file}: rows");
        for (b, n) in nb.lines().zip(nn.lines()).skip(1) {
            for ((column, b), n) in header.iter().zip(b.split(';')).zip(n.split(';')) {
                if !texts.contains(column) {
                    assert_eq!(n, b, "{file}: {column} differs");
                }
            }
        }
    }
}
