//! The strategy chapter's view: its areas and programmes with their phases, amounts and
//! milestones, the plan table, the key figures and the totals. Its chart and timeline are
//! drawn in [`super::charts`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::charts::{BarChart, Timeline, bar_chart, timeline};
use crate::aggregate::Totals;
use crate::config::Config;
use crate::format;
use crate::model::{Basis, Dataset, Id, Kind, MilestoneDate};

/// The strategy chapter's view: programmes, their table, chart and timeline.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chapter {
    pub areas: Vec<AreaView>,
    pub(crate) plan_table: PlanTable,
    pub chart: BarChart,
    pub(crate) timeline: Timeline,
    /// Key figures by id, e.g. `figures.innbyggere_2050.value`.
    pub figures: BTreeMap<String, FigureView>,
    /// Exact totals over all programmes.
    pub totals: TotalsView,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TotalsView {
    /// All yearly amounts in the plan period.
    pub plan: Decimal,
    /// All municipal amounts over the horizon (period totals counted once).
    pub horizon: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AreaView {
    pub id: String,
    pub name: String,
    pub(crate) programmes: Vec<ProgrammeView>,
    /// The area's own text as Typst markup (escaped, figures filled in), from its Markdown
    /// file in the chapter's prose folder ([`crate::prose::chapter`]); none without one.
    pub(crate) prose: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProgrammeView {
    pub id: String,
    pub name: String,
    pub area: String,
    pub(crate) phases: Vec<PhaseView>,
    /// The span of all phases, e.g. "2021–2023", or none when no phase is known.
    pub(crate) period: Option<String>,
    pub(crate) amounts: Vec<AmountView>,
    /// The sum of yearly amounts in the plan period; none when the programme has none.
    pub plan_total: Option<Decimal>,
    /// Yearly amounts in the plan period, one per plan year (none where nothing is known).
    pub(crate) plan_years: Vec<YearAmount>,
    pub(crate) milestones: Vec<MilestoneView>,
    /// The programme's own text as Typst markup, as an area's ([`AreaView::prose`]).
    pub(crate) prose: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhaseView {
    pub label: String,
    pub(crate) first_year: Option<i32>,
    pub(crate) last_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AmountView {
    pub(crate) first_year: Option<i32>,
    pub(crate) last_year: i32,
    /// "period_total" or "per_year".
    pub(crate) basis: &'static str,
    /// "drift", "investering" or "external".
    pub kind: &'static str,
    pub source: String,
    pub amount: Decimal,
    /// For per_year amounts: the amount times the number of years.
    pub(crate) period_sum: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct YearAmount {
    pub year: i32,
    pub amount: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MilestoneView {
    pub year: i32,
    /// "1. januar 2022", "januar 2022" or "2030".
    pub date: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FigureView {
    pub label: String,
    pub value: Decimal,
    pub unit: String,
    pub year: Option<i32>,
}

/// The table "Økonomiplan": programmes × plan years, a total column and a total row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanTable {
    pub years: Vec<i32>,
    pub rows: Vec<PlanRow>,
    pub total: PlanRow,
    /// Municipal amounts known only as a total for a period that touches the plan period.
    pub(crate) period_rows: Vec<PeriodRow>,
}

/// A row of the plan table: a programme (or the sum) with its amount in each plan year.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanRow {
    pub name: String,
    pub cells: Vec<Option<Decimal>>,
    pub total: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeriodRow {
    pub name: String,
    pub(crate) first_year: Option<i32>,
    pub(crate) last_year: i32,
    pub source: String,
    pub amount: Decimal,
}

pub(super) fn present_chapter(data: &Dataset, totals: &Totals, config: &Config) -> Chapter {
    let names: BTreeMap<&Id, &str> = data
        .programmes
        .records()
        .map(|p| (&p.id, p.name.0.as_str()))
        .collect();

    let areas = data
        .areas
        .records()
        .map(|area| AreaView {
            id: area.id.0.clone(),
            name: area.name.0.clone(),
            programmes: data
                .programmes
                .records()
                .filter(|p| p.area == area.id)
                .map(|p| programme_view(data, totals, config, &p.id, &p.name.0, &area.id))
                .collect(),
            prose: None,
        })
        .collect();

    let figures = data
        .key_figures
        .records()
        .map(|k| {
            (
                k.id.0.clone(),
                FigureView {
                    label: k.label.0.clone(),
                    value: k.value.0,
                    unit: k.unit.0.clone(),
                    year: k.year.map(|y| y.0),
                },
            )
        })
        .collect();

    Chapter {
        areas,
        plan_table: plan_table(data, totals, config, &names),
        chart: bar_chart(data, totals, config, &names),
        timeline: timeline(data, config),
        figures,
        totals: TotalsView {
            plan: totals.plan_total,
            horizon: totals.horizon_total,
        },
    }
}

fn programme_view(
    data: &Dataset,
    totals: &Totals,
    config: &Config,
    id: &Id,
    name: &str,
    area: &Id,
) -> ProgrammeView {
    let phases: Vec<PhaseView> = data
        .phases
        .records()
        .filter(|ph| &ph.programme == id)
        .map(|ph| PhaseView {
            label: ph.label.0.clone(),
            first_year: ph.first_year.map(|y| y.0),
            last_year: ph.last_year.map(|y| y.0),
        })
        .collect();
    let period = (!phases.is_empty()).then(|| {
        let first = phases.iter().map(|p| p.first_year).min().flatten();
        let last = if phases.iter().any(|p| p.last_year.is_none()) {
            None
        } else {
            phases.iter().filter_map(|p| p.last_year).max()
        };
        format::years(&config.words, first, last)
    });
    let amounts = data
        .amounts
        .records()
        .filter(|a| &a.programme == id)
        .map(amount_view)
        .collect();
    let yearly = totals.yearly.get(id);
    let mut milestones: Vec<(MilestoneDate, MilestoneView)> = data
        .milestones
        .records()
        .filter(|m| m.programme.as_ref() == Some(id))
        .map(|m| (m.date, milestone_view(config, m.date, &m.label.0)))
        .collect();
    milestones.sort_by_key(|(date, _)| (date.year, date.month, date.day));
    ProgrammeView {
        id: id.0.clone(),
        name: name.to_string(),
        area: area.0.clone(),
        phases,
        period,
        amounts,
        plan_total: totals.plan_by_programme.get(id).copied(),
        plan_years: config
            .plan
            .years()
            .map(|year| YearAmount {
                year,
                amount: yearly.and_then(|y| y.get(&year)).copied(),
            })
            .collect(),
        milestones: milestones.into_iter().map(|(_, view)| view).collect(),
        prose: None,
    }
}

/// An amount of the strategy chapter as printed, with its sum over its period.
fn amount_view(a: &crate::model::Amount) -> AmountView {
    let years = a.first_year.map_or(1, |first| a.last_year.0 - first.0 + 1);
    AmountView {
        first_year: a.first_year.map(|y| y.0),
        last_year: a.last_year.0,
        basis: match a.basis {
            Basis::PeriodTotal => "period_total",
            Basis::PerYear => "per_year",
        },
        kind: match a.kind {
            Kind::Drift => "drift",
            Kind::Investering => "investering",
            Kind::External => "external",
        },
        source: a.source.0.clone(),
        amount: a.amount.0,
        period_sum: match a.basis {
            Basis::PeriodTotal => a.amount.0,
            // Already summed without overflow in aggregate for municipal amounts;
            // for external ones fall back to the yearly figure if it cannot be.
            Basis::PerYear => a
                .amount
                .0
                .checked_mul(Decimal::from(years))
                .unwrap_or(a.amount.0),
        },
    }
}

fn milestone_view(config: &Config, date: MilestoneDate, label: &str) -> MilestoneView {
    MilestoneView {
        year: date.year,
        date: format::date(&config.words, date.year, date.month, date.day),
        label: label.to_string(),
    }
}

fn plan_table(
    data: &Dataset,
    totals: &Totals,
    config: &Config,
    names: &BTreeMap<&Id, &str>,
) -> PlanTable {
    let years: Vec<i32> = config.plan.years().collect();
    // Programmes in data order, those with yearly amounts in the plan period.
    let rows = data
        .programmes
        .records()
        .filter_map(|p| {
            let total = *totals.plan_by_programme.get(&p.id)?;
            let yearly = totals.yearly.get(&p.id);
            Some(PlanRow {
                name: p.name.0.clone(),
                cells: years
                    .iter()
                    .map(|y| yearly.and_then(|m| m.get(y)).copied())
                    .collect(),
                total,
            })
        })
        .collect();
    let total = PlanRow {
        name: config.words.get("table.sum").to_string(),
        cells: years
            .iter()
            .map(|y| totals.by_year.get(y).copied())
            .collect(),
        total: totals.plan_total,
    };
    let period_rows = data
        .amounts
        .records()
        .filter(|a| a.basis == Basis::PeriodTotal && a.kind != Kind::External)
        .filter(|a| {
            a.last_year.0 >= config.plan.first
                && a.first_year.is_none_or(|f| f.0 <= config.plan.last)
        })
        .map(|a| PeriodRow {
            name: names
                .get(&a.programme)
                .copied()
                .unwrap_or_default()
                .to_string(),
            first_year: a.first_year.map(|y| y.0),
            last_year: a.last_year.0,
            source: a.source.0.clone(),
            amount: a.amount.0,
        })
        .collect();
    PlanTable {
        years,
        rows,
        total,
        period_rows,
    }
}
