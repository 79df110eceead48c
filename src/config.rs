//! The report configuration (`report.toml`): title, municipality, periods, template, and the
//! data: the strategy chapter's CSV files (`[data]`), real budget exports read through mapping
//! profiles (`[budget]`), or both. Read once, checked for sense, then passed down the pipeline.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::error::ConfigError;
use crate::messages::{self, Language};
use crate::model::Role;
use crate::schema::{self, CalendarYear, Printed};

mod resolution;
pub use resolution::{PropertyTax, Resolution};

/// A checked report configuration with paths resolved against the file's folder.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub report: ReportSection,
    pub date: Date,
    pub plan: YearSpan,
    pub horizon: YearSpan,
    /// Kroner per unit of the amounts in the chapter's data files (1 for "kr", 1000 for
    /// "1000 kr").
    pub unit_factor: i64,
    /// The strategy chapter's data files, if the report has a chapter.
    pub data: Option<DataFiles>,
    /// Real budget exports, if the report has a whole-budget part.
    pub budget: Option<BudgetSection>,
    /// The proposed resolution's own points, when the report ends with one (`[resolution]`).
    pub resolution: Option<Resolution>,
    /// The words the report prints: the built-in bokmål catalogue until `render` or `check`
    /// loads `report.language`'s catalogue from the templates folder ([`crate::words`]).
    pub words: crate::words::Words,
}

/// The whole-budget part of a report: which exports, and how to group them.
#[derive(Debug, Clone)]
pub struct BudgetSection {
    /// The report configuration this section is in (for error messages).
    pub config: PathBuf,
    /// That configuration's text as it was read and parsed (once): later checks locate a key's
    /// line in it, never in a second read of a file that may have changed since.
    pub config_text: std::sync::Arc<str>,
    /// Mapping profiles and SSB KOSTRA files, resolved against the configuration's folder.
    pub sources: Vec<PathBuf>,
    /// The version the tables per group show, e.g. "budsjett".
    pub version: String,
    /// The dimension that groups the tables, e.g. "area" (tjenesteområde).
    pub group_by: Role,
    /// The dimension listed inside each group, e.g. "service" (tjeneste).
    pub detail_by: Option<Role>,
    /// For the investment budget of a report with both parts, other dimensions to group and
    /// list by (e.g. "project"), when they differ from `group_by` and `detail_by`.
    pub(crate) investering_group_by: Option<Role>,
    pub investering_detail_by: Option<Role>,
    /// The order of the groups in every table.
    pub group_order: GroupOrder,
    /// For the investment budget of a report with both parts, its version when it differs
    /// from `version` (exports of the two parts often name their versions differently).
    pub investering_version: Option<String>,
    /// The folder with the KOSTRA mapping of the statutory overviews (§ 5-4, § 5-5), if the
    /// report shows them.
    pub statutory: Option<PathBuf>,
    /// How figures are printed.
    pub(crate) presentation: Presentation,
    /// Fixed prices: a deflator series (year;percent) and the base year, if wanted.
    pub(crate) fixed_prices: Option<(PathBuf, i32)>,
    /// A population series (year;inhabitants), for amounts per inhabitant.
    pub(crate) population: Option<PathBuf>,
    /// The change bridge: the change-group code that is the adopted budget of the current year,
    /// and group codes left out (such as financing "under the line").
    pub bridge: Option<(String, Vec<String>)>,
    /// List every budget line, per group (the detail listing).
    pub listing: bool,
    /// The KOSTRA year whose chart the statutory mapping uses (default: the first plan year).
    pub kostra_year: Option<i32>,
    /// Print the statutory overviews even when some lines map to no row, with the residue
    /// stated on the page, instead of refusing the report.
    pub(crate) accept_unmapped: bool,
    /// Leave out groups and details whose every line is zero in the plan years.
    pub(crate) hide_zero_rows: bool,
    /// The debt file for § 5-7 (`year;kind;opening;borrowing;repayment;closing;text`).
    pub debt: Option<PathBuf>,
    /// Two versions (each in one year) to compare, e.g. the adopted budget and the proposal,
    /// or a budget and the accounts; empty when the report compares nothing.
    pub compare: Vec<CompareSide>,
    /// History columns (issue 26): versions of earlier years (the accounts, the adopted
    /// budget), each printed as a column before the plan years; every side has its year.
    pub history: Vec<CompareSide>,
    /// Print a report whose drift and investering disagree on a transfer between them, with
    /// the difference stated, instead of refusing it.
    pub(crate) accept_transfer_difference: bool,
    /// The lines summed are one sector's of a whole budget that was checked complete
    /// (`render --each`): a plan year or history side the sector has no line of is 0 for it,
    /// not a refusal (the whole report refused what was missing in the whole).
    pub(crate) sector_of_whole: bool,
    /// The folder with the sectors' prose in Markdown (`<code>.md`, `innledning.md`), if the
    /// report has any ([`crate::prose`]).
    pub(crate) prose: Option<PathBuf>,
    /// The municipality's financial rules, judged on the key figures page (issue 26).
    pub(crate) rules: Vec<crate::financial_rules::FinancialRule>,
    /// Open the report with a chart of the drift part's net per group for the plan years.
    pub(crate) front_chart: bool,
    /// The tiltak file: the named changes per group and plan year, summing to the change
    /// bridge (issue 27; [`crate::load::tiltak`]).
    pub(crate) tiltak: Option<PathBuf>,
    /// The projects file: the investment projects with their cost frames (issue 27;
    /// [`crate::load::projects`]).
    pub(crate) projects: Option<PathBuf>,
    /// Projects accepted with a reason (code, reason): a project without lines in the export
    /// or without a row in the projects file, or over its frame, printed with its reason.
    pub(crate) accept_projects: Vec<(String, String)>,
}

