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

/// Found by the notes audit: an autolink inside an HTML block was escaped
/// with the block, and showed as text.
#[test]
fn an_autolink_inside_raw_html_stays_a_link() {
    use super::no_raw_html;
    assert_eq!(
        no_raw_html("<div>See <https://a.org/x> <a@b.org></div>"),
        "&lt;div>See <https://a.org/x> <a@b.org>&lt;/div>"
    );
    // Not autolinks: a space, no scheme, a one-letter scheme.
    assert_eq!(
        no_raw_html("<div><a b:c> <x> <c:x></div>"),
        "&lt;div>&lt;a b:c> &lt;x> &lt;c:x>&lt;/div>"
    );
}

#[test]
fn a_stray_percent_is_encoded_once() {
    assert_eq!(
        super::uri("https://e.x/100%/a%20b"),
        "https://e.x/100%25/a%20b"
    );
    assert_eq!(super::uri("https://e.x/%2"), "https://e.x/%252");
}

#[test]
fn footnote_trouble_is_found_where_it_is_written() {
    let text = "  a[^x] b[^9].\n\n  [^x]: Note[^y].\n\n      | a |\n      | - |\n      | 1 |\n";
    let t = super::note_trouble(text, &|l| l == "x" || l == "y");
    let at = |s: &str| text.find(s).unwrap();
    assert_eq!(t.undefined, [(at("[^9]")..at("[^9]") + 4, "9".to_string())]);
    assert_eq!(t.nested.len(), 1);
    assert_eq!(t.nested[0], at("[^y]")..at("[^y]") + 4);
    assert_eq!(t.tables.len(), 1);
    assert_eq!(t.tables[0], at("| a |")..at("| a |") + 5);
    assert_eq!(super::note_trouble("plain", &|_| false), Default::default());
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
