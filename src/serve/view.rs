//! What the page shows, gathered from the report folder through the pipeline's own readers —
//! the profile's form, the totals per year and version, `check`'s problems with the cells
//! they point at, the PDF — and rendered through `templates/web/` with HTML auto-escaping:
//! every text from an export reaches the page as text, never as markup.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::columns::{self, Sheet};
use super::{CONFIG, OUTPUT, TEMPLATES};
use super::{Folder, previews, settings};
use crate::error::DataError;
use crate::format::plain;

/// The most problems the page lists (all are counted).
const MAX_PROBLEMS: usize = 200;

/// A line at the top of the page: what was refused, or what was done.
pub(super) enum Notice {
    Refused(String),
    Done(String),
    /// A refused column form: its message goes by the fields it is about.
    ColumnsRefused(columns::Refusal),
}

/// Everything the page template shows.
#[derive(serde::Serialize)]
pub(super) struct Page {
    folder: String,
    refused: Option<String>,
    done: Option<String>,
    has_report: bool,
    /// The form of each profile the report reads.
    sheets: Vec<Sheet>,
    /// A refused column form's message and the fields it is about.
    columns_refused: Option<columns::Refusal>,
    /// Why the profile cannot be shown as a form.
    sheet_error: Option<String>,
    /// The report settings form: the file's, or a refused one as it was sent.
    settings: Option<settings::Form>,
    totals: Vec<Total>,
    problems: Vec<Problem>,
    problem_count: usize,
    pdf: Option<Pdf>,
    previews: Option<previews::Shown>,
    max_upload_mb: u64,
}

/// One year and version of the exports: its expenses, income and balance.
#[derive(serde::Serialize)]
struct Total {
    /// `drift` or `investering` when the exports hold both (no sum adds across them), else
    /// empty.
    part: &'static str,
    year: i32,
    version: String,
    expenses: String,
    income: String,
    balance: String,
    balanced: bool,
}

/// One of `check`'s problems, with the cell it points at where it points at one.
#[derive(serde::Serialize)]
struct Problem {
    file: String,
    line: Option<u64>,
    column: Option<usize>,
    column_name: String,
    message: String,
    cell: Option<String>,
}

/// The rendered PDF in `output/`.
#[derive(serde::Serialize)]
struct Pdf {
    name: String,
    pages: Option<usize>,
    kilobytes: u64,
    /// A change was accepted after the PDF was made.
    behind: bool,
}

impl Page {
    /// Reads the report folder (the current folder) as the page shows it.
    pub(super) fn gather(
        notice: Option<Notice>,
        settings: Option<settings::Form>,
        folder: &Folder,
        max_upload: u64,
    ) -> Page {
        let config = Path::new(CONFIG);
        let (mut refused, mut done, mut columns_refused) = (None, None, None);
        match notice {
            Some(Notice::Refused(text)) => refused = Some(text),
            Some(Notice::Done(text)) => done = Some(text),
            Some(Notice::ColumnsRefused(refusal)) => columns_refused = Some(refusal),
            None => {}
        }
        let mut page = Page {
            folder: std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            refused,
            done,
            has_report: config.exists(),
            sheets: Vec::new(),
            columns_refused,
            sheet_error: None,
            settings: None,
            totals: Vec::new(),
            problems: Vec::new(),
            problem_count: 0,
            pdf: None,
            previews: None,
            max_upload_mb: max_upload / (1024 * 1024),
        };
        if !page.has_report {
            return page;
        }
        page.settings = settings.or_else(|| settings::Form::read(config).ok());
        page.totals = totals(&columns::profiles(config));
        let (sheets, error) = columns::read_all(config);
        page.sheets = match &page.columns_refused {
            Some(refusal) => sheets.into_iter().map(|s| refusal.as_sent(s)).collect(),
            None => sheets,
        };
        page.sheet_error = error;
        let problems = match crate::check::check_report(config, Path::new(TEMPLATES)) {
            Ok(outcome) => outcome.problems,
            Err(e) => vec![DataError::new(config, e.to_string())],
        };
        page.problem_count = problems.len();
        page.problems = described(&problems[..problems.len().min(MAX_PROBLEMS)]);
        page.pdf = report_name(config).and_then(|name| {
            let bytes = std::fs::metadata(Path::new(OUTPUT).join(format!("{name}.pdf"))).ok()?;
            Some(Pdf {
                name,
                pages: folder.pages,
                kilobytes: bytes.len().div_ceil(1024),
                behind: folder.pdf_behind,
            })
        });
        page.previews = Some(folder.previews.shown());
        page
    }

    pub(super) fn render(&self) -> Result<String, minijinja::Error> {
        render("web/page.html.j2", minijinja::Value::from_serialize(self))
    }
}

