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
use scope::{Bindings, extends_target, walk};

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
    /// Whether what it names is printed as it is.
    printed: Printed,
}

/// How a path is printed: what [`printed_tables`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// Not printed as it is (a filter, an operator, a test).
    No,
    /// The whole expression of a `{{ … }}`.
    Whole,
    /// Its first item, by `| first`.
    First,
    /// Its last item, by `| last`.
    Last,
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

/// The template `src` extends (`{% extends "base.md" %}`), if it extends one.
pub fn extended(src: &str) -> Option<String> {
    tags(src)
        .iter()
        .find_map(extends_target)
        .map(str::to_string)
}

/// The names of the blocks `src` defines (`{% block plan %}`), in order.
pub fn block_names(src: &str) -> Vec<&str> {
    tags(src)
        .iter()
        .filter(|t| t.statement)
        .filter_map(|t| match (t.toks.first(), t.toks.get(1)) {
            (Some((Tok::Ident("block"), _)), Some((Tok::Ident(name), _))) => Some(*name),
            _ => None,
        })
        .collect()
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

/// The names of `src`'s `{% set %}`s that join a value onto itself twice
/// ([`doubling_of`]), with where they are set. Numbers (`{% set n = n + n %}`)
/// are not affected.
pub fn growing_sets(src: &str) -> Vec<(String, Range<usize>)> {
    growing_of(&tags(src))
}

fn growing_of(tags: &[Tag<'_>]) -> Vec<(String, Range<usize>)> {
    doubling_of(tags)
        .into_iter()
        .fold(Vec::new(), |mut first, (name, at)| {
            // Once a name: forty doublings are one mistake.
            if !first.iter().any(|(n, _)| *n == name) {
                first.push((name, at));
            }
            first
        })
}

/// One `set` of a template: the name, where it is written, and for each branch
/// of its expression (`a if c else b` has two) how often it reads each name
/// set somewhere in the template, the value itself (not `s | length`, `s[:1]`,
/// nor a condition: `if s`).
struct SetTag {
    name: String,
    at: Range<usize>,
    joins: bool,
    branches: Vec<std::collections::BTreeMap<String, usize>>,
}

fn set_tags(tags: &[Tag<'_>]) -> Vec<SetTag> {
    let target = |tag: &Tag<'_>| match (tag.toks.first(), tag.toks.get(1)) {
        (Some((Tok::Ident("set" | "set_global"), _)), Some((Tok::Ident(name), at)))
            if tag.statement =>
        {
            Some((name.to_string(), at.clone()))
        }
        _ => None,
    };
    let names: BTreeSet<String> = tags.iter().filter_map(target).map(|(n, _)| n).collect();
    tags.iter()
        .filter_map(|tag| {
            let (name, at) = target(tag)?;
            let expr = tag.toks.get(3..).unwrap_or(&[]);
            let tok = |k: usize| expr.get(k).map(|(t, _)| t);
            let mut branches = vec![std::collections::BTreeMap::new()];
            let mut depth = 0usize;
            let mut condition = false;
            for (i, (t, _)) in expr.iter().enumerate() {
                match t {
                    Tok::Punct("(" | "[" | "{") => depth += 1,
                    Tok::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
                    Tok::Ident("if") if depth == 0 => condition = true,
                    Tok::Ident("else") if depth == 0 => {
                        condition = false;
                        branches.push(std::collections::BTreeMap::new());
                    }
                    Tok::Ident(n) if !condition && names.contains(*n) => {
                        let after_attr = i.checked_sub(1).is_some_and(|j| {
                            matches!(
                                tok(j),
                                Some(
                                    Tok::Punct("." | "|") | Tok::Ident("if" | "and" | "or" | "not")
                                )
                            )
                        });
                        let piece = matches!(tok(i + 1), Some(Tok::Punct("[" | ".")))
                            || (matches!(tok(i + 1), Some(Tok::Punct("|")))
                                && matches!(
                                    tok(i + 2),
                                    Some(Tok::Ident(
                                        "length"
                                            | "wordcount"
                                            | "int"
                                            | "float"
                                            | "round"
                                            | "first"
                                            | "last"
                                            | "truncate"
                                            | "slice"
                                    ))
                                ));
                        if !after_attr
                            && !piece
                            && let Some(b) = branches.last_mut()
                        {
                            *b.entry(n.to_string()).or_default() += 1;
                        }
                    }
                    _ => {}
                }
            }
            Some(SetTag {
                name,
                at,
                joins: expr.iter().any(|(t, _)| *t == Tok::Punct("~")),
                branches,
            })
        })
        .collect()
}

/// The `set`s that join a value onto itself twice or more, through other set
/// names or not (`{% set s = s ~ s %}`; `b = a ~ a` where `a` is set from `b`):
/// each time such a set runs the text doubles, and forty runs are a terabyte
/// that no output limit sees before memory runs out. A text grown a piece at a
/// time (`s = s ~ x`, `s = s ~ ", " ~ x if s else x`) or joined from other
/// values (`full = first ~ " " ~ last`) is not one (found by audits).
fn doubling_of(tags: &[Tag<'_>]) -> Vec<(String, Range<usize>)> {
    let sets = set_tags(tags);
    // Which set names each one is made from, over all its sets.
    let mut deps: std::collections::BTreeMap<&str, BTreeSet<&str>> =
        std::collections::BTreeMap::new();
    for s in &sets {
        let entry = deps.entry(s.name.as_str()).or_default();
        for b in &s.branches {
            entry.extend(b.keys().map(String::as_str));
        }
    }
    // Whether `from` is made, however indirectly, from `to`.
    let feeds_back = |from: &str, to: &str| {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(deps.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    sets.iter()
        .filter(|s| s.joins)
        .filter(|s| {
            s.branches.iter().any(|b| {
                b.iter()
                    .filter(|(r, _)| feeds_back(r, &s.name))
                    .map(|(_, n)| n)
                    .sum::<usize>()
                    >= 2
            })
        })
        .map(|s| (s.name.clone(), s.at.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
