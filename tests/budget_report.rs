//! The whole-budget report and `budsjett check` on the shared real exports. Expected figures
//! are recomputed here from the raw files with deliberately simple, separate code (split on
//! ';', drop the spaces, add whole kroner), not with the importer under test.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{pdf_text, squeeze, stderr};

fn repo() -> &'static Path {
    Path::new(common::REPO)
}

fn raw(name: &str) -> String {
    std::fs::read_to_string(repo().join("../shared/realdata").join(name))
        .expect("../shared/realdata must be beside the repository")
}

/// Whole kroner as the PDF prints them: groups of three with spaces, U+2212 for minus.
fn printed(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if value < 0 {
        format!("\u{2212}{out}")
    } else {
        out
    }
}

/// Kroner as a table in 1 000 kr prints them when rounded alone: whole thousands, halves away
/// from zero.
fn thousands(kroner: i64) -> i64 {
    kroner.signum() * ((kroner.abs() + 500) / 1000)
}

/// Whether a figure printed in 1 000 kr is `kroner` rounded: plainly, or moved one unit by
/// largest-remainder footing (the reports' default), never further.
fn near(cell: &str, kroner: i64) -> bool {
    (figure(cell) - thousands(kroner)).abs() <= 1
}

/// A printed whole figure: digit groups with spaces, U+2212 for minus.
fn figure(cell: &str) -> i64 {
    cell.replace(' ', "")
        .replace('\u{2212}', "-")
        .parse()
        .unwrap_or_else(|_| panic!("not a figure: {cell:?}"))
}

/// The cells of a line of `pdftotext -layout`: runs of two or more spaces part the columns.
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

fn kroner(cell: &str) -> i64 {
    let cleaned: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    cleaned
        .parse()
        .unwrap_or_else(|_| panic!("not whole kroner: {cell:?}"))
}

fn render(report: &str, output: &Path) -> PathBuf {
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(repo().join("docs/reports").join(format!("{report}.toml")))
        .arg("--templates")
        .arg(repo().join("templates"))
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    output.join(format!("{report}.pdf"))
}

#[test]
fn bergen_drift_net_per_area_and_balance_match_an_independent_sum() {
    // Per tjenesteområde code: name and the net of 2012–2015.
    let text = raw("bergen-2012-drift.csv");
    let mut areas: BTreeMap<String, (String, [i64; 4])> = BTreeMap::new();
    let mut balance = [0i64; 4];
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        // One quoted name in this file: """Under streken""-sentrale budsjettposter"
        let name = match cells[4].strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => cells[4].to_string(),
        };
        let entry = areas.entry(cells[3].to_string()).or_insert((name, [0; 4]));
        for year in 0..4 {
            let amount = kroner(cells[10 + year]);
            entry.1[year] += amount;
            balance[year] += amount;
        }
    }
    assert_eq!(
        balance,
        [-110, -371, -471, -437],
        "the shared README's figure for 2012 is −110"
    );

    let dir = tempfile::tempdir().unwrap();
    let pdf = render("bergen-2012-drift", dir.path());
    // The shipped report prints in 1 000 kr (issue 24, item 11).
    let layout = pdf_text(&pdf);
    let table = squeeze(&layout);
    assert!(table.contains("Netto per tjenesteområde, budsjett 2012–2015. Beløp i 1 000 kr"));
    assert_eq!(areas.len(), 42);
    let mut sums = [0i64; 4];
    for (code, (name, nets)) in &areas {
        // The four years, then the change 2012–2015, each the exact kroner in thousands.
        let first_word = name.split_whitespace().next().unwrap();
        let row = layout
            .lines()
            .map(cells)
            .find(|c| c.len() >= 6 && c[0].starts_with(&format!("{code} {first_word}")))
            .unwrap_or_else(|| panic!("no row for {code} {name}"));
        for year in 0..4 {
            assert!(
                near(row[1 + year], nets[year]),
                "{code} {name}: {row:?}, {nets:?}"
            );
            sums[year] += figure(row[1 + year]);
        }
        assert!(
            near(row[5], nets[3] - nets[0]),
            "{code} {name}: change {row:?}"
        );
    }
    // The column sums foot to the printed sum row: −110, −371, −471 and −437 kr are 0 in
    // thousands.
    assert_eq!(sums, [0; 4]);
    // Worked out by hand: 1 862 918 339 kr is 1 862 918 (the remainder 339 is less than
    // half), 1 855 778 839 is 1 855 779, 1 954 680 091 is 1 954 680, 1 979 875 091 is
    // 1 979 875; the change 116 956 752 is 116 957, and (1 979 875 091 − 1 862 918 339) /
    // 1 862 918 339 = 6,28 %.
    assert!(table.contains("01A Barnehage 1 862 918 1 855 779 1 954 680 1 979 875 116 957 6,3 %"));
    // A change of a residue has no percentage.
    assert!(
        table.contains("Sum (balanse) 0 0 0 0 0 –"),
        "balance row missing"
    );
    assert!(
        table.contains("2012: summen av alle linjer er −110 kr"),
        "balance note missing, exact in kroner"
    );
}

