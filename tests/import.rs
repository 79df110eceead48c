//! Real exports in: one test per quirk that finance staff's files have, each with a small
//! fixture written here and totals worked out by hand.

mod common;

use std::path::Path;

use budsjett::aggregate::ledger;
use budsjett::load::export;
use budsjett::load::profile::Profile;
use budsjett::model::ledger::Ledger;
use common::{Fixture, d};
use rust_decimal::Decimal;

impl Fixture {
    fn import(&self) -> (Ledger, Vec<String>) {
        let profile = Profile::load(&self.profile_path()).unwrap_or_else(|e| panic!("{e}"));
        let (ledger, problems) = export::import(&[profile]);
        (ledger, problems.iter().map(ToString::to_string).collect())
    }

    fn clean(&self) -> Ledger {
        let (ledger, problems) = self.import();
        assert!(problems.is_empty(), "{problems:#?}");
        ledger
    }
}

/// Net per (year, version name).
fn nets(ledger: &Ledger) -> Vec<(i32, String, Decimal)> {
    let totals = ledger::aggregate(ledger, None, None, None).unwrap();
    totals
        .by_year_version
        .iter()
        .map(|((y, v), f)| (*y, ledger.versions[usize::from(*v)].clone(), f.net))
        .collect()
}

fn values(ledger: &Ledger, role: &str) -> Vec<String> {
    let dimension = ledger
        .dimensions
        .iter()
        .find(|d| d.role.name() == role)
        .unwrap();
    dimension.values.iter().map(|v| v.display()).collect()
}

const LONG: &str = r#"
[source]
file = "export.csv"
[layout]
kind = "long"
amount = "belop"
year = 2024
[dimensions]
area = { code = "omr", text = "omr_tekst" }
"#;

#[test]
fn semicolon_delimiter_is_detected() {
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\n01;Skole;1 000\n02;Helse;-250\n".as_bytes(),
        LONG,
    );
    let ledger = f.clean();
    assert_eq!(ledger.sources[0].delimiter, Some(b';'));
    assert_eq!(nets(&ledger), [(2024, "budsjett".into(), d("750"))]);
}

#[test]
fn comma_delimiter_is_detected() {
    let f = Fixture::new(
        "export.csv",
        "omr,omr_tekst,belop\n01,Skole,\"1 000,50\"\n02,Helse,-250\n".as_bytes(),
        LONG,
    );
    let ledger = f.clean();
    assert_eq!(ledger.sources[0].delimiter, Some(b','));
    // 1 000,50 − 250 = 750,50
    assert_eq!(nets(&ledger)[0].2, d("750.50"));
}

#[test]
fn tab_delimiter_is_detected() {
    let f = Fixture::new(
        "export.csv",
        "omr\tomr_tekst\tbelop\n01\tSkole\t10\n".as_bytes(),
        LONG,
    );
    let ledger = f.clean();
    assert_eq!(ledger.sources[0].delimiter, Some(b'\t'));
    assert_eq!(nets(&ledger)[0].2, d("10"));
}

#[test]
fn delimiter_override_in_the_profile() {
    // A pipe is never detected; the profile names it.
    let profile = LONG.replace(
        "file = \"export.csv\"",
        "file = \"export.csv\"\ndelimiter = \"|\"",
    );
    let f = Fixture::new(
        "export.csv",
        "omr|omr_tekst|belop\n01|A;B|5\n".as_bytes(),
        &profile,
    );
    let ledger = f.clean();
    assert_eq!(ledger.sources[0].delimiter, Some(b'|'));
    assert_eq!(values(&ledger, "area"), ["01 A;B"]);
}

#[test]
fn utf8_with_byte_order_mark() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice("omr;omr_tekst;belop\n01;Byrådsleders avdeling;5\n".as_bytes());
    let f = Fixture::new("export.csv", &bytes, LONG);
    let ledger = f.clean();
    assert!(ledger.sources[0].bom);
    assert_eq!(values(&ledger, "area"), ["01 Byrådsleders avdeling"]);
}

