//! Amounts written with their unit in prose: the chart's description (its alternative text)
//! states each figure in the chart's scale, and in thousands that is a whole number of
//! kroner, never a figure followed by "1 000 kr".

mod common;

use common::{Scratch, stderr};

#[test]
fn a_chart_in_thousands_describes_its_amounts_in_kroner_rounded_to_hundreds() {
    let scratch = Scratch::new();
    // 123 450 kr a year: the chart's largest bar is under a million, so it is drawn in
    // thousands; one decimal of a thousand is 123,45 → 123,5 (half away from zero), that is
    // 123 500 kr.
    scratch.edit(
        "amounts.csv",
        "baerekraft;2023;2026;per_year;drift;Kommunedirektørens forslag;20 000 000",
        "baerekraft;2023;2026;per_year;drift;Kommunedirektørens forslag;123 450",
    );
    let output = scratch.render(&["--keep-source"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let view =
        std::fs::read_to_string(scratch.output().join("strategier-og-tiltak.view.json")).unwrap();
    // The view model hands the description over as a phrase; word it as the template does.
    let view: serde_json::Value = serde_json::from_str(&view).unwrap();
    let alt: budsjett::words::Phrase =
        serde_json::from_value(view["chart"]["alt"].clone()).unwrap();
    let alt = budsjett::words::Words::default()
        .say(&alt)
        .replace('\u{a0}', " ");
    let expected = "fra 123 500 kr til 123 500 kr per år (2023: 123 500 kr; 2024: 123 500 kr; \
                    2025: 123 500 kr; 2026: 123 500 kr)";
    assert!(alt.contains(expected), "{alt}");
    assert!(!alt.contains("1 000 kr;"), "{alt}");
}
