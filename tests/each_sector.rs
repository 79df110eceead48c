//! `render --each area`: one PDF per sector with the sector's own sums, safe file names, the
//! whole budget's totals for context, no claims that hold only for the whole budget, and a
//! failed sector that does not stop the others. Every expected figure is worked out by hand
//! from the small export below.

mod common;

use std::path::Path;
use std::process::Output;

use common::{files_in, pdf_text, squeeze, stderr};

const REPORT: &str = "[report]\nname = \"t\"\nmunicipality = \"Testby kommune\"\ndocument = \"Budsjett 2023\"\n\
    title = \"Driftsbudsjett\"\ndate = 2023-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2023, 2024]\n\
    [budget]\nsources = [\"profile.toml\"]\ngroup_by = \"area\"\ndetail_by = \"service\"\n";

const PROFILE: &str = "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n\
    [dimensions]\narea = { code = \"omr\", text = \"navn\" }\nservice = { code = \"tj\", text = \"tjnavn\" }\n";

/// Codes a file system must not take as they are (`a/b`), a dotted code, and lines with no
/// area at all. Each year balances: 2023 1 540 000,70 − 1 540 000,70; 2024 1 661 000 − 1 661 000.
const EXPORT: &str = "omr;navn;tj;tjnavn;2023;2024\n\
    01A;Skole;100;Grunnskole;1 000 000,40;1 100 000\n\
    01A;Skole;110;SFO;200 000,30;210 000\n\
    01A;Skole;110;SFO;-50 000;-55 000\n\
    a/b;Helse;200;Legevakt;300 000;310 000\n\
    1.2;Kultur;300;Bibliotek;40 000;41 000\n\
    ;;900;Skatt;-1 490 000,70;-1 606 000\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("report.toml", REPORT),
        ("profile.toml", PROFILE),
        ("export.csv", EXPORT),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn render(dir: &Path, output: &Path, extra: &[&str]) -> Output {
    render_with(
        &Path::new(common::REPO).join("templates"),
        dir,
        output,
        extra,
    )
}

