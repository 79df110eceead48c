//! The strategy chapter's data: its six CSV files (areas, programmes, phases, amounts,
//! milestones, key figures) read as typed tables, checked for the rows the chapter needs, and
//! its amounts turned into kroner.

use super::table::read_table;
use crate::config::DataFiles;
use crate::error::{DataError, DataErrors};
use crate::model::{Dataset, Table};

/// Reads every data file of the strategy chapter; `unit_factor` is kroner per unit of the
/// amounts.
pub fn load(files: &DataFiles, unit_factor: i64) -> Result<Dataset, DataErrors> {
    let (data, errors) = load_partial(files, unit_factor);
    if errors.is_empty() {
        Ok(data)
    } else {
        Err(DataErrors(errors))
    }
}

/// Reads every data file of the strategy chapter, with every problem found: the rows that
/// could be read, so that the other files can still be checked against them.
pub(crate) fn load_partial(files: &DataFiles, unit_factor: i64) -> (Dataset, Vec<DataError>) {
    let mut errors = Vec::new();
    let areas = read_table(&files.areas, &mut errors);
    let programmes = read_table(&files.programmes, &mut errors);
    let phases = read_table(&files.phases, &mut errors);
    let mut amounts: Table<crate::model::Amount> = read_table(&files.amounts, &mut errors);
    let milestones = read_table(&files.milestones, &mut errors);
    let key_figures = read_table(&files.key_figures, &mut errors);

    // The chapter needs at least one area, programme and amount; an empty table would fail
    // later, in a template, with a message that names no data file.
    for (file, empty) in [
        (&areas.file, areas.rows.is_empty()),
        (&programmes.file, programmes.rows.is_empty()),
        (&amounts.file, amounts.rows.is_empty()),
    ] {
        if empty && !errors.iter().any(|e| e.file == *file) {
            errors.push(DataError::new(file, crate::msg!("chapter.only_header")).at_line(1));
        }
    }
    if unit_factor != 1 {
        let factor = rust_decimal::Decimal::from(unit_factor);
        for row in &mut amounts.rows {
            match row.record.amount.0.checked_mul(factor) {
                Some(kroner) => row.record.amount.0 = kroner,
                None => errors.push(
                    DataError::new(&amounts.file, crate::msg!("chapter.amount_too_large"))
                        .at_line(row.line),
                ),
            }
        }
    }

    let data = Dataset {
        areas,
        programmes,
        phases,
        amounts,
        milestones,
        key_figures,
    };
    (data, errors)
}
