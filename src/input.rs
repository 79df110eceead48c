//! Input files: the one door through which a report's files are opened. Only a regular file
//! is read: a folder, a named pipe or a device is refused before it is opened, because opening
//! a pipe waits for a writer that never comes (`check`, `render` and `watch` would hang). And
//! [`same_file`] says whether two paths reach one file (`./p.toml` and `p.toml`, a symbolic
//! link, a hard link), so that a caller can refuse an input read twice.
//!
//! The check is made on the path just before it is opened; a file swapped for a pipe in
//! between is not guarded against (nothing but the user's own folder can do that).

use std::fs::File;
use std::io;
use std::path::Path;

/// Opens `path` for reading if it is a regular file (or a link to one).
pub(crate) fn open(path: &Path) -> io::Result<File> {
    ensure_file(path)?;
    File::open(path)
}

/// The bytes of the regular file at `path`.
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    ensure_file(path)?;
    std::fs::read(path)
}

/// The text of the regular file at `path`, which must be UTF-8.
pub(crate) fn read_to_string(path: &Path) -> io::Result<String> {
    ensure_file(path)?;
    std::fs::read_to_string(path)
}

/// An error unless `path` is a regular file (after following links). The error's text reads
/// after "cannot read …: ".
pub(crate) fn ensure_file(path: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            crate::msg!("input.a_folder"),
        ))
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            crate::msg!("input.not_a_regular_file"),
        ))
    }
}

/// Whether `a` and `b` are one file on disk, however they are spelt (a relative path, a
/// symbolic or hard link): by the file's identity (device and inode, or volume and file
/// index on Windows). Paths that are not both regular files are compared by their canonical
/// form, so that a missing file is never opened and a pipe never waited on.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    if ensure_file(a).is_ok() && ensure_file(b).is_ok() {
        return same_file::is_same_file(a, b).unwrap_or(false);
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_refused_and_a_file_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(read(&file).unwrap(), b"x");
        let error = read(dir.path()).unwrap_err();
        assert_eq!(error.to_string(), "it is a folder, expected a file");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe.csv");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(made.success());
        let error = read_to_string(&pipe).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }

    #[test]
    fn one_file_spelt_two_ways_is_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "x").unwrap();
        let other = dir.path().join("q.toml");
        std::fs::write(&other, "x").unwrap();
        let dotted = dir.path().join(".").join("p.toml");
        assert!(same_file(&file, &dotted));
        assert!(!same_file(&file, &other));
        std::fs::hard_link(&file, dir.path().join("r.toml")).unwrap();
        assert!(same_file(&file, &dir.path().join("r.toml")));
        assert!(!same_file(&file, &dir.path().join("missing.toml")));
    }
}
