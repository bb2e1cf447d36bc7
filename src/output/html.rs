//! The HTML backend: `report.html`, one self-contained page with both editions.
//! Each edition is the very Markdown written to disk, turned into HTML with raw HTML
//! shown as text and script links dropped, the charts inlined, inside the page
//! template `report.html`.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::{OutputFile, YearInput};
use crate::diag::Diagnostic;
use crate::model::Status;
use crate::render::context::{Labels, title};

/// The Markdown dialect of the reports (see [`crate::escape::MARKDOWN`]).
pub fn markdown_options() -> Options {
    crate::escape::MARKDOWN
}

/// Converts report Markdown to HTML. Raw HTML from data is turned into text, and
/// links whose scheme could run code (`javascript:`, `vbscript:`, `data:`) keep
/// their text but lose the link.
pub fn markdown_to_html(md: &str) -> String {
    markdown_to_html_with(md, &[]).0
}

/// As [`markdown_to_html`], and an image whose address is the file name of one of
/// `inline` (`chart-birth_rate.en.svg`) becomes that chart's SVG, inline, so the
/// page needs no other file. Returns the HTML and the charts that were inlined.
pub fn markdown_to_html_with(md: &str, inline: &[(&str, &str)]) -> (String, Vec<String>) {
    markdown_to_html_in(md, inline, "")
}

/// As [`markdown_to_html_with`], the ids of its footnotes starting with `ids`
/// (`zh-`), so that the two editions of one page do not share an id.
pub fn markdown_to_html_in(md: &str, inline: &[(&str, &str)], ids: &str) -> (String, Vec<String>) {
    let mut dropped_links = Vec::new();
    let mut used = Vec::new();
    // Inside an inlined image, its alt-text events are dropped (the SVG has its own label).
    let mut in_inlined = false;
    let events = Parser::new_ext(md, markdown_options()).filter_map(|event| match event {
        _ if in_inlined => {
            if matches!(event, Event::End(TagEnd::Image)) {
                in_inlined = false;
            }
            None
        }
        Event::Start(Tag::Image { ref dest_url, .. })
            if inline.iter().any(|(file, _)| *file == dest_url.as_ref()) =>
        {
            let (file, svg) = inline.iter().find(|(file, _)| *file == dest_url.as_ref())?;
            used.push(file.to_string());
            in_inlined = true;
            Some(Event::Html(CowStr::from(svg.trim_end().to_string())))
        }
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { dest_url, .. }) if crate::escape::unsafe_url(&dest_url) => {
            dropped_links.push(true);
            None
        }
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            link_type,
        }) if crate::escape::unsafe_url(&dest_url) => {
            let _ = (title, id, link_type);
            dropped_links.push(true);
            Some(Event::Text(CowStr::from("")))
        }
        // The address as the Word document has it: pulldown-cmark's writer
        // leaves a `%` that starts no escape (`100%`), which is no valid URL.
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            dropped_links.push(false);
            Some(Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(crate::escape::uri(&dest_url)),
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if dropped_links.pop().unwrap_or(false) {
                None
            } else {
                Some(event)
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            dropped_links.push(false);
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(crate::escape::uri(&dest_url)),
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(md.len() * 2);
    let events = footnotes(
        marked_untranslated(wrapped_tables(marked_trends(events))),
        ids,
    );
    html::push_html(&mut out, events.into_iter());
    (out, used)
}

/// Footnotes as GFM shows them: each reference a number linking to its note,
/// the notes in a list at the end, in the order first referenced, each linking
/// back. pulldown-cmark's own markup uses the bare label as the id, which the
/// other edition on the page has too.
fn footnotes<'a>(events: Vec<Event<'a>>, ids: &str) -> Vec<Event<'a>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::FootnoteReference(_)))
    {
        // Nothing refers to a note: a definition alone is not shown, as in GFM.
        return drop_definitions(events);
    }
    let mut order: Vec<CowStr<'a>> = Vec::new();
    let mut notes: Vec<(CowStr<'a>, Vec<Event<'a>>)> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut inside: Option<(CowStr<'a>, Vec<Event<'a>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => inside = Some((label, Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(note) = inside.take() {
                    notes.push(note);
                }
            }
            _ if inside.is_some() => {
                if let Some((_, body)) = &mut inside {
                    body.push(event);
                }
            }
            Event::FootnoteReference(label) => {
                let (n, first) = match order.iter().position(|l| *l == label) {
                    Some(i) => (i + 1, false),
                    None => {
                        order.push(label);
                        (order.len(), true)
                    }
                };
                // Only the first reference is the target of the note's link back.
                let id = if first {
                    format!(" id=\"{ids}fnref-{n}\"")
                } else {
                    String::new()
                };
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#{ids}fn-{n}\"{id}>{n}</a></sup>"
                ))));
            }
            other => out.push(other),
        }
    }
    if order.is_empty() {
        return out;
    }
    out.push(Event::Html(CowStr::from(
        "<section class=\"footnotes\">\n<ol>\n",
    )));
    for (i, label) in order.iter().enumerate() {
        let n = i + 1;
        out.push(Event::Html(CowStr::from(format!(
            "<li id=\"{ids}fn-{n}\">\n"
        ))));
        if let Some((_, body)) = notes.iter_mut().find(|(l, _)| l == label) {
            out.append(body);
        }
        out.push(Event::Html(CowStr::from(format!(
            "<a href=\"#{ids}fnref-{n}\" class=\"footnote-back\">↩</a>\n</li>\n"
        ))));
    }
    out.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    out
}

