//! `nianbao.toml`: the organisation, the title pattern and the options.

use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::exact::Rounding;
use toml::de::DeTable;

use crate::model::{Config, DocxConfig};

use super::toml_read::{Reader, Val, get};

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
            "docx",
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
    if let Some(t) = &title {
        for s in [&t.zh, &t.en].into_iter().flatten() {
            title_placeholders(s, r.diags);
            title_one_line(s, r.diags);
        }
    }
    let mut rounding = Rounding::default();
    let mut rounding_val = get(table, "rounding");
    let mut chart_years = crate::model::CHART_YEARS;
    if let Some(options) = get(table, "options")
        && let Some(opts) = r.table("`options`", options)
    {
        r.unknown_keys(opts, &["rounding", "chart_years"], "[options]");
        match (rounding_val, get(opts, "rounding")) {
            // Both places are documented; two different modes would leave the
            // reader of the file guessing which one rounds the report.
            (Some(top), Some(inner)) => {
                let text = |v: &Val| v.get_ref().as_str().map(str::to_string);
                if text(top) != text(inner) {
                    r.diags.push(
                        Diagnostic::error("`rounding` is set twice, to different modes")
                            .at(r.loc(inner.span()), "second rounding")
                            .also(r.loc(top.span()), "first set here")
                            .help("keep one `rounding`: at the top level or under [options]"),
                    );
                }
            }
            (None, inner) => rounding_val = inner,
            _ => {}
        }
        if let Some(v) = get(opts, "chart_years") {
            match r.small_uint("`chart_years`", v, 100) {
                Some(0) => r.diags.push(
                    Diagnostic::error("`chart_years` must be at least 1")
                        .at(r.loc(v.span()), "no years")
                        .help("to draw no chart of a metric, leave out `chart = true`"),
                ),
                Some(n) => chart_years = n,
                None => {}
            }
        }
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
    let docx = match get(table, "docx") {
        Some(v) => r
            .table("`docx`", v)
            .map(|t| docx(&mut r, t))
            .unwrap_or_default(),
        None => DocxConfig::default(),
    };
    Some(Config {
        organisation: organisation?,
        title,
        rounding,
        chart_years,
        docx,
    })
}

/// A title is one line: a line break in it would end the report's `# ` heading
/// there and leave the rest as a paragraph (found by an audit).
fn title_one_line(s: &crate::model::LocStr, diags: &mut Diagnostics) {
    // Unicode's own line and paragraph separators, and NEL, break lines too
    // (a regression audit's U+2028 passed).
    let breaks = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];
    if let Some((at, c)) = s.text.char_indices().find(|(_, c)| breaks.contains(c)) {
        diags.push(
            Diagnostic::error("the title holds a line break")
                .at(s.map(&(at..at + c.len_utf8())), "a line break")
                .help("write the title on one line; the report's heading is one line"),
        );
    }
}

/// Every `{…}` of a title pattern is `{year}` or `{next}`: any other, or an
/// unclosed `{`, would stand in every report's heading as written (found by an
/// audit: `{year` and `{foo} report` built without a word).
fn title_placeholders(s: &crate::model::LocStr, diags: &mut Diagnostics) {
    let text = &s.text;
    let mut at = 0;
    while let Some(open) = text[at..].find('{').map(|i| at + i) {
        let close = text[open..].find('}').map(|i| open + i);
        let (end, name) = match close {
            Some(c) => (c + 1, &text[open + 1..c]),
            None => (text.len(), ""),
        };
        if close.is_some() && matches!(name, "year" | "next") {
            at = end;
            continue;
        }
        let what = if close.is_none() {
            "an unclosed `{` in the title".to_string()
        } else {
            format!("`{{{name}}}` is not a placeholder of the title")
        };
        diags.push(
            Diagnostic::error(what)
                .at(s.map(&(open..end)), "not `{year}` or `{next}`")
                .help("the title may use {year} (the report's year) and {next} (the year after)"),
        );
        at = end;
    }
}

