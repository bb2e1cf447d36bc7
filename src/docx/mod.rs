//! The Word document in official Chinese layout (党政机关公文格式, GB/T
//! 9704-2012): a rendered report (Markdown) and its charts in, the bytes of a
//! `.docx` out. No I/O.
//!
//! The package is written directly, part by part ([`package`]), rather than
//! through a document-builder crate: the layout needs a document grid with an
//! exact line pitch and character spacing, odd and even footers, East Asian
//! font names with fallbacks in the font table, three-line tables and native
//! charts, and byte-identical output, which is easiest to guarantee when every
//! element and id is ours. The Markdown is read by [`markdown`] into blocks;
//! [`document`] lays them out in the styles of [`styles`]; [`chart`] writes the
//! charts; [`layout`] holds the standard's measures.
//!
//! | Markdown | style | Chinese | English |
//! | --- | --- | --- | --- |
//! | `# …` | Title | 二号 方正小标宋简体, centred | 22 pt Times New Roman bold |
//! | paragraph after the title | Subtitle | 三号 楷体_GB2312, centred | Times New Roman |
//! | `> **label** …` right after the subtitle (the templates' status) | Banner | 三号 仿宋, a leading bold label 黑体 with `：`, boxed and shaded, inside the margins | the label bold with `:` |
//! | any other `> …` | Quote | body font, indented 2 characters each side | Times New Roman |
//! | fenced or indented code | Code | its lines, left-aligned, no indent, body font | Times New Roman |
//! | `##` / `###` / `####` / `#####` | Heading1–4 | 黑体 / 楷体 / 仿宋 / 仿宋 | bold |
//! | paragraph | Normal | 三号 仿宋_GB2312, indent 2 characters | Times New Roman |
//! | list item (its number as text, no bullet) | ListParagraph | as Normal, the whole item 2 characters in (2 more per nesting) | Times New Roman |
//! | table | Three-line Table, TableText | 四号 仿宋 | 14 pt |
//! | `[^1]` / `[^1]: …` | FootnoteReference (superscript), FootnoteText: a Word footnote | 四号 仿宋 | 14 pt |
//! | chart image | Figure | native chart | native chart |
//!
//! ```
//! use nianbao::docx::{build, DocxInput, Layout};
//! use nianbao::i18n::Lang;
//! let layout = Layout::default();
//! let input = DocxInput { lang: Lang::Zh, markdown: "# 标题\n\n正文。\n", charts: &[], signature: None, layout: &layout, banner: false };
//! let bytes = build(&input).unwrap();
//! assert!(bytes.starts_with(b"PK"));
//! ```

mod chart;
mod document;
mod layout;
mod markdown;
mod measure;
mod package;
mod props;
mod settings;
mod styles;
mod workbook;
mod xml;

use std::collections::BTreeMap;

pub use layout::{Fonts, Layout, Sizes};

use crate::i18n::Lang;

/// Everything the document is made from.
#[derive(Debug, Clone)]
pub struct DocxInput<'a> {
    /// The language of the report: Chinese fonts and layout, or Times New Roman throughout.
    pub lang: Lang,
    /// The rendered `report.<lang>.md`, exactly as written to disk.
    pub markdown: &'a str,
    /// The report's charts, keyed by the image file name the Markdown uses.
    pub charts: &'a [ChartData],
    /// 落款: issuing organisation and date, when the data gives a date.
    pub signature: Option<Signature>,
    /// Page, fonts, sizes: [`Layout::default`] is GB/T 9704.
    pub layout: &'a Layout,
    /// Whether the report carries a status banner (its year is not final),
    /// which the templates put as a labelled quote right after the subtitle.
    pub banner: bool,
}

/// The 落款 at the end of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The issuing organisation.
    pub organisation: String,
    /// The date, already worded: `2006年12月20日` / `20 December 2006`.
    pub date: String,
}

/// The kind of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One line over the years, with markers and data labels.
    Line,
    /// Stacked columns, one part per series, with a legend and the totals.
    StackedBar,
}

/// One chart of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartData {
    /// The image the chart replaces: `chart-birth_rate.zh.svg` for `![alt](chart-birth_rate.zh.svg)`.
    pub file: String,
    /// Line or stacked columns.
    pub kind: ChartKind,
    /// The chart's title: `人口出生率（‰）`.
    pub title: String,
    /// Alternative text (the drawing's description); the Markdown's alt text when empty.
    pub alt: String,
    /// The categories: years, `2005`, `2006`.
    pub categories: Vec<String>,
    /// One series for a line; one per part for stacked columns, bottom first.
    pub series: Vec<Series>,
    /// Decimal places of the values: the number format (0 → `0`, 2 → `0.00`).
    pub decimals: u32,
    /// The unit of the values (`人`, `万元`, `%`), the value axis's title; none when empty.
    pub unit: String,
    /// The value axis's ticks, as the SVG chart has them; Word's own choice when `None`.
    pub axis: Option<ValueAxis>,
    /// Every how many categories a value is labelled, counting back from the last
    /// (1: every one), so that wide labels of many years do not run together.
    pub label_every: u32,
}

