//! A small XML writer: the one place where text from the report becomes markup.
//!
//! Every part of the package is written through [`Xml`]. Attribute values and
//! text are escaped here and nowhere else, and characters that XML 1.0 cannot
//! carry at all (C0 controls other than tab, line feed and carriage return;
//! U+FFFE, U+FFFF) are dropped, so no input text can make a part ill-formed.
//! Elements are closed from a stack, so an element cannot be left open or
//! closed under the wrong name.

/// An XML document being written, with its stack of open elements.
#[derive(Debug)]
pub(crate) struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    /// A new document, starting with the standalone XML declaration OOXML parts use.
    pub(crate) fn new() -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"),
            open: Vec::new(),
        }
    }

    /// A piece of a document, with no declaration: for XML made once and then
    /// copied in with [`Xml::raw`].
    pub(crate) fn fragment() -> Self {
        Xml {
            out: String::new(),
            open: Vec::new(),
        }
    }

    /// Appends `xml`, whole elements made by [`Xml::fragment`].
    pub(crate) fn raw(&mut self, xml: &str) -> &mut Self {
        self.out.push_str(xml);
        self
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
    }

    /// Opens `<name attrs…>`; [`Xml::close`] closes it.
    pub(crate) fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push('>');
        self.open.push(name);
        self
    }

    /// Writes `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.tag(name, attrs);
        self.out.push_str("/>");
        self
    }

    /// Writes `<name attrs…>text</name>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.tag(name, attrs);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// Closes the innermost open element (does nothing when none is open).
    pub(crate) fn close(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        self
    }

    /// The document, with any element still open closed.
    pub(crate) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// The bytes [`escape_into`] replaces or drops, and the first byte of U+FFFE and
/// U+FFFF: C0 controls (tab, line feed and carriage return among them), `& < > "`.
static NEEDS_A_LOOK: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[0xEF] = true;
    table
};

/// Appends `text` escaped for both text and double-quoted attribute values.
/// Runs of characters kept as they are are copied as one slice: most text needs
/// no escape at all. It looks at bytes, not characters: every byte to escape or
/// drop is ASCII, but for U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`), so a
/// character of two or more bytes is passed over without being decoded.
fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most values and texts have nothing to escape: one pass over a table of the
    // bytes that need a look, then a single copy.
    let Some(first) = bytes.iter().position(|b| NEEDS_A_LOOK[usize::from(*b)]) else {
        out.push_str(text);
        return;
    };
    let mut kept_from = 0;
    let mut i = first;
    while let Some(&b) = bytes.get(i) {
        if !NEEDS_A_LOOK[usize::from(b)] {
            i += 1;
            continue;
        }
        let (replacement, width) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            // Line breaks and tabs in attributes would be normalised to spaces
            // by a reader; keep them as character references.
            b'\n' => ("&#10;", 1),
            b'\r' => ("&#13;", 1),
            b'\t' => ("&#9;", 1),
            // Not allowed in XML at all: dropped.
            _ => match crate::escape::xml_disallowed_at(bytes, i) {
                0 => {
                    i += 1;
                    continue;
                }
                width => ("", width),
            },
        };
        out.push_str(&text[kept_from..i]);
        out.push_str(replacement);
        i += width;
        kept_from = i;
    }
    out.push_str(&text[kept_from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut x = Xml::new();
        x.open("a", &[("v", "x\"<&>")])
            .leaf("b", &[], "1 < 2 & \"3\"")
            .close();
        let s = x.finish();
        assert!(
            s.ends_with("<a v=\"x&quot;&lt;&amp;&gt;\"><b>1 &lt; 2 &amp; &quot;3&quot;</b></a>"),
            "{s}"
        );
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        let mut x = Xml::new();
        x.leaf("t", &[], "a\u{0}b\u{1b}c\u{FFFF}d");
        assert!(x.finish().ends_with("<t>abcd</t>"));
    }

    #[test]
    fn finish_closes_what_is_open() {
        let mut x = Xml::new();
        x.open("a", &[]).open("b", &[]);
        assert!(x.finish().ends_with("<a><b></b></a>"));
    }

    /// Whether XML 1.0 allows `c` in a document at all.
    fn allowed(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    /// The character-by-character escaper this one replaced, as the reference.
    fn reference(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\n' => out.push_str("&#10;"),
                '\r' => out.push_str("&#13;"),
                '\t' => out.push_str("&#9;"),
                c if allowed(c) => out.push(c),
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escaping_bytes_agrees_with_escaping_characters(text in "(.|[\\x00-\\x1f&<>\"\u{fffe}\u{ffff}\u{fffd}\u{ef}\u{bf}])*") {
            let mut out = String::new();
            escape_into(&mut out, &text);
            proptest::prop_assert_eq!(out, reference(&text));
        }
    }

    #[test]
    fn non_characters_are_dropped_and_their_neighbours_kept() {
        let mut out = String::new();
        escape_into(&mut out, "a\u{fffe}中\u{ffff}\u{fffd}\u{efbf}\u{1}b");
        assert_eq!(out, "a中\u{fffd}\u{efbf}b");
    }
}
