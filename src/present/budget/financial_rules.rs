//! The municipality's financial rules judged on the key figures (issue 26): per rule and
//! plan year whether it holds, in words in a table and in a bar chart per rule that reads in
//! greyscale (the verdict written under each bar, the bound a dashed line), and a line chart
//! of the key figures' percentages over the plan years. A rule is judged on the figure as
//! printed (one decimal), so the page never shows 2,0 % failing a rule of at least 2 %.

use rust_decimal::Decimal;
use serde::Serialize;

use super::key_figure_rows::{Figures, Row, Value, percent_text};
use crate::config::Config;
use crate::financial_rules::{Bound, FinancialRule, KeyFigure};
use crate::format;
use crate::present::charts::{Tick, percent_of, tick_step};
use crate::present::table::{PrintedRow, PrintedTable};
use crate::words::{Fill, Phrase, Words};

/// One rule's chart: a bar per plan year, the bound across them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleChart {
    /// The rule in words: "Netto lånegjeld i % av driftsinntektene høyst 90,0 %".
    pub label: String,
    pub bars: Vec<RuleBar>,
    /// The bound's height and the zero line's, as percentages of the axis.
    pub bound: Decimal,
    pub zero: Decimal,
    pub bound_label: String,
    pub ticks: Vec<Tick>,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleBar {
    pub year: String,
    /// The figure as printed, or "ikke kjent".
    pub value: String,
    /// "holds", "fails" or "unknown".
    pub verdict: &'static str,
    /// The verdict in words, printed under the bar.
    pub word: String,
    pub bottom: Decimal,
    pub height: Decimal,
}

/// The key figures' percentages over the plan years: one line per figure.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineChart {
    pub years: Vec<String>,
    /// Each year's place across the plot, as a percentage of its width.
    pub positions: Vec<Decimal>,
    pub series: Vec<Series>,
    pub zero: Decimal,
    pub ticks: Vec<Tick>,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Series {
    pub label: String,
    /// Per plan year the height as a percentage of the axis and the printed figure; none
    /// where the figure is not known (the line breaks there).
    pub points: Vec<Option<(Decimal, String)>>,
}

/// The figure a rule bounds: a row of the key figures table.
fn row_of(figure: KeyFigure) -> Row {
    match figure {
        KeyFigure::NettoDriftsresultat => Row::ResultPercent,
        KeyFigure::Disposisjonsfond => Row::FundPercent,
        KeyFigure::NettoLanegjeld => Row::DebtPercent,
        KeyFigure::Lanefinansiering => Row::Loans,
    }
}

/// A rule in words.
fn rule_label(w: &Words, rule: &FinancialRule) -> String {
    let key = match rule.bound {
        Bound::AtLeast => "key_figures.rule_at_least",
        Bound::AtMost => "key_figures.rule_at_most",
    };
    w.fill(
        key,
        &[
            ("figure", w.get(row_of(rule.figure).label_key())),
            ("percent", &percent_text(rule.percent)),
        ],
    )
}

/// A rule's verdict in a year: "holds", "fails" or "unknown", and its words.
fn verdict(w: &Words, rule: &FinancialRule, value: &Value) -> (&'static str, String) {
    match value {
        Value::Known { shown, .. } if rule.holds(*shown) => {
            ("holds", w.get("key_figures.holds").to_string())
        }
        Value::Known { .. } => ("fails", w.get("key_figures.fails").to_string()),
        Value::Missing(_) => ("unknown", w.get("key_figures.unknown").to_string()),
    }
}

/// The rules table (per rule and year: the verdict and the figure), a chart per rule, and
/// the development of the percentages.
pub(super) fn rules_table_and_charts(
    rules: &[FinancialRule],
    figures: &Figures,
    years: &[i32],
    config: &Config,
) -> (Option<PrintedTable>, Vec<RuleChart>, Option<LineChart>) {
    let w = &config.words;
    let charts = rules
        .iter()
        .map(|r| rule_chart(w, r, figures, years))
        .collect();
    let table = (!rules.is_empty()).then(|| PrintedTable {
        caption: Phrase::new("key_figures.rules_caption").with(
            "period",
            format::years(w, Some(config.plan.first), Some(config.plan.last)),
        ),
        columns: std::iter::once(Fill::from(Phrase::new("key_figures.rules_column")))
            .chain(years.iter().map(|y| Fill::from(y.to_string())))
            .collect(),
        rows: rules
            .iter()
            .map(|rule| PrintedRow {
                label: rule_label(w, rule),
                cells: years
                    .iter()
                    .map(|y| {
                        let value = &figures[&(row_of(rule.figure), *y)];
                        let (_, word) = verdict(w, rule, value);
                        match value {
                            Value::Known { shown, .. } => w.fill(
                                "key_figures.verdict_cell",
                                &[("verdict", &word), ("percent", &percent_text(*shown))],
                            ),
                            Value::Missing(_) => word,
                        }
                    })
                    .collect(),
                strong: false,
            })
            .collect(),
        total: None,
        notes: vec![Phrase::new("key_figures.rules_note")],
    });
    (table, charts, development(w, figures, years))
}

/// An axis over `values` (and zero): round ticks, and a value's height as a percentage.
struct Axis {
    low: Decimal,
    high: Decimal,
    step: Decimal,
}

