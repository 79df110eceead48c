//! Placeholders: the `{name}` slots of a catalogue text — the report's words
//! ([`crate::words`]) and the program's messages ([`crate::messages`]) — filled by name, and
//! listed so that two catalogues can be checked to have the same ones.

/// Replaces each `{name}` in `text` by its value; unknown names stay as they are.
pub(crate) fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholder}` names in a text.
pub fn names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_names_and_leaves_the_rest() {
        assert_eq!(
            fill(
                "Netto per {group}, {year}.",
                &[("group", "tjeneste"), ("year", "2024")]
            ),
            "Netto per tjeneste, 2024."
        );
        assert_eq!(fill("a {x} b {y}", &[("x", "1")]), "a 1 b {y}");
        assert_eq!(fill("a {x} b", &[]), "a {x} b");
        assert_eq!(fill("open { end", &[]), "open { end");
        assert_eq!(names("{b} {a} {b}"), vec!["a", "b"]);
    }
}
