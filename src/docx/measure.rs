//! How wide a table cell's text is, and where it may break: enough to give
//! each column the width of its longest piece that must stay on one line.
//!
//! Widths are in thousandths of an em. Latin text is measured with the
//! Times Roman metrics (Times New Roman and LibreOffice's Liberation Serif
//! share them), bold text with Times Bold's; Chinese characters and symbols
//! are a whole em.

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

/// The advance of a printable ASCII character in Times Roman, thousandths of
/// an em, from `' '` (0x20) to `'~'` (0x7E).
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250,
    278, // ' '..'/'
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564,
    444, // '0'..'?'
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722,
    722, // '@'..'O'
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
    500, // 'P'..'_'
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500,
    500, // '`'..'o'
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, // 'p'..'~'
];

/// The advance of a printable ASCII character in Times Bold, as [`TIMES`]:
/// bold is wider (`Result` 2722 against 2556), and a bold header measured
/// as regular wrapped as `Resul` / `t` (found by an audit).
const TIMES_BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250,
    278, // ' '..'/'
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570,
    500, // '0'..'?'
    930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722,
    778, // '@'..'O'
    611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581,
    500, // 'P'..'_'
    333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556,
    500, // '`'..'o'
    556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520, // 'p'..'~'
];

/// Whether `c` is set a whole em wide: Chinese characters, full-width
/// punctuation, and symbols such as ↑ and ✓ that East Asian fonts set wide.
fn wide(c: char) -> bool {
    c.width_cjk().unwrap_or(0) >= 2 && !c.is_ascii()
}

fn advance(c: char, bold: bool) -> i64 {
    match c {
        ' '..='~' if bold => i64::from(TIMES_BOLD[c as usize - 0x20]),
        ' '..='~' => i64::from(TIMES[c as usize - 0x20]),
        // A non-breaking space is a space.
        '\u{a0}' => 250,
        _ if wide(c) => 1000,
        // Other Latin letters (é, ü) and the like: a little more than a digit.
        _ if c.width().unwrap_or(0) > 0 => 600,
        _ => 0,
    }
}

/// Whether byte `i` of a text is in one of its `bold` ranges.
fn is_bold(bold: &[Range<usize>], i: usize) -> bool {
    bold.iter().any(|r| r.contains(&i))
}

/// The width of `s` in thousandths of an em. Word puts a quarter em between
/// Chinese text and Latin letters or digits (`w:autoSpaceDE`/`DN`), which is
/// counted too. Tests' shorthand for text that is not bold.
#[cfg(test)]
pub(crate) fn width(s: &str) -> i64 {
    styled_width(s, 0, &[])
}

/// The width of `s`, which starts at byte `at` of a text that is bold over
/// the byte ranges `bold`.
pub(crate) fn styled_width(s: &str, at: usize, bold: &[Range<usize>]) -> i64 {
    let mut total = 0;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if let Some(p) = prev
            && (wide(p) && c.is_ascii_alphanumeric() || p.is_ascii_alphanumeric() && wide(c))
        {
            total += 250;
        }
        total += advance(c, is_bold(bold, at + i));
        prev = Some(c);
    }
    total
}