/// The exports' sums per year and version through their profiles, as `check` prints them:
/// all files together, each budget (drift, investering) on its own.
fn totals(profiles: &[PathBuf]) -> Vec<Total> {
    use crate::model::Part;
    if profiles.is_empty() {
        return Vec::new();
    }
    let (read, ledger, _) = crate::summed_budget::read_sources(profiles, &[]);
    let parts: std::collections::BTreeSet<Part> = read.iter().map(|p| p.part).collect();
    let mut rows = Vec::new();
    for part in &parts {
        let sources: Vec<u16> = (0..ledger.sources.len())
            .filter(|&i| ledger.sources[i].part == *part)
            .filter_map(|i| u16::try_from(i).ok())
            .collect();
        let summed =
            crate::aggregate::ledger::aggregate_sources(&ledger, None, None, None, Some(&sources));
        let Ok(totals) = summed else {
            continue;
        };
        let name = match (parts.len(), part) {
            (1, _) => "",
            (_, Part::Drift) => "drift",
            (_, Part::Investering) => "investering",
        };
        rows.extend(
            totals
                .by_year_version
                .iter()
                .map(|((year, version), flow)| Total {
                    part: name,
                    year: *year,
                    version: ledger.versions[usize::from(*version)].clone(),
                    expenses: plain(flow.expense),
                    income: plain(flow.income),
                    balance: plain(flow.net),
                    balanced: flow.net.is_zero(),
                }),
        );
    }
    rows
}

/// Problems as the page lists them, each with the cell it names read from its file.
fn described(problems: &[DataError]) -> Vec<Problem> {
    let mut files: HashMap<PathBuf, Option<Rows>> = HashMap::new();
    problems
        .iter()
        .map(|p| {
            let cell = match (p.line, &p.column) {
                (Some(line), Some((column, name))) if !name.is_empty() => files
                    .entry(p.file.clone())
                    .or_insert_with(|| Rows::read(&p.file))
                    .as_ref()
                    .and_then(|rows| rows.cell(line, *column)),
                _ => None,
            };
            Problem {
                file: p.file.display().to_string(),
                line: p.line,
                column: p.column.as_ref().map(|(c, _)| *c),
                column_name: p
                    .column
                    .as_ref()
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                message: p.message.clone(),
                cell,
            }
        })
        .collect()
}

/// An export's records by the line each starts on.
struct Rows(HashMap<u64, Vec<String>>);

impl Rows {
    /// A CSV file's records (read as the importer reads it) or a workbook sheet's rows.
    fn read(path: &Path) -> Option<Rows> {
        let lower = path.to_string_lossy().to_lowercase();
        if [".xlsx", ".xlsm", ".xls", ".ods"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            let table = crate::guess::read_table(path, None).ok()?;
            let rows = (2..).zip(table.rows).collect();
            return Some(Rows(rows));
        }
        if !lower.ends_with(".csv") && !lower.ends_with(".txt") {
            return None;
        }
        let bytes = crate::input::read(path).ok()?;
        let decoded = crate::load::dialect::decode(&bytes, None).ok()?;
        let delimiter = crate::load::dialect::detect_delimiter(&decoded.text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(decoded.text.as_bytes());
        let mut rows = HashMap::new();
        // A record the reader cannot read has no cells to show; the others still do.
        for record in reader.records().flatten() {
            let line = record.position().map_or(0, |p| p.line());
            rows.insert(line, record.iter().map(str::to_string).collect());
        }
        Some(Rows(rows))
    }

    /// The cell at a 1-based line and column.
    fn cell(&self, line: u64, column: usize) -> Option<String> {
        self.0.get(&line)?.get(column.checked_sub(1)?).cloned()
    }
}

/// The report's `name`, which names its PDF, when it is a plain file name.
pub(super) fn report_name(config: &Path) -> Option<String> {
    let text = crate::input::read_to_string(config).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let name = table.get("report")?.get("name")?.as_str()?;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then(|| name.to_string())
}

/// The page after the stop button.
pub(super) fn stopped_page() -> String {
    render("web/stopped.html.j2", minijinja::Value::UNDEFINED).unwrap_or_else(|e| plain_error(&e))
}

/// A page that could not be made, as plain escaped text.
pub(super) fn plain_error(error: &minijinja::Error) -> String {
    let text = crate::msg!("serve.page_failed", e = error);
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    // not a message: the markup around a message
    format!("<!doctype html><meta charset=\"utf-8\"><pre>{escaped}</pre>")
}

/// Renders a page template of the built-in set, HTML auto-escaped and strict about undefined
/// names, with the page's words (`serve.page.*` of the messages' language) as `w`.
fn render(name: &str, page: minijinja::Value) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_loader(|name| {
        Ok(crate::builtin::TEMPLATES
            .get(name)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned()))
    });
    let words: std::collections::BTreeMap<&str, &str> =
        crate::messages::catalogue(crate::messages::language())
            .iter()
            .filter_map(|(key, text)| Some((key.strip_prefix("serve.page.")?, text.as_str())))
            .collect();
    env.get_template(name)?.render(minijinja::context! {
        page => page,
        w => words,
        lang => crate::messages::language().code(),
    })
}
