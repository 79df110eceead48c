//! The message catalogues (`src/messages/{nb,nn,en}.toml`), read as files and against the
//! source: every key is in every language with the same placeholders; every key the code
//! words a message with exists, with exactly the placeholders the call fills, and no key is
//! left unused; and no message is worded in Rust (a string literal of English words outside
//! the catalogues is a message that escaped them).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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
    budsjett::words::placeholders(text)
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

/// Every `.rs` file under `src/`.
fn sources() -> Vec<PathBuf> {
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
    walk(&Path::new(common::REPO).join("src"), &mut out);
    out.sort();
    out
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
    for file in sources() {
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
    let unused: Vec<&String> = known.keys().filter(|k| !used.contains(*k)).collect();
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

/// Files whose messages are not yet in the catalogues: the list shrinks to nothing.
const NOT_YET: &[&str] = &[
    "src/builtin.rs",
    "src/check.rs",
    "src/config.rs",
    "src/each.rs",
    "src/error.rs",
    "src/explain.rs",
    "src/fingerprint.rs",
    "src/guess.rs",
    "src/init.rs",
    "src/input.rs",
    "src/load/chapter.rs",
    "src/load/dialect.rs",
    "src/load/profile.rs",
    "src/load/records.rs",
    "src/main.rs",
    "src/output_set.rs",
    "src/pipeline.rs",
    "src/present/budget/debt.rs",
    "src/present/budget/mod.rs",
    "src/present/budget/statutory.rs",
    "src/present/budget/tables.rs",
    "src/present/budget/transfers.rs",
    "src/present/mod.rs",
    "src/present/table.rs",
    "src/schema.rs",
    "src/template.rs",
    "src/typeset.rs",
    "src/watch.rs",
    "src/words.rs",
    "src/write.rs",
];

/// A line may say why its literal is no message: `// not a message: <why>` at its end, or on
/// the line above (Typst or TOML that the program writes, a key name, a test of a format).
const EXEMPT: &str = "not a message:";

#[test]
fn no_message_is_worded_in_rust() {
    let mut worded = Vec::new();
    for file in sources() {
        let relative = file
            .strip_prefix(common::REPO)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if NOT_YET.contains(&relative.as_str()) || relative.starts_with("src/messages") {
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
    for file in NOT_YET {
        assert!(
            Path::new(common::REPO).join(file).exists(),
            "NOT_YET names {file}, which is gone"
        );
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
