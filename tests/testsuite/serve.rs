//! `nianbao serve`: a real server on a free loopback port, driven over HTTP.
//! Every wait polls with a deadline; the server is killed when a test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Project, run};

/// How long any one wait may take before the test fails (a rebuild takes tens of
/// milliseconds; this is for a loaded CI machine).
const DEADLINE: Duration = Duration::from_secs(30);

/// A free port on 127.0.0.1: bind port 0, read the port the system chose, let it go.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A running `nianbao serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
    stderr: PathBuf,
}

impl Server {
    fn start(p: &Project) -> Server {
        let port = free_port();
        let stderr = p.path().join("serve.stderr");
        let child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .env("NO_COLOR", "1")
            .arg("--root")
            .arg(p.path())
            .args(["serve", "--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server {
            child,
            port,
            stderr,
        };
        server.wait_for("the first build", |s| {
            s.status().filter(|st| st["generation"].as_u64() >= Some(1))
        });
        server
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// `GET path` → (status code, headers, body), or None when nothing answers.
    fn get(&self, path: &str) -> Option<(u16, String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(DEADLINE)).ok()?;
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        )
        .ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n")?;
        let code = head.split_whitespace().nth(1)?.parse().ok()?;
        Some((code, head.to_ascii_lowercase(), body.to_string()))
    }

    fn body(&self, path: &str) -> String {
        match self.get(path) {
            Some((200, _, body)) => body,
            other => panic!("GET {path}: {other:?}\n{}", self.stderr()),
        }
    }

    fn status(&self) -> Option<serde_json::Value> {
        let (code, _, body) = self.get("/__nianbao/status")?;
        (code == 200).then(|| serde_json::from_str(&body).ok())?
    }

