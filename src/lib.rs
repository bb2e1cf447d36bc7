//! nianbao (年报): bilingual annual work reports from TOML figures.
//!
//! The pipeline runs one way, one module per stage, over the types of [`model`]:
//! [`load`] → [`check`] → [`compute`] → [`render`] → [`output`] → [`write`];
//! [`pipeline`] drives it, [`diff`] compares two years, and [`cmd`] holds the
//! command-line glue. `docs/architecture.md` draws the whole. The library exists so
//! that benchmarks and fuzz targets can call the stages directly; the `nianbao`
//! binary is the product.

// `println!` and `eprintln!` panic on a closed pipe (`nianbao import … 2>&1 |
// head -1` did); commands print through `cmd`'s `say!` and `out!`.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod diag;
pub mod diff;
pub mod docx;
pub mod escape;
pub mod exact;
pub mod formula;
pub mod fs;
pub mod i18n;
pub mod load;
pub mod model;
pub mod output;
pub mod par;
pub mod pipeline;
pub mod placeholder;
pub mod render;
pub mod scaffold;
pub mod sheet;
pub mod suggest;
pub mod write;
