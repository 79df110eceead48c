//! The shape of the TOML files a person writes — `report.toml` and the mapping profiles — and
//! how they are read. [`parse`] reads one into the types `config` and `load::profile` declare
//! their keys with, and every error names the key's path (`budget.compare[0].yaer`) and line;
//! the building blocks here give each kind of value its rule, so that a new key declared with
//! them cannot miss it:
//!
//! - [`Printed`] (and [`printed`] for a public `String` field): a text that reaches a page,
//!   checked as a data cell is ([`crate::text::check_printable`]) and never empty;
//! - [`CalendarYear`]: a year, 1900 to 2200 (the range of [`crate::model::Year`]);
//! - [`exact_number`]: a number read as the decimal it is written as, never a float's value;
//! - a value that may take several forms (a version or a table) is read by a visitor whose
//!   `expecting` names the forms, instead of serde's "did not match any variant".
//!
//! Unknown keys are refused by `#[serde(deny_unknown_fields)]` on every table; the JSON
//! Schema in `docs/` is generated from the same declarations (`config::json_schema`,
//! `load::profile::json_schema`), and `tests/schema.rs` keeps it so and walks it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

/// A TOML file that does not fit its schema: the line (when known) and what is wrong, the
/// message starting with the key's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub line: Option<u64>,
    pub message: String,
}

/// Reads a TOML text into `T`. An error names the key's path (`budget.kostra_year: …`), and a
/// misspelt key or value gets a "did you mean" hint ([`crate::error::with_hint`]).
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Located> {
    let line_of = |error: &toml::de::Error| {
        error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() as u64 + 1)
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| Located {
        line: line_of(&e),
        message: match e.message() {
            "duplicate key" => crate::msg!("schema.forms.twice"), // not a message: toml's, read
            other => other.to_string(),
        },
    })?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // serde says how it held a number too large for the field (`` `1e20` as i128 ``):
        // nothing a person wrote or can act on.
        let message = crate::error::with_hint(inner.message()).replace(" as i128", ""); // not a message: serde's words, read
        let message = forms(&path, &message, text)
            .or_else(|| serde_words(&message))
            .or_else(|| serde_value_words(&message))
            .unwrap_or(message);
        Located {
            line: line_of(&inner),
            message: if path.is_empty() || path == "." {
                message
            } else {
                format!("{path}: {message}")
            },
        }
    })
}

/// A table written in the other form: `[[budget]]` where one table `[budget]` is meant
/// (serde reads its first table as the fields of `budget` in order, and complains of the
/// first field: the path is `budget[0]`, nothing under it), or `[filter]` where a list is
/// meant. None for any other message.
fn forms(path: &str, message: &str, text: &str) -> Option<String> {
    let header = |name: &str| text.lines().any(|l| l.trim() == name);
    // not a message: serde's words, read
    let wrong_type = message.starts_with("invalid type");
    if let Some(key) = path.strip_suffix("[0]")
        && wrong_type
        && header(&format!("[[{key}]]"))
    {
        return Some(crate::msg!("schema.forms.list_of_tables", key));
    }
    // not a message: serde's words, read
    if message.ends_with("expected a sequence") && header(&format!("[{path}]")) {
        return Some(crate::msg!("schema.forms.table_for_list", path));
    }
    None
}

/// How serde's messages about keys begin (read, to be worded by the catalogue).
const SERDE_HEADS: [&str; 4] = [
    "unknown field `",   // not a message: serde's words, read
    "unknown variant `", // not a message: serde's words, read
    "missing field `",   // not a message: serde's words, read
    "duplicate field `", // not a message: serde's words, read
];

/// serde's own words for a key it does not know, misses or finds twice (``unknown field
/// `yaer`, expected one of `year`, `version` ``), in the user's language; whatever follows
/// them (a hint) is kept. None for any other message.
fn serde_words(message: &str) -> Option<String> {
    let (head, rest) = SERDE_HEADS
        .iter()
        .enumerate()
        .find_map(|(i, head)| Some((i, message.strip_prefix(head)?)))?;
    let (name, rest) = rest.split_once('`')?;
    let text = match head {
        2 => crate::msg!("schema.missing_field", name),
        3 => crate::msg!("schema.duplicate_field", name),
        _ => return unknown_words(head == 0, name, rest),
    };
    Some(text + rest)
}