#[test]
fn windows_1252_file_from_excel() {
    // "Byrådsleders avdeling" and "Pleie og omsorg – hjemme" saved by Excel on Windows.
    let bytes = b"omr;omr_tekst;belop\r\n01;Byr\xe5dsleders avdeling;3 484 248\r\n02;Pleie og omsorg \x96 hjemme;-1 362 250\r\n";
    let f = Fixture::new("export.csv", bytes, LONG);
    let ledger = f.clean();
    assert_eq!(
        ledger.sources[0].encoding,
        Some(budsjett::model::ledger::Encoding::Windows1252)
    );
    assert_eq!(
        values(&ledger, "area"),
        ["01 Byrådsleders avdeling", "02 Pleie og omsorg – hjemme"]
    );
    // 3 484 248 − 1 362 250 = 2 121 998
    assert_eq!(nets(&ledger)[0].2, d("2121998"));
}

#[test]
fn iso_8859_1_named_in_the_profile() {
    let profile = LONG.replace(
        "file = \"export.csv\"",
        "file = \"export.csv\"\nencoding = \"iso-8859-1\"",
    );
    let f = Fixture::new(
        "export.csv",
        b"omr;omr_tekst;belop\n01;\xd8konomi;1\n",
        &profile,
    );
    assert_eq!(values(&f.clean(), "area"), ["01 Økonomi"]);
}

#[test]
fn crlf_lf_and_both_in_one_file() {
    for ending in ["\r\n", "\n", "mixed"] {
        let text = if ending == "mixed" {
            "omr;omr_tekst;belop\r\n01;A;1\n02;B;2\r\n03;C;3\n".to_string()
        } else {
            format!("omr;omr_tekst;belop{ending}01;A;1{ending}02;B;2{ending}03;C;3{ending}")
        };
        let f = Fixture::new("export.csv", text.as_bytes(), LONG);
        let ledger = f.clean();
        assert_eq!(ledger.sources[0].rows, 3, "{ending:?}");
        assert_eq!(nets(&ledger)[0].2, d("6"), "{ending:?}");
        assert_eq!(
            values(&ledger, "area"),
            ["01 A", "02 B", "03 C"],
            "{ending:?}"
        );
    }
}

#[test]
fn line_numbers_stay_exact_after_crlf_lines() {
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\r\n01;A;1\r\n02;B;2\n03;C;x\r\n04;D;y\n".as_bytes(),
        LONG,
    );
    let (_, problems) = f.import();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("export.csv:4:3:"), "{}", problems[0]);
    assert!(problems[1].contains("export.csv:5:3:"), "{}", problems[1]);
}

#[test]
fn quoted_and_unquoted_headers() {
    let f = Fixture::new(
        "export.csv",
        "\"omr\";omr_tekst;\"belop\"\n01;A;7\n".as_bytes(),
        LONG,
    );
    assert_eq!(nets(&f.clean())[0].2, d("7"));
}

#[test]
fn codes_stay_text() {
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\n01A;Barnehage;1\n17A;Kultur;1\n00300;Sentral;1\n".as_bytes(),
        LONG,
    );
    assert_eq!(
        values(&f.clean(), "area"),
        ["01A Barnehage", "17A Kultur", "00300 Sentral"]
    );
}

