//! `budsjett check`: reads every source of a report without typesetting and says what it
//! found — rows per file, years and versions, totals and the balance per year, the distinct
//! values of each dimension — and every problem, each located at file, line and column.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::aggregate::ledger;
use crate::config::Config;
use crate::error::DataError;
use crate::format::plain;
use crate::load::{dialect, export, profile::Profile};

/// What `check` found: the text to print, and how many problems.
pub struct CheckOutcome {
    pub text: String,
    pub problems: Vec<DataError>,
}

/// Checks every source a report configuration names, then builds the view model and renders
/// the template (everything but typesetting), so that what `check` passes, `render` can print.
pub fn check_report(config_path: &Path, templates: &Path) -> Result<CheckOutcome, crate::Error> {
    let mut config = Config::load(config_path)?;
    config.words = crate::words::Words::load(templates, &config.report.language)?;
    let mut text = String::new();
    let mut problems = Vec::new();
    let mut chapter = None;
    if let Some(files) = &config.data {
        match crate::read_chapter(files, &config) {
            Ok(data) => {
                let _ = writeln!(
                    text,
                    "Strategy chapter: {} areas, {} programmes, {} phases, {} amounts, {} milestones, {} key figures",
                    data.areas.rows.len(),
                    data.programmes.rows.len(),
                    data.phases.rows.len(),
                    data.amounts.rows.len(),
                    data.milestones.rows.len(),
                    data.key_figures.rows.len()
                );
                match crate::aggregate::aggregate(&data, &config) {
                    Ok(totals) => chapter = Some((data, totals)),
                    Err(e) => problems.push(overflow(e)),
                }
            }
            Err(errors) => problems.extend(errors.0),
        }
    }
    let mut budget = None;
    if let Some(section) = &config.budget {
        let (profiles, ledger, import_problems) = import(&section.sources);
        let clean = import_problems.is_empty();
        problems.extend(import_problems);
        let years: Vec<i32> = config.plan.years().collect();
        // The report's own totals describe the sources too; only without them is the ledger
        // summed separately for the description.
        let totals = if clean {
            match crate::budget_totals(section, &ledger, &years) {
                Ok(totals) => Some(totals),
                Err(e) => {
                    problems.extend(budget_problems(e, &config.path));
                    None
                }
            }
        } else {
            None
        };
        match &totals {
            Some((_, totals)) => describe_sources(&mut text, &ledger, totals),
            None => match ledger::aggregate(&ledger, None, None, None) {
                Ok(totals) => describe_sources(&mut text, &ledger, &totals),
                Err(e) => problems.push(overflow(e)),
            },
        }
        if let Some((version, totals)) = totals {
            match crate::finish_budget(section, profiles, ledger, version, totals, &years) {
                Ok(summed) => {
                    let tolerance = section.presentation.balance_tolerance;
                    describe_balance(&mut text, &summed, &years, tolerance);
                    describe_statutory(&mut text, &summed);
                    budget = Some((section, summed));
                }
                Err(e) => problems.extend(budget_problems(e, &config.path)),
            }
        }
    }
    if problems.is_empty() {
        let mut report = crate::present::present(
            &config,
            chapter.as_ref().map(|(data, totals)| (data, totals)),
            budget.as_ref().map(|(section, b)| b.input(section)),
        );
        // The fingerprint the colophon and the PDF's metadata carry, as `sha256sum` prints it.
        match crate::fingerprint::Fingerprint::of(&config) {
            Ok(fingerprint) => {
                for file in &fingerprint.files {
                    let _ = writeln!(text, "{}  {}", file.sha256, file.path.display());
                }
                let _ = writeln!(text, "Fingerprint: {}", fingerprint.digest);
                report.colophon = Some(crate::present::colophon(
                    &config,
                    &fingerprint,
                    chapter.as_ref().map(|(data, _)| data),
                    budget.as_ref().map(|(_, b)| &b.ledger),
                ));
            }
            Err(e) => problems.push(DataError::new(&config.path, e.to_string())),
        }
        match crate::template::Templates::new(templates, &config.words)
            .render(&config.report.template, &report)
        {
            Ok(mut source) => {
                // What render will shorten before typesetting, said here too.
                for note in crate::typeset::cap_alt_texts(&mut source) {
                    let _ = writeln!(text, "{note}");
                }
            }
            Err(e) => {
                let mut problem = DataError::new(&e.file, format!("template error: {}", e.message));
                problem.line = e.line.map(|l| l as u64);
                problems.push(problem);
            }
        }
    }
    finish(&mut text, &problems);
    Ok(CheckOutcome { text, problems })
}

/// A sum too large to compute, as a problem located at the line that overflowed.
fn overflow(error: crate::aggregate::AggregateError) -> DataError {
    DataError::new(
        &error.what,
        "the sum is too large to compute exactly (overflow)",
    )
}

