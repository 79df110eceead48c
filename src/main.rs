//! The `budsjett` command line: parses arguments, runs the pipeline, prints errors for people.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use budsjett::pipeline::{OutputFormat, RenderOptions, Renderer};
use budsjett::typeset::PdfSettings;
use clap::{Args, Parser, Subcommand, ValueEnum};
use typst_pdf::PdfStandard;

/// The templates folder of a report folder, which may be missing (see [`templates_folder`]).
const DEFAULT_TEMPLATES: &str = "templates";

mod cli_words;

// The help of every command and argument is in the message catalogues (cli.help.*), set
// by cli_words::localized; the comments here say what each is for.
// Turns a municipality's budget and timeline data into the PDF report its council reads.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    // The language of messages: nb (bokmål), nn (nynorsk) or en (English). Default: the
    // locale's (LC_ALL, LC_MESSAGES, LANG; on Windows the user's), English where it is not
    // Norwegian.
    #[arg(long, global = true, value_parser = ["nb", "nn", "en"])]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    // Render a report (the default when no command is given).
    Render(RenderArgs),
    // Render the report, then render it again whenever report.toml, a data file, a
    // profile or its export, a series, the KOSTRA mapping or a template changes (Ctrl-C
    // stops). An error is printed and the last good output stays.
    Watch(RenderArgs),
    // Read every source of a report without typesetting; list what was found and every
    // problem. Exit code 0 when clean.
    Check(CheckArgs),
    // Show where a printed figure comes from: the source lines, their exact sum, the
    // rounding applied and the printed figure.
    Explain(ExplainArgs),
    // Guess a mapping profile from an export, write it commented (never over an existing
    // file), then check the export through it and print the totals.
    Profile(ProfileArgs),
    // Create a report folder that checks and renders at once: data/report.toml with every
    // key commented and a small example budget and a Markdown file per sector (data/tekst/)
    // to write its text in (or, with --from, a profile guessed from an export). The report
    // uses the built-in templates; `budsjett templates` writes them out.
    Init(InitArgs),
    // Write the built-in templates (with the words catalogues), or with --kostra the
    // built-in KOSTRA tables, into a folder for editing. A report's templates/ (or the
    // KOSTRA folder its `statutory` names) overrides the built-in files it has, file by file.
    // The words a report writes itself are not templates: a chapter's and a sector's own text
    // are the Markdown files of the folder its `prose` names (data/tekst/ in the sample).
    Templates(TemplatesArgs),
    // Open a page on this computer only that takes a finance officer from an export to a
    // PDF: drop an export, adjust the guessed profile, see the problems, download the PDF.
    Serve(ServeArgs),
    // Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    // Print the manual page (roff) to stdout: `budsjett man > budsjett.1`.
    Man,
}

#[derive(Args)]
struct CompletionsArgs {
    // The shell.
    shell: clap_complete::Shell,
}

#[derive(Args)]
struct InitArgs {
    // The report folder to create.
    #[arg(default_value = ".")]
    dir: PathBuf,
    // Build the report from this export (CSV or workbook) instead of the example.
    #[arg(long)]
    from: Option<PathBuf>,
    // With --from a workbook: the sheet (default: the first).
    #[arg(long)]
    sheet: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    // The report folder (made if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    // The largest upload taken, in MB, 1 to 1024.
    #[arg(long, value_parser = max_upload_mb, allow_negative_numbers = true)]
    max_upload_mb: Option<u64>,
}

#[derive(Args)]
struct TemplatesArgs {
    // The folder to write into: `templates` in a report folder, or with --kostra the
    // folder `statutory` names (`data/kostra` for `statutory = "kostra"`).
    dir: PathBuf,
    // Only these files, by their path inside the folder (e.g. sektor.typ.j2 or
    // words/nn.toml); default: all.
    files: Vec<String>,
    // The KOSTRA tables instead of the templates.
    #[arg(long)]
    kostra: bool,
    // Replace files that exist (by default nothing is written when one does).
    #[arg(long)]
    overwrite: bool,
}

#[derive(Args)]
struct ProfileArgs {
    // The export: a CSV file (any dialect the importer reads) or a workbook.
    export: PathBuf,
    // The workbook's sheet (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    // Where to write the profile (default: <export name>.toml in the current folder).
    #[arg(long)]
    output: Option<PathBuf>,
    // The budget year, for a long export with no year column and no year in its name
    // (1900 to 2200).
    #[arg(long, value_parser = year, allow_negative_numbers = true)]
    year: Option<i32>,
}

