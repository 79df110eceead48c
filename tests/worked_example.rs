//! The worked example in `docs/reports/eksempel-okonomiplan.toml`: an invented municipality's
//! whole budget (drift and investering by KOSTRA art and funksjon, § 5-7's debt file with a
//! population, SSB's KOSTRA files of the accounts two years before the plan). `check` finds no
//! problem, and the rendered PDF prints the figures recomputed here from the raw exports with
//! separate, simple code (split on ';', drop the spaces, add whole kroner).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{pdf_text, stderr, stdout, table_rows};

const PLAN: [i32; 4] = [2027, 2028, 2029, 2030];

fn example() -> PathBuf {
    Path::new(common::REPO).join("docs/reports/eksempel-okonomiplan.toml")
}

fn folder() -> PathBuf {
    Path::new(common::REPO).join("docs/reports/eksempel-okonomiplan")
}

/// Renders the worked example into `output` and returns its text.
fn render(output: &Path) -> String {
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(example())
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    pdf_text(&output.join("eksempel-okonomiplan.pdf"))
}

/// Per tjenesteområde ("1 Oppvekst og utdanning") the net of each of `years` in kroner of
/// `version`, from an export of the example
/// (`tjomr;tjomr_tekst;art;art_tekst;funksjon;funksjon_tekst;aar;belop;versjon`).
fn net_per_area_of<const N: usize>(
    export: &str,
    version: &str,
    years: [i32; N],
) -> BTreeMap<String, [i64; N]> {
    let text = std::fs::read_to_string(folder().join(export)).unwrap();
    let mut areas: BTreeMap<String, [i64; N]> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        if cells[8] != version {
            continue;
        }
        let year: i32 = cells[6].parse().unwrap();
        let amount: i64 = cells[7].replace(' ', "").parse().unwrap();
        let index = years.iter().position(|&y| y == year).unwrap();
        areas
            .entry(format!("{} {}", cells[0], cells[1]))
            .or_insert([0; N])[index] += amount;
    }
    areas
}

/// Per tjenesteområde the net of each plan year (version `budsjett`) in kroner.
fn net_per_area(export: &str) -> BTreeMap<String, [i64; 4]> {
    net_per_area_of(export, "budsjett", PLAN)
}

/// The rows of `label` in `text`; a label too long for its column wraps, and its row starts
/// with its first words only ("9 Sentrale inntekter og"): the rows of the whole label
/// first, then those of ever fewer of its words.
fn rows_of(text: &str, label: &str) -> Vec<Vec<String>> {
    let words: Vec<&str> = label.split(' ').collect();
    (2..=words.len())
        .rev()
        .flat_map(|n| table_rows(text, &words[..n].join(" ")))
        .collect()
}

/// The row of `area` in a part's net table: Regnskap 2025, Vedtatt budsjett 2026, the four
/// plan years, the change and its percent.
fn net_row(table: &str, area: &str) -> Vec<String> {
    rows_of(table, area)
        .into_iter()
        .find(|r| r.len() == 8)
        .unwrap_or_else(|| panic!("no net row for {area} in {table}"))
}

/// A printed whole figure: digit groups with spaces, U+2212 for minus.
fn figure(cell: &str) -> i64 {
    cell.replace(' ', "")
        .replace('\u{2212}', "-")
        .parse()
        .unwrap_or_else(|_| panic!("not a figure: {cell:?}"))
}

/// Kroner in 1 000 kr, halves away from zero.
fn thousands(kroner: i64) -> i64 {
    kroner.signum() * ((kroner.abs() + 500) / 1000)
}

#[test]
fn the_worked_example_checks_clean() {
    let output = common::budsjett()
        .args(["check", "--config"])
        .arg(example())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("No problems found."), "{out}");
    // Both parts balance in every plan year, and SSB's two files are read as KOSTRA files.
    for part in ["drift", "investering"] {
        assert!(
            out.contains(&format!(
                "{part}: balance 2027: 0 kr, 2028: 0 kr, 2029: 0 kr, 2030: 0 kr"
            )),
            "{out}"
        );
    }
    assert!(
        out.contains("(KOSTRA skjema 0A, 2025, region 469900"),
        "{out}"
    );
    assert!(
        out.contains("(KOSTRA skjema 0B, 2025, region 469900"),
        "{out}"
    );
}

