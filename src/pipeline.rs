//! The one pipeline every command runs, and the only module that calls the presenter and the
//! typesetter. Its front half (`read`) loads, validates, aggregates, presents and renders the
//! template, collecting every problem of every stage: `check` describes what it found,
//! `explain` traces a figure through the view it made (`read_budget`). Its back half, one
//! function (`print`), typesets and writes a report: `render` and `watch` reach it through
//! [`Renderer`], each sector of `render --each` through `BudgetReport::render_sector`. What
//! `check` passes, `render` prints, by construction.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::config::{BudgetSection, Config, DataFiles, Date};
use crate::error::{ConfigError, OutputError};
use crate::error::{DataError, DataErrors};
use crate::progress::StageText;
use crate::typeset::PdfSettings;
use crate::{aggregate, fingerprint, load, model, present, summed_budget, words};
use crate::{template, typeset, validate, write};

mod inputs;

/// Anything that can stop a render: the errors of every stage, wrapped at the top so that no
/// stage imports another's errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error("{0}")]
    Data(#[from] DataErrors),

    #[error("{0}")]
    Aggregate(#[from] aggregate::AggregateError),

    #[error("{0}")]
    Typeset(#[from] typeset::TypesetError),

    #[error("{}: {message}", path.display())]
    Output { path: PathBuf, message: String },
}

impl From<DataError> for Error {
    fn from(error: DataError) -> Self {
        Self::Data(error.into())
    }
}

impl From<ConfigError> for Error {
    fn from(ConfigError { path, message }: ConfigError) -> Self {
        Self::Config { path, message }
    }
}

impl From<OutputError> for Error {
    fn from(OutputError { path, message }: OutputError) -> Self {
        Self::Output { path, message }
    }
}
/// What to render and where.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The report configuration, e.g. `data/report.toml`.
    pub config: PathBuf,
    /// The templates folder (also the only folder Typst may read).
    pub templates: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    pub format: OutputFormat,
    pub pdf: PdfSettings,
    /// Also write the generated Typst source next to the output, for inspection.
    pub keep_source: bool,
}

/// The kind of file a render writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFormat {
    Pdf,
    /// One PNG per page, `<name>-<page>.png`, at this many pixels per inch; `pages` limits
    /// which (1-based, inclusive ranges).
    Png {
        ppi: u32,
        pages: Vec<(usize, usize)>,
    },
}

/// What a successful render produced.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub files: Vec<PathBuf>,
    pub pages: usize,
    pub warnings: Vec<String>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The strategy chapter, read and validated; summed unless a sum overflowed (a problem).
pub struct Chapter {
    pub data: model::Dataset,
    pub totals: Option<aggregate::Totals>,
}

