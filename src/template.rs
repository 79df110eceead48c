//! Template: renders a report's Typst source from a minijinja template and the view model.
//!
//! Templates named `*.typ.j2` are auto-escaped for Typst markup: every value printed with
//! `{{ … }}` appears literally in the PDF, whatever characters it holds (each ASCII punctuation
//! character is backslash-escaped, line breaks become spaces). Values that must enter Typst
//! *code* go through `tstr` (a string literal) or `tnum` (a plain number). Undefined values
//! are errors (`UndefinedBehavior::Strict`), and so is printing a float: money is never one.
//!
//! Filters, each rounding once, here, by [`crate::format`]'s rule (half away from zero):
//! - `kr(decimals=0)`: `20 000 000 kr`; `kr_exact`: every decimal the amount has, `−110 kr`
//! - `mill_kr(decimals=1)`: `20,0 mill. kr`; `mrd_kr(decimals=1)`: `6,0 mrd. kr`
//! - `mill_kr_text(decimals=1)`: for running text, `20 mill. kr` where the amount rounds to
//!   whole millions, `20,5 mill. kr` where it does not
//! - `amount(scale="kr", decimals=0)`: the figure alone, for tables; scale is one of
//!   `kr`, `tusen`, `mill`, `mrd`
//! - `number(decimals=0)`: `255 000`; `exact`: every decimal the number has, `−110`
//! - `percent(decimals=1)`: a ratio as `3,8 %`
//! - `years(last)`: `first | years(last)` gives `2023–2026`, `fra 2022`, `fram mot 2030`
//! - `tstr`: a Typst string literal; `tnum`: a Typst number literal
//! - `trows(hyphenate_over=n)`: a table's rows as Typst code, a line each: every cell a string
//!   literal followed by `, `; a cell with a word of more than `n` characters may hyphenate
//!   (`text(hyphenate: true, "…")`). One call per table: a listing's rows are thousands, and
//!   a filter per cell made its template the largest of budsjett's own stages (issue 29)
//! - `tnums`: a list of numbers as Typst code, each as `tnum` prints it followed by `, `
//! - `widest(n)`: of a printed table (`rows` and `total`, each with `cells`), the longest cell
//!   (in characters; the first of equals) of each of its first `n` figure columns, `""` for a
//!   column no row has
//! - `fill(name=value, …)`: a catalogue text with its `{name}` placeholders filled; every
//!   placeholder must be given and every value used
//! - `say`: a phrase of the view model (a catalogue key and its placeholders' values, see
//!   [`crate::words::Phrase`]) in the report's words: `{{ t.caption | say }}`; text from the
//!   view model passes as it is
//!
//! The report's words catalogue ([`crate::words`]) is the global `w`: `{{ w.table.net }}`.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use minijinja::value::{Kwargs, Value, ValueKind, ViaDeserialize};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use rust_decimal::Decimal;

use crate::format::{self, Scale};
use crate::present::Report;
use crate::words::{Fill, Words};

/// The escaping mode of `*.typ.j2` templates.
const TYPST: AutoEscape = AutoEscape::Custom("typst");

/// A template that could not be rendered, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": {}",
            crate::msg!("template.error", message = self.message)
        )
    }
}

impl std::error::Error for TemplateError {}

/// A template error as a problem `check` lists, located in the template's file and line.
impl From<TemplateError> for crate::error::DataError {
    fn from(e: TemplateError) -> Self {
        let mut problem = crate::error::DataError::new(
            &e.file,
            crate::msg!("template.error", message = e.message),
        );
        problem.line = e.line.map(|l| l as u64);
        problem
    }
}

/// The templates folder, ready to render.
pub struct Templates {
    dir: PathBuf,
    env: Environment<'static>,
}

