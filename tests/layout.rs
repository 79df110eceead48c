//! Page geometry, not words: every text line of every page has its own space, table rules stay
//! clear of text, and the pagination rules hold — for the sample chapter and for a
//! whole-budget fixture with long wrapping labels, a line break in a cell and 2-row groups.
//! Also: the colophon's SHA-256 values are those `sha256sum` prints for the inputs.
//!
//! Text lines are read back from the PDF with `pdftotext -bbox-layout` (poppler). Rules are
//! read from the typeset document's frames (every horizontal line of at least 0.5pt, which is
//! what tables draw; chart gridlines are thinner) and compared with the extent of every text
//! run, from its font's ascender to its descender: reading drawn paths back out of the PDF
//! would need a PDF parser, and the frames are what the PDF is written from.
//! Each fixture is rendered once per test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use typst::layout::{Frame, FrameItem, Point};
use typst::visualize::Geometry;

/// One text line as poppler sees it: its box (points, y downwards) and its words.
#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// The text lines of each page.
fn pages(pdf: &Path) -> Vec<Vec<Line>> {
    let output = Command::new("pdftotext")
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: .ci/run installs it");
    assert!(output.status.success());
    let xml = String::from_utf8(output.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in xml.split("<page ").skip(1) {
        let mut lines = Vec::new();
        for chunk in page.split("<line ").skip(1) {
            let tag = &chunk[..chunk.find('>').unwrap()];
            let body = &chunk[..chunk.find("</line>").unwrap()];
            let words: Vec<String> = body
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let w = &w[w.find('>').unwrap() + 1..];
                    unescape(&w[..w.find("</word>").unwrap()])
                })
                .collect();
            lines.push(Line {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text: words.join(" ").replace(['\u{a0}', '\u{202f}'], " "),
            });
        }
        pages.push(lines);
    }
    pages
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Pairs of lines on one page whose boxes overlap: more than 1pt side by side and more than a
/// quarter of the smaller line's height one above the other.
fn collisions(pages: &[Vec<Line>]) -> Vec<String> {
    let mut found = Vec::new();
    for (p, lines) in pages.iter().enumerate() {
        for (i, a) in lines.iter().enumerate() {
            for b in &lines[i + 1..] {
                let ox = a.x1.min(b.x1) - a.x0.max(b.x0);
                let oy = a.y1.min(b.y1) - a.y0.max(b.y0);
                let h = (a.y1 - a.y0).min(b.y1 - b.y0);
                if ox > 1.0 && oy > 0.25 * h {
                    found.push(format!("page {}: {:?} / {:?}", p + 1, a.text, b.text));
                }
            }
        }
    }
    found
}

/// The lines of a page in reading order, without the running header (above the top margin)
/// and the page number (below the bottom margin).
fn body(lines: &[Line]) -> Vec<&Line> {
    // A4 is 842pt high; the margins are 2.4cm (68pt) at the top and 2.6cm (74pt) at the bottom.
    let mut body: Vec<&Line> = lines
        .iter()
        .filter(|l| l.y0 > 68.0 && l.y1 < 842.0 - 74.0)
        .collect();
    body.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    body
}

/// Pages that end with a heading (a line taller than body text, 11pt and up) or a caption.
fn pages_ending_in_a_heading_or_caption(pages: &[Vec<Line>]) -> Vec<String> {
    let mut found = Vec::new();
    // Page 1 is the title page.
    for (p, lines) in pages.iter().enumerate().skip(1) {
        let body = body(lines);
        let Some(last) = body.last() else { continue };
        // The last line and anything on its baseline (a table row has several cells).
        let heading = last.y1 - last.y0 > 14.0;
        let caption = last.text.starts_with("Tabell ") || last.text.starts_with("Figur ");
        if heading || caption {
            found.push(format!("page {} ends with {:?}", p + 1, last.text));
        }
    }
    found
}

