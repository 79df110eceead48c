//! The message catalogues (`src/messages/{nb,nn,en}.toml`), read as files and against the
//! source: every key is in every language with the same placeholders; every key the code
//! words a message with exists, with exactly the placeholders the call fills, and no key is
//! left unused; and no message is worded in Rust (a string literal of English words outside
//! the catalogues is a message that escaped them).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use budsjett::messages::{self, Language};

fn catalogue(language: Language) -> BTreeMap<String, String> {
    let file = Path::new(common::REPO)
        .join("src/messages")
        .join(format!("{}.toml", language.code()));
    let text = std::fs::read_to_string(&file).unwrap();
    messages::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    budsjett::placeholders::names(text)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The keys a call names: a count's `key.one`/`key.other` are the key `key`.
fn message_keys(catalogue: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, text) in catalogue {
        let key = key
            .strip_suffix(".one")
            .or_else(|| key.strip_suffix(".other"))
            .unwrap_or(key);
        keys.entry(key.to_string())
            .or_default()
            .extend(placeholders(text));
    }
    keys
}

#[test]
fn every_key_is_in_every_language_with_the_same_placeholders() {
    let english = catalogue(Language::English);
    assert!(english.len() > 10, "the English catalogue is nearly empty");
    for language in [Language::Bokmal, Language::Nynorsk] {
        let other = catalogue(language);
        let missing: Vec<&String> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<&String> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}.toml: missing {missing:?}, not in en.toml {extra:?}",
            language.code()
        );
        for (key, text) in &english {
            assert_eq!(
                placeholders(text),
                placeholders(&other[key]),
                "{}.toml: {key} has other placeholders than en.toml",
                language.code()
            );
            assert!(
                !other[key].trim().is_empty(),
                "{}.toml: {key} is empty",
                language.code()
            );
        }
    }
}