impl Templates {
    pub fn new(dir: &Path, words: &Words) -> Self {
        let mut env = Environment::new();
        env.add_global("w", Value::from_serialize(words.tree()));
        // The folder's own templates win; the built-in ones serve the rest.
        let folder = dir.to_path_buf();
        env.set_loader(move |name| {
            let found = crate::builtin::Overlay::templates(&folder)
                .read(name)
                .map_err(|e| {
                    invalid(crate::msg!(
                        "template.cannot_read",
                        name,
                        e = crate::messages::io_error(&e)
                    ))
                })?;
            found
                .map(|f| {
                    String::from_utf8(f.bytes.into_owned())
                        .map_err(|_| invalid(crate::msg!("template.not_utf8", name)))
                })
                .transpose()
        });
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ.j2") {
                TYPST
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            if state.auto_escape() != TYPST {
                return minijinja::escape_formatter(out, state, value);
            }
            if value.is_safe()
                && let Some(text) = value.as_str()
            {
                return out.write_str(text).map_err(minijinja::Error::from);
            }
            let text = typst_markup(value)?;
            out.write_str(&text).map_err(minijinja::Error::from)
        });
        add_number_filters(&mut env);
        let years_words = words.clone();
        env.add_filter("years", move |first: Value, last: Value| {
            Ok(format::years(&years_words, year(&first)?, year(&last)?))
        });
        env.add_filter("fill", fill);
        let say_words = words.clone();
        env.add_filter("say", move |value: ViaDeserialize<Fill>| {
            say_words.word(&value)
        });
        add_typst_filters(&mut env);
        Templates {
            dir: dir.to_path_buf(),
            env,
        }
    }

    /// Renders template `name` with the view model.
    pub fn render(&self, name: &str, report: &Report) -> Result<String, TemplateError> {
        let located = |outer: minijinja::Error| {
            // An error in an included template or a macro arrives wrapped; the innermost
            // error knows the file, the line and what went wrong.
            let mut e = &outer;
            while let Some(inner) =
                std::error::Error::source(e).and_then(|s| s.downcast_ref::<minijinja::Error>())
            {
                e = inner;
            }
            let file = self.dir.join(e.name().unwrap_or(name));
            let mut message = match (e.kind(), e.detail()) {
                (kind, Some(detail)) => format!("{kind}: {detail}"),
                (kind, None) => kind.to_string(),
            };
            if e.kind() == ErrorKind::TemplateNotFound && e.name().is_none() {
                let name = format!("{name:?}");
                message = crate::msg!("template.not_found", name, folder = self.dir.display());
            }
            TemplateError {
                file,
                line: e.line(),
                message,
            }
        };
        let template = self.env.get_template(name).map_err(located)?;
        template
            .render(Value::from_serialize(report))
            .map_err(located)
    }
}

/// The filters that print money and numbers: `kr`, `kr_exact`, `mill_kr`, `mill_kr_text`, `mrd_kr`,
/// `amount`, `exact`, `number` and `percent`.
fn add_number_filters(env: &mut Environment<'_>) {
    env.add_filter("kr", |v: Value, decimals: Option<u32>| {
        Ok(format::money(
            decimal(&v)?,
            Scale::Kroner,
            decimals.unwrap_or(0),
        ))
    });
    env.add_filter("kr_exact", |v: Value| {
        let value = decimal(&v)?;
        Ok(format::money(
            value,
            Scale::Kroner,
            value.normalize().scale(),
        ))
    });
    env.add_filter("mill_kr", |v: Value, decimals: Option<u32>| {
        Ok(format::money(
            decimal(&v)?,
            Scale::Millions,
            decimals.unwrap_or(1),
        ))
    });
    env.add_filter("mill_kr_text", |v: Value, decimals: Option<u32>| {
        Ok(format::money_in_text(
            decimal(&v)?,
            Scale::Millions,
            decimals.unwrap_or(1),
        ))
    });
    env.add_filter("mrd_kr", |v: Value, decimals: Option<u32>| {
        Ok(format::money(
            decimal(&v)?,
            Scale::Billions,
            decimals.unwrap_or(1),
        ))
    });
    env.add_filter(
        "amount",
        |v: Value, scale: Option<String>, decimals: Option<u32>| {
            let scale = match scale.as_deref().unwrap_or("kr") {
                "kr" => Scale::Kroner,
                "tusen" => Scale::Thousands,
                "mill" => Scale::Millions,
                "mrd" => Scale::Billions,
                other => {
                    let scale = format!("{other:?}");
                    return Err(invalid(crate::msg!("template.unknown_scale", scale)));
                }
            };
            let value = decimal(&v)? / scale.divisor();
            Ok(format::number(value, decimals.unwrap_or(0)))
        },
    );
    env.add_filter("exact", |v: Value| {
        let value = decimal(&v)?;
        Ok(format::number(value, value.normalize().scale()))
    });
    env.add_filter("number", |v: Value, decimals: Option<u32>| {
        Ok(format::number(decimal(&v)?, decimals.unwrap_or(0)))
    });
    env.add_filter("percent", |v: Value, decimals: Option<u32>| {
        Ok(format::percent(decimal(&v)?, decimals.unwrap_or(1)))
    });
}

