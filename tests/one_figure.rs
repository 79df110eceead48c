//! One quantity, one printed figure (issue 23): over random balanced drift budgets with the
//! statutory overviews (§ 5-4, § 5-6) and a § 5-7 debt file, in every unit, no quantity is
//! printed with two values anywhere in the report. A quantity is identified by what it is,
//! not by where it is printed:
//! - a group's net in a year: the net table, the year's table of expenses and income;
//! - a § 5-6 row tied to a § 5-4 row by `equals` (read here from the mapping's own file):
//!   both rows;
//! - the debt of a kind at 31.12. of one year and at 1.1. of the next;
//! - the sum of all lines of a year: the net table's sum row and the sum per year and version;
//! - what a group has outside § 5-4 row 6 (the reconciliation from net to row 6): a round
//!   figure prints as itself, computed here from the generated lines.
//!
//! The report is built by the library up to the Typst source (no typesetting), so each case
//! is fast; the tables are read from the view the template prints.

// Amounts here are in øre, grouped as kroner then øre: 100_000_00 is 100 000,00 kr.
#![allow(clippy::inconsistent_digit_grouping)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use budsjett::present::PrintedTable;
use proptest::prelude::*;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Where a generated line goes: area, art (5 digits, KOSTRA art at 2–4) and funksjon, each
/// placed by the mapping in a different row of § 5-4 and § 5-6.
const PLACES: &[(&str, &str, &str)] = &[
    ("1;Oppvekst", "10100", "202"), // lønn: § 5-4 row 6, § 5-6 row 10
    ("1;Oppvekst", "17000", "202"), // refusjon: row 6
    ("2;Helse", "11000", "254"),    // kjøp: row 6
    ("2;Helse", "16000", "254"),    // salg: row 6
    ("2;Helse", "15900", "254"),    // avskrivninger: row 7, § 5-6 row 14
    ("9;Finans", "18000", "840"),   // rammetilskudd: row 1
    ("9;Finans", "18740", "800"),   // eiendomsskatt: row 3
    ("9;Finans", "19900", "860"),   // motpost avskrivninger: row 16
    ("9;Finans", "15000", "870"),   // renteutgifter: row 13
    ("9;Finans", "15100", "870"),   // avdrag: row 14
    ("9;Finans", "15400", "880"),   // avsetning disposisjonsfond: row 20
];

/// The line that balances each year: skatt (art 870, row 2).
const BALANCE: (&str, &str, &str) = ("9;Finans", "18700", "800");

/// An amount in kroner: often a round figure (a whole 100 000 or 1 000), else anything up to
/// a few hundred million with øre.
fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        (-3_000i64..3_000).prop_map(|n| n * 100_000_00),
        (-300_000i64..300_000).prop_map(|n| n * 1_000_00),
        -300_000_000_00i64..300_000_000_00,
    ]
}

/// øre as a Norwegian amount cell: "-1234567,89".
fn cell(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    format!(
        "{sign}{},{:02}",
        ore.unsigned_abs() / 100,
        ore.unsigned_abs() % 100
    )
}

/// One year's debt of a kind: opening, borrowing (øre) and the repayment in thousandths of
/// what there is to repay (so the debt never ends below zero).
type Debt = (i64, i64, i64);

fn debt() -> impl Strategy<Value = Debt> {
    (
        prop_oneof![
            (0i64..20_000).prop_map(|n| n * 100_000_00),
            0i64..2_000_000_000_00
        ],
        prop_oneof![
            (0i64..3_000).prop_map(|n| n * 100_000_00),
            0i64..300_000_000_00
        ],
        0i64..=1000,
    )
}

/// The repayment of `share` thousandths of `opening + borrowing`, in whole kroner.
fn repayment(opening: i64, borrowing: i64, share: i64) -> i64 {
    (opening + borrowing) / 100 * share / 1000 * 100
}

