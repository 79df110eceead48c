//! The shape of the TOML files a person writes — `report.toml` and the mapping profiles — and
//! how they are read. [`parse`] reads one into the types `config` and `load::profile` declare
//! their keys with, and every error names the key's path (`budget.compare[0].yaer`) and line;
//! the building blocks here give each kind of value its rule, so that a new key declared with
//! them cannot miss it:
//!
//! - [`Printed`] (and [`printed`] for a public `String` field): a text that reaches a page,
//!   checked as a data cell is ([`crate::text::check_printable`]) and never empty;
//! - [`CalendarYear`]: a year, 1900 to 2200 (the range of [`crate::model::Year`]);
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
pub struct Located {
    pub line: Option<u64>,
    pub message: String,
}

/// Reads a TOML text into `T`. An error names the key's path (`budget.kostra_year: …`), and a
/// misspelt key or value gets a "did you mean" hint ([`crate::error::with_hint`]).
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Located> {
    let line_of = |error: &toml::de::Error| {
        error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() as u64 + 1)
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| Located {
        line: line_of(&e),
        message: plain_words("", e.message(), text),
    })?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = plain_words(&path, &crate::error::with_hint(inner.message()), text);
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

/// serde's and the TOML parser's words for what was found and expected, in the words of the
/// TOML file a person wrote: "a table", "a list", "a whole number", never `map`, `sequence`
/// or `i64`. `[[budget]]` where one table `[budget]` is meant (serde reads its first table as
/// the fields in order, and complains of the wrong field) is said as such.
fn plain_words(path: &str, message: &str, text: &str) -> String {
    let header = |name: &str| text.lines().any(|l| l.trim() == name);
    // serde reads `[[budget]]` as the fields of `budget` in order, and its first table is
    // the wrong type for the first field: the path is `budget[0]`, nothing under it.
    if let Some(key) = path.strip_suffix("[0]")
        && message.contains("invalid type")
        && header(&format!("[[{key}]]"))
    {
        return crate::msg!("schema.forms.list_of_tables", key);
    }
    if message.contains("expected a sequence") && header(&format!("[{path}]")) {
        return crate::msg!("schema.forms.table_for_list", path);
    }
    // serde's and toml's words (always English) and the catalogue's key for each.
    const WORDS: [(&str, &str); 16] = [
        ("invalid type: map", "schema.forms.found_table"),
        ("invalid type: sequence", "schema.forms.found_list"),
        ("invalid type: string", "schema.forms.found_text"),
        ("invalid type: integer", "schema.forms.found_number"),
        ("invalid type: floating point", "schema.forms.found_number"),
        ("invalid type: boolean", "schema.forms.found"),
        ("expected a sequence", "schema.forms.expected_list"),
        ("expected a map", "schema.forms.expected_table"),
        ("expected a string", "schema.forms.expected_text"),
        ("expected i64", "schema.forms.expected_whole"),
        ("expected u64", "schema.forms.expected_whole_positive"),
        ("expected u32", "schema.forms.expected_whole_positive"),
        ("expected usize", "schema.forms.expected_whole_positive"),
        ("expected a TOML datetime", "schema.forms.expected_date"),
        ("duplicate key", "schema.forms.twice"),
        (" as i128", ""),
    ];
    WORDS.iter().fold(message.to_string(), |m, (from, key)| {
        if !m.contains(from) {
            return m;
        }
        let to = if key.is_empty() {
            String::new()
        } else {
            crate::messages::text(key, &[])
        };
        m.replace(from, &to)
    })
}

/// A text that reaches a page: not empty, and only what a data cell may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed(pub String);

impl Printed {
    /// The text, or what is wrong with it.
    pub fn check(text: String) -> Result<Printed, String> {
        if text.trim().is_empty() {
            return Err(format!(
                "found the empty text {text:?}, expected words to print (or no key)"
            ));
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
            "description": "A text printed in the report: letters, digits and punctuation \
                            the report's fonts have, no control characters."
        })
    }
}

/// `#[serde(deserialize_with = "printed")]` for a `String` field that reaches a page.
pub fn printed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Printed::deserialize(deserializer).map(|p| p.0)
}

/// [`printed`] for an optional field (with `#[serde(default)]`).
pub fn printed_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    printed(deserializer).map(Some)
}

/// A year in a configuration: 1900 to 2200, as every year the program reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarYear(pub i32);

impl<'de> Deserialize<'de> for CalendarYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Years;
        impl Visitor<'_> for Years {
            type Value = CalendarYear;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                let (first, last) = (crate::model::Year::FIRST, crate::model::Year::LAST);
                write!(f, "a year from {first} to {last}, such as 2024")
            }
            fn visit_i64<E: de::Error>(self, year: i64) -> Result<CalendarYear, E> {
                i32::try_from(year)
                    .ok()
                    .filter(|y| crate::model::Year::RANGE.contains(y))
                    .map(CalendarYear)
                    .ok_or_else(|| {
                        E::custom(format!("found {year}, expected {}", Expecting(&self)))
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
pub fn year<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    CalendarYear::deserialize(deserializer).map(|y| y.0)
}

/// `#[serde(deserialize_with = "pair")]` for a `[T; 2]` field (`plan = [2024, 2027]`): exactly
/// two values. serde's own array reading takes the first two and ignores the rest, so that
/// `[2024, 2025, 2026]` would be read as `[2024, 2025]` without a word.
pub fn pair<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<[T; 2], D::Error> {
    let values = Vec::<T>::deserialize(deserializer)?;
    let n = values.len();
    <[T; 2]>::try_from(values).map_err(|_| de::Error::custom(crate::msg!("schema.forms.pair", n)))
}

/// [`pair`] for an optional field (with `#[serde(default)]`).
pub fn pair_opt<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<[T; 2]>, D::Error> {
    pair(deserializer).map(Some)
}

/// A visitor's `expecting` as text, for messages of our own.
pub struct Expecting<'a, V>(pub &'a V);

impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
}

/// The schema of a TOML date (`2024-01-01`): editors show it as a date.
pub fn date_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "format": "date" })
}

/// A root schema as the pretty JSON shipped in `docs/`, with a title and the draft it follows.
pub fn to_json(mut schema: Schema, title: &str) -> String {
    schema.insert("title".into(), title.into());
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}
