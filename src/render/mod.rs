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
pub mod errors;
pub mod format;
pub mod html;

use std::collections::HashMap;

use serde_json::Value as Json;
use tera::{Context, Tera};

use crate::compute::YearValues;
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};
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
    pub extra_files: Vec<(String, std::sync::Arc<[u8]>)>,
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
    /// The same charts as files, shared by every year ([`Renderer::chart_files`]).
    pub chart_files: &'a [(String, std::sync::Arc<[u8]>)],
    /// Every source file, for located errors.
    pub sources: &'a Sources,
}

/// The template engine of one run, with the source of every template for errors.
pub struct Renderer {
    tera: Tera,
    /// Template name → source file, for located template errors.
    files: HashMap<String, FileId>,
}

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
        let mut set_aside: Vec<String> = Vec::new();
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
                    let source_of = |name: &str| {
                        batch
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, t)| t.to_string())
                    };
                    let mut culprits = Vec::new();
                    for p in errors::problems(&e, &source_of) {
                        // A template that extends or includes one already set aside for
                        // its own error would only repeat that error in a confusing way.
                        let secondary = errors::missing_template(&p)
                            .is_some_and(|t| set_aside.iter().any(|s| s == t));
                        if !secondary {
                            diags.push(errors::diagnostic(&p, &files, None, sources));
                        }
                        if let Some(t) = errors::culprit(&p) {
                            culprits.push(t.to_string());
                        }
                    }
                    let before = batch.len();
                    batch.retain(|(n, _)| !culprits.contains(n));
                    set_aside.extend(culprits);
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

    /// The chart SVG files written beside every year's reports, made once.
    pub fn chart_files(
        charts: &[(Lang, Vec<charts::Chart>)],
    ) -> Vec<(String, std::sync::Arc<[u8]>)> {
        charts
            .iter()
            .flat_map(|(_, list)| list)
            .map(|c| (c.file.clone(), std::sync::Arc::from(c.svg.as_bytes())))
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
            ..
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
                        diags.extend_items(errors::template_errors(
                            &e,
                            &self.files,
                            Some(text),
                            sources,
                        ));
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
                    diags.extend_items(errors::template_errors(&e, &self.files, None, sources));
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
                diags.extend_items(errors::template_errors(&e, &self.files, None, sources));
                return None;
            }
        };
        Some(RenderedYear {
            year: year.year,
            markdown_zh,
            markdown_en,
            html,
            contexts,
            extra_files: run.chart_files.to_vec(),
        })
    }

    /// Renders a string as a template against a context (for other outputs such as the diff page).
    pub fn render_named(&self, name: &str, ctx: &Json) -> Result<String, String> {
        let ctx = Context::from_serialize(ctx).map_err(|e| e.to_string())?;
        // Tera's Display draws its own report; keep the messages alone.
        self.tera.render(name, &ctx).map_err(|e| {
            let messages: Vec<String> = errors::problems(&e, &|_| None)
                .into_iter()
                .map(|p| match p.template {
                    Some(t) => format!("{t}: {}", p.message),
                    None => p.message,
                })
                .collect();
            messages.join("; ")
        })
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
