//! `word/document.xml`: the report's blocks as paragraphs, three-line tables
//! and charts, then the 落款 and the section properties (page, margins,
//! document grid, footers).

use std::collections::BTreeMap;

use super::chart;
use super::layout::{Layout, Measures, emu};
use super::markdown::{Block, Doc, Footnote, Inline, Span, plain};

use super::props::{Ind, Line, PPr, RPr};
use super::styles::{Faces, NS_R, NS_W, Para};
use super::xml::Xml;
use super::{ChartData, Signature};

mod signature;
mod table;
mod widths;
use signature::{signature_from_left, signature_indents};
use table::table;

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

#[cfg(test)]
mod tests;
