//! `budsjett watch`: which files it watches, and a watcher on a scratch report that renders
//! again after a cell and a template are edited, keeps the last PDF after a bad edit and goes
//! on. These are correctness tests with a generous bound on waiting (60 s per render), not
//! timing assertions.

mod common;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{pdf_text, squeeze};

const REPORT: &str = "[report]\nname = \"t\"\nmunicipality = \"Testby kommune\"\ndocument = \"Budsjett 2023\"\n\
    title = \"Driftsbudsjett\"\ndate = 2023-01-01\ntemplate = \"budsjett.typ.j2\"\n[period]\nplan = [2023, 2023]\n\
    [budget]\nsources = [\"profile.toml\"]\ngroup_by = \"area\"\ndetail_by = \"\"\npopulation = \"folk.csv\"\n";

const PROFILE: &str = "[source]\nfile = \"export.csv\"\n[layout]\nkind = \"wide\"\nauto = true\n\
    [dimensions]\narea = { code = \"omr\", text = \"navn\" }\n";

const EXPORT: &str = "omr;navn;2023\nA;Skole;1 000 000\nB;Helse;500 000\nZ;Skatt;-1 500 000\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("report.toml", REPORT),
        ("profile.toml", PROFILE),
        ("export.csv", EXPORT),
        ("folk.csv", "year;value\n2023;1 000\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    // The templates' files and their words catalogues.
    for (from, to) in [
        (Path::new(common::REPO).join("templates"), templates.clone()),
        (
            Path::new(common::REPO).join("templates/words"),
            templates.join("words"),
        ),
    ] {
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    dir
}

#[test]
fn watched_files_of_a_budget_report_and_of_the_sample_report() {
    let dir = fixture();
    let templates = dir.path().join("templates");
    let watched = budsjett::watch::watched(&dir.path().join("report.toml"), &templates);
    let expected: Vec<PathBuf> = ["report.toml", "profile.toml", "export.csv", "folk.csv"]
        .iter()
        .map(|f| dir.path().join(f))
        .chain([templates])
        .collect();
    assert_eq!(watched, expected);

    let repo = Path::new(common::REPO);
    let watched = budsjett::watch::watched(&repo.join("data/report.toml"), &repo.join("templates"));
    let names: Vec<String> = watched
        .iter()
        .map(|p| p.strip_prefix(repo).unwrap_or(p).display().to_string())
        .collect();
    // The chapter's own text (issue 27): its Markdown files, one per area and programme,
    // in name order, between the data files and the templates.
    let text = [
        "0-24",
        "baerekraft",
        "byutvikling",
        "elgeseter",
        "kunnskap",
        "lademoen",
        "midtbyen",
        "modernisering",
        "nyhavna",
        "omradesatsinger",
        "oppvekstreformen",
        "sluppen",
        "tempe-sorgenfri",
        "tjenesteutvikling",
        "trd30",
    ]
    .map(|id| format!("data/tekst/{id}.md"));
    let data = [
        "data/report.toml",
        "data/areas.csv",
        "data/programmes.csv",
        "data/phases.csv",
        "data/amounts.csv",
        "data/milestones.csv",
        "data/key_figures.csv",
    ];
    let expected: Vec<String> = data
        .iter()
        .map(|f| f.to_string())
        .chain(text)
        .chain(["templates".to_string()])
        .collect();
    assert_eq!(names, expected);

    // A report configuration of the docs: its profile, the export it names and the KOSTRA
    // mapping folder.
    let config = repo.join("docs/reports/stavanger-2016-drift.toml");
    let watched = budsjett::watch::watched(&config, &repo.join("templates"));
    assert_eq!(watched.len(), 5, "{watched:?}");
    assert_eq!(watched[0], config);
    assert!(
        watched[1].ends_with("profiles/stavanger-2016-drift.toml"),
        "{watched:?}"
    );
    assert!(watched[2].is_file() && watched[2].to_string_lossy().contains("stavanger"));
    assert!(
        watched[3].ends_with("data/kostra") && watched[3].is_dir(),
        "{watched:?}"
    );
}

/// A running watcher and its output lines.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
}