/// Pages whose first body row (or the first after a repeated table header) is a total row.
fn pages_starting_with_a_total(pages: &[Vec<Line>]) -> Vec<String> {
    let mut found = Vec::new();
    for (p, lines) in pages.iter().enumerate().skip(1) {
        let body = body(lines);
        // Rows: lines on one baseline.
        let mut rows: Vec<(f64, String)> = Vec::new();
        for l in body {
            match rows.last_mut() {
                Some((y, text)) if (l.y0 - *y).abs() < 2.0 => {
                    text.push(' ');
                    text.push_str(&l.text);
                }
                _ => rows.push((l.y0, l.text.clone())),
            }
        }
        let is_total = |t: &str| {
            (t.starts_with("Sum ") || t == "Sum" || t.starts_with("Forslag 2"))
                && t.chars().any(|c| c.is_ascii_digit())
        };
        if rows.iter().take(2).any(|(_, t)| is_total(t)) {
            found.push(format!("page {} starts with a total row", p + 1));
        }
    }
    found
}

/// For every table of the view model with at most `short` body rows (a total row counted):
/// the page of its caption and the page of its last row, found in order in the PDF's text.
fn short_tables_split(
    report: &serde_json::Value,
    words: &budsjett::words::Words,
    pages: &[Vec<Line>],
    short: usize,
) -> (Vec<String>, usize) {
    let mut tables = Vec::new();
    collect_tables(report, words, &mut tables);
    // The text of every page in reading order, one string per line, with its page.
    let stream: Vec<(usize, String)> = pages
        .iter()
        .enumerate()
        .flat_map(|(p, lines)| body(lines).into_iter().map(move |l| (p, l.text.clone())))
        .collect();
    let mut found = Vec::new();
    let mut checked = 0;
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for (caption, rows, last) in tables {
        // The caption's line: the one where the whole caption (wrapped over up to three lines)
        // begins.
        let caption = words(&caption);
        let Some(at) = (0..stream.len()).find(|&i| {
            let joined: Vec<&str> = stream[i..(i + 3).min(stream.len())]
                .iter()
                .map(|(_, t)| t.as_str())
                .collect();
            let joined = words(&joined.join(" "));
            joined.starts_with("Tabell ") && joined.contains(&caption) && {
                let first_line = words(&stream[i].1);
                caption.starts_with(first_line.split_once(": ").map_or("", |(_, c)| c))
            }
        }) else {
            continue;
        };
        let first_words: String = last
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        let Some(end) = stream[at..]
            .iter()
            .position(|(_, t)| t.starts_with(&first_words))
        else {
            continue;
        };
        let (caption_page, last_page) = (stream[at].0, stream[at + end].0);
        checked += usize::from(rows <= short);
        if rows <= short && caption_page != last_page {
            found.push(format!(
                "a table of {rows} rows runs from page {} to page {}: {caption:?}",
                caption_page + 1,
                last_page + 1
            ));
        }
    }
    (found, checked)
}

/// Every printed table of the view model: its caption, body rows and the label of its last row.
fn collect_tables(
    value: &serde_json::Value,
    words: &budsjett::words::Words,
    out: &mut Vec<(String, usize, String)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            // A caption is a phrase of the view model, worded as the template words it.
            let caption = map.get("caption").and_then(|c| {
                serde_json::from_value::<budsjett::words::Phrase>(c.clone())
                    .ok()
                    .map(|phrase| words.say(&phrase))
            });
            if let (Some(caption), Some(serde_json::Value::Array(rows))) =
                (caption, map.get("rows"))
            {
                let total = map
                    .get("total")
                    .and_then(|t| t.get("label"))
                    .and_then(|l| l.as_str());
                let last = total.map(str::to_string).or_else(|| {
                    rows.last()
                        .and_then(|r| r.get("label"))
                        .and_then(|l| l.as_str())
                        .map(str::to_string)
                });
                if let Some(last) = last {
                    out.push((
                        caption.to_string(),
                        rows.len() + usize::from(total.is_some()),
                        last,
                    ));
                }
            }
            for v in map.values() {
                collect_tables(v, words, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_tables(v, words, out)),
        _ => {}
    }
}

