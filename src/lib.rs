//! budsjett turns a municipality's budget and timeline data into the PDF reports its council
//! reads.
//!
//! The pipeline, one module per stage:
//! **load** ([`load`]) → **validate** ([`validate`]) → **aggregate** ([`aggregate`]) →
//! **present** ([`present`], with [`format`]) → **template** ([`template`]) →
//! **typeset** ([`typeset`]) → **write** ([`write`]). This module wires them together;
//! [`check`] runs the first stages alone and reports what it found.

pub mod aggregate;
pub mod check;
pub mod config;
pub mod each;
pub mod error;
pub mod explain;
pub mod fingerprint;
pub mod fonts;
pub mod format;
pub mod guess;
pub mod init;
pub mod load;
pub mod model;
pub mod present;
pub mod progress;
pub mod template;
pub mod typeset;
pub mod validate;
pub mod watch;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

pub use config::Config;
pub use error::{ConfigError, DataError, DataErrors, OutputError};

/// Anything that can stop a render: the errors of every stage, wrapped at the top so that no
/// stage imports another's errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error("{0}")]
    Data(#[from] DataErrors),

    #[error("{0}")]
    Aggregate(#[from] aggregate::AggregateError),

    #[error("{0}")]
    Template(#[from] template::TemplateError),

    #[error("{0}")]
    Typeset(#[from] typeset::TypesetError),

    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },
}

impl From<DataError> for Error {
    fn from(error: DataError) -> Self {
        Self::Data(error.into())
    }
}

impl From<ConfigError> for Error {
    fn from(ConfigError { path, message }: ConfigError) -> Self {
        Self::Config { path, message }
    }
}

impl From<OutputError> for Error {
    fn from(OutputError { path, message }: OutputError) -> Self {
        Self::Output { path, message }
    }
}
pub use typeset::PdfSettings;

/// What to render and where.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The report configuration, e.g. `data/report.toml`.
    pub config: PathBuf,
    /// The templates folder (also the only folder Typst may read).
    pub templates: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    pub format: OutputFormat,
    pub pdf: PdfSettings,
    /// Also write the generated Typst source next to the output, for inspection.
    pub keep_source: bool,
}

/// The kind of file a render writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFormat {
    Pdf,
    /// One PNG per page, `<name>-<page>.png`, at this many pixels per inch; `pages` limits
    /// which (1-based, inclusive ranges).
    Png {
        ppi: u32,
        pages: Vec<(usize, usize)>,
    },
}

/// What a successful render produced.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub files: Vec<PathBuf>,
    pub pages: usize,
    pub warnings: Vec<String>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The stages up to the generated Typst source; useful on its own for tests and benchmarks.
