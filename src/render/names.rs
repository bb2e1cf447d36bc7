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
    /// The keys of the map its last part was looked for in (for "did you
    /// mean"); empty for a name at the top.
    pub siblings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    Punct(&'a str),
    /// A string literal's text, quotes left out.
    Str(&'a str),
    Literal,
}

/// A variable path as written: its parts and their byte ranges, and for a loop
/// variable (`t` of `{% for t in targets_unmet %}`) where it stands in the
/// context: `t.lable` is looked up as a field of the list's items, even when the
/// list is empty this year and the loop never runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePath {
    parts: Vec<(String, Range<usize>)>,
    via: Option<Vec<Step>>,
    /// The whole expression of a `{{ … }}`: what it names is printed as it is.
    printed: bool,
}

impl NamePath {
    /// The first name of the path as written.
    pub fn root(&self) -> &str {
        self.parts.first().map_or("", |p| p.0.as_str())
    }

    /// Where the path is written.
    pub fn span(&self) -> Range<usize> {
        match (self.parts.first(), self.parts.last()) {
            (Some(a), Some(b)) => a.1.start..b.1.end,
            _ => 0..0,
        }
    }
}

/// One step from the context to a loop variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a map.
    Key(String),
    /// An item of a list.
    Item,
    /// A value of a map (`v` of `{% for k, v in map %}`).
    Value,
}

/// What a name a template binds stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Binding {
    /// A loop variable over a list or map reached by these steps.
    Loop(Vec<Step>),
    /// Anything else (`set`, a component's argument, a loop over an expression):
    /// its fields are not looked up.
    Opaque,
}

type Bindings = std::collections::BTreeMap<String, Binding>;

/// Every unknown name of `src` against `ctx`, in order of appearance.
#[cfg(test)]
pub fn unknown(src: &str, ctx: &tera::Context) -> Vec<Unknown> {
    unknown_among(&read_paths(src), ctx, None)
}

