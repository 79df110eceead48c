//! One row of a source into budget lines: the profile's columns found in the header line
//! (with a hint when a header is almost the name the profile gives), and the reading of a
//! row, of a CSV file or a sheet, into the ledger.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::profile::{Field, Layout, Profile, Sign};
use crate::amount::{self, AmountError, DecimalMark};
use crate::error::DataError;
use crate::model::Role;
use crate::model::ledger::{BudgetLine, Ledger, NONE, SourceInfo};

/// A row of a source, whichever kind of file it came from.
pub(super) enum RowCells<'a> {
    Csv(&'a csv::StringRecord),
    Sheet(&'a [calamine::Data]),
}

impl RowCells<'_> {
    fn text(&self, index: usize) -> Cow<'_, str> {
        match self {
            RowCells::Csv(record) => Cow::Borrowed(record.get(index).unwrap_or_default().trim()),
            RowCells::Sheet(cells) => Cow::Owned(
                cells
                    .get(index)
                    .map(super::xlsx::cell_text)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ),
        }
    }

    /// The cell as the report prints it (see [`crate::text::clean`]), or the character that
    /// cannot be printed.
    fn printable(&self, index: usize) -> Result<Cow<'_, str>, crate::text::BadChar> {
        match self.text(index) {
            Cow::Borrowed(text) => crate::text::clean(text),
            Cow::Owned(text) => crate::text::clean(&text).map(|c| Cow::Owned(c.into_owned())),
        }
    }

    fn is_empty(&self, index: usize) -> bool {
        match self {
            RowCells::Csv(record) => record.get(index).is_none_or(|c| c.trim().is_empty()),
            RowCells::Sheet(cells) => cells.get(index).is_none_or(super::xlsx::is_empty),
        }
    }

    fn amount(&self, index: usize, mark: DecimalMark) -> Result<Decimal, AmountError> {
        match self {
            RowCells::Csv(record) => {
                amount::parse_with(record.get(index).unwrap_or_default(), mark)
            }
            RowCells::Sheet(cells) => match cells.get(index) {
                Some(cell) => super::xlsx::cell_amount(cell, mark),
                None => amount::parse_with("", mark),
            },
        }
    }
}

/// The profile's columns, found in the header.
pub(super) struct Columns {
    /// (role index, code column, text column)
    dimensions: Vec<(usize, Option<usize>, Option<usize>)>,
    /// (column, year, version id)
    amounts: Vec<(usize, Option<i32>, Option<u16>)>,
    year: Option<usize>,
    version: Option<usize>,
    sign: Option<(usize, Vec<String>, Vec<String>)>,
    filters: Vec<(usize, Vec<String>, Vec<String>)>,
}

/// Finds every column the profile names; reports each one missing, with a hint.
pub(super) fn find_columns(
    profile: &Profile,
    headers: &[String],
    ledger: &mut Ledger,
    problems: &mut Vec<DataError>,
) -> Option<Columns> {
    let before = problems.len();
    let mut finder = Finder {
        profile,
        headers,
        problems,
    };
    let mut dimensions = Vec::new();
    for (role, dimension) in &profile.dimensions {
        let role_index = role.index();
        let code = dimension
            .code
            .as_deref()
            .and_then(|c| finder.find(&format!("{role} code"), c));
        let text = dimension
            .text
            .as_deref()
            .and_then(|c| finder.find(&format!("{role} text"), c));
        dimensions.push((role_index, code, text));
    }
    let layout = finder.layout(ledger);
    let sign = match &profile.sign {
        Sign::IncomeNegative => None,
        Sign::Column {
            column,
            income,
            expense,
        } => finder
            .find("sign", column)
            .map(|c| (c, income.clone(), expense.clone())),
    };
    let filters = profile
        .filters
        .iter()
        .filter_map(|f| {
            finder
                .find("filter", &f.column)
                .map(|c| (c, f.keep.clone(), f.drop.clone()))
        })
        .collect();
    if layout.no_year_columns {
        problems.push(
            DataError::new(&profile.file, crate::msg!("load.row.no_year_columns")).at_line(1),
        );
    }
    (problems.len() == before).then_some(Columns {
        dimensions,
        amounts: layout.amounts,
        year: layout.year,
        version: layout.version,
        sign,
        filters,
    })
}

