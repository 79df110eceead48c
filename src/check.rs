//! `budsjett check`: reads every source of a report without typesetting and says what it
//! found — rows per file, years and versions, totals and the balance per year, the distinct
//! values of each dimension — and every problem, each located at file, line and column.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::aggregate::ledger;
use crate::error::DataError;
use crate::format::{exact, plain};
use crate::load::{dialect, export};
use crate::model::ledger::{Ledger, NONE, SourceInfo};
use crate::pipeline::{self, ReadBudget};
use crate::summed_budget::SummedBudget;

/// What `check` found: the text to print, and how many problems.
pub struct CheckOutcome {
    pub text: String,
    pub problems: Vec<DataError>,
}

/// Runs the pipeline up to the Typst source (everything but typesetting) and describes what
/// each stage found, so that what `check` passes, `render` prints: they share
/// `pipeline::read`.
pub fn check_report(
    config_path: &Path,
    templates: &Path,
) -> Result<CheckOutcome, crate::pipeline::Error> {
    let stages = pipeline::read(config_path, templates)?;
    let mut text = String::new();
    let mut problems = stages.problems;
    if let Some(chapter) = &stages.chapter {
        let data = &chapter.data;
        let line = crate::msg!(
            "check.strategy_chapter",
            areas = data.areas.rows.len(),
            programmes = data.programmes.rows.len(),
            phases = data.phases.rows.len(),
            amounts = data.amounts.rows.len(),
            milestones = data.milestones.rows.len(),
            key_figures = data.key_figures.rows.len()
        );
        let _ = writeln!(text, "{line}");
    }
    match (&stages.budget, &stages.config.budget) {
        (Some(ReadBudget::Summed(budget)), Some(section)) => {
            describe_sources(&mut text, &budget.ledger, &budget.totals);
            let years: Vec<i32> = stages.config.plan.years().collect();
            let tolerance = section.presentation.balance_tolerance;
            describe_balance(&mut text, budget, &years, tolerance);
            describe_statutory(&mut text, budget);
            describe_comparison(&mut text, budget, section);
            describe_history(&mut text, budget, section, &years);
        }
        // The sources are described from what could be read, problems or not.
        (Some(ReadBudget::Lines(read)), _) => match ledger::aggregate(read, None, None, None) {
            Ok(totals) => describe_sources(&mut text, read, &totals),
            Err(e) => problems.push(e.into()),
        },
        _ => {}
    }
    // The fingerprint the colophon and the PDF's metadata carry, as `sha256sum` prints it.
    if let Some(fingerprint) = &stages.fingerprint {
        for file in &fingerprint.files {
            if file.built_in {
                let line = crate::msg!(
                    "check.built_in_file",
                    sha256 = file.sha256,
                    name = file.name
                );
                let _ = writeln!(text, "{line}");
            } else {
                let _ = writeln!(text, "{}  {}", file.sha256, file.path.display());
            }
        }
        let line = crate::msg!("check.fingerprint", digest = fingerprint.digest);
        let _ = writeln!(text, "{line}");
    }
    // What render will shorten before typesetting, said here too.
    for note in &stages.notes {
        let _ = writeln!(text, "{note}");
    }
    finish(&mut text, &problems);
    Ok(CheckOutcome { text, problems })
}

/// Checks profiles (and the exports they name) on their own.
pub fn check_profiles(paths: &[PathBuf]) -> CheckOutcome {
    let mut text = String::new();
    let (_, ledger, mut problems) = crate::summed_budget::read_sources(paths, &[]);
    match ledger::aggregate(&ledger, None, None, None) {
        Ok(totals) => describe_sources(&mut text, &ledger, &totals),
        Err(e) => problems.push(e.into()),
    }
    finish(&mut text, &problems);
    CheckOutcome { text, problems }
}

fn describe_sources(text: &mut String, ledger: &Ledger, totals: &ledger::LedgerTotals) {
    for (index, source) in ledger.sources.iter().enumerate() {
        describe_source(text, ledger, totals, index, source);
    }
    for sheet in &ledger.balance_sheets {
        text.push_str(&crate::load::kostra_file::describe_balance(sheet));
    }
}