#[test]
fn the_worked_example_prints_the_net_per_area_of_its_exports() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    for (export, caption) in [
        (
            "drift.csv",
            "Drift: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
        (
            "investering.csv",
            "Investering: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
    ] {
        // The table under its caption, to its sum row.
        let start = text.find(caption).unwrap_or_else(|| panic!("{caption}"));
        let end = start + text[start..].find("Sum (balanse)").unwrap();
        let table = &text[start..end];
        let areas = net_per_area(export);
        let mut sums = [0i64; 4];
        for (area, nets) in &areas {
            // The net table of the part: the history columns (regnskap 2025, vedtatt 2026),
            // the four years, the change and its percent. Footing by largest remainder moves a figure by at
            // most one unit.
            let row = net_row(table, area);
            for (i, net) in nets.iter().enumerate() {
                let printed = figure(&row[2 + i]);
                assert!(
                    (printed - thousands(*net)).abs() <= 1,
                    "{export}: {area} {}: {row:?}, {net}",
                    PLAN[i]
                );
                sums[i] += printed;
            }
        }
        // A balanced budget: each year's printed column foots to 0.
        assert_eq!(sums, [0; 4], "{export}");
    }
    // The drift's 2027 figures worked out by hand from drift.csv: Kultur og samfunn is
    // 4 577 850 + 6 103 800 + 5 086 500 = 15 768 150 kr, printed 15 768.
    let kultur = table_rows(&text, "4 Kultur og samfunn");
    assert!(kultur.iter().any(|r| r[0] == "15 768"), "{kultur:?}");
}

#[test]
fn the_adopted_budget_2026_is_the_history_column_of_each_net_table() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    for (export, caption) in [
        (
            "drift.csv",
            "Drift: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
        (
            "investering.csv",
            "Investering: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
    ] {
        let start = text.find(caption).unwrap_or_else(|| panic!("{caption}"));
        let end = start + text[start..].find("Sum (balanse)").unwrap();
        let table = &text[start..end];
        assert!(table.contains("Vedtatt"), "{table}");
        // The column before the plan years: the 2026 lines of version "vedtatt", summed by
        // hand per tjenesteområde; the adopted budget balances too.
        let mut sum = 0;
        for (area, [net]) in net_per_area_of(export, "vedtatt", [2026]) {
            let printed = figure(&net_row(table, &area)[1]);
            assert!(
                (printed - thousands(net)).abs() <= 1,
                "{export}: {area} 2026: {printed}, {net}"
            );
            sum += printed;
        }
        assert_eq!(sum, 0, "{export}");
    }
    // By hand from drift.csv: Kultur og samfunn 2026 is 4 417 650 + 5 890 150 + 4 908 450 =
    // 15 216 250 kr, printed 15 216 before 2027's 15 768.
    let kultur = table_rows(&text, "4 Kultur og samfunn");
    assert!(
        kultur
            .iter()
            .any(|r| r.len() == 8 && r[1] == "15 216" && r[2] == "15 768"),
        "{kultur:?}"
    );
}

/// Per tjenesteområde, the tjenesteområde of each funksjon in the example's exports (both
/// parts' budget lines): "201" → "1 Oppvekst og utdanning".
fn area_of_funksjon() -> BTreeMap<String, String> {
    let mut areas = BTreeMap::new();
    for export in ["drift.csv", "investering.csv"] {
        let text = std::fs::read_to_string(folder().join(export)).unwrap();
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split(';').collect();
            let area = format!("{} {}", cells[0], cells[1]);
            let before = areas.insert(cells[4].to_string(), area.clone());
            assert!(before.is_none_or(|b| b == area), "{line}");
        }
    }
    areas
}

#[test]
fn the_accounts_2025_are_placed_per_tjenesteomrade_by_funksjon() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    // By hand from SSB's file: each record's beløp (1 000 kr, positions 40–48) added to the
    // tjenesteområde of its funksjon (positions 33–35), drift (kontoklasse 1) and investering
    // (0) apart. The file is in 1 000 kr already: the column prints these sums exactly.
    let file = std::fs::read_to_string(folder().join("0A-2025-4699.dat")).unwrap();
    let areas = area_of_funksjon();
    let mut sums: BTreeMap<(&str, String), i64> = BTreeMap::new();
    for record in file.lines() {
        let class = &record[31..32];
        let area = areas[&record[32..35]].clone();
        let amount: i64 = record[39..48].trim().parse().unwrap();
        *sums.entry((class, area)).or_default() += amount;
    }
    for (class, caption) in [
        ("1", "Drift: Netto per tjenesteområde, budsjett 2027–2030."),
        (
            "0",
            "Investering: Netto per tjenesteområde, budsjett 2027–2030.",
        ),
    ] {
        let start = text.find(caption).unwrap_or_else(|| panic!("{caption}"));
        let end = start + text[start..].find("Sum (balanse)").unwrap();
        let table = &text[start..end];
        assert!(table.contains("Regnskap"), "{table}");
        let mut total = 0;
        for area in net_per_area(if class == "1" {
            "drift.csv"
        } else {
            "investering.csv"
        })
        .keys()
        {
            // An area without records of the part prints 0 (and a note says so).
            let hand = sums.get(&(class, area.clone())).copied().unwrap_or(0);
            assert_eq!(figure(&net_row(table, area)[0]), hand, "{caption} {area}");
            total += hand;
        }
        assert_eq!(total, 0, "the accounts of {caption} balance");
    }
    // One by hand: Kultur og samfunn is funksjon 370 and 385, the drift records 4 230 (370,
    // art 010), 5 640 (385, 010) and 4 700 (385, 470) = 14 570.
    let kultur = table_rows(&text, "4 Kultur og samfunn");
    assert!(
        kultur.iter().any(|r| r.len() == 8 && r[0] == "14 570"),
        "{kultur:?}"
    );
    // No line of the accounts is left without a tjenesteområde.
    assert!(!text.contains("(ikke oppgitt)"));
}

