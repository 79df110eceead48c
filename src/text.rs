//! Text cells: what a text from a data file may contain before it reaches the report.
//!
//! A text cell is printed in a table row of fixed height, so a line break inside it (Excel's
//! Alt+Enter as CR/LF, U+2028, U+2029, U+0085, vertical tab, form feed) becomes one space; a
//! byte-order mark (U+FEFF) inside a cell is invisible and would make an identically printed
//! second value, so it is removed. Other control characters (NUL, BEL, ESC, …) have no
//! printed form: they are problems, located at the character. So are characters the embedded
//! fonts cannot print ([`crate::fonts::covers`]).

use std::borrow::Cow;

/// The longest text a cell may hold: a name or a label, not a document (a longer text would
/// not fit a table row, and PDF limits how long one line of text may be).
pub(crate) const MAX_TEXT_CHARS: usize = 1000;

/// Why a text cannot be printed: a character it may not contain, or its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadChar {
    /// 1-based position of the character in the cell.
    pub at: usize,
    pub found: char,
    /// What was found and what was expected, in plain words.
    message: String,
}

impl BadChar {
    /// The problem at character `at`, worded by the message `key` (which has the
    /// placeholders `found` and `at`).
    fn new(at: usize, found: char, key: &str) -> BadChar {
        BadChar {
            at,
            found,
            message: crate::messages::text(key, &[("found", &describe(found)), ("at", &at)]),
        }
    }

    /// "found U+0007 (BEL) at character 4 of the cell, a control character …".
    pub fn message(&self) -> String {
        self.message.clone()
    }
}

/// Private-use characters and noncharacters: they mean nothing outside one system, and
/// PDF/A forbids them (typst's PDF export refuses them after the whole report is typeset).
fn unassigned_meaning(c: char) -> bool {
    let code = u32::from(c);
    matches!(code, 0xE000..=0xF8FF | 0xF_0000..=0x10_FFFF | 0xFDD0..=0xFDEF)
        || code & 0xFFFE == 0xFFFE
}

/// Whether `c` is a line break (or page break) that becomes a space.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The cell's text as the report prints it: each run of line breaks (and tabs) becomes one
/// space, a byte-order mark is removed, and the result is trimmed; or the first character
/// that cannot be printed.
pub fn clean(cell: &str) -> Result<Cow<'_, str>, BadChar> {
    // Printable ASCII, by far the most common cell, needs no look at its characters.
    if cell.len() <= MAX_TEXT_CHARS && cell.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(Cow::Borrowed(cell));
    }
    let mut changes = false;
    for (index, c) in cell.chars().enumerate() {
        if index == MAX_TEXT_CHARS {
            return Err(BadChar {
                at: index + 1,
                found: c,
                message: crate::msg!(
                    "text.too_long",
                    max = MAX_TEXT_CHARS,
                    start = crate::error::excerpt(cell, 60)
                ),
            });
        }
        if is_break(c) || c == '\t' || c == '\u{feff}' {
            changes = true;
        } else if ('\u{80}'..='\u{9f}').contains(&c) {
            // Windows-1252 puts – (0x96), — (0x97), € (0x80), ‘ ’ “ ” (0x91–0x94) here; read
            // as Latin-1 or written into UTF-8 by mistake, they become these control characters.
            return Err(BadChar::new(index + 1, c, "text.windows_1252"));
        } else if c.is_control() {
            return Err(BadChar::new(index + 1, c, "text.control"));
        } else if unassigned_meaning(c) {
            return Err(BadChar::new(index + 1, c, "text.private_use"));
        } else if !crate::fonts::covers(c) {
            return Err(BadChar::new(index + 1, c, "text.not_in_fonts"));
        }
    }
    if !changes {
        return Ok(Cow::Borrowed(cell));
    }
    let mut out = String::with_capacity(cell.len());
    let mut in_break = false;
    for c in cell.chars() {
        if is_break(c) || c == '\t' {
            if !in_break {
                out.push(' ');
            }
            in_break = true;
        } else if c != '\u{feff}' {
            in_break = false;
            out.push(c);
        }
    }
    let trimmed = out.trim();
    Ok(Cow::Owned(if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }))
}

