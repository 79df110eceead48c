//! `budsjett watch`: renders a report, then renders it again whenever one of its inputs
//! changes, until stopped.
//!
//! Owns what to watch ([`watched`]: the files the report reads, as
//! [`crate::fingerprint::inputs`] lists them, with the KOSTRA mapping folder and the templates
//! folder) and the loop that polls them. Polling (every 50 ms, comparing
//! modification time and size) needs no file-system notification support and sees editors
//! that save by writing a new file and renaming it. A change is rendered once the files have
//! been quiet for 100 ms, so an editor's several writes make one render. The
//! process stays alive between renders, so typst's memoized work (comemo) and the fonts are
//! kept and a render after a small edit redoes only what changed. An error is printed with
//! the same text as `render` prints and the last good output stays as it is (every output is
//! written atomically); the watcher goes on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::config::Config;

/// Every file and folder a report's output depends on, in a fixed order: the files it reads
/// ([`crate::fingerprint::inputs`], the KOSTRA files as their folder) and the templates
/// folder. When the configuration cannot be read, the configuration and the templates (so
/// that fixing it is seen); a profile that cannot be read is still watched, its export not.
pub fn watched(config: &Path, templates: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    match Config::load(config) {
        Ok(config) => {
            let kostra = config.budget.as_ref().and_then(|b| b.statutory.clone());
            for (role, path) in crate::fingerprint::inputs(&config) {
                match (&kostra, role) {
                    (Some(folder), "kostra") => paths.push(folder.clone()),
                    _ => paths.push(path),
                }
            }
        }
        Err(_) => paths.push(config.to_path_buf()),
    }
    paths.push(templates.to_path_buf());
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    paths
}

/// What a file looked like: modification time and size, or absent.
type Stamp = Option<(SystemTime, u64)>;

/// The stamps of every file under `paths` (folders are walked), leaving out what lies under
/// `output`: an output folder inside the templates folder must not make every render the
/// cause of the next.
pub fn stamps(paths: &[PathBuf], output: &Path) -> BTreeMap<PathBuf, Stamp> {
    let mut all = BTreeMap::new();
    for path in paths {
        walk(path, output, &mut all, 0);
    }
    all
}

fn walk(path: &Path, output: &Path, all: &mut BTreeMap<PathBuf, Stamp>, depth: usize) {
    if !output.as_os_str().is_empty() && path.starts_with(output) {
        return;
    }
    let Ok(meta) = std::fs::metadata(path) else {
        all.insert(path.to_path_buf(), None);
        return;
    };
    if meta.is_dir() {
        // Deep enough for any templates folder; a link cycle stops here.
        if depth > 8 {
            return;
        }
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                // Editors' swap and backup files, and our own temporary files, are not inputs.
                let name = name.to_string_lossy();
                if name.starts_with('.') || name.ends_with('~') {
                    continue;
                }
                walk(&entry.path(), output, all, depth + 1);
            }
        }
    } else {
        all.insert(
            path.to_path_buf(),
            Some((
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                meta.len(),
            )),
        );
    }
}

/// How often to look and how long the files must be quiet before a render.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub poll: Duration,
    pub debounce: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll: Duration::from_millis(50),
            debounce: Duration::from_millis(100),
        }
    }
}

/// Renders with `render`, then again after every change of the files [`watched`] names,
/// calling `report` with each result and the time from the change being seen to the output
/// written. Returns after `limit` renders (for tests), otherwise never.
pub fn watch<T>(
    config: &Path,
    templates: &Path,
    output: &Path,
    timing: Timing,
    limit: Option<usize>,
    mut render: impl FnMut() -> T,
    mut report: impl FnMut(T, Duration, &[PathBuf]),
) {
    let mut renders = 0;
    let mut changed: Vec<PathBuf> = Vec::new();
    loop {
        let paths = watched(config, templates);
        let before = stamps(&paths, output);
        let clock = Instant::now();
        let result = render();
        report(result, clock.elapsed(), &changed);
        renders += 1;
        if limit.is_some_and(|l| renders >= l) {
            return;
        }
        // Compare with the stamps from before the render: a change made while it ran is
        // rendered next.
        // The files named at the render: a change to the configuration or a profile that names
        // others is itself a change, and the next render watches what it names.
        let mut last = before;
        loop {
            std::thread::sleep(timing.poll);
            let now = stamps(&paths, output);
            if now != last {
                changed = now
                    .iter()
                    .filter(|(path, stamp)| last.get(*path) != Some(stamp))
                    .map(|(path, _)| path.clone())
                    .chain(last.keys().filter(|p| !now.contains_key(*p)).cloned())
                    .collect();
                // Wait until the files are quiet.
                let mut settled = now;
                loop {
                    std::thread::sleep(timing.debounce);
                    let again = stamps(&paths, output);
                    if again == settled {
                        break;
                    }
                    settled = again;
                }
                break;
            }
            last = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_see_a_changed_size_and_a_new_file_in_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "1").unwrap();
        let paths = vec![dir.path().to_path_buf()];
        let stamps = |paths: &[PathBuf]| stamps(paths, &dir.path().join("output"));
        let first = stamps(&paths);
        assert_eq!(first.len(), 1);
        std::fs::write(&file, "12").unwrap();
        assert_ne!(stamps(&paths), first);
        let second = stamps(&paths);
        std::fs::write(dir.path().join("b.typ"), "x").unwrap();
        assert_eq!(stamps(&paths).len(), 2);
        assert_ne!(stamps(&paths), second);
        // Hidden files (editors' swap files, our temporary files) are not inputs.
        let third = stamps(&paths);
        std::fs::write(dir.path().join(".b.typ.swp"), "x").unwrap();
        assert_eq!(stamps(&paths), third);
        // Nor is what a render writes into an output folder inside a watched folder.
        std::fs::create_dir_all(dir.path().join("output")).unwrap();
        std::fs::write(dir.path().join("output/r.pdf"), "%PDF").unwrap();
        assert_eq!(stamps(&paths), third);
    }
}