// The proposed resolution (issue 26): every amount is the printed figure of the table it cites
// and a figure worked out by hand from the example's files, and every cited table number is
// the number that table prints, in two layouts.

/// The text of the worked example rendered from a copy of its files, after `edit` changed
/// its report.toml.
fn render_copy(edit: impl Fn(String) -> String) -> String {
    render_copy_with(edit, "")
}

/// [`render_copy`], with `lines` added to the copy's drift export.
fn render_copy_with(edit: impl Fn(String) -> String, lines: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&folder(), &dir.path().join("eksempel-okonomiplan"));
    let drift = dir.path().join("eksempel-okonomiplan/drift.csv");
    let export = std::fs::read_to_string(&drift).unwrap();
    std::fs::write(&drift, format!("{export}{lines}")).unwrap();
    let config = std::fs::read_to_string(example()).unwrap();
    let copy = dir.path().join("eksempel-okonomiplan.toml");
    std::fs::write(&copy, edit(config)).unwrap();
    let output = dir.path().join("output");
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(&copy)
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    pdf_text(&output.join("eksempel-okonomiplan.pdf"))
}

/// The resolution: from its heading to the colophon's, as one line.
fn resolution(text: &str) -> String {
    let start = text.find("Forslag til vedtak\n").expect("a resolution");
    let end = start + text[start..].find("Kilder og fingeravtrykk").unwrap();
    common::flat(&text[start..end])
}

/// What stands between `before` and the next `after` in `text`.
fn between<'a>(text: &'a str, before: &str, after: &str) -> &'a str {
    let start = text
        .find(before)
        .unwrap_or_else(|| panic!("no {before:?} in {text}"))
        + before.len();
    let end = start + text[start..].find(after).unwrap();
    &text[start..end]
}

/// The number a table prints before its caption: the N of "Tabell N: <caption>".
fn printed_number(text: &str, caption: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.contains(&format!(": {caption}")) && l.contains("Tabell "))
        .unwrap_or_else(|| panic!("no table {caption:?}"));
    between(line, "Tabell ", ":").to_string()
}

/// The first plan year's figure of a row of the table under `caption`: the plan's four
/// years are the last columns but `after` (history columns come before them).
fn first_year_cell(text: &str, caption: &str, label: &str, after: usize) -> String {
    let start = text.find(caption).unwrap_or_else(|| panic!("{caption}"));
    let row = rows_of(&text[start..], label)
        .into_iter()
        .find(|r| r.len() > 4 + after)
        .unwrap_or_else(|| panic!("{caption}: no row {label}"));
    row[row.len() - 4 - after].clone()
}

const NET_DRIFT: &str = "Drift: Netto per tjenesteområde, budsjett 2027–2030.";
const OVERVIEW_DRIFT: &str = "Bevilgningsoversikt drift 2027–2030";
const OVERVIEW_INVESTERING: &str = "Bevilgningsoversikt investering 2027–2030";

/// The table numbers the resolution cites, in order: the N of every "(tabell N" in it.
fn cited_numbers(vedtak: &str) -> Vec<String> {
    vedtak
        .split("(tabell ")
        .skip(1)
        .map(|c| c.chars().take_while(char::is_ascii_digit).collect())
        .collect()
}

/// The resolution of `text` cites the net per group, § 5-4 and § 5-5 by the numbers their
/// captions print: the net table for 2027's frames and for the later years, § 5-4, then
/// § 5-5 for the investment frame, the overview, the borrowing and the onward lending.
fn assert_cites_printed_numbers(text: &str) -> [String; 3] {
    let net = printed_number(text, NET_DRIFT);
    let drift = printed_number(text, OVERVIEW_DRIFT);
    let investering = printed_number(text, OVERVIEW_INVESTERING);
    let expected = [
        &net,
        &net,
        &drift,
        &investering,
        &investering,
        &investering,
        &investering,
    ];
    let cited = cited_numbers(&resolution(text));
    assert_eq!(cited.iter().collect::<Vec<_>>(), expected);
    [net, drift, investering]
}

