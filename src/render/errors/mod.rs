//! Template errors as diagnostics. Tera 2 reports a located error in three shapes:
//! a `SyntaxError` or `RenderingError` with a byte span, a plain message that joins
//! one rustc-style report per unknown filter, test, function or include (`error: …`
//! / `--> name:line:col` / the line / `^^^`), and a few kinds with no position at
//! all (a missing parent). Every shape becomes one diagnostic per problem, pointing
//! into the template file, or into the TOML string of a narrative text rendered as a
//! template, with our own label and hint ([`hints`]); Tera's own drawing is never
//! passed on.

use std::collections::HashMap;
use std::ops::Range;

use super::names::extended;
use crate::diag::{Diagnostic, FileId, Loc, Sources};
use crate::model::LocStr;
use hints::{block_hint, hint, label, undefined_hint};

mod hints;

/// Name Tera gives a one-off template rendered from a string.
pub const ONE_OFF: &str = "__tera_one_off";

/// One problem found in a Tera error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Tera's message, first line.
    pub message: String,
    /// The template it is in (Tera's name for it; [`ONE_OFF`] for a narrative text).
    pub template: Option<String>,
    /// Byte range in that template's text, when known.
    pub span: Option<Range<usize>>,
    /// True for a syntax error (the template could not be read at all).
    pub syntax: bool,
    /// For a missing parent: the parent's name.
    pub missing_parent: Option<String>,
    /// For a name that is not defined, handed to a filter: the name as written.
    pub undefined: Option<String>,
}

/// Splits a Tera error into its problems; `source_of` gives a template's text (to turn
/// Tera's line and column into a byte range).
pub fn problems(err: &tera::Error, source_of: &dyn Fn(&str) -> Option<String>) -> Vec<Problem> {
    use tera::ErrorKind;
    let one = |message: String, template: Option<String>| Problem {
        message,
        template,
        span: None,
        syntax: false,
        missing_parent: None,
        undefined: None,
    };
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let source = source_of(r.filename());
            let range = &r.span().range;
            // A name that does not exist, handed to a filter: Tera says only that the
            // filter got an undefined value; name it.
            let undefined = (r.message().contains("but got `undefined`"))
                .then(|| source.as_deref().and_then(|s| path_at(s, range.start)))
                .flatten();
            // The span covers the first name; the whole path is what was written.
            let range = &match (&undefined, &source) {
                (Some(name), Some(_)) => range.start..range.start + name.len(),
                _ => range.clone(),
            };
            let message = match &undefined {
                Some(name) => format!("`{name}` is not defined"),
                None => name_the_tag(first_line(r.message()), source.as_deref(), range),
            };
            vec![Problem {
                message,
                template: Some(r.filename().to_string()).filter(|f| !f.is_empty()),
                span: Some(range.clone()),
                syntax: matches!(err.kind(), ErrorKind::SyntaxError(_)),
                missing_parent: None,
                undefined,
            }]
        }
        ErrorKind::MissingParent { current, parent } => vec![Problem {
            missing_parent: Some(parent.clone()),
            ..one(
                format!("`{current}` extends `{parent}`, which does not exist"),
                Some(current.clone()),
            )
        }],
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // Tera names the template where it noticed the loop, which is already
            // in the chain; the loop closes at the template that one extends.
            let parent = source_of(tpl).and_then(|src| extended(&src));
            let closes = parent.as_deref().unwrap_or(tpl.as_str());
            vec![one(
                format!(
                    "templates extend each other in a loop: {} → {closes}",
                    inheritance_chain.join(" → ")
                ),
                Some(tpl.clone()),
            )]
        }
        ErrorKind::CircularInclude { tpl, include_chain } => vec![one(
            format!(
                "templates include each other in a loop: {}",
                include_chain.join(" → ")
            ),
            Some(tpl.clone()),
        )],
        ErrorKind::TemplateNotFound(name) => {
            vec![one(format!("there is no template `{name}`"), None)]
        }
        ErrorKind::Msg(text) => {
            let reports = parse_reports(text, source_of);
            if reports.is_empty() {
                let mut message = first_line(text);
                let mut source = std::error::Error::source(err);
                while let Some(s) = source {
                    message.push_str(&format!(": {}", first_line(&s.to_string())));
                    source = s.source();
                }
                vec![one(message, None)]
            } else {
                reports
            }
        }
        other => vec![one(first_line(&other.to_string()), None)],
    }
}

/// The dotted path written at byte `at` of `src` (`m.birth_rat`), if one starts there.
fn path_at(src: &str, at: usize) -> Option<String> {
    let rest = src.get(at..)?;
    let end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(rest.len(), |(i, _)| i);
    let path = rest[..end].trim_end_matches('.');
    (!path.is_empty()).then(|| path.to_string())
}