pub struct Prepared {
    pub config: Config,
    pub report: present::Report,
    pub source: String,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The budget exports of a report, read and summed.
pub struct Budget {
    pub profiles: Vec<load::profile::Profile>,
    pub ledger: load::export::Ledger,
    /// The sums of every line, for describing the sources; never printed across parts.
    pub totals: aggregate::ledger::LedgerTotals,
    /// One budget per part the sources cover (drift, investering), each summed on its own:
    /// kommuneloven treats them as two budgets, and no figure adds across them.
    pub parts: Vec<BudgetPart>,
    /// The statutory overviews (§ 5-4, § 5-5) for the parts the sources cover, when the
    /// report names a KOSTRA mapping folder.
    pub statutory: Overviews,
    /// The transfers between drift and investering, when the report has both.
    pub transfers: aggregate::transfers::Status,
    /// § 5-7: debt and other significant obligations, when the report names a debt file.
    pub debt: Option<aggregate::debt::DebtOverview>,
    /// Fixed prices: the base year and the price index of each plan year.
    pub prices: Option<(i32, BTreeMap<i32, Decimal>)>,
    /// Inhabitants per year.
    pub population: Option<BTreeMap<i32, Decimal>>,
}

/// The lines of one part of the budget and their sums.
pub struct BudgetPart {
    pub part: model::Part,
    /// The version its tables show.
    pub version: u16,
    /// The sources whose lines belong to this part.
    pub sources: Vec<u16>,
    pub totals: aggregate::ledger::LedgerTotals,
    /// The change bridge: per change group, per year, the net.
    pub bridge: Option<BTreeMap<u32, BTreeMap<i32, Decimal>>>,
    /// The two sides of `budget.compare`, each summed over this part's lines: the side, its
    /// version id and year, and the sums of that version.
    pub comparison: Vec<ComparedSide>,
}

/// One side of a comparison, summed.
pub struct ComparedSide {
    pub side: config::CompareSide,
    pub version: u16,
    pub year: i32,
    pub totals: aggregate::ledger::LedgerTotals,
}

impl Budget {
    /// What the view model of this budget is built from.
    pub fn input<'a>(
        &'a self,
        section: &'a config::BudgetSection,
    ) -> present::budget::BudgetInput<'a> {
        present::budget::BudgetInput {
            ledger: &self.ledger,
            section,
            parts: self
                .parts
                .iter()
                .map(|p| present::budget::PartInput {
                    part: p.part,
                    totals: &p.totals,
                    statutory: self
                        .statutory
                        .iter()
                        .filter(|(o, _)| o.part == p.part)
                        .map(|(o, t)| (o, t))
                        .collect(),
                    bridge: p.bridge.as_ref(),
                    sources: &p.sources,
                    version: p.version,
                    comparison: p
                        .comparison
                        .iter()
                        .map(|c| present::compare::CompareInput {
                            label: &c.side.label,
                            version: &c.side.version,
                            accounts: c.side.is_accounts(),
                            year: c.year,
                            totals: &c.totals,
                        })
                        .collect(),
                })
                .collect(),
            transfers: &self.transfers,
            debt: self.debt.as_ref(),
            prices: self.prices.as_ref(),
            population: self.population.as_ref(),
        }
    }
}

/// Reads every profile and export of a `[budget]` section. All problems are returned together.
pub fn read_budget(section: &config::BudgetSection, years: &[i32]) -> Result<Budget, Error> {
    let mut problems = Vec::new();
    let profiles: Vec<_> = section
        .sources
        .iter()
        .filter_map(|path| {
            load::profile::Profile::load(path)
                .map_err(|e| problems.push(e))
                .ok()
        })
        .collect();
    // A profile with problems does not hide the problems of the other sources' exports.
    let (ledger, import_problems) = load::export::import(&profiles);
    problems.extend(import_problems);
    if !problems.is_empty() {
        return Err(DataErrors(problems).into());
    }
    summarize_budget(section, profiles, ledger, years)
}

/// Sums an imported ledger for a report: totals, statutory overviews, prices, population and
/// the change bridge.
pub fn summarize_budget(
    section: &config::BudgetSection,
    profiles: Vec<load::profile::Profile>,
    ledger: load::export::Ledger,
    years: &[i32],
) -> Result<Budget, Error> {
    let (version, totals) = budget_totals(section, &ledger, years)?;
    finish_budget(section, profiles, ledger, version, totals, years)
}

