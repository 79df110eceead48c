//! Bad input: each case gets one clear message naming file, line and column, a non-zero exit,
//! and leaves the previous PDF exactly as it was.

mod common;

use common::{Scratch, stderr};

/// Renders a good PDF first, breaks the data with `break_it`, renders again and checks that the
/// run failed with a message containing every part of `expected`, and that the PDF is unchanged.
fn fails_cleanly(break_it: impl FnOnce(&Scratch), expected: &[&str]) -> String {
    let scratch = Scratch::new();
    scratch.render_ok();
    let before = std::fs::read(scratch.pdf()).unwrap();
    break_it(&scratch);
    let output = scratch.render(&[]);
    let message = stderr(&output);
    assert!(!output.status.success(), "render succeeded on bad input");
    assert_eq!(output.status.code(), Some(1));
    for part in expected {
        assert!(message.contains(part), "message lacks {part:?}:\n{message}");
    }
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(
        std::fs::read(scratch.pdf()).unwrap(),
        before,
        "the previous PDF was changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(scratch.output())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "strategier-og-tiltak.pdf")
        .collect();
    assert!(leftovers.is_empty(), "files left behind: {leftovers:?}");
    message
}

#[test]
fn missing_file() {
    fails_cleanly(
        |s| std::fs::remove_file(s.data("amounts.csv")).unwrap(),
        &["amounts.csv: the file does not exist"],
    );
}

#[test]
fn missing_column() {
    fails_cleanly(
        |s| {
            s.edit(
                "amounts.csv",
                "programme;first_year;last_year;basis;kind;source;amount",
                "programme;first_year;last_year;basis;kind;source;belop",
            )
        },
        &["amounts.csv:1: missing column \"amount\"", "\"belop\""],
    );
}

#[test]
fn amount_that_is_not_a_number() {
    fails_cleanly(
        |s| {
            s.edit(
                "amounts.csv",
                ";20 000 000\nbaerekraft",
                ";20 mill\nbaerekraft",
            )
        },
        &["amounts.csv:2:7: column \"amount\": found \"20 mill\", expected an amount"],
    );
}

#[test]
fn unknown_programme_id_in_an_amount() {
    fails_cleanly(
        |s| s.edit("amounts.csv", "baerekraft;2023", "barekraft;2023"),
        &[
            "amounts.csv:3:1: column \"programme\": found the programme id \"barekraft\"",
            "programmes.csv",
        ],
    );
}

#[test]
fn year_outside_the_report_period() {
    fails_cleanly(
        |s| {
            s.edit(
                "amounts.csv",
                "baerekraft;2023;2026",
                "baerekraft;2023;2036",
            )
        },
        &[
            "amounts.csv:3:3: column \"last_year\": found the year 2036",
            "2018–2031",
        ],
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let message = fails_cleanly(
        |s| {
            s.edit(
                "amounts.csv",
                ";20 000 000\nbaerekraft",
                ";tjue\nbaerekraft",
            );
            s.edit(
                "phases.csv",
                "lademoen;Forprosjekt;2021",
                "lademoen;Forprosjekt;20x1",
            );
        },
        &["amounts.csv:2:7", "phases.csv:5:3"],
    );
    assert_eq!(
        message.lines().filter(|l| l.contains(".csv:")).count(),
        2,
        "{message}"
    );
}

#[test]
fn a_broken_template_names_the_template() {
    let scratch = Scratch::new();
    let templates = scratch.dir.path().join("templates");
    common::copy_dir(
        &std::path::Path::new(common::REPO).join("templates"),
        &templates,
    );
    let main = templates.join("strategier.typ.j2");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        text.replace("{{ meta.date }}", "{{ meta.no_such_field }}"),
    )
    .unwrap();
    let output = render_with(&scratch, &templates);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains("strategier.typ.j2:"), "{message}");
    assert!(!scratch.pdf().exists());
}