/// Writes the report folder: the export, its profile, the debt file and report.toml.
fn write_report(
    dir: &Path,
    lines: &[(usize, i32, i64)],
    debts: &[(&str, Debt, Debt)],
    unit: (&str, u32),
) {
    let mut csv = String::from("omr;omr_tekst;art;funksjon;aar;belop\n");
    for year in [2024, 2025] {
        let mut sum = 0i64;
        for &(place, y, ore) in lines.iter().filter(|l| l.1 == year) {
            let (area, art, funksjon) = PLACES[place];
            csv.push_str(&format!("{area};{art};{funksjon};{y};{}\n", cell(ore)));
            sum += ore;
        }
        let (area, art, funksjon) = BALANCE;
        csv.push_str(&format!("{area};{art};{funksjon};{year};{}\n", cell(-sum)));
    }
    std::fs::write(dir.join("drift.csv"), csv).unwrap();
    std::fs::write(
        dir.join("drift.toml"),
        common::kostra_profile("drift.csv", "drift"),
    )
    .unwrap();
    // Each kind's 2025 opening is its 2024 closing, as the debt file must have it.
    let mut gjeld = String::from("year;kind;opening;borrowing;repayment;closing;text\n");
    for &(kind, (opening, borrowing, share), (_, borrowing2, share2)) in debts {
        let repaid = repayment(opening, borrowing, share);
        let closing = opening + borrowing - repaid;
        gjeld.push_str(&format!(
            "2024;{kind};{};{};{};;\n2025;{kind};{};{};{};;\n",
            cell(opening),
            cell(borrowing),
            cell(repaid),
            cell(closing),
            cell(borrowing2),
            cell(repayment(closing, borrowing2, share2)),
        ));
    }
    std::fs::write(dir.join("gjeld.csv"), gjeld).unwrap();
    let kostra = Path::new(REPO).join("data/kostra");
    std::fs::write(
        dir.join("report.toml"),
        format!(
            "[report]\nname = \"budsjett\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Budsjett 2024\"\ntitle = \"Driftsbudsjett\"\ndate = 2024-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
             [budget]\nsources = [\"drift.toml\"]\nversion = \"budsjett\"\n\
             group_by = \"area\"\nstatutory = {:?}\ndebt = \"gjeld.csv\"\n\
             unit = {:?}\ndecimals = {}\n",
            kostra.display().to_string(),
            unit.0,
            unit.1
        ),
    )
    .unwrap();
}

/// The § 5-6 rows tied to a § 5-4 row, from the mapping's own row file: (§ 5-6 row, § 5-4 row).
fn ties() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(Path::new(REPO).join("data/kostra/drift-art-rows.csv")).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let equals = header.iter().position(|h| *h == "equals").unwrap();
    lines
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(';').collect();
            let tied = cells.get(equals).filter(|e| !e.is_empty())?;
            Some((cells[0].to_string(), tied.to_string()))
        })
        .collect()
}

/// A table's row whose label is `label`, or whose label starts with `prefix` + ". ".
fn numbered_row<'t>(table: &'t PrintedTable, number: &str) -> &'t [String] {
    let prefix = format!("{number}. ");
    &table
        .rows
        .iter()
        .find(|r| r.label.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no row {number} in {:?}", table.caption))
        .cells
}

/// Every figure a quantity is printed with, by what it is; a quantity printed with two
/// values is returned with both.
fn printed_quantities(report: &budsjett::present::Report) -> BTreeMap<String, Vec<String>> {
    let budget = report.budget.as_ref().unwrap();
    let part = &budget.parts[0];
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut see = |what: String, figure: &str| seen.entry(what).or_default().push(figure.into());
    for row in &part.net_by_group.rows {
        for (i, year) in part.years.iter().enumerate() {
            see(format!("net {} {year}", row.label), &row.cells[i]);
        }
    }
    for (i, year) in part.years.iter().enumerate() {
        see(
            format!("all lines {year}"),
            &part.net_by_group.total.as_ref().unwrap().cells[i],
        );
    }
    for y in &part.per_year {
        for row in &y.table.rows {
            // Expenses, income, net.
            see(format!("net {} {}", row.label, y.year), &row.cells[2]);
        }
    }
    let paragraph = |p: &str| {
        &part
            .statutory
            .iter()
            .find(|s| s.paragraph == p)
            .unwrap_or_else(|| panic!("no § {p}"))
            .table
    };
    let (p54, p56) = (paragraph("5-4"), paragraph("5-6"));
    for (row56, row54) in ties() {
        for (i, year) in part.years.iter().enumerate() {
            let what = format!("§ 5-4 row {row54} {year}");
            see(what.clone(), &numbered_row(p54, &row54)[i]);
            see(what, &numbered_row(p56, &row56)[i]);
        }
    }
    let debt = budget.debt.as_ref().unwrap();
    for row in &debt.rows {
        // "Lån til investeringer: gjeld 31.12." in 2024 is "…: gjeld 1.1." in 2025.
        if let Some(kind) = row.label.strip_suffix(": gjeld 31.12.") {
            see(format!("debt {kind} end of 2024"), &row.cells[0]);
        }
        if let Some(kind) = row.label.strip_suffix(": gjeld 1.1.") {
            see(format!("debt {kind} end of 2024"), &row.cells[1]);
        }
    }
    seen.retain(|_, figures| {
        figures.sort();
        figures.dedup();
        figures.len() > 1
    });
    seen
}

