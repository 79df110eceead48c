//! Properties that must hold for every budget, checked on random ones (proptest).

use std::collections::BTreeMap;

use budsjett::aggregate::{ledger, prices};
use budsjett::format::{self, Scale};
use budsjett::format::{Rule, Unit};
use budsjett::model::Role;
use budsjett::model::budget::{BudgetLine, Ledger, NONE};
use budsjett::present::rounding;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// An amount in øre-precise kroner, up to about a trillion.
fn amount() -> impl Strategy<Value = Decimal> {
    (-100_000_000_000_000i64..100_000_000_000_000).prop_map(|ore| Decimal::new(ore, 2))
}

fn ledger_of(lines: &[(u32, i32, Decimal)]) -> Ledger {
    let mut ledger = Ledger::new();
    ledger.versions.push("budsjett".into());
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
    fn largest_remainder_rounding_foots(
        values in prop::collection::vec(amount(), 1..60),
        scale in prop::sample::select(vec![Scale::Kroner, Scale::Thousands, Scale::Millions, Scale::Billions]),
        decimals in 0u32..3,
    ) {
        let unit = Unit { scale, decimals, rule: Rule::HalfAwayFromZero };
        let (shown, total) = rounding::largest_remainder(&values, &unit);
        let exact: Decimal = values.iter().sum();
        prop_assert_eq!(total, unit.round(exact));
        prop_assert_eq!(shown.iter().sum::<Decimal>(), total);
        let quantum = Decimal::new(1, decimals);
        for (s, v) in shown.iter().zip(&values) {
            prop_assert!((*s - unit.scaled(*v)).abs() < quantum, "{} vs {}", s, v);
        }
    }

    #[test]
    fn a_figure_with_no_remainder_prints_as_itself(
        values in prop::collection::vec((any::<bool>(), -1_000_000_000i64..1_000_000_000, amount()), 1..60),
        scale in prop::sample::select(vec![Scale::Kroner, Scale::Thousands, Scale::Millions]),
        decimals in 0u32..3,
        rule in prop::sample::select(vec![Rule::HalfAwayFromZero, Rule::HalfEven]),
    ) {
        // Some figures are whole units of the table (e.g. −2 880 000 kr in 1 000 kr), the
        // others anything. Footed to the rounded total, the whole ones never move.
        let unit = Unit { scale, decimals, rule };
        let quantum_kr = Decimal::new(1, decimals) * scale.divisor();
        let values: Vec<(bool, Decimal)> = values
            .into_iter()
            .map(|(whole, units, any)| if whole { (true, Decimal::from(units) * quantum_kr) } else { (false, any) })
            .collect();
        let exact: Vec<Decimal> = values.iter().map(|v| v.1).collect();
        let (shown, total) = rounding::largest_remainder(&exact, &unit);
        prop_assert_eq!(shown.iter().sum::<Decimal>(), total);
        for ((whole, v), s) in values.iter().zip(&shown) {
            if *whole {
                prop_assert_eq!(*s, unit.scaled(*v), "{} kr printed as {}", v, s);
            }
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
    fn no_panics_on_any_cell(cell in ".{0,40}") {
        let _ = budsjett::load::amount::parse(&cell);
    }

    #[test]
    fn no_panics_on_extreme_amounts(a in any::<i64>(), b in any::<i64>(), scale in 0u32..28) {
        let x = Decimal::new(a, scale);
        let y = Decimal::MAX - Decimal::new(b.unsigned_abs() as i64 / 2, 0);
        let _ = format::number(x, 2);
        let _ = format::money(y, Scale::Billions, 1);
        let _ = format::percent(x, 1);
        for scale in [Scale::Kroner, Scale::Millions] {
            let unit = Unit { scale, decimals: 2, rule: Rule::HalfEven };
            let _ = rounding::largest_remainder(&[x, y, -y], &unit);
            let _ = rounding::largest_remainder(&[y, y], &unit);
        }
        // Sums that cannot fit are errors, not panics.
        let ledger = ledger_of(&[(0, 2024, Decimal::MAX), (0, 2024, y)]);
        if y > Decimal::ZERO {
            prop_assert!(ledger::aggregate(&ledger, Some(0), None, Some(0)).is_err());
        }
    }
}
