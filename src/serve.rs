//! `budsjett serve [DIR]`: the page on this computer that takes a finance officer from an
//! export to a PDF without writing configuration. This module owns the HTTP side only: the
//! loopback socket, the token, the `Host`/`Origin` guard ([`guard`]), the routes, uploads and
//! the one lock that keeps two tabs from writing at once. The budget is reached only through
//! the pipeline (`check`, [`Renderer`]) and the report folder is written only atomically
//! ([`crate::write`]): the page is one more front end of the one pipeline, never a second one.
//!
//! The server works inside the report folder (it makes it the process's current folder) with
//! the command line's default paths, `data/report.toml`, `templates` and `output`, so that
//! every file the page writes is where `budsjett check`, `render` and `watch` run in that
//! folder look, and the PDF it offers is the one `budsjett render` there writes, byte for byte.
//!
//! Why `tiny_http` and not axum: the page serves one person on loopback, and every request
//! runs the synchronous pipeline under one lock; a few worker threads are all the concurrency
//! it has. An async runtime would add tokio, hyper and tower to a build whose time CI counts,
//! and `spawn_blocking` around every handler.

mod columns;
mod form;
mod guard;
mod previews;
mod settings;
mod view;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::pipeline::{OutputFormat, RenderOptions, Renderer};
use crate::typeset::PdfSettings;

/// The report configuration, templates and output folder, as the command line's defaults
/// name them inside a report folder.
const CONFIG: &str = "data/report.toml";
const TEMPLATES: &str = "templates";
const OUTPUT: &str = "output";
/// Where uploads are stored, under names the program chooses.
const DATA: &str = "data";
/// Where the page previews are written (`<hash>.png`, [`previews`]); removed when the page
/// stops.
const PREVIEWS: &str = "output/sider";

/// The largest upload taken by default (bytes).
pub const DEFAULT_MAX_UPLOAD: u64 = 64 * 1024 * 1024;
/// Requests handled at once; with the upload limit it bounds the memory uploads take.
const WORKERS: usize = 4;

/// How to serve.
pub struct Options {
    /// The report folder (made if missing).
    pub dir: PathBuf,
    /// The largest upload taken, in bytes.
    pub max_upload: u64,
}

/// What every request handler shares.
struct State {
    /// The secret every request's path starts with (`/<token>/`).
    token: String,
    /// The port the page is served on: `Host` and `Origin` must name it.
    port: u16,
    max_upload: u64,
    /// The folder's one writer: every request that reads or writes the report folder holds
    /// it, so two tabs never interleave their writes.
    folder: Mutex<Folder>,
    /// Set by the page's stop button, Ctrl-C or SIGTERM: the workers finish the request
    /// they answer and the server returns.
    stop: Arc<AtomicBool>,
}

/// What the page keeps between requests.
#[derive(Default)]
struct Folder {
    /// Keeps the typst world between renders and previews, as `watch` does: the folder's
    /// one world.
    renderer: Option<Renderer>,
    /// The page previews, refreshed after every change.
    previews: previews::Previews,
    /// The pages of the last render.
    pages: Option<usize>,
    /// A change was accepted after the last render: the PDF in `output/` is older.
    pdf_behind: bool,
}

impl Folder {
    /// After a change the page accepted: the previews are refreshed, the PDF is behind.
    fn changed(&mut self) {
        self.pdf_behind = true;
        self.refresh();
    }

    /// Lays the report out again in the kept world and draws the pages that changed.
    fn refresh(&mut self) {
        let renderer = self
            .renderer
            .get_or_insert_with(|| Renderer::new(render_options()));
        self.previews.refresh(renderer);
    }
}

/// Serves the page until it is stopped from the page; `ready` is told the address (with the
/// token) once the server listens. Returns what went wrong when it cannot serve at all.
pub fn serve(options: &Options, ready: &mut dyn FnMut(&str)) -> Result<(), String> {
    std::fs::create_dir_all(&options.dir)
        .and_then(|()| std::env::set_current_dir(&options.dir))
        .map_err(|e| {
            let (folder, e) = (options.dir.display(), crate::messages::io_error(&e));
            crate::msg!("serve.cannot_enter", folder, e)
        })?;
    // One server per folder: a second one is refused while this one runs.
    let lock = crate::write::FolderLock::acquire(Path::new(DATA)).map_err(|e| {
        // The lock's own message sends a render elsewhere with --output: a page cannot go.
        if e.message == crate::msg!("write.locked") {
            crate::msg!("serve.folder_busy", folder = options.dir.display())
        } else {
            e.to_string()
        }
    })?;
    let server = Server::http("127.0.0.1:0").map_err(|e| crate::msg!("serve.cannot_listen", e))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| crate::msg!("serve.cannot_listen", e = "?"))?;
    let state = Arc::new(State {
        token: guard::new_token()?,
        port,
        max_upload: options.max_upload,
        folder: Mutex::new(Folder::default()),
        stop: Arc::new(AtomicBool::new(false)),
    });
    stop_on_signals(&state.stop);
    // The previews of a page that was killed go now; a stop removes them.
    let _ = std::fs::remove_dir_all(PREVIEWS);
    ready(&format!("http://127.0.0.1:{port}/{}/", state.token));
    let server = Arc::new(server);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, state) = (Arc::clone(&server), Arc::clone(&state));
            std::thread::spawn(move || work(&server, &state))
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    let _ = std::fs::remove_dir_all(PREVIEWS);
    drop(lock);
    Ok(())
}

