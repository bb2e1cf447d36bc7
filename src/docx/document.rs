//! `word/document.xml`: the report's blocks as paragraphs, three-line tables
//! and charts, then the 落款 and the section properties (page, margins,
//! document grid, footers).

use std::collections::BTreeMap;

use super::chart;
use super::layout::{Layout, Measures, emu};
use super::markdown::{Align, Block, Inline, Span, Table, plain};
use super::props::{Ind, Jc, PPr, RPr};
use super::styles::{Faces, NS_R, NS_W, Para};
use super::xml::Xml;
use super::{ChartData, Signature};

const NS_WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";

/// What the body needs from the package: the relationship ids it refers to.
pub(crate) struct Rels {
    pub footer_odd: String,
    pub footer_even: String,
    /// The id of the first chart; the others follow in order (`rId6`, `rId7`, …).
    pub first_chart: usize,
}

/// The body, the charts it shows in the order they appear, and the addresses
/// it links to (relationship `rIdLink1` is the first).
pub(crate) struct Body<'c> {
    pub xml: String,
    pub charts: Vec<&'c ChartData>,
    pub links: Vec<String>,
}

/// The relationship id of the `n`th (from 1) address a document links to.
pub(crate) fn link_rid(n: usize) -> String {
    format!("rIdLink{n}")
}

/// The addresses the body links to, each once, in the order first linked.
#[derive(Default)]
struct Links(Vec<String>);

impl Links {
    fn rid(&mut self, url: &str) -> String {
        let n = match self.0.iter().position(|u| u == url) {
            Some(i) => i + 1,
            None => {
                self.0.push(url.to_string());
                self.0.len()
            }
        };
        link_rid(n)
    }
}

/// Writes the document from its blocks.
pub(crate) fn document<'c>(
    blocks: &[Block],
    charts: &BTreeMap<&str, &'c ChartData>,
    signature: Option<&Signature>,
    faces: &Faces,
    layout: &Layout,
    m: &Measures,
    rels: &Rels,
) -> Body<'c> {
    let mut x = Xml::new();
    x.open(
        "w:document",
        &[("xmlns:w", NS_W), ("xmlns:r", NS_R), ("xmlns:wp", NS_WP)],
    );
    x.open("w:body", &[]);
    let mut used: Vec<&'c ChartData> = Vec::new();
    let links = &mut Links::default();
    // The last paragraph or table goes with the 落款 (a paragraph's last lines
    // at least, with widow control): no page holds the 落款 alone.
    let with_signature = |i: usize| signature.is_some() && i + 1 == blocks.len();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Para(inl) if with_signature(i) => {
                x.open("w:p", &[]);
                PPr {
                    keep_next: true,
                    ..PPr::default()
                }
                .write(&mut x);
                runs(&mut x, faces, links, Para::Body, inl, false);
                x.close();
            }
            Block::Title(inl) => paragraph(&mut x, faces, links, Para::Title, inl),
            Block::Subtitle(inl) => {
                let inl = subtitle_lines(inl, layout.chars_per_line);
                paragraph(&mut x, faces, links, Para::Subtitle, &inl);
            }
            Block::Banner(inl) => {
                let inl = banner_label(inl, faces.zh);
                paragraph(&mut x, faces, links, Para::Banner, &inl);
            }
            Block::Heading(level, inl) => paragraph(
                &mut x,
                faces,
                links,
                Para::Heading((*level).clamp(1, 4)),
                inl,
            ),
            Block::Para(inl) => paragraph(&mut x, faces, links, Para::Body, inl),
            Block::Nested(depth, inl) => {
                // Two characters more for each list it is in beyond the first.
                let steps =
                    i64::from(depth.saturating_sub(1)).min(i64::from(layout.chars_per_line / 4));
                let char_twips = i64::from(layout.sizes.body) * 10;
                x.open("w:p", &[]);
                PPr {
                    ind: Some(Ind {
                        left: Some((steps * 200, steps * 2 * char_twips)),
                        ..Ind::default()
                    }),
                    ..PPr::default()
                }
                .write(&mut x);
                runs(&mut x, faces, links, Para::Body, inl, false);
                x.close();
            }
            Block::Table(t) => {
                // Half a Chinese character of the table's size, in twips.
                let unit = i64::from(layout.sizes.table) * 5;
                table(&mut x, faces, links, m, t, unit, with_signature(i));
            }
            Block::Image { url, alt } => match charts.get(url.as_str()) {
                Some(c) if !c.series.is_empty() && !c.categories.is_empty() => {
                    used.push(c);
                    let n = used.len();
                    let rel = format!("rId{}", rels.first_chart + n - 1);
                    let lines = i64::from(layout.chart_lines.max(1));
                    // Half a line short of the paragraph's exact height, so
                    // that no reader clips the chart's top.
                    let cy = emu(m.line_pitch * lines - m.line_pitch / 2);
                    let descr = if c.alt.is_empty() { alt } else { &c.alt };
                    x.open("w:p", &[]);
                    PPr {
                        style: Some(Para::Figure.style_id()),
                        ..PPr::default()
                    }
                    .write(&mut x);
                    chart::inline(&mut x, n, &rel, descr, emu(m.text_w), cy.max(1));
                    x.close();
                }
                _ => text_paragraph(&mut x, faces, Para::Body, alt),
            },
        }
    }
    if let Some(sig) = signature {
        // A blank line, the organisation and the date: kept on one page, so
        // that the date never stands alone on the last page.
        let [org_ind, date_ind] = signature_indents(sig, faces.zh, layout);
        x.open("w:p", &[]);
        PPr {
            style: Some(Para::Signature.style_id()),
            keep_next: true,
            ..PPr::default()
        }
        .write(&mut x);
        x.close();
        for (line, ind, keep_next) in [
            (&sig.organisation, org_ind, true),
            (&sig.date, date_ind, false),
        ] {
            x.open("w:p", &[]);
            PPr {
                style: Some(Para::Signature.style_id()),
                keep_next,
                ind: Some(ind),
                ..PPr::default()
            }
            .write(&mut x);
            run(
                &mut x,
                faces,
                &faces.run(Para::Signature, false, false),
                line,
            );
            x.close();
        }
    }
    section(&mut x, layout, m, rels);
    Body {
        xml: x.finish(),
        charts: used,
        links: std::mem::take(&mut links.0),
    }
}