#[test]
fn every_resolution_amount_is_its_tables_printed_figure() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    let vedtak = resolution(&text);
    // The drift frames of 2027: each group's line is the net table's 2027 figure, and the
    // exact net of drift.csv in 1 000 kr (footing moves it at most one unit).
    for (area, nets) in net_per_area("drift.csv") {
        let printed = first_year_cell(&text, NET_DRIFT, &area, 2);
        assert!(
            vedtak.contains(&format!(" {area} {printed} ")),
            "{area}: {vedtak}"
        );
        assert!((figure(&printed) - thousands(nets[0])).abs() <= 1, "{area}");
    }
    // By hand: Kultur og samfunn 4 577 850 + 6 103 800 + 5 086 500 kr = 15 768 in 1 000 kr,
    // and the frames add up to the balance, 0.
    assert!(vedtak.contains(" 4 Kultur og samfunn 15 768 "), "{vedtak}");
    assert!(vedtak.contains(" Sum (balanse) 0 "), "{vedtak}");

    // § 5-5 in 2027, by hand from investering.csv: investeringsutgifter 48 000 + 12 000 (skole
    // and its mva) + 20 000 + 5 000 (omsorgsboliger) + 25 000 + 15 000 (vann, avløp) + 8 000 +
    // 2 000 (veier) + 3 000 + 750 (IKT) = 138 750; bruk av lån = 138 750 − 19 750 (mva-
    // kompensasjon) − 8 000 (tilskudd) − 12 000 (overføring fra drift) = 99 000, the debt
    // file's borrowing of 2027 (99 000 000 kr); bruk av lån til videreutlån 30 000.
    let gjeld = std::fs::read_to_string(folder().join("gjeld.csv")).unwrap();
    assert!(gjeld.contains("2027;investering;950 000 000;99 000 000;"));
    let [_, _, table] = assert_cites_printed_numbers(&text);
    for (row, hand, said) in [
        (
            "6. Sum investeringsutgifter",
            "138 750",
            "Investeringsbudsjettet for 2027 vedtas med investeringsutgifter på {} (tabell {}, linje 6)",
        ),
        (
            "13. Bruk av lån",
            "−99 000",
            "vedtar å ta opp lån på {} til finansiering av investeringer i 2027 (tabell {}, linje 13)",
        ),
        (
            "16. Bruk av lån til videreutlån",
            "−30 000",
            "vedtar å ta opp lån på {} til videreutlån (startlån) i 2027 (tabell {}, linje 16)",
        ),
    ] {
        let printed = first_year_cell(&text, OVERVIEW_INVESTERING, row, 0);
        assert_eq!(printed, hand, "{row}");
        // A loan is income, printed negative in § 5-5: the resolution says its size.
        let amount = printed.trim_start_matches('\u{2212}');
        let sentence = said.replacen("{}", amount, 1).replacen("{}", &table, 1);
        assert!(vedtak.contains(&sentence), "{sentence}: {vedtak}");
    }

    // The municipality's own points, as configured.
    for point in [
        "Den kommunale skattøren for personlige skattytere er 10,95 prosent for 2027.",
        "Eiendomsskatt for 2027 skrives ut med en generell skattesats på 7 promille.",
        "Skattesatsen for boliger og fritidsboliger er 3,6 promille for 2027.",
        "endres med 3,5 prosent fra 1. januar 2027",
        "Kommunedirektøren får fullmakt til å ta opp lånene og godkjenne lånevilkårene.",
    ] {
        assert!(vedtak.contains(point), "{point}: {vedtak}");
    }
}

#[test]
fn the_cited_table_numbers_follow_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let [net, drift, investering] = assert_cites_printed_numbers(&render(dir.path()));
    // Without the population the table per inhabitant (after the net table) is gone: § 5-4
    // and § 5-5 move up one number, and the resolution cites the new numbers. In kroner, the
    // amounts are the tables' kroner: § 5-5 row 13 prints −99 000 000.
    let text = render_copy(|config| {
        config
            .replace("population = \"eksempel-okonomiplan/folketall.csv\"\n", "")
            .replace("unit = \"1000 kr\"", "unit = \"kr\"")
    });
    let [net_kr, drift_kr, investering_kr] = assert_cites_printed_numbers(&text);
    assert_eq!(net_kr, net);
    let number = |n: &str| n.parse::<u32>().unwrap();
    assert_eq!(number(&drift_kr) + 1, number(&drift));
    assert_eq!(number(&investering_kr) + 1, number(&investering));
    assert_eq!(
        first_year_cell(&text, OVERVIEW_INVESTERING, "13. Bruk av lån", 0),
        "−99 000 000"
    );
    let vedtak = resolution(&text);
    assert!(
        vedtak.contains(&format!(
            "lån på 99 000 000 til finansiering av investeringer i 2027 (tabell {investering_kr}, linje 13)"
        )),
        "{vedtak}"
    );
    assert!(vedtak.starts_with("Forslag til vedtak Beløp i kroner der ikke annet er sagt."));
}