/// Ctrl-C (SIGINT, on Windows too) and SIGTERM stop the page as its stop button does: the
/// running request finishes, then the previews and the folder's lock are removed. A second
/// one while it stops ends the process at once (128 + the signal, as the shell reports a
/// killed command), for a person who will not wait for a long render. Where a signal cannot
/// be caught it ends the page as before, and the next start removes the previews it left.
fn stop_on_signals(stop: &Arc<AtomicBool>) {
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The shutdown first: it runs before the flag is set, so only a second signal ends.
        let _ = signal_hook::flag::register_conditional_shutdown(
            signal,
            128 + signal,
            Arc::clone(stop),
        );
        let _ = signal_hook::flag::register(signal, Arc::clone(stop));
    }
}

/// One worker: answers requests until the page asks to stop.
fn work(server: &Server, state: &State) {
    while !state.stop.load(Ordering::SeqCst) {
        if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(200)) {
            answer(state, request);
        }
    }
}

/// A response the handlers make: a page, a file or a redirect.
type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// The routes: the table of contents of the page.
fn answer(state: &State, mut request: Request) {
    let reply = match guard::admit(&request, &state.token, state.port) {
        Err(refusal) => refusal.reply(),
        Ok(route) => {
            let route = route.to_string();
            match (request.method(), route.as_str()) {
                (Method::Get, "") => index(state, None),
                (Method::Post, "upload") => upload(state, &mut request),
                (Method::Post, "columns") => change_columns(state, &mut request),
                (Method::Post, "settings") => change_settings(state, &mut request),
                (Method::Post, "render") => render(state),
                (Method::Get, "report.pdf") => download(state),
                (Method::Get, page) if page.starts_with("side/") => preview(state, page),
                (Method::Post, "stop") => stop(state),
                _ => guard::Refusal::NotFound.reply(),
            }
        }
    };
    let _ = request.respond(with_safety_headers(reply));
}

/// Headers on every answer: nothing from elsewhere is loaded or run, the page is never framed
/// and never cached, and the token in the address never leaves in a `Referer` to another site
/// (`same-origin`: with `no-referrer` a browser sends `Origin: null` on the page's own forms).
fn with_safety_headers(reply: Reply) -> Reply {
    let headers = [
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
        ("X-Frame-Options", "DENY"),
    ];
    headers.into_iter().fold(reply, |reply, (name, value)| {
        reply.with_header(header(name, value))
    })
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        // not a message: the programmer's reason for a header that always parses
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("a valid header")
    })
}

fn html(status: u16, body: String) -> Reply {
    Response::from_data(body.into_bytes())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
}

/// After a change: back to the page (post, redirect, get).
fn back_to_page() -> Reply {
    Response::from_data(Vec::new())
        .with_status_code(303)
        .with_header(header("Location", "./"))
}

/// The folder lock; a handler that panicked while holding it left nothing half-written
/// (every write is atomic), so its poison is ignored.
fn lock(state: &State) -> std::sync::MutexGuard<'_, Folder> {
    state
        .folder
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The page: an upload form in a folder without a report, else the report's columns, totals,
/// problems and PDF. `notice` is a refusal or a result to show at the top.
fn index(state: &State, notice: Option<view::Notice>) -> Reply {
    index_with(state, notice, None)
}

/// The page, with a refused settings form (`settings`) in place of the file's.
fn index_with(
    state: &State,
    notice: Option<view::Notice>,
    settings: Option<settings::Form>,
) -> Reply {
    let folder = lock(state);
    let status = match (&notice, &settings) {
        (Some(view::Notice::Refused(_) | view::Notice::ColumnsRefused(_)), _) | (_, Some(_)) => 400,
        _ => 200,
    };
    let page = view::Page::gather(notice, settings, &folder, state.max_upload);
    match page.render() {
        Ok(body) => html(status, body),
        Err(e) => html(500, view::plain_error(&e)),
    }
}

