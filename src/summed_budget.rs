//! The budget path of a report: reads the exports its profiles name, checks them against the
//! report (versions, plan years, dimensions, transfers, the statutory overviews' completeness)
//! and sums each part of the budget on its own. Every problem is collected; a budget that has
//! any is not summed, but what could be read is kept for describing the sources.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{DataError, DataErrors};
use crate::{aggregate, config, load, model, validate};

mod by_service;

/// The budget exports of a report, read and summed.
pub struct SummedBudget {
    pub profiles: Vec<load::profile::Profile>,
    pub ledger: model::ledger::Ledger,
    /// The sums of every line, for describing the sources; never printed across parts.
    pub totals: aggregate::ledger::LedgerTotals,
    /// One budget per part the sources cover (drift, investering), each summed on its own:
    /// kommuneloven treats them as two budgets, and no figure adds across them.
    pub parts: Vec<SummedPart>,
    /// The statutory overviews (§ 5-4, § 5-5) for the parts the sources cover, when the
    /// report names a KOSTRA mapping folder.
    pub statutory: Overviews,
    /// The transfers between drift and investering, when the report has both.
    pub(crate) transfers: aggregate::transfers::Status,
    /// § 5-7: debt and other significant obligations, when the report names a debt file.
    pub debt: Option<aggregate::debt::DebtOverview>,
    pub(crate) prices: Option<Prices>,
    /// Inhabitants per year.
    pub(crate) population: Option<Population>,
    /// The lines read from each series file (fixed prices, population), for the colophon.
    pub series_rows: Vec<(std::path::PathBuf, usize)>,
    /// The named changes (issue 27), when the report names a tiltak file: checked against
    /// the change bridge.
    pub tiltak: Option<load::tiltak::TiltakFile>,
    /// The investment projects (issue 27), when the report names a projects file: joined
    /// with the investment part by project code, their financing tied to § 5-5.
    pub projects: Option<aggregate::projects::Projects>,
}

/// The lines of one part of the budget and their sums.
pub struct SummedPart {
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
    pub(crate) comparison: Vec<ComparedSide>,
    /// The history columns of `budget.history` (issue 26), each summed over this part's
    /// lines, with its statutory overviews.
    pub(crate) history: Vec<HistorySide>,
}

/// A history column of a part, summed: its version in its year, found as a compared side is,
/// and the statutory overviews of those lines (in the order of the part's own).
pub(crate) struct HistorySide {
    pub(crate) sums: ComparedSide,
    /// The version's id in the ledger.
    pub(crate) version: u16,
    pub(crate) statutory: Vec<aggregate::statutory::OverviewTotals>,
}

/// One side of a comparison, summed.
pub(crate) struct ComparedSide {
    pub(crate) side: config::CompareSide,
    pub year: i32,
    pub totals: aggregate::ledger::LedgerTotals,
}

/// Fixed prices: the base year and the price index of each plan year.
pub(crate) type Prices = (i32, BTreeMap<i32, Decimal>);

/// Inhabitants per year.
pub(crate) type Population = BTreeMap<i32, Decimal>;

/// What could be read of a budget that has problems: the ledger (to describe the sources) and
/// every problem found.
pub(crate) struct Unsummed {
    /// Boxed: a ledger is large, and an error should be small to return.
    pub ledger: Box<model::ledger::Ledger>,
    pub problems: Vec<DataError>,
}

/// Reads every profile and export of a `[budget]` section, checks them against the report and
/// sums each part. All problems are returned together; a profile with problems does not hide
/// the problems of the other sources' exports.
pub(crate) fn read(
    section: &config::BudgetSection,
    years: &[i32],
) -> Result<SummedBudget, Unsummed> {
    let (profiles, ledger, mut problems) = read_sources(&section.sources, &section.own_files());
    if problems.is_empty() {
        // Keys that name nothing in the whole budget (a sector's lines are a part of it).
        problems = validate::summed::report_keys(section, &ledger);
    }
    if !problems.is_empty() {
        let ledger = Box::new(ledger);
        return Err(Unsummed { ledger, problems });
    }
    summarize(section, profiles, ledger, years)
}

