//! Stage 4, render: turns a year's data and computed values into the report texts.
//! One Tera instance, built once per process from the built-in templates and the
//! project's overrides, serves every year and both languages. Narrative texts are
//! themselves rendered as templates against the same context, so a number in a
//! paragraph is the number in the table. The HTML page is rendered from the very
//! Markdown written to disk.

pub mod assets;
pub mod charts;
pub mod context;
pub mod data;
pub mod format;
pub mod html;

use std::collections::HashMap;

use serde_json::Value as Json;
use tera::{Context, Tera};

use crate::compute::YearValues;
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Sources};
use crate::load::{Lang, LocStr, Project, YearData};

/// The rendered texts of one year.
#[derive(Debug, Clone)]
pub struct RenderedYear {
    /// The year.
    pub year: i32,
    /// `report.zh.md`.
    pub markdown_zh: String,
    /// `report.en.md`.
    pub markdown_en: String,
    /// `report.html`.
    pub html: String,
    /// The context each language saw (for `nianbao vars`).
    pub contexts: Vec<(Lang, Json)>,
    /// Further files written beside the reports (chart SVGs), by file name.
    pub extra_files: Vec<(String, Vec<u8>)>,
}

/// What every year of a run shares when it renders.
#[derive(Clone, Copy)]
pub struct RunView<'a> {
    /// The project.
    pub project: &'a Project,
    /// The computed values of every year that computed, oldest first.
    pub all_values: &'a [&'a YearValues],
    /// The trend charts, per language ([`Renderer::charts`]).
    pub charts: &'a [(Lang, Vec<charts::Chart>)],
    /// Every source file, for located errors.
    pub sources: &'a Sources,
}

/// The template engine of one run, with the source of every template for errors.
pub struct Renderer {
    tera: Tera,
    /// Template name → source file, for located template errors.
    files: HashMap<String, FileId>,
}

/// Name Tera gives a one-off template rendered from a string.
const ONE_OFF: &str = "__tera_one_off";

