//! Live figures in the strategy chapter's prose (issue 27): the placeholders of an area's or a
//! programme's Markdown file, each resolved to the chapter's data exactly as the chapter
//! prints it (see [`super::chapter`] and the README's *The chapter's own text*). A programme's
//! placeholders speak of that programme; an area's name the programme first
//! (`{{fase lademoen 1}}`). Nothing here sums: the figures are the view's.

use rust_decimal::Decimal;

use super::placeholder::Printed;
use crate::format::{self, Scale};
use crate::msg;
use crate::present::chapter::{AmountView, AreaView, Chapter, ProgrammeView};
use crate::template::escape_markup;
use crate::words::Words;

/// The forms a placeholder may take, for messages.
const FORMS: &str =
    "{{nøkkeltall ID}}, {{beløp 1}}, {{sum}}, {{fase 1}}, {{faser}}, {{milepæl 1}}, {{antall}}";

/// The section whose file a placeholder is in.
#[derive(Clone, Copy)]
pub(super) enum Section<'a> {
    Area(&'a AreaView),
    Programme(&'a ProgrammeView),
}

/// What the chapter's placeholders are resolved against.
pub(super) struct Setting<'a> {
    pub(super) chapter: &'a Chapter,
    pub(super) words: &'a Words,
}

/// A placeholder as written: its keyword, its words after it, and its text in braces for
/// messages.
struct Written<'a> {
    keyword: &'a str,
    args: Vec<&'a str>,
    found: String,
}

/// The markup of the placeholder whose text between the braces is `inner`, in the file of
/// `section`; a message saying what is wrong otherwise.
pub(super) fn resolve(
    inner: &str,
    section: Section<'_>,
    setting: &Setting<'_>,
) -> Result<Printed, String> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    // Messages quote the placeholder as it was written, braces and all.
    let found = format!("{{{{{}}}}}", words.join(" "));
    let Some((keyword, args)) = words.split_first() else {
        return Err(unknown(&found));
    };
    let written = Written {
        keyword,
        args: args.to_vec(),
        found,
    };
    let text = match written.keyword {
        "nøkkeltall" => key_figure(&written, setting)?,
        "beløp" | "fase" | "milepæl" => item(&written, section, setting)?,
        "sum" => plan_sum(&written, section, setting)?,
        "faser" => phase_list(&written, section, setting)?,
        "antall" => count(&written, section, setting)?,
        _ => return Err(unknown(&written.found)),
    };
    let text = escape_markup(&text);
    Ok(Printed {
        whole: text.clone(),
        extract: text,
    })
}

fn unknown(found: &str) -> String {
    msg!("chapter_prose.unknown", found, forms = FORMS)
}

/// `{{nøkkeltall ID}}` (its value, as many decimals as key_figures.csv gives), `{{nøkkeltall
/// ID enhet}}` (its unit) and `{{nøkkeltall ID år}}` (its year).
fn key_figure(written: &Written<'_>, setting: &Setting<'_>) -> Result<String, String> {
    let (id, attribute) = match written.args.as_slice() {
        [id] => (*id, None),
        [id, attribute] => (*id, Some(*attribute)),
        _ => return Err(unknown(&written.found)),
    };
    let figures = &setting.chapter.figures;
    let figure = figures.get(id).ok_or_else(|| {
        let ids = figures.keys().cloned().collect::<Vec<_>>().join(", ");
        msg!("chapter_prose.no_figure", id, ids)
    })?;
    match attribute {
        None => Ok(format::number(
            figure.value,
            figure.value.normalize().scale(),
        )),
        Some("enhet") => Ok(figure.unit.clone()),
        Some("år") => figure
            .year
            .map(|y| y.to_string())
            .ok_or_else(|| msg!("chapter_prose.no_year", found = written.found.as_str())),
        Some(_) => Err(unknown(&written.found)),
    }
}

