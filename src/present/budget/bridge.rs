//! The change bridge of a part: from the adopted budget, change group by change group, to the
//! proposal, as a table and as a waterfall chart.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::PartInput;
use super::context::Context;
use crate::config::BudgetSection;
use crate::format::{Footing, Unit};
use crate::model::Role;
use crate::present::charts::{Tick, percent_of, scale_for, tick_step};
use crate::present::table::{PrintedRow, PrintedTable, column, label, notes};
use crate::words::{Phrase, Words};

/// From the adopted budget of the current year to the proposal, by change group.
#[derive(Debug, Clone, Serialize)]
pub struct BridgeView {
    pub year: i32,
    pub table: PrintedTable,
    /// The waterfall chart: one step per row of the table, positions in percent of the axis.
    pub steps: Vec<BridgeStep>,
    pub(crate) ticks: Vec<Tick>,
    /// The chart's unit, e.g. "mill. kr", and where its axis starts when not at zero.
    pub chart_unit: String,
    pub(crate) axis_start: Option<String>,
    pub alt: Phrase,
}

#[derive(Debug, Clone, Serialize)]
pub struct BridgeStep {
    pub label: String,
    pub value: String,
    /// "total", "up", "down" or "zero" (a change group that changes nothing: no bar).
    pub kind: &'static str,
    pub bottom: Decimal,
    pub height: Decimal,
}

/// The change bridge of each plan year, when the part has change groups and the report a
/// bridge_start.
pub(super) fn bridges(
    ctx: &Context<'_>,
    part: &PartInput<'_>,
    section: &BudgetSection,
) -> Vec<BridgeView> {
    match (part.bridge, &section.bridge) {
        (Some(sums), Some((start, _))) => ctx
            .years
            .iter()
            .map(|&year| bridge_view(ctx, sums, start, year))
            .collect(),
        _ => Vec::new(),
    }
}

/// The change bridge of one year: the adopted budget, each change group (`sums`, from the
/// group whose code is `start`), the proposal.
fn bridge_view(
    ctx: &Context<'_>,
    sums: &BTreeMap<u32, BTreeMap<i32, Decimal>>,
    start: &str,
    year: i32,
) -> BridgeView {
    let (ledger, unit, footing, w) = (ctx.ledger, &ctx.unit, ctx.footing, ctx.words);
    let unit_caption = &ctx.unit_caption;
    let change_role = Role::ChangeGroup.index();
    let priced = |y: i32, kroner: Decimal| ctx.priced(y, kroner);
    let mut ids: Vec<u32> = sums.keys().copied().collect();
    ids.sort_by_key(|&c| {
        let (code, name) = ledger.name_of(change_role, c, w);
        (code != start, code, name)
    });
    let values: Vec<Decimal> = ids
        .iter()
        .map(|c| priced(year, sums[c].get(&year).copied().unwrap_or_default()))
        .collect();
    let footed = column(&values, unit, footing, None);
    let (shown, total) = (&footed.0, footed.1);
    let labels: Vec<String> = ids
        .iter()
        .map(|&c| {
            let (code, name) = ledger.name_of(change_role, c, w);
            label(&code, &name)
        })
        .collect();
    let waterfall = Waterfall::new(shown, unit, bridge_chart_unit(&values, unit));
    let alt = Phrase::new("bridge.alt")
        .with("year", year.to_string())
        .with("start", labels.first().cloned().unwrap_or_default())
        .with(
            "start_amount",
            unit.print(shown.first().copied().unwrap_or_default()),
        )
        .with("count", labels.len().saturating_sub(1).to_string())
        .with("steps", alt_steps(&labels, shown, unit))
        .with("total", unit.print(total))
        .with("unit", unit_caption.clone());
    let chart_unit = waterfall.chart.scale.unit();
    let axis_start = (!waterfall.axis_min.is_zero())
        .then(|| format!("{} {chart_unit}", waterfall.label(waterfall.axis_min)));
    BridgeView {
        year,
        chart_unit,
        axis_start,
        table: bridge_table(&labels, &footed, year, unit, footing, unit_caption, w),
        steps: waterfall.steps(&labels, total, year, w),
        ticks: waterfall.ticks(),
        alt,
    }
}

