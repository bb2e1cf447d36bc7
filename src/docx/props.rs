//! Paragraph and run properties (`w:pPr`, `w:rPr`), written in the element
//! order the WordprocessingML schema requires.
//!
//! Word rejects a document whose `w:pPr` children are out of order (a
//! `w:jc` before a `w:ind`, say) with a repair prompt, so every property is a
//! field here and [`PPr::write`] / [`RPr::write`] emit them in schema order
//! (ECMA-376 Part 1, CT_PPrBase and CT_RPr). Styles and the body share them.

use super::xml::Xml;

/// Horizontal alignment (`w:jc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jc {
    Left,
    Center,
    Right,
    Both,
}

impl Jc {
    fn val(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
            Jc::Both => "both",
        }
    }
}

/// Line spacing: exact, in twips, or auto in 240ths of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    Exact(i64),
    Auto(i64),
}

/// Indents, in hundredths of a character (Word's `…Chars` attributes) with the
/// absolute value in twips beside them for readers that ignore the character form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ind {
    /// (hundredths of a character, twips).
    pub first_line: Option<(i64, i64)>,
    pub left: Option<(i64, i64)>,
    pub right: Option<(i64, i64)>,
}

/// Paragraph properties, in schema order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PPr {
    pub style: Option<&'static str>,
    pub keep_next: bool,
    pub keep_lines: bool,
    /// A single-line box of this width (eighths of a point) around the paragraph.
    pub boxed: Option<u32>,
    /// Background fill, `RRGGBB`.
    pub shading: Option<&'static str>,
    /// No extra space between Chinese text and Latin letters or digits
    /// (`w:autoSpaceDE`, `w:autoSpaceDN` off).
    pub no_auto_space: bool,
    /// `Some(false)` turns snapping to the document grid off.
    pub snap_to_grid: Option<bool>,
    /// (before, after) in twips.
    pub space: Option<(i64, i64)>,
    pub line: Option<Line>,
    pub ind: Option<Ind>,
    pub jc: Option<Jc>,
    /// Outline level 0–8: what the navigation pane shows.
    pub outline: Option<u8>,
}

impl PPr {
    /// Writes `<w:pPr>…</w:pPr>` (nothing when no property is set).
    pub(crate) fn write(&self, x: &mut Xml) {
        if *self == PPr::default() {
            return;
        }
        x.open("w:pPr", &[]);
        if let Some(s) = self.style {
            x.empty("w:pStyle", &[("w:val", s)]);
        }
        if self.keep_next {
            x.empty("w:keepNext", &[]);
        }
        if self.keep_lines {
            x.empty("w:keepLines", &[]);
        }
        if let Some(sz) = self.boxed {
            let sz = sz.to_string();
            x.open("w:pBdr", &[]);
            for (side, space) in [
                ("w:top", "0"),
                ("w:left", "4"),
                ("w:bottom", "0"),
                ("w:right", "4"),
            ] {
                x.empty(
                    side,
                    &[
                        ("w:val", "single"),
                        ("w:sz", &sz),
                        ("w:space", space),
                        ("w:color", "000000"),
                    ],
                );
            }
            x.close();
        }
        if let Some(fill) = self.shading {
            x.empty(
                "w:shd",
                &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)],
            );
        }
        if self.no_auto_space {
            x.empty("w:autoSpaceDE", &[("w:val", "0")]);
            x.empty("w:autoSpaceDN", &[("w:val", "0")]);
        }
        if let Some(snap) = self.snap_to_grid {
            x.empty("w:snapToGrid", &[("w:val", if snap { "1" } else { "0" })]);
        }
        if self.space.is_some() || self.line.is_some() {
            let mut attrs: Vec<(&str, String)> = Vec::new();
            if let Some((before, after)) = self.space {
                attrs.push(("w:before", before.to_string()));
                attrs.push(("w:after", after.to_string()));
            }
            match self.line {
                Some(Line::Exact(t)) => {
                    attrs.push(("w:line", t.to_string()));
                    attrs.push(("w:lineRule", "exact".into()));
                }
                Some(Line::Auto(t)) => {
                    attrs.push(("w:line", t.to_string()));
                    attrs.push(("w:lineRule", "auto".into()));
                }
                None => {}
            }
            let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            x.empty("w:spacing", &attrs);
        }
        if let Some(ind) = self.ind {
            let mut attrs: Vec<(&str, String)> = Vec::new();
            if let Some((chars, tw)) = ind.left {
                attrs.push(("w:leftChars", chars.to_string()));
                attrs.push(("w:left", tw.to_string()));
            }
            if let Some((chars, tw)) = ind.right {
                attrs.push(("w:rightChars", chars.to_string()));
                attrs.push(("w:right", tw.to_string()));
            }
            if let Some((chars, tw)) = ind.first_line {
                attrs.push(("w:firstLineChars", chars.to_string()));
                attrs.push(("w:firstLine", tw.to_string()));
            }
            let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            x.empty("w:ind", &attrs);
        }
        if let Some(jc) = self.jc {
            x.empty("w:jc", &[("w:val", jc.val())]);
        }
        if let Some(level) = self.outline {
            x.empty("w:outlineLvl", &[("w:val", &level.to_string())]);
        }
        x.close();
    }
}

/// The fonts of a run: East Asian text in `east_asia`, everything else in `latin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RFonts {
    pub latin: String,
    pub east_asia: String,
    /// Shared punctuation (quotes, dashes, ·) takes the East Asian font.
    pub hint_east_asia: bool,
}

