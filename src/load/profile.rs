//! Mapping profiles: how one municipal export (a CSV file or an XLSX sheet) becomes budget
//! lines. A profile is a small TOML file a finance officer can read and write; the README
//! documents every key, and `docs/profiles/` has one for each shared real export.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::dialect;
use crate::amount::DecimalMark;
use crate::error::DataError;
use crate::model::Role;
use crate::model::ledger::Encoding;
use crate::schema::{self, CalendarYear, Printed};

/// A checked profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub path: PathBuf,
    /// The export this profile reads, resolved against the profile's folder.
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    pub(crate) decimal_mark: DecimalMark,
    /// Kroner per unit of the file's amounts.
    pub unit_factor: i64,
    /// Whether the export is the operating or the investment budget.
    pub part: crate::model::Part,
    pub layout: Layout,
    pub sign: Sign,
    /// Role → the columns that hold it (in [`Role::ALL`] order).
    pub dimensions: Vec<(Role, Dimension)>,
    pub(crate) filters: Vec<Filter>,
    /// Dimension columns whose blank cells take the value of the row above (`fill_down`).
    pub(crate) fill_down: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Layout {
    /// One amount column; the year and version come from a column or are fixed.
    Long {
        amount: String,
        year: Field<i32>,
        version: Field<String>,
    },
    /// One column per year (and version). `version_column`, when given, holds each row's
    /// version and overrides the version in the header.
    Wide {
        columns: Vec<WideColumn>,
        auto: bool,
        version_column: Option<String>,
    },
}