/// The filters that pass a value into Typst code as a literal: `tstr` (a string) and
/// `tnum` (a number).
fn add_typst_filters(env: &mut Environment<'_>) {
    env.add_filter("tstr", |v: Value| -> Result<Value, minijinja::Error> {
        let text = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        Ok(Value::from_safe_string(string_literal(&text)))
    });
    env.add_filter("trows", table_rows);
    env.add_filter("tnums", |v: Value| -> Result<Value, minijinja::Error> {
        let mut out = String::new();
        for number in v.try_iter()? {
            let _ = write!(out, "{}, ", decimal(&number)?.normalize());
        }
        Ok(Value::from_safe_string(out))
    });
    env.add_filter("widest", widest_cells);
    env.add_filter("tnum", |v: Value| -> Result<Value, minijinja::Error> {
        Ok(Value::from_safe_string(
            decimal(&v)?.normalize().to_string(),
        ))
    });
}

/// `{{ rows | trows(hyphenate_over=16) }}`: each row of `rows` as a line of Typst code: its
/// cells, each as `tstr` prints it and followed by `, `; a cell with a word (split at spaces)
/// of more than `hyphenate_over` characters is wrapped in `text(hyphenate: true, …)`.
fn table_rows(rows: Value, options: Kwargs) -> Result<Value, minijinja::Error> {
    let hyphenate_over: usize = options.get("hyphenate_over")?;
    options.assert_all_used()?;
    let mut out = String::new();
    for row in rows.try_iter()? {
        for cell in row.try_iter()? {
            let owned;
            let text = match cell.as_str() {
                Some(text) => text,
                None => {
                    owned = cell.to_string();
                    &owned
                }
            };
            // No word is longer than the text's bytes: most cells need no splitting.
            let long_word = text.len() > hyphenate_over
                && text.split(' ').any(|w| w.chars().count() > hyphenate_over);
            if long_word {
                out.push_str("text(hyphenate: true, ");
            }
            push_string_literal(&mut out, text);
            if long_word {
                out.push(')');
            }
            out.push_str(", ");
        }
        out.push('\n');
    }
    Ok(Value::from_safe_string(out))
}

/// `{{ t | widest(n) }}`: the longest cell of each of the table's first `n` figure columns, the
/// rows' and then the total row's, for the template to pass to typst as each column's widest
/// figure (one filter per table, not a loop per column over every row).
fn widest_cells(table: Value, columns: i64) -> Result<Value, minijinja::Error> {
    // More columns than a page holds is a mistake in the template, not a table.
    const MAX: usize = 64;
    let columns = match usize::try_from(columns) {
        Ok(columns) if columns <= MAX => columns,
        _ => {
            let message = crate::msg!("template.widest_columns", max = MAX, value = columns);
            return Err(invalid(message));
        }
    };
    let mut widest: Vec<(usize, Value)> = vec![(0, Value::from("")); columns];
    let total = table.get_attr("total")?;
    let rows = table.get_attr("rows")?;
    let total = (total.is_true()).then_some(total);
    for row in rows.try_iter()?.chain(total) {
        let cells = row.get_attr("cells")?;
        for (column, cell) in cells.try_iter()?.take(columns).enumerate() {
            let Some(length) = cell.as_str().map(|text| text.chars().count()) else {
                let message =
                    crate::msg!("template.widest_not_text", kind = cell.kind(), value = cell);
                return Err(invalid(message));
            };
            if length > widest[column].0 {
                widest[column] = (length, cell);
            }
        }
    }
    Ok(Value::from_iter(widest.into_iter().map(|(_, cell)| cell)))
}

fn invalid(message: String) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, message)
}

/// Reads an exact amount from a template value: a decimal string or an integer, never a float.
fn decimal(value: &Value) -> Result<Decimal, minijinja::Error> {
    match value.kind() {
        ValueKind::String => Decimal::from_str(value.as_str().unwrap_or_default())
            .map_err(|_| invalid(crate::msg!("template.amount_text", value))),
        ValueKind::Number if value.is_integer() => value
            .as_i64()
            .map(Decimal::from)
            .ok_or_else(|| invalid(crate::msg!("template.number_too_large", value))),
        ValueKind::Number => Err(invalid(crate::msg!("template.amount_float", value))),
        kind => Err(invalid(crate::msg!("template.not_an_amount", kind, value))),
    }
}

