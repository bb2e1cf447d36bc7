//! Escaping text from the data for the formats it goes into, in one place: HTML (and
//! SVG), with the escaper Tera's own autoescape uses, and Markdown, so that a label,
//! a unit or the organisation's name shows as written in any Markdown renderer and
//! can neither open a link nor carry raw HTML.

/// The Markdown dialect of the reports: CommonMark with GFM tables,
/// strikethrough and footnotes. Every reader of narrative Markdown (the HTML,
/// the Word document, the checks) parses with this one set: without footnotes,
/// `[^1]: 脚注` is a link reference definition and the note vanishes.
pub const MARKDOWN: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_FOOTNOTES);

/// Escapes text for HTML content or a quoted attribute (`& < > " '`).
pub fn html(text: &str) -> String {
    let mut buf = Vec::with_capacity(text.len() + 16);
    // Writing into a Vec cannot fail, and escaping keeps UTF-8 valid.
    let _ = tera::escape_html(text, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Escapes text for Markdown: every character that could start emphasis, code, a
/// link, raw HTML, an entity, a table cell or a heading is written behind a `\`
/// (CommonMark's escape of ASCII punctuation), so that it shows as itself.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '*' | '_' | '~' | '`' | '<' | '>' | '[' | ']' | '|' | '#' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The length in bytes of a character XML 1.0 does not allow that starts at
/// `bytes[i]` (a C0 control other than tab, line feed and carriage return, or
/// the noncharacters U+FFFE and U+FFFF), or 0. The XML writers (the charts, the
/// Word documents) drop such a character rather than write an ill-formed file.
/// Bytes, not characters: all of them are ASCII but the two noncharacters
/// (`EF BF BE`, `EF BF BF`), so a text is never decoded to find them.
pub fn xml_disallowed_at(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i) {
        Some(b'\t' | b'\n' | b'\r') => 0,
        Some(0..=0x1f) => 1,
        Some(0xEF)
            if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
        {
            3
        }
        _ => 0,
    }
}

/// Whether a link's address could run code where it is followed (`javascript:`,
/// `vbscript:`, `data:`, `file:`), however it is spaced or cased.
pub fn unsafe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// Markdown with every link or image whose address could run code replaced by its
/// text alone: a narrative text may link, but not to a script.
pub fn safe_links(md: &str) -> std::borrow::Cow<'_, str> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut cuts: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(md, MARKDOWN).into_offset_iter() {
        match (&event, &mut open) {
            (Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }), None)
                if unsafe_url(dest_url) =>
            {
                open = Some((range.start, String::new()));
            }
            (Event::Text(t) | Event::Code(t), Some((_, text))) => text.push_str(t),
            (Event::End(TagEnd::Link | TagEnd::Image), Some((start, text))) => {
                cuts.push((*start..range.end, markdown(text)));
                open = None;
            }
            _ => {}
        }
    }
    if cuts.is_empty() {
        return std::borrow::Cow::Borrowed(md);
    }
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for (range, text) in cuts {
        out.push_str(&md[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&md[at..]);
    std::borrow::Cow::Owned(out)
}

/// How many times [`no_raw_html`] reads a text again after escaping it before it
/// gives up on keeping code as written. An escape can move where a code span
/// starts (`` &lt;b x="`"> `<i>` `` pairs its backticks differently from
/// `` <b x="`"> `<i>` ``), so a `<` that was in code may be outside it in the
/// escaped text; ordinary texts settle in one pass, a text built to keep moving
/// them is escaped whole.
const RAW_HTML_PASSES: usize = 4;

/// Markdown from the data with no raw HTML in it, so that a `<script>` or a comment
/// shows as text in every reader (markdownlint, pandoc, a Git host's preview):
/// every `<` is written `&lt;`, except in code (spans and blocks, whose text is
/// literal), in an autolink (`<https://example.org>`), and where a backslash
/// already escapes it. `>` is left alone: without a `<` it opens no tag, and at
/// the start of a line it is a blockquote.
pub fn no_raw_html(md: &str) -> String {
    let mut text = std::borrow::Cow::Borrowed(md);
    for _ in 0..RAW_HTML_PASSES {
        match escape_lt_outside(&text, &kept_ranges(&text)) {
            Some(escaped) => text = std::borrow::Cow::Owned(escaped),
            None => return text.into_owned(),
        }
    }
    // Still moving: no `<` is kept, so none can open anything.
    escape_lt_outside(&text, &[]).unwrap_or_else(|| text.into_owned())
}

/// The byte ranges of `md` where a `<` stays as written: code spans, code blocks
/// (fences included) and autolinks, in order.
fn kept_ranges(md: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, LinkType, Parser, Tag};
    if !md.contains('<') {
        return Vec::new();
    }
    let mut kept: Vec<std::ops::Range<usize>> = Parser::new_ext(md, MARKDOWN)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_)
            | Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => Some(range),
            _ => None,
        })
        .collect();
    kept.sort_by_key(|r| r.start);
    kept
}

