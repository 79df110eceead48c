//! The report configuration (`report.toml`): title, municipality, periods, unit, template and
//! where the data files are. Read once, checked for sense, then passed down the pipeline.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// A checked report configuration with paths resolved against the file's folder.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub report: ReportSection,
    pub date: Date,
    pub plan: YearSpan,
    pub horizon: YearSpan,
    /// Kroner per unit of the amounts in the data files (1 for "kr", 1000 for "1000 kr").
    pub unit_factor: i64,
    pub data: DataFiles,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Output name: `output/<name>.pdf`.
    pub name: String,
    pub municipality: String,
    /// The document the chapter belongs to, e.g. "Handlings- og økonomiplan 2023–2026".
    pub document: String,
    pub title: String,
    pub date: toml::value::Datetime,
    /// The template in the templates folder that renders this report.
    pub template: String,
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

    pub fn len(&self) -> i32 {
        self.last - self.first + 1
    }
}

#[derive(Debug, Clone)]
pub struct DataFiles {
    pub areas: PathBuf,
    pub programmes: PathBuf,
    pub phases: PathBuf,
    pub amounts: PathBuf,
    pub milestones: PathBuf,
    pub key_figures: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    report: ReportSection,
    period: RawPeriod,
    amounts: RawAmounts,
    data: RawDataFiles,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    plan: [i32; 2],
    horizon: [i32; 2],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmounts {
    unit: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataFiles {
    areas: PathBuf,
    programmes: PathBuf,
    phases: PathBuf,
    amounts: PathBuf,
    milestones: PathBuf,
    key_figures: PathBuf,
}

impl Config {
    /// Reads and checks `report.toml`.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let fail = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(format!("cannot read the report configuration: {e}")))?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let line = text[..span.start].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            fail(format!("{place}{}", e.message()))
        })?;

        let report = raw.report;
        if report.name.is_empty()
            || !report
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(fail(format!(
                "report.name: found {:?}, expected a file name of letters a–z, digits, '-' or '_'",
                report.name
            )));
        }
        let date = match report.date.date {
            Some(d) if report.date.time.is_none() => Date {
                year: i32::from(d.year),
                month: d.month,
                day: d.day,
            },
            _ => {
                return Err(fail(format!(
                    "report.date: found {}, expected a date such as 2022-11-01",
                    report.date
                )));
            }
        };
        let span = |name: &str, [first, last]: [i32; 2]| {
            if first <= last && (1900..=2200).contains(&first) && (1900..=2200).contains(&last) {
                Ok(YearSpan { first, last })
            } else {
                Err(fail(format!(
                    "period.{name}: found [{first}, {last}], expected [first year, last year] \
                     such as [2023, 2026]"
                )))
            }
        };
        let plan = span("plan", raw.period.plan)?;
        let horizon = span("horizon", raw.period.horizon)?;
        if !(horizon.contains(plan.first) && horizon.contains(plan.last)) {
            return Err(fail(format!(
                "period.plan {}–{} must lie inside period.horizon {}–{}",
                plan.first, plan.last, horizon.first, horizon.last
            )));
        }
        let unit_factor = match raw.amounts.unit.trim() {
            "kr" => 1,
            "1000 kr" => 1000,
            other => {
                return Err(fail(format!(
                    "amounts.unit: found {other:?}, expected \"kr\" or \"1000 kr\""
                )));
            }
        };
        let folder = path.parent().unwrap_or(Path::new("."));
        let data = DataFiles {
            areas: folder.join(raw.data.areas),
            programmes: folder.join(raw.data.programmes),
            phases: folder.join(raw.data.phases),
            amounts: folder.join(raw.data.amounts),
            milestones: folder.join(raw.data.milestones),
            key_figures: folder.join(raw.data.key_figures),
        };
        Ok(Config {
            path: path.to_path_buf(),
            report,
            date,
            plan,
            horizon,
            unit_factor,
            data,
        })
    }
}
