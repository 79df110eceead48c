//! SSB's KOSTRA accounts files read as they are (issue 26): files built here by hand, record
//! by record at SSB's positions, read back exactly (both parts, a balance file, a quarter),
//! every wrong record located at its line and positions, `check`'s listing, and a report whose
//! source is such a file rendered, its § 5-4 row compared with the hand-summed figure read
//! back out of the PDF.

mod common;

use std::path::{Path, PathBuf};

use budsjett::load::kostra_file::{self, AccountsLine, Content};
use budsjett::model::Part;
use budsjett::model::kostra::BalanceLine;
use common::{d, pdf_text, stdout, table_rows};

/// One record at SSB's positions: skjema 1–2, årgang 3–6, kvartal 7, region 8–13, orgnr and
/// foretaksnr 14–31 (blank), kontoklasse 32, funksjon or kapittel 33–36, art or sektor 37–39,
/// beløp 40–48 right-aligned (in 1 000 kr).
fn record(head: &str, class: &str, funksjon: &str, art: &str, amount: &str) -> String {
    let line = format!("{head}{:18}{class}{funksjon:<4}{art}{amount:>9}", "");
    assert_eq!(line.len(), 48, "{line:?}");
    line
}

/// Skjema 0A (kommunekasse), 2024, the year's accounts, Trondheim.
const HEAD: &str = "0A2024 500100";

/// A year's accounts in 1 000 kr: drift (kontoklasse 1) balanced with 150 sent to
/// investering (art 570), and investering (kontoklasse 0) a school building paid by loans
/// (art 910) and the transfer (art 970).
fn accounts(head: &str) -> String {
    let rows = [
        ("1", "202", "010", "1234"),
        ("1", "202", "700", "-200"),
        ("1", "254", "010", "2346"),
        ("1", "254", "600", "-345"),
        ("1", "254", "590", "100"),
        ("1", "840", "800", "-2500"),
        ("1", "800", "870", "-1000"),
        ("1", "860", "990", "-100"),
        ("1", "870", "500", "65"),
        ("1", "880", "540", "250"),
        ("1", "880", "570", "150"),
        ("0", "222", "010", "1000"),
        ("0", "870", "910", "-850"),
        ("0", "880", "970", "-150"),
    ];
    let mut text = String::new();
    for (class, funksjon, art, amount) in rows {
        text.push_str(&record(head, class, funksjon, art, amount));
        text.push_str("\r\n");
    }
    text
}

fn parse(text: &str) -> Result<kostra_file::KostraFile, Vec<budsjett::error::DataError>> {
    kostra_file::parse(Path::new("regnskap.dat"), text.as_bytes())
}

fn line(line: u32, part: Part, funksjon: &str, art: &str, kroner: &str) -> AccountsLine {
    AccountsLine {
        line,
        part,
        funksjon: funksjon.to_string(),
        art: art.to_string(),
        amount: d(kroner),
    }
}

#[test]
fn an_accounts_file_is_read_back_exactly_in_kroner_by_part() {
    // A blank line between the records is skipped; the lines keep their numbers.
    let text = accounts(HEAD).replacen("\r\n", "\r\n\r\n", 1);
    let file = parse(&text).unwrap();
    assert_eq!(file.header.skjema.code, "0A");
    assert_eq!(file.header.year, 2024);
    assert_eq!(file.header.quarter, None);
    assert_eq!(file.header.region, "500100");
    let Content::Accounts(lines) = &file.content else {
        panic!("an accounts file read as {:?}", file.content)
    };
    use Part::{Drift, Investering};
    let expected = [
        line(1, Drift, "202", "010", "1234000"),
        line(3, Drift, "202", "700", "-200000"),
        line(4, Drift, "254", "010", "2346000"),
        line(5, Drift, "254", "600", "-345000"),
        line(6, Drift, "254", "590", "100000"),
        line(7, Drift, "840", "800", "-2500000"),
        line(8, Drift, "800", "870", "-1000000"),
        line(9, Drift, "860", "990", "-100000"),
        line(10, Drift, "870", "500", "65000"),
        line(11, Drift, "880", "540", "250000"),
        line(12, Drift, "880", "570", "150000"),
        line(13, Investering, "222", "010", "1000000"),
        line(14, Investering, "870", "910", "-850000"),
        line(15, Investering, "880", "970", "-150000"),
    ];
    assert_eq!(lines.as_slice(), expected.as_slice());
    assert_eq!(kostra_file::version(&file.header), "regnskap");
}