/// Checks profiles (and the exports they name) on their own.
pub fn check_profiles(paths: &[PathBuf]) -> CheckOutcome {
    let mut text = String::new();
    let (_, ledger, mut problems) = import(paths);
    match ledger::aggregate(&ledger, None, None, None) {
        Ok(totals) => describe_sources(&mut text, &ledger, &totals),
        Err(e) => problems.push(overflow(e)),
    }
    CheckOutcome { text, problems }
}

/// Reads the profiles and their exports, with every problem found.
fn import(paths: &[PathBuf]) -> (Vec<Profile>, export::Ledger, Vec<DataError>) {
    let mut problems = Vec::new();
    let profiles: Vec<Profile> = paths
        .iter()
        .filter_map(|path| Profile::load(path).map_err(|e| problems.push(e)).ok())
        .collect();
    let (ledger, import_problems) = export::import(&profiles);
    problems.extend(import_problems);
    (profiles, ledger, problems)
}

/// Why a budget cannot be summed, as problems.
fn budget_problems(error: crate::Error, config: &Path) -> Vec<DataError> {
    match error {
        crate::Error::Data(errors) => errors.0,
        crate::Error::Config { path, message } => vec![DataError::new(path, message)],
        crate::Error::Aggregate(e) => vec![overflow(e)],
        e => vec![DataError::new(config, e.to_string())],
    }
}

fn describe_sources(text: &mut String, ledger: &export::Ledger, totals: &ledger::LedgerTotals) {
    for (index, source) in ledger.sources.iter().enumerate() {
        describe_source(text, ledger, totals, index, source);
    }
}

