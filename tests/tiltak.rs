//! Issue 27, named changes (tiltak): the tiltak file (`[budget] tiltak`) printed per group as
//! the table of changes from the adopted budget, in the whole report and in the group's own
//! extract, cited in prose by `{{tiltak <id> <year>}}`, and checked against the change bridge.
//! Expected figures are worked out by hand from the small export below, in 1 000 kr.

mod common;

use std::path::Path;
use std::process::Output;

use common::{flat, pdf_text, squeeze, stderr, stdout};

const REPORT: &str = "[report]\nname = \"t\"\nmunicipality = \"Testby kommune\"\ndocument = \"Budsjett 2025\"\n\
    title = \"Driftsbudsjett\"\ndate = 2025-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2025, 2026]\n\
    [budget]\nsources = [\"profile.toml\"]\ngroup_by = \"area\"\ndetail_by = \"service\"\nunit = \"1000 kr\"\n\
    prose = \"tekst\"\nbridge_start = \"N00\"\ntiltak = \"tiltak.csv\"\n";

const PROFILE: &str = "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n\
    [dimensions]\narea = { code = \"omr\", text = \"navn\" }\nservice = { code = \"tj\", text = \"tjnavn\" }\n\
    change_group = { code = \"endr\", text = \"endrnavn\" }\n";

/// Each year balances. The change bridge (kroner): N01 Innsparinger −45 400 in 2025 and
/// −60 200 in 2026; N02 Nye tiltak 120 300 + 20 400 = 140 700 and 150 000 + 20 550 = 170 550.
const EXPORT: &str = "omr;navn;tj;tjnavn;endr;endrnavn;2025;2026\n\
    10;Skole;100;Grunnskole;N00;Vedtatt budsjett;1 200 000;1 200 000\n\
    10;Skole;100;Grunnskole;N01;Innsparinger;-45 400;-60 200\n\
    10;Skole;110;SFO;N02;Nye tiltak;120 300;150 000\n\
    20;Helse;200;Legevakt;N00;Vedtatt budsjett;480 000;480 000\n\
    20;Helse;200;Legevakt;N02;Nye tiltak;20 400;20 550\n\
    ;;900;Skatt;N00;Vedtatt budsjett;-1 775 300;-1 790 350\n";

/// In 1 000 kr. N01: −30,2 − 15,2 = −45,4 (2025) and −40,7 − 19,5 = −60,2 (2026); N02:
/// 120,3 + 20,4 = 140,7 and 150 + 20,55 = 170,55: the bridge's figures exactly.
/// Skole 2025: −30, −15, 120, sum 74,9 → 75 (no footing needed). Skole 2026: rounded alone
/// −41, −20, 150 would add to 89, but the sum 89,8 prints 90: the floors −41, −20, 150 add to
/// 89 and the one unit left goes to the largest remainder, −19,5's (,5 > ,3 of −40,7): −41,
/// −19, 150. Helse: 20,4 → 20 and 20,55 → 21.
const TILTAK: &str = "id;sector;change_group;name;kind;year;amount;text\n\
    S1;10;N01;Færre assistenter;innsparing;2025;-30,2;\n\
    S1;10;N01;Færre assistenter;innsparing;2026;-40,7;\n\
    S2;10;N01;Lavere vikarbruk;Innsparing;2025;-15,2;Vikarbudsjettet reduseres.\n\
    S2;10;N01;Lavere vikarbruk;innsparing;2026;-19,5;\n\
    T1;10;N02;Flere lærere;nytt tiltak;2025;120,3;\n\
    T1;10;N02;Flere lærere;nytt tiltak;2026;150;\n\
    H1;20;N02;Legevakt natt;nytt tiltak;2025;20,4;\n\
    H1;20;N02;Legevakt natt;nytt tiltak;2026;20,55;\n";

const SKOLE: &str = "# Mål\n\nVikarbruken går ned med {{tiltak S2 2026}} i 2026, \
    og {{tiltak T1 2025}} går til flere lærere.\n";

