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

/// `text` without the indentation all its lines share (a TOML multi-line string
/// is often indented with the file), so that an indented paragraph is not read as
/// code, without blank lines at either end and without trailing blanks. A hard
/// line break written as two trailing spaces becomes the backslash form, which
/// the trimming (and an editor's) leaves alone.
fn dedent(text: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect();
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(first, |i| i + 1);
    let raw = lines[first..last].join("\n");
    let breaks: Vec<usize> = Parser::new_ext(&raw, crate::escape::MARKDOWN)
        .into_offset_iter()
        .filter(|(e, r)| matches!(e, Event::HardBreak) && raw[r.clone()].starts_with(' '))
        .map(|(_, r)| r.start)
        .collect();
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    for (i, line) in raw.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let kept = line.trim_end();
        out.push_str(kept);
        let end = at + line.len();
        if breaks.iter().any(|b| (at + kept.len()..=end).contains(b)) {
            out.push('\\');
        }
        at = end + 1;
    }
    out
}

/// The lines of each paragraph joined with `sep` (nothing in Chinese, where a line
/// break would show as a space; a space in English), at Markdown's soft breaks
/// only: lists, tables, headings and code keep their lines. Runs of blank lines
/// become one, outside code.
fn join_lines(text: &str, sep: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let bytes = text.as_bytes();
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    let mut quotes = 0usize;
    for (event, range) in Parser::new_ext(text, crate::escape::MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::End(TagEnd::BlockQuote(_)) => quotes = quotes.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => code.push(range),
            // In a quote the next line starts with its `>`: left as it is.
            Event::SoftBreak if quotes == 0 => {
                let mut start = range.start;
                while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
                    start -= 1;
                }
                let mut end = range.end;
                while end < bytes.len() && matches!(bytes[end], b' ' | b'\t' | b'\n' | b'\r') {
                    end += 1;
                }
                cuts.push(start..end);
            }
            _ => {}
        }
    }
    let in_code = |at: usize| code.iter().any(|c| c.contains(&at));
    let mut joined = String::with_capacity(text.len());
    let mut last_blank = false;
    let mut from = 0;
    for cut in cuts
        .into_iter()
        .chain(std::iter::once(text.len()..text.len()))
    {
        let mut at = from;
        for line in text[from..cut.start].split_inclusive('\n') {
            let blank = line.trim().is_empty();
            if !(blank && last_blank && !in_code(at)) {
                joined.push_str(line);
            }
            last_blank = blank && line.ends_with('\n');
            at += line.len();
        }
        if cut.start < text.len() {
            joined.push_str(sep);
            last_blank = false;
        }
        from = cut.end;
    }
    joined
}

/// `text` with each footnote it defines under a label no earlier text of the
/// edition defines (`taken`, which gets this text's labels): a report is one
/// Markdown document, where a second `[^1]:` is ignored and its references
/// would show the first text's note. A clash is renamed `1-2`, `1-3`, ….
#[cfg(test)]
pub fn distinct_notes(text: &str, taken: &mut Vec<String>) -> String {
    let mut text = text.to_string();
    distinct_notes_in(&mut [&mut text], taken);
    text
}

/// As [`distinct_notes`], for texts that are one part of the report (a
/// section's title, text and points): a label one of them defines is renamed
/// in all of them, so that a title's `[^1]` is still the note its text
/// defines (a title and its text split apart when only the text was renamed).
pub fn distinct_notes_in(texts: &mut [&mut String], taken: &mut Vec<String>) {
    use crate::escape::same_label;
    let mut renamed: Vec<(String, String)> = Vec::new();
    for text in texts.iter() {
        for (_, label) in definitions(text) {
            if renamed.iter().any(|(old, _)| same_label(old, &label)) {
                continue;
            }
            let mut new = label.clone();
            let mut k = 2;
            while taken.iter().any(|t| same_label(t, &new)) {
                new = format!("{label}-{k}");
                k += 1;
            }
            renamed.push((label, new));
        }
    }
    taken.extend(renamed.iter().map(|(_, new)| new.clone()));
    if renamed.iter().all(|(old, new)| old == new) {
        return;
    }
    for text in texts.iter_mut() {
        // Each `[^label]` of a reference or a definition (whose range starts
        // with it), read as the report reads the text: a reference to a note
        // another text of the part defines too.
        let mut cuts: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let spots = crate::escape::note_refs(text)
            .into_iter()
            .chain(definitions(text));
        for (range, label) in spots {
            let Some((_, new)) = renamed
                .iter()
                .find(|(old, new)| same_label(old, &label) && old != new)
            else {
                continue;
            };
            let written = format!("[^{label}]");
            if text[range.start..].starts_with(&written) {
                let at = range.start + 2;
                cuts.push((at..at + label.len(), new.clone()));
            }
        }
        cuts.sort_by_key(|(r, _)| r.start);
        cuts.dedup_by_key(|(r, _)| r.start);
        for (range, new) in cuts.into_iter().rev() {
            text.replace_range(range, &new);
        }
    }
}