/// What every stage made of one report, with every problem any stage found. The view model
/// and the Typst source exist only when no stage found a problem.
pub(crate) struct Stages {
    pub config: Config,
    /// The strategy chapter, when the report has one and its files could be read.
    pub(crate) chapter: Option<Chapter>,
    /// The budget, when the report has one.
    pub budget: Option<ReadBudget>,
    /// The input files' fingerprint, carried by the colophon and the PDF's metadata.
    pub(crate) fingerprint: Option<fingerprint::Fingerprint>,
    report: Option<present::Report>,
    source: Option<String>,
    /// What the source had to shorten before typesetting (alt texts over the limit).
    pub notes: Vec<String>,
    /// Every problem, in stage order: the chapter's files, the budget's, then what presenting
    /// and the template found.
    pub problems: Vec<DataError>,
    timings: Vec<(&'static str, Duration)>,
    /// The templates folder the source was made from.
    templates: PathBuf,
}

/// A budget as far as the stages took it.
pub(crate) enum ReadBudget {
    /// Read, checked and summed.
    Summed(Box<summed_budget::SummedBudget>),
    /// Read with problems (they are in [`Stages::problems`]), so not summed: the lines that
    /// could be read, which `check` still describes.
    Lines(model::ledger::Ledger),
}

/// The stages up to the generated Typst source, for a report without problems; useful on its
/// own for tests and benchmarks.
pub struct Prepared {
    pub config: Config,
    pub report: present::Report,
    pub source: String,
    /// What the source had to shorten before typesetting, told as warnings by a render.
    pub(crate) notes: Vec<String>,
    pub(crate) timings: Vec<(&'static str, Duration)>,
}

impl Stages {
    /// The report ready to typeset, or every problem found.
    fn ready(self) -> Result<Prepared, Error> {
        match (self.report, self.source) {
            (Some(report), Some(source)) if self.problems.is_empty() => Ok(Prepared {
                config: self.config,
                report,
                source,
                notes: self.notes,
                timings: self.timings,
            }),
            _ => Err(DataErrors(self.problems).into()),
        }
    }
}

/// Loads and validates the strategy chapter's files. A file with problems does not hide the
/// problems of the others: what could be read is still validated, leaving out only problems
/// that refer to a file with problems of its own (they may come from its unread rows).
fn read_chapter(files: &DataFiles, config: &Config) -> Result<model::Dataset, DataErrors> {
    let (data, mut problems) = load::load_partial(files, config.unit_factor);
    if let Err(errors) = validate::validate(&data, config) {
        let broken: Vec<PathBuf> = problems.iter().map(|p| p.file.clone()).collect();
        problems.extend(errors.0.into_iter().filter(|e| {
            !broken
                .iter()
                .any(|file| e.message.contains(&file.display().to_string()))
        }));
    }
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(DataErrors(problems))
    }
}

/// The front half: runs every stage up to the Typst source: load, validate and aggregate the
/// chapter and the budget, then (when nothing is wrong) present, fingerprint and template.
/// Only a report configuration that cannot be read is an error; everything else is collected
/// in [`Stages::problems`].
pub(crate) fn read(config_path: &Path, templates: &Path) -> Result<Stages, Error> {
    let clock = Instant::now();
    read_loaded(Config::load(config_path)?, templates, clock)
}

/// [`read`] from the report configuration loaded since `clock` (its "load" timing began).
fn read_loaded(mut config: Config, templates: &Path, mut clock: Instant) -> Result<Stages, Error> {
    let mut timings = Vec::new();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    config.words = words::Words::load(templates, &config.report.language)?;
    let mut problems = Vec::new();
    let chapter = config
        .data
        .as_ref()
        .and_then(|files| match read_chapter(files, &config) {
            Ok(data) => Some(data),
            Err(errors) => {
                problems.extend(errors.0);
                None
            }
        });
    lap("load", &mut timings);
    let years: Vec<i32> = config.plan.years().collect();
    let budget = config
        .budget
        .as_ref()
        .map(|section| match summed_budget::read(section, &years) {
            Ok(budget) => ReadBudget::Summed(Box::new(budget)),
            Err(summed_budget::Unsummed {
                ledger,
                problems: found,
            }) => {
                problems.extend(found);
                ReadBudget::Lines(*ledger)
            }
        });
    lap("import", &mut timings);
    let chapter = chapter.map(|data| {
        let totals = aggregate::aggregate(&data, &config)
            .map_err(|e| problems.push(e.into()))
            .ok();
        Chapter { data, totals }
    });
    lap("aggregate", &mut timings);
    let mut stages = Stages {
        config,
        chapter,
        budget,
        fingerprint: None,
        report: None,
        source: None,
        notes: Vec::new(),
        problems,
        timings,
        templates: templates.to_path_buf(),
    };
    if stages.problems.is_empty() {
        stages.present();
    }
    Ok(stages)
}

impl Stages {
    /// Presents, fingerprints and templates a report whose data has no problems.
    fn present(&mut self) {
        let clock = Instant::now();
        let config = &self.config;
        let chapter = self
            .chapter
            .as_ref()
            .and_then(|c| c.totals.as_ref().map(|totals| (&c.data, totals)));
        let budget = match (&self.budget, &config.budget) {
            (Some(ReadBudget::Summed(budget)), Some(section)) => Some((section, budget.as_ref())),
            _ => None,
        };
        let whole = budget.map(|(section, summed)| (section, summed, None));
        let mut report = present::present(config, chapter, whole);
        if let (Some((section, summed)), Some(view)) = (budget, report.budget.as_mut()) {
            match crate::prose::for_budget(summed, section, config, view.tiltak.as_ref()) {
                Ok(prose) => view.prose = prose,
                Err(found) => self.problems.extend(found),
            }
        }
        let chapter_prose = config.data.as_ref().and_then(|d| d.prose.as_ref());
        if let (Some(folder), Some(view)) = (chapter_prose, report.chapter.as_mut())
            && let Err(found) = crate::prose::chapter::fill(folder, view, &config.words)
        {
            self.problems.extend(found);
        }
        let made_from = crate::builtin::MadeFrom::of(&self.templates, &config.report.language);
        match (fingerprint::Fingerprint::of(config), made_from) {
            (Ok(fingerprint), Ok(made_from)) => {
                let templates = &self.templates;
                let old = crate::prose::chapter::old_templates(templates, &made_from.local, config);
                self.problems.extend(old);
                report.colophon = Some(present::colophon(
                    config,
                    &fingerprint,
                    made_from,
                    chapter.map(|(data, _)| data),
                    budget.map(|(_, b)| b),
                ));
                self.fingerprint = Some(fingerprint);
            }
            (Err(problem), _) | (_, Err(problem)) => self.problems.push(problem),
        }
        self.timings.push(("present", clock.elapsed()));
        let clock = Instant::now();
        match template::Templates::new(&self.templates, &config.words)
            .render(&config.report.template, &report)
        {
            Ok(mut source) => {
                self.notes = typeset::cap_alt_texts(&mut source);
                self.source = Some(source);
            }
            Err(e) => self.problems.push(e.into()),
        }
        self.timings.push(("template", clock.elapsed()));
        self.report = Some(report);
    }
}

/// A report whose every stage passed without a problem, and which has a budget: the summed
/// budget and the view of it exactly as `render` prints it. `explain` traces a printed figure
/// through it, so it speaks the report's language and cannot disagree with the page;
/// `render --each` cuts its sectors from it.
pub(crate) struct BudgetReport {
    /// The configuration, with the report's words catalogue.
    pub config: Config,
    pub budget: summed_budget::SummedBudget,
    /// The budget's view, as the template prints it.
    pub view: present::budget::BudgetView,
    /// The whole report's colophon: every sector is made from the whole budget's files.
    colophon: present::Colophon,
    /// The templates folder the report was read with; its sectors are printed from it.
    templates: PathBuf,
    /// What every sector's report shares, made for the first sector.
    sectors: OnceLock<SectorFrame>,
}

/// What every sector's report shares: the templates, ready to render, and the colophon (every
/// sector is made from the whole budget's files).
struct SectorFrame {
    templates: template::Templates,
    colophon: present::Colophon,
}

/// One sector of a budget report (`render --each`): its own lines, summed as a budget of their
/// own by `section`, how its page names it, and the template it is printed with.
pub struct Sector<'a> {
    pub(crate) section: &'a BudgetSection,
    pub budget: &'a summed_budget::SummedBudget,
    /// The whole report's printed figures for the sector, which its columns foot to.
    pub(crate) totals: present::budget::SectorTotals,
    pub view: present::sector::SectorView,
    pub template: &'a str,
}