/// The order of the groups in every table of a whole-budget report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupOrder {
    /// By code, as people read codes (6 before 16, 01A before 01B): the default.
    Code,
    /// In the order the groups first appear in the exports (often the organisation's order
    /// when the groups have no codes).
    Source,
    /// These groups first, in this order (by code or name), then the others by code.
    Listed(Vec<String>),
}

/// `group_order`: `"code"`, `"source"` or a list of groups.
#[derive(Debug)]
enum RawGroupOrder {
    Named(String),
    Listed(Vec<String>),
}

/// The forms `group_order` takes, for its messages (and, in English, its schema).
fn group_order_forms(language: Language) -> String {
    messages::text_in(language, "config.group_order_forms", &[])
}

impl<'de> Deserialize<'de> for RawGroupOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Forms;
        impl<'de> Visitor<'de> for Forms {
            type Value = RawGroupOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(&group_order_forms(messages::language()))
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<RawGroupOrder, E> {
                Ok(RawGroupOrder::Named(name.to_string()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<RawGroupOrder, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(RawGroupOrder::Listed)
            }
        }
        deserializer.deserialize_any(Forms)
    }
}

impl JsonSchema for RawGroupOrder {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GroupOrder".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            // not a message: JSON Schema documentation, shipped in English in docs/
            "description": format!("The order of the groups in every table: {}.", group_order_forms(Language::English)),
            "anyOf": [
                { "enum": ["code", "source"] },
                generator.subschema_for::<Vec<String>>()
            ]
        })
    }
}

/// One side of a comparison: a version, in one year (default: the first plan year), and what
/// the report calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareSide {
    pub version: String,
    pub year: Option<i32>,
    pub label: String,
    /// A history side's `groups = "by_service"` (issue 26): each of its lines is placed in
    /// the group its funksjon has in the report's own lines; always false in a comparison.
    pub(crate) by_service: bool,
}

impl CompareSide {
    /// Whether this side is the accounts (regnskap, rekneskap) rather than a budget.
    pub(crate) fn is_accounts(&self) -> bool {
        crate::model::ledger::is_accounts(&self.version)
    }
}

/// One side of `compare`: a version's name, or a table naming its version, year and label.
#[derive(Debug)]
enum RawCompareSide {
    Version(Printed),
    Table(RawCompareTable),
}

/// The table form of a compare side: `{ version = "regnskap", year = 2023, label = "…" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCompareTable {
    /// The version as the exports name it, e.g. "regnskap".
    version: Printed,
    /// The year of this side (default: the first plan year).
    year: Option<CalendarYear>,
    /// What the report calls this side (default: the version and year).
    label: Option<Printed>,
}

/// The forms a compare side takes, for its messages (and, in English, its schema).
fn compare_side_forms(language: Language) -> String {
    // not a message: the TOML of a compare side, the same in every language
    let example = r#"{ version = "regnskap", year = 2023, label = "Regnskap 2023" }"#;
    messages::text_in(
        language,
        "config.compare_side_forms",
        &[("example", &example)],
    )
}

impl<'de> Deserialize<'de> for RawCompareSide {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Forms;
        impl<'de> Visitor<'de> for Forms {
            type Value = RawCompareSide;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(&compare_side_forms(messages::language()))
            }
            fn visit_str<E: de::Error>(self, version: &str) -> Result<RawCompareSide, E> {
                Printed::check(version.to_string())
                    .map(RawCompareSide::Version)
                    .map_err(E::custom)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawCompareSide, A::Error> {
                RawCompareTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawCompareSide::Table)
            }
        }
        deserializer.deserialize_any(Forms)
    }
}

impl JsonSchema for RawCompareSide {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CompareSide".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            // not a message: JSON Schema documentation, shipped in English in docs/
            "description": format!("One side of a comparison: {}.", compare_side_forms(Language::English)),
            "anyOf": [
                generator.subschema_for::<Printed>(),
                generator.subschema_for::<RawCompareTable>()
            ]
        })
    }
}

impl BudgetSection {
    /// The version the tables of one part show.
    pub(crate) fn version_of(&self, investering: bool) -> &str {
        match (investering, &self.investering_version) {
            (true, Some(version)) => version,
            _ => &self.version,
        }
    }

    /// The dimensions that group and detail the tables of one part: the investment budget
    /// may have its own (`investering_group_by`, `investering_detail_by`).
    pub(crate) fn grouping(&self, investering: bool) -> (Role, Option<Role>) {
        match (investering, self.investering_group_by) {
            (true, Some(group)) => (group, self.investering_detail_by.or(self.detail_by)),
            (true, None) => (self.group_by, self.investering_detail_by.or(self.detail_by)),
            (false, _) => (self.group_by, self.detail_by),
        }
    }

