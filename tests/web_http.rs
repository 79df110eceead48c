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
    assert!(
        dir.path()
            .join("output/sider/budsjett-eksempel-1.png")
            .exists()
    );
    drop(server);
    assert!(
        dir.path()
            .join("output/sider/budsjett-eksempel-1.png")
            .exists()
    );
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