#[test]
fn every_amount_form_in_one_file() {
    let cells = [
        ("3 484 248", "3484248"),
        (" -1 362 250 ", "-1362250"),
        ("810 000,00", "810000.00"),
        ("1.234.567,50", "1234567.50"),
        ("-105 000 000 ", "-105000000"),
        ("(12 500)", "-12500"),
        ("\u{2212}4 000", "-4000"),
        ("+500", "500"),
        ("12 500 kr", "12500"),
        ("1\u{a0}000", "1000"),
        ("2\u{202f}000", "2000"),
        ("-", "0"),
    ];
    let mut text = "omr;omr_tekst;belop\n".to_string();
    let mut expected = Decimal::ZERO;
    for (cell, value) in cells {
        text.push_str(&format!("01;A;{cell}\n"));
        expected += d(value);
    }
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let ledger = f.clean();
    assert_eq!(ledger.lines.len(), cells.len());
    // Worked out by hand: 3 484 248 − 1 362 250 = 2 121 998; + 810 000 = 2 931 998;
    // + 1 234 567,50 = 4 166 565,50; − 105 000 000 = −100 833 434,50; − 12 500 − 4 000 + 500
    // + 12 500 + 1 000 + 2 000 + 0 = −500 more: −100 833 934,50.
    assert_eq!(expected, d("-100833934.50"));
    assert_eq!(nets(&ledger)[0].2, d("-100833934.50"));
}

#[test]
fn ambiguous_amount_is_an_error_unless_the_profile_names_the_decimal_mark() {
    let data = "omr;omr_tekst;belop\n01;A;1,234\n".as_bytes();
    let f = Fixture::new("export.csv", data, LONG);
    let (_, problems) = f.import();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("export.csv:2:3: column \"belop\": found \"1,234\""),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("decimal_mark"), "{}", problems[0]);

    let comma = LONG.replace(
        "file = \"export.csv\"",
        "file = \"export.csv\"\ndecimal_mark = \",\"",
    );
    let f = Fixture::new("export.csv", data, &comma);
    assert_eq!(nets(&f.clean())[0].2, d("1.234"));
    let point = LONG.replace(
        "file = \"export.csv\"",
        "file = \"export.csv\"\ndecimal_mark = \".\"",
    );
    let f = Fixture::new("export.csv", data, &point);
    assert_eq!(nets(&f.clean())[0].2, d("1234"));
}

#[test]
fn long_layout_with_a_year_and_a_version_column() {
    let profile = LONG.replace(
        "year = 2024",
        "year = \"aar\"\nversion_column = \"versjon\"",
    );
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;aar;versjon;belop\n01;A;2023;regnskap;100\n01;A;2024;budsjett;110\n02;B;2024;budsjett;-110\n".as_bytes(),
        &profile,
    );
    assert_eq!(
        nets(&f.clean()),
        [
            (2023, "regnskap".into(), d("100")),
            (2024, "budsjett".into(), d("0"))
        ]
    );
}

#[test]
fn wide_layout_one_column_per_year() {
    let profile = r#"
[source]
file = "export.csv"
[layout]
kind = "wide"
auto = true
[dimensions]
area = { code = "tjomr" }
"#;
    let f = Fixture::new(
        "export.csv",
        "tjomr;2013;2014;2015\n01;1 000;1 100;1 200\n02;-400;-500;\n".as_bytes(),
        profile,
    );
    let ledger = f.clean();
    assert_eq!(ledger.sources[0].empty_amounts, 1);
    assert_eq!(
        nets(&ledger),
        [
            (2013, "budsjett".into(), d("600")),
            (2014, "budsjett".into(), d("600")),
            (2015, "budsjett".into(), d("1200")),
        ]
    );
}

#[test]
fn wide_layout_with_nynorsk_version_columns() {
    let profile = r#"
[source]
file = "export.csv"
[layout]
kind = "wide"
auto = true
[dimensions]
area = { text = "teneste" }
"#;
    let f = Fixture::new(
        "export.csv",
        "teneste;rekneskap_2011;budsjett_2012;budsjett_2013\nSkule;95;100;104\nInntekter;-90;-100;-104\n".as_bytes(),
        profile,
    );
    assert_eq!(
        nets(&f.clean()),
        [
            // The export's own word for the accounts, not the bokmål one (issue 23).
            (2011, "rekneskap".into(), d("5")),
            (2012, "budsjett".into(), d("0")),
            (2013, "budsjett".into(), d("0")),
        ]
    );
}