fn finish(text: &mut String, problems: &[DataError]) {
    if problems.is_empty() {
        let _ = writeln!(text, "{}", crate::msg!("check.no_problems"));
    } else {
        let _ = writeln!(
            text,
            "{}",
            crate::msg!("check.problems", n = problems.len())
        );
        for problem in problems {
            let _ = writeln!(text, "  {problem}");
        }
    }
}

fn describe_source(
    text: &mut String,
    ledger: &Ledger,
    totals: &ledger::LedgerTotals,
    index: usize,
    source: &SourceInfo,
) {
    let source_id = u16::try_from(index).unwrap_or(u16::MAX);
    if let Some(header) = &source.kostra {
        let kostra = crate::load::kostra_file::describe_part(header, source.part);
        let _ = writeln!(text, "{} ({kostra})", source.file.display());
    } else {
        let line = crate::msg!(
            "check.source",
            file = source.file.display(),
            profile = export::short_name(&source.profile)
        );
        let _ = writeln!(text, "{line}");
    }
    let mut how = Vec::new();
    if let Some(encoding) = source.encoding {
        how.push(if source.bom {
            crate::msg!("check.encoding_with_bom", encoding)
        } else {
            encoding.to_string()
        });
    }
    if let Some(delimiter) = source.delimiter {
        let name = dialect::delimiter_name(delimiter);
        how.push(crate::msg!("check.delimiter", name));
    }
    how.push(crate::msg!("check.layout", layout = source.layout));
    let lines = ledger
        .lines
        .iter()
        .filter(|l| l.source == source_id)
        .count();
    let line = crate::msg!(
        "check.rows_read",
        rows = plain(Decimal::from(source.rows)),
        how = how.join(", "),
        lines = plain(Decimal::from(lines)),
        filtered = source.filtered,
        empty = source.empty_amounts
    );
    let _ = writeln!(text, "  {line}");
    if source.unterminated {
        let _ = writeln!(text, "{}", crate::msg!("load.ending.unterminated"));
    }
    if source.filled > 0 {
        let count = plain(Decimal::from(source.filled));
        let _ = writeln!(text, "{}", crate::msg!("load.fill_down.filled", count));
    }
    if let Some(first) = source.first_long_row {
        let line = crate::msg!(
            "check.long_rows",
            n = source.long_rows,
            rows = plain(Decimal::from(source.long_rows)),
            first
        );
        let _ = writeln!(text, "  {line}");
    }
    describe_amounts(text, ledger, totals, source_id);
    describe_dimensions(text, ledger, source_id);
}

/// A source's sums per year and version: expenses, income and balance.
fn describe_amounts(
    text: &mut String,
    ledger: &Ledger,
    totals: &ledger::LedgerTotals,
    source_id: u16,
) {
    let rows: Vec<_> = totals
        .by_source
        .range((source_id, i32::MIN, 0)..=(source_id, i32::MAX, u16::MAX))
        .collect();
    if rows.is_empty() {
        let _ = writeln!(text, "  {}", crate::msg!("check.no_amounts"));
    } else {
        let found: Vec<String> = rows
            .iter()
            .map(|((_, year, version), _)| {
                format!("{year} {}", ledger.versions[usize::from(*version)])
            })
            .collect();
        let found = found.join(", ");
        let _ = writeln!(text, "  {}", crate::msg!("check.years_and_versions", found));
        let _ = writeln!(
            text,
            "  {:<6} {:<14} {:>20} {:>20} {:>18}",
            crate::msg!("check.column_year"),
            crate::msg!("check.column_version"),
            crate::msg!("check.column_expenses"),
            crate::msg!("check.column_income"),
            crate::msg!("check.column_balance")
        );
        for ((_, year, version), flow) in rows {
            let _ = writeln!(
                text,
                "  {:<6} {:<14} {:>20} {:>20} {:>18}{}",
                year,
                ledger.versions[usize::from(*version)],
                plain(flow.expense),
                plain(flow.income),
                // Exact, so a balance off by less than an øre is not printed as 0.
                exact(flow.net),
                if flow.net.is_zero() {
                    String::new()
                } else {
                    format!("  {}", crate::msg!("check.not_in_balance"))
                }
            );
        }
    }
}

