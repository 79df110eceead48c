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

/// The header row and the data rows of the named sheet (or the first).
pub(crate) fn read(
    path: &Path,
    sheet: Option<&str>,
) -> Result<(Vec<String>, Vec<Vec<Data>>), String> {
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
        error => crate::msg!("load.xlsx.unreadable", error),
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
    let mut rows: Vec<Vec<Data>> = rows.map(<[Data]>::to_vec).collect();
    if let Some(origin) = range.start() {
        fill_merged(&mut rows, origin, &merged);
    }
    Ok((headers, rows))
}

/// What Excel shows is what is read: a merged range shows its first cell's value on each of
/// its rows, so each data row of the range's first column takes that value (Excel keeps it in
/// the top-left cell only, and the others read as empty). `rows` are the data rows, the sheet's
/// first used row (`origin`, the header) left out.
fn fill_merged(rows: &mut [Vec<Data>], origin: (u32, u32), merged: &[Dimensions]) {
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
            if let Some(cell) =
                at((row, region.start.1)).and_then(|(r, c)| rows.get_mut(r)?.get_mut(c))
                && is_empty(cell)
            {
                *cell = value.clone();
            }
        }
    }
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
        other => amount::parse_with(&cell_text(other), mark),
    }
}
