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
        ("unit=mill.+kr", "enheten \"mill. kr\" finnes ikke"),
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
