//! The tiltak against the budget (issue 27): every tiltak names a group of the budget (its
//! sector) and a change group of the change bridge other than the adopted budget, and the
//! tiltak of each change group sum to the bridge's figure for that group in every plan year,
//! exactly, in kroner (the same kind of rule as the transfer between drift and investering:
//! two files that tell the same change must agree).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::DataError;
use crate::format;
use crate::load::tiltak::TiltakFile;
use crate::model::Role;
use crate::model::ledger::Ledger;

/// The bridge of the part the tiltak speak of, and how it was made.
pub(crate) struct Bridge<'a> {
    /// Change group id → year → net, in kroner (lines of `exclude`d groups left out).
    pub(crate) sums: &'a BTreeMap<u32, BTreeMap<i32, Decimal>>,
    /// The dimension that groups the part (the tiltak's sectors are its codes).
    pub(crate) group_role: Role,
    /// The change group that is the adopted budget (`bridge_start`).
    pub(crate) start: &'a str,
    /// The group codes the bridge leaves out (`bridge_exclude`).
    pub(crate) exclude: &'a [String],
}

/// Every problem of the tiltak against the budget's groups and its change bridge.
pub(crate) fn check(
    file: &TiltakFile,
    ledger: &Ledger,
    bridge: &Bridge<'_>,
    years: &[i32],
) -> Vec<DataError> {
    let mut problems = names(file, ledger, bridge);
    if !problems.is_empty() {
        return problems;
    }
    let change = &ledger.dimensions[Role::ChangeGroup.index()];
    // The bridge's figure per change group code and year.
    let mut from_bridge: BTreeMap<String, BTreeMap<i32, Decimal>> = BTreeMap::new();
    for (id, per_year) in bridge.sums {
        let code = change
            .values
            .get(*id as usize)
            .map(|v| v.code.clone())
            .unwrap_or_default();
        if code == bridge.start {
            continue;
        }
        let sums = from_bridge.entry(code).or_default();
        for (year, value) in per_year {
            let cell = sums.entry(*year).or_default();
            *cell = cell.saturating_add(*value);
        }
    }
    let mut from_tiltak: BTreeMap<String, BTreeMap<i32, Decimal>> = BTreeMap::new();
    for t in &file.tiltak {
        let sums = from_tiltak.entry(t.change_group.clone()).or_default();
        for (year, value) in &t.amounts {
            let cell = sums.entry(*year).or_default();
            *cell = cell.saturating_add(*value);
        }
    }
    let mut groups: Vec<&String> = from_bridge.keys().chain(from_tiltak.keys()).collect();
    groups.sort();
    groups.dedup();
    for group in groups {
        for &year in years {
            let of = |sums: &BTreeMap<String, BTreeMap<i32, Decimal>>| {
                sums.get(group)
                    .and_then(|s| s.get(&year))
                    .copied()
                    .unwrap_or_default()
            };
            let (tiltak, budget) = (of(&from_tiltak), of(&from_bridge));
            if tiltak == budget {
                continue;
            }
            let message = crate::msg!(
                "tiltak.bridge_differs",
                group = format!("{group:?}"),
                year,
                tiltak = format::plain(tiltak),
                bridge = format::plain(budget),
                difference = format::plain(tiltak - budget)
            );
            let mut problem = DataError::new(&file.file, message);
            if let Some(first) = file.tiltak.iter().find(|t| &t.change_group == group) {
                problem = problem.at_line(first.line);
            }
            problems.push(problem);
        }
    }
    problems
}

/// Each tiltak's sector is a group of the budget the bridge covers, and its change group a
/// change group of the budget other than the adopted budget.
fn names(file: &TiltakFile, ledger: &Ledger, bridge: &Bridge<'_>) -> Vec<DataError> {
    let codes = |role: Role| -> Vec<&str> {
        let mut codes: Vec<&str> = ledger.dimensions[role.index()]
            .values
            .iter()
            .map(|v| v.code.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    };
    let (sectors, changes) = (codes(bridge.group_role), codes(Role::ChangeGroup));
    let mut problems = Vec::new();
    for t in &file.tiltak {
        let at = |message: String| DataError::new(&file.file, message).at_line(t.line);
        let (sector, group) = (format!("{:?}", t.sector), format!("{:?}", t.change_group));
        if !sectors.contains(&t.sector.as_str()) {
            let known = sectors.join(", ");
            problems.push(at(crate::msg!("tiltak.unknown_sector", sector, known)));
        } else if bridge.exclude.contains(&t.sector) {
            problems.push(at(crate::msg!("tiltak.excluded_sector", sector)));
        }
        if t.change_group == bridge.start {
            problems.push(at(crate::msg!("tiltak.start_group", group)));
        } else if !changes.contains(&t.change_group.as_str()) {
            let known = changes
                .iter()
                .filter(|c| **c != bridge.start)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(at(crate::msg!("tiltak.unknown_change_group", group, known)));
        }
    }
    problems
}
