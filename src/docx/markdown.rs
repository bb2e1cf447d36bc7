//! Reading the rendered report: Markdown (CommonMark + GFM tables) in, the
//! document's blocks out.
//!
//! The blocks are what a 公文 is made of: one title, the subtitle line under
//! it, status banners, headings by depth, body paragraphs (list items become
//! paragraphs that keep their number as text, nested ones with their depth),
//! tables and charts. Inline markup is reduced to runs that are bold, italic or
//! neither, and may link to an address with a scheme that runs no code (see
//! [`link_target`]); other links keep their text only, inline code its text, and
//! images that are not charts their alt text. Nothing here knows about Word.

use pulldown_cmark::{Alignment, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

/// One run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// The text, as the reader sees it (Markdown escapes resolved).
    pub text: String,
    /// Inside `**…**`.
    pub bold: bool,
    /// Inside `*…*`.
    pub italic: bool,
    /// Inside a link to this address.
    pub link: Option<String>,
}

/// A run or a line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    /// Text.
    Span(Span),
    /// A hard line break.
    Break,
    /// A reference to the footnote with this label (`[^1]`).
    Note(String),
}

/// A footnote: its label and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Footnote {
    /// The label, as the references name it.
    pub label: String,
    /// Its paragraphs.
    pub paras: Vec<Vec<Inline>>,
}

/// The report read: its blocks, and the footnotes defined anywhere in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Doc {
    pub blocks: Vec<Block>,
    pub notes: Vec<Footnote>,
}

/// How a column of a table is aligned (GFM `:---`, `:---:`, `---:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// No colon, or a colon on the left.
    Left,
    /// Colons on both sides.
    Center,
    /// A colon on the right: numbers.
    Right,
}

/// A GFM table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// The alignment of each column.
    pub aligns: Vec<Align>,
    /// The header row.
    pub header: Vec<Vec<Inline>>,
    /// The body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// `# …`: the document title.
    Title(Vec<Inline>),
    /// The paragraph right after the title: organisation and period.
    Subtitle(Vec<Inline>),
    /// The status banner: a block quote right after the title and subtitle that
    /// opens with a bold label, as the templates write it (`> **草稿** …`).
    Banner(Vec<Inline>),
    /// A paragraph of any other block quote: a quotation.
    Quote(Vec<Inline>),
    /// A code block: its lines, with a break between each.
    Code(Vec<Inline>),
    /// `##` … `######`: level 1 (`##`) to 4 (`#####` and deeper).
    Heading(u8, Vec<Inline>),
    /// A body paragraph.
    Para(Vec<Inline>),
    /// A paragraph of a list item: the depth of its list (1, 2 for a list in a
    /// list) and its inlines, an ordered item's number first as text, a bullet
    /// item's without a mark.
    Item(u8, Vec<Inline>),
    /// A table.
    Table(Table),
    /// An image: a chart when its URL names one, else its alt text.
    Image { url: String, alt: String },
}

/// What the paragraph being collected will become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A paragraph, in lists this deep (0 outside any list).
    Para(u8),
    /// Inside a block quote.
    Quote,
    Code,
    Heading(u8),
}

/// The parser's state between events.
struct Reader<'a> {
    blocks: Vec<Block>,
    /// The inlines of the paragraph or heading being read, and what it is.
    current: Option<(Kind, Vec<Inline>)>,
    /// Whether `current` holds only a list marker so far.
    marker_only: bool,
    quote_depth: usize,
    /// The next number of each open list (`None`: a bullet list).
    lists: Vec<Option<u64>>,
    bold: usize,
    italic: usize,
    /// The address of the link being read, when it is one a reader may follow.
    link: Option<String>,
    /// Set while inside an image: its URL and the alt text so far.
    image: Option<(String, String)>,
    table: Option<Table>,
    row: Vec<Vec<Inline>>,
    in_head: bool,
    is_chart: &'a dyn Fn(&str) -> bool,
    /// What a soft line break becomes: nothing in Chinese, a space in English.
    soft_break: &'static str,
    notes: Vec<Footnote>,
    /// Set while inside a footnote's definition: its paragraphs go to it.
    note: Option<Footnote>,
}

/// The blocks of `markdown` (see [`read`]).
#[cfg(test)]
pub(crate) fn blocks(
    markdown: &str,
    is_chart: &dyn Fn(&str) -> bool,
    soft_break: &'static str,
) -> Vec<Block> {
    read(markdown, is_chart, soft_break, true).blocks
}