/// The pieces of a value cell (a number with its unit, a change such as
/// `↑ +0.48个百分点，向好`) that must each stay on one line: it may break
/// after a comma (`，`, or `,` before a space), before `（` (`↑ +767人` /
/// `（+0.5%）`), and at a space, except after an arrow or a number: the
/// number keeps the word after it, its unit (`16,350 persons`,
/// `2,134,567.89 10k yuan`, `111.13 boys` / `per` / `100 girls`).
pub(crate) fn value_pieces(s: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    // Where the word before the current one starts.
    let mut word = 0;
    for k in 1..chars.len() {
        let (i, c) = chars[k];
        let breaks = match chars[k - 1].1 {
            '，' => true,
            ' ' if c != ' ' => {
                let before = s[word..chars[k - 1].0].trim_end();
                // A word of letters (a unit's first word, `better`) lets go.
                let free = before.ends_with(',')
                    || matches!(c, '(' | '（')
                    || before.chars().any(char::is_alphabetic)
                        && !before.chars().any(|c| c.is_ascii_digit());
                word = i;
                free
            }
            _ => c == '（',
        };
        if breaks {
            out.push(&s[start..i]);
            start = i;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The pieces of words (a label): a Latin word, or one Chinese character.
pub(crate) fn word_pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() || wide(c) {
            if let Some(b) = start.take() {
                out.push(&s[b..i]);
            }
            if wide(c) {
                out.push(&s[i..i + c.len_utf8()]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(b) = start {
        out.push(&s[b..]);
    }
    out
}

/// The width of the widest piece of a cell that must stay on one line, in
/// thousandths of an em. Labels (`words`) wrap between words and Chinese
/// characters; values keep each number with its unit. A value piece with no
/// digit in it (`向好`, `better`) is words. `bold` as in [`styled_width`].
pub(crate) fn longest_piece(s: &str, words: bool, bold: &[Range<usize>]) -> i64 {
    // The pieces are slices of `s`: where each starts in it.
    let at = |p: &str| (p.as_ptr() as usize).saturating_sub(s.as_ptr() as usize);
    let measure = |p: &str| styled_width(p, at(p), bold);
    let word = |p: &str| word_pieces(p).into_iter().map(measure).max().unwrap_or(0);
    if words {
        return word(s);
    }
    value_pieces(s)
        .into_iter()
        .map(|p| {
            if p.chars().any(|c| c.is_ascii_digit()) {
                measure(p.trim_end())
            } else {
                word(p)
            }
        })
        .max()
        .unwrap_or(0)
}

/// A cell's text measured once for every width it may be tried at: the
/// pieces it breaks between, and the widths from its start to each piece's
/// start and trimmed end. Setting it at a width is then sums, not
/// measuring: a crowded table's columns are tried at hundreds of widths.
pub(crate) struct Measured {
    pieces: Vec<Piece>,
}

struct Piece {
    /// Where the piece starts, in bytes.
    start: usize,
    /// What a line starting at the piece leaves out of the widths below, in
    /// thousandths of an em: the text before it, and the autospace between
    /// that text and the piece.
    before: i64,
    /// Where the text up to the piece's end ends without its trailing
    /// spaces (a line ends without them), in bytes, and its width.
    end_at: usize,
    end: i64,
}

impl Measured {
    /// Measures `s` as a label (`words`: it wraps between words) or a value
    /// (between the pieces of [`value_pieces`]), bold over the byte ranges
    /// `bold`.
    pub(crate) fn new(s: &str, words: bool, bold: &[Range<usize>]) -> Measured {
        // The width of `s[..i]` at each char boundary `i`, and the autospace
        // between the chars on either side of it: `s[i..j]` is
        // `prefix[j] - prefix[i] - join[i]` wide.
        let mut prefix = vec![0i64; s.len() + 1];
        let mut join = vec![0i64; s.len() + 1];
        let mut total = 0;
        let mut prev: Option<char> = None;
        for (i, c) in s.char_indices() {
            if let Some(p) = prev
                && (wide(p) && c.is_ascii_alphanumeric() || p.is_ascii_alphanumeric() && wide(c))
            {
                total += 250;
                join[i] = 250;
            }
            prefix[i] = total - join[i];
            total += advance(c, is_bold(bold, i));
            prev = Some(c);
        }
        prefix[s.len()] = total;
        let pieces = if words {
            word_pieces(s)
        } else {
            value_pieces(s)
        };
        let pieces = pieces
            .into_iter()
            .map(|p| {
                // The pieces are slices of `s`.
                let start = (p.as_ptr() as usize).saturating_sub(s.as_ptr() as usize);
                let end_at = s[..start + p.len()].trim_end().len();
                Piece {
                    start,
                    before: prefix[start] + join[start],
                    end_at,
                    end: prefix[end_at],
                }
            })
            .collect();
        Measured { pieces }
    }

    /// Where each line starts, in bytes, when the pieces are set greedily on
    /// lines that take what `fits` (a width in thousandths of an em).
    pub(crate) fn line_starts(&self, fits: impl Fn(i64) -> bool) -> Vec<usize> {
        let mut starts = vec![0];
        self.set(fits, |p| starts.push(p.start));
        starts
    }

    /// How many lines the text takes on lines that take what `fits`.
    pub(crate) fn lines(&self, fits: impl Fn(i64) -> bool) -> i64 {
        let mut lines = 1;
        self.set(fits, |_| lines += 1);
        lines
    }

    /// How many lines the text takes on lines that take what `fits`, and the
    /// least width (thousandths of an em) a line would have to take for the
    /// text to be set otherwise: the narrowest of the lines that did not fit
    /// (`None` when the text is on one line). Lines that take less than that
    /// set the text as `fits` does, so wider trials can skip to it.
    pub(crate) fn lines_and_next(&self, fits: impl Fn(i64) -> bool) -> (i64, Option<i64>) {
        let mut lines = 1;
        let mut next: Option<i64> = None;
        self.set_noting(
            fits,
            |_| lines += 1,
            |width| {
                next = Some(next.map_or(width, |n| n.min(width)));
            },
        );
        (lines, next)
    }

    /// Sets the pieces greedily, calling `new_line` with each piece that
    /// starts a line after the first.
    fn set(&self, fits: impl Fn(i64) -> bool, new_line: impl FnMut(&Piece)) {
        self.set_noting(fits, new_line, |_| {});
    }

    /// [`Measured::set`], also calling `too_wide` with the width of each line
    /// that did not fit.
    fn set_noting(
        &self,
        fits: impl Fn(i64) -> bool,
        mut new_line: impl FnMut(&Piece),
        mut too_wide: impl FnMut(i64),
    ) {
        // Where the line starts, and what its widths leave out. The first
        // starts at byte 0, before any leading spaces.
        let mut line: (usize, i64) = (0, 0);
        for p in &self.pieces {
            let width = if p.end_at > line.0 { p.end - line.1 } else { 0 };
            if p.start > line.0 && !fits(width) {
                too_wide(width);
                new_line(p);
                line = (p.start, p.before);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_break_only_after_commas_and_before_parentheses() {
        assert_eq!(
            value_pieces("↑ +0.48个百分点，向好"),
            ["↑ +0.48个百分点，", "向好"]
        );
        assert_eq!(value_pieces("↑ +767人（+0.5%）"), ["↑ +767人", "（+0.5%）"]);
        assert_eq!(
            value_pieces("↑ +767 persons (+0.5%)"),
            ["↑ +767 persons ", "(+0.5%)"]
        );
        assert_eq!(
            value_pieces("111.13 boys per 100 girls"),
            ["111.13 boys ", "per ", "100 girls"]
        );
        assert_eq!(value_pieces("✓ met"), ["✓ met"]);
        assert_eq!(
            value_pieces("↑ +0.48 pp, better"),
            ["↑ +0.48 pp, ", "better"]
        );
        // Thousands separators are not commas that break.
        assert_eq!(
            value_pieces("2,134,567.89 10k yuan"),
            ["2,134,567.89 10k yuan"]
        );
        assert_eq!(value_pieces("2134567.89万元"), ["2134567.89万元"]);
        assert_eq!(value_pieces(""), Vec::<&str>::new());
    }

    #[test]
    fn labels_break_between_words_and_characters() {
        assert_eq!(
            word_pieces("Registered volunteers"),
            ["Registered", "volunteers"]
        );
        assert_eq!(word_pieces("60岁 以上"), ["60", "岁", "以", "上"]);
    }

    #[test]
    fn widths_are_times_roman_and_whole_ems() {
        assert_eq!(width("2134567.89"), 9 * 500 + 250);
        // 万元 after a digit: a quarter em between them.
        assert_eq!(width("9万元"), 500 + 250 + 2000);
        assert_eq!(width("↑"), 1000);
        assert_eq!(width("%"), 833);
        assert_eq!(
            longest_piece("↑ +0.48个百分点，向好", false, &[]),
            width("↑ +0.48个百分点，")
        );
        assert_eq!(longest_piece("不低于95%", false, &[]), width("不低于95%"));
        assert_eq!(longest_piece("✓ 完成", false, &[]), 1000);
        assert_eq!(
            longest_piece("Annual expenditure", true, &[]),
            width("expenditure")
        );
    }

    /// Lines set by measuring each candidate line's text afresh: what
    /// [`Measured`] must agree with.
    fn measured_afresh(s: &str, words: bool, max: i64) -> Vec<usize> {
        let pieces = if words {
            word_pieces(s)
        } else {
            value_pieces(s)
        };
        let mut starts = vec![0];
        for p in pieces {
            let at = p.as_ptr() as usize - s.as_ptr() as usize;
            let line = *starts.last().unwrap();
            if at > line && width(s[line..at + p.len()].trim_end()) > max {
                starts.push(at);
            }
        }
        starts
    }

    #[test]
    fn measured_lines_agree_with_measuring_each_line() {
        let cells = [
            "↑ +0.48个百分点，向好",
            "↑ +767 persons (+0.5%)",
            "111.13 boys per 100 girls",
            "2,134,567.89 10k yuan",
            "Registered volunteers in 60岁 以上 groups",
            "60岁以上人口 Population aged 60 and over",
            "  leading spaces and   runs   of spaces  ",
            "不低于95%，未完成 below target",
            "a",
            "",
        ];
        for cell in cells {
            for words in [true, false] {
                let m = Measured::new(cell, words, &[]);
                for max in (0..30_000).step_by(125) {
                    let want = measured_afresh(cell, words, max);
                    assert_eq!(m.line_starts(|w| w <= max), want, "{cell:?} at {max}");
                    assert_eq!(m.lines(|w| w <= max), want.len() as i64);
                }
            }
        }
    }
}
