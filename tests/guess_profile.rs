//! `budsjett profile EXPORT`: the guessed profile reads the shared real exports to exactly the
//! totals of the hand-written profiles in docs/profiles, small exports in other dialects to
//! hand-computed totals, and an existing profile is never overwritten.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{REPO, stdout};

use common::run_in as budsjett;

/// The lines of the totals table (`  2012   budsjett   18 785 783 240   …`).
fn totals(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| {
            let mut words = line.split_whitespace();
            words
                .next()
                .is_some_and(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
        })
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn guessed(export: &Path, dir: &Path) -> (PathBuf, Output) {
    let profile = dir.join("guessed.toml");
    let output = budsjett(
        &[
            "profile",
            export.to_str().unwrap(),
            "--output",
            profile.to_str().unwrap(),
        ],
        dir,
    );
    (profile, output)
}

#[test]
fn shared_exports_give_the_hand_written_profiles_totals() {
    let repo = Path::new(REPO);
    for name in [
        "bergen-2012-drift",
        "bergen-2012-investering",
        "stavanger-2016-drift",
    ] {
        let export = repo.join("../shared/realdata").join(format!("{name}.csv"));
        assert!(
            export.exists(),
            "../shared/realdata must be beside the repository"
        );
        let dir = tempfile::tempdir().unwrap();
        let (profile, output) = guessed(&export, dir.path());
        let text = stdout(&output);
        assert!(
            output.status.success(),
            "{name}: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(profile.exists());
        assert!(text.contains("No problems found."), "{name}: {text}");
        let hand = budsjett(
            &[
                "check",
                "--profile",
                repo.join(format!("docs/profiles/{name}.toml"))
                    .to_str()
                    .unwrap(),
            ],
            repo,
        );
        assert!(hand.status.success());
        let expected = totals(&stdout(&hand));
        assert!(!expected.is_empty());
        assert_eq!(totals(&text), expected, "{name}");
        // Running `check` on the written file gives the same again.
        let again = budsjett(
            &["check", "--profile", profile.to_str().unwrap()],
            dir.path(),
        );
        assert_eq!(totals(&stdout(&again)), expected, "{name}");
    }
}

#[test]
fn the_guesses_of_the_shared_exports() {
    let repo = Path::new(REPO);
    let read = |name: &str| {
        let dir = tempfile::tempdir().unwrap();
        let export = repo.join("../shared/realdata").join(format!("{name}.csv"));
        let (profile, output) = guessed(&export, dir.path());
        assert!(output.status.success());
        std::fs::read_to_string(profile).unwrap()
    };
    let bergen = read("bergen-2012-investering");
    assert!(
        bergen.contains("version_column = \"versjoner\""),
        "{bergen}"
    );
    assert!(bergen.contains("decimal_mark = \",\""), "{bergen}");
    assert!(bergen.contains("{ column = \"2011-fra-vedt-okonomiplan\", year = 2011 }"));
    assert!(bergen.contains(
        "art = { label = \"Hovedgruppering art\", code = \"kost2a\", \
         text = \"hovedgruppering-art\", chart = \"artsgruppe\" }"
    ));
    assert!(bergen.contains("project = { label = \"Prosjekt\", code = \"prosjekt\""));
    let stavanger = read("stavanger-2016-drift");
    assert!(stavanger.contains("kind = \"long\""));
    assert!(stavanger.contains("amount = \"beloep\""));
    assert!(stavanger.contains("year = 2016"));
    assert!(
        stavanger
            .contains("area = { label = \"Virksomhetsområde\", text = \"virksomhetsomraade\" }")
    );
    assert!(stavanger.contains(
        "art = { label = \"Art\", code = \"art\", text = \"art_tekst\", chart = \"kostra\", kostra = [2, 4] }"
    ));
    assert!(
        stavanger.contains("code = \"tjeneste_nr\", text = \"tjeneste_tekst\", chart = \"kostra\"")
    );
    let drift = read("bergen-2012-drift");
    assert!(drift.contains("area = { label = \"Tjenesteområde\", code = \"tjomr\""));
    assert!(drift.contains("change_group = { label = \"Endrgr\", code = \"endrgr\""));
    assert!(!drift.contains("art = {"));
}

/// Windows-1252, long, a year column, positive amounts with an Inntekt/Utgift column,
/// KOSTRA arts and funksjoner of three digits, header words in bokmål.
#[test]
fn a_long_windows_1252_export_with_a_sign_column() {
    let text = "År;Ansvar;Ansvar tekst;Kontoart;Kontoart tekst;Funksjon;Funksjon tekst;Type;Beløp\n\
                2023;1100;Rådmann;010;Lønn;120;Administrasjon;Utgift;1 500 000\n\
                2023;1100;Rådmann;110;Kontormateriell;120;Administrasjon;Utgift;250 000,50\n\
                2023;1200;Skole;700;Refusjon fra staten;202;Grunnskole;Inntekt;1 000 000\n\
                2023;1200;Skole;810;Skatt;202;Grunnskole;Inntekt;750 000,50\n\
                2024;1100;Rådmann;010;Lønn;120;Administrasjon;Utgift;1 600 000\n\
                2024;1200;Skole;810;Skatt;202;Grunnskole;Inntekt;1 600 000\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("regnskap.csv");
    std::fs::write(&export, &bytes).unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    let written = std::fs::read_to_string(profile).unwrap();
    assert!(written.contains("convention = \"column\""), "{written}");
    assert!(written.contains("income = [\"Inntekt\"]"));
    assert!(written.contains("year = \"År\""));
    assert!(written.contains("amount = \"Beløp\""));
    assert!(written.contains("version = \"regnskap\""));
    assert!(
        written.contains("chart = \"kostra\", kostra = [1, 3]"),
        "{written}"
    );
    assert!(written.contains("responsibility = { label = \"Ansvar\""));
    // Hand-computed: 2023 expenses 1 500 000 + 250 000,50; income the same, negative.
    assert_eq!(
        totals(&out),
        [
            "2023 regnskap 1 750 000,5 -1 750 000,5 0",
            "2024 regnskap 1 600 000 -1 600 000 0",
        ],
        "{out}"
    );
}

/// UTF-8 with a byte-order mark, tab separated, wide with nynorsk headers.
#[test]
fn a_wide_nynorsk_export() {
    let text = "\u{feff}Tenesteområde\tTeneste\tTenestenamn\tRekneskap 2022\tBudsjett 2023\n\
                Oppvekst\t202\tGrunnskule\t1 000\t1 200\n\
                Oppvekst\t211\tStyrkt tilbod\t300\t350\n\
                Fellesinntekter\t800\tSkatt på inntekt\t-1 300\t-1 550\n";
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("kommune.txt");
    std::fs::write(&export, text).unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    let written = std::fs::read_to_string(profile).unwrap();
    assert!(written.contains("kind = \"wide\""));
    assert!(
        // The nynorsk export's own word (issue 23), not the bokmål "regnskap".
        written.contains("{ column = \"Rekneskap 2022\", year = 2022, version = \"rekneskap\" }")
    );
    assert!(
        written.contains("area = { label = \"Tenesteområde\", text = \"Tenesteområde\" }"),
        "{written}"
    );
    assert!(
        written.contains(
            "service = { label = \"Tenestenamn\", code = \"Teneste\", text = \"Tenestenamn\" }"
        ),
        "{written}"
    );
    assert_eq!(
        totals(&out),
        [
            "2022 rekneskap 1 300 -1 300 0",
            "2023 budsjett 1 550 -1 550 0",
        ],
        "{out}"
    );
}

#[test]
fn an_existing_profile_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("budsjett2024.csv");
    std::fs::write(&export, "tjeneste;beløp\n120;100\n800;-100\n").unwrap();
    let profile = dir.path().join("guessed.toml");
    std::fs::write(&profile, "# mine\n").unwrap();
    let (_, output) = guessed(&export, dir.path());
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("never overwritten"));
    assert_eq!(std::fs::read_to_string(&profile).unwrap(), "# mine\n");
}