#[test]
fn separate_income_and_expense_column() {
    let profile = format!(
        "{LONG}\n[sign]\nconvention = \"column\"\ncolumn = \"type\"\nincome = [\"Inntekt\"]\nexpense = [\"Utgift\"]\n"
    );
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;type;belop\n01;A;Utgift;1 000\n01;A;Inntekt;300\n01;A;Gave;5\n".as_bytes(),
        &profile,
    );
    let (ledger, problems) = f.import();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains("export.csv:4:3: column \"type\": found \"Gave\""),
        "{}",
        problems[0]
    );
    // 1 000 − 300 = 700; expenses 1 000, income −300.
    let totals = ledger::aggregate(&ledger, None, None, None).unwrap();
    let flow = totals.by_year_version.values().next().unwrap();
    assert_eq!(
        (flow.expense, flow.income, flow.net),
        (d("1000"), d("-300"), d("700"))
    );
}

#[test]
fn amounts_in_thousands_become_kroner() {
    let profile = LONG.replace(
        "file = \"export.csv\"",
        "file = \"export.csv\"\nunit = \"1000 kr\"",
    );
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\n01;A;1 234,5\n".as_bytes(),
        &profile,
    );
    assert_eq!(nets(&f.clean())[0].2, d("1234500"));
}

#[test]
fn row_filters_keep_and_drop() {
    let profile = format!(
        "{LONG}\n[[filter]]\ncolumn = \"omr\"\ndrop = [\"99\"]\n[[filter]]\ncolumn = \"omr_tekst\"\nkeep = [\"A\", \"B\"]\n"
    );
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\n01;A;1\n02;B;10\n03;C;100\n99;A;1000\n".as_bytes(),
        &profile,
    );
    let ledger = f.clean();
    assert_eq!(ledger.sources[0].filtered, 2);
    assert_eq!(nets(&ledger)[0].2, d("11"));
}

#[test]
fn a_header_that_is_almost_the_mapped_name_gets_a_hint() {
    let f = Fixture::new(
        "export.csv",
        "omr;omr-tekst;beløp\n01;A;1\n".as_bytes(),
        LONG,
    );
    let (_, problems) = f.import();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("\"omr_tekst\" is not in the header line"));
    assert!(
        problems[0].contains("hint: did you mean \"omr-tekst\"?"),
        "{}",
        problems[0]
    );
    assert!(
        problems[1].contains("hint: did you mean \"beløp\"?"),
        "{}",
        problems[1]
    );
}

#[test]
fn every_problem_is_listed_with_its_place() {
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\n01;A;tusen\n02;B\n03;C;2 0 0\n04;D;5\n".as_bytes(),
        LONG,
    );
    let (ledger, problems) = f.import();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].contains("export.csv:2:3: column \"belop\": found \"tusen\""));
    assert!(
        problems[1].contains("export.csv:3: found 2 fields, expected 3"),
        "{}",
        problems[1]
    );
    assert!(problems[2].contains("export.csv:4:3"));
    assert_eq!(nets(&ledger)[0].2, d("5"));
}

#[test]
fn rows_with_extra_unnamed_fields_are_read_and_noted() {
    // As in Stavanger's export: some rows carry two more fields than the header names.
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\r\n01;A;100\r\n02;B;-40;;2121102383000\r\n03;C;-60;;2121203760000\r\n"
            .as_bytes(),
        LONG,
    );
    let ledger = f.clean();
    assert_eq!(
        (
            ledger.sources[0].long_rows,
            ledger.sources[0].first_long_row
        ),
        (2, Some(3))
    );
    assert_eq!(nets(&ledger)[0].2, d("0"));
}

