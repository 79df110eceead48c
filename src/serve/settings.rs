//! The report settings as a form: the `report.toml` keys a finance officer sets (title,
//! municipality, plan years, grouping, unit, language, the statutory overviews, the two
//! comparison sides), prefilled from the file; and the form's answer written back as a new
//! `report.toml`. The new text is checked by the command line's own reader
//! ([`crate::config::Config::from_text`] and the words catalogue `check` loads) before it
//! replaces the file atomically, so the page accepts exactly what `check` accepts and refuses
//! with the same message, shown next to the field its key names.

use std::path::Path;

use crate::config::{BUDGET_UNITS, DEFAULT_DETAIL_BY, DEFAULT_GROUP_BY, DEFAULT_UNIT};
use crate::model::Role;
use crate::words::REFERENCE;

mod edit;

/// The folder of the KOSTRA mapping the statutory overviews switch on, when the file names
/// none yet (relative to `report.toml`).
const STATUTORY: &str = "kostra";
/// The form's fields for each key path a message may start with (`config`'s messages name
/// their key first); a message goes to the fields of the key it names earliest.
const FIELDS: [(&str, &[&str]); 11] = [
    ("budget.investering_detail_by", &["detail_by"]),
    ("budget.investering_group_by", &["group_by"]),
    ("report.title", &["title"]),
    ("report.municipality", &["municipality"]),
    ("report.language", &["language"]),
    ("period.plan", &["plan_first", "plan_last"]),
    ("budget.group_by", &["group_by"]),
    ("budget.detail_by", &["detail_by"]),
    ("budget.unit", &["unit"]),
    ("budget.statutory", &["statutory"]),
    ("budget.compare", &["compare"]),
];

/// The form as the page shows it: the values, the choices, and a refusal's message with the
/// fields it belongs to.
#[derive(serde::Serialize, Default)]
pub(super) struct Form {
    pub title: String,
    pub municipality: String,
    pub plan_first: String,
    pub plan_last: String,
    pub language: String,
    pub languages: Vec<String>,
    /// The `[budget]` keys are offered only when the report has a `[budget]`.
    pub has_budget: bool,
    pub group_by: String,
    pub detail_by: String,
    pub roles: Vec<&'static str>,
    pub unit: String,
    pub units: Vec<&'static str>,
    pub statutory: bool,
    /// The two comparison sides (version, year, label); empty when nothing is compared.
    pub compare: [Side; 2],
    /// A refusal's message, and the fields (form names) it is about; `general` when its key
    /// is none of the form's.
    pub message: Option<String>,
    pub message_fields: Vec<&'static str>,
}

/// One side of `budget.compare` as the form has it.
#[derive(serde::Serialize, Default, Clone)]
pub(super) struct Side {
    pub version: String,
    pub year: String,
    pub label: String,
}