impl Watcher {
    fn start(dir: &Path) -> Watcher {
        let mut child = common::budsjett()
            .arg("watch")
            .arg("--config")
            .arg(dir.join("report.toml"))
            .arg("--templates")
            .arg(dir.join("templates"))
            .arg("--output")
            .arg(dir.join("output"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (send, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let send = send.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if send.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Watcher { child, lines }
    }

    /// Waits (at most 60 s) for a line starting with `start`; the lines seen on the way.
    fn wait_for(&self, start: &str) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self.lines.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    let found = line.starts_with(start);
                    seen.push(line);
                    if found {
                        return seen;
                    }
                }
                Err(_) => panic!("no line starting with {start:?} within 60 s; saw {seen:?}"),
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Replaces `from` with `to` in a file, asserting that `from` was there.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn watch_renders_again_after_edits_and_keeps_the_last_pdf_after_a_bad_one() {
    let dir = fixture();
    let pdf = dir.path().join("output/t.pdf");
    let watcher = Watcher::start(dir.path());
    watcher.wait_for("wrote");
    let text = squeeze(&pdf_text(&pdf));
    assert!(text.contains("A Skole 1 000 000"), "{text}");

    // A cell: Skole 1 000 000 → 1 200 000, and the tax line with it so the budget balances.
    let export = dir.path().join("export.csv");
    edit(&export, "A;Skole;1 000 000", "A;Skole;1 200 000");
    edit(&export, "Z;Skatt;-1 500 000", "Z;Skatt;-1 700 000");
    let seen = watcher.wait_for("wrote");
    assert!(
        seen.iter()
            .any(|l| l.starts_with("changed:") && l.ends_with("export.csv")),
        "{seen:?}"
    );
    let text = squeeze(&pdf_text(&pdf));
    assert!(text.contains("A Skole 1 200 000"), "{text}");
    assert!(!text.contains("A Skole 1 000 000"));

    // A template: a sentence added to the summary.
    edit(
        &dir.path().join("templates/budsjett.typ.j2"),
        "= {{ w.budsjett.summary_heading }}\n",
        "= {{ w.budsjett.summary_heading }}\n\nRedigert mens watch kjørte.\n",
    );
    watcher.wait_for("wrote");
    assert!(pdf_text(&pdf).contains("Redigert mens watch kjørte."));

    // A bad edit: the error is printed, the last PDF stays byte for byte.
    let before = std::fs::read(&pdf).unwrap();
    edit(&export, "B;Helse;500 000", "B;Helse;5 mill");
    let mut seen = watcher.wait_for("not written");
    // The error comes on stderr, read by another thread: it may arrive after stdout's line.
    if !seen.iter().any(|l| l.starts_with("error:")) {
        seen.extend(watcher.wait_for("error:"));
    }
    assert!(
        seen.iter()
            .any(|l| l.starts_with("error:") && l.contains("export.csv") && l.contains("5 mill")),
        "{seen:?}"
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the last PDF changed");

    // … and the watcher goes on: the fix is rendered.
    edit(&export, "B;Helse;5 mill", "B;Helse;400 000");
    edit(&export, "Z;Skatt;-1 700 000", "Z;Skatt;-1 600 000");
    watcher.wait_for("wrote");
    assert!(squeeze(&pdf_text(&pdf)).contains("B Helse 400 000"));
}

/// Saves `path` with each `(from, to)` replaced, as an editor that writes a new file and
/// renames it over the old one does.
fn save_by_rename(path: &Path, edits: &[(&str, &str)]) {
    let mut text = std::fs::read_to_string(path).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{} lacks {from:?}", path.display());
        text = text.replacen(from, to, 1);
    }
    let new = path.with_file_name("export.csv.new");
    std::fs::write(&new, text).unwrap();
    std::fs::rename(&new, path).unwrap();
}

#[test]
fn watch_sees_every_save_of_an_editor_that_replaces_the_file_by_renaming() {
    let dir = fixture();
    let pdf = dir.path().join("output/t.pdf");
    let watcher = Watcher::start(dir.path());
    watcher.wait_for("wrote");
    let export = dir.path().join("export.csv");
    // Twice: the second save replaces the file the first one put in place (a watch kept on
    // the first file would miss it).
    // Each save changes an amount and the tax line that balances it.
    for (edits, shown) in [
        (
            [
                ("A;Skole;1 000 000", "A;Skole;1 100 000"),
                ("-1 500 000", "-1 600 000"),
            ],
            "A Skole 1 100 000",
        ),
        (
            [
                ("A;Skole;1 100 000", "A;Skole;1 300 000"),
                ("-1 600 000", "-1 800 000"),
            ],
            "A Skole 1 300 000",
        ),
    ] {
        save_by_rename(&export, &edits);
        let seen = watcher.wait_for("wrote");
        assert!(
            seen.iter()
                .any(|l| l.starts_with("changed:") && l.ends_with("export.csv")),
            "{seen:?}"
        );
        let text = squeeze(&pdf_text(&pdf));
        assert!(text.contains(shown), "{text}");
    }
}

#[test]
fn a_burst_of_writes_makes_one_render() {
    let dir = fixture();
    let pdf = dir.path().join("output/t.pdf");
    let watcher = Watcher::start(dir.path());
    watcher.wait_for("wrote");
    // One save written in pieces, as editors and spreadsheet programs do: the file emptied,
    // then written line by line, each piece flushed (a notification each).
    let export = dir.path().join("export.csv");
    let text = EXPORT
        .replace("A;Skole;1 000 000", "A;Skole;1 400 000")
        .replace("Z;Skatt;-1 500 000", "Z;Skatt;-1 900 000");
    {
        use std::io::Write as _;
        let mut file = std::fs::File::create(&export).unwrap();
        for line in text.split_inclusive('\n') {
            file.write_all(line.as_bytes()).unwrap();
            file.flush().unwrap();
        }
    }
    let seen = watcher.wait_for("wrote");
    assert!(squeeze(&pdf_text(&pdf)).contains("A Skole 1 400 000"));
    assert_eq!(
        seen.iter().filter(|l| l.starts_with("changed:")).count(),
        1,
        "{seen:?}"
    );
    // A second render for the same burst would print its lines before those of the next
    // edit's render: the next "wrote" must be the one that names the next edit.
    edit(&dir.path().join("folk.csv"), "1 000", "1 100");
    let seen = watcher.wait_for("wrote");
    assert!(
        seen.iter()
            .any(|l| l.starts_with("changed:") && l.ends_with("folk.csv")),
        "{seen:?}"
    );
    assert!(
        !seen.iter().any(|l| l.ends_with("export.csv")),
        "a second render for the burst: {seen:?}"
    );
}

/// Renders the fixture's report once, as `render` does, into `folder`; its PDF's bytes.
fn cold_render(dir: &Path, folder: &str) -> Vec<u8> {
    let status = common::budsjett()
        .arg("render")
        .arg("--config")
        .arg(dir.join("report.toml"))
        .arg("--templates")
        .arg(dir.join("templates"))
        .arg("--output")
        .arg(dir.join(folder))
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(dir.join(folder).join("t.pdf")).unwrap()
}

/// One edit of one file: the file, its (from, to) replacements, and what the PDF then prints.
type Step<'a> = (&'a Path, &'a [(&'a str, &'a str)], &'a [&'a str]);

#[test]
fn every_re_render_is_the_pdf_a_cold_render_makes_of_the_same_files() {
    // Issue 29: the watcher keeps what did not change (the parsed main source, edited line
    // by line; typst's memoized layout); nothing it keeps may be stale. One file of several
    // is edited at a time, and each PDF is checked by its figures and against a cold render.
    let dir = fixture();
    let pdf = dir.path().join("output/t.pdf");
    let watcher = Watcher::start(dir.path());
    watcher.wait_for("wrote");
    let export = dir.path().join("export.csv");
    let folk = dir.path().join("folk.csv");
    // (file, edits, what the PDF then prints: sums by hand from EXPORT and the edits)
    let steps: [Step; 5] = [
        (
            &export,
            &[
                ("A;Skole;1 000 000", "A;Skole;1 250 000"),
                ("Z;Skatt;-1 500 000", "Z;Skatt;-1 750 000"),
            ],
            &["A Skole 1 250 000", "B Helse 500 000", "Z Skatt −1 750 000"],
        ),
        (
            &folk,
            &[("2023;1 000", "2023;1 250")],
            // Per inhabitant: 500 000 / 1 250 = 400, −1 750 000 / 1 250 = −1 400.
            &["A Skole 1 250 000", "B Helse 400", "Z Skatt −1 400"],
        ),
        (
            &export,
            &[
                ("B;Helse;500 000", "B;Helse;750 000"),
                ("Z;Skatt;-1 750 000", "Z;Skatt;-2 000 000"),
            ],
            // And per inhabitant 750 000 / 1 250 = 600, −2 000 000 / 1 250 = −1 600.
            &[
                "A Skole 1 250 000",
                "B Helse 750 000",
                "Z Skatt −2 000 000",
                "B Helse 600",
                "Z Skatt −1 600",
            ],
        ),
        // A row more (the source gets more syntax nodes: edited line by line), and then an
        // amount of it: 250 000 / 1 250 = 200, −2 250 000 / 1 250 = −1 800; 300 000 / 1 250
        // = 240, −2 300 000 / 1 250 = −1 840.
        (
            &export,
            &[("Z;Skatt;-2 000 000", "C;Kultur;250 000\nZ;Skatt;-2 250 000")],
            &[
                "C Kultur 250 000",
                "Z Skatt −2 250 000",
                "C Kultur 200",
                "Z Skatt −1 800",
            ],
        ),
        (
            &export,
            &[
                ("C;Kultur;250 000", "C;Kultur;300 000"),
                ("Z;Skatt;-2 250 000", "Z;Skatt;-2 300 000"),
            ],
            &[
                "C Kultur 300 000",
                "Z Skatt −2 300 000",
                "C Kultur 240",
                "Z Skatt −1 840",
            ],
        ),
    ];
    for (round, (file, edits, shown)) in steps.into_iter().enumerate() {
        for (from, to) in edits {
            edit(file, from, to);
        }
        let seen = watcher.wait_for("wrote");
        assert!(
            seen.iter().any(|l| l.starts_with("changed:")
                && l.ends_with(&*file.file_name().unwrap().to_string_lossy())),
            "{seen:?}"
        );
        let text = squeeze(&pdf_text(&pdf));
        for figure in shown {
            assert!(
                text.contains(figure),
                "step {round}: {figure:?} not in {text}"
            );
        }
        let watched = std::fs::read(&pdf).unwrap();
        let cold = cold_render(dir.path(), &format!("cold-{round}"));
        assert!(
            watched == cold,
            "step {round}: the watcher's PDF differs from a cold render's"
        );
    }
}