#[derive(Args)]
struct ExplainArgs {
    // The report configuration.
    #[arg(long, default_value = "data/report.toml")]
    config: PathBuf,
    // The templates folder: the answer is worded from its words catalogue, in the report's
    // language, and the figure is read from the view the report's template prints.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    // A group (code or name), e.g. 18A.
    #[arg(long)]
    group: Option<String>,
    // A detail inside the group (code or name).
    #[arg(long, requires = "group")]
    detail: Option<String>,
    // A row of a statutory overview, as paragraph:row, e.g. 5-4:6.
    #[arg(long, conflicts_with_all = ["group", "detail", "flow"])]
    row: Option<String>,
    // A key figure of the key figures page, e.g. netto_driftsresultat (issue 26).
    #[arg(long, conflicts_with_all = ["group", "detail", "flow", "row"])]
    key_figure: Option<String>,
    // The year (default: the first plan year; 1900 to 2200).
    #[arg(long, value_parser = year, allow_negative_numbers = true)]
    year: Option<i32>,
    // The version (default: the one the report's tables show), e.g. a compared version.
    #[arg(long)]
    version: Option<String>,
    // List every source line (by default the first 60; all are in the sum).
    #[arg(long)]
    all: bool,
    // Only the expenses or the income of a group, as the table of expenses, income and net
    // prints them (default: the net).
    #[arg(long, value_enum)]
    flow: Option<ExplainFlow>,
    // The part: drift or investering (default: the first that has the group).
    #[arg(long, value_parser = ["drift", "investering"])]
    part: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    // The report configuration whose sources to check.
    #[arg(long, default_value = "data/report.toml")]
    config: PathBuf,
    // The templates folder, whose files override the built-in ones (check renders the
    // template, without typesetting).
    #[arg(long, default_value = DEFAULT_TEMPLATES)]
    templates: PathBuf,
    // Check these mapping profiles (and their exports) instead of a report.
    #[arg(long = "profile")]
    profiles: Vec<PathBuf>,
}

#[derive(Args, Default)]
struct RenderArgs {
    // The report configuration.
    #[arg(long, default_value = "data/report.toml")]
    config: PathBuf,
    // The templates folder, whose files override the built-in ones; Typst may read
    // nothing outside it.
    #[arg(long, default_value = DEFAULT_TEMPLATES)]
    templates: PathBuf,
    // Where the PDF (or PNG pages) are written.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    // pdf, or png for page previews.
    #[arg(long, value_enum, default_value_t = Format::Pdf)]
    format: Format,
    // With --format png: the pages to render, e.g. "1,3-5" (default: all).
    #[arg(long, allow_negative_numbers = true)]
    pages: Option<Pages>,
    // With --format png: pixels per inch, 18 to 600 (default: 96).
    #[arg(long, value_parser = ppi, allow_negative_numbers = true)]
    ppi: Option<u32>,
    // PDF standards, comma separated: a-2a, ua-1, a-2b, a-3a, 1.7, 2.0, … or "none".
    #[arg(long, value_enum, value_delimiter = ',', default_value = "a-2a,ua-1")]
    pdf_standard: Vec<Standard>,
    // Leave out the PDF's structure tags (smaller, not accessible; only with --pdf-standard
    // none or standards that do not require tags).
    #[arg(long)]
    no_tags: bool,
    // Also write the generated Typst source as output/<name>.typ.
    #[arg(long)]
    keep_source: bool,
    // Print how long each stage took.
    #[arg(long)]
    timings: bool,
    // One PDF per value of this dimension (e.g. area): output/<name>-<code>.pdf, each with
    // the sector's own tables and the municipality's totals, rendered in parallel.
    #[arg(long, value_name = "DIMENSION")]
    each: Option<String>,
    // With --each: how many sectors to render at once, 1 to 256 (default: one per core).
    #[arg(long, requires = "each", value_parser = jobs, allow_negative_numbers = true)]
    jobs: Option<u16>,
    // No progress display (it is shown only when stderr is a terminal anyway).
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFlow {
    Expenses,
    Income,
}

#[derive(Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
enum Format {
    #[default]
    Pdf,
    Png,
}

/// A name `--pdf-standard` takes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Standard {
    #[value(name = "1.4")]
    V1_4,
    #[value(name = "1.5")]
    V1_5,
    #[value(name = "1.6")]
    V1_6,
    #[value(name = "1.7")]
    V1_7,
    #[value(name = "2.0")]
    V2_0,
    #[value(name = "a-1b")]
    A1b,
    #[value(name = "a-1a")]
    A1a,
    #[value(name = "a-2b")]
    A2b,
    #[value(name = "a-2u")]
    A2u,
    #[value(name = "a-2a")]
    A2a,
    #[value(name = "a-3b")]
    A3b,
    #[value(name = "a-3u")]
    A3u,
    #[value(name = "a-3a")]
    A3a,
    #[value(name = "a-4")]
    A4,
    #[value(name = "a-4f")]
    A4f,
    #[value(name = "a-4e")]
    A4e,
    #[value(name = "ua-1")]
    Ua1,
    // No standard: a plain PDF.
    None,
}