/// The figures of a stretch of `pdftotext -layout` text: every run of digit groups.
fn figures_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for cell in line.split("  ").map(str::trim).filter(|c| !c.is_empty()) {
            if cell
                .chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == '\u{2212}')
            {
                found.push(cell.to_string());
            }
        }
    }
    found
}

#[test]
fn the_front_chart_draws_the_net_tables_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    // The chart comes before the first table, and tables keep their numbers (a figure is
    // counted apart from them).
    let chart = text
        .find("Figur 1: Netto drift per tjenesteområde, budsjett 2027–2030. Beløp i 1 000 kr")
        .expect("the front chart");
    assert!(chart < text.find("Tabell 1:").unwrap());
    // Tables 1–2 are the balance and the transfers, 3–4 the key figures and the rules (the
    // worked example states rules), so the net per group is table 6 after the chapter's
    // overview of versions (5).
    assert_eq!(printed_number(&text, NET_DRIFT), "6");
    // Its labels, bar by bar, are the net table's four years of every group, in order.
    let legend = chart + text[chart..].find("2027   ").unwrap();
    let mut labels = figures_in(&text[chart..legend]);
    let mut table = Vec::new();
    for area in net_per_area("drift.csv").keys() {
        let start = text.find(NET_DRIFT).unwrap();
        let row = net_row(&text[start..], area);
        table.extend(row[2..6].iter().cloned());
    }
    labels.sort();
    table.sort();
    assert_eq!(labels, table);
}

#[test]
fn beyond_twelve_groups_the_front_chart_is_left_out_and_the_page_says_why() {
    // By funksjon, the drift part has 18 groups (drift.csv's funksjoner).
    let text = render_copy(|config| {
        config
            .replace("group_by = \"area\"", "group_by = \"service\"")
            .replace("detail_by = \"service\"", "detail_by = \"art\"")
    });
    let flat = common::flat(&text);
    assert!(
        flat.contains(
            "Figuren over netto drift per funksjon er utelatt: budsjettet har 18 grupper, og figuren viser høyst 12."
        ),
        "{flat}"
    );
    // No figure of net drift at all (the key figures' charts keep theirs).
    assert!(!text.contains("Netto drift per funksjon, budsjett"));
    assert!(!text.contains("Netto drift per tjenesteområde, budsjett"));
}

#[test]
fn the_resolution_and_the_front_chart_speak_nynorsk_in_a_nynorsk_report() {
    let text = render_copy(|config| {
        config.replace(
            "template = \"budsjett.typ.j2\"",
            "template = \"budsjett.typ.j2\"\nlanguage = \"nn\"",
        )
    });
    let flat = common::flat(&text);
    for words in [
        "Framlegg til vedtak Beløp i 1 000 kr der ikkje anna er sagt.",
        "Kommunestyret vedtek økonomiplanen for 2027–2030 og årsbudsjettet for 2027",
        "Kommunestyret vedtek å ta opp lån på 99 000 til finansiering av investeringar i 2027",
        "Figuren viser netto drift per tjenesteområde for kvart år i 2027–2030",
    ] {
        assert!(flat.contains(words), "{words}: {flat}");
    }
    assert!(!flat.contains("Forslag til vedtak"));
}

#[test]
fn the_history_columns_leave_the_resolution_as_it_is() {
    // The example prints Regnskap 2025 and Vedtatt budsjett 2026 before the plan years;
    // without them, the resolution (its frames, loans and cited table numbers) is the same.
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    let without = render_copy(|config| {
        let own = config.find("\nhistory = [").expect("the example's history") + 1;
        let end = own + config[own..].find("\n]\n").unwrap() + 3;
        format!("{}{}", &config[..own], &config[end..])
    });
    assert!(text.contains("Regnskap"));
    assert!(!without.contains("Regnskap"));
    assert_cites_printed_numbers(&without);
    // To its last point: the page's footer after it has its own page number.
    let points = |text: &str| {
        let vedtak = resolution(text);
        let last = "godkjenne lånevilkårene.";
        vedtak[..vedtak.find(last).unwrap() + last.len()].to_string()
    };
    assert_eq!(points(&text), points(&without));
    assert!(
        resolution(&text)
            .contains("vedtar å ta opp lån på 99 000 til finansiering av investeringer i 2027"),
    );
}

