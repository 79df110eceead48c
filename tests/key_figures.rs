//! The key figures page and the financial rules (issue 26), from a small hand-built budget
//! whose every key figure was worked out by hand: netto driftsresultat in kroner and percent,
//! the disposisjonsfond rolled forward from a KOSTRA balance file, netto lånegjeld (and per
//! inhabitant) from the debt file, the share of investments financed by loans; a rule that
//! fails is printed as failing, one that holds as holding; a figure without its input says so
//! and is never printed as 0; `explain --key-figure` prints the figure the page prints.

mod common;

use std::path::{Path, PathBuf};

use common::{flat, pdf_text, stdout, table_rows};

/// One export line: area, art (5 digits, KOSTRA art at 2–4), funksjon, year, amount in kr.
type Line = (&'static str, &'static str, &'static str, i32, i64);

/// A balanced drift budget for 2024 and 2025. By hand (§ 5-6 and § 5-4, ledger sign):
/// driftsinntekter (§ 5-6 row 9) = rammetilskudd + skatt + refusjon + brukerbetalinger
///   2024: −2 500 000 − 1 000 000 − 200 000 − 345 000 = −4 045 000
///   2025: −2 600 000 − 1 050 000 − 200 000 − 350 000 = −4 200 000;
/// netto driftsresultat (§ 5-4 row 17) = −(overføring 150 000 + avsetning to the
///   disposisjonsfond) = −300 000 (2024: 150 000 + 150 000) and −330 000 (2025: 150 000 +
///   180 000); row 20 (net allocation to the disposisjonsfond) 150 000 and 180 000.
const DRIFT: &[Line] = &[
    ("1;Oppvekst", "10100", "202", 2024, 1_234_400),
    ("1;Oppvekst", "17000", "202", 2024, -200_000),
    ("2;Helse", "10100", "254", 2024, 2_345_600),
    ("2;Helse", "16000", "254", 2024, -345_000),
    ("2;Helse", "15900", "254", 2024, 100_000),
    ("9;Finans", "18000", "840", 2024, -2_500_000),
    ("9;Finans", "18700", "800", 2024, -1_000_000),
    ("9;Finans", "19900", "860", 2024, -100_000),
    ("9;Finans", "15000", "870", 2024, 65_000),
    ("9;Finans", "15100", "870", 2024, 100_000),
    ("9;Finans", "15400", "880", 2024, 150_000),
    ("9;Finans", "15700", "880", 2024, 150_000),
    ("1;Oppvekst", "10100", "202", 2025, 1_300_000),
    ("1;Oppvekst", "17000", "202", 2025, -200_000),
    ("2;Helse", "10100", "254", 2025, 2_400_000),
    ("2;Helse", "16000", "254", 2025, -350_000),
    ("2;Helse", "15900", "254", 2025, 100_000),
    ("9;Finans", "18000", "840", 2025, -2_600_000),
    ("9;Finans", "18700", "800", 2025, -1_050_000),
    ("9;Finans", "19900", "860", 2025, -100_000),
    ("9;Finans", "15000", "870", 2025, 70_000),
    ("9;Finans", "15100", "870", 2025, 100_000),
    ("9;Finans", "15400", "880", 2025, 180_000),
    ("9;Finans", "15700", "880", 2025, 150_000),
];

/// A school building of 1 000 000 kr a year (§ 5-5 row 1 and row 6), 850 000 kr of it
/// borrowed (row 13) and 150 000 kr from drift.
const INVESTERING: &[Line] = &[
    ("1;Oppvekst", "30100", "222", 2024, 1_000_000),
    ("9;Finans", "39100", "870", 2024, -850_000),
    ("9;Finans", "39700", "880", 2024, -150_000),
    ("1;Oppvekst", "30100", "222", 2025, 1_000_000),
    ("9;Finans", "39100", "870", 2025, -850_000),
    ("9;Finans", "39700", "880", 2025, -150_000),
];

/// § 5-7: investment debt 5 750 000 and 6 500 000 at year end; loans for videreutlån
/// (300 000) are not netto lånegjeld.
const DEBT: &str = "year;kind;opening;borrowing;repayment;closing;text
2024;investering;5 000 000;850 000;100 000;5 750 000;
2025;investering;5 750 000;850 000;100 000;;
2024;videreutlan;300 000;0;0;;
2025;videreutlan;300 000;0;0;300 000;
";

/// A KOSTRA record at SSB's positions: skjema, year, region, then kontoklasse, kapittel,
/// sektor and the amount in 1 000 kr.
fn record(head: &str, kapittel: &str, sektor: &str, amount: &str) -> String {
    let line = format!("{head}{:18}2{kapittel:<4}{sektor}{amount:>9}", "");
    assert_eq!(line.len(), 48, "{line:?}");
    line
}

/// The balance at 31.12. of `year`: disposisjonsfond (kapittel 51) −1 200 and −34 (1 000
/// kr) over two sektors, so 1 234 000 kr in the fund.
fn balance(year: i32) -> String {
    let head = format!("0B{year} 500100");
    [
        record(&head, "10", "000", "5000"),
        record(&head, "51", "000", "-1200"),
        record(&head, "51", "890", "-34"),
        record(&head, "5990", "000", "-3766"),
    ]
    .join("\n")
        + "\n"
}

const RULES: &str = r#"
[[budget.rules]]
figure = "netto_driftsresultat"
at_least = 2

[[budget.rules]]
figure = "netto_lanegjeld"
at_most = 90

[[budget.rules]]
figure = "lanefinansiering"
at_most = 85
"#;

struct Report {
    dir: tempfile::TempDir,
}

impl Report {
    /// A report over these parts, with these extra files and `[budget]` keys (sources
    /// beyond the parts' profiles are named in `extra_sources`).
    fn new(
        parts: &[(&str, &[Line])],
        files: &[(&str, &str)],
        extra_sources: &[&str],
        budget_keys: &str,
    ) -> Report {
        let dir = tempfile::tempdir().unwrap();
        let mut sources: Vec<String> = Vec::new();
        for (part, lines) in parts {
            std::fs::write(
                dir.path().join(format!("{part}.csv")),
                common::kostra_export(lines.iter()),
            )
            .unwrap();
            std::fs::write(
                dir.path().join(format!("{part}.toml")),
                common::kostra_profile(&format!("{part}.csv"), part),
            )
            .unwrap();
            sources.push(format!("\"{part}.toml\""));
        }
        sources.extend(extra_sources.iter().map(|s| format!("\"{s}\"")));
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let kostra = Path::new(common::REPO).join("data/kostra");
        std::fs::write(
            dir.path().join("report.toml"),
            format!(
                "[report]\nname = \"budsjett\"\nmunicipality = \"Prøve kommune\"\n\
                 document = \"Budsjett 2024\"\ntitle = \"Budsjett\"\ndate = 2024-01-01\n\
                 template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
                 [budget]\nsources = [{}]\nversion = \"budsjett\"\ngroup_by = \"area\"\n\
                 statutory = {:?}\n{budget_keys}\n",
                sources.join(", "),
                kostra.display().to_string()
            ),
        )
        .unwrap();
        Report { dir }
    }

    /// Every input: both parts, the balance at 31.12.2023, debt, population and rules.
    fn full() -> Report {
        let balance = balance(2023);
        Report::new(
            &[("drift", DRIFT), ("investering", INVESTERING)],
            &[
                ("balanse.dat", &balance),
                ("gjeld.csv", DEBT),
                ("folk.csv", "year;value\n2024;1 000\n2025;1 250\n"),
            ],
            &["balanse.dat"],
            &format!("debt = \"gjeld.csv\"\npopulation = \"folk.csv\"\n{RULES}"),
        )
    }

    fn command(&self, command: &str) -> std::process::Command {
        let mut c = common::budsjett();
        c.args([command, "--config"])
            .arg(self.dir.path().join("report.toml"))
            .arg("--templates")
            .arg(Path::new(common::REPO).join("templates"));
        c
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    fn render_text(&self) -> String {
        let output = self
            .command("render")
            .arg("--output")
            .arg(self.output())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", common::stderr(&output));
        pdf_text(&self.output().join("budsjett.pdf"))
    }

    fn explain(&self, figure: &str, year: &str) -> String {
        let output = self
            .command("explain")
            .args(["--key-figure", figure, "--year", year])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", common::stderr(&output));
        stdout(&output)
    }
}

#[test]
fn each_key_figure_is_the_figure_worked_out_by_hand() {
    let text = Report::full().render_text();
    for (row, cells) in [
        // −(§ 5-4 row 17): a surplus positive.
        ("Netto driftsresultat", ["300 000", "330 000"]),
        // 300 000 / 4 045 000 = 7,416… %; 330 000 / 4 200 000 = 7,857… %.
        (
            "Netto driftsresultat i % av driftsinntektene",
            ["7,4 %", "7,9 %"],
        ),
        // 1 234 000 + 150 000 = 1 384 000; + 180 000 = 1 564 000.
        ("Disposisjonsfond 31.12.", ["1 384 000", "1 564 000"]),
        // 1 384 000 / 4 045 000 = 34,215… %; 1 564 000 / 4 200 000 = 37,238… %.
        (
            "Disposisjonsfond i % av driftsinntektene",
            ["34,2 %", "37,2 %"],
        ),
        // The investment debt only: 5 750 000 and 6 500 000.
        ("Netto lånegjeld 31.12.", ["5 750 000", "6 500 000"]),
        // 5 750 000 / 4 045 000 = 142,15… %; 6 500 000 / 4 200 000 = 154,76… %.
        (
            "Netto lånegjeld i % av driftsinntektene",
            ["142,2 %", "154,8 %"],
        ),
        // 5 750 000 / 1 000 = 5 750; 6 500 000 / 1 250 = 5 200.
        ("Netto lånegjeld per innbygger (kr)", ["5 750", "5 200"]),
        // 850 000 / 1 000 000.
        ("Lånefinansiering av investeringene", ["85,0 %", "85,0 %"]),
    ] {
        // The first such row is the table's (the chart's legend repeats the percentages' names).
        let rows = table_rows(&text, row);
        assert_eq!(
            rows.first(),
            Some(&cells.map(String::from).to_vec()),
            "{row}"
        );
    }
    // § 5-4 prints row 17 in the ledger's sign: the same figure, with its sign turned.
    assert_eq!(
        table_rows(&text, "17. Netto driftsresultat"),
        [["−300 000", "−330 000"]]
    );
    let flat = flat(&text);
    assert!(
        flat.contains("kapittel 51 i balansefilen balanse.dat 31.12.2023"),
        "{flat}"
    );
    // The page comes after the chapter on the two parts and before the drift part's tables.
    let page = flat.find("Hovedtall 2024–2025. Beløp i kroner").unwrap();
    assert!(flat.find("Drift og investering Kommunen har").unwrap() < page);
    assert!(
        page < flat
            .find("Driftsbudsjettet 3.1 Sammendrag Rapporten")
            .unwrap()
    );
}

#[test]
fn a_rule_that_fails_is_printed_failing_and_one_that_holds_holding() {
    let text = Report::full().render_text();
    // 7,4 % ≥ 2 %; 142,2 % > 90 %; 85,0 % ≤ 85 % (the bound itself holds).
    assert_eq!(
        table_rows(
            &text,
            "Netto driftsresultat i % av driftsinntektene: minst 2,0 %"
        ),
        [["oppfylt (7,4 %)", "oppfylt (7,9 %)"]]
    );
    assert_eq!(
        table_rows(
            &text,
            "Netto lånegjeld i % av driftsinntektene: høyst 90,0 %"
        ),
        [["ikke oppfylt (142,2 %)", "ikke oppfylt (154,8 %)"]]
    );
    assert_eq!(
        table_rows(&text, "Lånefinansiering av investeringene: høyst 85,0 %"),
        [["oppfylt (85,0 %)", "oppfylt (85,0 %)"]]
    );
    // Each rule has its chart, whose bars say the verdict in words under the year.
    let flat = flat(&text);
    for caption in [
        "Netto driftsresultat i % av driftsinntektene: minst 2,0 %. Stiplet linje: grensen.",
        "Netto lånegjeld i % av driftsinntektene: høyst 90,0 %. Stiplet linje: grensen.",
    ] {
        assert!(flat.contains(caption), "{caption}: {flat}");
    }
    // Under the bars: the years on one line, the verdicts on the next.
    assert!(
        flat.contains("høyst 90,0 %. Stiplet linje: grensen. Under hver søyle står om regelen er oppfylt. 200 % 154,8 % 150 % 142,2 % 100 % 90,0 % 50 % 0% 2024 2025 ikke oppfylt ikke oppfylt"),
        "{flat}"
    );
}

#[test]
fn a_figure_without_its_input_says_so_and_is_never_zero() {
    // Drift only: no balance file, no debt file, no population, no investment budget.
    let report = Report::new(&[("drift", DRIFT)], &[], &[], RULES);
    let text = report.render_text();
    for row in [
        "Disposisjonsfond 31.12.",
        "Disposisjonsfond i % av driftsinntektene",
        "Netto lånegjeld 31.12.",
        "Netto lånegjeld per innbygger (kr)",
        "Lånefinansiering av investeringene",
    ] {
        assert_eq!(
            table_rows(&text, row),
            [["ikke kjent", "ikke kjent"]],
            "{row}"
        );
    }
    assert_eq!(
        table_rows(&text, "Netto driftsresultat"),
        [["300 000", "330 000"]]
    );
    let flat = flat(&text);
    for reason in [
        "Disposisjonsfondet er ikke kjent: rapporten har ingen KOSTRA-balansefil (skjema 0B eller 0D) for 2023 blant kildene.",
        "Netto lånegjeld er ikke kjent: rapporten har ingen gjeldsfil (budget.debt, § 5-7).",
        "Lånefinansieringen er ikke kjent: rapporten har ingen bevilgningsoversikt investering (§ 5-5).",
    ] {
        assert!(flat.contains(reason), "{reason}: {flat}");
    }
    // A rule on a figure that is not known cannot be judged: it neither holds nor fails.
    assert_eq!(
        table_rows(
            &text,
            "Netto lånegjeld i % av driftsinntektene: høyst 90,0 %"
        ),
        [["kan ikke vurderes", "kan ikke vurderes"]]
    );
}

#[test]
fn a_balance_of_another_year_is_not_rolled_forward() {
    // The balance at 31.12.2022: 2023's allocations are not in the budget, so the fund at
    // the end of 2024 is not known.
    let balance = balance(2022);
    let report = Report::new(
        &[("drift", DRIFT)],
        &[("balanse.dat", &balance)],
        &["balanse.dat"],
        "",
    );
    let text = report.render_text();
    assert_eq!(
        table_rows(&text, "Disposisjonsfond 31.12."),
        [["ikke kjent", "ikke kjent"]]
    );
    assert!(flat(&text).contains(
        "Disposisjonsfondet er ikke kjent: balansefilen balanse.dat gjelder 31.12.2022, og fondet må være kjent 31.12.2023; årene mellom er ikke i budsjettet, så det rulles ikke fram."
    ));
    // No rules stated: the page says so.
    assert!(flat(&text).contains("Rapporten oppgir ingen handlingsregler (budget.rules)."));
}

#[test]
fn explain_traces_a_key_figure_to_its_inputs_and_the_printed_figure() {
    let report = Report::full();
    let out = report.explain("disposisjonsfond", "2025");
    // The opening balance (sign turned), both years' row 20, the exact sum and the figure
    // as the page prints it.
    for line in [
        "Disposisjonsfond 31.12., 2025:",
        "kapittel 51 i balanse.dat 31.12.2023 (fortegnet snudd: et fond står negativt i balansen): 1 234 000",
        "§ 5-4 linje 20, 2024: 150 000",
        "§ 5-4 linje 20, 2025: 180 000",
        "nøyaktig: 1 564 000",
        "skrevet ut: 1 564 000 i «Hovedtall 2024–2025.",
        "skrevet ut: 37,2 % i «Hovedtall",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    // The percentage's exact figure has every decimal the program computes (session 8; it
    // printed 37,24): 1 564 000 / 4 200 000 × 100 = 37,238095 238095 … (238095 repeating).
    assert!(out.contains("nøyaktig: 37,2380952380952380952"), "{out}");
    let out = report.explain("netto-lanegjeld", "2025");
    assert!(out.contains("folketallet 2025: 1 250"), "{out}");
    assert!(out.contains("skrevet ut: 5 200 i «Hovedtall"), "{out}");
    // A year outside the plan is on no page.
    let out = report.explain("netto_driftsresultat", "2023");
    assert!(
        out.contains("skrevet ut: ikke i rapportens tabeller"),
        "{out}"
    );
    let out = report.explain("netto_driftsresultat", "2024");
    assert!(out.contains("§ 5-4 linje 17: -300 000"), "{out}");
    assert!(out.contains("skrevet ut: 300 000 i «Hovedtall"), "{out}");
}

#[test]
fn an_unknown_key_figure_is_refused_naming_those_there_are() {
    let output = Report::full()
        .command("explain")
        .args(["--key-figure", "lanegjeld"])
        .env("LANG", "C")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = common::stderr(&output);
    assert!(
        err.contains("found \"lanegjeld\", expected one of netto_driftsresultat, disposisjonsfond, netto_lanegjeld, lanefinansiering"),
        "{err}"
    );
}

/// The accounts of 2023 (version "regnskap", drift): rammetilskudd 3 000 000, lønn
/// 2 800 000, 200 000 set aside to the disposisjonsfond. By hand: § 5-4 row 17 = −200 000,
/// § 5-6 row 9 = −3 000 000.
const ACCOUNTS_2023: &[Line] = &[
    ("9;Finans", "18000", "840", 2023, -3_000_000),
    ("1;Oppvekst", "10100", "202", 2023, 2_800_000),
    ("9;Finans", "15400", "880", 2023, 200_000),
];

#[test]
fn a_history_column_prints_the_key_figures_its_accounts_and_balance_give() {
    let balance = balance(2023);
    let profile = common::kostra_profile("regnskap.csv", "drift")
        .replace("version = \"budsjett\"", "version = \"regnskap\"");
    let report = Report::new(
        &[("drift", DRIFT)],
        &[
            ("balanse.dat", &balance),
            ("regnskap.csv", &common::kostra_export(ACCOUNTS_2023.iter())),
            ("regnskap.toml", &profile),
        ],
        &["regnskap.toml", "balanse.dat"],
        "[[budget.history]]\nversion = \"regnskap\"\nyear = 2023\nlabel = \"Regnskap 2023\"\n",
    );
    let text = report.render_text();
    for (row, cells) in [
        // −(§ 5-4 row 17) of the accounts, then the plan years as before.
        ("Netto driftsresultat", ["200 000", "300 000", "330 000"]),
        // 200 000 / 3 000 000 = 6,67 %.
        (
            "Netto driftsresultat i % av driftsinntektene",
            ["6,7 %", "7,4 %", "7,9 %"],
        ),
        // The balance at 31.12.2023 itself: 1 234 000, then rolled forward.
        (
            "Disposisjonsfond 31.12.",
            ["1 234 000", "1 384 000", "1 564 000"],
        ),
        // 1 234 000 / 3 000 000 = 41,13 %.
        (
            "Disposisjonsfond i % av driftsinntektene",
            ["41,1 %", "34,2 %", "37,2 %"],
        ),
        // No debt file: not known on any side.
        (
            "Netto lånegjeld 31.12.",
            ["ikke kjent", "ikke kjent", "ikke kjent"],
        ),
    ] {
        let rows = table_rows(&text, row);
        assert_eq!(
            rows.first(),
            Some(&cells.map(String::from).to_vec()),
            "{row}"
        );
    }
    // The same figure as the accounts' column of § 5-4 prints, with its sign turned.
    assert_eq!(
        table_rows(&text, "17. Netto driftsresultat").first(),
        Some(
            &["−200 000", "−300 000", "−330 000"]
                .map(String::from)
                .to_vec()
        )
    );
    assert!(flat(&text).contains("Nøkkeltall Regnskap 2023 2024 2025"));
}
