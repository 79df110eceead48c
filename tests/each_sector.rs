//! `render --each area`: one PDF per sector with the sector's own sums, safe file names, the
//! whole budget's totals for context, no claims that hold only for the whole budget, and a
//! failed sector that does not stop the others. Every expected figure is worked out by hand
//! from the small export below.

mod common;

use std::path::{Path, PathBuf};
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
    common::budsjett()
        .arg("render")
        .arg("--config")
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
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
    // Expenses and income of the sector in 2024: 1 310 000 and −55 000.
    assert!(text.contains("110 SFO 210 000 −55 000 155 000"), "{text}");
    assert!(text.contains("Sum 1 310 000 −55 000 1 255 000"), "{text}");
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

#[test]
fn one_worker_and_two_make_the_same_bytes() {
    let dir = fixture();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    for (folder, jobs) in [(&one, "1"), (&two, "2")] {
        let result = render(dir.path(), folder, &["--each", "area", "--jobs", jobs]);
        assert!(result.status.success(), "{}", stderr(&result));
    }
    let names = files_in(&one);
    assert_eq!(names.len(), 4);
    for name in names {
        assert_eq!(
            std::fs::read(one.join(&name)).unwrap(),
            std::fs::read(two.join(&name)).unwrap(),
            "{name} differs"
        );
    }
}

#[test]
fn a_failed_sector_is_named_and_the_others_are_written() {
    let dir = fixture();
    let output = dir.path().join("output");
    // A folder where the Kultur PDF should go: its write fails, nothing else does.
    let blocked: PathBuf = output.join("t-1.2.pdf");
    std::fs::create_dir_all(blocked.join("inside")).unwrap();
    let result = render(dir.path(), &output, &["--each", "area"]);
    assert_eq!(
        result.status.code(),
        Some(3),
        "a failed sector fails the run as a report that could not be written"
    );
    let errors = stderr(&result);
    assert!(errors.contains("error: 1.2 Kultur:"), "{errors}");
    assert!(errors.contains("1 of 4 sector reports failed"), "{errors}");
    for name in ["t-01A.pdf", "t-a_2Fb.pdf", "t-_ikke-oppgitt.pdf"] {
        assert!(
            pdf_text(&output.join(name)).contains("Testby kommune"),
            "{name} was not written"
        );
    }
    assert!(
        blocked.join("inside").is_dir(),
        "the folder in the way was touched"
    );
    // No temporary file is left behind.
    assert!(files_in(&output).iter().all(|n| !n.ends_with(".partial")));
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
        ["t-A.pdf", "t-B.pdf", "t-C.pdf", "t-Z.pdf"]
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
