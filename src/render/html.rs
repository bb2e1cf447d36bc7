//! The HTML page: Markdown to HTML (the same Markdown written to disk), with raw
//! HTML shown as text and script links dropped, wrapped in the bilingual page.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde_json::{Value as Json, json};

use super::charts::Chart;
use super::context;
use crate::compute::YearValues;
use crate::load::{Lang, Project, YearData};

/// The Markdown dialect of the reports: CommonMark with GFM tables and strikethrough.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
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
pub fn markdown_to_html_with(md: &str, inline: &[Chart]) -> (String, Vec<String>) {
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
            if inline.iter().any(|c| c.file == dest_url.as_ref()) =>
        {
            let chart = inline.iter().find(|c| c.file == dest_url.as_ref())?;
            used.push(chart.file.clone());
            in_inlined = true;
            Some(Event::Html(CowStr::from(chart.svg.trim_end().to_string())))
        }
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { dest_url, .. }) if unsafe_url(&dest_url) => {
            dropped_links.push(true);
            None
        }
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            link_type,
        }) if unsafe_url(&dest_url) => {
            let _ = (title, id, link_type);
            dropped_links.push(true);
            Some(Event::Text(CowStr::from("")))
        }
        Event::Start(tag @ Tag::Link { .. }) => {
            dropped_links.push(false);
            Some(Event::Start(tag))
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            if dropped_links.pop().unwrap_or(false) {
                None
            } else {
                Some(event)
            }
        }
        Event::Start(tag @ Tag::Image { .. }) => {
            dropped_links.push(false);
            Some(Event::Start(tag))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(md.len() * 2);
    html::push_html(&mut out, events);
    (out, used)
}

/// Escapes text for HTML content or a quoted attribute (`& < > " '`), with the
/// escaper Tera's own autoescape uses.
pub fn escape(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len() + 16);
    // Writing into a Vec cannot fail, and escaping keeps UTF-8 valid.
    let _ = tera::escape_html(text, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

fn unsafe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// The context of `report.html`: one edition per language, each with its body HTML.
pub fn page_context(
    project: &Project,
    year: &YearData,
    _values: &YearValues,
    _all_values: &[&YearValues],
    markdown_zh: &str,
    markdown_en: &str,
    charts: &[(Lang, Vec<Chart>)],
) -> Json {
    let edition = |lang: Lang, md: &str| {
        let list: &[Chart] = charts
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, c)| c.as_slice())
            .unwrap_or_default();
        // Charts the Markdown shows are inlined where it shows them; any it does not
        // (a project template without the trends partial) go to the page's own
        // Trends section, so the HTML always has them.
        let (body, used) = if list.is_empty() {
            (markdown_to_html(md), Vec::new())
        } else {
            markdown_to_html_with(md, list)
        };
        let rest: Vec<&str> = list
            .iter()
            .filter(|c| !used.contains(&c.file))
            .map(|c| c.svg.trim_end())
            .collect();
        json!({
            "lang": lang.code(),
            "html_lang": match lang { Lang::Zh => "zh-CN", Lang::En => "en" },
            "title": context::title(project, year.year, lang),
            "body": body,
            "charts": rest.join("\n"),
            "t": context::labels(lang, year.year),
        })
    };
    json!({
        "year": year.year,
        "status": year.status,
        "title_zh": context::title(project, year.year, Lang::Zh),
        "title_en": context::title(project, year.year, Lang::En),
        "editions": [edition(Lang::Zh, markdown_zh), edition(Lang::En, markdown_en)],
    })
}

#[cfg(test)]
mod tests {
    use super::markdown_to_html;

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
    fn tables_are_rendered() {
        let html = markdown_to_html("| a | b |\n| --- | ---: |\n| 1 | 2 |\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("text-align: right"));
    }
}
