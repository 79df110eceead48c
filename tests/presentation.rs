//! Price basis, amounts per inhabitant and the change bridge, on small budgets whose every
//! printed figure was worked out by hand.

mod common;

use std::path::Path;

fn prepare(files: &[(&str, &str)]) -> budsjett::present::budget::PartView {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let prepared = budsjett::prepare(
        &dir.path().join("report.toml"),
        &Path::new(common::REPO).join("templates"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut parts = prepared.report.budget.expect("a budget view").parts;
    assert_eq!(parts.len(), 1, "these reports have one part");
    parts.remove(0)
}

const PROFILE: &str = "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n\
    [dimensions]\narea = { code = \"omr\", text = \"navn\" }\nchange_group = { code = \"endr\" }\n";

#[test]
fn fixed_prices_and_amounts_per_inhabitant() {
    let view = prepare(&[
        (
            "report.toml",
            "[report]\nname = \"t\"\nmunicipality = \"K\"\ndocument = \"D\"\ntitle = \"T\"\ndate = 2023-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2023, 2024]\n[budget]\nsources = [\"profile.toml\"]\n\
             detail_by = \"\"\ndeflator = \"deflator.csv\"\nbase_year = 2023\npopulation = \"population.csv\"\n",
        ),
        ("profile.toml", PROFILE),
        (
            "export.csv",
            "omr;navn;endr;2023;2024\nA;Skole;N00;1 000 000;1 030 000\nB;Helse;N00;500 000;515 000\n",
        ),
        ("deflator.csv", "year;value\n2023;4,1\n2024;3,0\n"),
        ("population.csv", "year;value\n2023;1 000\n2024;1 010\n"),
    ]);
    // 2024 in fixed 2023-kroner: 1 030 000 / 1,03 = 1 000 000 and 515 000 / 1,03 = 500 000.
    let net = &view.net_by_group;
    let caption = budsjett::words::Words::default().say(&net.caption);
    assert!(caption.contains("faste 2023-kroner"), "{caption}");
    assert_eq!(
        net.rows[0].cells[..2],
        ["1\u{a0}000\u{a0}000", "1\u{a0}000\u{a0}000"]
    );
    assert_eq!(net.rows[1].cells[..2], ["500\u{a0}000", "500\u{a0}000"]);
    // Unchanged in fixed prices: 0 kr and 0,0 %.
    assert_eq!(net.rows[0].cells[2..], ["0", "0,0\u{a0}%"]);
    // Per inhabitant: 2023 1 000 000 / 1 000 = 1 000; 2024 1 000 000 / 1 010 = 990,1 → 990;
    // 500 000 / 1 010 = 495,05 → 495; total 1 500 000 / 1 010 = 1 485,1 → 1 485 = 990 + 495.
    let per_head = view
        .per_inhabitant
        .as_ref()
        .expect("a per-inhabitant table");
    assert_eq!(per_head.rows[0].cells, ["1\u{a0}000", "990"]);
    assert_eq!(per_head.rows[1].cells, ["500", "495"]);
    assert_eq!(
        per_head.total.as_ref().unwrap().cells,
        ["1\u{a0}500", "1\u{a0}485"]
    );
    // The balance stays exact and in current kroner: 1 030 000 + 515 000.
    assert_eq!(
        view.balance[1].amount,
        rust_decimal::Decimal::from(1_545_000)
    );
}

#[test]
fn change_bridge_from_adopted_budget_to_proposal() {
    let view = prepare(&[
        (
            "report.toml",
            "[report]\nname = \"t\"\nmunicipality = \"K\"\ndocument = \"D\"\ntitle = \"T\"\ndate = 2023-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2023, 2023]\n[budget]\nsources = [\"profile.toml\"]\n\
             detail_by = \"\"\nbridge_start = \"N00\"\nbridge_exclude = [\"Z\"]\n",
        ),
        ("profile.toml", PROFILE),
        (
            "export.csv",
            "omr;navn;endr;2023\nA;Skole;N01;100\nA;Skole;N00;900\nA;Skole;N02;-50\nZ;Skatt;N00;-950\n",
        ),
    ]);
    let bridge = &view.bridge[0];
    let rows: Vec<(&str, &str)> = bridge
        .table
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.cells[0].as_str()))
        .collect();
    // The adopted budget first, then the changes in code order; Z (financing) left out.
    assert_eq!(
        rows,
        [("N00", "900"), ("N01", "100"), ("N02", "\u{2212}50")]
    );
    // 900 + 100 − 50 = 950.
    assert_eq!(bridge.table.total.as_ref().unwrap().cells, ["950"]);
    assert_eq!(bridge.steps.len(), 4);
    assert_eq!(
        bridge.steps.iter().map(|s| s.kind).collect::<Vec<_>>(),
        ["total", "up", "down", "total"]
    );
}

