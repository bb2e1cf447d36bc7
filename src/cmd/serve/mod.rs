//! `nianbao serve`: live preview. Builds every year into `output/`, serves that
//! folder on 127.0.0.1, watches the inputs and, on each save, rebuilds the years
//! the save changed ([`rebuild`]).
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
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tokio::sync::watch;

use super::CmdError;
use super::watch::Watch;
use crate::cli::ServeArgs;
use crate::diag;
use crate::diff;
use crate::escape::html as escape;

mod pages;
mod rebuild;

use pages::{
    content_type, html_response, index_page, inject, is_loopback_host, not_found, parse_diff_name,
    safe_relative,
};
use rebuild::Rebuilder;

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
    let mut rebuilder = Rebuilder::start(root, &out_dir, status_tx, quiet);
    let mut watcher = match Watch::start(root) {
        Ok(w) => w,
        Err(e) => return Err(CmdError::io(format!("{e:#}"))),
    };
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    {
        let shutdown = shutdown_rx.clone();
        // The watch loop wakes up now and then to notice the shutdown.
        std::thread::spawn(move || {
            while !*shutdown.borrow() {
                match watcher.next_change(Duration::from_millis(250)) {
                    Ok(changed) if changed.is_empty() => {}
                    Ok(changed) => rebuilder.changed(&changed),
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
