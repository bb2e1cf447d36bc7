//! Reading TOML with spans: every value keeps its byte range in the file, numbers
//! keep the text they were written as, and every problem becomes a located
//! diagnostic instead of an early return.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, FileId, Loc};
use crate::exact::{Exact, NumberError};
use crate::model::{LocStr, Positions, RunsBuilder, Text};
use crate::suggest;

/// Where each byte of a TOML string's value was written in `raw`, the string token
/// (quotes included) that starts at `base` in the file, as a range per byte (the
/// reference [`positions`] is tested against).
pub fn string_offsets(raw: &str, base: usize, value: &str) -> Option<Vec<(usize, usize)>> {
    let mut offsets = Vec::with_capacity(value.len());
    decode(raw, base, value, &mut |from, to, len, plain| {
        if plain {
            offsets.extend((from..from + len).map(|b| (b, b + 1)));
        } else {
            offsets.extend(std::iter::repeat_n((from, to), len));
        }
    })?;
    Some(offsets)
}

/// C0 and C1 controls but tab, line feed and carriage return; DEL; the
/// noncharacters (U+FDD0–U+FDEF and the last two of every plane).
pub(super) fn unshowable(c: char) -> bool {
    let n = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// Decodes the string token `raw` (quotes included, at `base` in the file) by
/// TOML's rules for the four kinds of string (escapes, a first newline trimmed,
/// `\` at the end of a line swallowing the line break and the leading blanks of
/// the next), telling `emit` where each stretch of `value` was written:
/// `(from, to, len, plain)`, `len` bytes written as they are from `from`, or (not
/// `plain`) the bytes of one escape at `from..to`. `None` when the decoding does
/// not give `value` (a case not foreseen here): callers then point at the whole
/// token.
fn decode(
    raw: &str,
    base: usize,
    value: &str,
    emit: &mut dyn FnMut(usize, usize, usize, bool),
) -> Option<()> {
    let (delim, basic) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else {
        return None;
    };
    if raw.len() < 2 * delim || !raw.is_char_boundary(raw.len() - delim) {
        return None;
    }
    let mut start = delim;
    let end = raw.len() - delim;
    let inner = raw.get(start..end)?;
    if delim == 3 {
        if inner.starts_with("\r\n") {
            start += 2;
        } else if inner.starts_with('\n') {
            start += 1;
        }
    }
    let content = raw.get(start..end)?.as_bytes();
    let origin = base + start;
    let wanted = value.as_bytes();
    // How much of `value` the decoding has given so far, checked as it goes.
    let mut done = 0;
    let gives = |bytes: &[u8], done: &mut usize| {
        let ok = wanted.get(*done..*done + bytes.len()) == Some(bytes);
        *done += bytes.len();
        ok
    };
    let mut i = 0;
    while i < content.len() {
        // Written as it is up to the next backslash (all of a literal string).
        let plain_end = match basic {
            true => content[i..]
                .iter()
                .position(|&b| b == b'\\')
                .map_or(content.len(), |k| i + k),
            false => content.len(),
        };
        if plain_end > i {
            if !gives(&content[i..plain_end], &mut done) {
                return None;
            }
            emit(origin + i, origin + plain_end, plain_end - i, true);
            i = plain_end;
            continue;
        }
        let e = *content.get(i + 1)?;
        let simple = match e {
            b'b' => Some('\u{8}'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'f' => Some('\u{c}'),
            b'r' => Some('\r'),
            b'e' => Some('\u{1b}'),
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            _ => None,
        };
        let (c, to) = match (simple, e) {
            (Some(c), _) => (c, i + 2),
            (None, b'u' | b'U' | b'x') => {
                let len = match e {
                    b'u' => 4,
                    b'U' => 8,
                    _ => 2,
                };
                let hex = std::str::from_utf8(content.get(i + 2..i + 2 + len)?).ok()?;
                (
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?,
                    i + 2 + len,
                )
            }
            (None, b' ' | b'\t' | b'\r' | b'\n') => {
                // A line-ending backslash: skip blanks and line breaks up to the next text.
                i += 2;
                while content
                    .get(i)
                    .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                {
                    i += 1;
                }
                continue;
            }
            _ => return None,
        };
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        if !gives(bytes, &mut done) {
            return None;
        }
        emit(origin + i, origin + to, bytes.len(), false);
        i = to;
    }
    (done == wanted.len()).then_some(())
}

/// Where each byte of `value` was written, given its token `raw` at `base`: a plain
/// shift when the token holds the value as is, else runs made as it is decoded.
pub fn positions(raw: &str, base: usize, value: &str) -> Option<Positions> {
    let delim = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    if let Some(content) = raw.get(delim..raw.len().saturating_sub(delim)) {
        let skip = if delim == 3 && content.starts_with('\n') {
            1
        } else {
            0
        };
        if content.get(skip..) == Some(value) {
            return Some(Positions::From(base + delim + skip));
        }
    }
    let mut runs = RunsBuilder::default();
    decode(raw, base, value, &mut |from, to, len, plain| {
        runs.push(from, to, len, plain);
    })?;
    runs.finish()
}

/// One TOML file being read.
pub struct Reader<'s> {
    /// Its id in the sources.
    pub file: FileId,
    /// Its text.
    pub src: &'s str,
    /// Where problems go.
    pub diags: &'s mut Diagnostics,
}

/// A spanned TOML value.
pub type Val<'i> = Spanned<DeValue<'i>>;

/// The TOML type name of a value, for messages.
pub fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'s> Reader<'s> {
    /// A reader of the file `file` with text `src`, reporting into `diags`.
    pub fn new(file: FileId, src: &'s str, diags: &'s mut Diagnostics) -> Self {
        Reader { file, src, diags }
    }

    /// A `{ zh, en }` text.
    pub fn text(&mut self, what: &str, v: &Val) -> Option<Text> {
        let table = self.table(what, v)?;
        self.unknown_keys(table, &["zh", "en"], what);
        let zh = get(table, "zh").and_then(|s| self.string(&format!("`zh` of {what}"), s));
        let en = get(table, "en").and_then(|s| self.string(&format!("`en` of {what}"), s));
        if zh.is_none() && en.is_none() {
            self.diags.push(
                Diagnostic::error(format!("{what} has neither `zh` nor `en`"))
                    .at(self.loc(v.span()), "empty text")
                    .help("write it as { zh = \"…\", en = \"…\" }"),
            );
            return None;
        }
        Some(Text {
            zh,
            en,
            loc: self.loc(v.span()),
        })
    }

    /// Parses the file; a syntax error becomes a diagnostic and `None`.
    pub fn parse(&mut self) -> Option<Spanned<DeTable<'s>>> {
        let (table, errors) = DeTable::parse_recoverable(self.src);
        if errors.is_empty() {
            return Some(table);
        }
        for err in errors {
            let message = err.message().trim().to_string();
            let mut span = err.span().unwrap_or(0..0);
            // The parser gives no place for its nesting limit (it said 1:1, a
            // comment, found by an audit): the most deeply nested key is the likely one.
            if span.is_empty() && message.contains("recursion limit") {
                span = deepest_key(self.src);
            }
            let (first, rest) = match message.split_once('\n') {
                Some((a, b)) => (a.to_string(), Some(b.trim().to_string())),
                None => (message.clone(), None),
            };
            self.diags.push(
                Diagnostic::error(format!("TOML syntax error: {first}"))
                    .at(self.loc(span), "here")
                    .help_opt(rest.filter(|r| !r.is_empty())),
            );
        }
        None
    }

    /// A location in this file.
    pub fn loc(&self, span: Range<usize>) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    /// Reports a value of the wrong type.
    pub fn type_error(&mut self, what: &str, expected: &str, v: &Val) {
        self.diags.push(
            Diagnostic::error(format!(
                "{what} must be {expected}, found {}",
                type_name(v.get_ref())
            ))
            .at(self.loc(v.span()), format!("expected {expected}")),
        );
    }

    /// Warns about every key of `table` not in `known`, with the nearest known key.
    pub fn unknown_keys(&mut self, table: &DeTable, known: &[&str], context: &str) {
        for (key, _) in table.iter() {
            if known.contains(&key.get_ref().as_ref()) {
                continue;
            }
            let name = key.get_ref().as_ref();
            let help = match suggest::nearest(name, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => "remove it".to_string(),
                None => format!("known keys here: {}", known.join(", ")),
            };
            self.diags.push(
                Diagnostic::warning(format!("unknown key `{name}` in {context}; it is ignored"))
                    .at(self.loc(key.span()), "unknown key")
                    .help(help),
            );
        }
    }

    /// Reports a missing required key.
    pub fn missing(&mut self, key: &str, context: &str, at: Range<usize>, help: Option<String>) {
        self.diags.push(
            Diagnostic::error(format!("{context} has no `{key}`"))
                .at(self.loc(at), format!("`{key}` is required here"))
                .help_opt(help),
        );
    }

    /// An error at the string `text` (at `span`) when it holds a character no
    /// report can show; the run then renders nothing. A control character (other
    /// than tab, line feed and carriage return) or a noncharacter makes XML
    /// ill-formed and HTML invalid, and shows as nothing or as a box: it is a
    /// pasted invisible character or a stray `\u` escape, never meant.
    fn showable(&mut self, what: &str, text: &str, span: Range<usize>) {
        let Some(c) = text.chars().find(|c| unshowable(*c)) else {
            return;
        };
        self.diags.push(
            Diagnostic::error(format!(
                "{what} holds U+{:04X}, a character no report can show",
                u32::from(c)
            ))
            .at(self.loc(span), "in this text")
            .help("remove it: a control character or a noncharacter, pasted in or written as a `\\u` escape"),
        );
    }

    /// A string value.
    pub fn string(&mut self, what: &str, v: &Val) -> Option<LocStr> {
        match v.get_ref() {
            DeValue::String(s) => {
                // Kept after the error, so that nothing else reports it missing.
                self.showable(what, s, v.span());
                Some(self.loc_str(s, v.span()))
            }
            _ => {
                self.type_error(what, "a string", v);
                None
            }
        }
    }

    fn loc_str(&self, value: &str, span: Range<usize>) -> LocStr {
        let raw = self.src.get(span.clone()).unwrap_or("");
        LocStr {
            text: value.to_string(),
            loc: self.loc(span.clone()),
            offsets: positions(raw, span.start, value),
        }
    }

    /// An exact number from an integer or decimal, read from its written text.
    pub fn number(&mut self, what: &str, v: &Val) -> Option<Exact> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => Exact::read_integer(i.as_str(), i.radix()),
            DeValue::Float(f) => {
                let text = f.as_str();
                if text.contains("nan") || text.contains("inf") {
                    self.diags.push(
                        Diagnostic::error(format!("{what} is `{text}`, which is not a number"))
                            .at(self.loc(v.span()), "not a finite number")
                            .help("TOML accepts nan and inf, but a figure must be a finite number"),
                    );
                    return None;
                }
                Exact::read_decimal(text)
            }
            _ => {
                self.type_error(what, "a number", v);
                return None;
            }
        };
        match parsed {
            Ok(n) => Some(n),
            Err(NumberError::Invalid) => {
                self.diags.push(
                    Diagnostic::error(format!("{what} is out of range"))
                        .at(self.loc(v.span()), "cannot be read as a number"),
                );
                None
            }
            Err(NumberError::TooLarge) => {
                self.diags.push(
                    Diagnostic::error(format!("{what} has too many digits to compute with"))
                        .at(self.loc(v.span()), "too large, or too fine a fraction")
                        .help(crate::exact::LIMIT_HELP),
                );
                None
            }
        }
    }

    /// A small non-negative integer (decimal places and the like).
    pub fn small_uint(&mut self, what: &str, v: &Val, max: u32) -> Option<u32> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => {
                u32::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => {
                self.type_error(what, "a whole number", v);
                return None;
            }
        };
        match n {
            Some(n) if n <= max => Some(n),
            _ => {
                self.diags.push(
                    Diagnostic::error(format!("{what} must be between 0 and {max}"))
                        .at(self.loc(v.span()), "out of range"),
                );
                None
            }
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, what: &str, v: &Val) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_error(what, "true or false", v);
                None
            }
        }
    }

    /// A TOML local date (`2006-09-30`).
    pub fn date(&mut self, what: &str, v: &Val) -> Option<NaiveDate> {
        let DeValue::Datetime(dt) = v.get_ref() else {
            self.type_error(what, "a date such as 2006-09-30 (no quotes)", v);
            return None;
        };
        let date = dt.date.filter(|_| dt.time.is_none());
        let parsed = date.and_then(|d| {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        });
        if parsed.is_none() {
            self.diags.push(
                Diagnostic::error(format!("{what} must be a date without a time"))
                    .at(self.loc(v.span()), "not a plain date")
                    .help("write it as 2006-09-30"),
            );
        }
        parsed
    }

    /// A table, or a type error.
    pub fn table<'v, 'i>(&mut self, what: &str, v: &'v Val<'i>) -> Option<&'v DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.type_error(what, "a table", v);
                None
            }
        }
    }

    /// An array of tables (`[[sections]]`), or a type error.
    pub fn tables<'v, 'i>(&mut self, what: &str, v: &'v Val<'i>) -> Vec<&'v Val<'i>> {
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    if matches!(item.get_ref(), DeValue::Table(_)) {
                        out.push(item);
                    } else {
                        self.type_error(&format!("each entry of {what}"), "a table", item);
                    }
                }
                out
            }
            _ => {
                self.type_error(what, "an array of tables", v);
                Vec::new()
            }
        }
    }
}

/// Looks a key up in a table.
pub fn get<'v, 'i>(table: &'v DeTable<'i>, key: &str) -> Option<&'v Val<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// The key of `src` nested deepest, by a rough count of the dots of its key and
/// the inline tables and arrays opened on its line (strings and comments aside).
fn deepest_key(src: &str) -> Range<usize> {
    let mut best = (0, 0..0);
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let code = line.trim_start();
        if code.starts_with('#') || code.trim().is_empty() {
            continue;
        }
        let indent = line.len() - code.len();
        let (mut depth, mut key_end, mut quote) = (0, None, None);
        for (i, c) in code.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '.') if key_end.is_none() => depth += 1,
                (None, '{') => depth += 1,
                (None, '[') if key_end.is_some() => depth += 1,
                (None, '=') if key_end.is_none() => key_end = Some(i),
                _ => {}
            }
        }
        if depth > best.0 {
            let key = code[..key_end.unwrap_or(code.len())].trim_end();
            best = (depth, start + indent..start + indent + key.len());
        }
    }
    best.1
}

#[cfg(test)]
mod tests;
