//! Issue 27, sample prose: the strategy chapter's own text in Markdown (`[data] prose`, one
//! file per area and programme), its live figures printed from the chapter's data files.
//! Every expected figure is read by hand from the sample's `data/*.csv`.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Scratch, flat, pdf_text, squeeze, stderr, stdout};

fn run(scratch: &Scratch, command: &str) -> Output {
    let mut cmd = common::budsjett();
    cmd.arg(command)
        .arg("--config")
        .arg(scratch.data("report.toml"))
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"));
    if command == "render" {
        cmd.arg("--output").arg(scratch.output());
    }
    cmd.output().unwrap()
}

fn rendered_text(scratch: &Scratch) -> String {
    let result = run(scratch, "render");
    assert!(result.status.success(), "{}", stderr(&result));
    squeeze(&flat(&pdf_text(&scratch.pdf())))
}

/// An area's file citing every kind of figure of other sections, with the value each prints.
const AREA: &str = "Alle tall:\n\n\
    - A {{antall}}.\n\
    - B {{antall byutvikling}}.\n\
    - C {{nøkkeltall innbyggere_2050}} {{nøkkeltall innbyggere_2050 enhet}}.\n\
    - D {{nøkkeltall forrige_jubileum år}}.\n\
    - E {{beløp baerekraft 1}} per år {{beløp baerekraft 1 periode}}.\n\
    - F {{sum baerekraft}}.\n\
    - G {{beløp elgeseter external}} {{beløp elgeseter 1 periode}}.\n\
    - H {{beløp 0-24 siste start}}.\n\
    - I {{fase lademoen 1}} og {{fase lademoen siste slutt}}.\n\
    - J {{faser tempe-sorgenfri}}.\n\
    - K {{faser oppvekstreformen}}.\n\
    - L {{milepæl oppvekstreformen 1}} og {{milepæl midtbyen siste år}}.\n\
    - M {{nøkkeltall nyhavna_virkemidler}}.\n";

/// By hand from the CSV files: kunnskap has one programme (trd30), byutvikling four; 2050's
/// 255 000 innbyggere; the last jubilee 1997; bærekraft 20 000 000 kr per year 2023–2026, in
/// the plan period 4 × 20 = 80 mill. kr; Elgeseter's state investment of 6 000 000 000 kr up
/// to 2030 (no first year); 0-24's amount from 2021; Lademoen's and Tempe/Sorgenfri's phases
/// 2021–2022 and 2023–2031; the reform's one phase from 2022, in force 1 January 2022;
/// Midtbyen's last milestone 2030; Nyhavna's 10 virkemidler edited to 10,25 below.
const PRINTED: [&str; 13] = [
    "A én.",
    "B fire.",
    "C 255 000 innbyggere.",
    "D 1997.",
    "E 20 mill. kr per år 2023–2026.",
    "F 80 mill. kr.",
    "G 6 mrd. kr fram mot 2030.",
    "H 2021.",
    "I 2021–2022 og 2031.",
    "J forprosjekt 2021–2022; gjennomføring 2023–2031.",
    "K reformen gjelder fra 2022.",
    "L 1. januar 2022 og 2030.",
    "M 10,25.",
];

#[test]
fn every_placeholder_prints_the_chapters_figure() {
    let scratch = Scratch::new();
    std::fs::write(scratch.data("tekst/kunnskap.md"), AREA).unwrap();
    // A programme's own file speaks of that programme: TRD3.0's two agreements and signing.
    std::fs::write(
        scratch.data("tekst/trd30.md"),
        "Avtalen for {{fase siste}} ble signert i {{milepæl 1}}; den forrige gjaldt {{fase 1}}.\n",
    )
    .unwrap();
    scratch.edit(
        "key_figures.csv",
        "nyhavna;Strategiske virkemidler i Kvalitetsprogram for Nyhavna;10;",
        "nyhavna;Strategiske virkemidler i Kvalitetsprogram for Nyhavna;10,25;",
    );
    let text = rendered_text(&scratch);
    for printed in PRINTED {
        assert!(text.contains(printed), "{printed:?} not in:\n{text}");
    }
    assert!(
        text.contains(
            "Avtalen for 2022–2025 ble signert i januar 2022; den forrige gjaldt 2018–2021."
        ),
        "{text}"
    );
}

#[test]
fn a_section_without_a_file_prints_the_catalogues_sentence() {
    let scratch = Scratch::new();
    std::fs::remove_file(scratch.data("tekst/tjenesteutvikling.md")).unwrap();
    std::fs::remove_file(scratch.data("tekst/modernisering.md")).unwrap();
    let text = rendered_text(&scratch);
    // Tjenesteutvikling's four programmes in programmes.csv.
    assert!(
        text.contains("Området omfatter fire satsinger, som er omtalt hver for seg nedenfor."),
        "{text}"
    );
    assert!(
        text.contains("Kildegrunnlaget har ingen egen omtale av Modernisering og teknologi ut over opplysningene i faktaboksen."),
        "{text}"
    );
    // The sections that have a file print it, not the sentence.
    assert!(!text.contains("Satsingene i dette området"), "{text}");
    assert!(
        text.contains("Universitetskommunen TRD3.0 er et strategisk samarbeid"),
        "{text}"
    );
}

#[test]
fn the_chapters_markdown_files_are_in_the_fingerprint_and_the_colophon() {
    let scratch = Scratch::new();
    let before = run(&scratch, "check");
    assert!(before.status.success(), "{}", stderr(&before));
    let listed = stdout(&before);
    for file in ["tekst/0-24.md", "tekst/kunnskap.md", "tekst/trd30.md"] {
        assert!(listed.contains(file), "{file} not in {listed}");
    }
    let digest = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("Fingerprint: "))
            .map(str::to_string)
    };
    // One word changed in a programme's text changes the digest.
    scratch.edit("tekst/sluppen.md", "egner seg godt", "egner seg svært godt");
    let after = stdout(&run(&scratch, "check"));
    assert!(digest(&listed).is_some(), "{listed}");
    assert_ne!(digest(&listed), digest(&after));
    let text = rendered_text(&scratch);
    assert!(text.contains("tekst/trd30.md tekst (Markdown)"), "{text}");
    assert!(text.contains("egner seg svært godt"), "{text}");
}

#[test]
fn a_colophon_taller_than_a_page_starts_under_its_heading() {
    // The sample's colophon lists 22 files (the configuration, six data files, fifteen
    // Markdown files): taller than a page, it breaks, and its heading is never alone.
    let scratch = Scratch::new();
    let result = run(&scratch, "render");
    assert!(result.status.success(), "{}", stderr(&result));
    let text = pdf_text(&scratch.pdf());
    let page = text
        .split('\u{c}')
        .find(|page| {
            page.lines()
                .any(|l| l.trim() == "7 Kilder og fingeravtrykk")
        })
        .unwrap_or_else(|| panic!("no page headed by the colophon in {text}"));
    assert!(
        squeeze(page).contains("Rapporten er laget med budsjett 0.1.0 av 22 filer."),
        "{page}"
    );
}
