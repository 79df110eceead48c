//! Live figures in prose: `{{netto [group] year}}`, `{{endring [group] year year}}`,
//! `{{tabell [group]}}` and `{{tiltak id year}}`, resolved to the figure the tables print (see [`super`]).

use rust_decimal::Decimal;

use super::{Setting, table_label};
use crate::msg;
use crate::template::escape_markup;

/// The forms a placeholder may take, for messages.
pub(super) const FORMS: &str =
    "{{netto 2025}}, {{endring 2025 2026}}, {{tabell}}, {{tiltak <id> 2025}}";

/// What a placeholder prints: in the whole-budget report and in the group's own extract.
pub(super) struct Printed {
    pub(super) whole: String,
    pub(super) extract: String,
}

/// The markup of the placeholder whose text between the braces is `inner`, in the file of
/// the group `sector` (`None` for the opening chapter); a message saying what is wrong
/// otherwise.
pub(super) fn resolve(
    inner: &str,
    sector: Option<&str>,
    setting: &Setting<'_>,
) -> Result<Printed, String> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    // Messages quote the placeholder as it was written, braces and all.
    let found = format!("{{{{{}}}}}", words.join(" "));
    let inner = found.as_str();
    let (keyword, args) = words
        .split_first()
        .ok_or_else(|| msg!("prose.unknown", found = inner, forms = FORMS))?;
    let takes = match *keyword {
        "tiltak" => return tiltak(inner, args, setting),
        "netto" => 1,
        "endring" => 2,
        "tabell" => 0,
        _ => return Err(msg!("prose.unknown", found = inner, forms = FORMS)),
    };
    let (group, args) = match args.len() {
        n if n == takes => (
            sector.ok_or_else(|| msg!("prose.group_needed", found = inner))?,
            args,
        ),
        n if n == takes + 1 => (args[0], &args[1..]),
        _ => return Err(msg!("prose.unknown", found = inner, forms = FORMS)),
    };
    let figures = setting.figures;
    if !figures.groups.iter().any(|g| g.code == group) {
        let groups = super::group_list(figures);
        return Err(msg!("prose.no_group", code = group, groups));
    }
    let years: Vec<i32> = args
        .iter()
        .map(|a| plan_year(a, setting))
        .collect::<Result<_, _>>()?;
    let shown = |year: i32| figures.net(group, year).unwrap_or(Decimal::ZERO);
    let figure = match years.as_slice() {
        [] => return table(group, sector, setting),
        [year] => shown(*year),
        // `endring` takes two years, and no form takes more.
        [before, after, ..] => shown(*after).saturating_sub(shown(*before)),
    };
    let text = escape_markup(&figures.unit.print(figure));
    Ok(Printed {
        whole: text.clone(),
        extract: text,
    })
}

/// `{{tabell}}`: a reference to the group's table in the whole report; in the group's own
/// extract, "the table below" (the extract's tables are the group's).
fn table(group: &str, sector: Option<&str>, setting: &Setting<'_>) -> Result<Printed, String> {
    if !setting.group_tables {
        return Err(msg!("prose.no_table"));
    }
    let whole = format!("#ref(<{}>)", table_label(group));
    let extract = if sector == Some(group) {
        escape_markup(setting.words.get("prose.table_below"))
    } else {
        // Another group's table is not in this group's extract: name the group instead.
        escape_markup(
            &setting
                .words
                .fill("prose.table_of_group", &[("group", group)]),
        )
    };
    Ok(Printed { whole, extract })
}

/// A plan year, or a message naming the plan.
fn plan_year(text: &str, setting: &Setting<'_>) -> Result<i32, String> {
    let years = &setting.figures.years;
    text.parse::<i32>()
        .ok()
        .filter(|y| years.contains(y))
        .ok_or_else(|| {
            let first = years.first().copied().unwrap_or_default();
            let last = years.last().copied().unwrap_or_default();
            msg!("prose.year", found = text, first, last)
        })
}

/// `{{tiltak <id> <year>}}`: the tiltak's figure in a plan year, as its group's table of
/// tiltak prints it (the same in the whole report and the group's extract).
fn tiltak(found: &str, args: &[&str], setting: &Setting<'_>) -> Result<Printed, String> {
    let [id, year] = args else {
        return Err(msg!("prose.unknown", found, forms = FORMS));
    };
    let view = setting
        .tiltak
        .ok_or_else(|| msg!("tiltak.placeholder_no_file", found))?;
    let Some(figures) = view.figures.get(*id) else {
        let known = view.figures.keys().cloned().collect::<Vec<_>>().join(", ");
        return Err(msg!("tiltak.placeholder_unknown", id, known));
    };
    let year = plan_year(year, setting)?;
    let figure = figures.get(&year).copied().unwrap_or_default();
    let text = escape_markup(&setting.figures.unit.print(figure));
    Ok(Printed {
        whole: text.clone(),
        extract: text,
    })
}
