//! Present: turns validated records and exact totals into the view model templates read.
//!
//! The view model holds exact amounts (decimal strings, formatted by the template filters at
//! the moment they are printed) and everything a chart needs already computed: positions as
//! percentages of an axis, tick labels, alternative text. Templates decide how things look,
//! never what the numbers are.
//!
//! This module holds the report's root ([`Report`], [`Meta`]) and its colophon; the strategy
//! chapter lives in [`chapter`] with its charts in [`charts`], the whole budget in [`budget`].

use serde::Serialize;

use crate::aggregate::Totals;
use crate::config::{BudgetSection, Config, YearSpan};
use crate::format;
use crate::model::Dataset;

pub mod budget;
pub(crate) mod chapter;
pub(crate) mod charts;
pub(crate) mod compare;
pub(crate) mod rounding;
pub(crate) mod sector;
pub(crate) mod table;

use chapter::{Chapter, present_chapter};

pub use table::{GroupTable, PrintedRow, PrintedTable};

/// Everything a report template can use.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub(crate) meta: Meta,
    /// The strategy chapter, when the report has `[data]`; its fields appear at the top level.
    #[serde(flatten)]
    pub(crate) chapter: Option<Chapter>,
    /// The whole budget from real exports, when the report has `[budget]`.
    pub budget: Option<budget::BudgetView>,
    /// Every input with its SHA-256, the program and the rules the figures follow; set by
    /// [`colophon`] once the inputs are fingerprinted (none in a view built without them).
    pub colophon: Option<Colophon>,
}