/// serde's words for an unknown field (or variant) `name`, `rest` what follows its name:
/// the names expected (`` `a` ``, `` `a` or `b` ``, ``one of `a`, `b`, `c` ``) or none.
fn unknown_words(field: bool, name: &str, rest: &str) -> Option<String> {
    // not a message: serde's words, read to be worded by the catalogue
    let none = [", there are no fields", ", there are no variants"][usize::from(!field)];
    if let Some(rest) = rest.strip_prefix(none) {
        let text = if field {
            crate::msg!("schema.unknown_field_none", name)
        } else {
            crate::msg!("schema.unknown_variant_none", name)
        };
        return Some(text + rest);
    }
    let rest = rest.strip_prefix(", expected ")?;
    // not a message: serde's words, read
    let (one_of, mut rest) = match rest.strip_prefix("one of ") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let mut names = Vec::new();
    loop {
        let (expected, after) = rest.strip_prefix('`')?.split_once('`')?;
        names.push(format!("`{expected}`"));
        rest = after;
        let separator = if one_of { ", `" } else { " or `" };
        match rest.strip_prefix(separator) {
            Some(_) if one_of || names.len() == 1 => rest = &rest[separator.len() - 1..],
            _ => break,
        }
    }
    let expected = names.join(", ");
    let (first, second) = (&names[0], names.get(1).map_or("", String::as_str));
    let text = match (field, one_of, names.len()) {
        (true, true, _) => crate::msg!("schema.unknown_field_one_of", name, expected),
        (true, false, 2) => {
            crate::msg!("schema.unknown_field_either", name, first, second)
        }
        (true, false, _) => crate::msg!("schema.unknown_field_expected", name, expected),
        (false, true, _) => crate::msg!("schema.unknown_variant_one_of", name, expected),
        (false, false, 2) => {
            crate::msg!("schema.unknown_variant_either", name, first, second)
        }
        (false, false, _) => {
            crate::msg!("schema.unknown_variant_expected", name, expected)
        }
    };
    Some(text + rest)
}

/// serde's words for a value of the wrong type or out of its range (``invalid type: integer
/// `5`, expected a string``) in the user's language: the frame, and the kinds of value serde
/// names; a kind it has no words for (a visitor's own, already worded) is kept. None for any
/// other message.
fn serde_value_words(message: &str) -> Option<String> {
    // not a message: serde's words, read
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let (length, expected) = rest.split_once(", expected ")?;
        let expected = expected_words(expected);
        return Some(crate::msg!("schema.invalid_length", length, expected));
    }
    // not a message: serde's words, read
    let (invalid_type, rest) = match message.strip_prefix("invalid type: ") {
        Some(rest) => (true, rest),
        // not a message: serde's words, read
        None => (false, message.strip_prefix("invalid value: ")?),
    };
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let (found, expected) = (found_words(found), expected_words(expected));
    Some(if invalid_type {
        crate::msg!("schema.invalid_type", found, expected)
    } else {
        crate::msg!("schema.invalid_value", found, expected)
    })
}

/// serde's words for the value it found (`integer `5``, `string "x"`, `sequence`).
fn found_words(found: &str) -> String {
    let kinds = [
        ("boolean ", "schema.found_boolean"),
        ("integer ", "schema.found_integer"),
        ("floating point ", "schema.found_decimal"),
        ("string ", "schema.found_text"),
    ];
    for (prefix, key) in kinds {
        if let Some(value) = found.strip_prefix(prefix) {
            return crate::messages::text(key, &[("value", &value)]);
        }
    }
    match found {
        "sequence" => crate::msg!("schema.found_list"),
        "map" => crate::msg!("schema.found_table"),
        other => other.to_string(),
    }
}