/// Runs every stage up to the Typst source from the report configuration `config`, like
/// [`read`], and refuses the report as `check` and `render` refuse it; `None` when the report
/// has no budget.
pub(crate) fn read_budget(config: Config, templates: &Path) -> Result<Option<BudgetReport>, Error> {
    let stages = read_loaded(config, templates, Instant::now())?;
    if !stages.problems.is_empty() {
        return Err(DataErrors(stages.problems).into());
    }
    let (view, colophon) = stages
        .report
        .map(|report| (report.budget, report.colophon))
        .unwrap_or_default();
    Ok(match (stages.budget, view, colophon) {
        (Some(ReadBudget::Summed(budget)), Some(view), Some(colophon)) => Some(BudgetReport {
            config: stages.config,
            budget: *budget,
            view,
            colophon,
            templates: stages.templates,
            sectors: OnceLock::new(),
        }),
        _ => None,
    })
}

impl BudgetReport {
    /// Presents one sector's budget beside the whole report's colophon, then typesets and
    /// writes it as the PDF `file` (its name without `.pdf` is also the PDF's identifier),
    /// not yet flushed to disk: the sector files are one set, and the caller flushes each
    /// ([`write::flush`]) before the set is swapped in, on a thread of its own, so that no
    /// worker waits for the disk. `stage` is told each step, for a progress display.
    pub(crate) fn render_sector(
        &self,
        sector: Sector<'_>,
        file: &Path,
        pdf: &PdfSettings,
        stage: &dyn Fn(StageText),
    ) -> Result<Rendered, Error> {
        let config = &self.config;
        let frame = self.sectors.get_or_init(|| SectorFrame {
            templates: template::Templates::new(&self.templates, &config.words),
            colophon: self.colophon.clone(),
        });
        stage(&|| crate::msg!("progress.presenting"));
        let own = (sector.section, sector.budget, Some(&sector.totals));
        let mut report = present::present(config, None, Some(own));
        if let Some(view) = report.budget.as_mut() {
            // A sector of the dimension the prose is written per prints its own prose.
            let by_group = config
                .budget
                .as_ref()
                .is_some_and(|b| b.group_by.name() == sector.view.role);
            if let (true, Some(whole), Some(mut prose)) =
                (by_group, config.budget.as_ref(), self.view.prose.clone())
            {
                let code = &sector.view.code;
                let tiltak = self.view.tiltak.as_ref();
                let extract = crate::prose::for_sector((&self.budget, whole), code, config, tiltak)
                    .map_err(DataErrors)?;
                prose.sectors.retain(|c, _| c == code);
                if let (Some(p), Some(extract)) = (prose.sectors.get_mut(code.as_str()), extract) {
                    p.extract = extract;
                }
                view.prose = Some(prose);
            }
            // And its own tiltak, as the whole report prints them (issue 27).
            if let (true, Some(mut tiltak)) = (by_group, self.view.tiltak.clone()) {
                tiltak.sectors.retain(|c, _| *c == sector.view.code);
                view.tiltak = Some(tiltak);
            }
            // And its own investment projects, with the reasons for those accepted.
            if let (true, Some(mut projects)) = (by_group, self.view.projects.clone()) {
                let code = &sector.view.code;
                projects.sectors.retain(|c, _| c == code);
                projects
                    .accepted
                    .retain(|a| a.sector.as_ref() == Some(code));
                view.projects = Some(projects);
            }
            view.sector = Some(sector.view);
        }
        report.colophon = Some(frame.colophon.clone());
        let mut source = frame
            .templates
            .render(sector.template, &report)
            .map_err(DataError::from)?;
        let notes = typeset::cap_alt_texts(&mut source);
        let name = file.file_stem().and_then(|s| s.to_str());
        let (Some(name), Some(folder)) = (name, file.parent()) else {
            return Err(Error::Output {
                path: file.to_path_buf(),
                message: crate::msg!("pipeline.no_file_name"),
            });
        };
        let page = Page {
            template: sector.template,
            date: config.date,
            report,
            source,
            notes,
            timings: Vec::new(),
        };
        let format = OutputFormat::Pdf;
        let target = Target {
            config: &self.config.path,
            folder,
            name,
            templates: &self.templates,
            format: &format,
            pdf,
            keep_source: false,
            flush: write::Flush::Later,
        };
        print(page, &target, &mut typeset::Session::default(), stage)
    }
}

