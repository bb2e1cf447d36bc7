//! One language's edition of a year's report: the context, the narrative
//! rendered against it, and `report.md`.

use super::*;

impl Renderer {
    /// One edition of a report: its context, its narrative rendered against it,
    /// and `report.md`; `None` (with the reasons in `diags`) when any of it fails.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn edition(
        &self,
        run: &RunView,
        year: &YearData,
        values: &YearValues,
        previous: Option<&YearValues>,
        years: &[i32],
        charts: &[Chart],
        lang: Lang,
        diags: &mut Diagnostics,
    ) -> Option<Edition> {
        let mut failed = false;
        let chart_refs = charts
            .iter()
            .filter(|c| c.lang == lang)
            .map(|c| ChartRef {
                metric: c.metric.clone(),
                file: c.file.clone(),
                alt: markdown_alt(&c.alt),
            })
            .collect();
        let mut context = ReportContext::new(
            run.project,
            year,
            values,
            previous,
            years.to_vec(),
            chart_refs,
            lang,
        );
        // Charts of one year only (a first year's breakdowns) show no trend: their
        // heading says what they show instead of 历年趋势 / Trends.
        let mut mine = charts.iter().filter(|c| c.lang == lang).peekable();
        if mine.peek().is_some() && mine.all(|c| c.years.len() < 2) {
            context.t.trends = lang.words().breakdowns;
        }
        let mut tera_ctx = match Context::from_serialize(&context) {
            Ok(c) => c,
            Err(e) => {
                diags.push(Diagnostic::error(format!(
                    "internal: cannot build the template context: {e}"
                )));
                return None;
            }
        };
        // The narrative texts of an edition share one output budget, so that
        // a hundred texts cannot each take the whole of it.
        let mut budget = bounded::MAX_RENDERED;
        // The footnote labels the edition's texts define so far.
        let mut note_labels: Vec<String> = Vec::new();
        // A text shown in the other language's words (untranslated) is rendered
        // in that language's context too: a Chinese sentence with English
        // numbers ("出生49 births") is neither edition's. Made on first need.
        let other_lang = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
        let mut other: Option<(ReportContext, Context)> = None;
        let (summary, plan) = narrative::render(year, lang, &mut |text: &LocStr, fallback| {
            // Most texts hold no expression at all: nothing for Tera to do.
            let template = narrative::has_template(&text.text);
            if template && fallback && other.is_none() {
                let c = ReportContext::new(
                    run.project,
                    year,
                    values,
                    previous,
                    years.to_vec(),
                    Vec::new(),
                    other_lang,
                );
                if let Ok(t) = Context::from_serialize(&c) {
                    other = Some((c, t));
                }
            }
            let (context, tera_ctx) = match (&other, fallback) {
                (Some((c, t)), true) => (c, t),
                _ => (&context, &tera_ctx),
            };
            if template {
                // Found before it renders, all at once, taken branch or not.
                let problems = text_errors(&self.files, text, tera_ctx, run.sources, context);
                if !problems.is_empty() {
                    failed = true;
                    diags.extend_items(problems);
                    return None;
                }
            }
            if self.broken {
                // Checked, not rendered: some templates did not compile.
                return Some(String::new());
            }
            let rendered = if template {
                bounded::render(budget, |w| {
                    self.tera.render_str_to(&text.text, tera_ctx, false, w)
                })
            } else {
                Ok(text.text.clone())
            };
            match rendered {
                Ok(out) => {
                    budget = budget.saturating_sub(out.len());
                    Some(narrative::finish_text(&out, fallback, lang))
                }
                Err(bounded::Stopped::TooLong { .. }) => {
                    failed = true;
                    diags.push(
                        too_long(
                            "this text renders to more than 10 MiB",
                            "the narrative texts of one edition may render to 10 MiB in all",
                        )
                        .at(text.loc.clone(), "this text"),
                    );
                    None
                }
                Err(bounded::Stopped::Tera(e)) => {
                    failed = true;
                    diags.extend_items(errors::template_errors(
                        &e,
                        &self.files,
                        Some(text),
                        run.sources,
                        &|| known_names(context),
                    ));
                    None
                }
            }
        });
        let (mut summary, mut plan) = (summary, plan);
        narrative::distinct_notes_of(summary.as_mut(), plan.as_mut(), &mut note_labels);
        // The narrative joins the context it was rendered against; only the new
        // keys are converted, not the whole context again.
        tera_ctx.insert("summary", &summary);
        tera_ctx.insert("plan", &plan);
        context.summary = summary;
        context.plan = plan;
        {
            // Every Markdown template, the partials a year does not use included
            // (plan.md in a year without a plan): a misspelt name in one is found
            // the first time, not the year it is first rendered; and in the same
            // run as a narrative text's.
            for (name, paths) in &self.markdown_names {
                let unknown = names::unknown_among(paths, &tera_ctx, Some(context::shapes()));
                if !unknown.is_empty() {
                    failed = true;
                    diags.extend_items(errors::unknown_names(
                        &unknown,
                        Some(name),
                        &self.files,
                        None,
                        run.sources,
                        &|| known_names(&context),
                    ));
                }
            }
            let printed = checks::printed_tables_in(
                &self.markdown_names,
                None,
                &tera_ctx,
                Some(context::shapes()),
                &self.files,
            );
            failed |= !printed.is_empty();
            diags.extend_items(printed);
        }
        if self.broken {
            return None;
        }
        let markdown = if failed {
            String::new()
        } else {
            let rendered = bounded::render(bounded::MAX_RENDERED, |w| {
                self.tera.render_to("report.md", &tera_ctx, w)
            });
            match rendered {
                Ok(md) => tidy_markdown(&md),
                Err(bounded::Stopped::TooLong { .. }) => {
                    failed = true;
                    let file = self.files.get("report.md").map(|id| run.sources.get(*id));
                    diags.push(
                        too_long(
                            &format!("the {} report renders to more than 10 MiB", lang.code()),
                            "a report may render to 10 MiB",
                        )
                        .in_file(file.map_or("report.md".into(), |f| f.display.clone())),
                    );
                    String::new()
                }
                Err(bounded::Stopped::Tera(e)) => {
                    failed = true;
                    diags.extend_items(errors::template_errors(
                        &e,
                        &self.files,
                        None,
                        run.sources,
                        &|| known_names(&context),
                    ));
                    String::new()
                }
            }
        };
        // PRODUCT.md: a non-final status shows as a banner on every output of
        // the year, and the HTML page and Word document carry the Markdown's. A
        // template that drops it would pass 快报 figures off as final (found by
        // an audit: nothing said so).
        if let Some(banner) = context.banner_title.filter(|_| !failed)
            && !markdown.contains(banner)
        {
            failed = true;
            // The project's own template that lost it, base.md before report.md.
            let own = |n: &str| run.project.templates.iter().any(|t| t.name == n);
            let name = ["base.md", "report.md"]
                .into_iter()
                .find(|n| own(n))
                .unwrap_or("report.md");
            let file = self
                .files
                .get(name)
                .map(|id| run.sources.get(*id).display.clone());
            diags.push(
                Diagnostic::error(format!(
                    "the {} report of {} shows no “{banner}” banner, but its status is {}",
                    lang.code(),
                    year.year,
                    if year.status == Status::Draft { "draft" } else { "preliminary" },
                ))
                .in_file(file.unwrap_or_else(|| "templates/report.md".into()))
                .help("a report that is not final says so at its top: keep `{% if banner %}> **{{ banner_title }}** {{ banner }}{% endif %}` in the template, as the built-in base.md has it"),
            );
        }
        (!failed).then_some(Edition {
            lang,
            markdown,
            context,
        })
    }
}

/// The error of a render past [`bounded::MAX_RENDERED`].
fn too_long(message: &str, limit: &str) -> Diagnostic {
    Diagnostic::error(message).help(format!(
        "{limit}: look for a loop that runs far more often than meant, such as nested `range` loops"
    ))
}

/// Alternative text inside `![…]`: escaped, so that neither a bracket nor markup of
/// a label ends it early or shows as markup.
fn markdown_alt(alt: &str) -> String {
    crate::escape::markdown(alt)
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
