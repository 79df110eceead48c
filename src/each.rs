//! One report per sector (`render --each <dimension>`): splits a budget by the values of one
//! dimension (e.g. `area`, the tjenesteområder), renders a PDF per value in parallel and says
//! which failed.
//!
//! The budget is read, checked and summed once. Each sector's report is then built from its
//! own lines only (summed exactly and rounded by the report's rules, like the whole report)
//! with the municipality's totals for context, rendered with the template `sektor.typ.j2`
//! (never with the whole budget's template, whose sentences hold only for the whole budget:
//! that it balances, the statutory overviews, the transfers) and written to
//! `<output>/<name>-<code>.pdf`. The sectors are handed out to `jobs` worker threads from one
//! queue, the sectors with the most lines first; a sector that fails (its template errors, its
//! PDF cannot be written) is reported with its name and does not stop the others. The PDFs
//! are one set ([`crate::output_set`]): rendered into a staging folder, flushed to disk by a
//! thread of their own while the workers go on, and swapped in whole only when every sector
//! succeeded, under the output folder's lock.
//!
//! The budget is read through the same pipeline as `check` and `render`
//! (`pipeline::read_budget`): a budget with problems renders no sector. Each sector is then
//! summed with [`crate::summed_budget::summarize`], and presented, typeset and written by the
//! pipeline's one back half (`pipeline::BudgetReport::render_sector`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::background::Background;
use crate::config::{BudgetSection, Config, GroupOrder};
use crate::error::DataErrors;
use crate::model::ledger::{Ledger, NONE};
use crate::model::{self, Role};
use crate::pipeline::{self, BudgetReport, Error};
use crate::present::{self, sector::ContextView, sector::SectorView};
use crate::progress::Progress;
use crate::summed_budget::SummedBudget;
use crate::typeset::PdfSettings;
use crate::words::Words;

/// The template a sector's report is rendered with.
pub(crate) const SECTOR_TEMPLATE: &str = "sektor.typ.j2";

/// What to render per sector and where.
#[derive(Debug, Clone)]
pub struct EachOptions {
    pub config: PathBuf,
    pub templates: PathBuf,
    pub output: PathBuf,
    pub pdf: PdfSettings,
    /// The role of the dimension whose values are the sectors, e.g. `area`.
    pub role: String,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// One sector: the dimension values (ids) that share its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sector {
    /// The code as the exports give it (the text where they give no code); empty for the
    /// lines without a value.
    pub code: String,
    pub name: String,
    /// The value ids of the dimension that belong to this sector ([`NONE`] for the lines
    /// without a value).
    pub(crate) ids: Vec<u32>,
}

impl Sector {
    /// `(ikke oppgitt)` and the like come from the view's own naming; here a name for
    /// messages.
    pub fn label(&self) -> String {
        if self.code.is_empty() || self.code == self.name {
            self.name.clone()
        } else {
            format!("{} {}", self.code, self.name)
        }
    }

    /// The output file's name: `<name>-<code>.pdf` with the code made safe for any file
    /// system.
    pub fn file_name(&self, report: &str) -> String {
        let code = if self.ids.contains(&NONE) {
            // `_` followed by something other than two hex digits: no code encodes to it.
            "_ikke-oppgitt".to_string()
        } else {
            short_code(&self.code)
        };
        format!("{report}-{code}.pdf")
    }
}

/// The most bytes of a code in a file name: with the report's name it stays well inside the
/// usual limits (255 bytes a name, 260 characters a path on Windows).
const MAX_CODE_BYTES: usize = 60;

/// [`safe_code`], shortened where it is longer than [`MAX_CODE_BYTES`]: its first part, `~`
/// and 8 hexadecimal digits of the code's SHA-256 (no code's safe form holds `~`, so a
/// shortened name never equals another code's).
pub(crate) fn short_code(code: &str) -> String {
    let safe = safe_code(code);
    if safe.len() <= MAX_CODE_BYTES {
        return safe;
    }
    let mut kept = String::new();
    for c in code.chars() {
        let next = safe_code(c.encode_utf8(&mut [0; 4]));
        if kept.len() + next.len() > MAX_CODE_BYTES - 9 {
            break;
        }
        kept.push_str(&next);
    }
    let digest = crate::fingerprint::digest_of(std::iter::once(code));
    format!("{kept}~{}", &digest[..8])
}