/// Horizontal rules of at least 0.5pt that cross a text run, per page.
/// (And how many rules there are.)
fn rules_through_text(document: &typst_layout::PagedDocument) -> (Vec<String>, usize) {
    let mut count = 0;
    let mut found = Vec::new();
    for (p, page) in document.pages().iter().enumerate() {
        let mut texts = Vec::new();
        let mut rules = Vec::new();
        walk(&page.frame, Point::zero(), &mut texts, &mut rules);
        count += rules.len();
        for &(x0, x1, y, thickness) in &rules {
            for (tx0, tx1, top, bottom, text) in &texts {
                let side_by_side = x1.min(*tx1) - x0.max(*tx0) > 0.5;
                let through = y + thickness / 2.0 > *top && y - thickness / 2.0 < *bottom;
                if side_by_side && through {
                    found.push(format!(
                        "page {}: a rule at y = {y:.1}pt crosses {text:?}",
                        p + 1
                    ));
                }
            }
        }
    }
    (found, count)
}

type TextRun = (f64, f64, f64, f64, String);

fn walk(
    frame: &Frame,
    offset: Point,
    texts: &mut Vec<TextRun>,
    rules: &mut Vec<(f64, f64, f64, f64)>,
) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            // Rotated or scaled content (chart markers) holds no rules of tables.
            FrameItem::Group(group) if group.transform.is_identity() => {
                walk(&group.frame, at, texts, rules)
            }
            FrameItem::Text(text) => {
                let metrics = text.font.metrics();
                let size = text.size;
                let top = at.y - metrics.ascender.at(size);
                let bottom = at.y - metrics.descender.at(size);
                texts.push((
                    at.x.to_pt(),
                    (at.x + text.width()).to_pt(),
                    top.to_pt(),
                    bottom.to_pt(),
                    text.text.to_string(),
                ));
            }
            FrameItem::Shape(shape, _) => {
                if let Geometry::Line(delta) = shape.geometry
                    && delta.y.to_pt().abs() < 0.01
                    && let Some(stroke) = &shape.stroke
                    && stroke.thickness.to_pt() >= 0.5
                {
                    let (a, b) = (at.x.to_pt(), (at.x + delta.x).to_pt());
                    rules.push((a.min(b), a.max(b), at.y.to_pt(), stroke.thickness.to_pt()));
                }
            }
            _ => {}
        }
    }
}

/// A rendered fixture: its PDF, its typeset document and its view model as JSON.
struct Rendered {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    document: typst_layout::PagedDocument,
    /// The generated Typst source.
    source: String,
    report: serde_json::Value,
    /// The report's words, to word the view model's captions as the template does.
    words: budsjett::words::Words,
}

