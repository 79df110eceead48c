//! The chart of a comparison: a bar per group of the printed differences (the largest, and
//! one bar for the rest where there are too many to draw), and its alternative text.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Compare, Keyed};
use crate::words::{Phrase, Words};

/// One group's bar in the chart of differences.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DifferenceBar {
    pub label: String,
    pub value: String,
    /// "up" or "down".
    pub kind: &'static str,
    /// Length in percent of the largest difference (0–100).
    pub(crate) length: Decimal,
}

impl Compare<'_> {
    /// Bars of the printed differences per group, in percent of the largest.
    pub(super) fn bars(
        &self,
        groups: &[Keyed],
        first_shown: &[Decimal],
        second_shown: &[Decimal],
    ) -> Vec<DifferenceBar> {
        let setting = self.setting;
        let differences: Vec<Decimal> = first_shown
            .iter()
            .zip(second_shown)
            .map(|(f, s)| self.difference(*f, *s))
            .collect();
        let mut drawn: Vec<(String, Decimal)> = groups
            .iter()
            .zip(&differences)
            .map(|(g, d)| (self.label(setting.group_role, g), *d))
            .collect();
        if drawn.len() > MOST_BARS {
            drawn = largest_and_the_rest(drawn, setting.words);
        }
        let largest_difference = drawn.iter().fold(Decimal::ZERO, |m, (_, d)| m.max(d.abs()));
        drawn
            .into_iter()
            .map(|(label, d)| DifferenceBar {
                label,
                value: setting.unit.print(d),
                kind: if d >= Decimal::ZERO { "up" } else { "down" },
                length: if largest_difference.is_zero() {
                    Decimal::ZERO
                } else {
                    crate::present::charts::percent_of(d.abs(), largest_difference)
                },
            })
            .collect()
    }

    /// The chart's alternative text.
    pub(super) fn alt(&self) -> Phrase {
        let setting = self.setting;
        let what = if self.deviation {
            "compare.alt_deviation"
        } else {
            "compare.alt_change"
        };
        Phrase::new("compare.alt")
            .with("what", Phrase::new(what))
            .with("group", setting.group_label.to_lowercase())
            .with("first", self.sides[0].label)
            .with("second", self.sides[1].label)
            .with("unit", setting.unit_caption.clone())
    }
}

/// The most bars a chart of differences draws, so that it fits its page: with more groups it
/// draws the largest differences and one bar for the rest.
const MOST_BARS: usize = 25;

/// The `MOST_BARS - 1` largest differences (by size; the earlier of equals), in the table's
/// order, and one bar that sums the rest and says how many groups it holds. The rest's figure
/// is the sum of the printed figures it replaces, so the bars add up as the table does.
fn largest_and_the_rest(bars: Vec<(String, Decimal)>, words: &Words) -> Vec<(String, Decimal)> {
    let mut by_size: Vec<usize> = (0..bars.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(bars[i].1.abs()));
    let kept: BTreeSet<usize> = by_size.into_iter().take(MOST_BARS - 1).collect();
    let (count, rest) = bars
        .iter()
        .enumerate()
        .filter(|(i, _)| !kept.contains(i))
        .fold((0usize, Decimal::ZERO), |(n, sum), (_, (_, d))| {
            (n + 1, sum + d)
        });
    let mut drawn: Vec<(String, Decimal)> = bars
        .into_iter()
        .enumerate()
        .filter(|(i, _)| kept.contains(i))
        .map(|(_, bar)| bar)
        .collect();
    let label = words.fill("compare.bars_rest", &[("count", &count.to_string())]);
    drawn.push((label, rest));
    drawn
}
