//! The reports' words come from `templates/words/<language>.toml`: the sample chapter and a
//! whole-budget report rendered in nynorsk (`language = "nn"`) read back out of the PDF, the
//! PDF's language, and a catalogue that falls short of bokmål's is a clear error.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{REPO, Scratch, flat, pdf_text, stderr};

fn run(args: &[&str], config: &Path, templates: &Path, output: &Path) -> Output {
    common::budsjett()
        .args(args)
        .arg("--config")
        .arg(config)
        .arg("--templates")
        .arg(templates)
        .arg("--output")
        .arg(output)
        .output()
        .expect("the budsjett binary runs")
}

fn templates() -> PathBuf {
    Path::new(REPO).join("templates")
}

fn assert_has(text: &str, words: &[&str]) {
    for w in words {
        assert!(text.contains(w), "expected {w:?} in:\n{text}");
    }
}

fn assert_lacks(text: &str, words: &[&str]) {
    for w in words {
        assert!(!text.contains(w), "found the bokmål {w:?} in:\n{text}");
    }
}

/// The language the PDF declares: the catalog's /Lang and the XMP metadata's dc:language.
fn assert_pdf_language(pdf: &Path, lang: &str) {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains(&format!("/Lang({lang}-NO)")),
        "no /Lang({lang}-NO) in {}",
        pdf.display()
    );
    assert!(
        text.contains(&format!("<rdf:li>{lang}-NO</rdf:li>")),
        "no dc:language {lang}-NO in {}",
        pdf.display()
    );
}

