//! `cargo run --release --example make-bench-project -- DIR [YEARS] [--metrics N]
//! [--sections N] [--charts N]`: writes a synthetic project of YEARS years (default
//! 50, ending in 2006) for timing nianbao; the maker itself is `benches/support`.
//!
//! Without the flags the project has the example's 17 metrics, 5 summary sections
//! and 7 charts. `--metrics 40` adds copies of the example's metrics under new names,
//! `--sections 12` repeats the summary's sections, and `--charts N` makes N metrics
//! of the whole catalogue trend charts (the example's first, then copies).

#[path = "../benches/support/mod.rs"]
mod support;

use std::process::ExitCode;

const USAGE: &str =
    "usage: make-bench-project DIR [YEARS] [--metrics N] [--sections N] [--charts N]";

fn main() -> ExitCode {
    let mut dir = None;
    let mut years = None;
    let mut shape = support::Shape::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--metrics" => &mut shape.metrics,
            "--sections" => &mut shape.sections,
            "--charts" => &mut shape.charts,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if dir.is_none() => {
                dir = Some(arg);
                continue;
            }
            _ if years.is_none() => match arg.parse() {
                Ok(y) => {
                    years = Some(y);
                    continue;
                }
                Err(_) => return usage(&format!("`{arg}` is not a number of years")),
            },
            _ => return usage(&format!("unexpected argument `{arg}`")),
        };
        match args.next().and_then(|n| n.parse().ok()) {
            Some(n) => *slot = Some(n),
            None => return usage(&format!("{arg} needs a number")),
        }
    }
    let Some(dir) = dir else {
        return usage("give the folder to write");
    };
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::path::Path::new(&dir);
    match support::make_project_with(repo, dir, years.unwrap_or(50), &shape) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n{USAGE}");
    ExitCode::from(2)
}
