//! The `budsjett` command line: parses arguments, runs the pipeline, prints errors for people.

use std::path::PathBuf;
use std::process::ExitCode;

use budsjett::{OutputFormat, PdfSettings, RenderOptions};
use clap::{Args, Parser, Subcommand, ValueEnum};
use typst_pdf::PdfStandard;

/// Turns a municipality's budget and timeline data into the PDF report its council reads.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Render a report (the default when no command is given).
    Render(RenderArgs),
    /// Render the report, then render it again whenever report.toml, a data file, a
    /// profile or its export, a series, the KOSTRA mapping or a template changes (Ctrl-C
    /// stops). An error is printed and the last good output stays.
    Watch(RenderArgs),
    /// Read every source of a report without typesetting; list what was found and every
    /// problem. Exit code 0 when clean.
    Check(CheckArgs),
    /// Show where a printed figure comes from: the source lines, their exact sum, the
    /// rounding applied and the printed figure.
    Explain(ExplainArgs),
    /// Guess a mapping profile from an export, write it commented (never over an existing
    /// file), then check the export through it and print the totals.
    Profile(ProfileArgs),
    /// Create a report folder that checks and renders at once: data/report.toml with every
    /// key commented, a small example budget (or, with --from, a profile guessed from an
    /// export), and a copy of the templates.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout: `budsjett man > budsjett.1`.
    Man,
}

#[derive(Args)]
struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

#[derive(Args)]
struct InitArgs {
    /// The report folder to create.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Build the report from this export (CSV or workbook) instead of the example.
    #[arg(long)]
    from: Option<PathBuf>,
    /// With --from a workbook: the sheet (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// The templates to copy into the report folder.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
}

#[derive(Args)]
struct ProfileArgs {
    /// The export: a CSV file (any dialect the importer reads) or a workbook.
    export: PathBuf,
    /// The workbook's sheet (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Where to write the profile (default: <export name>.toml in the current folder).
    #[arg(long)]
    output: Option<PathBuf>,
    /// The budget year, for a long export with no year column and no year in its name.
    #[arg(long)]
    year: Option<i32>,
}

#[derive(Args)]
struct ExplainArgs {
    /// The report configuration.
    #[arg(long, default_value = "data/report.toml")]
    config: PathBuf,
    /// A group (code or name), e.g. 18A.
    #[arg(long)]
    group: Option<String>,
    /// A detail inside the group (code or name).
    #[arg(long)]
    detail: Option<String>,
    /// A row of a statutory overview, as paragraph:row, e.g. 5-4:6.
    #[arg(long)]
    row: Option<String>,
    /// The year (default: the first plan year).
    #[arg(long)]
    year: Option<i32>,
    /// The version (default: the one the report's tables show), e.g. a compared version.
    #[arg(long)]
    version: Option<String>,
    /// List every source line (by default the first 60; all are in the sum).
    #[arg(long)]
    all: bool,
    /// Only the expenses or the income of a group, as the table of expenses, income and net
    /// prints them (default: the net).
    #[arg(long, value_enum)]
    flow: Option<ExplainFlow>,
    /// The part: drift or investering (default: the first that has the group).
    #[arg(long)]
    part: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    /// The report configuration whose sources to check.
    #[arg(long, default_value = "data/report.toml")]
    config: PathBuf,
    /// The templates folder (check renders the template, without typesetting).
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// Check these mapping profiles (and their exports) instead of a report.
    #[arg(long = "profile")]
    profiles: Vec<PathBuf>,
}

