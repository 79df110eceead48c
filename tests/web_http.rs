//! `budsjett serve` over plain HTTP, as a page elsewhere or a careless client would reach it:
//! a request without the token, with a foreign `Host` or `Origin`, and an oversized upload are
//! refused; an upload is stored under a name the program chooses and its hostile cells show
//! literally; a second server on the folder is refused; stopping leaves nothing behind.

mod web_support;

use web_support::{HOSTILE, Server, export_csv, files_under, multipart, request};

/// Uploads `bytes` as `file_name` with the page's own `Host` and `Origin`.
fn upload(server: &Server, file_name: &str, bytes: &[u8]) -> web_support::Answer {
    let (content_type, body) = multipart("export", file_name, bytes);
    let origin = format!("http://{}", server.host());
    request(
        server.port,
        "POST",
        &format!("/{}/upload", server.token),
        &[
            ("Host", &server.host()),
            ("Origin", &origin),
            ("Content-Type", &content_type),
        ],
        &body,
    )
}

#[test]
fn requests_without_the_token_or_from_another_site_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let host = server.host();
    let own = server.get("");
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("Slipp en eksport"), "{}", own.body);
    assert_eq!(own.header("referrer-policy"), Some("same-origin"));
    assert!(
        own.header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'")
    );

    // No token, a wrong token, a token of another length, the token only in the query.
    let wrong = "0".repeat(server.token.len());
    let query = format!("/?t={}", server.token);
    for path in ["/", "/upload", &format!("/{wrong}/"), "/abc/", &query] {
        let answer = request(server.port, "GET", path, &[("Host", &host)], b"");
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert!(!answer.body.contains("Slipp en eksport"));
    }
    let path = format!("/{}/", server.token);
    // A foreign Host (a DNS name rebound to 127.0.0.1), another port, none at all.
    let other_port = format!("127.0.0.1:{}", server.port + 1);
    for bad_host in ["evil.example", "evil.example:80", other_port.as_str()] {
        let answer = request(server.port, "GET", &path, &[("Host", bad_host)], b"");
        assert_eq!(answer.status, 403, "{bad_host}");
    }
    let answer = request(server.port, "GET", &path, &[], b"");
    assert_eq!(answer.status, 403);
    // A foreign Origin, even with the right token and Host; `null` (a sandboxed frame) too.
    for origin in [
        "http://evil.example",
        "null",
        "https://127.0.0.1",
        "http://127.0.0.1",
    ] {
        let answer = request(
            server.port,
            "POST",
            &format!("/{}/render", server.token),
            &[("Host", &host), ("Origin", origin)],
            b"",
        );
        assert_eq!(answer.status, 403, "{origin}");
    }
    // `localhost` is the page's own name too.
    let localhost = format!("localhost:{}", server.port);
    let answer = request(server.port, "GET", &path, &[("Host", &localhost)], b"");
    assert_eq!(answer.status, 200);
    assert!(server.stop().success());
    assert_eq!(files_under(dir.path()), Vec::<String>::new());
}

#[test]
fn an_oversized_upload_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--max-upload-mb", "1"]);
    let mut big = export_csv().into_bytes();
    while big.len() <= 1024 * 1024 {
        big.extend_from_slice(b"10;Oppvekst;201;2025;1;1;Drift\n");
    }
    let answer = upload(&server, "stor.csv", &big);
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert!(answer.body.contains("større enn 1 MB"), "{}", answer.body);
    // A file that is not an export, and a form without a file, are refused too.
    let answer = upload(&server, "report.toml", b"[report]\n");
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.contains("er ikke en eksport"),
        "{}",
        answer.body
    );
    assert!(server.stop().success());
    assert_eq!(files_under(dir.path()), Vec::<String>::new());
}