/// The report's version and the ledger's sums, grouped as the report groups them; an error
/// when the version or a plan year has no lines.
pub fn budget_totals(
    section: &config::BudgetSection,
    ledger: &load::export::Ledger,
    years: &[i32],
) -> Result<(u16, aggregate::ledger::LedgerTotals), Error> {
    let role = |name: &str| model::ROLES.iter().position(|(r, _)| *r == name);
    let version = version_id(section, ledger, "budget.version", &section.version)?;
    // Grouping by a dimension no source has would put every line in one "(ikke oppgitt)".
    for (key, name) in [
        ("budget.group_by", Some(&section.group_by)),
        ("budget.detail_by", section.detail_by.as_ref()),
        (
            "budget.investering_group_by",
            section.investering_group_by.as_ref(),
        ),
        (
            "budget.investering_detail_by",
            section.investering_detail_by.as_ref(),
        ),
    ] {
        let Some(name) = name else { continue };
        let defined = role(name).is_some_and(|r| !ledger.dimensions[r].label.is_empty());
        if !defined {
            let known: Vec<&str> = ledger
                .dimensions
                .iter()
                .filter(|d| !d.label.is_empty())
                .map(|d| d.role)
                .collect();
            return Err(Error::Config {
                path: section.config.clone(),
                message: format!(
                    "{key}: found {name:?}, but no profile defines that dimension; the profiles \
                     define {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            });
        }
    }
    let totals = aggregate::ledger::aggregate(
        ledger,
        role(&section.group_by),
        section.detail_by.as_deref().and_then(role),
        Some(version),
    )?;
    // Every plan year must have lines, or the report would print an empty year as a
    // balanced budget of 0 kr.
    let missing: Vec<String> = years
        .iter()
        .filter(|y| !totals.by_year.contains_key(y))
        .map(i32::to_string)
        .collect();
    if !missing.is_empty() {
        let found: Vec<String> = totals
            .by_year_version
            .keys()
            .map(|(y, v)| format!("{y} {}", ledger.versions[usize::from(*v)]))
            .collect();
        return Err(Error::Config {
            path: section.config.clone(),
            message: format!(
                "period.plan: found no budget lines of version {:?} for {}; the exports hold {}",
                section.version,
                missing.join(", "),
                if found.is_empty() {
                    "no lines".to_string()
                } else {
                    found.join(", ")
                }
            ),
        });
    }
    Ok((version, totals))
}

/// The id of a version the configuration names at `key`, or an error listing the versions
/// the exports hold.
fn version_id(
    section: &config::BudgetSection,
    ledger: &load::export::Ledger,
    key: &str,
    name: &str,
) -> Result<u16, Error> {
    ledger
        .versions
        .iter()
        .position(|v| v == name)
        .and_then(|v| u16::try_from(v).ok())
        .ok_or_else(|| Error::Config {
            path: section.config.clone(),
            message: format!(
                "{key}: found {name:?}, but the exports hold only {}",
                ledger.versions.join(", ")
            ),
        })
}

/// The rest of a budget once its totals are known: statutory overviews, prices, population
/// and the change bridge.
pub fn finish_budget(
    section: &config::BudgetSection,
    profiles: Vec<load::profile::Profile>,
    ledger: load::export::Ledger,
    version: u16,
    totals: aggregate::ledger::LedgerTotals,
    years: &[i32],
) -> Result<Budget, Error> {
    let role = |name: &str| model::ROLES.iter().position(|(r, _)| *r == name);
    let prices = match &section.fixed_prices {
        None => None,
        Some((file, base)) => {
            let growth = load::read_series(file)?;
            let index = aggregate::prices::index(&growth, *base, years)
                .map_err(|message| DataError::new(file, message))?;
            Some((*base, index))
        }
    };
    let population = match &section.population {
        None => None,
        Some(file) => {
            let series = load::read_series(file)?;
            if let Some(year) = years
                .iter()
                .find(|y| series.get(y).is_none_or(|p| p.is_zero()))
            {
                let message =
                    format!("found no population for {year}, expected one line per plan year");
                return Err(DataError::new(file, message).into());
            }
            Some(series)
        }
    };
    let mut parts = Vec::new();
    for part in [model::Part::Drift, model::Part::Investering] {
        let sources: Vec<u16> = ledger
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.part == part)
            .map(|(i, _)| u16::try_from(i).unwrap_or(u16::MAX))
            .collect();
        if sources.is_empty() {
            continue;
        }
        let investering = part == model::Part::Investering;
        let (group_by, detail_by) = section.grouping(investering);
        let version_name = section.version_of(investering);
        let key = if investering && section.investering_version.is_some() {
            "budget.investering_version"
        } else {
            "budget.version"
        };
        let part_version = version_id(section, &ledger, key, version_name)?;
        let totals = if ledger.sources.len() == sources.len()
            && part_version == version
            && (group_by, detail_by) == (section.group_by.as_str(), section.detail_by.as_deref())
        {
            // One part, grouped as the whole: its sums are the ledger's.
            totals.clone()
        } else {
            aggregate::ledger::aggregate_sources(
                &ledger,
                role(group_by),
                detail_by.and_then(role),
                Some(part_version),
                Some(&sources),
            )?
        };
        // A part whose exports hold no line of its version in a plan year would print as an
        // empty budget of 0 kr: refuse it, saying which versions the part has.
        let missing: Vec<String> = years
            .iter()
            .filter(|y| !totals.by_year.contains_key(y))
            .map(i32::to_string)
            .collect();
        if !missing.is_empty() {
            let held: std::collections::BTreeSet<&str> = ledger
                .lines
                .iter()
                .filter(|l| sources.contains(&l.source))
                .map(|l| ledger.versions[usize::from(l.version)].as_str())
                .collect();
            return Err(Error::Config {
                path: section.config.clone(),
                message: format!(
                    "budget.{}version: the {} exports hold no lines of version {version_name:?} in {}; \
                     they hold {}{}",
                    if investering { "investering_" } else { "" },
                    if investering { "investering" } else { "drift" },
                    missing.join(", "),
                    held.into_iter().collect::<Vec<_>>().join(", "),
                    if investering && section.investering_version.is_none() {
                        " (set budget.investering_version to the investment budget's version)"
                    } else {
                        ""
                    }
                ),
            });
        }
        let bridge = match &section.bridge {
            None => None,
            Some((_, exclude)) => Some(aggregate::ledger::bridge(
                &ledger,
                &sources,
                part_version,
                role("change_group").unwrap_or(0),
                role(group_by).unwrap_or(0),
                exclude,
            )?),
        };
        let mut comparison = Vec::new();
        for side in &section.compare {
            let id = version_id(section, &ledger, "budget.compare", &side.version)?;
            let year = side
                .year
                .or_else(|| years.first().copied())
                .unwrap_or_default();
            let totals = aggregate::ledger::aggregate_sources(
                &ledger,
                role(group_by),
                detail_by.and_then(role),
                Some(id),
                Some(&sources),
            )?;
            comparison.push(ComparedSide {
                side: side.clone(),
                version: id,
                year,
                totals,
            });
        }
        parts.push(BudgetPart {
            part,
            version: part_version,
            sources,
            totals,
            bridge,
            comparison,
        });
    }
    // A side without a line in any part would print as 0 kr everywhere: refuse it.
    for side in &section.compare {
        let year = side
            .year
            .or_else(|| years.first().copied())
            .unwrap_or_default();
        let found = parts.iter().any(|p| {
            p.comparison
                .iter()
                .any(|c| c.side == *side && c.totals.by_year.contains_key(&year))
        });
        if !found {
            return Err(Error::Config {
                path: section.config.clone(),
                message: format!(
                    "budget.compare: the exports hold no lines of version {:?} in {year}",
                    side.version
                ),
            });
        }
    }
    let statutory = statutory_overviews(section, &profiles, &ledger, &parts, years)?;
    let transfers = transfers(section, &ledger, &parts, years)?;
    let debt = match &section.debt {
        None => None,
        Some(file) => {
            let mut debt = aggregate::debt::load(file, years).map_err(DataErrors)?;
            if let Some(folder) = &section.statutory {
                let problems = aggregate::debt::cross_check(&mut debt, folder, &statutory, years);
                if !problems.is_empty() {
                    return Err(DataErrors(problems).into());
                }
            }
            Some(debt)
        }
    };
    Ok(Budget {
        profiles,
        ledger,
        totals,
        parts,
        statutory,
        transfers,
        debt,
        prices,
        population,
    })
}

/// Checks the transfers between drift and investering: per pair and year, what drift sends
/// must be what investering receives. A difference is a problem unless the report accepts it.
fn transfers(
    section: &config::BudgetSection,
    ledger: &load::export::Ledger,
    parts: &[BudgetPart],
    years: &[i32],
) -> Result<aggregate::transfers::Status, Error> {
    use aggregate::transfers::Status;
    use model::Part;
    let find = |part: Part| parts.iter().find(|p| p.part == part);
    let (Some(drift_part), Some(investering_part)) = (find(Part::Drift), find(Part::Investering))
    else {
        return Ok(Status::OnePart);
    };
    let (drift, investering) = (&drift_part.sources, &investering_part.sources);
    let art = model::ROLES
        .iter()
        .position(|(r, _)| *r == "art")
        .unwrap_or(0);
    let Some(folder) = &section.statutory else {
        return Ok(Status::NotChecked(
            aggregate::transfers::NotChecked::NoMapping,
        ));
    };
    if let Some(s) = drift
        .iter()
        .chain(investering)
        .map(|s| &ledger.sources[usize::from(*s)])
        .find(|s| s.kostra_start[art].is_none())
    {
        return Ok(Status::NotChecked(
            aggregate::transfers::NotChecked::NoKostraArt(s.profile.clone()),
        ));
    }
    let pairs = aggregate::transfers::load(folder)?;
    let computed = aggregate::transfers::compute(
        &pairs,
        ledger,
        (drift, drift_part.version),
        (investering, investering_part.version),
        years,
        art,
    )?;
    if !section.accept_transfer_difference {
        let mut problems = Vec::new();
        for t in &computed {
            for (&year, &(sent, received)) in &t.by_year {
                let difference = t.difference(year);
                if difference.is_zero() {
                    continue;
                }
                let (source, line) = t
                    .first_drift
                    .or(t.first_investering)
                    .unwrap_or((drift[0], 0));
                let mut problem = DataError::new(
                    &ledger.sources[usize::from(source)].file,
                    format!(
                        "{year}: {}: drift sends {} kr (art {:03}) but investering receives {} kr \
                         (art {:03}): a difference of {} kr. The two budgets must agree; correct \
                         the lines, or set budget.accept_transfer_difference = true to print the \
                         difference with a note",
                        t.pair.name,
                        format::plain(sent),
                        t.pair.drift_art,
                        format::plain(-received),
                        t.pair.investering_art,
                        format::plain(difference)
                    ),
                );
                if line > 0 {
                    problem = problem.at_line(u64::from(line));
                }
                problems.push(problem);
            }
        }
        if !problems.is_empty() {
            return Err(DataErrors(problems).into());
        }
    }
    Ok(Status::Checked(computed))
}

/// The statutory overviews with their computed rows.
pub type Overviews = Vec<(
    aggregate::statutory::Overview,
    aggregate::statutory::OverviewTotals,
)>;

/// Computes § 5-4 and § 5-5 for the parts the sources cover. Every line must land in a row
/// or a named exclusion: unmapped lines are problems (one per art, with count and sums)
/// unless the report accepts them, and a bottom row that is not the part's balance less what
/// was left out is a problem too.
fn statutory_overviews(
    section: &config::BudgetSection,
    profiles: &[load::profile::Profile],
    ledger: &load::export::Ledger,
    parts: &[BudgetPart],
    years: &[i32],
) -> Result<Overviews, Error> {
    use aggregate::statutory::{self, Roles, Statement};
    let Some(folder) = &section.statutory else {
        return Ok(Vec::new());
    };
    let role = |name: &str| {
        model::ROLES
            .iter()
            .position(|(r, _)| *r == name)
            .unwrap_or(0)
    };
    let roles = Roles {
        art: role("art"),
        funksjon: role("service"),
        group: role(&section.group_by),
    };
    let chart_year = section
        .kostra_year
        .or_else(|| years.first().copied())
        .unwrap_or_default();
    let mut overviews = Vec::new();
    let mut problems = Vec::new();
    for budget_part in parts {
        let (part, version, sources) =
            (budget_part.part, budget_part.version, &budget_part.sources);
        let before = problems.len();
        for &s in sources {
            let info = &ledger.sources[usize::from(s)];
            let profile = profiles.iter().find(|p| p.path == info.profile);
            for (dimension, what) in [("art", "KOSTRA art"), ("service", "KOSTRA funksjon")] {
                if info.kostra_start[role(dimension)].is_some() {
                    continue;
                }
                let declared = profile.and_then(|p| {
                    p.dimensions
                        .iter()
                        .find(|(r, _)| r == dimension)
                        .map(|(_, d)| d.chart.clone())
                });
                let why = match declared {
                    None => format!("this profile has no {dimension} dimension"),
                    Some(Some(chart)) => {
                        format!("its {dimension} codes are {chart:?}, not KOSTRA codes")
                    }
                    Some(None) => format!(
                        "it does not say that its {dimension} codes are KOSTRA codes \
                         (add chart = \"kostra\", or kostra = [2, 4] when the code stands at \
                         positions 2–4)"
                    ),
                };
                problems.push(DataError::new(
                    &info.profile,
                    format!(
                        "dimensions.{dimension}: budget.statutory asks for the statutory \
                         overview of {}, which places every line by its {what}, but {why}",
                        part_name(part)
                    ),
                ));
            }
        }
        if problems.len() > before {
            continue;
        }
        for &statement in Statement::of(part) {
            // § 5-6 is printed where the mapping folder has its files.
            if statement == Statement::DriftByArt && !folder.join(statement.files().0).exists() {
                continue;
            }
            let overview = statutory::load_statement(folder, statement)?;
            let totals = overview.compute(ledger, &sources, version, years, chart_year, roles)?;
            if !section.accept_unmapped {
                for unmapped in &totals.unmapped {
                    let (source, line) = unmapped.first;
                    let file = ledger
                        .sources
                        .get(usize::from(source))
                        .map(|s| s.file.clone())
                        .unwrap_or_default();
                    let sums: Vec<String> = unmapped
                        .by_year
                        .iter()
                        .map(|(year, sum)| format!("{year}: {} kr", format::plain(*sum)))
                        .collect();
                    let funksjoner: Vec<&str> =
                        unmapped.funksjoner.iter().map(String::as_str).collect();
                    problems.push(
                        DataError::new(
                            file,
                            format!(
                                "art {}: {} line{} of {} fit no row ({}); sum {}{}. Map the art in \
                                 the KOSTRA mapping, correct the lines, or set \
                                 budget.accept_unmapped = true to print the overview with these \
                                 lines stated as not placed",
                                unmapped.art,
                                unmapped.count,
                                if unmapped.count == 1 { "" } else { "s" },
                                statement_name(statement),
                                unmapped.reason,
                                sums.join(", "),
                                if funksjoner.is_empty() {
                                    String::new()
                                } else {
                                    format!("; funksjon {}", funksjoner.join(", "))
                                }
                            ),
                        )
                        .at_line(u64::from(line)),
                    );
                }
            }
            for (year, bottom, expected) in overview.bottom_differences(&totals) {
                problems.push(DataError::new(
                    &overview.mapping_file,
                    format!(
                        "{year}: the bottom row {} of {} is {} kr, but the lines of the part less \
                         those left out and not placed sum to {} kr (a difference of {} kr): the \
                         rows do not account for every line",
                        overview.bottom,
                        statement_name(statement),
                        format::plain(bottom),
                        format::plain(expected),
                        format::plain(bottom - expected)
                    ),
                ));
            }
            overviews.push((overview, totals));
        }
        cross_check(&overviews, part, &mut problems);
    }
    if problems.is_empty() {
        Ok(overviews)
    } else {
        Err(DataErrors(problems).into())
    }
}

/// Rows of one overview that must hold what a row of § 5-4 holds (`equals` in the rows file):
/// a difference is a problem naming both.
fn cross_check(overviews: &Overviews, part: model::Part, problems: &mut Vec<DataError>) {
    use aggregate::statutory::Statement;
    let Some((_, appropriations)) = overviews
        .iter()
        .find(|(o, _)| o.part == part && o.statement == Statement::AppropriationsDrift)
    else {
        return;
    };
    for (overview, totals) in overviews.iter().filter(|(o, _)| o.part == part) {
        for spec in &overview.rows {
            let Some(other) = spec.equals else { continue };
            for &year in totals.balance.keys() {
                let (mine, theirs) = (
                    totals.row(spec.number, year),
                    appropriations.row(other, year),
                );
                if mine != theirs {
                    problems.push(DataError::new(
                        &overview.mapping_file,
                        format!(
                            "{year}: row {} ({}) of {} is {} kr, but row {other} of § 5-4 is {} kr; \
                             the two must be equal (a difference of {} kr): the mappings place \
                             some lines differently",
                            spec.number,
                            spec.name,
                            statement_name(overview.statement),
                            format::plain(mine),
                            format::plain(theirs),
                            format::plain(mine - theirs)
                        ),
                    ));
                }
            }
        }
    }
}

/// A statutory overview, as a finance officer names it.
fn statement_name(statement: aggregate::statutory::Statement) -> &'static str {
    use aggregate::statutory::Statement;
    match statement {
        Statement::AppropriationsDrift => "§ 5-4 (drift)",
        Statement::AppropriationsInvestering => "§ 5-5 (investering)",
        Statement::DriftByArt => "§ 5-6 (drift etter art)",
    }
}

/// The statutory overview of a part, as a finance officer names it.
fn part_name(part: model::Part) -> &'static str {
    match part {
        model::Part::Drift => "§ 5-4 (drift)",
        model::Part::Investering => "§ 5-5 (investering)",
    }
}

