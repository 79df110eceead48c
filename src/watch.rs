//! `budsjett watch`: renders a report, then renders it again whenever one of its inputs
//! changes, until stopped.
//!
//! Owns what to watch ([`watched`]: the files the report reads, as
//! [`crate::fingerprint::inputs`] lists them, with the KOSTRA mapping folder and the templates
//! folder), which file-system events concern those files (`Watched::concerns`) and the loop
//! that waits for them. Changes are learnt from the operating system's file notifications
//! (the `notify` crate, as typst-cli's own `watch` does; a polling watcher where the system has
//! none). A file is watched through its folder and events are filtered by path, so an editor
//! that saves by writing a new file and renaming it over the old one is seen, and so is every
//! later save. A change is rendered once the files have been quiet for a while, so an editor's
//! several writes make one render: 15 ms once every changed file is complete (its writer
//! closed it, which Linux reports, or a new file was renamed over it), 100 ms while one may
//! still be written to (a plain write, and every change on systems that report no closes).
//! The process stays alive between renders, so typst's memoized work (comemo) and the fonts
//! are kept and a render after a small edit redoes only what changed. An error is printed
//! with the same text as `render` prints and the last good output stays as it is (every
//! output is written atomically); the watcher goes on.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind, RenameMode};

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

/// The files and folders one render depends on, and what to leave out: what lies under the
/// output folder (an output folder inside the templates folder must not make every render
/// the cause of the next) and, inside a watched folder, hidden names and backups (editors'
/// swap and backup files, our own temporary files).
struct Watched {
    paths: Vec<PathBuf>,
    output: PathBuf,
}

impl Watched {
    fn new(paths: Vec<PathBuf>, output: &Path) -> Watched {
        Watched {
            paths,
            output: output.to_path_buf(),
        }
    }

    /// Whether a change at `path` is a change of an input: the path of a watched file (also
    /// when it was replaced by a rename), anything under a watched folder but hidden files
    /// and backups, or a folder on the way to a watched path (a missing folder created).
    fn concerns(&self, path: &Path) -> bool {
        if !self.output.as_os_str().is_empty() && path.starts_with(&self.output) {
            return false;
        }
        self.paths.iter().any(|watched| {
            if path == watched {
                return true;
            }
            if let Ok(inside) = path.strip_prefix(watched) {
                return inside.components().all(|c| match c {
                    Component::Normal(name) => {
                        let name = name.to_string_lossy();
                        !name.starts_with('.') && !name.ends_with('~')
                    }
                    _ => false,
                });
            }
            watched.starts_with(path)
        })
    }

    /// Asks `watcher` to report every change [`Watched::concerns`]: each watched folder with
    /// everything in it, and the folder of each watched file (a file replaced by renaming is
    /// a new file: a watch on the old one would see nothing after the first save). A path
    /// whose folder is missing is watched through its nearest existing ancestor.
    fn register(&self, watcher: &mut dyn notify::Watcher) -> notify::Result<()> {
        let mut folders = BTreeSet::new();
        for path in &self.paths {
            if path.is_dir() {
                folders.insert((path.clone(), RecursiveMode::Recursive));
            }
            let mut parent = path.parent();
            while let Some(folder) = parent {
                let folder = if folder.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    folder
                };
                if folder.is_dir() {
                    folders.insert((folder.to_path_buf(), RecursiveMode::NonRecursive));
                    break;
                }
                parent = folder.parent();
            }
        }
        for (folder, mode) in folders {
            watcher.watch(&folder, mode)?;
        }
        Ok(())
    }
}

/// Whether an event says that something may have changed: opening and closing a file (the
/// render's own reads, or the close that ends a write already seen as one) and access times
/// are not changes, as in typst-cli; an event the system could not describe is.
fn is_change(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// How long the files must be quiet before a render, how long a stream of changes may put
/// it off at most (a file written on and on still gets rendered; typst-cli waits 500 ms, an
/// export written to a network drive takes longer), and how often to look where the system
/// has no file notifications.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub(crate) poll: Duration,
    /// The quiet after a change of a file that may still be written to: a plain write (the
    /// writer may keep the file open and write more), a removal, or a change the system
    /// could not describe. Windows, macOS and the polling watcher tell nothing else.
    pub(crate) debounce: Duration,
    /// The quiet once every changed file is complete: its writer closed it (Linux tells
    /// so) or a whole new file was renamed over it. It only gathers files saved together.
    pub(crate) closed: Duration,
    pub(crate) starve: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll: Duration::from_millis(300),
            debounce: Duration::from_millis(100),
            closed: Duration::from_millis(15),
            starve: Duration::from_secs(2),
        }
    }
}

