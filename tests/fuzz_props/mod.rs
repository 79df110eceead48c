//! The properties the fuzz targets (`fuzz/fuzz_targets/*.rs`, which include this file) and
//! the corpus replay (`tests/fuzz_corpus.rs`) check. Each takes arbitrary bytes and panics
//! when its property fails; a panic inside budsjett on any input is a failure too.

#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use budsjett::amount::{self, DecimalMark};
use budsjett::format;
use budsjett::load::export;
use budsjett::load::profile::Profile;
use budsjett::model::ledger::Ledger;

/// The amount parser never panics, and what it reads, printed the Norwegian way
/// (`−1 234,50` with no-break spaces), reads back as the same value.
pub fn amount(data: &[u8]) {
    let Ok(cell) = std::str::from_utf8(data) else {
        return;
    };
    for mark in [DecimalMark::Auto, DecimalMark::Comma, DecimalMark::Point] {
        if let Ok(value) = amount::parse_with(cell, mark) {
            let printed = format::number(value, value.scale());
            let again = amount::parse_with(&printed, DecimalMark::Comma)
                .unwrap_or_else(|e| panic!("{cell:?} → {value} → {printed:?}: {e}"));
            assert_eq!(again, value, "{cell:?} → {printed:?}");
        }
    }
}

/// The profile every CSV input is read through: a code, a text and an amount column.
fn csv_profile() -> &'static Profile {
    static PROFILE: OnceLock<Profile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        Profile::from_text(
            Path::new("fuzz/profile.toml"),
            "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"b\"\n\
             year = 2024\n[dimensions]\narea = { code = \"a\", text = \"t\" }\n",
        )
        .expect("the fuzz profile is valid")
    })
}

/// Everything a read gives that a report or a message could show.
fn fingerprint(ledger: &Ledger, problems: &[budsjett::error::DataError]) -> String {
    let mut out = format!("versions {:?}\n", ledger.versions);
    for dimension in &ledger.dimensions {
        out.push_str(&format!("{} {:?}\n", dimension.role, dimension.values));
    }
    for line in &ledger.lines {
        out.push_str(&format!("{line:?}\n"));
    }
    for info in &ledger.sources {
        out.push_str(&format!(
            "rows {} filtered {} empty {} long {} first_long {:?} {:?} {:?}\n",
            info.rows,
            info.filtered,
            info.empty_amounts,
            info.long_rows,
            info.first_long_row,
            info.encoding,
            info.delimiter
        ));
    }
    for problem in problems {
        out.push_str(&format!("{problem}\n"));
    }
    out
}

/// Dialect and encoding detection and the CSV reader never panic, and reading the file in
/// one part or in many (split wherever a record starts) gives the same lines and problems.
pub fn csv(data: &[u8]) {
    let profile = csv_profile();
    let (ledger, problems) = export::import_csv_bytes(profile, data, (1, usize::MAX));
    let one = fingerprint(&ledger, &problems);
    for threads in [2, 3, 5] {
        let (ledger, problems) = export::import_csv_bytes(profile, data, (threads, 1));
        let many = fingerprint(&ledger, &problems);
        assert_eq!(many, one, "{threads} parts differ from one");
    }
    // Every text that reached the ledger is printable: no line break, control character or
    // byte-order mark.
    for dimension in &ledger.dimensions {
        for value in &dimension.values {
            for text in [&value.code, &value.text] {
                assert!(
                    !text
                        .chars()
                        .any(|c| c.is_control() || c == '\u{feff}' || c == '\u{2028}'),
                    "{text:?} reached the ledger"
                );
            }
        }
    }
}

/// The profile and report parsers never panic, and an error's line lies inside the file.
pub fn toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count() as u64;
    if let Err(error) = Profile::from_text(Path::new("p/profile.toml"), text)
        && let Some(line) = error.line
    {
        assert!(
            (1..=lines).contains(&line),
            "line {line} of {lines}: {error}"
        );
    }
    if let Err(error) = budsjett::config::Config::from_text(Path::new("r/report.toml"), text) {
        let message = error.to_string();
        if let Some(rest) = message.split("line ").nth(1)
            && let Some(Ok(line)) = rest.split(':').next().map(str::parse::<u64>)
        {
            assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {message}"
            );
        }
    }
}