/// Runs the front half and refuses the report as `render` refuses it: the view model and the
/// Typst source, ready to typeset (for tests and benchmarks, which read them).
pub fn prepare(config_path: &Path, templates: &Path) -> Result<Prepared, Error> {
    read(config_path, templates)?.ready()
}

/// Renders one report into the output folder, as often as asked (`watch` renders again on
/// every change): the typst world is kept between renders, so a render after a small edit
/// redoes only what changed.
pub struct Renderer {
    options: RenderOptions,
    session: typeset::Session,
    /// The report the last layout read, and the bytes of the files it was read from: a
    /// render while they are byte for byte the same prints it instead of reading and summing
    /// the exports again (the local page lays out for its previews, then renders).
    laid_out: Option<(inputs::InputBytes, Prepared)>,
    /// Whether the last render printed the report the layout before it had kept.
    reused: bool,
}

impl Renderer {
    pub fn new(options: RenderOptions) -> Renderer {
        Renderer {
            options,
            session: typeset::Session::default(),
            laid_out: None,
            reused: false,
        }
    }

    /// Renders once in a process that renders nothing else (`render`): typst's memoized
    /// work is released before PDF export instead of kept for a next render, and glibc's
    /// mmap threshold stays at 64 KiB for the rest of the process
    /// ([`crate::memory::map_large_blocks`]).
    pub fn render_once(
        options: RenderOptions,
        stage: &dyn Fn(StageText),
    ) -> Result<Rendered, Error> {
        Renderer {
            options,
            session: typeset::Session::once(),
            laid_out: None,
            reused: false,
        }
        .render(stage)
    }