/// Finds the profile's columns in a header line, adding a problem for each one missing or
/// ambiguous.
struct Finder<'a> {
    profile: &'a Profile,
    headers: &'a [String],
    problems: &'a mut Vec<DataError>,
}

/// The layout's columns: the amount columns (with their fixed year and version), the year
/// and version columns, and whether a wide auto layout found no year column.
struct LayoutColumns {
    amounts: Vec<(usize, Option<i32>, Option<u16>)>,
    year: Option<usize>,
    version: Option<usize>,
    no_year_columns: bool,
}

impl Finder<'_> {
    /// The column named `name` (exactly, else ignoring case); a problem saying which
    /// (`what`) column is missing, with a hint, or matches several.
    fn find(&mut self, what: &str, name: &str) -> Option<usize> {
        let headers = self.headers;
        let wanted = name.trim();
        let exact: Vec<usize> = (0..headers.len())
            .filter(|&i| headers[i] == wanted)
            .collect();
        let loose: Vec<usize> = (0..headers.len())
            .filter(|&i| headers[i].to_lowercase() == wanted.to_lowercase())
            .collect();
        match (exact.as_slice(), loose.as_slice()) {
            ([i], _) | ([], [i]) => return Some(*i),
            ([], []) => {}
            _ => {
                self.problems.push(
                    DataError::new(
                        &self.profile.file,
                        crate::msg!(
                            "load.row.column_ambiguous",
                            what,
                            wanted = format!("{wanted:?}"),
                            count = if exact.len() > 1 {
                                exact.len()
                            } else {
                                loose.len()
                            }
                        ),
                    )
                    .at_line(1),
                );
                return None;
            }
        }
        // The hint comes before the list of headers, which a long message may cut.
        let found = headers
            .iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let quoted = format!("{wanted:?}");
        let message = match crate::error::nearest(wanted, headers.iter().map(String::as_str)) {
            Some(near) => crate::msg!(
                "load.row.column_missing_near",
                what,
                wanted = quoted,
                near = format!("{near:?}"),
                found
            ),
            None => crate::msg!("load.row.column_missing", what, wanted = quoted, found),
        };
        self.problems
            .push(DataError::new(&self.profile.file, message).at_line(1));
        None
    }

    /// The columns of the profile's layout: a long layout's amount, year and version, or a
    /// wide layout's amount columns (listed, or every header that looks like a year with
    /// `auto`) and version column.
    fn layout(&mut self, ledger: &mut Ledger) -> LayoutColumns {
        let mut amounts = Vec::new();
        let (mut year, mut version) = (None, None);
        let mut no_year_columns = false;
        match &self.profile.layout {
            Layout::Long {
                amount,
                year: year_field,
                version: version_field,
            } => {
                let column = self.find("amount", amount);
                let fixed_year = match year_field {
                    Field::Column(name) => {
                        year = self.find("year", name);
                        None
                    }
                    Field::Fixed(y) => Some(*y),
                };
                let fixed_version = match version_field {
                    Field::Column(name) => {
                        version = self.find("version", name);
                        None
                    }
                    Field::Fixed(v) => Some(version_id(ledger, v)),
                };
                if let Some(column) = column {
                    amounts.push((column, fixed_year, fixed_version));
                }
            }
            Layout::Wide {
                columns,
                auto,
                version_column,
            } => {
                if let Some(name) = version_column {
                    version = self.find("version", name);
                }
                let by_row = version_column.is_some();
                for wide in columns {
                    if let Some(column) = self.find("amount", &wide.column) {
                        let v = (!by_row).then(|| version_id(ledger, &wide.version));
                        amounts.push((column, Some(wide.year), v));
                    }
                }
                if *auto {
                    for (i, header) in self.headers.iter().enumerate() {
                        if amounts.iter().any(|(c, _, _)| *c == i) {
                            continue;
                        }
                        if let Some((y, v)) = super::profile::wide_header(header) {
                            let v = (!by_row).then(|| version_id(ledger, &v));
                            amounts.push((i, Some(y), v));
                        }
                    }
                    no_year_columns = amounts.is_empty();
                }
            }
        }
        LayoutColumns {
            amounts,
            year,
            version,
            no_year_columns,
        }
    }
}