#[test]
fn stavanger_net_per_area_matches_an_independent_sum() {
    let text = raw("stavanger-2016-drift.csv");
    let mut areas: BTreeMap<String, i64> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.trim_end_matches('\r').split(';').collect();
        *areas.entry(cells[0].trim().to_string()).or_default() += kroner(cells[11]);
    }
    assert_eq!(areas.values().sum::<i64>(), 0);

    let dir = tempfile::tempdir().unwrap();
    let pdf = render("stavanger-2016-drift", dir.path());
    let table = squeeze(&pdf_text(&pdf));
    // In 1 000 kr: each area's row is its exact net in thousands (one figure, one column).
    for (name, net) in &areas {
        let prefix = format!("{name} ");
        assert!(
            table.lines().any(|l| l
                .strip_prefix(&prefix)
                .is_some_and(|figure| near(figure, *net))),
            "no row {name} with {} in 1 000 kr",
            thousands(*net)
        );
    }
    // By hand: 822 969 000 kr.
    assert!(table.lines().any(|l| l == "Alders- og sykehjem 822 969"));
    assert!(table.contains("Sum (balanse) 0"));
    assert!(table.contains("2016: budsjettet er i balanse"));
}

#[test]
fn bergen_investment_totals_per_version() {
    // Version 12-15IN1, 2012: expenses and income from the raw file (decimal commas).
    let text = raw("bergen-2012-investering.csv");
    let (mut expense, mut income) = (0i64, 0i64);
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        if cells[0] != "12-15IN1" {
            continue;
        }
        let cell = cells[19];
        let (whole, fraction) = cell.split_once(',').unwrap_or((cell, "00"));
        assert_eq!(fraction, "00", "whole kroner expected in this file");
        let amount = kroner(whole);
        if amount < 0 {
            income += amount
        } else {
            expense += amount
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = render("bergen-2012-investering", dir.path());
    let table = squeeze(&pdf_text(&pdf));
    // In 1 000 kr: 8 224 201 900 kr is 8 224 202 (rounded, 900 is over half).
    assert_eq!((expense, income), (8_224_201_900, -8_224_201_900));
    let row = format!(
        "2012 12-15IN1 {} {} 0",
        printed(thousands(expense)),
        printed(thousands(income))
    );
    assert!(table.contains(&row), "no overview row {row:?}");
}

#[test]
fn check_reports_rows_years_totals_and_dimensions() {
    let output = common::budsjett()
        .args(["check", "--config"])
        .arg(repo().join("docs/reports/bergen-2012-drift.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", stderr(&output));
    assert!(
        stdout.contains("rows read: 1 944 (UTF-8, delimiter ';', wide layout)"),
        "{stdout}"
    );
    assert!(stdout.contains(
        "years and versions: 2012 budsjett, 2013 budsjett, 2014 budsjett, 2015 budsjett"
    ));
    assert!(stdout.contains("-110  (not in balance)"));
    assert!(stdout.contains("Tjenesteområde (area): 42 distinct values"));
    assert!(stdout.contains("No problems found."));
}

#[test]
fn check_lists_every_problem_and_render_refuses_the_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("export.csv"),
        "omr;tekst;2024;2025\n01;Skole;1 000;tusen\n02;Helse;1,234;5\n03;Kultur;7;8\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("profile.toml"),
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n[dimensions]\narea = { code = \"omr\", text = \"tekst\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        "[report]\nname = \"test\"\nmunicipality = \"K\"\ndocument = \"D\"\ntitle = \"T\"\ndate = 2024-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n[budget]\nsources = [\"profile.toml\"]\n",
    )
    .unwrap();
    let check = common::budsjett()
        .args(["check", "--config"])
        .arg(dir.path().join("report.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout.contains("2 problems:"), "{stdout}");
    assert!(
        stdout.contains("export.csv:2:4: column \"2025\": found \"tusen\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("export.csv:3:3: column \"2024\": found \"1,234\""),
        "{stdout}"
    );

    let render = common::budsjett()
        .args(["render", "--config"])
        .arg(dir.path().join("report.toml"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .arg("--output")
        .arg(dir.path().join("output"))
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(1));
    assert!(stderr(&render).contains("export.csv:2:4"));
    assert!(!dir.path().join("output/test.pdf").exists());
}

/// Splits a `pdftotext -layout` line into its columns (two or more spaces apart).
fn columns(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn number(cell: &str) -> Option<i64> {
    let cleaned: String = cell
        .replace('\u{2212}', "-")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    cleaned.parse().ok()
}

/// Every table with a sum row, in thousands of kroner, adds up as printed: each numeric column
/// of the rows equals the sum row, read back from the PDF.
#[test]
fn tables_in_thousands_foot_as_printed() {
    let (_dir, text) = render_bergen_in_thousands("largest_remainder");
    assert!(text.contains("største-rest-metoden"));
    assert!(text.contains("Beløp i 1 000 kr"));

    let mut tables = 0;
    let mut sums: Vec<i64> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.contains("Tabell ") {
            inside = true;
            sums.clear();
            continue;
        }
        if !inside {
            continue;
        }
        let cells = columns(line);
        let Some(label) = cells.first() else { continue };
        // Percent cells (a percentage, or a dash where none is meaningful) are not summed.
        let percent = |c: &str| c.ends_with('%') || c == "–";
        let figures: Vec<i64> = cells[1..]
            .iter()
            .filter(|c| !percent(c))
            .filter_map(|c| number(c))
            .collect();
        // The header line (and where it repeats after a page break): its years are not figures.
        if figures.starts_with(&[2012, 2013, 2014, 2015]) {
            continue;
        }
        if figures.is_empty()
            || figures.len() + 1
                < cells.len() - usize::from(cells.last().is_some_and(|c| percent(c)))
        {
            continue; // a wrapped name, a repeated header, a page number
        }
        if label.starts_with("Sum") {
            assert_eq!(sums, figures, "a column does not foot: {line}");
            tables += 1;
            inside = false;
        } else {
            if sums.is_empty() {
                sums = vec![0; figures.len()];
            }
            assert_eq!(sums.len(), figures.len(), "{line}");
            for (sum, figure) in sums.iter_mut().zip(&figures) {
                *sum += figure;
            }
        }
    }
    // The net table, four tables per year and one per tjenesteområde (42).
    assert_eq!(tables, 1 + 4 + 42);
    // The balance (−110 kr in 2012) rounds to 0 thousand; the exact figure is still printed.
    assert!(text.contains("2012: summen av alle linjer er −110 kr"));
}

/// Bergen's operating budget in thousands of kroner with the given footing method.
fn render_bergen_in_thousands(footing: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let profile = repo().join("docs/profiles/bergen-2012-drift.toml");
    let config = dir.path().join("report.toml");
    std::fs::write(
        &config,
        format!(
            "[report]\nname = \"thousands\"\nmunicipality = \"Bergen kommune\"\ndocument = \"D\"\ntitle = \"T\"\n\
             date = 2012-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2012, 2015]\n\
             [budget]\nsources = [{:?}]\nunit = \"1000 kr\"\nfooting = \"{footing}\"\n",
            profile.display().to_string()
        ),
    )
    .unwrap();
    let output = common::budsjett()
        .args(["render", "--config"])
        .arg(&config)
        .arg("--templates")
        .arg(repo().join("templates"))
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = pdf_text(&dir.path().join("thousands.pdf"));
    (dir, text)
}

#[test]
fn with_the_note_method_figures_are_rounded_alone_and_the_note_is_printed() {
    let (_dir, text) = render_bergen_in_thousands("note");
    assert!(text.contains("Summene kan avvike på grunn av avrunding."));
    assert!(!text.contains("største-rest-metoden"));
}

/// Every printed row of the view model is in the PDF, cells in reading order.
#[test]
fn the_pdf_shows_the_view_models_figures() {
    let config = repo().join("docs/reports/bergen-2012-drift.toml");
    let prepared = budsjett::prepare(&config, &repo().join("templates")).unwrap();
    let view = prepared.report.budget.unwrap().parts.remove(0);
    let dir = tempfile::tempdir().unwrap();
    let text = squeeze(&pdf_text(&render("bergen-2012-drift", dir.path())));
    let mut tables = vec![&view.overview, &view.net_by_group];
    tables.extend(view.change_by_group.as_ref());
    tables.extend(view.per_year.iter().map(|y| &y.table));
    tables.extend(view.groups.iter().map(|g| &g.table));
    tables.extend(view.bridge.iter().map(|b| &b.table));
    let mut rows = 0;
    for table in tables {
        for row in table.rows.iter().chain(&table.total) {
            let cells = row.cells.join(" ").replace('\u{a0}', " ");
            let first_word = row.label.split_whitespace().next().unwrap_or_default();
            assert!(
                text.lines()
                    .any(|l| l.starts_with(first_word) && l.contains(&cells)),
                "{:?}: no line starting {first_word:?} with {cells:?}",
                table.caption
            );
            rows += 1;
        }
    }
    assert!(rows > 400, "only {rows} rows checked");
}

#[test]
fn a_plan_year_without_lines_is_an_error_not_a_balanced_budget() {
    let dir = tempfile::tempdir().unwrap();
    let config = stavanger_config().replace("plan = [2016, 2016]", "plan = [2020, 2020]");
    std::fs::write(dir.path().join("report.toml"), config).unwrap();
    let output = common::budsjett()
        .args(["check", "--config"])
        .arg(dir.path().join("report.toml"))
        .arg("--templates")
        .arg(repo().join("templates"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("period.plan: found no budget lines of version \"budsjett\" for 2020"),
        "{stdout}"
    );
}

#[test]
fn statutory_part_two_in_millions_notes_that_rounded_rows_differ_from_line_6() {
    let dir = tempfile::tempdir().unwrap();
    let config = stavanger_config().replace(
        "unit = \"1000 kr\"\n",
        "unit = \"mill. kr\"\ndecimals = 1\nfooting = \"note\"\n",
    );
    std::fs::write(dir.path().join("report.toml"), config).unwrap();
    let view = budsjett::prepare(&dir.path().join("report.toml"), &repo().join("templates"))
        .unwrap()
        .report
        .budget
        .unwrap()
        .parts
        .remove(0);
    let part_two = view.statutory[0].by_group.as_ref().unwrap();
    // Rows rounded one by one to 0,1 mill. kr do not add up to line 6 as printed: noted.
    let sum: i64 = part_two
        .rows
        .iter()
        .map(|r| {
            r.cells[0]
                .replace(['\u{a0}', ','], "")
                .replace('\u{2212}', "-")
                .parse::<i64>()
                .unwrap()
        })
        .sum();
    let total: i64 = part_two.total.as_ref().unwrap().cells[0]
        .replace(['\u{a0}', ','], "")
        .replace('\u{2212}', "-")
        .parse()
        .unwrap();
    assert_ne!(
        sum, total,
        "this budget's rows happen to foot; pick another unit"
    );
    let words = budsjett::words::Words::default();
    let notes: Vec<String> = part_two.notes.iter().map(|n| words.say(n)).collect();
    assert_eq!(notes, ["Summene kan avvike på grunn av avrunding."]);
}

/// Stavanger's report configuration with its relative paths made absolute, to edit and write
/// elsewhere.
fn stavanger_config() -> String {
    std::fs::read_to_string(repo().join("docs/reports/stavanger-2016-drift.toml"))
        .unwrap()
        .replace(
            "\"../profiles/",
            &format!("\"{}/", repo().join("docs/profiles").display()),
        )
        .replace(
            "\"../../data/kostra\"",
            &format!("{:?}", repo().join("data/kostra").display().to_string()),
        )
}
