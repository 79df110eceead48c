//! Output sets: files that replace an earlier set in one output folder as a whole, such as
//! `render --each`'s sector PDFs. The folder's manifest `.<set>.set` lists the set's files, one
//! name a line, so that a new set removes the files of the old one it does not replace (a
//! sector that no longer exists) and nothing else in the folder.
//!
//! A new set is written into a fresh staging folder inside the output folder,
//! `.<set>.<pid>.partial/`. Only when every file is there is its manifest written into it (the
//! sign that it is complete) and the set swapped in: the old files are moved aside into the
//! staging folder, the new ones moved into their places, the manifest replaced and the staging
//! folder removed. A run that fails or is killed before the swap leaves the old set as it was;
//! the next run removes the staging folder of a process that no longer runs, or, where it was
//! complete, finishes its swap. So a kill leaves the old set or the new one, never a mix.
//!
//! The caller holds the folder's [`crate::write::FolderLock`]: one writer per folder.

use std::path::{Path, PathBuf};

use crate::error::OutputError;

/// A new set being written, not yet swapped in.
pub(crate) struct Staging {
    /// The output folder.
    output: PathBuf,
    /// The set's name: its manifest is `.<name>.set`.
    name: String,
    /// `.<name>.<pid>.partial/` inside the output folder.
    dir: PathBuf,
}

impl Staging {
    /// Starts a new set `name` in `output`: finishes the complete set a killed run left,
    /// removes an incomplete one, and makes a fresh staging folder.
    pub(crate) fn begin(output: &Path, name: &str) -> Result<Staging, OutputError> {
        let fail = |message: String| OutputError {
            path: output.to_path_buf(),
            message,
        };
        std::fs::create_dir_all(output).map_err(|e| {
            fail(crate::msg!(
                "write.cannot_create_folder",
                e = crate::messages::io_error(&e)
            ))
        })?;
        for leftover in leftovers(output, name) {
            let staging = Staging {
                output: output.to_path_buf(),
                name: name.to_string(),
                dir: leftover,
            };
            if staging.dir.join(staging.manifest_name()).is_file() {
                staging.swap()?;
            } else {
                staging.abandon();
            }
        }
        let dir = output.join(format!(".{name}.{}.partial", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|e| {
            fail(crate::msg!(
                "output.cannot_create_temporary",
                e = crate::messages::io_error(&e)
            ))
        })?;
        Ok(Staging {
            output: output.to_path_buf(),
            name: name.to_string(),
            dir,
        })
    }

    /// The folder the new set's files are written to.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the new set in, once every one of `files` (names) is in [`Staging::dir`]. On an
    /// error the old set is put back where it can be.
    pub(crate) fn commit(self, files: &[String]) -> Result<(), OutputError> {
        for file in files {
            let target = self.output.join(file);
            if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_file()) {
                let error = OutputError {
                    path: target,
                    message: crate::msg!("output.not_a_file"),
                };
                self.abandon();
                return Err(error);
            }
        }
        let manifest = self.dir.join(self.manifest_name());
        let text: String = files.iter().map(|f| format!("{f}\n")).collect();
        if let Err(error) = crate::write::write_atomically(&manifest, text.as_bytes()) {
            self.abandon();
            return Err(error);
        }
        self.swap()
    }

    /// Removes the staging folder and what it holds: the old set stays.
    pub(crate) fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    fn manifest_name(&self) -> String {
        format!(".{}.set", self.name)
    }

    /// Moves the old set aside and the new one in (see the module's documentation); safe to
    /// run again on a swap that a kill interrupted.
    fn swap(self) -> Result<(), OutputError> {
        let manifest = self.manifest_name();
        let new = read_manifest(&self.dir.join(&manifest));
        let old = read_manifest(&self.output.join(&manifest));
        let aside = self.dir.join("old");
        let _ = std::fs::create_dir_all(&aside);
        let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
        for name in old.iter().chain(&new) {
            let (target, staged) = (self.output.join(name), self.dir.join(name));
            // A new file already in place (an interrupted swap) stays.
            let placed = new.contains(name) && !staged.exists();
            if placed || !std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
                continue;
            }
            if let Err(e) = std::fs::rename(&target, aside.join(name)) {
                put_back(&moved);
                return Err(held_open(&target, &e));
            }
            moved.push((aside.join(name), target));
        }
        for name in &new {
            let (target, staged) = (self.output.join(name), self.dir.join(name));
            if !staged.exists() {
                continue;
            }
            if let Err(e) = std::fs::rename(&staged, &target) {
                put_back(&moved);
                return Err(held_open(&target, &e));
            }
        }
        std::fs::rename(self.dir.join(&manifest), self.output.join(&manifest)).map_err(|e| {
            OutputError {
                path: self.output.join(&manifest),
                message: crate::msg!(
                    "output.cannot_write_list",
                    e = crate::messages::io_error(&e)
                ),
            }
        })?;
        self.abandon();
        Ok(())
    }
}