    /// Lays the report out without exporting or writing anything (the local page's
    /// previews): the stages of [`Renderer::render`] in the same kept world, so that a
    /// render after it, or another layout after a small change, redoes only what changed.
    /// The report read is kept for that render, with the bytes of its files before and after
    /// it was read (a file that changed meanwhile keeps nothing).
    pub fn lay_out(&mut self) -> Result<typeset::Typeset, Error> {
        let options = &self.options;
        self.laid_out = None;
        let before = inputs::InputBytes::read(&options.config, &options.templates);
        let prepared = prepare(&options.config, &options.templates)?;
        let after = inputs::InputBytes::read(&options.config, &options.templates);
        // Only what the last compile used can be reused by this one: the rest goes, so that
        // a page laid out after every change holds about two layouts, not the ten `print`
        // keeps (a 200-page listing grew by ~300 MB a change).
        typst::comemo::evict(1);
        let config = &prepared.config;
        let (template, date) = (&config.report.template, config.date);
        let source = prepared.source.clone();
        let typeset = self
            .session
            .compile(source, &options.templates, template, date)?;
        if let (Some(before), Some(after)) = (before, after)
            && before == after
        {
            self.laid_out = Some((after, prepared));
        }
        Ok(typeset)
    }

    /// The report as [`Renderer::lay_out`] read it when its files are byte for byte what
    /// they were then; otherwise read now.
    fn prepared(&mut self) -> Result<Prepared, Error> {
        let options = &self.options;
        self.reused = false;
        if let Some((read, prepared)) = self.laid_out.take()
            && Some(read) == inputs::InputBytes::read(&options.config, &options.templates)
        {
            self.reused = true;
            return Ok(prepared);
        }
        prepare(&options.config, &options.templates)
    }

    /// Runs the whole pipeline and writes the report; `stage` is told each step ("reading
    /// and summing", "typesetting", "writing") for a progress display.
    pub fn render(&mut self, stage: &dyn Fn(StageText)) -> Result<Rendered, Error> {
        let options = &self.options;
        if let Some(message) = options.pdf.problem() {
            return Err(Error::Output {
                path: options.output.clone(),
                message,
            });
        }
        stage(&|| crate::msg!("progress.reading"));
        let Prepared {
            config,
            report,
            source,
            notes,
            timings,
        } = self.prepared()?;
        let options = &self.options;
        let page = Page {
            template: &config.report.template,
            date: config.date,
            report,
            source,
            notes,
            timings,
        };
        let target = Target {
            config: &options.config,
            folder: &options.output,
            name: &config.report.name,
            templates: &options.templates,
            format: &options.format,
            pdf: &options.pdf,
            keep_source: options.keep_source,
            flush: write::Flush::Now,
        };
        // One writer per output folder at a time (a sector run holds the lock of its own).
        let _lock = write::FolderLock::acquire(&options.output)?;
        print(page, &target, &mut self.session, stage)
    }
}

/// A report ready for the back half: the Typst source and the view it was made from.
struct Page<'a> {
    /// The template the source was made from (typst's diagnostics name it).
    template: &'a str,
    /// The document's date: typst's `today` and the PDF's timestamp.
    date: Date,
    /// The view the source was made from, written beside it with `--keep-source`.
    report: present::Report,
    source: String,
    /// What making the source shortened (alt texts over the limit), told as warnings.
    notes: Vec<String>,
    timings: Vec<(&'static str, Duration)>,
}

/// Where and how the back half writes a report.
struct Target<'a> {
    /// The report configuration, named by a mistake in the command line found only now.
    config: &'a Path,
    /// The output folder.
    folder: &'a Path,
    /// The output's name: `<name>.pdf` or `<name>-<page>.png`; also the PDF's identifier.
    name: &'a str,
    /// The templates folder, the only folder Typst may read.
    templates: &'a Path,
    format: &'a OutputFormat,
    pdf: &'a PdfSettings,
    /// Also write the Typst source and the view beside the output.
    keep_source: bool,
    /// Whether the files are flushed to disk before they are renamed into place.
    flush: write::Flush,
}

