//! The JSON Schemas of `report.toml` and of a mapping profile (`docs/*.schema.json`): the
//! shipped files are what the types generate, and walking them, every key of every table,
//! misspelt, is refused with its line and a hint naming the key.
//!
//! `BUDSJETT_BLESS=1 cargo test --test schema` writes the generated schemas into `docs/`
//! after a change to the configuration's types.

mod common;

use std::path::Path;

use serde_json::Value;

/// A report with every table, each as a `[header]` the walk can find.
const REPORT: &str = r#"[report]
name = "walk"
municipality = "Prøve kommune"
document = "Budsjett 2024"
title = "Driftsbudsjett"
date = 2024-01-01
template = "budsjett.typ.j2"

[period]
plan = [2024, 2024]

[amounts]
unit = "kr"

[data]
areas = "areas.csv"
programmes = "programmes.csv"
phases = "phases.csv"
amounts = "amounts.csv"
milestones = "milestones.csv"
key_figures = "key_figures.csv"

[budget]
sources = ["profile.toml"]

[[budget.compare]]
version = "budsjett"

[[budget.compare]]
version = "regnskap"

[[budget.rules]]
figure = "disposisjonsfond"
at_least = 10

[[budget.history]]
version = "regnskap"
year = 2022
"#;

/// A profile with every table; `[dimensions.<role>]` tables are added for every role the
/// schema names.
const PROFILE: &str = r#"[source]
file = "export.csv"

[layout]
kind = "wide"
auto = true

[[layout.columns]]
column = "x"
year = 2024

[sign]
convention = "income_negative"

[[filter]]
column = "versjon"
keep = ["a"]

[dimensions]
"#;

fn shipped(name: &str) -> String {
    std::fs::read_to_string(Path::new(common::REPO).join("docs").join(name)).unwrap_or_default()
}

/// The generated schema equals the shipped file (or, with BUDSJETT_BLESS=1, replaces it).
fn check_shipped(name: &str, generated: &str) {
    let path = Path::new(common::REPO).join("docs").join(name);
    if std::env::var_os("BUDSJETT_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    assert!(
        shipped(name) == generated,
        "docs/{name} is stale: run BUDSJETT_BLESS=1 cargo test --test schema and commit it"
    );
}

#[test]
fn the_shipped_schemas_are_the_generated_ones() {
    check_shipped("report.schema.json", &budsjett::config::json_schema());
    check_shipped(
        "profile.schema.json",
        &budsjett::load::profile::json_schema(),
    );
}

/// Follows a `$ref` to its definition.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            resolve(root, &root["$defs"][name])
        }
        None => node,
    }
}

/// Every table of the schema (its TOML header: "" for the top, `budget`, `budget.compare[]`
/// for an array of tables) with its keys.
fn tables(root: &Value, node: &Value, path: &str, out: &mut Vec<(String, Vec<String>)>) {
    let node = resolve(root, node);
    if let Some(alternatives) = node.get("anyOf").and_then(Value::as_array) {
        for alternative in alternatives {
            tables(root, alternative, path, out);
        }
        return;
    }
    if let Some(items) = node.get("items") {
        tables(root, items, &format!("{path}[]"), out);
        return;
    }
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    out.push((path.to_string(), properties.keys().cloned().collect()));
    for (key, value) in properties {
        let inner = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        tables(root, value, &inner, out);
    }
}

/// The key with one letter doubled: one edit away from itself.
fn misspell(key: &str) -> String {
    let middle = key.len() / 2;
    format!("{}{}", &key[..middle], &key[middle - 1..])
}

/// The fixture with `line` inserted as the first line of table `path`; and that line's number.
fn insert(fixture: &str, path: &str, line: &str) -> (String, u64) {
    let header = match path.strip_suffix("[]") {
        _ if path.is_empty() => None,
        Some(array) => Some(format!("[[{array}]]\n")),
        None => Some(format!("[{path}]\n")),
    };
    let at = match &header {
        None => 0,
        Some(header) => {
            fixture
                .find(header.as_str())
                .unwrap_or_else(|| panic!("the fixture has no {header}"))
                + header.len()
        }
    };
    let number = fixture[..at].matches('\n').count() as u64 + 1;
    (
        format!("{}{line}\n{}", &fixture[..at], &fixture[at..]),
        number,
    )
}

/// Every key of every table of `schema`, misspelt in `fixture`, is refused by `read` (which
/// returns the error's line and message) with the line and a hint naming the key.
fn walk(schema: &str, fixture: &str, read: impl Fn(&str) -> Option<(Option<u64>, String)>) {
    let root: Value = serde_json::from_str(schema).unwrap();
    let mut found = Vec::new();
    tables(&root, &root, "", &mut found);
    assert!(found.len() >= 5, "{found:?}");
    assert!(read(fixture).is_none(), "the fixture itself is refused");
    let mut failures = Vec::new();
    let mut keys = 0;
    for (path, table_keys) in &found {
        for key in table_keys {
            keys += 1;
            let wrong = misspell(key);
            let (text, line) = insert(fixture, path, &format!("{wrong} = {{}}"));
            match read(&text) {
                None => failures.push(format!("{path}: `{wrong}` was accepted")),
                Some((at, message)) => {
                    let hinted = message.contains(&format!("did you mean `{key}`?"))
                        || message.contains(&format!("did you mean {key}?"));
                    if at != Some(line) || !hinted {
                        failures.push(format!(
                            "{path}: `{wrong}` (line {line}) gave line {at:?}: {message}"
                        ));
                    }
                }
            }
        }
    }
    assert!(keys >= 20, "only {keys} keys walked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_report_key_misspelt_is_refused_with_its_line_and_a_hint() {
    walk(&shipped("report.schema.json"), REPORT, |text| {
        budsjett::config::Config::from_text(Path::new("report.toml"), text)
            .err()
            .map(|e| {
                let line = e
                    .message
                    .strip_prefix("line ")
                    .and_then(|rest| rest.split(':').next()?.parse().ok());
                (line, e.message)
            })
    });
}

#[test]
fn every_profile_key_misspelt_is_refused_with_its_line_and_a_hint() {
    let schema = shipped("profile.schema.json");
    let root: Value = serde_json::from_str(&schema).unwrap();
    let roles = root["properties"]["dimensions"]["properties"]
        .as_object()
        .expect("the schema lists the dimensions");
    let mut fixture = PROFILE.to_string();
    for role in roles.keys() {
        fixture.push_str(&format!("\n[dimensions.{role}]\ncode = \"{role}\"\n"));
    }
    walk(&schema, &fixture, |text| {
        budsjett::load::profile::Profile::from_text(Path::new("profile.toml"), text)
            .err()
            .map(|e| (e.line, e.message))
    });
}
