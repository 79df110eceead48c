//! What the tests of `budsjett serve` share: the server started as a person starts it (the
//! real binary, its printed address read back), a small HTTP client over a socket, and the
//! export the tests upload, with totals worked out by hand.

#![allow(dead_code)]

pub mod webdriver;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The hostile strings an export may hold: Typst, HTML, script, template and shell syntax.
pub const HOSTILE: [&str; 5] = [
    r#"#read("x") *bold* $1 [a] <b> @c \ // d"#,
    r#"<script>alert("x")</script>"#,
    r#""><img src=x onerror=alert(1)>"#,
    "{{ 7*7 }} {% raw %} &amp; &lt;",
    "'; DROP TABLE budsjett; -- $(rm -rf /)",
];

/// A long export in Norwegian CSV (semicolons, decimal commas), budget 2025 and 2026. The
/// column `belop` holds the amounts the guess takes; `justert` another set of amounts; the
/// project names are the hostile strings, and one (line 4) holds a control character (BEL),
/// which `check` refuses while the column is read as a dimension.
///
/// By hand, `belop`: 2025 expenses 1 000 + 400 + 250 = 1 650, income −1 650, balance 0;
/// 2026 expenses 1 100 + 450 + 300 = 1 850, income −1 850. `justert`: 2025 expenses
/// 2 000 + 500 + 300 = 2 800, income −2 700, balance 100.
pub fn export_csv() -> String {
    let rows = [
        ("10", "Oppvekst", "201", "2025", "1000", "2000", HOSTILE[0]),
        (
            "10", "Oppvekst", "201", "2025", "-1650", "-2700", HOSTILE[1],
        ),
        (
            "20",
            "Helse",
            "241",
            "2025",
            "400",
            "500",
            "Bad\u{7}prosjekt",
        ),
        ("20", "Helse", "241", "2025", "250", "300", HOSTILE[2]),
        ("10", "Oppvekst", "201", "2026", "1100", "1100", HOSTILE[3]),
        (
            "10", "Oppvekst", "201", "2026", "-1850", "-1850", HOSTILE[4],
        ),
        ("20", "Helse", "241", "2026", "450", "450", "Drift"),
        ("20", "Helse", "241", "2026", "300", "300", "Drift"),
    ];
    let mut text = String::from("tjomr;tjomr_tekst;tjeneste;aar;belop;justert;prosjekt\n");
    for (code, name, service, year, amount, adjusted, project) in rows {
        let project = project.replace('"', "\"\"");
        text.push_str(&format!(
            "{code};{name};{service};{year};{amount};{adjusted};\"{project}\"\n"
        ));
    }
    text
}

/// A running `budsjett serve` in a folder, stopped (and waited for) when dropped.
pub struct Server {
    pub child: Child,
    /// The address it printed, `http://127.0.0.1:<port>/<token>/`.
    pub url: String,
    pub port: u16,
    pub token: String,
    pub dir: PathBuf,
}

impl Server {
    /// Starts the server in `dir`, in bokmål, with these extra arguments.
    pub fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_budsjett"))
            .args(["--lang", "nb", "serve"])
            .arg(dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("budsjett serve starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_string();
        let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
        let (port, token) = rest.split_once('/').unwrap();
        Server {
            child,
            port: port.parse().unwrap(),
            token: token.trim_end_matches('/').to_string(),
            url,
            dir: dir.to_path_buf(),
        }
    }

    /// The page's own `Host`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A request to the page's own host, with the token and `route`.
    pub fn get(&self, route: &str) -> Answer {
        let path = format!("/{}/{route}", self.token);
        request(self.port, "GET", &path, &[("Host", &self.host())], b"")
    }

    /// Stops the server from the page and waits for it to end.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let path = format!("/{}/stop", self.token);
        let origin = format!("http://{}", self.host());
        let answer = request(
            self.port,
            "POST",
            &path,
            &[("Host", &self.host()), ("Origin", &origin)],
            b"",
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        let status = wait(&mut self.child, Duration::from_secs(30));
        std::mem::forget(self);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for a process to end, at most `limit` (then it is killed and the test fails).
fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("the server did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An HTTP answer: status, headers (names in lower case) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request over a new connection, read to its end.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    // A server may refuse before reading the whole body: a failed write is no failure.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer: {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let bytes = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
        bytes,
    }
}

/// A `multipart/form-data` body with one file field, and its content type.
pub fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----budsjettTestBoundary7MA4YWxk";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every file under `dir`, as paths relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let path = entry.path();
                out.push(
                    path.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .to_string(),
                );
            }
        }
    }
    out.sort();
    out
}

/// The text of an HTML page's escaped characters, as a browser shows it (the entities an
/// escaping engine writes; `&amp;` last, so that an escaped entity stays an entity).
pub fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}
