//! The pages and responses of `serve` that are not files of the output folder:
//! the index, the live-reload script, content types, and the checks of a request's
//! host and path.

use std::path::{Component, PathBuf};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::escape::html as escape;
use crate::i18n::Lang;
use crate::pipeline;

/// True for `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT` (any case; the
/// port may be left out only when it is 80, as browsers do).
pub(super) fn is_loopback_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// `2006-2007.zh.html` → (2006, 2007, zh).
pub(super) fn parse_diff_name(name: &str) -> Option<(i32, i32, Lang)> {
    let stem = name.strip_suffix(".html")?;
    let (years, lang) = stem.rsplit_once('.')?;
    let (a, b) = years.split_once('-')?;
    let year = |t: &str| pipeline::parse_year(t).ok();
    Some((year(a)?, year(b)?, Lang::parse(lang)?))
}

/// The index page. Every name in it is a year or a file name read from the output
/// folder; they are escaped all the same.
pub(super) fn index_page(years: &[String], diffs: &[String]) -> String {
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

/// A URL path as a path inside the output folder: plain names only, no `..`, no
/// hidden files (the temporary files of an atomic write start with a dot).
pub(super) fn safe_relative(path: &str) -> Option<PathBuf> {
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

pub(super) fn html_response(html: String) -> Response {
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

pub(super) fn not_found(path: &str) -> Response {
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