#[derive(Args, Default)]
struct RenderArgs {
    /// The report configuration.
    #[arg(long, default_value = "data/report.toml")]
    config: PathBuf,
    /// The templates folder; Typst may read nothing outside it.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// Where the PDF (or PNG pages) are written.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// pdf, or png for page previews.
    #[arg(long, value_enum, default_value_t = Format::Pdf)]
    format: Format,
    /// With --format png: the pages to render, e.g. "1,3-5" (default: all).
    #[arg(long)]
    pages: Option<String>,
    /// With --format png: pixels per inch.
    #[arg(long, default_value_t = 96)]
    ppi: u32,
    /// PDF standards, comma separated: a-2a, ua-1, a-2b, a-3a, 1.7, 2.0, … or "none".
    #[arg(long, default_value = "a-2a,ua-1")]
    pdf_standard: String,
    /// Leave out the PDF's structure tags (smaller, not accessible; only with --pdf-standard
    /// none or standards that do not require tags).
    #[arg(long)]
    no_tags: bool,
    /// Also write the generated Typst source as output/<name>.typ.
    #[arg(long)]
    keep_source: bool,
    /// Print how long each stage took.
    #[arg(long)]
    timings: bool,
    /// One PDF per value of this dimension (e.g. area): output/<name>-<code>.pdf, each with
    /// the sector's own tables and the municipality's totals, rendered in parallel.
    #[arg(long, value_name = "DIMENSION")]
    each: Option<String>,
    /// With --each: how many sectors to render at once (default: one per core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// No progress display (it is shown only when stderr is a terminal anyway).
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Render(args)) => run(&args),
        Some(Command::Watch(args)) => watch(&args),
        Some(Command::Check(args)) => check(&args),
        Some(Command::Explain(args)) => explain(&args),
        Some(Command::Profile(args)) => profile(&args),
        Some(Command::Init(args)) => init(&args),
        Some(Command::Completions(args)) => completions(&args),
        Some(Command::Man) => man(),
        None => run(&RenderArgs::parse_defaults()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
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

fn run(args: &RenderArgs) -> Result<(), String> {
    if args.each.is_some() {
        return each(args);
    }
    let options = render_options(args)?;
    let progress = budsjett::progress::Progress::new(args.quiet);
    progress.stage("reading and summing");
    let rendered = budsjett::prepare(&options.config, &options.templates)
        .and_then(|prepared| {
            budsjett::finish(
                &options,
                prepared,
                &|s| progress.stage(s),
                &mut budsjett::typeset::Session::default(),
            )
        })
        .map_err(|e| e.to_string());
    progress.finish();
    let rendered = rendered?;
    for warning in &rendered.warnings {
        eprintln!("{warning}");
    }
    for file in &rendered.files {
        println!("wrote {} ({} pages)", file.display(), rendered.pages);
    }
    if args.timings {
        for (stage, time) in &rendered.timings {
            println!("{stage:>10} {time:>10.1?}");
        }
    }
    Ok(())
}

/// `render --each`: one PDF per sector; a failed sector is named and the others written.
fn each(args: &RenderArgs) -> Result<(), String> {
    let role = args.each.clone().unwrap_or_default();
    if args.format != Format::Pdf || args.keep_source {
        return Err(format!(
            "--each {role}: writes one PDF per sector; --format png and --keep-source are for \
             one report"
        ));
    }
    let options = budsjett::each::EachOptions {
        config: args.config.clone(),
        templates: args.templates.clone(),
        output: args.output.clone(),
        pdf: PdfSettings {
            tagged: !args.no_tags,
            ..parse_standards(&args.pdf_standard)?
        },
        role,
        jobs: args.jobs,
    };
    if let Some(problem) = options.pdf.problem() {
        return Err(problem);
    }
    let progress = budsjett::progress::Progress::new(args.quiet);
    let clock = std::time::Instant::now();
    let report = budsjett::each::render_each(&options, &progress).map_err(|e| e.to_string());
    drop(progress);
    let report = report?;
    for warning in &report.warnings {
        eprintln!("{warning}");
    }
    for outcome in &report.outcomes {
        match &outcome.result {
            Ok(pages) => println!("wrote {} ({pages} pages)", outcome.file.display()),
            Err(message) => eprintln!("error: {}: {message}", outcome.sector.label()),
        }
    }
    if args.timings {
        for outcome in &report.outcomes {
            println!("{:>10.1?} {}", outcome.time, outcome.sector.label());
        }
        println!(
            "{:>10.1?} in all, {} sectors on {} workers",
            clock.elapsed(),
            report.outcomes.len(),
            report.workers
        );
    }
    match report.failed() {
        0 => Ok(()),
        n => Err(format!(
            "{n} of {} sector reports failed (named above); the others were written",
            report.outcomes.len()
        )),
    }
}

/// `watch`: renders, then renders again on every change of an input, until stopped.
fn watch(args: &RenderArgs) -> Result<(), String> {
    if args.each.is_some() {
        return Err("watch renders one report; --each is for render".to_string());
    }
    let options = render_options(args)?;
    if let Some(problem) = options.pdf.problem() {
        return Err(problem);
    }
    println!(
        "watching the inputs of {} (Ctrl-C stops)",
        options.config.display()
    );
    let progress = budsjett::progress::Progress::new(args.quiet);
    // A test may stop the watcher after this many renders.
    let limit = std::env::var("BUDSJETT_WATCH_RENDERS")
        .ok()
        .and_then(|n| n.parse().ok());
    // The typst world, kept between renders.
    let mut session = budsjett::typeset::Session::default();
    budsjett::watch::watch(
        &options.config,
        &options.templates,
        &options.output,
        budsjett::watch::Timing::default(),
        limit,
        || {
            progress.stage("reading and summing");
            let result =
                budsjett::prepare(&options.config, &options.templates).and_then(|prepared| {
                    budsjett::finish(&options, prepared, &|s| progress.stage(s), &mut session)
                });
            progress.stage("waiting for a change");
            result
        },
        |result, time, changed| {
            for path in changed {
                println!("changed: {}", path.display());
            }
            match result {
                Ok(rendered) => {
                    for warning in &rendered.warnings {
                        eprintln!("{warning}");
                    }
                    for file in &rendered.files {
                        println!(
                            "wrote {} ({} pages) in {} ms",
                            file.display(),
                            rendered.pages,
                            time.as_millis()
                        );
                    }
                    if args.timings {
                        for (stage, time) in &rendered.timings {
                            println!("{stage:>10} {time:>10.1?}");
                        }
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    println!("not written (the error is above); the last output stays");
                }
            }
        },
    );
    Ok(())
}

fn render_options(args: &RenderArgs) -> Result<RenderOptions, String> {
    let format = match args.format {
        Format::Pdf => OutputFormat::Pdf,
        Format::Png => OutputFormat::Png {
            ppi: args.ppi.clamp(18, 600),
            pages: parse_pages(args.pages.as_deref().unwrap_or(""))?,
        },
    };
    let options = RenderOptions {
        config: args.config.clone(),
        templates: args.templates.clone(),
        output: args.output.clone(),
        format,
        pdf: PdfSettings {
            tagged: !args.no_tags,
            ..parse_standards(&args.pdf_standard)?
        },
        keep_source: args.keep_source,
    };
    // Refused before any data is read or typeset.
    if let Some(problem) = options.pdf.problem() {
        return Err(problem);
    }
    Ok(options)
}

fn check(args: &CheckArgs) -> Result<(), String> {
    let outcome = if args.profiles.is_empty() {
        budsjett::check::check_report(&args.config, &args.templates).map_err(|e| e.to_string())?
    } else {
        let mut outcome = budsjett::check::check_profiles(&args.profiles);
        budsjett::check::finish_profiles(&mut outcome);
        outcome
    };
    print!("{}", outcome.text);
    if outcome.problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problem(s) found; see the list above",
            outcome.problems.len()
        ))
    }
}

