//! The local page's previews (issue 28): refreshed after every change the page accepts, a
//! page drawn again only when it looks different, and the last good previews kept (and
//! marked as out of date) while the report cannot be made. What a page shows is held against
//! the command line's own output, made in another process from the same folder: the text of
//! each page of `budsjett render`'s PDF (pdftotext) and `budsjett render --format png`.

mod web_support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use web_support::{Answer, Server, request};

/// `budsjett init` into a new folder: the example report (6 pages).
fn example_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(init.status.success());
    dir
}

/// A form post to the page, with its own `Host` and `Origin`.
fn post(server: &Server, route: &str, body: &str) -> Answer {
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

/// The previews a page shows, in page order: the address of each image (`side/<name>.png`).
fn previews(body: &str) -> Vec<String> {
    body.split("<img src=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

/// The line the page says the previews' state in.
fn state(body: &str) -> String {
    let line = body
        .split("id=\"previews-state\"")
        .nth(1)
        .unwrap_or_default();
    let line = line.split_once('>').map_or("", |(_, l)| l);
    line.split('<').next().unwrap().to_string()
}

/// `budsjett render` run on `folder` into `into` with `args`; the files it wrote.
fn render(folder: &Path, into: &Path, args: &[&str]) -> Vec<std::path::PathBuf> {
    let out = Command::new(env!("CARGO_BIN_EXE_budsjett"))
        .arg("render")
        .arg("--output")
        .arg(into)
        .args(args)
        .current_dir(folder)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<_> = std::fs::read_dir(into)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The text of each page of the PDF `budsjett render` makes of `folder` now.
fn page_texts(folder: &Path) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let pdf = render(folder, out.path(), &[]).remove(0);
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    // pdftotext ends every page with a form feed.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    assert_eq!(
        pages.pop().as_deref(),
        Some(""),
        "a form feed after the last page"
    );
    pages
}

/// An answer's body without HTTP's chunked transfer coding, if it has it.
fn dechunked(answer: &Answer) -> Vec<u8> {
    if answer.header("transfer-encoding") != Some("chunked") {
        return answer.bytes.clone();
    }
    let (mut body, mut rest) = (Vec::new(), &answer.bytes[..]);
    loop {
        let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&rest[..end]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
}

/// The previews' folder: each file and when it was last written.
fn written(folder: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(folder.join("output/sider"))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, e.metadata().unwrap().modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_new_title_redraws_the_pages_that_show_it_and_reuses_the_others() {
    let dir = example_folder();
    let folder = dir.path();
    let server = Server::start(folder, &[]);
    // No preview before the first change; the first draws every page.
    assert!(previews(&server.get("").body).is_empty());
    let answer = post(&server, "settings", "title=Driftsbudsjettet+for+fjorden");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let before = previews(&answer.body);
    let texts_before = page_texts(folder);
    assert_eq!(before.len(), texts_before.len());
    assert_eq!(before.len(), 6, "{before:?}");
    assert!(
        state(&answer.body).contains("alle 6 sidene er tegnet"),
        "{}",
        state(&answer.body)
    );
    let files_before = written(folder);
    assert_eq!(files_before.len(), 6, "{files_before:?}");

    // The filesystem's clock must be able to tell a rewritten file from a kept one.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let answer = post(&server, "settings", "title=Et+annet+navn");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let after = previews(&answer.body);
    let texts_after = page_texts(folder);
    // The pages whose text changed (the title in the running head and on the cover, the
    // colophon's checksum of report.toml) are exactly the pages drawn again.
    let changed: BTreeSet<usize> = (0..texts_after.len())
        .filter(|&n| texts_before[n] != texts_after[n])
        .collect();
    let redrawn: BTreeSet<usize> = (0..after.len())
        .filter(|&n| before[n] != after[n])
        .collect();
    assert_eq!(redrawn, changed);
    assert!(
        texts_after[0].contains("Et annet navn"),
        "{}",
        texts_after[0]
    );
    // Not every page shows the title: the table of contents is reused.
    assert!(
        !changed.is_empty() && changed.len() < after.len(),
        "{changed:?}"
    );
    let said = format!(
        "{} av {} sider er tegnet på nytt",
        changed.len(),
        after.len()
    );
    assert!(
        state(&answer.body).contains(&said),
        "{}",
        state(&answer.body)
    );
    // A reused page's file was not written again; the redrawn pages' old files are gone.
    let files_after = written(folder);
    for (n, address) in after.iter().enumerate() {
        let file = address.strip_prefix("side/").unwrap();
        let kept = files_before.iter().find(|(name, _)| name == file);
        let now = files_after.iter().find(|(name, _)| name == file).unwrap();
        assert_eq!(kept.is_some(), !changed.contains(&n), "page {}", n + 1);
        if let Some(kept) = kept {
            assert_eq!(kept.1, now.1, "page {} written again", n + 1);
        }
    }
    assert_eq!(files_after.len(), after.len(), "{files_after:?}");
    // An old address is gone rather than showing an old page.
    let old = server.get(&before[0]);
    assert_eq!(old.status, 404);

    // Each page's preview, as the page serves it, is the image `render --format png` makes
    // of that page at the same resolution in a process of its own.
    let out = tempfile::tempdir().unwrap();
    let pngs = render(folder, out.path(), &["--format", "png", "--ppi", "48"]);
    assert_eq!(pngs.len(), after.len());
    for (n, address) in after.iter().enumerate() {
        let served = server.get(address);
        assert_eq!(served.status, 200, "{address}");
        assert_eq!(served.header("content-type"), Some("image/png"));
        let served = dechunked(&served);
        let expected = out.path().join(format!("budsjett-eksempel-{}.png", n + 1));
        assert!(
            served == std::fs::read(&expected).unwrap(),
            "page {}: the preview differs from render --format png",
            n + 1
        );
    }
    assert!(server.stop().success());
    assert!(!folder.join("output/sider").exists());
}

#[test]
fn a_report_that_cannot_be_made_keeps_its_last_previews_marked_out_of_date() {
    let dir = example_folder();
    let folder = dir.path();
    let server = Server::start(folder, &[]);
    let answer = post(&server, "render", "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let good = previews(&answer.body);
    assert_eq!(good.len(), 6);
    assert!(!answer.body.contains("id=\"pdf-behind\""));
    // A change on the page: the previews follow it, the PDF is behind until rendered.
    let answer = post(&server, "settings", "municipality=Fjordvik");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.contains("id=\"pdf-behind\""), "{}", answer.body);
    let good = previews(&answer.body);

    // The export broken outside the page (an amount that is no number): the render is
    // refused with check's problem, and the last previews stay, said to be out of date.
    let export = folder.join("data/budsjett.csv");
    let text = std::fs::read_to_string(&export).unwrap();
    std::fs::write(
        &export,
        format!("{text}3;Kultur;370;Bibliotek;2025;mange\n"),
    )
    .unwrap();
    let answer = post(&server, "render", "");
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(answer.body.contains("mange"), "{}", answer.body);
    assert_eq!(previews(&answer.body), good);
    assert!(
        state(&answer.body).contains("utdatert"),
        "{}",
        state(&answer.body)
    );
    assert!(answer.body.contains("class=\"previews out-of-date\""));
    assert!(answer.body.contains("alt=\"Side 1 (utdatert)\""));
    for address in &good {
        assert_eq!(server.get(address).status, 200, "{address}");
    }
    // Mended: the next change brings the previews up to date, and the municipality's
    // new name is on every page that shows it.
    std::fs::write(&export, text).unwrap();
    let answer = post(&server, "settings", "municipality=Fjordby");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        state(&answer.body).contains("er oppdatert"),
        "{}",
        state(&answer.body)
    );
    assert!(!answer.body.contains("class=\"previews out-of-date\""));
    assert_ne!(previews(&answer.body), good);
    let answer = post(&server, "render", "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(!answer.body.contains("id=\"pdf-behind\""));
    assert!(server.stop().success());
}
