//! Issue 27, sector chapters with investment projects: a whole-budget report with drift and
//! investering whose sectors write prose (Markdown), name their changes (tiltak, CSV) and list
//! their investment projects (CSV), the projects joined with the investment export by project
//! code and their financing tied to § 5-5. Expected figures are worked out by hand from the
//! exports below, in 1 000 kr.

mod common;

use std::path::Path;
use std::process::Output;

use common::{flat, pdf_text, squeeze, stderr, stdout};

/// A balanced drift budget (2024–2025) with a transfer of 150 000 kr a year to investering;
/// the change group N01 is 65 600 kr for Oppvekst in 2025 (and nothing in 2024). Oppvekst's
/// net: 1 234 400 − 200 000 = 1 034 400 in 2024, 1 234 400 + 65 600 − 200 000 = 1 100 000 in
/// 2025.
const DRIFT: &[(&str, &str, &str, &str, i32, i64)] = &[
    ("1;Oppvekst", "10100", "202", "N00", 2024, 1_234_400),
    ("1;Oppvekst", "17000", "202", "N00", 2024, -200_000),
    ("2;Helse", "10100", "254", "N00", 2024, 2_345_600),
    ("2;Helse", "16000", "254", "N00", 2024, -345_000),
    ("2;Helse", "15900", "254", "N00", 2024, 100_000),
    ("9;Finans", "18000", "840", "N00", 2024, -2_500_000),
    ("9;Finans", "18700", "800", "N00", 2024, -1_000_000),
    ("9;Finans", "19900", "860", "N00", 2024, -100_000),
    ("9;Finans", "15000", "870", "N00", 2024, 65_000),
    ("9;Finans", "15400", "880", "N00", 2024, 150_000),
    ("9;Finans", "15700", "880", "N00", 2024, 150_000),
    ("9;Finans", "15100", "870", "N00", 2024, 100_000),
    ("1;Oppvekst", "10100", "202", "N00", 2025, 1_234_400),
    ("1;Oppvekst", "10100", "202", "N01", 2025, 65_600),
    ("1;Oppvekst", "17000", "202", "N00", 2025, -200_000),
    ("2;Helse", "10100", "254", "N00", 2025, 2_400_000),
    ("2;Helse", "16000", "254", "N00", 2025, -350_000),
    ("2;Helse", "15900", "254", "N00", 2025, 100_000),
    ("9;Finans", "18000", "840", "N00", 2025, -2_600_000),
    ("9;Finans", "18700", "800", "N00", 2025, -1_050_000),
    ("9;Finans", "19900", "860", "N00", 2025, -100_000),
    ("9;Finans", "15000", "870", "N00", 2025, 70_000),
    ("9;Finans", "15400", "880", "N00", 2025, 180_000),
    ("9;Finans", "15700", "880", "N00", 2025, 150_000),
    ("9;Finans", "15100", "870", "N00", 2025, 100_000),
];

/// The investment budget by project: P1 Ny skole 600 000 and 700 000 kr, P2 Barnehage
/// 400 000 and 300 000 kr, paid by loans of 850 000 kr (§ 5-5 row 13) and the transfer from
/// drift of 150 000 kr (row 20) a year.
const INVESTERING: &[(&str, &str, &str, &str, i32, i64)] = &[
    ("1;Oppvekst", "30100", "222", "P1", 2024, 600_000),
    ("1;Oppvekst", "30100", "222", "P2", 2024, 400_000),
    ("9;Finans", "39100", "870", "", 2024, -850_000),
    ("9;Finans", "39700", "880", "", 2024, -150_000),
    ("1;Oppvekst", "30100", "222", "P1", 2025, 700_000),
    ("1;Oppvekst", "30100", "222", "P2", 2025, 300_000),
    ("9;Finans", "39100", "870", "", 2025, -850_000),
    ("9;Finans", "39700", "880", "", 2025, -150_000),
];

