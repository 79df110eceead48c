//! Reading one sheet of an Excel (or OpenDocument) workbook with `calamine`.
//!
//! Excel stores a number cell as a binary floating-point value; that is the file format, not
//! our choice. Each such cell is converted once, here, to a decimal of 15 significant digits
//! (what Excel displays and sums with), and is exact `Decimal` from then on. Text cells are
//! parsed like CSV cells.

use std::path::Path;

use calamine::{Data, Dimensions, Reader, Sheets};
use rust_decimal::Decimal;

use crate::amount::{self, AmountError, DecimalMark};

/// One sheet as read: its header row, its data rows (merged ranges filled in), and the cells
/// a merged range covers below its first row, as (column, line).
pub(crate) struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Data>>,
    pub merged: Vec<(usize, u64)>,
}

/// The header row and the data rows of the named sheet (or the first).
pub(crate) fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, String> {
    crate::input::ensure_file(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => crate::msg!("load.file.missing"),
        _ => crate::msg!(
            "load.xlsx.unreadable",
            error = crate::messages::io_error(&e)
        ),
    })?;
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::msg!("load.file.missing")
        }
        error => crate::msg!("load.sheet.damaged", error),
    })?;
    let names = workbook.sheet_names().to_vec();
    let name = match sheet {
        Some(name) => names.iter().find(|n| *n == name).cloned().ok_or_else(|| {
            crate::msg!(
                "load.xlsx.no_such_sheet",
                name = format!("{name:?}"),
                names = names.join(", ")
            )
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| crate::msg!("load.xlsx.no_sheets"))?,
    };
    let quoted = format!("{name:?}");
    let range = workbook
        .worksheet_range(&name)
        .map_err(|error| crate::msg!("load.xlsx.sheet_unreadable", name = quoted, error))?;
    let merged = match &mut workbook {
        Sheets::Xlsx(book) => book
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| e.to_string()),
        Sheets::Xls(book) => book
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| e.to_string()),
        // Xlsb and OpenDocument: calamine gives no merged cells.
        Sheets::Xlsb(_) | Sheets::Ods(_) => Ok(Vec::new()),
    }
    .map_err(|error| crate::msg!("load.xlsx.merged_unreadable", name = quoted, error))?;
    let mut rows = range.rows();
    let headers = rows
        .next()
        .ok_or_else(|| crate::msg!("load.xlsx.sheet_empty", name = quoted))?
        .iter()
        .map(|c| cell_text(c).trim().to_string())
        .collect();
    if let Some(cell) = unsaved_formula(&mut workbook, &name, &range) {
        return Err(crate::msg!(
            "load.sheet.unsaved_formula",
            name = format!("{name:?}"),
            cell
        ));
    }
    let mut rows: Vec<Vec<Data>> = rows.map(<[Data]>::to_vec).collect();
    let merged = match range.start() {
        Some(origin) => fill_merged(&mut rows, origin, &merged),
        None => Vec::new(),
    };
    Ok(Sheet {
        headers,
        rows,
        merged,
    })
}

/// The first cell (as Excel names it, `L3`) that holds a formula but no saved value: read as
/// empty, its amount would be left out without a word.
fn unsaved_formula<R: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<R>,
    name: &str,
    values: &calamine::Range<Data>,
) -> Option<String> {
    let formulas = workbook.worksheet_formula(name).ok()?;
    let (top, left) = formulas.start()?;
    formulas.used_cells().find_map(|(row, col, formula)| {
        let at = (top + row as u32, left + col as u32);
        let empty = values.get_value(at).is_none_or(is_empty);
        (!formula.trim().is_empty() && empty).then(|| cell_name(at))
    })
}

/// A cell's name as Excel shows it: (2, 11) is `L3`.
fn cell_name((row, col): (u32, u32)) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// What Excel shows is what is read: a merged range shows its first cell's value on each of
/// its rows, so each data row of the range's first column takes that value (Excel keeps it in
/// the top-left cell only, and the others read as empty). `rows` are the data rows, the sheet's
/// first used row (`origin`, the header) left out. Returns the cells a range covers below its
/// first row, as (column, line), so that an amount merged over rows can be refused: Excel
/// shows (and sums) that amount once.
fn fill_merged(
    rows: &mut [Vec<Data>],
    origin: (u32, u32),
    merged: &[Dimensions],
) -> Vec<(usize, u64)> {
    let mut filled = Vec::new();
    let at = |(row, col): (u32, u32)| -> Option<(usize, usize)> {
        let row = usize::try_from(row.checked_sub(origin.0)?.checked_sub(1)?).ok()?;
        let col = usize::try_from(col.checked_sub(origin.1)?).ok()?;
        Some((row, col))
    };
    for region in merged {
        let Some((first_row, col)) = at(region.start) else {
            continue;
        };
        let Some(value) = rows.get(first_row).and_then(|r| r.get(col)).cloned() else {
            continue;
        };
        for row in region.start.0 + 1..=region.end.0 {
            for column in region.start.1..=region.end.1 {
                if let Some((r, c)) = at((row, column)) {
                    // Row 1 is the header, so data row r is line r + 2.
                    filled.push((c, r as u64 + 2));
                }
            }
            let Some((r, c)) = at((row, region.start.1)) else {
                continue;
            };
            if let Some(cell) = rows.get_mut(r).and_then(|cells| cells.get_mut(c))
                && is_empty(cell)
            {
                *cell = value.clone();
            }
        }
    }
    filled
}

/// A cell as text (numbers in their shortest decimal form).
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

pub(crate) fn is_empty(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as an exact amount: numbers converted once from their shortest decimal form, text
/// parsed as a Norwegian amount.
pub(crate) fn cell_amount(cell: &Data, mark: DecimalMark) -> Result<Decimal, AmountError> {
    match cell {
        Data::Int(i) => Ok(Decimal::from(*i)),
        // Excel shows (and computes its sums with) 15 significant digits; anything beyond
        // them is binary noise (0.1 + 0.2 is stored as 0.30000000000000004).
        Data::Float(f) => Decimal::from_scientific(&format!("{f:.14e}"))
            .map(|d| d.normalize())
            .map_err(|_| AmountError {
                found: f.to_string(),
                reason: "load.xlsx.inexact",
                ambiguous: false,
            }),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Err(AmountError {
            found: cell_text(cell),
            reason: "load.sheet.date_cell",
            ambiguous: false,
        }),
        Data::Error(_) => Err(AmountError {
            found: cell_text(cell),
            reason: "load.sheet.error_value",
            ambiguous: false,
        }),
        other => amount::parse_with(&cell_text(other), mark),
    }
}

/// The error value (`#DIV/0!`, `#REF!`) of a cell whose formula failed.
pub(crate) fn error_value(cell: &Data) -> Option<String> {
    matches!(cell, Data::Error(_)).then(|| cell_text(cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name((0, 0)), "A1");
        assert_eq!(cell_name((2, 11)), "L3");
        assert_eq!(cell_name((9, 25)), "Z10");
        assert_eq!(cell_name((0, 26)), "AA1");
        assert_eq!(cell_name((0, 701)), "ZZ1");
        assert_eq!(cell_name((0, 702)), "AAA1");
    }
}
