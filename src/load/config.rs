//! `nianbao.toml`: the organisation, the title pattern and the options.

use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::exact::Rounding;
use crate::model::Config;

use super::toml_read::{Reader, get};

/// Reads `nianbao.toml`; `None` when it cannot give a configuration (the problems
/// are in `diags`).
pub fn parse(file: FileId, src: &str, diags: &mut Diagnostics) -> Option<Config> {
    let mut r = Reader::new(file, src, diags);
    let doc = r.parse()?;
    let table = doc.get_ref();
    r.unknown_keys(
        table,
        &[
            "organisation",
            "organization",
            "title",
            "rounding",
            "options",
        ],
        "nianbao.toml",
    );
    let organisation = match get(table, "organisation").or_else(|| get(table, "organization")) {
        Some(v) => r.text("`organisation`", v),
        None => {
            r.missing(
                "organisation",
                "nianbao.toml",
                0..0,
                Some("add `organisation = { zh = \"…\", en = \"…\" }`".into()),
            );
            None
        }
    };
    let title = get(table, "title").and_then(|v| r.text("`title`", v));
    let mut rounding = Rounding::default();
    let mut rounding_val = get(table, "rounding");
    if let Some(options) = get(table, "options")
        && let Some(opts) = r.table("`options`", options)
    {
        r.unknown_keys(opts, &["rounding"], "[options]");
        rounding_val = rounding_val.or_else(|| get(opts, "rounding"));
    }
    if let Some(v) = rounding_val
        && let Some(s) = r.string("`rounding`", v)
    {
        match Rounding::parse(&s.text) {
            Some(mode) => rounding = mode,
            None => r.diags.push(
                Diagnostic::error(format!("unknown rounding `{}`", s.text))
                    .at(s.loc, "unknown rounding")
                    .help("use \"half-away-from-zero\" (四舍五入, the default) or \"half-even\" (GB/T 8170-2008)"),
            ),
        }
    }
    Some(Config {
        organisation: organisation?,
        title,
        rounding,
    })
}
