//! `word/document.xml`: the report's blocks as paragraphs, three-line tables
//! and charts, then the 落款 and the section properties (page, margins,
//! document grid, footers).

use std::collections::BTreeMap;

use super::chart;
use super::layout::{Layout, Measures, emu};
use super::markdown::{Align, Block, Doc, Footnote, Inline, Span, Table, plain};

use super::props::{Ind, Jc, Line, PPr, RPr};
use super::styles::{Faces, NS_R, NS_W, Para};
use super::xml::Xml;
use super::{ChartData, Signature};

mod widths;
use widths::*;

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
