//! `data/metrics.toml`: the metric catalogue and the consistency checks.

use toml::de::DeValue;

use crate::diag::{Diagnostic, Diagnostics, FileId, Loc};
use crate::formula::{self, Expr};
use crate::model::{Better, Catalogue, CheckDef, LocStr, MetricDef, MetricKind, Text, Unit};

use super::toml_read::{Reader, Val, get};

/// The most characters Excel holds in a cell (its specifications and limits).
const EXCEL_TEXT_LIMIT: usize = 32_767;

/// Reads the catalogue; what cannot be read is left out, with a diagnostic.
pub fn parse(file: FileId, src: &str, diags: &mut Diagnostics) -> Catalogue {
    let mut catalogue = Catalogue {
        file: Some(file),
        ..Catalogue::default()
    };
    let mut r = Reader::new(file, src, diags);
    let Some(doc) = r.parse() else {
        return catalogue;
    };
    let table = doc.get_ref();
    r.unknown_keys(table, &["metrics", "checks"], "data/metrics.toml");
    if let Some(v) = get(table, "metrics")
        && let Some(metrics) = r.table("`metrics`", v)
    {
        for (key, value) in metrics.iter() {
            let name = key.get_ref().to_string();
            let name_loc = r.loc(key.span());
            if name.is_empty()
                || name.contains(|c: char| !(c == '_' || c.is_alphanumeric()))
                || name.starts_with(|c: char| c.is_ascii_digit())
            {
                r.diags.push(
                    Diagnostic::error(format!("`{name}` cannot be a metric name"))
                        .at(name_loc, "not a plain name")
                        .help(
                            "metric names are letters, digits and `_`, not starting with a digit",
                        ),
                );
                continue;
            }
            if let Some(why) = reserved(&name) {
                r.diags.push(
                    Diagnostic::error(format!("`{name}` cannot be a metric name"))
                        .at(name_loc, "a reserved word")
                        .help(format!("{why}; choose another name, such as `{name}_rate`")),
                );
                continue;
            }
            if let Some(def) = metric(&mut r, name.clone(), name_loc, value) {
                catalogue.metrics.insert(name, def);
            }
        }
    } else if get(table, "metrics").is_none() {
        r.diags.push(
            Diagnostic::warning("the catalogue defines no metrics")
                .at(r.loc(0..0), "")
                .help("add a [metrics.NAME] table with zh, en, formula"),
        );
    }
    if let Some(v) = get(table, "checks") {
        for item in r.tables("`checks`", v) {
            if let Some(check) = check(&mut r, item) {
                catalogue.checks.push(check);
            }
        }
    }
    catalogue
}

/// Why `name` cannot name a metric, when it is a word the formulas or the
/// templates read as something else, so that the metric could never be used.
pub fn reserved(name: &str) -> Option<&'static str> {
    match name {
        "and" | "or" | "not" => Some(
            "`and`, `or` and `not` join the comparisons of check rules, so no formula could name this metric",
        ),
        "sum" | "min" | "max" | "abs" => Some(
            "`sum`, `min`, `max` and `abs` are the functions of formulas, so a formula naming this metric would be misread",
        ),
        "true" | "false" | "True" | "False" => Some(
            "templates read this word as a truth value, so `m.NAME` could never show the metric",
        ),
        _ => None,
    }
}