#[test]
fn the_disposisjonsfond_is_rolled_forward_through_the_adopted_budget_2026() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(dir.path());
    // By hand: kapittel 51 in the balance file 31.12.2025 (record "251", SSB's sign: a fund
    // is negative) is −82 400 in 1 000 kr, so 82 400 000 kr; the adopted budget 2026 sets
    // aside 12 670 200 kr (art 540, its only line of § 5-4 row 20): 95 070 200 kr at the end
    // of 2026, printed 95 070; 2027 adds its 12 528 650 kr: 107 598 850, printed 107 599.
    let balance = std::fs::read_to_string(folder().join("0B-2025-4699.dat")).unwrap();
    let kapittel_51: i64 = balance
        .lines()
        .filter(|l| l[32..36].trim() == "51")
        .map(|l| l[39..48].trim().parse::<i64>().unwrap())
        .sum();
    assert_eq!(kapittel_51, -82_400);
    let drift = std::fs::read_to_string(folder().join("drift.csv")).unwrap();
    let aside = |year: &str, amount: &str| {
        drift.lines().any(|l| {
            let cells: Vec<&str> = l.split(';').collect();
            cells[2] == "540" && cells[6] == year && cells[7] == amount
        })
    };
    assert!(aside("2026", "12 670 200") && aside("2027", "12 528 650"));
    let start = text.find("Tabell 3: Hovedtall").expect("the key figures");
    let fund = table_rows(&text[start..], "Disposisjonsfond 31.12.").remove(0);
    // Regnskap 2025 (the balance file itself), Vedtatt budsjett 2026, then the plan years.
    assert_eq!(fund[..3], ["82 400", "95 070", "107 599"], "{fund:?}");
    let flat = common::flat(&text[start..]);
    assert!(
        flat.contains(
            "Balansefilen 0B-2025-4699.dat gjelder 31.12.2025; fondet er rullet fram til 31.12.2026 med netto avsetninger og bruk (§ 5-4 linje 20) i historikkolonnen Vedtatt budsjett 2026"
        ),
        "{flat}"
    );
    assert!(!flat.contains("så det rulles ikke fram"));
    // Without the adopted budget 2026 the year between is a gap: the fund is not known.
    let without = render_copy(|config| {
        config.replace(
            "  { version = \"vedtatt\", year = 2026, label = \"Vedtatt budsjett 2026\" },\n",
            "",
        )
    });
    let start = without.find("Tabell 3: Hovedtall").unwrap();
    let fund = table_rows(&without[start..], "Disposisjonsfond 31.12.").remove(0);
    assert_eq!(fund[..2], ["82 400", "ikke kjent"], "{fund:?}");
    assert!(common::flat(&without[start..]).contains("så det rulles ikke fram"));
}

// session 8 leftovers: `render --each area` on the worked example. A sector without
// investering in a plan year (Oppvekst og utdanning and Helse og omsorg in 2030) prints 0 for
// it, and every sector PDF carries the history columns with the whole report's figures for its
// tjenesteområde: its sum row is the whole report's row, its funksjoner the whole report's
// table of that tjenesteområde, footed to the same figure.

/// The rows of a table that starts at `caption`, up to its sum row, as (label, cells): a
/// funksjon's row (its label starts with its code; the label is everything before the first
/// cell that is a figure) and the sum row.
fn table_after(text: &str, caption: &str) -> Vec<(String, Vec<String>)> {
    let start = text
        .find(caption)
        .unwrap_or_else(|| panic!("no {caption:?} in {text}"));
    let mut rows = Vec::new();
    for line in text[start..].lines().skip(1) {
        let cells: Vec<String> = line
            .trim()
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        let is_figure = |c: &String| c.replace([' ', '\u{2212}', ','], "").parse::<i64>().is_ok();
        let row = line.trim_start().starts_with(|c: char| c.is_ascii_digit());
        let sum = line.trim_start().starts_with("Sum");
        if let Some(first) = cells
            .iter()
            .position(is_figure)
            .filter(|&f| f > 0 && (row || sum))
        {
            rows.push((cells[..first].join(" "), cells[first..].to_vec()));
        }
        if sum {
            break;
        }
    }
    rows
}

