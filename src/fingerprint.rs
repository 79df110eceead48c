//! Fingerprint: the SHA-256 of every file a report is made from (the configuration, the data
//! files, the mapping profiles and the exports they name, the KOSTRA mapping and the series),
//! and one digest over them all. The colophon prints it, the PDF's metadata carries it and
//! `budsjett check` prints the same, so that a printed copy can be matched to its data.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::aggregate::statutory::Statement;
use crate::config::Config;
use crate::error::DataError;
use crate::model::Part;

/// One input file and its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InputFile {
    /// What the file is to the report: `config`, `data`, `profile`, `export`, `kostra`, `debt`,
    /// `tiltak`, `projects`, `series` or `prose` (templates choose the words).
    pub role: &'static str,
    pub path: PathBuf,
    /// The path as printed: relative to the configuration's folder where it lies inside it,
    /// otherwise the file name.
    pub name: String,
    pub bytes: u64,
    /// Lowercase hexadecimal, as `sha256sum` prints it.
    pub(crate) sha256: String,
    /// A KOSTRA table built into the program (the report's folder has no such file, or a
    /// copy identical to the built-in one); its name is then the table's file name.
    pub(crate) built_in: bool,
}

/// Every input of a report, in a fixed order, and the digest over them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fingerprint {
    pub files: Vec<InputFile>,
    /// The SHA-256 of the files' SHA-256 values, each in lowercase hexadecimal followed by a
    /// newline, in the order of `files`: `sha256sum FILES | cut -c1-64 | sha256sum`.
    pub digest: String,
}

impl Fingerprint {
    /// Hashes every file `config` names, the profiles' exports included ([`inputs`]).
    pub(crate) fn of(config: &Config) -> Result<Fingerprint, DataError> {
        let base = config.path.parent().unwrap_or(Path::new("."));
        let wanted = inputs(config);
        let mut files = Vec::with_capacity(wanted.len());
        for (role, path) in wanted {
            let file = if role == "kostra" {
                kostra_table(base, path)?
            } else {
                let (bytes, sha256) = hash_file(&path).map_err(|e| read_error(&path, &e))?;
                InputFile {
                    role,
                    name: shown_name(base, &path),
                    path,
                    bytes,
                    sha256,
                    built_in: false,
                }
            };
            files.push(file);
        }
        let digest = digest_of(files.iter().map(|f| f.sha256.as_str()));
        Ok(Fingerprint { files, digest })
    }
}

/// A KOSTRA table as the report reads it: the folder's own file, else the built-in one.
fn kostra_table(base: &Path, path: PathBuf) -> Result<InputFile, DataError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let table = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let found = crate::builtin::Overlay::kostra(folder)
        .read(&table)
        .map_err(|e| read_error(&path, &e))?
        .ok_or_else(|| read_error(&path, &io::ErrorKind::NotFound.into()))?;
    let built_in = crate::builtin::KOSTRA.get(&table) == Some(&*found.bytes);
    Ok(InputFile {
        role: "kostra",
        name: if built_in {
            table
        } else {
            shown_name(base, &path)
        },
        bytes: found.bytes.len() as u64,
        sha256: crate::builtin::sha256(&found.bytes),
        path,
        built_in,
    })
}