/// The reconciliation's figures (what each group has outside row 6) whose exact value, summed
/// here from the generated lines, is a whole number of printed units, yet print otherwise.
fn reconciliation_mismatches(
    report: &budsjett::present::Report,
    lines: &[(usize, i32, i64)],
    (scale, decimals): (&str, u32),
) -> Vec<String> {
    use rust_decimal::Decimal;
    let divisor = match scale {
        "kr" => Decimal::ONE,
        "1000 kr" => Decimal::from(1_000),
        "mill. kr" => Decimal::from(1_000_000),
        _ => Decimal::from(1_000_000_000),
    };
    let quantum = Decimal::new(1, decimals) * divisor;
    let part = &report.budget.as_ref().unwrap().parts[0];
    let Some(table) = part
        .statutory
        .iter()
        .find_map(|s| s.reconciliation.as_ref())
    else {
        return Vec::new();
    };
    // Places 0–3 are row 6; the rest, and the balancing line, lie outside it.
    let outside = |area: &str, year: i32| -> Decimal {
        let mut ore = 0i64;
        for &(place, _, amount) in lines.iter().filter(|l| l.1 == year) {
            if place >= 4 && PLACES[place].0 == area {
                ore += amount;
            }
            if area == BALANCE.0 {
                ore -= amount;
            }
        }
        Decimal::new(ore, 2)
    };
    let mut wrong = Vec::new();
    for area in ["1;Oppvekst", "2;Helse", "9;Finans"] {
        let label = area.replace(';', " ");
        let row = table.rows.iter().find(|r| r.label == label);
        for (i, year) in part.years.iter().enumerate() {
            let exact = outside(area, *year);
            if !(exact / quantum).fract().is_zero() {
                continue;
            }
            let printed = row.map_or(Decimal::ZERO, |r| {
                budsjett::amount::parse_with(
                    &r.cells[i].replace('\u{2212}', "-"),
                    budsjett::amount::DecimalMark::Comma,
                )
                .unwrap()
            });
            if printed * divisor != exact {
                wrong.push(format!(
                    "{label} {year}: exact {exact} kr printed {printed}"
                ));
            }
        }
    }
    wrong
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_quantity_is_printed_with_two_values(
        lines in prop::collection::vec((0..PLACES.len(), prop::sample::select(vec![2024, 2025]), amount()), 1..24),
        debts in prop::collection::vec((debt(), debt()), 3),
        unit in prop::sample::select(vec![("kr", 0u32), ("1000 kr", 0), ("mill. kr", 1), ("mill. kr", 2), ("mrd. kr", 2)]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let kinds = ["investering", "videreutlan", "andre"];
        let debts: Vec<(&str, Debt, Debt)> =
            kinds.iter().zip(&debts).map(|(k, (a, b))| (*k, *a, *b)).collect();
        write_report(dir.path(), &lines, &debts, unit);
        let prepared = budsjett::pipeline::prepare(
            &dir.path().join("report.toml"),
            &Path::new(REPO).join("templates"),
        );
        let prepared = match prepared {
            Ok(p) => p,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let twice = printed_quantities(&prepared.report);
        prop_assert!(twice.is_empty(), "printed with two values: {:?}", twice);
        let wrong = reconciliation_mismatches(&prepared.report, &lines, unit);
        prop_assert!(wrong.is_empty(), "a round figure printed otherwise: {:?}", wrong);
    }
}

// ------------------------------------------------------------------ hand-computed fixtures

/// An export line: area, art (KOSTRA art at 2–4), funksjon, year, amount in kroner.
type Line = (&'static str, &'static str, &'static str, i32, &'static str);

/// Renders a drift report (plan 2024, version `version`) of `lines` with these extra
/// `[budget]` keys and a debt file when given; returns the PDF's text.
fn render(lines: &[Line], version: &str, budget_keys: &str, debt: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("drift.csv"), common::kostra_export(lines)).unwrap();
    std::fs::write(
        dir.path().join("drift.toml"),
        common::kostra_profile("drift.csv", "drift")
            .replace("version = \"budsjett\"", &format!("version = {version:?}")),
    )
    .unwrap();
    let mut keys = budget_keys.to_string();
    if let Some(debt) = debt {
        std::fs::write(dir.path().join("gjeld.csv"), debt).unwrap();
        keys.push_str("\ndebt = \"gjeld.csv\"");
    }
    let kostra = Path::new(REPO).join("data/kostra");
    std::fs::write(
        dir.path().join("report.toml"),
        format!(
            "[report]\nname = \"rapport\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Dokument 2024\"\ntitle = \"Drift\"\ndate = 2024-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
             [budget]\nsources = [\"drift.toml\"]\nversion = {version:?}\n\
             group_by = \"area\"\nstatutory = {:?}\n{keys}\n",
            kostra.display().to_string()
        ),
    )
    .unwrap();
    let output = common::budsjett()
        .args(["render", "--config"])
        .arg(dir.path().join("report.toml"))
        .arg("--templates")
        .arg(Path::new(REPO).join("templates"))
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(dir.path().join("rapport.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8(text.stdout).unwrap()
}

/// The cells of every printed row whose label is `label`.
fn rows(text: &str, label: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix(label))
        .filter(|rest| rest.starts_with("  "))
        .map(|rest| rest.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// The same lines in 2024 and 2025 (both plan years must have lines).
fn both_years(lines: &[(&'static str, &'static str, &'static str, &'static str)]) -> Vec<Line> {
    [2024, 2025]
        .into_iter()
        .flat_map(|y| lines.iter().map(move |&(a, r, f, v)| (a, r, f, y, v)))
        .collect()
}

#[test]
fn a_row_of_5_6_tied_to_5_4_prints_its_figure_in_mill_kr() {
    // Hand, in units of 0,1 mill. kr: rammetilskudd 1,01, skatt −16,3996, refusjon (art 700,
    // § 5-4 row 6, § 5-6 row 6) 13,68, lønn (row 6, § 5-6 row 10) 28,48, motpost avskrivninger
    // −26,7704; the budget balances.
    // § 5-4 top-down: row 9 (= 5 + 8) = 0,27 of 17 = 0 (9: rest 0,77 beats 16's 0,23); row 5
    // = −0,15 of 9 (5: rest 0,61 beats 8's 0,16); row 2 = −1,6 (its rest 0,60 takes the unit).
    // § 5-6 footed on its own: 16 = 0,27, 9 = −0,02 (15's rest 0,48 beats 9's 0,29), and the
    // unit of 9 goes to row 6 (rest 0,68) — row 2 printed −1,7. Tied, it prints −1,6.
    let lines = both_years(&[
        ("9;Finans", "18000", "840", "101000"),
        ("9;Finans", "18700", "800", "-1639960"),
        ("1;Oppvekst", "17000", "202", "1368000"),
        ("1;Oppvekst", "10100", "202", "2848000"),
        ("9;Finans", "19900", "860", "-2677040"),
    ]);
    let text = render(
        &lines,
        "budsjett",
        "unit = \"mill. kr\"\ndecimals = 1",
        None,
    );
    // Row 2 of § 5-4 and of § 5-6 (same name, same number).
    assert_eq!(
        rows(&text, "2. Inntekts- og formuesskatt"),
        [["−1,6", "−1,6"], ["−1,6", "−1,6"]],
        "{text}"
    );
    assert_eq!(
        rows(&text, "1. Rammetilskudd"),
        [["0,1", "0,1"], ["0,1", "0,1"]]
    );
    // § 5-6 still foots: row 9 = 1 + 2 + 6 = 0,1 − 1,6 + 1,3 = −0,2.
    assert_eq!(rows(&text, "9. Sum driftsinntekter"), [["−0,2", "−0,2"]]);
    assert_eq!(
        rows(&text, "6. Overføringer og tilskudd fra andre"),
        [["1,3", "1,3"]]
    );
}

const DEBT_LINES: &[(&str, &str, &str, &str)] = &[
    ("1;Oppvekst", "10100", "202", "1000000"),
    ("9;Finans", "18700", "800", "-1000000"),
];

#[test]
fn the_debt_at_31_12_and_at_1_1_the_year_after_print_one_figure() {
    // Hand, in 1 000 kr: 2024 ends at exactly 409 861 588 kr → 409 862. In 2025 the opening
    // 409 861,588, new loans 50 000,7 and avdrag 10 000,3 were footed to the closing 449 862
    // (449 861 988 kr): floors 409 861 + 50 000 − 10 001 = 449 860, and the two missing units
    // went to the larger remainders (0,7 and 0,7), leaving the opening at 409 861. Tied to the
    // closing before, the opening is 409 862, and the loans and avdrag foot to 40 000:
    // 50 001 and 10 001 (a tie of remainders goes to the larger figure, the loans, and the
    // avdrag takes the other unit).
    let debt = "year;kind;opening;borrowing;repayment;closing;text\n\
                2024;investering;400 000 000;19 861 588;10 000 000;;\n\
                2025;investering;409 861 588;50 000 700;10 000 300;;\n";
    let text = render(
        &both_years(DEBT_LINES),
        "budsjett",
        "unit = \"1000 kr\"",
        Some(debt),
    );
    assert_eq!(
        rows(&text, "Lån til investeringer: gjeld 31.12."),
        [["409", "862", "449", "862"]],
        "{text}"
    );
    assert_eq!(
        rows(&text, "Lån til investeringer: gjeld 1.1."),
        [["400", "000", "409", "862"]],
        "{text}"
    );
}

#[test]
fn a_round_figure_outside_row_6_prints_as_itself_in_the_reconciliation() {
    // Hand, in 1 000 kr: Helse has lønn 1 001 400 kr (row 6) and avskrivninger exactly
    // 324 000 kr (row 7), so what it has outside row 6 is 324 000 kr: it prints 324, computed
    // from the exact figures, whatever its net and its row 6 print.
    let lines = both_years(&[
        ("1;Oppvekst", "10100", "202", "1000300"),
        ("2;Helse", "10100", "254", "1001400"),
        ("2;Helse", "15900", "254", "324000"),
        ("9;Finans", "18700", "800", "-2325700"),
    ]);
    let text = render(&lines, "budsjett", "unit = \"1000 kr\"", None);
    // The reconciliation is the last table that prints a row "2 Helse".
    let helse = rows(&text, "2 Helse");
    assert_eq!(helse.last().unwrap(), &["324", "324"], "{text}");
}

#[test]
fn an_accounts_report_says_regnskap_throughout() {
    // Issue 23: a report whose only version is the accounts was worded as a budget.
    let lines = both_years(DEBT_LINES);
    let text = render(&lines, "regnskap", "", None);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Regnskapsår"), "{flat}");
    assert!(flat.contains("regnskapet er i balanse"), "{flat}");
    assert!(flat.contains("regnskapets balanse"), "{flat}");
    for budget_word in [
        "Budsjettår",
        "Planperiode",
        "budsjettet er i balanse",
        "budsjettets balanse",
    ] {
        assert!(!flat.contains(budget_word), "{budget_word}: {flat}");
    }
}

#[test]
fn in_a_report_with_both_parts_a_caption_names_its_part() {
    // Issue 23: drift and investering tables shared captions, so "printed in <caption>" was
    // ambiguous.
    let dir = tempfile::tempdir().unwrap();
    let mut sources = Vec::new();
    for (part, lines) in [
        ("drift", DEBT_LINES),
        (
            "investering",
            &[
                ("3;Bygg", "10200", "222", "500000"),
                ("9;Finans", "19100", "870", "-500000"),
            ][..],
        ),
    ] {
        let csv = common::kostra_export(&both_years(lines));
        std::fs::write(dir.path().join(format!("{part}.csv")), csv).unwrap();
        let profile = common::kostra_profile(&format!("{part}.csv"), part);
        std::fs::write(dir.path().join(format!("{part}.toml")), profile).unwrap();
        sources.push(format!("\"{part}.toml\""));
    }
    std::fs::write(
        dir.path().join("report.toml"),
        format!(
            "[report]\nname = \"rapport\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Dokument 2024\"\ntitle = \"Begge\"\ndate = 2024-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n\
             [budget]\nsources = [{}]\nversion = \"budsjett\"\ngroup_by = \"area\"\n",
            sources.join(", ")
        ),
    )
    .unwrap();
    let prepared = budsjett::pipeline::prepare(
        &dir.path().join("report.toml"),
        &Path::new(REPO).join("templates"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let budget = prepared.report.budget.unwrap();
    let [drift, investering] = &budget.parts[..] else {
        panic!("two parts expected");
    };
    let words = budsjett::words::Words::default();
    let caption = |table: &PrintedTable| words.say(&table.caption);
    let drift_net = caption(&drift.net_by_group);
    assert!(
        drift_net.starts_with("Drift: Netto per område"),
        "{drift_net}"
    );
    let investering_net = caption(&investering.net_by_group);
    assert!(
        investering_net.starts_with("Investering: Netto per område"),
        "{investering_net}"
    );
    for year in &investering.per_year {
        let year_caption = caption(&year.table);
        assert!(year_caption.starts_with("Investering: "), "{year_caption}");
    }
}
