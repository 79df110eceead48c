//! Norwegian number and period formatting: where an exact amount becomes text, and where it
//! is rounded. The words it needs (month names, "fra 2022", "Beløp i kroner") come from the
//! report's words catalogue ([`crate::words`]).
//!
//! Figures are exact until they are presented, and round once, then, by [`Rule::round`], the
//! one rounder: a whole-budget table's figures to the report's [`Unit`] by the report's rule
//! (`budget.presentation`, half away from zero unless it says `half_even`), every other figure
//! (the template filters, percentages, amounts in alternative texts) half away from zero to
//! the decimals shown. How a rounded table is then made to foot is [`crate::present::rounding`]'s
//! business. Style follows Norwegian practice: non-breaking space (U+00A0) as thousands separator
//! and before a unit, decimal comma, the minus sign U+2212, an en dash in periods.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use crate::words::{Phrase, Words};

/// Non-breaking space, between digit groups and between a figure and its unit.
pub(crate) const NBSP: char = '\u{a0}';
/// The typographic minus sign.
pub(crate) const MINUS: char = '\u{2212}';
/// The en dash used in periods such as 2023–2026.
pub(crate) const EN_DASH: char = '\u{2013}';

/// The unit a figure is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Kroner,
    Thousands,
    Millions,
    Billions,
}

impl Scale {
    /// Kroner per unit of this scale.
    pub fn divisor(self) -> Decimal {
        match self {
            Scale::Kroner => Decimal::ONE,
            Scale::Thousands => Decimal::from(1_000),
            Scale::Millions => Decimal::from(1_000_000),
            Scale::Billions => Decimal::from(1_000_000_000),
        }
    }

    /// The unit as printed after a figure, with non-breaking spaces inside.
    pub fn unit(self) -> String {
        match self {
            Scale::Kroner => "kr".to_string(),
            Scale::Thousands => format!("1{NBSP}000{NBSP}kr"),
            Scale::Millions => format!("mill.{NBSP}kr"),
            Scale::Billions => format!("mrd.{NBSP}kr"),
        }
    }
}

/// A number with digit groups, decimal comma and minus sign: `−1 362 250`, `20,0`.
pub fn number(value: Decimal, decimals: u32) -> String {
    let mut rounded = Rule::HalfAwayFromZero.round(value, decimals);
    rounded.rescale(decimals);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + 8);
    if negative {
        out.push(MINUS);
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// An amount in kroner shown in `scale`: `20 000 000 kr`, `20,0 mill. kr`, `6 mrd. kr`.
///
/// In thousands the amount is rounded to whole thousands (to `decimals` of a thousand) and
/// written in kroner, `1 235 000 kr`: after a figure "1 000 kr" would read as a second
/// number (`1 235 1 000 kr`); the unit "1 000 kr" belongs in a table's or an axis's head.
pub fn money(kroner: Decimal, scale: Scale, decimals: u32) -> String {
    if scale == Scale::Thousands {
        let thousands = Rule::HalfAwayFromZero.round(kroner / scale.divisor(), decimals);
        let rounded = thousands.checked_mul(scale.divisor()).unwrap_or(kroner);
        return format!(
            "{}{NBSP}{}",
            number(rounded, decimals.saturating_sub(3)),
            Scale::Kroner.unit()
        );
    }
    let scaled = kroner.checked_div(scale.divisor()).unwrap_or(kroner);
    format!("{}{NBSP}{}", number(scaled, decimals), scale.unit())
}

/// An amount for running text: as [`money`], but a figure that rounds to a whole number of
/// the scale's units prints no zero decimals: `20 mill. kr`, not `20,0 mill. kr`; `20,5 mill. kr`.
/// It is rounded once, to `decimals`; a whole result is then printed without its decimals.
pub(crate) fn money_in_text(kroner: Decimal, scale: Scale, decimals: u32) -> String {
    let scaled = kroner.checked_div(scale.divisor()).unwrap_or(kroner);
    let rounded = Rule::HalfAwayFromZero.round(scaled, decimals);
    if scale != Scale::Thousands && rounded.fract().is_zero() {
        format!("{}{NBSP}{}", number(rounded, 0), scale.unit())
    } else {
        money(kroner, scale, decimals)
    }
}

/// A figure for a terminal or a message: digit groups with plain spaces, a hyphen-minus, and
/// as many decimals as it has (at most two).
pub fn plain(value: Decimal) -> String {
    let decimals = value.normalize().scale().min(2);
    number(value, decimals)
        .replace(NBSP, " ")
        .replace(MINUS, "-")
}

/// An exact figure for a terminal: as [`plain`], but with every decimal it has (`0,125`,
/// `1 234,5`), never rounded; a whole number has none.
pub fn exact(value: Decimal) -> String {
    number(value, value.normalize().scale())
        .replace(NBSP, " ")
        .replace(MINUS, "-")
}

/// A ratio as a percentage: 0.038 → `3,8 %`.
pub fn percent(ratio: Decimal, decimals: u32) -> String {
    match ratio.checked_mul(Decimal::ONE_HUNDRED) {
        Some(hundredths) => format!("{}{NBSP}%", number(hundredths, decimals)),
        None => "–".to_string(),
    }
}

/// A period of years: `2023–2026`, `2023`, `fra 2022` (open end), `fram mot 2030` (open
/// start); the words of open ends from the catalogue (`period.*`).
pub fn years(words: &Words, first: Option<i32>, last: Option<i32>) -> String {
    let year = |y: i32| y.to_string();
    match (first, last) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first}{EN_DASH}{last}"),
        (Some(first), None) => words.fill("period.from", &[("year", &year(first))]),
        (None, Some(last)) => words.fill("period.until", &[("year", &year(last))]),
        (None, None) => words.get("period.none").to_string(),
    }
}