/// Tera says "Unknown tag" without the tag: add it from the source.
fn name_the_tag(message: String, source: Option<&str>, span: &Range<usize>) -> String {
    match source.and_then(|s| s.get(span.clone())) {
        Some(tag) if message == "Unknown tag" && !tag.trim().is_empty() => {
            format!("Unknown tag `{}`", tag.trim())
        }
        _ => message,
    }
}

/// Reads the rustc-style reports Tera joins into one message for unknown filters,
/// tests, functions, components and includes.
fn parse_reports(text: &str, source_of: &dyn Fn(&str) -> Option<String>) -> Vec<Problem> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(locus) = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut it = locus.rsplitn(3, ':');
        let (Some(col), Some(line_no), Some(name)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let (Ok(col), Ok(line_no)) = (col.parse::<usize>(), line_no.parse::<usize>()) else {
            continue;
        };
        // The underline, two lines further down: its carets give the width in characters.
        let width = lines
            .get(i + 4)
            .map_or(1, |l| l.chars().filter(|c| *c == '^').count().max(1));
        let span = source_of(name).and_then(|src| char_span(&src, line_no, col, width));
        out.push(Problem {
            message: message.trim().to_string(),
            template: Some(name.to_string()),
            span,
            syntax: false,
            missing_parent: None,
            undefined: None,
        });
    }
    out
}

/// The byte range of `width` characters from 1-based `line` and `col` (in characters).
fn char_span(src: &str, line: usize, col: usize, width: usize) -> Option<Range<usize>> {
    let line_start = if line <= 1 {
        0
    } else {
        src.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &src[line_start..];
    let mut indices = rest.char_indices().map(|(i, _)| line_start + i);
    let start = indices.nth(col.saturating_sub(1))?;
    let end = src[start..]
        .char_indices()
        .nth(width)
        .map_or(src.len(), |(i, _)| start + i);
    Some(start..end)
}

/// The name of the template a problem sets aside when templates are loaded.
pub fn culprit(p: &Problem) -> Option<&str> {
    p.template.as_deref()
}

/// The template a problem says is missing: a parent of `extends`, or an include.
pub fn missing_template(p: &Problem) -> Option<&str> {
    match &p.missing_parent {
        Some(parent) => Some(parent),
        None if p.message.starts_with("Unknown template") => quoted(&p.message),
        None => None,
    }
}

/// The names a template could have meant, for "did you mean": every key of the
/// context it was rendered against, gathered only when there is an error.
pub type Known<'a> = &'a dyn Fn() -> Vec<String>;

/// No names to suggest from.
pub fn nothing_known() -> Vec<String> {
    Vec::new()
}

/// Turns a Tera error into diagnostics: in a template file (`files` gives each
/// template's source), or in the narrative text (a TOML string) that was rendered.
pub fn template_errors(
    err: &tera::Error,
    files: &HashMap<String, FileId>,
    narrative: Option<&LocStr>,
    sources: &Sources,
    known: Known,
) -> Vec<Diagnostic> {
    let source_of = |name: &str| -> Option<String> {
        if name == ONE_OFF {
            narrative.map(|t| t.text.clone())
        } else {
            files.get(name).map(|id| sources.get(*id).text.to_string())
        }
    };
    problems(err, &source_of)
        .into_iter()
        .map(|p| {
            let d = diagnostic(&p, files, narrative, sources);
            match &p.undefined {
                Some(name) => d.help(undefined_hint(name, known)),
                None => d,
            }
        })
        .collect()
}

/// The names a template reads that its context lacks ([`super::names`]), one
/// error each, at the name in `template` (a file's name) or in `narrative`.
pub fn unknown_names(
    unknown: &[super::names::Unknown],
    template: Option<&str>,
    files: &HashMap<String, FileId>,
    narrative: Option<&LocStr>,
    sources: &Sources,
    known: Known,
) -> Vec<Diagnostic> {
    unknown
        .iter()
        .map(|u| {
            let p = Problem {
                message: format!("`{}` is not defined", u.path),
                template: Some(template.unwrap_or(ONE_OFF).to_string()),
                span: Some(u.span.clone()),
                syntax: false,
                missing_parent: None,
                undefined: Some(u.path.clone()),
            };
            let mut hint = if u.siblings.is_empty() {
                undefined_hint(&u.path, known)
            } else {
                // Nearest among the keys where it was looked for: `m.nope` is
                // no metric, not a misspelt `name` of some record.
                let siblings = u.siblings.clone();
                undefined_hint(&u.path, &move || siblings.clone())
            };
            if let Some(t) = template.filter(|t| t.ends_with(".html")) {
                // The page's context is not the report's that `vars` prints.
                let section = if t == "diff.html" {
                    "The diff page"
                } else {
                    "The HTML page"
                };
                hint = hint.replace(
                    "`nianbao vars` shows every variable a template can use",
                    &format!("docs/templates.md lists the page's variables under \"{section}\""),
                );
            }
            diagnostic(&p, files, narrative, sources).help(hint)
        })
        .collect()
}

/// One problem as a diagnostic.
pub fn diagnostic(
    p: &Problem,
    files: &HashMap<String, FileId>,
    narrative: Option<&LocStr>,
    sources: &Sources,
) -> Diagnostic {
    let kind = if p.syntax {
        "template syntax error"
    } else {
        "template error"
    };
    let d = Diagnostic::error(format!("{kind}: {}", p.message));
    let in_narrative = narrative.is_some()
        && p.template
            .as_deref()
            .is_none_or(|t| t == ONE_OFF || t.is_empty());
    let mut span = p.span.clone();
    if let (Some(parent), Some(id)) = (
        &p.missing_parent,
        p.template.as_deref().and_then(|t| files.get(t)),
    ) {
        span = find_quoted(&sources.get(*id).text, parent);
    }
    let loc = if in_narrative {
        narrative.map(|t| match &span {
            Some(s) => t.map(s),
            None => t.loc.clone(),
        })
    } else {
        p.template
            .as_deref()
            .and_then(|t| files.get(t))
            .map(|id| Loc {
                file: *id,
                span: span.clone().unwrap_or(0..0),
            })
    };
    let unclosed = (p.message.starts_with("Unknown tag") || p.message.contains("end of input"))
        && !in_narrative;
    let open_block = loc
        .as_ref()
        .filter(|_| unclosed)
        .and_then(|l| super::names::unclosed_block(&sources.get(l.file).text).map(|b| (l.file, b)));
    // Tera's recursion limit names no place: the circle of calls does.
    let circle = if p.message.contains("recursion depth for components") {
        let texts: Vec<(String, std::sync::Arc<str>)> = files
            .iter()
            .map(|(n, id)| (n.clone(), sources.get(*id).text.clone()))
            .collect();
        let mut read: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), &**t)).collect();
        read.sort();
        super::names::component_cycle(&read)
    } else {
        None
    };
    if let Some((template, span, names)) = circle
        && let Some(id) = files.get(&template)
    {
        return d
            .at(Loc { file: *id, span }, "calls back into itself")
            .help(format!(
                "the components call each other in a circle ({}); give the circle a condition that ends it, or break it",
                names.join(" → ")
            ));
    }
    let d = match loc {
        Some(loc) => d.at(loc, label(p)),
        None => match &p.template {
            Some(t) if !in_narrative => d.in_file(format!("templates/{t}")),
            _ => d,
        },
    };
    let d = match open_block {
        Some((file, (kw, span))) => d.also(
            Loc { file, span },
            format!("this {{% {kw} %}} is not closed"),
        ),
        None => d,
    };
    if let Some(help) = block_hint(p, files, sources) {
        return d.help(help);
    }
    d.help_opt(hint(p, files))
}

