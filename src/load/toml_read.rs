//! Reading TOML with spans: every value keeps its byte range in the file, numbers
//! keep the text they were written as, and every problem becomes a located
//! diagnostic instead of an early return.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, FileId, Loc};
use crate::exact::Exact;
use crate::suggest;

/// A located string: its text, where its token sits in the file, and where its
/// content starts when the characters map one to one (no escapes), so that a span
/// inside the string can be turned into a span in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct LocStr {
    /// The string's value.
    pub text: String,
    /// The whole string token, quotes included.
    pub loc: Loc,
    /// Byte offset in the file of the string's first character, when exact.
    pub content_start: Option<usize>,
}

impl LocStr {
    /// The place in the file of `inner`, a byte range inside the string's value;
    /// the whole token when the string had escapes and positions do not map.
    pub fn map(&self, inner: &Range<usize>) -> Loc {
        match self.content_start {
            Some(start) => Loc {
                file: self.loc.file,
                span: start + inner.start..start + inner.end,
            },
            None => self.loc.clone(),
        }
    }
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
    /// Parses the file; a syntax error becomes a diagnostic and `None`.
    pub fn parse(&mut self) -> Option<Spanned<DeTable<'s>>> {
        let (table, errors) = DeTable::parse_recoverable(self.src);
        if errors.is_empty() {
            return Some(table);
        }
        for err in errors {
            let span = err.span().unwrap_or(0..0);
            let message = err.message().trim().to_string();
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

    /// A string value.
    pub fn string(&mut self, what: &str, v: &Val) -> Option<LocStr> {
        match v.get_ref() {
            DeValue::String(s) => Some(self.loc_str(s, v.span())),
            _ => {
                self.type_error(what, "a string", v);
                None
            }
        }
    }

    fn loc_str(&self, value: &str, span: Range<usize>) -> LocStr {
        let raw = self.src.get(span.clone()).unwrap_or("");
        let delim = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        let content_start = (raw.len() >= 2 * delim)
            .then(|| {
                let inner = &raw[delim..raw.len() - delim];
                if inner == value {
                    Some(span.start + delim)
                } else if let Some(stripped) = inner.strip_prefix('\n')
                    && stripped == value
                {
                    Some(span.start + delim + 1)
                } else {
                    None
                }
            })
            .flatten();
        LocStr {
            text: value.to_string(),
            loc: self.loc(span),
            content_start,
        }
    }

    /// An exact number from an integer or decimal, read from its written text.
    pub fn number(&mut self, what: &str, v: &Val) -> Option<Exact> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => Exact::parse_integer(i.as_str(), i.radix()),
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
                Exact::parse_decimal(text)
            }
            _ => {
                self.type_error(what, "a number", v);
                return None;
            }
        };
        if parsed.is_none() {
            self.diags.push(
                Diagnostic::error(format!("{what} is out of range"))
                    .at(self.loc(v.span()), "cannot be read as a number"),
            );
        }
        parsed
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
