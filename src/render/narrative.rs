//! The narrative of a year (summary and plan), each text rendered as a template in
//! one language against the report context, so that a number in a paragraph is the
//! number in the table. A text left empty, or written in one language only, is
//! stood in for here, as the report shows it.

use super::context::{PlanText, SectionText, SummaryText};
use crate::i18n::Lang;
use crate::model::{LocStr, Section, Text, YearData};

/// Renders every narrative text of the year through `render`, which gets the text in
/// the language (or the other language's, as a fallback) and whether it is a fallback,
/// and returns the rendered text or `None` when it failed (its errors reported).
pub fn render(
    year: &YearData,
    lang: Lang,
    render: &mut dyn FnMut(&LocStr, bool) -> Option<String>,
) -> (Option<SummaryText>, Option<PlanText>) {
    let mut one = |t: &Text| -> Option<String> {
        // An empty text (as `new-year` scaffolds them) counts as not written: the
        // other language stands in, marked untranslated, and when both are empty
        // the report says "(to be written)"; `check` warns about it.
        fn written(s: Option<&LocStr>) -> Option<&LocStr> {
            s.filter(|s| !s.text.trim().is_empty())
        }
        let other = written(t.zh.as_ref()).or(written(t.en.as_ref()));
        match (written(t.get(lang)), other) {
            (Some(s), _) => render(s, false),
            (None, Some(other)) => render(other, true),
            (None, None) if t.zh.is_some() || t.en.is_some() => {
                Some(lang.words().unwritten_md.to_string())
            }
            (None, None) => None,
        }
    };
    let section = |s: &Section, one: &mut dyn FnMut(&Text) -> Option<String>| SectionText {
        title: one(&s.title),
        text: s.text.as_ref().and_then(&mut *one),
        points: s.points.iter().map(&mut *one).collect(),
    };
    let summary = year.summary.as_ref().map(|s| SummaryText {
        opening: s.opening.as_ref().and_then(&mut one),
        indicators: s.indicators.as_ref().and_then(&mut one),
        sections: s
            .sections
            .iter()
            .map(|sec| section(sec, &mut one))
            .collect(),
        shortcomings: s.shortcomings.as_ref().and_then(&mut one),
    });
    let plan = year.plan.as_ref().map(|p| PlanText {
        guiding_principle: p.guiding_principle.as_ref().and_then(&mut one),
        items: p.items.iter().map(|sec| section(sec, &mut one)).collect(),
    });
    (summary, plan)
}

/// Whether a text holds anything Tera would change: an expression, a tag or a
/// comment.
pub fn has_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// Makes rendered narrative safe for Markdown: raw HTML is escaped so that it shows
/// as text, lines are joined, and an untranslated fallback is marked.
pub fn finish_text(rendered: &str, fallback: bool, lang: Lang) -> String {
    let mut out = String::with_capacity(rendered.len() + 16);
    if fallback {
        out.push_str(lang.words().untranslated_md);
    }
    // Lines of one paragraph are joined (Chinese needs no space between them);
    // blank lines still separate paragraphs.
    let sep = lang.words().space;
    let paragraphs: Vec<String> = rendered
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(sep)
        })
        .filter(|p| !p.is_empty())
        .collect();
    let joined = paragraphs.join("\n\n");
    let text = crate::escape::safe_links(&joined);
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
    out
}