#[test]
fn an_excel_sheet_is_read_like_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Budsjett").unwrap();
    for (col, header) in ["omr", "omr_tekst", "2024", "2025"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "01A").unwrap();
    sheet.write_string(1, 1, "Skole").unwrap();
    sheet.write_number(1, 2, 1234.5).unwrap();
    sheet.write_string(1, 3, "2 000,25").unwrap();
    sheet.write_string(2, 0, "02").unwrap();
    sheet.write_string(2, 1, "Inntekter").unwrap();
    sheet.write_number(2, 2, -1234).unwrap();
    sheet.write_number(2, 3, -0.1).unwrap();
    // 0.1 + 0.2 as Excel stores it, and its negative: the noise must not become money.
    sheet.write_string(3, 0, "03").unwrap();
    sheet.write_string(3, 1, "Støy").unwrap();
    sheet.write_number(3, 2, 0.1 + 0.2).unwrap();
    sheet.write_number(3, 3, -0.3).unwrap();
    workbook.save(&path).unwrap();
    std::fs::write(
        dir.path().join("profile.toml"),
        "[source]\nfile = \"export.xlsx\"\nsheet = \"Budsjett\"\n[layout]\nkind = \"wide\"\nauto = true\n[dimensions]\narea = { code = \"omr\", text = \"omr_tekst\" }\n",
    )
    .unwrap();
    let profile = Profile::load(&dir.path().join("profile.toml")).unwrap();
    let (ledger, problems) = export::import(&[profile]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        values(&ledger, "area"),
        ["01A Skole", "02 Inntekter", "03 Støy"]
    );
    // 2024: 1 234,5 − 1 234 + 0,3 = 0,8; 2025: 2 000,25 − 0,1 − 0,3 = 1 999,85 (exact).
    assert_eq!(
        nets(&ledger),
        [
            (2024, "budsjett".into(), d("0.8")),
            (2025, "budsjett".into(), d("1999.85"))
        ]
    );
}

// issue 22, inputs (rule 6): what Excel shows is what is read.
#[test]
fn a_merged_cell_holds_for_each_of_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["omr", "tj", "2024"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    // "01" merged over rows 2–4 (Excel shows it on each), "02" on row 5 alone.
    let format = rust_xlsxwriter::Format::new();
    sheet.merge_range(1, 0, 3, 0, "01", &format).unwrap();
    sheet.write_string(4, 0, "02").unwrap();
    for (row, (service, amount)) in [("100", 10), ("110", 20), ("120", 30), ("200", -60)]
        .iter()
        .enumerate()
    {
        sheet.write_string(row as u32 + 1, 1, *service).unwrap();
        sheet.write_number(row as u32 + 1, 2, *amount).unwrap();
    }
    workbook.save(&path).unwrap();
    std::fs::write(
        dir.path().join("profile.toml"),
        "[source]\nfile = \"export.xlsx\"\n[layout]\nkind = \"wide\"\nauto = true\n[dimensions]\narea = { code = \"omr\" }\nservice = { code = \"tj\" }\n",
    )
    .unwrap();
    let profile = Profile::load(&dir.path().join("profile.toml")).unwrap();
    let (ledger, problems) = export::import(&[profile]);
    assert!(problems.is_empty(), "{problems:?}");
    // Every line of rows 2–4 is in area 01 (10 + 20 + 30), none is without an area.
    let area = ledger
        .dimensions
        .iter()
        .position(|d| d.role.name() == "area")
        .unwrap();
    let mut sums: Vec<(String, Decimal)> = Vec::new();
    for line in &ledger.lines {
        let id = line.dims[area];
        let code = ledger.dimensions[area]
            .values
            .get(id as usize)
            .map_or("(none)".to_string(), |v| v.code.clone());
        match sums.iter_mut().find(|(c, _)| *c == code) {
            Some((_, sum)) => *sum += line.amount,
            None => sums.push((code, line.amount)),
        }
    }
    sums.sort();
    assert_eq!(
        sums,
        [("01".to_string(), d("60")), ("02".to_string(), d("-60"))]
    );
}

