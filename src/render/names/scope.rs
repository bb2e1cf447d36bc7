//! Which names a template binds itself, where: loop variables, `set`s and
//! component arguments, scoped as Tera 2 scopes them; and the variable paths read
//! outside them.

use std::collections::BTreeSet;
use std::ops::Range;

use super::lex::{Tag, Tok, keyword};
use super::{NamePath, Printed, Step};

/// What a name a template binds stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Binding {
    /// A loop variable over a list or map reached by these steps.
    Loop(Vec<Step>),
    /// Anything else (`set`, a component's argument, a loop over an expression):
    /// its fields are not looked up.
    Opaque,
}

pub(super) type Bindings = std::collections::BTreeMap<String, Binding>;

/// The template an `{% include "…" %}` names.
pub(super) fn include_target<'a>(tag: &Tag<'a>) -> Option<&'a str> {
    match (tag.toks.first(), tag.toks.get(1)) {
        (Some((Tok::Ident("include"), _)), Some((Tok::Str(n), _))) if tag.statement => Some(n),
        _ => None,
    }
}

/// The filters after which a loop's items are still the list's items.
const ITEM_KEEPING_FILTERS: [&str; 5] = ["sort", "reverse", "filter", "slice", "unique"];

/// Reads `tags` in order with the names bound around each, as Tera 2 scopes
/// them: `outer` (where the template is included); a `set_global`, a component's
/// arguments and a `set` outside any loop, for the whole template (a set name is
/// never looked up in the context, even before its `set`); a `set` inside a loop,
/// from that loop's `{% for %}` to its `{% endfor %}`, as are the loop's variables
/// and `loop`, but not in the loop's `{% else %}` (which runs when there are no
/// items). Gives the paths read and each include with the names bound where it is.
pub(super) fn walk(tags: &[Tag<'_>], outer: &Bindings) -> (Vec<NamePath>, Vec<(String, Bindings)>) {
    let loop_sets = sets_by_loop(tags);
    let mut base = outer.clone();
    for name in &loop_sets.top {
        base.insert(name.clone(), Binding::Opaque);
    }
    let mut frames: Vec<Bindings> = vec![base];
    // The open `if`s and `for`s, innermost last: an `{% else %}` belongs to the
    // innermost one.
    let mut blocks: Vec<Block> = Vec::new();
    let mut loops_seen = 0usize;
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
                // `{{ f.births }}` alone: one path, nothing else in the tag; or
                // one item of a list (`{{ metrics | first }}`).
                let n = toks
                    .iter()
                    .take_while(|(t, _)| matches!(t, Tok::Ident(_) | Tok::Punct(".")))
                    .count();
                if found.len() == first + 1 {
                    found[first].printed = match &toks[n..] {
                        [] => Printed::Whole,
                        [(Tok::Punct("|"), _), (Tok::Ident("first"), _)] => Printed::First,
                        [(Tok::Punct("|"), _), (Tok::Ident("last"), _)] => Printed::Last,
                        _ => Printed::No,
                    };
                }
            }
            continue;
        }
        match toks.first().map(|t| &t.0) {
            Some(Tok::Ident("if")) => {
                paths(&toks[1..], &scope, &mut found);
                blocks.push(Block::If);
            }
            Some(Tok::Ident("elif")) => paths(&toks[1..], &scope, &mut found),
            Some(Tok::Ident("endif")) => {
                if let Some(at) = blocks.iter().rposition(|b| *b == Block::If) {
                    blocks.truncate(at);
                }
            }
            // The loop had no items: its variables are not there.
            Some(Tok::Ident("else")) if blocks.last() == Some(&Block::For) && frames.len() > 1 => {
                if let Some(frame) = frames.last_mut() {
                    frame.clear();
                }
            }
            Some(Tok::Ident("set" | "set_global")) => {
                paths(toks.get(3..).unwrap_or(&[]), &scope, &mut found);
            }
            Some(Tok::Ident("filter")) => paths(toks.get(2..).unwrap_or(&[]), &scope, &mut found),
            Some(Tok::Ident("include")) => {
                if let Some(target) = include_target(tag) {
                    // Tera 2 gives an included template the names bound here,
                    // but not `loop` (an audit: `loop.index` in a partial
                    // included in a loop failed when it rendered).
                    let mut env = scope.flat();
                    env.remove("loop");
                    sites.push((target.to_string(), env));
                }
            }
            Some(Tok::Ident("for")) => {
                // Without `in` Tera reports the syntax; the loop still counts.
                let at = toks
                    .iter()
                    .position(|t| t.0 == Tok::Ident("in"))
                    .unwrap_or(toks.len());
                paths(toks.get(at + 1..).unwrap_or(&[]), &scope, &mut found);
                let vars: Vec<&str> = toks[1..at]
                    .iter()
                    .filter_map(|(t, _)| match t {
                        Tok::Ident(n) => Some(*n),
                        _ => None,
                    })
                    .collect();
                let over = loop_source(toks.get(at + 1..).unwrap_or(&[]), &scope);
                let mut frame = Bindings::new();
                frame.insert("loop".to_string(), Binding::Opaque);
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
                // After the loop's variables: a loop variable set again in the
                // loop (`{% set x = x.display %}`) is no longer the item (found
                // by an audit: `{{ x }}` was taken for a record printed whole).
                for name in loop_sets.inside.get(loops_seen).into_iter().flatten() {
                    frame.insert(name.clone(), Binding::Opaque);
                }
                loops_seen += 1;
                frames.push(frame);
                blocks.push(Block::For);
            }
            Some(Tok::Ident("endfor")) => {
                if let Some(at) = blocks.iter().rposition(|b| *b == Block::For) {
                    blocks.truncate(at);
                    if frames.len() > 1 {
                        frames.pop();
                    }
                }
            }
            _ => {}
        }
    }
    (found, sites)
}