/// `POST upload`: stores the dropped exports (one or several) in `data/` under names the
/// program chooses and builds a report folder from them, as `budsjett init --from` does.
fn upload(state: &State, request: &mut Request) -> Reply {
    let body = match read_body(request, state.max_upload) {
        Ok(body) => body,
        Err(refusal) => return refusal.reply(),
    };
    let content_type = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_default();
    let result = form::file_parts(&content_type, &body, "export").and_then(|files| {
        let mut folder = lock(state);
        store_exports(&files).inspect(|()| folder.changed())
    });
    match result {
        Ok(()) => back_to_page(),
        Err(message) => index(state, Some(view::Notice::Refused(message))),
    }
}

/// Stores the exports and builds the report from them, a profile each; on a refusal nothing
/// stays behind (all or none). The same file twice (by content, or by the name it would be
/// stored under) is refused, naming both.
fn store_exports(files: &[(String, &[u8])]) -> Result<(), String> {
    if Path::new(CONFIG).exists() {
        return Err(crate::msg!("serve.report_exists"));
    }
    let mut targets: Vec<PathBuf> = Vec::new();
    for (i, (browser_name, bytes)) in files.iter().enumerate() {
        let target = Path::new(DATA).join(form::stored_name(browser_name)?);
        // The browser's name of the first earlier file that is the `same`.
        let earlier = |same: &dyn Fn(usize) -> bool| {
            (0..i)
                .find(|&j| same(j))
                .map(|j| format!("{:?}", files[j].0))
        };
        let second = format!("{browser_name:?}");
        if let Some(first) = earlier(&|j| files[j].1 == *bytes) {
            return Err(crate::msg!("serve.same_export", first, second));
        }
        if let Some(first) = earlier(&|j| targets[j] == target) {
            let stored = target.display();
            return Err(crate::msg!("serve.same_name", first, second, stored));
        }
        if target.exists() {
            return Err(crate::msg!("serve.export_exists", file = target.display()));
        }
        targets.push(target);
    }
    let remove = |targets: &[PathBuf]| {
        for target in targets {
            let _ = std::fs::remove_file(target);
        }
    };
    for (n, (target, (_, bytes))) in targets.iter().zip(files).enumerate() {
        if let Err(e) = crate::write::write_atomically(target, bytes) {
            remove(&targets[..n]);
            return Err(e.to_string());
        }
    }
    // As `init --from` is given them: absolute, so that each profile names its export from
    // `data/`.
    let from: Vec<PathBuf> = targets
        .iter()
        .map(|t| std::path::absolute(t).unwrap_or_else(|_| t.clone()))
        .collect();
    let from: Vec<&Path> = from.iter().map(PathBuf::as_path).collect();
    let created = crate::init::init(&crate::init::Request {
        dir: Path::new("."),
        from: &from,
        sheet: None,
    });
    if created.is_err() {
        remove(&targets);
    }
    created.map(|_| ())
}

/// Reads a request's body, refusing one over `limit` bytes before reading it where its
/// length is declared.
fn read_body(request: &mut Request, limit: u64) -> Result<Vec<u8>, guard::Refusal> {
    if request.body_length().is_some_and(|n| n as u64 > limit) {
        return Err(guard::Refusal::TooLarge(limit));
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|_| guard::Refusal::BadRequest)?;
    if body.len() as u64 > limit {
        return Err(guard::Refusal::TooLarge(limit));
    }
    // A body shorter than its declared length was cut off (the client went away): refused,
    // never read as if it were the whole.
    if request.body_length().is_some_and(|n| n != body.len()) {
        return Err(guard::Refusal::BadRequest);
    }
    Ok(body)
}

/// `POST columns`: the form of the profile (each column's role, the unit) written into the
/// profile once the profile reader accepts it, then the page again with the new totals and
/// problems; a refused form comes back with the message by its field, the file untouched.
fn change_columns(state: &State, request: &mut Request) -> Reply {
    let body = match read_body(request, 1024 * 1024) {
        Ok(body) => body,
        Err(refusal) => return refusal.reply(),
    };
    let fields = form::url_encoded(&body);
    let result = {
        let mut folder = lock(state);
        columns::apply_form(Path::new(CONFIG), &fields).inspect(|()| folder.changed())
    };
    match result {
        Ok(()) => back_to_page(),
        Err(refusal) => index(state, Some(view::Notice::ColumnsRefused(refusal))),
    }
}

