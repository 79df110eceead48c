//! A table of bad inputs, over the sample report, an export read through a profile written
//! here, and the report and profile TOML files. For every case, both `check` and `render`
//! must exit with 1 and a message that names the file (and the line and column where there is
//! one), no new file may appear in `output/` and the PDF already there must stay byte for
//! byte. One good PDF is rendered once and put in every case's output folder; the cases fail
//! before typesetting, so each run is quick.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::REPO;

/// An export through a profile: three areas, services and arts; balanced (sums to 0).
const EXPORT: &str = "ansvar;tjomr;tjomr_tekst;tjeneste;tjeneste_tekst;art;beloep\n\
    100;01;Oppvekst;2020;Skole;10100;3 484 248\n\
    100;01;Oppvekst;2020;Skole;16000;-484 248\n\
    200;02;Helse;2530;Pleie;10100;1 000 000\n\
    200;02;Helse;2530;Pleie;18100;-4 000 000\n";

const PROFILE: &str = r#"[source]
file = "export.csv"
unit = "kr"

[layout]
kind = "long"
amount = "beloep"
year = 2024
version = "budsjett"

[dimensions]
responsibility = { label = "Ansvar", code = "ansvar" }
area = { label = "Tjenesteområde", code = "tjomr", text = "tjomr_tekst" }
service = { label = "Tjeneste", code = "tjeneste", text = "tjeneste_tekst" }
art = { label = "Art", code = "art", kostra = [1, 3] }
"#;

const REPORT: &str = r#"[report]
name = "eksport"
municipality = "Prøve kommune"
document = "Budsjett 2024"
title = "Driftsbudsjett"
date = 2024-01-01
template = "budsjett.typ.j2"

[period]
plan = [2024, 2024]

[budget]
sources = ["profile.toml"]
version = "budsjett"
group_by = "area"
detail_by = "service"
"#;

/// One case's folder: `data/` (the sample), `export/` (export, profile, report), `output/`.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        for entry in std::fs::read_dir(Path::new(REPO).join("data")).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
            }
        }
        let export = dir.path().join("export");
        std::fs::create_dir_all(&export).unwrap();
        std::fs::write(export.join("export.csv"), EXPORT).unwrap();
        std::fs::write(export.join("profile.toml"), PROFILE).unwrap();
        std::fs::write(export.join("report.toml"), REPORT).unwrap();
        std::fs::create_dir_all(dir.path().join("output")).unwrap();
        Case { dir }
    }

    /// `data/x.csv` or `export/x.csv`.
    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.path(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn write(&self, file: &str, bytes: &[u8]) {
        std::fs::write(self.path(file), bytes).unwrap();
    }

    fn run(&self, command: &str, config: &str) -> (Option<i32>, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_budsjett"));
        cmd.arg(command)
            .arg("--config")
            .arg(self.path(config))
            .arg("--templates")
            .arg(Path::new(REPO).join("templates"));
        if command == "render" {
            cmd.arg("--output").arg(self.path("output"));
        }
        let output = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code(), text)
    }
}

/// Where a case is set up, and what its messages must contain.
struct Bad {
    name: &'static str,
    /// "data/report.toml" or "export/report.toml".
    config: &'static str,
    setup: Box<dyn Fn(&Case) + Sync>,
    /// Every one must appear in both `check`'s and `render`'s output.
    expected: Vec<&'static str>,
}

const SAMPLE: &str = "data/report.toml";
const BUDGET: &str = "export/report.toml";

