//! Messages: everything the program says to the person running it — errors, `check`'s listing,
//! hints, progress, help — in their language. One catalogue per language is built into the
//! binary (`src/messages/{nb,nn,en}.toml`); a report folder cannot override it, because a
//! message may be needed before any report is read. This module owns the catalogues, the
//! language of the process and [`msg!`](crate::msg), the one way Rust code words a message.
//!
//! The report's own words (what the PDF prints) are another catalogue, [`crate::words`], in
//! the report's language; a finance officer's messages are in the language of their machine.
//!
//! A catalogue is TOML: sections and keys, every value a string. `[input] not_found =
//! "{file}: finst ikkje"` is the key `input.not_found`. A value may hold `{placeholders}`,
//! filled by name; a count is a table `{ one = "…", other = "…" }` chosen by the placeholder
//! `n`. The language is chosen once per process, before any message is made ([`choose`]):
//! `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`; on Windows the user's locale):
//! `nn` is nynorsk, `nb` and `no` bokmål, anything else English. A library user who chooses
//! nothing gets English.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::OnceLock;

/// A language messages are worded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Norwegian bokmål (`nb`, also `no`).
    Bokmal,
    /// Norwegian nynorsk (`nn`).
    Nynorsk,
    /// English, for every other locale.
    English,
}

impl Language {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Language; 3] = [Language::Bokmal, Language::Nynorsk, Language::English];

    /// The code `--lang` takes and the catalogue's file is named by.
    pub fn code(self) -> &'static str {
        match self {
            Language::Bokmal => "nb",
            Language::Nynorsk => "nn",
            Language::English => "en",
        }
    }

    /// The language a locale name means: `nn_NO.UTF-8` and `nn-NO` nynorsk; `nb_NO`, `no`,
    /// `nb-NO` bokmål; `C`, `POSIX`, `en_GB` and every other English.
    pub fn of_locale(locale: &str) -> Language {
        let code: String = locale
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        match code.as_str() {
            "nn" => Language::Nynorsk,
            "nb" | "no" => Language::Bokmal,
            _ => Language::English,
        }
    }

    /// The language of a `--lang` value, if it names one.
    pub fn of_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    fn source(self) -> &'static str {
        match self {
            Language::Bokmal => include_str!("messages/nb.toml"),
            Language::Nynorsk => include_str!("messages/nn.toml"),
            Language::English => include_str!("messages/en.toml"),
        }
    }
}

static CHOSEN: OnceLock<Language> = OnceLock::new();

/// Sets the language of the process's messages: `requested` (from `--lang`) if given, else
/// the user's locale. The first choice holds; later calls change nothing.
pub fn choose(requested: Option<Language>) -> Language {
    *CHOSEN.get_or_init(|| requested.unwrap_or_else(locale_language))
}

/// The language messages are worded in (English until [`choose`] is called).
pub fn language() -> Language {
    CHOSEN.get().copied().unwrap_or(Language::English)
}

/// The user's locale, as POSIX orders its variables: the first set and non-empty of
/// `LC_ALL`, `LC_MESSAGES` and `LANG`; on Windows, where these are rarely set, the user's
/// locale from the system after them.
fn locale_language() -> Language {
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(value) = std::env::var_os(name).filter(|v| !v.is_empty()) {
            return Language::of_locale(&value.to_string_lossy());
        }
    }
    system_locale().map_or(Language::English, |l| Language::of_locale(&l))
}

#[cfg(windows)]
fn system_locale() -> Option<String> {
    sys_locale::get_locale()
}

#[cfg(not(windows))]
fn system_locale() -> Option<String> {
    None
}

/// A parsed catalogue: each key (`section.name`, and `section.name.one`/`.other` for counts)
/// with its text.
pub type Catalogue = BTreeMap<String, String>;

/// The catalogue of `language`, parsed once per process.
pub fn catalogue(language: Language) -> &'static Catalogue {
    static PARSED: [OnceLock<Catalogue>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match language {
        Language::Bokmal => &PARSED[0],
        Language::Nynorsk => &PARSED[1],
        Language::English => &PARSED[2],
    };
    slot.get_or_init(|| parse(language.source()).unwrap_or_default())
}

/// A catalogue's text as keys and texts, or what is wrong with it (the test of every
/// catalogue calls this; a built-in catalogue that does not parse is caught there).
pub fn parse(source: &str) -> Result<Catalogue, String> {
    let table: toml::Table = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut out = Catalogue::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) -> Result<(), String> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(key, text.clone());
            }
            toml::Value::Table(inner) => flatten(&key, inner, out)?,
            _ => return Err(format!("{key}: not a text")),
        }
    }
    Ok(())
}

/// The message `key` in the process's language, its `{placeholders}` filled from `values`.
/// A key with `one`/`other` forms is chosen by the value named `n` (1 is `one`). A key the
/// catalogue lacks (the catalogue test makes that impossible) prints as itself.
pub fn text(key: &str, values: &[(&str, &dyn Display)]) -> String {
    text_in(language(), key, values)
}