    /// Polls `check` until it gives a value, failing the test at the deadline.
    fn wait_for<T>(&mut self, what: &str, mut check: impl FnMut(&Server) -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = check(self) {
                return v;
            }
            if let Ok(Some(exit)) = self.child.try_wait() {
                panic!(
                    "serve exited ({exit}) waiting for {what}:\n{}",
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_rebuilds_after_a_save_and_recovers_from_a_broken_one() {
    let p = Project::from_fixture("minimal");
    let mut server = Server::start(&p);
    let first = server.status().unwrap()["generation"].as_u64().unwrap();

    // The output is served with the right types; HTML gets the reload script, the
    // files on disk do not.
    let (code, head, md) = server.get("/2020/report.en.md").unwrap();
    assert_eq!(code, 200);
    assert!(
        head.contains("content-type: text/markdown; charset=utf-8"),
        "{head}"
    );
    assert!(md.contains("| People | 200,000 persons |"), "{md}");
    let (_, head, _) = server.get("/2020/metrics.json").unwrap();
    assert!(head.contains("content-type: application/json"), "{head}");
    let page = server.body("/2020/report.html");
    assert!(page.contains("nianbao-live-reload"), "{page}");
    assert!(page.contains("EventSource"));
    assert!(!p.read("output/2020/report.html").contains("<script"));
    assert!(server.body("/").contains("href=\"/2020/report.html\""));

    // A save rebuilds: the served page and the file on disk change.
    p.replace("data/2020/figures.toml", "whole = 200", "whole = 300");
    // (The files are written before the new generation is announced: wait for both.)
    let second = server.wait_for("the rebuild after a save", |s| {
        s.status()
            .filter(|st| st["generation"].as_u64() > Some(first))
    });
    assert!(second["error"].is_null(), "{second}");
    assert!(
        server
            .body("/2020/report.en.md")
            .contains("| People | 300,000 persons |")
    );
    assert!(
        p.read("output/2020/report.en.md")
            .contains("300,000 persons")
    );

    // A broken template: the error is published (plain text, located), the last
    // good pages stay served, the terminal shows it too.
    p.write("templates/partials/indicators.md", "## {{ t.indicators }\n");
    let error = server.wait_for("the error of a broken save", |s| {
        s.status()
            .and_then(|st| st["error"].as_str().map(str::to_string))
    });
    assert!(error.contains("partials/indicators.md"), "{error}");
    assert!(
        !error.contains('\u{1b}'),
        "no colour codes in the page: {error}"
    );
    assert!(
        server
            .body("/2020/report.en.md")
            .contains("| People | 300,000 persons |"),
        "the last good build is still served"
    );
    assert!(
        server.stderr().contains("rebuild failed"),
        "{}",
        server.stderr()
    );

    // The next good save recovers.
    p.write(
        "templates/partials/indicators.md",
        "## {{ t.indicators }}\n\nEdited: {{ m.people }}.\n",
    );
    server.wait_for("recovery after a good save", |s| {
        let st = s.status()?;
        (st["error"].is_null()
            && s.body("/2020/report.en.md")
                .contains("Edited: 300,000 persons."))
        .then_some(())
    });
}

#[test]
fn open_pages_are_told_of_each_build_over_server_sent_events() {
    let p = Project::from_fixture("minimal");
    let server = Server::start(&p);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        stream,
        "GET /__nianbao/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut lines = BufReader::new(stream).lines();
    let mut next_status = || -> serde_json::Value {
        loop {
            let line = lines.next().expect("the stream ended").expect("read");
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data).unwrap();
            }
        }
    };
    // At once: the current state.
    let now = next_status();
    assert_eq!(now["generation"], 1, "{now}");
    // After a save: the next generation.
    p.replace("data/2020/figures.toml", "part = 57", "part = 58");
    let next = next_status();
    assert_eq!(next["generation"], 2, "{next}");
    assert!(next["error"].is_null());
}

#[test]
fn paths_outside_the_output_folder_are_not_served() {
    let p = Project::from_fixture("minimal");
    let server = Server::start(&p);
    for path in [
        "/%2e%2e/nianbao.toml",
        "/2020/%2e%2e/%2e%2e/nianbao.toml",
        "/nope.html",
    ] {
        let (code, _, _) = server.get(path).unwrap();
        assert_eq!(code, 404, "{path}");
    }
    let (code, head, _) = server.get("/2020/").unwrap();
    assert_eq!(code, 307);
    assert!(head.contains("location: /2020/report.html"), "{head}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let p = Project::from_fixture("minimal");
    let mut server = Server::start(&p);
    let killed = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < DEADLINE, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
}

#[test]
fn a_port_in_use_is_a_clear_usage_error() {
    let p = Project::from_fixture("minimal");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (code, _, stderr) = run(&mut p.cmd(&["serve", "--port", &port]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    assert!(
        !p.path().join("output").exists(),
        "nothing is built when the port is taken"
    );
}

#[test]
fn diff_pages_of_consecutive_years_are_served_and_listed() {
    let p = Project::example();
    let server = Server::start(&p);
    let index = server.body("/");
    assert!(index.contains("/diff/2006-2007.en.html"), "{index}");
    assert!(index.contains("/diff/2006-2007.zh.html"), "{index}");
    // The official documents and the workbook are there to download.
    for file in ["report.zh.docx", "report.en.docx", "metrics.xlsx"] {
        assert!(
            index.contains(&format!("<a href=\"/2007/{file}\" download>")),
            "{index}"
        );
    }
    let (code, head, _) = server.get("/2006/report.zh.docx").unwrap();
    assert_eq!(code, 200);
    assert!(
        head.contains("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "{head}"
    );
    let page = server.body("/diff/2006-2007.en.html");
    assert!(page.contains("Policy compliance rate"), "{page}");
    assert!(page.contains("+0.72 pp"), "{page}");
    assert!(
        page.contains("/__nianbao/events"),
        "the page reloads itself"
    );
    let zh = server.body("/diff/2006-2007.zh.html");
    assert!(zh.contains("提高0.72个百分点"), "{zh}");
    // Nothing is written for them.
    assert!(!p.path().join("output/diff").exists());
    let (code, _, body) = server.get("/diff/2006-2099.en.html").unwrap();
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("there is no year 2099"), "{body}");
    let (code, _, _) = server.get("/diff/nonsense.html").unwrap();
    assert_eq!(code, 404);
}

/// `GET path` with the Host header given (or none), → the status code.
fn get_with_host(port: u16, path: &str, host: Option<&str>) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\n{host}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    raw.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Issue 11, item 15: any Host was answered, so a page of another site whose
/// name was made to resolve to 127.0.0.1 (DNS rebinding) could read the reports.
#[test]
fn issue11_only_requests_to_the_loopback_host_are_answered() {
    let p = Project::from_fixture("minimal");
    let server = Server::start(&p);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(
            get_with_host(port, "/2020/report.html", Some(&host)),
            200,
            "{host}"
        );
    }
    for host in [
        Some(format!("evil.example:{port}")),
        Some("127.0.0.1:1".into()),
        None,
    ] {
        for path in [
            "/",
            "/2020/report.html",
            "/__nianbao/status",
            "/diff/2020-2021.en.html",
        ] {
            assert_eq!(
                get_with_host(port, path, host.as_deref()),
                421,
                "{host:?} {path}"
            );
        }
    }
}

/// The peak memory of a process, from /proc (Linux), in kB.
fn peak_memory_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Issue 11, item 16: every request for a diff page made the page afresh, all at
/// once (200 at once took the server to 1.9 GB). A page is made once per build
/// generation, one at a time; the others wait for it and get the same page.
#[test]
fn issue11_diff_pages_are_made_once_and_one_at_a_time() {
    let p = Project::example();
    let server = Server::start(&p);
    let pages: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..100)
            .map(|i| {
                let server = &server;
                scope.spawn(move || {
                    let lang = if i % 2 == 0 { "en" } else { "zh" };
                    server.body(&format!("/diff/2006-2007.{lang}.html"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(pages.iter().step_by(2).all(|page| *page == pages[0]));
    assert!(
        pages
            .iter()
            .skip(1)
            .step_by(2)
            .all(|page| *page == pages[1])
    );
    assert!(pages[0].contains("+0.72 pp"));
    if let Some(kb) = peak_memory_kb(server.child.id()) {
        assert!(kb < 600 * 1024, "serve peaked at {} MB", kb / 1024);
    }
}

/// Issue 11, item 17: a year removed from data/ stayed on the index (its output
/// folder remains), with a diff link that could only answer 422.
#[test]
fn issue11_a_removed_year_leaves_the_index() {
    let p = Project::from_fixture("years");
    let mut server = Server::start(&p);
    let index = server.body("/");
    assert!(index.contains("/diff/2020-2021.en.html"), "{index}");
    std::fs::remove_dir_all(p.path().join("data/2020")).unwrap();
    server.wait_for("the rebuild without 2020", |s| {
        s.status().filter(|st| st["generation"].as_u64() >= Some(2))
    });
    let index = server.body("/");
    assert!(!index.contains("href=\"/2020/report.html\""), "{index}");
    assert!(!index.contains("/diff/2020-2021"), "{index}");
    assert!(index.contains("href=\"/2021/report.html\""), "{index}");
}

/// Issue 11, item 1: a flat formula of about 2,000 terms overflowed the smaller
/// stack of serve's rebuild thread and killed the server.
#[test]
fn issue11_a_long_formula_saved_while_serving_rebuilds() {
    let p = Project::from_fixture("minimal");
    let mut server = Server::start(&p);
    let metrics = p.read("data/metrics.toml");
    let formula = vec!["counts.part"; 50_000].join(" + ");
    p.write(
        "data/metrics.toml",
        &format!(
            "{metrics}\n[metrics.long]\nzh = \"长\"\nen = \"Long\"\nformula = \"{formula}\"\n"
        ),
    );
    server.wait_for("the rebuild with the long formula", |s| {
        s.status().filter(|st| st["generation"].as_u64() >= Some(2))
    });
    let json = server.body("/2020/metrics.json");
    assert!(json.contains("\"exact\": \"2850000\""), "{json}");
}

/// The `built … in` lines serve printed so far, each as its list of years.
fn built_lines(server: &Server) -> Vec<String> {
    server
        .stderr()
        .lines()
        .filter_map(|l| l.strip_prefix("built "))
        .filter_map(|l| l.split(" in ").next())
        .map(str::to_string)
        .collect()
}

#[test]
fn issue12_a_save_rebuilds_the_years_it_changes_and_a_touch_nothing() {
    let p = Project::from_fixture("years");
    // Two more years, and charts of two years: a year's figures show in its own
    // report and the next one's.
    for year in ["2022", "2023"] {
        for file in ["figures.toml", "plan.toml", "summary.toml", "targets.toml"] {
            let text = p.read(&format!("data/2021/{file}")).replace("2021", year);
            p.write(&format!("data/{year}/{file}"), &text);
        }
    }
    let config = p.read("nianbao.toml");
    p.write(
        "nianbao.toml",
        &format!("{config}\n[options]\nchart_years = 2\n"),
    );
    let mut server = Server::start(&p);
    assert_eq!(built_lines(&server), ["2020, 2021, 2022, 2023"]);
    let generation = |s: &Server| s.status().unwrap()["generation"].as_u64().unwrap();
    let first = generation(&server);

    // A touch and a save of the same bytes change nothing: no build.
    let figures = p.path().join("data/2021/figures.toml");
    std::fs::File::options()
        .write(true)
        .open(&figures)
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    p.write("data/2021/summary.toml", &p.read("data/2021/summary.toml"));
    server.wait_for("the saves without change to be seen", |s| {
        s.stderr().contains("nothing to rebuild").then_some(())
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(generation(&server), first, "{}", server.stderr());
    assert_eq!(built_lines(&server).len(), 1, "{}", server.stderr());

    let wait_built = |server: &mut Server, n: usize| {
        server.wait_for("a rebuild", |s| {
            let lines = built_lines(s);
            (lines.len() >= n).then(|| lines[n - 1].clone())
        })
    };
    // A year's narrative is in its own report only.
    let summary = p.read("data/2020/summary.toml");
    p.write("data/2020/summary.toml", &format!("{summary}\n# edited\n"));
    assert_eq!(wait_built(&mut server, 2), "2020");
    // Its figures are in the next year's comparison and charts too.
    p.replace("data/2021/figures.toml", "part = 10016", "part = 10017");
    assert_eq!(wait_built(&mut server, 3), "2021, 2022");
    // Output deleted by hand is made again on the next save, change or not
    // (found by an audit: the page stayed a 404 until a real edit).
    std::fs::remove_dir_all(p.path().join("output/2023")).unwrap();
    p.write("data/2021/summary.toml", &p.read("data/2021/summary.toml"));
    assert_eq!(wait_built(&mut server, 4), "2023");
    assert!(p.path().join("output/2023/report.html").exists());

    // A year broken stays in every rebuild until it is fixed, so its error
    // stays shown: the other year's save does not hide it.
    let good = p.read("data/2020/figures.toml");
    p.write("data/2020/figures.toml", "[counts\n");
    server.wait_for("the failed rebuild", |s| {
        s.status()?["error"].as_str().map(str::to_string)
    });
    let summary = p.read("data/2023/summary.toml");
    p.write("data/2023/summary.toml", &format!("{summary}\n# edited\n"));
    server.wait_for("the second failed rebuild", |s| {
        (s.stderr().matches("rebuild failed").count() >= 2).then_some(())
    });
    assert!(server.status().unwrap()["error"].is_string());
    p.write("data/2020/figures.toml", &good);
    assert_eq!(wait_built(&mut server, 5), "2020, 2021, 2023");
    assert!(server.status().unwrap()["error"].is_null());
}