/// The footnote definitions of `text`: where each starts, and its label.
fn definitions(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    if !text.contains("[^") {
        return Vec::new();
    }
    Parser::new_ext(text, crate::escape::MARKDOWN)
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::FootnoteDefinition(l)) => Some((r, l.to_string())),
            _ => None,
        })
        .collect()
}

/// Gives the footnotes of an edition's texts distinct labels (see
/// [`distinct_notes_in`]), in the order the report has them: each section or
/// plan item is one part, so its title may refer to its text's notes.
pub fn distinct_notes_of(
    summary: Option<&mut SummaryText>,
    plan: Option<&mut PlanText>,
    taken: &mut Vec<String>,
) {
    fn one(t: &mut Option<String>, taken: &mut Vec<String>) {
        if let Some(t) = t {
            distinct_notes_in(&mut [t], taken);
        }
    }
    fn section(s: &mut SectionText, taken: &mut Vec<String>) {
        let mut texts: Vec<&mut String> = s
            .title
            .iter_mut()
            .chain(s.text.iter_mut())
            .chain(s.points.iter_mut().flatten())
            .collect();
        distinct_notes_in(&mut texts, taken);
    }
    if let Some(s) = summary {
        one(&mut s.opening, taken);
        one(&mut s.indicators, taken);
        for sec in &mut s.sections {
            section(sec, taken);
        }
        one(&mut s.shortcomings, taken);
    }
    if let Some(p) = plan {
        one(&mut p.guiding_principle, taken);
        for item in &mut p.items {
            section(item, taken);
        }
    }
}

/// Whether a text holds anything Tera would change: an expression, a tag or a
/// comment.
pub fn has_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%") || text.contains("{#")
}

