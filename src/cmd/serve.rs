//! `nianbao serve`: live preview. Builds every year into `output/`, serves that
//! folder on 127.0.0.1, watches the inputs and rebuilds on every save.
//!
//! The shape follows mdBook's `serve`: the HTTP server (axum on a single-threaded
//! tokio runtime) runs on the main thread, the watcher and the rebuilds on a plain
//! thread, so a slow rebuild never stalls a request. The two share one
//! [`tokio::sync::watch`] channel holding the latest [`Status`]: a generation number
//! that moves on every good build, and the diagnostics of the last build when it
//! failed. Pages are told over server-sent events; a small script, added to HTML
//! responses only (the files on disk stay script-free), reloads the page when the
//! generation moves and shows a failed build's diagnostics in an overlay, as zola
//! does. A failed build writes nothing, so the last good pages stay served.

use std::convert::Infallible;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tokio::sync::watch;

use super::build::{self, Failure};
use super::watch::Watch;
use super::{CmdError, print_diagnostics};
use crate::cli::ServeArgs;
use crate::diag;
use crate::escape::html as escape;
use crate::i18n::Lang;
use crate::pipeline::{self, Years};

use crate::diff;

/// The largest file served from the output folder.
const MAX_SERVED: u64 = 1024 * 1024 * 1024;

/// What the pages are told after each build.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Status {
    /// Moves by one on every build that wrote its files; 0 before the first.
    pub generation: u64,
    /// The diagnostics of the last build, as plain text, when it failed.
    pub error: Option<String>,
}

/// What the request handlers share.
#[derive(Clone)]
struct AppState {
    root: Arc<PathBuf>,
    out_dir: Arc<PathBuf>,
    status: watch::Receiver<Status>,
    shutdown: watch::Receiver<bool>,
    /// The port served, for the Host check.
    port: u16,
    /// Diff pages made for the current generation, and the one permit to make one.
    diffs: Arc<DiffCache>,
}

/// The diff pages made so far, each with the build generation it was made in: a
/// page is made once per generation, however many ask for it, and one at a time
/// (200 requests at once made 200 pages at once: 1.9 GB).
struct DiffCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, (u64, StatusCode, String)>>,
    making: tokio::sync::Semaphore,
}

/// The most diff pages kept; a new generation drops the others anyway.
const MAX_CACHED_DIFFS: usize = 32;

impl DiffCache {
    fn new() -> Self {
        DiffCache {
            pages: Default::default(),
            making: tokio::sync::Semaphore::new(1),
        }
    }

    fn get(&self, name: &str, generation: u64) -> Option<(StatusCode, String)> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.get(name) {
            Some((g, code, page)) if *g == generation => Some((*code, page.clone())),
            _ => None,
        }
    }

    fn put(&self, name: &str, generation: u64, code: StatusCode, page: &str) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|_, (g, _, _)| *g == generation);
        if pages.len() >= MAX_CACHED_DIFFS {
            pages.clear();
        }
        pages.insert(name.to_string(), (generation, code, page.to_string()));
    }
}