impl Standard {
    fn pdf(self) -> Option<PdfStandard> {
        use PdfStandard::*;
        Some(match self {
            Standard::V1_4 => V_1_4,
            Standard::V1_5 => V_1_5,
            Standard::V1_6 => V_1_6,
            Standard::V1_7 => V_1_7,
            Standard::V2_0 => V_2_0,
            Standard::A1b => A_1b,
            Standard::A1a => A_1a,
            Standard::A2b => A_2b,
            Standard::A2u => A_2u,
            Standard::A2a => A_2a,
            Standard::A3b => A_3b,
            Standard::A3u => A_3u,
            Standard::A3a => A_3a,
            Standard::A4 => A_4,
            Standard::A4f => A_4f,
            Standard::A4e => A_4e,
            Standard::Ua1 => Ua_1,
            Standard::None => return None,
        })
    }
}

/// A year on the command line: 1900 to 2200, as every year the program reads.
fn year(text: &str) -> Result<i32, String> {
    let (first, last) = (budsjett::model::Year::FIRST, budsjett::model::Year::LAST);
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| budsjett::model::Year::RANGE.contains(y))
        .ok_or_else(|| {
            let text = format!("{text:?}");
            budsjett::msg!("cli.year_range", text, first, last)
        })
}

/// `--ppi`: pixels per inch, 18 to 600.
fn ppi(text: &str) -> Result<u32, String> {
    whole_number(text, 18, 600)
}

/// `--max-upload-mb`: 1 to 1024.
fn max_upload_mb(text: &str) -> Result<u64, String> {
    whole_number(text, 1, 1024)
}

/// `--jobs`: sectors rendered at once, 1 to 256.
fn jobs(text: &str) -> Result<u16, String> {
    whole_number(text, 1, 256)
}

/// A whole number from `first` to `last` on the command line, worded as clap words a
/// number out of its range (`5 is not in 18..=600`).
fn whole_number<T: TryFrom<i64>>(text: &str, first: i64, last: i64) -> Result<T, String> {
    use std::num::IntErrorKind;
    let number = text.parse::<i64>().map_err(|e| match e.kind() {
        IntErrorKind::Empty => budsjett::msg!("cli.number_empty"),
        IntErrorKind::PosOverflow => budsjett::msg!("cli.number_too_large"),
        IntErrorKind::NegOverflow => budsjett::msg!("cli.number_too_small"),
        _ => budsjett::msg!("cli.not_a_number"),
    })?;
    (first..=last)
        .contains(&number)
        .then(|| T::try_from(number).ok())
        .flatten()
        .ok_or_else(|| budsjett::msg!("cli.number_range", number, first, last))
}

/// `--pages`: page ranges such as `1,3-5`, 1-based, first to last; empty means every page.
#[derive(Clone, Debug, Default)]
struct Pages(Vec<(usize, usize)>);

impl FromStr for Pages {
    type Err = String;

    fn from_str(text: &str) -> Result<Pages, String> {
        let bad = || budsjett::msg!("cli.bad_pages");
        text.split(',')
            .filter(|part| !part.trim().is_empty())
            .map(|part| {
                let (from, to) = part.split_once('-').unwrap_or((part, part));
                let from: usize = from.trim().parse().map_err(|_| bad())?;
                let to: usize = to.trim().parse().map_err(|_| bad())?;
                if from == 0 || to < from {
                    Err(bad())
                } else {
                    Ok((from, to))
                }
            })
            .collect::<Result<_, _>>()
            .map(Pages)
    }
}