/// Which values of each dimension a source's lines use (the first six of each).
fn describe_dimensions(text: &mut String, ledger: &Ledger, source_id: u16) {
    // Which values of each dimension this source's lines use, in one pass over the lines.
    let mut used: Vec<Vec<bool>> = ledger
        .dimensions
        .iter()
        .map(|d| vec![false; d.values.len()])
        .collect();
    // And how many of its lines have no value, per dimension.
    let mut empty = vec![0usize; ledger.dimensions.len()];
    let mut lines = 0usize;
    for line in ledger.lines.iter().filter(|l| l.source == source_id) {
        lines += 1;
        for (role, &id) in line.dims.iter().enumerate() {
            if let Some(seen) = used[role].get_mut(id as usize) {
                *seen = true;
            } else if id == NONE {
                empty[role] += 1;
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
        let label = ledger.dimension_label(index, &words).unwrap_or_default();
        let blank = empty[index];
        let (role, count, names) = (
            &dimension.role,
            values.len() + usize::from(blank > 0),
            names.join("; "),
        );
        let line = if blank > 0 {
            crate::msg!(
                "check.distinct_values_and_empty",
                label,
                role,
                count,
                names,
                blank,
                lines
            )
        } else {
            crate::msg!("check.distinct_values", label, role, count, names)
        };
        let _ = writeln!(text, "  {line}");
        if blank * 2 > lines {
            // issue 22, rule 6: a report-table export writes a group on its first row only.
            let line = crate::msg!("check.mostly_empty", label, blank, lines);
            let _ = writeln!(text, "  {line}");
        }
    }
}

/// Warns about years whose balance is further from zero than the tolerance, per part: drift
/// and investering are two budgets, each balanced on its own.
fn describe_balance(text: &mut String, budget: &SummedBudget, years: &[i32], tolerance: Decimal) {
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
                    crate::msg!("check.year_amount", year = y, amount = plain(net))
                })
                .collect();
            let balances = balances.join(", ");
            let _ = writeln!(text, "{}", crate::msg!("check.balance", name, balances));
        }
        for year in years {
            let net = part
                .totals
                .by_year
                .get(year)
                .map(|f| f.net)
                .unwrap_or_default();
            if net.abs() > tolerance {
                let year = if several {
                    format!("{year} {name}")
                } else {
                    year.to_string()
                };
                let (sum, tolerance) = (exact(net), plain(tolerance));
                let line = crate::msg!("check.out_of_balance", year, sum, tolerance);
                let _ = writeln!(text, "{line}");
            }
        }
    }
    describe_transfers(text, &budget.transfers);
}

/// The transfers between drift and investering, each year's sent and received, or why they
/// are not checked.
fn describe_transfers(text: &mut String, transfers_status: &crate::aggregate::transfers::Status) {
    if let crate::aggregate::transfers::Status::Checked(transfers) = transfers_status {
        for t in transfers {
            for (year, (sent, received)) in &t.by_year {
                let (name, sent, received) = (&t.pair.name, plain(*sent), plain(-*received));
                let drift_art = format!("{:03}", t.pair.drift_art);
                let investering_art = format!("{:03}", t.pair.investering_art);
                let line = if t.difference(*year).is_zero() {
                    crate::msg!(
                        "check.transfer",
                        year,
                        name,
                        sent,
                        drift_art,
                        received,
                        investering_art
                    )
                } else {
                    let difference = plain(t.difference(*year));
                    crate::msg!(
                        "check.transfer_with_difference",
                        year,
                        name,
                        sent,
                        drift_art,
                        received,
                        investering_art,
                        difference
                    )
                };
                let _ = writeln!(text, "{line}");
            }
        }
    }
    if let crate::aggregate::transfers::Status::NotChecked(why) = transfers_status {
        let line = match why {
            crate::aggregate::transfers::NotChecked::NoMapping => {
                crate::msg!("check.transfers_no_mapping")
            }
            crate::aggregate::transfers::NotChecked::NoKostraArt(profile) => {
                crate::msg!("check.transfers_no_kostra_art", profile = profile.display())
            }
        };
        let _ = writeln!(text, "{line}");
    }
}