/// A value that is either read from a column or the same for every row.
#[derive(Debug, Clone)]
pub enum Field<T> {
    Column(String),
    Fixed(T),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WideColumn {
    /// The amount column's header.
    pub column: String,
    /// The year of its amounts.
    #[serde(deserialize_with = "schema::year")]
    #[schemars(with = "CalendarYear")]
    pub year: i32,
    /// The version of its amounts (default "budsjett").
    #[serde(default = "default_version", deserialize_with = "schema::printed")]
    #[schemars(with = "Printed")]
    pub version: String,
}

#[derive(Debug, Clone)]
pub enum Sign {
    /// Income is negative and expenses positive, as most exports have it.
    IncomeNegative,
    /// Amounts are positive; a column says which rows are income (made negative).
    Column {
        column: String,
        income: Vec<String>,
        expense: Vec<String>,
    },
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// What the report calls it, e.g. "Tjenesteområde".
    #[serde(default, deserialize_with = "schema::printed_opt")]
    #[schemars(with = "Option<Printed>")]
    pub label: Option<String>,
    /// The column with the code, e.g. "tjomr".
    pub code: Option<String>,
    /// The column with the name, e.g. "tjenesteomraade-tekst".
    pub text: Option<String>,
    /// For art and service: which characters of the code are the three-digit KOSTRA code,
    /// as [first, last] (1-based). Stavanger's art 15900 is KOSTRA art 590, so its profile
    /// says [2, 4]. Giving it says the chart is KOSTRA's.
    #[serde(default, deserialize_with = "schema::pair_opt")]
    #[schemars(length(equal = 2))]
    pub kostra: Option<[usize; 2]>,
    /// For art and service: which chart of accounts the codes follow, `"kostra"` (the
    /// three-digit KOSTRA code at [1, 3] unless `kostra` says where), `"artsgruppe"` or
    /// `"local"`. Only KOSTRA codes can be placed in the statutory overviews.
    #[schemars(extend("enum" = ["kostra", "artsgruppe", "local"]))]
    pub chart: Option<String>,
}

impl Dimension {
    /// Where the three-digit KOSTRA code stands in this dimension's codes (0-based), when its
    /// chart is KOSTRA's; `None` for any other chart or when the profile does not say.
    pub fn kostra_start(&self) -> Option<usize> {
        match (self.chart.as_deref(), self.kostra) {
            (Some("kostra") | None, Some([first, _])) => Some(first - 1),
            (Some("kostra"), None) => Some(0),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Filter {
    /// The column whose value decides.
    pub column: String,
    /// Keep only rows whose value is one of these.
    #[serde(default)]
    pub(crate) keep: Vec<String>,
    /// Drop rows whose value is one of these.
    #[serde(default)]
    pub(crate) drop: Vec<String>,
}

fn default_version() -> String {
    "budsjett".to_string()
}

/// A profile as a person writes it, before it is checked for sense. Its JSON Schema,
/// generated from these declarations, is `docs/profile.schema.json`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    /// The export and how to read it.
    source: RawSource,
    /// Where the amounts, years and versions are.
    layout: RawLayout,
    /// Which amounts are income (default: income is negative).
    #[serde(default)]
    sign: Option<RawSign>,
    /// What the columns mean: per dimension a code column, a text column or both.
    #[serde(default)]
    #[schemars(schema_with = "dimensions_schema")]
    dimensions: BTreeMap<String, Dimension>,
    /// Keep or drop rows by a column's value (repeatable: [[filter]]).
    #[serde(default)]
    filter: Vec<Filter>,
}

/// `[dimensions]`: one table per known dimension, no other.
fn dimensions_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let dimension = generator.subschema_for::<Dimension>();
    let properties: serde_json::Map<String, serde_json::Value> = Role::ALL
        .iter()
        .map(|role| (role.name().to_string(), dimension.clone().to_value()))
        .collect();
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false
    })
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSource {
    /// The export, relative to the profile: a CSV file or a workbook (.xlsx, .xlsm, .xls, .ods).
    file: PathBuf,
    /// A workbook's sheet (default: the first).
    sheet: Option<String>,
    /// A CSV file's delimiter (default: detected).
    #[schemars(extend("enum" = [";", ",", "|", "tab"]))]
    delimiter: Option<String>,
    /// A CSV file's encoding (default: detected).
    encoding: Option<String>,
    /// The decimal mark, when amounts such as 1,234 occur.
    #[serde(default)]
    decimal_mark: DecimalMark,
    /// "kr" or "1000 kr".
    #[serde(default = "default_unit")]
    #[schemars(extend("enum" = crate::config::AMOUNTS_UNITS.map(|(unit, _)| unit)))]
    unit: String,
    /// "drift" (the default) or "investering": which statutory overview the lines belong to.
    #[schemars(extend("enum" = ["drift", "investering"]))]
    part: Option<String>,
    /// Dimension columns (a code or text column of `[dimensions]`) whose blank cells take the
    /// value of the row above in the same file: for report-table exports that write a group
    /// only on its first row. Never an amount column.
    #[serde(default)]
    fill_down: Vec<String>,
}

fn default_unit() -> String {
    "kr".to_string()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    /// "long" (one amount column) or "wide" (one column per year and version).
    #[schemars(extend("enum" = ["long", "wide"]))]
    kind: String,
    /// Long: the amount column.
    amount: Option<String>,
    /// Long: the year column, or a fixed year.
    year: Option<LayoutYear>,
    /// Long: a fixed version for every row (default "budsjett").
    #[serde(default, deserialize_with = "schema::printed_opt")]
    #[schemars(with = "Option<Printed>")]
    version: Option<String>,
    /// The column that holds each row's version.
    version_column: Option<String>,
    /// Wide: the amount columns, each with its year and version.
    columns: Option<Vec<WideColumn>>,
    /// Wide: take every column whose header names a year (2013, budsjett_2013).
    auto: Option<bool>,
}

/// `layout.year`: the column that holds each row's year, or one year for every row.
#[derive(Debug)]
enum LayoutYear {
    Column(String),
    Fixed(CalendarYear),
}

impl<'de> Deserialize<'de> for LayoutYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Forms;
        impl Visitor<'_> for Forms {
            type Value = LayoutYear;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(&crate::msg!("profile.year_forms"))
            }
            fn visit_str<E: de::Error>(self, column: &str) -> Result<LayoutYear, E> {
                Ok(LayoutYear::Column(column.to_string()))
            }
            fn visit_i64<E: de::Error>(self, year: i64) -> Result<LayoutYear, E> {
                use serde::de::IntoDeserializer;
                CalendarYear::deserialize(year.into_deserializer()).map(LayoutYear::Fixed)
            }
        }
        deserializer.deserialize_any(Forms)
    }
}