/// serde's words for the kind of value it expected (`a string`, `i64`, `an array of length
/// 2`); a visitor's own words are kept.
fn expected_words(expected: &str) -> String {
    // not a message: serde's words, read
    if let Some(n) = expected.strip_prefix("an array of length ") {
        return crate::msg!("schema.expected_list_of", n);
    }
    match expected {
        "a string" => crate::msg!("schema.expected_text"), // not a message: serde's, read
        "a boolean" => crate::msg!("schema.expected_boolean"), // not a message: serde's, read
        "a sequence" => crate::msg!("schema.expected_list"), // not a message: serde's, read
        "a map" => crate::msg!("schema.expected_table"),   // not a message: serde's, read
        "a TOML datetime" => crate::msg!("schema.expected_date"), // not a message: toml's, read
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "isize" | "usize" => {
            crate::msg!("schema.expected_integer", kind = expected)
        }
        other => other.to_string(),
    }
}

/// `#[serde(deserialize_with = "pair")]` for a `[T; 2]` field (`plan = [2024, 2027]`): exactly
/// two values. serde's own array reading takes the first two and ignores the rest, so that
/// `[2024, 2025, 2026]` would be read as `[2024, 2025]` without a word.
pub(crate) fn pair<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<[T; 2], D::Error> {
    let values = Vec::<T>::deserialize(deserializer)?;
    let n = values.len();
    <[T; 2]>::try_from(values).map_err(|_| de::Error::custom(crate::msg!("schema.forms.pair", n)))
}

/// [`pair`] for an optional field (with `#[serde(default)]`).
pub(crate) fn pair_opt<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<[T; 2]>, D::Error> {
    pair(deserializer).map(Some)
}

/// A text that reaches a page: not empty, and only what a data cell may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Printed(pub String);

impl Printed {
    /// The text, or what is wrong with it.
    pub(crate) fn check(text: String) -> Result<Printed, String> {
        if text.trim().is_empty() {
            let text = format!("{text:?}");
            return Err(crate::msg!("schema.empty_text", text));
        }
        crate::text::check_printable(&text).map_err(|bad| bad.message())?;
        Ok(Printed(text))
    }
}

impl<'de> Deserialize<'de> for Printed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Printed::check(text).map_err(de::Error::custom)
    }
}

impl JsonSchema for Printed {
    fn schema_name() -> Cow<'static, str> {
        "Printed".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "minLength": 1,
            // not a message: JSON Schema documentation, shipped in English in docs/
            "description": "A text printed in the report: letters, digits and punctuation \
                            the report's fonts have, no control characters."
        })
    }
}

/// `#[serde(deserialize_with = "printed")]` for a `String` field that reaches a page.
pub(crate) fn printed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Printed::deserialize(deserializer).map(|p| p.0)
}

/// [`printed`] for an optional field (with `#[serde(default)]`).
pub(crate) fn printed_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    printed(deserializer).map(Some)
}

/// A year in a configuration: 1900 to 2200, as every year the program reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CalendarYear(pub i32);

impl<'de> Deserialize<'de> for CalendarYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Years;
        impl Visitor<'_> for Years {
            type Value = CalendarYear;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                let (first, last) = (crate::model::Year::FIRST, crate::model::Year::LAST);
                f.write_str(&crate::msg!("schema.year_expected", first, last))
            }
            fn visit_i64<E: de::Error>(self, year: i64) -> Result<CalendarYear, E> {
                i32::try_from(year)
                    .ok()
                    .filter(|y| crate::model::Year::RANGE.contains(y))
                    .map(CalendarYear)
                    .ok_or_else(|| {
                        let (first, last) = (crate::model::Year::FIRST, crate::model::Year::LAST);
                        E::custom(crate::msg!("schema.year_out_of_range", year, first, last))
                    })
            }
        }
        deserializer.deserialize_i64(Years)
    }
}

impl JsonSchema for CalendarYear {
    fn schema_name() -> Cow<'static, str> {
        "CalendarYear".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "minimum": crate::model::Year::FIRST,
            "maximum": crate::model::Year::LAST
        })
    }
}