/// A source file's code: comments blanked out (string literals kept), up to its unit tests.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("\n#[cfg(test)]") {
        Some(at) => &text[..at],
        None => &text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A char literal ('"', '\'') or a lifetime.
                out.push(c);
                let rest: String = chars.clone().take(3).collect();
                if let Some(escaped) = rest.strip_prefix('\\') {
                    let close = escaped.find('\'').map_or(0, |i| i + 2);
                    for _ in 0..close {
                        out.extend(chars.next());
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    out.extend(chars.next());
                    out.extend(chars.next());
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The argument list of each `msg!(…)` in a file's code: the text between its parentheses.
fn msg_calls(code: &str) -> Vec<String> {
    let mut calls = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("msg!(") {
        let body = &rest[at + "msg!(".len()..];
        let (mut depth, mut in_string, mut escaped, mut end) = (1, false, false, body.len());
        for (i, c) in body.char_indices() {
            match (in_string, c) {
                (true, '\\') if !escaped => {
                    escaped = true;
                    continue;
                }
                (true, '"') if !escaped => in_string = false,
                (false, '"') => in_string = true,
                (false, '(' | '[' | '{') => depth += 1,
                (false, ')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
            escaped = false;
        }
        calls.push(body[..end].to_string());
        rest = &body[end..];
    }
    calls
}

/// A call's key and the names of the values it fills.
fn key_and_names(call: &str) -> (String, BTreeSet<String>) {
    let mut parts = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0, false, false, 0);
    for (i, c) in call.char_indices() {
        match (in_string, c) {
            (true, '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (true, '"') if !escaped => in_string = false,
            (false, '"') => in_string = true,
            (false, '(' | '[' | '{' | '<') => depth += 1,
            (false, ')' | ']' | '}' | '>') => depth -= 1,
            (false, ',') if depth == 0 => {
                parts.push(call[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
        escaped = false;
    }
    parts.push(call[start..].trim().to_string());
    parts.retain(|p| !p.is_empty());
    let key = parts[0].trim_matches('"').to_string();
    let names = parts[1..]
        .iter()
        .map(|p| p.split('=').next().unwrap().trim().to_string())
        .collect();
    (key, names)
}

#[test]
fn every_key_the_code_uses_exists_with_the_placeholders_it_fills_and_none_is_unused() {
    let known = message_keys(&catalogue(Language::English));
    let mut used = BTreeSet::new();
    let mut wrong = Vec::new();
    for file in common::rust_sources() {
        let code = code_of(&file);
        for call in msg_calls(&code) {
            if !call.trim_start().starts_with('"') {
                continue; // the macro's own definition
            }
            let (key, names) = key_and_names(&call);
            match known.get(&key) {
                None => wrong.push(format!("{}: {key} is in no catalogue", file.display())),
                Some(wanted) if *wanted != names => wrong.push(format!(
                    "{}: {key} fills {names:?}, the catalogue has {wanted:?}",
                    file.display()
                )),
                Some(_) => {}
            }
            used.insert(key);
        }
        // Keys named as a literal (chosen in a match, then worded by messages::text).
        for key in known.keys() {
            if code.contains(&format!("\"{key}\"")) {
                used.insert(key.clone());
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The help of each command and argument (`cli.help.*`) is looked up by the command's and
    // the argument's name; main's own test checks those keys against the command line, both
    // ways.
    // The local page's words (`serve.page.*`) are used by its templates, `templates/web/`;
    // tests/web_words.rs checks those keys against the templates, both ways.
    let unused: Vec<&String> = known
        .keys()
        .filter(|k| {
            !used.contains(*k) && !k.starts_with("cli.help.") && !k.starts_with("serve.page.")
        })
        .collect();
    assert!(unused.is_empty(), "keys no code uses: {unused:?}");
    assert!(used.len() > 10, "the scan found almost no msg! calls");
}

/// Words that only a sentence has: a literal with one of them and another word is a message.
const SENTENCE_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "is", "are", "in", "on", "for", "not", "no", "cannot",
    "expected", "found", "with", "from", "by", "or", "and", "this", "that", "be", "has", "have",
    "was", "must", "should", "at", "as", "it", "its", "than", "only", "each", "every", "none",
    "missing", "unknown", "invalid", "file", "line", "column", "wrote", "did", "you", "mean",
];

/// A line may say why its literal is no message: `// not a message: <why>` at its end, or on
/// the line above (Typst or TOML that the program writes, a key name, a test of a format).
const EXEMPT: &str = "not a message:";

#[test]
fn no_message_is_worded_in_rust() {
    let mut worded = Vec::new();
    for file in common::rust_sources() {
        let relative = file
            .strip_prefix(common::REPO)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if relative.starts_with("src/messages") {
            continue;
        }
        let raw = std::fs::read_to_string(&file).unwrap();
        let raw_lines: Vec<&str> = raw.lines().collect();
        let code = code_of(&file);
        for (number, line) in code.lines().enumerate() {
            let exempt = raw_lines.get(number).is_some_and(|l| l.contains(EXEMPT))
                || (number > 0 && raw_lines[number - 1].contains(EXEMPT));
            if exempt || line.trim_start().starts_with("#[") {
                continue;
            }
            for literal in literals(line) {
                // One token without a space (`amount.empty_cell`, `art_from`, `{file}:{line}`)
                // is a key, a name or a pattern: a sentence has spaces.
                if !literal.contains(char::is_whitespace) {
                    continue;
                }
                let words: Vec<String> = literal
                    .split(|c: char| !c.is_alphabetic() && c != '\'')
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                if words.len() >= 2 && words.iter().any(|w| SENTENCE_WORDS.contains(&w.as_str())) {
                    worded.push(format!("{relative}:{}: {literal:?}", number + 1));
                }
            }
        }
    }
    assert!(
        worded.is_empty(),
        "{} messages are worded in Rust; put each in src/messages/*.toml and use msg!, or mark \
         a literal that is no message with `// {EXEMPT} <why>`:\n{}",
        worded.len(),
        worded.join("\n")
    );
}

/// The string literals on one line of code (a literal continued on the next line is cut at
/// the line's end, which is enough to see its words).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut literal = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => literal.push(c),
                }
            }
            out.push(literal);
        }
    }
    out
}

#[test]
fn the_locale_chooses_the_language_and_lang_overrides_it() {
    // A year out of range: a command-line message every language words.
    let run = |lang: Option<&str>, locale: &str| {
        let mut command = common::budsjett();
        command.env("LANG", locale);
        if let Some(lang) = lang {
            command.args(["--lang", lang]);
        }
        let output = command
            .args(["profile", "nothing.csv", "--year", "1700"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        common::stderr(&output)
    };
    let bokmal = run(None, "nb_NO.UTF-8");
    let nynorsk = run(None, "nn_NO.UTF-8");
    let english = run(None, "C");
    assert!(
        bokmal.contains("fant \"1700\", forventet et årstall fra 1900 til 2200"),
        "{bokmal}"
    );
    assert!(
        nynorsk.contains("fann \"1700\", venta eit årstal frå 1900 til 2200"),
        "{nynorsk}"
    );
    assert!(
        english.contains("found \"1700\", expected a year from 1900 to 2200"),
        "{english}"
    );
    assert_eq!(run(Some("nn"), "nb_NO.UTF-8"), nynorsk);
    assert_eq!(run(Some("en"), "nn_NO.UTF-8"), english);
    assert_eq!(run(Some("nb"), "C"), bokmal);
}

// Issue 25, messages in Norwegian (M2): the report configuration, the mapping profile, the
// reading of an export and the guessed profile speak the user's language.

/// Runs the binary with `args` in `dir` under the locale `locale`; its stdout and stderr.
fn run_in_locale(locale: &str, args: &[&str], dir: &Path) -> (bool, String) {
    let output = common::budsjett()
        .env("LANG", locale)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text = format!("{}{}", common::stdout(&output), common::stderr(&output));
    (output.status.success(), text)
}

/// The three locales and what a message says in each: bokmål, nynorsk, English.
const LOCALES: [&str; 3] = ["nb_NO.UTF-8", "nn_NO.UTF-8", "C"];

/// Runs the binary with `args` in `dir` under each of [`LOCALES`], checks that each run is
/// refused with its language's `expected` words, and gives the texts for more checks.
fn refused_in_each_language(args: &[&str], dir: &Path, expected: [&str; 3]) -> Vec<String> {
    LOCALES
        .iter()
        .zip(expected)
        .map(|(locale, expected)| {
            let (ok, text) = run_in_locale(locale, args, dir);
            assert!(!ok && text.contains(expected), "{locale}: {text}");
            text
        })
        .collect()
}

#[test]
fn check_words_a_report_configurations_mistake_in_the_users_language() {
    let scratch = common::Scratch::new();
    scratch.edit("report.toml", "plan = [2023, 2026]", "plan = [2026, 2023]");
    let config = scratch.data("report.toml");
    let expected = [
        "linje 18: period.plan: fant [2026, 2023], forventet [første år, siste år], for eksempel [2023, 2026]",
        "linje 18: period.plan: fann [2026, 2023], venta [første år, siste år], til dømes [2023, 2026]",
        "line 18: period.plan: found [2026, 2023], expected [first year, last year] such as [2023, 2026]",
    ];
    refused_in_each_language(
        &["check", "--config", config.to_str().unwrap()],
        scratch.dir.path(),
        expected,
    );
}

#[test]
fn check_words_a_profiles_mistake_in_the_users_language() {
    let fixture = common::Fixture::new(
        "export.csv",
        b"aar;art;belop\n2024;10100;100\n",
        "[source]\nfile = \"export.csv\"\nunit = \"tusen\"\n\n[layout]\nkind = \"long\"\n\
         amount = \"belop\"\nyear = \"aar\"\n\n[dimensions]\nart = { code = \"art\" }\n",
    );
    let expected = [
        "source.unit: fant \"tusen\", forventet \"kr\" eller \"1000 kr\"",
        "source.unit: fann \"tusen\", venta \"kr\" eller \"1000 kr\"",
        "source.unit: found \"tusen\", expected \"kr\" or \"1000 kr\"",
    ];
    let profile = fixture.profile_path();
    let texts = refused_in_each_language(
        &["check", "--profile", profile.to_str().unwrap()],
        fixture.dir.path(),
        expected,
    );
    for (locale, text) in LOCALES.iter().zip(texts) {
        assert!(
            text.contains("profile.toml:3"),
            "{locale}: the key's line: {text}"
        );
    }
}

#[test]
fn profile_words_its_refusals_and_the_guessed_profiles_comments_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    // A first row of data, not a header: refused, in each language.
    std::fs::write(
        dir.path().join("headless.csv"),
        "2024;10100;100\n2024;10200;50\n",
    )
    .unwrap();
    let refused = [
        "første rad ser ut som data, ikke som overskrifter: kolonne 2 er \"10100\", et tall",
        "første rad ser ut som data, ikkje som overskrifter: kolonne 2 er \"10100\", eit tal",
        "the first row looks like data, not a header: column 2 is \"10100\", a number",
    ];
    for (locale, expected) in LOCALES.iter().zip(refused) {
        let (ok, text) = run_in_locale(locale, &["profile", "headless.csv"], dir.path());
        assert!(!ok && text.contains(expected), "{locale}: {text}");
    }
    // A good export: the profile's keys are the same in every language, its comments not.
    std::fs::write(
        dir.path().join("budsjett-2024.csv"),
        "art;artsnavn;belop\n10100;Lønn;1 000,50\n16000;Salg;-1 000,50\n",
    )
    .unwrap();
    let comments = [
        (
            "nb",
            "# Profil gjettet av `budsjett profile` fra budsjett-2024.csv (2 rader, 3 kolonner).",
            "year = 2024   # usikkert: ingen årskolonne; året er hentet fra filnavnet",
        ),
        (
            "nn",
            "# Profil gjetta av `budsjett profile` frå budsjett-2024.csv (2 rader, 3 kolonnar).",
            "year = 2024   # usikkert: ingen årskolonne; året er henta frå filnamnet",
        ),
        (
            "en",
            "# Profile guessed by `budsjett profile` from budsjett-2024.csv (2 rows, 3 columns).",
            "year = 2024   # unsure: no year column; the year is taken from the file name",
        ),
    ];
    for (locale, (code, heading, year)) in LOCALES.iter().zip(comments) {
        let output = format!("{code}.toml");
        let (ok, text) = run_in_locale(
            locale,
            &["profile", "budsjett-2024.csv", "--output", &output],
            dir.path(),
        );
        assert!(ok, "{locale}: {text}");
        let profile = std::fs::read_to_string(dir.path().join(&output)).unwrap();
        assert!(profile.starts_with(heading), "{locale}: {profile}");
        assert!(profile.contains(year), "{locale}: {profile}");
        assert!(
            profile.contains("amount = \"belop\""),
            "{locale}: {profile}"
        );
    }
}

#[test]
fn check_words_serdes_misspelt_key_in_the_users_language() {
    let scratch = common::Scratch::new();
    scratch.edit("report.toml", "plan = [2023, 2026]", "plna = [2023, 2026]");
    let config = scratch.data("report.toml");
    let expected = [
        "period.plna: ukjent nøkkel `plna`, forventet `plan` eller `horizon`",
        "period.plna: ukjend nøkkel `plna`, venta `plan` eller `horizon`",
        "period.plna: unknown field `plna`, expected `plan` or `horizon`",
    ];
    let texts = refused_in_each_language(
        &["check", "--config", config.to_str().unwrap()],
        scratch.dir.path(),
        expected,
    );
    for (locale, text) in LOCALES.iter().zip(texts) {
        // The hint that follows serde's words is kept (worded by its own module).
        assert!(text.contains("`plan`?)"), "{locale}: {text}");
    }
}

#[test]
fn check_words_serdes_wrong_type_in_the_users_language() {
    let scratch = common::Scratch::new();
    scratch.edit("report.toml", "plan = [2023, 2026]", "plan = 2023");
    let config = scratch.data("report.toml");
    // `plan` is read as a list and then held to two values (schema::pair, issue 22), so
    // serde expects a list.
    let expected = [
        "linje 18: period.plan: feil type: heltallet `2023`, forventet en liste",
        "linje 18: period.plan: feil type: heiltalet `2023`, venta ei liste",
        "line 18: period.plan: invalid type: integer `2023`, expected a sequence",
    ];
    refused_in_each_language(
        &["check", "--config", config.to_str().unwrap()],
        scratch.dir.path(),
        expected,
    );
}

// M3 (issue 25): the messages of loading, amounts, texts, the model, validation, the budget
// and its aggregates, read back from check, render and explain in each language. The expected
// texts are written here by hand.

/// A budget report over one export: `export.csv` (two areas, balanced), its profile and
/// `report.toml`, in a temporary folder.
fn budget_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let export = "ansvar;tjomr;tjomr_tekst;tjeneste;tjeneste_tekst;art;beloep\n\
        100;01;Oppvekst;2020;Skole;10100;3 484 248\n\
        100;01;Oppvekst;2020;Skole;16000;-3 484 248\n";
    let profile = "[source]\nfile = \"export.csv\"\nunit = \"kr\"\n\n\
        [layout]\nkind = \"long\"\namount = \"beloep\"\nyear = 2024\nversion = \"budsjett\"\n\n\
        [dimensions]\nresponsibility = { label = \"Ansvar\", code = \"ansvar\" }\n\
        area = { label = \"Tjenesteområde\", code = \"tjomr\", text = \"tjomr_tekst\" }\n\
        service = { label = \"Tjeneste\", code = \"tjeneste\", text = \"tjeneste_tekst\" }\n\
        art = { label = \"Art\", code = \"art\", kostra = [1, 3] }\n";
    let report = "[report]\nname = \"eksport\"\nmunicipality = \"Prøve kommune\"\n\
        document = \"Budsjett 2024\"\ntitle = \"Driftsbudsjett\"\ndate = 2024-01-01\n\
        template = \"budsjett.typ.j2\"\n\n[period]\nplan = [2024, 2024]\n\n\
        [budget]\nsources = [\"profile.toml\"]\nversion = \"budsjett\"\n\
        group_by = \"area\"\ndetail_by = \"service\"\n";
    for (name, text) in [
        ("export.csv", export),
        ("profile.toml", profile),
        ("report.toml", report),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Replaces `from` by `to` in a file of `dir`, asserting that `from` was there.
fn replace_in(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Runs `command` on the report `config` with the locale `locale`: its exit code and what it
/// printed (standard output and error).
fn run_with_locale(command: &str, config: &Path, locale: &str) -> (Option<i32>, String) {
    let output_dir = config.parent().unwrap().join("output");
    let mut run = common::budsjett();
    run.env("LANG", locale)
        .arg(command)
        .arg("--config")
        .arg(config)
        .arg("--templates")
        .arg(Path::new(common::REPO).join("templates"));
    match command {
        "render" => {
            run.arg("--output").arg(&output_dir);
        }
        "explain" => {
            run.args(["--group", "01"]);
        }
        _ => {}
    }
    let output = run.output().unwrap();
    let text = format!("{}{}", common::stdout(&output), common::stderr(&output));
    (output.status.code(), text)
}

/// Runs `command` in bokmål, nynorsk and English and checks that each run fails with exit
/// code 1 and prints every expected text of its language.
fn says_in_each_language(command: &str, config: &Path, expected: [(&str, &[&str]); 3]) {
    for (locale, texts) in expected {
        let (code, text) = run_with_locale(command, config, locale);
        assert_eq!(code, Some(1), "{command} with LANG={locale}:\n{text}");
        for wanted in texts {
            assert!(
                text.contains(wanted),
                "{command} with LANG={locale} lacks {wanted:?}:\n{text}"
            );
        }
    }
}

#[test]
fn check_words_a_bad_cell_of_the_sample_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(common::REPO).join("data"), dir.path());
    replace_in(
        dir.path(),
        "amounts.csv",
        "period_total;drift;Ikke oppgitt",
        "per_month;drift;Ikke oppgitt",
    );
    says_in_each_language(
        "check",
        &dir.path().join("report.toml"),
        [
            (
                "nb_NO.UTF-8",
                &[
                    "amounts.csv:2:4",
                    "fant \"per_month\", forventet period_total (en sum for hele perioden) \
                     eller per_year (beløpet i hvert år)",
                ],
            ),
            (
                "nn_NO.UTF-8",
                &[
                    "amounts.csv:2:4",
                    "fann \"per_month\", venta period_total (ein sum for heile perioden) \
                     eller per_year (beløpet i kvart år)",
                ],
            ),
            (
                "C",
                &[
                    "amounts.csv:2:4",
                    "found \"per_month\", expected period_total (a sum for the whole period) \
                     or per_year (the amount in each year)",
                ],
            ),
        ],
    );
}

#[test]
fn check_words_a_phase_that_ends_before_it_starts_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(common::REPO).join("data"), dir.path());
    replace_in(
        dir.path(),
        "phases.csv",
        "0-24;Pilot;2021;2023",
        "0-24;Pilot;2023;2021",
    );
    says_in_each_language(
        "check",
        &dir.path().join("report.toml"),
        [
            (
                "nb_NO.UTF-8",
                &["fant 2021, som er før first_year 2023, forventet et senere år"],
            ),
            (
                "nn_NO.UTF-8",
                &["fann 2021, som er før first_year 2023, venta eit seinare år"],
            ),
            (
                "C",
                &["found 2021 before first_year 2023, expected a later year"],
            ),
        ],
    );
}

#[test]
fn render_words_an_empty_export_in_the_users_language() {
    let dir = budget_folder();
    std::fs::write(dir.path().join("export.csv"), "").unwrap();
    says_in_each_language(
        "render",
        &dir.path().join("report.toml"),
        [
            (
                "nb_NO.UTF-8",
                &[
                    "export.csv: fant en tom fil, forventet en overskriftslinje og rader med \
                   budsjettlinjer (ble eksporten lagret fullstendig?)",
                ],
            ),
            (
                "nn_NO.UTF-8",
                &[
                    "export.csv: fann ei tom fil, venta ei overskriftslinje og rader med \
                   budsjettlinjer (vart eksporten lagra fullstendig?)",
                ],
            ),
            (
                "C",
                &[
                    "export.csv: found an empty file, expected a header line and rows of budget \
                   lines (was the export saved completely?)",
                ],
            ),
        ],
    );
    assert!(
        !dir.path().join("output").exists()
            || std::fs::read_dir(dir.path().join("output"))
                .unwrap()
                .next()
                .is_none(),
        "a refused render wrote a file"
    );
}

#[test]
fn explain_words_an_ambiguous_amount_with_its_reason_and_hint_in_the_users_language() {
    let dir = budget_folder();
    replace_in(dir.path(), "export.csv", ";3 484 248\n", ";1,234\n");
    says_in_each_language(
        "explain",
        &dir.path().join("report.toml"),
        [
            (
                "nb_NO.UTF-8",
                &[
                    "export.csv:2:7",
                    "fant \"1,234\", forventet et beløp som 20 000 000 eller -1 362 250,50 \
                   (tegnet kan være et desimaltegn eller et tusenskille; sett decimal_mark i \
                   profilen) (tips: legg til decimal_mark = \",\" eller \".\" under [source])",
                ],
            ),
            (
                "nn_NO.UTF-8",
                &[
                    "export.csv:2:7",
                    "fann \"1,234\", venta eit beløp som 20 000 000 eller -1 362 250,50 \
                   (teiknet kan vere eit desimalteikn eller eit tusenskilje; set decimal_mark i \
                   profilen) (tips: legg til decimal_mark = \",\" eller \".\" under [source])",
                ],
            ),
            (
                "C",
                &[
                    "export.csv:2:7",
                    "found \"1,234\", expected an amount such as 20 000 000 or -1 362 250,50 \
                   (the mark could be a decimal mark or a thousands separator; set \
                   decimal_mark in the profile) (hint: add decimal_mark = \",\" or \".\" \
                   under [source])",
                ],
            ),
        ],
    );
}

#[test]
fn check_words_a_version_the_exports_lack_in_the_users_language() {
    let dir = budget_folder();
    replace_in(
        dir.path(),
        "report.toml",
        "version = \"budsjett\"",
        "version = \"vedtatt\"",
    );
    says_in_each_language(
        "check",
        &dir.path().join("report.toml"),
        [
            (
                "nb_NO.UTF-8",
                &["budget.version: fant \"vedtatt\", men eksportene har bare budsjett"],
            ),
            (
                "nn_NO.UTF-8",
                &["budget.version: fann \"vedtatt\", men eksportane har berre budsjett"],
            ),
            (
                "C",
                &["budget.version: found \"vedtatt\", but the exports hold only budsjett"],
            ),
        ],
    );
}

// M1 (issue 25, messages in Norwegian): each command whose messages moved into the
// catalogues, run in bokmål, nynorsk and English, with the expected words written by hand.

/// Runs the program with `locale` as `LANG` in the folder `dir`.
fn run_in(locale: &str, dir: &Path, args: &[&str]) -> std::process::Output {
    common::budsjett()
        .env("LANG", locale)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_and_check_speak_the_users_language() {
    let scratch = tempfile::tempdir().unwrap();
    let expected = [
        [
            "skrev ",
            "rapporten bruker de innebygde malene",
            "rader lest: 10 (UTF-8, skilletegn ';', oppsett long); budsjettlinjer: 10",
            "år og versjoner: 2025 budsjett, 2026 budsjett",
            "Fant ingen problemer.",
            "neste: cd ",
        ],
        [
            "skreiv ",
            "rapporten brukar dei innebygde malane",
            "rader lesne: 10 (UTF-8, skiljeteikn ';', oppsett long); budsjettlinjer: 10",
            "år og versjonar: 2025 budsjett, 2026 budsjett",
            "Fann ingen problem.",
            "neste: cd ",
        ],
        [
            "wrote ",
            "the report uses the built-in templates",
            "rows read: 10 (UTF-8, delimiter ';', long layout); budget lines: 10",
            "years and versions: 2025 budsjett, 2026 budsjett",
            "No problems found.",
            "next: cd ",
        ],
    ];
    for (locale, words) in LOCALES.iter().zip(expected) {
        let dir = scratch.path().join(locale);
        let output = run_in(locale, scratch.path(), &["init", &dir.to_string_lossy()]);
        let stdout = common::stdout(&output);
        assert!(output.status.success(), "{locale}: {stdout}");
        for line in words {
            assert!(stdout.contains(line), "{locale}: no {line:?} in\n{stdout}");
        }
        // A second init refuses to overwrite, worded in the same language.
        let again = run_in(locale, scratch.path(), &["init", &dir.to_string_lossy()]);
        assert_eq!(again.status.code(), Some(2), "{locale}");
        let refusal = [
            "fant en rapportkonfigurasjon som finnes fra før, forventet ingen: init overskriver \
             aldri en fil; velg en annen mappe",
            "fann ein rapportkonfigurasjon som finst frå før, venta ingen: init skriv aldri over \
             ei fil; vel ei anna mappe",
            "found an existing report configuration, expected none: init never overwrites a \
             file; choose another folder",
        ][LOCALES.iter().position(|l| l == locale).unwrap()];
        assert!(
            common::stderr(&again).contains(refusal),
            "{locale}: {}",
            common::stderr(&again)
        );
    }
}

#[test]
fn render_watch_explain_and_templates_refuse_in_the_users_language() {
    let scratch = tempfile::tempdir().unwrap();
    let here = scratch.path();
    let init = run_in("C", here, &["init", "report"]);
    assert!(init.status.success(), "{}", common::stderr(&init));
    let report = here.join("report");
    // (arguments, exit code, [bokmål, nynorsk, English])
    let cases: [(&[&str], i32, [&str; 3]); 6] = [
        (
            &["render", "--each", "area", "--format", "png"],
            2,
            [
                "feil: --each area: skriver én PDF per sektor; --format png og --keep-source \
                 gjelder én rapport",
                "feil: --each area: skriv éin PDF per sektor; --format png og --keep-source \
                 gjeld éin rapport",
                "error: --each area: writes one PDF per sector; --format png and --keep-source \
                 are for one report",
            ],
        ),
        (
            &["watch", "--each", "area"],
            2,
            [
                "feil: watch lager én rapport; --each hører til render",
                "feil: watch lagar éin rapport; --each høyrer til render",
                "error: watch renders one report; --each is for render",
            ],
        ),
        (
            &["explain", "--group", "99"],
            2,
            [
                "explain: fant ingen gruppe \"99\" i rapportens deler",
                "explain: fann inga gruppe \"99\" i delane av rapporten",
                "explain: found no group \"99\" in the report's parts",
            ],
        ),
        (
            &["templates", "malar", "nope.typ"],
            2,
            [
                "nope.typ: fant ingen slik innebygd fil, forventet en av ",
                "nope.typ: fann inga slik innebygd fil, venta ei av ",
                "nope.typ: found no such built-in file, expected one of ",
            ],
        ),
        (
            &[
                "profile",
                "data/budsjett.csv",
                "--output",
                "data/report.toml",
            ],
            2,
            [
                "data/report.toml: fant en fil som finnes fra før, forventet ingen: en profil \
                 blir aldri overskrevet",
                "data/report.toml: fann ei fil som finst frå før, venta inga: ein profil blir \
                 aldri overskriven",
                "data/report.toml: found an existing file, expected none: a profile is never \
                 overwritten",
            ],
        ),
        (
            &["render", "--templates", "finst-ikkje"],
            2,
            [
                "--templates finst-ikkje: fant ingen slik mappe, forventet en mappe med maler",
                "--templates finst-ikkje: fann inga slik mappe, venta ei mappe med malar",
                "--templates finst-ikkje: found no such folder, expected a folder of templates",
            ],
        ),
    ];
    for (args, code, expected) in cases {
        for (locale, words) in LOCALES.iter().zip(expected) {
            let output = run_in(locale, &report, args);
            let stderr = common::stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(code),
                "{locale} {args:?}: {stderr}"
            );
            assert!(
                stderr.contains(words),
                "{locale} {args:?}: no {words:?} in\n{stderr}"
            );
        }
    }
}

#[test]
fn clap_errors_and_help_speak_the_users_language_and_keep_exit_code_2() {
    let here = Path::new(common::REPO);
    let expected = [
        "feil: fant det ukjente argumentet '--confi'\n\n  tips: et lignende argument finnes: \
         '--config'\n\nBruk: budsjett render --config <CONFIG>\n\nMer informasjon får du med \
         '--help'.\n",
        "feil: fann det ukjende argumentet '--confi'\n\n  tips: eit liknande argument finst: \
         '--config'\n\nBruk: budsjett render --config <CONFIG>\n\nMeir informasjon får du med \
         '--help'.\n",
        "error: unexpected argument '--confi' found\n\n  tip: a similar argument exists: \
         '--config'\n\nUsage: budsjett render --config <CONFIG>\n\nFor more information, try \
         '--help'.\n",
    ];
    for (locale, words) in LOCALES.iter().zip(expected) {
        let output = run_in(locale, here, &["render", "--confi", "x"]);
        assert_eq!(output.status.code(), Some(2), "{locale}");
        assert_eq!(common::stderr(&output), words, "{locale}");
    }
    let expected = [
        "ugyldig verdi 'sideways' for '--flow <FLOW>'\n  [mulige verdier: expenses, income]",
        "ugyldig verdi 'sideways' for '--flow <FLOW>'\n  [moglege verdiar: expenses, income]",
        "invalid value 'sideways' for '--flow <FLOW>'\n  [possible values: expenses, income]",
    ];
    for (locale, words) in LOCALES.iter().zip(expected) {
        let output = run_in(
            locale,
            here,
            &["explain", "--flow", "sideways", "--group", "1"],
        );
        assert_eq!(output.status.code(), Some(2), "{locale}");
        assert!(common::stderr(&output).contains(words), "{locale}");
    }
    // --help: the command's about, its options' help and clap's headings from the catalogue;
    // exit code 0.
    let expected = [
        [
            "Les alle kildene til en rapport uten å sette den",
            "Rapportkonfigurasjonen som skal kontrolleres",
            "Avslutningskoder: 0 ferdig, ingen problemer",
            "\nBruk: budsjett check [OPTIONS]\n\nValg:\n",
            "kontrolleres [standard: data/report.toml]",
            "  -h, --help                   Vis hjelp\n",
        ],
        [
            "Les alle kjeldene til ein rapport utan å setje han",
            "Rapportkonfigurasjonen som skal kontrollerast",
            "Avslutningskodar: 0 ferdig, ingen problem",
            "\nBruk: budsjett check [OPTIONS]\n\nVal:\n",
            "kontrollerast [standard: data/report.toml]",
            "  -h, --help                   Vis hjelp\n",
        ],
        [
            "Read every source of a report without typesetting",
            "The report configuration whose sources to check",
            "Exit codes: 0 done, no problems",
            "\nUsage: budsjett check [OPTIONS]\n\nOptions:\n",
            "to check [default: data/report.toml]",
            "  -h, --help                   Print help\n",
        ],
    ];
    for (locale, words) in LOCALES.iter().zip(expected) {
        let output = run_in(locale, here, &["check", "--help"]);
        assert_eq!(output.status.code(), Some(0), "{locale}");
        let stdout = common::stdout(&output);
        for line in words {
            assert!(stdout.contains(line), "{locale}: no {line:?} in\n{stdout}");
        }
    }
}

/// `explain` calls its sum exact ("nøyaktig sum"), so it prints every decimal the sum has, and
/// each line's amount likewise: rounded to two decimals, 999,625 kr would read 999,63 kr.
/// `check`'s warning of a balance ("the sum of all lines is …") likewise (leftovers, session 7).
#[test]
fn explain_and_check_print_an_exact_sum_with_every_decimal() {
    let dir = budget_folder();
    replace_in(
        dir.path(),
        "profile.toml",
        "unit = \"kr\"\n",
        "unit = \"kr\"\ndecimal_mark = \",\"\n",
    );
    replace_in(dir.path(), "export.csv", ";3 484 248\n", ";1 000,125\n");
    replace_in(dir.path(), "export.csv", ";-3 484 248\n", ";-0,5\n");
    let (code, text) = run_with_locale("explain", &dir.path().join("report.toml"), "nb_NO.UTF-8");
    assert_eq!(code, Some(0), "{text}");
    // Hand: 1 000,125 − 0,5 = 999,625.
    for wanted in [
        "| 1 000,125 kr",
        "| -0,5 kr",
        "2 linjer, nøyaktig sum 999,625 kr",
    ] {
        assert!(text.contains(wanted), "no {wanted:?} in\n{text}");
    }
    let (code, text) = run_with_locale("check", &dir.path().join("report.toml"), "nb_NO.UTF-8");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("summen av alle linjer er 999,625 kr"),
        "{text}"
    );
}