    /// The files the section reads by a key of their own (debt, population, deflator,
    /// tiltak, projects), with the key: none of them is an export.
    pub(crate) fn own_files(&self) -> Vec<(&'static str, &Path)> {
        [
            ("debt", self.debt.as_deref()),
            ("population", self.population.as_deref()),
            (
                "deflator",
                self.fixed_prices.as_ref().map(|(p, _)| p.as_path()),
            ),
            ("tiltak", self.tiltak.as_deref()),
            ("projects", self.projects.as_deref()),
        ]
        .into_iter()
        .filter_map(|(key, file)| Some((key, file?)))
        .collect()
    }
}

/// The unit, precision and rounding of printed tables.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Presentation {
    pub unit: crate::format::Unit,
    pub footing: crate::format::Footing,
    /// Warn in `check` when a year's balance is further from zero than this (kroner).
    pub balance_tolerance: rust_decimal::Decimal,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Output name: `output/<name>.pdf` (letters a–z, digits, '-', '_').
    pub name: String,
    /// The municipality, on the title page and in the PDF's metadata.
    #[serde(deserialize_with = "schema::printed")]
    #[schemars(with = "Printed")]
    pub municipality: String,
    /// The document the chapter belongs to, e.g. "Handlings- og økonomiplan 2023–2026".
    #[serde(deserialize_with = "schema::printed")]
    #[schemars(with = "Printed")]
    pub document: String,
    /// The report's title.
    #[serde(deserialize_with = "schema::printed")]
    #[schemars(with = "Printed")]
    pub title: String,
    /// The document date, e.g. 2022-11-01: printed and stored in the PDF, never the clock.
    #[schemars(schema_with = "schema::date_schema")]
    pub date: toml::value::Datetime,
    /// The template in the templates folder that renders this report.
    pub template: String,
    /// The document's status as the title page states it, e.g. "Kommunedirektørens forslag".
    #[serde(default, deserialize_with = "schema::printed_opt")]
    #[schemars(with = "Option<Printed>")]
    pub status: Option<String>,
    /// The language of the report's words: `templates/words/<language>.toml` (default `nb`).
    #[serde(default = "default_language")]
    pub language: String,
}

fn default_language() -> String {
    crate::words::REFERENCE.to_string()
}

/// A calendar date (the document date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// An inclusive span of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearSpan {
    pub first: i32,
    pub last: i32,
}

