//! Parsing amounts written the Norwegian way into exact decimals.
//!
//! Accepted: digit groups separated by spaces (ordinary, no-break U+00A0, narrow no-break
//! U+202F, thin U+2009) or by dots when a decimal comma follows (`1.234.567,50`); a decimal
//! comma; a leading `-`, `−` (U+2212) or `+`; accounting negatives in parentheses `(12 500)`;
//! a trailing `kr`; a lone `-` meaning zero. A dot that could be a decimal point or a
//! thousands separator (`1.234`, `1.5`) is refused rather than guessed.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// Why a cell is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountError {
    pub found: String,
    pub reason: &'static str,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found.trim().is_empty() {
            write!(
                f,
                "found an empty cell, expected an amount such as 20 000 000"
            )
        } else {
            write!(
                f,
                "found {:?}, expected an amount such as 20 000 000 or -1 362 250,50 ({})",
                self.found, self.reason
            )
        }
    }
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Parses one cell into an exact amount.
pub fn parse(cell: &str) -> Result<Decimal, AmountError> {
    let fail = |reason| AmountError {
        found: cell.to_string(),
        reason,
    };
    let mut text = cell.trim_matches(|c: char| c.is_whitespace());
    if text.is_empty() {
        return Err(fail("the cell is empty"));
    }
    if let Some(rest) = text.strip_suffix("kr").or_else(|| text.strip_suffix("KR")) {
        text = rest.trim_end_matches(|c: char| c.is_whitespace());
    }
    if text == "-" || text == "\u{2212}" {
        return Ok(Decimal::ZERO);
    }
    let mut negative = false;
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        text = inner.trim();
    }
    if let Some(rest) = text.strip_prefix(['-', '\u{2212}']) {
        if negative {
            return Err(fail("it has two minus signs"));
        }
        negative = true;
        text = rest.trim_start_matches(is_group_space);
    } else if let Some(rest) = text.strip_prefix('+') {
        text = rest.trim_start_matches(is_group_space);
    }

    let (whole, fraction) = match text.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
            return Err(fail("only digits may follow the decimal comma"));
        }
    }
    let dotted = whole.contains('.');
    if dotted && fraction.is_none() && whole.matches('.').count() == 1 {
        return Err(fail(
            "a single dot could be a decimal point or a thousands separator; \
                         write decimals with a comma",
        ));
    }
    let groups: Vec<&str> = whole
        .split(|c: char| is_group_space(c) || c == '.')
        .collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(fail(
            "it contains something other than digits, spaces and a decimal comma",
        ));
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(fail("digit groups must have three digits"));
    }

    let mut digits: String = groups.concat();
    if let Some(fraction) = fraction {
        digits.push('.');
        digits.push_str(fraction);
    }
    let value = Decimal::from_str_exact(&digits)
        .or_else(|_| Decimal::from_str(&digits))
        .map_err(|_| fail("it is too large or has too many decimals"))?;
    Ok(if negative { -value } else { value })
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
    fn plain_and_grouped_whole_kroner() {
        assert_eq!(ok("20000000"), "20000000");
        assert_eq!(ok("3 484 248"), "3484248");
        assert_eq!(ok("6\u{a0}000\u{a0}000\u{a0}000"), "6000000000");
        assert_eq!(ok("1\u{202f}000"), "1000");
    }

    #[test]
    fn signs_padding_and_unit() {
        assert_eq!(ok(" -1 362 250 "), "-1362250");
        assert_eq!(ok("\u{2212}4 000"), "-4000");
        assert_eq!(ok("+500"), "500");
        assert_eq!(ok("12 500 kr"), "12500");
        assert_eq!(ok("(12 500)"), "-12500");
        assert_eq!(ok("-105 000 000 "), "-105000000");
        assert_eq!(ok("-"), "0");
    }

    #[test]
    fn decimal_comma_and_dotted_groups() {
        assert_eq!(ok("810 000,00"), "810000.00");
        assert_eq!(ok("1.234.567,50"), "1234567.50");
        assert_eq!(ok("0,5"), "0.5");
    }

    #[test]
    fn refuses_what_it_would_have_to_guess() {
        for bad in [
            "1.234", "1.5", "20 mill", "12 34", "", "1,2,3", "--5", "1 0000", "abc",
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
