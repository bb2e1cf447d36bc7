//! The document's look: `word/styles.xml`, and the fonts of each kind of
//! paragraph and run ([`Faces`], [`Para`]).
//!
//! Every kind of paragraph has a style ([`Para`]), so the body carries almost
//! no direct formatting: a paragraph names its style, a run its fonts (the
//! brief asks for `w:rFonts` on every run, so that digits and Latin letters are
//! in Times New Roman even where a reader's defaults differ) and its emphasis.
//! Bold text in the Chinese document is 黑体 rather than a synthetic bold of
//! 仿宋 (仿宋_GB2312 has no bold face), and italic text is 楷体_GB2312; in the
//! English document they are Times New Roman bold and italic.

use super::layout::{Layout, Measures};
use super::props::{Ind, Jc, Line, PPr, RFonts, RPr};
use super::xml::Xml;
use crate::i18n::Lang;

pub(crate) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub(crate) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The fonts of one language's document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Faces {
    pub zh: bool,
    /// Chinese text is condensed onto the 28-character line (no character
    /// grid, see `Layout::char_grid`); Latin text and digits are not.
    pub condensed: Option<i64>,
    pub latin: String,
    pub title: String,
    pub body: String,
    pub hei: String,
    pub kai: String,
    pub song: String,
}

impl Faces {
    pub(crate) fn new(lang: Lang, layout: &Layout) -> Faces {
        let f = &layout.fonts;
        let spacing = layout.measures().char_spacing;
        match lang {
            Lang::Zh => Faces {
                zh: true,
                condensed: (!layout.char_grid && spacing != 0).then_some(spacing),
                latin: f.latin.clone(),
                title: f.title.clone(),
                body: f.body.clone(),
                hei: f.hei.clone(),
                kai: f.kai.clone(),
                song: f.song.clone(),
            },
            // English text is all in the Latin font; Chinese text in the
            // English document (an untranslated label, the organisation's
            // name) in 宋体, the East Asian font every Chinese system has.
            Lang::En => Faces {
                zh: false,
                condensed: None,
                latin: f.latin.clone(),
                title: f.song.clone(),
                body: f.song.clone(),
                hei: f.song.clone(),
                kai: f.song.clone(),
                song: f.song.clone(),
            },
        }
    }

    fn fonts(&self, east_asia: &str) -> RFonts {
        RFonts {
            latin: self.latin.clone(),
            east_asia: east_asia.to_string(),
            hint_east_asia: self.zh,
        }
    }

    /// The properties of a run of paragraph kind `para` with this emphasis.
    pub(crate) fn run(&self, para: Para, bold: bool, italic: bool) -> RPr {
        let base = self.east_asia(para);
        let (east_asia, b, i) = if self.zh {
            // Chinese: bold is 黑体 and italic 楷体, each without a synthetic style.
            let ea = if bold && base != self.hei {
                &self.hei
            } else if italic && !bold && base != self.kai {
                &self.kai
            } else {
                base
            };
            (ea, false, false)
        } else {
            (base, bold, italic)
        };
        RPr {
            fonts: Some(self.fonts(east_asia)),
            bold: b,
            italic: i,
            ..RPr::default()
        }
    }

    /// The East Asian font of a paragraph kind.
    pub(crate) fn east_asia(&self, para: Para) -> &str {
        match para {
            Para::Title => &self.title,
            // The banner's text is in the body font and its label bold (黑体),
            // as in HTML; all in 黑体 or bold, the label did not stand apart.
            Para::Heading(1) => &self.hei,
            Para::Heading(2) | Para::Subtitle => &self.kai,
            Para::Footer => &self.song,
            _ => &self.body,
        }
    }
}

/// The kinds of paragraph, one style each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Para {
    Title,
    Subtitle,
    Banner,
    /// A quotation (a block quote that is not the banner).
    Quote,
    /// A code block's lines.
    Code,
    /// A list item.
    List,
    /// Levels 1–4.
    Heading(u8),
    Body,
    TableText,
    FootnoteText,
    Figure,
    Signature,
    Footer,
}

