//! Replays the fuzz corpora (`fuzz/corpus/<target>/`, minimised, every case cargo-fuzz found
//! worth keeping) through the same properties the fuzz targets check
//! (`tests/fuzz_props/mod.rs`), so every case found once stays checked in CI; and checks the
//! same properties on random inputs with proptest, for machines without cargo-fuzz.

mod fuzz_props;

use std::path::Path;

use proptest::prelude::*;

/// Every file of one target's corpus.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", folder.display());
    files
}

fn replay(target: &str, property: fn(&[u8])) {
    for (name, data) in corpus(target) {
        let result = std::panic::catch_unwind(|| property(&data));
        assert!(result.is_ok(), "fuzz/corpus/{target}/{name} fails");
    }
}

#[test]
fn amount_corpus() {
    replay("amount", fuzz_props::amount);
}

#[test]
fn csv_corpus() {
    replay("csv", fuzz_props::csv);
}

#[test]
fn toml_corpus() {
    replay("toml", fuzz_props::toml);
}

#[test]
fn debt_corpus() {
    replay("debt", fuzz_props::debt);
}

#[test]
fn config_corpus() {
    replay("config", fuzz_props::config);
}

#[test]
fn kostra_corpus() {
    replay("kostra", fuzz_props::kostra);
}

#[test]
fn escape_corpus() {
    replay("escape", fuzz_props::escape);
}

/// Bytes that are mostly what CSV and amounts are made of.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b";".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b" ".to_vec()),
        Just(b"a;t;b\n".to_vec()),
        Just("ø".as_bytes().to_vec()),
        Just(b"\xe5".to_vec()),
        Just("\u{2028}".as_bytes().to_vec()),
        Just(b"\t".to_vec()),
        Just(b",".to_vec()),
        Just(b"01".to_vec()),
        Just(b"-1 234,50".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| {
        let mut bytes = b"a;t;b\n".to_vec();
        bytes.extend(pieces.concat());
        bytes
    })
}

/// Debt files: the header, then lines made of the kinds, years and amounts a debt file holds.
fn debt_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b";".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"2024;".to_vec()),
        Just(b"2025;".to_vec()),
        Just(b"investering;".to_vec()),
        Just(b"videreutlan;".to_vec()),
        Just(b"garanti;".to_vec()),
        Just(b"leie;".to_vec()),
        Just(b"1 000;".to_vec()),
        Just(b"-500;".to_vec()),
        Just(b"0;".to_vec()),
        Just(b"2025;investering;900;0;0;900;\n".to_vec()),
        Just(b"2024;investering;1 000;0;100;;\n".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| {
        let mut bytes = b"year;kind;opening;borrowing;repayment;closing;text\n".to_vec();
        bytes.extend(pieces.concat());
        bytes
    })
}

/// KOSTRA files: records of good fields, with pieces that break them (a short line, a
/// letter in a number, another year or region, text past position 48).
fn kostra_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"0A2024 500100                  1202 010     1234\n".to_vec()),
        Just(b"0A2024 500100                  0222 010    -1000\r\n".to_vec()),
        Just(b"0B2024 500100                  251  000    -1200\n".to_vec()),
        Just(b"0A20243500100".to_vec()),
        Just(b"0A2023 500200".to_vec()),
        Just(b"                  ".to_vec()),
        Just(b"1202 010".to_vec()),
        Just(b"    -1250".to_vec()),
        Just(b"12a4".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just("ø".as_bytes().to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_kostra_file_is_read_whole_or_refused_at_its_lines(bytes in kostra_bytes()) {
        fuzz_props::kostra(&bytes);
    }

    #[test]
    fn amounts_read_back_as_printed(cell in "[-−(]?[0-9 .,\u{a0}]{0,14}[0-9)]?( kr)?") {
        fuzz_props::amount(cell.as_bytes());
    }

    #[test]
    fn one_part_and_many_read_alike(bytes in csv_bytes()) {
        fuzz_props::csv(&bytes);
    }

    #[test]
    fn a_debt_file_is_complete_or_refused(bytes in debt_bytes()) {
        fuzz_props::debt(&bytes);
    }

    #[test]
    fn toml_errors_name_a_line_inside_the_file(text in "(\\[(source|layout|sign|budget|report|period)\\]\n|[a-z_]{1,8} = (\"[a-zæø ]{0,6}\"|[0-9-]{1,4}|true|\\[[0-9, ]{0,8}\\])\n|#[^\n]{0,5}\n){0,12}") {
        fuzz_props::toml(text.as_bytes());
    }
}

/// A real report or profile with a few lines inserted: keys of the schema, misspelt keys and
/// values of every form (texts with emoji and control characters, negative and huge numbers,
/// lists, tables), so that most cases get past the TOML parser into the schema.
fn config_text() -> impl Strategy<Value = String> {
    let base = prop::sample::select(vec![
        include_str!("../docs/reports/bergen-2012-drift.toml"),
        include_str!("../docs/profiles/bergen-2012-drift.toml"),
        include_str!("../data/report.toml"),
    ]);
    let key = prop::sample::select(vec![
        "version",
        "year",
        "label",
        "compare",
        "kostra_year",
        "status",
        "group_order",
        "investering_group_by",
        "investering_detail_by",
        "unit",
        "decimals",
        "base_year",
        "plan",
        "horizon",
        "amount",
        "kind",
        "code",
        "text",
        "chart",
        "kostra",
        "title",
        "yaer",
        "verison",
        "lable",
        "stauts",
        "columns",
        "auto",
        "area",
    ]);
    let value = prop_oneof![
        "\"[a-zæø 😀\u{7}\u{1b}]{0,6}\"",
        "-?[0-9]{1,5}",
        Just("[]".to_string()),
        "\\[\"[a-z0-9]{0,4}\", \"[a-z0-9]{0,4}\"\\]",
        "\\{ (version|column) = \"[a-z]{1,4}\", (year|yaer|label) = -?[0-9]{1,4} \\}",
        "\\[\\{ version = \"[a-z]{1,4}\" \\}, \"[a-z]{0,4}\"\\]",
    ];
    (base, prop::collection::vec((0..80usize, key, value), 0..4)).prop_map(|(base, edits)| {
        let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
        for (at, key, value) in edits {
            lines.insert(at.min(lines.len()), format!("{key} = {value}"));
        }
        lines.join("\n") + "\n"
    })
}

proptest! {
    // BUDSJETT_CONFIG_CASES raises the count for a longer run where cargo-fuzz is not built.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("BUDSJETT_CONFIG_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn configurations_accept_only_their_schema(text in config_text()) {
        fuzz_props::config(text.as_bytes());
    }
}

proptest! {
    // Each case typesets a document: fewer of them.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn escaped_text_prints_exactly(text in "[ -~æøåÆØÅáčđŋšŧž–—«»“”…§€]{0,40}") {
        fuzz_props::escape(text.as_bytes());
    }
}
