//! A table of bad inputs, over the sample report, an export read through a profile written
//! here, and the report and profile TOML files. For every case, both `check` and `render`
//! (and `explain`, for the budget report) must exit with 1 and a message that names the file
//! (and the line and column where there is one), no new file may appear in `output/` and the PDF already there must stay byte for
//! byte. One good PDF is rendered once and put in every case's output folder; the cases fail
//! before typesetting, so each run is quick.

mod common;

use std::path::{Path, PathBuf};

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
        // The chapter's own text (issue 27), which data/report.toml names.
        common::copy_dir(&Path::new(REPO).join("data/tekst"), &data.join("tekst"));
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
        let mut cmd = common::budsjett();
        cmd.arg(command)
            .arg("--config")
            .arg(self.path(config))
            .arg("--templates")
            .arg(Path::new(REPO).join("templates"));
        if command == "render" {
            cmd.arg("--output").arg(self.path("output"));
        }
        if command == "explain" {
            cmd.args(["--group", "01"]);
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
    let mut cases = vec![
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
            &[
                "report.toml: line 24: amounts.unit",
                r#"found "mill", expected "kr" or "1000 kr""#,
            ],
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
            &[
                "report.toml: line 17: budget.unit",
                r#"found "kroner", expected "kr", "1000 kr", "mill. kr" or "mrd. kr""#,
            ],
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
        // Issue 21, explain goes through the pipeline: it refuses what check refuses (every
        // case of the budget report runs explain too); these two it read past before.
        edit(
            "a budget template that does not exist",
            "export/report.toml",
            "template = \"budsjett.typ.j2\"",
            "template = \"finnes-ikke.typ.j2\"",
            &["finnes-ikke.typ.j2"],
        ),
        edit(
            "a budget report's language without a catalogue",
            "export/report.toml",
            "template = \"budsjett.typ.j2\"",
            "template = \"budsjett.typ.j2\"\nlanguage = \"se\"",
            &[
                "words/se.toml",
                "no words catalogue for this language; the templates have catalogues for nb, nn",
            ],
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
    ];
    cases.extend(inputs_cases());
    cases.extend(corpus_cases());
    cases.extend(series_24_cases());
    cases.extend(prose_27_cases());
    cases.extend(tiltak_27_cases());
    cases.extend(projects_27_cases());
    cases.extend(sample_prose_27_cases());
    cases.extend(kostra_cases());
    cases.extend(leftovers_cases());
    cases.extend(leftovers_s8_cases());
    cases
}

// leftovers (session 7): a file whose columns the program defines (the debt file, a series,
// the chapter's CSV files) refuses a column it does not read, at line 1 and the column, with
// the expected names; an obligation of the debt file without a text (the table would print
// an amount with no note saying what it is) is refused at its line and the text's column.
fn leftovers_cases() -> Vec<Bad> {
    vec![
        bad(
            "an extra column in the debt file",
            BUDGET,
            |c| {
                with_debt(
                    c,
                    "year;kind;opening;borrowing;repayment;closing;text;merknad\n\
                     2024;garanti;;;;2 000;Havn KF;ny i 2024\n",
                )
            },
            &[
                "gjeld.csv:1:8: found the column \"merknad\", expected only the columns \
                 year;kind;opening;borrowing;repayment;closing;text",
            ],
        ),
        bad(
            "a misspelt extra column in the population file",
            BUDGET,
            |c| with_population(c, "year;value;vaule\n2024;1 000;1 000\n"),
            &[
                "folk.csv:1:3: found the column \"vaule\", expected only the columns \
                 year;value (hint: did you mean \"value\"?)",
            ],
        ),
        edit(
            "an extra column in areas.csv",
            "data/areas.csv",
            "id;name",
            "id;name;note",
            &["areas.csv:1:3: found the column \"note\", expected only the columns id;name"],
        ),
        bad(
            "an obligation without a text",
            BUDGET,
            |c| with_debt(c, &format!("{DEBT_HEADER}2024;garanti;;;;2 000;\n")),
            &["gjeld.csv:2:7: column \"text\": found no text for the obligation \"garanti\""],
        ),
        bad(
            "an obligation whose text is only spaces",
            BUDGET,
            |c| with_debt(c, &format!("{DEBT_HEADER}2024;leie;;;;500;   \n")),
            &["gjeld.csv:2:7: column \"text\": found no text for the obligation \"leie\""],
        ),
    ]
}

// session 8 leftovers: the KOSTRA tables a report's statutory folder may override (the
// mappings, the rows, the transfer pairs, the debt checks) refuse a column the program does
// not know, at the header's line (after the `#` comments) and the column, with the expected
// names; a column twice and a missing one likewise.

/// The two-part report of `with_projects` without a projects file, its statutory folder
/// `kostra` a copy of the built-in tables where `file`'s `from` is `to`; with `debt`, the
/// debt file `gjeld.csv` too (the debt checks are read only then).
fn with_kostra_table(
    file: &'static str,
    from: &'static str,
    to: &'static str,
    debt: bool,
) -> impl Fn(&Case) + Sync {
    move |c: &Case| {
        c.write("export/drift.csv", PROJECT_DRIFT.as_bytes());
        c.write("export/investering.csv", PROJECT_INVESTERING.as_bytes());
        c.write(
            "export/drift.toml",
            project_profile("drift.csv", "drift", false).as_bytes(),
        );
        c.write(
            "export/investering.toml",
            project_profile("investering.csv", "investering", false).as_bytes(),
        );
        let report = REPORT
            .replace("plan = [2024, 2024]", "plan = [2024, 2025]")
            .replace(
                "sources = [\"profile.toml\"]",
                "sources = [\"drift.toml\", \"investering.toml\"]",
            );
        c.write(
            "export/report.toml",
            format!("{report}statutory = \"kostra\"\n").as_bytes(),
        );
        common::copy_dir(
            &Path::new(REPO).join("data/kostra"),
            &c.path("export/kostra"),
        );
        c.edit(&format!("export/kostra/{file}"), from, to);
        if debt {
            with_debt(
                c,
                &format!(
                    "{DEBT_HEADER}2024;investering;1 000 000;450 000;0;1 450 000;\n\
                     2025;investering;1 450 000;250 000;0;1 700 000;\n"
                ),
            );
        }
    }
}

fn leftovers_s8_cases() -> Vec<Bad> {
    // The header line, after the comments (whose "Format:" line names the same columns).
    const MAPPING: &str =
        "\nrow;art_from;art_to;funksjon_from;funksjon_to;first_year;last_year;verified;note\n";
    vec![
        bad(
            "an extra column in the drift mapping",
            BUDGET,
            with_kostra_table(
                "drift-mapping.csv",
                MAPPING,
                "\nrow;art_from;art_to;funksjon_from;funksjon_to;first_year;last_year;verified;note;merknad\n",
                false,
            ),
            &[
                "drift-mapping.csv:11:10: found the column \"merknad\", expected only the columns \
                 row;art_from;art_to;funksjon_from;funksjon_to;first_year;last_year;verified;note",
            ],
        ),
        bad(
            "a misspelt column in the investering mapping",
            BUDGET,
            with_kostra_table(
                "investering-mapping.csv",
                "\nrow;art_from;",
                "\nrow;art_fra;",
                false,
            ),
            &[
                "investering-mapping.csv:12:2: found the column \"art_fra\", expected only the \
                 columns row;art_from;art_to;funksjon_from;funksjon_to;first_year;last_year;verified;note \
                 (hint: did you mean \"art_from\"?)",
            ],
        ),
        bad(
            "a misspelt name column in the § 5-6 rows",
            BUDGET,
            with_kostra_table(
                "drift-art-rows.csv",
                "equals;name_nn",
                "equals;nmae_nn",
                false,
            ),
            &[
                "drift-art-rows.csv:19:6: found the column \"nmae_nn\", expected only the columns \
                 row;name;kind;formula;equals (and name_<language>)",
            ],
        ),
        bad(
            "a column twice in the § 5-4 rows",
            BUDGET,
            with_kostra_table(
                "drift-rows.csv",
                "formula;name_nn",
                "formula;name;name_nn",
                false,
            ),
            &["drift-rows.csv:14:5: found the column \"name\" twice in the header line"],
        ),
        bad(
            "a missing column in the § 5-5 rows",
            BUDGET,
            with_kostra_table(
                "investering-rows.csv",
                "row;name;kind;formula;",
                "row;name;kind;",
                false,
            ),
            &[
                "investering-rows.csv:15: header: found no column \"formula\", expected the \
                 columns row;name;kind;formula;equals (and name_<language>)",
            ],
        ),
        bad(
            "an extra column in the transfer pairs",
            BUDGET,
            with_kostra_table("transfers.csv", "note;name_nn", "note;name_nn;kilde", false),
            &[
                "transfers.csv:8:7: found the column \"kilde\", expected only the columns \
                 name;drift_art;investering_art;verified;note (and name_<language>)",
            ],
        ),
        bad(
            "a misspelt column in the debt checks",
            BUDGET,
            with_kostra_table("debt-checks.csv", "kinds;flow;rows", "kind;flow;rows", true),
            &[
                "debt-checks.csv:7:1: found the column \"kind\", expected only the columns \
                 kinds;flow;rows (hint: did you mean \"kinds\"?)",
            ],
        ),
        // A tiltak or projects file named as a source, or read by a profile as its export, is
        // refused as read twice, by the key that reads it (not as a profile or an export
        // whose columns are wrong).
        bad(
            "a tiltak file named as a source",
            BUDGET,
            |c| {
                with_tiltak(TILTAK_S8, false)(c);
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"profile.toml\", \"tiltak.csv\"]",
                );
            },
            &[
                "report.toml: line 13: budget.sources: found \"tiltak.csv\", the file \
                 budget.tiltak names: it is already read as budget.tiltak",
            ],
        ),
        bad(
            "a profile whose export is the tiltak file",
            BUDGET,
            |c| {
                with_tiltak(TILTAK_S8, false)(c);
                let profile = std::fs::read_to_string(c.path("export/profile.toml")).unwrap();
                c.write(
                    "export/tiltak.toml",
                    profile.replace("export.csv", "tiltak.csv").as_bytes(),
                );
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"profile.toml\", \"tiltak.toml\"]",
                );
            },
            &[
                "tiltak.toml: the profile reads \"",
                "tiltak.csv\", the file budget.tiltak names: it is already read as budget.tiltak",
            ],
        ),
        bad(
            "a projects file named as a source",
            BUDGET,
            |c| {
                with_projects(PROJECTS_GOOD, "")(c);
                c.edit(
                    "export/report.toml",
                    "\"investering.toml\"]",
                    "\"investering.toml\", \"./prosjekter.csv\"]",
                );
            },
            &[
                "budget.sources: found \"./prosjekter.csv\", the file budget.projects names: \
                 it is already read as budget.projects",
            ],
        ),
    ]
}

/// A good tiltak file for `with_tiltak`: N01's −484 248 kr in 2024.
const TILTAK_S8: &str = "id;sector;change_group;name;kind;year;amount;text\n\
    T1;01;N01;Nye gebyrer;innsparing;2024;-484 248;\n";

/// Session 8 leftovers' refusals of report.toml: exit code 2 from check and render.
const LEFTOVERS_S8_EXIT_CODES: &[(&str, i32, i32)] = &[
    ("a tiltak file named as a source", 2, 2),
    ("a projects file named as a source", 2, 2),
];

// issue 27, prose: the sectors' Markdown files are refused where a file is not a group's or
// not Markdown, the folder is missing, a live figure names an unknown figure, group or year,
// or the text holds HTML or an image; each at its file, line and column.

/// The export report with `prose = "tekst"` and these files in `export/tekst/`.
fn with_prose(files: &'static [(&'static str, &'static str)]) -> impl Fn(&Case) + Sync {
    move |c: &Case| {
        c.edit(
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nprose = \"tekst\"",
        );
        std::fs::create_dir_all(c.path("export/tekst")).unwrap();
        for (name, text) in files {
            c.write(&format!("export/tekst/{name}"), text.as_bytes());
        }
    }
}

fn prose_27_cases() -> Vec<Bad> {
    vec![
        budget_key(
            "a prose folder that is missing",
            "prose = \"tekst\"",
            &["tekst: the prose folder cannot be read: no such file or folder"],
        ),
        bad(
            "a prose file for a group the budget does not have",
            BUDGET,
            with_prose(&[("99.md", "Tekst.\n")]),
            &[
                "99.md: found the group 99, but the budget has no such group; expected one of: 01, 02",
            ],
        ),
        bad(
            "a file in the prose folder that is not Markdown",
            BUDGET,
            with_prose(&[("01.docx", "x")]),
            &["01.docx: found a file that is not Markdown"],
        ),
        bad(
            "an unknown live figure",
            BUDGET,
            with_prose(&[("01.md", "# Mål\n\nNetto er {{brutto 2024}}.\n")]),
            &["01.md:3:10: found the live figure {{brutto 2024}}, expected one of"],
        ),
        bad(
            "a live figure of a year outside the plan",
            BUDGET,
            with_prose(&[("01.md", "Netto i 2031: {{netto 2031}}.\n")]),
            &["01.md:1:15: found the year 2031, expected a plan year from 2024 to 2024"],
        ),
        bad(
            "a live figure of a group the budget does not have",
            BUDGET,
            with_prose(&[("innledning.md", "Netto {{netto 99 2024}}.\n")]),
            &["innledning.md:1:7: found the group 99, but the budget has no such group"],
        ),
        bad(
            "a live figure without its group in the opening chapter",
            BUDGET,
            with_prose(&[("innledning.md", "Netto {{netto 2024}}.\n")]),
            &["innledning.md:1:7: found the live figure {{netto 2024}} outside a group's file"],
        ),
        bad(
            "a live figure without its closing braces",
            BUDGET,
            with_prose(&[("01.md", "Netto {{netto 2024.\n")]),
            &["01.md:1:7: found {{netto 2024. without the two closing braces"],
        ),
        bad(
            "HTML in prose",
            BUDGET,
            with_prose(&[("01.md", "Tekst med <b>fet</b> skrift.\n")]),
            &["01.md:1:11: found HTML, expected Markdown"],
        ),
        bad(
            "an image in prose",
            BUDGET,
            with_prose(&[("02.md", "Se kartet:\n\n![Kart](kart.png)\n")]),
            &["02.md:3:1: found an image (kart.png), expected text"],
        ),
        bad(
            "a control character in prose",
            BUDGET,
            with_prose(&[("01.md", "Tekst\u{7}.\n")]),
            &["01.md:1:6: found U+0007"],
        ),
    ]
}

