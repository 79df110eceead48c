//! `budsjett init`: the new report folder checks and renders at once, with no options, and
//! nothing that exists is overwritten.

mod common;

use std::path::Path;
use std::process::Output;

use common::run_in as budsjett;

fn ok(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

/// One line of a PDF's text with its runs of spaces made single.
fn squeezed(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_example_folder_renders_at_once() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("rapport");
    let out = ok(&budsjett(&["init", dir.to_str().unwrap()], scratch.path()));
    assert!(out.contains("No problems found."), "{out}");
    let config = std::fs::read_to_string(dir.join("data/report.toml")).unwrap();
    for key in [
        "name",
        "plan",
        "sources",
        "group_by",
        "statutory",
        "compare",
        "debt",
    ] {
        assert!(config.contains(&format!("{key} = ")), "{key} in {config}");
    }
    // The report uses the built-in templates (issue 25): init writes none.
    assert!(!dir.join("templates").exists());
    ok(&budsjett(&["check"], &dir));
    let rendered = ok(&budsjett(&["render"], &dir));
    assert!(
        rendered.contains("output/budsjett-eksempel.pdf"),
        "{rendered}"
    );
    let text = squeezed(&common::pdf_text(&dir.join("output/budsjett-eksempel.pdf")));
    assert!(text.iter().any(|l| l == "Eksempel kommune"));
    // Hand-computed from init/example/budsjett.csv: Oppvekst 12 000 000 + 8 000 000 in 2025,
    // 12 400 000 + 8 200 000 in 2026; Helse og omsorg 9 500 000 + 6 500 000, 9 900 000 +
    // 6 700 000. The report prints in 1 000 kr (issue 24, item 11): 20 000, 20 600 and so on.
    assert!(
        text.iter()
            .any(|l| l.ends_with("Beløp i 1 000 kr, løpende priser.")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with("1 Oppvekst 20 000 20 600 600 3,0 %")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with("2 Helse og omsorg 16 000 16 600 600 3,8 %"))
    );
}

#[test]
fn a_folder_from_an_export_renders_at_once() {
    let repo = Path::new(common::REPO);
    let export = repo.join("../shared/realdata/bergen-2012-drift.csv");
    assert!(
        export.exists(),
        "../shared/realdata must be beside the repository"
    );
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("bergen");
    ok(&budsjett(
        &[
            "init",
            dir.to_str().unwrap(),
            "--from",
            export.to_str().unwrap(),
        ],
        scratch.path(),
    ));
    let config = std::fs::read_to_string(dir.join("data/report.toml")).unwrap();
    assert!(config.contains("plan = [2012, 2015]"), "{config}");
    assert!(config.contains("sources = [\"bergen-2012-drift.toml\"]"));
    assert!(dir.join("data/bergen-2012-drift.toml").is_file());
    ok(&budsjett(&["render"], &dir));
    let text = squeezed(&common::pdf_text(&dir.join("output/bergen-2012-drift.pdf")));
    assert!(text.iter().any(|l| l == "Bergen kommune"));
    // The shared data's README: Bergen 2012 drift sums to −110 kr in 2012, printed exactly.
    assert!(
        text.iter()
            .any(|l| l.contains("2012") && l.contains("−110 kr")),
        "{text:?}"
    );
}

#[test]
fn an_existing_report_folder_is_left_alone() {
    let scratch = tempfile::tempdir().unwrap();
    let data = scratch.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("report.toml"), "# mine\n").unwrap();
    let output = budsjett(&["init", "."], scratch.path());
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(data.join("report.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!scratch.path().join("templates").exists());
    assert!(!data.join("budsjett.csv").exists());
}
