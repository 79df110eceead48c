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
pub fn largest_remainder(values: &[Decimal], unit: &Unit) -> (Vec<Decimal>, Decimal) {
    let exact_total: Decimal = values
        .iter()
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    largest_remainder_to(values, unit, unit.round(exact_total))
}

/// Figures of one column rounded to `unit` so that they add up to `target` (already in the
/// unit, e.g. the printed figure of the group they belong to).
pub fn largest_remainder_to(
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
    // Largest remainder first; on a tie, the larger magnitude, then the earlier row.
    order.sort_by(|&a, &b| {
        let ra = scaled[a] - floors[a];
        let rb = scaled[b] - floors[b];
        rb.cmp(&ra)
            .then(scaled[b].abs().cmp(&scaled[a].abs()))
            .then(a.cmp(&b))
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
pub fn independent(values: &[Decimal], unit: &Unit) -> (Vec<Decimal>, Decimal, bool) {
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
pub fn note(footing: Footing, differs: bool) -> Option<&'static str> {
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