#[test]
fn a_typst_package_import_is_refused_offline() {
    let scratch = Scratch::new();
    let templates = scratch.dir.path().join("templates");
    common::copy_dir(
        &std::path::Path::new(common::REPO).join("templates"),
        &templates,
    );
    let style = templates.join("style.typ");
    let text = std::fs::read_to_string(&style).unwrap();
    std::fs::write(&style, format!("#import \"@preview/cetz:0.3.0\"\n{text}")).unwrap();
    let output = render_with(&scratch, &templates);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains("style.typ:1:"), "{message}");
    assert!(message.contains("works offline"), "{message}");
}

/// Renders the scratch copy's data with another templates folder.
fn render_with(scratch: &Scratch, templates: &std::path::Path) -> std::process::Output {
    common::budsjett()
        .args(["render", "--config"])
        .arg(scratch.data("report.toml"))
        .arg("--templates")
        .arg(templates)
        .arg("--output")
        .arg(scratch.output())
        .output()
        .unwrap()
}

#[test]
fn check_catches_what_render_would_fail_on() {
    // Without its amount, the 0-24 text (data/tekst/0-24.md) has no figure to print: check
    // must say so, at the placeholder, as render would. (An amounts.csv with no rows at all
    // is a data problem of its own.)
    let scratch = Scratch::new();
    scratch.edit(
        "amounts.csv",
        "0-24;2021;2023;period_total;drift;Ikke oppgitt;20 000 000\n",
        "",
    );
    let output = common::budsjett()
        .args(["check", "--config"])
        .arg(scratch.data("report.toml"))
        .arg("--templates")
        .arg(std::path::Path::new(common::REPO).join("templates"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    // Line 8 of 0-24.md begins with the amount: "{{beløp 1}} for perioden …".
    assert!(stdout.contains("0-24.md:8:1:"), "{stdout}");
    assert!(stdout.contains("{{beløp 1}}"), "{stdout}");
}

#[test]
fn an_error_in_an_included_template_names_that_file_and_line() {
    let scratch = Scratch::new();
    let templates = scratch.dir.path().join("templates");
    common::copy_dir(
        &std::path::Path::new(common::REPO).join("templates"),
        &templates,
    );
    // An area without its own text prints areas/_default.typ.j2, included by the report.
    std::fs::remove_file(scratch.data("tekst/kunnskap.md")).unwrap();
    let area = templates.join("areas/_default.typ.j2");
    let text = std::fs::read_to_string(&area).unwrap();
    std::fs::write(&area, format!("{text}{{{{ area.nmae }}}}\n")).unwrap();
    let output = render_with(&scratch, &templates);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(
        message.contains("areas/_default.typ.j2:4: template error: undefined"),
        "{message}"
    );
}

#[test]
fn a_column_given_twice_is_refused() {
    fails_cleanly(
        |s| s.edit("amounts.csv", "source;amount", "source;amount;Amount"),
        &["amounts.csv:1: found the column \"amount\" twice"],
    );
}

#[test]
fn a_date_that_does_not_exist_is_refused() {
    fails_cleanly(
        |s| s.edit("milestones.csv", "2022-01-01", "2022-02-30"),
        &["milestones.csv:3:2: column \"date\": found \"2022-02-30\""],
    );
}

/// Every file the program reads from the user goes through `src/input.rs`, which opens regular
/// files only (a FIFO or a device named as an input would block `check` for ever) and refuses
/// one file reached by two paths. A reader that opens a file itself escapes that rule: this
/// scan of `src/` (outside `input.rs` and the unit tests) finds any such call.
#[test]
fn every_input_is_opened_through_input_rs() {
    let opening = ["fs::read(", "fs::read_to_string(", "File::open("];
    let mut found = Vec::new();
    for file in common::rust_sources() {
        if file.ends_with("src/input.rs") || file.ends_with("build.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("\n#[cfg(test)]").next().unwrap();
        for (number, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            if opening.iter().any(|call| line.contains(call)) && !line.contains("not an input:") {
                found.push(format!("{}:{}: {line}", file.display(), number + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "read through crate::input (or say `// not an input: <why>`):\n{}",
        found.join("\n")
    );
}