impl JsonSchema for LayoutYear {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LayoutYear".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                // not a message: JSON Schema documentation, shipped in English in docs/
                { "type": "string", "description": "the year column" },
                generator.subschema_for::<CalendarYear>()
            ]
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSign {
    /// "income_negative" (the amounts' own sign) or "column" (a column says which).
    #[schemars(extend("enum" = ["income_negative", "column"]))]
    convention: String,
    /// With "column": the column that says income or expense.
    column: Option<String>,
    /// With "column": the values that mean income.
    #[serde(default)]
    income: Vec<String>,
    /// With "column": the values that mean expense.
    #[serde(default)]
    expense: Vec<String>,
}

impl Profile {
    /// Reads and checks a profile.
    pub fn load(path: &Path) -> Result<Profile, DataError> {
        let text = crate::input::read_to_string(path).map_err(|e| {
            DataError::new(
                path,
                crate::msg!("profile.unreadable", error = crate::messages::io_error(&e)),
            )
        })?;
        Self::from_text(path, &text)
    }

    /// Checks a profile's text as if read from `path`; errors carry the key's line.
    pub fn from_text(path: &Path, text: &str) -> Result<Profile, DataError> {
        Self::parse(path, text).map_err(|error| locate_key(error, text))
    }

    /// Checks a profile's text; errors name the key (`source.unit: …`), and [`locate_key`]
    /// finds its line.
    fn parse(path: &Path, text: &str) -> Result<Profile, DataError> {
        let fail = |message: String| DataError::new(path, message);
        let raw: RawProfile = schema::parse(text).map_err(|e| {
            let error = fail(e.message);
            match e.line {
                Some(line) => error.at_line(line),
                None => error,
            }
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let source = raw.source;
        let keys = source_keys(&source).map_err(fail)?;
        let layout = read_layout(raw.layout).map_err(fail)?;
        let sign = match raw.sign {
            None => Sign::IncomeNegative,
            Some(sign) => read_sign(sign).map_err(fail)?,
        };
        let mut dimensions = Vec::new();
        for (role, dimension) in raw.dimensions {
            let known_role = check_dimension(&role, &dimension).map_err(fail)?;
            dimensions.push((known_role, dimension));
        }
        dimensions.sort_by_key(|(role, _)| *role);
        check_fill_down(&source.fill_down, &layout, &dimensions).map_err(fail)?;

        Ok(Profile {
            path: path.to_path_buf(),
            file: folder.join(source.file),
            sheet: source.sheet,
            delimiter: keys.delimiter,
            encoding: keys.encoding,
            decimal_mark: source.decimal_mark,
            unit_factor: keys.unit_factor,
            part: keys.part,
            layout,
            sign,
            dimensions,
            fill_down: source.fill_down,
            filters: {
                if let Some(filter) = raw
                    .filter
                    .iter()
                    .find(|f| f.keep.is_empty() && f.drop.is_empty())
                {
                    let column = format!("{:?}", filter.column);
                    return Err(fail(crate::msg!("profile.filter_empty", column)));
                }
                if let Some(filter) = raw
                    .filter
                    .iter()
                    .find(|f| !f.keep.is_empty() && !f.drop.is_empty())
                {
                    return Err(fail(crate::msg!(
                        "load.filter.keep_and_drop",
                        column = format!("{:?}", filter.column)
                    )));
                }
                raw.filter
            },
        })
    }
}

/// The `[source]` keys read from their names.
struct SourceKeys {
    delimiter: Option<u8>,
    encoding: Option<Encoding>,
    unit_factor: i64,
    part: crate::model::Part,
}

/// Reads `[source]`'s delimiter, encoding, unit and part, and refuses keys that do not fit
/// the file: a delimiter or encoding for a workbook, a sheet for a CSV file.
fn source_keys(source: &RawSource) -> Result<SourceKeys, String> {
    let delimiter = match source.delimiter.as_deref() {
        None => None,
        Some(name) => Some(dialect::delimiter_from_name(name).ok_or_else(|| {
            let name = format!("{name:?}");
            crate::msg!("profile.delimiter", name)
        })?),
    };
    let encoding = match source.encoding.as_deref() {
        None => None,
        Some(name) => Some(Encoding::from_name(name).ok_or_else(|| {
            let name = format!("{name:?}");
            crate::msg!("profile.encoding", name)
        })?),
    };
    let unit = source.unit.trim();
    let Some(unit_factor) = crate::config::amounts_factor(unit) else {
        let unit = format!("{unit:?}");
        let expected = crate::config::amounts_units_offered();
        return Err(crate::msg!("profile.unit", unit, expected));
    };

    let part = match source.part.as_deref().unwrap_or("drift") {
        "drift" => crate::model::Part::Drift,
        "investering" => crate::model::Part::Investering,
        other => {
            let part = format!("{other:?}");
            return Err(crate::msg!("profile.part", part));
        }
    };
    // A report or profile named as the export (its "header" would be `[report]`).
    if source
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return Err(crate::msg!(
            "load.encoding.toml_as_export",
            file = source.file.display()
        ));
    }
    let workbook = source
        .file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "xlsx" | "xlsm" | "xls" | "ods"
            )
        });
    if workbook {
        if let Some(key) = [
            ("delimiter", source.delimiter.is_some()),
            ("encoding", source.encoding.is_some()),
        ]
        .iter()
        .find_map(|(key, given)| given.then_some(key))
        {
            return Err(crate::msg!(
                "profile.workbook_key",
                key,
                file = source.file.display()
            ));
        }
    } else if source.sheet.is_some() {
        return Err(crate::msg!(
            "profile.sheet_not_workbook",
            file = source.file.display()
        ));
    }
    Ok(SourceKeys {
        delimiter,
        encoding,
        unit_factor,
        part,
    })
}

