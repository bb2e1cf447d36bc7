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

mod includes;
mod lex;
mod lookup;
mod scope;

use std::collections::BTreeSet;
use std::ops::Range;

pub use includes::Templates;
pub use lookup::{printed_tables, unknown_among};

use lex::{Tag, Tok, tags};
use scope::{Bindings, walk};

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

/// Every unknown name of `src` against `ctx`, in order of appearance.
#[cfg(test)]
pub fn unknown(src: &str, ctx: &tera::Context) -> Vec<Unknown> {
    unknown_among(&read_paths(src), ctx, None)
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

/// The block tag (`for`, `if`, `block`, `filter`, `component`, `raw`) that is
/// not closed where `src` needs it closed, with where it opens: the innermost
/// open block at an end tag of another kind, or the last left open at the end.
/// Tera then reports the later tag ("Unknown tag `endif`"), not the block
/// (found by an audit); this names the block.
pub fn unclosed_block(src: &str) -> Option<(String, Range<usize>)> {
    let mut open: Vec<(&str, Range<usize>)> = Vec::new();
    for tag in tags(src).iter().filter(|t| t.statement) {
        let Some((Tok::Ident(kw), r)) = tag.toks.first() else {
            continue;
        };
        let span = r.start..tag.toks.last().map_or(r.end, |l| l.1.end);
        match *kw {
            "for" | "if" | "block" | "filter" | "component" => open.push((kw, span)),
            end if end.starts_with("end") => match open.last() {
                Some((top, _)) if end[3..] == **top => {
                    open.pop();
                }
                Some((top, at)) => return Some((top.to_string(), at.clone())),
                None => {}
            },
            _ => {}
        }
    }
    open.pop().map(|(kw, at)| (kw.to_string(), at))
}

/// Each component's calls: (callee, template, where the call is written).
type Calls = std::collections::BTreeMap<String, Vec<(String, String, Range<usize>)>>;

/// A component that calls itself again, directly or through others, found in
/// the source: the template and range of the call that closes the circle, and
/// the names round it (`["a", "b", "a"]`). Tera stops such a render at its
/// recursion limit with a message that names no place (found by an audit).
/// Components may recurse on purpose, with a condition that ends it; this is
/// only asked once Tera has hit the limit.
pub fn component_cycle(templates: &[(&str, &str)]) -> Option<(String, Range<usize>, Vec<String>)> {
    // Each component's calls, with where each is written.
    let mut calls: Calls = std::collections::BTreeMap::new();
    for (template, src) in templates {
        let mut inside: Option<String> = None;
        for tag in tags(src) {
            let toks = &tag.toks;
            match (tag.statement, toks.first(), toks.get(1)) {
                (true, Some((Tok::Ident("component"), _)), Some((Tok::Ident(name), _))) => {
                    inside = Some(name.to_string());
                    calls.entry(name.to_string()).or_default();
                }
                (true, Some((Tok::Ident("endcomponent"), _)), _) => inside = None,
                (false, Some((Tok::Punct("<"), lt)), Some((Tok::Ident(callee), r))) => {
                    if let Some(caller) = &inside {
                        calls.entry(caller.clone()).or_default().push((
                            callee.to_string(),
                            template.to_string(),
                            lt.start..r.end,
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    // Depth-first from each component, in name order, for a call back onto the path.
    fn visit(
        name: &str,
        calls: &Calls,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<(String, Range<usize>, Vec<String>)> {
        path.push(name.to_string());
        for (callee, template, at) in calls.get(name).into_iter().flatten() {
            if path.iter().any(|p| p == callee) {
                let start = path.iter().position(|p| p == callee).unwrap_or(0);
                let mut circle = path[start..].to_vec();
                circle.push(callee.clone());
                return Some((template.clone(), at.clone(), circle));
            }
            if !done.contains(callee)
                && let Some(found) = visit(callee, calls, path, done)
            {
                return Some(found);
            }
        }
        path.pop();
        done.insert(name.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for name in calls.keys() {
        if let Some(found) = visit(name, &calls, &mut Vec::new(), &mut done) {
            return Some(found);
        }
    }
    None
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

#[cfg(test)]
mod tests;