/// Every file a report reads, with its role (`config`, `data`, `profile`, `export`, `kostra`,
/// `debt`, `series`), in a fixed order: the configuration, the chapter's data files, each
/// profile followed by the export it names, the KOSTRA files of the parts the sources cover
/// (as paths in the report's KOSTRA folder; where it has no such file the built-in table is
/// read),
/// the debt file and the series. A profile that cannot be read is listed without its export
/// (the report refuses it with its problems). `watch` watches these files too.
pub(crate) fn inputs(config: &Config) -> Vec<(&'static str, PathBuf)> {
    let mut wanted: Vec<(&'static str, PathBuf)> = vec![("config", config.path.clone())];
    if let Some(data) = &config.data {
        for path in [
            &data.areas,
            &data.programmes,
            &data.phases,
            &data.amounts,
            &data.milestones,
            &data.key_figures,
        ] {
            wanted.push(("data", path.clone()));
        }
        // The chapter's own text: its words and the figures it cites (from the files above).
        // The one listing of a prose folder (`load::prose`); a folder that cannot be read is
        // refused with its problems by the chapter's reader, `prose::chapter`.
        if let Some(folder) = &data.prose {
            for file in crate::load::prose::files(folder).0 {
                wanted.push(("prose", file));
            }
        }
    }
    if let Some(budget) = &config.budget {
        let mut parts = Vec::new();
        for profile in &budget.sources {
            if crate::load::kostra_file::is_kostra_file(profile) {
                wanted.push(("export", profile.clone()));
                for part in crate::load::kostra_file::parts_of(profile) {
                    if !parts.contains(&part) {
                        parts.push(part);
                    }
                }
                continue;
            }
            wanted.push(("profile", profile.clone()));
            // The export a profile names (a profile that cannot be read is refused with
            // its problems before a fingerprint is needed).
            if let Ok(p) = crate::load::profile::Profile::load(profile) {
                wanted.push(("export", p.file));
                if !parts.contains(&p.part) {
                    parts.push(p.part);
                }
            }
        }
        // The KOSTRA files of the parts the sources cover: the ones the report reads.
        if let Some(folder) = &budget.statutory {
            for part in [Part::Drift, Part::Investering] {
                if !parts.contains(&part) {
                    continue;
                }
                for statement in Statement::of(part) {
                    let (rows, mapping) = statement.files();
                    wanted.push(("kostra", folder.join(rows)));
                    wanted.push(("kostra", folder.join(mapping)));
                }
            }
            if parts.len() > 1 {
                wanted.push(("kostra", folder.join("transfers.csv")));
            }
            if budget.debt.is_some() {
                wanted.push(("kostra", folder.join("debt-checks.csv")));
            }
        }
        if let Some(file) = &budget.debt {
            wanted.push(("debt", file.clone()));
        }
        if let Some(file) = &budget.tiltak {
            wanted.push(("tiltak", file.clone()));
        }
        if let Some(file) = &budget.projects {
            wanted.push(("projects", file.clone()));
        }
        if let Some((file, _)) = &budget.fixed_prices {
            wanted.push(("series", file.clone()));
        }
        if let Some(file) = &budget.population {
            wanted.push(("series", file.clone()));
        }
        // The sectors' prose: its words and the figures it cites (the figures come from the
        // exports above). A folder that cannot be read is refused by `prose` with its problems.
        if let Some(folder) = &budget.prose {
            for file in crate::load::prose::files(folder).0 {
                wanted.push(("prose", file));
            }
        }
    }
    wanted
}

/// The SHA-256 of a list of SHA-256 values, each followed by a newline.
pub(crate) fn digest_of<'a>(hashes: impl Iterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for hash in hashes {
        hasher.update(hash.as_bytes());
        hasher.update(b"\n");
    }
    crate::builtin::hex(&hasher.finalize())
}

/// The size and SHA-256 of a file, read in pieces (an export can be large).
pub(crate) fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut file = crate::input::open(path)?;
    let mut hasher = Sha256::new();
    let bytes = io::copy(&mut file, &mut hasher)?;
    Ok((bytes, crate::builtin::hex(&hasher.finalize())))
}

fn shown_name(base: &Path, path: &Path) -> String {
    // Paths are joined to the folder without being normalised ("docs/reports/../x.toml").
    let inside = base
        .canonicalize()
        .ok()
        .zip(path.canonicalize().ok())
        .and_then(|(base, path)| path.strip_prefix(&base).ok().map(Path::to_path_buf));
    match inside {
        Some(p) => p.to_string_lossy().into_owned(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned()),
    }
}

fn read_error(path: &Path, error: &io::Error) -> DataError {
    DataError::new(
        path,
        crate::msg!(
            "fingerprint.unreadable",
            error = crate::messages::io_error(error)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_texts() {
        // Values from `printf 'abc' | sha256sum` and `printf '' | sha256sum`.
        let dir = tempfile::tempdir().unwrap();
        let abc = dir.path().join("abc");
        std::fs::write(&abc, "abc").unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, "").unwrap();
        assert_eq!(
            hash_file(&abc).unwrap(),
            (
                3,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_string()
            )
        );
        assert_eq!(
            hash_file(&empty).unwrap().1,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // `printf 'ba78…15ad\n' | sha256sum`
        assert_eq!(
            digest_of(
                ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"].into_iter()
            ),
            "620a3df236da0af638c2a61c86951463731998f91dbb3ed629f47b9fe00ad118"
        );
    }
}