fn metric(r: &mut Reader, name: String, name_loc: Loc, v: &Val) -> Option<MetricDef> {
    let what = format!("metric `{name}`");
    let table = r.table(&what, v)?;
    const KNOWN: [&str; 12] = [
        "zh",
        "en",
        "formula",
        "unit",
        "decimals",
        "better",
        "kind",
        "chart",
        "parts",
        "description",
        "note",
        "source",
    ];
    r.unknown_keys(table, &KNOWN, &what);
    let zh = get(table, "zh").and_then(|s| r.string(&format!("`zh` of {what}"), s));
    let en = get(table, "en").and_then(|s| r.string(&format!("`en` of {what}"), s));
    // Found by an audit: metrics.xlsx then failed, unlocated, when it was written.
    let (mut zh, mut en) = (zh, en);
    for s in [&mut zh, &mut en].into_iter().flatten() {
        // Marked at the first character too many. Excel counts UTF-16 units,
        // a character beyond U+FFFF (𠀀) as two: counted by characters, a
        // label of 20,000 such passed here and failed in the writer.
        let mut units = 0;
        let over = s.text.char_indices().enumerate().find(|(_, (_, c))| {
            units += c.len_utf16();
            units > EXCEL_TEXT_LIMIT
        });
        if let Some((nth, (at, c))) = over {
            r.diags.push(
                Diagnostic::error(format!(
                    "the label of {what} is longer than a spreadsheet cell can hold"
                ))
                .at(
                    s.map(&(at..at + c.len_utf8())),
                    format!("character {} of {}", nth + 1, s.text.chars().count()),
                )
                .help(format!(
                    "metrics.xlsx carries every label, and Excel holds at most {EXCEL_TEXT_LIMIT} characters in a cell (one beyond U+FFFF counts as two): shorten it"
                )),
            );
            // Cut, so the writer does not fail on it again (the build fails anyway).
            s.text.truncate(at);
        }
    }
    // A metric without a label still builds, under its name; the warning says so.
    let (zh, en) = if zh.is_none() && en.is_none() {
        r.diags.push(
            Diagnostic::warning(format!("{what} has no label; its name is shown instead"))
                .at(name_loc.clone(), "no zh or en label")
                .help("give the metric a label: zh = \"…\", en = \"…\""),
        );
        let named = LocStr {
            text: name.clone(),
            loc: name_loc.clone(),
            offsets: None,
        };
        (Some(named.clone()), Some(named))
    } else {
        (zh, en)
    };
    let label = Text {
        zh,
        en,
        loc: r.loc(v.span()),
    };
    // A metric without a usable formula is still kept (undefined), so that formulas
    // using it do not also report it as unknown.
    let formula_src = match get(table, "formula") {
        Some(f) => r.string(&format!("`formula` of {what}"), f),
        None => {
            r.missing(
                "formula",
                &what,
                name_loc.span.clone(),
                Some("add `formula = \"…\"`, e.g. `births.total / population.total * 1000`".into()),
            );
            None
        }
    };
    let formula = formula_src.as_ref().and_then(|src| parse_formula(r, src));
    let formula_src = formula_src.unwrap_or_else(|| LocStr {
        text: String::new(),
        loc: name_loc.clone(),
        offsets: None,
    });
    let unit = match get(table, "unit") {
        None => Unit::default(),
        Some(u) => match u.get_ref() {
            DeValue::String(_) => {
                let s = r
                    .string(&format!("`unit` of {what}"), u)
                    .map(|s| s.text)
                    .unwrap_or_default();
                // One text stands for both editions: "人" or "万元" would put
                // Chinese after every English number of the metric.
                if s.chars().any(is_han) {
                    r.diags.push(chinese_unit(&what, r.loc(u.span()), &s));
                }
                Unit {
                    zh: s.clone(),
                    en: s,
                }
            }
            DeValue::Table(_) => {
                let t = r.text(&format!("`unit` of {what}"), u);
                let zh = t
                    .as_ref()
                    .and_then(|t| t.zh.as_ref())
                    .map(|s| s.text.clone());
                let en = t
                    .as_ref()
                    .and_then(|t| t.en.as_ref())
                    .map(|s| s.text.clone());
                // A unit in one language only stands in for the other: a number
                // without its unit would read as another quantity.
                let (zh, en) = match (zh, en) {
                    (Some(zh), Some(en)) => (zh, en),
                    (Some(one), None) | (None, Some(one)) => {
                        let (missing, key) = if t.as_ref().is_some_and(|t| t.en.is_none()) {
                            ("English", "en")
                        } else {
                            ("Chinese", "zh")
                        };
                        r.diags.push(
                            Diagnostic::warning(format!("the `unit` of {what} has no {missing} text"))
                                .at(r.loc(u.span()), format!("no `{key}`"))
                                .help(format!(
                                    "add {key} = \"…\"; until then the {missing} edition shows \"{one}\""
                                )),
                        );
                        (one.clone(), one)
                    }
                    (None, None) => (String::new(), String::new()),
                };
                Unit { zh, en }
            }
            _ => {
                r.type_error(&format!("`unit` of {what}"), "a string or { zh, en }", u);
                Unit::default()
            }
        },
    };
    let decimals = get(table, "decimals")
        .and_then(|d| r.small_uint(&format!("`decimals` of {what}"), d, 12))
        .unwrap_or(0);
    let better = get(table, "better").and_then(|b| {
        let s = r.string(&format!("`better` of {what}"), b)?;
        match s.text.as_str() {
            "higher" => Some(Better::Higher),
            "lower" => Some(Better::Lower),
            other => {
                r.diags.push(
                    Diagnostic::error(format!(
                        "`better` must be \"higher\" or \"lower\", not `{other}`"
                    ))
                    .at(s.loc, "unknown direction"),
                );
                None
            }
        }
    });
    let kind = get(table, "kind").and_then(|k| {
        let s = r.string(&format!("`kind` of {what}"), k)?;
        match s.text.as_str() {
            "count" => Some(MetricKind::Count),
            "rate" => Some(MetricKind::Rate),
            "ratio" => Some(MetricKind::Ratio),
            other => {
                r.diags.push(
                    Diagnostic::error(format!(
                        "`kind` must be \"count\", \"rate\" or \"ratio\", not `{other}`"
                    ))
                    .at(s.loc, "unknown kind")
                    .help("a count changes by a difference and a percentage, a rate by points, a ratio by a difference"),
                );
                None
            }
        }
    });
    let chart = get(table, "chart")
        .and_then(|c| r.boolean(&format!("`chart` of {what}"), c))
        .unwrap_or(false);
    let mut parts = Vec::new();
    let mut part_labels = Vec::new();
    if let Some(p) = get(table, "parts") {
        match p.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    // A part is a figure path, or { figure = "…", zh = "…", en = "…" }.
                    if let DeValue::Table(t) = item.get_ref() {
                        let ctx = format!("a part of {what}");
                        r.unknown_keys(t, &["figure", "zh", "en"], &ctx);
                        let Some(figure) = get(t, "figure") else {
                            r.missing(
                                "figure",
                                &ctx,
                                item.span(),
                                Some("add `figure = \"births.by_order.first\"`".into()),
                            );
                            continue;
                        };
                        let Some(s) = r.string(&format!("{ctx}.figure"), figure) else {
                            continue;
                        };
                        let zh = get(t, "zh").and_then(|v| r.string(&format!("{ctx}.zh"), v));
                        let en = get(t, "en").and_then(|v| r.string(&format!("{ctx}.en"), v));
                        let label = (zh.is_some() || en.is_some()).then(|| Text {
                            zh,
                            en,
                            loc: r.loc(item.span()),
                        });
                        parts.push((s.text, s.loc));
                        part_labels.push(label);
                    } else if let Some(s) = r.string(&format!("each of {what}.parts"), item) {
                        parts.push((s.text, s.loc));
                        part_labels.push(None);
                    }
                }
            }
            _ => r.type_error(&format!("`parts` of {what}"), "an array of figure paths", p),
        }
    }
    Some(MetricDef {
        name,
        name_loc,
        label,
        formula_src,
        formula,
        unit,
        decimals,
        better,
        kind,
        chart,
        parts,
        part_labels,
    })
}

