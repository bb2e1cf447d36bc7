//! Texts of the data: a located string, a `{ zh, en }` text, a unit per language.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::Loc;
use crate::i18n::Lang;

/// A located string: its text, where its token sits in the file, and for every byte
/// of the text the bytes of the file it was read from, so that a span inside the string
/// (a formula's column, a template error in a narrative) can be turned into a span in
/// the file, escapes and line-continuation backslashes included.
#[derive(Debug, Clone, PartialEq)]
pub struct LocStr {
    /// The string's value.
    pub text: String,
    /// The whole string token, quotes included.
    pub loc: Loc,
    /// For each byte of `text`, the byte range in the file it was written as; `None`
    /// when the token could not be matched to the value.
    pub offsets: Option<Arc<[(usize, usize)]>>,
}

impl LocStr {
    /// The place in the file of `inner`, a byte range inside the string's value; the
    /// whole token when positions do not map.
    pub fn map(&self, inner: &Range<usize>) -> Loc {
        let span = self.offsets.as_ref().and_then(|offsets| {
            let n = offsets.len();
            if inner.start > inner.end || inner.end > n {
                return None;
            }
            if inner.start == inner.end {
                // An empty span (such as "end of input"): a point before the byte, or
                // just after the last one.
                let at = match offsets.get(inner.start) {
                    Some((start, _)) => *start,
                    None => offsets
                        .last()
                        .map_or(self.loc.span.start + 1, |(_, end)| *end),
                };
                return Some(at..at);
            }
            Some(offsets[inner.start].0..offsets[inner.end - 1].1)
        });
        match span {
            Some(span) => Loc {
                file: self.loc.file,
                span,
            },
            None => self.loc.clone(),
        }
    }
}

/// A user-facing text in both languages (`{ zh = "…", en = "…" }`).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The Chinese text.
    pub zh: Option<LocStr>,
    /// The English text.
    pub en: Option<LocStr>,
    /// The whole value.
    pub loc: Loc,
}

impl Text {
    /// The text in `lang`, if written.
    pub fn get(&self, lang: Lang) -> Option<&LocStr> {
        match lang {
            Lang::Zh => self.zh.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The text in `lang`, to change it.
    pub fn get_mut(&mut self, lang: Lang) -> Option<&mut LocStr> {
        match lang {
            Lang::Zh => self.zh.as_mut(),
            Lang::En => self.en.as_mut(),
        }
    }

    /// The text in `lang`, or the other language's when missing (`true` = fallback).
    pub fn get_or_fallback(&self, lang: Lang) -> (&str, bool) {
        match (self.get(lang), self.zh.as_ref().or(self.en.as_ref())) {
            (Some(s), _) => (&s.text, false),
            (None, Some(other)) => (&other.text, true),
            (None, None) => ("", true),
        }
    }

    /// The text in `lang`, or the other language's when missing.
    pub fn or_fallback(&self, lang: Lang) -> &str {
        self.get_or_fallback(lang).0
    }
}

/// A unit, possibly different per language (`人` / `persons`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Unit {
    /// Chinese unit.
    pub zh: String,
    /// English unit.
    pub en: String,
}

impl Unit {
    /// The unit in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}