/// Checks and sums lines already read (all of a report's, or a part of them such as one
/// sector's) as the report asks.
pub(crate) fn summarize(
    section: &config::BudgetSection,
    profiles: Vec<load::profile::Profile>,
    ledger: model::ledger::Ledger,
    years: &[i32],
) -> Result<SummedBudget, Unsummed> {
    let mut ledger = ledger;
    // History sides placed by funksjon take their groups before anything is summed.
    let problems = by_service::place(section, &mut ledger, years);
    if !problems.is_empty() {
        let ledger = Box::new(ledger);
        return Err(Unsummed { ledger, problems });
    }
    let summed = totals(section, &ledger, years)
        .and_then(|(version, totals)| sum(section, &profiles, &ledger, version, totals, years));
    match summed {
        Ok(sums) => Ok(SummedBudget {
            profiles,
            ledger,
            totals: sums.totals,
            parts: sums.parts,
            statutory: sums.statutory,
            transfers: sums.transfers,
            debt: sums.debt,
            prices: sums.prices,
            population: sums.population,
            series_rows: sums.series_rows,
            tiltak: sums.tiltak,
            projects: sums.projects,
        }),
        Err(e) => Err(Unsummed {
            ledger: Box::new(ledger),
            problems: e.0,
        }),
    }
}

