//! The one pipeline every command runs: [`prepare`] loads, validates, aggregates, presents and
//! renders the template, collecting every problem of every stage; `check` describes what it
//! found, [`render`] typesets and writes it when nothing is wrong. What `check` passes,
//! `render` prints, by construction.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{Config, DataFiles};
use crate::error::{ConfigError, OutputError};
use crate::error::{DataError, DataErrors};
use crate::typeset::PdfSettings;
use crate::{aggregate, budget, fingerprint, load, model, present, words};
use crate::{template, typeset, validate, write};

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
pub struct Stages {
    pub config: Config,
    /// The strategy chapter, when the report has one and its files could be read.
    pub chapter: Option<Chapter>,
    /// The budget, when the report has one: summed, or (with problems) the lines that could be
    /// read, to describe the sources.
    pub budget: Option<Result<budget::Budget, model::budget::Ledger>>,
    /// The input files' fingerprint, carried by the colophon and the PDF's metadata.
    pub fingerprint: Option<fingerprint::Fingerprint>,
    pub report: Option<present::Report>,
    pub source: Option<String>,
    /// What the source had to shorten before typesetting (alt texts over the limit).
    pub notes: Vec<String>,
    /// Every problem, in stage order: the chapter's files, the budget's, then what presenting
    /// and the template found.
    pub problems: Vec<DataError>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The stages up to the generated Typst source, for a report without problems; useful on its
/// own for tests and benchmarks.
pub struct Prepared {
    pub config: Config,
    pub report: present::Report,
    pub source: String,
    pub notes: Vec<String>,
    pub timings: Vec<(&'static str, Duration)>,
}

impl Stages {
    /// The report ready to typeset, or every problem found.
    pub fn ready(self) -> Result<Prepared, Error> {
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

/// Runs every stage up to the Typst source: load, validate and aggregate the chapter and the
/// budget, then (when nothing is wrong) present, fingerprint and template. Only a report
/// configuration that cannot be read is an error; everything else is collected in
/// [`Stages::problems`].
pub fn stages(config_path: &Path, templates: &Path) -> Result<Stages, Error> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let mut config = Config::load(config_path)?;
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
        .map(|section| match budget::read(section, &years) {
            Ok(budget) => Ok(budget),
            Err(budget::Unsummed {
                ledger,
                problems: found,
            }) => {
                problems.extend(found);
                Err(ledger)
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
    };
    if stages.problems.is_empty() {
        stages.present(templates);
    }
    Ok(stages)
}

impl Stages {
    /// Presents, fingerprints and templates a report whose data has no problems.
    fn present(&mut self, templates: &Path) {
        let clock = Instant::now();
        let config = &self.config;
        let chapter = self
            .chapter
            .as_ref()
            .and_then(|c| c.totals.as_ref().map(|totals| (&c.data, totals)));
        let budget = match (&self.budget, &config.budget) {
            (Some(Ok(budget)), Some(section)) => Some((section, budget)),
            _ => None,
        };
        let mut report =
            present::present(config, chapter, budget.map(|(section, b)| b.input(section)));
        let made_from = crate::builtin::MadeFrom::of(templates, &config.report.language);
        match (fingerprint::Fingerprint::of(config), made_from) {
            (Ok(fingerprint), Ok(made_from)) => {
                report.colophon = Some(present::colophon(
                    config,
                    &fingerprint,
                    made_from,
                    chapter.map(|(data, _)| data),
                    budget.map(|(_, b)| &b.ledger),
                ));
                self.fingerprint = Some(fingerprint);
            }
            (Err(problem), _) | (_, Err(problem)) => self.problems.push(problem),
        }
        self.timings.push(("present", clock.elapsed()));
        let clock = Instant::now();
        match template::Templates::new(templates, &config.words)
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

/// Loads, validates, aggregates, presents and renders the template; every problem found, or
/// the report ready to typeset.
pub fn prepare(config_path: &Path, templates: &Path) -> Result<Prepared, Error> {
    stages(config_path, templates)?.ready()
}

/// Runs the whole pipeline and writes the result into the output folder.
pub fn render(options: &RenderOptions) -> Result<Rendered, Error> {
    if let Some(message) = options.pdf.problem() {
        return Err(Error::Output {
            path: options.output.clone(),
            message,
        });
    }
    let prepared = prepare(&options.config, &options.templates)?;
    finish(options, prepared, &|_| {}, &mut typeset::Session::default())
}

/// The second half of [`render`]: typesets prepared source and writes the output set.
/// `stage` is told each step ("typesetting", "writing") for progress display; `session` is
/// the typst world, kept by `watch` between renders.
pub fn finish(
    options: &RenderOptions,
    prepared: Prepared,
    stage: &dyn Fn(&'static str),
    session: &mut typeset::Session,
) -> Result<Rendered, Error> {
    let Prepared {
        config,
        report,
        source,
        notes,
        mut timings,
    } = prepared;
    let name = config.report.name.clone();
    let template = config.report.template.clone();
    let kept = kept_source(options, &name, &report, &source)?;

    let clock = Instant::now();
    // Forget what typst memoized for renders several renders ago (nothing in a one-shot
    // command), so that a process rendering again and again stays bounded.
    typst::comemo::evict(10);
    stage("typesetting");
    let typeset = session.compile(source, &options.templates, &template, config.date)?;
    timings.push(("typeset", clock.elapsed()));
    let pages = typeset.document.pages().len();

    stage("writing");
    let (outputs, stale) = export(
        options,
        &typeset,
        &name,
        config.date,
        &template,
        &mut timings,
    )?;
    let files: Vec<PathBuf> = outputs.iter().map(|(path, _)| path.clone()).collect();
    let clock = Instant::now();
    let set: Vec<(PathBuf, &[u8])> = outputs
        .iter()
        .chain(&kept)
        .map(|(path, bytes)| (path.clone(), bytes.as_slice()))
        .collect();
    write::write_set(&set, &stale)?;
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
    options: &RenderOptions,
    name: &str,
    report: &present::Report,
    source: &str,
) -> Result<Files, Error> {
    if !options.keep_source {
        return Ok(Vec::new());
    }
    let view = serde_json::to_vec_pretty(report).map_err(|e| Error::Output {
        path: options.output.join(format!("{name}.view.json")),
        message: e.to_string(),
    })?;
    Ok(vec![
        (
            options.output.join(format!("{name}.typ")),
            source.as_bytes().to_vec(),
        ),
        (options.output.join(format!("{name}.view.json")), view),
    ])
}

/// The typeset document as the files the options ask for (a PDF, or PNG pages), and the
/// page images of an earlier, longer report that go with a complete set of new ones.
fn export(
    options: &RenderOptions,
    typeset: &typeset::Typeset,
    name: &str,
    date: crate::config::Date,
    template: &str,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<(Files, Vec<PathBuf>), Error> {
    let clock = Instant::now();
    Ok(match &options.format {
        OutputFormat::Pdf => {
            let pdf = typeset::export_pdf(typeset, &options.pdf, name, date, template)?;
            timings.push(("pdf", clock.elapsed()));
            (
                vec![(options.output.join(format!("{name}.pdf")), pdf)],
                Vec::new(),
            )
        }
        OutputFormat::Png { ppi, pages: ranges } => {
            let images = typeset::export_png(typeset, *ppi, ranges);
            timings.push(("png", clock.elapsed()));
            let mut outputs = Vec::new();
            for (number, png) in images {
                let target = options.output.join(format!("{name}-{number}.png"));
                let png = png.map_err(|message| Error::Output {
                    path: target.clone(),
                    message,
                })?;
                outputs.push((target, png));
            }
            // All pages rendered: the pages of an earlier, longer report go with them.
            let stale = if ranges.is_empty() {
                stale_pages(&options.output, name, typeset.document.pages().len())
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