#[test]
fn every_sector_pdf_prints_the_whole_reports_figures_for_its_tjenesteomrade() {
    let dir = tempfile::tempdir().unwrap();
    let whole = render(&dir.path().join("whole"));
    let sectors = dir.path().join("sectors");
    let result = common::budsjett()
        .args(["render", "--each", "area", "--config"])
        .arg(example())
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(&sectors)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", stderr(&result));
    // By hand from the exports: Oppvekst og utdanning has no investering line in 2030.
    let investering = net_per_area("investering.csv");
    assert_eq!(investering["1 Oppvekst og utdanning"][3], 0);
    let mut compared = 0;
    for (area, name) in net_per_area("drift.csv").keys().map(|a| (a, &a[2..])) {
        let code = &area[..1];
        let text = pdf_text(&sectors.join(format!("eksempel-okonomiplan-{code}.pdf")));
        for part in ["Drift", "Investering"] {
            let whole_net = format!("{part}: Netto per tjenesteområde, budsjett 2027–2030.");
            let whole_part = &whole[whole.find(&whole_net).unwrap()..];
            // A sector of one part does not name its part.
            let one_part = !text.contains("Investeringsbudsjettet");
            let own_caption = match (part, one_part) {
                ("Drift", true) => "Netto per funksjon, budsjett 2027–2030.".to_string(),
                _ => format!("{part}: Netto per funksjon, budsjett 2027–2030."),
            };
            let Some(start) = text
                .find(&own_caption)
                .filter(|_| part == "Drift" || !one_part)
            else {
                // A sector without lines of the part: the whole report has no row for it.
                assert!(
                    part == "Investering" && !investering.contains_key(area),
                    "{area}"
                );
                continue;
            };
            let own = table_after(&text[start..], &own_caption);
            let (label, sum) = own.last().unwrap();
            assert_eq!(label, "Sum", "{own:?}");
            // Regnskap 2025, Vedtatt budsjett 2026, the four plan years and the change.
            let row = net_row(whole_part, area);
            assert_eq!(sum[..7], row[..7], "{area} {part}: {own:?} against {row:?}");
            // The funksjoner: the whole report's table of this tjenesteområde, same figures.
            let detail = format!("{part}: Netto per funksjon, {name}, budsjett 2027–2030.");
            let theirs = table_after(&whole, &detail);
            let code = |label: &str| label.split(' ').next().unwrap_or_default().to_string();
            for (funksjon, cells) in &own[..own.len() - 1] {
                let (_, whole_cells) = theirs
                    .iter()
                    .find(|(l, _)| code(l) == code(funksjon))
                    .unwrap_or_else(|| panic!("{funksjon} not in {theirs:?}"));
                assert_eq!(cells[..6], whole_cells[..6], "{area} {part} {funksjon}");
                compared += 1;
            }
            // The first year's expenses, income and net: the sector's sum row is the whole
            // report's row of the tjenesteområde.
            let prefix = own_caption.split("Netto").next().unwrap_or_default();
            let own_year = format!("{prefix}Utgifter, inntekter og netto per funksjon i 2027");
            let start = text.find(&own_year).unwrap_or_else(|| panic!("{own_year}"));
            let own = table_after(&text[start..], &own_year);
            let whole_year =
                format!("{part}: Utgifter, inntekter og netto per tjenesteområde i 2027");
            let theirs = table_after(&whole, &whole_year);
            let (_, row) = theirs.iter().find(|(l, _)| code(l) == code(area)).unwrap();
            assert_eq!(own.last().unwrap().1, *row, "{area} {part} 2027: {own:?}");
        }
    }
    // 2030 of Oppvekst og utdanning's investering is printed 0, not refused.
    let oppvekst = pdf_text(&sectors.join("eksempel-okonomiplan-1.pdf"));
    let caption = "Investering: Netto per funksjon, budsjett 2027–2030.";
    let start = oppvekst.find(caption).unwrap();
    let own = table_after(&oppvekst[start..], caption);
    assert_eq!(own.last().unwrap().1[5], "0", "{own:?}");
    assert!(compared >= 15, "{compared} funksjon rows compared");
}