/// `{{ w.key | fill(name=value) }}`: the catalogue text with each `{name}` replaced by the
/// value as printed (a number as it is, text as it is; escaping happens when it is printed).
fn fill(text: &str, values: minijinja::value::Kwargs) -> Result<String, minijinja::Error> {
    let wanted = crate::placeholders::names(text);
    let mut given: Vec<(String, String)> = Vec::new();
    for name in values.args() {
        let value: Value = values.get(name)?;
        if !wanted.contains(&name) {
            let (name, text, wanted) = (
                format!("{name:?}"),
                format!("{text:?}"),
                format!("{wanted:?}"),
            );
            return Err(invalid(crate::msg!(
                "template.not_a_placeholder",
                name,
                text,
                wanted
            )));
        }
        let printed = match value.kind() {
            ValueKind::Number if !value.is_integer() => {
                let name = format!("{name:?}");
                return Err(invalid(crate::msg!("template.fill_float", name, value)));
            }
            _ => value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string),
        };
        given.push((name.to_string(), printed));
    }
    if let Some(missing) = wanted.iter().find(|w| !given.iter().any(|(n, _)| n == *w)) {
        let (placeholder, text) = (format!("{{{missing}}}"), format!("{text:?}"));
        return Err(invalid(crate::msg!("template.no_value", placeholder, text)));
    }
    values.assert_all_used()?;
    let pairs: Vec<(&str, &str)> = given
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    Ok(crate::placeholders::fill(text, &pairs))
}

fn year(value: &Value) -> Result<Option<i32>, minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(None);
    }
    value
        .as_i64()
        .and_then(|y| i32::try_from(y).ok())
        .map(Some)
        .ok_or_else(|| invalid(crate::msg!("template.not_a_year", value)))
}

/// How the `typst` auto-escape prints a value into markup.
fn typst_markup(value: &Value) -> Result<String, minijinja::Error> {
    if value.is_safe() {
        return Ok(value.as_str().unwrap_or_default().to_string());
    }
    match value.kind() {
        ValueKind::String => Ok(escape_markup(value.as_str().unwrap_or_default())),
        ValueKind::Number if value.is_integer() => Ok(value.to_string()),
        ValueKind::Number => Err(invalid(crate::msg!("template.print_float", value))),
        kind => Err(invalid(crate::msg!(
            "template.cannot_print",
            kind,
            value,
            tag = "{% if %}"
        ))),
    }
}

/// Escapes text so that Typst markup shows it literally.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            // Everything Typst treats as a line break, and tabs, become spaces.
            '\r' | '\n' | '\t' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                out.push(' ')
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Typst string literal holding `text` exactly.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_string_literal(&mut out, text);
    out
}

