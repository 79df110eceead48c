//! The report's profiles as forms, one per profile its `sources` list: each column of the
//! export with the role the profile gives it (amount, year, version, sign column, a dimension,
//! or not used), the layout, the sign convention and the unit; and a form's answer written
//! back into its profile, in place (`toml_edit`), once the command line's profile reader
//! accepts the new text. The profile stays the one description of the export: the page reads
//! it, and a change is written atomically for `check` to read like any other.

use std::path::{Path, PathBuf};

use crate::config::{AMOUNTS_UNITS, amounts_factor, amounts_units_offered};
use crate::model::Role;

/// The form value of a column no role uses.
const UNUSED: &str = "unused";
/// The most different values the form shows of a column.
const SAMPLES: usize = 8;

/// One column of the export, as the form shows it.
#[derive(serde::Serialize)]
pub(super) struct Column {
    pub index: usize,
    pub header: String,
    /// The role's form value: `unused`, `amount`, `year`, `version`, `sign` or a dimension's
    /// name (`area`, `service`, …).
    pub role: String,
    /// The roles the column may be given.
    pub choices: Vec<String>,
    /// Its first few different values, as the export has them.
    pub samples: Vec<String>,
}

/// A profile of a report and its export's columns.
#[derive(serde::Serialize)]
pub(super) struct Sheet {
    /// Which of the report's profiles (0: its first), as the form sends it back.
    pub number: usize,
    pub profile: PathBuf,
    pub export: PathBuf,
    /// `long` or `wide`.
    pub layout: String,
    /// `income_negative` or `column`.
    pub convention: String,
    pub unit: String,
    pub units: Vec<&'static str>,
    pub columns: Vec<Column>,
    /// What the guess said of each choice (its comments), while the profile has them.
    pub guesses: Vec<Guess>,
}

/// One choice of a guessed profile with the guess's comment on it.
#[derive(serde::Serialize)]
pub(super) struct Guess {
    /// The profile's line: the key, its value and the comment.
    pub line: String,
    /// The guess called itself unsure.
    pub unsure: bool,
}

/// The guess's comments in a profile `budsjett profile` (or the page's upload) wrote: the
/// lines `key = value   # why`, and `# role: why` above a dimension.
fn guesses(text: &str) -> Vec<Guess> {
    let unsure = crate::msg!("serve.unsure_word").to_lowercase();
    text.lines()
        .map(str::trim)
        .filter(|line| {
            let commented_key = !line.starts_with('#') && line.contains("   # ");
            let dimension = line.strip_prefix("# ").is_some_and(|rest| {
                Role::ALL
                    .iter()
                    .any(|r| rest.starts_with(&format!("{}: ", r.name())))
            });
            commented_key || dimension
        })
        .map(|line| Guess {
            line: line.to_string(),
            unsure: line.to_lowercase().contains(&unsure),
        })
        .collect()
}

/// The profiles a report reads (its sources that are profiles, `.toml`), as paths from the
/// current folder.
pub(super) fn profiles(config: &Path) -> Vec<PathBuf> {
    crate::input::read_to_string(config)
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .map(|report| profile_paths(&report, config))
        .unwrap_or_default()
}

/// The profiles among `[budget] sources` of the report `config` holds, beside it.
fn profile_paths(report: &toml::Table, config: &Path) -> Vec<PathBuf> {
    let folder = config.parent().unwrap_or(Path::new("."));
    let sources = report
        .get("budget")
        .and_then(|b| b.get("sources"))
        .and_then(|s| s.as_array());
    sources
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .filter(|s| s.ends_with(".toml"))
        .map(|s| folder.join(s))
        .collect()
}

/// The `number`th profile a report reads (of its sources that are profiles), its TOML and
/// its text.
fn profile_of(config: &Path, number: usize) -> Result<(PathBuf, toml::Table, String), String> {
    let read = |path: &Path| {
        crate::input::read_to_string(path).map_err(|e| {
            let e = crate::messages::io_error(&e);
            format!("{}: {e}", path.display())
        })
    };
    let parse = |path: &Path, text: &str| {
        toml::from_str::<toml::Table>(text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let report = parse(config, &read(config)?)?;
    let path = profile_paths(&report, config)
        .into_iter()
        .nth(number)
        .ok_or_else(|| crate::msg!("serve.no_profile"))?;
    let text = read(&path)?;
    let table = parse(&path, &text)?;
    Ok((path, table, text))
}

fn text<'t>(table: &'t toml::Table, section: &str, key: &str) -> Option<&'t str> {
    table.get(section)?.get(key)?.as_str()
}

