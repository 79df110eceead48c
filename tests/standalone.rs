//! One binary that stands alone (issue 25): the templates, words catalogues and KOSTRA
//! tables are built in, so a copy of the program in an empty folder makes, checks and renders
//! a report (statutory overviews, nynorsk, one PDF per sector, explain) with byte for byte the
//! PDFs the source tree's folders give; and a report's own templates folder overrides the
//! built-in files it has, the built-in ones serving the rest.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::REPO;

/// Runs `program` with `args` in `dir`, with no environment that names the source tree.
fn run(program: &Path, args: &[&str], dir: &Path) -> Output {
    common::in_english(&mut std::process::Command::new(program))
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("the budsjett binary runs")
}

fn ok(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text
}

/// A copy of the program alone in an empty folder, as a finance officer has it.
fn program_alone(folder: &Path) -> PathBuf {
    let name = Path::new(env!("CARGO_BIN_EXE_budsjett"))
        .file_name()
        .unwrap();
    let program = folder.join(name);
    std::fs::copy(env!("CARGO_BIN_EXE_budsjett"), &program).unwrap();
    program
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_report_made_in_an_empty_folder_renders_the_source_trees_pdfs() {
    let export = Path::new(REPO).join("../shared/realdata/stavanger-2016-drift.csv");
    let empty = tempfile::tempdir().unwrap();
    let program = program_alone(empty.path());
    let made = ok(&run(
        &program,
        &["init", "alone", "--from", export.to_str().unwrap()],
        empty.path(),
    ));
    assert!(made.contains("No problems found."), "{made}");
    let alone = empty.path().join("alone");
    assert!(
        !alone.join("templates").exists(),
        "init writes no templates"
    );
    // The statutory overviews with the built-in KOSTRA tables, in nynorsk.
    let config = alone.join("data/report.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("# statutory = \"kostra\""), "{text}");
    assert!(text.contains("# language = \"nn\""), "{text}");
    let text = text
        .replace("# statutory = \"kostra\"", "statutory = \"kostra\"")
        .replace("# language = \"nn\"", "language = \"nn\"");
    std::fs::write(&config, text).unwrap();

    let checked = ok(&run(&program, &["check"], &alone));
    assert!(checked.contains("  drift-rows.csv (built in)"), "{checked}");
    ok(&run(&program, &["render"], &alone));
    ok(&run(
        &program,
        &["render", "--each", "area", "--quiet"],
        &alone,
    ));
    let explained = ok(&run(&program, &["explain", "--row", "5-4:6"], &alone));
    // explain answers in the report's language (nynorsk here).
    assert!(explained.starts_with("§ 5-4 linje 6"), "{explained}");

    let pdf = alone.join("output/stavanger-2016-drift.pdf");
    let printed = common::flat(&common::pdf_text(&pdf));
    for words in [
        "Løyvingsoversikt drift 2016",
        "drift-rows.csv (innebygd)",
        "KOSTRA-mappinga er den som er innebygd i programmet",
        "Malane og ordlista er dei som er innebygde i budsjett 0.1.0 (kjeldeversjon",
    ] {
        assert!(printed.contains(words), "{words:?} in {printed}");
    }

    // The same report beside the source tree's folders, named explicitly: the KOSTRA folder
    // beside report.toml (statutory = "kostra") and the templates with --templates.
    let beside = empty.path().join("beside");
    std::fs::create_dir_all(beside.join("data/kostra")).unwrap();
    for entry in std::fs::read_dir(alone.join("data")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), beside.join("data").join(entry.file_name())).unwrap();
        }
    }
    // The sectors' prose that init wrote (issue 27) belongs to the report too.
    common::copy_dir(&alone.join("data/tekst"), &beside.join("data/tekst"));
    for entry in std::fs::read_dir(Path::new(REPO).join("data/kostra")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            beside.join("data/kostra").join(entry.file_name()),
        )
        .unwrap();
    }
    let templates = Path::new(REPO).join("templates");
    let templates = templates.to_str().unwrap();
    ok(&run(
        &program,
        &["render", "--templates", templates],
        &beside,
    ));
    ok(&run(
        &program,
        &[
            "render",
            "--each",
            "area",
            "--quiet",
            "--templates",
            templates,
        ],
        &beside,
    ));
    let pdfs: Vec<_> = std::fs::read_dir(alone.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(pdfs.len() > 10, "{pdfs:?}");
    for name in pdfs {
        let made_alone = std::fs::read(alone.join("output").join(&name)).unwrap();
        let made_beside = std::fs::read(beside.join("output").join(&name)).unwrap();
        assert!(made_alone == made_beside, "{name:?} differs");
    }

    // One KOSTRA table of the report's own: it wins, the built-in ones serve the rest, and
    // the colophon tells them apart.
    ok(&run(
        &program,
        &["templates", "data/kostra", "--kostra", "drift-mapping.csv"],
        &alone,
    ));
    let mapping = alone.join("data/kostra/drift-mapping.csv");
    let mut own = std::fs::read(&mapping).unwrap();
    own.extend(b"# checked by the municipality\n");
    std::fs::write(&mapping, &own).unwrap();
    ok(&run(&program, &["render"], &alone));
    let printed = common::flat(&common::pdf_text(&pdf));
    for words in [
        format!("kostra/drift-mapping.csv KOSTRA-mapping – {}", sha256(&own)),
        "drift-rows.csv (innebygd)".to_string(),
        "Filene i KOSTRA-mappinga (mappa kostra;".to_string(),
    ] {
        assert!(printed.contains(&words), "{words:?} in {printed}");
    }
    assert!(!printed.contains("drift-mapping.csv (innebygd)"));
}

