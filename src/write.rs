//! Write: puts finished bytes into the output folder atomically, one file or a set.
//!
//! Every file of a set (the PDF with `--keep-source`'s files, or every page of `--format png`)
//! goes first to a temporary file `.<name>.<pid>.partial` in the same folder and is flushed to
//! disk; only when all are complete are they renamed over their targets, one quick rename
//! each. A failed run therefore never leaves half a file, and the previous outputs stay
//! untouched until the new set is complete. Temporary files left by a process that was killed
//! are removed by the next write into the folder (on systems with `/proc`, where a dead
//! process can be told from a running one). [`FolderLock`] keeps it to one writer per
//! output folder at a time.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::OutputError;

/// Writes `bytes` to `target`, replacing any previous file only when complete.
pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_set(&[(target.to_path_buf(), bytes)], &[])
}

/// Writes every file of a set, replacing the previous files only when all new ones are
/// complete; then removes `stale` (outputs of an earlier run the new set does not replace,
/// such as the pages beyond the new last page).
pub(crate) fn write_set(files: &[(PathBuf, &[u8])], stale: &[PathBuf]) -> Result<(), OutputError> {
    write_set_flushed(files, stale, Flush::Now)
}

/// Whether a write waits until its files are on the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flush {
    /// Each file is flushed to disk before it is renamed into place.
    Now,
    /// Not flushed here: the caller flushes them with [`flush`] before they count (the files
    /// of an output set, written into its staging folder and swapped in only after).
    Later,
}

/// Flushes a written file to disk (opened for writing: Windows flushes no file opened only to
/// read).
pub(crate) fn flush(path: &Path) -> Result<(), OutputError> {
    let flushed = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.sync_all());
    flushed.map_err(|e| OutputError {
        path: path.to_path_buf(),
        message: crate::msg!("write.cannot_write", e = crate::messages::io_error(&e)),
    })
}

/// [`write_set`], flushing each file to disk or leaving that to the caller.
pub(crate) fn write_set_flushed(
    files: &[(PathBuf, &[u8])],
    stale: &[PathBuf],
    flush: Flush,
) -> Result<(), OutputError> {
    let mut written: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |written: &[(PathBuf, &Path)]| {
        for (temporary, _) in written {
            let _ = std::fs::remove_file(temporary);
        }
    };
    for (target, bytes) in files {
        let fail = |message: String| OutputError {
            path: target.clone(),
            message,
        };
        let folder = folder_of(target);
        if let Err(e) = std::fs::create_dir_all(folder) {
            cleanup(&written);
            return Err(fail(crate::msg!(
                "write.cannot_create_folder",
                e = crate::messages::io_error(&e)
            )));
        }
        remove_leftovers(folder);
        let temporary = temporary_name(target, std::process::id());
        let result = (|| {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(bytes)?;
            match flush {
                Flush::Now => file.sync_all(),
                Flush::Later => Ok(()),
            }
        })();
        written.push((temporary, target));
        if let Err(e) = result {
            cleanup(&written);
            return Err(fail(crate::msg!(
                "write.cannot_write",
                e = crate::messages::io_error(&e)
            )));
        }
    }
    for (index, (temporary, target)) in written.iter().enumerate() {
        if let Err(e) = std::fs::rename(temporary, target) {
            cleanup(&written[index..]);
            return Err(OutputError {
                path: target.to_path_buf(),
                message: crate::msg!("write.cannot_replace", e),
            });
        }
    }
    for path in stale {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// One writer per output folder: held while a run writes into the folder, so that two runs
/// cannot mix their files. It is the lock (`File::try_lock`, on every system) of the file
/// `.budsjett.lock` in the folder, which is removed again when the lock is let go.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: std::fs::File,
}

impl FolderLock {
    /// Locks `folder` (made if missing) for this run, or says that another run writes there.
    pub fn acquire(folder: &Path) -> Result<FolderLock, OutputError> {
        let path = folder.join(".budsjett.lock");
        let fail = |message: String| OutputError {
            path: folder.to_path_buf(),
            message,
        };
        std::fs::create_dir_all(folder).map_err(|e| {
            fail(crate::msg!(
                "write.cannot_create_folder",
                e = crate::messages::io_error(&e)
            ))
        })?;
        // A lock file removed by its last holder between our opening and locking it is
        // not the folder's lock any more: open the new one.
        for _ in 0..100 {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|e| {
                    fail(crate::msg!(
                        "write.cannot_create_lock",
                        e = crate::messages::io_error(&e)
                    ))
                })?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(fail(crate::msg!("write.locked")));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(fail(crate::msg!(
                        "write.cannot_lock",
                        e = crate::messages::io_error(&e)
                    )));
                }
            }
            let current = file.try_clone().ok().and_then(|f| {
                let ours = same_file::Handle::from_file(f).ok()?;
                Some(same_file::Handle::from_path(&path).ok()? == ours)
            });
            if current == Some(true) {
                return Ok(FolderLock { path, file });
            }
        }
        Err(fail(crate::msg!("write.lock_keeps_changing")))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still locked, so that no other run locks the file being removed.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn folder_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `.<name>.<pid>.partial` next to `target`.
