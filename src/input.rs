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

/// The text of the regular file at `path`, which must be UTF-8; otherwise an error that
/// says where the first byte that is not UTF-8 stands, and how to save the file.
pub(crate) fn read_to_string(path: &Path) -> io::Result<String> {
    let bytes = read(path)?;
    // `Other`, not `InvalidData`: the message is worded already (where, and what to do), and
    // `messages::io_error` words `InvalidData` by its kind alone.
    String::from_utf8(bytes).map_err(|e| io::Error::other(not_utf8(e.as_bytes(), e.utf8_error())))
}

/// Where a text file stops being UTF-8, in a person's words (after "cannot read …: ").
fn not_utf8(bytes: &[u8], error: std::str::Utf8Error) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return crate::msg!("input.text.utf16");
    }
    let at = error.valid_up_to();
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    crate::msg!(
        "input.text.not_utf8",
        line,
        column,
        byte = format!("0x{:02X}", bytes[at])
    )
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
    fn a_text_that_is_not_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.toml");
        std::fs::write(&file, b"[report]\nname = \"B\xe6rum\"\n").unwrap();
        assert_eq!(
            read_to_string(&file).unwrap_err().to_string(),
            "line 2, column 10: found the byte 0xE6, which is not UTF-8 (a Windows-1252 letter \
             such as \u{e6}, \u{f8} or \u{e5}?), expected a text file saved as UTF-8 (in Notepad: \
             Save as, Encoding UTF-8)"
        );
    }

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