/// Why a command failed, which decides its exit code (`cli.exit_codes` in the catalogues).
enum Failure {
    /// Problems in the data: check listed them, or render refused the data. Exit code 1.
    Data(String),
    /// A mistake in the command line or the report configuration. Exit code 2, as clap's
    /// own errors.
    Usage(String),
    /// The report could not be made or written. Exit code 3.
    NotMade(String),
}

impl Failure {
    fn code(&self) -> u8 {
        match self {
            Failure::Data(_) => 1,
            Failure::Usage(_) => 2,
            Failure::NotMade(_) => 3,
        }
    }

    fn message(&self) -> &str {
        match self {
            Failure::Data(m) | Failure::Usage(m) | Failure::NotMade(m) => m,
        }
    }
}

impl From<budsjett::pipeline::Error> for Failure {
    fn from(error: budsjett::pipeline::Error) -> Failure {
        use budsjett::pipeline::Error;
        let message = error.to_string();
        match error {
            Error::Config { .. } => Failure::Usage(message),
            Error::Data(_) | Error::Aggregate(_) => Failure::Data(message),
            Error::Typeset(_) | Error::Output { .. } => Failure::NotMade(message),
        }
    }
}

/// Standard output that a closed pipe ends quietly: `budsjett check | head -1` stops
/// writing once `head` has gone, where `println!` would panic.
struct Out {
    stdout: io::Stdout,
    closed: bool,
}

impl Out {
    fn new() -> Out {
        Out {
            stdout: io::stdout(),
            closed: false,
        }
    }

    /// Writes `text`; after the reader has gone, nothing more is written and that is no
    /// failure.
    fn print(&mut self, text: &str) -> Result<(), Failure> {
        if self.closed {
            return Ok(());
        }
        let mut handle = self.stdout.lock();
        match handle
            .write_all(text.as_bytes())
            .and_then(|()| handle.flush())
        {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => {
                let e = budsjett::messages::io_error(&e);
                Err(Failure::NotMade(budsjett::msg!(
                    "cli.cannot_write_stdout",
                    e
                )))
            }
        }
    }
}

/// The language `--lang` asks for, read before the command line is parsed so that clap's
/// own messages are worded in it too; a value `--lang` does not take is left to clap.
fn requested_language() -> Option<budsjett::messages::Language> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let value = args.iter().enumerate().find_map(|(i, arg)| {
        arg.strip_prefix("--lang=")
            .map(str::to_string)
            .or_else(|| (arg == "--lang").then(|| args.get(i + 1).cloned().unwrap_or_default()))
    })?;
    budsjett::messages::Language::of_code(&value)
}

fn main() -> ExitCode {
    budsjett::messages::choose(requested_language());
    let cli = match parse() {
        Ok(cli) => cli,
        Err(error) => return refused(error),
    };
    // A process that renders one report keeps its heap in one arena (before any thread begins).
    if let Some(Command::Render(RenderArgs { each: None, .. })) | None = cli.command {
        budsjett::memory::one_arena();
    }
    // What every command may need and no report changes is built beside the report's stages.
    budsjett::typeset::warm_up();
    let out = &mut Out::new();
    let result = match cli.command {
        Some(Command::Render(args)) => run(&args, out),
        Some(Command::Watch(args)) => watch(&args, out),
        Some(Command::Check(args)) => check(&args, out),
        Some(Command::Explain(args)) => explain(&args, out),
        Some(Command::Profile(args)) => profile(&args, out),
        Some(Command::Init(args)) => init(&args, out),
        Some(Command::Templates(args)) => templates(&args, out),
        Some(Command::Serve(args)) => serve(&args, out),
        Some(Command::Completions(args)) => completions(&args, out),
        Some(Command::Man) => man(out),
        None => run(&RenderArgs::parse_defaults(), out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // A closed standard error is no reason to panic either.
            let message = failure.message();
            let _ = writeln!(io::stderr(), "{}", budsjett::msg!("cli.error", message));
            ExitCode::from(failure.code())
        }
    }
}