fn section(x: &mut Xml, layout: &Layout, m: &Measures, rels: &Rels) {
    x.open("w:sectPr", &[]);
    x.empty(
        "w:footerReference",
        &[("w:type", "default"), ("r:id", &rels.footer_odd)],
    );
    x.empty(
        "w:footerReference",
        &[("w:type", "even"), ("r:id", &rels.footer_even)],
    );
    x.empty(
        "w:pgSz",
        &[
            ("w:w", &m.page_w.to_string()),
            ("w:h", &m.page_h.to_string()),
        ],
    );
    x.empty(
        "w:pgMar",
        &[
            ("w:top", &m.top.to_string()),
            ("w:right", &m.right.to_string()),
            ("w:bottom", &m.bottom.to_string()),
            ("w:left", &m.left.to_string()),
            ("w:header", "851"),
            ("w:footer", &m.footer.to_string()),
            ("w:gutter", "0"),
        ],
    );
    x.empty("w:pgNumType", &[("w:start", "1")]);
    x.empty("w:cols", &[("w:space", "425")]);
    x.empty(
        "w:docGrid",
        &[
            (
                "w:type",
                if layout.char_grid {
                    "linesAndChars"
                } else {
                    "lines"
                },
            ),
            ("w:linePitch", &m.line_pitch.to_string()),
            ("w:charSpace", &m.char_space.to_string()),
        ],
    );
    x.close();
}

