//! `word/document.xml`: the report's blocks as paragraphs, three-line tables
//! and charts, then the 落款 and the section properties (page, margins,
//! document grid, footers).

use std::collections::BTreeMap;

use super::chart;
use super::layout::{Layout, Measures, emu};
use super::markdown::{Align, Block, Doc, Footnote, Inline, Span, Table, plain};
use super::measure;
use super::props::{Ind, Jc, Line, PPr, RPr};
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

/// The body, the charts it shows in the order they appear, the addresses
/// it links to (relationship `rIdLink1` is the first), and `word/footnotes.xml`
/// when it refers to a footnote.
pub(crate) struct Body<'c> {
    pub xml: String,
    pub charts: Vec<&'c ChartData>,
    pub links: Vec<String>,
    pub footnotes: Option<String>,
}

/// The relationship id of the `n`th (from 1) address a document links to.
pub(crate) fn link_rid(n: usize) -> String {
    format!("rIdLink{n}")
}

/// What the body refers to outside its paragraphs: the addresses it links to,
/// each once, in the order first linked, and the footnotes, numbered in the
/// order first referenced (footnote 1 is `w:id` 1).
#[derive(Default)]
struct Links {
    urls: Vec<String>,
    /// The labels the document defines a footnote for.
    defined: Vec<String>,
    /// The labels referenced so far, in order.
    notes: Vec<String>,
}

impl Links {
    fn rid(&mut self, url: &str) -> String {
        let n = match self.urls.iter().position(|u| u == url) {
            Some(i) => i + 1,
            None => {
                self.urls.push(url.to_string());
                self.urls.len()
            }
        };
        link_rid(n)
    }

    /// The number of the footnote `label` and whether this is its first
    /// reference; `None` when no footnote has that label.
    fn note(&mut self, label: &str) -> Option<(usize, bool)> {
        if !self.defined.iter().any(|d| d == label) {
            return None;
        }
        Some(match self.notes.iter().position(|l| l == label) {
            Some(i) => (i + 1, false),
            None => {
                self.notes.push(label.to_string());
                (self.notes.len(), true)
            }
        })
    }
}