fn temporary_name(target: &Path, pid: u32) -> PathBuf {
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    folder_of(target).join(format!(".{file_name}.{pid}.partial")) // not a message: a file name
}

/// Removes the temporary files in `folder` of processes that no longer run.
fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        if pid != std::process::id() && !running(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name `.<name>.<pid>.partial`.
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".partial")?;
    let (_, pid) = rest.rsplit_once('.')?;
    pid.parse().ok()
}

/// Whether a process runs; `true` when that cannot be told (no `/proc`), so nothing of a
/// running process is ever removed.
pub(crate) fn running(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_replaced_is_named_and_left_as_it_was() {
        // On Windows a PDF reader holding the file open makes the rename fail; here a
        // non-empty folder in the target's place does.
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("r.pdf");
        std::fs::create_dir_all(target.join("inside")).unwrap();
        let error = write_atomically(&target, b"new").unwrap_err();
        assert_eq!(error.path, target);
        assert!(
            error.message.contains("cannot replace the file")
                && error.message.contains("such as a PDF reader, has it open")
                && error.message.contains("the previous file is unchanged"),
            "{}",
            error.message
        );
        assert!(target.join("inside").is_dir());
        // No temporary file is left beside it.
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
    }

    #[test]
    fn one_writer_per_folder_and_no_lock_file_left() {
        let folder = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(folder.path()).unwrap();
        let second = FolderLock::acquire(folder.path()).unwrap_err();
        assert!(
            second
                .message
                .contains("another budsjett run is writing into this folder")
        );
        drop(first);
        let third = FolderLock::acquire(folder.path()).unwrap();
        drop(third);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
    }

    #[test]
    fn leftover_names_give_their_process() {
        assert_eq!(leftover_pid(".rapport.pdf.4242.partial"), Some(4242));
        assert_eq!(leftover_pid(".rapport-3.png.17.partial"), Some(17));
        assert_eq!(leftover_pid("rapport.pdf"), None);
        assert_eq!(leftover_pid(".rapport.pdf.partial"), None);
    }

    #[test]
    fn a_dead_process_leftover_is_removed_and_a_set_replaces_its_files() {
        let folder = tempfile::tempdir().unwrap();
        let old = folder.path().join("r-1.png");
        let beyond = folder.path().join("r-3.png");
        std::fs::write(&old, b"old").unwrap();
        std::fs::write(&beyond, b"old page 3").unwrap();
        // No process has the largest pid; our own leftover (a running process) stays.
        let dead = folder.path().join(".r.pdf.4194305.partial");
        let ours = temporary_name(&folder.path().join("x.pdf"), std::process::id());
        std::fs::write(&dead, b"half").unwrap();
        std::fs::write(&ours, b"half").unwrap();
        let new = folder.path().join("r-2.png");
        write_set(
            &[
                (old.clone(), b"one".as_slice()),
                (new.clone(), b"two".as_slice()),
            ],
            std::slice::from_ref(&beyond),
        )
        .unwrap();
        assert_eq!(std::fs::read(&old).unwrap(), b"one");
        assert_eq!(std::fs::read(&new).unwrap(), b"two");
        assert!(!beyond.exists());
        assert!(!dead.exists(), "the dead process's leftover is still there");
        assert!(
            ours.exists(),
            "a running process's temporary file was removed"
        );
    }
}