/// Why a set of sector file names cannot be written on every system, if it cannot: two
/// sectors whose names differ only in case (one file on Windows and macOS), or a name Windows
/// refuses (a character of `<>:"/\|?*` or a control character, from the report's name).
pub(crate) fn file_names_problem(sectors: &[Sector], report: &str) -> Option<String> {
    let mut seen: Vec<(String, &Sector)> = Vec::new();
    for sector in sectors {
        let name = sector.file_name(report);
        if let Some(bad) = name
            .chars()
            .find(|c| c.is_control() || "<>:\"/\\|?*".contains(*c))
        {
            let (name, bad) = (format!("{name:?}"), format!("{bad:?}"));
            return Some(crate::msg!("each.forbidden_character", name, bad));
        }
        let folded = name.to_lowercase();
        if let Some((_, other)) = seen.iter().find(|(n, _)| *n == folded) {
            let (first, second) = (
                format!("{:?}", other.label()),
                format!("{:?}", sector.label()),
            );
            let name = format!("{name:?}");
            return Some(crate::msg!("each.same_file_name", first, second, name));
        }
        seen.push((folded, sector));
    }
    None
}

/// A code as a file-name part: ASCII letters, digits, `-` and `.` are kept; every other byte
/// (of the UTF-8 text) is written `_XX` in hexadecimal, `_` itself included, so two codes never
/// share a file name and no code can name a folder (`a/b` → `a_2Fb`, `../x` → `.._2Fx`).
pub(crate) fn safe_code(code: &str) -> String {
    let mut safe = String::with_capacity(code.len());
    for byte in code.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.' {
            safe.push(char::from(byte));
        } else {
            safe.push_str(&format!("_{byte:02X}"));
        }
    }
    safe
}

/// The sectors of `role` in a ledger: every value that a line of the report's version has in
/// a plan year, values with the same code taken together, in the order people read codes;
/// lines without a value make a sector of their own, last, so that no line is left out of
/// the set of reports.
pub(crate) fn sectors(
    words: &Words,
    ledger: &Ledger,
    role: usize,
    section: &BudgetSection,
    years: &[i32],
) -> Vec<Sector> {
    let versions: Vec<u16> = [false, true]
        .iter()
        .filter_map(|&inv| {
            ledger
                .versions
                .iter()
                .position(|v| v == section.version_of(inv))
                .and_then(|v| u16::try_from(v).ok())
        })
        .collect();
    let mut used: Vec<u32> = ledger
        .lines
        .iter()
        .filter(|l| versions.contains(&l.version) && years.contains(&l.year))
        .map(|l| l.dims[role])
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut sectors: Vec<((bool, String), Sector)> = Vec::new();
    let mut unassigned = None;
    let mut ordered = used.clone();
    ordered.sort_by_cached_key(|&id| ledger.order_key(role, id, words));
    for id in ordered {
        if id == NONE {
            unassigned = Some(Sector {
                code: String::new(),
                name: ledger.name_of(role, id, words).1,
                ids: vec![NONE],
            });
            continue;
        }
        let (code, name) = ledger.name_of(role, id, words);
        // A value without a code is its own sector even where its text is another value's
        // code: the two are not one sector.
        let key = (
            code.is_empty(),
            if code.is_empty() { name.clone() } else { code },
        );
        match sectors.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sector)) => sector.ids.push(id),
            None => sectors.push((
                key.clone(),
                Sector {
                    code: key.1,
                    name,
                    ids: vec![id],
                },
            )),
        }
    }
    // A history side's lines may carry other ids for the same code (a KOSTRA file of the
    // accounts gives a funksjon by its code alone, `201`, where the export has `201
    // Barnehage`): they belong to the sector of that code, or the sector's history column
    // would print 0 where the whole report prints the figure.
    let history = history_sides(ledger, section);
    let mut history_ids: Vec<u32> = ledger
        .lines
        .iter()
        .filter(|l| history.contains(&(Some(usize::from(l.version)), Some(l.year))))
        .map(|l| l.dims[role])
        .filter(|id| *id != NONE && !used.contains(id))
        .collect();
    history_ids.sort_unstable();
    history_ids.dedup();
    for id in history_ids {
        let (code, _) = ledger.name_of(role, id, words);
        if code.is_empty() {
            continue;
        }
        if let Some((_, sector)) = sectors
            .iter_mut()
            .find(|(k, _)| *k == (false, code.clone()))
        {
            sector.ids.push(id);
        }
    }
    sectors
        .into_iter()
        .map(|(_, s)| s)
        .chain(unassigned)
        .collect()
}

/// Each history side of the report as the ledger's version index and the side's year: a line
/// of a side is one whose (version, year) is among these.
fn history_sides(ledger: &Ledger, section: &BudgetSection) -> Vec<(Option<usize>, Option<i32>)> {
    section
        .history
        .iter()
        .map(|side| {
            let version = ledger.versions.iter().position(|v| *v == side.version);
            (version, side.year)
        })
        .collect()
}