#[test]
fn an_upload_is_stored_under_a_chosen_name_and_its_cells_show_literally() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    // The browser's name is a path out of the folder: only its letters and digits are kept.
    let answer = upload(&server, "../../Bergen drift.csv", export_csv().as_bytes());
    assert_eq!(answer.status, 303, "{}", answer.body);
    let files = files_under(dir.path());
    assert!(
        files.contains(&"data/Bergen-drift.csv".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"data/Bergen-drift.toml".to_string()),
        "{files:?}"
    );
    assert!(files.contains(&"data/report.toml".to_string()), "{files:?}");
    assert!(
        !dir.path()
            .parent()
            .unwrap()
            .join("Bergen drift.csv")
            .exists()
    );
    let page = server.get("");
    assert_eq!(page.status, 200);
    // Every hostile string is on the page as text: escaped, never markup.
    let text = web_support::unescape(&page.body);
    for hostile in HOSTILE {
        assert!(text.contains(hostile), "{hostile:?} not shown literally");
    }
    assert!(!page.body.contains("<b>"));
    // The guess's unsure choice is marked: the unit, which nothing in the export says.
    let unsure = text
        .split("<li class=\"unsure\">")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap())
        .collect::<Vec<_>>();
    assert!(
        unsure
            .iter()
            .any(|li| li.contains("Usikker:") && li.contains("unit = \"kr\"")),
        "{unsure:?}"
    );
    assert!(!unsure.iter().any(|li| li.contains("amount = \"belop\"")));
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("<img src=x"));
    // A second upload into a folder with a report is refused, and nothing is replaced.
    let before = std::fs::read(dir.path().join("data/report.toml")).unwrap();
    let answer = upload(&server, "annen.csv", export_csv().as_bytes());
    assert_eq!(answer.status, 400);
    assert_eq!(
        std::fs::read(dir.path().join("data/report.toml")).unwrap(),
        before
    );
    assert!(!dir.path().join("data/annen.csv").exists());
    // A second server on the same folder is refused while this one runs.
    let second = web_support_second(dir.path());
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("bruker allerede denne mappen"));
    assert!(server.stop().success());
    let left: Vec<String> = files_under(dir.path())
        .into_iter()
        .filter(|f| f.contains(".partial") || f.contains(".lock"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A second `budsjett serve` on `dir`, which must end at once.
fn web_support_second(dir: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .args(["--lang", "nb", "serve"])
        .arg(dir)
        .output()
        .unwrap()
}

/// A form post to the page, with its own `Host` and `Origin`.
fn post_form(server: &Server, route: &str, body: &str) -> web_support::Answer {
    let origin = format!("http://{}", server.host());
    request(
        server.port,
        "POST",
        &format!("/{}/{route}", server.token),
        &[
            ("Host", &server.host()),
            ("Origin", &origin),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        body.as_bytes(),
    )
}

#[test]
fn an_existing_report_folder_opens_and_a_form_that_gives_no_profile_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let profile = dir.path().join("data/budsjett.toml");
    let before = std::fs::read(&profile).unwrap();
    let server = Server::start(dir.path(), &[]);
    let page = server.get("");
    assert_eq!(page.status, 200);
    // The example's columns with their roles, each select labelled by its column's name.
    for (index, header, role) in [
        (0, "tjenesteomraade", "area"),
        (3, "tjeneste_tekst", "service"),
        (4, "aar", "year"),
        (5, "beloep", "amount"),
    ] {
        assert!(
            page.body.contains(&format!(
                "<label for=\"col{index}\" class=\"sample\">{header}</label>"
            )),
            "{header}"
        );
        let selected = format!("<option value=\"{role}\" selected>");
        let row = page
            .body
            .split(&format!("id=\"col{index}\""))
            .nth(1)
            .unwrap();
        let select = row.split("</select>").next().unwrap();
        assert!(select.contains(&selected), "{header}: {select}");
    }
    assert!(page.body.contains("id=\"no-problems\""), "{}", page.body);
    // Two amount columns, an unknown role, an unknown unit: refused, the profile unchanged.
    for (form, said) in [
        (
            "col4=amount&col5=amount",
            "bare én kolonne kan ha rollen «beløp»",
        ),
        ("col5=unused", "ingen kolonne har rollen «beløp»"),
        ("col0=nonsense", "kan ikke få rollen \"nonsense\""),
        (
            "unit=mill.+kr",
            "enheten \"mill. kr\" finnes ikke: forventet \"kr\" eller \"1000 kr\"",
        ),
    ] {
        let answer = post_form(&server, "columns", form);
        assert_eq!(answer.status, 400, "{form}");
        let text = web_support::unescape(&answer.body);
        assert!(text.contains(said), "{form}: {text}");
        assert_eq!(std::fs::read(&profile).unwrap(), before, "{form}");
    }
    // A change the profile can take: the unit, read back in the page's totals and by check.
    // The example's 2025 expenses by hand: 12 + 8 + 9.5 + 6.5 million = 36 000 000 kr.
    let totals = |page: &web_support::Answer| {
        let table = page.body.split("id=\"totals\"").nth(1).unwrap().to_string();
        table.split("</table>").next().unwrap().to_string()
    };
    assert!(totals(&server.get("")).contains(">36 000 000<"));
    let answer = post_form(&server, "columns", "unit=1000+kr");
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert!(totals(&server.get("")).contains(">36 000 000 000<"));
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .args(["check", "--profile", "data/budsjett.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&check.stdout).contains("36 000 000 000"));
    // Rendered, with previews; a page killed (Ctrl-C) leaves them, the next start removes
    // them, and the stop button leaves neither previews nor the lock.
    let answer = post_form(&server, "render", "");
    assert_eq!(answer.status, 200);
    let previews = || files_under(&dir.path().join("output/sider"));
    assert_eq!(previews().len(), 6, "{:?}", previews());
    drop(server);
    assert_eq!(previews().len(), 6, "{:?}", previews());
    let server = Server::start(dir.path(), &[]);
    assert!(!dir.path().join("output/sider").exists());
    assert!(server.stop().success());
    assert!(dir.path().join("output/budsjett-eksempel.pdf").exists());
    assert!(!dir.path().join("data/.budsjett.lock").exists());
}

#[test]
fn two_tabs_writing_at_once_leave_a_whole_profile() {
    let dir = tempfile::tempdir().unwrap();
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(init.status.success());
    let server = Server::start(dir.path(), &[]);
    // Eight posts at once, as from tabs that each saved the form: one writer at a time.
    std::thread::scope(|scope| {
        for i in 0..8 {
            let server = &server;
            scope.spawn(move || {
                let form = if i % 2 == 0 {
                    "unit=kr"
                } else {
                    "unit=1000+kr"
                };
                let answer = post_form(server, "columns", form);
                assert_eq!(answer.status, 303, "{}", answer.body);
            });
        }
    });
    assert!(server.stop().success());
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .args(["check", "--profile", "data/budsjett.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let left: Vec<String> = files_under(dir.path())
        .into_iter()
        .filter(|f| f.contains(".partial") || f.contains(".lock"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// `budsjett init` into a new folder: the example report the settings tests change.
fn example_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    dir
}

/// What `budsjett check` says of the example folder with `from` replaced by `to` in its
/// report.toml: the command line's own message, to hold the page's against.
fn check_with(from: &str, to: &str) -> String {
    let dir = example_folder();
    let config = dir.path().join("data/report.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&config, text.replace(from, to)).unwrap();
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .args(["--lang", "nb", "check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!check.status.success());
    String::from_utf8_lossy(&check.stderr).into_owned()
}

/// The message the page shows next to a field (the element `aria-describedby` names), and
/// whether the field with `id` points at it.
fn message_by_field(body: &str, id: &str) -> Option<String> {
    let field = body.split(&format!("id=\"{id}\"")).nth(1)?;
    let field = field.split('>').next()?;
    if !field.contains("aria-describedby=\"settings-error\"") || !field.contains("aria-invalid") {
        return None;
    }
    let message = body.split("id=\"settings-error\">").nth(1)?;
    Some(web_support::unescape(message.split('<').next()?))
}

#[test]
fn a_refused_setting_shows_the_command_lines_message_by_its_field_and_keeps_the_file() {
    let dir = example_folder();
    let config = dir.path().join("data/report.toml");
    let before = std::fs::read(&config).unwrap();
    let server = Server::start(dir.path(), &[]);
    let page = server.get("");
    assert!(
        page.body
            .contains("id=\"title\" name=\"title\" size=\"60\" value=\"Driftsbudsjett\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("id=\"plan_first\" name=\"plan_first\" size=\"6\" value=\"2025\"")
    );
    // Plan years reversed, an unknown unit, a detail the same as the group, a language
    // without words: each refused with the message `check` gives for the same file.
    for (form, from, to, field, said) in [
        (
            "plan_first=2026&plan_last=2025",
            "plan = [2025, 2026]",
            "plan = [2026, 2025]",
            "plan_first",
            "period.plan: fant [2026, 2025], forventet [første år, siste år]",
        ),
        (
            "unit=lakh",
            "unit = \"1000 kr\"",
            "unit = \"lakh\"",
            "budget_unit",
            "budget.unit: fant \"lakh\", forventet \"kr\", \"1000 kr\"",
        ),
        (
            "detail_by=area",
            "detail_by = \"service\"",
            "detail_by = \"area\"",
            "detail_by",
            "budget.detail_by: fant \"area\", samme dimensjon som group_by",
        ),
        (
            "language=xx",
            "# language = \"nn\"",
            "language = \"xx\"",
            "language",
            "report.language = \"xx\": ingen ordliste for dette språket",
        ),
    ] {
        let answer = post_form(&server, "settings", form);
        assert_eq!(answer.status, 400, "{form}: {}", answer.body);
        let message = message_by_field(&answer.body, field)
            .unwrap_or_else(|| panic!("{form}: no message by {field}: {}", answer.body));
        assert!(message.contains(said), "{form}: {message}");
        // The same words from the command line.
        assert!(check_with(from, to).contains(said), "{form}");
        assert_eq!(std::fs::read(&config).unwrap(), before, "{form}");
        // The refused value is shown as sent, for the officer to correct.
        assert!(!answer.body.contains("id=\"done\""));
    }
    // The other fields keep what was sent too.
    let answer = post_form(
        &server,
        "settings",
        "title=Ny&plan_first=2026&plan_last=2025",
    );
    assert!(answer.body.contains("value=\"Ny\""));
    assert!(server.stop().success());
    assert_eq!(std::fs::read(&config).unwrap(), before);
}

#[test]
fn a_saved_setting_reaches_the_pdf_and_a_hostile_title_prints_literally() {
    let dir = example_folder();
    let config = dir.path().join("data/report.toml");
    let server = Server::start(dir.path(), &[]);
    let title = "Budsjett <script>alert(1)</script> & \"#fjord\"";
    // The statutory overviews on: set in init's commented-out line; then off again (a
    // checkbox not ticked is not sent), commented out.
    let answer = post_form(&server, "settings", "statutory=on");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains("\nstatutory = \"kostra\"                  # the KOSTRA tables"),
        "{text}"
    );
    let form = "title=Budsjett+%3Cscript%3Ealert(1)%3C%2Fscript%3E+%26+%22%23fjord%22\
                &detail_by=";
    let answer = post_form(&server, "settings", form);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.contains("id=\"done\""), "{}", answer.body);
    // On the page the title is text in the field, never markup.
    assert!(!answer.body.contains("<script>alert"));
    assert!(
        answer.body.contains(
            "value=\"Budsjett &lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &quot;#fjord&quot;\""
        ),
        "{}",
        answer.body
    );
    // The file: the new values where the old ones were, init's comments kept, a key that
    // was commented out set in its line; and the command line reads it.
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains("\ntitle = 'Budsjett <script>alert(1)</script> & \"#fjord\"'\n"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("detail_by = \"\" ")
            && l.ends_with("# the dimension listed inside each group")),
        "{text}"
    );
    assert!(text.contains("\n# statutory = \"kostra\"                  # the KOSTRA"));
    assert!(text.contains("# the PDF is output/<name>.pdf"));
    assert!(text.contains("\n# language = \"nn\""), "{text}");
    let table: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(table["report"]["title"].as_str(), Some(title));
    // Rendered: the title is in the PDF as written.
    let answer = post_form(&server, "render", "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(server.stop().success());
    let pdf = dir.path().join("output/budsjett-eksempel.pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(title), "{text}");
}

/// The page's line at the head of a profile it changed (bokmål, as the servers here run).
const PROFILE_HEADING: &str =
    "# Profilen er endret på siden (budsjett serve). Nøklene er forklart i README.\n";

#[test]
fn a_role_change_edits_the_profile_in_place_and_keeps_its_comments() {
    let dir = example_folder();
    let profile = dir.path().join("data/budsjett.toml");
    let before = std::fs::read_to_string(&profile).unwrap();
    let service =
        "service = { label = \"Tjeneste\", code = \"tjeneste\", text = \"tjeneste_tekst\" }";
    assert!(before.contains(service), "{before}");
    let server = Server::start(dir.path(), &[]);
    // tjeneste_tekst (column 3) no longer read: only the service's `text` key goes.
    let answer = post_form(&server, "columns", "col3=unused");
    assert_eq!(answer.status, 303, "{}", answer.body);
    let after = std::fs::read_to_string(&profile).unwrap();
    let expected = format!(
        "{PROFILE_HEADING}{}",
        before.replace(
            service,
            "service = { label = \"Tjeneste\", code = \"tjeneste\" }"
        )
    );
    assert_eq!(after, expected);
    // Every comment of the example's profile is still there, in its place.
    for comment in [
        "# The example export's mapping profile: what its columns mean.",
        "file = \"budsjett.csv\"          # relative to this file",
        "kind = \"long\"                  # one amount column",
        "version = \"budsjett\"           # every row is the budget",
        "convention = \"income_negative\" # income is negative, expenses positive",
    ] {
        assert!(after.contains(comment), "{comment}");
    }
    // A second change keeps the one heading; a changed value loses the comment on it.
    let answer = post_form(&server, "columns", "col3=unused&unit=1000+kr");
    assert_eq!(answer.status, 303, "{}", answer.body);
    let again = std::fs::read_to_string(&profile).unwrap();
    assert_eq!(
        again,
        expected.replace(
            "unit = \"kr\"                    # \"kr\" or \"1000 kr\"",
            "unit = \"1000 kr\""
        )
    );
    let page = server.get("");
    let select = page.body.split("id=\"col3\"").nth(1).unwrap();
    let select = select.split("</select>").next().unwrap();
    assert!(
        select.contains("<option value=\"unused\" selected>"),
        "{select}"
    );
    assert!(server.stop().success());
}

#[test]
fn a_form_the_profile_reader_refuses_leaves_the_file_and_shows_its_message() {
    let dir = example_folder();
    let profile = dir.path().join("data/budsjett.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    // The service's text column is carried down blank cells: a dimension's column it must
    // stay. The form's own checks know nothing of fill_down; the profile reader does.
    let unit = "unit = \"kr\"                    # \"kr\" or \"1000 kr\"\n";
    assert!(text.contains(unit));
    let text = text.replace(
        unit,
        &format!("{unit}fill_down = [\"tjeneste_tekst\"]   # blank cells take the row above\n"),
    );
    std::fs::write(&profile, &text).unwrap();
    let before = std::fs::read(&profile).unwrap();
    let server = Server::start(dir.path(), &[]);
    let answer = post_form(&server, "columns", "col3=unused");
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(std::fs::read(&profile).unwrap(), before);
    // The reader's own words, by the column's select, which points at them.
    let said = "source.fill_down: fant \"tjeneste_tekst\", som ikke er kolonnen til noen \
                dimensjon";
    let select = answer
        .body
        .split("id=\"col3\"")
        .nth(1)
        .unwrap_or_else(|| panic!("{}", answer.body));
    let (open, rest) = select.split_once('>').unwrap();
    assert!(
        open.contains("aria-invalid=\"true\" aria-describedby=\"columns-error\""),
        "{open}"
    );
    // The select shows the role as sent, for the officer to correct.
    assert!(
        rest.contains("<option value=\"unused\" selected>"),
        "{rest}"
    );
    let message = rest.split("id=\"columns-error\"").nth(1).unwrap();
    let message = web_support::unescape(message.split("</span>").next().unwrap());
    assert!(message.contains(said), "{message}");
    // The same words from the command line, for the profile as the form would have it.
    let edited = text.replace(", text = \"tjeneste_tekst\" }", " }");
    std::fs::write(&profile, &edited).unwrap();
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .args(["--lang", "nb", "check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let said_by_check = String::from_utf8_lossy(&check.stdout);
    assert!(said_by_check.contains(said), "{said_by_check}");
    std::fs::write(&profile, &before).unwrap();
    assert!(server.stop().success());
}

/// Uploads several files in one form, as an `<input multiple>` sends them: a part each.
fn upload_several(server: &Server, files: &[(&str, &[u8])]) -> web_support::Answer {
    let boundary = "----budsjettSeveral4f2a";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"export\"; \
                 filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let origin = format!("http://{}", server.host());
    request(
        server.port,
        "POST",
        &format!("/{}/upload", server.token),
        &[
            ("Host", &server.host()),
            ("Origin", &origin),
            ("Content-Type", &content_type),
        ],
        &body,
    )
}

/// A second year's export of the same shape as [`export_csv`]. By hand, 2027: expenses
/// 1 200 + 300 = 1 500, income −1 500, balance 0.
const EXPORT_2027: &str = "tjomr;tjomr_tekst;tjeneste;aar;belop;justert;prosjekt\n\
10;Oppvekst;201;2027;1200;1200;Drift\n\
10;Oppvekst;201;2027;-1500;-1500;Drift\n\
20;Helse;241;2027;300;300;Drift\n";

/// The rows of the page's totals table, as text: year, version, expenses, income, balance.
fn totals_rows(body: &str) -> Vec<String> {
    let table = body
        .split("id=\"totals\"")
        .nth(1)
        .unwrap_or_else(|| panic!("{body}"));
    let table = table.split("</table>").next().unwrap();
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|cell| {
                    let text = cell.split_once('>').unwrap().1;
                    let text = text.split("</td>").next().unwrap();
                    let text = text.split('<').next().unwrap();
                    web_support::unescape(text.trim())
                })
                .collect();
            cells.join(" | ")
        })
        .collect()
}

#[test]
fn several_exports_at_once_get_a_profile_each_and_one_report_over_all() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let first = export_csv();
    let answer = upload_several(
        &server,
        &[
            ("Bergen drift.csv", first.as_bytes()),
            ("Bergen 2027.csv", EXPORT_2027.as_bytes()),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.body);
    let files = files_under(dir.path());
    for file in [
        "data/Bergen-drift.csv",
        "data/Bergen-2027.csv",
        "data/Bergen-drift.toml",
        "data/Bergen-2027.toml",
        "data/report.toml",
    ] {
        assert!(files.contains(&file.to_string()), "{file}: {files:?}");
    }
    // The report reads both profiles, over the years of both.
    let report: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.path().join("data/report.toml")).unwrap())
            .unwrap();
    let sources: Vec<&str> = report["budget"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources, ["Bergen-drift.toml", "Bergen-2027.toml"]);
    assert_eq!(report["period"]["plan"].to_string(), "[2025, 2027]");
    // The totals cover both files (the first's line with a control character is a problem,
    // left out: 2025 expenses 1 000 + 250).
    let page = server.get("");
    assert_eq!(
        totals_rows(&page.body),
        [
            "2025 | budsjett | 1 250 | -1 650 | -400",
            "2026 | budsjett | 1 850 | -1 850 | 0",
            "2027 | budsjett | 1 500 | -1 500 | 0",
        ]
    );
    // A form for each profile: the second's fields are its own (p1-…), and its change
    // reaches its profile only (the 2027 file in thousands: 1 500 000).
    assert!(
        page.body.contains("<select id=\"p1-col4\" name=\"col4\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<input type=\"hidden\" name=\"profile\" value=\"1\">")
    );
    let first_profile = std::fs::read(dir.path().join("data/Bergen-drift.toml")).unwrap();
    let answer = post_form(&server, "columns", "profile=1&unit=1000+kr");
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(
        std::fs::read(dir.path().join("data/Bergen-drift.toml")).unwrap(),
        first_profile
    );
    let rows = totals_rows(&server.get("").body);
    assert_eq!(rows[2], "2027 | budsjett | 1 500 000 | -1 500 000 | 0");
    assert_eq!(rows[0], "2025 | budsjett | 1 250 | -1 650 | -400");
    // A refusal is shown by the second form's field.
    let answer = post_form(&server, "columns", "profile=1&col4=amount&col5=amount");
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.contains("<select id=\"p1-col4\" name=\"col4\" aria-invalid=\"true\" aria-describedby=\"p1-columns-error\">"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("id=\"p1-columns-error\""));
    assert!(!answer.body.contains("id=\"columns-error\""));
    assert!(server.stop().success());
    // The command line reads the same folder and sums the same.
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .args(["--lang", "nb", "check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("Bergen-2027.csv"), "{said}");
}

#[test]
fn the_same_export_twice_or_exports_one_report_cannot_read_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let first = export_csv();
    // Responsibility codes only: no dimension the first export has too.
    let other_shape =
        "ansvar;ansvar_tekst;aar;belop\n100;Rådmann;2025;500\n100;Rådmann;2025;-500\n";
    let stored = |dir: &std::path::Path| -> Vec<String> {
        files_under(dir)
            .into_iter()
            .filter(|f| f != "data/.budsjett.lock")
            .collect()
    };
    for (files, said) in [
        (
            vec![("a.csv", first.as_bytes()), ("kopi.csv", first.as_bytes())],
            "\"a.csv\" og \"kopi.csv\" er den samme filen",
        ),
        (
            vec![
                ("a b.csv", first.as_bytes()),
                ("a-b.csv", EXPORT_2027.as_bytes()),
            ],
            "\"a b.csv\" og \"a-b.csv\" ville fått samme navn i mappen",
        ),
        (
            vec![
                ("a.csv", first.as_bytes()),
                ("a.xlsx", EXPORT_2027.as_bytes()),
            ],
            "ville fått samme profil",
        ),
        (
            vec![
                ("a.csv", first.as_bytes()),
                ("ansvar.csv", other_shape.as_bytes()),
            ],
            "fant ingen dimensjon som alle eksportene har",
        ),
        (
            vec![
                ("a.csv", first.as_bytes()),
                ("tom.csv", b"aar;belop\n".as_slice()),
            ],
            "tom.csv",
        ),
    ] {
        let answer = upload_several(&server, &files);
        assert_eq!(answer.status, 400, "{said}: {}", answer.body);
        let text = web_support::unescape(&answer.body);
        assert!(text.contains(said), "{said}: {text}");
        // All or none: nothing of either file is stored.
        assert_eq!(stored(dir.path()), Vec::<String>::new(), "{said}");
    }
    assert!(server.stop().success());
}

#[test]
fn drift_and_investering_together_are_summed_each_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    // By hand, investering 2025: expenses 700, income −700.
    let investering = "tjomr;tjomr_tekst;tjeneste;aar;belop\n\
10;Oppvekst;201;2025;700\n\
10;Oppvekst;201;2025;-700\n";
    let answer = upload_several(
        &server,
        &[
            ("Bergen drift.csv", EXPORT_2027.as_bytes()),
            ("Bergen investering.csv", investering.as_bytes()),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.body);
    let page = server.get("");
    // No sum adds drift and investering: a row each, named by its budget.
    assert_eq!(
        totals_rows(&page.body),
        [
            "2027 | budsjett (drift) | 1 500 | -1 500 | 0",
            "2025 | budsjett (investering) | 700 | -700 | 0",
        ]
    );
    let report = std::fs::read_to_string(dir.path().join("data/report.toml")).unwrap();
    assert!(
        report.contains("title = \"Drifts- og investeringsbudsjett\""),
        "{report}"
    );
    assert!(server.stop().success());
}

/// Ctrl-C and SIGTERM, as a terminal or a service manager sends them.
#[cfg(unix)]
#[test]
fn ctrl_c_or_sigterm_stops_the_page_and_leaves_no_lock_and_no_temporary_file() {
    for signal in ["-INT", "-TERM"] {
        let dir = example_folder();
        let mut server = Server::start(dir.path(), &[]);
        // Previews to remove: a render first.
        let answer = post_form(&server, "render", "");
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert!(dir.path().join("output/sider").exists());
        assert!(dir.path().join("data/.budsjett.lock").exists());
        let pid = server.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "{signal}: the page did not stop"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(status.success(), "{signal}: {status:?}");
        let left: Vec<String> = files_under(dir.path())
            .into_iter()
            .filter(|f| f.contains(".partial") || f.contains(".lock") || f.contains("sider"))
            .collect();
        assert!(left.is_empty(), "{signal}: {left:?}");
        // The PDF and the report folder stay.
        assert!(dir.path().join("output/budsjett-eksempel.pdf").exists());
        drop(server);
    }
}

#[test]
fn a_folder_from_the_command_line_opens_and_its_pdf_is_the_command_lines() {
    // A folder a command-line user made and edited, rendered by them first.
    let dir = example_folder();
    let config = dir.path().join("data/report.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.replace(
        "title = \"Driftsbudsjett\"",
        "title = \"Brukerens budsjett\"",
    );
    assert!(text.contains("Brukerens budsjett"));
    std::fs::write(&config, text).unwrap();
    let render = |cwd: &std::path::Path, config: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_budsjett"))
            .arg("render")
            .arg("--config")
            .arg(config)
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(cwd.join("output/budsjett-eksempel.pdf")).unwrap()
    };
    let before = render(dir.path(), std::path::Path::new("data/report.toml"));
    // The page opens it as it is: its settings, and a render that downloads the same bytes.
    let server = Server::start(dir.path(), &[]);
    let page = server.get("");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"Brukerens budsjett\""));
    let answer = post_form(&server, "render", "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let download = server.get("report.pdf");
    assert_eq!(download.status, 200);
    let download = match download.header("transfer-encoding") {
        Some("chunked") => dechunked(&download.bytes),
        _ => download.bytes,
    };
    assert!(download.starts_with(b"%PDF"));
    assert!(download == before, "the page's PDF differs from render's");
    assert!(server.stop().success());
    // The command line takes the folder over from anywhere: `render --config DIR/...`.
    let elsewhere = tempfile::tempdir().unwrap();
    let after = render(elsewhere.path(), &config);
    assert!(after == download, "render --config gives another PDF");
}

/// An HTTP body sent in chunks (`<hex length>\r\n<bytes>\r\n`, ending with length 0), whole.
fn dechunked(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&raw[..line_end]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}