/// Reads the profiles and the exports they name, with every problem found: a profile with
/// problems does not hide the problems of the other sources' exports. A profile whose export
/// is a file the report reads as something else (`taken`: its key and path, such as the
/// tiltak file) is refused as read twice and its export not read.
pub(crate) fn read_sources(
    paths: &[std::path::PathBuf],
    taken: &[(&str, &std::path::Path)],
) -> (
    Vec<load::profile::Profile>,
    model::ledger::Ledger,
    Vec<DataError>,
) {
    let mut problems = Vec::new();
    // A source is a profile, or an SSB KOSTRA file read as it is.
    let (kostra, paths): (Vec<_>, Vec<_>) = paths
        .iter()
        .partition(|path| load::kostra_file::is_kostra_file(path));
    let mut profiles = Vec::new();
    for path in paths {
        let profile = match load::profile::Profile::load(path) {
            Ok(profile) => profile,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let read_as = taken
            .iter()
            .find(|(_, file)| crate::input::same_file(&profile.file, file));
        match read_as {
            Some((key, _)) => {
                let file = format!("{:?}", profile.file.display().to_string());
                let message = crate::msg!("tiltak.export_read_as", file, key);
                problems.push(DataError::new(&profile.path, message));
            }
            None => profiles.push(profile),
        }
    }
    let (mut ledger, import_problems) = load::export::import(&profiles);
    problems.extend(import_problems);
    problems.extend(load::kostra_file::import(&kostra, &mut ledger));
    (profiles, ledger, problems)
}

/// A budget's sums, before they join the lines they were summed from.
struct Sums {
    totals: aggregate::ledger::LedgerTotals,
    parts: Vec<SummedPart>,
    statutory: Overviews,
    transfers: aggregate::transfers::Status,
    debt: Option<aggregate::debt::DebtOverview>,
    prices: Option<Prices>,
    population: Option<Population>,
    series_rows: Vec<(std::path::PathBuf, usize)>,
    tiltak: Option<load::tiltak::TiltakFile>,
    projects: Option<aggregate::projects::Projects>,
}

/// The report's version and the ledger's sums, grouped as the report groups them; an error
/// when the version or a plan year has no lines.
fn totals(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    years: &[i32],
) -> Result<(u16, aggregate::ledger::LedgerTotals), DataErrors> {
    let version = version_id(section, ledger, "budget.version", &section.version)?;
    // Grouping by a dimension no source has would put every line in one "(ikke oppgitt)".
    for (key, name) in [
        ("budget.group_by", Some(section.group_by)),
        ("budget.detail_by", section.detail_by),
        ("budget.investering_group_by", section.investering_group_by),
        (
            "budget.investering_detail_by",
            section.investering_detail_by,
        ),
    ] {
        let Some(name) = name else { continue };
        let defined = !ledger.dimensions[name.index()].label.is_empty();
        if !defined {
            let known: Vec<&str> = ledger
                .dimensions
                .iter()
                .filter(|d| !d.label.is_empty())
                .map(|d| d.role.name())
                .collect();
            let message = if known.is_empty() {
                crate::msg!("budget.undefined_dimension_none", key, name)
            } else {
                let known = known.join(", ");
                crate::msg!("budget.undefined_dimension", key, name, known)
            };
            return Err(DataErrors::from(DataError::new(
                section.config.clone(),
                message,
            )));
        }
    }
    let totals = aggregate::ledger::aggregate(
        ledger,
        Some(section.group_by.index()),
        section.detail_by.map(model::Role::index),
        Some(version),
    )?;
    // Every plan year must have lines, or the report would print an empty year as a
    // balanced budget of 0 kr. A sector's extract is exempt: the whole report was checked
    // first, and a sector without a line in a year (an investment that ends before the plan's
    // last year) truly has 0 there, the figure the whole report prints for it.
    let missing: Vec<String> = years
        .iter()
        .filter(|y| !totals.by_year.contains_key(y))
        .map(i32::to_string)
        .collect();
    if !missing.is_empty() && !section.sector_of_whole {
        let found: Vec<String> = totals
            .by_year_version
            .keys()
            .map(|(y, v)| format!("{y} {}", ledger.versions[usize::from(*v)]))
            .collect();
        let (version, missing) = (format!("{:?}", section.version), missing.join(", "));
        let message = if found.is_empty() {
            crate::msg!("budget.plan_years_missing_no_lines", version, missing)
        } else {
            let found = found.join(", ");
            crate::msg!("budget.plan_years_missing", version, missing, found)
        };
        return Err(DataErrors::from(DataError::new(
            section.config.clone(),
            message,
        )));
    }
    Ok((version, totals))
}

/// The id of a version the configuration names at `key`, or an error listing the versions
/// the exports hold.
fn version_id(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    key: &str,
    name: &str,
) -> Result<u16, DataErrors> {
    ledger
        .versions
        .iter()
        .position(|v| v == name)
        .and_then(|v| u16::try_from(v).ok())
        .ok_or_else(|| {
            DataErrors::from(DataError::new(
                section.config.clone(),
                crate::msg!(
                    "budget.unknown_version",
                    key,
                    name = format!("{name:?}"),
                    versions = ledger.versions.join(", ")
                ),
            ))
        })
}

/// The rest of a budget once its totals are known: each part's sums, the comparison, statutory
/// overviews, transfers, debt, prices and population.
fn sum(
    section: &config::BudgetSection,
    profiles: &[load::profile::Profile],
    ledger: &model::ledger::Ledger,
    version: u16,
    totals: aggregate::ledger::LedgerTotals,
    years: &[i32],
) -> Result<Sums, DataErrors> {
    let (prices, population, series_rows) = series(section, years)?;
    let mut parts = Vec::new();
    for part in [model::Part::Drift, model::Part::Investering] {
        parts.extend(part_sums(section, ledger, part, (version, &totals), years)?);
    }
    check_compared(section, &parts, years)?;
    let statutory = statutory_overviews(section, profiles, ledger, &mut parts, years)?;
    let transfers = transfers(section, ledger, &parts, years)?;
    let debt = match &section.debt {
        None => None,
        Some(file) => {
            let mut debt = aggregate::debt::load(file, years).map_err(DataErrors)?;
            if let Some(folder) = &section.statutory {
                let problems = aggregate::debt::cross_check(&mut debt, folder, &statutory, years);
                if !problems.is_empty() {
                    return Err(DataErrors(problems));
                }
            }
            Some(debt)
        }
    };
    let tiltak = tiltak(section, ledger, &parts, years)?;
    let projects = projects(section, ledger, &parts, &statutory, years)?;
    Ok(Sums {
        totals,
        parts,
        statutory,
        transfers,
        debt,
        prices,
        population,
        series_rows,
        tiltak,
        projects,
    })
}

/// The projects file, joined with the investment part by project code and checked against
/// it and § 5-5, when the report names one.
fn projects(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    parts: &[SummedPart],
    statutory: &Overviews,
    years: &[i32],
) -> Result<Option<aggregate::projects::Projects>, DataErrors> {
    let Some(path) = &section.projects else {
        return Ok(None);
    };
    let unit = section.presentation.unit.scale.divisor();
    let file = load::projects::load(path, years, unit).map_err(DataErrors)?;
    let part = parts.iter().find(|p| p.part == model::Part::Investering);
    let overview = statutory
        .iter()
        .find(|(o, _)| o.statement == aggregate::statutory::Statement::AppropriationsInvestering);
    let (Some(part), Some((_, overview))) = (part, overview) else {
        let message = crate::msg!("projects.no_investering");
        return Err(DataError::new(section.config.clone(), message).into());
    };
    let investment = aggregate::projects::Investment {
        ledger,
        sources: &part.sources,
        version: part.version,
        group_role: section.group_by,
        overview,
        config: &section.config,
    };
    aggregate::projects::join(file, &investment, &section.accept_projects, years)
        .map(Some)
        .map_err(DataErrors)
}

/// The tiltak file, read and checked against the change bridge of the part it speaks of
/// (drift when the report has it, else its only part), when the report names one.
fn tiltak(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    parts: &[SummedPart],
    years: &[i32],
) -> Result<Option<load::tiltak::TiltakFile>, DataErrors> {
    let Some(path) = &section.tiltak else {
        return Ok(None);
    };
    let unit = section.presentation.unit.scale.divisor();
    let file = load::tiltak::load(path, years, unit).map_err(DataErrors)?;
    let part = parts
        .iter()
        .find(|p| p.part == model::Part::Drift)
        .or(parts.first());
    // `tiltak` needs `bridge_start` (the configuration refuses it without), so a part has a
    // bridge.
    if let (Some(part), Some((start, exclude))) = (part, &section.bridge)
        && let Some(sums) = &part.bridge
    {
        let bridge = validate::tiltak::Bridge {
            sums,
            group_role: section.grouping(part.part == model::Part::Investering).0,
            start,
            exclude,
        };
        let problems = validate::tiltak::check(&file, ledger, &bridge, years);
        if !problems.is_empty() {
            return Err(DataErrors(problems));
        }
    }
    Ok(Some(file))
}

/// The series a report names, and the lines read from each file.
type Series = (
    Option<Prices>,
    Option<Population>,
    Vec<(std::path::PathBuf, usize)>,
);

/// Fixed prices (the base year and each plan year's index) and inhabitants per year, when the
/// report names their files; a series file has one line per year it holds.
fn series(section: &config::BudgetSection, years: &[i32]) -> Result<Series, DataErrors> {
    let mut rows = Vec::new();
    let prices = match &section.fixed_prices {
        None => None,
        Some((file, base)) => {
            let growth = load::read_series(file, load::Series::Growth)?;
            rows.push((file.clone(), growth.len()));
            let index = aggregate::prices::index(&growth, *base, years)
                .map_err(|message| DataError::new(file, message))?;
            Some((*base, index))
        }
    };
    let population = match &section.population {
        None => None,
        Some(file) => {
            let series = load::read_series(file, load::Series::Population)?;
            rows.push((file.clone(), series.len()));
            if let Some(year) = years.iter().find(|y| !series.contains_key(y)) {
                let message = crate::msg!("budget.population_missing", year);
                return Err(DataError::new(file, message).into());
            }
            Some(series)
        }
    };
    Ok((prices, population, rows))
}

/// One part of the budget (drift or investering) summed on its own, grouped as the report
/// groups that part, with its change bridge and the sides of its comparison; `None` when no
/// source belongs to the part. `whole` is the report's version and the ledger's sums, reused
/// when the part is the whole ledger grouped alike.
fn part_sums(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    part: model::Part,
    (version, whole): (u16, &aggregate::ledger::LedgerTotals),
    years: &[i32],
) -> Result<Option<SummedPart>, DataErrors> {
    let sources: Vec<u16> = ledger
        .sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.part == part)
        .map(|(i, _)| u16::try_from(i).unwrap_or(u16::MAX))
        .collect();
    if sources.is_empty() {
        return Ok(None);
    }
    let investering = part == model::Part::Investering;
    let (group_by, detail_by) = section.grouping(investering);
    let version_name = section.version_of(investering);
    let key = if investering && section.investering_version.is_some() {
        "budget.investering_version"
    } else {
        "budget.version"
    };
    let part_version = version_id(section, ledger, key, version_name)?;
    let totals = if ledger.sources.len() == sources.len()
        && part_version == version
        && (group_by, detail_by) == (section.group_by, section.detail_by)
    {
        // One part, grouped as the whole: its sums are the ledger's.
        whole.clone()
    } else {
        aggregate::ledger::aggregate_sources(
            ledger,
            Some(group_by.index()),
            detail_by.map(model::Role::index),
            Some(part_version),
            Some(&sources),
        )?
    };
    if !section.sector_of_whole {
        missing_years(section, ledger, &sources, &totals, years, investering)?;
    }
    let bridge = match &section.bridge {
        None => None,
        Some((_, exclude)) => Some(aggregate::ledger::bridge(
            ledger,
            &sources,
            part_version,
            model::Role::ChangeGroup.index(),
            group_by.index(),
            exclude,
        )?),
    };
    let grouping = (group_by, detail_by);
    let comparison = compared_sides(
        section,
        ledger,
        &sources,
        grouping,
        years,
        ("budget.compare", &section.compare),
    )?;
    let history = history_sides(section, ledger, &sources, grouping, part)?;
    Ok(Some(SummedPart {
        part,
        version: part_version,
        sources,
        totals,
        bridge,
        comparison,
        history,
    }))
}