impl Para {
    pub(crate) fn style_id(self) -> &'static str {
        match self {
            Para::Title => "Title",
            Para::Subtitle => "Subtitle",
            Para::Banner => "Banner",
            Para::Quote => "Quote",
            Para::Code => "Code",
            Para::List => "ListParagraph",
            Para::Heading(1) => "Heading1",
            Para::Heading(2) => "Heading2",
            Para::Heading(3) => "Heading3",
            Para::Heading(_) => "Heading4",
            Para::Body => "Normal",
            Para::TableText => "TableText",
            Para::FootnoteText => "FootnoteText",
            Para::Figure => "Figure",
            Para::Signature => "Signature",
            Para::Footer => "Footer",
        }
    }
}

/// The colour of a link: Word's.
const HYPERLINK_COLOR: &str = "0563C1";

/// The banner's box, padding and rule, in twips (4½ pt) and in hundredths of
/// a 16 pt character (320 twips), which Word reads first.
const BANNER_INSET: i64 = 90;
const BANNER_INSET_CHARS: i64 = 28;

pub(crate) const NO_INDENT: Ind = Ind {
    first_line: Some((0, 0)),
    left: None,
    right: None,
};

/// `word/styles.xml`.
pub(crate) fn styles(lang: Lang, layout: &Layout, m: &Measures) -> String {
    let faces = Faces::new(lang, layout);
    let s = &layout.sizes;
    let en = !faces.zh;
    // Latin text is English even in the Chinese document: with a Chinese
    // Western language, LibreOffice breaks lines inside numbers.
    let lang_attr = ("en-US", "zh-CN");
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    x.open("w:docDefaults", &[]).open("w:rPrDefault", &[]);
    RPr {
        fonts: Some(faces.fonts(&faces.body)),
        size: Some(s.body),
        lang: Some(lang_attr),
        ..RPr::default()
    }
    .write(&mut x);
    x.close().open("w:pPrDefault", &[]);
    PPr {
        space: Some((0, 0)),
        line: Some(Line::Exact(m.line_pitch)),
        ..PPr::default()
    }
    .write(&mut x);
    x.close().close();

    let body_indent = Ind {
        first_line: Some((200, i64::from(s.body) * 20)),
        ..Ind::default()
    };
    let normal = PPr {
        space: Some((0, 0)),
        line: Some(Line::Exact(m.line_pitch)),
        ind: Some(body_indent),
        jc: Some(Jc::Both),
        ..PPr::default()
    };
    // Without a character grid, the body is condensed so that a line holds
    // `chars_per_line` characters (see `Layout::char_grid`).
    let spacing = faces.condensed;
    style(
        &mut x,
        "paragraph",
        "Normal",
        "Normal",
        None,
        &normal,
        &RPr {
            fonts: Some(faces.fonts(&faces.body)),
            spacing,
            size: Some(s.body),
            ..RPr::default()
        },
    );
    x.open(
        "w:style",
        &[
            ("w:type", "character"),
            ("w:default", "1"),
            ("w:styleId", "DefaultParagraphFont"),
        ],
    );
    x.empty("w:name", &[("w:val", "Default Paragraph Font")])
        .empty("w:uiPriority", &[("w:val", "1")]);
    x.empty("w:semiHidden", &[])
        .empty("w:unhideWhenUsed", &[])
        .close();
    x.open(
        "w:style",
        &[
            ("w:type", "table"),
            ("w:default", "1"),
            ("w:styleId", "TableNormal"),
        ],
    );
    x.empty("w:name", &[("w:val", "Normal Table")])
        .empty("w:uiPriority", &[("w:val", "99")]);
    x.empty("w:semiHidden", &[]).empty("w:unhideWhenUsed", &[]);
    x.open("w:tblPr", &[])
        .empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
    cell_margins(&mut x);
    x.close().close();

    let rpr = |font: &str, bold: bool, size: u32| RPr {
        fonts: Some(faces.fonts(font)),
        bold,
        size: Some(size),
        ..RPr::default()
    };
    // Off the grid, or LibreOffice gives each 22 pt line two grid lines; the
    // exact line height keeps it on the pitch anyway.
    let title = PPr {
        snap_to_grid: Some(false),
        ind: Some(NO_INDENT),
        jc: Some(Jc::Center),
        ..PPr::default()
    };
    let title_rpr = RPr {
        spacing: spacing.map(|_| 0),
        ..rpr(&faces.title, en, s.title)
    };
    style(
        &mut x,
        "paragraph",
        "Title",
        "Title",
        Some("Normal"),
        &title,
        &title_rpr,
    );
    let subtitle = PPr {
        space: Some((0, m.line_pitch)),
        ind: Some(NO_INDENT),
        jc: Some(Jc::Center),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Subtitle",
        "Subtitle",
        Some("Normal"),
        &subtitle,
        &rpr(&faces.kai, false, s.body),
    );
    // The box's two rules (½ pt each) come out of the line, so the lines after
    // the banner stay on the grid.
    let banner = PPr {
        keep_next: true,
        boxed: Some(4),
        shading: Some("F2F2F2"),
        space: Some((0, m.line_pitch)),
        line: Some(Line::Exact((m.line_pitch - 20).max(1))),
        // Indented by the box's padding (4 pt) and rule (½ pt) on each side:
        // readers draw the box outside the text, past the margin.
        ind: Some(Ind {
            first_line: Some((0, 0)),
            left: Some((BANNER_INSET_CHARS, BANNER_INSET)),
            right: Some((BANNER_INSET_CHARS, BANNER_INSET)),
        }),
        jc: Some(Jc::Center),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Banner",
        "Banner",
        Some("Normal"),
        &banner,
        &rpr(&faces.body, false, s.body),
    );
    // A quotation: a body paragraph set in two characters on each side, as
    // a 公文 quotes a passage; nothing of the banner's box or centring.
    let two_chars = (200, i64::from(s.body) * 20);
    let quote = PPr {
        ind: Some(Ind {
            first_line: Some(two_chars),
            left: Some(two_chars),
            right: Some(two_chars),
        }),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Quote",
        "Quote",
        Some("Normal"),
        &quote,
        &RPr::default(),
    );
    // A code block: its lines as written, so left-aligned (justified, a short
    // line's spaces were stretched) and without the body's indent, which would
    // shift its first line against the others; in the body font, as a 公文
    // has no monospace.
    let code = PPr {
        ind: Some(NO_INDENT),
        jc: Some(Jc::Left),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Code",
        "Code",
        Some("Normal"),
        &code,
        &RPr::default(),
    );
    // A list item: a body paragraph (its 2-character first-line indent, its
    // font), the whole item two characters in, so that its wrapped lines stand
    // under its text: a heading (`1.` is GB/T 9704's third level) and body text
    // wrap to the margin. Its number is the author's, as text; no bullets.
    let list = PPr {
        ind: Some(Ind {
            first_line: Some(two_chars),
            left: Some(two_chars),
            right: None,
        }),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "ListParagraph",
        "List Paragraph",
        Some("Normal"),
        &list,
        &RPr::default(),
    );
    for level in 1..=4u8 {
        let font = faces.east_asia(Para::Heading(level)).to_string();
        // Left-aligned: justified like Normal, a heading that wraps had its
        // characters spread across the line.
        let p = PPr {
            keep_next: true,
            keep_lines: true,
            jc: Some(Jc::Left),
            outline: Some(level - 1),
            ..PPr::default()
        };
        let id = Para::Heading(level).style_id();
        style(
            &mut x,
            "paragraph",
            id,
            &format!("heading {level}"),
            Some("Normal"),
            &p,
            &rpr(&font, en, s.body),
        );
    }
    let table_text = PPr {
        snap_to_grid: Some(false),
        line: Some(Line::Exact(i64::from(s.table) * 15)),
        ind: Some(NO_INDENT),
        jc: Some(Jc::Left),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "TableText",
        "Table Text",
        Some("Normal"),
        &table_text,
        &rpr(&faces.body, false, s.table),
    );
    // Footnotes: GB/T 9704 has none, so as its tables: 四号 in the body font,
    // off the grid, without the body's indent; not condensed, as the body's
    // condensing is measured for its own size.
    let footnote_text = PPr {
        snap_to_grid: Some(false),
        line: Some(Line::Exact(i64::from(s.footnote) * 12)),
        ind: Some(NO_INDENT),
        jc: Some(Jc::Both),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "FootnoteText",
        "footnote text",
        Some("Normal"),
        &footnote_text,
        &RPr {
            spacing: spacing.map(|_| 0),
            ..rpr(&faces.body, false, s.footnote)
        },
    );
    x.open(
        "w:style",
        &[("w:type", "character"), ("w:styleId", "FootnoteReference")],
    );
    x.empty("w:name", &[("w:val", "footnote reference")])
        .empty("w:basedOn", &[("w:val", "DefaultParagraphFont")])
        .empty("w:uiPriority", &[("w:val", "99")])
        .empty("w:unhideWhenUsed", &[]);
    RPr {
        superscript: true,
        ..RPr::default()
    }
    .write(&mut x);
    x.close();
    let figure = PPr {
        keep_lines: true,
        line: Some(Line::Exact(
            m.line_pitch * i64::from(layout.chart_lines.max(1)),
        )),
        ind: Some(NO_INDENT),
        jc: Some(Jc::Center),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Figure",
        "Figure",
        Some("Normal"),
        &figure,
        &RPr::default(),
    );
    // The 落款: each line's right indent is set on the paragraph, from its
    // width (see `document::signature_indents`); the lines never split.
    // Without the quarter-character gaps readers put between Chinese and
    // digits, so that the date is as wide as its characters say (2006年11月20日
    // is 7, which its indent counts on).
    let signature = PPr {
        keep_lines: true,
        no_auto_space: true,
        ind: Some(NO_INDENT),
        jc: Some(Jc::Right),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Signature",
        "Signature",
        Some("Normal"),
        &signature,
        &RPr::default(),
    );
    // A link: blue and underlined, as Word's own Hyperlink style.
    x.open(
        "w:style",
        &[("w:type", "character"), ("w:styleId", "Hyperlink")],
    );
    x.empty("w:name", &[("w:val", "Hyperlink")])
        .empty("w:basedOn", &[("w:val", "DefaultParagraphFont")])
        .empty("w:uiPriority", &[("w:val", "99")])
        .empty("w:unhideWhenUsed", &[]);
    RPr {
        color: Some(HYPERLINK_COLOR),
        underline: true,
        ..RPr::default()
    }
    .write(&mut x);
    x.close();
    let footer = PPr {
        snap_to_grid: Some(false),
        line: Some(Line::Auto(240)),
        ind: Some(NO_INDENT),
        ..PPr::default()
    };
    style(
        &mut x,
        "paragraph",
        "Footer",
        "footer",
        Some("Normal"),
        &footer,
        &rpr(&faces.song, false, s.page_number),
    );
    // 三线表: the rules themselves are set on the cells (see document.rs), which
    // every reader honours; the style gives the cell margins.
    x.open(
        "w:style",
        &[("w:type", "table"), ("w:styleId", "ThreeLineTable")],
    );
    x.empty("w:name", &[("w:val", "Three-line Table")])
        .empty("w:basedOn", &[("w:val", "TableNormal")]);
    x.empty("w:uiPriority", &[("w:val", "59")]);
    x.open("w:tblPr", &[]);
    cell_margins(&mut x);
    x.close().close();
    x.finish()
}

