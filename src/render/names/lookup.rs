//! Looking the paths a template reads up in a context.

use super::{NamePath, Printed, Step, Unknown};

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

/// The paths printed whole (`{{ f.births }}`, `{{ m }}` of a loop over the
/// metrics, `{{ metrics | first }}`, then named with its filter) that name a
/// table or a record, not one value: Tera would print it as a map (`{"first": "902", …}`, blanks where a
/// value is null), which no report means to say (found by audits). Where the
/// context holds nothing to look in (an empty list), `shapes` says what it would.
pub fn printed_tables(
    paths: &[NamePath],
    ctx: &tera::Context,
    shapes: Option<&tera::Value>,
) -> Vec<Unknown> {
    paths
        .iter()
        .filter(|p| p.printed != Printed::No)
        .filter_map(|p| {
            let keys: Vec<String> = printed_value(p, ctx, shapes)?
                .as_map()?
                .iter()
                .filter_map(|(k, _)| k.as_str().map(String::from))
                .collect();
            let path = p
                .parts
                .iter()
                .map(|x| x.0.as_str())
                .collect::<Vec<_>>()
                .join(".");
            Some(Unknown {
                path: match p.printed {
                    Printed::First => format!("{path} | first"),
                    Printed::Last => format!("{path} | last"),
                    _ => path,
                },
                span: p.span(),
                siblings: keys,
            })
        })
        .collect()
}

/// What `path` prints: in the context, else (nothing there this year) in `shapes`.
fn printed_value<'v>(
    path: &NamePath,
    ctx: &'v tera::Context,
    shapes: Option<&'v tera::Value>,
) -> Option<&'v tera::Value> {
    let (root, steps): (&str, &[Step]) = match &path.via {
        None => (path.parts[0].0.as_str(), &[]),
        Some(steps) => match steps.split_first() {
            Some((Step::Key(first), rest)) => (first.as_str(), rest),
            _ => return None,
        },
    };
    let (mut real, mut shape) = (ctx.get(root), field(shapes, root));
    for step in steps {
        (real, shape) = match step {
            Step::Key(k) => (field(real, k), field(shape, k)),
            step => (first_of(real, step), first_of(shape, step)),
        };
    }
    for (attr, _) in &path.parts[1..] {
        (real, shape) = (field(real, attr), field(shape, attr));
    }
    if matches!(path.printed, Printed::First | Printed::Last) {
        (real, shape) = (first_of(real, &Step::Item), first_of(shape, &Step::Item));
    }
    real.filter(|v| !v.is_none()).or(shape)
}

fn field<'v>(v: Option<&'v tera::Value>, key: &str) -> Option<&'v tera::Value> {
    v?.as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

/// The value a loop variable takes first, standing for all of them.
fn first_of<'v>(v: Option<&'v tera::Value>, step: &Step) -> Option<&'v tera::Value> {
    match step {
        Step::Item => v?.as_array()?.first(),
        _ => {
            // The values of a map of figures differ in their keys (`counts`,
            // `requests`): the first stands for all only when all have its
            // keys (found by an audit: `{% if v.received %}` refused).
            let map = v?.as_map()?;
            let first = map.iter().next().map(|(_, v)| v)?;
            let keys = |v: &tera::Value| {
                v.as_map().map(|m| {
                    m.iter()
                        .filter_map(|(k, _)| k.as_str().map(String::from))
                        .collect::<Vec<_>>()
                })
            };
            let want = keys(first);
            map.iter().all(|(_, v)| keys(v) == want).then_some(first)
        }
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