/// Sides of a comparison (`budget.compare`) or history columns (`budget.history`), each its
/// version summed over the part's sources, grouped as the part; a side without a year is of
/// the first plan year.
fn compared_sides(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    sources: &[u16],
    (group_by, detail_by): (model::Role, Option<model::Role>),
    years: &[i32],
    (key, sides): (&str, &[config::CompareSide]),
) -> Result<Vec<ComparedSide>, DataErrors> {
    let mut comparison = Vec::new();
    for side in sides {
        let id = version_id(section, ledger, key, &side.version)?;
        let year = side
            .year
            .or_else(|| years.first().copied())
            .unwrap_or_default();
        let totals = aggregate::ledger::aggregate_sources(
            ledger,
            Some(group_by.index()),
            detail_by.map(model::Role::index),
            Some(id),
            Some(sources),
        )?;
        comparison.push(ComparedSide {
            side: side.clone(),
            year,
            totals,
        });
    }
    Ok(comparison)
}

/// The history columns of a part, found as compared sides are; each is complete or refused
/// like a plan year: a side without a line of its version in its year among the part's
/// sources would print 0 everywhere.
fn history_sides(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    sources: &[u16],
    grouping: (model::Role, Option<model::Role>),
    part: model::Part,
) -> Result<Vec<HistorySide>, DataErrors> {
    let history = ("budget.history", section.history.as_slice());
    let sides = compared_sides(section, ledger, sources, grouping, &[], history)?;
    sides
        .into_iter()
        .map(|sums| {
            let version = version_id(section, ledger, "budget.history", &sums.side.version)?;
            if !section.sector_of_whole && !sums.totals.by_year.contains_key(&sums.year) {
                let held: Vec<String> = sums
                    .totals
                    .by_year_version
                    .keys()
                    .map(|(y, v)| format!("{} {y}", ledger.versions[usize::from(*v)]))
                    .collect();
                let part = match part {
                    model::Part::Drift => "drift",
                    model::Part::Investering => "investering",
                };
                let message = crate::msg!(
                    "history.missing",
                    part,
                    version = format!("{:?}", sums.side.version),
                    year = sums.year,
                    held = held.join(", ")
                );
                return Err(DataError::new(section.config.clone(), message).into());
            }
            Ok(HistorySide {
                sums,
                version,
                statutory: Vec::new(),
            })
        })
        .collect()
}