/// Makes rendered narrative safe for Markdown: raw HTML is escaped so that it shows
/// as text (code, blockquotes and autolinks kept as written: see
/// [`crate::escape::no_raw_html`]), the lines of a paragraph are joined, and an
/// untranslated fallback is marked.
pub fn finish_text(rendered: &str, fallback: bool, lang: Lang) -> String {
    let mut text = String::with_capacity(rendered.len() + 16);
    if fallback {
        text.push_str(lang.words().untranslated_md);
    }
    text.push_str(&join_lines(&dedent(rendered), lang.words().space));
    // A text is a block of its own: a code fence it leaves open is closed, or
    // it would take in the rest of the report (check says so where it can
    // tell from the source, which a fence inside a condition hides).
    if let Some((_, fence)) = crate::escape::unclosed_fence(&text) {
        text.push('\n');
        text.push_str(&fence);
    }
    // Escaped as the report reads it, with the mark in front; links made safe
    // after that: a link inside raw HTML is no link until the HTML is escaped
    // (`<script>…</script> [x](javascript:…)` kept the link, found by an audit).
    crate::escape::safe_links(&crate::escape::no_raw_html(&text)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::finish_text;
    use crate::i18n::Lang;

    /// A fence left open by what a condition rendered is closed in the text.
    #[test]
    fn a_code_fence_left_open_is_closed_in_the_text() {
        let text = finish_text("Intro.\n\n```text\ncode", false, Lang::En);
        assert!(text.ends_with("code\n```"), "{text:?}");
        assert_eq!(crate::escape::unclosed_fence(&text), None);
        let closed = finish_text("```\ncode\n```", false, Lang::En);
        assert!(closed.ends_with("code\n```"), "{closed:?}");
        assert!(!closed.ends_with("```\n```"), "{closed:?}");
    }

    /// Labels differing in case only are one label, as CommonMark has it.
    #[test]
    fn footnote_labels_clash_whatever_their_case() {
        let mut taken = vec!["Note".to_string()];
        assert_eq!(
            super::distinct_notes("乙[^note]。\n\n[^note]: 乙注。", &mut taken),
            "乙[^note-2]。\n\n[^note-2]: 乙注。"
        );
    }

    /// Found by an audit: two texts of a report each with a `[^1]` showed the
    /// first text's note at both references.
    #[test]
    fn each_texts_footnotes_keep_their_own_label() {
        let mut taken = Vec::new();
        let one = "甲[^1]。\n\n[^1]: 甲注。";
        assert_eq!(super::distinct_notes(one, &mut taken), one);
        assert_eq!(
            super::distinct_notes(
                "乙[^1]，丙[^b]，再[^1]。\n\n[^1]: 乙注。\n\n[^b]: 丙注。",
                &mut taken
            ),
            "乙[^1-2]，丙[^b]，再[^1-2]。\n\n[^1-2]: 乙注。\n\n[^b]: 丙注。"
        );
        assert_eq!(taken, ["1", "1-2", "b"]);
    }

    /// Found by an audit: a link behind raw HTML was inside the HTML block when
    /// links were made safe, and a link again once the HTML was escaped.
    #[test]
    fn a_link_behind_raw_html_is_made_safe_too() {
        for text in [
            "<script>y</script> [x](javascript:alert(1))",
            "<div>a</div>\n[x](javascript:alert(1))",
            "[x](javascript:alert(1))",
        ] {
            let out = finish_text(text, false, Lang::En);
            assert!(!out.contains("](javascript"), "{text:?} gave {out:?}");
            assert!(!out.contains("<script"), "{out:?}");
        }
    }

    #[test]
    fn paragraph_lines_are_joined_in_each_language() {
        assert_eq!(
            finish_text("第一行\n第二行\n\n第二段", false, Lang::Zh),
            "第一行第二行\n\n第二段"
        );
        assert_eq!(
            // One trailing space is no line break.
            finish_text("one\n  two \nthree", false, Lang::En),
            "one two three"
        );
        // An indented TOML string is a paragraph, not code; blank runs collapse.
        assert_eq!(
            finish_text("\n    甲\n    乙\n\n\n\n    丙\n    ", false, Lang::Zh),
            "甲乙\n\n丙"
        );
    }

    #[test]
    fn hard_breaks_are_kept_in_the_backslash_form() {
        assert_eq!(
            finish_text("第一行  \n第二行\\\n第三行\n第四行  ", false, Lang::Zh),
            "第一行\\\n第二行\\\n第三行第四行"
        );
        assert_eq!(
            finish_text("    line one  \n    line two\n", false, Lang::En),
            "line one\\\nline two"
        );
        // In a list item too; not in code, and not before a blank line.
        assert_eq!(
            finish_text(
                "- a  \n  b\n\n```\ncode  \nmore\n```\n\nend  \n\nnext",
                false,
                Lang::En
            ),
            "- a\\\n  b\n\n```\ncode\nmore\n```\n\nend\n\nnext"
        );
    }

    #[test]
    fn lists_tables_and_code_keep_their_lines() {
        let list = "要点：\n\n- 第一\n- 第二\n  续行\n- 第三";
        assert_eq!(
            finish_text(list, false, Lang::Zh),
            "要点：\n\n- 第一\n- 第二续行\n- 第三"
        );
        let numbered = "1. one\n2. two\n   more";
        assert_eq!(
            finish_text(numbered, false, Lang::En),
            "1. one\n2. two more"
        );
        let table = "| Item | Count |\n| --- | ---: |\n| A | 1 |\n| B | 2 |";
        assert_eq!(finish_text(table, false, Lang::En), table);
        let code = "Run:\n\n```\nnianbao build\n\n\n--all\n```";
        assert_eq!(finish_text(code, false, Lang::En), code);
        let heading = "## 小结\n正文一\n正文二";
        assert_eq!(
            finish_text(heading, false, Lang::Zh),
            "## 小结\n正文一正文二"
        );
    }

    #[test]
    fn raw_html_shows_as_text_and_a_fallback_is_marked() {
        assert_eq!(
            finish_text("<b>x</b>", true, Lang::En),
            format!("{}&lt;b>x&lt;/b>", Lang::En.words().untranslated_md)
        );
        // Code and quotes are Markdown, not HTML: kept as written.
        assert_eq!(
            finish_text("> 引用\n\n`a<b && c>d`\n\n```\n<tag>\n```", false, Lang::Zh),
            "> 引用\n\n`a<b && c>d`\n\n```\n<tag>\n```"
        );
    }
}