/// Runs `serve`.
pub fn run(root: &Path, args: &ServeArgs, quiet: bool) -> Result<(), CmdError> {
    if !root.join("nianbao.toml").is_file() {
        return Err(CmdError::usage(format!(
            "{} is not a nianbao project: it has no nianbao.toml (create one with `nianbao init DIR`)",
            root.display()
        )));
    }
    // Bind first, so that a taken port fails at once, before any build.
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            return Err(CmdError::usage(format!(
                "port {} on 127.0.0.1 is already in use (another `nianbao serve`?); choose another with --port",
                args.port
            )));
        }
        Err(e) => {
            return Err(CmdError::io(format!(
                "cannot listen on 127.0.0.1:{}: {e}",
                args.port
            )));
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            return Err(CmdError::io(format!(
                "cannot listen on 127.0.0.1:{}: {e}",
                args.port
            )));
        }
    };
    let out_dir = root.join("output");

    let (status_tx, status_rx) = watch::channel(Status::default());
    rebuild(root, &out_dir, &status_tx, quiet, &[]);
    let mut watcher = match Watch::start(root) {
        Ok(w) => w,
        Err(e) => return Err(CmdError::io(format!("{e:#}"))),
    };
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    {
        let root = root.to_path_buf();
        let out_dir = out_dir.clone();
        let shutdown = shutdown_rx.clone();
        // The watch loop wakes up now and then to notice the shutdown.
        std::thread::spawn(move || {
            while !*shutdown.borrow() {
                match watcher.next_change(Duration::from_millis(250)) {
                    Ok(changed) if changed.is_empty() => {}
                    Ok(changed) => rebuild(&root, &out_dir, &status_tx, quiet, &changed),
                    Err(_) => break,
                }
            }
        });
    }

    let url = format!("http://{addr}/");
    out!("serving {} at {url} (Ctrl-C to stop)", out_dir.display());
    if args.open {
        open_browser(&url);
    }
    let state = AppState {
        root: Arc::new(root.to_path_buf()),
        out_dir: Arc::new(out_dir),
        status: status_rx,
        shutdown: shutdown_rx,
        port: addr.port(),
        diffs: Arc::new(DiffCache::new()),
    };
    let served = serve(listener, state, shutdown_tx);
    // A rebuild may be writing: stop it and remove what it was making.
    crate::write::abandon();
    match served {
        Ok(()) => {
            if !quiet {
                say!("stopped");
            }
            Ok(())
        }
        Err(e) => Err(CmdError::io(format!("the server stopped: {e:#}"))),
    }
}

/// Serves until Ctrl-C (or SIGTERM), then tells the event streams and the watch
/// loop to end and waits for open requests to finish.
fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: watch::Sender<bool>,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new()
            .route("/", get(index))
            .route("/__nianbao/events", get(events))
            .route("/__nianbao/status", get(status))
            .route("/diff/{name}", get(diff_page))
            .route("/{*path}", get(file))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                loopback_only,
            ))
            .with_state(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                super::stop_signal().await;
                let _ = shutdown.send(true);
            })
            .await?;
        Ok(())
    })
}

/// Builds every year into `out_dir` and publishes the result. On failure the
/// previous output stays (a failed build writes nothing), the diagnostics go to
/// the terminal and, as plain text, to the open pages.
fn rebuild(
    root: &Path,
    out_dir: &Path,
    status: &watch::Sender<Status>,
    quiet: bool,
    changed: &[PathBuf],
) {
    if !quiet && !changed.is_empty() {
        let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        say!("changed: {}", names.join(", "));
    }
    let started = Instant::now();
    let progress = build::progress_bar(quiet);
    let result = build::build_into(root, &Years::All, out_dir, &progress, quiet);
    progress.finish_and_clear();
    let elapsed = started.elapsed().as_millis();
    match result {
        Ok(built) => {
            print_diagnostics(&built.run.diags, &built.run.sources, quiet);
            if !quiet {
                let years: Vec<String> = built.written.iter().map(|(y, _)| y.to_string()).collect();
                say!("built {} in {elapsed} ms", years.join(", "));
            }
            status.send_modify(|s| {
                s.generation += 1;
                s.error = None;
            });
        }
        Err(failure) => {
            let mut summary = String::new();
            let text = match &failure {
                Failure::Request(e) | Failure::Io(e) => {
                    say!("error: {e}");
                    format!("error: {e}\n")
                }
                Failure::Data(run) => {
                    // The terminal gets every diagnostic (in colour on a tty); the page
                    // gets the errors, without colour codes.
                    print_diagnostics(&run.diags, &run.sources, quiet);
                    let mut text = diag::render_list(&run.diags, &run.sources, true, false);
                    summary = format!(" with {}", diag::summary_line(&run.diags, &run.sources));
                    text.push_str(summary.trim_start_matches(" with "));
                    text.push('\n');
                    text
                }
            };
            if changed.is_empty() {
                say!("build failed{summary}; serving what output/ holds until a save fixes it");
            } else {
                say!(
                    "rebuild failed{summary} after {elapsed} ms; still serving the last good build"
                );
            }
            status.send_modify(|s| s.error = Some(text));
        }
    }
}

