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
    let lines: Vec<Line> = LINES
        .iter()
        .map(|&(area, service, version, amount)| (area, service, version, 2024, amount))
        .collect();
    render_lines(&lines, compare)
}

/// area;service;version;year;amount.
type Line = (&'static str, &'static str, &'static str, i32, i64);

/// Writes an export of `lines`, its profile and a report (plan 2024, version budsjett,
/// grouped by area, detailed by service) comparing `compare`; returns the folder.
fn write_report(lines: &[Line], compare: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("omr;omr_tekst;tjeneste;tjeneste_tekst;versjon;aar;belop\n");
    for (area, service, version, year, amount) in lines {
        csv.push_str(&format!("{area};{service};{version};{year};{amount}\n"));
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
    dir
}

/// Renders a report of `lines` comparing `compare`; returns the folder and the PDF.
fn render_lines(lines: &[Line], compare: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = write_report(lines, compare);
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

/// What `budsjett check` prints for the report in `dir`, and whether it passed.
fn check(dir: &Path) -> (bool, String) {
    let output = common::budsjett()
        .args(["check", "--config"])
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .output()
        .unwrap();
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
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
    // Finans: income −3 700 000 budgeted, −3 600 000 received: −100 000 (mindreinntekt); no
    // consumption of an income, so Forbruk is a dash (issue 23).
    assert_eq!(
        row(&text, "9 Finans"),
        ["−3 700 000", "−3 600 000", "−100 000", "–"]
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

/// Service 202 is "Grunnskole" in the adopted budget and "Skole" in the proposal (issue 23):
/// 146 516 kr adopted, 136 516 kr proposed; each version balances.
const RENAMED: &[Line] = &[
    ("1;Oppvekst", "202;Grunnskole", "budsjett", 2024, 146_516),
    ("1;Oppvekst", "201;Barnehage", "budsjett", 2024, 100_000),
    ("9;Finans", "800;Skatt", "budsjett", 2024, -246_516),
    ("1;Oppvekst", "202;Skole", "forslag", 2024, 136_516),
    ("1;Oppvekst", "201;Barnehage", "forslag", 2024, 100_000),
    ("9;Finans", "800;Skatt", "forslag", 2024, -236_516),
];

/// The adopted budget against the proposal, as `compare` names them.
const ADOPTED_AND_PROPOSED: &str = "[{ version = \"budsjett\", label = \"Vedtatt\" }, { version = \"forslag\", label = \"Forslag\" }]";

/// The text with every run of white space made one space (pdftotext breaks long notes).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_detail_renamed_between_versions_is_one_row_by_its_code() {
    // Issue 23: service 202 is "Grunnskole" in the adopted budget and "Skole" in the proposal.
    let (_dir, pdf) = render_lines(RENAMED, ADOPTED_AND_PROPOSED);
    let text = pdf_text(&pdf);
    // Hand: 146 516 → 136 516 is −10 000, −10 000 / 146 516 = −6,825 % → −6,8 %; one row, named
    // as the newer side (the proposal) names it, not −146 516 and +136 516 at ±100 %.
    assert_eq!(
        row(&text, "202 Skole"),
        ["146 516", "136 516", "−10 000", "−6,8 %"]
    );
    // The old name is no comparison row (the budget's own table of details, one column, still
    // prints the adopted budget's name).
    assert_eq!(
        common::table_rows(&text, "202 Grunnskole"),
        [["146 516"]],
        "{text}"
    );
    // The note under the table names the other name.
    assert!(flat(&text).contains("202 Skole (Grunnskole)"), "{text}");
    // The group's sum is unchanged by the keying: 246 516 → 236 516.
    assert_eq!(
        row(&text, "1 Oppvekst"),
        ["246 516", "236 516", "−10 000", "−4,1 %"]
    );
}

#[test]
fn the_largest_deviations_are_ordered_by_the_printed_column_and_say_their_direction() {
    // Issue 23: ordered by accounts − budget, the first "increase" read −483 077.
    let lines: &[Line] = &[
        ("1;Oppvekst", "202;Skole", "budsjett", 2024, 1_000_000),
        ("1;Oppvekst", "201;Barnehage", "budsjett", 2024, 600_000),
        ("2;Helse", "253;Sykehjem", "budsjett", 2024, 2_000_000),
        ("9;Finans", "800;Skatt", "budsjett", 2024, -3_600_000),
        ("1;Oppvekst", "202;Skole", "regnskap", 2024, 1_483_077),
        ("1;Oppvekst", "201;Barnehage", "regnskap", 2024, 500_000),
        ("2;Helse", "253;Sykehjem", "regnskap", 2024, 1_970_000),
        ("9;Finans", "800;Skatt", "regnskap", 2024, -3_750_000),
    ];
    let (_dir, pdf) = render_lines(lines, "[\"budsjett\", \"regnskap\"]");
    let text = pdf_text(&pdf);
    // Hand, avvik = budget − accounts: Skatt −3 600 000 − (−3 750 000) = 150 000, Barnehage
    // 100 000, Sykehjem 30 000 (positive, largest first); Skole −483 077 (negative).
    let at = |label: &str| {
        text.find(&format!("{label}  "))
            .unwrap_or_else(|| panic!("{label} not printed: {text}"))
    };
    assert_eq!(
        row(&text, "9 Finans / 800 Skatt"),
        ["−3 600 000", "−3 750 000", "150 000", "–"]
    );
    assert_eq!(
        row(&text, "1 Oppvekst / 202 Skole"),
        ["1 000 000", "1 483 077", "−483 077", "148,3 %"]
    );
    let order = [
        at("9 Finans / 800 Skatt"),
        at("1 Oppvekst / 201 Barnehage"),
        at("2 Helse / 253 Sykehjem"),
        at("1 Oppvekst / 202 Skole"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{text}");
    // Each list says its direction.
    let flat = flat(&text);
    assert!(
        flat.contains("De største positive avvikene per tjeneste (mindreforbruk eller merinntekt)"),
        "{flat}"
    );
    assert!(
        flat.contains("De største negative avvikene per tjeneste (merforbruk eller mindreinntekt)"),
        "{flat}"
    );
}

#[test]
fn budget_and_accounts_of_two_years_are_a_change_between_the_years() {
    // Issue 23: Regnskap 2023 | Budsjett 2024, named in either order, reads from 2023 to 2024
    // as a change, never as mindreforbruk or Forbruk %; check warns.
    let lines: &[Line] = &[
        ("1;Oppvekst", "202;Skole", "regnskap", 2023, 1_500_000),
        ("9;Finans", "800;Skatt", "regnskap", 2023, -1_500_000),
        ("1;Oppvekst", "202;Skole", "budsjett", 2024, 1_600_000),
        ("9;Finans", "800;Skatt", "budsjett", 2024, -1_600_000),
    ];
    let compare = "[{ version = \"budsjett\", year = 2024, label = \"Budsjett 2024\" }, \
                   { version = \"regnskap\", year = 2023, label = \"Regnskap 2023\" }]";
    let (dir, pdf) = render_lines(lines, compare);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Fra Regnskap 2023 til Budsjett 2024"),
        "{text}"
    );
    // Hand: 1 500 000 → 1 600 000 is +100 000, 100 000 / 1 500 000 = 6,67 % → 6,7 %.
    assert_eq!(
        row(&text, "1 Oppvekst"),
        ["1 500 000", "1 600 000", "100 000", "6,7 %"]
    );
    for deviation_word in ["Budsjett og regnskap", "Forbruk", "Mindreforbruk", "Avvik"] {
        assert!(!text.contains(deviation_word), "{deviation_word}: {text}");
    }
    assert!(
        flat(&text).contains("Regnskap 2023 gjelder 2023 og Budsjett 2024 gjelder 2024"),
        "{text}"
    );
    let (passed, out) = check(dir.path());
    assert!(passed, "{out}");
    assert!(
        out.contains(
            "warning: budget.compare: \"Budsjett 2024\" is of 2024 and \"Regnskap 2023\" of 2023"
        ),
        "{out}"
    );
}

#[test]
fn a_group_in_one_version_only_is_listed_by_check() {
    // Kultur has lines in the adopted budget only.
    let dir = write_report(
        &LINES
            .iter()
            .map(|&(area, service, version, amount)| (area, service, version, 2024, amount))
            .collect::<Vec<_>>(),
        "[\"budsjett\", \"forslag\"]",
    );
    let (passed, out) = check(dir.path());
    assert!(passed, "{out}");
    assert!(
        out.contains("warning: budget.compare: 1 group with lines only in \"budsjett\""),
        "{out}"
    );
    assert!(
        out.contains("(a group named two ways?): 3 Kultur\n"),
        "{out}"
    );
}

#[test]
fn a_group_whose_net_is_zero_but_whose_lines_are_not_is_shown() {
    // hide_zero_rows leaves out groups whose every line is zero (README), not those whose lines
    // net to zero: Næring (+50 000 and −50 000 in both versions) is a row; Tomt (0) is not.
    let lines: &[Line] = &[
        ("1;Oppvekst", "202;Skole", "budsjett", 2024, 1_000_000),
        ("5;Næring", "500;Utvikling", "budsjett", 2024, 50_000),
        ("5;Næring", "501;Gebyr", "budsjett", 2024, -50_000),
        ("6;Tomt", "600;Tomt", "budsjett", 2024, 0),
        ("9;Finans", "800;Skatt", "budsjett", 2024, -1_000_000),
        ("1;Oppvekst", "202;Skole", "forslag", 2024, 1_100_000),
        ("5;Næring", "500;Utvikling", "forslag", 2024, 50_000),
        ("5;Næring", "501;Gebyr", "forslag", 2024, -50_000),
        ("6;Tomt", "600;Tomt", "forslag", 2024, 0),
        ("9;Finans", "800;Skatt", "forslag", 2024, -1_100_000),
    ];
    let (_dir, pdf) = render_lines(lines, "[\"budsjett\", \"forslag\"]");
    let text = pdf_text(&pdf);
    assert_eq!(row(&text, "5 Næring"), ["0", "0", "0", "–"]);
    assert_eq!(
        row(&text, "501 Gebyr"),
        ["−50 000", "−50 000", "0", "0,0 %"]
    );
    assert!(common::table_rows(&text, "6 Tomt").is_empty(), "{text}");
}

/// What `budsjett explain` prints for the report in `dir` with `args`; it must succeed.
fn explain(dir: &Path, args: &[&str]) -> String {
    let output = common::budsjett()
        .args(["explain", "--config"])
        .arg(dir.join("report.toml"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The figure an explanation says is printed ("skrevet ut: <figure> i «…»").
fn printed_figure(out: &str) -> &str {
    let line = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("skrevet ut: "))
        .unwrap_or_else(|| panic!("no printed figure: {out}"));
    line.split(" i «").next().unwrap()
}

/// The printed rows labelled `label` that have `cells` cells (a comparison row has four).
fn rows_of(text: &str, label: &str, cells: usize) -> Vec<Vec<String>> {
    common::table_rows(text, label)
        .into_iter()
        .filter(|r| r.len() == cells)
        .collect()
}

#[test]
fn explain_names_the_printed_detail_figure_of_the_compared_side_asked_for() {
    // Issue 23: `--detail … --version <compared side>` named the other side's figure. Service
    // 202 is "Grunnskole" in the adopted budget and "Skole" in the proposal: one row by code.
    let (dir, pdf) = render_lines(RENAMED, ADOPTED_AND_PROPOSED);
    let text = pdf_text(&pdf);
    // Hand: the comparison row prints 146 516 (adopted) and 136 516 (proposal).
    let compared = rows_of(&text, "202 Skole", 4);
    assert_eq!(compared, [["146 516", "136 516", "−10 000", "−6,8 %"]]);

    let proposal = explain(
        dir.path(),
        &["--group", "1", "--detail", "202", "--version", "forslag"],
    );
    assert!(
        proposal.contains("én linje, nøyaktig sum 136 516 kr"),
        "{proposal}"
    );
    assert_eq!(printed_figure(&proposal), compared[0][1], "{proposal}");
    assert!(
        proposal.contains("1 Oppvekst / 202 Skole, 2024, versjon forslag"),
        "{proposal}"
    );

    // The adopted side is the part's own version: its table of details prints it.
    let adopted = explain(
        dir.path(),
        &["--group", "1", "--detail", "202", "--version", "budsjett"],
    );
    assert!(
        adopted.contains("én linje, nøyaktig sum 146 516 kr"),
        "{adopted}"
    );
    assert_eq!(printed_figure(&adopted), compared[0][0], "{adopted}");
}

#[test]
fn explain_finds_a_compared_sides_detail_in_its_own_year_and_says_each_sides_year() {
    // Issue 23: at detail level a compared figure was "not in the report's tables", and
    // without --year explain did not say which year each side is in.
    let lines: &[Line] = &[
        ("1;Oppvekst", "202;Skole", "regnskap", 2023, 1_270_000),
        ("1;Oppvekst", "201;Barnehage", "regnskap", 2023, 230_000),
        ("9;Finans", "800;Skatt", "regnskap", 2023, -1_500_000),
        ("1;Oppvekst", "202;Skole", "budsjett", 2024, 1_839_000),
        ("1;Oppvekst", "201;Barnehage", "budsjett", 2024, 240_000),
        ("9;Finans", "800;Skatt", "budsjett", 2024, -2_079_000),
    ];
    let compare = "[{ version = \"budsjett\", year = 2024, label = \"Budsjett 2024\" }, \
                   { version = \"regnskap\", year = 2023, label = \"Regnskap 2023\" }]";
    let (dir, pdf) = render_lines(lines, compare);
    let text = pdf_text(&pdf);
    // Hand: 1 270 000 → 1 839 000 is +569 000, 569 000 / 1 270 000 = 44,80 % → 44,8 %.
    let compared = rows_of(&text, "202 Skole", 4);
    assert_eq!(compared, [["1 270 000", "1 839 000", "569 000", "44,8 %"]]);

    let accounts = explain(
        dir.path(),
        &[
            "--group",
            "Oppvekst",
            "--detail",
            "Skole",
            "--version",
            "regnskap",
        ],
    );
    // Without --year the accounts side is read in its own year, 2023.
    assert!(
        accounts.contains("1 Oppvekst / 202 Skole, 2023, versjon regnskap"),
        "{accounts}"
    );
    assert!(
        accounts.contains("én linje, nøyaktig sum 1 270 000 kr"),
        "{accounts}"
    );
    assert_eq!(printed_figure(&accounts), compared[0][0], "{accounts}");
    assert_eq!(printed_figure(&accounts), "1 270 000");
    assert!(
        accounts.contains(
            "sammenligningen: «Regnskap 2023» (versjon regnskap) gjelder 2023, \
             «Budsjett 2024» (versjon budsjett) gjelder 2024"
        ),
        "{accounts}"
    );
    // The group's figure of the compared side, too.
    let group = explain(dir.path(), &["--group", "1", "--version", "regnskap"]);
    assert!(
        group.contains("2 linjer, nøyaktig sum 1 500 000 kr"),
        "{group}"
    );
    assert_eq!(
        printed_figure(&group),
        rows_of(&text, "1 Oppvekst", 4)[0][0]
    );

    // With --year the year is the one asked for, and the sides' years are not repeated.
    let in_2023 = explain(
        dir.path(),
        &[
            "--group",
            "1",
            "--detail",
            "202",
            "--version",
            "regnskap",
            "--year",
            "2023",
        ],
    );
    assert_eq!(printed_figure(&in_2023), "1 270 000", "{in_2023}");
    assert!(!in_2023.contains("sammenligningen:"), "{in_2023}");
}

#[test]
fn explain_never_names_another_versions_figure_for_a_side_no_table_prints() {
    // The proposal of 2023 is compared nowhere (the comparison is of 2024): the part's own
    // table of details prints the adopted budget, which is not the figure asked for.
    let (dir, _pdf) = render(
        "[{ version = \"budsjett\", label = \"Vedtatt\" }, { version = \"forslag\", label = \"Forslag\" }]",
    );
    let out = explain(
        dir.path(),
        &[
            "--group",
            "1",
            "--detail",
            "202",
            "--version",
            "forslag",
            "--year",
            "2023",
        ],
    );
    assert!(out.contains("0 linjer, nøyaktig sum 0 kr"), "{out}");
    assert!(
        out.contains("skrevet ut: ikke i rapportens tabeller"),
        "{out}"
    );
}
