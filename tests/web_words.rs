//! The local page's words: every word the page templates (`templates/web/`) use is in each
//! language's catalogue (`serve.page.*` of `src/messages/`), and every such word is used.

use std::collections::BTreeSet;
use std::path::Path;

use budsjett::messages::{Language, catalogue};

/// The words a template names: `w.key`, and `w["prefix_" ~ …]` as the prefix `prefix_`.
fn named(template: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut keys, mut prefixes) = (BTreeSet::new(), BTreeSet::new());
    let is_key = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (at, _) in template.match_indices("w.") {
        let before = template[..at].chars().last();
        if before.is_some_and(is_key) || before == Some('.') {
            continue;
        }
        let key: String = template[at + 2..]
            .chars()
            .take_while(|c| is_key(*c))
            .collect();
        if !key.is_empty() {
            keys.insert(key);
        }
    }
    for (at, _) in template.match_indices("w[\"") {
        let prefix: String = template[at + 3..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        prefixes.insert(prefix);
    }
    (keys, prefixes)
}

#[test]
fn every_page_word_is_in_every_catalogue_and_used_by_a_template() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/web");
    let (mut keys, mut prefixes) = (BTreeSet::new(), BTreeSet::new());
    for entry in std::fs::read_dir(folder).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let (k, p) = named(&text);
        keys.extend(k);
        prefixes.extend(p);
    }
    assert!(keys.len() > 20, "the scan found almost no words: {keys:?}");
    assert!(prefixes.contains("role_"), "{prefixes:?}");
    for language in Language::ALL {
        let words: BTreeSet<String> = catalogue(language)
            .keys()
            .filter_map(|k| k.strip_prefix("serve.page.").map(str::to_string))
            .collect();
        let missing: Vec<&String> = keys.iter().filter(|k| !words.contains(*k)).collect();
        assert!(missing.is_empty(), "{language:?} lacks {missing:?}");
        let unused: Vec<&String> = words
            .iter()
            .filter(|w| !keys.contains(*w) && !prefixes.iter().any(|p| w.starts_with(p)))
            .collect();
        assert!(
            unused.is_empty(),
            "{language:?}: no template uses {unused:?}"
        );
    }
}