/// The paths of `paths` that `ctx` does not hold, each up to its first unknown
/// part. Where the context holds nothing to look in (no plan this year, no
/// target missed), `shapes` says what the value would hold: a record of every
/// list and optional part, so that a misspelt field is found the first time.
pub fn unknown_among(
    paths: &[NamePath],
    ctx: &tera::Context,
    shapes: Option<&tera::Value>,
) -> Vec<Unknown> {
    paths
        .iter()
        .filter_map(|path| {
            let (depth, siblings) = unknown_at(path, ctx, shapes)?;
            let parts = &path.parts[..=depth];
            Some(Unknown {
                path: parts
                    .iter()
                    .map(|p| p.0.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
                span: parts[0].1.start..parts[depth].1.end,
                siblings,
            })
        })
        .collect()
}

/// The paths printed whole (`{{ f.births }}`) that name a table of values, not
/// one value: Tera would print the table as a map (`{"first": "902", …}`),
/// which no report means to say (found by an audit).
pub fn printed_tables(paths: &[NamePath], ctx: &tera::Context) -> Vec<Unknown> {
    paths
        .iter()
        .filter(|p| p.printed && p.via.is_none())
        .filter_map(|p| {
            let mut v = ctx.get(&p.parts[0].0)?;
            for (attr, _) in &p.parts[1..] {
                v = v
                    .as_map()?
                    .iter()
                    .find(|(k, _)| k.as_str() == Some(attr.as_str()))
                    .map(|(_, v)| v)?;
            }
            let keys: Vec<String> = v
                .as_map()?
                .iter()
                .filter_map(|(k, _)| k.as_str().map(String::from))
                .collect();
            Some(Unknown {
                path: p
                    .parts
                    .iter()
                    .map(|x| x.0.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
                span: p.span(),
                siblings: keys,
            })
        })
        .collect()
}

/// Every variable path `src` reads, but for the names it binds itself: what
/// [`unknown_among`] looks up, the same for every context (a template's are read
/// once a run).
#[cfg(test)]
pub fn read_paths(src: &str) -> Vec<NamePath> {
    walk(&tags(src), &Bindings::new()).0
}

/// What a narrative text reads and whether it joins text onto a set value, from
/// one reading of its tags: [`read_paths`] and [`growing_sets`] at once.
pub fn read_text(src: &str) -> TextRead {
    let tags = tags(src);
    TextRead {
        paths: walk(&tags, &Bindings::new()).0,
        growing: growing_of(&tags),
        template_tags: tags
            .iter()
            .filter(|t| t.statement)
            .filter_map(|t| match t.toks.first() {
                Some((Tok::Ident(kw @ ("include" | "extends" | "import" | "block")), r)) => Some((
                    kw.to_string(),
                    r.start..t.toks.last().map_or(r.end, |l| l.1.end),
                )),
                _ => None,
            })
            .collect(),
    }
}

/// What [`read_text`] finds in a narrative text.
pub struct TextRead {
    /// The variable paths it reads.
    pub paths: Vec<NamePath>,
    /// The `set`s that join text onto a set value ([`growing_sets`]).
    pub growing: Vec<(String, Range<usize>)>,
    /// Tags that bring in templates (`include`, `extends`, `import`, `block`):
    /// a text is a paragraph of the report, not a template of it.
    pub template_tags: Vec<(String, Range<usize>)>,
}

/// How many ways one template may be included (each with the names bound where
/// it is) before further ways go unchecked: the check stays linear.
const MAX_INCLUDE_SCOPES: usize = 8;

/// The paths each of a run's templates reads, by name, a template once for each
/// set of names it is included with. Tera shares with an included template the
/// names bound where the include is (`{% for s in summary.sections %}{% include
/// "partials/section.md" %}{% endfor %}`: `s` in the partial), so a template
/// that is included is read with those; one that is not, with none.
pub fn read_templates(templates: &[(&str, &str)]) -> Vec<(String, Vec<NamePath>)> {
    let read: Vec<(&str, Vec<Tag<'_>>)> =
        templates.iter().map(|(n, src)| (*n, tags(src))).collect();
    let included: BTreeSet<&str> = read
        .iter()
        .flat_map(|(_, tags)| tags.iter().filter_map(include_target))
        .collect();
    let mut scopes: Vec<Vec<Bindings>> = read
        .iter()
        .map(|(name, _)| {
            if included.contains(name) {
                Vec::new()
            } else {
                vec![Bindings::new()]
            }
        })
        .collect();
    let mut queue: Vec<(usize, Bindings)> = scopes
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.iter().map(move |b| (i, b.clone())))
        .collect();
    let mut out = Vec::new();
    while let Some((i, env)) = queue.pop() {
        let (paths, sites) = walk(&read[i].1, &env);
        out.push((read[i].0.to_string(), paths));
        for (target, site_env) in sites {
            let Some(j) = read.iter().position(|(n, _)| *n == target) else {
                continue;
            };
            if scopes[j].len() < MAX_INCLUDE_SCOPES && !scopes[j].contains(&site_env) {
                scopes[j].push(site_env.clone());
                queue.push((j, site_env));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The first include that nests more than `max` templates deep, as (template,
/// the include tag's range): Tera renders each include inside the one before,
/// on the stack, and a chain of a few hundred overflows it (found by an audit:
/// the process aborted). Cycles are Tera's to report, and are not followed.
pub fn too_deep_include(templates: &[(&str, &str)], max: usize) -> Option<(String, Range<usize>)> {
    let read: Vec<Vec<Tag<'_>>> = templates.iter().map(|(_, src)| tags(src)).collect();
    let edges: Vec<Vec<(usize, Range<usize>)>> = read
        .iter()
        .map(|tags| {
            tags.iter()
                .filter_map(|tag| {
                    let target = include_target(tag)?;
                    let j = templates.iter().position(|(n, _)| *n == target)?;
                    let span = tag.toks.first()?.1.start..tag.toks.last()?.1.end;
                    Some((j, span))
                })
                .collect()
        })
        .collect();
    // The longest chain below each template, without recursion (the chain itself
    // may be that deep): an explicit stack, a template on it counting as 0.
    let n = templates.len();
    let mut depth: Vec<Option<usize>> = vec![None; n];
    let mut on_stack = vec![false; n];
    for start in 0..n {
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        on_stack[start] = true;
        while let Some(&mut (i, ref mut next)) = stack.last_mut() {
            if let Some((j, _)) = edges[i].get(*next) {
                let j = *j;
                *next += 1;
                if depth[j].is_none() && !on_stack[j] {
                    on_stack[j] = true;
                    stack.push((j, 0));
                }
                continue;
            }
            let d = edges[i]
                .iter()
                .map(|(j, _)| {
                    if on_stack[*j] {
                        0
                    } else {
                        depth[*j].unwrap_or(0) + 1
                    }
                })
                .max()
                .unwrap_or(0);
            depth[i] = Some(d);
            on_stack[i] = false;
            stack.pop();
        }
    }
    let deepest = (0..n).max_by_key(|i| (depth[*i], std::cmp::Reverse(*i)))?;
    if depth[deepest]? <= max {
        return None;
    }
    // Down the deepest chain to the include that goes past `max`.
    let mut at = deepest;
    for level in 0.. {
        let (j, span) = edges[at].iter().max_by_key(|(j, _)| depth[*j])?.clone();
        if level + 1 >= max {
            return Some((templates[at].0.to_string(), span));
        }
        at = j;
    }
    None
}

/// The template an `{% include "…" %}` names.
fn include_target<'a>(tag: &Tag<'a>) -> Option<&'a str> {
    match (tag.toks.first(), tag.toks.get(1)) {
        (Some((Tok::Ident("include"), _)), Some((Tok::Str(n), _))) if tag.statement => Some(n),
        _ => None,
    }
}

/// The filters after which a loop's items are still the list's items.
const ITEM_KEEPING_FILTERS: [&str; 5] = ["sort", "reverse", "filter", "slice", "unique"];

/// Reads `tags` in order with the names bound around each: `outer` (where the
/// template is included), the names any `set` or component binds (for the whole
/// template: a set name is never looked up in the context), and each loop's
/// variables from its `{% for %}` to its `{% endfor %}`. Gives the paths read and
/// each include with the names bound where it is.
fn walk(tags: &[Tag<'_>], outer: &Bindings) -> (Vec<NamePath>, Vec<(String, Bindings)>) {
    let mut base = outer.clone();
    for tag in tags.iter().filter(|t| t.statement) {
        let toks = &tag.toks;
        match toks.first().map(|t| &t.0) {
            Some(Tok::Ident("set" | "set_global")) => {
                if let Some((Tok::Ident(name), _)) = toks.get(1) {
                    base.insert(name.to_string(), Binding::Opaque);
                }
            }
            Some(Tok::Ident("component")) => {
                for (t, _) in toks.iter().skip(2) {
                    if let Tok::Ident(name) = t {
                        base.insert(name.to_string(), Binding::Opaque);
                    }
                }
            }
            _ => {}
        }
    }
    let mut frames: Vec<Bindings> = vec![base];
    let mut found = Vec::new();
    let mut sites = Vec::new();
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
        let scope = Scope(&frames);
        if !tag.statement {
            // A component call (`{{ <metric … /> }}`) is left to Tera.
            if !matches!(toks.first(), Some((Tok::Punct("<"), _))) {
                let first = found.len();
                paths(toks, &scope, &mut found);
                // `{{ f.births }}` alone: one path, nothing else in the tag.
                if found.len() == first + 1
                    && toks
                        .iter()
                        .all(|(t, _)| matches!(t, Tok::Ident(_) | Tok::Punct(".")))
                {
                    found[first].printed = true;
                }
            }
            continue;
        }
        match toks.first().map(|t| &t.0) {
            Some(Tok::Ident("if" | "elif")) => paths(&toks[1..], &scope, &mut found),
            Some(Tok::Ident("set" | "set_global")) => {
                paths(toks.get(3..).unwrap_or(&[]), &scope, &mut found);
            }
            Some(Tok::Ident("filter")) => paths(toks.get(2..).unwrap_or(&[]), &scope, &mut found),
            Some(Tok::Ident("include")) => {
                if let Some(target) = include_target(tag) {
                    sites.push((target.to_string(), scope.flat()));
                }
            }
            Some(Tok::Ident("for")) => {
                let Some(at) = toks.iter().position(|t| t.0 == Tok::Ident("in")) else {
                    continue;
                };
                paths(&toks[at + 1..], &scope, &mut found);
                let vars: Vec<&str> = toks[1..at]
                    .iter()
                    .filter_map(|(t, _)| match t {
                        Tok::Ident(n) => Some(*n),
                        _ => None,
                    })
                    .collect();
                let over = loop_source(&toks[at + 1..], &scope);
                let mut frame = Bindings::new();
                match (vars.as_slice(), over) {
                    ([item], Some(mut steps)) => {
                        steps.push(Step::Item);
                        frame.insert(item.to_string(), Binding::Loop(steps));
                    }
                    ([key, value], Some(mut steps)) => {
                        frame.insert(key.to_string(), Binding::Opaque);
                        steps.push(Step::Value);
                        frame.insert(value.to_string(), Binding::Loop(steps));
                    }
                    _ => {
                        for v in vars {
                            frame.insert(v.to_string(), Binding::Opaque);
                        }
                    }
                }
                frames.push(frame);
            }
            Some(Tok::Ident("endfor")) if frames.len() > 1 => {
                frames.pop();
            }
            _ => {}
        }
    }
    (found, sites)
}

/// The names bound at one place of a template, innermost first.
struct Scope<'a>(&'a [Bindings]);

impl Scope<'_> {
    fn get(&self, name: &str) -> Option<&Binding> {
        self.0.iter().rev().find_map(|frame| frame.get(name))
    }

    /// Every name bound here, the innermost binding of each.
    fn flat(&self) -> Bindings {
        let mut all = Bindings::new();
        for frame in self.0 {
            all.extend(frame.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        all
    }
}

/// The steps to what a loop runs over, when it is a path (a loop variable's
/// fields included) with only item-keeping filters after it.
fn loop_source(toks: &[(Tok<'_>, Range<usize>)], scope: &Scope<'_>) -> Option<Vec<Step>> {
    let mut iter = toks.iter().map(|t| &t.0).peekable();
    let Some(Tok::Ident(root)) = iter.next() else {
        return None;
    };
    let mut steps = match scope.get(root) {
        Some(Binding::Loop(steps)) => steps.clone(),
        Some(Binding::Opaque) => return None,
        None if keyword(root) => return None,
        None => vec![Step::Key(root.to_string())],
    };
    while let Some(Tok::Punct(".")) = iter.peek() {
        iter.next();
        let Some(Tok::Ident(attr)) = iter.next() else {
            return None;
        };
        steps.push(Step::Key(attr.to_string()));
    }
    // Whatever follows must be item-keeping filters (with their arguments).
    let mut depth = 0usize;
    let mut expect_filter = false;
    for tok in iter {
        match tok {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => depth = depth.checked_sub(1)?,
            _ if depth > 0 => {}
            Tok::Punct("|") => expect_filter = true,
            Tok::Ident(f) if expect_filter => {
                if !ITEM_KEEPING_FILTERS.contains(f) {
                    return None;
                }
                expect_filter = false;
            }
            _ => return None,
        }
    }
    Some(steps)
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
            let inner = &src[(start + 1).min(i)..i];
            i = (i + 1).min(range.end);
            out.push((Tok::Str(inner), start..i));
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

fn paths(toks: &[(Tok<'_>, Range<usize>)], bound: &Scope<'_>, found: &mut Vec<NamePath>) {
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
        if attribute_or_filter || test || call_or_argument || keyword(name) {
            continue;
        }
        let via = match bound.get(name) {
            Some(Binding::Opaque) => continue,
            Some(Binding::Loop(steps)) => Some(steps.clone()),
            None => None,
        };
        let mut parts = vec![(name.to_string(), range.clone())];
        let mut k = i + 1;
        while let (Some((Tok::Punct("."), _)), Some((Tok::Ident(attr), r))) =
            (toks.get(k), toks.get(k + 1))
        {
            parts.push((attr.to_string(), r.clone()));
            k += 2;
        }
        found.push(NamePath {
            parts,
            via,
            printed: false,
        });
    }
}

/// The index of the first part of `path` the context does not hold, if any.
/// `real` walks the context, `shape` the same place in `shapes`; where the
/// context holds nothing to look in (null, an empty list), the shape decides.
fn unknown_at(
    path: &NamePath,
    ctx: &tera::Context,
    shapes: Option<&tera::Value>,
) -> Option<(usize, Vec<String>)> {
    fn keys(v: Option<&tera::Value>) -> Vec<String> {
        v.and_then(tera::Value::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, _)| k.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
    fn field<'v>(v: Option<&'v tera::Value>, key: &str) -> Option<&'v tera::Value> {
        v?.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
    fn first_of<'v>(v: Option<&'v tera::Value>, step: &Step) -> Option<&'v tera::Value> {
        match step {
            Step::Item => v?.as_array()?.first(),
            _ => v?.as_map()?.iter().next().map(|(_, v)| v),
        }
    }
    let root = path.parts[0].0.as_str();
    let (mut real, mut shape) = match &path.via {
        None => {
            let Some(v) = ctx.get(root) else {
                return Some((0, Vec::new()));
            };
            if root == "source" {
                return None;
            }
            (Some(v), field(shapes, root))
        }
        Some(steps) => {
            // Where the loop variable stands. A source that is not there is
            // reported where the loop names it, not at each use.
            let Some(Step::Key(first)) = steps.first() else {
                return None;
            };
            let real = ctx.get(first)?;
            if first == "source" {
                return None;
            }
            let (mut real, mut shape) = (Some(real), field(shapes, first));
            for step in &steps[1..] {
                (real, shape) = match step {
                    Step::Key(k) => match real {
                        Some(v) if v.as_map().is_some() => (Some(field(real, k)?), field(shape, k)),
                        Some(v) if !v.is_none() => return None,
                        _ => (None, field(shape, k)),
                    },
                    step => (first_of(real, step), first_of(shape, step)),
                };
                if real.is_none() && shape.is_none() {
                    return None;
                }
            }
            (real, shape)
        }
    };
    for (depth, (attr, _)) in path.parts.iter().enumerate().skip(1) {
        match real {
            Some(v) if v.as_map().is_some() => match field(real, attr) {
                Some(next) => {
                    shape = field(shape, attr);
                    real = Some(next);
                }
                // A metric with no target this year is still a metric.
                None if root == "target"
                    && path.via.is_none()
                    && depth == 1
                    && is_metric(attr, ctx) =>
                {
                    return None;
                }
                None => return Some((depth, keys(real))),
            },
            // A value that is there and holds no fields (a text, a number).
            Some(v) if !v.is_none() => return None,
            // Nothing there this year (no plan, an empty list): what it would hold.
            _ => match shape {
                Some(s) if s.as_map().is_some() => match field(shape, attr) {
                    Some(next) => {
                        real = None;
                        shape = Some(next);
                    }
                    None => return Some((depth, keys(shape))),
                },
                _ => return None,
            },
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
mod tests;