// issue 27, tiltak and projects: the tiltak file is complete or refused (its kinds, plan
// years, one line per tiltak and year, lines of a tiltak that agree), names the budget's
// groups and change groups, sums to the change bridge, and is read once; a live figure names
// a tiltak of the file.

const TILTAK_HEADER: &str = "id;sector;change_group;name;kind;year;amount;text\n";

/// The export with a change group per line (N00 the adopted budget; N01 −484 248 kr in 2024,
/// Oppvekst's income), the report with `bridge_start = "N00"` and `tiltak = "tiltak.csv"`,
/// over 2024 (and 2025 with `two_years`, each line in both years), the tiltak file `text`.
fn with_tiltak(text: &'static str, two_years: bool) -> impl Fn(&Case) + Sync {
    move |c: &Case| {
        let mut export = String::new();
        for (i, line) in EXPORT.lines().enumerate() {
            let (group, year) = match i {
                0 => ("endr", "aar"),
                2 => ("N01", "2024"),
                _ => ("N00", "2024"),
            };
            export.push_str(&format!("{line};{group};{year}\n"));
            if two_years && i > 0 {
                export.push_str(&format!("{line};{group};2025\n"));
            }
        }
        c.write("export/export.csv", export.as_bytes());
        c.edit("export/profile.toml", "year = 2024", "year = \"aar\"");
        c.edit(
            "export/profile.toml",
            "art = {",
            "change_group = { label = \"Endringsgruppe\", code = \"endr\" }\nart = {",
        );
        if two_years {
            c.edit(
                "export/report.toml",
                "plan = [2024, 2024]",
                "plan = [2024, 2025]",
            );
        }
        c.edit(
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nbridge_start = \"N00\"\ntiltak = \"tiltak.csv\"",
        );
        c.write("export/tiltak.csv", text.as_bytes());
    }
}

fn tiltak_27_cases() -> Vec<Bad> {
    const GOOD: &str = "T1;01;N01;Nye gebyrer;innsparing;2024;-484 248;\n";
    fn tiltak(text: &str) -> &'static str {
        Box::leak(format!("{TILTAK_HEADER}{text}").into_boxed_str())
    }
    let with_prose_tiltak = |md: &'static str| {
        move |c: &Case| {
            with_tiltak(tiltak(GOOD), false)(c);
            with_prose(Box::leak(Box::new([("01.md", md)])))(c);
        }
    };
    vec![
        budget_key(
            "a tiltak file without a change bridge",
            "tiltak = \"tiltak.csv\"",
            &[
                "report.toml: line 17: budget.tiltak: found a tiltak file but no budget.bridge_start",
            ],
        ),
        bad(
            "a tiltak file that is also the population file",
            BUDGET,
            |c| {
                with_tiltak(tiltak(GOOD), false)(c);
                c.edit(
                    "export/report.toml",
                    "tiltak = \"tiltak.csv\"",
                    "tiltak = \"tiltak.csv\"\npopulation = \"./tiltak.csv\"",
                );
            },
            &["budget.tiltak: found the file that budget.population names too"],
        ),
        bad(
            "a tiltak file that is missing",
            BUDGET,
            |c| {
                with_tiltak(tiltak(GOOD), false)(c);
                std::fs::remove_file(c.path("export/tiltak.csv")).unwrap();
            },
            &["tiltak.csv: the file does not exist"],
        ),
        bad(
            "a folder as the tiltak file",
            BUDGET,
            |c| {
                with_tiltak(tiltak(GOOD), false)(c);
                std::fs::remove_file(c.path("export/tiltak.csv")).unwrap();
                std::fs::create_dir(c.path("export/tiltak.csv")).unwrap();
            },
            &["tiltak.csv: the file cannot be read: it is a folder, expected a file"],
        ),
        bad(
            "a tiltak file with only its header",
            BUDGET,
            with_tiltak(TILTAK_HEADER, false),
            &[
                "tiltak.csv:1: found only the header line, expected one line per tiltak and plan year",
            ],
        ),
        bad(
            "a tiltak file without its text column",
            BUDGET,
            with_tiltak(
                "id;sector;change_group;name;kind;year;amount\nT1;01;N01;Gebyr;innsparing;2024;-484 248\n",
                false,
            ),
            &["tiltak.csv:1: missing column \"text\""],
        ),
        bad(
            "an unknown kind of tiltak",
            BUDGET,
            with_tiltak(tiltak("T1;01;N01;Nye gebyrer;kutt;2024;-484 248;\n"), false),
            &[
                "tiltak.csv:2: kind: found \"kutt\", expected one of innsparing, nytt tiltak, demografi, prisjustering, teknisk",
            ],
        ),
        bad(
            "a tiltak id that is no id",
            BUDGET,
            with_tiltak(
                tiltak("T 1;01;N01;Nye gebyrer;innsparing;2024;-484 248;\n"),
                false,
            ),
            &["tiltak.csv:2:1: column \"id\""],
        ),
        bad(
            "a tiltak without a name",
            BUDGET,
            with_tiltak(tiltak("T1;01;N01;;innsparing;2024;-484 248;\n"), false),
            &["tiltak.csv:2:4: column \"name\": found an empty cell, expected some text"],
        ),
        bad(
            "a tiltak without an amount",
            BUDGET,
            with_tiltak(tiltak("T1;01;N01;Nye gebyrer;innsparing;2024;;\n"), false),
            &["tiltak.csv:2:7: column \"amount\""],
        ),
        bad(
            "a control character in a tiltak's text",
            BUDGET,
            with_tiltak(
                tiltak("T1;01;N01;Nye gebyrer;innsparing;2024;-484 248;Tekst\u{7}\n"),
                false,
            ),
            &["tiltak.csv:2:8: column \"text\": found U+0007 (BEL)"],
        ),
        bad(
            "a tiltak year outside the plan",
            BUDGET,
            with_tiltak(
                tiltak("T1;01;N01;Nye gebyrer;innsparing;2030;-484 248;\n"),
                false,
            ),
            &["tiltak.csv:2: year: found 2030, expected a year of the plan (2024)"],
        ),
        bad(
            "a tiltak's year on two lines",
            BUDGET,
            with_tiltak(
                tiltak(
                    "T1;01;N01;Nye gebyrer;innsparing;2024;-484 000;\nT1;01;N01;Nye gebyrer;innsparing;2024;-248;\n",
                ),
                false,
            ),
            &["tiltak.csv:3: tiltak T1 in 2024: found a second line (the first is line 2)"],
        ),
        bad(
            "a tiltak missing a plan year",
            BUDGET,
            with_tiltak(tiltak(GOOD), true),
            &["tiltak.csv:2: tiltak T1: found no line for 2025, expected one line per plan year"],
        ),
        bad(
            "the lines of a tiltak naming two sectors",
            BUDGET,
            with_tiltak(
                tiltak(
                    "T1;01;N01;Nye gebyrer;innsparing;2024;-484 248;\nT1;02;N01;Nye gebyrer;innsparing;2025;-484 248;\n",
                ),
                true,
            ),
            &["tiltak.csv:3: tiltak T1: sector is \"02\" here but \"01\" on line 2"],
        ),
        bad(
            "the lines of a tiltak with two texts",
            BUDGET,
            with_tiltak(
                tiltak(
                    "T1;01;N01;Nye gebyrer;innsparing;2024;-484 248;Først\nT1;01;N01;Nye gebyrer;innsparing;2025;-484 248;Så\n",
                ),
                true,
            ),
            &["tiltak.csv:3: tiltak T1: found a second text (the first is on line 2)"],
        ),
        bad(
            "two tiltak of a sector with one name",
            BUDGET,
            with_tiltak(
                tiltak(
                    "T1;01;N01;Nye gebyrer;innsparing;2024;-484 000;\nT2;01;N01;nye gebyrer;innsparing;2024;-248;\n",
                ),
                false,
            ),
            &[
                "tiltak.csv:3: name: found \"nye gebyrer\" a second time in sector 01 (the first is line 2)",
            ],
        ),
        bad(
            "a tiltak in a sector the budget does not have",
            BUDGET,
            with_tiltak(
                tiltak("T1;09;N01;Nye gebyrer;innsparing;2024;-484 248;\n"),
                false,
            ),
            &[
                "tiltak.csv:2: sector: found \"09\", but the budget has no such group; expected one of: 01, 02",
            ],
        ),
        bad(
            "a tiltak in a sector the bridge leaves out",
            BUDGET,
            |c| {
                with_tiltak(tiltak(GOOD), false)(c);
                c.edit(
                    "export/report.toml",
                    "bridge_start = \"N00\"",
                    "bridge_start = \"N00\"\nbridge_exclude = [\"01\"]",
                );
            },
            &[
                "tiltak.csv:2: sector: found \"01\", a group budget.bridge_exclude leaves out of the change bridge",
            ],
        ),
        bad(
            "a tiltak in the adopted budget's change group",
            BUDGET,
            with_tiltak(
                tiltak("T1;01;N00;Nye gebyrer;innsparing;2024;-484 248;\n"),
                false,
            ),
            &[
                "tiltak.csv:2: change_group: found \"N00\", the adopted budget (budget.bridge_start)",
            ],
        ),
        bad(
            "a tiltak in a change group the budget does not have",
            BUDGET,
            with_tiltak(
                tiltak("T1;01;N07;Nye gebyrer;innsparing;2024;-484 248;\n"),
                false,
            ),
            &[
                "tiltak.csv:2: change_group: found \"N07\", but the budget has no such change group; expected one of: N01",
            ],
        ),
        bad(
            "tiltak that do not sum to the change bridge",
            BUDGET,
            with_tiltak(
                tiltak("T1;01;N01;Nye gebyrer;innsparing;2024;-484 000;\n"),
                false,
            ),
            &[
                "tiltak.csv:2: change group \"N01\" in 2024: the tiltak sum to -484 000 kr, but the change bridge has -484 248 kr (a difference of 248 kr)",
            ],
        ),
        bad(
            "a live figure of a tiltak the file does not have",
            BUDGET,
            with_prose_tiltak("Gebyrene gir {{tiltak T9 2024}}.\n"),
            &[
                "01.md:1:14: found the tiltak T9, but the tiltak file has no such id; expected one of: T1",
            ],
        ),
        bad(
            "a live figure of a tiltak in a year outside the plan",
            BUDGET,
            with_prose_tiltak("Gebyrene gir {{tiltak T1 2031}}.\n"),
            &["01.md:1:14: found the year 2031, expected a plan year from 2024 to 2024"],
        ),
        bad(
            "a live figure of a tiltak without a tiltak file",
            BUDGET,
            with_prose(&[("01.md", "Gebyrene gir {{tiltak T1 2024}}.\n")]),
            &[
                "01.md:1:14: found the live figure {{tiltak T1 2024}}, but the report names no tiltak file (budget.tiltak)",
            ],
        ),
    ]
}

/// A drift and an investment export by KOSTRA art and funksjon over 2024 and 2025, the
/// investment's lines by project (P1 Ny skole 600 000 and 400 000 kr, financed by loans of
/// 450 000 and 250 000 kr and the transfer from drift of 150 000 kr a year).
const PROJECT_DRIFT: &str = "omr;omr_tekst;art;funksjon;aar;belop\n\
    01;Oppvekst;10100;202;2024;1000000\n09;Finans;18000;840;2024;-1150000\n09;Finans;15700;880;2024;150000\n\
    01;Oppvekst;10100;202;2025;1000000\n09;Finans;18000;840;2025;-1150000\n09;Finans;15700;880;2025;150000\n";
const PROJECT_INVESTERING: &str = "omr;omr_tekst;art;funksjon;prosj;aar;belop\n\
    01;Oppvekst;30100;222;P1;2024;600000\n09;Finans;39100;870;;2024;-450000\n09;Finans;39700;880;;2024;-150000\n\
    01;Oppvekst;30100;222;P1;2025;400000\n09;Finans;39100;870;;2025;-250000\n09;Finans;39700;880;;2025;-150000\n";
const PROJECTS_HEADER: &str =
    "project;name;sector;frame;before;year;vat;grants;sales;borrowing;drift;reserves\n";
/// P1's lines: a frame of 5 000 000 kr, 2 000 000 approved before, financed as § 5-5 says.
const PROJECTS_GOOD: &str = "P1;Ny skole;01;5 000 000;2 000 000;2024;0;0;0;450 000;150 000;0\n\
    P1;Ny skole;01;5 000 000;2 000 000;2025;0;0;0;250 000;150 000;0\n";

