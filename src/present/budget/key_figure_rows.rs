//! The rows and values of the key figures table (issue 26): which figure a row prints, a
//! figure known or missing in a year, and how a percentage prints. Shared by the key figures
//! page (`key_figures.rs`) and the rules judged on it (`financial_rules.rs`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::format;
use crate::words::Phrase;

/// The rows of the key figures table, in the order printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Row {
    Result,
    ResultPercent,
    Fund,
    FundPercent,
    Debt,
    DebtPercent,
    DebtPerInhabitant,
    Loans,
}

impl Row {
    pub(super) const ALL: [Row; 8] = [
        Row::Result,
        Row::ResultPercent,
        Row::Fund,
        Row::FundPercent,
        Row::Debt,
        Row::DebtPercent,
        Row::DebtPerInhabitant,
        Row::Loans,
    ];

    /// The catalogue key of the row's label.
    pub(crate) fn label_key(self) -> &'static str {
        match self {
            Row::Result => "key_figures.row_result",
            Row::ResultPercent => "key_figures.row_result_percent",
            Row::Fund => "key_figures.row_fund",
            Row::FundPercent => "key_figures.row_fund_percent",
            Row::Debt => "key_figures.row_debt",
            Row::DebtPercent => "key_figures.row_debt_percent",
            Row::DebtPerInhabitant => "key_figures.row_debt_per_inhabitant",
            Row::Loans => "key_figures.row_loans",
        }
    }

    /// The catalogue key of how the row is computed, for `explain`.
    pub(super) fn formula_key(self) -> &'static str {
        match self {
            Row::Result => "key_figures.formula_result",
            Row::ResultPercent => "key_figures.formula_result_percent",
            Row::Fund => "key_figures.formula_fund",
            Row::FundPercent => "key_figures.formula_fund_percent",
            Row::Debt => "key_figures.formula_debt",
            Row::DebtPercent => "key_figures.formula_debt_percent",
            Row::DebtPerInhabitant => "key_figures.formula_debt_per_inhabitant",
            Row::Loans => "key_figures.formula_loans",
        }
    }

    /// The rows that print a key figure: its amount, percentages and amount per inhabitant.
    pub(crate) fn of_figure(figure: crate::financial_rules::KeyFigure) -> &'static [Row] {
        use crate::financial_rules::KeyFigure;
        match figure {
            KeyFigure::NettoDriftsresultat => &[Row::Result, Row::ResultPercent],
            KeyFigure::Disposisjonsfond => &[Row::Fund, Row::FundPercent],
            KeyFigure::NettoLanegjeld => &[Row::Debt, Row::DebtPercent, Row::DebtPerInhabitant],
            KeyFigure::Lanefinansiering => &[Row::Loans],
        }
    }

    pub(super) fn is_percent(self) -> bool {
        matches!(
            self,
            Row::ResultPercent | Row::FundPercent | Row::DebtPercent | Row::Loans
        )
    }
}

/// A key figure in a year: known (exact, and as printed: in the unit, in kroner per
/// inhabitant, or in percent with one decimal), or not, with the reason.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Known { exact: Decimal, shown: Decimal },
    Missing(Phrase),
}

/// The figures per row and year.
pub(crate) type Figures = BTreeMap<(Row, i32), Value>;

/// A percentage printed with one decimal: `7,4 %`.
pub(crate) fn percent_text(shown: Decimal) -> String {
    format::percent(shown / Decimal::ONE_HUNDRED, 1)
}
