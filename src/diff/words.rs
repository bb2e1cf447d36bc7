//! Word-level diffs of two texts (Chinese by character, since it has no spaces
//! between words), tidied so that they read as a person would mark them up.

use similar::{ChangeTag, TextDiff};

use crate::i18n::Lang;

/// A piece of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Kept, deleted or inserted.
    pub tag: ChangeTag,
    /// The text.
    pub text: String,
}

/// The word-level diff of two texts; Chinese by character.
pub fn words(a: &str, b: &str, lang: Lang) -> Vec<Segment> {
    match lang {
        Lang::Zh => {
            // By character, but a number (or a Latin word) is one token: a
            // character diff cut 100 → 60 into "[-10-]{+6+}0" (found by an audit).
            let (ta, tb) = (zh_tokens(a), zh_tokens(b));
            let diff = TextDiff::configure().diff_slices(&ta, &tb);
            segments(
                a,
                b,
                diff.ratio(),
                diff.iter_all_changes().map(|c| (c.tag(), c.value())),
                lang,
            )
        }
        Lang::En => {
            let diff = TextDiff::configure().diff_words(a, b);
            segments(
                a,
                b,
                diff.ratio(),
                diff.iter_all_changes().map(|c| (c.tag(), c.value())),
                lang,
            )
        }
    }
}

/// A Chinese text's tokens: each character, but a run of ASCII letters, digits
/// and the signs of a number (`1,335`, `8.79`, `96%`) whole.
fn zh_tokens(text: &str) -> Vec<&str> {
    let in_run = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '%');
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (in_run(c), start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(s) = s {
                    out.push(&text[s..i]);
                    start = None;
                }
                out.push(&text[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn segments<'t>(
    a: &str,
    b: &str,
    ratio: f32,
    changes: impl Iterator<Item = (ChangeTag, &'t str)>,
    lang: Lang,
) -> Vec<Segment> {
    let diff_ratio = ratio;
    // Texts that share little are shown as one replaced by the other: a word diff
    // of two different paragraphs is a confetti of tiny changes nobody can read.
    if !a.is_empty() && !b.is_empty() && diff_ratio < 0.5 {
        return vec![
            Segment {
                tag: ChangeTag::Delete,
                text: a.to_string(),
            },
            Segment {
                tag: ChangeTag::Insert,
                text: b.to_string(),
            },
        ];
    }
    let mut raw: Vec<Segment> = Vec::new();
    for (tag, value) in changes {
        push(&mut raw, tag, value);
    }
    tidy(raw, lang)
}

fn push(out: &mut Vec<Segment>, tag: ChangeTag, text: &str) {
    match out.last_mut() {
        Some(last) if last.tag == tag => last.text.push_str(text),
        _ => out.push(Segment {
            tag,
            text: text.to_string(),
        }),
    }
}

/// Folds a trivial unchanged stretch between two changes (a space, or one
/// Chinese character) into them, so that `~~a~~**b** ~~c~~**d**` reads as
/// `~~a c~~**b d**`; and puts each run's deletion before its insertion.
fn tidy(raw: Vec<Segment>, lang: Lang) -> Vec<Segment> {
    let trivial = |s: &Segment| {
        s.tag == ChangeTag::Equal
            && (s.text.trim().is_empty() || (lang == Lang::Zh && s.text.chars().count() <= 1))
    };
    let mut out: Vec<Segment> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            push(out, ChangeTag::Delete, del);
        }
        if !ins.is_empty() {
            push(out, ChangeTag::Insert, ins);
        }
        del.clear();
        ins.clear();
    };
    for (i, s) in raw.iter().enumerate() {
        let inside = i > 0 && i + 1 < raw.len();
        match s.tag {
            ChangeTag::Delete => del.push_str(&s.text),
            ChangeTag::Insert => ins.push_str(&s.text),
            ChangeTag::Equal if inside && trivial(s) && (!del.is_empty() || !ins.is_empty()) => {
                del.push_str(&s.text);
                ins.push_str(&s.text);
            }
            ChangeTag::Equal => {
                flush(&mut out, &mut del, &mut ins);
                push(&mut out, ChangeTag::Equal, &s.text);
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

#[cfg(test)]
mod tests {
    /// A number changed is one change, not digits cut apart (found by an audit:
    /// 100 → 60 read "[-10-]{+6+}0").
    #[test]
    fn a_chinese_diff_keeps_numbers_whole() {
        use super::{Segment, words};
        use similar::ChangeTag;
        let got = words(
            "书写标语100余条，人口151837人",
            "书写标语60余条，人口152604人",
            crate::i18n::Lang::Zh,
        );
        let changed: Vec<&Segment> = got.iter().filter(|s| s.tag != ChangeTag::Equal).collect();
        let texts: Vec<&str> = changed.iter().map(|s| s.text.as_str()).collect();
        assert!(texts.contains(&"100") && texts.contains(&"60"), "{got:?}");
        assert!(
            texts.contains(&"151837") && texts.contains(&"152604"),
            "{got:?}"
        );
    }

    use super::*;

    fn tags(segs: &[Segment]) -> Vec<(char, &str)> {
        segs.iter()
            .map(|s| {
                let c = match s.tag {
                    ChangeTag::Equal => '=',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                (c, s.text.as_str())
            })
            .collect()
    }

    #[test]
    fn english_is_diffed_by_word() {
        let segs = words(
            "we kept the birth rate low",
            "we kept the death rate low",
            Lang::En,
        );
        assert_eq!(
            tags(&segs),
            vec![
                ('=', "we kept the "),
                ('-', "birth"),
                ('+', "death"),
                ('=', " rate low")
            ]
        );
    }

    #[test]
    fn neighbouring_word_changes_read_as_one() {
        let segs = words(
            "the district met every target this year",
            "the county missed one target this year",
            Lang::En,
        );
        assert_eq!(
            tags(&segs),
            vec![
                ('=', "the "),
                ('-', "district met every"),
                ('+', "county missed one"),
                ('=', " target this year")
            ]
        );
    }

    #[test]
    fn texts_with_little_in_common_are_replaced_whole() {
        let segs = words("alpha beta gamma", "one two three", Lang::En);
        assert_eq!(
            tags(&segs),
            vec![('-', "alpha beta gamma"), ('+', "one two three")]
        );
    }

    #[test]
    fn chinese_is_diffed_by_character() {
        let segs = words("加强宣传教育", "深化宣传教育", Lang::Zh);
        assert_eq!(
            tags(&segs),
            vec![('-', "加强"), ('+', "深化"), ('=', "宣传教育")]
        );
    }
}