// Issue 24 (pages at scale): the waterfall says what its table says.

#[test]
fn the_waterfall_names_its_last_bar_draws_no_zero_and_prints_a_small_change() {
    let view = prepare(&[
        (
            "report.toml",
            "[report]\nname = \"t\"\nmunicipality = \"K\"\ndocument = \"D\"\ntitle = \"T\"\ndate = 2023-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2023, 2023]\n[budget]\nsources = [\"profile.toml\"]\n\
             detail_by = \"\"\nbridge_start = \"N00\"\n",
        ),
        ("profile.toml", PROFILE),
        (
            "export.csv",
            "omr;navn;endr;2023\nA;Skole;N00;10 809 469 126\nA;Skole;N01;251 057 300\n\
             A;Skole;N02;0\nA;Skole;N03;-16 600\n",
        ),
    ]);
    let bridge = &view.bridge[0];
    assert_eq!(bridge.chart_unit, "mill.\u{a0}kr");
    let steps: Vec<(&str, &str, &str)> = bridge
        .steps
        .iter()
        .map(|s| (s.label.as_str(), s.value.as_str(), s.kind))
        .collect();
    // 10 809 469 126 + 251 057 300 + 0 − 16 600 = 11 060 509 826 kr: 11 060,5 mill. kr. The
    // zero change is no increase; −16 600 kr, "0,0" in mill. kr, is printed as the table
    // prints it; the last bar is named as the table's sum row.
    assert_eq!(
        steps,
        [
            ("N00", "10\u{a0}809,5", "total"),
            ("N01", "251,1", "up"),
            ("N02", "0,0", "zero"),
            ("N03", "\u{2212}16\u{a0}600\u{a0}kr", "down"),
            ("Forslag 2023", "11\u{a0}060,5", "total"),
        ]
    );
    assert_eq!(bridge.table.total.as_ref().unwrap().label, "Forslag 2023");
    // The alternative text names every step with the table's figure.
    let alt = budsjett::words::Words::default().say(&bridge.alt);
    assert!(
        alt.contains("N01 251\u{a0}057\u{a0}300; N02 0; N03 \u{2212}16\u{a0}600"),
        "{alt}"
    );
}

// Issue 24, item 11: in a report printed in 1 000 kr, a change the chart's unit rounds to
// nothing is labelled as money ("−16 000 kr"), never as "−16 1 000 kr" (two numbers).
#[test]
fn a_small_change_in_a_report_in_thousands_is_labelled_in_kroner() {
    let view = prepare(&[
        (
            "report.toml",
            "[report]\nname = \"t\"\nmunicipality = \"K\"\ndocument = \"D\"\ntitle = \"T\"\ndate = 2023-01-01\n\
             template = \"budsjett.typ.j2\"\n[period]\nplan = [2023, 2023]\n[budget]\nsources = [\"profile.toml\"]\n\
             detail_by = \"\"\nbridge_start = \"N00\"\nunit = \"1000 kr\"\n",
        ),
        ("profile.toml", PROFILE),
        (
            "export.csv",
            "omr;navn;endr;2023\nA;Skole;N00;10 809 469 126\nA;Skole;N01;251 057 300\n\
             A;Skole;N02;0\nA;Skole;N03;-16 600\n",
        ),
    ]);
    let bridge = &view.bridge[0];
    let small = bridge.steps.iter().find(|s| s.label == "N03").unwrap();
    // By hand, largest remainder in 1 000 kr: the sum 11 060 509,826 prints 11 060 510; the
    // floors 10 809 469 + 251 057 + 0 − 17 = 11 060 509 need one more unit, which goes to the
    // largest remainder (−16,6 − (−17) = 0,4, over 0,3 and 0,126): N03 prints −16 in the
    // table, so the chart labels it −16 000 kr.
    let rows: Vec<(&str, &str)> = bridge
        .table
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.cells[0].as_str()))
        .collect();
    assert!(rows.contains(&("N03", "\u{2212}16")), "{rows:?}");
    assert_eq!(small.value, "\u{2212}16\u{a0}000\u{a0}kr");
    assert_eq!(small.kind, "down");
}