pub(super) fn version_id(ledger: &mut Ledger, version: &str) -> u16 {
    match ledger.versions.iter().position(|v| v == version) {
        Some(i) => i as u16,
        None => {
            ledger.versions.push(version.to_string());
            (ledger.versions.len() - 1) as u16
        }
    }
}

/// What every row of one source is read against: its profile, its number in the ledger, the
/// columns found in its header, and the header's names (for messages).
#[derive(Clone, Copy)]
pub(super) struct RowSource<'a> {
    pub profile: &'a Profile,
    pub source: u16,
    pub columns: &'a Columns,
    pub(crate) headers: &'a [String],
}

/// Reads one row into the ledger, counting it in `info`; a row that cannot be read is a
/// located problem.
pub(super) fn read_row(
    of: RowSource<'_>,
    line: u64,
    row: &RowCells<'_>,
    ledger: &mut Ledger,
    info: &mut SourceInfo,
    problems: &mut Vec<DataError>,
) {
    let RowSource {
        profile,
        source,
        columns,
        headers,
    } = of;
    let reader = RowReader {
        profile,
        line,
        row,
        headers,
    };
    match reader.filtered_out(&columns.filters) {
        Ok(true) => {
            info.filtered += 1;
            return;
        }
        Ok(false) => {}
        Err(problem) => return problems.push(problem),
    }
    let factor = match reader.sign_factor(&columns.sign) {
        Ok(factor) => factor * Decimal::from(profile.unit_factor),
        Err(problem) => return problems.push(problem),
    };
    let year_from_column = match reader.year(columns.year) {
        Ok(year) => year,
        Err(problem) => return problems.push(problem),
    };
    let version_from_column = match columns.version.map(|c| reader.text(c)).transpose() {
        Ok(version) => {
            version.map(|v| version_id(ledger, if v.is_empty() { "budsjett" } else { &v }))
        }
        Err(problem) => return problems.push(problem),
    };
    let dims = match reader.dims(&columns.dimensions, ledger) {
        Ok(dims) => dims,
        Err(problem) => return problems.push(problem),
    };
    for (column, year, version) in &columns.amounts {
        if row.is_empty(*column) {
            info.empty_amounts += 1;
            continue;
        }
        let amount = match reader.amount(*column, factor) {
            Ok(amount) => amount,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let (Some(year), Some(version)) =
            (year.or(year_from_column), version.or(version_from_column))
        else {
            continue;
        };
        ledger.lines.push(BudgetLine {
            source,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            year,
            version,
            amount,
            dims,
        });
    }
}

/// One row being read: its cells, its line, and where a problem in it is located.
struct RowReader<'a> {
    profile: &'a Profile,
    line: u64,
    row: &'a RowCells<'a>,
    headers: &'a [String],
}