/// Writes the document from its blocks.
pub(crate) fn document<'c>(
    doc: &Doc,
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
    let blocks = &doc.blocks;
    let mut used: Vec<&'c ChartData> = Vec::new();
    let links = &mut Links {
        defined: doc.notes.iter().map(|n| n.label.clone()).collect(),
        ..Links::default()
    };
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
                runs(&mut x, faces, links, Para::Body, inl, false, None);
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
            Block::Quote(inl) => paragraph(&mut x, faces, links, Para::Quote, inl),
            Block::Code(inl) => paragraph(&mut x, faces, links, Para::Code, inl),
            Block::Item(depth, inl) => {
                // The List style is two characters in; two more for each list
                // it is in beyond the first.
                let steps = i64::from(*depth).clamp(1, i64::from(layout.chars_per_line / 4));
                let char_twips = i64::from(layout.sizes.body) * 10;
                x.open("w:p", &[]);
                PPr {
                    style: Some(Para::List.style_id()),
                    keep_next: with_signature(i),
                    ind: (steps > 1).then_some(Ind {
                        first_line: Some((200, 2 * char_twips)),
                        left: Some((steps * 200, steps * 2 * char_twips)),
                        right: None,
                    }),
                    ..PPr::default()
                }
                .write(&mut x);
                runs(&mut x, faces, links, Para::Body, inl, false, None);
                x.close();
            }
            Block::Table(t) => {
                let size = layout.sizes.table;
                table(&mut x, faces, links, m, t, size, with_signature(i));
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
        let [org_ind, date_ind] = if faces.zh {
            signature_from_left(sig, layout, [org_ind, date_ind])
        } else {
            [(org_ind, None), (date_ind, None)]
        };
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
            let (ind, jc) = ind;
            x.open("w:p", &[]);
            PPr {
                style: Some(Para::Signature.style_id()),
                keep_next,
                ind: Some(ind),
                jc,
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
    let footnotes = (!links.notes.is_empty()).then(|| footnotes(&doc.notes, &links.notes, faces));
    Body {
        xml: x.finish(),
        charts: used,
        links: std::mem::take(&mut links.urls),
        footnotes,
    }
}

/// `word/footnotes.xml`: the separator and continuation separator Word
/// requires (ids -1 and 0), then the notes referenced, in the order of
/// `order` (their labels), each opening with its number.
fn footnotes(notes: &[Footnote], order: &[String], faces: &Faces) -> String {
    let mut x = Xml::new();
    x.open("w:footnotes", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    for (id, kind, mark) in [
        ("-1", "separator", "w:separator"),
        ("0", "continuationSeparator", "w:continuationSeparator"),
    ] {
        x.open("w:footnote", &[("w:type", kind), ("w:id", id)]);
        x.open("w:p", &[]);
        PPr {
            snap_to_grid: Some(false),
            space: Some((0, 0)),
            line: Some(Line::Auto(240)),
            ind: Some(super::styles::NO_INDENT),
            ..PPr::default()
        }
        .write(&mut x);
        x.open("w:r", &[]).empty(mark, &[]).close();
        x.close().close();
    }
    // A note's links keep their text: the part would need relationships of
    // its own, and a note holds no note.
    let mut none = Links::default();
    for (i, label) in order.iter().enumerate() {
        let Some(note) = notes.iter().find(|n| &n.label == label) else {
            continue;
        };
        x.open("w:footnote", &[("w:id", &(i + 1).to_string())]);
        let empty = vec![Vec::new()];
        let paras = if note.paras.is_empty() {
            &empty
        } else {
            &note.paras
        };
        for (p, inlines) in paras.iter().enumerate() {
            x.open("w:p", &[]);
            style_only(Para::FootnoteText).write(&mut x);
            if p == 0 {
                x.open("w:r", &[]);
                RPr {
                    style: Some("FootnoteReference"),
                    ..faces.run(Para::FootnoteText, false, false)
                }
                .write(&mut x);
                x.empty("w:footnoteRef", &[]).close();
                run(
                    &mut x,
                    faces,
                    &faces.run(Para::FootnoteText, false, false),
                    " ",
                );
            }
            let plain_inlines: Vec<Inline> = inlines
                .iter()
                .filter_map(|i| match i {
                    Inline::Span(s) => Some(Inline::Span(Span {
                        link: None,
                        ..s.clone()
                    })),
                    Inline::Break => Some(Inline::Break),
                    Inline::Note(_) => None,
                })
                .collect();
            runs(
                &mut x,
                faces,
                &mut none,
                Para::FootnoteText,
                &plain_inlines,
                false,
                None,
            );
            x.close();
        }
        x.close();
    }
    x.finish()
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

/// The Chinese 落款's lines placed from the left margin where
/// [`signature_indents`] puts them from the right, when the organisation
/// does not wrap: right-aligned, the date's start moved with its width, and
/// LibreOffice widens the date by the space it puts between Chinese and
/// digits, so that it started 0.84 characters right of the organisation's
/// first character, not 2 (found by an audit). Left indents put both starts
/// where GB/T 9704 wants them whatever a reader makes of the widths.
fn signature_from_left(sig: &Signature, layout: &Layout, ind: [Ind; 2]) -> [(Ind, Option<Jc>); 2] {
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
    size: Option<u32>,
) {
    let mut open: Option<&str> = None;
    for inline in inlines {
        let link = match inline {
            Inline::Span(s) => s.link.as_deref(),
            Inline::Break | Inline::Note(_) => None,
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
                let mut rpr = faces.run(para, s.bold || force_bold, s.italic);
                if size.is_some() {
                    rpr.size = size;
                }
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
            Inline::Note(label) => {
                let rpr = RPr {
                    style: Some("FootnoteReference"),
                    ..faces.run(para, force_bold, false)
                };
                match links.note(label) {
                    Some((id, true)) => {
                        x.open("w:r", &[]);
                        rpr.write(x);
                        x.empty("w:footnoteReference", &[("w:id", &id.to_string())]);
                        x.close();
                    }
                    // Word gives each note one reference; a second one to the
                    // same note is its number, as Word numbers the notes in the
                    // order of their references.
                    Some((id, false)) => run(x, faces, &rpr, &id.to_string()),
                    // No such note: the text as written.
                    None => run(
                        x,
                        faces,
                        &faces.run(para, false, false),
                        &format!("[^{label}]"),
                    ),
                }
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
    runs(x, faces, links, para, inlines, false, None);
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

/// Left and right cell margins of `ThreeLineTable` together, in twips.
const CELL_MARGINS: i64 = 216;

/// Left and right cell margins together of a table too crowded for
/// [`CELL_MARGINS`], in twips: 0.75 mm a side. A 12-column table's margins
/// took 29% of its width, and its numbers broke at 小五.
const NARROW_MARGINS: i64 = 86;

/// Smaller sizes a crowded table falls back on, in half-points: 小四, 五号, 小五.
const SMALLER_SIZES: [u32; 3] = [24, 21, 18];

/// A cell's text as [`plain`] gives it, and the byte ranges of it that are
/// bold: measured with bold metrics there.
type Styled = (String, Vec<std::ops::Range<usize>>);

/// A cell's [`Styled`] text; all of it bold when `bold` (a header).
fn styled(cell: &[Inline], bold: bool) -> Styled {
    let mut text = String::new();
    let mut ranges = Vec::new();
    for inline in cell {
        let start = text.len();
        match inline {
            Inline::Span(s) => {
                text.push_str(&s.text);
                if bold || s.bold {
                    ranges.push(start..text.len());
                }
            }
            // As `plain` has it.
            Inline::Break => text.push(' '),
            Inline::Note(_) => {}
        }
    }
    (text, ranges)
}

/// How a table's text is set: its size in half-points, and its cells' left
/// and right margins together in twips (written into the table, so that
/// readers use the margins it was measured with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fit {
    size: u32,
    margins: i64,
}

/// Twips of text `milli_em` wide in a cell set as `fit`: with its margins
/// and 5% to spare, as Word and LibreOffice do not set Latin text quite
/// alike.
fn cell_twips(milli_em: i64, fit: Fit) -> i64 {
    (milli_em * i64::from(fit.size) * 10 * 21 + 19_999) / 20_000 + fit.margins
}

/// Column widths in twips summing to `total`, and how the table's text is
/// set: at `size` with the style's margins or, when the table cannot be set
/// so without breaking a number, with narrower margins, then at smaller
/// sizes (narrow margins cost less than a smaller size).
///
/// Each column wants its widest cell on one line (at most 20 ems, so that a
/// long label does not crowd the others out). When the table is narrower
/// than that, every column first gets its longest piece that must not break
/// (see [`measure::longest_piece`]): found by an audit, `2134567.89万元` broke
/// as `2134567.8` / `9万元` when all columns were shrunk alike. Labels give
/// way, as they wrap between words. The room left goes first to the columns
/// that need least to fit whole, so `152604人` stays on one line and the
/// long columns share the rest. When not even the smallest size fits, the
/// labels give up their five characters, and then the widest columns are
/// cut down, so that a number breaks only where it must.
fn column_widths(t: &Table, cols: usize, total: i64, size: u32) -> (Vec<i64>, Fit) {
    // The header is set bold (see `table`).
    let texts: Vec<Vec<Styled>> = std::iter::once(&t.header)
        .chain(t.rows.iter())
        .enumerate()
        .map(|(r, row)| row.iter().take(cols).map(|c| styled(c, r == 0)).collect())
        .collect();
    let mut want = vec![0i64; cols];
    let mut min = vec![0i64; cols];
    for row in &texts {
        for (i, (text, bold)) in row.iter().enumerate() {
            want[i] = want[i].max(measure::styled_width(text, 0, bold));
            // The first column is the labels, words that may wrap.
            min[i] = min[i].max(measure::longest_piece(text, i == 0, bold));
        }
    }
    for i in 0..cols {
        want[i] = want[i].min(20_000).max(min[i]);
    }
    // Five characters of a label at least, when it has as many: narrower,
    // labels ran to a column of three or four characters a line.
    let label_min = min.first().copied().unwrap_or(0);
    if let (Some(m), Some(w)) = (min.first_mut(), want.first()) {
        *m = (*m).max((*w).min(5000));
    }
    let twips =
        |v: &[i64], fit: Fit| -> Vec<i64> { v.iter().map(|w| cell_twips(*w, fit)).collect() };
    let fits = |fit: Fit| twips(&min, fit).iter().sum::<i64>() <= total;
    // At each size the style's margins, then narrow ones: a smaller size
    // only when narrow margins are not enough.
    let sizes = std::iter::once(size).chain(SMALLER_SIZES.into_iter().filter(|s| *s < size));
    let fits_tried =
        sizes.flat_map(|size| [CELL_MARGINS, NARROW_MARGINS].map(|margins| Fit { size, margins }));
    let last = fits_tried.clone().last().unwrap_or(Fit {
        size,
        margins: NARROW_MARGINS,
    });
    let fit = fits_tried.clone().find(|f| fits(*f)).unwrap_or(last);
    let want = twips(&want, fit);
    if !fits(fit)
        && let Some(m) = min.first_mut()
    {
        *m = label_min;
    }
    let min = twips(&min, fit);
    let (want_sum, min_sum) = (want.iter().sum::<i64>(), min.iter().sum::<i64>());
    let mut widths = if want_sum <= total {
        want.iter().map(|w| total * w / want_sum.max(1)).collect()
    } else if min_sum > total {
        // Not even then: the widest columns are cut to what is left.
        cut_widest(&min, total)
    } else {
        spread(&texts, min, &want, total, fit)
    };
    let rest = total - widths.iter().sum::<i64>();
    if let Some(last) = widths.last_mut() {
        *last += rest;
    }
    (widths, fit)
}

/// The widths `min` with the widest cut down alike to the one width at
/// which they sum to `total` at most: the columns narrower than that keep
/// theirs, and their numbers stay whole. Dividing every column alike broke
/// `98.76%` as `98.7` / `6%` in a 12-column table.
fn cut_widest(min: &[i64], total: i64) -> Vec<i64> {
    let sum_at = |cap: i64| min.iter().map(|m| (*m).min(cap)).sum::<i64>();
    // The largest cap that fits, by bisection: `sum_at` grows with it.
    let (mut lo, mut hi) = (0, min.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = (lo + hi + 1) / 2;
        if sum_at(mid) <= total {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    min.iter().map(|m| (*m).min(lo)).collect()
}

/// Twips added to a column at a time when sharing out a crowded table's room.
const STEP: i64 = 35;

/// Widths for a table that cannot set every cell on one line: from each
/// column's least width (`min`), the room left goes step by step to the
/// column where it saves the most lines of the table (a row is as tall as its
/// tallest cell) for its width, the labels first where it saves as much;
/// what saves nothing goes to the labels. Shrinking the labels alone left
/// `↑ +0.48个百分点，向好` on two lines beside a label with room to spare.
fn spread(
    texts: &[Vec<Styled>],
    mut widths: Vec<i64>,
    want: &[i64],
    total: i64,
    fit: Fit,
) -> Vec<i64> {
    let cols = widths.len();
    let mut room = total - widths.iter().sum::<i64>();
    // Each cell measured once: the same cells are tried at every step, and
    // measuring them afresh was most of a 50-year build's time. The first
    // column is the labels, words that may wrap.
    let measured: Vec<Vec<measure::Measured>> = texts
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, (t, bold))| measure::Measured::new(t, i == 0, bold))
                .collect()
        })
        .collect();
    let lines_at = |r: usize, i: usize, col_w: i64| -> i64 {
        measured[r]
            .get(i)
            .map_or(1, |m| m.lines(|w| cell_twips(w, fit) <= col_w))
    };
    // Column `i`'s lines at `col_w`, and the least column width at which
    // one of its cells would be set otherwise.
    let column_at = |i: usize, col_w: i64| -> (Vec<i64>, Option<i64>) {
        let mut next: Option<i64> = None;
        let lines = measured
            .iter()
            .map(|row| {
                let Some(m) = row.get(i) else { return 1 };
                let (n, wider) = m.lines_and_next(|w| cell_twips(w, fit) <= col_w);
                if let Some(w) = wider {
                    let twips = cell_twips(w, fit);
                    next = Some(next.map_or(twips, |t| t.min(twips)));
                }
                n
            })
            .collect();
        (lines, next)
    };
    let mut lines: Vec<Vec<i64>> = (0..texts.len())
        .map(|r| (0..cols).map(|i| lines_at(r, i, widths[i])).collect())
        .collect();
    let height = |lines: &[Vec<i64>]| -> i64 {
        lines
            .iter()
            .map(|r| r.iter().copied().max().unwrap_or(1))
            .sum()
    };
    loop {
        let now = height(&lines);
        // The best step by the table's lines saved per twip, and, when no step
        // saves any (each row as tall as another of its cells), by the cells'
        // lines saved: in the 2007 English targets table, widening Target or
        // Actual alone saved no row a line, and both stayed on three lines
        // beside labels with room to spare.
        // (lines saved, twips, column, its new lines)
        let mut best: Option<(i64, i64, usize, Vec<i64>)> = None;
        let mut best_cells: Option<(i64, i64, usize, Vec<i64>)> = None;
        let better = |best: &Option<(i64, i64, usize, Vec<i64>)>, saved: i64, d: i64| {
            best.as_ref().is_none_or(|(s, w, _, _)| saved * w > s * d)
        };
        for i in 0..cols {
            let cells_now: i64 = lines.iter().map(|r| r[i]).sum();
            let mut d = STEP;
            let mut found_cells = false;
            while d <= room && widths[i] + d <= want[i] + STEP {
                let (col, next) = column_at(i, widths[i] + d);
                // The table's height with column `i` so wide.
                let trial: i64 = lines
                    .iter()
                    .zip(&col)
                    .map(|(r, n)| {
                        r.iter()
                            .enumerate()
                            .map(|(j, l)| if j == i { *n } else { *l })
                            .max()
                            .unwrap_or(1)
                    })
                    .sum();
                let saved = now - trial;
                if saved > 0 {
                    if better(&best, saved, d) {
                        best = Some((saved, d, i, col));
                    }
                    break;
                }
                let saved_cells = cells_now - col.iter().sum::<i64>();
                if !found_cells && saved_cells > 0 {
                    found_cells = true;
                    if better(&best_cells, saved_cells, d) {
                        best_cells = Some((saved_cells, d, i, col));
                    }
                }
                // No cell of the column is set otherwise before `next`: the
                // steps up to it would find the same (trying each was most of
                // a one-year build's table widths).
                let Some(next) = next else { break };
                d = (d + STEP).max((next - widths[i] + STEP - 1) / STEP * STEP);
            }
        }
        let best = best.or(best_cells);
        let Some((_, d, i, col)) = best else { break };
        widths[i] += d;
        room -= d;
        for (r, n) in lines.iter_mut().zip(col) {
            r[i] = n;
        }
    }
    if let Some(first) = widths.first_mut() {
        *first += room.max(0);
    }
    widths
}

/// A value cell as it is set in a column `col_w` twips wide: when it does
/// not fit on one line, broken by hand between its pieces (see
/// [`measure::value_pieces`]), so that readers do not break it elsewhere:
/// left to themselves, they broke `↑ +0.3个百分点，向好` inside `向好`.
/// `bold` says the whole cell is (a header).
fn wrap_value(cell: &[Inline], col_w: i64, fit: Fit, bold: bool) -> Vec<Inline> {
    let (text, bolds) = styled(cell, bold);
    let fits = |w: i64| cell_twips(w, fit) <= col_w;
    if fits(measure::styled_width(text.trim_end(), 0, &bolds))
        || cell.iter().any(|i| matches!(i, Inline::Break))
    {
        return cell.to_vec();
    }
    // Where each line after the first starts, in bytes of `text`.
    let cuts: Vec<usize> = measure::Measured::new(&text, false, &bolds)
        .line_starts(fits)
        .into_iter()
        .skip(1)
        .collect();
    let mut out = Vec::new();
    let mut offset = 0;
    for inline in cell {
        let Inline::Span(span) = inline else {
            out.push(inline.clone());
            continue;
        };
        let end = offset + span.text.len();
        let mut from = offset;
        for &cut in cuts.iter().filter(|c| **c > offset && **c < end) {
            let part = span.text[from - offset..cut - offset].trim_end();
            out.push(Inline::Span(Span {
                text: part.to_string(),
                ..span.clone()
            }));
            out.push(Inline::Break);
            from = cut;
        }
        if cuts.contains(&offset) && offset > 0 {
            // A line starts with this span: drop the space that ended the one before.
            if let Some(Inline::Span(prev)) = out.last_mut() {
                prev.text.truncate(prev.text.trim_end().len());
            }
            out.push(Inline::Break);
        }
        out.push(Inline::Span(Span {
            text: span.text[from - offset..].to_string(),
            ..span.clone()
        }));
        offset = end;
    }
    out
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
    size: u32,
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
    let (widths, fit) = column_widths(t, cols, m.text_w, size);
    // A smaller size than the style's is set on the table's paragraphs and runs.
    let smaller = (fit.size != size).then_some(fit.size);
    x.open("w:tbl", &[]).open("w:tblPr", &[]);
    x.empty("w:tblStyle", &[("w:val", "ThreeLineTable")]);
    x.empty(
        "w:tblW",
        &[("w:w", &m.text_w.to_string()), ("w:type", "dxa")],
    );
    x.empty("w:jc", &[("w:val", "center")]);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    if fit.margins != CELL_MARGINS {
        // Narrower than the style's: what the widths were measured with.
        let side = (fit.margins / 2).to_string();
        x.open("w:tblCellMar", &[]);
        x.empty("w:top", &[("w:w", "0"), ("w:type", "dxa")]);
        x.empty("w:left", &[("w:w", &side), ("w:type", "dxa")]);
        x.empty("w:bottom", &[("w:w", "0"), ("w:type", "dxa")]);
        x.empty("w:right", &[("w:w", &side), ("w:type", "dxa")]);
        x.close();
    }
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
                line: smaller.map(|s| Line::Exact(i64::from(s) * 15)),
                ..PPr::default()
            }
            .write(x);
            // The labels wrap as words; values only between their pieces.
            let cell = if c == 0 {
                cell.clone()
            } else {
                wrap_value(cell, *width, fit, header)
            };
            runs(x, faces, links, Para::TableText, &cell, header, smaller);
            x.close().close();
        }
        x.close();
    }
    x.close();
}

#[cfg(test)]
mod tests;