/// Reads `[layout]`: a long layout's amount, year and version, or a wide layout's columns;
/// refuses the keys of the other kind.
fn read_layout(raw: RawLayout) -> Result<Layout, String> {
    if raw.version.is_some() && raw.version_column.is_some() {
        return Err(crate::msg!("profile.version_twice"));
    }
    match raw.kind.as_str() {
        "long" => long_layout(raw),
        "wide" => wide_layout(raw),
        other => {
            let kind = format!("{other:?}");
            Err(crate::msg!("profile.layout_kind", kind))
        }
    }
}

/// A long layout: one amount column, the year and version from a column or fixed.
fn long_layout(raw: RawLayout) -> Result<Layout, String> {
    for (key, given) in [
        ("auto", raw.auto.is_some()),
        ("columns", raw.columns.is_some()),
    ] {
        if given {
            return Err(crate::msg!("profile.wide_key_in_long", key));
        }
    }
    let amount = raw
        .amount
        .ok_or_else(|| crate::msg!("profile.long_needs_amount"))?;
    let year = match raw.year {
        Some(LayoutYear::Column(column)) => Field::Column(column),
        Some(LayoutYear::Fixed(year)) => Field::Fixed(year.0),
        None => {
            return Err(crate::msg!("profile.long_needs_year"));
        }
    };
    let version = match (raw.version_column, raw.version) {
        (Some(column), _) => Field::Column(column),
        (None, Some(version)) => Field::Fixed(version),
        (None, None) => Field::Fixed(default_version()),
    };
    Ok(Layout::Long {
        amount,
        year,
        version,
    })
}