/// The profile of one part's export (`omr;omr_tekst;art;funksjon;[prosj;]aar;belop`).
fn project_profile(file: &str, part: &str, project: bool) -> String {
    let project = if project {
        "project = { label = \"Prosjekt\", code = \"prosj\" }\n"
    } else {
        ""
    };
    format!(
        "[source]\nfile = \"{file}\"\npart = \"{part}\"\n[layout]\nkind = \"long\"\namount = \"belop\"\n\
         year = \"aar\"\nversion = \"budsjett\"\n[dimensions]\n\
         area = {{ label = \"Tjenesteområde\", code = \"omr\", text = \"omr_tekst\" }}\n\
         art = {{ code = \"art\", kostra = [2, 4] }}\nservice = {{ code = \"funksjon\", chart = \"kostra\" }}\n{project}"
    )
}

/// The export report replaced by a two-part report over 2024–2025 with the built-in KOSTRA
/// tables and `projects = "prosjekter.csv"` holding PROJECTS_HEADER and `lines`, `extra` added
/// under [budget].
fn with_projects(lines: &'static str, extra: &'static str) -> impl Fn(&Case) + Sync {
    move |c: &Case| {
        c.write("export/drift.csv", PROJECT_DRIFT.as_bytes());
        c.write("export/investering.csv", PROJECT_INVESTERING.as_bytes());
        c.write(
            "export/drift.toml",
            project_profile("drift.csv", "drift", false).as_bytes(),
        );
        c.write(
            "export/investering.toml",
            project_profile("investering.csv", "investering", true).as_bytes(),
        );
        c.write(
            "export/prosjekter.csv",
            format!("{PROJECTS_HEADER}{lines}").as_bytes(),
        );
        let report = REPORT
            .replace("plan = [2024, 2024]", "plan = [2024, 2025]")
            .replace(
                "sources = [\"profile.toml\"]",
                "sources = [\"drift.toml\", \"investering.toml\"]",
            );
        c.write(
            "export/report.toml",
            format!("{report}statutory = \"kostra\"\nprojects = \"prosjekter.csv\"\n{extra}")
                .as_bytes(),
        );
    }
}

fn projects_27_cases() -> Vec<Bad> {
    fn lines(text: &str) -> &'static str {
        Box::leak(text.to_string().into_boxed_str())
    }
    vec![
        budget_key(
            "a projects file without the statutory overviews",
            "projects = \"prosjekter.csv\"",
            &[
                "report.toml: line 17: budget.projects: found a projects file but no budget.statutory",
            ],
        ),
        budget_key(
            "accepted projects without a projects file",
            "accept_projects = [{ project = \"P1\", reason = \"Vedtatt i juni\" }]",
            &["budget.accept_projects: found accepted projects but no budget.projects"],
        ),
        bad(
            "a project accepted twice",
            BUDGET,
            with_projects(
                PROJECTS_GOOD,
                "accept_projects = [{ project = \"P1\", reason = \"A\" }, { project = \"P1\", reason = \"B\" }]\n",
            ),
            &["budget.accept_projects: found the project \"P1\" a second time"],
        ),
        bad(
            "a misspelt key of an accepted project",
            BUDGET,
            with_projects(
                PROJECTS_GOOD,
                "accept_projects = [{ project = \"P1\", reson = \"Vedtatt i juni\" }]\n",
            ),
            &[
                "budget.accept_projects[0]",
                "reson",
                "(hint: did you mean `reason`?)",
            ],
        ),
        bad(
            "a control character in an accepted project's reason",
            BUDGET,
            with_projects(
                PROJECTS_GOOD,
                "accept_projects = [{ project = \"P1\", reason = \"Vedtatt\\u0007\" }]\n",
            ),
            &["budget.accept_projects[0].reason", "found U+0007 (BEL)"],
        ),
        bad(
            "a projects file that is also the debt file",
            BUDGET,
            with_projects(PROJECTS_GOOD, "debt = \"prosjekter.csv\"\n"),
            &["budget.projects: found the file that budget.debt names too"],
        ),
        bad(
            "a projects file with only its header",
            BUDGET,
            with_projects("", ""),
            &[
                "prosjekter.csv:1: found only the header line, expected one line per project and plan year",
            ],
        ),
        bad(
            "a projects file without its reserves column",
            BUDGET,
            |c| {
                with_projects(PROJECTS_GOOD, "")(c);
                c.write(
                    "export/prosjekter.csv",
                    b"project;name;sector;frame;before;year;vat;grants;sales;borrowing;drift\nP1;Ny skole;01;5;2;2024;0;0;0;0;0\n",
                );
            },
            &["prosjekter.csv:1: missing column \"reserves\""],
        ),
        bad(
            "a project's year outside the plan",
            BUDGET,
            with_projects(
                lines(&format!(
                    "{PROJECTS_GOOD}P1;Ny skole;01;5 000 000;2 000 000;2030;0;0;0;0;0;0\n"
                )),
                "",
            ),
            &["prosjekter.csv:4: year: found 2030, expected a year of the plan (2024–2025)"],
        ),
        bad(
            "a project missing a plan year",
            BUDGET,
            with_projects(
                "P1;Ny skole;01;5 000 000;2 000 000;2024;0;0;0;450 000;150 000;0\n",
                "",
            ),
            &["prosjekter.csv:2: project P1: found no line for 2025"],
        ),
        bad(
            "a project's year on two lines",
            BUDGET,
            with_projects(
                lines(&format!(
                    "{PROJECTS_GOOD}P1;Ny skole;01;5 000 000;2 000 000;2025;0;0;0;0;0;0\n"
                )),
                "",
            ),
            &["prosjekter.csv:4: project P1 in 2025: found a second line"],
        ),
        bad(
            "the lines of a project with two frames",
            BUDGET,
            with_projects(
                "P1;Ny skole;01;5 000 000;2 000 000;2024;0;0;0;450 000;150 000;0\n\
                 P1;Ny skole;01;6 000 000;2 000 000;2025;0;0;0;250 000;150 000;0\n",
                "",
            ),
            &["prosjekter.csv:3: project P1: frame is 6 000 000 here but 5 000 000 on line 2"],
        ),
        bad(
            "a negative frame",
            BUDGET,
            with_projects(
                "P1;Ny skole;01;-5 000 000;2 000 000;2024;0;0;0;450 000;150 000;0\n",
                "",
            ),
            &["prosjekter.csv:2: frame: found -5 000 000, expected an amount of zero or more"],
        ),
        bad(
            "a project in a sector the budget does not have",
            BUDGET,
            with_projects(lines(&PROJECTS_GOOD.replace(";01;", ";07;")), ""),
            &[
                "prosjekter.csv:2: sector: found \"07\", but the budget has no such group; expected one of: 01, 09",
            ],
        ),
        bad(
            "a project without lines and a project without a row",
            BUDGET,
            with_projects(lines(&PROJECTS_GOOD.replace("P1;", "P2;")), ""),
            &[
                "prosjekter.csv:2: project P2: found no lines of it in the investment export",
                "prosjekter.csv: project P1: found lines of it in the investment export but no row in the projects file",
            ],
        ),
        bad(
            "a project over its frame",
            BUDGET,
            with_projects(lines(&PROJECTS_GOOD.replace("5 000 000", "2 500 000")), ""),
            &[
                "prosjekter.csv:2: project P1: approved before (2 000 000 kr) and the plan years (1 000 000 kr) exceed its frame of 2 500 000 kr by 500 000 kr",
            ],
        ),
        bad(
            "an accepted project that needs no reason",
            BUDGET,
            with_projects(
                PROJECTS_GOOD,
                "accept_projects = [{ project = \"P1\", reason = \"Vedtatt i juni\" }]\n",
            ),
            &[
                "report.toml: budget.accept_projects: found the project P1, which has no lines to accept",
            ],
        ),
        bad(
            "projects' financing that differs from § 5-5",
            BUDGET,
            with_projects(lines(&PROJECTS_GOOD.replace("450 000", "400 000")), ""),
            &[
                "prosjekter.csv: 2024: the projects' borrowing financing is 400 000 kr, but § 5-5 row 13 is -450 000 kr (financing is income, so the budget shows it negative); the two must agree (a difference of -50 000 kr)",
            ],
        ),
        bad(
            "a projects file without a project dimension",
            BUDGET,
            |c| {
                with_projects(PROJECTS_GOOD, "")(c);
                c.write(
                    "export/investering.toml",
                    project_profile("investering.csv", "investering", false).as_bytes(),
                );
            },
            &[
                "budget.projects: found a projects file, but no profile defines the project dimension",
            ],
        ),
        bad(
            "a projects file in a report without an investment part",
            BUDGET,
            |c| {
                with_projects(PROJECTS_GOOD, "")(c);
                c.edit(
                    "export/report.toml",
                    "sources = [\"drift.toml\", \"investering.toml\"]",
                    "sources = [\"drift.toml\"]",
                );
            },
            &[
                "budget.projects: found a projects file, but the report has no investment part with § 5-5",
            ],
        ),
    ]
}

// issue 27, sample prose: the chapter's Markdown files (data/tekst/<id>.md) are refused where
// a file names no area or programme (or both), is not Markdown, or the folder is missing; a
// live figure that is unknown, names an unknown programme, area or key figure, a position or
// kind the data does not have, a year an open period lacks; HTML and images; each at its file
// (and line and column where it has them).

/// The sample with the chapter's Markdown file `name` (in data/tekst/) written as `text`.
fn sample_text(name: &'static str, text: &'static str) -> impl Fn(&Case) + Sync {
    move |c: &Case| c.write(&format!("data/tekst/{name}"), text.as_bytes())
}

fn sample_prose_27_cases() -> Vec<Bad> {
    let text = |name: &'static str, file: &'static str, body: &'static str, e: &[&'static str]| {
        bad(name, SAMPLE, sample_text(file, body), e)
    };
    vec![
        bad(
            "the chapter's prose folder is missing",
            SAMPLE,
            |c| std::fs::remove_dir_all(c.path("data/tekst")).unwrap(),
            &["tekst: the chapter's prose folder cannot be read: no such file or folder"],
        ),
        text(
            "a chapter prose file for no area or programme",
            "ukjent.md",
            "Tekst.\n",
            &[
                "ukjent.md: found the id ukjent, but the chapter has no area or programme with that id; expected one of: tjenesteutvikling, omradesatsinger, byutvikling, kunnskap, oppvekstreformen, 0-24",
            ],
        ),
        text(
            "a file in the chapter's prose folder that is not Markdown",
            "notat.docx",
            "x",
            &["notat.docx: found a file that is not Markdown, expected only <id>.md files"],
        ),
        bad(
            "a chapter prose file whose id is both an area and a programme",
            SAMPLE,
            |c| {
                c.edit(
                    "data/programmes.csv",
                    "trd30;",
                    "kunnskap;Kunnskap;kunnskap\ntrd30;",
                )
            },
            &["kunnskap.md: found the id kunnskap, which names both an area and a programme"],
        ),
        text(
            "an unknown live figure in the chapter",
            "kunnskap.md",
            "Kunnskap.\n\nSe {{brutto}}.\n",
            &[
                "kunnskap.md:3:4: found the live figure {{brutto}}, expected one of {{nøkkeltall ID}}",
            ],
        ),
        text(
            "a live figure of a programme the chapter does not have",
            "omradesatsinger.md",
            "I {{fase ukjent 1}} skjedde det.\n",
            &[
                "omradesatsinger.md:1:3: found the programme ukjent, but the chapter has no such programme; expected one of: oppvekstreformen, 0-24",
            ],
        ),
        text(
            "a live figure of a key figure the data does not have",
            "byutvikling.md",
            "Vi blir {{nøkkeltall folketall}}.\n",
            &[
                "byutvikling.md:1:9: found the key figure folketall, but key_figures.csv has no such id; expected one of: forrige_jubileum, innbyggere_2050, nyhavna_virkemidler",
            ],
        ),
        text(
            "a programme's live figure in an area's file without the programme",
            "kunnskap.md",
            "Det koster {{beløp 1}}.\n",
            &[
                "kunnskap.md:1:12: found the live figure {{beløp 1}} in an area's file, expected the programme's id first",
            ],
        ),
        text(
            "an amount at a position the programme does not have",
            "0-24.md",
            "Satt av: {{beløp 2}}.\n",
            &[
                "0-24.md:1:10: found {{beløp 2}}, but the programme 0-24 has 1 of them in the data; expected a position from 1 to 1, or siste",
            ],
        ),
        text(
            "an amount by a kind the programme does not have",
            "0-24.md",
            "Satt av: {{beløp investering}}.\n",
            &[
                "0-24.md:1:10: found {{beløp investering}}, but the programme 0-24 has 0 amounts of that kind; expected exactly one",
            ],
        ),
        text(
            "the first year of an amount whose period is open at its start",
            "elgeseter.md",
            "Fra {{beløp external start}}.\n",
            &["elgeseter.md:1:5: found {{beløp external start}}, but the data gives no such year"],
        ),
        text(
            "a key figure's year the data does not give",
            "nyhavna.md",
            "I {{nøkkeltall nyhavna_virkemidler år}}.\n",
            &[
                "nyhavna.md:1:3: found {{nøkkeltall nyhavna_virkemidler år}}, but the data gives no such year",
            ],
        ),
        text(
            "a plan-period sum of a programme without yearly amounts",
            "0-24.md",
            "Til sammen {{sum}}.\n",
            &[
                "0-24.md:1:12: found {{sum}}, but the programme has no yearly amounts in the plan period",
            ],
        ),
        text(
            "the phases of a programme without phases",
            "modernisering.md",
            "Fasene: {{faser}}.\n",
            &[
                "modernisering.md:1:9: found {{faser}}, but the programme has no phases in phases.csv",
            ],
        ),
        text(
            "a count of programmes in a programme's file without the area",
            "trd30.md",
            "Det er {{antall}} satsinger.\n",
            &[
                "trd30.md:1:8: found the live figure {{antall}} in a programme's file, expected the area's id after antall",
            ],
        ),
        text(
            "a count of programmes of an area the chapter does not have",
            "trd30.md",
            "Det er {{antall ukjent}} satsinger.\n",
            &[
                "trd30.md:1:8: found the area ukjent, but the chapter has no such area; expected one of: tjenesteutvikling, omradesatsinger, byutvikling, kunnskap",
            ],
        ),
        text(
            "HTML in the chapter's prose",
            "trd30.md",
            "Tekst med <b>fet</b> skrift.\n",
            &["trd30.md:1:11: found HTML, expected Markdown"],
        ),
        text(
            "an image in the chapter's prose",
            "sluppen.md",
            "Se kartet:\n\n![Kart](kart.png)\n",
            &["sluppen.md:3:1: found an image (kart.png), expected text"],
        ),
    ]
}

