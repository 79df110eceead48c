//! Hostile input to the importer: files that used to be read into something they do not say.
//! Each case has a fixture written here and an expectation worked out by hand: the same result
//! on one thread and on many, UTF-8 never silently reread as Windows-1252, line breaks and
//! byte-order marks inside cells, characters that cannot be printed, and contradictory
//! profile keys refused at the key's line.

mod common;

use budsjett::load::export;
use budsjett::load::profile::Profile;
use budsjett::model::ledger::Ledger;
use common::Fixture;
use rust_decimal::Decimal;

impl Fixture {
    fn profile(&self) -> Profile {
        Profile::load(&self.profile_path()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn import_on(&self, threads: usize) -> (Ledger, Vec<String>) {
        let (ledger, problems) = export::import_with_threads(&[self.profile()], threads);
        (ledger, problems.iter().map(ToString::to_string).collect())
    }

    fn import(&self) -> (Ledger, Vec<String>) {
        self.import_on(1)
    }

    /// The profile's error, as printed.
    fn profile_error(&self) -> String {
        match Profile::load(&self.profile_path()) {
            Ok(_) => panic!("the profile was accepted"),
            Err(e) => e.to_string(),
        }
    }
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

fn values(ledger: &Ledger, role: &str) -> Vec<String> {
    let dimension = ledger
        .dimensions
        .iter()
        .find(|d| d.role.name() == role)
        .unwrap();
    dimension.values.iter().map(|v| v.display()).collect()
}

fn total(ledger: &Ledger) -> Decimal {
    ledger.lines.iter().map(|l| l.amount).sum()
}

/// Everything a ledger holds that a report could show, for comparing two reads.
fn fingerprint(ledger: &Ledger) -> String {
    let mut out = format!("versions {:?}\n", ledger.versions);
    for dimension in &ledger.dimensions {
        out.push_str(&format!("{} {:?}\n", dimension.role, dimension.values));
    }
    for line in &ledger.lines {
        out.push_str(&format!("{line:?}\n"));
    }
    let info = &ledger.sources[0];
    out.push_str(&format!(
        "rows {} filtered {} empty {} long {} first_long {:?}\n",
        info.rows, info.filtered, info.empty_amounts, info.long_rows, info.first_long_row
    ));
    out
}

/// A file over 1 MiB: a stray quote in an unquoted cell (csv reads `Skjerm 24"` literally)
/// early on, and a quoted cell with a line break after the middle.
fn large_export(rows: usize) -> (String, Decimal) {
    let mut text = String::from("omr;omr_tekst;belop\n");
    let mut sum = Decimal::ZERO;
    for i in 0..rows {
        let name = if i == rows / 10 {
            "Skjerm 24\"".to_string()
        } else if i == rows * 6 / 10 {
            "\"Pleie og\nomsorg\"".to_string()
        } else if i == rows * 8 / 10 {
            "\"Sitat \"\"med\"\" anførsel\"".to_string()
        } else {
            format!("Område {}", i % 37)
        };
        let amount = (i as i64 % 1000) - 400;
        sum += Decimal::from(amount);
        text.push_str(&format!("{:02};{name};{amount}\n", i % 37));
    }
    (text, sum)
}

#[test]
fn one_thread_and_many_read_a_large_file_with_stray_quotes_identically() {
    let (text, sum) = large_export(60_000);
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (one, problems) = f.import_on(1);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(one.sources[0].rows, 60_000);
    assert_eq!(total(&one), sum);
    let names = values(&one, "area");
    assert!(
        names.iter().any(|n| n.ends_with(" Skjerm 24\"")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("Pleie og omsorg")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("Sitat \"med\" anførsel")),
        "{names:?}"
    );
    for threads in [2, 3, 4, 7] {
        let (many, problems) = f.import_on(threads);
        assert!(problems.is_empty(), "{threads} threads: {problems:?}");
        assert_eq!(fingerprint(&many), fingerprint(&one), "{threads} threads");
    }
}

#[test]
fn problems_are_the_same_on_one_thread_and_many() {
    let (mut text, _) = large_export(60_000);
    // Two bad amounts, one early and one late, and a short row in the middle.
    text = text.replacen(";-400\n", ";tjue\n", 1);
    let late = text.rfind(";-399\n").unwrap();
    text.replace_range(late..late + 6, ";x\n");
    let middle = text.len() / 2;
    let line_end = middle + text[middle..].find('\n').unwrap() + 1;
    text.insert_str(line_end, "99;kort\n");
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (_, one) = f.import_on(1);
    assert_eq!(one.len(), 3, "{one:?}");
    for threads in [2, 4] {
        assert_eq!(f.import_on(threads).1, one, "{threads} threads");
    }
}

#[test]
fn utf8_with_one_bad_byte_is_a_located_problem_not_mojibake() {
    // "Avløp" in UTF-8, then "Brå" with å as the single Windows-1252 byte 0xE5.
    let bytes = b"omr;omr_tekst;belop\n01;Avl\xc3\xb8p;1\n02;Br\xe5nn;2\n";
    let f = Fixture::new("export.csv", bytes, LONG);
    let (ledger, problems) = f.import();
    assert_eq!(problems.len(), 1, "{problems:?}");
    // Line 3, character 6: "02;Br" is five characters before the byte.
    assert!(
        problems[0].contains("export.csv:3:6: found the byte 0xE5, which is not UTF-8"),
        "{}",
        problems[0]
    );
    assert!(
        problems[0].contains("encoding = \"windows-1252\""),
        "{}",
        problems[0]
    );
    assert!(ledger.lines.is_empty());
}

#[test]
fn excel_unicode_text_utf16_with_bom_and_tabs_just_works() {
    let text = "omr\tomr_tekst\tbelop\r\n01\tBarnehage og skole\t3 484 248\r\n02\tVann og avløp\t-1 362 250\r\n";
    for little_endian in [true, false] {
        let mut bytes = if little_endian {
            vec![0xff, 0xfe]
        } else {
            vec![0xfe, 0xff]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let f = Fixture::new("export.csv", &bytes, LONG);
        let (ledger, problems) = f.import();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ledger.sources[0].delimiter, Some(b'\t'));
        assert_eq!(
            values(&ledger, "area"),
            ["01 Barnehage og skole", "02 Vann og avløp"]
        );
        // 3 484 248 − 1 362 250 = 2 121 998
        assert_eq!(total(&ledger), Decimal::from(2_121_998));
    }
}

#[test]
fn line_breaks_inside_text_cells_become_spaces() {
    let text = "omr;omr_tekst;belop\n\
                01;\"Pleie og\r\nomsorg\";1\n\
                02;Skole\u{2028}og barnehage;2\n\
                03;Vann\u{2029}og\u{0b}avløp;3\n\
                04;\"Kultur\n\n\";4\n";
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (ledger, problems) = f.import();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        values(&ledger, "area"),
        [
            "01 Pleie og omsorg",
            "02 Skole og barnehage",
            "03 Vann og avløp",
            "04 Kultur"
        ]
    );
}

#[test]
fn a_byte_order_mark_inside_a_cell_makes_no_second_group() {
    let text = "omr;omr_tekst;belop\n01;Skole;1\n01;\u{feff}Skole;2\n\u{feff}01;Skole\u{feff};3\n";
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (ledger, problems) = f.import();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(values(&ledger, "area"), ["01 Skole"]);
    assert_eq!(total(&ledger), Decimal::from(6));
}

#[test]
fn control_characters_and_unprintable_characters_are_located_problems() {
    let text = "omr;omr_tekst;belop\n\
                01;Sk\u{0}ole;1\n\
                02;Bell\u{7};2\n\
                03;\u{1b}[31mRød;3\n\
                04;Glad 😀;4\n\
                05;中文;5\n\
                06;Privat \u{e000};6\n\
                07;Sámi: áčđŋšŧž;7\n";
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (ledger, problems) = f.import();
    let expected = [
        "export.csv:2:2: column \"omr_tekst\": found U+0000 (NUL) at character 3",
        "export.csv:3:2: column \"omr_tekst\": found U+0007 (BEL) at character 5",
        "export.csv:4:2: column \"omr_tekst\": found U+001B (ESC) at character 1",
        "export.csv:5:2: column \"omr_tekst\": found U+1F600 \"😀\" at character 6",
        "export.csv:6:2: column \"omr_tekst\": found U+4E2D \"中\" at character 1",
        "export.csv:7:2: column \"omr_tekst\": found U+E000 (PRIVATE USE) at character 8",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (problem, expected) in problems.iter().zip(expected) {
        assert!(
            problem.starts_with(&format!("{}", f.dir.path().join(expected).display()))
                || problem.contains(expected),
            "{problem}\nexpected {expected}"
        );
    }
    // The Sámi row is read.
    assert_eq!(values(&ledger, "area"), ["07 Sámi: áčđŋšŧž"]);
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let text = "omr;omr_tekst;belop\n01;A;1\n02;\"B;2\n03;C;3\n04;D;4\n";
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (_, problems) = f.import();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("export.csv:3: found a quote"),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("never closed"), "{}", problems[0]);
    // In the last column, where the row still has all its fields.
    let text = "omr;omr_tekst;belop\n01;A;1\n02;B;\"2\n03;C;3\n";
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (_, problems) = f.import();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("export.csv:3: found a quote"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_huge_cell_is_quoted_only_in_part() {
    let huge = "9".repeat(100_000) + "x";
    let text = format!(
        "omr;omr_tekst;belop\n01;A;{huge}\n02;{};2\n",
        "B".repeat(50_000)
    );
    let f = Fixture::new("export.csv", text.as_bytes(), LONG);
    let (_, problems) = f.import();
    assert_eq!(problems.len(), 2, "{problems:?}");
    for problem in &problems {
        assert!(
            problem.chars().count() < 1200,
            "{} characters",
            problem.len()
        );
        assert!(problem.contains('…'), "{problem}");
    }
}

/// A profile with one change, and the line the error must name.
fn refused(profile: &str, file: &str, line: u64, words: &str) {
    let f = Fixture::new(file, b"omr;omr_tekst;belop\n01;A;1\n", profile);
    let error = f.profile_error();
    let at = format!("profile.toml:{line}: ");
    assert!(error.contains(&at), "expected {at:?} in: {error}");
    assert!(error.contains(words), "expected {words:?} in: {error}");
}

#[test]
fn contradictory_profile_keys_are_refused_at_their_line() {
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         [sign]\nconvention = \"income_negative\"\ncolumn = \"art\"\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        9,
        "sign.column",
    );
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         [sign]\nconvention = \"income_negative\"\nincome = [\"I\"]\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        9,
        "sign.income",
    );
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         auto = true\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        7,
        "layout.auto",
    );
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         columns = []\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        7,
        "layout.columns",
    );
    refused(
        "[source]\nfile = \"export.csv\"\nsheet = \"Ark1\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = 2024\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        3,
        "source.sheet",
    );
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         version = \"budsjett\"\nversion_column = \"versjon\"\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        8,
        "version_column",
    );
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\nyear = 2024\n\
         [dimensions]\narea = { code = \"omr\" }\n",
        "export.csv",
        6,
        "layout.year",
    );
    refused(
        "[source]\nfile = \"export.xlsx\"\nencoding = \"utf-8\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = 2024\n[dimensions]\narea = { code = \"omr\" }\n",
        "export.xlsx",
        3,
        "source.encoding",
    );
}

#[test]
fn the_key_line_is_the_key_in_its_own_table() {
    // `label` appears in two dimensions; the bad one is the second.
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         [dimensions]\nservice = { code = \"omr\", label = \"Tjeneste\" }\n\
         area = { code = \"omr\", label = \"Glad 😀\" }\n",
        "export.csv",
        9,
        "dimensions.area.label",
    );
    // `unit` is set in [source]; the kostra key of art, not of service, is wrong.
    refused(
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
         [dimensions.service]\ncode = \"omr\"\nkostra = [1, 3]\n[dimensions.art]\ncode = \"omr\"\nkostra = [1, 2]\n",
        "export.csv",
        12,
        "dimensions.art.kostra",
    );
}