/// `events` without footnote definitions.
fn drop_definitions(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut depth = 0usize;
    events
        .into_iter()
        .filter(|e| match e {
            Event::Start(Tag::FootnoteDefinition(_)) => {
                depth += 1;
                false
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// Each table inside `<div class="table-wrap">`, which scrolls sideways on a
/// screen too narrow for it: a table's own box cannot, and on a phone the
/// indicator table ran past its card.
fn wrapped_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len() + 2);
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(CowStr::from("<div class=\"table-wrap\">\n")));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => out.push(other),
        }
    }
    out
}

/// The language of a text that follows an untranslated mark (`*(untranslated)*
/// 第5点内容` in the English edition): the other edition's, on a span to the end
/// of its paragraph, heading, item or cell, so that a reader, a screen reader
/// and the fonts treat it as what it is.
fn marked_untranslated(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    use crate::i18n::Lang;
    // The mark, and the language of the text after it.
    let marks = [Lang::Zh, Lang::En].map(|l| {
        let other = if l == Lang::Zh { Lang::En } else { Lang::Zh };
        (l.words().untranslated, other.html_code())
    });
    let lang_of = |text: &str| marks.iter().find(|(m, _)| *m == text).map(|(_, l)| *l);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut open = false;
    let mut i = 0;
    while i < events.len() {
        let event = &events[i];
        let ends_block = matches!(
            event,
            Event::Start(
                Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::List(_)
                    | Tag::Item
                    | Tag::BlockQuote(_)
            ) | Event::End(
                TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::List(_)
                    | TagEnd::Item
                    | TagEnd::TableCell
                    | TagEnd::BlockQuote(_)
            )
        );
        if open && ends_block {
            out.push(Event::InlineHtml(CowStr::from("</span>")));
            open = false;
        }
        // `*(untranslated)*`: the mark in emphasis, then the text.
        if let (
            Event::Start(Tag::Emphasis),
            Some(Event::Text(t)),
            Some(Event::End(TagEnd::Emphasis)),
        ) = (event, events.get(i + 1), events.get(i + 2))
            && let (Some(lang), false) = (lang_of(t.trim()), open)
        {
            out.extend(events[i..i + 3].iter().cloned());
            out.push(Event::InlineHtml(CowStr::from(format!(
                "<span lang=\"{lang}\">"
            ))));
            open = true;
            i += 3;
            continue;
        }
        out.push(event.clone());
        i += 1;
    }
    if open {
        out.push(Event::InlineHtml(CowStr::from("</span>")));
    }
    out
}

