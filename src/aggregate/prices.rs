//! Price basis: from current prices to fixed prices of a base year with a deflator series,
//! compounded in decimal.
//!
//! The series gives, for each year, the price growth from the year before in percent (e.g.
//! Trondheim's 2023 assumption: deflator 4,1 %). The index of the base year is 1; a later
//! year's index is the year before's times (1 + growth); an earlier year's is the year after's
//! divided by that year's (1 + growth). An amount in fixed base-year kroner is the amount in
//! current kroner divided by its year's index.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

/// The price index of each of `years` relative to `base`; or, for the first year the series
/// lacks or cannot be compounded with (a growth of −100 % or an absurd one), why.
pub fn index(
    growth: &BTreeMap<i32, Decimal>,
    base: i32,
    years: &[i32],
) -> Result<BTreeMap<i32, Decimal>, String> {
    let factor = |year: i32| -> Result<Decimal, String> {
        let percent = growth
            .get(&year)
            .ok_or_else(|| crate::msg!("aggregate.deflator_missing", year, base))?;
        percent
            .checked_div(Decimal::ONE_HUNDRED)
            .and_then(|p| Decimal::ONE.checked_add(p))
            .filter(|f| *f > Decimal::ZERO)
            .ok_or_else(|| crate::msg!("aggregate.deflator_too_low", percent, year))
    };
    let too_large = |year: i32| crate::msg!("aggregate.index_too_large", year);
    let mut indices = BTreeMap::new();
    for &year in years {
        let mut value = Decimal::ONE;
        if year > base {
            for y in base + 1..=year {
                value = value
                    .checked_mul(factor(y)?)
                    .ok_or_else(|| too_large(year))?;
            }
        } else {
            for y in (year + 1..=base).rev() {
                value = value
                    .checked_div(factor(y)?)
                    .ok_or_else(|| too_large(year))?;
            }
        }
        indices.insert(year, value);
    }
    Ok(indices)
}

/// An amount in current kroner of its year, in fixed kroner of the base year.
pub fn to_fixed(amount: Decimal, index: Decimal) -> Decimal {
    amount.checked_div(index).unwrap_or(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn compounds_forward_and_backward_from_the_base_year() {
        let growth: BTreeMap<i32, Decimal> =
            [(2023, d("4.1")), (2024, d("3.0")), (2025, d("2.5"))].into();
        let index = index(&growth, 2023, &[2022, 2023, 2024, 2025]).unwrap();
        assert_eq!(index[&2023], d("1"));
        assert_eq!(index[&2024], d("1.030"));
        // 1,030 × 1,025 = 1,05575
        assert_eq!(index[&2025], d("1.055750"));
        // 1 / 1,041
        assert_eq!(index[&2022].round_dp(10), d("0.9606147935"));
        // 105 575 kr in 2025 is 100 000 fixed 2023-kroner.
        assert_eq!(to_fixed(d("105575"), index[&2025]), d("100000"));
    }

    #[test]
    fn a_missing_year_is_named() {
        let growth: BTreeMap<i32, Decimal> = [(2024, d("3"))].into();
        assert!(
            index(&growth, 2023, &[2025])
                .unwrap_err()
                .contains("no deflator for 2025")
        );
        let collapse: BTreeMap<i32, Decimal> = [(2024, d("-100"))].into();
        assert!(
            index(&collapse, 2023, &[2024])
                .unwrap_err()
                .contains("above −100 %")
        );
    }
}
