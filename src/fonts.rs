//! Fonts: the fonts embedded in the binary, and how wide a text prints in them.
//!
//! Typst typesets with these fonts and nothing else (no system fonts). The view model asks how
//! wide a table label prints so that a table row which surely fits on one line can be given a
//! fixed height: typst then lays its cells out once instead of measuring them first (an auto
//! row lays every cell out twice). The estimate is deliberately generous: kerning and
//! ligatures are ignored (they almost always narrow a text), every digit counts as the widest
//! digit (tables use tabular figures), a character the font lacks (or outside Latin and
//! general punctuation) counts as a whole em, and a margin is added. Widths are integers (thousandths of an em), never floats.

use std::sync::OnceLock;

use typst::text::{Font, FontStretch, FontStyle, FontVariant, FontWeight};
use typst_kit::fonts::FontStore;

/// The family table text is set in: `table-font` in `templates/style.typ`, which
/// `figures-table` sets. `tests/table_font.rs` typesets a table with that style and fails
/// when the PDF's fonts are not this family's (see [`measured_faces`]); if they drifted apart,
/// widths would be estimated in the wrong font.
pub const TABLE_FAMILY: &str = "Libertinus Serif";

/// The fonts embedded in the binary, loaded once per process.
pub(crate) fn store() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store
    })
}

/// How wide `text` prints in the table font, regular or bold, in thousandths of an em: an
/// upper estimate (see the module documentation). `u32::MAX` when the font is missing, so
/// nothing is ever taken to fit.
pub fn text_width(text: &str, bold: bool) -> u32 {
    // A line break inside the text (a cell of an export may hold one) never fits on one line.
    let Some(metrics) = metrics(bold).filter(|_| !text.contains(['\n', '\r', '\u{2028}'])) else {
        return u32::MAX;
    };
    let sum: u64 = text.chars().map(|c| u64::from(metrics.advance(c))).sum();
    // 4 % and a quarter em to spare, rounded up.
    let padded = (sum * 104).div_ceil(100) + 250;
    u32::try_from(padded).unwrap_or(u32::MAX)
}

/// The families the report may print in (the text font, and those typst falls back to), each
/// with the start of its embedded faces' PostScript names (`LibertinusSerif-Bold`): the faces
/// typst's font book gives the family (`tests::coverage_found_a_word_at_a_time_is_each_characters_own`
/// compares them).
const FAMILIES: &[(&str, &str)] = &[
    ("Libertinus Serif", "LibertinusSerif-"),
    ("New Computer Modern", "NewCM10-"),
    ("DejaVu Sans Mono", "DejaVuSansMono"),
];

/// The embedded faces of each of [`FAMILIES`], read straight from the font files. Checking a
/// text's characters needs only the faces' character maps, so `check` and the configuration's
/// texts do not wait for typst's font book, which reads every face whole (about 4 ms, on the
/// thread `typeset::warm_up` starts).
fn family_faces() -> &'static [Vec<ttf_parser::Face<'static>>] {
    static FACES: OnceLock<Vec<Vec<ttf_parser::Face<'static>>>> = OnceLock::new();
    FACES.get_or_init(|| {
        let faces: Vec<ttf_parser::Face<'static>> = typst_assets::fonts()
            .flat_map(|data| {
                let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
                (0..count).filter_map(move |index| ttf_parser::Face::parse(data, index).ok())
            })
            .collect();
        FAMILIES
            .iter()
            .map(|(_, prefix)| {
                let of_family = |face: &&ttf_parser::Face| {
                    postscript_name(face).is_some_and(|name| name.starts_with(prefix))
                };
                faces.iter().filter(of_family).cloned().collect()
            })
            .collect()
    })
}

/// A face's PostScript name, as a PDF's font list names it.
fn postscript_name(face: &ttf_parser::Face) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|name| name.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|name| name.to_string())
}

