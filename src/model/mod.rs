//! The typed records of a report's data, as read from the CSV files, each with the line it
//! came from so that later stages can point back at the source.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

pub mod kostra;
pub mod ledger;

/// Everything the data folder holds for one report.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub areas: Table<Area>,
    pub(crate) programmes: Table<Programme>,
    pub(crate) phases: Table<Phase>,
    pub(crate) amounts: Table<Amount>,
    pub(crate) milestones: Table<Milestone>,
    pub(crate) key_figures: Table<KeyFigure>,
}

/// The rows of one CSV file, with its header so a column can be named in an error.
#[derive(Debug, Clone)]
pub struct Table<T> {
    pub file: PathBuf,
    pub(crate) headers: Vec<String>,
    pub rows: Vec<Row<T>>,
}

/// A record and the 1-based line it starts on.
#[derive(Debug, Clone)]
pub struct Row<T> {
    pub line: u64,
    pub(crate) record: T,
}

impl<T> Table<T> {
    pub fn records(&self) -> impl Iterator<Item = &T> {
        self.rows.iter().map(|row| &row.record)
    }

    /// A problem with the cell in `column` of `row`.
    pub(crate) fn error_at(
        &self,
        row: &Row<T>,
        column: &str,
        message: String,
    ) -> crate::error::DataError {
        let error = crate::error::DataError::new(&self.file, message).at_line(row.line);
        match self.headers.iter().position(|h| h == column) {
            Some(index) => error.at_column(index, column),
            None => error,
        }
    }
}

/// A group of programmes that forms one chapter section (e.g. "Områdesatsinger").
#[derive(Debug, Clone, Deserialize)]
pub struct Area {
    pub id: Id,
    pub name: Text,
}

/// A programme, project or strategy that the chapter describes.
#[derive(Debug, Clone, Deserialize)]
pub struct Programme {
    pub id: Id,
    pub name: Text,
    pub area: Id,
}

/// One phase of a programme on the timeline. An empty year means the period is open there.
#[derive(Debug, Clone, Deserialize)]
pub struct Phase {
    pub(crate) programme: Id,
    pub label: Text,
    #[serde(deserialize_with = "optional")]
    pub(crate) first_year: Option<Year>,
    #[serde(deserialize_with = "optional")]
    pub(crate) last_year: Option<Year>,
}

/// An amount of money tied to a programme and a period.
#[derive(Debug, Clone, Deserialize)]
pub struct Amount {
    pub(crate) programme: Id,
    #[serde(deserialize_with = "optional")]
    pub(crate) first_year: Option<Year>,
    pub(crate) last_year: Year,
    pub(crate) basis: Basis,
    pub kind: Kind,
    pub source: Text,
    /// In the unit of the data files until loading scales it to kroner.
    pub amount: Money,
}

/// Whether an amount is a total for its whole period or the amount in each of its years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Basis {
    /// "20 mill. kr in the period 2021–2023": known only as a sum, never split into years.
    PeriodTotal,
    /// "20 mill. kr per year": the same amount in every year of the period.
    PerYear,
}

/// What kind of money an amount is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Kind {
    /// Operating budget of the municipality.
    Drift,
    /// Investment budget of the municipality.
    Investering,
    /// Money from others (e.g. state investment): described, never summed into the budget.
    External,
}

/// A dated event on the timeline: a year, a month or a day.
#[derive(Debug, Clone, Deserialize)]
pub struct Milestone {
    #[serde(deserialize_with = "optional")]
    pub(crate) programme: Option<Id>,
    pub date: MilestoneDate,
    pub label: Text,
}

/// A number the prose refers to that is not money, e.g. inhabitants in 2050.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyFigure {
    pub id: Id,
    #[serde(deserialize_with = "optional")]
    pub(crate) programme: Option<Id>,
    pub label: Text,
    pub value: Money,
    pub unit: Text,
    #[serde(deserialize_with = "optional")]
    pub year: Option<Year>,
}

/// An identifier: letters, digits, '-' and '_' (it can name a template file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Id(pub String);

/// Non-empty text, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Text(pub String);

/// A calendar year between 1900 and 2200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Year(pub i32);

/// An exact amount written the Norwegian way (see [`crate::amount`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Money(pub Decimal);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct MilestoneDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Id {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let text = text.trim();
        if !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            Ok(Id(text.to_string()))
        } else if text.is_empty() {
            Err(crate::msg!("model.id_empty"))
        } else {
            Err(crate::msg!("model.id", text = format!("{text:?}")))
        }
    }
}

impl TryFrom<String> for Text {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            Err(crate::msg!("model.text_empty"))
        } else {
            Ok(Text(text.to_string()))
        }
    }
}

impl Year {
    pub const FIRST: i32 = 1900;
    pub const LAST: i32 = 2200;
    /// The years a file may name: any other number is a mistake.
    pub const RANGE: std::ops::RangeInclusive<i32> = Year::FIRST..=Year::LAST;
}

impl TryFrom<String> for Year {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.trim().parse::<i32>() {
            Ok(year) if Year::RANGE.contains(&year) => Ok(Year(year)),
            _ => Err(crate::msg!(
                "model.year",
                text = format!("{:?}", text.trim())
            )),
        }
    }
}

impl TryFrom<String> for Money {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        crate::amount::parse(&text)
            .map(Money)
            .map_err(|e| e.to_string())
    }
}

impl TryFrom<String> for Basis {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.trim() {
            "period_total" => Ok(Basis::PeriodTotal),
            "per_year" => Ok(Basis::PerYear),
            other => Err(crate::msg!("model.basis", other = format!("{other:?}"))),
        }
    }
}

