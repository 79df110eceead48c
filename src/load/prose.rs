//! The prose folder's files: which Markdown files a report's `[budget] prose` or `[data]
//! prose` folder holds, for the prose readers ([`crate::prose`]) and the fingerprint, and what
//! in the folder does not belong there.

use std::path::{Path, PathBuf};

use crate::error::DataError;
use crate::msg;

/// How the problems of a prose folder are worded: the budget's folder and the chapter's
/// name different keys and files.
pub(crate) struct Wording {
    /// The folder cannot be read, for the reason given.
    pub(crate) folder: fn(String) -> String,
    /// A file in the folder is not Markdown.
    pub(crate) not_markdown: fn() -> String,
}

/// The budget's prose folder (`[budget] prose`).
const BUDGET: Wording = Wording {
    folder: |reason| msg!("prose.folder", reason),
    not_markdown: || msg!("prose.not_markdown"),
};

/// The Markdown files of the budget's prose folder `folder`, in name order, and every problem
/// with the folder or a file in it that is not Markdown (none is skipped silently).
pub(crate) fn files(folder: &Path) -> (Vec<PathBuf>, Vec<DataError>) {
    files_worded(folder, &BUDGET)
}

/// The Markdown files of `folder`, in name order, and every problem with the folder or a
/// file in it that is not Markdown, worded by `wording`.
pub(crate) fn files_worded(folder: &Path, wording: &Wording) -> (Vec<PathBuf>, Vec<DataError>) {
    let folder_problem = |e: &std::io::Error| {
        let reason = crate::messages::io_error(e);
        DataError::new(folder, (wording.folder)(reason))
    };
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => return (Vec::new(), vec![folder_problem(&e)]),
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let path = match entry {
            Ok(entry) => entry.path(),
            Err(e) => {
                problems.push(folder_problem(&e));
                continue;
            }
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        match name {
            // Hidden files (.DS_Store and the like) are the system's, not the writers'.
            Some(name) if name.starts_with('.') => {}
            Some(name) if name.ends_with(".md") && path.is_file() => files.push(path),
            _ => problems.push(DataError::new(&path, (wording.not_markdown)())),
        }
    }
    files.sort();
    (files, problems)
}