#[test]
fn a_konsolidert_file_uses_its_own_kontoklasse_codes() {
    // 0M: drift is kontoklasse 3, investering 4 (SSB's control 009); 1 and 0 are refused.
    let head = "0M2024 500100";
    let file = parse(
        &(record(head, "3", "120", "010", "7") + "\n" + &record(head, "4", "120", "010", "-7")),
    )
    .unwrap();
    let Content::Accounts(lines) = &file.content else {
        panic!("{:?}", file.content)
    };
    assert_eq!(lines[0].part, Part::Drift);
    assert_eq!(lines[1].part, Part::Investering);
    let problems = parse(&record(head, "1", "120", "010", "7")).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "regnskap.dat:1:32: position 32 (kontoklasse): found \"1\", expected kontoklasse 3, 4, \
         the classes of skjema 0M"
    );
}

#[test]
fn a_quarterly_file_is_its_quarter_and_says_so() {
    let file = parse(&accounts("0A20243500100")).unwrap();
    assert_eq!(file.header.quarter, Some(3));
    assert_eq!(kostra_file::version(&file.header), "regnskap 3. kvartal");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k3.dat");
    std::fs::write(&path, accounts("0A20243500100")).unwrap();
    let output = common::budsjett()
        .args(["check", "--profile"])
        .arg(&path)
        .output()
        .unwrap();
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(
        out.contains(
            "k3.dat (KOSTRA skjema 0A, 2024, region 500100, a quarterly file: the accounts to \
             the end of quarter 3; its drift records)"
        ),
        "{out}"
    );
    // One source per part: 11 drift records and 3 investering records.
    assert!(
        out.contains("rows read: 11 (kostra layout); budget lines: 11"),
        "{out}"
    );
    assert!(
        out.contains("rows read: 3 (kostra layout); budget lines: 3"),
        "{out}"
    );
}

#[test]
fn a_balance_file_gives_balances_by_kapittel() {
    let head = "0B2024 500100";
    let text = [
        record(head, "2", "10", "000", "5000"),
        record(head, "2", "51", "000", "-1200"),
        record(head, "2", "51", "890", "-34"),
        record(head, "2", "453", "000", "-8000"),
        record(head, "2", "5990", "000", "4234"),
    ]
    .join("\n");
    let file = parse(&text).unwrap();
    let Content::Balance(lines) = &file.content else {
        panic!("{:?}", file.content)
    };
    let expected: Vec<BalanceLine> = [
        (1, "10", "000", "5000000"),
        (2, "51", "000", "-1200000"),
        (3, "51", "890", "-34000"),
        (4, "453", "000", "-8000000"),
        (5, "5990", "000", "4234000"),
    ]
    .into_iter()
    .map(|(line, kapittel, sektor, amount)| BalanceLine {
        line,
        kapittel: kapittel.to_string(),
        sektor: sektor.to_string(),
        amount: d(amount),
    })
    .collect();
    assert_eq!(lines, &expected);
    // check lists it: disposisjonsfond (51) −1 234 000 kr over its two sektors.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("balanse.dat");
    std::fs::write(&path, &text).unwrap();
    let output = common::budsjett()
        .args(["check", "--profile"])
        .arg(&path)
        .output()
        .unwrap();
    let out = stdout(&output);
    assert!(
        out.contains("balanse.dat (KOSTRA skjema 0B, 2024, region 500100, the year's accounts)"),
        "{out}"
    );
    assert!(
        out.contains("  balance: 5 records, by kapittel in kroner:"),
        "{out}"
    );
    for listed in [
        "    kapittel 10: 5 000 000",
        "    kapittel 51: -1 234 000",
        "    kapittel 453: -8 000 000",
        "    kapittel 5990: 4 234 000",
    ] {
        assert!(out.contains(listed), "{listed}: {out}");
    }
}