impl Renderer {
    /// Builds the engine: built-in templates first, then the project's files, which
    /// replace built-ins of the same name. Template syntax errors become diagnostics
    /// (and `None`).
    pub fn new(project: &Project, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Self> {
        let mut tera = Tera::new();
        let mut files = HashMap::new();
        let mut sources_by_name: Vec<(String, std::sync::Arc<str>)> = Vec::new();
        for (name, text) in assets::TEMPLATES {
            if project.templates.iter().any(|t| t.name == *name) {
                continue;
            }
            let id = sources.add(
                std::path::Path::new(name),
                format!("<built-in>/templates/{name}"),
                std::sync::Arc::from(*text),
            );
            files.insert(name.to_string(), id);
            sources_by_name.push((name.to_string(), std::sync::Arc::from(*text)));
        }
        for t in &project.templates {
            files.insert(t.name.clone(), t.file);
            sources_by_name.push((t.name.clone(), t.text.clone()));
        }
        // Add everything at once (parents must be present for `extends`); when that
        // fails, report the culprit, set it aside and try again, so that every broken
        // template is reported in one run, not just the first.
        let mut batch = sources_by_name;
        let mut ok = true;
        loop {
            let mut attempt = Tera::new();
            register(&mut attempt);
            attempt.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
            match attempt.add_raw_templates(batch.iter().map(|(n, t)| (n.as_str(), &**t))) {
                Ok(()) => {
                    tera = attempt;
                    break;
                }
                Err(e) => {
                    ok = false;
                    diags.push(template_error(&e, &files, None, sources));
                    let culprit = culprit(&e);
                    let before = batch.len();
                    batch.retain(|(n, _)| Some(n.as_str()) != culprit.as_deref());
                    if batch.len() == before {
                        break;
                    }
                }
            }
        }
        if !ok {
            return None;
        }
        Some(Renderer { tera, files })
    }

    /// The trend charts of a run, per language: each charted metric over every
    /// year in `data/` (PRODUCT.md), so every year's report shows the same charts
    /// and they are drawn once per run, not once per year.
    pub fn charts(
        project: &Project,
        all_values: &[&YearValues],
    ) -> Vec<(Lang, Vec<charts::Chart>)> {
        let years: Vec<i32> = all_values.iter().map(|v| v.year).collect();
        Lang::ALL
            .iter()
            .map(|&lang| (lang, charts::page_charts(project, all_values, &years, lang)))
            .collect()
    }

    /// Renders one year in both languages, and the HTML page. `charts` comes from
    /// [`Renderer::charts`]: written beside the reports as SVG files for the
    /// Markdown, and inlined in the HTML page.
    pub fn render_year(
        &self,
        run: &RunView,
        year: &YearData,
        values: &YearValues,
        diags: &mut Diagnostics,
    ) -> Option<RenderedYear> {
        let RunView {
            project,
            all_values,
            charts,
            sources,
        } = *run;
        let mut markdown = Vec::new();
        let mut contexts = Vec::new();
        let mut failed = false;
        for (lang, lang_charts) in charts {
            let lang = *lang;
            let mut ctx_json = context::base(project, year, values, all_values, lang);
            if let Json::Object(map) = &mut ctx_json {
                let list: Vec<Json> = lang_charts
                    .iter()
                    .map(|c| {
                        // Alt text in `![…]`: brackets and backslashes must not end it early.
                        let alt: String = c
                            .alt
                            .chars()
                            .flat_map(|ch| match ch {
                                '[' | ']' | '\\' => vec!['\\', ch],
                                _ => vec![ch],
                            })
                            .collect();
                        serde_json::json!({ "metric": c.metric, "file": c.file, "alt": alt })
                    })
                    .collect();
                map.insert("charts".into(), Json::Array(list));
            }
            let base_ctx = match Context::from_serialize(&ctx_json) {
                Ok(c) => c,
                Err(e) => {
                    diags.push(Diagnostic::error(format!(
                        "internal: cannot build the template context: {e}"
                    )));
                    return None;
                }
            };
            let narrative =
                context::narrative(year, lang, &mut |text: &LocStr, fallback: bool| match self
                    .tera
                    .render_str(&text.text, &base_ctx, false)
                {
                    Ok(out) => Some(context::finish_text(&out, fallback, lang)),
                    Err(e) => {
                        failed = true;
                        diags.push(template_error(&e, &self.files, Some(text), sources));
                        None
                    }
                });
            // The narrative joins the context it was rendered against; only the new
            // keys are converted, not the whole context again.
            let mut ctx = base_ctx;
            for (k, v) in narrative {
                ctx.insert(k.clone(), &v);
                if let Json::Object(map) = &mut ctx_json {
                    map.insert(k, v);
                }
            }
            if failed {
                contexts.push((lang, ctx_json));
                continue;
            }
            match self.tera.render("report.md", &ctx) {
                Ok(md) => markdown.push(tidy_markdown(&md)),
                Err(e) => {
                    failed = true;
                    diags.push(template_error(&e, &self.files, None, sources));
                }
            }
            contexts.push((lang, ctx_json));
        }
        if failed || markdown.len() != 2 {
            return None;
        }
        let markdown_en = markdown.pop()?;
        let markdown_zh = markdown.pop()?;
        let page = html::page_context(
            project,
            year,
            values,
            all_values,
            &markdown_zh,
            &markdown_en,
            charts,
        );
        let ctx = Context::from_serialize(&page).ok()?;
        let html = match self.tera.render("report.html", &ctx) {
            Ok(h) => h,
            Err(e) => {
                diags.push(template_error(&e, &self.files, None, sources));
                return None;
            }
        };
        Some(RenderedYear {
            year: year.year,
            markdown_zh,
            markdown_en,
            html,
            contexts,
            extra_files: charts
                .iter()
                .flat_map(|(_, list)| list)
                .map(|c| (c.file.clone(), c.svg.clone().into_bytes()))
                .collect(),
        })
    }

    /// Renders a string as a template against a context (for other outputs such as the diff page).
    pub fn render_named(&self, name: &str, ctx: &Json) -> Result<String, String> {
        let ctx = Context::from_serialize(ctx).map_err(|e| e.to_string())?;
        self.tera.render(name, &ctx).map_err(|e| e.to_string())
    }
}

/// The template an engine error is about, when Tera says.
fn culprit(err: &tera::Error) -> Option<String> {
    use tera::ErrorKind;
    match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r.filename().to_string()),
        ErrorKind::MissingParent { current, .. } => Some(current.clone()),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Some(tpl.clone())
        }
        _ => None,
    }
}

