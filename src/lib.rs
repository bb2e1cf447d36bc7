//! nianbao (年报): bilingual annual work reports from TOML figures.
//!
//! The pipeline runs one way, one module per stage: [`load`] → [`check`] →
//! [`compute`] → [`render`] → [`write`]; [`pipeline`] drives it and [`cmd`] holds
//! the command-line glue. The library exists so that benchmarks and fuzz targets
//! can call the stages directly; the `nianbao` binary is the product.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod diag;
pub mod diff;
pub mod docx;
pub mod exact;
pub mod formula;
pub mod load;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod suggest;
pub mod write;