#[test]
fn every_wrong_record_is_located_and_the_file_gives_nothing() {
    let good = record(HEAD, "1", "202", "010", "1234");
    let lines = [
        good.clone(),
        good[..39].to_string(),
        record(HEAD, "1", "202", "010", "12a4"),
        record("0Z2024 500100", "1", "202", "010", "1"),
        record(HEAD, "3", "202", "010", "1"),
        record("0A2023 500100", "1", "202", "010", "1"),
        record("0A2024 500200", "1", "202", "010", "1"),
        format!("{good}12"),
        record(HEAD, "1", "2O2", "010", "1"),
        record(HEAD, "1", "202", "01 ", "1"),
        record("0A2024 5001x0", "1", "202", "010", "1"),
        record("0A20245500100", "1", "202", "010", "1"),
        record("0A2024 500100", "1", "202", "010", "- 1"),
    ];
    let problems: Vec<String> = parse(&lines.join("\n"))
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected = [
        "regnskap.dat:2:40: found a line of 39 characters, expected a KOSTRA record of 48 positions",
        "regnskap.dat:3:40: positions 40–48 (beløp): found \"     12a4\", expected a whole number \
         of 1 000 kroner, right-aligned, with a minus sign before income, such as \"    -1250\"",
        "regnskap.dat:4:1: positions 1–2 (skjema): found \"0Z\", expected a KOSTRA skjema of a \
         municipality or county: 0A, 0B, 0C, 0D, 0I, 0J, 0K, 0L, 0M, 0N, 0P, 0Q",
        "regnskap.dat:5:32: position 32 (kontoklasse): found \"3\", expected kontoklasse 0, 1, \
         the classes of skjema 0A",
        "regnskap.dat:6:3: positions 3–6 (årgang): found \"2023\", but line 1 has \"2024\"; \
         expected one skjema, year, quarter and region in a file (its figures would be summed \
         across them)",
        "regnskap.dat:7:8: positions 8–13 (region): found \"500200\", but line 1 has \"500100\"; \
         expected one skjema, year, quarter and region in a file (its figures would be summed \
         across them)",
        "regnskap.dat:8:49: found \"12\" after position 48, expected the line to end with the \
         amount at positions 40–48 (an amount too large for its nine positions, or a line of \
         another format)",
        "regnskap.dat:9:33: positions 33–36 (funksjon): found \"2O2 \", expected a KOSTRA \
         funksjon of three digits and a blank, such as \"120 \"",
        "regnskap.dat:10:37: positions 37–39 (art): found \"01 \", expected a KOSTRA art of \
         three digits",
        "regnskap.dat:11:8: positions 8–13 (region): found \"5001x0\", expected six digits (the \
         municipality's or county's number and 00, or an Oslo district)",
        "regnskap.dat:12:7: position 7 (kvartal): found \"5\", expected a blank (the year's \
         accounts) or a quarter, 1 to 4",
        "regnskap.dat:13:40: positions 40–48 (beløp): found \"      - 1\", expected a whole \
         number of 1 000 kroner, right-aligned, with a minus sign before income, such as \
         \"    -1250\"",
    ];
    assert_eq!(problems, expected);
}

#[test]
fn a_balance_record_needs_a_kapittel_and_sektor() {
    let head = "0B2024 500100";
    let problems = parse(
        &[
            record(head, "2", " 51", "000", "1"),
            record(head, "2", "51", "0a0", "1"),
        ]
        .join("\n"),
    )
    .unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].to_string().starts_with(
        "regnskap.dat:1:33: positions 33–36 (kapittel): found \" 51 \", expected a kapittel of \
         two to four digits from position 33"
    ));
    assert!(problems[1].to_string().starts_with(
        "regnskap.dat:2:37: positions 37–39 (sektor): found \"0a0\", expected a KOSTRA sektor"
    ));
}

/// A report over `files` (name, text) with the built-in KOSTRA tables.
fn report(files: &[(&str, String)], budget_keys: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
        names.push(format!("{name:?}"));
    }
    std::fs::write(
        dir.path().join("report.toml"),
        format!(
            "[report]\nname = \"regnskap\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Regnskap 2024\"\ntitle = \"Regnskap\"\ndate = 2025-02-15\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2024]\n\
             [budget]\nsources = [{}]\nversion = \"regnskap\"\ngroup_by = \"service\"\n\
             detail_by = \"art\"\nstatutory = \"kostra\"\n{budget_keys}\n",
            names.join(", ")
        ),
    )
    .unwrap();
    dir
}

fn run(dir: &Path, command: &str) -> std::process::Output {
    let mut cmd = common::budsjett();
    cmd.args([command, "--config"])
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"));
    if command == "render" {
        cmd.arg("--output").arg(dir.join("output"));
    }
    cmd.output().unwrap()
}

#[test]
fn a_report_whose_source_is_a_kostra_file_renders_its_statutory_overview() {
    let dir = report(&[("regnskap-2024.dat", accounts(HEAD))], "");
    let check = run(dir.path(), "check");
    let out = stdout(&check);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{out}{}",
        common::stderr(&check)
    );
    assert!(
        out.contains(
            "regnskap-2024.dat (KOSTRA skjema 0A, 2024, region 500100, the year's accounts; its \
             investering records)"
        ),
        "{out}"
    );
    let render = run(dir.path(), "render");
    assert!(render.status.success(), "{}", common::stderr(&render));
    let pdf: PathBuf = dir.path().join("output/regnskap.pdf");
    let text = pdf_text(&pdf);
    // § 5-4 row 6, the net of the bevilgninger (hand): funksjon 202 1 234 − 200 = 1 034 and
    // funksjon 254 2 346 − 345 = 2 001 (its avskrivninger, art 590, go to row 7), in 1 000 kr
    // as the file has them: 3 035 000 kr.
    assert_eq!(
        table_rows(&text, "6. Sum bevilgninger drift, netto"),
        [["3 035 000"]]
    );
    // § 5-4 row 18 and § 5-5 row 20: the 150 000 kr sent to investering and received.
    assert_eq!(
        table_rows(&text, "18. Overføring til investering"),
        [["150 000"]]
    );
}

