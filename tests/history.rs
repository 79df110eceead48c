//! History columns (issue 26): the accounts of 2022 from a KOSTRA file made here and the
//! adopted budget of 2023 from the export, printed before the plan years 2024–2025 in the net
//! per group, the details and § 5-4, each column footed on its own. Every expected figure was
//! worked out by hand from the lines below and is read back out of the PDF.

mod common;

use std::path::{Path, PathBuf};

use common::{flat, pdf_text, stdout, table_rows};

/// A KOSTRA record of skjema 0A, 2022, region 500100, drift (kontoklasse 1): funksjon, art
/// and amount in 1 000 kr at SSB's positions.
fn record(funksjon: &str, art: &str, amount: &str) -> String {
    format!("0A2022 500100{:18}1{funksjon:<4}{art}{amount:>9}", "")
}

/// The accounts of 2022, in 1 000 kr (hand): 120 Administrasjon 400 − 50 = 350; 180 (only
/// here) 30; 202 Grunnskole 1 234 − 200 = 1 034; 254 has no line; 800 skatt −1 500. The
/// column's sum: 350 + 30 + 1 034 − 1 500 = −86.
fn accounts() -> String {
    [
        record("120", "010", "400"),
        record("120", "700", "-50"),
        record("180", "010", "30"),
        record("202", "010", "1234"),
        record("202", "700", "-200"),
        record("800", "870", "-1500"),
    ]
    .join("\n")
}

/// The export in kroner: the adopted budget of 2023 (no 254, no 180) and the plan 2024–2025.
///
/// Vedtatt 2023 (hand, 1 000 kr): 120 = 300 450 − 40 000 = 260 450 (260,45); 202 =
/// 1 100 350 − 151 000 = 949 350 (949,35); 800 = −1 209 800 (−1 209,8); exact sum 0. Rounded
/// one by one 260 + 949 − 1 210 = −1, so the column foots to 0 by largest remainder: the
/// largest remainder (0,45, group 120) takes the unit: 261 | 949 | −1 210, sum 0. Group
/// 120's details then foot to 261: 010 = 301 (300,45 moved up), 700 = −40.
const EXPORT: &str = "funksjon;funksjon_tekst;art;versjon;aar;belop\n\
    120;Administrasjon;010;vedtatt;2023;300450\n\
    120;Administrasjon;700;vedtatt;2023;-40000\n\
    202;Grunnskole;010;vedtatt;2023;1100350\n\
    202;Grunnskole;700;vedtatt;2023;-151000\n\
    800;Skatt;870;vedtatt;2023;-1209800\n\
    120;Administrasjon;010;budsjett;2024;420000\n\
    120;Administrasjon;700;budsjett;2024;-60000\n\
    202;Grunnskole;010;budsjett;2024;1300000\n\
    202;Grunnskole;700;budsjett;2024;-160000\n\
    254;Helse;010;budsjett;2024;500000\n\
    800;Skatt;870;budsjett;2024;-2000000\n\
    120;Administrasjon;010;budsjett;2025;430000\n\
    120;Administrasjon;700;budsjett;2025;-60000\n\
    202;Grunnskole;010;budsjett;2025;1320000\n\
    202;Grunnskole;700;budsjett;2025;-160000\n\
    254;Helse;010;budsjett;2025;510000\n\
    800;Skatt;870;budsjett;2025;-2040000\n";

const PROFILE: &str = "[source]\nfile = \"plan.csv\"\npart = \"drift\"\n[layout]\nkind = \"long\"\n\
    amount = \"belop\"\nyear = \"aar\"\nversion_column = \"versjon\"\n[dimensions]\n\
    art = { code = \"art\", chart = \"kostra\" }\n\
    service = { code = \"funksjon\", text = \"funksjon_tekst\", chart = \"kostra\" }\n";

const HISTORY: &str = "history = [{ version = \"regnskap\", year = 2022, label = \"Regnskap 2022\" }, \
    { version = \"vedtatt\", year = 2023, label = \"Vedtatt 2023\" }]";

/// A report over the export and the KOSTRA file of 2022, plan 2024–2025 in 1 000 kr, grouped
/// by funksjon and detailed by art, with § 5-4 and `budget_keys`.
fn report(budget_keys: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("regnskap-2022.dat"), accounts()).unwrap();
    std::fs::write(dir.path().join("plan.csv"), EXPORT).unwrap();
    std::fs::write(dir.path().join("plan.toml"), PROFILE).unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        format!(
            "[report]\nname = \"plan\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Økonomiplan 2024–2025\"\ntitle = \"Driftsbudsjett\"\n\
             date = 2023-11-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
             [budget]\nsources = [\"plan.toml\", \"regnskap-2022.dat\"]\nversion = \"budsjett\"\n\
             group_by = \"service\"\ndetail_by = \"art\"\nunit = \"1000 kr\"\n\
             statutory = \"kostra\"\n{budget_keys}\n"
        ),
    )
    .unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = common::budsjett();
    cmd.args(args)
        .arg("--config")
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"));
    if args[0] == "render" {
        cmd.arg("--output").arg(dir.join("output"));
    }
    cmd.output().unwrap()
}

