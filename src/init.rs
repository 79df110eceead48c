//! `budsjett init DIR [--from EXPORT]`: a new report folder that checks and renders at once.
//!
//! The folder follows the command line's defaults, so that `budsjett check` and `budsjett
//! render` need no options inside it: `data/report.toml`, the data beside it and, after
//! rendering, `output/`; the report uses the built-in templates and KOSTRA tables
//! ([`crate::builtin`]), which a `templates/` folder written by `budsjett templates`
//! overrides. Without `--from` the data is a
//! small example budget; with `--from EXPORT` it is a profile guessed by [`crate::guess`] and a
//! whole-budget report of that export. The files' words live in `init/` (embedded), not here.
//! Nothing that exists is overwritten.

use std::path::{Path, PathBuf};

use crate::guess;
use crate::model::Role;

const EXAMPLE_REPORT: &str = include_str!("../init/example/report.toml");
const EXAMPLE_PROFILE: &str = include_str!("../init/example/budsjett.toml");
const EXAMPLE_EXPORT: &str = include_str!("../init/example/budsjett.csv");
const FROM_EXPORT: &str = include_str!("../init/from-export.toml.j2"); // not a message: a file

/// What to create.
pub struct Request<'a> {
    /// The report folder (created if missing).
    pub dir: &'a Path,
    /// The export to build the report from, instead of the example.
    pub from: Option<&'a Path>,
    pub sheet: Option<&'a str>,
}

/// What was created.
pub struct Created {
    pub config: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Creates the report folder.
pub fn init(request: &Request) -> Result<Created, String> {
    let data = request.dir.join("data");
    let config = data.join("report.toml");
    if config.exists() {
        return Err(crate::msg!("init.config_exists", file = config.display()));
    }
    std::fs::create_dir_all(&data).map_err(|e| {
        crate::msg!(
            "init.cannot_create_folder",
            folder = data.display(),
            e = crate::messages::io_error(&e)
        )
    })?;
    let mut files = Vec::new();
    match request.from {
        None => {
            for (name, text) in [
                ("budsjett.csv", EXAMPLE_EXPORT),
                ("budsjett.toml", EXAMPLE_PROFILE),
                ("report.toml", EXAMPLE_REPORT),
            ] {
                let path = data.join(name);
                guess::write_new(&path, text)?;
                files.push(path);
            }
        }
        Some(export) => {
            let stem = export
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "eksport".into());
            let profile = data.join(format!("{stem}.toml"));
            let guessed = guess::guess_profile(&guess::Request {
                export,
                sheet: request.sheet,
                output: &profile,
                year: None,
            })
            .map_err(|message| format!("{}: {message}", export.display()))?;
            let report = report_from(&guessed, export, &profile, &stem)?;
            guess::write_new(&profile, &guessed.text)?;
            files.push(profile);
            guess::write_new(&config, &report)?;
            files.push(config.clone());
        }
    }
    // The sectors' prose to start from (issue 27), one Markdown file per group.
    files.extend(crate::prose::seed(&config)?);
    Ok(Created { config, files })
}

/// The report configuration for a guessed profile.
fn report_from(
    guessed: &guess::Guessed,
    export: &Path,
    profile: &Path,
    stem: &str,
) -> Result<String, String> {
    let group_by = if guessed.roles.contains(&Role::Area) {
        Role::Area
    } else {
        guessed
            .roles
            .first()
            .copied()
            .ok_or_else(|| crate::msg!("init.no_dimension"))?
    };
    let detail_by = if group_by != Role::Service && guessed.roles.contains(&Role::Service) {
        Some(Role::Service)
    } else {
        guessed.roles.iter().copied().find(|r| *r != group_by)
    };
    // The version: "budsjett" if there is one, else the one reaching furthest ahead.
    let mut years: std::collections::BTreeMap<&str, Vec<i32>> = Default::default();
    for ((year, version), (pos, neg)) in &guessed.totals {
        if !pos.is_zero() || !neg.is_zero() {
            years.entry(version.as_str()).or_default().push(*year);
        }
    }
    let version = years
        .keys()
        .find(|v| v.eq_ignore_ascii_case("budsjett"))
        .copied()
        .or_else(|| {
            years
                .iter()
                .max_by_key(|(_, y)| (y.iter().max().copied(), y.len()))
                .map(|(v, _)| *v)
        })
        .ok_or_else(|| crate::msg!("init.no_amounts"))?;
    let plan = &years[version];
    let (first, last) = (
        plan.iter().min().copied().unwrap_or(0),
        plan.iter().max().copied().unwrap_or(0),
    );
    let (name, place) = name_and_place(stem);
    let mut env = minijinja::Environment::new();
    env.add_filter("toml", |value: String| {
        toml::Value::String(value).to_string()
    });
    env.add_template("report", FROM_EXPORT)
        .map_err(|e| e.to_string())?;
    let profile_name = profile
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    env.get_template("report")
        .and_then(|t| {
            t.render(minijinja::context! {
                export => export.display().to_string(),
                profile => profile_name,
                name => name,
                place => place,
                first => first,
                last => last,
                part => guessed.part,
                version => version,
                versions => years.keys().copied().collect::<Vec<_>>().join(", "),
                group_by => group_by.name(),
                detail_by => detail_by.map(Role::name),
            })
        })
        .map_err(|e| e.to_string())
}

/// The report's file name from the export's (lower case, other characters as `-`) and the
/// place its first word names, capitalised.
fn name_and_place(stem: &str) -> (String, String) {
    let name: String = stem
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let place: String = stem
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    (name, place)
}
