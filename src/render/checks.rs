//! What the templates and texts of a report must not do, found before anything
//! renders: the checks of a narrative text, and the names a context holds for
//! "did you mean".

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::context::{self, ReportContext};
use super::{errors, names, narrative};
use crate::compute::YearValues;
use crate::diag::{Diagnostic, FileId, Sources};
use crate::i18n::Lang;
use crate::model::{LocStr, Project, YearData};

/// What a narrative text must not do, found in its source: read a name the
/// report does not have ([`names::unknown_among`]), or join text onto a value it
/// set ([`names::growing_sets`]), from one reading of its tags.
pub(super) fn text_errors(
    files: &HashMap<String, FileId>,
    text: &LocStr,
    tera_ctx: &Context,
    sources: &Sources,
    context: &ReportContext,
) -> Vec<Diagnostic> {
    let names::TextRead {
        paths,
        growing,
        template_tags,
    } = names::read_text(&text.text);
    let mut found: Vec<Diagnostic> = growing
        .into_iter()
        .map(|(name, at)| {
            Diagnostic::error(format!(
                "template error: `{name}` is set from itself joined twice, doubling it each time it runs"
            ))
            .at(text.map(&at), "doubles this value")
            .help("each such step doubles the text, past any memory; join the pieces once (`{% set s = s ~ x %}`), or write the sentence out")
        })
        .collect();
    // A text that includes a template would put a part of the report (the
    // plan, the narrative itself) inside a paragraph.
    for (kw, at) in template_tags {
        found.push(
            Diagnostic::error(format!("template error: a narrative text cannot use `{kw}`"))
                .at(text.map(&at), "a template tag in a text")
                .help("a text is one paragraph of the report; include templates from the project's templates (templates/report.md)"),
        );
    }
    // A text cannot quote the narrative it is part of: `summary` and `plan` are
    // what is being rendered (null in its context, whatever their shape says).
    let (own, other): (Vec<_>, Vec<_>) = paths
        .into_iter()
        .partition(|p| !matches!(p.root(), "summary" | "plan"));
    for p in other {
        found.push(
            Diagnostic::error(format!(
                "template error: a narrative text cannot use `{}`",
                p.root()
            ))
            .at(text.map(&p.span()), "the narrative being written")
            .help("summary and plan are made of the texts themselves; write the words here, or use them from a template of the project (partials/summary.md)"),
        );
    }
    found.extend(errors::unknown_names(
        &names::unknown_among(&own, tera_ctx, Some(context::shapes())),
        None,
        files,
        Some(text),
        sources,
        &|| known_names(context),
    ));
    found.extend(
        names::printed_tables(&own, tera_ctx, Some(context::shapes()))
            .iter()
            .map(|t| printed_table(t, Some(text.map(&t.span)))),
    );
    found
}

/// The error of a table or record printed whole (see [`names::printed_tables`]),
/// at `at`.
pub(super) fn printed_table(t: &names::Unknown, at: Option<crate::diag::Loc>) -> Diagnostic {
    // An item picked by a filter is named through a variable: `{% set … %}`.
    let (set, path) = match t.path.contains(" | ") {
        true => (format!("`{{% set one = {} %}}` then ", t.path), "one"),
        false => (String::new(), t.path.as_str()),
    };
    let some: Vec<String> = t
        .siblings
        .iter()
        .take(3)
        .map(|k| format!("`{{{{ {path}.{k} }}}}`"))
        .collect();
    let d = Diagnostic::error(format!(
        "template error: `{}` is a table or a record of several values, not one value",
        t.path
    ))
    .help(if some.is_empty() {
        "print one of its values, not the whole of it".to_string()
    } else {
        format!("print one of its values: {set}{}", some.join(", "))
    });
    match at {
        Some(loc) => d.at(loc, "printed whole"),
        None => d,
    }
}

/// The tables and records the templates of `names` print whole, as errors.
pub(super) fn printed_tables_in(
    names: &[(String, Vec<names::NamePath>)],
    only: Option<&str>,
    tera_ctx: &Context,
    shapes: Option<&tera::Value>,
    files: &HashMap<String, FileId>,
) -> Vec<Diagnostic> {
    names
        .iter()
        .filter(|(name, _)| only.is_none_or(|o| o == name))
        .flat_map(|(name, paths)| {
            names::printed_tables(paths, tera_ctx, shapes)
                .into_iter()
                .map(|t| {
                    let at = files.get(name).map(|id| crate::diag::Loc {
                        file: *id,
                        span: t.span.clone(),
                    });
                    printed_table(&t, at)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The static errors of the narrative of a year that does not render because its
/// data has errors, so that one `check` lists them with the data's: its texts
/// against the report context with every metric undefined (which has every name
/// a report of that year has).
pub fn unrendered_narrative_errors(
    project: &Project,
    year: &YearData,
    sources: &Sources,
    engine: Option<&Renderer>,
) -> Vec<Diagnostic> {
    let values = YearValues {
        year: year.year,
        metrics: project
            .catalogue
            .metrics
            .keys()
            .map(|name| (name.clone(), None))
            .collect(),
        targets: Vec::new(),
        plan_targets: Vec::new(),
    };
    let files = HashMap::new();
    let mut found = Vec::new();
    for lang in Lang::ALL {
        let context = ReportContext::new(
            project,
            year,
            &values,
            None,
            vec![year.year],
            Vec::new(),
            lang,
        );
        let Ok(tera_ctx) = Context::from_serialize(&context) else {
            continue;
        };
        narrative::render(year, lang, &mut |text: &LocStr, _| {
            if narrative::has_template(&text.text) {
                found.extend(text_errors(&files, text, &tera_ctx, sources, &context));
            }
            Some(String::new())
        });
        // The templates' names too: with no narrative rendered, `summary` and
        // `plan` are looked up in their shapes.
        let markdown_names = engine.map_or(&[][..], |e| &e.markdown_names[..]);
        found.extend(printed_tables_in(
            markdown_names,
            None,
            &tera_ctx,
            Some(context::shapes()),
            engine.map_or(&files, |e| &e.files),
        ));
        for (name, paths) in markdown_names {
            let unknown = names::unknown_among(paths, &tera_ctx, Some(context::shapes()));
            found.extend(errors::unknown_names(
                &unknown,
                Some(name),
                engine.map_or(&files, |e| &e.files),
                None,
                sources,
                &|| known_names(&context),
            ));
        }
    }
    found
}

/// Every key of a page's context, for "did you mean".
pub(super) fn page_known_names<T: Serialize>(context: &T) -> Vec<String> {
    serde_json::to_value(context)
        .ok()
        .and_then(|v| v.as_object().map(|m| m.keys().cloned().collect()))
        .unwrap_or_default()
}

/// Every key anywhere in the context, for "did you mean" when a name is not defined.
pub(super) fn known_names(context: &ReportContext) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    walk(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    if let Ok(value) = serde_json::to_value(context) {
        walk(&value, &mut out);
    }
    out.into_iter().collect()
}