/// Reads `markdown` into blocks and footnotes. `is_chart` says whether an image
/// URL names a chart (which then stands as a block of its own, splitting a
/// paragraph it is in); `soft_break` is what a line break inside a paragraph becomes.
/// `banner` says whether the templates put a status banner in (the year is not
/// final): only then is a labelled quote after the subtitle one.
pub(crate) fn read(
    markdown: &str,
    is_chart: &dyn Fn(&str) -> bool,
    soft_break: &'static str,
    banner: bool,
) -> Doc {
    let mut r = Reader {
        blocks: Vec::new(),
        current: None,
        marker_only: false,
        quote_depth: 0,
        lists: Vec::new(),
        bold: 0,
        italic: 0,
        link: None,
        image: None,
        table: None,
        row: Vec::new(),
        in_head: false,
        is_chart,
        soft_break,
        notes: Vec::new(),
        note: None,
    };
    // The reports' own dialect, footnotes included, as the HTML reads it.
    for event in Parser::new_ext(markdown, crate::escape::MARKDOWN) {
        r.event(event);
    }
    r.flush();
    let notes = std::mem::take(&mut r.notes);
    let mut blocks = r.blocks;
    // The first `#` is the title and the paragraph right after it the subtitle;
    // a second `#` is taken as a first-level heading. A quote is the banner only
    // where the templates put it, so that a quotation in a narrative text does
    // not look like a DRAFT notice: in a year that has one, right after the
    // subtitle (an audit found a final year's opening quote, starting in bold,
    // boxed as a banner).
    let mut seen_title = false;
    let mut front = true;
    for i in 0..blocks.len() {
        if let Block::Quote(inlines) = &blocks[i] {
            let labelled = matches!(inlines.first(), Some(Inline::Span(s)) if s.bold);
            if banner && front && seen_title && labelled {
                blocks[i] = Block::Banner(inlines.clone());
            }
            front = false;
            continue;
        }
        if !matches!(blocks[i], Block::Title(_) | Block::Subtitle(_)) {
            front = false;
        }
        if let Block::Title(inlines) = &blocks[i] {
            if seen_title {
                blocks[i] = Block::Heading(1, inlines.clone());
                continue;
            }
            seen_title = true;
            if let Some(Block::Para(next)) = blocks.get(i + 1) {
                blocks[i + 1] = Block::Subtitle(next.clone());
            }
        }
    }
    Doc { blocks, notes }
}

