//! Words: the catalogue of every word the reports print, one file per language in
//! `templates/words/<language>.toml` (`report.language`, default `nb`; a templates folder's
//! own catalogue wins over the built-in one, see [`crate::builtin`]). This module owns
//! loading a catalogue, checking it against the reference catalogue (`nb.toml`: every key and
//! every `{placeholder}` of it must be there) and filling placeholders. It names keys, never
//! words: the Rust code asks for `"table.net"`, the catalogue says "Netto" or "Netto".
//!
//! A catalogue is TOML: sections and keys, every value a string. `[table] net = "Netto"` is
//! the key `table.net`. A value may hold placeholders such as `{year}`, filled by the code or
//! by a template (`{{ w.table.net_per | fill(group="tjeneste") }}`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::ConfigError;
use crate::placeholders::names;

/// The language whose catalogue every other one is checked against.
pub(crate) const REFERENCE: &str = "nb";

/// A loaded, checked catalogue.
#[derive(Debug, Clone)]
pub struct Words {
    /// The language code, e.g. `nb` or `nn`.
    pub language: String,
    /// The catalogue file it was read from.
    pub file: PathBuf,
    entries: Arc<BTreeMap<String, String>>,
    tree: Arc<toml::Table>,
}

impl Default for Words {
    /// The built-in bokmål catalogue (every `Config` starts with it).
    fn default() -> Self {
        let name = format!("words/{REFERENCE}.toml");
        let bytes = crate::builtin::TEMPLATES
            .get(&name)
            .expect("templates/words/nb.toml is built in"); // not a message: a bug
        let (tree, entries) =
            parse_built_in(bytes).expect("templates/words/nb.toml is a catalogue"); // not a message: a bug
        Words {
            language: REFERENCE.into(),
            file: PathBuf::from(format!("templates/{name}")),
            entries,
            tree,
        }
    }
}

impl Words {
    /// Reads `templates/words/<language>.toml` (the folder's own, else the built-in one) and
    /// checks it against `nb.toml` (found the same way).
    pub fn load(templates: &Path, language: &str) -> Result<Words, ConfigError> {
        let overlay = crate::builtin::Overlay::templates(templates);
        let folder = templates.join("words");
        if language.is_empty()
            || !language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ConfigError {
                path: folder.clone(),
                message: crate::msg!(
                    "words.bad_language",
                    language = format!("{language:?}"),
                    available = available(&overlay)
                ),
            });
        }
        let name = format!("words/{language}.toml");
        let file = overlay.path(&name);
        if !overlay.has(&name) {
            return Err(ConfigError {
                path: file,
                message: crate::msg!(
                    "words.no_catalogue",
                    quoted = format!("{language:?}"),
                    available = available(&overlay),
                    templates = templates.display(),
                    reference = REFERENCE,
                    language
                ),
            });
        }
        let (tree, entries) = read(&overlay, &name)?;
        if language != REFERENCE {
            // A key the program prints that the reference lacks is the reference's fault.
            let reference_name = format!("words/{REFERENCE}.toml");
            let (_, reference) = read(&overlay, &reference_name)?;
            has_every_key(&overlay.path(&reference_name), &reference)?;
            check_against(&file, language, &entries, &reference)?;
        }
        has_every_key(&file, &entries)?;
        Ok(Words {
            language: language.into(),
            file,
            entries,
            tree,
        })
    }

    /// The words of `key`. Every key the code asks for is in [`KEYS`], which every loaded
    /// catalogue has; an unknown key prints as itself in brackets, so a mistake shows.
    pub fn get(&self, key: &str) -> &str {
        debug_assert!(
            KEYS.contains(&key),
            "words key {key:?} is not in words::KEYS" // not a message: a bug
        );
        self.entries.get(key).map(String::as_str).unwrap_or("[?]")
    }

    /// The words of `key` with each `{name}` replaced by its value.
    pub(crate) fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        crate::placeholders::fill(self.get(key), values)
    }

    /// The catalogue as nested tables, for the templates (`w.section.key`).
    pub fn tree(&self) -> &toml::Table {
        &self.tree
    }

    /// The words of a phrase: its key's words with each placeholder filled by its value, a
    /// value that is itself a phrase worded first. The templates word the view model's
    /// phrases with this (`{{ t.caption | say }}`); so does `explain`, which quotes them.
    pub fn say(&self, phrase: &Phrase) -> String {
        let worded: Vec<(&str, String)> = phrase
            .values
            .iter()
            .map(|(name, value)| (name.as_str(), self.word(value)))
            .collect();
        let pairs: Vec<(&str, &str)> = worded.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.fill(&phrase.key, &pairs)
    }

    /// The words of a placeholder's value: text as it is, a phrase worded.
    pub fn word(&self, value: &Fill) -> String {
        match value {
            Fill::Text(text) => text.clone(),
            Fill::Phrase(phrase) => self.say(phrase),
        }
    }
}