/// Whether the embedded fonts can print `c` in every style: some family of [`FAMILIES`] has a
/// glyph for it in each of its embedded faces (regular, bold, italic, …). A character they
/// cannot print would come out as an empty box, which PDF/A forbids; `check` refuses it first.
pub(crate) fn covers(c: char) -> bool {
    // Code points past U+2FFFF (the ideographic planes' end) are never covered.
    const BLOCKS: usize = 0x3_0000 / 64;
    // One word of 64 code points at a time, looked up when a text first needs it: a report's
    // characters fall in a handful of words, and looking up every code point the fonts map
    // once cost as much as reading and summing a 10 000-line export.
    static COVERED: [OnceLock<u64>; BLOCKS] = [const { OnceLock::new() }; BLOCKS];
    let code = c as usize;
    COVERED.get(code / 64).is_some_and(|word| {
        word.get_or_init(|| covered_word(code / 64 * 64)) & (1 << (code % 64)) != 0
    })
}

/// The code points `first..first + 64` that [`covers`] covers, as bits (bit 0 is `first`).
fn covered_word(first: usize) -> u64 {
    let mut union = 0;
    for faces in family_faces() {
        let mut family_bits: Option<u64> = None;
        for face in faces {
            let mut face_bits = 0u64;
            let unicode = face
                .tables()
                .cmap
                .into_iter()
                .flat_map(|cmap| cmap.subtables);
            for subtable in unicode.filter(|subtable| subtable.is_unicode()) {
                for (bit, code) in (first..first + 64).enumerate() {
                    let code = u32::try_from(code).unwrap_or(u32::MAX);
                    if subtable.glyph_index(code).is_some() {
                        face_bits |= 1 << bit;
                    }
                }
            }
            family_bits = Some(family_bits.map_or(face_bits, |bits| bits & face_bits));
        }
        union |= family_bits.unwrap_or_default();
    }
    union
}

/// Advance widths of one weight of the table font, in thousandths of an em, looked up once.
struct Metrics {
    /// Code points 0–0x24F (Latin-1 and Latin Extended).
    latin: Vec<u16>,
    /// Code points 0x2000–0x206F (General Punctuation: dashes, quotes, spaces).
    punctuation: Vec<u16>,
    /// U+2212, the minus sign amounts are printed with.
    minus: u16,
    /// The widest of the digits 0–9: tabular figures are all this wide or narrower.
    digit: u16,
}

impl Metrics {
    fn new(font: &Font) -> Option<Self> {
        let face = ttf_parser::Face::parse(font.data(), font.index()).ok()?;
        let units_per_em = u32::from(face.units_per_em()).max(1);
        let width = |c: u32| -> u16 {
            char::from_u32(c)
                .and_then(|c| face.glyph_index(c))
                .and_then(|glyph| face.glyph_hor_advance(glyph))
                .map_or(1000, |units| {
                    u16::try_from((u32::from(units) * 1000).div_ceil(units_per_em))
                        .unwrap_or(u16::MAX)
                })
        };
        Some(Metrics {
            latin: (0..0x250).map(width).collect(),
            punctuation: (0x2000..0x2070).map(width).collect(),
            minus: width(0x2212),
            digit: (u32::from('0')..=u32::from('9'))
                .map(width)
                .max()
                .unwrap_or(1000),
        })
    }

    /// The advance of `c`; a whole em for anything outside the looked-up ranges.
    fn advance(&self, c: char) -> u16 {
        let code = c as usize;
        if c.is_ascii_digit() {
            self.digit
        } else if code < 0x250 {
            self.latin[code]
        } else if (0x2000..0x2070).contains(&code) {
            self.punctuation[code - 0x2000]
        } else if c == '\u{2212}' {
            self.minus
        } else {
            1000
        }
    }
}

/// The face of [`TABLE_FAMILY`] widths are measured in, regular or bold.
fn table_face(bold: bool) -> Option<Font> {
    let weight = if bold {
        FontWeight::BOLD
    } else {
        FontWeight::REGULAR
    };
    let variant = FontVariant::new(FontStyle::Normal, weight, FontStretch::NORMAL);
    let index = store()
        .book()
        .select(&TABLE_FAMILY.to_lowercase(), variant)?;
    store().font(index)
}

/// The PostScript names of the faces widths are measured in, regular and bold
/// (`LibertinusSerif-Regular`), as a PDF's font list names the fonts it embeds; empty when
/// the family is not embedded.
pub fn measured_faces() -> Vec<String> {
    [false, true]
        .into_iter()
        .filter_map(table_face)
        .filter_map(|font| {
            postscript_name(&ttf_parser::Face::parse(font.data(), font.index()).ok()?)
        })
        .collect()
}