// issue 22, inputs: every input is read once and completely (rule 4), every file is complete
// or refused (rule 5, the § 5-7 debt file).
fn inputs_cases() -> Vec<Bad> {
    let mut cases = vec![
        edit(
            "the same profile listed twice",
            "export/report.toml",
            "sources = [\"profile.toml\"]",
            "sources = [\"profile.toml\", \"./profile.toml\"]",
            &["profile.toml: budget.sources: found this profile twice (also as "],
        ),
        bad(
            "two profiles naming one export",
            BUDGET,
            |c| {
                std::fs::copy(c.path("export/profile.toml"), c.path("export/again.toml")).unwrap();
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"profile.toml\", \"again.toml\"]",
                );
            },
            &["export.csv: read by two profiles", "give each a `filter`"],
        ),
        bad(
            "two profiles with the same filter on one export",
            BUDGET,
            |c| {
                let filter = "\n[[filter]]\ncolumn = \"tjomr\"\nkeep = [\"01\", \"02\"]\n";
                let profile = std::fs::read_to_string(c.path("export/profile.toml")).unwrap();
                c.write(
                    "export/profile.toml",
                    format!("{profile}{filter}").as_bytes(),
                );
                c.write("export/again.toml", format!("{profile}{filter}").as_bytes());
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"profile.toml\", \"again.toml\"]",
                );
            },
            &["export.csv: read by two profiles"],
        ),
        bad(
            "a hard link to the export through a second profile",
            BUDGET,
            |c| {
                std::fs::hard_link(c.path("export/export.csv"), c.path("export/link.csv")).unwrap();
                c.write(
                    "export/again.toml",
                    PROFILE.replace("export.csv", "link.csv").as_bytes(),
                );
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"profile.toml\", \"again.toml\"]",
                );
            },
            &["link.csv: read by two profiles"],
        ),
        bad(
            "a folder as the profile",
            BUDGET,
            |c| {
                std::fs::remove_file(c.path("export/profile.toml")).unwrap();
                std::fs::create_dir(c.path("export/profile.toml")).unwrap();
            },
            &["profile.toml: cannot read the profile: it is a folder, expected a file"],
        ),
        bad(
            "a folder as a data file",
            SAMPLE,
            |c| {
                std::fs::remove_file(c.path("data/areas.csv")).unwrap();
                std::fs::create_dir(c.path("data/areas.csv")).unwrap();
            },
            &["areas.csv: the file cannot be read: it is a folder, expected a file"],
        ),
        // The § 5-7 debt file, over the export's one plan year (2024).
        bad(
            "a debt file with only its header",
            BUDGET,
            |c| with_debt(c, "year;kind;opening;borrowing;repayment;closing;text\n"),
            &["gjeld.csv:1: found only the header line, expected one line per kind and plan year"],
        ),
        bad(
            "a negative opening debt",
            BUDGET,
            |c| with_debt(c, &format!("{DEBT_HEADER}2024;investering;-5 000;0;0;;\n")),
            &["gjeld.csv:2: opening: found -5 000 kr, expected a debt of zero or more"],
        ),
        bad(
            "an obligation with an opening",
            BUDGET,
            |c| {
                with_debt(
                    c,
                    &format!("{DEBT_HEADER}2024;garanti;-100;;;2 000;Garanti\n"),
                )
            },
            &["gjeld.csv:2: opening: found a value for the obligation \"garanti\""],
        ),
        bad(
            "an obligation with borrowing",
            BUDGET,
            |c| with_debt(c, &format!("{DEBT_HEADER}2024;leie;;500;;2 000;Leie\n")),
            &["gjeld.csv:2: borrowing: found a value for the obligation \"leie\""],
        ),
        bad(
            "a text on a debt",
            BUDGET,
            |c| with_debt(c, &format!("{DEBT_HEADER}2024;andre;0;0;0;;Lån fra KLP\n")),
            &["gjeld.csv:2: text: found a text for the debt \"andre\""],
        ),
        bad(
            "a debt kind missing in the second plan year",
            BUDGET,
            |c| {
                two_plan_years(c);
                with_debt(
                    c,
                    &format!(
                        "{DEBT_HEADER}2024;investering;1 000;0;100;900;\n\
                         2024;videreutlan;0;0;0;;\n2025;videreutlan;0;0;0;;\n"
                    ),
                );
            },
            &["gjeld.csv:2: kind \"investering\": found no line for 2025"],
        ),
        bad(
            "a debt kind missing in the first plan year",
            BUDGET,
            |c| {
                two_plan_years(c);
                with_debt(c, &format!("{DEBT_HEADER}2025;andre;500;0;0;;\n"));
            },
            &["gjeld.csv:2: kind \"andre\": found no line for 2024"],
        ),
        bad(
            "an obligation missing in a later plan year",
            BUDGET,
            |c| {
                two_plan_years(c);
                with_debt(c, &format!("{DEBT_HEADER}2024;garanti;;;;2 000;Havn KF\n"));
            },
            &["gjeld.csv:2: kind \"garanti\": found no line for 2025"],
        ),
        // What an export holds is read as meant, or refused (rules 7 and 10).
        bad(
            "an export whose rows are all filtered out",
            BUDGET,
            |c| {
                let profile = std::fs::read_to_string(c.path("export/profile.toml")).unwrap();
                // Each value is in the export (a value no row holds is refused on its own),
                // but no row has both: 01 is Skole (2020), 2530 is Helse's.
                let filter = "\n[[filter]]\ncolumn = \"tjomr\"\nkeep = [\"01\"]\n\
                              [[filter]]\ncolumn = \"tjeneste\"\nkeep = [\"2530\"]\n";
                c.write(
                    "export/profile.toml",
                    format!("{profile}{filter}").as_bytes(),
                );
            },
            &["export.csv: found 4 rows but no budget line in them: 4 filtered out"],
        ),
        bad(
            "an export saved without its header line",
            BUDGET,
            |c| {
                c.write(
                    "export/export.csv",
                    EXPORT.split_once('\n').unwrap().1.as_bytes(),
                )
            },
            &[
                "export.csv:1:1",
                "the header line looks like data: found \"100\"",
            ],
        ),
        bad(
            "a comma-separated export with unquoted decimal commas",
            BUDGET,
            |c| {
                let export = EXPORT
                    .replace(';', ",")
                    .replace("3 484 248", "3 484 248,50")
                    .replace("-484 248", "-484 248,50");
                c.write("export/export.csv", export.as_bytes());
                c.edit(
                    "export/profile.toml",
                    "unit = \"kr\"",
                    "unit = \"kr\"\ndelimiter = \",\"",
                );
            },
            &[
                "export.csv:2: found 2 rows with more fields than the header line in a comma-separated export",
            ],
        ),
        bad(
            "an investment art in an export read as drift",
            BUDGET,
            |c| {
                let export = format!("{EXPORT}300;03;Kultur;3700;Bibliotek;91000;-5\n");
                c.write("export/export.csv", export.as_bytes());
            },
            &[
                "export.csv:6: found 1 lines with arts SSB allows only in investering (910)",
                "part = \"investering\"",
            ],
        ),
        edit(
            "a Windows-1252 dash saved as U+0096",
            "export/export.csv",
            "01;Oppvekst",
            "01;Oppvekst\u{96}skole",
            &[
                "export.csv:2:3",
                "U+0096",
                "Windows-1252 character (0x96 is its dash",
            ],
        ),
    ];
    // A named pipe as an input used to make every command wait forever.
    #[cfg(unix)]
    cases.extend([
        bad(
            "a named pipe as the export",
            BUDGET,
            |c| fifo(&c.path("export/export.csv")),
            &["export.csv: the file cannot be read: it is not a regular file"],
        ),
        bad(
            "a named pipe as the profile",
            BUDGET,
            |c| fifo(&c.path("export/profile.toml")),
            &["profile.toml: cannot read the profile: it is not a regular file"],
        ),
        bad(
            "a named pipe as the report configuration",
            BUDGET,
            |c| fifo(&c.path("export/report.toml")),
            &["report.toml: cannot read the report configuration: it is not a regular file"],
        ),
        bad(
            "a named pipe as the debt file",
            BUDGET,
            |c| {
                with_debt(c, "");
                fifo(&c.path("export/gjeld.csv"));
            },
            &["gjeld.csv: the file cannot be read: it is not a regular file"],
        ),
    ]);
    cases
}

// issue 24, the colophon's rows: a series file (population, deflator) has one line per year;
// a year on a second line was read as the last of its values, the other dropped unseen.
fn series_24_cases() -> Vec<Bad> {
    vec![
        bad(
            "a year twice in the population file",
            BUDGET,
            |c| {
                c.write("export/folk.csv", b"year;value\n2024;1 000\n2024;2 000\n");
                c.edit(
                    "export/report.toml",
                    "detail_by = \"service\"",
                    "detail_by = \"service\"\npopulation = \"folk.csv\"",
                );
            },
            &["folk.csv:3: year: found 2024 a second time (the first is line 2)"],
        ),
        bad(
            "a year twice in the deflator file",
            BUDGET,
            |c| {
                c.write(
                    "export/d.csv",
                    b"year;value\n2024;4,1\n2025;3,0\n2025;3,5\n",
                );
                c.edit(
                    "export/report.toml",
                    "detail_by = \"service\"",
                    "detail_by = \"service\"\ndeflator = \"d.csv\"\nbase_year = 2024",
                );
            },
            &["d.csv:4: year: found 2025 a second time (the first is line 3)"],
        ),
    ]
}

const DEBT_HEADER: &str = "year;kind;opening;borrowing;repayment;closing;text\n";

/// The export's report with the debt file `gjeld.csv` holding `text`.
fn with_debt(c: &Case, text: &str) {
    c.write("export/gjeld.csv", text.as_bytes());
    let report = std::fs::read_to_string(c.path("export/report.toml")).unwrap();
    c.write(
        "export/report.toml",
        format!("{report}debt = \"gjeld.csv\"\n").as_bytes(),
    );
}

/// The export's report over 2024 and 2025: the export's lines in both years.
fn two_plan_years(c: &Case) {
    let mut export = String::new();
    for (i, line) in EXPORT.lines().enumerate() {
        if i == 0 {
            export.push_str(&format!("{line};aar\n"));
        } else {
            export.push_str(&format!("{line};2024\n{line};2025\n"));
        }
    }
    c.write("export/export.csv", export.as_bytes());
    c.edit("export/profile.toml", "year = 2024", "year = \"aar\"");
    c.edit(
        "export/report.toml",
        "plan = [2024, 2024]",
        "plan = [2024, 2025]",
    );
}

/// Replaces `path` with a named pipe.
#[cfg(unix)]
fn fifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
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

// issue 26, KOSTRA files: an SSB accounts file named as a source is read at SSB's positions,
// and every wrong record is refused at its line and positions; the file gives nothing.

/// A KOSTRA record of skjema 0A, 2024, region 500100 (drift) with this funksjon, art and
/// amount in 1 000 kr, at SSB's positions.
fn kostra_record(head: &str, class: &str, rest: &str) -> String {
    format!("{head}{:18}{class}{rest}", "")
}

/// The budget report with `export/kostra.dat` as its only source: a good drift record and
/// then `line`.
fn kostra(name: &'static str, line: String, expected: &[&'static str]) -> Bad {
    bad(
        name,
        BUDGET,
        move |c| {
            let good = kostra_record("0A2024 500100", "1", "202 010     1234");
            c.write("export/kostra.dat", format!("{good}\n{line}\n").as_bytes());
            c.edit(
                "export/report.toml",
                "sources = [\"profile.toml\"]",
                "sources = [\"kostra.dat\"]",
            );
        },
        expected,
    )
}

