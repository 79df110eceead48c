//! The key figures a budget report prints on its opening page (*hovedtall*) and the
//! municipality's own financial rules (*handlingsregler*) as `report.toml` states them:
//!
//! ```toml
//! [[budget.rules]]
//! figure = "netto_driftsresultat"   # in percent of driftsinntekter
//! at_least = 2
//! ```
//!
//! This module owns the names of the key figures and reads and checks the rules (a misspelt
//! figure or key is refused, a percent has its range); `present::budget::key_figures` computes
//! the figures and judges the rules. No sums here.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::Deserializer;

/// A key figure of the opening page that a rule can bound: each is a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyFigure {
    /// Netto driftsresultat (§ 5-4 row 17) in percent of driftsinntekter (§ 5-6 row 9).
    NettoDriftsresultat,
    /// Disposisjonsfond at 31.12. in percent of driftsinntekter.
    Disposisjonsfond,
    /// Netto lånegjeld at 31.12. (§ 5-7) in percent of driftsinntekter.
    NettoLanegjeld,
    /// Bruk av lån (§ 5-5 row 13) in percent of investeringsutgifter (§ 5-5 row 6).
    Lanefinansiering,
}

impl KeyFigure {
    /// Every key figure a rule can bound, in the order the page lists them.
    pub const ALL: [KeyFigure; 4] = [
        KeyFigure::NettoDriftsresultat,
        KeyFigure::Disposisjonsfond,
        KeyFigure::NettoLanegjeld,
        KeyFigure::Lanefinansiering,
    ];

    /// The name report.toml and `explain --key-figure` use.
    pub fn name(self) -> &'static str {
        match self {
            KeyFigure::NettoDriftsresultat => "netto_driftsresultat",
            KeyFigure::Disposisjonsfond => "disposisjonsfond",
            KeyFigure::NettoLanegjeld => "netto_lanegjeld",
            KeyFigure::Lanefinansiering => "lanefinansiering",
        }
    }

    /// The key figure a name means (`-` taken for `_`, as a command line writes it).
    pub fn from_name(name: &str) -> Option<KeyFigure> {
        let name = name.trim().to_lowercase().replace('-', "_");
        KeyFigure::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Which side of its bound a rule's figure must be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtLeast,
    AtMost,
}

/// One financial rule: a key figure (a percentage) at least or at most a bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialRule {
    pub figure: KeyFigure,
    pub bound: Bound,
    /// The bound in percent, with at most one decimal (as the page prints percentages).
    pub percent: Decimal,
}

impl FinancialRule {
    /// Whether a percentage, as printed (one decimal), keeps the rule.
    pub fn holds(&self, printed_percent: Decimal) -> bool {
        match self.bound {
            Bound::AtLeast => printed_percent >= self.percent,
            Bound::AtMost => printed_percent <= self.percent,
        }
    }
}

/// `[[budget.rules]]` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    /// The key figure the rule bounds (each a percentage).
    figure: KeyFigure,
    /// The figure must be at least this many percent.
    at_least: Option<Percent>,
    /// The figure must be at most this many percent.
    at_most: Option<Percent>,
}

/// A percent in report.toml: a number such as `2` or `1.5`, read as the decimal it is written
/// as (a bound, never money).
#[derive(Debug, Clone, Copy)]
struct Percent(Decimal);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let expected = crate::msg!("key_figures.percent_expected");
        crate::schema::exact_number(deserializer, expected.clone(), |_, value| {
            value.map(Percent).ok_or(expected)
        })
    }
}

impl JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            // not a message: JSON Schema documentation, shipped in English in docs/
            "description": "A percent, -100 to 1000, at most one decimal.",
            "type": "number",
            "minimum": -100,
            "maximum": 1000
        })
    }
}

/// The lowest and highest bound a rule may state, in percent.
const RANGE: (i64, i64) = (-100, 1000);

/// Checks `budget.rules`: each names a bound (`at_least` or `at_most`, not both) in its
/// range with at most one decimal, and no figure is bounded twice on the same side.
pub(crate) fn rules(raw: Vec<RawRule>) -> Result<Vec<FinancialRule>, String> {
    let mut rules: Vec<FinancialRule> = Vec::new();
    for (i, rule) in raw.into_iter().enumerate() {
        // As the configuration's own messages name the table: budget.rules[0] is the first.
        let n = i;
        let (bound, key, percent) = match (rule.at_least, rule.at_most) {
            (Some(p), None) => (Bound::AtLeast, "at_least", p.0),
            (None, Some(p)) => (Bound::AtMost, "at_most", p.0),
            (Some(_), Some(_)) => return Err(crate::msg!("key_figures.rule_bound_both", n)),
            (None, None) => return Err(crate::msg!("key_figures.rule_bound_neither", n)),
        };
        let (low, high) = (Decimal::from(RANGE.0), Decimal::from(RANGE.1));
        if percent < low || percent > high || percent.round_dp(1) != percent {
            let value = percent.normalize().to_string();
            return Err(crate::msg!(
                "key_figures.rule_percent",
                n,
                key,
                value,
                low = RANGE.0,
                high = RANGE.1
            ));
        }
        if let Some(first) = rules
            .iter()
            .position(|r| r.figure == rule.figure && r.bound == bound)
        {
            let figure = rule.figure.name();
            return Err(crate::msg!("key_figures.rule_twice", n, figure, key, first));
        }
        rules.push(FinancialRule {
            figure: rule.figure,
            bound,
            percent,
        });
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_holds_on_its_bound_and_fails_past_it() {
        let rule = FinancialRule {
            figure: KeyFigure::NettoLanegjeld,
            bound: Bound::AtMost,
            percent: Decimal::from(90),
        };
        assert!(rule.holds(Decimal::from(90)));
        assert!(!rule.holds(Decimal::new(901, 1)));
        assert_eq!(
            KeyFigure::from_name("netto-lanegjeld"),
            Some(KeyFigure::NettoLanegjeld)
        );
        assert_eq!(KeyFigure::from_name("lånegjeld"), None);
    }
}