/// `md` with each `<` outside `kept` (sorted by start) and not behind an odd run
/// of backslashes written `&lt;`, or `None` when there is none.
fn escape_lt_outside(md: &str, kept: &[std::ops::Range<usize>]) -> Option<String> {
    let bytes = md.as_bytes();
    let mut out: Option<String> = None;
    let mut from = 0;
    let mut next_kept = 0;
    for (at, _) in md.match_indices('<') {
        while next_kept < kept.len() && kept[next_kept].end <= at {
            next_kept += 1;
        }
        if kept.get(next_kept).is_some_and(|r| r.start <= at) {
            continue;
        }
        let backslashes = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 1 {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(md.len() + 16));
        out.push_str(&md[from..at]);
        out.push_str("&lt;");
        from = at + 1;
    }
    let mut out = out?;
    out.push_str(&md[from..]);
    Some(out)
}

/// The opening fence (its range in `text`, and the fence that would close it) of
/// the first fenced code block that `text` leaves open, read as the report reads
/// it: without the indentation all its lines share.
pub fn unclosed_fence(text: &str) -> Option<(std::ops::Range<usize>, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    if !text.contains("```") && !text.contains("~~~") {
        return None;
    }
    let indent = text
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    // Each line's start in `text` and in the dedented text.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut dedented = String::with_capacity(text.len());
    let mut at = 0;
    for line in text.split('\n') {
        if at > 0 {
            dedented.push('\n');
        }
        let cut = indent.min(line.len() - line.trim_start_matches([' ', '\t']).len());
        starts.push((at + cut, dedented.len()));
        dedented.push_str(&line[cut..]);
        at += line.len() + 1;
    }
    let line_of = |i: usize| starts.partition_point(|&(_, d)| d <= i).saturating_sub(1);
    for (event, range) in Parser::new_ext(&dedented, MARKDOWN).into_offset_iter() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = event else {
            continue;
        };
        let block = &dedented[range.clone()];
        let mut lines = block.trim_end().lines();
        let open = lines.next().unwrap_or("").trim_start();
        let mark = open.chars().next().unwrap_or('`');
        let len = open.chars().take_while(|&c| c == mark).count();
        let closed = lines.next_back().is_some_and(|last| {
            // A closing fence sits after any container marks (`>`, list indent).
            let last = last.trim_start_matches([' ', '\t', '>']).trim_end();
            last.chars().take_while(|&c| c == mark).count() >= len
                && last.chars().all(|c| c == mark)
        });
        if !closed {
            let line = line_of(range.start);
            let (raw, ded) = starts[line];
            let open_at = raw + (range.start - ded) + (block.len() - block.trim_start().len());
            let fence: String = std::iter::repeat_n(mark, len).collect();
            return Some((open_at..open_at + len * mark.len_utf8(), fence));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_xml_cannot_hold_is_found_by_its_bytes() {
        use super::xml_disallowed_at;
        let text = "a\u{1}\tb\n\r\u{1f}\u{fffe}c\u{ffff}\u{fffd}\u{7f}\u{85}中";
        let widths: Vec<(char, usize)> = text
            .char_indices()
            .map(|(i, c)| (c, xml_disallowed_at(text.as_bytes(), i)))
            .collect();
        assert_eq!(
            widths,
            [
                ('a', 0),
                ('\u{1}', 1),
                ('\t', 0),
                ('b', 0),
                ('\n', 0),
                ('\r', 0),
                ('\u{1f}', 1),
                ('\u{fffe}', 3),
                ('c', 0),
                ('\u{ffff}', 3),
                // U+FFFD (EF BF BD), DEL and C1 controls are allowed in XML 1.0.
                ('\u{fffd}', 0),
                ('\u{7f}', 0),
                ('\u{85}', 0),
                ('中', 0),
            ]
        );
        assert_eq!(xml_disallowed_at(b"\xEF\xBF", 0), 0, "a cut-off sequence");
        assert_eq!(xml_disallowed_at(b"", 0), 0);
    }

    #[test]
    fn script_links_keep_their_text_only() {
        assert_eq!(
            super::safe_links("see [the rules](javascript:alert(1)) and [ok](https://x.org)"),
            "see the rules and [ok](https://x.org)"
        );
        assert_eq!(super::safe_links("![x](data:text/html,evil)"), "x");
        assert_eq!(super::safe_links("plain"), "plain");
    }

    #[test]
    fn markdown_shows_data_as_written() {
        assert_eq!(super::markdown("总人口"), "总人口");
        assert_eq!(super::markdown("a_b *c*"), "a\\_b \\*c\\*");
        assert_eq!(
            super::markdown("<img src=x onerror=alert(1)> [a](javascript:x) &lt;"),
            "\\<img src=x onerror=alert(1)\\> \\[a\\](javascript:x) \\&lt;"
        );
    }

    #[test]
    fn raw_html_is_text_but_code_quotes_and_autolinks_are_kept() {
        use super::no_raw_html;
        assert_eq!(
            no_raw_html("<script>alert(1)</script> a < b"),
            "&lt;script>alert(1)&lt;/script> a &lt; b"
        );
        assert_eq!(no_raw_html("<!-- x -->"), "&lt;!-- x -->");
        // Code is literal: its `<`, `>` and `&` stay as written.
        assert_eq!(
            no_raw_html("Use `a<b && c>d` here."),
            "Use `a<b && c>d` here."
        );
        let fenced = "Run:\n\n```html\n<tag attr=\"x\">\n```\n\n<b>";
        assert_eq!(
            no_raw_html(fenced),
            "Run:\n\n```html\n<tag attr=\"x\">\n```\n\n&lt;b>"
        );
        assert_eq!(no_raw_html("> 引用\n> 续"), "> 引用\n> 续");
        assert_eq!(
            no_raw_html("see <https://example.org> or <a@b.org>"),
            "see <https://example.org> or <a@b.org>"
        );
        // Escaped already (a label from the data): left as it is.
        assert_eq!(no_raw_html("\\<b\\> and \\\\<i>"), "\\<b\\> and \\\\&lt;i>");
        assert_eq!(no_raw_html("plain"), "plain");
    }

    #[test]
    fn an_escape_that_moves_a_code_span_leaves_no_html() {
        use pulldown_cmark::{Event, Parser};
        // Escaping the first `<` re-pairs the backticks: `<i>` leaves its code span.
        for md in [
            "<b x=\"`\"> `<i>`",
            "<b x=\"`\"> `<i x=\"`\"> `<s x=\"`\"> `<u x=\"`\"> `<q x=\"`\"> `<em>`",
        ] {
            let out = super::no_raw_html(md);
            let html = Parser::new_ext(&out, super::MARKDOWN)
                .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
            assert!(!html, "{out}");
        }
    }

    #[test]
    fn a_code_fence_left_open_is_found_where_it_opens() {
        use super::unclosed_fence;
        assert_eq!(
            unclosed_fence("```\nunclosed"),
            Some((0..3, "```".to_string()))
        );
        // Indented with the TOML file, and longer or tilde fences.
        let text = "\n    Intro.\n\n    ~~~~ sh\n    run\n    ~~~\n";
        let at = text.find('~').unwrap();
        assert_eq!(unclosed_fence(text), Some((at..at + 4, "~~~~".to_string())));
        for closed in [
            "```\ncode\n```",
            "  ```\n  code\n  ```\n",
            "````\n```\n````",
            "> ```\n> code\n> ```",
            "- item\n\n  ```\n  code\n  ```",
            "inline ``` code ``` only",
            "no code",
        ] {
            assert_eq!(unclosed_fence(closed), None, "{closed:?}");
        }
        assert!(unclosed_fence("```\n````x").is_some());
        assert!(unclosed_fence("text\n\n```rust\ncode\n``").is_some());
    }
}
