//! Integration tests: run the `nianbao` binary on fixture projects.
//! See `support.rs` for the helpers and README.md for how to add a test.

mod support;

mod agreement;
mod build;
mod check;
mod diff;
mod example;
mod golden;
mod import;
mod import_audit;
mod init;
mod new_year;
mod outputs;
mod robust;
mod robust_render;
mod serve;
mod sheets;
mod trends;
mod truth;