fn finish(text: &mut String, problems: &[DataError]) {
    if problems.is_empty() {
        text.push_str("No problems found.\n");
    } else {
        let _ = writeln!(
            text,
            "{} problem{}:",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        for problem in problems {
            let _ = writeln!(text, "  {problem}");
        }
    }
}

/// Adds the summary of a profiles-only check and its problems.
pub fn finish_profiles(outcome: &mut CheckOutcome) {
    finish(&mut outcome.text, &outcome.problems);
}

fn describe_source(
    text: &mut String,
    ledger: &export::Ledger,
    totals: &ledger::LedgerTotals,
    index: usize,
    source: &export::SourceInfo,
) {
    let source_id = u16::try_from(index).unwrap_or(u16::MAX);
    let _ = writeln!(
        text,
        "{} (profile {})",
        source.file.display(),
        export::short_name(&source.profile)
    );
    let mut how = Vec::new();
    if let Some(encoding) = source.encoding {
        how.push(format!(
            "{encoding}{}",
            if source.bom { " with BOM" } else { "" }
        ));
    }
    if let Some(delimiter) = source.delimiter {
        how.push(format!("delimiter {}", dialect::delimiter_name(delimiter)));
    }
    how.push(format!("{} layout", source.layout));
    let lines = ledger
        .lines
        .iter()
        .filter(|l| l.source == source_id)
        .count();
    let _ = writeln!(
        text,
        "  rows read: {} ({}); budget lines: {}; rows filtered out: {}; empty amount cells: {}",
        plain(Decimal::from(source.rows)),
        how.join(", "),
        plain(Decimal::from(lines)),
        source.filtered,
        source.empty_amounts
    );
    if let Some(first) = source.first_long_row {
        let _ = writeln!(
            text,
            "  note: {} rows have more fields than the header line; the extra fields have no \
             column name and were ignored (first at line {first})",
            plain(Decimal::from(source.long_rows))
        );
    }
    let rows: Vec<_> = totals
        .by_source
        .range((source_id, i32::MIN, 0)..=(source_id, i32::MAX, u16::MAX))
        .collect();
    if rows.is_empty() {
        let _ = writeln!(text, "  no amounts read");
    } else {
        let found: Vec<String> = rows
            .iter()
            .map(|((_, year, version), _)| {
                format!("{year} {}", ledger.versions[usize::from(*version)])
            })
            .collect();
        let _ = writeln!(text, "  years and versions: {}", found.join(", "));
        let _ = writeln!(
            text,
            "  {:<6} {:<14} {:>20} {:>20} {:>18}",
            "year", "version", "expenses", "income", "balance"
        );
        for ((_, year, version), flow) in rows {
            let _ = writeln!(
                text,
                "  {:<6} {:<14} {:>20} {:>20} {:>18}{}",
                year,
                ledger.versions[usize::from(*version)],
                plain(flow.expense),
                plain(flow.income),
                plain(flow.net),
                if flow.net.is_zero() {
                    ""
                } else {
                    "  (not in balance)"
                }
            );
        }
    }
    // Which values of each dimension this source's lines use, in one pass over the lines.
    let mut used: Vec<Vec<bool>> = ledger
        .dimensions
        .iter()
        .map(|d| vec![false; d.values.len()])
        .collect();
    for line in ledger.lines.iter().filter(|l| l.source == source_id) {
        for (role, &id) in line.dims.iter().enumerate() {
            if let Some(seen) = used[role].get_mut(id as usize) {
                *seen = true;
            }
        }
    }
    // A dimension the profile does not label is named as a bokmål report names it.
    let words = crate::words::Words::default();
    for (index, (dimension, used)) in ledger.dimensions.iter().zip(&used).enumerate() {
        let values: Vec<usize> = (0..used.len()).filter(|&i| used[i]).collect();
        if values.is_empty() {
            continue;
        }
        let mut names: Vec<String> = values
            .iter()
            .take(6)
            .map(|&v| dimension.values[v].display())
            .collect();
        if values.len() > 6 {
            names.push("…".into());
        }
        let _ = writeln!(
            text,
            "  {} ({}): {} distinct values: {}",
            crate::present::table::dimension_label(&words, ledger, index).unwrap_or_default(),
            dimension.role,
            values.len(),
            names.join("; ")
        );
    }
}

/// Warns about years whose balance is further from zero than the tolerance, per part: drift
/// and investering are two budgets, each balanced on its own.
fn describe_balance(text: &mut String, budget: &crate::Budget, years: &[i32], tolerance: Decimal) {
    let several = budget.parts.len() > 1;
    for part in &budget.parts {
        let name = match part.part {
            crate::model::Part::Drift => "drift",
            crate::model::Part::Investering => "investering",
        };
        if several {
            let balances: Vec<String> = years
                .iter()
                .map(|y| {
                    let net = part
                        .totals
                        .by_year
                        .get(y)
                        .map(|f| f.net)
                        .unwrap_or_default();
                    format!("{y}: {} kr", plain(net))
                })
                .collect();
            let _ = writeln!(text, "{name}: balance {}", balances.join(", "));
        }
        for year in years {
            let net = part
                .totals
                .by_year
                .get(year)
                .map(|f| f.net)
                .unwrap_or_default();
            if net.abs() > tolerance {
                let _ = writeln!(
                    text,
                    "warning: {year}{}: the sum of all lines is {} kr, more than the tolerance of \
                     {} kr (budget.balance_tolerance)",
                    if several {
                        format!(" {name}")
                    } else {
                        String::new()
                    },
                    plain(net),
                    plain(tolerance)
                );
            }
        }
    }
    if let crate::aggregate::transfers::Status::Checked(transfers) = &budget.transfers {
        for t in transfers {
            for (year, (sent, received)) in &t.by_year {
                let _ = writeln!(
                    text,
                    "{year}: {}: drift sends {} kr (art {:03}), investering receives {} kr (art {:03}){}",
                    t.pair.name,
                    plain(*sent),
                    t.pair.drift_art,
                    plain(-*received),
                    t.pair.investering_art,
                    if t.difference(*year).is_zero() {
                        String::new()
                    } else {
                        format!(
                            "; warning: a difference of {} kr, accepted by budget.accept_transfer_difference",
                            plain(t.difference(*year))
                        )
                    }
                );
            }
        }
    }
    if let crate::aggregate::transfers::Status::NotChecked(why) = &budget.transfers {
        let _ = writeln!(
            text,
            "note: the transfers between drift and investering are not checked: {}",
            match why {
                crate::aggregate::transfers::NotChecked::NoMapping =>
                    "budget.statutory names no KOSTRA mapping folder".to_string(),
                crate::aggregate::transfers::NotChecked::NoKostraArt(profile) =>
                    format!("{} does not say its art is a KOSTRA art", profile.display()),
            }
        );
    }
}

/// Says what the statutory overviews left out and, when the report accepts them, which lines
/// they could not place (without that key those are problems, listed with the others).
fn describe_statutory(text: &mut String, budget: &crate::Budget) {
    for (overview, totals) in &budget.statutory {
        let name = format!("§ {}", overview.statement.paragraph());
        let sums = |by_year: &std::collections::BTreeMap<i32, Decimal>| {
            by_year
                .iter()
                .map(|(y, v)| format!("{y}: {} kr", plain(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            text,
            "{name}: every line placed in a row{}",
            if totals.unmapped.is_empty() {
                ""
            } else {
                " but those listed as not placed"
            }
        );
        for excluded in &totals.excluded {
            let _ = writeln!(
                text,
                "  left out: {} ({} lines; {}): {}",
                excluded.codes,
                excluded.count,
                sums(&excluded.by_year),
                excluded.reason
            );
        }
        for unmapped in &totals.unmapped {
            let file = budget
                .ledger
                .sources
                .get(usize::from(unmapped.first.0))
                .map(|s| s.file.display().to_string());
            let _ = writeln!(
                text,
                "warning: {}:{}: art {}: {} lines not placed in {name} ({}); printed as not \
                 placed because budget.accept_unmapped = true",
                file.unwrap_or_default(),
                unmapped.first.1,
                unmapped.art,
                unmapped.count,
                sums(&unmapped.by_year)
            );
        }
    }
}
