//! The overview chart at the front of the whole-budget report (`budget.front_chart = true`):
//! the drift part's net per group for each plan year, as horizontal bars around a zero axis,
//! one shade of grey per year (so that it reads on a greyscale print), each bar labelled with
//! the very figure the net table prints. With more than [`MAX_GROUPS`] groups the bars would
//! not fit a page: the chart is left out, and the page says so and why.

use rust_decimal::Decimal;
use serde::Serialize;

use super::context::Context;
use crate::present::charts::percent_of;
use crate::words::Phrase;

/// The most groups the chart draws (four years of bars each fill about a page).
pub(crate) const MAX_GROUPS: usize = 12;

#[derive(Debug, Clone, Serialize)]
pub struct FrontChart {
    /// When there are more groups than the chart draws: how many (and no bars).
    pub too_many_groups: Option<usize>,
    pub max_groups: usize,
    pub years: Vec<i32>,
    /// Where the zero axis stands, in percent of the bars' width.
    pub axis: Decimal,
    pub groups: Vec<FrontGroup>,
    pub caption: Phrase,
    pub alt: Phrase,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrontGroup {
    pub label: String,
    pub bars: Vec<FrontBar>,
}

/// One year's bar: where it starts and how wide it is, in percent of the bars' width.
#[derive(Debug, Clone, Serialize)]
pub struct FrontBar {
    pub year: i32,
    pub value: String,
    pub start: Decimal,
    pub width: Decimal,
    pub negative: bool,
}

/// The chart of a part's net per group, from the figures the net table prints (without bars
/// when there are too many groups); none when there is nothing to draw.
pub(super) fn front_chart(ctx: &Context<'_>) -> Option<FrontChart> {
    if ctx.group_ids.is_empty() {
        return None;
    }
    let too_many_groups = (ctx.group_ids.len() > MAX_GROUPS).then_some(ctx.group_ids.len());
    let shown: Vec<Decimal> = ctx
        .group_ids
        .iter()
        .flat_map(|&g| ctx.years.iter().map(move |&y| ctx.group_shown[&(g, y)]))
        .collect();
    let positive = shown.iter().copied().fold(Decimal::ZERO, Decimal::max);
    let negative = -shown.iter().copied().fold(Decimal::ZERO, Decimal::min);
    let range = positive.checked_add(negative).filter(|r| !r.is_zero())?;
    let axis = percent_of(negative, range);
    let bar = |year: i32, value: Decimal| {
        let width = percent_of(value.abs(), range);
        FrontBar {
            year,
            value: ctx.print(value),
            start: if value.is_sign_negative() {
                axis - width
            } else {
                axis
            },
            width,
            negative: value.is_sign_negative() && !value.is_zero(),
        }
    };
    let groups = ctx
        .group_ids
        .iter()
        .filter(|_| too_many_groups.is_none())
        .map(|&g| FrontGroup {
            label: ctx.group_row_label(g),
            bars: ctx
                .years
                .iter()
                .map(|&y| bar(y, ctx.group_shown[&(g, y)]))
                .collect(),
        })
        .collect();
    let group = ctx.group_label.to_lowercase();
    Some(FrontChart {
        too_many_groups,
        max_groups: MAX_GROUPS,
        years: ctx.years.clone(),
        axis,
        groups,
        caption: Phrase::new("front_chart.caption")
            .with("group", group.clone())
            .with("version", &ctx.version)
            .with("period", &ctx.span)
            .with("unit", ctx.unit_caption.clone()),
        alt: Phrase::new("front_chart.alt")
            .with("group", group)
            .with("period", &ctx.span)
            .with("count", ctx.group_ids.len().to_string()),
    })
}