/// The command line, parsed against the help and words of the user's language.
fn parse() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    // The catalogue's words change what clap prints (help, errors), not what it accepts: a
    // command line that parses is read without them, and only one that does not (or asks for
    // help) is parsed again with them, for clap to print. Wording every command's help took
    // as many instructions as presenting the summary report (issue 29).
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(_) => cli_words::framed(Cli::command()).try_get_matches()?,
    };
    Cli::from_arg_matches(&matches)
}

/// Prints what clap found (help and the version as clap makes them, an error worded from the
/// catalogue) and ends with clap's exit code: 0 for help, 2 for a mistake.
fn refused(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let code = u8::try_from(error.exit_code()).unwrap_or(2);
    let _ = match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.print(),
        _ => error.apply::<cli_words::Localized>().print(),
    };
    ExitCode::from(code)
}

impl RenderArgs {
    fn parse_defaults() -> Self {
        // Re-parse an empty `render` so the defaults live in one place (the attributes).
        match Cli::parse_from(["budsjett", "render"]).command {
            Some(Command::Render(args)) => args,
            _ => RenderArgs::default(),
        }
    }
}

fn run(args: &RenderArgs, out: &mut Out) -> Result<(), Failure> {
    if args.each.is_some() {
        return each(args, out);
    }
    let options = render_options(args)?;
    let progress = budsjett::progress::Progress::new(args.quiet);
    let rendered = Renderer::render_once(options, &|s| progress.stage(s));
    progress.finish();
    let rendered = rendered?;
    for warning in &rendered.warnings {
        let _ = writeln!(io::stderr(), "{warning}");
    }
    for file in &rendered.files {
        let (file, n) = (file.display(), rendered.pages);
        out.print(&format!("{}\n", budsjett::msg!("cli.wrote_pages", file, n)))?;
    }
    if args.timings {
        for (stage, time) in &rendered.timings {
            out.print(&format!("{:>10} {time:>10.1?}\n", stage_name(stage)))?;
        }
    }
    Ok(())
}

/// A stage of the pipeline as `--timings` names it, in the user's language.
fn stage_name(stage: &str) -> String {
    match stage {
        "load" => budsjett::msg!("cli.stage.load"),
        "import" => budsjett::msg!("cli.stage.import"),
        "aggregate" => budsjett::msg!("cli.stage.aggregate"),
        "present" => budsjett::msg!("cli.stage.present"),
        "template" => budsjett::msg!("cli.stage.template"),
        "typeset" => budsjett::msg!("cli.stage.typeset"),
        "write" => budsjett::msg!("cli.stage.write"),
        other => other.to_string(),
    }
}

/// `render --each`: one PDF per sector; a failed sector is named and the others written.
fn each(args: &RenderArgs, out: &mut Out) -> Result<(), Failure> {
    let role = args.each.clone().unwrap_or_default();
    if args.format != Format::Pdf || args.keep_source {
        return Err(Failure::Usage(budsjett::msg!("cli.each_one_report", role)));
    }
    let options = budsjett::each::EachOptions {
        config: args.config.clone(),
        templates: templates_folder(&args.templates)?,
        output: args.output.clone(),
        pdf: PdfSettings {
            tagged: !args.no_tags,
            standards: pdf_standards(&args.pdf_standard)?,
        },
        role,
        jobs: args.jobs.map_or(0, usize::from),
    };
    if let Some(problem) = options.pdf.problem() {
        return Err(Failure::Usage(problem));
    }
    let progress = budsjett::progress::Progress::new(args.quiet);
    let clock = std::time::Instant::now();
    let report = budsjett::each::render_each(&options, &progress);
    drop(progress);
    let report = report?;
    for warning in &report.warnings {
        let _ = writeln!(io::stderr(), "{warning}");
    }
    for outcome in &report.outcomes {
        match &outcome.result {
            // A set with a failed sector is not written (the previous set stays).
            Ok(_) if report.failed() > 0 => {}
            Ok(pages) => {
                let (file, n) = (outcome.file.display(), *pages);
                out.print(&format!("{}\n", budsjett::msg!("cli.wrote_pages", file, n)))?;
            }
            Err(message) => {
                let sector = outcome.sector.label();
                let error = budsjett::msg!("cli.sector_error", sector, message);
                let _ = writeln!(io::stderr(), "{error}");
            }
        }
    }
    if args.timings {
        let time = format!("{:>10.1?}", report.before_workers);
        out.print(&format!(
            "{}\n",
            budsjett::msg!("cli.each_before_workers", time)
        ))?;
        for outcome in &report.outcomes {
            let line = budsjett::msg!(
                "cli.each_sector_timing",
                time = format!("{:>10.1?}", outcome.time),
                from = format!("{:.1?}", outcome.started),
                to = format!("{:.1?}", outcome.started + outcome.time),
                worker = outcome.worker,
                sector = outcome.sector.label()
            );
            out.print(&format!("{line}\n"))?;
        }
        let line = budsjett::msg!(
            "cli.each_timings",
            time = format!("{:>10.1?}", clock.elapsed()),
            sectors = report.outcomes.len(),
            workers = report.workers
        );
        out.print(&format!("{line}\n"))?;
    }
    match report.failed() {
        0 => Ok(()),
        failed => Err(Failure::NotMade(budsjett::msg!(
            "cli.sectors_failed",
            failed,
            total = report.outcomes.len()
        ))),
    }
}