/// The change groups after the start, each with its printed figure, for the chart's
/// alternative text: "N01 Lønn og priser 63 808; N06 Diverse −16 600".
fn alt_steps(labels: &[String], shown: &[Decimal], unit: &Unit) -> String {
    labels
        .iter()
        .zip(shown)
        .skip(1)
        .map(|(label, value)| format!("{label} {}", unit.print(*value)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A change bridge drawn as a waterfall: the first step and the last are totals standing on
/// the axis; the others float from the running total. The axis starts at a round figure below
/// the lowest total and leaves room above the highest bar for its value label.
struct Waterfall<'a> {
    /// The printed figures, in the table's unit.
    shown: &'a [Decimal],
    /// Where each step starts: the sum of the steps before it.
    running: Vec<Decimal>,
    axis_min: Decimal,
    axis_max: Decimal,
    step: Decimal,
    /// The table's unit, and the unit that keeps the bars' labels short.
    unit: &'a Unit,
    chart: Unit,
}

/// Labels in a unit that keeps them short (the table beside has the figures to print): sized
/// by the changes, not the totals, so that the changes do not all print as 0,0.
fn bridge_chart_unit(values: &[Decimal], unit: &Unit) -> Unit {
    Unit {
        scale: scale_for(
            values
                .iter()
                .skip(1)
                .copied()
                .fold(Decimal::ZERO, |a, v| a.max(v.abs())),
        ),
        decimals: 1,
        rule: unit.rule,
    }
}

impl<'a> Waterfall<'a> {
    fn new(shown: &'a [Decimal], unit: &'a Unit, chart: Unit) -> Self {
        let mut running = Vec::new();
        let mut level = Decimal::ZERO;
        for value in shown {
            running.push(level);
            level = level.saturating_add(*value);
        }
        let lowest = running
            .iter()
            .skip(1)
            .chain([&level])
            .copied()
            .fold(level, Decimal::min)
            .min(shown.first().copied().unwrap_or_default());
        let highest = running
            .iter()
            .chain([&level])
            .copied()
            .fold(level, Decimal::max)
            .max(shown.first().copied().unwrap_or_default());
        let span = highest.saturating_sub(lowest).max(Decimal::ONE);
        let step = tick_step(span);
        let round_to_step = |v: Decimal, up: bool| {
            v.checked_div(step)
                .map(|q| if up { q.ceil() } else { q.floor() })
                .and_then(|q| q.checked_mul(step))
                .unwrap_or(v)
        };
        let axis_min = round_to_step(lowest.saturating_sub(span / Decimal::TEN), false);
        let axis_min = if lowest >= Decimal::ZERO && axis_min < Decimal::ZERO {
            Decimal::ZERO
        } else {
            axis_min
        };
        let axis_max = round_to_step(highest, true);
        // Room above the highest bar for its value label.
        let axis_max = if (axis_max - highest) * Decimal::TEN < span {
            axis_max.saturating_add(step)
        } else {
            axis_max
        };
        Waterfall {
            shown,
            running,
            axis_min,
            axis_max,
            step,
            unit,
            chart,
        }
    }

    /// A figure's height on the axis, in percent.
    fn at(&self, v: Decimal) -> Decimal {
        let range = self
            .axis_max
            .saturating_sub(self.axis_min)
            .max(Decimal::ONE);
        percent_of(v - self.axis_min, range)
    }

    /// A printed figure as the chart labels it; one the chart's unit would round to nothing
    /// ("0,0" for −16 600 kr in mill. kr) is printed as the table rounds it, as money: in
    /// 1 000 kr that is "−17 000 kr", never "−17 1 000 kr" (two numbers to a reader).
    fn label(&self, shown_value: Decimal) -> String {
        let in_kroner = shown_value.saturating_mul(self.unit.scale.divisor());
        let rounded = self.chart.round(in_kroner);
        if rounded.is_zero() && !shown_value.is_zero() {
            crate::format::money(in_kroner, self.unit.scale, self.unit.decimals)
        } else {
            self.chart.print(rounded)
        }
    }

    /// The bars: the adopted budget, each change group up or down, the proposal.
    fn steps(&self, labels: &[String], total: Decimal, year: i32, w: &Words) -> Vec<BridgeStep> {
        let mut steps = Vec::new();
        for (i, value) in self.shown.iter().enumerate() {
            let (bottom, top, kind) = if i == 0 {
                (self.axis_min, *value, "total")
            } else {
                let from = self.running[i];
                let to = from.saturating_add(*value);
                let kind = match value.cmp(&Decimal::ZERO) {
                    std::cmp::Ordering::Greater => "up",
                    std::cmp::Ordering::Less => "down",
                    std::cmp::Ordering::Equal => "zero",
                };
                (from.min(to), from.max(to), kind)
            };
            steps.push(BridgeStep {
                label: labels[i].clone(),
                value: self.label(*value),
                kind,
                bottom: self.at(bottom),
                height: self.at(top) - self.at(bottom),
            });
        }
        steps.push(BridgeStep {
            label: w.fill("bridge.proposal", &[("year", &year.to_string())]),
            value: self.label(total),
            kind: "total",
            bottom: Decimal::ZERO,
            height: self.at(total),
        });
        steps
    }

    /// The axis' ticks, one a step from its start, at most twelve.
    fn ticks(&self) -> Vec<Tick> {
        let mut ticks = Vec::new();
        let mut tick = self.axis_min;
        while tick <= self.axis_max && ticks.len() < 12 {
            ticks.push(Tick {
                percent: self.at(tick),
                label: self.label(tick),
            });
            tick = tick.saturating_add(self.step);
        }
        ticks
    }
}

/// The bridge as a table: a row per change group, the proposal as its sum; the figures as
/// [`column`] footed them (printed figures, total, whether footing moved one).
fn bridge_table(
    labels: &[String],
    (shown, total, note): &(Vec<Decimal>, Decimal, bool),
    year: i32,
    unit: &Unit,
    footing: Footing,
    unit_caption: &Phrase,
    w: &Words,
) -> PrintedTable {
    PrintedTable {
        caption: Phrase::new("bridge.caption")
            .with("year", year.to_string())
            .with("unit", unit_caption.clone()),
        columns: vec![
            Phrase::new("bridge.change_group").into(),
            year.to_string().into(),
        ],
        rows: labels
            .iter()
            .zip(shown)
            .map(|(l, v)| PrintedRow {
                label: l.clone(),
                cells: vec![unit.print(*v)],
                strong: false,
            })
            .collect(),
        total: Some(PrintedRow {
            label: w.fill("bridge.proposal", &[("year", &year.to_string())]),
            cells: vec![unit.print(*total)],
            strong: true,
        }),
        notes: notes(footing, *note),
    }
}