/// A wide layout: amount columns named by year (`auto`) or listed, each once.
fn wide_layout(raw: RawLayout) -> Result<Layout, String> {
    for (key, given) in [
        ("amount", raw.amount.is_some()),
        ("year", raw.year.is_some()),
        ("version", raw.version.is_some()),
    ] {
        if given {
            return Err(crate::msg!("profile.long_key_in_wide", key));
        }
    }
    let columns = raw.columns.unwrap_or_default();
    if let Some(twice) = columns
        .iter()
        .enumerate()
        .find(|(i, c)| columns[..*i].iter().any(|d| d.column == c.column))
        .map(|(_, c)| &c.column)
    {
        let column = format!("{twice:?}");
        return Err(crate::msg!("profile.column_twice", column));
    }
    let auto = raw.auto.unwrap_or(false);
    if columns.is_empty() && !auto {
        return Err(crate::msg!("profile.wide_needs_columns"));
    }
    Ok(Layout::Wide {
        columns,
        auto,
        version_column: raw.version_column,
    })
}

/// Reads `[sign]`: the amounts' own sign, or a column whose values say income or expense.
fn read_sign(sign: RawSign) -> Result<Sign, String> {
    match sign.convention.as_str() {
        "income_negative" => {
            if let Some(key) = [
                ("column", sign.column.is_some()),
                ("income", !sign.income.is_empty()),
                ("expense", !sign.expense.is_empty()),
            ]
            .iter()
            .find_map(|(key, given)| given.then_some(key))
            {
                return Err(crate::msg!("profile.sign_key_with_income_negative", key));
            }
            Ok(Sign::IncomeNegative)
        }
        "column" => {
            let column = sign
                .column
                .ok_or_else(|| crate::msg!("profile.sign_needs_column"))?;
            if let Some(both) = sign.income.iter().find(|v| sign.expense.contains(v)) {
                let value = format!("{both:?}");
                return Err(crate::msg!("profile.sign_value_twice", value));
            }
            if sign.income.is_empty() || sign.expense.is_empty() {
                return Err(crate::msg!("profile.sign_needs_values"));
            }
            Ok(Sign::Column {
                column,
                income: sign.income,
                expense: sign.expense,
            })
        }
        other => {
            let convention = format!("{other:?}");
            Err(crate::msg!("profile.sign_convention", convention))
        }
    }
}

/// Checks one `[dimensions]` entry: a known role, a chart only for art and service, KOSTRA
/// positions of three digits, a code or text column (its label is checked as it is read,
/// [`Printed`]). Returns the role.
/// `source.fill_down`: each entry a code or text column of a dimension, once; an amount
/// column is refused by name (a blank amount carried down would be a figure nobody wrote).
fn check_fill_down(
    fill_down: &[String],
    layout: &Layout,
    dimensions: &[(Role, Dimension)],
) -> Result<(), String> {
    if fill_down.is_empty() {
        return Ok(());
    }
    let amounts: Vec<&str> = match layout {
        Layout::Long { amount, .. } => vec![amount.as_str()],
        Layout::Wide { columns, .. } => columns.iter().map(|c| c.column.as_str()).collect(),
    };
    let wide_auto = matches!(layout, Layout::Wide { auto: true, .. });
    let columns: Vec<&str> = dimensions
        .iter()
        .flat_map(|(_, d)| [d.code.as_deref(), d.text.as_deref()])
        .flatten()
        .collect();
    for (i, name) in fill_down.iter().enumerate() {
        let same = |other: &str| other.trim().eq_ignore_ascii_case(name.trim());
        if amounts.iter().any(|a| same(a)) || (wide_auto && wide_header(name).is_some()) {
            return Err(crate::msg!(
                "load.fill_down.amount_column",
                name = format!("{name:?}")
            ));
        }
        if !columns.iter().any(|c| same(c)) {
            let columns = columns
                .iter()
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(crate::msg!(
                "load.fill_down.not_a_dimension",
                name = format!("{name:?}"),
                columns
            ));
        }
        if fill_down[..i].iter().any(|earlier| same(earlier)) {
            return Err(crate::msg!(
                "load.fill_down.twice",
                name = format!("{name:?}")
            ));
        }
    }
    Ok(())
}