/// `watch`: renders, then renders again on every change of an input, until stopped.
fn watch(args: &RenderArgs, out: &mut Out) -> Result<(), Failure> {
    if args.each.is_some() {
        return Err(Failure::Usage(budsjett::msg!("cli.watch_each")));
    }
    let options = render_options(args)?;
    let watching = budsjett::msg!("cli.watching", config = options.config.display());
    out.print(&format!("{watching}\n"))?;
    let progress = budsjett::progress::Progress::new(args.quiet);
    // A test may stop the watcher after this many renders.
    let limit = std::env::var("BUDSJETT_WATCH_RENDERS")
        .ok()
        .and_then(|n| n.parse().ok());
    let config = options.config.clone();
    let (templates, output) = (options.templates.clone(), options.output.clone());
    // Keeps the typst world between renders.
    let mut renderer = Renderer::new(options);
    budsjett::watch::watch(
        &config,
        &templates,
        &output,
        budsjett::watch::Timing::default(),
        limit,
        || {
            let result = renderer.render(&|s| progress.stage(s));
            progress.stage(&|| budsjett::msg!("progress.waiting"));
            result
        },
        |result, time, changed| {
            let mut text = String::new();
            for path in changed {
                let changed = budsjett::msg!("cli.changed", file = path.display());
                text.push_str(&format!("{changed}\n"));
            }
            match result {
                Ok(rendered) => {
                    for warning in &rendered.warnings {
                        let _ = writeln!(io::stderr(), "{warning}");
                    }
                    for file in &rendered.files {
                        let (file, n, ms) = (file.display(), rendered.pages, time.as_millis());
                        let wrote = budsjett::msg!("cli.wrote_pages_in", file, n, ms);
                        text.push_str(&format!("{wrote}\n"));
                    }
                    if args.timings {
                        for (stage, time) in &rendered.timings {
                            let stage = stage_name(stage);
                            text.push_str(&format!("{stage:>10} {time:>10.1?}\n"));
                        }
                    }
                }
                Err(e) => {
                    let _ = writeln!(io::stderr(), "{}", budsjett::msg!("cli.error", message = e));
                    text.push_str(&format!("{}\n", budsjett::msg!("cli.not_written")));
                }
            }
            // A closed output pipe ends nothing here: the watcher keeps rendering.
            let _ = out.print(&text);
        },
    )
    .map_err(|e| Failure::NotMade(budsjett::msg!("cli.watch_failed", e)))
}

/// The render options the arguments ask for; refused before any data is read or typeset
/// when the PDF settings contradict each other.
fn render_options(args: &RenderArgs) -> Result<RenderOptions, Failure> {
    let format = match args.format {
        Format::Pdf => {
            if let Some(key) = [
                ("--pages", args.pages.is_some()),
                ("--ppi", args.ppi.is_some()),
            ]
            .iter()
            .find_map(|(key, given)| given.then_some(key))
            {
                return Err(Failure::Usage(budsjett::msg!("cli.png_only", key)));
            }
            OutputFormat::Pdf
        }
        Format::Png => OutputFormat::Png {
            ppi: args.ppi.unwrap_or(96),
            pages: args.pages.clone().unwrap_or_default().0,
        },
    };
    let options = RenderOptions {
        config: args.config.clone(),
        templates: templates_folder(&args.templates)?,
        output: args.output.clone(),
        format,
        pdf: PdfSettings {
            tagged: !args.no_tags,
            standards: pdf_standards(&args.pdf_standard)?,
        },
        keep_source: args.keep_source,
    };
    // Refused before any data is read or typeset.
    if let Some(problem) = options.pdf.problem() {
        return Err(Failure::Usage(problem));
    }
    Ok(options)
}