impl Axis {
    fn over(values: &[Decimal]) -> Axis {
        let low = values.iter().copied().fold(Decimal::ZERO, Decimal::min);
        let high = values.iter().copied().fold(Decimal::ZERO, Decimal::max);
        let span = (high - low).max(Decimal::ONE);
        let step = tick_step(span);
        let low = (low / step).floor() * step;
        let mut high = (high / step).ceil() * step;
        if high <= low {
            high = low + step;
        }
        Axis { low, high, step }
    }

    fn at(&self, value: Decimal) -> Decimal {
        percent_of(value - self.low, self.high - self.low)
    }

    fn ticks(&self) -> Vec<Tick> {
        let mut ticks = Vec::new();
        let mut v = self.low;
        while v <= self.high {
            ticks.push(Tick {
                percent: self.at(v),
                label: format::percent(v / Decimal::ONE_HUNDRED, 0),
            });
            v += self.step;
        }
        ticks
    }
}

/// One rule's bar chart over the plan years.
fn rule_chart(w: &Words, rule: &FinancialRule, figures: &Figures, years: &[i32]) -> RuleChart {
    let row = row_of(rule.figure);
    let known: Vec<Decimal> = years
        .iter()
        .filter_map(|y| match &figures[&(row, *y)] {
            Value::Known { shown, .. } => Some(*shown),
            Value::Missing(_) => None,
        })
        .chain([rule.percent])
        .collect();
    let axis = Axis::over(&known);
    let zero = axis.at(Decimal::ZERO);
    let bars: Vec<RuleBar> = years
        .iter()
        .map(|y| {
            let value = &figures[&(row, *y)];
            let (kind, word) = verdict(w, rule, value);
            let (bottom, height, text) = match value {
                Value::Known { shown, .. } => {
                    let (a, b) = (axis.at(*shown), zero);
                    (a.min(b), (a - b).abs(), percent_text(*shown))
                }
                Value::Missing(_) => (zero, Decimal::ZERO, w.get("key_figures.not_known").into()),
            };
            RuleBar {
                year: y.to_string(),
                value: text,
                verdict: kind,
                word,
                bottom,
                height,
            }
        })
        .collect();
    let label = rule_label(w, rule);
    let alt = w.fill(
        "key_figures.rule_alt",
        &[
            ("rule", &label),
            (
                "years",
                &bars
                    .iter()
                    .map(|b| format!("{}: {} ({})", b.year, b.value, b.word))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ],
    );
    RuleChart {
        label,
        bars,
        bound: axis.at(rule.percent),
        zero,
        bound_label: percent_text(rule.percent),
        ticks: axis.ticks(),
        alt,
    }
}

/// The percentages of the key figures over the plan years, when there are two years or more
/// and a figure is known in one of them.
fn development(w: &Words, figures: &Figures, years: &[i32]) -> Option<LineChart> {
    let rows = [
        Row::ResultPercent,
        Row::FundPercent,
        Row::DebtPercent,
        Row::Loans,
    ];
    let shown = |row: Row, y: i32| match &figures[&(row, y)] {
        Value::Known { shown, .. } => Some(*shown),
        Value::Missing(_) => None,
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .filter(|r| years.iter().any(|y| shown(*r, *y).is_some()))
        .collect();
    if years.len() < 2 || rows.is_empty() {
        return None;
    }
    let values: Vec<Decimal> = rows
        .iter()
        .flat_map(|r| years.iter().filter_map(|y| shown(*r, *y)))
        .collect();
    let axis = Axis::over(&values);
    let series: Vec<Series> = rows
        .iter()
        .map(|&row| Series {
            label: w.get(row.label_key()).to_string(),
            points: years
                .iter()
                .map(|y| shown(row, *y).map(|v| (axis.at(v), percent_text(v))))
                .collect(),
        })
        .collect();
    let alt = series
        .iter()
        .map(|s| {
            let points: Vec<String> = s
                .points
                .iter()
                .zip(years)
                .map(|(p, y)| match p {
                    Some((_, text)) => format!("{y}: {text}"),
                    None => format!("{y}: {}", w.get("key_figures.not_known")),
                })
                .collect();
            format!("{} ({})", s.label, points.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(LineChart {
        years: years.iter().map(i32::to_string).collect(),
        positions: (0..years.len())
            .map(|i| percent_of(Decimal::from(2 * i + 1), Decimal::from(2 * years.len())))
            .collect(),
        series,
        zero: axis.at(Decimal::ZERO),
        ticks: axis.ticks(),
        alt: w.fill("key_figures.development_alt", &[("series", &alt)]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn an_axis_takes_in_zero_and_negative_figures_on_round_ticks() {
        // −4,9 % and 7,9 %: a step of 5 from −5 to 10, zero a third of the way up.
        let axis = Axis::over(&[d("-4.9"), d("7.9"), d("2")]);
        assert_eq!((axis.low, axis.high, axis.step), (d("-5"), d("10"), d("5")));
        assert_eq!(axis.at(Decimal::ZERO), d("33.333"));
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(labels, ["−5\u{a0}%", "0\u{a0}%", "5\u{a0}%", "10\u{a0}%"]);
    }

    #[test]
    fn a_rule_is_judged_on_the_figure_as_printed() {
        // 1,96 % prints as 2,0 %: the page never shows 2,0 % failing "at least 2 %".
        let rule = FinancialRule {
            figure: KeyFigure::NettoDriftsresultat,
            bound: Bound::AtLeast,
            percent: d("2"),
        };
        let printed = format::Rule::HalfAwayFromZero.round(d("1.96"), 1);
        assert!(rule.holds(printed));
        assert!(!rule.holds(format::Rule::HalfAwayFromZero.round(d("1.94"), 1)));
    }
}