/// What to say, unworded: the catalogue key and the values of its placeholders. The
/// presenter hands phrases to the templates, which word them in the report's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Phrase {
    /// A key of [`KEYS`], such as `budsjett.net_caption`.
    pub key: String,
    /// Each placeholder's name and value, in the order given.
    pub values: Vec<(String, Fill)>,
}

/// The value of a placeholder: text as it is printed (a figure, a name from the data), or
/// a phrase of its own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Fill {
    Text(String),
    Phrase(Box<Phrase>),
}

impl Phrase {
    /// The phrase of `key`, placeholders still to be given with [`Phrase::with`].
    pub fn new(key: &str) -> Phrase {
        Phrase {
            key: key.to_string(),
            values: Vec::new(),
        }
    }

    /// This phrase with `{name}` given as `value` (text, or a phrase).
    pub fn with(mut self, name: &str, value: impl Into<Fill>) -> Phrase {
        self.values.push((name.to_string(), value.into()));
        self
    }
}

impl From<String> for Fill {
    fn from(text: String) -> Fill {
        Fill::Text(text)
    }
}

impl From<&str> for Fill {
    fn from(text: &str) -> Fill {
        Fill::Text(text.to_string())
    }
}

impl From<&String> for Fill {
    fn from(text: &String) -> Fill {
        Fill::Text(text.clone())
    }
}

impl From<Phrase> for Fill {
    fn from(phrase: Phrase) -> Fill {
        Fill::Phrase(Box::new(phrase))
    }
}

