//! Built-in files: the templates (with the words catalogues) and the KOSTRA tables are
//! compiled into the program (`build.rs` makes the table), so that the one program file works
//! in an empty folder. A local folder overrides them file by file ([`Overlay`]): a file the
//! folder has wins, the built-in one serves the rest, and a folder that does not exist
//! overrides nothing. This module owns both sets, that rule, and telling which local files
//! differ from the built-in ones (the colophon names those).

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// One built-in set of files, each by its `/`-separated path inside the folder it came from,
/// in path order.
#[derive(Debug)]
pub struct Set {
    /// The folder of the source tree the files come from, e.g. `templates`.
    pub source: &'static str,
    files: &'static [(&'static str, &'static [u8])],
}

/// `templates/`: the report templates, their Typst styles and the words catalogues.
pub static TEMPLATES: Set = Set {
    source: "templates",
    files: generated::TEMPLATES,
};

/// `data/kostra/`: the KOSTRA mapping of the statutory overviews, the transfer pairs and the
/// debt checks.
pub static KOSTRA: Set = Set {
    source: "data/kostra",
    files: generated::KOSTRA,
};

/// The source revision the program was built from (`git rev-parse --short HEAD`), none when
/// it was built outside a git checkout.
pub(crate) const REVISION: Option<&str> = generated::REVISION;

impl Set {
    /// The built-in file `name` (`/`-separated, inside the set's folder).
    pub fn get(&self, name: &str) -> Option<&'static [u8]> {
        self.files
            .binary_search_by(|(file, _)| (*file).cmp(name))
            .ok()
            .map(|i| self.files[i].1)
    }

    /// Every file, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&'static str, &'static [u8])> {
        self.files.iter().copied()
    }
}

/// Where a file was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The local folder's own file.
    Local,
    /// The built-in file (the local folder has none of that name).
    BuiltIn,
}

/// A file read through an [`Overlay`].
pub(crate) struct Found {
    pub bytes: Cow<'static, [u8]>,
    /// Where the file came from; only the tests ask.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) origin: Origin,
}

/// A local file that replaces a built-in one or adds to them, as the colophon names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct LocalFile {
    /// The path inside the folder, `/`-separated.
    pub name: String,
    /// Lowercase hexadecimal.
    pub(crate) sha256: String,
}

/// Which templates and words catalogue a report was made with, as its colophon states it:
/// the built-in ones of this program, but for the local files that differ from them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MadeFrom {
    /// The source revision of the built-in files ([`REVISION`]).
    pub(crate) revision: Option<&'static str>,
    /// The templates folder's files that replace or add to the built-in templates, and its
    /// catalogue of the report's language where that differs from the built-in one; empty
    /// when the report is made with the built-in templates and words alone.
    pub(crate) local: Vec<LocalFile>,
}

impl MadeFrom {
    /// What the templates folder `templates` changes for a report in `language`.
    pub(crate) fn of(
        templates: &Path,
        language: &str,
    ) -> Result<MadeFrom, crate::error::DataError> {
        let catalogue = format!("words/{language}.toml");
        let local = Overlay::templates(templates)
            .changed()
            .map_err(|e| {
                crate::error::DataError::new(
                    templates,
                    crate::msg!(
                        "builtin.cannot_read_templates",
                        e = crate::messages::io_error(&e)
                    ),
                )
            })?
            .into_iter()
            // Another language's catalogue prints nothing in this report.
            .filter(|f| !f.name.starts_with("words/") || f.name == catalogue)
            .collect();
        Ok(MadeFrom {
            revision: REVISION,
            local,
        })
    }
}

/// A local folder over a built-in set: the folder's files win, the built-in ones serve the
/// rest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Overlay<'a> {
    pub dir: &'a Path,
    set: &'static Set,
}

impl<'a> Overlay<'a> {
    pub(crate) fn new(dir: &'a Path, set: &'static Set) -> Self {
        Overlay { dir, set }
    }

    /// The templates: the folder `dir` over the built-in templates.
    pub(crate) fn templates(dir: &'a Path) -> Self {
        Overlay::new(dir, &TEMPLATES)
    }

    /// The KOSTRA tables: the folder `dir` over the built-in tables.
    pub(crate) fn kostra(dir: &'a Path) -> Self {
        Overlay::new(dir, &KOSTRA)
    }