#[test]
fn a_local_template_overrides_its_built_in_file_and_the_rest_stay_built_in() {
    let scratch = tempfile::tempdir().unwrap();
    let program = PathBuf::from(env!("CARGO_BIN_EXE_budsjett"));
    ok(&run(&program, &["init", "r"], scratch.path()));
    let dir = scratch.path().join("r");
    // Only the one template is written out; style.typ, _macros.typ.j2 and the words stay
    // built in.
    let wrote = ok(&run(
        &program,
        &["templates", "templates", "budsjett.typ.j2"],
        &dir,
    ));
    assert_eq!(wrote.lines().count(), 1, "{wrote}");
    let template = dir.join("templates/budsjett.typ.j2");
    assert!(!dir.join("templates/style.typ").exists());
    let own = std::fs::read_to_string(&template).unwrap().replacen(
        "#title-page(",
        "#heading(outlined: false)[Kommunens egen forside]\n\n#title-page(",
        1,
    );
    std::fs::write(&template, &own).unwrap();

    ok(&run(&program, &["render"], &dir));
    let pdf = dir.join("output/budsjett-eksempel.pdf");
    let printed = common::flat(&common::pdf_text(&pdf));
    assert!(printed.contains("Kommunens egen forside"), "{printed}");
    // The built-in files serve the rest: the tables (_macros.typ.j2), the words (nb.toml).
    assert!(
        printed.contains("1 Oppvekst 20 000 20 600 600 3,0 %"),
        "{printed}"
    );
    // The colophon names the local file with its SHA-256.
    let colophon = format!("budsjett.typ.j2 {}", sha256(own.as_bytes()));
    assert!(
        printed.contains("bortsett fra disse lokale filene"),
        "{printed}"
    );
    assert!(printed.contains(&colophon), "{colophon} in {printed}");

    // Writing it out again is refused and leaves the edit; --overwrite restores the
    // built-in file, and the report is the built-in one again.
    let refused = run(&program, &["templates", "templates"], &dir);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        common::stderr(&refused).contains("found an existing file, expected none"),
        "{}",
        common::stderr(&refused)
    );
    assert!(!dir.join("templates/style.typ").exists(), "nothing written");
    assert_eq!(std::fs::read_to_string(&template).unwrap(), own);
    ok(&run(
        &program,
        &["templates", "templates", "--overwrite"],
        &dir,
    ));
    assert!(dir.join("templates/words/nn.toml").is_file());
    ok(&run(&program, &["render"], &dir));
    let printed = common::flat(&common::pdf_text(&pdf));
    assert!(!printed.contains("Kommunens egen forside"));
    assert!(!printed.contains("bortsett fra disse lokale filene"));
    assert!(printed.contains("Malene og ordlisten er de som er innebygd i budsjett 0.1.0"));
}

#[test]
fn a_misspelt_folder_is_refused_not_replaced_by_the_built_in_files() {
    let scratch = tempfile::tempdir().unwrap();
    let program = PathBuf::from(env!("CARGO_BIN_EXE_budsjett"));
    ok(&run(&program, &["init", "r"], scratch.path()));
    let dir = scratch.path().join("r");
    let refused = run(&program, &["render", "--templates", "tempaltes"], &dir);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        common::stderr(&refused).contains("--templates tempaltes: found no such folder"),
        "{}",
        common::stderr(&refused)
    );
    let refused = run(&program, &["templates", "t", "stil.typ"], &dir);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        common::stderr(&refused).contains("stil.typ: found no such built-in file"),
        "{}",
        common::stderr(&refused)
    );
    assert!(!dir.join("t").exists());
    assert!(!dir.join("output").exists());
}
