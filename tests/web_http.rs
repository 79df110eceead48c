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
