//! Parsing amounts written the Norwegian way (and the ways Excel writes them) into exact
//! decimals.
//!
//! Accepted: digit groups separated by spaces (ordinary, no-break U+00A0, narrow no-break
//! U+202F, thin U+2009), by dots or by commas; a decimal comma or point; a leading `-`,
//! `−` (U+2212) or `+`; accounting negatives in parentheses `(12 500)`; a trailing `kr`; a lone
//! `-` meaning zero (accounting format). When both a dot and a comma appear, the last one is
//! the decimal mark (`1.234.567,50`). A single mark followed by exactly three digits
//! (`1,234`, `1.234`) could be either, so it is refused unless the profile names the
//! file's decimal mark.

use std::fmt;

use rust_decimal::Decimal;

/// Which character a file uses as its decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, schemars::JsonSchema)]
pub enum DecimalMark {
    /// Decide per cell; refuse what could be read both ways.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ".")]
    Point,
}

/// Why a cell is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountError {
    pub found: String,
    /// The key of the message that says why (`amount.*`, worded when displayed).
    pub reason: &'static str,
    /// Set when the cell would parse if the profile named the decimal mark.
    pub(crate) ambiguous: bool,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found.trim().is_empty() {
            f.write_str(&crate::msg!("amount.empty"))
        } else {
            let found = format!("{:?}", self.found);
            let reason = crate::messages::text(self.reason, &[]);
            f.write_str(&crate::msg!("amount.not_an_amount", found, reason))
        }
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Parses one cell, deciding the decimal mark per cell.
pub fn parse(cell: &str) -> Result<Decimal, AmountError> {
    parse_with(cell, DecimalMark::Auto)
}

/// The common case, without allocating: an optional minus and whole kroner, digit groups
/// separated by single ASCII spaces (`3 484 248`, `-1 362 250`, `20000000`).
fn whole_kroner(cell: &str) -> Option<Decimal> {
    let text = cell.trim_matches(' ');
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut value: i64 = 0;
    let mut group = 0usize;
    let mut groups = 0usize;
    for byte in digits.bytes() {
        match byte {
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(i64::from(byte - b'0'))?;
                group += 1;
            }
            // A space closes a group: the first may have 1–3 digits, the others exactly 3.
            b' ' if group > 0 && (group <= 3 && (groups == 0 || group == 3)) => {
                groups += 1;
                group = 0;
            }
            _ => return None,
        }
    }
    let grouped_ok = groups == 0 || group == 3;
    if group == 0 || !grouped_ok {
        return None;
    }
    Some(Decimal::from(if negative { -value } else { value }))
}

/// How much of a cell a message quotes.
const QUOTED_CHARS: usize = 60;

/// Parses one cell with a known (or `Auto`) decimal mark.
pub fn parse_with(cell: &str, mark: DecimalMark) -> Result<Decimal, AmountError> {
    if let Some(value) = whole_kroner(cell) {
        return Ok(value);
    }
    let fail = |reason| AmountError {
        found: crate::error::excerpt(cell, QUOTED_CHARS).into_owned(),
        reason,
        ambiguous: false,
    };
    let Some((negative, text)) = sign_and_number(cell).map_err(fail)? else {
        return Ok(Decimal::ZERO);
    };
    let decimal = decimal_mark(text, mark).map_err(|reason| AmountError {
        ambiguous: true,
        ..fail(reason)
    })?;
    let digits = plain_digits(text, decimal).map_err(fail)?;
    let value = Decimal::from_str_exact(&digits).map_err(|_| fail("amount.too_large"))?;
    Ok(if negative { -value } else { value })
}

/// The cell without spaces around, a `kr` after, and its sign (a minus, a plus or
/// parentheses): whether it is negative and the number, which starts with a digit. None for
/// a dash alone, which is zero.
fn sign_and_number(cell: &str) -> Result<Option<(bool, &str)>, &'static str> {
    let mut text = cell.trim_matches(|c: char| c.is_whitespace());
    if text.is_empty() {
        return Err("amount.empty_cell");
    }
    if let Some(rest) = text.strip_suffix("kr").or_else(|| text.strip_suffix("KR")) {
        text = rest.trim_end_matches(|c: char| c.is_whitespace());
    }
    if text == "-" || text == "\u{2212}" {
        return Ok(None);
    }
    let mut negative = false;
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        text = inner.trim();
    }
    if let Some(rest) = text.strip_prefix(['-', '\u{2212}']) {
        if negative {
            return Err("amount.two_minus_signs");
        }
        negative = true;
        text = rest.trim_start_matches(is_group_space);
    } else if let Some(rest) = text.strip_prefix('+') {
        text = rest.trim_start_matches(is_group_space);
    }
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("amount.no_digit_first");
    }
    Ok(Some((negative, text)))
}

