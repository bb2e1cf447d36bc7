//! The `nianbao` binary: parse the command line and hand over to `nianbao::cmd`.

use nianbao::{cli, cmd};

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

// Reports are built as large strings (a page inlines its charts); glibc's malloc
// hands blocks that size back to the kernel each time, and the page faults of
// getting them again cost more than the rendering. mimalloc keeps them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.as_path();
    match &cli.command {
        Command::Build(args) => cmd::build::run(root, args, cli.quiet),
        Command::Check(args) => cmd::check::run(root, args, cli.quiet),
        Command::Vars(args) => cmd::misc::vars(root, args, cli.quiet),
        Command::Templates(c) => cmd::misc::templates(root, c),
        Command::Completions(args) => cmd::misc::completions(args),
        Command::NewYear(args) => cmd::new_year::run(root, args, cli.quiet),
        Command::Diff(args) => cmd::diff::run(root, args, cli.quiet),
        Command::Serve(args) => cmd::serve::run(root, args, cli.quiet),
        Command::Init(args) => cmd::init::run(args, cli.quiet),
        Command::Import(args) => cmd::import::run(root, args, cli.quiet),
    }
}