/// The shared real exports, through the profiles in docs/profiles. Figures from the shared
/// README (row counts; Bergen drift 2012 sums to −110 kr).
#[test]
fn the_shared_real_exports_import_cleanly() {
    let repo = Path::new(common::REPO);
    let shared = repo.join("../shared/realdata");
    assert!(
        shared.is_dir(),
        "../shared/realdata must be beside the repository"
    );
    for (name, rows) in [
        ("bergen-2012-drift", 1944),
        ("bergen-2012-investering", 2515),
        ("stavanger-2016-drift", 11130),
    ] {
        let profile = Profile::load(&repo.join(format!("docs/profiles/{name}.toml"))).unwrap();
        let (ledger, problems) = export::import(&[profile]);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        assert_eq!(ledger.sources[0].rows, rows, "{name}");
        if name == "bergen-2012-drift" {
            let nets = nets(&ledger);
            assert_eq!(nets[0], (2012, "budsjett".into(), d("-110")));
        }
    }
}

#[test]
fn absurd_kostra_positions_are_a_profile_error_not_a_panic() {
    let profile = LONG.replace(
        "area = { code = \"omr\", text = \"omr_tekst\" }",
        "area = { code = \"omr\", text = \"omr_tekst\" }\nart = { code = \"omr\", kostra = [18446744073709551615, 3] }",
    );
    let f = Fixture::new(
        "export.csv",
        "omr;omr_tekst;belop\n01;A;1\n".as_bytes(),
        &profile,
    );
    let error = Profile::load(&f.profile_path()).unwrap_err().to_string();
    assert!(error.contains("dimensions.art.kostra"), "{error}");
    assert!(error.contains("profile.toml:"), "{error}");
}

