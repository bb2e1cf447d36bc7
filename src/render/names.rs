//! The names a template reads that its context does not hold, found in its source
//! before it renders. Tera treats such a name as *undefined*, and an undefined
//! value is false in `{% if %}`, empty after `~`, and never looked at in a branch
//! not taken: `{% if targets_all_mett %}` (a typo) would quietly pick the "not
//! met" sentence. PRODUCT.md: an undefined name is an error wherever it appears.
//!
//! This reads the expressions of `{{ … }}` and `{% … %}` (not the text, comments
//! or `{% raw %}`), takes each variable path (`m.birth_rate`, `f.births.total`),
//! and looks it up in the context. Names a template binds itself (`for`, `set`,
//! component arguments) are passed over, as are the free-form notes of `source`
//! and the keys of a map below a value that is not a map. A metric's name after
//! `target.` is known even in a year with no target for it: `{% if
//! target.birth_rate %}` asks whether there is one.

use std::collections::BTreeSet;
use std::ops::Range;

/// A variable path the context does not hold, as written, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The path up to its first unknown part (`m.pctt`).
    pub path: String,
    /// Its byte range in the template source.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Punct(&'a str),
    Literal,
}

/// A variable path as written: its parts and their byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePath {
    parts: Vec<(String, Range<usize>)>,
}

/// Every unknown name of `src` against `ctx`, in order of appearance.
#[cfg(test)]
pub fn unknown(src: &str, ctx: &tera::Context) -> Vec<Unknown> {
    unknown_among(&read_paths(src), ctx)
}