/// Run properties, in schema order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RPr {
    /// A character style (`w:rStyle`): `Hyperlink`.
    pub style: Option<&'static str>,
    pub fonts: Option<RFonts>,
    pub bold: bool,
    pub italic: bool,
    pub no_snap: bool,
    /// Text colour, `RRGGBB`.
    pub color: Option<&'static str>,
    /// Character spacing in twips (negative: condensed).
    pub spacing: Option<i64>,
    /// Half-points.
    pub size: Option<u32>,
    /// A single underline.
    pub underline: bool,
    /// Raised and smaller (`w:vertAlign`): a footnote's number.
    pub superscript: bool,
    /// (`w:val`, `w:eastAsia`).
    pub lang: Option<(&'static str, &'static str)>,
}

thread_local! {
    /// The XML of the run properties written on this thread, the one used last
    /// first: a document's thousands of runs have a handful of them.
    static RPR_XML: std::cell::RefCell<Vec<(RPr, std::rc::Rc<str>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl RPr {
    /// Writes `<w:rPr>…</w:rPr>` (nothing when no property is set), made once
    /// for each set of properties and then copied.
    pub(crate) fn write(&self, x: &mut Xml) {
        if *self == RPr::default() {
            return;
        }
        let made = RPR_XML.with_borrow_mut(|known| {
            let at = known.iter().position(|(rpr, _)| rpr == self)?;
            // The one found goes first: the next run most likely has it too.
            known.swap(0, at);
            Some(known[0].1.clone())
        });
        let xml = made.unwrap_or_else(|| {
            let mut fragment = Xml::fragment();
            self.write_uncached(&mut fragment);
            let xml: std::rc::Rc<str> = fragment.finish().into();
            RPR_XML.with_borrow_mut(|known| {
                known.truncate(31);
                known.push((self.clone(), xml.clone()));
                let last = known.len() - 1;
                known.swap(0, last);
            });
            xml
        });
        x.raw(&xml);
    }

    fn write_uncached(&self, x: &mut Xml) {
        x.open("w:rPr", &[]);
        if let Some(s) = self.style {
            x.empty("w:rStyle", &[("w:val", s)]);
        }
        if let Some(f) = &self.fonts {
            let mut attrs = vec![
                ("w:ascii", f.latin.as_str()),
                ("w:hAnsi", f.latin.as_str()),
                ("w:eastAsia", f.east_asia.as_str()),
                ("w:cs", f.latin.as_str()),
            ];
            if f.hint_east_asia {
                attrs.push(("w:hint", "eastAsia"));
            }
            x.empty("w:rFonts", &attrs);
        }
        if self.bold {
            x.empty("w:b", &[]).empty("w:bCs", &[]);
        }
        if self.italic {
            x.empty("w:i", &[]).empty("w:iCs", &[]);
        }
        if self.no_snap {
            x.empty("w:snapToGrid", &[("w:val", "0")]);
        }
        if let Some(c) = self.color {
            x.empty("w:color", &[("w:val", c)]);
        }
        if let Some(sp) = self.spacing {
            x.empty("w:spacing", &[("w:val", &sp.to_string())]);
        }
        if let Some(sz) = self.size {
            let sz = sz.to_string();
            x.empty("w:sz", &[("w:val", &sz)])
                .empty("w:szCs", &[("w:val", &sz)]);
        }
        if self.underline {
            x.empty("w:u", &[("w:val", "single")]);
        }
        if self.superscript {
            x.empty("w:vertAlign", &[("w:val", "superscript")]);
        }
        if let Some((val, east_asia)) = self.lang {
            x.empty(
                "w:lang",
                &[
                    ("w:val", val),
                    ("w:eastAsia", east_asia),
                    ("w:bidi", "ar-SA"),
                ],
            );
        }
        x.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_properties_follow_the_schema_order() {
        let p = PPr {
            style: Some("Heading1"),
            keep_next: true,
            line: Some(Line::Exact(579)),
            ind: Some(Ind {
                first_line: Some((200, 640)),
                ..Ind::default()
            }),
            jc: Some(Jc::Both),
            outline: Some(0),
            ..PPr::default()
        };
        let mut x = Xml::new();
        p.write(&mut x);
        let s = x.finish();
        let order = [
            "w:pStyle",
            "w:keepNext",
            "w:spacing",
            "w:ind",
            "w:jc",
            "w:outlineLvl",
        ];
        let at: Vec<usize> = order
            .iter()
            .filter_map(|t| s.find(&format!("<{t}")))
            .collect();
        assert_eq!(at.len(), order.len(), "{s}");
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{s}");
    }

    #[test]
    fn empty_properties_write_nothing() {
        let mut x = Xml::new();
        PPr::default().write(&mut x);
        RPr::default().write(&mut x);
        assert!(!x.finish().contains("w:"));
    }

    #[test]
    fn run_properties_written_again_are_the_same_xml() {
        let fonts = |latin: &str| RFonts {
            latin: latin.into(),
            east_asia: "仿宋_GB2312".into(),
            hint_east_asia: true,
        };
        let sets: Vec<RPr> = (0..40)
            .map(|i| RPr {
                fonts: Some(fonts(if i % 2 == 0 {
                    "Times New Roman"
                } else {
                    "Arial"
                })),
                bold: i % 3 == 0,
                size: Some(32 + i),
                spacing: (i % 5 == 0).then_some(-5),
                ..RPr::default()
            })
            .collect();
        // More sets than the cache holds, each written several times, in turn.
        for round in 0..3 {
            for rpr in sets.iter().chain(sets.iter().rev()) {
                let (mut cached, mut plain) = (Xml::fragment(), Xml::fragment());
                rpr.write(&mut cached);
                rpr.write_uncached(&mut plain);
                assert_eq!(cached.finish(), plain.finish(), "round {round}: {rpr:?}");
            }
        }
        let mut none = Xml::fragment();
        RPr::default().write(&mut none);
        assert_eq!(none.finish(), "");
    }
}