#[test]
fn a_large_file_read_on_several_threads_gives_what_one_pass_gives() {
    // Over 1 MiB of records, so the file is split into parts (on a machine with more than one
    // core). Every 997th row has a quoted name over two lines, with a delimiter inside, so
    // line numbers run ahead of row numbers and some part boundaries fall near quotes.
    let rows = 60_000u64;
    let bad = [3u64, 29_999, 30_000, 45_001, 59_999];
    let mut csv = String::from("omr;navn;aar;versjon;belop\r\n");
    let mut line = 1u64;
    let mut bad_lines = Vec::new();
    let mut good_lines = Vec::new();
    let mut expected = [0i64; 2];
    for i in 0..rows {
        line += 1;
        let year = 2024 + (i % 2);
        let version = if i == 40_000 { "revidert" } else { "budsjett" };
        let (area, name) = if i % 997 == 500 {
            ("Q".to_string(), "\"Kvartal; med\nlinjeskift\"".to_string())
        } else {
            (format!("A{}", i % 7), format!("Område {}", i % 7))
        };
        let amount = if bad.contains(&i) {
            bad_lines.push(line);
            format!("x{i}")
        } else {
            good_lines.push(line);
            if version == "budsjett" {
                expected[(i % 2) as usize] += i as i64;
            }
            format!("{i}")
        };
        csv.push_str(&format!("{area};{name};{year};{version};{amount}\r\n"));
        line += name.matches('\n').count() as u64;
    }
    assert!(csv.len() > 1 << 20);
    let f = Fixture::new(
        "export.csv",
        csv.as_bytes(),
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = \"aar\"\n\
         version_column = \"versjon\"\n[dimensions]\narea = { code = \"omr\", text = \"navn\" }\n",
    );
    let (ledger, problems) = f.import();
    // The bad amounts, in file order, each on the line the generator counted.
    let found: Vec<u64> = problems
        .iter()
        .map(|p| p.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(found, bad_lines, "{problems:#?}");
    assert_eq!(ledger.lines.len() as u64, rows - bad.len() as u64);
    assert_eq!(
        nets(&ledger),
        vec![
            (2024, "budsjett".to_string(), Decimal::from(expected[0])),
            (2024, "revidert".to_string(), Decimal::from(40_000)),
            (2025, "budsjett".to_string(), Decimal::from(expected[1])),
        ]
    );
    // Values in order of first appearance: A0–A6 from the first rows, Q at row 500.
    assert_eq!(
        values(&ledger, "area"),
        [
            "A0 Område 0",
            "A1 Område 1",
            "A2 Område 2",
            "A3 Område 3",
            "A4 Område 4",
            "A5 Område 5",
            "A6 Område 6",
            "Q Kvartal; med linjeskift"
        ]
    );
    // Every budget line keeps the line number of its row, in file order, across the parts.
    let lines: Vec<u64> = ledger.lines.iter().map(|l| u64::from(l.line)).collect();
    assert!(
        lines == good_lines,
        "line numbers differ from the generator's count"
    );
}

/// Net per area, by the area's printed name (`01 Skole`), from the ledger's lines.
fn nets_by_area(ledger: &Ledger) -> Vec<(String, Decimal)> {
    let role = ledger
        .dimensions
        .iter()
        .position(|d| d.role.name() == "area")
        .unwrap();
    let mut nets: std::collections::BTreeMap<String, Decimal> = Default::default();
    for line in &ledger.lines {
        let name = ledger.dimensions[role]
            .values
            .get(line.dims[role] as usize)
            .map_or_else(|| "(none)".to_string(), |v| v.display());
        *nets.entry(name).or_default() += line.amount;
    }
    nets.into_iter().collect()
}

/// A report-table export writes each area on its first row only (issue 22, rule 6).
const REPORT_TABLE: &str = "omr;omr_tekst;belop\n01;Skole;100\n;;20\n;;3\n02;Helse;1000\n;;-400\n";

#[test]
fn fill_down_carries_a_blank_dimension_cell_down_from_the_row_above() {
    let profile = LONG.replace(
        "file = \"export.csv\"",
        "file = \"export.csv\"\nfill_down = [\"omr\", \"omr_tekst\"]",
    );
    let f = Fixture::new("export.csv", REPORT_TABLE.as_bytes(), &profile);
    let ledger = f.clean();
    // 01: 100 + 20 + 3; 02: 1000 − 400. Two cells filled on each of three rows.
    assert_eq!(
        nets_by_area(&ledger),
        [
            ("01 Skole".to_string(), d("123")),
            ("02 Helse".to_string(), d("600"))
        ]
    );
    assert_eq!(ledger.sources[0].filled, 6);
    // Read in parts on several threads, the rows are still filled from the row above.
    let profile = Profile::load(&f.profile_path()).unwrap();
    let (parts, problems) = export::import_csv_bytes(&profile, REPORT_TABLE.as_bytes(), (4, 1));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(nets_by_area(&parts), nets_by_area(&ledger));
}

#[test]
fn without_fill_down_the_blank_rows_have_no_area() {
    let f = Fixture::new("export.csv", REPORT_TABLE.as_bytes(), LONG);
    let ledger = f.clean();
    // 20 + 3 − 400 have no area.
    assert_eq!(
        nets_by_area(&ledger),
        [
            ("(none)".to_string(), d("-377")),
            ("01 Skole".to_string(), d("100")),
            ("02 Helse".to_string(), d("1000"))
        ]
    );
    assert_eq!(ledger.sources[0].filled, 0);
}

/// A file whose last row has no line end may have been cut short: `check` notes it
/// (issue 22, unseen corpus: a last amount cut mid-number reads as a smaller amount).
#[test]
fn a_last_row_without_a_line_end_is_noted() {
    let cut = Fixture::new(
        "export.csv",
        b"omr;omr_tekst;belop\n01;A;1 234\n02;B;56",
        LONG,
    );
    assert!(cut.clean().sources[0].unterminated);
    let whole = Fixture::new(
        "export.csv",
        b"omr;omr_tekst;belop\n01;A;1 234\n02;B;567\r\n",
        LONG,
    );
    assert!(!whole.clean().sources[0].unterminated);
}