fn render(config: &Path) -> Rendered {
    let templates = Path::new(common::REPO).join("templates");
    let dir = tempfile::tempdir().unwrap();
    let result = common::budsjett()
        .args(["render", "--config"])
        .arg(config)
        .arg("--templates")
        .arg(&templates)
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", common::stderr(&result));
    let prepared = budsjett::pipeline::prepare(config, &templates).unwrap();
    let pdf = dir
        .path()
        .join(format!("{}.pdf", prepared.config.report.name));
    let source = prepared.source.clone();
    let document = budsjett::typeset::compile(
        prepared.source,
        &templates,
        &prepared.config.report.template,
        prepared.config.date,
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .document;
    Rendered {
        _dir: dir,
        pdf,
        document,
        source,
        report: serde_json::to_value(&prepared.report).unwrap(),
        words: prepared.config.words.clone(),
    }
}

/// Asserts every rule of the module; `short_tables` is how many tables of at most eight rows
/// the report has (a check that finds none would check nothing).
fn assert_layout(rendered: &Rendered, short_tables: usize) {
    let pages = pages(&rendered.pdf);
    let mut problems = collisions(&pages);
    let (crossing, rules) = rules_through_text(&rendered.document);
    assert!(rules > 4, "only {rules} table rules found");
    problems.extend(crossing);
    problems.extend(pages_ending_in_a_heading_or_caption(&pages));
    problems.extend(pages_starting_with_a_total(&pages));
    let (split, checked) = short_tables_split(&rendered.report, &rendered.words, &pages, 8);
    assert_eq!(checked, short_tables, "short tables found in the PDF");
    problems.extend(split);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A whole budget whose tables have long wrapping labels, a line break inside a cell, groups of
/// two rows and groups long enough to break across pages: 30 groups whose sizes vary so that
/// tables start and end at many heights of a page.
fn budget_fixture(dir: &Path) -> PathBuf {
    let mut csv = String::from("omr;omrtekst;tjeneste;tjenestetekst;2024;2025\n");
    for g in 1..=30 {
        let name = match g {
            3 => "Tilrettelagte tjenester for personer med funksjonsnedsettelse og deres pårørende, med avlastning".to_string(),
            5 => "\"Helse og omsorg\nhjemmebaserte tjenester\"".to_string(),
            _ => format!("Område {g}"),
        };
        let details = [2, 2, 5, 2, 40, 3, 2, 8, 2, 13, 2, 6][g % 12];
        for d in 1..=details {
            let service = if d == 1 {
                format!(
                    "Pleie, rehabilitering og omsorg – hjemmebaserte tjenester i bydel {g} med et langt navn som må brytes over flere linjer"
                )
            } else {
                format!("Tjeneste {g}.{d}")
            };
            csv.push_str(&format!(
                "{g:02};{name};{g:02}{d:03};{service};{} {:03};-{} {:03}\n",
                g * 10 + d,
                d * 7 % 1000,
                g * 9 + d,
                d * 11 % 1000
            ));
        }
    }
    // Income that balances nothing in particular: a budget need not balance to be laid out.
    std::fs::write(dir.join("export.csv"), csv).unwrap();
    std::fs::write(
        dir.join("profile.toml"),
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n[dimensions]\narea = { label = \"Område\", code = \"omr\", text = \"omrtekst\" }\nservice = { label = \"Tjeneste\", code = \"tjeneste\", text = \"tjenestetekst\" }\n",
    )
    .unwrap();
    let config = dir.join("report.toml");
    std::fs::write(
        &config,
        "[report]\nname = \"layout\"\nmunicipality = \"Prøve kommune\"\ndocument = \"Budsjett 2024\"\ntitle = \"Driftsbudsjett\"\ndate = 2024-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2024, 2025]\n[budget]\nsources = [\"profile.toml\"]\ngroup_by = \"area\"\ndetail_by = \"service\"\n",
    )
    .unwrap();
    config
}

#[test]
fn the_sample_chapter_has_no_collisions_no_orphans_and_no_split_short_tables() {
    let rendered = render(&Path::new(common::REPO).join("data/report.toml"));
    assert_layout(&rendered, 0);
}

#[test]
fn a_whole_budget_with_long_labels_and_short_groups_has_no_collisions_or_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let config = budget_fixture(dir.path());
    let rendered = render(&config);
    let pages = pages(&rendered.pdf);
    // The fixture does what it is for: a label that wraps, a cell with a line break (which
    // the importer makes a space, so no row keeps a break its height does not allow for),
    // and tables that break across pages.
    let all: Vec<&str> = pages.iter().flatten().map(|l| l.text.as_str()).collect();
    assert!(
        all.iter()
            .any(|t| t.starts_with("05 Helse og omsorg hjemmebaserte tjenester")),
        "the cell with a line break is not one line: {all:?}"
    );
    assert!(
        pages.len() > 8,
        "only {} pages: nothing breaks",
        pages.len()
    );
    // Tables of at most eight rows: 23 groups of 2, 3, 5 or 6 lines with their total, and the
    // overview of two years.
    assert_layout(&rendered, 24);
}

#[test]
fn the_colophon_lists_every_input_with_its_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let config = budget_fixture(dir.path());
    let rendered = render(&config);
    let text = common::pdf_text(&rendered.pdf);
    for file in ["report.toml", "profile.toml", "export.csv"] {
        let output = Command::new("sha256sum")
            .arg(dir.path().join(file))
            .output()
            .unwrap();
        let sum = String::from_utf8(output.stdout).unwrap()[..64].to_string();
        assert!(
            text.contains(&sum),
            "the colophon lacks {file}'s SHA-256 {sum}"
        );
    }
    // The digest over all three, as the colophon says it is computed.
    let output = Command::new("sh")
        .arg("-c")
        .arg("sha256sum report.toml profile.toml export.csv | cut -c1-64 | sha256sum")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let digest = String::from_utf8(output.stdout).unwrap()[..64].to_string();
    assert!(
        text.contains(&digest),
        "the colophon lacks the digest {digest}"
    );
    // The PDF's metadata carries the same digest, and `check` prints it.
    let info = Command::new("pdfinfo").arg(&rendered.pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains(&digest),
        "the PDF's keywords lack the digest:\n{info}"
    );
    let check = common::budsjett()
        .args(["check", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains(&format!("Fingerprint: {digest}")),
        "{stdout}"
    );
    // Rows read from the export: two cycles of 87 lines less the 2 of group 0 each, and 54
    // for groups 25–30 (see budget_fixture): 85 + 2 + 85 + 2 + 54.
    assert!(common::squeeze(&text).contains("export.csv"));
    assert!(
        common::squeeze(&text)
            .lines()
            .any(|l| l.contains("eksport") && l.ends_with(" 228")),
        "no row count 228 for the export:\n{text}"
    );
}

// Issue 24 (pages at scale): a deviation report of a budget with many groups.

/// A budget and its accounts in 136 groups of three details each (the scale of a large
/// municipality's services), amounts in kroner: the chart of deviations has more bars than a
/// page holds, and every group's table would repeat the same note.
fn deviation_fixture(dir: &Path) -> PathBuf {
    let mut csv = String::from("omr;omrtekst;tjeneste;tjenestetekst;versjon;aar;belop\n");
    for g in 1..=136i64 {
        for d in 1..=3i64 {
            let budget = 1_000_000 * (g % 17 + 1) + 37_000 * d;
            // Accounts over or under the budget by a few percent, varying with the group; and
            // one service whose accounts are 2 155 times its budget: the widest percentage.
            let accounts = budget + (g % 7 - 3) * 41_000 * d;
            let (budget, accounts) = if (g, d) == (1, 1) {
                (2_844, 6_129_896)
            } else {
                (budget, accounts)
            };
            for (version, amount) in [("budsjett", budget), ("regnskap", accounts)] {
                csv.push_str(&format!(
                    "{g};Område {g} med et langt navn;{g}{d:02};Tjeneste {g}.{d};{version};2024;{amount}\n"
                ));
            }
        }
    }
    std::fs::write(dir.join("export.csv"), csv).unwrap();
    std::fs::write(
        dir.join("profile.toml"),
        "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = \"aar\"\nversion_column = \"versjon\"\n[dimensions]\n\
         area = { label = \"Område\", code = \"omr\", text = \"omrtekst\" }\n\
         service = { label = \"Tjeneste\", code = \"tjeneste\", text = \"tjenestetekst\" }\n",
    )
    .unwrap();
    let config = dir.join("report.toml");
    std::fs::write(
        &config,
        "[report]\nname = \"avvik\"\nmunicipality = \"Prøve kommune\"\ndocument = \"Budsjett 2024\"\n\
         title = \"Avvik\"\ndate = 2024-01-01\ntemplate = \"budsjett.typ.j2\"\n\
         [period]\nplan = [2024, 2024]\n[budget]\nsources = [\"profile.toml\"]\n\
         version = \"budsjett\"\ngroup_by = \"area\"\ndetail_by = \"service\"\n\
         compare = [{ version = \"budsjett\", year = 2024, label = \"Budsjett 2024\" }, \
         { version = \"regnskap\", year = 2024, label = \"Regnskap 2024\" }]\n",
    )
    .unwrap();
    config
}

#[test]
fn a_deviation_report_of_136_groups_fits_its_chart_and_says_its_note_once() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = render(&deviation_fixture(dir.path()));
    let pages = pages(&rendered.pdf);
    let text = common::pdf_text(&rendered.pdf);
    // The chart draws the 24 largest deviations and sums the other 112 groups in one bar,
    // named. (The 39 groups whose number is 0 or 6 modulo 7 deviate most, by ±738 000 kr.)
    assert!(
        text.contains("Øvrige 112 samlet"),
        "no bar for the rest: {text}"
    );
    // The note on what a deviation is: once, under the table per group, not under each of
    // the 136 groups' tables.
    let note = "Avvik er budsjett minus regnskap";
    assert_eq!(text.matches(note).count(), 1, "{note:?}");
    // No page starts with a note cut off from its table.
    for (p, lines) in pages.iter().enumerate().skip(1) {
        if let Some(first) = body(lines).first() {
            assert!(
                !first.text.starts_with("Avvik er")
                    && !first.text.starts_with("Tallene")
                    && !first.text.starts_with("Summene"),
                "page {} starts with a note: {:?}",
                p + 1,
                first.text
            );
        }
    }
    // Short tables: each group's details twice (the deviation and the budget's details, three
    // rows and the sum each), the overview, and the two lists of the largest deviations
    // (positive and negative, five rows each).
    assert_layout(&rendered, 2 * 136 + 1 + 2);
    // The widest percentage stands clear of the deviation before it: its column is as wide
    // as "215 537,8 %" (2 844 kr budgeted, 6 129 896 kr spent; −6 127 052 kr), and columns are
    // 10pt apart.
    let words = words_of(&rendered.pdf);
    let at = words
        .windows(5)
        .position(|w| {
            let t: Vec<&str> = w.iter().map(|w| w.2.as_str()).collect();
            t == ["−6", "127", "052", "215", "537,8"]
        })
        .expect("the row of service 11 with −6 127 052 and 215 537,8 %");
    let gap = words[at + 3].0 - words[at + 2].1;
    assert!(
        gap >= 8.0,
        "only {gap:.1}pt between −6 127 052 and 215 537,8 %"
    );
}

/// Every word of a PDF with its left and right edge (points), in poppler's reading order.
fn words_of(pdf: &Path) -> Vec<(f64, f64, String)> {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let xml = String::from_utf8(output.stdout).unwrap();
    let edge = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..start + tag[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    xml.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = unescape(&rest[..rest.find("</word>").unwrap()]);
            (edge(tag, "xMin"), edge(tag, "xMax"), text)
        })
        .collect()
}