/// The forms of the report's profiles, and why a profile cannot be shown as one (the first
/// such reason).
pub(super) fn read_all(config: &Path) -> (Vec<Sheet>, Option<String>) {
    let (mut sheets, mut error) = (Vec::new(), None);
    for number in 0..profiles(config).len().max(1) {
        match read(config, number) {
            Ok(sheet) => sheets.push(sheet),
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    }
    (sheets, error)
}

/// The form of the report's `number`th profile, or why there is none.
fn read(config: &Path, number: usize) -> Result<Sheet, String> {
    sheet_of(number, profile_of(config, number)?)
}

/// The form of the `number`th profile, read as [`profile_of`] gives it.
fn sheet_of(
    number: usize,
    (profile, table, text_of_profile): (PathBuf, toml::Table, String),
) -> Result<Sheet, String> {
    let file = text(&table, "source", "file").ok_or_else(|| crate::msg!("serve.no_profile"))?;
    let export = profile.parent().unwrap_or(Path::new(".")).join(file);
    let sheet = text(&table, "source", "sheet");
    let read = crate::guess::read_table(&export, sheet)?;
    let layout = text(&table, "layout", "kind").unwrap_or("long").to_string();
    let convention = text(&table, "sign", "convention")
        .unwrap_or("income_negative")
        .to_string();
    let roles = roles(&table, &read.headers);
    let columns = read
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let mut samples: Vec<String> = Vec::new();
            for row in &read.rows {
                match row.get(index) {
                    Some(cell) if !cell.is_empty() && !samples.contains(cell) => {
                        samples.push(cell.clone());
                    }
                    _ => {}
                }
                if samples.len() == SAMPLES {
                    break;
                }
            }
            Column {
                index,
                header: header.clone(),
                role: roles[index].clone(),
                choices: choices(&layout, &convention, header, &roles[index]),
                samples,
            }
        })
        .collect();
    Ok(Sheet {
        number,
        profile,
        export,
        layout,
        convention,
        unit: text(&table, "source", "unit").unwrap_or("kr").to_string(),
        units: AMOUNTS_UNITS.iter().map(|(unit, _)| *unit).collect(),
        columns,
        guesses: guesses(&text_of_profile),
    })
}

/// Each column's role in the profile, by the columns' headers.
fn roles(table: &toml::Table, headers: &[String]) -> Vec<String> {
    let mut roles = vec![UNUSED.to_string(); headers.len()];
    let mut set = |column: Option<&str>, role: &str| {
        if let Some(i) = column.and_then(|c| headers.iter().position(|h| h == c)) {
            roles[i] = role.to_string();
        }
    };
    if let Some(dimensions) = table.get("dimensions").and_then(|d| d.as_table()) {
        for (role, entry) in dimensions {
            set(entry.get("code").and_then(|c| c.as_str()), role);
            set(entry.get("text").and_then(|c| c.as_str()), role);
        }
    }
    set(text(table, "sign", "column"), "sign");
    set(text(table, "layout", "version_column"), "version");
    set(text(table, "layout", "year"), "year");
    set(text(table, "layout", "amount"), "amount");
    let wide = table.get("layout").and_then(|l| l.get("columns"));
    for entry in wide.and_then(|c| c.as_array()).into_iter().flatten() {
        set(entry.get("column").and_then(|c| c.as_str()), "amount");
    }
    let auto = table.get("layout").and_then(|l| l.get("auto"));
    if auto.and_then(|a| a.as_bool()) == Some(true) {
        for (i, header) in headers.iter().enumerate() {
            if crate::load::profile::wide_header(header).is_some() {
                roles[i] = "amount".into();
            }
        }
    }
    roles
}

/// The roles a column may take: in a wide layout only a header naming a year can be an
/// amount, and a long layout has a year column; a sign column only with that convention.
fn choices(layout: &str, convention: &str, header: &str, current: &str) -> Vec<String> {
    let mut choices = vec![UNUSED.to_string()];
    let amount = layout == "long"
        || current == "amount"
        || crate::load::profile::wide_header(header).is_some();
    if amount {
        choices.push("amount".into());
    }
    if layout == "long" {
        choices.push("year".into());
    }
    choices.push("version".into());
    if convention == "column" {
        choices.push("sign".into());
    }
    choices.extend(Role::ALL.iter().map(|r| r.name().to_string()));
    choices
}