impl YearSpan {
    pub fn contains(&self, year: i32) -> bool {
        (self.first..=self.last).contains(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + use<> {
        self.first..=self.last
    }

    /// How many years the span holds (a span has at least one: `first ≤ last` is checked
    /// when the configuration is read).
    pub fn len(&self) -> i32 {
        self.last - self.first + 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 0
    }
}

#[derive(Debug, Clone)]
pub struct DataFiles {
    pub areas: PathBuf,
    pub(crate) programmes: PathBuf,
    pub(crate) phases: PathBuf,
    pub(crate) amounts: PathBuf,
    pub(crate) milestones: PathBuf,
    pub(crate) key_figures: PathBuf,
    /// The folder with the chapter's own text in Markdown (`<id>.md` per area and
    /// programme), if the report has one ([`crate::prose::chapter`]).
    pub(crate) prose: Option<PathBuf>,
}

/// `report.toml`: what a person writes, as read before it is checked for sense. Its JSON
/// Schema, generated from these declarations, is `docs/report.schema.json`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// The report's name, title page and template.
    report: ReportSection,
    /// The years the report covers.
    period: RawPeriod,
    /// The unit of the strategy chapter's amounts.csv (only with [data]).
    amounts: Option<RawAmounts>,
    /// The strategy chapter's CSV files, relative to report.toml.
    data: Option<RawDataFiles>,
    /// Real budget exports read through mapping profiles.
    budget: Option<RawBudget>,
    /// The proposed resolution at the end of the whole-budget report, and its own points.
    resolution: Option<resolution::RawResolution>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    /// The years of the økonomiplan, [first, last], e.g. [2023, 2026].
    #[serde(deserialize_with = "schema::pair")]
    plan: [CalendarYear; 2],
    /// The years the report covers and the timeline shows (default: the plan).
    #[serde(default, deserialize_with = "schema::pair_opt")]
    horizon: Option<[CalendarYear; 2]>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    /// The mapping profiles, one per export, relative to report.toml; or SSB's KOSTRA
    /// accounts files (skjema 0A–0D, 0I–0N, 0P, 0Q) as they are, recognised by their first
    /// record, with no profile.
    sources: Vec<PathBuf>,
    /// The version the tables per group show (default "budsjett").
    #[serde(default = "default_version", deserialize_with = "schema::printed")]
    #[schemars(with = "Printed")]
    version: String,
    /// The dimension that groups the tables (default "area").
    #[serde(default = "default_group")]
    group_by: String,
    /// The dimension listed inside each group (default "service"; "" for none).
    #[serde(default = "default_detail")]
    detail_by: Option<String>,
    /// In a report with both parts: the dimension that groups the investment part.
    investering_group_by: Option<String>,
    /// In a report with both parts: the dimension listed inside the investment part's groups.
    investering_detail_by: Option<String>,
    /// In a report with both parts: the investment part's version, when it differs.
    #[serde(default, deserialize_with = "schema::printed_opt")]
    #[schemars(with = "Option<Printed>")]
    investering_version: Option<String>,
    /// The order of the groups in every table.
    group_order: Option<RawGroupOrder>,
    /// The folder with the KOSTRA mapping (adds § 5-4 and § 5-5).
    statutory: Option<PathBuf>,
    /// The unit of every table.
    #[schemars(extend("enum" = BUDGET_UNITS.map(|(unit, _)| unit)))]
    unit: Option<String>,
    /// Decimals of every table, 0 to 4.
    #[schemars(range(min = 0, max = 4))]
    decimals: Option<i64>,
    /// How a half unit rounds.
    rounding: Option<crate::format::Rule>,
    /// How a rounded table is kept consistent.
    footing: Option<crate::format::Footing>,
    /// check warns when a year's balance is further from zero than this many kroner.
    #[schemars(range(min = 0))]
    balance_tolerance: Option<i64>,
    /// A series file (year;percent price growth): tables in fixed base-year kroner.
    deflator: Option<PathBuf>,
    /// The base year of fixed prices.
    base_year: Option<CalendarYear>,
    /// A series file (year;inhabitants): adds net per inhabitant.
    population: Option<PathBuf>,
    /// The change group that is the adopted budget of the current year: adds the bridge.
    bridge_start: Option<String>,
    /// Group codes the change bridge leaves out.
    #[serde(default)]
    bridge_exclude: Vec<String>,
    /// List every budget line, per group.
    #[serde(default)]
    listing: bool,
    /// The year whose KOSTRA chart the mapping uses (default: the first plan year).
    kostra_year: Option<CalendarYear>,
    /// Print the statutory overviews even when some lines fit no row.
    #[serde(default)]
    accept_unmapped: bool,
    /// Leave out groups and details whose every line is zero in the plan years.
    #[serde(default = "default_true")]
    hide_zero_rows: bool,
    /// The debt file for § 5-7.
    debt: Option<PathBuf>,
    /// Two versions to set side by side.
    #[serde(default)]
    compare: Vec<RawCompareSide>,
    /// History columns before the plan years, e.g. [{ version = "regnskap", year = 2022,
    /// label = "Regnskap 2022" }]: each a version in one year.
    #[serde(default)]
    history: Vec<RawHistorySide>,
    /// Print a report whose drift and investering disagree on a transfer between them.
    #[serde(default)]
    accept_transfer_difference: bool,
    /// A folder of Markdown files: one per group (`<code>.md`) printed before its tables,
    /// and `innledning.md`, the opening chapter.
    prose: Option<PathBuf>,
    /// The municipality's financial rules (handlingsregler): a key figure at least or at
    /// most a percent, judged per plan year on the key figures page.
    #[serde(default)]
    rules: Vec<crate::financial_rules::RawRule>,
    /// Open the report with a chart of the drift part's net per group for each plan year (at
    /// most 12 groups).
    #[serde(default)]
    front_chart: bool,
    /// The tiltak file (`id;sector;change_group;name;kind;year;amount;text`, amounts in
    /// `unit`): the named changes printed per group, summing to the change bridge (needs
    /// `bridge_start`).
    tiltak: Option<PathBuf>,
    /// The projects file (`project;name;sector;frame;before;year;vat;grants;sales;borrowing;
    /// drift;reserves`, amounts in `unit`): the investment projects per group with their cost
    /// frames, joined with the investment export by project code (needs `statutory`).
    projects: Option<PathBuf>,
    /// Projects accepted with a reason: without lines in the investment export, without a row
    /// in the projects file, or over their frame.
    #[serde(default)]
    accept_projects: Vec<RawAcceptedProject>,
}

/// A project accepted with a reason: `{ project = "4010", reason = "…" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAcceptedProject {
    /// The project's code, as the projects file and the investment export write it.
    project: Printed,
    /// Why the project is accepted as it is; printed under the projects' tables.
    reason: Printed,
}

fn default_true() -> bool {
    true
}

fn default_version() -> String {
    "budsjett".into()
}

/// `[budget] group_by` when the report leaves it out.
pub(crate) const DEFAULT_GROUP_BY: &str = "area";
/// `[budget] detail_by` when the report leaves it out.
pub(crate) const DEFAULT_DETAIL_BY: &str = "service";
/// `[budget] unit` when the report leaves it out.
pub(crate) const DEFAULT_UNIT: &str = "kr";
/// The units `[budget] unit` takes, and the scale each prints in.
pub(crate) const BUDGET_UNITS: [(&str, crate::format::Scale); 4] = [
    ("kr", crate::format::Scale::Kroner),
    ("1000 kr", crate::format::Scale::Thousands),
    ("mill. kr", crate::format::Scale::Millions),
    ("mrd. kr", crate::format::Scale::Billions),
];

/// The units amounts are written in (`[amounts] unit`, and a mapping profile's
/// `[source] unit`), and the factor of each to kroner.
pub(crate) const AMOUNTS_UNITS: [(&str, i64); 2] = [("kr", 1), ("1000 kr", 1000)];

/// The amounts units, quoted as the alternatives a message offers (`"kr" or "1000 kr"`).
pub(crate) fn amounts_units_offered() -> String {
    messages::alternatives(AMOUNTS_UNITS.map(|(unit, _)| unit))
}

/// The factor to kroner of an amounts unit ([`AMOUNTS_UNITS`]); `None` for any other text.
pub(crate) fn amounts_factor(unit: &str) -> Option<i64> {
    AMOUNTS_UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|&(_, factor)| factor)
}

fn default_group() -> String {
    DEFAULT_GROUP_BY.into()
}

