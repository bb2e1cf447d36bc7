//! Where the 落款 (the organisation and the date under the text) sits, by
//! GB/T 9704-2012 7.3.5.2.

use super::super::Signature;
use super::super::layout::Layout;
use super::super::props::{Ind, Jc};
use super::narrow;

/// The right indents of the 落款's two lines, organisation then date, both
/// right-aligned (the Chinese ones then placed from the left where these
/// put them, by [`signature_from_left`]).
///
/// Chinese, GB/T 9704-2012 7.3.5.2 (a document without a seal): the
/// organisation 右空二字 (two characters from the right margin), the date on the
/// next line with its first character two characters right of the
/// organisation's; when the date is too long for that, the date is right-spaced
/// two characters and the organisation moves left to keep the offset. English:
/// both lines two characters from the right margin. Widths are counted in
/// half characters of the body size (a Chinese character is two, an ASCII digit
/// or letter one), and an indent gives way when a line would not fit.
///
/// A Chinese organisation too long for a line with its two characters of
/// space (an English one: for a line) wraps, two characters from the margin,
/// and the date goes right-aligned beneath it, two characters in: its first
/// character cannot sit right of the organisation's, which starts at the left
/// margin, and measuring from there squeezed the date into a narrow column at
/// the left (an audit found a 36-character name so).
pub(super) fn signature_indents(sig: &Signature, zh: bool, layout: &Layout) -> [Ind; 2] {
    use unicode_width::UnicodeWidthStr;
    let org = sig.organisation.width_cjk() as i64;
    let date = sig.date.width_cjk() as i64;
    let line = 2 * i64::from(layout.chars_per_line);
    // Half characters: two characters are 4.
    let wraps = if zh { org + 4 > line } else { org > line };
    let (org_right, date_right) = if wraps {
        (4, 4)
    } else if zh {
        let date_right = (org - date).max(4);
        (date_right + date + 4 - org, date_right)
    } else {
        (4, 4)
    };
    let fit = |right: i64, width: i64| right.min(line - width).max(0);
    let half = i64::from(layout.sizes.body) * 5;
    let ind = |half_chars: i64| Ind {
        first_line: Some((0, 0)),
        left: None,
        right: Some((half_chars * 50, half_chars * half)),
    };
    // An organisation that wraps keeps its indent; a line that fits gives way.
    let org_right = if wraps {
        org_right
    } else {
        fit(org_right, org)
    };
    [ind(org_right), ind(fit(date_right, date))]
}

/// The Chinese 落款's lines placed from the left margin where
/// [`signature_indents`] puts them from the right, when the organisation
/// does not wrap: right-aligned, the date's start moved with its width, and
/// LibreOffice widens the date by the space it puts between Chinese and
/// digits, so that it started 0.84 characters right of the organisation's
/// first character, not 2 (found by an audit). Left indents put both starts
/// where GB/T 9704 wants them whatever a reader makes of the widths.
pub(super) fn signature_from_left(
    sig: &Signature,
    layout: &Layout,
    ind: [Ind; 2],
) -> [(Ind, Option<Jc>); 2] {
    let right = |i: &Ind| i.right.map_or(0, |r| r.1);
    let m = layout.measures();
    let chars = i64::from(layout.chars_per_line.max(1));
    let body = i64::from(layout.sizes.body) * 10;
    // Twips as set: a Chinese character at the line's pitch (condensed, or
    // on the character grid), a half-width one half the body size.
    let width = |s: &str| -> i64 {
        let wide = s.chars().filter(|c| !narrow(*c)).count() as i64;
        let half = s.chars().filter(|c| narrow(*c)).count() as i64;
        m.text_w * wide / chars + half * body / 2
    };
    let (org, date) = (width(&sig.organisation), width(&sig.date));
    // A line wider than the text: it wraps, as `signature_indents` said.
    if right(&ind[0]) + org > m.text_w {
        return ind.map(|i| (i, None));
    }
    let two = 2 * body;
    let org_left = m.text_w - right(&ind[0]) - org;
    // The date's first character two right of the organisation's, or the
    // date two from the margin with the organisation moved to keep that.
    let date_left = (org_left + two).min(m.text_w - two - date);
    let org_left = org_left.min(date_left - two);
    let left = |tw: i64| {
        let tw = tw.max(0);
        Ind {
            first_line: Some((0, 0)),
            left: Some((tw * 100 / body, tw)),
            right: Some((0, 0)),
        }
    };
    let date_left = date_left.min(m.text_w - date);
    [
        (left(org_left), Some(Jc::Left)),
        (left(date_left), Some(Jc::Left)),
    ]
}
