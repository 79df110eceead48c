//! `[resolution]` of `report.toml`: what the proposed resolution (*forslag til vedtak*) at the
//! end of a whole-budget report says beyond the figures of its tables — who adopts it, and the
//! municipality's own fixed points (tax rate, property tax, fees, further points as written).
//! Every text is checked as a data cell is, and every number has its range.

use std::borrow::Cow;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::Deserializer;

use crate::schema::{self, Printed};

/// The resolution's points from the configuration, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Who adopts the budget, as the resolution names it ("Bystyret"); `None`: the
    /// catalogue's word (Kommunestyret).
    pub council: Option<String>,
    /// Skattøre: the municipal income tax rate of persons, in percent.
    pub tax_rate: Option<Decimal>,
    /// Eiendomsskatt in promille: the general rate and the rate on housing.
    pub property_tax: Option<PropertyTax>,
    /// The general change of municipal fees and charges from the budget year's 1 January, in
    /// percent.
    pub fees: Option<Decimal>,
    /// Further points, printed as written, after the others.
    pub points: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyTax {
    pub general: Option<Decimal>,
    pub housing: Option<Decimal>,
}

/// `[resolution]` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResolution {
    /// Who adopts the budget, as the resolution names it, e.g. "Bystyret" (default
    /// "Kommunestyret", in nynorsk "Kommunestyret").
    #[serde(default, deserialize_with = "schema::printed_opt")]
    #[schemars(with = "Option<Printed>")]
    council: Option<String>,
    /// Skattøre: the municipal income tax rate of persons, in percent (0 to 25).
    tax_rate: Option<Rate<0, 25>>,
    /// Eiendomsskatt in promille.
    property_tax: Option<RawPropertyTax>,
    /// The general change of municipal fees and charges, in percent (−50 to 50).
    fees: Option<Rate<-50, 50>>,
    /// Further points, printed as written, in this order, after the others.
    #[serde(default)]
    points: Vec<Printed>,
}

/// Eiendomsskatt: eigedomsskattelova allows 1 to 7 promille, and at most 4 on housing and
/// holiday homes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPropertyTax {
    /// The general rate, in promille (1 to 7).
    general: Option<Rate<1, 7>>,
    /// The rate on housing and holiday homes, in promille (1 to 4).
    housing: Option<Rate<1, 4>>,
}

/// The checked resolution: it needs a budget (its points come from the budget's tables) that
/// is not the accounts and is printed in current prices, and a property tax names at least one
/// rate.
pub(super) fn check(
    raw: RawResolution,
    budget: Option<&super::BudgetSection>,
) -> Result<Resolution, String> {
    let Some(budget) = budget else {
        return Err(crate::msg!("resolution.no_budget"));
    };
    if let Some(version) = [Some(&budget.version), budget.investering_version.as_ref()]
        .into_iter()
        .flatten()
        .find(|v| crate::model::ledger::is_accounts(v))
    {
        return Err(crate::msg!("resolution.accounts", version));
    }
    // A resolution adopts amounts in the budget year's kroner; fixed prices would cite others.
    if budget.fixed_prices.is_some() {
        return Err(crate::msg!("resolution.fixed_prices"));
    }
    raw.check()
}

impl RawResolution {
    fn check(self) -> Result<Resolution, String> {
        let property_tax = match self.property_tax {
            None => None,
            Some(RawPropertyTax {
                general: None,
                housing: None,
            }) => return Err(crate::msg!("resolution.property_tax_empty")),
            Some(p) => Some(PropertyTax {
                general: p.general.map(|r| r.0),
                housing: p.housing.map(|r| r.0),
            }),
        };
        Ok(Resolution {
            council: self.council,
            tax_rate: self.tax_rate.map(|r| r.0),
            property_tax,
            fees: self.fees.map(|r| r.0),
            points: self.points.into_iter().map(|p| p.0).collect(),
        })
    }
}

/// A rate from `MIN` to `MAX` with at most two decimals, read exactly: an integer as it is, a
/// TOML decimal (a binary float) once as the shortest decimal that represents it (`10.95`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rate<const MIN: i64, const MAX: i64>(Decimal);

/// The decimals a rate may have.
const RATE_DECIMALS: u32 = 2;

impl<const MIN: i64, const MAX: i64> Rate<MIN, MAX> {
    fn expected() -> String {
        crate::msg!("resolution.rate_expected", min = MIN, max = MAX)
    }

    fn new(value: Decimal) -> Option<Self> {
        let in_range = (Decimal::from(MIN)..=Decimal::from(MAX)).contains(&value);
        (in_range && value.normalize().scale() <= RATE_DECIMALS).then_some(Rate(value.normalize()))
    }
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Rate<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        schema::exact_number(deserializer, Self::expected(), |written, value| {
            value.and_then(Rate::new).ok_or_else(|| {
                let expected = Self::expected();
                crate::msg!("resolution.rate", found = written, expected)
            })
        })
    }
}

impl<const MIN: i64, const MAX: i64> JsonSchema for Rate<MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Rate{MIN}To{MAX}").replace('-', "Minus").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": MIN,
            "maximum": MAX
        })
    }
}
