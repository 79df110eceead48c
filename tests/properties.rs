//! Properties that must hold for every budget, checked on random ones (proptest).

use std::collections::BTreeMap;

use budsjett::aggregate::{ledger, prices};
use budsjett::amount::{self, DecimalMark};
use budsjett::format::{self, Scale};
use budsjett::model::ledger::{BudgetLine, Ledger, NONE, SourceInfo};
use budsjett::model::{Part, Role};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

/// An amount in øre-precise kroner, up to about a trillion.
fn amount() -> impl Strategy<Value = Decimal> {
    (-100_000_000_000_000i64..100_000_000_000_000).prop_map(|ore| Decimal::new(ore, 2))
}

fn ledger_of(lines: &[(u32, i32, Decimal)]) -> Ledger {
    let mut ledger = Ledger::new();
    ledger.versions.push("budsjett".into());
    ledger.sources.push(SourceInfo {
        profile: "budsjett.toml".into(),
        file: "budsjett.csv".into(),
        rows: lines.len(),
        filtered: 0,
        empty_amounts: 0,
        long_rows: 0,
        first_long_row: None,
        filter_values: Vec::new(),
        filled: 0,
        income_amounts: 0,
        income_written_negative: 0,
        unterminated: false,
        encoding: None,
        bom: false,
        delimiter: Some(b';'),
        layout: "long",
        part: Part::Drift,
        kostra_start: [None; Role::COUNT],
        kostra: None,
    });
    for (i, (group, year, amount)) in lines.iter().enumerate() {
        let mut dims = [NONE; Role::COUNT];
        dims[0] = *group;
        ledger.lines.push(BudgetLine {
            source: 0,
            line: i as u32 + 2,
            year: *year,
            version: 0,
            amount: *amount,
            dims,
        });
    }
    ledger
}

proptest! {
    #[test]
    fn group_totals_add_up_to_the_grand_total_exactly(
        lines in prop::collection::vec((0u32..6, 2024i32..2028, amount()), 0..200)
    ) {
        let ledger = ledger_of(&lines);
        let totals = ledger::aggregate(&ledger, Some(0), None, Some(0)).unwrap();
        for year in 2024..2028 {
            let by_groups: Decimal = totals.by_group.values().filter_map(|y| y.get(&year)).map(|f| f.net).sum();
            let grand = totals.by_year.get(&year).map(|f| f.net).unwrap_or_default();
            let direct: Decimal = lines.iter().filter(|l| l.1 == year).map(|l| l.2).sum();
            prop_assert_eq!(by_groups, grand);
            prop_assert_eq!(grand, direct);
            let flow = totals.by_year.get(&year).copied().unwrap_or_default();
            prop_assert_eq!(flow.expense + flow.income, flow.net);
        }
    }

    #[test]
    fn fixed_prices_round_trip(
        amount in amount(),
        growth in prop::collection::vec(-500i64..1500, 1..8),
    ) {
        // Growth in hundredths of a percent (−5,00 % to 15,00 %) for the years after 2020.
        let series: BTreeMap<i32, Decimal> =
            growth.iter().enumerate().map(|(i, g)| (2021 + i as i32, Decimal::new(*g, 2))).collect();
        let last = 2020 + growth.len() as i32;
        let index = prices::index(&series, 2020, &[last]).unwrap()[&last];
        let fixed = prices::to_fixed(amount, index);
        let back = fixed * index;
        // Within a millionth of an øre.
        prop_assert!((back - amount).abs() < Decimal::new(1, 8), "{} → {} → {}", amount, fixed, back);
    }

    #[test]
    fn any_cell_is_an_amount_that_prints_back_or_an_error_saying_what_was_found(
        cell in prop_oneof![
            ".{0,40}",
            "[-\u{2212}+(]?[0-9][0-9 .,\u{a0}]{0,16}( ?kr)?\\)?",
        ]
    ) {
        match amount::parse(&cell) {
            Ok(value) => {
                // Only a cell with a digit (or a lone accounting dash) is an amount, and the
                // amount printed the report's way reads back as itself.
                let dash = matches!(cell.trim(), "-" | "\u{2212}");
                prop_assert!(cell.chars().any(|c| c.is_ascii_digit()) || (dash && value.is_zero()), "{:?} → {}", cell, value);
                let printed = format::number(value, value.scale());
                prop_assert_eq!(amount::parse_with(&printed, DecimalMark::Comma), Ok(value), "{:?} printed {:?}", cell, printed);
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.contains("expected an amount such as 20 000 000"), "{}", message);
                if cell.trim().is_empty() {
                    prop_assert!(message.starts_with("found an empty cell"), "{}", message);
                } else {
                    // The cell is quoted (the first 60 characters) and a reason given.
                    prop_assert_eq!(&error.found, &cell);
                    prop_assert!(message.starts_with(&format!("found {:?}, ", cell)), "{}", message);
                    prop_assert!(!error.reason.is_empty());
                }
            }
        }
    }

    #[test]
    fn extreme_amounts_print_round_and_sum_or_are_located_errors(
        a in any::<i64>(),
        b in any::<i64>(),
        scale in 0u32..28,
    ) {
        let x = Decimal::new(a, scale);
        // Within 2^62 of the largest decimal: positive, and any two of them overflow a sum.
        let y = Decimal::MAX - Decimal::new(b.unsigned_abs() as i64 / 2, 0);
        let reads_back = |printed: &str| amount::parse_with(printed, DecimalMark::Comma);

        prop_assert_eq!(reads_back(&format::number(x, 2)), Ok(x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)));
        let billions = format::money(y, Scale::Billions, 1);
        let figure = billions.strip_suffix("\u{a0}mrd.\u{a0}kr").unwrap_or_else(|| panic!("{billions:?}"));
        prop_assert_eq!(reads_back(figure), Ok((y / Scale::Billions.divisor()).round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)));
        let percent = format::percent(x, 1);
        match x.checked_mul(Decimal::ONE_HUNDRED) {
            // A ratio too large to be a percentage is a dash, never a wrong figure.
            None => prop_assert_eq!(percent, "–"),
            Some(hundredths) => {
                let figure = percent.strip_suffix("\u{a0}%").unwrap_or_else(|| panic!("{percent:?}"));
                prop_assert_eq!(reads_back(figure), Ok(hundredths.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)));
            }
        }

        // A sum that cannot be computed exactly is an error naming the file and the line
        // (line 3: the second data line) where it overflowed, never a panic or a wrong sum.
        let ledger = ledger_of(&[(0, 2024, Decimal::MAX), (0, 2024, y)]);
        match ledger::aggregate(&ledger, Some(0), None, Some(0)) {
            Ok(_) => prop_assert!(false, "{} + {} summed", Decimal::MAX, y),
            Err(error) => prop_assert_eq!(
                error.to_string(),
                "budsjett.csv:3: the sum is too large to compute exactly (overflow)"
            ),
        }
    }
}