/// Moves files set aside back where they were.
fn put_back(moved: &[(PathBuf, PathBuf)]) {
    for (aside, target) in moved {
        let _ = std::fs::rename(aside, target);
    }
}

/// A file that cannot be replaced: on Windows, most often a PDF reader holds it open.
fn held_open(target: &Path, error: &std::io::Error) -> OutputError {
    OutputError {
        path: target.to_path_buf(),
        message: crate::msg!("output.cannot_replace", error),
    }
}

/// The file names a manifest lists (none when there is no manifest). Only plain names are
/// taken, so an edited manifest cannot point outside the folder.
fn read_manifest(path: &Path) -> Vec<String> {
    let text = crate::input::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|name| {
            let path = Path::new(name);
            !name.is_empty() && path.file_name() == Some(path.as_os_str()) && !name.starts_with('.')
        })
        .map(str::to_string)
        .collect()
}

/// The staging folders of set `name` in `output` that processes no longer running left.
fn leftovers(output: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(output) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.");
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|entry| {
            let file_name = entry.file_name();
            let Some(pid) = file_name
                .to_str()
                .and_then(|n| n.strip_prefix(&prefix))
                .and_then(|n| n.strip_suffix(".partial"))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                return false;
            };
            pid != std::process::id() && !crate::write::running(pid)
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn set(output: &Path, files: &[(&str, &str)]) {
        let staging = Staging::begin(output, "r").unwrap();
        for (name, text) in files {
            std::fs::write(staging.dir().join(name), text).unwrap();
        }
        let list: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
        staging.commit(&list).unwrap();
    }

    #[test]
    fn a_new_set_replaces_the_old_and_leaves_other_files() {
        let output = tempfile::tempdir().unwrap();
        std::fs::write(output.path().join("r.pdf"), "whole report").unwrap();
        set(output.path(), &[("r-1.pdf", "one"), ("r-2.pdf", "two")]);
        set(
            output.path(),
            &[("r-2.pdf", "two again"), ("r-3.pdf", "three")],
        );
        assert_eq!(
            names(output.path()),
            [".r.set", "r-2.pdf", "r-3.pdf", "r.pdf"]
        );
        let read = |n: &str| std::fs::read_to_string(output.path().join(n)).unwrap();
        assert_eq!(read("r-2.pdf"), "two again");
        assert_eq!(read("r.pdf"), "whole report");
        assert_eq!(read(".r.set"), "r-2.pdf\nr-3.pdf\n");
    }

    #[test]
    fn an_unfinished_set_of_a_dead_run_is_dropped_and_a_complete_one_swapped_in() {
        let output = tempfile::tempdir().unwrap();
        set(output.path(), &[("r-1.pdf", "old")]);
        // A run killed while rendering: no manifest in its folder. No process has the
        // largest pid.
        let dead = output.path().join(".r.4194305.partial");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("r-9.pdf"), "half a set").unwrap();
        let staging = Staging::begin(output.path(), "r").unwrap();
        staging.abandon();
        assert_eq!(names(output.path()), [".r.set", "r-1.pdf"]);
        // A run killed in its swap: complete (its manifest there), one new file moved in.
        std::fs::create_dir_all(dead.join("old")).unwrap();
        std::fs::rename(output.path().join("r-1.pdf"), dead.join("old/r-1.pdf")).unwrap();
        std::fs::write(output.path().join("r-2.pdf"), "new two").unwrap();
        std::fs::write(dead.join("r-3.pdf"), "new three").unwrap();
        std::fs::write(dead.join(".r.set"), "r-2.pdf\nr-3.pdf\n").unwrap();
        Staging::begin(output.path(), "r").unwrap().abandon();
        assert_eq!(names(output.path()), [".r.set", "r-2.pdf", "r-3.pdf"]);
    }

    #[test]
    fn a_folder_in_the_way_leaves_the_old_set() {
        let output = tempfile::tempdir().unwrap();
        set(output.path(), &[("r-1.pdf", "old")]);
        std::fs::create_dir(output.path().join("r-2.pdf")).unwrap();
        let staging = Staging::begin(output.path(), "r").unwrap();
        std::fs::write(staging.dir().join("r-1.pdf"), "new").unwrap();
        std::fs::write(staging.dir().join("r-2.pdf"), "new").unwrap();
        let error = staging
            .commit(&["r-1.pdf".to_string(), "r-2.pdf".to_string()])
            .unwrap_err();
        assert!(error.message.contains("no file of the set was replaced"));
        assert_eq!(names(output.path()), [".r.set", "r-1.pdf", "r-2.pdf"]);
        let old = std::fs::read_to_string(output.path().join("r-1.pdf")).unwrap();
        assert_eq!(old, "old");
    }
}