/// A block an `{% else %}` may belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    If,
    For,
}

/// The names `set` binds, by where they hold: the whole template, or one loop.
struct LoopSets {
    /// `set_global`s, component arguments, and `set`s outside every loop.
    top: BTreeSet<String>,
    /// For each `{% for %}` in order, the `set`s directly inside it (not inside
    /// a loop within it).
    inside: Vec<BTreeSet<String>>,
}

/// Every name a template sets, anywhere in it (`set`, `set_global`).
pub(super) fn all_sets(tags: &[Tag<'_>]) -> BTreeSet<String> {
    tags.iter()
        .filter(|t| t.statement)
        .filter_map(|t| match (t.toks.first(), t.toks.get(1)) {
            (Some((Tok::Ident("set" | "set_global"), _)), Some((Tok::Ident(name), _))) => {
                Some(name.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The template an `{% extends "…" %}` names.
pub(super) fn extends_target<'a>(tag: &Tag<'a>) -> Option<&'a str> {
    match (tag.toks.first(), tag.toks.get(1)) {
        (Some((Tok::Ident("extends"), _)), Some((Tok::Str(n), _))) if tag.statement => Some(n),
        _ => None,
    }
}

fn sets_by_loop(tags: &[Tag<'_>]) -> LoopSets {
    let mut sets = LoopSets {
        top: BTreeSet::new(),
        inside: Vec::new(),
    };
    // The indices into `inside` of the loops open here, innermost last.
    let mut open: Vec<usize> = Vec::new();
    for tag in tags.iter().filter(|t| t.statement) {
        let toks = &tag.toks;
        match toks.first().map(|t| &t.0) {
            Some(Tok::Ident("for")) => {
                open.push(sets.inside.len());
                sets.inside.push(BTreeSet::new());
            }
            Some(Tok::Ident("endfor")) => {
                open.pop();
            }
            Some(Tok::Ident("set")) => {
                if let Some((Tok::Ident(name), _)) = toks.get(1) {
                    match open.last() {
                        Some(&i) => sets.inside[i].insert(name.to_string()),
                        None => sets.top.insert(name.to_string()),
                    };
                }
            }
            Some(Tok::Ident("set_global")) => {
                if let Some((Tok::Ident(name), _)) = toks.get(1) {
                    sets.top.insert(name.to_string());
                }
            }
            Some(Tok::Ident("component")) => {
                // `body` is what a call puts between `{% <c> %}` and `{% </c> %}`.
                sets.top.insert("body".to_string());
                for (t, _) in toks.iter().skip(2) {
                    if let Tok::Ident(name) = t {
                        sets.top.insert(name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    sets
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
        // A component call (`<badge text={x} />`, `<note>`) wherever an
        // expression starts: its name is no variable (found by an audit), but
        // `a < limit` compares with one.
        let component = matches!(before, Some(Tok::Punct("<" | "</")))
            && (matches!(after, Some(Tok::Punct("/" | ">")))
                || (matches!(after, Some(Tok::Ident(_)))
                    && matches!(toks.get(i + 2).map(|t| &t.0), Some(Tok::Punct("=")))));
        if attribute_or_filter || test || call_or_argument || component || keyword(name) {
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
            printed: Printed::No,
        });
    }
}
