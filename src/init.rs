//! `budsjett init DIR [--from EXPORT]`: a new report folder that checks and renders at once.
//!
//! The folder follows the command line's defaults, so that `budsjett check` and `budsjett
//! render` need no options inside it: `data/report.toml`, the data beside it and, after
//! rendering, `output/`; the report uses the built-in templates and KOSTRA tables
//! ([`crate::builtin`]), which a `templates/` folder written by `budsjett templates`
//! overrides. Without `--from` the data is a
//! small example budget; with `--from EXPORT` it is a profile guessed by [`crate::guess`] and a
//! whole-budget report of that export (the local page gives several exports: a profile each,
//! and one report reading them all). The files' words live in `init/` (embedded), not here.
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
    /// The exports to build the report from, instead of the example: each gets its guessed
    /// profile, and the report reads them all.
    pub from: &'a [&'a Path],
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
        [] => {
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
        exports => files.extend(from_exports(&data, &config, exports, request.sheet)?),
    }
    // The sectors' prose to start from (issue 27), one Markdown file per group.
    files.extend(crate::prose::seed(&config)?);
    Ok(Created { config, files })
}

/// One export's guessed profile and where it goes.
struct Guess<'a> {
    export: &'a Path,
    profile: PathBuf,
    guessed: guess::Guessed,
}

/// Each export's guessed profile (named by the export's stem) and the report reading them
/// all; every guess is made before anything is written, and a failed write takes back the
/// files written before it, so that all or none are there.
fn from_exports(
    data: &Path,
    config: &Path,
    exports: &[&Path],
    sheet: Option<&str>,
) -> Result<Vec<PathBuf>, String> {
    let mut guesses: Vec<Guess> = Vec::new();
    for export in exports {
        let profile = data.join(format!("{}.toml", stem_of(export)));
        if let Some(earlier) = guesses.iter().find(|g| g.profile == profile) {
            return Err(crate::msg!(
                "init.same_profile",
                first = earlier.export.display(),
                second = export.display(),
                profile = profile.display()
            ));
        }
        let guessed = guess::guess_profile(&guess::Request {
            export,
            sheet,
            output: &profile,
            year: None,
        })
        .map_err(|message| format!("{}: {message}", export.display()))?;
        guesses.push(Guess {
            export,
            profile,
            guessed,
        });
    }
    let report = report_from(&guesses)?;
    let texts = guesses
        .iter()
        .map(|g| (g.profile.clone(), g.guessed.text.as_str()))
        .chain([(config.to_path_buf(), report.as_str())]);
    let mut written = Vec::new();
    for (path, text) in texts {
        if let Err(e) = guess::write_new(&path, text) {
            for file in &written {
                let _ = std::fs::remove_file(file);
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(written)
}

/// An export's file name without its extension (`eksport` when it has none).
fn stem_of(export: &Path) -> String {
    export
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "eksport".into())
}

/// The dimensions every export has, in the order of [`Role::ALL`].
fn common_roles(guesses: &[Guess]) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| guesses.iter().all(|g| g.guessed.roles.contains(r)))
        .collect()
}

/// The report configuration for the guessed profiles: grouped by a dimension every export
/// has, over the years and versions of them all.
fn report_from(guesses: &[Guess]) -> Result<String, String> {
    let (group_by, detail_by) = grouping(guesses)?;
    // The version: "budsjett" if there is one, else the one reaching furthest ahead.
    let mut years: std::collections::BTreeMap<&str, Vec<i32>> = Default::default();
    for ((year, version), (pos, neg)) in guesses.iter().flat_map(|g| &g.guessed.totals) {
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
    let (name, place) = name_and_place(&stem_of(guesses[0].export));
    let parts: std::collections::BTreeSet<&str> = guesses.iter().map(|g| g.guessed.part).collect();
    let part = match parts.len() {
        1 => guesses[0].guessed.part,
        _ => "both",
    };
    let mut env = minijinja::Environment::new();
    env.add_filter("toml", |value: String| {
        toml::Value::String(value).to_string()
    });
    env.add_template("report", FROM_EXPORT)
        .map_err(|e| e.to_string())?;
    let name_of = |path: &Path| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let profiles: Vec<String> = guesses.iter().map(|g| name_of(&g.profile)).collect();
    let exports: Vec<String> = guesses
        .iter()
        .map(|g| g.export.display().to_string())
        .collect();
    env.get_template("report")
        .and_then(|t| {
            t.render(minijinja::context! {
                export => exports.join(", "),
                profile => profiles.join(", "),
                profiles => profiles,
                name => name,
                place => place,
                first => first,
                last => last,
                part => part,
                version => version,
                versions => years.keys().copied().collect::<Vec<_>>().join(", "),
                group_by => group_by.name(),
                detail_by => detail_by.map(Role::name),
            })
        })
        .map_err(|e| e.to_string())
}

/// The dimension that groups the report's tables (`area` where every export has it, else the
/// first every export has) and the one listed inside each group (`service` likewise).
fn grouping(guesses: &[Guess]) -> Result<(Role, Option<Role>), String> {
    let roles = common_roles(guesses);
    let group_by = if roles.contains(&Role::Area) {
        Role::Area
    } else {
        roles.first().copied().ok_or_else(|| match guesses {
            [_] => crate::msg!("init.no_dimension"),
            _ => {
                let files: Vec<String> = guesses
                    .iter()
                    .map(|g| g.export.display().to_string())
                    .collect();
                crate::msg!("init.no_common_dimension", files = files.join(", "))
            }
        })?
    };
    let detail_by = if group_by != Role::Service && roles.contains(&Role::Service) {
        Some(Role::Service)
    } else {
        roles.iter().copied().find(|r| *r != group_by)
    };
    Ok((group_by, detail_by))
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