#[test]
fn the_sample_chapters_frame_in_nynorsk() {
    let scratch = Scratch::new();
    let output = run(
        &["render"],
        &scratch.data("report-nn.toml"),
        &templates(),
        &scratch.output(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = scratch.output().join("strategiar-og-tiltak.pdf");
    let text = flat(&pdf_text(&pdf));
    assert_has(
        &text,
        &[
            "Strategiar og tiltak",
            "Innhald",
            "Planperiode 2023–2026",
            "Dato 1. november 2022",
            "Om kapittelet",
            "Slik les du tala",
            "Program og fasar 2018–2031. Planperioden 2023–2026 er skuggelagd",
            "Milepælar",
            "1. januar 2022",
            "Økonomiplan 2023–2026: årlege beløp per program. Beløp i kroner.",
            "Periode frå 2022",
            "samla fram mot 2030, ikkje fordelt på år",
            "(ekstern finansiering, inngår ikkje i budsjettet til kommunen)",
            "Kjelder og fingeravtrykk",
            "Rapporten er laga med budsjett",
        ],
    );
    // The frame's bokmål is gone (the chapter's own text in data/tekst-nn/ and the data stay
    // as the source chapter wrote them, so words such as "ikke" may occur there).
    assert_lacks(
        &text,
        &[
            // "Innholdet" is a word of the chapter's own text.
            "Innhold ",
            "Om kapitlet",
            "Slik leser du",
            "Programmer og faser",
            "Milepæler",
            "fra 2022",
            "årlige beløp",
            "ikke fordelt på år",
            "Kilder og fingeravtrykk",
            "Rapporten er laget med",
        ],
    );
    assert_pdf_language(&pdf, "nn");
}

#[test]
fn the_sample_chapter_in_bokmal_declares_bokmal() {
    let scratch = Scratch::new();
    scratch.render_ok();
    let text = flat(&pdf_text(&scratch.pdf()));
    assert_has(
        &text,
        &["Innhold", "Slik leser du tallene", "Periode fra 2022"],
    );
    assert_pdf_language(&scratch.pdf(), "nb");
}

/// A small export with nynorsk names and no dimension labels in its profile, so the report's
/// defaults name the dimensions; budget and accounts of 2024 and a budget for 2025. In
/// 1 000 kr each 1 400 kr prints as 1, and the sum 4 200 as 4: with `footing = "note"` the
/// sums differ from the printed rows.
const EXPORT: &str = "omr;omr_tekst;tjeneste;tjeneste_tekst;versjon;aar;belop
1;Oppvekst;201;Barnehage;budsjett;2024;1 400
1;Oppvekst;202;Skule;budsjett;2024;1 400
2;Helse;253;Sjukeheim;budsjett;2024;1 400
9;Finans;800;Skatt;budsjett;2024;-4 200
1;Oppvekst;201;Barnehage;rekneskap;2024;1 300
1;Oppvekst;202;Skule;rekneskap;2024;1 500
2;Helse;253;Sjukeheim;rekneskap;2024;1 400
9;Finans;800;Skatt;rekneskap;2024;-4 200
1;Oppvekst;201;Barnehage;budsjett;2025;1 500
1;Oppvekst;202;Skule;budsjett;2025;1 400
2;Helse;253;Sjukeheim;budsjett;2025;1 400
9;Finans;800;Skatt;budsjett;2025;-4 300
";

fn budget_report(language: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("eksport.csv"), EXPORT).unwrap();
    std::fs::write(
        dir.path().join("profil.toml"),
        "[source]\nfile = \"eksport.csv\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = \"aar\"\nversion_column = \"versjon\"\n[dimensions]\n\
         area = { code = \"omr\", text = \"omr_tekst\" }\n\
         service = { code = \"tjeneste\", text = \"tjeneste_tekst\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        format!(
            "[report]\nname = \"budsjett\"\nmunicipality = \"Prøve kommune\"\n\
             document = \"Budsjett 2024\"\ntitle = \"Driftsbudsjett\"\ndate = 2024-03-01\n\
             template = \"budsjett.typ.j2\"\nlanguage = \"{language}\"\n\
             [period]\nplan = [2024, 2025]\n[budget]\nsources = [\"profil.toml\"]\n\
             version = \"budsjett\"\ngroup_by = \"area\"\ndetail_by = \"service\"\n\
             unit = \"1000 kr\"\nfooting = \"note\"\n\
             compare = [{{ version = \"budsjett\", year = 2024, label = \"Budsjett 2024\" }}, \
             {{ version = \"rekneskap\", year = 2024, label = \"Rekneskap 2024\" }}]\n"
        ),
    )
    .unwrap();
    let output = run(
        &["render"],
        &dir.path().join("report.toml"),
        &templates(),
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = dir.path().join("budsjett.pdf");
    (dir, pdf)
}

#[test]
fn a_whole_budget_report_in_nynorsk() {
    let (_dir, pdf) = budget_report("nn");
    let text = flat(&pdf_text(&pdf));
    assert_has(
        &text,
        &[
            "Innhald",
            "Planperiode 2024–2025",
            "Dato 1. mars 2024",
            "Samandrag",
            "Rapporten byggjer på éi eksportfil frå økonomisystemet til kommunen",
            "med halve einingar bort frå null",
            "budsjettet er i balanse; summen av alle linjene er 0 kr",
            "Sum per år og versjon. Beløp i 1 000 kr, løpande prisar.",
            "År og versjon Utgifter Inntekter Netto (balanse)",
            "Budsjett og rekneskap",
            "Avvik per tenesteområde: Budsjett 2024 og Rekneskap 2024.",
            "Tenesteområde Budsjett 2024 Rekneskap Avvik Forbruk 2024 %",
            "Avvik er budsjett minus rekneskap",
            "Mindreforbruk",
            "Netto per tenesteområde",
            "Tenesteområde 2024 2025 Endring Endring 2024–2025 %",
            "Sum (balanse)",
            "Endring frå året før",
            "Utgifter og inntekter per år",
            "Summane kan avvike på grunn av avrunding.",
            "Teneste per tenesteområde",
            "Netto per teneste, Oppvekst, budsjett 2024–2025.",
            "Sum Oppvekst",
            "Kjelder og fingeravtrykk",
            "med halve einingar bort frå null",
        ],
    );
    assert_lacks(
        &text,
        &[
            "Tjenesteområde",
            "tjenesteområde",
            "Tjeneste",
            "Innhold",
            "Sammendrag",
            "Summene",
            "løpende",
            "regnskap",
            " ikke ",
            " fra ",
            "regnet",
            "avrundet",
        ],
    );
    assert_pdf_language(&pdf, "nn");
}

#[test]
fn the_same_budget_report_in_bokmal_names_the_dimensions_in_bokmal() {
    let (_dir, pdf) = budget_report("nb");
    let text = flat(&pdf_text(&pdf));
    assert_has(
        &text,
        &[
            "Innhold",
            "Sammendrag",
            "Netto per tjenesteområde",
            "Tjenesteområde 2024 2025 Endring Endring 2024–2025 %",
            "Tjeneste per tjenesteområde",
            "Summene kan avvike på grunn av avrunding.",
            "Budsjett og regnskap",
        ],
    );
    assert_lacks(&text, &["Tenesteområde", "Innhald", "Summane"]);
    assert_pdf_language(&pdf, "nb");
}

#[test]
fn explain_answers_a_nynorsk_report_in_nynorsk() {
    let (dir, pdf) = budget_report("nn");
    let output = common::budsjett()
        .args(["explain", "--config"])
        .arg(dir.path().join("report.toml"))
        .arg("--templates")
        .arg(templates())
        .args(["--group", "1", "--year", "2024"])
        .output()
        .expect("the budsjett binary runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    // Oppvekst 2024 (hand): 1 400 + 1 400 = 2 800 kr, 2,8 in 1 000 kr, printed 3.
    assert_has(
        &out,
        &[
            "1 Oppvekst, 2024, versjon budsjett (drift):",
            "eksport.csv:2: 1 Oppvekst | 201 Barnehage | 1 400 kr",
            "2 linjer, nøyaktig sum 2 800 kr",
            "avrunda éin gong til 1 000 kr med 0 desimalar, halve einingar bort frå null: 3",
            "summering: kvart tal avrunda for seg",
            "skrive ut: 3 i «Netto per tenesteområde",
        ],
    );
    assert_lacks(
        &out,
        &[
            "avrundet",
            "én gang",
            "enheter",
            "hvert",
            "skrevet",
            " fra ",
            "ikke",
            "tjenesteområde",
            "printed",
            "lines",
        ],
    );
    // The table it names is the page's, caption and all.
    let caption = out
        .split_once("i «")
        .and_then(|(_, rest)| rest.split_once('»'))
        .map(|(caption, _)| caption.to_string())
        .unwrap();
    assert!(flat(&pdf_text(&pdf)).contains(&caption), "{caption}");
}

/// A copy of the templates with `edit` applied to words/nn.toml.
fn templates_with(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&templates(), dir.path());
    let nn = dir.path().join("words/nn.toml");
    let text = std::fs::read_to_string(&nn).unwrap();
    std::fs::write(&nn, edit(&text)).unwrap();
    dir
}

#[test]
fn a_catalogue_missing_a_key_is_an_error_naming_file_key_and_reference() {
    let templates = templates_with(|t| {
        assert!(t.contains("\nnet = \"Netto\"\n"));
        t.replacen("\nnet = \"Netto\"\n", "\n", 1)
    });
    let scratch = Scratch::new();
    for command in ["render", "check"] {
        let mut args = vec![
            command,
            "--config",
            scratch.data("report-nn.toml").to_str().unwrap(),
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(["--templates".into(), templates.path().display().to_string()]);
        if command == "render" {
            args.extend(["--output".into(), scratch.output().display().to_string()]);
        }
        let output = common::budsjett()
            .args(&args)
            .output()
            .expect("the budsjett binary runs");
        assert!(!output.status.success(), "{command}");
        let err = stderr(&output);
        assert!(err.contains("words/nn.toml"), "{err}");
        assert!(
            err.contains(
                "no key `table.net` (in nb.toml: \"Netto\"); nn.toml falls short of nb.toml"
            ),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(!scratch.output().join("strategiar-og-tiltak.pdf").exists());
}

#[test]
fn a_catalogue_that_drops_a_placeholder_is_an_error() {
    // A translation that forgot {year} would print a period without its year.
    let templates =
        templates_with(|t| t.replacen("from = \"frå\\u00a0{year}\"", "from = \"frå\"", 1));
    let scratch = Scratch::new();
    let output = run(
        &["render"],
        &scratch.data("report-nn.toml"),
        templates.path(),
        &scratch.output(),
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "a catalogue that cannot be used is a configuration error"
    );
    let err = stderr(&output);
    assert!(
        err.contains("key `period.from`: found the placeholders [], expected [\"year\"]"),
        "{err}"
    );
}

#[test]
fn an_unknown_language_names_the_languages_there_are() {
    let scratch = Scratch::new();
    scratch.edit(
        "report-nn.toml",
        "\nlanguage = \"nn\"",
        "\nlanguage = \"se\"",
    );
    let output = run(
        &["render"],
        &scratch.data("report-nn.toml"),
        &templates(),
        &scratch.output(),
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "a language without a catalogue is a configuration error"
    );
    let err = stderr(&output);
    assert!(err.contains("words/se.toml"), "{err}");
    assert!(
        err.contains(
            "no words catalogue for this language; the templates have catalogues for nb, nn"
        ),
        "{err}"
    );
}

#[test]
fn a_third_language_is_one_new_catalogue_file() {
    // A copy of the templates with an English catalogue made from nb.toml: only the file.
    let templates = templates_with(|t| t.to_string());
    let nb = std::fs::read_to_string(templates.path().join("words/nb.toml")).unwrap();
    let en = nb
        .replacen("lang = \"nb\"", "lang = \"en\"", 1)
        .replacen("contents = \"Innhold\"", "contents = \"Contents\"", 1)
        .replacen(
            "plan_period = \"Planperiode\"",
            "plan_period = \"Plan period\"",
            1,
        )
        .replacen(
            "from = \"fra\\u00a0{year}\"",
            "from = \"from\\u00a0{year}\"",
            1,
        );
    std::fs::write(templates.path().join("words/en.toml"), en).unwrap();
    let scratch = Scratch::new();
    scratch.edit(
        "report-nn.toml",
        "\nlanguage = \"nn\"",
        "\nlanguage = \"en\"",
    );
    let output = run(
        &["render"],
        &scratch.data("report-nn.toml"),
        templates.path(),
        &scratch.output(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = scratch.output().join("strategiar-og-tiltak.pdf");
    let text = flat(&pdf_text(&pdf));
    assert_has(
        &text,
        &["Contents", "Plan period 2023–2026", "Periode from 2022"],
    );
    assert_lacks(&text, &["Innhold ", "Planperiode 2023", "fra 2022"]);
    assert_pdf_language(&pdf, "en");
}