/// Loads and validates the strategy chapter's files. A file with problems does not hide the
/// problems of the others: what could be read is still validated, leaving out only problems
/// that refer to a file with problems of its own (they may come from its unread rows).
pub fn read_chapter(
    files: &config::DataFiles,
    config: &Config,
) -> Result<model::Dataset, DataErrors> {
    let (data, mut problems) = load::load_partial(files, config.unit_factor);
    if let Err(errors) = validate::validate(&data, config) {
        let broken: Vec<PathBuf> = problems.iter().map(|p| p.file.clone()).collect();
        problems.extend(errors.0.into_iter().filter(|e| {
            !broken
                .iter()
                .any(|file| e.message.contains(&file.display().to_string()))
        }));
    }
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(DataErrors(problems))
    }
}

/// Loads, validates, aggregates, presents and renders the template.
pub fn prepare(config_path: &Path, templates: &Path) -> Result<Prepared, Error> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let config = Config::load(config_path)?;
    // Problems in the chapter's files and in the exports are reported together.
    let chapter = config
        .data
        .as_ref()
        .map(|files| read_chapter(files, &config));
    lap("load", &mut timings);
    let budget = config.budget.as_ref().map(|section| {
        let years: Vec<i32> = config.plan.years().collect();
        read_budget(section, &years).map(|budget| (section, budget))
    });
    lap("import", &mut timings);
    let (chapter, budget) = match (chapter.transpose(), budget.transpose()) {
        (Ok(chapter), Ok(budget)) => (chapter, budget),
        (Err(mut problems), Err(Error::Data(more))) => {
            problems.0.extend(more.0);
            return Err(problems.into());
        }
        (Err(problems), _) => return Err(problems.into()),
        (Ok(_), Err(e)) => return Err(e),
    };
    let chapter = match chapter {
        Some(data) => {
            let totals = aggregate::aggregate(&data, &config)?;
            lap("aggregate", &mut timings);
            Some((data, totals))
        }
        None => None,
    };
    let mut report = present::present(
        &config,
        chapter.as_ref().map(|(data, totals)| (data, totals)),
        budget.as_ref().map(|(section, b)| b.input(section)),
    );
    let fingerprint = fingerprint::Fingerprint::of(&config)?;
    report.colophon = Some(present::colophon(
        &config,
        &fingerprint,
        chapter.as_ref().map(|(data, _)| data),
        budget.as_ref().map(|(_, b)| &b.ledger),
    ));
    lap("present", &mut timings);
    let source = template::Templates::new(templates).render(&config.report.template, &report)?;
    lap("template", &mut timings);
    Ok(Prepared {
        config,
        report,
        source,
        timings,
    })
}