/// The configuration readers (report.toml and a profile) accept only what their schema allows:
/// never a panic (the `toml` property); in what they accept, every text that reaches a page
/// passes the data cell's check and every year lies in its range; and the same text with an
/// unknown key added to any of its tables is refused, naming that key.
pub fn config(data: &[u8]) {
    toml(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = budsjett::config::Config::from_text(Path::new("r/report.toml"), text) {
        let report = &config.report;
        let mut printed = vec![&report.municipality, &report.document, &report.title];
        printed.extend(&report.status);
        if let Some(budget) = &config.budget {
            printed.push(&budget.version);
            printed.extend(&budget.investering_version);
            for side in &budget.compare {
                printed.extend([&side.version, &side.label]);
                if let Some(year) = side.year {
                    assert!(budsjett::model::Year::RANGE.contains(&year), "{year}");
                }
            }
        }
        for text in printed {
            assert!(
                !text.trim().is_empty(),
                "an empty printed text was accepted"
            );
            assert!(
                budsjett::text::check_printable(text).is_ok(),
                "{text:?} was accepted"
            );
        }
        for year in [config.plan.first, config.plan.last, config.horizon.first] {
            assert!(budsjett::model::Year::RANGE.contains(&year), "{year}");
        }
        unknown_keys_are_refused(text, |t| {
            budsjett::config::Config::from_text(Path::new("r/report.toml"), t)
                .err()
                .map(|e| e.message)
        });
    }
    if Profile::from_text(Path::new("p/profile.toml"), text).is_ok() {
        unknown_keys_are_refused(text, |t| {
            Profile::from_text(Path::new("p/profile.toml"), t)
                .err()
                .map(|e| e.message)
        });
    }
}

/// An accepted TOML text with a key no schema has, added at the top and under each table
/// header, is refused with a message naming the key.
fn unknown_keys_are_refused(text: &str, read: impl Fn(&str) -> Option<String>) {
    const KEY: &str = "zz_no_such_key";
    let mut places = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        if line.trim_start().starts_with('[') && line.ends_with('\n') {
            places.push(at);
        }
    }
    for place in places {
        let changed = format!("{}{KEY} = 0\n{}", &text[..place], &text[place..]);
        // Only where the key really is a key (not inside a multi-line string or array).
        let Ok(tree) = changed.parse::<toml::Table>() else {
            continue;
        };
        fn holds(table: &toml::Table) -> bool {
            table.iter().any(|(k, v)| {
                k == KEY
                    || match v {
                        toml::Value::Table(t) => holds(t),
                        toml::Value::Array(items) => items.iter().any(|i| match i {
                            toml::Value::Table(t) => holds(t),
                            _ => false,
                        }),
                        _ => false,
                    }
            })
        }
        if !holds(&tree) {
            continue;
        }
        match read(&changed) {
            None => panic!("an unknown key was accepted at byte {place}:\n{changed}"),
            Some(message) => assert!(message.contains(KEY), "{message}"),
        }
    }
}

/// The texts a cell can hold after the importer: printable characters the fonts cover.
/// Combining marks are left out: when typst takes a mark from another font than its base
/// letter, each of the two text runs holds the whole cluster, so reading the runs back
/// repeats the letter (`á̍` reads as `á̍á̍`) although the page shows it once.
pub fn printable(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    let cleaned = budsjett::text::clean(&text).ok()?;
    let combining = |c: char| {
        matches!(
            u32::from(c),
            0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        )
    };
    if cleaned.chars().any(combining) {
        return None;
    }
    Some(cleaned.into_owned())
}

/// The text typst laid out in a document, in order.
fn laid_out(document: &typst_layout::PagedDocument) -> String {
    fn walk(frame: &typst::layout::Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(group) => walk(&group.frame, out),
                typst::layout::FrameItem::Text(text) => out.push_str(&text.text),
                _ => {}
            }
        }
    }
    let mut out = String::new();
    for page in document.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// The Typst escaper: a printable text escaped as markup, and as a string literal, compiles