/// The catalogue keys of the month names, January first.
const MONTHS: [&str; 12] = [
    "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8",
    "month.9", "month.10", "month.11", "month.12",
];

/// A date in long form: `1. november 2022`, `januar 2022`, `2022` (`date.*` in the catalogue).
pub fn date(words: &Words, year: i32, month: Option<u8>, day: Option<u8>) -> String {
    let month_name = month
        .and_then(|m| MONTHS.get(usize::from(m).wrapping_sub(1)))
        .map(|key| words.get(key));
    let year = year.to_string();
    match (month_name, day) {
        (Some(name), Some(day)) => words.fill(
            "date.day",
            &[("day", &day.to_string()), ("month", name), ("year", &year)],
        ),
        (Some(name), None) => words.fill("date.month", &[("month", name), ("year", &year)]),
        _ => year,
    }
}

/// How a half unit rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Rule {
    /// 2,5 → 3 and −2,5 → −3: the rule of Norwegian public finance tables.
    #[default]
    HalfAwayFromZero,
    /// 2,5 → 2 and 3,5 → 4 ("banker's rounding").
    HalfEven,
}

impl Rule {
    /// `value` rounded to `decimals` by this rule: the one rounder of every printed figure.
    pub(crate) fn round(self, value: Decimal, decimals: u32) -> Decimal {
        let strategy = match self {
            Rule::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Rule::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        value.round_dp_with_strategy(decimals, strategy)
    }
}

/// How a rounded table is kept consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Footing {
    /// Adjust rows so every printed column foots.
    #[default]
    LargestRemainder,
    /// Round each figure on its own; note that sums may differ.
    Note,
}

/// The unit and precision figures are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub scale: Scale,
    pub decimals: u32,
    pub(crate) rule: Rule,
}

impl Unit {
    /// Kroner in this unit, unrounded (e.g. 1 234 567 kr → 1 234,567 in 1 000 kr).
    pub(crate) fn scaled(&self, kroner: Decimal) -> Decimal {
        kroner.checked_div(self.scale.divisor()).unwrap_or(kroner)
    }

    /// Kroner rounded once to this unit.
    pub(crate) fn round(&self, kroner: Decimal) -> Decimal {
        self.rule.round(self.scaled(kroner), self.decimals)
    }

    /// A figure already in this unit, as printed: `1 234`, `−20,0`.
    pub(crate) fn print(&self, shown: Decimal) -> String {
        number(shown, self.decimals)
    }

    /// What the caption says, e.g. "Beløp i 1 000 kr" (`unit.*` in the catalogue).
    pub(crate) fn phrase(&self) -> Phrase {
        Phrase::new(match self.scale {
            Scale::Kroner => "unit.kroner",
            Scale::Thousands => "unit.thousands",
            Scale::Millions => "unit.millions",
            Scale::Billions => "unit.billions",
        })
    }

