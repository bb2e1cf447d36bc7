//! nianbao (年报): bilingual annual work reports from TOML figures.
//!
//! The pipeline runs one way, one module per stage: [`load`] → [`check`] →
//! [`compute`] → [`render`] → [`write`]; [`pipeline`] drives it and [`cmd`] holds
//! the command-line glue.

// TODO(session 1): remove once diff/serve use every field.
#![allow(dead_code)]

mod check;
mod cli;
mod cmd;
mod compute;
mod diag;
mod exact;
mod formula;
mod load;
mod pipeline;
mod render;
mod suggest;
mod write;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.as_path();
    match &cli.command {
        Command::Build(args) => cmd::build::run(root, args, cli.quiet),
        Command::Check(args) => cmd::check::run(root, args, cli.quiet),
        Command::Vars(args) => cmd::misc::vars(root, args, cli.quiet),
        Command::Templates(c) => cmd::misc::templates(root, c),
        Command::Completions(args) => cmd::misc::completions(args),
        Command::Serve(args) => cmd::serve::run(root, args, cli.quiet),
        Command::Init(args) => cmd::init::run(args, cli.quiet),
        Command::Diff(_) | Command::NewYear(_) => cmd::usage_error("this command is not built yet"),
    }
}
