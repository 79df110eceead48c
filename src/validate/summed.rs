//! The budget's checks: what the summed exports must satisfy before a figure is printed —
//! every line placed in a statutory row, the bottom row equal to the part's balance, rows
//! that must be equal across overviews, drift's transfers equal to what investering receives,
//! sources whose codes are KOSTRA codes where a statutory overview needs them. Each check
//! returns its problems, located and worded for finance staff; the budget path
//! ([`crate::summed_budget`]) decides what stops the report.

use crate::aggregate::statutory::{Overview, OverviewTotals, Statement};
use crate::aggregate::transfers::Transfer;
use crate::error::DataError;
use crate::format;
use crate::load::profile::Profile;
use crate::model::ledger::Ledger;
use crate::model::{Part, Role};

/// A statutory overview, as a finance officer names it.
pub(crate) fn statement_name(statement: Statement) -> &'static str {
    match statement {
        Statement::AppropriationsDrift => "§ 5-4 (drift)",
        Statement::AppropriationsInvestering => "§ 5-5 (investering)",
        Statement::DriftByArt => "§ 5-6 (drift etter art)",
    }
}

/// The statutory overview of a part, as a finance officer names it.
fn part_name(part: Part) -> &'static str {
    match part {
        Part::Drift => "§ 5-4 (drift)",
        Part::Investering => "§ 5-5 (investering)",
    }
}

/// A source whose art or funksjon codes are not KOSTRA codes cannot be placed in the
/// statutory overview of `part`: one problem per missing code, saying what the profile
/// declares.
pub(crate) fn kostra_codes(
    ledger: &Ledger,
    profiles: &[Profile],
    part: Part,
    sources: &[u16],
) -> Vec<DataError> {
    let mut problems = Vec::new();
    for &s in sources {
        let info = &ledger.sources[usize::from(s)];
        let profile = profiles.iter().find(|p| p.path == info.profile);
        for (dimension, what) in [
            (Role::Art, "KOSTRA art"),
            (Role::Service, "KOSTRA funksjon"),
        ] {
            if info.kostra_start[dimension.index()].is_some() {
                continue;
            }
            let declared = profile.and_then(|p| {
                p.dimensions
                    .iter()
                    .find(|(r, _)| *r == dimension)
                    .map(|(_, d)| d.chart.clone())
            });
            let overview = part_name(part);
            let message = match declared {
                None => {
                    crate::msg!("validate.kostra_no_dimension", dimension, overview, what)
                }
                Some(Some(chart)) => crate::msg!(
                    "validate.kostra_other_chart",
                    dimension,
                    overview,
                    what,
                    chart = format!("{chart:?}")
                ),
                Some(None) => {
                    crate::msg!("validate.kostra_undeclared", dimension, overview, what)
                }
            };
            problems.push(DataError::new(&info.profile, message));
        }
    }
    problems
}

/// Lines of an overview that fit no row: one problem per art, with count, sums per year and
/// the first line.
pub(crate) fn unmapped(
    ledger: &Ledger,
    statement: Statement,
    totals: &OverviewTotals,
) -> Vec<DataError> {
    totals
        .unmapped
        .iter()
        .map(|unmapped| {
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
            let funksjoner: Vec<&str> = unmapped.funksjoner.iter().map(String::as_str).collect();
            let (art, n, overview) = (&unmapped.art, unmapped.count, statement_name(statement));
            let (reason, sums) = (&unmapped.reason, sums.join(", "));
            let message = if funksjoner.is_empty() {
                crate::msg!("validate.unmapped", art, n, overview, reason, sums)
            } else {
                let funksjoner = funksjoner.join(", ");
                crate::msg!(
                    "validate.unmapped_funksjon",
                    art,
                    n,
                    overview,
                    reason,
                    sums,
                    funksjoner
                )
            };
            DataError::new(file, message).at_line(u64::from(line))
        })
        .collect()
}

/// Years where the overview's bottom row is not the part's balance less what was left out:
/// the rows do not account for every line.
pub(crate) fn bottom_row(overview: &Overview, totals: &OverviewTotals) -> Vec<DataError> {
    overview
        .bottom_differences(totals)
        .into_iter()
        .map(|(year, bottom, expected)| {
            DataError::new(
                &overview.mapping_file,
                crate::msg!(
                    "validate.bottom_row",
                    year,
                    row = overview.bottom,
                    overview = statement_name(overview.statement),
                    bottom = format::plain(bottom),
                    expected = format::plain(expected),
                    difference = format::plain(bottom - expected)
                ),
            )
        })
        .collect()
}