impl Reader<'_> {
    fn kind_here(&self) -> Kind {
        if self.quote_depth > 0 {
            Kind::Quote
        } else {
            Kind::Para(u8::try_from(self.lists.len()).unwrap_or(u8::MAX))
        }
    }

    /// Ends the paragraph being read, keeping it when it has any text.
    fn flush(&mut self) {
        if let Some((kind, inlines)) = self.current.take() {
            let has_text = inlines
                .iter()
                .any(|i| matches!(i, Inline::Span(s) if !s.text.trim().is_empty()));
            if !has_text {
                return;
            }
            if let Some(note) = &mut self.note {
                note.paras.push(inlines);
                return;
            }
            self.blocks.push(match kind {
                Kind::Para(depth) if depth > 0 => Block::Item(depth, inlines),
                Kind::Para(_) => Block::Para(inlines),
                Kind::Quote => Block::Quote(inlines),
                Kind::Code => Block::Code(code_lines(&plain(&inlines))),
                Kind::Heading(0) => Block::Title(inlines),
                Kind::Heading(level) => Block::Heading(level, inlines),
            });
        }
        self.marker_only = false;
    }

    fn start_para(&mut self, kind: Kind) {
        self.flush();
        self.current = Some((kind, Vec::new()));
    }

    /// Appends text to the cell, image alt text or paragraph being read.
    fn text(&mut self, text: &str) {
        if let Some((_, alt)) = &mut self.image {
            alt.push_str(text);
            return;
        }
        if let Some((Kind::Code, inlines)) = &mut self.current {
            // A code block keeps its lines: split at the end (see `code_lines`).
            push_span(
                inlines,
                Span {
                    text: text.to_string(),
                    bold: false,
                    italic: false,
                    link: None,
                },
            );
            return;
        }
        let span = Span {
            text: text.replace(['\n', '\r'], " "),
            bold: self.bold > 0,
            italic: self.italic > 0,
            link: self.link.clone(),
        };
        let target = if self.table.is_some() {
            match self.row.last_mut() {
                Some(cell) => cell,
                None => return,
            }
        } else {
            if self.current.is_none() {
                let kind = self.kind_here();
                self.start_para(kind);
            }
            self.marker_only = false;
            match &mut self.current {
                Some((_, inlines)) => inlines,
                None => return,
            }
        };
        push_span(target, span);
    }

    /// A footnote's reference, in the cell or paragraph being read.
    fn note_ref(&mut self, label: &str) {
        let note = Inline::Note(label.to_string());
        if self.table.is_some() {
            if let Some(cell) = self.row.last_mut() {
                cell.push(note);
            }
            return;
        }
        if self.current.is_none() {
            let kind = self.kind_here();
            self.start_para(kind);
        }
        self.marker_only = false;
        if let Some((_, inlines)) = &mut self.current {
            inlines.push(note);
        }
    }

    fn hard_break(&mut self) {
        if self.table.is_some() {
            if let Some(cell) = self.row.last_mut() {
                cell.push(Inline::Break);
            }
        } else if let Some((_, inlines)) = &mut self.current {
            inlines.push(Inline::Break);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.text(&t)
            }
            Event::InlineHtml(t) | Event::Html(t) => {
                // Comments are for the template's author, not the reader.
                if !t.trim_start().starts_with("<!--") {
                    self.text(&t);
                }
            }
            Event::SoftBreak => {
                let soft = self.soft_break;
                if self.image.is_some() {
                    self.text(" ");
                } else if !soft.is_empty() {
                    self.text(soft);
                }
            }
            Event::HardBreak => self.hard_break(),
            Event::FootnoteReference(label) => self.note_ref(&label),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
            Event::Rule => self.flush(),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            // A list item's first paragraph continues the marker's.
            Tag::Paragraph
                if self.table.is_none() && !(self.marker_only && self.current.is_some()) =>
            {
                let kind = self.kind_here();
                self.start_para(kind);
            }
            Tag::Heading { level, .. } => {
                let depth = match level {
                    HeadingLevel::H1 => 0,
                    HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    HeadingLevel::H4 => 3,
                    _ => 4,
                };
                self.start_para(Kind::Heading(depth));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => self.start_para(Kind::Code),
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                let kind = self.kind_here();
                self.start_para(kind);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n = n.saturating_add(1);
                        m
                    }
                    // A 公文 has no bullets: the item's indent sets it apart.
                    _ => String::new(),
                };
                if let Some((_, inlines)) = &mut self.current
                    && !marker.is_empty()
                {
                    push_span(
                        inlines,
                        Span {
                            text: marker,
                            bold: false,
                            italic: false,
                            link: None,
                        },
                    );
                }
                self.marker_only = true;
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.note = Some(Footnote {
                    label: label.to_string(),
                    paras: Vec::new(),
                });
            }
            Tag::Table(aligns) => {
                self.flush();
                self.table = Some(Table {
                    aligns: aligns
                        .iter()
                        .map(|a| match a {
                            Alignment::Right => Align::Right,
                            Alignment::Center => Align::Center,
                            Alignment::Left | Alignment::None => Align::Left,
                        })
                        .collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Tag::TableHead => {
                self.in_head = true;
                self.row.clear();
            }
            Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.row.push(Vec::new()),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            // An email autolink (`<a@b.org>`) is a `mailto:` link, as the HTML has it.
            Tag::Link {
                dest_url,
                link_type: LinkType::Email,
                ..
            } if self.image.is_none() => {
                self.link = link_target(&format!("mailto:{dest_url}"));
            }
            Tag::Link { dest_url, .. } if self.image.is_none() => {
                self.link = link_target(&dest_url);
            }
            Tag::Image { dest_url, .. } if self.image.is_none() => {
                self.image = Some((dest_url.to_string(), String::new()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Item
                if self.table.is_none() =>
            {
                self.flush();
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                if let Some(note) = self.note.take() {
                    self.notes.push(note);
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut self.row);
                }
                self.in_head = false;
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.blocks.push(Block::Table(t));
                }
            }
            TagEnd::Link => self.link = None,
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Image => {
                if let Some((url, alt)) = self.image.take() {
                    if self.table.is_none() && (self.is_chart)(&url) {
                        // A chart stands alone: it ends the paragraph it is in,
                        // and text after it starts a new one of the same kind.
                        let kind = self.current.as_ref().map(|(k, _)| *k);
                        self.flush();
                        self.blocks.push(Block::Image { url, alt });
                        if let Some(kind) = kind {
                            self.current = Some((kind, Vec::new()));
                        }
                    } else {
                        self.text(&alt);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The lines of a code block's text, a break between each.
fn code_lines(text: &str) -> Vec<Inline> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Inline::Break);
        }
        out.push(Inline::Span(Span {
            text: line.trim_end_matches('\r').to_string(),
            bold: false,
            italic: false,
            link: None,
        }));
    }
    out
}

/// Appends a span, merging it into the last one when the emphasis is the same.
fn push_span(inlines: &mut Vec<Inline>, span: Span) {
    if let Some(Inline::Span(last)) = inlines.last_mut()
        && last.bold == span.bold
        && last.italic == span.italic
        && last.link == span.link
    {
        last.text.push_str(&span.text);
        return;
    }
    inlines.push(Inline::Span(span));
}

/// The address a link in the document may go to: an absolute URL whose scheme
/// runs no code where it is followed (the rule of the Markdown and HTML outputs,
/// [`crate::escape::unsafe_url`]). A relative address means nothing outside the
/// report's folder, and is dropped with the unsafe ones: the text stays.
pub(crate) fn link_target(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.split_once(':').map_or("", |(s, _)| s);
    let has_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (has_scheme && !crate::escape::unsafe_url(url)).then(|| crate::escape::uri(url))
}

/// The plain text of some inlines (line breaks as spaces, footnote references
/// left out).
pub(crate) fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Span(span) => s.push_str(&span.text),
            Inline::Break => s.push(' '),
            Inline::Note(_) => {}
        }
    }
    s
}

#[cfg(test)]
mod tests;