/// A catalogue must have every key the program asks for ([`KEYS`]).
fn has_every_key(file: &Path, entries: &BTreeMap<String, String>) -> Result<(), ConfigError> {
    let missing: Vec<String> = KEYS
        .iter()
        .filter(|k| !entries.contains_key(**k))
        .map(|k| format!("`{k}`"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ConfigError {
        path: file.to_path_buf(),
        message: crate::msg!("words.missing_keys", keys = missing.join(", ")),
    })
}

/// `[meta]`'s `lang` (ISO 639: two or three lowercase letters) and `region` (ISO 3166: two
/// capital letters), which typst and the PDF's metadata take as they are.
fn check_meta(entries: &BTreeMap<String, String>) -> Result<(), String> {
    // What is expected is worded only for a refusal: a catalogue that passes reads no messages.
    let bad = |key: &str, valid: &dyn Fn(&str) -> bool, expected: &dyn Fn() -> String| match entries
        .get(key)
    {
        Some(value) if !valid(value) => {
            let (value, expected) = (format!("{value:?}"), expected());
            Err(crate::msg!("words.bad_meta", key, value, expected))
        }
        _ => Ok(()),
    };
    bad(
        "meta.lang",
        &|v| (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase()),
        &|| crate::msg!("words.meta_lang"),
    )?;
    bad(
        "meta.region",
        &|v| v.len() == 2 && v.bytes().all(|b| b.is_ascii_uppercase()),
        &|| crate::msg!("words.meta_region"),
    )
}

/// The languages with a catalogue, local or built in.
fn available(overlay: &crate::builtin::Overlay) -> String {
    let found: Vec<String> = overlay
        .names_in("words")
        .into_iter()
        .filter_map(|name| name.strip_suffix(".toml").map(str::to_string))
        .collect();
    crate::msg!("words.catalogues_for", languages = found.join(", "))
}

/// A catalogue as read: its tree and its entries, flattened.
type Read = (Arc<toml::Table>, Arc<BTreeMap<String, String>>);

/// Reads the catalogue `name` (`words/<language>.toml`) through the templates overlay.
fn read(overlay: &crate::builtin::Overlay, name: &str) -> Result<Read, ConfigError> {
    let error = |message: String| ConfigError {
        path: overlay.path(name),
        message,
    };
    let found = overlay
        .read(name)
        .map_err(|e| {
            error(crate::msg!(
                "words.cannot_read",
                e = crate::messages::io_error(&e)
            ))
        })?
        .ok_or_else(|| error(crate::msg!("words.not_found")))?;
    match found.bytes {
        Cow::Borrowed(bytes) => parse_built_in(bytes),
        Cow::Owned(bytes) => parse(&bytes),
    }
    .map_err(error)
}

/// [`parse`] of a built-in catalogue, once per process: `Config` starts with the bokmål one
/// and the report's catalogue (or bokmål as the reference of another) is read again after.
fn parse_built_in(bytes: &'static [u8]) -> Result<Read, String> {
    // Known by where its bytes lie and how many: two built-in files with equal bytes may share
    // them, and then one parse.
    static PARSED: Mutex<Vec<((usize, usize), Read)>> = Mutex::new(Vec::new());
    let at = (bytes.as_ptr() as usize, bytes.len());
    let mut parsed = PARSED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, read)) = parsed.iter().find(|(a, _)| *a == at) {
        return Ok(read.clone());
    }
    let read = parse(bytes)?;
    parsed.push((at, read.clone()));
    Ok(read)
}

/// A catalogue's bytes as its tree and entries, or what is wrong with them (in words).
fn parse(bytes: &[u8]) -> Result<Read, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| crate::msg!("words.not_utf8"))?;
    let tree: toml::Table = toml::from_str(text).map_err(|e| crate::msg!("words.not_toml", e))?;
    let mut entries = BTreeMap::new();
    flatten("", &tree, &mut entries)?;
    check_meta(&entries)?;
    Ok((Arc::new(tree), Arc::new(entries)))
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                // Words reach the page as a data cell does, and pass the same check.
                crate::text::check_printable(text).map_err(|bad| {
                    crate::msg!("words.bad_text", key = full, why = bad.message())
                })?;
                out.insert(full, text.clone());
            }
            toml::Value::Table(inner) => flatten(&full, inner, out)?,
            other => {
                let kind = other.type_str();
                return Err(crate::msg!(
                    "words.not_text",
                    key = full,
                    kind,
                    value = other
                ));
            }
        }
    }
    Ok(())
}

/// A catalogue must have every key of the reference, with the same placeholders.
fn check_against(
    file: &Path,
    language: &str,
    entries: &BTreeMap<String, String>,
    reference: &BTreeMap<String, String>,
) -> Result<(), ConfigError> {
    let mut problems = Vec::new();
    for (key, words) in reference {
        match entries.get(key) {
            None => problems.push(crate::msg!(
                "words.key_missing",
                key,
                reference = REFERENCE,
                words = format!("{words:?}"),
                language
            )),
            Some(own) if names(own) != names(words) => problems.push(crate::msg!(
                "words.other_placeholders",
                key,
                found = format!("{:?}", names(own)),
                expected = format!("{:?}", names(words)),
                reference = REFERENCE
            )),
            Some(_) => {}
        }
    }
    for key in entries.keys().filter(|k| !reference.contains_key(*k)) {
        problems.push(crate::msg!("words.key_unknown", key, reference = REFERENCE));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ConfigError {
            path: file.to_path_buf(),
            message: crate::msg!(
                "words.does_not_match",
                language,
                reference = REFERENCE,
                problems = problems.join("; ")
            ),
        })
    }
}