type Events = Receiver<notify::Result<notify::Event>>;

/// A watcher told about `watched`, and where its events arrive: the system's notifications,
/// or a polling watcher where they cannot be had (e.g. the limit of watches is reached).
fn start(watched: &Watched, timing: Timing) -> Option<(Box<dyn notify::Watcher>, Events)> {
    let (send, events) = channel();
    if let Ok(mut watcher) = notify::recommended_watcher(send)
        && watched.register(&mut watcher).is_ok()
    {
        return Some((Box::new(watcher), events));
    }
    let (send, events) = channel();
    let config = notify::Config::default().with_poll_interval(timing.poll);
    let mut watcher = notify::PollWatcher::new(send, config).ok()?;
    watched.register(&mut watcher).ok()?;
    Some((Box::new(watcher), events))
}

/// What one burst of events changed, and whether each changed file is complete, which says
/// how long to wait before rendering ([`Changes::quiet`]).
#[derive(Debug, Default)]
struct Changes {
    /// The inputs that changed.
    changed: BTreeSet<PathBuf>,
    /// The changed inputs that may not be complete yet: written to and not closed since,
    /// removed or renamed away, or changed in a way the system did not describe.
    open: BTreeSet<PathBuf>,
    /// Events were lost or the watcher failed: something changed, no one knows what.
    unknown: bool,
}

impl Changes {
    /// Takes an event in; whether it concerns the inputs (a change, or the close that
    /// completes a changed file), which starts the quiet anew.
    fn take(&mut self, event: notify::Result<notify::Event>, watched: &Watched) -> bool {
        let Ok(event) = event else {
            self.unknown = true;
            return true;
        };
        let ours = event.paths.iter().filter(|p| watched.concerns(p));
        match &event.kind {
            // A writer closed a file: complete, if this burst saw it change (the close
            // of a file written before the burst changes nothing a render has not read).
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                let closed: Vec<&PathBuf> = ours.filter(|p| self.changed.contains(*p)).collect();
                for path in &closed {
                    self.open.remove(*path);
                }
                !closed.is_empty()
            }
            kind if !is_change(kind) => false,
            kind => {
                // A file renamed into place is whole; the last path of a rename is where
                // it went (`Both` names the old path first).
                let renamed_to = matches!(
                    kind,
                    EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
                );
                let last = event.paths.last();
                let mut concerns = event.need_rescan();
                self.unknown |= concerns;
                for path in ours {
                    if renamed_to && Some(path) == last {
                        self.open.remove(path);
                    } else {
                        self.open.insert(path.clone());
                    }
                    self.changed.insert(path.clone());
                    concerns = true;
                }
                concerns
            }
        }
    }

    /// How long the files must be quiet before the render: short when every changed file is
    /// known to be complete, else the whole debounce.
    fn quiet(&self, timing: Timing) -> Duration {
        if self.unknown || !self.open.is_empty() {
            timing.debounce
        } else {
            timing.closed
        }
    }
}