fn kostra_cases() -> Vec<Bad> {
    vec![
        kostra(
            "a short KOSTRA record",
            kostra_record("0A2024 500100", "1", "202 010"),
            &["kostra.dat:2:40: found a line of 39 characters, expected a KOSTRA record of 48"],
        ),
        kostra(
            "a letter in a KOSTRA amount",
            kostra_record("0A2024 500100", "1", "202 010     12a4"),
            &["kostra.dat:2:40: positions 40–48 (beløp): found \"     12a4\", expected a whole"],
        ),
        kostra(
            "an unknown KOSTRA skjema",
            kostra_record("0X2024 500100", "1", "202 010     1234"),
            &["kostra.dat:2:1: positions 1–2 (skjema): found \"0X\", expected a KOSTRA skjema"],
        ),
        kostra(
            "a kontoklasse of another skjema",
            kostra_record("0A2024 500100", "3", "202 010     1234"),
            &["kostra.dat:2:32: position 32 (kontoklasse): found \"3\", expected kontoklasse 0, 1"],
        ),
        kostra(
            "two years in one KOSTRA file",
            kostra_record("0A2023 500100", "1", "202 010     1234"),
            &["kostra.dat:2:3: positions 3–6 (årgang): found \"2023\", but line 1 has \"2024\""],
        ),
        kostra(
            "two regions in one KOSTRA file",
            kostra_record("0A2024 500200", "1", "202 010     1234"),
            &["kostra.dat:2:8: positions 8–13 (region): found \"500200\", but line 1 has"],
        ),
        kostra(
            "a KOSTRA amount past its nine positions",
            kostra_record("0A2024 500100", "1", "202 010123456789012"),
            &["kostra.dat:2:49: found \"012\" after position 48"],
        ),
        kostra(
            "a letter in a KOSTRA funksjon",
            kostra_record("0A2024 500100", "1", "2O2 010     1234"),
            &["kostra.dat:2:33: positions 33–36 (funksjon): found \"2O2 \""],
        ),
        kostra(
            "a KOSTRA quarter out of range",
            kostra_record("0A20245500100", "1", "202 010     1234"),
            &["kostra.dat:2:7: position 7 (kvartal): found \"5\""],
        ),
        bad(
            "a KOSTRA skjema in lower case",
            BUDGET,
            |c| {
                let line = kostra_record("0a2024 500100", "1", "202 010     1234");
                c.write("export/kostra.dat", format!("{line}\n").as_bytes());
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"kostra.dat\"]",
                );
            },
            &["kostra.dat:1:1: positions 1–2 (skjema): found \"0a\", expected a KOSTRA skjema"],
        ),
        bad(
            "a KOSTRA file named twice",
            BUDGET,
            |c| {
                let good = kostra_record("0A2024 500100", "1", "202 010     1234");
                c.write("export/kostra.dat", format!("{good}\n").as_bytes());
                c.edit(
                    "export/report.toml",
                    "sources = [\"profile.toml\"]",
                    "sources = [\"kostra.dat\", \"./kostra.dat\"]",
                );
            },
            &["kostra.dat: named twice among budget.sources (also as "],
        ),
    ]
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
    ("a budget report's language without a catalogue", 2, 2),
    // issue 22, inputs
    ("a named pipe as the report configuration", 2, 2),
    // Issue 25.
    ("a statutory folder that does not exist", 2, 2),
    // issue 22, unseen corpus
    ("a plan of three years", 2, 2),
    ("a report.toml saved as Windows-1252", 2, 2),
    ("[[budget]] for [budget]", 2, 2),
    ("a number too large for decimals", 2, 2),
    // issue 27, tiltak and projects
    ("a tiltak file without a change bridge", 2, 2),
    ("a tiltak file that is also the population file", 2, 2),
    ("a projects file without the statutory overviews", 2, 2),
    ("accepted projects without a projects file", 2, 2),
    ("a project accepted twice", 2, 2),
    ("a misspelt key of an accepted project", 2, 2),
    ("a control character in an accepted project's reason", 2, 2),
    ("a projects file that is also the debt file", 2, 2),
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
    // explain reads the budget report through the same pipeline as check, so it refuses the
    // same inputs with the same code and words (issue 21).
    let commands: &[&str] = if bad.config == BUDGET {
        &["check", "render", "explain"]
    } else {
        &["check", "render"]
    };
    for &command in commands {
        let (code, text) = case.run(command, bad.config);
        let expected = match OTHER_EXIT_CODES
            .iter()
            .chain(CONFIG_22_EXIT_CODES)
            .chain(KEY_FIGURES_26_EXIT_CODES)
            .chain(RESOLUTION_26_EXIT_CODES)
            .chain(HISTORY_EXIT_CODES)
            .chain(HISTORY_BY_SERVICE_EXIT_CODES)
            .chain(LEFTOVERS_S8_EXIT_CODES)
            .find(|(name, ..)| *name == bad.name)
        {
            Some((_, check, _)) if command != "render" => *check,
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
    let mut cases = cases();
    cases.extend(config_22_cases());
    cases.extend(key_figures_26_cases());
    cases.extend(resolution_26_cases());
    cases.extend(history_cases());
    cases.extend(history_by_service_cases());
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    // The good inputs pass, and one good PDF is rendered for every case's output folder.
    let good = Case::new();
    for config in [SAMPLE, BUDGET] {
        let (code, text) = good.run("check", config);
        assert_eq!(code, Some(0), "{config}: {text}");
    }
    // Every refusal of explain below is the bad input's: the good budget report explains.
    let (code, text) = good.run("explain", BUDGET);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("01 Oppvekst, 2024"), "{text}");
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

// issue 22, config: every key of report.toml and of a profile is known (a misspelt one is
// refused with a hint, in every table, the compare side's too), a value of several forms
// names them, every number has its range, every text that reaches a page passes the data
// cell's check, keys that contradict or do nothing are refused; the command line likewise.

/// A line added to the export report's `[budget]` (after `detail_by`, line 16: so on line 17).
fn budget_key(name: &'static str, line: &'static str, expected: &[&'static str]) -> Bad {
    let to: &'static str = Box::leak(format!("detail_by = \"service\"\n{line}").into_boxed_str());
    edit(
        name,
        "export/report.toml",
        "detail_by = \"service\"",
        to,
        expected,
    )
}

/// Issue 22's cases of report.toml (exit 2) and of a profile (exit 1).
fn config_22_cases() -> Vec<Bad> {
    vec![
        budget_key(
            "a misspelt key in a compare side's table",
            "compare = [{ version = \"budsjett\", yaer = 2023 }, \"regnskap\"]",
            &[
                "report.toml: line 17: budget.compare",
                "yaer",
                "(hint: did you mean `year`?)",
            ],
        ),
        budget_key(
            "a compare side of no form",
            "compare = [5, \"budsjett\"]",
            &[
                "report.toml: line 17: budget.compare",
                "expected a version's name such as \"budsjett\", or a table",
            ],
        ),
        budget_key(
            "a group order of no form",
            "group_order = 5",
            &[
                "report.toml: line 17: budget.group_order",
                "expected \"code\", \"source\" or a list of groups",
            ],
        ),
        budget_key(
            "a misspelt rounding rule",
            "rounding = \"half_evn\"",
            &[
                "report.toml: line 17: budget.rounding",
                "(hint: did you mean `half_even`?)",
            ],
        ),
        edit(
            "a misspelt table",
            "export/report.toml",
            "[budget]",
            "[budgett]",
            &["report.toml: line 12", "(hint: did you mean `budget`?)"],
        ),
        edit(
            "a misspelt key in [period]",
            "export/report.toml",
            "plan = [2024, 2024]",
            "plan = [2024, 2024]\nhorizn = [2024, 2025]",
            &[
                "report.toml: line 11: period",
                "(hint: did you mean `horizon`?)",
            ],
        ),
        budget_key(
            "a negative KOSTRA year",
            "kostra_year = -5",
            &[
                "report.toml: line 17: budget.kostra_year: found -5, expected a year from 1900 to 2200",
            ],
        ),
        budget_key(
            "a KOSTRA year from before the chart",
            "kostra_year = 1990",
            &[
                "report.toml: line 17: budget.kostra_year: found 1990, expected a year from 2001 (KOSTRA's first) to 2024",
            ],
        ),
        budget_key(
            "a KOSTRA year after the plan",
            "kostra_year = 3000",
            &["report.toml: line 17: budget.kostra_year: found 3000"],
        ),
        edit(
            "a plan year 0",
            "export/report.toml",
            "plan = [2024, 2024]",
            "plan = [0, 2024]",
            &[
                "report.toml: line 10: period.plan",
                "found 0, expected a year from 1900 to 2200",
            ],
        ),
        budget_key(
            "a base year out of range",
            "deflator = \"d.csv\"\nbase_year = 20240",
            &["report.toml: line 18: budget.base_year: found 20240"],
        ),
        budget_key(
            "a compare year out of range",
            "compare = [\"budsjett\", { version = \"budsjett\", year = 24 }]",
            &[
                "report.toml: line 17: budget.compare",
                "found 24, expected a year from 1900 to 2200",
            ],
        ),
        budget_key(
            "the same compare side twice",
            "compare = [\"budsjett\", \"budsjett\"]",
            &[
                "report.toml: line 17: budget.compare: found the version \"budsjett\" in 2024 on both sides",
            ],
        ),
        budget_key(
            "a compare side twice, once by its default year",
            "compare = [\"budsjett\", { version = \"budsjett\", year = 2024, label = \"B\" }]",
            &[
                "report.toml: line 17: budget.compare: found the version \"budsjett\" in 2024 on both sides",
            ],
        ),
        budget_key(
            "two compare sides with one label",
            "compare = [{ version = \"budsjett\", label = \"B\" }, { version = \"regnskap\", label = \"B\" }]",
            &["report.toml: line 17: budget.compare: found the label \"B\" on both sides"],
        ),
        budget_key(
            "an empty compare label",
            "compare = [{ version = \"budsjett\", label = \"\" }, \"regnskap\"]",
            &[
                "report.toml: line 17: budget.compare",
                "found the empty text \"\"",
            ],
        ),
        budget_key(
            "an emoji in a compare label",
            "compare = [{ version = \"budsjett\", label = \"Budsjett 😀\" }, \"regnskap\"]",
            &["report.toml: line 17: budget.compare", "found U+1F600"],
        ),
        budget_key(
            "a control character in a compared version",
            "compare = [\"budsjett\\u0007\", \"regnskap\"]",
            &["report.toml: line 17: budget.compare", "found U+0007 (BEL)"],
        ),
        edit(
            "an emoji in the version",
            "export/report.toml",
            "version = \"budsjett\"",
            "version = \"budsjett 😀\"",
            &["report.toml: line 14: budget.version: found U+1F600"],
        ),
        edit(
            "an emoji in the status",
            "data/report.toml",
            "status = \"Kommunedirektørens forslag\"",
            "status = \"Forslag 😀\"",
            &["report.toml: line 11: report.status: found U+1F600"],
        ),
        edit(
            "a control character in the status",
            "data/report.toml",
            "status = \"Kommunedirektørens forslag\"",
            "status = \"Forslag\\u001b[31m\"",
            &["report.toml: line 11: report.status: found U+001B (ESC)"],
        ),
        edit(
            "an empty status",
            "data/report.toml",
            "status = \"Kommunedirektørens forslag\"",
            "status = \" \"",
            &["report.toml: line 11: report.status: found the empty text"],
        ),
        edit(
            "an empty title",
            "data/report.toml",
            "title = \"Strategier og tiltak\"",
            "title = \"\"",
            &["report.toml: line 9: report.title: found the empty text"],
        ),
        budget_key(
            "investering grouped and detailed by one dimension",
            "investering_group_by = \"project\"\ninvestering_detail_by = \"project\"",
            &[
                "report.toml: line 18: budget.investering_detail_by: found \"project\", the same dimension that groups",
            ],
        ),
        budget_key(
            "investering detailed by drift's group it inherits",
            "investering_detail_by = \"area\"",
            &[
                "report.toml: line 17: budget.investering_detail_by: found \"area\", the same dimension that groups",
            ],
        ),
        budget_key(
            "a group_order entry that names no group",
            "group_order = [\"01\", \"Finans\"]",
            &[
                "report.toml:17: budget.group_order: found \"Finans\", which is no group's code or name",
                "01 Oppvekst, 02 Helse",
            ],
        ),
        budget_key(
            "an investering key in a drift-only report",
            "investering_version = \"inv\"",
            &[
                "report.toml:17: budget.investering_version: found a key for the investment part, but no profile says part = \"investering\"",
            ],
        ),
        budget_key(
            "an empty group order",
            "group_order = []",
            &["report.toml: line 17: budget.group_order: found an empty list"],
        ),
        budget_key(
            "a group listed twice in group_order",
            "group_order = [\"01\", \"02\", \"01\"]",
            &["report.toml: line 17: budget.group_order: found \"01\" twice"],
        ),
        budget_key(
            "negative decimals",
            "decimals = -1",
            &["report.toml: line 17: budget.decimals: found -1, expected 0 to 4"],
        ),
        // The profile (a problem of the data: exit 1).
        edit(
            "a fixed version with an emoji",
            "export/profile.toml",
            "version = \"budsjett\"",
            "version = \"budsjett 😀\"",
            &["profile.toml:9: layout.version: found U+1F600"],
        ),
        edit(
            "an empty fixed version",
            "export/profile.toml",
            "version = \"budsjett\"",
            "version = \"\"",
            &["profile.toml:9: layout.version: found the empty text"],
        ),
        edit(
            "a fixed year out of range",
            "export/profile.toml",
            "year = 2024",
            "year = 24",
            &["profile.toml:8: layout.year: found 24, expected a year from 1900 to 2200"],
        ),
        edit(
            "a fixed year of no form",
            "export/profile.toml",
            "year = 2024",
            "year = 2024.5",
            &[
                "profile.toml:8: layout.year",
                "expected the year column's header, such as \"aar\", or one year",
            ],
        ),
        edit(
            "a misspelt key in a dimension",
            "export/profile.toml",
            "code = \"tjomr\"",
            "cdoe = \"tjomr\"",
            &[
                "profile.toml:13: dimensions.area",
                "(hint: did you mean `code`?)",
            ],
        ),
        edit(
            "an empty dimension label",
            "export/profile.toml",
            "label = \"Ansvar\"",
            "label = \"\"",
            &["profile.toml:12: dimensions.responsibility.label: found the empty text"],
        ),
        edit(
            "a misspelt key in [source]",
            "export/profile.toml",
            "unit = \"kr\"",
            "unti = \"kr\"",
            &["profile.toml:3: source", "(hint: did you mean `unit`?)"],
        ),
        edit(
            "a wide column's year out of range",
            "export/profile.toml",
            "kind = \"long\"\namount = \"beloep\"\nyear = 2024\nversion = \"budsjett\"",
            "kind = \"wide\"\ncolumns = [{ column = \"beloep\", year = 3000 }]",
            &["profile.toml:7: layout.columns[0].year: found 3000"],
        ),
    ]
}

/// Issue 22's cases of report.toml: a configuration that cannot be used (exit 2).
const CONFIG_22_EXIT_CODES: &[(&str, i32, i32)] = &[
    ("negative decimals", 2, 2),
    ("a misspelt key in a compare side's table", 2, 2),
    ("a compare side of no form", 2, 2),
    ("a group order of no form", 2, 2),
    ("a misspelt rounding rule", 2, 2),
    ("a misspelt table", 2, 2),
    ("a misspelt key in [period]", 2, 2),
    ("a negative KOSTRA year", 2, 2),
    ("a KOSTRA year from before the chart", 2, 2),
    ("a KOSTRA year after the plan", 2, 2),
    ("a plan year 0", 2, 2),
    ("a base year out of range", 2, 2),
    ("a compare year out of range", 2, 2),
    ("the same compare side twice", 2, 2),
    ("a compare side twice, once by its default year", 2, 2),
    ("two compare sides with one label", 2, 2),
    ("an empty compare label", 2, 2),
    ("an emoji in a compare label", 2, 2),
    ("a control character in a compared version", 2, 2),
    ("an emoji in the version", 2, 2),
    ("an emoji in the status", 2, 2),
    ("a control character in the status", 2, 2),
    ("an empty status", 2, 2),
    ("an empty title", 2, 2),
    ("investering grouped and detailed by one dimension", 2, 2),
    ("investering detailed by drift's group it inherits", 2, 2),
    ("an empty group order", 2, 2),
    ("a group listed twice in group_order", 2, 2),
];

// issue 26, key figures: the municipality's financial rules ([[budget.rules]]) name a key
// figure known by its name and one bound, a percent in its range with at most one decimal;
// a misspelt figure or key, a bound of no form, and a figure bounded twice on one side are
// refused with the rule's place (budget.rules[0] is the first) and its line.

/// A rule after the export report's `[budget]` (its header on line 17, `figure` on 18).
fn rule(name: &'static str, body: &'static str, expected: &[&'static str]) -> Bad {
    let line: &'static str = Box::leak(format!("[[budget.rules]]\n{body}").into_boxed_str());
    budget_key(name, line, expected)
}

fn key_figures_26_cases() -> Vec<Bad> {
    vec![
        rule(
            "a misspelt key figure in a rule",
            "figure = \"netto_driftresultat\"\nat_least = 2",
            &[
                "report.toml: line 18: budget.rules[0].figure",
                "(hint: did you mean `netto_driftsresultat`?)",
            ],
        ),
        rule(
            "a misspelt bound in a rule",
            "figure = \"disposisjonsfond\"\nat_lest = 10",
            &[
                "report.toml: line 19: budget.rules[0].at_lest",
                "(hint: did you mean `at_least`?)",
            ],
        ),
        rule(
            "a rule with both bounds",
            "figure = \"disposisjonsfond\"\nat_least = 5\nat_most = 20",
            &["report.toml: line 17: budget.rules[0]: found both at_least and at_most"],
        ),
        rule(
            "a rule without a bound",
            "figure = \"disposisjonsfond\"",
            &["report.toml: line 17: budget.rules[0]: found neither at_least nor at_most"],
        ),
        rule(
            "a rule's percent out of range",
            "figure = \"netto_lanegjeld\"\nat_most = 2000",
            &[
                "report.toml: line 19: budget.rules[0].at_most: found 2000",
                "expected a percent from -100 to 1000 with at most one decimal",
            ],
        ),
        rule(
            "a rule's percent with two decimals",
            "figure = \"netto_driftsresultat\"\nat_least = 1.75",
            &["report.toml: line 19: budget.rules[0].at_least: found 1.75"],
        ),
        rule(
            "a rule's percent as text",
            "figure = \"netto_driftsresultat\"\nat_least = \"2 %\"",
            &[
                "report.toml: line 19: budget.rules[0].at_least",
                "expected a percent, such as 2 or 1.5",
            ],
        ),
        rule(
            "a key figure bounded twice on one side",
            "figure = \"netto_lanegjeld\"\nat_most = 90\n[[budget.rules]]\nfigure = \"netto_lanegjeld\"\nat_most = 80",
            &[
                "report.toml: line 21: budget.rules[1].figure: found netto_lanegjeld with at_most again (budget.rules[0] gives it already)",
            ],
        ),
    ]
}

/// Issue 26's cases of report.toml: a configuration that cannot be used (exit 2).
const KEY_FIGURES_26_EXIT_CODES: &[(&str, i32, i32)] = &[
    ("a misspelt key figure in a rule", 2, 2),
    ("a misspelt bound in a rule", 2, 2),
    ("a rule with both bounds", 2, 2),
    ("a rule without a bound", 2, 2),
    ("a rule's percent out of range", 2, 2),
    ("a rule's percent with two decimals", 2, 2),
    ("a rule's percent as text", 2, 2),
    ("a key figure bounded twice on one side", 2, 2),
];

/// A command line mistake: the arguments after the command (`{case}` is the case's folder),
/// the exit code and what the message must say.
struct CliBad {
    name: &'static str,
    args: &'static [&'static str],
    /// Edits to a copy of the templates in `{case}/templates`, as (file, from, to).
    templates: &'static [(&'static str, &'static str, &'static str)],
    code: i32,
    expected: &'static [&'static str],
}