/// `[docx]`: fonts by role, sizes in points, margins in mm, the grid.
fn docx(r: &mut Reader, table: &DeTable) -> DocxConfig {
    r.unknown_keys(
        table,
        &[
            "fonts",
            "sizes",
            "margins",
            "lines_per_page",
            "chars_per_line",
            "char_grid",
        ],
        "[docx]",
    );
    let mut out = DocxConfig::default();
    let roles = |r: &mut Reader, key: &str, known: &[&str]| -> Vec<(String, Val<'_>)> {
        let Some(v) = get(table, key) else {
            return Vec::new();
        };
        let Some(t) = r.table(&format!("`docx.{key}`"), v) else {
            return Vec::new();
        };
        r.unknown_keys(t, known, &format!("[docx.{key}]"));
        t.iter()
            .filter(|(k, _)| known.contains(&k.get_ref().as_ref()))
            .map(|(k, v)| (k.get_ref().to_string(), v.clone()))
            .collect()
    };
    const FONTS: [&str; 6] = [
        "title",
        "body",
        "heading1",
        "heading2",
        "page_number",
        "latin",
    ];
    for (role, v) in roles(r, "fonts", &FONTS) {
        if let Some(s) = r.string(&format!("`docx.fonts.{role}`"), &v) {
            out.fonts.push((role, s.text));
        }
    }
    const SIZES: [&str; 4] = ["title", "body", "table", "page_number"];
    for (role, v) in roles(r, "sizes", &SIZES) {
        // Points, in halves at the finest, as Word counts them (三号 = 16, 小四 = 12).
        if let Some(n) = r.number(&format!("`docx.sizes.{role}`"), &v) {
            let twice = (&n * &crate::exact::Exact::from_int(2)).to_i64();
            match twice.filter(|t| (8..=200).contains(t)) {
                Some(t) => out.sizes.push((role, t as u32)),
                _ => r.diags.push(
                    Diagnostic::error(format!("`docx.sizes.{role}` must be a size in points from 4 to 100, in halves at the finest"))
                        .at(r.loc(v.span()), "not a font size")
                        .help("三号 is 16, 四号 14, 小四 12, 五号 10.5"),
                ),
            }
        }
    }
    const SIDES: [&str; 4] = ["top", "bottom", "left", "right"];
    for (side, v) in roles(r, "margins", &SIDES) {
        if let Some(mm) = r.small_uint(&format!("`docx.margins.{side}`"), &v, 100) {
            out.margins.push((side, mm));
        }
    }
    out.lines_per_page = get(table, "lines_per_page")
        .and_then(|v| r.small_uint("`docx.lines_per_page`", v, 60))
        .filter(|n| *n > 0);
    out.chars_per_line = get(table, "chars_per_line")
        .and_then(|v| r.small_uint("`docx.chars_per_line`", v, 60))
        .filter(|n| *n > 0);
    out.char_grid = get(table, "char_grid").and_then(|v| r.boolean("`docx.char_grid`", v));
    out
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::diag::{Diagnostics, FileId};
    use crate::exact::Rounding;

    #[test]
    fn a_line_break_in_the_title_is_a_located_error() {
        let mut diags = Diagnostics::default();
        let src = "organisation = { zh = \"x\", en = \"x\" }\n[title]\nzh = \"{year}年\\n# 工作总结\"\nen = \"{year} report\"\n";
        let _ = parse(FileId(0), src, &mut diags);
        assert_eq!(diags.items.len(), 1, "{:?}", diags.items);
        let d = &diags.items[0];
        assert_eq!(d.message, "the title holds a line break");
        let span = d.primary.as_ref().map(|(loc, _)| loc.span.clone()).unwrap();
        assert_eq!(&src[span], "\\n");
        // Unicode's line separator too, written as itself.
        let mut diags = Diagnostics::default();
        let src = src.replace("\\n# ", "\u{2028}# ");
        let _ = parse(FileId(0), &src, &mut diags);
        assert_eq!(diags.items.len(), 1, "{:?}", diags.items);
        let span = diags.items[0]
            .primary
            .as_ref()
            .map(|(loc, _)| loc.span.clone())
            .unwrap();
        assert_eq!(&src[span], "\u{2028}");
    }

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

    /// Audit: top-level `half-even` and `[options]` `half-away-from-zero` were
    /// accepted silently, the top level winning.
    #[test]
    fn two_different_roundings_are_a_located_error() {
        let mut diags = Diagnostics::default();
        let src = "organisation = { zh = \"x\", en = \"x\" }\nrounding = \"half-even\"\n[options]\nrounding = \"half-away-from-zero\"\n";
        let _ = parse(FileId(0), src, &mut diags);
        let d = &diags.items[0];
        assert_eq!(d.message, "`rounding` is set twice, to different modes");
        let span = d.primary.as_ref().map(|(loc, _)| loc.span.clone()).unwrap();
        assert_eq!(&src[span], "\"half-away-from-zero\"");
        // The same mode twice is only redundant.
        let mut diags = Diagnostics::default();
        let same = "organisation = { zh = \"x\", en = \"x\" }\nrounding = \"half-even\"\n[options]\nrounding = \"half-even\"\n";
        let config = parse(FileId(0), same, &mut diags).expect("a configuration");
        assert!(diags.items.is_empty(), "{:?}", diags.items);
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
