//! The view of one sector of a budget (`render --each <dimension>`): which sector it is, and
//! the municipality's totals printed beside it for context.
//!
//! A sector (one tjenesteområde, say) is not a budget of its own: it need not balance and has
//! no statutory overviews. Its tables are the budget's tables built from its lines only; this
//! view tells the template that it prints a sector, so that the template can leave out or
//! reword what only holds for the whole budget.

use serde::Serialize;

use super::table::PrintedTable;

/// One sector of the budget.
#[derive(Debug, Clone, Serialize)]
pub struct SectorView {
    /// The role of the dimension the sectors are values of, e.g. `area`.
    pub role: String,
    /// What the exports call that dimension, e.g. `Tjenesteområde`.
    pub dimension: String,
    /// The sector's code; empty for the lines without a value.
    pub code: String,
    /// The sector's name (its code when the exports give no text).
    pub name: String,
    /// Whether these are the lines without a value in the dimension.
    pub(crate) unassigned: bool,
    /// The whole budget's sums per year and version for each part, exactly the tables the
    /// whole-budget report prints.
    pub(crate) context: Vec<ContextView>,
}

/// The whole budget's sums of one part, for context.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContextView {
    /// `drift` or `investering`.
    pub part: &'static str,
    pub table: PrintedTable,
}