fn default_detail() -> Option<String> {
    Some(DEFAULT_DETAIL_BY.into())
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAmounts {
    /// "kr" or "1000 kr".
    #[schemars(extend("enum" = AMOUNTS_UNITS.map(|(unit, _)| unit)))]
    unit: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDataFiles {
    areas: PathBuf,
    programmes: PathBuf,
    phases: PathBuf,
    amounts: PathBuf,
    milestones: PathBuf,
    key_figures: PathBuf,
    /// The folder with the chapter's own text: one Markdown file per area and programme,
    /// `<id>.md`, with live figures in double braces.
    prose: Option<PathBuf>,
}

impl Config {
    /// Reads and checks `report.toml`. Errors name the key and, where it is set, its line.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::input::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: crate::msg!("config.unreadable", error = crate::messages::io_error(&e)),
        })?;
        Self::from_text(path, &text)
    }

    /// Checks a report configuration's text as if read from `path`.
    pub fn from_text(path: &Path, text: &str) -> Result<Config, ConfigError> {
        Self::parse(path, text).map_err(
            |ConfigError { path, message }| match crate::error::key_line(&message, text) {
                Some(line) => ConfigError {
                    path,
                    message: crate::msg!("config.at_line", line, message),
                },
                None => ConfigError { path, message },
            },
        )
    }

    /// Checks a configuration's text section by section; errors name the key, and
    /// [`Config::from_text`] adds its line.
    fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let fail = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawConfig = schema::parse(text).map_err(|e| {
            fail(match e.line {
                Some(line) => crate::msg!("config.at_line", line, message = e.message),
                None => e.message,
            })
        })?;

        let report = raw.report;
        let date = report_date(&report).map_err(fail)?;
        let (plan, horizon) = period(&raw.period).map_err(fail)?;
        let unit_factor = amounts_unit(raw.amounts, raw.data.is_some()).map_err(fail)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let data = raw.data.map(|d| DataFiles {
            areas: folder.join(d.areas),
            programmes: folder.join(d.programmes),
            phases: folder.join(d.phases),
            amounts: folder.join(d.amounts),
            milestones: folder.join(d.milestones),
            key_figures: folder.join(d.key_figures),
            prose: d.prose.map(|p| folder.join(p)),
        });
        let budget = match raw.budget {
            None => None,
            Some(b) => Some(budget_section(b, (path, text), folder, plan).map_err(fail)?),
        };
        if data.is_none() && budget.is_none() {
            return Err(fail(crate::msg!("config.no_data")));
        }
        let resolution = match raw.resolution {
            None => None,
            Some(r) => Some(resolution::check(r, budget.as_ref()).map_err(fail)?),
        };
        Ok(Config {
            path: path.to_path_buf(),
            report,
            date,
            plan,
            horizon,
            unit_factor,
            data,
            budget,
            resolution,
            words: crate::words::Words::default(),
        })
    }
}

/// The JSON Schema of `report.toml`, as shipped in `docs/report.schema.json`.
pub fn json_schema() -> String {
    schema::to_json(schemars::schema_for!(RawConfig), "budsjett report.toml")
}

/// Checks `[report]`'s name (a file name; its printed texts are checked as they are read,
/// [`schema::Printed`]); returns its date.
fn report_date(report: &ReportSection) -> Result<Date, String> {
    if report.name.is_empty()
        || !report
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        let name = format!("{:?}", report.name);
        return Err(crate::msg!("config.report_name", name));
    }
    match report.date.date {
        Some(d) if report.date.time.is_none() => Ok(Date {
            year: i32::from(d.year),
            month: d.month,
            day: d.day,
        }),
        _ => Err(crate::msg!("config.report_date", date = report.date)),
    }
}

/// `[period]`: the plan years and the horizon (the plan when not given), the plan inside it.
fn period(period: &RawPeriod) -> Result<(YearSpan, YearSpan), String> {
    let span = |name: &str, [first, last]: [CalendarYear; 2]| {
        if first <= last {
            Ok(YearSpan {
                first: first.0,
                last: last.0,
            })
        } else {
            Err(crate::msg!(
                "config.period_reversed",
                name,
                first = first.0,
                last = last.0
            ))
        }
    };
    let plan = span("plan", period.plan)?;
    let horizon = span("horizon", period.horizon.unwrap_or(period.plan))?;
    if !(horizon.contains(plan.first) && horizon.contains(plan.last)) {
        return Err(crate::msg!(
            "config.plan_outside_horizon",
            first = plan.first,
            last = plan.last,
            horizon_first = horizon.first,
            horizon_last = horizon.last
        ));
    }
    Ok((plan, horizon))
}

/// The factor of the strategy chapter's amounts (`[amounts] unit`), only with a `[data]`
/// section.
fn amounts_unit(amounts: Option<RawAmounts>, has_data: bool) -> Result<i64, String> {
    if amounts.is_some() && !has_data {
        return Err(crate::msg!("config.amounts_unit_without_data"));
    }
    let unit = amounts.map_or_else(|| "kr".to_string(), |a| a.unit);
    let unit = unit.trim();
    amounts_factor(unit).ok_or_else(|| {
        let unit = format!("{unit:?}");
        let expected = amounts_units_offered();
        crate::msg!("config.amounts_unit", unit, expected)
    })
}

/// The dimensions `[budget]` groups and details by: group_by, detail_by and their
/// investering variants.
struct Grouping {
    group_by: Role,
    detail_by: Option<Role>,
    investering_group_by: Option<Role>,
    investering_detail_by: Option<Role>,
}