impl Form {
    /// The form prefilled from a report configuration's text.
    pub(super) fn read(config: &Path) -> Result<Form, String> {
        let text = crate::input::read_to_string(config).map_err(|e| e.to_string())?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
        let get = |section: &str, key: &str| table.get(section).and_then(|s| s.get(key));
        let text_of = |section: &str, key: &str| match get(section, key) {
            Some(toml::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let plan = get("period", "plan").and_then(toml::Value::as_array);
        let year = |i: usize| {
            plan.and_then(|p| p.get(i))
                .map_or_else(String::new, |v| v.to_string())
        };
        let budget = table.get("budget").and_then(toml::Value::as_table);
        let mut form = Form {
            title: text_of("report", "title"),
            municipality: text_of("report", "municipality"),
            plan_first: year(0),
            plan_last: year(1),
            language: match get("report", "language") {
                None => REFERENCE.to_string(),
                Some(_) => text_of("report", "language"),
            },
            has_budget: budget.is_some(),
            group_by: get("budget", "group_by").map_or_else(
                || DEFAULT_GROUP_BY.into(),
                |_| text_of("budget", "group_by"),
            ),
            detail_by: get("budget", "detail_by").map_or_else(
                || DEFAULT_DETAIL_BY.into(),
                |_| text_of("budget", "detail_by"),
            ),
            unit: get("budget", "unit")
                .map_or_else(|| DEFAULT_UNIT.into(), |_| text_of("budget", "unit")),
            statutory: get("budget", "statutory").is_some(),
            ..Form::default()
        };
        if let Some(sides) = get("budget", "compare").and_then(toml::Value::as_array) {
            for (slot, side) in form.compare.iter_mut().zip(sides) {
                *slot = side_of(side);
            }
        }
        Ok(form.with_choices())
    }

    /// The form as posted, over the file's values for fields the post lacks.
    fn posted(config: &Path, fields: &[(String, String)]) -> Result<Form, String> {
        let mut form = Form::read(config)?;
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let take = |target: &mut String, name: &str| {
            if let Some(value) = field(name) {
                *target = value;
            }
        };
        take(&mut form.title, "title");
        take(&mut form.municipality, "municipality");
        take(&mut form.plan_first, "plan_first");
        take(&mut form.plan_last, "plan_last");
        take(&mut form.language, "language");
        if form.has_budget {
            take(&mut form.group_by, "group_by");
            take(&mut form.detail_by, "detail_by");
            take(&mut form.unit, "unit");
            // A checkbox is sent only when it is ticked.
            form.statutory = field("statutory").is_some();
            for (i, side) in form.compare.iter_mut().enumerate() {
                take(&mut side.version, &format!("compare{i}_version"));
                take(&mut side.year, &format!("compare{i}_year"));
                take(&mut side.label, &format!("compare{i}_label"));
            }
        }
        Ok(form.with_choices())
    }

    /// The choices the selects offer, with the form's own value among them, whatever it is.
    fn with_choices(mut self) -> Form {
        self.roles = Role::ALL.iter().map(|r| r.name()).collect();
        self.units = BUDGET_UNITS.iter().map(|(unit, _)| *unit).collect();
        self.languages = crate::builtin::TEMPLATES
            .files()
            .filter_map(|(n, _)| n.strip_prefix("words/")?.strip_suffix(".toml"))
            .map(str::to_string)
            .collect();
        if !self.languages.contains(&self.language) {
            self.languages.push(self.language.clone());
        }
        self
    }

    /// The refused form with the command line's message next to the field its key names.
    fn refused(mut self, message: String) -> Form {
        self.message_fields = fields_of(&message);
        self.message = Some(message);
        self
    }
}

/// A compare side of the file: a version's name or a table.
fn side_of(value: &toml::Value) -> Side {
    let text = |v: Option<&toml::Value>| match v {
        Some(toml::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    match value {
        toml::Value::Table(t) => Side {
            version: text(t.get("version")),
            year: text(t.get("year")),
            label: text(t.get("label")),
        },
        other => Side {
            version: text(Some(other)),
            ..Side::default()
        },
    }
}

/// The form fields a message is about: those of the key path it names first.
fn fields_of(message: &str) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter_map(|(key, fields)| Some((message.find(key)?, *fields)))
        .min_by_key(|(at, _)| *at)
        .map_or_else(|| vec!["general"], |(_, fields)| fields.to_vec())
}

/// Writes the posted form into `report.toml` when the command line's reader accepts the new
/// text; else the file stays as it was and the form comes back with the message.
pub(super) fn apply_form(
    config: &Path,
    templates: &Path,
    fields: &[(String, String)],
) -> Result<(), Box<Form>> {
    let form = Form::posted(config, fields).map_err(|e| Box::new(Form::default().refused(e)))?;
    let text = match new_text(config, &form) {
        Ok(text) => text,
        Err(e) => return Err(Box::new(form.refused(e))),
    };
    let checked = crate::config::Config::from_text(config, &text)
        .and_then(|c| crate::words::Words::load(templates, &c.report.language).map(|_| ()));
    if let Err(e) = checked {
        return Err(Box::new(form.refused(e.message)));
    }
    crate::write::write_atomically(config, text.as_bytes())
        .map_err(|e| Box::new(form.refused(e.to_string())))
}

/// The new `report.toml`: the file's text with the form's values in place of the old ones,
/// so that its comments and order stay for the person who takes over on the command line.
fn new_text(config: &Path, form: &Form) -> Result<String, String> {
    let mut text = crate::input::read_to_string(config).map_err(|e| e.to_string())?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| e.to_string())?;
    let has = |section: &str, key: &str| table.get(section).and_then(|s| s.get(key));
    // A key the file leaves to its default stays unwritten while the form keeps the default.
    let unless_default = |section: &str, key: &str, value: &str, default: &str| {
        (has(section, key).is_some() || value != default).then(|| value.into())
    };
    let language = unless_default("report", "language", &form.language, REFERENCE);
    let plan = toml::Value::Array(vec![year(&form.plan_first), year(&form.plan_last)]);
    let mut edits: Vec<(&str, &str, Option<toml::Value>)> = vec![
        ("report", "title", Some(form.title.as_str().into())),
        (
            "report",
            "municipality",
            Some(form.municipality.as_str().into()),
        ),
        ("report", "language", language),
        ("period", "plan", Some(plan)),
    ];
    if form.has_budget {
        let statutory = has("budget", "statutory").cloned();
        let sides: Vec<toml::Value> = form
            .compare
            .iter()
            .filter(|s| !(s.version.is_empty() && s.year.is_empty() && s.label.is_empty()))
            .map(side_value)
            .collect();
        edits.extend([
            (
                "budget",
                "group_by",
                unless_default("budget", "group_by", &form.group_by, DEFAULT_GROUP_BY),
            ),
            (
                "budget",
                "detail_by",
                unless_default("budget", "detail_by", &form.detail_by, DEFAULT_DETAIL_BY),
            ),
            (
                "budget",
                "unit",
                unless_default("budget", "unit", &form.unit, DEFAULT_UNIT),
            ),
            (
                "budget",
                "statutory",
                form.statutory
                    .then(|| statutory.unwrap_or_else(|| STATUTORY.into())),
            ),
            (
                "budget",
                "compare",
                (!sides.is_empty()).then_some(toml::Value::Array(sides)),
            ),
        ]);
    }
    for (section, key, value) in edits {
        text = edit::set(&text, section, key, value.as_ref())?;
    }
    Ok(text)
}

/// A year as the form sent it: a number when it is one, else the text, which the reader then
/// refuses with its own message.
fn year(text: &str) -> toml::Value {
    text.trim()
        .parse::<i64>()
        .map_or_else(|_| text.into(), toml::Value::Integer)
}

/// A compare side as a table with the keys the form has.
fn side_value(side: &Side) -> toml::Value {
    let mut table = toml::Table::new();
    table.insert("version".into(), side.version.as_str().into());
    if !side.year.trim().is_empty() {
        table.insert("year".into(), year(&side.year));
    }
    if !side.label.is_empty() {
        table.insert("label".into(), side.label.as_str().into());
    }
    toml::Value::Table(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_goes_to_the_field_its_key_names() {
        let plan = "linje 7: period.plan: fant [2027, 2024], forventet [første år, siste år]";
        assert_eq!(fields_of(plan), ["plan_first", "plan_last"]);
        let unit = "linje 12: budget.unit: fant \"lakh\"";
        assert_eq!(fields_of(unit), ["unit"]);
        let detail = "budget.detail_by: fant \"area\", samme dimensjon som group_by";
        assert_eq!(fields_of(detail), ["detail_by"]);
        assert_eq!(fields_of("noe annet"), ["general"]);
    }
}
