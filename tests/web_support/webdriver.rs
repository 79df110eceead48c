//! A small WebDriver client over a socket: enough to start headless Chromium through
//! chromedriver, open a page, find, fill and click elements, read text and take screenshots.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key WebDriver names an element by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether Chromium and ChromeDriver are installed; outside CI a browser test without them
/// says so and passes, under `CI=true` it fails.
pub fn browser_or_skip() -> bool {
    let installed = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .iter()
        .all(|p| Path::new(p).exists());
    if !installed {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true: chromium and chromium-driver must be installed (.ci/run installs them)"
        );
        eprintln!(
            "skipped: chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
    }
    installed
}

/// A headless Chromium driven through chromedriver; both end when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    /// Where Chromium downloads to.
    pub downloads: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let downloads = profile.path().join("downloads");
        std::fs::create_dir_all(&downloads).unwrap();
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            downloads: downloads.clone(),
            _profile: tempfile::tempdir().unwrap(),
        };
        let start = Instant::now();
        while browser.call("GET", "/status", None).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let user_data = format!("--user-data-dir={}", profile.path().join("user").display());
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // The document, not its pictures: a command waits for the page's HTML only (the
            // test fetches the previews itself).
            "pageLoadStrategy": "eager",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--window-size=1100,1400", user_data],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                },
            },
        }}});
        let answer = browser
            .call("POST", "/session", Some(capabilities))
            .expect("a browser session");
        browser.session = answer["sessionId"].as_str().unwrap().to_string();
        browser._profile = profile;
        browser
    }

    /// One WebDriver command; its `value`, or the error it answered.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(180)))
            .unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: the answer ends where its length says.
        let (head, body) = read_answer(&mut stream)?;
        let value: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
        if head.starts_with("HTTP/1.1 200") {
            Ok(value["value"].clone())
        } else {
            Err(value["value"].to_string())
        }
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn open(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The element a CSS selector finds (waiting up to 30 s for it).
    pub fn find(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            let path = format!("/session/{}/element", self.session);
            let found = self.call(
                "POST",
                &path,
                Some(json!({"using": "css selector", "value": css})),
            );
            if let Ok(element) = &found
                && let Some(id) = element[ELEMENT].as_str()
            {
                return id.to_string();
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no element {css}: {found:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.session_call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// Clicks a button that sends a form, and waits until the page it brings has replaced
    /// this one (a new document: its root is another element).
    pub fn submit(&self, css: &str) {
        let old = self.find("html");
        self.click(css);
        let start = Instant::now();
        while self.find("html") == old {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{css} brought no page"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.find("#stop-button");
    }

    /// Types `text` into an element; for a file input, the file's path.
    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Empties a text field.
    pub fn clear(&self, css: &str) {
        let element = self.find(css);
        self.session_call(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
    }

    /// An element's text as the page shows it.
    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        let value = self.session_call("GET", &format!("/element/{element}/text"), None);
        value.as_str().unwrap_or_default().to_string()
    }

    /// Whether the page has an element the selector finds, now.
    pub fn has(&self, css: &str) -> bool {
        let path = format!("/session/{}/element", self.session);
        self.call(
            "POST",
            &path,
            Some(json!({"using": "css selector", "value": css})),
        )
        .is_ok()
    }

    /// Which element has the keyboard's focus: its id.
    pub fn focused_id(&self) -> String {
        let element = self.session_call("GET", "/element/active", None);
        let element = element[ELEMENT].as_str().unwrap().to_string();
        let value = self.session_call("GET", &format!("/element/{element}/attribute/id"), None);
        value.as_str().unwrap_or_default().to_string()
    }

    /// Presses keys on the focused element (WebDriver's key codes, e.g. "\u{E004}" for Tab).
    pub fn keys(&self, keys: &str) {
        let element = self.session_call("GET", "/element/active", None);
        let element = element[ELEMENT].as_str().unwrap().to_string();
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": keys })),
        );
    }

    /// A screenshot of the page, written as PNG to `path`.
    pub fn screenshot(&self, path: &Path) {
        self.save_png("/screenshot", path);
    }

    /// A screenshot of one element (scrolled into view), written as PNG to `path`.
    pub fn element_screenshot(&self, css: &str, path: &Path) {
        let element = self.find(css);
        self.save_png(&format!("/element/{element}/screenshot"), path);
    }

    fn save_png(&self, command: &str, path: &Path) {
        let value = self.session_call("GET", command, None);
        let png = base64(value.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// An HTTP answer's head and body, the body read to its `Content-Length` (or chunked).
fn read_answer(stream: &mut TcpStream) -> Result<(String, String), String> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 65536];
    loop {
        let n = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        raw.extend_from_slice(&buffer[..n]);
        let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            if n == 0 {
                return Err("no answer".into());
            }
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let lower = head.to_ascii_lowercase();
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let body = &raw[split + 4..];
        let complete = match length {
            Some(length) => body.len() >= length,
            None => body.ends_with(b"0\r\n\r\n"),
        };
        if complete || n == 0 {
            let body = String::from_utf8_lossy(body).to_string();
            let body = if length.is_none() {
                unchunk(&body)
            } else {
                body
            };
            return Ok((head, body));
        }
    }
}

/// The body of a chunked HTTP answer.
fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].strip_prefix("\r\n").unwrap_or(&after[size..]);
    }
    out
}

/// Standard base64, decoded.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}