/// `POST settings`: the report settings form written into `report.toml` once the command
/// line's reader accepts it; a refused form comes back with the message next to its field
/// and the file untouched.
fn change_settings(state: &State, request: &mut Request) -> Reply {
    let body = match read_body(request, 1024 * 1024) {
        Ok(body) => body,
        Err(refusal) => return refusal.reply(),
    };
    let fields = form::url_encoded(&body);
    let result = {
        let mut folder = lock(state);
        settings::apply_form(Path::new(CONFIG), Path::new(TEMPLATES), &fields)
            .inspect(|()| folder.changed())
    };
    match result {
        Ok(()) => {
            let saved = view::Notice::Done(crate::msg!("serve.settings_saved"));
            index(state, Some(saved))
        }
        Err(form) => index_with(state, None, Some(*form)),
    }
}

/// The render options of `budsjett render` run in the report folder with no options.
fn render_options() -> RenderOptions {
    RenderOptions {
        config: PathBuf::from(CONFIG),
        templates: PathBuf::from(TEMPLATES),
        output: PathBuf::from(OUTPUT),
        format: OutputFormat::Pdf,
        pdf: PdfSettings {
            tagged: true,
            standards: vec![typst_pdf::PdfStandard::A_2a, typst_pdf::PdfStandard::Ua_1],
        },
        keep_source: false,
    }
}

/// `POST render`: the page previews refreshed (the files may have changed outside the
/// page), then the PDF rendered into `output/` as `budsjett render` does, from the report the
/// previews just read and laid out (the renderer keeps it while the files are byte for byte
/// the same, and the kept world reuses the layout).
fn render(state: &State) -> Reply {
    let result = {
        let mut folder = lock(state);
        folder.refresh();
        let renderer = folder
            .renderer
            .get_or_insert_with(|| Renderer::new(render_options()));
        let result = renderer.render(&|_| {});
        if let Ok(rendered) = &result {
            folder.pages = Some(rendered.pages);
            folder.pdf_behind = false;
        }
        result
    };
    match result {
        Ok(rendered) => {
            let n = rendered.pages;
            index(
                state,
                Some(view::Notice::Done(crate::msg!("serve.rendered", n))),
            )
        }
        Err(e) => index(state, Some(view::Notice::Refused(e.to_string()))),
    }
}

/// `GET side/<name>.png`: a page preview, by the name the page gave it (a hash of the page:
/// an address never shows an older image; never a path from the browser).
fn preview(state: &State, route: &str) -> Reply {
    let _folder = lock(state);
    let path = route
        .strip_prefix("side/")
        .and_then(|r| r.strip_suffix(".png"))
        .and_then(previews::path_of);
    let Some(path) = path else {
        return guard::Refusal::NotFound.reply();
    };
    match crate::input::read(&path) {
        Ok(bytes) => Response::from_data(bytes).with_header(header("Content-Type", "image/png")),
        Err(_) => guard::Refusal::NotFound.reply(),
    }
}

/// `GET report.pdf`: the PDF the last render wrote, named by the report configuration (never
/// by the browser).
fn download(state: &State) -> Reply {
    let _folder = lock(state);
    let Some(name) = view::report_name(Path::new(CONFIG)) else {
        return guard::Refusal::NotFound.reply();
    };
    let path = Path::new(OUTPUT).join(format!("{name}.pdf"));
    match crate::input::read(&path) {
        Ok(bytes) => Response::from_data(bytes)
            .with_header(header("Content-Type", "application/pdf"))
            .with_header(header("Content-Disposition", &attachment(&name))),
        Err(_) => guard::Refusal::NotFound.reply(),
    }
}

/// The `Content-Disposition` of the PDF `<name>.pdf`: a name with letters beyond ASCII
/// (`bærum-2026`) as RFC 6266's UTF-8 form, since a header is ASCII.
fn attachment(name: &str) -> String {
    if name.is_ascii() {
        return format!("attachment; filename=\"{name}.pdf\"");
    }
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename*=UTF-8''{encoded}.pdf")
}

/// `POST stop`: the workers finish their requests and the server returns, removing the
/// previews and letting go of the folder's lock.
fn stop(state: &State) -> Reply {
    state.stop.store(true, Ordering::SeqCst);
    html(200, view::stopped_page())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_name_beyond_ascii_is_sent_in_its_utf8_form() {
        assert_eq!(
            attachment("oslo-2026"),
            "attachment; filename=\"oslo-2026.pdf\""
        );
        assert_eq!(
            attachment("bærum"),
            "attachment; filename*=UTF-8''b%C3%A6rum.pdf"
        );
    }
}
