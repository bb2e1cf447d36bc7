//! Thin glue, one file per subcommand: read the flags, call the pipeline, print,
//! and say how the command failed. Only this module and `cli.rs` know about clap.

// Printing that never panics: `eprintln!` and `println!` panic when the stream is
// closed (`nianbao check 2>&1 | head`), and a panic while printing the panic
// aborts the process. A message that cannot be shown is no reason to stop.

/// `eprintln!`, ignoring a closed standard error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!`, ignoring a closed standard error.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// `println!`, ignoring a closed standard output.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod build;
pub mod check;
pub mod diff;
pub mod import;
pub mod init;
pub mod misc;
pub mod new_year;
pub mod serve;
pub mod watch;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command, LangArg};
use crate::diag::{self, Diagnostics, Sources};
use crate::i18n::Lang;
use crate::pipeline::{self, Years};

/// How a command failed, with its exit status: 1 for errors in the data or
/// templates, 2 for usage and I/O errors.
#[derive(Debug)]
pub struct CmdError {
    /// The exit status.
    pub status: u8,
    /// What to print as `error: …`; `None` when the diagnostics are printed already.
    pub message: Option<String>,
}

/// Exit status 1: the data or templates have errors.
pub const DATA_ERROR: u8 = 1;
/// Exit status 2: usage or I/O errors.
pub const USAGE_ERROR: u8 = 2;

/// Writes `bytes` to standard output, all of it. A closed pipe (`| head`) is no
/// error worth a message; any other failure (a full disk, `> /dev/full`) is, so
/// that a command never exits 0 having lost what it printed.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CmdError> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CmdError::io(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

impl CmdError {
    /// A usage error (exit 2).
    pub fn usage(message: impl std::fmt::Display) -> CmdError {
        CmdError {
            status: USAGE_ERROR,
            message: Some(message.to_string()),
        }
    }

    /// An I/O error (exit 2).
    pub fn io(message: impl std::fmt::Display) -> CmdError {
        CmdError::usage(message)
    }

    /// Errors in the data, already printed: exit 2 when a file could not be read,
    /// else 1.
    pub fn reported(diags: &Diagnostics) -> CmdError {
        CmdError {
            status: if diags.has_io_errors() {
                USAGE_ERROR
            } else {
                DATA_ERROR
            },
            message: None,
        }
    }

    /// Errors in the data with a closing message of their own (exit 1, or 2 for I/O).
    pub fn data(diags: &Diagnostics, message: impl std::fmt::Display) -> CmdError {
        CmdError {
            message: Some(message.to_string()),
            ..CmdError::reported(diags)
        }
    }
}

/// Runs the command of `cli` and turns its result into the exit status.
pub fn run(cli: &Cli) -> ExitCode {
    let root = cli.root.as_path();
    let quiet = cli.quiet;
    let result = match &cli.command {
        Command::Build(args) => build::run(root, args, quiet),
        Command::Check(args) => check::run(root, args, quiet),
        Command::Vars(args) => misc::vars(root, args, quiet),
        Command::Templates(c) => misc::templates(root, c),
        Command::Completions(args) => misc::completions(args),
        Command::NewYear(args) => new_year::run(root, args, quiet),
        Command::Import(args) => import::run(root, args, quiet),
        Command::Diff(args) => diff::run(root, args, quiet),
        Command::Serve(args) => serve::run(root, args, quiet),
        Command::Init(args) => init::run(root, args, quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(message) = &e.message {
                say!("error: {message}");
            }
            ExitCode::from(e.status)
        }
    }
}

/// Resolves `--year` / `--all` into [`Years`].
pub fn years_from(year: Option<&str>, all: bool) -> Result<Years, CmdError> {
    match (year, all) {
        (_, true) => Ok(Years::All),
        (Some(y), false) => pipeline::parse_year(y)
            .map(Years::One)
            .map_err(CmdError::usage),
        (None, false) => Ok(Years::Latest),
    }
}

/// The language of a `--lang` flag.
pub fn lang_of(arg: LangArg) -> Lang {
    match arg {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    }
}

/// Prints diagnostics to stderr; warnings are left out when `quiet`.
pub fn print_diagnostics(diags: &Diagnostics, sources: &Sources, quiet: bool) {
    say_raw!(
        "{}",
        diag::render_list(diags, sources, quiet, diag::use_colour())
    );
}

/// Refuses a folder that is not a project.
pub fn require_project(root: &Path) -> Result<(), CmdError> {
    if root.join("nianbao.toml").is_file() {
        Ok(())
    } else {
        Err(CmdError::usage(format!(
            "{} is not a nianbao project: it has no nianbao.toml",
            root.display()
        )))
    }
}

/// `path` made absolute and free of links and `..` without needing it to exist:
/// the part that exists is canonicalised, the rest (which cannot hold a link)
/// is applied as written.
fn resolve(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let absolute = match std::env::current_dir() {
        Ok(cwd) => cwd.join(path),
        Err(_) => path.to_path_buf(),
    };
    let mut resolved = std::path::PathBuf::new();
    let mut exists = true;
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => resolved.push(other),
        }
        if exists {
            match std::fs::canonicalize(&resolved) {
                Ok(real) => resolved = real,
                Err(_) => exists = false,
            }
        }
    }
    resolved
}

/// Refuses an output path that would write over the project's inputs: inside
/// `data/` or `templates/`, or onto `nianbao.toml` (issue 11, item 8: `diff
/// --out data/metrics.toml` replaced the catalogue with HTML). `flag` names the
/// option in the message.
pub fn refuse_output_over_inputs(root: &Path, out: &Path, flag: &str) -> Result<(), CmdError> {
    let target = resolve(out);
    for folder in ["data", "templates"] {
        if target.starts_with(resolve(&root.join(folder))) {
            return Err(CmdError::usage(format!(
                "{flag} {} is inside the project's {folder}/ folder, where nianbao reads its inputs: \
                 writing there would overwrite them; choose a path outside data/ and templates/",
                out.display()
            )));
        }
    }
    if target == resolve(&root.join("nianbao.toml")) {
        return Err(CmdError::usage(format!(
            "{flag} {} is the project's nianbao.toml: writing there would overwrite it; choose another path",
            out.display()
        )));
    }
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM, with the exit status a process
/// stopped by that signal reports (130, 143).
pub async fn stop_signal() -> i32 {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => 130,
        () = term => 143,
    }
}