#[test]
fn an_export_without_an_amount_column_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("liste2024.csv");
    std::fs::write(&export, "tjeneste;navn\n120;Administrasjon\n202;Skole\n").unwrap();
    let (profile, output) = guessed(&export, dir.path());
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("clearly the amount column"));
    assert!(!profile.exists());
}

/// A workbook's second sheet, number cells, two budget columns of one year, thousands.
#[test]
fn a_workbook_sheet_with_two_budgets_of_one_year() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("budsjett.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Forside").unwrap();
    let sheet = workbook.add_worksheet().set_name("Drift").unwrap();
    let headers = [
        "Ansvar",
        "Ansvarsnavn",
        "Regnskap 2022",
        "Oppr. budsjett 2023",
        "Rev. budsjett 2023",
        "Merknad (i 1000 kr)",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let rows: [(&str, &str, f64, f64, f64); 3] = [
        ("1100", "Rådmann", 900.0, 1000.5, 1100.0),
        ("1200", "Skole", 400.0, 500.0, 450.0),
        ("8000", "Skatt og rammetilskudd", -1300.0, -1500.5, -1550.0),
    ];
    for (r, (code, name, a, b, c)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *code).unwrap();
        sheet.write_string(r, 1, *name).unwrap();
        sheet.write_number(r, 2, *a).unwrap();
        sheet.write_number(r, 3, *b).unwrap();
        sheet.write_number(r, 4, *c).unwrap();
        sheet.write_string(r, 5, "").unwrap();
    }
    workbook.save(&export).unwrap();
    let profile = dir.path().join("p.toml");
    let output = budsjett(
        &[
            "profile",
            export.to_str().unwrap(),
            "--sheet",
            "Drift",
            "--output",
            profile.to_str().unwrap(),
        ],
        dir.path(),
    );
    let out = stdout(&output);
    assert!(
        output.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(&profile).unwrap();
    assert!(written.contains("sheet = \"Drift\""));
    assert!(written.contains("unit = \"1000 kr\""), "{written}");
    assert!(
        written.contains("version = \"oppr. budsjett\""),
        "{written}"
    );
    assert!(written.contains("responsibility = { label = \"Ansvarsnavn\", code = \"Ansvar\""));
    // Hand-computed, in kroner (the unit is 1000 kr).
    assert_eq!(
        totals(&out),
        [
            "2022 regnskap 1 300 000 -1 300 000 0",
            "2023 oppr. budsjett 1 500 500 -1 500 500 0",
            "2023 rev. budsjett 1 550 000 -1 550 000 0",
        ],
        "{out}"
    );
}