/// `--templates`: the folder whose files override the built-in templates. The default
/// `templates` may be missing (the built-in templates alone); a folder named otherwise must
/// exist, so that a misspelt one is refused rather than silently replaced by the built-ins.
fn templates_folder(folder: &std::path::Path) -> Result<PathBuf, Failure> {
    if folder != std::path::Path::new(DEFAULT_TEMPLATES) && !folder.is_dir() {
        let folder = folder.display();
        return Err(Failure::Usage(budsjett::msg!(
            "cli.no_templates_folder",
            folder
        )));
    }
    // A folder named with --templates overrides the built-in files it has: one holding none
    // of a template folder's kinds of file is the wrong folder, not an empty override.
    if folder != std::path::Path::new(DEFAULT_TEMPLATES) && !holds_templates(folder) {
        let folder = folder.display();
        return Err(Failure::Usage(budsjett::msg!(
            "cli.not_templates_folder",
            folder
        )));
    }
    Ok(folder.to_path_buf())
}

/// Whether `folder` holds a template, a Typst file or one of the templates' sub-folders.
fn holds_templates(folder: &std::path::Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".typ.j2")
                || name.ends_with(".typ")
                || matches!(name.as_str(), "words" | "areas" | "programmes")
        })
    })
}

fn check(args: &CheckArgs, out: &mut Out) -> Result<(), Failure> {
    let outcome = if args.profiles.is_empty() {
        budsjett::check::check_report(&args.config, &templates_folder(&args.templates)?)?
    } else {
        budsjett::check::check_profiles(&args.profiles)
    };
    out.print(&outcome.text)?;
    problems_found(outcome.problems.len())
}

/// Exit code 1 with the count when `check` (or the check after `profile` and `init`) found
/// problems.
fn problems_found(count: usize) -> Result<(), Failure> {
    if count == 0 {
        Ok(())
    } else {
        Err(Failure::Data(budsjett::msg!(
            "cli.problems_found",
            n = count
        )))
    }
}

/// The standards of `--pdf-standard`: `none` alone means none.
fn pdf_standards(list: &[Standard]) -> Result<Vec<PdfStandard>, Failure> {
    if list.contains(&Standard::None) && list.len() > 1 {
        return Err(Failure::Usage(budsjett::msg!("cli.none_with_others")));
    }
    Ok(list.iter().filter_map(|s| s.pdf()).collect())
}

fn explain(args: &ExplainArgs, out: &mut Out) -> Result<(), Failure> {
    let row = match &args.row {
        None => None,
        Some(text) => {
            let (paragraph, row) = text
                .split_once(':')
                .and_then(|(p, r)| Some((p.trim().to_string(), r.trim().parse::<u32>().ok()?)))
                .ok_or_else(|| {
                    let text = format!("{text:?}");
                    Failure::Usage(budsjett::msg!("cli.bad_row", text))
                })?;
            Some((paragraph, row))
        }
    };
    let query = budsjett::explain::Query {
        group: args.group.clone(),
        detail: args.detail.clone(),
        row,
        key_figure: args.key_figure.clone(),
        year: args.year,
        version: args.version.clone(),
        all: args.all,
        flow: args.flow.map(|f| match f {
            ExplainFlow::Expenses => budsjett::explain::Flow::Expenses,
            ExplainFlow::Income => budsjett::explain::Flow::Income,
        }),
        part: args.part.clone(),
    };
    let text = budsjett::explain::explain(&args.config, &args.templates, &query)?;
    out.print(&text)
}

