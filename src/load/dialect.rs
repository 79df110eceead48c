//! The dialect of a CSV export: its character encoding and its delimiter, detected from the
//! bytes unless the profile names them.
//!
//! Encoding: a byte-order mark decides (UTF-8, or UTF-16 as Excel's "Unicode text"); valid
//! UTF-8 means UTF-8; a file whose bytes above 0x7F form no UTF-8 sequence at all is
//! Windows-1252 (what Excel on a Norwegian Windows saves as "CSV"; it includes ISO-8859-1's
//! letters æøå); a mixture is refused at its first bad byte (see [`decode`]). Delimiter: whichever of `;`, tab and `,` occurs most often outside quotes in
//! the header line, preferring `;` on a tie. Line endings (CRLF, LF or both) need no setting.

use std::borrow::Cow;

use crate::model::ledger::Encoding;

/// The file's text as UTF-8, with the encoding used and whether a byte-order mark was there.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    pub bom: bool,
}

/// Why a file cannot be decoded, located where the file stops being text in its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError {
    /// 1-based line and character in that line, when known.
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

/// Decodes `bytes`, detecting the encoding unless `forced`.
///
/// Detection: a byte-order mark decides (UTF-8, UTF-16 LE or BE). Without one, valid UTF-8 is
/// UTF-8; a file with bytes 0x80–0xFF none of which form a valid UTF-8 sequence is
/// Windows-1252 (Excel's "CSV" on Norwegian Windows). A file that has valid UTF-8 sequences
/// (such as `ø` as two bytes) and also bytes that are not UTF-8 is neither: it is refused at
/// the first bad byte rather than read as Windows-1252, which would turn every `ø` into `Ã¸`.
pub(crate) fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded<'_>, DecodeError> {
    let (bom, body) = if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        (Some(Encoding::Utf8), rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        (Some(Encoding::Utf16Le), rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        (Some(Encoding::Utf16Be), rest)
    } else {
        (None, bytes)
    };
    let encoding = match (forced, bom) {
        (Some(forced), Some(bom)) if forced != bom => {
            return Err(DecodeError {
                line: Some(1),
                column: Some(1),
                message: crate::msg!("dialect.bom_disagrees", bom, forced),
            });
        }
        (Some(forced), _) => forced,
        (None, Some(bom)) => bom,
        (None, None) => detect(body)?,
    };
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(body) {
            Ok(text) => Cow::Borrowed(text),
            Err(e) => {
                return Err(not_utf8(
                    body,
                    e.valid_up_to(),
                    if forced.is_some() {
                        Expected::Profile
                    } else {
                        Expected::ByteOrderMark
                    },
                ));
            }
        },
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let codec = if encoding == Encoding::Utf16Le {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            match codec.decode_without_bom_handling_and_without_replacement(body) {
                Some(text) => Cow::Owned(text.into_owned()),
                None => {
                    return Err(DecodeError {
                        line: None,
                        column: None,
                        message: crate::msg!("dialect.broken_utf16", encoding),
                    });
                }
            }
        }
    };
    Ok(Decoded {
        text,
        encoding,
        bom: bom.is_some(),
    })
}

/// UTF-8, Windows-1252, or neither, for a file without a byte-order mark.
fn detect(bytes: &[u8]) -> Result<Encoding, DecodeError> {
    let error = match std::str::from_utf8(bytes) {
        Ok(_) => return Ok(Encoding::Utf8),
        Err(e) => e,
    };
    if has_utf8_sequence(bytes) {
        Err(not_utf8(bytes, error.valid_up_to(), Expected::RestOfFile))
    } else {
        Ok(Encoding::Windows1252)
    }
}

/// Whether `bytes` contain at least one valid multibyte UTF-8 sequence.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => return !text.is_ascii(),
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                if !valid.is_ascii() {
                    return true;
                }
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[skip..];
            }
        }
    }
}

/// Why a file was expected to be UTF-8.
#[derive(Debug, Clone, Copy)]
enum Expected {
    /// The profile's `encoding` says so.
    Profile,
    /// Its byte-order mark says so.
    ByteOrderMark,
    /// The rest of the file has UTF-8 letters.
    RestOfFile,
}

/// The problem of a byte that is not UTF-8 at `at`, with its line and character.
fn not_utf8(bytes: &[u8], at: usize, why: Expected) -> DecodeError {
    let before = &bytes[..at];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    // The bytes before `at` are valid UTF-8, so characters can be counted.
    let column = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count() as u64
        + 1;
    DecodeError {
        line: Some(line),
        column: Some(column),
        message: {
            let byte = format!("0x{:02X}", bytes[at]);
            match why {
                Expected::Profile => crate::msg!("dialect.not_utf8_profile", byte),
                Expected::ByteOrderMark => crate::msg!("dialect.not_utf8_bom", byte),
                Expected::RestOfFile => crate::msg!("dialect.not_utf8_rest", byte),
            }
        },
    }
}

/// The delimiter, from the header line (the first line of `text`).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
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
pub(crate) fn delimiter_from_name(name: &str) -> Option<u8> {
    match name {
        "tab" | "\t" => Some(b'\t'),
        ";" => Some(b';'),
        "," => Some(b','),
        "|" => Some(b'|'),
        _ => None,
    }
}

/// A delimiter as a person would name it.
pub(crate) fn delimiter_name(delimiter: u8) -> &'static str {
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
        assert_eq!((error.line, error.column), (Some(2), Some(2)), "{error:?}");
    }

    #[test]
    fn utf8_with_one_bad_byte_is_refused_not_read_as_windows_1252() {
        // "Avløp" in UTF-8 on line 2, then a lone 0xE5 (Windows-1252 å) on line 3.
        let bytes = b"navn;sum\nAvl\xc3\xb8p;1\nBr\xe5;2\n";
        let error = decode(bytes, None).err().unwrap();
        assert_eq!((error.line, error.column), (Some(3), Some(3)), "{error:?}");
        assert!(error.message.contains("0xE5"), "{}", error.message);
        assert!(error.message.contains("windows-1252"), "{}", error.message);
        // The same file is read as the profile says when the profile says so.
        let forced = decode(bytes, Some(Encoding::Windows1252)).unwrap();
        assert!(forced.text.contains("Brå"));
    }

    #[test]
    fn utf16_with_bom_is_read() {
        let mut le = vec![0xff, 0xfe];
        let mut be = vec![0xfe, 0xff];
        for unit in "år\tbeløp\n".encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        for (bytes, encoding) in [(le, Encoding::Utf16Le), (be, Encoding::Utf16Be)] {
            let decoded = decode(&bytes, None).unwrap();
            assert_eq!(
                (decoded.encoding, decoded.bom, &*decoded.text),
                (encoding, true, "år\tbeløp\n")
            );
        }
        // An odd number of bytes is not UTF-16.
        assert!(decode(b"\xff\xfea\x00b", None).is_err());
    }

    #[test]
    fn delimiters_are_counted_outside_quotes() {
        assert_eq!(detect_delimiter("\"a;b\",c,d\n1,2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("\"avdeling\";\"2012\""), b';');
    }
}
