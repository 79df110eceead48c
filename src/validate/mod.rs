//! Validate: checks that the loaded records fit together before anything is summed.
//!
//! Ids are unique, every reference names a known area or programme, every period runs
//! forwards, and every year of a phase or amount lies inside the report's horizon (the years
//! the report covers, from `report.toml`). All problems are reported, not only the first.

pub(crate) mod summed;
pub(crate) mod tiltak;

use std::collections::BTreeSet;

use crate::config::Config;
use crate::error::{DataError, DataErrors};
use crate::model::{Basis, Dataset, Id, Table};

/// Checks the whole dataset against itself and the configuration.
pub fn validate(data: &Dataset, config: &Config) -> Result<(), DataErrors> {
    let mut errors = Vec::new();
    let areas = unique_ids(&data.areas, |a| &a.id, &mut errors);
    let programmes = unique_ids(&data.programmes, |p| &p.id, &mut errors);
    unique_ids(&data.key_figures, |k| &k.id, &mut errors);
    let says = Says { data, config };
    let unknown_programme = |id: &Id| says.unknown_programme(id);

    for row in &data.programmes.rows {
        if !areas.contains(&row.record.area) {
            errors.push(data.programmes.error_at(
                row,
                "area",
                crate::msg!(
                    "validate.unknown_area",
                    id = format!("{:?}", row.record.area.0),
                    file = data.areas.file.display()
                ),
            ));
        }
    }
    check_phases(&says, &programmes, &mut errors);
    check_amounts(&says, &programmes, &mut errors);
    optional_programme_refs(
        &data.milestones,
        |m| m.programme.as_ref(),
        &programmes,
        &unknown_programme,
        &mut errors,
    );
    optional_programme_refs(
        &data.key_figures,
        |k| k.programme.as_ref(),
        &programmes,
        &unknown_programme,
        &mut errors,
    );

    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(DataErrors(errors))
    }
}

/// The words of the problems several tables share, and what they name.
struct Says<'a> {
    data: &'a Dataset,
    config: &'a Config,
}

impl Says<'_> {
    /// A year outside the report's horizon.
    fn outside(&self, year: i32) -> String {
        let horizon = self.config.horizon;
        crate::msg!(
            "validate.outside_horizon",
            year,
            file = self.config.path.display(),
            first = horizon.first,
            last = horizon.last
        )
    }

    /// A programme id not in the programmes file.
    fn unknown_programme(&self, id: &Id) -> String {
        crate::msg!(
            "validate.unknown_programme",
            id = format!("{:?}", id.0),
            file = self.data.programmes.file.display()
        )
    }
}

/// Each phase names a known programme, has a first or a last year (the first not after the
/// last), both inside the horizon.
fn check_phases(says: &Says<'_>, programmes: &BTreeSet<&Id>, errors: &mut Vec<DataError>) {
    let horizon = says.config.horizon;
    let table = &says.data.phases;
    for row in &table.rows {
        let phase = &row.record;
        if !programmes.contains(&phase.programme) {
            errors.push(table.error_at(row, "programme", says.unknown_programme(&phase.programme)));
        }
        match (phase.first_year, phase.last_year) {
            (None, None) => {
                errors.push(table.error_at(row, "first_year", crate::msg!("validate.no_years")))
            }
            (Some(first), Some(last)) if first > last => errors.push(table.error_at(
                row,
                "last_year",
                crate::msg!("validate.last_before_first", last = last.0, first = first.0),
            )),
            _ => {}
        }
        for (column, year) in [
            ("first_year", phase.first_year),
            ("last_year", phase.last_year),
        ] {
            if let Some(year) = year.filter(|y| !horizon.contains(y.0)) {
                errors.push(table.error_at(row, column, says.outside(year.0)));
            }
        }
    }
}

/// Each amount names a known programme, runs forwards (a per_year amount has a first
/// year), inside the horizon.
fn check_amounts(says: &Says<'_>, programmes: &BTreeSet<&Id>, errors: &mut Vec<DataError>) {
    let horizon = says.config.horizon;
    let table = &says.data.amounts;
    for row in &table.rows {
        let amount = &row.record;
        if !programmes.contains(&amount.programme) {
            errors.push(table.error_at(
                row,
                "programme",
                says.unknown_programme(&amount.programme),
            ));
        }
        match amount.first_year {
            Some(first) if first > amount.last_year => errors.push(table.error_at(
                row,
                "last_year",
                crate::msg!(
                    "validate.last_before_first",
                    last = amount.last_year.0,
                    first = first.0
                ),
            )),
            None if amount.basis == Basis::PerYear => errors.push(table.error_at(
                row,
                "first_year",
                crate::msg!("validate.per_year_without_first"),
            )),
            _ => {}
        }
        for (column, year) in [
            ("first_year", amount.first_year),
            ("last_year", Some(amount.last_year)),
        ] {
            if let Some(year) = year.filter(|y| !horizon.contains(y.0)) {
                errors.push(table.error_at(row, column, says.outside(year.0)));
            }
        }
    }
}

/// Collects the ids of a table, reporting each duplicate at its second occurrence.
fn unique_ids<'a, T>(
    table: &'a Table<T>,
    id: impl Fn(&T) -> &Id,
    errors: &mut Vec<DataError>,
) -> BTreeSet<&'a Id> {
    let mut seen = BTreeSet::new();
    for row in &table.rows {
        let key = id(&row.record);
        if !seen.insert(key) {
            errors.push(table.error_at(
                row,
                "id",
                crate::msg!("validate.id_twice", id = format!("{:?}", key.0)),
            ));
        }
    }
    seen
}

/// Reports each row of `table` whose (optional) programme is not a known programme.
fn optional_programme_refs<T>(
    table: &Table<T>,
    programme: impl Fn(&T) -> Option<&Id>,
    known: &BTreeSet<&Id>,
    unknown: &dyn Fn(&Id) -> String,
    errors: &mut Vec<DataError>,
) {
    for row in &table.rows {
        if let Some(id) = programme(&row.record).filter(|id| !known.contains(id)) {
            errors.push(table.error_at(row, "programme", unknown(id)));
        }
    }
}
