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

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::diag::{Diagnostics, FileId};
    use crate::exact::Rounding;

    #[test]
    fn reads_the_organisation_and_the_rounding() {
        let mut diags = Diagnostics::default();
        let src = "[organisation]\nzh = \"区计生委\"\nen = \"Commission\"\n[options]\nrounding = \"half-even\"\n";
        let config = parse(FileId(0), src, &mut diags).expect("a configuration");
        assert!(diags.items.is_empty(), "{:?}", diags.items);
        assert_eq!(
            config.organisation.zh.map(|s| s.text).as_deref(),
            Some("区计生委")
        );
        assert_eq!(config.rounding, Rounding::HalfEven);
    }

    #[test]
    fn an_unknown_rounding_is_a_located_error() {
        let mut diags = Diagnostics::default();
        let src = "organisation = { zh = \"x\", en = \"x\" }\nrounding = \"up\"\n";
        let _ = parse(FileId(0), src, &mut diags);
        let d = &diags.items[0];
        assert_eq!(d.message, "unknown rounding `up`");
        let span = d.primary.as_ref().map(|(loc, _)| loc.span.clone()).unwrap();
        assert_eq!(&src[span], "\"up\"");
    }
}