/// In 1 000 kr. P1: a frame of 5 000, 2 000 approved before, 600 + 700 in the plan: 1 700
/// left. P2: 1 000, 100 before, 400 + 300: 200 left. Loans 500 + 350 = 850 and 600 + 250 =
/// 850, from drift 100 + 50 = 150 a year: § 5-5's rows 13 and 20.
const PROJECTS: &str = "project;name;sector;frame;before;year;vat;grants;sales;borrowing;drift;reserves\n\
    P1;Ny skole;1;5 000;2 000;2024;0;0;0;500;100;0\n\
    P1;Ny skole;1;5 000;2 000;2025;0;0;0;600;100;0\n\
    P2;Barnehage;1;1 000;100;2024;0;0;0;350;50;0\n\
    P2;Barnehage;1;1 000;100;2025;0;0;0;250;50;0\n";

/// N01's 65 600 kr in 2025 is one tiltak: 65,6 → 66.
const TILTAK: &str = "id;sector;change_group;name;kind;year;amount;text\n\
    T1;1;N01;Flere assistenter;nytt tiltak;2024;0;\n\
    T1;1;N01;Flere assistenter;nytt tiltak;2025;65,6;To nye stillinger fra høsten.\n";

const OPPVEKST: &str = "# Prioriteringer\n\nTo nye assistenter koster {{tiltak T1 2025}} i 2025. \
    Oppvekst har netto {{netto 2025}}.\n";

fn export(lines: &[(&str, &str, &str, &str, i32, i64)], column: &str) -> String {
    let mut csv = format!("omr;omr_tekst;art;funksjon;{column};aar;belop\n");
    for (area, art, funksjon, extra, year, amount) in lines {
        csv.push_str(&format!(
            "{area};{art};{funksjon};{extra};{year};{amount}\n"
        ));
    }
    csv
}

fn profile(file: &str, part: &str, extra: &str) -> String {
    format!(
        "[source]\nfile = \"{file}\"\npart = \"{part}\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = \"aar\"\nversion = \"budsjett\"\n[dimensions]\n\
         area = {{ label = \"Tjenesteområde\", code = \"omr\", text = \"omr_tekst\" }}\n\
         art = {{ code = \"art\", kostra = [2, 4] }}\nservice = {{ code = \"funksjon\", chart = \"kostra\" }}\n{extra}\n"
    )
}