/// A refused column form: the message, and the form's fields it is about (`col3`, `unit`),
/// the first of which shows it; none when it is about the form as a whole.
#[derive(serde::Serialize)]
pub(super) struct Refusal {
    /// The profile's number ([`Sheet::number`]) whose form was refused.
    pub profile: usize,
    pub message: String,
    pub fields: Vec<String>,
    /// The form as it was sent, shown again for the officer to correct.
    #[serde(skip)]
    pub sent: Vec<(String, String)>,
}

impl Refusal {
    /// The sheet with the roles and unit the refused form chose, where the column can take
    /// them, in place of the profile's.
    pub(super) fn as_sent(&self, mut sheet: Sheet) -> Sheet {
        if sheet.number != self.profile {
            return sheet;
        }
        for column in &mut sheet.columns {
            if let Some(role) = field(&self.sent, &format!("col{}", column.index))
                && column.choices.iter().any(|c| c == role)
            {
                column.role = role.to_string();
            }
        }
        if let Some(unit) = field(&self.sent, "unit").filter(|u| amounts_factor(u).is_some()) {
            sheet.unit = unit.to_string();
        }
        sheet
    }
}

/// Why the chosen roles give no profile, and the columns (by header) that are the reason.
struct NoProfile {
    message: String,
    headers: Vec<String>,
}

impl NoProfile {
    fn about(message: String, headers: &[&str]) -> NoProfile {
        let headers = headers.iter().map(|h| h.to_string()).collect();
        NoProfile { message, headers }
    }

    fn general(message: String) -> NoProfile {
        NoProfile::about(message, &[])
    }
}

/// Writes the form's roles and unit into the report's profile, in place: the keys the form
/// changes get their new values (a changed value loses the comment beside it, which spoke of
/// the old one), every other line, comment and the order stay. The new text is checked by
/// the command line's own profile reader before it replaces the file (atomically); a form
/// that gives no profile (two amount columns in a long layout, no amount at all, a role the
/// column cannot take, anything the reader refuses) is refused with the message by the field
/// it is about, and the profile left as it was, byte for byte.
pub(super) fn apply_form(config: &Path, fields: &[(String, String)]) -> Result<(), Refusal> {
    // Which profile's form was sent (the first when the post does not say).
    let number = field(fields, "profile")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    apply(config, number, fields).map_err(|refusal| Refusal {
        profile: number,
        sent: fields.to_vec(),
        ..refusal
    })
}

/// [`apply_form`], its refusal without the form as sent.
fn apply(config: &Path, number: usize, fields: &[(String, String)]) -> Result<(), Refusal> {
    let general = |message: String| Refusal {
        profile: number,
        message,
        fields: Vec::new(),
        sent: Vec::new(),
    };
    let (path, old, text) = profile_of(config, number).map_err(general)?;
    let sheet = sheet_of(number, (path.clone(), old.clone(), text.clone())).map_err(general)?;
    let unit = field(fields, "unit").unwrap_or(&sheet.unit);
    if amounts_factor(unit).is_none() {
        let unit = format!("{unit:?}");
        let expected = amounts_units_offered();
        return Err(Refusal {
            profile: number,
            message: crate::msg!("serve.bad_unit", unit, expected),
            fields: vec!["unit".into()],
            sent: Vec::new(),
        });
    }
    let new = chosen_profile(&sheet, &old, fields, unit).map_err(|refused| Refusal {
        profile: number,
        fields: field_names(&sheet, |header| refused.headers.iter().any(|h| h == header)),
        message: refused.message,
        sent: Vec::new(),
    })?;
    let edited = edit_in_place(&text, &old, &new).map_err(general)?;
    if let Err(e) = crate::load::profile::Profile::from_text(&path, &edited) {
        // The reader names the column its message is about first, quoted as the export
        // writes it (a list of the columns it expected may follow).
        let first = sheet
            .columns
            .iter()
            .filter_map(|c| Some((e.message.find(&format!("{:?}", c.header))?, c)))
            .min_by_key(|(at, _)| *at)
            .map(|(_, c)| c.header.as_str());
        let fields = field_names(&sheet, |header| Some(header) == first);
        return Err(Refusal {
            profile: number,
            message: e.to_string(),
            fields,
            sent: Vec::new(),
        });
    }
    crate::write::write_atomically(&path, edited.as_bytes()).map_err(|e| general(e.to_string()))?;
    // The sectors' prose to start from, as `init` writes it, once the budget can be summed
    // (an export with problems gives init none): only files that are missing, so a refusal
    // here means a file exists, which is what is wanted.
    let _ = crate::prose::seed(config);
    Ok(())
}

