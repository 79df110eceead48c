//! Write: puts finished bytes into the output folder atomically.
//!
//! The bytes go to a temporary file in the same folder, are flushed to disk, and the file is
//! then renamed over the target. A failed run therefore never leaves half a PDF, and the
//! previous PDF stays untouched until the new one is complete.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `target`, replacing any previous file only when complete.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |message: String| Error::Output {
        path: target.to_path_buf(),
        message,
    };
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)
        .map_err(|e| fail(format!("cannot create the output folder: {e}")))?;
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temporary: PathBuf = folder.join(format!(".{file_name}.{}.partial", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, target)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        fail(format!("cannot write the file: {e}"))
    })
}
