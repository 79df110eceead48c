//! The dialect of a CSV export: its character encoding and its delimiter, detected from the
//! bytes unless the profile names them.
//!
//! Encoding: a UTF-8 byte-order mark or valid UTF-8 means UTF-8; anything else is read as
//! Windows-1252 (what Excel on a Norwegian Windows saves as "CSV"; it includes ISO-8859-1's
//! letters æøå). Delimiter: whichever of `;`, tab and `,` occurs most often outside quotes in
//! the header line, preferring `;` on a tie. Line endings (CRLF, LF or both) need no setting.

use std::borrow::Cow;
use std::fmt;

/// A text encoding an export may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    /// Reads a profile's `encoding` value.
    pub fn from_name(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "iso-8859-1" | "latin1" | "latin-1" | "ansi" => {
                Some(Encoding::Windows1252)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        })
    }
}

/// The file's text as UTF-8, with the encoding used and whether a byte-order mark was there.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    pub bom: bool,
}

/// Decodes `bytes`, detecting the encoding unless `forced`.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded<'_>, String> {
    let (bytes, bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let encoding = forced.unwrap_or(if bom || std::str::from_utf8(bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    });
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                return Err(format!(
                    "line {line}: found bytes that are not UTF-8, expected UTF-8 text as the \
                     profile says (remove `encoding` to detect Windows-1252)"
                ));
            }
        },
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    Ok(Decoded {
        text,
        encoding,
        bom,
    })
}

/// The delimiter, from the header line (the first line of `text`).
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b';', b'\t', b','];
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    candidates[best]
}

/// Reads a profile's `delimiter` value: one character, or "tab".
pub fn delimiter_from_name(name: &str) -> Option<u8> {
    match name {
        "tab" | "\t" => Some(b'\t'),
        ";" => Some(b';'),
        "," => Some(b','),
        "|" => Some(b'|'),
        _ => None,
    }
}

/// A delimiter as a person would name it.
pub fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "';'",
        b'\t' => "tab",
        b',' => "','",
        b'|' => "'|'",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("år;beløp\n".as_bytes(), None).unwrap();
        assert_eq!(
            (plain.encoding, plain.bom, &*plain.text),
            (Encoding::Utf8, false, "år;beløp\n")
        );
        let bom = decode(b"\xef\xbb\xbf\xc3\xa5r\n", None).unwrap();
        assert_eq!(
            (bom.encoding, bom.bom, &*bom.text),
            (Encoding::Utf8, true, "år\n")
        );
    }

    #[test]
    fn windows_1252_is_detected() {
        // "Byrådsleders avdeling; 3 484 248" as Excel saves it on Norwegian Windows.
        let decoded = decode(b"Byr\xe5dsleders avdeling;\xf8\xe6", None).unwrap();
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert_eq!(decoded.text, "Byrådsleders avdeling;øæ");
    }

    #[test]
    fn forced_utf8_on_latin1_bytes_is_a_located_error() {
        let error = decode(b"a\nb\xe5\n", Some(Encoding::Utf8)).err().unwrap();
        assert!(error.starts_with("line 2:"), "{error}");
    }

    #[test]
    fn delimiters_are_counted_outside_quotes() {
        assert_eq!(detect_delimiter("\"a;b\",c,d\n1,2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("\"avdeling\";\"2012\""), b';');
    }
}