/// The value the form sent for the field `name`.
fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The form fields (`col<index>`) of the columns whose header `about` names.
fn field_names(sheet: &Sheet, about: impl Fn(&str) -> bool) -> Vec<String> {
    sheet
        .columns
        .iter()
        .filter(|c| about(&c.header))
        .map(|c| format!("col{}", c.index))
        .collect()
}

/// The profile (as TOML) the form's roles and unit give, from the profile `old`.
fn chosen_profile(
    sheet: &Sheet,
    old: &toml::Table,
    fields: &[(String, String)],
    unit: &str,
) -> Result<toml::Table, NoProfile> {
    let mut chosen = Vec::new();
    for column in &sheet.columns {
        let role = field(fields, &format!("col{}", column.index)).unwrap_or(&column.role);
        if !column.choices.iter().any(|c| c == role) {
            let (header, role) = (format!("{:?}", column.header), format!("{role:?}"));
            let message = crate::msg!("serve.bad_role", header, role);
            return Err(NoProfile::about(message, &[&column.header]));
        }
        chosen.push((column.header.as_str(), role.to_string()));
    }
    let mut table = old.clone();
    set(&mut table, "source", "unit", unit.into());
    layout(&mut table, &sheet.layout, &chosen)?;
    if sheet.convention == "column" {
        let sign = one(&chosen, "sign", true)?.unwrap_or_default();
        set(&mut table, "sign", "column", sign.into());
    }
    dimensions(&mut table, &chosen)?;
    Ok(table)
}

/// The profile's text with the keys that differ between `old` and `new` changed in place
/// (through `toml_edit`, which keeps every other line as written), headed by a line saying
/// the page changed it.
fn edit_in_place(text: &str, old: &toml::Table, new: &toml::Table) -> Result<String, String> {
    let mut document: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    update(document.as_table_mut(), old, new);
    let edited = document.to_string();
    let heading = format!("# {}", crate::msg!("serve.profile_heading"));
    if edited.lines().any(|l| l == heading) {
        return Ok(edited);
    }
    Ok(format!("{heading}\n{edited}"))
}

/// Makes `table` (whose values `old` holds) hold `new`: a key gone from `new` is removed, a
/// changed value replaced (tables key by key, so that their untouched lines stay), a new key
/// added at the end of its table.
fn update(table: &mut dyn toml_edit::TableLike, old: &toml::Table, new: &toml::Table) {
    let gone: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    for key in gone {
        table.remove(&key);
    }
    for (key, value) in new {
        let before = old.get(key);
        if before == Some(value) {
            continue;
        }
        let item = table.get_mut(key);
        match (item, before, value) {
            (Some(item), Some(toml::Value::Table(before)), toml::Value::Table(value))
                if item.is_table_like() =>
            {
                if let Some(inner) = item.as_table_like_mut() {
                    update(inner, before, value);
                }
                // An inline table's spacing goes with its last key: written anew.
                if let Some(inline) = item.as_inline_table_mut() {
                    inline.fmt();
                }
            }
            (Some(toml_edit::Item::Value(old_value)), _, value) => {
                let prefix = old_value.decor().prefix().cloned();
                let mut replaced = edit_value(value);
                if let Some(prefix) = prefix {
                    replaced.decor_mut().set_prefix(prefix);
                }
                *old_value = replaced;
            }
            _ => {
                table.insert(key, toml_edit::Item::Value(edit_value(value)));
            }
        }
    }
}

/// A TOML value as `toml_edit` writes it on one line (a table as an inline table).
fn edit_value(value: &toml::Value) -> toml_edit::Value {
    match value {
        toml::Value::String(s) => s.as_str().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => (*f).into(),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d
            .to_string()
            .parse()
            .unwrap_or_else(|_| d.to_string().into()),
        toml::Value::Array(items) => {
            let mut array: toml_edit::Array = items.iter().map(edit_value).collect();
            // A list of tables (a wide layout's columns) one to a line, as the guess writes it.
            if items.iter().any(toml::Value::is_table) {
                for item in array.iter_mut() {
                    item.decor_mut().set_prefix("\n  ");
                }
                array.set_trailing_comma(true);
                array.set_trailing("\n");
            }
            toml_edit::Value::Array(array)
        }
        toml::Value::Table(table) => {
            // The keys in the order the guess and the README write them.
            let order = ["column", "year", "version", "label", "code", "text"];
            let mut keys: Vec<&String> = table.keys().collect();
            keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(order.len()));
            let mut inline = toml_edit::InlineTable::new();
            for key in keys {
                inline.insert(key, edit_value(&table[key]));
            }
            toml_edit::Value::InlineTable(inline)
        }
    }
}