/// Checks a text that is not a data cell (a title, a label in a profile) for characters the
/// report cannot print: the first such character.
pub fn check_printable(text: &str) -> Result<(), BadChar> {
    // Such a text is printed as it is, so a byte-order mark is not removed but refused.
    if let Some((index, c)) = text.chars().enumerate().find(|(_, c)| *c == '\u{feff}') {
        return Err(BadChar::new(index + 1, c, "text.byte_order_mark"));
    }
    clean(text).map(|_| ())
}

/// `U+0007 (BEL)`, `U+1F600 "😀"`: a character as a person can look it up.
pub(crate) fn describe(c: char) -> String {
    let name = match c {
        '\0' => Some("NUL"),
        '\u{07}' => Some("BEL"),
        '\u{08}' => Some("BACKSPACE"),
        '\u{1b}' => Some("ESC"),
        '\u{7f}' => Some("DEL"),
        '\u{feff}' => Some("BYTE ORDER MARK"),
        '\u{fffe}' | '\u{ffff}' => Some("NONCHARACTER"),
        '\u{fffd}' => Some("REPLACEMENT CHARACTER"),
        '\u{e000}'..='\u{f8ff}' => Some("PRIVATE USE"),
        _ if c.is_control() => Some("CONTROL"),
        _ => None,
    };
    match name {
        Some(name) => format!("U+{:04X} ({name})", u32::from(c)),
        None => format!("U+{:04X} \"{c}\"", u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_become_one_space_and_a_bom_goes() {
        assert_eq!(clean("Pleie og\r\nomsorg").unwrap(), "Pleie og omsorg");
        assert_eq!(clean("a\u{2028}b\u{2029}c").unwrap(), "a b c");
        assert_eq!(clean("a\u{0b}b\u{0c}c\u{85}d").unwrap(), "a b c d");
        assert_eq!(clean("\u{feff}Skole").unwrap(), "Skole");
        assert_eq!(clean("Skole\n").unwrap(), "Skole");
        // Nothing to change: the same text, not a copy.
        assert!(matches!(
            clean("Byrådsleders avdeling – 2023"),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn control_characters_are_located() {
        let bad = clean("ab\u{07}c").unwrap_err();
        assert_eq!((bad.at, bad.found), (3, '\u{07}'));
        assert!(bad.message().contains("U+0007 (BEL)"), "{}", bad.message());
        assert_eq!(clean("\0").unwrap_err().found, '\0');
        assert_eq!(clean("x\u{1b}[31m").unwrap_err().at, 2);
    }

    #[test]
    fn characters_the_fonts_lack_and_huge_cells_are_refused() {
        for (text, at) in [("Glad 😀", 6), ("中文", 1), ("ไทย", 1)] {
            let bad = clean(text).unwrap_err();
            assert_eq!(bad.at, at, "{text:?}");
            assert!(
                bad.message().contains("fonts cannot print"),
                "{}",
                bad.message()
            );
        }
        for (text, at) in [
            ("x\u{E000}", 2),
            ("\u{FFFE}", 1),
            ("a\u{10FFFD}", 2),
            ("\u{FDD0}", 1),
        ] {
            let bad = clean(text).unwrap_err();
            assert_eq!(bad.at, at, "{text:?}");
            assert!(bad.message().contains("private-use"), "{}", bad.message());
        }
        assert!(clean("Sámi: áčđŋšŧž, Čeština: ěřů, Polski: łńź").is_ok());
        let huge = "a".repeat(MAX_TEXT_CHARS + 1);
        let bad = clean(&huge).unwrap_err();
        assert!(bad.message().len() < 200, "{}", bad.message());
        assert!(clean(&"a".repeat(MAX_TEXT_CHARS)).is_ok());
    }

    #[test]
    fn a_title_with_a_byte_order_mark_is_refused_not_cleaned() {
        assert_eq!(check_printable("Budsjett\u{feff}").unwrap_err().at, 9);
        assert!(check_printable("Budsjett 2024–2027").is_ok());
    }

    #[test]
    fn excerpts_are_capped() {
        assert_eq!(crate::error::excerpt("kort", 60), "kort");
        let long = "æ".repeat(100);
        assert_eq!(
            crate::error::excerpt(&long, 60),
            format!("{}…", "æ".repeat(60))
        );
    }
}