/// Where `"name"` or `'name'` is written in a template (the argument of `extends`).
fn find_quoted(text: &str, name: &str) -> Option<Range<usize>> {
    ['"', '\''].into_iter().find_map(|q| {
        let needle = format!("{q}{name}{q}");
        text.find(&needle).map(|at| at..at + needle.len())
    })
}

/// The name between the first pair of backticks of a message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_teras_joined_reports() {
        let text = "error: Unknown filter `upperr`\n --> base.md:2:14\n  |\n2 | # {{ title | upperr }}\n  |              ^^^^^^\n\nerror: Unknown filter `wrongf`\n --> partials/plan.md:1:16\n  |\n1 | ## {{ t.plan | wrongf }}\n  |                ^^^^^^";
        let src = |name: &str| match name {
            "base.md" => Some("{# x #}\n# {{ title | upperr }}\n".to_string()),
            "partials/plan.md" => Some("## {{ t.plan | wrongf }}".to_string()),
            _ => None,
        };
        let ps = parse_reports(text, &src);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].message, "Unknown filter `upperr`");
        assert_eq!(ps[0].template.as_deref(), Some("base.md"));
        let base = src("base.md").unwrap();
        assert_eq!(&base[ps[0].span.clone().unwrap()], "upperr");
        let plan = src("partials/plan.md").unwrap();
        assert_eq!(&plan[ps[1].span.clone().unwrap()], "wrongf");
    }

    #[test]
    fn columns_are_characters_not_bytes() {
        let src = "第一行，第二行{{ m.people | nosuch }}";
        let span = char_span(src, 1, 22, 6).unwrap();
        assert_eq!(&src[span], "nosuch");
        assert_eq!(char_span(src, 3, 1, 1), None);
    }
}
