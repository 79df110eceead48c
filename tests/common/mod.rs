//! Helpers shared by the integration tests: a scratch copy of the sample report, running the
//! real binary (every test starts it through [`budsjett`]), copying a folder, a decimal from
//! its text, and reading text back out of a PDF with poppler's `pdftotext`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The `budsjett` binary, ready for its arguments, speaking English whatever the locale of
/// the machine running the tests (`tests/messages.rs` tests the other languages).
pub fn budsjett() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_budsjett"));
    in_english(&mut command);
    command
}

/// Makes a run of the program word its messages in English: the locale variables it reads
/// say `C`.
pub fn in_english(command: &mut Command) -> &mut Command {
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
}

/// Copies the folder `from`, with everything under it, to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A decimal from its text, e.g. `d("-1234.5")`.
pub fn d(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap()
}

/// A temporary copy of `data/` plus an output folder; templates are used in place.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        for entry in std::fs::read_dir(Path::new(REPO).join("data")).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
            }
        }
        // The chapter's own text (issue 27), which the sample's configurations name.
        for prose in ["tekst", "tekst-nn"] {
            copy_dir(&Path::new(REPO).join("data").join(prose), &data.join(prose));
        }
        Scratch { dir }
    }

    pub fn data(&self, file: &str) -> PathBuf {
        self.dir.path().join("data").join(file)
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    pub fn pdf(&self) -> PathBuf {
        self.output().join("strategier-og-tiltak.pdf")
    }

    /// Replaces `from` with `to` in a data file, asserting that `from` was there.
    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.data(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    pub fn write(&self, file: &str, text: &str) {
        std::fs::write(self.data(file), text).unwrap();
    }

    /// Runs `budsjett render` on this copy, with any extra arguments.
    pub fn render(&self, extra: &[&str]) -> Output {
        let mut command = budsjett();
        command
            .arg("render")
            .arg("--config")
            .arg(self.data("report.toml"))
            .arg("--templates")
            .arg(Path::new(REPO).join("templates"))
            .arg("--output")
            .arg(self.output())
            .args(extra);
        command.output().expect("the budsjett binary runs")
    }

    pub fn render_ok(&self) -> Output {
        let output = self.render(&[]);
        assert!(
            output.status.success(),
            "render failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

/// The text of a PDF as `pdftotext -layout` gives it, with no-break spaces made plain.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: .ci/run installs it");
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
}

/// Collapses runs of spaces so table rows can be matched regardless of column widths.
pub fn squeeze(text: &str) -> String {
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The names of the files in a folder, sorted.
pub fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The text as one line: whitespace collapsed, and words hyphenated at a line end joined.
pub fn flat(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    let mut lines = text.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        let next_starts_lower = lines
            .peek()
            .and_then(|l| l.chars().next())
            .is_some_and(char::is_lowercase);
        let ends_in_word_hyphen =
            line.ends_with('-') && line.chars().rev().nth(1).is_some_and(char::is_alphabetic);
        if ends_in_word_hyphen && next_starts_lower {
            joined.push_str(&line[..line.len() - 1]);
        } else {
            joined.push_str(line);
            joined.push(' ');
        }
    }
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows of the printed tables (`pdftotext -layout` text) that start with `label`: their
/// cells, split where two or more spaces stand between them.
pub fn table_rows(text: &str, label: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix(label))
        .filter(|rest| rest.starts_with("  "))
        .map(|rest| {
            rest.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// A folder with one export (`file`) and one profile (`profile.toml`) that reads it.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(file: &str, bytes: &[u8], profile: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(file), bytes).unwrap();
        std::fs::write(dir.path().join("profile.toml"), profile).unwrap();
        Fixture { dir }
    }

    pub fn profile_path(&self) -> PathBuf {
        self.dir.path().join("profile.toml")
    }
}

/// Runs the `budsjett` binary with `args` in `dir`.
pub fn run_in(args: &[&str], dir: &Path) -> Output {
    budsjett()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the budsjett binary runs")
}

/// The profile of a long export by KOSTRA art and funksjon (columns
/// `omr;omr_tekst;art;funksjon;aar;belop`, the version `budsjett`), which the statutory
/// overviews read: `file` is the export, `part` is `drift` or `investering`.
pub fn kostra_profile(file: &str, part: &str) -> String {
    format!(
        r#"
[source]
file = "{file}"
part = "{part}"
[layout]
kind = "long"
amount = "belop"
year = "aar"
version = "budsjett"
[dimensions]
area = {{ label = "Område", code = "omr", text = "omr_tekst" }}
art = {{ code = "art", kostra = [2, 4] }}
service = {{ code = "funksjon", chart = "kostra" }}
"#
    )
}

/// A long export by KOSTRA art and funksjon, as [`kostra_profile`] reads it: a line per
/// (area as `code;name`, art, funksjon, year, amount in kroner as the cell holds it).
pub fn kostra_export<'a, A: std::fmt::Display + 'a>(
    lines: impl IntoIterator<Item = &'a (&'a str, &'a str, &'a str, i32, A)>,
) -> String {
    let mut csv = String::from("omr;omr_tekst;art;funksjon;aar;belop\n");
    for (area, art, funksjon, year, amount) in lines {
        csv.push_str(&format!("{area};{art};{funksjon};{year};{amount}\n"));
    }
    csv
}

/// Every `.rs` file under `src/`.
pub fn rust_sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(REPO).join("src"), &mut out);
    out.sort();
    out
}