fn parse_formula(r: &mut Reader, src: &LocStr) -> Option<Expr> {
    match formula::parse(&src.text) {
        Ok(expr) => Some(expr),
        Err(err) => {
            r.diags.push(
                Diagnostic::error(format!("formula syntax error: {}", err.message))
                    .at(src.map(&err.span), err.message.clone())
                    .help_opt(err.help),
            );
            None
        }
    }
}

fn check(r: &mut Reader, v: &Val) -> Option<CheckDef> {
    let table = r.table("a check", v)?;
    r.unknown_keys(table, &["rule", "zh", "en"], "[[checks]]");
    let rule_src = match get(table, "rule") {
        Some(s) => r.string("`rule`", s)?,
        None => {
            r.missing(
                "rule",
                "[[checks]]",
                v.span(),
                Some("add `rule = \"a <= b\"`".into()),
            );
            return None;
        }
    };
    let rule = parse_formula(r, &rule_src);
    let zh = get(table, "zh").and_then(|s| r.string("`zh`", s));
    let en = get(table, "en").and_then(|s| r.string("`en`", s));
    let message = (zh.is_some() || en.is_some()).then(|| Text {
        zh,
        en,
        loc: r.loc(v.span()),
    });
    Some(CheckDef {
        rule_src,
        rule,
        message,
    })
}