/// Every key the Rust code names: the words it prints itself (messages of `explain`, row
/// labels) and the keys of the [`Phrase`]s it hands to the templates. Every loaded catalogue
/// must have them all. The templates name more keys (`w.budsjett.…`); those are checked
/// against `nb.toml` and, in a template, by the template engine's strict undefined values.
pub(crate) const KEYS: &[&str] = &[
    "bridge.alt",
    "bridge.caption",
    "bridge.change_group",
    "bridge.proposal",
    "budsjett.caption_drift",
    "budsjett.caption_investering",
    "budsjett.change_caption",
    "budsjett.detail_caption",
    "budsjett.net_caption",
    "budsjett.overview_caption",
    "budsjett.part_caption",
    "budsjett.per_inhabitant_caption",
    "budsjett.year_and_version",
    "budsjett.year_caption",
    "chapter.chart_alt",
    "chapter.chart_alt_empty",
    "chapter.timeline_alt",
    "chapter.timeline_alt_milestone",
    "chapter.timeline_alt_without",
    "compare.alt",
    "compare.alt_change",
    "compare.alt_deviation",
    "compare.bars_rest",
    "compare.caption",
    "compare.comparison",
    "compare.detail_caption",
    "compare.deviation",
    "compare.largest_down",
    "compare.largest_negative",
    "compare.largest_positive",
    "compare.largest_up",
    "compare.renamed",
    "compare.use_percent",
    "count.0",
    "count.1",
    "count.2",
    "count.3",
    "count.4",
    "count.5",
    "count.6",
    "count.7",
    "count.8",
    "count.9",
    "count.10",
    "count.11",
    "count.12",
    "date.day",
    "date.month",
    "debt.borrowing",
    "debt.caption",
    "debt.closing",
    "debt.column",
    "debt.kind_andre",
    "debt.kind_investering",
    "debt.kind_videreutlan",
    "debt.obligation_annen",
    "debt.obligation_garanti",
    "debt.obligation_leie",
    "debt.obligation_note",
    "debt.obligations",
    "debt.opening",
    "debt.repayment",
    "debt.total",
    "dimension.area",
    "dimension.art",
    "dimension.change_group",
    "dimension.department",
    "dimension.programme",
    "dimension.project",
    "dimension.responsibility",
    "dimension.service",
    "explain.compared_years",
    "explain.figure",
    "explain.footing_largest_remainder",
    "explain.footing_moved",
    "explain.footing_note",
    "explain.formula_row",
    "explain.formula_sum",
    "explain.line",
    "explain.mapping",
    "explain.more_lines",
    "explain.not_printed",
    "explain.printed",
    "explain.printed_no_row",
    "explain.rounded",
    "explain.row",
    "explain.row_sum",
    "explain.sum",
    "explain.sum_one",
    "front_chart.alt",
    "front_chart.caption",
    "history.missing_note",
    "history.only_note",
    "key_figures.caption",
    "key_figures.column",
    "key_figures.development_alt",
    "key_figures.explain_exact",
    "key_figures.explain_figure",
    "key_figures.explain_input",
    "key_figures.explain_missing",
    "key_figures.fails",
    "key_figures.formula_debt",
    "key_figures.formula_debt_per_inhabitant",
    "key_figures.formula_debt_percent",
    "key_figures.formula_fund",
    "key_figures.formula_fund_percent",
    "key_figures.formula_loans",
    "key_figures.formula_result",
    "key_figures.formula_result_percent",
    "key_figures.holds",
    "key_figures.input_balance",
    "key_figures.input_debt",
    "key_figures.input_population",
    "key_figures.input_row",
    "key_figures.input_row_year",
    "key_figures.input_row_side",
    "key_figures.missing_5_4",
    "key_figures.missing_5_5",
    "key_figures.missing_5_6",
    "key_figures.missing_balance",
    "key_figures.missing_balance_year",
    "key_figures.missing_debt",
    "key_figures.missing_income",
    "key_figures.missing_kapittel",
    "key_figures.missing_population",
    "key_figures.no_investments",
    "key_figures.not_known",
    "key_figures.note_debt",
    "key_figures.note_fund",
    "key_figures.note_fund_rolled",
    "key_figures.note_history",
    "key_figures.note_loans",
    "key_figures.note_percent",
    "key_figures.note_result",
    "key_figures.row_debt",
    "key_figures.row_debt_per_inhabitant",
    "key_figures.row_debt_percent",
    "key_figures.row_fund",
    "key_figures.row_fund_percent",
    "key_figures.row_loans",
    "key_figures.row_result",
    "key_figures.row_result_percent",
    "key_figures.rule_alt",
    "key_figures.rule_at_least",
    "key_figures.rule_at_most",
    "key_figures.rules_caption",
    "key_figures.rules_column",
    "key_figures.rules_note",
    "key_figures.unknown",
    "key_figures.verdict_cell",
    "month.1",
    "month.10",
    "month.11",
    "month.12",
    "month.2",
    "month.3",
    "month.4",
    "month.5",
    "month.6",
    "month.7",
    "month.8",
    "month.9",
    "note.across",
    "note.deviation",
    "note.hidden_years",
    "note.largest",
    "note.largest_remainder",
    "note.percent_base",
    "note.reconciliation",
    "note.sums_may_differ",
    "period.from",
    "period.none",
    "period.until",
    "prices.current",
    "prices.fixed",
    "projects.before",
    "projects.caption",
    "projects.column",
    "projects.frame",
    "projects.remainder",
    "prose.table_below",
    "prose.table_of_group",
    "rounding.half_away_from_zero",
    "rounding.half_even",
    "statutory.by_group_caption",
    "statutory.caption",
    "statutory.codes_art",
    "statutory.codes_art_funksjon",
    "statutory.codes_funksjon",
    "statutory.excluded",
    "statutory.line",
    "statutory.lines",
    "statutory.paragraph_5_4",
    "statutory.paragraph_5_5",
    "statutory.paragraph_5_6",
    "statutory.reconciliation_caption",
    "statutory.residue_caption",
    "statutory.sum_row",
    "statutory.title_5_4",
    "statutory.title_5_5",
    "statutory.title_5_6",
    "statutory.unmapped",
    "table.amount",
    "table.change",
    "table.change_over",
    "table.change_percent",
    "table.deviation",
    "table.expenses",
    "table.group",
    "table.income",
    "table.net",
    "table.net_balance",
    "table.not_given",
    "table.sum",
    "table.sum_balance",
    "table.sum_of",
    "table.year",
    "tiltak.caption",
    "tiltak.column",
    "tiltak.kind_demografi",
    "tiltak.kind_innsparing",
    "tiltak.kind_nytt_tiltak",
    "tiltak.kind_prisjustering",
    "tiltak.kind_teknisk",
    "tiltak.row",
    "tiltak.text_note",
    "tiltak.total",
    "transfers.balance_caption",
    "transfers.caption",
    "transfers.drift",
    "transfers.investering",
    "transfers.received",
    "transfers.row",
    "transfers.sent",
    "transfers.transfer",
    "unit.billions",
    "unit.current_prices",
    "unit.fixed_prices",
    "unit.kroner",
    "unit.millions",
    "unit.thousands",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_has_every_key_the_code_asks_for() {
        let words = Words::default();
        for key in KEYS {
            assert!(words.entries.contains_key(*key), "nb.toml lacks {key}");
        }
    }
}
