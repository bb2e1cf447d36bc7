//! `nianbao build`: run the pipeline and write each year's output set.
//!
//! [`build_into`] is the whole build without any printing (but a note when it
//! waits for another writer of the output folder), so that `serve` rebuilds
//! through exactly the code path that `build` uses.

use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::BuildArgs;
use crate::pipeline::{self, Run, Step, Years};
use crate::write;

use super::{CmdError, print_diagnostics, years_from};

/// A build that wrote its files.
pub struct Built {
    /// The pipeline's run (diagnostics, sources, values).
    pub run: Run,
    /// The folder each year went into (`<out>/<year>`), in year order.
    pub written: Vec<(i32, PathBuf)>,
}

/// Why a build wrote nothing.
pub enum Failure {
    /// The request itself is wrong (no project, no such year): exit status 2.
    Request(String),
    /// The data or templates have errors, listed in the run's diagnostics: exit status 1.
    Data(Box<Run>),
    /// Writing failed: exit status 2.
    Io(String),
}

/// Runs the pipeline for `years` and, when every selected year rendered, writes
/// their files under `out_dir/<year>/`. Writes nothing at all on any error, so the
/// previous output stays as it was. `progress` advances once per rendered year and
/// once for the writing.
pub fn build_into(
    root: &Path,
    years: &Years,
    out_dir: &Path,
    progress: &ProgressBar,
    quiet: bool,
) -> Result<Built, Failure> {
    let wait = || {
        if !quiet {
            say!(
                "note: waiting for another nianbao writing {} (a build or serve) to finish",
                out_dir.display()
            );
        }
    };
    // Each year is staged as soon as it is made and then dropped; nothing is
    // switched into place unless every year made it.
    let stager = write::Stager::new(out_dir, &wait);
    let observe = |step| match step {
        Step::Selected(n) => progress.set_length(n as u64 + 1),
        Step::Rendered(y) => {
            progress.set_message(format!("rendered {y}"));
            progress.inc(1);
        }
    };
    let run =
        pipeline::run_delivering(root, years, &observe, &|year, set| stager.stage(year, &set))
            .map_err(|e| Failure::Request(e.to_string()))?;
    if run.project.is_none() || !run.all_rendered() {
        stager.abandon();
        return Err(Failure::Data(Box::new(run)));
    }
    progress.set_message("writing");
    let written = stager.finish().map_err(|e| Failure::Io(format!("{e:#}")))?;
    progress.inc(1);
    Ok(Built { run, written })
}

/// On Ctrl-C or SIGTERM, removes what the write stage was making and exits with
/// 130 or 143 ([`write::interrupted`]), rather than leaving its folders behind.
///
/// On Unix the two signals are blocked here, before any other thread starts (a
/// thread inherits the mask), and one small thread waits for them with
/// `sigwait`: a handler could not remove folders safely, and the Tokio runtime
/// this used to start for it cost a one-year build a tenth of its page faults.
#[cfg(unix)]
fn clean_up_on_interrupt() {
    // SAFETY: sigset_t is plain data that sigemptyset initialises; the calls
    // get pointers to it that live as long as they run.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    let started = std::thread::Builder::new()
        .name("signals".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            let mut signal = 0;
            // SAFETY: as above; `signal` is written by sigwait.
            if unsafe { libc::sigwait(&set, &mut signal) } == 0 {
                write::interrupted(if signal == libc::SIGINT { 130 } else { 143 });
            }
        });
    if started.is_err() {
        // Without the thread a signal ends the build as before (the next build
        // removes what it left): the signals must reach the process again.
        // SAFETY: as above.
        unsafe { libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut()) };
    }
}

/// Elsewhere, through Tokio's signal handling on a thread of its own.
#[cfg(not(unix))]
fn clean_up_on_interrupt() {
    let started = std::thread::Builder::new()
        .name("signals".into())
        .spawn(|| {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            let status = runtime.block_on(super::stop_signal());
            write::interrupted(status);
        });
    // Without the thread a signal ends the build as before; the next build
    // removes what it left.
    drop(started);
}

/// A progress bar on stderr, or a hidden one when stderr is not a terminal or the
/// user asked for `--quiet` (indicatif also hides itself off a terminal; being
/// explicit keeps test output and pipes free of escape codes).
pub fn progress_bar(quiet: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} building [{bar:30}] {pos}/{len} {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Runs `build`.
pub fn run(root: &Path, args: &BuildArgs, quiet: bool) -> Result<(), CmdError> {
    let years = years_from(args.year.as_deref(), args.all)?;
    let out_dir = args.out.clone().unwrap_or_else(|| root.join("output"));
    super::refuse_output_over_inputs(root, &out_dir, "--out")?;
    clean_up_on_interrupt();
    // A bar is worth drawing only when several years are built.
    let progress = progress_bar(quiet || years != Years::All);
    let result = build_into(root, &years, &out_dir, &progress, quiet);
    progress.finish_and_clear();
    match result {
        Ok(built) => {
            print_diagnostics(&built.run.diags, &built.run.sources, quiet);
            if !quiet {
                for (year, dir) in &built.written {
                    say!("built {year} → {}", dir.display());
                }
                let stale = stale_years(root, &out_dir, &built.written);
                if !stale.is_empty() {
                    let list: Vec<String> = stale.iter().map(i32::to_string).collect();
                    say!(
                        "note: the output of {} is older than its data or templates; \
                         `nianbao build --all` rebuilds every year",
                        list.join(", ")
                    );
                }
            }
            Ok(())
        }
        Err(Failure::Request(e)) => Err(CmdError::usage(e)),
        Err(Failure::Io(e)) => Err(CmdError::io(e)),
        Err(Failure::Data(run)) => {
            print_diagnostics(&run.diags, &run.sources, quiet);
            Err(match run.project {
                Some(_) => CmdError::data(
                    &run.diags,
                    format!(
                        "build failed with {}; nothing was written",
                        crate::diag::summary_line(&run.diags, &run.sources)
                    ),
                ),
                None => CmdError::reported(&run.diags),
            })
        }
    }
}

/// Years not built this time whose `report.html` is older than a file it is made
/// from (by more than a second): the project-wide files, the year's own folder, or
/// a template. `build`
/// builds the latest year by default, so a change to an earlier year would
/// otherwise go unnoticed.
fn stale_years(root: &Path, out_dir: &Path, built: &[(i32, PathBuf)]) -> Vec<i32> {
    fn newest(path: &Path) -> Option<std::time::SystemTime> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_dir() {
            return meta.modified().ok();
        }
        // Each folder once, however links lead back into it.
        let walked = crate::fs::walk(path);
        walked
            .files
            .iter()
            .chain(&walked.dirs)
            .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .max()
    }
    let shared = [
        root.join("nianbao.toml"),
        root.join("data").join("metrics.toml"),
        root.join("templates"),
    ]
    .iter()
    .filter_map(|p| newest(p))
    .max();
    crate::load::list_years(root)
        .into_iter()
        .filter(|y| !built.iter().any(|(b, _)| b == y))
        .filter(|y| {
            let Some(made) = std::fs::metadata(out_dir.join(y.to_string()).join("report.html"))
                .and_then(|m| m.modified())
                .ok()
            else {
                return false;
            };
            // A fresh clone writes sources and output within the same moment, in no
            // set order: only a source newer by more than a second counts as an edit.
            let source = newest(&root.join("data").join(y.to_string())).max(shared);
            source.is_some_and(|t| t > made + Duration::from_secs(1))
        })
        .collect()
}