    /// One step of the last printed digit, in this unit (1, 0,1, …).
    pub(crate) fn quantum(&self) -> Decimal {
        Decimal::new(1, self.decimals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn exact_prints_every_decimal() {
        // Hand: plain would print 999,63 and -0 (two decimals at most).
        assert_eq!(exact(d("999.625")), "999,625");
        assert_eq!(exact(d("-0.001")), "-0,001");
        assert_eq!(exact(d("1234567.1250")), "1 234 567,125");
        assert_eq!(exact(d("20.00")), "20");
    }

    #[test]
    fn groups_thousands_with_no_break_space() {
        assert_eq!(number(d("20000000"), 0), "20\u{a0}000\u{a0}000");
        assert_eq!(number(d("999"), 0), "999");
        assert_eq!(number(d("1000"), 0), "1\u{a0}000");
        assert_eq!(number(d("255000"), 0), "255\u{a0}000");
    }

    #[test]
    fn negative_amounts_use_the_minus_sign() {
        assert_eq!(number(d("-1362250"), 0), "\u{2212}1\u{a0}362\u{a0}250");
    }

    #[test]
    fn rounds_half_away_from_zero_once() {
        assert_eq!(number(d("0.5"), 0), "1");
        assert_eq!(number(d("-0.5"), 0), "\u{2212}1");
        assert_eq!(number(d("2.45"), 1), "2,5");
        assert_eq!(number(d("-2.45"), 1), "\u{2212}2,5");
        // A value that rounds to zero prints without a sign.
        assert_eq!(number(d("-0.04"), 1), "0,0");
    }

    #[test]
    fn money_in_text_drops_the_zero_decimals_of_whole_millions_only() {
        assert_eq!(
            money_in_text(d("20000000"), Scale::Millions, 1),
            "20\u{a0}mill.\u{a0}kr"
        );
        // 19 960 000 rounds to 20,0 (once), then prints whole.
        assert_eq!(
            money_in_text(d("19960000"), Scale::Millions, 1),
            "20\u{a0}mill.\u{a0}kr"
        );
        assert_eq!(
            money_in_text(d("20500000"), Scale::Millions, 1),
            "20,5\u{a0}mill.\u{a0}kr"
        );
        assert_eq!(
            money_in_text(d("-80000000"), Scale::Millions, 1),
            "\u{2212}80\u{a0}mill.\u{a0}kr"
        );
    }

    #[test]
    fn money_in_each_scale() {
        assert_eq!(
            money(d("20000000"), Scale::Kroner, 0),
            "20\u{a0}000\u{a0}000\u{a0}kr"
        );
        assert_eq!(
            money(d("20000000"), Scale::Millions, 1),
            "20,0\u{a0}mill.\u{a0}kr"
        );
        assert_eq!(
            money(d("6000000000"), Scale::Billions, 0),
            "6\u{a0}mrd.\u{a0}kr"
        );
        // Thousands: rounded to whole thousands (half away from zero), written in kroner.
        assert_eq!(
            money(d("1234500"), Scale::Thousands, 0),
            "1\u{a0}235\u{a0}000\u{a0}kr"
        );
        assert_eq!(
            money(d("1234499.99"), Scale::Thousands, 0),
            "1\u{a0}234\u{a0}000\u{a0}kr"
        );
        // One decimal of a thousand is a hundred kroner.
        assert_eq!(
            money(d("-12350"), Scale::Thousands, 1),
            "\u{2212}12\u{a0}400\u{a0}kr"
        );
        // Four decimals of a thousand keep a tenth of a krone.
        assert_eq!(
            money(d("1234567.04"), Scale::Thousands, 4),
            "1\u{a0}234\u{a0}567,0\u{a0}kr"
        );
    }

    #[test]
    fn percent_with_space_and_comma() {
        assert_eq!(percent(d("0.038"), 1), "3,8\u{a0}%");
        assert_eq!(percent(d("-0.0449"), 1), "\u{2212}4,5\u{a0}%");
    }

    #[test]
    fn periods_use_en_dash_and_words_for_open_ends() {
        let w = Words::default();
        assert_eq!(years(&w, Some(2023), Some(2026)), "2023–2026");
        assert_eq!(years(&w, Some(2023), Some(2023)), "2023");
        assert_eq!(years(&w, Some(2022), None), "fra\u{a0}2022");
        assert_eq!(years(&w, None, Some(2030)), "fram mot\u{a0}2030");
    }

    #[test]
    fn long_dates_in_bokmal() {
        let w = Words::default();
        assert_eq!(date(&w, 2022, Some(11), Some(1)), "1. november 2022");
        assert_eq!(date(&w, 2022, Some(1), None), "januar 2022");
        assert_eq!(date(&w, 2016, None, None), "2016");
    }
}
