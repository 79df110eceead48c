//! Aggregate: exact sums of the municipality's amounts with `rust_decimal`.
//!
//! Sums are kept per programme × year, per year, per plan period and over the whole horizon.
//! Only `per_year` amounts enter yearly figures; a `period_total` is never split into years,
//! it counts once in the horizon total. `external` money (the state's, for instance) is
//! described in the report but never added to the municipality's sums. Every addition is
//! checked: an overflow is an error naming the line, never a panic or a wrapped number.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use crate::config::{Config, YearSpan};
use crate::model::{Basis, Dataset, Id, Kind};

pub mod debt;
pub(crate) mod kostra_table;
pub mod ledger;
pub mod prices;
pub mod projects;
pub mod statutory;
pub(crate) mod transfers;

/// The exact totals a report prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub plan: YearSpan,
    /// Yearly amounts per programme and year (only programmes that have any).
    pub yearly: BTreeMap<Id, BTreeMap<i32, Decimal>>,
    /// The sum over programmes, per year.
    pub by_year: BTreeMap<i32, Decimal>,
    /// Per programme, the sum of its yearly amounts in the plan period.
    pub plan_by_programme: BTreeMap<Id, Decimal>,
    /// The sum of all yearly amounts in the plan period.
    pub plan_total: Decimal,
    /// Per programme, every municipal amount over the whole horizon (period totals once).
    pub horizon_by_programme: BTreeMap<Id, Decimal>,
    /// All municipal amounts over the whole horizon.
    pub horizon_total: Decimal,
}

/// A sum that does not fit in a decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateError {
    pub what: String,
}

impl fmt::Display for AggregateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::msg!("aggregate.overflow_at", at = self.what))
    }
}

impl std::error::Error for AggregateError {}

impl From<AggregateError> for crate::error::DataErrors {
    fn from(error: AggregateError) -> Self {
        crate::error::DataError::from(error).into()
    }
}

/// A sum too large to compute, as a problem located at the line that overflowed.
impl From<AggregateError> for crate::error::DataError {
    fn from(error: AggregateError) -> Self {
        crate::error::DataError::new(&error.what, crate::msg!("aggregate.overflow"))
    }
}

fn add(sum: &mut Decimal, value: Decimal, what: impl Fn() -> String) -> Result<(), AggregateError> {
    *sum = sum
        .checked_add(value)
        .ok_or_else(|| AggregateError { what: what() })?;
    Ok(())
}

/// Sums the validated dataset.
pub fn aggregate(data: &Dataset, config: &Config) -> Result<Totals, AggregateError> {
    let plan = config.plan;
    let mut totals = Totals {
        plan,
        yearly: BTreeMap::new(),
        by_year: plan.years().map(|y| (y, Decimal::ZERO)).collect(),
        plan_by_programme: BTreeMap::new(),
        plan_total: Decimal::ZERO,
        horizon_by_programme: BTreeMap::new(),
        horizon_total: Decimal::ZERO,
    };

    for row in &data.amounts.rows {
        let amount = &row.record;
        if amount.kind == Kind::External {
            continue;
        }
        let at = || format!("{}:{}", data.amounts.file.display(), row.line);
        let value = amount.amount.0;
        let programme_horizon = totals
            .horizon_by_programme
            .entry(amount.programme.clone())
            .or_default();
        match amount.basis {
            Basis::PeriodTotal => {
                add(programme_horizon, value, at)?;
                add(&mut totals.horizon_total, value, at)?;
            }
            Basis::PerYear => {
                // Validation guarantees a first year for per_year amounts.
                let first = amount.first_year.map_or(amount.last_year.0, |y| y.0);
                let years = totals.yearly.entry(amount.programme.clone()).or_default();
                for year in first..=amount.last_year.0 {
                    add(years.entry(year).or_default(), value, at)?;
                    add(programme_horizon, value, at)?;
                    add(&mut totals.horizon_total, value, at)?;
                    if plan.contains(year) {
                        add(totals.by_year.entry(year).or_default(), value, at)?;
                        add(
                            totals
                                .plan_by_programme
                                .entry(amount.programme.clone())
                                .or_default(),
                            value,
                            at,
                        )?;
                        add(&mut totals.plan_total, value, at)?;
                    }
                }
            }
        }
    }
    Ok(totals)
}