fn parse_standards(list: &str) -> Result<PdfSettings, String> {
    if list.trim() == "none" {
        return Ok(PdfSettings {
            standards: Vec::new(),
            tagged: true,
        });
    }
    let standards = list
        .split(',')
        .map(|name| {
            let name = name.trim();
            serde_plain_standard(name).ok_or_else(|| {
                format!(
                    "--pdf-standard: found {name:?}, expected a comma-separated list of \
                     1.4, 1.5, 1.6, 1.7, 2.0, a-1b, a-1a, a-2b, a-2u, a-2a, a-3b, a-3u, a-3a, \
                     a-4, a-4f, a-4e, ua-1, or none"
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PdfSettings {
        standards,
        tagged: true,
    })
}

fn serde_plain_standard(name: &str) -> Option<PdfStandard> {
    use PdfStandard::*;
    Some(match name {
        "1.4" => V_1_4,
        "1.5" => V_1_5,
        "1.6" => V_1_6,
        "1.7" => V_1_7,
        "2.0" => V_2_0,
        "a-1b" => A_1b,
        "a-1a" => A_1a,
        "a-2b" => A_2b,
        "a-2u" => A_2u,
        "a-2a" => A_2a,
        "a-3b" => A_3b,
        "a-3u" => A_3u,
        "a-3a" => A_3a,
        "a-4" => A_4,
        "a-4f" => A_4f,
        "a-4e" => A_4e,
        "ua-1" => Ua_1,
        _ => return None,
    })
}

fn parse_pages(text: &str) -> Result<Vec<(usize, usize)>, String> {
    let bad = || format!("--pages: found {text:?}, expected pages such as 1,3-5");
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
        .collect()
}

fn explain(args: &ExplainArgs) -> Result<(), String> {
    let row = match &args.row {
        None => None,
        Some(text) => {
            let (paragraph, row) = text
                .split_once(':')
                .and_then(|(p, r)| Some((p.trim().to_string(), r.trim().parse::<u32>().ok()?)))
                .ok_or_else(|| {
                    format!("--row: found {text:?}, expected paragraph:row such as 5-4:6")
                })?;
            Some((paragraph, row))
        }
    };
    let query = budsjett::explain::Query {
        group: args.group.clone(),
        detail: args.detail.clone(),
        row,
        year: args.year,
        version: args.version.clone(),
        all: args.all,
        flow: args.flow.map(|f| match f {
            ExplainFlow::Expenses => budsjett::explain::Flow::Expenses,
            ExplainFlow::Income => budsjett::explain::Flow::Income,
        }),
        part: args.part.clone(),
    };
    let text = budsjett::explain::explain(&args.config, &query).map_err(|e| e.to_string())?;
    print!("{text}");
    Ok(())
}

fn profile(args: &ProfileArgs) -> Result<(), String> {
    let output = args.output.clone().unwrap_or_else(|| {
        let stem = args.export.file_stem().unwrap_or_default();
        PathBuf::from(stem).with_extension("toml")
    });
    if output.exists() {
        return Err(format!(
            "{}: found an existing file, expected none: a profile is never overwritten; \
             remove it or name another file with --output",
            output.display()
        ));
    }
    let request = budsjett::guess::Request {
        export: &args.export,
        sheet: args.sheet.as_deref(),
        output: &output,
        year: args.year,
    };
    let text = budsjett::guess::guess(&request)
        .map_err(|message| format!("{}: {message}", args.export.display()))?;
    budsjett::guess::write_new(&output, &text)?;
    println!(
        "wrote {} (read it: every guess says why and how sure)",
        output.display()
    );
    check(&CheckArgs {
        config: PathBuf::from("data/report.toml"),
        templates: PathBuf::from("templates"),
        profiles: vec![output],
    })
}

fn init(args: &InitArgs) -> Result<(), String> {
    let from = args.from.as_ref().map(|from| {
        // The export is named from the report folder's data/ folder; an absolute path keeps
        // it found whatever the current folder.
        std::path::absolute(from).unwrap_or_else(|_| from.clone())
    });
    let created = budsjett::init::init(&budsjett::init::Request {
        dir: &args.dir,
        from: from.as_deref(),
        sheet: args.sheet.as_deref(),
        templates: &args.templates,
    })?;
    for file in created
        .files
        .iter()
        .filter(|f| !f.starts_with(&created.templates))
    {
        println!("wrote {}", file.display());
    }
    println!("copied the templates to {}", created.templates.display());
    let outcome = budsjett::check::check_report(&created.config, &created.templates)
        .map_err(|e| e.to_string())?;
    print!("{}", outcome.text);
    println!(
        "next: cd {} && budsjett check && budsjett render (or budsjett watch while you edit)",
        args.dir.display()
    );
    if outcome.problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problem(s) found; see the list above",
            outcome.problems.len()
        ))
    }
}

fn completions(args: &CompletionsArgs) -> Result<(), String> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "budsjett", &mut std::io::stdout());
    Ok(())
}

fn man() -> Result<(), String> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command())
        .render(&mut std::io::stdout())
        .map_err(|e| format!("cannot write the manual page: {e}"))
}
