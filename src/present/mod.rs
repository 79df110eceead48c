//! Present: turns validated records and exact totals into the view model templates read.
//!
//! The view model holds exact amounts (decimal strings, formatted by the template filters at
//! the moment they are printed) and everything a chart needs already computed: positions as
//! percentages of an axis, tick labels, alternative text. Templates decide how things look,
//! never what the numbers are.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::Totals;
use crate::config::{Config, YearSpan};
use crate::format::{self, Scale};
use crate::model::{Basis, Dataset, Id, Kind, MilestoneDate};

pub mod budget;
pub mod compare;
pub mod rounding;
pub mod sector;
pub mod table;

/// Everything a report template can use.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub meta: Meta,
    /// The strategy chapter, when the report has `[data]`; its fields appear at the top level.
    #[serde(flatten)]
    pub chapter: Option<Chapter>,
    /// The whole budget from real exports, when the report has `[budget]`.
    pub budget: Option<budget::BudgetView>,
    /// Every input with its SHA-256, the program and the rules the figures follow; set by
    /// [`colophon`] once the inputs are fingerprinted (none in a view built without them).
    pub colophon: Option<Colophon>,
}

/// The colophon: what the report was made from and how.
#[derive(Debug, Clone, Serialize)]
pub struct Colophon {
    pub files: Vec<ColophonFile>,
    /// The SHA-256 over all files' SHA-256 values (see [`crate::fingerprint::Fingerprint`]).
    pub digest: String,
    /// The program and its version, e.g. "budsjett 0.1.0".
    pub program: String,
    /// The KOSTRA mapping folder and the digest of its files, when the report uses it.
    pub kostra: Option<KostraVersion>,
    /// The templates and words catalogue: built in, and the local files that differ.
    pub made_from: crate::builtin::MadeFrom,
    /// How whole-budget tables are rounded and footed, when the report has `[budget]`.
    pub rounding: Option<RoundingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColophonFile {
    /// `config`, `data`, `profile`, `export`, `kostra` or `series`.
    pub role: &'static str,
    pub name: String,
    /// Data rows read from the file (after its header), where the report reads rows from it.
    pub rows: Option<usize>,
    pub bytes: u64,
    pub sha256: String,
    /// A KOSTRA table built into the program (see [`crate::fingerprint::InputFile`]).
    pub built_in: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct KostraVersion {
    pub folder: String,
    /// Every table is the built-in one.
    pub built_in: bool,
    /// The SHA-256 over the mapping files' SHA-256 values.
    pub digest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundingView {
    /// e.g. "1000 kr".
    pub unit: String,
    pub decimals: u32,
    /// `half_away_from_zero` or `half_even`.
    pub rule: &'static str,
    /// `largest_remainder` or `note`.
    pub footing: &'static str,
}

/// The colophon of a report from its fingerprint, with the rows read from each file.
pub fn colophon(
    config: &Config,
    fingerprint: &crate::fingerprint::Fingerprint,
    made_from: crate::builtin::MadeFrom,
    data: Option<&Dataset>,
    ledger: Option<&crate::model::budget::Ledger>,
) -> Colophon {
    let data_rows: Vec<(&std::path::Path, usize)> = match (&config.data, data) {
        (Some(files), Some(d)) => vec![
            (files.areas.as_path(), d.areas.rows.len()),
            (files.programmes.as_path(), d.programmes.rows.len()),
            (files.phases.as_path(), d.phases.rows.len()),
            (files.amounts.as_path(), d.amounts.rows.len()),
            (files.milestones.as_path(), d.milestones.rows.len()),
            (files.key_figures.as_path(), d.key_figures.rows.len()),
        ],
        _ => Vec::new(),
    };
    let rows_of = |file: &crate::fingerprint::InputFile| match file.role {
        "data" => data_rows
            .iter()
            .find(|(p, _)| *p == file.path)
            .map(|(_, n)| *n),
        "export" => ledger.and_then(|l| {
            l.sources
                .iter()
                .find(|s| s.file == file.path)
                .map(|s| s.rows)
        }),
        _ => None,
    };
    let kostra = config
        .budget
        .as_ref()
        .and_then(|b| b.statutory.as_ref())
        .map(|folder| KostraVersion {
            // The folder's own name: the report prints the same wherever it is run from.
            folder: folder.file_name().map_or_else(
                || folder.to_string_lossy().into_owned(),
                |name| name.to_string_lossy().into_owned(),
            ),
            built_in: fingerprint
                .files
                .iter()
                .all(|f| f.role != "kostra" || f.built_in),
            digest: crate::fingerprint::digest_of(
                fingerprint
                    .files
                    .iter()
                    .filter(|f| f.role == "kostra")
                    .map(|f| f.sha256.as_str()),
            ),
        });
    let rounding = config.budget.as_ref().map(rounding_view);
    Colophon {
        files: fingerprint
            .files
            .iter()
            .map(|f| ColophonFile {
                role: f.role,
                name: f.name.clone(),
                rows: rows_of(f),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
                built_in: f.built_in,
            })
            .collect(),
        digest: fingerprint.digest.clone(),
        program: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
        kostra,
        made_from,
        rounding,
    }
}

/// How the budget's tables round, as the colophon states it.
fn rounding_view(b: &crate::config::BudgetSection) -> RoundingView {
    let unit = b.presentation.unit;
    RoundingView {
        unit: unit.scale.unit(),
        decimals: unit.decimals,
        rule: match unit.rule {
            crate::format::Rule::HalfAwayFromZero => "half_away_from_zero",
            crate::format::Rule::HalfEven => "half_even",
        },
        footing: match b.presentation.footing {
            crate::format::Footing::LargestRemainder => "largest_remainder",
            crate::format::Footing::Note => "note",
        },
    }
}

/// The strategy chapter's view: programmes, their table, chart and timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    pub areas: Vec<AreaView>,
    pub plan_table: PlanTable,
    pub chart: BarChart,
    pub timeline: Timeline,
    /// Key figures by id, e.g. `figures.innbyggere_2050.value`.
    pub figures: BTreeMap<String, FigureView>,
    /// Exact totals over all programmes.
    pub totals: TotalsView,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub municipality: String,
    pub document: String,
    pub title: String,
    /// The document's status, e.g. "Kommunedirektørens forslag", when the report states one.
    pub status: Option<String>,
    /// The document date in long form, e.g. "1. november 2022".
    pub date: String,
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub plan: Span,
    pub horizon: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub first: i32,
    pub last: i32,
    pub years: Vec<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TotalsView {
    /// All yearly amounts in the plan period.
    pub plan: Decimal,
    /// All municipal amounts over the horizon (period totals counted once).
    pub horizon: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub id: String,
    pub name: String,
    pub programmes: Vec<ProgrammeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeView {
    pub id: String,
    pub name: String,
    pub area: String,
    pub phases: Vec<PhaseView>,
    /// The span of all phases, e.g. "2021–2023", or none when no phase is known.
    pub period: Option<String>,
    pub amounts: Vec<AmountView>,
    /// The sum of yearly amounts in the plan period; none when the programme has none.
    pub plan_total: Option<Decimal>,
    /// Yearly amounts in the plan period, one per plan year (none where nothing is known).
    pub plan_years: Vec<YearAmount>,
    pub milestones: Vec<MilestoneView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    pub label: String,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmountView {
    pub first_year: Option<i32>,
    pub last_year: i32,
    /// "period_total" or "per_year".
    pub basis: &'static str,
    /// "drift", "investering" or "external".
    pub kind: &'static str,
    pub source: String,
    pub amount: Decimal,
    /// For per_year amounts: the amount times the number of years.
    pub period_sum: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearAmount {
    pub year: i32,
    pub amount: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    pub year: i32,
    /// "1. januar 2022", "januar 2022" or "2030".
    pub date: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub label: String,
    pub value: Decimal,
    pub unit: String,
    pub year: Option<i32>,
}

/// The table "Økonomiplan": programmes × plan years, a total column and a total row.
#[derive(Debug, Clone, Serialize)]
pub struct PlanTable {
    pub years: Vec<i32>,
    pub rows: Vec<BudgetRow>,
    pub total: BudgetRow,
    /// Municipal amounts known only as a total for a period that touches the plan period.
    pub period_rows: Vec<PeriodRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetRow {
    pub name: String,
    pub cells: Vec<Option<Decimal>>,
    pub total: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodRow {
    pub name: String,
    pub first_year: Option<i32>,
    pub last_year: i32,
    pub source: String,
    pub amount: Decimal,
}

/// A stacked bar chart of yearly amounts in the plan period.
#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    /// The unit of the axis labels, e.g. "mill. kr".
    pub unit: String,
    pub ticks: Vec<Tick>,
    pub bars: Vec<Bar>,
    pub legend: Vec<String>,
    /// A sentence describing the chart for readers who cannot see it.
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    /// Height as a percentage of the axis, as a decimal string.
    pub percent: Decimal,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub year: i32,
    pub total: Decimal,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    /// Index into the legend (and the chart palette).
    pub series: usize,
    pub percent: Decimal,
    pub amount: Decimal,
}

/// A timeline of all programmes over the report's horizon.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub first: i32,
    pub last: i32,
    pub years: Vec<i32>,
    /// The plan period's position on the axis.
    pub plan_start: Decimal,
    pub plan_width: Decimal,
    pub rows: Vec<TimelineRow>,
    /// Milestones inside the horizon, numbered in date order.
    pub milestones: Vec<TimelineMilestone>,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub label: String,
    pub bars: Vec<TimelineBar>,
    pub marks: Vec<TimelineMark>,
    /// The programme's milestones outside the horizon, which the timeline cannot draw: the
    /// row says where they lie instead of standing empty.
    pub outside: Vec<OutsideMilestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutsideMilestone {
    /// As precise as the data gives it: "2016", "januar 2016" or "1. januar 2016".
    pub date: String,
    pub label: String,
    /// True when it lies before the horizon's first year, false when after its last.
    pub before: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineBar {
    pub label: String,
    pub period: String,
    pub start: Decimal,
    pub width: Decimal,
    pub open_start: bool,
    pub open_end: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineMark {
    pub number: usize,
    pub position: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineMilestone {
    pub number: usize,
    pub date: String,
    pub label: String,
    pub programme: Option<String>,
}

/// Builds the view model.
pub fn present(
    config: &Config,
    chapter: Option<(&Dataset, &Totals)>,
    budget: Option<budget::BudgetInput<'_>>,
) -> Report {
    let date = config.date;
    Report {
        meta: Meta {
            municipality: config.report.municipality.clone(),
            document: config.report.document.clone(),
            title: config.report.title.clone(),
            status: config.report.status.clone(),
            date: format::date(&config.words, date.year, Some(date.month), Some(date.day)),
            year: date.year,
            month: date.month,
            day: date.day,
            plan: span(config.plan),
            horizon: span(config.horizon),
        },
        chapter: chapter.map(|(data, totals)| present_chapter(data, totals, config)),
        budget: budget.map(|input| budget::present(input, config)),
        colophon: None,
    }
}

fn present_chapter(data: &Dataset, totals: &Totals, config: &Config) -> Chapter {
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

fn span(years: YearSpan) -> Span {
    Span {
        first: years.first,
        last: years.last,
        years: years.years().collect(),
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
            Some(BudgetRow {
                name: p.name.0.clone(),
                cells: years
                    .iter()
                    .map(|y| yearly.and_then(|m| m.get(y)).copied())
                    .collect(),
                total,
            })
        })
        .collect();
    let total = BudgetRow {
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

/// The scale that prints `max` with a short number.
pub fn scale_for(max: Decimal) -> Scale {
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
        .map_or(Decimal::ZERO, |p| format::round(p, 3))
}

/// The chapter's bar chart: each plan year's total, stacked by programme, on a round axis.
fn bar_chart(
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
fn bar_chart_alt(bars: &[Bar], series: &[&str], scale: format::Scale, config: &Config) -> String {
    let period = format::years(
        &config.words,
        Some(config.plan.first),
        Some(config.plan.last),
    );
    let w = &config.words;
    if series.is_empty() {
        return w.fill("chapter.chart_alt_empty", &[("period", &period)]);
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
    w.fill(
        "chapter.chart_alt",
        &[
            ("period", &period),
            ("low", &shown(low)),
            ("high", &shown(high)),
            ("per_year", &per_year.join("; ")),
            ("series", &series.join(", ")),
        ],
    )
}

/// The chapter's timeline: a row of phases and milestones per programme over the horizon.
fn timeline(data: &Dataset, config: &Config) -> Timeline {
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
fn timeline_alt(rows: &[TimelineRow], milestones: &[TimelineMilestone], config: &Config) -> String {
    let horizon = config.horizon;
    let phase_count: usize = rows.iter().map(|r: &TimelineRow| r.bars.len()).sum();
    let without: Vec<&str> = rows
        .iter()
        .filter(|r| r.bars.is_empty())
        .map(|r| r.label.as_str())
        .collect();
    let w = &config.words;
    let mut alt = w.fill(
        "chapter.timeline_alt",
        &[
            (
                "period",
                &format::years(w, Some(horizon.first), Some(horizon.last)),
            ),
            ("programmes", &rows.len().to_string()),
            ("phases", &phase_count.to_string()),
            (
                "plan",
                &format::years(w, Some(config.plan.first), Some(config.plan.last)),
            ),
        ],
    );
    for row in rows.iter().filter(|r| !r.bars.is_empty()) {
        let phases: Vec<String> = row
            .bars
            .iter()
            .map(|b| format!("{} {}", b.label.to_lowercase(), b.period))
            .collect();
        alt.push_str(&format!(" {}: {}.", row.label, phases.join(", ")));
    }
    if !without.is_empty() {
        alt.push(' ');
        alt.push_str(&w.fill(
            "chapter.timeline_alt_without",
            &[("programmes", &without.join(", "))],
        ));
    }
    for m in milestones {
        alt.push(' ');
        alt.push_str(&w.fill(
            "chapter.timeline_alt_milestone",
            &[("date", &m.date), ("label", &m.label)],
        ));
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