impl RowReader<'_> {
    /// A problem located at the row's line and the column.
    fn at(&self, column: usize, message: String) -> DataError {
        DataError::new(&self.profile.file, message)
            .at_line(self.line)
            .at_column(column, self.headers[column].clone())
    }

    /// Every text the row contributes, cleaned, or the first character that cannot print.
    fn text(&self, column: usize) -> Result<Cow<'_, str>, DataError> {
        self.row
            .printable(column)
            .map_err(|bad| self.at(column, bad.message()))
    }

    /// Whether a filter leaves the row out: a value not in its `keep` list, or in its `drop`
    /// list.
    fn filtered_out(
        &self,
        filters: &[(usize, Vec<String>, Vec<String>)],
    ) -> Result<bool, DataError> {
        for (column, keep, drop) in filters {
            let value = self.text(*column)?;
            let listed = |list: &[String]| list.iter().any(|v| *v == value);
            if (!keep.is_empty() && !listed(keep)) || listed(drop) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// −1 when the sign column says income, 1 when it says expense or there is none; a
    /// problem for any other value.
    fn sign_factor(
        &self,
        sign: &Option<(usize, Vec<String>, Vec<String>)>,
    ) -> Result<Decimal, DataError> {
        let Some((column, income, expense)) = sign else {
            return Ok(Decimal::ONE);
        };
        let value = self.text(*column)?;
        if income.iter().any(|v| *v == value) {
            Ok(Decimal::NEGATIVE_ONE)
        } else if !expense.iter().any(|v| *v == value) {
            Err(self.at(
                *column,
                crate::msg!(
                    "load.row.sign",
                    value = format!("{value:?}"),
                    income = income.join(", "),
                    expense = expense.join(", ")
                ),
            ))
        } else {
            Ok(Decimal::ONE)
        }
    }

    /// The row's year from the year column, if the layout has one.
    fn year(&self, column: Option<usize>) -> Result<Option<i32>, DataError> {
        let Some(column) = column else {
            return Ok(None);
        };
        let text = self.row.text(column);
        match text.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => Ok(Some(y)),
            _ => Err(self.at(
                column,
                crate::msg!("load.row.year", text = format!("{text:?}")),
            )),
        }
    }

    /// The row's value of each dimension, interned in the ledger.
    fn dims(
        &self,
        dimensions: &[(usize, Option<usize>, Option<usize>)],
        ledger: &mut Ledger,
    ) -> Result<[u32; Role::COUNT], DataError> {
        let row = self.row;
        let mut dims = [NONE; Role::COUNT];
        for (role, code_column, text_column) in dimensions {
            let raw_code = code_column.map(|c| row.text(c)).unwrap_or_default();
            let raw_name = text_column.map(|c| row.text(c)).unwrap_or_default();
            if raw_code.is_empty() && raw_name.is_empty() {
                continue;
            }
            let values = &mut ledger.dimensions[*role];
            // A value seen before was cleaned then; only a new one is looked at character by
            // character.
            if let Some(id) = values.find(&raw_code, &raw_name) {
                dims[*role] = id;
                continue;
            }
            let code = code_column.map(|c| self.text(c)).transpose();
            let name = text_column.map(|c| self.text(c)).transpose();
            let (code, name) = match (code, name) {
                (Ok(code), Ok(name)) => (code.unwrap_or_default(), name.unwrap_or_default()),
                (Err(problem), _) | (_, Err(problem)) => return Err(problem),
            };
            if code.is_empty() && name.is_empty() {
                continue;
            }
            let id = values.intern(&code, &name);
            if (code.as_ref(), name.as_ref()) != (raw_code.as_ref(), raw_name.as_ref()) {
                values.alias(&raw_code, &raw_name, id);
            }
            dims[*role] = id;
        }
        Ok(dims)
    }

    /// The amount in a column, in kroner with the row's sign (`factor`).
    fn amount(&self, column: usize, factor: Decimal) -> Result<Decimal, DataError> {
        let value = match self.row.amount(column, self.profile.decimal_mark) {
            Ok(value) => value,
            Err(error) => {
                let message = if error.ambiguous {
                    crate::msg!("load.row.amount_ambiguous", error)
                } else {
                    error.to_string()
                };
                return Err(self.at(column, message));
            }
        };
        value
            .checked_mul(factor)
            .ok_or_else(|| self.at(column, crate::msg!("load.row.amount_overflow")))
    }
}