fn check_dimension(role: &str, dimension: &Dimension) -> Result<Role, String> {
    let Ok(known_role) = role.parse::<Role>() else {
        let known: Vec<String> = Role::ALL
            .iter()
            .map(|r| format!("{r} ({})", r.what()))
            .collect();
        let hint = crate::error::nearest(role, Role::ALL.map(Role::name))
            .map(|near| crate::msg!("profile.did_you_mean", near))
            .unwrap_or_default();
        return Err(crate::msg!(
            "profile.unknown_dimension",
            role,
            known = known.join(", "),
            hint
        ));
    };
    match dimension.chart.as_deref() {
        None | Some("kostra") => {}
        Some("artsgruppe" | "local") if dimension.kostra.is_some() => {
            let chart = format!("{:?}", dimension.chart.as_deref().unwrap_or_default());
            return Err(crate::msg!("profile.kostra_without_chart", role, chart));
        }
        Some("artsgruppe" | "local") => {}
        Some(other) => {
            let chart = format!("{other:?}");
            return Err(crate::msg!("profile.chart", role, chart));
        }
    }
    if (dimension.chart.is_some() || dimension.kostra.is_some())
        && known_role != Role::Art
        && known_role != Role::Service
    {
        return Err(crate::msg!("profile.chart_role", role));
    }
    if let Some([first, last]) = dimension.kostra
        && (first == 0 || first > 20 || last.checked_sub(first) != Some(2))
    {
        return Err(crate::msg!("profile.kostra_positions", role, first, last));
    }
    if dimension.code.is_none() && dimension.text.is_none() {
        return Err(crate::msg!("profile.dimension_columns", role));
    }
    Ok(known_role)
}

/// The JSON Schema of a mapping profile, as shipped in `docs/profile.schema.json`.
pub fn json_schema() -> String {
    schema::to_json(
        schemars::schema_for!(RawProfile),
        "budsjett mapping profile",
    )
}

/// Adds the line of the key an error names, when the error has no line yet.
fn locate_key(mut error: DataError, text: &str) -> DataError {
    if error.line.is_none() {
        error.line = crate::error::key_line(&error.message, text);
    }
    error
}

/// Reads the year and version from a wide-layout header: `2013`, `budsjett_2013`,
/// `rekneskap 2011`, `2011-fra-vedt-okonomiplan`. The accounts keep the export's own word
/// (`regnskap`, nynorsk `rekneskap`): the report prints the version as the export writes it.
pub(crate) fn wide_header(header: &str) -> Option<(i32, String)> {
    let lower = header.trim().to_lowercase();
    let is_year = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = lower
        .split(['_', ' ', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    let year_at = parts.iter().position(|p| is_year(p))?;
    let year: i32 = parts[year_at].parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let rest: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != year_at)
        .map(|(_, p)| *p)
        .collect();
    let version = match rest.as_slice() {
        [] => "budsjett".to_string(),
        words => {
            let text = words.join(" ");
            if text.contains("rekneskap") {
                "rekneskap".to_string()
            } else if text.contains("regnskap") {
                "regnskap".to_string()
            } else if text.contains("okonomiplan") || text.contains("økonomiplan") {
                "økonomiplan".to_string()
            } else if text.contains("budsjett") || text.contains("budget") {
                "budsjett".to_string()
            } else {
                return None;
            }
        }
    };
    Some((year, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_headers_in_bokmal_and_nynorsk() {
        assert_eq!(wide_header("2013"), Some((2013, "budsjett".into())));
        assert_eq!(
            wide_header("budsjett_2012"),
            Some((2012, "budsjett".into()))
        );
        assert_eq!(
            wide_header("rekneskap_2011"),
            Some((2011, "rekneskap".into()))
        );
        assert_eq!(
            wide_header("Regnskap 2011"),
            Some((2011, "regnskap".into()))
        );
        assert_eq!(
            wide_header("2011-fra-vedt-okonomiplan"),
            Some((2011, "økonomiplan".into()))
        );
        assert_eq!(wide_header("tjeneste"), None);
        assert_eq!(wide_header("art_2012x"), None);
        assert_eq!(wide_header("kostnad 2012"), None);
    }
}