/// The lines of one sector, as a ledger of their own: the same dimensions and versions (so
/// every id keeps its meaning), only the sources that hold a line of the sector that the
/// report prints: of their part's version in a plan year, or of a history side in its year (a
/// KOSTRA file of the accounts holds only those). A sector of the investment budget alone (or
/// of the operating budget alone) is then a budget of that one part.
pub(crate) fn sector_ledger(
    ledger: &Ledger,
    role: usize,
    sector: &Sector,
    section: &BudgetSection,
    years: &[i32],
) -> Ledger {
    // Each source's own version (its part's), found once, not for every line.
    let own: Vec<Option<usize>> = ledger
        .sources
        .iter()
        .map(|source| {
            let name = section.version_of(source.part == model::Part::Investering);
            ledger.versions.iter().position(|v| v == name)
        })
        .collect();
    let history = history_sides(ledger, section);
    let printed = |line: &model::ledger::BudgetLine| {
        let line_version = Some(usize::from(line.version));
        (own[usize::from(line.source)] == line_version && years.contains(&line.year))
            || history.contains(&(line_version, Some(line.year)))
    };
    let mut keep: Vec<bool> = vec![false; ledger.sources.len()];
    let mut lines = Vec::new();
    for line in ledger
        .lines
        .iter()
        .filter(|l| sector.ids.contains(&l.dims[role]))
    {
        if printed(line) {
            keep[usize::from(line.source)] = true;
        }
        lines.push(line.clone());
    }
    // The other sources (a part the sector has no line of) are left out, with their lines,
    // and the others renumbered.
    lines.retain(|l| keep[usize::from(l.source)]);
    let mut new_index = vec![0u16; ledger.sources.len()];
    let mut sources = Vec::new();
    for (i, source) in ledger.sources.iter().enumerate() {
        if keep[i] {
            new_index[i] = u16::try_from(sources.len()).unwrap_or(u16::MAX);
            sources.push(source.clone());
        }
    }
    for line in &mut lines {
        line.source = new_index[usize::from(line.source)];
    }
    Ledger {
        dimensions: ledger.dimensions.clone(),
        versions: ledger.versions.clone(),
        lines,
        sources,
        balance_sheets: ledger.balance_sheets.clone(),
    }
}

/// The budget section a sector is summed by: the whole report's, less what holds only for the
/// whole budget (statutory overviews, § 5-7, the change bridge); when the sectors are the
/// groups of the tables, the sector's tables are grouped by the detail dimension instead (a
/// table of one group would say nothing).
pub(crate) fn sector_section(section: &BudgetSection, role: Role) -> BudgetSection {
    let mut s = section.clone();
    s.statutory = None;
    s.debt = None;
    s.bridge = None;
    s.tiltak = None;
    s.projects = None;
    s.accept_transfer_difference = true;
    s.sector_of_whole = true;
    if s.group_by == role
        && let Some(detail) = s.detail_by.take()
    {
        s.group_by = detail;
        if s.group_order != GroupOrder::Source {
            s.group_order = GroupOrder::Code;
        }
    }
    if s.investering_group_by == Some(role) {
        s.investering_group_by = s.investering_detail_by.take();
    }
    s
}

/// What became of one sector.
#[derive(Debug)]
pub struct Outcome {
    pub sector: Sector,
    pub file: PathBuf,
    /// The pages written, or why nothing was.
    pub result: Result<usize, String>,
    pub time: Duration,
    /// When its worker took it, from the start of the run (`--timings`).
    pub started: Duration,
    /// The worker that rendered it, from 1 (0: none did).
    pub worker: usize,
}

/// Everything `render --each` did.
#[derive(Debug)]
pub struct EachReport {
    pub outcomes: Vec<Outcome>,
    pub warnings: Vec<String>,
    pub workers: usize,
    /// How long the run read, summed and presented the whole budget before the workers began:
    /// its serial part (`--timings`).
    pub before_workers: Duration,
}

impl EachReport {
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
    }
}

/// Reads the budget once and renders every sector's report, on `jobs` threads. An error
/// here stops everything (the configuration, the data, the dimension); a sector's own error
/// is its [`Outcome`].
pub fn render_each(options: &EachOptions, progress: &Progress) -> Result<EachReport, Error> {
    let config_error = |config: &Config, message: String| Error::Config {
        path: config.path.clone(),
        message,
    };
    if let Some(message) = options.pdf.problem() {
        return Err(Error::Output {
            path: options.output.clone(),
            message,
        });
    }
    let clock = Instant::now();
    progress.stage(&|| crate::msg!("progress.reading_budget"));
    let imports = compile_sector_imports(&options.templates);
    let Whole { report, role } = read_whole(options)?;
    let (config, budget) = (&report.config, &report.budget);
    let Some(section) = config.budget.as_ref() else {
        return Err(config_error(config, crate::msg!("each.no_budget")));
    };
    let years: Vec<i32> = config.plan.years().collect();
    let words = &config.words;
    let Some(dimension) = budget.ledger.dimension_label(role.index(), words) else {
        let known: Vec<&str> = budget
            .ledger
            .dimensions
            .iter()
            .filter(|d| !d.label.is_empty())
            .map(|d| d.role.name())
            .collect();
        let (found, known) = (format!("{:?}", options.role), known.join(", "));
        return Err(config_error(
            config,
            crate::msg!("each.dimension_not_defined", found, known),
        ));
    };
    let sectors = sectors_to_write(options, config, &budget.ledger, role, &years)?;
    let context = context_of(&report.view);
    let figures = present::budget::whole_figures(budget, section, config);
    // The sector reports are one set: rendered into a staging folder, swapped in whole.
    let _lock = crate::write::FolderLock::acquire(&options.output)?;
    let staging = crate::output_set::Staging::begin(&options.output, &config.report.name)?;
    let staged = EachOptions {
        output: staging.dir().to_path_buf(),
        ..options.clone()
    };
    let shared = Shared {
        config,
        section: &sector_section(section, role),
        budget,
        role: role.index(),
        dimension: &dimension,
        context: &context,
        figures: &figures,
        whole: &report,
        years: &years,
        options: &staged,
        clock,
    };

    let outcomes = shared.run(&sectors, progress);
    // Long finished (it takes about 20 ms); what became of it is the sectors' to tell.
    let _ = imports.join();
    swap_in(
        outcomes,
        staging,
        &options.output,
        &sectors,
        &config.report.name,
    )
}