/// Sets `section.key` of a profile, making the section if missing.
fn set(table: &mut toml::Table, section: &str, key: &str, value: toml::Value) {
    if let Some(section) = table
        .entry(section)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
    {
        section.insert(key.to_string(), value);
    }
}

/// The one column given `role`: refused when several are, or when none is and one is needed.
fn one<'c>(
    chosen: &[(&'c str, String)],
    role: &str,
    needed: bool,
) -> Result<Option<&'c str>, NoProfile> {
    let columns: Vec<&str> = chosen
        .iter()
        .filter(|(_, r)| r == role)
        .map(|(h, _)| *h)
        .collect();
    match columns.as_slice() {
        [] if needed => Err(NoProfile::general(crate::msg!(
            "serve.role_missing",
            role = role_word(role)
        ))),
        [] => Ok(None),
        [column] => Ok(Some(column)),
        _ => {
            let message = crate::msg!(
                "serve.role_twice",
                role = role_word(role),
                columns = columns.join(", ")
            );
            Err(NoProfile::about(message, &columns))
        }
    }
}

/// A role as the page names it.
fn role_word(role: &str) -> String {
    crate::messages::text(&format!("serve.page.role_{role}"), &[])
}

/// The `[layout]` keys the chosen roles give.
fn layout(table: &mut toml::Table, kind: &str, chosen: &[(&str, String)]) -> Result<(), NoProfile> {
    let old = table
        .get("layout")
        .and_then(|l| l.as_table())
        .cloned()
        .unwrap_or_default();
    let mut new = old.clone();
    let version = one(chosen, "version", false)?;
    match version {
        Some(column) => {
            new.insert("version_column".into(), column.into());
            new.remove("version");
        }
        None => {
            new.remove("version_column");
        }
    }
    if kind == "long" {
        let amount = one(chosen, "amount", true)?.unwrap_or_default();
        new.insert("amount".into(), amount.into());
        match one(chosen, "year", false)? {
            Some(column) => {
                new.insert("year".into(), column.into());
            }
            None if old.get("year").is_some_and(|y| y.is_integer()) => {}
            None => {
                let role = role_word("year");
                return Err(NoProfile::general(crate::msg!("serve.role_missing", role)));
            }
        }
        if version.is_none() && !old.contains_key("version") {
            let role = role_word("version");
            return Err(NoProfile::general(crate::msg!("serve.role_missing", role)));
        }
    } else {
        new.remove("auto");
        new.insert(
            "columns".into(),
            wide_columns(&old, chosen, version.is_some())?,
        );
    }
    table.insert("layout".into(), toml::Value::Table(new));
    Ok(())
}

/// A wide layout's `columns`: each column chosen as an amount, with the year and version the
/// profile gave it, or its header names.
fn wide_columns(
    old: &toml::Table,
    chosen: &[(&str, String)],
    version_column: bool,
) -> Result<toml::Value, NoProfile> {
    let listed: Vec<&toml::Value> = old
        .get("columns")
        .and_then(|c| c.as_array())
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut columns = Vec::new();
    for (header, _) in chosen.iter().filter(|(_, r)| r == "amount") {
        let named = crate::load::profile::wide_header(header);
        let mut entry = listed
            .iter()
            .find(|e| e.get("column").and_then(|c| c.as_str()) == Some(header))
            .and_then(|e| e.as_table())
            .cloned()
            .or_else(|| {
                let (year, _) = named.as_ref()?;
                let mut entry = toml::Table::new();
                entry.insert("column".into(), (*header).into());
                entry.insert("year".into(), i64::from(*year).into());
                Some(entry)
            })
            .ok_or_else(|| {
                let message =
                    crate::msg!("serve.no_year_in_header", header = format!("{header:?}"));
                NoProfile::about(message, &[header])
            })?;
        if version_column {
            entry.remove("version");
        } else if !entry.contains_key("version") {
            let version = named.map(|(_, v)| v).unwrap_or_else(|| "budsjett".into());
            entry.insert("version".into(), version.into());
        }
        columns.push(toml::Value::Table(entry));
    }
    if columns.is_empty() {
        let role = role_word("amount");
        return Err(NoProfile::general(crate::msg!("serve.role_missing", role)));
    }
    Ok(toml::Value::Array(columns))
}