fn cell_margins(x: &mut Xml) {
    x.open("w:tblCellMar", &[]);
    x.empty("w:top", &[("w:w", "0"), ("w:type", "dxa")]);
    x.empty("w:left", &[("w:w", "108"), ("w:type", "dxa")]);
    x.empty("w:bottom", &[("w:w", "0"), ("w:type", "dxa")]);
    x.empty("w:right", &[("w:w", "108"), ("w:type", "dxa")]);
    x.close();
}

#[allow(clippy::too_many_arguments)]
fn style(x: &mut Xml, kind: &str, id: &str, name: &str, based_on: Option<&str>, p: &PPr, r: &RPr) {
    let mut attrs = vec![("w:type", kind)];
    if id == "Normal" {
        attrs.push(("w:default", "1"));
    }
    attrs.push(("w:styleId", id));
    x.open("w:style", &attrs);
    x.empty("w:name", &[("w:val", name)]);
    if let Some(b) = based_on {
        x.empty("w:basedOn", &[("w:val", b)]);
        x.empty("w:next", &[("w:val", "Normal")]);
    }
    if name.starts_with("heading") {
        x.empty("w:uiPriority", &[("w:val", "9")]);
    }
    x.empty("w:qFormat", &[]);
    p.write(x);
    r.write(x);
    x.close();
}

#[cfg(test)]
mod tests;