/// Compiles, on a thread of its own while the budget is read, summed and presented on this
/// one (about 20 ms in which the workers have nothing to do), a document of the sector
/// template's imports (the lines of `sektor.typ.j2` that begin with `#import`) and one line
/// of text: typst memoizes the imported modules for every compile after (comemo: the same
/// files give the same modules) and loads what it needs the first time it breaks a line, so
/// that both workers' first sectors do not wait for them. The fonts and typst's library are
/// [`crate::typeset::warm_up`]'s, begun when the command started. Nothing of it is kept but
/// typst's memo and one-time tables, the same whatever compiles first, so the PDFs are the
/// same bytes; a problem (a panic on its own thread too, untold: [`Background`]) is left for the sectors' own
/// compiles to report. Joined after the workers; an error before them does not wait for it.
fn compile_sector_imports(templates: &Path) -> Background<()> {
    let templates = templates.to_path_buf();
    Background::spawn(move || {
        let Ok(Some(found)) = crate::builtin::Overlay::templates(&templates).read(SECTOR_TEMPLATE)
        else {
            return;
        };
        let imports: String = String::from_utf8_lossy(&found.bytes)
            .lines()
            .filter(|line| line.starts_with("#import "))
            .map(|line| format!("{line}\n"))
            // Not a message: a line of text for typst to break, never printed.
            .chain(std::iter::once("Budsjett 2025–2028.\n".to_string()))
            .collect();
        let date = crate::config::Date {
            year: 2000,
            month: 1,
            day: 1,
        };
        let _ = crate::typeset::compile(imports, &templates, SECTOR_TEMPLATE, date);
    })
}

/// The whole budget's sums per part: every sector's context.
fn context_of(whole: &present::budget::BudgetView) -> Vec<ContextView> {
    whole
        .parts
        .iter()
        .map(|p| ContextView {
            part: p.part,
            table: p.overview.clone(),
        })
        .collect()
}

/// The sectors of `role`, refused when there are none or their file names cannot all be
/// written (see [`file_names_problem`]).
fn sectors_to_write(
    options: &EachOptions,
    config: &Config,
    ledger: &Ledger,
    role: Role,
    years: &[i32],
) -> Result<Vec<Sector>, Error> {
    let section = config.budget.as_ref().ok_or_else(|| Error::Config {
        path: config.path.clone(),
        message: crate::msg!("each.no_budget"),
    })?;
    let sectors = sectors(&config.words, ledger, role.index(), section, years);
    let problem = if sectors.is_empty() {
        let (role, version) = (&options.role, format!("{:?}", section.version));
        Some(crate::msg!("each.no_lines", role, version))
    } else {
        file_names_problem(&sectors, &config.report.name)
            .map(|message| crate::msg!("each.problem", role = options.role, message))
    };
    match problem {
        Some(message) => Err(Error::Config {
            path: config.path.clone(),
            message,
        }),
        None => Ok(sectors),
    }
}

/// Swaps the sector reports in as one set when every sector succeeded; otherwise leaves the
/// previous set as it was. Each outcome's file is then where it is (or would be) in `output`.
fn swap_in(
    mut report: EachReport,
    staging: crate::output_set::Staging,
    output: &Path,
    sectors: &[Sector],
    name: &str,
) -> Result<EachReport, Error> {
    for outcome in &mut report.outcomes {
        if let Some(file) = outcome.file.file_name() {
            outcome.file = output.join(file);
        }
    }
    if report.failed() == 0 {
        let names: Vec<String> = sectors.iter().map(|s| s.file_name(name)).collect();
        staging.commit(&names)?;
    } else {
        staging.abandon();
    }
    Ok(report)
}

