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
        if kept.get(next_kept).is_some_and(|r| r.start <= at) || autolink_at(&md[at..]) {
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

/// Whether `md` starts with a CommonMark autolink (`<https://example.org>`,
/// `<a@b.org>`). Such a `<` opens no HTML, so it is kept wherever it is: inside
/// raw HTML the parse does not see it as a link, but once the HTML is escaped
/// it is one (an audit found `<div>See <https://…></div>` gave the address as
/// text, where a `[link](…)` in the same place was a link).
fn autolink_at(md: &str) -> bool {
    let Some(rest) = md.strip_prefix('<') else {
        return false;
    };
    let Some(end) = rest.find(['<', '>']) else {
        return false;
    };
    if !rest[end..].starts_with('>') {
        return false;
    }
    let inner = &rest[..end];
    if inner.is_empty() || inner.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return false;
    }
    let uri = inner.split_once(':').is_some_and(|(scheme, _)| {
        (2..=32).contains(&scheme.len())
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let email = inner.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))
            && !domain.is_empty()
            && domain.split('.').all(|part| {
                !part.is_empty()
                    && part.len() <= 63
                    && !part.starts_with('-')
                    && !part.ends_with('-')
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    });
    uri || email
}

/// `url` as a URI: every byte that RFC 3986 does not allow is percent-encoded
/// (spaces, non-ASCII, `<>"{}|^` and backquote, a `%` that starts no escape), a
/// backslash too (`%5C`, as browsers read it in a path), while reserved
/// characters (`?&=#/:` …) and escapes already made (`%20`) stay. The Word
/// document's relationships need it (the Open XML SDK rejects a target that is
/// not a well-formed URI) and the HTML has the same address: pulldown-cmark's
/// writer leaves a `%` as it is, and `100%` is no valid URL.
pub fn uri(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_made = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        if allowed || escape_made {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether two footnote labels are one, as CommonMark matches labels: case
/// folded, runs of blanks one space (a regression audit's `[^Note]` and
/// `[^note]`, in two texts, were one note in the Markdown).
pub fn same_label(a: &str, b: &str) -> bool {
    let key = |l: &str| {
        l.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    key(a) == key(b)
}

/// A text without the indentation all its lines share, as the report reads it
/// (a TOML multi-line string is often indented with the file), and where each
/// of its lines starts in the text as written.
struct Dedented {
    text: String,
    /// Each line's start in the text as written and in `text`.
    starts: Vec<(usize, usize)>,
}

impl Dedented {
    fn new(text: &str) -> Dedented {
        let indent = text
            .split('\n')
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0);
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
        Dedented {
            text: dedented,
            starts,
        }
    }

    /// Where byte `i` of the dedented text is in the text as written.
    fn raw(&self, i: usize) -> usize {
        let line = self
            .starts
            .partition_point(|&(_, d)| d <= i)
            .saturating_sub(1);
        let (raw, ded) = self.starts.get(line).copied().unwrap_or((0, 0));
        raw + (i - ded)
    }
}

/// What a text's footnotes do that the report cannot show, and where (byte
/// ranges in the text as written).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NoteTrouble {
    /// A footnote reference, or another footnote's definition, inside a
    /// footnote's definition: Word holds no note in a note, and the HTML's
    /// link went nowhere.
    pub nested: Vec<std::ops::Range<usize>>,
    /// A table inside a footnote's definition: a Word footnote is paragraphs.
    pub tables: Vec<std::ops::Range<usize>>,
    /// References (and their labels) to a footnote no text defines
    /// (`defined` says which labels are): the reader sees `[^9]` as written.
    pub undefined: Vec<(std::ops::Range<usize>, String)>,
    /// The footnotes the text defines (outside any other), each with the range
    /// of its `[^label]:` mark.
    pub definitions: Vec<(std::ops::Range<usize>, String)>,
}

/// The labels of the footnotes `text` defines, as the report reads it.
pub fn note_labels(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    if !text.contains("[^") {
        return Vec::new();
    }
    let d = Dedented::new(text);
    Parser::new_ext(&d.text, MARKDOWN)
        .filter_map(|e| match e {
            Event::Start(Tag::FootnoteDefinition(l)) => Some(l.to_string()),
            _ => None,
        })
        .collect()
}

/// The footnote references of `text` (a byte range each, starting at the
/// `[^`, and the label), as if each label written `[^…]` in it had a
/// definition: one text refers to a note another defines (a section's title
/// to its text's), and alone pulldown-cmark reads such a reference as text.
/// Also the parse of the whole, for [`note_trouble`].
fn events_with_notes(
    text: &str,
) -> (
    String,
    Vec<(pulldown_cmark::Event<'static>, std::ops::Range<usize>)>,
) {
    use pulldown_cmark::Parser;
    let mut doc = text.to_string();
    let mut labels: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("[^") {
        let after = &rest[at + 2..];
        match after.find([']', '\n', '[']) {
            Some(end) if after[end..].starts_with(']') && end > 0 => {
                let label = &after[..end];
                if !labels.iter().any(|l| same_label(l, label)) {
                    labels.push(label);
                }
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    for label in labels {
        doc.push_str("\n\n[^");
        doc.push_str(label);
        doc.push_str("]: .");
    }
    let events = Parser::new_ext(&doc, MARKDOWN)
        .into_offset_iter()
        .filter(|(_, r)| r.start < text.len())
        .map(|(e, r)| (e.into_static(), r))
        .collect();
    (doc, events)
}

/// The footnote references of `text` (see [`events_with_notes`]).
pub fn note_refs(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    use pulldown_cmark::Event;
    if !text.contains("[^") {
        return Vec::new();
    }
    events_with_notes(text)
        .1
        .into_iter()
        .filter_map(|(e, r)| match e {
            Event::FootnoteReference(l) => Some((r, l.to_string())),
            _ => None,
        })
        .collect()
}

/// What `text`'s footnotes do that the report cannot show (see
/// [`NoteTrouble`]); `defined` says whether a label has a definition in some
/// text of the edition.
pub fn note_trouble(text: &str, defined: &dyn Fn(&str) -> bool) -> NoteTrouble {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut trouble = NoteTrouble::default();
    if !text.contains("[^") {
        return trouble;
    }
    let d = Dedented::new(text);
    let (_, events) = events_with_notes(&d.text);
    let raw = |r: &std::ops::Range<usize>| d.raw(r.start)..d.raw(r.end.min(d.text.len()));
    let mut depth = 0usize;
    for (event, range) in &events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                if depth > 0 {
                    trouble.nested.push(raw(range));
                } else {
                    let def = d
                        .text
                        .get(range.start..range.end.min(d.text.len()))
                        .unwrap_or("");
                    let mark = def.find("]:").map_or(def.len(), |at| at + 2);
                    let mark = range.start..range.start + mark;
                    trouble.definitions.push((raw(&mark), label.to_string()));
                }
                depth += 1;
            }
            Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
            Event::FootnoteReference(_) if depth > 0 => trouble.nested.push(raw(range)),
            Event::FootnoteReference(label) if !defined(label) && !label.contains('{') => {
                trouble.undefined.push((raw(range), label.to_string()));
            }
            Event::Start(Tag::Table(_)) if depth > 0 => {
                // The table's first line: where it starts.
                let line = d.text[range.clone()].lines().next().unwrap_or("").len();
                trouble.tables.push(raw(&(range.start..range.start + line)));
            }
            _ => {}
        }
    }
    trouble
}

/// The opening fence (its range in `text`, and the fence that would close it) of
/// the first fenced code block that `text` leaves open, read as the report reads
/// it: without the indentation all its lines share.
pub fn unclosed_fence(text: &str) -> Option<(std::ops::Range<usize>, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    if !text.contains("```") && !text.contains("~~~") {
        return None;
    }
    let d = Dedented::new(text);
    let dedented = &d.text;
    for (event, range) in Parser::new_ext(dedented, MARKDOWN).into_offset_iter() {
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
            let open_at = d.raw(range.start) + (block.len() - block.trim_start().len());
            let fence: String = std::iter::repeat_n(mark, len).collect();
            return Some((open_at..open_at + len * mark.len_utf8(), fence));
        }
    }
    None
}

#[cfg(test)]
mod tests;