impl TryFrom<String> for Kind {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.trim() {
            "drift" => Ok(Kind::Drift),
            "investering" => Ok(Kind::Investering),
            "external" => Ok(Kind::External),
            other => Err(crate::msg!("model.kind", other = format!("{other:?}"))),
        }
    }
}

impl FromStr for MilestoneDate {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || crate::msg!("model.milestone_date", text = format!("{text:?}"));
        let mut parts = text.trim().split('-');
        let year = parts
            .next()
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| (1900..=2200).contains(y));
        let month = parts
            .next()
            .map(|m| m.parse::<u8>().ok().filter(|m| (1..=12).contains(m)));
        let day = parts
            .next()
            .map(|d| d.parse::<u8>().ok().filter(|d| (1..=31).contains(d)));
        if parts.next().is_some() {
            return Err(bad());
        }
        match (year, month, day) {
            (Some(year), None, None) => Ok(MilestoneDate {
                year,
                month: None,
                day: None,
            }),
            (Some(year), Some(Some(m)), None) => Ok(MilestoneDate {
                year,
                month: Some(m),
                day: None,
            }),
            (Some(year), Some(Some(m)), Some(Some(d))) if d <= days_in_month(year, m) => {
                Ok(MilestoneDate {
                    year,
                    month: Some(m),
                    day: Some(d),
                })
            }
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for MilestoneDate {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

/// Reads an optional cell: empty means `None`, anything else must parse as `T`.
fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<String, Error = String>,
{
    let text = String::deserialize(deserializer)?;
    if text.trim().is_empty() {
        Ok(None)
    } else {
        T::try_from(text)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

/// The number of days in a month of the Gregorian calendar.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// A dimension a profile can name: the role a column of codes or names plays in an export.
/// Arrays of per-dimension data (a line's value ids, a source's KOSTRA positions) are indexed
/// by [`Role::index`], in the order of [`Role::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Area,
    Service,
    Responsibility,
    Art,
    Department,
    Project,
    Programme,
    ChangeGroup,
}

impl Role {
    /// Every role, in index order (the order profiles list their dimensions in).
    pub(crate) const ALL: [Role; 8] = [
        Role::Area,
        Role::Service,
        Role::Responsibility,
        Role::Art,
        Role::Department,
        Role::Project,
        Role::Programme,
        Role::ChangeGroup,
    ];

    /// The number of roles: the length of arrays indexed by role.
    pub const COUNT: usize = Role::ALL.len();

    /// The role's place in [`Role::ALL`] and in arrays indexed by role.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The name profiles and report configurations use (`area`, `change_group`).
    pub const fn name(self) -> &'static str {
        match self {
            Role::Area => "area",
            Role::Service => "service",
            Role::Responsibility => "responsibility",
            Role::Art => "art",
            Role::Department => "department",
            Role::Project => "project",
            Role::Programme => "programme",
            Role::ChangeGroup => "change_group",
        }
    }

    /// What a finance officer calls the dimension, for messages that list the roles.
    pub const fn what(self) -> &'static str {
        match self {
            Role::Area => "tjenesteområde / bevilgningsområde",
            Role::Service => "tjeneste / funksjon",
            Role::Responsibility => "ansvar",
            Role::Art => "art",
            Role::Department => "avdeling / virksomhet",
            Role::Project => "prosjekt",
            Role::Programme => "program",
            Role::ChangeGroup => "endringsgruppe",
        }
    }

    /// The names of every role, for "expected one of …" in messages.
    pub fn names() -> String {
        Role::ALL.map(Role::name).join(", ")
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dimension name that is no [`Role`]; its message lists the known names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = format!("{:?}", self.0);
        let names = Role::names();
        f.write_str(
            &match crate::error::nearest(&self.0, Role::ALL.map(Role::name)) {
                Some(near) => crate::msg!(
                    "model.unknown_role_near",
                    found,
                    names,
                    near = format!("{near:?}")
                ),
                None => crate::msg!("model.unknown_role", found, names),
            },
        )
    }
}

impl FromStr for Role {
    type Err = UnknownRole;

    /// The exact name (`"change_group"`); nothing else, so that a misspelt dimension is an
    /// error where it is written and never falls back to another dimension.
    fn from_str(name: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == name)
            .ok_or_else(|| UnknownRole(name.to_string()))
    }
}

/// The two budgets of a municipality (kommuneloven § 14-4): the operating budget and the
/// investment budget. Each export belongs to one; no figure is ever added across them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Drift,
    Investering,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_their_config_names_and_nothing_else() {
        let names = [
            "area",
            "service",
            "responsibility",
            "art",
            "department",
            "project",
            "programme",
            "change_group",
        ];
        for (i, name) in names.iter().enumerate() {
            let role: Role = name.parse().unwrap();
            assert_eq!(role.index(), i);
            assert_eq!(role.to_string(), *name);
            assert_eq!(Role::ALL[i], role);
        }
        for bad in ["Area", "areas", "", "change-group", "omrade"] {
            assert!(bad.parse::<Role>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "change-group".parse::<Role>().unwrap_err().to_string(),
            "found the dimension \"change-group\", expected one of area, service, \
             responsibility, art, department, project, programme, change_group (hint: did you \
             mean \"change_group\"?)"
        );
        assert_eq!(
            "omrade".parse::<Role>().unwrap_err().to_string(),
            "found the dimension \"omrade\", expected one of area, service, responsibility, \
             art, department, project, programme, change_group"
        );
    }

    #[test]
    fn milestone_dates_must_exist() {
        assert!("2022-02-30".parse::<MilestoneDate>().is_err());
        assert!("2023-02-29".parse::<MilestoneDate>().is_err());
        assert!("2024-02-29".parse::<MilestoneDate>().is_ok());
        assert!("2022-01-01".parse::<MilestoneDate>().is_ok());
        assert!("2022-13".parse::<MilestoneDate>().is_err());
    }
}
