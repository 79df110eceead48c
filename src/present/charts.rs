//! Chart geometry: the strategy chapter's stacked bar chart and timeline (positions as
//! percentages of an axis, tick labels, alternative text), and the axis rules every chart
//! shares: a scale that prints short numbers, a nice tick step, a percentage of the axis.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::Totals;
use crate::config::{Config, YearSpan};
use crate::format::{self, Scale};
use crate::model::{Dataset, Id, MilestoneDate};
use crate::words::{Fill, Phrase};

/// A stacked bar chart of yearly amounts in the plan period.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BarChart {
    /// The unit of the axis labels, e.g. "mill. kr".
    pub unit: String,
    pub(crate) ticks: Vec<Tick>,
    pub(crate) bars: Vec<Bar>,
    pub(crate) legend: Vec<String>,
    /// A sentence describing the chart for readers who cannot see it.
    pub alt: Phrase,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Tick {
    /// Height as a percentage of the axis, as a decimal string.
    pub percent: Decimal,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Bar {
    pub year: i32,
    pub total: Decimal,
    pub(crate) segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Segment {
    /// Index into the legend (and the chart palette).
    pub series: usize,
    pub percent: Decimal,
    pub amount: Decimal,
}

/// A timeline of all programmes over the report's horizon.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Timeline {
    pub first: i32,
    pub last: i32,
    pub years: Vec<i32>,
    /// The plan period's position on the axis.
    pub(crate) plan_start: Decimal,
    pub(crate) plan_width: Decimal,
    pub rows: Vec<TimelineRow>,
    /// Milestones inside the horizon, numbered in date order.
    pub(crate) milestones: Vec<TimelineMilestone>,
    /// Sentences describing the timeline for readers who cannot see it, printed one after
    /// the other with a space between.
    pub alt: Vec<Fill>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineRow {
    pub label: String,
    pub(crate) bars: Vec<TimelineBar>,
    pub(crate) marks: Vec<TimelineMark>,
    /// The programme's milestones outside the horizon, which the timeline cannot draw: the
    /// row says where they lie instead of standing empty.
    pub(crate) outside: Vec<OutsideMilestone>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct OutsideMilestone {
    /// As precise as the data gives it: "2016", "januar 2016" or "1. januar 2016".
    pub date: String,
    pub label: String,
    /// True when it lies before the horizon's first year, false when after its last.
    pub before: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineBar {
    pub label: String,
    pub(crate) period: String,
    pub start: Decimal,
    pub width: Decimal,
    pub(crate) open_start: bool,
    pub(crate) open_end: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineMark {
    pub number: usize,
    pub position: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineMilestone {
    pub number: usize,
    pub date: String,
    pub label: String,
    pub(crate) programme: Option<String>,
}

/// The scale that prints `max` with a short number.
pub(crate) fn scale_for(max: Decimal) -> Scale {
    let max = max.abs();
    if max >= Decimal::from(1_000_000_000) {
        Scale::Billions
    } else if max >= Decimal::from(1_000_000) {
        Scale::Millions
    } else if max >= Decimal::from(10_000) {
        Scale::Thousands
    } else {
        Scale::Kroner
    }
}

/// A "nice" tick step (1, 2 or 5 × 10^k) giving at most five steps up to `max` (> 0).
pub(crate) fn tick_step(max: Decimal) -> Decimal {
    let mut power = Decimal::ONE;
    while let Some(next) = power.checked_mul(Decimal::TEN).filter(|next| *next <= max) {
        power = next;
    }
    while power > max && power > Decimal::new(1, 2) {
        power /= Decimal::TEN;
    }
    let tenth = power / Decimal::TEN;
    for step in [
        tenth,
        tenth * Decimal::TWO,
        tenth * Decimal::from(5),
        power,
        power * Decimal::TWO,
    ]
    .into_iter()
    .chain(power.checked_mul(Decimal::from(5)))
    {
        if (max / step).ceil() <= Decimal::from(5) {
            return step;
        }
    }
    power.checked_mul(Decimal::TEN).unwrap_or(power)
}

/// `part` as a percentage of `whole`, to three decimals (chart geometry, never printed money).
pub(crate) fn percent_of(part: Decimal, whole: Decimal) -> Decimal {
    part.checked_div(whole)
        .and_then(|ratio| ratio.checked_mul(Decimal::ONE_HUNDRED))
        .map_or(Decimal::ZERO, |p| {
            format::Rule::HalfAwayFromZero.round(p, 3)
        })
}

/// The chapter's bar chart: each plan year's total, stacked by programme, on a round axis.
pub(super) fn bar_chart(
    data: &Dataset,
    totals: &Totals,
    config: &Config,
    names: &BTreeMap<&Id, &str>,
) -> BarChart {
    let series: Vec<&Id> = data
        .programmes
        .records()
        .map(|p| &p.id)
        .filter(|id| totals.plan_by_programme.contains_key(id))
        .collect();
    let max = totals
        .by_year
        .values()
        .copied()
        .max()
        .unwrap_or_default()
        .max(Decimal::ZERO);
    let scale = scale_for(max);
    let (axis_max, step) = bar_axis(max, scale.divisor());
    let bars: Vec<Bar> = config
        .plan
        .years()
        .map(|year| Bar {
            year,
            total: totals.by_year.get(&year).copied().unwrap_or_default(),
            segments: series
                .iter()
                .enumerate()
                .filter_map(|(index, id)| {
                    let amount = *totals.yearly.get(*id)?.get(&year)?;
                    Some(Segment {
                        series: index,
                        percent: percent_of(amount, axis_max),
                        amount,
                    })
                })
                .collect(),
        })
        .collect();
    let legend: Vec<&str> = series
        .iter()
        .map(|id| names.get(id).copied().unwrap_or_default())
        .collect();
    BarChart {
        unit: scale.unit(),
        ticks: bar_ticks(axis_max, step, scale.divisor()),
        alt: bar_chart_alt(&bars, &legend, scale, config),
        bars,
        legend: legend.iter().map(|name| name.to_string()).collect(),
    }
}

/// The bar chart's axis: its top and its step, in kroner. The top is a whole number of
/// steps and never the maximum itself, to leave room above the tallest bar for its label.
fn bar_axis(max: Decimal, divisor: Decimal) -> (Decimal, Decimal) {
    if max.is_zero() {
        (divisor, divisor)
    } else {
        let step = tick_step(max / divisor) * divisor;
        let top = (max / step).ceil().checked_mul(step).unwrap_or(max);
        // Room above the tallest bar for its value label: never end the axis at the maximum.
        let top = if (top - max) * Decimal::TEN < top {
            top.checked_add(step).unwrap_or(top)
        } else {
            top
        };
        (top, step)
    }
}

/// The axis' ticks from zero, a step apart, labelled in the chart's unit; at most seven.
fn bar_ticks(axis_max: Decimal, step: Decimal, divisor: Decimal) -> Vec<Tick> {
    let mut ticks = Vec::new();
    let mut value = Decimal::ZERO;
    while value <= axis_max && ticks.len() <= 6 {
        let shown = (value / divisor).normalize();
        ticks.push(Tick {
            percent: percent_of(value, axis_max),
            label: format::number(shown, shown.scale()),
        });
        value = match value.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    ticks
}

/// The bar chart's alternative text: the period, the lowest and highest year, each year's
/// total and the series.
fn bar_chart_alt(bars: &[Bar], series: &[&str], scale: format::Scale, config: &Config) -> Phrase {
    let period = format::years(
        &config.words,
        Some(config.plan.first),
        Some(config.plan.last),
    );
    if series.is_empty() {
        return Phrase::new("chapter.chart_alt_empty").with("period", period);
    }
    let (low, high) = bars
        .iter()
        .fold((None::<Decimal>, None::<Decimal>), |(lo, hi), b| {
            (
                Some(lo.map_or(b.total, |l| l.min(b.total))),
                Some(hi.map_or(b.total, |h| h.max(b.total))),
            )
        });
    let shown = |v: Option<Decimal>| format::money(v.unwrap_or_default(), scale, 1);
    let per_year: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.year, format::money(b.total, scale, 1)))
        .collect();
    Phrase::new("chapter.chart_alt")
        .with("period", period)
        .with("low", shown(low))
        .with("high", shown(high))
        .with("per_year", per_year.join("; "))
        .with("series", series.join(", "))
}

/// The chapter's timeline: a row of phases and milestones per programme over the horizon.
pub(super) fn timeline(data: &Dataset, config: &Config) -> Timeline {
    let horizon = config.horizon;
    let axis = TimeAxis {
        horizon,
        years: Decimal::from(horizon.len()),
    };
    let mut dated: Vec<(&crate::model::Milestone, MilestoneDate)> = data
        .milestones
        .records()
        .filter(|m| horizon.contains(m.date.year))
        .map(|m| (m, m.date))
        .collect();
    dated.sort_by_key(|(_, d)| (d.year, d.month, d.day));
    let milestones: Vec<TimelineMilestone> = dated
        .iter()
        .enumerate()
        .map(|(i, (m, d))| TimelineMilestone {
            number: i + 1,
            date: format::date(&config.words, d.year, d.month, d.day),
            label: m.label.0.clone(),
            programme: m.programme.as_ref().and_then(|id| {
                data.programmes
                    .records()
                    .find(|p| &p.id == id)
                    .map(|p| p.name.0.clone())
            }),
        })
        .collect();
    let rows = data
        .programmes
        .records()
        .map(|p| timeline_row(data, config, &axis, &dated, p))
        .collect::<Vec<_>>();
    let alt = timeline_alt(&rows, &milestones, config);
    Timeline {
        first: horizon.first,
        last: horizon.last,
        years: horizon.years().collect(),
        plan_start: axis.at(config.plan.first, Decimal::ZERO),
        plan_width: percent_of(Decimal::from(config.plan.len()), axis.years),
        rows,
        milestones,
        alt,
    }
}

/// The timeline's horizontal axis: the horizon's years.
struct TimeAxis {
    horizon: YearSpan,
    /// How many years the horizon has.
    years: Decimal,
}

impl TimeAxis {
    /// Position of the start of `year` (plus a fraction of it) as a percentage of the axis.
    fn at(&self, year: i32, fraction: Decimal) -> Decimal {
        percent_of(
            Decimal::from(year - self.horizon.first) + fraction,
            self.years,
        )
    }

    /// Where a milestone is marked: at its day (months of 30 days), a year alone in the
    /// middle of its year.
    fn mark_position(&self, d: MilestoneDate) -> Decimal {
        match (d.month, d.day) {
            // A year alone is marked in the middle of its year.
            (None, _) => self.at(d.year, Decimal::new(5, 1)),
            (Some(month), day) => {
                let days =
                    Decimal::from(u32::from(month - 1) * 30 + u32::from(day.unwrap_or(1)) - 1);
                self.at(d.year, days / Decimal::from(360))
            }
        }
    }
}

/// A programme's row of the timeline: its phases as bars, its milestones in the horizon as
/// numbered marks (numbered as in `dated`), and those outside the horizon listed.
fn timeline_row(
    data: &Dataset,
    config: &Config,
    axis: &TimeAxis,
    dated: &[(&crate::model::Milestone, MilestoneDate)],
    p: &crate::model::Programme,
) -> TimelineRow {
    let horizon = axis.horizon;
    TimelineRow {
        label: p.name.0.clone(),
        bars: data
            .phases
            .records()
            .filter(|ph| ph.programme == p.id)
            .map(|ph| {
                let first = ph.first_year.map_or(horizon.first, |y| y.0);
                let last = ph.last_year.map_or(horizon.last, |y| y.0);
                TimelineBar {
                    label: ph.label.0.clone(),
                    period: format::years(
                        &config.words,
                        ph.first_year.map(|y| y.0),
                        ph.last_year.map(|y| y.0),
                    ),
                    start: axis.at(first, Decimal::ZERO),
                    width: percent_of(Decimal::from(last - first + 1), axis.years),
                    open_start: ph.first_year.is_none(),
                    open_end: ph.last_year.is_none(),
                }
            })
            .collect(),
        marks: dated
            .iter()
            .enumerate()
            .filter(|(_, (m, _))| m.programme.as_ref() == Some(&p.id))
            .map(|(i, (_, d))| TimelineMark {
                number: i + 1,
                position: axis.mark_position(*d),
            })
            .collect(),
        outside: {
            let mut outside: Vec<&crate::model::Milestone> = data
                .milestones
                .records()
                .filter(|m| m.programme.as_ref() == Some(&p.id))
                .filter(|m| !horizon.contains(m.date.year))
                .collect();
            outside.sort_by_key(|m| (m.date.year, m.date.month, m.date.day));
            outside
                .into_iter()
                .map(|m| OutsideMilestone {
                    date: format::date(&config.words, m.date.year, m.date.month, m.date.day),
                    label: m.label.0.clone(),
                    before: m.date.year < horizon.first,
                })
                .collect()
        },
    }
}

/// The timeline's alternative text: the period, each programme's phases, the programmes
/// without phases, and the milestones.
fn timeline_alt(
    rows: &[TimelineRow],
    milestones: &[TimelineMilestone],
    config: &Config,
) -> Vec<Fill> {
    let horizon = config.horizon;
    let phase_count: usize = rows.iter().map(|r: &TimelineRow| r.bars.len()).sum();
    let without: Vec<&str> = rows
        .iter()
        .filter(|r| r.bars.is_empty())
        .map(|r| r.label.as_str())
        .collect();
    let w = &config.words;
    let mut alt: Vec<Fill> = vec![
        Phrase::new("chapter.timeline_alt")
            .with(
                "period",
                format::years(w, Some(horizon.first), Some(horizon.last)),
            )
            .with("programmes", rows.len().to_string())
            .with("phases", phase_count.to_string())
            .with(
                "plan",
                format::years(w, Some(config.plan.first), Some(config.plan.last)),
            )
            .into(),
    ];
    for row in rows.iter().filter(|r| !r.bars.is_empty()) {
        let phases: Vec<String> = row
            .bars
            .iter()
            .map(|b| format!("{} {}", b.label.to_lowercase(), b.period))
            .collect();
        alt.push(format!("{}: {}.", row.label, phases.join(", ")).into());
    }
    if !without.is_empty() {
        alt.push(
            Phrase::new("chapter.timeline_alt_without")
                .with("programmes", without.join(", "))
                .into(),
        );
    }
    for m in milestones {
        alt.push(
            Phrase::new("chapter.timeline_alt_milestone")
                .with("date", &m.date)
                .with("label", &m.label)
                .into(),
        );
    }
    alt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(tick_step(Decimal::from(20)), Decimal::from(5));
        assert_eq!(tick_step(Decimal::from(80)), Decimal::from(20));
        assert_eq!(tick_step(Decimal::from(7)), Decimal::from(2));
        assert_eq!(tick_step(Decimal::from(100)), Decimal::from(20));
    }
}