    /// Where the local file `name` is (or would be).
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        name.split('/')
            .fold(self.dir.to_path_buf(), |p, c| p.join(c))
    }

    /// The file `name` (`/`-separated): the local one if the folder has it, else the built-in
    /// one; none when neither has it, or when the name reaches outside the folder.
    pub(crate) fn read(&self, name: &str) -> io::Result<Option<Found>> {
        if !is_inside(name) {
            return Ok(None);
        }
        match crate::input::read(&self.path(name)) {
            Ok(bytes) => Ok(Some(Found {
                bytes: Cow::Owned(bytes),
                origin: Origin::Local,
            })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Ok(self.set.get(name).map(|b| Found {
                    bytes: Cow::Borrowed(b),
                    origin: Origin::BuiltIn,
                }))
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the folder or the built-in set has the file `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        is_inside(name) && (self.set.get(name).is_some() || self.path(name).is_file())
    }

    /// The names of the files directly inside `folder` (`/`-separated, `""` for the top),
    /// local and built-in, sorted.
    pub(crate) fn names_in(&self, folder: &str) -> Vec<String> {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let mut names: Vec<String> = self
            .set
            .files()
            .filter_map(|(name, _)| name.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect();
        if let Ok(entries) = std::fs::read_dir(self.path(folder)) {
            names.extend(
                entries
                    .flatten()
                    .filter(|e| e.path().is_file())
                    .filter_map(|e| e.file_name().into_string().ok()),
            );
        }
        names.sort();
        names.dedup();
        names
    }

    /// The local files that differ from the built-in one of the same name, or that the
    /// built-in set does not have, in path order (hidden files and editors' backups left
    /// out). A local copy identical to the built-in file is the built-in file.
    pub(crate) fn changed(&self) -> io::Result<Vec<LocalFile>> {
        let mut found = Vec::new();
        walk(self.dir, "", &mut found, 0)?;
        found.sort();
        let mut changed = Vec::new();
        for (name, path) in found {
            let bytes = crate::input::read(&path)?;
            if self.set.get(&name) != Some(bytes.as_slice()) {
                changed.push(LocalFile {
                    name,
                    sha256: sha256(&bytes),
                });
            }
        }
        Ok(changed)
    }
}

/// The SHA-256 of `bytes` in lowercase hexadecimal, as `sha256sum` prints it.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// A digest in lowercase hexadecimal, as `sha256sum` prints it (the one place that spells a
/// hash; [`crate::fingerprint`] hashes files in pieces and prints them with it).
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a `/`-separated name stays inside its folder: no empty, `.` or `..` part, no
/// backslash or drive letter.
fn is_inside(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['\\', ':'])
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// The files under `dir`, with their `/`-separated names; a folder that does not exist has
/// none.
fn walk(
    dir: &Path,
    prefix: &str,
    found: &mut Vec<(String, PathBuf)>,
    depth: usize,
) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound && depth == 0 => return Ok(()),
        Err(e) => return Err(e),
    };
    // Deep enough for any templates folder; a link cycle stops here.
    if depth > 8 {
        return Ok(());
    }
    for entry in entries {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(&path, &format!("{prefix}{name}/"), found, depth + 1)?;
        } else {
            found.push((format!("{prefix}{name}"), path));
        }
    }
    Ok(())
}

/// Writes the built-in files of `set` into `dir` for editing: all of them, or only those
/// named. Refused before anything is written when a name is not built in, or when a file
/// exists and `overwrite` is not given. Returns the files written.
pub fn write_out(
    set: &'static Set,
    dir: &Path,
    only: &[String],
    overwrite: bool,
) -> Result<Vec<PathBuf>, String> {
    let overlay = Overlay::new(dir, set);
    let mut chosen = Vec::new();
    for name in only {
        let name = name.replace('\\', "/");
        let bytes = set.get(&name).ok_or_else(|| {
            let known: Vec<&str> = set.files().map(|(n, _)| n).collect();
            crate::msg!("builtin.no_such_file", name, known = known.join(", "))
        })?;
        chosen.push((overlay.path(&name), bytes));
    }
    if only.is_empty() {
        chosen = set.files().map(|(n, b)| (overlay.path(n), b)).collect();
    }
    if !overwrite && let Some((path, _)) = chosen.iter().find(|(path, _)| path.exists()) {
        return Err(crate::msg!("builtin.file_exists", file = path.display()));
    }
    for (path, _) in &chosen {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                crate::msg!(
                    "init.cannot_create_folder",
                    folder = parent.display(),
                    e = crate::messages::io_error(&e)
                )
            })?;
        }
    }
    let set: Vec<(PathBuf, &[u8])> = chosen;
    crate::write::write_set(&set, &[])
        .map_err(|e| format!("{}: {}", e.path.display(), e.message))?;
    let written = set.into_iter().map(|(path, _)| path).collect();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_and_kostra_table_is_built_in_in_path_order() {
        for set in [&TEMPLATES, &KOSTRA] {
            let names: Vec<&str> = set.files().map(|(n, _)| n).collect();
            assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        }
        for name in [
            "budsjett.typ.j2",
            "style.typ",
            "words/nb.toml",
            "words/nn.toml",
        ] {
            assert!(TEMPLATES.get(name).is_some(), "{name}");
        }
        for name in [
            "drift-rows.csv",
            "drift-mapping.csv",
            "transfers.csv",
            "debt-checks.csv",
        ] {
            assert!(KOSTRA.get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_local_file_wins_and_the_built_in_one_serves_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("style.typ"), "// mine\n").unwrap();
        // A copy identical to the built-in file is the built-in file.
        std::fs::write(
            dir.path().join("charts.typ"),
            TEMPLATES.get("charts.typ").unwrap(),
        )
        .unwrap();
        let overlay = Overlay::templates(dir.path());
        let own = overlay.read("style.typ").unwrap().unwrap();
        assert_eq!(
            (&*own.bytes, own.origin),
            (&b"// mine\n"[..], Origin::Local)
        );
        let built_in = overlay.read("compare.typ").unwrap().unwrap();
        assert_eq!(built_in.origin, Origin::BuiltIn);
        assert!(overlay.read("nothing.typ").unwrap().is_none());
        assert!(overlay.read("../Cargo.toml").unwrap().is_none());
        assert_eq!(
            overlay.changed().unwrap(),
            vec![LocalFile {
                name: "style.typ".into(),
                // printf '// mine\n' | sha256sum
                sha256: "3fcdf782ecc5a16be020e00cf1b33d17364a44d3ea04ef069b32cd3813f27eba".into(),
            }]
        );
    }
}