fn cli_22_cases() -> Vec<CliBad> {
    let cli = |name, args, code, expected| CliBad {
        name,
        args,
        templates: &[],
        code,
        expected,
    };
    let words = |name, templates, expected| CliBad {
        name,
        args: &[
            "check",
            "--config",
            "{case}/data/report.toml",
            "--templates",
            "{case}/templates",
        ],
        templates,
        code: 2,
        expected,
    };
    let render: &[&str] = &[
        "render",
        "--config",
        "{case}/data/report.toml",
        "--output",
        "{case}/output",
    ];
    let leak = |extra: &[&'static str]| -> &'static [&'static str] {
        Box::leak([render, extra].concat().into_boxed_slice())
    };
    vec![
        cli(
            "--ppi below its range",
            leak(&["--format", "png", "--ppi", "5"]),
            2,
            &["'--ppi <PPI>'", "5 is not in 18..=600"],
        ),
        cli(
            "--ppi negative",
            leak(&["--format", "png", "--ppi", "-1"]),
            2,
            &["'--ppi <PPI>'", "-1 is not in 18..=600"],
        ),
        cli(
            "--ppi for a PDF",
            leak(&["--ppi", "300"]),
            2,
            &["--ppi: found --ppi for a PDF"],
        ),
        cli(
            "--pages for a PDF",
            leak(&["--pages", "1"]),
            2,
            &["--pages: found --pages for a PDF"],
        ),
        cli(
            "--pages negative",
            leak(&["--format", "png", "--pages", "-1"]),
            2,
            &["'--pages <PAGES>'", "expected pages such as 1,3-5"],
        ),
        cli(
            "--pages past the last page",
            leak(&["--format", "png", "--pages", "2,99"]),
            2,
            &[
                "--pages: found page 99, but the report has",
                "nothing was written",
            ],
        ),
        cli(
            "--jobs without --each",
            leak(&["--jobs", "2"]),
            2,
            &["--each <DIMENSION>"],
        ),
        cli(
            "--jobs 0",
            leak(&["--each", "area", "--jobs", "0"]),
            2,
            &["'--jobs <JOBS>'", "0 is not in 1..=256"],
        ),
        cli(
            "--jobs negative",
            leak(&["--each", "area", "--jobs", "-2"]),
            2,
            &["'--jobs <JOBS>'", "-2 is not in 1..=256"],
        ),
        cli(
            "profile --year 0",
            &[
                "profile",
                "{case}/export/export.csv",
                "--output",
                "{case}/output/p.toml",
                "--year",
                "0",
            ],
            2,
            &[
                "'--year <YEAR>'",
                "found \"0\", expected a year from 1900 to 2200",
            ],
        ),
        cli(
            "profile --year -1",
            &[
                "profile",
                "{case}/export/export.csv",
                "--output",
                "{case}/output/p.toml",
                "--year",
                "-1",
            ],
            2,
            &[
                "'--year <YEAR>'",
                "found \"-1\", expected a year from 1900 to 2200",
            ],
        ),
        cli(
            "explain --row with --group",
            &[
                "explain",
                "--config",
                "{case}/export/report.toml",
                "--row",
                "5-4:6",
                "--group",
                "01",
            ],
            2,
            &["'--row <ROW>' cannot be used with '--group <GROUP>'"],
        ),
        cli(
            "explain --row with --flow",
            &[
                "explain",
                "--config",
                "{case}/export/report.toml",
                "--row",
                "5-4:6",
                "--flow",
                "income",
            ],
            2,
            &["'--row <ROW>' cannot be used with '--flow <FLOW>'"],
        ),
        cli(
            "explain an unknown part",
            &[
                "explain",
                "--config",
                "{case}/export/report.toml",
                "--group",
                "01",
                "--part",
                "drif",
            ],
            2,
            &["'drif'", "[possible values: drift, investering]"],
        ),
        cli(
            "explain a year out of range",
            &[
                "explain",
                "--config",
                "{case}/export/report.toml",
                "--group",
                "01",
                "--year",
                "-3",
            ],
            2,
            &["found \"-3\", expected a year from 1900 to 2200"],
        ),
        cli(
            "a --templates folder that does not exist",
            &[
                "check",
                "--config",
                "{case}/data/report.toml",
                "--templates",
                "{case}/no-such-folder",
            ],
            2,
            &["no-such-folder: found no such folder, expected a folder of templates"],
        ),
        cli(
            "a --templates folder of something else",
            &[
                "check",
                "--config",
                "{case}/data/report.toml",
                "--templates",
                "{case}/data",
            ],
            2,
            &["data: found a folder without templates"],
        ),
        words(
            "an emoji in the words catalogue",
            &[("words/nb.toml", "net = \"Netto\"", "net = \"Netto 😀\"")],
            &["nb.toml: key `table.net`: found U+1F600"],
        ),
        words(
            "a control character in the words catalogue",
            &[("words/nb.toml", "net = \"Netto\"", "net = \"Netto\\u0000\"")],
            &["nb.toml: key `table.net`: found U+0000 (NUL)"],
        ),
        words(
            "a language code of digits",
            &[("words/nb.toml", "lang = \"nb\"", "lang = \"n1\"")],
            &[
                "nb.toml: key `meta.lang`: found \"n1\", expected a language code of two or three lowercase letters",
            ],
        ),
        words(
            "a region of three letters",
            &[("words/nb.toml", "region = \"NO\"", "region = \"NOR\"")],
            &[
                "nb.toml: key `meta.region`: found \"NOR\", expected a region code of two capital letters",
            ],
        ),
        CliBad {
            name: "a key the program prints missing from nb.toml and nn.toml",
            args: &[
                "check",
                "--config",
                "{case}/data/report-nn.toml",
                "--templates",
                "{case}/templates",
            ],
            templates: &[
                ("words/nb.toml", "net = \"Netto\"\n", ""),
                ("words/nn.toml", "net = \"Netto\"\n", ""),
            ],
            code: 2,
            expected: &[
                "words/nb.toml: the words catalogue has no `table.net` that the program prints",
            ],
        },
        // issue 28, serve: the page's upload limit has its range. The page's own refusals (a
        // request without the token, from another site, an oversized or unknown upload) are
        // answers, not exits: tests/web_http.rs has them.
        cli(
            "serve's upload limit below its range",
            &["serve", "{case}/side", "--max-upload-mb", "0"],
            2,
            &["0 is not in 1..=1024"],
        ),
        cli(
            "serve's upload limit above its range",
            &["serve", "{case}/side", "--max-upload-mb", "2048"],
            2,
            &["2048 is not in 1..=1024"],
        ),
    ]
}

// issue 27, sample prose: a templates folder that still holds a template of the chapter's own
// text (programmes/<id>.typ.j2), which the built-in strategier.typ.j2 no longer reads.
fn sample_prose_27_cli_cases() -> Vec<CliBad> {
    vec![CliBad {
        name: "a template of a programme's text beside the built-in report template",
        args: &[
            "check",
            "--config",
            "{case}/data/report.toml",
            "--templates",
            "{case}/templates",
        ],
        templates: &[("programmes/0-24.typ.j2", "", "Den gamle teksten.\n")],
        code: 1,
        expected: &[
            "programmes/0-24.typ.j2: found a template of the chapter's own text, which the built-in strategier.typ.j2 no longer reads",
            "expected its words in 0-24.md in the folder data.prose names",
        ],
    }]
}

// issue 29, template filters: a templates folder whose table asks `widest` for the widest
// figures of a number of columns given as text.
fn template_filters_29_cli_cases() -> Vec<CliBad> {
    vec![
        CliBad {
            name: "a table's widest figures asked for a number of columns given as text",
            args: &[
                "check",
                "--config",
                "{case}/export/report.toml",
                "--templates",
                "{case}/templates",
            ],
            templates: &[(
                "_macros.typ.j2",
                "t | widest(heads | length - 1)",
                "t | widest(\"alle\")",
            )],
            code: 1,
            expected: &[
                "_macros.typ.j2:58: template error: invalid operation: cannot convert string to i64",
            ],
        },
        CliBad {
            name: "a table's widest figures asked for more columns than a page holds",
            args: &[
                "check",
                "--config",
                "{case}/export/report.toml",
                "--templates",
                "{case}/templates",
            ],
            templates: &[(
                "_macros.typ.j2",
                "t | widest(heads | length - 1)",
                "t | widest(100000000)",
            )],
            code: 1,
            expected: &[
                "_macros.typ.j2:58: template error: invalid operation: widest: expected a number of columns from 0 to 64, found 100000000",
            ],
        },
    ]
}

/// Copies a folder and what it holds.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn issue_22_command_line_mistakes_are_refused_and_write_nothing() {
    let good = Case::new();
    let (code, text) = good.run("render", SAMPLE);
    assert_eq!(code, Some(0), "{text}");
    let pdf = std::fs::read(good.path("output/strategier-og-tiltak.pdf")).unwrap();
    let mut failures = Vec::new();
    for bad in cli_22_cases()
        .into_iter()
        .chain(sample_prose_27_cli_cases())
        .chain(template_filters_29_cli_cases())
    {
        let case = Case::new();
        let output = case.path("output");
        std::fs::write(output.join("strategier-og-tiltak.pdf"), &pdf).unwrap();
        let before = snapshot(&output);
        let templates = case.path("templates");
        copy_folder(&Path::new(REPO).join("templates"), &templates);
        for (file, from, to) in bad.templates {
            let path = templates.join(file);
            // A file the templates lack is written (from "" to its text).
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(text.contains(from), "{file} lacks {from:?}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        }
        let root = case.dir.path().display().to_string();
        let args: Vec<String> = bad
            .args
            .iter()
            .map(|a| a.replace("{case}", &root))
            .collect();
        let mut command = common::budsjett();
        command.args(&args).current_dir(case.dir.path());
        if !args.iter().any(|a| a == "--templates")
            && ["check", "render"].contains(&args[0].as_str())
        {
            command.arg("--templates").arg(&templates);
        }
        let run = command.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        let mut problems = Vec::new();
        if run.status.code() != Some(bad.code) {
            problems.push(format!(
                "exited with {:?}, expected {}",
                run.status.code(),
                bad.code
            ));
        }
        for part in bad.expected {
            if !text.contains(part) {
                problems.push(format!("the message lacks {part:?}"));
            }
        }
        if text.contains("panicked") {
            problems.push("panicked".into());
        }
        if snapshot(&output) != before {
            problems.push("the output folder changed".into());
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{text}", bad.name, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// issue 22, unseen corpus: the cases of a corpus of malformed inputs written after the rules
// above landed, each a rule that a new key or file had missed.
fn corpus_cases() -> Vec<Bad> {
    vec![
        bad(
            "two wide columns of one year and version",
            BUDGET,
            |c| {
                let export = EXPORT
                    .replace(";beloep\n", ";2024;Budsjett 2024\n")
                    .replace(";3 484 248\n", ";3 484 248;3 484 248\n")
                    .replace(";-484 248\n", ";-484 248;-484 248\n")
                    .replace(";1 000 000\n", ";1 000 000;1 000 000\n")
                    .replace(";-4 000 000\n", ";-4 000 000;-4 000 000\n");
                c.write("export/export.csv", export.as_bytes());
                c.edit(
                    "export/profile.toml",
                    "kind = \"long\"\namount = \"beloep\"\nyear = 2024\nversion = \"budsjett\"",
                    "kind = \"wide\"\nauto = true",
                );
            },
            &[
                "export.csv:1:8",
                "the amount columns \"2024\" and \"Budsjett 2024\" both hold the year 2024",
            ],
        ),
        bad(
            "a filter keeps a value no row holds",
            BUDGET,
            |c| with_filter(c, "keep = [\"01\", \"2\"]"),
            &[
                "profile.toml: filter on the column \"tjomr\": `keep` lists \"2\", which no row \
                 of export.csv holds",
                "did you mean \"02\"?",
            ],
        ),
        bad(
            "a filter drops a value no row holds",
            BUDGET,
            |c| with_filter(c, "drop = [\"03\"]"),
            &["`drop` lists \"03\", which no row of export.csv holds, so it drops nothing"],
        ),
        bad(
            "a filter with both keep and drop",
            BUDGET,
            |c| with_filter(c, "keep = [\"01\"]\ndrop = [\"02\"]"),
            &["profile.toml:17: filter: found a filter on the column \"tjomr\" with both"],
        ),
        edit(
            "a plan of three years",
            "data/report.toml",
            "plan = [2023, 2026]",
            "plan = [2023, 2024, 2026]",
            &[
                "report.toml: line ",
                "period.plan: found 3 values, expected two: [first, last]",
            ],
        ),
        edit(
            "kostra positions of three numbers",
            "export/profile.toml",
            "kostra = [1, 3]",
            "kostra = [1, 3, 5]",
            &[
                "profile.toml:",
                "dimensions.art.kostra: found 3 values, expected two",
            ],
        ),
        bad(
            "a population of zero",
            BUDGET,
            |c| with_population(c, "year;value\n2024;0\n"),
            &[
                "folk.csv:2:2",
                "found the population 0, expected a whole number",
            ],
        ),
        bad(
            "a population with a decimal",
            BUDGET,
            |c| with_population(c, "year;value\n2024;12 000,5\n"),
            &[
                "folk.csv:2:2",
                "found the population 12 000,5, expected a whole number",
            ],
        ),
        bad(
            "a report.toml saved as Windows-1252",
            SAMPLE,
            |c| {
                let text = std::fs::read_to_string(c.path("data/report.toml")).unwrap();
                let at = text.find('ø').expect("the sample's report has an ø");
                let mut bytes = text.as_bytes()[..at].to_vec();
                bytes.push(0xF8);
                bytes.extend_from_slice(&text.as_bytes()[at + 'ø'.len_utf8()..]);
                c.write("data/report.toml", &bytes);
            },
            &[
                "report.toml: cannot read the report configuration: line ",
                "found the byte 0xF8, which is not UTF-8",
            ],
        ),
        bad(
            "a profile saved as UTF-16",
            BUDGET,
            |c| {
                let text = std::fs::read_to_string(c.path("export/profile.toml")).unwrap();
                let mut bytes = vec![0xFF, 0xFE];
                bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                c.write("export/profile.toml", &bytes);
            },
            &["profile.toml: cannot read the profile: found a byte-order mark of UTF-16"],
        ),
        edit(
            "[[budget]] for [budget]",
            "export/report.toml",
            "[budget]",
            "[[budget]]",
            &["found [[budget]], a list of tables, expected one table: [budget]"],
        ),
        bad(
            "[filter] for [[filter]]",
            BUDGET,
            |c| {
                let profile = std::fs::read_to_string(c.path("export/profile.toml")).unwrap();
                let filter = "\n[filter]\ncolumn = \"tjomr\"\nkeep = [\"01\"]\n";
                c.write(
                    "export/profile.toml",
                    format!("{profile}{filter}").as_bytes(),
                );
            },
            &["found the table [filter], expected a list: [[filter]]"],
        ),
        edit(
            "a number too large for decimals",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\ndecimals = 99999999999999999999",
            // The wording of serde's type errors is the catalogue's ([schema]); the row pins
            // that the key, its line and the number are named.
            &[
                "report.toml: line 17: budget.decimals:",
                "`99999999999999999999`",
            ],
        ),
        bad(
            "an export in UTF-16 without its byte-order mark",
            BUDGET,
            |c| {
                let bytes: Vec<u8> = EXPORT.encode_utf16().flat_map(u16::to_le_bytes).collect();
                c.write("export/export.csv", &bytes);
            },
            &[
                "export.csv:1: found ",
                "looks like UTF-16 (\"Unicode\") text saved without",
            ],
        ),
        bad(
            "an export in UTF-32",
            BUDGET,
            |c| {
                let mut bytes = vec![0xFF, 0xFE, 0, 0];
                bytes.extend(EXPORT.chars().flat_map(|ch| u32::from(ch).to_le_bytes()));
                c.write("export/export.csv", &bytes);
            },
            &["export.csv:1:1: found a byte-order mark of UTF-32"],
        ),
        bad(
            "a UTF-8 export the profile says is Windows-1252",
            BUDGET,
            |c| {
                c.edit("export/export.csv", "Pleie", "Pleie og omsorg på sykehjem");
                c.edit(
                    "export/profile.toml",
                    "unit = \"kr\"",
                    "unit = \"kr\"\nencoding = \"windows-1252\"",
                );
            },
            &[
                "export.csv:4:",
                "found 'å' saved as UTF-8",
                "would print as \"Ã¥\"",
            ],
        ),
        bad(
            "a sign column over income written negative already",
            BUDGET,
            |c| {
                let export = "ansvar;tjomr;tjeneste;art;iu;beloep\n\
                              100;01;2020;10100;Utgift;3 484 248\n\
                              100;01;2020;16000;Inntekt;-484 248\n";
                c.write("export/export.csv", export.as_bytes());
                c.write(
                    "export/profile.toml",
                    PROFILE
                        .replace(", text = \"tjomr_tekst\"", "")
                        .replace(", text = \"tjeneste_tekst\"", "")
                        .replace(
                            "[dimensions]",
                            "[sign]\nconvention = \"column\"\ncolumn = \"iu\"\n\
                             income = [\"Inntekt\"]\nexpense = [\"Utgift\"]\n\n[dimensions]",
                        )
                        .as_bytes(),
                );
            },
            &[
                "profile.toml: sign: every amount the sign column calls income is written \
               negative already",
            ],
        ),
        edit(
            "a bridge_start without change groups",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\nbridge_start = \"N00\"",
            &[
                "report.toml:",
                "budget.bridge_start: found \"N00\", but no profile names a \
               change_group column",
            ],
        ),
        bad(
            "a bridge_exclude no group has",
            BUDGET,
            |c| {
                c.edit(
                    "export/profile.toml",
                    "[dimensions]",
                    "[dimensions]\nchange_group = { code = \"ansvar\" }",
                );
                c.edit(
                    "export/report.toml",
                    "detail_by = \"service\"",
                    "detail_by = \"service\"\nbridge_start = \"100\"\nbridge_exclude = [\"23\"]",
                );
            },
            &[
                "budget.bridge_exclude: found \"23\", which is no group's code, so it leaves out \
               nothing; expected one of 01, 02",
            ],
        ),
        edit(
            "fill_down on the amount column",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\nfill_down = [\"beloep\"]",
            &[
                "profile.toml:",
                "source.fill_down: found the amount column \"beloep\"",
            ],
        ),
        edit(
            "fill_down on a column no dimension reads",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\nfill_down = [\"tjomr_tekstt\"]",
            &["source.fill_down: found \"tjomr_tekstt\", which is no dimension's column"],
        ),
        bad(
            "a damaged workbook",
            BUDGET,
            |c| {
                c.write("export/export.xlsx", b"PK\x03\x04 not a whole workbook");
                c.edit("export/profile.toml", "export.csv", "export.xlsx");
            },
            &[
                "export.xlsx: the workbook cannot be read: it is damaged, cut short or not a \
               workbook",
            ],
        ),
        bad(
            "a date cell as an amount",
            BUDGET,
            |c| {
                workbook_with(c, |sheet| {
                    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
                    sheet
                        .write_number_with_format(2, 6, 45_292.0, &date)
                        .unwrap();
                })
            },
            &[
                "export.xlsx:3:7",
                "it is a date cell: Excel shows a date there, not an amount",
            ],
        ),
        bad(
            "an amount merged over two rows",
            BUDGET,
            |c| {
                workbook_with(c, |sheet| {
                    let format = rust_xlsxwriter::Format::new();
                    sheet.merge_range(1, 6, 2, 6, "", &format).unwrap();
                    sheet.write_number(1, 6, 3_484_248).unwrap();
                })
            },
            &[
                "export.xlsx:3:7",
                "found an amount cell merged over several rows",
            ],
        ),
        bad(
            "a workbook saved under a CSV name",
            BUDGET,
            |c| {
                workbook_with(c, |_| {});
                std::fs::rename(c.path("export/export.xlsx"), c.path("export/export.csv")).unwrap();
                c.edit("export/profile.toml", "export.xlsx", "export.csv");
            },
            &["export.csv: found a workbook (an Excel or OpenDocument file), expected a CSV"],
        ),
        edit(
            "a delimiter the export does not use",
            "export/profile.toml",
            "unit = \"kr\"",
            "unit = \"kr\"\ndelimiter = \"tab\"",
            &[
                "export.csv:1:",
                "is the profile's `delimiter` the one the file uses?",
            ],
        ),
        bad(
            "a negative borrowing in the debt file",
            BUDGET,
            |c| {
                let text = format!(
                    "{DEBT_HEADER}2024;investering;1 000;-100;0;900;\n\
                     2024;videreutlan;0;0;0;;\n2024;andre;0;0;0;;\n"
                );
                with_debt(c, &text);
            },
            &[
                "gjeld.csv:2",
                "borrowing: found -100 kr, expected an amount of zero or more",
            ],
        ),
        edit(
            "the report named as the export",
            "export/profile.toml",
            "file = \"export.csv\"",
            "file = \"report.toml\"",
            &[
                "profile.toml:",
                "source.file: found report.toml, a configuration file (TOML)",
            ],
        ),
        bad(
            "an amount merged over two rows, each with a value",
            BUDGET,
            |c| {
                workbook_with(c, |sheet| {
                    let format = rust_xlsxwriter::Format::new();
                    sheet.merge_range(1, 6, 2, 6, "", &format).unwrap();
                    sheet.write_number(1, 6, 3_484_248).unwrap();
                    sheet.write_number(2, 6, -484_248).unwrap();
                })
            },
            &[
                "export.xlsx:3:7",
                "found an amount cell merged over several rows",
            ],
        ),
    ]
}

/// The export's profile with one `[[filter]]` on `tjomr` holding `lists`.
fn with_filter(c: &Case, lists: &str) {
    let profile = std::fs::read_to_string(c.path("export/profile.toml")).unwrap();
    let filter = format!("\n[[filter]]\ncolumn = \"tjomr\"\n{lists}\n");
    c.write(
        "export/profile.toml",
        format!("{profile}{filter}").as_bytes(),
    );
}

/// The export's report with the population file `folk.csv` holding `text`.
fn with_population(c: &Case, text: &str) {
    c.write("export/folk.csv", text.as_bytes());
    c.edit(
        "export/report.toml",
        "detail_by = \"service\"",
        "detail_by = \"service\"\npopulation = \"folk.csv\"",
    );
}

/// The export as a workbook `export.xlsx` (its cells as text, amounts as numbers), changed by
/// `change`, and the profile reading it.
fn workbook_with(c: &Case, change: impl Fn(&mut rust_xlsxwriter::Worksheet)) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, line) in EXPORT.lines().enumerate() {
        for (col, cell) in line.split(';').enumerate() {
            let amount = budsjett::amount::parse(cell)
                .ok()
                .filter(|_| row > 0 && col == 6);
            match amount {
                Some(amount) => sheet
                    .write_number(row as u32, col as u16, f64::try_from(amount).unwrap())
                    .map(|_| ()),
                None => sheet.write_string(row as u32, col as u16, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    change(sheet);
    workbook.save(c.path("export/export.xlsx")).unwrap();
    c.edit("export/profile.toml", "export.csv", "export.xlsx");
}

// issue 26, resolution: `[resolution]` (the proposed resolution at the end of the whole-budget
// report) refuses a misspelt key with a hint, every rate outside its range or with more than
// two decimals, a text that may not reach a page, and a resolution with no budget to build it
// from, for the accounts, or in fixed prices. All are report.toml's (exit 2).

/// The export report with `[resolution]` and these lines added after `detail_by` (line 16):
/// `[resolution]` on line 18, its first key on line 19.
fn resolution(name: &'static str, lines: &'static str, expected: &[&'static str]) -> Bad {
    let to: &'static str =
        Box::leak(format!("detail_by = \"service\"\n\n[resolution]\n{lines}").into_boxed_str());
    edit(
        name,
        "export/report.toml",
        "detail_by = \"service\"",
        to,
        expected,
    )
}

fn resolution_26_cases() -> Vec<Bad> {
    vec![
        resolution(
            "a misspelt resolution key",
            "tax_rat = 11",
            &[
                "report.toml: line 19: resolution",
                "(hint: did you mean `tax_rate`?)",
            ],
        ),
        resolution(
            "a tax rate above its range",
            "tax_rate = 110.95",
            &[
                "report.toml: line 19: resolution.tax_rate: found 110.95, expected a number from 0 to 25 with at most two decimals",
            ],
        ),
        resolution(
            "a fee change with three decimals",
            "fees = 3.125",
            &[
                "report.toml: line 19: resolution.fees: found 3.125, expected a number from -50 to 50 with at most two decimals",
            ],
        ),
        resolution(
            "a fee change as text",
            "fees = \"3,5\"",
            &[
                "report.toml: line 19: resolution.fees",
                "expected a number from -50 to 50 with at most two decimals",
            ],
        ),
        resolution(
            "a property tax on housing above 4 promille",
            "property_tax = { general = 7, housing = 5 }",
            &[
                "report.toml: line 19: resolution.property_tax.housing: found 5, expected a number from 1 to 4",
            ],
        ),
        resolution(
            "a property tax with no rate",
            "property_tax = {}",
            &["report.toml: line 19: resolution.property_tax: found no rate"],
        ),
        resolution(
            "a misspelt property tax rate",
            "property_tax = { genral = 7 }",
            &[
                "report.toml: line 19: resolution.property_tax",
                "(hint: did you mean `general`?)",
            ],
        ),
        resolution(
            "an emoji in a resolution point",
            "points = [\"Vedtatt 😀\"]",
            &["report.toml: line 19: resolution.points[0]", "U+1F600"],
        ),
        resolution(
            "an empty council",
            "council = \"\"",
            &["report.toml: line 19: resolution.council: found the empty text \"\""],
        ),
        edit(
            "a resolution with no budget",
            "data/report.toml",
            "[period]",
            "[resolution]\ntax_rate = 11\n\n[period]",
            &[
                "report.toml: line 16: resolution: found a proposed resolution, but the report has no [budget] section",
            ],
        ),
        bad(
            "a resolution of the accounts",
            BUDGET,
            |c| {
                c.edit(
                    "export/report.toml",
                    "version = \"budsjett\"",
                    "version = \"regnskap\"",
                );
                c.edit(
                    "export/report.toml",
                    "detail_by = \"service\"",
                    "detail_by = \"service\"\n[resolution]",
                );
            },
            &[
                "resolution: found a proposed resolution in a report of the accounts (version regnskap)",
            ],
        ),
        edit(
            "a resolution in fixed prices",
            "export/report.toml",
            "detail_by = \"service\"",
            "detail_by = \"service\"\ndeflator = \"deflator.csv\"\nbase_year = 2024\n[resolution]\nfees = 3",
            &["resolution: found a proposed resolution in a report in fixed prices"],
        ),
    ]
}

/// Issue 26's resolution cases: each is a report.toml that cannot be used (exit 2).
const RESOLUTION_26_EXIT_CODES: &[(&str, i32, i32)] = &[
    ("a misspelt resolution key", 2, 2),
    ("a tax rate above its range", 2, 2),
    ("a fee change with three decimals", 2, 2),
    ("a fee change as text", 2, 2),
    ("a property tax on housing above 4 promille", 2, 2),
    ("a property tax with no rate", 2, 2),
    ("a misspelt property tax rate", 2, 2),
    ("an emoji in a resolution point", 2, 2),
    ("an empty council", 2, 2),
    ("a resolution with no budget", 2, 2),
    ("a resolution of the accounts", 2, 2),
    ("a resolution in fixed prices", 2, 2),
];

// issue 26, history columns: `budget.history` names versions of earlier years, each complete
// or refused like a plan year; a misspelt key, a year out of range, a label not fit for a
// page, a side twice, a label twice, a plan year of the report's own version and history in
// fixed prices are refused in report.toml (exit 2); a version the exports lack, or lack in
// the side's year, when the exports are read (exit 1).
fn history_cases() -> Vec<Bad> {
    vec![
        budget_key(
            "a misspelt key in a history side",
            "history = [{ version = \"budsjett\", yaer = 2022 }]",
            &[
                "report.toml: line 17: budget.history",
                "yaer",
                "(hint: did you mean `year`?)",
            ],
        ),
        budget_key(
            "a history side without a year",
            "history = [{ version = \"regnskap\" }]",
            &["report.toml: line 17: budget.history", "year"],
        ),
        budget_key(
            "a history year out of range",
            "history = [{ version = \"regnskap\", year = 22 }]",
            &[
                "report.toml: line 17: budget.history",
                "found 22, expected a year from 1900 to 2200",
            ],
        ),
        budget_key(
            "an empty history label",
            "history = [{ version = \"regnskap\", year = 2022, label = \"\" }]",
            &[
                "report.toml: line 17: budget.history",
                "found the empty text \"\"",
            ],
        ),
        budget_key(
            "an emoji in a history label",
            "history = [{ version = \"regnskap\", year = 2022, label = \"Regnskap 😀\" }]",
            &["report.toml: line 17: budget.history", "found U+1F600"],
        ),
        budget_key(
            "a history side twice",
            "history = [{ version = \"regnskap\", year = 2022 }, { version = \"regnskap\", year = 2022, label = \"R\" }]",
            &["report.toml: line 17: budget.history: found the version \"regnskap\" in 2022 twice"],
        ),
        budget_key(
            "two history sides with one label",
            "history = [{ version = \"regnskap\", year = 2022, label = \"R\" }, { version = \"vedtatt\", year = 2023, label = \"R\" }]",
            &["report.toml: line 17: budget.history: found the label \"R\" on two sides"],
        ),
        budget_key(
            "a history label that is a plan year's head",
            "history = [{ version = \"vedtatt\", year = 2023, label = \"2024\" }]",
            &[
                "report.toml: line 17: budget.history: found the label \"2024\", the head of a plan year's column",
            ],
        ),
        budget_key(
            "a history side that is a plan year",
            "history = [{ version = \"budsjett\", year = 2024 }]",
            &[
                "report.toml: line 17: budget.history: found the version \"budsjett\" in 2024, a \
                 plan year of the report's own version",
            ],
        ),
        budget_key(
            "history columns in fixed prices",
            "deflator = \"deflator.csv\"\nbase_year = 2024\nhistory = [{ version = \"regnskap\", year = 2022 }]",
            &["budget.history: found history columns in a report in fixed prices"],
        ),
        budget_key(
            "a history version the exports lack",
            "history = [{ version = \"regnskap\", year = 2022 }]",
            &["budget.history: found \"regnskap\", but the exports hold only budsjett"],
        ),
        budget_key(
            "a history side without lines in its year",
            "history = [{ version = \"budsjett\", year = 2023 }]",
            &[
                "budget.history (drift): found no lines of version \"budsjett\" in 2023 among \
                 the sources of drift, which hold budsjett 2024",
            ],
        ),
    ]
}

/// Issue 26's history cases refused in report.toml: exit 2 from check and render.
const HISTORY_EXIT_CODES: &[(&str, i32, i32)] = &[
    ("a misspelt key in a history side", 2, 2),
    ("a history side without a year", 2, 2),
    ("a history year out of range", 2, 2),
    ("an empty history label", 2, 2),
    ("an emoji in a history label", 2, 2),
    ("a history side twice", 2, 2),
    ("two history sides with one label", 2, 2),
    ("a history label that is a plan year's head", 2, 2),
    ("a history side that is a plan year", 2, 2),
    ("history columns in fixed prices", 2, 2),
];

// issue 26, history by funksjon: a history side with `groups = "by_service"` (a KOSTRA file,
// which has no tjenesteområde) places each line in the group its funksjon has in the report's
// own lines; a funksjon in two groups, or in none, is refused at the side's first line of it
// (exit 1), and an unknown value of `groups` in report.toml (exit 2).

/// The budget report with the export's tjenester as three-digit funksjoner (2020 → 202 in
/// 01 Oppvekst, 2530 → 253 in 02 Helse; `moved` puts the second Skole row's in 02 too),
/// a KOSTRA accounts file of 2023 (`records`, drift) beside it, and that year's accounts as
/// a history side placed by funksjon.
fn by_service(
    name: &'static str,
    moved: bool,
    records: [&'static str; 2],
    expected: &[&'static str],
) -> Bad {
    bad(
        name,
        BUDGET,
        move |c| {
            let second = if moved {
                "253;Pleie;16000"
            } else {
                "202;Skole;16000"
            };
            for (from, to) in [
                ("2020;Skole;10100", "202;Skole;10100"),
                ("2020;Skole;16000", second),
                ("2530;Pleie;10100", "253;Pleie;10100"),
                ("2530;Pleie;18100", "253;Pleie;18100"),
            ] {
                c.edit("export/export.csv", from, to);
            }
            let file: String = records
                .iter()
                .map(|r| kostra_record("0A2023 500100", "1", r) + "\n")
                .collect();
            c.write("export/kostra.dat", file.as_bytes());
            c.edit(
                "export/report.toml",
                "sources = [\"profile.toml\"]",
                "sources = [\"profile.toml\", \"kostra.dat\"]",
            );
            c.edit(
                "export/report.toml",
                "detail_by = \"service\"",
                "detail_by = \"service\"\nhistory = [{ version = \"regnskap\", year = 2023, label = \"Regnskap 2023\", groups = \"by_service\" }]",
            );
        },
        expected,
    )
}

fn history_by_service_cases() -> Vec<Bad> {
    vec![
        by_service(
            "a history funksjon in no group of the report's own lines",
            false,
            ["253 010     1234", "213 010      500"],
            &[
                "kostra.dat:2: budget.history: the funksjon 213 of the side \"Regnskap 2023\" lies \
                 in no tjenesteområde in the report's own lines",
            ],
        ),
        by_service(
            "a history funksjon in two groups of the report's own lines",
            true,
            ["202 010     1234", "253 010      500"],
            &[
                "kostra.dat:2: budget.history: the funksjon 253 of the side \"Regnskap 2023\" lies \
                 in more than one tjenesteområde in the report's own lines (01 Oppvekst, 02 Helse)",
            ],
        ),
        budget_key(
            "an unknown way of grouping a history side",
            "history = [{ version = \"regnskap\", year = 2023, groups = \"by_funksjon\" }]",
            &[
                "report.toml: line 17: budget.history",
                "by_funksjon",
                "by_service",
            ],
        ),
    ]
}

/// Issue 26's history-by-funksjon case refused in report.toml: exit 2 from check and render.
const HISTORY_BY_SERVICE_EXIT_CODES: &[(&str, i32, i32)] =
    &[("an unknown way of grouping a history side", 2, 2)];