fn render(dir: &Path) -> String {
    let render = run(dir, &["render"]);
    assert!(render.status.success(), "{}", common::stderr(&render));
    let pdf: PathBuf = dir.join("output/plan.pdf");
    pdf_text(&pdf)
}

#[test]
fn two_history_sides_print_before_the_plan_years_and_foot_each() {
    let dir = report(HISTORY);
    let text = render(dir.path());
    // Net per group: Regnskap 2022 | Vedtatt 2023 | 2024 | 2025 | change 2024–2025 | %.
    let net = |label: &str| {
        table_rows(&text, label)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    assert_eq!(
        net("120 Administrasjon"),
        ["350", "261", "360", "370", "10", "2,8 %"]
    );
    // 180 has lines in the accounts only: 0 in the adopted budget and the plan years.
    assert_eq!(net("180"), ["30", "0", "0", "0", "0", "–"]);
    assert_eq!(
        net("202 Grunnskole"),
        ["1 034", "949", "1 140", "1 160", "20", "1,8 %"]
    );
    // 254 has no line on either history side: 0 there.
    assert_eq!(net("254 Helse"), ["0", "0", "500", "510", "10", "2,0 %"]);
    assert_eq!(
        net("800 Skatt"),
        ["−1 500", "−1 210", "−2 000", "−2 040", "−40", "−2,0 %"]
    );
    // Each column foots: −86 = 350 + 30 + 1 034 + 0 − 1 500; 0 = 261 + 0 + 949 + 0 − 1 210.
    assert_eq!(net("Sum (balanse)"), ["−86", "0", "0", "0", "0", "–"]);
    let flat = flat(&text);
    assert!(
        flat.contains(
            "Regnskap 2022 har ingen linjer for 254 Helse; de står med 0 i den kolonnen."
        ),
        "{flat}"
    );
    assert!(
        flat.contains("Vedtatt 2023 har ingen linjer for 180; 254 Helse; de står med 0"),
        "{flat}"
    );
    assert!(
        flat.contains(
            "Bare de historiske kolonnene har linjer for 180; de står med 0 i planårene."
        ),
        "{flat}"
    );
    assert!(
        flat.contains("Kolonnene Regnskap 2022 og Vedtatt 2023 viser tidligere år"),
        "{flat}"
    );
}

#[test]
fn the_details_foot_to_their_group_on_each_side() {
    let dir = report(HISTORY);
    let text = render(dir.path());
    // Group 120's details: art 010 and 700, then the group's sum, whose figures are the net
    // table's (the adopted 2023 column moved 300,45 up to 301 so that 301 − 40 = 261).
    assert!(
        table_rows(&text, "010").contains(&vec![
            "400".to_string(),
            "301".to_string(),
            "420".to_string(),
            "430".to_string()
        ]),
        "{text}"
    );
    let sum = |label: &str| table_rows(&text, label);
    assert_eq!(
        sum("Sum Administrasjon"),
        [["350", "261", "360", "370"]],
        "{text}"
    );
    // 254's table: no line on either side.
    assert_eq!(sum("Sum Helse"), [["0", "0", "500", "510"]], "{text}");
    // 180's table, a group of the accounts only (named by its code).
    assert_eq!(sum("Sum 180"), [["30", "0", "0", "0"]], "{text}");
}

#[test]
fn the_statutory_overview_carries_the_history_columns() {
    let dir = report(HISTORY);
    let text = render(dir.path());
    // § 5-4 row 2, skatt (art 870): −1 500 | −1 209,8 → −1 210 | −2 000 | −2 040; § 5-6
    // prints the same row, tied to § 5-4's figure.
    let skatt = ["−1 500", "−1 210", "−2 000", "−2 040"];
    assert_eq!(
        table_rows(&text, "2. Inntekts- og formuesskatt"),
        [skatt, skatt],
        "{text}"
    );
    // Row 6, the net of the bevilgninger (every other line): 350 + 30 + 1 034 = 1 414;
    // 260,45 + 949,35 = 1 209,8 → 1 210; 360 + 1 140 + 500 = 2 000; 370 + 1 160 + 510 = 2 040.
    assert_eq!(
        table_rows(&text, "6. Sum bevilgninger drift, netto"),
        [["1 414", "1 210", "2 000", "2 040"]]
    );
    // § 5-4 annet ledd, row 6 per group: every line of 120, 180 and 202 lies in row 6, so
    // each prints its figure of the net table in every column (261 = the adopted 2023 figure
    // footed there), and 261 + 949 = 1 210, 350 + 30 + 1 034 = 1 414.
    let four = |label: &str| -> Vec<Vec<String>> {
        table_rows(&text, label)
            .into_iter()
            .filter(|cells| cells.len() == 4)
            .collect()
    };
    assert_eq!(
        four("120 Administrasjon"),
        [["350", "261", "360", "370"]],
        "{text}"
    );
    assert_eq!(four("180"), [["30", "0", "0", "0"]], "{text}");
    assert_eq!(
        four("202 Grunnskole"),
        [["1 034", "949", "1 140", "1 160"]],
        "{text}"
    );
    assert_eq!(four("254 Helse"), [["0", "0", "500", "510"]], "{text}");
    assert_eq!(
        table_rows(&text, "Sum (linje 6)"),
        [["1 414", "1 210", "2 000", "2 040"]],
        "{text}"
    );
}

#[test]
fn check_warns_of_the_groups_a_side_prints_as_zero() {
    let dir = report(HISTORY);
    let check = run(dir.path(), &["--lang", "en", "check"]);
    let out = stdout(&check) + &common::stderr(&check);
    assert_eq!(check.status.code(), Some(0), "{out}");
    assert!(
        out.contains(
            "warning: budget.history: 1 group without lines in \"Regnskap 2022\", printed as 0 \
             in its column (a group named two ways?): 254 Helse"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "warning: budget.history: 1 group with lines only in \"Regnskap 2022\", printed as 0 \
             in the plan years: 180"
        ),
        "{out}"
    );
}

#[test]
fn explain_traces_a_history_figure() {
    let dir = report(HISTORY);
    // The adopted 2023 figure of 120: lines 300 450 and −40 000, exact 260 450, printed 261.
    let out = run(
        dir.path(),
        &[
            "--lang",
            "en",
            "explain",
            "--group",
            "120",
            "--version",
            "vedtatt",
        ],
    );
    let text = stdout(&out) + &common::stderr(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("2023"), "{text}");
    assert!(text.contains("260 450"), "{text}");
    assert!(text.contains("261"), "{text}");
    // The accounts' figure of 202 in 2022, from the KOSTRA file: 1 234 000 − 200 000.
    let out = run(
        dir.path(),
        &[
            "--lang",
            "en",
            "explain",
            "--group",
            "202",
            "--version",
            "regnskap",
            "--year",
            "2022",
        ],
    );
    let text = stdout(&out) + &common::stderr(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("regnskap-2022.dat"), "{text}");
    assert!(text.contains("1 034 000"), "{text}");
}

/// `n` as the report prints a whole number of its unit: groups of three, a minus sign.
fn printed(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if n < 0 { format!("−{out}") } else { out }
}

#[test]
fn the_worked_example_grouped_by_funksjon_carries_its_kostra_accounts_as_history() {
    // The worked example (docs/reports) grouped by funksjon, as a KOSTRA file needs, with its
    // accounts file of 2025 as a history column.
    let dir = tempfile::tempdir().unwrap();
    let reports = Path::new(common::REPO).join("docs/reports");
    common::copy_dir(
        &reports.join("eksempel-okonomiplan"),
        &dir.path().join("eksempel-okonomiplan"),
    );
    // The example's own history columns are left out: this one has the accounts only.
    let config = std::fs::read_to_string(reports.join("eksempel-okonomiplan.toml")).unwrap();
    let own = config.find("\nhistory = [").expect("the example's history") + 1;
    let end = own + config[own..].find("\n]\n").unwrap() + 3;
    let config = format!("{}{}", &config[..own], &config[end..])
        .replace("group_by = \"area\"", "group_by = \"service\"")
        .replace(
            "detail_by = \"service\"",
            "detail_by = \"art\"\nhistory = [{ version = \"regnskap\", year = 2025, label = \"Regnskap 2025\" }]",
        );
    std::fs::write(dir.path().join("report.toml"), config).unwrap();
    // Each part's column of accounts sums to the file's records of that part (kontoklasse 1
    // drift, 0 investering), in 1 000 kr as the file has them.
    let file =
        std::fs::read_to_string(dir.path().join("eksempel-okonomiplan/0A-2025-4699.dat")).unwrap();
    let sum = |class: &str| -> i64 {
        file.lines()
            .filter(|l| &l[31..32] == class)
            .map(|l| l[39..48].trim().parse::<i64>().unwrap())
            .sum()
    };
    let render = run(dir.path(), &["render"]);
    assert!(render.status.success(), "{}", common::stderr(&render));
    let text = pdf_text(&dir.path().join("output/eksempel-okonomiplan.pdf"));
    // The net tables' sum rows (the resolution's list of frames ends with a one-figure one).
    let totals: Vec<_> = table_rows(&text, "Sum (balanse)")
        .into_iter()
        .filter(|r| r.len() > 1)
        .collect();
    assert_eq!(totals.len(), 2, "{text}");
    assert_eq!(totals[0][0], printed(sum("1")), "{text}");
    assert_eq!(totals[1][0], printed(sum("0")), "{text}");
    assert!(flat(&text).contains("Kolonnen Regnskap 2025 viser et tidligere år"));
    // § 5-5 carries the accounts too (read by hand from the file's investering records): row
    // 13, bruk av lån, is its one art 910 record (funksjon 870), −52 000; row 20, overføring
    // fra drift, its one art 970 record, −9 000; the plan years follow.
    let first = |label: &str| {
        table_rows(&text, label)
            .first()
            .map(|cells| cells[0].clone())
    };
    assert_eq!(
        first("13. Bruk av lån").as_deref(),
        Some("−52 000"),
        "{text}"
    );
    assert_eq!(
        first("20. Overføring fra drift").as_deref(),
        Some("−9 000"),
        "{text}"
    );
}