/// Reads `[budget]`'s grouping; an unknown name is refused with the names known, "" is no
/// detail, and a detail the same as the group is refused.
fn grouping(b: &RawBudget) -> Result<Grouping, String> {
    let role = |key: &str, name: &str| {
        name.parse::<Role>()
            // not a message: the key's path before the reason the name's parser words
            .map_err(|unknown| format!("budget.{key}: {unknown}"))
    };
    let group_by = role("group_by", &b.group_by)?; // not a message: a key name
    let detail = |key: &str, name: &Option<String>| match name.as_deref() {
        None | Some("") => Ok(None),
        Some(name) => role(key, name).map(Some),
    };
    let detail_by = detail("detail_by", &b.detail_by)?; // not a message: a key name
    let investering_group_by = b
        .investering_group_by
        .as_deref()
        .map(|name| role("investering_group_by", name)) // not a message: a key name
        .transpose()?;
    // not a message: a key name
    let investering_detail_by = detail("investering_detail_by", &b.investering_detail_by)?;
    if detail_by == Some(group_by) {
        let name = format!("{:?}", group_by.name());
        return Err(crate::msg!("config.detail_same_as_group", name));
    }
    // The investment part's group falls back to group_by.
    let investering_group = investering_group_by.unwrap_or(group_by);
    if investering_detail_by == Some(investering_group) {
        let name = format!("{:?}", investering_group.name());
        return Err(crate::msg!("config.investering_detail_same_as_group", name));
    }
    Ok(Grouping {
        group_by,
        detail_by,
        investering_group_by,
        investering_detail_by,
    })
}

/// How `[budget]`'s tables print money: unit, decimals, rounding, footing and the balance
/// tolerance.
fn presentation(b: &RawBudget) -> Result<Presentation, String> {
    let unit = b.unit.as_deref().unwrap_or(DEFAULT_UNIT);
    let Some(&(_, scale)) = BUDGET_UNITS.iter().find(|(name, _)| *name == unit) else {
        let unit = format!("{unit:?}");
        let expected = messages::alternatives(BUDGET_UNITS.map(|(name, _)| name));
        return Err(crate::msg!("config.budget_unit", unit, expected));
    };
    let decimals = match b.decimals.unwrap_or(0) {
        // Read as any integer, so that a negative one gets this message too.
        d @ 0..=4 => d as u32,
        decimals => return Err(crate::msg!("config.budget_decimals", decimals)),
    };
    Ok(Presentation {
        unit: crate::format::Unit {
            scale,
            decimals,
            rule: b.rounding.unwrap_or_default(),
        },
        footing: b.footing.unwrap_or_default(),
        balance_tolerance: rust_decimal::Decimal::from(b.balance_tolerance.unwrap_or(0)),
    })
}

/// `budget.group_order`: by code, as the sources list them, or a list of groups, each named
/// once. (That each names a group of the exports is checked when they are read.)
fn group_order(order: Option<RawGroupOrder>) -> Result<GroupOrder, String> {
    match order {
        None => Ok(GroupOrder::Code),
        Some(RawGroupOrder::Named(name)) => match name.as_str() {
            "code" => Ok(GroupOrder::Code),
            "source" => Ok(GroupOrder::Source),
            other => {
                let found = format!("{other:?}");
                let forms = group_order_forms(messages::language());
                Err(crate::msg!("config.group_order_unknown", found, forms))
            }
        },
        Some(RawGroupOrder::Listed(list)) => {
            if list.is_empty() {
                let forms = group_order_forms(messages::language());
                return Err(crate::msg!("config.group_order_empty", forms));
            }
            let twice = list
                .iter()
                .enumerate()
                .find(|(i, g)| g.trim().is_empty() || list[..*i].contains(g));
            if let Some((_, group)) = twice {
                let quoted = format!("{group:?}");
                return Err(if group.trim().is_empty() {
                    crate::msg!("config.group_order_blank", group = quoted)
                } else {
                    crate::msg!("config.group_order_twice", group = quoted)
                });
            }
            Ok(GroupOrder::Listed(list))
        }
    }
}

/// The name that means the report's own KOSTRA tables: the folder `kostra` beside
/// report.toml where there is one, the built-in tables where it has no file (or there is no
/// such folder).
pub(crate) const KOSTRA_FOLDER: &str = "kostra";

/// `budget.statutory`: the folder whose KOSTRA tables override the built-in ones file by file.
/// `"kostra"` may name a folder that does not exist (the built-in tables, all of them); any
/// other folder must exist, so that a misspelt folder is not silently the built-in tables.
fn statutory_folder(raw: Option<PathBuf>, folder: &Path) -> Result<Option<PathBuf>, String> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let resolved = folder.join(&raw);
    if raw != Path::new(KOSTRA_FOLDER) && !resolved.is_dir() {
        let found = format!("{:?}", raw.display().to_string());
        return Err(crate::msg!(
            "config.statutory_not_a_folder",
            found,
            folder = resolved.display(),
            kostra = KOSTRA_FOLDER
        ));
    }
    Ok(Some(resolved))
}

