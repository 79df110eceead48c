//! Footing for printed tables: the two established ways to make a column consistent once its
//! figures are rounded to the report's unit (by [`crate::format::Rule::round`]).
//!
//! Totals are always computed from exact amounts. Rounded one by one, the printed rows of a
//! column need not add up to the printed total. Either
//! - **largest remainder**: every figure is rounded down, and the units still missing to reach
//!   the correctly rounded total go to the figures with the largest remainders, so every printed
//!   column foots (a note under the table says so); or
//! - **note**: every figure is rounded on its own and the table carries the standard note
//!   "Summene kan avvike på grunn av avrunding" when a printed sum differs.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::format::{Footing, Unit};

/// Figures of one column rounded to `unit` so that they add up to the rounded exact total,
/// and that total. Exact values in kroner.
pub(crate) fn largest_remainder(values: &[Decimal], unit: &Unit) -> (Vec<Decimal>, Decimal) {
    let exact_total: Decimal = values
        .iter()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    largest_remainder_to(values, unit, unit.round(exact_total))
}

/// Figures of one column rounded to `unit` so that they add up to `target` (already in the
/// unit, e.g. the printed figure of the group they belong to).
pub(crate) fn largest_remainder_to(
    values: &[Decimal],
    unit: &Unit,
    target: Decimal,
) -> (Vec<Decimal>, Decimal) {
    let quantum = unit.quantum();
    let scaled: Vec<Decimal> = values.iter().map(|v| unit.scaled(*v)).collect();
    let floors: Vec<Decimal> = scaled
        .iter()
        .map(|v| v.round_dp_with_strategy(unit.decimals, RoundingStrategy::ToNegativeInfinity))
        .collect();
    let floor_sum: Decimal = floors
        .iter()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    let mut missing = target
        .checked_sub(floor_sum)
        .and_then(|gap| gap.checked_div(quantum))
        .map_or(Decimal::ZERO, |units| units.round());
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Largest remainder first; on a tie, the larger magnitude, then the earlier row. Each
    // figure's keys are found once, not at every comparison (a listing's column is thousands).
    let keys: Vec<(Decimal, Decimal)> = scaled
        .iter()
        .zip(&floors)
        .map(|(s, f)| (*s - *f, s.abs()))
        .collect();
    order.sort_by(|&a, &b| {
        let ((ra, ma), (rb, mb)) = (keys[a], keys[b]);
        rb.cmp(&ra).then(mb.cmp(&ma)).then(a.cmp(&b))
    });
    let mut shown = floors;
    for &i in &order {
        if missing <= Decimal::ZERO {
            break;
        }
        if scaled[i] != shown[i] {
            shown[i] = shown[i].saturating_add(quantum);
            missing -= Decimal::ONE;
        }
    }
    // A target further away than the remainders allow: spread the rest over all figures.
    for &i in order.iter().cycle().take(order.len() * 4) {
        if missing <= Decimal::ZERO {
            break;
        }
        shown[i] = shown[i].saturating_add(quantum);
        missing -= Decimal::ONE;
    }
    // A target below the floors (possible only for a target not derived from these values):
    // take units back from the smallest remainders.
    for &i in order.iter().rev() {
        if missing >= Decimal::ZERO {
            break;
        }
        shown[i] = shown[i].saturating_sub(quantum);
        missing += Decimal::ONE;
    }
    (shown, target)
}

/// Figures of one column each rounded on their own, the rounded exact total, and whether the
/// printed figures fail to add up to it.
pub(crate) fn independent(values: &[Decimal], unit: &Unit) -> (Vec<Decimal>, Decimal, bool) {
    let shown: Vec<Decimal> = values.iter().map(|v| unit.round(*v)).collect();
    let exact: Decimal = values
        .iter()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    let total = unit.round(exact);
    let printed_sum: Decimal = shown
        .iter()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    (shown, total, printed_sum != total)
}