/// [`text`] in a given language.
pub fn text_in(language: Language, key: &str, values: &[(&str, &dyn Display)]) -> String {
    let catalogue = catalogue(language);
    let values: Vec<(&str, String)> = values.iter().map(|(n, v)| (*n, v.to_string())).collect();
    let pattern = match catalogue.get(key) {
        Some(text) => text,
        None => {
            let one = values.iter().any(|(n, v)| *n == "n" && v == "1");
            let form = format!("{key}.{}", if one { "one" } else { "other" });
            match catalogue.get(&form) {
                Some(text) => text,
                None => return format!("[{key}]"),
            }
        }
    };
    let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    crate::placeholders::fill(pattern, &pairs)
}

/// Texts offered as alternatives, each quoted, in the process's language: `"kr" or "1000 kr"`,
/// `"a", "b" or "c"` (the catalogue's `messages.or`). A message that names what it expects
/// takes the list from the code's own, so that the two cannot differ.
pub fn alternatives<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    alternatives_in(language(), texts)
}

/// [`alternatives`] in a given language.
pub fn alternatives_in<'a>(language: Language, texts: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = texts.into_iter().map(|text| format!("{text:?}")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => {
            let rest = rest.join(", ");
            text_in(language, "messages.or", &[("rest", &rest), ("last", last)])
        }
    }
}

/// Words a message, in the process's language: `msg!("section.key", name = value, …)`.
/// `name` alone stands for `name = name`. Every value is `Display`; quote a text the way
/// the message wants before passing it (e.g. `format!("{cell:?}")`). The catalogue test
/// checks that every key used exists in every catalogue with exactly these placeholders.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::messages::text(
            $key,
            &[$((stringify!($name), &$crate::msg!(@value $name $($value)?) as &dyn ::std::fmt::Display)),*],
        )
    };
    (@value $name:ident $value:expr) => { $value };
    (@value $name:ident) => { $name };
}

/// The macro by its module's path (`crate::msg!`), so that what words a message is
/// found where messages live.
pub use crate::msg;

/// An operating-system error in the user's language: the common kinds are worded by the
/// catalogue (`[io]`), the rest by the system (its own text, often English).
pub fn io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let key = match error.kind() {
        NotFound => "io.not_found",
        PermissionDenied => "io.permission_denied",
        AlreadyExists => "io.already_exists",
        IsADirectory => "io.is_a_directory",
        NotADirectory => "io.not_a_directory",
        StorageFull => "io.storage_full",
        ReadOnlyFilesystem => "io.read_only",
        InvalidData => "io.invalid_data",
        UnexpectedEof => "io.unexpected_eof",
        _ => {
            let system = error.to_string();
            return msg!("io.system", system);
        }
    };
    text(key, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_are_quoted_and_joined_in_the_language() {
        let units = ["kr", "1000 kr", "mill. kr"];
        assert_eq!(
            alternatives_in(Language::English, units),
            r#""kr", "1000 kr" or "mill. kr""#
        );
        assert_eq!(
            alternatives_in(Language::Bokmal, units),
            r#""kr", "1000 kr" eller "mill. kr""#
        );
        assert_eq!(
            alternatives_in(Language::Nynorsk, ["kr", "1000 kr"]),
            r#""kr" eller "1000 kr""#
        );
        assert_eq!(alternatives_in(Language::English, ["kr"]), r#""kr""#);
        assert_eq!(alternatives_in(Language::English, []), "");
    }

    #[test]
    fn a_locale_names_its_language() {
        for (locale, language) in [
            ("nb_NO.UTF-8", Language::Bokmal),
            ("no_NO", Language::Bokmal),
            ("nb-NO", Language::Bokmal),
            ("nn_NO.UTF-8", Language::Nynorsk),
            ("NN", Language::Nynorsk),
            ("C", Language::English),
            ("C.UTF-8", Language::English),
            ("POSIX", Language::English),
            ("en_GB.UTF-8", Language::English),
            ("sv_SE", Language::English),
            ("", Language::English),
        ] {
            assert_eq!(Language::of_locale(locale), language, "{locale}");
        }
    }

    #[test]
    fn counts_choose_their_form_and_fill_n() {
        assert_eq!(
            text_in(Language::English, "count.lines", &[("n", &1)]),
            "1 line"
        );
        assert_eq!(
            text_in(Language::English, "count.lines", &[("n", &2)]),
            "2 lines"
        );
        assert_eq!(
            text_in(Language::Bokmal, "count.lines", &[("n", &1)]),
            "1 linje"
        );
        assert_eq!(
            text_in(Language::Nynorsk, "count.lines", &[("n", &0)]),
            "0 linjer"
        );
    }

    #[test]
    fn a_missing_key_shows_itself() {
        assert_eq!(
            text_in(Language::English, "no.such_key", &[]),
            "[no.such_key]"
        );
    }
}
