//! Helpers: copy a fixture project to a temporary folder, run the binary on it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root (the example project).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture project under tests/testsuite/fixtures/NAME.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/testsuite/fixtures").join(name)
}

/// A temporary copy of a project, removed when dropped.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// Copies the fixture `name` into a fresh temporary folder.
    pub fn from_fixture(name: &str) -> Project {
        let p = Project::empty();
        copy_dir(&fixture(name), p.path());
        p
    }

    /// Copies the example project at the repository root (nianbao.toml, data/, templates/).
    pub fn example() -> Project {
        let p = Project::empty();
        let root = repo_root();
        std::fs::copy(root.join("nianbao.toml"), p.path().join("nianbao.toml")).unwrap();
        copy_dir(&root.join("data"), &p.path().join("data"));
        p
    }

    /// An empty temporary folder.
    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Reads a file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Replaces text in a file, failing if the text is not there.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// `nianbao --root <this> ARGS…`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = nianbao();
        cmd.arg("--root").arg(self.path()).args(args);
        cmd
    }
}

/// The binary under test, with colour off.
pub fn nianbao() -> Command {
    let mut cmd = Command::cargo_bin("nianbao").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs a command and returns (status code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Longest a command may run in [`run_bounded`] before it counts as hung. Generous:
/// the commands tested with it take well under a second; this is no measure of
/// speed, only a way for a test of a hang to fail instead of hanging itself.
pub const HANG: std::time::Duration = std::time::Duration::from_secs(60);

impl Project {
    /// `nianbao --root <this> ARGS…` as a plain [`std::process::Command`], for
    /// [`run_bounded`] and for tests that spawn the binary and kill it.
    pub fn spawnable(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"));
        cmd.env("NO_COLOR", "1")
            .arg("--root")
            .arg(self.path())
            .args(args)
            .stdin(std::process::Stdio::null());
        cmd
    }
}

/// Runs a command as [`run`] does, but kills it and fails the test when it has not
/// finished after [`HANG`]: for regression tests of hangs.
pub fn run_bounded(cmd: &mut std::process::Command) -> (i32, String, String) {
    let out = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (out.path().join("stdout"), out.path().join("stderr"));
    let mut child = cmd
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the command did not finish within {} s (a hang); stderr so far:\n{}",
                HANG.as_secs(),
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

/// The text of one part of a zip package (a Word document, a workbook).
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut file = zip.by_name(name).unwrap_or_else(|_| panic!("no {name}"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// The text of an XML or HTML fragment without its markup: what a reader sees,
/// run after run (entities left as they are).
pub fn markup_text(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