/// The whole report read through the one pipeline, refused as `check` refuses it, with the
/// dimension `--each` names; the sector template must exist.
fn read_whole(options: &EachOptions) -> Result<Whole, Error> {
    let config_error = |config: &Config, message: String| Error::Config {
        path: config.path.clone(),
        message,
    };
    let config = Config::load(&options.config)?;
    if config.budget.is_none() {
        let role = &options.role;
        return Err(config_error(
            &config,
            crate::msg!("each.budget_expected", role),
        ));
    }
    let role: Role = options.role.parse().map_err(|_| {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        let (found, roles) = (format!("{:?}", options.role), roles.join(", "));
        config_error(&config, crate::msg!("each.not_a_dimension", found, roles))
    })?;
    // The whole report through the one pipeline: what `check` refuses, no sector prints.
    let path = config.path.clone();
    match pipeline::read_budget(config, &options.templates)? {
        Some(report) => Ok(Whole { report, role }),
        None => Err(Error::Config {
            path,
            message: crate::msg!("each.budget_unread"),
        }),
    }
}

/// The whole report as the pipeline made it (what every sector is cut from and printed
/// beside: the whole budget's view holds every sector's context), and the dimension whose
/// values are the sectors.
struct Whole {
    report: BudgetReport,
    role: Role,
}

/// The order the workers take the sectors in, given the dimension's value (id) of every line:
/// the most lines first (a sector's time grows with its lines), ties in the sectors' order, so
/// that the last ones taken are short and no worker is left alone with a long sector at the
/// end while the other has nothing to do. The reports are the same in any order.
fn largest_first(sectors: &[Sector], line_ids: impl Iterator<Item = u32>) -> Vec<usize> {
    let sector_of: rustc_hash::FxHashMap<u32, usize> = sectors
        .iter()
        .enumerate()
        .flat_map(|(index, sector)| sector.ids.iter().map(move |&id| (id, index)))
        .collect();
    let mut lines = vec![0usize; sectors.len()];
    for id in line_ids {
        if let Some(&index) = sector_of.get(&id) {
            lines[index] += 1;
        }
    }
    let mut order: Vec<usize> = (0..sectors.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lines[i]));
    order
}

/// The sectors the workers take in turn, and what they found.
struct Queue<'a> {
    sectors: &'a [Sector],
    /// The order the sectors are taken in (indexes into `sectors`).
    order: Vec<usize>,
    /// How many sectors have been taken.
    next: AtomicUsize,
    /// Each sector's outcome, in the sectors' order.
    results: Mutex<Vec<Option<Outcome>>>,
    warnings: Mutex<Vec<String>>,
}

/// How the threads of a run ended, besides each sector's outcome. Either kind of stop fails
/// the whole set: a failed set is never swapped in, so a stopped thread cannot make a set
/// with a missing or unflushed file look done.
struct Ending {
    /// The files the flush thread could not flush, or `None` when it stopped (a panic) and
    /// which files reached the disk is not known.
    not_flushed: Option<Vec<crate::error::OutputError>>,
    /// A worker stopped outside a sector's own guard (a panic the sector did not catch), or
    /// left the outcomes' lock poisoned.
    worker_stopped: bool,
}

impl Ending {
    /// Every sector's outcome, in the sectors' order: as its worker recorded it, failed where
    /// its file could not be flushed or the flush thread stopped, and failed where no outcome
    /// was recorded or a worker stopped.
    fn settle(
        self,
        sectors: &[Sector],
        results: Vec<Option<Outcome>>,
        output: &Path,
        report: &str,
    ) -> Vec<Outcome> {
        let mut outcomes: Vec<Outcome> = sectors
            .iter()
            .zip(results.into_iter().chain(std::iter::repeat_with(|| None)))
            .map(|(sector, outcome)| {
                outcome.unwrap_or_else(|| Outcome {
                    sector: sector.clone(),
                    file: output.join(sector.file_name(report)),
                    result: Err(crate::msg!("each.worker_stopped")),
                    time: Duration::ZERO,
                    started: Duration::ZERO,
                    worker: 0,
                })
            })
            .collect();
        for outcome in outcomes.iter_mut().filter(|o| o.result.is_ok()) {
            let flushed = match &self.not_flushed {
                None => Err(crate::msg!("each.flush_stopped")),
                Some(errors) => match errors.iter().find(|e| e.path == outcome.file) {
                    Some(error) => Err(error.message.clone()),
                    None => Ok(()),
                },
            };
            if let Err(message) = flushed {
                outcome.result = Err(message);
            } else if self.worker_stopped {
                outcome.result = Err(crate::msg!("each.worker_stopped"));
            }
        }
        outcomes
    }
}

/// What every worker reads.
struct Shared<'a> {
    config: &'a Config,
    section: &'a BudgetSection,
    budget: &'a SummedBudget,
    role: usize,
    dimension: &'a str,
    context: &'a [ContextView],
    /// The whole report's printed group figures: a sector of the groups foots to its own.
    figures: &'a present::budget::WholeFigures,
    /// The whole report: it presents, typesets and writes each sector's.
    whole: &'a BudgetReport,
    years: &'a [i32],
    options: &'a EachOptions,
    /// The run's start, which each sector's start is told from.
    clock: Instant,
}