/// A name column before its code column, an accounts column named only "Regnskap", the
/// year in a "Periode" column.
#[test]
fn a_name_before_its_code_and_an_accounts_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("eks.csv");
    std::fs::write(
        &export,
        "Periode;Ansvarsnavn;Ansvar;Funksjon;Regnskap\n\
         2023;Rådmann;1100;120;1 000\n\
         2023;Skole;1200;202;500\n\
         2023;Skatt;1900;800;-1 500\n",
    )
    .unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    let written = std::fs::read_to_string(profile).unwrap();
    assert!(written.contains("year = \"Periode\""));
    assert!(written.contains("amount = \"Regnskap\""));
    assert!(written.contains("version = \"regnskap\""));
    assert!(written.contains(
        "responsibility = { label = \"Ansvarsnavn\", code = \"Ansvar\", text = \"Ansvarsnavn\" }"
    ));
    assert_eq!(totals(&out), ["2023 regnskap 1 500 -1 500 0"]);
}

/// A second amount column before a name column is not the names' codes: a dimension's code
/// is never a negative number (the page's browser test showed `justert` guessed as the
/// project codes beside `prosjekt`'s names).
#[test]
fn a_second_amount_column_is_not_a_dimensions_codes() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("eks.csv");
    std::fs::write(
        &export,
        "aar;tjeneste;belop;justert;prosjekt\n\
         2025;201;1000;2000;Skolebygg\n\
         2025;241;-1000;-2700;Drift\n\
         2025;241;250;300;Drift\n",
    )
    .unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    let written = std::fs::read_to_string(profile).unwrap();
    assert!(written.contains("amount = \"belop\""), "{written}");
    assert!(
        !written.contains("code = \"justert\""),
        "an amount column taken as codes: {written}"
    );
    assert!(
        written.contains("project = { label = \"Prosjekt\", text = \"prosjekt\" }"),
        "{written}"
    );
    assert_eq!(
        totals(&out),
        ["2025 budsjett 1 250 -1 000 250 (not in balance)"],
        "{out}"
    );
}

/// Sums beyond what a decimal holds: a problem in plain words, never a panic.
#[test]
fn amounts_too_large_to_sum_are_a_problem_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("big.csv");
    std::fs::write(
        &export,
        "aar;art;beloep\n\
         2024;100;50000000000000000000000000000\n\
         2024;700;-50000000000000000000000000000\n\
         2024;100;50000000000000000000000000000\n\
         2024;100;-1\n",
    )
    .unwrap();
    let (_, output) = guessed(&export, dir.path());
    let out = stdout(&output);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.contains("too large to compute exactly"), "{out}");
}

/// A column of version names (not named "versjon") holds each row's version: budget and
/// accounts of one year are never added together.
#[test]
fn a_column_of_version_names_is_the_version_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("eks.csv");
    std::fs::write(
        &export,
        "aar;Type;Tjeneste;Tjenestenavn;Beløp\n\
         2024;Regnskap;120;Administrasjon;1 000\n\
         2024;Regnskap;800;Skatt;-1 000\n\
         2024;Opprinnelig budsjett;120;Administrasjon;1 100\n\
         2024;Opprinnelig budsjett;800;Skatt;-1 100\n",
    )
    .unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let out = stdout(&output);
    assert!(output.status.success(), "{out}");
    let written = std::fs::read_to_string(profile).unwrap();
    assert!(written.contains("version_column = \"Type\""), "{written}");
    assert_eq!(
        totals(&out),
        [
            "2024 Regnskap 1 000 -1 000 0",
            "2024 Opprinnelig budsjett 1 100 -1 100 0",
        ],
        "{out}"
    );
}

/// Title rows above the header: refused with the row where the header seems to be.
#[test]
fn title_rows_above_the_header_are_refused_with_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("budsjett2024.csv");
    std::fs::write(
        &export,
        "Budsjett 2024;;\n;;\ntjeneste;navn;beløp\n120;Administrasjon;100\n800;Skatt;-100\n",
    )
    .unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        err.contains("in row 3, expected the header in the first row"),
        "{err}"
    );
    assert!(!profile.exists());
}

// issue 22, inputs (rule 7): an export without its header line is not guessed with its first
// data row as the header.
#[test]
fn a_first_row_of_data_is_refused_as_a_header() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("budsjett2024.csv");
    std::fs::write(
        &export,
        "120;Administrasjon;86452804\n800;Skatt;-86452804\n",
    )
    .unwrap();
    let (profile, output) = guessed(&export, dir.path());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        err.contains("the first row looks like data, not a header: column 1 is \"120\""),
        "{err}"
    );
    assert!(!profile.exists());
}