/// Appends the Typst string literal holding `text` exactly to `out`: the runs of characters
/// that need no escape are copied whole (a listing has tens of thousands of cells).
fn push_string_literal(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut run = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        // What needs an escape: `"`, `\` and the control characters, C0 (one byte), DEL and
        // C1 (U+0080–U+009F: 0xC2 and a byte 0x80–0x9F in UTF-8). Anything else is copied.
        let c1 = byte == 0xc2 && bytes.get(at + 1).is_some_and(|b| (0x80..0xa0).contains(b));
        if !(byte < 0x20 || byte == b'"' || byte == b'\\' || byte == 0x7f || c1) {
            continue;
        }
        out.push_str(&text[run..at]);
        let c = text[at..].chars().next().unwrap_or_default();
        run = at + c.len_utf8();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    out.push_str(&text[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escape_leaves_letters_and_escapes_every_syntax_character() {
        assert_eq!(escape_markup("Tempe/Sorgenfri"), "Tempe\\/Sorgenfri");
        assert_eq!(escape_markup("#read(\"x\")"), "\\#read\\(\\\"x\\\"\\)");
        assert_eq!(escape_markup("a\nb"), "a b");
        assert_eq!(escape_markup("X\u{2028}= Y\u{2029}Z"), "X \\= Y Z");
        assert_eq!(escape_markup("æøå – 20"), "æøå – 20");
    }

    #[test]
    fn string_literal_escapes_quotes_and_backslashes() {
        assert_eq!(string_literal("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(string_literal("x\u{1}"), "\"x\\u{1}\"");
        assert_eq!(
            string_literal("a\u{7f}b\u{85}c\u{a0}d"),
            "\"a\\u{7f}b\\u{85}c\u{a0}d\""
        );
        // Every character of the first 0x800 code points, alone and between others, as a
        // character-by-character escape writes it.
        let by_char = |text: &str| -> String {
            let escaped: String = text
                .chars()
                .map(|c| match c {
                    '"' => "\\\"".to_string(),
                    '\\' => "\\\\".to_string(),
                    '\n' => "\\n".to_string(),
                    '\r' => "\\r".to_string(),
                    '\t' => "\\t".to_string(),
                    c if c.is_control() => format!("\\u{{{:x}}}", u32::from(c)),
                    c => c.to_string(),
                })
                .collect();
            format!("\"{escaped}\"")
        };
        for c in (0..0x800).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("å{c}ø{c}{c}x")] {
                assert_eq!(
                    string_literal(&text),
                    by_char(&text),
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn fill_needs_every_placeholder_and_no_other_value() {
        let mut env = Environment::new();
        env.add_filter("fill", fill);
        let render = |source: &str| env.render_str(source, ());
        assert_eq!(
            render("{{ 'Netto per {group}, {year}' | fill(group='teneste', year=2024) }}").unwrap(),
            "Netto per teneste, 2024"
        );
        let missing = render("{{ 'Netto per {group}, {year}' | fill(group='teneste') }}")
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("no value for the placeholder {year}"),
            "{missing}"
        );
        let unknown = render("{{ 'Netto' | fill(group='teneste') }}")
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("\"group\" is not a placeholder"),
            "{unknown}"
        );
    }

    #[test]
    fn table_rows_are_string_literals_and_only_cells_with_a_long_word_hyphenate() {
        let mut env = Environment::new();
        env.add_filter("trows", table_rows);
        let rows = vec![
            vec!["Skole \"Nord\"", "ARBEIDSTRENINGSSEKSJONEN", "2025"],
            vec!["sytten tegn i ord", "−1 250"],
        ];
        let printed = env
            .render_str(
                "{{ r | trows(hyphenate_over=16) }}|",
                minijinja::context! { r => rows },
            )
            .unwrap();
        assert_eq!(
            printed,
            "\"Skole \\\"Nord\\\"\", text(hyphenate: true, \"ARBEIDSTRENINGSSEKSJONEN\"), \"2025\", \n\
             \"sytten tegn i ord\", \"−1 250\", \n|"
        );
        // A word of exactly the limit does not hyphenate; one character more does.
        let at = |word: &str| {
            let rows = vec![vec![word]];
            env.render_str(
                "{{ r | trows(hyphenate_over=4) }}",
                minijinja::context! { r => rows },
            )
            .unwrap()
        };
        assert_eq!(at("a æøå"), "\"a æøå\", \n");
        assert_eq!(at("æøåæø"), "text(hyphenate: true, \"æøåæø\"), \n");
        let empty: Vec<Vec<String>> = Vec::new();
        let none = env.render_str(
            "{{ r | trows(hyphenate_over=4) }}",
            minijinja::context! { r => empty },
        );
        assert_eq!(none.unwrap(), "");
        assert!(env.render_str("{{ [['a']] | trows(16) }}", ()).is_err());
        assert!(
            env.render_str("{{ [['a']] | trows(hyphenate_over=4, x=1) }}", ())
                .is_err()
        );
    }

    #[test]
    fn widest_is_the_first_longest_cell_of_each_column_rows_then_total() {
        let mut env = Environment::new();
        env.add_filter("widest", widest_cells);
        let row = |cells: &[&str]| minijinja::context! { cells => cells.to_vec() };
        let table = minijinja::context! {
            rows => vec![row(&["1 000", "2,5"]), row(&["−9 000", "12,5"]), row(&["5"])],
            total => row(&["−10 000", "1,0"]),
        };
        let widest = |n: i64, t: &Value| {
            env.render_str(
                "{{ t | widest(n) | join('|') }}",
                minijinja::context! { t, n },
            )
            .unwrap()
        };
        assert_eq!(widest(2, &table), "−10 000|12,5");
        // More columns than cells: an empty one; none asked: none.
        assert_eq!(widest(3, &table), "−10 000|12,5|");
        assert_eq!(widest(0, &table), "");
        let no_total = minijinja::context! { rows => vec![row(&["1 000", "22"]), row(&["2 000", "33"])], total => () };
        assert_eq!(widest(2, &no_total), "1 000|22");
        // A number of columns no page holds, or below 0, and a cell that is not text are
        // refused, never a list as long as asked or a silent 0.
        let refused = |n: i64, t: &Value| {
            env.render_str("{{ t | widest(n) }}", minijinja::context! { t, n })
                .unwrap_err()
                .to_string()
        };
        assert!(refused(100_000_000, &table).contains("100000000"));
        assert!(refused(-1, &table).contains("-1"));
        assert!(refused(i64::MAX, &table).contains(&i64::MAX.to_string()));
        let numbers = minijinja::context! { rows => vec![minijinja::context! { cells => vec![1, 2] }], total => () };
        assert!(refused(2, &numbers).contains("widest"));
        assert_eq!(widest(64, &table).matches('|').count(), 63);
    }

    #[test]
    fn decimal_refuses_floats() {
        assert!(decimal(&Value::from(1.5)).is_err());
        assert_eq!(
            decimal(&Value::from("20000000")).unwrap(),
            Decimal::from(20_000_000)
        );
        assert_eq!(decimal(&Value::from(7)).unwrap(), Decimal::from(7));
    }
}