/// The events of a Markdown table with each body cell that shows a change and its
/// verdict (`↓ -0.34个千分点，向好`, see [`crate::render::format::trend`]) wrapped
/// in `<span class="good">` or `<span class="bad">`, which the page colours; the
/// verdict stays in the text, for a reader who does not see the colour.
fn marked_trends<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut in_head = false;
    let mut cell: Option<Vec<Event<'a>>> = None;
    for event in events {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) if !in_head => {
                cell = Some(Vec::new());
                out.push(event);
                continue;
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(inner) = cell.take() {
                    let text: String = inner
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    match crate::render::format::trend_verdict(&text) {
                        Some(good) => {
                            let class = if good { "good" } else { "bad" };
                            out.push(Event::InlineHtml(CowStr::from(format!(
                                "<span class=\"{class}\">"
                            ))));
                            out.extend(inner);
                            out.push(Event::InlineHtml(CowStr::from("</span>")));
                        }
                        None => out.extend(inner),
                    }
                }
            }
            _ => {}
        }
        match &mut cell {
            Some(inner) => inner.push(event),
            None => out.push(event),
        }
    }
    out
}

/// The context of `report.html`.
#[derive(Debug, Serialize)]
struct Page {
    year: i32,
    status: Status,
    title_zh: String,
    title_en: String,
    editions: Vec<PageEdition>,
}

/// One edition of the page.
#[derive(Debug, Serialize)]
struct PageEdition {
    lang: &'static str,
    html_lang: &'static str,
    title: String,
    /// The edition's HTML.
    body: String,
    /// Charts the Markdown does not show, for the page's own Trends section.
    charts: String,
    t: Labels,
}

/// `report.html`, with the charts inlined (drawn by the SVG backend, once).
pub fn files(input: &YearInput) -> Result<OutputFile, Vec<Diagnostic>> {
    let project = input.project;
    let year = input.data.year;
    let editions = input
        .report
        .editions
        .iter()
        .map(|e| {
            let drawn: Vec<(&str, std::sync::Arc<[u8]>)> = input
                .report
                .charts_in(e.lang)
                .filter_map(|c| Some((c.file.as_str(), super::svg::svg(c).ok()?)))
                .collect();
            let charts: Vec<(&str, &str)> = drawn
                .iter()
                .filter_map(|(file, bytes)| Some((*file, std::str::from_utf8(bytes).ok()?)))
                .collect();
            // Charts the Markdown shows are inlined where it shows them; any it does
            // not (a project template without the trends partial) go to the page's
            // own Trends section, so the HTML always has them.
            // Footnote ids start with the language: the page holds both editions.
            let ids = format!("{}-", e.lang.code());
            let (body, used) = markdown_to_html_in(&e.markdown, &charts, &ids);
            let rest: Vec<&str> = charts
                .iter()
                .filter(|(file, _)| !used.iter().any(|u| u == file))
                .map(|(_, svg)| svg.trim_end())
                .collect();
            PageEdition {
                lang: e.lang.code(),
                html_lang: e.lang.html_code(),
                title: title(project, year, e.lang),
                body,
                charts: rest.join("\n"),
                t: e.context.t.clone(),
            }
        })
        .collect();
    let page = Page {
        year,
        status: input.data.status,
        title_zh: title(project, year, crate::i18n::Lang::Zh),
        title_en: title(project, year, crate::i18n::Lang::En),
        editions,
    };
    let html = input
        .renderer
        .render_page("report.html", &page, input.sources)?;
    Ok(OutputFile::text("report.html", &html))
}

#[cfg(test)]
mod tests {
    use super::markdown_to_html;

    /// Found by an audit: Chinese text standing in for a missing translation
    /// had the English article's language.
    #[test]
    fn untranslated_text_has_its_own_language() {
        let html = markdown_to_html(
            "(5) *(untranslated)* 第5点内容，**人均**0.172。\n\n### 4. *(untranslated)* 第4项\n\n| a |\n| --- |\n| *(untranslated)* 常住人口 |\n\n*（未翻译）* Residents\n\nplain *(x)* text\n",
        );
        assert!(
            html.contains("<p>(5) <em>(untranslated)</em><span lang=\"zh-CN\"> 第5点内容，<strong>人均</strong>0.172。</span></p>"),
            "{html}"
        );
        assert!(
            html.contains("<em>(untranslated)</em><span lang=\"zh-CN\"> 第4项</span></h3>"),
            "{html}"
        );
        assert!(
            html.contains("<span lang=\"zh-CN\"> 常住人口</span></td>"),
            "{html}"
        );
        assert!(
            html.contains("<em>（未翻译）</em><span lang=\"en\"> Residents</span></p>"),
            "{html}"
        );
        assert_eq!(html.matches("<span").count(), 4, "{html}");
    }