/// The colophon: what the report was made from and how.
#[derive(Debug, Clone, Serialize)]
pub struct Colophon {
    pub files: Vec<ColophonFile>,
    /// The SHA-256 over all files' SHA-256 values (see [`crate::fingerprint::Fingerprint`]).
    pub digest: String,
    /// The program and its version, e.g. "budsjett 0.1.0".
    pub program: String,
    /// The KOSTRA mapping folder and the digest of its files, when the report uses it.
    pub kostra: Option<KostraVersion>,
    /// The templates and words catalogue: built in, and the local files that differ.
    pub(crate) made_from: crate::builtin::MadeFrom,
    /// How whole-budget tables are rounded and footed, when the report has `[budget]`.
    pub rounding: Option<RoundingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColophonFile {
    /// `config`, `data`, `profile`, `export`, `kostra`, `debt` or `series`.
    pub role: &'static str,
    pub name: String,
    /// Data rows read from the file (after its header), where the report reads rows from it.
    pub rows: Option<usize>,
    pub bytes: u64,
    pub(crate) sha256: String,
    /// A KOSTRA table built into the program (see [`crate::fingerprint::InputFile`]).
    pub(crate) built_in: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct KostraVersion {
    pub folder: String,
    /// Every table is the built-in one.
    pub(crate) built_in: bool,
    /// The SHA-256 over the mapping files' SHA-256 values.
    pub digest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundingView {
    /// e.g. "1000 kr".
    pub unit: String,
    pub decimals: u32,
    /// `half_away_from_zero` or `half_even`.
    pub(crate) rule: &'static str,
    /// `largest_remainder` or `note`.
    pub footing: &'static str,
}

/// The colophon of a report from its fingerprint, with the rows read from each file.
pub(crate) fn colophon(
    config: &Config,
    fingerprint: &crate::fingerprint::Fingerprint,
    made_from: crate::builtin::MadeFrom,
    data: Option<&Dataset>,
    budget: Option<&crate::summed_budget::SummedBudget>,
) -> Colophon {
    let data_rows: Vec<(&std::path::Path, usize)> = match (&config.data, data) {
        (Some(files), Some(d)) => vec![
            (files.areas.as_path(), d.areas.rows.len()),
            (files.programmes.as_path(), d.programmes.rows.len()),
            (files.phases.as_path(), d.phases.rows.len()),
            (files.amounts.as_path(), d.amounts.rows.len()),
            (files.milestones.as_path(), d.milestones.rows.len()),
            (files.key_figures.as_path(), d.key_figures.rows.len()),
        ],
        _ => Vec::new(),
    };
    let rows_of = |file: &crate::fingerprint::InputFile| match file.role {
        "data" => data_rows
            .iter()
            .find(|(p, _)| *p == file.path)
            .map(|(_, n)| *n),
        "export" => budget.and_then(|b| {
            b.ledger
                .sources
                .iter()
                .find(|s| s.file == file.path)
                .map(|s| s.rows)
        }),
        // Every line of the debt file is a debt or an obligation (or the file is refused).
        "debt" => budget
            .and_then(|b| b.debt.as_ref())
            .filter(|d| d.file == file.path)
            .map(|d| d.debts.len() + d.obligations.len()),
        "tiltak" => budget
            .and_then(|b| b.tiltak.as_ref())
            .filter(|t| t.file == file.path)
            .map(|t| t.rows),
        "projects" => budget
            .and_then(|b| b.projects.as_ref())
            .filter(|p| p.file.file == file.path)
            .map(|p| p.file.rows),
        "series" => budget.and_then(|b| {
            b.series_rows
                .iter()
                .find(|(path, _)| *path == file.path)
                .map(|(_, n)| *n)
        }),
        _ => None,
    };
    let kostra = config
        .budget
        .as_ref()
        .and_then(|b| b.statutory.as_ref())
        .map(|folder| KostraVersion {
            // The folder's own name: the report prints the same wherever it is run from.
            folder: folder.file_name().map_or_else(
                || folder.to_string_lossy().into_owned(),
                |name| name.to_string_lossy().into_owned(),
            ),
            built_in: fingerprint
                .files
                .iter()
                .all(|f| f.role != "kostra" || f.built_in),
            digest: crate::fingerprint::digest_of(
                fingerprint
                    .files
                    .iter()
                    .filter(|f| f.role == "kostra")
                    .map(|f| f.sha256.as_str()),
            ),
        });
    let rounding = config.budget.as_ref().map(rounding_view);
    Colophon {
        files: fingerprint
            .files
            .iter()
            .map(|f| ColophonFile {
                role: f.role,
                name: f.name.clone(),
                rows: rows_of(f),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
                built_in: f.built_in,
            })
            .collect(),
        digest: fingerprint.digest.clone(),
        program: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
        kostra,
        made_from,
        rounding,
    }
}

/// How the budget's tables round, as the colophon states it.
fn rounding_view(b: &crate::config::BudgetSection) -> RoundingView {
    let unit = b.presentation.unit;
    RoundingView {
        unit: unit.scale.unit(),
        decimals: unit.decimals,
        rule: match unit.rule {
            crate::format::Rule::HalfAwayFromZero => "half_away_from_zero",
            crate::format::Rule::HalfEven => "half_even",
        },
        footing: match b.presentation.footing {
            crate::format::Footing::LargestRemainder => "largest_remainder",
            crate::format::Footing::Note => "note",
        },
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub municipality: String,
    pub document: String,
    pub title: String,
    /// The document's status, e.g. "Kommunedirektørens forslag", when the report states one.
    pub status: Option<String>,
    /// The document date in long form, e.g. "1. november 2022".
    pub date: String,
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub plan: Span,
    pub horizon: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub first: i32,
    pub last: i32,
    pub years: Vec<i32>,
}

/// Builds the view model: the strategy chapter from its data and totals, the budget from its
/// sums as the report's `[budget]` section asks (a sector's, `render --each`, with the whole
/// report's printed figures for it, which its columns foot to).
pub(crate) fn present(
    config: &Config,
    chapter: Option<(&Dataset, &Totals)>,
    budget: Option<(
        &BudgetSection,
        &crate::summed_budget::SummedBudget,
        Option<&budget::SectorTotals>,
    )>,
) -> Report {
    let date = config.date;
    Report {
        meta: Meta {
            municipality: config.report.municipality.clone(),
            document: config.report.document.clone(),
            title: config.report.title.clone(),
            status: config.report.status.clone(),
            date: format::date(&config.words, date.year, Some(date.month), Some(date.day)),
            year: date.year,
            month: date.month,
            day: date.day,
            plan: span(config.plan),
            horizon: span(config.horizon),
        },
        chapter: chapter.map(|(data, totals)| present_chapter(data, totals, config)),
        budget: budget
            .map(|(section, summed, sector)| budget::present(summed, section, config, sector)),
        colophon: None,
    }
}

fn span(years: YearSpan) -> Span {
    Span {
        first: years.first,
        last: years.last,
        years: years.years().collect(),
    }
}