impl Shared<'_> {
    /// Renders every sector on `jobs` worker threads taking sectors from one queue; a sector
    /// that fails (or panics) is its own [`Outcome`] and stops nothing else. The workers do
    /// not wait for the disk: each written file is flushed by a thread of its own while they
    /// go on, and a file that cannot be flushed is its sector's failure.
    fn run(&self, sectors: &[Sector], progress: &Progress) -> EachReport {
        let workers = match self.options.jobs {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
        .min(sectors.len())
        .max(1);
        progress.start_each(sectors.len());
        let before_workers = self.clock.elapsed();
        let queue = Queue {
            sectors,
            order: largest_first(
                sectors,
                self.budget.ledger.lines.iter().map(|l| l.dims[self.role]),
            ),
            next: AtomicUsize::new(0),
            results: Mutex::new((0..sectors.len()).map(|_| None).collect()),
            warnings: Mutex::new(Vec::new()),
        };
        let (written, to_flush) = std::sync::mpsc::channel::<PathBuf>();
        let (not_flushed, worker_stopped) = std::thread::scope(|scope| {
            let flusher = scope.spawn(move || {
                to_flush
                    .into_iter()
                    .filter_map(|file| crate::write::flush(&file).err())
                    .collect::<Vec<_>>()
            });
            let handles: Vec<_> = (1..=workers)
                .map(|worker| {
                    let (queue, written) = (&queue, written.clone());
                    let me = (worker, workers);
                    scope.spawn(move || self.work(queue, me, progress, &written))
                })
                .collect();
            drop(written);
            // Each joined here (every one: not `any`, which would stop at the first), a
            // thread that panicked is told apart instead of re-raised by the scope as a panic
            // of the whole command (a panic inside a sector is that sector's failure already).
            let stopped = handles.into_iter().map(|h| h.join()).filter(Result::is_err);
            let stopped = stopped.count() > 0;
            (flusher.join().ok(), stopped)
        });
        progress.finish();
        let results = queue.results.into_inner();
        let ending = Ending {
            not_flushed,
            worker_stopped: worker_stopped || results.is_err(),
        };
        let results = results.unwrap_or_else(std::sync::PoisonError::into_inner);
        let warnings = queue.warnings.into_inner();
        EachReport {
            outcomes: ending.settle(
                sectors,
                results,
                &self.options.output,
                &self.config.report.name,
            ),
            warnings: warnings.unwrap_or_else(std::sync::PoisonError::into_inner),
            workers,
            before_workers,
        }
    }

    /// One worker (`(worker, workers)`: which, from 1, of how many): takes sectors from the
    /// queue until it is empty, and sends each file it wrote to be flushed.
    fn work(
        &self,
        queue: &Queue<'_>,
        (worker, workers): (usize, usize),
        progress: &Progress,
        written: &std::sync::mpsc::Sender<PathBuf>,
    ) {
        // With several workers, each lays out and exports on its own thread: typst would
        // otherwise spread every sector over rayon's threads too, and the workers' and
        // rayon's threads would crowd the same cores. One worker keeps typst's own
        // parallelism.
        let pool = (workers > 1)
            .then(|| rayon::ThreadPoolBuilder::new().num_threads(1).build().ok())
            .flatten();
        let work = || loop {
            let taken = queue.next.fetch_add(1, Ordering::Relaxed);
            let Some(&index) = queue.order.get(taken) else {
                break;
            };
            let sector = &queue.sectors[index];
            let mut outcome = self.outcome(sector, progress, &queue.warnings);
            outcome.worker = worker;
            if outcome.result.is_ok() {
                // The flusher lives until every worker has finished: the send cannot fail.
                let _ = written.send(outcome.file.clone());
            }
            // A lock poisoned by another worker's panic leaves this outcome out: the sector
            // is then failed with the set (see [`Ending::settle`]).
            if let Ok(mut all) = queue.results.lock() {
                all[index] = Some(outcome);
            }
        };
        match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    /// Renders one sector and says what became of it; its warnings join `warnings`.
    fn outcome(
        &self,
        sector: &Sector,
        progress: &Progress,
        warnings: &Mutex<Vec<String>>,
    ) -> Outcome {
        let bar = progress.sector(&sector.label());
        let (clock, started) = (Instant::now(), self.clock.elapsed());
        let file = self
            .options
            .output
            .join(sector.file_name(&self.config.report.name));
        // A panic in one sector (a bug, never user input) is that sector's failure.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.render_one(sector, &file, &bar)
        }))
        .unwrap_or_else(|_| Err(crate::msg!("each.panic")));
        let result = result.map(|(pages, mut notes)| {
            let mut all = warnings
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            all.extend(notes.drain(..).map(|n| format!("{}: {n}", sector.label())));
            pages
        });
        bar.finish();
        Outcome {
            sector: sector.clone(),
            file,
            result,
            time: clock.elapsed(),
            started,
            worker: 0,
        }
    }

    /// A sector's lines summed as a budget of their own, and the section they were summed by:
    /// an investment-only sector in the investment version, a comparison only when the sector
    /// has lines of both sides.
    fn sum_sector(&self, sector: &Sector) -> Result<(BudgetSection, SummedBudget), String> {
        let ledger = sector_ledger(
            &self.budget.ledger,
            self.role,
            sector,
            self.section,
            self.years,
        );
        let mut section = self.section.clone();
        // A sector of the investment budget alone: its version is the investment version.
        if ledger
            .sources
            .iter()
            .all(|s| s.part == model::Part::Investering)
        {
            section.version = section.version_of(true).to_string();
            section.investering_version = None;
        }
        // A compared version the sector has no line of would print as 0 kr: the sector's
        // report then compares nothing.
        let has = |side: &crate::config::CompareSide| {
            let year = side.year.or(self.years.first().copied());
            ledger.lines.iter().any(|l| {
                Some(l.year) == year && ledger.versions[usize::from(l.version)] == side.version
            })
        };
        if !section.compare.iter().all(has) {
            section.compare.clear();
        }
        let budget = crate::summed_budget::summarize(
            &section,
            self.budget.profiles.clone(),
            ledger,
            self.years,
        )
        .map_err(|unsummed| DataErrors(unsummed.problems).to_string())?;
        Ok((section, budget))
    }

    /// Sums one sector and has the pipeline present, typeset and write it; the pages written
    /// and the warnings.
    fn render_one(
        &self,
        sector: &Sector,
        file: &Path,
        bar: &crate::progress::SectorBar,
    ) -> Result<(usize, Vec<String>), String> {
        bar.stage(&|| crate::msg!("progress.summing"));
        let (section, budget) = self.sum_sector(sector)?;
        let view = SectorView {
            role: self.options.role.clone(),
            dimension: self.dimension.to_string(),
            code: sector.code.clone(),
            name: sector.name.clone(),
            unassigned: sector.ids.contains(&NONE),
            context: self.context.to_vec(),
        };
        let sector = pipeline::Sector {
            section: &section,
            budget: &budget,
            totals: self.figures.sector(self.role, &sector.ids),
            view,
            template: SECTOR_TEMPLATE,
        };
        let rendered = self
            .whole
            .render_sector(sector, file, &self.options.pdf, &|step| bar.stage(step))
            .map_err(|e| e.to_string())?;
        Ok((rendered.pages, rendered.warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_safe_distinct_file_names() {
        assert_eq!(safe_code("01A"), "01A");
        assert_eq!(safe_code("1.2"), "1.2");
        assert_eq!(safe_code("a/b"), "a_2Fb");
        assert_eq!(safe_code("../x"), ".._2Fx");
        assert_eq!(safe_code("a_b"), "a_5Fb");
        assert_eq!(safe_code("Helse og omsorg"), "Helse_20og_20omsorg");
        assert_eq!(safe_code("Ø"), "_C3_98");
        assert_eq!(safe_code("a\\b"), "a_5Cb");
        // `a/b` and `a_2Fb` are different codes and stay different names.
        assert_ne!(safe_code("a/b"), safe_code("a_2Fb"));
        let none = Sector {
            code: String::new(),
            name: "(ikke oppgitt)".into(),
            ids: vec![NONE],
        };
        assert_eq!(none.file_name("r"), "r-_ikke-oppgitt.pdf");
        let sector = Sector {
            code: "../../etc".into(),
            name: "x".into(),
            ids: vec![0],
        };
        assert!(!sector.file_name("r").contains('/'));
    }

    #[test]
    fn the_sectors_with_the_most_lines_are_taken_first() {
        let sector = |code: &str, ids: Vec<u32>| Sector {
            code: code.into(),
            name: code.into(),
            ids,
        };
        // Sector "b" has two ids (one code); NONE is the lines without a value.
        let sectors = [
            sector("a", vec![0]),
            sector("b", vec![1, 2]),
            sector("c", vec![3]),
            sector("", vec![NONE]),
        ];
        let ids = [0, 1, 2, 2, 3, 3, 3, NONE, NONE, NONE, 9];
        // b 3 lines, c 3, none 3, a 1: ties keep the sectors' order; id 9 is no sector's.
        assert_eq!(largest_first(&sectors, ids.into_iter()), [1, 2, 3, 0]);
        assert_eq!(largest_first(&sectors, std::iter::empty()), [0, 1, 2, 3]);
    }

    /// Three sectors `a`, `b`, `c` written to `out/r-<code>.pdf`, and an outcome for each
    /// that succeeded, except `c`'s when `c_done` is false (its worker stopped first).
    fn three_done(c_done: bool) -> (Vec<Sector>, Vec<Option<Outcome>>) {
        let sectors: Vec<Sector> = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, code)| Sector {
                code: code.to_string(),
                name: code.to_string(),
                ids: vec![u32::try_from(i).unwrap()],
            })
            .collect();
        let results = sectors
            .iter()
            .map(|sector| {
                let done = Outcome {
                    sector: sector.clone(),
                    file: Path::new("out").join(sector.file_name("r")),
                    result: Ok(2),
                    time: Duration::ZERO,
                    started: Duration::ZERO,
                    worker: 1,
                };
                (c_done || sector.code != "c").then_some(done)
            })
            .collect();
        (sectors, results)
    }

    /// The sectors that failed: their codes and why.
    fn failures(outcomes: &[Outcome]) -> Vec<(String, String)> {
        outcomes
            .iter()
            .filter_map(|o| Some((o.sector.code.clone(), o.result.clone().err()?)))
            .collect()
    }

    #[test]
    fn a_stopped_flush_thread_or_worker_fails_the_set() {
        let out = Path::new("out");
        // Every thread ended well: nothing failed.
        let (sectors, results) = three_done(true);
        assert!(failures(&fine_ending().settle(&sectors, results, out, "r")).is_empty());
        // One file could not be flushed: that sector alone failed, with the reason.
        let (sectors, results) = three_done(true);
        let one = Ending {
            not_flushed: Some(vec![crate::error::OutputError {
                path: out.join("r-b.pdf"),
                message: "disk full".into(),
            }]),
            worker_stopped: false,
        };
        let failed = failures(&one.settle(&sectors, results, out, "r"));
        assert_eq!(failed, [("b".to_string(), "disk full".to_string())]);
        // The flush thread stopped: no file is known to be on disk, every sector failed.
        let (sectors, results) = three_done(true);
        let flusher = Ending {
            not_flushed: None,
            worker_stopped: false,
        };
        let outcomes = flusher.settle(&sectors, results, out, "r");
        let flush_stopped = crate::msg!("each.flush_stopped");
        assert!(flush_stopped.contains("stopped"), "{flush_stopped}");
        let expected: Vec<(String, String)> = ["a", "b", "c"]
            .into_iter()
            .map(|c| (c.to_string(), flush_stopped.clone()))
            .collect();
        assert_eq!(failures(&outcomes), expected);
        // A worker stopped before `c` had an outcome (or poisoned the outcomes' lock): `c` is
        // still in the report, and every sector failed, so the set is not swapped in.
        let (sectors, results) = three_done(false);
        let worker = Ending {
            not_flushed: Some(Vec::new()),
            worker_stopped: true,
        };
        let outcomes = worker.settle(&sectors, results, out, "r");
        assert_eq!(outcomes.len(), 3);
        assert_eq!(outcomes[2].file, out.join("r-c.pdf"));
        let stopped = crate::msg!("each.worker_stopped");
        assert!(stopped.contains("stopped"), "{stopped}");
        assert_eq!(failures(&outcomes).len(), 3);
        assert!(failures(&outcomes).iter().all(|(_, m)| *m == stopped));
        // An outcome missing without a stop seen (it cannot be, but if) fails too.
        let (sectors, results) = three_done(false);
        let missing = failures(&fine_ending().settle(&sectors, results, out, "r"));
        assert_eq!(missing, [("c".to_string(), stopped)]);
    }

    fn fine_ending() -> Ending {
        Ending {
            not_flushed: Some(Vec::new()),
            worker_stopped: false,
        }
    }

    #[test]
    fn a_long_code_is_cut_to_a_name_windows_takes_and_stays_distinct() {
        let long = "K".repeat(300);
        let other = format!("{}L", "K".repeat(299));
        let (a, b) = (short_code(&long), short_code(&other));
        assert_eq!(a.len(), 51 + 9);
        assert!(a.starts_with(&"K".repeat(51)) && a.as_bytes()[51] == b'~');
        assert_ne!(a, b);
        // An escape is never cut in half.
        let ae = short_code(&"æ".repeat(40));
        assert!(ae.split('~').next().unwrap().ends_with("_A6"), "{ae}");
        let sectors = [
            Sector {
                code: "a1".into(),
                name: "x".into(),
                ids: vec![0],
            },
            Sector {
                code: "A1".into(),
                name: "y".into(),
                ids: vec![1],
            },
        ];
        let problem = file_names_problem(&sectors, "r").unwrap();
        assert!(
            problem.contains("would both be written to \"r-A1.pdf\""),
            "{problem}"
        );
        assert!(file_names_problem(&sectors[..1], "r").is_none());
        let colon = file_names_problem(&sectors[..1], "r:1").unwrap();
        assert!(colon.contains("':'"), "{colon}");
    }
}
