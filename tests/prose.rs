//! Issue 27, prose: the sectors' Markdown (`[budget] prose`) printed before each group's
//! table and in the group's own extract, with live figures equal to the tables' printed
//! figures, and every character of the text printed literally. Expected figures are worked
//! out by hand from the small export below, in 1 000 kr.

mod common;

use std::path::Path;
use std::process::Output;

use common::{flat, pdf_text, squeeze, stderr, stdout};

const REPORT: &str = "[report]\nname = \"t\"\nmunicipality = \"Testby kommune\"\ndocument = \"Budsjett 2025\"\n\
    title = \"Driftsbudsjett\"\ndate = 2025-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2025, 2026]\n\
    [budget]\nsources = [\"profile.toml\"]\ngroup_by = \"area\"\ndetail_by = \"service\"\nunit = \"1000 kr\"\nprose = \"tekst\"\n";

const PROFILE: &str = "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n\
    [dimensions]\narea = { code = \"omr\", text = \"navn\" }\nservice = { code = \"tj\", text = \"tjnavn\" }\n";

/// Each year balances. In 1 000 kr, 2025: Skole 1 434,6, Helse 500,4, Skatt −1 935,0; the
/// rounded rows add to −1 after flooring (1 434 + 500 − 1 935), so footing by largest
/// remainder gives the unit to Skole (,6 > ,4): 1 435, 500, −1 935.
/// 2026: Skole 1 400,6, Helse 500,55, Skatt −1 901,15; floors 1 400 + 500 − 1 902 = −2, so
/// the two units go to Skatt (,85) and Skole (,6): 1 401, 500 (not 501, as Helse would round
/// alone), −1 901.
const EXPORT: &str = "omr;navn;tj;tjnavn;2025;2026\n\
    10;Skole;100;Grunnskole;1 234 600;1 200 600\n\
    10;Skole;110;SFO;200 000;200 000\n\
    20;Helse;200;Legevakt;500 400;500 550\n\
    ;;900;Skatt;-1 935 000;-1 901 150\n";

const SKOLE: &str = "# Mål og prioriteringer\n\n\
    Skole har netto {{netto 2025}} i 2025 og {{netto 2026}} i 2026, en endring på \
    {{endring 2025 2026}}. Se {{tabell}}.\n\n\
    - Første punkt med *utheving* og **sterk** tekst\n\
    - [Lenke til kommunen](https://example.no)\n";

const OPENING: &str =
    "# Innledning\n\nHelse har netto {{netto 20 2026}} i 2026; se {{ tabell 20 }}.\n";

fn fixture(prose: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("report.toml", REPORT),
        ("profile.toml", PROFILE),
        ("export.csv", EXPORT),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::create_dir(dir.path().join("tekst")).unwrap();
    for (name, text) in prose {
        std::fs::write(dir.path().join("tekst").join(name), text).unwrap();
    }
    dir
}

fn run(dir: &Path, command: &str, extra: &[&str]) -> Output {
    let mut cmd = common::budsjett();
    cmd.arg(command)
        .arg("--config")
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"));
    if command == "render" {
        cmd.arg("--output").arg(dir.join("output"));
    }
    cmd.args(extra).output().unwrap()
}

/// The number of the table whose caption starts with `caption`, from "Tabell N: caption".
fn table_number(text: &str, caption: &str) -> String {
    text.lines()
        .find_map(|l| {
            let (head, rest) = l.trim().split_once(": ")?;
            rest.starts_with(caption)
                .then(|| head.strip_prefix("Tabell ").map(str::to_string))?
        })
        .unwrap_or_else(|| panic!("no table captioned {caption:?} in {text}"))
}