fn metrics(bold: bool) -> Option<&'static Metrics> {
    static REGULAR: OnceLock<Option<Metrics>> = OnceLock::new();
    static BOLD: OnceLock<Option<Metrics>> = OnceLock::new();
    let cell = if bold { &BOLD } else { &REGULAR };
    cell.get_or_init(|| Metrics::new(&table_face(bold)?))
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_font_is_embedded() {
        assert!(metrics(false).is_some() && metrics(true).is_some());
        assert_eq!(
            measured_faces(),
            ["LibertinusSerif-Regular", "LibertinusSerif-Bold"]
        );
    }

    #[test]
    fn widths_grow_with_the_text_and_bold_is_wider() {
        let short = text_width("Sum", false);
        let long = text_width("Sum og mer", false);
        assert!(long > short);
        assert!(text_width("Helse og omsorg", true) > text_width("Helse og omsorg", false));
        // Every digit counts as the widest one.
        assert_eq!(text_width("1111", false), text_width("0000", false));
        assert_eq!(text_width("", false), 250);
    }

    #[test]
    fn a_character_outside_the_looked_up_ranges_counts_as_an_em() {
        // U+E000 is a private-use code point.
        assert_eq!(
            text_width("\u{E000}", false),
            (1000u32 * 104).div_ceil(100) + 250
        );
    }

    #[test]
    fn the_fonts_cover_norwegian_sami_and_european_latin() {
        // Norwegian, North/Lule/South Sámi, Western and Central European Latin, and the
        // punctuation figures are printed with.
        let needed = "æøåÆØÅ áčđŋšŧžÁČĐŊŠŦŽ ïäöüÏÄÖÜ éèêëàâçîôûùÿœŒß ąćęłńóśźżĄĆĘŁŃÓŚŹŻ \
                      ěřůťďňĚŘŮŤĎŇ őűŐŰ şğıŞĞİ ăâîșțĂÂÎȘȚ ÞþÐðÝý –—−§%‰«»“”‘’…€";
        let missing: Vec<char> = needed.chars().filter(|&c| c != ' ' && !covers(c)).collect();
        assert!(missing.is_empty(), "the fonts lack {missing:?}");
        for c in ['😀', '中', 'ก', '\u{FFFE}'] {
            assert!(!covers(c), "{c:?} should not be covered");
        }
    }

    #[test]
    fn coverage_found_a_word_at_a_time_is_each_characters_own() {
        // An independent lookup, character by character: ttf-parser's own `glyph_index` in
        // every face of a family.
        let fonts: Vec<Vec<Font>> = FAMILIES
            .iter()
            .map(|(family, _)| {
                let faces = store().book().select_family(&family.to_lowercase());
                faces.map(|index| store().font(index).unwrap()).collect()
            })
            .collect();
        let faces: Vec<Vec<ttf_parser::Face>> = fonts
            .iter()
            .map(|family| {
                let faces = family.iter();
                faces
                    .map(|font| ttf_parser::Face::parse(font.data(), font.index()).unwrap())
                    .collect()
            })
            .collect();
        // The faces the PostScript names find are the ones typst's font book gives each family.
        for ((family, _), (fonts, faces)) in FAMILIES.iter().zip(fonts.iter().zip(family_faces())) {
            let mut book: Vec<Option<String>> = fonts
                .iter()
                .map(|font| {
                    postscript_name(&ttf_parser::Face::parse(font.data(), font.index()).unwrap())
                })
                .collect();
            let mut found: Vec<Option<String>> = faces.iter().map(postscript_name).collect();
            book.sort();
            found.sort();
            assert!(!book.is_empty(), "{family}");
            assert_eq!(book, found, "{family}");
        }
        let by_char = |c: char| {
            faces.iter().any(|family| {
                !family.is_empty() && family.iter().all(|face| face.glyph_index(c).is_some())
            })
        };
        let codes = (0..0x3000)
            .chain(0x1_D400..0x1_D800)
            .chain(0x2_FFC0..0x3_0040);
        let mut covered = 0;
        for c in codes.filter_map(char::from_u32) {
            assert_eq!(covers(c), by_char(c), "{c:?} (U+{:04X})", c as u32);
            covered += usize::from(covers(c));
        }
        // Latin, Greek, Cyrillic, punctuation and the mathematical alphanumerics at least.
        assert!(covered > 1500, "{covered}");
    }
}