fn render_with(templates: &Path, dir: &Path, output: &Path, extra: &[&str]) -> Output {
    common::budsjett()
        .arg("render")
        .arg("--config")
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(templates)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn one_pdf_per_sector_with_its_own_sums_and_the_whole_budget_for_context() {
    let dir = fixture();
    let output = dir.path().join("output");
    let result = render(dir.path(), &output, &["--each", "area"]);
    assert!(result.status.success(), "{}", stderr(&result));
    // `a/b` becomes `a_2Fb` (no folder `a`), the lines without an area their own report.
    assert_eq!(
        files_in(&output),
        [
            ".t.set",
            "t-01A.pdf",
            "t-1.2.pdf",
            "t-_ikke-oppgitt.pdf",
            "t-a_2Fb.pdf"
        ]
    );
    assert!(!output.join("a").exists());

    let text = squeeze(&pdf_text(&output.join("t-01A.pdf")));
    assert!(text.contains("01A Skole"), "the sector's name is its title");
    // The sector's tables are grouped by tjeneste. 2023: Grunnskole 1 000 000,40, SFO
    // 200 000,30 − 50 000 = 150 000,30, together 1 150 000,70, printed 1 150 001; the rows
    // round to 1 000 000 + 150 000, so footing by largest remainder gives the missing krone
    // to Grunnskole (,40 > ,30). 2024: 1 100 000 and 155 000, 1 255 000.
    assert!(
        text.contains("100 Grunnskole 1 000 001 1 100 000"),
        "{text}"
    );
    assert!(text.contains("110 SFO 150 000 155 000"), "{text}");
    assert!(text.contains("Sum 1 150 001 1 255 000"), "{text}");
    // Expenses and income of the sector in the period's first year, 2023 (issue 24: net for
    // every year is in the table above): expenses 1 000 000,40 + 200 000,30 = 1 200 000,70,
    // printed 1 200 001 (the krone to Grunnskole again); income −50 000. 2024's are not
    // printed (its expenses would be 1 310 000).
    assert!(text.contains("110 SFO 200 000 −50 000 150 000"), "{text}");
    assert!(text.contains("Sum 1 200 001 −50 000 1 150 001"), "{text}");
    assert!(!text.contains("1 310 000"), "{text}");
    // No sentence or table that holds only for the whole budget.
    for claim in [
        "Sum (balanse)",
        "er i balanse",
        "§ 5-4",
        "Drift og investering",
    ] {
        assert!(!text.contains(claim), "a sector report says {claim:?}");
    }
    // The whole budget's sums per year, for context: expenses 2023 1 000 000,40 + 200 000,30
    // + 300 000 + 40 000 = 1 540 000,70 → 1 540 001; income −1 540 001; net 0.
    let context_2023 = "2023 budsjett 1 540 001 −1 540 001 0";
    let context_2024 = "2024 budsjett 1 661 000 −1 661 000 0";
    assert!(text.contains(context_2023), "{text}");
    assert!(text.contains(context_2024), "{text}");
    // … printed as the whole budget's report prints them.
    let whole_out = dir.path().join("whole");
    let whole = render(dir.path(), &whole_out, &[]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let whole_text = squeeze(&pdf_text(&whole_out.join("t.pdf")));
    assert!(whole_text.contains(context_2023) && whole_text.contains(context_2024));

    // The sector of the lines with no area: Skatt only.
    let none = squeeze(&pdf_text(&output.join("t-_ikke-oppgitt.pdf")));
    assert!(none.contains("900 Skatt −1 490 001 −1 606 000"), "{none}");
    let helse = squeeze(&pdf_text(&output.join("t-a_2Fb.pdf")));
    assert!(helse.contains("a/b Helse"), "{helse}");
    assert!(helse.contains("200 Legevakt 300 000 310 000"), "{helse}");
    assert!(result.status.success());
    assert!(String::from_utf8_lossy(&result.stdout).contains("wrote"));
}

/// Issue 24: a typical sector extract is two pages. Bergen's operating budget 2012 has 42
/// tjenesteområder of 1 to 12 tjenester; each extract begins with its title and summary on
/// page 1 (no title page, no contents), and all but the two largest (12 and 11 tjenester,
/// three pages) fit two pages. A note that explains a kind of table is printed once.
#[test]
fn a_typical_sector_of_a_real_budget_fits_two_pages() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("each");
    let result = common::budsjett()
        .args(["render", "--each", "area", "--config"])
        .arg(Path::new(common::REPO).join("docs/reports/bergen-2012-drift.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    let mut pages = std::collections::BTreeMap::new();
    for name in files_in(&output).iter().filter(|n| n.ends_with(".pdf")) {
        let text = pdf_text(&output.join(name));
        let first = text.split('\u{c}').next().unwrap_or_default();
        assert!(first.contains("1 Sammendrag"), "{name}: page 1 is\n{first}");
        assert_eq!(
            text.matches("Endring i prosent er regnet").count(),
            1,
            "{name}"
        );
        pages.insert(name.clone(), text.matches('\u{c}').count());
    }
    assert_eq!(pages.len(), 42);
    let longer: Vec<_> = pages.iter().filter(|(_, n)| **n > 2).collect();
    assert_eq!(
        longer,
        [
            (&"bergen-2012-drift-01B.pdf".to_string(), &3),
            (&"bergen-2012-drift-12C.pdf".to_string(), &3)
        ],
        "{pages:?}"
    );
}

#[test]
fn one_worker_and_two_make_the_same_bytes() {
    let dir = fixture();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    for (folder, jobs) in [(&one, "1"), (&two, "2")] {
        let result = render(dir.path(), folder, &["--each", "area", "--jobs", jobs]);
        assert!(result.status.success(), "{}", stderr(&result));
    }
    let names = files_in(&one);
    assert_eq!(names.len(), 5, "four PDFs and the set's list: {names:?}");
    for name in names {
        assert_eq!(
            std::fs::read(one.join(&name)).unwrap(),
            std::fs::read(two.join(&name)).unwrap(),
            "{name} differs"
        );
    }
}

// issue 22, inputs (rule 9): the sector PDFs are one set.
#[test]
fn a_new_set_removes_a_gone_sector_and_a_failed_sector_leaves_the_previous_set() {
    let dir = fixture();
    let output = dir.path().join("output");
    std::fs::create_dir_all(&output).unwrap();
    std::fs::write(output.join("notes.txt"), "not ours").unwrap();
    let first = render(dir.path(), &output, &["--each", "area"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // Kultur (1.2) is gone: its amounts moved to Helse, the years still balance.
    let export = EXPORT
        .replace(
            "a/b;Helse;200;Legevakt;300 000;310 000",
            "a/b;Helse;200;Legevakt;340 000;351 000",
        )
        .replace("1.2;Kultur;300;Bibliotek;40 000;41 000\n", "");
    std::fs::write(dir.path().join("export.csv"), &export).unwrap();
    let second = render(dir.path(), &output, &["--each", "area"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(
        files_in(&output),
        [
            ".t.set",
            "notes.txt",
            "t-01A.pdf",
            "t-_ikke-oppgitt.pdf",
            "t-a_2Fb.pdf"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(output.join(".t.set")).unwrap(),
        "t-01A.pdf\nt-a_2Fb.pdf\nt-_ikke-oppgitt.pdf\n"
    );
    let before: Vec<Vec<u8>> = files_in(&output)
        .iter()
        .map(|n| std::fs::read(output.join(n)).unwrap())
        .collect();
    // Helse changes, and the sector of the lines without an area fails where the whole
    // report cannot: a municipality's own sector template (the whole report does not use it)
    // misspells a name in the branch only that sector takes. Nothing is replaced.
    let changed = export.replace(
        "a/b;Helse;200;Legevakt;340 000;351 000",
        "a/b;Helse;200;Legevakt;340 001;351 000\n;;900;Skatt;-1;",
    );
    std::fs::write(dir.path().join("export.csv"), changed).unwrap();
    let templates = dir.path().join("templates");
    common::copy_dir(&Path::new(common::REPO).join("templates"), &templates);
    let sektor = templates.join("sektor.typ.j2");
    let own = std::fs::read_to_string(&sektor).unwrap();
    let typo = "{% if s.unassigned %}{{ s.unasigned_note }}{% endif %}\n";
    std::fs::write(&sektor, format!("{own}{typo}")).unwrap();
    let third = render_with(&templates, dir.path(), &output, &["--each", "area"]);
    assert_eq!(third.status.code(), Some(3), "{}", stderr(&third));
    let errors = stderr(&third);
    assert!(errors.contains("error: (ikke oppgitt):"), "{errors}");
    assert!(
        errors.contains("sektor.typ.j2:") && errors.contains("undefined value"),
        "{errors}"
    );
    assert!(
        errors.contains("1 of 3 sector reports failed (named above); none was written"),
        "{errors}"
    );
    assert!(!String::from_utf8_lossy(&third.stdout).contains("wrote"));
    let after: Vec<Vec<u8>> = files_in(&output)
        .iter()
        .map(|n| std::fs::read(output.join(n)).unwrap())
        .collect();
    assert_eq!(before, after, "the previous set was touched");
    assert_eq!(files_in(&output).len(), 5, "{:?}", files_in(&output));
}

// Session 9: a sector without a line in a plan year was refused (the rule that every plan
// year has lines holds for the whole report, which was checked first); it truly has 0 there,
// the figure the whole report prints for it.
#[test]
fn a_sector_without_a_line_in_a_plan_year_prints_0_there_as_the_whole_report_does() {
    let dir = fixture();
    // Z Bare: 700 in 2023 (paid by 700 more tax), no line in 2024.
    let export = format!("{EXPORT}Z;Bare;400;Scene;700;\n;;900;Skatt;-700;\n");
    std::fs::write(dir.path().join("export.csv"), export).unwrap();
    let output = dir.path().join("output");
    let result = render(dir.path(), &output, &["--each", "area"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let bare = squeeze(&pdf_text(&output.join("t-Z.pdf")));
    assert!(bare.contains("400 Scene 700 0"), "{bare}");
    assert!(bare.contains("Sum 700 0"), "{bare}");
    let whole_out = dir.path().join("whole");
    let whole = render(dir.path(), &whole_out, &[]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let whole_text = squeeze(&pdf_text(&whole_out.join("t.pdf")));
    assert!(whole_text.contains("Z Bare 700 0"), "{whole_text}");
}

#[test]
fn a_value_without_a_code_is_not_merged_with_a_code_it_reads_like() {
    let dir = fixture();
    // A line whose area has no code but the text "01A": not the sector 01A Skole.
    let export = format!("{EXPORT};01A;120;Leirskole;7;7\n;;900;Skatt;-7;-7\n");
    std::fs::write(dir.path().join("export.csv"), export).unwrap();
    let output = dir.path().join("output");
    let result = render(dir.path(), &output, &["--each", "area"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    let message = stderr(&result);
    assert!(
        message.contains(
            "the sectors \"01A Skole\" and \"01A\" would both be written to \"t-01A.pdf\""
        ),
        "{message}"
    );
    assert!(!output.exists() || files_in(&output).is_empty());
}

#[test]
fn a_second_writer_into_the_folder_is_refused() {
    let dir = fixture();
    let output = dir.path().join("output");
    let lock = budsjett::write::FolderLock::acquire(&output).unwrap();
    for extra in [&["--each", "area"][..], &[]] {
        let result = render(dir.path(), &output, extra);
        assert_ne!(result.status.code(), Some(0), "{extra:?}");
        assert!(
            stderr(&result).contains("another budsjett run is writing into this folder"),
            "{extra:?}: {}",
            stderr(&result)
        );
    }
    assert_eq!(files_in(&output), [".budsjett.lock"]);
    drop(lock);
    let result = render(dir.path(), &output, &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(files_in(&output), ["t.pdf"]);
}

#[test]
fn each_needs_a_budget_and_a_dimension_the_profiles_define() {
    let dir = fixture();
    let output = dir.path().join("output");
    let result = render(dir.path(), &output, &["--each", "project"]);
    assert!(!result.status.success());
    assert!(
        stderr(&result).contains("--each: found \"project\", but no profile defines that dimension; the profiles define area, service"),
        "{}",
        stderr(&result)
    );
    let result = render(dir.path(), &output, &["--each", "nonsense"]);
    assert!(stderr(&result).contains("expected a dimension: area, service"));
    // The sample report is a strategy chapter with no [budget] section.
    let sample = common::budsjett()
        .args(["render", "--each", "area", "--output"])
        .arg(&output)
        .current_dir(common::REPO)
        .output()
        .unwrap();
    assert!(!sample.status.success());
    assert!(
        stderr(&sample).contains("found no [budget] section"),
        "{}",
        stderr(&sample)
    );
    assert!(!output.exists(), "nothing may be written");
}

#[test]
fn a_sector_of_one_part_is_a_budget_of_that_part() {
    let dir = tempfile::tempdir().unwrap();
    let profile = |file: &str, part: &str, extra: &str| {
        format!(
            "[source]\nfile = \"{file}\"\npart = \"{part}\"\n[layout]\nkind = \"wide\"\nauto = true\n{extra}\
             [dimensions]\narea = {{ code = \"omr\", text = \"navn\" }}\nservice = {{ code = \"tj\", text = \"tjnavn\" }}\n"
        )
    };
    for (name, text) in [
        (
            "report.toml",
            REPORT
                .replace("plan = [2023, 2024]", "plan = [2023, 2023]")
                .replace("[\"profile.toml\"]", "[\"drift.toml\", \"inv.toml\"]")
                + "investering_version = \"inv\"\n",
        ),
        ("drift.toml", profile("drift.csv", "drift", "")),
        (
            "inv.toml",
            profile("inv.csv", "investering", "version_column = \"v\"\n"),
        ),
        (
            "drift.csv",
            "omr;navn;tj;tjnavn;2023\nA;Skole;100;Grunnskole;1 000\nC;Kultur;400;Scene;300\n\
             Z;Skatt;900;Skatt;-1 300\n"
                .into(),
        ),
        (
            // Brann has investment lines only; Kultur's only investment line is of another
            // version than the report's.
            "inv.csv",
            "omr;navn;tj;tjnavn;v;2023\nA;Skole;100;Grunnskole;inv;500\nB;Brann;300;Brannstasjon;inv;2 000\n\
             C;Kultur;400;Scene;gammel;700\nZ;Lån;900;Lån;inv;-2 500\n"
                .into(),
        ),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let output = dir.path().join("output");
    let result = render(dir.path(), &output, &["--each", "area"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(
        files_in(&output),
        [".t.set", "t-A.pdf", "t-B.pdf", "t-C.pdf", "t-Z.pdf"]
    );
    // Brann: a report of the investment budget alone, in its version.
    let brann = squeeze(&pdf_text(&output.join("t-B.pdf")));
    assert!(brann.contains("300 Brannstasjon 2 000"), "{brann}");
    assert!(
        brann.contains("hele kommunens investeringsbudsjett"),
        "{brann}"
    );
    assert!(!brann.contains("driftsbudsjett"), "{brann}");
    // Kultur: the operating budget alone (its investment line is not of the report's version).
    let kultur = squeeze(&pdf_text(&output.join("t-C.pdf")));
    assert!(kultur.contains("400 Scene 300"), "{kultur}");
    assert!(
        !kultur.contains("700") && !kultur.contains("investeringsbudsjett"),
        "{kultur}"
    );
    // Skole has both: each part on its own, 1 000 in drift and 500 in investering, never 1 500.
    let skole = squeeze(&pdf_text(&output.join("t-A.pdf")));
    assert!(
        skole.contains("1 Drift") && skole.contains("2 Investering"),
        "{skole}"
    );
    assert!(skole.contains("100 Grunnskole 1 000"), "{skole}");
    assert!(skole.contains("100 Grunnskole 500"), "{skole}");
    assert!(!skole.contains("1 500"), "{skole}");
}

// issue 22, inputs (rule 6): a group written only on its first row is listed and warned about.
#[test]
fn check_lists_the_empty_value_and_warns_when_most_lines_have_none() {
    let dir = fixture();
    let export = "omr;navn;tj;tjnavn;2023;2024\n\
        01A;Skole;100;Grunnskole;1 000;1 000\n\
        ;;110;SFO;200;200\n\
        ;;120;Leirskole;300;300\n\
        ;;900;Skatt;-1 500;-1 500\n";
    std::fs::write(dir.path().join("export.csv"), export).unwrap();
    let output = common::budsjett()
        .arg("check")
        .arg("--config")
        .arg(dir.path().join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    // 4 rows × 2 years = 8 lines, 6 of them without an area.
    assert!(
        out.contains("(area): 2 distinct values: 01A Skole; (empty) on 6 of 8 lines"),
        "{out}"
    );
    assert!(out.contains("warning: "), "{out}");
    assert!(out.contains("is empty on 6 of 8 lines"), "{out}");
}