/// and prints exactly that text (modulo whitespace); nothing in it becomes markup or code.
pub fn escape(data: &[u8]) {
    let Some(text) = printable(data) else {
        return;
    };
    let source = format!(
        "#set page(width: auto, height: auto, margin: 1pt)\n#set text(hyphenate: false)\n\
         {}\n\n#text({})\n",
        budsjett::template::escape_markup(&text),
        budsjett::template::string_literal(&text)
    );
    let templates = std::env::temp_dir();
    let date = budsjett::config::Date {
        year: 2024,
        month: 1,
        day: 1,
    };
    let typeset = budsjett::typeset::compile(source.clone(), &templates, "fuzz", date)
        .unwrap_or_else(|e| panic!("{text:?} does not compile: {e}\n{source}"));
    // Right-to-left letters (Hebrew, Arabic) are laid out in visual order, so with them the
    // characters are compared as a multiset: none may be lost, added or changed.
    let right_to_left = text
        .chars()
        .any(|c| matches!(u32::from(c), 0x590..=0x8FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF));
    let squeeze = |s: &str| {
        let mut chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        if right_to_left {
            chars.sort_unstable();
        }
        chars.into_iter().collect::<String>()
    };
    let expected = squeeze(&format!("{text}{text}"));
    assert_eq!(squeeze(&laid_out(&typeset.document)), expected, "{source}");
}

/// The § 5-7 debt reader (issue 22, rule 5) never panics; every problem it reports lies
/// inside the file; and a file it accepts is complete: a line per debt kind and plan year,
/// each year-end figure opening + borrowing − repayment, no negative debt, each opening the
/// year before's closing.
pub fn debt(data: &[u8]) {
    // The reader takes a path: one scratch file per process and thread.
    let path = std::env::temp_dir().join(format!(
        "budsjett-fuzz-debt-{}-{:?}.csv",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, data).unwrap();
    let years = [2024, 2025];
    let read = budsjett::aggregate::debt::load(&path, &years);
    let _ = std::fs::remove_file(&path);
    let lines = data.iter().filter(|b| **b == b'\n' || **b == b'\r').count() as u64 + 1;
    let overview = match read {
        Err(problems) => {
            assert!(!problems.is_empty());
            for problem in problems {
                if let Some(line) = problem.line {
                    assert!(
                        (1..=lines).contains(&line),
                        "line {line} of {lines}: {problem}"
                    );
                }
            }
            return;
        }
        Ok(overview) => overview,
    };
    let mut kinds: Vec<&str> = overview.debts.iter().map(|d| d.kind.as_str()).collect();
    kinds.dedup();
    for kind in kinds {
        for year in years {
            let of = |y: i32| {
                overview
                    .debts
                    .iter()
                    .filter(|d| d.kind == kind && d.year == y)
                    .collect::<Vec<_>>()
            };
            let this = of(year);
            assert_eq!(this.len(), 1, "{kind} {year}: {} lines", this.len());
            let d = this[0];
            assert_eq!(d.closing, d.opening + d.borrowing - d.repayment);
            assert!(!d.opening.is_sign_negative() || d.opening.is_zero());
            assert!(!d.closing.is_sign_negative() || d.closing.is_zero());
            if let Some(before) = of(year - 1).first() {
                assert_eq!(before.closing, d.opening, "{kind} {year}");
            }
        }
    }
    for o in &overview.obligations {
        assert!(!o.amount.is_sign_negative() || o.amount.is_zero());
    }
}

/// The KOSTRA file reader (issue 26) never panics; every problem lies inside the file (its
/// line, and a position from 1 to 49); and a file it accepts is complete: one line read per
/// record that is not blank, in order, every amount whole thousands of kroner.
pub fn kostra(data: &[u8]) {
    use budsjett::load::kostra_file::{self, Content};
    let path = std::path::Path::new("fuzz.dat");
    let text = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let records: Vec<u32> = text
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let file = match kostra_file::parse(path, data) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for problem in problems {
                if let Some(line) = problem.line {
                    assert!(
                        (1..=lines).contains(&line),
                        "line {line} of {lines}: {problem}"
                    );
                }
                if let Some((column, _)) = &problem.column {
                    assert!((1..=49).contains(column), "{problem}");
                }
            }
            return;
        }
        Ok(file) => file,
    };
    let (read, amounts): (Vec<u32>, Vec<rust_decimal::Decimal>) = match &file.content {
        Content::Accounts(l) => l.iter().map(|l| (l.line, l.amount)).unzip(),
        Content::Balance(l) => l.iter().map(|l| (l.line, l.amount)).unzip(),
    };
    assert_eq!(read, records, "the records read are not the file's records");
    let thousand = rust_decimal::Decimal::from(1000);
    for amount in amounts {
        assert!(
            (amount % thousand).is_zero(),
            "{amount} is not whole thousands"
        );
    }
}