#[test]
fn a_kostra_file_named_twice_is_refused() {
    let dir = report(&[("regnskap-2024.dat", accounts(HEAD))], "");
    let config = dir.path().join("report.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "sources = [\"regnskap-2024.dat\"]",
        "sources = [\"regnskap-2024.dat\", \"./regnskap-2024.dat\"]",
    );
    std::fs::write(&config, text).unwrap();
    let check = run(dir.path(), "check");
    let out = stdout(&check) + &common::stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains("named twice among budget.sources (also as "),
        "{out}"
    );
}

#[test]
fn a_kostra_file_is_the_accounts_side_of_a_comparison() {
    // The plan for 2024 through a profile (funksjon and art as KOSTRA codes) and the accounts
    // of 2022 as SSB has them, compared per funksjon.
    let dir = tempfile::tempdir().unwrap();
    let head = "0A2022 500100";
    let accounts = [
        record(head, "1", "202", "010", "1234"),
        record(head, "1", "202", "700", "-200"),
        record(head, "1", "800", "870", "-1034"),
    ]
    .join("\n");
    std::fs::write(dir.path().join("regnskap-2022.dat"), accounts).unwrap();
    std::fs::write(
        dir.path().join("plan.csv"),
        "funksjon;art;aar;belop\n202;010;2024;1100000\n202;700;2024;-150000\n800;870;2024;-950000\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plan.toml"),
        "[source]\nfile = \"plan.csv\"\npart = \"drift\"\n[layout]\nkind = \"long\"\n\
         amount = \"belop\"\nyear = \"aar\"\nversion = \"budsjett\"\n[dimensions]\n\
         art = { code = \"art\", chart = \"kostra\" }\n\
         service = { code = \"funksjon\", chart = \"kostra\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        "[report]\nname = \"plan\"\nmunicipality = \"Prøve kommune\"\n\
         document = \"Budsjett 2024\"\ntitle = \"Driftsbudsjett\"\ndate = 2024-01-01\n\
         template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2024]\n[budget]\n\
         sources = [\"plan.toml\", \"regnskap-2022.dat\"]\nversion = \"budsjett\"\n\
         group_by = \"service\"\ndetail_by = \"art\"\n\
         compare = [{ version = \"regnskap\", year = 2022, label = \"Regnskap 2022\" }, \
         { version = \"budsjett\", year = 2024, label = \"Budsjett 2024\" }]\n",
    )
    .unwrap();
    let render = run(dir.path(), "render");
    assert!(render.status.success(), "{}", common::stderr(&render));
    let text = pdf_text(&dir.path().join("output/plan.pdf"));
    // Funksjon 202 (hand): accounts 1 234 − 200 = 1 034 thousand kroner, budget 1 100 000 −
    // 150 000 = 950 000; the change −84 000, −84 000 / 1 034 000 = −8,12 % → −8,1 %.
    assert!(
        table_rows(&text, "202")
            .iter()
            .any(|r| r == &["1 034 000", "950 000", "−84 000", "−8,1 %"]),
        "{text}"
    );
}

#[test]
fn a_wrong_record_is_worded_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feil.dat");
    std::fs::write(&path, record(HEAD, "1", "202", "010", "12a4")).unwrap();
    for (locale, expected) in [
        (
            "nb_NO.UTF-8",
            "feil.dat:1:40: posisjon 40–48 (beløp): fant \"     12a4\", ventet et helt tall i 1 000 kroner",
        ),
        (
            "nn_NO.UTF-8",
            "feil.dat:1:40: posisjon 40–48 (beløp): fann \"     12a4\", venta eit heilt tal i 1 000 kroner",
        ),
    ] {
        let output = common::budsjett()
            .env("LANG", locale)
            .args(["check", "--profile"])
            .arg(&path)
            .output()
            .unwrap();
        let out = stdout(&output) + &common::stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{out}");
        assert!(out.contains(expected), "{locale}: {out}");
    }
}
