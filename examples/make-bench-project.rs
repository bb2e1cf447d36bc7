//! `cargo run --release --example make-bench-project -- DIR [YEARS]`: writes a
//! synthetic project of YEARS years (default 50) for timing `nianbao build --all`.

#[path = "../benches/support/mod.rs"]
mod support;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: make-bench-project DIR [YEARS]");
        return std::process::ExitCode::from(2);
    };
    let years = args.next().and_then(|y| y.parse().ok()).unwrap_or(50);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match support::make_project(repo, std::path::Path::new(&dir), years) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
