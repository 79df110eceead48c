//! History sides placed by funksjon (issue 26, `groups = "by_service"`): a KOSTRA file has no
//! tjenesteområde, so each line of such a side takes the group its funksjon (`service`) has
//! in the report's own lines (the plan years of each part's own version, in every part
//! grouped by the same dimension). A funksjon found in two groups, or in none, is a problem
//! at the side's first line of it, never a guess.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{BudgetSection, CompareSide};
use crate::error::DataError;
use crate::model::ledger::{Ledger, NONE};
use crate::model::{Part, Role};

/// Places the lines of every `by_service` history side in its group, part by part;
/// the problems, one per side, part and funksjon that has not exactly one group, and then no
/// line is moved. A side whose version the sources lack is left to the check that names the
/// versions they hold.
pub(super) fn place(section: &BudgetSection, ledger: &mut Ledger, years: &[i32]) -> Vec<DataError> {
    let mut sides = Vec::new();
    for side in section.history.iter().filter(|s| s.by_service) {
        let Some(version) = version_id(ledger, &side.version) else {
            continue;
        };
        for part in [Part::Drift, Part::Investering] {
            let group = section.grouping(part == Part::Investering).0;
            if group != Role::Service {
                sides.push(SideLines {
                    side,
                    version,
                    part,
                    group,
                });
            }
        }
    }
    // The groups of each funksjon, once per dimension that groups a part.
    let mut groups: Vec<(Role, BTreeMap<String, BTreeSet<u32>>)> = Vec::new();
    for side in &sides {
        if !groups.iter().any(|(role, _)| *role == side.group) {
            let of_role = groups_of_services(section, ledger, side.group, years);
            groups.push((side.group, of_role));
        }
    }
    let (placed, problems) = place_sides(ledger, &groups, &sides);
    if problems.is_empty() {
        for (index, group, g) in placed {
            ledger.lines[index].dims[group.index()] = g;
        }
    }
    problems
}

/// One side's lines in one part, and the dimension that groups that part.
struct SideLines<'a> {
    side: &'a CompareSide,
    version: u16,
    part: Part,
    group: Role,
}

fn version_id(ledger: &Ledger, name: &str) -> Option<u16> {
    let id = ledger.versions.iter().position(|v| v == name)?;
    u16::try_from(id).ok()
}

/// The code a funksjon is matched by: a KOSTRA file names it by code only, an export by code
/// and name ("202 Grunnskole"); the name when it has no code.
fn service_key(ledger: &Ledger, id: u32) -> Option<String> {
    let value = ledger.dimensions[Role::Service.index()]
        .values
        .get(usize::try_from(id).ok()?)?;
    Some(if value.code.is_empty() {
        value.text.clone()
    } else {
        value.code.clone()
    })
}

/// Per funksjon code, the groups (`group`) its lines have in the report's own lines: the plan
/// years of each part's own version, in the parts grouped by `group`.
fn groups_of_services(
    section: &BudgetSection,
    ledger: &Ledger,
    group: Role,
    years: &[i32],
) -> BTreeMap<String, BTreeSet<u32>> {
    let own: Vec<Option<u16>> = ledger
        .sources
        .iter()
        .map(|source| {
            let investering = source.part == Part::Investering;
            if section.grouping(investering).0 != group {
                return None;
            }
            version_id(ledger, section.version_of(investering))
        })
        .collect();
    let mut groups: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for line in &ledger.lines {
        let is_own = own[usize::from(line.source)] == Some(line.version);
        let (service, g) = (line.dims[Role::Service.index()], line.dims[group.index()]);
        if !is_own || !years.contains(&line.year) || service == NONE || g == NONE {
            continue;
        }
        if let Some(key) = service_key(ledger, service) {
            groups.entry(key).or_default().insert(g);
        }
    }
    groups
}

/// The one group of its funksjon for each line of every side in its part (the line's index,
/// the dimension and the group), in one pass over the ledger; a funksjon with two groups or
/// none is a problem at the side's first line of it. Both in the order of the sides.
fn place_sides(
    ledger: &Ledger,
    groups: &[(Role, BTreeMap<String, BTreeSet<u32>>)],
    sides: &[SideLines],
) -> (Vec<(usize, Role, u32)>, Vec<DataError>) {
    let mut refused: Vec<BTreeSet<Option<String>>> = vec![BTreeSet::new(); sides.len()];
    let mut placed: Vec<Vec<(usize, Role, u32)>> = vec![Vec::new(); sides.len()];
    let mut problems: Vec<Vec<DataError>> = (0..sides.len()).map(|_| Vec::new()).collect();
    for (index, line) in ledger.lines.iter().enumerate() {
        let part = ledger.sources[usize::from(line.source)].part;
        for (n, side) in sides.iter().enumerate() {
            let year = side.side.year.unwrap_or_default();
            if line.version != side.version || line.year != year || part != side.part {
                continue;
            }
            let of_group = groups.iter().find(|(role, _)| *role == side.group);
            let key = service_key(ledger, line.dims[Role::Service.index()]);
            let found = key
                .as_ref()
                .and_then(|k| of_group.and_then(|(_, m)| m.get(k)));
            match found
                .map(|g| g.iter().copied().collect::<Vec<_>>())
                .as_deref()
            {
                Some([only]) => placed[n].push((index, side.group, *only)),
                _ if refused[n].contains(&key) => {}
                found => {
                    problems[n].push(problem(ledger, side, index, key.as_deref(), found));
                    refused[n].insert(key);
                }
            }
        }
    }
    (placed.concat(), problems.concat())
}

/// The problem of a funksjon in two groups (or more), or in none, at the line `index`.
fn problem(
    ledger: &Ledger,
    side: &SideLines,
    index: usize,
    service: Option<&str>,
    found: Option<&[u32]>,
) -> DataError {
    let line = &ledger.lines[index];
    let file = &ledger.sources[usize::from(line.source)].file;
    let label = format!("{:?}", side.side.label);
    // What the report calls the grouping ("tjenesteområde"), or the role's own name.
    let dimension = match ledger.dimensions[side.group.index()].label.to_lowercase() {
        label if label.is_empty() => side.group.name().to_string(),
        label => label,
    };
    let service = service.unwrap_or("–");
    let message = match found {
        Some(ids) if !ids.is_empty() => {
            let values = &ledger.dimensions[side.group.index()].values;
            let groups: Vec<String> = ids
                .iter()
                .filter_map(|id| values.get(usize::try_from(*id).ok()?))
                .map(crate::model::ledger::DimensionValue::display)
                .collect();
            let groups = groups.join(", ");
            crate::msg!(
                "history_by_service.two_groups",
                label,
                service,
                dimension,
                groups
            )
        }
        _ => crate::msg!("history_by_service.no_group", label, service, dimension),
    };
    DataError::new(file, message).at_line(u64::from(line.line))
}