/// The report folder, with `projects` as the projects file and `extra` under [budget].
fn fixture(projects: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let kostra = Path::new(common::REPO).join("data/kostra");
    let report = format!(
        "[report]\nname = \"budsjett\"\nmunicipality = \"Prøve kommune\"\ndocument = \"Budsjett 2024\"\n\
         title = \"Budsjett\"\ndate = 2024-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
         [budget]\nsources = [\"drift.toml\", \"investering.toml\"]\nversion = \"budsjett\"\ngroup_by = \"area\"\n\
         detail_by = \"service\"\nunit = \"1000 kr\"\nstatutory = {:?}\nbridge_start = \"N00\"\nprose = \"tekst\"\n\
         tiltak = \"tiltak.csv\"\nprojects = \"prosjekter.csv\"\n{extra}",
        kostra.display().to_string()
    );
    let files = [
        ("report.toml", report),
        ("drift.csv", export(DRIFT, "endr")),
        ("investering.csv", export(INVESTERING, "prosj")),
        (
            "drift.toml",
            profile("drift.csv", "drift", "change_group = { code = \"endr\" }"),
        ),
        (
            "investering.toml",
            profile(
                "investering.csv",
                "investering",
                "project = { label = \"Prosjekt\", code = \"prosj\" }",
            ),
        ),
        ("tiltak.csv", TILTAK.to_string()),
        ("prosjekter.csv", projects.to_string()),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::create_dir(dir.path().join("tekst")).unwrap();
    std::fs::write(dir.path().join("tekst/1.md"), OPPVEKST).unwrap();
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

fn pages(pdf: &Path) -> usize {
    let info = std::process::Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

#[test]
fn a_whole_budget_report_prints_each_sectors_prose_tiltak_and_projects() {
    let dir = fixture(PROJECTS, "");
    let result = run(dir.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = squeeze(&pdf_text(&dir.path().join("output/budsjett.pdf")));
    for row in [
        "P1 Ny skole 5 000 2 000 600 700 1 700",
        "P2 Barnehage 1 000 100 400 300 200",
        "Sum 6 000 2 100 1 000 1 000 1 900",
        "Flere assistenter (nytt tiltak) 0 66",
        // § 5-5's rows the financing is tied to: bruk av lån and the transfer from drift.
        "13. Bruk av lån −850 −850",
        "20. Overføring fra drift −150 −150",
    ] {
        assert!(text.contains(row), "no row {row:?} in {text}");
    }
    let prose = flat(&text);
    assert!(
        prose.contains("To nye assistenter koster 66 i 2025. Oppvekst har netto 1 100."),
        "{prose}"
    );
    assert!(prose.contains("Investeringsprosjekter, 1 Oppvekst. Beløp i 1 000 kr"));
    assert!(
        text.contains("prosjekter.csv investeringsprosjekter 4"),
        "{text}"
    );
    assert!(stdout(&run(dir.path(), "check", &[])).contains("prosjekter.csv"));
}

#[test]
fn financing_that_differs_from_section_5_5_is_named() {
    // P1's loan in 2024 is 400 instead of 500: the projects borrow 750 000 kr, row 13 is
    // −850 000 kr.
    let projects = PROJECTS.replace("2024;0;0;0;500;", "2024;0;0;0;400;");
    let dir = fixture(&projects, "");
    for command in ["check", "render"] {
        let result = run(dir.path(), command, &[]);
        assert_eq!(result.status.code(), Some(1), "{command}");
        let said = stderr(&result) + &stdout(&result);
        assert!(
            said.contains(
                "prosjekter.csv: 2024: the projects' borrowing financing is 750 000 kr, but § 5-5 \
                 row 13 is -850 000 kr (financing is income, so the budget shows it negative); the \
                 two must agree (a difference of -100 000 kr)"
            ),
            "{said}"
        );
        assert!(!said.contains("2025: the projects'"), "{said}");
    }
    assert!(!dir.path().join("output/budsjett.pdf").exists());
}

#[test]
fn a_project_over_its_frame_prints_only_when_accepted_with_its_reason() {
    // P2's frame 700: 100 before and 400 + 300 in the plan is 800, 100 over.
    let projects = PROJECTS.replace("P2;Barnehage;1;1 000;", "P2;Barnehage;1;700;");
    let refused = fixture(&projects, "");
    let checked = run(refused.path(), "check", &[]);
    let said = stderr(&checked) + &stdout(&checked);
    assert!(
        said.contains(
            "project P2: approved before (100 000 kr) and the plan years (700 000 kr) exceed its \
             frame of 700 000 kr by 100 000 kr"
        ),
        "{said}"
    );
    // The hostile strings of a data cell print literally as a reason.
    let reason = r#"#read("x") *bold* $1 [a] <b> @c \ // d"#;
    let accepted = fixture(
        &projects,
        &format!("accept_projects = [{{ project = \"P2\", reason = '{reason}' }}]\n"),
    );
    let result = run(accepted.path(), "render", &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = squeeze(&pdf_text(&accepted.path().join("output/budsjett.pdf")));
    // The remainder is what is left of the frame: 700 − 100 − 700 = −100.
    assert!(text.contains("P2 Barnehage 700 100 400 300 −100"), "{text}");
    assert!(flat(&text).contains(&format!("P2: {reason}")), "{text}");
}

#[test]
fn a_sector_extract_with_prose_tiltak_and_projects_fits_three_pages() {
    let dir = fixture(PROJECTS, "");
    let result = run(dir.path(), "render", &["--each", "area"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let oppvekst = dir.path().join("output/budsjett-1.pdf");
    let text = squeeze(&pdf_text(&oppvekst));
    for row in [
        "P1 Ny skole 5 000 2 000 600 700 1 700",
        "Flere assistenter (nytt tiltak) 0 66",
    ] {
        assert!(text.contains(row), "no row {row:?} in {text}");
    }
    assert!(flat(&text).contains("To nye assistenter koster 66 i 2025."));
    // A page for the sector's own words and tables, one for each part and the totals.
    assert!(pages(&oppvekst) <= 3, "{} pages", pages(&oppvekst));
    let helse = squeeze(&pdf_text(&dir.path().join("output/budsjett-2.pdf")));
    assert!(!helse.contains("Ny skole") && !helse.contains("Flere assistenter"));
}