/// The warning for a unit written once, in Chinese, for both editions.
fn chinese_unit(what: &str, at: Loc, unit: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "the `unit` of {what} is Chinese and the English edition would show it"
    ))
    .at(at, "the unit of both editions")
    .help(format!(
        "give each edition its own: unit = {{ zh = \"{unit}\", en = \"…\" }}"
    ))
}

/// A Chinese character (the CJK ideograph blocks, extensions included): text
/// that an English reader cannot read, unlike ‰, % or ㎡.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::diag::{Diagnostics, FileId};

    #[test]
    fn a_label_longer_than_an_excel_cell_is_a_located_error() {
        let label = "L".repeat(super::EXCEL_TEXT_LIMIT);
        let src = format!("[metrics.a]\nzh = \"甲\"\nen = \"{label}\"\nformula = \"x.n\"\n");
        let mut diags = Diagnostics::default();
        parse(FileId(0), &src, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.items);
        let src = src.replace(&label, &format!("{label}é"));
        parse(FileId(0), &src, &mut diags);
        let d = &diags.items[0];
        assert!(
            d.message.contains("longer than a spreadsheet cell"),
            "{}",
            d.message
        );
        let span = d.primary.as_ref().map(|(loc, _)| loc.span.clone()).unwrap();
        assert_eq!(&src[span], "é");
        // Excel counts a character beyond U+FFFF as two (found by an audit:
        // 20,000 of them passed here and failed in the writer).
        let wide = "𠀀".repeat(super::EXCEL_TEXT_LIMIT / 2);
        let src = format!("[metrics.a]\nzh = \"甲\"\nen = \"{wide}L\"\nformula = \"x.n\"\n");
        let mut diags = Diagnostics::default();
        parse(FileId(0), &src, &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.items);
        let src = src.replace(&format!("{wide}L"), &format!("{wide}𠀀"));
        parse(FileId(0), &src, &mut diags);
        let d = &diags.items[0];
        let span = d.primary.as_ref().map(|(loc, _)| loc.span.clone()).unwrap();
        assert_eq!(&src[span.clone()], "𠀀");
        assert_eq!(span.start, src.find(&wide).unwrap() + wide.len());
    }

    #[test]
    fn reads_metrics_and_checks_in_the_order_written() {
        let mut diags = Diagnostics::default();
        let src = "[metrics.b]\nzh = \"乙\"\nen = \"B\"\nformula = \"x.n * 2\"\nunit = \"%\"\ndecimals = 1\n\n[metrics.a]\nformula = \"b + 1\"\n\n[[checks]]\nrule = \"b <= 100\"\n";
        let cat = parse(FileId(0), src, &mut diags);
        let names: Vec<&str> = cat.metrics.keys().map(String::as_str).collect();
        assert_eq!(names, ["b", "a"]);
        assert!(cat.metrics["b"].is_rate());
        assert_eq!(cat.metrics["b"].decimals, 1);
        assert_eq!(cat.checks.len(), 1);
        // `a` has no label: a warning, and its name stands in.
        assert_eq!(diags.items.len(), 1, "{:?}", diags.items);
        assert_eq!(
            cat.metrics["a"].label.en.as_ref().map(|s| s.text.as_str()),
            Some("a")
        );
    }

    #[test]
    fn a_name_that_is_not_plain_is_refused() {
        let mut diags = Diagnostics::default();
        let cat = parse(
            FileId(0),
            "[metrics.\"a.b\"]\nformula = \"1\"\n",
            &mut diags,
        );
        assert!(cat.metrics.is_empty());
        assert!(diags.has_errors());
    }
}