fn bad(
    name: &'static str,
    config: &'static str,
    setup: impl Fn(&Case) + Sync + 'static,
    expected: &[&'static str],
) -> Bad {
    Bad {
        name,
        config,
        setup: Box::new(setup),
        expected: expected.to_vec(),
    }
}

/// The sample's files with one replacement each.
fn edit(
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    expected: &[&'static str],
) -> Bad {
    let config = if file.starts_with("export/") {
        BUDGET
    } else {
        SAMPLE
    };
    bad(name, config, move |c| c.edit(file, from, to), expected)
}

fn cases() -> Vec<Bad> {
    let long_name: &'static str =
        Box::leak(format!("0-24;{};tjenesteutvikling", "Pilot ".repeat(300)).into_boxed_str());
    let huge_amount: &'static str =
        Box::leak(format!(";{}x\nbaerekraft", "9".repeat(5000)).into_boxed_str());
    vec![
        // The sample report's CSV files.
        bad(
            "a data file is missing",
            SAMPLE,
            |c| std::fs::remove_file(c.path("data/amounts.csv")).unwrap(),
            &["amounts.csv: the file does not exist"],
        ),
        bad(
            "amounts.csv has only its header",
            SAMPLE,
            |c| {
                c.write(
                    "data/amounts.csv",
                    b"programme;first_year;last_year;basis;kind;source;amount\n",
                )
            },
            &["amounts.csv:1: found only the header line"],
        ),
        bad(
            "areas.csv has only its header",
            SAMPLE,
            |c| c.write("data/areas.csv", b"id;name\n"),
            &["areas.csv:1: found only the header line"],
        ),
        bad(
            "programmes.csv is empty",
            SAMPLE,
            |c| c.write("data/programmes.csv", b""),
            &["programmes.csv:1: missing columns"],
        ),
        edit(
            "a column is missing",
            "data/amounts.csv",
            ";source;amount",
            ";source;belop",
            &["amounts.csv:1: missing column \"amount\""],
        ),
        edit(
            "a column is there twice",
            "data/areas.csv",
            "id;name",
            "id;name;Name",
            &["areas.csv:1: found the column \"name\" twice"],
        ),
        edit(
            "an amount in words",
            "data/amounts.csv",
            ";20 000 000\nbaerekraft",
            ";20 mill\nbaerekraft",
            &["amounts.csv:2:7: column \"amount\": found \"20 mill\""],
        ),
        edit(
            "an amount with one dot",
            "data/amounts.csv",
            ";20 000 000\nbaerekraft",
            ";1.234\nbaerekraft",
            &["amounts.csv:2:7: column \"amount\": found \"1.234\""],
        ),
        edit(
            "an empty amount",
            "data/amounts.csv",
            ";20 000 000\nbaerekraft",
            ";\nbaerekraft",
            &["amounts.csv:2:7: column \"amount\": found an empty cell"],
        ),
        edit(
            "an amount with an exponent",
            "data/amounts.csv",
            ";20 000 000\nbaerekraft",
            ";2e7\nbaerekraft",
            &["amounts.csv:2:7: column \"amount\": found \"2e7\""],
        ),
        edit(
            "a huge amount cell is quoted in part",
            "data/amounts.csv",
            ";20 000 000\nbaerekraft",
            huge_amount,
            &[
                "amounts.csv:2:7: column \"amount\": found a text of more than 1000 characters (\"999",
                "…",
            ],
        ),
        edit(
            "an amount too large for kroner",
            "data/amounts.csv",
            ";20 000 000\nbaerekraft",
            ";99999999999999999999999999999999\nbaerekraft",
            &["amounts.csv:2:7"],
        ),
        edit(
            "an unknown basis",
            "data/amounts.csv",
            "period_total;drift;Ikke oppgitt",
            "per_month;drift;Ikke oppgitt",
            &["amounts.csv:2:4: column \"basis\": found \"per_month\""],
        ),
        edit(
            "an unknown kind",
            "data/amounts.csv",
            "period_total;drift;Ikke oppgitt",
            "period_total;driftt;Ikke oppgitt",
            &["amounts.csv:2:5: column \"kind\": found \"driftt\""],
        ),
        edit(
            "a year with a letter",
            "data/amounts.csv",
            "0-24;2021;",
            "0-24;20x1;",
            &["amounts.csv:2:2: column \"first_year\": found \"20x1\""],
        ),
        edit(
            "a last year before the first",
            "data/amounts.csv",
            "0-24;2021;2023",
            "0-24;2023;2021",
            &["amounts.csv:2:3"],
        ),
        edit(
            "an unknown programme in amounts",
            "data/amounts.csv",
            "baerekraft;2023",
            "barekraft;2023",
            &["amounts.csv:3:1: column \"programme\": found the programme id \"barekraft\""],
        ),
        edit(
            "an amount year outside the horizon",
            "data/amounts.csv",
            "baerekraft;2023;2026",
            "baerekraft;2023;2036",
            &["amounts.csv:3:3"],
        ),
        edit(
            "a programme id with a space",
            "data/programmes.csv",
            "0-24;Pilot",
            "0 24;Pilot",
            &["programmes.csv:3:1: column \"id\": found \"0 24\""],
        ),
        edit(
            "a programme in an unknown area",
            "data/programmes.csv",
            "0-24;Pilot 0-24;tjenesteutvikling",
            "0-24;Pilot 0-24;tjenesteutvikl",
            &["programmes.csv:3:3"],
        ),
        edit(
            "a duplicate programme id",
            "data/programmes.csv",
            "0-24;Pilot 0-24;",
            "oppvekstreformen;Pilot 0-24;",
            &["programmes.csv:3:1"],
        ),
        edit(
            "a duplicate area id",
            "data/areas.csv",
            "omradesatsinger;",
            "tjenesteutvikling;",
            &["areas.csv:3:1"],
        ),
        edit(
            "a phase outside the horizon",
            "data/phases.csv",
            "0-24;Pilot;2021;2023",
            "0-24;Pilot;2011;2023",
            &["phases.csv:3:3"],
        ),
        edit(
            "a phase of an unknown programme",
            "data/phases.csv",
            "0-24;Pilot;",
            "0-25;Pilot;",
            &["phases.csv:3:1"],
        ),
        edit(
            "a phase year in words",
            "data/phases.csv",
            "0-24;Pilot;2021;2023",
            "0-24;Pilot;2021;snart",
            &["phases.csv:3:4: column \"last_year\": found \"snart\""],
        ),
        edit(
            "a month that does not exist",
            "data/milestones.csv",
            "2022-01-01;Oppvekst",
            "2022-13-01;Oppvekst",
            &["milestones.csv:3:2"],
        ),
        edit(
            "a day that does not exist",
            "data/milestones.csv",
            "2022-01-01;Oppvekst",
            "2022-02-30;Oppvekst",
            &["milestones.csv:3:2"],
        ),
        edit(
            "a milestone of an unknown programme",
            "data/milestones.csv",
            "nyhavna;2016",
            "nyhamna;2016",
            &["milestones.csv:2:1"],
        ),
        edit(
            "a key figure in words",
            "data/key_figures.csv",
            ";255 000;",
            ";mange;",
            &["key_figures.csv:2:4: column \"value\": found \"mange\""],
        ),
        edit(
            "a key figure year in words",
            "data/key_figures.csv",
            ";innbyggere;2050",
            ";innbyggere;i fjor",
            &["key_figures.csv:2:6"],
        ),
        edit(
            "NUL in an area name",
            "data/areas.csv",
            ";Områdesatsinger",
            ";Områdes\u{0}atsinger",
            &["areas.csv:3:2: column \"name\": found U+0000 (NUL) at character 8"],
        ),
        edit(
            "BEL in a programme name",
            "data/programmes.csv",
            "Pilot 0-24",
            "Pilot\u{7} 0-24",
            &["programmes.csv:3:2: column \"name\": found U+0007 (BEL)"],
        ),
        edit(
            "ESC in a milestone",
            "data/milestones.csv",
            "Kommunedelplan",
            "\u{1b}[1mKommunedelplan",
            &["milestones.csv:2:3: column \"label\": found U+001B (ESC) at character 1"],
        ),
        edit(
            "an emoji in a programme name",
            "data/programmes.csv",
            "Pilot 0-24",
            "Pilot 😀",
            &["programmes.csv:3:2: column \"name\": found U+1F600 \"😀\" at character 7"],
        ),
        edit(
            "CJK in an area name",
            "data/areas.csv",
            ";Områdesatsinger",
            ";区域",
            &["areas.csv:3:2: column \"name\": found U+533A \"区\""],
        ),
        edit(
            "Thai in a phase label",
            "data/phases.csv",
            "0-24;Pilot;",
            "0-24;ทดลอง;",
            &["phases.csv:3:2: column \"label\": found U+0E17"],
        ),
        edit(
            "private use in a key figure",
            "data/key_figures.csv",
            "Forventet folketall",
            "Forventet \u{e000}",
            &["key_figures.csv:2:3: column \"label\": found U+E000 (PRIVATE USE)"],
        ),
        edit(
            "U+FFFE in a source",
            "data/amounts.csv",
            "Ikke oppgitt",
            "Ikke \u{fffe}",
            &["amounts.csv:2:6: column \"source\": found U+FFFE (NONCHARACTER)"],
        ),
        edit(
            "a name over 1000 characters",
            "data/programmes.csv",
            "0-24;Pilot 0-24;tjenesteutvikling",
            long_name,
            &[
                "programmes.csv:3:2: column \"name\": found a text of more than 1000 characters",
                "…",
            ],
        ),
        edit(
            "an unclosed quote",
            "data/areas.csv",
            ";Områdesatsinger",
            ";\"Områdesatsinger",
            &["areas.csv:3: found a quote", "never closed"],
        ),
        edit(
            "a row with too few fields",
            "data/phases.csv",
            "0-24;Pilot;2021;2023",
            "0-24;Pilot;2021",
            &["phases.csv:3: found 3 fields, expected 4"],
        ),
        edit(
            "a row with too many fields",
            "data/phases.csv",
            "0-24;Pilot;2021;2023",
            "0-24;Pilot;2021;2023;2024",
            &["phases.csv:3: found 5 fields, expected 4"],
        ),
        bad(
            "a Windows-1252 byte in a UTF-8 file",
            SAMPLE,
            |c| {
                let mut bytes = std::fs::read(c.path("data/areas.csv")).unwrap();
                bytes.extend_from_slice(b"ekstra;Br\xe5\n");
                c.write("data/areas.csv", &bytes);
            },
            &["areas.csv:6: found text that is not UTF-8"],
        ),
        bad(
            "a load problem in one file does not hide a reference problem in another",
            SAMPLE,
            |c| {
                c.edit(
                    "data/areas.csv",
                    ";Områdesatsinger",
                    ";Områdes\u{7}atsinger",
                );
                c.edit("data/amounts.csv", "baerekraft;2023", "barekraft;2023");
            },
            &[
                "areas.csv:3:2: column \"name\": found U+0007 (BEL)",
                "amounts.csv:3:1: column \"programme\": found the programme id \"barekraft\"",
            ],
        ),
        bad(
            "a broken profile does not hide the problems of another source",
            BUDGET,
            |c| {
                c.write(
                    "export/second.toml",
                    PROFILE
                        .replace("export.csv", "second.csv")
                        .replace("kind = \"long\"", "kind = \"lang\"")
                        .as_bytes(),
                );
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"profile.toml\", \"second.toml\"]",
                );
                c.edit("export/export.csv", ";3 484 248", ";tre mill");
            },
            &[
                "second.toml:6: layout.kind",
                "export.csv:2:7: column \"beloep\": found \"tre mill\"",
            ],
        ),
        // The report configuration.
        bad(
            "the report configuration is missing",
            SAMPLE,
            |c| std::fs::remove_file(c.path("data/report.toml")).unwrap(),
            &["report.toml: cannot read the report configuration"],
        ),
        edit(
            "a TOML syntax error",
            "data/report.toml",
            "title = \"Strategier og tiltak\"",
            "title = \"Strategier og tiltak",
            &["report.toml: line 9"],
        ),
        edit(
            "an unknown key",
            "data/report.toml",
            "template = ",
            "templat = \"x\"\ntemplate = ",
            &[
                "report.toml: line 14",
                "templat",
                "(hint: did you mean `template`?)",
            ],
        ),
        edit(
            "a name with a slash",
            "data/report.toml",
            "name = \"strategier-og-tiltak\"",
            "name = \"../strategier\"",
            &["report.toml: line 6: report.name"],
        ),
        edit(
            "a date that does not exist",
            "data/report.toml",
            "date = 2022-11-01",
            "date = 2022-02-30",
            &["report.toml: line 13"],
        ),
        edit(
            "a plan outside the horizon",
            "data/report.toml",
            "plan = [2023, 2026]",
            "plan = [2023, 2036]",
            &["report.toml: line 18: period.plan"],
        ),
        edit(
            "a reversed plan",
            "data/report.toml",
            "plan = [2023, 2026]",
            "plan = [2026, 2023]",
            &["report.toml: line 18: period.plan"],
        ),
        edit(
            "an unknown amount unit",
            "data/report.toml",
            "unit = \"kr\"",
            "unit = \"mill\"",
            &["report.toml: line 24: amounts.unit"],
        ),
        edit(
            "a data file key missing",
            "data/report.toml",
            "areas = \"areas.csv\"\n",
            "",
            &["report.toml", "areas"],
        ),
        edit(
            "an emoji in the title",
            "data/report.toml",
            "title = \"Strategier og tiltak\"",
            "title = \"Strategier 🚀\"",
            &["report.toml: line 9: report.title: found U+1F680"],
        ),
        edit(
            "a NUL in the municipality",
            "data/report.toml",
            "municipality = \"Trondheim kommune\"",
            "municipality = \"Trondheim\\u0000\"",
            &["report.toml: line 7: report.municipality: found U+0000 (NUL)"],
        ),
        edit(
            "a template that does not exist",
            "data/report.toml",
            "template = \"strategier.typ.j2\"",
            "template = \"finnes-ikke.typ.j2\"",
            &["finnes-ikke.typ.j2"],
        ),
        edit(
            "no data at all",
            "data/report.toml",
            "[data]",
            "[dataa]",
            &["report.toml: line 26"],
        ),
        edit(
            "group_by equals detail_by",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"area\"",
            &[
                "report.toml: line 16: budget.detail_by",
                "same dimension as group_by",
            ],
        ),
        edit(
            "a negative balance tolerance",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nbalance_tolerance = -5",
            &["report.toml: line 17: budget.balance_tolerance: found -5"],
        ),
        edit(
            "an unknown dimension to group by",
            "export/report.toml",
            "group_by = \"area\"",
            "group_by = \"omrade\"",
            &["report.toml: line 15: budget.group_by: found the dimension \"omrade\""],
        ),
        edit(
            "a misspelt dimension to list by",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"servise\"",
            &[
                "report.toml: line 16: budget.detail_by: found the dimension \"servise\"",
                "(hint: did you mean \"service\"?)",
            ],
        ),
        edit(
            "an unknown table unit",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nunit = \"kroner\"",
            &["report.toml: line 17: budget.unit"],
        ),
        edit(
            "too many decimals",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\ndecimals = 9",
            &["report.toml: line 17: budget.decimals"],
        ),
        edit(
            "a deflator without a base year",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\ndeflator = \"d.csv\"",
            &["report.toml: line 12: budget: fixed prices"],
        ),
        edit(
            "a version the exports lack",
            "export/report.toml",
            "version = \"budsjett\"",
            "version = \"regnskap\"",
            &["regnskap"],
        ),
        // The profile.
        bad(
            "the profile is missing",
            BUDGET,
            |c| std::fs::remove_file(c.path("export/profile.toml")).unwrap(),
            &["profile.toml: cannot read the profile"],
        ),
        edit(
            "income_negative with a sign column",
            "export/profile.toml",
            "[dimensions]",
            "[sign]\nconvention = \"income_negative\"\ncolumn = \"art\"\n\n[dimensions]",
            &["profile.toml:13: sign.column"],
        ),
        edit(
            "income_negative with income values",
            "export/profile.toml",
            "[dimensions]",
            "[sign]\nconvention = \"income_negative\"\nexpense = [\"U\"]\n\n[dimensions]",
            &["profile.toml:13: sign.expense"],
        ),
        edit(
            "a long layout with auto",
            "export/profile.toml",
            "version = \"budsjett\"",
            "version = \"budsjett\"\nauto = true",
            &["profile.toml:10: layout.auto"],
        ),
        edit(
            "a long layout with columns",
            "export/profile.toml",
            "version = \"budsjett\"",
            "version = \"budsjett\"\ncolumns = [{ column = \"beloep\", year = 2024 }]",
            &["profile.toml:10: layout.columns"],
        ),
        edit(
            "a wide layout with a year",
            "export/profile.toml",
            "kind = \"long\"",
            "kind = \"wide\"\nauto = true",
            &["profile.toml:8: layout.amount"],
        ),
        edit(
            "a sheet on a CSV file",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\nsheet = \"Ark1\"",
            &["profile.toml:4: source.sheet"],
        ),
        edit(
            "version and version_column",
            "export/profile.toml",
            "version = \"budsjett\"",
            "version = \"budsjett\"\nversion_column = \"ansvar\"",
            &["profile.toml:10: layout.version_column"],
        ),
        edit(
            "an unknown profile key",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\nunits = \"kr\"",
            &["profile.toml:4", "units"],
        ),
        edit(
            "an unknown delimiter",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\ndelimiter = \"x\"",
            &["profile.toml:4: source.delimiter"],
        ),
        edit(
            "an unknown encoding",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\nencoding = \"ebcdic\"",
            &["profile.toml:4: source.encoding"],
        ),
        edit(
            "an unknown export unit",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"mill\"",
            &["profile.toml:3: source.unit"],
        ),
        edit(
            "an unknown part",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\npart = \"drift2\"",
            &["profile.toml:4: source.part"],
        ),
        edit(
            "an unknown layout kind",
            "export/profile.toml",
            "kind = \"long\"",
            "kind = \"diagonal\"",
            &["profile.toml:6: layout.kind"],
        ),
        edit(
            "an unknown dimension",
            "export/profile.toml",
            "art = {",
            "kunst = {",
            &["profile.toml:15: dimensions.kunst"],
        ),
        edit(
            "a misspelt dimension",
            "export/profile.toml",
            "art = {",
            "arts = {",
            &[
                "profile.toml:15: dimensions.arts: unknown dimension",
                "(hint: did you mean art?)",
            ],
        ),
        edit(
            "a kostra span of two digits",
            "export/profile.toml",
            "kostra = [1, 3]",
            "kostra = [1, 2]",
            &["profile.toml:15: dimensions.art.kostra"],
        ),
        edit(
            "a dimension with no column",
            "export/profile.toml",
            "art = { label = \"Art\", code = \"art\", kostra = [1, 3] }",
            "art = { label = \"Art\" }",
            &["profile.toml:15: dimensions.art"],
        ),
        edit(
            "an emoji in a dimension label",
            "export/profile.toml",
            "label = \"Tjeneste\"",
            "label = \"Tjeneste 🙂\"",
            &["profile.toml:14: dimensions.service.label"],
        ),
        edit(
            "a long layout without year",
            "export/profile.toml",
            "year = 2024\n",
            "",
            &["profile.toml", "year"],
        ),
        edit(
            "an amount column listed twice",
            "export/profile.toml",
            "kind = \"long\"\namount = \"beloep\"\nyear = 2024\nversion = \"budsjett\"",
            "kind = \"wide\"\ncolumns = [{ column = \"beloep\", year = 2024 }, { column = \"beloep\", year = 2024 }]",
            &["profile.toml:7: layout.columns: found the column \"beloep\" twice"],
        ),
        edit(
            "a value both income and expense",
            "export/profile.toml",
            "[dimensions]",
            "[sign]\nconvention = \"column\"\ncolumn = \"art\"\nincome = [\"16000\"]\nexpense = [\"10100\", \"16000\"]\n\n[dimensions]",
            &["profile.toml:15: sign.expense: found \"16000\" both as income and as expense"],
        ),
        edit(
            "a filter that keeps and drops nothing",
            "export/profile.toml",
            "[dimensions]",
            "[[filter]]\ncolumn = \"art\"\n\n[dimensions]",
            &["profile.toml:11: filter: found a filter on the column \"art\""],
        ),
        edit(
            "bridge_exclude without bridge_start",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nbridge_exclude = [\"23\"]",
            &["report.toml: line 17: budget.bridge_exclude"],
        ),
        edit(
            "an amounts unit without a chapter",
            "export/report.toml",
            "[budget]",
            "[amounts]\nunit = \"kr\"\n\n[budget]",
            &["report.toml: line 13: amounts.unit"],
        ),
        // The export.
        bad(
            "the export is missing",
            BUDGET,
            |c| std::fs::remove_file(c.path("export/export.csv")).unwrap(),
            &["export.csv: the file does not exist"],
        ),
        bad(
            "the export is empty",
            BUDGET,
            |c| c.write("export/export.csv", b""),
            &["export.csv: found an empty file"],
        ),
        bad(
            "the export has only its header",
            BUDGET,
            |c| {
                c.write(
                    "export/export.csv",
                    EXPORT.lines().next().unwrap().as_bytes(),
                )
            },
            &["export.csv:1: found only the header line"],
        ),
        edit(
            "an export amount in words",
            "export/export.csv",
            ";3 484 248",
            ";tre mill",
            &["export.csv:2:7: column \"beloep\": found \"tre mill\""],
        ),
        edit(
            "an ambiguous export amount",
            "export/export.csv",
            ";3 484 248",
            ";1,234",
            &[
                "export.csv:2:7: column \"beloep\": found \"1,234\"",
                "decimal_mark",
            ],
        ),
        edit(
            "NUL in an export text",
            "export/export.csv",
            ";Oppvekst;2020",
            ";Opp\u{0}vekst;2020",
            &["export.csv:2:3: column \"tjomr_tekst\": found U+0000 (NUL) at character 4"],
        ),
        edit(
            "an emoji in an export code",
            "export/export.csv",
            "100;01;Oppvekst",
            "100;0😀;Oppvekst",
            &["export.csv:2:2: column \"tjomr\": found U+1F600"],
        ),
        edit(
            "an unclosed quote in the export",
            "export/export.csv",
            "200;02;Helse;2530",
            "200;02;\"Helse;2530",
            &["export.csv:4: found a quote", "never closed"],
        ),
        edit(
            "a short export row",
            "export/export.csv",
            "100;01;Oppvekst;2020;Skole;16000;-484 248",
            "100;01;Oppvekst;2020;Skole;-484 248",
            &["export.csv:3: found 6 fields, expected 7"],
        ),
        edit(
            "a profile column missing from the header",
            "export/export.csv",
            "tjomr_tekst",
            "tjomr-tekst",
            &[
                "export.csv:1: the profile's area text column \"tjomr_tekst\" is not in the header line",
                "did you mean \"tjomr-tekst\"",
            ],
        ),
        bad(
            "one Windows-1252 byte in a UTF-8 export",
            BUDGET,
            |c| {
                c.write(
                    "export/export.csv",
                    &[
                        EXPORT.as_bytes(),
                        "300;03;Kultur og idrett – bibliotek;3700;Bibliotek;10100;1\n".as_bytes(),
                        b"300;03;Br\xe5;3700;Bibliotek;10100;-1\n",
                    ]
                    .concat(),
                )
            },
            &["export.csv:7:10: found the byte 0xE5, which is not UTF-8"],
        ),
        bad(
            "an odd number of UTF-16 bytes",
            BUDGET,
            |c| {
                let mut bytes = vec![0xff, 0xfe];
                for unit in EXPORT.encode_utf16() {
                    bytes.extend(unit.to_le_bytes());
                }
                bytes.push(b'x');
                c.write("export/export.csv", &bytes);
            },
            &["export.csv: found bytes that are not UTF-16 LE text"],
        ),
        bad(
            "a byte-order mark against the profile's encoding",
            BUDGET,
            |c| {
                c.edit(
                    "export/profile.toml",
                    "unit = \"kr\"",
                    "unit = \"kr\"\nencoding = \"windows-1252\"",
                );
                c.write(
                    "export/export.csv",
                    &[b"\xef\xbb\xbf".as_slice(), EXPORT.as_bytes()].concat(),
                );
            },
            &["export.csv:1:1: found a byte-order mark that says UTF-8, expected Windows-1252"],
        ),
        // Issue 25 (built-in KOSTRA tables): a statutory folder other than "kostra" must
        // exist, so a misspelt one is not silently the built-in tables.
        edit(
            "a statutory folder that does not exist",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nstatutory = \"kostar\"",
            &[
                "report.toml: line 17: budget.statutory: found \"kostar\", but",
                "is no folder",
            ],
        ),
    ]
}

/// The output folder's files and their bytes.
fn snapshot(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The cases whose exit codes are not 1 (a problem `check` lists: in the data, a profile, or
/// in what the report asks of them, such as a version the exports lack or a template that
/// does not exist; check and render share one pipeline, so both say 1), as (case, check's
/// code, render's code): 2 is a report configuration that cannot be read.
const OTHER_EXIT_CODES: &[(&str, i32, i32)] = &[
    ("the report configuration is missing", 2, 2),
    ("a TOML syntax error", 2, 2),
    ("an unknown key", 2, 2),
    ("a name with a slash", 2, 2),
    ("a date that does not exist", 2, 2),
    ("a plan outside the horizon", 2, 2),
    ("a reversed plan", 2, 2),
    ("a data file key missing", 2, 2),
    ("an unknown amount unit", 2, 2),
    ("a NUL in the municipality", 2, 2),
    ("an emoji in the title", 2, 2),
    ("no data at all", 2, 2),
    ("a negative balance tolerance", 2, 2),
    ("group_by equals detail_by", 2, 2),
    ("an unknown dimension to group by", 2, 2),
    ("a misspelt dimension to list by", 2, 2),
    ("an unknown table unit", 2, 2),
    ("too many decimals", 2, 2),
    ("a deflator without a base year", 2, 2),
    ("bridge_exclude without bridge_start", 2, 2),
    ("an amounts unit without a chapter", 2, 2),
    // Issue 25.
    ("a statutory folder that does not exist", 2, 2),
];

/// What is wrong with one case's run, if anything.
fn run_case(bad: &Bad, pdf: &[u8]) -> Vec<String> {
    let case = Case::new();
    let output = case.path("output");
    std::fs::write(output.join("strategier-og-tiltak.pdf"), pdf).unwrap();
    std::fs::write(output.join("eksport.pdf"), pdf).unwrap();
    let before = snapshot(&output);
    (bad.setup)(&case);
    let mut failures = Vec::new();
    for command in ["check", "render"] {
        let (code, text) = case.run(command, bad.config);
        let expected = match OTHER_EXIT_CODES.iter().find(|(name, ..)| *name == bad.name) {
            Some((_, check, _)) if command == "check" => *check,
            Some((_, _, render)) => *render,
            None => 1,
        };
        if code != Some(expected) {
            failures.push(format!(
                "{command} exited with {code:?}, expected {expected}"
            ));
        }
        for part in &bad.expected {
            if !text.contains(part) {
                failures.push(format!("{command}'s message lacks {part:?}"));
            }
        }
        for wrong in [
            "panicked",
            "please report",
            "--root",
            "template error: undefined",
        ] {
            if text.contains(wrong) {
                failures.push(format!("{command}'s message says {wrong:?}"));
            }
        }
        if !failures.is_empty() {
            failures.push(format!("{command} said:\n{text}"));
        }
        if snapshot(&output) != before {
            failures.push(format!("{command} changed the output folder"));
        }
    }
    failures
}

#[test]
fn every_bad_input_fails_cleanly_with_a_located_message() {
    let cases = cases();
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    // The good inputs pass, and one good PDF is rendered for every case's output folder.
    let good = Case::new();
    for config in [SAMPLE, BUDGET] {
        let (code, text) = good.run("check", config);
        assert_eq!(code, Some(0), "{config}: {text}");
    }
    let (code, text) = good.run("render", SAMPLE);
    assert_eq!(code, Some(0), "{text}");
    let pdf = std::fs::read(good.path("output/strategier-og-tiltak.pdf")).unwrap();

    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(bad) = cases.get(i) else { break };
                    let problems = run_case(bad, &pdf);
                    if !problems.is_empty() {
                        failures.lock().unwrap().push(format!(
                            "case {:?}:\n  {}",
                            bad.name,
                            problems.join("\n  ")
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