/// A part whose exports hold no line of its version in a plan year would print as an empty
/// budget of 0 kr: refuses it, saying which versions the part has.
fn missing_years(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    sources: &[u16],
    totals: &aggregate::ledger::LedgerTotals,
    years: &[i32],
    investering: bool,
) -> Result<(), DataErrors> {
    let version_name = section.version_of(investering);
    let missing: Vec<String> = years
        .iter()
        .filter(|y| !totals.by_year.contains_key(y))
        .map(i32::to_string)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let held: std::collections::BTreeSet<&str> = ledger
        .lines
        .iter()
        .filter(|l| sources.contains(&l.source))
        .map(|l| ledger.versions[usize::from(l.version)].as_str())
        .collect();
    let (key, part) = if investering {
        ("budget.investering_version", "investering")
    } else {
        ("budget.version", "drift")
    };
    let version = format!("{version_name:?}");
    let (missing, held) = (
        missing.join(", "),
        held.into_iter().collect::<Vec<_>>().join(", "),
    );
    let message = if investering && section.investering_version.is_none() {
        crate::msg!(
            "budget.part_version_missing_hint",
            key,
            part,
            version,
            missing,
            held
        )
    } else {
        crate::msg!(
            "budget.part_version_missing",
            key,
            part,
            version,
            missing,
            held
        )
    };
    Err(DataErrors::from(DataError::new(
        section.config.clone(),
        message,
    )))
}

