//! The statutory tables and the two parts of a rendered report, from small hand-built exports
//! whose every figure was worked out by hand: each line lands in a row or a named exclusion, or
//! the run is refused with the unplaced codes; every printed quantity prints the same in every
//! table; a profile without KOSTRA codes is refused up front; drift and investering are two
//! budgets, never summed into one, with the transfer between them checked.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{pdf_text, stdout, table_rows};

/// One export line: area, art (5 digits, KOSTRA art at 2–4), funksjon, year, amount in kr.
type Line = (&'static str, &'static str, &'static str, i32, i64);

/// A balanced drift budget for 2024 and 2025 (worked out in the comments of each test).
const LINES: &[Line] = &[
    ("1;Oppvekst", "10100", "202", 2024, 1_234_400),
    ("1;Oppvekst", "17000", "202", 2024, -200_000),
    ("2;Helse", "10100", "254", 2024, 2_345_600),
    ("2;Helse", "16000", "254", 2024, -345_000),
    ("2;Helse", "15900", "254", 2024, 100_000), // avskrivninger: row 7, not row 6
    ("9;Finans", "18000", "840", 2024, -2_500_000),
    ("9;Finans", "18700", "800", 2024, -1_000_000),
    ("9;Finans", "19900", "860", 2024, -100_000),
    ("9;Finans", "15000", "870", 2024, 65_000),
    ("9;Finans", "15400", "880", 2024, 400_000),
    ("1;Oppvekst", "10100", "202", 2025, 1_300_000),
    ("1;Oppvekst", "17000", "202", 2025, -200_000),
    ("2;Helse", "10100", "254", 2025, 2_400_000),
    ("2;Helse", "16000", "254", 2025, -350_000),
    ("2;Helse", "15900", "254", 2025, 100_000),
    ("9;Finans", "18000", "840", 2025, -2_600_000),
    ("9;Finans", "18700", "800", 2025, -1_050_000),
    ("9;Finans", "19900", "860", 2025, -100_000),
    ("9;Finans", "15000", "870", 2025, 70_000),
    ("9;Finans", "15400", "880", 2025, 430_000),
];

/// The drift export's profile, by KOSTRA art and funksjon.
fn profile() -> String {
    common::kostra_profile("export.csv", "drift")
}

struct Report {
    dir: tempfile::TempDir,
}

impl Report {
    /// A report over `lines` (drift) with these extra `[budget]` keys and this profile.
    fn new(lines: &[Line], budget_keys: &str, profile: &str) -> Report {
        Report::with_sources(&[("drift", lines)], budget_keys, profile)
    }

    /// A report over one export per part, each read through `profile` with its part set.
    fn with_sources(sources: &[(&str, &[Line])], budget_keys: &str, profile: &str) -> Report {
        let dir = tempfile::tempdir().unwrap();
        let mut names = Vec::new();
        for (part, lines) in sources {
            std::fs::write(
                dir.path().join(format!("{part}.csv")),
                common::kostra_export(lines.iter()),
            )
            .unwrap();
            let profile = profile
                .replace("export.csv", &format!("{part}.csv"))
                .replace("part = \"drift\"", &format!("part = \"{part}\""));
            std::fs::write(dir.path().join(format!("{part}.toml")), profile).unwrap();
            names.push(format!("\"{part}.toml\""));
        }
        let kostra = Path::new(common::REPO).join("data/kostra");
        std::fs::write(
            dir.path().join("report.toml"),
            format!(
                "[report]\nname = \"budsjett\"\nmunicipality = \"Prøve kommune\"\n\
                 document = \"Budsjett 2024\"\ntitle = \"Driftsbudsjett\"\ndate = 2024-01-01\n\
                 template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
                 [budget]\nsources = [{}]\nversion = \"budsjett\"\n\
                 group_by = \"area\"\nstatutory = {:?}\n{budget_keys}\n",
                names.join(", "),
                kostra.display().to_string()
            ),
        )
        .unwrap();
        Report { dir }
    }

    fn run(&self, command: &str) -> Output {
        common::budsjett()
            .args([command, "--config"])
            .arg(self.dir.path().join("report.toml"))
            .arg("--templates")
            .arg(Path::new(common::REPO).join("templates"))
            .args(if command == "render" {
                vec!["--output".to_string(), self.output().display().to_string()]
            } else {
                vec![]
            })
            .output()
            .unwrap()
    }

    /// What `budsjett explain` with `args` prints, asserting that it succeeds.
    fn explain(&self, args: &[&str]) -> String {
        let output = common::budsjett()
            .args(["explain", "--config"])
            .arg(self.dir.path().join("report.toml"))
            .arg("--templates")
            .arg(Path::new(common::REPO).join("templates"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", common::stderr(&output));
        stdout(&output)
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    fn pdf(&self) -> PathBuf {
        self.output().join("budsjett.pdf")
    }

    fn render_text(&self) -> String {
        let output = self.run("render");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        pdf_text(&self.pdf())
    }
}

#[test]
fn every_printed_quantity_has_one_value_in_1000_kr() {
    let report = Report::new(LINES, "unit = \"1000 kr\"", &profile());
    let text = report.render_text();
    // Net per area (hand): 2024 Oppvekst 1 034 400, Helse 2 100 600, Finans −3 135 000;
    // 2025 1 100 000, 2 150 000, −3 250 000. In 1 000 kr: 1 034, 2 101, −3 135 and
    // 1 100, 2 150, −3 250; each column foots to 0 without adjustment.
    let expected: BTreeMap<&str, [&str; 2]> = [
        ("1 Oppvekst", ["1 034", "1 100"]),
        ("2 Helse", ["2 101", "2 150"]),
        ("9 Finans", ["−3 135", "−3 250"]),
    ]
    .into();
    for (label, [y2024, y2025]) in &expected {
        let rows = table_rows(&text, label);
        // The net table: 2024, 2025, change, percent.
        assert!(
            rows.iter()
                .any(|r| r.len() == 4 && r[0] == *y2024 && r[1] == *y2025),
            "{label}: {rows:?}"
        );
        // Expenses, income, net per year: the net is the same figure.
        assert!(
            rows.iter().any(|r| r.len() == 3 && r[2] == *y2024),
            "{label}: {rows:?}"
        );
        assert!(
            rows.iter().any(|r| r.len() == 3 && r[2] == *y2025),
            "{label}: {rows:?}"
        );
        // No table prints this area's net for a year as anything else: every two-column row
        // of the area (part two, the reconciliation) is the net, part of it, or the difference.
    }
    // § 5-4 part two: Oppvekst has every line in row 6, so it prints its net; Helse's row 6 is
    // 2 000 600 / 2 050 000 (its net less avskrivninger 100 000): 2 001 and 2 050, adding up
    // to row 6 as printed: 3 035 and 3 150.
    let oppvekst = table_rows(&text, "1 Oppvekst");
    assert!(
        oppvekst.iter().any(|r| r == &["1 034", "1 100"]),
        "{oppvekst:?}"
    );
    let helse = table_rows(&text, "2 Helse");
    assert!(helse.iter().any(|r| r == &["2 001", "2 050"]), "{helse:?}");
    let row6 = table_rows(&text, "6. Sum bevilgninger drift, netto");
    assert_eq!(row6, [["3 035", "3 150"]]);
    assert_eq!(table_rows(&text, "Sum (linje 6)"), [["3 035", "3 150"]]);
    // The reconciliation: Helse 100 each year (avskrivninger), Finans all of its net.
    assert!(helse.iter().any(|r| r == &["100", "100"]), "{helse:?}");
    let finans = table_rows(&text, "9 Finans");
    assert!(
        finans.iter().any(|r| r == &["−3 135", "−3 250"]),
        "{finans:?}"
    );
    // The bottom row of a balanced budget is 0, and the rows worked out by hand:
    // 1 = −2 500 / −2 600, 2 = −1 000 / −1 050, 7 = 100, 13 = 65 / 70, 16 = −100, 20 = 400 / 430.
    for (row, cells) in [
        ("1. Rammetilskudd", ["−2 500", "−2 600"]),
        ("2. Inntekts- og formuesskatt", ["−1 000", "−1 050"]),
        ("7. Avskrivninger", ["100", "100"]),
        ("13. Renteutgifter", ["65", "70"]),
        ("16. Motpost avskrivninger", ["−100", "−100"]),
        (
            "20. Netto avsetninger til eller bruk av disposisjonsfond",
            ["400", "430"],
        ),
        (
            "23. Fremført til inndekning i senere år (merforbruk)",
            ["0", "0"],
        ),
    ] {
        // Rows 1 and 2 are also rows 1 and 2 of § 5-6, the same quantities: printed alike.
        let found = table_rows(&text, row);
        assert!(
            !found.is_empty() && found.iter().all(|f| f == &cells),
            "{row}: {found:?}"
        );
    }
}

#[test]
fn every_printed_quantity_has_one_value_in_millions_with_one_decimal() {
    let report = Report::new(LINES, "unit = \"mill. kr\"\ndecimals = 1", &profile());
    let text = report.render_text();
    // 2024: 1,0344 / 2,1006 / −3,135 → floors 1,0 / 2,1 / −3,2 = −0,1; the missing 0,1 goes
    // to the largest remainder (Finans, 0,065) → 1,0 / 2,1 / −3,1.
    // 2025: 1,1 / 2,15 / −3,25 → floors 1,1 / 2,1 / −3,3 = −0,1; remainders 0 / 0,05 / 0,05,
    // a tie broken by the larger magnitude → Finans −3,2, Helse 2,1.
    for (label, y2024, y2025) in [
        ("1 Oppvekst", "1,0", "1,1"),
        ("2 Helse", "2,1", "2,1"),
        ("9 Finans", "−3,1", "−3,2"),
    ] {
        let rows = table_rows(&text, label);
        assert!(
            rows.iter()
                .any(|r| r.len() == 4 && r[0] == y2024 && r[1] == y2025),
            "{label}: {rows:?}"
        );
        assert!(
            rows.iter().any(|r| r.len() == 3 && r[2] == y2024),
            "{label}: {rows:?}"
        );
        assert!(
            rows.iter().any(|r| r.len() == 3 && r[2] == y2025),
            "{label}: {rows:?}"
        );
    }
    // § 5-4 top-down from row 23 = 0,0. 2024: 17 = −0,4 and 22 = 0,4; 17 → 9, 15, 16 =
    // −0,365, 0,065, −0,1: floors −0,4, 0,0, −0,1, one unit to 15 (remainder 0,065);
    // 9 → 5, 8 = −3,5, 3,135 (floors foot); 8 → 6, 7 = 3,035, 0,1: row 6 = 3,0.
    // 2025: 17, 22 = −0,43, 0,43 → −0,4, 0,4; 17 → 9, 15, 16 = −0,4, 0,07 → 0,1, −0,1;
    // 9 → 5, 8 = −3,65, 3,25: floors −3,7, 3,2, the unit to the larger magnitude (5): −3,6, 3,2;
    // 8 → 6, 7 = 3,15, 0,1: floors 3,1, 0,1 already foot, so row 6 = 3,1.
    // Part two: Oppvekst prints its net (1,0 / 1,1); Helse takes the rest of row 6:
    // 3,0 − 1,0 = 2,0 and 3,1 − 1,1 = 2,0.
    assert!(
        table_rows(&text, "1 Oppvekst")
            .iter()
            .any(|r| r == &["1,0", "1,1"])
    );
    assert!(
        table_rows(&text, "2 Helse")
            .iter()
            .any(|r| r == &["2,0", "2,0"])
    );
    assert_eq!(table_rows(&text, "Sum (linje 6)"), [["3,0", "3,1"]]);
    assert_eq!(
        table_rows(&text, "6. Sum bevilgninger drift, netto"),
        [["3,0", "3,1"]]
    );
    assert_eq!(
        table_rows(&text, "5. Sum generelle driftsinntekter"),
        [["−3,5", "−3,6"]]
    );
    // The balance row's change has no percentage.
    let total = table_rows(&text, "Sum (balanse)");
    assert_eq!(total, [["0,0", "0,0", "0,0", "–"]]);
}

// issue 22, inputs (rule 10): investment lines in a drift export point to the split.
#[test]
fn an_investment_art_in_drift_suggests_splitting_the_export_by_part() {
    let mut lines = LINES.to_vec();
    lines.push(("9;Finans", "19100", "870", 2024, -5_000)); // bruk av lån
    lines.push(("9;Finans", "15400", "880", 2024, 5_000));
    let out = stdout(&Report::new(&lines, "", &profile()).run("check"));
    assert!(
        out.contains("found 1 lines with arts SSB allows only in investering (910), but the profile reads this export as drift")
            && out.contains("each with a [[filter]] that keeps its own lines"),
        "{out}"
    );
    assert!(!out.contains("fit no row"), "{out}");
}

#[test]
fn an_unmapped_art_stops_check_and_render_with_code_count_and_sum() {
    // Art 999 is no KOSTRA art: two lines of 1 234 kr and 766 kr in 2024.
    let mut lines = LINES.to_vec();
    lines.push(("1;Oppvekst", "19990", "202", 2024, 1_234));
    lines.push(("2;Helse", "19990", "254", 2024, 766));
    lines.push(("9;Finans", "15400", "880", 2024, -2_000)); // keeps the budget balanced
    let report = Report::new(&lines, "", &profile());
    let check = report.run("check");
    let out = stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains("drift.csv:22: art 999: 2 lines of § 5-4 (drift) fit no row")
            && out.contains("sum 2024: 2 000 kr"),
        "{out}"
    );
    // render refuses and leaves the previous PDF alone.
    std::fs::create_dir_all(report.output()).unwrap();
    std::fs::write(report.pdf(), b"previous").unwrap();
    let render = report.run("render");
    assert_eq!(render.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&render.stderr).contains("art 999"));
    assert_eq!(std::fs::read(report.pdf()).unwrap(), b"previous");
}

#[test]
fn accepted_unmapped_lines_are_stated_on_the_page() {
    let mut lines = LINES.to_vec();
    lines.push(("1;Oppvekst", "19990", "202", 2024, 5_000));
    lines.push(("9;Finans", "15400", "880", 2024, -5_000));
    let report = Report::new(&lines, "accept_unmapped = true", &profile());
    let check = report.run("check");
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stdout(&check).contains("warning:"), "{}", stdout(&check));
    let text = common::flat(&report.render_text());
    assert!(text.contains("Oppstillingen er ufullstendig"), "{text}");
    // The residue row, and row 23 off the balance by exactly it: 0 − 5 000 kr.
    assert!(
        text.contains("Ikke plassert: art 999 (1 linjer) 5 000 0"),
        "{text}"
    );
    assert!(
        text.contains("23. Fremført til inndekning i senere år (merforbruk) −5 000 0"),
        "{text}"
    );
}

#[test]
fn a_statutory_report_without_kostra_codes_is_refused_naming_profile_and_dimension() {
    // No art dimension at all.
    let no_art = profile().replace("art = { code = \"art\", kostra = [2, 4] }\n", "");
    let report = Report::new(LINES, "", &no_art);
    let out = stdout(&report.run("check"));
    assert!(
        out.contains("drift.toml: dimensions.art:") && out.contains("has no art dimension"),
        "{out}"
    );
    // Artsgrupper are not KOSTRA arts.
    let groups = profile().replace("kostra = [2, 4]", "chart = \"artsgruppe\"");
    let out = stdout(&Report::new(LINES, "", &groups).run("check"));
    assert!(out.contains("\"artsgruppe\", not KOSTRA codes"), "{out}");
    // A funksjon the profile does not declare as KOSTRA's.
    let undeclared = profile().replace(", chart = \"kostra\"", "");
    let check = Report::new(LINES, "", &undeclared).run("check");
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("dimensions.service:")
            && stdout(&check).contains("does not say that its service codes are KOSTRA codes"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn grouping_by_a_dimension_no_profile_defines_is_refused() {
    let report = Report::new(LINES, "", &profile());
    let config = report.dir.path().join("report.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("group_by = \"area\"", "group_by = \"department\"");
    std::fs::write(&config, text).unwrap();
    let check = report.run("check");
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("budget.group_by: found \"department\", but no profile defines that dimension; the profiles define area, service, art"),
        "{}",
        stdout(&check)
    );
}

/// Drift as [`LINES`] but 150 000 kr of the disposisjonsfond moved to the transfer to
/// investering (art 570) each year; still balanced.
fn drift_with_transfer() -> Vec<Line> {
    let mut lines: Vec<Line> = LINES.to_vec();
    for line in &mut lines {
        if line.1 == "15400" {
            line.4 -= 150_000; // 2024: 400 000 → 250 000; 2025: 430 000 → 280 000
        }
    }
    lines.push(("9;Finans", "15700", "880", 2024, 150_000));
    lines.push(("9;Finans", "15700", "880", 2025, 150_000));
    lines
}

/// A school building under Oppvekst, paid by loans and 150 000 kr from drift each year.
fn investering(from_drift: i64) -> Vec<Line> {
    let mut lines = Vec::new();
    for year in [2024, 2025] {
        lines.push(("1;Oppvekst", "30100", "222", year, 1_000_000));
        lines.push(("9;Finans", "39100", "870", year, -1_000_000 + from_drift));
        lines.push(("9;Finans", "39700", "880", year, -from_drift));
    }
    lines
}

/// Drift with its transfer to investering, and an investment budget receiving `from_drift`.
fn two_parts(from_drift: i64, budget_keys: &str) -> Report {
    let drift = drift_with_transfer();
    let investering = investering(from_drift);
    Report::with_sources(
        &[("drift", &drift), ("investering", &investering)],
        budget_keys,
        &profile(),
    )
}

#[test]
fn drift_and_investering_are_two_budgets_never_summed() {
    let report = two_parts(150_000, "");
    let check = report.run("check");
    let out = stdout(&check);
    assert_eq!(check.status.code(), Some(0), "{out}");
    // Each part's balance, and the transfer reconciled: 150 000 kr sent and received.
    assert!(
        out.contains("drift: balance 2024: 0 kr, 2025: 0 kr"),
        "{out}"
    );
    assert!(
        out.contains("investering: balance 2024: 0 kr, 2025: 0 kr"),
        "{out}"
    );
    assert!(
        out.contains("2024: Overføring fra drift til investering: drift sends 150 000 kr (art 570), investering receives 150 000 kr (art 970)"),
        "{out}"
    );
    let text = report.render_text();
    // Each part by itself (hand): drift Oppvekst 1 034 400 in 2024; investering Oppvekst
    // 1 000 000 and Finans −1 000 000.
    assert!(
        table_rows(&text, "1 Oppvekst")
            .iter()
            .any(|r| r.first().is_some_and(|c| c == "1 034 400"))
    );
    assert!(
        table_rows(&text, "1 Oppvekst")
            .iter()
            .any(|r| r.first().is_some_and(|c| c == "1 000 000"))
    );
    // The transfer table: 150 000 sent, 150 000 received, no difference.
    let transfer = table_rows(
        &text,
        "Overføring fra drift til investering 2024 (art 570 / 970)",
    );
    assert_eq!(transfer, [["150 000", "150 000", "0"]]);
    // Both statutory overviews: § 5-4 row 18 and § 5-5 row 20 are the two sides.
    assert_eq!(
        table_rows(&text, "18. Overføring til investering"),
        [["150 000", "150 000"]]
    );
    assert_eq!(
        table_rows(&text, "20. Overføring fra drift"),
        [["−150 000", "−150 000"]]
    );
    assert_eq!(
        table_rows(
            &text,
            "25. Fremført til inndekning i senere år (udekket beløp)"
        ),
        [["0", "0"]]
    );
    // No figure anywhere is a sum across the parts (hand): Oppvekst's net 2024 over both parts
    // 2 034 400, 2025 2 100 000; Finans −4 135 000 / −4 250 000; all expenses 2024
    // 4 145 000 + 1 000 000 = 5 145 000 (income the same, negative); 2025 4 280 000 +
    // 1 000 000 = 5 280 000.
    let figures: Vec<String> = text
        .lines()
        .flat_map(|l| {
            l.split("  ")
                .map(str::trim)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    for cross in [
        "2 034 400",
        "2 100 000",
        "−4 135 000",
        "−4 250 000",
        "5 145 000",
        "−5 145 000",
        "5 280 000",
        "−5 280 000",
    ] {
        assert!(
            !figures.iter().any(|f| f == cross),
            "a cross-part sum is printed: {cross}"
        );
    }
    // Each part's own expenses are printed (drift 2024 4 145 000; investering 1 000 000).
    assert!(figures.iter().any(|f| f == "4 145 000"));
}

#[test]
fn a_transfer_that_differs_by_1000_kr_stops_check_and_render_naming_both_sums() {
    let report = two_parts(149_000, "");
    let check = report.run("check");
    let out = stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains("drift.csv:22: 2024: Overføring fra drift til investering: drift sends 150 000 kr (art 570) but investering receives 149 000 kr (art 970): a difference of 1 000 kr"),
        "{out}"
    );
    assert_eq!(report.run("render").status.code(), Some(1));
    // Accepted, the difference is printed.
    let accepted = two_parts(149_000, "accept_transfer_difference = true");
    let text = common::flat(&accepted.render_text());
    assert!(text.contains("De to budsjettene er ikke enige"), "{text}");
    assert!(
        text.contains(
            "Overføring fra drift til investering 2024 (art 570 / 970) 150 000 149 000 1 000"
        ),
        "{text}"
    );
}

#[test]
fn the_investment_part_can_have_its_own_grouping() {
    // Drift by area, investering by funksjon (as an investment budget by project would be).
    let report = two_parts(150_000, "investering_group_by = \"service\"");
    let text = report.render_text();
    // Investering per funksjon (hand): 222 1 000 000; 870 −850 000; 880 −150 000 each year.
    assert!(
        table_rows(&text, "222")
            .iter()
            .any(|r| r[..2] == ["1 000 000", "1 000 000"])
    );
    assert!(
        table_rows(&text, "870")
            .iter()
            .any(|r| r[..2] == ["−850 000", "−850 000"])
    );
    // Drift is still by area.
    assert!(
        table_rows(&text, "1 Oppvekst")
            .iter()
            .any(|r| r.first().is_some_and(|c| c == "1 034 400"))
    );
}

/// Drift with an ordinary avdrag of 100 000 kr a year (art 510), paid from the
/// disposisjonsfond allocation: still balanced.
fn drift_with_avdrag() -> Vec<Line> {
    let mut lines = drift_with_transfer();
    for line in &mut lines {
        if line.1 == "15400" {
            line.4 -= 100_000;
        }
    }
    lines.push(("9;Finans", "15100", "870", 2024, 100_000));
    lines.push(("9;Finans", "15100", "870", 2025, 100_000));
    lines
}

const DEBT: &str = "year;kind;opening;borrowing;repayment;closing;text
2024;investering;5 000 000;850 000;100 000;5 750 000;
2025;investering;5 750 000;850 000;100 000;;
2024;videreutlan;300 000;0;0;;
2025;videreutlan;300 000;0;0;300 000;
2025;garanti;;;;2 000 000;Selvskyldnergaranti for Prøve havn KF
";

/// The debt report with a population series of 1 000 inhabitants in both plan years.
fn debt_report_with_population() -> Report {
    let report = debt_report(DEBT);
    let config = report.dir.path().join("report.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(
            "debt = \"gjeld.csv\"",
            "debt = \"gjeld.csv\"\npopulation = \"folk.csv\"",
        ),
    )
    .unwrap();
    std::fs::write(
        report.dir.path().join("folk.csv"),
        "year;value\n2024;1 000\n2025;1 000\n",
    )
    .unwrap();
    report
}

fn debt_report(debt: &str) -> Report {
    let drift = drift_with_avdrag();
    let investering = investering(150_000);
    let report = Report::with_sources(
        &[("drift", &drift), ("investering", &investering)],
        "debt = \"gjeld.csv\"",
        &profile(),
    );
    std::fs::write(report.dir.path().join("gjeld.csv"), debt).unwrap();
    report
}

#[test]
fn debt_and_obligations_are_printed_and_agree_with_the_loan_rows() {
    let report = debt_report(DEBT);
    let text = report.render_text();
    // Hand: 5 000 000 + 850 000 − 100 000 = 5 750 000; then 6 500 000. Bruk av lån in § 5-5
    // (−850 000) and avdrag in § 5-4 row 14 (100 000) agree with the file.
    assert_eq!(
        table_rows(&text, "Lån til investeringer: gjeld 31.12."),
        [["5 750 000", "6 500 000"]]
    );
    assert_eq!(
        table_rows(&text, "Nye lån"),
        [["850 000", "850 000"], ["0", "0"]]
    );
    assert_eq!(
        table_rows(&text, "Sum gjeld 31.12."),
        [["6 050 000", "6 800 000"]]
    );
    assert_eq!(table_rows(&text, "Garantier"), [["–", "2 000 000"]]);
    assert!(common::flat(&text).contains("Garantier 2025: Selvskyldnergaranti for Prøve havn KF"));
}

#[test]
fn a_debt_that_does_not_add_up_or_disagrees_with_the_budget_is_a_located_problem() {
    // A year-end figure that is not opening + borrowing − repayment.
    let out = stdout(&debt_report(&DEBT.replace("5 750 000;\n", "5 750 001;\n")).run("check"));
    assert!(
        out.contains("gjeld.csv:2: closing: found 5 750 001 kr, but opening + borrowing − repayment is 5 750 000 kr"),
        "{out}"
    );
    // An opening that is not the year before's closing.
    let out = stdout(
        &debt_report(&DEBT.replace("2025;investering;5 750 000", "2025;investering;5 700 000"))
            .run("check"),
    );
    assert!(
        out.contains("gjeld.csv:3: opening: investering 2025 opens with 5 700 000 kr, but 2024 closed with 5 750 000 kr"),
        "{out}"
    );
    // Borrowing that is not the budget's bruk av lån.
    let changed = DEBT.replace(
        "2025;investering;5 750 000;850 000",
        "2025;investering;5 750 000;800 000",
    );
    let report = debt_report(&changed);
    let check = report.run("check");
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("2025: the borrowing of investering is 800 000 kr, but § 5-5 row 13 in the budget is -850 000 kr"),
        "{}",
        stdout(&check)
    );
    // A repayment that is not the budget's avdrag (§ 5-4 row 14 + § 5-5 row 5).
    let changed = DEBT
        .replace(
            "5 000 000;850 000;100 000;5 750 000",
            "5 000 000;850 000;90 000;5 760 000",
        )
        .replace("2025;investering;5 750 000", "2025;investering;5 760 000");
    let out = stdout(&debt_report(&changed).run("check"));
    assert!(
        out.contains("2024: the repayment of investering and andre is 90 000 kr, but § 5-4 row 14 + § 5-5 row 5 in the budget is 100 000 kr"),
        "{out}"
    );
}

#[test]
fn the_art_overview_of_drift_worked_out_by_hand() {
    let text = Report::new(LINES, "", &profile()).render_text();
    // § 5-6 for 2024 / 2025 from LINES (hand): rammetilskudd −2 500 000 / −2 600 000; skatt
    // −1 000 000 / −1 050 000; refusjoner (700) from others −200 000; brukerbetalinger (600)
    // −345 000 / −350 000; lønn (010) 1 234 400 + 2 345 600 = 3 580 000 / 3 700 000;
    // avskrivninger 100 000; renteutgifter 65 000 / 70 000; motpost −100 000; avsetning til
    // disposisjonsfond 400 000 / 430 000.
    for (row, cells) in [
        ("9. Sum driftsinntekter", ["−4 045 000", "−4 200 000"]),
        ("10. Lønnsutgifter", ["3 580 000", "3 700 000"]),
        ("15. Sum driftsutgifter", ["3 680 000", "3 800 000"]),
        // = § 5-4 row 9: −365 000 / −400 000.
        ("16. Brutto driftsresultat", ["−365 000", "−400 000"]),
        // = § 5-4 row 17.
        ("24. Netto driftsresultat", ["−400 000", "−430 000"]),
        (
            "28. Avsetninger til disposisjonsfond",
            ["400 000", "430 000"],
        ),
        (
            "32. Fremført til inndekning i senere år (merforbruk)",
            ["0", "0"],
        ),
    ] {
        assert_eq!(table_rows(&text, row), [cells], "{row}");
    }
}

#[test]
fn art_and_appropriation_overviews_that_disagree_are_a_problem() {
    // A copy of the mapping where § 5-6 sends avskrivninger (590) to lønn: row 14 no longer
    // equals § 5-4 row 7, and the check names both.
    let report = Report::new(LINES, "", &profile());
    let kostra = report.dir.path().join("kostra");
    std::fs::create_dir_all(&kostra).unwrap();
    for entry in std::fs::read_dir(Path::new(common::REPO).join("data/kostra")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), kostra.join(entry.file_name())).unwrap();
    }
    let mapping = kostra.join("drift-art-mapping.csv");
    let text = std::fs::read_to_string(&mapping).unwrap();
    let moved: String = text
        .lines()
        .map(|l| {
            if l.starts_with("14;590;590;") {
                l.replacen("14;", "10;", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(moved, text, "the mapping has a line 14;590;590");
    std::fs::write(&mapping, moved).unwrap();
    let config = report.dir.path().join("report.toml");
    let toml = std::fs::read_to_string(&config).unwrap();
    let toml = toml
        .lines()
        .map(|l| {
            if l.starts_with("statutory") {
                "statutory = \"kostra\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&config, toml).unwrap();
    let check = report.run("check");
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("2024: row 14 (Avskrivninger) of § 5-6 (drift etter art) is 0 kr, but row 7 of § 5-4 is 100 000 kr"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn explain_traces_a_printed_figure_to_its_lines() {
    let report = Report::new(LINES, "unit = \"1000 kr\"", &profile());
    let explain = |args: &[&str]| report.explain(args);
    // Helse 2024 (hand): 2 345 600 − 345 000 + 100 000 = 2 100 600 kr, printed 2 101.
    let out = explain(&["--group", "2", "--year", "2024"]);
    assert!(
        out.contains("drift.csv:4: 2 Helse | 254 | 10100 | 2 345 600 kr"),
        "{out}"
    );
    assert!(out.contains("3 linjer, nøyaktig sum 2 100 600 kr"), "{out}");
    assert!(
        out.contains(
            "avrundet én gang til 1 000 kr med 0 desimaler, halve enheter bort fra null: 2 101"
        ),
        "{out}"
    );
    assert!(
        out.contains("skrevet ut: 2 101 i «Netto per område"),
        "{out}"
    );
    // Its income and expenses as the table of expenses, income and net prints them (hand):
    // income −345 000 kr → −345; expenses 2 345 600 + 100 000 = 2 445 600 kr → 2 446 (the
    // column 1 234,4 / 2 445,6 / 465 foots to 4 145 by giving Helse the unit).
    let out = explain(&["--group", "2", "--year", "2024", "--flow", "income"]);
    assert!(out.contains("én linje, nøyaktig sum -345 000 kr"), "{out}");
    assert!(
        out.contains("skrevet ut: -345 i «Utgifter, inntekter og netto"),
        "{out}"
    );
    let out = explain(&["--group", "2", "--year", "2024", "--flow", "expenses"]);
    assert!(out.contains("2 linjer, nøyaktig sum 2 445 600 kr"), "{out}");
    assert!(out.contains("skrevet ut: 2 446 i"), "{out}");
    // § 5-4 row 6 in 2025 (hand): Oppvekst 1 300 000 − 200 000 and Helse 2 400 000 − 350 000:
    // 3 150 000 kr, printed 3 150, with the mapping lines that placed them.
    let out = explain(&["--row", "5-4:6", "--year", "2025"]);
    assert!(out.contains("linje 6: nøyaktig sum 3 150 000 kr"), "{out}");
    assert!(out.contains("drift-mapping.csv:"), "{out}");
    assert!(out.contains("skrevet ut: 3 150 i"), "{out}");
}

#[test]
fn explain_in_a_nynorsk_report_finds_the_row_by_its_nynorsk_name() {
    // The PDF of a nynorsk report names § 5-4 row 6 "Sum løyvingar drift, netto" (name_nn), so
    // explain must look for that label in the printed table, and say it, not the bokmål name.
    let report = Report::new(LINES, "unit = \"1000 kr\"", &profile());
    let config = report.dir.path().join("report.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "template = \"budsjett.typ.j2\"",
        "template = \"budsjett.typ.j2\"\nlanguage = \"nn\"",
    );
    std::fs::write(&config, text).unwrap();
    // Hand, as above: 3 150 000 kr in 2025, printed 3 150 in 1 000 kr.
    let out = report.explain(&["--row", "5-4:6", "--year", "2025"]);
    assert!(out.contains("Sum løyvingar drift, netto"), "{out}");
    assert!(!out.contains("bevilgninger"), "{out}");
    assert!(out.contains("skrive ut: 3 150 i «"), "{out}");
}

/// The figure `explain` says is printed: what stands between "skrevet ut: " and " i «".
fn explained_figure(out: &str) -> String {
    let line = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("skrevet ut: "))
        .unwrap_or_else(|| panic!("no printed figure in:\n{out}"));
    let (figure, _) = line.split_once(" i «").unwrap();
    figure.to_string()
}

/// The cells of the first row labelled `label` after the line holding `caption` in the
/// PDF's text, with the typographic minus made a hyphen as `explain` writes it.
fn pdf_row_after(text: &str, caption: &str, label: &str) -> Vec<String> {
    let at = text
        .find(caption)
        .unwrap_or_else(|| panic!("no {caption:?} in:\n{text}"));
    table_rows(&text[at..], label)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no row {label:?} after {caption:?}"))
        .into_iter()
        .map(|cell| cell.replace('\u{2212}', "-"))
        .collect()
}

#[test]
fn explain_and_the_page_print_the_same_figure() {
    let report = Report::new(LINES, "unit = \"1000 kr\"", &profile());
    let text = report.render_text();
    let explain = |args: &[&str]| explained_figure(&report.explain(args));
    // Helse's net in 2024, the first year column of the net table: 2 100 600 kr → 2 101 (hand).
    let net = explain(&["--group", "2", "--year", "2024"]);
    assert_eq!(net, "2 101");
    assert_eq!(pdf_row_after(&text, "Netto per område", "2 Helse")[0], net);
    // Its income in 2024, the second column of the year's table of expenses, income and net:
    // −345 000 kr → −345 (hand).
    let income = explain(&["--group", "2", "--year", "2024", "--flow", "income"]);
    assert_eq!(income, "-345");
    assert_eq!(
        pdf_row_after(
            &text,
            "Utgifter, inntekter og netto per område i 2024",
            "2 Helse"
        )[1],
        income
    );
}

#[test]
fn explain_says_when_footing_moved_the_printed_figure() {
    // Three areas of 1 400 kr and a tax income of −4 200 kr in each year: in 1 000 kr each
    // area is 1,4 → 1 and the tax −4,2 → −4, so the rounded rows add to −1 where the total
    // prints 0; largest remainder gives one area the missing unit (hand).
    let lines: Vec<Line> = [2024, 2025]
        .iter()
        .flat_map(|&year| {
            [
                ("1;Oppvekst", "10100", "202", year, 1_400),
                ("2;Helse", "10100", "254", year, 1_400),
                ("3;Kultur", "10100", "385", year, 1_400),
                ("9;Finans", "18000", "840", year, -4_200),
            ]
        })
        .collect();
    let report = Report::new(&lines, "unit = \"1000 kr\"", &profile());
    let text = report.render_text();
    let mut moved = Vec::new();
    for (group, label) in [("1", "1 Oppvekst"), ("2", "2 Helse"), ("3", "3 Kultur")] {
        let out = report.explain(&["--group", group, "--year", "2024"]);
        assert!(out.contains("nøyaktig sum 1 400 kr"), "{out}");
        assert!(out.contains("bort fra null: 1\n"), "{out}");
        let figure = explained_figure(&out);
        assert_eq!(pdf_row_after(&text, "Netto per område", label)[0], figure);
        let says_moved = out.contains("det utskrevne tallet er flyttet én enhet");
        assert_eq!(says_moved, figure == "2", "{out}");
        if says_moved {
            moved.push(group);
        }
    }
    assert_eq!(moved.len(), 1, "one area carries the unit: {moved:?}");
}

#[test]
fn a_part_without_lines_of_its_version_is_refused_and_investering_version_names_its_own() {
    let report = two_parts(150_000, "");
    // The investment export names its version differently.
    let profile = report.dir.path().join("investering.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace("version = \"budsjett\"", "version = \"12-15IN1\""),
    )
    .unwrap();
    let check = report.run("check");
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("budget.investering_version: the investering exports hold no lines of version \"budsjett\" in 2024, 2025; they hold 12-15IN1 (set budget.investering_version"),
        "{}",
        stdout(&check)
    );
    let config = report.dir.path().join("report.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text + "investering_version = \"12-15IN1\"\n").unwrap();
    let check = report.run("check");
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let text = report.render_text();
    assert!(
        table_rows(&text, "20. Overføring fra drift")
            .iter()
            .any(|r| r == &["−150 000", "−150 000"])
    );
}

#[test]
fn a_negative_debt_is_refused_and_the_page_says_which_checks_were_made() {
    let out = stdout(
        &debt_report(&DEBT.replace(
            "2024;videreutlan;300 000;0;0;",
            "2024;videreutlan;300 000;0;400 000;",
        ))
        .run("check"),
    );
    assert!(
        out.contains("gjeld.csv:4: closing: videreutlan 2024 ends at -100 000 kr, a negative debt"),
        "{out}"
    );
    let text = common::flat(&debt_report(DEBT).render_text());
    assert!(
        text.contains("Avdrag på lån til investeringer og andre langsiktige lån mot § 5-4 linje 14 og § 5-5 linje 5: stemmer."),
        "{text}"
    );
}

// Issue 24 (pages at scale): the § 5-7 block adds visibly.

#[test]
fn the_debt_block_adds_down_and_heads_its_obligations() {
    let text = debt_report(DEBT).render_text();
    // 5 000 000 + 850 000 − 100 000 = 5 750 000: avdrag printed with its sign.
    assert_eq!(
        table_rows(&text, "Avdrag"),
        [["−100 000", "−100 000"], ["0", "0"]]
    );
    // The first column is headed by what it holds, not "Linje"; the obligations have a
    // heading row of their own before "Garantier".
    let flat = common::flat(&text);
    assert!(flat.contains("Gjeld og forpliktelser 2024 2025"), "{flat}");
    let heading = flat
        .find("Forpliktelser utenom gjeld")
        .expect("a heading row");
    let guarantees = flat.find("Garantier –").expect("the guarantees' row");
    assert!(heading < guarantees, "{flat}");
}

#[test]
fn net_per_inhabitant_is_printed_for_drift_only() {
    let report = debt_report_with_population();
    let flat = common::flat(&report.render_text());
    // One table of net per inhabitant (drift's), none for investering.
    assert_eq!(
        flat.matches("Netto per innbygger per ").count(),
        1,
        "{flat}"
    );
}

/// Issue 24: the colophon says how many lines it read from the debt file and the population
/// series, as it does for the exports ("–" only where a file has no rows, such as the report's
/// configuration).
#[test]
fn the_colophon_counts_the_lines_of_the_debt_and_population_files() {
    let report = debt_report_with_population();
    let text = report.render_text();
    // The file's row of the colophon's table: name, role, rows (its SHA-256 is the next line).
    let row = |file: &str| {
        let at = text
            .find(file)
            .unwrap_or_else(|| panic!("no {file} in {text}"));
        text[at..].lines().next().unwrap_or_default().to_string()
    };
    // Hand: DEBT has five lines after its header, folk.csv two.
    let debt = row("gjeld.csv");
    assert!(
        debt.split_whitespace()
            .collect::<Vec<_>>()
            .ends_with(&["(§", "5-7)", "5"]),
        "{debt}"
    );
    let folk = row("folk.csv");
    assert!(
        folk.split_whitespace()
            .collect::<Vec<_>>()
            .ends_with(&["tallserie", "2"]),
        "{folk}"
    );
}