/// The programme a placeholder speaks of: the one named (`id`), else the file's own.
fn programme_of<'v>(
    id: Option<&str>,
    written: &Written<'_>,
    section: Section<'v>,
    setting: &Setting<'v>,
) -> Result<&'v ProgrammeView, String> {
    let Some(id) = id else {
        return match section {
            Section::Programme(p) => Ok(p),
            Section::Area(_) => Err(msg!(
                "chapter_prose.programme_needed",
                found = written.found.as_str()
            )),
        };
    };
    setting
        .chapter
        .areas
        .iter()
        .flat_map(|a| &a.programmes)
        .find(|p| p.id == id)
        .ok_or_else(|| {
            let ids = programme_ids(setting.chapter);
            msg!("chapter_prose.no_programme", id, ids)
        })
}

/// The programme of a placeholder that takes nothing but it (`{{sum}}`, `{{sum 0-24}}`).
fn programme_alone<'v>(
    written: &Written<'_>,
    section: Section<'v>,
    setting: &Setting<'v>,
) -> Result<&'v ProgrammeView, String> {
    match written.args.as_slice() {
        [] => programme_of(None, written, section, setting),
        [id] => programme_of(Some(id), written, section, setting),
        _ => Err(unknown(&written.found)),
    }
}

/// The chapter's programme ids, for a message: "0-24, baerekraft".
fn programme_ids(chapter: &Chapter) -> String {
    chapter
        .areas
        .iter()
        .flat_map(|a| &a.programmes)
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The attributes each item placeholder takes after its selector (the first is the default).
fn attributes(keyword: &str) -> &'static [&'static str] {
    match keyword {
        "beløp" => &["", "periode", "start", "slutt"],
        "fase" => &["periode", "start", "slutt"],
        _ => &["dato", "år"],
    }
}

/// `{{beløp [P] N|siste|drift|investering|external [periode|start|slutt]}}`, `{{fase [P]
/// N|siste [periode|start|slutt]}}` and `{{milepæl [P] N|siste [år]}}`: one amount, phase or
/// milestone of a programme, by its position in the data (a milestone's in date order) or,
/// for an amount, by its kind.
fn item(
    written: &Written<'_>,
    section: Section<'_>,
    setting: &Setting<'_>,
) -> Result<String, String> {
    let known = attributes(written.keyword);
    // A last word that is an attribute is one; the words before it are [programme] selector.
    let (attribute, head) = match written.args.split_last() {
        Some((last, head)) if known.contains(last) && !head.is_empty() => (*last, head),
        _ => (known[0], written.args.as_slice()),
    };
    let (programme, selector) = match head {
        [selector] => (programme_of(None, written, section, setting)?, *selector),
        [id, selector] => (
            programme_of(Some(id), written, section, setting)?,
            *selector,
        ),
        _ => return Err(unknown(&written.found)),
    };
    let found = written.found.as_str();
    let at = |count: usize| position(selector, count, found, &programme.id);
    match written.keyword {
        "beløp" => {
            let amount = amount(programme, selector, found)?;
            amount_attribute(amount, attribute, found, setting.words)
        }
        "fase" => {
            let phase = &programme.phases[at(programme.phases.len())?];
            let years = (phase.first_year, phase.last_year);
            period_attribute(years, attribute, found, setting.words)
        }
        _ => {
            let milestone = &programme.milestones[at(programme.milestones.len())?];
            Ok(match attribute {
                "år" => milestone.year.to_string(),
                _ => milestone.date.clone(),
            })
        }
    }
}

/// The index of the item `selector` (`1`, `2`, … or `siste`) names among `count`.
fn position(selector: &str, count: usize, found: &str, programme: &str) -> Result<usize, String> {
    let index = match selector {
        "siste" => count.checked_sub(1),
        n => n
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .filter(|i| *i < count),
    };
    index.ok_or_else(|| msg!("chapter_prose.position", found, programme, count))
}

/// The programme's amount `selector` names: by position, or by kind when it has exactly one
/// of that kind.
fn amount<'v>(
    programme: &'v ProgrammeView,
    selector: &str,
    found: &str,
) -> Result<&'v AmountView, String> {
    if matches!(selector, "drift" | "investering" | "external") {
        let of_kind: Vec<&AmountView> = programme
            .amounts
            .iter()
            .filter(|a| a.kind == selector)
            .collect();
        return match of_kind.as_slice() {
            [one] => Ok(one),
            _ => Err(msg!(
                "chapter_prose.kind",
                found,
                programme = programme.id.as_str(),
                count = of_kind.len()
            )),
        };
    }
    let index = position(selector, programme.amounts.len(), found, &programme.id)?;
    Ok(&programme.amounts[index])
}

