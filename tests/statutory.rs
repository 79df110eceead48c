//! § 5-4 and § 5-5 from KOSTRA-coded lines, every row worked out by hand, with the mapping in
//! data/kostra. A balanced budget ends in exactly zero.

mod common;

use std::path::Path;

use budsjett::aggregate::statutory::{self, OverviewTotals, Part};
use budsjett::load::export;
use budsjett::load::profile::{Profile, ROLES};
use rust_decimal::Decimal;

fn compute(part: Part, lines: &[(&str, &str, i64)]) -> OverviewTotals {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("omr;art;funksjon;belop\n");
    for (art, funksjon, amount) in lines {
        csv.push_str(&format!("A;{art};{funksjon};{amount}\n"));
    }
    std::fs::write(dir.path().join("export.csv"), csv).unwrap();
    let part_name = if part == Part::Drift {
        "drift"
    } else {
        "investering"
    };
    std::fs::write(
        dir.path().join("profile.toml"),
        format!(
            "[source]\nfile = \"export.csv\"\npart = \"{part_name}\"\n[layout]\nkind = \"long\"\namount = \"belop\"\nyear = 2024\n\
             [dimensions]\narea = {{ text = \"omr\" }}\nart = {{ code = \"art\" }}\nservice = {{ code = \"funksjon\" }}\n"
        ),
    )
    .unwrap();
    let profile = Profile::load(&dir.path().join("profile.toml")).unwrap();
    let (ledger, problems) = export::import(&[profile]);
    assert!(problems.is_empty(), "{problems:?}");
    let overview = statutory::load(&Path::new(common::REPO).join("data/kostra"), part).unwrap();
    let role = |name: &str| ROLES.iter().position(|(r, _)| *r == name).unwrap();
    overview
        .compute(
            &ledger,
            &[0],
            0,
            &[2024],
            role("art"),
            role("service"),
            role("area"),
        )
        .unwrap()
}

fn row(totals: &OverviewTotals, number: u32) -> i64 {
    let value = totals
        .rows
        .get(&number)
        .and_then(|y| y.get(&2024))
        .copied()
        .unwrap_or_default();
    value.normalize().to_string().parse().expect("whole kroner")
}

const DRIFT: &[(&str, &str, i64)] = &[
    ("800", "840", -1000), // 1 rammetilskudd
    ("870", "800", -2000), // 2 skatt på inntekt og formue
    ("874", "800", -300),  // 3 eiendomsskatt
    ("810", "840", -100),  // 4 andre generelle driftsinntekter
    ("010", "201", 2500),  // 6 (a service: fastlønn in barnehage)
    ("590", "201", 400),   // 7 avskrivninger
    ("900", "870", -50),   // 10 renteinntekter
    ("905", "870", -20),   // 11 utbytte
    ("500", "870", 80),    // 13 renteutgifter
    ("510", "870", 150),   // 14 avdrag
    ("990", "860", -400),  // 16 motpost avskrivninger
    ("570", "880", 300),   // 18 overføring til investering
    ("550", "880", 10),    // 19 avsetning bundne driftsfond
    ("950", "880", -5),    // 19 bruk av bundne driftsfond
    ("540", "880", 200),   // 20 avsetning disposisjonsfond
    ("940", "880", -100),  // 20 bruk av disposisjonsfond
];

#[test]
fn drift_rows_follow_the_regulation_arithmetic() {
    let t = compute(Part::Drift, DRIFT);
    // Worked out by hand.
    let expected = [
        (1, -1000),
        (2, -2000),
        (3, -300),
        (4, -100),
        (5, -3400), // 1+2+3+4
        (6, 2500),
        (7, 400),
        (8, 2900), // 6+7
        (9, -500), // 5+8
        (10, -50),
        (11, -20),
        (12, 0),
        (13, 80),
        (14, 150),
        (15, 160), // 10..14
        (16, -400),
        (17, -740), // 9+15+16
        (18, 300),
        (19, 5),
        (20, 100),
        (21, 0),
        (22, 405),  // 18..21
        (23, -335), // 17+22, = the sum of all lines
    ];
    for (number, value) in expected {
        assert_eq!(row(&t, number), value, "row {number}");
    }
    assert!(t.unmapped.is_empty());
    // Part 2: row 6 per group.
    assert_eq!(
        t.by_group.values().next().unwrap()[&2024],
        Decimal::from(2500)
    );
}

#[test]
fn a_balanced_budget_ends_in_zero() {
    let mut lines = DRIFT.to_vec();
    lines.push(("540", "880", 335)); // one more avsetning to disposisjonsfond balances it
    let t = compute(Part::Drift, &lines);
    assert_eq!(row(&t, 20), 435);
    assert_eq!(row(&t, 22), 740);
    assert_eq!(row(&t, 23), 0);
}

#[test]
fn funksjon_899_is_left_out_and_counted() {
    let mut lines = DRIFT.to_vec();
    lines.push(("980", "899", 335));
    let t = compute(Part::Drift, &lines);
    assert_eq!((row(&t, 6), row(&t, 23), t.excluded), (2500, -335, 1));
}

#[test]
fn investering_rows_follow_the_regulation_arithmetic_and_unmapped_lines_are_listed() {
    let t = compute(
        Part::Investering,
        &[
            ("010", "222", 1000), // 1 investeringer i varige driftsmidler
            ("470", "222", 200),  // 2 tilskudd til andres investeringer
            ("529", "880", 50),   // 3 aksjer og andeler
            ("520", "880", 30),   // 4 utlån av egne midler
            ("510", "870", 20),   // 5 avdrag på lån
            ("729", "841", -100), // 7 kompensasjon for merverdiavgift
            ("810", "222", -150), // 8 tilskudd fra andre
            ("670", "222", -60),  // 9 salg av varige driftsmidler
            ("929", "880", -10),  // 10 salg av finansielle anleggsmidler
            ("905", "880", -5),   // 11 utdeling fra selskaper
            ("920", "880", -15),  // 12 mottatte avdrag på utlån
            ("910", "870", -800), // 13 bruk av lån
            ("521", "283", 100),  // 15 videreutlån
            ("911", "283", -100), // 16 bruk av lån til videreutlån
            ("512", "283", 40),   // 17 avdrag på lån til videreutlån
            ("921", "283", -40),  // 18 mottatte avdrag på videreutlån
            ("970", "880", -150), // 20 overføring fra drift
            ("550", "880", 20),   // 21 avsetning bundne investeringsfond
            ("950", "880", -10),  // 21 bruk
            ("999", "880", 7),    // no row: listed, not summed
        ],
    );
    let expected = [
        (6, 1300),   // 1..5
        (14, -1140), // 7..13
        (19, 0),     // 15..18
        (21, 10),
        (24, -140), // 20..23
        (25, 20),   // 6+14+19+24
    ];
    for (number, value) in expected {
        assert_eq!(row(&t, number), value, "row {number}");
    }
    assert_eq!(t.unmapped.len(), 1);
    assert!(t.unmapped[0].2.contains("art 999"));
}
