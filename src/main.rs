//! The `nianbao` binary: parse the command line and hand over to `nianbao::cmd`.

use std::process::ExitCode;

use clap::Parser;

use nianbao::cli::Cli;

// Reports are built as large strings (a page inlines its charts); glibc's malloc
// hands blocks that size back to the kernel each time, and the page faults of
// getting them again cost more than the rendering. mimalloc keeps them. Its v2
// line (the crate's `v2` feature) gives freed pages back after 10 ms, v3 after a
// second: under v3 `build --all` of 400 years peaked at 122 MiB against 40 MiB,
// with the same speed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A run lasts milliseconds and touches a few megabytes: zeroing 2 MiB huge pages
/// for it (mimalloc asks for them) cost more than the work itself (the example's
/// build spent a third of its time in the kernel clearing pages). Takes effect
/// for every page touched from here on.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a plain flag on this process; no pointers involved.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    no_huge_pages();
    // A panic is a bug in nianbao, never the user's mistake: say so, once, with
    // where it happened, and exit with the status Rust gives a panic (101), which
    // is none of the statuses of a user error.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // Never `eprintln!` here: a panic while printing this one would abort.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "internal error: nianbao panicked{at}: {message}\n\
             This is a bug in nianbao, not in your project; nothing was written. Please report it."
        );
    }));
    nianbao::cmd::run(&Cli::parse())
}