// Issue 24 (pages at scale): sector extracts are short documents.

#[test]
fn sector_extracts_have_no_contents_page_and_flow_onto_few_pages() {
    let dir = tempfile::tempdir().unwrap();
    let config = budget_fixture(dir.path());
    let output = dir.path().join("each");
    let result = common::budsjett()
        .args(["render", "--quiet", "--each", "area", "--config"])
        .arg(&config)
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"))
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", common::stderr(&result));
    // The PDFs (the set's list of its files, `.<name>.set`, stands beside them).
    let mut extracts: Vec<PathBuf> = std::fs::read_dir(&output)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    extracts.sort();
    assert_eq!(extracts.len(), 30, "one PDF per area");
    let mut problems = Vec::new();
    for pdf in &extracts {
        let pages = pages(pdf);
        let name = pdf.file_name().unwrap().to_string_lossy();
        let text = common::pdf_text(pdf);
        if text.contains("Innhold") {
            problems.push(format!("{name}: a contents page"));
        }
        // Area 2 of the fixture (two services, two years): the title page, the sector's
        // tables, the municipality's sums and the two years' tables on two pages, and the
        // colophon. Six pages before chapters flowed on.
        if name.ends_with("-02.pdf") && pages.len() > 4 {
            problems.push(format!("{name}: {} pages", pages.len()));
        }
        problems.extend(
            collisions(&pages)
                .into_iter()
                .map(|c| format!("{name}: {c}")),
        );
        problems.extend(
            pages_ending_in_a_heading_or_caption(&pages)
                .into_iter()
                .map(|c| format!("{name}: {c}")),
        );
        problems.extend(
            pages_starting_with_a_total(&pages)
                .into_iter()
                .map(|c| format!("{name}: {c}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// Issue 24 (pages at scale): the detail listing.

#[test]
fn a_listing_flows_group_after_group_with_each_groups_sum_per_year() {
    let dir = tempfile::tempdir().unwrap();
    let config = budget_fixture(dir.path());
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "template = \"budsjett.typ.j2\"",
        "template = \"linjer.typ.j2\"",
    ) + "listing = true\n";
    std::fs::write(&config, text).unwrap();
    let rendered = render(&config);
    let pages = pages(&rendered.pdf);
    let text = common::pdf_text(&rendered.pdf);
    // Area 01's two services: 11 007 + 12 014 = 23 021 kr in 2024, −10 011 − 11 022 =
    // −21 033 kr in 2025.
    let sums = common::table_rows(&text, "Sum Område 1");
    assert_eq!(
        sums,
        vec![
            vec!["2024".to_string(), "23 021".to_string()],
            vec!["2025".to_string(), "−21 033".to_string()],
        ],
        "{text}"
    );
    // The group's heading is its code and name: no heading number before the code, which
    // would read as one figure with it.
    let headings: Vec<&str> = pages
        .iter()
        .flatten()
        .filter(|l| l.y1 - l.y0 > 14.0)
        .map(|l| l.text.as_str())
        .collect();
    assert!(headings.contains(&"01 Område 1"), "{headings:?}");
    // 30 groups, 228 services in two years: they flow, not a page each.
    assert!(pages.len() < 25, "{} pages", pages.len());
    // The contents' room in the first layout (`contents` in style.typ) is as many lines as the
    // contents have entries (a line each, with its dot leaders), so that two layouts suffice.
    let reserved: usize = rendered
        .source
        .split("#contents(")
        .nth(1)
        .and_then(|call| call.split("entries: ").nth(1))
        .and_then(|rest| rest.split(')').next())
        .expect("the listing's source calls contents(.., entries: N)")
        .parse()
        .unwrap();
    let entries = pages
        .iter()
        .flatten()
        .filter(|l| l.text.contains(". . . . ."))
        .count();
    assert_eq!(reserved, entries, "{text}");
    assert_eq!(entries, 31, "30 groups and the colophon: {text}");
    assert_layout(&rendered, 0);
}

/// Issue 24: a listing over a four-year plan has four sum rows per group; they stay together
/// with two rows above them, so that no page begins with a group's sum (page-check.py found
/// seven such pages in a generated listing of 110 groups).
#[test]
fn a_listing_over_four_years_starts_no_page_with_a_sum() {
    let dir = tempfile::tempdir().unwrap();
    let config = budget_fixture(dir.path());
    // The fixture's two years, each copied into a later year: 2024–2027.
    let csv = std::fs::read_to_string(dir.path().join("export.csv")).unwrap();
    let four: String = csv
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(';').collect();
            if line.starts_with("omr;") {
                format!("{line};2026;2027\n")
            } else if cells.len() < 5 {
                // The first line of a name quoted over two lines: no year cells on it.
                format!("{line}\n")
            } else {
                format!("{line};{}\n", cells[cells.len() - 2..].join(";"))
            }
        })
        .collect();
    std::fs::write(dir.path().join("export.csv"), four).unwrap();
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace(
            "template = \"budsjett.typ.j2\"",
            "template = \"linjer.typ.j2\"",
        )
        .replace("plan = [2024, 2025]", "plan = [2024, 2027]")
        + "listing = true\n";
    std::fs::write(&config, text).unwrap();
    let rendered = render(&config);
    let pages = pages(&rendered.pdf);
    let text = common::pdf_text(&rendered.pdf);
    assert_eq!(common::table_rows(&text, "Sum Område 1").len(), 4, "{text}");
    assert_eq!(pages_starting_with_a_total(&pages), Vec::<String>::new());
}

#[test]
fn the_timeline_and_its_milestones_legend_share_a_page() {
    let rendered = render(&Path::new(common::REPO).join("data/report.toml"));
    let pages = pages(&rendered.pdf);
    let page_of = |start: &str| {
        pages
            .iter()
            .position(|lines| lines.iter().any(|l| l.text.starts_with(start)))
            .unwrap_or_else(|| panic!("no line starts with {start:?}"))
    };
    assert_eq!(
        page_of("Figur 1: Programmer og faser"),
        page_of("Milepæler")
    );
}