fn profile(args: &ProfileArgs, out: &mut Out) -> Result<(), Failure> {
    let output = args.output.clone().unwrap_or_else(|| {
        let stem = args.export.file_stem().unwrap_or_default();
        PathBuf::from(stem).with_extension("toml")
    });
    if output.exists() {
        let file = output.display();
        return Err(Failure::Usage(budsjett::msg!("cli.profile_exists", file)));
    }
    let request = budsjett::guess::Request {
        export: &args.export,
        sheet: args.sheet.as_deref(),
        output: &output,
        year: args.year,
    };
    // The export cannot be read or gives nothing to guess from: a problem of the data.
    let text = budsjett::guess::guess(&request)
        .map_err(|message| Failure::Data(format!("{}: {message}", args.export.display())))?;
    budsjett::guess::write_new(&output, &text).map_err(Failure::NotMade)?;
    let wrote = budsjett::msg!("cli.wrote_profile", file = output.display());
    out.print(&format!("{wrote}\n"))?;
    check(
        &CheckArgs {
            config: PathBuf::from("data/report.toml"),
            templates: PathBuf::from("templates"),
            profiles: vec![output],
        },
        out,
    )
}

fn init(args: &InitArgs, out: &mut Out) -> Result<(), Failure> {
    let from = args.from.as_ref().map(|from| {
        // The export is named from the report folder's data/ folder; an absolute path keeps
        // it found whatever the current folder.
        std::path::absolute(from).unwrap_or_else(|_| from.clone())
    });
    let created = budsjett::init::init(&budsjett::init::Request {
        dir: &args.dir,
        from: from.as_deref().as_slice(),
        sheet: args.sheet.as_deref(),
    })
    // The folder cannot be made as asked (an existing report, an export that gives no
    // profile, a folder that cannot be written).
    .map_err(Failure::Usage)?;
    for file in &created.files {
        out.print(&format!(
            "{}\n",
            budsjett::msg!("cli.wrote", file = file.display())
        ))?;
    }
    out.print(&format!("{}\n", budsjett::msg!("cli.built_in_templates")))?;
    let outcome = budsjett::check::check_report(&created.config, &args.dir.join("templates"))?;
    out.print(&outcome.text)?;
    let next = budsjett::msg!("cli.next", dir = args.dir.display());
    out.print(&format!("{next}\n"))?;
    problems_found(outcome.problems.len())
}

/// `serve [DIR]`: the local page, until it is stopped from the page.
fn serve(args: &ServeArgs, out: &mut Out) -> Result<(), Failure> {
    let options = budsjett::serve::Options {
        dir: args.dir.clone(),
        max_upload: args
            .max_upload_mb
            .map_or(budsjett::serve::DEFAULT_MAX_UPLOAD, |mb| mb * 1024 * 1024),
    };
    let mut printed = Ok(());
    budsjett::serve::serve(&options, &mut |url| {
        printed = out.print(&format!("{}\n", budsjett::msg!("serve.listening", url)));
    })
    .map_err(Failure::NotMade)?;
    printed?;
    out.print(&format!("{}\n", budsjett::msg!("serve.stopped")))
}

/// `templates DIR`: the built-in templates (or KOSTRA tables) written out for editing.
fn templates(args: &TemplatesArgs, out: &mut Out) -> Result<(), Failure> {
    let set = if args.kostra {
        &budsjett::builtin::KOSTRA
    } else {
        &budsjett::builtin::TEMPLATES
    };
    let written = budsjett::builtin::write_out(set, &args.dir, &args.files, args.overwrite)
        .map_err(Failure::Usage)?;
    for file in written {
        out.print(&format!(
            "{}\n",
            budsjett::msg!("cli.wrote", file = file.display())
        ))?;
    }
    Ok(())
}

// Completions and the manual page are made in memory and written through `out`: clap's
// writers panic on a closed pipe.
fn completions(args: &CompletionsArgs, out: &mut Out) -> Result<(), Failure> {
    use clap::CommandFactory;
    let mut command = cli_words::localized(Cli::command());
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "budsjett", &mut script);
    out.print(&String::from_utf8_lossy(&script))
}

fn man(out: &mut Out) -> Result<(), Failure> {
    use clap::CommandFactory;
    let mut page = Vec::new();
    clap_mangen::Man::new(cli_words::localized(Cli::command()))
        .render(&mut page)
        .map_err(|e| {
            let e = budsjett::messages::io_error(&e);
            Failure::NotMade(budsjett::msg!("cli.cannot_make_man", e))
        })?;
    out.print(&String::from_utf8_lossy(&page))
}