/// The inputs that changed in one burst of events: waits for the first event that
/// [`Watched::concerns`], then until the files have been quiet for [`Changes::quiet`] (or
/// changing for `timing.starve`). An error from the watcher (events lost) counts as a change
/// of no known path. `None` when the watcher is gone.
fn burst(events: &Events, watched: &Watched, timing: Timing) -> Option<BTreeSet<PathBuf>> {
    let mut changes = Changes::default();
    // When the burst began and when its latest change came.
    let mut burst: Option<(Instant, Instant)> = None;
    loop {
        let event = match burst {
            None => events.recv().ok()?,
            Some((first, last)) => {
                let quiet = changes.quiet(timing).saturating_sub(last.elapsed());
                if quiet.is_zero() || first.elapsed() >= timing.starve {
                    return Some(changes.changed);
                }
                match events.recv_timeout(quiet) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(changes.changed),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
        };
        if changes.take(event, watched) {
            let now = Instant::now();
            burst = Some((burst.map_or(now, |(first, _)| first), now));
        }
    }
}

/// Renders with `render`, then again after every burst of changes of the files [`watched`]
/// names, calling `report` with each result, the time the render took and the changed
/// paths. Returns after `limit` renders (for tests), or when no watcher can be had (after
/// reporting the first render), otherwise never.
pub fn watch<T>(
    config: &Path,
    templates: &Path,
    output: &Path,
    timing: Timing,
    limit: Option<usize>,
    mut render: impl FnMut() -> T,
    mut report: impl FnMut(T, Duration, &[PathBuf]),
) -> Result<(), notify::Error> {
    let mut renders = 0;
    let mut changed: Vec<PathBuf> = Vec::new();
    loop {
        // The files named at the render: a change to the configuration or a profile that
        // names others is itself a change, and the next render watches what it names. The
        // watcher starts before the render, so a change made while it runs is rendered next.
        let watched = Watched::new(watched(config, templates), output);
        let started = start(&watched, timing);
        let clock = Instant::now();
        let result = render();
        report(result, clock.elapsed(), &changed);
        renders += 1;
        if limit.is_some_and(|l| renders >= l) {
            return Ok(());
        }
        let Some((_watcher, events)) = started else {
            return Err(notify::Error::generic(&crate::msg!("watch.no_watcher")));
        };
        match burst(&events, &watched, timing) {
            Some(paths) => changed = paths.into_iter().collect(),
            None => {
                return Err(notify::Error::generic(&crate::msg!(
                    "watch.watcher_stopped"
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_the_watched_files_and_what_is_in_a_watched_folder() {
        let root = Path::new("/r");
        let watched = Watched::new(
            vec![root.join("report.toml"), root.join("templates")],
            &root.join("templates/output"),
        );
        for (path, expected) in [
            ("report.toml", true),
            // Another file in the watched file's folder, e.g. an editor's new copy.
            ("report.toml.new", false),
            ("other.csv", false),
            ("templates", true),
            ("templates/budsjett.typ.j2", true),
            ("templates/words/nb.toml", true),
            // Swap files, backups and our temporary files are not inputs.
            ("templates/.budsjett.typ.j2.swp", false),
            ("templates/budsjett.typ.j2~", false),
            ("templates/.git/index", false),
            // Nor is what a render writes into an output folder inside a watched folder.
            ("templates/output/t.pdf", false),
            ("templates/output", false),
        ] {
            assert_eq!(watched.concerns(&root.join(path)), expected, "{path}");
        }
        // The folder of a watched file created: the file may now exist.
        assert!(watched.concerns(Path::new("/")));
        assert!(!watched.concerns(Path::new("/elsewhere")));
    }

    #[test]
    fn reads_and_access_times_are_not_changes() {
        use notify::event::CreateKind;
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        // The close after a write comes after the write's own events, maybe after the quiet
        // time: it must not make a second render.
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            notify::event::DataChange::Any
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(is_change(&EventKind::Any));
    }

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<notify::Event> {
        let mut event = notify::Event::new(kind);
        for path in paths {
            event = event.add_path(PathBuf::from(path));
        }
        Ok(event)
    }

    /// The quiet after each event of a sequence, in the order given: `L` the long debounce,
    /// `S` the short one, `-` an event that does not concern the inputs.
    fn quiets(events: Vec<notify::Result<notify::Event>>) -> (String, Changes) {
        let watched = Watched::new(vec!["/r/a.csv".into(), "/r/b.csv".into()], Path::new(""));
        let timing = Timing {
            debounce: Duration::from_secs(100),
            closed: Duration::from_secs(1),
            ..Timing::default()
        };
        let mut changes = Changes::default();
        let mut told = String::new();
        for event in events {
            told.push(if !changes.take(event, &watched) {
                '-'
            } else if changes.quiet(timing) == timing.debounce {
                'L'
            } else {
                'S'
            });
        }
        (told, changes)
    }

    #[test]
    fn the_short_quiet_only_once_every_changed_file_is_complete() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        let write = || EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let close = || EventKind::Access(AccessKind::Close(AccessMode::Write));
        let rename = |mode| EventKind::Modify(ModifyKind::Name(mode));
        // Written and closed: complete. Written again: open until its next close.
        let (told, changes) = quiets(vec![
            event(write(), &["/r/a.csv"]),
            event(write(), &["/r/a.csv"]),
            event(close(), &["/r/a.csv"]),
            event(write(), &["/r/a.csv"]),
            event(close(), &["/r/a.csv"]),
        ]);
        assert_eq!(told, "LLSLS");
        assert_eq!(changes.changed, BTreeSet::from([PathBuf::from("/r/a.csv")]));
        // Two files saved together: short only when both are closed.
        let (told, _) = quiets(vec![
            event(EventKind::Create(CreateKind::File), &["/r/a.csv"]),
            event(write(), &["/r/b.csv"]),
            event(close(), &["/r/a.csv"]),
            event(close(), &["/r/b.csv"]),
        ]);
        assert_eq!(told, "LLLS");
        // A close of a file this burst did not see change, or of a file not watched, is
        // no change: it neither starts a burst nor completes one.
        let (told, changes) = quiets(vec![
            event(close(), &["/r/a.csv"]),
            event(write(), &["/r/b.csv"]),
            event(close(), &["/r/a.csv"]),
            event(close(), &["/r/other.csv"]),
        ]);
        assert_eq!(told, "-L--");
        assert_eq!(changes.changed, BTreeSet::from([PathBuf::from("/r/b.csv")]));
        // A new file renamed over the input is complete (inotify tells `To`, then `Both`
        // with the old name first); the input renamed away or removed is not.
        let (told, changes) = quiets(vec![
            event(rename(RenameMode::From), &["/r/a.csv.new"]),
            event(rename(RenameMode::To), &["/r/a.csv"]),
            event(rename(RenameMode::Both), &["/r/a.csv.new", "/r/a.csv"]),
            event(rename(RenameMode::Both), &["/r/b.csv", "/r/b.csv~"]),
            event(EventKind::Remove(RemoveKind::File), &["/r/a.csv"]),
        ]);
        assert_eq!(told, "-SSLL");
        assert_eq!(changes.changed.len(), 2);
        // What the system could not describe, lost events and a watcher's error: the long
        // quiet, whatever else was closed.
        for unknown in [
            event(EventKind::Any, &["/r/a.csv"]),
            Ok(notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)),
            Err(notify::Error::generic("lost")),
        ] {
            let (told, _) = quiets(vec![
                event(write(), &["/r/b.csv"]),
                event(close(), &["/r/b.csv"]),
                unknown,
                event(close(), &["/r/b.csv"]),
            ]);
            assert_eq!(told, "LSLL");
        }
    }

    /// On this system's own notifications: a file written in two parts, held open between
    /// them, is not taken as changed until its writer closes it, with a debounce (an hour)
    /// that no test waits for. Where the system reports no closes (or the writer never
    /// closes) only the debounce would end the burst: the test then fails at its bound.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_held_open_is_taken_when_its_writer_closes_it() {
        use std::io::Write as _;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("export.csv");
        std::fs::write(&file, "omr;2023\n").unwrap();
        let watched = Watched::new(vec![file.clone()], &dir.path().join("output"));
        let timing = Timing {
            debounce: Duration::from_secs(3600),
            closed: Duration::ZERO,
            starve: Duration::from_secs(3600),
            ..Timing::default()
        };
        let (_watcher, events) = start(&watched, timing).unwrap();
        let closed = Arc::new(AtomicBool::new(false));
        let (done, result) = channel();
        let seen_closed = closed.clone();
        std::thread::spawn(move || {
            let changed = burst(&events, &watched, timing);
            // Whether the writer had closed the file when the burst ended.
            let _ = done.send((changed, seen_closed.load(Ordering::SeqCst)));
        });
        let mut writer = std::fs::File::create(&file).unwrap();
        writer.write_all(b"omr;2023\nA;").unwrap();
        writer.flush().unwrap();
        // Time for a wrong rule to end the burst on the half-written file.
        std::thread::sleep(Duration::from_millis(300));
        writer.write_all(b"1 000\n").unwrap();
        closed.store(true, Ordering::SeqCst);
        drop(writer);
        let (changed, was_closed) = result
            .recv_timeout(Duration::from_secs(60))
            .expect("the close ends the burst");
        assert!(
            was_closed,
            "the burst ended before the writer closed the file"
        );
        assert_eq!(changed, Some(BTreeSet::from([file])));
    }
}
