//! The tags of a template and the tokens of their expressions: what the name
//! check reads, without Tera's parser (whose syntax tree is private).

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'a> {
    Ident(&'a str),
    Punct(&'a str),
    /// A string literal's text, quotes left out.
    Str(&'a str),
    Literal,
}

/// One `{{ … }}` or `{% … %}`: its tokens with their byte ranges in the source.
pub(super) struct Tag<'a> {
    pub(super) statement: bool,
    pub(super) toks: Vec<(Tok<'a>, Range<usize>)>,
}

/// The tags of `src`, skipping comments and `{% raw %}` blocks.
pub(super) fn tags(src: &str) -> Vec<Tag<'_>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = src.get(i..).and_then(|s| s.find('{')) {
        let open = i + at;
        let close = match bytes.get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => {
                i = src[open..].find("#}").map_or(src.len(), |e| open + e + 2);
                continue;
            }
            _ => {
                i = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let Some(end) = end_of_tag(src, start, close) else {
            break;
        };
        let toks = lex(src, start..end);
        let statement = close == "%}";
        i = end + 2;
        if statement && matches!(toks.first(), Some((Tok::Ident("raw"), _))) {
            // Everything up to `{% endraw %}` is text.
            i = src[i..].find("endraw").map_or(src.len(), |e| i + e);
            continue;
        }
        out.push(Tag { statement, toks });
    }
    out
}

/// Where the tag's closing `close` starts, outside string literals.
fn end_of_tag(src: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut quote = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            // Bytes, not `str` slices: `i` walks through the bytes of Chinese text.
            None if bytes[i..].starts_with(close.as_bytes()) => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

fn lex(src: &str, range: Range<usize>) -> Vec<(Tok<'_>, Range<usize>)> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_whitespace() || (b == b'-' && (i == range.start || i + 1 == range.end)) {
            // Whitespace, and the `-` of whitespace control (`{%-`, `-%}`).
            i += 1;
            continue;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            while i < range.end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(&src[start..i]), start..i));
        } else if b.is_ascii_digit() {
            while i < range.end
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            out.push((Tok::Literal, start..i));
        } else if matches!(b, b'"' | b'\'' | b'`') {
            i += 1;
            while i < range.end && bytes[i] != b {
                i += 1;
            }
            let inner = &src[(start + 1).min(i)..i];
            i = (i + 1).min(range.end);
            out.push((Tok::Str(inner), start..i));
        } else {
            let two = src.get(i..i + 2).unwrap_or("");
            let width = if matches!(two, "==" | "!=" | "<=" | ">=") {
                2
            } else {
                // A character of several bytes is no punctuation of Tera's: one
                // token, whole.
                src[i..].chars().next().map_or(1, char::len_utf8)
            };
            i += width;
            out.push((Tok::Punct(&src[start..i]), start..i));
        }
    }
    out
}

/// Words of Tera's expressions that are not variables.
pub(super) fn keyword(name: &str) -> bool {
    matches!(
        name,
        "and"
            | "or"
            | "not"
            | "in"
            | "is"
            | "if"
            | "else"
            | "true"
            | "false"
            | "True"
            | "False"
            | "none"
            | "None"
            | "super"
    )
}