/// The right indents of the 落款's two lines, organisation then date, both
/// right-aligned.
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
fn signature_indents(sig: &Signature, zh: bool, layout: &Layout) -> [Ind; 2] {
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

/// The subtitle (`organisation · period`) on two lines, organisation first,
/// when it is too long for one: a line that wraps leaves a word or two
/// alone under a centred line.
fn subtitle_lines(inlines: &[Inline], chars_per_line: u32) -> Vec<Inline> {
    use unicode_width::UnicodeWidthStr;
    const DOT: &str = " · ";
    // Widths in half-width cells: a Chinese character is two, and so is a
    // character such as · that the Chinese font sets full width.
    if plain(inlines).width_cjk() <= 2 * chars_per_line as usize {
        return inlines.to_vec();
    }
    let mut out = Vec::with_capacity(inlines.len() + 2);
    let mut done = false;
    for inline in inlines {
        match inline {
            Inline::Span(s) if !done && s.text.contains(DOT) => {
                let (before, after) = s.text.split_once(DOT).unwrap_or((&s.text, ""));
                out.push(Inline::Span(Span {
                    text: before.to_string(),
                    ..s.clone()
                }));
                out.push(Inline::Break);
                out.push(Inline::Span(Span {
                    text: after.to_string(),
                    ..s.clone()
                }));
                done = true;
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// A banner that opens with a bold label (`**快报** …`) with a colon after the
/// label: the space that sets it apart in HTML is lost in Word, where
/// "Preliminary The figures…" read as one sentence. A label that already ends
/// in punctuation is left alone.
fn banner_label(inlines: &[Inline], zh: bool) -> Vec<Inline> {
    let mut out = inlines.to_vec();
    let [Inline::Span(label), Inline::Span(text), ..] = out.as_mut_slice() else {
        return out;
    };
    let ends_in_punctuation = label
        .text
        .trim_end()
        .chars()
        .last()
        .is_none_or(|c| c.is_ascii_punctuation() || "：，。；！？".contains(c));
    if !label.bold || text.bold || ends_in_punctuation {
        return out;
    }
    let rest = text.text.trim_start();
    let gap = text.text.len() - rest.len();
    if gap == 0 && !label.text.ends_with(char::is_whitespace) {
        return out;
    }
    label.text = format!("{}{}", label.text.trim_end(), if zh { "：" } else { ":" });
    text.text = if zh {
        rest.to_string()
    } else {
        format!(" {rest}")
    };
    out
}

/// Whether `c` is set at its natural width when Chinese text is condensed:
/// Latin letters, digits and their punctuation. Condensing them would let
/// LibreOffice break a line inside a number.
fn narrow(c: char) -> bool {
    (c as u32) < 0x2000 || c == '‰'
}

/// One run of text; in a condensed Chinese document, one run per stretch of
/// Chinese or of Latin text, the Latin ones at their natural width.
fn run(x: &mut Xml, faces: &Faces, rpr: &RPr, text: &str) {
    let write = |x: &mut Xml, piece: &str, natural: bool| {
        x.open("w:r", &[]);
        if natural {
            RPr {
                spacing: Some(0),
                ..rpr.clone()
            }
            .write(x);
        } else {
            rpr.write(x);
        }
        x.leaf("w:t", &[("xml:space", "preserve")], piece);
        x.close();
    };
    if faces.condensed.is_none() {
        write(x, text, false);
        return;
    }
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in text.char_indices() {
        // A space goes with what it follows.
        let kind = if c == ' ' {
            current.unwrap_or(true)
        } else {
            narrow(c)
        };
        if current.is_some_and(|k| k != kind) {
            write(x, &text[start..i], current == Some(true));
            start = i;
        }
        current = Some(kind);
    }
    if start < text.len() || text.is_empty() {
        write(x, &text[start..], current == Some(true));
    }
}

/// The runs of some inlines; a stretch that links is a `w:hyperlink` to an
/// external relationship, its runs in the Hyperlink style.
fn runs(
    x: &mut Xml,
    faces: &Faces,
    links: &mut Links,
    para: Para,
    inlines: &[Inline],
    force_bold: bool,
) {
    let mut open: Option<&str> = None;
    for inline in inlines {
        let link = match inline {
            Inline::Span(s) => s.link.as_deref(),
            Inline::Break => None,
        };
        if open.is_some() && open != link {
            x.close();
            open = None;
        }
        if let (None, Some(url)) = (open, link) {
            x.open(
                "w:hyperlink",
                &[("r:id", &links.rid(url)), ("w:history", "1")],
            );
            open = Some(url);
        }
        match inline {
            Inline::Span(s) => {
                let rpr = faces.run(para, s.bold || force_bold, s.italic);
                let rpr = if s.link.is_some() {
                    RPr {
                        style: Some("Hyperlink"),
                        ..rpr
                    }
                } else {
                    rpr
                };
                run(x, faces, &rpr, &s.text)
            }
            Inline::Break => {
                x.open("w:r", &[]).empty("w:br", &[]).close();
            }
        }
    }
    if open.is_some() {
        x.close();
    }
}

fn paragraph(x: &mut Xml, faces: &Faces, links: &mut Links, para: Para, inlines: &[Inline]) {
    x.open("w:p", &[]);
    style_only(para).write(x);
    runs(x, faces, links, para, inlines, false);
    x.close();
}

fn text_paragraph(x: &mut Xml, faces: &Faces, para: Para, text: &str) {
    x.open("w:p", &[]);
    style_only(para).write(x);
    run(x, faces, &faces.run(para, false, false), text);
    x.close();
}

/// Body paragraphs are in the default style and name none.
fn style_only(para: Para) -> PPr {
    PPr {
        style: (para != Para::Body).then(|| para.style_id()),
        ..PPr::default()
    }
}

/// Column widths in twips summing to `total`, in proportion to the widest
/// cell of each column (CJK characters count double), within bounds so that
/// a short column stays readable and a long one does not crowd the others.
/// Each column's width in twips, `unit` being one column of text (half a
/// Chinese character). When the table is narrower than its text, the columns
/// that fit in their share keep their whole width (`152604人` on one line) and
/// the wide ones share the rest by their widths: dividing everything by the
/// same factor broke short values and their units across lines.
fn column_widths(t: &Table, cols: usize, total: i64, unit: i64) -> Vec<i64> {
    use unicode_width::UnicodeWidthStr;
    let mut want = vec![4usize; cols];
    for row in std::iter::once(&t.header).chain(t.rows.iter()) {
        for (i, cell) in row.iter().enumerate().take(cols) {
            want[i] = want[i].max(plain(cell).width() + 2);
        }
    }
    let want: Vec<i64> = want.iter().map(|w| (*w).min(40) as i64).collect();
    let capacity = (total / unit.max(1)).max(1);
    let mut fixed: Vec<Option<i64>> = vec![None; cols];
    if want.iter().sum::<i64>() > capacity {
        let mut order: Vec<usize> = (0..cols).collect();
        order.sort_by_key(|i| (want[*i], *i));
        let mut left = capacity;
        for (k, &i) in order.iter().enumerate() {
            let share = left / (cols - k) as i64;
            if want[i] > share {
                break;
            }
            fixed[i] = Some(want[i]);
            left -= want[i];
        }
    }
    let fixed_sum: i64 = fixed.iter().flatten().sum();
    let flexible: i64 = (0..cols)
        .filter(|i| fixed[*i].is_none())
        .map(|i| want[i])
        .sum::<i64>()
        .max(1);
    let room = (total - fixed_sum * unit).max(0);
    let mut widths: Vec<i64> = (0..cols)
        .map(|i| match fixed[i] {
            Some(w) if fixed_sum < capacity => w * unit,
            _ if fixed_sum >= capacity => total * want[i] / want.iter().sum::<i64>().max(1),
            _ => room * want[i] / flexible,
        })
        .collect();
    let rest = total - widths.iter().sum::<i64>();
    if let Some(last) = widths.last_mut() {
        *last += rest;
    }
    widths
}

fn rule(x: &mut Xml, side: &'static str, sz: &str) {
    x.empty(
        side,
        &[
            ("w:val", "single"),
            ("w:sz", sz),
            ("w:space", "0"),
            ("w:color", "000000"),
        ],
    );
}

/// A three-line table (三线表): a heavy rule above the header, a light one
/// under it, a heavy one under the last row; the header repeats on each page.
fn table(
    x: &mut Xml,
    faces: &Faces,
    links: &mut Links,
    m: &Measures,
    t: &Table,
    unit: i64,
    keep_with_next: bool,
) {
    let cols = t
        .aligns
        .len()
        .max(t.header.len())
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
    if cols == 0 {
        return;
    }
    let widths = column_widths(t, cols, m.text_w, unit);
    x.open("w:tbl", &[]).open("w:tblPr", &[]);
    x.empty("w:tblStyle", &[("w:val", "ThreeLineTable")]);
    x.empty(
        "w:tblW",
        &[("w:w", &m.text_w.to_string()), ("w:type", "dxa")],
    );
    x.empty("w:jc", &[("w:val", "center")]);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.empty(
        "w:tblLook",
        &[
            ("w:val", "04A0"),
            ("w:firstRow", "1"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    );
    x.close();
    x.open("w:tblGrid", &[]);
    for w in &widths {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.close();
    let empty = Vec::new();
    let n_rows = t.rows.len();
    let all = std::iter::once(&t.header).chain(t.rows.iter());
    for (r, row) in all.enumerate() {
        let header = r == 0;
        let last = r == n_rows;
        x.open("w:tr", &[])
            .open("w:trPr", &[])
            .empty("w:cantSplit", &[]);
        if header {
            x.empty("w:tblHeader", &[]);
        }
        x.close();
        for (c, width) in widths.iter().enumerate() {
            let cell = row.get(c).unwrap_or(&empty);
            x.open("w:tc", &[]).open("w:tcPr", &[]);
            x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
            if header || last {
                x.open("w:tcBorders", &[]);
                if header {
                    rule(x, "w:top", "12");
                }
                rule(x, "w:bottom", if last { "12" } else { "6" });
                x.close();
            }
            x.empty("w:vAlign", &[("w:val", "center")]);
            x.close();
            let jc = match t.aligns.get(c) {
                Some(Align::Right) => Some(Jc::Right),
                Some(Align::Center) => Some(Jc::Center),
                _ => None,
            };
            x.open("w:p", &[]);
            PPr {
                style: Some(Para::TableText.style_id()),
                // The header keeps with the first row, and the last two rows
                // with each other (and with what follows when that must not
                // stand alone); between them a table may break across pages,
                // its header repeated, rather than leave most of a page blank
                // (an audit found page 2 of the 2007 English document so).
                keep_next: header || r + 1 == n_rows || (last && keep_with_next),
                jc,
                ..PPr::default()
            }
            .write(x);
            runs(x, faces, links, Para::TableText, cell, header);
            x.close().close();
        }
        x.close();
    }
    x.close();
}

#[cfg(test)]
mod tests;