#[test]
fn live_figures_print_the_tables_figures_before_each_groups_table() {
    let dir = fixture(&[("10.md", SKOLE), ("innledning.md", OPENING)]);
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = squeeze(&pdf_text(&dir.path().join("output/t.pdf")));
    let prose = flat(&text);
    // The tables print the hand-worked figures.
    assert!(text.contains("10 Skole 1 435 1 401 −34"), "{text}");
    assert!(text.contains("20 Helse 500 500 0"), "{text}");
    // The prose cites exactly them: 1 401 − 1 435 = −34, Helse's footed 500 in 2026.
    assert!(
        prose.contains("Skole har netto 1 435 i 2025 og 1 401 i 2026, en endring på −34."),
        "{prose}"
    );
    let skole = table_number(&text, "Netto per tjeneste, Skole");
    let helse = table_number(&text, "Netto per tjeneste, Helse");
    assert!(prose.contains(&format!("Se Tabell {skole}.")), "{prose}");
    assert!(
        prose.contains(&format!("Helse har netto 500 i 2026; se Tabell {helse}.")),
        "{prose}"
    );
    // Markdown's structure is printed, its marks are not.
    assert!(prose.contains("Første punkt med utheving og sterk tekst"));
    assert!(prose.contains("Lenke til kommunen"));
    assert!(!prose.contains("**") && !prose.contains("{{"), "{prose}");
    // The group's prose comes after its heading and before its table.
    let heading = prose
        .find("10 Skole Mål og prioriteringer")
        .expect("the prose under its heading");
    let table = prose
        .find(&format!("Tabell {skole}:"))
        .expect("the group's table");
    assert!(heading < table);
    // The opening chapter is the report's first.
    assert!(
        prose.find("1 Innledning Helse har netto").is_some(),
        "{prose}"
    );
}

#[test]
fn a_sector_extract_prints_its_own_prose() {
    let dir = fixture(&[("10.md", SKOLE)]);
    let result = run(dir.path(), "render", &["--each", "area"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let skole = flat(&pdf_text(&dir.path().join("output/t-10.pdf")));
    assert!(
        skole.contains(
            "Skole har netto 1 435 i 2025 og 1 401 i 2026, en endring på −34. Se tabellen nedenfor."
        ),
        "{skole}"
    );
    let helse = flat(&pdf_text(&dir.path().join("output/t-20.pdf")));
    assert!(!helse.contains("Mål og prioriteringer"), "{helse}");
}

/// Markdown that prints `text` exactly: every ASCII punctuation character escaped with a
/// backslash, as CommonMark allows.
fn markdown_literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c.is_ascii_punctuation().then_some('\\');
            escape.into_iter().chain([c])
        })
        .collect()
}

/// The hostile corpus as Markdown (with a paragraph longer than a data cell may be), and the
/// strings that must print literally from it.
fn hostile_markdown() -> (String, Vec<&'static str>) {
    // The data cells' hostile strings (tests/sample_report.rs), and Typst that Markdown does
    // not touch at all.
    let corpus = [
        r#"#read("x") *bold* $1 [a] <b> @c \ // d"#,
        r#"#read("/etc/passwd") _x_ `y` = - + / https://x.no ~ -- ..."#,
    ];
    let plain = r#"#read("/etc/passwd") $x$ @c = #let y = 1 ] ) } // d"#;
    let mut text = String::from("# Mål\n\n");
    for s in corpus {
        text.push_str(&markdown_literal(s));
        text.push_str("\n\n");
    }
    text.push_str(plain);
    // A paragraph saved as one line, longer than a data cell may be, is no problem.
    let long = "Lang tekst om tjenesten. ".repeat(120);
    text.push_str("\n\n");
    text.push_str(&long);
    text.push('\n');
    (text, corpus.into_iter().chain([plain]).collect())
}

fn assert_printed_literally(pdf: &Path, literal: &[&str]) {
    let printed = pdf_text(pdf);
    for s in literal {
        assert!(
            printed.contains(s),
            "{s:?} is not printed literally:\n{printed}"
        );
    }
    assert!(
        !printed.contains("root:"),
        "prose was evaluated as Typst code"
    );
}

