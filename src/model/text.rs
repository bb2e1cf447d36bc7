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
    pub offsets: Option<Positions>,
}

/// Where each byte of a string's value was written in its file.
#[derive(Debug, Clone, PartialEq)]
pub enum Positions {
    /// Written as is (no escapes), from this byte of the file on: the common case,
    /// which costs nothing per byte.
    From(usize),
    /// Written with escapes or line continuations: stretches of the value, each
    /// written as is or as one escape (a few per line, not one per byte).
    Runs(Arc<[Run]>),
}

/// A stretch of a string's value and where it was written (16 bytes: a text has
/// one per line and escape; files are at most 16 MiB, so offsets fit in 32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Its first byte in the value.
    value: u32,
    /// How many bytes of the value it holds.
    len: u32,
    /// Where its first byte was written: one byte when the run was written as is
    /// (byte for byte), else the one escape (such as `\u00e9`) every byte of it
    /// came from.
    file: (u32, u32),
}

impl Run {
    fn plain(&self) -> bool {
        self.file.1 == self.file.0 + 1
    }
}

/// Builds [`Positions::Runs`] a stretch at a time, as a string is decoded: what
/// [`Positions::from_table`] makes from a range per byte, without the table.
#[derive(Debug, Default)]
pub struct RunsBuilder {
    runs: Vec<Run>,
    value_len: u32,
    too_large: bool,
}

impl RunsBuilder {
    /// `len` bytes of the value written as is at `from`, or (not `plain`) `len`
    /// bytes that the one escape at `from..to` stands for.
    pub fn push(&mut self, from: usize, to: usize, len: usize, plain: bool) {
        let (Ok(from), Ok(to), Ok(len)) =
            (u32::try_from(from), u32::try_from(to), u32::try_from(len))
        else {
            self.too_large = true;
            return;
        };
        if len == 0 {
            return;
        }
        let file = if plain { (from, from + 1) } else { (from, to) };
        match self.runs.last_mut() {
            Some(last) if plain && last.plain() && from == last.file.0 + last.len => {
                last.len += len;
            }
            Some(last) if !plain && !last.plain() && file == last.file => last.len += len,
            _ => self.runs.push(Run {
                value: self.value_len,
                len,
                file,
            }),
        }
        match self.value_len.checked_add(len) {
            Some(n) => self.value_len = n,
            None => self.too_large = true,
        }
    }

    /// The positions; `None` past 4 GiB.
    pub fn finish(self) -> Option<Positions> {
        (!self.too_large).then(|| Positions::Runs(Arc::from(self.runs)))
    }
}

impl Positions {
    /// Positions from a range for each byte of the value, in runs; `None` past
    /// 4 GiB.
    pub fn from_table(table: &[(usize, usize)]) -> Option<Positions> {
        let mut runs: Vec<Run> = Vec::new();
        for (i, &(a, b)) in table.iter().enumerate() {
            let (i, a, b) = (
                u32::try_from(i).ok()?,
                u32::try_from(a).ok()?,
                u32::try_from(b).ok()?,
            );
            let plain = b == a + 1;
            if let Some(last) = runs.last_mut() {
                let next_plain = last.plain() && plain && a == last.file.0 + last.len;
                let same_escape = !last.plain() && !plain && (a, b) == last.file;
                if next_plain || same_escape {
                    last.len += 1;
                    continue;
                }
            }
            runs.push(Run {
                value: i,
                len: 1,
                file: (a, b),
            });
        }
        Some(Positions::Runs(Arc::from(runs)))
    }

    /// The bytes of the file that byte `i` of the value was written as.
    pub fn get(&self, i: usize) -> Option<(usize, usize)> {
        match self {
            Positions::From(start) => Some((start + i, start + i + 1)),
            Positions::Runs(runs) => {
                let i = u32::try_from(i).ok()?;
                let at = runs.partition_point(|r| r.value + r.len <= i);
                let run = runs.get(at).filter(|r| r.value <= i)?;
                let (a, b) = if run.plain() {
                    let a = run.file.0 + (i - run.value);
                    (a, a + 1)
                } else {
                    run.file
                };
                Some((a as usize, b as usize))
            }
        }
    }
}

impl LocStr {
    /// The place in the file of `inner`, a byte range inside the string's value; the
    /// whole token when positions do not map.
    pub fn map(&self, inner: &Range<usize>) -> Loc {
        let span = self.offsets.as_ref().and_then(|offsets| {
            let n = self.text.len();
            if inner.start > inner.end || inner.end > n {
                return None;
            }
            // Whole characters of the value map to whole characters of the file.
            let floor = |mut i: usize| {
                while !self.text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let ceil = |mut i: usize| {
                while !self.text.is_char_boundary(i) {
                    i += 1;
                }
                i
            };
            let inner = floor(inner.start)..ceil(inner.end);
            if inner.start == inner.end {
                // An empty span (such as "end of input"): a point before the byte, or
                // just after the last one.
                let at = match offsets.get(inner.start).filter(|_| inner.start < n) {
                    Some((start, _)) => start,
                    None => n
                        .checked_sub(1)
                        .and_then(|last| offsets.get(last))
                        .map_or(self.loc.span.start + 1, |(_, end)| end),
                };
                return Some(at..at);
            }
            Some(offsets.get(inner.start)?.0..offsets.get(inner.end - 1)?.1)
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
    /// An empty text (as `new-year` scaffolds them) counts as missing, as for the
    /// narrative and as `check` warns: an empty `en` title gave an empty heading
    /// (found by an audit).
    pub fn get_or_fallback(&self, lang: Lang) -> (&str, bool) {
        fn written(s: Option<&LocStr>) -> Option<&LocStr> {
            s.filter(|s| !s.text.trim().is_empty())
        }
        let other = written(self.zh.as_ref()).or(written(self.en.as_ref()));
        match (written(self.get(lang)), other) {
            (Some(s), _) => (&s.text, false),
            (None, Some(other)) => (&other.text, true),
            (None, None) => ("", true),
        }
    }

    /// The text in `lang` as a report shows it: when it is missing, the other
    /// language's, marked untranslated (`(untranslated) 常住人口`), so that a
    /// label, a title or the organisation's name in the wrong language never
    /// passes for a translation.
    pub fn or_fallback(&self, lang: Lang) -> std::borrow::Cow<'_, str> {
        match self.get_or_fallback(lang) {
            (text, false) => text.into(),
            ("", true) => "".into(),
            (text, true) => {
                let words = lang.words();
                format!("{}{}{text}", words.untranslated, words.space).into()
            }
        }
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