/// Runs the whole pipeline and writes the result into the output folder.
pub fn render(options: &RenderOptions) -> Result<Rendered, Error> {
    if let Some(message) = options.pdf.problem() {
        return Err(Error::Output {
            path: options.output.clone(),
            message,
        });
    }
    let prepared = prepare(&options.config, &options.templates)?;
    finish(options, prepared, &|_| {}, &mut typeset::Session::default())
}

/// The second half of [`render`]: typesets prepared source and writes the output set.
/// `stage` is told each step ("typesetting", "writing") for progress display; `session` is
/// the typst world, kept by `watch` between renders. (Seam for `watch` and progress:
/// `prepare` then `finish`.)
pub fn finish(
    options: &RenderOptions,
    prepared: Prepared,
    stage: &dyn Fn(&'static str),
    session: &mut typeset::Session,
) -> Result<Rendered, Error> {
    let Prepared {
        config,
        report,
        source,
        mut timings,
    } = prepared;
    let name = config.report.name.clone();
    let template = config.report.template.clone();
    // The generated Typst source and the view model it was made from, for inspection and
    // for feeding other typesetters the same figures (see benches/): written with the report,
    // and only when the report is.
    let kept = if options.keep_source {
        let view = serde_json::to_vec_pretty(&report).map_err(|e| Error::Output {
            path: options.output.join(format!("{name}.view.json")),
            message: e.to_string(),
        })?;
        vec![
            (
                options.output.join(format!("{name}.typ")),
                source.clone().into_bytes(),
            ),
            (options.output.join(format!("{name}.view.json")), view),
        ]
    } else {
        Vec::new()
    };

    let clock = Instant::now();
    // Forget what typst memoized for renders several renders ago (nothing in a one-shot
    // command), so that a process rendering again and again stays bounded.
    comemo::evict(10);
    let mut source = source;
    let alt_notes = typeset::cap_alt_texts(&mut source);
    stage("typesetting");
    let typeset = session.compile(source, &options.templates, &template, config.date)?;
    timings.push(("typeset", clock.elapsed()));
    let pages = typeset.document.pages().len();

    stage("writing");
    let clock = Instant::now();
    let (outputs, stale) = match &options.format {
        OutputFormat::Pdf => {
            let pdf = typeset::export_pdf(&typeset, &options.pdf, &name, config.date, &template)?;
            timings.push(("pdf", clock.elapsed()));
            (
                vec![(options.output.join(format!("{name}.pdf")), pdf)],
                Vec::new(),
            )
        }
        OutputFormat::Png { ppi, pages: ranges } => {
            let images = typeset::export_png(&typeset, *ppi, ranges);
            timings.push(("png", clock.elapsed()));
            let mut outputs = Vec::new();
            for (number, png) in images {
                let target = options.output.join(format!("{name}-{number}.png"));
                let png = png.map_err(|message| Error::Output {
                    path: target.clone(),
                    message,
                })?;
                outputs.push((target, png));
            }
            // All pages rendered: the pages of an earlier, longer report go with them.
            let stale = if ranges.is_empty() {
                stale_pages(&options.output, &name, pages)
            } else {
                Vec::new()
            };
            (outputs, stale)
        }
    };
    let files: Vec<PathBuf> = outputs.iter().map(|(path, _)| path.clone()).collect();
    let clock = Instant::now();
    let set: Vec<(PathBuf, &[u8])> = outputs
        .iter()
        .chain(&kept)
        .map(|(path, bytes)| (path.clone(), bytes.as_slice()))
        .collect();
    write::write_set(&set, &stale)?;
    timings.push(("write", clock.elapsed()));
    // Freeing a laid-out document takes a while (40 ms for 200 pages of tables) and nobody
    // waits for it: the output is written. A process that exits now does not free it at all.
    let typeset::Typeset {
        document,
        mut warnings,
    } = typeset;
    warnings.extend(alt_notes);
    std::thread::spawn(move || drop(document));
    Ok(Rendered {
        files,
        pages,
        warnings,
        timings,
    })
}

/// The page images `<name>-<n>.png` in `folder` beyond page `pages`.
fn stale_pages(folder: &Path, name: &str, pages: usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .and_then(|file| {
                    file.strip_prefix(name)?
                        .strip_prefix('-')?
                        .strip_suffix(".png")
                })
                .and_then(|number| number.parse::<usize>().ok())
                .is_some_and(|number| number > pages && number.to_string().len() < 10)
        })
        .map(|entry| entry.path())
        .collect()
}