fn fixture(tiltak: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("report.toml", REPORT),
        ("profile.toml", PROFILE),
        ("export.csv", EXPORT),
        ("tiltak.csv", tiltak),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::create_dir(dir.path().join("tekst")).unwrap();
    std::fs::write(dir.path().join("tekst/10.md"), SKOLE).unwrap();
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

#[test]
fn each_groups_tiltak_print_under_its_table_and_prose_cites_the_printed_figures() {
    let dir = fixture(TILTAK);
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = squeeze(&pdf_text(&dir.path().join("output/t.pdf")));
    for row in [
        "Færre assistenter (innsparing) −30 −41",
        "Lavere vikarbruk (innsparing) −15 −19",
        "Flere lærere (nytt tiltak) 120 150",
        "Sum endringer 75 90",
        "Legevakt natt (nytt tiltak) 20 21",
        "Sum endringer 20 21",
    ] {
        assert!(text.contains(row), "no row {row:?} in {text}");
    }
    let prose = flat(&text);
    // The live figures are the footed ones: −19, not the −20 that −19,5 rounds to alone.
    assert!(
        prose.contains("Vikarbruken går ned med −19 i 2026, og 120 går til flere lærere."),
        "{prose}"
    );
    assert!(prose.contains("Lavere vikarbruk: Vikarbudsjettet reduseres."));
    // Skole's tiltak come after Skole's table of services and before Helse's heading.
    let services = prose.find("Netto per tjeneste, Skole").unwrap();
    let tiltak = prose
        .find("Endringer fra vedtatt budsjett, 10 Skole")
        .unwrap();
    let helse = prose
        .find("Endringer fra vedtatt budsjett, 20 Helse")
        .unwrap();
    assert!(services < tiltak && tiltak < helse, "{prose}");
    // The tiltak file is an input of the report, with its lines.
    assert!(text.contains("tiltak.csv tiltak 8"), "{text}");
    assert!(stdout(&run(dir.path(), "check", &[])).contains("tiltak.csv"));
}

#[test]
fn a_tiltak_sum_that_differs_from_the_change_bridge_is_named() {
    // S1 −30,1 instead of −30,2: N01's tiltak sum to −45 300 kr in 2025, the bridge −45 400.
    let dir = fixture(&TILTAK.replace("2025;-30,2", "2025;-30,1"));
    for command in ["check", "render"] {
        let result = run(dir.path(), command, &[]);
        assert_eq!(result.status.code(), Some(1), "{command}");
        let said = stderr(&result) + &stdout(&result);
        assert!(
            said.contains(
                "tiltak.csv:2: change group \"N01\" in 2025: the tiltak sum to -45 300 kr, but \
                 the change bridge has -45 400 kr (a difference of 100 kr)"
            ),
            "{said}"
        );
        assert!(!said.contains("in 2026"), "{said}");
    }
    assert!(!dir.path().join("output/t.pdf").exists());
}

#[test]
fn a_change_group_without_tiltak_is_a_difference_too() {
    // Without Helse's night service, N02's tiltak are Skole's 120,3 and 150 alone.
    let without: String = TILTAK
        .lines()
        .filter(|l| !l.starts_with("H1;"))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = fixture(&without);
    let result = run(dir.path(), "check", &[]);
    assert_eq!(result.status.code(), Some(1));
    let said = stderr(&result) + &stdout(&result);
    for year in [
        "\"N02\" in 2025: the tiltak sum to 120 300 kr, but the change bridge has 140 700 kr (a difference of -20 400 kr)",
        "\"N02\" in 2026: the tiltak sum to 150 000 kr, but the change bridge has 170 550 kr (a difference of -20 550 kr)",
    ] {
        assert!(said.contains(year), "{said}");
    }
}

#[test]
fn a_sector_extract_prints_its_own_tiltak_and_prose_in_two_pages() {
    let dir = fixture(TILTAK);
    let result = run(dir.path(), "render", &["--each", "area"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let skole_pdf = dir.path().join("output/t-10.pdf");
    let skole = squeeze(&pdf_text(&skole_pdf));
    assert!(
        skole.contains("Lavere vikarbruk (innsparing) −15 −19"),
        "{skole}"
    );
    assert!(
        flat(&skole).contains("Vikarbruken går ned med −19 i 2026"),
        "{skole}"
    );
    assert!(!skole.contains("Legevakt natt"), "{skole}");
    let helse = squeeze(&pdf_text(&dir.path().join("output/t-20.pdf")));
    assert!(
        helse.contains("Legevakt natt (nytt tiltak) 20 21"),
        "{helse}"
    );
    assert!(!helse.contains("Færre assistenter"), "{helse}");
    // Two pages: the sector's prose and tiltak, its tables and the municipality's totals.
    let info = std::process::Command::new("pdfinfo")
        .arg(&skole_pdf)
        .output()
        .unwrap();
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_string()));
    assert_eq!(pages.as_deref(), Some("2"));
}

#[test]
fn the_hostile_corpus_as_tiltak_names_and_texts_prints_literally() {
    // The data cells' hostile strings (tests/sample_report.rs); a `;` would split the cell.
    let corpus = [
        r#"#read("x") *bold* $1 [a] <b> @c \ // d"#,
        r#"#read("/etc/passwd") _x_ `y` = - + / https://x.no ~ -- ..."#,
    ];
    let tiltak = TILTAK
        .replace("Færre assistenter", corpus[0])
        .replace("Vikarbudsjettet reduseres.", corpus[1]);
    let dir = fixture(&tiltak);
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let printed = pdf_text(&dir.path().join("output/t.pdf"));
    for s in corpus {
        assert!(
            printed.contains(s),
            "{s:?} is not printed literally:\n{printed}"
        );
    }
    assert!(
        !printed.contains("root:"),
        "a tiltak was evaluated as Typst code"
    );
}

#[test]
fn a_nynorsk_report_words_the_table_of_tiltak_in_nynorsk() {
    let dir = fixture(TILTAK);
    let report = std::fs::read_to_string(dir.path().join("report.toml")).unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        report.replace(
            "template = \"budsjett.typ.j2\"",
            "template = \"budsjett.typ.j2\"\nlanguage = \"nn\"",
        ),
    )
    .unwrap();
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = squeeze(&pdf_text(&dir.path().join("output/t.pdf")));
    assert!(
        text.contains("Endringar frå vedteke budsjett, 10 Skole"),
        "{text}"
    );
    assert!(text.contains("Sum endringar 75 90"), "{text}");
    assert!(!text.contains("Sum endringer"), "{text}");
}