/// The ticks of a chart's value axis, as plain decimals: from `min` to `max`,
/// `major` apart, each label with `decimals` places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueAxis {
    /// The lowest tick.
    pub min: String,
    /// The highest tick.
    pub max: String,
    /// The step between ticks.
    pub major: String,
    /// The places of each tick's label.
    pub decimals: u32,
}

/// One series of a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The series name (legend entry).
    pub name: String,
    /// One value per category, as plain decimal strings (`8.79`, `1335`); `None` is a gap.
    pub values: Vec<Option<String>>,
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// A chart value is not a plain decimal.
    #[error("chart {file}: value “{value}” is not a plain decimal number")]
    ChartValue {
        /// The chart's file name.
        file: String,
        /// The value.
        value: String,
    },
    /// A chart's series and categories do not fit together.
    #[error("chart {file}: {detail}")]
    ChartShape {
        /// The chart's file name.
        file: String,
        /// What does not fit.
        detail: String,
    },
    /// Writing the zip failed.
    #[error("writing the document package: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing into memory failed.
    #[error("writing the document package: {0}")]
    Io(#[from] std::io::Error),
}

/// The `.docx` for `input`: the same input gives the same bytes.
pub fn build(input: &DocxInput) -> Result<Vec<u8>, DocxError> {
    for c in input.charts {
        chart::validate(c)?;
    }
    let mut charts: BTreeMap<&str, &ChartData> = BTreeMap::new();
    for c in input.charts {
        charts.entry(c.file.as_str()).or_insert(c);
    }
    let soft_break = match input.lang {
        Lang::Zh => "",
        Lang::En => " ",
    };
    let doc = markdown::read(
        input.markdown,
        &|url| charts.contains_key(url),
        soft_break,
        input.banner,
    );
    let layout = input.layout;
    let m = layout.measures();
    let faces = styles::Faces::new(input.lang, layout);
    let rels = document::Rels {
        footer_odd: package::RID_FOOTER_ODD.into(),
        footer_even: package::RID_FOOTER_EVEN.into(),
        first_chart: package::FIRST_CHART_RID,
    };
    let body = document::document(
        &doc,
        &charts,
        input.signature.as_ref(),
        &faces,
        layout,
        &m,
        &rels,
    );
    let title = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            markdown::Block::Title(t) => Some(markdown::plain(t)),
            _ => None,
        })
        .unwrap_or_default();
    let language = match input.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en-US",
    };
    let n = body.charts.len();
    let has_notes = body.footnotes.is_some();
    let text = |s: String| s.into_bytes();
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            text(package::content_types(n, has_notes)),
        ),
        ("_rels/.rels".into(), text(package::root_rels())),
        (
            "docProps/core.xml".into(),
            text(package::core(title.trim(), language)),
        ),
        ("docProps/app.xml".into(), text(package::app())),
        ("word/document.xml".into(), text(body.xml)),
        (
            "word/_rels/document.xml.rels".into(),
            text(package::document_rels(n, &body.links, has_notes)),
        ),
        (
            "word/styles.xml".into(),
            text(styles::styles(input.lang, layout, &m)),
        ),
        (
            "word/settings.xml".into(),
            text(settings::settings(input.lang, has_notes)),
        ),
        (
            "word/fontTable.xml".into(),
            text(settings::font_table(layout)),
        ),
        (
            "word/footer1.xml".into(),
            text(settings::footer(input.lang, layout, true)),
        ),
        (
            "word/footer2.xml".into(),
            text(settings::footer(input.lang, layout, false)),
        ),
    ];
    if let Some(notes) = body.footnotes {
        parts.push(("word/footnotes.xml".into(), text(notes)));
    }
    for (i, c) in body.charts.iter().enumerate() {
        let k = i + 1;
        let xml = chart::chart_part(c, &faces, layout.sizes.chart_title, layout.sizes.chart_text);
        parts.push((format!("word/charts/chart{k}.xml"), text(xml)));
        parts.push((
            format!("word/charts/_rels/chart{k}.xml.rels"),
            text(package::chart_rels(k)),
        ));
        let book = workbook::workbook(c, chart::total_name(&faces))?;
        parts.push((
            format!("word/embeddings/{}", package::workbook_name(k)),
            book,
        ));
    }
    package::zip(&parts)
}

#[cfg(test)]
mod tests;