#[test]
fn the_hostile_corpus_through_markdown_prints_literally() {
    let (text, literal) = hostile_markdown();
    // A sector's prose in a budget report.
    let dir = fixture(&[("10.md", &text)]);
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_printed_literally(&dir.path().join("output/t.pdf"), &literal);

    // Issue 27, sample prose: a programme's own text in the strategy chapter.
    let sample = common::Scratch::new();
    std::fs::write(sample.data("tekst/trd30.md"), &text).unwrap();
    let result = common::budsjett()
        .arg("render")
        .arg("--config")
        .arg(sample.data("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(sample.output())
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    assert_printed_literally(&sample.pdf(), &literal);
}

#[test]
fn the_prose_files_are_in_the_fingerprint_and_the_colophon() {
    let dir = fixture(&[("10.md", SKOLE), ("innledning.md", OPENING)]);
    let before = run(dir.path(), "check", &[]);
    assert!(before.status.success(), "{}", stderr(&before));
    let listed = stdout(&before);
    assert!(
        listed.contains("tekst/10.md") && listed.contains("tekst/innledning.md"),
        "{listed}"
    );
    // One word changed in a sector's prose changes the digest.
    let edited = SKOLE.replace("Første", "Andre");
    std::fs::write(dir.path().join("tekst/10.md"), edited).unwrap();
    let after = stdout(&run(dir.path(), "check", &[]));
    let digest = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("Fingerprint: "))
            .map(str::to_string)
    };
    assert!(digest(&listed).is_some());
    assert_ne!(digest(&listed), digest(&after));
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = squeeze(&pdf_text(&dir.path().join("output/t.pdf")));
    assert!(text.contains("tekst/10.md tekst (Markdown)"), "{text}");
}

#[test]
fn init_writes_a_markdown_file_per_sector_that_renders() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("rapport");
    let made = common::run_in(&["init", dir.to_str().unwrap()], scratch.path());
    assert!(made.status.success(), "{}", stderr(&made));
    // init/example/budsjett.csv has three tjenesteområder: 1, 2 and 3.
    assert_eq!(
        common::files_in(&dir.join("data/tekst")),
        ["1.md", "2.md", "3.md"]
    );
    let seed = std::fs::read_to_string(dir.join("data/tekst/1.md")).unwrap();
    assert!(seed.starts_with("# "), "{seed}");
    assert!(seed.contains("{{netto 2025}}"), "{seed}");
    let rendered = common::run_in(&["render"], &dir);
    assert!(rendered.status.success(), "{}", stderr(&rendered));
    let text = flat(&pdf_text(&dir.join("output/budsjett-eksempel.pdf")));
    // Oppvekst 12 000 000 + 8 000 000 in 2025, in 1 000 kr: 20 000.
    assert!(
        text.contains("Netto ramme for 1 Oppvekst i 2025 er 20 000"),
        "{text}"
    );
}

#[test]
fn a_sector_extract_prints_and_cites_the_whole_reports_figure() {
    // Helse's one line in 2026 is 500 550 kr: the whole report foots it to 500 (see EXPORT);
    // rounded alone it would be 501. The extract's column foots to the whole report's figure
    // for the sector (session 8), so both PDFs print 500 and their prose cites it.
    let helse = "Helse har netto {{netto 2026}} i 2026.\n";
    let dir = fixture(&[("20.md", helse)]);
    let whole = run(dir.path(), "render", &[]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let text = flat(&pdf_text(&dir.path().join("output/t.pdf")));
    assert!(text.contains("Helse har netto 500 i 2026."), "{text}");
    let each = run(dir.path(), "render", &["--each", "area"]);
    assert!(each.status.success(), "{}", stderr(&each));
    let extract = pdf_text(&dir.path().join("output/t-20.pdf"));
    assert!(
        squeeze(&extract).contains("Sum 500 500"),
        "the extract's sum is the whole report's figure: {extract}"
    );
    assert!(
        flat(&extract).contains("Helse har netto 500 i 2026."),
        "{extract}"
    );
}