/// An amount in running text: in milliards from a milliard up, else in millions, to one
/// decimal, without a zero decimal (`20 mill. kr`, `20,5 mill. kr`, `6 mrd. kr`).
fn money_in_text(kroner: Decimal) -> String {
    let scale = if kroner.abs() >= Scale::Billions.divisor() {
        Scale::Billions
    } else {
        Scale::Millions
    };
    format::money_in_text(kroner, scale, 1)
}

fn amount_attribute(
    amount: &AmountView,
    attribute: &str,
    found: &str,
    words: &Words,
) -> Result<String, String> {
    match attribute {
        "" => Ok(money_in_text(amount.amount)),
        _ => period_attribute(
            (amount.first_year, Some(amount.last_year)),
            attribute,
            found,
            words,
        ),
    }
}

/// A period as running text (`periode`: "2021–2023", "fram mot 2030") or one of its ends.
fn period_attribute(
    (first, last): (Option<i32>, Option<i32>),
    attribute: &str,
    found: &str,
    words: &Words,
) -> Result<String, String> {
    let end = match attribute {
        "start" => first,
        "slutt" => last,
        _ => return Ok(format::years(words, first, last)),
    };
    end.map(|y| y.to_string())
        .ok_or_else(|| msg!("chapter_prose.no_year", found))
}

/// `{{sum [P]}}`: the programme's yearly amounts summed over the plan period, in running text.
fn plan_sum(
    written: &Written<'_>,
    section: Section<'_>,
    setting: &Setting<'_>,
) -> Result<String, String> {
    let programme = programme_alone(written, section, setting)?;
    let found = written.found.as_str();
    programme
        .plan_total
        .map(money_in_text)
        .ok_or_else(|| msg!("chapter_prose.no_plan_total", found))
}

/// `{{faser [P]}}`: the programme's phases for running text, "forprosjekt 2021–2022;
/// gjennomføring 2023–2031" (each label's first letter in lower case).
fn phase_list(
    written: &Written<'_>,
    section: Section<'_>,
    setting: &Setting<'_>,
) -> Result<String, String> {
    let programme = programme_alone(written, section, setting)?;
    if programme.phases.is_empty() {
        let found = written.found.as_str();
        return Err(msg!("chapter_prose.no_phases", found));
    }
    let phases: Vec<String> = programme
        .phases
        .iter()
        .map(|ph| {
            let mut chars = ph.label.chars();
            let label: String = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            let years = format::years(setting.words, ph.first_year, ph.last_year);
            format!("{label} {years}")
        })
        .collect();
    Ok(phases.join("; "))
}

/// `{{antall [AREA]}}`: the number of an area's programmes as running text writes it ("fire";
/// digits above twelve): the file's own area, or the area named.
fn count(
    written: &Written<'_>,
    section: Section<'_>,
    setting: &Setting<'_>,
) -> Result<String, String> {
    let found = written.found.as_str();
    let area = match (written.args.as_slice(), section) {
        ([], Section::Area(area)) => area,
        ([], Section::Programme(_)) => return Err(msg!("chapter_prose.area_needed", found)),
        ([id], _) => {
            let areas = &setting.chapter.areas;
            areas.iter().find(|a| a.id == *id).ok_or_else(|| {
                let ids = areas.iter().map(|a| a.id.as_str()).collect::<Vec<_>>();
                msg!("chapter_prose.no_area", id, ids = ids.join(", "))
            })?
        }
        _ => return Err(unknown(found)),
    };
    Ok(count_word(area.programmes.len(), setting.words))
}

/// A count as running text writes it: words up to twelve (`count.*` in the catalogue), digits
/// above; as the templates' `count_word`.
fn count_word(n: usize, words: &Words) -> String {
    const KEYS: [&str; 13] = [
        "count.0", "count.1", "count.2", "count.3", "count.4", "count.5", "count.6", "count.7",
        "count.8", "count.9", "count.10", "count.11", "count.12",
    ];
    match KEYS.get(n) {
        Some(key) => words.get(key).to_string(),
        None => format::number(Decimal::from(n), 0),
    }
}