/// The decimal mark a number uses, if any: the profile's, or with `Auto` the last of a
/// comma and a point, or one mark used once unless exactly three digits follow it (then it
/// could be either, which is the error).
fn decimal_mark(text: &str, mark: DecimalMark) -> Result<Option<char>, &'static str> {
    let commas = text.matches(',').count();
    let points = text.matches('.').count();
    Ok(match mark {
        DecimalMark::Comma => (commas > 0).then_some(','),
        DecimalMark::Point => (points > 0).then_some('.'),
        DecimalMark::Auto => match (commas, points) {
            (0, 0) => None,
            // Both present: the last one is the decimal mark.
            (_, _) if commas > 0 && points > 0 => {
                if text.rfind(',') > text.rfind('.') {
                    Some(',')
                } else {
                    Some('.')
                }
            }
            // One mark, used once: decimals unless exactly three digits follow.
            (1, 0) | (0, 1) => {
                let mark = if commas == 1 { ',' } else { '.' };
                let (before, after) = text.rsplit_once(mark).unwrap_or_default();
                // "0,125" can only be a decimal; "1,250" could be either.
                let leading_zero = before.trim_start_matches(is_group_space).starts_with('0');
                if !leading_zero && after.len() == 3 && after.chars().all(|c| c.is_ascii_digit()) {
                    return Err("amount.ambiguous_mark");
                }
                Some(mark)
            }
            // One mark used several times: thousands separators.
            _ => None,
        },
    })
}

/// The number's digits without separators, with a `.` before the decimals: digit groups of
/// three after the first, only digits after the decimal mark.
fn plain_digits(text: &str, decimal: Option<char>) -> Result<String, &'static str> {
    let (whole, fraction) = match decimal {
        Some(mark) => match text.rsplit_once(mark) {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        },
        None => (text, None),
    };
    if let Some(fraction) = fraction
        && (fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("amount.digits_after_mark");
    }
    let groups: Vec<&str> = whole
        .split(|c: char| is_group_space(c) || c == '.' || c == ',')
        .collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("amount.stray_characters");
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err("amount.digit_groups");
    }
    let mut digits: String = groups.concat();
    if let Some(fraction) = fraction {
        digits.push('.');
        digits.push_str(fraction);
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .to_string()
    }

    #[test]
    fn plain_and_space_grouped_whole_kroner() {
        assert_eq!(ok("20000000"), "20000000");
        assert_eq!(ok("3 484 248"), "3484248");
    }

    #[test]
    fn no_break_and_narrow_no_break_spaces_group_digits() {
        assert_eq!(ok("6\u{a0}000\u{a0}000\u{a0}000"), "6000000000");
        assert_eq!(ok("1\u{202f}000"), "1000");
        assert_eq!(ok("12\u{2009}500"), "12500");
    }

    #[test]
    fn padding_and_minus_sign() {
        assert_eq!(ok(" -1 362 250 "), "-1362250");
        assert_eq!(ok("-105 000 000 "), "-105000000");
    }

    #[test]
    fn unicode_minus() {
        assert_eq!(ok("\u{2212}4 000"), "-4000");
    }

    #[test]
    fn explicit_plus() {
        assert_eq!(ok("+500"), "500");
    }

    #[test]
    fn trailing_kr() {
        assert_eq!(ok("12 500 kr"), "12500");
    }

    #[test]
    fn accounting_parentheses_are_negative() {
        assert_eq!(ok("(12 500)"), "-12500");
    }

    #[test]
    fn lone_dash_is_zero() {
        assert_eq!(ok("-"), "0");
        assert_eq!(ok(" - "), "0");
    }

    #[test]
    fn decimal_comma() {
        assert_eq!(ok("810 000,00"), "810000.00");
        assert_eq!(ok("0,5"), "0.5");
        assert_eq!(ok("0,125"), "0.125");
    }

    #[test]
    fn dotted_groups_with_decimal_comma() {
        assert_eq!(ok("1.234.567,50"), "1234567.50");
        assert_eq!(ok("1,234,567.50"), "1234567.50");
        assert_eq!(ok("1.234.567"), "1234567");
    }

    #[test]
    fn decimal_point_when_it_cannot_be_a_separator() {
        assert_eq!(ok("1234.56"), "1234.56");
    }

    #[test]
    fn ambiguous_mark_is_refused_unless_the_profile_says() {
        for cell in ["1,234", "1.234", "-12,500"] {
            let error = parse(cell).unwrap_err();
            assert!(error.ambiguous, "{cell}");
            assert!(
                error
                    .to_string()
                    .contains("set decimal_mark in the profile")
            );
        }
        assert_eq!(
            parse_with("1,234", DecimalMark::Comma).unwrap().to_string(),
            "1.234"
        );
        assert_eq!(
            parse_with("1,234", DecimalMark::Point).unwrap().to_string(),
            "1234"
        );
        assert_eq!(
            parse_with("1.234", DecimalMark::Comma).unwrap().to_string(),
            "1234"
        );
        assert_eq!(
            parse_with("1.234", DecimalMark::Point).unwrap().to_string(),
            "1.234"
        );
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "20 mill", "12 34", "", "--5", "1 0000", "abc", "kr", "1,2,3,4", "(-5)",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn error_names_what_was_found() {
        let message = parse("20 mill").unwrap_err().to_string();
        assert!(
            message.starts_with("found \"20 mill\", expected an amount"),
            "{message}"
        );
    }

    #[test]
    fn too_large_is_an_error_not_a_panic() {
        assert!(parse("99999999999999999999999999999999").is_err());
    }
}