    /// Found by an audit: footnotes were lost; and pulldown-cmark's own ids
    /// (the bare label) are the same in both editions of the page.
    #[test]
    fn footnotes_are_numbered_with_ids_of_their_edition() {
        let md = "a[^x] b[^1] c[^x].\n\n[^1]: One.\n\n[^x]: Ex.\n\n[^unused]: Not shown.\n";
        let (zh, _) = super::markdown_to_html_in(md, &[], "zh-");
        let (en, _) = super::markdown_to_html_in(md, &[], "en-");
        assert!(
            zh.contains(
                "a<sup class=\"footnote-ref\"><a href=\"#zh-fn-1\" id=\"zh-fnref-1\">1</a></sup>"
            ),
            "{zh}"
        );
        // The second reference to a note has its number and no id.
        assert!(
            zh.contains("c<sup class=\"footnote-ref\"><a href=\"#zh-fn-1\">1</a></sup>"),
            "{zh}"
        );
        assert!(
            zh.contains("<li id=\"zh-fn-1\">\n<p>Ex.</p>\n<a href=\"#zh-fnref-1\""),
            "{zh}"
        );
        assert!(zh.contains("<li id=\"zh-fn-2\">\n<p>One.</p>"), "{zh}");
        assert!(
            !zh.contains("Not shown") && !zh.contains("footnote-definition"),
            "{zh}"
        );
        let page = format!("{zh}{en}");
        let mut ids: Vec<&str> = page
            .split(" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{page}");
        assert_eq!(n, 8);
        // A definition alone is not shown.
        assert!(!markdown_to_html("x\n\n[^1]: gone\n").contains("gone"));
    }

    /// Found by an audit: on a phone the indicator table ran past its card.
    #[test]
    fn a_table_is_in_a_box_that_scrolls() {
        let html = markdown_to_html("| a | b |\n| --- | ---: |\n| x | 1 |\n");
        assert!(
            html.starts_with("<div class=\"table-wrap\">\n<table>")
                && html.trim_end().ends_with("</table>\n</div>"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_shows_as_text() {
        let html = markdown_to_html("a <script>alert(1)</script> b\n\n<div>x</div>\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div>"), "{html}");
    }

    #[test]
    fn script_links_lose_their_link() {
        let html = markdown_to_html("[click](javascript:alert(1)) and [ok](https://example.org)");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("click"));
        assert!(html.contains("href=\"https://example.org\""));
    }

    #[test]
    fn a_change_and_its_verdict_are_coloured_in_a_table() {
        let md = "| a | b |\n| --- | ---: |\n| x | ↓ -0.34个千分点，向好 |\n| y | ↑ +1 pp, worse |\n| z | ↑ +768 |\n| w | — |\n\n↓ -1，向好\n";
        let html = markdown_to_html(md);
        assert!(
            html.contains("<td style=\"text-align: right\"><span class=\"good\">↓ -0.34个千分点，向好</span></td>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"bad\">↑ +1 pp, worse</span>"),
            "{html}"
        );
        assert!(
            html.contains(">↑ +768</td>") && html.contains(">—</td>"),
            "{html}"
        );
        // Outside a table, and in a cell that is not a trend, nothing is added.
        assert!(html.contains("<p>↓ -1，向好</p>"), "{html}");
        assert_eq!(html.matches("<span").count(), 2, "{html}");
    }

    #[test]
    fn tables_are_rendered() {
        let html = markdown_to_html("| a | b |\n| --- | ---: |\n| 1 | 2 |\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("text-align: right"));
    }
}