/// `#[serde(deserialize_with = "year")]` for an `i32` field that is a year ([`CalendarYear`]).
pub(crate) fn year<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    CalendarYear::deserialize(deserializer).map(|y| y.0)
}

/// A number in a configuration read exactly as it is written: an integer as it is, a TOML
/// decimal (a binary float) once as the shortest decimal that reads back as that float
/// (`10.95`, never `10.949999…`). `read` takes the text as written and its decimal (`None`
/// when it is none, such as `nan`) and makes the value, or the message that refuses it; any
/// other kind of value is refused saying `expected`.
pub(crate) fn exact_number<'de, D, T, F>(
    deserializer: D,
    expected: String,
    read: F,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str, Option<rust_decimal::Decimal>) -> Result<T, String>,
{
    struct Exact<F> {
        expected: String,
        read: F,
    }
    impl<F> Exact<F> {
        fn finish<T, E: de::Error>(self, written: String) -> Result<T, E>
        where
            F: FnOnce(&str, Option<rust_decimal::Decimal>) -> Result<T, String>,
        {
            let value = written.parse::<rust_decimal::Decimal>().ok();
            (self.read)(&written, value).map_err(E::custom)
        }
    }
    impl<T, F> Visitor<'_> for Exact<F>
    where
        F: FnOnce(&str, Option<rust_decimal::Decimal>) -> Result<T, String>,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(&self.expected)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            self.finish(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            self.finish(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            // The shortest text that reads back as this float is what the user wrote.
            self.finish(v.to_string())
        }
    }
    deserializer.deserialize_any(Exact { expected, read })
}

/// The schema of a TOML date (`2024-01-01`): editors show it as a date.
pub(crate) fn date_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "format": "date" })
}

/// A root schema as the pretty JSON shipped in `docs/`, with a title and the draft it follows.
pub(crate) fn to_json(mut schema: Schema, title: &str) -> String {
    schema.insert("title".into(), title.into());
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::{serde_value_words, serde_words};

    #[test]
    fn serde_words_reword_every_form_of_serdes_key_messages_and_keep_what_follows() {
        // In English (a unit test chooses no language) the words come back as serde wrote
        // them, hint and all; other messages are not serde's about keys.
        for message in [
            "unknown field `yaer`, expected one of `year`, `version`, `label`",
            "unknown field `plna`, expected `plan` or `horizon` (hint: did you mean `plan`?)",
            "unknown field `x`, expected `year`",
            "unknown field `x`, there are no fields",
            "unknown variant `halfeven`, expected one of `half_up`, `half_even`",
            "unknown variant `x`, expected `a` or `b`",
            "unknown variant `x`, there are no variants",
            "missing field `plan`",
            "duplicate field `plan`",
        ] {
            assert_eq!(serde_words(message).as_deref(), Some(message));
        }
        for other in [
            "invalid type: string \"x\", expected a year",
            "unknown field x",
            "unknown field `x`, expected something",
        ] {
            assert_eq!(serde_words(other), None, "{other}");
        }
    }

    #[test]
    fn serde_value_words_reword_the_frame_and_the_kinds_and_keep_a_visitors_words() {
        for message in [
            "invalid type: integer `2023`, expected an array of length 2",
            "invalid type: integer `5`, expected a string",
            "invalid type: string \"2022\", expected a TOML datetime",
            "invalid type: string \"x, expected y\", expected a year from 1900 to 2200",
            "invalid type: boolean `true`, expected i64",
            "invalid type: floating point `1.5`, expected u32",
            "invalid type: sequence, expected a boolean",
            "invalid type: map, expected a sequence",
            "invalid value: integer `-1`, expected a map",
            "invalid type: unit value, expected struct RawBudget",
            "invalid length 1, expected an array of length 2",
        ] {
            assert_eq!(serde_value_words(message).as_deref(), Some(message));
        }
        assert_eq!(serde_value_words("duplicate key"), None);
    }
}