/// `budget.compare`: none or two sides, each labelled by the report or by its version (and
/// year); two sides that are one version in one year, or that print one label, compare
/// nothing.
fn compare_sides(compare: Vec<RawCompareSide>, plan: YearSpan) -> Result<Vec<CompareSide>, String> {
    if !compare.is_empty() && compare.len() != 2 {
        return Err(crate::msg!("config.compare_count", count = compare.len()));
    }
    let sides: Vec<CompareSide> = compare
        .into_iter()
        .map(|side| match side {
            RawCompareSide::Version(Printed(version)) => CompareSide {
                label: version.clone(),
                version,
                year: None,
                by_service: false,
            },
            RawCompareSide::Table(RawCompareTable {
                version: Printed(version),
                year,
                label,
            }) => CompareSide {
                label: label.map_or_else(
                    || match year {
                        Some(y) => format!("{version} {}", y.0),
                        None => version.clone(),
                    },
                    |l| l.0,
                ),
                version,
                year: year.map(|y| y.0),
                by_service: false,
            },
        })
        .collect();
    if let [a, b] = sides.as_slice() {
        let year = |side: &CompareSide| side.year.unwrap_or(plan.first);
        if a.version == b.version && year(a) == year(b) {
            let version = format!("{:?}", a.version);
            return Err(crate::msg!(
                "config.compare_same_version",
                version,
                year = year(a)
            ));
        }
        if a.label == b.label {
            let label = format!("{:?}", a.label);
            return Err(crate::msg!("config.compare_same_label", label));
        }
    }
    Ok(sides)
}

/// `budget.kostra_year`: a year of the KOSTRA chart, from its first (2001) to the last plan
/// year (an export keeps the chart of the year it was made, never a later one).
fn kostra_year(year: Option<CalendarYear>, plan: YearSpan) -> Result<Option<i32>, String> {
    const FIRST_KOSTRA_YEAR: i32 = 2001;
    match year {
        Some(CalendarYear(year)) if !(FIRST_KOSTRA_YEAR..=plan.last).contains(&year) => {
            Err(crate::msg!(
                "config.kostra_year",
                year,
                first = FIRST_KOSTRA_YEAR,
                last = plan.last
            ))
        }
        _ => Ok(year.map(|y| y.0)),
    }
}

/// `budget.projects` and `accept_projects` (issue 27): the projects need § 5-5 (their
/// financing is tied to its rows), and each accepted project is named once, with a reason.
fn accepted_projects(b: &RawBudget) -> Result<Vec<(String, String)>, String> {
    if b.projects.is_some() && b.statutory.is_none() {
        return Err(crate::msg!("projects.without_statutory"));
    }
    if b.projects.is_none() && !b.accept_projects.is_empty() {
        return Err(crate::msg!("projects.accept_without_file"));
    }
    let mut accepted: Vec<(String, String)> = Vec::new();
    for a in &b.accept_projects {
        let project = a.project.0.clone();
        if accepted.iter().any(|(p, _)| *p == project) {
            let project = format!("{project:?}");
            return Err(crate::msg!("projects.accepted_twice", project));
        }
        accepted.push((project, a.reason.0.clone()));
    }
    Ok(accepted)
}

/// Every input is read once: the tiltak and projects files may not be a file another key
/// names (issue 27).
fn read_once(
    (own, file): (&str, Option<&PathBuf>),
    others: &[(&str, Option<PathBuf>)],
) -> Result<(), String> {
    let Some(file) = file else {
        return Ok(());
    };
    for (key, other) in others {
        if let Some(other) = other
            && crate::input::same_file(file, other)
        {
            return Err(crate::msg!("tiltak.read_twice", own, key));
        }
    }
    Ok(())
}

/// A source named in `budget.sources` that another key of `[budget]` names too (a tiltak or
/// projects file listed as if it were an export) is refused as read twice, by the key that
/// reads it: it is not a profile, and its lines would be read as budget lines.
fn sources_read_once(
    sources: &[PathBuf],
    folder: &Path,
    (files, tiltak): (&[(&str, Option<PathBuf>)], Option<&PathBuf>),
) -> Result<(), String> {
    let taken: Vec<(&str, &PathBuf)> = files
        .iter()
        .filter_map(|(key, file)| Some((*key, file.as_ref()?)))
        .chain(tiltak.map(|file| ("tiltak", file)))
        .collect();
    for source in sources {
        let path = folder.join(source);
        if let Some((key, _)) = taken
            .iter()
            .find(|(_, file)| crate::input::same_file(&path, file))
        {
            let file = format!("{:?}", source.display().to_string());
            return Err(crate::msg!("tiltak.source_read_as", file, key));
        }
    }
    Ok(())
}