/// The catalogue key of the note under a table whose figures were rounded by `footing`, if
/// one is needed.
pub(crate) fn note(footing: Footing, differs: bool) -> Option<&'static str> {
    match footing {
        Footing::LargestRemainder => Some("note.largest_remainder"),
        Footing::Note if differs => Some("note.sums_may_differ"),
        Footing::Note => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Rule, Scale};

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    const THOUSANDS: Unit = Unit {
        scale: Scale::Thousands,
        decimals: 0,
        rule: Rule::HalfAwayFromZero,
    };

    #[test]
    fn largest_remainder_foots_where_independent_rounding_does_not() {
        // 1 400 + 1 400 + 1 400 = 4 200 kr: each rounds to 1 (thousand), the total to 4.
        let values = [d("1400"), d("1400"), d("1400")];
        let (shown, total, differs) = independent(&values, &THOUSANDS);
        assert_eq!(
            (shown, total, differs),
            (vec![d("1"), d("1"), d("1")], d("4"), true)
        );
        let (shown, total) = largest_remainder(&values, &THOUSANDS);
        assert_eq!(total, d("4"));
        assert_eq!(shown.iter().sum::<Decimal>(), d("4"));
        // The first row takes the missing unit on a tie.
        assert_eq!(shown, [d("2"), d("1"), d("1")]);
    }

    #[test]
    fn largest_remainder_with_negative_figures() {
        // −1 600 − 1 600 + 5 000 = 1 800 → 2; floors −2, −2, 5 = 1; one unit to the largest
        // remainder (0,4 of each negative: the first).
        let (shown, total) = largest_remainder(&[d("-1600"), d("-1600"), d("5000")], &THOUSANDS);
        assert_eq!(total, d("2"));
        assert_eq!(shown, [d("-1"), d("-2"), d("5")]);
    }

    #[test]
    fn exact_figures_are_left_alone() {
        let (shown, total) = largest_remainder(&[d("2000"), d("3000")], &THOUSANDS);
        assert_eq!((shown, total), (vec![d("2"), d("3")], d("5")));
    }

    #[test]
    fn one_decimal_in_millions() {
        let unit = Unit {
            scale: Scale::Millions,
            decimals: 1,
            rule: Rule::HalfAwayFromZero,
        };
        // 0,35 + 0,35 + 0,35 = 1,05 → 1,1 (half away from zero); floors 0,3 × 3 = 0,9.
        let (shown, total) = largest_remainder(&[d("350000"), d("350000"), d("350000")], &unit);
        assert_eq!(total, d("1.1"));
        assert_eq!(shown.iter().sum::<Decimal>(), d("1.1"));
    }

    #[test]
    fn half_even_is_available() {
        let unit = Unit {
            scale: Scale::Thousands,
            decimals: 0,
            rule: Rule::HalfEven,
        };
        assert_eq!(unit.round(d("2500")), d("2"));
        assert_eq!(THOUSANDS.round(d("2500")), d("3"));
        assert_eq!(THOUSANDS.round(d("-2500")), d("-3"));
    }
}

/// Properties of footing, checked on random columns (proptest).
#[cfg(test)]
mod properties {
    use super::*;
    use crate::format::{Rule, Scale};
    use proptest::prelude::*;

    /// An amount in øre-precise kroner, up to about a trillion.
    fn amount() -> impl Strategy<Value = Decimal> {
        (-100_000_000_000_000i64..100_000_000_000_000).prop_map(|ore| Decimal::new(ore, 2))
    }

    proptest! {
        #[test]
        fn largest_remainder_rounding_foots(
            values in prop::collection::vec(amount(), 1..60),
            scale in prop::sample::select(vec![Scale::Kroner, Scale::Thousands, Scale::Millions, Scale::Billions]),
            decimals in 0u32..3,
        ) {
            let unit = Unit { scale, decimals, rule: Rule::HalfAwayFromZero };
            let (shown, total) = largest_remainder(&values, &unit);
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
            let (shown, total) = largest_remainder(&exact, &unit);
            prop_assert_eq!(shown.iter().sum::<Decimal>(), total);
            for ((whole, v), s) in values.iter().zip(&shown) {
                if *whole {
                    prop_assert_eq!(*s, unit.scaled(*v), "{} kr printed as {}", v, s);
                }
            }
        }

        #[test]
        fn extreme_figures_foot_where_their_sum_can_be_computed(
            a in any::<i64>(),
            b in any::<i64>(),
            scale in 0u32..28,
        ) {
            let x = Decimal::new(a, scale);
            // Within 2^62 of the largest decimal: positive, and any two of them overflow a sum.
            let y = Decimal::MAX - Decimal::new(b.unsigned_abs() as i64 / 2, 0);
            for scale in [Scale::Kroner, Scale::Millions] {
                let unit = Unit { scale, decimals: 2, rule: Rule::HalfEven };
                for values in [vec![x, y, -y], vec![y, y]] {
                    let (shown, total) = largest_remainder(&values, &unit);
                    prop_assert_eq!(shown.len(), values.len());
                    // Where the column's running sum can be computed, the printed figures foot to
                    // its rounding. Where it overflows ([y, y], and x + y for a large x) no
                    // footing is promised: aggregation refuses such sums before anything is
                    // printed (asserted in tests/properties.rs).
                    let exact = values.iter().try_fold(Decimal::ZERO, |a, v| a.checked_add(*v));
                    if let Some(exact) = exact {
                        prop_assert_eq!(total, unit.round(exact));
                        prop_assert_eq!(shown.iter().sum::<Decimal>(), total);
                    }
                }
            }
        }
    }
}