/// Opens the browser, in the background; a machine without one is no error.
fn open_browser(url: &str) {
    let url = url.to_string();
    std::thread::spawn(move || {
        if let Err(e) = open::that_detached(&url) {
            say!("note: could not open a browser ({e}); open {url} yourself");
        }
    });
}

/// `GET /`: the years built, with a link to each output file.
async fn index(State(state): State<AppState>) -> Response {
    // The years of data/ that have a built report: a year removed from data/ is
    // not offered (with a diff that could only fail), though its old folder stays.
    let years: Vec<String> = crate::load::list_years(&state.root)
        .into_iter()
        .map(|y| y.to_string())
        .filter(|y| state.out_dir.join(y).join("report.html").is_file())
        .collect();
    // Each pair of consecutive built years has a diff page in each language,
    // made on request from the current data (see `diff_page`).
    let diffs: Vec<String> = years
        .windows(2)
        .flat_map(|pair| ["zh", "en"].map(|lang| format!("{}-{}.{lang}.html", pair[0], pair[1])))
        .collect();
    let generation = state.status.borrow().generation;
    let html = index_page(&years, &diffs);
    html_response(inject(&html, generation))
}

/// `GET /diff/2006-2007.en.html`: the `nianbao diff --format html` page of two
/// years, made from the data as it is now; nothing is written to disk. Made once
/// per build generation and one at a time ([`DiffCache`]).
async fn diff_page(State(state): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let Some((from, to, lang)) = parse_diff_name(&name) else {
        return not_found(&format!("diff/{name}"));
    };
    let generation = state.status.borrow().generation;
    let cached = |state: &AppState| {
        state.diffs.get(&name, generation).map(|(code, page)| {
            let mut response = html_response(inject(&page, generation));
            *response.status_mut() = code;
            response
        })
    };
    if let Some(response) = cached(&state) {
        return response;
    }
    let Ok(_permit) = state.diffs.making.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    // Made by the request before this one while this one waited.
    if let Some(response) = cached(&state) {
        return response;
    }
    let root = state.root.clone();
    let made = tokio::task::spawn_blocking(move || {
        diff::produce(&root, from, to, diff::Format::Html, lang, false)
    })
    .await;
    let (code, page) = match made {
        Ok(Ok(html)) => (StatusCode::OK, html),
        Ok(Err(failure)) => {
            let text = match failure {
                diff::Failure::Usage(text) => text,
                diff::Failure::Data(failed) => {
                    let (diags, sources) = *failed;
                    diag::render_list(&diags, &sources, true, false)
                }
            };
            let page = format!(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <title>diff {from}–{to}</title>\n</head>\n<body>\n<pre>{}</pre>\n</body>\n</html>\n",
                escape(&text)
            );
            (StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    state.diffs.put(&name, generation, code, &page);
    let mut response = html_response(inject(&page, generation));
    *response.status_mut() = code;
    response
}

/// Answers only requests addressed to the loopback server itself: a page of
/// another site whose name was made to resolve to 127.0.0.1 (DNS rebinding)
/// sends its own name as Host, and gets 421 rather than the reports.
async fn loopback_only(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if host.is_some_and(|h| is_loopback_host(h, state.port)) {
        return next.run(request).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        format!(
            "nianbao serve answers only http://127.0.0.1:{0}/ and http://localhost:{0}/\n",
            state.port
        ),
    )
        .into_response()
}

/// True for `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT` (any case; the
/// port may be left out only when it is 80, as browsers do).
fn is_loopback_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// `2006-2007.zh.html` → (2006, 2007, zh).
fn parse_diff_name(name: &str) -> Option<(i32, i32, Lang)> {
    let stem = name.strip_suffix(".html")?;
    let (years, lang) = stem.rsplit_once('.')?;
    let (a, b) = years.split_once('-')?;
    let year = |t: &str| pipeline::parse_year(t).ok();
    Some((year(a)?, year(b)?, Lang::parse(lang)?))
}

/// The index page. Every name in it is a year or a file name read from the output
/// folder; they are escaped all the same.
fn index_page(years: &[String], diffs: &[String]) -> String {
    let mut body = String::new();
    if years.is_empty() {
        body.push_str("<p>Nothing is built yet. 尚未生成任何报告。</p>\n");
    } else {
        body.push_str("<ul class=\"years\">\n");
        for y in years {
            let y = escape(y);
            // The official documents and the workbook download (`download`):
            // a browser has nothing to show of them.
            body.push_str(&format!(
                "<li><a class=\"year\" href=\"/{y}/report.html\">{y}</a> \
                 <a href=\"/{y}/report.zh.docx\" download>report.zh.docx</a> \
                 <a href=\"/{y}/report.en.docx\" download>report.en.docx</a> \
                 <a href=\"/{y}/report.zh.md\">report.zh.md</a> \
                 <a href=\"/{y}/report.en.md\">report.en.md</a> \
                 <a href=\"/{y}/metrics.xlsx\" download>metrics.xlsx</a> \
                 <a href=\"/{y}/metrics.json\">metrics.json</a> \
                 <a href=\"/{y}/metrics.csv\">metrics.csv</a></li>\n"
            ));
        }
        body.push_str("</ul>\n");
    }
    if !diffs.is_empty() {
        body.push_str("<h2>Diffs 年度对比</h2>\n<ul>\n");
        for d in diffs {
            let d = escape(d);
            body.push_str(&format!("<li><a href=\"/diff/{d}\">{d}</a></li>\n"));
        }
        body.push_str("</ul>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>nianbao serve</title>\n<style>\n\
         body {{ font-family: system-ui, \"Noto Sans CJK SC\", sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }}\n\
         li {{ margin: .5rem 0; }} a {{ margin-right: .6rem; }} a.year {{ font-weight: bold; }}\n\
         </style>\n</head>\n<body>\n<h1>Reports 年度报告</h1>\n{body}</body>\n</html>\n"
    )
}

/// `GET /__nianbao/status`: the latest [`Status`] as JSON (for scripts and tests).
async fn status(State(state): State<AppState>) -> Response {
    let body = serde_json::to_string(&*state.status.borrow()).unwrap_or_default();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// `GET /__nianbao/events`: the current [`Status`] at once, then each new one, as
/// `status` events; the stream ends when the server stops, so that shutdown does
/// not wait for open pages.
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let statuses =
        futures_util::stream::unfold((state.status, true), |(mut rx, first)| async move {
            if !first && rx.changed().await.is_err() {
                return None;
            }
            let data = serde_json::to_string(&*rx.borrow_and_update()).unwrap_or_default();
            Some((Ok(Event::default().event("status").data(data)), (rx, false)))
        });
    let mut shutdown = state.shutdown;
    let stop = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    Sse::new(statuses.take_until(stop)).keep_alive(KeepAlive::default())
}

/// `GET /<path>`: a file of the output folder; HTML gets the live-reload script.
async fn file(State(state): State<AppState>, UrlPath(path): UrlPath<String>) -> Response {
    let Some(rel) = safe_relative(&path) else {
        return not_found(&path);
    };
    let full = state.out_dir.join(&rel);
    if full.is_dir() {
        // `/2006` or `/2006/`: the report is what one wants there.
        let target = format!("/{}/report.html", path.trim_end_matches('/'));
        return Redirect::temporary(&target).into_response();
    }
    // Regular files only: a FIFO or a link to a device in the output folder must
    // not hang or swamp the server.
    let read = {
        let full = full.clone();
        tokio::task::spawn_blocking(move || crate::fs::read_regular(&full, MAX_SERVED)).await
    };
    let Ok(Ok(bytes)) = read else {
        return not_found(&path);
    };
    let ext = full.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "html" || ext == "htm" {
        let generation = state.status.borrow().generation;
        let text = String::from_utf8_lossy(&bytes);
        return html_response(inject(&text, generation));
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(ext)),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// A URL path as a path inside the output folder: plain names only, no `..`, no
/// hidden files (the temporary files of an atomic write start with a dot).
fn safe_relative(path: &str) -> Option<PathBuf> {
    let rel = PathBuf::from(path.trim_end_matches('/'));
    let plain = rel.components().all(|c| match c {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    (plain && rel.components().next().is_some()).then_some(rel)
}

/// The content type of an output file, by extension.
pub fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "css" => "text/css; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn html_response(html: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        html,
    )
        .into_response()
}

fn not_found(path: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        format!("not found: /{path}\nsee / for the list of reports\n"),
    )
        .into_response()
}

/// The script added to every served HTML page: it follows the event stream, shows
/// a failed build's diagnostics in an overlay (as text: `textContent` escapes
/// everything) and reloads the page when a newer build is out. `GENERATION` is the
/// build the page came from.
const LIVE_RELOAD: &str = r#"<script id="nianbao-live-reload">
(function () {
  "use strict";
  var generation = GENERATION;
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "nianbao-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,24,33,.97);color:#f3f4f6;padding:2rem;font:14px/1.5 ui-monospace,Menlo,Consolas,'Noto Sans Mono CJK SC',monospace";
      var head = document.createElement("p");
      head.style.cssText = "margin:0 0 1rem;color:#fca5a5;font-weight:bold";
      head.textContent = "nianbao: the last save does not build. The page below is the last good build; fix the error and save again.";
      var close = document.createElement("button");
      close.textContent = "×";
      close.title = "hide";
      close.style.cssText = "position:absolute;top:1rem;right:1rem;font-size:1.5rem;background:none;border:0;color:inherit;cursor:pointer";
      close.onclick = function () { overlay.style.display = "none"; };
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(close);
      overlay.appendChild(head);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.style.display = "block";
    overlay.lastChild.textContent = text;
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  var source = new EventSource("/__nianbao/events");
  source.addEventListener("status", function (event) {
    var status = JSON.parse(event.data);
    if (status.error) { show(status.error); return; }
    hide();
    if (status.generation !== generation) { location.reload(); }
  });
})();
</script>
"#;

/// Adds the live-reload script before `</body>` (or at the end).
pub fn inject(html: &str, generation: u64) -> String {
    let script = LIVE_RELOAD.replace("GENERATION", &generation.to_string());
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = inject("<html><body><p>x</p></body></html>", 7);
        let at_script = page.find("nianbao-live-reload").unwrap();
        assert!(at_script > page.find("<p>x</p>").unwrap());
        assert!(page.ends_with("</body></html>"));
        assert!(page.contains("var generation = 7;"));
    }

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        assert!(safe_relative("../secret").is_none());
        assert!(safe_relative("2006/../../x").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("2006/.nianbao-1.tmp").is_none());
        assert_eq!(
            safe_relative("2006/report.html"),
            Some(PathBuf::from("2006/report.html"))
        );
    }

    #[test]
    fn only_loopback_hosts_with_the_port_are_answered() {
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
        ] {
            assert!(is_loopback_host(ok, 3000), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "127.0.0.1",
            "127.0.0.1:3001",
            "localhost.evil:3000",
            "",
            "[::1]",
        ] {
            assert!(!is_loopback_host(bad, 3000), "{bad}");
        }
        assert!(is_loopback_host("localhost", 80));
    }

    #[test]
    fn markdown_is_served_as_utf8_markdown() {
        assert_eq!(content_type("md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("html"), "text/html; charset=utf-8");
    }
}
