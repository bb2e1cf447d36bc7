//! How wide a table cell's text is, and where it may break: enough to give
//! each column the width of its longest piece that must stay on one line.
//!
//! Widths are in thousandths of an em. Latin text is measured with the
//! Times Roman metrics (Times New Roman and LibreOffice's Liberation Serif
//! share them); Chinese characters and symbols are a whole em.

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

/// Whether `c` is set a whole em wide: Chinese characters, full-width
/// punctuation, and symbols such as ↑ and ✓ that East Asian fonts set wide.
fn wide(c: char) -> bool {
    c.width_cjk().unwrap_or(0) >= 2 && !c.is_ascii()
}

fn advance(c: char) -> i64 {
    match c {
        ' '..='~' => i64::from(TIMES[c as usize - 0x20]),
        // A non-breaking space is a space.
        '\u{a0}' => 250,
        _ if wide(c) => 1000,
        // Other Latin letters (é, ü) and the like: a little more than a digit.
        _ if c.width().unwrap_or(0) > 0 => 600,
        _ => 0,
    }
}

/// The width of `s` in thousandths of an em. Word puts a quarter em between
/// Chinese text and Latin letters or digits (`w:autoSpaceDE`/`DN`), which is
/// counted too.
pub(crate) fn width(s: &str) -> i64 {
    let mut total = 0;
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if let Some(p) = prev
            && (wide(p) && c.is_ascii_alphanumeric() || p.is_ascii_alphanumeric() && wide(c))
        {
            total += 250;
        }
        total += advance(c);
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
/// digit in it (`向好`, `better`) is words.
pub(crate) fn longest_piece(s: &str, words: bool) -> i64 {
    let word = |p: &str| word_pieces(p).into_iter().map(width).max().unwrap_or(0);
    if words {
        return word(s);
    }
    value_pieces(s)
        .into_iter()
        .map(|p| {
            if p.chars().any(|c| c.is_ascii_digit()) {
                width(p.trim_end())
            } else {
                word(p)
            }
        })
        .max()
        .unwrap_or(0)
}

/// Where each line of `s` starts, in bytes, when its pieces are set greedily
/// on lines that take what `fits`: labels (`words`) wrap between words,
/// values between the pieces of [`value_pieces`].
pub(crate) fn line_starts(s: &str, words: bool, fits: &dyn Fn(&str) -> bool) -> Vec<usize> {
    let pieces = if words {
        word_pieces(s)
    } else {
        value_pieces(s)
    };
    let mut starts = vec![0];
    for p in pieces {
        // The pieces are slices of `s`.
        let at = (p.as_ptr() as usize).saturating_sub(s.as_ptr() as usize);
        let line = starts.last().copied().unwrap_or(0);
        if at > line && !fits(&s[line..at + p.len()]) {
            starts.push(at);
        }
    }
    starts
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
            longest_piece("↑ +0.48个百分点，向好", false),
            width("↑ +0.48个百分点，")
        );
        assert_eq!(longest_piece("不低于95%", false), width("不低于95%"));
        assert_eq!(longest_piece("✓ 完成", false), 1000);
        assert_eq!(
            longest_piece("Annual expenditure", true),
            width("expenditure")
        );
    }
}