/// Reads `[budget]`, its paths relative to the configuration's folder.
fn budget_section(
    b: RawBudget,
    (path, text): (&Path, &str),
    folder: &Path,
    plan: YearSpan,
) -> Result<BudgetSection, String> {
    let grouping = grouping(&b)?;
    if let Some(tolerance) = b.balance_tolerance.filter(|t| *t < 0) {
        return Err(crate::msg!("config.balance_tolerance", tolerance));
    }
    if b.bridge_start.is_none() && !b.bridge_exclude.is_empty() {
        return Err(crate::msg!("config.bridge_exclude_without_start"));
    }
    if b.bridge_start.is_none() && b.tiltak.is_some() {
        return Err(crate::msg!("tiltak.without_bridge"));
    }
    let accept_projects = accepted_projects(&b)?;
    if b.sources.is_empty() {
        return Err(crate::msg!("config.no_sources"));
    }
    let presentation = presentation(&b)?;
    let group_order = group_order(b.group_order)?;
    let fixed_prices = match (b.deflator, b.base_year) {
        (Some(file), Some(year)) => Some((folder.join(file), year.0)),
        (None, None) => None,
        _ => {
            return Err(crate::msg!("config.fixed_prices_incomplete"));
        }
    };
    let compare = compare_sides(b.compare, plan)?;
    let kostra_year = kostra_year(b.kostra_year, plan)?;
    let tiltak = b.tiltak.map(|p| folder.join(p));
    let projects = b.projects.map(|p| folder.join(p));
    let files = [
        ("debt", b.debt.as_ref().map(|p| folder.join(p))),
        ("population", b.population.as_ref().map(|p| folder.join(p))),
        ("deflator", fixed_prices.as_ref().map(|(p, _)| p.clone())),
        ("projects", projects.clone()),
    ];
    read_once(("tiltak", tiltak.as_ref()), &files)?;
    read_once(("projects", projects.as_ref()), &files[..3])?;
    sources_read_once(&b.sources, folder, (&files, tiltak.as_ref()))?;
    let own_versions = [Some(&b.version), b.investering_version.as_ref()];
    let history = history_sides(b.history, plan, &own_versions)?;
    if fixed_prices.is_some() && !history.is_empty() {
        // A history column is in the kroner of its own year; the price index covers the plan.
        return Err(crate::msg!("history.fixed_prices"));
    }
    Ok(BudgetSection {
        config: path.to_path_buf(),
        config_text: text.into(),
        sources: b.sources.into_iter().map(|p| folder.join(p)).collect(),
        version: b.version,
        group_by: grouping.group_by,
        detail_by: grouping.detail_by,
        investering_group_by: grouping.investering_group_by,
        investering_version: b.investering_version,
        group_order,
        investering_detail_by: grouping.investering_detail_by,
        statutory: statutory_folder(b.statutory, folder)?,
        fixed_prices,
        population: b.population.map(|p| folder.join(p)),
        bridge: b.bridge_start.map(|start| (start, b.bridge_exclude)),
        listing: b.listing,
        kostra_year,
        accept_unmapped: b.accept_unmapped,
        hide_zero_rows: b.hide_zero_rows,
        debt: b.debt.map(|p| folder.join(p)),
        compare,
        history,
        accept_transfer_difference: b.accept_transfer_difference,
        sector_of_whole: false,
        prose: b.prose.map(|p| folder.join(p)),
        rules: crate::financial_rules::rules(b.rules)?,
        front_chart: b.front_chart,
        tiltak,
        projects,
        accept_projects,
        presentation,
    })
}

// issue 26, history columns: `budget.history`, the versions of earlier years printed as
// columns before the plan years.

/// A history column: `{ version = "regnskap", year = 2022, label = "Regnskap 2022" }`, the
/// table form of a compare side with its year required (a history side is of a year of its
/// own, never by default a plan year).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawHistorySide {
    /// The version as the sources name it, e.g. "regnskap" (a KOSTRA file's) or "vedtatt".
    version: Printed,
    /// The year of this column.
    year: CalendarYear,
    /// The column's head (default: the version and year).
    label: Option<Printed>,
    /// "by_service": place each line of this side in the group (e.g. tjenesteområde) its
    /// funksjon has in the report's own lines, for a KOSTRA file, which has no tjenesteområde.
    groups: Option<HistoryGroups>,
}

/// How a history side's lines find their groups (issue 26, history by funksjon).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum HistoryGroups {
    /// By funksjon (`service`): each line in the group its funksjon has in the report's own
    /// lines; a funksjon in two groups, or in none, is a problem.
    ByService,
}

/// `budget.history`: each side a version in a year, labelled; no side twice, no label twice
/// nor a plan year as a label (the heads must tell the columns apart), and no side that is a plan year of the report's
/// own version (that column is printed already).
fn history_sides(
    raw: Vec<RawHistorySide>,
    plan: YearSpan,
    own_versions: &[Option<&String>],
) -> Result<Vec<CompareSide>, String> {
    let mut sides: Vec<CompareSide> = Vec::new();
    for RawHistorySide {
        version: Printed(version),
        year: CalendarYear(year),
        label,
        groups,
    } in raw
    {
        let label = label.map_or_else(|| format!("{version} {year}"), |l| l.0);
        let quoted = format!("{version:?}");
        if own_versions.iter().flatten().any(|v| **v == version) && plan.contains(year) {
            return Err(crate::msg!("history.plan_year", version = quoted, year));
        }
        if sides
            .iter()
            .any(|s| s.version == version && s.year == Some(year))
        {
            return Err(crate::msg!("history.twice", version = quoted, year));
        }
        if sides.iter().any(|s| s.label == label) {
            let label = format!("{label:?}");
            return Err(crate::msg!("history.same_label", label));
        }
        // A plan year's column is headed by its year: a side labelled so would be a second
        // column with that head, and the tables would not tell the two apart.
        if plan.years().any(|y| y.to_string() == label.trim()) {
            let label = format!("{label:?}");
            return Err(crate::msg!("history.label_is_plan_year", label));
        }
        sides.push(CompareSide {
            version,
            year: Some(year),
            label,
            by_service: matches!(groups, Some(HistoryGroups::ByService)),
        });
    }
    Ok(sides)
}