/// Rows of one overview that must hold what a row of § 5-4 holds (`equals` in the rows file):
/// a difference is a problem naming both.
pub(crate) fn equal_rows(overviews: &[(Overview, OverviewTotals)], part: Part) -> Vec<DataError> {
    let mut problems = Vec::new();
    let Some((_, appropriations)) = overviews
        .iter()
        .find(|(o, _)| o.part == part && o.statement == Statement::AppropriationsDrift)
    else {
        return problems;
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
                        crate::msg!(
                            "validate.rows_differ",
                            year,
                            row = spec.number,
                            name = spec.name,
                            overview = statement_name(overview.statement),
                            mine = format::plain(mine),
                            other,
                            theirs = format::plain(theirs),
                            difference = format::plain(mine - theirs)
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// Transfers where what drift sends is not what investering receives, per pair and year;
/// located at the pair's first line (`fallback`, the first drift source, when it has none).
pub(crate) fn transfer_differences(
    ledger: &Ledger,
    transfers: &[Transfer],
    fallback: u16,
) -> Vec<DataError> {
    let mut problems = Vec::new();
    for t in transfers {
        for (&year, &(sent, received)) in &t.by_year {
            let difference = t.difference(year);
            if difference.is_zero() {
                continue;
            }
            let (source, line) = t
                .first_drift
                .or(t.first_investering)
                .unwrap_or((fallback, 0));
            let mut problem = DataError::new(
                &ledger.sources[usize::from(source)].file,
                crate::msg!(
                    "validate.transfer_difference",
                    year,
                    pair = t.pair.name,
                    sent = format::plain(sent),
                    drift_art = format!("{:03}", t.pair.drift_art),
                    received = format::plain(-received),
                    investering_art = format!("{:03}", t.pair.investering_art),
                    difference = format::plain(difference)
                ),
            );
            if line > 0 {
                problem = problem.at_line(u64::from(line));
            }
            problems.push(problem);
        }
    }
    problems
}

/// Keys of `[budget]` that name nothing in the exports, or act on a part they do not have:
/// a `group_order` entry that is no group's code or name, `investering_*` keys in a report
/// whose sources are all drift. Each would be accepted and do nothing.
pub(crate) fn report_keys(
    section: &crate::config::BudgetSection,
    ledger: &Ledger,
) -> Vec<DataError> {
    let problem = |message: String| {
        let error = DataError::new(&section.config, message);
        match crate::error::key_line(&error.message, &section.config_text) {
            Some(line) => error.at_line(line),
            None => error,
        }
    };
    let mut problems = Vec::new();
    let has_investering = ledger.sources.iter().any(|s| s.part == Part::Investering);
    let investering_keys = [
        (
            "investering_group_by",
            section.investering_group_by.is_some(),
        ),
        (
            "investering_detail_by",
            section.investering_detail_by.is_some(),
        ),
        ("investering_version", section.investering_version.is_some()),
    ];
    for (key, _) in investering_keys.iter().filter(|(_, given)| *given) {
        if !has_investering {
            problems.push(problem(crate::msg!("validate.investering_key", key)));
        }
    }
    if let crate::config::GroupOrder::Listed(list) = &section.group_order {
        let roles = [Some(section.group_by), section.investering_group_by];
        let values: Vec<&crate::model::ledger::DimensionValue> = roles
            .iter()
            .flatten()
            .flat_map(|role| &ledger.dimensions[role.index()].values)
            .collect();
        for wanted in list {
            let wanted_lower = wanted.trim().to_lowercase();
            let found = values.iter().any(|v| {
                [&v.code, &v.text, &v.display()]
                    .iter()
                    .any(|name| name.to_lowercase() == wanted_lower)
            });
            if !found {
                let known: Vec<String> = values.iter().take(12).map(|v| v.display()).collect();
                let mut groups = known.join(", ");
                if values.len() > known.len() {
                    groups.push_str(", …");
                }
                let wanted = format!("{wanted:?}");
                problems.push(problem(crate::msg!(
                    "validate.unknown_group",
                    wanted,
                    groups
                )));
            }
        }
    }
    problems.extend(bridge_keys(section, ledger).into_iter().map(problem));
    problems
}

/// `bridge_start` that is no change group's code, and `bridge_exclude` entries that are no
/// group's code: the bridge would start nowhere, or leave out nothing, without a word.
fn bridge_keys(section: &crate::config::BudgetSection, ledger: &Ledger) -> Vec<String> {
    let Some((start, exclude)) = &section.bridge else {
        return Vec::new();
    };
    let codes = |role: crate::model::Role| -> Vec<&str> {
        ledger.dimensions[role.index()]
            .values
            .iter()
            .map(|v| v.code.as_str())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let listed = |codes: &[&str]| {
        let shown: Vec<&str> = codes.iter().take(12).copied().collect();
        let more = if codes.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        format!("{}{more}", shown.join(", "))
    };
    let mut problems = Vec::new();
    let changes = codes(crate::model::Role::ChangeGroup);
    let quoted = format!("{start:?}");
    if changes.is_empty() {
        problems.push(crate::msg!(
            "budget.bridge.start_no_change_groups",
            start = quoted
        ));
    } else if !changes.contains(&start.as_str()) {
        problems.push(crate::msg!(
            "budget.bridge.start_unknown",
            start = quoted,
            codes = listed(&changes)
        ));
    }
    let roles = [Some(section.group_by), section.investering_group_by];
    let groups: Vec<&str> = roles.iter().flatten().flat_map(|r| codes(*r)).collect();
    for code in exclude.iter().filter(|e| !groups.contains(&e.as_str())) {
        let code = format!("{code:?}");
        problems.push(if groups.is_empty() {
            crate::msg!("budget.bridge.exclude_no_codes", code)
        } else {
            crate::msg!(
                "budget.bridge.exclude_unknown",
                code,
                codes = listed(&groups)
            )
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key the exports make pointless is located in the text that was parsed: the file is
    /// not read a second time (here it does not exist, as if moved after the first read).
    #[test]
    fn report_keys_locate_a_key_in_the_text_already_read() {
        let text = "[report]\nname = \"b\"\nmunicipality = \"M\"\ndocument = \"D\"\n\
            title = \"T\"\ndate = 2024-01-01\ntemplate = \"budsjett.typ.j2\"\n\n\
            [period]\nplan = [2024, 2024]\n\n[budget]\nsources = [\"p.toml\"]\n\
            version = \"budsjett\"\ngroup_by = \"area\"\ninvestering_version = \"x\"\n";
        let path = std::path::Path::new("/no/such/folder/report.toml");
        let config = crate::config::Config::from_text(path, text).unwrap();
        let section = config.budget.unwrap();
        let problems = report_keys(&section, &Ledger::new());
        assert_eq!(problems.len(), 1, "{problems:?}");
        // Line 16 of the text above: `investering_version = "x"`.
        assert_eq!(problems[0].line, Some(16), "{}", problems[0]);
    }
}