/// The paths of `paths` that `ctx` does not hold, each up to its first unknown
/// part.
pub fn unknown_among(paths: &[NamePath], ctx: &tera::Context) -> Vec<Unknown> {
    paths
        .iter()
        .filter_map(|path| {
            let depth = unknown_at(&path.parts, ctx)?;
            let parts = &path.parts[..=depth];
            Some(Unknown {
                path: parts
                    .iter()
                    .map(|p| p.0.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
                span: parts[0].1.start..parts[depth].1.end,
            })
        })
        .collect()
}

/// Every variable path `src` reads, but for the names it binds itself: what
/// [`unknown_among`] looks up, the same for every context (a template's are read
/// once a run).
pub fn read_paths(src: &str) -> Vec<NamePath> {
    paths_of(&tags(src))
}

/// What a narrative text reads and whether it joins text onto a set value, from
/// one reading of its tags: [`read_paths`] and [`growing_sets`] at once.
pub fn read_text(src: &str) -> (Vec<NamePath>, Vec<(String, Range<usize>)>) {
    let tags = tags(src);
    (paths_of(&tags), growing_of(&tags))
}

fn paths_of(tags: &[Tag<'_>]) -> Vec<NamePath> {
    let mut bound: BTreeSet<&str> = BTreeSet::new();
    for tag in tags.iter().filter(|t| t.statement) {
        let toks = &tag.toks;
        match toks.first().map(|t| &t.0) {
            Some(Tok::Ident("for")) => {
                for (t, _) in toks.iter().skip(1) {
                    match t {
                        Tok::Ident("in") => break,
                        Tok::Ident(name) => {
                            bound.insert(name);
                        }
                        _ => {}
                    }
                }
            }
            Some(Tok::Ident("set" | "set_global")) => {
                if let Some((Tok::Ident(name), _)) = toks.get(1) {
                    bound.insert(name);
                }
            }
            Some(Tok::Ident("component")) => {
                for (t, _) in toks.iter().skip(2) {
                    if let Tok::Ident(name) = t {
                        bound.insert(name);
                    }
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for tag in tags {
        let toks = &tag.toks[..];
        // A character Tera's expressions do not have (`{{ 人口 }}`, a full-width
        // `｜`): a syntax error, which Tera reports better than a guess at names.
        if toks
            .iter()
            .any(|(t, _)| matches!(t, Tok::Punct(p) if !p.is_ascii()))
        {
            continue;
        }
        let expr = if !tag.statement {
            // A component call (`{{ <metric … /> }}`) is left to Tera.
            if matches!(toks.first(), Some((Tok::Punct("<"), _))) {
                continue;
            }
            toks
        } else {
            match toks.first().map(|t| &t.0) {
                Some(Tok::Ident("if" | "elif")) => &toks[1..],
                Some(Tok::Ident("for")) => {
                    let at = toks.iter().position(|t| t.0 == Tok::Ident("in"));
                    at.map_or(&toks[0..0], |i| &toks[i + 1..])
                }
                Some(Tok::Ident("set" | "set_global")) => toks.get(3..).unwrap_or(&[]),
                Some(Tok::Ident("filter")) => toks.get(2..).unwrap_or(&[]),
                _ => continue,
            }
        };
        paths(expr, &bound, &mut found);
    }
    found
}

/// The names of `src`'s `{% set %}`s that join text (`~`) onto a value a `set`
/// made, with where they are set: each such step can double a text (`{% set a = a
/// ~ a %}` forty times is a terabyte), and no output limit sees it before memory
/// runs out. Numbers (`{% set n = n + 1 %}`) are not affected.
pub fn growing_sets(src: &str) -> Vec<(String, Range<usize>)> {
    growing_of(&tags(src))
}

fn growing_of(tags: &[Tag<'_>]) -> Vec<(String, Range<usize>)> {
    let sets = |tag: &Tag<'_>| match (tag.toks.first(), tag.toks.get(1)) {
        (Some((Tok::Ident("set" | "set_global"), _)), Some((Tok::Ident(name), at))) => {
            Some((name.to_string(), at.clone()))
        }
        _ => None,
    };
    let set_names: BTreeSet<String> = tags.iter().filter_map(sets).map(|(n, _)| n).collect();
    tags.iter()
        .filter(|tag| tag.statement)
        .filter_map(|tag| {
            let (name, at) = sets(tag)?;
            let expr = tag.toks.get(3..)?;
            let joins = expr.iter().any(|(t, _)| *t == Tok::Punct("~"));
            let feeds = expr
                .iter()
                .any(|(t, _)| matches!(t, Tok::Ident(n) if set_names.contains(*n)));
            (joins && feeds).then_some((name, at))
        })
        .fold(Vec::new(), |mut first, (name, at)| {
            // Once a name: forty doublings are one mistake.
            if !first.iter().any(|(n, _)| *n == name) {
                first.push((name, at));
            }
            first
        })
}

/// One `{{ … }}` or `{% … %}`: its tokens with their byte ranges in the source.
struct Tag<'a> {
    statement: bool,
    toks: Vec<(Tok<'a>, Range<usize>)>,
}

/// The tags of `src`, skipping comments and `{% raw %}` blocks.
fn tags(src: &str) -> Vec<Tag<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = src.get(i..).and_then(|s| s.find('{')) {
        let open = i + at;
        let close = match bytes.get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => {
                i = src[open..].find("#}").map_or(src.len(), |e| open + e + 2);
                continue;
            }
            _ => {
                i = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let Some(end) = end_of_tag(src, start, close) else {
            break;
        };
        let toks = lex(src, start..end);
        let statement = close == "%}";
        i = end + 2;
        if statement && matches!(toks.first(), Some((Tok::Ident("raw"), _))) {
            // Everything up to `{% endraw %}` is text.
            i = src[i..].find("endraw").map_or(src.len(), |e| i + e);
            continue;
        }
        out.push(Tag { statement, toks });
    }
    out
}

/// Where the tag's closing `close` starts, outside string literals.
fn end_of_tag(src: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut quote = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            // Bytes, not `str` slices: `i` walks through the bytes of Chinese text.
            None if bytes[i..].starts_with(close.as_bytes()) => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

fn lex(src: &str, range: Range<usize>) -> Vec<(Tok<'_>, Range<usize>)> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_whitespace() || (b == b'-' && (i == range.start || i + 1 == range.end)) {
            // Whitespace, and the `-` of whitespace control (`{%-`, `-%}`).
            i += 1;
            continue;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            while i < range.end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(&src[start..i]), start..i));
        } else if b.is_ascii_digit() {
            while i < range.end
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            out.push((Tok::Literal, start..i));
        } else if matches!(b, b'"' | b'\'' | b'`') {
            i += 1;
            while i < range.end && bytes[i] != b {
                i += 1;
            }
            i = (i + 1).min(range.end);
            out.push((Tok::Literal, start..i));
        } else {
            let two = src.get(i..i + 2).unwrap_or("");
            let width = if matches!(two, "==" | "!=" | "<=" | ">=") {
                2
            } else {
                // A character of several bytes is no punctuation of Tera's: one
                // token, whole.
                src[i..].chars().next().map_or(1, char::len_utf8)
            };
            i += width;
            out.push((Tok::Punct(&src[start..i]), start..i));
        }
    }
    out
}

/// Words of Tera's expressions that are not variables.
fn keyword(name: &str) -> bool {
    matches!(
        name,
        "and"
            | "or"
            | "not"
            | "in"
            | "is"
            | "if"
            | "else"
            | "true"
            | "false"
            | "True"
            | "False"
            | "none"
            | "None"
            | "loop"
            | "super"
    )
}

fn paths(toks: &[(Tok<'_>, Range<usize>)], bound: &BTreeSet<&str>, found: &mut Vec<NamePath>) {
    for (i, (tok, range)) in toks.iter().enumerate() {
        let Tok::Ident(name) = tok else { continue };
        let before = i.checked_sub(1).map(|j| &toks[j].0);
        let before2 = i.checked_sub(2).map(|j| &toks[j].0);
        let after = toks.get(i + 1).map(|t| &t.0);
        let attribute_or_filter = matches!(before, Some(Tok::Punct("." | "|")));
        let test = matches!(before, Some(Tok::Ident("is")))
            || (matches!(before, Some(Tok::Ident("not")))
                && matches!(before2, Some(Tok::Ident("is"))));
        let call_or_argument = matches!(after, Some(Tok::Punct("(" | "=" | ":")));
        if attribute_or_filter || test || call_or_argument || keyword(name) || bound.contains(name)
        {
            continue;
        }
        let mut parts = vec![(name.to_string(), range.clone())];
        let mut k = i + 1;
        while let (Some((Tok::Punct("."), _)), Some((Tok::Ident(attr), r))) =
            (toks.get(k), toks.get(k + 1))
        {
            parts.push((attr.to_string(), r.clone()));
            k += 2;
        }
        found.push(NamePath { parts });
    }
}

/// The index of the first part of `path` the context does not hold, if any.
fn unknown_at(path: &[(String, Range<usize>)], ctx: &tera::Context) -> Option<usize> {
    let root = path[0].0.as_str();
    let Some(mut value) = ctx.get(root) else {
        return Some(0);
    };
    if root == "source" {
        return None;
    }
    for (depth, (attr, _)) in path.iter().enumerate().skip(1) {
        let map = value.as_map()?;
        match map.iter().find(|(k, _)| k.as_str() == Some(attr.as_str())) {
            Some((_, next)) => value = next,
            // A metric with no target this year is still a metric.
            None if root == "target" && depth == 1 && is_metric(attr, ctx) => return None,
            None => return Some(depth),
        }
    }
    None
}

fn is_metric(name: &str, ctx: &tera::Context) -> bool {
    ctx.get("metric")
        .and_then(tera::Value::as_map)
        .is_some_and(|m| m.iter().any(|(k, _)| k.as_str() == Some(name)))
}

#[cfg(test)]
mod tests {
    use super::{Unknown, unknown};

    fn ctx() -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("year", &2006);
        ctx.insert("targets_all_met", &false);
        ctx.insert("m", &serde_json::json!({"pct": "70%", "births": "1335人"}));
        ctx.insert(
            "metric",
            &serde_json::json!({"pct": {"label": "率"}, "births": {"label": "出生"}}),
        );
        ctx.insert("target", &serde_json::json!({"pct": {"met": true}}));
        ctx.insert("targets_unmet", &Vec::<String>::new());
        ctx.insert("f", &serde_json::json!({"c": {"part": "7"}}));
        ctx.insert("source", &serde_json::json!({}));
        ctx.insert("title", &"年报");
        ctx
    }

    fn names(src: &str) -> Vec<String> {
        unknown(src, &ctx()).into_iter().map(|u| u.path).collect()
    }

    #[test]
    fn a_name_the_context_lacks_is_found_wherever_it_is() {
        let src = "A{% if targets_all_mett %}x{% else %}{{ m.pctt }}{% endif %}B";
        assert_eq!(
            unknown(src, &ctx()),
            [
                Unknown {
                    path: "targets_all_mett".into(),
                    span: 7..23
                },
                Unknown {
                    path: "m.pctt".into(),
                    span: 40..46
                },
            ]
        );
        assert_eq!(names("{{ m.pct ~ m.pctt }}"), ["m.pctt"]);
        assert_eq!(names("{{ m.pctt | default(value='x') }}"), ["m.pctt"]);
        assert_eq!(names("{% if m.x is defined %}{% endif %}"), ["m.x"]);
        assert_eq!(
            names("{% for t in targets_unmett %}{{ t.lable }}{% endfor %}"),
            ["targets_unmett"]
        );
        assert_eq!(names("{{ f.c.prt }}和{{ f.d }}"), ["f.c.prt", "f.d"]);
        assert_eq!(names("{%- if titel -%}{%- endif -%}"), ["titel"]);
    }

    #[test]
    fn text_joined_onto_a_set_value_is_found() {
        use super::growing_sets;
        let names =
            |src: &str| -> Vec<String> { growing_sets(src).into_iter().map(|g| g.0).collect() };
        assert_eq!(names("{% set a = 'xx' %}{% set a = a ~ a %}"), ["a"]);
        assert_eq!(
            names("{% set a = 'x' %}{% set b = a ~ a %}{% set_global a = b ~ b %}"),
            ["b", "a"]
        );
        assert!(names("{% set n = 1 %}{% set n = n + 1 %}{% set t = m.pct ~ '!' %}").is_empty());
        assert_eq!(
            growing_sets("{% set a = 'x' %}{% set a = a ~ a %}{% set a = a ~ a %}"),
            [("a".to_string(), 24..25)]
        );
    }

    #[test]
    fn what_a_template_may_read_is_passed_over() {
        for src in [
            "{{ year }}年{{ m.pct | upper }}{{ m.births }}",
            "{% if targets_all_met and not m.pct is defined %}{% endif %}",
            "{% for t in targets_unmet %}{{ t.label }}{{ loop.index }}{% endfor %}",
            "{% set x = m.pct %}{{ x.y }}",
            "{{ tr(key='a') }}{{ m.pct | replace(from='%', to='') }}",
            "{{ 'm.nothing' }}{{ \"{{ nope }}\" }}{# {{ nope }} #}",
            "{% raw %}{{ nope }}{% endraw %}{{ year }}",
            "{% if target.births %}{{ target.pct.met }}{% endif %}",
            "{{ source.anything }}{{ title.len }}{{ m[\"pct\"] }}",
            "{{ 1.5 + year }}{{ [year, 2] | join(sep='、') }}",
            "text with { braces } and {{ year }}",
            // Not Tera's syntax (Tera reports it), and no panic on the way.
            "{{ 人口 }}{% if 是 %}{% endif %}{{ m.办 }}{{ year ｜ upper }}中文{{ year }}",
        ] {
            assert_eq!(names(src), Vec::<String>::new(), "{src}");
        }
        // Not a metric, so not known after `target.` either.
        assert_eq!(names("{% if target.bogus %}{% endif %}"), ["target.bogus"]);
    }
}