/// Says what the statutory overviews left out and, when the report accepts them, which lines
/// they could not place (without that key those are problems, listed with the others).
fn describe_statutory(text: &mut String, budget: &SummedBudget) {
    for (overview, totals) in &budget.statutory {
        let name = format!("§ {}", overview.statement.paragraph());
        let sums = |by_year: &std::collections::BTreeMap<i32, Decimal>| {
            by_year
                .iter()
                .map(|(y, v)| crate::msg!("check.year_amount", year = y, amount = plain(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let line = if totals.unmapped.is_empty() {
            crate::msg!("check.statutory_all_placed", name)
        } else {
            crate::msg!("check.statutory_placed_but_listed", name)
        };
        let _ = writeln!(text, "{line}");
        for excluded in &totals.excluded {
            let line = crate::msg!(
                "check.left_out",
                codes = crate::aggregate::statutory::codes(excluded.art, excluded.funksjon),
                lines = crate::msg!("count.lines", n = excluded.count),
                sums = sums(&excluded.by_year),
                reason = excluded.reason
            );
            let _ = writeln!(text, "  {line}");
        }
        for unmapped in &totals.unmapped {
            let file = budget
                .ledger
                .sources
                .get(usize::from(unmapped.first.0))
                .map(|s| s.file.display().to_string());
            let line = crate::msg!(
                "check.not_placed",
                file = file.unwrap_or_default(),
                line = unmapped.first.1,
                art = unmapped.art,
                lines = crate::msg!("count.lines", n = unmapped.count),
                name,
                sums = sums(&unmapped.by_year)
            );
            let _ = writeln!(text, "{line}");
        }
    }
}

/// Warns about a comparison that may not say what the report means (issue 23): a budget
/// against the accounts of another year (worded as a change between the years, not as a
/// deviation), and groups that have lines in one side only (often one group named two ways,
/// printed as two rows of ±100 %).
fn describe_comparison(
    text: &mut String,
    budget: &SummedBudget,
    section: &crate::config::BudgetSection,
) {
    let words = crate::words::Words::default();
    if let Some([a, b]) = budget.parts.first().map(|p| p.comparison.as_slice())
        && a.side.is_accounts() != b.side.is_accounts()
        && a.year != b.year
    {
        let line = crate::msg!(
            "check.compare_years",
            first = format!("{:?}", a.side.label),
            first_year = a.year,
            second = format!("{:?}", b.side.label),
            second_year = b.year
        );
        let _ = writeln!(text, "{line}");
    }
    let several = budget.parts.len() > 1;
    for part in &budget.parts {
        let investering = part.part == crate::model::Part::Investering;
        let group_role = section.grouping(investering).0.index();
        let sides: Vec<_> = part
            .comparison
            .iter()
            .map(crate::present::compare::CompareInput::of)
            .collect();
        let only =
            crate::present::compare::one_sided_groups(&words, &budget.ledger, group_role, &sides);
        for (label, groups) in only.iter().filter(|(_, groups)| !groups.is_empty()) {
            let part = match (several, investering) {
                (false, _) => "",
                (true, false) => " (drift)",
                (true, true) => " (investering)",
            };
            let line = crate::msg!(
                "check.one_sided_groups",
                part,
                n = groups.len(),
                label = format!("{label:?}"),
                groups = groups.join("; ")
            );
            let _ = writeln!(text, "{line}");
        }
    }
}

/// Warns about the groups of a history column (issue 26) printed as 0: those it has no lines
/// for, and those only it has (printed as 0 in the plan years), as a comparison warns.
fn describe_history(
    text: &mut String,
    budget: &SummedBudget,
    section: &crate::config::BudgetSection,
    years: &[i32],
) {
    let words = crate::words::Words::default();
    let several = budget.parts.len() > 1;
    for part in &budget.parts {
        let investering = part.part == crate::model::Part::Investering;
        let group_role = section.grouping(investering).0.index();
        let part_name = match (several, investering) {
            (false, _) => "",
            (true, false) => " (drift)",
            (true, true) => " (investering)",
        };
        let sides = crate::present::budget::history_one_sided_groups(
            &words,
            &budget.ledger,
            group_role,
            &part.totals,
            years,
            &part.history,
        );
        for (label, missing, only) in sides {
            let (label, part) = (format!("{label:?}"), part_name);
            if !missing.is_empty() {
                let (n, groups) = (missing.len(), missing.join("; "));
                let line = crate::msg!("history.missing_groups", part, n, label, groups);
                let _ = writeln!(text, "{line}");
            }
            if !only.is_empty() {
                let (n, groups) = (only.len(), only.join("; "));
                let line = crate::msg!("history.only_groups", part, n, label, groups);
                let _ = writeln!(text, "{line}");
            }
        }
    }
}
