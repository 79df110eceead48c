//! What a render leaves in the output folder: a set of files replaced together and only on
//! success, no temporary files of killed runs, no pages of an earlier, longer report; and
//! settings that cannot work refused before any typesetting.

mod common;

use std::path::Path;

use common::{Scratch, files_in, stderr};

#[test]
fn no_tags_with_a_standard_that_needs_them_is_refused_before_anything_is_read() {
    let scratch = Scratch::new();
    // The data is broken too: the refusal comes first, so it is about the flag, not the data.
    scratch.write("amounts.csv", "");
    for standards in [None, Some("a-2a"), Some("ua-1"), Some("a-2b,ua-1")] {
        let mut args = vec!["--no-tags"];
        if let Some(standards) = standards {
            args.extend(["--pdf-standard", standards]);
        }
        let output = scratch.render(&args);
        let message = stderr(&output);
        // A mistake in the command line: exit code 2.
        assert_eq!(output.status.code(), Some(2), "{standards:?}: {message}");
        assert!(
            message.contains("--no-tags: found the standards")
                && message.contains("which require structure tags"),
            "{standards:?}: {message}"
        );
        assert!(!message.contains("bug"), "{message}");
        assert!(!message.contains("amounts.csv"), "{message}");
    }
    assert!(!scratch.output().exists() || files_in(&scratch.output()).is_empty());
}

#[test]
fn leftovers_of_a_killed_run_are_removed_and_keep_source_comes_with_the_report() {
    let scratch = Scratch::new();
    std::fs::create_dir_all(scratch.output()).unwrap();
    // A temporary file of a process that no longer runs (no pid is this large), and one of
    // this test process, which runs.
    let dead = scratch
        .output()
        .join(".strategier-og-tiltak.pdf.4194305.partial");
    let running = scratch.output().join(format!(
        ".strategier-og-tiltak.pdf.{}.partial",
        std::process::id()
    ));
    std::fs::write(&dead, b"half a PDF").unwrap();
    std::fs::write(&running, b"being written").unwrap();
    scratch.render_ok();
    assert!(
        !dead.exists(),
        "the killed run's temporary file is still there"
    );
    assert!(
        running.exists(),
        "a running process's temporary file was removed"
    );
    std::fs::remove_file(&running).unwrap();

    // --keep-source with a template that fails to typeset: nothing new is written.
    let templates = scratch.dir.path().join("templates");
    common::copy_dir(&Path::new(common::REPO).join("templates"), &templates);
    let style = templates.join("style.typ");
    let text = std::fs::read_to_string(&style).unwrap();
    std::fs::write(&style, format!("{text}\n#panic(\"stopp\")\n")).unwrap();
    let before = std::fs::read(scratch.pdf()).unwrap();
    let output = common::budsjett()
        .args(["render", "--keep-source", "--config"])
        .arg(scratch.data("report.toml"))
        .arg("--templates")
        .arg(&templates)
        .arg("--output")
        .arg(scratch.output())
        .output()
        .unwrap();
    // The template stops typesetting: the report could not be made, exit code 3.
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(files_in(&scratch.output()), ["strategier-og-tiltak.pdf"]);
    assert_eq!(std::fs::read(scratch.pdf()).unwrap(), before);

    // With a good template, the source and view model come with the PDF.
    scratch.render(&["--keep-source"]);
    assert_eq!(
        files_in(&scratch.output()),
        [
            "strategier-og-tiltak.pdf",
            "strategier-og-tiltak.typ",
            "strategier-og-tiltak.view.json"
        ]
    );
}

#[test]
fn png_pages_are_replaced_as_a_set_and_pages_beyond_the_last_removed() {
    let scratch = Scratch::new();
    std::fs::create_dir_all(scratch.output()).unwrap();
    // Pages of an earlier, longer report, and another report's page that must stay.
    let stale = scratch.output().join("strategier-og-tiltak-999.png");
    let other = scratch.output().join("annen-rapport-999.png");
    std::fs::write(&stale, b"old page").unwrap();
    std::fs::write(&other, b"other report").unwrap();
    let output = scratch.render(&["--format", "png", "--ppi", "18"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pages = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.starts_with("wrote "))
        .count();
    assert!(pages > 3, "{pages} pages");
    assert!(!stale.exists(), "a page beyond the last is still there");
    assert!(other.exists(), "another report's page was removed");
    let mut expected: Vec<String> = (1..=pages)
        .map(|n| format!("strategier-og-tiltak-{n}.png"))
        .collect();
    expected.push("annen-rapport-999.png".into());
    expected.sort();
    assert_eq!(files_in(&scratch.output()), expected);

    // Rendering only some pages leaves the others alone.
    let output = scratch.render(&["--format", "png", "--ppi", "18", "--pages", "2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(files_in(&scratch.output()), expected);
}

#[test]
fn the_sandbox_hint_names_the_templates_folder_not_a_root_flag() {
    let scratch = Scratch::new();
    let templates = scratch.dir.path().join("templates");
    common::copy_dir(&Path::new(common::REPO).join("templates"), &templates);
    let style = templates.join("style.typ");
    let text = std::fs::read_to_string(&style).unwrap();
    std::fs::write(
        &style,
        format!("#let secret = read(\"../data/report.toml\")\n{text}"),
    )
    .unwrap();
    let output = common::budsjett()
        .args(["render", "--config"])
        .arg(scratch.data("report.toml"))
        .arg("--templates")
        .arg(&templates)
        .arg("--output")
        .arg(scratch.output())
        .output()
        .unwrap();
    let message = stderr(&output);
    // A template reading outside its folder fails to typeset: exit code 3.
    assert_eq!(output.status.code(), Some(3), "{message}");
    assert!(message.contains("style.typ:1:"), "{message}");
    assert!(!message.contains("--root"), "{message}");
    assert!(message.contains("--templates"), "{message}");
}
