//! One key of a TOML text changed in place, found with the TOML parser's spans: the value
//! replaced, a key set for the first time written where the file has it commented out (as
//! `budsjett init` lists the optional keys) or under its section's header, a key taken away
//! commented out. Everything else in the text, comments and order, stays as the person or
//! `init` wrote it.

use toml::de::{DeTable, DeValue};

/// `text` with `section.key` set to `value`, or commented out when `value` is `None`.
pub(super) fn set(
    text: &str,
    section: &str,
    key: &str,
    value: Option<&toml::Value>,
) -> Result<String, String> {
    let document = DeTable::parse(text).map_err(|e| e.to_string())?;
    // `section` "" is the top level (a commented-out line read on its own).
    let table = match section {
        "" => Some(document.get_ref()),
        _ => document
            .get_ref()
            .iter()
            .find(|(name, _)| name.get_ref() == section)
            .and_then(|(_, value)| match value.get_ref() {
                DeValue::Table(inner) => Some(inner),
                _ => None,
            }),
    };
    let entry = table.and_then(|t| t.iter().find(|(name, _)| name.get_ref() == key));
    Ok(match (entry, value) {
        (Some((_, old)), Some(value)) => {
            let span = old.span();
            format!(
                "{}{}{}",
                &text[..span.start],
                inline(value),
                &text[span.end..]
            )
        }
        (Some((name, old)), None) => comment_out(text, name.span().start, old.span().end),
        (None, None) => text.to_string(),
        (None, Some(value)) => add(text, section, key, value),
    })
}

/// The text with the lines from `start` to `end` commented out.
fn comment_out(text: &str, start: usize, end: usize) -> String {
    let first = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let last = text[end..].find('\n').map_or(text.len(), |at| end + at);
    let lines: Vec<String> = text[first..last]
        .lines()
        .map(|l| format!("# {l}"))
        .collect();
    format!("{}{}{}", &text[..first], lines.join("\n"), &text[last..])
}

/// A key the section lacks: in place of its commented-out line when the section has one,
/// else right under the section's header (a new section at the end when there is none).
fn add(text: &str, section: &str, key: &str, value: &toml::Value) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let header = format!("[{section}]");
    let Some(start) = lines.iter().position(|l| {
        l.trim()
            .strip_prefix(&header)
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    }) else {
        let gap = if text.ends_with('\n') { "" } else { "\n" };
        return format!("{text}{gap}\n{header}\n{key} = {}\n", inline(value));
    };
    let end = (start + 1..lines.len())
        .find(|&i| lines[i].trim_start().starts_with('['))
        .unwrap_or(lines.len());
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let commented = (start + 1..end).find(|&i| {
        let rest = lines[i].trim_start().trim_start_matches('#').trim_start();
        lines[i].trim_start().starts_with('#')
            && rest
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
    });
    match commented {
        Some(i) => {
            let rest = lines[i].trim_start().trim_start_matches('#').trim_start();
            out[i] = set(rest, "", key, Some(value))
                .unwrap_or_else(|_| format!("{key} = {}", inline(value)));
        }
        None => out.insert(start + 1, format!("{key} = {}", inline(value))),
    }
    out.join("\n")
}

/// A value as TOML writes it on one line; a table's keys in the order a compare side reads.
fn inline(value: &toml::Value) -> String {
    match value {
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(table) => {
            let order = ["version", "year", "label"];
            let mut keys: Vec<&String> = table.keys().collect();
            keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(order.len()));
            let pairs: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{} = {}", bare_or_quoted(k), inline(&table[k])))
                .collect();
            format!("{{ {} }}", pairs.join(", "))
        }
        other => other.to_string(),
    }
}

/// A key as TOML writes it: bare when it can be.
fn bare_or_quoted(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    if bare {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# made by init\n[report]\ntitle = \"Drift\"   # the title\n\
# language = \"nn\"   # optional\n\n[budget]\nunit = \"kr\"\nstatutory = \"kostra\"\n\
# compare = [\"a\", \"b\"]   # two versions\n";

    #[test]
    fn a_value_is_replaced_and_its_comment_kept() {
        let value = toml::Value::String("Ny \"tittel\"".into());
        let text = set(TEXT, "report", "title", Some(&value)).unwrap();
        assert!(
            text.contains("\ntitle = 'Ny \"tittel\"'   # the title\n"),
            "{text}"
        );
        assert_eq!(text.replace("'Ny \"tittel\"'", "\"Drift\""), TEXT);
    }

    #[test]
    fn a_commented_key_is_set_in_place_and_a_removed_one_commented() {
        let nn = toml::Value::String("nn".into());
        let text = set(TEXT, "report", "language", Some(&nn)).unwrap();
        assert!(
            text.contains("\nlanguage = \"nn\"   # optional\n"),
            "{text}"
        );
        let text = set(&text, "budget", "statutory", None).unwrap();
        assert!(text.contains("\n# statutory = \"kostra\"\n"), "{text}");
        let side: toml::Table = toml::from_str("version = \"x\"\nyear = 2025").unwrap();
        let sides = toml::Value::Array(vec![toml::Value::Table(side), "y".into()]);
        let text = set(&text, "budget", "compare", Some(&sides)).unwrap();
        assert!(
            text.contains(
                "\ncompare = [{ version = \"x\", year = 2025 }, \"y\"]   # two versions\n"
            ),
            "{text}"
        );
        let unit = toml::Value::String("mill. kr".into());
        let text = set(&text, "budget", "group_by", Some(&unit)).unwrap();
        assert!(
            text.contains("[budget]\ngroup_by = \"mill. kr\"\nunit"),
            "{text}"
        );
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["report"]["language"].as_str(), Some("nn"));
    }
}