/// The `[dimensions]` the chosen roles give: a dimension's code and text columns as before
/// where they stay, a new column as the code (or as the text beside a code); its label, chart
/// and KOSTRA position kept.
fn dimensions(table: &mut toml::Table, chosen: &[(&str, String)]) -> Result<(), NoProfile> {
    let old = table
        .get("dimensions")
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let was_text = |header: &str| {
        old.values()
            .any(|e| e.get("text").and_then(|t| t.as_str()) == Some(header))
    };
    let mut new = toml::Table::new();
    for role in Role::ALL {
        let columns: Vec<&str> = chosen
            .iter()
            .filter(|(_, r)| r == role.name())
            .map(|(h, _)| *h)
            .collect();
        if columns.is_empty() {
            continue;
        }
        if columns.len() > 2 {
            let (role, listed) = (role_word(role.name()), columns.join(", "));
            let message = crate::msg!("serve.dimension_columns", role, columns = listed);
            return Err(NoProfile::about(message, &columns));
        }
        let mut entry = old
            .get(role.name())
            .and_then(|e| e.as_table())
            .cloned()
            .unwrap_or_else(|| {
                let mut entry = toml::Table::new();
                entry.insert("label".into(), columns[0].into());
                entry
            });
        let (texts, codes): (Vec<&str>, Vec<&str>) = match columns.as_slice() {
            [one] if was_text(one) => (vec![*one], vec![]),
            [one] => (vec![], vec![*one]),
            [a, b] if was_text(a) && !was_text(b) => (vec![*a], vec![*b]),
            [a, b] => (vec![*b], vec![*a]),
            _ => (vec![], vec![]),
        };
        entry.remove("code");
        entry.remove("text");
        if let Some(code) = codes.first() {
            entry.insert("code".into(), (*code).into());
        }
        if let Some(text) = texts.first() {
            entry.insert("text".into(), (*text).into());
        }
        if !matches!(role, Role::Art | Role::Service) || codes.is_empty() {
            entry.remove("chart");
            entry.remove("kostra");
        }
        new.insert(role.name().into(), toml::Value::Table(entry));
    }
    table.insert("dimensions".into(), toml::Value::Table(new));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUESSED: &str = "# Guessed by budsjett profile.\n\n[source]\n\
file = \"x.csv\"   # the export\n\
unit = \"kr\"   # usikkert: nothing in the export says\n\n\
[layout]\nkind = \"wide\"   # one column per year\ncolumns = [\n\
  { column = \"2025\", year = 2025, version = \"budsjett\" },\n\
  { column = \"2026\", year = 2026, version = \"budsjett\" },\n]\n\n\
[dimensions]\n# area: the header says so\narea = { label = \"Område\", code = \"omr\" }\n\
# service: three digits\nservice = { label = \"Tjeneste\", code = \"tj\", text = \"tjt\" }\n";

    #[test]
    fn only_the_changed_keys_are_rewritten_in_place() {
        let old: toml::Table = toml::from_str(GUESSED).unwrap();
        let mut new = old.clone();
        set(&mut new, "source", "unit", "1000 kr".into());
        let first = old["layout"]["columns"].as_array().unwrap()[0].clone();
        set(
            &mut new,
            "layout",
            "columns",
            toml::Value::Array(vec![first]),
        );
        let dimensions = new["dimensions"].as_table_mut().unwrap();
        dimensions.remove("area");
        dimensions["service"].as_table_mut().unwrap().remove("text");
        let edited = edit_in_place(GUESSED, &old, &new).unwrap();
        let heading = crate::msg!("serve.profile_heading");
        let expected = format!(
            "# {heading}\n# Guessed by budsjett profile.\n\n[source]\n\
file = \"x.csv\"   # the export\n\
unit = \"1000 kr\"\n\n\
[layout]\nkind = \"wide\"   # one column per year\n\
columns = [\n  {{ column = \"2025\", year = 2025, version = \"budsjett\" }},\n]\n\n\
[dimensions]\n\
# service: three digits\nservice = {{ label = \"Tjeneste\", code = \"tj\" }}\n"
        );
        assert_eq!(edited, expected);
        // Edited again, the heading is not repeated; the new text reads as `new`.
        let again = edit_in_place(&edited, &new, &new).unwrap();
        assert_eq!(again, edited);
        assert_eq!(toml::from_str::<toml::Table>(&edited).unwrap(), new);
    }
}