/// Registers nianbao's filters; both the real engine and the per-file probes use it.
fn register(tera: &mut Tera) {
    tera.register_filter("cn_num", |n: i64, _: tera::Kwargs, _: &tera::State| {
        format::chinese_numeral(n.max(0) as u64)
    });
    // A table cell: a `|` in a label must not split the cell.
    tera.register_filter("cell", |s: String, _: tera::Kwargs, _: &tera::State| {
        s.replace('|', "\\|").replace('\n', " ")
    });
    tera.register_filter("numeral", |n: i64, _: tera::Kwargs, state: &tera::State| {
        let lang: Option<String> = state.get("lang").ok().flatten();
        match lang.as_deref() {
            Some("zh") => format::chinese_numeral(n.max(0) as u64),
            _ => n.to_string(),
        }
    });
}

/// Collapses runs of blank lines that template logic leaves behind and ends the
/// file with exactly one newline (markdownlint MD012, MD047).
fn tidy_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    for line in md.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Turns a Tera error into a located diagnostic: in a template file, or in the
/// narrative text (a TOML string) that was rendered as a template.
pub fn template_error(
    err: &tera::Error,
    files: &HashMap<String, FileId>,
    narrative: Option<&LocStr>,
    sources: &Sources,
) -> Diagnostic {
    use tera::ErrorKind;
    let _ = sources;
    let (kind_word, report) = match err.kind() {
        ErrorKind::SyntaxError(r) => ("template syntax error", Some(r)),
        ErrorKind::RenderingError(r) => ("template error", Some(r)),
        _ => ("template error", None),
    };
    let mut message_tail = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message_tail.push_str(&format!(": {s}"));
        source = s.source();
    }
    let Some(report) = report else {
        let text = err.kind().to_string();
        let help = match err.kind() {
            ErrorKind::MissingParent { parent, .. } => Some(format!(
                "there is no template `{parent}`: check the name in `{{% extends %}}`, or run `nianbao templates list`"
            )),
            ErrorKind::TemplateNotFound(name) => Some(format!(
                "there is no template `{name}`; run `nianbao templates list` to see the built-in ones"
            )),
            _ => None,
        };
        let d = Diagnostic::error(format!("{kind_word}: {}{message_tail}", first_line(&text)));
        let d = match narrative {
            Some(t) => d.at(t.loc.clone(), "in this text"),
            None => match err.kind() {
                ErrorKind::MissingParent { current, .. } => match files.get(current) {
                    Some(id) => d.at(
                        Loc {
                            file: *id,
                            span: 0..0,
                        },
                        "extends a missing template",
                    ),
                    None => d,
                },
                _ => d,
            },
        };
        return d.help_opt(help.or_else(|| rest_lines(&text)));
    };
    let message = report.message().to_string();
    let span = report.span().range.clone();
    let help = hint_for(&message);
    let d = Diagnostic::error(format!("{kind_word}: {}", first_line(&message)));
    let loc = if report.filename() == ONE_OFF || report.filename().is_empty() {
        narrative.map(|t| t.map(&span))
    } else {
        files
            .get(report.filename())
            .map(|id| Loc { file: *id, span })
    };
    match (loc, narrative) {
        (Some(loc), _) => d.at(loc, label_for(&message)),
        (None, Some(t)) => d.at(t.loc.clone(), "in this text"),
        (None, None) => d.in_file(format!("templates/{}", report.filename())),
    }
    .help_opt(help)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

fn rest_lines(s: &str) -> Option<String> {
    let rest: Vec<&str> = s
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!rest.is_empty()).then(|| rest.join(" "))
}

fn label_for(message: &str) -> String {
    if message.contains("not found") || message.contains("Unknown") || message.contains("undefined")
    {
        "not defined here".into()
    } else {
        "here".into()
    }
}

fn hint_for(message: &str) -> Option<String> {
    if message.contains("end of input") || message.contains("EOF") {
        Some("a block is not closed: check that every {% for %} has {% endfor %} and every {% if %} has {% endif %}".into())
    } else if message.contains("not found in context") || message.contains("not found") {
        Some("run `nianbao vars` to see every variable a template can use".into())
    } else {
        None
    }
}