/// A side of the comparison without a line in any part would print as 0 kr everywhere:
/// refuse it.
fn check_compared(
    section: &config::BudgetSection,
    parts: &[SummedPart],
    years: &[i32],
) -> Result<(), DataErrors> {
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
            return Err(DataErrors::from(DataError::new(
                section.config.clone(),
                crate::msg!(
                    "budget.compared_version_missing",
                    version = format!("{:?}", side.version),
                    year
                ),
            )));
        }
    }
    Ok(())
}

/// Checks the transfers between drift and investering: per pair and year, what drift sends
/// must be what investering receives. A difference is a problem unless the report accepts it.
fn transfers(
    section: &config::BudgetSection,
    ledger: &model::ledger::Ledger,
    parts: &[SummedPart],
    years: &[i32],
) -> Result<aggregate::transfers::Status, DataErrors> {
    use aggregate::transfers::Status;
    use model::Part;
    let find = |part: Part| parts.iter().find(|p| p.part == part);
    let (Some(drift_part), Some(investering_part)) = (find(Part::Drift), find(Part::Investering))
    else {
        return Ok(Status::OnePart);
    };
    let (drift, investering) = (&drift_part.sources, &investering_part.sources);
    let art = model::Role::Art.index();
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
        let problems = validate::summed::transfer_differences(ledger, &computed, drift[0]);
        if !problems.is_empty() {
            return Err(DataErrors(problems));
        }
    }
    Ok(Status::Checked(computed))
}

/// The statutory overviews with their computed rows.
pub(crate) type Overviews = Vec<(
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
    ledger: &model::ledger::Ledger,
    parts: &mut [SummedPart],
    years: &[i32],
) -> Result<Overviews, DataErrors> {
    use aggregate::statutory::{self, Roles, Statement};
    let Some(folder) = &section.statutory else {
        return Ok(Vec::new());
    };
    let roles = Roles {
        art: model::Role::Art.index(),
        funksjon: model::Role::Service.index(),
        group: section.group_by.index(),
    };
    let chart_year = section
        .kostra_year
        .or_else(|| years.first().copied())
        .unwrap_or_default();
    let mut overviews = Vec::new();
    let mut problems = Vec::new();
    for budget_part in parts {
        let (part, version, sources) = (
            budget_part.part,
            budget_part.version,
            budget_part.sources.clone(),
        );
        let sources = &sources;
        let before = problems.len();
        problems.extend(validate::summed::kostra_codes(
            ledger, profiles, part, sources,
        ));
        if problems.len() > before {
            continue;
        }
        for &statement in Statement::of(part) {
            let overview = statutory::load_statement(folder, statement)?;
            let totals = overview.compute(ledger, sources, version, years, chart_year, roles)?;
            if !section.accept_unmapped {
                problems.extend(validate::summed::unmapped(ledger, statement, &totals));
            }
            problems.extend(validate::summed::bottom_row(&overview, &totals));
            // A history column's lines in the chart of their own year, every one placed.
            for side in &mut budget_part.history {
                let year = side.sums.year;
                let side_totals =
                    overview.compute(ledger, sources, side.version, &[year], year, roles)?;
                problems.extend(validate::summed::unmapped(ledger, statement, &side_totals));
                problems.extend(validate::summed::bottom_row(&overview, &side_totals));
                side.statutory.push(side_totals);
            }
            overviews.push((overview, totals));
        }
        problems.extend(validate::summed::equal_rows(&overviews, part));
    }
    if problems.is_empty() {
        Ok(overviews)
    } else {
        Err(DataErrors(problems))
    }
}