/// The back half, one for every report: typesets the page, exports it as the target asks and
/// writes the whole set atomically. `stage` is told each step ("typesetting", "writing");
/// `session` is the typst world, kept by a [`Renderer`] between renders.
fn print(
    page: Page<'_>,
    target: &Target<'_>,
    session: &mut typeset::Session,
    stage: &dyn Fn(StageText),
) -> Result<Rendered, Error> {
    let Page {
        template,
        date,
        report,
        source,
        notes,
        mut timings,
    } = page;
    let kept = kept_source(target, &report, &source)?;
    // Nothing reads the view after this: typesetting's peak is lower without it.
    drop(report);

    let clock = Instant::now();
    // Forget what typst memoized for renders several renders ago (nothing in a one-shot
    // command), so that a process rendering again and again stays bounded.
    typst::comemo::evict(10);
    stage(&|| crate::msg!("progress.typesetting"));
    let typeset = session.compile(source, target.templates, template, date)?;
    timings.push(("typeset", clock.elapsed()));
    let pages = typeset.document.pages().len();

    stage(&|| crate::msg!("progress.writing"));
    let (outputs, stale) = export(target, &typeset, date, template, &mut timings)?;
    let files: Vec<PathBuf> = outputs.iter().map(|(path, _)| path.clone()).collect();
    let clock = Instant::now();
    let set: Vec<(PathBuf, &[u8])> = outputs
        .iter()
        .chain(&kept)
        .map(|(path, bytes)| (path.clone(), bytes.as_slice()))
        .collect();
    write::write_set_flushed(&set, &stale, target.flush)?;
    timings.push(("write", clock.elapsed()));
    // Freeing a laid-out document takes a while (40 ms for 200 pages of tables) and nobody
    // waits for it: the output is written. A process that exits now does not free it at all.
    let typeset::Typeset {
        document,
        mut warnings,
    } = typeset;
    warnings.extend(notes);
    std::thread::spawn(move || drop(document));
    Ok(Rendered {
        files,
        pages,
        warnings,
        timings,
    })
}

/// Files to write: each path and its bytes.
type Files = Vec<(PathBuf, Vec<u8>)>;

/// The generated Typst source and the view model it was made from, for inspection and for
/// feeding other typesetters the same figures (see benches/): written with the report, and
/// only when the report is (`--keep-source`).
fn kept_source(
    target: &Target<'_>,
    report: &present::Report,
    source: &str,
) -> Result<Files, Error> {
    if !target.keep_source {
        return Ok(Vec::new());
    }
    let (folder, name) = (target.folder, target.name);
    let view = serde_json::to_vec_pretty(report).map_err(|e| Error::Output {
        path: folder.join(format!("{name}.view.json")),
        message: e.to_string(),
    })?;
    Ok(vec![
        (
            folder.join(format!("{name}.typ")),
            source.as_bytes().to_vec(),
        ),
        (folder.join(format!("{name}.view.json")), view),
    ])
}

/// The typeset document as the files the target asks for (a PDF, or PNG pages), and the
/// page images of an earlier, longer report that go with a complete set of new ones.
fn export(
    target: &Target<'_>,
    typeset: &typeset::Typeset,
    date: Date,
    template: &str,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<(Files, Vec<PathBuf>), Error> {
    let (folder, name) = (target.folder, target.name);
    let clock = Instant::now();
    Ok(match target.format {
        OutputFormat::Pdf => {
            let pdf = typeset::export_pdf(typeset, target.pdf, name, date, template)?;
            timings.push(("pdf", clock.elapsed()));
            (vec![(folder.join(format!("{name}.pdf")), pdf)], Vec::new())
        }
        OutputFormat::Png { ppi, pages: ranges } => {
            // A page the report does not have is a mistake in the command line (exit 2),
            // found only now that the pages are counted; nothing is written.
            let count = typeset.document.pages().len();
            if let Some((_, last)) = ranges.iter().find(|(_, last)| *last > count) {
                return Err(Error::Config {
                    path: target.config.to_path_buf(),
                    message: crate::msg!("pipeline.no_such_page", last, n = count),
                });
            }
            let images = typeset::export_png(typeset, *ppi, ranges);
            timings.push(("png", clock.elapsed()));
            let mut outputs = Vec::new();
            for (number, png) in images {
                let file = folder.join(format!("{name}-{number}.png"));
                let png = png.map_err(|message| Error::Output {
                    path: file.clone(),
                    message,
                })?;
                outputs.push((file, png));
            }
            // All pages rendered: the pages of an earlier, longer report go with them.
            let stale = if ranges.is_empty() {
                stale_pages(folder, name, typeset.document.pages().len())
            } else {
                Vec::new()
            };
            (outputs, stale)
        }
    })
}

/// The page images `<name>-<n>.png` in `folder` beyond page `pages`.
fn stale_pages(folder: &Path, name: &str, pages: usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .and_then(|file| {
                    file.strip_prefix(name)?
                        .strip_prefix('-')?
                        .strip_suffix(".png")
                })
                .and_then(|number| number.parse::<usize>().ok())
                .is_some_and(|number| number > pages && number.to_string().len() < 10)
        })
        .map(|entry| entry.path())
        .collect()
}
