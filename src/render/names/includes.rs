//! A run's templates read together: an included template is read with the names
//! bound where it is included, and include chains too deep to render are found.

use std::collections::BTreeSet;
use std::ops::Range;

use super::NamePath;
use super::lex::{Tag, tags};
use super::scope::{Binding, Bindings, all_sets, extends_target, include_target, walk};

/// How many ways one template may be included (each with the names bound where
/// it is) before further ways go unchecked: the check stays linear.
const MAX_INCLUDE_SCOPES: usize = 8;

/// A run's templates, their tags read once for every check on them.
pub struct Templates<'a> {
    read: Vec<(&'a str, Vec<Tag<'a>>)>,
}

impl<'a> Templates<'a> {
    /// Reads the tags of each (name, source).
    pub fn read(templates: &[(&'a str, &'a str)]) -> Self {
        Templates {
            read: templates.iter().map(|(n, src)| (*n, tags(src))).collect(),
        }
    }

    /// The `set`s of each template that join a value onto itself more than once
    /// (`{% set s = s ~ s %}`), by template, with where the name is set. In a loop
    /// each such step doubles the text: 26 of them took 3.4 GB (found by an audit),
    /// a few more any memory there is, before the output limit sees a byte. Growing
    /// a text by a piece at a time (`{% set s = s ~ item %}`) is not one.
    pub fn doubling_sets(&self) -> Vec<(String, Range<usize>)> {
        self.read
            .iter()
            .flat_map(|(name, tags)| {
                super::doubling_of(tags)
                    .into_iter()
                    .map(|(_, at)| (name.to_string(), at))
            })
            .collect()
    }

    /// The paths each of a run's templates reads, by name, a template once for each
    /// set of names it is included with. Tera shares with an included template the
    /// names bound where the include is (`{% for s in summary.sections %}{% include
    /// "partials/section.md" %}{% endfor %}`: `s` in the partial), so a template
    /// that is included is read with those; one that is not, with none.
    pub fn paths(&self) -> Vec<(String, Vec<NamePath>)> {
        let read = &self.read;
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
        // A template and the one it extends render as one: a child's blocks see
        // what the parent sets, and the parent, after a block, what the block
        // sets (an audit: both were refused). Every name set anywhere in a
        // family of templates joined by `extends` is bound in each of them.
        let family = self.extends_families();
        let mut out = Vec::new();
        while let Some((i, mut env)) = queue.pop() {
            for name in &family[i] {
                env.entry(name.clone()).or_insert(Binding::Opaque);
            }
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

    /// For each template, the names set anywhere in the templates it is joined
    /// to by `extends`, either way, itself included.
    fn extends_families(&self) -> Vec<BTreeSet<String>> {
        let n = self.read.len();
        let position = |name: &str| self.read.iter().position(|(m, _)| *m == name);
        // Union-find over the extends edges.
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (i, (_, tags)) in self.read.iter().enumerate() {
            for target in tags.iter().filter_map(extends_target) {
                if let Some(j) = position(target) {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
            }
        }
        let mut names: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
        for (i, (_, tags)) in self.read.iter().enumerate() {
            let r = root(&mut parent, i);
            names[r].extend(all_sets(tags));
        }
        (0..n)
            .map(|i| names[root(&mut parent, i)].clone())
            .collect()
    }

    /// The first include that nests more than `max` templates deep, as (template,
    /// the include tag's range): Tera renders each include inside the one before,
    /// on the stack, and a chain of a few hundred overflows it (found by an audit:
    /// the process aborted). Cycles are Tera's to report, and are not followed.
    pub fn too_deep_include(&self, max: usize) -> Option<(String, Range<usize>)> {
        let templates = &self.read;
        let edges: Vec<Vec<(usize, Range<usize>)>> = templates
            .iter()
            .map(|(_, tags)| {
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
}