// The review of session 8: `render --each service`. The KOSTRA file of the accounts names a
// funksjon by its code alone, the exports by code and name; the sector of funksjon 201 printed
// 0 in its Regnskap 2025 column (with a note that it had no lines) where the whole report
// prints the accounts.
//
// Session 9: the investment funksjoner 222 and 265 (and the art 810) have no line in 2030;
// their extracts were refused whole, where the whole report prints them with 0 in 2030. Each
// extract now prints that 0, the whole report's figure.
#[test]
fn every_sector_by_funksjon_and_art_prints_and_a_year_without_lines_is_0_as_in_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    for role in ["service", "art"] {
        let result = common::budsjett()
            .args(["render", "--each", role, "--config"])
            .arg(example())
            .arg("--templates")
            .arg(Path::new(common::REPO).join("templates"))
            .arg("--output")
            .arg(dir.path().join(role))
            .output()
            .unwrap();
        let errors = stderr(&result);
        assert!(result.status.success(), "--each {role}: {errors}");
    }
    // By hand from SSB's file: the drift records (kontoklasse 1) of funksjon 201, in 1 000 kr.
    let file = std::fs::read_to_string(folder().join("0A-2025-4699.dat")).unwrap();
    let hand: i64 = file
        .lines()
        .filter(|r| &r[31..32] == "1" && &r[32..35] == "201")
        .map(|r| r[39..48].trim().parse::<i64>().unwrap())
        .sum();
    assert!(hand > 0, "funksjon 201 has accounts in the example");
    let service = dir.path().join("service");
    let text = pdf_text(&service.join("eksempel-okonomiplan-201.pdf"));
    let caption = "Netto per tjenesteområde, budsjett 2027–2030.";
    let own = table_after(&text, caption);
    let (label, sum) = own.last().unwrap();
    assert_eq!(label, "Sum", "{own:?}");
    assert_eq!(
        figure(&sum[0]),
        hand,
        "Regnskap 2025 of funksjon 201: {own:?}"
    );
    // The exports have no line of funksjon 222 or 265, nor of art 810, in 2030.
    let exports = ["drift.csv", "investering.csv"]
        .map(|f| std::fs::read_to_string(folder().join(f)).unwrap())
        .join("\n");
    let in_2030 = |column: usize, code: &str| {
        exports.lines().any(|l| {
            let cells: Vec<&str> = l.split(';').collect();
            cells.len() == 9 && cells[column] == code && cells[6] == "2030"
        })
    };
    assert!(!in_2030(4, "222") && !in_2030(4, "265") && !in_2030(2, "810"));
    // The whole report prints 222 Skolelokaler with 0 in 2030 (the sixth column: Regnskap
    // 2025, Vedtatt budsjett 2026, 2027 … 2030); its extract's sum prints the same.
    let whole = render(&dir.path().join("whole"));
    let detail = "Investering: Netto per funksjon, Oppvekst og utdanning, budsjett 2027–2030.";
    let theirs = table_after(&whole, detail);
    let (_, skolelokaler) = theirs
        .iter()
        .find(|(l, _)| l.starts_with("222 "))
        .unwrap_or_else(|| panic!("{theirs:?}"));
    assert_eq!(skolelokaler[5], "0", "{skolelokaler:?}");
    for (role, code) in [("service", "222"), ("service", "265"), ("art", "810")] {
        let file = dir
            .path()
            .join(role)
            .join(format!("eksempel-okonomiplan-{code}.pdf"));
        let own = table_after(&pdf_text(&file), caption);
        let (label, sum) = own.last().unwrap();
        assert_eq!(label, "Sum", "{own:?}");
        assert_eq!(sum[5], "0", "{code}: {own:?}");
        assert_ne!(sum[4], "0", "{code} has lines in 2029: {own:?}");
    }
}

// session 8 leftovers: a tjenesteområde only a history column has (closed down before the
// plan) prints its history figure and 0 in the plan years, and gets no frame in the proposed
// resolution.
#[test]
fn a_group_only_the_history_has_is_left_out_of_the_resolution() {
    // The adopted budget 2026 had a sixth tjenesteområde, 1 000 000 kr of wages paid from
    // tax; the plan has none of it.
    let closed = "6;Nedlagt tjeneste;010;Fastlønn;390;Den norske kirke;2026;1 000 000;vedtatt\n\
        9;Sentrale inntekter og utgifter;870;Skatt på inntekt og formue;800;Skatt på inntekt og \
        formue;2026;-1 000 000;vedtatt\n";
    let text = render_copy_with(|config| config, closed);
    // The net table: Regnskap 2025 0 (no record), Vedtatt 2026 1 000 (in 1 000 kr), 0 in each
    // plan year, the change 0 and no percent.
    let start = text.find("Drift: Netto per tjenesteområde").unwrap();
    let row = net_row(&text[start..], "6 Nedlagt tjeneste");
    assert_eq!(row[..7], ["0", "1 000", "0", "0", "0", "0", "0"], "{row:?}");
    let vedtak = resolution(&text);
    assert!(!vedtak.contains("Nedlagt"), "{vedtak}");
    // The frames of the tjenesteområder of the plan are all there, as before.
    for area in net_per_area("drift.csv").keys() {
        assert!(vedtak.contains(area.as_str()), "{area} in {vedtak}");
    }
}
