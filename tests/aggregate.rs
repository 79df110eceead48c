//! Exact aggregation against totals computed by hand.

mod common;

use std::path::Path;

use budsjett::config::Config;
use budsjett::{aggregate, load, validate};
use common::d;

fn totals_of(dir: &Path) -> aggregate::Totals {
    let config = Config::load(&dir.join("report.toml")).unwrap();
    let data = load::load(config.data.as_ref().unwrap(), config.unit_factor).unwrap();
    validate::validate(&data, &config).unwrap();
    aggregate::aggregate(&data, &config).unwrap()
}

#[test]
fn sample_totals_match_the_seed() {
    let totals = totals_of(&Path::new(common::REPO).join("data"));
    let baerekraft = budsjett::model::Id("baerekraft".into());
    // 20 000 000 per year in each of the four plan years.
    for year in 2023..=2026 {
        assert_eq!(totals.by_year[&year], d("20000000"), "{year}");
        assert_eq!(totals.yearly[&baerekraft][&year], d("20000000"));
    }
    // 4 × 20 000 000 = 80 000 000 for the plan period.
    assert_eq!(totals.plan_total, d("80000000"));
    assert_eq!(totals.plan_by_programme[&baerekraft], d("80000000"));
    // Over the horizon: 80 000 000 + the 0-24 period total 20 000 000 = 100 000 000;
    // the state's 6 000 000 000 is external and never added.
    assert_eq!(totals.horizon_total, d("100000000"));
    // The 0-24 period total is not split into years.
    assert!(
        !totals
            .yearly
            .contains_key(&budsjett::model::Id("0-24".into()))
    );
}

/// A small budget whose every total was worked out on paper.
#[test]
fn hand_built_budget_with_decimals_negatives_and_thousands() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "report.toml",
        r#"
[report]
name = "test"
municipality = "Testkommune"
document = "Økonomiplan 2025–2028"
title = "Test"
date = 2024-10-01
template = "strategier.typ.j2"
[period]
plan = [2025, 2028]
horizon = [2024, 2030]
[amounts]
unit = "1000 kr"
[data]
areas = "areas.csv"
programmes = "programmes.csv"
phases = "phases.csv"
amounts = "amounts.csv"
milestones = "milestones.csv"
key_figures = "key_figures.csv"
"#,
    );
    write("areas.csv", "id;name\na;Område A\n");
    write(
        "programmes.csv",
        "id;name;area\np1;Program 1;a\np2;Program 2;a\np3;Program 3;a\n",
    );
    write("phases.csv", "programme;label;first_year;last_year\n");
    write("milestones.csv", "programme;date;label\n");
    write("key_figures.csv", "id;programme;label;value;unit;year\n");
    write(
        "amounts.csv",
        "programme;first_year;last_year;basis;kind;source;amount\n\
         p1;2024;2026;per_year;drift;K;1 250,5\n\
         p1;2027;2028;per_year;investering;K;-300\n\
         p2;2025;2025;per_year;drift;K;0,001\n\
         p2;2025;2027;period_total;drift;K;9 999\n\
         p3;2026;2030;per_year;external;Staten;5 000\n",
    );
    let totals = totals_of(dir.path());
    // Amounts are in 1000 kr: p1 is 1 250 500 kr in 2024–2026, −300 000 kr in 2027–2028.
    // p2 is 1 kr in 2025. p3 is external and never summed.
    let year = |y: i32| totals.by_year[&y];
    assert_eq!(year(2025), d("1250501"));
    assert_eq!(year(2026), d("1250500"));
    assert_eq!(year(2027), d("-300000"));
    assert_eq!(year(2028), d("-300000"));
    // Plan period 2025–2028: 1 250 501 + 1 250 500 − 300 000 − 300 000 = 1 901 001.
    assert_eq!(totals.plan_total, d("1901001"));
    // Horizon: p1 3 × 1 250 500 − 2 × 300 000 = 3 151 500; p2 1 + 9 999 000 = 9 999 001.
    assert_eq!(
        totals.horizon_by_programme[&budsjett::model::Id("p1".into())],
        d("3151500")
    );
    assert_eq!(
        totals.horizon_by_programme[&budsjett::model::Id("p2".into())],
        d("9999001")
    );
    assert_eq!(totals.horizon_total, d("13150501"));
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(common::REPO).join("data");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    // Each cell is near the largest decimal; four years of it cannot be summed exactly.
    let huge = "70 000 000 000 000 000 000 000 000 000";
    std::fs::write(
        dir.path().join("amounts.csv"),
        format!("programme;first_year;last_year;basis;kind;source;amount\nbaerekraft;2023;2026;per_year;drift;K;{huge}\n"),
    )
    .unwrap();
    let config = Config::load(&dir.path().join("report.toml")).unwrap();
    let data = load::load(config.data.as_ref().unwrap(), config.unit_factor).unwrap();
    validate::validate(&data, &config).unwrap();
    let error = aggregate::aggregate(&data, &config).unwrap_err();
    assert!(error.to_string().contains("amounts.csv:2"), "{error}");
}
